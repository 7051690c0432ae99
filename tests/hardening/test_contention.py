"""Contention and hostile surroundings: a second instance on the same workspace, a workspace
in a read-only folder or on read-only media, and a disk that fills up mid-write.

The other instance is a real second process (``store_child.py``) holding the workspace
through the store's own lock (``desktop/store/filelock.py``): the second opener gets a
read-only workspace with the reason to show in its banner, and no write is lost.
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import pytest

from desktop.domain.errors import ReadOnly, WriteFailed
from desktop.store import actions
from desktop.store.workspace import READ_ONLY_LOCKED, READ_ONLY_MEDIA, Workspace
from tests.store.conftest import JOBS, PENSION, REEMPLOYED

from .conftest import is_root_like

CHILD = Path(__file__).with_name("store_child.py")
ROOT = Path(__file__).resolve().parents[2]


class Instance:
    """Another program instance in its own process."""

    def __init__(self) -> None:
        env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
        self.proc = subprocess.Popen([sys.executable, str(CHILD)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True, encoding="utf-8", env=env, cwd=ROOT)

    def __call__(self, **cmd) -> dict:
        self.send(**cmd)
        return self.receive()

    def send(self, **cmd) -> None:
        assert self.proc.stdin
        self.proc.stdin.write(json.dumps(cmd, ensure_ascii=False) + "\n")
        self.proc.stdin.flush()

    def receive(self) -> dict:
        assert self.proc.stdout
        line = self.proc.stdout.readline()
        assert line, self.proc.stderr.read() if self.proc.stderr else "child died"
        return json.loads(line)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.stdin.close()  # type: ignore[union-attr]
            self.proc.wait(timeout=30)


@pytest.fixture
def instance():
    inst = Instance()
    yield inst
    if inst.proc.poll() is None:
        inst.proc.kill()
        inst.proc.wait()


def stored(path: Path) -> dict[tuple[str, int], Decimal]:
    with Workspace.open(path, read_only=True) as ws:
        return {(c, y): a.value for c, per in ws.actuals().items() for y, a in per.items()}


def integrity(path: Path) -> str:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()


# ------------------------------------------------------------------- two instances


def test_second_instance_is_read_only_and_told_why(ws_path: Path, instance: Instance) -> None:
    assert instance(op="open", path=str(ws_path)) == {"read_only": False, "reason": None}
    assert instance(op="set", code=JOBS, year=2022, value="5.1")["ok"]

    with Workspace.open(ws_path, user="第二个窗口") as second:
        assert second.read_only and second.read_only_reason == READ_ONLY_LOCKED
        assert "另一个程序实例" in second.read_only_reason  # the banner text
        with pytest.raises(ReadOnly, match="只读方式打开.*另存为"):
            actions.set_actual(second, JOBS, 2023, Decimal("9.9"))
        with pytest.raises(ReadOnly):
            actions.paste_block(second, [(JOBS, 2024, Decimal("1"))])
        # the writer keeps writing while the reader is open; the reader sees each commit
        assert instance(op="set", code=JOBS, year=2023, value="5.2")["ok"]
        assert second.actual(JOBS, 2023).value == Decimal("5.2")
        assert instance(op="paste", cells=[[REEMPLOYED, 2021, "0.7"], [PENSION, 2021, "91"]])["ok"]
        assert second.actual(PENSION, 2021).value == Decimal("91")

    assert instance(op="close")["ok"]
    instance.stop()
    assert stored(ws_path) == {
        (JOBS, 2021): Decimal("4.8"), (JOBS, 2022): Decimal("5.1"), (JOBS, 2023): Decimal("5.2"),
        (REEMPLOYED, 2021): Decimal("0.7"), (PENSION, 2021): Decimal("91"),
    }
    with Workspace.open(ws_path) as again:  # the lock went with the first instance
        assert not again.read_only
        assert [e.new_value for e in again.audit(JOBS) if e.field == "value"] == ["5.1", "5.2"]


def test_lock_of_a_killed_instance_is_released(ws_path: Path, instance: Instance) -> None:
    assert instance(op="open", path=str(ws_path))["read_only"] is False
    assert instance(op="set", code=JOBS, year=2022, value="5.1")["ok"]
    instance.proc.send_signal(signal.SIGKILL)
    instance.proc.wait(timeout=30)
    with Workspace.open(ws_path) as ws:  # the stale sidecar file does not make it read-only
        assert not ws.read_only
        assert ws.actual(JOBS, 2022).value == Decimal("5.1")


def test_both_instances_busy_the_reader_never_blocks_the_writer(ws_path: Path, instance: Instance) -> None:
    """A reader holding a long read does not make the writer's edit fail or vanish."""
    assert instance(op="open", path=str(ws_path))["read_only"] is False
    with Workspace.open(ws_path) as second:
        assert second.read_only
        conn = second.connection
        conn.execute("BEGIN")
        assert conn.execute("SELECT count(*) FROM actual").fetchone()[0] == 1  # shared lock held
        # the writer's commit waits (busy timeout) while our read lasts
        instance.send(op="set", code=JOBS, year=2025, value="4.4")
        time.sleep(0.3)
        conn.execute("COMMIT")
        assert instance.receive()["ok"]
    assert instance(op="close")["ok"]
    assert stored(ws_path)[(JOBS, 2025)] == Decimal("4.4")


# ------------------------------------------------------------------- read-only places


def test_workspace_in_a_read_only_folder_opens_read_only(tmp_path: Path, ws_path: Path) -> None:
    if is_root_like(tmp_path):
        pytest.skip("running as root: permission bits do not apply (see the read-only mount test)")
    before = ws_path.read_bytes()
    ws_path.parent.chmod(0o555)
    try:
        with Workspace.open(ws_path) as ws:
            assert ws.read_only and ws.read_only_reason == READ_ONLY_MEDIA
            with pytest.raises(ReadOnly, match="只读"):
                actions.set_actual(ws, JOBS, 2022, Decimal("1"))
            assert ws.actual(JOBS, 2021).value == Decimal("4.8")
    finally:
        ws_path.parent.chmod(0o755)
    assert ws_path.read_bytes() == before
    assert sorted(p.name for p in ws_path.parent.iterdir()) == [ws_path.name]  # no journal, no lock


def _mount(target: Path, options: str) -> bool:
    target.mkdir()
    if not shutil.which("mount"):
        return False
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(target)], capture_output=True)
    return r.returncode == 0


def _umount(target: Path) -> None:
    subprocess.run(["umount", "-l", str(target)], capture_output=True)


def test_workspace_on_read_only_media_opens_read_only(tmp_path: Path, ws_path: Path) -> None:
    """A read-only file system (a write-protected USB stick): even root cannot write there."""
    media = tmp_path / "media"
    if not _mount(media, "size=4m"):
        pytest.skip("cannot mount a tmpfs here (needs root with CAP_SYS_ADMIN)")
    try:
        shutil.copyfile(ws_path, media / ws_path.name)
        subprocess.run(["mount", "-o", "remount,ro", str(media)], check=True, capture_output=True)
        path = media / ws_path.name
        with Workspace.open(path) as ws:
            assert ws.read_only and ws.read_only_reason == READ_ONLY_MEDIA
            with pytest.raises(ReadOnly, match="另存为"):
                actions.set_actual(ws, JOBS, 2022, Decimal("1"))
            assert ws.actual(JOBS, 2021).value == Decimal("4.8")
        assert path.read_bytes() == ws_path.read_bytes()
    finally:
        _umount(media)


# ------------------------------------------------------------------- disk full


def test_disk_full_mid_write_is_reported_and_the_file_stays_intact(ws_path: Path, instance: Instance) -> None:
    """``RLIMIT_FSIZE`` in the writing process: the file cannot grow, as on a full disk."""
    assert instance(op="open", path=str(ws_path))["read_only"] is False
    assert instance(op="set", code=JOBS, year=2022, value="5.1")["ok"]
    assert instance(op="fsize", limit=ws_path.stat().st_size + 4096)["ok"]

    big_note = "因统计口径调整说明：" + "长" * 1_000_000  # needs far more pages than the limit allows
    failed = instance(op="set", code=JOBS, year=2023, value="5.2", note=big_note)
    assert failed["ok"] is False and failed["error"] == WriteFailed.__name__, failed
    assert failed["message"].startswith(f"无法保存到“{ws_path.name}”："), failed
    assert "本次修改未保存" in failed["message"]
    # a paste either fits in the slack the limit leaves or fails whole: never in part
    cells = [[code, year, "1.5"] for code in (REEMPLOYED, PENSION) for year in range(2021, 2026)]
    pasted = instance(op="paste", cells=cells)
    assert pasted["ok"] or pasted["error"] == WriteFailed.__name__, pasted

    # the instance carries on: a small edit that fits is saved
    assert instance(op="set", code=JOBS, year=2024, value="5.3")["ok"]
    assert instance(op="close")["ok"]
    instance.stop()

    assert integrity(ws_path) == "ok"
    values = stored(ws_path)
    assert (JOBS, 2023) not in values  # the failed edit is not there, not even in part
    assert values[(JOBS, 2022)] == Decimal("5.1") and values[(JOBS, 2024)] == Decimal("5.3")
    in_paste = [values.get((c, y)) for c, y, _ in cells]
    assert in_paste == ([Decimal("1.5")] * len(cells) if pasted["ok"] else [None] * len(cells))
    with Workspace.open(ws_path) as ws:
        assert not any(e.year == 2023 for e in ws.audit(JOBS))  # no audit row of the failed edit


def test_disk_full_on_a_tiny_file_system(tmp_path: Path, plan) -> None:  # noqa: ANN001
    """The same on a real 256 KB file system, when this machine lets the test mount one."""
    small = tmp_path / "small"
    if not _mount(small, "size=256k"):
        pytest.skip("cannot mount a tmpfs here (needs root with CAP_SYS_ADMIN)")
    try:
        path = small / "台账.sqlite"
        Workspace.create(path, plan, []).close()
        with Workspace.open(path) as ws:
            actions.set_actual(ws, JOBS, 2021, Decimal("4.8"))
            # fill the rest of the disk with another file, as a full office PC would be
            filler = small / "其他文件.bin"
            fd = os.open(filler, os.O_WRONLY | os.O_CREAT)
            try:
                while os.write(fd, b"\0" * 4096):
                    pass
            except OSError:
                pass
            finally:
                os.close(fd)
            with pytest.raises(WriteFailed, match="未保存"):
                actions.set_actual(ws, JOBS, 2022, Decimal("5"), note="长" * 200_000)
            filler.unlink()  # space again: the same workspace saves the next edit
            actions.set_actual(ws, JOBS, 2023, Decimal("5.2"))
        assert integrity(path) == "ok"
        assert stored(path) == {(JOBS, 2021): Decimal("4.8"), (JOBS, 2023): Decimal("5.2")}
    finally:
        _umount(small)
