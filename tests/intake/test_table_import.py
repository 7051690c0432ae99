"""Plan tables typed by a bureau import to the same plan as the bundled templates."""
from __future__ import annotations

import unicodedata

import pytest

import resources
from desktop.domain.cells import box_rows
from desktop.domain.template_format import plan_from_template
from desktop.intake.table import read_table, split_name

from . import bureau_shapes as shapes

pytestmark = pytest.mark.usefixtures("seeds")


def nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "")


def template(name: str):  # type: ignore[no-untyped-def]
    plan, actuals, problems = plan_from_template(resources.read_template(name))
    assert problems == []
    return plan, actuals


def printed(plan, box, actuals=()):  # type: ignore[no-untyped-def]
    return [(r.kind, tuple(nfkc(c) for c in r.cells), r.indent, r.span) for r in box_rows(plan, box, actuals)]


def same_indicators(imported, expected, *, kinds: bool = True) -> None:  # type: ignore[no-untyped-def]
    assert len(imported) == len(expected)
    codes = {}
    for got, want in zip(imported, expected):
        codes[got.code] = want.code
        assert (got.seq, got.name, got.unit) == (want.seq, want.name, want.unit)
        assert nfkc(got.target.text) == nfkc(want.target.text)
        assert got.target.value == want.target.value and got.target.comparator == want.target.comparator
        assert got.target.cumulative == want.target.cumulative
        assert (nfkc(got.base_text), got.base, got.base_label) == (nfkc(want.base_text), want.base, want.base_label)
        assert got.attribute == want.attribute
        assert (codes.get(got.parent) if got.parent else None) == want.parent
        if kinds:
            assert (got.name, got.kind, got.direction) == (want.name, want.kind, want.direction)


@pytest.mark.parametrize("fullwidth, as_text", [(True, False), (False, True)])
def test_shaoyang_zl2_imports_as_its_template(tmp_path, fullwidth, as_text):
    path = shapes.write_shaoyang_zl2(tmp_path / "邵阳专栏2.xlsx", fullwidth=fullwidth, numbers_as_text=as_text)
    table = read_table(path)
    assert table.ok, [p.message for p in table.errors]
    plan, actuals = template("sy-zl2")
    box = plan.box("专栏2")
    assert table.box.label == "专栏2"
    assert nfkc(table.box.title) == nfkc(box.title)
    assert [nfkc(f) for f in table.box.footnotes] == [nfkc(f) for f in box.footnotes]
    assert [(c.role, c.header) for c in table.box.columns] == [(c.role, c.header) for c in box.columns]
    assert (table.box.name_style, table.box.section_style, table.box.unit_in_name) == ("numbered", "rows", True)
    assert [s.title for s in table.box.sections] == [s.title for s in box.sections]
    same_indicators(table.indicators, plan.indicators_of("专栏2"))
    mine = table.plan()
    assert printed(mine, mine.box("专栏2")) == printed(plan, box)
    assert (table.base_year, table.end_year) == (2020, 2025)
    # the extra columns are named, not silently dropped
    assert any("备注" in p.message and not p.is_error for p in table.problems)


@pytest.mark.parametrize("unit_in_name", [False, True])
def test_zhejiang_t2_imports_as_its_template(tmp_path, unit_in_name):
    path = shapes.write_zhejiang_t2(tmp_path / "浙江表2.xlsx", unit_in_name=unit_in_name)
    table = read_table(path)
    assert table.ok, [p.message for p in table.errors]
    plan, _ = template("zj-t2")
    box = plan.box("表2")
    assert (table.box.label, nfkc(table.box.title)) == ("表2", nfkc(box.title))
    assert [s.title for s in table.box.sections] == ["人才总量", "人才结构", "人才效能和环境"]
    same_indicators(table.indicators, plan.indicators_of("表2"))
    if not unit_in_name:
        assert [(c.role, c.header) for c in table.box.columns] == [(c.role, c.header) for c in box.columns]
        mine = table.plan()
        assert printed(mine, mine.box("表2")) == printed(plan, box)


def test_shaoyang_zl1_imports_as_its_template(tmp_path):
    table = read_table(shapes.write_shaoyang_zl1(tmp_path / "专栏1.xlsx"))
    assert table.ok, [p.message for p in table.errors]
    plan, actuals = template("sy-zl1")
    box = plan.box("专栏1")
    assert [(c.role, nfkc(c.header)) for c in table.box.columns] == [(c.role, nfkc(c.header)) for c in box.columns]
    same_indicators(table.indicators, plan.indicators_of("专栏1"), kinds=False)
    mine = table.plan()
    assert printed(mine, mine.box("专栏1")) == printed(plan, box, actuals)
    assert [nfkc(f) for f in table.box.footnotes] == [nfkc(f) for f in box.footnotes]


def test_jilin_zl3_quantified_items_import_as_the_template_indicators(tmp_path):
    table = read_table(shapes.write_jilin_zl3(tmp_path / "吉林专栏3.xlsx"))
    assert table.ok, [p.message for p in table.errors]
    plan, _ = template("jl-zl3")
    assert table.box.label == "专栏3"
    want = plan.indicators_of("专栏3")
    assert [(i.name, i.unit, i.target.text, i.target.value, i.kind) for i in table.indicators] == [
        (i.name, i.unit, i.target.text, i.target.value, i.kind) for i in want
    ]
    assert any("对应任务" in p.message for p in table.problems)  # the extra column is named


def test_split_name_reads_the_printed_forms():
    assert split_name("5.其中:农民工参加职业培训人次(万人次)") == ("5", "农民工参加职业培训人次", True, "万人次")
    assert split_name("9．补充养老保险基金规模（亿元）") == ("9", "补充养老保险基金规模", False, "亿元")
    assert split_name("人才资源总量") == ("", "人才资源总量", False, "")
    assert split_name("省委组织部（人才办）") == ("", "省委组织部（人才办）", False, "")
