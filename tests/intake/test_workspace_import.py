"""Accepted imports into a workspace: one undo step; import → report → import again identical."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from desktop.cli import main
from desktop.domain.model import Nature
from desktop.intake.apply import import_actuals, import_table
from desktop.intake.table import read_table
from desktop.intake.values import read_values
from desktop.reports import ReportRequest, write_report
from desktop.store.actions import apply_change, set_actual
from desktop.store.create import new_workspace
from desktop.store.workspace import Workspace

from . import bureau_shapes as shapes

pytestmark = pytest.mark.usefixtures("seeds")


def workspace(tmp_path: Path, template: str = "county-hrss", name: str = "ws.sqlite") -> Workspace:
    return new_workspace(tmp_path / name, template=template, region_code="430522", region_name="新邵县")


def definition(ws: Workspace, label: str):  # type: ignore[no-untyped-def]
    plan = ws.plan()
    return plan.box(label), [(i.code, i.seq, i.name, i.unit, i.base_text, i.target.text, i.attribute, i.section, i.parent,
                              i.kind) for i in plan.indicators_of(label)]


def test_a_new_box_is_one_undoable_step(tmp_path):
    table = read_table(shapes.write_zhejiang_t2(tmp_path / "t2.xlsx"))
    with workspace(tmp_path) as ws:
        before = ws.plan()
        change = import_table(ws, table)
        after = ws.plan()
        assert after.box("表2") is not None and len(after.indicators_of("表2")) == 16
        assert after.catalogue_version != before.catalogue_version
        undone = apply_change(ws, change.inverse())
        assert ws.plan().box("表2") is None
        assert [i.code for i in ws.plan().indicators] == [i.code for i in before.indicators]
        apply_change(ws, undone.inverse())
        assert definition(ws, "表2")[1] == [(i.code, i.seq, i.name, i.unit, i.base_text, i.target.text, i.attribute,
                                              i.section, i.parent, i.kind) for i in after.indicators_of("表2")]


def test_importing_the_same_table_again_changes_nothing(tmp_path):
    path = shapes.write_shaoyang_zl2(tmp_path / "zl2.xlsx")
    with workspace(tmp_path, "sy-zl1") as ws:
        first = import_table(ws, read_table(path))
        assert not first.is_empty
        again = import_table(ws, read_table(path))
        assert again.is_empty


def test_an_existing_box_is_updated_in_place_and_keeps_codes_and_values(tmp_path):
    """A sy-zl2 workspace importing its own table typed by the bureau: same codes, values kept."""
    path = shapes.write_shaoyang_zl2(tmp_path / "zl2.xlsx", numbers_as_text=True)
    with workspace(tmp_path, "sy-zl2") as ws:
        set_actual(ws, "sy-zl2-01", 2021, Decimal("4.8"))
        box_before, rows_before = definition(ws, "专栏2")
        change = import_table(ws, read_table(path))
        box_after, rows_after = definition(ws, "专栏2")
        assert [r[0] for r in rows_after] == [r[0] for r in rows_before]  # the template's codes
        assert ws.actuals()["sy-zl2-01"][2021].value == Decimal("4.8")
        # only printed forms may differ (full-width title/footnote as typed), nothing is added
        assert not any(d.entity == "indicator" and d.old is None for d in change.definitions)
        apply_change(ws, change.inverse())
        assert definition(ws, "专栏2") == (box_before, rows_before)


def test_import_report_import_gives_identical_definition_and_values(tmp_path):
    """import → print the 专栏 table and the progress table to Excel → import both again."""
    with workspace(tmp_path, "sy-zl2", "a.sqlite") as ws:
        import_table(ws, read_table(shapes.write_zhejiang_t2(tmp_path / "t2.xlsx")))
        for year, value in ((2021, "1450"), (2022, "1490.5"), (2023, "1533")):
            set_actual(ws, ws.plan().indicators_of("表2")[0].code, year, Decimal(value))
        set_actual(ws, ws.plan().indicators_of("表2")[8].code, 2022, Decimal("7.75"))
        plan, actuals = ws.plan(), ws.actuals()
        write_report(plan, actuals, ReportRequest("box", box="表2"), xlsx=tmp_path / "box.xlsx")
        write_report(plan, actuals, ReportRequest("progress", year=2023), xlsx=tmp_path / "progress.xlsx")
        defined = definition(ws, "表2")
        assert import_table(ws, read_table(tmp_path / "box.xlsx")).is_empty
        assert definition(ws, "表2") == defined
    with workspace(tmp_path, "jl-zl3", "b.sqlite") as other:
        import_table(other, read_table(tmp_path / "box.xlsx"))
        got = read_values(tmp_path / "progress.xlsx", other.plan())
        assert got.ok, [p.message for p in got.errors]
        import_actuals(other, got.cells)
        mine = {(plan.indicator(c).name, y): a.value for c, ys in actuals.items() for y, a in ys.items()
                if plan.indicator(c).box == "表2"}
        theirs = {(other.plan().indicator(c).name, y): a.value for c, ys in other.actuals().items()
                  for y, a in ys.items() if other.plan().indicator(c).box == "表2"}
        assert theirs == mine and len(mine) == 4


def test_import_actuals_from_csv_matches_by_code_or_name_and_lists_unknown_names(tmp_path):
    csv = tmp_path / "values.csv"
    csv.write_text("指标代码,指标,2021年,2022年\nsy-zl2-01,,4.8,5.0\n,1.城镇调查失业率(%),5.3,5.2\n"
                   ",其中:农民工参加职业培训人次(万人次),1.1,\n,不存在的指标,1,2\n", encoding="utf-8-sig")
    with workspace(tmp_path, "sy-zl2") as ws:
        got = read_values(csv, ws.plan())
        assert [p.cell for p in got.errors] == ["B5"]
        assert "不存在的指标" in got.errors[0].message and "values.csv" in got.errors[0].message
        assert got.cells == [("sy-zl2-01", 2021, Decimal("4.8")), ("sy-zl2-01", 2022, Decimal("5.0")),
                             ("sy-zl2-02", 2021, Decimal("5.3")), ("sy-zl2-02", 2022, Decimal("5.2")),
                             ("sy-zl2-05", 2021, Decimal("1.1"))]
        assert main(["import-actuals", str(ws.path), "--csv", str(csv)]) == 1  # nothing written
        assert ws.actuals() == {}


def test_import_actuals_names_ambiguous_rows(tmp_path):
    """Two boxes with the same indicator name: the row is listed, not guessed."""
    with workspace(tmp_path, "sy-zl2") as ws:
        import_table(ws, read_table(shapes.write_shaoyang_zl1(tmp_path / "zl1.xlsx")))
        wb = openpyxl.Workbook()
        wb.active.append(["指标", "2021年"])
        wb.active.append(["失业保险参保人数", 33.5])
        wb.save(tmp_path / "v.xlsx")
        got = read_values(tmp_path / "v.xlsx", ws.plan())
        assert len(got.errors) == 1 and "对应多个指标" in got.errors[0].message and got.errors[0].cell == "A2"


def test_cli_import_table_and_actuals(tmp_path, capsys):
    ws_path = tmp_path / "cli.sqlite"
    assert main(["new", str(ws_path), "--template", "zj-t2", "--region", "430522", "--region-name", "新邵县"]) == 0
    xlsx = shapes.write_shaoyang_zl2(tmp_path / "zl2.xlsx")
    assert main(["import-table", str(ws_path), "--xlsx", str(xlsx), "--dry-run", "--json"]) == 0
    with Workspace.open(ws_path, read_only=True) as ws:
        assert ws.plan().box("专栏2") is None
    assert main(["import-table", str(ws_path), "--xlsx", str(xlsx)]) == 0
    err = capsys.readouterr().err
    assert "已导入" in err
    wb = openpyxl.Workbook()
    wb.active.append(["序号", "指标", "2021年", "2022年"])
    wb.active.append([1, "城镇新增就业人数（万人）", 4.8, "5.0"])
    wb.save(tmp_path / "v.xlsx")
    assert main(["import-actuals", str(ws_path), "--xlsx", str(tmp_path / "v.xlsx"), "--nature", "快报"]) == 0
    with Workspace.open(ws_path) as ws:
        code = next(i.code for i in ws.plan().indicators_of("专栏2") if i.name == "城镇新增就业人数")
        assert ws.actuals()[code][2022].value == Decimal("5.0")
        assert ws.actuals()[code][2022].nature is Nature.QUICK
