/*
 * population: the population registry that stands in for the national
 * population database -- loaded from a CSV file (`motcua import population
 * FILE`) or made up, deterministically, for the demo.
 *
 * The CSV has the header
 *     id_number,full_name,birth_date,sex,residence_commune[,residence_address]
 * one person a row: the 12-digit personal identification number, the full
 * name, the date of birth (YYYY-MM-DD), the sex (male / female, or nam / nữ),
 * the 5-digit code of the commune of permanent residence (empty: no
 * residence in Hanoi on record) and optionally the address. A row is refused
 * when the number is not valid (domain/cccd.h), does not match the year of
 * birth or the sex, when the date is not real or after today, when the
 * commune is not in the database, or when its number repeats another row.
 *
 * Loading is all-or-nothing per file as far as the data goes: the whole file
 * is checked first and nothing is written if any row is bad (the report lists
 * the first bad rows with their line numbers). A good file is then written in
 * batches of POPULATION_BATCH_ROWS rows, one transaction each, so that a large
 * file does not hold the write lock for long; every row is an upsert, so a
 * load interrupted by a database failure is completed by running it again,
 * and a second run of the same file changes nothing.
 */
#ifndef MOTCUA_SERVICE_POPULATION_H
#define MOTCUA_SERVICE_POPULATION_H

#include <stddef.h>
#include <stdint.h>

#include "base/error.h"
#include "db/db.h"
#include "domain/cccd.h"

#define POPULATION_BATCH_ROWS   1000
#define POPULATION_ROWS_MAX     10000000          /* rows of one file */
#define POPULATION_FILE_MAX     ((size_t)2 << 30) /* bytes of one file (2 GiB) */
#define POPULATION_NAME_MAX     200               /* bytes of a full name */
#define POPULATION_ADDRESS_MAX  400               /* bytes of an address */
#define POPULATION_ERRORS_MAX   20                /* bad rows listed in a report */
#define POPULATION_GENERATE_MAX 1000000           /* people made by one call */

/* The CSV header, with the optional last column. */
#define POPULATION_CSV_HEADER                                                                      \
	"id_number,full_name,birth_date,sex,residence_commune,residence_address"

struct population_error {
	int line;
	enum err_code code;
	char detail[ERR_DETAIL_MAX];
};

struct population_report {
	int64_t rows; /* data rows read (checked, then written) */
	int64_t inserted, updated, unchanged;
	int batches; /* transactions committed */
	int64_t bad_rows;
	int nerrors; /* errors listed (at most POPULATION_ERRORS_MAX), in order of line */
	struct population_error errors[POPULATION_ERRORS_MAX];
};

/*
 * Checks and loads CSV text (len bytes; name is used in messages). today
 * (days, Vietnam time) bounds the dates of birth. Returns ERR_OK, or
 * ERR_INVALID_DATA_FILE when the header or any row is bad (nothing written;
 * rep lists the bad rows, the detail names the first), or a database error
 * (batches already committed stay; rep says how many).
 */
enum err_code population_import_text(struct db *db, const char *text, size_t len, const char *name,
                                     int64_t today, struct population_report *rep, struct err *e);

/* The same for a file (mapped into memory, at most POPULATION_FILE_MAX bytes). */
enum err_code population_import_file(struct db *db, const char *path, int64_t today,
                                     struct population_report *rep, struct err *e);

/* A person made up by the generator. */
struct population_person {
	char id_number[CCCD_LEN + 1];
	char full_name[96];
	int64_t birth_day; /* days since 1970-01-01, within 1940-01-01..2019-12-31 */
	enum cccd_sex sex;
	char residence_commune[8];
	char residence_address[64];
};

/*
 * Person number index (0 <= index < POPULATION_GENERATE_MAX) of the
 * synthetic population of seed, living in one of communes[0..ncommunes)
 * (ncommunes > 0): a plausible Vietnamese name for the sex, a date of birth,
 * and a personal identification number registered in Hà Nội (place code 001)
 * that agrees with the year of birth and the sex. The same (seed, index,
 * communes) always give the same person, and different indexes of one seed
 * always give different ID numbers. Pure.
 */
void population_synth(uint64_t seed, int index, const char *const *communes, size_t ncommunes,
                      struct population_person *out);

/*
 * Writes count people (0..POPULATION_GENERATE_MAX) of the synthetic
 * population of seed into the registry, living in the communes of the
 * database (ascending code; import the reference data first), in batches,
 * and fills *rep. The first nsample people (sample may be NULL when nsample
 * is 0) are copied to sample[], e.g. for the demo to print. Running it again
 * with the same seed and communes changes nothing. Returns ERR_OK,
 * ERR_INVALID_ARGUMENT (count), ERR_NOT_FOUND (no communes) or a database error.
 */
enum err_code population_generate(struct db *db, int count, uint64_t seed,
                                  struct population_person *sample, int nsample,
                                  struct population_report *rep, struct err *e);

#endif
