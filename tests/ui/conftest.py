"""Qt editor fixtures: a fresh 邵阳 专栏2 workspace per test, settings kept out of $HOME."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

pytest.importorskip("PySide6.QtWidgets")


@pytest.fixture(autouse=True)
def _private_settings(tmp_path: Path, qapp):  # noqa: ANN001
    from PySide6.QtCore import QSettings

    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    yield


@pytest.fixture
def ws_path(tmp_path: Path) -> Path:
    from desktop.store.create import new_workspace

    path = tmp_path / "xinshao.sqlite"
    new_workspace(path, template="sy-zl2", region_code="430522", region_name="新邵县").close()
    return path


@pytest.fixture
def window(qtbot, ws_path: Path):  # noqa: ANN001
    from desktop.store.workspace import Workspace
    from desktop.ui.main_window import MainWindow

    ws = Workspace.open(ws_path)
    win = MainWindow(ws, year=2023)
    qtbot.addWidget(win)
    win.resize(1360, 800)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.ws.close()
    ws.close()


def stored(path: Path, code: str, year: int) -> Decimal | None:
    """The value as a fresh connection reads it from the file."""
    from desktop.store.workspace import Workspace

    with Workspace.open(path, read_only=True) as ws:
        a = ws.actual(code, year)
        return None if a is None else a.value
