"""The progress table (年度进展 / 中期评估) as rows of printed cells.

One presentation of the progress engine's figures, shared by ``planledger show``, the main
window, and the progress and submission reports, so every surface prints the same text.
"""
from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from .errors import Problem, Severity
from .model import Actual, Attribute, Indicator, Kind, Plan
from .notation import format_decimal
from .progress import Assessment, Settings, assess, assess_plan, fraction, percent_text, time_progress
from .validation import ValidationMemo, check_year, validate

NO_VALUE = "—"


@dataclass(frozen=True)
class ProgressRow:
    """One printed row: a section heading (only ``name``) or an indicator with its figures."""

    kind: str  # "section" | "indicator"
    name: str
    code: str | None = None
    seq: str = ""
    unit: str = ""
    attribute: str = ""
    base: str = ""
    target: str = ""
    values: tuple[str, ...] = ()
    completion: str = ""
    time_progress: str = ""
    status: str = ""
    projection: str = ""
    indent: int = 0
    binding_behind: bool = False
    assessment: Assessment | None = None


@dataclass(frozen=True)
class ProgressTable:
    year: int
    years: tuple[int, ...]
    time_progress: Decimal
    rows: tuple[ProgressRow, ...]
    assessments: Mapping[str, Assessment]
    settings: Settings = Settings()

    @property
    def time_progress_text(self) -> str:
        return percent_text(self.time_progress)


def default_year(plan: Plan, actuals: Mapping[str, Mapping[int, Actual]]) -> int:
    """The latest plan year holding any value, else the plan's first year."""
    years = [y for per in actuals.values() for y in per if plan.start_year <= y <= plan.end_year]
    return max(years) if years else plan.start_year


def value_text(actual: Actual | None) -> str:
    if actual is None:
        return NO_VALUE
    if actual.value is None:
        return actual.status or NO_VALUE
    return format_decimal(actual.value)


def completion_text(ind: Indicator, a: Assessment) -> str:
    """完成进度 as printed: a percentage, or 达标/未达标 for ceilings and bands (no invented %)."""
    if a.completion is not None:
        return percent_text(a.completion)
    if a.met is not None and a.status.value in ("达标", "未达标"):
        return "达标" if a.met else "未达标"
    return NO_VALUE


def projection_text(a: Assessment) -> str:
    p = a.projection
    if p is None:
        return ""
    return p.verdict or ""


def _indicator_row(ind: Indicator, a: Assessment, years: tuple[int, ...], per_year: Mapping[int, Actual]) -> ProgressRow:
    return ProgressRow(
        kind="indicator",
        name=ind.name,
        code=ind.code,
        seq=ind.seq,
        unit=ind.unit,
        attribute=ind.attribute.value,
        base=ind.base_text or (format_decimal(ind.base) if ind.base is not None else NO_VALUE),
        target=ind.target.text or NO_VALUE,
        values=tuple(value_text(per_year.get(y)) for y in years),
        completion=completion_text(ind, a),
        time_progress=percent_text(a.time_progress),
        status=a.status.value,
        projection=projection_text(a),
        indent=1 if ind.is_sub_item else 0,
        binding_behind=ind.attribute is Attribute.BINDING and a.behind,
        assessment=a,
    )


def progress_table(
    plan: Plan,
    actuals: Mapping[str, Mapping[int, Actual]],
    year: int,
    settings: Settings = Settings(),
    *,
    box: str | None = None,
    previous: ProgressTable | None = None,
    changed: Collection[str] = (),
    lazy: bool = False,
) -> ProgressTable:
    """Rows in printed order: section headings, then their indicators (task boxes by caption).

    ``previous`` (a table of the same plan, year and settings) with the codes whose values
    ``changed`` since: only those indicators are assessed again — an indicator's figures depend
    on its own values alone, and the editor redraws within a frame on a 500-row plan.
    ``lazy``: rows and assessments are computed when first read (``LazyRows``), so a window can
    paint its first screen of rows before the rest are assessed; ``complete()`` computes all.
    """
    problems = check_year(plan, year)
    if problems:
        from .errors import ValueRefused

        raise ValueRefused(problems[0].message)
    years = tuple(range(plan.start_year, year + 1))
    old_rows: dict[str | None, ProgressRow] = {}
    assessments: Mapping[str, Assessment]
    if lazy:
        assessments = LazyAssessments(plan, actuals, year, settings)
    elif previous is not None and previous.year == year and previous.settings == settings:
        stale = set(changed)
        old_rows = {r.code: r for r in previous.rows if r.code and r.code not in stale}
        assessments = {
            ind.code: previous.assessments[ind.code] if ind.code in old_rows and ind.code in previous.assessments
            else assess(ind, actuals.get(ind.code, {}), year, base_year=plan.base_year, end_year=plan.end_year,
                        settings=settings)
            for ind in plan.indicators
        }
    else:
        assessments = assess_plan(plan, actuals, year, settings)

    def make(ind: Indicator) -> ProgressRow:
        kept = old_rows.get(ind.code)
        a = assessments[ind.code]
        return kept if kept is not None and kept.assessment is a else _indicator_row(ind, a, years, actuals.get(ind.code, {}))

    entries = _layout(plan, box)
    rows = LazyRows(entries, make) if lazy else tuple(e if isinstance(e, ProgressRow) else make(e) for e in entries)
    return ProgressTable(year, years, time_progress(year, plan.base_year, plan.end_year), rows,  # type: ignore[arg-type]
                         assessments, settings)


def _layout(plan: Plan, box: str | None) -> list[ProgressRow | Indicator]:
    """The printed order: section rows (complete) and the indicators whose rows are to be made."""
    entries: list[ProgressRow | Indicator] = []
    for b in plan.boxes:
        if box is not None and b.label != box:
            continue
        inds = plan.indicators_of(b.label)
        if not inds:
            continue
        if b.is_task_box or len(plan.boxes) > 1:
            entries.append(ProgressRow(kind="section", name=b.caption))
        titles = {s.key: s.title for s in b.sections}
        current = None
        for ind in inds:
            if ind.section != current and ind.section in titles and not b.is_task_box:
                current = ind.section
                entries.append(ProgressRow(kind="section", name=titles[ind.section]))
            entries.append(ind)
    return entries


class LazyAssessments(Mapping[str, Assessment]):
    """``assess`` of each indicator of the plan, computed when first looked up (then kept)."""

    def __init__(self, plan: Plan, actuals: Mapping[str, Mapping[int, Actual]], year: int, settings: Settings) -> None:
        self._plan, self._actuals, self._year, self._settings = plan, actuals, year, settings
        self._inds = {ind.code: ind for ind in plan.indicators}
        self._done: dict[str, Assessment] = {}

    def __getitem__(self, code: str) -> Assessment:
        a = self._done.get(code)
        if a is None:
            ind = self._inds[code]  # KeyError for a code not in the plan, like a dict
            plan = self._plan
            a = self._done[code] = assess(ind, self._actuals.get(code, {}), self._year, base_year=plan.base_year,
                                          end_year=plan.end_year, settings=self._settings)
        return a

    def __iter__(self) -> Iterator[str]:
        return iter(self._inds)

    def __len__(self) -> int:
        return len(self._inds)


class LazyRows(Sequence[ProgressRow]):
    """The rows of a lazy progress table: an indicator's row (and its assessment) is made the
    first time it is read; ``kind_of`` / ``code_of`` answer from the layout without computing."""

    def __init__(self, entries: list[ProgressRow | Indicator], make: Callable[[Indicator], ProgressRow]) -> None:
        self._entries = entries
        self._rows: list[ProgressRow | None] = [e if isinstance(e, ProgressRow) else None for e in entries]
        self._make = make

    def __len__(self) -> int:
        return len(self._rows)

    def __getitem__(self, i):  # noqa: ANN001, ANN204 - int or slice, as a tuple
        if isinstance(i, slice):
            return tuple(self[k] for k in range(*i.indices(len(self._rows))))
        row = self._rows[i]
        if row is None:
            entry = self._entries[i]
            assert isinstance(entry, Indicator)
            row = self._rows[i] = self._make(entry)
        return row

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and tuple(self) == tuple(other)

    __hash__ = None  # type: ignore[assignment]

    def kind_of(self, i: int) -> str:
        e = self._entries[i]
        return e.kind if isinstance(e, ProgressRow) else "indicator"

    def code_of(self, i: int) -> str | None:
        return self._entries[i].code


def complete(table: ProgressTable) -> ProgressTable:
    """A lazy table with every row and assessment computed (the same objects already read)."""
    if not isinstance(table.rows, LazyRows):
        return table
    rows = tuple(table.rows)
    return replace(table, rows=rows, assessments=dict(table.assessments))


def _num(d: Decimal | None) -> float | int | None:
    if d is None:
        return None
    return int(d) if d == d.to_integral_value() and abs(d) < 10**15 else float(d)


def plan_json(plan: Plan, actuals: Mapping[str, Mapping[int, Actual]], table: ProgressTable) -> dict[str, Any]:
    """The stable ``show --json`` document (docs/cli.md)."""
    inds = []
    for ind in plan.indicators:
        a = table.assessments[ind.code]
        per = actuals.get(ind.code, {})
        p = a.projection
        inds.append(
            {
                "code": ind.code,
                "seq": ind.seq,
                "name": ind.name,
                "unit": ind.unit,
                "box": ind.box,
                "section": ind.section,
                "parent": ind.parent,
                "attribute": ind.attribute.value,
                "kind": ind.kind.value,
                "direction": ind.direction.value,
                "rule": ind.rule.value,
                "responsible": ind.responsible,
                "base": _num(ind.base),
                "base_text": ind.base_text,
                "target_text": ind.target.text,
                "target": {
                    "comparator": ind.target.comparator.value if ind.target.comparator else None,
                    "value": _num(ind.target.value),
                    "upper": _num(ind.target.upper),
                    "cumulative": ind.target.cumulative,
                    "approximate": ind.target.approximate,
                    "qualitative": ind.target.qualitative,
                },
                "actuals": {str(y): _num(v.value) for y, v in sorted(per.items()) if v.value is not None},
                "natures": {str(y): v.nature.value for y, v in sorted(per.items())},
                "notes": {str(y): v.note for y, v in sorted(per.items()) if v.note},
                "current": _num(a.current),
                "completion": fraction(a.completion),
                "completion_ratio": fraction(a.completion_ratio),
                "time_progress": fraction(a.time_progress),
                "status": a.status.value,
                "met": a.met,
                "behind": a.behind,
                "needs_reason": a.needs_reason,
                "basis": a.basis,
                "projection": None
                if p is None
                else {
                    "value_at_end": _num(p.value_at_end),
                    "verdict": p.verdict,
                    "pace_so_far": _num(p.pace_so_far),
                    "pace_needed": _num(p.pace_needed),
                    "reason": p.reason,
                },
            }
        )
    return {
        "plan": {
            "title": plan.title,
            "region_code": plan.region_code,
            "region_name": plan.region_name,
            "start_year": plan.start_year,
            "end_year": plan.end_year,
            "base_year": plan.base_year,
            "wenhao": plan.wenhao,
            "template_id": plan.template_id,
            "catalogue_version": plan.catalogue_version,
            "sample_note": plan.sample_note,
        },
        "year": table.year,
        "time_progress": fraction(table.time_progress),
        "indicators": inds,
    }


def review(
    plan: Plan,
    actuals: Mapping[str, Mapping[int, Actual]],
    year: int | None = None,
    settings: Settings = Settings(),
    *,
    assessments: Mapping[str, Assessment] | None = None,
    memo: ValidationMemo | None = None,
) -> list[Problem]:
    """审核: every validation problem; with a year, also missing values and binding indicators
    behind schedule without a 原因说明. ``assessments`` (of this year and settings, e.g. the
    progress table's) saves assessing the plan twice; ``memo`` (kept by the caller between
    calls) re-checks only the indicators whose definition or values are new objects."""
    problems = validate(plan, actuals, memo=memo)
    if year is None:
        return problems
    problems += check_year(plan, year)
    if problems and problems[-1].field == "year":
        return problems
    if assessments is None:
        assessments = assess_plan(plan, actuals, year, settings)
    for ind in plan.indicators:
        per = actuals.get(ind.code, {})
        got = per.get(year)
        if got is None and ind.kind is not Kind.QUALITATIVE and ind.target.value is not None:
            problems.append(Problem(Severity.WARNING, f"缺少 {year}年 “{ind.name}”的数值", ind.code, year, "value"))
        a = assessments[ind.code]
        if a.needs_reason and not (got is not None and got.note.strip()):
            problems.append(
                Problem(
                    Severity.WARNING,
                    f"约束性指标“{ind.name}”{a.status.value}，请在 {year}年 数值的说明中填写原因说明",
                    ind.code,
                    year,
                    "note",
                )
            )
    return problems
