"""报送与汇总 actions of the 数据 menu: 导出报送文件, 导入报送文件, 汇总, 比较两个报送文件.

The work is ``desktop.exchange`` — the same functions the CLI calls (docs/exchange.md). It runs
in worker threads so the window never freezes; an SQLite connection cannot cross threads, so
each worker opens its own connection to the window's file (``worker_workspace``). Errors are
``PlanLedgerError``s whose Chinese message is shown in a message box, never a traceback.
"""
from __future__ import annotations

import os
import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox, QWidget

from desktop.domain.errors import PlanLedgerError
from desktop.domain.progress_table import default_year
from desktop.exchange import (Consolidation, RegionValues, consolidate, default_name, diff_files, diff_versions,
                              export_submission, write_consolidation)
from desktop.exchange.importer import SUBMISSION_SUFFIXES
from desktop.exchange.manifest import Manifest, read_manifest
from desktop.store.workspace import Workspace, sqlite_uri

from . import exchange_jobs as jobs
from .dialogs.consolidation import ConsolidationDialog
from .dialogs.exchange_views import DiffDialog, ImportResultDialog
from .exchange_jobs import in_background, reason, refresh_window, refuse, start_folder, status, tell, worker_workspace

SUBMISSION_FILTER = "报送文件 (" + " ".join(f"*{s}" for s in SUBMISSION_SUFFIXES) + ");;所有文件 (*)"


def _read_manifest(path: Path) -> Manifest | None:
    conn = sqlite3.connect(sqlite_uri(path) + "?mode=ro&immutable=1", uri=True)
    try:
        return read_manifest(conn)
    finally:
        conn.close()


# ------------------------------------------------------------------------------ export


def export_dialog(window: Any, *, year: int | None = None, path: str | os.PathLike[str] | None = None) -> Path | None:
    """导出报送文件: ask the year and the file, export, say where it is and its fingerprint.
    Works in a read-only workspace too (nothing is written to it)."""
    ws: Workspace = window.ws
    plan = ws.plan()
    if year is None:
        default = getattr(window, "year", None) or default_year(plan, ws.actuals())
        year, ok = QInputDialog.getInt(window, "导出报送文件", f"报送年份（{plan.start_year}—{plan.end_year}）：",
                                       default, plan.start_year, plan.end_year)
        if not ok:
            return None
    if path is None:
        path, _ = QFileDialog.getSaveFileName(window, f"导出 {year} 年报送文件",
                                              str(start_folder(ws) / default_name(plan, year)), SUBMISSION_FILTER)
        if not path:
            return None
    target = Path(path)
    if not target.suffix:
        target = target.with_suffix(".sqlite")

    def work() -> tuple[Path, Manifest | None]:
        w = worker_workspace(ws)
        try:
            out = export_submission(w, year, target)
        finally:
            w.close()
        return out, _read_manifest(out)

    try:
        out, m = in_background(window, "正在导出报送文件…", work)
    except (PlanLedgerError, sqlite3.Error, OSError) as exc:
        refuse(window, "无法导出报送文件", reason(exc))
        return None
    what = f"{m.region_name}（{m.region_code}）{m.report_year} 年报送文件（{m.nature}）" if m else f"{year} 年报送文件"
    fingerprint = m.fingerprint if m else "—"
    tell(window, "已导出报送文件",
         f"已导出{what}：\n{out}\n\n数据指纹：\n{fingerprint}\n\n"
         "请把此文件报送上级。打印报送表（报表 → 报送表）时，表上印的数据指纹应与此相同。")
    status(window, f"已导出报送文件：{out}")
    return out


# ------------------------------------------------------------------------------ import


def import_dialog(window: Any, paths: Sequence[str | os.PathLike[str]] | None = None, *,
                  folder: bool = False) -> ImportResultDialog | None:
    """导入报送文件: choose files (or a folder), import them, list what became of each."""
    ws: Workspace = window.ws
    if ws.read_only:
        refuse(window, "不能导入报送文件",
               f"“{ws.path.name}”{ws.read_only_reason}，不能导入。可用“文件 → 另存为”保存一份可编辑的副本后再导入。")
        return None
    if paths is None:
        if folder:
            chosen = QFileDialog.getExistingDirectory(window, "选择存放报送文件的文件夹", str(start_folder(ws)))
            paths = [chosen] if chosen else []
        else:
            paths, _ = QFileDialog.getOpenFileNames(window, "选择要导入的报送文件", str(start_folder(ws)), SUBMISSION_FILTER)
        if not paths:
            return None
    report, error = jobs.run_import(window, paths)
    if error is not None or report is None:
        refuse(window, "导入报送文件失败", error or "导入没有完成")
        return None
    if report.imported:
        refresh_window(window)
    status(window, report.summary())
    dlg = ImportResultDialog(report, window)
    window.exchange_dialog = dlg
    dlg.open()
    return dlg


# ------------------------------------------------------------------------------ consolidation


def compute_consolidation(window: Any, year: int, parent: QWidget | None = None) -> Consolidation | None:
    ws: Workspace = window.ws

    def work() -> Consolidation:
        w = worker_workspace(ws, read_only=True)
        try:
            return consolidate(w, year)
        finally:
            w.close()

    try:
        return in_background(parent or window, f"正在汇总 {year} 年…", work)
    except (PlanLedgerError, sqlite3.Error, OSError) as exc:
        refuse(window, "无法汇总", reason(exc), parent)
        return None


def write_consolidated(window: Any, result: Consolidation, parent: QWidget | None = None, *,
                       confirm: bool = True) -> int | None:
    """写入汇总值: one transaction (``write_consolidation``); refused politely when read-only."""
    ws: Workspace = window.ws
    if ws.read_only:
        refuse(window, "不能写入汇总值",
               f"“{ws.path.name}”{ws.read_only_reason}，汇总值不能写入。"
               "可用“文件 → 另存为”保存一份可编辑的副本后再写入。", parent)
        return None
    if confirm:
        answer = QMessageBox.question(
            parent or window, "写入汇总值",
            f"把 {result.year} 年汇总值（{len(result.submissions)} 个地区）写入本级工作簿“{ws.path.name}”？\n\n"
            "本级同一指标、同一年份已有的数值将被汇总值替换，每个改变的数值都记入修改记录；"
            "不可汇总的指标保留本级已有的数值。写入后不能用“撤销”恢复。",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return None
    try:
        written = write_consolidation(ws, result)
    except (PlanLedgerError, sqlite3.Error) as exc:
        refuse(window, "不能写入汇总值", reason(exc), parent)
        return None
    stack = getattr(window, "stack", None)
    if stack is not None and written:
        stack.clear()  # the undo steps before the write would now replay over the written values
    refresh_window(window)
    text = (f"已把 {written} 个汇总值写入“{ws.path.name}”。现在可以导出本级报送文件报给上级。" if written
            else "汇总值与本级工作簿中的数值相同，没有改变。")
    status(window, text)
    tell(window, "写入汇总值", text, parent)
    return written


def _default_consolidation_year(ws: Workspace, current: int | None, years: list[int]) -> int:
    """The window's report year when regions submitted for it, else the latest year they did."""
    submitted = {y for (y,) in ws.connection.execute("SELECT DISTINCT year FROM submission WHERE status = 'accepted'")}
    if current in years and (current in submitted or not submitted & set(years)):
        return current
    return max(submitted & set(years), default=years[-1])


def consolidation_dialog(window: Any, year: int | None = None) -> ConsolidationDialog:
    """汇总…: the consolidation of a report year, with 写入汇总值."""
    ws: Workspace = window.ws
    years = list(ws.plan().years)
    if year not in years:
        year = _default_consolidation_year(ws, getattr(window, "year", None), years)
    holder: dict[str, QWidget] = {}

    def compute(y: int) -> Consolidation | None:
        return compute_consolidation(window, y, holder.get("dialog"))

    def write(result: Consolidation) -> bool:
        return write_consolidated(window, result, holder.get("dialog")) is not None

    def compare(region: RegionValues, y: int) -> DiffDialog | None:
        return compare_versions(window, region, y, holder.get("dialog"))

    dlg = ConsolidationDialog(years, year, compute, write, window,
                              read_only_reason=ws.read_only_reason if ws.read_only else None, compare=compare)
    holder["dialog"] = dlg
    window.exchange_dialog = dlg
    dlg.open()
    return dlg


# ------------------------------------------------------------------------------ diff


def compare_versions(window: Any, region: RegionValues, year: int, parent: QWidget | None = None) -> DiffDialog | None:
    """与上一版比较: a region's latest stored submission against its previous version."""
    old, new = region.version - 1, region.version
    try:
        diff = diff_versions(window.ws, region.code, year, old, new)
    except PlanLedgerError as exc:
        refuse(window, "无法比较版本", exc.message, parent)
        return None
    heading = f"{region.name}（{region.code}）{year} 年报送：第 {old} 版 → 第 {new} 版"
    dlg = DiffDialog(diff, parent or window, heading=heading)
    window.version_dialog = dlg
    dlg.open()
    return dlg


def diff_dialog(window: Any, a: str | os.PathLike[str] | None = None,
                b: str | os.PathLike[str] | None = None) -> DiffDialog | None:
    """比较两个报送文件: both are verified like any received file, then the values compared."""
    folder = str(start_folder(window.ws))
    if a is None:
        a, _ = QFileDialog.getOpenFileName(window, "比较报送文件：选择原文件（较早的一份）", folder, SUBMISSION_FILTER)
        if not a:
            return None
    if b is None:
        b, _ = QFileDialog.getOpenFileName(window, "比较报送文件：选择新文件（较新的一份）", str(Path(a).parent),
                                           SUBMISSION_FILTER)
        if not b:
            return None
    try:
        diff = in_background(window, "正在核验并比较…", lambda: diff_files(a, b))
    except (PlanLedgerError, OSError) as exc:
        refuse(window, "无法比较报送文件", reason(exc))
        return None
    dlg = DiffDialog(diff, window)
    window.exchange_dialog = dlg
    dlg.open()
    return dlg


# ------------------------------------------------------------------------------ menu


from .exchange_actions import add_exchange_actions  # noqa: E402, F401  (kept importable from here)
