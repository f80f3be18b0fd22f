-- 0003: the audit log is append-only; indexes for sessions, rate limits and
-- the audit log's readers.
--
-- Sections marked "-- dialect: sqlite" or "-- dialect: postgresql" are kept
-- only for that engine by the migrator; "-- dialect: all" returns to SQL
-- common to both. The triggers refuse every UPDATE and DELETE (and, on
-- PostgreSQL, TRUNCATE) of audit rows; the hash chain (src/service/audit.h)
-- reveals changes made by someone who drops them.

CREATE INDEX audit_at ON audit (at);
CREATE INDEX audit_actor ON audit (actor);
CREATE INDEX audit_object ON audit (object);
CREATE INDEX session_expires ON session (expires_at);
CREATE INDEX rate_limit_window ON rate_limit (window_start);

-- dialect: sqlite
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN
	SELECT RAISE(ABORT, 'audit log is append-only');
END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN
	SELECT RAISE(ABORT, 'audit log is append-only');
END;

-- dialect: postgresql
CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'audit log is append-only' USING ERRCODE = 'integrity_constraint_violation';
END;
$$;
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
	FOR EACH ROW EXECUTE FUNCTION audit_append_only();
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
	FOR EACH ROW EXECUTE FUNCTION audit_append_only();
CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit
	FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();

-- dialect: all
