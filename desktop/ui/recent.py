"""最近打开的文件 (kept apart from ``files`` so the window starts without the 新建 dialog's imports)."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings

RECENT_KEY = "recent_files"
MAX_RECENT = 8


class RecentFiles:
    """最近打开的文件, newest first, kept in QSettings."""

    def __init__(self, settings: QSettings | None = None) -> None:
        self.settings = settings or QSettings()

    def paths(self) -> list[str]:
        value = self.settings.value(RECENT_KEY, [])
        if isinstance(value, str):
            value = [value]
        return [str(v) for v in (value or []) if v]

    def add(self, path: Path | str) -> None:
        p = str(Path(path).resolve())
        paths = [p] + [x for x in self.paths() if x != p]
        self.settings.setValue(RECENT_KEY, paths[:MAX_RECENT])

    def remove(self, path: str) -> None:
        self.settings.setValue(RECENT_KEY, [x for x in self.paths() if x != path])

    def clear(self) -> None:
        self.settings.setValue(RECENT_KEY, [])
