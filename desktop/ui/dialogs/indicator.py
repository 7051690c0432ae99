"""编辑指标 / 添加指标: the definition of one indicator row.

The target text is parsed live by the domain (``parse_target``) and its message shown under
the field; the dialog gathers only the fields that changed and hands them to
``definitions.update_indicator`` / ``add_indicator`` through the editor (one undo step).
"""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLayout, QLineEdit,
                               QVBoxLayout, QWidget)

from desktop.domain.errors import NotationError
from desktop.domain.model import Attribute, Comparator, Direction, Indicator, Kind, Plan, Rule, Target
from desktop.domain.notation import format_decimal, parse_target, parse_value

from .common import error_label

AUTO = "（按目标值推断）"
COMPARATOR_WORDS = {
    Comparator.GT: "大于", Comparator.GE: "不低于", Comparator.LT: "小于", Comparator.LE: "不超过",
    Comparator.EQ: "达到", Comparator.APPROX: "左右", Comparator.RANGE: "区间",
}


def target_summary(t: Target) -> str:
    """How the program reads a target: "五年累计 大于 23.5" (shown under the field)."""
    if t.is_none:
        return "无目标值"
    if t.qualitative:
        return "定性目标（状态手工填写）"
    words = []
    if t.cumulative:
        words.append("五年累计")
    if t.aspirational:
        words.append("力争")
    if t.comparator is Comparator.APPROX:
        words.append(f"{format_decimal(t.value)} 左右")  # type: ignore[arg-type]
    elif t.comparator is Comparator.RANGE and t.upper is not None:
        words.append(f"{format_decimal(t.value)}—{format_decimal(t.upper)}")  # type: ignore[arg-type]
    else:
        words.append(f"{COMPARATOR_WORDS.get(t.comparator, '')} {format_decimal(t.value)}".strip())  # type: ignore[arg-type]
    return "理解为：" + " ".join(words)


def _combo(name: str, items: list[tuple[str, object]]) -> QComboBox:
    c = QComboBox()
    c.setObjectName(name)
    for text, data in items:
        c.addItem(text, data)
    return c


def _select(combo: QComboBox, data: object) -> None:
    for i in range(combo.count()):
        if combo.itemData(i) == data:
            combo.setCurrentIndex(i)
            return


class IndicatorDialog(QDialog):
    """``indicator`` None: a new row in ``box``. ``apply(fields, show_error) -> bool`` stores."""

    def __init__(self, plan: Plan, indicator: Indicator | None, *, box: str | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plan = plan
        self.indicator = indicator
        self.box = indicator.box if indicator else (box or (plan.boxes[0].label if plan.boxes else ""))
        self.apply: Callable[[dict[str, object]], bool] | None = None
        self.setWindowTitle(f"编辑指标 — {indicator.name}" if indicator else f"添加指标 — {self.box}")
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        layout.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)
        form = QFormLayout()
        layout.addLayout(form)

        self.name = QLineEdit()
        self.name.setObjectName("nameEdit")
        self.seq = QLineEdit()
        self.seq.setObjectName("seqEdit")
        self.seq.setMaximumWidth(80)
        self.unit = QLineEdit()
        self.unit.setObjectName("unitEdit")
        self.unit.setMaximumWidth(120)
        self.target = QLineEdit()
        self.target.setObjectName("targetEdit")
        self.target.setPlaceholderText("如 [>23.5]、5.5以内、≥91、30%左右、基本覆盖")
        self.target_note = QLabel()
        self.target_note.setObjectName("targetNote")
        self.target_note.setWordWrap(True)
        self.base = QLineEdit()
        self.base.setObjectName("baseEdit")
        self.base.setPlaceholderText("基期值，没有时填 -")
        self.base_error = error_label("baseError")
        self.attribute = _combo("attributeCombo", [(a.value, a.value) for a in Attribute])
        kinds = [(k.label, k.value) for k in Kind]
        dirs = [(d.label + ("（越大越好）" if d is Direction.HIGHER else "（越小越好）"), d.value) for d in Direction]
        self.kind = _combo("kindCombo", ([(AUTO, None)] if indicator is None else []) + kinds)
        self.direction = _combo("directionCombo", ([(AUTO, None)] if indicator is None else []) + dirs)
        rules = [(r.label, r.value) for r in Rule]
        self.rule = _combo("ruleCombo", ([(AUTO, None)] if indicator is None else []) + rules)
        parents = [(i.name, i.code) for i in plan.indicators_of(self.box)
                   if i.parent is None and (indicator is None or i.code != indicator.code)]
        self.parent_combo = _combo("parentCombo", [("（无，独立指标）", "")] + [(f"其中项，属于：{n}", c) for n, c in parents])
        summable = [(f"{i.seq} {i.name}（{i.unit}）".strip(), i.code) for i in plan.indicators
                    if i.unit.strip() not in ("%", "％", "‰") and (indicator is None or i.code != indicator.code)]
        self.numerator = _combo("numeratorCombo", [("（未设定）", "")] + summable)
        self.denominator = _combo("denominatorCombo", [("（未设定）", "")] + summable)
        self.rule.currentIndexChanged.connect(self._rule_changed)
        self.responsible = QLineEdit()
        self.responsible.setObjectName("responsibleEdit")
        self.note = QLineEdit()
        self.note.setObjectName("noteEdit")

        form.addRow("指标名称：", self.name)
        form.addRow("序号：", self.seq)
        form.addRow("单位：", self.unit)
        form.addRow("目标值：", self.target)
        form.addRow("", self.target_note)
        form.addRow("基期值：", self.base)
        form.addRow("", self.base_error)
        form.addRow("属性：", self.attribute)
        form.addRow("计算方式：", self.kind)
        form.addRow("方向：", self.direction)
        form.addRow("上级指标（其中）：", self.parent_combo)
        form.addRow("汇总规则：", self.rule)
        form.addRow("比率分子指标：", self.numerator)
        form.addRow("比率分母指标：", self.denominator)
        form.addRow("责任单位：", self.responsible)
        form.addRow("备注：", self.note)
        self.error = error_label("dialogError")
        self.error.hide()
        layout.addWidget(self.error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

        if indicator is not None:
            self.name.setText(indicator.name)
            self.seq.setText(indicator.seq)
            self.unit.setText(indicator.unit)
            self.target.setText(indicator.target.text)
            self.base.setText(indicator.base_text)
            _select(self.attribute, indicator.attribute.value)
            _select(self.kind, indicator.kind.value)
            _select(self.direction, indicator.direction.value)
            _select(self.rule, indicator.rule.value)
            _select(self.parent_combo, indicator.parent or "")
            parts = indicator.ratio_parts or ("", "")
            _select(self.numerator, parts[0])
            _select(self.denominator, parts[1])
            self.responsible.setText(indicator.responsible)
            self.note.setText(indicator.note)
        for edit in (self.target, self.unit, self.base, self.name):
            edit.textChanged.connect(self.check)
        self._rule_changed()
        self.check()

    def _rule_changed(self) -> None:
        """分子/分母 matter only for the 比率 rule: Σ分子 / Σ分母 when a city consolidates."""
        ratio = self.rule.currentData() == Rule.RATIO.value
        for combo in (self.numerator, self.denominator):
            combo.setEnabled(ratio)
            combo.setToolTip("" if ratio else "汇总规则为“比率”时，选择两个可相加的指标：汇总值 = Σ分子 ÷ Σ分母")

    # ------------------------------------------------------------------ checking

    def check(self) -> bool:
        """Parse the target and base live; the OK button waits for valid input."""
        ok = True
        unit = self.unit.text().strip()
        try:
            target = parse_target(self.target.text().strip(), unit)
            self.target_note.setText(target_summary(target))
            self.target_note.setStyleSheet("color:#2e5e2e;")
        except NotationError as exc:
            self.target_note.setText(exc.message)
            self.target_note.setStyleSheet("color:#b00000;")
            ok = False
        try:
            parse_value(self.base.text().strip(), unit)
            self.base_error.setText("")
        except NotationError as exc:
            self.base_error.setText("基期" + exc.message)
            ok = False
        self.base_error.setVisible(bool(self.base_error.text()))
        for label in (self.target_note, self.base_error):  # a wrapped message must not be clipped
            width = max(self.target.width(), 360)
            label.setMinimumHeight(label.heightForWidth(width) if label.text() else 0)
        if not self.name.text().strip():
            ok = False
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)
        return ok

    def fields(self) -> dict[str, object]:
        """The fields as entered; for an existing indicator only those that changed."""
        values: dict[str, object] = {
            "name": self.name.text().strip(),
            "seq": self.seq.text().strip(),
            "unit": self.unit.text().strip(),
            "target_text": self.target.text().strip(),
            "base_text": self.base.text().strip(),
            "attribute": self.attribute.currentData(),
            "kind": self.kind.currentData(),
            "direction": self.direction.currentData(),
            "parent": self.parent_combo.currentData() or None,
            "rule": self.rule.currentData(),
            "responsible": self.responsible.text().strip(),
            "note": self.note.text().strip(),
        }
        ratio = self.rule.currentData() == Rule.RATIO.value
        values["numerator"] = (self.numerator.currentData() or "") if ratio else ""
        values["denominator"] = (self.denominator.currentData() or "") if ratio else ""
        ind = self.indicator
        if ind is None:  # 分子/分母 are chosen by editing the added indicator
            return {k: v for k, v in values.items()
                    if (v is not None or k == "parent") and k not in ("numerator", "denominator")}
        current: dict[str, object] = {
            "name": ind.name, "seq": ind.seq, "unit": ind.unit, "target_text": ind.target.text,
            "base_text": ind.base_text, "attribute": ind.attribute.value, "kind": ind.kind.value,
            "direction": ind.direction.value, "parent": ind.parent, "rule": ind.rule.value,
            "responsible": ind.responsible, "note": ind.note,
            "numerator": (ind.ratio_parts or ("", ""))[0], "denominator": (ind.ratio_parts or ("", ""))[1],
        }
        return {k: v for k, v in values.items() if v != current[k]}

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))

    def accept(self) -> None:
        if not self.check():
            self.show_error("请先改正标红的内容")
            return
        fields = self.fields()
        if self.indicator is not None and not fields:
            super().accept()
            return
        if self.apply is not None and not self.apply(fields):
            return
        super().accept()
