"""Temporary database files written beside their target and renamed into place."""
from __future__ import annotations

from pathlib import Path


def discard(temp: Path) -> None:
    """Remove a temporary database file and the rollback journal SQLite may have left."""
    for leftover in (temp, temp.with_name(temp.name + "-journal")):
        try:
            leftover.unlink()
        except OSError:  # gone already, or a read-only disk: cleaning up must not hide the first error
            pass
