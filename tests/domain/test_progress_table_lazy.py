"""The lazy progress table (the window's first paint) gives exactly the eager table's figures:
a row read early is the row the full table has, and only the rows read are assessed."""
from __future__ import annotations

from desktop.domain.model import Actual
from desktop.domain.progress_table import LazyRows, complete, progress_table, review
from desktop.store.create import demo_actuals, plan_for


def _county() -> tuple:
    plan, _ = plan_for("sy-zl2", "430522", "新邵县")
    actuals: dict[str, dict[int, Actual]] = {}
    for a in demo_actuals(plan, (2021, 2022, 2023)):
        actuals.setdefault(a.code, {})[a.year] = a
    return plan, actuals


def test_lazy_rows_equal_the_eager_rows() -> None:
    plan, actuals = _county()
    eager = progress_table(plan, actuals, 2023)
    lazy = progress_table(plan, actuals, 2023, lazy=True)
    assert isinstance(lazy.rows, LazyRows) and len(lazy.rows) == len(eager.rows)
    assert [lazy.rows.kind_of(n) for n in range(len(eager.rows))] == [r.kind for r in eager.rows]
    assert [lazy.rows.code_of(n) for n in range(len(eager.rows))] == [r.code for r in eager.rows]
    assert lazy.rows[3] == eager.rows[3] and lazy.rows[-1] == eager.rows[-1]
    full = complete(lazy)
    assert full.rows == eager.rows and isinstance(full.rows, tuple)
    assert full.assessments == eager.assessments and full.time_progress == eager.time_progress
    assert full.rows[3] is lazy.rows[3]  # what was shown stays the same object
    assert review(plan, actuals, 2023, assessments=lazy.assessments) == review(plan, actuals, 2023)


def test_only_the_rows_read_are_assessed() -> None:
    plan, actuals = _county()
    lazy = progress_table(plan, actuals, 2023, lazy=True)
    first = next(n for n in range(len(lazy.rows)) if lazy.rows.code_of(n))
    row = lazy.rows[first]
    assert row.status and row.assessment is lazy.assessments[row.code]
    assert len(lazy.assessments._done) == 1  # type: ignore[attr-defined]
