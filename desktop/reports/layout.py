"""One layout description per report, drawn by two renderers (PDF and Excel).

Pure Python: the builders turn a plan, its values and the progress engine's figures into a
``Document`` of blocks (paragraphs, tables with spans, task lists, the cover block, the
fingerprint). ``pdf.py`` and ``xlsx.py`` draw exactly these cells and never compute or
format a figure themselves, so the PDF and the workbook cannot disagree.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal

from desktop.domain.cells import box_rows, printed_item
from desktop.domain.errors import NotFound
from desktop.domain.model import Actual, Plan
from desktop.domain.notation import format_decimal
from desktop.domain.progress import Settings
from desktop.domain.progress_table import NO_VALUE, ProgressRow, progress_table

BINDING_MARK = "▲"


@dataclass(frozen=True)
class Cell:
    """A printed cell. ``number`` makes the Excel cell numeric (shown with ``number_format``);
    the PDF prints ``text``. ``tone``: "" · "section" · "binding" (a 约束性 row behind) ·
    "behind" · "good" · "sample" (a reconstructed sample value)."""

    text: str
    number: Decimal | None = None
    number_format: str = ""
    align: str = "center"  # left | center | right
    bold: bool = False
    indent: int = 0  # in characters: 其中 rows are indented two characters
    colspan: int = 1
    rowspan: int = 1
    tone: str = ""


Row = tuple["Cell | None", ...]
"""A row of cells; None marks a position covered by a span from the left or from above."""


@dataclass(frozen=True)
class Table:
    caption: str  # printed above the table: "专栏2　“十四五”规划发展主要指标"
    header: tuple[Row, ...]  # repeated on every page
    body: tuple[Row, ...]
    widths: tuple[float, ...]  # relative column widths, in characters of the body font
    notes: tuple[str, ...] = ()  # 注 lines under the table


@dataclass(frozen=True)
class TaskList:
    """A task box as the plan prints it: a numbered list of items inside a box."""

    caption: str
    items: tuple[str, ...]
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Cover:
    """The submission report's cover block; ``stamp`` leaves room for the office's seal."""

    fields: tuple[tuple[str, str], ...]
    stamp: str = "（盖章）"


@dataclass(frozen=True)
class FingerprintBlock:
    """The data fingerprint printed as text and as a QR code carrying the 64 hex digits."""

    fingerprint: str
    label: str = "数据指纹（SHA-256）"
    explanation: str = "报送文件的数据指纹与本表一致时，表明纸质报表与电子报送文件为同一份数据。"


@dataclass(frozen=True)
class Paragraph:
    text: str
    style: str = "body"  # title | subtitle | body | note


Block = Table | TaskList | Cover | FingerprintBlock | Paragraph


@dataclass(frozen=True)
class Document:
    kind: str  # box | progress | submission
    title: str  # document title (PDF metadata, Excel sheet title)
    blocks: tuple[Block, ...]
    landscape: bool = False
    page_numbers: str = "dash"  # "dash": — N — (GB/T 9704) · "of": 第X页 共Y页
    sheet_name: str = "报表"
    method_notes: tuple[str, ...] = field(default=())  # the Excel 说明 sheet

    @property
    def tables(self) -> tuple[Table, ...]:
        return tuple(b for b in self.blocks if isinstance(b, Table))


# ---------------------------------------------------------------------------------------------
# helpers


def _flat(actuals: Mapping[str, Mapping[int, Actual]]) -> list[Actual]:
    return [a for per in actuals.values() for a in per.values()]


def _number_cell(text: str, **kw: object) -> Cell:
    """A value cell: numeric in Excel with as many decimals as written, text as written in PDF."""
    try:
        value = Decimal(text)
    except (ArithmeticError, ValueError):
        return Cell(text, **kw)  # type: ignore[arg-type]
    if not value.is_finite():
        return Cell(text, **kw)  # type: ignore[arg-type]
    places = max(0, -value.as_tuple().exponent) if isinstance(value.as_tuple().exponent, int) else 0
    fmt = "0" if places == 0 else "0." + "0" * places
    return Cell(text, number=value, number_format=fmt, **kw)  # type: ignore[arg-type]


def _width(texts: list[str], minimum: float, maximum: float) -> float:
    longest = max((sum(2 if ord(ch) > 0x2E7F else 1 for ch in t) / 2 for t in texts), default=0)
    return max(minimum, min(maximum, longest + 1))


def period_name(plan: Plan) -> str:
    """“十四五” for 2021–2025, “十三五” for 2016–2020, else the years."""
    names = {2021: "“十四五”", 2016: "“十三五”", 2026: "“十五五”"}
    if plan.end_year - plan.start_year == 4 and plan.start_year in names:
        return names[plan.start_year]
    return f"{plan.start_year}—{plan.end_year}年"


def sample_note(plan: Plan) -> tuple[str, ...]:
    return (f"说明：{plan.sample_note}，仅供演示，不作为正式数据。",) if plan.sample_note else ()


# ---------------------------------------------------------------------------------------------
# 1. the 专栏 table as printed in the plan


def box_document(plan: Plan, actuals: Mapping[str, Mapping[int, Actual]], label: str) -> Document:
    box = plan.box(label)
    if box is None:
        raise NotFound(f"没有标签为“{label}”的专栏；本规划的专栏有：" + "、".join(b.label for b in plan.boxes))
    caption = box.caption
    if box.is_task_box:
        items = tuple(printed_item(i) for i in box.items)
        block: Block = TaskList(caption, items, box.footnotes)
        return Document("box", caption, (block,), landscape=False, sheet_name=box.label)
    rows = box_rows(plan, box, _flat(actuals))
    ncols = len(box.columns)
    header: Row = tuple(Cell(c.header, bold=True) for c in box.columns)
    body: list[Row] = []
    any_sample = False
    for r in rows:
        if r.kind == "section":
            body.append((Cell(r.cells[0], align="left", bold=True, colspan=ncols, tone="section"),) + (None,) * (ncols - 1))
            continue
        cells: list[Cell | None] = []
        for i, (col, text) in enumerate(zip(box.columns, r.cells)):
            if i in r.covered:
                cells.append(None)
                continue
            tone = "sample" if i in r.sample_columns else ""
            any_sample = any_sample or bool(tone)
            if r.span is not None and r.span[0] == i:
                cells.append(Cell(text, rowspan=r.span[1], bold=True))
            elif col.role == "name":
                cells.append(Cell(text, align="left", indent=2 * r.indent, tone=tone))
            elif col.role in ("base", "achieved"):
                cells.append(_number_cell(text, tone=tone))
            else:  # targets and planned values stay text: printed as written
                cells.append(Cell(text, tone=tone))
        body.append(tuple(cells))
    widths = []
    for i, col in enumerate(box.columns):
        texts = [col.header] + [r.cells[i] for r in rows if r.kind == "indicator"]
        widths.append(_width(texts, 4, 34 if col.role == "name" else 12))
    notes = box.footnotes + (("说明：表中部分数值为示例值（据公开文本复原）。",) if any_sample else ())
    table = Table(caption, (header,), tuple(body), tuple(widths), notes)
    return Document("box", caption, (table,), landscape=sum(widths) > 75, sheet_name=box.label)


# ---------------------------------------------------------------------------------------------
# 2. the progress table (年度进展 / 中期评估)


def _progress_header(years: tuple[int, ...]) -> tuple[Row, Row]:
    n = len(years)
    top: list[Cell | None] = [Cell(h, bold=True, rowspan=2) for h in ("序号", "指标", "单位", "属性", "基期值", "目标值")]
    top += [Cell("实际值", bold=True, colspan=n)] + [None] * (n - 1)
    top += [Cell(h, bold=True, rowspan=2) for h in ("完成进度", "序时进度", "评估结论")]
    second: list[Cell | None] = [None] * 6 + [Cell(f"{y}年", bold=True) for y in years] + [None] * 3
    return tuple(top), tuple(second)


def _progress_row(r: ProgressRow, ncols: int) -> Row:
    if r.kind == "section":
        return (Cell(r.name, align="left", bold=True, colspan=ncols, tone="section"),) + (None,) * (ncols - 1)
    a = r.assessment
    behind = a is not None and a.behind
    tone = "binding" if r.binding_behind else ("behind" if behind else "")
    name = ("其中：" if r.indent else "") + r.name
    completion = (
        Cell(r.completion, number=a.completion, number_format="0.0%")
        if a is not None and a.completion is not None
        else Cell(r.completion)
    )
    status = r.status + (BINDING_MARK if r.binding_behind else "")
    return (
        Cell(r.seq),
        Cell(name, align="left", indent=2 * r.indent),
        Cell(r.unit),
        Cell(r.attribute),
        _number_cell(r.base) if r.base != NO_VALUE else Cell(r.base),
        Cell(r.target),
        *[_number_cell(v) if v != NO_VALUE else Cell(v) for v in r.values],
        completion,
        Cell(r.time_progress, number=a.time_progress if a else None, number_format="0.0%"),
        Cell(status, bold=r.binding_behind, tone=tone),
    )


def method_notes(plan: Plan, actuals: Mapping[str, Mapping[int, Actual]], year: int, settings: Settings, time_text: str) -> tuple[str, ...]:
    natures = Counter(per[year].nature.value for per in actuals.values() if year in per)
    nature_text = "、".join(f"{k} {v} 项" for k, v in sorted(natures.items())) or "暂无数据"
    band = format_decimal(Decimal(100) * settings.band)
    return (
        "完成进度 = (现值 － 基期值) ÷ (目标值 － 基期值)；无基期值或基期值等于目标值时 = 现值 ÷ 目标值。",
        "累计类指标（[ ]内为五年累计数）完成进度 = 规划期内累计完成 ÷ 目标值。",
        "控制类指标（以内、不超过）以是否达标评估（达标与否），不计算百分比。",
        f"序时进度 = (评估年份 － 基期年份) ÷ 规划期年数，{year}年为 {time_text}；完成进度高于序时进度 {band} 个百分点以上为快于序时，"
        f"相差在 ±{band} 个百分点以内为基本符合，低于 {band} 个百分点以上为滞后。",
        f"{year}年数据性质：{nature_text}（快报 / 年报 / 预计）。",
    )


def progress_document(
    plan: Plan, actuals: Mapping[str, Mapping[int, Actual]], year: int, settings: Settings = Settings(),
    *, statuses: Mapping[str, str] | None = None,
) -> Document:
    """``statuses``: the 评估结论 of indicators the progress module could not assess, by code
    (a city's 不可汇总 indicators: "无数据" would say the counties sent nothing)."""
    table_data = progress_table(plan, actuals, year, settings)
    header = _progress_header(table_data.years)
    ncols = len(header[0])
    rows = table_data.rows
    if statuses:
        rows = tuple(replace(r, status=statuses[r.code]) if r.code in statuses else r
                     for r in rows)
    body = tuple(_progress_row(r, ncols) for r in rows)
    names = [r.name for r in table_data.rows if r.kind == "indicator"]
    widths = (3.0, _width(names, 12, 26), 4.5, 4.0, 5.0, 6.0, *[5.0] * len(table_data.years), 5.5, 5.5, 6.5)
    notes = tuple(f"{i}. {n}" for i, n in enumerate(method_notes(plan, actuals, year, settings, table_data.time_progress_text), 1))
    if any(r.binding_behind for r in table_data.rows):
        notes += (f"{BINDING_MARK} 约束性指标进度滞后，须说明原因。",)
    notes = ("注：",) + notes + sample_note(plan)
    title = f"{plan.region_name}{period_name(plan)}规划主要指标{year}年度进展情况"
    table = Table("", header, body, widths, notes)
    blocks: tuple[Block, ...] = (Paragraph(title, "title"), Paragraph(plan.title, "subtitle"), table)
    return Document(
        "progress", title, blocks, landscape=True, sheet_name=f"{year}年进展", method_notes=method_notes(plan, actuals, year, settings, table_data.time_progress_text)
    )


# ---------------------------------------------------------------------------------------------
# 3. the submission report (报送表)

COVER_FIELDS = ("填报单位", "负责人", "填报人", "联系电话", "报送日期")


def submission_document(
    plan: Plan,
    actuals: Mapping[str, Mapping[int, Actual]],
    year: int,
    fingerprint: str,
    *,
    settings: Settings = Settings(),
    on: date | None = None,
) -> Document:
    progress = progress_document(plan, actuals, year, settings)
    props = dict(plan.properties)
    values = {
        "填报单位": props.get("填报单位") or plan.region_name,
        "负责人": props.get("负责人", ""),
        "填报人": props.get("填报人", ""),
        "联系电话": props.get("联系电话", ""),
        "报送日期": props.get("报送日期") or (on or date.today()).strftime("%Y年%m月%d日").replace("年0", "年").replace("月0", "月"),
    }
    cover = Cover(tuple((k, values[k]) for k in COVER_FIELDS))
    title = f"{plan.region_name}{period_name(plan)}规划主要指标{year}年度数据报送表"
    table = next(b for b in progress.blocks if isinstance(b, Table))
    blocks: tuple[Block, ...] = (
        Paragraph(title, "title"),
        Paragraph(f"{plan.title}（行政区划代码 {plan.region_code}）", "subtitle"),
        cover,
        table,
        FingerprintBlock(fingerprint),
    )
    return Document(
        "submission", title, blocks, landscape=True, page_numbers="of", sheet_name=f"{year}年报送", method_notes=progress.method_notes
    )
