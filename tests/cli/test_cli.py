"""The CLI as a user drives it: real 邵阳 专栏2 rows, hand-computed progress, bad input."""
from __future__ import annotations

import re
import sqlite3
from pathlib import Path

CJK = re.compile("[\u4e00-\u9fff]")


def row(doc: dict, name: str) -> dict:
    hits = [i for i in doc["indicators"] if i["name"] == name]
    assert len(hits) == 1, name
    return hits[0]


def assert_refused(r, code: int = 2) -> None:
    assert r.code == code, (r.code, r.err)
    assert "Traceback" not in r.err + r.out
    assert CJK.search(r.err), r.err


def test_templates_json_lists_shaoyang_first(cli) -> None:
    r = cli("templates", "--json")
    assert r.code == 0, r.err
    items = r.json()
    names = [t["name"] for t in items]
    assert names[0] == "sy-zl2"
    assert {"sy-zl2", "sy-zl1", "zj-t2", "jl-zl3", "county-hrss"} <= set(names)
    assert all(t["title"] for t in items)


def test_show_json_matches_hand_computation(cli, county: Path) -> None:
    r = cli("show", county, "--year", "2023", "--json")
    assert r.code == 0, r.err
    doc = r.json()
    assert doc["year"] == 2023 and doc["time_progress"] == 0.6
    assert len(doc["indicators"]) == 14
    jobs = row(doc, "城镇新增就业人数")
    assert jobs["code"] == "sy-zl2-01"
    assert jobs["unit"] == "万人" and jobs["attribute"] == "预期性" and jobs["target_text"] == "[>23.5]"
    assert jobs["base"] == 4.72
    assert jobs["actuals"] == {"2021": 4.8, "2022": 5, "2023": 5.2}
    # cumulative: (4.8 + 5.0 + 5.2) / 23.5 = 0.63829…; time progress (2023-2020)/5 = 0.6
    assert jobs["completion"] == 0.6383
    assert jobs["time_progress"] == 0.6
    assert jobs["status"] == "基本符合"
    # trend of the flows 4.8, 5.0, 5.2 → 5.4 + 5.6: 26.0 by 2025 ≥ 23.5
    assert jobs["projection"]["verdict"] == "预计可完成"
    assert jobs["projection"]["value_at_end"] == 26
    assert jobs["projection"]["pace_needed"] == 4.25
    empty = row(doc, "工伤保险参保人数")
    assert empty["actuals"] == {} and empty["status"] == "无数据" and empty["completion"] is None


def test_binding_indicator_behind_asks_for_reason(cli, county: Path) -> None:
    assert cli("set", county, "--indicator", "失业保险参保人数", "--year", "2023", "--value", "33.5").code == 0
    doc = cli("show", county, "--year", "2023", "--json").json()
    unemp = row(doc, "失业保险参保人数")
    # (33.5 − 33.04) / (34 − 33.04) = 0.47916… < 0.6 − 0.05
    assert (unemp["completion"], unemp["status"], unemp["needs_reason"]) == (0.4792, "滞后", True)
    r = cli("check", county, "--year", "2023")
    assert r.code == 1
    assert "原因说明" in r.out
    cli("set", county, "--indicator", "失业保险参保人数", "--year", "2023", "--value", "33.5", "--note", "企业关停，参保流失")
    assert "失业保险参保人数”滞后" not in cli("check", county, "--year", "2023").out


def test_ceiling_is_met_or_not_without_a_percentage(cli, county: Path) -> None:
    for year, v in ((2021, "5.2"), (2022, "5.6"), (2023, "5.3")):
        assert cli("set", county, "--indicator", "城镇调查失业率", "--year", str(year), "--value", v).code == 0
    r = row(cli("show", county, "--year", "2023", "--json").json(), "城镇调查失业率")
    assert (r["status"], r["completion"], r["met"]) == ("未达标", None, False)
    r = row(cli("show", county, "--year", "2021", "--json").json(), "城镇调查失业率")
    assert (r["status"], r["met"]) == ("达标", True)


def test_text_show_prints_the_table(cli, county: Path) -> None:
    r = cli("show", county, "--year", "2023")
    assert r.code == 0, r.err
    assert "城镇新增就业人数" in r.out and "[>23.5]" in r.out and "63.8%" in r.out and "一、就业" in r.out


def test_value_forms_are_normalised(cli, county: Path) -> None:
    for text, stored in (("２３．５", 23.5), ("23.5万", 23.5), ("23.5万人", 23.5), ("1,234", 1234)):
        r = cli("set", county, "--indicator", "sy-zl2-01", "--year", "2024", "--value", text)
        assert r.code == 0, (text, r.err)
        assert row(cli("show", county, "--json").json(), "城镇新增就业人数")["actuals"]["2024"] == stored


def test_bad_values_are_refused_and_nothing_stored(cli, county: Path) -> None:
    for args in (
        ("--indicator", "城镇新增就业人数", "--year", "2024", "--value", "abc"),
        ("--indicator", "城镇新增就业人数", "--year", "2024", "--value", "--5"),
        ("--indicator", "城镇新增就业人数", "--year", "2024", "--value", "1,2,3"),
        ("--indicator", "城镇新增就业人数", "--year", "2024", "--value", "∞"),
        ("--indicator", "城镇新增就业人数", "--year", "2024", "--value", "23.5亿元"),
        ("--indicator", "城镇新增就业人数", "--year", "2024", "--value", "-3"),
        ("--indicator", "城镇新增就业人数", "--year", "2031", "--value", "1"),
        ("--indicator", "城镇新增就业人数", "--year", "2020", "--value", "1"),
        ("--indicator", "城镇新增就业人数", "--year", "二〇二四", "--value", "1"),
        ("--indicator", "不存在的指标", "--year", "2024", "--value", "1"),
    ):
        assert_refused(cli("set", county, *args))
    assert "2024" not in row(cli("show", county, "--json").json(), "城镇新增就业人数")["actuals"]


def test_messages_name_the_input(cli, county: Path) -> None:
    r = cli("set", county, "--indicator", "城镇新增就业人数", "--year", "2024", "--value", "abc")
    assert "abc" in r.err
    r = cli("set", county, "--indicator", "城镇新增就业人数", "--year", "2031", "--value", "1")
    assert "2031" in r.err


def test_ambiguous_name_lists_candidates(cli, county: Path) -> None:
    r = cli("set", county, "--indicator", "参保", "--year", "2024", "--value", "1")
    assert_refused(r)
    for name in ("基本养老保险参保率", "失业保险参保人数", "工伤保险参保人数"):
        assert name in r.err


def test_share_over_100_is_flagged_and_kept(cli, county: Path) -> None:
    r = cli("set", county, "--indicator", "基本养老保险参保率", "--year", "2023", "--value", "101.2")
    assert r.code == 0, r.err
    assert "提示" in r.err and "100%" in r.err
    assert row(cli("show", county, "--json").json(), "基本养老保险参保率")["actuals"]["2023"] == 101.2
    assert cli("check", county).code == 1


def test_new_refuses_bad_region_and_template(cli, tmp_path: Path) -> None:
    ws = tmp_path / "x.sqlite"
    for region in ("4305", "43052a", "990101"):
        r = cli("new", ws, "--template", "sy-zl2", "--region", region, "--region-name", "某县")
        assert_refused(r)
        assert region in r.err
    r = cli("new", ws, "--template", "nope", "--region", "430522", "--region-name", "新邵县")
    assert_refused(r)
    assert "sy-zl2" in r.err  # lists what exists
    assert not ws.exists()


def test_new_never_overwrites(cli, county: Path) -> None:
    before = county.read_bytes()
    assert_refused(cli("new", county, "--template", "sy-zl2", "--region", "430522", "--region-name", "新邵县"))
    assert county.read_bytes() == before


def test_unreadable_files_exit_3(cli, tmp_path: Path, county: Path) -> None:
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"not sqlite")
    assert_refused(cli("show", junk), 3)
    empty = tmp_path / "empty.sqlite"
    empty.write_bytes(b"")
    assert_refused(cli("show", empty), 3)
    other = tmp_path / "other.sqlite"
    con = sqlite3.connect(other)
    con.execute("create table t(x)")
    con.commit()
    con.close()
    assert_refused(cli("show", other), 3)
    newer = tmp_path / "newer.sqlite"
    newer.write_bytes(county.read_bytes())
    con = sqlite3.connect(newer)
    con.execute("pragma user_version = 99")
    con.commit()
    con.close()
    r = cli("show", newer)
    assert_refused(r, 3)
    assert "99" in r.err
    assert_refused(cli("show", tmp_path / "missing.sqlite"), 3)


def test_usage_errors_exit_2_in_chinese(cli, county: Path) -> None:
    assert_refused(cli("set", county, "--year", "2023", "--value", "1"))
    assert_refused(cli("bogus"))


def test_check_clean_workspace_exits_0(cli, county: Path) -> None:
    r = cli("check", county)
    assert r.code == 0, r.out + r.err
    r = cli("check", county, "--year", "2023", "--json")
    assert r.code == 1
    msgs = [p["message"] for p in r.json()["problems"]]
    assert any("工伤保险参保人数" in m for m in msgs)  # no 2023 value yet
