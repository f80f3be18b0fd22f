/*
 * db_reports: the SQL of the reports that are read from the dossier tables
 * (service/reports.h): the late dossiers of a period and the satisfaction
 * figures. The period report itself reads the indicators' counters
 * (db_indicators.h), not these tables.
 *
 * Definitions (docs/reports.md says them for readers):
 *   legal due       COALESCE(original_due_at, due_at): the appointment given
 *                   by law, moved by a supplement's restart or continuation,
 *                   not by an apology's extension (docs/lifecycle.md)
 *   resolved        entered result_ready (outcome set) or stopped, at
 *                   resolved_at; resolved late: resolved_at > legal due
 *   in progress and late at an instant T
 *                   the dossier's last event before T left it in a state
 *                   whose legal clock runs (received, processing,
 *                   awaiting_signoff) and its legal due at T is before T; the
 *                   legal due at T is the smaller of the appointment of that
 *                   event and the legal due now (an extension only moves the
 *                   appointment, a later supplement only moves the due later).
 *                   A paused dossier (supplement requested, fees due) is not
 *                   late, as in the indicators (service/indicators.h).
 *
 * Every function takes a connection inside a transaction opened by the
 * service layer.
 */
#ifndef MOTCUA_DB_DB_REPORTS_H
#define MOTCUA_DB_DB_REPORTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/error.h"
#include "db/db.h"
#include "db/db_dossier.h"

/* A late dossier: the applicant's name and no other personal data. */
struct db_late_line {
	char id[DBD_ID_SIZE];
	char code[DBD_KEY_SIZE];
	char procedure_code[DBD_KEY_SIZE];
	char applicant_name[DBD_NAME_SIZE];
	char agency[DBD_KEY_SIZE]; /* the competent unit now ("" when none) */
	int64_t due_at;            /* the legal due (at T for a dossier in progress) */
	int64_t resolved_at;       /* DB_NONE: in progress and late at T */
	int64_t step_seq;          /* the dossier's step now */
	int64_t version;           /* the dossier's version now */
};

struct db_late_list {
	struct db_late_line *items;
	size_t count;
};
void db_late_list_free(struct db_late_list *l);

/*
 * The dossiers resolved late in [from, to) and those in progress and late at
 * `to`, the earliest legal due first (then code, id), one page of at most
 * limit from offset, and the number of them all in *total (when not NULL).
 */
enum err_code db_reports_late(struct db_conn *c, int64_t from, int64_t to, int64_t limit,
                              int64_t offset, struct db_late_list *out, int64_t *total,
                              struct err *e);

/* The full name of an account ("" when there is none by that id). */
enum err_code db_reports_account_name(struct db_conn *c, const char *id, char *out, size_t size,
                                      struct err *e);

/* The names of step seq of a procedure; ERR_NOT_FOUND when it has no such step. */
enum err_code db_reports_step_name(struct db_conn *c, const char *procedure, int64_t seq, char *vi,
                                   char *en, size_t size, struct err *e);

/* ---- satisfaction ---- */

enum db_sat_unit {
	DB_SAT_AGENCY, /* the competent unit */
	DB_SAT_BRANCH  /* the receiving unit */
};

/* The figures of one unit ("" for dossiers without one). */
struct db_sat_group {
	char unit[DBD_KEY_SIZE];
	int64_t rated, very_satisfied, satisfied, neutral,
	        dissatisfied; /* ratings given in the period */
	int64_t complaints;   /* complaints filed in the period */
	int64_t resolved;     /* resolved in the period (within competence, Decision 766) */
	int64_t unsatisfied;  /* of those, rated dissatisfied or complained about before `to` */
};

struct db_sat_list {
	struct db_sat_group *items; /* by unit code */
	size_t count;
};
void db_sat_list_free(struct db_sat_list *l);

/* The satisfaction figures of [from, to) by unit. */
enum err_code db_reports_satisfaction(struct db_conn *c, enum db_sat_unit by, int64_t from,
                                      int64_t to, struct db_sat_list *out, struct err *e);

#endif
