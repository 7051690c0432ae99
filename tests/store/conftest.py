"""A small plan built by hand (no template files) and fresh workspaces made from it."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from desktop.domain.model import (
    Actual,
    Attribute,
    Box,
    Column,
    Direction,
    Indicator,
    IndicatorCode,
    Kind,
    Nature,
    Plan,
    Rule,
    Section,
    TaskItem,
)
from desktop.domain.notation import parse_target
from desktop.store.workspace import Workspace

JOBS = IndicatorCode("t-zl2-01")  # 城镇新增就业人数, 万人, [>23.5]
REEMPLOYED = IndicatorCode("t-zl2-02")  # 失业人员再就业人数, 万人
UNEMPLOYMENT = IndicatorCode("t-zl2-03")  # 城镇调查失业率, %, 5.5以内
TRAINING = IndicatorCode("t-zl2-04")  # 其中:农民工参加职业培训人次
PENSION = IndicatorCode("t-zl2-05")  # 基本养老保险参保率, %
COVERAGE = IndicatorCode("t-zl3-01")  # 社会保障卡覆盖, qualitative


def make_plan() -> Plan:
    columns = (
        Column("name", "指标", "name"),
        Column("base", "2020年", "base"),
        Column("target", "2025年", "target"),
        Column("attribute", "属性", "attribute"),
    )
    boxes = (
        Box(
            label="专栏2",
            title="“十四五”人社事业发展主要指标",
            columns=columns,
            footnotes=("注:[]内为五年累计数",),
            sections=(Section("s1", "专栏2", "一、就业"), Section("s2", "专栏2", "二、社会保障")),
        ),
        Box(
            label="专栏3",
            title="重点工程",
            kind="tasks",
            items=(TaskItem(1, "建设社会保障卡“一卡通”。"), TaskItem(2, "培育和建设20个产教融合型企业。")),
            name_style="plain",
            section_style="merged",
            unit_in_name=False,
        ),
    )
    indicators = (
        Indicator(JOBS, "专栏2", "城镇新增就业人数", "万人",
                  parse_target("[>23.5]", "万人"), seq="1", section="s1",
                  kind=Kind.CUMULATIVE_SUM, extra=(("remark", "五年累计"), ("a", "b"))),
        Indicator(REEMPLOYED, "专栏2", "失业人员再就业人数", "万人", parse_target("[3]"), seq="2",
                  section="s1", base=Decimal("0.60"), base_text="0.60"),
        Indicator(UNEMPLOYMENT, "专栏2", "城镇调查失业率", "%", parse_target("5.5以内", "%"), seq="3",
                  section="s1", base=Decimal("5.2"), base_text="5.2", base_label="2020年预计",
                  attribute=Attribute.BINDING, kind=Kind.CEILING, direction=Direction.LOWER,
                  rule=Rule.NOT_SUMMABLE, tolerance=Decimal("0.050")),
        Indicator(TRAINING, "专栏2", "农民工参加职业培训人次", "万人次", parse_target("[2]"), seq="",
                  section="s1", parent=JOBS, responsible="县人社局"),
        Indicator(PENSION, "专栏2", "基本养老保险参保率", "%", parse_target("95", "%"), seq="4", section="s2",
                  base=Decimal("90"), base_text="90", rule=Rule.RATIO),
        Indicator(COVERAGE, "专栏3", "社会保障卡覆盖", "", parse_target("基本覆盖"),
                  kind=Kind.QUALITATIVE, task_item=1, note="持卡人口覆盖率"),
    )
    return Plan(
        title="新邵县人力资源和社会保障事业发展“十四五”规划",
        region_code="430522",
        region_name="新邵县",
        wenhao="新政办发〔2021〕12号",
        issuer="新邵县人民政府办公室",
        template_id="test",
        catalogue_version="1",
        boxes=boxes,
        indicators=indicators,
        properties=(("填报单位", "新邵县人社局"), ("负责人", "张三")),
    )


@pytest.fixture
def plan() -> Plan:
    return make_plan()


@pytest.fixture
def ws_path(tmp_path: Path, plan: Plan) -> Path:
    """A fresh workspace file (closed) with one template value."""
    path = tmp_path / "新邵县.sqlite"
    Workspace.create(path, plan, [Actual(JOBS, 2021, Decimal("4.8"), Nature.ANNUAL, source="统计公报")],
                     user="模板").close()
    return path


@pytest.fixture
def ws(ws_path: Path):
    with Workspace.open(ws_path, user="李四") as workspace:
        yield workspace
