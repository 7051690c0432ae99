"""`planledger report` as a user runs it, and its refusals."""
from __future__ import annotations

from pathlib import Path

from .test_cli import assert_refused


def test_three_kinds_write_pdf_and_xlsx(cli, county: Path, tmp_path: Path) -> None:
    for kind, extra in (("box", ["--box", "专栏2"]), ("progress", []), ("submission", [])):
        pdf, xlsx = tmp_path / f"{kind}.pdf", tmp_path / f"{kind}.xlsx"
        r = cli("report", county, "--kind", kind, *extra, "--year", "2023", "--pdf", pdf, "--xlsx", xlsx)
        assert r.code == 0, r.err
        assert pdf.read_bytes()[:5] == b"%PDF-" and xlsx.read_bytes()[:2] == b"PK"
        assert str(pdf) in r.err


def test_refusals(cli, county: Path, tmp_path: Path) -> None:
    out = tmp_path / "x.pdf"
    r = cli("report", county, "--kind", "progress", "--year", "2030", "--pdf", out)
    assert_refused(r)
    assert "2030" in r.err
    r = cli("report", county, "--kind", "box", "--box", "专栏9", "--pdf", out)
    assert_refused(r)
    assert "专栏9" in r.err and "专栏2" in r.err
    r = cli("report", county, "--kind", "progress", "--pdf", tmp_path / "missing" / "x.pdf")
    assert_refused(r)
    assert "missing" in r.err
    assert_refused(cli("report", county, "--kind", "progress"))
    assert not out.exists()


def test_installed_font_is_used_and_saved(cli, county: Path, tmp_path: Path, monkeypatch) -> None:
    import shutil
    import subprocess

    import resources

    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    sans = next(p for p in resources.font_files() if p.name == "NotoSansSC-Regular.ttf")
    out = tmp_path / "sans.pdf"
    r = cli("report", county, "--kind", "progress", "--pdf", out, "--body-font", sans, "--save-fonts")
    assert r.code == 0, r.err
    assert "已保存" in r.err and (tmp_path / "config" / "PlanLedger" / "settings.json").exists()
    again = tmp_path / "again.pdf"
    assert cli("report", county, "--kind", "progress", "--pdf", again).code == 0
    if shutil.which("pdffonts"):
        for pdf in (out, again):
            fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout
            assert "NotoSerifSC" not in fonts and "NotoSansSC" in fonts


def test_cff_font_is_refused_with_the_reason(cli, county: Path, tmp_path: Path) -> None:
    fake = tmp_path / "cff.otf"
    fake.write_bytes(b"OTTO" + b"\0" * 200)
    r = cli("report", county, "--kind", "progress", "--pdf", tmp_path / "x.pdf", "--body-font", fake)
    assert_refused(r)
    assert "cff.otf" in r.err
