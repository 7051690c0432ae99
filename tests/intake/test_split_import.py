"""Importing a 目标分解表 workbook (regions × indicators, or transposed) into a city workspace."""
from __future__ import annotations

import json
from datetime import datetime

import openpyxl
import pytest

from desktop.cli import main
from desktop.intake.split import check_split, set_split_target, split_targets
from desktop.intake.split_table import read_split_table
from desktop.store.create import new_workspace
from desktop.store.workspace import Workspace

COUNTIES = [("430522", "新邵县"), ("430523", "邵阳县"), ("430524", "隆回县")]


@pytest.fixture
def city_path(tmp_path):  # noqa: ANN001, ANN201
    path = tmp_path / "city.sqlite"
    new_workspace(path, template="sy-zl2", region_code="430500", region_name="邵阳市").close()
    return path


def write_book(path, rows, title="分解表"):  # noqa: ANN001, ANN201
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def by_region(employment=("[>8.5]", "[>7]", "[>8]")):  # noqa: ANN001, ANN201
    """One row per county: 8.5 + 7 + 8 = 23.5, the city's [>23.5]."""
    rows = [["邵阳市“十四五”人社规划目标分解表"],
            ["区划代码", "地区", "城镇新增就业人数(万人)", "城镇调查失业率", "sy-zl2-07"]]
    for (code, name), emp, ins in zip(COUNTIES, employment, (12, 10, 12)):
        rows.append([code, name, emp, "5.5以内", ins])
    rows.append(["430500", "邵阳市", "[>23.5]", "<5.5", 34])  # the city's own total row: skipped
    return rows


def test_by_region_layout_imports_and_sums_match(city_path, tmp_path, capsys):
    book = write_book(tmp_path / "fj.xlsx", by_region())
    assert main(["split-import", str(city_path), "--xlsx", str(book)]) == 0
    assert "已导入 9 项分解目标（3 个地区 × 3 项指标）" in capsys.readouterr().err
    with Workspace.open(city_path, read_only=True) as ws:
        splits = split_targets(ws)
        assert splits["sy-zl2-01"] == {"430522": {"name": "新邵县", "target": "[>8.5]"},
                                       "430523": {"name": "邵阳县", "target": "[>7]"},
                                       "430524": {"name": "隆回县", "target": "[>8]"}}
        assert splits["sy-zl2-02"]["430523"]["target"] == "5.5以内"
        assert splits["sy-zl2-07"]["430524"]["target"] == "12"
        assert check_split(ws.plan(), splits) == []
        audit = ws.connection.execute("SELECT count(*) FROM audit WHERE action = 'split'").fetchone()[0]
        assert audit == 1  # one transaction, one audit row
    out = tmp_path / "longhui.sqlite"
    assert main(["split-export", str(city_path), "--region", "430524", "--out", str(out)]) == 0
    with Workspace.open(out, read_only=True) as county:
        plan = county.plan()
        assert plan.region_name == "隆回县"
        assert plan.indicator("sy-zl2-01").target.text == "[>8]"
        assert plan.indicator("sy-zl2-02").target.text == "5.5以内"


def test_a_sum_that_misses_the_city_target_is_exit_1(city_path, tmp_path, capsys):
    book = write_book(tmp_path / "fj.xlsx", by_region(("[>8]", "[>6]", "[>8]")))  # 22
    assert main(["split-import", str(city_path), "--xlsx", str(book)]) == 1
    err = capsys.readouterr().err
    assert "合计 22万人" in err and "少 1.5万人" in err and "不一致" in err
    with Workspace.open(city_path, read_only=True) as ws:
        assert split_targets(ws)["sy-zl2-01"]["430522"]["target"] == "[>8]"  # imported all the same


def test_transposed_layout_with_names_of_known_regions(city_path, tmp_path):
    with Workspace.open(city_path) as ws:  # the counties are known (split to before)
        for code, name in COUNTIES:
            set_split_target(ws, "sy-zl2-04", code, name, "[>3]")
    rows = [["指标", "单位", "新邵县", "邵阳县", "隆回县(430524)"],
            ["城镇新增就业人数", "万人", "[>8.5]", "[>7]", "[>8]"],
            ["开展各类职业培训人次", "万人次", "[>4]", "[>3]", "[>3]"]]
    book = write_book(tmp_path / "t.xlsx", rows)
    with Workspace.open(city_path) as ws:
        table = read_split_table(book, ws)
        assert table.ok and table.transposed, table.problems
        assert ("sy-zl2-01", "430523", "邵阳县", "[>7]") in table.rows and len(table.rows) == 6
    assert main(["split-import", str(city_path), "--xlsx", str(book), "--json"]) == 0
    with Workspace.open(city_path, read_only=True) as ws:
        assert split_targets(ws)["sy-zl2-04"]["430522"]["target"] == "[>4]"
        assert check_split(ws.plan(), split_targets(ws)) == []


def test_bad_workbook_lists_every_problem_and_writes_nothing(city_path, tmp_path, capsys):
    rows = [["区划代码", "地区", "城镇新增就业人数（万人）", "新增就业岗位数", "城镇调查失业率"],
            ["430522", "新邵县", "[>8.5]", "3", "<5.5"],
            ["", "武冈县", "[>7]", "", ""],
            ["430524", "隆回县", ">>2", "", datetime(2021, 3, 4)]]
    book = write_book(tmp_path / "bad.xlsx", rows)
    with Workspace.open(city_path, read_only=True) as ws:
        before = split_targets(ws)
    assert main(["split-import", str(city_path), "--xlsx", str(book), "--json"]) == 2
    captured = capsys.readouterr()
    report = json.loads(captured.out)
    cells = {p["cell"]: p["message"] for p in report["problems"]}
    assert "武冈县" in cells["B3"] and "区划代码" in cells["B3"]
    assert "新增就业岗位数" in cells["D1"]
    assert ">>2" in cells["C4"] and "bad.xlsx" in cells["C4"] and "分解表" in cells["C4"]
    assert "日期" in cells["E4"]
    assert "未导入任何分解目标" in captured.err
    with Workspace.open(city_path, read_only=True) as ws:
        assert split_targets(ws) == before


def test_dry_run_writes_nothing(city_path, tmp_path, capsys):
    book = write_book(tmp_path / "fj.xlsx", by_region(("[>8]", "[>6]", "[>8]")))
    assert main(["split-import", str(city_path), "--xlsx", str(book), "--dry-run"]) == 1  # the check still runs
    assert "未写入" in capsys.readouterr().err
    with Workspace.open(city_path, read_only=True) as ws:
        assert split_targets(ws) == {}


def test_empty_unreadable_and_headerless_files(city_path, tmp_path, capsys):
    empty = write_book(tmp_path / "empty.xlsx", [])
    assert main(["split-import", str(city_path), "--xlsx", str(empty)]) == 2
    assert "是空的" in capsys.readouterr().err
    plain = write_book(tmp_path / "plain.xlsx", [["甲", "乙"], [1, 2]])
    assert main(["split-import", str(city_path), "--xlsx", str(plain)]) == 2
    assert "找不到目标分解表的表头" in capsys.readouterr().err
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"not a workbook")
    assert main(["split-import", str(city_path), "--xlsx", str(junk)]) == 3
    assert main(["split-import", str(city_path), "--xlsx", str(plain), "--sheet", "无此表"]) == 3


def test_region_outside_the_city_is_refused(city_path, tmp_path):
    rows = [["区划代码", "地区", "城镇新增就业人数"], ["430122", "望城区", "[>1]"]]
    book = write_book(tmp_path / "out.xlsx", rows)
    with Workspace.open(city_path, read_only=True) as ws:
        table = read_split_table(book, ws)
    [p] = table.errors
    assert p.cell == "A2" and "不在本级" in p.message


def test_dialog_imports_a_workbook(qtbot, city_path, tmp_path):
    import os
    from pathlib import Path

    from desktop.ui.dialogs.split_targets import SplitTargetsDialog

    look = Path(os.environ.get("SPLIT_LOOK_DIR", "/tmp/split-look"))
    bad = write_book(tmp_path / "bad.xlsx", [["地区", "城镇新增就业人数"], ["武冈县", "[>1]"]])
    good = write_book(tmp_path / "fj.xlsx", by_region(("[>8]", "[>6]", "[>8]")))
    with Workspace.open(city_path) as ws:
        dialog = SplitTargetsDialog(None, ws)
        qtbot.addWidget(dialog)
        dialog.show()
        assert dialog.import_button.text() == "从 Excel 导入…"
        job = dialog.import_workbook(bad)
        qtbot.waitUntil(lambda: getattr(dialog, "last_box", None) is not None, timeout=15000)
        job.wait(5000)
        assert "武冈县" in dialog.last_box.text() and "A2" in dialog.last_box.text()
        assert split_targets(ws) == {} and dialog.table.rowCount() == 0
        dialog.last_box = None
        dialog.import_workbook(good)
        qtbot.waitUntil(lambda: getattr(dialog, "last_box", None) is not None, timeout=15000)
        assert "已从“fj.xlsx”导入 9 项" in dialog.last_box.text() and "少 1.5万人" in dialog.last_box.text()
        assert dialog.code == "sy-zl2-01" and dialog.table.rowCount() == 3
        assert dialog.table.item(1, 2).text() == "[>6]"
        try:
            look.mkdir(parents=True, exist_ok=True)
            dialog.grab().save(str(look / "split-import-dialog.png"))
            dialog.last_box.grab().save(str(look / "split-import-result.png"))
        except OSError:
            pass


def test_a_corner_header_and_name_with_code_in_one_cell(city_path, tmp_path):
    rows = [["地区\\指标", "城镇新增就业人数", "sy-zl2-04"], ["新邵县(430522)", "[>1]", "[>2]"]]
    book = write_book(tmp_path / "corner.xlsx", rows)
    with Workspace.open(city_path, read_only=True) as ws:
        table = read_split_table(book, ws)
    assert table.ok and not table.transposed
    assert table.rows == [("sy-zl2-01", "430522", "新邵县", "[>1]"), ("sy-zl2-04", "430522", "新邵县", "[>2]")]
