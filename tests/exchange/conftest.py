"""Two 邵阳 counties with different values, their exported files, and a city workspace."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from desktop.domain.model import Nature
from desktop.exchange import export_submission
from desktop.store import actions
from desktop.store.create import new_workspace
from desktop.store.workspace import Workspace

JOBS = "sy-zl2-01"  # 城镇新增就业人数, 万人, cumulative sum, target [>23.5]
SURVEY = "sy-zl2-02"  # 城镇调查失业率, %, not_summable
PENSION = "sy-zl2-06"  # 基本养老保险参保率, %, ratio
UNEMP_INS = "sy-zl2-07"  # 失业保险参保人数, 万人, level, sum
COUNTIES = {
    "430522": ("新邵县", ("1.0", "1.1", "1.2"), "5.1", "3.5"),
    "430523": ("邵阳县", ("2.0", "2.2", "2.4"), "4.9", "4.25"),
}


def make_county(folder: Path, code: str) -> Path:
    name, jobs, survey, insured = COUNTIES[code]
    path = folder / f"{code}.sqlite"
    with new_workspace(path, template="sy-zl2", region_code=code, region_name=name, user="县填报员") as ws:
        for year, value in zip((2021, 2022, 2023), jobs):
            actions.set_actual(ws, JOBS, year, Decimal(value))
        actions.set_actual(ws, SURVEY, 2023, Decimal(survey))
        actions.set_actual(ws, UNEMP_INS, 2023, Decimal(insured))
        actions.set_actual(ws, JOBS, 2024, Decimal("9"), nature=Nature.ESTIMATE)  # after the report year
    return path


@pytest.fixture
def counties(tmp_path: Path) -> dict[str, Path]:
    folder = tmp_path / "counties"
    folder.mkdir()
    return {code: make_county(folder, code) for code in COUNTIES}


@pytest.fixture
def exported(tmp_path: Path, counties: dict[str, Path]) -> dict[str, Path]:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    out = {}
    for code, path in counties.items():
        with Workspace.open(path) as ws:
            out[code] = export_submission(ws, 2023, inbox)
    return out


@pytest.fixture
def city(tmp_path: Path) -> Path:
    path = tmp_path / "city.sqlite"
    new_workspace(path, template="sy-zl2", region_code="430500", region_name="邵阳市", user="市汇总员").close()
    return path


@pytest.fixture
def good_file(exported: dict[str, Path]) -> Path:
    return exported["430522"]
