"""The quick ways of ``verify`` give exactly what the long ways give: the canonical-text test,
the validation shortcut (``validate`` over the values it can say something about), the lazily
made ``actuals`` and the importer's ``value_rows``."""
from __future__ import annotations

import random
import sqlite3
from decimal import Decimal as D

from desktop.domain.model import Actual, IndicatorCode, Nature
from desktop.domain.notation import format_decimal
from desktop.domain.validation import validate
from desktop.exchange import verify as v
from desktop.exchange import verify_submission
from desktop.exchange.forge import resign
from desktop.store import repository as repo
from desktop.store.create import plan_for


class _Known:
    """Enough of a KnownSchema for ``_plain_rows``: the ``actual`` columns in our order."""

    columns = {"actual": tuple((c, "TEXT", 0, None, 0) for c in v._ACTUAL_COLUMNS)}


_KNOWN = _Known()


def test_canonical_text_is_exactly_what_format_decimal_writes() -> None:
    rng = random.Random(7)
    texts = ["0", "-0", "1", "-1", "10", "100", "0.5", "-0.5", "0.50", "1.0", "01", "1e5", "1E+2", ".5", "5.",
             "+1", " 1", "1_0", "NaN", "Infinity", "0.000000001", "0.0000000001", "999999999999999999",
             "1000000000000000000", "123456789012345678.123456789", "123456789012345678.1234567891", "-0.0"]
    for _ in range(3000):
        whole = str(rng.randint(0, 10 ** rng.randint(0, 20)))
        frac = "".join(rng.choice("0123456789") for _ in range(rng.randint(0, 11)))
        texts.append(("-" if rng.random() < 0.3 else "") + whole + (("." + frac) if frac or rng.random() < 0.1 else ""))
    accepted = set()
    for t in texts:
        fast = v._CANONICAL_LINES.fullmatch(t) is not None
        assert not (fast and t == "-0")
        if fast:
            accepted.add(t)
            d = repo.text_decimal(t)
            assert d is not None and format_decimal(d) == t, t
            assert abs(d.adjusted()) <= v.MAX_EXPONENT and len(d.as_tuple().digits) <= v.MAX_DIGITS, t
    assert {"0", "-1", "0.5", "-0.5", "0.000000001", "123456789012345678.123456789"} <= accepted
    # a whole file's values in one pass: accepted exactly when each one is
    for _ in range(2000):
        some = rng.sample(texts, rng.randint(1, 6))
        if rng.random() < 0.05:
            some[0] = "1\n2"  # a newline inside a value is not two values
        rows = [("c%03d" % k, 2021, t, "年报", "", "", "", "", "") for k, t in enumerate(some)]
        expected = all(t in accepted for t in some)
        assert (v._plain_rows(_KNOWN, rows) is not None) == expected, some


def test_validation_shortcut_equals_validate() -> None:
    rng = random.Random(11)
    plan, _ = plan_for("sy-zl2", "430522", "新邵县")
    facts = v._PlanFacts(
        plan, "", tuple(validate(plan, {})), {i.code: i for i in plan.indicators},
        frozenset(i.code for i in plan.indicators if v.is_share(i)),
    )
    for _ in range(200):
        rows = []
        for ind in rng.sample(list(plan.indicators), rng.randint(0, len(plan.indicators))):
            for year in sorted(rng.sample(range(plan.start_year, plan.end_year + 1), rng.randint(1, 3))):
                value = rng.choice([None, "0", "5", "-3", "99.5", "100", "100.01", "250", "-0.5", "1"])
                rows.append((ind.code, year, value, rng.choice([n.value for n in Nature]), "", rng.choice(["", "说明"]),
                             rng.choice(["", "达标"]), "", ""))
        rows.sort(key=lambda r: (r[0], r[1]))
        actuals: dict = {}
        for r in rows:
            a = repo._actual(r)
            actuals.setdefault(a.code, {})[a.year] = a
        assert v._problems_fast(plan, facts, rows) == validate(plan, actuals)
    assert v._problems_fast(plan, facts, [("nope", 2021, "1", "年报", "", "", "", "", "")]) is None


def test_lazy_actuals_and_value_rows_match_the_file(exported, tmp_path) -> None:
    path = exported["430522"]
    r = verify_submission(path)
    assert r.ok and r._rows is not None  # the quick way was taken
    rows = r.value_rows()
    conn = sqlite3.connect(path)
    try:
        expected = repo.read_actuals(conn)
    finally:
        conn.close()
    assert r.actuals == expected
    assert rows == [
        (code, year, repo.decimal_text(a.value), a.nature.value, a.status)
        for code, per in sorted(expected.items()) for year, a in sorted(per.items())
    ]
    assert r.as_dict()["values"] == sum(map(len, expected.values()))


def test_odd_value_text_goes_the_long_way_and_agrees(exported, tmp_path) -> None:
    odd = tmp_path / "odd.sqlite"
    # "1.20" is not canonical: read through Decimal, stored as "1.2" by the importer
    resign(exported["430522"], odd, sql="UPDATE actual SET value = '1.20' WHERE code = 'sy-zl2-01' AND year = 2023")
    r = verify_submission(odd)
    assert r.ok, r.reasons
    assert r._rows is None
    assert r.actuals[IndicatorCode("sy-zl2-01")][2023] == Actual(
        IndicatorCode("sy-zl2-01"), 2023, D("1.20"), r.actuals["sy-zl2-01"][2023].nature,
        r.actuals["sy-zl2-01"][2023].source, r.actuals["sy-zl2-01"][2023].note, r.actuals["sy-zl2-01"][2023].status,
        r.actuals["sy-zl2-01"][2023].updated_by, r.actuals["sy-zl2-01"][2023].updated_at,
    )
    assert ("sy-zl2-01", 2023, "1.2") in [row[:3] for row in r.value_rows()]


def test_rows_out_of_order_or_twice_go_the_long_way() -> None:
    from desktop.exchange import hostile
    from desktop.store import schema

    migrations = tuple(schema.migrations())
    known = hostile.known_schemas(migrations)[schema.latest_version(migrations)]
    a = ("a", 2021, "1", "年报", "", "", "", "", "")
    b = ("b", 2021, "2", "年报", "", "", "", "", "")
    assert v._plain_rows(known, [a, b]) == [a, b]
    assert v._plain_rows(known, [b, a]) is None
    assert v._plain_rows(known, [a, a]) is None
    assert v._plain_rows(known, [a, ("b", 2021, "2.50", "年报", "", "", "", "", "")]) is None
    assert v._plain_rows(known, [a, ("b", 2021, "2", "月报", "", "", "", "", "")]) is None


def test_plain_rows_send_odd_files_the_long_way() -> None:
    row = ("a", 2021, "1", "年报", "", "", "", "", "")
    assert v._plain_rows(_KNOWN, [row, ("b", 2021, "2", "年报", "", "", "", "", "")]) is not None
    assert v._plain_rows(_KNOWN, [("b", 2021, "2", "年报", "", "", "", "", ""), row]) is None  # out of order
    assert v._plain_rows(_KNOWN, [row, row]) is None  # twice
    assert v._plain_rows(_KNOWN, [(None, 2021, "1", "年报", "", "", "", "", "")]) is None
    assert v._plain_rows(_KNOWN, [("a", 2021.0, "1", "年报", "", "", "", "", "")]) is None
    assert v._plain_rows(_KNOWN, [("a", 2021, 1, "年报", "", "", "", "", "")]) is None
    assert v._plain_rows(_KNOWN, [("a", 2021, "1", "月报", "", "", "", "", "")]) is None
    assert v._plain_rows(_KNOWN, [("a", 2021, None, "年报", "", "", "", "", "")]) is not None
