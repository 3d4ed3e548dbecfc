-- Koers foundation schema (PostgreSQL). The SQLite folder holds the same tables and columns.
-- Every table with organisation data carries organisation_id; every query filters on it.

CREATE TABLE organisations (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    place TEXT NOT NULL,
    is_demo BOOLEAN NOT NULL DEFAULT FALSE,
    version BIGINT NOT NULL DEFAULT 1,
    created_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE users (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('beheerder', 'beleidsadviseur', 'teamlid', 'lezer')),
    subteam_id BIGINT,
    password_hash TEXT NOT NULL,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    version BIGINT NOT NULL DEFAULT 1,
    created_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    user_id BIGINT NOT NULL REFERENCES users(id),
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE login_attempts (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email TEXT NOT NULL,
    attempted_at BIGINT NOT NULL,
    succeeded BOOLEAN NOT NULL
);
CREATE INDEX login_attempts_email ON login_attempts(email, attempted_at);

CREATE TABLE plans (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    title TEXT NOT NULL,
    start_year BIGINT NOT NULL,
    end_year BIGINT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    version BIGINT NOT NULL DEFAULT 1,
    CHECK (end_year >= start_year)
);
CREATE INDEX plans_org ON plans(organisation_id);

-- The six catalogue tables share one shape so that one code path creates, edits, orders, retires
-- and deletes them: parent_id points to the plan (domains), domain (themes) or theme (ambitions).
CREATE TABLE domains (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    parent_id BIGINT NOT NULL REFERENCES plans(id),
    code TEXT NOT NULL DEFAULT '',
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    position BIGINT NOT NULL,
    retired BOOLEAN NOT NULL DEFAULT FALSE,
    is_example BOOLEAN NOT NULL DEFAULT FALSE,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX domains_org ON domains(organisation_id, parent_id);

CREATE TABLE themes (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    parent_id BIGINT NOT NULL REFERENCES domains(id),
    code TEXT NOT NULL DEFAULT '',
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    position BIGINT NOT NULL,
    retired BOOLEAN NOT NULL DEFAULT FALSE,
    is_example BOOLEAN NOT NULL DEFAULT FALSE,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX themes_org ON themes(organisation_id, parent_id);

CREATE TABLE ambitions (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    parent_id BIGINT NOT NULL REFERENCES themes(id),
    code TEXT NOT NULL DEFAULT '',
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    position BIGINT NOT NULL,
    retired BOOLEAN NOT NULL DEFAULT FALSE,
    is_example BOOLEAN NOT NULL DEFAULT FALSE,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX ambitions_org ON ambitions(organisation_id, parent_id);

CREATE TABLE opgaven (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    parent_id BIGINT,
    code TEXT NOT NULL DEFAULT '',
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    position BIGINT NOT NULL,
    retired BOOLEAN NOT NULL DEFAULT FALSE,
    is_example BOOLEAN NOT NULL DEFAULT FALSE,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX opgaven_org ON opgaven(organisation_id);

CREATE TABLE subteams (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    parent_id BIGINT,
    code TEXT NOT NULL DEFAULT '',
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    position BIGINT NOT NULL,
    retired BOOLEAN NOT NULL DEFAULT FALSE,
    is_example BOOLEAN NOT NULL DEFAULT FALSE,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX subteams_org ON subteams(organisation_id);

CREATE TABLE partners (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    parent_id BIGINT,
    code TEXT NOT NULL DEFAULT '',
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    position BIGINT NOT NULL,
    retired BOOLEAN NOT NULL DEFAULT FALSE,
    is_example BOOLEAN NOT NULL DEFAULT FALSE,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX partners_org ON partners(organisation_id);

CREATE TABLE opgave_participation (
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    opgave_id BIGINT NOT NULL REFERENCES opgaven(id),
    year BIGINT NOT NULL,
    PRIMARY KEY (opgave_id, year)
);

CREATE TABLE subteam_capacity (
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    subteam_id BIGINT NOT NULL REFERENCES subteams(id),
    year BIGINT NOT NULL,
    fte_hundredths BIGINT NOT NULL,
    PRIMARY KEY (subteam_id, year)
);

CREATE TABLE programmes (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    year BIGINT NOT NULL,
    title TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'concept',
    version BIGINT NOT NULL DEFAULT 1,
    UNIQUE (organisation_id, year)
);

CREATE TABLE actions (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    programme_id BIGINT NOT NULL REFERENCES programmes(id),
    code TEXT NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    intended_result TEXT NOT NULL DEFAULT '',
    theme_id BIGINT NOT NULL REFERENCES themes(id),
    ambition_id BIGINT REFERENCES ambitions(id),
    lead_subteam_id BIGINT NOT NULL REFERENCES subteams(id),
    quarters TEXT NOT NULL,
    planned_hours BIGINT NOT NULL,
    priority TEXT NOT NULL,
    origin TEXT NOT NULL,
    predecessor_id BIGINT REFERENCES actions(id),
    status TEXT NOT NULL DEFAULT 'niet_gestart',
    hours_spent BIGINT NOT NULL DEFAULT 0,
    last_progress_on DATE,
    version BIGINT NOT NULL DEFAULT 1,
    UNIQUE (programme_id, code)
);
CREATE INDEX actions_org ON actions(organisation_id, programme_id);

CREATE TABLE action_subteams (
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    action_id BIGINT NOT NULL REFERENCES actions(id),
    subteam_id BIGINT NOT NULL REFERENCES subteams(id),
    PRIMARY KEY (action_id, subteam_id)
);

CREATE TABLE action_partners (
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    action_id BIGINT NOT NULL REFERENCES actions(id),
    partner_id BIGINT NOT NULL REFERENCES partners(id),
    PRIMARY KEY (action_id, partner_id)
);

CREATE TABLE action_opgaven (
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    action_id BIGINT NOT NULL REFERENCES actions(id),
    opgave_id BIGINT NOT NULL REFERENCES opgaven(id),
    PRIMARY KEY (action_id, opgave_id)
);

CREATE TABLE progress_entries (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    action_id BIGINT NOT NULL REFERENCES actions(id),
    status TEXT NOT NULL,
    note TEXT NOT NULL,
    hours_spent BIGINT NOT NULL,
    entry_date DATE NOT NULL,
    author_id BIGINT REFERENCES users(id),
    author_name TEXT NOT NULL,
    recorded_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX progress_action ON progress_entries(organisation_id, action_id);

CREATE TABLE audit_log (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    occurred_at TIMESTAMPTZ NOT NULL,
    user_id BIGINT,
    user_name TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id BIGINT NOT NULL,
    operation TEXT NOT NULL,
    summary TEXT NOT NULL,
    before_json TEXT,
    after_json TEXT
);
CREATE INDEX audit_org ON audit_log(organisation_id, occurred_at);
CREATE INDEX audit_entity ON audit_log(organisation_id, entity, entity_id);

-- The history of progress and the audit log are append-only: the database itself refuses to
-- change or remove a row, whatever the application does.
CREATE FUNCTION koers_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END;
$$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION koers_refuse_change();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION koers_refuse_change();
CREATE TRIGGER progress_append_only BEFORE UPDATE OR DELETE ON progress_entries
    FOR EACH ROW EXECUTE FUNCTION koers_refuse_change();
