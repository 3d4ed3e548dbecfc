-- The risk models, risk analyses and LHS matrices are versioned configuration (migration 0010):
-- a save adds the next version and an analysis keeps the model version it was scored with. Until
-- now only Koers' own code kept earlier versions unchanged. From here the database refuses to
-- change or remove a version too, with the same guards as the audit log and the council packages,
-- so that "this analysis was made with model 3" stays true whatever writes to the database. The
-- PostgreSQL folder makes the same change.

CREATE TRIGGER risk_models_no_update BEFORE UPDATE ON risk_models
BEGIN SELECT RAISE(ABORT, 'risk_models is append-only'); END;
CREATE TRIGGER risk_models_no_delete BEFORE DELETE ON risk_models
BEGIN SELECT RAISE(ABORT, 'risk_models is append-only'); END;
CREATE TRIGGER risk_models_no_overwrite BEFORE INSERT ON risk_models
WHEN EXISTS (SELECT 1 FROM risk_models WHERE id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'risk_models is append-only'); END;

CREATE TRIGGER risk_analyses_no_update BEFORE UPDATE ON risk_analyses
BEGIN SELECT RAISE(ABORT, 'risk_analyses is append-only'); END;
CREATE TRIGGER risk_analyses_no_delete BEFORE DELETE ON risk_analyses
BEGIN SELECT RAISE(ABORT, 'risk_analyses is append-only'); END;
CREATE TRIGGER risk_analyses_no_overwrite BEFORE INSERT ON risk_analyses
WHEN EXISTS (SELECT 1 FROM risk_analyses WHERE id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'risk_analyses is append-only'); END;

CREATE TRIGGER lhs_matrices_no_update BEFORE UPDATE ON lhs_matrices
BEGIN SELECT RAISE(ABORT, 'lhs_matrices is append-only'); END;
CREATE TRIGGER lhs_matrices_no_delete BEFORE DELETE ON lhs_matrices
BEGIN SELECT RAISE(ABORT, 'lhs_matrices is append-only'); END;
CREATE TRIGGER lhs_matrices_no_overwrite BEFORE INSERT ON lhs_matrices
WHEN EXISTS (SELECT 1 FROM lhs_matrices WHERE id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'lhs_matrices is append-only'); END;
