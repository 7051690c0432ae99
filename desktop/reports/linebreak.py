"""Line breaking of table cells and 注 lines by the Chinese rules (禁则, GB/T 15834).

reportlab's CJK wrapping breaks between any two characters and only hangs one closing mark
into the margin: a cell of the 邵阳 专栏2 printed "…等级证书人数（" / "万人次）" — an opening
bracket ending a line. These texts are therefore broken here and reportlab only draws the
lines (a cell as a multi-line string, a note joined by ``<br/>``; each line fits):

- a closing mark (，。、；：？！）》” % …) never starts a line: the character before it moves
  down with it (推出), as often as needed;
- an opening mark (（《“【 …) never ends a line: it moves down to the next;
- a run of narrow characters (a number, a target such as ``[>23.5]``, ``5.5%``, a Latin word)
  is kept whole unless it is wider than the line by itself.

Pure: the width of a text is a function given by the caller (reportlab's ``stringWidth``).
"""
from __future__ import annotations

import re
from collections.abc import Callable

NO_LINE_START = "，。、；：？！）》〉】」』”’…—％‰%℃·,.;:?!)]}"
"""Marks that may not begin a line."""
NO_LINE_END = "（《〈【「『“‘([{"
"""Marks that may not end a line."""

_TOKENS = re.compile(r"[\x21-\x7e]+|\s+|.", re.S)
"""A run of printable ASCII, a run of white space, or any other single character."""

HANGING = "，。、；：）》〉】」』”’"
"""Full-width marks drawn in the left half of their box: one may hang past the line end
(标点悬挂) when ``hang`` leaves room for its ink, instead of taking a character down."""


def break_lines(text: str, width_of: Callable[[str], float], first: float, rest: float | None = None,
                *, hang: float = 0.0) -> list[str]:
    """``text`` as lines no wider than ``first`` (the first line) and ``rest`` (the others),
    except a hanging mark (``HANGING``) whose half-width fits in ``hang`` more points (a cell's
    padding). Explicit newlines are kept. A single unit wider than a line is cut by characters."""
    rest = first if rest is None else rest
    lines: list[str] = []
    for part in text.split("\n"):
        lines.extend(_break_part(part, width_of, first if not lines else rest, rest, hang))
    return lines


def _break_part(text: str, width_of: Callable[[str], float], first: float, rest: float, hang: float) -> list[str]:
    units = _split_wide(_TOKENS.findall(text), width_of, min(first, rest))
    lines: list[list[str]] = []
    line: list[str] = []
    used = 0.0
    for unit in units:
        w = width_of(unit)
        limit = first if not lines else rest
        if not line or unit.isspace() or used + w <= limit or (unit in HANGING and used + w / 2 <= limit + hang):
            if line or not unit.isspace():  # no blank at the start of a line
                line.append(unit)
                used += w
            continue
        carried: list[str] = []
        head = unit
        while head[0] in NO_LINE_START and len(line) > 1:  # 推出: the mark takes a character down
            head = line.pop()
            carried.insert(0, head)
        while len(line) > 1 and line[-1][-1] in NO_LINE_END:  # an opening mark goes down too
            carried.insert(0, line.pop())
        lines.append(line)
        line = [u for u in carried if not u.isspace()] + [unit]
        used = sum(map(width_of, line))
    if line:
        lines.append(line)
    return ["".join(units).rstrip() for units in lines] or [""]


def _split_wide(units: list[str], width_of: Callable[[str], float], limit: float) -> list[str]:
    """Cut any unit wider than a whole line into pieces that fit (characters at worst)."""
    out: list[str] = []
    for unit in units:
        if len(unit) == 1 or width_of(unit) <= limit:
            out.append(unit)
            continue
        piece = ""
        for ch in unit:
            if piece and width_of(piece + ch) > limit:
                out.append(piece)
                piece = ""
            piece += ch
        if piece:
            out.append(piece)
    return out
