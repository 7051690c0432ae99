-- 0002_exchange: submission files (county → city → province) and the city's received data.
--
-- Documented in db/README.md ("0002: submissions"). No views and no triggers, ever.
-- In a workspace, submission_manifest is empty; in a submission file it holds exactly one row.
-- submission / submitted_value / region hold what a city (or province) received; a city's
-- own submission file carries them as its regions' detail.

-- The manifest of a submission file (exactly one row, id = 1, in an exported file).
CREATE TABLE submission_manifest (
    id                  INTEGER PRIMARY KEY CHECK (id = 1),
    format              TEXT    NOT NULL,          -- 'planledger-submission'
    region_code         TEXT    NOT NULL,
    region_name         TEXT    NOT NULL,
    plan_title          TEXT    NOT NULL,
    template_id         TEXT    NOT NULL,
    catalogue_version   TEXT    NOT NULL,
    report_year         INTEGER NOT NULL,
    nature              TEXT    NOT NULL CHECK (nature IN ('快报', '年报', '预计')),
    exported_at         TEXT    NOT NULL,          -- ISO 8601 local time with offset
    exported_by         TEXT    NOT NULL DEFAULT '',
    app_version         TEXT    NOT NULL,
    schema_version      INTEGER NOT NULL,
    fingerprint_version INTEGER NOT NULL,
    fingerprint         TEXT    NOT NULL,          -- desktop.domain.fingerprint over plan + values
    detail_fingerprint  TEXT    NOT NULL           -- SHA-256 over submission + submitted_value rows
);

-- One received submission file; a resubmission (same region and year, other fingerprint) is
-- a new version and every earlier one stays.
CREATE TABLE submission (
    id                INTEGER PRIMARY KEY,
    region_code       TEXT    NOT NULL,
    region_name       TEXT    NOT NULL,
    year              INTEGER NOT NULL,
    version           INTEGER NOT NULL,
    fingerprint       TEXT    NOT NULL,
    plan_title        TEXT    NOT NULL DEFAULT '',
    template_id       TEXT    NOT NULL DEFAULT '',
    catalogue_version TEXT    NOT NULL DEFAULT '',
    nature            TEXT    NOT NULL DEFAULT '年报',
    exported_at       TEXT    NOT NULL DEFAULT '',
    app_version       TEXT    NOT NULL DEFAULT '',
    schema_version    INTEGER NOT NULL DEFAULT 0,
    imported_at       TEXT    NOT NULL,
    imported_by       TEXT    NOT NULL DEFAULT '',
    file_name         TEXT    NOT NULL DEFAULT '',
    status            TEXT    NOT NULL DEFAULT 'accepted',   -- accepted (others may add withdrawn)
    warnings          TEXT    NOT NULL DEFAULT '[]',         -- JSON ["…", …] found at import
    UNIQUE (region_code, year, version),
    UNIQUE (region_code, year, fingerprint)
);

-- Every value of a submission, as submitted (name and unit as the region's plan prints them).
-- in_catalogue = 0: the code is not an indicator of the receiving plan (kept, reported).
CREATE TABLE submitted_value (
    submission   INTEGER NOT NULL REFERENCES submission (id),
    code         TEXT    NOT NULL,
    year         INTEGER NOT NULL,
    value        TEXT,                               -- canonical decimal; NULL = status only
    nature       TEXT    NOT NULL DEFAULT '年报',
    status       TEXT    NOT NULL DEFAULT '',
    name         TEXT    NOT NULL DEFAULT '',
    unit         TEXT    NOT NULL DEFAULT '',
    in_catalogue INTEGER NOT NULL DEFAULT 1 CHECK (in_catalogue IN (0, 1)),
    PRIMARY KEY (submission, code, year)
);

-- Regions expected to submit (history-friendly: a code may be renamed or abolished).
CREATE TABLE region (
    id         INTEGER PRIMARY KEY,
    code       TEXT    NOT NULL,
    name       TEXT    NOT NULL,
    parent     TEXT,
    valid_from INTEGER,                              -- first year the code is in use (NULL = always)
    valid_to   INTEGER                               -- last year (NULL = still in use)
);
CREATE INDEX region_code ON region (code);
