"""collect → departments fill their workbooks (done here by the test) → collect-in fills a year."""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from desktop.cli import main
from desktop.intake.apply import apply_collected
from desktop.intake.collect import (FILL_SHEET, FIRST_ROW, META_SHEET, NATURE_COL, NOTE_COL, VALUE_COL, collect_summary,
                                    read_collected, units_of, write_collect_workbooks)
from desktop.intake.problems import IntakeRefused
from desktop.store.actions import apply_change, set_actual
from desktop.store.create import new_workspace
from desktop.store.workspace import Workspace


@pytest.fixture
def ws(tmp_path: Path):  # noqa: ANN201
    w = new_workspace(tmp_path / "city.sqlite", template="sy-zl2", region_code="430500", region_name="邵阳市")
    set_actual(w, "sy-zl2-01", 2021, Decimal("4.8"))
    yield w
    w.close()


def fill(path: Path, values: dict[str, object], *, filler: str = "张三", nature: str | None = None,
         notes: dict[str, str] | None = None) -> None:
    """What a department does: type into the yellow cells and save (openpyxl keeps protection)."""
    wb = openpyxl.load_workbook(path)
    sheet = wb[FILL_SHEET]
    sheet["B4"] = filler
    sheet["E4"] = "0739-1234567"
    row = FIRST_ROW
    while sheet.cell(row, 1).value:
        code = sheet.cell(row, 1).value
        if code in values:
            sheet.cell(row, VALUE_COL).value = values[code]
            if not isinstance(values[code], datetime):
                sheet.cell(row, VALUE_COL).number_format = "General"
            if nature:
                sheet.cell(row, NATURE_COL).value = nature
            if notes and code in notes:
                sheet.cell(row, NOTE_COL).value = notes[code]
        row += 1
    wb.save(path)


def test_one_workbook_per_unit_protected_with_validation(ws, tmp_path):
    paths = write_collect_workbooks(ws.plan(), ws.actuals(), 2022, tmp_path / "out")
    units = units_of(ws.plan())
    assert len(paths) == len(units) == 8
    jobs = next(p for p in paths if "就业科" in p.name)
    wb = openpyxl.load_workbook(jobs)
    sheet = wb[FILL_SHEET]
    assert wb[META_SHEET].sheet_state == "veryHidden" and wb.security.lockStructure
    assert sheet.protection.sheet
    codes = [sheet.cell(r, 1).value for r in range(FIRST_ROW, FIRST_ROW + 3)]
    assert codes == ["sy-zl2-01", "sy-zl2-02", "sy-zl2-03"]  # only 就业科's indicators
    assert sheet.cell(FIRST_ROW + 3, 1).value is None or str(sheet.cell(FIRST_ROW + 3, 1).value).startswith("注")
    row = FIRST_ROW
    assert sheet.cell(row, 4).value == "万人" and sheet.cell(row, 6).value == 4.8  # unit and last year's value
    assert not sheet.cell(row, VALUE_COL).protection.locked and sheet.cell(row, 3).protection.locked
    kinds = {dv.type for dv in sheet.data_validations.dataValidation}
    assert kinds == {"decimal", "list"}
    decimal_dv = next(dv for dv in sheet.data_validations.dataValidation if dv.type == "decimal")
    assert f"G{FIRST_ROW}" in str(decimal_dv.sqref) and decimal_dv.showErrorMessage
    assert "填报说明" in wb.sheetnames


def test_round_trip_fills_a_year(ws, tmp_path):
    plan = ws.plan()
    paths = write_collect_workbooks(plan, ws.actuals(), 2022, tmp_path / "out")
    by_unit = {p.name.split("_")[1]: p for p in paths}
    fill(by_unit["就业科"], {"sy-zl2-01": 5.1, "sy-zl2-02": "5.3", "sy-zl2-03": 3.6}, nature="快报",
         notes={"sy-zl2-01": "人社局统计快报"})
    fill(by_unit["职业能力建设科"], {"sy-zl2-04": 2.4, "sy-zl2-05": 1.2, "sy-zl2-11": 0.7, "sy-zl2-12": 0.05})
    fill(by_unit["养老保险科"], {"sy-zl2-06": 84.2})  # 补充养老保险基金规模 left blank
    files = [read_collected(p, plan, ws.actuals()) for p in (by_unit["就业科"], by_unit["职业能力建设科"], by_unit["养老保险科"])]
    assert all(f.ok for f in files)
    assert files[0].filler == "张三" and files[0].unit == "就业科"
    assert [plan.indicator(c).name for c in files[2].missing] == ["补充养老保险基金规模"]
    summary = collect_summary(files, plan)
    assert set(summary.not_returned) == {"失业保险科", "工伤保险科", "专技科", "仲裁院", "监察支队"}
    change = apply_collected(ws, summary)
    assert len(change.cells) == 8
    a = ws.actual("sy-zl2-01", 2022)
    assert (a.value, a.nature.value, a.note, a.source) == (Decimal("5.1"), "快报", "人社局统计快报", "就业科填报")
    assert ws.actual("sy-zl2-06", 2022).value == Decimal("84.2")
    apply_change(ws, change.inverse())  # one undo step takes the whole collection back
    assert all(ws.actual(c, 2022) is None for c in ("sy-zl2-01", "sy-zl2-06", "sy-zl2-12"))


def test_conflicts_and_bad_cells_are_reported(ws, tmp_path):
    set_actual(ws, "sy-zl2-01", 2022, Decimal("5.0"))
    plan = ws.plan()
    paths = write_collect_workbooks(plan, ws.actuals(), 2022, tmp_path / "out", units=["就业科"])
    fill(paths[0], {"sy-zl2-01": 5.2, "sy-zl2-02": datetime(2022, 5, 3), "sy-zl2-03": "三点四"})
    got = read_collected(paths[0], plan, ws.actuals())
    assert got.conflicts == [("sy-zl2-01", Decimal("5.0"), Decimal("5.2"))]
    cells = sorted(p.cell for p in got.errors)
    assert cells == [f"G{FIRST_ROW + 1}", f"G{FIRST_ROW + 2}"]
    assert any("日期" in p.message for p in got.errors) and all(paths[0].name in p.message for p in got.errors)
    # fixed by the department: the conflict keeps the workspace value unless --overwrite
    fill(paths[0], {"sy-zl2-01": 5.2, "sy-zl2-02": 5.3, "sy-zl2-03": 3.4})
    got = read_collected(paths[0], plan, ws.actuals())
    assert got.ok, [p.message for p in got.problems]
    summary = collect_summary([got], plan)
    apply_collected(ws, summary)
    assert ws.actual("sy-zl2-01", 2022).value == Decimal("5.0") and ws.actual("sy-zl2-03", 2022).value == Decimal("3.4")
    apply_collected(ws, collect_summary([read_collected(paths[0], plan, ws.actuals())], plan, overwrite=True))
    assert ws.actual("sy-zl2-01", 2022).value == Decimal("5.2")


def test_two_files_filling_one_cell_differently_write_nothing(ws, tmp_path):
    plan = ws.plan()
    [path] = write_collect_workbooks(plan, ws.actuals(), 2022, tmp_path / "a", units=["就业科"])
    second = tmp_path / "b.xlsx"
    second.write_bytes(path.read_bytes())
    fill(path, {"sy-zl2-01": 5.1})
    fill(second, {"sy-zl2-01": 5.4})
    summary = collect_summary([read_collected(p, plan, ws.actuals()) for p in (path, second)], plan)
    assert not summary.ok and summary.between_files[0][0] == "sy-zl2-01"


def test_a_file_of_another_region_or_not_ours_is_refused(ws, tmp_path):
    other = new_workspace(tmp_path / "other.sqlite", template="sy-zl2", region_code="430522", region_name="新邵县")
    [path] = write_collect_workbooks(other.plan(), {}, 2022, tmp_path / "o", units=["就业科"])
    other.close()
    with pytest.raises(IntakeRefused) as err:
        read_collected(path, ws.plan(), ws.actuals())
    assert "新邵县" in err.value.message and path.name in err.value.message
    wb = openpyxl.Workbook()
    wb.save(tmp_path / "plain.xlsx")
    with pytest.raises(IntakeRefused) as err:
        read_collected(tmp_path / "plain.xlsx", ws.plan(), ws.actuals())
    assert "不是本程序生成的科室填报表" in err.value.message


def test_cli_collect_and_collect_in(ws, tmp_path, capsys):
    path = ws.path
    ws.close()
    out = tmp_path / "dept"
    assert main(["collect", str(path), "--year", "2023", "--out", str(out)]) == 0
    files = sorted(out.glob("*.xlsx"))
    assert len(files) == 8
    jobs = next(f for f in files if "就业科" in f.name)
    fill(jobs, {"sy-zl2-01": 5.3, "sy-zl2-02": 5.1})
    assert main(["collect-in", str(path), str(jobs), "--dry-run"]) == 0
    capsys.readouterr()
    assert main(["collect-in", str(path), str(out), "--json"]) == 0
    err = capsys.readouterr().err
    assert "就业科（填报人 张三" in err and "未收回" not in err
    with Workspace.open(path, read_only=True) as again:
        assert again.actual("sy-zl2-02", 2023).value == Decimal("5.1")
