"""Bundled plan templates: they load cleanly and print the seed tables cell by cell.

The seed tables (``shared/seeds/tables/*.json``) are transcriptions of the printed plans,
NFKC-normalised by the PDF extraction; cells are therefore compared under NFKC. Cells the
extraction lost (``??``) must hold the sample values of the seeds README and be marked sample.
"""
from __future__ import annotations

import copy
import json
import unicodedata
from pathlib import Path

import pytest

import resources
from desktop.domain.cells import box_rows, header_cells, printed_item, printed_name
from desktop.domain.errors import NotFound, Severity
from desktop.domain.model import Actual, Kind, Nature, Rule
from desktop.domain.template_export import plan_to_template
from desktop.domain.template_format import FORMAT, plan_from_template, template_info

SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"
TABLES = SEEDS / "tables"

# The seeds README's table of lost cells: (seed file, printed seq, column index) -> value.
SAMPLE_VALUES = {
    ("shaoyang_zl2_14th_main_indicators", "2", 2): "<5.5",
    ("shaoyang_zl2_14th_main_indicators", "3", 2): "<4.5",
    ("shaoyang_zl2_14th_main_indicators", "4", 2): "[>10]",
    ("shaoyang_zl2_14th_main_indicators", "13", 1): "95",
    ("shaoyang_zl2_14th_main_indicators", "13", 2): "99",
    ("shaoyang_zl2_14th_main_indicators", "14", 1): "96.7",
    ("shaoyang_zl2_14th_main_indicators", "14", 2): "98",
    ("shaoyang_zl1_13th_completion", "11", 2): "—",
    ("shaoyang_zl1_13th_completion", "11", 3): "—",
    ("shaoyang_zl1_13th_completion", "12", 2): "—",
    ("shaoyang_zl1_13th_completion", "12", 3): "—",
    ("shaoyang_zl1_13th_completion", "13", 2): "—",
}

# seed table -> (template, box label)
GRID_SEEDS = {
    "shaoyang_zl2_14th_main_indicators": ("sy-zl2", "专栏2"),
    "shaoyang_zl1_13th_completion": ("sy-zl1", "专栏1"),
    "zhejiang_t2_14th_talent_indicators": ("zj-t2", "表2"),
}


def nfkc(text: str | None) -> str:
    return unicodedata.normalize("NFKC", text or "")


def load_seed(name: str) -> dict:
    path = TABLES / f"{name}.json"
    if not path.exists():
        pytest.skip(f"seed table {path} is missing (shared seeds not checked out)")
    return json.loads(path.read_text(encoding="utf-8"))


def load(name: str, **kwargs):
    plan, actuals, problems = plan_from_template(resources.read_template(name), **kwargs)
    assert problems == [], [p.message for p in problems]
    return plan, actuals


# ---------------------------------------------------------------- bundled set


def test_template_names_sorted_by_order():
    names = resources.template_names()
    assert names == ["sy-zl2", "sy-zl1", "zj-t2", "jl-zl3", "county-hrss"]
    first = next(n for n in names
                 if "邵阳" in (i := template_info(resources.read_template(n))).title + i.description
                 and "十四五" in i.title + i.description)
    assert first == "sy-zl2"


@pytest.mark.parametrize("name", resources.template_names())
def test_every_template_loads_without_problems(name):
    data = resources.read_template(name)
    assert data["format"] == FORMAT
    assert data["id"] == name
    plan, _ = load(name)
    assert plan.template_id == name
    assert plan.catalogue_version
    codes = [i.code for i in plan.indicators]
    assert len(codes) == len(set(codes))
    info = template_info(data)
    assert info.name == name and info.indicator_count == len(plan.indicators)
    assert info.boxes == tuple(b.label for b in plan.boxes)
    assert info.has_sample == bool(plan.sample_note)


def test_unknown_template_lists_available_names():
    with pytest.raises(NotFound) as exc:
        resources.read_template("no-such-template")
    assert "no-such-template" in exc.value.message
    assert "sy-zl2" in exc.value.message and "county-hrss" in exc.value.message


def test_resource_path_gives_a_real_file():
    with resources.resource_path("templates", "sy-zl2.json") as path:
        assert path.is_file()
        assert json.loads(path.read_text(encoding="utf-8"))["id"] == "sy-zl2"
    with pytest.raises(NotFound):
        with resources.resource_path("fonts", "nope.otf"):
            pass


def test_sy_zl2_codes_are_stable():
    plan, _ = load("sy-zl2")
    assert [i.code for i in plan.indicators] == [f"sy-zl2-{n:02d}" for n in range(1, 15)]
    first = plan.indicator("sy-zl2-01")
    assert (first.seq, first.name, first.unit) == ("1", "城镇新增就业人数", "万人")
    assert first.kind is Kind.CUMULATIVE_SUM and first.target.cumulative
    sub = plan.indicator("sy-zl2-05")
    assert sub.name == "农民工参加职业培训人次" and sub.parent == "sy-zl2-04"
    assert plan.indicator("sy-zl2-12").parent == "sy-zl2-11"
    assert plan.indicator("sy-zl2-02").rule is Rule.NOT_SUMMABLE
    assert plan.indicator("sy-zl2-02").kind is Kind.CEILING
    assert plan.indicator("sy-zl2-09").base is None
    assert (plan.region_code, plan.region_name, plan.base_year) == ("430500", "邵阳市", 2020)
    assert plan.wenhao == "邵市政办发〔2021〕33号"
    assert all(i.responsible for i in plan.indicators)


def test_county_template_shares_city_codes():
    city, _ = load("sy-zl2")
    county, _ = load("county-hrss")
    data = resources.read_template("county-hrss")
    assert "邵阳" not in data["title"] and "邵阳" not in data["description"]
    assert "邵阳" not in template_info(data).title
    county_codes = {i.code: i for i in county.indicators}
    for ind in city.indicators:
        assert ind.code in county_codes, ind.code
        assert (county_codes[ind.code].name, county_codes[ind.code].unit) == (ind.name, ind.unit)
        assert county_codes[ind.code].kind is ind.kind
    extra = [i for i in county.indicators if not i.code.startswith("sy-zl2-")]
    assert [(i.code, i.name) for i in extra] == [("county-hrss-15", "高技能人才总量")]
    box = county.boxes[0]
    assert all(r.sample for r in box_rows(county, box) if r.kind == "indicator")
    assert county.region_code == "430522"


def test_region_override():
    plan, _ = load("county-hrss", region_code="430521", region_name="邵东市")
    assert (plan.region_code, plan.region_name) == ("430521", "邵东市")
    assert plan.title.startswith("邵东市")
    assert plan.indicator("sy-zl2-01") is not None


def test_jilin_task_items_are_tracked():
    plan, _ = load("jl-zl3")
    assert plan.issuer == "吉林省人民政府办公厅" and plan.region_code == "220000"
    box = plan.box("专栏3")
    assert box.is_task_box
    inds = plan.indicators_of("专栏3")
    assert [(i.task_item, i.unit, i.target.text) for i in inds] == [
        (1, "万人次", "105万人次"), (2, "万人", "8万人"), (2, "所", "10所"), (2, "个", "30个"),
        (3, "个", "50个"),
    ]
    assert inds[0].kind is Kind.CUMULATIVE_SUM and inds[0].target.value == 105
    assert inds[4].kind is Kind.CUMULATIVE_SUM


def test_zhejiang_growth_rate():
    plan, _ = load("zj-t2")
    ind = plan.indicator("zj-t2-15")
    assert ind.kind is Kind.GROWTH_RATE and ind.target.text == "6以上"
    assert all(i.base_label == "2020年预计" for i in plan.indicators)


# ---------------------------------------------------------------- printed cells vs seeds


@pytest.mark.parametrize("seed_name", sorted(GRID_SEEDS))
def test_box_prints_the_seed_table(seed_name):
    seed = load_seed(seed_name)["table"]
    template, label = GRID_SEEDS[seed_name]
    plan, actuals = load(template)
    box = plan.box(label)
    rows = box_rows(plan, box, actuals)

    # title: label + title, the seed may print a colon between them
    seed_title = nfkc(seed["title"])
    assert seed_title in (nfkc(box.label + box.title), nfkc(box.label + ":" + box.title))
    assert [nfkc(h) for h in header_cells(box)] == [nfkc(c["text"]) for c in seed["header_rows"][-1]]
    assert [nfkc(f) for f in box.footnotes] == [nfkc(f) for f in seed["footnotes"]]

    assert len(rows) == len(seed["rows"])
    for printed, want in zip(rows, seed["rows"]):
        if want["kind"] == "section":
            assert printed.kind == "section"
            assert nfkc(printed.cells[0]) == nfkc(want["text"])
            continue
        assert printed.kind == "indicator"
        seq = printed.cells[0].split(".")[0] if box.name_style == "numbered" else None
        for col, (got, expected) in enumerate(zip(printed.cells, want["cells"], strict=True)):
            if expected == "??":
                value = SAMPLE_VALUES.get((seed_name, seq, col))
                assert value is not None, f"no sample value for {seed_name} row {seq} col {col}"
                assert got == value, (seq, col)
                assert col in printed.sample_columns, (seq, col)
            else:
                assert nfkc(got) == nfkc(expected), (seed_name, want["cells"], col)
                assert col not in printed.sample_columns, (seed_name, seq, col)
        assert printed.indent == (1 if want.get("sub_item") else 0)
        if "merge" in want:
            assert printed.span == (want["merge"]["col"], want["merge"]["rowspan"])
        if any(c is None for c in want["cells"]):
            assert printed.covered == tuple(i for i, c in enumerate(want["cells"]) if c is None)
        if "??" in want["cells"]:
            assert printed.sample
    # every sample value of the README is used
    used = {(k[1], k[2]) for k in SAMPLE_VALUES if k[0] == seed_name}
    assert all((seq, col) in {(r.cells[0].split(".")[0], c) for r in rows for c in r.sample_columns}
               for seq, col in used)


def test_printed_names_use_full_width_punctuation():
    plan, _ = load("sy-zl2")
    box = plan.box("专栏2")
    assert printed_name(box, plan.indicator("sy-zl2-01")) == "1.城镇新增就业人数（万人）"
    assert printed_name(box, plan.indicator("sy-zl2-05")) == "5.其中：农民工参加职业培训人次（万人次）"
    zj, _ = load("zj-t2")
    assert printed_name(zj.box("表2"), zj.indicator("zj-t2-01")) == "人才资源总量"


def test_achieved_cell_is_the_end_year_actual():
    plan, actuals = load("sy-zl1")
    box = plan.box("专栏1")
    assert (plan.start_year, plan.end_year, plan.base_year) == (2016, 2020, 2015)
    row = next(r for r in box_rows(plan, box, actuals) if r.code == "sy-zl1-06")
    assert row.cells == ("6.失业保险参保人数", "万人", "36", "33.04")
    # a 快报 does not replace the 年报
    quick = Actual(code="sy-zl1-06", year=2020, value=None, nature=Nature.QUICK)
    row = next(r for r in box_rows(plan, box, [quick, *actuals]) if r.code == "sy-zl1-06")
    assert row.cells[3] == "33.04"
    # without actuals the cell is empty
    row = next(r for r in box_rows(plan, box, []) if r.code == "sy-zl1-06")
    assert row.cells[3] == ""


def test_jilin_items_print_as_the_seed():
    seed = load_seed("jilin_hr_dev_zl1-5_and_goals")
    plan, _ = load("jl-zl3")
    assert [b.label for b in plan.boxes] == [b["label"] for b in seed["boxes"]]
    for want in seed["boxes"]:
        box = plan.box(want["label"])
        assert box.title == want["title"]
        assert nfkc(box.caption).split() == nfkc(want["title_as_in_seed"]).split()
        rows = box_rows(plan, box)
        assert [r.kind for r in rows] == ["item"] * len(want["items"])
        assert [nfkc(r.cells[0]) for r in rows] == [nfkc(t) for t in want["items"]]
        assert [nfkc(printed_item(i)) for i in box.items] == [nfkc(t) for t in want["items"]]


def test_shaoyang_footnote_kept_as_printed():
    plan, _ = load("sy-zl2")
    assert nfkc(plan.box("专栏2").footnotes[0]) == "注:[]内为五年积累数。"


# ---------------------------------------------------------------- broken templates


def broken() -> dict:
    data = copy.deepcopy(resources.read_template("sy-zl2"))
    rows = data["boxes"][0]["rows"]
    rows[0]["target"] = ">>5"  # row 01: bad target
    rows[1]["name"] = ""  # row 02: missing name
    rows[2]["code"] = "sy-zl2-04"  # row 03 takes row 04's code; row 04 is then the duplicate
    rows[5]["kind"] = "sideways"  # row 06: unknown kind
    rows[6]["parent"] = "99"  # row 07: parent that does not exist
    rows[7]["section"] = "s9"  # row 08: unknown section
    data["actuals"] = [{"row": "zz", "year": 2021, "value": "1"},
                       {"row": "10", "year": 2021, "value": "abc"}]
    return data


def test_broken_template_returns_problems_not_exceptions():
    plan, actuals, problems = plan_from_template(broken())
    assert problems and all(p.severity is Severity.ERROR for p in problems)
    assert all("sy-zl2" in p.message for p in problems)
    by_field = {(p.code, p.field): p.message for p in problems}
    msg = by_field[("sy-zl2-01", "target")]
    assert ">>5" in msg and "01" in msg and "城镇新增就业人数" in msg
    assert ("sy-zl2-02", "name") in by_field and "第2行" in by_field[("sy-zl2-02", "name")]
    dup = by_field[("sy-zl2-04", "code")]
    assert "04" in dup and "重复" in dup
    assert "sideways" in by_field[("sy-zl2-06", "kind")]
    assert "99" in by_field[("sy-zl2-07", "parent")]
    assert "s9" in by_field[("sy-zl2-08", "section")]
    assert any("zz" in p.message for p in problems)
    assert any(p.field == "value" and "abc" in p.message for p in problems)
    codes = [i.code for i in plan.indicators]
    assert "sy-zl2-01" not in codes and "sy-zl2-02" not in codes
    assert codes.count("sy-zl2-04") == 1
    assert plan.indicator("sy-zl2-06").kind is Kind.LEVEL
    assert actuals == []


@pytest.mark.parametrize("data", [None, [], {}, {"format": FORMAT, "id": "x", "plan": 5,
                                                  "boxes": [5, {"rows": [5, {}]}]}])
def test_garbage_never_raises(data):
    plan, actuals, problems = plan_from_template(data)
    assert problems
    template_info(data)


def test_missing_plan_fields_are_named():
    data = copy.deepcopy(resources.read_template("zj-t2"))
    del data["plan"]["region_code"]
    data["plan"]["end_year"] = "later"
    _, _, problems = plan_from_template(data)
    fields = {p.field for p in problems}
    assert {"region_code", "end_year"} <= fields


# ---------------------------------------------------------------- round trip


@pytest.mark.parametrize("name", resources.template_names())
def test_plan_to_template_round_trip(name):
    plan, actuals = load(name)
    data = plan_to_template(plan, actuals)
    json.dumps(data, ensure_ascii=False)  # plain JSON data
    again, again_actuals, problems = plan_from_template(data)
    assert problems == []
    assert again == plan
    assert again_actuals == actuals
    assert box_rows(again, again.boxes[0], again_actuals) == box_rows(plan, plan.boxes[0], actuals)


def test_round_trip_of_a_renamed_template_keeps_codes():
    plan, actuals = load("county-hrss")
    data = plan_to_template(plan, actuals, template_id="my-county")
    again, _, problems = plan_from_template(data)
    assert problems == []
    assert [i.code for i in again.indicators] == [i.code for i in plan.indicators]
    assert again.template_id == "my-county"


def test_template_info_as_dict():
    info = template_info(resources.read_template("sy-zl2"))
    d = info.as_dict()
    json.dumps(d, ensure_ascii=False)
    assert d["name"] == "sy-zl2" and d["sample"] is True and d["indicator_count"] == 14
    assert d["region"] == "邵阳市（430500）" and d["period"] == "2021—2025年"
    assert info.sample is info.has_sample


def test_font_files_are_real_paths():
    for path in resources.font_files():
        assert path.is_file() and path.suffix.lower() in (".ttf", ".otf", ".ttc")
