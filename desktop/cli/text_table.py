"""Plain-text tables that line up in a terminal with Chinese (double-width) characters."""
from __future__ import annotations

import unicodedata


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, size: int) -> str:
    return text + " " * (size - width(text))


def render_table(header: list[str], rows: list[list[str]]) -> str:
    """Columns padded to their widest cell; a one-cell row (a section) spans the line."""
    cols = len(header)
    sizes = [width(h) for h in header]
    for row in rows:
        if len(row) == cols:
            sizes = [max(s, width(c)) for s, c in zip(sizes, row)]
    lines = ["  ".join(_pad(h, s) for h, s in zip(header, sizes)).rstrip()]
    lines.append("  ".join("-" * s for s in sizes))
    for row in rows:
        lines.append(row[0] if len(row) == 1 else "  ".join(_pad(c, s) for c, s in zip(row, sizes)).rstrip())
    return "\n".join(lines)
