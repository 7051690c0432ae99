"""Department fill-in workbooks (科室填报表): one .xlsx per 责任单位 with only its indicators,
and reading them back.

``write_collect_workbooks(plan, actuals, year, out_dir)`` writes, per responsible unit, a
workbook whose sheet 填报 lists the unit's indicators with code, name, unit, target, last
year's value, and the input cells (this year's value, data nature, 说明) — the only unlocked
cells of a protected sheet, with data validation (a decimal number; 快报/年报/预计) — plus the
filler's name and phone, a sheet of instructions, and a very hidden sheet ``_planledger``
identifying the plan, year and unit so the file can be checked when it comes back.

``read_collected(path, plan, actuals)`` reads one returned workbook: every value validated
(number, date, uncomputed formula, the domain's ``check_value``), the indicators left blank,
and conflicts with values already in the workspace. ``collect_summary`` combines several
files (two units filling the same cell is a conflict too). The write is the caller's
(``desktop.intake.apply.apply_collected``): one transaction, one undo step.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from desktop.domain.errors import NotationError, Severity
from desktop.domain.model import Actual, Indicator, Nature, Plan
from desktop.domain.notation import format_decimal, parse_value
from desktop.domain.validation import check_value
from desktop.store import outputs

from .problems import FindingsMixin, IntakeProblem, IntakeRefused
from .workbook import Book, address, cell_text, is_date

__all__ = ["FORMAT", "write_collect_workbooks", "read_collected", "CollectedFile", "CollectedValue",
           "collect_summary", "CollectSummary", "units_of", "UNASSIGNED"]

FORMAT = "planledger-collect/1"
META_SHEET = "_planledger"
FILL_SHEET = "填报"
HELP_SHEET = "填报说明"
UNASSIGNED = "未指定责任单位"
HEADERS = ("指标代码", "序号", "指标", "单位", "目标值", "{prev}年数值", "{year}年数值（请填写）", "数据性质", "说明（请填写）")
VALUE_COL, NATURE_COL, NOTE_COL = 7, 8, 9
FIRST_ROW = 6  # first indicator row
FILLER_CELLS = {"填报人": "B4", "联系电话": "E4"}
_INPUT_FILL = "FFF2CC"


def units_of(plan: Plan) -> dict[str, list[Indicator]]:
    """Indicators by 责任单位, in printed order (task-box items without a number are skipped)."""
    out: dict[str, list[Indicator]] = {}
    for ind in plan.indicators:
        if ind.target.qualitative:
            continue
        out.setdefault(ind.responsible.strip() or UNASSIGNED, []).append(ind)
    return out


def _safe(name: str) -> str:
    return re.sub(r'[\\/:*?"<>|\s]+', "_", name).strip("_") or "科室"


def _number(value: Decimal | None):  # type: ignore[no-untyped-def]
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() and abs(value) < 10**15 else float(format_decimal(value))


def write_collect_workbooks(plan: Plan, actuals: dict[str, dict[int, Actual]], year: int, out_dir: Path | str,
                            *, units: list[str] | None = None) -> list[Path]:
    """One workbook per 责任单位 (or only ``units``); returns the paths written."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
    from openpyxl.workbook.protection import WorkbookProtection
    from openpyxl.worksheet.datavalidation import DataValidation

    if not plan.start_year <= year <= plan.end_year:
        raise IntakeRefused(f"年份 {year} 不在规划期 {plan.start_year}—{plan.end_year} 年内")
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise IntakeRefused(f"“{out}”是一个文件，不是文件夹；请指定保存填报表的文件夹")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise IntakeRefused(f"无法创建文件夹“{out}”：{outputs.reason(exc)}") from exc
    groups = units_of(plan)
    if units:
        unknown = [u for u in units if u not in groups]
        if unknown:
            raise IntakeRefused(f"没有责任单位“{'、'.join(unknown)}”；本规划的责任单位有：{'、'.join(groups)}")
        groups = {u: groups[u] for u in units}
    if not groups:
        raise IntakeRefused("规划中没有可填报的数值指标")
    thin = Side(style="thin", color="808080")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    input_fill = PatternFill("solid", fgColor=_INPUT_FILL)
    head_fill = PatternFill("solid", fgColor="D9E1F2")
    written: list[Path] = []
    for unit, indicators in groups.items():
        wb = Workbook()
        ws = wb.active
        ws.title = FILL_SHEET
        prev = year - 1
        ncols = len(HEADERS)
        ws.cell(1, 1, plan.title)
        ws.cell(2, 1, f"{year}年度规划指标数据填报表（{unit}）")
        ws.cell(3, 1, f"请在黄色单元格中填写 {year} 年数值（只填数字，单位见“单位”列），"
                      f"可注明数据性质和说明；其他单元格已锁定。填好后保存，发回{plan.region_name}规划牵头科室。")
        ws.cell(4, 1, "填报人")
        ws.cell(4, 4, "联系电话")
        ws.cell(4, 7, "填报单位")
        ws.cell(4, 8, unit)
        for key, ref in FILLER_CELLS.items():
            ws[ref].protection = Protection(locked=False)
            ws[ref].fill = input_fill
            ws[ref].border = border
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=ncols)
        ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=ncols)
        ws.merge_cells(start_row=3, start_column=1, end_row=3, end_column=ncols)
        ws.merge_cells("B4:C4")
        ws.merge_cells("E4:F4")
        ws.merge_cells("H4:I4")
        ws["A1"].font = Font(name="黑体", size=14, bold=True)
        ws["A2"].font = Font(name="黑体", size=12)
        for ref in ("A1", "A2"):
            ws[ref].alignment = Alignment(horizontal="center")
        ws["A3"].alignment = Alignment(wrap_text=True, vertical="center")
        ws.row_dimensions[3].height = 36
        for ref in ("A4", "D4", "G4"):
            ws[ref].font = Font(bold=True)
            ws[ref].alignment = Alignment(horizontal="right")
        ws.row_dimensions[FIRST_ROW - 1].height = 30
        headers = [h.format(prev=prev, year=year) for h in HEADERS]
        for c, text in enumerate(headers, start=1):
            cell = ws.cell(FIRST_ROW - 1, c, text)
            cell.font = Font(bold=True)
            cell.fill = head_fill
            cell.border = border
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        values = DataValidation(type="decimal", operator="between", formula1="-1000000000000", formula2="1000000000000",
                                allow_blank=True, showErrorMessage=True, errorTitle="数值无效",
                                error="请填写数字（不带单位和文字），如 4.8；没有数据请留空并在“说明”中注明。",
                                showInputMessage=True, promptTitle="填写数值", prompt=f"{year}年数值，单位见“单位”列")
        natures = DataValidation(type="list", formula1='"快报,年报,预计"', allow_blank=True, showErrorMessage=True,
                                 errorTitle="数据性质", error="请选择 快报、年报 或 预计")
        ws.add_data_validation(values)
        ws.add_data_validation(natures)
        row = FIRST_ROW
        for ind in indicators:
            last = actuals.get(ind.code, {}).get(prev)
            now = actuals.get(ind.code, {}).get(year)
            cells = [ind.code, ind.seq, ("其中：" if ind.is_sub_item else "") + ind.name, ind.unit, ind.target.text,
                     _number(last.value) if last is not None else (ind.base_text if prev == plan.base_year else None),
                     _number(now.value) if now is not None else None,
                     now.nature.value if now is not None else None, now.note if now is not None else None]
            for c, v in enumerate(cells, start=1):
                cell = ws.cell(row, c, v)
                cell.border = border
                if c in (VALUE_COL, NATURE_COL, NOTE_COL):
                    cell.protection = Protection(locked=False)
                    cell.fill = input_fill
            ws.cell(row, 5).number_format = "@"  # targets as written
            ws.row_dimensions[row].height = 20
            values.add(ws.cell(row, VALUE_COL))
            natures.add(ws.cell(row, NATURE_COL))
            row += 1
        ws.cell(row + 1, 1, f"注：本表由规划指标台账生成，共 {len(indicators)} 个指标。请勿增删行列或修改指标代码；"
                             "黄色以外的单元格已锁定。")
        ws.merge_cells(start_row=row + 1, start_column=1, end_row=row + 1, end_column=ncols)
        for col, width in zip("ABCDEFGHI", (13, 6, 40, 9, 12, 13, 20, 10, 28)):
            ws.column_dimensions[col].width = width
        ws.freeze_panes = ws.cell(FIRST_ROW, 1)
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.print_title_rows = f"{FIRST_ROW - 1}:{FIRST_ROW - 1}"
        ws.protection.sheet = True
        ws.protection.formatColumns = False  # widths may still be adjusted
        ws.protection.formatRows = False

        help_ws = wb.create_sheet(HELP_SHEET)
        lines = [
            "填报说明",
            f"1. 本表是{plan.region_name}{year}年度规划指标数据填报表，由{unit}填写。",
            f"2. 只在“填报”工作表的黄色单元格中填写：{year}年数值、数据性质（快报/年报/预计）、说明，以及填报人和联系电话。",
            "3. 数值只填数字，不带单位、百分号或文字；单位见“单位”列（如 % 的指标填 5.2，不填 5.2%）。",
            f"4. “{prev}年数值”一列供对照，请勿修改；与上年差别较大的，请在“说明”中写明原因。",
            "5. 暂无数据的指标请留空，并在“说明”中注明原因和预计提供时间。",
            "6. 请勿增删行列、修改指标代码或工作表名称；保存为 .xlsx 格式后发回。",
        ]
        for n, text in enumerate(lines, start=1):
            help_ws.cell(n, 1, text).alignment = Alignment(wrap_text=True)
        help_ws["A1"].font = Font(name="黑体", size=14, bold=True)
        help_ws.column_dimensions["A"].width = 90
        help_ws.page_setup.paperSize = help_ws.PAPERSIZE_A4
        help_ws.sheet_properties.pageSetUpPr.fitToPage = True
        help_ws.page_setup.fitToWidth = 1
        help_ws.page_setup.fitToHeight = 0
        help_ws.protection.sheet = True

        meta = wb.create_sheet(META_SHEET)
        for key, value in (("format", FORMAT), ("region_code", plan.region_code), ("region_name", plan.region_name),
                           ("plan", plan.title), ("catalogue_version", plan.catalogue_version), ("year", year),
                           ("unit", unit), ("codes", ",".join(i.code for i in indicators))):
            meta.append([key, value])
        meta.sheet_state = "veryHidden"
        meta.protection.sheet = True
        wb.security = WorkbookProtection(lockStructure=True)
        path = out / f"{year}年_{_safe(unit)}_指标填报表.xlsx"
        temp = path.with_name(f".~{path.stem}.{os.getpid()}.tmp.xlsx")
        try:
            wb.save(temp)
        except OSError as exc:
            outputs.discard(temp)
            raise outputs.write_refused(path, exc) from exc
        outputs.replace(temp, path)  # a form already there (perhaps filled in) is kept as a backup
        written.append(path)
    return written


# --------------------------------------------------------------------------- reading back


@dataclass(frozen=True)
class CollectedValue:
    code: str
    year: int
    value: Decimal
    nature: Nature | None
    note: str
    row: int


@dataclass
class CollectedFile(FindingsMixin):
    file: Path
    unit: str = ""
    year: int | None = None
    filler: str = ""
    phone: str = ""
    values: list[CollectedValue] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # codes left blank
    unchanged: list[str] = field(default_factory=list)  # codes whose value equals the workspace's
    conflicts: list[tuple[str, Decimal, Decimal]] = field(default_factory=list)  # code, in workspace, in file
    problems: list[IntakeProblem] = field(default_factory=list)


def read_collected(path: Path | str, plan: Plan, actuals: dict[str, dict[int, Actual]]) -> CollectedFile:
    """Read one returned fill-in workbook (see the module docstring). Raises ``IntakeRefused``
    for a file that is not one of ours, or is for another plan or region."""
    path = Path(path)
    out = CollectedFile(path)
    with Book(path) as book:
        names = dict(book.names())
        if META_SHEET not in names or FILL_SHEET not in names:
            raise IntakeRefused(f"文件“{path.name}”不是本程序生成的科室填报表（缺少“{FILL_SHEET}”或标识工作表）；"
                                "请用“生成科室填报表”生成后发给科室填写")
        meta_sheet = book.read(META_SHEET)
        meta = {cell_text(r[0]): (r[1].value if len(r) > 1 and r[1] is not None else "") for r in meta_sheet.rows if r and r[0]}
        if meta.get("format") != FORMAT:
            raise IntakeRefused(f"文件“{path.name}”的填报表格式“{meta.get('format')}”无法识别")
        if str(meta.get("region_code")) != plan.region_code:
            raise IntakeRefused(f"文件“{path.name}”是 {meta.get('region_name')}（{meta.get('region_code')}）的填报表，"
                                f"不是本工作区 {plan.region_name}（{plan.region_code}）的")
        out.unit = str(meta.get("unit", ""))
        try:
            out.year = int(str(meta.get("year")))
        except ValueError:
            raise IntakeRefused(f"文件“{path.name}”的标识工作表已损坏（年份“{meta.get('year')}”）") from None
        sheet = book.read(FILL_SHEET)
    f, s = path.name, FILL_SHEET

    def problem(severity: Severity, text: str, row: int, col: int | None = None) -> None:
        out.problems.append(IntakeProblem(severity, f"{sheet.where(row, col)}：{text}", f, s,
                                          address(row, col) if col else "", row))

    out.filler = cell_text(sheet.cell(4, 2))
    out.phone = cell_text(sheet.cell(4, 5))
    year = out.year
    expected = [c for c in str(meta.get("codes", "")).split(",") if c]
    seen: set[str] = set()
    for row in range(FIRST_ROW, len(sheet.rows) + 1):
        code = cell_text(sheet.cell(row, 1))
        if not code or code.startswith("注"):
            continue
        ind = plan.indicator(code)
        if ind is None:
            problem(Severity.ERROR, f"指标代码“{code}”不在本工作区（指标可能已删除，或代码被改动）", row, 1)
            continue
        seen.add(code)
        cell = sheet.cell(row, VALUE_COL)
        nature_text = cell_text(sheet.cell(row, NATURE_COL))
        note = cell_text(sheet.cell(row, NOTE_COL))
        if (row, VALUE_COL) in sheet.no_cache:
            problem(Severity.ERROR, "是公式，但文件中没有保存计算结果；请在 Excel/WPS 中打开并保存一次，或改为数值", row, VALUE_COL)
            continue
        if is_date(cell):
            problem(Severity.ERROR, f"“{ind.name}”的数值是日期（{cell_text(cell)[:10]}），此处应为数字", row, VALUE_COL)
            continue
        text = cell_text(cell)
        if not text:
            out.missing.append(code)
            continue
        try:
            value = parse_value(text, ind.unit)
        except NotationError as exc:
            problem(Severity.ERROR, f"“{ind.name}”：{exc.message}", row, VALUE_COL)
            continue
        if value is None:
            out.missing.append(code)
            continue
        nature = None
        if nature_text:
            try:
                nature = Nature(nature_text.strip())
            except ValueError:
                problem(Severity.ERROR, f"数据性质“{nature_text}”应为 快报、年报 或 预计", row, NATURE_COL)
                continue
        for p in check_value(plan, ind, year, value):  # type: ignore[arg-type]
            problem(p.severity, p.message, row, VALUE_COL)
        if any(p.is_error and p.row == row for p in out.problems):
            continue
        current = actuals.get(code, {}).get(year)  # type: ignore[arg-type]
        if current is not None and current.value is not None and current.value != value:
            out.conflicts.append((code, current.value, value))
        elif current is not None and current.value == value:
            out.unchanged.append(code)
        out.values.append(CollectedValue(code, year, value, nature, note, row))  # type: ignore[arg-type]
    lost = [c for c in expected if c not in seen and plan.indicator(c) is not None]
    for code in lost:
        out.problems.append(IntakeProblem(Severity.WARNING, f"文件“{f}”：指标“{plan.indicator(code).name}”的行被删除了，"  # type: ignore[union-attr]
                                          "视为未填报", f, s))
        out.missing.append(code)
    return out


@dataclass
class CollectSummary:
    """Several returned files together: what can be written, and everything to say about it."""

    files: list[CollectedFile]
    year: int | None
    cells: list[CollectedValue] = field(default_factory=list)  # to write
    between_files: list[tuple[str, list[tuple[str, Decimal]]]] = field(default_factory=list)  # code, [(unit, value)]
    missing: dict[str, list[str]] = field(default_factory=dict)  # unit → names left blank
    conflicts: list[tuple[str, str, Decimal, Decimal]] = field(default_factory=list)  # unit, code, workspace, file
    not_returned: list[str] = field(default_factory=list)  # units with no file
    own_problems: list[IntakeProblem] = field(default_factory=list)  # about the files together

    @property
    def problems(self) -> list[IntakeProblem]:
        return [p for f in self.files for p in f.problems] + self.own_problems

    @property
    def ok(self) -> bool:
        return all(f.ok for f in self.files) and not self.between_files and not self.own_problems


def collect_summary(files: list[CollectedFile], plan: Plan, *, overwrite: bool = False) -> CollectSummary:
    """Combine returned files. A cell two files fill with different values is written from
    neither; a cell whose workspace value differs is written only with ``overwrite``."""
    years = {f.year for f in files}
    summary = CollectSummary(files, next(iter(years)) if len(years) == 1 else None)
    if len(years) > 1:
        listed = "、".join(f"“{f.file.name}”{f.year}年" for f in files)
        summary.own_problems.append(IntakeProblem(Severity.ERROR, f"这些填报表不是同一年份的：{listed}；请分年收回"))
        return summary
    by_code: dict[str, list[tuple[CollectedFile, CollectedValue]]] = {}
    for f in files:
        for v in f.values:
            by_code.setdefault(v.code, []).append((f, v))
        if f.missing:
            summary.missing[f.unit] = [plan.indicator(c).name for c in f.missing if plan.indicator(c)]  # type: ignore[union-attr]
        summary.conflicts += [(f.unit, c, old, new) for c, old, new in f.conflicts]
    conflicted = {c for f in files for c, _, _ in f.conflicts}
    for code, entries in by_code.items():
        distinct = {v.value for _, v in entries}
        if len(distinct) > 1:
            summary.between_files.append((code, [(f.unit, v.value) for f, v in entries]))
            continue
        if code in conflicted and not overwrite:
            continue
        summary.cells.append(entries[0][1])
    returned = {f.unit for f in files}
    summary.not_returned = [u for u in units_of(plan) if u not in returned]
    return summary
