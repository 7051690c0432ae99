"""审核 with a memo gives exactly what a full review gives, edit after edit (the editor keeps
the memo; only indicators whose definition or values are new objects are checked again)."""
from __future__ import annotations

import random
from dataclasses import replace
from decimal import Decimal

from desktop.domain.model import Actual, IndicatorCode, Nature
from desktop.domain.progress_table import progress_table, review
from desktop.store.create import demo_actuals, plan_for


def test_memo_review_equals_full_review_over_random_edits() -> None:
    plan, _ = plan_for("sy-zl2", "430522", "新邵县")
    actuals: dict[str, dict[int, Actual]] = {}
    for a in demo_actuals(plan, (2021, 2022, 2023)):
        actuals.setdefault(a.code, {})[a.year] = a
    rng = random.Random(7)
    memo: dict = {}
    table = progress_table(plan, actuals, 2023)
    assert review(plan, actuals, 2023, assessments=table.assessments, memo=memo) == review(plan, actuals, 2023)
    codes = [i.code for i in plan.indicators]
    for _ in range(60):
        code = rng.choice(codes)
        year = rng.choice((2021, 2022, 2023))
        value = Decimal(rng.choice(["-3", "0", "4.8", "101", "55.2"]))
        note = rng.choice(["", "口径调整"])
        per = dict(actuals.get(code, {}))  # an edit replaces that indicator's values, as the grid does
        per[year] = Actual(IndicatorCode(code), year, value, Nature.ANNUAL, note=note)
        actuals = {**actuals, code: per}
        if rng.random() < 0.1:  # now and then a definition change: a new plan object
            plan = replace(plan, indicators=tuple(plan.indicators))
        table = progress_table(plan, actuals, 2023, previous=table, changed={code})
        assert review(plan, actuals, 2023, assessments=table.assessments, memo=memo) == review(plan, actuals, 2023)
        assert table == progress_table(plan, actuals, 2023)
