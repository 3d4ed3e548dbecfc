-- The council packages (raadspakketten) of adopted programmes, as the files that were handed out.
-- The PostgreSQL folder makes the same changes.
--
-- A package of a year whose programme is adopted is built from the frozen versions, so the same
-- versions give the same file. Each file is kept once per format and SHA-256 (rendering it again
-- adds nothing), with the numbers of the frozen versions it was built from. Like
-- frozen_versions, the table is append-only: the database refuses to change or remove a file.
CREATE TABLE council_packages (
    id INTEGER NOT NULL PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES organisations(id),
    programme_id INTEGER NOT NULL,
    format TEXT NOT NULL CHECK (format IN ('pdf', 'odt', 'docx', 'html')),
    sha256 TEXT NOT NULL,
    size INTEGER NOT NULL,
    bytes BLOB NOT NULL,
    programme_version INTEGER NOT NULL,
    evaluation_version INTEGER,
    created_at TIMESTAMP NOT NULL,
    created_by TEXT NOT NULL,
    UNIQUE (organisation_id, programme_id, format, sha256),
    FOREIGN KEY (organisation_id, programme_id) REFERENCES programmes(organisation_id, id)
);
CREATE TRIGGER council_packages_no_update BEFORE UPDATE ON council_packages
BEGIN SELECT RAISE(ABORT, 'council_packages is append-only'); END;
CREATE TRIGGER council_packages_no_delete BEFORE DELETE ON council_packages
BEGIN SELECT RAISE(ABORT, 'council_packages is append-only'); END;
CREATE TRIGGER council_packages_no_overwrite BEFORE INSERT ON council_packages
WHEN EXISTS (SELECT 1 FROM council_packages WHERE id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'council_packages is append-only'); END;
