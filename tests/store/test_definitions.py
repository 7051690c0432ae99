"""Editing the plan definition: exact changes, audit rows, refusals, undo and redo.

Every test starts from the real 邵阳 专栏2 template (sy-zl2) made for 新邵县.
"""
from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from desktop.domain.changes import CellChange, Change, DefinitionChange, PlanHeader
from desktop.domain.errors import NotationError, ReadOnly, RegionError, ValueRefused
from desktop.domain.model import Actual, Attribute, Direction, Kind, Nature, Rule
from desktop.domain.notation import parse_target
from desktop.store import actions, definitions
from desktop.store.create import new_workspace
from desktop.store.workspace import Workspace

JOBS = "sy-zl2-01"  # 城镇新增就业人数, 万人, [>23.5]
SURVEYED = "sy-zl2-02"  # 城镇调查失业率
REGISTERED = "sy-zl2-03"  # 城镇登记失业率
TRAINING = "sy-zl2-04"  # 开展各类职业培训人次, parent of 05
MIGRANT = "sy-zl2-05"  # 其中: 农民工参加职业培训人次
PENSION = "sy-zl2-06"  # 基本养老保险参保率 (first row of s2)


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "新邵县.sqlite"


@pytest.fixture
def ws(path: Path):
    workspace = new_workspace(path, template="sy-zl2", region_code="430522", region_name="新邵县", user="李四")
    actions.paste_block(workspace, [(JOBS, 2021, Decimal("4.9")), (JOBS, 2022, Decimal("5.1")),
                                    (MIGRANT, 2021, Decimal("1.2"))])
    yield workspace
    workspace.close()


def codes(ws: Workspace) -> list[str]:
    return [i.code for i in ws.plan().indicators]


def assert_undo_redo(ws: Workspace, change: Change, before_plan, before_actuals) -> None:
    """Undo restores the plan and values exactly; redo brings the edit back exactly."""
    after_plan, after_actuals = ws.plan(), ws.actuals()
    undone = actions.apply_change(ws, change.inverse())
    assert ws.plan() == before_plan and ws.actuals() == before_actuals
    assert undone.definitions == change.inverse().definitions
    actions.apply_change(ws, change)
    assert ws.plan() == after_plan and ws.actuals() == after_actuals


def defines(ws: Workspace, detail: str) -> list[tuple[str | None, str | None, str | None, str | None]]:
    return [(e.code, e.field, e.old_value, e.new_value) for e in ws.audit() if e.action == "define" and e.detail == detail]


# --------------------------------------------------------------------- update_indicator


def test_update_target_exact_record_audit_undo_redo(ws):
    before, values = ws.plan(), ws.actuals()
    old = before.indicator(JOBS)
    change = definitions.update_indicator(ws, JOBS, target_text="[>25]")
    expected = replace(old, target=parse_target("[>25]", "万人"))
    assert change.label == "修改指标 城镇新增就业人数 的目标值"
    assert change.definitions == (DefinitionChange("indicator", JOBS, old, expected, 0),)
    assert change.definition_changed and not change.cells
    assert ws.plan().indicator(JOBS) == expected
    assert ws.plan().catalogue_version == before.catalogue_version  # a target is not the catalogue
    assert defines(ws, change.label) == [(JOBS, "target", "[>23.5]", "[>25]")]
    assert_undo_redo(ws, change, before, values)
    assert [e.action for e in ws.audit(JOBS) if e.field == "target"] == ["define", "undo", "redo"]


def test_update_many_fields_is_one_change(ws):
    old = ws.plan().indicator(REGISTERED)
    change = definitions.update_indicator(
        ws, REGISTERED, name="城镇登记失业率（年末）", base_text="—", base_label="2020年预计", attribute="约束性",
        kind="控制值", direction="逆向", rule="取最大", responsible="就业服务中心",
        tolerance="0.1", section="一、就业", note="年末数", seq="3",
    )
    assert ws.plan().indicator(REGISTERED) == replace(
        old, name="城镇登记失业率（年末）", base=None, base_text="—", base_label="2020年预计",
        attribute=Attribute.BINDING, kind=Kind.CEILING, direction=Direction.LOWER, rule=Rule.MAX,
        responsible="就业服务中心", tolerance=Decimal("0.1"), note="年末数",
    )
    assert change.label.startswith("修改指标 城镇登记失业率 的名称、基期值")
    fields = {f for _, f, _, _ in defines(ws, change.label)}
    assert {"name", "base", "base_text", "attribute", "rule", "tolerance", "note"} <= fields
    assert "plan.catalogue_version" in fields  # the rule is part of what the row means


def test_same_values_change_nothing(ws):
    audit = ws.audit()
    assert definitions.update_indicator(ws, JOBS, name="城镇新增就业人数", target_text="[>23.5]").is_empty
    assert ws.audit() == audit


@pytest.mark.parametrize(
    ("fields", "error", "quoted"),
    [
        ({"target_text": "abc"}, NotationError, "“abc”"),
        ({"target_text": "[>23.5"}, NotationError, "“[>23.5”"),
        ({"base_text": "1,2,3"}, NotationError, "“1,2,3”"),
        ({"unit": "人", "target_text": "[>23.5万人]"}, NotationError, "“[>23.5万人]”"),  # unit disagrees
        ({"name": "  "}, ValueRefused, "名称不能为空"),
        ({"attribute": "重要"}, ValueRefused, "“重要”"),
        ({"tolerance": "5"}, ValueRefused, "容差“5”"),
        ({"section": "五、其他"}, ValueRefused, "“五、其他”"),
    ],
)
def test_refused_edits_store_nothing(ws, path, fields, error, quoted):
    before = path.read_bytes()
    with pytest.raises(error) as refused:
        definitions.update_indicator(ws, JOBS, **fields)
    assert quoted in refused.value.message
    assert path.read_bytes() == before


def test_new_unit_must_fit_the_written_target(ws, path):
    definitions.update_indicator(ws, JOBS, target_text="[>23.5万人]")
    before = path.read_bytes()
    with pytest.raises(NotationError, match="单位改为“人”后，目标值“\\[>23.5万人\\]”"):
        definitions.update_indicator(ws, JOBS, unit="人")
    assert path.read_bytes() == before


def test_unknown_field_is_a_programming_error(ws):
    with pytest.raises(TypeError, match="colour"):
        definitions.update_indicator(ws, JOBS, colour="red")


def test_parent_moves_row_under_its_parent_and_undoes(ws):
    before, values = ws.plan(), ws.actuals()
    change = definitions.update_indicator(ws, JOBS, parent=TRAINING)
    assert ws.plan().indicator(JOBS) == replace(before.indicator(JOBS), parent=TRAINING)
    assert codes(ws)[:5] == [SURVEYED, REGISTERED, TRAINING, MIGRANT, JOBS]
    assert [d.entity for d in change.definitions] == ["indicator", "order", "catalogue"]
    assert_undo_redo(ws, change, before, values)


@pytest.mark.parametrize(
    ("code", "parent", "message"),
    [
        (TRAINING, MIGRANT, "形成循环"),  # 05 is a 其中 of 04
        (JOBS, MIGRANT, "本身是“开展各类职业培训人次”的其中项"),  # no 其中 of a 其中
        (JOBS, JOBS, "不能是自己的其中项"),
        (TRAINING, JOBS, "有其中项“农民工参加职业培训人次”"),  # would make 05 a grandchild
        (JOBS, "sy-zl2-99", "没有代码为“sy-zl2-99”"),
    ],
)
def test_bad_parents_refused(ws, path, code, parent, message):
    before = path.read_bytes()
    with pytest.raises((ValueRefused, LookupError), match=message):
        definitions.update_indicator(ws, code, parent=parent)
    assert path.read_bytes() == before


# ------------------------------------------------------------------------ add_indicator


def test_add_indicator_new_code_place_catalogue_undo_redo(ws):
    before, values = ws.plan(), ws.actuals()
    change = definitions.add_indicator(ws, "专栏2", after=TRAINING, name="创业担保贷款发放额", unit="亿元",
                                       target_text="[>5]", base_text="0.8", seq="5a")
    added = ws.plan().indicator("430522-u001")
    assert added is not None and change.label == "添加指标 创业担保贷款发放额"
    assert added == replace(
        added, box="专栏2", section="s1", name="创业担保贷款发放额", unit="亿元", seq="5a",
        target=parse_target("[>5]", "亿元"), base=Decimal("0.8"), base_text="0.8",
        kind=Kind.CUMULATIVE_SUM, direction=Direction.HIGHER, rule=Rule.SUM, parent=None,
    )
    assert codes(ws)[3:6] == [TRAINING, MIGRANT, "430522-u001"]  # after the row and its 其中
    assert change.definitions[0] == DefinitionChange("indicator", "430522-u001", None, added, 5)
    assert change.definitions[1] == DefinitionChange("catalogue", "", "sy-zl2/1", "sy-zl2/1+local.1")
    assert ws.plan().catalogue_version == "sy-zl2/1+local.1"
    (row,) = [e for e in defines(ws, change.label) if e[1] == "indicator"]
    assert row[0] == "430522-u001" and row[2] is None and "创业担保贷款发放额" in row[3]
    assert_undo_redo(ws, change, before, values)


def test_codes_count_up_and_are_never_reused(ws, path):
    first = definitions.add_indicator(ws, "专栏2", name="甲", unit="人", target_text="100")
    second = definitions.add_indicator(ws, "专栏2", name="乙", unit="%", target_text="30%左右")
    assert [d.key for d in first.definitions + second.definitions if d.entity == "indicator"] == [
        "430522-u001", "430522-u002"]
    assert codes(ws)[-2:] == ["430522-u001", "430522-u002"]  # end of the box
    b = ws.plan().indicator("430522-u002")
    assert (b.kind, b.rule, b.section) == (Kind.BAND, Rule.NOT_SUMMABLE, "s4")
    versions = [ws.plan().catalogue_version]
    actions.apply_change(ws, second.inverse())  # undo the second add: its code stays used
    versions.append(ws.plan().catalogue_version)
    third = definitions.add_indicator(ws, "专栏2", name="丙", unit="人", target_text="5")
    assert third.definitions[0].key == "430522-u003"
    versions.append(ws.plan().catalogue_version)
    definitions.delete_indicator(ws, "430522-u001")
    versions.append(ws.plan().catalogue_version)
    assert versions == ["sy-zl2/1+local.2", "sy-zl2/1+local.1", "sy-zl2/1+local.3", "sy-zl2/1+local.4"]
    ws.close()
    with Workspace.open(path) as again:  # reopening shows the edits
        assert [i.code for i in again.plan().indicators][-1] == "430522-u003"
        assert again.plan().indicator("430522-u003").name == "丙"
        assert again.plan().catalogue_version == "sy-zl2/1+local.4"


def test_add_as_sub_item_goes_under_parent(ws):
    definitions.add_indicator(ws, "专栏2", name="其中:青年参加培训人次", unit="万人次", target_text="[2]", parent=TRAINING)
    assert codes(ws)[3:6] == [TRAINING, MIGRANT, "430522-u001"]
    assert ws.plan().indicator("430522-u001").parent == TRAINING


def test_add_after_a_sub_item_keeps_the_block_together(ws):
    definitions.add_indicator(ws, "专栏2", after=MIGRANT, name="甲", unit="人", target_text="100")
    definitions.add_indicator(ws, "专栏2", after=MIGRANT, name="乙", unit="万人次", target_text="[1]", parent=TRAINING)
    assert codes(ws)[3:7] == [TRAINING, MIGRANT, "430522-u002", "430522-u001"]


def test_add_refusals_store_nothing(ws, path):
    before = path.read_bytes()
    with pytest.raises(NotationError, match="“abc”"):
        definitions.add_indicator(ws, "专栏2", name="甲", unit="人", target_text="abc")
    with pytest.raises(LookupError, match="专栏9"):
        definitions.add_indicator(ws, "专栏9", name="甲")
    with pytest.raises(ValueRefused, match="本身是"):
        definitions.add_indicator(ws, "专栏2", name="甲", parent=MIGRANT)
    assert path.read_bytes() == before


# --------------------------------------------------------------------- delete_indicator


def test_delete_takes_values_and_undo_restores_them(ws):
    before, values = ws.plan(), ws.actuals()
    change = definitions.delete_indicator(ws, JOBS)
    assert change.label == "删除指标 城镇新增就业人数"
    assert change.cells == tuple(CellChange(JOBS, y, values[JOBS][y], None) for y in (2021, 2022))
    assert change.definitions[0] == DefinitionChange("indicator", JOBS, before.indicator(JOBS), None, 0)
    assert ws.plan().indicator(JOBS) is None and JOBS not in ws.actuals()
    assert ws.plan().catalogue_version == "sy-zl2/1+local.1"
    rows = defines(ws, change.label)
    assert (JOBS, "value", "4.9", None) in rows and (JOBS, "value", "5.1", None) in rows
    assert_undo_redo(ws, change, before, values)


def test_delete_with_sub_items_refused(ws, path):
    before = path.read_bytes()
    with pytest.raises(ValueRefused, match="有其中项“农民工参加职业培训人次”"):
        definitions.delete_indicator(ws, TRAINING)
    assert path.read_bytes() == before


def test_delete_with_value_in_locked_year_refused(ws):
    actions.lock_year(ws, 2022)
    before, values = ws.plan(), ws.actuals()
    with pytest.raises(ValueRefused, match="已上报的 2022年 有数值"):
        definitions.delete_indicator(ws, JOBS)
    assert ws.plan() == before and ws.actuals() == values
    definitions.delete_indicator(ws, MIGRANT)  # its only value is in 2021, not locked


# ----------------------------------------------------------------------- move_indicator


def test_move_block_up_and_down(ws):
    before, values = ws.plan(), ws.actuals()
    change = definitions.move_indicator(ws, TRAINING, up=True)  # takes its 其中 row along
    assert change.label == "上移 开展各类职业培训人次"
    assert codes(ws)[:5] == [JOBS, SURVEYED, TRAINING, MIGRANT, REGISTERED]
    assert change.definitions == (DefinitionChange("order", "专栏2", tuple(before.indicators_of("专栏2")[i].code
                                   for i in range(14)), tuple(codes(ws))),)
    assert defines(ws, change.label)[0][1] == "专栏2.order"
    assert_undo_redo(ws, change, before, values)
    definitions.move_indicator(ws, JOBS, to_index=3)  # last row of 一、就业 (4 top-level rows)
    assert codes(ws)[:5] == [SURVEYED, TRAINING, MIGRANT, REGISTERED, JOBS]


def test_move_limits(ws):
    assert definitions.move_indicator(ws, JOBS, up=True).is_empty  # already first
    assert definitions.move_indicator(ws, MIGRANT, up=False).is_empty  # only 其中 of its parent
    first = definitions.move_indicator(ws, PENSION, up=True)  # first of 二、社会保障
    assert first.is_empty and [w.message for w in first.warnings] == [
        "“基本养老保险参保率”已在本组的最上面，不能再上移（行只在同组内移动，其中项随上级指标一起移动）"]
    only = definitions.move_indicator(ws, MIGRANT, up=True)
    assert only.warnings[0].message.startswith("“农民工参加职业培训人次”已在“开展各类职业培训人次”的其中项的最上面，不能再上移")
    with pytest.raises(ValueRefused, match="超出范围"):
        definitions.move_indicator(ws, JOBS, to_index=4)
    with pytest.raises(TypeError):
        definitions.move_indicator(ws, JOBS)


# ------------------------------------------------------------------ boxes and the plan


def test_update_box_title_and_notes(ws):
    before, values = ws.plan(), ws.actuals()
    change = definitions.update_box(ws, "专栏2", title="“十四五”主要指标", footnotes=["注：[]内为五年累计数。", " ", "注：2020年为预计数。"])
    assert ws.plan().box("专栏2") == replace(before.box("专栏2"), title="“十四五”主要指标",
                                           footnotes=("注：[]内为五年累计数。", "注：2020年为预计数。"))
    assert change.label == "修改 专栏2 的标题、注"
    assert {f for _, f, _, _ in defines(ws, change.label)} == {"专栏2.title", "专栏2.footnotes"}
    assert_undo_redo(ws, change, before, values)


def test_update_plan_header(ws):
    before, values = ws.plan(), ws.actuals()
    change = definitions.update_plan(ws, title="新邵县人社“十四五”规划", wenhao="新政办发〔2021〕12号",
                                     issuer="新邵县人民政府办公室", region_code="４３０５２２", end_year=2026)
    assert ws.plan() == replace(before, title="新邵县人社“十四五”规划", wenhao="新政办发〔2021〕12号",
                                issuer="新邵县人民政府办公室", end_year=2026)
    assert change.definitions == (DefinitionChange("plan", "", PlanHeader.of(before), PlanHeader.of(ws.plan())),)
    assert change.label == "修改规划的标题、结束年份、文号、印发单位"
    assert ("plan.end_year", "2025", "2026") in [r[1:] for r in defines(ws, change.label)]
    assert_undo_redo(ws, change, before, values)


@pytest.mark.parametrize(
    ("fields", "error", "message"),
    [
        ({"end_year": 2020}, ValueRefused, "规划期结束年份 2020 早于开始年份 2021"),
        ({"base_year": 2021}, ValueRefused, "基期年份 2021 应早于规划期开始年份 2021"),
        ({"end_year": 2031}, ValueRefused, "共 11 年，超过 10 年"),
        ({"region_code": "990101"}, RegionError, "“990101”的省级前缀“99”不存在"),
        ({"title": " "}, ValueRefused, "标题不能为空"),
        ({"end_year": 2021}, ValueRefused, "2022年 的数值将落在规划期外"),
        ({"start_year": 2022, "base_year": 2021}, ValueRefused, "规划期改为 2022—2025 年后，2021年 的数值"),
    ],
)
def test_update_plan_refusals_store_nothing(ws, path, fields, error, message):
    before = path.read_bytes()
    with pytest.raises(error) as refused:
        definitions.update_plan(ws, **fields)
    assert message in refused.value.message
    assert path.read_bytes() == before


def test_plan_properties_one_change(ws):
    definitions.set_plan_properties(ws, {"填报单位": "新邵县人社局", "负责人": "张三"})
    before, values = ws.plan(), ws.actuals()
    change = definitions.set_plan_properties(ws, {"填报单位": "", "负责人": "王五", "填报人": "赵六", "联系电话": "0739-3612345"})
    assert ws.plan().properties == (("负责人", "王五"), ("填报人", "赵六"), ("联系电话", "0739-3612345"))
    assert change.label == "修改 填报单位、负责人、填报人、联系电话"
    assert defines(ws, change.label) == [
        (None, "填报单位", "新邵县人社局", None), (None, "负责人", "张三", "王五"),
        (None, "填报人", None, "赵六"), (None, "联系电话", None, "0739-3612345")]
    assert_undo_redo(ws, change, before, values)  # 填报单位 comes back first, where it was
    assert definitions.set_plan_properties(ws, {"负责人": "王五"}).is_empty


def test_single_property_is_undoable(ws):
    before = ws.plan()
    change = actions.set_plan_property(ws, "负责人", "王五")
    assert change.definitions == (DefinitionChange("property", "负责人", None, "王五", 0),)
    actions.apply_change(ws, change.inverse())
    assert ws.plan() == before


# ------------------------------------------------------------------- Change and others


def test_change_inverse_reverses_definitions():
    a = DefinitionChange("indicator", "x", None, "n", 3)
    b = DefinitionChange("catalogue", "", "1", "1+local.1")
    cell = CellChange("x", 2021, None, Actual("x", 2021, Decimal(1), Nature.ANNUAL))
    change = Change("添加指标 x", (cell,), definitions=(a, b))
    assert change.definition_changed and not change.is_empty
    assert change.inverse() == Change(
        "撤销 添加指标 x", (CellChange("x", 2021, cell.new, None),),
        definitions=(DefinitionChange("catalogue", "", "1+local.1", "1"), DefinitionChange("indicator", "x", "n", None, 3)),
    )
    assert Change("x").is_empty and not Change("x", lock_changed=True).is_empty
    with pytest.raises(ValueError):
        DefinitionChange("colour", "", None, None)


def test_lock_and_unlock_say_so(ws):
    assert actions.lock_year(ws, 2021).lock_changed
    assert actions.lock_year(ws, 2021).is_empty
    assert actions.unlock_year(ws, 2021, reason="更正").lock_changed


def test_read_only_workspace_refuses_definition_edits(ws, path):
    with Workspace.open(path, read_only=True) as other:
        with pytest.raises(ReadOnly):
            definitions.update_indicator(other, JOBS, name="改名")
        with pytest.raises(ReadOnly):
            definitions.add_indicator(other, "专栏2", name="甲")


def test_a_unit_is_not_changed_under_stored_values(ws):
    """万人 → 人 would turn 4.9 万人 into 4.9 人, a reported year too (found by a GUI review);
    refused while values exist, with how many and which years; a unit without values changes."""
    before = ws.plan()
    with pytest.raises(ValueRefused, match=r"城镇新增就业人数”已有 2 个数值（2021—2022 年），单位从“万人”改为“人”"):
        definitions.update_indicator(ws, JOBS, unit="人")
    assert ws.plan() == before
    change = definitions.update_indicator(ws, REGISTERED, unit="‰", target_text="45以内")
    assert ws.plan().indicator(REGISTERED).unit == "‰" and change.definitions


def test_a_plan_with_values_does_not_move_to_another_province(ws):
    with pytest.raises(ValueRefused, match="行政区划代码 440522 属于广东省.*不能改到另一个省份"):
        definitions.update_plan(ws, region_code="440522")
    assert ws.plan().region_code == "430522"
    definitions.update_plan(ws, region_code="430523", region_name="邵阳县")  # within the province: fine
    assert (ws.plan().region_code, ws.plan().region_name) == ("430523", "邵阳县")
