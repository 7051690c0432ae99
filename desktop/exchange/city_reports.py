"""City-level report layouts from a ``Consolidation``: drawn by the existing PDF / Excel renderers.

- ``consolidated_progress_document``: the progress table (进展情况表) of the consolidated values,
  built by the reports module's own ``progress_document`` — the city's table is the county's
  table over other values.
- ``region_comparison_document``: indicators × regions for the report year, with the
  consolidated value and the rule in the last columns (地区对比表).

Render with ``desktop.reports.pdf.render_pdf(doc, path)`` / ``desktop.reports.xlsx.render_xlsx``.

From a workspace: ``prepare_city_report(ws, kind, year)`` checks that submissions were
received and consolidates (refused, in Chinese, otherwise); its ``write(pdf=…, xlsx=…,
fonts=…)`` draws the report without touching the database (the 报表 menu runs it in a worker
thread). ``write_city_report`` does both: the CLI's ``report --kind consolidated|comparison``.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from desktop.domain.errors import ValueRefused
from desktop.domain.model import RULE_LABELS, Rule
from desktop.domain.progress import Settings, number_text
from desktop.reports import render_document
from desktop.reports.layout import Block, Cell, Document, Paragraph, Row, Table, progress_document
from desktop.store.workspace import Workspace

from .consolidate import NOT_SUMMABLE_STATUS, Consolidation, consolidate

if TYPE_CHECKING:
    from desktop.reports.fonts import ReportFonts


def _partial_note(result: Consolidation) -> str:
    """The figures summed over fewer regions than submitted, each with the regions lacking."""
    names = {i.code: i.name for i in result.indicators}
    parts = [f"{names.get(code, code)} {y} 年（缺 {'、'.join(lacking[:5])}{'等' if len(lacking) > 5 else ''}）"
             for code, per in sorted(result.values.missing.items()) for y, lacking in sorted(per.items())
             if code in names and result.values.value(code, y) is not None]
    return f"以下汇总值不完整，只含报了该年数值的地区：{'；'.join(parts)}。" if parts else ""


def consolidated_progress_document(result: Consolidation, settings: Settings = Settings()) -> Document:
    statuses = {i.code: i.status for i in result.indicators if i.status == NOT_SUMMABLE_STATUS}
    doc = progress_document(result.plan, result.actuals(), result.year, settings, statuses=statuses)
    names = "、".join(s.name for s in result.submissions)
    note = (
        f"本表实际值为 {len(result.submissions)} 个下级地区（{names}）{result.year} 年最新一版报送数值的汇总；"
        "不可汇总的指标（比率、调查失业率等）分地区数值见地区对比表。"
        + (f"未报送：{'、'.join(n for _, n in result.missing_regions)}。" if result.missing_regions else "")
        + _partial_note(result)
    )
    title = doc.title + "（汇总）"
    blocks: list[Block] = []
    for block in doc.blocks:
        if isinstance(block, Table):  # the city's note first among the 注 lines, kept with the table
            notes = block.notes[:1] + (note,) + block.notes[1:] if block.notes[:1] == ("注：",) else (note,) + block.notes
            block = Table(block.caption, block.header, block.body, block.widths, notes)
        elif isinstance(block, Paragraph) and block.style == "title":
            block = Paragraph(title, "title")
        blocks.append(block)
    return Document("consolidated", title, tuple(blocks), doc.landscape, doc.page_numbers, f"{result.year}年汇总进展",
                    doc.method_notes)


def _value_cell(value: Decimal | None, status: str = "") -> Cell:
    if value is None:
        return Cell(status or "—")
    text = number_text(value)
    places = max(0, -int(Decimal(text).as_tuple().exponent))  # type: ignore[arg-type]
    return Cell(text, number=Decimal(text), number_format="0" if places == 0 else "0." + "0" * places, align="right")


MAX_REGIONS_PER_TABLE = 12
"""On A4 landscape at 8–10.5 pt, 12 region columns still leave the indicator names room; a PDF
with more regions prints the comparison as several tables of at most this many regions each
(balanced, 指标 and 单位 repeated, the 汇总 in the last), the Excel sheet keeps one table."""


def _rule_label(rule: Rule) -> str:
    """The rule as the comparison table prints it (the note under the table explains 比率)."""
    return "比率" if rule is Rule.RATIO else RULE_LABELS[rule]


def _chars(text: str) -> float:
    return sum(1.0 if ord(ch) > 0x2E7F else 0.5 for ch in text)


def _col_width(texts: list[str], minimum: float, maximum: float) -> float:
    return max(minimum, min(maximum, max((_chars(t) for t in texts), default=0) + 1))


def _parts(regions: list[tuple[str, str]], most: int | None) -> list[list[tuple[str, str]]]:
    if most is None or len(regions) <= most:
        return [regions]
    count = -(-len(regions) // most)
    size = -(-len(regions) // count)
    return [regions[i : i + size] for i in range(0, len(regions), size)]


def region_comparison_document(result: Consolidation, max_regions: int | None = None) -> Document:
    """Indicators × regions; ``max_regions`` per table (None: one table however wide)."""
    plan = result.plan
    regions = [(s.code, s.name) for s in result.submissions]
    cells: dict[str, dict[str, Cell]] = {}
    for ind in result.indicators:
        by_region = {r.code: r for r in ind.regions}
        cells[ind.code] = {
            c: _value_cell(by_region[c].value, by_region[c].status) if c in by_region else Cell("未报")
            for c, _ in regions
        }
    totals = {ind.code: _value_cell(ind.value, ind.status if ind.value is None else "") for ind in result.indicators}
    total_header = f"{plan.region_name}汇总"
    name_w = _col_width([i.name for i in result.indicators], 10, 18)
    unit_w = _col_width(["单位", *(i.unit for i in result.indicators)], 3, 5)
    total_w = _col_width([total_header[:4], *(c.text for c in totals.values())], 5, 8)
    rule_w = _col_width(["汇总规则", *(_rule_label(i.rule) for i in result.indicators)], 5, 7)
    notes = ["注：各地区数值取其 {0} 年最新一版报送文件；“未报”为该地区报送文件中没有这一项，“—”为没有数值。".format(result.year)]
    if any(i.value is None and i.rule.value in ("ratio", "weighted_mean") for i in result.indicators):
        notes.append("比率类指标按 Σ分子 ÷ Σ分母 汇总（比率绝不平均），加权平均类指标须有权数；未设定分子、分母（权数）的，不可汇总，分地区列示。")
    if result.missing_regions:
        notes.append("未报送：" + "、".join(f"{n}（{c}）" for c, n in result.missing_regions))
    parts = _parts(regions, max_regions)
    tables: list[Table] = []
    for n, part in enumerate(parts, 1):
        last = n == len(parts)
        header: Row = (
            Cell("指标", bold=True), Cell("单位", bold=True),
            *[Cell(name, bold=True) for _, name in part],
            *((Cell(total_header, bold=True), Cell("汇总规则", bold=True)) if last else ()),
        )
        body: list[Row] = []
        for ind in result.indicators:
            tail = (totals[ind.code], Cell(_rule_label(ind.rule))) if last else ()
            body.append((Cell(ind.name, align="left"), Cell(ind.unit), *[cells[ind.code][c] for c, _ in part], *tail))
        widths = (
            name_w, unit_w,
            *[_col_width([name[:4], *(cells[i.code][c].text for i in result.indicators)], 4, 7) for c, name in part],
            *((total_w, rule_w) if last else ()),
        )
        caption = "" if len(parts) == 1 else f"（{n}/{len(parts)}）{part[0][1]}—{part[-1][1]}"
        tables.append(Table(caption, (header,), tuple(body), widths, tuple(notes) if last else ()))
    title = f"{plan.region_name}{result.year}年规划指标地区对比表"
    return Document("comparison", title, (Paragraph(title, "title"), Paragraph(plan.title, "subtitle"), *tables),
                    landscape=True, sheet_name=f"{result.year}年地区对比")


# ---------------------------------------------------------------------------------------------
# the city's reports from a workspace: what `planledger report --kind consolidated|comparison`
# and the 报表 menu call

CITY_KINDS = {"consolidated": "汇总进展情况表", "comparison": "地区对比表"}


def submission_years(ws: Workspace) -> list[int]:
    """The report years for which this workspace holds accepted submissions of lower regions."""
    return [y for (y,) in ws.connection.execute(
        "SELECT DISTINCT year FROM submission WHERE status = 'accepted' ORDER BY year"
    )]


@dataclass(frozen=True)
class CityReport:
    """A city report ready to draw: the consolidation is done (reading the workspace), drawing
    needs no database, so the GUI can do it in a worker thread."""

    kind: str
    result: Consolidation
    settings: Settings = Settings()

    @property
    def label(self) -> str:
        return CITY_KINDS[self.kind]

    def document(self, *, for_pdf: bool = True) -> Document:
        if self.kind == "consolidated":
            return consolidated_progress_document(self.result, self.settings)
        return region_comparison_document(self.result, MAX_REGIONS_PER_TABLE if for_pdf else None)

    def write(self, *, pdf: Path | None = None, xlsx: Path | None = None, fonts: "ReportFonts | None" = None) -> list[Path]:
        if pdf is None and xlsx is None:
            raise ValueRefused("请至少指定一个输出文件（PDF 或 Excel）")
        written: list[Path] = []
        if pdf is not None:
            written += render_document(self.document(for_pdf=True), pdf=pdf, fonts=fonts)
        if xlsx is not None:
            written += render_document(self.document(for_pdf=False), xlsx=xlsx)
        return written


def prepare_city_report(ws: Workspace, kind: str, year: int | None = None) -> CityReport:
    """Consolidate ``year`` (default: the latest year with submissions) for one of ``CITY_KINDS``.

    Refused with a Chinese message when the kind is unknown or the workspace has no received
    submissions for that year (e.g. a county's own workspace)."""
    if kind not in CITY_KINDS:
        raise ValueRefused(f"市级报表类型“{kind}”无效，可选：" + "、".join(f"{k}（{v}）" for k, v in CITY_KINDS.items()))
    plan = ws.plan()
    years = submission_years(ws)
    if not years:
        raise ValueRefused(
            f"“{plan.region_name}”的工作簿还没有导入任何下级地区的报送文件，无法生成{CITY_KINDS[kind]}。"
            "请先导入下级地区的报送文件（planledger import，或“报送 → 导入报送文件”）；"
            "本级的进展情况请用 --kind progress。"
        )
    if year is None:
        year = years[-1]
    elif year not in years:
        raise ValueRefused(
            f"{year} 年没有导入下级地区的报送文件，无法生成{CITY_KINDS[kind]}；"
            f"已导入报送文件的年份：{'、'.join(map(str, years))}"
        )
    settings = ws.progress_settings()
    return CityReport(kind, consolidate(ws, year, settings), settings)


def write_city_report(
    ws: Workspace,
    kind: str,
    year: int | None = None,
    *,
    pdf: Path | None = None,
    xlsx: Path | None = None,
    fonts: "ReportFonts | None" = None,
) -> list[Path]:
    """Consolidate and draw one of the city's reports (the CLI's ``report --kind consolidated|comparison``)."""
    if pdf is None and xlsx is None:
        raise ValueRefused("请至少指定一个输出文件（PDF 或 Excel）")
    return prepare_city_report(ws, kind, year).write(pdf=pdf, xlsx=xlsx, fonts=fonts)
