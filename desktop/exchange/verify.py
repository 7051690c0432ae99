"""Verify a received submission file: the hostile-file recipe, then the domain, then the fingerprint.

``verify_submission(path)`` never raises for a bad file: it returns a ``VerifyResult`` whose
``reasons`` are Chinese sentences naming the file (and ``codes`` their stable keys). A good
result carries what was read (plan, values, manifest, regional detail), so an import does not
read the file twice.
"""
from __future__ import annotations

import functools
import hashlib
import os
import re
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from pathlib import Path

from desktop.domain.errors import PlanLedgerError, Severity
from desktop.domain.errors import Problem
from desktop.domain.fingerprint import FINGERPRINT_VERSION, fingerprint, fingerprint_of_plain_rows, plan_json
from desktop.domain.model import Actual, Nature, Plan
from desktop.domain.region import parse_region_code
from desktop.domain.validation import check_value, is_share, validate
from desktop.store import repository as repo
from desktop.store import schema

from . import hostile
from .hostile import Refusal
from .manifest import FORMAT, Detail, Manifest, detail_fingerprint, detail_from_rows, manifest_from_row

MAX_EXPONENT = 18
"""Largest decimal exponent accepted in a received value (10^18; a count of people is < 10^10)."""
MAX_DIGITS = 34
_DOMAIN_ERRORS = (ValueError, TypeError, KeyError, AttributeError, RecursionError, InvalidOperation, PlanLedgerError)


@dataclass
class VerifyResult:
    """The verdict on one file. ``ok`` is True when ``reasons`` is empty."""

    path: Path
    reasons: list[str] = field(default_factory=list)
    codes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    manifest: Manifest | None = None
    plan: Plan | None = None
    detail: Detail = Detail((), ())
    schema_version: int | None = None
    migrated_from: int | None = None
    size: int = 0
    _actuals: dict[str, dict[int, Actual]] | None = field(default=None, repr=False)
    _plan_base: Plan | None = field(default=None, repr=False, compare=False)
    """The cached Plan ``plan`` was made from (the same object for every file of that plan in
    this process): lets a worker process send each plan to the importer only once."""
    _rows: list[tuple] | None = field(default=None, repr=False)
    """The ``actual`` rows as read (``repository`` column order), when every value was already
    canonical: ``actuals`` is then made from them only when asked for (an import does not)."""
    _values: list[tuple] | None = field(default=None, repr=False)
    """``value_rows()`` of those rows, made once for the fingerprint."""
    _digest: bytes | None = field(default=None, repr=False)
    """SHA-256 of the file's bytes as verified, when the stored values are exactly the file's
    ``actual`` rows (latest schema, nothing migrated, every row plain): an import then copies
    them in SQL from the same bytes, read again and compared with this (``importer``)."""
    _count: int | None = field(default=None, repr=False)
    """How many values the file holds (kept when ``slim`` drops the rows)."""

    @property
    def ok(self) -> bool:
        return not self.reasons

    @property
    def actuals(self) -> dict[str, dict[int, Actual]]:
        """The file's values as domain records ``{code: {year: Actual}}``."""
        if self._actuals is None:
            if self._rows is None and (self._values is not None or self._count is not None):
                raise RuntimeError("a slim VerifyResult (from a worker process) carries no Actual records")
            made: dict[str, dict[int, Actual]] = {}
            for r in self._rows or ():
                a = repo._actual(r)
                made.setdefault(a.code, {})[a.year] = a
            self._actuals = made
        return self._actuals

    @actuals.setter
    def actuals(self, value: dict[str, dict[int, Actual]]) -> None:
        self._actuals, self._rows, self._values, self._digest, self._count = value, None, None, None, None

    def slim(self) -> VerifyResult:
        """What a worker process sends the importer: with ``_digest`` no rows at all (the import
        copies the values from the file itself), otherwise only the value rows (``_values``)."""
        if self._actuals is None:
            if self._digest is not None:
                self._rows = self._values = None
            elif self._values is not None:
                self._rows = None
        return self

    def value_rows(self) -> list[tuple[str, int, str | None, str, str]]:
        """``(code, year, canonical value text or None, nature, status)`` in (code, year) order."""
        if self._actuals is None:
            if self._values is not None:
                return self._values
            if self._rows is not None:
                return [(r[0], r[1], r[2], r[3], r[6]) for r in self._rows]
        return [
            (code, year, repo.decimal_text(a.value), a.nature.value, a.status)
            for code, per in sorted(self.actuals.items())
            for year, a in sorted(per.items())
        ]

    @property
    def value_count(self) -> int:
        if self._actuals is None:
            if self._values is not None or self._rows is not None:
                return len(self._values if self._values is not None else self._rows)
            if self._count is not None:
                return self._count
        return sum(map(len, self.actuals.values()))

    @property
    def name(self) -> str:
        return self.path.name

    def refuse(self, code: str, reason: str) -> VerifyResult:
        self.codes.append(code)
        self.reasons.append(f"报送文件“{self.name}”：{reason}")
        return self

    def as_dict(self) -> dict[str, object]:
        m = self.manifest
        return {
            "file": str(self.path),
            "ok": self.ok,
            "reasons": list(self.reasons),
            "codes": list(self.codes),
            "warnings": list(self.warnings),
            "region_code": m.region_code if m else None,
            "region_name": m.region_name if m else None,
            "year": m.report_year if m else None,
            "nature": m.nature if m else None,
            "fingerprint": m.fingerprint if m and self.ok else None,
            "schema_version": self.schema_version,
            "migrated_from": self.migrated_from,
            "values": self.value_count if self.ok else None,
        }


def verify_submission(
    path: str | os.PathLike[str],
    *,
    max_bytes: int = hostile.MAX_BYTES,
    deadline: float = hostile.DEADLINE_SECONDS,
    _migrations: Sequence[tuple[str, str]] | None = None,
) -> VerifyResult:
    """Check one received file completely; nothing of the file's own SQL ever runs."""
    result = VerifyResult(Path(path))
    migration_list = tuple(_migrations) if _migrations is not None else _our_migrations()
    try:
        data = hostile.read_bytes(result.path, max_bytes)
        result.size = len(data)
        digest = hashlib.sha256(data).digest()
        conn, version = hostile.open_checked(data, migration_list, deadline=deadline, fields=False)
    except Refusal as r:
        return result.refuse(r.code, r.reason)
    del data
    try:
        latest = schema.latest_version(migration_list)
        if version < latest:
            try:  # on the private in-memory copy only, after its schema was checked exactly
                hostile.allow_writes(conn)
                schema.migrate(conn, list(migration_list))
                conn.execute("PRAGMA query_only = ON")
                conn.set_authorizer(hostile._authorizer)
            except sqlite3.Error as exc:
                return result.refuse("migrate_failed", f"旧版本文件（架构版本 {version}）无法升级：{exc}")
            result.migrated_from = version
            result.warnings.append(f"报送文件“{result.name}”由旧版本程序导出（架构版本 {version}），已按升级后的结构读取")
        result.schema_version = latest
        known = hostile.known_schemas(migration_list)[latest]
        _read_and_check(conn, result, known, hostile.read_tables(conn, known, size=result.size))
    except Refusal as r:
        result.refuse(r.code, r.reason)
    except sqlite3.Error as exc:
        r = hostile.sql_refusal(exc)
        result.refuse(r.code, r.reason)
    finally:
        conn.close()
    if not result.ok:
        result.plan, result.actuals, result.detail = None, {}, Detail((), ())
    elif result._rows is not None and result.migrated_from is None:
        result._digest = digest
    return result


@functools.cache
def _our_migrations() -> tuple[tuple[str, str], ...]:
    """The program's own migrations (``db/``), read once per process, not once per file."""
    return tuple(schema.migrations())


# Thousands of counties send the same template: a file whose definition rows (every column of
# every plan table, in the order ``repository.read_plan`` reads them, without the region) equal
# those of a file already read gets the same Plan — and its canonical JSON, definition problems
# and per-indicator facts — without parsing every target again.
_PLAN_TABLES = ("plan_property", "box", "section", "task_item", "indicator")


@dataclass(frozen=True)
class _PlanFacts:
    plan: Plan
    json: str  # fingerprint.plan_json(plan)
    problems: tuple[Problem, ...]  # validate(plan, {}): the definition's own problems
    by_code: dict  # code → Indicator
    shares: frozenset[str]  # codes of share indicators (validation.is_share)
    memo: dict = field(default_factory=dict, compare=False)  # validation memo over ``plan``


_plans: dict[tuple, _PlanFacts] = {}


def _plan_facts(conn: sqlite3.Connection, known: hostile.KnownSchema, tables: dict[str, list[tuple]]) -> tuple[_PlanFacts, Plan]:
    names = hostile.table_columns(known, "plan")
    i_id, i_code, i_name = names.index("id"), names.index("region_code"), names.index("region_name")
    plan_rows = tables["plan"]
    region = next(((r[i_code], r[i_name]) for r in plan_rows if r[i_id] == 1), None)
    if region is None:
        raise Refusal("bad_plan", "文件中没有规划定义（plan 表为空）")
    key = (
        tuple(tuple(v for k, v in enumerate(r) if k not in (i_code, i_name)) for r in plan_rows),
        *(tuple(tables[t]) for t in _PLAN_TABLES),
    )
    facts = _plans.get(key)
    if facts is None:
        plan = repo.read_plan(conn)
        facts = _PlanFacts(
            plan, plan_json(plan), tuple(validate(plan, {})),
            {i.code: i for i in plan.indicators}, frozenset(i.code for i in plan.indicators if is_share(i)),
        )
        if len(_plans) >= 16:
            _plans.clear()
        _plans[key] = facts
    if (facts.plan.region_code, facts.plan.region_name) == region:
        return facts, facts.plan
    return facts, replace(facts.plan, region_code=region[0], region_name=region[1])


_HUNDRED = Decimal(100)
_CANONICAL_ITEM = r"(?!-0(?![.0-9]))-?(?:0|[1-9][0-9]{0,17})(?:\.[0-9]{0,8}[1-9])?"
"""A value text that is already canonical (``format_decimal(Decimal(t)) == t``; not "-0") and
within the accepted range (at most 18 integer and 9 decimal digits): read without a Decimal."""
_CANONICAL_LINES = re.compile(rf"(?:{_CANONICAL_ITEM}\n)*{_CANONICAL_ITEM}")
"""Every value of a file, joined by newlines, checked in one pass."""
_NATURES = frozenset(n.value for n in Nature)
_ACTUAL_COLUMNS = ("code", "year", "value", "nature", "source", "note", "status", "updated_by", "updated_at")
"""``repository._actual``'s row layout."""


def _plain_rows(known: hostile.KnownSchema, rows: list[tuple]) -> list[tuple] | None:
    """The ``actual`` rows in ``repository``'s layout when every one is plain (str code, int
    year, canonical value text or NULL, a known nature) and they are strictly in (code, year)
    order; None sends the file the long way (``repository.read_actuals``)."""
    names = hostile.table_columns(known, "actual")
    if names != _ACTUAL_COLUMNS:
        idx = [names.index(c) for c in _ACTUAL_COLUMNS]
        rows = [tuple(r[i] for i in idx) for r in rows]
    if not rows:
        return rows
    # column by column, in C: the types, the natures, every value text in one regex pass, the order
    codes, years, values, natures = list(zip(*rows))[:4]
    if set(map(type, codes)) != {str} or set(map(type, years)) != {int} or not _NATURES.issuperset(natures):
        return None
    present = [v for v in values if v is not None]
    if present:
        if set(map(type, present)) != {str}:
            return None
        joined = "\n".join(present)
        if joined.count("\n") != len(present) - 1 or _CANONICAL_LINES.fullmatch(joined) is None:
            return None
    keys = list(zip(codes, years))
    if keys != sorted(keys) or len(set(keys)) != len(keys):
        return None  # out of order or twice (an index that disagrees with its table)
    return rows


def _problems_fast(plan: Plan, facts: _PlanFacts, rows: list[tuple]) -> list[Problem] | None:
    """``validate(plan, actuals)`` for plain rows whose years are inside the plan (None when a
    value belongs to no indicator: the long way reports it).

    For such a row ``check_value`` can only find something for a negative value or a share
    indicator (``is_share``); those get the real ``check_value``. A value it finds nothing for
    adds nothing to ``validate``'s list, so ``validate`` over just the values it found
    something for is the whole list — and with none, the definition's own problems (cached).
    """
    by_code, shares = facts.by_code, facts.shares
    if not by_code.keys() >= {r[0] for r in rows}:
        return None  # a value of an unknown indicator: validate reports it
    # a non-negative value can only draw a share's warning over 100 %, which a 说明 (note, r[5])
    # answers (validate drops warnings of a noted value): only these can say something
    maybe = [r for r in rows if r[2] is not None and (r[2][0] == "-" or (not r[5] and r[0] in shares))]
    found: list[tuple] = []
    for r in maybe:
        value = Decimal(r[2])
        if (value < 0 or value > _HUNDRED) and check_value(plan, by_code[r[0]], r[1], value):
            found.append(r)
    if not found:
        return list(facts.problems)
    # the values that have something to say, through validate itself (order, notes, …); the
    # indicators without any come from the memo (same base plan, same Indicator, no values)
    some: dict[str, dict[int, Actual]] = {}
    for r in found:
        a = repo._actual(r)
        some.setdefault(a.code, {})[a.year] = a
    return validate(facts.plan, some, memo=facts.memo)


def _read_and_check(
    conn: sqlite3.Connection, result: VerifyResult, known: hostile.KnownSchema, tables: dict[str, list[tuple]]
) -> None:
    manifest_rows = tables["submission_manifest"]
    if len(manifest_rows) != 1:
        raise Refusal("not_submission", "不是报送文件（没有报送清单；工作簿文件请用“导出报送文件”导出后再报送）")
    try:
        manifest = manifest_from_row(hostile.table_columns(known, "submission_manifest"), manifest_rows[0])
    except (TypeError, ValueError) as exc:
        raise Refusal("manifest", f"报送清单无法读取（{exc}）") from exc
    result.manifest = manifest
    if manifest.format != FORMAT:
        raise Refusal("manifest", f"报送清单的格式“{manifest.format}”无法识别")
    if manifest.fingerprint_version != FINGERPRINT_VERSION:
        raise Refusal("manifest", f"数据指纹版本 {manifest.fingerprint_version} 不受支持（本程序为 {FINGERPRINT_VERSION}）")
    rows = _plain_rows(known, tables["actual"])
    try:
        facts, plan = _plan_facts(conn, known, tables)
        actuals = None if rows is not None else repo.read_actuals(conn)
    except sqlite3.Error:
        raise
    except _DOMAIN_ERRORS as exc:
        raise Refusal("bad_plan", f"规划定义或数值无法读取（{type(exc).__name__}: {exc}）") from exc
    detail = detail_from_rows(
        hostile.table_columns(known, "submission"), tables["submission"],
        hostile.table_columns(known, "submitted_value"), tables["submitted_value"],
    )

    # the manifest must describe the file's own plan (the plan is under the fingerprint)
    try:
        code = parse_region_code(plan.region_code)
    except PlanLedgerError as exc:
        raise Refusal("manifest", f"规划中的行政区划代码无效（{exc.message}）") from exc
    mismatches = [
        label
        for label, a, b in (
            ("行政区划代码", manifest.region_code, code),
            ("行政区划名称", manifest.region_name, plan.region_name),
            ("规划名称", manifest.plan_title, plan.title),
            ("模板", manifest.template_id, plan.template_id),
            ("指标目录版本", manifest.catalogue_version, plan.catalogue_version),
        )
        if a != b
    ]
    if mismatches:
        raise Refusal("manifest", "报送清单与文件中的规划不一致：" + "、".join(mismatches))
    year = manifest.report_year
    if not plan.start_year <= year <= plan.end_year:
        raise Refusal("manifest", f"报送年份 {year} 不在规划期 {plan.start_year}—{plan.end_year} 年内")
    years = {r[1] for r in rows} if rows is not None else {y for per in actuals.values() for y in per}
    outside = sorted(y for y in years if not plan.start_year <= y <= year)
    if outside:
        raise Refusal("extra_years", f"含有报送范围（{plan.start_year}—{year} 年）以外的数值：{'、'.join(map(str, outside[:5]))} 年")

    try:
        problems = _problems_fast(plan, facts, rows) if rows is not None else None
    except _DOMAIN_ERRORS as exc:
        raise Refusal("bad_plan", f"规划定义或数值无效（{type(exc).__name__}: {exc}）") from exc
    if problems is None:
        if actuals is None:
            actuals = {}
            for r in rows:
                a = repo._actual(r)
                actuals.setdefault(a.code, {})[a.year] = a
            rows = None
        problems = _check_values(plan, actuals)
    errors = [p for p in problems if p.severity is Severity.ERROR]
    if errors:
        listed = "；".join(p.message for p in errors[:5])
        more = f"等 {len(errors)} 处" if len(errors) > 5 else ""
        raise Refusal("invalid_values", f"数值未通过校验：{listed}{more}")
    values = None
    try:
        if rows is not None:  # plain rows: already canonical text, in (code, year) order, inside the years
            values = [(r[0], r[1], r[2], r[3], r[6]) for r in rows]
            recomputed = fingerprint_of_plain_rows(facts.json, plan.region_code, plan.region_name, year, values)
        else:
            recomputed = fingerprint(plan, actuals, year)
    except _DOMAIN_ERRORS as exc:
        raise Refusal("bad_plan", f"规划定义或数值无效（{type(exc).__name__}: {exc}）") from exc
    if recomputed != manifest.fingerprint:
        raise Refusal(
            "fingerprint",
            f"数据指纹不符：文件内容在导出后被改动过（清单记载 {manifest.fingerprint[:16]}…，"
            f"按文件内容计算为 {recomputed[:16]}…）",
        )
    if detail_fingerprint(detail) != manifest.detail_fingerprint:
        raise Refusal("detail_fingerprint", "下级地区明细的指纹不符：明细在导出后被改动过")
    result.warnings.extend(f"报送文件“{result.name}”：{p.message}" for p in problems if p.severity is not Severity.ERROR)
    result.plan, result.detail = plan, detail
    result._plan_base = facts.plan
    if rows is not None:
        result._actuals, result._rows, result._values, result._count = None, rows, values, len(rows)
    else:
        result.actuals = actuals


def _check_values(plan: Plan, actuals: dict[str, dict[int, Actual]]) -> list[Problem]:
    """Range checks and the domain's ``validate`` on every value (the long way)."""
    for per in actuals.values():
        for a in per.values():
            v = a.value
            if v is not None and (not v.is_finite() or abs(v.adjusted()) > MAX_EXPONENT or len(v.as_tuple().digits) > MAX_DIGITS):
                raise Refusal("invalid_values", f"数值“{str(v)[:40]}”（{a.code}，{a.year} 年）不是有限的、可处理范围内的数")
    try:
        return validate(plan, actuals)
    except _DOMAIN_ERRORS as exc:
        raise Refusal("bad_plan", f"规划定义或数值无效（{type(exc).__name__}: {exc}）") from exc
