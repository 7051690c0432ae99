"""The mutation suite: every damaged or hostile submission file is refused with its own reason,
and nothing of the file (no view, no trigger, no function call) ever runs."""
from __future__ import annotations

import shutil
import sqlite3
import struct
from pathlib import Path

import pytest

import db
from desktop.exchange import import_submissions, verify_submission
from desktop.exchange.forge import resign
from desktop.store.create import plan_for
from desktop.store.workspace import Workspace

from .conftest import JOBS

CALLS: list[tuple] = []


def _hook(*args):
    CALLS.append(args)
    return args[0] if args else 1


@pytest.fixture(autouse=True)
def app_function_recorder(monkeypatch):
    """Every SQLite connection opened in the process gets an app function ``app_hook`` that
    records its calls: a hostile view, trigger or index calling it must never make it run."""
    CALLS.clear()
    real = sqlite3.connect

    def connect(*args, **kwargs):
        conn = real(*args, **kwargs)
        conn.create_function("app_hook", -1, _hook, deterministic=True)
        return conn

    monkeypatch.setattr(sqlite3, "connect", connect)
    yield
    assert CALLS == [], "an app function was executed from a received file"


def mutated(good: Path, tmp_path: Path, name: str, edit) -> Path:
    path = tmp_path / f"{name}.sqlite"
    data = bytearray(good.read_bytes())
    result = edit(data)
    path.write_bytes(bytes(data if result is None else result))
    return path


def with_sql(good: Path, tmp_path: Path, name: str, sql: str, resign_after: bool = False) -> Path:
    path = tmp_path / f"{name}.sqlite"
    if resign_after:
        resign(good, path, sql=sql)
        return path
    shutil.copyfile(good, path)
    conn = sqlite3.connect(path)
    conn.executescript(sql)
    conn.close()
    CALLS.clear()  # creating the objects may have called it; only verification counts
    return path


def refused(path: Path, code: str, text: str = "", **kwargs) -> None:
    r = verify_submission(path, **kwargs)
    assert not r.ok, f"{path.name} passed"
    assert r.codes == [code], (r.codes, r.reasons)
    assert r.reasons[0].startswith(f"报送文件“{path.name}”："), r.reasons
    assert text in r.reasons[0], r.reasons[0]
    assert r.plan is None and r.actuals == {}


def set_u32(data: bytearray, offset: int, value: int) -> None:
    data[offset : offset + 4] = struct.pack(">I", value)


# ------------------------------------------------------------------------- bytes


def test_zero_length(tmp_path, good_file):
    refused(mutated(good_file, tmp_path, "zero", lambda d: b""), "empty", "文件为空")


def test_not_sqlite(tmp_path, good_file):
    refused(mutated(good_file, tmp_path, "pdf", lambda d: b"%PDF-1.7\n" + bytes(d[:5000])), "not_sqlite", "不是 SQLite")


def test_truncated_inside_header(tmp_path, good_file):
    refused(mutated(good_file, tmp_path, "short", lambda d: d[:60]), "truncated", "文件头被截断")


def test_truncated(tmp_path, good_file):
    refused(mutated(good_file, tmp_path, "half", lambda d: d[: len(d) // 2]), "size_mismatch", "被截断")


def test_appended_bytes(tmp_path, good_file):
    refused(mutated(good_file, tmp_path, "tail", lambda d: d + b"\0" * 4096), "size_mismatch", "附加了数据")


def test_too_large(tmp_path, good_file):
    refused(good_file, "too_large", "文件过大", max_bytes=10_000)


def test_bit_flip_in_header_page_size(tmp_path, good_file):
    def flip(d):
        d[16] ^= 0x01
    refused(mutated(good_file, tmp_path, "pagesize", flip), "bad_header", "页大小")


def test_bit_flip_in_header_page_count(tmp_path, good_file):
    def flip(d):
        d[31] ^= 0x04
    refused(mutated(good_file, tmp_path, "pagecount", flip), "size_mismatch")


def test_bit_flip_in_a_btree_page(tmp_path, good_file):
    def flip(d):
        page = int.from_bytes(d[16:18], "big")
        # the b-tree page of the actual table: flip its page-type byte and a cell pointer
        conn = sqlite3.connect(f"file:{good_file}?mode=ro&immutable=1", uri=True)
        root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'indicator'").fetchone()[0]
        conn.close()
        start = (root - 1) * page
        d[start + 8] ^= 0xFF  # first cell pointer
        d[start + 9] ^= 0x5A
    refused(mutated(good_file, tmp_path, "btree", flip), "corrupt", "已损坏")


def test_changed_value_byte_passes_quick_check_but_not_the_fingerprint(tmp_path, good_file):
    def edit(d):
        at = bytes(d).index(b"sy-zl2-01\x07\xe61.1")  # 2022 城镇新增就业人数 stored as "1.1"
        at += len(b"sy-zl2-01\x07\xe6") + 2
        d[at] = ord("7")
    path = mutated(good_file, tmp_path, "valuebyte", edit)
    conn = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("SELECT value FROM actual WHERE code = ? AND year = 2022", (JOBS,)).fetchone()[0] == "1.7"
    conn.close()
    refused(path, "fingerprint", "数据指纹不符")


def test_value_tampered_with_a_db_browser(tmp_path, good_file):
    path = with_sql(good_file, tmp_path, "browser", "UPDATE actual SET value = 1.7 WHERE value = '1.1';")
    refused(path, "fingerprint", "被改动")


def test_wrong_application_id(tmp_path, good_file):
    refused(mutated(good_file, tmp_path, "foreign", lambda d: set_u32(d, 68, 0x12345678)), "foreign", "其他程序")


def test_newer_user_version(tmp_path, good_file):
    refused(mutated(good_file, tmp_path, "newer", lambda d: set_u32(d, 60, 99)), "newer", "架构版本 99")


def test_wal_mode_header(tmp_path, good_file):
    def wal(d):
        d[18] = d[19] = 2
    refused(mutated(good_file, tmp_path, "wal", wal), "wal", "WAL")


def test_wal_mode_file_made_by_sqlite(tmp_path, good_file):
    path = tmp_path / "walmode.sqlite"
    shutil.copyfile(good_file, path)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.close()
    refused(path, "wal")
    assert not Path(str(path) + "-wal").exists() and not Path(str(path) + "-shm").exists()


# ------------------------------------------------------------------------- schema


def test_extra_table(tmp_path, good_file):
    refused(with_sql(good_file, tmp_path, "extra", "CREATE TABLE payload (x TEXT);"), "schema", "多余的表“payload”")


def test_extra_index(tmp_path, good_file):
    path = with_sql(good_file, tmp_path, "index", "CREATE INDEX sneaky ON actual (value);")
    refused(path, "schema", "多余的索引“sneaky”")


def test_index_calling_an_app_function(tmp_path, good_file):
    path = with_sql(good_file, tmp_path, "fnindex", "CREATE INDEX sneaky ON actual (app_hook(value));")
    refused(path, "schema", "sneaky")


def test_changed_column(tmp_path, good_file):
    path = with_sql(good_file, tmp_path, "column", "ALTER TABLE actual ADD COLUMN extra TEXT;")
    refused(path, "schema", "“actual”的定义与标准不同")


def test_view_named_like_our_table_calling_an_app_function(tmp_path, good_file):
    sql = (
        "ALTER TABLE actual RENAME TO actual_real;"
        "CREATE VIEW actual AS SELECT code, year, app_hook(value) AS value, nature, source, note, status,"
        " updated_by, updated_at FROM actual_real;"
    )
    refused(with_sql(good_file, tmp_path, "view", sql), "schema", "含有视图“actual”")


def test_trigger_that_would_insert_and_call_an_app_function(tmp_path, good_file):
    sql = (
        "CREATE TRIGGER grab AFTER INSERT ON submitted_value BEGIN"
        " SELECT app_hook(new.value); INSERT INTO audit (at, who, action) VALUES ('x', 'x', 'x'); END;"
        "CREATE TRIGGER grab2 BEFORE DELETE ON actual BEGIN SELECT app_hook(old.value); END;"
    )
    path = with_sql(good_file, tmp_path, "trigger", sql)
    refused(path, "schema", "含有触发器“grab”")


def test_hostile_view_never_runs_even_when_imported(tmp_path, good_file, city):
    sql = "CREATE VIEW v AS SELECT app_hook(1);CREATE TRIGGER t AFTER UPDATE ON plan BEGIN SELECT app_hook(2); END;"
    path = with_sql(good_file, tmp_path, "both", sql)
    with Workspace.open(city) as ws:
        item = import_submissions(ws, [path]).items[0]
        assert item.status == "refused" and item.codes == ["schema"]
        assert ws.connection.execute("SELECT count(*) FROM submission").fetchone()[0] == 0


def test_huge_text_field(tmp_path, good_file):
    path = with_sql(good_file, tmp_path, "huge", "UPDATE actual SET note = printf('%.*c', 3000000, 'x');")
    refused(path, "oversized_field", "超长")


def test_huge_blob(tmp_path, good_file):
    path = with_sql(good_file, tmp_path, "hugeblob", "UPDATE actual SET note = zeroblob(8000000) WHERE year = 2023;")
    assert path.stat().st_size > 8_000_000
    refused(path, "oversized_field", "二进制数据")


def test_blob_in_a_text_column(tmp_path, good_file):
    path = with_sql(good_file, tmp_path, "blob", "UPDATE actual SET source = zeroblob(20) WHERE year = 2021;")
    refused(path, "oversized_field", "二进制数据")


def test_wrong_type_in_an_integer_column(tmp_path, good_file):
    path = with_sql(good_file, tmp_path, "type", "UPDATE actual SET year = 'x2022' WHERE year = 2022;")
    refused(path, "oversized_field", "类型不符")


def test_deadline(tmp_path, good_file, monkeypatch):
    from desktop.exchange import hostile

    monkeypatch.setattr(hostile, "PROGRESS_STEPS", 100)
    refused(good_file, "timeout", "处理超时", deadline=-1)


# ------------------------------------------------------------------------- content


def test_plain_workspace_is_not_a_submission(counties):
    refused(counties["430522"], "not_submission", "不是报送文件")


def test_manifest_not_matching_the_plan(tmp_path, good_file):
    path = with_sql(good_file, tmp_path, "manifest", "UPDATE submission_manifest SET region_name = '别的县';")
    refused(path, "manifest", "行政区划名称")


def test_values_after_the_report_year(tmp_path, good_file):
    path = with_sql(good_file, tmp_path, "later",
                    "INSERT INTO actual (code, year, value) VALUES ('sy-zl2-01', 2025, '9')", resign_after=True)
    refused(path, "extra_years", "2025")


def test_values_refused_by_the_domain(tmp_path, good_file):
    path = tmp_path / "negative.sqlite"
    resign(good_file, path, values=lambda c, y, v: -v if v is not None else v)
    refused(path, "invalid_values", "不能为负数")


@pytest.mark.parametrize("text", ["1E+999999999", "NaN", "-Infinity", "1" * 60])
def test_values_a_decimal_cannot_handle_safely(tmp_path, good_file, text):
    path = with_sql(good_file, tmp_path, "exponent", f"UPDATE actual SET value = '{text}' WHERE year = 2021;")
    refused(path, "invalid_values", "可处理范围")


def test_empty_plan(tmp_path, good_file):
    refused(with_sql(good_file, tmp_path, "noplan", "DELETE FROM plan;"), "bad_plan", "没有规划定义")


def test_regional_detail_tampered(tmp_path, good_file):
    path = with_sql(good_file, tmp_path, "detail",
                    "INSERT INTO submission (region_code, region_name, year, version, fingerprint, imported_at)"
                    " VALUES ('430522', 'x', 2023, 1, 'f', 'now');")
    refused(path, "detail_fingerprint")


# ------------------------------------------------------------------------- versions


def test_older_file_is_read_through_its_migration(tmp_path, good_file):
    newer = db.migrations() + [("0003_test_only", "CREATE TABLE future_thing (x TEXT);")]
    r = verify_submission(good_file, _migrations=newer)
    assert r.ok, r.reasons
    assert r.migrated_from == 2 and r.schema_version == 3
    assert "旧版本程序" in r.warnings[0]


def test_version_1_workspace_migrates_then_is_no_submission(tmp_path):
    plan, actuals = plan_for("sy-zl2", "430522", "新邵县")
    path = tmp_path / "v1.sqlite"
    Workspace.create(path, plan, actuals, _migrations=db.migrations()[:1]).close()
    before = path.read_bytes()
    r = verify_submission(path)
    assert r.codes == ["not_submission"] and r.migrated_from == 1
    assert path.read_bytes() == before  # the private copy was migrated, never the file


# ------------------------------------------------------------------------- import level


def test_duplicate_and_other_city(tmp_path, exported, city):
    stranger = tmp_path / "stranger.sqlite"
    resign(exported["430522"], stranger, region_code="430421", region_name="衡阳县")
    assert verify_submission(stranger).ok
    with Workspace.open(city) as ws:
        report = import_submissions(ws, [exported["430522"], exported["430522"], stranger])
    assert [i.status for i in report.items] == ["imported", "duplicate", "refused"]
    assert "数据指纹相同" in report.items[1].warnings[-1]
    assert report.items[2].codes == ["not_under"] and "衡阳县（430421）不是本级" in report.items[2].reasons[0]
