-- Search across years at scale (issue 10): an index on action_search by organisation.
--
-- Migration 0012 indexed the documents (GIN) but not the organisation. Counting one
-- organisation's hits then read the whole table in a parallel sequential scan: 70–80 ms on 400
-- organisations × 10 years (180,000 documents), growing with every organisation on the server,
-- while that organisation has only some 450 documents. With this index the count reads those
-- (under 1 ms there; see bench/README.md, "Search across years at scale").
--
-- The index starts with the columns of the foreign key to actions, so deleting an action also
-- finds its document through it instead of scanning the table for the cascade.
--
-- SQLite needs no counterpart (its 0016 says why); both folders keep the same version numbers.

CREATE INDEX action_search_organisation ON action_search (organisation_id, action_id);
