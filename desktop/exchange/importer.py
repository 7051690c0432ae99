"""Import verified submission files into a city (or province) workspace.

Every file is verified (``verify_submission``) and then stored in its own transaction: a bad
file is reported and skipped, the batch goes on. The same file twice (same region, year and
fingerprint) is a duplicate and changes nothing; a resubmission (same region and year, another
fingerprint) becomes the next version and every earlier version stays. A region that is not
under the workspace's region is refused. Values are matched to the workspace's indicators by
stable code: every code outside the catalogue (or with another unit) is kept with
``in_catalogue = 0`` and reported, one line per indicator — nothing is dropped silently.
"""
from __future__ import annotations

import json
import os
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import nullcontext
from dataclasses import dataclass, field, replace
from pathlib import Path

from desktop.domain.model import Plan
from desktop.domain.region import is_under, parent_code
from desktop.store import outputs
from desktop.store import repository as repo
from desktop.store.workspace import Workspace, now_text

from . import copy_values
from .hostile import Refusal
from .manifest import Manifest
from .verify import VerifyResult, verify_submission

SUBMISSION_SUFFIXES = (".sqlite", ".db", ".sqlite3", ".plsub")

IMPORTED, DUPLICATE, REFUSED = "imported", "duplicate", "refused"
STATUS_LABELS = {IMPORTED: "已导入", DUPLICATE: "重复（未改变）", REFUSED: "拒收"}

Progress = Callable[[int, int, Path], None]
"""``progress(done, total, current_file)``: called before each file (GUI progress dialog)."""
Cancel = Callable[[], bool]
"""``cancel()`` → True stops the batch before the next file (already imported files stay)."""


@dataclass
class ImportItem:
    path: Path
    status: str
    reasons: list[str] = field(default_factory=list)
    codes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    region_code: str | None = None
    region_name: str | None = None
    year: int | None = None
    version: int | None = None
    fingerprint: str | None = None
    values: int = 0

    def as_dict(self) -> dict[str, object]:
        return {
            "file": str(self.path), "status": self.status, "status_label": STATUS_LABELS[self.status],
            "region_code": self.region_code, "region_name": self.region_name, "year": self.year,
            "version": self.version, "fingerprint": self.fingerprint, "values": self.values,
            "reasons": self.reasons, "codes": self.codes, "warnings": self.warnings,
        }


@dataclass
class ImportReport:
    items: list[ImportItem] = field(default_factory=list)
    cancelled: bool = False
    not_found: list[str] = field(default_factory=list)

    def _of(self, status: str) -> list[ImportItem]:
        return [i for i in self.items if i.status == status]

    @property
    def imported(self) -> list[ImportItem]:
        return self._of(IMPORTED)

    @property
    def duplicates(self) -> list[ImportItem]:
        return self._of(DUPLICATE)

    @property
    def refused(self) -> list[ImportItem]:
        return self._of(REFUSED)

    @property
    def ok(self) -> bool:
        return not self.refused and not self.not_found

    def summary(self) -> str:
        text = f"共 {len(self.items)} 个文件：导入 {len(self.imported)} 个，重复 {len(self.duplicates)} 个，拒收 {len(self.refused)} 个"
        if self.cancelled:
            text += "（已取消，其余文件未处理）"
        return text

    def as_dict(self) -> dict[str, object]:
        return {
            "imported": len(self.imported), "duplicates": len(self.duplicates), "refused": len(self.refused),
            "cancelled": self.cancelled, "not_found": self.not_found, "summary": self.summary(),
            "files": [i.as_dict() for i in self.items],
        }


def submission_files(paths_or_dirs: Iterable[str | os.PathLike[str]], not_found: list[str] | None = None) -> list[Path]:
    """Files as given, and the submission files directly inside each folder (sorted by name;
    not the backups an export keeps of a file it replaced, ``outputs.is_backup``)."""
    out: list[Path] = []
    for entry in paths_or_dirs:
        if not str(entry).strip():  # "" would be the current folder
            if not_found is not None:
                not_found.append("文件名为空")
            continue
        p = Path(entry)
        if p.is_dir():
            out.extend(sorted(f for f in p.iterdir() if f.is_file() and f.suffix.lower() in SUBMISSION_SUFFIXES
                              and not f.name.startswith(".") and not outputs.is_backup(f)))
        elif p.exists():
            out.append(p)
        elif not_found is not None:
            not_found.append(f"找不到文件或文件夹“{p}”")
        else:
            out.append(p)  # verify reports it as missing
    return out


def import_submissions(
    ws: Workspace,
    paths_or_dirs: Iterable[str | os.PathLike[str]],
    *,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
    verify: Callable[[Path], VerifyResult] = verify_submission,
    workers: int = 1,
) -> ImportReport:
    """Verify and import every file; see the module doc. Needs a writable workspace.

    ``workers`` > 1 verifies files in that many worker processes (``spawn``; a frozen app must
    call ``multiprocessing.freeze_support()`` at start) while this thread imports them in
    order, one transaction per file as always. Used for batches of at least ``PARALLEL_MIN``.
    """
    ws.require_writable()
    report = ImportReport()
    files = submission_files(paths_or_dirs, report.not_found)
    plan = ws.plan()
    results = _verified(files, verify, workers)
    try:
        with ws.batch() if len(files) >= BATCH_MIN else nullcontext(), copy_values.attached(ws.connection) as copier:
            for n, path in enumerate(files):
                if cancel is not None and cancel():
                    report.cancelled = True
                    break
                if progress is not None:
                    progress(n, len(files), path)
                result = next(results)
                if copier is None and result._digest is not None and result._rows is None:
                    result = verify(path)  # a worker sent no rows, and no copy can be attached here
                report.items.append(_import_one(ws, plan, path, result, copier))
    finally:
        results.close()
    if progress is not None and not report.cancelled:
        progress(len(files), len(files), files[-1] if files else Path())
    return report


PARALLEL_MIN = 50
BATCH_MIN = 10
"""From this many files the import commits through a write-ahead log (``Workspace.batch``):
each file is still its own transaction, and the log is fsync'd when the batch ends; switching
the journal costs a few ms."""


def auto_workers() -> int:
    """Verifying processes for a large batch: one more than the cores (the importing thread
    mostly waits on fsync), at most 4; 1 on a single core. Batches under ``PARALLEL_MIN``
    files are verified in this process anyway (a pool takes ~0.4 s to start)."""
    cores = os.cpu_count() or 1
    return 1 if cores < 2 else min(4, cores + 1)


def _verified(files: list[Path], verify: Callable[[Path], VerifyResult], workers: int) -> Iterator[VerifyResult]:
    """The verification of each file, in order: here, or in worker processes ahead of the import."""
    if workers <= 1 or len(files) < PARALLEL_MIN:
        for path in files:
            yield verify(path)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"), initializer=_lower_priority)
    plans: dict[str, Plan] = {}
    try:
        batch = f"{os.getpid()}-{id(plans)}-{time.monotonic_ns()}"
        for result in pool.map(_verify_in_worker, [(verify, path, batch) for path in files], chunksize=8):
            yield _with_plan(result, plans)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _lower_priority() -> None:
    """Workers yield to the importing process (and the GUI): it waits on fsync after each file
    and should get a core back at once. Where ``os.nice`` does not exist (Windows) nothing changes."""
    try:
        os.nice(5)
    except (AttributeError, OSError):
        pass


# A worker sends each distinct plan once per batch: later results carry ``(token, region code,
# name)`` in ``plan``'s place (pickling a plan is half the cost of sending a result).
_sent: dict[str, dict[int, tuple[Plan, str]]] = {}
"""In a worker: batch → id(base plan) → (base plan, token); the entry keeps the plan alive,
so its id is not reused."""


def _verify_in_worker(job: tuple[Callable[[Path], VerifyResult], Path, str]) -> tuple[VerifyResult, tuple | None]:
    verify, path, batch = job
    result = verify(path).slim()  # no Actual records: the importer copies the values (copy_values)
    base, plan = result._plan_base, result.plan
    if base is None or plan is None:
        return result, None
    if batch not in _sent:
        _sent.clear()  # a new batch: the importer knows none of this worker's plans
        _sent[batch] = {}
    sent = _sent[batch]
    known = sent.get(id(base))
    result.plan, result._plan_base = None, None
    if known is not None:
        return result, (known[1], None, plan.region_code, plan.region_name)
    token = f"{os.getpid()}-{len(sent)}"
    sent[id(base)] = (base, token)
    return result, (token, base, plan.region_code, plan.region_name)


def _with_plan(sent: tuple[VerifyResult, tuple | None], plans: dict[str, Plan]) -> VerifyResult:
    result, ref = sent
    if ref is not None:
        token, base, code, name = ref
        if base is not None:
            plans[token] = base
        base = plans[token]
        result._plan_base = base
        result.plan = base if (base.region_code, base.region_name) == (code, name) else replace(
            base, region_code=code, region_name=name
        )
    return result


def _import_one(ws: Workspace, plan: Plan, path: Path, result: VerifyResult,
                copier: copy_values.FileCopy | None = None) -> ImportItem:
    item = ImportItem(path, REFUSED, list(result.reasons), list(result.codes), list(result.warnings))
    m = result.manifest
    if m is not None:
        item.region_code, item.region_name, item.year, item.fingerprint = m.region_code, m.region_name, m.report_year, m.fingerprint
    if not result.ok or m is None or result.plan is None:
        return item
    where = f"报送文件“{path.name}”"
    if not is_under(m.region_code, plan.region_code):
        return _refuse(item, "not_under", f"{where}：{m.region_name}（{m.region_code}）不是本级 {plan.region_name}（{plan.region_code}）的下级地区")
    if not plan.start_year <= m.report_year <= plan.end_year:
        return _refuse(item, "year", f"{where}：报送年份 {m.report_year} 不在本级规划期 {plan.start_year}—{plan.end_year} 年内")
    ours = {i.code: i for i in plan.indicators}
    theirs = {i.code: i for i in result.plan.indicators}
    warnings, outside = _catalogue_check(where, plan, result.plan, ours, theirs, m.catalogue_version)
    warnings += _nested(ws.connection, m, where)
    if not set(ours) & set(theirs) - outside:
        return _refuse(item, "catalogue", f"{where}：与本级规划没有共同的指标（模板“{m.template_id}”，本级“{plan.template_id}”）")
    if copier is not None and result._digest is not None:
        try:  # the values go straight from the file's bytes (copy_values), checked against the verdict
            copier.load(path, result)
        except Refusal as r:
            return _refuse(item, r.code, f"{where}：{r.reason}")
        copy: copy_values.FileCopy = copier

        def insert(conn: sqlite3.Connection, sid: int) -> int:
            return copy.insert(conn, sid, outside, result.value_count)
    else:
        rows = result.value_rows()
        names = {code: (i.name, i.unit, 0 if code in outside else 1) for code, i in theirs.items()}

        def insert(conn: sqlite3.Connection, sid: int) -> int:
            _insert_values(conn, sid, rows, names, ("", "", 1))  # ("", "", 1): a value of no indicator of theirs
            return len(rows)

    verified_warnings = len(item.warnings)
    try:
        return _store(ws, item, path, m, warnings, insert)
    except copy_values.CopyFailed as exc:  # rolled back: nothing of the file stored
        del item.warnings[verified_warnings:]
        return _refuse(item, "copy_failed", f"{where}：{exc.reason}，未导入")


def _store(ws: Workspace, item: ImportItem, path: Path, m: Manifest, warnings: list[str],
           insert: Callable[[sqlite3.Connection, int], int]) -> ImportItem:
    """The file's transaction: a duplicate changes nothing; otherwise the next version, its
    values (``insert(conn, submission id)`` → how many), its region and audit row."""
    where = f"报送文件“{path.name}”"
    with ws.transaction() as conn:
        same = conn.execute(
            "SELECT version FROM submission WHERE region_code = ? AND year = ? AND fingerprint = ?",
            (m.region_code, m.report_year, m.fingerprint),
        ).fetchone()
        if same is not None:
            item.status, item.version = DUPLICATE, int(same[0])
            item.warnings.append(f"{where}：与已导入的 {m.region_name} {m.report_year} 年第 {same[0]} 版相同（数据指纹相同），未重复导入")
            return item
        version = int(conn.execute(
            "SELECT coalesce(max(version), 0) + 1 FROM submission WHERE region_code = ? AND year = ?",
            (m.region_code, m.report_year),
        ).fetchone()[0])
        item.warnings.extend(warnings)
        at = now_text()
        cur = conn.execute(
            "INSERT INTO submission (region_code, region_name, year, version, fingerprint, plan_title, template_id,"
            " catalogue_version, nature, exported_at, app_version, schema_version, imported_at, imported_by,"
            " file_name, status, warnings) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'accepted', ?)",
            (m.region_code, m.region_name, m.report_year, version, m.fingerprint, m.plan_title, m.template_id,
             m.catalogue_version, m.nature, m.exported_at, m.app_version, m.schema_version, at, ws.user,
             path.name, json.dumps(warnings, ensure_ascii=False)),
        )
        count = insert(conn, cur.lastrowid)
        if conn.execute("SELECT 1 FROM region WHERE code = ? AND name = ?", (m.region_code, m.region_name)).fetchone() is None:
            conn.execute(
                "INSERT INTO region (code, name, parent, valid_from, valid_to) VALUES (?, ?, ?, NULL, NULL)",
                (m.region_code, m.region_name, parent_code(m.region_code)),
            )
        resub = f"（第 {version} 版，之前的版本保留）" if version > 1 else ""
        repo.add_audit(
            conn, at=at, who=ws.user, action="import", year=m.report_year,
            detail=f"导入 {m.region_name}（{m.region_code}）{m.report_year} 年报送文件“{path.name}”{resub}，"
                   f"{count} 个数值，数据指纹 {m.fingerprint}",
        )
    item.status, item.version, item.values = IMPORTED, version, count
    return item


_VALUE_INSERT = "INSERT INTO submitted_value (submission, code, year, value, nature, status, name, unit, in_catalogue) VALUES "
_ROWS_PER_INSERT = 100
"""Rows per multi-row INSERT: 900 parameters, under SQLite's oldest limit of 999; about a third
faster than ``executemany`` row by row (the statements are cached by the connection)."""


def _insert_values(conn, sid: int, rows: list[tuple], names: dict[str, tuple[str, str, int]],
                   unknown: tuple[str, str, int]) -> None:
    """``rows`` are ``value_rows()``; each gets the submission id and its indicator's (name,
    unit, in_catalogue), flattened into the parameters in one pass."""
    get = names.get
    for start in range(0, len(rows), _ROWS_PER_INSERT):
        chunk = rows[start : start + _ROWS_PER_INSERT]
        sql = _VALUE_INSERT + ",".join(["(?, ?, ?, ?, ?, ?, ?, ?, ?)"] * len(chunk))
        conn.execute(sql, [x for r in chunk for x in (sid, *r, *get(r[0], unknown))])


def _nested(conn: sqlite3.Connection, m: Manifest, where: str) -> list[str]:
    """Warnings when the file's region lies inside, or around, a region that already submitted
    for the year (a county's file beside its city's): consolidation counts such a region once,
    in the enclosing submission (``consolidate.covered_regions``)."""
    chain, up = [], parent_code(m.region_code)
    while up is not None:
        chain.append(up)
        up = parent_code(up)
    found = conn.execute(
        f"SELECT DISTINCT region_code, region_name FROM submission WHERE year = ? AND status = 'accepted'"
        f" AND region_code IN ({','.join('?' * len(chain))})", (m.report_year, *chain)).fetchall() if chain else []
    out = [f"{where}：{m.region_name}（{m.region_code}）的上级{name}（{code}）已有 {m.report_year} 年报送；"
           f"若{name}的汇总已含{m.region_name}，两份同时汇总会重复计算，请核对" for code, name in found]
    prefix = m.region_code[:2] if m.region_code.endswith("0000") else m.region_code[:4] if m.region_code.endswith("00") else ""
    if prefix:
        inside = conn.execute(
            "SELECT DISTINCT region_name FROM submission WHERE year = ? AND status = 'accepted'"
            " AND region_code > ? AND region_code < ? AND region_code <> ? ORDER BY region_code",
            (m.report_year, prefix, prefix + "~", m.region_code)).fetchall()
        if inside:
            names = "、".join(n for (n,) in inside[:5]) + (f"等 {len(inside)} 个地区" if len(inside) > 5 else "")
            out.append(f"{where}：已导入{m.region_name}（{m.region_code}）下级{names}的 {m.report_year} 年报送；"
                       f"若本文件的汇总已含它们，两份同时汇总会重复计算，请核对")
    return out


def _catalogue_check(where, plan, their_plan, ours, theirs, their_catalogue) -> tuple[list[str], set[str]]:
    """Warnings per indicator and the codes kept outside consolidation (unknown, other unit)."""
    warnings: list[str] = []
    outside: set[str] = set()
    if their_catalogue != plan.catalogue_version:
        warnings.append(f"{where}：指标目录版本“{their_catalogue}”与本级“{plan.catalogue_version}”不同，已逐项按指标代码核对")
    for code, ind in theirs.items():
        mine = ours.get(code)
        if mine is None:
            outside.add(code)
            warnings.append(f"{where}：指标“{ind.name}”（{code}）不在本级指标目录中，已保存但不参与汇总")
        elif mine.unit != ind.unit:
            outside.add(code)
            warnings.append(f"{where}：指标“{mine.name}”（{code}）计量单位不一致（本级“{mine.unit}”，报送“{ind.unit}”），已保存但不参与汇总")
        elif mine.name != ind.name:
            warnings.append(f"{where}：指标 {code} 名称不同（本级“{mine.name}”，报送“{ind.name}”），按代码对应")
    for code, mine in ours.items():
        if code not in theirs:
            warnings.append(f"{where}：未包含本级指标“{mine.name}”（{code}）")
    return warnings, outside


def _refuse(item: ImportItem, code: str, reason: str) -> ImportItem:
    item.status = REFUSED
    item.codes.append(code)
    item.reasons.append(reason)
    return item


def register_regions(ws: Workspace, regions: Iterable[tuple[str, str, int | None, int | None]]) -> int:
    """Record the regions expected to submit: ``(code, name, valid_from, valid_to)``; for 未报送."""
    from desktop.domain.region import parse_region_code

    count = 0
    with ws.transaction() as conn:
        for code, name, valid_from, valid_to in regions:
            code = parse_region_code(code)
            conn.execute("DELETE FROM region WHERE code = ? AND name = ?", (code, name))
            conn.execute(
                "INSERT INTO region (code, name, parent, valid_from, valid_to) VALUES (?, ?, ?, ?, ?)",
                (code, name, parent_code(code), valid_from, valid_to),
            )
            count += 1
    return count
