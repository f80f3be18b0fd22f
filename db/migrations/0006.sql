-- 0006: stored files -- scans of dossier components and electronic copies of
-- results (src/service/files.h, docs/documents.md "Files").
--
-- A file's bytes are stored once, named by their SHA-256 (stored_file): on
-- the node's disk under files_dir (store = 'disk') or in the database, in
-- chunks (store = 'database', stored_file_chunk), when several nodes share
-- one PostgreSQL. dossier_file links a stored file to a dossier and to the
-- component it satisfies (or marks it as the dossier's electronic result);
-- a reuse is a link to the bytes of another dossier's file, recording which
-- file of which dossier it came from. The file name is what the client sent,
-- cleaned, for display only.

CREATE TABLE stored_file (
	sha256 TEXT PRIMARY KEY,             -- 64 lower-case hex digits
	bytes BIGINT NOT NULL CHECK (bytes > 0),
	media_type TEXT NOT NULL CHECK (media_type IN ('application/pdf', 'image/jpeg', 'image/png')),
	store TEXT NOT NULL CHECK (store IN ('disk', 'database')),
	created_at BIGINT NOT NULL
);

CREATE TABLE dossier_file (
	id TEXT PRIMARY KEY,                 -- 16 hex digits
	dossier_id TEXT NOT NULL REFERENCES dossier (id),
	kind TEXT NOT NULL CHECK (kind IN ('component', 'result')),
	component_seq INTEGER,               -- the component it satisfies (kind component)
	sha256 TEXT NOT NULL REFERENCES stored_file (sha256),
	filename TEXT NOT NULL,              -- display name, cleaned
	media_type TEXT NOT NULL,
	bytes BIGINT NOT NULL,
	uploaded_at BIGINT NOT NULL,
	uploaded_by TEXT NOT NULL,           -- audit actor text
	reused_from_file TEXT REFERENCES dossier_file (id),
	reused_from_dossier TEXT REFERENCES dossier (id),
	CHECK ((kind = 'component' AND component_seq IS NOT NULL) OR
	       (kind = 'result' AND component_seq IS NULL)),
	CHECK ((reused_from_file IS NULL) = (reused_from_dossier IS NULL))
);
CREATE INDEX dossier_file_dossier ON dossier_file (dossier_id, uploaded_at);
CREATE INDEX dossier_file_sha256 ON dossier_file (sha256);

-- dialect: sqlite
CREATE TABLE stored_file_chunk (
	sha256 TEXT NOT NULL REFERENCES stored_file (sha256),
	seq INTEGER NOT NULL,
	data BLOB NOT NULL,
	PRIMARY KEY (sha256, seq)
);

-- dialect: postgresql
CREATE TABLE stored_file_chunk (
	sha256 TEXT NOT NULL REFERENCES stored_file (sha256),
	seq INTEGER NOT NULL,
	data BYTEA NOT NULL,
	PRIMARY KEY (sha256, seq)
);

-- dialect: all
