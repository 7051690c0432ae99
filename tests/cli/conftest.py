from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest


@dataclass
class Result:
    code: int
    out: str
    err: str

    def json(self):
        return json.loads(self.out)


def run_cli(*args: str | Path) -> Result:
    """`planledger ARGS…` in a child process, as a user runs it."""
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    env.pop("PLANLEDGER_DEBUG", None)
    proc = subprocess.run(
        [sys.executable, "-m", "desktop.cli", *map(str, args)], capture_output=True, text=True, encoding="utf-8", env=env, timeout=60
    )
    return Result(proc.returncode, proc.stdout, proc.stderr)


@pytest.fixture
def cli():
    return run_cli


@pytest.fixture
def county(tmp_path: Path) -> Path:
    """新邵县 from the 邵阳 专栏2 template, with 城镇新增就业人数 4.8 / 5.0 / 5.2."""
    ws = tmp_path / "county.sqlite"
    r = run_cli("new", ws, "--template", "sy-zl2", "--region", "430522", "--region-name", "新邵县")
    assert r.code == 0, r.err
    for year, value in ((2021, "4.8"), (2022, "5.0"), (2023, "5.2")):
        r = run_cli("set", ws, "--indicator", "城镇新增就业人数", "--year", str(year), "--value", value)
        assert r.code == 0, r.err
    return ws
