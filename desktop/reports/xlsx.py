"""Excel renderer: draws a layout ``Document`` into an .xlsx workbook with openpyxl.

It draws exactly the cells of the layout description (``desktop.reports.layout``) and never
computes or formats a figure itself. What the workbook carries beyond the PDF:

* numeric cells stay numeric (``Cell.number`` with ``Cell.number_format``); targets as
  written stay text in their own column;
* merged ranges from ``colspan``/``rowspan``, with the borders set on every cell of each
  merged range (Excel and WPS draw a merged cell's border from its member cells);
* fonts by name as Chinese offices have them (黑体 for titles, 宋体 / 仿宋_GB2312 for the
  body; LibreOffice substitutes on Linux);
* a print setup that survives a round trip: A4, orientation, fit to one page wide, header
  rows repeated on every page, margins, footer "第 &P 页，共 &N 页", print area;
* a second sheet 说明 with the document's method notes and the generation info.

The worksheet is written with our own row counter: ``ws.max_row`` inside a loop is quadratic.
"""
from __future__ import annotations

import math
import os
import tempfile
import unicodedata
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.worksheet import Worksheet

from desktop import APP_NAME, __version__
from desktop.domain.errors import PlanLedgerError
from desktop.domain.fingerprint import grouped
from desktop.store import outputs
from desktop.reports.layout import Cell, Cover, Document, FingerprintBlock, Paragraph, Table, TaskList

TITLE_FONT = "黑体"
BODY_FONT = "仿宋_GB2312"
TABLE_FONT = "宋体"
TITLE_SIZE = 16.0
CAPTION_SIZE = 14.0
SUBTITLE_SIZE = 12.0
TABLE_SIZE = 10.5
NOTE_SIZE = 10.5
FOOTER = "第 &P 页，共 &N 页"
INFO_SHEET = "说明"

# Column widths in Excel units (width of the digit "0" of the default font, ≈ 7 px): a CJK
# character at 10.5 pt is ≈ 14 px, so two units per character, plus one unit of padding.
UNITS_PER_CHAR = 2.0
PADDING_UNITS = 1.0
# Line height in points per point of font size; generous, as the fonts LibreOffice and WPS
# substitute for 宋体/仿宋 (Noto CJK, WenQuanYi …) have tall line boxes.
LINE_FACTOR = 1.45
ROW_PADDING = 5.0
# Layout width when a document has no table (a task box): about the 版心 of an A4 portrait page.
TASK_COLUMNS = (7.0, 7.0, 7.0, 7.0, 7.0, 7.0)

THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
TONE_COLOURS = {"binding": "C00000", "behind": "9C5700"}


# ---------------------------------------------------------------------------------------------
# text measuring


def text_units(text: str) -> float:
    """Printed width of ``text`` in CJK characters (a wide character 1, a narrow one ½)."""
    return sum(1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.5 for ch in text)


def line_count(text: str, width_chars: float) -> int:
    """Lines ``text`` needs when wrapped in a cell ``width_chars`` characters wide."""
    usable = max(1.0, width_chars - 0.5)
    return sum(max(1, math.ceil(text_units(part) / usable)) for part in (text.split("\n") or [""]))


def excel_width(chars: float) -> float:
    return round(chars * UNITS_PER_CHAR + PADDING_UNITS, 2)


def line_height(size: float) -> float:
    return size * LINE_FACTOR


# ---------------------------------------------------------------------------------------------
# the sheet writer


class _Sheet:
    """Writes blocks downwards on one worksheet, keeping its own row counter."""

    def __init__(self, ws: Worksheet, widths: Sequence[float]):
        self.ws = ws
        self.widths = tuple(widths)  # in characters
        self.ncols = len(self.widths)
        self.row = 1  # next free row
        self.heights: dict[int, float] = {}
        for i, w in enumerate(self.widths, 1):
            ws.column_dimensions[get_column_letter(i)].width = excel_width(w)

    # -- helpers ----------------------------------------------------------------------------

    def span_chars(self, first: int, count: int) -> float:
        """Width in characters of ``count`` columns from column index ``first`` (0-based)."""
        return sum(self.widths[first : first + count])

    def need(self, row: int, points: float) -> None:
        self.heights[row] = max(self.heights.get(row, 0.0), points)

    def merge(self, row: int, col: int, rowspan: int = 1, colspan: int = 1) -> None:
        if rowspan > 1 or colspan > 1:
            self.ws.merge_cells(start_row=row, start_column=col, end_row=row + rowspan - 1, end_column=col + colspan - 1)

    def border(self, row: int, col: int, rowspan: int = 1, colspan: int = 1) -> None:
        """Thin borders on every cell of the range (merged ranges need them on each cell)."""
        for r in range(row, row + rowspan):
            for c in range(col, col + colspan):
                self.ws.cell(row=r, column=c).border = BOX

    def line(self, text: str, *, font: Font, align: str = "left", colspan: int | None = None, col: int = 1, height: float | None = None) -> int:
        """A merged full-width (or ``colspan`` wide) text row; returns its row number."""
        span = colspan if colspan is not None else self.ncols - col + 1
        r = self.row
        cell = self.ws.cell(row=r, column=col, value=text)
        cell.font = font
        cell.alignment = Alignment(horizontal=align, vertical="center", wrap_text=True)
        self.merge(r, col, 1, span)
        lines = line_count(text, self.span_chars(col - 1, span) * TABLE_SIZE / (font.sz or TABLE_SIZE))
        self.need(r, height if height is not None else lines * line_height(font.sz or TABLE_SIZE) + ROW_PADDING)
        self.row += 1
        return r

    def gap(self, points: float = 8.0) -> None:
        self.need(self.row, points)
        self.row += 1

    # -- blocks -----------------------------------------------------------------------------

    def paragraph(self, p: Paragraph) -> None:
        if p.style == "title":
            self.line(p.text, font=Font(name=TITLE_FONT, size=TITLE_SIZE), align="center")
        elif p.style == "subtitle":
            self.line(p.text, font=Font(name=BODY_FONT, size=SUBTITLE_SIZE), align="center")
        elif p.style == "note":
            self.line(p.text, font=Font(name=BODY_FONT, size=NOTE_SIZE))
        else:
            self.line(p.text, font=Font(name=BODY_FONT, size=SUBTITLE_SIZE))

    def caption(self, text: str) -> None:
        if text:
            self.line(text, font=Font(name=TITLE_FONT, size=CAPTION_SIZE), align="center")

    def table(self, t: Table) -> tuple[int, int]:
        """Draws the caption, header, body and notes; returns the header's first and last rows."""
        self.caption(t.caption)
        header_first = self.row
        self.rows(t.header, header=True)
        header_last = self.row - 1
        self.rows(t.body, header=False)
        self.notes(t.notes)
        return header_first, header_last

    def rows(self, rows: Sequence[tuple[Cell | None, ...]], *, header: bool) -> None:
        ws = self.ws
        first = self.row
        for offset, cells in enumerate(rows):
            r = first + offset
            self.need(r, line_height(TABLE_SIZE) + ROW_PADDING)
            for i, c in enumerate(cells):
                col = i + 1
                if c is None:
                    # covered by a span: the anchor's border loop styles it; still make sure a
                    # lone covered position (a layout slip) gets its border.
                    ws.cell(row=r, column=col).border = BOX
                    continue
                cell = ws.cell(row=r, column=col)
                if c.number is not None:
                    cell.value = float(c.number)  # float only here, at the openpyxl boundary
                    if c.number_format:
                        cell.number_format = c.number_format
                else:
                    cell.value = c.text
                    cell.number_format = "@"  # text as written: "[>23.5]" stays a string
                cell.font = self.cell_font(c, header)
                cell.alignment = Alignment(
                    horizontal=c.align if c.align in ("left", "center", "right") else "center",
                    vertical="center",
                    wrap_text=True,
                    indent=c.indent if c.align == "left" else 0,
                )
                colspan = max(1, min(c.colspan, self.ncols - i))
                rowspan = max(1, c.rowspan)
                self.merge(r, col, rowspan, colspan)
                self.border(r, col, rowspan, colspan)
                chars = self.span_chars(i, colspan) - (c.indent / 2 if c.align == "left" else 0)
                lines = line_count(c.text, chars)
                self.need(r, (lines * line_height(TABLE_SIZE) + ROW_PADDING) / rowspan)
        self.row = first + len(rows)

    @staticmethod
    def cell_font(c: Cell, header: bool) -> Font:
        colour = TONE_COLOURS.get(c.tone)
        if header:
            return Font(name=TITLE_FONT, size=TABLE_SIZE, bold=c.bold, color=colour)
        return Font(name=TABLE_FONT, size=TABLE_SIZE, bold=c.bold, italic=c.tone == "sample", color=colour)

    def notes(self, notes: Sequence[str]) -> None:
        for n in notes:
            self.line(n, font=Font(name=BODY_FONT, size=NOTE_SIZE))

    def task_list(self, t: TaskList) -> None:
        self.caption(t.caption)
        font = Font(name=TABLE_FONT, size=TABLE_SIZE + 0.5)
        chars = self.span_chars(0, self.ncols) - 1
        for item in t.items:
            r = self.row
            cell = self.ws.cell(row=r, column=1, value=item)
            cell.font = font
            cell.alignment = Alignment(horizontal="left", vertical="center", wrap_text=True, indent=1)
            self.merge(r, 1, 1, self.ncols)
            self.border(r, 1, 1, self.ncols)
            self.need(r, line_count(item, chars * TABLE_SIZE / font.sz) * line_height(font.sz) + ROW_PADDING + 2)
            self.row += 1
        self.notes(t.notes)

    def cover_columns(self) -> tuple[int, int, int]:
        """Column counts of the cover's label, value and stamp areas, chosen by width."""
        if self.ncols < 3:
            return 1, max(1, self.ncols - 1), 0
        total = sum(self.widths)
        label, acc = 0, 0.0
        while label < self.ncols - 2 and acc < 5.0:
            acc += self.widths[label]
            label += 1
        value = 0
        while label + value < self.ncols - 1 and (acc < total * 0.62 or value == 0):
            acc += self.widths[label + value]
            value += 1
        return label, value, self.ncols - label - value

    def cover(self, c: Cover) -> None:
        label_n, value_n, stamp_n = self.cover_columns()
        first = self.row
        label_font = Font(name=TITLE_FONT, size=TABLE_SIZE + 1)
        value_font = Font(name=BODY_FONT, size=TABLE_SIZE + 1)
        for key, value in c.fields:
            r = self.row
            k = self.ws.cell(row=r, column=1, value=key)
            k.font = label_font
            k.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            self.merge(r, 1, 1, label_n)
            self.border(r, 1, 1, label_n)
            v = self.ws.cell(row=r, column=label_n + 1, value=value)
            v.font = value_font
            v.number_format = "@"
            v.alignment = Alignment(horizontal="left", vertical="center", wrap_text=True, indent=1)
            self.merge(r, label_n + 1, 1, value_n)
            self.border(r, label_n + 1, 1, value_n)
            self.need(r, 2 * line_height(TABLE_SIZE))
            self.row += 1
        rows = max(1, len(c.fields))
        if stamp_n:
            col = label_n + value_n + 1
            s = self.ws.cell(row=first, column=col, value=c.stamp)
            s.font = value_font
            s.alignment = Alignment(horizontal="right", vertical="bottom")
            self.merge(first, col, rows, stamp_n)
            self.border(first, col, rows, stamp_n)
        elif c.stamp:
            self.line(c.stamp, font=value_font, align="right", height=60.0)

    def fingerprint(self, f: FingerprintBlock) -> None:
        label_n, _, _ = self.cover_columns()
        label_n = min(label_n, max(1, self.ncols - 1))
        r = self.row
        k = self.ws.cell(row=r, column=1, value=f.label)
        k.font = Font(name=TITLE_FONT, size=TABLE_SIZE)
        k.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        self.merge(r, 1, 1, label_n)
        self.border(r, 1, 1, label_n)
        text = grouped(f.fingerprint)
        rest = self.ncols - label_n
        v = self.ws.cell(row=r, column=label_n + 1, value=text)
        v.font = Font(name="Courier New", size=TABLE_SIZE + 0.5)
        v.number_format = "@"
        v.alignment = Alignment(horizontal="left", vertical="center", wrap_text=True, indent=1)
        self.merge(r, label_n + 1, 1, rest)
        self.border(r, label_n + 1, 1, rest)
        lines = max(line_count(f.label, self.span_chars(0, label_n)), line_count(text, self.span_chars(label_n, rest) * 1.1))
        self.need(r, lines * line_height(TABLE_SIZE) + ROW_PADDING)
        self.row += 1
        if f.explanation:
            self.line(f.explanation, font=Font(name=BODY_FONT, size=NOTE_SIZE))

    def finish(self) -> None:
        for r, h in self.heights.items():
            self.ws.row_dimensions[r].height = round(h, 1)


# ---------------------------------------------------------------------------------------------
# the workbook


def _layout_widths(doc: Document) -> tuple[float, ...]:
    tables = doc.tables
    if not tables:
        return TASK_COLUMNS
    widest = max(tables, key=lambda t: len(t.widths))
    return tuple(float(w) for w in widest.widths)


def _print_setup(ws: Worksheet, *, landscape: bool, last_row: int, last_col: int, title_rows: tuple[int, int] | None) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE if landscape else ws.ORIENTATION_PORTRAIT
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.print_options.horizontalCentered = True
    ws.page_margins = PageMargins(left=0.6, right=0.6, top=0.75, bottom=0.8, header=0.3, footer=0.4)
    ws.oddFooter.center.text = FOOTER
    ws.oddFooter.center.font = "宋体"
    ws.oddFooter.center.size = 10
    if title_rows is not None:
        ws.print_title_rows = f"{title_rows[0]}:{title_rows[1]}"
    ws.print_area = f"A1:{get_column_letter(max(1, last_col))}{max(1, last_row)}"


def _sheet_title(name: str, taken: set[str]) -> str:
    """A valid, unique sheet title (≤ 31 characters, none of []:*?/\\)."""
    clean = "".join("_" if ch in "[]:*?/\\" else ch for ch in name).strip("'") or "报表"
    clean = clean[:31]
    candidate, n = clean, 2
    while candidate in taken:
        suffix = f"({n})"
        candidate, n = clean[: 31 - len(suffix)] + suffix, n + 1
    return candidate


def _draw_document(ws: Worksheet, doc: Document) -> None:
    sheet = _Sheet(ws, _layout_widths(doc))
    title_rows: tuple[int, int] | None = None
    freeze: int | None = None
    previous: object = None
    for block in doc.blocks:
        if isinstance(block, Paragraph):
            if previous is not None and not isinstance(previous, Paragraph):
                sheet.gap()
            sheet.paragraph(block)
        elif isinstance(block, Table):
            if previous is not None and not (isinstance(previous, Paragraph) and not block.caption):
                sheet.gap()
            first, last = sheet.table(block)
            if title_rows is None and last >= first:
                title_rows = (first, last)
                freeze = last + 1
        elif isinstance(block, TaskList):
            if previous is not None:
                sheet.gap()
            sheet.task_list(block)
        elif isinstance(block, Cover):
            if previous is not None:
                sheet.gap()
            sheet.cover(block)
        elif isinstance(block, FingerprintBlock):
            sheet.gap()
            sheet.fingerprint(block)
        previous = block
    sheet.finish()
    if freeze is not None and len(doc.tables) == 1 and 1 < freeze <= 8:  # not below a cover block
        ws.freeze_panes = ws.cell(row=freeze, column=1)
    _print_setup(ws, landscape=doc.landscape, last_row=sheet.row - 1, last_col=sheet.ncols, title_rows=title_rows)


def _draw_info(ws: Worksheet, doc: Document, now: datetime) -> None:
    ws.column_dimensions["A"].width = excel_width(3)
    ws.column_dimensions["B"].width = excel_width(44)
    sheet = _Sheet(ws, (3.0, 44.0))
    sheet.line("说明", font=Font(name=TITLE_FONT, size=CAPTION_SIZE), align="center")
    sheet.line(doc.title, font=Font(name=BODY_FONT, size=SUBTITLE_SIZE), align="center")
    body = Font(name=BODY_FONT, size=NOTE_SIZE)
    default = (
        ("本表按规划原文排印：目标值按原文照录（文本单元格），基期值、完成数等为数值单元格。",)
        if doc.tables
        else ("本专栏按规划原文排印（任务条目）。",)
    )
    notes = doc.method_notes or default
    for i, note in enumerate(notes, 1):
        r = sheet.row
        n = ws.cell(row=r, column=1, value=f"{i}.")
        n.font = body
        n.alignment = Alignment(horizontal="right", vertical="center")
        sheet.line(note, font=body, col=2)
    sheet.gap()
    info = (
        ("生成软件", f"{APP_NAME} {__version__}"),
        ("生成时间", now.strftime("%Y-%m-%d %H:%M")),
        ("工作表", doc.sheet_name),
    )
    for key, value in info:
        sheet.line(f"{key}：{value}", font=body)
    sheet.finish()
    _print_setup(ws, landscape=False, last_row=sheet.row - 1, last_col=2, title_rows=None)


def build_workbook(doc: Document, *, now: datetime | None = None) -> Workbook:
    """The workbook for ``doc``: the report sheet first, then 说明."""
    wb = Workbook()
    ws = wb.active
    ws.title = _sheet_title(doc.sheet_name, {INFO_SHEET})
    _draw_document(ws, doc)
    _draw_info(wb.create_sheet(INFO_SHEET), doc, now or datetime.now())
    wb.properties.title = doc.title
    wb.properties.creator = APP_NAME
    return wb


def render_xlsx(doc: Document, out: Path) -> Path:
    """Writes ``doc`` to ``out`` (.xlsx) atomically: a temp file in the same folder, then
    ``os.replace``; an existing ``out`` is kept as a backup (``store.outputs``), a workbook is
    never the target. A missing or read-only folder is a ``PlanLedgerError`` naming the path."""
    out = Path(out)
    folder = out.parent if str(out.parent) else Path(".")
    if not folder.is_dir():
        raise PlanLedgerError(f"无法保存 Excel 报表：文件夹“{folder}”不存在。")
    if out.is_dir():
        raise PlanLedgerError(f"无法保存 Excel 报表：“{out}”是一个文件夹。")
    outputs.check_output(out, (".xlsx",), "Excel 报表")
    wb = build_workbook(doc)
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=".~" + out.stem[:40] + "-", suffix=".xlsx.tmp", dir=folder)
    except OSError as e:
        raise PlanLedgerError(f"无法保存 Excel 报表：文件夹“{folder}”不可写入（{e.strerror or e}）。") from e
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as fh:
            wb.save(fh)
        os.chmod(tmp, 0o644)  # mkstemp makes 0600; a report is an ordinary document
        outputs.keep_backup(out)
        os.replace(tmp, out)
    except OSError as e:
        outputs.discard(tmp)
        raise PlanLedgerError(
            f"无法保存 Excel 报表“{out}”：{e.strerror or e}。如该文件正在 Excel 或 WPS 中打开，请先关闭后重试。"
        ) from e
    except BaseException:
        outputs.discard(tmp)
        raise
    return out
