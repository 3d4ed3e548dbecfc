-- Search across all years (issue 10): a full-text index over every action's code, title,
-- description, intended result and progress notes. The PostgreSQL folder builds the same index
-- its own way (a tsvector with the Dutch configuration and a GIN index).
--
-- SQLite: an FTS5 table whose rowid is the action's id. The column `tenant` holds one token per
-- organisation ("o" + id) so that a search reads only its own organisation's entries; the
-- search query still joins `actions` on organisation_id, which is what scopes it. Triggers keep
-- the index in step inside the writing transaction: a new or edited action, and a new progress
-- entry (progress is append-only, so its notes are only ever added). Actions are never deleted;
-- were one deleted, its entry would be skipped by the join with `actions`.
-- The schema comparison between the dialects leaves out the `action_search` tables (each dialect
-- stores its index differently) but compares the triggers below, which both dialects have.

CREATE VIRTUAL TABLE action_search USING fts5(
    tenant,
    code,
    title,
    body,
    progress,
    tokenize = 'unicode61 remove_diacritics 2'
);

INSERT INTO action_search (rowid, tenant, code, title, body, progress)
SELECT a.id, 'o' || a.organisation_id, a.code, a.title,
       a.description || ' ' || a.intended_result,
       COALESCE((SELECT group_concat(p.note, ' ') FROM progress_entries p
                 WHERE p.organisation_id = a.organisation_id AND p.action_id = a.id), '')
FROM actions a;

CREATE TRIGGER search_action_insert AFTER INSERT ON actions
BEGIN
    INSERT INTO action_search (rowid, tenant, code, title, body, progress)
    VALUES (NEW.id, 'o' || NEW.organisation_id, NEW.code, NEW.title,
            NEW.description || ' ' || NEW.intended_result, '');
END;

CREATE TRIGGER search_action_edit AFTER UPDATE OF code, title, description, intended_result ON actions
BEGIN
    UPDATE action_search
    SET code = NEW.code, title = NEW.title, body = NEW.description || ' ' || NEW.intended_result
    WHERE rowid = NEW.id;
END;

CREATE TRIGGER search_progress_insert AFTER INSERT ON progress_entries
BEGIN
    UPDATE action_search SET progress = progress || ' ' || NEW.note WHERE rowid = NEW.action_id;
END;
