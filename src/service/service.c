/*
 * service: the shared context of the use cases (see service.h).
 */
#include "service/service.h"

#include <pthread.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/str.h"
#include "base/vntime.h"
#include "domain/dossier_code.h"
#include "service/admin.h"

/*
 * The calendars published after start-up (days off announced by an
 * administrator). Readers never lock: they load svc->cal (or current) once.
 * A publication appends the new calendar to `kept` and swaps the pointers;
 * nothing is freed before service_release(), when no request runs any more,
 * since a request may still hold an earlier table. Announcements are a few
 * a year, a calendar some hundred kilobytes: keeping them costs little, and
 * avoids reference counts or hazard pointers on the hot path.
 */
struct service_calendars {
	pthread_mutex_t lock;                     /* held by the rebuilds (service_calendar_lock) */
	_Atomic(const struct calendar *) current; /* the calendar whose table svc->cal is */
	atomic_int_fast64_t version;
	struct calendar **kept; /* every calendar published, freed by service_release() */
	size_t nkept, capkept;
};

enum err_code service_init(struct service *svc, struct db *db, const struct config *cfg,
                           struct err *e)
{
	enum err_code rc;
	memset(svc, 0, sizeof *svc);
	svc->db = db;
	svc->cfg = cfg;
	if (sodium_init() < 0)
		return err_set(e, ERR_INTERNAL, "cannot initialise libsodium");
	rc = clock_init(&svc->clock, getenv("MOTCUA_NOW"),
	                config_bool(cfg, CONFIG_OPT_allow_clock_override), e);
	if (rc != ERR_OK)
		return rc;
	const char *from = config_str(cfg, CONFIG_OPT_dossier_code_long_from);
	svc->code_long_from = DOSSIER_LONG_NEVER;
	if (!str_empty(from) && vntime_parse_date(from, &svc->code_long_from))
		return err_set(e, ERR_CONFIG_INVALID, "invalid dossier_code_long_from '%s'", from);
	rc = calendar_load(cfg, &svc->calendar, e);
	if (rc != ERR_OK)
		return rc;
	atomic_init(&svc->cal, &svc->calendar.cal);
	svc->calendars = calloc(1, sizeof *svc->calendars);
	if (!svc->calendars || pthread_mutex_init(&svc->calendars->lock, NULL) != 0) {
		free(svc->calendars);
		svc->calendars = NULL;
		service_release(svc);
		return err_set(e, ERR_NO_MEMORY, "out of memory");
	}
	atomic_init(&svc->calendars->current, &svc->calendar);
	atomic_init(&svc->calendars->version, 0);
	/* the days off announced by administrators, when the database has them */
	if (db && (rc = admin_calendar_sync(svc, e)) != ERR_OK) {
		service_release(svc);
		return rc;
	}
	return ERR_OK;
}

void service_release(struct service *svc)
{
	struct service_calendars *k = svc->calendars;
	if (k) {
		for (size_t i = 0; i < k->nkept; i++) {
			calendar_release(k->kept[i]);
			free(k->kept[i]);
		}
		free(k->kept);
		pthread_mutex_destroy(&k->lock);
		free(k);
		svc->calendars = NULL;
	}
	if (atomic_load(&svc->cal))
		calendar_release(&svc->calendar);
	atomic_store(&svc->cal, NULL);
}

const struct calendar *service_calendar(const struct service *svc)
{
	return svc->calendars ? atomic_load(&svc->calendars->current) : &svc->calendar;
}

int64_t service_calendar_version(const struct service *svc)
{
	return svc->calendars ? atomic_load(&svc->calendars->version) : 0;
}

void service_calendar_lock(struct service *svc)
{
	pthread_mutex_lock(&svc->calendars->lock);
}

void service_calendar_unlock(struct service *svc)
{
	pthread_mutex_unlock(&svc->calendars->lock);
}

enum err_code service_calendar_publish(struct service *svc, struct calendar *c, int64_t version,
                                       struct err *e)
{
	struct service_calendars *k = svc->calendars;
	if (k->nkept == k->capkept) {
		size_t cap = k->capkept ? k->capkept * 2 : 4;
		struct calendar **kept = realloc(k->kept, cap * sizeof *kept);
		if (!kept)
			return err_set(e, ERR_NO_MEMORY, "out of memory");
		k->kept = kept;
		k->capkept = cap;
	}
	k->kept[k->nkept++] = c;
	atomic_store(&k->current, c);
	atomic_store(&svc->cal, &c->cal);
	atomic_store(&k->version, version);
	return ERR_OK;
}

int64_t service_now(const struct service *svc)
{
	return clock_now(&svc->clock);
}

void service_new_id(char out[SERVICE_ID_LEN])
{
	unsigned char raw[(SERVICE_ID_LEN - 1) / 2];
	randombytes_buf(raw, sizeof raw);
	sodium_bin2hex(out, SERVICE_ID_LEN, raw, sizeof raw);
}

void service_system_actor(struct actor *a, const char *name)
{
	memset(a, 0, sizeof *a);
	a->kind = ACTOR_SYSTEM;
	a->roles = 0;
	str_copy(a->username, sizeof a->username, name ? name : "system");
	str_copy(a->addr, sizeof a->addr, "local");
}
