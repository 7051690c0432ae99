"""Migrations: a workspace of every schema version that has ever existed (``db/fixtures/``,
made once by ``db/fixtures/make_fixtures.py`` and committed) is opened by today's program:
backup written byte for byte, migration applied and audited, every value preserved."""
from __future__ import annotations

import json
import shutil
import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest

import db
from desktop.domain.errors import FileRefused
from desktop.domain.model import Nature
from desktop.store import actions
from desktop.store.workspace import Workspace

FIXTURES = Path(db.__file__).resolve().parent / "fixtures"
VERSIONS = range(1, db.LATEST_VERSION + 1)


def fixture_of(version: int) -> Path:
    found = sorted(FIXTURES.glob(f"v{version}_*.sqlite"))
    assert found, f"no fixture for schema version {version}: run python db/fixtures/make_fixtures.py"
    return found[0]


def rows_by_column(conn: sqlite3.Connection, table: str, columns: list[str]) -> list[list[object]]:
    quoted = ", ".join(f'"{c}"' for c in columns)
    return [list(r) for r in conn.execute(f'SELECT {quoted} FROM "{table}" ORDER BY 1, 2')]


def test_there_is_a_fixture_for_every_schema_version() -> None:
    for version in VERSIONS:
        path = fixture_of(version)
        assert path.with_suffix(".json").is_file()
        header = path.read_bytes()[:100]
        assert int.from_bytes(header[60:64], "big") == version
        assert int.from_bytes(header[68:72], "big") == db.APPLICATION_ID


@pytest.mark.parametrize("version", VERSIONS)
def test_todays_program_opens_every_old_version(tmp_path: Path, version: int) -> None:
    source = fixture_of(version)
    known = json.loads(source.with_suffix(".json").read_text(encoding="utf-8"))
    path = tmp_path / source.name
    shutil.copyfile(source, path)
    original = path.read_bytes()

    with Workspace.open(path, user="今天的程序") as ws:
        assert ws.schema_version == db.LATEST_VERSION and not ws.read_only
        if version < db.LATEST_VERSION:
            assert ws.migrated_from == version
            assert ws.backup_path is not None and ws.backup_path.parent == tmp_path
            assert ws.backup_path.name.startswith(f"{path.stem}.v{version}-备份-")
            assert ws.backup_path.read_bytes() == original  # byte for byte, before migrating
            migrate = [e for e in ws.audit() if e.action == "migrate"]
            assert len(migrate) == 1 and ws.backup_path.name in migrate[0].detail
            assert (migrate[0].old_value, migrate[0].new_value) == (str(version), str(db.LATEST_VERSION))
        else:
            assert ws.migrated_from is None and ws.backup_path is None
            assert path.read_bytes() == original  # an up-to-date file is not rewritten by opening

        conn = ws.connection
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA user_version").fetchone()[0] == db.LATEST_VERSION
        assert [r[0] for r in conn.execute("SELECT name FROM _sqlite_migrations ORDER BY id")] == \
            [name for name, _ in db.migrations()]
        # every row of every table the old file had is still there, value for value
        for table, content in known.items():
            if table.startswith("@"):
                continue
            if table in ("audit", "_sqlite_migrations") and version < db.LATEST_VERSION:  # appended to
                got = rows_by_column(conn, table, content["columns"])[: len(content["rows"])]
            else:
                got = rows_by_column(conn, table, content["columns"])
            assert got == content["rows"], table

        # and the program reads them as the domain values they were
        actual = ws.actual("sy-zl2-01", 2023)
        assert actual.value == Decimal("5.2") and actual.nature is Nature.QUICK and actual.note == "快报数，年报后更新"
        assert ws.actual("sy-zl2-06", 2022).value == Decimal("94.1")
        assert ws.actual("sy-zl2-03", 2024).value == Decimal("0.75")
        assert ws.locked_years() == {2021}
        assert dict(ws.plan().properties)["填报单位"] == "新邵县人力资源和社会保障局"
        assert len(ws.plan().indicators) == 14
        # and it can edit the migrated file
        actions.set_actual(ws, "sy-zl2-01", 2024, Decimal("5.4"))

    with Workspace.open(path) as again:  # migrated once: no second backup
        assert again.migrated_from is None and again.actual("sy-zl2-01", 2024).value == Decimal("5.4")
    backups = sorted(p.name for p in tmp_path.iterdir() if "备份" in p.name)
    assert len(backups) == (1 if version < db.LATEST_VERSION else 0)


def test_city_fixture_keeps_its_submissions(tmp_path: Path) -> None:
    """The v2 file holds what a city received: both county submissions and their values."""
    path = tmp_path / "city.sqlite"
    shutil.copyfile(fixture_of(2), path)
    with Workspace.open(path) as ws:
        conn = ws.connection
        assert conn.execute("SELECT region_code, version FROM submission ORDER BY 1").fetchall() == \
            [("430522", 1), ("430523", 1)]
        assert conn.execute(
            "SELECT value FROM submitted_value JOIN submission ON submission.id = submission "
            "WHERE region_code = '430523' AND code = 'sy-zl2-01' AND submitted_value.year = 2022").fetchone() == ("7.5",)


def test_old_fixture_on_read_only_request_is_refused_not_migrated(tmp_path: Path) -> None:
    if db.LATEST_VERSION < 2:
        pytest.skip("only one schema version exists")
    path = tmp_path / "old.sqlite"
    shutil.copyfile(fixture_of(1), path)
    before = path.read_bytes()
    with pytest.raises(FileRefused, match="架构版本 1.*无法升级"):
        Workspace.open(path, read_only=True)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old.sqlite"]
