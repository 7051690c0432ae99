"""Export a submission file: a self-contained copy of the workspace for one report year.

The copy is made with ``VACUUM INTO`` a hidden temporary file beside the target, trimmed to
what is reported (values of the plan years up to the report year; no audit history; for a
city, the latest submission of each region for that year as its regional detail), given its
manifest, vacuumed again (so nothing deleted survives in free pages), fsynced and only then
given its name. ``journal_mode`` stays DELETE: no ``-wal``/``-shm`` appears when it is opened,
even read-only from a read-only folder. An existing file of that name is first renamed to a
backup, never overwritten.
"""
from __future__ import annotations

import os
import re
import secrets
import sqlite3
from pathlib import Path

from desktop.store.tempfiles import discard
from desktop import __version__
from desktop.domain.errors import FileRefused, Severity, ValueRefused
from desktop.domain.fingerprint import FINGERPRINT_VERSION, fingerprint
from desktop.domain.model import Actual, Nature, Plan
from desktop.domain.validation import validate
from desktop.store import outputs
from desktop.store import repository as repo
from desktop.store.workspace import Workspace, now_text

from .manifest import Manifest, detail_fingerprint, read_detail, write_manifest

_UNSAFE = re.compile(r'[\\/:*?"<>|\s]+')
PAGE_SIZE = 1024
_NATURE_ORDER = (Nature.ESTIMATE, Nature.QUICK, Nature.ANNUAL)


def default_name(plan: Plan, year: int) -> str:
    """``<区划代码>_<名称>_<年份>年_指标报送.sqlite`` (characters Windows refuses replaced)."""
    name = _UNSAFE.sub("_", plan.region_name).strip("._") or "地区"
    return f"{plan.region_code}_{name}_{year}年_指标报送.sqlite"


def submission_nature(actuals: dict[str, dict[int, Actual]], year: int) -> Nature:
    """The weakest nature among the report year's values: 预计 < 快报 < 年报 (年报 if none)."""
    found = {per[year].nature for per in actuals.values() if year in per}
    for nature in _NATURE_ORDER:
        if nature in found:
            return nature
    return Nature.ANNUAL


def export_submission(
    ws: Workspace,
    year: int,
    out: str | os.PathLike[str] | None = None,
    *,
    nature: Nature | str | None = None,
) -> Path:
    """Write the submission file of ``year`` and return its path (see the module doc)."""
    plan = ws.plan()
    if not plan.start_year <= year <= plan.end_year:
        raise ValueRefused(f"报送年份 {year} 不在规划期 {plan.start_year}—{plan.end_year} 年内")
    actuals = ws.actuals()
    reported = {c: {y: a for y, a in per.items() if plan.start_year <= y <= year} for c, per in actuals.items()}
    reported = {c: per for c, per in reported.items() if per}
    if not reported:
        raise ValueRefused(f"{plan.start_year}—{year} 年没有任何数值，无需报送")
    errors = [p for p in validate(plan, reported) if p.severity is Severity.ERROR]
    if errors:
        raise ValueRefused(
            f"有 {len(errors)} 处数值未通过审核，不能导出报送文件：" + "；".join(p.message for p in errors[:3]), errors
        )
    chosen = Nature(nature) if nature is not None else submission_nature(reported, year)

    target = Path(out) if out is not None else ws.path.with_name(default_name(plan, year))
    if target.is_dir():
        target = target / default_name(plan, year)
    if target.resolve() == ws.path.resolve():
        raise ValueRefused(f"报送文件不能与工作簿“{ws.path.name}”同名；请另选文件名")
    outputs.check_output(target, (".sqlite",), "报送文件")
    temp = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
    try:
        try:
            ws.connection.execute("VACUUM INTO ?", (str(temp),))
        except sqlite3.Error as exc:
            raise FileRefused(f"无法在文件夹“{target.parent}”中写入报送文件：文件夹是只读的、没有写入权限或磁盘已满") from exc
        manifest = _trim_and_sign(temp, year, chosen, ws.user)
        _publish(temp, target)
    finally:
        discard(temp)
    if not ws.read_only:
        with ws.transaction() as conn:
            repo.add_audit(
                conn, at=now_text(), who=ws.user, action="export", year=year,
                detail=f"导出 {year} 年报送文件“{target.name}”（{chosen.value}），数据指纹 {manifest.fingerprint}",
            )
    return target


def _trim_and_sign(temp: Path, year: int, nature: Nature, user: str) -> Manifest:
    conn = sqlite3.connect(temp, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode = DELETE")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("BEGIN IMMEDIATE")
        plan = repo.read_plan(conn)
        conn.execute("DELETE FROM actual WHERE year < ? OR year > ?", (plan.start_year, year))
        conn.execute("DELETE FROM audit")
        conn.execute("DELETE FROM sqlite_sequence WHERE name = 'audit'")
        # regional detail: the latest submission of each region for this year
        conn.execute(
            "DELETE FROM submission WHERE year <> ? OR version < (SELECT max(s.version) FROM submission AS s"
            " WHERE s.region_code = submission.region_code AND s.year = submission.year)",
            (year,),
        )
        conn.execute("DELETE FROM submitted_value WHERE submission NOT IN (SELECT id FROM submission)")
        actuals = repo.read_actuals(conn)
        manifest = Manifest(
            region_code=plan.region_code,
            region_name=plan.region_name,
            plan_title=plan.title,
            template_id=plan.template_id,
            catalogue_version=plan.catalogue_version,
            report_year=year,
            nature=nature.value,
            exported_at=now_text(),
            exported_by=user,
            app_version=__version__,
            schema_version=int(conn.execute("PRAGMA user_version").fetchone()[0]),
            fingerprint_version=FINGERPRINT_VERSION,
            fingerprint=fingerprint(plan, actuals, year),
            detail_fingerprint=detail_fingerprint(read_detail(conn)),
        )
        write_manifest(conn, manifest)
        conn.execute("COMMIT")
        conn.execute(f"PRAGMA page_size = {PAGE_SIZE:d}")  # small tables: a third of the 4 KB-page size
        conn.execute("VACUUM")
    finally:
        conn.close()
    with open(temp, "rb+") as f:
        os.fsync(f.fileno())
    return manifest


def _publish(temp: Path, target: Path) -> None:
    """Give the finished file its name; an existing file is first kept as a backup."""
    outputs.replace(temp, target)
