"""The workspace file: create, open (refuse, lock, back up, migrate), read, close.

One SQLite file is one plan's document (DESIGN §6). A file is refused with a Chinese message
naming it when it is missing, not SQLite, not ours, damaged or newer than this program; an
older one is copied next to itself and then migrated; one that another instance holds, or
that sits on read-only media, opens read-only. Edits go through ``desktop.store.actions``,
each in one transaction of ``Workspace.transaction``.
"""
from __future__ import annotations

import getpass
import os
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import quote

from .tempfiles import discard
from desktop.domain.errors import FileRefused, ReadOnly, ValueRefused, WriteFailed
from desktop.domain.model import Actual, Plan
from desktop.domain.progress import Settings

from . import repository as repo
from . import schema
from .filelock import Busy, FileLock
from .repository import AuditEntry

__all__ = ["Workspace", "AuditEntry", "now_text"]

BUSY_TIMEOUT_MS = 5000
READ_ONLY_LOCKED = "文件正被另一个程序实例使用，已以只读方式打开"
READ_ONLY_MEDIA = "文件位于只读位置（文件或所在文件夹不可写），已以只读方式打开"
READ_ONLY_ASKED = "已按要求以只读方式打开"
READ_ONLY_SUBMISSION = "是导出的报送文件（改动会使数据指纹不符、上级核验不通过），只能查看"


def now_text() -> str:
    """When, as the audit log writes it: ISO 8601 local time with offset, to the second."""
    return datetime.now().astimezone().isoformat(timespec="seconds")


def default_user() -> str:
    try:
        return getpass.getuser() or "未知用户"
    except Exception:  # no login name (service account, odd environment)
        return "未知用户"


class Workspace:
    """An open workspace file. Use ``Workspace.create`` / ``Workspace.open``, then ``close``.

    ``read_only`` and ``read_only_reason`` say whether (and why) edits are refused;
    ``migrated_from`` and ``backup_path`` are set when opening upgraded an older file.
    """

    def __init__(
        self,
        path: Path,
        conn: sqlite3.Connection,
        *,
        user: str,
        lock: FileLock | None,
        read_only_reason: str | None,
        schema_version: int,
        migrated_from: int | None = None,
        backup_path: Path | None = None,
    ):
        self.path = path
        self.user = user
        self.read_only_reason = read_only_reason
        self.schema_version = schema_version
        self.migrated_from = migrated_from
        self.backup_path = backup_path
        self._conn: sqlite3.Connection | None = conn
        self._lock = lock
        self._plan: Plan | None = None

    # ------------------------------------------------------------------------ create

    @classmethod
    def create(
        cls,
        path: str | os.PathLike[str],
        plan: Plan,
        actuals: Iterable[Actual] = (),
        *,
        user: str | None = None,
        _migrations: Sequence[tuple[str, str]] | None = None,
    ) -> Workspace:
        """Make a new workspace file for ``plan`` (with template ``actuals``); never overwrites.

        The file is built under a temporary name beside the target and published only when
        complete, so a crash never leaves a half-made workspace under the user's name.
        """
        if not str(path).strip():
            raise FileRefused("新工作簿的文件名为空")
        path = Path(path)
        user = user or default_user()
        migration_list = list(_migrations) if _migrations is not None else schema.migrations()
        if path.exists():
            raise FileRefused(f"文件“{path.name}”已存在，不会覆盖；请另选文件名")
        if not path.parent.is_dir():
            raise FileRefused(f"文件夹“{path.parent}”不存在，无法创建“{path.name}”")
        import secrets  # only to create: it loads hashlib/hmac

        temp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
        try:
            conn = sqlite3.connect(temp, isolation_level=None)
        except sqlite3.Error as exc:
            raise FileRefused(f"无法在“{path.parent}”中创建文件“{path.name}”：文件夹是只读的、没有写入权限或磁盘已满") from exc
        try:
            try:
                conn.execute("PRAGMA journal_mode = DELETE")
                conn.execute("PRAGMA synchronous = FULL")
                conn.execute("PRAGMA foreign_keys = ON")
                schema.migrate(conn, migration_list)
                conn.execute("BEGIN IMMEDIATE")
                repo.write_plan(conn, plan)
                count = repo.write_actuals(conn, actuals)
                repo.add_audit(
                    conn,
                    at=now_text(),
                    who=user,
                    action="create",
                    detail=f"新建工作区：{plan.title}（{plan.region_name}），{len(plan.indicators)} 个指标，{count} 个数值",
                )
                conn.execute("COMMIT")
            except sqlite3.IntegrityError as exc:
                raise ValueRefused(f"规划定义有误，无法建立工作区“{path.name}”：{exc}") from exc
            except sqlite3.OperationalError as exc:
                raise FileRefused(f"无法在“{path.parent}”中创建文件“{path.name}”：文件夹是只读的、没有写入权限或磁盘已满") from exc
            finally:
                conn.close()
            _publish(temp, path)
        finally:
            discard(temp)
        return cls.open(path, user=user, _migrations=migration_list)

    # -------------------------------------------------------------------------- open

    @classmethod
    def open(
        cls,
        path: str | os.PathLike[str],
        *,
        read_only: bool = False,
        user: str | None = None,
        _migrations: Sequence[tuple[str, str]] | None = None,
    ) -> Workspace:
        """Open a workspace file, refusing (``FileRefused``) what is not a usable workspace."""
        path = Path(path)
        name = path.name
        user = user or default_user()
        migration_list = list(_migrations) if _migrations is not None else schema.migrations()
        latest = schema.latest_version(migration_list)

        if not path.exists():
            raise FileRefused(f"找不到文件“{path}”")
        if not path.is_file():
            raise FileRefused(f"“{path}”不是文件，无法作为台账打开")
        try:
            header = schema.read_header(path)
        except OSError as exc:
            raise FileRefused(f"无法读取文件“{name}”：{exc.strerror or exc}") from exc
        if isinstance(header, str):
            raise FileRefused(f"文件“{name}”不是规划指标台账文件：{header}")
        _check_identity(name, header.application_id, header.user_version, latest)

        lock: FileLock | None = None
        reason: str | None = None
        if read_only:
            reason = READ_ONLY_ASKED
        elif not (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)):
            reason = READ_ONLY_MEDIA
        else:
            try:
                lock = FileLock.acquire(path)
            except Busy:
                reason = READ_ONLY_LOCKED
            except OSError:
                reason = READ_ONLY_MEDIA
        if reason is not None and header.user_version < latest:
            raise FileRefused(
                f"文件“{name}”由旧版本的规划指标台账创建（架构版本 {header.user_version}），"
                f"需要升级到架构版本 {latest} 才能打开，但{reason.split('，')[0]}，无法升级。"
                "请先把文件复制到可写的位置（如桌面或“文档”文件夹）再打开"
            )

        conn: sqlite3.Connection | None = None
        try:
            conn = _connect(path, read_only=reason is not None)
            version = _verify(conn, name, latest, read_only=reason is not None)
            if _is_submission(conn):  # a signed export: never edited in place, never migrated
                if version < latest:
                    raise FileRefused(f"文件“{name}”是旧版本程序导出的报送文件，请用“导入报送文件”导入，不能直接打开")
                if reason is None:
                    conn.close()
                    conn = None
                    if lock is not None:
                        lock.release()
                        lock = None
                    reason = READ_ONLY_SUBMISSION
                    conn = _connect(path, read_only=True)
                    version = _verify(conn, name, latest, read_only=True)
            migrated_from = backup = None
            if version < latest:
                backup = _backup(path, version)
                try:
                    schema.migrate(conn, migration_list)
                except sqlite3.Error as exc:
                    raise FileRefused(
                        f"文件“{name}”升级失败（{exc}）；升级前的备份保存在“{backup.name}”"
                    ) from exc
                migrated_from, version = version, schema.pragma_int(conn, "user_version")
                conn.execute("BEGIN IMMEDIATE")
                repo.add_audit(
                    conn,
                    at=now_text(),
                    who=user,
                    action="migrate",
                    old_value=str(migrated_from),
                    new_value=str(version),
                    detail=f"架构版本 {migrated_from} → {version}，升级前的备份：{backup.name}",
                )
                conn.execute("COMMIT")
            workspace = cls(
                path,
                conn,
                user=user,
                lock=lock,
                read_only_reason=reason,
                schema_version=version,
                migrated_from=migrated_from,
                backup_path=backup,
            )
            try:
                workspace.plan()
            except (sqlite3.Error, ValueError, KeyError) as exc:
                raise FileRefused(f"文件“{name}”的规划定义不完整或已损坏：{exc}") from exc
            return workspace
        except BaseException:
            if conn is not None:
                conn.close()
            if lock is not None:
                lock.release()
            raise

    # ------------------------------------------------------------------------- state

    @property
    def read_only(self) -> bool:
        return self.read_only_reason is not None

    @property
    def connection(self) -> sqlite3.Connection:
        """The open connection, for store and exchange internals (reads, ``backup``)."""
        if self._conn is None:
            raise ReadOnly(f"工作区“{self.path.name}”已关闭")
        return self._conn

    @property
    def closed(self) -> bool:
        return self._conn is None

    def close(self) -> None:
        """Close the file and release the lock; safe to call twice."""
        conn, self._conn = self._conn, None
        if conn is not None:
            if not self.read_only:
                _rollback_journal(conn)  # after a batch that could not switch back itself
            conn.close()
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        mode = "只读" if self.read_only else "读写"
        return f"<Workspace {str(self.path)!r} v{self.schema_version} {mode}>"

    # ------------------------------------------------------------------------- reads

    def plan(self) -> Plan:
        """The plan definition (cached until a definition change)."""
        if self._plan is None:
            self._plan = repo.read_plan(self.connection)
        return self._plan

    def invalidate_plan(self) -> None:
        self._plan = None

    def actuals(self, codes: Iterable[str] | None = None) -> dict[str, dict[int, Actual]]:
        """Every stored value: ``{code: {year: Actual}}`` (only those of ``codes`` when given)."""
        return repo.read_actuals(self.connection, codes)

    def actual(self, code: str, year: int) -> Actual | None:
        return repo.read_actual(self.connection, code, year)

    def audit(self, code: str | None = None, *, year: int | None = None) -> list[AuditEntry]:
        """The audit log, oldest first; of one indicator (and year) when given."""
        return repo.read_audit(self.connection, code, year)

    def locked_years(self) -> set[int]:
        """Years marked 已上报 (reported): their values are not editable."""
        return repo.locked_years(self.connection)

    def get_setting(self, key: str, default: Any = None) -> Any:
        value = repo.get_setting(self.connection, key)
        return default if value is None else value

    def progress_settings(self) -> Settings:
        """The judgement settings this file keeps (``band``: the ± width of 基本符合 around 序时进度,
        a fraction), defaults otherwise: the grid, the CLI, the reports and consolidation all
        judge with these."""
        band = self.get_setting("band")
        if band is None:
            return Settings()
        try:
            value = Decimal(str(band))
        except ArithmeticError:
            return Settings()
        return Settings(band=value) if Decimal(0) <= value < Decimal(1) else Settings()

    def set_setting(self, key: str, value: Any) -> None:
        """Store a JSON-serialisable setting in the file (its own small transaction)."""
        with self.transaction() as conn:
            repo.put_setting(conn, key, value)

    # ------------------------------------------------------------------------ writes

    @property
    def read_only_advice(self) -> str:
        """What the user can do instead of editing this read-only file."""
        if self.read_only_reason == READ_ONLY_SUBMISSION:
            return "要修改数值，请在本单位的工作簿中修改后重新导出报送文件"
        return "可用“文件 → 另存为”（或复制文件）保存一份副本后编辑"

    def require_writable(self) -> None:
        """Raise ``ReadOnly`` (with the reason) before anything is written."""
        if self.read_only:
            raise ReadOnly(f"“{self.path.name}”{self.read_only_reason}，不能修改；{self.read_only_advice}")

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Many transactions in a row (a folder of submission files). Each stays its own
        transaction — a file is in whole or not at all, and a killed process loses nothing
        committed — but the commits go to a write-ahead log without an fsync each
        (``synchronous = NORMAL``); the log is checkpointed and fsync'd when the batch ends,
        before its result is reported. A power cut in the middle can undo the files since the
        last automatic checkpoint (every ~1,000 pages); they are still in their folder, and
        importing the folder again adds exactly those (the others are duplicates). Measured:
        ~0.1 ms per commit instead of 0.7–2.6 ms (docs/exchange.md "性能").

        The file returns to the rollback journal at the end; when another connection of this
        app holds it open (the window, while a worker thread imports), at the latest when the
        last one closes (``close``), and ``open`` does it after a crash. A file that cannot
        take WAL (some network shares) keeps its journal and its fsync per commit."""
        self.require_writable()
        conn = self.connection
        switched = False
        busy = int(conn.execute("PRAGMA busy_timeout").fetchone()[0])
        try:
            conn.execute("PRAGMA busy_timeout = 200")  # the switch is a bonus: never wait long for it
            switched = str(conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]).lower() == "wal"
            if switched:
                conn.execute("BEGIN IMMEDIATE")  # the log's shared memory works here (not on every share)
                conn.execute("COMMIT")
                conn.execute("PRAGMA synchronous = NORMAL")
        except sqlite3.Error:
            if switched:  # back to the journal it had; the batch commits one fsync at a time
                try:
                    if conn.in_transaction:
                        conn.execute("ROLLBACK")
                except sqlite3.Error:
                    pass
                _rollback_journal(conn)
            switched = False
        finally:
            conn.execute(f"PRAGMA busy_timeout = {busy:d}")
        try:
            yield
        finally:
            if switched:
                try:
                    conn.execute("PRAGMA synchronous = FULL")
                    if not conn.in_transaction:
                        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # written and fsync'd now
                except sqlite3.Error:
                    pass
                _rollback_journal(conn)

    def settle_journal(self) -> None:
        """Back to the rollback journal if a batch on another connection left WAL on (call
        when that connection has closed)."""
        if self._conn is not None and not self.read_only:
            _rollback_journal(self._conn)

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: committed on success, rolled back on any error.

        A write the file cannot take (disk full, I/O error, busy) becomes ``WriteFailed``
        with a Chinese message; the file keeps what it held before."""
        self.require_writable()
        conn = self.connection
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            if _is_write_failure(exc):
                raise _write_failed(self.path, exc) from exc
            raise
        try:
            yield conn
            conn.execute("COMMIT")
        except BaseException as exc:
            if conn.in_transaction:
                try:
                    conn.execute("ROLLBACK")
                except sqlite3.Error:
                    pass  # a failed rollback leaves a hot journal: rolled back on the next open
            if isinstance(exc, sqlite3.OperationalError) and _is_write_failure(exc):
                raise _write_failed(self.path, exc) from exc
            raise


# ----------------------------------------------------------------------------- helpers


_WRITE_FAILURES = {
    "SQLITE_FULL": "磁盘空间已满",
    "SQLITE_IOERR": "磁盘读写出错（磁盘已满、U 盘被拔出或网络中断）",
    "SQLITE_READONLY": "文件或所在位置已变为只读",
    "SQLITE_BUSY": "文件正被其他程序占用",
    "SQLITE_LOCKED": "文件正被其他程序占用",
    "SQLITE_CANTOPEN": "无法访问文件（可能已被移动或删除）",
}


def _rollback_journal(conn: sqlite3.Connection) -> None:
    """WAL → DELETE (checkpointing the log into the file); quietly keeps WAL when another
    connection still has the file open — it is tried again at the next close or open."""
    try:
        if conn.in_transaction:
            return
        if str(conn.execute("PRAGMA journal_mode").fetchone()[0]).lower() != "wal":
            return
        conn.execute("PRAGMA journal_mode = DELETE")
        conn.execute("PRAGMA synchronous = FULL")
    except sqlite3.Error:
        pass


def _failure_key(exc: sqlite3.OperationalError) -> str:
    """``SQLITE_IOERR_WRITE`` → ``SQLITE_IOERR``: the primary result code's name."""
    return "_".join((getattr(exc, "sqlite_errorname", "") or "").split("_")[:2])


def _is_write_failure(exc: sqlite3.OperationalError) -> bool:
    return _failure_key(exc) in _WRITE_FAILURES


def _write_failed(path: Path, exc: sqlite3.OperationalError) -> WriteFailed:
    reason = _WRITE_FAILURES.get(_failure_key(exc), "文件无法写入")
    return WriteFailed(f"无法保存到“{path.name}”：{reason}（{exc}）。本次修改未保存，文件保持修改前的内容")


def _check_identity(name: str, application_id: int, user_version: int, latest: int) -> None:
    if application_id != schema.APPLICATION_ID:
        raise FileRefused(f"文件“{name}”不是规划指标台账文件（是其他程序的 SQLite 数据库）")
    if user_version > latest:
        raise FileRefused(
            f"“{name}”：此文件由更新版本的规划指标台账创建（架构版本 {user_version}），"
            f"本程序支持到 {latest}，请升级程序"
        )
    if user_version < 1:
        raise FileRefused(f"文件“{name}”不完整（未建立架构），无法打开")


def sqlite_uri(path: Path) -> str:
    """An SQLite ``file:`` URI with an empty authority, so Windows drive letters and UNC
    shares (``//server/share/…``) both work; ``?``, ``#``, ``%`` and non-ASCII are escaped."""
    posix = path.resolve().as_posix()
    if not posix.startswith("/"):
        posix = "/" + posix  # C:/… → /C:/…
    return "file://" + quote(posix, safe="/:")


def _connect(path: Path, *, read_only: bool) -> sqlite3.Connection:
    uri = sqlite_uri(path) + ("?mode=ro" if read_only else "?mode=rw")
    try:
        conn = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
    except sqlite3.Error as exc:
        raise FileRefused(f"无法打开文件“{path.name}”：{exc}") from exc
    return conn


def _verify(conn: sqlite3.Connection, name: str, latest: int, *, read_only: bool) -> int:
    """Damage check, identity again (a hot journal may have changed the header), pragmas."""
    try:
        conn.execute("PRAGMA trusted_schema = OFF")
        result = [r[0] for r in conn.execute("PRAGMA quick_check").fetchall()]
        if result != ["ok"]:
            detail = "；".join(str(r) for r in result[:3])
            raise FileRefused(f"文件“{name}”已损坏（完整性检查未通过：{detail}），请改用备份")
        application_id = schema.pragma_int(conn, "application_id") & 0xFFFFFFFF
        version = schema.pragma_int(conn, "user_version")
        _check_identity(name, application_id, version, latest)
        conn.execute("PRAGMA foreign_keys = ON")
        if not read_only:
            conn.execute("PRAGMA journal_mode = DELETE")
            conn.execute("PRAGMA synchronous = FULL")
    except sqlite3.DatabaseError as exc:
        if _busy(exc):
            raise FileRefused(f"文件“{name}”正被其他程序使用（数据库已锁定），请稍后再试；"
                              "若它在另一个台账窗口或其他软件中打开，请先关闭") from exc
        raise FileRefused(f"文件“{name}”已损坏或无法读取（{exc}），请改用备份") from exc
    return version


def _is_submission(conn: sqlite3.Connection) -> bool:
    """The file carries a submission manifest (``desktop.exchange.export`` wrote it)."""
    try:
        return conn.execute("SELECT 1 FROM submission_manifest LIMIT 1").fetchone() is not None
    except sqlite3.Error:  # an older schema without the table
        return False


def _busy(exc: sqlite3.Error) -> bool:
    """SQLITE_BUSY / SQLITE_LOCKED: another connection holds the file, nothing is damaged."""
    code = getattr(exc, "sqlite_errorcode", None)
    return (code is not None and code & 0xFF in (5, 6)) or "locked" in str(exc)


def _backup(path: Path, version: int) -> Path:
    """Copy ``path`` byte for byte to ``<stem>.v<N>-备份-<when><suffix>``, never overwriting."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    suffix = path.suffix or ".sqlite"
    for n in range(1, 100):
        extra = "" if n == 1 else f"-{n}"
        target = path.with_name(f"{path.stem}.v{version}-备份-{stamp}{extra}{suffix}")
        try:
            out = open(target, "xb")
        except FileExistsError:
            continue
        except OSError as exc:
            raise FileRefused(f"无法为旧版本文件“{path.name}”写入升级前的备份：{exc.strerror or exc}") from exc
        with out, open(path, "rb") as src:
            while chunk := src.read(1 << 20):
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        return target
    raise FileRefused(f"无法为旧版本文件“{path.name}”写入升级前的备份：同名备份过多")


def _publish(temp: Path, path: Path) -> None:
    """Give the finished file its name, refusing if one appeared meanwhile."""
    try:
        os.link(temp, path)
    except FileExistsError as exc:
        raise FileRefused(f"文件“{path.name}”已存在，不会覆盖；请另选文件名") from exc
    except OSError:  # a file system without hard links (FAT, some network shares)
        if path.exists():
            raise FileRefused(f"文件“{path.name}”已存在，不会覆盖；请另选文件名") from None
        os.replace(temp, path)
