"""What changed between two submissions: two files (both verified first) or two stored versions."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from desktop.domain.errors import FileRefused, NotFound
from desktop.domain.progress import number_text
from desktop.store import repository as repo
from desktop.store.workspace import Workspace

from .verify import verify_submission

Cell = tuple[Decimal | None, str, str]  # value, nature, status


@dataclass(frozen=True)
class ValueChange:
    code: str
    name: str
    year: int
    old: Cell | None
    new: Cell | None

    @property
    def kind(self) -> str:
        return "added" if self.old is None else "removed" if self.new is None else "changed"

    def as_dict(self) -> dict[str, object]:
        def cell(c: Cell | None) -> dict[str, object] | None:
            return None if c is None else {"value": None if c[0] is None else number_text(c[0]), "nature": c[1], "status": c[2]}

        return {"code": self.code, "name": self.name, "year": self.year, "kind": self.kind, "old": cell(self.old), "new": cell(self.new)}


@dataclass
class SubmissionDiff:
    a: str
    b: str
    changes: list[ValueChange] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {"a": self.a, "b": self.b, "changes": [c.as_dict() for c in self.changes], "notes": self.notes}


def compare(a: dict[str, dict[int, Cell]], b: dict[str, dict[int, Cell]], names: dict[str, str]) -> list[ValueChange]:
    out = []
    for code in sorted(set(a) | set(b)):
        for year in sorted(set(a.get(code, {})) | set(b.get(code, {}))):
            old, new = a.get(code, {}).get(year), b.get(code, {}).get(year)
            if old != new:
                out.append(ValueChange(code, names.get(code, code), year, old, new))
    return out


def diff_files(path_a: str | os.PathLike[str], path_b: str | os.PathLike[str]) -> SubmissionDiff:
    """Both files are verified like any received file; a refused one raises ``FileRefused``."""
    results = [verify_submission(p) for p in (path_a, path_b)]
    bad = [r for x in results for r in x.reasons]
    if bad:
        raise FileRefused("；".join(bad))
    ra, rb = results
    cells = [
        {c: {y: (x.value, x.nature.value, x.status) for y, x in per.items()} for c, per in r.actuals.items()}
        for r in results
    ]
    names = {i.code: i.name for r in results for i in r.plan.indicators}  # type: ignore[union-attr]
    d = SubmissionDiff(ra.name, rb.name, compare(cells[0], cells[1], names))
    ma, mb = ra.manifest, rb.manifest
    assert ma is not None and mb is not None
    if (ma.region_code, ma.report_year) != (mb.region_code, mb.report_year):
        d.notes.append(f"两个文件不是同一地区同一年份的报送：{ma.region_name}{ma.report_year}年 / {mb.region_name}{mb.report_year}年")
    if ma.fingerprint == mb.fingerprint:
        d.notes.append("两个文件的数据指纹相同：数据完全一致")
    if ma.nature != mb.nature:
        d.notes.append(f"数据性质：{ma.nature} → {mb.nature}")
    d.notes.append(f"导出时间：{ma.exported_at} → {mb.exported_at}")
    return d


def diff_versions(ws: Workspace, region_code: str, year: int, old: int, new: int) -> SubmissionDiff:
    """Between two stored versions of a region's submission for ``year`` (GUI: 版本对比)."""
    conn = ws.connection
    cells: list[dict[str, dict[int, Cell]]] = []
    names: dict[str, str] = {}
    for version in (old, new):
        row = conn.execute("SELECT id FROM submission WHERE region_code = ? AND year = ? AND version = ?",
                           (region_code, year, version)).fetchone()
        if row is None:
            raise NotFound(f"没有 {region_code} {year} 年第 {version} 版的报送")
        per: dict[str, dict[int, Cell]] = {}
        for code, y, value, nature, status, name in conn.execute(
            "SELECT code, year, value, nature, status, name FROM submitted_value WHERE submission = ?", (row[0],)
        ):
            per.setdefault(code, {})[y] = (repo.text_decimal(value), nature, status)
            names[code] = name or code
        cells.append(per)
    return SubmissionDiff(f"第 {old} 版", f"第 {new} 版", compare(cells[0], cells[1], names))


def describe(change: ValueChange, unit: str = "") -> str:
    def show(c: Cell | None) -> str:
        if c is None:
            return "（无）"
        return (number_text(c[0]) if c[0] is not None else c[2] or "—") + f"（{c[1]}）"

    return f"{change.year}年 {change.name}：{show(change.old)} → {show(change.new)}"


__all__ = ["diff_files", "diff_versions", "SubmissionDiff", "ValueChange", "describe", "Path"]
