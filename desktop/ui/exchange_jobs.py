"""The plumbing of the 报送与汇总 actions (``desktop.ui.exchange_menu``): worker threads with
their own connection to the window's file, the import job behind its progress dialog, messages.

An SQLite connection cannot cross threads, so each worker opens its own connection to the
window's file (``worker_workspace``); the window's connection stays in the GUI thread.
"""
from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEventLoop, QStandardPaths, Qt, QThread, Signal
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

from desktop.domain.errors import FileRefused, PlanLedgerError
from desktop.exchange import ImportReport, import_submissions
from desktop.exchange.importer import auto_workers
from desktop.store.workspace import BUSY_TIMEOUT_MS, READ_ONLY_ASKED, Workspace, sqlite_uri


def worker_workspace(ws: Workspace, *, read_only: bool | None = None) -> Workspace:
    """A second connection to ``ws``'s file for the calling (worker) thread. It holds no file
    lock (the window's workspace does) and is read-only when ``ws`` is (or when asked)."""
    ro = ws.read_only if read_only is None else read_only
    try:
        conn = sqlite3.connect(sqlite_uri(ws.path) + ("?mode=ro" if ro else "?mode=rw"), uri=True,
                               isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
        conn.execute("PRAGMA trusted_schema = OFF")
        conn.execute("PRAGMA foreign_keys = ON")
        if not ro:
            conn.execute("PRAGMA synchronous = FULL")
    except sqlite3.Error as exc:
        raise FileRefused(f"无法打开文件“{ws.path.name}”：{exc}") from exc
    reason = ws.read_only_reason or (READ_ONLY_ASKED if ro else None)
    return Workspace(ws.path, conn, user=ws.user, lock=None, read_only_reason=reason, schema_version=ws.schema_version)


def in_background(parent: QWidget, title: str, work: Callable[[], Any]) -> Any:
    """``work`` in a thread behind a busy dialog (the 报表 menu's helper)."""
    try:
        from .report_menu import run_in_background
    except ImportError:  # the report menu is not part of this build: run it here
        return work()
    return run_in_background(parent, title, work)


def _message(window: Any, parent: QWidget | None, icon: QMessageBox.Icon, title: str, text: str) -> QMessageBox:
    """A window-modal message that does not block the caller; its text can be selected and
    copied (paths, fingerprints). ``window.last_box`` is the latest one (tests)."""
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, parent or window)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    window.last_box = box
    box.open()
    return box


def tell(window: Any, title: str, text: str, parent: QWidget | None = None) -> QMessageBox:
    return _message(window, parent, QMessageBox.Icon.Information, title, text)


def refuse(window: Any, title: str, text: str, parent: QWidget | None = None) -> QMessageBox:
    return _message(window, parent, QMessageBox.Icon.Warning, title, text)


def reason(exc: BaseException) -> str:
    """The Chinese text of a refusal; a file or database error is quoted after a Chinese lead."""
    if isinstance(exc, PlanLedgerError):
        return exc.message
    return f"读写文件时出错：{exc}"


def status(window: Any, text: str) -> None:
    bar = getattr(window, "statusBar", None)
    if bar is not None:
        bar().showMessage(text, 10000)


def refresh_window(window: Any) -> None:
    """Re-read the window's values and figures after the file changed outside the editor."""
    ws = getattr(window, "ws", None)
    if ws is not None:
        ws.invalidate_plan()
    model = getattr(window, "model", None)
    if model is not None:
        model.refresh()
    editor = getattr(window, "editor", None)
    if editor is not None:
        editor.refresh_problems()
    refresh = getattr(window, "_refresh_views", None)
    if refresh is not None:
        refresh()


def start_folder(ws: Workspace) -> Path:
    """Where the file dialogs start: beside the workspace, or 文档 when that folder is read-only."""
    folder = ws.path.parent
    if os.access(folder, os.W_OK):
        return folder
    docs = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(docs) if docs else folder


# ------------------------------------------------------------------------------ import


class ImportJob(QThread):
    """``import_submissions`` in a worker thread with its own connection to the file."""

    progressed = Signal(int, int, str)  # done, total, file name

    def __init__(self, ws: Workspace, paths: Sequence[str | os.PathLike[str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws, self.paths = ws, list(paths)
        self.cancelled = threading.Event()
        self.report: ImportReport | None = None
        self.error: str | None = None

    def run(self) -> None:  # the worker thread
        try:
            w = worker_workspace(self.ws)
            try:
                self.report = import_submissions(
                    w, self.paths,
                    progress=lambda done, total, path: self.progressed.emit(done, total, Path(path).name),
                    cancel=self.cancelled.is_set,
                    workers=auto_workers(),  # large batches verify in worker processes
                )
            finally:
                w.close()
        except PlanLedgerError as exc:
            self.error = exc.message
        except (sqlite3.Error, OSError) as exc:
            self.error = f"导入时出错：{exc}"
        except Exception as exc:  # noqa: BLE001 - shown as a message, never a traceback window
            self.error = f"导入时发生意外错误（{type(exc).__name__}）：{exc}"


def run_import(window: Any, paths: Sequence[str | os.PathLike[str]]) -> tuple[ImportReport | None, str | None]:
    """Import behind a progress dialog ("n / N 文件名", 取消 stops before the next file)."""
    job = ImportJob(window.ws, paths, window)
    window.import_job = job
    dialog = QProgressDialog("正在准备…", "取消", 0, 0, window)
    dialog.setObjectName("importProgress")
    dialog.setWindowTitle("导入报送文件")
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(0)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    dialog.setMinimumWidth(460)
    window.import_progress = dialog

    def progressed(done: int, total: int, name: str) -> None:
        if job.cancelled.is_set():
            return
        dialog.setMaximum(max(total, 1))
        dialog.setValue(done)
        dialog.setLabelText(f"已完成 {done} / {total}" if done >= total else f"{done + 1} / {total}　{name}")

    def cancelled() -> None:
        job.cancelled.set()
        dialog.setLabelText("正在取消：当前文件处理完后停止…")

    job.progressed.connect(progressed)
    dialog.canceled.connect(cancelled)
    loop = QEventLoop()
    job.finished.connect(loop.quit)
    dialog.show()
    job.start()
    if not job.isFinished():
        loop.exec()
    job.wait()
    window.ws.settle_journal()  # the worker's batch could not leave WAL while this connection was open
    dialog.canceled.disconnect(cancelled)  # closing a progress dialog emits canceled
    dialog.close()
    window.import_job = None
    return job.report, job.error
