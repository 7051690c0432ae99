"""Verify a received submission file: the hostile-file recipe, then the domain, then the fingerprint.

``verify_submission(path)`` never raises for a bad file: it returns a ``VerifyResult`` whose
``reasons`` are Chinese sentences naming the file (and ``codes`` their stable keys). A good
result carries what was read (plan, values, manifest, regional detail), so an import does not
read the file twice.
"""
from __future__ import annotations

import os
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from decimal import InvalidOperation
from pathlib import Path

from desktop.domain.errors import PlanLedgerError, Severity
from desktop.domain.fingerprint import FINGERPRINT_VERSION, fingerprint
from desktop.domain.model import Actual, Plan
from desktop.domain.region import parse_region_code
from desktop.domain.validation import validate
from desktop.store import repository as repo
from desktop.store import schema

from . import hostile
from .hostile import Refusal
from .manifest import FORMAT, Detail, Manifest, detail_fingerprint, read_detail, read_manifest

MAX_EXPONENT = 18
"""Largest decimal exponent accepted in a received value (10^18; a count of people is < 10^10)."""
MAX_DIGITS = 34
_DOMAIN_ERRORS = (ValueError, TypeError, KeyError, AttributeError, RecursionError, InvalidOperation, PlanLedgerError)


@dataclass
class VerifyResult:
    """The verdict on one file. ``ok`` is True when ``reasons`` is empty."""

    path: Path
    reasons: list[str] = field(default_factory=list)
    codes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    manifest: Manifest | None = None
    plan: Plan | None = None
    actuals: dict[str, dict[int, Actual]] = field(default_factory=dict)
    detail: Detail = Detail((), ())
    schema_version: int | None = None
    migrated_from: int | None = None
    size: int = 0

    @property
    def ok(self) -> bool:
        return not self.reasons

    @property
    def name(self) -> str:
        return self.path.name

    def refuse(self, code: str, reason: str) -> VerifyResult:
        self.codes.append(code)
        self.reasons.append(f"报送文件“{self.name}”：{reason}")
        return self

    def as_dict(self) -> dict[str, object]:
        m = self.manifest
        return {
            "file": str(self.path),
            "ok": self.ok,
            "reasons": list(self.reasons),
            "codes": list(self.codes),
            "warnings": list(self.warnings),
            "region_code": m.region_code if m else None,
            "region_name": m.region_name if m else None,
            "year": m.report_year if m else None,
            "nature": m.nature if m else None,
            "fingerprint": m.fingerprint if m and self.ok else None,
            "schema_version": self.schema_version,
            "migrated_from": self.migrated_from,
            "values": sum(len(v) for v in self.actuals.values()) if self.ok else None,
        }


def verify_submission(
    path: str | os.PathLike[str],
    *,
    max_bytes: int = hostile.MAX_BYTES,
    deadline: float = hostile.DEADLINE_SECONDS,
    _migrations: Sequence[tuple[str, str]] | None = None,
) -> VerifyResult:
    """Check one received file completely; nothing of the file's own SQL ever runs."""
    result = VerifyResult(Path(path))
    migration_list = list(_migrations) if _migrations is not None else schema.migrations()
    try:
        data = hostile.read_bytes(result.path, max_bytes)
        result.size = len(data)
        conn, version = hostile.open_checked(data, migration_list, deadline=deadline)
    except Refusal as r:
        return result.refuse(r.code, r.reason)
    del data
    try:
        latest = schema.latest_version(migration_list)
        if version < latest:
            try:  # on the private in-memory copy only, after its schema was checked exactly
                hostile.allow_writes(conn)
                schema.migrate(conn, migration_list)
                conn.execute("PRAGMA query_only = ON")
                conn.set_authorizer(hostile._authorizer)
            except sqlite3.Error as exc:
                return result.refuse("migrate_failed", f"旧版本文件（架构版本 {version}）无法升级：{exc}")
            result.migrated_from = version
            result.warnings.append(f"报送文件“{result.name}”由旧版本程序导出（架构版本 {version}），已按升级后的结构读取")
        result.schema_version = latest
        _read_and_check(conn, result)
    except Refusal as r:
        result.refuse(r.code, r.reason)
    except sqlite3.Error as exc:
        r = hostile.sql_refusal(exc)
        result.refuse(r.code, r.reason)
    finally:
        conn.close()
    if not result.ok:
        result.plan, result.actuals, result.detail = None, {}, Detail((), ())
    return result


# The same queries as ``repository.read_plan`` (the plan row without its region): a file whose
# definition rows are identical to one already read gets the same Plan without parsing every
# target again — thousands of counties send the same template.
_PLAN_KEY_SQL = (
    "SELECT title, start_year, end_year, base_year, wenhao, issuer, template_id, catalogue_version, sample_note"
    " FROM plan WHERE id = 1",
    "SELECT key, value FROM plan_property ORDER BY position, rowid",
    "SELECT box, key, title FROM section ORDER BY box, position",
    "SELECT box, number, text FROM task_item ORDER BY box, number",
    "SELECT label, title, kind, name_style, section_style, unit_in_name, columns, footnotes FROM box ORDER BY position",
    "SELECT code, box, section, seq, name, unit, base, base_text, base_label, target_text, attribute, kind, direction,"
    " parent, rule, responsible, tolerance, task_item, note, extra FROM indicator ORDER BY position",
)
_plans: dict[tuple, Plan] = {}


def _read_plan(conn: sqlite3.Connection) -> Plan:
    key = tuple(tuple(conn.execute(sql).fetchall()) for sql in _PLAN_KEY_SQL)
    region = conn.execute("SELECT region_code, region_name FROM plan WHERE id = 1").fetchone()
    if region is None:
        raise Refusal("bad_plan", "文件中没有规划定义（plan 表为空）")
    cached = _plans.get(key)
    if cached is None:
        plan = repo.read_plan(conn)
        if len(_plans) >= 16:
            _plans.clear()
        _plans[key] = plan
        return plan
    return replace(cached, region_code=region[0], region_name=region[1])


def _read_and_check(conn: sqlite3.Connection, result: VerifyResult) -> None:
    manifest = read_manifest(conn)
    if manifest is None:
        raise Refusal("not_submission", "不是报送文件（没有报送清单；工作簿文件请用“导出报送文件”导出后再报送）")
    result.manifest = manifest
    if manifest.format != FORMAT:
        raise Refusal("manifest", f"报送清单的格式“{manifest.format}”无法识别")
    if manifest.fingerprint_version != FINGERPRINT_VERSION:
        raise Refusal("manifest", f"数据指纹版本 {manifest.fingerprint_version} 不受支持（本程序为 {FINGERPRINT_VERSION}）")
    try:
        plan = _read_plan(conn)
        actuals = repo.read_actuals(conn)
    except sqlite3.Error:
        raise
    except _DOMAIN_ERRORS as exc:
        raise Refusal("bad_plan", f"规划定义或数值无法读取（{type(exc).__name__}: {exc}）") from exc
    detail = read_detail(conn)

    # the manifest must describe the file's own plan (the plan is under the fingerprint)
    try:
        code = parse_region_code(plan.region_code)
    except PlanLedgerError as exc:
        raise Refusal("manifest", f"规划中的行政区划代码无效（{exc.message}）") from exc
    mismatches = [
        label
        for label, a, b in (
            ("行政区划代码", manifest.region_code, code),
            ("行政区划名称", manifest.region_name, plan.region_name),
            ("规划名称", manifest.plan_title, plan.title),
            ("模板", manifest.template_id, plan.template_id),
            ("指标目录版本", manifest.catalogue_version, plan.catalogue_version),
        )
        if a != b
    ]
    if mismatches:
        raise Refusal("manifest", "报送清单与文件中的规划不一致：" + "、".join(mismatches))
    year = manifest.report_year
    if not plan.start_year <= year <= plan.end_year:
        raise Refusal("manifest", f"报送年份 {year} 不在规划期 {plan.start_year}—{plan.end_year} 年内")
    outside = sorted({y for per in actuals.values() for y in per if not plan.start_year <= y <= year})
    if outside:
        raise Refusal("extra_years", f"含有报送范围（{plan.start_year}—{year} 年）以外的数值：{'、'.join(map(str, outside[:5]))} 年")

    for per in actuals.values():
        for a in per.values():
            v = a.value
            if v is not None and (not v.is_finite() or abs(v.adjusted()) > MAX_EXPONENT or len(v.as_tuple().digits) > MAX_DIGITS):
                raise Refusal("invalid_values", f"数值“{str(v)[:40]}”（{a.code}，{a.year} 年）不是有限的、可处理范围内的数")
    try:
        problems = validate(plan, actuals)
    except _DOMAIN_ERRORS as exc:
        raise Refusal("bad_plan", f"规划定义或数值无效（{type(exc).__name__}: {exc}）") from exc
    errors = [p for p in problems if p.severity is Severity.ERROR]
    if errors:
        listed = "；".join(p.message for p in errors[:5])
        more = f"等 {len(errors)} 处" if len(errors) > 5 else ""
        raise Refusal("invalid_values", f"数值未通过校验：{listed}{more}")
    try:
        recomputed = fingerprint(plan, actuals, year)
    except _DOMAIN_ERRORS as exc:
        raise Refusal("bad_plan", f"规划定义或数值无效（{type(exc).__name__}: {exc}）") from exc
    if recomputed != manifest.fingerprint:
        raise Refusal(
            "fingerprint",
            f"数据指纹不符：文件内容在导出后被改动过（清单记载 {manifest.fingerprint[:16]}…，"
            f"按文件内容计算为 {recomputed[:16]}…）",
        )
    if detail_fingerprint(detail) != manifest.detail_fingerprint:
        raise Refusal("detail_fingerprint", "下级地区明细的指纹不符：明细在导出后被改动过")
    result.warnings.extend(f"报送文件“{result.name}”：{p.message}" for p in problems if p.severity is not Severity.ERROR)
    result.plan, result.actuals, result.detail = plan, actuals, detail
