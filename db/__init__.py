"""The workspace schema as numbered SQL migrations (``NNNN_name.sql``); see README.md.

Found through ``importlib.resources`` so a checkout, a wheel and a PyInstaller bundle (which
must collect ``db/*.sql`` as data) behave the same.
"""
from __future__ import annotations

import re
from importlib.resources import files

APPLICATION_ID = 0x504C4447
"""``PRAGMA application_id`` of every workspace file: the bytes "PLDG" (1347175495)."""

_FILE = re.compile(r"^(\d{4})_[A-Za-z0-9_]+\.sql$")


def version_of(name: str) -> int:
    """The schema version a migration brings a file to: its number ("0002_x" → 2)."""
    return int(name[:4])


def migrations() -> list[tuple[str, str]]:
    """Every migration as ``(name, sql)`` in order, e.g. ``("0001_initial", "CREATE …")``."""
    found = sorted(
        (entry.name[:-4], entry.read_text(encoding="utf-8"))
        for entry in files(__name__).iterdir()
        if _FILE.match(entry.name)
    )
    numbers = [version_of(name) for name, _ in found]
    if numbers != list(range(1, len(found) + 1)):
        raise RuntimeError(f"db/ migrations are not numbered 0001, 0002, … without gaps: {numbers}")
    return found


LATEST_VERSION = version_of(migrations()[-1][0])
"""The schema version this program writes (``PRAGMA user_version`` of an up-to-date file)."""
