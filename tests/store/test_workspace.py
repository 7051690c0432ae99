"""The workspace file: identity, round trips, refusals, migration with backup, read-only opens."""
from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import textwrap
from decimal import Decimal
from pathlib import Path

import pytest

import db
from desktop.domain.errors import FileRefused, ReadOnly
from desktop.domain.model import Actual, Nature
from desktop.store import actions
from desktop.store.filelock import lock_path
from desktop.store.schema import APPLICATION_ID, split_statements
from desktop.store.workspace import READ_ONLY_LOCKED, Workspace

from .conftest import JOBS, PENSION, UNEMPLOYMENT, make_plan

SQLITE_CLI = "/usr/bin/sqlite3"


def cli(path: Path, sql: str) -> str:
    return subprocess.run([SQLITE_CLI, str(path), sql], capture_output=True, text=True, check=True).stdout.strip()


def is_root_like(tmp_path: Path) -> bool:
    """True when permission bits do not stop this process (root): chmod tests can't run."""
    probe = tmp_path / "probe"
    probe.mkdir()
    probe.chmod(0o555)
    try:
        return os.access(probe, os.W_OK)
    finally:
        probe.chmod(0o755)
        probe.rmdir()


# ----------------------------------------------------------------------- identity


def test_migrations_are_found_in_order():
    names = [name for name, _ in db.migrations()]
    assert names[0] == "0001_initial"
    assert db.LATEST_VERSION == len(names) == int(names[-1][:4])
    assert db.APPLICATION_ID == 0x504C4447 == int.from_bytes(b"PLDG", "big")


def test_fresh_file_has_application_id_and_user_version(ws_path):
    assert cli(ws_path, "PRAGMA application_id;") == str(APPLICATION_ID)
    assert cli(ws_path, "PRAGMA user_version;") == str(db.LATEST_VERSION)
    assert cli(ws_path, "PRAGMA journal_mode;") == "delete"
    assert cli(ws_path, "SELECT name FROM _sqlite_migrations;").splitlines() == [n for n, _ in db.migrations()]
    # no views and no triggers: the exchange refuses files that have any
    assert cli(ws_path, "SELECT count(*) FROM sqlite_master WHERE type IN ('view', 'trigger');") == "0"
    with Workspace.open(ws_path) as ws:
        assert ws.schema_version == db.LATEST_VERSION
        assert ws.migrated_from is None and ws.backup_path is None
        assert not ws.read_only and ws.read_only_reason is None
    assert sorted(p.name for p in ws_path.parent.iterdir()) == [ws_path.name]  # lock removed


def test_create_refuses_to_overwrite(ws_path):
    before = ws_path.read_bytes()
    with pytest.raises(FileRefused, match="新邵县.sqlite.*已存在"):
        Workspace.create(ws_path, make_plan())
    assert ws_path.read_bytes() == before


def test_plan_round_trips_exactly(ws, plan):
    assert ws.plan() == plan
    got = ws.plan().indicator(UNEMPLOYMENT)
    assert str(got.base) == "5.2" and str(got.tolerance) == "0.05" and got.base_label == "2020年预计"
    assert ws.plan().box("专栏3").items[1].text == "培育和建设20个产教融合型企业。"
    assert ws.plan().indicators_of("专栏2")[0].extra == (("remark", "五年累计"), ("a", "b"))
    assert ws.plan().property("负责人") == "张三"


def test_template_actuals_are_written(ws):
    assert ws.actual(JOBS, 2021) == Actual(JOBS, 2021, Decimal("4.8"), Nature.ANNUAL, source="统计公报")
    assert ws.actuals() == {JOBS: {2021: ws.actual(JOBS, 2021)}}
    assert [(e.action, e.who) for e in ws.audit()] == [("create", "模板")]


def test_values_reopen_canonical_and_exact(ws_path):
    with Workspace.open(ws_path, user="王五") as ws:
        actions.set_actual(ws, JOBS, 2022, Decimal("23.50"))
        actions.set_actual(ws, PENSION, 2022, Decimal("95.000001"))
        actions.set_actual(ws, UNEMPLOYMENT, 2022, Decimal("0.5E+1"))
    assert cli(ws_path, f"SELECT value FROM actual WHERE code='{JOBS}' AND year=2022;") == "23.5"
    assert cli(ws_path, f"SELECT value FROM actual WHERE code='{UNEMPLOYMENT}' AND year=2022;") == "5"
    with Workspace.open(ws_path) as ws:
        assert str(ws.actual(JOBS, 2022).value) == "23.5"
        assert str(ws.actual(PENSION, 2022).value) == "95.000001"
        assert ws.actual(JOBS, 2022).updated_by == "王五"


# ------------------------------------------------------------------------ refusals


def test_missing_file_refused(tmp_path):
    with pytest.raises(FileRefused, match="找不到文件.*nope.sqlite"):
        Workspace.open(tmp_path / "nope.sqlite")


def test_not_sqlite_refused(tmp_path):
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"not sqlite at all, just text" * 10)
    with pytest.raises(FileRefused, match="“junk.sqlite”不是规划指标台账文件：不是 SQLite"):
        Workspace.open(junk)


def test_zero_length_file_refused(tmp_path):
    empty = tmp_path / "empty.sqlite"
    empty.touch()
    with pytest.raises(FileRefused, match="“empty.sqlite”.*文件为空"):
        Workspace.open(empty)
    assert empty.stat().st_size == 0


def test_truncated_header_refused(tmp_path, ws_path):
    cut = tmp_path / "cut.sqlite"
    cut.write_bytes(ws_path.read_bytes()[:40])
    with pytest.raises(FileRefused, match="cut.sqlite.*不完整"):
        Workspace.open(cut)


def test_sqlite_but_not_ours_refused(tmp_path):
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    with pytest.raises(FileRefused, match="“other.db”不是规划指标台账文件（是其他程序的 SQLite 数据库）"):
        Workspace.open(other)


def test_newer_user_version_refused(tmp_path, ws_path):
    newer = tmp_path / "newer.sqlite"
    shutil.copy(ws_path, newer)
    cli(newer, "PRAGMA user_version=99;")
    before = newer.read_bytes()
    with pytest.raises(FileRefused) as refused:
        Workspace.open(newer)
    assert refused.value.message == (
        f"“newer.sqlite”：此文件由更新版本的规划指标台账创建（架构版本 99），本程序支持到 {db.LATEST_VERSION}，请升级程序"
    )
    assert newer.read_bytes() == before
    assert not lock_path(newer).exists()


def test_damaged_file_refused(tmp_path, ws_path):
    damaged = tmp_path / "damaged.sqlite"
    data = bytearray(ws_path.read_bytes())
    page_size = int.from_bytes(data[16:18], "big")
    for offset in range(page_size * 2, page_size * 2 + 64):  # scribble over page 3's b-tree header
        data[offset] = 0xFF
    damaged.write_bytes(bytes(data))
    with pytest.raises(FileRefused, match="“damaged.sqlite”已损坏"):
        Workspace.open(damaged)


def test_truncated_file_refused(tmp_path, ws_path):
    cut = tmp_path / "half.sqlite"
    data = ws_path.read_bytes()
    cut.write_bytes(data[: len(data) // 2])
    with pytest.raises(FileRefused, match="“half.sqlite”已损坏"):
        Workspace.open(cut)


# ----------------------------------------------------------------------- migration

NEXT = f"{db.LATEST_VERSION + 1:04d}"
EXTRA = (f"{NEXT}_review", "-- a test migration\nALTER TABLE actual ADD COLUMN reviewed TEXT NOT NULL DEFAULT '';\n"
                        "CREATE TABLE review_note (code TEXT, text TEXT);")


def test_older_file_is_backed_up_then_migrated(tmp_path, plan):
    path = tmp_path / "old.sqlite"
    base = db.migrations()
    with Workspace.create(path, plan, _migrations=base) as ws:
        actions.set_actual(ws, JOBS, 2022, Decimal("5.10"))
    original = path.read_bytes()

    with Workspace.open(path, user="赵六", _migrations=[*base, EXTRA]) as ws:
        new_version = db.LATEST_VERSION + 1
        assert ws.migrated_from == db.LATEST_VERSION and ws.schema_version == new_version
        assert ws.backup_path.parent == tmp_path
        assert ws.backup_path.name.startswith(f"old.v{db.LATEST_VERSION}-备份-")
        assert ws.backup_path.suffix == ".sqlite"
        assert ws.backup_path.read_bytes() == original
        assert str(ws.actual(JOBS, 2022).value) == "5.1"
        assert ws.audit()[-1].action == "migrate" and ws.audit()[-1].who == "赵六"
        backup = ws.backup_path
    assert cli(path, "PRAGMA user_version;") == str(new_version)
    assert cli(path, "SELECT reviewed FROM actual WHERE year=2022;") == ""
    assert cli(backup, "PRAGMA user_version;") == str(db.LATEST_VERSION)
    # the newer file is refused by the program that does not know 0002
    with pytest.raises(FileRefused, match=f"架构版本 {new_version}"):
        Workspace.open(path)


def test_second_migration_never_overwrites_a_backup(tmp_path, plan):
    path = tmp_path / "old.sqlite"
    Workspace.create(path, plan).close()
    copy = tmp_path / "copy.sqlite"
    shutil.copy(path, copy)
    with Workspace.open(path, _migrations=[*db.migrations(), EXTRA]) as first:
        first_backup = first.backup_path
    shutil.copy(copy, path)  # the same old file again, within the same second
    with Workspace.open(path, _migrations=[*db.migrations(), EXTRA]) as second:
        assert second.backup_path != first_backup
    assert first_backup.read_bytes() == copy.read_bytes() == second.backup_path.read_bytes()


def test_failed_migration_leaves_file_at_old_version(tmp_path, plan):
    path = tmp_path / "old.sqlite"
    Workspace.create(path, plan).close()
    bad = (f"{NEXT}_bad", "CREATE TABLE ok_table (x);\nCREATE TABLE actual (x);")  # 2nd fails
    with pytest.raises(FileRefused, match="升级失败.*备份"):
        Workspace.open(path, _migrations=[*db.migrations(), bad])
    assert cli(path, "PRAGMA user_version;") == str(db.LATEST_VERSION)
    assert cli(path, "SELECT count(*) FROM sqlite_master WHERE name='ok_table';") == "0"
    with Workspace.open(path) as ws:
        assert ws.plan() == plan


def test_older_read_only_file_cannot_be_migrated(tmp_path, plan):
    path = tmp_path / "old.sqlite"
    Workspace.create(path, plan).close()
    before = path.read_bytes()
    with pytest.raises(FileRefused, match="旧版本.*复制到可写的位置"):
        Workspace.open(path, read_only=True, _migrations=[*db.migrations(), EXTRA])
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old.sqlite"]


def test_split_statements_keeps_semicolons_inside_strings():
    sql = "-- a; comment\nCREATE TABLE a (x DEFAULT 'p;q');\n\nINSERT INTO a VALUES ('1;2');\n-- end\n"
    assert split_statements(sql) == [
        "-- a; comment\nCREATE TABLE a (x DEFAULT 'p;q');",
        "INSERT INTO a VALUES ('1;2');",
    ]


# ----------------------------------------------------------------------- read-only


def test_second_instance_opens_read_only(ws_path):
    with Workspace.open(ws_path) as first:
        assert lock_path(ws_path).exists()
        with Workspace.open(ws_path) as second:
            assert second.read_only and second.read_only_reason == READ_ONLY_LOCKED
            assert second.actual(JOBS, 2021).value == Decimal("4.8")
            before = ws_path.read_bytes()
            with pytest.raises(ReadOnly, match="另一个程序实例"):
                actions.set_actual(second, JOBS, 2022, Decimal("5"))
            with pytest.raises(ReadOnly):
                second.set_setting("band", 5)
            assert ws_path.read_bytes() == before
        actions.set_actual(first, JOBS, 2022, Decimal("5"))  # the writer still writes
    with Workspace.open(ws_path) as third:  # lock released on close
        assert not third.read_only


def test_second_process_opens_read_only(ws_path):
    script = textwrap.dedent(
        """
        import sys
        from desktop.store.workspace import Workspace
        with Workspace.open(sys.argv[1]) as ws:
            print(ws.read_only)
            print(ws.read_only_reason)
        """
    )
    run = lambda: subprocess.run(  # noqa: E731
        [sys.executable, "-c", script, str(ws_path)], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    with Workspace.open(ws_path):
        assert run() == ["True", READ_ONLY_LOCKED]
    assert run() == ["False", "None"]


def test_lock_is_released_when_the_holder_dies(ws_path):
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time; from desktop.store.workspace import Workspace; "
         "ws = Workspace.open(sys.argv[1]); print('held', flush=True); time.sleep(60)", str(ws_path)],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        with Workspace.open(ws_path) as ws:
            assert ws.read_only
        holder.kill()
        holder.wait()
        with Workspace.open(ws_path) as ws:  # stale sidecar left by kill: not a lock
            assert not ws.read_only
    finally:
        holder.kill()
        holder.wait()


def test_explicit_read_only_writes_nothing(ws_path):
    before = ws_path.read_bytes()
    with Workspace.open(ws_path, read_only=True) as ws:
        assert ws.read_only and ws.read_only_reason
        assert not lock_path(ws_path).exists()
        for write in (
            lambda: actions.set_actual(ws, JOBS, 2022, Decimal("5")),
            lambda: actions.paste_block(ws, [(JOBS, 2022, Decimal("5"))]),
            lambda: actions.lock_year(ws, 2022),
            lambda: actions.set_plan_property(ws, "负责人", "王五"),
        ):
            with pytest.raises(ReadOnly):
                write()
    assert ws_path.read_bytes() == before
    assert sorted(p.name for p in ws_path.parent.iterdir()) == [ws_path.name]


def test_read_only_folder_opens_read_only(tmp_path, ws_path):
    if is_root_like(tmp_path):
        pytest.skip("permission bits do not apply to this user (root)")
    folder = ws_path.parent
    before = ws_path.read_bytes()
    folder.chmod(0o555)
    try:
        with Workspace.open(ws_path) as ws:
            assert ws.read_only and "只读位置" in ws.read_only_reason
            assert ws.actual(JOBS, 2021).value == Decimal("4.8")
            with pytest.raises(ReadOnly, match="只读位置"):
                actions.set_actual(ws, JOBS, 2022, Decimal("5"))
    finally:
        folder.chmod(0o755)
    assert ws_path.read_bytes() == before


def test_settings_round_trip(ws_path):
    with Workspace.open(ws_path) as ws:
        assert ws.get_setting("band", 5) == 5
        ws.set_setting("band", 3)
        ws.set_setting("标签", {"a": [1, "二"]})
    with Workspace.open(ws_path) as ws:
        assert ws.get_setting("band") == 3 and ws.get_setting("标签") == {"a": [1, "二"]}


def test_close_is_idempotent(ws_path):
    ws = Workspace.open(ws_path)
    ws.close()
    ws.close()
    assert ws.closed and not lock_path(ws_path).exists()


def test_odd_file_names_work(tmp_path, plan):
    path = tmp_path / "新 邵?#%县 十四五.sqlite"
    with Workspace.create(path, plan) as ws:
        actions.set_actual(ws, JOBS, 2022, Decimal("5"))
    with Workspace.open(path) as ws:
        assert ws.actual(JOBS, 2022).value == Decimal("5")


def test_create_in_missing_folder_refused(tmp_path, plan):
    with pytest.raises(FileRefused, match="文件夹“.*missing”不存在，无法创建“x.sqlite”"):
        Workspace.create(tmp_path / "missing" / "x.sqlite", plan)


def test_create_with_bad_definition_leaves_nothing(tmp_path, plan):
    from dataclasses import replace

    from desktop.domain.errors import ValueRefused

    twice = replace(plan, indicators=plan.indicators + plan.indicators[:1])
    with pytest.raises(ValueRefused, match="规划定义有误"):
        Workspace.create(tmp_path / "bad.sqlite", twice)
    assert list(tmp_path.iterdir()) == []


def test_create_in_read_only_folder_refused(tmp_path, plan):
    if is_root_like(tmp_path):
        pytest.skip("permission bits do not apply to this user (root)")
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        with pytest.raises(FileRefused, match="无法在.*创建文件"):
            Workspace.create(folder / "x.sqlite", plan)
    finally:
        folder.chmod(0o755)


def test_batch_commits_through_wal_and_leaves_a_single_file(ws, ws_path):
    """``Workspace.batch``: WAL while it runs (each transaction still committed on its own),
    the rollback journal again afterwards, no -wal or -shm left."""
    with ws.batch():
        assert ws.connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        for k in range(3):
            with ws.transaction() as conn:
                conn.execute("INSERT INTO region (code, name) VALUES (?, ?)", (f"43052{k}", f"县{k}"))
    assert ws.connection.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert not Path(f"{ws_path}-wal").exists() and not Path(f"{ws_path}-shm").exists()
    assert cli(ws_path, "SELECT count(*) FROM region WHERE name LIKE '县%';") == "3"


def test_batch_without_wal_when_the_file_cannot_switch(ws, ws_path):
    """Another connection reading at that moment: the switch is refused, the batch runs with the
    rollback journal and an fsync per commit, and nothing is lost."""
    reader = sqlite3.connect(ws_path, isolation_level=None)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM region").fetchone()  # holds a shared lock
    try:
        with ws.batch():
            assert ws.connection.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        reader.execute("COMMIT")
        with ws.transaction() as conn:
            conn.execute("INSERT INTO region (code, name) VALUES ('430529', '县9')")
    finally:
        reader.close()
    assert cli(ws_path, "SELECT name FROM region WHERE code = '430529';") == "县9"
