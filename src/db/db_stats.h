/*
 * db_stats: the SQL of the leaders' figures, computed from the dossier
 * tables (dossier, dossier_event, dossier_rating, unit) at the time of the
 * request. Issue 7 (indicators) will replace the counts with counters kept
 * in the same transaction as each change; the meaning stays the one below.
 *
 * What each metric counts (service/stats.h says it for the pages too).
 * "Legal due" is the appointment first given by law, original_due_at (it
 * moves with a supplement's restart or continuation, not with an apology's
 * extension), or due_at when the row has none. Days are Vietnam calendar
 * days ((epoch + 7 h) / 86400). A period is the instants [from, to).
 *
 *   received          the reception action -- `receive` at a counter or
 *                     `accept` of an online filing (dossier_event) -- took
 *                     place in the period (its instant, not the legal
 *                     reception instant that a cut-off moves to the next
 *                     working day); refusals at reception are not received
 *   online            received, and filed online (dossier.channel)
 *   resolved          a result -- granted (`complete`, `sign_off`) or refused
 *                     after processing (`refuse`): outcome set -- was reached
 *                     in the period (resolved_at); withdrawn and stopped
 *                     dossiers are not resolved
 *   resolved_late     resolved after the legal due instant
 *   resolved_early    resolved on a calendar day before the legal due's day
 *   resolved_on_time  resolved, neither early nor late (also when the row has
 *                     no due: none should, every received dossier gets one)
 *   open              in progress now, whatever the period: received,
 *                     processing, awaiting_signoff (clock running),
 *                     supplement_requested, fees_due (clock paused)
 *   open_late         open, and the clock is running and the legal due falls
 *                     on the day of now or before (late at the end of today:
 *                     the indicator counters are kept per day), or it is
 *                     paused and the pause began after the legal due
 *   open_on_time      open and not open_late
 *   rated             a satisfaction rating was given in the period
 *   satisfied         rated, at any level but `dissatisfied`
 *
 * The unit of a metric (for "by unit" figures and a list's unit filter):
 * the receiving unit (branch) for received and online; the competent unit
 * (agency) for resolved* and open*; the receiving unit for rated and
 * satisfied (the branch that served the applicant).
 *
 * Every function takes a connection inside a transaction opened by the
 * service layer; SQL is assembled from the fixed fragments of db_stats.c
 * only, in the common subset of SQLite and PostgreSQL.
 */
#ifndef MOTCUA_DB_DB_STATS_H
#define MOTCUA_DB_DB_STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/error.h"
#include "db/db.h"
#include "db/db_dossier.h"

enum db_stats_metric {
	DB_STATS_RECEIVED,
	DB_STATS_ONLINE,
	DB_STATS_RESOLVED,
	DB_STATS_RESOLVED_EARLY,
	DB_STATS_RESOLVED_ON_TIME,
	DB_STATS_RESOLVED_LATE,
	DB_STATS_OPEN,
	DB_STATS_OPEN_ON_TIME,
	DB_STATS_OPEN_LATE,
	DB_STATS_RATED,
	DB_STATS_SATISFIED,
	DB_STATS_N_METRICS
};

/* The instants a metric is counted over: [from, to), and now for open*. */
struct db_stats_span {
	int64_t from, to, now;
};

/* True when the metric is a count at `now` that ignores from / to (open*). */
bool db_stats_metric_is_snapshot(enum db_stats_metric m);

/*
 * *out = how many dossiers the metric counts over span, restricted to the
 * metric's unit column = unit when unit is not NULL or "".
 */
enum err_code db_stats_count(struct db_conn *c, enum db_stats_metric m,
                             const struct db_stats_span *span, const char *unit, int64_t *out,
                             struct err *e);

/* A count per Vietnam day. */
struct db_stats_day {
	int64_t day; /* days since 1970-01-01 */
	int64_t count;
};

/*
 * The metric per Vietnam day of its instant (reception, resolution or
 * rating), days with none left out, in day order, at most max of them into
 * out[] (*n of them). ERR_INVALID_ARGUMENT for a snapshot metric.
 */
enum err_code db_stats_daily(struct db_conn *c, enum db_stats_metric m,
                             const struct db_stats_span *span, struct db_stats_day *out, size_t max,
                             size_t *n, struct err *e);

/* A count per unit. */
struct db_stats_group {
	char code[DBD_KEY_SIZE];
	char name_vi[DBD_TEXT_SIZE]; /* "" when the unit is not in the table */
	char name_en[DBD_TEXT_SIZE];
	int64_t count; /* dossiers of the metric */
	int64_t part;  /* of which the part metric counts (0 when none was asked) */
};

struct db_stats_group_list {
	struct db_stats_group *items;
	size_t count;
};
void db_stats_group_list_free(struct db_stats_group_list *l);

/*
 * The metric per value of its unit column (dossiers without one left out),
 * the largest counts first (then by code), at most limit groups. part, when
 * not negative, must refine m (the same base: e.g. resolved_late of resolved)
 * and is counted in each group's part; else ERR_INVALID_ARGUMENT.
 */
enum err_code db_stats_by_unit(struct db_conn *c, enum db_stats_metric m, int part,
                               const struct db_stats_span *span, int64_t limit,
                               struct db_stats_group_list *out, struct err *e);

/* A dossier behind a figure: no personal data beyond the applicant's name. */
struct db_stats_line {
	char id[DBD_ID_SIZE];
	char code[DBD_KEY_SIZE];
	char procedure_code[DBD_KEY_SIZE];
	char state[DBD_SHORT_SIZE];
	char outcome[DBD_SHORT_SIZE];
	char channel[DBD_SHORT_SIZE];
	char applicant_name[DBD_NAME_SIZE];
	char receiving_unit[DBD_KEY_SIZE];
	char competent_unit[DBD_KEY_SIZE];
	int64_t received_at;         /* the reception action's instant; DB_NONE when none */
	int64_t due_at;              /* the legal due; DB_NONE when none */
	int64_t resolved_at;         /* DB_NONE when not resolved */
	char rating[DBD_SHORT_SIZE]; /* "" when not rated */
};

struct db_stats_line_list {
	struct db_stats_line *items;
	size_t count;
};
void db_stats_line_list_free(struct db_stats_line_list *l);

/*
 * One page of the dossiers the metric counts (unit as in db_stats_count()),
 * newest instant first (open*: the earliest legal due first), and the total
 * in *total.
 */
enum err_code db_stats_list(struct db_conn *c, enum db_stats_metric m,
                            const struct db_stats_span *span, const char *unit, int64_t limit,
                            int64_t offset, struct db_stats_line_list *out, int64_t *total,
                            struct err *e);

#endif
