"""A plan table (专栏 / 表) typed into a workbook → a ``Box`` and its ``Indicator``s.

``read_table(path, sheet=None, box=None)`` finds the header row, maps the columns of the real
layouts (序号; 指标 / 指标名称 / 二级指标; 类别 / 一级指标, often merged; 单位 / 计量单位 or a
unit inside the name "（亿元）"; 2020年 / 基期 / 2020年预计; 2025年 / 目标 / 2025年目标;
年均/累计; 属性; 规划数 / 完成数; 责任单位), reads section rows (一、就业), 其中 rows, the box
label and title above the table and the 注 lines below it, and parses every target with the
notation parser. It returns an ``ImportedTable`` — never raises for a bad cell: every finding
is an ``IntakeProblem`` naming the file, sheet and cell. Only a file that cannot be read at
all, or a sheet without any recognisable header, raises ``IntakeRefused``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from desktop.domain.errors import NotationError, Severity
from desktop.domain.model import Attribute, Box, Column, Indicator, IndicatorCode, Kind, Plan, Rule, Section, Target
from desktop.domain.notation import infer_kind, normalise_text, parse_target, parse_value

from .headers import TableValue, TwoLevel, two_level_header
from .problems import FindingsMixin, IntakeProblem, IntakeRefused
from .workbook import Book, Progress, Sheet, address, cell_text, is_date

__all__ = ["ImportedTable", "PreviewRow", "read_table", "read_table_sheet", "fold", "split_name", "HEADER_SEARCH_ROWS"]

HEADER_SEARCH_ROWS = 30
BLANK_RUN_ENDS_TABLE = 5
_CN_NUM = "一二三四五六七八九十"
_SECTION_RE = re.compile(rf"^[{_CN_NUM}]+\s*[、.．]\s*\S")
_LABEL_RE = re.compile(rf"^(专栏|表|附表)\s*([0-9{_CN_NUM}]+)\s*[:：.、\s\u3000]*(.*)$")
_SEQ_RE = re.compile(r"^[(（]?(\d{1,3})[)）]?\s*[.、．)）]\s*")
_SUB_RE = re.compile(r"^其中\s*[:：]?\s*")
_UNIT_IN_NAME_RE = re.compile(r"^(.*?)\s*[(（]([^()（）]{1,8})[)）]\s*$")
_NOTE_RE = re.compile(r"^(注|备注|说明|资料来源|数据来源)\s*[0-9]*\s*[:：.、]")
_YEAR_RE = re.compile(r"^(?:“?[十一二三四五]+五”?)?(\d{4})年?(.*)$")
_UNIT_CHARS = set("人元%‰次个件所张年户家岁项亩吨台套座米公里天小时分万亿千百倍点")
_UNIT_WORDS = ("万人", "亿元", "万元", "人次", "%", "‰", "人年", "个百分点")

_ROLE_WORDS: dict[str, tuple[str, ...]] = {
    "seq": ("序号", "编号", "序"),
    "category": ("类别", "一级指标", "指标类别", "领域", "分类", "类型", "指标类型"),
    "name": ("指标", "指标名称", "二级指标", "主要指标", "指标项目", "项目", "名称", "具体指标"),
    "unit": ("单位", "计量单位", "指标单位"),
    "attribute": ("属性", "指标属性"),
    "mode": ("年均/累计", "累计/年均", "年均或累计", "累计或年均", "年均累计", "计算方式"),
    "responsible": ("责任单位", "牵头单位", "责任部门", "牵头部门", "责任科室", "责任处室"),
}
_BASE_WORDS = ("基期", "基期值", "基数", "现状值", "基期年", "现状")
_TARGET_WORDS = ("目标", "目标值", "规划目标", "预期目标", "目标数")


def fold(text: str) -> str:
    """Compare form of a header or name: full-width folded, no whitespace, no quotes."""
    return re.sub(r"[\s\u3000“”\"'‘’]+", "", normalise_text(text))


@dataclass(frozen=True)
class PreviewRow:
    """One sheet row as the import preview shows it."""

    row: int
    kind: str  # "indicator" · "section" · "footnote" · "skipped"
    cells: tuple[str, ...] = ()  # 序号 指标 单位 基期 目标 属性 (indicator) or the text
    section: str = ""
    sub_item: bool = False
    problems: tuple[str, ...] = ()


@dataclass
class ImportedTable(FindingsMixin):
    """What a table import would write: the box, its indicators (codes ``@1`` … until the
    store gives real ones; parents refer to them), every problem, and a preview."""

    file: Path
    sheet: str
    header_row: int
    box: Box
    indicators: list[Indicator]
    base_year: int | None = None
    end_year: int | None = None
    problems: list[IntakeProblem] = field(default_factory=list)
    preview: list[PreviewRow] = field(default_factory=list)
    source_rows: dict[str, int] = field(default_factory=dict)  # temp code → sheet row
    values: list[TableValue] = field(default_factory=list)  # a completion table's values (headers.py)

    def plan(self, *, region_code: str = "000000", region_name: str = "", title: str = "") -> Plan:
        """A plan holding only this box (for previews and comparisons)."""
        base = self.base_year or 2020
        end = self.end_year or base + 5
        return Plan(title=title or self.box.caption, region_code=region_code, region_name=region_name,
                    start_year=base + 1, end_year=max(end, base + 1), base_year=base,
                    boxes=(self.box,), indicators=tuple(self.indicators))


# ------------------------------------------------------------------------------- header


@dataclass
class _Header:
    row: int
    roles: dict[str, int]  # role → column (1-based)
    headers: dict[int, str]  # column → header text as written
    base_year: int | None
    end_year: int | None
    base_label: str
    ignored: list[int]  # columns not imported
    year_columns: dict[int, int]  # column → year, of plain year columns between base and target
    conflicts: list[tuple[str, list[int]]]
    two: TwoLevel | None = None  # a two-level header (headers.py)
    values_only: bool = False  # 指标 × consecutive years and nothing else: a table of actual values


def _role_of(text: str) -> str | None:
    h = fold(text)
    for role, words in _ROLE_WORDS.items():
        if h in words:
            return role
    if h.endswith("指标") and "一级" not in h and len(h) <= 8:
        return "name"
    if "规划数" in h or "规划值" in h:
        return "planned"
    if "完成数" in h or "完成情况" in h or "实际完成" in h or "完成值" in h:
        return "achieved"
    if h in _BASE_WORDS or h.startswith("基期"):
        return "base"
    if h in _TARGET_WORDS or h.endswith("目标") or h.endswith("目标值"):
        return "target"
    return None


def _header(sheet: Sheet, row: int, two: TwoLevel | None = None) -> _Header | None:
    cells = two.cells if two else sheet.rows[row - 1] if row <= len(sheet.rows) else []
    roles: dict[str, list[int]] = {}
    headers: dict[int, str] = {}
    years: list[tuple[int, int, str]] = []  # (column, year, rest)
    for col, cell in enumerate(cells, start=1):
        if cell is None or not isinstance(cell.value, (str, int, float)):
            continue
        text = cell_text(cell)
        h = fold(text)
        if not h:
            continue
        headers[col] = re.sub(r"\s+", "", text)
        m = _YEAR_RE.match(h)
        if m and 1990 <= int(m.group(1)) <= 2100 and (h.endswith("年") or m.group(2) or isinstance(cell.value, (int, float))):
            years.append((col, int(m.group(1)), m.group(2)))
            continue
        role = _role_of(text)
        if role:
            roles.setdefault(role, []).append(col)
    if "name" not in roles:
        return None
    spanned = sorted(y for _, y, rest in years if not rest)
    values_only = (set(roles) <= {"seq", "name", "category", "responsible"} and len(spanned) == len(years) >= 2
                   and spanned[-1] - spanned[0] + 1 == len(spanned))
    base_year = end_year = None
    base_label = ""
    year_columns: dict[int, int] = {}
    plain = []
    for col, y, rest in years:
        if rest in ("预计", "基期", "基数", "实际", "现状", "预计数", "完成", "实际完成"):
            roles.setdefault("base", []).append(col)
            base_year = y
            base_label = headers[col] if "预计" in rest else ""
        elif rest and any(w in rest for w in ("目标", "规划")):
            roles.setdefault("target", []).append(col)
            end_year = y
        elif not rest:
            plain.append((col, y))
    if plain:
        plain.sort(key=lambda cy: cy[1])
        if "base" not in roles and len(plain) >= 2:
            roles["base"] = [plain[0][0]]
            base_year = plain[0][1]
            plain = plain[1:]
        last_col, last_year = plain[-1]
        if "target" not in roles or (base_year and last_year - base_year >= 5 and len(plain) == 1):
            roles.setdefault("target", []).append(last_col)
            end_year = last_year
            plain = plain[:-1]
        elif len(plain) == 1 and base_year is None:
            roles.setdefault("base", []).append(last_col)
            base_year = last_year
            plain = []
        year_columns = {c: y for c, y in plain}
    conflicts = [(role, cols) for role, cols in roles.items() if len(cols) > 1]
    if "planned" in roles and "target" in roles:
        conflicts.append(("target", roles["target"] + roles["planned"]))
    recognised = {r: cols[0] for r, cols in roles.items()}
    if len([r for r in recognised if r in ("target", "planned", "base", "unit", "attribute", "seq", "category")]) < 1:
        return None
    used = set(recognised.values()) | set(year_columns)
    ignored = [c for c in headers if c not in used]
    return _Header(row, recognised, {**headers, **(two.display if two else {})}, base_year, end_year, base_label,
                   ignored, year_columns, conflicts, two, values_only)


def _find_header(sheet: Sheet) -> _Header | None:
    for row in range(1, min(len(sheet.rows), HEADER_SEARCH_ROWS) + 1):
        two = two_level_header(sheet, row, _role_of)
        h = (_header(sheet, two.row, two) if two else None) or _header(sheet, row)
        if h is not None:
            return h
    return None


# ------------------------------------------------------------------------------ reading


def read_table(path: Path | str, *, sheet: str | None = None, box: str | None = None,
               progress: Progress | None = None) -> ImportedTable:
    """Read the plan table of a workbook (``sheet``: default the first visible sheet whose
    header is recognised; ``box``: the label to give it, default the label above the table)."""
    path = Path(path)
    problems: list[IntakeProblem] = []
    with Book(path) as book:
        if sheet is None:
            sheet = _table_sheet(book, box)
        return read_table_sheet(_read_until_end(book, sheet, progress), box=box, problems=problems)


def _table_sheet(book: Book, box: str | None) -> str:
    """The first visible sheet whose header is recognised (a sheet named after ``box`` first)."""
    path = book.path
    names = book.names()
    tried: list[str] = []
    ordered = [n for n, hidden in names if not hidden] + [n for n, hidden in names if hidden]
    if box:
        ordered.sort(key=lambda n: fold(box) not in fold(n))
    for name in ordered:
        if _find_header(book.read(name, max_rows=HEADER_SEARCH_ROWS)) is not None:
            break
        tried.append(name)
    else:
        listed = "、".join(f"“{n}”" for n in tried)
        raise IntakeRefused(
            f"文件“{path.name}”的工作表（{listed}）前 {HEADER_SEARCH_ROWS} 行中都找不到可识别的表头："
            "表头应有“指标”（或“指标名称”“二级指标”）一列，以及“单位”“2020年”“2025年”“目标”“属性”等列中的至少一列"
        )
    if dict(names)[name]:
        visible = [n for n, h in names if not h]
        raise IntakeRefused(
            f"文件“{path.name}”中唯一含指标表的工作表“{name}”是隐藏工作表"
            + (f"（可见的工作表{'、'.join(f'“{n}”' for n in visible)}中没有指标表）" if visible else "")
            + f"。请在 Excel/WPS 中右击工作表标签选择“取消隐藏”，或用 --sheet “{name}” 明确指定"
        )
    return name


def _read_until_end(book: Book, sheet: str, progress: Progress | None) -> Sheet:
    """Read a sheet until the table has clearly ended (a long run of blank rows after data
    below the header), so a plan table above a huge data area is read quickly."""
    state = {"rows": 0, "blank": 0, "data": False}

    def stop(cells) -> bool:  # type: ignore[no-untyped-def]
        state["rows"] += 1
        if cells is None:
            state["blank"] += 1
            return state["data"] and state["blank"] >= 200 and state["rows"] > HEADER_SEARCH_ROWS
        state["blank"] = 0
        state["data"] = True
        return False

    return book.read(sheet, progress=progress, stop=stop)


def read_table_sheet(sheet: Sheet, *, box: str | None = None,
                     problems: list[IntakeProblem] | None = None) -> ImportedTable:
    """The table of an already read sheet (see ``read_table``)."""
    problems = list(problems or [])
    f, s = sheet.file.name, sheet.name

    def problem(severity: Severity, text: str, row: int | None = None, col: int | None = None,
                cell: str | None = None) -> str:
        place = sheet.where(row, col) if row else f"文件“{f}”工作表“{s}”"
        if cell:
            place = f"文件“{f}”工作表“{s}”单元格 {cell}"
        message = f"{place}：{text}"
        problems.append(IntakeProblem(severity, message, f, s, cell or (address(row, col) if row and col else ""), row))
        return text

    if sheet.hidden:
        problem(Severity.WARNING, "这是隐藏工作表，按指定读取")
    header = _find_header(sheet)
    if header is None:
        raise IntakeRefused(
            f"文件“{f}”工作表“{s}”前 {HEADER_SEARCH_ROWS} 行中找不到可识别的表头："
            "表头应有“指标”（或“指标名称”“二级指标”）一列，以及“单位”“2020年”“2025年”“目标”“属性”等列中的至少一列"
        )
    roles = header.roles
    hr = header.row
    for role, cols in header.conflicts:
        what = {"target": "目标值", "base": "基期值", "name": "指标名称", "unit": "单位", "seq": "序号",
                "category": "类别", "attribute": "属性"}.get(role, role)
        listed = "和".join(f"{address(hr, c)}“{header.headers.get(c, '')}”" for c in cols)
        problem(Severity.ERROR, f"有两列都像{what}：{listed}。请删去多余的一列，或把不是{what}的列改名后重新导入", hr,
                cell=",".join(address(hr, c) for c in cols))
    for col in header.ignored:
        problem(Severity.WARNING, f"列“{header.headers[col]}”未识别，不导入", hr, col)
    if header.year_columns:
        listed = "、".join(f"{y}年" for y in sorted(header.year_columns.values()))
        problem(Severity.WARNING, f"年度列（{listed}）的数值不属于规划表，不随表导入；可用“导入实际值”导入", hr)
    for severity, text, col in header.two.notes() if header.two else ():
        problem(severity, text, hr, col)
    if header.values_only:
        problem(Severity.ERROR, "这像是各年数值的表（只有指标和连续的年份列，没有“单位”“目标”“属性”等列），不是规划指标表；"
                                "要导入各年的数值，请用“导入实际值”（planledger import-actuals）", hr)
    elif "target" not in roles and "planned" not in roles:
        problem(Severity.ERROR, "表头中没有目标值列（如“2025年”“目标”“2025年目标”“规划数”）", hr)

    # label and title above the header
    label, title = _label_and_title(sheet, hr)
    if box:
        label = box.strip()
    if not label:
        label = sheet.name.strip() if _LABEL_RE.match(fold(sheet.name)) else "导入表"
        problem(Severity.WARNING, f"表上方没有“专栏N”或“表N”标签，以“{label}”命名（可用 --box 指定）")

    # merged ranges
    merged_top: dict[tuple[int, int], tuple[int, int]] = {}
    data_roles = {c: r for r, c in roles.items()}
    category_col = roles.get("category")
    for (r1, c1, r2, c2) in sheet.merges:
        if r2 <= hr:
            continue
        for r in range(r1, r2 + 1):
            for c in range(c1, c2 + 1):
                if (r, c) != (r1, c1):
                    merged_top[(r, c)] = (r1, c1)
    bad_merges: set[tuple[int, int]] = set()
    for (r1, c1, r2, c2) in sheet.merges:
        if r1 <= hr or r1 == r2:  # a header cell over two header rows is no data merge
            continue
        cols = [c for c in range(c1, c2 + 1) if c in data_roles]
        if not cols or cols == [category_col]:
            continue
        ref = f"{address(r1, c1)}:{address(r2, c2)}"
        roles_hit = {data_roles[c] for c in cols}
        if roles_hit <= {"unit", "attribute", "responsible", "mode", "category"}:
            problem(Severity.WARNING, f"合并单元格 {ref} 跨越 {r2 - r1 + 1} 行，已把其内容填入每一行", cell=ref, row=r1)
        else:
            problem(Severity.ERROR, f"合并单元格 {ref} 跨越 {r2 - r1 + 1} 个数据行：每个指标的名称和数值应各占一格。"
                    "请取消合并，在每一行填写后重新导入", cell=ref, row=r1)
            for r in range(r1, r2 + 1):
                bad_merges.add((r, c1))

    def value_at(row: int, col: int | None):  # type: ignore[no-untyped-def]
        if col is None:
            return None
        top = merged_top.get((row, col))
        if top is not None:
            if data_roles.get(col) in ("unit", "attribute", "responsible", "mode", "category") or top[0] == row:
                return sheet.cell(*top)
            return None
        return sheet.cell(row, col)

    def text_at(row: int, col: int | None, what: str, numeric: bool) -> str | None:
        """The cell's text, or None (and a problem) for a date or an uncomputed formula."""
        if col is None:
            return ""
        cell = value_at(row, col)
        if (row, col) in sheet.no_cache:
            problem(Severity.ERROR, f"{what}是公式，但文件中没有保存计算结果（可能由程序生成而从未在 Excel/WPS 中打开计算过）。"
                    "请在 Excel/WPS 中打开并保存一次，或把公式改为数值", row, col)
            return None
        if is_date(cell) and numeric:
            problem(Severity.ERROR, f"{what}是日期（{cell_text(cell)[:10]}），此处应为数值——输入“3.4”之类的数时可能被自动转成了日期。"
                    "请把单元格格式设为“文本”或“数值”后重新输入", row, col)
            return None
        return cell_text(cell)

    indicators: list[Indicator] = []
    values: list[TableValue] = []
    preview: list[PreviewRow] = []
    sections: list[Section] = []
    footnotes: list[str] = []
    source_rows: dict[str, int] = {}
    in_notes = False
    blank_run = 0
    current_section: str | None = None
    current_category: tuple[int, int] | None = None
    last_parent: str | None = None
    numbered = 0
    name_col = roles["name"]

    row = hr
    while row < len(sheet.rows):
        row += 1
        cells = sheet.rows[row - 1]
        texts = [(c, cell_text(cell)) for c, cell in enumerate(cells, start=1) if cell is not None and cell_text(cell)]
        if not texts:
            blank_run += 1
            if blank_run >= BLANK_RUN_ENDS_TABLE and indicators:
                in_notes = True  # anything further down is not part of the table
            continue
        blank_run = 0
        first_text = texts[0][1]
        line = " ".join(t for _, t in texts).strip()
        is_note = bool(_NOTE_RE.match(fold(first_text))) and len(texts) == 1
        if is_note or (in_notes and footnotes):
            footnotes.append(line)
            preview.append(PreviewRow(row, "footnote", (line,)))
            in_notes = True
            continue
        if in_notes:  # far below the table, after a long blank run
            preview.append(PreviewRow(row, "skipped", (line,), problems=("表格之后的内容，未导入",)))
            continue
        name_cell = value_at(row, name_col)
        name_text = cell_text(name_cell) if not is_date(name_cell) else ""
        if row == hr + 1 and not name_text and all(_YEAR_RE.match(fold(t)) or _role_of(t) for _, t in texts):
            preview.append(PreviewRow(row, "skipped", (line,), problems=("第二行表头",)))
            continue  # the second row of a two-row header (实际值 over 2021年 · 2022年)
        other = {c for c, _ in texts} - {name_col, category_col}
        # category (merged 一级指标 column): a new block starts a new section
        if category_col is not None:
            top = merged_top.get((row, category_col), (row, category_col))
            cat_text = cell_text(sheet.cell(*top))
            if cat_text and top != current_category:
                current_category = top
                key = f"g{len(sections) + 1}"
                sections.append(Section(key, label, cat_text))
                current_section = key
        # a section row: one text, a heading (一、就业), nothing in the value columns
        only = texts[0][1] if len(texts) == 1 else ""
        if only and (not name_text or not other) and (_SECTION_RE.match(fold(only)) or
                                                      (len(texts) == 1 and texts[0][0] != name_col and texts[0][0] != category_col)):
            key = f"s{len(sections) + 1}"
            sections.append(Section(key, label, only.strip()))
            current_section = key
            preview.append(PreviewRow(row, "section", (only.strip(),)))
            continue
        # a heading split over 序号 and 指标 ("一" | "就业"), nothing in the value columns
        seq_text = cell_text(value_at(row, roles.get("seq"))) if roles.get("seq") else ""
        value_cols = [roles[r] for r in ("unit", "base", "target", "planned", "achieved", "attribute") if r in roles]
        empty_values = not any(cell_text(sheet.cell(row, c)) for c in value_cols)
        if name_text and empty_values and re.fullmatch(rf"[{_CN_NUM}]+[、.．]?", fold(seq_text)):
            title = f"{fold(seq_text).rstrip('、.．')}、{name_text.strip()}"
            key = f"s{len(sections) + 1}"
            sections.append(Section(key, label, title))
            current_section = key
            preview.append(PreviewRow(row, "section", (title,)))
            continue
        if category_col is not None and not name_text and {c for c, _ in texts} <= {category_col}:
            continue  # the category cell alone (its rows follow)
        if (row, name_col) in bad_merges or not name_text:
            if not name_text and (row, name_col) not in bad_merges:
                problem(Severity.ERROR, "这一行有数据但没有指标名称", row, name_col)
            preview.append(PreviewRow(row, "skipped", tuple(t for _, t in texts)[:6], problems=("未导入",)))
            continue
        before = len(problems)
        code = f"@{len(indicators) + 1}"
        seq, name, sub, unit_from_name = split_name(name_text)
        if seq:
            numbered += 1
        if roles.get("seq"):
            seq = text_at(row, roles.get("seq"), "序号", True) or seq
            seq = re.sub(r"[.、．]$", "", seq)
        unit = text_at(row, roles.get("unit"), "单位", False) or ""
        unit = normalise_text(unit).strip() if unit and not re.search(r"[^\x00-\x7f%‰]", unit) else unit.strip()
        if unit_from_name:
            if not unit:
                unit = unit_from_name
            elif fold(unit) != fold(unit_from_name):
                name = f"{name}（{unit_from_name}）"
        base_col = roles.get("base")
        target_col = roles.get("target") or roles.get("planned")
        base_text = text_at(row, base_col, "基期值", True)
        target_text = text_at(row, target_col, "目标值", True)
        attribute_text = text_at(row, roles.get("attribute"), "属性", False) or ""
        achieved_text = text_at(row, roles.get("achieved"), "完成数", True) if roles.get("achieved") else ""
        mode_text = text_at(row, roles.get("mode"), "年均/累计", False) or ""
        responsible = text_at(row, roles.get("responsible"), "责任单位", False) or ""
        base: Decimal | None = None
        target: Target | None = None
        if base_text is not None and base_col is not None:
            try:
                base = parse_value(base_text, unit)
            except NotationError as exc:
                problem(Severity.ERROR, f"基期值{exc.message}", row, base_col)
                base_text = None
        if target_text is not None and target_col is not None:
            if not target_text:
                problem(Severity.WARNING, "目标值为空，按“无目标”导入", row, target_col)
            try:
                target = parse_target(target_text, unit)
            except NotationError as exc:
                problem(Severity.ERROR, exc.message, row, target_col)
        attribute = Attribute.EXPECTED
        folded_attr = fold(attribute_text)
        if "约束" in folded_attr:
            attribute = Attribute.BINDING
        elif folded_attr and "预期" not in folded_attr:
            problem(Severity.WARNING, f"属性“{attribute_text}”不是“预期性”或“约束性”，按预期性导入", row, roles.get("attribute"))
        row_problems = tuple(p.message.split("：", 1)[-1] for p in problems[before:])
        parent = None
        if sub:
            if last_parent is None:
                problem(Severity.WARNING, "“其中”行前面没有上级指标，按普通指标导入", row, name_col)
            parent = last_parent
        if target is None or base_text is None or (base_col is not None and base_text is None):
            preview.append(PreviewRow(row, "skipped", (seq, name, unit, base_text or "", target_text or "", attribute_text),
                                      current_section_title(sections, current_section), sub, row_problems or ("未导入",)))
            if not sub:
                last_parent = None
            continue
        kind, direction = infer_kind(target, name, unit)
        mode = fold(mode_text)
        if "累计" in mode and target.is_numeric:
            kind = Kind.CUMULATIVE_CHANGE if kind is Kind.CUMULATIVE_CHANGE else Kind.CUMULATIVE_SUM
        elif "年均" in mode and target.is_numeric:
            kind = Kind.GROWTH_RATE
        extra: tuple[tuple[str, str], ...] = ()
        if achieved_text:
            extra = (("achieved", achieved_text),)
        if header.two:
            extra, found = header.two.read_row(row, code, unit, header.end_year, lambda c: text_at(row, c, "完成值", True), problem)
        indicator = Indicator(
            code=IndicatorCode(code), box=label, name=name, unit=unit, target=target, seq=seq,
            section=current_section, base=base, base_text=base_text or "",
            base_label=header.base_label, attribute=attribute, kind=kind, direction=direction,
            parent=IndicatorCode(parent) if parent else None,
            rule=Rule.NOT_SUMMABLE if unit in ("%", "％", "‰") else Rule.SUM,
            responsible=responsible, extra=extra,
        )
        indicators.append(indicator)
        values += found if header.two else []
        source_rows[code] = row
        if not sub:
            last_parent = code
        preview.append(PreviewRow(row, "indicator", (seq, name, unit, base_text or "", target.text, attribute.value),
                                  current_section_title(sections, current_section), sub, row_problems))
    if not indicators:
        problem(Severity.ERROR, f"表头（第 {hr} 行）下面没有可导入的指标行", hr)

    # the box, its columns in sheet order
    role_order = sorted([(col, Column(role, header.headers.get(col, ""), role)) for role, col in roles.items()
                         if role in ("category", "seq", "name", "unit", "base", "target", "planned", "achieved", "attribute")]
                        + (header.two.columns(header.end_year) if header.two else []), key=lambda cc: cc[0])
    columns = [c for _, c in role_order]
    used_sections = {i.section for i in indicators}
    sections = [sec for sec in sections if sec.key in used_sections]
    name_style = "plain" if "seq" in roles or numbered < max(1, len(indicators)) / 2 else "numbered"
    box_record = Box(
        label=label, title=title, columns=tuple(columns), footnotes=tuple(footnotes), sections=tuple(sections),
        name_style=name_style, section_style="merged" if category_col is not None else "rows",
        unit_in_name="unit" not in roles,
    )

    return ImportedTable(sheet.file, sheet.name, hr, box_record, indicators, header.base_year, header.end_year,
                         problems, preview, source_rows, values)


def current_section_title(sections: list[Section], key: str | None) -> str:
    return next((s.title for s in sections if s.key == key), "")


def split_name(text: str) -> tuple[str, str, bool, str]:
    """"5.其中：农民工参加职业培训人次（万人次）" → ("5", "农民工参加职业培训人次", True, "万人次")."""
    t = re.sub(r"\s+", "", text.strip())
    seq = ""
    m = _SEQ_RE.match(normalise_text(t))
    if m:
        seq = m.group(1)
        t = normalise_text(t)[m.end():] if t != normalise_text(t) else t[m.end():]
    sub = False
    m = _SUB_RE.match(t)
    if m:
        sub, t = True, t[m.end():]
    unit = ""
    m = _UNIT_IN_NAME_RE.match(t)
    if m and _looks_like_unit(m.group(2)):
        t, unit = m.group(1), normalise_text(m.group(2)).strip()
        if unit == "％":
            unit = "%"
    return seq, t.strip(), sub, unit


def _looks_like_unit(text: str) -> bool:
    u = normalise_text(text).strip()
    if not u or len(u) > 6:
        return False
    return u in _UNIT_WORDS or all(ch in _UNIT_CHARS or ch in "/·." for ch in u)


def _label_and_title(sheet: Sheet, header_row: int) -> tuple[str, str]:
    """The box label and title from the text above the header ("表2：“十四五”时期…")."""
    for row in range(1, header_row):
        cells = sheet.rows[row - 1]
        texts = [cell_text(c) for c in cells if c is not None and cell_text(c)]
        if not texts:
            continue
        text = " ".join(texts).strip()
        m = _LABEL_RE.match(normalise_text(text))
        if m:
            label = f"{m.group(1)}{m.group(2)}"
            # the title as written (full-width kept): cut the label and its separator off the original
            original = text
            cut = re.match(rf"^\s*{m.group(1)}\s*[0-9０-９{_CN_NUM}]+\s*[:：.、\s\u3000]*", original)
            title = original[cut.end():].strip() if cut else m.group(3).strip()
            return label, title
    return "", ""
