"""A 目标分解表 workbook → assignments for ``set_split_targets`` (docs/intake.md §4).

The way a city holds it: one row per subordinate region (a 地区 column with the name and/or a
区划代码 column), one column per indicator (the header holds the indicator's name, perhaps with
its unit “(万人)”, or its code), each cell the region's target as written (“[>5.2]”, “3.1”,
“5.5以内”). The transposed layout (indicators as rows, regions as columns) is read too: the
axis whose headers match the plan's indicators is taken as the indicator axis.

Indicators are matched as import-actuals matches them (``values.match_indicator``). A region is
known when the workspace knows it (``known_regions``) or has a valid 6-digit code under the
workspace's region. Every finding names file, sheet and cell; with any error nothing may be
written (the caller applies only an ``ok`` table).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from desktop.domain.errors import NotationError, RegionError, Severity
from desktop.domain.model import Plan
from desktop.domain.notation import parse_target
from desktop.domain.region import parse_region_code

from .problems import FindingsMixin, IntakeProblem, IntakeRefused
from .table import HEADER_SEARCH_ROWS, fold
from .values import _Names, match_indicator
from .workbook import Book, Progress, Sheet, address, cell_text, is_date

__all__ = ["SplitTable", "read_split_table", "read_split_file", "read_split_sheet"]

_REGION_NAME = {"地区", "地区名称", "区县", "县市区", "县(市、区)", "县(市区)", "县市区名称", "下级地区", "地方", "市州", "市(州)"}
_REGION_CODE = {"区划代码", "行政区划代码", "地区代码", "区划编码"}
_IND_NAME = {"指标", "指标名称", "主要指标", "项目"}
_IND_CODE = {"指标代码", "代码", "指标编码", "编码"}
_SKIP_HEADER = {"序号", "单位", "计量单位", "备注", "说明", "属性", "指标属性"}
_LABELS = _REGION_NAME | _REGION_CODE | _IND_NAME | _IND_CODE
_TOTALS = {"合计", "总计", "小计", "全市", "全省", "全州", "本级", "汇总"}
_CORNER = re.compile(r"^(地区|指标)[\\/＼／](地区|指标)$")
_REGION_CELL = re.compile(r"^(.*?)[(]?(\d{6})[)]?$")


@dataclass
class SplitTable(FindingsMixin):
    file: Path
    sheet: str
    rows: list[tuple[str, str, str, str]] = field(default_factory=list)  # (indicator, region code, name, target)
    problems: list[IntakeProblem] = field(default_factory=list)
    transposed: bool = False
    header_row: int | None = None

    @property
    def regions(self) -> list[tuple[str, str]]:
        return sorted({(r, n) for _, r, n, _ in self.rows})


def read_split_table(path: Path | str, ws, *, sheet: str | None = None) -> SplitTable:  # type: ignore[no-untyped-def]
    """Read ``path`` for the workspace ``ws`` (its plan and known regions). ``IntakeRefused``
    only when the file cannot be read at all."""
    from .split import known_regions

    return read_split_file(path, ws.plan(), known_regions(ws), sheet=sheet)


def read_split_file(path: Path | str, plan: Plan, known: list[tuple[str, str]], *, sheet: str | None = None,
                    progress: Progress | None = None) -> SplitTable:
    """The same without a workspace (touches no database: the GUI runs it in a worker thread)."""
    path = Path(path)
    with Book(path) as book:
        if sheet is not None:
            return read_split_sheet(book.read(sheet, progress=progress), plan, known)
        first: SplitTable | None = None
        for name, hidden in book.names():
            if hidden:
                continue
            table = read_split_sheet(book.read(name, progress=progress), plan, known)
            if table.header_row is not None:
                return table
            first = first or table
        if first is None:
            raise IntakeRefused(f"文件“{path.name}”中没有可见的工作表")
        return first


def _label(text: str) -> str:
    return fold(text).replace("（", "(").replace("）", ")")


def read_split_sheet(sheet: Sheet, plan: Plan, known: list[tuple[str, str]]) -> SplitTable:
    out = SplitTable(sheet.file, sheet.name)
    f, s = sheet.file.name, sheet.name

    def problem(text: str, row: int, col: int | None = None, severity: Severity = Severity.ERROR) -> None:
        out.problems.append(IntakeProblem(severity, f"{sheet.where(row, col)}：{text}", f, s,
                                          address(row, col) if col else "", row))

    if not any(any(r) for r in sheet.rows):
        out.problems.append(IntakeProblem(Severity.ERROR, f"文件“{f}”工作表“{s}”是空的，没有目标分解表", f, s))
        return out
    names = _Names(plan)
    found = _header(sheet, names)
    if found is None:
        out.problems.append(IntakeProblem(
            Severity.ERROR, f"文件“{f}”工作表“{s}”前 {HEADER_SEARCH_ROWS} 行中找不到目标分解表的表头：表头应有“地区”"
            "（或“区划代码”）一列、其余各列为指标名称（或指标代码）；或者“指标”一列、其余各列为地区", f, s))
        return out
    hr, transposed, labels = found
    out.transposed, out.header_row = transposed, hr
    # lines: the other axis (regions, or indicators when transposed); heads: the header cells
    width = max(len(r) for r in sheet.rows)
    heads = [c for c in range(1, width + 1) if c not in labels.values() and cell_text(sheet.cell(hr, c))
             and _label(cell_text(sheet.cell(hr, c))) not in _SKIP_HEADER | _LABELS]
    lines = [r for r in range(hr + 1, len(sheet.rows) + 1) if any(cell_text(sheet.cell(r, c)) for c in labels.values())]

    def filled(cells: list[tuple[int, int]]) -> bool:
        return any(cell_text(sheet.cell(r, c)) for r, c in cells)

    # indicators
    indicators: dict[int, str] = {}  # head column or line row → indicator code
    seen_ind: dict[str, str] = {}
    ind_places = [(r, labels.get("ind_code"), labels.get("ind_name")) for r in lines] if transposed else \
        [(c, None, None) for c in heads]
    for pos, code_col, name_col in ind_places:
        if transposed:
            code_text = cell_text(sheet.cell(pos, code_col)) if code_col else ""
            name_text = cell_text(sheet.cell(pos, name_col)) if name_col else ""
            where = (pos, name_col if name_text else code_col)
            others = [(pos, c) for c in heads]
        else:
            code_text = name_text = cell_text(sheet.cell(hr, pos))
            where = (hr, pos)
            others = [(r, pos) for r in lines]
        shown = name_text or code_text
        if _label(shown) in _TOTALS or re.match(r"^(注|备注|说明)", fold(shown)):
            continue
        code, candidates = match_indicator(names, code_text, name_text)
        if code is None:
            if not filled(others):
                continue  # an empty column or a heading row
            if candidates:
                problem(f"“{shown}”对应多个指标：{'、'.join(candidates)}；请改用指标代码", *where)
            else:
                problem(f"没有名为“{shown}”的指标（请改为工作区中的指标名称或指标代码）", *where)
            continue
        if code in seen_ind:
            problem(f"指标“{shown}”在 {seen_ind[code]} 已出现过", *where)
            continue
        seen_ind[code] = address(*where)
        indicators[pos] = code
    # regions
    regions: dict[int, tuple[str, str]] = {}
    seen_region: dict[str, str] = {}
    by_name: dict[str, list[str]] = {}
    known_names = dict(known)
    for rc, n in known:
        if n:
            by_name.setdefault(fold(n), []).append(rc)
    reg_places = [(c, None, None) for c in heads] if transposed else \
        [(r, labels.get("reg_code"), labels.get("reg_name")) for r in lines]
    for pos, code_col, name_col in reg_places:
        if transposed:
            m = _REGION_CELL.match(fold(cell_text(sheet.cell(hr, pos))))
            name_text, code_text = (m.group(1), m.group(2)) if m else (cell_text(sheet.cell(hr, pos)), "")
            name_where = code_where = (hr, pos)
        else:
            code_text = cell_text(sheet.cell(pos, code_col)) if code_col else ""
            name_text = cell_text(sheet.cell(pos, name_col)) if name_col else ""
            name_where, code_where = (pos, name_col), (pos, code_col)
            m = _REGION_CELL.match(fold(name_text))
            if m and not code_text:  # “新邵县(430522)” in the 地区 column
                name_text, code_text, code_where = m.group(1), m.group(2), name_where
        if _label(name_text) in _TOTALS or name_text == plan.region_name or re.match(r"^(注|备注|说明)", fold(name_text)):
            continue
        if code_text == plan.region_code:
            continue  # the city's own row (a total)
        region = _region(plan, code_text, name_text, known_names, by_name)
        if isinstance(region, str):
            problem(region, *(code_where if code_text else name_where))
            continue
        where = address(*(code_where if code_text else name_where))
        if region[0] in seen_region:
            problem(f"地区“{name_text or code_text}”在 {seen_region[region[0]]} 已出现过", *(code_where if code_text else name_where))
            continue
        seen_region[region[0]] = where
        regions[pos] = region
    # targets
    for line in lines:
        for head in heads:
            ind_pos, reg_pos = (line, head) if transposed else (head, line)
            if ind_pos not in indicators or reg_pos not in regions:
                continue
            r, c = line, head  # lines are rows, heads columns, in both layouts
            cell = sheet.cell(r, c)
            if (r, c) in sheet.no_cache:
                problem("是公式，但文件中没有保存计算结果；请在 Excel/WPS 中打开并保存一次，或改为数值", r, c)
                continue
            if is_date(cell):
                problem(f"是日期（{cell_text(cell)[:10]}），此处应为分解目标；请把单元格格式设为“文本”后重新输入", r, c)
                continue
            text = cell_text(cell)
            if not text or fold(text) in ("—", "-", "——", "/"):
                continue
            ind = plan.indicator(indicators[ind_pos])
            try:
                parse_target(text, ind.unit)  # type: ignore[union-attr]
            except NotationError as exc:
                problem(f"{regions[reg_pos][1]}“{ind.name}”的分解目标：{exc.message}", r, c)  # type: ignore[union-attr]
                continue
            out.rows.append((ind.code, regions[reg_pos][0], regions[reg_pos][1], text))  # type: ignore[union-attr]
    if not out.rows and not out.errors:
        problem("表中没有可导入的分解目标", hr)
    return out


def _region(plan: Plan, code_text: str, name_text: str, known: dict[str, str],
            by_name: dict[str, list[str]]) -> tuple[str, str] | str:
    """(code, name) of a region, or the message saying why it is not taken."""
    shown = name_text or code_text
    if code_text:
        try:
            code = parse_region_code(code_text)
        except RegionError as exc:
            return exc.message
        own = plan.region_code
        prefix = own[:2] if own.endswith("0000") else own[:4] if own.endswith("00") else ""
        if code == own:
            return f"{code} 是本级（{plan.region_name}）的区划代码；分解目标应分给下级地区"
        if code not in known and not code.startswith(prefix):
            return f"地区“{shown}”的区划代码 {code} 不在本级（{plan.region_name} {own}）范围内"
        name = name_text or known.get(code, "")
        if not name:
            return f"地区 {code} 没有名称：请在表中写上它的名称（如“新邵县”或“新邵县(430522)”）"
        return code, name
    codes = by_name.get(fold(name_text), [])
    if len(codes) == 1:
        return codes[0], name_text
    if codes:
        return f"有多个地区名为“{name_text}”（{'、'.join(codes)}）；请填写“区划代码”列"
    return (f"地区“{name_text}”不是已知的下级地区（未分解过目标，也不在报送地区名单中）；"
            "请在“区划代码”列（没有时加一列）填写它的 6 位行政区划代码")


def _header(sheet: Sheet, names: _Names) -> tuple[int, bool, dict[str, int]] | None:
    """(header row, transposed, {"reg_name"/"reg_code"/"ind_name"/"ind_code": column})."""
    for row in range(1, min(len(sheet.rows), HEADER_SEARCH_ROWS) + 1):
        labels: dict[str, int] = {}
        corner = None
        for col, cell in enumerate(sheet.rows[row - 1], start=1):
            h = _label(cell_text(cell)) if cell is not None else ""
            for key, words in (("reg_name", _REGION_NAME), ("reg_code", _REGION_CODE), ("ind_name", _IND_NAME),
                               ("ind_code", _IND_CODE)):
                if h in words and key not in labels:
                    labels[key] = col
            if _CORNER.match(h):
                corner = col
        if corner is not None and not labels:
            # 地区\指标 corner: which axis holds the indicators?
            across = sum(1 for c in sheet.rows[row - 1][corner:] if c and match_indicator(names, cell_text(c), cell_text(c))[0])
            down = sum(1 for r in sheet.rows[row:] if len(r) >= corner and r[corner - 1]
                       and match_indicator(names, cell_text(r[corner - 1]), cell_text(r[corner - 1]))[0])
            return (row, False, {"reg_name": corner}) if across >= down else (row, True, {"ind_name": corner})
        region = {k: v for k, v in labels.items() if k.startswith("reg")}
        indicator = {k: v for k, v in labels.items() if k.startswith("ind")}
        if region and not indicator:
            return row, False, region
        if indicator and not region:
            return row, True, indicator
        if region and indicator:  # both: the axis whose other headers match indicators
            across = sum(1 for c in sheet.rows[row - 1] if c and match_indicator(names, cell_text(c), cell_text(c))[0])
            return (row, across == 0, indicator if across == 0 else region)
    return None
