"""编辑专栏 (title and 注 lines) and 规划属性 (title, period, base year, region, 文号, and the
cover block of the submission report: 填报单位, 负责人, 填报人, 联系电话)."""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLayout,
                               QLineEdit, QPlainTextEdit, QSpinBox, QVBoxLayout, QWidget)

from desktop.domain.errors import RegionError
from desktop.domain.model import Box, Plan
from desktop.domain.region import parse_region_code

from .common import error_label

COVER_KEYS = ("填报单位", "负责人", "填报人", "联系电话")


def _buttons(dialog: QDialog) -> QDialogButtonBox:
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons


class BoxDialog(QDialog):
    """``apply(title, footnotes, show_error) -> bool`` stores through ``update_box``."""

    def __init__(self, box: Box, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.box = box
        self.apply: Callable[[str, list[str]], bool] | None = None
        self.setWindowTitle(f"编辑专栏 — {box.label}")
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.title = QLineEdit(box.title)
        self.title.setObjectName("boxTitle")
        self.footnotes = QPlainTextEdit("\n".join(box.footnotes))
        self.footnotes.setObjectName("boxFootnotes")
        self.footnotes.setPlaceholderText("每行一条，如：注：[]内为五年累计数。")
        form.addRow("标签：", QLabel(box.label))
        form.addRow("标题：", self.title)
        form.addRow("注（每行一条）：", self.footnotes)
        layout.addLayout(form)
        self.error = error_label("dialogError")
        layout.addWidget(self.error)
        layout.addWidget(_buttons(self))

    def show_error(self, text: str) -> None:
        self.error.setText(text)

    def lines(self) -> list[str]:
        return [line.strip() for line in self.footnotes.toPlainText().splitlines() if line.strip()]

    def accept(self) -> None:
        if self.apply is not None and not self.apply(self.title.text().strip(), self.lines()):
            return
        super().accept()


class PlanDialog(QDialog):
    """``apply(header_changes, properties) -> bool`` stores through ``update_plan`` and
    ``set_plan_properties`` (one undo step)."""

    def __init__(self, plan: Plan, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plan = plan
        self.apply: Callable[[dict[str, object], dict[str, str]], bool] | None = None
        self.setWindowTitle("规划属性")
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        layout.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)

        group = QGroupBox("规划")
        form = QFormLayout(group)
        self.title = QLineEdit(plan.title)
        self.title.setObjectName("planTitle")
        self.start = self._year(plan.start_year, "startYear")
        self.end = self._year(plan.end_year, "endYear")
        self.base = self._year(plan.base_year, "baseYear")
        period = QHBoxLayout()
        period.addWidget(self.start)
        period.addWidget(QLabel("—"))
        period.addWidget(self.end)
        period.addWidget(QLabel("年　基期"))
        period.addWidget(self.base)
        period.addWidget(QLabel("年"))
        period.addStretch(1)
        self.period_error = error_label("periodError")
        self.region_code = QLineEdit(plan.region_code)
        self.region_code.setObjectName("regionCode")
        self.region_code.setMaxLength(12)
        self.region_error = error_label("regionCodeError")
        self.region_name = QLineEdit(plan.region_name)
        self.region_name.setObjectName("regionName")
        self.wenhao = QLineEdit(plan.wenhao)
        self.wenhao.setObjectName("wenhao")
        self.wenhao.setPlaceholderText("如 邵市政办发〔2021〕33号")
        self.issuer = QLineEdit(plan.issuer)
        self.issuer.setObjectName("issuer")
        form.addRow("规划名称：", self.title)
        form.addRow("规划期：", period)
        form.addRow("", self.period_error)
        form.addRow("行政区划代码：", self.region_code)
        form.addRow("", self.region_error)
        form.addRow("行政区划名称：", self.region_name)
        form.addRow("文号：", self.wenhao)
        form.addRow("印发单位：", self.issuer)
        layout.addWidget(group)

        cover = QGroupBox("报送信息（打印在报送报告封面）")
        cform = QFormLayout(cover)
        self.properties: dict[str, QLineEdit] = {}
        for key in COVER_KEYS:
            edit = QLineEdit(plan.property(key))
            edit.setObjectName(f"prop_{key}")
            self.properties[key] = edit
            cform.addRow(f"{key}：", edit)
        layout.addWidget(cover)
        self.error = error_label("dialogError")
        layout.addWidget(self.error)
        self.buttons = _buttons(self)
        layout.addWidget(self.buttons)
        for w in (self.start, self.end, self.base):
            w.valueChanged.connect(self.check)
        self.region_code.textChanged.connect(self.check)
        self.check()

    @staticmethod
    def _year(value: int, name: str) -> QSpinBox:
        box = QSpinBox()
        box.setObjectName(name)
        box.setRange(1949, 2100)
        box.setValue(value)
        return box

    def check(self) -> bool:
        """Live hints; the store decides (its message is shown when it refuses)."""
        ok = True
        try:
            parse_region_code(self.region_code.text())
            self.region_error.setText("")
        except RegionError as exc:
            self.region_error.setText(exc.message)
            ok = False
        start, end, base = self.start.value(), self.end.value(), self.base.value()
        if end < start:
            self.period_error.setText(f"规划期结束年份 {end} 早于开始年份 {start}")
            ok = False
        elif base >= start:
            self.period_error.setText(f"基期年份 {base} 应早于规划期开始年份 {start}")
            ok = False
        else:
            self.period_error.setText("")
        return ok

    def header_changes(self) -> dict[str, object]:
        p = self.plan
        values: dict[str, object] = {
            "title": self.title.text().strip(), "start_year": self.start.value(), "end_year": self.end.value(),
            "base_year": self.base.value(), "region_code": self.region_code.text().strip(),
            "region_name": self.region_name.text().strip(), "wenhao": self.wenhao.text().strip(),
            "issuer": self.issuer.text().strip(),
        }
        return {k: v for k, v in values.items() if v != getattr(p, k)}

    def property_changes(self) -> dict[str, str]:
        return {k: e.text().strip() for k, e in self.properties.items() if e.text().strip() != self.plan.property(k)}

    def show_error(self, text: str) -> None:
        self.error.setText(text)

    def accept(self) -> None:
        header, props = self.header_changes(), self.property_changes()
        if not header and not props:
            super().accept()
            return
        if self.apply is not None and not self.apply(header, props):
            return
        super().accept()
