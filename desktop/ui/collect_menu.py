"""数据 → 科室填报表: write one fill-in workbook per 责任单位, and take them back (issue 7).

Both run below the UI (``desktop.intake.collect``); reading the returned files happens in a
worker thread, the summary is shown in the import preview, and the accepted values are
written through the editor as one undo step.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QCheckBox, QFileDialog, QInputDialog, QMessageBox

from desktop.domain.errors import PlanLedgerError

from .data_actions import add_collect_actions  # noqa: F401 - the menu entries (kept light)


def _year(window: Any) -> int:
    model = getattr(window, "model", None)
    return int(getattr(model, "year", 0) or window.editor.ws.plan().start_year)


def collect_dialog(window: Any, out_dir: Path | None = None, year: int | None = None) -> list[Path]:
    from desktop.intake.collect import write_collect_workbooks

    plan = window.editor.ws.plan()
    if year is None:
        year, ok = QInputDialog.getInt(window, "生成科室填报表", "填报年份：", _year(window), plan.start_year, plan.end_year)
        if not ok:
            return []
    if out_dir is None:
        chosen = QFileDialog.getExistingDirectory(window, "选择保存填报表的文件夹")
        if not chosen:
            return []
        out_dir = Path(chosen)
    try:
        paths = write_collect_workbooks(plan, window.editor.ws.actuals(), year, out_dir)
    except (PlanLedgerError, OSError) as exc:
        _box(window, QMessageBox.Icon.Warning, "无法生成填报表", getattr(exc, "message", None) or f"写入文件时出错：{exc}")
        return []
    listed = "\n".join(p.name for p in paths)
    _box(window, QMessageBox.Icon.Information, "已生成科室填报表",
         f"已为 {len(paths)} 个责任单位生成 {year} 年填报表，保存在“{out_dir}”：\n{listed}\n\n"
         "发给各科室填写黄色单元格后收回，用“数据 → 收回科室填报表”导入。")
    return paths


def collect_in_dialog(window: Any, files: list[Path] | None = None):  # type: ignore[no-untyped-def]
    from desktop.intake.collect import CollectedFile, read_collected
    from desktop.intake.problems import IntakeProblem, Severity

    from .intake_menu import read_in_background

    if files is None:
        chosen, _ = QFileDialog.getOpenFileNames(window, "选择科室填回的填报表", "", "Excel 工作簿 (*.xlsx *.xlsm)")
        if not chosen:
            return None
        files = [Path(c) for c in chosen]
    plan, actuals = window.editor.ws.plan(), window.editor.ws.actuals()

    def work(progress):  # type: ignore[no-untyped-def]
        read = []
        for n, path in enumerate(files):
            progress(n / max(1, len(files)), f"正在读取“{path.name}”")
            try:
                read.append(read_collected(path, plan, actuals))
            except PlanLedgerError as exc:
                bad = CollectedFile(path)
                bad.problems.append(IntakeProblem(Severity.ERROR, exc.message, path.name))
                read.append(bad)
        progress(1.0, "读取完成")
        return read

    return read_in_background(window, "正在读取填报表…", work, lambda read: _preview(window, read))


def _preview(window: Any, read: list) -> None:  # type: ignore[type-arg]
    from desktop.intake.apply import apply_collected
    from desktop.intake.collect import collect_summary

    from .dialogs.import_preview import ImportPreviewDialog

    plan = window.editor.ws.plan()
    names = lambda code: plan.indicator(code).name if plan.indicator(code) else code  # noqa: E731
    dialog = ImportPreviewDialog(window, "收回科室填报表")
    overwrite = QCheckBox("与已有数值不同时，以填报表为准")
    overwrite.setObjectName("collectOverwrite")
    dialog.layout().insertWidget(1, overwrite)
    state = {"summary": collect_summary(read, plan)}

    def show() -> None:
        state["summary"] = collect_summary(read, plan, overwrite=overwrite.isChecked())
        dialog.show_collected(state["summary"], names)

    overwrite.toggled.connect(lambda _on: show())
    show()
    dialog.reread_button.hide()
    window.import_preview = dialog
    dialog.accepted.connect(lambda: window.editor.execute(lambda: apply_collected(window.editor.ws, state["summary"])))
    dialog.open()


def _box(window: Any, icon: QMessageBox.Icon, title: str, text: str) -> None:
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, window)
    window.last_box = box
    box.open()
