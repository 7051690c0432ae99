"""Opening a received file that may have been made to hurt us (sqlite.org/security.html).

The recipe (FACTS "SQLite", DESIGN §6), in order — the file's own SQL never runs:

1. size (0 < size ≤ ``MAX_BYTES``), read once into memory: every later check sees the same
   bytes, so the file cannot change between the checks and the use (no TOCTOU);
2. the 100-byte header: magic, page size, journal (WAL refused), size = page count × page size,
   ``application_id`` and ``user_version`` (newer refused);
3. a private copy: the bytes are ``deserialize``-d into a fresh in-memory connection — nothing
   else can open or change it, and no journal, ``-wal`` or ``-shm`` can appear anywhere;
4. before the schema is parsed: ``trusted_schema=OFF``, ``cell_size_check=ON``,
   ``mmap_size=0``, ``query_only=ON``, a process-wide ``hard_heap_limit``, lowered
   ``setlimit``s (no ATTACH, short strings, shallow expressions), a progress-handler deadline,
   and an authorizer that allows only reads, a short list of functions and a few pragmas —
   and denies everything reached through a view or a trigger;
5. ``quick_check`` before anything else;
6. the schema must equal the one our migrations make for its ``user_version`` exactly
   (tables, columns, indexes; no view, no trigger, no virtual or extra table);
7. no blob, no value of the wrong type and no overlong text in the tables that are read
   (``check_fields`` in SQL; for a file of the latest version ``read_tables`` checks the same
   on the very rows it reads, each table read once).

``Refusal`` carries a stable ``code`` (tests, JSON) and the Chinese reason.
"""
from __future__ import annotations

import functools
import sqlite3
import struct
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from desktop.store import schema

MAX_BYTES = 50 * 1024 * 1024
"""Largest submission file read (a real one is well under 1 MB)."""
DEADLINE_SECONDS = 20.0
"""Wall-clock limit for every SQL statement run on one received file."""
PROGRESS_STEPS = 50_000
"""SQLite VM steps between two deadline checks (about a millisecond)."""
HEAP_LIMIT = 1024 * 1024 * 1024
"""Process-wide ``hard_heap_limit`` (SQLite can only lower it; our own files need far less)."""
MAX_FIELD_CHARS = 100_000
"""Longest text accepted in any column (a footnote is a few hundred characters)."""
LIMITS = {
    sqlite3.SQLITE_LIMIT_LENGTH: 1_000_000,
    sqlite3.SQLITE_LIMIT_SQL_LENGTH: 100_000,
    sqlite3.SQLITE_LIMIT_COLUMN: 100,
    sqlite3.SQLITE_LIMIT_EXPR_DEPTH: 50,
    sqlite3.SQLITE_LIMIT_COMPOUND_SELECT: 30,
    sqlite3.SQLITE_LIMIT_FUNCTION_ARG: 8,
    sqlite3.SQLITE_LIMIT_ATTACHED: 0,
    sqlite3.SQLITE_LIMIT_LIKE_PATTERN_LENGTH: 100,
    sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER: 100,
    sqlite3.SQLITE_LIMIT_TRIGGER_DEPTH: 1,
    sqlite3.SQLITE_LIMIT_WORKER_THREADS: 0,
}
SAFE_FUNCTIONS = frozenset({"typeof", "length", "count", "max", "min", "sum", "coalesce"})
SAFE_PRAGMAS = frozenset({"quick_check", "table_info", "application_id", "user_version", "page_count", "page_size"})
SQLITE_HEADER = b"SQLite format 3\x00"
READ_TABLES = frozenset({
    "plan", "plan_property", "box", "section", "task_item", "indicator", "actual",
    "submission_manifest", "submission", "submitted_value",
})
"""The tables a received file is read from; no other table's content is ever used."""


class Refusal(Exception):
    """Why a received file is refused: ``code`` (stable, English) and ``reason`` (Chinese)."""

    def __init__(self, code: str, reason: str):
        super().__init__(reason)
        self.code = code
        self.reason = reason


@dataclass(frozen=True)
class HeaderInfo:
    page_size: int
    page_count: int
    application_id: int
    user_version: int


# ------------------------------------------------------------------------------ bytes


def read_bytes(path: Path, max_bytes: int = MAX_BYTES) -> bytes:
    """The whole file, refused when missing, empty or over the size limit."""
    try:
        if not path.exists():
            raise Refusal("missing", "找不到文件")
        if not path.is_file():
            raise Refusal("not_file", "不是文件")
        size = path.stat().st_size
        if size == 0:
            raise Refusal("empty", "文件为空（0 字节）")
        if size > max_bytes:
            raise Refusal("too_large", f"文件过大（{size / 1048576:.1f} MB，上限 {max_bytes / 1048576:.0f} MB）")
        with open(path, "rb") as f:
            # read(n) allocates n bytes first: ask for the size seen (+1 to notice growth), not the limit
            data = f.read(size + 1)
            if len(data) > size:  # grew since stat: read on up to the limit
                data += f.read(max_bytes + 1 - len(data))
    except OSError as exc:
        raise Refusal("unreadable", f"无法读取文件：{exc.strerror or exc}") from exc
    if len(data) > max_bytes:
        raise Refusal("too_large", f"文件过大（上限 {max_bytes / 1048576:.0f} MB）")
    if not data:
        raise Refusal("empty", "文件为空（0 字节）")
    return data


def check_header(data: bytes, latest: int) -> HeaderInfo:
    """The header checks SQLite itself is lenient about; raises ``Refusal``."""
    if not data.startswith(SQLITE_HEADER[: min(len(data), 16)]) or len(data) < 16:
        raise Refusal("not_sqlite", "不是 SQLite 数据库文件")
    if len(data) < 100:
        raise Refusal("truncated", f"文件不完整：只有 {len(data)} 字节，文件头被截断")
    (raw_page_size,) = struct.unpack(">H", data[16:18])
    page_size = 65536 if raw_page_size == 1 else raw_page_size
    write_version, read_version = data[18], data[19]
    change_counter, page_count = struct.unpack(">II", data[24:32])
    (valid_for,) = struct.unpack(">I", data[92:96])
    user_version, application_id = struct.unpack(">i4xI", data[60:72])
    if page_size < 512 or page_size > 65536 or page_size & (page_size - 1):
        raise Refusal("bad_header", f"文件头已损坏（页大小 {raw_page_size} 无效）")
    if write_version == 2 or read_version == 2:
        raise Refusal("wal", "文件处于 WAL 日志模式，不是独立的报送文件（请在报送单位用本程序重新导出）")
    if write_version != 1 or read_version != 1:
        raise Refusal("bad_header", f"文件头已损坏（读写版本 {write_version}/{read_version} 无效）")
    if valid_for != change_counter or page_count == 0:
        raise Refusal("bad_header", "文件头已损坏（页数记录无效）")
    if len(data) != page_count * page_size:
        expected = page_count * page_size
        what = "被截断" if len(data) < expected else "末尾附加了数据"
        raise Refusal(
            "size_mismatch",
            f"文件长度 {len(data)} 字节与文件头记载的 {page_count} 页 × {page_size} 字节 = {expected} 字节不符（文件{what}）",
        )
    if application_id != schema.APPLICATION_ID:
        raise Refusal("foreign", f"不是规划指标台账文件（是其他程序的 SQLite 数据库，application_id = {application_id}）")
    if user_version > latest:
        raise Refusal("newer", f"由更新版本的规划指标台账创建（架构版本 {user_version}），本程序支持到 {latest}，请升级程序")
    if user_version < 1:
        raise Refusal("no_schema", "文件不完整（未建立架构）")
    return HeaderInfo(page_size, page_count, application_id, user_version)


# ------------------------------------------------------------------------- connection


def _authorizer(action: int, arg1: str | None, arg2: str | None, db_name: str | None, source: str | None) -> int:
    if source is not None:  # reached through a view or a trigger of the file: never
        return sqlite3.SQLITE_DENY
    if action in (sqlite3.SQLITE_SELECT, sqlite3.SQLITE_READ):
        return sqlite3.SQLITE_OK
    if action == sqlite3.SQLITE_FUNCTION and arg2 in SAFE_FUNCTIONS:
        return sqlite3.SQLITE_OK
    if action == sqlite3.SQLITE_PRAGMA and arg1 in SAFE_PRAGMAS and (arg2 is None or arg1 == "table_info"):
        return sqlite3.SQLITE_OK
    return sqlite3.SQLITE_DENY


def _set_heap_limit() -> None:
    with sqlite3.connect(":memory:") as c:
        current = int(c.execute("PRAGMA hard_heap_limit").fetchone()[0])
        if current == 0 or current > HEAP_LIMIT:
            c.execute(f"PRAGMA hard_heap_limit = {HEAP_LIMIT:d}")
    c.close()


def open_private(data: bytes, *, deadline: float = DEADLINE_SECONDS) -> sqlite3.Connection:
    """A hardened, read-only, in-memory private copy of ``data`` (header already checked)."""
    _heap_limit_once()
    conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=True)
    try:
        for category, value in LIMITS.items():
            conn.setlimit(category, value)
        conn.execute("PRAGMA trusted_schema = OFF")
        conn.execute("PRAGMA cell_size_check = ON")
        conn.deserialize(data)
        conn.execute("PRAGMA mmap_size = 0")
        conn.execute("PRAGMA query_only = ON")
        conn.execute("PRAGMA foreign_keys = OFF")
        conn.execute("PRAGMA trusted_schema = OFF")
        conn.execute("PRAGMA cell_size_check = ON")
        until = time.monotonic() + deadline
        conn.set_progress_handler(lambda: 1 if time.monotonic() > until else 0, PROGRESS_STEPS)
        conn.set_authorizer(_authorizer)
    except BaseException:
        conn.close()
        raise
    return conn


@functools.cache
def _heap_limit_once() -> None:
    _set_heap_limit()


def allow_writes(conn: sqlite3.Connection) -> None:
    """Lift read-only for migrating the private copy (only after the schema was checked)."""
    conn.set_authorizer(None)
    conn.execute("PRAGMA query_only = OFF")
    conn.execute("PRAGMA foreign_keys = OFF")


def sql_refusal(exc: sqlite3.Error) -> Refusal:
    """A Chinese reason for an SQLite error raised while reading a hostile file."""
    text = str(exc)
    low = text.lower()
    if "interrupted" in low:
        return Refusal("timeout", f"处理超时（超过 {DEADLINE_SECONDS:.0f} 秒），文件可能被构造为拖慢程序")
    if "too big" in low:
        return Refusal("oversized_field", "文件中有超长的数据（单个字段超过 1 MB）")
    if "malformed database schema" in low and ("unsafe use" in low or "no such function" in low):
        return Refusal("schema", f"文件结构含有不允许的对象（{text}），报送文件不能含有调用函数的索引、视图或触发器")
    if "not authorized" in low or "prohibited" in low or "unsafe use" in low:
        return Refusal("forbidden", f"文件试图执行不允许的操作（{text}）")
    if "out of memory" in low or "nomem" in low:
        return Refusal("memory", "读取文件所需内存超过上限")
    if "not a database" in low:
        return Refusal("corrupt", "文件已损坏：不是有效的数据库（文件头或页面被改动）")
    if "malformed" in low or "corrupt" in low:
        return Refusal("corrupt", f"文件已损坏（{text}）")
    return Refusal("corrupt", f"文件无法读取（{text}）")


def quick_check(conn: sqlite3.Connection) -> None:
    # the report may quote a damaged name that is not UTF-8: read it as bytes, decode leniently
    previous = conn.text_factory
    conn.text_factory = bytes
    try:
        rows = [r[0].decode("utf-8", "replace") if isinstance(r[0], bytes) else str(r[0])
                for r in conn.execute("PRAGMA quick_check").fetchall()]
    except UnicodeDecodeError:  # pragma: no cover - bytes factory: nothing is decoded by sqlite3
        raise Refusal("corrupt", "文件已损坏（完整性检查的报告无法读取）") from None
    finally:
        conn.text_factory = previous
    if rows != ["ok"]:
        raise Refusal("corrupt", f"文件已损坏（完整性检查未通过：{'；'.join(rows[:3])}）")


# ---------------------------------------------------------------------------- schema


SchemaObjects = frozenset[tuple[str, str, str, str | None]]
Columns = dict[str, tuple[tuple[str, str, int, str | None, int], ...]]

_LOOSE_SQL = frozenset({"_sqlite_migrations"})
"""Made by sqlite-utils, not by our SQL: compared by columns, not by its CREATE text."""

_SCHEMA_SQL = "SELECT type, name, tbl_name, sql FROM sqlite_master"


def _columns(conn: sqlite3.Connection, table: str) -> tuple[tuple[str, str, int, str | None, int], ...]:
    quoted = table.replace('"', '""')
    return tuple(tuple(r[1:]) for r in conn.execute(f'PRAGMA table_info("{quoted}")'))


@dataclass(frozen=True, eq=False)
class KnownSchema:
    version: int
    objects: SchemaObjects
    columns: Columns
    raw: frozenset[tuple] = frozenset()
    """``sqlite_master`` rows exactly as our migrations write them (a file made by this program
    has these very rows: compared first, before the whitespace-normalised comparison)."""

    @property
    def tables(self) -> list[str]:
        return sorted(name for kind, name, _, _ in self.objects if kind == "table")


def _read_schema(conn: sqlite3.Connection, everything: bool = False) -> tuple[SchemaObjects, Columns]:
    objects = frozenset(
        (str(t), str(n), str(tb), None if n in _LOOSE_SQL or s is None else " ".join(str(s).split()))
        for t, n, tb, s in conn.execute(_SCHEMA_SQL)
    )
    # every other table is compared by its exact CREATE text, which fixes its columns
    names = sorted(n for t, n, _, _ in objects if t == "table" and (n in _LOOSE_SQL or everything))
    return objects, {name: _columns(conn, name) for name in names}


@functools.lru_cache(maxsize=8)
def known_schemas(migration_list: tuple[tuple[str, str], ...]) -> dict[int, KnownSchema]:
    """The exact schema of every version, made by applying our migrations to fresh memory DBs."""
    known: dict[int, KnownSchema] = {}
    for n in range(1, len(migration_list) + 1):
        conn = sqlite3.connect(":memory:", isolation_level=None)
        try:
            schema.migrate(conn, list(migration_list[:n]))
            objects, columns = _read_schema(conn, everything=True)
            raw = frozenset(
                (t, n_, tb, s) for t, n_, tb, s in conn.execute(_SCHEMA_SQL) if n_ not in _LOOSE_SQL
            )
        finally:
            conn.close()
        known[n] = KnownSchema(n, objects, columns, raw)
    return known


def check_schema(conn: sqlite3.Connection, known: KnownSchema) -> None:
    """The file's schema must be exactly ``known`` (raises ``Refusal("schema", …)``)."""
    rows = conn.execute(_SCHEMA_SQL).fetchall()
    if known.raw and len(rows) == len(known.raw) + len(_LOOSE_SQL & set(known.columns)):
        # the usual case, cheaply: every row verbatim as ours, plus the loose tables by columns
        loose = [r for r in rows if r[1] in _LOOSE_SQL]
        if (
            frozenset(r for r in rows if r[1] not in _LOOSE_SQL) == known.raw
            and len(loose) == len(_LOOSE_SQL & set(known.columns))
            and all(r[0] == "table" and r[1] == r[2] and _columns(conn, r[1]) == known.columns[r[1]] for r in loose)
        ):
            return
    objects, columns = _read_schema(conn)
    loose = {name: known.columns[name] for name in columns if name in known.columns}
    if objects == known.objects and columns == loose and set(columns) == _LOOSE_SQL & set(known.columns):
        return
    found: list[str] = []
    kinds = {"view": "视图", "trigger": "触发器", "index": "索引", "table": "表"}
    expected_names = {(t, n) for t, n, _, _ in known.objects}
    for t, n, _, _ in sorted(objects):
        if t in ("view", "trigger"):
            found.append(f"含有{kinds[t]}“{n}”（报送文件不允许视图和触发器）")
        elif (t, n) not in expected_names:
            found.append(f"含有多余的{kinds.get(t, t)}“{n}”")
    names = {(t, n) for t, n, _, _ in objects}
    for t, n, _, _ in sorted(known.objects):
        if (t, n) not in names:
            found.append(f"缺少{kinds.get(t, t)}“{n}”")
    if not found:
        for t, n, tb, s in sorted(objects - known.objects):
            found.append(f"{kinds.get(t, t)}“{n}”的定义与标准不同")
        for table in sorted(columns):
            if columns[table] != known.columns.get(table):
                found.append(f"表“{table}”的列与标准不同")
    raise Refusal("schema", f"文件结构与架构版本 {known.version} 不一致：" + "；".join(found[:4]))


_TYPES = {"TEXT": "'text', 'null'", "INTEGER": "'integer', 'null'"}


@functools.lru_cache(maxsize=8)
def _field_check_sql(known: KnownSchema) -> str:
    parts = []
    for table in known.tables:
        if table not in READ_TABLES:
            continue
        conds = []
        for name, declared, *_ in known.columns[table]:
            allowed = _TYPES.get(declared.upper(), "'text', 'integer', 'real', 'null'")
            conds.append(f"typeof(\"{name}\") NOT IN ({allowed})")
            if declared.upper() != "INTEGER":
                conds.append(f"length(\"{name}\") > {MAX_FIELD_CHARS:d}")
        cond = " OR ".join(conds)
        parts.append(f"SELECT '{table}', count(*) FROM \"{table}\" WHERE {cond}")
    return " UNION ALL ".join(parts)


def check_fields(conn: sqlite3.Connection, known: KnownSchema) -> None:
    """No blob and no text longer than ``MAX_FIELD_CHARS`` anywhere."""
    bad = [table for table, count in conn.execute(_field_check_sql(known)) if count]
    if bad:
        raise Refusal(
            "oversized_field",
            f"文件中有二进制数据、超长的字段（超过 {MAX_FIELD_CHARS} 个字符）或类型不符的字段，见表：{'、'.join(bad)}",
        )


_PY_TYPES = {"TEXT": (str, type(None)), "INTEGER": (int, type(None))}
_ANY_TYPES = (str, int, float, type(None))
_ORDER = {
    "actual": "code, year", "submission": "id", "submitted_value": "submission, code, year",
    "plan_property": "position, rowid", "section": "box, position", "task_item": "box, number",
    "box": "position", "indicator": "position",
}
"""How ``read_tables`` orders rows (the order ``repository`` and ``manifest`` read them in);
other tables by rowid."""


@functools.lru_cache(maxsize=8)
def _read_sql(known: KnownSchema) -> tuple[tuple[str, tuple[str, ...], str, tuple[tuple[type, ...], ...]], ...]:
    out = []
    for table in known.tables:
        if table not in READ_TABLES:
            continue
        names = tuple(c[0] for c in known.columns[table])
        types = tuple(_PY_TYPES.get(c[1].upper(), _ANY_TYPES) for c in known.columns[table])
        cols = ", ".join(f'"{n}"' for n in names)
        out.append((table, names, f'SELECT {cols} FROM "{table}" ORDER BY {_ORDER.get(table, "rowid")}', types))
    return tuple(out)


def table_columns(known: KnownSchema, table: str) -> tuple[str, ...]:
    """The columns of ``table`` in the order ``read_tables`` returns them."""
    return tuple(c[0] for c in known.columns[table])


def read_tables(conn: sqlite3.Connection, known: KnownSchema, *, size: int | None = None) -> dict[str, list[tuple]]:
    """Every row of every table a received file is read from (``READ_TABLES``), all columns.

    The same check as ``check_fields``, on the rows as read (one statement per table, so the
    fields are checked on exactly what is used): no blob, no value of another type than the
    column's, no text longer than ``MAX_FIELD_CHARS``; raises ``Refusal("oversized_field")``.
    ``size``: the file's length in bytes; a file no longer than ``MAX_FIELD_CHARS`` cannot hold
    a longer text (every character takes at least a byte of it), so lengths are not measured.
    """
    lengths = size is None or size > MAX_FIELD_CHARS
    tables: dict[str, list[tuple]] = {}
    bad: list[str] = []
    for table, names, sql, types in _read_sql(known):
        try:
            rows = conn.execute(sql).fetchall()
        except sqlite3.Error:
            check_fields(conn, known)  # a field too long to read at all: say which table
            raise
        tables[table] = rows
        if rows and not _fields_ok(rows, types, lengths):
            bad.append(table)
    if bad:
        raise Refusal(
            "oversized_field",
            f"文件中有二进制数据、超长的字段（超过 {MAX_FIELD_CHARS} 个字符）或类型不符的字段，见表：{'、'.join(bad)}",
        )
    return tables


def _fields_ok(rows: list[tuple], types: tuple[tuple[type, ...], ...], lengths: bool = True) -> bool:
    for column, allowed in zip(zip(*rows), types):
        kinds = set(map(type, column))
        if not kinds.issubset(allowed):
            return False
        if lengths and str in kinds:
            longest = max(map(len, column)) if len(kinds) == 1 else max(len(v) for v in column if type(v) is str)
            if longest > MAX_FIELD_CHARS:
                return False
        if float in kinds and any(type(v) is float and len(repr(v)) > MAX_FIELD_CHARS for v in column):
            return False  # pragma: no cover - a float's text is never that long
    return True


def open_checked(
    data: bytes,
    migration_list: Sequence[tuple[str, str]],
    *,
    deadline: float = DEADLINE_SECONDS,
    fields: bool = True,
) -> tuple[sqlite3.Connection, int]:
    """Steps 2–7 above: a checked private connection and the file's schema version.

    ``fields=False`` leaves step 7 to the caller for a file of the latest version: it reads
    every row with ``read_tables``, which checks the same on the rows it returns.
    """
    migration_tuple = tuple((n, s) for n, s in migration_list)
    latest = schema.latest_version(migration_tuple)
    header = check_header(data, latest)
    try:
        conn = open_private(data, deadline=deadline)
    except sqlite3.Error as exc:
        raise sql_refusal(exc) from exc
    try:
        quick_check(conn)
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        app_id = int(conn.execute("PRAGMA application_id").fetchone()[0]) & 0xFFFFFFFF
        if version != header.user_version or app_id != header.application_id:
            raise Refusal("bad_header", "文件头与数据库内容不一致")
        known = known_schemas(migration_tuple)[version]
        check_schema(conn, known)
        if fields or version != latest:
            check_fields(conn, known)
    except sqlite3.Error as exc:
        conn.close()
        raise sql_refusal(exc) from exc
    except BaseException:
        conn.close()
        raise
    return conn, version

