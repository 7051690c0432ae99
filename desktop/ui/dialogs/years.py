"""标记为已上报 / 撤回上报: which year, and (for 撤回) why — the reason goes into the audit."""
from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QPlainTextEdit, QWidget


class LockDialog(QDialog):
    def __init__(self, years: list[int], locked: set[int], default: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("标记为已上报")
        form = QFormLayout(self)
        form.addRow(QLabel("标记后，该年的数值不能再修改；如需修改须先撤回上报（撤回会记录原因）。"))
        self.year = QComboBox()
        for y in years:
            self.year.addItem(f"{y}年" + ("（已上报）" if y in locked else ""), y)
        if default in years:
            self.year.setCurrentIndex(years.index(default))
        self.note = QLineEdit()
        self.note.setPlaceholderText("如：已于某月某日报送市人社局")
        form.addRow("年份：", self.year)
        form.addRow("备注：", self.note)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def chosen(self) -> tuple[int, str]:
        return int(self.year.currentData()), self.note.text().strip()


class UnlockDialog(QDialog):
    def __init__(self, locked: list[int], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("撤回上报")
        form = QFormLayout(self)
        form.addRow(QLabel("撤回后该年数值可再次修改。撤回的人员、时间和原因将记入修改记录。"))
        self.year = QComboBox()
        for y in locked:
            self.year.addItem(f"{y}年", y)
        self.reason = QPlainTextEdit()
        self.reason.setObjectName("unlockReason")
        self.reason.setPlaceholderText("撤回原因（必填）")
        self.reason.setFixedHeight(70)
        self.error = QLabel()
        self.error.setStyleSheet("color:#b00000;")
        form.addRow("年份：", self.year)
        form.addRow("原因：", self.reason)
        form.addRow(self.error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)

    def accept(self) -> None:
        if not self.reason.toPlainText().strip():
            self.error.setText("请填写撤回原因")
            return
        super().accept()

    def chosen(self) -> tuple[int, str]:
        return int(self.year.currentData()), self.reason.toPlainText().strip()
