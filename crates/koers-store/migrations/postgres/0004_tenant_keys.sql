-- Tenant foreign keys and complete append-only guards (PostgreSQL). The SQLite folder makes the
-- same changes by rebuilding its tables.
--
-- 1. Every reference from one table with organisation data to another includes the organisation:
--    (organisation_id, x_id) REFERENCES t(organisation_id, id), backed by UNIQUE (organisation_id,
--    id) on t, so the database itself refuses a reference to another organisation's row.
--    users.subteam_id gets its foreign key, and audit_log.user_id one too. A composite key with
--    a NULL column is not checked (MATCH SIMPLE), so optional references stay optional.
-- 2. TRUNCATE progress_entries is refused, as TRUNCATE audit_log already was.
-- 3. Both append-only tables refuse an insert whose id already exists, as on SQLite (where it
--    closes REPLACE). Here INSERT ... ON CONFLICT DO UPDATE is also refused by the UPDATE trigger.

ALTER TABLE plans ADD CONSTRAINT plans_organisation_id_id_key UNIQUE (organisation_id, id);
ALTER TABLE domains ADD CONSTRAINT domains_organisation_id_id_key UNIQUE (organisation_id, id);
ALTER TABLE themes ADD CONSTRAINT themes_organisation_id_id_key UNIQUE (organisation_id, id);
ALTER TABLE ambitions ADD CONSTRAINT ambitions_organisation_id_id_key UNIQUE (organisation_id, id);
ALTER TABLE opgaven ADD CONSTRAINT opgaven_organisation_id_id_key UNIQUE (organisation_id, id);
ALTER TABLE subteams ADD CONSTRAINT subteams_organisation_id_id_key UNIQUE (organisation_id, id);
ALTER TABLE partners ADD CONSTRAINT partners_organisation_id_id_key UNIQUE (organisation_id, id);
ALTER TABLE users ADD CONSTRAINT users_organisation_id_id_key UNIQUE (organisation_id, id);
ALTER TABLE programmes ADD CONSTRAINT programmes_organisation_id_id_key UNIQUE (organisation_id, id);
ALTER TABLE actions ADD CONSTRAINT actions_organisation_id_id_key UNIQUE (organisation_id, id);

ALTER TABLE domains
    DROP CONSTRAINT domains_parent_id_fkey,
    ADD CONSTRAINT domains_parent_fkey FOREIGN KEY (organisation_id, parent_id)
        REFERENCES plans (organisation_id, id);
ALTER TABLE themes
    DROP CONSTRAINT themes_parent_id_fkey,
    ADD CONSTRAINT themes_parent_fkey FOREIGN KEY (organisation_id, parent_id)
        REFERENCES domains (organisation_id, id);
ALTER TABLE ambitions
    DROP CONSTRAINT ambitions_parent_id_fkey,
    ADD CONSTRAINT ambitions_parent_fkey FOREIGN KEY (organisation_id, parent_id)
        REFERENCES themes (organisation_id, id);
ALTER TABLE users
    ADD CONSTRAINT users_subteam_fkey FOREIGN KEY (organisation_id, subteam_id)
        REFERENCES subteams (organisation_id, id);
ALTER TABLE sessions
    DROP CONSTRAINT sessions_user_id_fkey,
    ADD CONSTRAINT sessions_user_fkey FOREIGN KEY (organisation_id, user_id)
        REFERENCES users (organisation_id, id);
ALTER TABLE opgave_participation
    DROP CONSTRAINT opgave_participation_opgave_id_fkey,
    ADD CONSTRAINT opgave_participation_opgave_fkey FOREIGN KEY (organisation_id, opgave_id)
        REFERENCES opgaven (organisation_id, id);
ALTER TABLE subteam_capacity
    DROP CONSTRAINT subteam_capacity_subteam_id_fkey,
    ADD CONSTRAINT subteam_capacity_subteam_fkey FOREIGN KEY (organisation_id, subteam_id)
        REFERENCES subteams (organisation_id, id);
ALTER TABLE actions
    DROP CONSTRAINT actions_programme_id_fkey,
    DROP CONSTRAINT actions_theme_id_fkey,
    DROP CONSTRAINT actions_ambition_id_fkey,
    DROP CONSTRAINT actions_lead_subteam_id_fkey,
    DROP CONSTRAINT actions_predecessor_id_fkey,
    ADD CONSTRAINT actions_programme_fkey FOREIGN KEY (organisation_id, programme_id)
        REFERENCES programmes (organisation_id, id),
    ADD CONSTRAINT actions_theme_fkey FOREIGN KEY (organisation_id, theme_id)
        REFERENCES themes (organisation_id, id),
    ADD CONSTRAINT actions_ambition_fkey FOREIGN KEY (organisation_id, ambition_id)
        REFERENCES ambitions (organisation_id, id),
    ADD CONSTRAINT actions_lead_subteam_fkey FOREIGN KEY (organisation_id, lead_subteam_id)
        REFERENCES subteams (organisation_id, id),
    ADD CONSTRAINT actions_predecessor_fkey FOREIGN KEY (organisation_id, predecessor_id)
        REFERENCES actions (organisation_id, id);
ALTER TABLE action_subteams
    DROP CONSTRAINT action_subteams_action_id_fkey,
    DROP CONSTRAINT action_subteams_subteam_id_fkey,
    ADD CONSTRAINT action_subteams_action_fkey FOREIGN KEY (organisation_id, action_id)
        REFERENCES actions (organisation_id, id),
    ADD CONSTRAINT action_subteams_subteam_fkey FOREIGN KEY (organisation_id, subteam_id)
        REFERENCES subteams (organisation_id, id);
ALTER TABLE action_partners
    DROP CONSTRAINT action_partners_action_id_fkey,
    DROP CONSTRAINT action_partners_partner_id_fkey,
    ADD CONSTRAINT action_partners_action_fkey FOREIGN KEY (organisation_id, action_id)
        REFERENCES actions (organisation_id, id),
    ADD CONSTRAINT action_partners_partner_fkey FOREIGN KEY (organisation_id, partner_id)
        REFERENCES partners (organisation_id, id);
ALTER TABLE action_opgaven
    DROP CONSTRAINT action_opgaven_action_id_fkey,
    DROP CONSTRAINT action_opgaven_opgave_id_fkey,
    ADD CONSTRAINT action_opgaven_action_fkey FOREIGN KEY (organisation_id, action_id)
        REFERENCES actions (organisation_id, id),
    ADD CONSTRAINT action_opgaven_opgave_fkey FOREIGN KEY (organisation_id, opgave_id)
        REFERENCES opgaven (organisation_id, id);
ALTER TABLE progress_entries
    DROP CONSTRAINT progress_entries_action_id_fkey,
    DROP CONSTRAINT progress_entries_author_id_fkey,
    ADD CONSTRAINT progress_entries_action_fkey FOREIGN KEY (organisation_id, action_id)
        REFERENCES actions (organisation_id, id),
    ADD CONSTRAINT progress_entries_author_fkey FOREIGN KEY (organisation_id, author_id)
        REFERENCES users (organisation_id, id);
ALTER TABLE audit_log
    ADD CONSTRAINT audit_log_user_fkey FOREIGN KEY (organisation_id, user_id)
        REFERENCES users (organisation_id, id);
ALTER TABLE api_tokens
    DROP CONSTRAINT api_tokens_user_id_fkey,
    ADD CONSTRAINT api_tokens_user_fkey FOREIGN KEY (organisation_id, user_id)
        REFERENCES users (organisation_id, id);

-- Append-only: TRUNCATE skips row triggers, so it needs its own statement trigger.
CREATE TRIGGER progress_no_truncate BEFORE TRUNCATE ON progress_entries
    FOR EACH STATEMENT EXECUTE FUNCTION koers_refuse_change();

CREATE FUNCTION koers_refuse_overwrite() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    taken BOOLEAN;
BEGIN
    EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I.%I WHERE id = $1)', TG_TABLE_SCHEMA, TG_TABLE_NAME)
        INTO taken USING NEW.id;
    IF taken THEN
        RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER audit_log_no_overwrite BEFORE INSERT ON audit_log
    FOR EACH ROW EXECUTE FUNCTION koers_refuse_overwrite();
CREATE TRIGGER progress_no_overwrite BEFORE INSERT ON progress_entries
    FOR EACH ROW EXECUTE FUNCTION koers_refuse_overwrite();
