"""Recognising a workspace file and bringing its schema up to date.

The file header is read before SQLite sees the file, so a foreign or newer file is refused
before anything is read (Anki's "too old / too new"). Migrations are the SQL files of ``db/``,
applied through sqlite-utils ``Migrations``: each runs statement by statement inside one
atomic block together with its record, ``application_id`` and ``user_version``.
"""
from __future__ import annotations

import sqlite3
import struct
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import db as schema_files

if TYPE_CHECKING:  # sqlite-utils imports numpy when present (~130 ms): only load it to migrate
    from sqlite_utils import Database
    from sqlite_utils.migrations import Migrations

APPLICATION_ID = schema_files.APPLICATION_ID
MIGRATION_SET = "planledger"
SQLITE_MAGIC = b"SQLite format 3\x00"
HEADER_SIZE = 100

MigrationList = Sequence[tuple[str, str]]


def migrations() -> list[tuple[str, str]]:
    """The migrations this program knows (``db/NNNN_name.sql``); tests may pass their own."""
    return schema_files.migrations()


def latest_version(migration_list: MigrationList) -> int:
    return schema_files.version_of(migration_list[-1][0]) if migration_list else 0


@dataclass(frozen=True)
class Header:
    """What the first 100 bytes of an SQLite file say about it."""

    application_id: int
    user_version: int


def read_header(path: Path) -> Header | str:
    """The header of ``path``, or a Chinese reason why it is not an SQLite database file."""
    with open(path, "rb") as f:
        head = f.read(HEADER_SIZE)
    if not head:
        return "文件为空（0 字节）"
    if head[:16] != SQLITE_MAGIC:
        return "不是 SQLite 数据库文件"
    if len(head) < HEADER_SIZE:
        return "文件不完整（文件头被截断）"
    user_version, application_id = struct.unpack(">i4xi", head[60:72])
    return Header(application_id=application_id & 0xFFFFFFFF, user_version=user_version)


def split_statements(sql: str) -> list[str]:
    """The statements of a migration file, one by one (``;`` inside strings is safe)."""
    statements: list[str] = []
    buffer = ""
    for line in sql.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            statement = buffer.strip()
            buffer = ""
            if _has_code(statement):
                statements.append(statement)
    if _has_code(buffer):
        raise ValueError(f"迁移脚本末尾有不完整的语句：{buffer.strip()[:80]}")
    return statements


def _has_code(text: str) -> bool:
    return any(line.strip() and not line.strip().startswith("--") for line in text.splitlines())


def build_migrations(migration_list: MigrationList) -> Migrations:
    """A sqlite-utils ``Migrations`` set with one function per SQL file."""
    from sqlite_utils.migrations import Migrations

    migrations_set = Migrations(MIGRATION_SET)
    for name, sql in migration_list:
        migrations_set(name=name)(_migration_function(name, sql))
    return migrations_set


def _migration_function(name: str, sql: str):
    statements = split_statements(sql)
    version = schema_files.version_of(name)

    def apply(database: Database) -> None:
        # Inside the atomic block Migrations opens: db.execute joins that transaction, where
        # executescript would commit first. Both header pragmas are transactional too.
        for statement in statements:
            database.execute(statement)
        database.execute(f"PRAGMA application_id = {APPLICATION_ID:d}")
        database.execute(f"PRAGMA user_version = {version:d}")

    apply.__name__ = f"migration_{name}"
    return apply


def migrate(conn: sqlite3.Connection, migration_list: MigrationList) -> None:
    """Apply every pending migration of ``migration_list`` to ``conn``."""
    from sqlite_utils import Database

    database = Database(conn, recursive_triggers=False, execute_plugins=False)
    build_migrations(migration_list).apply(database)


def pragma_int(conn: sqlite3.Connection, name: str) -> int:
    return int(conn.execute(f"PRAGMA {name}").fetchone()[0])
