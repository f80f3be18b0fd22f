/*
 * db_indicators: the SQL of the service-quality counters (migration 0007:
 * ind_flow, ind_stock, ind_dossier, ind_fact) and the scans that `motcua
 * report verify` replays (service/indicators.c; the rules are in
 * domain/indicator_rules.h).
 *
 * Every function takes a connection inside a transaction opened by the
 * service layer. Statements are constant texts, so that the connection's
 * statement cache prepares each once.
 */
#ifndef MOTCUA_DB_DB_INDICATORS_H
#define MOTCUA_DB_DB_INDICATORS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/error.h"
#include "db/db.h"
#include "db/db_dossier.h"
#include "domain/indicator_rules.h"

/* Adds n to the counter row (stock: ind_stock, else ind_flow), creating it. */
enum err_code db_ind_add(struct db_conn *c, bool stock, int dim, const char *key, int64_t day,
                         int metric, int shard, int64_t n, struct err *e);

/* The procedure's sector and online level. ERR_NOT_FOUND when absent. */
enum err_code db_ind_procedure(struct db_conn *c, const char *code, char sector[INDR_KEY_SIZE],
                               char online[DBD_SHORT_SIZE], struct err *e);

/* The dossier's indicator state. ERR_NOT_FOUND when it has none. */
enum err_code db_ind_dossier_get(struct db_conn *c, const char *dossier_id, struct indr_state *out,
                                 struct err *e);
/* Writes (inserts or replaces) the dossier's indicator state. */
enum err_code db_ind_dossier_put(struct db_conn *c, const char *dossier_id,
                                 const struct indr_state *s, struct err *e);

/* The level of the dossier's rating. ERR_NOT_FOUND when not rated. */
enum err_code db_ind_rating(struct db_conn *c, const char *dossier_id, char level[DBD_SHORT_SIZE],
                            struct err *e);

/* The groups of a dossier now (for a digitisation fact). ERR_NOT_FOUND when absent. */
struct db_ind_groups {
	char agency[INDR_KEY_SIZE], branch[INDR_KEY_SIZE], commune[INDR_KEY_SIZE];
	char procedure[INDR_KEY_SIZE], sector[INDR_KEY_SIZE];
};
enum err_code db_ind_dossier_groups(struct db_conn *c, const char *dossier_id,
                                    struct db_ind_groups *out, struct err *e);

/* Records a digitisation fact (table ind_fact). */
enum err_code db_ind_fact_insert(struct db_conn *c, const char *id, const char *dossier_id,
                                 int64_t at, int what, const struct db_ind_groups *g,
                                 struct err *e);

/* ---- reads ---- */

/*
 * A row of a read: the group key, the metric, and a = the sum over the
 * period (flows) or over the days before from_day (stocks), b = the sum up
 * to to_day (stocks; 0 for flows). Returns non-zero to stop (the read then
 * returns ERR_OK).
 */
typedef int db_ind_read_fn(void *ctx, const char *key, int metric, int64_t a, int64_t b);

/* Flows of dim over [from_day, to_day], by key and metric; key NULL: every key. */
enum err_code db_ind_read_flows(struct db_conn *c, int dim, int64_t from_day, int64_t to_day,
                                const char *key, db_ind_read_fn *fn, void *ctx, struct err *e);
/* Stocks of dim: a = the sum of the days < from_day, b = the sum of the days <= to_day. */
enum err_code db_ind_read_stocks(struct db_conn *c, int dim, int64_t from_day, int64_t to_day,
                                 const char *key, db_ind_read_fn *fn, void *ctx, struct err *e);

/* A flow of the city per day over [from_day, to_day] into per_day[day - from_day] (n days). */
enum err_code db_ind_city_daily(struct db_conn *c, int metric, int64_t from_day, int64_t to_day,
                                int64_t *per_day, size_t n, struct err *e);

/* The readable name of a group key of dim ("" left when none is known). */
enum err_code db_ind_name(struct db_conn *c, int dim, const char *key, char *out, size_t size,
                          struct err *e);

/* ---- scans for verification ---- */

/* An event as the replay needs it, with the dossier's fixed attributes. */
struct db_ind_event {
	char dossier_id[DBD_ID_SIZE];
	struct db_dossier_event ev;
	char channel[DBD_SHORT_SIZE]; /* the dossier's: online, counter */
	bool received_by_post;        /* the dossier's (migration 0008) */
	char procedure[DBD_KEY_SIZE];
	char commune[DBD_SHORT_SIZE];
	char sector[INDR_KEY_SIZE];
	char online[DBD_SHORT_SIZE];
	char rating[DBD_SHORT_SIZE]; /* "" when not rated */
};

/* Called per row; non-zero stops the scan with that value as an ERR code. */
typedef enum err_code db_ind_event_fn(void *ctx, const struct db_ind_event *r, struct err *e);
typedef enum err_code db_ind_state_fn(void *ctx, const char *dossier_id, const struct indr_state *s,
                                      struct err *e);
typedef enum err_code db_ind_fact_fn(void *ctx, const char *dossier_id, int64_t at, int what,
                                     const struct db_ind_groups *g, struct err *e);
typedef enum err_code db_ind_row_fn(void *ctx, bool stock, int dim, const char *key, int64_t day,
                                    int metric, int shard, int64_t n, struct err *e);

/*
 * The last dossier id of the next page of at most limit dossiers after
 * `after` ("" from the start) in *last. ERR_NOT_FOUND when none is left.
 */
enum err_code db_ind_next_page(struct db_conn *c, const char *after, int64_t limit,
                               char last[DBD_ID_SIZE], struct err *e);
/* The events of the dossiers with after < id <= last, by dossier and version. */
enum err_code db_ind_scan_events(struct db_conn *c, const char *after, const char *last,
                                 db_ind_event_fn *fn, void *ctx, struct err *e);
/* The stored states of the dossiers with after < id <= last, by dossier. */
enum err_code db_ind_scan_states(struct db_conn *c, const char *after, const char *last,
                                 db_ind_state_fn *fn, void *ctx, struct err *e);
/* Every digitisation fact. */
enum err_code db_ind_scan_facts(struct db_conn *c, db_ind_fact_fn *fn, void *ctx, struct err *e);
/* Every counter row of both tables. */
enum err_code db_ind_scan_counters(struct db_conn *c, db_ind_row_fn *fn, void *ctx, struct err *e);
/* The number of rows of ind_dossier. */
enum err_code db_ind_state_count(struct db_conn *c, int64_t *n, struct err *e);

/* Deletes every counter and state (the facts stay): for a rebuild. */
enum err_code db_ind_clear(struct db_conn *c, struct err *e);

#endif
