-- 0007: the counters of the service-quality indicators (issue 7,
-- src/service/indicators.h, docs/indicators.md).
--
-- ind_flow and ind_stock hold day rows per (dimension, group key, day,
-- metric, shard): flows (received, resolved, ...) are counted on the day
-- they happen; stocks (in progress, in progress and late) are day deltas,
-- so that a stock at the end of day D is the sum of its deltas up to D.
-- dim and metric are the numbers of enum indr_dim / enum indr_metric
-- (src/domain/indicator_rules.h); day is a Vietnam day number (days since
-- 1970-01-01, UTC+7); shard spreads the rows every transaction would touch
-- (the whole city, a sector) over 8 rows by a hash of the dossier id.
-- Every row is written in the same transaction as the event it counts, as
-- an upsert n = n + delta.

CREATE TABLE ind_flow (
	dim INTEGER NOT NULL,
	key TEXT NOT NULL,                   -- unit code, account id, procedure code, ...; '' for the city
	day BIGINT NOT NULL,
	metric INTEGER NOT NULL,
	shard INTEGER NOT NULL,
	n BIGINT NOT NULL,
	PRIMARY KEY (dim, day, key, metric, shard)
);

CREATE TABLE ind_stock (
	dim INTEGER NOT NULL,
	key TEXT NOT NULL,
	day BIGINT NOT NULL,
	metric INTEGER NOT NULL,
	shard INTEGER NOT NULL,
	n BIGINT NOT NULL,
	PRIMARY KEY (dim, day, key, metric, shard)
);

-- Each dossier's current stock signature and flags, so that the next event
-- can remove what the previous one added.
CREATE TABLE ind_dossier (
	dossier_id TEXT PRIMARY KEY,
	open INTEGER NOT NULL CHECK (open IN (0, 1)),
	late_day BIGINT,                     -- Vietnam day of the legal due; NULL when not late-able
	agency TEXT NOT NULL,
	branch TEXT NOT NULL,
	commune TEXT NOT NULL,
	procedure_code TEXT NOT NULL,
	sector TEXT NOT NULL,
	resolved INTEGER NOT NULL CHECK (resolved IN (0, 1)),
	unsatisfied INTEGER NOT NULL CHECK (unsatisfied IN (0, 1))
);

-- Digitisation facts (service/files.c), with the groups they were counted in.
CREATE TABLE ind_fact (
	id TEXT PRIMARY KEY,
	dossier_id TEXT NOT NULL,
	at BIGINT NOT NULL,
	what INTEGER NOT NULL CHECK (what IN (0, 1, 2)),  -- component digitised, reused, result electronic
	agency TEXT NOT NULL,
	branch TEXT NOT NULL,
	commune TEXT NOT NULL,
	procedure_code TEXT NOT NULL,
	sector TEXT NOT NULL
);
CREATE INDEX ind_fact_dossier ON ind_fact (dossier_id);

-- What the replay of `motcua report verify` needs of an event beyond its
-- row: the legal due after it (original_due_at: an apology's extension
-- does not move it) and the payment channel of a record_payment.
-- Events written before this migration get their appointment as an
-- approximation; `motcua report rebuild` recounts from them.
ALTER TABLE dossier_event ADD COLUMN legal_due_at BIGINT;
ALTER TABLE dossier_event ADD COLUMN detail TEXT;
UPDATE dossier_event SET legal_due_at = due_at;
