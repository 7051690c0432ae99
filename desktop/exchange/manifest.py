"""The manifest of a submission file and the fingerprint of a city's regional detail.

The manifest is one row of ``submission_manifest`` (db/0002_exchange.sql). It repeats no
value: the values live only in ``actual``, and the manifest's ``fingerprint`` is the data
fingerprint of ``desktop.domain.fingerprint`` (the one printed on the paper report) over the
file's own plan and values, so a changed value anywhere is caught by recomputing it.
``detail_fingerprint`` covers the regional detail a city's file carries (``submission`` and
``submitted_value`` rows).
"""
from __future__ import annotations

import hashlib
import json
import sqlite3
from dataclasses import asdict, dataclass

FORMAT = "planledger-submission"

_FIELDS = (
    "format, region_code, region_name, plan_title, template_id, catalogue_version, report_year, nature,"
    " exported_at, exported_by, app_version, schema_version, fingerprint_version, fingerprint, detail_fingerprint"
)


@dataclass(frozen=True)
class Manifest:
    region_code: str
    region_name: str
    plan_title: str
    template_id: str
    catalogue_version: str
    report_year: int
    nature: str
    exported_at: str
    app_version: str
    schema_version: int
    fingerprint_version: int
    fingerprint: str
    detail_fingerprint: str
    exported_by: str = ""
    format: str = FORMAT

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def write_manifest(conn: sqlite3.Connection, m: Manifest) -> None:
    conn.execute("DELETE FROM submission_manifest")
    conn.execute(
        f"INSERT INTO submission_manifest (id, {_FIELDS}) VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            m.format, m.region_code, m.region_name, m.plan_title, m.template_id, m.catalogue_version,
            m.report_year, m.nature, m.exported_at, m.exported_by, m.app_version, m.schema_version,
            m.fingerprint_version, m.fingerprint, m.detail_fingerprint,
        ),
    )


def read_manifest(conn: sqlite3.Connection) -> Manifest | None:
    rows = conn.execute(f"SELECT {_FIELDS} FROM submission_manifest").fetchall()
    if len(rows) != 1:
        return None
    return _manifest(rows[0])


_FIELD_NAMES = tuple(f.strip() for f in _FIELDS.split(","))


def manifest_from_row(columns: tuple[str, ...], row: tuple) -> Manifest:
    """The manifest from a whole ``submission_manifest`` row whose column names are ``columns``."""
    at = {name: value for name, value in zip(columns, row)}
    return _manifest(tuple(at[name] for name in _FIELD_NAMES))


def _manifest(row: tuple) -> Manifest:
    (fmt, code, name, title, template, catalogue, year, nature, at, by, app, schema_v, fp_v, fp, dfp) = row
    return Manifest(
        region_code=str(code), region_name=str(name), plan_title=str(title), template_id=str(template),
        catalogue_version=str(catalogue), report_year=int(year), nature=str(nature), exported_at=str(at),
        app_version=str(app), schema_version=int(schema_v), fingerprint_version=int(fp_v),
        fingerprint=str(fp), detail_fingerprint=str(dfp), exported_by=str(by), format=str(fmt),
    )


# ------------------------------------------------------------------------ regional detail

SUBMISSION_COLUMNS = (
    "id, region_code, region_name, year, version, fingerprint, plan_title, template_id, catalogue_version,"
    " nature, exported_at, app_version, schema_version, imported_at, imported_by, file_name, status, warnings"
)
VALUE_COLUMNS = "submission, code, year, value, nature, status, name, unit, in_catalogue"


@dataclass(frozen=True)
class Detail:
    """The ``submission`` and ``submitted_value`` rows of a file, as plain tuples."""

    submissions: tuple[tuple, ...]
    values: tuple[tuple, ...]

    @property
    def empty(self) -> bool:
        return not self.submissions and not self.values


SUBMISSION_NAMES = tuple(c.strip() for c in SUBMISSION_COLUMNS.split(","))
VALUE_NAMES = tuple(c.strip() for c in VALUE_COLUMNS.split(","))


def detail_from_rows(
    submission_columns: tuple[str, ...], submissions: list[tuple], value_columns: tuple[str, ...], values: list[tuple]
) -> Detail:
    """``read_detail``'s result from whole rows (already in its order) with the given columns."""
    def pick(columns: tuple[str, ...], wanted: tuple[str, ...], rows: list[tuple]) -> tuple[tuple, ...]:
        if columns == wanted:
            return tuple(rows)
        idx = [columns.index(c) for c in wanted]
        return tuple(tuple(r[i] for i in idx) for r in rows)

    return Detail(pick(submission_columns, SUBMISSION_NAMES, submissions), pick(value_columns, VALUE_NAMES, values))


def read_detail(conn: sqlite3.Connection) -> Detail:
    subs = tuple(conn.execute(f"SELECT {SUBMISSION_COLUMNS} FROM submission ORDER BY id").fetchall())
    vals = tuple(conn.execute(f"SELECT {VALUE_COLUMNS} FROM submitted_value ORDER BY submission, code, year").fetchall())
    return Detail(subs, vals)


def detail_fingerprint(detail: Detail) -> str:
    """SHA-256 (hex) of the canonical JSON ``{"submissions": [[…]], "values": [[…]]}``."""
    doc = {"submissions": [list(r) for r in detail.submissions], "values": [list(r) for r in detail.values]}
    data = json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    return hashlib.sha256(data).hexdigest()


EMPTY_DETAIL_FINGERPRINT = detail_fingerprint(Detail((), ()))
