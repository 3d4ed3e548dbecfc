-- VTH task fields (PostgreSQL): the same change as the SQLite folder, which explains it.

CREATE TABLE task_fields (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    discipline TEXT NOT NULL CHECK (discipline IN ('V', 'T', 'H')),
    lead_subteam_id BIGINT NOT NULL,
    unit TEXT NOT NULL,
    norm_hundredths BIGINT NOT NULL CHECK (norm_hundredths > 0),
    decision_term_weeks BIGINT CHECK (decision_term_weeks IS NULL OR decision_term_weeks > 0),
    description TEXT NOT NULL DEFAULT '',
    position BIGINT NOT NULL,
    retired BOOLEAN NOT NULL DEFAULT FALSE,
    version BIGINT NOT NULL DEFAULT 1,
    UNIQUE (organisation_id, id),
    UNIQUE (organisation_id, code),
    FOREIGN KEY (organisation_id, lead_subteam_id) REFERENCES subteams(organisation_id, id)
);

CREATE INDEX task_fields_org ON task_fields(organisation_id, position);
