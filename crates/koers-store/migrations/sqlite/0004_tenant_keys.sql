-- Tenant foreign keys, column types that say what a column holds, and append-only guards that
-- also refuse REPLACE (SQLite). The PostgreSQL folder makes the same changes with ALTER TABLE.
--
-- 1. Every reference from one table with organisation data to another includes the organisation:
--    (organisation_id, x_id) REFERENCES t(organisation_id, id), backed by UNIQUE (organisation_id,
--    id) on t, so the database itself refuses a reference to another organisation's row.
--    users.subteam_id gets its foreign key, and audit_log.user_id one too.
-- 2. Timestamps are declared TIMESTAMP and dates DATE (PostgreSQL: TIMESTAMPTZ and DATE), so the
--    schema comparison between the dialects can compare types. Both names give SQLite NUMERIC
--    affinity, which keeps the stored text as it is: no timestamp or date text is a number.
-- 3. audit_log and progress_entries refuse an insert whose id already exists. REPLACE (and
--    INSERT OR REPLACE) deletes the conflicting row without firing DELETE triggers unless the
--    connection has PRAGMA recursive_triggers on. A pragma is per connection and any other tool
--    opening the file would not set it; a trigger is part of the schema and holds for everyone.
--    A BEFORE INSERT trigger runs before the conflict is resolved, so the old row is never gone.
--
-- SQLite cannot add a constraint to an existing table, so the tables are rebuilt
-- (https://www.sqlite.org/lang_altertable.html#otheralter). sqlx runs this file inside one
-- transaction, where PRAGMA foreign_keys cannot be switched off. The order below makes that
-- unnecessary, and keeps every foreign key checked while the data is copied:
--   a. Each new table x_new refers to the other new tables (*_new), never to an old one.
--   b. The new tables are filled parents first, so each copied row is checked against the copy
--      of its parent; a row that refers to another organisation stops the migration right there.
--   c. The old tables are dropped children first. When a table is dropped, no table that still
--      exists refers to it, so DROP TABLE's implicit DELETE cannot violate a foreign key.
--   d. Renaming x_new to x rewrites the references to x_new in the other tables (SQLite does so
--      since 3.26 unless legacy_alter_table is on). Indexes and triggers are then recreated.
--   e. A last check refuses to commit if any row refers to a row that does not exist.
-- login_throttle and security_events (0003) are not rebuilt: the throttle holds no organisation
-- data, and the security log refers to organisations only, whose rebuild keeps every id.
-- A later migration that adds a column to one of these tables must come after this one: the
-- rebuild copies exactly the columns listed here.

CREATE TABLE organisations_new (
    id INTEGER NOT NULL PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    place TEXT NOT NULL,
    is_demo BOOLEAN NOT NULL DEFAULT 0,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    revision INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE plans_new (
    id INTEGER NOT NULL PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES organisations_new(id),
    title TEXT NOT NULL,
    start_year INTEGER NOT NULL,
    end_year INTEGER NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    version INTEGER NOT NULL DEFAULT 1,
    CHECK (end_year >= start_year),
    UNIQUE (organisation_id, id)
);

CREATE TABLE domains_new (
    id INTEGER NOT NULL PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES organisations_new(id),
    parent_id INTEGER NOT NULL,
    code TEXT NOT NULL DEFAULT '',
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    position INTEGER NOT NULL,
    retired BOOLEAN NOT NULL DEFAULT 0,
    is_example BOOLEAN NOT NULL DEFAULT 0,
    version INTEGER NOT NULL DEFAULT 1,
    UNIQUE (organisation_id, id),
    FOREIGN KEY (organisation_id, parent_id) REFERENCES plans_new(organisation_id, id)
);

CREATE TABLE themes_new (
    id INTEGER NOT NULL PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES organisations_new(id),
    parent_id INTEGER NOT NULL,
    code TEXT NOT NULL DEFAULT '',
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    position INTEGER NOT NULL,
    retired BOOLEAN NOT NULL DEFAULT 0,
    is_example BOOLEAN NOT NULL DEFAULT 0,
    version INTEGER NOT NULL DEFAULT 1,
    UNIQUE (organisation_id, id),
    FOREIGN KEY (organisation_id, parent_id) REFERENCES domains_new(organisation_id, id)
);

CREATE TABLE ambitions_new (
    id INTEGER NOT NULL PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES organisations_new(id),
    parent_id INTEGER NOT NULL,
    code TEXT NOT NULL DEFAULT '',
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    position INTEGER NOT NULL,
    retired BOOLEAN NOT NULL DEFAULT 0,
    is_example BOOLEAN NOT NULL DEFAULT 0,
    version INTEGER NOT NULL DEFAULT 1,
    UNIQUE (organisation_id, id),
    FOREIGN KEY (organisation_id, parent_id) REFERENCES themes_new(organisation_id, id)
);

CREATE TABLE opgaven_new (
    id INTEGER NOT NULL PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES organisations_new(id),
    parent_id INTEGER,
    code TEXT NOT NULL DEFAULT '',
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    position INTEGER NOT NULL,
    retired BOOLEAN NOT NULL DEFAULT 0,
    is_example BOOLEAN NOT NULL DEFAULT 0,
    version INTEGER NOT NULL DEFAULT 1,
    UNIQUE (organisation_id, id)
);

CREATE TABLE subteams_new (
    id INTEGER NOT NULL PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES organisations_new(id),
    parent_id INTEGER,
    code TEXT NOT NULL DEFAULT '',
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    position INTEGER NOT NULL,
    retired BOOLEAN NOT NULL DEFAULT 0,
    is_example BOOLEAN NOT NULL DEFAULT 0,
    version INTEGER NOT NULL DEFAULT 1,
    UNIQUE (organisation_id, id)
);

CREATE TABLE partners_new (
    id INTEGER NOT NULL PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES organisations_new(id),
    parent_id INTEGER,
    code TEXT NOT NULL DEFAULT '',
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    position INTEGER NOT NULL,
    retired BOOLEAN NOT NULL DEFAULT 0,
    is_example BOOLEAN NOT NULL DEFAULT 0,
    version INTEGER NOT NULL DEFAULT 1,
    UNIQUE (organisation_id, id)
);

CREATE TABLE users_new (
    id INTEGER NOT NULL PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES organisations_new(id),
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('beheerder', 'beleidsadviseur', 'teamlid', 'lezer')),
    subteam_id INTEGER,
    password_hash TEXT NOT NULL,
    active BOOLEAN NOT NULL DEFAULT 1,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (organisation_id, id),
    FOREIGN KEY (organisation_id, subteam_id) REFERENCES subteams_new(organisation_id, id)
);

CREATE TABLE sessions_new (
    token_hash TEXT NOT NULL PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES organisations_new(id),
    user_id INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    FOREIGN KEY (organisation_id, user_id) REFERENCES users_new(organisation_id, id)
);

CREATE TABLE opgave_participation_new (
    organisation_id INTEGER NOT NULL REFERENCES organisations_new(id),
    opgave_id INTEGER NOT NULL,
    year INTEGER NOT NULL,
    PRIMARY KEY (opgave_id, year),
    FOREIGN KEY (organisation_id, opgave_id) REFERENCES opgaven_new(organisation_id, id)
);

CREATE TABLE subteam_capacity_new (
    organisation_id INTEGER NOT NULL REFERENCES organisations_new(id),
    subteam_id INTEGER NOT NULL,
    year INTEGER NOT NULL,
    fte_hundredths INTEGER NOT NULL,
    PRIMARY KEY (subteam_id, year),
    FOREIGN KEY (organisation_id, subteam_id) REFERENCES subteams_new(organisation_id, id)
);

CREATE TABLE programmes_new (
    id INTEGER NOT NULL PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES organisations_new(id),
    year INTEGER NOT NULL,
    title TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'concept',
    version INTEGER NOT NULL DEFAULT 1,
    UNIQUE (organisation_id, year),
    UNIQUE (organisation_id, id)
);

CREATE TABLE actions_new (
    id INTEGER NOT NULL PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES organisations_new(id),
    programme_id INTEGER NOT NULL,
    code TEXT NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    intended_result TEXT NOT NULL DEFAULT '',
    theme_id INTEGER NOT NULL,
    ambition_id INTEGER,
    lead_subteam_id INTEGER NOT NULL,
    quarters TEXT NOT NULL,
    planned_hours INTEGER NOT NULL,
    priority TEXT NOT NULL,
    origin TEXT NOT NULL,
    predecessor_id INTEGER,
    status TEXT NOT NULL DEFAULT 'niet_gestart',
    hours_spent INTEGER NOT NULL DEFAULT 0,
    last_progress_on DATE,
    version INTEGER NOT NULL DEFAULT 1,
    UNIQUE (programme_id, code),
    UNIQUE (organisation_id, id),
    FOREIGN KEY (organisation_id, programme_id) REFERENCES programmes_new(organisation_id, id),
    FOREIGN KEY (organisation_id, theme_id) REFERENCES themes_new(organisation_id, id),
    FOREIGN KEY (organisation_id, ambition_id) REFERENCES ambitions_new(organisation_id, id),
    FOREIGN KEY (organisation_id, lead_subteam_id) REFERENCES subteams_new(organisation_id, id),
    FOREIGN KEY (organisation_id, predecessor_id) REFERENCES actions_new(organisation_id, id)
);

CREATE TABLE action_subteams_new (
    organisation_id INTEGER NOT NULL REFERENCES organisations_new(id),
    action_id INTEGER NOT NULL,
    subteam_id INTEGER NOT NULL,
    PRIMARY KEY (action_id, subteam_id),
    FOREIGN KEY (organisation_id, action_id) REFERENCES actions_new(organisation_id, id),
    FOREIGN KEY (organisation_id, subteam_id) REFERENCES subteams_new(organisation_id, id)
);

CREATE TABLE action_partners_new (
    organisation_id INTEGER NOT NULL REFERENCES organisations_new(id),
    action_id INTEGER NOT NULL,
    partner_id INTEGER NOT NULL,
    PRIMARY KEY (action_id, partner_id),
    FOREIGN KEY (organisation_id, action_id) REFERENCES actions_new(organisation_id, id),
    FOREIGN KEY (organisation_id, partner_id) REFERENCES partners_new(organisation_id, id)
);

CREATE TABLE action_opgaven_new (
    organisation_id INTEGER NOT NULL REFERENCES organisations_new(id),
    action_id INTEGER NOT NULL,
    opgave_id INTEGER NOT NULL,
    PRIMARY KEY (action_id, opgave_id),
    FOREIGN KEY (organisation_id, action_id) REFERENCES actions_new(organisation_id, id),
    FOREIGN KEY (organisation_id, opgave_id) REFERENCES opgaven_new(organisation_id, id)
);

CREATE TABLE progress_entries_new (
    id INTEGER NOT NULL PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES organisations_new(id),
    action_id INTEGER NOT NULL,
    status TEXT NOT NULL,
    note TEXT NOT NULL,
    hours_spent INTEGER NOT NULL,
    entry_date DATE NOT NULL,
    author_id INTEGER,
    author_name TEXT NOT NULL,
    recorded_at TIMESTAMP NOT NULL,
    FOREIGN KEY (organisation_id, action_id) REFERENCES actions_new(organisation_id, id),
    FOREIGN KEY (organisation_id, author_id) REFERENCES users_new(organisation_id, id)
);

CREATE TABLE audit_log_new (
    id INTEGER NOT NULL PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES organisations_new(id),
    occurred_at TIMESTAMP NOT NULL,
    user_id INTEGER,
    user_name TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id INTEGER NOT NULL,
    operation TEXT NOT NULL,
    summary TEXT NOT NULL,
    before_json TEXT,
    after_json TEXT,
    FOREIGN KEY (organisation_id, user_id) REFERENCES users_new(organisation_id, id)
);

CREATE TABLE api_tokens_new (
    id INTEGER NOT NULL PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES organisations_new(id),
    user_id INTEGER NOT NULL,
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL,
    revoked BOOLEAN NOT NULL DEFAULT 0,
    FOREIGN KEY (organisation_id, user_id) REFERENCES users_new(organisation_id, id)
);

-- b. Copy, parents first. Columns are named, so the copy does not depend on column order.
INSERT INTO organisations_new (id, code, name, place, is_demo, version, created_at, revision)
SELECT id, code, name, place, is_demo, version, created_at, revision FROM organisations;
INSERT INTO plans_new (id, organisation_id, title, start_year, end_year, description, version)
SELECT id, organisation_id, title, start_year, end_year, description, version FROM plans;
INSERT INTO domains_new (id, organisation_id, parent_id, code, name, description, position, retired, is_example, version)
SELECT id, organisation_id, parent_id, code, name, description, position, retired, is_example, version FROM domains;
INSERT INTO themes_new (id, organisation_id, parent_id, code, name, description, position, retired, is_example, version)
SELECT id, organisation_id, parent_id, code, name, description, position, retired, is_example, version FROM themes;
INSERT INTO ambitions_new (id, organisation_id, parent_id, code, name, description, position, retired, is_example, version)
SELECT id, organisation_id, parent_id, code, name, description, position, retired, is_example, version FROM ambitions;
INSERT INTO opgaven_new (id, organisation_id, parent_id, code, name, description, position, retired, is_example, version)
SELECT id, organisation_id, parent_id, code, name, description, position, retired, is_example, version FROM opgaven;
INSERT INTO subteams_new (id, organisation_id, parent_id, code, name, description, position, retired, is_example, version)
SELECT id, organisation_id, parent_id, code, name, description, position, retired, is_example, version FROM subteams;
INSERT INTO partners_new (id, organisation_id, parent_id, code, name, description, position, retired, is_example, version)
SELECT id, organisation_id, parent_id, code, name, description, position, retired, is_example, version FROM partners;
INSERT INTO users_new (id, organisation_id, email, name, role, subteam_id, password_hash, active, version, created_at)
SELECT id, organisation_id, email, name, role, subteam_id, password_hash, active, version, created_at FROM users;
INSERT INTO sessions_new (token_hash, organisation_id, user_id, created_at, expires_at)
SELECT token_hash, organisation_id, user_id, created_at, expires_at FROM sessions;
INSERT INTO opgave_participation_new (organisation_id, opgave_id, year)
SELECT organisation_id, opgave_id, year FROM opgave_participation;
INSERT INTO subteam_capacity_new (organisation_id, subteam_id, year, fte_hundredths)
SELECT organisation_id, subteam_id, year, fte_hundredths FROM subteam_capacity;
INSERT INTO programmes_new (id, organisation_id, year, title, status, version)
SELECT id, organisation_id, year, title, status, version FROM programmes;
-- One statement: a predecessor with a higher id than its successor is fine, because SQLite
-- checks an immediate foreign key at the end of the statement.
INSERT INTO actions_new (id, organisation_id, programme_id, code, title, description, intended_result,
    theme_id, ambition_id, lead_subteam_id, quarters, planned_hours, priority, origin, predecessor_id,
    status, hours_spent, last_progress_on, version)
SELECT id, organisation_id, programme_id, code, title, description, intended_result,
    theme_id, ambition_id, lead_subteam_id, quarters, planned_hours, priority, origin, predecessor_id,
    status, hours_spent, last_progress_on, version FROM actions;
INSERT INTO action_subteams_new (organisation_id, action_id, subteam_id)
SELECT organisation_id, action_id, subteam_id FROM action_subteams;
INSERT INTO action_partners_new (organisation_id, action_id, partner_id)
SELECT organisation_id, action_id, partner_id FROM action_partners;
INSERT INTO action_opgaven_new (organisation_id, action_id, opgave_id)
SELECT organisation_id, action_id, opgave_id FROM action_opgaven;
INSERT INTO progress_entries_new (id, organisation_id, action_id, status, note, hours_spent, entry_date,
    author_id, author_name, recorded_at)
SELECT id, organisation_id, action_id, status, note, hours_spent, entry_date,
    author_id, author_name, recorded_at FROM progress_entries;
INSERT INTO audit_log_new (id, organisation_id, occurred_at, user_id, user_name, entity, entity_id,
    operation, summary, before_json, after_json)
SELECT id, organisation_id, occurred_at, user_id, user_name, entity, entity_id,
    operation, summary, before_json, after_json FROM audit_log;
INSERT INTO api_tokens_new (id, organisation_id, user_id, name, token_hash, created_at, revoked)
SELECT id, organisation_id, user_id, name, token_hash, created_at, revoked FROM api_tokens;

-- c. Drop the old tables, children first. Their indexes and triggers go with them; DROP TABLE
-- does not fire the append-only DELETE triggers.
DROP TABLE api_tokens;
DROP TABLE audit_log;
DROP TABLE progress_entries;
DROP TABLE action_opgaven;
DROP TABLE action_partners;
DROP TABLE action_subteams;
DROP TABLE actions;
DROP TABLE programmes;
DROP TABLE subteam_capacity;
DROP TABLE opgave_participation;
DROP TABLE sessions;
DROP TABLE users;
DROP TABLE partners;
DROP TABLE subteams;
DROP TABLE opgaven;
DROP TABLE ambitions;
DROP TABLE themes;
DROP TABLE domains;
DROP TABLE plans;
DROP TABLE organisations;

-- d. Rename; each rename rewrites the references to it in the other new tables.
ALTER TABLE organisations_new RENAME TO organisations;
ALTER TABLE plans_new RENAME TO plans;
ALTER TABLE domains_new RENAME TO domains;
ALTER TABLE themes_new RENAME TO themes;
ALTER TABLE ambitions_new RENAME TO ambitions;
ALTER TABLE opgaven_new RENAME TO opgaven;
ALTER TABLE subteams_new RENAME TO subteams;
ALTER TABLE partners_new RENAME TO partners;
ALTER TABLE users_new RENAME TO users;
ALTER TABLE sessions_new RENAME TO sessions;
ALTER TABLE opgave_participation_new RENAME TO opgave_participation;
ALTER TABLE subteam_capacity_new RENAME TO subteam_capacity;
ALTER TABLE programmes_new RENAME TO programmes;
ALTER TABLE actions_new RENAME TO actions;
ALTER TABLE action_subteams_new RENAME TO action_subteams;
ALTER TABLE action_partners_new RENAME TO action_partners;
ALTER TABLE action_opgaven_new RENAME TO action_opgaven;
ALTER TABLE progress_entries_new RENAME TO progress_entries;
ALTER TABLE audit_log_new RENAME TO audit_log;
ALTER TABLE api_tokens_new RENAME TO api_tokens;

CREATE INDEX sessions_user ON sessions(user_id);
CREATE INDEX plans_org ON plans(organisation_id);
CREATE INDEX domains_org ON domains(organisation_id, parent_id);
CREATE INDEX themes_org ON themes(organisation_id, parent_id);
CREATE INDEX ambitions_org ON ambitions(organisation_id, parent_id);
CREATE INDEX opgaven_org ON opgaven(organisation_id);
CREATE INDEX subteams_org ON subteams(organisation_id);
CREATE INDEX partners_org ON partners(organisation_id);
CREATE INDEX actions_org ON actions(organisation_id, programme_id);
CREATE INDEX progress_action ON progress_entries(organisation_id, action_id);
CREATE INDEX audit_org ON audit_log(organisation_id, occurred_at);
CREATE INDEX audit_entity ON audit_log(organisation_id, entity, entity_id);
CREATE INDEX api_tokens_user ON api_tokens(organisation_id, user_id);

-- The history of progress and the audit log are append-only: the database itself refuses to
-- change, remove or overwrite a row, whatever the application does. SQLite has no TRUNCATE; its
-- "truncate optimisation" of a DELETE without WHERE is off for a table with DELETE triggers.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_overwrite BEFORE INSERT ON audit_log
WHEN EXISTS (SELECT 1 FROM audit_log WHERE id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER progress_no_update BEFORE UPDATE ON progress_entries
BEGIN SELECT RAISE(ABORT, 'progress_entries is append-only'); END;
CREATE TRIGGER progress_no_delete BEFORE DELETE ON progress_entries
BEGIN SELECT RAISE(ABORT, 'progress_entries is append-only'); END;
CREATE TRIGGER progress_no_overwrite BEFORE INSERT ON progress_entries
WHEN EXISTS (SELECT 1 FROM progress_entries WHERE id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'progress_entries is append-only'); END;

-- e. PRAGMA foreign_key_check cannot fail a statement, so count its rows into a CHECK.
CREATE TEMP TABLE koers_foreign_key_check (violations INTEGER NOT NULL CHECK (violations = 0));
INSERT INTO koers_foreign_key_check SELECT COUNT(*) FROM pragma_foreign_key_check;
DROP TABLE koers_foreign_key_check;
