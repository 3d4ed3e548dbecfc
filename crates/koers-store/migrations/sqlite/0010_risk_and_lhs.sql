-- The risk analysis of the VTH task fields and the LHS intervention matrix. The PostgreSQL folder
-- makes the same change.
--
-- Both are versioned configuration: a save adds a row with the next number and never changes an
-- earlier one, so every analysis keeps the risk model version it was made with and earlier
-- versions of the matrix stay readable. The unique number per organisation (and per task field
-- for analyses) is also the optimistic lock: two saves on the same version cannot both add the
-- next number. The model (criteria, combine rule, classes) and the matrix cells are JSON written
-- and checked by koers-domain.

CREATE TABLE risk_models (
    id INTEGER NOT NULL PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES organisations(id),
    number INTEGER NOT NULL CHECK (number > 0),
    model TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    created_by TEXT NOT NULL,
    UNIQUE (organisation_id, id),
    UNIQUE (organisation_id, number)
);

CREATE TABLE risk_analyses (
    id INTEGER NOT NULL PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES organisations(id),
    task_field_id INTEGER NOT NULL,
    number INTEGER NOT NULL CHECK (number > 0),
    risk_model_id INTEGER NOT NULL,
    kans INTEGER NOT NULL CHECK (kans BETWEEN 1 AND 5),
    effects TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    created_by TEXT NOT NULL,
    UNIQUE (organisation_id, id),
    UNIQUE (organisation_id, task_field_id, number),
    FOREIGN KEY (organisation_id, task_field_id) REFERENCES task_fields(organisation_id, id),
    FOREIGN KEY (organisation_id, risk_model_id) REFERENCES risk_models(organisation_id, id)
);

CREATE TABLE lhs_matrices (
    id INTEGER NOT NULL PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES organisations(id),
    number INTEGER NOT NULL CHECK (number > 0),
    cells TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    created_by TEXT NOT NULL,
    UNIQUE (organisation_id, id),
    UNIQUE (organisation_id, number)
);
