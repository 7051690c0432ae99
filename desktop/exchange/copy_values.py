"""Copy a verified file's values into the workspace in SQL, from the very bytes that were verified.

Verification (often in another process) reads every row and checks it; the import then needs
the same 360-odd rows again. Sending them back as Python tuples and binding 3,000 parameters a
file kept the importing process busy ~1.4 ms a file (0.96 ms this way). Instead the importer
reads the file again, compares its SHA-256 with the one taken of the bytes the verifier read
(``VerifyResult._digest``; a file changed in between is refused, nothing of it stored), loads
those bytes into an attached in-memory schema (``deserialize``: no file of theirs is opened by
SQLite, no journal appears next to it) and copies ``actual`` with one ``INSERT … SELECT``.

Only our statement runs over their tables: the schema was checked to be exactly ours (no view,
no trigger), ``trusted_schema`` is off while the copy is attached, and the count of copied
rows must equal the count verified or the file's transaction is rolled back and it is refused.
"""
from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from . import hostile
from .hostile import Refusal
from .verify import VerifyResult

SCHEMA = "received_file"
"""Name of the attached in-memory schema that holds the file being imported."""

_COPY = (
    f"INSERT INTO main.submitted_value (submission, code, year, value, nature, status, name, unit, in_catalogue)"
    f" SELECT :sid, a.code, a.year, a.value, a.nature, a.status, coalesce(i.name, ''), coalesce(i.unit, ''), {{kept}}"
    f" FROM {SCHEMA}.actual AS a LEFT JOIN {SCHEMA}.indicator AS i ON i.code = a.code"
)
_ALL_KEPT = _COPY.format(kept="1")
_SOME_OUTSIDE = _COPY.format(kept="CASE WHEN a.code IN (SELECT value FROM json_each(:outside)) THEN 0 ELSE 1 END")


class CopyFailed(Exception):
    """The copy did not match what was verified; raised inside the file's transaction."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class FileCopy:
    """The attached schema of one import batch (see ``attached``)."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    def load(self, path: Path, result: VerifyResult) -> None:
        """Put the file's bytes in the attached schema; ``Refusal`` if they are not the ones verified."""
        data = hostile.read_bytes(path, max(hostile.MAX_BYTES, result.size))
        if hashlib.sha256(data).digest() != result._digest:
            raise Refusal("changed", "文件在核验之后被改动过，未导入；请重新导入该文件")
        try:
            self.conn.deserialize(data, name=SCHEMA)
        except sqlite3.Error as exc:
            raise Refusal("unreadable", f"文件无法载入（{exc}）") from exc

    def insert(self, conn: sqlite3.Connection, sid: int, outside: set[str], expected: int) -> int:
        """Copy every value of the loaded file as submission ``sid``; codes in ``outside`` are
        kept out of consolidation (``in_catalogue = 0``). Raises ``CopyFailed`` when the count
        differs from ``expected`` or a row is refused by the table."""
        params: dict[str, object] = {"sid": sid}
        if outside:
            params["outside"] = json.dumps(sorted(outside), ensure_ascii=False)
        try:
            count = conn.execute(_SOME_OUTSIDE if outside else _ALL_KEPT, params).rowcount
        except sqlite3.IntegrityError as exc:
            raise CopyFailed(f"文件中的数值无法按核验结果保存（{exc}）") from exc
        if count != expected:
            raise CopyFailed(f"复制的数值个数（{count}）与核验的个数（{expected}）不符")
        return count


@contextmanager
def attached(conn: sqlite3.Connection) -> Iterator[FileCopy | None]:
    """An in-memory schema attached to ``conn`` for the batch (None if it cannot be attached:
    the import then uses the verified rows). ``trusted_schema`` is off meanwhile. Enter it
    inside ``Workspace.batch`` (whose journal pragmas name no schema) and outside any transaction."""
    trusted = int(conn.execute("PRAGMA trusted_schema").fetchone()[0])
    try:
        conn.execute("PRAGMA trusted_schema = OFF")
        conn.execute(f"ATTACH DATABASE ':memory:' AS {SCHEMA}")
    except sqlite3.Error:
        conn.execute(f"PRAGMA trusted_schema = {trusted:d}")
        yield None
        return
    try:
        yield FileCopy(conn)
    finally:
        try:
            conn.execute(f"DETACH DATABASE {SCHEMA}")
            conn.execute(f"PRAGMA trusted_schema = {trusted:d}")
        except sqlite3.Error:
            pass  # never hide what ended the batch; closing the connection drops the copy anyway
