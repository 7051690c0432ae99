"""The progress report with charts (``--charts``): vector drawings from the series functions,
set in the bundled fonts, every font embedded; the Excel file says where the charts are."""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from reportlab.graphics.shapes import Circle, PolyLine, Rect, String

from desktop.domain.series import indicator_series, overview_series
from desktop.reports import ReportRequest, build_document, write_report
from desktop.reports.chart_layout import ChartBlock
from desktop.reports.charts import indicator_drawing, overview_drawing

from .test_pdf import assert_fonts_embedded, needs, norm

pdfplumber = pytest.importorskip("pdfplumber")


def test_progress_document_gets_chart_blocks_only_when_asked(sy_zl2) -> None:
    plan, values = sy_zl2.plan(), sy_zl2.actuals()
    plain = build_document(plan, values, ReportRequest("progress", 2023))
    assert not any(isinstance(b, ChartBlock) for b in plain.blocks)
    doc = build_document(plan, values, ReportRequest("progress", 2023, charts=True))
    charts = [b for b in doc.blocks if isinstance(b, ChartBlock)]
    assert charts[0].overview is not None and len(charts[0].overview.bars) == len(plan.indicators)
    assert [s.code for s in charts[1].indicators] == [i.code for i in plan.indicators]
    assert doc.blocks[: len(plain.blocks)] == plain.blocks  # the table comes first, unchanged


def test_drawings_are_vectors_from_the_series(sy_zl2) -> None:
    plan, values = sy_zl2.plan(), sy_zl2.actuals()
    ind = plan.indicator("sy-zl2-01")
    s = indicator_series(ind, values.get(ind.code, {}), 2023, base_year=2020, end_year=2025)
    texts: list[str] = []
    d = indicator_drawing(s, "Helvetica", texts)
    kinds = {type(n) for n in d.contents}
    assert {String, PolyLine, Circle, Rect} <= kinds  # running total line, points, yearly bars
    assert sum(isinstance(n, Circle) for n in d.contents) == len(s.running) == 3
    assert "2023年" in texts and s.value_axis in texts and s.target_label in texts
    o = overview_series(plan, values, 2023)
    texts = []
    overview_drawing(o, "Helvetica", texts, 700)
    assert o.time_progress_text in texts and any(t.endswith(ind.name) for t in texts)


def test_pdf_with_charts_embeds_every_font(sy_zl2, tmp_path: Path) -> None:
    plan, values = sy_zl2.plan(), sy_zl2.actuals()
    pdf, xlsx = tmp_path / "charts.pdf", tmp_path / "charts.xlsx"
    write_report(plan, values, ReportRequest("progress", 2023, charts=True), pdf=pdf, xlsx=xlsx)
    assert_fonts_embedded(pdf)
    with pdfplumber.open(pdf) as doc:
        text = norm("".join(page.extract_text() or "" for page in doc.pages))
        pages = len(doc.pages)
    assert "图1" in text and "图2" in text and "序时进度线" in text and "城镇新增就业人数(万人)" in text
    plain = tmp_path / "plain.pdf"
    write_report(plan, values, ReportRequest("progress", 2023), pdf=plain)
    with pdfplumber.open(plain) as doc:
        assert len(doc.pages) < pages
    from openpyxl import load_workbook

    notes = " ".join(str(c.value) for row in load_workbook(xlsx).worksheets[-1].iter_rows() for c in row if c.value)
    assert "图表" in notes


def test_pdf_charts_with_no_values(sy_zl2_empty, tmp_path: Path) -> None:
    pdf = tmp_path / "empty.pdf"
    plan = sy_zl2_empty.plan()
    write_report(plan, sy_zl2_empty.actuals(), ReportRequest("progress", 2021, charts=True), pdf=pdf)
    pdftotext = needs("pdftotext")
    text = norm(subprocess.run([pdftotext, str(pdf), "-"], capture_output=True, text=True, check=True).stdout)
    assert text.count("无数据") >= len(plan.indicators)
    assert_fonts_embedded(pdf)


def test_band_chart_shades_the_interval(sy_zl2) -> None:
    from dataclasses import replace
    from decimal import Decimal

    from desktop.domain.model import Comparator, Kind, Target
    from desktop.reports.charts import BAND

    plan, values = sy_zl2.plan(), sy_zl2.actuals()
    rate = replace(plan.indicator("sy-zl2-02"), kind=Kind.BAND,
                   target=Target("5.5左右", Comparator.APPROX, Decimal("5.5"), approximate=True))
    s = indicator_series(rate, values.get(rate.code, {}), 2023, base_year=2020, end_year=2025)
    texts: list[str] = []
    d = indicator_drawing(s, "Helvetica", texts)
    shaded = [n for n in d.contents if isinstance(n, Rect) and n.fillColor == BAND]
    assert len(shaded) == 1 and shaded[0].height > 0
    assert "目标 5.5左右（5.225～5.775）" in texts
