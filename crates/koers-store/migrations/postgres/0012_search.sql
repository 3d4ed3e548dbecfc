-- Search across all years (issue 10): a full-text index over every action's code, title,
-- description, intended result and progress notes, with the Dutch text search configuration
-- (stemming and stop words) and a GIN index. The SQLite folder builds the same index with FTS5.
--
-- One row per action, kept in step by triggers inside the writing transaction: a new or edited
-- action, and a new progress entry (progress is append-only, so its notes are only ever added).
-- The code is indexed by its parts (VTH1-03 as vth1 and 03; PostgreSQL's parser would read
-- -03 as a signed number). Code and title weigh most (A), then description and intended result (B), then progress (C).
-- The schema comparison between the dialects leaves out the `action_search` tables (each dialect
-- stores its index differently) but compares the triggers below, which both dialects have.

CREATE TABLE action_search (
    action_id BIGINT NOT NULL PRIMARY KEY,
    organisation_id BIGINT NOT NULL REFERENCES organisations(id),
    document TSVECTOR NOT NULL,
    FOREIGN KEY (organisation_id, action_id) REFERENCES actions(organisation_id, id) ON DELETE CASCADE
);
CREATE INDEX action_search_document ON action_search USING GIN (document);

CREATE FUNCTION koers_search_document(org BIGINT, action BIGINT) RETURNS void LANGUAGE sql AS $$
    INSERT INTO action_search (action_id, organisation_id, document)
    SELECT a.id, a.organisation_id,
           setweight(to_tsvector('dutch', regexp_replace(a.code, '[^[:alnum:]]+', ' ', 'g') || ' ' || a.title), 'A')
           || setweight(to_tsvector('dutch', a.description || ' ' || a.intended_result), 'B')
           || setweight(to_tsvector('dutch', COALESCE(
                  (SELECT string_agg(p.note, ' ' ORDER BY p.id) FROM progress_entries p
                   WHERE p.organisation_id = a.organisation_id AND p.action_id = a.id), '')), 'C')
    FROM actions a
    WHERE a.organisation_id = org AND a.id = action
    ON CONFLICT (action_id) DO UPDATE SET document = EXCLUDED.document;
$$;

SELECT koers_search_document(a.organisation_id, a.id) FROM actions a;

CREATE FUNCTION koers_search_action() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM koers_search_document(NEW.organisation_id, NEW.id);
    RETURN NULL;
END;
$$;
CREATE TRIGGER search_action_insert AFTER INSERT ON actions
    FOR EACH ROW EXECUTE FUNCTION koers_search_action();
CREATE TRIGGER search_action_edit AFTER UPDATE OF code, title, description, intended_result ON actions
    FOR EACH ROW EXECUTE FUNCTION koers_search_action();

CREATE FUNCTION koers_search_progress() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM koers_search_document(NEW.organisation_id, NEW.action_id);
    RETURN NULL;
END;
$$;
CREATE TRIGGER search_progress_insert AFTER INSERT ON progress_entries
    FOR EACH ROW EXECUTE FUNCTION koers_search_progress();
