/*
 * stats: the figures of the leaders' overview, and the dossiers behind each.
 *
 * The figures are read from the indicator counters kept in the same
 * transaction as every change (service/indicators.h, docs/indicators.md),
 * except rated and satisfied, counted from dossier_rating; the lists behind
 * them come from the dossier tables (db/db_stats.c holds the SQL). What each
 * figure means:
 *
 *   received          dossiers whose reception took place in the period: the
 *                     `receive` action at a counter or the `accept` of an
 *                     online filing (the instant of the action; refusals at
 *                     reception are not received)
 *   online            received dossiers that were filed online
 *                     (online share = online / received)
 *   resolved          dossiers that reached a result in the period: granted
 *                     (`complete`, `sign_off`) or refused after processing
 *                     (`refuse`), i.e. entered result_ready; withdrawn and
 *                     stopped dossiers are not resolved
 *   resolved_early    resolved on a calendar day (Vietnam time) before the
 *                     day of the legal due
 *   resolved_on_time  resolved, not early, not after the legal due instant
 *   resolved_late     resolved after the legal due instant
 *   open              in progress now (whatever the period): received,
 *                     processing, awaiting_signoff (legal clock running),
 *                     supplement_requested, fees_due (clock paused)
 *   open_late         in progress and late at the end of today: the clock
 *                     runs and the legal due falls on today or before, or it
 *                     is paused and the pause began after the legal due (the
 *                     list behind it: late now, by the second)
 *   open_on_time      in progress and not late
 *   rated             satisfaction ratings given in the period
 *   satisfied         of those, ratings other than `dissatisfied`
 *                     (satisfaction = satisfied / rated)
 *
 * The legal due is the appointment given by law (original_due_at): a
 * supplement's restart or continuation moves it, an apology's extension does
 * not, so a dossier resolved after it stays late even with a new appointment
 * (docs/lifecycle.md, section 5). "Early / on time / late" follow
 * worktime_judge() (domain/worktime.h).
 *
 * Figures by unit: received and online by receiving unit (the branch),
 * resolved* and open* by competent unit (the agency), rated and satisfied
 * by receiving unit.
 *
 * Who may read: leaders, supervisors and admins (the city), and the system
 * actor; others get ERR_FORBIDDEN. Figures hold no personal data; the lists
 * behind them show the applicant's name and no other personal data, and
 * each list read is audited ("stats.list").
 */
#ifndef MOTCUA_SERVICE_STATS_H
#define MOTCUA_SERVICE_STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/error.h"
#include "db/db_stats.h"
#include "service/service.h"

#define STATS_TOP          12  /* units in each figure by unit */
#define STATS_MAX_DAYS     366 /* longest period of a list, in days */
#define STATS_LIST_DEFAULT 50  /* dossiers of a list page when no limit is given */
#define STATS_LIST_MAX     500 /* largest limit of a list page */
#define STATS_OFFSET_MAX   1000000

/* "received", "online", "resolved", ...; NULL when out of range. */
const char *stats_metric_name(enum db_stats_metric m);
/* Parses a metric name. Returns ERR_OK or ERR_INVALID_ARGUMENT. */
enum err_code stats_metric_from_name(const char *name, enum db_stats_metric *out, struct err *e);

/* The count of every metric over one period (open* at now). */
struct stats_figures {
	int64_t from_day, to_day; /* the period's Vietnam days, both included */
	int64_t n[DB_STATS_N_METRICS];
};

/* The overview of the day and the month of now. */
struct stats_overview {
	int64_t now;
	int64_t today;       /* Vietnam day of now */
	int64_t month_first; /* first day of today's month */
	struct stats_figures day, month;
	int n_days;                         /* days of the month up to today (1..31) */
	int64_t per_day[31];                /* received on month_first + i */
	struct db_stats_group_list on_time; /* resolved this month by competent unit: count =
	                                       resolved, part = resolved late */
	struct db_stats_group_list overdue; /* open late now by competent unit */
	struct db_stats_group_list load;    /* received this month by receiving unit */
};

/*
 * Counts everything the overview shows, in one read transaction.
 * Release with stats_overview_free(). ERR_FORBIDDEN for other actors.
 */
enum err_code stats_overview_get(struct service *svc, const struct actor *actor,
                                 struct stats_overview *out, struct err *e);
void stats_overview_free(struct stats_overview *o);

/*
 * The figures of the days [from_day, to_day] (at most STATS_MAX_DAYS).
 * ERR_INVALID_DATE / ERR_OUT_OF_RANGE for a bad period.
 */
enum err_code stats_figures_get(struct service *svc, const struct actor *actor, int64_t from_day,
                                int64_t to_day, struct stats_figures *out, struct err *e);

struct stats_list_query {
	enum db_stats_metric metric;
	int64_t from_day, to_day; /* both included; ignored by open* */
	const char *unit;         /* NULL / "": every unit */
	int64_t limit;            /* 0: STATS_LIST_DEFAULT */
	int64_t offset;
};

struct stats_list {
	struct db_stats_line_list lines;
	int64_t total;
	int64_t now;
	char unit_name_vi[DBD_TEXT_SIZE]; /* the unit's names when a unit was asked and exists */
	char unit_name_en[DBD_TEXT_SIZE];
};

/*
 * The dossiers behind a figure, one page, audited. ERR_INVALID_DATE when
 * to_day < from_day, ERR_OUT_OF_RANGE for a period longer than
 * STATS_MAX_DAYS or a bad limit / offset, ERR_INVALID_ARGUMENT for a bad
 * unit code (letters, digits, '-', '_', '.') or metric. Release with
 * stats_list_free().
 */
enum err_code stats_list_get(struct service *svc, const struct actor *actor,
                             const struct stats_list_query *q, struct stats_list *out,
                             struct err *e);
void stats_list_free(struct stats_list *l);

#endif
