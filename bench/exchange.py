"""Submission files at national scale: 2,851 county files (60 indicators × 6 years = 360 values).

Times our verify + import (one transaction per file, every hostile-file check) + consolidate
against the raw SQLite baseline on the same files in the same run: per file ``ATTACH`` →
``PRAGMA quick_check`` → a schema look-up → ``INSERT … SELECT`` → ``DETACH`` into a WAL
database with ``synchronous=NORMAL``. Goal: ≤ 3× the baseline.

The files are made fast: one real export, then copies with another region and scaled values
and a recomputed fingerprint (``desktop.exchange.forge.resign``).

``PLANLEDGER_BENCH_EXCHANGE_N`` sets another number of files for a quick run (e.g. 300).
"""
from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
import time
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

from bench.common import Result, synthetic_plan

COUNTIES = 2851
GOAL = 3.0


def _codes(n: int) -> list[tuple[str, str]]:
    out = []
    for city in range(1, 100):
        for county in range(1, 100):
            out.append((f"43{city:02d}{county:02d}", f"县{len(out) + 1}"))
            if len(out) == n:
                return out
    raise ValueError("too many counties for one province")


def make_files(folder: Path, n: int) -> tuple[Path, object]:
    """``n`` county submission files in ``folder``; returns the folder and the plan."""
    from desktop.exchange import export_submission
    from desktop.exchange.forge import resign
    from desktop.store.workspace import Workspace

    plan, actuals = synthetic_plan("sy-zl2", 60, range(2020, 2026))
    plan = replace(plan, start_year=2020, base_year=2019, end_year=2025)
    work = folder.parent
    src = work / "template_county.sqlite"
    with Workspace.create(src, plan, [a for per in actuals.values() for a in per.values()]) as ws:
        template = export_submission(ws, 2025, work / "template_submission.sqlite")
    folder.mkdir()
    for k, (code, name) in enumerate(_codes(n)):
        factor = Decimal(100 + k % 37) / 100
        resign(template, folder / f"{code}.sqlite", region_code=code, region_name=name,
               values=lambda c, y, v, f=factor: None if v is None else (v * f).quantize(Decimal("0.001")))
    return folder, plan


def baseline(files: list[Path], db_path: Path) -> float:
    """The raw SQLite way: ATTACH, quick_check, schema look-up, INSERT … SELECT, DETACH."""
    conn = sqlite3.connect(db_path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("CREATE TABLE v (region TEXT, code TEXT, year INTEGER, value TEXT, nature TEXT)")
    expected = None
    start = time.perf_counter()
    for path in files:
        conn.execute("ATTACH DATABASE ? AS f", (str(path),))
        if conn.execute("PRAGMA f.quick_check").fetchone()[0] == "ok":
            schema = conn.execute("SELECT type, name FROM f.sqlite_master ORDER BY name").fetchall()
            expected = expected or schema
            if schema == expected:
                conn.execute("BEGIN")
                conn.execute("INSERT INTO v SELECT (SELECT region_code FROM f.plan), code, year, value, nature FROM f.actual")
                conn.execute("COMMIT")
        conn.execute("DETACH DATABASE f")
    elapsed = time.perf_counter() - start
    rows = conn.execute("SELECT count(*) FROM v").fetchone()[0]
    conn.close()
    assert rows == 360 * len(files), rows
    return elapsed


def ours(files_dir: Path, plan, ws_path: Path, workers: int = 1) -> tuple[float, float, float, int]:
    from desktop.exchange import consolidate, import_submissions
    from desktop.store.workspace import Workspace

    province = replace(plan, region_code="430000", region_name="湖南省")
    with Workspace.create(ws_path, province, []) as ws:
        start = time.perf_counter()
        report = import_submissions(ws, [files_dir], workers=workers)
        mid = time.perf_counter()
        result = consolidate(ws, 2025)
        end = time.perf_counter()
    assert len(report.imported) == len(list(files_dir.iterdir())), report.refused[:1]
    assert result.indicators and len(result.submissions) == len(report.imported)
    return end - start, mid - start, end - mid, len(report.imported)


def run() -> list[Result]:
    n = int(os.environ.get("PLANLEDGER_BENCH_EXCHANGE_N", COUNTIES))
    work = Path(tempfile.mkdtemp(prefix="plbench-exchange-"))
    try:
        t0 = time.perf_counter()
        folder, plan = make_files(work / "in", n)
        made = time.perf_counter() - t0
        files = sorted(folder.iterdir())
        size = files[0].stat().st_size
        raw = baseline(files, work / "raw.sqlite")
        total, imported, consolidated, count = ours(folder, plan, work / "province.sqlite")
        ratio = total / raw
        workers = min(os.cpu_count() or 1, 4)
        if workers > 1:
            p_total, p_imported, p_consolidated, _ = ours(folder, plan, work / "province_parallel.sqlite", workers)
            print(f"exchange: with {workers} verifying processes: verify+import {p_imported:.2f} s + consolidate "
                  f"{p_consolidated:.2f} s = {p_total:.2f} s; ratio {p_total / raw:.2f}×", flush=True)
        print(
            f"exchange: {count} files of {size / 1024:.0f} KB ({size * count / 1048576:.0f} MB, made in {made:.1f} s); "
            f"verify+import {imported:.2f} s ({imported / count * 1000:.2f} ms/file) + consolidate {consolidated:.2f} s "
            f"= {total:.2f} s; raw ATTACH baseline {raw:.2f} s; ratio {ratio:.2f}×",
            flush=True,
        )
        return [
            Result(f"exchange: verify + import + consolidate {count} county files", total, raw, f"≤ {GOAL:g}×",
                   ratio, ratio <= GOAL)
        ]
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    for r in run():
        print(r.line())
