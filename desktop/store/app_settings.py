"""Per-machine settings (not per workspace): the report fonts chosen on this PC.

A small JSON file in the user's config folder (platformdirs). Progress settings such as the
± band live in the workspace instead, so a printed report is the same on every machine.
"""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from desktop import APP_ID

FONT_KEYS = ("report_body_font", "report_heading_font")


def settings_path() -> Path:
    from platformdirs import user_config_dir

    return Path(user_config_dir(APP_ID, appauthor=False)) / "settings.json"


def load() -> dict[str, Any]:
    """The saved settings; a missing or damaged file gives the defaults (an empty dict)."""
    try:
        data = json.loads(settings_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def save(values: dict[str, Any]) -> None:
    """Merge ``values`` (None removes a key) and write atomically."""
    data = load()
    for key, value in values.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    path = settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    os.replace(tmp, path)


def report_font_paths(body: str | None = None, heading: str | None = None) -> tuple[Path | None, Path | None]:
    """The report fonts to use: explicit arguments first, then the saved choice, else bundled."""
    saved = load()
    b = body or saved.get("report_body_font")
    h = heading or saved.get("report_heading_font")
    return (Path(b) if b else None, Path(h) if h else None)
