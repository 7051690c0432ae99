"""Checks of an edited indicator definition against the plan and the stored values (used by
``definitions``): what a bureau would otherwise only notice in a wrong report."""
from __future__ import annotations

from desktop.domain.errors import ValueRefused
from desktop.domain.model import Indicator, Kind, Plan
from desktop.domain.notation import normalise_text
from desktop.domain.validation import is_count

from .workspace import Workspace


def unique_name(plan: Plan, ind: Indicator) -> None:
    """Two rows of one 专栏 with the same name could not be told apart (by a user, a lookup
    by name, a pasted table); across 专栏 a plan may repeat an indicator."""
    same = next((i for i in plan.indicators if i.box == ind.box and i.name == ind.name and i.code != ind.code), None)
    if same is not None:
        raise ValueRefused(f"{ind.box}中已有指标“{same.name}”（{same.code}），同一专栏中的指标名称不能重复")


def no_negative_count(ind: Indicator) -> None:
    """A number of people or units below zero is a typing slip, as it is for a value (``set``
    refuses one); only a 累计变化 target may be a decrease ([-13.5])."""
    if not is_count(ind):
        return
    if ind.base is not None and ind.base < 0:
        raise ValueRefused(f"指标“{ind.name}”的单位为“{ind.unit}”，基期值不能为负数（{ind.base_text}）")
    values = [v for v in (ind.target.value, ind.target.upper) if v is not None]
    if any(v < 0 for v in values) and ind.kind is not Kind.CUMULATIVE_CHANGE:
        raise ValueRefused(f"指标“{ind.name}”的单位为“{ind.unit}”，目标值“{ind.target.text}”不能为负数"
                           "（只有计算方式为“累计变化”的指标可以写减少量，如 [-13.5]）")


def unit_kept_under_values(ws: Workspace, old: Indicator, new: Indicator) -> None:
    """万人 → 人 would turn 4.9 万人 into 4.9 人, a reported year too: refused while values exist."""
    if normalise_text(new.unit) == normalise_text(old.unit):
        return
    years = sorted(y for y, a in ws.actuals().get(old.code, {}).items() if a.value is not None)
    if years:
        raise ValueRefused(
            f"指标“{old.name}”已有 {len(years)} 个数值（{years[0]}—{years[-1]} 年），单位从“{old.unit}”改为“{new.unit}”"
            "会改变这些数值的含义；请先清除或换算这些数值，再改单位"
        )
