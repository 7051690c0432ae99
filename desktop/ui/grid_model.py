"""The indicator grid: a QAbstractTableModel over the workspace (Spyder's dataframe editor).

Rows are the domain's progress table (section headings and indicators); columns are the
printed definition, one column per plan year, and the progress figures. Every figure comes
from ``progress_table``; the model only chooses colours. ``flags`` decides editability
(year cells of indicator rows, not locked, not read-only) and ``setData`` hands a parsed value
to ``commit`` (the window's editor, which runs the store action and pushes the undo command);
it never shows a message box — refusals go out through the ``refused`` signal.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont

from desktop.domain.errors import NotationError, Severity
from desktop.domain.model import Actual, Indicator, Plan
from desktop.domain.notation import format_decimal, parse_value
from desktop.domain.validation import check_value
from desktop.domain.progress_table import LazyRows, ProgressRow, ProgressTable, complete, progress_table, value_text
from desktop.store import repository
from desktop.store.workspace import Workspace

from .icons import lock_icon, warning_icon

STATUS_COLOURS = {
    "提前实现": "#c8ecc8",
    "快于序时": "#dcf2dc",
    "基本符合": "#e4efff",
    "达标": "#dcf2dc",
    "完成": "#c8ecc8",
    "超额完成": "#c8ecc8",
    "滞后": "#fdd9bf",
    "未达标": "#f9c4c4",
    "未完成": "#f9c4c4",
}
FIXED_HEADERS = ("序号", "指标", "单位", "属性", "基期值", "目标值")
TAIL_HEADERS = ("完成进度", "序时进度", "状态", "预计")

CodeRole = Qt.ItemDataRole.UserRole + 1
YearRole = Qt.ItemDataRole.UserRole + 2
NoteRole = Qt.ItemDataRole.UserRole + 3

Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Columns:
    """Where each kind of column sits for a plan."""

    years: tuple[int, ...]

    @property
    def headers(self) -> list[str]:
        return [*FIXED_HEADERS, *(f"{y}年" for y in self.years), *TAIL_HEADERS]

    @property
    def count(self) -> int:
        return len(FIXED_HEADERS) + len(self.years) + len(TAIL_HEADERS)

    def year_of(self, column: int) -> int | None:
        i = column - len(FIXED_HEADERS)
        return self.years[i] if 0 <= i < len(self.years) else None

    def column_of(self, year: int) -> int:
        return len(FIXED_HEADERS) + self.years.index(year)

    @property
    def first_year_column(self) -> int:
        return len(FIXED_HEADERS)

    @property
    def last_year_column(self) -> int:
        return len(FIXED_HEADERS) + len(self.years) - 1

    @property
    def status_column(self) -> int:
        return self.count - 2

    @property
    def name_column(self) -> int:
        return 1


FIRST_SCREEN = 150
"""Indicators whose values are read before the first paint: more rows than a screen shows."""


class _Actuals(Mapping[str, dict[int, Actual]]):
    """``{code: {year: Actual}}`` of a workspace: the values of ``first`` codes read at once,
    all the others with the first look-up of any other code (or ``load_all``)."""

    def __init__(self, ws: Workspace, first: list[str]) -> None:
        self._ws = ws
        self._known = set(first)  # codes whose values (maybe none) are all in _data
        self._data = ws.actuals(first) if first else {}
        self._all = not first

    def load_all(self) -> dict[str, dict[int, Actual]]:
        if not self._all:
            for code, per in self._ws.actuals().items():
                self._data.setdefault(code, per)  # the values read first stay the same objects
            self._all = True
        return self._data

    def __getitem__(self, code: str) -> dict[int, Actual]:
        if self._all or code in self._known:
            return self._data[code]
        return self.load_all()[code]

    def __contains__(self, code: object) -> bool:
        if self._all or code in self._known:
            return code in self._data
        return code in self.load_all()

    def __iter__(self) -> Iterator[str]:
        return iter(self.load_all())

    def __len__(self) -> int:
        return len(self.load_all())


def bold_font() -> QFont:
    f = QFont()
    f.setBold(True)
    return f


class GridModel(QAbstractTableModel):
    """The editable indicator grid of one workspace and report year."""

    refused = Signal(str)  # why an edit was not taken (status bar, never a message box)

    def __init__(self, ws: Workspace, year: int | None = None) -> None:
        super().__init__()
        self.commit: Callable[[str, int, Decimal | None], bool] | None = None
        self.bad: dict[tuple[str, int], str] = {}  # cells of the last refused paste / edit
        self._load(ws, year)

    # ------------------------------------------------------------------ loading

    def _load(self, ws: Workspace, year: int | None) -> None:
        self.ws = ws
        self.plan: Plan = ws.plan()
        # the values of the first screenful of indicators now, the rest on the first look-up
        # beyond them (``complete``, right after the window's first paint)
        self.actuals: Mapping[str, dict[int, Actual]] = _Actuals(
            ws, [ind.code for ind in self.plan.indicators[:FIRST_SCREEN]])
        if year is None or not self.plan.start_year <= year <= self.plan.end_year:
            latest = repository.latest_year(ws.connection, self.plan.start_year, self.plan.end_year)
            year = self.plan.start_year if latest is None else latest  # as ``default_year`` says
        self.year = year
        self.locked: set[int] = ws.locked_years()
        self.columns = Columns(tuple(self.plan.years))
        self.settings = ws.progress_settings()
        # lazy: the rows on screen are assessed when first painted, the rest by ``complete``
        # right after the window's first paint (or whenever anything reads them earlier)
        self.table: ProgressTable = progress_table(self.plan, self.actuals, self.year, self.settings, lazy=True)
        self.rows: tuple[ProgressRow, ...] = self.table.rows
        self._index_rows()

    def _index_rows(self) -> None:
        self.row_of_code = {code: n for n in range(len(self.rows)) if (code := self.code_at(n))}

    def complete(self) -> None:
        """Read every value and assess every row now (the same figures a lazy read gives)."""
        if isinstance(self.rows, LazyRows):
            self.table = complete(self.table)
            self.rows = self.table.rows
        if isinstance(self.actuals, _Actuals):
            self.actuals = self.actuals.load_all()

    def is_section(self, row: int) -> bool:
        """Whether ``row`` is a section heading (without computing any figure)."""
        rows = self.rows
        return (rows.kind_of(row) if isinstance(rows, LazyRows) else rows[row].kind) == "section"

    def code_at(self, row: int) -> str | None:
        """The indicator code of ``row`` (None for a heading), without computing any figure."""
        rows = self.rows
        return rows.code_of(row) if isinstance(rows, LazyRows) else rows[row].code

    def set_workspace(self, ws: Workspace, year: int | None = None) -> None:
        self.beginResetModel()
        self.bad.clear()
        self._load(ws, year)
        self.endResetModel()

    def reload(self) -> None:
        """Everything again (a definition changed: rows may come and go)."""
        self.set_workspace(self.ws, self.year)

    def set_year(self, year: int) -> None:
        if year == self.year:
            return
        self.year = year
        self.refresh()
        last = self.columns.count - 1
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, last)
        if self.rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.rows) - 1, last))

    def refresh(self, codes: Iterable[str] = ()) -> None:
        """Re-read values and figures; emit ``dataChanged`` only for rows whose cells differ
        (and the rows of ``codes``). A changed row structure resets the model."""
        self.complete()
        old_rows = self.rows
        plan = self.ws.plan()
        wanted = set(codes)
        if wanted and plan is self.plan and self.table.year == self.year:
            # only the edited indicators' values and figures are read and computed again
            fresh = self.ws.actuals(wanted)
            self.actuals = {c: per for c, per in self.actuals.items() if c not in wanted} | fresh
            table = progress_table(plan, self.actuals, self.year, self.settings, previous=self.table, changed=wanted)
        else:
            self.plan = plan
            self.actuals = self.ws.actuals()
            table = progress_table(self.plan, self.actuals, self.year, self.settings)
        locked = self.ws.locked_years()
        if [(r.kind, r.code, r.name) for r in table.rows] != [(r.kind, r.code, r.name) for r in old_rows] or tuple(
            self.plan.years
        ) != self.columns.years:
            self.beginResetModel()
            self.table, self.rows, self.locked = table, table.rows, locked
            self.columns = Columns(tuple(self.plan.years))
            self._index_rows()
            self.endResetModel()
            return
        self.table, self.rows = table, table.rows
        last = self.columns.count - 1
        if locked != self.locked:
            self.locked = locked
            self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, last)
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.rows) - 1, last))
            return
        for n, (old, new) in enumerate(zip(old_rows, self.rows)):
            if old != new or new.code in wanted:
                self.dataChanged.emit(self.index(n, 0), self.index(n, last))

    # ------------------------------------------------------------------ lookups

    def row(self, index: Index) -> ProgressRow:
        return self.rows[index.row()]

    def indicator_at(self, index: Index) -> Indicator | None:
        if not index.isValid():
            return None
        code = self.code_at(index.row())
        return self.plan.indicator(code) if code else None

    def cell(self, index: Index) -> tuple[str, int] | None:
        """(code, year) of a year cell of an indicator row, else None."""
        if not index.isValid():
            return None
        code = self.code_at(index.row())
        year = self.columns.year_of(index.column())
        return (code, year) if code and year is not None else None

    def index_of(self, code: str, year: int | None = None) -> QModelIndex:
        row = self.row_of_code.get(code)
        if row is None:
            return QModelIndex()
        col = self.columns.column_of(year) if year in self.columns.years else self.columns.name_column
        return self.index(row, col)

    def actual(self, code: str, year: int) -> Actual | None:
        return self.actuals.get(code, {}).get(year)

    def refusal(self, index: Index) -> str | None:
        """Why this cell cannot be edited (None: it can)."""
        cell = self.cell(index)
        if cell is None:
            return "只能在指标行的年份列中填写数值；指标定义请用“编辑 → 编辑指标…”修改"
        if self.ws.read_only:
            return f"只读：{self.ws.read_only_reason}，不能修改；{self.ws.read_only_advice}"
        if cell[1] in self.locked:
            return f"{cell[1]}年已标记为已上报，数值不可修改（如需修改，请先在“数据”菜单中撤回上报）"
        return None

    def cell_label(self, code: str, year: int) -> str:
        ind = self.plan.indicator(code)
        return f"{year}年 {ind.name if ind else code}"

    def headers_at(self, row: int, column: int) -> str:
        """How a message names a grid position: "2023年 城镇新增就业人数" or the row's name."""
        cell = self.cell(self.index(row, column))
        if cell is not None:
            return self.cell_label(*cell)
        return f"{self.rows[row].name} / {self.columns.headers[column]}" if 0 <= row < len(self.rows) else ""

    def check_text(self, index: Index, text: str) -> str | None:
        """The message for a typed text that is not a value (None: it parses)."""
        cell = self.cell(index)
        ind = self.indicator_at(index)
        if cell is None or ind is None:
            return self.refusal(index)
        try:
            value = parse_value(text, ind.unit)
        except NotationError as exc:
            return f"{self.cell_label(*cell)}：{exc.message}"
        refused = self.refusal(index)
        if refused:
            return refused
        # a number the domain refuses (a negative count) keeps the editor open too, like letters
        errors = [p.message for p in check_value(self.plan, ind, cell[1], value) if p.severity is Severity.ERROR]
        return errors[0] if errors else None

    def copy_text(self, index: Index) -> str:
        """What Ctrl+C puts on the clipboard for a cell: plain numbers for year cells."""
        if self.cell(index) is not None:
            return str(self.data(index, Qt.ItemDataRole.EditRole) or "")
        text = self.data(index, Qt.ItemDataRole.DisplayRole)
        return "" if text is None else str(text).strip()

    def mark_bad(self, cells: dict[tuple[str, int], str]) -> None:
        changed = set(self.bad) | set(cells)
        self.bad = dict(cells)
        for code, year in changed:
            idx = self.index_of(code, year)
            if idx.isValid():
                self.dataChanged.emit(idx, idx)

    # ------------------------------------------------------------------ Qt model API

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else self.columns.count

    def display(self, row: ProgressRow, column: int) -> str:
        if row.kind == "section":
            return row.name if column == 0 else ""
        year = self.columns.year_of(column)
        if year is not None:
            return value_text(self.actual(row.code or "", year))
        if column < len(FIXED_HEADERS):
            name = f"其中：{row.name}" if row.indent else row.name
            return (row.seq, name, row.unit, row.attribute, row.base, row.target)[column]
        tail = column - len(FIXED_HEADERS) - len(self.columns.years)
        return (row.completion, row.time_progress, row.status, row.projection)[tail]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        col = index.column()
        year = self.columns.year_of(col)
        R = Qt.ItemDataRole
        if role == R.DisplayRole:
            return self.display(row, col)
        if row.kind == "section":
            if role == R.FontRole:
                return bold_font()
            if role == R.BackgroundRole:
                return QBrush(QColor("#eef0f3"))
            return None
        actual = self.actual(row.code or "", year) if year is not None else None
        bad = self.bad.get((row.code or "", year)) if year is not None else None
        if role == R.EditRole:
            if year is None:
                return self.display(row, col)
            return format_decimal(actual.value) if actual is not None and actual.value is not None else ""
        if role == CodeRole:
            return row.code
        if role == YearRole:
            return year
        if role == NoteRole:
            return actual.note if actual is not None and actual.note and actual.note != "示例数据" else ""
        if role == R.FontRole and (row.binding_behind and col in (1, self.columns.status_column)):
            return bold_font()
        if role == R.BackgroundRole:
            if bad:
                return QBrush(QColor("#ffb3b3"))
            if year is not None and year in self.locked:
                return QBrush(QColor("#e6e6e6"))
            if col == self.columns.status_column and row.status in STATUS_COLOURS:
                return QBrush(QColor(STATUS_COLOURS[row.status]))
            if row.binding_behind:
                return QBrush(QColor("#fff0ee"))
            if year is not None and year > self.year:
                return QBrush(QColor("#fafafa"))
            return None
        if role == R.ForegroundRole:
            if year is not None and year in self.locked:
                return QBrush(QColor("#707070"))
            if row.binding_behind and col in (1, self.columns.status_column):
                return QBrush(QColor("#b00000"))
            if actual is not None and actual.nature.value != "年报" and year is not None:
                return QBrush(QColor("#1f5fa8"))
            return None
        if role == R.DecorationRole and col == 1 and row.binding_behind:
            return warning_icon()
        if role == R.TextAlignmentRole:
            if col == 1:
                return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
            if year is not None or col in (self.columns.status_column - 2, self.columns.status_column - 1):
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)  # numbers and percentages
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == R.ToolTipRole:
            return self._tooltip(row, col, year, actual, bad)
        return None

    def _tooltip(self, row: ProgressRow, col: int, year: int | None, actual: Actual | None, bad: str | None) -> str | None:
        if bad:
            return bad
        if year is not None:
            lines = []
            if year in self.locked:
                lines.append(f"{year}年已上报（锁定）")
            if actual is not None:
                lines.append(f"数据性质：{actual.nature.value}")
                if actual.source:
                    lines.append(f"来源：{actual.source}")
                if actual.note:
                    lines.append(f"说明：{actual.note}")
                if actual.updated_by:
                    lines.append(f"{actual.updated_by} {actual.updated_at.replace('T', ' ')[:16]}")
            return "\n".join(lines) or None
        if col == 1 and row.binding_behind:
            return "约束性指标进度滞后，须在数值说明中填写原因说明"
        if row.assessment is not None and col >= self.columns.last_year_column:
            return row.assessment.basis
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> object:  # noqa: N802
        if orientation != Qt.Orientation.Horizontal:
            return None
        year = self.columns.year_of(section)
        if role == Qt.ItemDataRole.DisplayRole:
            return self.columns.headers[section]
        if year is not None and year in self.locked:
            if role == Qt.ItemDataRole.DecorationRole:
                return lock_icon()
            if role == Qt.ItemDataRole.ToolTipRole:
                return f"{year}年已标记为已上报，数值已锁定"
            if role == Qt.ItemDataRole.ForegroundRole:
                return QBrush(QColor("#707070"))
        if role == Qt.ItemDataRole.FontRole and year == self.year:
            return bold_font()
        if role == Qt.ItemDataRole.ToolTipRole and year == self.year:
            return f"评估年份 {year}"
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self.refusal(index) is None:
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def setData(self, index: Index, value: object, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        """Parse the typed text and hand the value to ``commit``; refusals go to ``refused``."""
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        reason = self.refusal(index)
        if reason:
            self.refused.emit(reason)
            return False
        code, year = self.cell(index)  # type: ignore[misc]
        ind = self.plan.indicator(code)
        text = "" if value is None else str(value)
        try:
            parsed = parse_value(text, ind.unit if ind else "")
        except NotationError as exc:
            message = f"{self.cell_label(code, year)}：{exc.message}；未保存"
            self.mark_bad({(code, year): message})
            self.refused.emit(message)
            return False
        if self.commit is None:
            return False
        return self.commit(code, year, parsed)
