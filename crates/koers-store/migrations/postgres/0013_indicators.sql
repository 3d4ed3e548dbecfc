-- Indicators (PostgreSQL): the same change as the SQLite folder, which explains it.

CREATE TABLE indicators (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    name TEXT NOT NULL,
    unit TEXT NOT NULL,
    direction TEXT NOT NULL CHECK (direction IN ('hoger', 'lager')),
    baseline_milli BIGINT,
    baseline_year BIGINT,
    description TEXT NOT NULL DEFAULT '',
    version BIGINT NOT NULL DEFAULT 1,
    UNIQUE (organisation_id, id),
    UNIQUE (organisation_id, name),
    CHECK ((baseline_milli IS NULL) = (baseline_year IS NULL))
);

CREATE TABLE indicator_targets (
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    indicator_id BIGINT NOT NULL,
    year BIGINT NOT NULL,
    value_milli BIGINT NOT NULL,
    PRIMARY KEY (organisation_id, indicator_id, year),
    FOREIGN KEY (organisation_id, indicator_id) REFERENCES indicators(organisation_id, id)
);

CREATE TABLE indicator_measurements (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    indicator_id BIGINT NOT NULL,
    measured_on DATE NOT NULL,
    value_milli BIGINT NOT NULL,
    source TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    UNIQUE (organisation_id, id),
    FOREIGN KEY (organisation_id, indicator_id) REFERENCES indicators(organisation_id, id)
);

CREATE INDEX indicator_measurements_indicator
    ON indicator_measurements(organisation_id, indicator_id, measured_on);

CREATE TABLE indicator_ambitions (
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    indicator_id BIGINT NOT NULL,
    ambition_id BIGINT NOT NULL,
    PRIMARY KEY (organisation_id, indicator_id, ambition_id),
    FOREIGN KEY (organisation_id, indicator_id) REFERENCES indicators(organisation_id, id),
    FOREIGN KEY (organisation_id, ambition_id) REFERENCES ambitions(organisation_id, id)
);
