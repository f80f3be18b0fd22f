/*
 * service: what every use case shares. A use case is one function of
 * src/service/ that runs as ONE database transaction (db_run_txn), asks
 * src/domain/ for the rules, writes through the query files of src/db/, and
 * leaves nothing half-written.
 *
 * struct service is built once at start-up (server or command) and is
 * read-only afterwards, so every thread may use it. struct actor says who is
 * acting; the HTTP layer fills it from the session, the command line makes a
 * system actor.
 */
#ifndef MOTCUA_SERVICE_SERVICE_H
#define MOTCUA_SERVICE_SERVICE_H

#include <stdbool.h>
#include <stdint.h>

#include "base/clock.h"
#include "base/config.h"
#include "base/error.h"
#include "db/db.h"
#include "domain/worktime.h"
#include "service/calendar.h"

#define SERVICE_ID_LEN       17 /* 16 lower-case hex digits (64 random bits) + NUL */
#define SERVICE_CODE_MAX     64 /* unit, procedure, commune codes */
#define SERVICE_USERNAME_MAX 64
#define SERVICE_ADDR_MAX     64

struct service_calendars; /* the calendars published after start-up (service.c) */

struct service {
	struct db *db; /* shared; each thread uses its own connection */
	const struct config *cfg;
	struct clock clock;
	struct calendar calendar; /* built at start-up from the holiday data alone */
	/*
	 * The day table in force: &calendar.cal, or the table of the calendar
	 * last published by service_calendar_publish() when days off announced
	 * by an administrator exist (service/admin.h). An atomic pointer, so a
	 * plain read (svc->cal) is an atomic load: a use case that reads it
	 * once gets one consistent table, and every table published stays
	 * allocated until service_release(), so none is freed under a reader.
	 */
	_Atomic(const struct worktime_calendar *) cal;
	int64_t code_long_from; /* day count, or DOSSIER_LONG_NEVER */
	struct service_calendars *calendars;
};

enum actor_kind { ACTOR_SYSTEM, ACTOR_STAFF, ACTOR_CITIZEN, ACTOR_BUSINESS, ACTOR_ANONYMOUS };

struct actor {
	enum actor_kind kind;
	char account_id[SERVICE_ID_LEN]; /* "" for system and anonymous */
	char username[SERVICE_USERNAME_MAX];
	unsigned roles;                   /* enum lifecycle_role bits */
	char unit_code[SERVICE_CODE_MAX]; /* staff scope: branch, point, agency or commune unit */
	char addr[SERVICE_ADDR_MAX];      /* client address, for audit and rate limits */
};

/*
 * Builds the service context: the clock (MOTCUA_NOW honoured only when the
 * configuration allows it), the calendar from the holiday data (the file named
 * by holidays_file, else the copy built into the binary), office hours and
 * cut-offs from the configuration. db may be NULL for commands that need no
 * database. Release with service_release().
 */
enum err_code service_init(struct service *svc, struct db *db, const struct config *cfg,
                           struct err *e);
void service_release(struct service *svc);

/* ---- the calendar in force (for the administration of holidays, service/admin.c) ---- */

/* The calendar in force (holiday set, data source, day table); valid until service_release(). */
const struct calendar *service_calendar(const struct service *svc);

/*
 * Version of the administrators' announcements the calendar in force was
 * built from (the counter 'calendar.announcements'; 0 at start-up).
 */
int64_t service_calendar_version(const struct service *svc);

/*
 * Serializes the rebuilds of the calendar: service/admin.c holds the lock
 * from reading the announcements to publishing the calendar built from
 * them, so that calendars are published in the order of the data.
 */
void service_calendar_lock(struct service *svc);
void service_calendar_unlock(struct service *svc);

/*
 * Publishes c (malloc'd, built by calendar_load_with(); taken over on
 * ERR_OK) as the calendar in force, built from announcements of this
 * version: one atomic store of svc->cal, readers in flight keep the
 * table they hold, and the earlier calendars stay allocated until
 * service_release(). Call with the lock held. ERR_NO_MEMORY leaves c to
 * the caller.
 */
enum err_code service_calendar_publish(struct service *svc, struct calendar *c, int64_t version,
                                       struct err *e);

/* The current instant. */
int64_t service_now(const struct service *svc);

/* A new random id (16 lower-case hex digits) from libsodium's generator. */
void service_new_id(char out[SERVICE_ID_LEN]);

/* The actor of command-line and background work. */
void service_system_actor(struct actor *a, const char *name);

#endif
