"""Files written for the user — reports, charts, templates, fill-in forms, submission files.

Every writer checks its target before it draws anything (``check_output``), writes beside it
and renames into place (``replace``): a file already there is first kept as
``<name>.备份-<when><suffix>`` — nothing of the user's is overwritten without a backup — and
a SQLite file (a workbook or a submission) is never the target of a report, chart or template,
whatever its name. An ``OSError`` becomes a ``FileRefused`` with the reason in Chinese.
"""
from __future__ import annotations

import errno
import os
import shutil
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from desktop.domain.errors import FileRefused, NotFound, ValueRefused

SQLITE_MAGIC = b"SQLite format 3\x00"

_REASONS = {
    errno.EACCES: "没有写入权限，或文件正被其他程序打开",
    errno.EPERM: "没有写入权限",
    errno.EROFS: "所在的磁盘或文件夹是只读的",
    errno.ENOSPC: "磁盘空间不足",
    errno.ENOENT: "文件夹不存在",
    errno.ENOTDIR: "路径中有一项不是文件夹",
    errno.EISDIR: "这是一个文件夹",
    errno.ENAMETOOLONG: "文件名太长",
    errno.EEXIST: "同名文件已存在",
    errno.EBUSY: "文件正被其他程序使用",
    errno.EINVAL: "文件名无效",
}


def reason(exc: OSError) -> str:
    """The Chinese reason of a file-system error (its own text when there is no translation)."""
    return _REASONS.get(exc.errno or 0, exc.strerror or str(exc))


def discard(temp: Path | str) -> None:
    """Remove a temporary file if it is there; never raises (on a read-only disk even removing a
    file that was never made fails, and that must not hide the first error)."""
    try:
        Path(temp).unlink(missing_ok=True)
    except OSError:
        pass


def write_refused(path: Path | str, exc: OSError) -> FileRefused:
    return FileRefused(f"无法写入“{path}”：{reason(exc)}")


def is_sqlite(path: Path) -> bool:
    """True when ``path`` is a SQLite database (a workbook or a submission file) by its header."""
    try:
        with open(path, "rb") as fh:
            return fh.read(len(SQLITE_MAGIC)) == SQLITE_MAGIC
    except OSError:
        return False


def check_output(path: Path | str, suffixes: Sequence[str], what: str) -> Path:
    """``path`` as the target of a ``what`` (e.g. "PDF 报表"): the right extension, not a folder,
    not a SQLite file (unless ``.sqlite`` is what is written), in a folder that exists."""
    out = Path(path)
    if not str(path).strip() or out.name in ("", ".", ".."):
        raise ValueRefused(f"{what}的文件名为空")
    if out.suffix.lower() not in suffixes:
        raise ValueRefused(f"{what}“{out.name}”的扩展名应为 {' 或 '.join(suffixes)}")
    if out.is_dir():
        raise FileRefused(f"“{out}”是一个文件夹，不能作为{what}；请指定文件名")
    if ".sqlite" not in suffixes and out.exists() and is_sqlite(out):
        raise FileRefused(f"“{out.name}”是规划指标台账的数据文件（工作簿或报送文件），不会被{what}覆盖；请另选文件名")
    folder = out.parent
    if not folder.is_dir():
        raise NotFound(f"{what}的文件夹“{folder}”不存在")
    return out


def backup_name(target: Path, stamp: str, n: int) -> Path:
    return target.with_name(f"{target.stem}{BACKUP_MARK}{stamp}{'' if n == 1 else f'-{n}'}{target.suffix}")


BACKUP_MARK = ".备份-"


def is_backup(path: Path) -> bool:
    """A backup ``keep_backup`` made: skipped when a folder is read (an old version of a form or
    a submission must not be taken for a new one)."""
    return BACKUP_MARK in path.name


def keep_backup(target: Path) -> Path | None:
    """Keep an existing ``target`` as ``<stem>.备份-<when><suffix>`` (a hard link, or a copy)
    before it is replaced; None when there is nothing to keep."""
    if not target.is_file():
        return None
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    for n in range(1, 100):
        backup = backup_name(target, stamp, n)
        if not backup.exists():
            break
    else:
        raise FileRefused(f"无法为已有的“{target.name}”保留备份：同名备份过多")
    try:
        try:
            os.link(target, backup)
        except OSError:
            shutil.copy2(target, backup)
    except OSError as exc:
        raise FileRefused(f"无法为已有的“{target.name}”保留备份：{reason(exc)}") from exc
    return backup


def replace(temp: Path, target: Path) -> Path | None:
    """Move the finished ``temp`` onto ``target``, an existing file kept first (``keep_backup``);
    returns that backup. ``temp`` is removed when the move fails."""
    try:
        backup = keep_backup(target)
        os.replace(temp, target)
    except OSError as exc:
        discard(temp)
        raise write_refused(target, exc) from exc
    except BaseException:
        discard(temp)
        raise
    return backup


def latest_backup(target: Path) -> Path | None:
    """The newest backup ``keep_backup`` made of ``target`` (for telling the user its name)."""
    head, found = f"{target.stem}{BACKUP_MARK}", []
    for p in target.parent.iterdir():
        if p.name.startswith(head) and p.name.endswith(target.suffix):
            stamp = p.name[len(head): len(p.name) - len(target.suffix)]
            n = stamp[16:]
            found.append(((stamp[:15], int(n) if n.isdigit() else 1), p))
    return max(found)[1] if found else None
