"""The bundle the installer ships (issue 9), built and run as a county office PC would run it.

Builds the onedir bundle with ``installer/build`` from a clean copy of the checkout (the files
git tracks or would track: no .venv, build/, dist/), copies it into a folder whose path has
Chinese characters and spaces (an install path such as ``D:\\规划 指标 台账\\``), and runs the
bundled executables there with no Python environment, ``HOME`` (the user profile, where the data
folder lives) also a path with Chinese characters and spaces, and Qt offscreen:

- ``planledger --version`` and ``planledger-gui --version``;
- ``planledger-gui --screenshot`` — opens the demo workspace, which it creates in the data folder;
- ``planledger report`` on that demo workspace → PDF whose fonts are all embedded (pdffonts),
  with the submission report's QR code and the chart pages, and an Excel workbook;
- ``planledger chart`` (pyqtgraph offscreen inside the bundle).

Slow (about a minute for PyInstaller; the first run also creates the build venv in
~/.cache/planledger-build-venv), so it runs only when selected:

    QT_QPA_PLATFORM=offscreen python -m pytest -q -m slow tests/test_installer.py

without xdist workers (``-n 0``): the bundle is a module fixture, each worker would build one.
``PLANLEDGER_BUNDLE=dist/PlanLedger`` tests an already built bundle instead of building one.
"""
from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
import sys
from pathlib import Path

import pytest

from desktop import __version__

ROOT = Path(__file__).resolve().parents[1]
DEMO = Path(".local", "share", "PlanLedger", "示例-新邵县.sqlite")  # platformdirs on Linux

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="builds the Linux bundle"),
]


@pytest.fixture(autouse=True, scope="module")
def _only_when_selected(request: pytest.FixtureRequest) -> None:
    selected = "slow" in (request.config.getoption("-m") or "")
    if not selected and os.environ.get("PLANLEDGER_INSTALLER_TEST") != "1":
        pytest.skip("builds the bundle (~1 min): run with -m slow")


def _clean_copy(dest: Path) -> None:
    """The checkout's files as a fresh clone would have them (tracked + new, not ignored)."""
    try:
        out = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=ROOT, check=True, capture_output=True,
        ).stdout
        names = [n for n in out.decode("utf-8").split("\0") if n]
    except (OSError, subprocess.CalledProcessError):
        names = []
    if not names:  # not a git checkout: copy all but the usual build/venv folders
        shutil.copytree(ROOT, dest, ignore=shutil.ignore_patterns(
            ".git", ".venv", "build", "dist", "__pycache__", "*.egg-info", ".pytest_cache"))
        return
    for name in names:
        src = ROOT / name
        if src.is_file():
            target = dest / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, target)


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundle, installed in a folder with Chinese characters and spaces in its path."""
    base = tmp_path_factory.mktemp("installer")
    prebuilt = os.environ.get("PLANLEDGER_BUNDLE")
    if prebuilt:
        built = Path(prebuilt).resolve()
    else:
        checkout = base / "checkout"
        _clean_copy(checkout)
        env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
        env["PLANLEDGER_DIST"] = str(base / "dist")
        proc = subprocess.run(
            [str(checkout / "installer" / "build")], cwd=checkout, env=env,
            capture_output=True, text=True, timeout=1800,
        )
        assert proc.returncode == 0, f"installer/build failed:\n{proc.stdout}\n{proc.stderr[-6000:]}"
        built = base / "dist" / "PlanLedger"
    installed = base / "规划 指标 台账 test" / "PlanLedger"
    shutil.copytree(built, installed, symlinks=True)
    return installed


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("profile") / "用户 张三"
    path.mkdir()
    return path


def run(bundle: Path, home: Path, exe: str, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """Run a bundled executable as on a PC without Python: a bare environment."""
    env = {"PATH": "/usr/bin:/bin", "HOME": str(home), "LANG": "C.UTF-8", "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run(
        [str(bundle / exe), *args], cwd=cwd or bundle.parent, env=env,
        capture_output=True, text=True, timeout=300,
    )


def ok(proc: subprocess.CompletedProcess) -> str:
    assert proc.returncode == 0, f"exit {proc.returncode}\n{proc.stdout}\n{proc.stderr}"
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc.stdout


@pytest.fixture(scope="module")
def screenshot(bundle: Path, home: Path) -> Path:
    """The window rendered offscreen; on first start it creates the demo workspace."""
    out = bundle.parent / "截图 主窗口.png"
    ok(run(bundle, home, "planledger-gui", "--screenshot", str(out)))
    return out


def test_bundle_holds_what_the_app_reads_and_nothing_of_the_tests(bundle: Path) -> None:
    internal = bundle / "_internal"
    for name in ("planledger", "planledger-gui"):
        assert os.access(bundle / name, os.X_OK), name
    for rel in ("resources/fonts/OFL.txt", "resources/fonts/NotoSerifSC-Regular.ttf",
                "resources/templates/county-hrss.json", "resources/icons/planledger.png",
                "db/0001_initial.sql", "PySide6/Qt/translations/qtbase_zh_CN.qm",
                "licenses/THIRD-PARTY.txt"):
        assert (internal / rel).is_file(), rel
    for rel in ("pytest", "_pytest", "hypothesis", "pdfplumber", "tkinter", "PyInstaller", "db/fixtures"):
        assert not (internal / rel).exists(), rel
    assert not list(internal.glob("PySide6/Qt/lib/libQt6Qml*")), "Qt add-ons the app does not use"
    assert not list(internal.glob("PySide6/Qt/translations/qtbase_de.qm"))


def test_version(bundle: Path, home: Path) -> None:
    assert ok(run(bundle, home, "planledger", "--version")).strip() == f"planledger {__version__}"
    assert ok(run(bundle, home, "planledger-gui", "--version")).strip() == f"planledger-gui {__version__}"


def test_gui_opens_the_demo_workspace_in_a_chinese_profile(screenshot: Path, home: Path) -> None:
    data = screenshot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert width >= 800 and height >= 500, (width, height)
    assert len(data) > 50_000  # a drawn window, not an empty image
    assert (home / DEMO).is_file()


def _fonts(pdf: Path) -> list[list[str]]:
    if shutil.which("pdffonts") is None:
        pytest.skip("pdffonts (poppler-utils) not installed")
    out = subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True, text=True).stdout
    rows = out.splitlines()[2:]  # header and rule
    return [re.split(r"\s+", row.strip()) for row in rows if row.strip()]


def test_progress_report_pdf_has_every_font_embedded(bundle: Path, home: Path, screenshot: Path) -> None:
    out = bundle.parent / "进展 情况表.pdf"
    ok(run(bundle, home, "planledger", "report", str(home / DEMO), "--kind", "progress", "--pdf", str(out)))
    assert out.read_bytes()[:5] == b"%PDF-"
    fonts = _fonts(out)
    assert fonts, "no fonts in the PDF"
    # columns from the right: … emb sub uni objectID gen — 'emb' is the 5th from the end
    not_embedded = [row[0] for row in fonts if row[-5] != "yes"]
    assert not_embedded == [], not_embedded


def test_submission_report_charts_and_workbook(bundle: Path, home: Path, screenshot: Path) -> None:
    folder = bundle.parent
    ws = str(home / DEMO)
    ok(run(bundle, home, "planledger", "report", ws, "--kind", "submission", "--pdf", str(folder / "报送表.pdf")))
    ok(run(bundle, home, "planledger", "report", ws, "--kind", "progress", "--charts",
           "--pdf", str(folder / "图表.pdf"), "--xlsx", str(folder / "进展.xlsx")))
    ok(run(bundle, home, "planledger", "chart", ws, "--overview", "--out", str(folder / "总览 图.png")))
    for name in ("报送表.pdf", "图表.pdf"):
        fonts = _fonts(folder / name)
        assert fonts and all(row[-5] == "yes" for row in fonts), name
    assert (folder / "进展.xlsx").read_bytes()[:2] == b"PK"
    assert (folder / "总览 图.png").stat().st_size > 20_000


def test_new_workspace_from_a_bundled_template(bundle: Path, home: Path) -> None:
    assert "county-hrss" in ok(run(bundle, home, "planledger", "templates"))
    ws = bundle.parent / "新 工作簿.sqlite"
    ok(run(bundle, home, "planledger", "new", str(ws), "--template", "sy-zl2",
           "--region", "430522", "--region-name", "新邵县"))
    assert "新邵县" in ok(run(bundle, home, "planledger", "show", str(ws)))


def test_a_large_batch_imports_through_worker_processes(bundle: Path, home: Path) -> None:
    """60 county files: the bundled `import` verifies them in spawned worker processes (the
    frozen app's multiprocessing.freeze_support) and imports every one."""
    from desktop.exchange.forge import resign
    from desktop.exchange.importer import PARALLEL_MIN, auto_workers

    folder = bundle.parent / "报送 收件箱"
    folder.mkdir()
    county = bundle.parent / "县.sqlite"
    ok(run(bundle, home, "planledger", "new", str(county), "--template", "sy-zl2",
           "--region", "430522", "--region-name", "新邵县"))
    ok(run(bundle, home, "planledger", "set", str(county), "--indicator", "sy-zl2-01", "--year", "2023",
           "--value", "5.2"))
    ok(run(bundle, home, "planledger", "export", str(county), "--year", "2023", "--out", str(folder / "430522.sqlite")))
    codes = [f"4305{n:02d}" for n in range(1, 100) if n != 22][:59]
    for code in codes:
        resign(folder / "430522.sqlite", folder / f"{code}.sqlite", region_code=code, region_name=f"县{code}")
    assert len(codes) + 1 >= PARALLEL_MIN and auto_workers() > 1
    city = bundle.parent / "市.sqlite"
    ok(run(bundle, home, "planledger", "new", str(city), "--template", "sy-zl2",
           "--region", "430500", "--region-name", "邵阳市"))
    proc = run(bundle, home, "planledger", "import", str(city), str(folder))
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "共 60 个文件：导入 60 个，重复 0 个，拒收 0 个。" in proc.stderr
