"""Report speed (Reports issue §6).

1. A 60-indicator progress report to PDF, against LibreOffice converting the same table from
   our xlsx (goal: ≥ 10× faster).
2. A 2,000-row table through our PDF renderer, against raw reportlab platypus drawing the same
   cells with the same font (goal: ≤ 1.5× the raw time).
"""
from __future__ import annotations

import shutil
import subprocess
import tempfile
import uuid
from pathlib import Path

from .common import Result, median_time, synthetic_plan


def _libreoffice_convert(xlsx: Path, outdir: Path) -> None:
    profile = Path(tempfile.gettempdir()) / f"lo-bench-{uuid.uuid4().hex}"
    try:
        subprocess.run(
            [shutil.which("soffice") or "soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf", "--outdir", str(outdir), str(xlsx)],
            check=True, capture_output=True, timeout=180,
        )
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def progress_vs_libreoffice(work: Path) -> Result | None:
    from desktop.reports.layout import progress_document
    from desktop.reports.pdf import render_pdf
    from desktop.reports.xlsx import render_xlsx

    if not shutil.which("soffice"):
        print("skip  progress PDF vs LibreOffice: soffice not installed")
        return None
    plan, actuals = synthetic_plan("sy-zl2", 60)
    doc = progress_document(plan, actuals, 2023)
    ours = median_time(lambda: render_pdf(doc, work / "p.pdf"), 5)
    render_xlsx(doc, work / "p.xlsx")
    lo = median_time(lambda: _libreoffice_convert(work / "p.xlsx", work / "lo"), 3)
    ratio = lo / ours
    return Result("60-indicator progress PDF vs LibreOffice xlsx→pdf", ours, lo, "≥ 10× faster", ratio, ratio >= 10)


def large_table_vs_raw_reportlab(work: Path) -> Result:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    from desktop.reports.fonts import register
    from desktop.reports.layout import progress_document
    from desktop.reports.pdf import render_pdf

    plan, actuals = synthetic_plan("sy-zl2", 2000)
    doc = progress_document(plan, actuals, 2023)
    table = doc.tables[0]
    body_font = register().body
    style = ParagraphStyle("c", fontName=body_font, fontSize=9, leading=11, wordWrap="CJK")
    header = [[Paragraph(c.text if c else "", style) for c in row] for row in table.header]
    rows = [[Paragraph(c.text if c else "", style) for c in row] for row in table.body]

    def raw() -> None:
        t = Table(header + [list(r) for r in rows], repeatRows=len(header))
        t.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black)]))
        SimpleDocTemplate(str(work / "raw.pdf"), pagesize=landscape(A4)).build([t])

    baseline = median_time(raw, 3)
    ours = median_time(lambda: render_pdf(doc, work / "big.pdf"), 3)
    ratio = ours / baseline
    return Result("2,000-row table PDF vs raw reportlab", ours, baseline, "≤ 1.5× raw", ratio, ratio <= 1.5)


def run() -> list[Result]:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        results = [large_table_vs_raw_reportlab(work)]
        r = progress_vs_libreoffice(work)
        if r is not None:
            results.append(r)
    return results
