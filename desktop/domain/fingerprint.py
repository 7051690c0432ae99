"""The data fingerprint printed on the submission report and carried by the submission file.

SHA-256 (hex) of a canonical serialization — UTF-8 JSON, sorted keys, no insignificant
whitespace — of the submission's identity, the plan definition and every value of the plan
years up to the report year. Documented with a test vector in docs/fingerprint.md so another
program can recompute it. The export time and the app version are deliberately left out:
the paper report printed before the export must match the file exported from the same data.
"""
from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from operator import itemgetter
from typing import Any

from .model import Actual, Plan
from .notation import format_decimal

FINGERPRINT_VERSION = 1


def canonical_document(plan: Plan, actuals: Mapping[str, Mapping[int, Actual]], report_year: int) -> dict[str, Any]:
    """The object the fingerprint is taken over (see docs/fingerprint.md for every field).

    ``fingerprint`` does not build this object: it writes the same bytes piece by piece
    (``plan_json`` once per plan, ``value_json`` per value); tests compare the two.
    """
    document = plan_document(plan)
    values = [
        {
            "code": code,
            "year": year,
            "value": None if a.value is None else format_decimal(a.value),
            "nature": a.nature.value,
            "status": a.status,
        }
        for code in sorted(actuals)
        for year, a in sorted(actuals[code].items())
        if plan.start_year <= year <= report_year
    ]
    return {
        "fingerprint_version": FINGERPRINT_VERSION,
        "region_code": plan.region_code,
        "region_name": plan.region_name,
        "report_year": report_year,
        "plan": document,
        "values": values,
    }


def plan_document(plan: Plan) -> dict[str, Any]:
    """The ``plan`` member of the canonical document (no region: that is a top-level field)."""
    boxes = [
        {
            "label": b.label,
            "title": b.title,
            "kind": b.kind,
            "columns": [[c.key, c.header, c.role] for c in b.columns],
            "footnotes": list(b.footnotes),
            "sections": [[s.key, s.title] for s in b.sections],
            "items": [[i.number, i.text] for i in b.items],
        }
        for b in plan.boxes
    ]
    indicators = [
        {
            "code": i.code,
            "box": i.box,
            "section": i.section,
            "seq": i.seq,
            "name": i.name,
            "unit": i.unit,
            "base": i.base_text,
            "target": i.target.text,
            "attribute": i.attribute.value,
            "kind": i.kind.value,
            "direction": i.direction.value,
            "parent": i.parent,
            "rule": i.rule.value,
        }
        for i in plan.indicators
    ]
    return {
        "title": plan.title,
        "start_year": plan.start_year,
        "end_year": plan.end_year,
        "base_year": plan.base_year,
        "template_id": plan.template_id,
        "catalogue_version": plan.catalogue_version,
        "boxes": boxes,
        "indicators": indicators,
    }


def canonical_bytes(document: Mapping[str, Any]) -> bytes:
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def fingerprint(plan: Plan, actuals: Mapping[str, Mapping[int, Actual]], report_year: int) -> str:
    """64 lowercase hex digits: SHA-256 of ``canonical_bytes(canonical_document(…))``."""
    start = plan.start_year
    rows = (
        (code, year, None if a.value is None else format_decimal(a.value), a.nature.value, a.status)
        for code in sorted(actuals)
        for year, a in sorted(actuals[code].items())
        if start <= year <= report_year
    )
    return fingerprint_of_rows(plan_json(plan), plan.region_code, plan.region_name, report_year, rows)


# The same bytes as ``canonical_bytes(canonical_document(…))``, written without building the
# document: the plan part once per plan, each value straight from its five fields. JSON of a
# member does not depend on where it stands, so the pieces join to exactly the whole.

_encode_str = json.encoder.encode_basestring  # what json.dumps(ensure_ascii=False) uses for str


def _json(x: Any) -> str:
    if type(x) is str:
        return _encode_str(x)
    if type(x) is int:
        return int.__repr__(x)
    return json.dumps(x, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def plan_json(plan: Plan) -> str:
    """The canonical JSON of the ``plan`` member (the same for every region using this plan)."""
    return json.dumps(plan_document(plan), sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def value_json(code: Any, year: Any, value: Any, nature: Any, status: Any) -> str:
    """One member of ``values``; ``value`` is already the canonical decimal text (or None)."""
    return (
        f'{{"code":{_json(code)},"nature":{_json(nature)},"status":{_json(status)},'
        f'"value":{"null" if value is None else _json(value)},"year":{_json(year)}}}'
    )


def _head(plan_text: str, region_code: Any, region_name: Any, report_year: Any) -> str:
    """The canonical document up to its ``values`` list (the plan part already written)."""
    return (
        f'{{"fingerprint_version":{_json(FINGERPRINT_VERSION)},"plan":{plan_text},'
        f'"region_code":{_json(region_code)},"region_name":{_json(region_name)},'
        f'"report_year":{_json(report_year)},"values":['
    )


def fingerprint_of_rows(
    plan_text: str, region_code: Any, region_name: Any, report_year: Any, rows: Iterable[tuple[Any, Any, Any, Any, Any]]
) -> str:
    """The fingerprint from ``plan_json(plan)`` and the value rows ``(code, year, canonical value
    text or None, nature, status)`` — already in (code, year) order and inside the plan years
    up to the report year."""
    head = _head(plan_text, region_code, region_name, report_year)
    rows = rows if isinstance(rows, list) else list(rows)
    body = _plain_values(rows)
    if body is None:
        body = ",".join([value_json(*r) for r in rows])
    return hashlib.sha256(f"{head}{body}]}}".encode("utf-8")).hexdigest()


_NEEDS_CARE = re.compile(r"[\x00-\x1f\\]")


def fingerprint_of_plain_rows(
    plan_text: str, region_code: Any, region_name: Any, report_year: Any, rows: list[tuple[str, int, str | None, str, str]]
) -> str:
    """``fingerprint_of_rows`` for rows a verifier has already checked: str code and status, int
    year, a value that is canonical decimal text or None, a nature word — so only the codes and
    statuses (a few distinct texts) can need a JSON escape. The same bytes, written in one pass."""
    texts = "".join({*map(itemgetter(0), rows), *map(itemgetter(3), rows), *map(itemgetter(4), rows)})
    if '"' in texts or _NEEDS_CARE.search(texts):
        return fingerprint_of_rows(plan_text, region_code, region_name, report_year, rows)
    head = _head(plan_text, region_code, region_name, report_year)
    body = ",".join([
        f'{{"code":"{c}","nature":"{n}","status":"{s}","value":"{v}","year":{y}}}' if v is not None
        else f'{{"code":"{c}","nature":"{n}","status":"{s}","value":null,"year":{y}}}'
        for c, y, v, n, s in rows
    ])
    return hashlib.sha256(f"{head}{body}]}}".encode("utf-8")).hexdigest()


def _plain_values(rows: list[tuple[Any, Any, Any, Any, Any]]) -> str | None:
    """``",".join(value_json(*r) for r in rows)`` when every field is a str (value: or None) or an
    int year and no text needs a JSON escape — the usual case, written without ``_json``.
    None when that does not hold (the caller then uses ``value_json``)."""
    parts = []
    nulls = 0
    for code, year, value, nature, status in rows:
        if type(code) is not str or type(year) is not int or type(nature) is not str or type(status) is not str:
            return None
        if value is None:
            nulls += 1
            v = "null"
        elif type(value) is str:
            v = '"' + value + '"'
        else:
            return None
        parts.append(f'{{"code":"{code}","nature":"{nature}","status":"{status}","value":{v},"year":{year}}}')
    body = ",".join(parts)
    # 10 quotes of the keys and 2 around each of the 4 texts: any other quote, a backslash or a control
    # character was inside a text and needs escaping — then the slow way
    if body.count('"') != 18 * len(rows) - 2 * nulls or _NEEDS_CARE.search(body):
        return None
    return body


def grouped(fp: str, size: int = 8) -> str:
    """The fingerprint as printed: groups of eight for reading aloud over the phone."""
    return " ".join(fp[i : i + size] for i in range(0, len(fp), size))
