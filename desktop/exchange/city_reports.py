"""City-level report layouts from a ``Consolidation``: drawn by the existing PDF / Excel renderers.

- ``consolidated_progress_document``: the progress table (进展情况表) of the consolidated values,
  built by the reports module's own ``progress_document`` — the city's table is the county's
  table over other values.
- ``region_comparison_document``: indicators × regions for the report year, with the
  consolidated value and the rule in the last columns (地区对比表).

Render with ``desktop.reports.pdf.render_pdf(doc, path)`` / ``desktop.reports.xlsx.render_xlsx``.
"""
from __future__ import annotations

from decimal import Decimal

from desktop.domain.model import RULE_LABELS
from desktop.domain.progress import Settings, number_text
from desktop.reports.layout import Cell, Document, Paragraph, Row, Table, progress_document

from .consolidate import Consolidation


def consolidated_progress_document(result: Consolidation, settings: Settings = Settings()) -> Document:
    doc = progress_document(result.plan, result.actuals(), result.year, settings)
    note = Paragraph(
        f"本表数值为 {len(result.submissions)} 个下级地区 {result.year} 年报送数值的汇总；"
        "不可汇总的指标见地区对比表。"
        + (f"未报送：{'、'.join(n for _, n in result.missing_regions)}。" if result.missing_regions else ""),
        "note",
    )
    return Document(doc.kind, doc.title, doc.blocks + (note,), doc.landscape, doc.page_numbers, doc.sheet_name,
                    doc.method_notes)


def _value_cell(value: Decimal | None, status: str = "") -> Cell:
    if value is None:
        return Cell(status or "—")
    text = number_text(value)
    places = max(0, -int(Decimal(text).as_tuple().exponent))  # type: ignore[arg-type]
    return Cell(text, number=Decimal(text), number_format="0" if places == 0 else "0." + "0" * places, align="right")


def region_comparison_document(result: Consolidation) -> Document:
    plan = result.plan
    regions = [(s.code, s.name) for s in result.submissions]
    header: Row = (
        Cell("指标", bold=True), Cell("单位", bold=True),
        *[Cell(name, bold=True) for _, name in regions],
        Cell(f"{plan.region_name}汇总", bold=True), Cell("汇总规则", bold=True),
    )
    body: list[Row] = []
    for ind in result.indicators:
        by_region = {r.code: r for r in ind.regions}
        cells = [
            _value_cell(by_region[c].value, by_region[c].status) if c in by_region else Cell("未报")
            for c, _ in regions
        ]
        total = _value_cell(ind.value, ind.status if ind.value is None else "")
        body.append((Cell(ind.name, align="left"), Cell(ind.unit), *cells, total, Cell(RULE_LABELS[ind.rule])))
    notes = ["注：各地区数值取其 {0} 年最新一版报送文件。".format(result.year)]
    if result.missing_regions:
        notes.append("未报送：" + "、".join(f"{n}（{c}）" for c, n in result.missing_regions))
    title = f"{plan.region_name}{result.year}年规划指标地区对比表"
    widths = (16.0, 5.0, *[6.0] * len(regions), 7.0, 9.0)
    table = Table("", (header,), tuple(body), widths, tuple(notes))
    return Document("comparison", title, (Paragraph(title, "title"), Paragraph(plan.title, "subtitle"), table),
                    landscape=True, sheet_name=f"{result.year}年地区对比")
