"""``fingerprint`` writes the canonical bytes piece by piece: it must equal the SHA-256 of
``canonical_bytes(canonical_document(…))`` for any plan and values (odd text included)."""
from __future__ import annotations

import hashlib
import random
from dataclasses import replace
from decimal import Decimal as D

from desktop.domain.fingerprint import canonical_bytes, canonical_document, fingerprint
from desktop.domain.model import Actual, IndicatorCode, Nature
from desktop.store.create import demo_actuals, plan_for

ODD = ["", "引号\"与反斜杠\\", "换行\n制表\t", "\x00\x1f控制", "😀 emoji", "\u2028\u2029", "'单引号'", "</script>"]


def _slow(plan, acts, year) -> str:
    return hashlib.sha256(canonical_bytes(canonical_document(plan, acts, year))).hexdigest()


def test_fast_equals_document_for_real_templates() -> None:
    for template in ("sy-zl2", "sy-zl3"):
        try:
            plan, _ = plan_for(template, "430522", "新邵县")
        except Exception:  # a template id that does not exist here
            continue
        acts: dict = {}
        for a in demo_actuals(plan, (2021, 2022, 2023, 2024)):
            acts.setdefault(a.code, {})[a.year] = a
        for year in (2021, 2023, 2025):
            assert fingerprint(plan, acts, year) == _slow(plan, acts, year)


def test_fast_equals_document_for_odd_text_and_values() -> None:
    rng = random.Random(5)
    plan, _ = plan_for("sy-zl2", "430522", "新邵县")
    for n in range(30):
        inds = tuple(
            replace(i, name=i.name + rng.choice(ODD), unit=rng.choice([i.unit, *ODD]), seq=rng.choice([i.seq, "", "（一）"]))
            for i in plan.indicators
        )
        odd_plan = replace(plan, indicators=inds, region_name=rng.choice(ODD) + "县", title=plan.title + rng.choice(ODD))
        acts: dict = {}
        for i in inds[: rng.randint(0, len(inds))]:
            for year in rng.sample(range(2019, 2027), rng.randint(0, 5)):
                value = rng.choice([None, D(rng.randint(-10**6, 10**6)) / D(10) ** rng.randint(0, 12), D("1E+5"), D("-0"), D("23.50")])
                acts.setdefault(i.code, {})[year] = Actual(
                    IndicatorCode(i.code), year, value, rng.choice(list(Nature)), status=rng.choice(ODD)
                )
        year = rng.choice([2021, 2023, 2025])
        assert fingerprint(odd_plan, acts, year) == _slow(odd_plan, acts, year)


def test_plain_rows_take_the_short_way_and_odd_ones_do_not() -> None:
    from desktop.domain.fingerprint import _plain_values, value_json

    plain = [("sy-zl2-01", 2021, "4.8", "年报", ""), ("sy-zl2-01", 2022, None, "快报", "达标"), ("x", 2023, "-0.5", "预计", "")]
    assert _plain_values(plain) == ",".join(value_json(*r) for r in plain)
    for odd in ('a"b', "a\\b", "a\nb", "\x00"):
        assert _plain_values([*plain, ("y", 2021, "1", "年报", odd)]) is None
        assert _plain_values([*plain, (odd, 2021, "1", "年报", "")]) is None
    assert _plain_values([("y", True, "1", "年报", "")]) is None  # a bool is not an int year
    assert _plain_values([("y", 2021, 1.5, "年报", "")]) is None
