"""`planledger chart` as a user runs it: PNG and SVG files, and its refusals."""
from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from .test_cli import assert_refused


def test_indicator_png_and_overview_svg(cli, county: Path, tmp_path: Path) -> None:
    png, svg = tmp_path / "c.png", tmp_path / "o.svg"
    r = cli("chart", county, "--indicator", "城镇新增就业人数", "--year", "2023", "--out", png)
    assert r.code == 0, r.err
    raw = png.read_bytes()
    assert raw[:8] == b"\x89PNG\r\n\x1a\n" and len(raw) > 5000
    assert r.out.strip() == str(png) and "城镇新增就业人数" in r.err
    r = cli("chart", county, "--overview", "--out", svg)  # year: the latest with data (2023)
    assert r.code == 0, r.err
    root = ET.parse(svg).getroot()
    ns = "{http://www.w3.org/2000/svg}"
    assert sum(1 for e in root.iter() if e.tag in (f"{ns}path", f"{ns}rect")) > 5
    assert "2023" in "".join(e.text or "" for e in root.iter(f"{ns}text"))


def test_indicator_svg_by_code_with_size(cli, county: Path, tmp_path: Path) -> None:
    out = tmp_path / "i.svg"
    r = cli("chart", county, "--indicator", "sy-zl2-07", "--year", "2022", "--size", "600x400", "--out", out)
    assert r.code == 0, r.err
    root = ET.parse(out).getroot()
    assert root.get("width", "").startswith("600") or "600" in root.get("viewBox", "")


def test_refusals(cli, county: Path, tmp_path: Path) -> None:
    assert_refused(cli("chart", county, "--overview", "--out", tmp_path / "x.jpg"))
    assert_refused(cli("chart", county, "--overview", "--out", tmp_path / "missing" / "x.png"))
    r = cli("chart", county, "--indicator", "不存在的指标", "--out", tmp_path / "x.png")
    assert_refused(r)
    assert "不存在的指标" in r.err
    assert_refused(cli("chart", county, "--indicator", "参保人数", "--out", tmp_path / "x.png"))  # ambiguous
    assert_refused(cli("chart", county, "--overview", "--year", "2030", "--out", tmp_path / "x.png"))
    assert_refused(cli("chart", county, "--overview", "--size", "huge", "--out", tmp_path / "x.png"))
    r = cli("chart", county, "--compare", "城镇新增就业人数", "--year", "2023", "--out", tmp_path / "x.png")
    assert_refused(r)
    assert "报送文件" in r.err
    assert not list(tmp_path.glob("x.*"))
    r = cli("chart", county, "--out", tmp_path / "x.png")  # one of --indicator / --overview / --compare
    assert r.code == 2 and "Traceback" not in r.err


def test_progress_report_with_charts(cli, county: Path, tmp_path: Path) -> None:
    pdf = tmp_path / "p.pdf"
    r = cli("report", county, "--kind", "progress", "--charts", "--year", "2023", "--pdf", pdf)
    assert r.code == 0, r.err
    assert pdf.read_bytes()[:5] == b"%PDF-"
    r = cli("report", county, "--kind", "submission", "--charts", "--pdf", tmp_path / "s.pdf")
    assert_refused(r)
    assert "--charts" in r.err and not (tmp_path / "s.pdf").exists()
