/*
 * db_population: the SQL of the population registry (table population,
 * migration 0001): one row per personal identification number with the
 * name, date of birth, sex and permanent residence, as the national
 * population database would answer. Loaded from CSV or made up for the demo
 * by src/service/population.c; read by the intake service to match an
 * applicant (ID number + name + date of birth).
 *
 * Every function runs on a connection inside the caller's transaction.
 */
#ifndef MOTCUA_DB_DB_POPULATION_H
#define MOTCUA_DB_DB_POPULATION_H

#include <stdbool.h>
#include <stdint.h>

#include "base/error.h"
#include "db/db.h"
#include "db/db_catalog.h"

#define DB_POPULATION_ID_MAX      13  /* 12 digits + NUL */
#define DB_POPULATION_NAME_MAX    256 /* bytes of a name (and its folded form) + NUL */
#define DB_POPULATION_SEX_MAX     8   /* "male" / "female" + NUL */
#define DB_POPULATION_COMMUNE_MAX 8   /* 5 digits + NUL */
#define DB_POPULATION_ADDRESS_MAX 512 /* bytes of an address + NUL */

/* A person to write. Strings are borrowed; residence_* may be NULL. */
struct db_person {
	const char *id_number;
	const char *full_name;
	const char *name_folded;
	int64_t birth_day; /* days since 1970-01-01 */
	const char *sex;   /* "male" or "female" */
	const char *residence_commune;
	const char *residence_address;
};

/* A person read back. Empty strings stand for NULL. */
struct db_person_rec {
	char id_number[DB_POPULATION_ID_MAX];
	char full_name[DB_POPULATION_NAME_MAX];
	char name_folded[DB_POPULATION_NAME_MAX];
	int64_t birth_day;
	char sex[DB_POPULATION_SEX_MAX];
	char residence_commune[DB_POPULATION_COMMUNE_MAX];
	char residence_address[DB_POPULATION_ADDRESS_MAX];
};

/* Inserts the person, or updates the row of the same ID number when a column differs. */
enum err_code db_population_upsert(struct db_conn *c, const struct db_person *p,
                                   enum db_upsert *res, struct err *e);

/*
 * Reads the person with this ID number into *out. Returns ERR_OK,
 * ERR_NOT_FOUND, or ERR_TOO_LONG when a stored value does not fit.
 */
enum err_code db_population_find(struct db_conn *c, const char *id_number,
                                 struct db_person_rec *out, struct err *e);

/* *out = rows of the registry. */
enum err_code db_population_count(struct db_conn *c, int64_t *out, struct err *e);

#endif
