-- A counter per organisation that every change raises in its own transaction (see Tx::audit).
-- Readers compare it with the revision of a cached read model: equal means nothing changed,
-- also when the change was made by another Koers instance on the same database.
ALTER TABLE organisations ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;
