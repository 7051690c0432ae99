"""Region comparison on a real consolidation: two 邵阳 counties imported into the city."""
from __future__ import annotations

import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path

import pytest

from desktop.domain.model import Direction
from desktop.domain.series import comparison_series
from desktop.exchange.consolidate import consolidate
from desktop.exchange.importer import import_submissions
from desktop.store.workspace import Workspace

from .conftest import JOBS, SURVEY
from .test_cli import run


@pytest.fixture
def city_with_counties(city: Path, exported: dict[str, Path]) -> Path:
    with Workspace.open(city) as ws:
        import_submissions(ws, list(exported.values()))
    return city


def test_comparison_series_from_the_consolidation(city_with_counties: Path) -> None:
    with Workspace.open(city_with_counties, read_only=True) as ws:
        result = consolidate(ws, 2023)
    jobs = next(i for i in result.indicators if i.code == JOBS)
    s = comparison_series(jobs, 2023, region_name="邵阳市")
    assert [(b.name, b.value) for b in s.bars] == [("邵阳县", Decimal("2.4")), ("新邵县", Decimal("1.2"))]
    assert s.consolidated == Decimal("3.6") and not s.line and "合计 3.6万人" in s.consolidated_text
    survey = next(i for i in result.indicators if i.code == SURVEY)  # a rate: not summable
    s = comparison_series(survey, 2023, region_name="邵阳市", direction=Direction.LOWER)
    assert [b.name for b in s.bars] == ["邵阳县", "新邵县"] and s.consolidated is None
    assert "不可汇总" in s.consolidated_text


def test_cli_compare_writes_the_chart(city_with_counties: Path, tmp_path: Path) -> None:
    out = tmp_path / "cmp.svg"
    r = run("chart", city_with_counties, "--compare", "城镇调查失业率", "--year", "2023", "--out", out)
    assert r.returncode == 0, r.stderr
    texts = "".join(e.text or "" for e in ET.parse(out).getroot().iter("{http://www.w3.org/2000/svg}text"))
    assert "新邵县" in texts and "邵阳县" in texts and "不可汇总" in texts


def test_city_window_shows_the_comparison_tab(qtbot, city_with_counties: Path, tmp_path: Path) -> None:  # noqa: ANN001
    pytest.importorskip("PySide6.QtWidgets")
    from PySide6.QtCore import QSettings

    from desktop.ui.main_window import MainWindow

    ws = Workspace.open(city_with_counties)
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)  # not the user's recent files
    win = MainWindow(ws, year=2023, settings=settings)
    qtbot.addWidget(win)
    try:
        tabs = win.tabs
        assert [tabs.tabText(i) for i in range(tabs.count())] == ["指标表", "总览", "地区对比"]
        tabs.setCurrentIndex(2)
        assert tabs.comparison is not None and tabs.comparison.series.code == win.model.plan.indicators[0].code
        assert [b.name for b in tabs.comparison.series.bars] == ["邵阳县", "新邵县"]
        tabs.compare_combo.setCurrentIndex(1)
        assert tabs.comparison.series.code == SURVEY
    finally:
        win.ws.close()
