"""A long table handed to reportlab a window of rows at a time.

reportlab's ``Table`` rebuilds its span, no-split and span-rectangle maps over *every remaining
row* each time it splits at a page end, so a long table with any SPAN or NOSPLIT costs time
quadratic in its rows: a 2,000-row table spent two thirds of its time there. ``PagedTable``
keeps the rows and the style commands itself and gives reportlab a table of the header and the
next ``WINDOW`` body rows (more than a page holds); reportlab splits that at the page end as it
would have split the whole table, the first part is drawn, and the rest of the rows make the
next window. Every page is the table reportlab would have drawn there.
"""
from __future__ import annotations

from typing import Any

from reportlab.platypus import Flowable
from reportlab.platypus import Table as RLTable

WINDOW = 100
"""Body rows handed to reportlab at a time (a landscape page holds about 30 of the shortest)."""

Command = tuple


def _absolute(row: int, total: int) -> int:
    return row + total if row < 0 else row


class PagedTable(Flowable):
    """``RLTable(data, style=cmds, repeatRows=nhead, **options)``, split a window at a time."""

    def __init__(self, data: list[list[Any]], nhead: int, cmds: list[Command], options: dict[str, Any], start: int | None = None):
        super().__init__()
        self.data, self.nhead, self.cmds, self.options = data, nhead, cmds, options
        self.start = nhead if start is None else start  # first body row (index into data) of this part
        self.hAlign = options.get("hAlign", "CENTER")
        self._table: RLTable | None = None
        self._end = self.start
        total = len(data)
        # the rows each span or no-split range covers: a window never ends inside one
        self._joined = [
            (_absolute(c[1][1], total), _absolute(c[2][1], total))
            for c in cmds
            if c[0] in ("SPAN", "NOSPLIT") and _absolute(c[1][1], total) != _absolute(c[2][1], total)
        ]

    def _safe_end(self, end: int) -> int:
        """``end`` moved past any span or no-split range it would cut."""
        moved = True
        while moved and end < len(self.data):
            moved = False
            for r0, r1 in self._joined:
                lo, hi = min(r0, r1), max(r0, r1)
                if lo < end <= hi:
                    end, moved = hi + 1, True
        return min(end, len(self.data))

    def _window(self, size: int) -> RLTable:
        """The header and body rows ``start … start + size`` (or to a safe end) as a reportlab table."""
        end = self._safe_end(self.start + size)
        self._end = end
        total, nhead, start = len(self.data), self.nhead, self.start
        rows = self.data[:nhead] + self.data[start:end]

        def place(r: int) -> int | None:
            if r < nhead:
                return r
            if start <= r < end:
                return nhead + r - start
            return None

        cmds: list[Command] = []
        for cmd in self.cmds:
            name, (c0, r0), (c1, r1), *args = cmd
            r0, r1 = sorted((_absolute(r0, total), _absolute(r1, total)))
            first = r0 if r0 < nhead else max(r0, start)
            last = r1 if r1 < nhead else min(r1, end - 1)
            if r1 >= nhead and r0 < nhead and last < start:
                last = nhead - 1  # a range from the header into rows before this window: its header part
            a, b = place(first), place(last)
            if a is None or b is None or a > b:
                continue
            cmds.append((name, (c0, a), (c1, b), *args))
        return RLTable(rows, style=cmds, repeatRows=nhead, **self.options)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        size = WINDOW
        while True:
            self._table = self._window(size)
            w, h = self._table.wrap(availWidth, availHeight)
            if h > availHeight or self._end >= len(self.data):
                break
            size *= 2  # the whole window fits (a tall page): take more rows, so that a split is real
        self.width, self.height = w, h
        return w, h

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        if self._table is None:
            self.wrap(availWidth, availHeight)
        assert self._table is not None
        parts = self._table.split(availWidth, availHeight)
        if not parts:
            return []
        first = parts[0]
        taken = len(first._cellvalues) - self.nhead
        if taken <= 0:
            return []
        rest = self.start + taken
        if rest >= len(self.data):
            return [first]
        return [first, PagedTable(self.data, self.nhead, self.cmds, self.options, rest)]

    def draw(self) -> None:
        assert self._table is not None  # wrap() ran: the whole rest fitted on this page
        self._table.drawOn(self.canv, 0, 0)
