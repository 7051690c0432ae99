"""A plain box (no 序号) whose units were written inside the names prints them there again."""
from __future__ import annotations

from dataclasses import replace

from desktop.domain.cells import printed_name
from desktop.domain.model import Box, Indicator, IndicatorCode, Target


def test_plain_box_with_units_in_names_prints_the_unit() -> None:
    ind = Indicator(IndicatorCode("zj-t1-01"), "表1", "人才资源总量", "万人", Target("1400"))
    plain = Box("表1", "“十三五”全省人才发展主要指标完成情况", name_style="plain", unit_in_name=True)
    assert printed_name(plain, ind) == "人才资源总量（万人）"
    assert printed_name(replace(plain, unit_in_name=False), ind) == "人才资源总量"
    numbered = replace(plain, name_style="numbered")
    assert printed_name(numbered, replace(ind, seq="1")) == "1.人才资源总量（万人）"
