"""Target decomposition: assign, check the sum, hand a county its pre-filled workspace."""
from __future__ import annotations

from decimal import Decimal

import pytest

from desktop.cli import main
from desktop.domain.errors import NotationError, ValueRefused
from desktop.exchange import export_submission, import_submissions
from desktop.intake.split import check_split, set_split_target, split_export, split_targets
from desktop.store.actions import set_actual
from desktop.store.create import new_workspace
from desktop.store.workspace import Workspace


@pytest.fixture
def city(tmp_path):  # noqa: ANN001, ANN201
    ws = new_workspace(tmp_path / "city.sqlite", template="sy-zl2", region_code="430500", region_name="邵阳市")
    yield ws
    ws.close()


def test_sums_are_checked_for_additive_indicators_only(city):
    set_split_target(city, "sy-zl2-01", "430522", "新邵县", "[>2.5]")
    set_split_target(city, "sy-zl2-01", "430521", "邵东市", "[>21]")
    set_split_target(city, "sy-zl2-02", "430522", "新邵县", "<5.5")  # a rate: never summed
    assert check_split(city.plan(), split_targets(city)) == []
    set_split_target(city, "sy-zl2-01", "430521", "邵东市", "[>20]")
    [p] = check_split(city.plan(), split_targets(city))
    assert "合计 22.5万人" in p.message and "少 1万人" in p.message and p.code == "sy-zl2-01"
    set_split_target(city, "sy-zl2-01", "430521", "", "20")  # not a five-year sum any more
    assert any("写法不一致" in p.message and "邵东市" in p.message for p in check_split(city.plan(), split_targets(city)))
    set_split_target(city, "sy-zl2-01", "430521", "", "")
    assert set(split_targets(city)["sy-zl2-01"]) == {"430522"}


def test_bad_assignments_are_refused(city):
    with pytest.raises(NotationError):
        set_split_target(city, "sy-zl2-01", "430522", "新邵县", ">>2")
    with pytest.raises(ValueRefused):
        set_split_target(city, "sy-zl2-01", "430500", "邵阳市", "2")  # the city itself
    with pytest.raises(ValueRefused):
        set_split_target(city, "sy-zl2-01", "430523", "", "2")  # a new region needs its name


def test_the_county_workspace_is_prefilled_and_consolidates_by_code(city, tmp_path):
    set_split_target(city, "sy-zl2-01", "430522", "新邵县", "[>2.5]")
    set_split_target(city, "sy-zl2-07", "430522", "新邵县", "2.6")
    path, notes = split_export(city, "430522", tmp_path / "xinshao.sqlite")
    assert any("开展各类职业培训人次" in n for n in notes)
    with Workspace.open(path) as county:
        plan = county.plan()
        assert (plan.region_code, plan.region_name) == ("430522", "新邵县") and plan.title.startswith("新邵县")
        targets = {i.code: i.target.text for i in plan.indicators}
        assert targets["sy-zl2-01"] == "[>2.5]" and targets["sy-zl2-07"] == "2.6"
        assert targets["sy-zl2-02"] == "<5.5" and targets["sy-zl2-04"] == "—"
        assert all(i.base is None for i in plan.indicators) and county.actuals() == {}
        assert plan.catalogue_version == city.plan().catalogue_version
        set_actual(county, "sy-zl2-01", 2021, Decimal("0.6"))
        sub = export_submission(county, 2021, tmp_path / "sub.sqlite")
    report = import_submissions(city, [sub])
    assert report.ok and len(report.imported) == 1, report.summary()
    with pytest.raises(ValueRefused):
        split_export(city, "430522", path)  # never overwrites


def test_cli_split_commands(tmp_path, capsys):
    ws = tmp_path / "city.sqlite"
    new_workspace(ws, template="sy-zl2", region_code="430500", region_name="邵阳市").close()
    assert main(["split-set", str(ws), "--indicator", "城镇新增就业人数", "--region", "430522", "--region-name", "新邵县",
                 "--target", "[>23.5]"]) == 0
    assert main(["split-check", str(ws), "--json"]) == 0
    assert main(["split-set", str(ws), "--indicator", "城镇新增就业人数", "--region", "430521", "--region-name", "邵东市",
                 "--target", "[>1]"]) == 0
    assert main(["split-check", str(ws)]) == 1  # 24.5 ≠ 23.5
    assert "多 1万人" in capsys.readouterr().err
    out = tmp_path / "shaodong.sqlite"
    assert main(["split-export", str(ws), "--region", "430521", "--out", str(out)]) == 0
    with Workspace.open(out, read_only=True) as county:
        assert county.plan().indicator("sy-zl2-01").target.text == "[>1]"
