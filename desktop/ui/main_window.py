"""The editor window: navigator, the indicator grid, the detail panel and the 审核 dock.

Every edit is its own transaction in the file (there is no 保存); undo and redo go through a
QUndoStack of commands wrapping the store's ``Change``s. The window only arranges widgets and
routes gestures to the ``Editor``; every figure comes from the domain's progress table.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6 import QtWidgets  # dialogs: PySide6 makes a class when first looked up, not at start
from PySide6.QtCore import QEvent, QModelIndex, QObject, QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QUndoStack
from PySide6.QtWidgets import QComboBox, QDockWidget, QLabel, QMainWindow, QMenu, QVBoxLayout, QWidget

from desktop import APP_NAME
from desktop.domain.errors import PlanLedgerError
from desktop.store.workspace import Workspace

from .banner import Banner
from .detail_panel import DetailPanel
from .editor import Editor
from .grid_model import GridModel
from .grid_view import GridView
from .navigator import Navigator
from .overview_tab import OverviewTabs
from .recent import RecentFiles
from .review_dock import ReviewTable

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMessageBox

class _AfterFirstPaint(QObject):
    """Calls ``then`` on the event-loop turn after ``widget`` is first painted."""

    def __init__(self, widget: QWidget, then) -> None:  # noqa: ANN001
        super().__init__(widget)
        self.then = then
        widget.installEventFilter(self)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Paint:
            obj.removeEventFilter(self)
            QTimer.singleShot(0, self, self.then)  # (not after the window is gone)
        return False


class MainWindow(QMainWindow):
    """Starts fast: the grid assesses the rows it paints first; the rest of the figures, the
    审核 list and the problem counts follow on the event-loop turn after the first paint
    (``finish_start``), or at once when something asks for them earlier (``review``)."""

    def __init__(self, ws: Workspace, *, year: int | None = None, settings: QSettings | None = None) -> None:
        super().__init__()
        self._started = False
        self.ws = ws
        self.recent = RecentFiles(settings)
        self.last_box: QMessageBox | None = None
        self.model = GridModel(ws, year)
        self.stack = QUndoStack(self)
        self.editor = Editor(ws, self.model, self.stack)
        self.view = GridView(self.model)
        self.view.setObjectName("grid")
        self.view.editor = self.editor

        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(6, 6, 6, 0)
        layout.setSpacing(4)
        self.readonly_banner = Banner("readonly")
        self.readonly_banner.setObjectName("readonlyBanner")
        self.info_banner = Banner("info", closable=True)
        self.info_banner.setObjectName("infoBanner")
        self.message_bar = Banner("error", closable=True)
        self.message_bar.setObjectName("messageBar")
        self.heading = QLabel()
        self.heading.setObjectName("heading")
        self.box_line = QLabel()  # the current row's 专栏 title and 注 lines
        self.box_line.setObjectName("boxLine")
        self.box_line.setWordWrap(True)
        self.box_line.hide()
        self.tabs = OverviewTabs(self, self.view)  # 指标表 · 总览 · 地区对比 (city workspaces)
        for w in (self.readonly_banner, self.info_banner, self.heading, self.box_line, self.message_bar, self.tabs):
            layout.addWidget(w)
        self.setCentralWidget(central)

        self.navigator = Navigator()
        self.detail = DetailPanel(self.editor)
        self._review = ReviewTable()
        self.nav_dock = self._dock("导航", self.navigator, Qt.DockWidgetArea.LeftDockWidgetArea, "navDock")
        self.detail_dock = self._dock("指标详情", self.detail, Qt.DockWidgetArea.BottomDockWidgetArea, "detailDock")
        self.review_dock = self._dock("审核", self._review, Qt.DockWidgetArea.BottomDockWidgetArea, "reviewDock")
        self.tabifyDockWidget(self.detail_dock, self.review_dock)
        self.detail_dock.raise_()
        self.resizeDocks([self.nav_dock], [200], Qt.Orientation.Horizontal)
        self.resizeDocks([self.detail_dock], [300], Qt.Orientation.Vertical)  # room for the chart

        self.summary = QLabel()
        self.statusBar().addPermanentWidget(self.summary)
        self._build_menus()

        self.editor.message.connect(self.show_message)
        self.view.message.connect(self.show_message)
        self.editor.changed.connect(self._changed)
        self.view.definitionRequested.connect(lambda idx: self.edit_indicator())
        self.view.selectionModel().currentChanged.connect(self._current_changed)
        self.model.modelReset.connect(self._model_reset)
        self.navigator.jump.connect(self.jump_to_place)
        self._review.jump.connect(self._review_jump)
        self._show_workspace()
        _AfterFirstPaint(self.view.viewport(), self.finish_start)

    def finish_start(self) -> None:
        """What the first paint did not need: every row's figures, 审核 and its counts."""
        if self._started or self.ws.closed:  # (closed: the window is going away)
            return
        self._started = True
        self.model.complete()
        self._refresh_review()
        self.detail.show_checks()
        from desktop.store import actions  # noqa: F401 - loaded now, so the first keystroke does not wait

        from . import undo  # noqa: F401

    @property
    def review(self) -> ReviewTable:
        """The 审核 list (filled now if the window has not been painted yet)."""
        self.finish_start()
        return self._review

    def _dock(self, title: str, widget: QWidget, area: Qt.DockWidgetArea, name: str) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable | QDockWidget.DockWidgetFeature.DockWidgetClosable
                         | QDockWidget.DockWidgetFeature.DockWidgetFloatable)
        self.addDockWidget(area, dock)
        return dock

    # ------------------------------------------------------------------ menus

    def _action(self, menu: QMenu, text: str, slot, shortcut: QKeySequence | str | None = None,  # noqa: ANN001
                name: str | None = None) -> QAction:
        act = QAction(text, self)
        if shortcut is not None:
            act.setShortcut(QKeySequence(shortcut))
        act.triggered.connect(lambda _checked=False: slot())
        if name:
            act.setObjectName(name)
        menu.addAction(act)
        return act

    def _build_menus(self) -> None:
        bar = self.menuBar()
        files = bar.addMenu("文件(&F)")
        self._action(files, "新建(&N)…", self.new_workspace, QKeySequence.StandardKey.New, "actNew")
        self._action(files, "打开(&O)…", self.open_dialog, QKeySequence.StandardKey.Open, "actOpen")
        self.recent_menu = files.addMenu("最近打开的文件")
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        self._fill_recent()
        files.addSeparator()
        self.save_as_action = self._action(files, "另存为(&A)…", self.save_as_dialog, QKeySequence.StandardKey.SaveAs, "actSaveAs")
        files.addSeparator()
        self._action(files, "退出(&X)", self.close, QKeySequence.StandardKey.Quit)

        edit = bar.addMenu("编辑(&E)")
        self.undo_action = self.stack.createUndoAction(self, "撤销")
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.redo_action = self.stack.createRedoAction(self, "重做")
        self.redo_action.setShortcut(QKeySequence.StandardKey.Redo)
        edit.addAction(self.undo_action)
        edit.addAction(self.redo_action)
        # after the stack moved: the step just undone is now the one to redo, and the reverse
        self.undo_action.triggered.connect(lambda: self.statusBar().showMessage(f"已撤销：{self.stack.redoText()}", 5000))
        self.redo_action.triggered.connect(lambda: self.statusBar().showMessage(f"已重做：{self.stack.undoText()}", 5000))
        edit.addSeparator()
        for text, slot, key in (("复制", self.view.copy_selection, QKeySequence.StandardKey.Copy),
                                ("粘贴", self.view.paste, QKeySequence.StandardKey.Paste),
                                ("清除", self.view.clear_selection, QKeySequence(Qt.Key.Key_Delete))):
            act = self._action(edit, text, slot, key)
            act.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)  # only while the grid has focus
            self.view.addAction(act)
        edit.addSeparator()
        self.definition_menu = edit
        self._build_definition_actions(edit)

        data = bar.addMenu("数据(&D)")
        self._action(data, "标记为已上报…", self.lock_dialog, None, "actLock")
        self._action(data, "撤回上报…", self.unlock_dialog, None, "actUnlock")
        data.addSeparator()
        self._action(data, "审核", self.show_review, "F7", "actReview")
        self._action(data, "评估设置…", self.band_dialog, None, "actBand")
        self._action(data, "修改记录…", self.history_dialog, None, "actHistory")
        from .data_actions import add_intake_actions  # 从 Excel 导入规划表 / 实际值, 科室填报表
        add_intake_actions(self, data)
        from .exchange_actions import add_exchange_actions  # 导出/导入报送文件, 汇总, 比较

        add_exchange_actions(self, data)

        self.report_menu = self.install_report_menu()

        view = bar.addMenu("视图(&V)")
        for dock in (self.nav_dock, self.detail_dock, self.review_dock):
            view.addAction(dock.toggleViewAction())

        tools = self.addToolBar("工具栏")
        tools.setObjectName("toolbar")
        tools.setMovable(False)
        tools.addWidget(QLabel(" 评估年份 "))
        self.year_combo = QComboBox()
        self.year_combo.setObjectName("yearCombo")
        self.year_combo.currentIndexChanged.connect(self._year_chosen)
        tools.addWidget(self.year_combo)
        tools.addSeparator()
        tools.addAction(self.undo_action)
        tools.addAction(self.redo_action)

    def _build_definition_actions(self, menu: QMenu) -> None:
        """编辑指标… and friends (dialogs over ``desktop.store.definitions``)."""
        try:
            from .dialogs import definition_menu
        except ImportError:  # the definition actions are not available in this build
            return
        definition_menu.add_actions(self, menu)

    def edit_indicator(self) -> None:
        action = getattr(self, "act_edit_indicator", None)
        if action is not None:
            action.trigger()

    def install_report_menu(self) -> QMenu | None:
        """报表 menu (``desktop.ui.report_actions`` / ``report_menu``) when that module is present."""
        try:
            from .report_actions import build_report_menu
        except ImportError:
            return None
        try:
            menu = build_report_menu(self)
        except Exception as exc:  # a broken report menu must not keep the editor from starting
            self.statusBar().showMessage(f"报表菜单不可用：{exc}", 10000)
            return None
        if menu is not None:
            self.menuBar().addMenu(menu)
        return menu

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        paths = self.recent.paths()
        for p in paths:
            act = self.recent_menu.addAction(p)
            act.triggered.connect(lambda _c=False, p=p: self.open_file(Path(p)))
        if not paths:
            empty = self.recent_menu.addAction("（无）")
            empty.setEnabled(False)
        else:
            self.recent_menu.addSeparator()
            self.recent_menu.addAction("清除列表").triggered.connect(lambda: self.recent.clear())

    # ------------------------------------------------------------------ workspace

    def _show_workspace(self) -> None:
        """Everything that depends on which file is open."""
        ws, plan = self.ws, self.model.plan
        self.recent.add(ws.path)
        self.setWindowTitle(f"{ws.path.name}{' [只读]' if ws.read_only else ''} — {APP_NAME}")
        if ws.read_only:
            self.readonly_banner.show_text(f"只读：{ws.read_only_reason}。数值不能修改；{ws.read_only_advice}。")
        else:
            self.readonly_banner.hide()
        if ws.migrated_from is not None:
            text = (f"此文件由旧版本的规划指标台账创建，已从架构版本 {ws.migrated_from} 升级到 {ws.schema_version}。"
                    f"升级前的备份保存在：{ws.backup_path}")
            self.info_banner.show_text(text)
            QTimer.singleShot(0, lambda: self.inform("文件已升级", text))
        else:
            self.info_banner.hide()
        self.message_bar.hide()
        self.navigator.set_plan(plan)
        self._fill_years()
        self.tabs.workspace_changed()
        self._refresh_views()
        first = next((r for r in range(self.model.rowCount()) if self.model.code_at(r)), None)
        if first is not None:
            self.view.setCurrentIndex(self.model.index(first, self.model.columns.column_of(self.model.year)))

    def _fill_years(self) -> None:
        plan = self.model.plan
        self.year_combo.blockSignals(True)
        self.year_combo.clear()
        for y in plan.years:
            self.year_combo.addItem(f"{y}年", y)
        if self.model.year in plan.years:
            self.year_combo.setCurrentIndex(list(plan.years).index(self.model.year))
        self.year_combo.blockSignals(False)

    def set_workspace(self, ws: Workspace) -> None:
        """Show another workspace file in this window (the previous one is closed)."""
        old = self.ws
        self.ws = ws
        self.model.set_workspace(ws)
        self.editor.set_workspace(ws)
        if old is not ws:
            old.close()
        self._show_workspace()

    def _refresh_views(self) -> None:
        plan, m = self.model.plan, self.model
        region = f"{plan.region_name}（{plan.region_code}）" if plan.region_code else plan.region_name
        locked = "、".join(f"{y}年" for y in sorted(m.locked))
        self.heading.setText(
            f"<b>{plan.title}</b>　{region}　{plan.start_year}—{plan.end_year}年"
            + (f"　<span style='color:#666'>已上报：{locked}</span>" if locked else "")
        )
        self.detail.refresh()
        if self.detail.code:
            self._show_box(self.detail.code)
        self.tabs.refresh()
        if self._started:
            self._refresh_review()
        else:  # the count follows right after the first paint (finish_start)
            self.summary.setText(f"评估年份 {m.year}　序时进度 {m.table.time_progress_text}　共 {len(plan.indicators)} 个指标")

    def _refresh_review(self) -> None:
        plan, m = self.model.plan, self.model
        problems = self.editor.problems
        self._review.set_problems(plan, problems)
        self.review_dock.setWindowTitle(f"审核（{len(problems)} 个问题）" if problems else "审核（未发现问题）")
        self.summary.setText(
            f"评估年份 {m.year}　序时进度 {m.table.time_progress_text}　共 {len(plan.indicators)} 个指标　审核 {len(problems)} 个问题"
        )

    def _changed(self, change: object) -> None:
        self.finish_start()
        if getattr(change, "definition_changed", False):
            self._fill_years()
        self._refresh_views()

    def _model_reset(self) -> None:
        """Rows came or went (a definition change, undone or redone): keep the selection."""
        self.navigator.set_plan(self.model.plan)
        code = self.detail.code
        if code and code in self.model.row_of_code:
            self.view.setCurrentIndex(self.model.index_of(code, self.detail.year))
        else:
            self.detail.show_indicator(None)

    def _year_chosen(self, _i: int) -> None:
        year = self.year_combo.currentData()
        if year is None or year == self.model.year:
            return
        self.model.set_year(int(year))
        self.editor.refresh_problems()
        self.view.horizontalHeader().viewport().update()
        self._refresh_views()

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            return
        code = self.model.code_at(current.row())
        year = self.model.columns.year_of(current.column())
        if code:
            self.detail.show_indicator(code, year)
            self._show_box(code)

    def _show_box(self, code: str) -> None:
        """The 专栏 of the current row, its title and 注 lines, under the heading (as printed)."""
        plan = self.model.plan
        ind = plan.indicator(code)
        box = plan.box(ind.box) if ind is not None else None
        if box is None:
            self.box_line.hide()
            return
        from html import escape

        notes = "　".join(escape(n) for n in box.footnotes)
        self.box_line.setText(f"<b>{escape(box.label)}</b>　{escape(box.title)}"
                              + (f"<br><span style='color:#555'>{notes}</span>" if notes else ""))
        self.box_line.setToolTip("专栏标题和注在“编辑 → 编辑专栏标题和注…”中修改")
        self.box_line.show()

    @property
    def year(self) -> int:
        """The report year (评估年份) the figures are computed for."""
        return self.model.year

    def current_code(self) -> str | None:
        idx = self.view.currentIndex()
        return self.model.code_at(idx.row()) if idx.isValid() else None

    def current_box(self) -> str | None:
        """The 专栏 of the selected indicator (the 报表 menu prints that one)."""
        code = self.current_code()
        ind = self.model.plan.indicator(code) if code else None
        return ind.box if ind else None

    # ------------------------------------------------------------------ navigation

    def jump_to(self, code: str, year: int | None = None) -> None:
        self.view.select_cell(self.model.index_of(code, year))

    def _review_jump(self, code: str, year: int) -> None:
        """审核 double-click: to the cell; a problem a 说明 answers brings the 说明 editor forward."""
        self.jump_to(code, year or None)
        wanted = self._review.last_jump
        if wanted is not None and wanted.field == "note" and self.detail.note.isEnabled():
            self.detail_dock.raise_()
            self.detail.note.setFocus()

    def jump_to_place(self, box: str, section: str) -> None:
        m = self.model
        inds = [i for i in m.plan.indicators if (not box or i.box == box) and (not section or i.section == section)]
        if not inds or inds[0].code not in m.row_of_code:
            return
        row = m.row_of_code[inds[0].code]
        heading = row - 1 if row > 0 and m.is_section(row - 1) else row
        self.view.scrollTo(m.index(heading, 0), GridView.ScrollHint.PositionAtTop)
        self.view.select_cell(m.index(row, m.columns.column_of(m.year)))
        self.view.scrollTo(m.index(heading, 0), GridView.ScrollHint.PositionAtTop)

    def show_review(self) -> None:
        self.review_dock.show()
        self.review_dock.raise_()
        self.review.setFocus()  # (filled first if asked for before the first paint)

    # ------------------------------------------------------------------ messages

    def show_message(self, text: str, error: bool = False) -> None:
        short = text if len(text) <= 60 else text[:58] + "…"
        self.statusBar().showMessage(short, 20000 if error else 6000)
        self.statusBar().setToolTip(text)
        if error:
            self.message_bar.show_text(text)
        else:
            self.message_bar.hide()

    def _box(self, icon: QMessageBox.Icon, title: str, text: str) -> QMessageBox:
        """A window-modal message that does not block the caller (tests and the event loop)."""
        box = QtWidgets.QMessageBox(icon, title, text, QtWidgets.QMessageBox.StandardButton.Ok, self)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.last_box = box
        box.open()
        return box

    def inform(self, title: str, text: str) -> QMessageBox:
        return self._box(QtWidgets.QMessageBox.Icon.Information, title, text)

    def refuse(self, title: str, text: str) -> QMessageBox:
        return self._box(QtWidgets.QMessageBox.Icon.Critical, title, text)

    # ------------------------------------------------------------------ files

    def new_workspace(self) -> Workspace | None:
        from .files import NewWorkspaceDialog

        dlg = NewWorkspaceDialog(self, folder=self.ws.path.parent)
        if dlg.exec() != QtWidgets.QDialog.DialogCode.Accepted or dlg.workspace is None:
            return None
        self.set_workspace(dlg.workspace)
        self.show_message(f"已新建“{dlg.workspace.path.name}”", False)
        return dlg.workspace

    def open_dialog(self) -> None:
        from .files import ask_open_path

        path = ask_open_path(self)
        if path is not None:
            self.open_file(path)

    def open_file(self, path: Path) -> bool:
        """打开: refused files (newer schema, not ours, damaged) get a message quoting why."""
        path = Path(path)
        if path.resolve() == self.ws.path.resolve():
            self.show_message(f"“{path.name}”已经打开", False)
            return True
        try:
            ws = Workspace.open(path)
        except PlanLedgerError as exc:
            if not path.exists():
                self.recent.remove(str(path.resolve()))
            self.refuse("无法打开文件", exc.message)
            return False
        self.set_workspace(ws)
        self.show_message(f"已打开“{path.name}”" + ("（只读）" if ws.read_only else ""), False)
        return True

    def save_as_dialog(self) -> None:
        from .files import ask_save_path

        path = ask_save_path(self, self.ws.path.with_name(f"{self.ws.path.stem}-副本{self.ws.path.suffix}"))
        if path is not None:
            self.save_as(path)

    def save_as(self, path: Path) -> bool:
        """另存为: copy the file (works read-only too) and continue in the copy."""
        from .files import save_copy

        try:
            save_copy(self.ws, Path(path))
            ws = Workspace.open(path)
        except PlanLedgerError as exc:
            self.refuse("另存为失败", exc.message)
            return False
        self.set_workspace(ws)
        self.show_message(f"已另存为“{Path(path).name}”，现在编辑的是这份副本", False)
        return True

    # ------------------------------------------------------------------ years

    def band_dialog(self, points: float | None = None) -> bool:
        """评估设置: the ± band of 基本符合 (percentage points), kept in the file and audited."""
        from PySide6.QtWidgets import QInputDialog

        from desktop.domain.errors import PlanLedgerError
        from desktop.store.actions import set_band

        current = float(self.model.settings.band * 100)
        if points is None:
            points, ok = QInputDialog.getDouble(
                self, "评估设置", "基本符合的幅度（序时进度 ± 百分点，默认 5）：\n"
                "完成进度在此范围内为“基本符合”，高出为“快于序时”，低于为“滞后”。", current, 0.5, 20, 1)
            if not ok or points == current:
                return False
        try:
            value = set_band(self.ws, str(points))
        except PlanLedgerError as exc:
            self.show_message(exc.message, True)
            return False
        self.model.reload()
        self.editor.refresh_problems()
        self._refresh_views()
        self.show_message(f"已保存：基本符合的幅度为序时进度 ±{format(value.normalize(), 'f')} 个百分点", False)
        return True

    def history_dialog(self) -> QtWidgets.QDialog:
        """Every audit row of the workbook (上报, 撤回 and its reason, plan edits…), newest first."""
        from .dialogs.history import HistoryDialog

        dialog = HistoryDialog(self.ws, self)
        self.last_history = dialog
        dialog.open()
        return dialog

    def lock_dialog(self) -> None:
        from .dialogs.years import LockDialog

        m = self.model
        dlg = LockDialog(list(m.plan.years), m.locked, m.year, self)
        if dlg.exec() == QtWidgets.QDialog.DialogCode.Accepted:
            self.editor.lock_year(*dlg.chosen())

    def unlock_dialog(self) -> None:
        from .dialogs.years import UnlockDialog

        locked = sorted(self.model.locked)
        if not locked:
            self.show_message("没有已上报的年份", False)
            return
        dlg = UnlockDialog(locked, self)
        if dlg.exec() == QtWidgets.QDialog.DialogCode.Accepted:
            self.editor.unlock_year(*dlg.chosen())

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        # Every edit is already in the file; commit an open cell editor before closing.
        if self.view.state() == GridView.State.EditingState:
            self.view.setFocus()
        super().closeEvent(event)
