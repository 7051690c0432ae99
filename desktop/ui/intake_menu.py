"""数据 → 从 Excel 导入…: plan tables and values from workbooks (issue 7), in the GUI.

The workbook is read in a worker thread behind a progress dialog (a 50 MB workbook never
freezes the window; the reading is pure and touches no workspace). The preview dialog lists
every problem by cell address; nothing is written until 导入, and the write runs through the
editor's ``execute`` so the whole import is one undo step.
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QThread, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox, QProgressDialog, QWidget

from desktop.domain.errors import PlanLedgerError
from typing import TYPE_CHECKING

from .data_actions import add_intake_actions  # noqa: F401 - the menu entries (kept light)

if TYPE_CHECKING:  # openpyxl loads only when a workbook is read (~0.2 s at start otherwise)
    from desktop.intake.workbook import Progress

XLSX_FILTER = "Excel 工作簿 (*.xlsx *.xlsm);;所有文件 (*)"
VALUES_FILTER = "Excel 工作簿或 CSV (*.xlsx *.xlsm *.csv);;所有文件 (*)"


class _Cancelled(Exception):
    pass


class ReadJob(QThread):
    """``work(progress)`` in a thread; ``done(result)`` or ``failed(message)`` in the GUI thread."""

    progressed = Signal(int, str)
    done = Signal(object)
    failed = Signal(str)

    def __init__(self, work: Callable[[Progress], Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.work = work
        self.cancelled = False

    def run(self) -> None:
        def progress(fraction: float, what: str) -> None:
            if self.cancelled:
                raise _Cancelled()
            self.progressed.emit(int(fraction * 100), what)

        try:
            result = self.work(progress)
        except _Cancelled:
            self.failed.emit("")
        except PlanLedgerError as exc:
            self.failed.emit(exc.message)
        except Exception as exc:  # a bug: say so, keep the window alive
            self.failed.emit(f"读取时出现意外错误：{type(exc).__name__}: {exc}")
        else:
            self.done.emit(result)


def read_in_background(window: Any, title: str, work: Callable[[Progress], Any],
                       on_done: Callable[[Any], None]) -> ReadJob:
    """Start ``work`` in a thread with a cancellable progress dialog; ``on_done(result)`` runs
    in the GUI thread. Returns the job (tests wait on it)."""
    dialog = QProgressDialog(title, "取消", 0, 100, window)
    dialog.setWindowTitle("正在读取")
    dialog.setMinimumDuration(400)
    dialog.setAutoClose(False)
    job = ReadJob(work, window)
    job.progressed.connect(lambda value, what: (dialog.setValue(value), dialog.setLabelText(f"{title}\n{what}")))
    dialog.canceled.connect(lambda: setattr(job, "cancelled", True))

    def finished_ok(result: Any) -> None:
        dialog.close()
        on_done(result)

    def finished_bad(message: str) -> None:
        dialog.close()
        if message:
            box = QMessageBox(QMessageBox.Icon.Warning, "无法读取", message, QMessageBox.StandardButton.Ok, window)
            box.setObjectName("intakeRefused")
            window.last_box = box
            box.open()

    job.done.connect(finished_ok)
    job.failed.connect(finished_bad)
    window.intake_job = job
    job.start()
    return job


def _ask_file(window: Any, title: str, filters: str) -> Path | None:
    path, _ = QFileDialog.getOpenFileName(window, title, "", filters)
    return Path(path) if path else None


def import_table_dialog(window: Any, path: Path | None = None, *, sheet: str | None = None,
                        box: str | None = None) -> ReadJob | None:
    """Choose a workbook, read it in the background, preview, import on 导入."""
    path = path or _ask_file(window, "选择含规划指标表的工作簿", XLSX_FILTER)
    if path is None:
        return None
    from desktop.intake.table import read_table

    return read_in_background(window, f"正在读取“{path.name}”…",
                              lambda progress: read_table(path, sheet=sheet, box=box, progress=progress),
                              lambda table: _preview_table(window, path, table, sheet, box))


def _preview_table(window: Any, path: Path, table: Any, sheet: str | None, box: str | None) -> None:
    from desktop.intake.apply import import_table, table_plan_changes

    from .dialogs.import_preview import ImportPreviewDialog

    dialog = ImportPreviewDialog(window, f"导入规划表 — {path.name}")
    changes, notes = table_plan_changes(window.editor.ws.plan(), table)
    dialog.show_table(table, changes, notes)
    if not changes:  # e.g. a task box of the same label: nothing can be imported
        dialog.import_button.setEnabled(False)
    window.import_preview = dialog

    def accepted() -> None:
        window.editor.execute(lambda: import_table(window.editor.ws, table))

    def again() -> None:
        dialog.close()
        import_table_dialog(window, path, sheet=sheet, box=box)

    dialog.accepted.connect(accepted)
    dialog.reread.connect(again)
    dialog.open()


def import_actuals_dialog(window: Any, path: Path | None = None) -> ReadJob | None:
    path = path or _ask_file(window, "选择含各年实际值的工作簿或 CSV", VALUES_FILTER)
    if path is None:
        return None
    from desktop.intake.values import read_values

    plan = window.editor.ws.plan()
    return read_in_background(window, f"正在读取“{path.name}”…",
                              lambda progress: read_values(path, plan, progress=progress),
                              lambda values: _preview_values(window, path, values))


def _preview_values(window: Any, path: Path, values: Any) -> None:
    from desktop.intake.apply import import_actuals

    from .dialogs.import_preview import ImportPreviewDialog

    plan = window.editor.ws.plan()
    dialog = ImportPreviewDialog(window, f"导入实际值 — {path.name}")
    dialog.show_values(values, lambda code: plan.indicator(code).name if plan.indicator(code) else code)
    window.import_preview = dialog

    def accepted() -> None:
        window.editor.execute(lambda: import_actuals(window.editor.ws, values.cells, label=f"导入实际值（{path.name}）"))

    dialog.accepted.connect(accepted)
    dialog.reread.connect(lambda: (dialog.close(), import_actuals_dialog(window, path)))
    dialog.open()


def save_template_dialog(window: Any, path: Path | None = None) -> Path | None:
    """另存为模板: the plan definition (without values) as a shareable template file."""
    from desktop.intake.templates import save_template

    ws = window.editor.ws
    plan = ws.plan()
    if path is None:
        chosen, _ = QFileDialog.getSaveFileName(window, "把规划定义另存为模板", f"{plan.region_name}_规划模板.json",
                                                "规划模板 (*.json)")
        if not chosen:
            return None
        path = Path(chosen)
    try:
        written = save_template(plan, [], path)
    except (PlanLedgerError, OSError) as exc:
        text = getattr(exc, "message", None) or f"写入文件时出错：{exc}"
        box = QMessageBox(QMessageBox.Icon.Warning, "无法保存模板", text, QMessageBox.StandardButton.Ok, window)
        window.last_box = box
        box.open()
        return None
    box = QMessageBox(QMessageBox.Icon.Information, "已保存模板",
                      f"已把规划定义（{len(plan.boxes)} 个专栏、{len(plan.indicators)} 个指标）保存为“{written}”。\n"
                      "其他单位在“文件 → 新建”中点“从文件添加模板…”即可选用；指标代码保持不变，便于上级汇总。",
                      QMessageBox.StandardButton.Ok, window)
    window.last_box = box
    box.open()
    return written


def split_dialog(window: Any):  # type: ignore[no-untyped-def]
    from .dialogs.split_targets import SplitTargetsDialog

    dialog = SplitTargetsDialog(window, window.editor.ws)
    window.split_dialog = dialog
    dialog.open()
    return dialog
