"""Files: 新建 from a template, 打开, 另存为, 最近打开的文件.

``save_copy`` copies an open workspace with SQLite's backup API into a temporary file beside
the target and renames it into place, so a half-written copy never carries the user's name
(it works for a read-only workspace too). Recent files live in QSettings.
"""
from __future__ import annotations

import os
import secrets
import sqlite3
from pathlib import Path

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import (QAbstractItemView, QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QHBoxLayout,
                               QHeaderView, QLabel, QLineEdit, QListWidget, QListWidgetItem, QPushButton,
                               QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

import resources
from desktop.store.tempfiles import discard
from desktop.domain.errors import PlanLedgerError, RegionError
from desktop.domain.region import PROVINCES, parse_region_code
from desktop.domain.template_format import template_info
from desktop.store.workspace import Workspace

from .recent import MAX_RECENT, RECENT_KEY, RecentFiles  # noqa: F401 - where they used to live

FILE_FILTER = "规划指标台账 (*.sqlite *.db);;所有文件 (*)"


def save_copy(ws: Workspace, target: Path) -> Path:
    """另存为: a consistent copy of ``ws`` at ``target`` (replacing it), via backup + rename."""
    target = Path(target)
    if target.resolve() == ws.path.resolve():
        raise PlanLedgerError("不能另存为正在使用的同一个文件，请换一个文件名")
    if not target.parent.is_dir():
        raise PlanLedgerError(f"文件夹“{target.parent}”不存在")
    temp = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
    try:
        dst = sqlite3.connect(temp)
        try:
            ws.connection.backup(dst)
            dst.execute("PRAGMA journal_mode = DELETE")
        finally:
            dst.close()
        os.replace(temp, target)
    except (OSError, sqlite3.Error) as exc:
        raise PlanLedgerError(f"无法另存为“{target.name}”：{exc}") from exc
    finally:
        discard(temp)
    return target


def documents_dir() -> Path:
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(folder) if folder and Path(folder).is_dir() else Path.home()


def ask_open_path(parent: QWidget) -> Path | None:
    path, _ = QFileDialog.getOpenFileName(parent, "打开台账文件", str(documents_dir()), FILE_FILTER)
    return Path(path) if path else None


def ask_save_path(parent: QWidget, suggestion: Path) -> Path | None:
    path, _ = QFileDialog.getSaveFileName(parent, "另存为", str(suggestion), FILE_FILTER)
    if not path:
        return None
    p = Path(path)
    return p if p.suffix else p.with_suffix(".sqlite")


class NewWorkspaceDialog(QDialog):
    """新建: pick a bundled template (with a preview of its rows), the region and the file."""

    def __init__(self, parent: QWidget | None = None, folder: Path | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("新建台账")
        self.resize(860, 560)
        self.folder = folder or documents_dir()
        self.workspace: Workspace | None = None
        self.templates: dict[str, dict] = {}
        for name in resources.template_names():
            try:
                self.templates[name] = resources.read_template(name)
            except PlanLedgerError:
                continue

        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.list = QListWidget()
        self.list.setObjectName("templateList")
        self.list.setFixedWidth(280)
        for name, data in self.templates.items():
            info = template_info(data)
            item = QListWidgetItem(f"{info.title}\n{info.region}　{info.period}　{info.indicator_count} 个指标")
            item.setData(256, name)
            item.setToolTip(info.description or info.title)
            self.list.addItem(item)
        left = QVBoxLayout()
        left.addWidget(self.list, 1)
        add_file = QPushButton("从文件添加模板…")
        add_file.setObjectName("addTemplateFile")
        add_file.setToolTip("选择别处另存的规划模板文件（.json）")
        add_file.clicked.connect(lambda: self.add_template_file())
        left.addWidget(add_file)
        top.addLayout(left)
        right = QVBoxLayout()
        self.info = QLabel()
        self.info.setWordWrap(True)
        right.addWidget(self.info)
        self.preview = QTableWidget(0, 6)
        self.preview.setObjectName("templatePreview")
        self.preview.setHorizontalHeaderLabels(["序号", "指标", "单位", "基期值", "目标值", "属性"])
        self.preview.verticalHeader().setVisible(False)
        self.preview.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.preview.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.preview.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        right.addWidget(self.preview, 1)
        top.addLayout(right, 1)
        layout.addLayout(top, 1)

        form = QFormLayout()
        self.code = QLineEdit()
        self.code.setObjectName("regionCode")
        self.code.setPlaceholderText("6位行政区划代码，如 430522")
        self.code.setMaxLength(12)
        self.code_error = QLabel()
        self.code_error.setObjectName("regionCodeError")
        self.code_error.setStyleSheet("color:#b00000;")
        self.name = QLineEdit()
        self.name.setObjectName("regionName")
        self.name.setPlaceholderText("如 新邵县")
        self.path = QLineEdit()
        self.path.setObjectName("filePath")
        browse = QPushButton("浏览…")
        browse.clicked.connect(self._browse)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path, 1)
        path_row.addWidget(browse)
        form.addRow("行政区划代码：", self.code)
        form.addRow("", self.code_error)
        form.addRow("行政区划名称：", self.name)
        form.addRow("保存为：", path_row)
        layout.addLayout(form)
        self.error = QLabel()
        self.error.setObjectName("newError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color:#b00000;")
        layout.addWidget(self.error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("创建")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

        self.list.currentRowChanged.connect(self._show_template)
        self.code.textChanged.connect(self._validate)
        self.name.textChanged.connect(self._validate)
        self.name.textChanged.connect(self._suggest_path)
        self.path.textChanged.connect(self._validate)
        self._path_edited = False
        self.path.textEdited.connect(lambda _t: setattr(self, "_path_edited", True))
        if self.list.count():
            self.list.setCurrentRow(0)
        self._validate()

    # ------------------------------------------------------------------ state

    @property
    def template(self) -> str | None:
        item = self.list.currentItem()
        return item.data(256) if item else None

    def select_template(self, name: str) -> None:
        for r in range(self.list.count()):
            if self.list.item(r).data(256) == name:
                self.list.setCurrentRow(r)

    def add_template_file(self, path: Path | None = None) -> bool:
        """Add a shared template file (saved with 另存为模板) to the list and select it."""
        from desktop.intake.templates import read_template_file

        if path is None:
            chosen, _ = QFileDialog.getOpenFileName(self, "选择规划模板文件", str(self.folder), "规划模板 (*.json)")
            if not chosen:
                return False
            path = Path(chosen)
        try:
            data = read_template_file(path)
        except PlanLedgerError as exc:
            self.error.setText(exc.message)
            return False
        key = str(path)
        if key not in self.templates:
            self.templates[key] = data
            info = template_info(data)
            item = QListWidgetItem(f"{info.title}（{path.name}）\n{info.region}　{info.period}　{info.indicator_count} 个指标")
            item.setData(256, key)
            item.setToolTip(str(path))
            self.list.addItem(item)
        self.select_template(key)
        self.error.setText("")
        return True

    def _show_template(self, _row: int) -> None:
        name = self.template
        data = self.templates.get(name or "", {})
        info = template_info(data)
        text = f"<b>{info.title}</b><br>{info.region}　{info.period}　{'、'.join(info.boxes)}"
        if info.description:
            text += f"<br><span style='color:#555'>{info.description}</span>"
        if info.sample_note:
            text += f"<br><span style='color:#8a5a00'>{info.sample_note}</span>"
        self.info.setText(text)
        rows = [r for b in data.get("boxes", []) if isinstance(b, dict) for r in b.get("rows", []) if isinstance(r, dict)]
        self.preview.setRowCount(len(rows))
        for n, r in enumerate(rows):
            cells = [r.get("seq", ""), r.get("name", "") or r.get("text", ""), r.get("unit", ""), r.get("base", ""),
                     r.get("target", ""), r.get("attribute", "")]
            for c, v in enumerate(cells):
                self.preview.setItem(n, c, QTableWidgetItem(str(v or "")))
        plan = data.get("plan", {}) if isinstance(data.get("plan"), dict) else {}
        if not self.code.text():
            self.code.setPlaceholderText(f"6位行政区划代码，如 {plan.get('region_code', '430522')}")
        self._validate()

    def _suggest_path(self) -> None:
        if self._path_edited:
            return
        name = self.name.text().strip() or "新台账"
        self.path.setText(str(self.folder / f"{name}-规划指标台账.sqlite"))

    def _browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "保存新台账为", self.path.text() or str(self.folder), FILE_FILTER)
        if path:
            self._path_edited = True
            self.path.setText(path if Path(path).suffix else path + ".sqlite")

    def problems(self) -> list[str]:
        out = []
        if not self.template:
            out.append("请选择规划模板")
        code = self.code.text().strip()
        self.code_error.setText("")
        if not code:
            out.append("请填写行政区划代码")
        else:
            try:
                canonical = parse_region_code(code)
                province = PROVINCES.get(canonical[:2], "")
                tpl = template_info(self.templates.get(self.template or "", {})).region_code
                if tpl[:2] and tpl[:2] != canonical[:2] and tpl[:2] in PROVINCES:
                    self.code_error.setText(f"提示：代码属于{province}，模板属于{PROVINCES[tpl[:2]]}")
                    self.code_error.setStyleSheet("color:#8a5a00;")
            except RegionError as exc:
                self.code_error.setText(exc.message)
                self.code_error.setStyleSheet("color:#b00000;")
                out.append(exc.message)
        if not self.name.text().strip():
            out.append("请填写行政区划名称")
        path = self.path.text().strip()
        if not path:
            out.append("请选择保存位置")
        elif Path(path).exists():
            out.append(f"文件“{Path(path).name}”已存在，不会覆盖；请换一个文件名")
        elif not Path(path).parent.is_dir():
            out.append(f"文件夹“{Path(path).parent}”不存在")
        return out

    def _validate(self) -> None:
        problems = self.problems()
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not problems)

    def accept(self) -> None:
        problems = self.problems()
        if problems:
            self.error.setText("；".join(problems))
            return
        try:
            self.workspace = self.create()
        except PlanLedgerError as exc:
            self.error.setText(exc.message)
            return
        super().accept()

    def create(self) -> Workspace:
        """Make the workspace the dialog describes (raises PlanLedgerError with a message)."""
        from desktop.store.create import new_workspace

        return new_workspace(Path(self.path.text().strip()), template=self.template or "",
                             region_code=self.code.text().strip(), region_name=self.name.text().strip())
