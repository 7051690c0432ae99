"""`planledger indicator` and `planledger history`: the dialog's definition edit and the
detail panel's 修改记录, from the command line."""
from __future__ import annotations

from pathlib import Path

from desktop.cli import main
from desktop.store.workspace import Workspace


def _new(tmp_path: Path) -> Path:
    path = tmp_path / "c.sqlite"
    assert main(["new", str(path), "--template", "sy-zl2", "--region", "430522", "--region-name", "新邵县"]) == 0
    return path


def test_indicator_edits_the_target_and_history_lists_it(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    path = _new(tmp_path)
    assert main(["indicator", str(path), "--indicator", "城镇新增", "--target", "[>25]"]) == 0
    assert "已保存：修改指标 城镇新增就业人数 的目标值" in capsys.readouterr().err
    with Workspace.open(path, read_only=True) as ws:
        target = ws.plan().indicator("sy-zl2-01").target
    assert (target.text, target.value) == ("[>25]", 25)
    assert main(["set", str(path), "--indicator", "sy-zl2-01", "--year", "2021", "--value", "4.8"]) == 0
    capsys.readouterr()
    assert main(["history", str(path), "--indicator", "城镇新增"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert "修改定义" in out[2] and "城镇新增就业人数" in out[2]
    assert out[3].split()[3:7] == ["填写", "城镇新增就业人数", "2021", "数值"] and "4.8" in out[3]


def test_bad_definitions_are_refused_and_nothing_is_stored(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    path = _new(tmp_path)
    capsys.readouterr()
    cases = [
        (["--indicator", "城镇新增", "--target", "[>abc"], "目标值“[>abc”无法识别"),
        (["--indicator", "城镇新增"], "请至少给出一项要修改的定义"),
        (["--indicator", "基本养老保险参保率", "--rule", "比率", "--numerator", "sy-zl2-02"], "单位是“%”"),
        (["--indicator", "基本养老保险参保率", "--numerator", "nope"], "分子指标“nope”不存在"),
        (["--indicator", "没有这个指标", "--unit", "人"], "没有"),
        (["--indicator", "城镇新增", "--rule", "平均"], "汇总规则“平均”无效"),
    ]
    for args, message in cases:
        assert main(["indicator", str(path), *args]) == 2, args
        assert message in capsys.readouterr().err, args
    with Workspace.open(path, read_only=True) as ws:
        assert [e.action for e in ws.audit()] == ["create"]


def test_settings_band_changes_the_judgement_and_refuses_bad_values(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    import json

    path = _new(tmp_path)
    for year, value in (("2021", "4.8"), ("2022", "5"), ("2023", "5.2")):
        assert main(["set", str(path), "--indicator", "sy-zl2-01", "--year", year, "--value", value]) == 0
    capsys.readouterr()
    assert main(["settings", str(path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"band_points": 5.0}

    def status() -> str:
        assert main(["show", str(path), "--year", "2023", "--json"]) == 0
        return next(i for i in json.loads(capsys.readouterr().out)["indicators"] if i["code"] == "sy-zl2-01")["status"]

    assert status() == "基本符合"  # 63.8 % against 60 % ± 5
    assert main(["settings", str(path), "--band", "3%"]) == 0
    assert "±3 个百分点" in capsys.readouterr().err
    assert status() == "快于序时"  # 63.8 > 60 + 3
    for bad, message in (("abc", "不是数字"), ("0", "超出范围"), ("25", "超出范围")):
        assert main(["settings", str(path), "--band", bad]) == 2
        assert message in capsys.readouterr().err
    with Workspace.open(path, read_only=True) as ws:
        assert [(e.old_value, e.new_value) for e in ws.audit() if e.action == "setting"] == [("5", "3")]
