"""Peak memory with the national roll-up open (Hardening issue §5).

A province workspace that has imported one submission file per county (2,851, the national
count of county-level units; 60 indicators × 6 years each, made by ``bench.exchange.make_files``)
is opened in a fresh process the way the app shows a roll-up: the workspace and its plan, every
region's latest values (what the region comparison needs), the consolidation, and the layouts
of the consolidated progress table and the region comparison table. The peak resident set size
of that process (``VmHWM``; ``ru_maxrss`` where there is no /proc) is compared with a baseline
measured in the same run: a fresh process that loads the same values with bare ``sqlite3``
into plain Python dicts (median of 3 interleaved pairs).
Goal: ≤ 3× the baseline.

``PLANLEDGER_BENCH_MEMORY_N`` sets another number of files for a quick run (e.g. 300).
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from bench.common import Result

COUNTIES = 2851
GOAL = 3.0
YEAR = 2025

PEAK = r'''
import sys
def _peak_kb():
    # VmHWM: the high-water mark of this process image; ru_maxrss on Linux also counts the
    # parent's pages before exec (subprocess forks), so it is only the fallback elsewhere
    try:
        for line in open("/proc/self/status"):
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    import resource
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // (1 if sys.platform != "darwin" else 1024)
'''

OURS = PEAK + r"""
import json
from desktop.store.workspace import Workspace
from desktop.exchange import consolidate
from desktop.exchange.consolidate import latest_submissions
from desktop.exchange.city_reports import consolidated_progress_document, region_comparison_document
ws = Workspace.open(sys.argv[1], read_only=True)
plan = ws.plan()
regions = latest_submissions(ws, int(sys.argv[2]))
result = consolidate(ws, int(sys.argv[2]))
docs = (consolidated_progress_document(result), region_comparison_document(result))
values = sum(len(per) for r in regions for per in r.values.values()) if regions and hasattr(regions[0], "values") else None
print(json.dumps({"peak_kb": _peak_kb(), "regions": len(regions), "values": values}))
"""

BASELINE = PEAK + r"""
import json, sqlite3
conn = sqlite3.connect("file:" + sys.argv[1] + "?mode=ro", uri=True)
latest = {}
for sid, region in conn.execute(
        "SELECT id, region_code FROM submission s WHERE year = ? AND version = "
        "(SELECT max(version) FROM submission t WHERE t.region_code = s.region_code AND t.year = s.year)",
        (int(sys.argv[2]),)):
    latest[sid] = region
values = {}
count = 0
for sid, code, year, value, nature in conn.execute("SELECT submission, code, year, value, nature FROM submitted_value"):
    region = latest.get(sid)
    if region is not None:
        values.setdefault(region, {}).setdefault(code, {})[year] = (value, nature)
        count += 1
print(json.dumps({"peak_kb": _peak_kb(), "regions": len(values), "values": count}))
"""


def province(work: Path, n: int) -> Path:
    """The province workspace after importing ``n`` county files."""
    from bench.exchange import make_files
    from desktop.exchange import import_submissions
    from desktop.store.workspace import Workspace

    folder, plan = make_files(work / "in", n)
    path = work / "province.sqlite"
    with Workspace.create(path, replace(plan, region_code="430000", region_name="湖南省"), []) as ws:
        report = import_submissions(ws, [folder])
        assert len(report.imported) == n, report.refused[:1]
    shutil.rmtree(folder)
    return path


def peak(script: str, path: Path) -> dict:
    """Run ``script`` in a fresh interpreter; its printed figures."""
    root = Path(__file__).resolve().parents[1]
    env = {**os.environ, "PYTHONPATH": str(root) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    out = subprocess.run([sys.executable, "-c", script, str(path), str(YEAR)], capture_output=True, text=True,
                         env=env, cwd=root, check=True, timeout=600)
    return json.loads(out.stdout.strip().splitlines()[-1])


def run() -> list[Result]:
    n = int(os.environ.get("PLANLEDGER_BENCH_MEMORY_N", COUNTIES))
    work = Path(tempfile.mkdtemp(prefix="plbench-memory-"))
    try:
        t0 = time.perf_counter()
        path = province(work, n)
        made = time.perf_counter() - t0
        runs = [(peak(OURS, path), peak(BASELINE, path)) for _ in range(3)]  # interleaved, median
        ours = sorted(r[0]["peak_kb"] for r in runs)[1] / 1024
        base = sorted(r[1]["peak_kb"] for r in runs)[1] / 1024
        bare = peak(PEAK + "\nprint(__import__('json').dumps({'peak_kb': _peak_kb()}))", path)["peak_kb"] / 1024
        o, b = runs[0]
        assert o["regions"] == b["regions"] == n, (o, b)
        print(
            f"memory: province workspace with {n} county submissions ({b['values']} values, "
            f"{path.stat().st_size / 1048576:.0f} MB, made in {made:.0f} s); peak RSS of the roll-up {ours:.1f} MB "
            f"vs bare sqlite3 → dicts {base:.1f} MB (an empty interpreter: {bare:.1f} MB)",
            flush=True,
        )
        ratio = ours / base
        return [Result(f"memory: peak RSS with the roll-up of {n} county files open", ours, base,
                       f"≤ {GOAL:g}×", ratio, ratio <= GOAL, unit="MB")]
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    for r in run():
        print(r.line())
