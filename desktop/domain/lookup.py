"""Finding an indicator from what a user typed: its code, its name, or part of its name.

The CLI (``--indicator 城镇新增就业人数``) and the UI's search box resolve names the same way.
"""
from __future__ import annotations

from .errors import Ambiguous, NotFound
from .model import Indicator, Plan


def _key(text: str) -> str:
    return "".join(text.split()).casefold()


def resolve_indicator(plan: Plan, text: str) -> Indicator:
    """The one indicator ``text`` names: exact code, exact name, else a unique substring of a
    name (spaces and letter case ignored). Raises ``Ambiguous`` or ``NotFound``."""
    wanted = _key(text)
    if not wanted:
        raise NotFound("请输入指标名称或代码")
    for matches in (
        [i for i in plan.indicators if i.code == text.strip()],
        [i for i in plan.indicators if _key(i.code) == wanted],
        [i for i in plan.indicators if _key(i.name) == wanted],
        [i for i in plan.indicators if wanted in _key(i.name)],
    ):
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            listed = "、".join(f"{i.name}（{i.code}）" for i in matches)
            raise Ambiguous(f"“{text.strip()}”对应多个指标：{listed}", [i.code for i in matches])
    raise NotFound(f"没有名为“{text.strip()}”的指标")
