"""The commands as a user runs them: export, verify, import, consolidate, diff."""
from __future__ import annotations

import json
import os
import subprocess
import sys

from desktop.exchange.forge import resign


def run(*args) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    env.pop("PLANLEDGER_DEBUG", None)
    return subprocess.run([sys.executable, "-m", "desktop.cli", *map(str, args)], capture_output=True, text=True,
                          encoding="utf-8", env=env, timeout=60)


def test_export_verify_import_consolidate_diff(counties, city, tmp_path):
    inbox = tmp_path / "in"
    inbox.mkdir()
    r = run("export", counties["430522"], "--year", "2023", "--out", inbox / "a.sqlite")
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == str(inbox / "a.sqlite") and "数据指纹" in r.stderr
    r = run("export", counties["430523"], "--year", "2023")
    assert r.returncode == 0, r.stderr
    default = counties["430523"].parent / "430523_邵阳县_2023年_指标报送.sqlite"
    assert default.exists()
    (inbox / default.name).write_bytes(default.read_bytes())

    r = run("verify", *inbox.iterdir(), "--json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["ok"] is True

    bad = tmp_path / "bad.sqlite"
    bad.write_bytes((inbox / "a.sqlite").read_bytes()[:5000])
    r = run("verify", inbox / "a.sqlite", bad)
    assert r.returncode == 3
    assert "不通过：报送文件“bad.sqlite”：" in r.stderr and "被截断" in r.stderr

    r = run("import", city, inbox, "--json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["imported"] == 2
    r = run("import", city, inbox, bad)
    assert r.returncode == 3 and "拒收：报送文件“bad.sqlite”" in r.stderr and "重复" in r.stdout

    r = run("consolidate", city, "--year", "2023", "--json")
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    jobs = next(i for i in d["indicators"] if i["code"] == "sy-zl2-01")
    assert jobs["value"] == 3.6 and jobs["values"] == {"2021": 3, "2022": 3.3, "2023": 3.6}
    assert {r["name"]: r["value"] for r in jobs["regions"]} == {"新邵县": 1.2, "邵阳县": 2.4}
    assert jobs["rule"] == "sum" and jobs["status"] == "滞后" and jobs["completion"] == 0.4213
    assert d["year"] == 2023 and d["missing_regions"] == [] and isinstance(d["warnings"], list)
    r = run("consolidate", city, "--year", "2023")
    assert r.returncode == 0 and "城镇新增就业人数" in r.stdout and "不可汇总" in r.stdout

    changed = tmp_path / "changed.sqlite"
    resign(inbox / "a.sqlite", changed, values=lambda c, y, v: v + 1 if v is not None and y == 2023 and c == "sy-zl2-01" else v)
    r = run("diff", inbox / "a.sqlite", changed)
    assert r.returncode == 0, r.stderr
    assert "修改 2023年 城镇新增就业人数：1.2（年报） → 2.2（年报）" in r.stdout
    r = run("diff", inbox / "a.sqlite", bad)
    assert r.returncode == 3
