"""The 报表 menu's entries, without loading ``report_menu`` (its dialogs and ``desktop.reports``)
until one is used: the window starts faster. The work lives in ``report_menu``."""
from __future__ import annotations

from types import ModuleType
from typing import Any

from PySide6.QtWidgets import QMenu


def _menu() -> ModuleType:
    from . import report_menu

    return report_menu


CITY_REPORTS = (("consolidated", "汇总进展情况表…"), ("comparison", "地区对比表…"))
"""The city's reports (``desktop.exchange.city_reports``), from the submissions it received."""
NO_SUBMISSIONS = "本工作簿还没有导入下级地区的报送文件；导入之后才能生成汇总进展情况表和地区对比表。"


def load_charts_option(action: Any) -> None:
    """The saved 附图表 choice, read when the menu first opens (or a report asks)."""
    if action.property("loaded"):
        return
    from desktop.store import app_settings

    action.blockSignals(True)
    action.setChecked(bool(app_settings.load().get("report_charts", False)))
    action.blockSignals(False)
    action.setProperty("loaded", True)


def save_setting(values: dict[str, Any]) -> None:
    from desktop.store import app_settings

    app_settings.save(values)


def build_report_menu(window: Any) -> QMenu:
    """The 报表 menu for a main window that has ``ws`` (and ``year``) attributes."""
    menu = QMenu("报表(&R)", window)
    for kind, label in (("box", "专栏表（按规划原样）…"), ("progress", "年度进展情况表…"), ("submission", "报送表（含数据指纹）…")):
        action = menu.addAction(label)
        action.triggered.connect(lambda _checked=False, k=kind: _menu().export_report(window, k))
    charts = menu.addAction("进展情况表附图表（PDF）")  # the overview and a chart per indicator
    charts.setObjectName("actReportCharts")
    charts.setCheckable(True)
    charts.toggled.connect(lambda on: (charts.setProperty("loaded", True), save_setting({"report_charts": bool(on)})))
    window.report_charts_action = charts
    menu.addSeparator()
    city_actions = []
    for kind, label in CITY_REPORTS:  # the city's (or province's) reports, from received submissions
        action = menu.addAction(label)
        action.triggered.connect(lambda _checked=False, k=kind: _menu().export_city_report(window, k))
        city_actions.append(action)
    menu.setToolTipsVisible(True)
    menu.aboutToShow.connect(lambda: _menu().update_city_actions(window, city_actions))  # not at start-up: lazy imports
    menu.aboutToShow.connect(lambda: load_charts_option(charts))
    menu.addSeparator()
    fonts = menu.addMenu("报表字体")
    fonts.addAction("正文字体…").triggered.connect(lambda: _menu().choose_report_font(window, "body"))
    fonts.addAction("标题字体…").triggered.connect(lambda: _menu().choose_report_font(window, "heading"))
    fonts.addAction("恢复内置字体").triggered.connect(
        lambda: save_setting({"report_body_font": None, "report_heading_font": None})
    )
    return menu
