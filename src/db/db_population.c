/*
 * db_population: the SQL of the population registry (see db_population.h).
 * The upsert tells inserted / updated / unchanged rows the way db_catalog
 * does: a key look-up, then INSERT ... ON CONFLICT DO UPDATE ... WHERE some
 * column IS DISTINCT FROM the new value.
 */
#include "db/db_population.h"

#include <string.h>

#include "base/str.h"

static const char sql_exists[] = "SELECT 1 FROM population WHERE id_number = $1";
static const char sql_upsert[] =
        "INSERT INTO population (id_number, full_name, name_folded, birth_day, sex, "
        "residence_commune, residence_address) VALUES ($1, $2, $3, $4, $5, $6, $7) "
        "ON CONFLICT (id_number) DO UPDATE SET full_name = excluded.full_name, "
        "name_folded = excluded.name_folded, birth_day = excluded.birth_day, sex = excluded.sex, "
        "residence_commune = excluded.residence_commune, "
        "residence_address = excluded.residence_address "
        "WHERE population.full_name IS DISTINCT FROM excluded.full_name "
        "OR population.name_folded IS DISTINCT FROM excluded.name_folded "
        "OR population.birth_day IS DISTINCT FROM excluded.birth_day "
        "OR population.sex IS DISTINCT FROM excluded.sex "
        "OR population.residence_commune IS DISTINCT FROM excluded.residence_commune "
        "OR population.residence_address IS DISTINCT FROM excluded.residence_address";
static const char sql_find[] =
        "SELECT id_number, full_name, name_folded, birth_day, sex, residence_commune, "
        "residence_address FROM population WHERE id_number = $1";

enum err_code db_population_upsert(struct db_conn *c, const struct db_person *p,
                                   enum db_upsert *res, struct err *e)
{
	int64_t one = 0, changes = 0;
	enum err_code rc = db_query_int64(c, sql_exists, DB_ARGS(db_text(p->id_number)), &one, e);
	bool existed = rc == ERR_OK;
	if (rc != ERR_OK && rc != ERR_NOT_FOUND)
		return rc;
	rc = db_exec(c, sql_upsert,
	             DB_ARGS(db_text(p->id_number), db_text(p->full_name), db_text(p->name_folded),
	                     db_int(p->birth_day), db_text(p->sex), db_text(p->residence_commune),
	                     db_text(p->residence_address)),
	             &changes, e);
	if (rc != ERR_OK)
		return rc;
	*res = !existed      ? DB_UPSERT_INSERTED
	       : changes > 0 ? DB_UPSERT_UPDATED
	                     : DB_UPSERT_UNCHANGED;
	return ERR_OK;
}

/* Copies column col of st into out (size n); NULL gives "". */
static enum err_code col_copy(struct db_stmt *st, int col, char *out, size_t n, struct err *e)
{
	const char *s = db_col_text(st, col, NULL);
	if (str_copy(out, n, s ? s : "") != 0)
		return err_set(e, ERR_TOO_LONG, "population column %d longer than %zu bytes", col,
		               n - 1);
	return ERR_OK;
}

enum err_code db_population_find(struct db_conn *c, const char *id_number,
                                 struct db_person_rec *out, struct err *e)
{
	struct db_stmt *st;
	memset(out, 0, sizeof *out);
	enum err_code rc = db_query(c, sql_find, DB_ARGS(db_text(id_number)), &st, e);
	if (rc != ERR_OK)
		return rc;
	bool row = false;
	rc = db_step(st, &row, e);
	if (rc == ERR_OK && !row)
		rc = err_set(e, ERR_NOT_FOUND, "no person with this ID number");
	if (rc == ERR_OK) {
		out->birth_day = db_col_int64(st, 3);
		if ((rc = col_copy(st, 0, out->id_number, sizeof out->id_number, e)) ||
		    (rc = col_copy(st, 1, out->full_name, sizeof out->full_name, e)) ||
		    (rc = col_copy(st, 2, out->name_folded, sizeof out->name_folded, e)) ||
		    (rc = col_copy(st, 4, out->sex, sizeof out->sex, e)) ||
		    (rc = col_copy(st, 5, out->residence_commune, sizeof out->residence_commune,
		                   e)) ||
		    (rc = col_copy(st, 6, out->residence_address, sizeof out->residence_address,
		                   e)))
			memset(out, 0, sizeof *out);
	}
	db_finish(st);
	return rc;
}

enum err_code db_population_count(struct db_conn *c, int64_t *out, struct err *e)
{
	return db_query_int64(c, "SELECT count(*) FROM population", DB_NOARGS, out, e);
}
