/*
 * catalog: reads of the reference data (procedures with their components and
 * steps, communes, units) and of the dossier counts by state, each as one
 * read transaction, for the API and, later, the pages.
 *
 * Rows are handed to a callback while the statement runs (their strings are
 * borrowed for the call). A read may be retried by the transaction runner;
 * reset(ctx), when given, is called before every attempt so that the caller
 * can drop what an earlier attempt delivered.
 */
#ifndef MOTCUA_SERVICE_CATALOG_H
#define MOTCUA_SERVICE_CATALOG_H

#include "db/db_catalog_query.h"
#include "db/db_dossier.h"
#include "service/service.h"

typedef void catalog_reset_fn(void *ctx);

/* Active procedures matching f, one page; *total = all that match. */
enum err_code catalog_procedures(struct service *svc, const struct dbq_procedure_filter *f,
                                 int64_t limit, int64_t offset, int64_t *total,
                                 catalog_reset_fn *reset, dbq_procedure_fn *fn, void *ctx,
                                 struct err *e);

/* The components and steps of one procedure. */
struct catalog_procedure_parts {
	struct db_proc_component_list components;
	struct db_step_list steps;
};

/*
 * One procedure: fn(ctx, row) for its row, and its components and steps in
 * *parts (release with catalog_procedure_release()). ERR_NOT_FOUND when none.
 */
enum err_code catalog_procedure(struct service *svc, const char *code, catalog_reset_fn *reset,
                                dbq_procedure_fn *fn, void *ctx,
                                struct catalog_procedure_parts *parts, struct err *e);
void catalog_procedure_release(struct catalog_procedure_parts *parts);

/* Communes matching f, one page; *total = all that match. */
enum err_code catalog_communes(struct service *svc, const struct dbq_commune_filter *f,
                               int64_t limit, int64_t offset, int64_t *total,
                               catalog_reset_fn *reset, dbq_commune_fn *fn, void *ctx,
                               struct err *e);

/* Active units matching f, one page; *total = all that match. */
enum err_code catalog_units(struct service *svc, const struct dbq_unit_filter *f, int64_t limit,
                            int64_t offset, int64_t *total, catalog_reset_fn *reset,
                            dbq_unit_fn *fn, void *ctx, struct err *e);

/* fn(ctx, state, count) for every state that has dossiers. */
enum err_code catalog_dossier_states(struct service *svc, catalog_reset_fn *reset,
                                     dbq_state_count_fn *fn, void *ctx, struct err *e);

#endif
