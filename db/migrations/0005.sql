-- 0005: signed documents -- the centre's Ed25519 signing keys and the
-- register of every document issued (forms now, electronic results later),
-- so that a document can be verified by its file or by its code
-- (src/doc/documents.h, docs/documents.md).
--
-- signing_key holds the private key (the 32-byte Ed25519 seed, hex) in the
-- database, so that every node of a PostgreSQL deployment signs with the
-- same current key and a rotation is one transaction seen by all nodes.
-- Exactly one key is current (a partial unique index); a rotated key stays,
-- retired, so that what it signed stays verifiable. Keys and issued
-- documents are never deleted, and a key's material never changes (the
-- triggers below refuse it).

CREATE TABLE signing_key (
	id TEXT PRIMARY KEY,                 -- 16 hex digits: SHA-256(public key), first 8 bytes
	public_key TEXT NOT NULL UNIQUE,     -- Ed25519 public key, 64 hex digits
	seed TEXT NOT NULL,                  -- Ed25519 seed (the private key), 64 hex digits
	current INTEGER NOT NULL CHECK (current IN (0, 1)),
	created_at BIGINT NOT NULL,
	created_by TEXT NOT NULL,            -- audit actor text of whoever made it
	retired_at BIGINT                    -- when a rotation replaced it
);
CREATE UNIQUE INDEX signing_key_current ON signing_key (current) WHERE current = 1;

CREATE TABLE issued_document (
	code TEXT PRIMARY KEY,               -- verification code XXXX-XXXX-XXXX printed on it
	kind TEXT NOT NULL CHECK (kind IN ('form', 'result')),
	form TEXT NOT NULL,                  -- receipt, supplement, refusal, apology, stop, control,
	                                     -- tracking_book (for results: the result's name)
	form_set TEXT,                       -- '2018' (Circular 01/2018), '2025' (Circular 03/2025)
	dossier_id TEXT REFERENCES dossier (id),
	unit_code TEXT REFERENCES unit (code),  -- the issuing unit (the branch of a tracking book)
	period_from INTEGER,                 -- a tracking book's period, days since 1970-01-01
	period_to INTEGER,
	sha256 TEXT NOT NULL,                -- of the signed bytes, 64 hex digits
	bytes BIGINT NOT NULL,
	key_id TEXT NOT NULL REFERENCES signing_key (id),
	signature TEXT NOT NULL,             -- Ed25519, 128 hex digits
	issued_at BIGINT NOT NULL,
	issued_by TEXT NOT NULL              -- audit actor text of whoever asked for it
);
CREATE INDEX issued_document_dossier ON issued_document (dossier_id, issued_at);
CREATE INDEX issued_document_sha256 ON issued_document (sha256);

-- The tracking book lists a branch's dossiers by legal reception instant.
CREATE INDEX dossier_received ON dossier (receiving_unit, received_at);

-- dialect: sqlite
CREATE TRIGGER signing_key_no_delete BEFORE DELETE ON signing_key
BEGIN
	SELECT RAISE(ABORT, 'signing keys are kept');
END;
CREATE TRIGGER signing_key_fixed BEFORE UPDATE OF id, public_key, seed, created_at ON signing_key
BEGIN
	SELECT RAISE(ABORT, 'a signing key does not change');
END;
CREATE TRIGGER issued_document_no_update BEFORE UPDATE ON issued_document
BEGIN
	SELECT RAISE(ABORT, 'the register of issued documents is append-only');
END;
CREATE TRIGGER issued_document_no_delete BEFORE DELETE ON issued_document
BEGIN
	SELECT RAISE(ABORT, 'the register of issued documents is append-only');
END;

-- dialect: postgresql
CREATE FUNCTION documents_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION '% is kept unchanged', TG_TABLE_NAME USING ERRCODE = 'integrity_constraint_violation';
END;
$$;
CREATE TRIGGER signing_key_no_delete BEFORE DELETE ON signing_key
	FOR EACH ROW EXECUTE FUNCTION documents_refuse();
CREATE TRIGGER signing_key_fixed BEFORE UPDATE OF id, public_key, seed, created_at ON signing_key
	FOR EACH ROW EXECUTE FUNCTION documents_refuse();
CREATE TRIGGER issued_document_no_update BEFORE UPDATE ON issued_document
	FOR EACH ROW EXECUTE FUNCTION documents_refuse();
CREATE TRIGGER issued_document_no_delete BEFORE DELETE ON issued_document
	FOR EACH ROW EXECUTE FUNCTION documents_refuse();
CREATE TRIGGER signing_key_no_truncate BEFORE TRUNCATE ON signing_key
	FOR EACH STATEMENT EXECUTE FUNCTION documents_refuse();
CREATE TRIGGER issued_document_no_truncate BEFORE TRUNCATE ON issued_document
	FOR EACH STATEMENT EXECUTE FUNCTION documents_refuse();

-- dialect: all
