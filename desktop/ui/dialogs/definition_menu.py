"""The definition actions of the 编辑 menu: each dialog's OK runs one function of
``desktop.store.definitions`` through the editor, so it is one undo step like a typed value."""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

from desktop.domain.errors import PlanLedgerError

if TYPE_CHECKING:  # the dialogs and desktop.store.definitions load when an action is first used
    from desktop.domain.changes import Change
    from desktop.ui.main_window import MainWindow

    from .indicator import IndicatorDialog
    from .plan import BoxDialog, PlanDialog


class DefinitionActions:
    """Opens the dialogs for the window's current indicator. With ``modal`` False (tests) a
    method returns the dialog shown but not executed; pressing its OK stores."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.modal = True

    @property
    def editor(self):  # noqa: ANN201
        return self.window.editor

    def current_code(self) -> str | None:
        idx = self.window.view.currentIndex()
        return self.window.model.code_at(idx.row()) if idx.isValid() else None

    def _run(self, dlg):  # noqa: ANN001, ANN202
        if self.modal:
            dlg.exec()
        else:
            dlg.show()
        return dlg

    def _need_code(self) -> str | None:
        code = self.current_code()
        if code is None:
            self.editor.report("请先在表格中选中一个指标")
        return code

    # ------------------------------------------------------------------ indicators

    def edit_indicator(self, code: str | None = None) -> IndicatorDialog | None:
        code = code or self._need_code()
        if code is None:
            return None
        from desktop.store import definitions

        from .indicator import IndicatorDialog

        ind = self.window.model.plan.indicator(code)
        dlg = IndicatorDialog(self.window.model.plan, ind, parent=self.window)
        year = self.window.model.columns.year_of(self.window.view.currentIndex().column())

        def apply(fields: dict[str, object]) -> bool:
            done = self.editor.execute(lambda: definitions.update_indicator(self.window.ws, code, **fields),
                                       on_error=dlg.show_error)
            if done is not None:
                self.window.jump_to(code, year)
            return done is not None

        dlg.apply = apply
        return self._run(dlg)

    def add_indicator(self) -> IndicatorDialog:
        from desktop.store import definitions

        from .indicator import IndicatorDialog

        after = self.current_code()
        plan = self.window.model.plan
        box = plan.indicator(after).box if after else (plan.boxes[0].label if plan.boxes else "")
        dlg = IndicatorDialog(plan, None, box=box, parent=self.window)

        def apply(fields: dict[str, object]) -> bool:
            done = self.editor.execute(
                lambda: definitions.add_indicator(self.window.ws, box, after=after, **fields),  # type: ignore[arg-type]
                on_error=dlg.show_error,
            )
            if done is not None:
                added = next((d.new for d in done.definitions if d.entity == "indicator" and d.old is None), None)
                if added is not None:
                    self.window.jump_to(added.code, self.window.model.year)  # type: ignore[attr-defined]
            return done is not None

        dlg.apply = apply
        return self._run(dlg)

    def delete_indicator(self, *, confirm: bool = True) -> bool:
        code = self._need_code()
        if code is None:
            return False
        ind = self.window.model.plan.indicator(code)
        if confirm:
            from PySide6.QtWidgets import QMessageBox

            answer = QMessageBox.question(
                self.window, "删除指标",
                f"删除指标“{ind.name}”及其各年数值？\n（可用“撤销”恢复）",  # type: ignore[union-attr]
            )
            if answer != QMessageBox.StandardButton.Yes:
                return False
        from desktop.store import definitions

        return self.editor.execute(lambda: definitions.delete_indicator(self.window.ws, code)) is not None

    def move(self, up: bool) -> bool:
        code = self._need_code()
        if code is None:
            return False
        year = self.window.model.columns.year_of(self.window.view.currentIndex().column())
        from desktop.store import definitions

        done = self.editor.execute(lambda: definitions.move_indicator(self.window.ws, code, up=up))
        if done is not None:
            self.window.jump_to(code, year)
        return done is not None and not done.is_empty

    # ------------------------------------------------------------------ box and plan

    def edit_box(self) -> BoxDialog | None:
        from desktop.store import definitions

        from .plan import BoxDialog

        plan = self.window.model.plan
        code = self.current_code()
        label = plan.indicator(code).box if code else (plan.boxes[0].label if plan.boxes else None)  # type: ignore[union-attr]
        box = plan.box(label) if label else None
        if box is None:
            self.editor.report("这个规划没有专栏")
            return None
        dlg = BoxDialog(box, parent=self.window)
        dlg.apply = lambda title, lines: self.editor.execute(
            lambda: definitions.update_box(self.window.ws, box.label, title=title, footnotes=lines),
            on_error=dlg.show_error,
        ) is not None
        return self._run(dlg)

    def edit_plan(self) -> PlanDialog:
        from desktop.domain.changes import Change
        from desktop.store import actions, definitions

        from .plan import PlanDialog

        dlg = PlanDialog(self.window.model.plan, parent=self.window)

        def both() -> Change:
            ws = self.window.ws
            header, props = dlg.header_changes(), dlg.property_changes()
            first = definitions.update_plan(ws, **header) if header else Change("修改规划属性")  # type: ignore[arg-type]
            try:
                second = definitions.set_plan_properties(ws, props) if props else Change("修改规划属性")
            except PlanLedgerError:
                if first.definitions:
                    actions.apply_change(ws, first.inverse())
                raise
            return Change("修改规划属性", definitions=first.definitions + second.definitions)

        dlg.apply = lambda _h, _p: self.editor.execute(both, on_error=dlg.show_error) is not None
        return self._run(dlg)


def add_actions(window: MainWindow, menu: QMenu) -> DefinitionActions:
    acts = DefinitionActions(window)
    window.definition_actions = acts  # type: ignore[attr-defined]

    def add(text: str, slot, name: str, key: str | None = None) -> QAction:  # noqa: ANN001
        act = QAction(text, window)
        act.setObjectName(name)
        if key:
            act.setShortcut(QKeySequence(key))
        act.triggered.connect(lambda _c=False: slot())
        menu.addAction(act)
        return act

    window.act_edit_indicator = add("编辑指标…", acts.edit_indicator, "actEditIndicator", "Ctrl+E")  # type: ignore[attr-defined]
    add("添加指标…", acts.add_indicator, "actAddIndicator", "Ctrl+Shift+N")
    add("删除指标", acts.delete_indicator, "actDeleteIndicator")
    add("上移指标", lambda: acts.move(True), "actMoveUp", "Alt+Up")
    add("下移指标", lambda: acts.move(False), "actMoveDown", "Alt+Down")
    menu.addSeparator()
    add("编辑专栏标题和注…", acts.edit_box, "actEditBox")
    add("规划属性…", acts.edit_plan, "actPlanProperties")
    return acts
