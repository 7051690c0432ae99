"""The PDF renderer: draws a ``layout.Document`` with reportlab platypus.

It draws exactly the cells of the layout description and never computes or formats a
figure. Page geometry follows GB/T 9704 for portrait pages (A4, 天头 37 mm, 订口 28 mm,
版心 156 × 225 mm, page numbers "— N —" 7 mm under the text block); wide tables go on
landscape A4. Every font is an embedded TrueType font (the bundled Noto fonts by default, see
``fonts.py``); every character is checked against its font before anything is written, so a
character the font lacks fails with ``MissingGlyph`` instead of printing blank. The file is
written to a temporary file in the target folder and moved into place, so a failed render
never leaves a half-written report.
"""
from __future__ import annotations

import functools
import os
import re
import uuid
from collections.abc import Callable
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib import textsplit as _textsplit_module
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, KeepTogether, PageTemplate, Spacer
from reportlab.platypus import Paragraph as RLParagraph
from reportlab.platypus import paragraph as _paragraph_module
from reportlab.platypus import Table as RLTable

from desktop.domain.errors import PlanLedgerError
from desktop.domain.fingerprint import grouped
from desktop.store import outputs

from .fonts import FontFace, RegisteredFonts, ReportFonts, check_text, register
from . import paged_table
from .linebreak import NO_LINE_START, break_lines
from .paged_table import PagedTable
from .layout import Cell, Cover, Document, FingerprintBlock, Paragraph, Table, TaskList
from .chart_layout import ChartBlock

AUTHOR = "规划指标台账"
_PAD_H = 3.0
"""Left and right padding of a table cell (points): room for a hanging mark's ink."""

# 行首禁则 for the paragraphs reportlab wraps itself (notes, task items; table cells are broken
# by ``linebreak``): its CJK wrap hangs a mark that may not start a line at the end of the line
# before, but its list lacks the Chinese "，；：？！" — they are added (once per process;
# reportlab reads the module-level string).
for _module in (_paragraph_module, _textsplit_module):
    _module.ALL_CANNOT_START = "".join(dict.fromkeys(_module.ALL_CANNOT_START + NO_LINE_START))


class OutputRefused(PlanLedgerError, OSError):
    """The report cannot be written where asked (missing or read-only folder, file in use)."""


# ---------------------------------------------------------------------------------------------
# page geometry


class Geometry:
    """Page size, text block and page-number position of one document."""

    def __init__(self, is_landscape: bool):
        self.landscape = is_landscape
        if is_landscape:  # a wide table: A4 landscape, even margins
            self.size = landscape(A4)
            self.left, self.right, self.top, self.bottom = 18 * mm, 18 * mm, 16 * mm, 20 * mm
        else:  # GB/T 9704: 天头 37 mm, 订口 28 mm, 版心 156 × 225 mm
            self.size = A4
            self.left, self.top = 28 * mm, 37 * mm
            self.right = self.size[0] - self.left - 156 * mm
            self.bottom = self.size[1] - self.top - 225 * mm
        self.width = self.size[0] - self.left - self.right
        self.height = self.size[1] - self.top - self.bottom

    def frame(self, mirrored: bool) -> Frame:
        left = self.right if mirrored else self.left  # even pages: 订口 on the right
        return Frame(left, self.bottom, self.width, self.height, 0, 0, 0, 0, id="body", showBoundary=0)


def _canvas_class(mode: str, font: str, geometry: Geometry) -> type[Canvas]:
    """A canvas that numbers the pages when the document is saved (so "共Y页" is known)."""
    size = 14.0 if mode == "dash" else 10.5  # GB/T 9704: 4号 numerals with 一字线
    baseline = max(6 * mm, geometry.bottom - 7 * mm - size * 0.8)

    class NumberedCanvas(Canvas):
        def __init__(self, *args, **kwargs):
            kwargs["initialFontName"] = font  # never the standard (unembedded) Helvetica
            kwargs["initialFontSize"] = 10
            kwargs["initialLeading"] = 12
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self):  # noqa: N802 - reportlab API
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._pages)
            for number, state in enumerate(self._pages, 1):
                self.__dict__.update(state)
                label = f"— {number} —" if mode == "dash" else f"第{number}页 共{total}页"
                self.setFont(font, size)
                self.setFillColor(colors.black)
                self.drawCentredString(self._pagesize[0] / 2, baseline, label)
                Canvas.showPage(self)
            Canvas.save(self)

    return NumberedCanvas


# ---------------------------------------------------------------------------------------------
# styles

_ALIGN = {"left": TA_LEFT, "center": TA_CENTER, "right": TA_RIGHT, "justify": TA_JUSTIFY}
_ITEM_NUMBER = re.compile(r"^\s*(\d+[.．、]|[（(]\d+[）)]|[一二三四五六七八九十]+、)")


class _Renderer:
    def __init__(self, doc: Document, reg: RegisteredFonts, geometry: Geometry):
        self.doc = doc
        self.reg = reg
        self.geo = geometry
        self.body = reg.face(reg.body)
        self.heading = reg.face(reg.heading)
        self.sans = reg.face(reg.sans)
        self.texts: list[tuple[str, str, FontFace]] = []
        self._styles: dict[tuple, ParagraphStyle] = {}
        self._measures: dict[tuple[str, float], Callable[[str], float]] = {}

    # -- helpers ------------------------------------------------------------------------------

    def style(self, font: str, size: float, align: str = "left", indent: float = 0, first: float = 0, leading: float | None = None, **kw) -> ParagraphStyle:
        key = (font, size, align, indent, first, leading, tuple(sorted(kw.items())))
        style = self._styles.get(key)
        if style is None:
            style = ParagraphStyle(
                f"s{len(self._styles)}",
                fontName=font,
                fontSize=size,
                leading=leading or size * 1.35,
                alignment=_ALIGN.get(align, TA_LEFT),
                leftIndent=indent,
                firstLineIndent=first,
                wordWrap="CJK",
                textColor=colors.black,
                **kw,
            )
            self._styles[key] = style
        return style

    def _measure(self, font: str, size: float) -> Callable[[str], float]:
        """``stringWidth`` for one font and size, remembered per text (the line breaker measures
        the same characters over and over in a long table)."""
        measure = self._measures.get((font, size))
        if measure is None:
            measure = self._measures[(font, size)] = functools.cache(
                functools.partial(stringWidth, fontName=font, fontSize=size))
        return measure

    def para(self, text: str, place: str, face: FontFace, style: ParagraphStyle,
             lines: list[str] | None = None) -> RLParagraph:
        """``text`` (its glyphs checked with ``face``), or its ``lines`` as broken by ``linebreak``."""
        self.texts.append((text, place, face))
        return RLParagraph("<br/>".join(escape(line) for line in (lines or [text])), style)

    # -- blocks -------------------------------------------------------------------------------

    def story(self) -> list[Flowable]:
        label = "— 0123456789 —" if self.doc.page_numbers == "dash" else "第0123456789页 共页"
        self.texts.append((label, "页码", self.body))
        story: list[Flowable] = []
        for block in self.doc.blocks:
            if isinstance(block, Paragraph):
                story.append(self.paragraph(block))
            elif isinstance(block, Table):
                story.extend(self.table(block))
            elif isinstance(block, TaskList):
                story.extend(self.task_list(block))
            elif isinstance(block, Cover):
                story.extend(self.cover(block))
            elif isinstance(block, FingerprintBlock):
                story.extend(self.fingerprint(block))
            elif isinstance(block, ChartBlock):
                story.extend(self.charts(block))
        return story

    def charts(self, block: ChartBlock) -> list[Flowable]:
        """Chart pages (``--charts``): vectors drawn by ``charts.py`` in the sans font."""
        from reportlab.platypus import PageBreak

        from .charts import chart_flowables

        texts: list[str] = []
        flow = chart_flowables(block, self.reg.sans, self.reg.heading, self.geo.width, texts)
        self.texts.extend((t, f"图表“{block.caption}”", self.sans) for t in texts)
        return [PageBreak(), self.caption(block.caption), *flow]

    def paragraph(self, p: Paragraph) -> RLParagraph:
        if p.style == "title":
            size = 18.0 if self.geo.landscape else 22.0  # 小二 / 二号
            style = self.style(self.reg.heading, size, "center", leading=size * 1.4, spaceAfter=4)
            return self.para(p.text, f"标题“{p.text}”", self.heading, style)
        if p.style == "subtitle":
            style = self.style(self.reg.body, 14.0, "center", spaceAfter=8)
            return self.para(p.text, f"副标题“{p.text}”", self.body, style)
        if p.style == "note":
            return self.para(p.text, f"说明“{p.text[:20]}”", self.body, self.style(self.reg.body, 10.0))
        return self.para(p.text, f"正文“{p.text[:20]}”", self.body, self.style(self.reg.body, 12.0, spaceAfter=4))

    def caption(self, text: str) -> RLParagraph:
        style = self.style(self.reg.heading, 14.0, "center", spaceAfter=6, keepWithNext=1)
        return self.para(text, f"表题“{text}”", self.heading, style)

    def notes(self, notes: tuple[str, ...], size: float, where: str) -> list[Flowable]:
        """注 lines in a smaller serif, kept together (never a lone “注：” at a page foot);
        numbered lines (“1. …”) with a hanging indent."""
        paras: list[Flowable] = []
        width = self.geo.width - 0.5
        for note in notes:
            m = _ITEM_NUMBER.match(note)
            hang = stringWidth(m.group(0) + " ", self.reg.body, size) if m else 0.0
            style = self.style(self.reg.body, size, indent=hang, first=-hang, leading=size * 1.45)
            lines = break_lines(note, self._measure(self.reg.body, size), width, width - hang)  # 禁则
            paras.append(self.para(note, f"{where}的注“{note[:24]}”", self.body, style, lines))
        return [Spacer(1, 4), KeepTogether(paras)] if paras else []

    def layout_columns(self, t: Table, pad: float) -> tuple[float, list[float]]:
        """The body font size and the column widths (points) of a table.

        小四 (12 pt) on portrait pages, 五号 (10.5 pt) on landscape ones, a step smaller when the
        columns would have to give up too much: ``widths`` are in characters of the body font;
        short cells (≤ 8 characters: headers, numbers, units, 属性) keep one line, and the room
        that is missing is taken from the longer texts (the indicator names), which wrap.
        """
        ncols = len(t.widths)
        short = [0.0] * ncols  # widest short cell per column, at 1 pt
        for r, row in enumerate(t.header + t.body):
            for c, cell in enumerate(row):
                if cell is None or cell.colspan > 1 or len(cell.text) > 8 or c >= ncols:
                    continue
                bold = r < len(t.header) or cell.bold or cell.tone in ("section", "binding")
                w = stringWidth(cell.text, self.reg.heading if bold else self.reg.body, 1.0) + cell.indent
                short[c] = max(short[c], w)
        sizes = (10.5, 9.0, 8.0) if self.geo.landscape else (12.0, 10.5, 9.0)
        for size in sizes:
            cut, widths = column_widths(t.widths, [s * size + 2 * pad for s in short], size, 2 * pad, self.geo.width)
            if cut <= 0.45:
                break
        return size, widths

    def table(self, t: Table) -> list[Flowable]:
        ncols = len(t.widths)
        pad_h, pad_v = _PAD_H, (2.0 if self.geo.landscape else 3.5)
        size, col_w = self.layout_columns(t, pad_h)
        cmds: list[tuple] = [
            ("FONTNAME", (0, 0), (-1, -1), self.reg.body),
            ("FONTSIZE", (0, 0), (-1, -1), size),
            ("LEADING", (0, 0), (-1, -1), size * 1.3),
            ("ALIGN", (0, 0), (-1, -1), "CENTER"),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LEFTPADDING", (0, 0), (-1, -1), pad_h),
            ("RIGHTPADDING", (0, 0), (-1, -1), pad_h),
            ("TOPPADDING", (0, 0), (-1, -1), pad_v),
            ("BOTTOMPADDING", (0, 0), (-1, -1), pad_v + 1),
            ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
            ("BOX", (0, 0), (-1, -1), 1.0, colors.black),
        ]
        where = f"“{t.caption}”" if t.caption else f"“{self.doc.title}”"
        data: list[list[object]] = []
        rows = list(t.header) + list(t.body)
        nhead = len(t.header)
        for r, row in enumerate(rows):
            label = _row_label(row)
            out: list[object] = []
            for c, cell in enumerate(row):
                if cell is None:
                    out.append("")
                    continue
                if r < nhead:
                    place = f"{where}表头“{cell.text}”"
                elif cell.tone == "section":
                    place = f"{where}的“{cell.text}”行"
                else:
                    place = f"指标“{label}”" if label else f"{where}第{r - nhead + 1}行"
                width = sum(col_w[c : c + max(1, cell.colspan)]) - 2 * pad_h
                out.append(self.cell(cell, r, c, size, width, place, cmds))
                if cell.colspan > 1 or cell.rowspan > 1:
                    cmds.append(("SPAN", (c, r), (c + cell.colspan - 1, r + cell.rowspan - 1)))
            out += [""] * (ncols - len(out))
            data.append(out)
            if r >= nhead and r + 1 < len(rows) and any(c is not None and c.tone == "section" for c in row):
                cmds.append(("NOSPLIT", (0, r), (-1, r + 1)))  # a section row never ends a page
        if nhead:
            cmds.append(("LINEBELOW", (0, nhead - 1), (-1, nhead - 1), 0.75, colors.black))
        options = {"colWidths": col_w, "splitByRow": 1, "splitInRow": 0, "hAlign": "CENTER"}
        table: Flowable = (PagedTable(data, nhead, cmds, options) if len(t.body) > paged_table.WINDOW
                           else RLTable(data, style=cmds, repeatRows=nhead, **options))
        out: list[Flowable] = []
        if t.caption:
            out.append(self.caption(t.caption))
        out.append(table)
        out.extend(self.notes(t.notes, max(9.0, size - 1.5), where))
        return out

    def cell(self, cell: Cell, r: int, c: int, size: float, width: float, place: str, cmds: list[tuple]) -> object:
        """The cell's text as a plain string, broken into lines by ``linebreak`` when it does not
        fit on one: the table draws each line itself (no Paragraph, no second wrap)."""
        bold = cell.bold or cell.tone in ("section", "binding")
        face = self.heading if bold else self.body
        indent = cell.indent * size
        self.texts.append((cell.text, place, face))
        align = "left" if cell.tone == "section" else cell.align
        text = cell.text
        if stringWidth(text, face.name, size) + indent > width - 0.5:
            text = "\n".join(break_lines(text, self._measure(face.name, size), width - indent - 0.5, hang=_PAD_H))
        if bold:
            cmds.append(("FONTNAME", (c, r), (c, r), face.name))
        if align != "center":
            cmds.append(("ALIGN", (c, r), (c, r), align.upper()))
        if indent:
            cmds.append(("LEFTPADDING", (c, r), (c, r), _PAD_H + indent))
        return text

    def task_list(self, t: TaskList) -> list[Flowable]:
        size = 12.0
        face = self.body
        rows: list[list[object]] = [[self.para(t.caption, f"专栏标题“{t.caption}”", self.heading, self.style(self.reg.heading, 14.0, "center", leading=20))]]
        for i, item in enumerate(t.items, 1):
            m = _ITEM_NUMBER.match(item)
            hang = stringWidth(m.group(0), face.name, size) if m else 0.0
            style = self.style(face.name, size, "justify", indent=hang, first=-hang, leading=size * 1.6)
            rows.append([self.para(item, f"“{t.caption}”第{i}项", face, style)])
        style = [
            ("FONTNAME", (0, 0), (-1, -1), self.reg.body),  # never the default Helvetica
            ("BOX", (0, 0), (-1, -1), 1.0, colors.black),
            ("LINEBELOW", (0, 0), (0, 0), 0.5, colors.black),
            ("LEFTPADDING", (0, 0), (-1, -1), 10),
            ("RIGHTPADDING", (0, 0), (-1, -1), 10),
            ("TOPPADDING", (0, 0), (-1, -1), 3),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ("TOPPADDING", (0, 0), (0, 0), 6),
            ("BOTTOMPADDING", (0, 0), (0, 0), 6),
            ("TOPPADDING", (0, 1), (0, 1), 8),
            ("BOTTOMPADDING", (0, -1), (0, -1), 10),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ]
        table = RLTable(rows, colWidths=[self.geo.width], style=style, repeatRows=1, splitByRow=1, splitInRow=0)
        return [table, *self.notes(t.notes, 10.5, f"“{t.caption}”")]

    def cover(self, cover: Cover) -> list[Flowable]:
        label_style = self.style(self.reg.heading, 12.0, "center")
        value_style = self.style(self.reg.body, 12.0, "left")
        stamp_style = self.style(self.reg.body, 12.0, "center")
        rows: list[list[object]] = []
        for i, (label, value) in enumerate(cover.fields):
            rows.append([
                self.para(label, f"封面“{label}”", self.heading, label_style),
                self.para(value, f"封面“{label}”", self.body, value_style),
                "",
                self.para(cover.stamp, "盖章处", self.body, stamp_style) if i == 0 else "",
            ])
        n = len(rows)
        widths = [32 * mm, 86 * mm, 12 * mm, 45 * mm]
        style = [
            ("FONTNAME", (0, 0), (-1, -1), self.reg.body),
            ("GRID", (0, 0), (1, -1), 0.5, colors.black),
            ("BOX", (0, 0), (1, -1), 1.0, colors.black),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("VALIGN", (3, 0), (3, -1), "BOTTOM"),
            ("SPAN", (3, 0), (3, n - 1)),
            ("LEFTPADDING", (0, 0), (-1, -1), 6),
        ]
        table = RLTable(rows, colWidths=widths, rowHeights=[7.5 * mm] * n, style=style, hAlign="LEFT")
        return [Spacer(1, 4), table, Spacer(1, 14)]

    def fingerprint(self, block: FingerprintBlock) -> list[Flowable]:
        text = grouped(block.fingerprint)
        qr_size = 30 * mm
        left = [
            self.para(block.label, "数据指纹标签", self.heading, self.style(self.reg.heading, 12.0, leading=18)),
            self.para(text, "数据指纹", self.sans, self.style(self.reg.sans, 13.0, leading=22, spaceBefore=4, spaceAfter=4)),
            self.para(block.explanation, "数据指纹说明", self.body, self.style(self.reg.body, 10.0)),
        ]
        rows = [[left, _qr(block.fingerprint, qr_size, self.reg.body)]]
        widths = [self.geo.width - qr_size - 12, qr_size + 12]
        style = [
            ("FONTNAME", (0, 0), (-1, -1), self.reg.body),
            ("BOX", (0, 0), (-1, -1), 0.75, colors.black),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LEFTPADDING", (0, 0), (-1, -1), 8),
            ("RIGHTPADDING", (1, 0), (1, 0), 4),
            ("LEFTPADDING", (1, 0), (1, 0), 8),
            ("TOPPADDING", (0, 0), (-1, -1), 6),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
        ]
        return [Spacer(1, 12), RLTable(rows, colWidths=widths, style=style, hAlign="LEFT")]


def column_widths(
    widths: tuple[float, ...], floors: list[float], size: float, padding: float, frame: float
) -> tuple[float, list[float]]:
    """Column widths in points filling ``frame``, and the share of the room above the floors
    that had to be given up (0 when everything fits).

    ``widths`` are in characters of the body font. When they fit, every column grows in
    proportion; when they do not, each column gives up room in proportion to what it has above
    its floor (its widest short cell), so narrow columns keep their words on one line and the
    long name column wraps."""
    natural = [max(1.0, w) * size + padding for w in widths]
    total = sum(natural)
    if total <= frame:
        return 0.0, [frame * n / total for n in natural]
    floor = [min(n, max(f, 2 * size + padding)) for n, f in zip(natural, floors)]
    slack = sum(n - f for n, f in zip(natural, floor))
    if slack <= 0 or sum(floor) >= frame:
        return 1.0, [frame * n / total for n in natural]
    cut = (total - frame) / slack
    return cut, [n - (n - f) * cut for n, f in zip(natural, floor)]


def _row_label(row: tuple[Cell | None, ...]) -> str:
    """The indicator name of a body row: its first left-aligned cell, else its first text."""
    for cell in row:
        if cell is not None and cell.align == "left" and cell.text:
            return cell.text
    return next((c.text for c in row if c is not None and c.text), "")


def _qr(fp: str, size: float, font: str) -> Drawing:
    widget = QrCodeWidget(fp, barLevel="M")
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    drawing.initialFontName = font  # the graphics state would otherwise set the unembedded Helvetica
    drawing.add(widget)
    return drawing


# ---------------------------------------------------------------------------------------------
# output


def _check_output(out: Path) -> None:
    folder = out.parent
    if not folder.exists():
        raise OutputRefused(f"无法写入报表“{out}”：文件夹“{folder}”不存在。")
    if not folder.is_dir():
        raise OutputRefused(f"无法写入报表“{out}”：“{folder}”不是文件夹。")
    if out.is_dir():
        raise OutputRefused(f"无法写入报表“{out}”：这是一个文件夹，请指定文件名。")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputRefused(f"无法写入报表“{out}”：文件夹“{folder}”是只读的（没有写入权限）。")


def render_pdf(doc: Document, out: Path, fonts: ReportFonts | None = None) -> Path:
    """Draw ``doc`` into the PDF file ``out`` and return its path.

    An existing ``out`` is kept as a backup (``store.outputs``); a workbook is never the target.
    Raises ``OutputRefused`` (missing or read-only folder, file in use), ``FontRefused`` (a
    chosen font that cannot be embedded) and ``MissingGlyph`` (a character the fonts lack),
    each with a Chinese message, before anything is written.
    """
    out = Path(out)
    _check_output(out)
    outputs.check_output(out, (".pdf",), "PDF 报表")
    reg = register(fonts)
    geometry = Geometry(doc.landscape)
    renderer = _Renderer(doc, reg, geometry)
    story = renderer.story()
    check_text(renderer.texts)

    tmp = out.with_name(f".{out.name}.{uuid.uuid4().hex[:8]}.tmp")  # same folder: os.replace is atomic
    try:
        template = BaseDocTemplate(
            str(tmp),
            pagesize=geometry.size,
            leftMargin=geometry.left,
            rightMargin=geometry.right,
            topMargin=geometry.top,
            bottomMargin=geometry.bottom,
            title=doc.title,
            author=AUTHOR,
            creator=AUTHOR,
            subject=doc.title,
            keywords=doc.kind,
            lang="zh-CN",
        )
        if geometry.landscape:
            pages = [PageTemplate("page", [geometry.frame(False)])]
        else:  # recto/verso: 订口 on the binding side
            pages = [
                PageTemplate("odd", [geometry.frame(False)], autoNextPageTemplate="even"),
                PageTemplate("even", [geometry.frame(True)], autoNextPageTemplate="odd"),
            ]
        template.addPageTemplates(pages)
        template.build(story, canvasmaker=_canvas_class(doc.page_numbers, reg.body, geometry))
        outputs.keep_backup(out)  # a report already there is kept, not overwritten
        os.replace(tmp, out)
    except PermissionError as exc:
        outputs.discard(tmp)
        raise OutputRefused(f"无法写入报表“{out}”：没有权限，或文件正被其他程序（如 PDF 阅读器）打开。（{exc}）") from exc
    except OSError as exc:
        outputs.discard(tmp)
        raise OutputRefused(f"无法写入报表“{out}”：{exc}") from exc
    except BaseException:
        outputs.discard(tmp)
        raise
    return out


__all__ = ["Geometry", "OutputRefused", "render_pdf"]
