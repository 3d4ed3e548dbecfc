-- The house style and the letter template (PostgreSQL): the same changes as the SQLite folder,
-- which explains them.

CREATE TABLE house_styles (
    organisation_id BIGINT NOT NULL PRIMARY KEY REFERENCES organisations(id),
    team TEXT NOT NULL,
    colour TEXT NOT NULL,
    sender TEXT NOT NULL,
    addressee TEXT NOT NULL,
    signatories TEXT NOT NULL,
    logo_kind TEXT CHECK (logo_kind IN ('png', 'svg')),
    logo BYTEA,
    version BIGINT NOT NULL DEFAULT 1,
    CHECK ((logo_kind IS NULL) = (logo IS NULL))
);

CREATE TABLE letter_templates (
    organisation_id BIGINT NOT NULL PRIMARY KEY REFERENCES organisations(id),
    text TEXT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1
);
