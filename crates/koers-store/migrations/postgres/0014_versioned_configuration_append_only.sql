-- The risk models, risk analyses and LHS matrices are versioned configuration (migration 0010):
-- a save adds the next version and an analysis keeps the model version it was scored with. Until
-- now only Koers' own code kept earlier versions unchanged. From here the database refuses to
-- change or remove a version too, with the same guards as the audit log and the council packages.
-- The SQLite folder makes the same change.

CREATE TRIGGER risk_models_append_only BEFORE UPDATE OR DELETE ON risk_models
    FOR EACH ROW EXECUTE FUNCTION koers_refuse_change();
CREATE TRIGGER risk_models_no_truncate BEFORE TRUNCATE ON risk_models
    FOR EACH STATEMENT EXECUTE FUNCTION koers_refuse_change();
CREATE TRIGGER risk_models_no_overwrite BEFORE INSERT ON risk_models
    FOR EACH ROW EXECUTE FUNCTION koers_refuse_overwrite();

CREATE TRIGGER risk_analyses_append_only BEFORE UPDATE OR DELETE ON risk_analyses
    FOR EACH ROW EXECUTE FUNCTION koers_refuse_change();
CREATE TRIGGER risk_analyses_no_truncate BEFORE TRUNCATE ON risk_analyses
    FOR EACH STATEMENT EXECUTE FUNCTION koers_refuse_change();
CREATE TRIGGER risk_analyses_no_overwrite BEFORE INSERT ON risk_analyses
    FOR EACH ROW EXECUTE FUNCTION koers_refuse_overwrite();

CREATE TRIGGER lhs_matrices_append_only BEFORE UPDATE OR DELETE ON lhs_matrices
    FOR EACH ROW EXECUTE FUNCTION koers_refuse_change();
CREATE TRIGGER lhs_matrices_no_truncate BEFORE TRUNCATE ON lhs_matrices
    FOR EACH STATEMENT EXECUTE FUNCTION koers_refuse_change();
CREATE TRIGGER lhs_matrices_no_overwrite BEFORE INSERT ON lhs_matrices
    FOR EACH ROW EXECUTE FUNCTION koers_refuse_overwrite();
