"""An indicator × year table (from a workbook or a CSV) → values for a plan's indicators.

The header row holds a name or code column (指标 / 指标名称 / 代码 / 指标代码) and year columns
("2021", "2021年", "2021年实际"); each row is matched to an indicator by its code, else by its
name (printed seq number, 其中, the unit in brackets, full-width forms and spaces ignored).
A name that matches no indicator or several is listed, never guessed. Progress-report
workbooks printed by this program read back the same way (their 基期值 / 目标值 / 完成进度
columns are ignored).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from desktop.domain.errors import NotationError, Severity
from desktop.domain.model import Plan
from desktop.domain.notation import parse_value
from desktop.domain.validation import check_value

from .problems import FindingsMixin, IntakeProblem, IntakeRefused
from .table import HEADER_SEARCH_ROWS, fold, split_name
from .workbook import Book, Progress, Sheet, address, cell_text, is_date, read_csv

__all__ = ["ValuesTable", "read_values", "read_values_sheet", "match_indicator"]

_NAME_HEADERS = ("指标", "指标名称", "二级指标", "主要指标", "名称", "项目")
_CODE_HEADERS = ("代码", "指标代码", "编码", "指标编码")
_YEAR_HEADER = re.compile(r"^(\d{4})(?:年)?(?:实际|实际值|完成|完成值|数值|年报|快报|预计)?(?:\(.*\))?$")


@dataclass
class ValuesTable(FindingsMixin):
    file: Path
    sheet: str
    cells: list[tuple[str, int, Decimal | None]] = field(default_factory=list)
    problems: list[IntakeProblem] = field(default_factory=list)
    matched: dict[int, str] = field(default_factory=dict)  # sheet row → indicator code
    years: list[int] = field(default_factory=list)


class _Names:
    """The plan's indicators by folded name, built once per table."""

    def __init__(self, plan: Plan):
        self.plan = plan
        self.by_name: dict[str, list] = {}
        for i in plan.indicators:
            self.by_name.setdefault(fold(i.name).casefold(), []).append(i)


def match_indicator(plan: Plan | _Names, code_text: str, name_text: str, box: str | None = None
                    ) -> tuple[str | None, list[str]]:
    """(code, []) for one match; (None, candidates) when ambiguous; (None, []) when unknown.
    ``box``: the box whose caption row came last (a printed report lists several boxes)."""
    names = plan if isinstance(plan, _Names) else _Names(plan)
    if code_text:
        hit = names.plan.indicator(code_text.strip())
        if hit is not None:
            return hit.code, []
    if not name_text:
        return None, []
    _, name, _, unit = split_name(name_text)
    exact = list(names.by_name.get(fold(name).casefold(), ()))
    if len(exact) > 1 and unit:
        exact = [i for i in exact if fold(i.unit) == fold(unit)] or exact
    if len(exact) > 1 and box:
        exact = [i for i in exact if i.box == box] or exact
    if len(exact) == 1:
        return exact[0].code, []
    if len(exact) > 1:
        return None, [f"{i.name}（{i.box}，{i.code}）" for i in exact]
    return None, []


def read_values(path: Path | str, plan: Plan, *, sheet: str | None = None, progress: Progress | None = None) -> ValuesTable:
    path = Path(path)
    if path.suffix.lower() in (".csv", ".txt"):
        return read_values_sheet(read_csv(path), plan)
    with Book(path) as book:
        if sheet is None:
            for name, hidden in book.names():
                if not hidden and _header(book.read(name, max_rows=HEADER_SEARCH_ROWS)) is not None:
                    sheet = name
                    break
            else:
                raise IntakeRefused(f"文件“{path.name}”的可见工作表中找不到“指标 × 年份”表头：表头应有“指标”"
                                    "（或“指标代码”）一列和至少一个年份列（如“2021年”）")
        return read_values_sheet(book.read(sheet, progress=progress), plan)


def _header(sheet: Sheet) -> tuple[int, int | None, int | None, dict[int, int]] | None:
    """(last header row, name column, code column, {column: year}); the years may sit in the
    row under the name header (a two-level header: 实际值 over 2021年 · 2022年)."""
    def years_in(row: int) -> dict[int, int]:
        found: dict[int, int] = {}
        if row > len(sheet.rows):
            return found
        for col, cell in enumerate(sheet.rows[row - 1], start=1):
            if cell is None:
                continue
            m = _YEAR_HEADER.match(fold(cell_text(cell)))
            if m and 1990 <= int(m.group(1)) <= 2100:
                found[col] = int(m.group(1))
        return found

    for row in range(1, min(len(sheet.rows), HEADER_SEARCH_ROWS) + 1):
        name_col = code_col = None
        for col, cell in enumerate(sheet.rows[row - 1], start=1):
            if cell is None:
                continue
            h = fold(cell_text(cell))
            if h in _NAME_HEADERS and name_col is None:
                name_col = col
            elif h in _CODE_HEADERS and code_col is None:
                code_col = col
        if not (name_col or code_col):
            continue
        years = years_in(row)
        if years:
            return row, name_col, code_col, years
        years = years_in(row + 1)
        if years:
            return row + 1, name_col, code_col, years
    return None


def _numeric_text(text: str) -> bool:
    return bool(re.search(r"[0-9０-９]", text))


def read_values_sheet(sheet: Sheet, plan: Plan) -> ValuesTable:
    out = ValuesTable(sheet.file, sheet.name)
    f, s = sheet.file.name, sheet.name

    def problem(severity: Severity, text: str, row: int, col: int | None = None) -> None:
        out.problems.append(IntakeProblem(severity, f"{sheet.where(row, col)}：{text}", f, s,
                                          address(row, col) if col else "", row))

    found = _header(sheet)
    if found is None:
        raise IntakeRefused(f"文件“{f}”工作表“{s}”前 {HEADER_SEARCH_ROWS} 行中找不到“指标 × 年份”表头："
                            "表头应有“指标”（或“指标代码”）一列和至少一个年份列（如“2021年”）")
    hr, name_col, code_col, years = found
    for col, y in years.items():
        if y == plan.base_year:
            problem(Severity.WARNING, f"{y}年是基期年份：基期值在指标定义中填写（“编辑指标”），该列不导入", hr, col)
        elif not plan.start_year <= y <= plan.end_year:
            problem(Severity.WARNING, f"{y}年不在规划期 {plan.start_year}—{plan.end_year} 年内，该列不导入", hr, col)
    plan_years = sorted(y for y in years.values() if plan.start_year <= y <= plan.end_year)
    out.years = plan_years
    seen: dict[str, int] = {}
    names = _Names(plan)
    captions = {fold(b.caption): b.label for b in plan.boxes} | {fold(b.label): b.label for b in plan.boxes}
    current_box: str | None = None
    for row in range(hr + 1, len(sheet.rows) + 1):
        cells = sheet.rows[row - 1]
        if not any(cells):
            continue
        texts = [cell_text(c) for c in cells if c is not None]
        if len(texts) == 1 and fold(texts[0]) in captions:
            current_box = captions[fold(texts[0])]
            continue
        code_text = cell_text(sheet.cell(row, code_col)) if code_col else ""
        name_text = cell_text(sheet.cell(row, name_col)) if name_col else ""
        if not code_text and not name_text:
            continue
        if re.match(r"^(注|备注|说明|数据指纹|填报|第\d+页)", fold(name_text)):
            continue
        values = {y: sheet.cell(row, col) for col, y in years.items() if y in plan_years}
        has_values = any(v is not None and _numeric_text(cell_text(v)) for v in values.values())
        code, candidates = match_indicator(names, code_text, name_text, current_box)
        where_col = code_col if code_text and not name_text else name_col
        if code is None:
            if not has_values and not candidates:
                if not re.match(rf"^[一二三四五六七八九十]+[、.]", fold(name_text)) and not fold(name_text).startswith(("专栏", "表")):
                    problem(Severity.WARNING, f"“{name_text or code_text}”未对应到工作区中的指标，该行没有数值，已跳过", row, where_col)
                continue  # a section row or a heading without numbers
            if not has_values:
                continue
            if candidates:
                problem(Severity.ERROR, f"“{name_text or code_text}”对应多个指标：{'、'.join(candidates)}；请在表中填写指标代码", row, where_col)
            else:
                problem(Severity.ERROR, f"没有名为“{name_text or code_text}”的指标（未导入该行；请改为工作区中的指标名称或填写指标代码）", row, where_col)
            continue
        if code in seen:
            problem(Severity.ERROR, f"指标“{name_text or code_text}”在第 {seen[code]} 行已出现过", row, where_col)
            continue
        seen[code] = row
        out.matched[row] = code
        ind = plan.indicator(code)
        unit = ind.unit  # type: ignore[union-attr]
        for col, y in years.items():
            if y not in plan_years:
                continue
            cell = sheet.cell(row, col)
            if (row, col) in sheet.no_cache:
                problem(Severity.ERROR, "是公式，但文件中没有保存计算结果；请在 Excel/WPS 中打开并保存一次，或改为数值", row, col)
                continue
            if is_date(cell):
                problem(Severity.ERROR, f"是日期（{cell_text(cell)[:10]}），此处应为数值；请把单元格格式设为“数值”后重新输入", row, col)
                continue
            text = cell_text(cell)
            if not text:
                continue
            try:
                value = parse_value(text, unit)
            except NotationError as exc:
                problem(Severity.ERROR, exc.message, row, col)
                continue
            if value is None:
                continue
            refused = [p for p in check_value(plan, ind, y, value) if p.severity is Severity.ERROR]
            for p in refused:  # said now, with the parse errors: one pass lists every bad cell
                problem(Severity.ERROR, p.message, row, col)
            if not refused:
                out.cells.append((code, y, value))
    if not out.matched and not out.errors:
        problem(Severity.ERROR, "表头下面没有可导入的指标行", hr)
    return out
