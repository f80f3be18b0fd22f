-- 0004: administration -- announced days off and make-up working days added
-- by an administrator, and a telephone number for the units (branches and
-- service points show it).
--
-- holiday_announcement holds what the Prime Minister (or the Ministry of Home
-- Affairs on his behalf) announces after the release of data/holidays.csv:
-- one row per date, with the same columns as the CSV (the status is always
-- "confirmed"). The calendar of the running service is data/holidays.csv plus
-- these rows (src/service/admin.h). The importer never touches this table
-- (it mirrors the CSV into the table `holiday`). The counter
-- 'calendar.announcements' (table counter) is advanced with every change, so
-- that each node can tell whether its calendar is current.

CREATE TABLE holiday_announcement (
	id TEXT PRIMARY KEY,                     -- random id made by the service layer
	batch TEXT NOT NULL,                     -- the rows entered together (one announcement)
	day INTEGER NOT NULL UNIQUE,             -- days since 1970-01-01
	kind TEXT NOT NULL CHECK (kind IN ('off', 'work')),
	occasion TEXT NOT NULL CHECK (occasion IN ('new_year', 'tet', 'hung_kings',
		'reunification_labour', 'national_day', 'other')),
	year INTEGER NOT NULL,                   -- the occasion's year (Tết: the lunar year)
	name_vi TEXT NOT NULL,
	name_en TEXT NOT NULL,
	source TEXT NOT NULL,                    -- the announcement: number, date, link
	created_at BIGINT NOT NULL,
	created_by TEXT NOT NULL                 -- username of the administrator
);

CREATE INDEX holiday_announcement_batch ON holiday_announcement (batch);

ALTER TABLE unit ADD COLUMN phone TEXT;
