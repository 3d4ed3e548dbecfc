-- VTH task fields (taakvelden): the recurring work of permits, supervision and enforcement that
-- takes most of a subteam's hours, such as "omgevingsvergunning bouwen" or "klachten en
-- meldingen". The PostgreSQL folder makes the same change.
--
-- A task field is catalogue data of the organisation, like a subteam: it is retired rather than
-- deleted once a year's figures or a risk analysis refer to it. The norm is kept in hundredths of
-- an hour per unit (1.5 hours = 150), as FTE is, so that sums stay exact. The legal decision term
-- is in weeks, as the law states it; NULL where no term applies (supervision, complaints).
-- Per-year volumes, capacity and the risk analysis have tables of their own in later migrations.

CREATE TABLE task_fields (
    id INTEGER NOT NULL PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES organisations(id),
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    discipline TEXT NOT NULL CHECK (discipline IN ('V', 'T', 'H')),
    lead_subteam_id INTEGER NOT NULL,
    unit TEXT NOT NULL,
    norm_hundredths INTEGER NOT NULL CHECK (norm_hundredths > 0),
    decision_term_weeks INTEGER CHECK (decision_term_weeks IS NULL OR decision_term_weeks > 0),
    description TEXT NOT NULL DEFAULT '',
    position INTEGER NOT NULL,
    retired BOOLEAN NOT NULL DEFAULT 0,
    version INTEGER NOT NULL DEFAULT 1,
    UNIQUE (organisation_id, id),
    UNIQUE (organisation_id, code),
    FOREIGN KEY (organisation_id, lead_subteam_id) REFERENCES subteams(organisation_id, id)
);

CREATE INDEX task_fields_org ON task_fields(organisation_id, position);
