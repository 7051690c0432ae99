"""文件 menu: 新建 from a template, 打开 (refusals, migration), 另存为, recent files."""
from __future__ import annotations

import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest

pytest.importorskip("PySide6.QtWidgets")

from desktop.store import actions, schema  # noqa: E402
from desktop.store.workspace import Workspace  # noqa: E402


def test_new_workspace_dialog_validates_the_region(qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    from desktop.ui.files import NewWorkspaceDialog

    dlg = NewWorkspaceDialog(folder=tmp_path)
    qtbot.addWidget(dlg)
    dlg.select_template("sy-zl2")
    assert dlg.preview.rowCount() == 14
    assert dlg.preview.item(0, 1).text() == "城镇新增就业人数"
    ok = dlg.buttons.button(dlg.buttons.StandardButton.Ok)
    dlg.code.setText("990522")
    dlg.name.setText("新邵县")
    assert "省级前缀" in dlg.code_error.text() and not ok.isEnabled()
    dlg.code.setText("43052")
    assert "6位数字" in dlg.code_error.text()
    dlg.code.setText("430522")
    assert dlg.code_error.text() == "" and ok.isEnabled()
    dlg.accept()
    assert dlg.workspace is not None
    with dlg.workspace as ws:
        assert ws.plan().region_code == "430522" and len(ws.plan().indicators) == 14
        assert ws.path.parent == tmp_path


def test_save_as_from_a_read_only_workspace(qtbot, ws_path: Path, tmp_path: Path) -> None:  # noqa: ANN001
    from desktop.ui.main_window import MainWindow

    with Workspace.open(ws_path) as ws:
        actions.set_actual(ws, "sy-zl2-01", 2021, Decimal("4.9"))
    ro = Workspace.open(ws_path, read_only=True)
    win = MainWindow(ro)
    qtbot.addWidget(win)
    copy = tmp_path / "副本.sqlite"
    assert win.save_as(copy)
    assert not win.ws.read_only and win.ws.path == copy
    assert "[只读]" not in win.windowTitle() and win.windowTitle().startswith("副本.sqlite")
    assert win.readonly_banner.isHidden()
    assert win.ws.actual("sy-zl2-01", 2021).value == Decimal("4.9")
    assert ro.closed
    assert not list(tmp_path.glob(".*.tmp"))
    assert win.recent.paths()[0] == str(copy.resolve())
    win.ws.close()


def test_newer_file_is_refused_with_its_message(qtbot, window, tmp_path: Path) -> None:  # noqa: ANN001
    newer = tmp_path / "newer.sqlite"
    from desktop.store.create import new_workspace

    new_workspace(newer, template="sy-zl2", region_code="430522", region_name="新邵县").close()
    conn = sqlite3.connect(newer)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    before = window.ws
    assert window.open_file(newer) is False
    assert window.ws is before and not before.closed
    assert window.last_box is not None and "更新版本" in window.last_box.text()


def test_older_file_is_migrated_and_the_backup_named(qtbot, window, tmp_path: Path) -> None:  # noqa: ANN001
    migrations = schema.migrations()
    if len(migrations) < 2:
        pytest.skip("only one schema version exists")
    old = tmp_path / "old.sqlite"
    plan = window.model.plan
    Workspace.create(old, plan, _migrations=migrations[:1]).close()
    assert window.open_file(old)
    assert window.ws.migrated_from == 1 and window.ws.backup_path.exists()
    assert str(window.ws.backup_path) in window.info_banner.label.text()
    qtbot.waitUntil(lambda: window.last_box is not None and str(window.ws.backup_path) in window.last_box.text())


def test_real_app_runs_its_event_loop_and_quits(ws_path: Path) -> None:
    """Smoke: the real start-up path (translations, fonts, window, event loop) in a subprocess."""
    import os
    import subprocess
    import sys

    code = (
        "import sys; from PySide6.QtCore import QTimer; from desktop.ui.app import make_app, run_app; "
        "app = make_app(); QTimer.singleShot(1500, app.quit); sys.exit(run_app(sys.argv[1]))"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    proc = subprocess.run([sys.executable, "-c", code, str(ws_path)], capture_output=True, text=True, timeout=60, env=env)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
