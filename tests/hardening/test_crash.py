"""Crash safety: a child process edits the workspace through the store and is killed with
SIGKILL at random moments. After every kill the file passes ``PRAGMA integrity_check``, every
acknowledged edit is there, the edit in flight is all there or not there at all (a pasted
block is never half-applied), and the audit log agrees with the values.

The same workspace lives through every kill of a test, so damage could accumulate; the
parent keeps its own model of what the file must hold and compares after each kill.
"""
from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from decimal import Decimal
from pathlib import Path

import pytest

from desktop.store.workspace import Workspace

CHILD = Path(__file__).with_name("crash_child.py")
ROOT = Path(__file__).resolve().parents[2]
DEFAULT_KILLS = 4
SLOW_KILLS = 200
JOURNAL_MAGIC = bytes.fromhex("d9d505f920a163d7")

Cell = tuple[str, int]


class Child:
    """One child run: its output lines, collected by a thread so the pipe never fills."""

    def __init__(self, ws: Path, seed: int, first_id: int):
        env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
        self.proc = subprocess.Popen(
            [sys.executable, str(CHILD), str(ws), str(seed), str(first_id)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=ROOT,
        )
        self.lines: list[str] = []
        self.ready = threading.Event()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for raw in self.proc.stdout:
            line = raw.decode("utf-8", "replace")
            if not line.endswith("\n"):  # cut short by the kill: never acknowledged
                break
            self.lines.append(line.rstrip("\n"))
            if line.startswith("READY") or line.startswith("READONLY"):
                self.ready.set()
        self.ready.set()

    def kill(self) -> tuple[int, bytes]:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=30)
        self._reader.join(timeout=30)
        err = self.proc.stderr.read() if self.proc.stderr else b""
        return (self.proc.returncode, err)


def read_cells(ws: Workspace) -> dict[Cell, Decimal]:
    return {(code, year): a.value for code, per in ws.actuals().items() for year, a in per.items()}


def check_audit(ws: Workspace, values: dict[Cell, Decimal]) -> None:
    """The newest ``value`` audit row of every cell names the value the cell holds."""
    last: dict[Cell, str | None] = {}
    for entry in ws.audit():
        if entry.field == "value" and entry.code is not None:
            last[(entry.code, entry.year)] = entry.new_value
    for cell in set(last) | set(values):
        held = values.get(cell)
        assert last.get(cell) == (None if held is None else str(held)), (cell, last.get(cell), held)


def run_kills(ws_path: Path, kills: int, seed: int) -> dict[str, int]:
    """Kill a child ``kills`` times; check the file after each. Returns counts for the report."""
    rng = random.Random(seed)
    model: dict[Cell, Decimal] = {}
    next_id = 1
    stats = {"kills": 0, "acknowledged": 0, "in_flight": 0, "in_flight_committed": 0, "before_ready": 0,
             "spent_journal": 0}
    for k in range(kills):
        child = Child(ws_path, rng.randrange(1 << 30), next_id)
        if rng.random() < 0.1:  # sometimes while it starts or opens the file (hot journal)
            time.sleep(rng.uniform(0.0, 0.4))
        else:
            assert child.ready.wait(timeout=60), "child did not start"
            time.sleep(rng.uniform(0.0, 0.25))
        code, err = child.kill()
        assert code == -signal.SIGKILL, (code, err.decode("utf-8", "replace")[-2000:])
        stats["kills"] += 1
        if not any(line.startswith("READY") for line in child.lines):
            stats["before_ready"] += 1
        assert not any(line.startswith("READONLY") for line in child.lines), child.lines

        acked: set[int] = set()
        begun: list[dict] = []
        for line in child.lines:
            kind, _, payload = line.partition(" ")
            if kind == "BEGIN":
                begun.append(json.loads(payload))
            elif kind == "ACK":
                acked.add(json.loads(payload)["id"])
        in_flight = None
        for edit in begun:
            cells = {(c, y): None if v is None else Decimal(v) for c, y, v in edit["cells"]}
            if edit["id"] in acked:
                stats["acknowledged"] += 1
                for cell, v in cells.items():
                    _assign(model, cell, v)
            else:
                assert in_flight is None and edit is begun[-1], "only the last edit can be unacknowledged"
                in_flight = cells
        if begun:
            next_id = begun[-1]["id"] + 1

        with Workspace.open(ws_path, user="检查") as ws:  # the app's own open: hot journal rolled back here
            assert not ws.read_only, ws.read_only_reason  # a killed writer leaves no lock behind
            assert ws.connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            assert ws.connection.execute("PRAGMA foreign_key_check").fetchall() == []
            values = read_cells(ws)
            if in_flight is not None:
                stats["in_flight"] += 1
                before = {cell: model.get(cell) for cell in in_flight}
                after = {cell: values.get(cell) for cell in in_flight}
                if after == in_flight and after != before:
                    stats["in_flight_committed"] += 1
                    for cell, v in in_flight.items():
                        _assign(model, cell, v)
                else:
                    assert after == before, f"edit half-applied: before {before}, after {after}, wanted {in_flight}"
            assert values == model, f"after kill {k + 1}: stored {values} ≠ acknowledged {model}"
            check_audit(ws, values)
        journal = Path(str(ws_path) + "-journal")
        if journal.exists():  # SQLite may leave a spent journal (header zeroed): never a hot one
            assert journal.read_bytes()[:8] != JOURNAL_MAGIC, "hot journal left after the app opened the file"
            stats["spent_journal"] += 1
    return stats


def _assign(model: dict[Cell, Decimal], cell: Cell, value: Decimal | None) -> None:
    if value is None:
        model.pop(cell, None)
    else:
        model[cell] = value


def test_kill_9_while_editing_loses_nothing(empty_ws: Path) -> None:
    stats = run_kills(empty_ws, DEFAULT_KILLS, seed=8)
    assert stats["kills"] == DEFAULT_KILLS and stats["acknowledged"] > 0


@pytest.mark.slow
@pytest.mark.parametrize("chunk", range(4))
def test_kill_9_two_hundred_times(empty_ws: Path, chunk: int) -> None:
    """≥ 200 kills in all (four chunks of 50, so ``-n 2`` runs them side by side)."""
    stats = run_kills(empty_ws, SLOW_KILLS // 4, seed=1000 + chunk)
    print(f"\ncrash chunk {chunk}: {json.dumps(stats, ensure_ascii=False)}")
    assert stats["kills"] == SLOW_KILLS // 4
    assert stats["in_flight"] > 0  # some kills did land inside an edit
