"""The 报表 menu writes the same files as `planledger report`."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

pytest.importorskip("PySide6.QtWidgets")

from PySide6.QtWidgets import QMainWindow, QMessageBox  # noqa: E402

from desktop.store import actions  # noqa: E402
from desktop.store.create import new_workspace  # noqa: E402
from desktop.ui.report_menu import build_report_menu, export_report  # noqa: E402


class Host(QMainWindow):
    def __init__(self, ws, year):
        super().__init__()
        self.ws, self.year = ws, year


@pytest.fixture
def host(qtbot, tmp_path: Path):
    ws = new_workspace(tmp_path / "c.sqlite", template="sy-zl2", region_code="430522", region_name="新邵县")
    actions.set_actual(ws, "sy-zl2-01", 2023, Decimal("5.2"))
    win = Host(ws, 2023)
    qtbot.addWidget(win)
    yield win
    ws.close()


def test_menu_lists_three_reports(host) -> None:
    menu = build_report_menu(host)
    texts = [a.text() for a in menu.actions()]
    assert texts[:3] == ["专栏表（按规划原样）…", "年度进展情况表…", "报送表（含数据指纹）…"]
    assert texts[-1] == "报表字体"


def test_export_writes_pdf_and_xlsx(host, tmp_path: Path) -> None:
    pdf = export_report(host, "progress", path=str(tmp_path / "p.pdf"), open_after=False)
    assert pdf == [tmp_path / "p.pdf"] and pdf[0].read_bytes()[:5] == b"%PDF-"
    xlsx = export_report(host, "submission", path=str(tmp_path / "s.xlsx"), open_after=False)
    assert xlsx == [tmp_path / "s.xlsx"] and xlsx[0].stat().st_size > 3000
    assert "已生成" in host.statusBar().currentMessage()


def test_export_error_is_a_message_not_a_crash(host, tmp_path: Path, monkeypatch) -> None:
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: shown.append(a[2]))
    assert export_report(host, "progress", path=str(tmp_path / "missing" / "p.pdf"), open_after=False) == []
    assert shown and "missing" in shown[0]


def test_report_font_choice_is_saved(host, tmp_path: Path, monkeypatch) -> None:
    import json

    import resources
    from desktop.ui.report_menu import choose_report_font

    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    sans = next(p for p in resources.font_files() if p.name == "NotoSansSC-Regular.ttf")
    assert choose_report_font(host, "body", path=str(sans))
    saved = json.loads((tmp_path / "config" / "PlanLedger" / "settings.json").read_text(encoding="utf-8"))
    assert saved == {"report_body_font": str(sans)}
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: shown.append(a[2]))
    bad = tmp_path / "bad.otf"
    bad.write_bytes(b"OTTO" + b"\0" * 64)
    assert not choose_report_font(host, "heading", path=str(bad))
    assert shown and "bad.otf" in shown[0]
