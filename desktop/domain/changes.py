"""What an edit changed, as data (Anki's OpChanges): old and new values, so undo is exact.

Every user action below the UI returns a ``Change``; the UI redraws only the cells named in
it, and undo applies ``change.inverse()`` through the same store function. A change of the
plan definition (an indicator, a box, the plan's header, a cover property, the order of rows)
travels as ``DefinitionChange`` records in ``Change.definitions`` beside the value cells.
"""
from __future__ import annotations

from dataclasses import dataclass, fields

from .errors import Problem
from .model import Actual, IndicatorCode, Plan

DEFINITION_ENTITIES = ("plan", "catalogue", "property", "box", "indicator", "order")
"""What a ``DefinitionChange`` may be about (see its docstring for key and values)."""


@dataclass(frozen=True)
class CellChange:
    """One indicator-year cell: what it held before and after (None = empty)."""

    code: IndicatorCode
    year: int
    old: Actual | None
    new: Actual | None


@dataclass(frozen=True)
class PlanHeader:
    """The plan's own fields that a user edits in the plan-properties dialog."""

    title: str
    region_code: str
    region_name: str
    start_year: int
    end_year: int
    base_year: int
    wenhao: str = ""
    issuer: str = ""

    @classmethod
    def of(cls, plan: Plan) -> PlanHeader:
        return cls(**{f.name: getattr(plan, f.name) for f in fields(cls)})


@dataclass(frozen=True)
class DefinitionChange:
    """One record of the plan definition before and after an edit.

    ========== ============ ===================================================================
    entity     key          old / new
    ========== ============ ===================================================================
    plan       ""           ``PlanHeader``
    catalogue  ""           the catalogue version (str); it changes whenever indicators change
    property   "负责人" …    the property's value (str), None = absent
    box        box label    ``Box`` (the label never changes)
    indicator  code         ``Indicator``, None = absent (added / deleted)
    order      box label    tuple of the box's indicator codes in printed order
    ========== ============ ===================================================================

    ``position`` (indicator, property only) is the 0-based index in ``Plan.indicators`` /
    ``Plan.properties`` where the record sits: where an added one goes, where a deleted one
    was. It is the same on both sides; an update never moves a row (a move is an "order").
    """

    entity: str
    key: str
    old: object | None
    new: object | None
    position: int | None = None

    def __post_init__(self) -> None:
        if self.entity not in DEFINITION_ENTITIES:
            raise ValueError(f"unknown definition entity {self.entity!r}")

    def inverse(self) -> DefinitionChange:
        return DefinitionChange(self.entity, self.key, self.new, self.old, self.position)


@dataclass(frozen=True)
class Change:
    """The result of one user action, committed in one transaction.

    ``definition_changed`` is True whenever ``definitions`` is not empty (a screen then
    re-reads the plan); ``lock_changed`` says a year was locked or unlocked (上报 / 撤回).
    """

    label: str  # Chinese, for the undo menu: "修改 2023年 城镇新增就业人数"
    cells: tuple[CellChange, ...] = ()
    warnings: tuple[Problem, ...] = ()
    definition_changed: bool = False
    definitions: tuple[DefinitionChange, ...] = ()
    lock_changed: bool = False

    def __post_init__(self) -> None:
        if self.definitions and not self.definition_changed:
            object.__setattr__(self, "definition_changed", True)

    def inverse(self) -> Change:
        """The change that restores every old value and definition (used for undo).

        A lock is not part of the inverse: 上报 and 撤回 are undone by the other action.
        """
        return Change(
            label=f"撤销 {self.label}",
            cells=tuple(CellChange(c.code, c.year, c.new, c.old) for c in reversed(self.cells)),
            definition_changed=self.definition_changed,
            definitions=tuple(d.inverse() for d in reversed(self.definitions)),
        )

    @property
    def is_empty(self) -> bool:
        return not self.cells and not self.definitions and not self.definition_changed and not self.lock_changed
