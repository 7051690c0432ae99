"""Consolidation of a city's (or province's) received submissions for one report year.

For report year Y the latest version of each region's submission **for Y** is used (it carries
that region's values of every plan year up to Y); earlier versions and earlier report years
stay stored but do not count. Rules: see ``combine``. The city's progress is
``assess_plan(city plan, consolidated values, Y)`` — the same progress module as a county.

未报送 (missing regions): every region known to the workspace (the ``region`` table: regions
registered by ``register_regions`` and every region that ever submitted) that is valid in Y,
lies under the workspace's region and has no submission for Y.
"""
from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from desktop.domain.model import Actual, Nature, Plan, Rule, RULE_LABELS
from desktop.domain.progress import Assessment, Settings, assess_plan, fraction, number_text
from desktop.domain.region import is_under, parent_code
from desktop.store import repository as repo
from desktop.store.workspace import BUSY_TIMEOUT_MS, Workspace, now_text, sqlite_uri

from .combine import Cells, ConsolidatedValues, RegionValue, RegionValues, apply_rules

NOT_SUMMABLE_STATUS = "不可汇总"
_NATURES = {n.value: n for n in Nature}
text_decimal = repo.text_decimal


@dataclass(frozen=True)
class IndicatorConsolidation:
    code: str
    name: str
    unit: str
    rule: Rule
    values: dict[int, Decimal]
    value: Decimal | None
    regions: list[RegionValue]
    assessment: Assessment | None
    status: str
    completion: Decimal | None

    def as_dict(self, year: int) -> dict[str, object]:
        return {
            "code": self.code, "name": self.name, "unit": self.unit,
            "rule": self.rule.value, "rule_label": RULE_LABELS[self.rule],
            "values": {str(y): _num(v) for y, v in sorted(self.values.items())},
            "value": _num(self.value),
            "regions": [
                {"code": r.code, "name": r.name, "value": _num(r.value),
                 "nature": r.nature.value if r.nature else None, "status": r.status or None}
                for r in self.regions
            ],
            "status": self.status,
            "completion": fraction(self.completion),
            "current": _num(self.assessment.current) if self.assessment else None,
            "basis": self.assessment.basis if self.assessment else None,
        }


@dataclass
class Consolidation:
    year: int
    plan: Plan
    values: ConsolidatedValues
    indicators: list[IndicatorConsolidation]
    submissions: list[RegionValues]
    missing_regions: list[tuple[str, str]]
    warnings: list[str] = field(default_factory=list)

    def actuals(self) -> dict[str, dict[int, Actual]]:
        return self.values.actuals()

    def as_dict(self) -> dict[str, object]:
        return {
            "year": self.year,
            "region_code": self.plan.region_code,
            "region_name": self.plan.region_name,
            "submitted_regions": [
                {"code": s.code, "name": s.name, "version": s.version, "fingerprint": s.fingerprint}
                for s in self.submissions
            ],
            "indicators": [i.as_dict(self.year) for i in self.indicators],
            "missing_regions": [{"code": c, "name": n} for c, n in self.missing_regions],
            "warnings": list(self.warnings),
        }


def _num(d: Decimal | None) -> float | int | None:
    if d is None:
        return None
    text = number_text(d)
    return int(text) if text.lstrip("-").isdigit() else float(text)


_LATEST = (
    "SELECT s.id, s.region_code, s.region_name, s.version, s.fingerprint FROM submission AS s"
    " WHERE s.year = :year AND s.status = 'accepted' AND s.version = (SELECT max(t.version) FROM submission AS t"
    " WHERE t.region_code = s.region_code AND t.year = s.year AND t.status = 'accepted')"
)
"""The latest accepted version of each region's submission for ``:year``."""
_LATEST_VALUES = f"FROM ({_LATEST}) AS l CROSS JOIN submitted_value AS v ON v.submission = l.id"
"""The latest submissions (``l``) with their stored values (``v``). CROSS JOIN keeps ``l`` as the
outer loop (one index search per submission); with a plain JOIN SQLite scanned every stored value
and ran the latest-version subquery once per value: 2× slower over 2,851 submissions, and more
so as resubmissions accumulate."""


def latest_submissions(ws: Workspace, year: int) -> list[RegionValues]:
    """The latest version of each region's submission for ``year``, values in the catalogue only."""
    conn = ws.connection
    subs = conn.execute(_LATEST + " ORDER BY s.region_code", {"year": year}).fetchall()
    ids = {sid: i for i, (sid, *_) in enumerate(subs)}
    per: list[dict[str, dict[int, tuple[Decimal | None, Nature, str]]]] = [{} for _ in subs]
    for sid, code, y, value, nature, status in conn.execute(
        f"SELECT v.submission, v.code, v.year, v.value, v.nature, v.status {_LATEST_VALUES} WHERE v.in_catalogue = 1",
        {"year": year},
    ):
        per[ids[sid]].setdefault(code, {})[y] = (text_decimal(value), _NATURES.get(nature, Nature.ANNUAL), status)
    return [RegionValues(code, name, per[i], version, fp) for i, (_, code, name, version, fp) in enumerate(subs)]


_GROUPED = (
    f"SELECT v.code, v.year, group_concat(v.value, ','), count(v.value), group_concat(DISTINCT v.nature)"
    f" {_LATEST_VALUES} WHERE v.in_catalogue = 1 AND v.year BETWEEN :first AND :last GROUP BY v.code, v.year"
)
"""The cells of the years before the report year (``:last`` = Y − 1); the report year's come
from the per-region detail, which is read anyway (one sixth less to sort, no value parsed twice)."""
OVERLAP_MIN = 200
"""From this many regions the GROUP BY (SQLite sorting the stored values of the earlier years:
most of a large consolidation) runs on a second read-only connection in a thread, overlapping
the read of the per-region detail here — ``sqlite3`` lets go of the GIL while SQLite works.
The workspace's file lock keeps other writers out, and consolidation writes nothing, so both
read the same data."""


def _grouped_in_thread(ws: Workspace, params: dict) -> Callable[[], list[tuple]]:
    """Start the GROUP BY on its own connection; the returned function waits for its rows (or
    runs it on ``ws``'s connection if the second one could not be opened or failed)."""
    box: dict[str, list[tuple]] = {}

    def run() -> None:
        try:
            conn = sqlite3.connect(sqlite_uri(ws.path) + "?mode=ro", uri=True, isolation_level=None,
                                   timeout=BUSY_TIMEOUT_MS / 1000)
            try:
                conn.execute("PRAGMA trusted_schema = OFF")
                box["rows"] = conn.execute(_GROUPED, params).fetchall()
            finally:
                conn.close()
        except sqlite3.Error:
            pass  # done the plain way below

    thread = threading.Thread(target=run, name="consolidate-group", daemon=True)
    thread.start()

    def rows() -> list[tuple]:
        thread.join()
        return box["rows"] if "rows" in box else ws.connection.execute(_GROUPED, params).fetchall()

    return rows


def _combine_in_sql(ws: Workspace, plan: Plan, year: int) -> tuple[list[RegionValues], ConsolidatedValues, dict, list[str]]:
    """``combine`` for a workspace: the cells are grouped by SQL (one row per indicator and year,
    the values as exact decimal strings), the rules are the same ``apply_rules``. The per-region
    detail is kept for the report year."""
    conn = ws.connection
    params = {"year": year, "first": plan.start_year, "last": year - 1}
    subs = conn.execute(_LATEST + " ORDER BY s.region_code", params).fetchall()
    regions = [RegionValues(code, name, {}, version, fp) for _, code, name, version, fp in subs]
    grouped: Callable[[], list[tuple]]
    if year <= plan.start_year:
        grouped = list  # no earlier plan year
    elif len(subs) >= OVERLAP_MIN:
        grouped = _grouped_in_thread(ws, params)
    else:
        grouped = lambda: conn.execute(_GROUPED, params).fetchall()  # noqa: E731
    out = ConsolidatedValues()
    for rcode, rname, code, value, nature, status in conn.execute(
        f"SELECT l.region_code, l.region_name, v.code, v.value, v.nature, v.status {_LATEST_VALUES}"
        " WHERE v.in_catalogue = 1 AND v.year = :year"
        " ORDER BY l.region_code",
        params,
    ):
        out.regions.setdefault(code, {}).setdefault(year, []).append(
            RegionValue(rcode, rname, text_decimal(value), _NATURES.get(nature, Nature.ANNUAL), status)
        )

    def missing_of(code: str, y: int) -> list[str]:
        return [name for (name,) in conn.execute(
            f"SELECT l.region_name FROM ({_LATEST}) AS l WHERE NOT EXISTS (SELECT 1 FROM submitted_value AS v"
            " WHERE v.submission = l.id AND v.code = :code AND v.year = :y AND v.value IS NOT NULL"
            " AND v.in_catalogue = 1) ORDER BY l.region_code", {**params, "code": code, "y": y})]

    def missing(code: str, y: int, count: int) -> Callable[[], list[str]]:
        return (lambda: []) if count == len(regions) else (lambda: missing_of(code, y))

    cells: dict[tuple[str, int], Cells] = {}
    for code, per in out.regions.items():  # the report year, as the GROUP BY would have given it
        numbers = [r.value for r in per[year] if r.value is not None]
        cells[(code, year)] = Cells(numbers, {r.nature for r in per[year]}, missing(code, year, len(numbers)))
    for code, y, joined, count, natures in grouped():
        numbers = [Decimal(t) for t in joined.split(",")] if joined else []
        found = {_NATURES.get(n, Nature.ANNUAL) for n in (natures or "").split(",") if n}
        cells[(code, y)] = Cells(numbers, found, missing(code, y, count))
    rules, warnings = apply_rules(plan, cells, year, out)
    return regions, out, rules, warnings


def covered_regions(ws: Workspace, year: int) -> dict[str, tuple[str, str, str]]:
    """Regions with a submission for ``year`` that lie under another region with one (a county
    file imported by the province beside its city's): ``{code: (name, enclosing code, enclosing
    name)}``. Both are summed — whether the city's figures include the county is not known here
    (its detail is not stored) — and the consolidation warns."""
    rows = ws.connection.execute(
        "SELECT DISTINCT region_code, region_name FROM submission WHERE year = ? AND status = 'accepted'"
        " ORDER BY region_code", (year,)).fetchall()
    names = dict(rows)
    out: dict[str, tuple[str, str, str]] = {}
    for code, name in rows:
        outer = parent_code(code)
        while outer is not None and outer not in names:
            outer = parent_code(outer)
        if outer is not None:
            out[code] = (name, outer, names[outer])
    return out


def missing_regions(ws: Workspace, year: int, submitted: set[str]) -> list[tuple[str, str]]:
    own = ws.plan().region_code
    found: dict[str, str] = {}
    for code, name, valid_from, valid_to in ws.connection.execute(
        "SELECT code, name, valid_from, valid_to FROM region ORDER BY code, id"
    ):
        if valid_from is not None and year < valid_from or valid_to is not None and year > valid_to:
            continue
        if code in submitted or not is_under(code, own):
            continue
        found.setdefault(code, name)
    return sorted(found.items())


def consolidate(ws: Workspace, year: int, settings: Settings | None = None) -> Consolidation:
    """Consolidate the latest submissions for ``year`` (see the module doc)."""
    plan = ws.plan()
    if not plan.start_year <= year <= plan.end_year:
        from desktop.domain.errors import ValueRefused

        raise ValueRefused(f"汇总年份 {year} 不在规划期 {plan.start_year}—{plan.end_year} 年内")
    if settings is None:
        settings = ws.progress_settings()
    regions, values, rules, warnings = _combine_in_sql(ws, plan, year)
    warnings[:0] = [f"{name}（{code}）与上级{outer_name}（{outer}）都有报送，两份都计入了汇总；若{outer_name}的汇总已含"
                    f"{name}，数值会重复计算，请核对"
                    for code, (name, outer, outer_name) in sorted(covered_regions(ws, year).items())]
    assessments = assess_plan(plan, values.actuals(), year, settings) if year > plan.base_year else {}
    rows: list[IndicatorConsolidation] = []
    for ind in plan.indicators:
        rule = rules[ind.code]
        per_year = dict(sorted(values.values.get(ind.code, {}).items()))
        a = assessments.get(ind.code)
        summable = rule in (Rule.SUM, Rule.MIN, Rule.MAX) or (rule is Rule.RATIO and ind.ratio_parts is not None)
        status = (a.status.value if a else "") if summable else NOT_SUMMABLE_STATUS
        rows.append(
            IndicatorConsolidation(
                code=ind.code, name=ind.name, unit=ind.unit, rule=rule, values=per_year,
                value=per_year.get(year), regions=list(values.regions.get(ind.code, {}).get(year, [])),
                assessment=a if summable else None, status=status,
                completion=a.completion if a is not None and summable else None,
            )
        )
    submitted = {r.code for r in regions}
    missing = missing_regions(ws, year, submitted)
    if not regions:
        warnings.insert(0, f"{year} 年还没有导入任何下级地区的报送文件")
    return Consolidation(year, plan, values, rows, regions, missing, warnings)


def write_consolidation(ws: Workspace, result: Consolidation) -> int:
    """Store the consolidated values as the workspace's own values (so it can export upward).

    One transaction; every changed cell gets an audit row (``consolidate``). Indicators that are
    not summable keep whatever the workspace holds. Locked (已上报) years are refused.
    """
    from desktop.domain.errors import ValueRefused

    locked = sorted(set(ws.locked_years()) & {y for per in result.values.values.values() for y in per})
    if locked:
        raise ValueRefused(f"{'、'.join(map(str, locked))} 年已标记为已上报，汇总值不能写入；请先撤回")
    changed = 0
    with ws.transaction() as conn:
        at = now_text()
        for code, per in result.actuals().items():
            for y, a in per.items():
                old = repo.read_actual(conn, code, y)
                new = Actual(a.code, y, a.value, a.nature, source=a.source, note=old.note if old else "",
                             updated_by=ws.user, updated_at=at)
                if old is not None and old.value == new.value and old.nature == new.nature and old.source == new.source:
                    continue
                repo.write_actual(conn, new)
                repo.add_audit(
                    conn, at=at, who=ws.user, action="consolidate", code=code, year=y, field="value",
                    old_value=repo.decimal_text(old.value) if old else None, new_value=repo.decimal_text(a.value),
                    detail=f"{result.year} 年汇总：{a.source}",
                )
                changed += 1
    return changed


def consolidated_actuals(result: Consolidation) -> Mapping[str, Mapping[int, Actual]]:
    """For reports: the consolidated values as actuals (progress table of the city)."""
    return result.actuals()
