"""A long table handed to reportlab a window of rows at a time.

reportlab's ``Table`` rebuilds its span, no-split and span-rectangle maps over *every remaining
row* each time it splits at a page end, so a long table with any SPAN or NOSPLIT costs time
quadratic in its rows: a 2,000-row table spent two thirds of its time there. ``PagedTable``
keeps the rows and the style commands itself and gives reportlab a table of the header and the
next ``WINDOW`` body rows (more when that fits on the page whole); reportlab splits it at the
page end as it would have split the whole table, the first part is drawn, and the rest of the
rows make the next window. Every page is the table reportlab would have drawn there.
"""
from __future__ import annotations

from typing import Any

from reportlab.platypus import Flowable
from reportlab.platypus import Table as RLTable

WINDOW = 48
"""Body rows handed to reportlab at a time: about one and a half pages of the shortest rows
(a landscape page holds ~30); a window that fits whole is doubled until it does not. reportlab
styles every cell of the table it is given, so a smaller window is faster."""

Command = tuple


def _absolute(row: int, total: int) -> int:
    return row + total if row < 0 else row


class _Commands:
    """A table's style commands sorted once for all its windows: those on one body row by row,
    the rest (header, whole table, several body rows) looked at for every window; each keeps
    its place in the list, since a later command overrides an earlier one."""

    def __init__(self, cmds: list[Command], nhead: int, total: int):
        self.general: list[tuple[int, Command]] = []
        self.by_row: dict[int, list[tuple[int, Command]]] = {}
        self.joined: list[tuple[int, int]] = []  # rows of each multi-row span or no-split range
        for k, (name, (c0, r0), (c1, r1), *args) in enumerate(cmds):
            r0, r1 = sorted((_absolute(r0, total), _absolute(r1, total)))
            cmd = (name, (c0, r0), (c1, r1), *args)
            if r0 == r1 and r0 >= nhead:
                self.by_row.setdefault(r0, []).append((k, cmd))
            else:
                self.general.append((k, cmd))
                if name in ("SPAN", "NOSPLIT") and r0 != r1:
                    self.joined.append((r0, r1))


class PagedTable(Flowable):
    """``RLTable(data, style=cmds, repeatRows=nhead, **options)``, split a window at a time."""

    def __init__(self, data: list[list[Any]], nhead: int, cmds: list[Command] | _Commands, options: dict[str, Any],
                 start: int | None = None, least: float = 0.0):
        super().__init__()
        self.data, self.nhead, self.options = data, nhead, options
        self.cmds = cmds if isinstance(cmds, _Commands) else _Commands(cmds, nhead, len(data))
        self.start = nhead if start is None else start  # first body row (index into data) of this part
        self.least = least  # the header and the first row's height (0: not known): less never fits
        self.hAlign = options.get("hAlign", "CENTER")
        self._table: RLTable | None = None
        self._wrapped: tuple[float, float] | None = None
        self._end = self.start

    def _safe_end(self, end: int) -> int:
        """``end`` moved past any span or no-split range it would cut."""
        moved = True
        while moved and end < len(self.data):
            moved = False
            for lo, hi in self.cmds.joined:
                if lo < end <= hi:
                    end, moved = hi + 1, True
        return min(end, len(self.data))

    def _window(self, size: int) -> RLTable:
        """The header and body rows ``start … start + size`` (or to a safe end) as a reportlab table."""
        end = self._safe_end(self.start + size)
        self._end = end
        nhead, start = self.nhead, self.start
        rows = self.data[:nhead] + self.data[start:end]

        def place(r: int) -> int | None:
            if r < nhead:
                return r
            if start <= r < end:
                return nhead + r - start
            return None

        picked = list(self.cmds.general)
        for r in range(start, end):
            picked += self.cmds.by_row.get(r, ())
        picked.sort(key=lambda kc: kc[0])
        cmds: list[Command] = []
        for _, (name, (c0, r0), (c1, r1), *args) in picked:
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
        if self._table is not None and self._wrapped == (availWidth, availHeight):
            return self.width, self.height  # asked again for the same frame: the same window
        if availHeight < self.least:  # the foot of the page the last part ended on: not even one row
            self._table = None
            return self.width, self.least
        size = WINDOW
        while True:
            self._table = self._window(size)
            w, h = self._table.wrap(availWidth, availHeight)
            if h > availHeight or self._end >= len(self.data):
                break
            size *= 2  # the whole window fits (a tall page): take more rows, so that a split is real
        self.width, self.height = w, h
        self._wrapped = (availWidth, availHeight)
        return w, h

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        if availHeight < self.least:
            return []  # as reportlab would answer: the header and one row do not fit
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
        heights = self._table._rowHeights
        least = sum(heights[: self.nhead]) + heights[self.nhead + taken] if self.nhead + taken < len(heights) else 0.0
        part = PagedTable(self.data, self.nhead, self.cmds, self.options, rest, least)
        part.width = self.width
        return [first, part]

    def draw(self) -> None:
        assert self._table is not None  # wrap() ran: the whole rest fitted on this page
        self._table.drawOn(self.canv, 0, 0)
