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


def test_city_reports_are_disabled_without_submissions(host) -> None:
    menu = build_report_menu(host)
    menu.aboutToShow.emit()  # the state is checked each time the menu opens
    city = [a for a in menu.actions() if a.text() in ("汇总进展情况表…", "地区对比表…")]
    assert len(city) == 2 and not any(a.isEnabled() for a in city)
    assert "还没有导入下级地区的报送文件" in city[0].toolTip()


def test_city_reports_from_imported_submissions(qtbot, tmp_path: Path) -> None:
    import openpyxl

    from desktop.exchange import export_submission, import_submissions

    files = []
    for code, name, value in (("430522", "新邵县", "1.2"), ("430523", "邵阳县", "2.4")):
        with new_workspace(tmp_path / f"{code}.sqlite", template="sy-zl2", region_code=code, region_name=name) as ws:
            actions.set_actual(ws, "sy-zl2-01", 2023, Decimal(value))
            files.append(export_submission(ws, 2023, tmp_path))
    city = new_workspace(tmp_path / "city.sqlite", template="sy-zl2", region_code="430500", region_name="邵阳市")
    try:
        import_submissions(city, files)
        win = Host(city, 2023)
        qtbot.addWidget(win)
        menu = build_report_menu(win)
        menu.aboutToShow.emit()
        city_actions = [a for a in menu.actions() if a.text() in ("汇总进展情况表…", "地区对比表…")]
        assert all(a.isEnabled() for a in city_actions)
        pdf = export_report(win, "consolidated", path=str(tmp_path / "汇总.pdf"), open_after=False)
        assert pdf == [tmp_path / "汇总.pdf"] and pdf[0].read_bytes()[:5] == b"%PDF-"
        xlsx = export_report(win, "comparison", path=str(tmp_path / "对比.xlsx"), open_after=False)
        rows = [r for r in openpyxl.load_workbook(xlsx[0]).worksheets[0].iter_rows(values_only=True)]
        jobs = next(r for r in rows if "城镇新增就业人数" in r)
        assert [v for v in jobs if isinstance(v, float)] == [1.2, 2.4, 3.6]
        assert "已生成" in win.statusBar().currentMessage()
    finally:
        city.close()
