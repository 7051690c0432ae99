"""One writer per workspace file: an exclusive OS lock on a sidecar ``<file>.lock``.

The lock is held for the life of a ``Workspace`` (fcntl.flock on POSIX, msvcrt.locking on
Windows). The operating system releases it when the process dies, so a crash never leaves a
stale lock; the sidecar file is removed on a clean close.
"""
from __future__ import annotations

import os
from pathlib import Path

if os.name == "nt":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _try_lock(fd: int) -> bool:
        try:
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        try:
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        except OSError:
            pass

else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


class Busy(Exception):
    """Another instance holds the lock."""


def lock_path(path: Path) -> Path:
    return path.with_name(path.name + ".lock")


class FileLock:
    """The held lock of one workspace file. ``acquire`` raises ``Busy`` or ``OSError``."""

    def __init__(self, path: Path, fd: int):
        self.path = path
        self._fd: int | None = fd

    @classmethod
    def acquire(cls, workspace_path: Path) -> "FileLock":
        path = lock_path(workspace_path)
        for _ in range(10):
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
            if not _try_lock(fd):
                os.close(fd)
                raise Busy(str(path))
            # The holder before us may have removed the sidecar between our open and our
            # lock: then we hold a lock on a deleted file and must try the new one.
            try:
                same = os.path.samestat(os.fstat(fd), os.stat(path))
            except FileNotFoundError:
                same = False
            if same or os.name == "nt":
                return cls(path, fd)
            _unlock(fd)
            os.close(fd)
        raise Busy(str(path))

    @property
    def held(self) -> bool:
        return self._fd is not None

    def release(self) -> None:
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        if os.name == "nt":  # pragma: no cover - Windows cannot remove an open file
            _unlock(fd)
            os.close(fd)
            try:
                os.unlink(self.path)
            except OSError:
                pass
            return
        try:
            os.unlink(self.path)
        except OSError:
            pass
        _unlock(fd)
        os.close(fd)
