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
from collections.abc import Mapping
from typing import Any

from .model import Actual, Plan
from .notation import format_decimal

FINGERPRINT_VERSION = 1


def canonical_document(plan: Plan, actuals: Mapping[str, Mapping[int, Actual]], report_year: int) -> dict[str, Any]:
    """The object the fingerprint is taken over (see docs/fingerprint.md for every field)."""
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
        "plan": {
            "title": plan.title,
            "start_year": plan.start_year,
            "end_year": plan.end_year,
            "base_year": plan.base_year,
            "template_id": plan.template_id,
            "catalogue_version": plan.catalogue_version,
            "boxes": boxes,
            "indicators": indicators,
        },
        "values": values,
    }


def canonical_bytes(document: Mapping[str, Any]) -> bytes:
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def fingerprint(plan: Plan, actuals: Mapping[str, Mapping[int, Actual]], report_year: int) -> str:
    """64 lowercase hex digits."""
    return hashlib.sha256(canonical_bytes(canonical_document(plan, actuals, report_year))).hexdigest()


def grouped(fp: str, size: int = 8) -> str:
    """The fingerprint as printed: groups of eight for reading aloud over the phone."""
    return " ".join(fp[i : i + size] for i in range(0, len(fp), size))
