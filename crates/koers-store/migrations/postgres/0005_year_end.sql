-- Closing the year (PostgreSQL): the same changes as the SQLite folder, which explains them.

ALTER TABLE programmes
    ADD COLUMN decided_on DATE,
    ADD COLUMN decision_reference TEXT NOT NULL DEFAULT '',
    ADD COLUMN council_letter_number TEXT NOT NULL DEFAULT '',
    ADD COLUMN council_letter_date DATE;
UPDATE programmes SET status = 'ter_vaststelling' WHERE status = 'vastgesteld';

CREATE TABLE evaluations (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    programme_id BIGINT NOT NULL,
    conclusions TEXT NOT NULL DEFAULT '',
    trends TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'concept',
    decided_on DATE,
    decision_reference TEXT NOT NULL DEFAULT '',
    council_letter_number TEXT NOT NULL DEFAULT '',
    council_letter_date DATE,
    version BIGINT NOT NULL DEFAULT 1,
    UNIQUE (programme_id),
    UNIQUE (organisation_id, id),
    FOREIGN KEY (organisation_id, programme_id) REFERENCES programmes(organisation_id, id)
);

CREATE TABLE action_evaluations (
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    action_id BIGINT NOT NULL PRIMARY KEY,
    outcome TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    achieved TEXT NOT NULL DEFAULT '',
    lesson TEXT NOT NULL DEFAULT '',
    evaluated_by TEXT NOT NULL,
    evaluated_at TIMESTAMPTZ NOT NULL,
    version BIGINT NOT NULL DEFAULT 1,
    FOREIGN KEY (organisation_id, action_id) REFERENCES actions(organisation_id, id)
);

CREATE TABLE theme_conclusions (
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    evaluation_id BIGINT NOT NULL,
    theme_id BIGINT NOT NULL,
    conclusion TEXT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1,
    PRIMARY KEY (evaluation_id, theme_id),
    FOREIGN KEY (organisation_id, evaluation_id) REFERENCES evaluations(organisation_id, id),
    FOREIGN KEY (organisation_id, theme_id) REFERENCES themes(organisation_id, id)
);

CREATE TABLE attention_points (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    evaluation_id BIGINT NOT NULL,
    position BIGINT NOT NULL,
    text TEXT NOT NULL,
    follow_up TEXT NOT NULL DEFAULT '',
    version BIGINT NOT NULL DEFAULT 1,
    UNIQUE (organisation_id, id),
    FOREIGN KEY (organisation_id, evaluation_id) REFERENCES evaluations(organisation_id, id)
);
CREATE INDEX attention_points_evaluation ON attention_points(organisation_id, evaluation_id);

CREATE TABLE frozen_versions (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    programme_id BIGINT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('programma', 'evaluatie')),
    number BIGINT NOT NULL,
    decided_on DATE NOT NULL,
    decision_reference TEXT NOT NULL,
    content TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    frozen_at TIMESTAMPTZ NOT NULL,
    frozen_by TEXT NOT NULL,
    UNIQUE (organisation_id, programme_id, kind, number),
    FOREIGN KEY (organisation_id, programme_id) REFERENCES programmes(organisation_id, id)
);
CREATE TRIGGER frozen_versions_append_only BEFORE UPDATE OR DELETE ON frozen_versions
    FOR EACH ROW EXECUTE FUNCTION koers_refuse_change();
CREATE TRIGGER frozen_versions_no_truncate BEFORE TRUNCATE ON frozen_versions
    FOR EACH STATEMENT EXECUTE FUNCTION koers_refuse_change();
CREATE TRIGGER frozen_versions_no_overwrite BEFORE INSERT ON frozen_versions
    FOR EACH ROW EXECUTE FUNCTION koers_refuse_overwrite();

CREATE UNIQUE INDEX actions_one_successor ON actions(predecessor_id);

INSERT INTO evaluations (organisation_id, programme_id)
SELECT DISTINCT a.organisation_id, a.programme_id FROM actions a
WHERE a.status = 'doorgeschoven'
  AND NOT EXISTS (SELECT 1 FROM evaluations e WHERE e.programme_id = a.programme_id);
INSERT INTO action_evaluations (organisation_id, action_id, outcome, reason, evaluated_by, evaluated_at)
SELECT a.organisation_id, a.id, 'doorgeschoven',
       'Overgenomen uit de laatste voortgangsmelding, die "doorgeschoven" meldde.',
       'Koers (bijwerking naar versie 5)', now()
FROM actions a WHERE a.status = 'doorgeschoven';
UPDATE actions SET status = 'vertraagd' WHERE status = 'doorgeschoven';
ALTER TABLE progress_entries DISABLE TRIGGER progress_append_only;
UPDATE progress_entries SET status = 'vertraagd' WHERE status = 'doorgeschoven';
ALTER TABLE progress_entries ENABLE TRIGGER progress_append_only;
