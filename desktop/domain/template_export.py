"""A workspace's plan definition written back as template data (``planledger-template/1``).

The inverse of ``template_format.plan_from_template``, so a plan can be saved as a template
file and shared. Pure: returns a ``dict`` ready for ``json.dump``.
"""
from __future__ import annotations

from typing import Any

from .model import Actual, Indicator, Plan
from .template_format import FORMAT, SAMPLE_KEY, decimal_text


def plan_to_template(
    plan: Plan,
    actuals: list[Actual] | tuple[Actual, ...] = (),
    *,
    template_id: str | None = None,
    order: int = 100,
    title: str | None = None,
    description: str = "",
) -> dict:
    """The inverse of ``plan_from_template``: a workspace's definition as template data.

    Codes are kept: a code of the form ``<template id>-<key>`` is written as the row key only,
    any other code is written explicitly. ``plan_from_template(plan_to_template(p, a))``
    gives back ``p`` and ``a`` (in template order).
    """
    tid = template_id or plan.template_id or f"plan-{plan.region_code}"
    prefix = f"{tid}-"
    keys: dict[str, str] = {}  # code -> row key
    used: set[str] = set()
    for ind in plan.indicators:
        code = str(ind.code)
        key = code[len(prefix):] if code.startswith(prefix) and len(code) > len(prefix) else code
        if key in used:
            key = code
        n = 2
        while key in used:
            key, n = f"{code}~{n}", n + 1
        used.add(key)
        keys[code] = key

    boxes = []
    for box in plan.boxes:
        out: dict[str, Any] = {
            "label": box.label,
            "title": box.title,
            "kind": box.kind,
            "name_style": box.name_style,
            "section_style": box.section_style,
            "unit_in_name": box.unit_in_name,
            "columns": [{"key": col.key, "header": col.header, "role": col.role}
                        for col in box.columns],
            "footnotes": list(box.footnotes),
            "sections": [{"key": s.key, "title": s.title} for s in box.sections],
        }
        if box.items:
            out["items"] = [{"number": i.number, "text": i.text} for i in box.items]
        out["rows"] = [_row_out(ind, keys, prefix) for ind in plan.indicators_of(box.label)]
        boxes.append(out)

    plan_out: dict[str, Any] = {
        "title": plan.title,
        "region_code": plan.region_code,
        "region_name": plan.region_name,
        "start_year": plan.start_year,
        "end_year": plan.end_year,
        "base_year": plan.base_year,
        "wenhao": plan.wenhao,
        "issuer": plan.issuer,
    }
    if plan.properties:
        plan_out["properties"] = dict(plan.properties)
    actuals_out = []
    for a in actuals:
        item: dict[str, Any] = {
            "row": keys.get(str(a.code), str(a.code)),
            "year": a.year,
            "value": None if a.value is None else decimal_text(a.value),
            "nature": a.nature.value,
        }
        for name in ("source", "note", "status", "updated_by", "updated_at"):
            if getattr(a, name):
                item[name] = getattr(a, name)
        actuals_out.append(item)
    return {
        "format": FORMAT,
        "id": tid,
        "order": order,
        "title": title if title is not None else plan.title,
        "description": description,
        "plan": plan_out,
        "catalogue_version": plan.catalogue_version,
        "sample_note": plan.sample_note,
        "boxes": boxes,
        "actuals": actuals_out,
    }


def _row_out(ind: Indicator, keys: dict[str, str], prefix: str) -> dict:
    code = str(ind.code)
    key = keys[code]
    row: dict[str, Any] = {"key": key}
    if prefix + key != code:
        row["code"] = code
    row.update({
        "seq": ind.seq,
        "name": ind.name,
        "unit": ind.unit,
        "section": ind.section,
        "base": ind.base_text if ind.base_text or ind.base is None else decimal_text(ind.base),
        "base_label": ind.base_label,
        "target": ind.target.text,
        "attribute": ind.attribute.value,
        "kind": ind.kind.value,
        "direction": ind.direction.value,
        "rule": ind.rule.value,
        "responsible": ind.responsible,
    })
    if ind.parent is not None:
        row["parent"] = keys.get(str(ind.parent), str(ind.parent))
    if ind.task_item is not None:
        row["task_item"] = ind.task_item
    if ind.tolerance is not None:
        row["tolerance"] = decimal_text(ind.tolerance)
    if ind.note:
        row["note"] = ind.note
    extra = dict(ind.extra)
    sample = extra.pop(SAMPLE_KEY, None)
    if sample is not None:
        row["sample"] = True
        if sample != "*":
            row["sample_fields"] = [f for f in sample.split(",") if f]
    if extra:
        row["extra"] = extra
    return row


