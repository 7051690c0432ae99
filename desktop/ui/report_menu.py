"""The 报表 menu: write a report to PDF and/or Excel, then open it with the system viewer.

Rendering runs in a worker thread behind a progress dialog so the window never freezes; the
work itself is ``desktop.reports.write_report``, the same function the CLI calls. The city's
汇总进展情况表 and 地区对比表 (enabled once submissions were imported) are consolidated in the GUI
thread and drawn in the background by ``desktop.exchange.city_reports`` (CLI: ``report --kind
consolidated|comparison``).
"""
from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEventLoop, QTimer, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMainWindow, QMessageBox, QProgressDialog, QWidget

from desktop.domain.errors import PlanLedgerError
from desktop.reports import KINDS, ReportRequest, write_report
from desktop.store import app_settings

# the menu's entries (loaded with the window; this module loads when one is used)
from .report_actions import CITY_REPORTS, NO_SUBMISSIONS, build_report_menu, load_charts_option  # noqa: F401

FILTERS = {
    "pdf": "PDF 文件 (*.pdf)",
    "xlsx": "Excel 工作簿 (*.xlsx)",
    "both": "PDF 和 Excel（同名两个文件） (*.pdf)",
}


def run_in_background(parent: QWidget, title: str, work: Callable[[], Any]) -> Any:
    """Run ``work`` in a thread; show a busy progress dialog if it takes over 300 ms."""
    result: dict[str, Any] = {}

    def target() -> None:
        try:
            result["value"] = work()
        except BaseException as exc:  # re-raised in the GUI thread
            result["error"] = exc

    thread = threading.Thread(target=target, daemon=True)
    dialog = QProgressDialog(title, "", 0, 0, parent)
    dialog.setWindowTitle("请稍候")
    dialog.setCancelButton(None)
    dialog.setMinimumDuration(300)
    loop = QEventLoop()
    timer = QTimer()
    timer.setInterval(30)
    timer.timeout.connect(lambda: None if thread.is_alive() else loop.quit())
    thread.start()
    timer.start()
    if thread.is_alive():
        loop.exec()
    timer.stop()
    thread.join()
    dialog.close()
    if "error" in result:
        raise result["error"]
    return result.get("value")


def default_name(window: Any, kind: str, year: int | None, box: str | None) -> str:
    plan = window.ws.plan()
    what = box if kind == "box" and box else f"{year}年{KINDS[kind]}"
    return f"{plan.region_name}_{what}"


def choose_box(window: QWidget, plan: Any) -> str | None:
    labels = [b.label for b in plan.boxes]
    if len(labels) == 1:
        return labels[0]
    current = getattr(window, "current_box", lambda: None)()
    start = labels.index(current) if current in labels else 0
    captions = [b.caption for b in plan.boxes]
    chosen, ok = QInputDialog.getItem(window, "选择专栏", "要打印的专栏：", captions, start, False)
    return labels[captions.index(chosen)] if ok else None


def export_report(window: Any, kind: str, *, path: str | None = None, open_after: bool | None = None) -> list[Path]:
    """Ask for the file (unless ``path`` is given), write the report, open it."""
    if kind in dict(CITY_REPORTS):
        return export_city_report(window, kind, path=path, open_after=open_after)
    ws = window.ws
    plan, actuals = ws.plan(), ws.actuals()
    year = getattr(window, "year", None)
    box = choose_box(window, plan) if kind == "box" else None
    if kind == "box" and box is None:
        return []
    outputs = ask_outputs(window, KINDS[kind], ws.path.parent / default_name(window, kind, year, box), path)
    if outputs is None:
        return []
    pdf, xlsx = outputs
    settings = ws.progress_settings()
    from desktop.reports.fonts import ReportFonts  # reportlab: loaded when a report is made

    fonts = ReportFonts(*app_settings.report_font_paths())
    charts = kind == "progress" and with_charts(window)  # read in the GUI thread
    try:
        written = run_in_background(
            window,
            f"正在生成{KINDS[kind]}…",
            lambda: write_report(
                plan, actuals, ReportRequest(kind, year, box, charts=charts),
                pdf=pdf, xlsx=xlsx, settings=settings, fonts=fonts,
            ),
        )
    except PlanLedgerError as exc:
        QMessageBox.warning(window, "无法生成报表", exc.message)
        return []
    return show_written(window, written, open_after)


def ask_outputs(window: Any, label: str, suggested: Path, path: str | None) -> tuple[Path | None, Path | None] | None:
    """The PDF and/or Excel file to write: asked with a save dialog unless ``path`` is given
    (its suffix chooses); None when the dialog is cancelled."""
    if path is None:
        path, chosen = QFileDialog.getSaveFileName(
            window, f"保存{label}", str(suggested.with_name(suggested.name + ".pdf")), ";;".join(FILTERS.values())
        )
        if not path:
            return None
        mode = next((k for k, v in FILTERS.items() if v == chosen), "pdf")
    else:
        mode = "xlsx" if path.lower().endswith(".xlsx") else "pdf"
    stem = Path(path).with_suffix("")
    pdf = stem.with_suffix(".pdf") if mode in ("pdf", "both") else None
    xlsx = stem.with_suffix(".xlsx") if mode in ("xlsx", "both") else None
    return pdf, xlsx


def show_written(window: Any, written: list[Path], open_after: bool | None) -> list[Path]:
    """Say what was written in the status bar and open it with the system viewer."""
    if isinstance(window, QMainWindow):
        window.statusBar().showMessage("已生成：" + "，".join(str(p) for p in written), 8000)
    if open_after if open_after is not None else not os.environ.get("PLANLEDGER_NO_OPEN"):
        for p in written:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(p)))
    return written


def export_city_report(window: Any, kind: str, *, path: str | None = None, open_after: bool | None = None) -> list[Path]:
    """汇总进展情况表 / 地区对比表: consolidate here (the workspace's connection belongs to this
    thread), draw in the background; the year is the window's when submissions exist for it,
    else the latest year with submissions."""
    from desktop.exchange.city_reports import CITY_KINDS, prepare_city_report, submission_years
    from desktop.reports.fonts import ReportFonts  # reportlab: loaded when a report is made

    ws = window.ws
    years = submission_years(ws)
    year = getattr(window, "year", None)
    try:
        report = prepare_city_report(ws, kind, year if year in years else None)
    except PlanLedgerError as exc:
        QMessageBox.warning(window, "无法生成报表", exc.message)
        return []
    label = CITY_KINDS[kind]
    suggested = ws.path.parent / f"{ws.plan().region_name}_{report.result.year}年{label}"
    outputs = ask_outputs(window, label, suggested, path)
    if outputs is None:
        return []
    pdf, xlsx = outputs
    fonts = ReportFonts(*app_settings.report_font_paths())
    try:
        written = run_in_background(
            window, f"正在生成{label}…", lambda: report.write(pdf=pdf, xlsx=xlsx, fonts=fonts)
        )
    except PlanLedgerError as exc:
        QMessageBox.warning(window, "无法生成报表", exc.message)
        return []
    return show_written(window, written, open_after)


def update_city_actions(window: Any, actions: list[Any]) -> None:
    """Enable the city's reports only when the workspace holds received submissions."""
    ws = getattr(window, "ws", None)
    enabled = False
    if ws is not None:
        from desktop.exchange.city_reports import submission_years

        try:
            enabled = bool(submission_years(ws))
        except Exception:  # e.g. a closed workspace: leave them disabled
            enabled = False
    for action in actions:
        action.setEnabled(enabled)
        action.setToolTip("" if enabled else NO_SUBMISSIONS)
        action.setStatusTip("" if enabled else NO_SUBMISSIONS)


def with_charts(window: Any) -> bool:
    """Whether the 报表 menu's 附图表 option is on (charts appended to the progress report)."""
    action = getattr(window, "report_charts_action", None)
    if action is not None:
        load_charts_option(action)
    return bool(action is not None and action.isChecked())


def choose_report_font(window: QWidget, which: str, *, path: str | None = None) -> bool:
    """报表字体: pick an installed TrueType font for the body or headings (empty = bundled)."""
    key = "report_body_font" if which == "body" else "report_heading_font"
    if path is None:
        path, _ = QFileDialog.getOpenFileName(
            window, "选择报表字体（TrueType）", "", "TrueType 字体 (*.ttf *.ttc);;所有文件 (*)"
        )
        if not path:
            return False
    try:
        from desktop.reports.fonts import ReportFonts, register

        register(ReportFonts(**{which: Path(path)}))  # refuses CFF and damaged fonts, with the reason
    except PlanLedgerError as exc:
        QMessageBox.warning(window, "无法使用该字体", exc.message)
        return False
    app_settings.save({key: path})
    return True
