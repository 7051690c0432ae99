"""A workspace's plan definition saved as a template file, shared, and used for 新建."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from desktop.cli import main
from desktop.intake.apply import import_table
from desktop.intake.problems import IntakeRefused
from desktop.intake.table import read_table
from desktop.intake.templates import read_template_file, save_template
from desktop.store.create import new_workspace
from desktop.store.workspace import Workspace

from . import bureau_shapes as shapes


@pytest.mark.usefixtures("seeds")
def test_an_imported_plan_saved_as_a_template_makes_the_same_plan(tmp_path):
    with new_workspace(tmp_path / "a.sqlite", template="jl-zl3", region_code="220000", region_name="吉林省") as ws:
        import_table(ws, read_table(shapes.write_zhejiang_t2(tmp_path / "t2.xlsx")))
        plan = ws.plan()
        path = save_template(plan, [], tmp_path / "my", template_id="jl-local")
    assert path.suffix == ".json" and read_template_file(path)["id"] == "jl-local"
    with new_workspace(tmp_path / "b.sqlite", template=str(path), region_code="220100", region_name="长春市") as other:
        copy = other.plan()
        assert [(i.code, i.name, i.target.text, i.base_text, i.kind) for i in copy.indicators] == \
            [(i.code, i.name, i.target.text, i.base_text, i.kind) for i in plan.indicators]
        assert [b.label for b in copy.boxes] == [b.label for b in plan.boxes]


def test_a_bad_template_file_is_refused_with_its_name(tmp_path):
    bad = tmp_path / "坏模板.json"
    bad.write_text('{"format": "planledger-template/1", "id": "x", "plan": {}, "boxes": []}', encoding="utf-8")
    with pytest.raises(IntakeRefused) as err:
        read_template_file(bad)
    assert "坏模板.json" in err.value.message
    other = tmp_path / "other.json"
    other.write_text(json.dumps({"hello": 1}), encoding="utf-8")
    with pytest.raises(IntakeRefused) as err:
        read_template_file(other)
    assert "不是规划模板" in err.value.message


def test_cli_save_template_and_new_from_it(tmp_path):
    ws = tmp_path / "ws.sqlite"
    assert main(["new", str(ws), "--template", "sy-zl2", "--region", "430522", "--region-name", "新邵县"]) == 0
    out = tmp_path / "county.json"
    assert main(["save-template", str(ws), "--out", str(out), "--id", "xs-2025", "--title", "新邵县模板",
                 "--description", "县级", "--with-values"]) == 0
    assert json.loads(out.read_text(encoding="utf-8"))["title"] == "新邵县模板"
    assert main(["new", str(tmp_path / "n.sqlite"), "--template", str(out), "--region", "430523",
                 "--region-name", "邵阳县"]) == 0
    with Workspace.open(tmp_path / "n.sqlite", read_only=True) as n:
        assert n.plan().region_name == "邵阳县" and n.plan().indicator("sy-zl2-01") is not None


def test_the_new_dialog_lists_a_template_file(qtbot, tmp_path: Path):
    pytest.importorskip("PySide6.QtWidgets")
    from desktop.ui.files import NewWorkspaceDialog

    with new_workspace(tmp_path / "ws.sqlite", template="zj-t2", region_code="330000", region_name="浙江省") as ws:
        path = save_template(ws.plan(), [], tmp_path / "shared.json", template_id="zj-shared", title="浙江共享模板")
    dialog = NewWorkspaceDialog(folder=tmp_path)
    qtbot.addWidget(dialog)
    assert dialog.add_template_file(path)
    assert dialog.template == str(path) and dialog.preview.rowCount() == 16
    dialog.code.setText("330100")
    dialog.name.setText("杭州市")
    dialog.accept()
    assert dialog.workspace is not None and dialog.workspace.plan().region_name == "杭州市"
    dialog.workspace.close()
