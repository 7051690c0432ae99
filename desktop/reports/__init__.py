"""Reports (DESIGN §7): one layout description per report, drawn as PDF and as Excel.

``write_report`` is what the CLI's ``report`` command and the GUI's 报表 menu both call.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from desktop.domain.errors import NotFound, ValueRefused
from desktop.domain.fingerprint import fingerprint
from desktop.domain.model import Actual, Plan
from desktop.domain.progress import Settings
from desktop.domain.progress_table import default_year
from desktop.domain.validation import check_year

from typing import TYPE_CHECKING

from .layout import Document, box_document, progress_document, submission_document

if TYPE_CHECKING:
    from .fonts import ReportFonts

KINDS = {"box": "专栏表", "progress": "进展情况表", "submission": "报送表"}


@dataclass(frozen=True)
class ReportRequest:
    kind: str  # box | progress | submission
    year: int | None = None
    box: str | None = None
    charts: bool = False  # progress report: append the overview and per-indicator charts


def build_document(
    plan: Plan, actuals: Mapping[str, Mapping[int, Actual]], request: ReportRequest, settings: Settings = Settings()
) -> Document:
    """The layout of one report; refuses an unknown kind, box or a year outside the plan."""
    if request.kind not in KINDS:
        raise ValueRefused(f"报表类型“{request.kind}”无效，可选：" + "、".join(f"{k}（{v}）" for k, v in KINDS.items()))
    if request.kind == "box":
        label = request.box
        if label is None:
            if len(plan.boxes) != 1:
                raise ValueRefused("请用 --box 指定专栏，可选：" + "、".join(b.label for b in plan.boxes))
            label = plan.boxes[0].label
        return box_document(plan, actuals, label)
    if request.box is not None and plan.box(request.box) is None:
        raise NotFound(f"没有标签为“{request.box}”的专栏；本规划的专栏有：" + "、".join(b.label for b in plan.boxes))
    year = request.year if request.year is not None else default_year(plan, actuals)
    problems = check_year(plan, year)
    if problems:
        raise ValueRefused(problems[0].message)
    if request.kind == "progress":
        doc = progress_document(plan, actuals, year, settings)
        if request.charts:
            from .chart_layout import with_charts

            doc = with_charts(doc, plan, actuals, year, settings)
        return doc
    return submission_document(plan, actuals, year, fingerprint(plan, actuals, year), settings=settings)


def write_report(
    plan: Plan,
    actuals: Mapping[str, Mapping[int, Actual]],
    request: ReportRequest,
    *,
    pdf: Path | None = None,
    xlsx: Path | None = None,
    settings: Settings = Settings(),
    fonts: "ReportFonts | None" = None,
) -> list[Path]:
    """Render the report to the requested files; returns the paths written."""
    if pdf is None and xlsx is None:
        raise ValueRefused("请至少指定一个输出文件（PDF 或 Excel）")
    doc = build_document(plan, actuals, request, settings)
    return render_document(doc, pdf=pdf, xlsx=xlsx, fonts=fonts)


def render_document(
    doc: Document, *, pdf: Path | None = None, xlsx: Path | None = None, fonts: "ReportFonts | None" = None
) -> list[Path]:
    """Draw one layout to PDF and/or Excel; returns the paths written (also used for the city's
    reports, whose layouts ``desktop.exchange.city_reports`` builds from a consolidation)."""
    if pdf is None and xlsx is None:
        raise ValueRefused("请至少指定一个输出文件（PDF 或 Excel）")
    written: list[Path] = []
    if pdf is not None:
        from .pdf import render_pdf

        written.append(render_pdf(doc, Path(pdf), fonts))
    if xlsx is not None:
        from .xlsx import render_xlsx

        written.append(render_xlsx(doc, Path(xlsx)))
    return written
