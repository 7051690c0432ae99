"""The import copies a verified file's values in SQL from the very bytes that were verified."""
from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

import pytest

from desktop.exchange import copy_values, import_submissions, verify_submission
from desktop.exchange import importer
from desktop.exchange.forge import resign
from desktop.store.create import new_workspace

from .conftest import JOBS, UNEMP_INS

_STORED = ("SELECT s.region_code, v.code, v.year, v.value, v.nature, v.status, v.name, v.unit, v.in_catalogue"
           " FROM submitted_value AS v JOIN submission AS s ON s.id = v.submission ORDER BY 1, 2, 3")


def _city(tmp_path: Path, name: str):
    return new_workspace(tmp_path / name, template="sy-zl2", region_code="430500", region_name="邵阳市")


def _no_copy(monkeypatch) -> None:
    @contextlib.contextmanager
    def refused(conn):
        yield None

    monkeypatch.setattr(copy_values, "attached", refused)


def _inbox(tmp_path: Path, exported: dict[str, Path]) -> Path:
    """Both counties' files and a third whose 失业保险参保人数 has another unit (kept out of
    consolidation: in_catalogue = 0)."""
    inbox = tmp_path / "inbox"
    resign(exported["430522"], inbox / "430524.sqlite", region_code="430524", region_name="隆回县",
           sql=f"UPDATE indicator SET unit = '人' WHERE code = '{UNEMP_INS}'")
    return inbox


def test_copied_values_equal_the_rows_the_python_way_stores(tmp_path, exported, monkeypatch) -> None:
    inbox = _inbox(tmp_path, exported)
    with _city(tmp_path, "copied.sqlite") as ws:
        report = import_submissions(ws, [inbox])
        copied = ws.connection.execute(_STORED).fetchall()
    assert len(report.imported) == 3
    _no_copy(monkeypatch)
    with _city(tmp_path, "bound.sqlite") as ws:
        import_submissions(ws, [inbox])
        bound = ws.connection.execute(_STORED).fetchall()
    assert copied == bound
    jobs = [r for r in copied if r[0] == "430522" and r[1] == JOBS]
    assert jobs == [
        ("430522", JOBS, 2021, "1", "年报", "", "城镇新增就业人数", "万人", 1),
        ("430522", JOBS, 2022, "1.1", "年报", "", "城镇新增就业人数", "万人", 1),
        ("430522", JOBS, 2023, "1.2", "年报", "", "城镇新增就业人数", "万人", 1),
    ]
    assert [r for r in copied if r[1] == UNEMP_INS] == [
        ("430522", UNEMP_INS, 2023, "3.5", "年报", "", "失业保险参保人数", "万人", 1),
        ("430523", UNEMP_INS, 2023, "4.25", "年报", "", "失业保险参保人数", "万人", 1),
        ("430524", UNEMP_INS, 2023, "3.5", "年报", "", "失业保险参保人数", "人", 0),
    ]
    assert [i.values for i in report.imported] == [len([r for r in copied if r[0] == c]) for c in ("430522", "430523", "430524")]


def test_a_file_changed_after_verification_is_refused_and_nothing_stored(tmp_path, exported) -> None:
    path = exported["430522"]
    verdict = verify_submission(path)
    assert verdict.ok and verdict._digest is not None
    resign(path, tmp_path / "changed.sqlite", values=lambda c, y, v: v * 2 if v is not None and c == JOBS else v)
    path.write_bytes((tmp_path / "changed.sqlite").read_bytes())
    with _city(tmp_path, "city.sqlite") as ws:
        report = import_submissions(ws, [path], verify=lambda p: verdict)
        stored = ws.connection.execute("SELECT (SELECT count(*) FROM submission), (SELECT count(*) FROM submitted_value),"
                                       " (SELECT count(*) FROM audit WHERE action = 'import')").fetchone()
    assert [i.codes for i in report.items] == [["changed"]]
    assert report.items[0].reasons == [f"报送文件“{path.name}”：文件在核验之后被改动过，未导入；请重新导入该文件"]
    assert stored == (0, 0, 0)


def test_a_copy_that_differs_from_the_verdict_is_rolled_back(tmp_path, exported) -> None:
    path = exported["430522"]
    verdict = verify_submission(path)
    verdict._rows = verdict._values = None
    verdict._count = 999  # as if the file held more values than were copied
    with _city(tmp_path, "city.sqlite") as ws:
        before = ws.connection.execute("PRAGMA trusted_schema").fetchone()[0]
        report = import_submissions(ws, [path], verify=lambda p: verdict)
        stored = ws.connection.execute("SELECT (SELECT count(*) FROM submission), (SELECT count(*) FROM submitted_value)").fetchone()
        trusted = ws.connection.execute("PRAGMA trusted_schema").fetchone()[0]
        attached = [r[1] for r in ws.connection.execute("PRAGMA database_list")]
    item = report.items[0]
    assert item.codes == ["copy_failed"] and item.status == "refused"
    assert item.reasons == [f"报送文件“{path.name}”：复制的数值个数（{len(verify_submission(path).value_rows())}）"
                            f"与核验的个数（999）不符，未导入"]
    assert stored == (0, 0)
    assert copy_values.SCHEMA not in attached and trusted == before  # detached, trusted_schema as it was


def test_a_slim_verdict_carries_no_rows_but_its_count(exported) -> None:
    full = verify_submission(exported["430523"])
    rows = full.value_rows()
    slim = verify_submission(exported["430523"]).slim()
    assert slim._rows is None and slim._values is None and slim._digest == full._digest
    assert slim.value_count == len(rows) == full.value_count
    with pytest.raises(RuntimeError):
        slim.value_rows()


def test_without_an_attached_copy_slim_verdicts_are_verified_again(tmp_path, exported, monkeypatch) -> None:
    inbox = _inbox(tmp_path, exported)
    _no_copy(monkeypatch)

    def slim_verdicts(files, verify, workers):  # what worker processes send
        for path in files:
            yield verify_submission(path).slim()

    monkeypatch.setattr(importer, "_verified", slim_verdicts)
    with _city(tmp_path, "city.sqlite") as ws:
        report = import_submissions(ws, [inbox])
        count = ws.connection.execute("SELECT count(*) FROM submitted_value").fetchone()[0]
    assert len(report.imported) == 3 and count == sum(i.values for i in report.imported) > 0


def test_the_attached_copy_is_read_only_to_their_sql(tmp_path, exported) -> None:
    """The received schema is never trusted: a function in it would be refused, not run."""
    with _city(tmp_path, "city.sqlite") as ws:
        conn = ws.connection
        with copy_values.attached(conn) as copier:
            assert copier is not None
            assert conn.execute("PRAGMA trusted_schema").fetchone()[0] == 0
            copier.load(exported["430522"], verify_submission(exported["430522"]))
            n = conn.execute(f"SELECT count(*) FROM {copy_values.SCHEMA}.actual").fetchone()[0]
        assert n > 0
        with pytest.raises(sqlite3.OperationalError):
            conn.execute(f"SELECT count(*) FROM {copy_values.SCHEMA}.actual")
