"""What an edit changed, as data (Anki's OpChanges): old and new values, so undo is exact.

Every user action below the UI returns a ``Change``; the UI redraws only the cells named in
it, and undo applies ``change.inverse()`` through the same store function.
"""
from __future__ import annotations

from dataclasses import dataclass

from .errors import Problem
from .model import Actual, IndicatorCode


@dataclass(frozen=True)
class CellChange:
    """One indicator-year cell: what it held before and after (None = empty)."""

    code: IndicatorCode
    year: int
    old: Actual | None
    new: Actual | None


@dataclass(frozen=True)
class Change:
    """The result of one user action, committed in one transaction."""

    label: str  # Chinese, for the undo menu: "修改 2023年 城镇新增就业人数"
    cells: tuple[CellChange, ...] = ()
    warnings: tuple[Problem, ...] = ()
    definition_changed: bool = False

    def inverse(self) -> "Change":
        """The change that restores every old value (used for undo)."""
        return Change(
            label=f"撤销 {self.label}",
            cells=tuple(CellChange(c.code, c.year, c.new, c.old) for c in reversed(self.cells)),
            definition_changed=self.definition_changed,
        )

    @property
    def is_empty(self) -> bool:
        return not self.cells and not self.definition_changed
