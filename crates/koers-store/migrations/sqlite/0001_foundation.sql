-- Koers foundation schema (SQLite). The PostgreSQL folder holds the same tables and columns.
-- Every table with organisation data carries organisation_id; every query filters on it.

CREATE TABLE organisations (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    place TEXT NOT NULL,
    is_demo BOOLEAN NOT NULL DEFAULT 0,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL
);

CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES organisations(id),
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('beheerder', 'beleidsadviseur', 'teamlid', 'lezer')),
    subteam_id INTEGER,
    password_hash TEXT NOT NULL,
    active BOOLEAN NOT NULL DEFAULT 1,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES organisations(id),
    user_id INTEGER NOT NULL REFERENCES users(id),
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE login_attempts (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL,
    attempted_at INTEGER NOT NULL,
    succeeded BOOLEAN NOT NULL
);
CREATE INDEX login_attempts_email ON login_attempts(email, attempted_at);

CREATE TABLE plans (
    id INTEGER PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES organisations(id),
    title TEXT NOT NULL,
    start_year INTEGER NOT NULL,
    end_year INTEGER NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    version INTEGER NOT NULL DEFAULT 1,
    CHECK (end_year >= start_year)
);
CREATE INDEX plans_org ON plans(organisation_id);

-- The six catalogue tables share one shape so that one code path creates, edits, orders, retires
-- and deletes them: parent_id points to the plan (domains), domain (themes) or theme (ambitions).
CREATE TABLE domains (
    id INTEGER PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES organisations(id),
    parent_id INTEGER NOT NULL REFERENCES plans(id),
    code TEXT NOT NULL DEFAULT '',
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    position INTEGER NOT NULL,
    retired BOOLEAN NOT NULL DEFAULT 0,
    is_example BOOLEAN NOT NULL DEFAULT 0,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX domains_org ON domains(organisation_id, parent_id);

CREATE TABLE themes (
    id INTEGER PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES organisations(id),
    parent_id INTEGER NOT NULL REFERENCES domains(id),
    code TEXT NOT NULL DEFAULT '',
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    position INTEGER NOT NULL,
    retired BOOLEAN NOT NULL DEFAULT 0,
    is_example BOOLEAN NOT NULL DEFAULT 0,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX themes_org ON themes(organisation_id, parent_id);

CREATE TABLE ambitions (
    id INTEGER PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES organisations(id),
    parent_id INTEGER NOT NULL REFERENCES themes(id),
    code TEXT NOT NULL DEFAULT '',
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    position INTEGER NOT NULL,
    retired BOOLEAN NOT NULL DEFAULT 0,
    is_example BOOLEAN NOT NULL DEFAULT 0,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX ambitions_org ON ambitions(organisation_id, parent_id);

CREATE TABLE opgaven (
    id INTEGER PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES organisations(id),
    parent_id INTEGER,
    code TEXT NOT NULL DEFAULT '',
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    position INTEGER NOT NULL,
    retired BOOLEAN NOT NULL DEFAULT 0,
    is_example BOOLEAN NOT NULL DEFAULT 0,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX opgaven_org ON opgaven(organisation_id);

CREATE TABLE subteams (
    id INTEGER PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES organisations(id),
    parent_id INTEGER,
    code TEXT NOT NULL DEFAULT '',
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    position INTEGER NOT NULL,
    retired BOOLEAN NOT NULL DEFAULT 0,
    is_example BOOLEAN NOT NULL DEFAULT 0,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX subteams_org ON subteams(organisation_id);

CREATE TABLE partners (
    id INTEGER PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES organisations(id),
    parent_id INTEGER,
    code TEXT NOT NULL DEFAULT '',
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    position INTEGER NOT NULL,
    retired BOOLEAN NOT NULL DEFAULT 0,
    is_example BOOLEAN NOT NULL DEFAULT 0,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX partners_org ON partners(organisation_id);

CREATE TABLE opgave_participation (
    organisation_id INTEGER NOT NULL REFERENCES organisations(id),
    opgave_id INTEGER NOT NULL REFERENCES opgaven(id),
    year INTEGER NOT NULL,
    PRIMARY KEY (opgave_id, year)
);

CREATE TABLE subteam_capacity (
    organisation_id INTEGER NOT NULL REFERENCES organisations(id),
    subteam_id INTEGER NOT NULL REFERENCES subteams(id),
    year INTEGER NOT NULL,
    fte_hundredths INTEGER NOT NULL,
    PRIMARY KEY (subteam_id, year)
);

CREATE TABLE programmes (
    id INTEGER PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES organisations(id),
    year INTEGER NOT NULL,
    title TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'concept',
    version INTEGER NOT NULL DEFAULT 1,
    UNIQUE (organisation_id, year)
);

CREATE TABLE actions (
    id INTEGER PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES organisations(id),
    programme_id INTEGER NOT NULL REFERENCES programmes(id),
    code TEXT NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    intended_result TEXT NOT NULL DEFAULT '',
    theme_id INTEGER NOT NULL REFERENCES themes(id),
    ambition_id INTEGER REFERENCES ambitions(id),
    lead_subteam_id INTEGER NOT NULL REFERENCES subteams(id),
    quarters TEXT NOT NULL,
    planned_hours INTEGER NOT NULL,
    priority TEXT NOT NULL,
    origin TEXT NOT NULL,
    predecessor_id INTEGER REFERENCES actions(id),
    status TEXT NOT NULL DEFAULT 'niet_gestart',
    hours_spent INTEGER NOT NULL DEFAULT 0,
    last_progress_on TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    UNIQUE (programme_id, code)
);
CREATE INDEX actions_org ON actions(organisation_id, programme_id);

CREATE TABLE action_subteams (
    organisation_id INTEGER NOT NULL REFERENCES organisations(id),
    action_id INTEGER NOT NULL REFERENCES actions(id),
    subteam_id INTEGER NOT NULL REFERENCES subteams(id),
    PRIMARY KEY (action_id, subteam_id)
);

CREATE TABLE action_partners (
    organisation_id INTEGER NOT NULL REFERENCES organisations(id),
    action_id INTEGER NOT NULL REFERENCES actions(id),
    partner_id INTEGER NOT NULL REFERENCES partners(id),
    PRIMARY KEY (action_id, partner_id)
);

CREATE TABLE action_opgaven (
    organisation_id INTEGER NOT NULL REFERENCES organisations(id),
    action_id INTEGER NOT NULL REFERENCES actions(id),
    opgave_id INTEGER NOT NULL REFERENCES opgaven(id),
    PRIMARY KEY (action_id, opgave_id)
);

CREATE TABLE progress_entries (
    id INTEGER PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES organisations(id),
    action_id INTEGER NOT NULL REFERENCES actions(id),
    status TEXT NOT NULL,
    note TEXT NOT NULL,
    hours_spent INTEGER NOT NULL,
    entry_date TEXT NOT NULL,
    author_id INTEGER REFERENCES users(id),
    author_name TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
CREATE INDEX progress_action ON progress_entries(organisation_id, action_id);

CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES organisations(id),
    occurred_at TEXT NOT NULL,
    user_id INTEGER,
    user_name TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id INTEGER NOT NULL,
    operation TEXT NOT NULL,
    summary TEXT NOT NULL,
    before_json TEXT,
    after_json TEXT
);
CREATE INDEX audit_org ON audit_log(organisation_id, occurred_at);
CREATE INDEX audit_entity ON audit_log(organisation_id, entity, entity_id);

-- The history of progress and the audit log are append-only: the database itself refuses to
-- change or remove a row, whatever the application does.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER progress_no_update BEFORE UPDATE ON progress_entries
BEGIN SELECT RAISE(ABORT, 'progress_entries is append-only'); END;
CREATE TRIGGER progress_no_delete BEFORE DELETE ON progress_entries
BEGIN SELECT RAISE(ABORT, 'progress_entries is append-only'); END;
