-- The desk itself, the organisation it works for, and the audit log.

-- Exactly one row: who this desk is. desk_id is made here (UUIDv7) and later
-- names this desk's invoice series and its operations when it syncs.
CREATE TABLE desk (
    singleton    INTEGER PRIMARY KEY CHECK (singleton = 1),
    desk_id      TEXT NOT NULL,
    created_at   TEXT NOT NULL
) STRICT;

-- The business this desk works for. A standalone desk has one.
CREATE TABLE organisation (
    id           TEXT PRIMARY KEY,
    name         TEXT NOT NULL CHECK (length(trim(name)) > 0),
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
) STRICT;

-- Who did what, when, from which desk. Append-only: the triggers below refuse
-- any change to a written row.
CREATE TABLE audit_log (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    at           TEXT NOT NULL,
    desk_id      TEXT NOT NULL,
    actor        TEXT NOT NULL,
    action       TEXT NOT NULL,
    entity       TEXT NOT NULL,
    entity_id    TEXT NOT NULL,
    before_json  TEXT,
    after_json   TEXT
) STRICT;

CREATE INDEX audit_log_entity ON audit_log (entity, entity_id);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
