"""Template files a bureau shares (模板库): a workspace's plan definition saved as a
``planledger-template/1`` JSON file, and such a file read back for 新建.

``save_template`` writes ``plan_to_template`` (codes kept, so workspaces made from the file
consolidate with the original by code); values are included only when asked. ``read_template_file``
checks a received file (JSON object, the format string, ``plan_from_template`` without errors)
and refuses it with a Chinese message naming the file.
"""
from __future__ import annotations

import json
import os
import re
from pathlib import Path

from desktop.domain.errors import Severity, ValueRefused
from desktop.domain.model import Actual, Plan
from desktop.domain.template_export import plan_to_template
from desktop.domain.template_format import FORMAT, plan_from_template
from desktop.store import outputs

from .problems import IntakeRefused

__all__ = ["save_template", "read_template_file", "MAX_TEMPLATE_BYTES"]

MAX_TEMPLATE_BYTES = 5 * 1024 * 1024


def save_template(plan: Plan, actuals: list[Actual], out: Path | str, *, template_id: str | None = None,
                  title: str | None = None, description: str = "", with_values: bool = False) -> Path:
    """Write the plan definition (and, with ``with_values``, its values) as a template file."""
    path = Path(out)
    if path.name and not path.suffix:  # a name typed without its extension
        path = path.with_name(path.name + ".json")
    path = outputs.check_output(path, (".json",), "模板文件")
    tid = template_id or plan.template_id or f"plan-{plan.region_code}"
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,40}", tid):
        raise ValueRefused(f"模板标识“{tid}”只能由字母、数字和 - _ . 组成（如 sy-zl2-county）")
    data = plan_to_template(plan, actuals if with_values else (), template_id=tid, title=title,
                            description=description or f"由 {plan.region_name}（{plan.region_code}）的台账另存")
    data["source"] = {**(data.get("source") or {}), "saved_from": f"{plan.region_name}（{plan.region_code}）"}
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        temp.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    except OSError as exc:
        outputs.discard(temp)
        raise outputs.write_refused(path, exc) from exc
    outputs.replace(temp, path)  # a file already there is kept as a backup
    return path


def read_template_file(path: Path | str) -> dict:
    """A template file's data, checked; ``IntakeRefused`` with the reason otherwise."""
    path = Path(path)
    if not path.is_file():
        raise IntakeRefused(f"模板文件“{path}”不存在")
    if path.stat().st_size > MAX_TEMPLATE_BYTES:
        raise IntakeRefused(f"模板文件“{path.name}”超过 5 MB，不像规划模板")
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        where = f"（第 {exc.lineno} 行第 {exc.colno} 列）" if isinstance(exc, json.JSONDecodeError) else "（不是 UTF-8 编码的文本）"
        raise IntakeRefused(f"模板文件“{path.name}”不是有效的 JSON 文本{where}") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise IntakeRefused(f"文件“{path.name}”不是规划模板（应有 \"format\": \"{FORMAT}\"）")
    _, _, problems = plan_from_template(data)
    bad = [p for p in problems if p.severity is Severity.ERROR]
    if bad:
        raise IntakeRefused(f"模板文件“{path.name}”有 {len(bad)} 处错误：" + "；".join(p.message for p in bad[:5]))
    return data
