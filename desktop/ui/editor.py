"""The editor: turns user gestures into store actions and undo commands.

No arithmetic or validation lives here: values are parsed by ``notation.parse_value``,
stored by ``actions.set_actual`` / ``paste_block`` (which validate and record the old values)
and undone through ``apply_change``. The editor decides only *which* cells a gesture means
(the current cell, the pasted block, the selection) and reports refusals as messages.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from decimal import Decimal
from types import ModuleType
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QObject, Signal
from PySide6.QtGui import QUndoStack

from desktop.domain.errors import NotationError, PlanLedgerError, ValueRefused
from desktop.domain.model import Nature
from desktop.domain.errors import Problem
from desktop.domain.notation import parse_value
from desktop.domain.progress_table import review
from desktop.domain.validation import ValidationMemo
from desktop.store.workspace import Workspace

from .grid_model import GridModel

if TYPE_CHECKING:  # the store's actions and the undo commands load with the first edit
    from desktop.domain.changes import Change

MAX_LISTED = 8


def _actions() -> ModuleType:
    from desktop.store import actions

    return actions


def parse_tsv(text: str) -> list[list[str]]:
    """A block copied from Excel/WPS: rows by line, cells by tab; the final newline and
    surrounding quotes of a cell are dropped."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.endswith("\n"):
        text = text[:-1]
    rows = [line.split("\t") for line in text.split("\n")]
    return [[c[1:-1] if len(c) >= 2 and c[0] == c[-1] == '"' else c for c in row] for row in rows]


def listing(messages: list[str]) -> str:
    shown = messages[:MAX_LISTED]
    more = len(messages) - len(shown)
    return "；".join(shown) + (f"；另有 {more} 处" if more > 0 else "")


class Editor(QObject):
    """One per window. ``message(text, is_error)`` tells the window what to show."""

    message = Signal(str, bool)
    changed = Signal(object)  # the Change just applied (done, undone or redone)

    def __init__(self, ws: Workspace, model: GridModel, stack: QUndoStack) -> None:
        super().__init__()
        self.ws = ws
        self.model = model
        self.stack = stack
        self._problems: list[Problem] | None = None  # 审核, run when first asked for
        self._memo: ValidationMemo = {}  # 审核 re-checks only what an edit touched
        model.commit = self.set_value
        model.refused.connect(lambda text: self.report(text))

    def set_workspace(self, ws: Workspace) -> None:
        self.ws = ws
        self.stack.clear()
        self._memo = {}
        self.refresh_problems()

    @property
    def problems(self) -> list[Problem]:
        """审核 of the workspace for the report year (run now if it has not run yet)."""
        if self._problems is None:
            return self.refresh_problems()
        return self._problems

    @property
    def problems_ready(self) -> bool:
        return self._problems is not None

    def refresh_problems(self) -> list[Problem]:
        """审核 of the whole workspace for the report year (the domain's ``review``)."""
        m = self.model
        self._problems = review(m.plan, m.actuals, m.year, m.table.settings, assessments=m.table.assessments,
                                memo=self._memo)
        return self._problems

    # ------------------------------------------------------------------ plumbing

    def report(self, text: str, error: bool = True) -> None:
        self.message.emit(text, error)

    def execute(self, action: Callable[[], Change], text: str | None = None,
                on_error: Callable[[str], None] | None = None) -> Change | None:
        """Run a store action; push its change as one undo step. None when refused (the
        message goes to ``on_error`` when given — a dialog shows it under its fields)."""
        try:
            change = action()
        except PlanLedgerError as exc:
            problems = getattr(exc, "problems", None) or []
            self.model.mark_bad({(p.code, p.year): p.message for p in problems if p.code and p.year})
            (on_error or self.report)(exc.message)
            return None
        if text:
            change = replace(change, label=text)
        if change.is_empty:
            self.report(change.warnings[0].message if change.warnings else "没有变化", error=False)
            return change
        from .undo import ChangeCommand

        self.stack.push(ChangeCommand(self, change))
        self.after_change(change)
        if change.warnings:
            self.report("已保存，但请注意：" + listing([p.message for p in change.warnings]), error=False)
        else:
            self.report(f"已保存：{change.label}", error=False)
        return change

    def after_change(self, change: Change) -> None:
        """Redraw what the change touched (everything when a definition changed)."""
        if self.model.bad:
            self.model.mark_bad({})
        if change.definition_changed:
            self.ws.invalidate_plan()
            self.model.reload()
        else:
            self.model.refresh({c.code for c in change.cells})
        self.refresh_problems()
        self.changed.emit(change)

    # ------------------------------------------------------------------ values

    def set_value(self, code: str, year: int, value: Decimal | None) -> bool:
        """One typed cell (None clears it)."""
        text = None
        if value is None:
            text = f"清除 {self.model.cell_label(code, year)}"
        return self.execute(lambda: _actions().set_actual(self.ws, code, year, value), text) is not None

    def set_details(self, code: str, year: int, *, nature: Nature, source: str, note: str) -> bool:
        """数据性质, 来源 and 说明 of a stored value (the value itself is kept)."""
        current = self.ws.actual(code, year)
        if current is None:
            self.report(f"{self.model.cell_label(code, year)} 还没有数值，请先填写数值再填写说明")
            return False
        return (
            self.execute(
                lambda: _actions().set_actual(
                    self.ws, code, year, current.value, nature=nature, source=source, note=note
                ),
                f"修改说明 {self.model.cell_label(code, year)}",
            )
            is not None
        )

    def clear_cells(self, indexes: Iterable[QModelIndex]) -> bool:
        """Delete: clear the selected year cells as one undo step (all or nothing)."""
        cells = sorted({c for c in (self.model.cell(i) for i in indexes) if c is not None},
                       key=lambda c: (self.model.row_of_code.get(c[0], 0), c[1]))
        if not cells:
            self.report("请选中要清除的年份单元格")
            return False
        for code, year in cells:
            reason = self.model.refusal(self.model.index_of(code, year))
            if reason:
                self.report(f"清除未执行：{reason}")
                return False
        filled = [(c, y) for c, y in cells if self.model.actual(c, y) is not None]
        if not filled:
            self.report("选中的单元格都是空的", error=False)
            return False
        if len(filled) == 1:
            return self.set_value(*filled[0], None)
        return self.execute(
            lambda: _actions().paste_block(self.ws, [(c, y, None) for c, y in filled]),
            f"清除 {len(filled)} 个单元格",
        ) is not None

    def paste_text(self, text: str, start: QModelIndex, selection: list[QModelIndex] | None = None) -> bool:
        """Ctrl+V: a TSV block into the year cells from ``start``, all or nothing, one step."""
        m = self.model
        block = parse_tsv(text)
        if not text.strip("\r\n") or not block:
            self.report("剪贴板中没有可粘贴的内容")
            return False
        if not start.isValid() or m.columns.year_of(start.column()) is None:
            self.report("请先选中要粘贴到的年份单元格（粘贴从当前单元格开始）")
            return False
        if m.ws.read_only:  # one reason for the whole file, not one per cell
            self.report(f"粘贴未执行：只读：{m.ws.read_only_reason}，不能修改；{m.ws.read_only_advice}")
            return False
        targets: list[tuple[int, int, str]] = []  # grid row, column, text
        if len(block) == 1 and len(block[0]) == 1 and selection and len(selection) > 1:
            targets = [(i.row(), i.column(), block[0][0]) for i in selection if m.cell(i) is not None]
        else:
            height, width = len(block), max(len(r) for r in block)
            r0, c0 = start.row(), start.column()
            if r0 + height > m.rowCount() or c0 + width - 1 > m.columns.last_year_column:
                self.report(
                    f"粘贴未执行：剪贴板中有 {height} 行 × {width} 列，从“{m.headers_at(r0, c0)}”开始"
                    f"超出了表格（年份列到 {m.columns.years[-1]}年，表格共 {m.rowCount()} 行），没有写入任何数值"
                )
                return False
            for i, cells in enumerate(block):
                for j, t in enumerate(cells):
                    targets.append((r0 + i, c0 + j, t))
        wanted: list[tuple[str, int, Decimal | None]] = []
        bad: dict[tuple[str, int], str] = {}
        messages: list[str] = []
        for r, c, t in targets:
            idx = m.index(r, c)
            cell = m.cell(idx)
            if cell is None:
                if t.strip():
                    messages.append(f"第{r + 1}行是分组标题“{m.rows[r].name}”，不能粘贴“{t.strip()}”")
                continue
            code, year = cell
            reason = m.refusal(idx)
            if reason:
                bad[cell] = reason
                messages.append(f"{m.cell_label(code, year)}：{reason}")
                continue
            ind = m.plan.indicator(code)
            try:
                wanted.append((code, year, parse_value(t, ind.unit if ind else "")))
            except NotationError as exc:
                bad[cell] = f"{m.cell_label(code, year)}：{exc.message}"
                messages.append(bad[cell])
        if messages:
            m.mark_bad(bad)
            self.report(f"粘贴未执行：{len(messages)} 个单元格有错误，没有写入任何数值。" + listing(messages))
            return False
        if not wanted:
            self.report("剪贴板中没有可粘贴的数值")
            return False
        return self.execute(lambda: _actions().paste_block(self.ws, wanted), f"粘贴 {len(wanted)} 个单元格") is not None

    # ------------------------------------------------------------------ years

    def lock_year(self, year: int, note: str = "") -> bool:
        """标记为已上报 (not an undo step: 撤回 is its own recorded act)."""
        try:
            _actions().lock_year(self.ws, year, note=note)
        except PlanLedgerError as exc:
            self.report(exc.message)
            return False
        self.model.refresh()
        self.refresh_problems()
        from desktop.domain.changes import Change

        self.changed.emit(Change(f"标记 {year}年 为已上报"))
        self.report(f"{year}年已标记为已上报，该年数值已锁定", error=False)
        return True

    def unlock_year(self, year: int, reason: str) -> bool:
        try:
            _actions().unlock_year(self.ws, year, reason=reason)
        except (PlanLedgerError, ValueRefused) as exc:
            self.report(exc.message)
            return False
        self.model.refresh()
        self.refresh_problems()
        from desktop.domain.changes import Change

        self.changed.emit(Change(f"撤回 {year}年 的上报"))
        self.report(f"已撤回 {year}年 的上报，原因已记入修改记录（“数据 → 修改记录…”）", error=False)
        return True
