-- API keys: a user creates them for scripts and other systems; each acts with its owner's role.
-- Only the SHA-256 of the key is stored.
CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES organisations(id),
    user_id INTEGER NOT NULL REFERENCES users(id),
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    revoked BOOLEAN NOT NULL DEFAULT 0
);
CREATE INDEX api_tokens_user ON api_tokens(organisation_id, user_id);
