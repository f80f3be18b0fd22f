-- 0002: dossiers, their components and applicants, the process control form
-- (events), ratings and complaints, and the outbox for the national portal.

CREATE TABLE dossier (
	id TEXT PRIMARY KEY,                 -- internal id, immutable from submission
	code TEXT UNIQUE,                    -- dossier code, given on acceptance
	procedure_code TEXT NOT NULL REFERENCES procedure (code),
	state TEXT NOT NULL,
	outcome TEXT CHECK (outcome IN ('granted', 'refused')),
	version INTEGER NOT NULL,            -- +1 at every action (optimistic concurrency)
	channel TEXT NOT NULL CHECK (channel IN ('online', 'counter')),
	receiving_unit TEXT REFERENCES unit (code),
	competent_unit TEXT REFERENCES unit (code),
	competent_chosen_by TEXT,            -- account that chose the competent unit by hand
	collection_unit TEXT REFERENCES unit (code),
	by_post INTEGER NOT NULL DEFAULT 0 CHECK (by_post IN (0, 1)),
	post_address TEXT,
	holder_account TEXT REFERENCES account (id),
	owner_account TEXT REFERENCES account (id),  -- the citizen / business account, if any
	applicant_kind TEXT NOT NULL CHECK (applicant_kind IN ('person', 'organisation')),
	applicant_name TEXT NOT NULL,
	applicant_name_folded TEXT NOT NULL,
	applicant_id_number TEXT,
	applicant_tax_code TEXT,
	applicant_birth_day INTEGER,
	applicant_phone TEXT,
	applicant_email TEXT,
	applicant_address TEXT,
	residence_commune TEXT REFERENCES commune (code),
	property_commune TEXT REFERENCES commune (code),
	population_verified INTEGER NOT NULL DEFAULT 0 CHECK (population_verified IN (0, 1)),
	representative_name TEXT,
	representative_id_number TEXT,
	authorisation_doc TEXT,
	submitted_at BIGINT NOT NULL,
	received_at BIGINT,                  -- legal reception instant
	due_at BIGINT,                       -- appointment (moves only with an extension or a restart)
	original_due_at BIGINT,              -- appointment first given
	paused_at BIGINT,
	remaining_at_pause BIGINT,           -- working seconds left when paused
	resolved_at BIGINT,                  -- result ready / refused / stopped / withdrawn
	delivered_at BIGINT,
	step_seq INTEGER NOT NULL DEFAULT 0,
	step_started_at BIGINT,
	step_due_at BIGINT,
	supplements_used INTEGER NOT NULL DEFAULT 0,
	extensions_used INTEGER NOT NULL DEFAULT 0,
	fee_vnd BIGINT NOT NULL DEFAULT 0,
	paid_at BIGINT,
	paid_channel TEXT CHECK (paid_channel IN ('counter', 'online', 'post')),
	rated INTEGER NOT NULL DEFAULT 0 CHECK (rated IN (0, 1)),
	custody TEXT,                        -- where the paper originals / result are
	updated_at BIGINT NOT NULL
);
CREATE INDEX dossier_state ON dossier (state);
CREATE INDEX dossier_competent ON dossier (competent_unit, state);
CREATE INDEX dossier_receiving ON dossier (receiving_unit, submitted_at);
CREATE INDEX dossier_collection ON dossier (collection_unit, state);
CREATE INDEX dossier_holder ON dossier (holder_account, state);
CREATE INDEX dossier_owner ON dossier (owner_account);
CREATE INDEX dossier_id_number ON dossier (applicant_id_number);
CREATE INDEX dossier_phone ON dossier (applicant_phone);
CREATE INDEX dossier_due ON dossier (due_at);

-- Further applicants (e.g. both parties of a marriage).
CREATE TABLE dossier_applicant (
	dossier_id TEXT NOT NULL REFERENCES dossier (id),
	seq INTEGER NOT NULL,
	full_name TEXT NOT NULL,
	id_number TEXT,
	birth_day INTEGER,
	population_verified INTEGER NOT NULL DEFAULT 0 CHECK (population_verified IN (0, 1)),
	PRIMARY KEY (dossier_id, seq)
);

-- Components of one dossier and how each was satisfied.
CREATE TABLE dossier_component (
	dossier_id TEXT NOT NULL REFERENCES dossier (id),
	seq INTEGER NOT NULL,
	status TEXT NOT NULL CHECK (status IN ('received', 'population', 'missing', 'supplemented', 'not_applicable')),
	original_kept INTEGER NOT NULL DEFAULT 0 CHECK (original_kept IN (0, 1)),
	note TEXT,
	PRIMARY KEY (dossier_id, seq)
);

-- The process control form: one row per action (hand-over), keyed by the
-- dossier's version after the action.
CREATE TABLE dossier_event (
	dossier_id TEXT NOT NULL REFERENCES dossier (id),
	version INTEGER NOT NULL,
	at BIGINT NOT NULL,
	action TEXT NOT NULL,
	from_state TEXT NOT NULL,
	to_state TEXT NOT NULL,
	actor_account TEXT,
	actor_unit TEXT,
	to_unit TEXT,
	to_account TEXT,
	step_seq INTEGER,
	step_result TEXT CHECK (step_result IN ('early', 'on_time', 'late')),
	due_at BIGINT,
	note TEXT,
	PRIMARY KEY (dossier_id, version)
);
CREATE INDEX dossier_event_at ON dossier_event (at);

CREATE TABLE dossier_rating (
	dossier_id TEXT PRIMARY KEY REFERENCES dossier (id),
	at BIGINT NOT NULL,
	level TEXT NOT NULL CHECK (level IN ('very_satisfied', 'satisfied', 'neutral', 'dissatisfied')),
	comment TEXT
);

CREATE TABLE dossier_complaint (
	id TEXT PRIMARY KEY,
	dossier_id TEXT NOT NULL REFERENCES dossier (id),
	at BIGINT NOT NULL,
	text TEXT NOT NULL
);
CREATE INDEX dossier_complaint_dossier ON dossier_complaint (dossier_id);

-- Messages for the national public service portal and notifications,
-- written in the same transaction as the event, delivered once by a worker.
CREATE TABLE outbox (
	id TEXT PRIMARY KEY,
	created_at BIGINT NOT NULL,
	topic TEXT NOT NULL,
	dossier_id TEXT REFERENCES dossier (id),
	payload TEXT NOT NULL,
	attempts INTEGER NOT NULL DEFAULT 0,
	next_attempt_at BIGINT NOT NULL,
	claimed_by TEXT,
	claimed_until BIGINT,
	delivered_at BIGINT,
	last_error TEXT
);
CREATE INDEX outbox_pending ON outbox (delivered_at, next_attempt_at);
