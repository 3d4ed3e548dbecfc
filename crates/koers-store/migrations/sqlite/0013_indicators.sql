-- Indicators (F6): what the organisation measures to see whether its ambitions are reached,
-- such as "aantal woninginbraken" or "aandeel vergunningen binnen de wettelijke termijn". The
-- PostgreSQL folder makes the same change.
--
-- Values are decimals kept as thousandths in an integer (62,5 % = 62500), so sums and
-- comparisons stay exact on both databases. The baseline is a value with its year, or neither.
-- The direction says whether a higher or a lower value is better. Targets are one per indicator
-- and year and are saved together with the indicator (its version covers them); measurements
-- are added and removed one by one. An indicator serves 0..n ambitions of the plan.

CREATE TABLE indicators (
    id INTEGER NOT NULL PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES organisations(id),
    name TEXT NOT NULL,
    unit TEXT NOT NULL,
    direction TEXT NOT NULL CHECK (direction IN ('hoger', 'lager')),
    baseline_milli INTEGER,
    baseline_year INTEGER,
    description TEXT NOT NULL DEFAULT '',
    version INTEGER NOT NULL DEFAULT 1,
    UNIQUE (organisation_id, id),
    UNIQUE (organisation_id, name),
    CHECK ((baseline_milli IS NULL) = (baseline_year IS NULL))
);

CREATE TABLE indicator_targets (
    organisation_id INTEGER NOT NULL REFERENCES organisations(id),
    indicator_id INTEGER NOT NULL,
    year INTEGER NOT NULL,
    value_milli INTEGER NOT NULL,
    PRIMARY KEY (organisation_id, indicator_id, year),
    FOREIGN KEY (organisation_id, indicator_id) REFERENCES indicators(organisation_id, id)
);

CREATE TABLE indicator_measurements (
    id INTEGER NOT NULL PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES organisations(id),
    indicator_id INTEGER NOT NULL,
    measured_on DATE NOT NULL,
    value_milli INTEGER NOT NULL,
    source TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    UNIQUE (organisation_id, id),
    FOREIGN KEY (organisation_id, indicator_id) REFERENCES indicators(organisation_id, id)
);

CREATE INDEX indicator_measurements_indicator
    ON indicator_measurements(organisation_id, indicator_id, measured_on);

CREATE TABLE indicator_ambitions (
    organisation_id INTEGER NOT NULL REFERENCES organisations(id),
    indicator_id INTEGER NOT NULL,
    ambition_id INTEGER NOT NULL,
    PRIMARY KEY (organisation_id, indicator_id, ambition_id),
    FOREIGN KEY (organisation_id, indicator_id) REFERENCES indicators(organisation_id, id),
    FOREIGN KEY (organisation_id, ambition_id) REFERENCES ambitions(organisation_id, id)
);
