-- Capacity per subteam (PostgreSQL): the same change as the SQLite folder, which explains it.

CREATE TABLE task_field_years (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    task_field_id BIGINT NOT NULL,
    year BIGINT NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    planned_volume BIGINT NOT NULL CHECK (planned_volume BETWEEN 0 AND 100000),
    realised_volume_q1 BIGINT CHECK (realised_volume_q1 BETWEEN 0 AND 100000),
    realised_volume_q2 BIGINT CHECK (realised_volume_q2 BETWEEN 0 AND 100000),
    realised_volume_q3 BIGINT CHECK (realised_volume_q3 BETWEEN 0 AND 100000),
    realised_volume_q4 BIGINT CHECK (realised_volume_q4 BETWEEN 0 AND 100000),
    realised_hours_q1 BIGINT CHECK (realised_hours_q1 BETWEEN 0 AND 100000),
    realised_hours_q2 BIGINT CHECK (realised_hours_q2 BETWEEN 0 AND 100000),
    realised_hours_q3 BIGINT CHECK (realised_hours_q3 BETWEEN 0 AND 100000),
    realised_hours_q4 BIGINT CHECK (realised_hours_q4 BETWEEN 0 AND 100000),
    decided BIGINT CHECK (decided BETWEEN 0 AND 100000),
    decided_in_term BIGINT CHECK (decided_in_term BETWEEN 0 AND 100000),
    version BIGINT NOT NULL DEFAULT 1,
    CHECK (decided_in_term IS NULL OR (decided IS NOT NULL AND decided_in_term <= decided)),
    UNIQUE (organisation_id, id),
    UNIQUE (organisation_id, task_field_id, year),
    FOREIGN KEY (organisation_id, task_field_id) REFERENCES task_fields(organisation_id, id)
);

CREATE TABLE capacity_settings (
    organisation_id BIGINT NOT NULL PRIMARY KEY REFERENCES organisations(id),
    productive_hours_per_fte BIGINT NOT NULL CHECK (productive_hours_per_fte BETWEEN 1 AND 2000),
    overhead_percent BIGINT NOT NULL CHECK (overhead_percent BETWEEN 0 AND 90),
    version BIGINT NOT NULL DEFAULT 1
);

ALTER TABLE action_subteams ADD COLUMN share_percent BIGINT NOT NULL DEFAULT 0
    CHECK (share_percent BETWEEN 0 AND 100);
