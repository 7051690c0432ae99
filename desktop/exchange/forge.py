"""Make many submission files fast from one real export: for tests and the benchmark only.

``resign(src, dst, …)`` copies an exported file, changes its region and values in the copy
and recomputes the manifest's fingerprint — exactly what a county's own export would have
produced for those values. (The fingerprint proves integrity, not authorship: anyone can
recompute it, which is why the paper report carries it too.) The app never calls this.
"""
from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from desktop.domain.fingerprint import fingerprint
from desktop.store import repository as repo

from .manifest import detail_fingerprint, read_detail

ValueMap = Callable[[str, int, Decimal | None], Decimal | None]


def resign(
    src: Path,
    dst: Path,
    *,
    region_code: str | None = None,
    region_name: str | None = None,
    values: ValueMap | None = None,
    sql: str | None = None,
) -> str:
    """Copy ``src`` to ``dst`` with another region / values (and optional raw ``sql``); re-sign it.

    Returns the new fingerprint. ``values(code, year, old)`` gives each stored value's new value.
    """
    shutil.copyfile(src, dst)
    conn = sqlite3.connect(dst, isolation_level=None)
    try:
        conn.execute("BEGIN")
        if region_code is not None:
            conn.execute("UPDATE plan SET region_code = ?", (region_code,))
            conn.execute("UPDATE submission_manifest SET region_code = ?", (region_code,))
        if region_name is not None:
            conn.execute("UPDATE plan SET region_name = ?", (region_name,))
            conn.execute("UPDATE submission_manifest SET region_name = ?", (region_name,))
        if values is not None:
            rows = conn.execute("SELECT code, year, value FROM actual").fetchall()
            conn.executemany(
                "UPDATE actual SET value = ? WHERE code = ? AND year = ?",
                [(repo.decimal_text(values(c, y, repo.text_decimal(v))), c, y) for c, y, v in rows],
            )
        if sql:
            for statement in sql.split(";"):
                if statement.strip():
                    conn.execute(statement)
        year = int(conn.execute("SELECT report_year FROM submission_manifest").fetchone()[0])
        fp = fingerprint(repo.read_plan(conn), repo.read_actuals(conn), year)
        conn.execute(
            "UPDATE submission_manifest SET fingerprint = ?, detail_fingerprint = ?",
            (fp, detail_fingerprint(read_detail(conn))),
        )
        conn.execute("COMMIT")
    finally:
        conn.close()
    return fp
