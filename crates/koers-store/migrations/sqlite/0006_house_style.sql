-- The organisation's house style and its own wording of the council letter. The PostgreSQL
-- folder makes the same changes.
--
-- 1. house_styles holds at most one row per organisation; no row means Koers' defaults (see
--    `house_style.rs`), so an organisation that never opened the page still gets documents.
--    Signatories are a JSON array of {name, function}: at most four, always read and written
--    together with the rest of the row. The logo is kept as the bytes that were uploaded
--    (checked to be a PNG or a safe SVG of at most 1 MB before it gets here).
-- 2. letter_templates holds the template text; no row means the standard wording, so
--    "Standaardtekst herstellen" deletes the row and the organisation follows Koers' wording
--    again when it improves.

CREATE TABLE house_styles (
    organisation_id INTEGER NOT NULL PRIMARY KEY REFERENCES organisations(id),
    team TEXT NOT NULL,
    colour TEXT NOT NULL,
    sender TEXT NOT NULL,
    addressee TEXT NOT NULL,
    signatories TEXT NOT NULL,
    logo_kind TEXT CHECK (logo_kind IN ('png', 'svg')),
    logo BLOB,
    version INTEGER NOT NULL DEFAULT 1,
    CHECK ((logo_kind IS NULL) = (logo IS NULL))
);

CREATE TABLE letter_templates (
    organisation_id INTEGER NOT NULL PRIMARY KEY REFERENCES organisations(id),
    text TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
