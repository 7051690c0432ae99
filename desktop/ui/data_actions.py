"""The 数据 menu's 从 Excel 导入 and 科室填报表 entries, without loading ``intake_menu`` /
``collect_menu`` (their dialogs, threads and openpyxl) until one is used: the window starts
faster. The work lives in those modules; ``exchange_actions`` does the same for 报送与汇总."""
from __future__ import annotations

from types import ModuleType
from typing import Any

from PySide6.QtWidgets import QMenu

from .menu_actions import add_actions


def _intake() -> ModuleType:
    from . import intake_menu

    return intake_menu


def _collect() -> ModuleType:
    from . import collect_menu

    return collect_menu


def add_collect_actions(window: Any, menu: QMenu) -> dict[str, Any]:
    return add_actions(menu, (
        ("actCollectOut", "生成科室填报表…", lambda: _collect().collect_dialog(window),
         "为每个责任单位生成一份只含其指标的填报表（.xlsx），仅填报单元格可编辑"),
        ("actCollectIn", "收回科室填报表…", lambda: _collect().collect_in_dialog(window),
         "读取科室填回的填报表：校验数值，列出谁填了什么、缺什么、与已有数值的冲突，确认后写入"),
    ))


def add_intake_actions(window: Any, menu: QMenu) -> dict[str, Any]:
    """Append the 从 Excel 导入 actions to ``menu`` (the window's 数据 menu)."""
    menu.addSeparator()
    actions: dict[str, Any] = add_actions(menu, (
        ("actImportTable", "从 Excel 导入规划表…", lambda: _intake().import_table_dialog(window),
         "读取工作簿中的专栏/表（指标、单位、基期值、目标值、属性、分组、注），预览全部问题后导入"),
        ("actImportActuals", "从 Excel/CSV 导入实际值…", lambda: _intake().import_actuals_dialog(window),
         "读取“指标 × 年份”表，按指标代码或名称对应后导入各年实际值"),
    ))
    actions.update(add_collect_actions(window, menu))
    actions.update(add_actions(menu, (
        ("actSplitTargets", "目标分解…", lambda: _intake().split_dialog(window),
         "把指标目标分解给下级地区，核对合计，生成预填目标的下级工作簿"),
        ("actSaveTemplate", "把规划定义另存为模板…", lambda: _intake().save_template_dialog(window),
         "把本台账的专栏、指标和目标另存为模板文件（.json），其他单位可在“新建”中选用"),
    )))
    window.intake_actions = actions
    return actions
