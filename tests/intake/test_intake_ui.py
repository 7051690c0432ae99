"""The GUI import: read in a worker thread, preview with every problem by cell, write on 导入
as one undo step; refused files get a message, not a traceback."""
from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest

pytest.importorskip("PySide6.QtWidgets")

from . import bureau_shapes as shapes  # noqa: E402

LOOK = Path(os.environ.get("INTAKE_LOOK_DIR", "/tmp/intake-look"))


@pytest.fixture(autouse=True)
def _private_settings(tmp_path: Path, qapp):  # noqa: ANN001
    from PySide6.QtCore import QSettings

    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    yield


@pytest.fixture
def window(qtbot, tmp_path: Path):  # noqa: ANN001
    from desktop.store.create import new_workspace
    from desktop.store.workspace import Workspace
    from desktop.ui.main_window import MainWindow

    path = tmp_path / "xinshao.sqlite"
    new_workspace(path, template="jl-zl3", region_code="430522", region_name="新邵县").close()
    ws = Workspace.open(path)
    win = MainWindow(ws, year=2023)
    qtbot.addWidget(win)
    win.resize(1200, 760)
    win.show()
    qtbot.waitExposed(win)
    yield win
    job = getattr(win, "intake_job", None)
    if job is not None:
        job.wait(5000)
    win.ws.close()
    ws.close()


def look(widget, name: str) -> None:  # noqa: ANN001
    """Save what the user sees (for a human look at the layout)."""
    try:
        LOOK.mkdir(parents=True, exist_ok=True)
        widget.grab().save(str(LOOK / name))
    except OSError:
        pass


def wait_preview(qtbot, window):  # noqa: ANN001
    qtbot.waitUntil(lambda: getattr(window, "import_preview", None) is not None, timeout=15000)
    dialog = window.import_preview
    qtbot.waitExposed(dialog)
    return dialog


@pytest.mark.usefixtures("seeds")
def test_import_table_preview_accept_and_undo(qtbot, window, tmp_path):
    from desktop.ui.intake_menu import import_table_dialog

    assert "actImportTable" in window.intake_actions
    path = shapes.write_shaoyang_zl2(tmp_path / "邵阳专栏2.xlsx")
    import_table_dialog(window, path)
    dialog = wait_preview(qtbot, window)
    assert not dialog.import_button.isEnabled()  # 专栏2 of this workspace is a task box
    assert "任务专栏" in dialog.problems.item(dialog.problems.count() - 1).text()
    assert dialog.table.rowCount() >= 14 + 4 + 1  # indicators, 分组 rows, 注
    names = [dialog.table.item(r, 4).text() for r in range(dialog.table.rowCount())]
    assert "城镇新增就业人数" in names and "　其中：农民工参加职业培训人次" in names
    assert window.ws.plan().box("专栏2").is_task_box  # nothing written yet ...
    look(dialog, "import-table-preview-task-box.png")  # ... and this one would overwrite a task box
    dialog.reject()
    window.import_preview = None

    import_table_dialog(window, path, box="专栏6")
    dialog = wait_preview(qtbot, window)
    look(dialog, "import-table-preview.png")
    assert dialog.import_button.isEnabled()
    dialog.accept()
    qtbot.waitUntil(lambda: window.ws.plan().box("专栏6") is not None)
    assert len(window.ws.plan().indicators_of("专栏6")) == 14
    window.stack.undo()
    assert window.ws.plan().box("专栏6") is None
    window.stack.redo()
    assert len(window.ws.plan().indicators_of("专栏6")) == 14


def test_problems_are_listed_by_cell_and_block_the_import(qtbot, window, tmp_path):
    from desktop.ui.intake_menu import import_table_dialog

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["表9　示例指标"])
    ws.append(["序号", "指标名称", "单位", "2020年", "2025年", "属性"])
    ws.append([1, "城镇新增就业人数", "万人", 4.72, ">>23.5", "预期性"])
    ws.append([2, "城镇调查失业率", "%", datetime(2021, 5, 4), "5.5以内", "预期性"])
    ws.append([3, "失业保险参保人数", "万人", "=33+0.04", 34, "约束性"])
    ws.append([4, "工伤保险参保人数", "万人", 54.61, 55, "约束性"])
    wb.save(tmp_path / "bad.xlsx")
    import_table_dialog(window, tmp_path / "bad.xlsx")
    dialog = wait_preview(qtbot, window)
    look(dialog, "import-table-problems.png")
    assert not dialog.import_button.isEnabled()
    listed = [dialog.problems.item(i).text() for i in range(dialog.problems.count())]
    assert any("E3" in t for t in listed) and any("D4" in t and "日期" in t for t in listed)
    assert any("D5" in t and "公式" in t for t in listed)


def test_a_refused_file_gets_a_message(qtbot, window, tmp_path):
    from desktop.ui.intake_menu import import_table_dialog

    (tmp_path / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    import_table_dialog(window, tmp_path / "old.xls")
    qtbot.waitUntil(lambda: getattr(window, "last_box", None) is not None, timeout=10000)
    assert "另存为" in window.last_box.text() and "old.xls" in window.last_box.text()


def test_import_actuals_preview_and_one_undo_step(qtbot, window, tmp_path):
    from desktop.ui.intake_menu import import_actuals_dialog

    csv = tmp_path / "actuals.csv"
    csv.write_text("指标,2021年,2022年,2023年\n职业技能培训人次,20.5,21,22.4\n技工院校招生人数,1.6,1.7,\n"
                   "不知道的指标,1,2,3\n", encoding="utf-8")
    import_actuals_dialog(window, csv)
    dialog = wait_preview(qtbot, window)
    look(dialog, "import-actuals-preview.png")
    assert not dialog.import_button.isEnabled()  # the unknown name blocks it, listed with its cell
    assert any("A4" in dialog.problems.item(i).text() for i in range(dialog.problems.count()))
    dialog.reject()
    window.import_preview = None
    csv.write_text("指标,2021年,2022年,2023年\n职业技能培训人次,20.5,21,22.4\n技工院校招生人数,1.6,1.7,\n", encoding="utf-8")
    import_actuals_dialog(window, csv)
    dialog = wait_preview(qtbot, window)
    assert dialog.import_button.isEnabled()
    dialog.accept()
    code = next(i.code for i in window.ws.plan().indicators if i.name == "职业技能培训人次")
    qtbot.waitUntil(lambda: window.ws.actual(code, 2023) is not None)
    window.stack.undo()
    assert window.ws.actual(code, 2021) is None and window.ws.actual(code, 2023) is None


def test_collect_out_and_in_through_the_menu(qtbot, window, tmp_path):
    import openpyxl as xl

    from desktop.intake.collect import FILL_SHEET, FIRST_ROW, VALUE_COL
    from desktop.ui.collect_menu import collect_dialog, collect_in_dialog

    assert {"actCollectOut", "actCollectIn"} <= set(window.intake_actions)
    paths = collect_dialog(window, tmp_path / "dept", 2023)
    assert paths and window.last_box is not None
    wb = xl.load_workbook(paths[0])
    sheet = wb[FILL_SHEET]
    sheet.cell(FIRST_ROW, VALUE_COL).value = 21.5
    sheet["B4"] = "李四"
    wb.save(paths[0])
    code = sheet.cell(FIRST_ROW, 1).value
    collect_in_dialog(window, paths)
    dialog = wait_preview(qtbot, window)
    look(dialog, "collect-in-preview.png")
    assert dialog.import_button.isEnabled()
    dialog.accept()
    qtbot.waitUntil(lambda: window.ws.actual(code, 2023) is not None)
    window.stack.undo()
    assert window.ws.actual(code, 2023) is None


def test_save_template_from_the_menu(qtbot, window, tmp_path):
    from desktop.intake.templates import read_template_file
    from desktop.ui.intake_menu import save_template_dialog

    assert "actSaveTemplate" in window.intake_actions
    path = save_template_dialog(window, tmp_path / "mine.json")
    assert path is not None and read_template_file(path)["boxes"]
    assert "已把规划定义" in window.last_box.text()


def test_split_targets_dialog(qtbot, tmp_path):
    from desktop.intake.split import set_split_target, split_targets
    from desktop.store.create import new_workspace
    from desktop.store.workspace import Workspace
    from desktop.ui.dialogs.split_targets import SplitTargetsDialog

    with new_workspace(tmp_path / "city.sqlite", template="sy-zl2", region_code="430500", region_name="邵阳市") as ws:
        set_split_target(ws, "sy-zl2-01", "430522", "新邵县", "[>2.5]")
        dialog = SplitTargetsDialog(None, ws)
        qtbot.addWidget(dialog)
        dialog.show()
        assert dialog.code == "sy-zl2-01" and dialog.table.rowCount() == 1
        dialog.add_region("430521", "邵东市", "[>21]")
        assert dialog.save()
        assert split_targets(ws)["sy-zl2-01"]["430521"]["target"] == "[>21]"
        assert "与本级目标一致" in dialog.check.text()  # 2.5 + 21 = 23.5
        dialog.table.item(1, 2).setText("[>20]")
        dialog.save()
        look(dialog, "split-targets.png")
        assert "少 1万人" in dialog.check.text()
        dialog.table.selectRow(1)
        path = dialog.export_selected(tmp_path / "shaodong.sqlite")
        assert path is not None and "已生成" in dialog.check.text()
    with Workspace.open(path, read_only=True) as county:
        assert county.plan().indicator("sy-zl2-01").target.text == "[>20]"
