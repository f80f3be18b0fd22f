/*
 * catalog: read transactions over the reference data (see catalog.h).
 */
#include "service/catalog.h"

#include <string.h>

enum catalog_read { READ_PROCEDURES, READ_PROCEDURE, READ_COMMUNES, READ_UNITS, READ_STATES };

/* The row callback of a read. */
union row_fn {
	dbq_procedure_fn *procedure;
	dbq_commune_fn *commune;
	dbq_unit_fn *unit;
	dbq_state_count_fn *state;
};

/* One read: what to run and where the rows go. */
struct read_ctx {
	enum catalog_read what;
	const void *filter;
	const char *code;
	int64_t limit, offset, *total;
	catalog_reset_fn *reset;
	union row_fn fn;
	void *ctx;
	struct catalog_procedure_parts *parts;
};

static enum err_code read_txn(struct db_conn *c, void *vctx, struct err *e)
{
	struct read_ctx *x = vctx;
	if (x->reset)
		x->reset(x->ctx);
	switch (x->what) {
	case READ_PROCEDURES:
		return dbq_procedures(c, x->filter, x->limit, x->offset, x->total, x->fn.procedure,
		                      x->ctx, e);
	case READ_COMMUNES:
		return dbq_communes(c, x->filter, x->limit, x->offset, x->total, x->fn.commune,
		                    x->ctx, e);
	case READ_UNITS:
		return dbq_units(c, x->filter, x->limit, x->offset, x->total, x->fn.unit, x->ctx,
		                 e);
	case READ_STATES:
		return dbq_dossier_states(c, x->fn.state, x->ctx, e);
	case READ_PROCEDURE: {
		catalog_procedure_release(x->parts);
		enum err_code rc = dbq_procedure_get(c, x->code, x->fn.procedure, x->ctx, e);
		if (rc == ERR_OK)
			rc = db_dossier_proc_components(c, x->code, &x->parts->components, e);
		if (rc == ERR_OK)
			rc = db_dossier_steps(c, x->code, &x->parts->steps, e);
		return rc;
	}
	}
	return err_set(e, ERR_INTERNAL, "unknown catalogue read %d", (int)x->what);
}

static enum err_code run_read(struct service *svc, struct read_ctx *x, struct err *e)
{
	return db_run_txn(svc->db, DB_TXN_READ, read_txn, x, e);
}

enum err_code catalog_procedures(struct service *svc, const struct dbq_procedure_filter *f,
                                 int64_t limit, int64_t offset, int64_t *total,
                                 catalog_reset_fn *reset, dbq_procedure_fn *fn, void *ctx,
                                 struct err *e)
{
	struct read_ctx x = {READ_PROCEDURES,   f,   NULL, limit, offset, total, reset,
	                     {.procedure = fn}, ctx, NULL};
	return run_read(svc, &x, e);
}

enum err_code catalog_procedure(struct service *svc, const char *code, catalog_reset_fn *reset,
                                dbq_procedure_fn *fn, void *ctx,
                                struct catalog_procedure_parts *parts, struct err *e)
{
	memset(parts, 0, sizeof *parts);
	struct read_ctx x = {READ_PROCEDURE,    NULL, code, 0, 0, NULL, reset,
	                     {.procedure = fn}, ctx,  parts};
	enum err_code rc = run_read(svc, &x, e);
	if (rc != ERR_OK)
		catalog_procedure_release(parts);
	return rc;
}

void catalog_procedure_release(struct catalog_procedure_parts *parts)
{
	db_proc_component_list_free(&parts->components);
	db_step_list_free(&parts->steps);
}

enum err_code catalog_communes(struct service *svc, const struct dbq_commune_filter *f,
                               int64_t limit, int64_t offset, int64_t *total,
                               catalog_reset_fn *reset, dbq_commune_fn *fn, void *ctx,
                               struct err *e)
{
	struct read_ctx x = {READ_COMMUNES,   f,   NULL, limit, offset, total, reset,
	                     {.commune = fn}, ctx, NULL};
	return run_read(svc, &x, e);
}

enum err_code catalog_units(struct service *svc, const struct dbq_unit_filter *f, int64_t limit,
                            int64_t offset, int64_t *total, catalog_reset_fn *reset,
                            dbq_unit_fn *fn, void *ctx, struct err *e)
{
	struct read_ctx x = {READ_UNITS, f,     NULL,         limit, offset,
	                     total,      reset, {.unit = fn}, ctx,   NULL};
	return run_read(svc, &x, e);
}

enum err_code catalog_dossier_states(struct service *svc, catalog_reset_fn *reset,
                                     dbq_state_count_fn *fn, void *ctx, struct err *e)
{
	struct read_ctx x = {READ_STATES, NULL, NULL, 0, 0, NULL, reset, {.state = fn}, ctx, NULL};
	return run_read(svc, &x, e);
}
