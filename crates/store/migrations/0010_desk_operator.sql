-- Who works at this desk, named in Settings: the audit log records their
-- name as the actor of every write made here. Until sign-in arrives with
-- sync, it is the desk's one user; blank means "front desk".
ALTER TABLE desk ADD COLUMN operator_name TEXT
    CHECK (operator_name IS NULL OR length(trim(operator_name)) BETWEEN 1 AND 80);
