"""Undo commands (Orange canvas style): one small QUndoCommand per edit.

The old values are recorded by the store action, not read back from widgets: the command
holds the ``Change`` the action returned. Its first ``redo`` does nothing (the action already
ran when the user edited); later redos replay the change with ``apply_change`` and every undo
applies ``change.inverse()`` — the same store function the CLI would call.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QUndoCommand

from desktop.domain.changes import Change
from desktop.domain.errors import PlanLedgerError
from desktop.store.actions import apply_change

if TYPE_CHECKING:
    from .editor import Editor


class ChangeCommand(QUndoCommand):
    """An applied ``Change``; its text is the change's Chinese label ("修改 2023年 …")."""

    def __init__(self, editor: Editor, change: Change, text: str | None = None) -> None:
        super().__init__(text or change.label)
        self.editor = editor
        self.change = change
        self._applied = True  # the action ran before the command was pushed

    def redo(self) -> None:
        if self._applied:
            self._applied = False
            return
        self._replay(self.change)

    def undo(self) -> None:
        self._replay(self.change.inverse())

    def _replay(self, change: Change) -> None:
        try:
            done = apply_change(self.editor.ws, change)
        except PlanLedgerError as exc:
            # The stack cannot refuse a step: drop this command and say why (e.g. the year
            # has been locked since the edit, or the file is read-only now).
            self.setObsolete(True)
            self.editor.report(f"无法{'撤销' if change.label.startswith('撤销') else '重做'}“{self.text()}”：{exc.message}")
            return
        self.editor.after_change(done)
