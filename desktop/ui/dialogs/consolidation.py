"""汇总: the consolidation of the regions' latest submissions for one report year.

The dialog only shows a ``desktop.exchange.Consolidation``: every value, 完成进度 and 评估结论
comes from it (the same progress module as a county's), never from arithmetic here. Computing
and writing are callables given by ``desktop.ui.exchange_menu`` (background thread, the window's
refresh), so the dialog knows nothing about threads or the main window.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QGroupBox, QHBoxLayout, QLabel, QListWidget,
                               QPushButton, QSplitter, QTabWidget, QVBoxLayout, QWidget)

from desktop.domain.progress import number_text, percent_text
from desktop.exchange import Consolidation, IndicatorConsolidation, RegionValues
from desktop.exchange.consolidate import NOT_SUMMABLE_STATUS

from ..grid_model import STATUS_COLOURS
from .exchange_views import fill_table, fit_columns, make_table

INDICATOR_HEADERS = ("指标", "单位", "汇总规则", "汇总值", "当前值", "完成进度", "评估结论", "已报地区")
REGION_HEADERS = ("地区", "区划代码", "数值", "数据性质")


def indicator_row(ind: IndicatorConsolidation) -> list[str]:
    """The texts of one indicator's row (formatting only: the figures are the result's)."""
    current = ind.assessment.current if ind.assessment is not None else None
    return [
        ind.name, ind.unit, ind.rule.label,
        number_text(ind.value) if ind.value is not None else "—",
        number_text(current) if current is not None else "—",
        percent_text(ind.completion), ind.status or "—", str(len(ind.regions)),
    ]


def region_rows(ind: IndicatorConsolidation) -> list[list[str]]:
    return [
        [r.name, r.code, number_text(r.value) if r.value is not None else (r.status or "—"),
         r.nature.value if r.nature is not None else "—"]
        for r in ind.regions
    ]


class ConsolidationDialog(QDialog):
    """``compute(year)`` returns the Consolidation (or None when refused: it said why);
    ``write(result)`` stores it and returns True when written."""

    def __init__(self, years: Sequence[int], year: int, compute: Callable[[int], Consolidation | None],
                 write: Callable[[Consolidation], bool] | None = None, parent: QWidget | None = None,
                 *, read_only_reason: str | None = None,
                 compare: Callable[[RegionValues, int], object] | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("consolidationDialog")
        self.setWindowTitle("汇总下级报送")
        self.compute, self.write, self.compare = compute, write, compare
        self.result: Consolidation | None = None

        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(QLabel("汇总年份："))
        self.year_combo = QComboBox()
        self.year_combo.setObjectName("consolidationYear")
        for y in years:
            self.year_combo.addItem(f"{y}年", y)
        if year in years:
            self.year_combo.setCurrentIndex(list(years).index(year))
        top.addWidget(self.year_combo)
        self.info = QLabel()
        self.info.setObjectName("consolidationInfo")
        self.info.setWordWrap(True)
        top.addWidget(self.info, 1)
        layout.addLayout(top)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("consolidationTabs")
        self.indicators = make_table(INDICATOR_HEADERS, "consolidationTable", stretch=0)
        self.indicators.horizontalHeaderItem(2).setToolTip("按规划定义中每个指标的汇总规则（比率不平均，不可汇总的分地区列示）")
        self.indicators.horizontalHeaderItem(3).setToolTip("各地区报送年份数值按汇总规则合并的结果")
        self.indicators.horizontalHeaderItem(4).setToolTip("进度模块按汇总值计算的当前值（累计类指标为规划期累计）")
        self.regions = make_table(REGION_HEADERS, "regionTable")
        self.regions_box = QGroupBox("分地区数值")
        box_layout = QVBoxLayout(self.regions_box)
        box_layout.setContentsMargins(6, 6, 6, 6)
        box_layout.addWidget(self.regions)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.indicators)
        split.addWidget(self.regions_box)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        split.setSizes([420, 180])
        self.tabs.addTab(split, "指标汇总")
        self.submitted = make_table(("地区", "区划代码", "版本", "数据指纹"), "submittedTable")
        page = QWidget()
        page_layout = QVBoxLayout(page)
        page_layout.setContentsMargins(0, 0, 0, 0)
        page_layout.addWidget(self.submitted, 1)
        self.compare_button = QPushButton("与上一版比较")
        self.compare_button.setObjectName("compareVersions")
        self.compare_button.setToolTip("重新报送的地区：列出最新一版与上一版之间变化的数值")
        self.compare_button.setVisible(compare is not None)
        self.compare_button.setEnabled(False)
        self.compare_button.clicked.connect(self._compare)
        row = QHBoxLayout()
        row.addWidget(QLabel("汇总使用每个地区该年份最新的一版；之前的版本保留。"), 1)
        row.addWidget(self.compare_button)
        page_layout.addLayout(row)
        self.submitted.currentCellChanged.connect(lambda r, *_: self._submission_chosen(r))
        self.tabs.addTab(page, "已报送")
        self.missing = make_table(("地区", "区划代码"), "missingTable")
        self.tabs.addTab(self.missing, "未报送")
        self.warnings = QListWidget()
        self.warnings.setObjectName("warningList")
        self.warnings.setWordWrap(True)
        self.warnings.setSpacing(3)
        self.warnings.setAlternatingRowColors(True)
        self.tabs.addTab(self.warnings, "提示")
        layout.addWidget(self.tabs, 1)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.write_button = QPushButton("写入汇总值")
        self.write_button.setObjectName("writeConsolidation")
        tip = "把汇总值写入本级工作簿（一次完成；每个改变的数值记入修改记录），之后可导出本级报送文件报给上级"
        if read_only_reason:
            tip = f"只读：{read_only_reason}，不能写入"
        self.write_button.setToolTip(tip)
        self.write_button.setVisible(write is not None)
        self.write_button.clicked.connect(self._write)
        buttons.addButton(self.write_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

        self.indicators.currentCellChanged.connect(lambda row, *_: self._show_regions(row))
        self.year_combo.currentIndexChanged.connect(lambda _i: self.load(int(self.year_combo.currentData())))
        self.resize(1080, 680)
        self.load(year)

    # ------------------------------------------------------------------ content

    @property
    def year(self) -> int:
        return int(self.year_combo.currentData())

    def load(self, year: int) -> None:
        result = self.compute(year)
        self.show_result(result)

    def show_result(self, result: Consolidation | None) -> None:
        self.result = result
        self.write_button.setEnabled(result is not None and bool(result.submissions))
        if result is None:
            self.info.setText("无法汇总该年份。")
            for t in (self.indicators, self.regions, self.submitted, self.missing):
                t.setRowCount(0)
            self.warnings.clear()
            return
        plan = result.plan
        self.info.setText(
            f"{plan.region_name}（{plan.region_code}）{result.year} 年：已报送 {len(result.submissions)} 个地区，"
            f"未报送 {len(result.missing_regions)} 个"
            + ("。尚未导入该年份的报送文件。" if not result.submissions else
               "。有地区未报送，汇总值和完成进度只含已报送的地区。" if result.missing_regions else "")
        )
        fill_table(self.indicators, [indicator_row(i) for i in result.indicators], right=(3, 4, 5, 7))
        for r, ind in enumerate(result.indicators):
            colour = STATUS_COLOURS.get(ind.status)
            if colour:
                self.indicators.item(r, 6).setBackground(QBrush(QColor(colour)))
            if ind.status == NOT_SUMMABLE_STATUS:
                self.indicators.item(r, 6).setForeground(QBrush(QColor("#666666")))
            self.indicators.item(r, 0).setToolTip(f"{ind.name}（{ind.code}）")
            if ind.assessment is not None and ind.assessment.basis:
                self.indicators.item(r, 5).setToolTip(ind.assessment.basis)
        self.indicators.horizontalHeaderItem(3).setText(f"{result.year}年汇总值")
        fit_columns(self.indicators, (None, 70, 180, 100, 90, 80, 80, 70))
        fill_table(self.submitted, [[s.name, s.code, f"第 {s.version} 版", s.fingerprint] for s in result.submissions])
        fit_columns(self.submitted, (160, 90, 70, None))
        fill_table(self.missing, [[name, code] for code, name in result.missing_regions])
        fit_columns(self.missing, (200, None))
        self.warnings.clear()
        self.warnings.addItems(result.warnings)
        self.tabs.setTabText(1, f"已报送（{len(result.submissions)}）")
        self.tabs.setTabText(2, f"未报送（{len(result.missing_regions)}）")
        self.tabs.setTabText(3, f"提示（{len(result.warnings)}）")
        if result.indicators:
            self.indicators.setCurrentCell(0, 0)
            self._show_regions(0)

    def indicator(self, code: str) -> IndicatorConsolidation | None:
        if self.result is None:
            return None
        return next((i for i in self.result.indicators if i.code == code), None)

    def select_indicator(self, code: str) -> None:
        if self.result is None:
            return
        for r, ind in enumerate(self.result.indicators):
            if ind.code == code:
                self.indicators.setCurrentCell(r, 0)
                self._show_regions(r)
                return

    def _show_regions(self, row: int) -> None:
        if self.result is None or not 0 <= row < len(self.result.indicators):
            self.regions.setRowCount(0)
            return
        ind = self.result.indicators[row]
        self.regions_box.setTitle(f"分地区数值：{ind.name}（{self.result.year}年，{ind.unit or '无单位'}）")
        fill_table(self.regions, region_rows(ind), right=(2,))
        fit_columns(self.regions, (200, 100, 120, None))

    def rows(self, table_name: str = "consolidationTable") -> list[list[str]]:
        """The texts of one of the dialog's tables (tests)."""
        t = self.findChild(type(self.indicators), table_name)
        return [[t.item(r, c).text() for c in range(t.columnCount())] for r in range(t.rowCount())]

    def _chosen_submission(self) -> RegionValues | None:
        r = self.submitted.currentRow()
        if self.result is None or not 0 <= r < len(self.result.submissions):
            return None
        return self.result.submissions[r]

    def _submission_chosen(self, _row: int) -> None:
        s = self._chosen_submission()
        self.compare_button.setEnabled(s is not None and s.version > 1)

    def _compare(self) -> None:
        s = self._chosen_submission()
        if self.compare is not None and s is not None and s.version > 1:
            self.compare(s, self.year)

    # ------------------------------------------------------------------ write

    def _write(self) -> None:
        if self.write is not None and self.result is not None and self.write(self.result):
            self.load(self.year)  # what is stored now
