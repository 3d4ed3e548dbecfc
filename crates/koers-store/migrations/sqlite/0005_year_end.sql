-- Closing the year: the evaluation of a programme, adoption of programmes and evaluations by the
-- college, and frozen versions of what was adopted. The PostgreSQL folder makes the same changes.
--
-- 1. Progress statuses are for during the year. "Doorgeschoven" is how a year ends, so it moves
--    to the evaluation's outcome. Earlier entries with it become "vertraagd" (the work was not
--    done when reported) and the action's evaluation records "doorgeschoven" with a reason that
--    says where it came from. This is the one change ever made to progress_entries, so its
--    append-only guard is lifted for this statement only and restored right after.
-- 2. Programmes and evaluations go concept → ter_vaststelling → vastgesteld → ter_kennisname.
--    A programme that said "vastgesteld" before had no decision on record and no frozen version;
--    it goes back to "ter_vaststelling", so the decision is recorded and the version frozen.
-- 3. frozen_versions holds the canonical JSON of what the college adopted and its SHA-256. It
--    is append-only like audit_log: the database refuses to change or remove a frozen version.
-- 4. An action has at most one successor: carrying over twice never makes two actions.

ALTER TABLE programmes ADD COLUMN decided_on DATE;
ALTER TABLE programmes ADD COLUMN decision_reference TEXT NOT NULL DEFAULT '';
ALTER TABLE programmes ADD COLUMN council_letter_number TEXT NOT NULL DEFAULT '';
ALTER TABLE programmes ADD COLUMN council_letter_date DATE;
UPDATE programmes SET status = 'ter_vaststelling' WHERE status = 'vastgesteld';

CREATE TABLE evaluations (
    id INTEGER NOT NULL PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES organisations(id),
    programme_id INTEGER NOT NULL,
    conclusions TEXT NOT NULL DEFAULT '',
    trends TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'concept',
    decided_on DATE,
    decision_reference TEXT NOT NULL DEFAULT '',
    council_letter_number TEXT NOT NULL DEFAULT '',
    council_letter_date DATE,
    version INTEGER NOT NULL DEFAULT 1,
    UNIQUE (programme_id),
    UNIQUE (organisation_id, id),
    FOREIGN KEY (organisation_id, programme_id) REFERENCES programmes(organisation_id, id)
);

-- The outcome of one action at the end of its year.
CREATE TABLE action_evaluations (
    organisation_id INTEGER NOT NULL REFERENCES organisations(id),
    action_id INTEGER NOT NULL PRIMARY KEY,
    outcome TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    achieved TEXT NOT NULL DEFAULT '',
    lesson TEXT NOT NULL DEFAULT '',
    evaluated_by TEXT NOT NULL,
    evaluated_at TIMESTAMP NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    FOREIGN KEY (organisation_id, action_id) REFERENCES actions(organisation_id, id)
);

CREATE TABLE theme_conclusions (
    organisation_id INTEGER NOT NULL REFERENCES organisations(id),
    evaluation_id INTEGER NOT NULL,
    theme_id INTEGER NOT NULL,
    conclusion TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (evaluation_id, theme_id),
    FOREIGN KEY (organisation_id, evaluation_id) REFERENCES evaluations(organisation_id, id),
    FOREIGN KEY (organisation_id, theme_id) REFERENCES themes(organisation_id, id)
);

-- "Aandachtspunten voor volgend jaar". The next year's evaluation says how each one went
-- (follow_up), so the point and its answer stay together.
CREATE TABLE attention_points (
    id INTEGER NOT NULL PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES organisations(id),
    evaluation_id INTEGER NOT NULL,
    position INTEGER NOT NULL,
    text TEXT NOT NULL,
    follow_up TEXT NOT NULL DEFAULT '',
    version INTEGER NOT NULL DEFAULT 1,
    UNIQUE (organisation_id, id),
    FOREIGN KEY (organisation_id, evaluation_id) REFERENCES evaluations(organisation_id, id)
);
CREATE INDEX attention_points_evaluation ON attention_points(organisation_id, evaluation_id);

-- What the college adopted, as canonical JSON (sorted keys, no whitespace) and its SHA-256 in
-- lowercase hex. kind is 'programma' or 'evaluatie'; number counts the adoptions of that
-- document (an amended programme adopted again is number 2).
CREATE TABLE frozen_versions (
    id INTEGER NOT NULL PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES organisations(id),
    programme_id INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('programma', 'evaluatie')),
    number INTEGER NOT NULL,
    decided_on DATE NOT NULL,
    decision_reference TEXT NOT NULL,
    content TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    frozen_at TIMESTAMP NOT NULL,
    frozen_by TEXT NOT NULL,
    UNIQUE (organisation_id, programme_id, kind, number),
    FOREIGN KEY (organisation_id, programme_id) REFERENCES programmes(organisation_id, id)
);
CREATE TRIGGER frozen_versions_no_update BEFORE UPDATE ON frozen_versions
BEGIN SELECT RAISE(ABORT, 'frozen_versions cannot be changed'); END;
CREATE TRIGGER frozen_versions_no_delete BEFORE DELETE ON frozen_versions
BEGIN SELECT RAISE(ABORT, 'frozen_versions cannot be changed'); END;
CREATE TRIGGER frozen_versions_no_overwrite BEFORE INSERT ON frozen_versions
WHEN EXISTS (SELECT 1 FROM frozen_versions WHERE id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'frozen_versions cannot be changed'); END;

CREATE UNIQUE INDEX actions_one_successor ON actions(predecessor_id);

-- 1. Progress "doorgeschoven" → "vertraagd", and the outcome moves to the evaluation.
INSERT INTO evaluations (organisation_id, programme_id)
SELECT DISTINCT a.organisation_id, a.programme_id FROM actions a
WHERE a.status = 'doorgeschoven'
  AND NOT EXISTS (SELECT 1 FROM evaluations e WHERE e.programme_id = a.programme_id);
INSERT INTO action_evaluations (organisation_id, action_id, outcome, reason, evaluated_by, evaluated_at)
SELECT a.organisation_id, a.id, 'doorgeschoven',
       'Overgenomen uit de laatste voortgangsmelding, die "doorgeschoven" meldde.',
       'Koers (bijwerking naar versie 5)', CURRENT_TIMESTAMP
FROM actions a WHERE a.status = 'doorgeschoven';
UPDATE actions SET status = 'vertraagd' WHERE status = 'doorgeschoven';
DROP TRIGGER progress_no_update;
UPDATE progress_entries SET status = 'vertraagd' WHERE status = 'doorgeschoven';
CREATE TRIGGER progress_no_update BEFORE UPDATE ON progress_entries
BEGIN SELECT RAISE(ABORT, 'progress_entries is append-only'); END;
