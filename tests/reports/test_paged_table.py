"""A long table handed to reportlab a window at a time draws exactly the pages the whole table
would have: the same text on the same pages and the same pixels (poppler renders both), with
windows cut anywhere. (The bytes differ only in how grid lines are cut into segments, which
can shade a pixel at a joint by a few grey levels.)"""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from PIL import Image, ImageChops

from desktop.reports import paged_table
from desktop.reports.layout import box_document, progress_document, submission_document
from desktop.reports.pdf import render_pdf

from .conftest import long_plan
from .test_pdf import needs


def _pages(doc, path: Path, window: int, monkeypatch) -> tuple[str, list[Image.Image]]:
    """The text (pages split by form feeds) and the 72 dpi page images of ``doc`` rendered with ``window``."""
    monkeypatch.setattr(paged_table, "WINDOW", window)
    pdf = render_pdf(doc, path)
    text = subprocess.run([needs("pdftotext"), "-layout", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    subprocess.run([needs("pdftoppm"), "-r", "72", "-png", str(pdf), str(path.with_suffix(""))], check=True)
    images = [Image.open(p).convert("RGB") for p in sorted(path.parent.glob(f"{path.stem}-*.png"))]
    return text, images


def _speckles(a: Image.Image, b: Image.Image) -> int:
    """Pixels that differ between two page images; a grid line that reportlab drew in two
    segments where the paged table draws one may shade a pixel at the joint a little (≤ 32 of
    255 grey levels): such pixels are counted, anything darker fails at once."""
    diff = ImageChops.difference(a.convert("L"), b.convert("L"))
    if diff.getbbox() is None:
        return 0
    histogram = diff.histogram()
    if any(histogram[33:]):
        return 10**6
    return sum(histogram[1:33])


def test_paged_tables_draw_the_same_pages(sy_zl2, zj_t2, tmp_path, monkeypatch) -> None:
    long = long_plan(sy_zl2.plan())
    docs = {
        "long-progress": progress_document(long, {}, 2023),  # 120 indicators: many pages, repeated header
        "long-box": box_document(long, {}, long.boxes[0].label),  # the same on portrait pages
        "sy-progress": progress_document(sy_zl2.plan(), sy_zl2.actuals(), 2023),
        "sy-submission": submission_document(sy_zl2.plan(), sy_zl2.actuals(), 2023, "0" * 64),
        "zj-box": box_document(zj_t2.plan(), zj_t2.actuals(), "表2"),  # body rows merged in its first column
    }
    for name, doc in docs.items():
        whole_text, whole = _pages(doc, tmp_path / f"{name}-whole.pdf", 10**9, monkeypatch)
        assert not name.startswith("long") or len(whole) > 3
        for window in (1, 4):  # windows cut everywhere (and grown where a window fits on the page)
            paged_text, paged = _pages(doc, tmp_path / f"{name}-paged{window}.pdf", window, monkeypatch)
            assert paged_text == whole_text, (name, window)
            assert len(paged) == len(whole), (name, window)
            for k, (a, b) in enumerate(zip(whole, paged), 1):
                assert a.size == b.size and _speckles(a, b) <= 4, (name, window, k)


def test_a_window_never_ends_inside_a_span_or_a_kept_pair() -> None:
    data = [["h"]] + [[str(r)] for r in range(1, 11)]
    cmds = [("GRID", (0, 0), (-1, -1), 0.5, None), ("SPAN", (0, 3), (0, 5)), ("NOSPLIT", (0, 5), (-1, 6))]
    table = paged_table.PagedTable(data, 1, cmds, {})
    assert [table._safe_end(e) for e in range(2, 11)] == [2, 3, 7, 7, 7, 7, 8, 9, 10]


def test_commands_follow_their_rows_into_the_window(monkeypatch) -> None:
    data = [["h0"], ["h1"]] + [[str(r)] for r in range(2, 12)]
    cmds = [
        ("GRID", (0, 0), (-1, -1), 0.5, None),  # everything
        ("LINEBELOW", (0, 1), (-1, 1), 1, None),  # the header's last row
        ("FONTNAME", (0, 4), (0, 4), "X"),  # one body row before the window
        ("ALIGN", (0, 6), (0, 7), "LEFT"),  # body rows inside it
        ("BOX", (0, 0), (0, 3), 1, None),  # header into rows before the window: its header part
        ("TEXTCOLOR", (0, -1), (0, -1), None),  # the table's last row: not in this window
    ]
    table = paged_table.PagedTable(data, 2, cmds, {}, start=5)
    window = table._window(4)  # body rows 5 … 8
    assert [row[0] for row in window._cellvalues] == ["h0", "h1", "5", "6", "7", "8"]
    assert table._end == 9
    assert [c[:3] for c in window._linecmds] == [
        ("GRID", (0, 0), (-1, 5)), ("LINEBELOW", (0, 1), (-1, 1)), ("BOX", (0, 0), (0, 1)),
    ]
