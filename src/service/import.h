/*
 * import: loads the bundled reference data (the CSV files of data/, described in
 * data/README.md) into the database -- communes, units, procedures with
 * their components and processing steps, and the announced holidays.
 *
 * Two phases:
 *   1. import_load_dir() reads and parses every file of a data directory and
 *      checks each row and the references between files (a unit's parent and
 *      commune, a procedure's competent unit, the steps of each procedure),
 *      then adds, per commune, its People's Committee UBND-<code> and its
 *      police CA-<code> (see data/README.md). Nothing touches the database;
 *      any error names the file, the line and the column.
 *   2. import_apply() writes everything in ONE transaction: upserts that tell
 *      inserted / updated / unchanged rows, then rows no longer in the data
 *      are deactivated (units, procedures), trimmed (components and steps past
 *      the new last one), deleted (holidays), or for communes deleted only when
 *      nothing refers to them (otherwise kept, with a warning). Running it twice
 *      on the same data changes nothing the second time.
 */
#ifndef MOTCUA_SERVICE_IMPORT_H
#define MOTCUA_SERVICE_IMPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/error.h"
#include "db/db.h"
#include "db/db_catalog.h"
#include "domain/holidays.h"

#define IMPORT_DEFAULT_DIR    "data"
#define IMPORT_FILE_MAX       (16u << 20) /* bytes of one data file */
#define IMPORT_ROWS_MAX       100000      /* rows of one data file */
#define IMPORT_TEXT_MAX       4096        /* bytes of a name, address or note */
#define IMPORT_CODE_MAX       63          /* bytes of a unit or procedure code */
#define IMPORT_COMPONENTS_MAX 64          /* components of one procedure */
#define IMPORT_STEPS_MAX      32          /* steps of one procedure */
#define IMPORT_WARNINGS_MAX   16          /* warnings kept in a report */

/* The files of a data directory. */
#define IMPORT_FILE_COMMUNES   "communes.csv"
#define IMPORT_FILE_UNITS      "units.csv"
#define IMPORT_FILE_PROCEDURES "procedures.csv"
#define IMPORT_FILE_STEPS      "procedure_steps.csv"
#define IMPORT_FILE_HOLIDAYS   "holidays.csv"

/* Office hours written on the generated commune units (an assumption, see data/README.md). */
#define IMPORT_COMMUNE_HOURS "Mon-Fri 08:00-12:00,13:00-17:00"

/* Everything a data directory holds, parsed and checked. Strings are owned by the struct. */
struct import_data {
	struct db_commune *communes;
	size_t ncommunes;
	struct db_unit *units; /* units.csv in file order, then the generated commune units */
	size_t nunits;
	size_t nfile_units; /* how many of them come from units.csv */
	struct db_procedure *procedures;
	size_t nprocedures;
	struct db_component *components; /* grouped by procedure, in order */
	size_t ncomponents;
	struct db_step *steps; /* grouped by procedure, in order */
	size_t nsteps;
	struct db_holiday *holidays;
	size_t nholidays;
	/* private */
	struct holiday_table holiday_table;
	char **strings;
	size_t nstrings, strings_cap;
};

/* The tables of a report, in the order they are written. */
enum import_table {
	IMPORT_COMMUNES,
	IMPORT_UNITS,
	IMPORT_PROCEDURES,
	IMPORT_COMPONENTS,
	IMPORT_STEPS,
	IMPORT_HOLIDAYS,
	IMPORT_TABLES
};

struct import_count {
	int64_t inserted;
	int64_t updated;
	int64_t unchanged;
	int64_t deactivated; /* units, procedures: set active = 0 */
	int64_t deleted;     /* components, steps, holidays, unused communes */
};

struct import_report {
	struct import_count tables[IMPORT_TABLES];
	int64_t changes; /* inserted + updated + deactivated + deleted, all tables */
	int nwarnings;   /* warnings kept (at most IMPORT_WARNINGS_MAX) */
	int64_t warnings_total;
	char warnings[IMPORT_WARNINGS_MAX][160];
};

/* The name of a table in reports: "communes", "units", "procedures", "components", "steps",
 * "holidays". */
const char *import_table_name(enum import_table t);

/*
 * Reads and checks the data directory dir (IMPORT_FILE_* inside it) into
 * *out. Returns ERR_OK, ERR_IO (a file cannot be read or is larger than
 * IMPORT_FILE_MAX), ERR_INVALID_DATA_FILE (detail "FILE line L, column C:
 * ..."), ERR_INVALID_HOLIDAY_DATA (holidays.csv) or ERR_NO_MEMORY. On failure
 * *out is empty. Release with import_data_release().
 */
enum err_code import_load_dir(const char *dir, struct import_data *out, struct err *e);

/* Frees everything *d owns; it is empty afterwards. */
void import_data_release(struct import_data *d);

/*
 * Writes *d into the database in one write transaction (retried when busy)
 * and fills *rep. On any error nothing is written.
 */
enum err_code import_apply(struct db *db, const struct import_data *d, struct import_report *rep,
                           struct err *e);

/* import_load_dir() then import_apply(). */
enum err_code import_reference(struct db *db, const char *dir, struct import_report *rep,
                               struct err *e);

/*
 * Splits a procedure's components field "A | B [opt] | C [DC]" into
 * components (pure; used by import_load_dir). Each part is trimmed of
 * spaces; trailing markers "[opt]" (optional) and "[DC]" (replaced by the
 * national population database) may come in any order. Calls fn(ctx, seq,
 * name, name_len, required, population_replaces) for each part, seq from 1.
 * Returns ERR_OK, the first non-zero return of fn as ERR_NO_MEMORY, or
 * ERR_INVALID_DATA_FILE (an empty part, an unknown [marker], a repeated
 * marker, more than IMPORT_COMPONENTS_MAX parts).
 */
typedef int import_component_fn(void *ctx, int seq, const char *name, size_t name_len,
                                bool required, bool population_replaces);
enum err_code import_split_components(const char *field, import_component_fn *fn, void *ctx,
                                      struct err *e);

/* ---- checks of single values ----
 *
 * The rules the importer applies to one value or one row, public so that the
 * administration pages (service/admin.c) edit the reference data under the
 * same rules. Each returns NULL when the value passes, else a short English
 * message of what is wrong (the importer prefixes it with the file, line and
 * column), either a literal or written into why.
 */

#define IMPORT_WHY_MAX 256 /* bytes of a message written into why */

/* Hanoi's bounding box with a margin (the city spans 20.56-21.39 N, 105.28-106.02 E). */
#define IMPORT_LAT_MIN_E6      20400000
#define IMPORT_LAT_MAX_E6      21500000
#define IMPORT_LON_MIN_E6      105100000
#define IMPORT_LON_MAX_E6      106200000
#define IMPORT_FEE_MAX_VND     1000000000000LL /* fee_vnd */
#define IMPORT_LIMIT_COUNT_MAX 100             /* max_supplements, max_extensions */

/* The lists of words some columns take. */
enum import_words {
	IMPORT_W_LEVEL,      /* city, commune, police */
	IMPORT_W_UNIT_KIND,  /* the nine unit kinds of migration 0001 */
	IMPORT_W_ROUTE,      /* fixed, residence, property */
	IMPORT_W_ONLINE,     /* full, partial, none */
	IMPORT_W_SUPPLEMENT, /* restart, continue */
	IMPORT_W_STEP_ROLE,  /* officer, specialist, approver */
	IMPORT_W_COUNT
};

/* The words of a list (static) and their number in *n. */
const char *const *import_words(enum import_words w, size_t *n);

/* A name, address or note: at most IMPORT_TEXT_MAX bytes, no control
 * characters, no leading or trailing space; "" refused when required. */
const char *import_text_problem(const char *s, bool required, char why[IMPORT_WHY_MAX]);

/* A unit or procedure code: ASCII letters, digits, '.', '_', '-', at most
 * IMPORT_CODE_MAX bytes; "" (or NULL) refused when required. */
const char *import_code_problem(const char *s, bool required, char why[IMPORT_WHY_MAX]);

/* One of the words of list w; *index gets its position. */
const char *import_word_problem(const char *s, enum import_words w, size_t *index,
                                char why[IMPORT_WHY_MAX]);

/* Decimal digits only, within [min, max], into *out; "" is refused. */
const char *import_int_problem(const char *s, int64_t min, int64_t max, int64_t *out,
                               char why[IMPORT_WHY_MAX]);

/* A decimal with at most 6 decimals (import_parse_e6) within [min, max], into *out. */
const char *import_e6_problem(const char *s, int64_t min, int64_t max, int64_t *out,
                              char why[IMPORT_WHY_MAX]);

/*
 * A unit's coordinates: both lat and lon (degrees, in Hanoi's box) or
 * neither ("" or NULL). *has says whether there are some, *lat_e6 and
 * *lon_e6 get them; on a problem *which is 0 when it concerns lat, 1 lon.
 */
const char *import_coords_problem(const char *lat, const char *lon, bool *has, int64_t *lat_e6,
                                  int64_t *lon_e6, int *which, char why[IMPORT_WHY_MAX]);

/* True for a procedure code of the national catalogue's form: digits, a dot, digits. */
bool import_procedure_code_ok(const char *s);

/*
 * How a procedure's competent unit is found: the level, the competent kind,
 * the fixed competent unit (NULL or "" for none) and route_by must agree
 * (e.g. a commune-level procedure goes to the commune_committee of the
 * commune found by route_by). The message is a literal.
 */
const char *import_route_problem(const char *level, const char *competent_kind,
                                 const char *competent_unit, const char *route_by);

/*
 * The n steps of one procedure (in order): the shares add up to 100, and
 * there is an approver step exactly when needs_signoff. *column gets the
 * column at fault ("share_pct" or "role").
 */
const char *import_steps_problem(const struct db_step *steps, size_t n, bool needs_signoff,
                                 const char **column, char why[IMPORT_WHY_MAX]);

/*
 * Parses a decimal "[-]D+[.D{1,6}]" into millionths (e.g. "21.0320" ->
 * 21032000, "1.92" -> 1920000). Returns 0, or -1 for anything else
 * (no exponent, no spaces, at most 6 decimals, |value| < 10^9).
 */
int import_parse_e6(const char *s, int64_t *out);

#endif
