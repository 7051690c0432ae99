-- 0001_initial: the first schema of a Plan Ledger (规划指标台账) workspace file.
--
-- Applied by desktop/store/schema.py, statement by statement inside one transaction together
-- with its record in _sqlite_migrations, PRAGMA application_id and PRAGMA user_version = 1.
-- Documented table by table in db/README.md. No views and no triggers, ever: a received file
-- with a view or a trigger is refused by the exchange's schema allow-list.
--
-- Decimal values (base, tolerance, actual.value) are TEXT holding a canonical decimal string
-- ("23.5", "-0.25", "100"; no exponent, no trailing zeros) so Decimal round-trips exactly.

-- The plan: exactly one row (id = 1).
CREATE TABLE plan (
    id                INTEGER PRIMARY KEY CHECK (id = 1),
    title             TEXT    NOT NULL,
    region_code       TEXT    NOT NULL,
    region_name       TEXT    NOT NULL,
    start_year        INTEGER NOT NULL,
    end_year          INTEGER NOT NULL,
    base_year         INTEGER NOT NULL,
    wenhao            TEXT    NOT NULL DEFAULT '',
    issuer            TEXT    NOT NULL DEFAULT '',
    template_id       TEXT    NOT NULL DEFAULT '',
    catalogue_version TEXT    NOT NULL DEFAULT '',
    sample_note       TEXT    NOT NULL DEFAULT '',
    CHECK (start_year <= end_year AND base_year <= start_year)
);

-- Cover-block properties of the plan (填报单位, 负责人, 填报人, 联系电话 …), in entry order.
CREATE TABLE plan_property (
    key      TEXT    PRIMARY KEY,
    value    TEXT    NOT NULL,
    position INTEGER NOT NULL
);

-- 专栏 / 表: a boxed table of the plan, in printed order.
CREATE TABLE box (
    label         TEXT    PRIMARY KEY,
    position      INTEGER NOT NULL,
    title         TEXT    NOT NULL DEFAULT '',
    kind          TEXT    NOT NULL DEFAULT 'indicators' CHECK (kind IN ('indicators', 'tasks')),
    name_style    TEXT    NOT NULL DEFAULT 'numbered',
    section_style TEXT    NOT NULL DEFAULT 'rows',
    unit_in_name  INTEGER NOT NULL DEFAULT 1 CHECK (unit_in_name IN (0, 1)),
    columns       TEXT    NOT NULL DEFAULT '[]',   -- JSON [{"key", "header", "role"}, …]
    footnotes     TEXT    NOT NULL DEFAULT '[]'    -- JSON ["注:[]内为五年累计数", …]
);

-- A heading row (一、就业) or merged 一级指标 group inside a box; keys are unique per box.
CREATE TABLE section (
    box      TEXT    NOT NULL REFERENCES box (label),
    key      TEXT    NOT NULL,
    position INTEGER NOT NULL,
    title    TEXT    NOT NULL,
    PRIMARY KEY (box, key)
);

-- A numbered item of a task box, as printed.
CREATE TABLE task_item (
    box    TEXT    NOT NULL REFERENCES box (label),
    number INTEGER NOT NULL,
    text   TEXT    NOT NULL,
    PRIMARY KEY (box, number)
);

-- 指标: one row of a box. position is the printed order across the whole plan.
CREATE TABLE indicator (
    code        TEXT    PRIMARY KEY,
    box         TEXT    NOT NULL REFERENCES box (label),
    section     TEXT,
    position    INTEGER NOT NULL,
    seq         TEXT    NOT NULL DEFAULT '',
    name        TEXT    NOT NULL,
    unit        TEXT    NOT NULL DEFAULT '',
    base        TEXT,                              -- canonical decimal, NULL = none ("-", "—")
    base_text   TEXT    NOT NULL DEFAULT '',
    base_label  TEXT    NOT NULL DEFAULT '',
    target_text TEXT    NOT NULL DEFAULT '',       -- as written; parsed again on read
    attribute   TEXT    NOT NULL DEFAULT '预期性' CHECK (attribute IN ('预期性', '约束性')),
    kind        TEXT    NOT NULL DEFAULT 'level',
    direction   TEXT    NOT NULL DEFAULT 'higher' CHECK (direction IN ('higher', 'lower')),
    parent      TEXT    REFERENCES indicator (code) DEFERRABLE INITIALLY DEFERRED,
    rule        TEXT    NOT NULL DEFAULT 'sum',
    responsible TEXT    NOT NULL DEFAULT '',
    tolerance   TEXT,                              -- canonical decimal fraction, NULL = setting
    task_item   INTEGER,
    note        TEXT    NOT NULL DEFAULT '',
    extra       TEXT    NOT NULL DEFAULT '[]',     -- JSON [[column key, printed text], …]
    FOREIGN KEY (box, section) REFERENCES section (box, key)
);
CREATE INDEX indicator_box ON indicator (box, position);

-- 实际值: the value of one indicator for one year.
CREATE TABLE actual (
    code       TEXT    NOT NULL REFERENCES indicator (code),
    year       INTEGER NOT NULL,
    value      TEXT,                               -- canonical decimal; NULL = status only
    nature     TEXT    NOT NULL DEFAULT '年报' CHECK (nature IN ('快报', '年报', '预计')),
    source     TEXT    NOT NULL DEFAULT '',
    note       TEXT    NOT NULL DEFAULT '',
    status     TEXT    NOT NULL DEFAULT '',
    updated_by TEXT    NOT NULL DEFAULT '',
    updated_at TEXT    NOT NULL DEFAULT '',
    PRIMARY KEY (code, year)
);

-- Append-only log of every change: one row per changed field of a value, and one per
-- lock, withdrawal (撤回), property change, creation and migration. No foreign key: the
-- history outlives a deleted indicator.
CREATE TABLE audit (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    at        TEXT    NOT NULL,                    -- ISO 8601 local time with offset, seconds
    who       TEXT    NOT NULL,
    action    TEXT    NOT NULL,                    -- create set paste undo redo lock unlock property migrate
    code      TEXT,
    year      INTEGER,
    field     TEXT,
    old_value TEXT,
    new_value TEXT,
    detail    TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX audit_cell ON audit (code, year);

-- 上报: a reported year; its values may not change until it is withdrawn (撤回).
CREATE TABLE year_lock (
    year      INTEGER PRIMARY KEY,
    locked_at TEXT    NOT NULL,
    locked_by TEXT    NOT NULL,
    note      TEXT    NOT NULL DEFAULT ''
);

-- Workspace settings (status band, default tolerance …); value is JSON.
CREATE TABLE setting (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
