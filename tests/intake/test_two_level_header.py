"""Two-level headers (浙江 表1: 规划目标 / 完成情况 over years), built from the seed table."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from desktop.cli import main
from desktop.domain.cells import box_rows
from desktop.domain.errors import ValueRefused
from desktop.domain.model import Nature
from desktop.domain.notation import parse_target
from desktop.intake.apply import import_table, table_plan_changes
from desktop.intake.table import read_table, split_name
from desktop.store.actions import apply_change
from desktop.store.create import new_workspace

from . import bureau_shapes as shapes

pytestmark = pytest.mark.usefixtures("seeds")

SEED = "zhejiang_t1_13th_talent_completion"
DASH = "—"


def seed_cells() -> list[list[str]]:
    _, rows = shapes.seed_rows(SEED)
    return [r["cells"] for r in rows]


def expected_values() -> list[tuple[str, int, Decimal, str, Nature | None]]:
    out = []
    for n, cells in enumerate(seed_cells(), start=1):
        for text, year, nature in ((cells[3], 2019, None), (cells[4], 2020, Nature.ESTIMATE)):
            if text != DASH:
                out.append((f"@{n}", year, Decimal(text), text, nature))
    return out


@pytest.mark.parametrize("upper", ["merged", "repeated", "blank"])
def test_zhejiang_t1_two_level_header_imports_the_seed_cells(tmp_path, upper):
    table = read_table(shapes.write_zhejiang_t1(tmp_path / f"浙江表1_{upper}.xlsx", upper=upper))
    assert table.ok, [p.message for p in table.errors]
    seed = shapes.load_seed(SEED)["table"]
    cells = seed_cells()
    assert (table.box.label, table.box.title) == ("表1", "“十三五”全省人才发展主要指标完成情况")
    assert table.box.footnotes == tuple(seed["footnotes"])
    assert (table.base_year, table.end_year, table.header_row) == (2015, 2020, 3)
    assert [(c.key, c.header, c.role) for c in table.box.columns] == [
        ("name", "指标名称", "name"), ("base", "2015年", "base"), ("target", "规划目标2020年", "target"),
        ("y2019", "完成情况2019年", "extra"), ("achieved", "完成情况2020年预计", "achieved"),
    ]
    want = []
    for c in cells:
        _, name, _, unit = split_name(c[0])
        base = None if c[1] == DASH else Decimal(c[1])
        extra = tuple((k, t) for k, t in (("y2019", c[3]), ("achieved", c[4])) if t != DASH)
        want.append((name, unit, c[1], base, c[2], parse_target(c[2], unit), extra))
    got = [(i.name, i.unit, i.base_text, i.base, i.target.text, i.target, i.extra) for i in table.indicators]
    assert got == want
    assert [i.name for i in table.indicators][7] == "每万名劳动力中R&D人员"
    assert [(i.unit, i.target.text) for i in table.indicators][8] == ("%", "29以上")
    assert [(v.code, v.year, v.value, v.text, v.nature) for v in table.values] == expected_values()
    # 完成度 is computed by the app: said in the preview, not imported
    notes = [p.message for p in table.problems]
    assert any("完成度" in m and "计算" in m and "不导入" in m for m in notes)
    assert all(not p.is_error for p in table.problems)
    assert not any("完成度" in (i.extra_cell("y2019") + i.extra_cell("achieved")) for i in table.indicators)
    # the preview shows every seed row as an indicator and the 注 line
    kinds = [r.kind for r in table.preview]
    assert kinds == ["indicator"] * len(cells) + ["footnote"]


def test_a_completion_table_goes_into_a_workspace_of_its_plan_period(tmp_path):
    table = read_table(shapes.write_zhejiang_t1(tmp_path / "表1.xlsx"))
    with new_workspace(tmp_path / "13th.sqlite", template="sy-zl1", region_code="330000", region_name="浙江省") as ws:
        assert (ws.plan().start_year, ws.plan().end_year) == (2016, 2020)
        changes, notes = table_plan_changes(ws.plan(), table)
        assert changes and not notes
        change = import_table(ws, table)
        plan = ws.plan()
        box = plan.box("表1")
        assert box is not None and box.footnotes == table.box.footnotes
        got = [(i.name, i.unit, i.base_text, i.target.text, i.extra) for i in plan.indicators_of("表1")]
        assert got == [(i.name, i.unit, i.base_text, i.target.text, i.extra) for i in table.indicators]
        # the printed box: 2015年 · 规划目标 · 2019年 · 2020年预计 as the seed prints them ("—" empty)
        printed = [r.cells[1:] for r in box_rows(plan, box)]
        assert printed == [tuple("" if t == DASH else t for t in c[1:5]) for c in seed_cells()]
        apply_change(ws, change.inverse())
        assert ws.plan().box("表1") is None


def test_a_completion_table_of_another_plan_period_is_refused_in_chinese(tmp_path, capsys):
    path = shapes.write_zhejiang_t1(tmp_path / "表1.xlsx")
    table = read_table(path)
    ws_path = tmp_path / "14th.sqlite"
    with new_workspace(ws_path, template="county-hrss", region_code="430522", region_name="新邵县") as ws:
        before = ws.plan()
        changes, notes = table_plan_changes(before, table)
        assert changes == [] and len(notes) == 1
        assert "2016—2020 年规划期" in notes[0] and "2021—2025" in notes[0] and "规划期不一致" in notes[0]
        with pytest.raises(ValueRefused, match="规划期不一致"):
            import_table(ws, table)
        assert ws.plan() == before
    code = main(["import-table", str(ws_path), "--xlsx", str(path)])
    out = capsys.readouterr()
    assert code == 2
    assert "规划期不一致" in out.out + out.err and "Traceback" not in out.out + out.err


def test_two_target_like_columns_under_a_two_level_header(tmp_path):
    table = read_table(shapes.write_zhejiang_t1(tmp_path / "bad.xlsx", two_targets=True))
    assert not table.ok
    [error] = table.errors
    assert "有两列都像目标值：C3“规划目标2020年”和D3“规划目标2020年目标”" in error.message
    assert error.cell == "C3,D3" and "bad.xlsx" in error.message


def test_a_one_row_header_with_a_second_header_row_is_left_as_before(tmp_path):
    """实际值 over years is not a target or completion group: the one-row reader keeps it."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["表3：测试"])
    ws.append(["指标", "单位", "2020年", "2025年", "实际值", None])
    ws.append([None, None, None, None, "2021年", "2022年"])
    ws.append(["城镇新增就业人数", "万人", 5, 25, 5.1, 5.2])
    path = Path(tmp_path / "t3.xlsx")
    wb.save(path)
    table = read_table(path)
    assert table.header_row == 2 and table.values == []
    assert [(i.name, i.base_text, i.target.text) for i in table.indicators] == [("城镇新增就业人数", "5", "25")]
