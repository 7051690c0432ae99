"""A batch import (``Workspace.batch``: WAL, one transaction per file, fsync at the end) killed
with SIGKILL at random moments: the file passes ``integrity_check``, every file the child had
reported as committed is there with all its values, no file is half-imported, and importing
the folder again adds exactly the missing ones (the rest are duplicates). The file is back in
the rollback journal once the app opens it."""
from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from desktop.exchange import import_submissions
from desktop.exchange.forge import resign
from desktop.store.create import new_workspace
from desktop.store.workspace import Workspace
from tests.exchange.conftest import counties, exported, good_file  # noqa: F401 - fixtures

CHILD = Path(__file__).with_name("import_child.py")
ROOT = Path(__file__).resolve().parents[2]
FILES = 40


@pytest.fixture
def inbox(tmp_path: Path, good_file: Path) -> Path:
    folder = tmp_path / "batch"
    folder.mkdir()
    for n in range(FILES):
        code = f"4305{n + 21:02d}"
        resign(good_file, folder / f"{code}.sqlite", region_code=code, region_name=f"县{n + 1}")
    return folder


def _run_until_killed(ws_path: Path, inbox: Path, rng: random.Random) -> int:
    """Start the child, kill it after a random number of committed files; the last DONE seen."""
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    proc = subprocess.Popen([sys.executable, str(CHILD), str(ws_path), str(inbox)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=env, cwd=ROOT)
    assert proc.stdout is not None
    stop_after = rng.randrange(1, FILES // 2 - 3)  # ≥ 20 files left: the kill lands inside the batch
    done = 0
    for raw in proc.stdout:
        line = raw.decode()
        if line.startswith("DONE"):
            done = int(line.split()[1])
            if done >= stop_after:
                time.sleep(rng.random() * 0.004)  # somewhere inside the next file's import
                break
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    return done


def test_killed_batch_import_keeps_every_committed_file(tmp_path: Path, inbox: Path) -> None:
    rng = random.Random(20261204)
    ws_path = tmp_path / "city.sqlite"
    new_workspace(ws_path, template="sy-zl2", region_code="430500", region_name="邵阳市", user="市汇总员").close()
    killed_in_wal = 0
    for _ in range(3):
        done = _run_until_killed(ws_path, inbox, rng)
        assert done < FILES
        killed_in_wal += Path(f"{ws_path}-wal").exists()  # killed inside the batch, the log not yet taken back
        with Workspace.open(ws_path) as ws:  # the app's own open: the log is taken back into the file
            conn = ws.connection
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
            counts = conn.execute(
                "SELECT s.region_code, count(v.code) FROM submission AS s LEFT JOIN submitted_value AS v"
                " ON v.submission = s.id GROUP BY s.id").fetchall()
            per_file = {n for _, n in counts}
            assert len(counts) >= done  # every file reported committed is there
            assert len(per_file) <= 1  # …each whole: as many values as every other
            audits = conn.execute("SELECT count(*) FROM audit WHERE action = 'import'").fetchone()[0]
            assert audits == len(counts)
        assert not Path(f"{ws_path}-wal").exists()
    assert killed_in_wal == 3
    with Workspace.open(ws_path) as ws:
        before = ws.connection.execute("SELECT count(*) FROM submission").fetchone()[0]
        report = import_submissions(ws, [inbox])
        assert len(report.imported) == FILES - before
        assert len(report.items) - len(report.imported) == before  # the rest: duplicates
        assert ws.connection.execute("SELECT count(DISTINCT region_code) FROM submission").fetchone()[0] == FILES
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("city")) == ["city.sqlite"]
