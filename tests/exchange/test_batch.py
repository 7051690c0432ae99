"""A batch never stops at a bad file: 200 files, 20 of them bad, import 180."""
from __future__ import annotations

import shutil
import sqlite3
import struct
from decimal import Decimal
from pathlib import Path

from desktop.exchange import consolidate, import_submissions
from desktop.exchange.forge import resign
from desktop.store.create import new_workspace

from .conftest import JOBS


def _damage(kind: int, path: Path) -> None:
    data = bytearray(path.read_bytes())
    if kind == 0:
        data = data[: len(data) // 3]
    elif kind == 1:
        data[16] ^= 0x01
    elif kind == 2:
        data[68:72] = struct.pack(">I", 7)
    elif kind == 3:
        data[60:64] = struct.pack(">I", 42)
    elif kind == 4:
        data[18] = data[19] = 2
    elif kind == 5:
        data = bytearray(b"not a database at all")
    elif kind == 6:
        data = bytearray()
    if kind <= 6:
        path.write_bytes(bytes(data))
        return
    conn = sqlite3.connect(path)
    sql = {
        7: "UPDATE actual SET value = '99' WHERE year = 2021",
        8: "CREATE VIEW v AS SELECT 1",
        9: "CREATE TABLE extra (x)",
    }[kind]
    conn.execute(sql)
    conn.commit()
    conn.close()


def test_200_files_20_bad_import_180(tmp_path, good_file):
    inbox = tmp_path / "batch"
    inbox.mkdir()
    expected = Decimal(0)
    n = 0
    for city in range(1, 13):
        for county in range(1, 16):
            n += 1
            code = f"43{city:02d}{county:02d}"
            scale = Decimal(n)
            resign(good_file, inbox / f"{code}.sqlite", region_code=code, region_name=f"县{n}",
                   values=lambda c, y, v, s=scale: v * s if v is not None and c == JOBS else v)
            expected += Decimal("1.2") * scale
    bad = []
    for k in range(20):
        path = inbox / f"bad{k:02d}.sqlite"
        if k < 10 or k >= 13:
            shutil.copyfile(inbox / "430101.sqlite", path)
            _damage(k % 10, path)
        else:  # regions outside the province
            resign(good_file, path, region_code=f"44010{k - 9}", region_name="外省县")
        bad.append(path.name)
    assert len(list(inbox.iterdir())) == 200
    seen = []
    with new_workspace(tmp_path / "province.sqlite", template="sy-zl2", region_code="430000", region_name="湖南省") as ws:
        report = import_submissions(ws, [inbox], progress=lambda i, total, p: seen.append(i))
        assert len(report.imported) == 180
        assert sorted(i.path.name for i in report.refused) == bad
        assert all(i.reasons and i.reasons[0].startswith(f"报送文件“{i.path.name}”") for i in report.refused)
        assert len({tuple(i.codes) for i in report.refused}) >= 9  # each with its specific reason
        assert seen[:3] == [0, 1, 2] and seen[-1] == 200
        result = consolidate(ws, 2023)
    jobs = next(i for i in result.indicators if i.code == JOBS)
    assert jobs.value == expected
    assert len(jobs.regions) == 180


def test_parallel_verification_gives_the_same_report(tmp_path, good_file):
    inbox = tmp_path / "many"
    inbox.mkdir()
    for k in range(60):
        resign(good_file, inbox / f"{k:03d}.sqlite", region_code=f"4305{k + 1:02d}", region_name=f"县{k}")
    (inbox / "zz_bad.sqlite").write_bytes(b"junk")
    with new_workspace(tmp_path / "city.sqlite", template="sy-zl2", region_code="430500", region_name="邵阳市") as ws:
        report = import_submissions(ws, [inbox], workers=2)
    assert len(report.imported) == 60 and [i.codes for i in report.refused] == [["not_sqlite"]]
