-- Login throttling and the security log.
-- login_attempts counted failures per e-mail address with a separate count and insert, so
-- parallel attempts slipped past the limit. login_throttle keeps one counter row per key (a
-- hash of the address, of the client address, or of both), raised by a single upsert.
DROP TABLE login_attempts;

CREATE TABLE login_throttle (
    key TEXT PRIMARY KEY,
    window_start BIGINT NOT NULL,
    failures BIGINT NOT NULL
);
CREATE INDEX login_throttle_window ON login_throttle(window_start);

-- Logins, failed logins and lockouts, for the beheerder of the organisation the account
-- belongs to. Attempts on unknown addresses have no organisation.
CREATE TABLE security_events (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id BIGINT REFERENCES organisations(id),
    at BIGINT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('login', 'mislukt', 'geblokkeerd', 'uitgelogd')),
    email TEXT NOT NULL,
    client_address TEXT NOT NULL
);
CREATE INDEX security_events_org ON security_events(organisation_id, at);
-- A counter per organisation that every change raises in its own transaction (see Tx::audit).
-- Readers compare it with the revision of a cached read model: equal means nothing changed,
-- also when the change was made by another Koers instance on the same database.

ALTER TABLE organisations ADD COLUMN revision BIGINT NOT NULL DEFAULT 0;
