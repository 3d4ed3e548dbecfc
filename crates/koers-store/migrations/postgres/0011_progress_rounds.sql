-- Progress rounds (voortgangsrondes) and the reminders sent for them. The PostgreSQL folder
-- makes the same changes.
--
-- 1. progress_rounds: a round of a programme, opened on a date with a deadline, closed later.
--    An action has reported in a round when it has a progress entry dated on or after the
--    opening date (and, once closed, on or before the closing date). At most one round of a
--    programme is open at a time (partial unique index). `reminder_days` holds the moments of
--    the reminders as days relative to the deadline, e.g. "-7,-1,3".
-- 2. round_reminders: one row per (round, moment, recipient), claimed in a transaction before
--    the mail is sent, so that no instance and no restart sends the same reminder twice.
--    `sent_at` is set once the mail server accepted it; `failure` holds why it was not.

CREATE TABLE progress_rounds (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    programme_id BIGINT NOT NULL,
    name TEXT NOT NULL,
    opened_on DATE NOT NULL,
    deadline DATE NOT NULL,
    reminder_days TEXT NOT NULL DEFAULT '',
    closed_on DATE,
    version BIGINT NOT NULL DEFAULT 1,
    UNIQUE (organisation_id, id),
    FOREIGN KEY (organisation_id, programme_id) REFERENCES programmes(organisation_id, id)
);
CREATE UNIQUE INDEX progress_rounds_one_open ON progress_rounds(programme_id) WHERE closed_on IS NULL;

CREATE TABLE round_reminders (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    round_id BIGINT NOT NULL,
    moment BIGINT NOT NULL,
    user_id BIGINT NOT NULL,
    email TEXT NOT NULL,
    missing BIGINT NOT NULL,
    claimed_at TIMESTAMPTZ NOT NULL,
    sent_at TIMESTAMPTZ,
    failure TEXT NOT NULL DEFAULT '',
    UNIQUE (round_id, moment, user_id),
    FOREIGN KEY (organisation_id, round_id) REFERENCES progress_rounds(organisation_id, id),
    FOREIGN KEY (organisation_id, user_id) REFERENCES users(organisation_id, id)
);
