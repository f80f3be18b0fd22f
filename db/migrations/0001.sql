-- 0001: reference data, population registry, accounts, sessions, audit log,
-- counters and rate limits.
--
-- Common subset of SQLite 3.40 and PostgreSQL 15: BIGINT / INTEGER / TEXT,
-- 0/1 integers instead of BOOLEAN, coordinates as integer millionths of a
-- degree and areas in square metres (exact on both engines), times as epoch seconds
-- (BIGINT), dates as day counts since 1970-01-01 (INTEGER). Keys are codes
-- (reference data) or random text ids made by the service layer, so that no
-- engine-specific identity column is needed.

-- Communes and wards of Hanoi since 1 July 2025 (official 5-digit codes).
CREATE TABLE commune (
	code TEXT PRIMARY KEY,
	name_vi TEXT NOT NULL,
	name_folded TEXT NOT NULL,
	kind TEXT NOT NULL CHECK (kind IN ('ward', 'commune')),
	lat_e6 BIGINT NOT NULL,            -- latitude in millionths of a degree (WGS84)
	lon_e6 BIGINT NOT NULL,
	area_m2 BIGINT NOT NULL
);

-- Every organisational unit: the centre, its branches and service points,
-- city departments and offices, the city police, and per commune its People's
-- Committee and its police. `identifier` is the unit identifier used in
-- dossier codes (receiving units only).
CREATE TABLE unit (
	code TEXT PRIMARY KEY,
	kind TEXT NOT NULL CHECK (kind IN ('centre', 'branch', 'point', 'city_committee', 'office',
		'department', 'police', 'commune_committee', 'commune_police')),
	identifier TEXT UNIQUE,
	name_vi TEXT NOT NULL,
	name_en TEXT NOT NULL,
	name_folded TEXT NOT NULL,
	parent_code TEXT REFERENCES unit (code),
	commune_code TEXT REFERENCES commune (code),
	address TEXT,
	lat_e6 BIGINT,
	lon_e6 BIGINT,
	coord_note TEXT,
	opening_hours TEXT,
	serves TEXT,
	receives INTEGER NOT NULL DEFAULT 0 CHECK (receives IN (0, 1)),
	active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
	source TEXT
);
CREATE INDEX unit_kind ON unit (kind);
CREATE INDEX unit_commune ON unit (commune_code);

-- Administrative procedures.
CREATE TABLE procedure (
	code TEXT PRIMARY KEY,
	name_vi TEXT NOT NULL,
	name_en TEXT NOT NULL,
	name_folded TEXT NOT NULL,
	sector TEXT NOT NULL,
	sector_folded TEXT NOT NULL,
	level TEXT NOT NULL CHECK (level IN ('city', 'commune', 'police')),
	competent_kind TEXT NOT NULL,
	competent_unit TEXT REFERENCES unit (code),
	route_by TEXT NOT NULL CHECK (route_by IN ('fixed', 'residence', 'property')),
	legal_days INTEGER CHECK (legal_days >= 0),
	legal_hours INTEGER CHECK (legal_hours >= 0),
	fee_vnd BIGINT NOT NULL DEFAULT 0 CHECK (fee_vnd >= 0),
	online TEXT NOT NULL CHECK (online IN ('full', 'partial', 'none')),
	boundary_free INTEGER NOT NULL CHECK (boundary_free IN (0, 1)),
	cutoff_sec INTEGER CHECK (cutoff_sec >= 0 AND cutoff_sec <= 86400),
	supplement_rule TEXT NOT NULL DEFAULT 'restart' CHECK (supplement_rule IN ('restart', 'continue')),
	max_supplements INTEGER NOT NULL DEFAULT 1 CHECK (max_supplements >= 0),
	max_extensions INTEGER NOT NULL DEFAULT 1 CHECK (max_extensions >= 0),
	needs_signoff INTEGER NOT NULL DEFAULT 0 CHECK (needs_signoff IN (0, 1)),
	active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
	source TEXT,
	CHECK ((legal_days IS NULL) <> (legal_hours IS NULL))
);
CREATE INDEX procedure_sector ON procedure (sector);
CREATE INDEX procedure_unit ON procedure (competent_unit);

-- Components of a procedure's dossier, in order.
CREATE TABLE procedure_component (
	procedure_code TEXT NOT NULL REFERENCES procedure (code),
	seq INTEGER NOT NULL,
	name_vi TEXT NOT NULL,
	required INTEGER NOT NULL CHECK (required IN (0, 1)),
	population_replaces INTEGER NOT NULL CHECK (population_replaces IN (0, 1)),
	PRIMARY KEY (procedure_code, seq)
);

-- Ordered processing steps with their share of the legal time and the role that performs each.
CREATE TABLE procedure_step (
	procedure_code TEXT NOT NULL REFERENCES procedure (code),
	seq INTEGER NOT NULL,
	name_vi TEXT NOT NULL,
	name_en TEXT NOT NULL,
	share_pct INTEGER NOT NULL CHECK (share_pct > 0 AND share_pct <= 100),
	role TEXT NOT NULL CHECK (role IN ('officer', 'specialist', 'approver')),
	PRIMARY KEY (procedure_code, seq)
);

-- Announced days off and make-up working days (data/holidays.csv).
CREATE TABLE holiday (
	day INTEGER NOT NULL,
	kind TEXT NOT NULL CHECK (kind IN ('off', 'work')),
	status TEXT NOT NULL,
	occasion TEXT NOT NULL,
	name_vi TEXT NOT NULL,
	name_en TEXT NOT NULL,
	source TEXT NOT NULL,
	PRIMARY KEY (day, kind)
);

-- The population registry (synthetic in the demo; imported from CSV otherwise).
CREATE TABLE population (
	id_number TEXT PRIMARY KEY,
	full_name TEXT NOT NULL,
	name_folded TEXT NOT NULL,
	birth_day INTEGER NOT NULL,
	sex TEXT NOT NULL CHECK (sex IN ('male', 'female')),
	residence_commune TEXT REFERENCES commune (code),
	residence_address TEXT
);

-- Accounts: staff (roles as a bit mask of domain/lifecycle.h, scope = unit)
-- and citizens / businesses (online filing).
CREATE TABLE account (
	id TEXT PRIMARY KEY,
	username TEXT NOT NULL UNIQUE,
	kind TEXT NOT NULL CHECK (kind IN ('staff', 'citizen', 'business', 'system')),
	roles INTEGER NOT NULL DEFAULT 0,
	unit_code TEXT REFERENCES unit (code),
	full_name TEXT NOT NULL,
	id_number TEXT,
	tax_code TEXT,
	phone TEXT,
	email TEXT,
	password_hash TEXT,
	disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL
);
CREATE INDEX account_unit ON account (unit_code);

-- Sessions and API tokens: only a SHA-256 of the secret is stored.
CREATE TABLE session (
	token_hash TEXT PRIMARY KEY,
	account_id TEXT NOT NULL REFERENCES account (id),
	kind TEXT NOT NULL CHECK (kind IN ('session', 'token')),
	label TEXT,
	csrf_token TEXT NOT NULL,
	created_at BIGINT NOT NULL,
	expires_at BIGINT NOT NULL,
	last_seen_at BIGINT NOT NULL
);
CREATE INDEX session_account ON session (account_id);

-- Named counters (daily dossier sequence per unit, ...), advanced by an
-- upsert returning the new value, so that numbers are unique across nodes.
CREATE TABLE counter (
	name TEXT PRIMARY KEY,
	value BIGINT NOT NULL
);

-- Rate limits (per client address and purpose), shared by all nodes.
CREATE TABLE rate_limit (
	bucket TEXT PRIMARY KEY,
	window_start BIGINT NOT NULL,
	hits INTEGER NOT NULL
);

-- The audit log: append-only, chained by hash (hash = SHA-256 of the
-- previous hash and this row's fields), so that tampering is detectable.
CREATE TABLE audit (
	seq BIGINT PRIMARY KEY,
	at BIGINT NOT NULL,
	actor TEXT NOT NULL,
	action TEXT NOT NULL,
	object TEXT NOT NULL,
	detail TEXT NOT NULL,
	prev_hash TEXT NOT NULL,
	hash TEXT NOT NULL
);
