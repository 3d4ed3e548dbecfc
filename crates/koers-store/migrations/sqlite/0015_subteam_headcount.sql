-- The number of people in a subteam per year, beside its formation in FTE. One person fills at
-- most one full-time job, so the formation is checked against it: 100 FTE in a subteam of five
-- people is a typing error, not a plan. NULL means not filled in (then only the formation's own
-- bound of 500 FTE applies). The PostgreSQL folder makes the same change.
ALTER TABLE subteam_capacity ADD COLUMN persons INTEGER
    CHECK (persons IS NULL OR persons BETWEEN 0 AND 500);
