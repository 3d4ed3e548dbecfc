-- The council packages (raadspakketten) of adopted programmes; see the SQLite folder's 0007 for
-- why. Append-only like frozen_versions: row triggers refuse UPDATE and DELETE, a statement
-- trigger TRUNCATE, and an INSERT may not reuse an id.
CREATE TABLE council_packages (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    programme_id BIGINT NOT NULL,
    format TEXT NOT NULL CHECK (format IN ('pdf', 'odt', 'docx', 'html')),
    sha256 TEXT NOT NULL,
    size BIGINT NOT NULL,
    bytes BYTEA NOT NULL,
    programme_version BIGINT NOT NULL,
    evaluation_version BIGINT,
    created_at TIMESTAMPTZ NOT NULL,
    created_by TEXT NOT NULL,
    UNIQUE (organisation_id, programme_id, format, sha256),
    FOREIGN KEY (organisation_id, programme_id) REFERENCES programmes(organisation_id, id)
);
CREATE TRIGGER council_packages_append_only BEFORE UPDATE OR DELETE ON council_packages
    FOR EACH ROW EXECUTE FUNCTION koers_refuse_change();
CREATE TRIGGER council_packages_no_truncate BEFORE TRUNCATE ON council_packages
    FOR EACH STATEMENT EXECUTE FUNCTION koers_refuse_change();
CREATE TRIGGER council_packages_no_overwrite BEFORE INSERT ON council_packages
    FOR EACH ROW EXECUTE FUNCTION koers_refuse_overwrite();
