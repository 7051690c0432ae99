"""Every bad input of issue 7 gives a Chinese message naming the file, sheet and cell and the
reason — as a problem in the preview, or as a refusal of the whole file; never a traceback."""
from __future__ import annotations

import time
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from desktop.cli import main
from desktop.intake.problems import IntakeRefused
from desktop.intake.table import read_table
from desktop.intake.values import read_values
from desktop.intake.workbook import OLE_MAGIC
from desktop.store.create import new_workspace

HEADER = ["序号", "指标名称", "单位", "2020年", "2025年", "属性"]
ROWS = [[1, "城镇新增就业人数", "万人", "4.72", "[>23.5]", "预期性"],
        [2, "城镇调查失业率", "%", "5.4", "5.5以内", "预期性"],
        [3, "失业保险参保人数", "万人", "33.04", "34", "约束性"]]


def book(path: Path, rows, *, title: str = "专栏2　主要指标", header=HEADER, merges=(), hidden=False) -> Path:  # type: ignore[no-untyped-def]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "指标表"
    ws.append([title])
    ws.append(header)
    for r in rows:
        ws.append(r)
    for m in merges:
        ws.merge_cells(m)
    if hidden:
        wb.create_sheet("封面").append(["某县人社局"])
        ws.sheet_state = "hidden"
    wb.save(path)
    return path


def messages(table) -> list[str]:  # type: ignore[no-untyped-def]
    return [p.message for p in table.errors]


def test_a_good_table_has_no_errors(tmp_path):
    table = read_table(book(tmp_path / "ok.xlsx", ROWS))
    assert table.ok and [i.name for i in table.indicators] == ["城镇新增就业人数", "城镇调查失业率", "失业保险参保人数"]


def test_no_recognisable_header(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.append(["2023年工作总结"])
    wb.active.append(["今年完成了很多工作", "见附件"])
    wb.save(tmp_path / "总结.xlsx")
    with pytest.raises(IntakeRefused) as err:
        read_table(tmp_path / "总结.xlsx")
    assert "总结.xlsx" in err.value.message and "找不到可识别的表头" in err.value.message


def test_two_columns_that_both_look_like_the_target(tmp_path):
    header = ["序号", "指标名称", "单位", "2020年", "2025年目标", "目标值"]
    table = read_table(book(tmp_path / "two.xlsx", [r[:5] + ["23.5"] for r in ROWS], header=header))
    [msg] = messages(table)
    assert "两列都像目标值" in msg and "E2" in msg and "F2" in msg and "two.xlsx" in msg


def test_merged_cells_spanning_data_rows(tmp_path):
    rows = [list(r) for r in ROWS]
    table = read_table(book(tmp_path / "merged.xlsx", rows, merges=["E3:E4"]))
    assert any("合并单元格 E3:E4" in m and "跨越 2 个数据行" in m and "工作表“指标表”" in m for m in messages(table))
    # a merged 单位 column is filled down with a note instead
    ok = read_table(book(tmp_path / "unit.xlsx", [ROWS[0], ROWS[0][:2] + [None] + ROWS[0][3:]], merges=["C3:C4"]))
    assert ok.ok and [i.unit for i in ok.indicators] == ["万人", "万人"]


def test_formula_without_a_cached_value(tmp_path):
    rows = [list(r) for r in ROWS]
    rows[1][3] = "=5+0.4"  # openpyxl saves formulas without computed values
    table = read_table(book(tmp_path / "formula.xlsx", rows))
    [msg] = messages(table)
    assert "D4" in msg and "公式" in msg and "没有保存计算结果" in msg


def test_formula_with_a_cached_value_reads_the_value(tmp_path):
    path = book(tmp_path / "cached.xlsx", ROWS)
    # write a cached value by hand, as Excel does: <c r="D4"><f>5+0.4</f><v>5.4</v></c>
    import zipfile

    src = zipfile.ZipFile(path)
    out = tmp_path / "cached2.xlsx"
    with zipfile.ZipFile(out, "w") as z:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = data.decode()
                start = text.index('<c r="D4"')
                end = text.index("</c>", start) + 4
                text = text[:start] + '<c r="D4"><f>5+0.4</f><v>5.4</v></c>' + text[end:]
                data = text.encode()
            z.writestr(item, data)
    table = read_table(out)
    assert table.ok and table.indicators[1].base == Decimal("5.4")


def test_a_date_where_a_number_belongs(tmp_path):
    rows = [list(r) for r in ROWS]
    rows[2][3] = datetime(2021, 3, 4)  # "3.4" typed into a cell Excel took for a date
    table = read_table(book(tmp_path / "date.xlsx", rows))
    [msg] = messages(table)
    assert "D5" in msg and "日期" in msg and "数值" in msg


def test_a_hidden_sheet(tmp_path):
    path = book(tmp_path / "hidden.xlsx", ROWS, hidden=True)
    with pytest.raises(IntakeRefused) as err:
        read_table(path)
    assert "隐藏工作表" in err.value.message and "取消隐藏" in err.value.message and "指标表" in err.value.message
    table = read_table(path, sheet="指标表")  # named on purpose: read, with a note
    assert table.ok and any("隐藏" in p.message for p in table.problems)


@pytest.mark.parametrize("name, words", [("旧表.xls", "Excel 97-2003"), ("wps表格.et", "WPS 表格")])
def test_xls_and_et_files_say_how_to_save_as_xlsx(tmp_path, name, words):
    path = tmp_path / name
    path.write_bytes(OLE_MAGIC + b"\0" * 500 + "Workbook".encode("utf-16-le") + b"\0" * 500)
    with pytest.raises(IntakeRefused) as err:
        read_table(path)
    assert name in err.value.message and words in err.value.message and "另存为" in err.value.message
    assert "*.xlsx" in err.value.message


def test_a_password_protected_workbook(tmp_path):
    """Encrypted OOXML is an OLE compound file holding EncryptionInfo and EncryptedPackage."""
    path = tmp_path / "加密.xlsx"
    path.write_bytes(OLE_MAGIC + b"\0" * 500 + "EncryptionInfo".encode("utf-16-le") + b"\0" * 64
                     + "EncryptedPackage".encode("utf-16-le") + b"\0" * 500)
    with pytest.raises(IntakeRefused) as err:
        read_table(path)
    assert "加密.xlsx" in err.value.message and "密码" in err.value.message


def test_not_a_workbook_at_all(tmp_path):
    path = tmp_path / "notes.xlsx"
    path.write_text("just text", encoding="utf-8")
    with pytest.raises(IntakeRefused) as err:
        read_table(path)
    assert "notes.xlsx" in err.value.message and "不是 Excel 工作簿" in err.value.message


def test_a_bad_target_is_named_by_cell(tmp_path):
    rows = [list(r) for r in ROWS]
    rows[0][4] = ">>23"
    table = read_table(book(tmp_path / "bad.xlsx", rows))
    [msg] = messages(table)
    assert "E3" in msg and "“>>23”" in msg and [i.name for i in table.indicators] == ["城镇调查失业率", "失业保险参保人数"]


def test_the_cli_gives_messages_not_tracebacks(tmp_path, capsys):
    ws = tmp_path / "ws.sqlite"
    new_workspace(ws, template="sy-zl2", region_code="430522", region_name="新邵县").close()
    (tmp_path / "a.xls").write_bytes(OLE_MAGIC + b"\0" * 100)
    assert main(["import-table", str(ws), "--xlsx", str(tmp_path / "a.xls")]) == 2
    rows = [list(r) for r in ROWS]
    rows[2][3] = datetime(2021, 3, 4)
    assert main(["import-table", str(ws), "--xlsx", str(book(tmp_path / "d.xlsx", rows))]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and "a.xls" in err and "D5" in err and "没有写入任何内容" in err


def test_a_big_workbook_reports_progress_and_reads_quickly(tmp_path):
    """20,000 indicator rows × 5 years (a ~2 MB sheet): streamed once, progress reported."""
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("数据")
    ws.append(["指标", "2021年", "2022年", "2023年", "2024年", "2025年"])
    ws.append(["城镇新增就业人数", 4.8, 5.0, 5.2, 5.1, 5.3])
    for n in range(20_000):
        ws.append([f"其他台账项目{n}", n, n + 1, n + 2, n + 3, n + 4])
    wb.save(tmp_path / "big.xlsx")
    calls: list[float] = []
    with new_workspace(tmp_path / "ws.sqlite", template="sy-zl2", region_code="430522", region_name="新邵县") as w:
        started = time.perf_counter()
        got = read_values(tmp_path / "big.xlsx", w.plan(), progress=lambda f, what: calls.append(f))
        elapsed = time.perf_counter() - started
    assert len(calls) >= 10 and calls[-1] == 1.0
    assert elapsed < 30
    assert got.cells[:2] == [("sy-zl2-01", 2021, Decimal("4.8")), ("sy-zl2-01", 2022, Decimal("5.0"))]
    assert len(got.errors) == 20_000  # every unknown name listed, none guessed


def test_section_rows_split_over_seq_and_name_columns(tmp_path):
    """一 | 就业 as a heading row of a table with its own 序号 column (a common bureau shape)."""
    rows = [["一", "就业"], *[list(r) for r in ROWS[:2]], ["二", "社会保障", None, None, None, None], list(ROWS[2])]
    table = read_table(book(tmp_path / "sections.xlsx", rows))
    assert table.ok and [s.title for s in table.box.sections] == ["一、就业", "二、社会保障"]
    assert [i.section for i in table.indicators] == ["s1", "s1", "s2"]


def test_a_two_row_header_with_merged_header_cells(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["表3　示例"])
    ws.append(["序号", "指标名称", "单位", "2020年", "2025年", "属性"])
    ws.append([None, None, None, "基期", "目标", None])
    for r in ROWS:
        ws.append(list(r))
    for col in "ABCF":
        ws.merge_cells(f"{col}2:{col}3")
    wb.save(tmp_path / "two-rows.xlsx")
    table = read_table(tmp_path / "two-rows.xlsx")
    assert table.ok, [p.message for p in table.errors]
    assert [i.target.text for i in table.indicators] == ["[>23.5]", "5.5以内", "34"]


def test_one_pass_names_every_bad_value_and_says_why_a_column_is_left_out(tmp_path):
    """A typo, a negative count and an absurd number are all listed at once (a user fixing the
    listed cells must not meet a new error on the next try); the base year and a year after the
    plan are columns left out, each with its own reason."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["指标", "2020年", "2021年", "2022年", "2026年"])
    ws.append(["城镇新增就业人数", 4.72, "4,8", -5, 6])
    ws.append(["失业保险参保人数", 33, 34.1, 1e44, None])
    wb.save(tmp_path / "values.xlsx")
    with new_workspace(tmp_path / "ws.sqlite", template="sy-zl2", region_code="430522", region_name="新邵县") as w:
        got = read_values(tmp_path / "values.xlsx", w.plan())
    errors = [p.message for p in got.errors]
    assert len(errors) == 3
    assert "C2" in errors[0] and "“4,8”" in errors[0]
    assert "D2" in errors[1] and "不能为负数" in errors[1]
    assert "D3" in errors[2] and "整数部分最多 15 位" in errors[2]
    warnings = [p.message for p in got.problems if p not in got.errors]
    assert any("B1" in m and "2020年是基期年份" in m for m in warnings)
    assert any("E1" in m and "2026年不在规划期 2021—2025 年内" in m for m in warnings)
    assert got.cells == [("sy-zl2-07", 2021, Decimal("34.1"))]


def test_a_table_of_values_is_not_taken_for_a_plan_table(tmp_path):
    """指标 × 2021年 2022年 and nothing else: imported as a plan table it added a second
    城镇新增就业人数 (found by the CLI sweep); it is refused with the way to import it."""
    wb = openpyxl.Workbook()
    wb.active.append(["指标代码", "指标", "2021年", "2022年"])
    wb.active.append(["sy-zl2-01", "城镇新增就业人数", 4.8, 5.0])
    wb.save(tmp_path / "values.xlsx")
    table = read_table(tmp_path / "values.xlsx")
    assert not table.ok
    assert any("这像是各年数值的表" in m and "导入实际值" in m for m in messages(table))
    plan_table = read_table(book(tmp_path / "ok.xlsx", ROWS))  # 2020年 and 2025年: base and target
    assert plan_table.ok
