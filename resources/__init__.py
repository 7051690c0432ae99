"""Bundled resources: plan templates, fonts, icons, translations.

The one place that finds them, through ``importlib.resources.files("resources")`` so the same
code works from a source checkout, an installed wheel and a PyInstaller bundle (which must
collect this package's data files). Nothing else in the project opens these files by path.
"""
from __future__ import annotations

import atexit
import json
from contextlib import ExitStack, contextmanager
from importlib import resources as _resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Iterator

from desktop.domain.errors import NotFound, PlanLedgerError

TEMPLATES = "templates"


def _root() -> Traversable:
    return _resources.files(__name__)


def _template_files() -> dict[str, Traversable]:
    folder = _root() / TEMPLATES
    if not folder.is_dir():
        return {}
    return {
        entry.name[: -len(".json")]: entry
        for entry in folder.iterdir()
        if entry.name.endswith(".json") and entry.is_file()
    }


def _load(name: str, entry: Traversable) -> dict:
    try:
        data = json.loads(entry.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise PlanLedgerError(f"内置规划模板“{name}”无法读取：{exc}") from exc
    if not isinstance(data, dict):
        raise PlanLedgerError(f"内置规划模板“{name}”的内容不是 JSON 对象")
    return data


def template_names() -> list[str]:
    """Names (ids) of the bundled templates, sorted by their ``order`` then name."""
    keyed = []
    for name, entry in _template_files().items():
        try:
            order = _load(name, entry).get("order", 1000)
        except PlanLedgerError:
            order = 1000
        keyed.append((order if isinstance(order, int) else 1000, name))
    return [name for _, name in sorted(keyed)]


def read_template(name: str) -> dict:
    """The parsed JSON of one bundled template.

    Raises ``NotFound`` (Chinese message listing the available names) for an unknown name.
    """
    files = _template_files()
    entry = files.get(name)
    if entry is None:
        available = "、".join(template_names()) or "（无）"
        raise NotFound(f"没有名为“{name}”的规划模板；可用的模板：{available}")
    return _load(name, entry)


@contextmanager
def resource_path(*parts: str) -> Iterator[Path]:
    """A real file-system path of a bundled resource for the duration of the ``with`` block.

    ``with resource_path("fonts", "NotoSerifSC-Regular.otf") as path: ...`` — libraries
    such as reportlab need a path; inside a zip this extracts a temporary copy.
    """
    entry = _root().joinpath(*parts)
    if not entry.is_file() and not entry.is_dir():
        raise NotFound(f"没有找到内置资源“{'/'.join(parts)}”")
    with _resources.as_file(entry) as path:
        yield Path(path)


FONT_SUFFIXES = (".ttf", ".otf", ".ttc")
_kept = ExitStack()  # extracted copies (zip imports only) live until the process exits
atexit.register(_kept.close)


def font_files() -> list[Path]:
    """Real paths of the bundled fonts (``resources/fonts/*.ttf|otf|ttc``), sorted by name.

    Empty when no font is bundled. From a zip, each font is extracted once for the process.
    """
    folder = _root() / "fonts"
    if not folder.is_dir():
        return []
    entries = sorted(
        (e for e in folder.iterdir() if e.is_file() and e.name.lower().endswith(FONT_SUFFIXES)),
        key=lambda e: e.name,
    )
    return [Path(_kept.enter_context(_resources.as_file(e))) for e in entries]


__all__ = ["font_files", "read_template", "resource_path", "template_names"]
