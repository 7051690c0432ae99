"""The 数据 menu's 报送与汇总 actions, without loading ``desktop.exchange`` until one is used
(the window starts faster; ``exchange_menu`` holds the work)."""
from __future__ import annotations

from types import ModuleType
from typing import Any

from PySide6.QtWidgets import QMenu

from .menu_actions import add_actions


def _menu() -> ModuleType:
    from . import exchange_menu

    return exchange_menu


def add_exchange_actions(window: Any, menu: QMenu) -> dict[str, Any]:
    """Append the 报送与汇总 actions to ``menu`` (the window's 数据 menu)."""
    menu.addSeparator()
    rows = (
        ("actExportSubmission", "导出报送文件…", lambda: _menu().export_dialog(window),
         "把本级某一年的数值导出为报送文件（单个文件，含报送清单与数据指纹），报给上级"),
        ("actImportSubmissions", "导入报送文件…", lambda: _menu().import_dialog(window),
         "导入下级报送的文件：逐个核验，坏文件被拒收并说明原因，其余照常导入"),
        ("actImportFolder", "从文件夹导入报送文件…", lambda: _menu().import_dialog(window, folder=True),
         "导入一个文件夹中的全部报送文件"),
        ("actConsolidate", "汇总…", lambda: _menu().consolidation_dialog(window),
         "按每个指标的汇总规则汇总下级报送的数值，查看本级进度，列出未报送地区"),
        ("actDiffSubmissions", "比较两个报送文件…", lambda: _menu().diff_dialog(window),
         "列出两个报送文件之间新增、删除、修改的数值"),
    )
    actions = add_actions(menu, rows[:3])
    menu.addSeparator()
    actions.update(add_actions(menu, rows[3:]))
    window.exchange_actions = actions
    return actions
