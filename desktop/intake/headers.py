"""Two-level headers of plan tables (浙江 表1: 规划目标 / 完成情况 over years).

A completion table prints its header on two rows::

    指标名称 (rowspan 2) | 2015年 (rowspan 2) | 规划目标     | 完成情况 (colspan 3)
                         |                    | 2020年       | 2019年 | 2020年预计 | 完成度

``two_level_header(sheet, row, role_of)`` sees such a pair of rows starting at ``row`` —
with the upper cells merged, repeated over each column, or left blank — and gives a
``TwoLevel``: one composite header row the one-row header reader of ``table.py`` understands
(``2020年目标`` for 规划目标/2020年, the upper text for a rowspan column), plus the columns
the one-row reader must not see: values for a year (完成情况/2019年 → an actual for 2019;
``2020年预计`` → nature 预计) and computed columns (完成度: the app computes it). Upper texts
that are neither a target nor a completion group leave the pair alone (the one-row reader then
treats the lower row as a second header row, as before).

The values are kept the way 邵阳 专栏1's 完成数 are kept: as printed cells of the box
(``Indicator.extra``; the end year's column has role ``achieved``, others ``extra``), and are
listed in ``ImportedTable.values`` (code, year, value, nature) — import-table writes definitions,
not yearly actual values.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from desktop.domain.errors import NotationError, Severity
from desktop.domain.model import Column, Nature
from desktop.domain.notation import normalise_text, parse_value

from .workbook import Cell, Sheet, address, cell_text

__all__ = ["TwoLevel", "TableValue", "two_level_header"]

_YEAR = re.compile(r"^(\d{4})年?(.*)$")
_TARGET_GROUP = ("规划目标", "目标", "目标值", "规划", "规划数", "预期目标", "规划目标值")
_DONE_GROUP = ("完成情况", "完成数", "完成值", "实际完成", "执行情况", "实施情况", "完成情况及预计")
_COMPUTED = ("完成度", "完成率", "完成比例", "完成进度", "完成程度")
_NATURES = {"预计": Nature.ESTIMATE, "快报": Nature.QUICK, "年报": Nature.ANNUAL, "预计数": Nature.ESTIMATE}


def _fold(text: str) -> str:
    return re.sub(r"[\s\u3000“”\"'‘’]+", "", normalise_text(text))


def _year(text: str) -> tuple[int, str] | None:
    m = _YEAR.match(_fold(text))
    if m and 1990 <= int(m.group(1)) <= 2100 and (_fold(text).endswith("年") or m.group(2)):
        return int(m.group(1)), m.group(2)
    return None


def _group(text: str) -> str:
    """"target" · "done" · "" for an upper header cell."""
    h = _fold(text)
    if h in _TARGET_GROUP or (h.endswith("目标") and len(h) <= 6):
        return "target"
    if h in _DONE_GROUP or (h.startswith("完成") and len(h) <= 6):
        return "done"
    return ""


@dataclass(frozen=True)
class TableValue:
    """A value a completion table prints for a year: temporary indicator code, year, value
    (None for "—"), nature (None: not stated), and the cell."""

    code: str
    year: int
    value: Decimal | None
    text: str
    nature: Nature | None
    cell: str


@dataclass
class TwoLevel:
    upper: int  # the upper header row (1-based)
    cells: list[Cell | None]  # the composite header row
    display: dict[int, str]  # column → header as printed ("规划目标2020年")
    values: dict[int, tuple[int, Nature | None]] = field(default_factory=dict)  # column → (year, nature)
    computed: list[int] = field(default_factory=list)

    @property
    def row(self) -> int:
        return self.upper + 1

    def notes(self) -> list[tuple[Severity, str, int]]:
        """(severity, text, column) for the preview."""
        out = [(Severity.WARNING, f"列“{self.display[c]}”由程序根据目标值和实际值计算，不导入", c) for c in self.computed]
        if self.values:
            listed = "、".join(self.display[c] for c in self.values)
            out.append((Severity.WARNING, f"完成情况列（{listed}）作为表中印出的完成值随表导入（与专栏完成数相同）；"
                                       "不写入各年实际值，需要时在数据表中录入或用“导入实际值”导入", min(self.values)))
        return out

    def columns(self, end_year: int | None) -> list[tuple[int, Column]]:
        """The value columns of the box, (sheet column, Column)."""
        return [(c, Column(self._key(y, end_year), self.display[c], "achieved" if y == end_year else "extra"))
                for c, (y, _) in self.values.items()]

    @staticmethod
    def _key(year: int, end_year: int | None) -> str:
        return "achieved" if year == end_year else f"y{year}"

    def read_row(self, row: int, code: str, unit: str, end_year: int | None,
                 text_at: Callable[[int], str | None],
                 problem: Callable[..., object]) -> tuple[tuple[tuple[str, str], ...], list[TableValue]]:
        """The printed cells (for ``Indicator.extra``) and the values of one indicator row."""
        extra: list[tuple[str, str]] = []
        values: list[TableValue] = []
        for col, (year, nature) in self.values.items():
            text = text_at(col)
            if text is None:
                continue
            try:
                value = parse_value(text, unit)
            except NotationError as exc:
                problem(Severity.ERROR, f"{self.display[col]}{exc.message}", row, col)
                continue
            if value is None:  # "—": no value
                continue
            extra.append((self._key(year, end_year), text))
            values.append(TableValue(code, year, value, text, nature, address(row, col)))
        return tuple(extra), values


def _text(sheet: Sheet, row: int, col: int) -> str:
    cell = sheet.cell(row, col)
    return cell_text(cell) if cell is not None and isinstance(cell.value, (str, int, float)) else ""


def two_level_header(sheet: Sheet, row: int, role_of: Callable[[str], str | None]) -> TwoLevel | None:
    """The two-level header whose upper row is ``row``, or None."""
    if row + 1 > len(sheet.rows):
        return None
    width = max(len(sheet.rows[row - 1]), len(sheet.rows[row]))
    upper = {c: _text(sheet, row, c) for c in range(1, width + 1)}
    lower = {c: _text(sheet, row + 1, c) for c in range(1, width + 1)}
    for (r1, c1, r2, c2) in sheet.merges:  # a merged upper cell spans its columns
        if r1 == row and r2 == row and c2 > c1:
            for c in range(c1 + 1, c2 + 1):
                upper[c] = upper.get(c) or upper.get(c1, "")
    group_of: dict[int, str] = {}
    current = ""
    for c in range(1, width + 1):  # a blank upper cell over a lower one continues the group on its left
        if upper[c]:
            current = upper[c] if _group(upper[c]) else ""
        elif not lower[c]:
            current = ""
        if current and lower[c] and _fold(lower[c]) != _fold(current):
            group_of[c] = current
    if not any(_year(lower[c]) for c in group_of):
        return None
    for c in range(1, width + 1):  # every lower cell must be a header, not data
        lo = lower[c]
        if lo and not (_year(lo) or _fold(lo) in _COMPUTED or _fold(lo) == _fold(upper[c]) or role_of(lo)):
            return None
    two = TwoLevel(row, [], {})
    for c in range(1, width + 1):
        up, lo, group = upper[c], lower[c], group_of.get(c, "")
        kind = _group(group) if group else ""
        year = _year(lo) if lo else None
        text = up or lo
        if kind:
            two.display[c] = group + re.sub(r"\s+", "", lo)
            if kind == "done" and year:
                two.values[c] = (year[0], _NATURES.get(year[1]))
                text = ""
            elif kind == "done" and _fold(lo) in _COMPUTED:
                two.computed.append(c)
                text = ""
            elif kind == "target" and year:
                text = f"{year[0]}年目标"
            else:
                text = lo if role_of(lo) else two.display[c]
        two.cells.append(Cell(text) if text else None)
    return two
