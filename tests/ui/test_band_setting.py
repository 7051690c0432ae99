"""The ± band of 基本符合 kept in the file is the one the grid, the CLI and the reports judge with."""
from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

pytest.importorskip("PySide6.QtWidgets")

from desktop.cli import main  # noqa: E402
from desktop.store import actions  # noqa: E402
from desktop.store.workspace import Workspace  # noqa: E402

JOBS = "sy-zl2-01"  # [>23.5]: 4.8 + 5 + 5.2 = 15 → 63.8 % against 60 % in 2023


def _status_everywhere(path: Path, capsys) -> tuple[str, str]:  # noqa: ANN001
    from desktop.ui.grid_model import GridModel

    with Workspace.open(path) as ws:
        model = GridModel(ws, 2023)
        grid = model.data(model.index(model.row_of_code[JOBS], model.columns.status_column))
    capsys.readouterr()
    assert main(["show", str(path), "--year", "2023", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    cli = next(i for i in shown["indicators"] if i["code"] == JOBS)["status"]
    return grid, cli


def test_band_from_the_file_is_used_by_grid_and_cli(ws_path: Path, capsys) -> None:  # noqa: ANN001
    with Workspace.open(ws_path) as ws:
        for year, value in ((2021, "4.8"), (2022, "5"), (2023, "5.2")):
            actions.set_actual(ws, JOBS, year, Decimal(value))
        assert ws.progress_settings().band == Decimal("0.05")
    assert _status_everywhere(ws_path, capsys) == ("基本符合", "基本符合")
    with Workspace.open(ws_path) as ws:
        ws.set_setting("band", "0.02")
        assert ws.progress_settings().band == Decimal("0.02")
    assert _status_everywhere(ws_path, capsys) == ("快于序时", "快于序时")
    with Workspace.open(ws_path) as ws:
        ws.set_setting("band", "abc")  # a damaged setting falls back to the default
        assert ws.progress_settings().band == Decimal("0.05")


def test_band_set_from_the_window_rejudges_and_is_audited(window, ws_path: Path) -> None:  # noqa: ANN001
    m = window.model
    for year, value in ((2021, "4.8"), (2022, "5"), (2023, "5.2")):
        assert m.setData(m.index_of(JOBS, year), value)
    status = lambda: m.data(m.index(m.row_of_code[JOBS], m.columns.status_column))  # noqa: E731
    assert status() == "基本符合"
    assert window.band_dialog(2.0)
    assert status() == "快于序时"
    assert not window.band_dialog(50.0)  # out of range: said, nothing stored
    assert "超出范围" in window.statusBar().currentMessage() or "超出范围" in window.message_bar.text()
    with Workspace.open(ws_path, read_only=True) as ws:
        assert ws.progress_settings().band == Decimal("0.02")
        entry = ws.audit()[-1]
        assert (entry.action, entry.field, entry.old_value, entry.new_value) == ("setting", "band", "5", "2")
