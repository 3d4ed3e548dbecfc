-- The risk analysis and the LHS intervention matrix (PostgreSQL): the same change as the SQLite
-- folder, which explains it.

CREATE TABLE risk_models (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    number BIGINT NOT NULL CHECK (number > 0),
    model TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    created_by TEXT NOT NULL,
    UNIQUE (organisation_id, id),
    UNIQUE (organisation_id, number)
);

CREATE TABLE risk_analyses (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    task_field_id BIGINT NOT NULL,
    number BIGINT NOT NULL CHECK (number > 0),
    risk_model_id BIGINT NOT NULL,
    kans BIGINT NOT NULL CHECK (kans BETWEEN 1 AND 5),
    effects TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL,
    created_by TEXT NOT NULL,
    UNIQUE (organisation_id, id),
    UNIQUE (organisation_id, task_field_id, number),
    FOREIGN KEY (organisation_id, task_field_id) REFERENCES task_fields(organisation_id, id),
    FOREIGN KEY (organisation_id, risk_model_id) REFERENCES risk_models(organisation_id, id)
);

CREATE TABLE lhs_matrices (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    number BIGINT NOT NULL CHECK (number > 0),
    cells TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL,
    created_by TEXT NOT NULL,
    UNIQUE (organisation_id, id),
    UNIQUE (organisation_id, number)
);
