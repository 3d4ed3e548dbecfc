-- Capacity per subteam: the year figures of the VTH task fields, the organisation's capacity
-- settings and the share of an action's hours that a contributing subteam takes. The
-- PostgreSQL folder makes the same change.
--
-- 1. task_field_years: per task field and year the planned volume (units, such as permit
--    applications), the realised volume and hours per quarter (NULL until reported), and per
--    year how many cases were decided and how many of those within the legal term. Planned
--    hours are never stored: they are volume x norm, computed in koers-domain.
-- 2. capacity_settings: at most one row per organisation; no row means Koers' defaults
--    (1,300 productive hours per FTE, no overhead), version 0.
-- 3. action_subteams.share_percent: the share of the action's planned hours that a
--    contributing subteam takes; the rest stays with the lead subteam. 0 for existing rows.

CREATE TABLE task_field_years (
    id INTEGER NOT NULL PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES organisations(id),
    task_field_id INTEGER NOT NULL,
    year INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    planned_volume INTEGER NOT NULL CHECK (planned_volume BETWEEN 0 AND 100000),
    realised_volume_q1 INTEGER CHECK (realised_volume_q1 BETWEEN 0 AND 100000),
    realised_volume_q2 INTEGER CHECK (realised_volume_q2 BETWEEN 0 AND 100000),
    realised_volume_q3 INTEGER CHECK (realised_volume_q3 BETWEEN 0 AND 100000),
    realised_volume_q4 INTEGER CHECK (realised_volume_q4 BETWEEN 0 AND 100000),
    realised_hours_q1 INTEGER CHECK (realised_hours_q1 BETWEEN 0 AND 100000),
    realised_hours_q2 INTEGER CHECK (realised_hours_q2 BETWEEN 0 AND 100000),
    realised_hours_q3 INTEGER CHECK (realised_hours_q3 BETWEEN 0 AND 100000),
    realised_hours_q4 INTEGER CHECK (realised_hours_q4 BETWEEN 0 AND 100000),
    decided INTEGER CHECK (decided BETWEEN 0 AND 100000),
    decided_in_term INTEGER CHECK (decided_in_term BETWEEN 0 AND 100000),
    version INTEGER NOT NULL DEFAULT 1,
    CHECK (decided_in_term IS NULL OR (decided IS NOT NULL AND decided_in_term <= decided)),
    UNIQUE (organisation_id, id),
    UNIQUE (organisation_id, task_field_id, year),
    FOREIGN KEY (organisation_id, task_field_id) REFERENCES task_fields(organisation_id, id)
);

CREATE TABLE capacity_settings (
    organisation_id INTEGER NOT NULL PRIMARY KEY REFERENCES organisations(id),
    productive_hours_per_fte INTEGER NOT NULL CHECK (productive_hours_per_fte BETWEEN 1 AND 2000),
    overhead_percent INTEGER NOT NULL CHECK (overhead_percent BETWEEN 0 AND 90),
    version INTEGER NOT NULL DEFAULT 1
);

ALTER TABLE action_subteams ADD COLUMN share_percent INTEGER NOT NULL DEFAULT 0
    CHECK (share_percent BETWEEN 0 AND 100);
