"""The spine's window: the workspace's indicators and progress, offscreen."""
from __future__ import annotations

import struct
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

pytest.importorskip("PySide6.QtWidgets")

from desktop.store import actions  # noqa: E402
from desktop.store.create import new_workspace  # noqa: E402


@pytest.fixture
def county(tmp_path: Path) -> Path:
    path = tmp_path / "county.sqlite"
    with new_workspace(path, template="sy-zl2", region_code="430522", region_name="新邵县") as ws:
        for year, v in ((2021, "4.8"), (2022, "5.0"), (2023, "5.2")):
            actions.set_actual(ws, "sy-zl2-01", year, Decimal(v))
    return path


def test_window_shows_progress_rows(qtbot, county: Path) -> None:
    from desktop.store.workspace import Workspace
    from desktop.ui.main_window import MainWindow

    with Workspace.open(county) as ws:
        win = MainWindow(ws)
        qtbot.addWidget(win)
        model = win.model
        texts = [[model.data(model.index(r, c)) for c in range(model.columnCount())] for r in range(model.rowCount())]
        assert texts[0][0] == "一、就业"
        jobs = texts[1]
        assert jobs[:6] == ["1", "城镇新增就业人数", "万人", "预期性", "4.72", "[>23.5]"]
        assert jobs[6:9] == ["4.8", "5", "5.2"]
        # the editor shows every plan year (2024, 2025 still empty), then the figures
        assert model.columns.headers[6:11] == ["2021年", "2022年", "2023年", "2024年", "2025年"]
        assert jobs[9:11] == ["—", "—"]
        assert jobs[11:14] == ["63.8%", "60.0%", "基本符合"]
        assert win.windowTitle().startswith("county.sqlite")


def test_screenshot_subprocess(county: Path, tmp_path: Path) -> None:
    out = tmp_path / "main.png"
    proc = subprocess.run(
        [sys.executable, "-m", "desktop", str(county), "--screenshot", str(out)],
        capture_output=True, text=True, timeout=60, env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert proc.returncode == 0, proc.stderr
    data = out.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    w, h = struct.unpack(">II", data[16:24])
    assert (w, h) == (1360, 800)


def test_demo_workspace_starts(tmp_path: Path) -> None:
    """The app with no argument opens (creating) the demo county workspace."""
    out = tmp_path / "demo.png"
    env = {**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen", "XDG_DATA_HOME": str(tmp_path / "data")}
    proc = subprocess.run([sys.executable, "-m", "desktop", "--screenshot", str(out)], capture_output=True, text=True, timeout=60, env=env)
    assert proc.returncode == 0, proc.stderr
    demo = list((tmp_path / "data").rglob("*.sqlite"))
    assert len(demo) == 1 and out.stat().st_size > 10000


def test_first_paint_then_the_rest(qtbot, county: Path) -> None:
    """The first paint assesses the rows on screen; the other figures, 审核 and its counts come
    on the next event-loop turn — or at once when asked for before."""
    from desktop.store.workspace import Workspace
    from desktop.ui.main_window import MainWindow

    with Workspace.open(county) as ws:
        win = MainWindow(ws)
        qtbot.addWidget(win)
        assert not win.editor.problems_ready and "审核" not in win.summary.text()
        assert win.review_dock.windowTitle() == "审核"
        problems = win.review.problems  # asked for before the first paint: filled now
        assert win.editor.problems_ready and problems == win.editor.problems
        assert f"审核 {len(problems)} 个问题" in win.summary.text()
        assert win.review_dock.windowTitle() != "审核"
        assert isinstance(win.model.rows, tuple) and isinstance(win.model.actuals, dict)

        shown = MainWindow(ws)
        qtbot.addWidget(shown)
        shown.resize(1360, 800)
        shown.show()
        qtbot.waitUntil(lambda: shown.editor.problems_ready)  # right after the first paint
        assert f"审核 {len(shown.editor.problems)} 个问题" in shown.summary.text()
        assert shown.detail.check_label.text()
