"""A small local fix of pyqtgraph's SVG export for Qt ≥ 6.11 (pyqtgraph issue #3495).

pyqtgraph's ``SVGExporter`` post-processes the SVG that Qt writes: it moves every path into
the document's coordinates by parsing the ``d`` attribute as ``x,y`` pairs, each optionally
prefixed by a command letter. Since Qt 6.11 a closed subpath ends with a bare ``Z`` token,
which that parser cannot split (``ValueError: not enough values to unpack``). We rewrite each
``Z`` as a line back to the subpath's start — the same outline — before pyqtgraph parses it.
Painting the scene straight into ``QSvgGenerator`` is no substitute: without pyqtgraph's
coordinate correction, cosmetic pens and text items come out misplaced and mis-scaled.

``install()`` wraps ``correctCoordinates`` once; ``tests/ui/test_charts.py`` checks the output.
"""
from __future__ import annotations

import importlib
from typing import Any

_INSTALLED = False


def close_paths(d: str) -> str:
    """``"M0,0 L5,0 L5,5 Z M9,9 L10,9 Z"`` → ``"M0,0 L5,0 L5,5 L0,0 M9,9 L10,9 L9,9"``."""
    out: list[str] = []
    start = ""
    for token in d.replace("z", "Z").replace("Z", " Z ").split():
        if token == "Z":
            if start:
                out.append("L" + start)
            continue
        if token[0] in "Mm":
            start = token[1:]
        out.append(token)
    return " ".join(out)


def _close_all(node: Any) -> None:
    for path in node.getElementsByTagName("path"):
        d = path.getAttribute("d")
        if "Z" in d or "z" in d:
            path.setAttribute("d", close_paths(d))


def install() -> None:
    """Patch pyqtgraph's SVG exporter (idempotent)."""
    global _INSTALLED
    if _INSTALLED:
        return
    module = importlib.import_module("pyqtgraph.exporters.SVGExporter")
    original = module.correctCoordinates

    def correct_coordinates(node, defs, item, options):  # noqa: ANN001, ANN202
        _close_all(node)
        return original(node, defs, item, options)

    module.correctCoordinates = correct_coordinates
    _INSTALLED = True
