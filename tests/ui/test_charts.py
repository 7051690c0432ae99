"""The pyqtgraph charts built offscreen: what they draw, their PNG / SVG export, the detail
panel's chart, the 总览 tab (a click selects the indicator in the grid)."""
from __future__ import annotations

import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from decimal import Decimal as D
from pathlib import Path

import pytest

from desktop.domain.model import Actual, IndicatorCode, Rule
from desktop.domain.series import comparison_series, indicator_series, overview_series
from desktop.store import actions

pytest.importorskip("PySide6.QtWidgets")
from PySide6.QtCore import QPointF, Qt  # noqa: E402

SVG = "{http://www.w3.org/2000/svg}"


def _values(ws) -> None:  # noqa: ANN001
    for code, values in {"sy-zl2-01": ("4.8", "5.0", "5.2"), "sy-zl2-02": ("5.2", "5.6", "5.3"),
                         "sy-zl2-07": ("33.2", "33.4", "33.5")}.items():
        for i, v in enumerate(values):
            actions.set_actual(ws, code, 2021 + i, D(v))


@pytest.fixture
def plan_values(ws_path: Path):
    from desktop.store.workspace import Workspace

    with Workspace.open(ws_path) as ws:
        _values(ws)
        return ws.plan(), ws.actuals()


def _series(plan, values, code: str, year: int = 2023):  # noqa: ANN001
    ind = plan.indicator(code)
    return indicator_series(ind, values.get(code, {}), year, base_year=plan.base_year, end_year=plan.end_year)


def test_indicator_chart_of_a_cumulative_indicator(qtbot, plan_values) -> None:  # noqa: ANN001
    from desktop.ui.charts import IndicatorChart

    plan, values = plan_values
    chart = IndicatorChart()
    qtbot.addWidget(chart)
    chart.show_series(_series(plan, values, "sy-zl2-01"))
    assert {"bars", "running", "running_points", "schedule", "target", "projection", "year_mark"} <= set(chart.items)
    assert "values" not in chart.items
    assert chart.items["year_mark"].value() == 2023
    assert chart.items["target"].value() == pytest.approx(23.5)
    assert list(chart.items["running"].getData()[1]) == pytest.approx([4.8, 9.8, 15.0])
    assert chart.items["running_points"].data["data"].tolist()[2].startswith("2023年：累计 15万人")
    assert [name.text for _sample, name in chart.legend.items] == ["序时进度线", "当年完成", "累计完成", "趋势预测"]
    assert "累计 / 当年（万人）" in chart.plot.getAxis("left").labelText
    assert "基本符合" in chart.status.text and "预计可完成" in chart.status.text


def test_indicator_chart_ceiling_and_bad_inputs(qtbot, plan_values) -> None:  # noqa: ANN001
    from desktop.ui.charts import IndicatorChart

    plan, values = plan_values
    chart = IndicatorChart()
    qtbot.addWidget(chart)
    chart.show_series(_series(plan, values, "sy-zl2-02"))
    assert chart.items["over"] == [2022] and "schedule" not in chart.items
    chart.show_series(_series(plan, values, "sy-zl2-08"))  # no actuals
    assert chart.items["message"].toPlainText() == "无数据" and "values" not in chart.items
    one = {"sy-zl2-06": {2021: Actual(IndicatorCode("sy-zl2-06"), 2021, D(84))}}
    chart.show_series(_series(plan, one, "sy-zl2-06"))
    assert "projection" not in chart.items and "仅有一年数据" in chart.status.text
    chart.show_series(None)
    assert chart.items == {}


def test_overview_chart_and_its_click(qtbot, plan_values) -> None:  # noqa: ANN001
    from desktop.ui.charts import OverviewChart

    plan, values = plan_values
    chart = OverviewChart()
    qtbot.addWidget(chart)
    chart.resize(900, 600)
    chart.show()
    chart.show_series(overview_series(plan, values, 2023))
    assert {"track", "bars", "labels", "time_progress"} <= set(chart.items)
    assert chart.items["time_progress"].value() == pytest.approx(60.0)
    assert len(chart.items["labels"]) == len(plan.indicators)
    assert chart.items["labels"][0].toPlainText() == "63.8%  基本符合"
    assert chart.items["labels"][1].toPlainText() == "未达标"
    ticks = chart.plot.getAxis("left")._tickLevels[0]
    assert ticks[6][1].startswith("▲7.")  # 约束性 marked
    qtbot.waitUntil(lambda: chart.plot.vb.width() > 0)
    clicked: list[str] = []
    chart.indicatorClicked.connect(clicked.append)
    row_7 = chart.plot.vb.mapViewToScene(QPointF(30, 6))  # the 7th row, 失业保险参保人数
    assert chart.row_at(row_7) == 6
    assert chart.row_at(chart.plot.vb.mapViewToScene(QPointF(30, 99))) is None

    class Click:
        def button(self):  # noqa: ANN202
            return Qt.MouseButton.LeftButton

        def scenePos(self):  # noqa: ANN202, N802
            return row_7

    chart._clicked(Click())
    assert clicked == ["sy-zl2-07"]


def test_region_comparison_chart(qtbot) -> None:  # noqa: ANN001
    from desktop.ui.charts import RegionComparisonChart

    @dataclass(frozen=True)
    class Region:
        code: str
        name: str
        value: D | None

    @dataclass(frozen=True)
    class Item:
        code: str = "sy-zl2-02"
        name: str = "城镇调查失业率"
        unit: str = "%"
        rule: Rule = Rule.MAX
        value: D | None = D("5.6")
        status: str = ""
        regions: tuple = (Region("430522", "新邵县", D("5.3")), Region("430521", "邵东市", D("5.6")),
                          Region("430524", "隆回县", None))

    chart = RegionComparisonChart()
    qtbot.addWidget(chart)
    chart.show_consolidation(Item(), 2023, region_name="邵阳市", missing=["武冈市"])
    assert {"bars", "labels", "consolidated"} <= set(chart.items)
    assert [t.toPlainText() for t in chart.items["labels"]] == ["5.6", "5.3", "未报"]
    assert "武冈市" in chart.note.text
    chart.show_series(comparison_series(Item(regions=()), 2023))
    assert "message" in chart.items


@pytest.mark.parametrize("suffix", [".png", ".svg"])
def test_export_png_and_svg(qtbot, plan_values, tmp_path: Path, suffix: str) -> None:  # noqa: ANN001
    from desktop.ui.charts import IndicatorChart, OverviewChart, export_widget

    plan, values = plan_values
    for chart, data in ((IndicatorChart(), _series(plan, values, "sy-zl2-01")),
                        (OverviewChart(), overview_series(plan, values, 2023))):
        qtbot.addWidget(chart)
        chart.resize(800, 480)
        chart.show_series(data)
        out = export_widget(chart, tmp_path / f"{type(chart).__name__}{suffix}")
        raw = out.read_bytes()
        if suffix == ".png":
            from PySide6.QtGui import QImage

            assert raw[:8] == b"\x89PNG\r\n\x1a\n" and len(raw) > 5000
            image = QImage(str(out))
            assert image.width() == 1600 and image.height() == 960
        else:
            root = ET.parse(out).getroot()
            assert root.tag == f"{SVG}svg"
            shapes = [e for e in root.iter() if e.tag in (f"{SVG}path", f"{SVG}polyline", f"{SVG}rect")]
            texts = "".join(e.text or "" for e in root.iter(f"{SVG}text"))
            assert len(shapes) > 20
            assert ("城镇新增就业人数" if isinstance(chart, IndicatorChart) else "序时进度") in texts


def test_export_refuses_other_formats(qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    from desktop.ui.charts import IndicatorChart, export_widget

    chart = IndicatorChart()
    qtbot.addWidget(chart)
    with pytest.raises(ValueError, match=".jpg"):
        export_widget(chart, tmp_path / "x.jpg")


def test_context_menu_export_writes_a_full_size_copy(qtbot, plan_values, tmp_path: Path) -> None:  # noqa: ANN001
    from desktop.ui.charts import IndicatorChart

    plan, values = plan_values
    chart = IndicatorChart(compact=True)
    qtbot.addWidget(chart)
    chart.show_series(_series(plan, values, "sy-zl2-07"))
    assert chart.legend.items == []  # no room in the panel
    target = tmp_path / "chart.svg"
    got = chart.export_dialog("svg", ask=lambda *_a: (str(target), ""))
    assert got == str(target)
    texts = "".join(e.text or "" for e in ET.parse(target).getroot().iter(f"{SVG}text"))
    assert "失业保险参保人数" in texts and "序时进度线" in texts  # title and legend of the full chart


def test_detail_panel_draws_the_selected_indicator(qtbot, window) -> None:  # noqa: ANN001
    _values(window.ws)
    window.model.reload()
    window._refresh_views()
    window.jump_to("sy-zl2-01", 2023)
    qtbot.waitUntil(lambda: window.detail.chart is not None and window.detail.chart.series is not None, timeout=5000)
    assert window.detail.chart.series.code == "sy-zl2-01"
    window.jump_to("sy-zl2-02", 2023)
    qtbot.waitUntil(lambda: window.detail.chart.series.code == "sy-zl2-02", timeout=3000)
    assert window.detail.chart_box.height() <= window.detail.viewport().height()


def test_overview_tab_click_selects_the_indicator(qtbot, window) -> None:  # noqa: ANN001
    assert [window.tabs.tabText(i) for i in range(window.tabs.count())] == ["指标表", "总览"]  # no submissions
    window.tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: window.tabs.overview is not None)
    overview = window.tabs.overview
    assert overview.series.year == window.year and len(overview.series.bars) == len(window.model.plan.indicators)
    overview.indicatorClicked.emit("sy-zl2-07")
    assert window.tabs.currentIndex() == 0
    assert window.current_code() == "sy-zl2-07"
    assert window.model.columns.year_of(window.view.currentIndex().column()) == window.year


def test_the_window_module_does_not_load_pyqtgraph() -> None:
    """Cold start: pyqtgraph (~0.4 s) loads only when a chart is first drawn."""
    import subprocess

    code = ("import sys; import desktop.ui.main_window, desktop.ui.detail_panel, desktop.ui.overview_tab;"
            "print('pyqtgraph' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_void_qt_calls_keep_none_alive() -> None:
    """PySide6 6.12.0 on Python 3.11 dropped a reference to None on every void call (the
    interpreter aborted after a few thousand); pyproject pins it out. Guard the pin."""
    from PySide6.QtGui import QPen

    pen = QPen()
    before = sys.getrefcount(None)
    for _ in range(2000):
        pen.setWidth(2)
    assert abs(sys.getrefcount(None) - before) < 100


def test_svg_fix_closes_paths_the_way_pyqtgraph_can_parse() -> None:
    from desktop.ui.charts.svg_fix import close_paths

    assert close_paths("M0,0 L646.5,0 L646.5,393.7 L0,393.7 L0,0 Z ") == \
        "M0,0 L646.5,0 L646.5,393.7 L0,393.7 L0,0 L0,0"
    assert close_paths("M1,2 L3,4 Z M5,6 C7,8 9,10 11,12 z") == "M1,2 L3,4 L1,2 M5,6 C7,8 9,10 11,12 L5,6"
    assert close_paths("M1,2 L3,4") == "M1,2 L3,4"
    for token in close_paths("M1,2 L3,4 Z M5,6 L7,8 Z").split():  # what pyqtgraph's parser splits
        x, y = token.split(",")
        float(x.lstrip("MLC")), float(y)


def test_indicator_chart_of_a_band_shades_its_interval(qtbot, plan_values, tmp_path: Path) -> None:  # noqa: ANN001
    from dataclasses import replace

    from desktop.domain.model import Comparator, Kind, Target
    from desktop.ui.charts import IndicatorChart

    plan, values = plan_values
    rate = replace(plan.indicator("sy-zl2-02"), kind=Kind.BAND,
                   target=Target("5.5左右", Comparator.APPROX, D("5.5"), approximate=True))
    s = indicator_series(rate, values["sy-zl2-02"], 2023, base_year=plan.base_year, end_year=plan.end_year)
    chart = IndicatorChart()
    qtbot.addWidget(chart)
    chart.show_series(s)
    assert chart.items["band"].getRegion() == pytest.approx((5.225, 5.775))  # 5.5 ± 5 %
    assert chart.items["over"] == [2021]  # 5.2 is below the interval; 5.6 and 5.3 are inside
    assert chart.items["target"].value() == pytest.approx(5.5)
    low, high = chart.plot.viewRange()[1]
    assert low < 5.2 and high > 5.775
    chart.resize(640, 400)
    chart.grab().save(str(tmp_path / "band.png"))


def test_the_overview_axis_keeps_every_bar_readable(qtbot) -> None:
    """A city's 1,436 % (its sum against a county-sized target) and a −9,328 % stay on a −50–200 %
    axis drawn to the edge, their labels give the figures (found by an end-to-end review)."""
    from decimal import Decimal

    from desktop.domain.progress import Status
    from desktop.domain.series import OverviewBar, OverviewSeries
    from desktop.ui.charts import OverviewChart

    bars = tuple(OverviewBar(f"c{i}", name, status, Decimal(v), f"{Decimal(v) * 100:.1f}%", False, name)
                 for i, (name, status, v) in enumerate((("工伤保险参保人数", Status.AHEAD, "14.359"),
                                                         ("补充养老保险基金规模", Status.LAGGING, "-93.28"),
                                                         ("城镇新增就业人数", Status.ON_TRACK, "0.558"))))
    chart = OverviewChart()
    qtbot.addWidget(chart)
    chart.show_series(OverviewSeries(2023, Decimal("0.6"), bars, "总览"))
    assert list(chart.items["bars"].opts["width"]) == [200.0, -50.0, 55.800000000000004]
    (lo, hi), _ = chart.plot.vb.viewRange()
    assert -60 < lo < -50 and 200 < hi < 300
    assert [label.toPlainText() for label in chart.items["labels"]][:2] == ["1435.9%  提前实现", "-9328.0%  滞后"]
