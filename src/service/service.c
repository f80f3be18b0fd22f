/*
 * service: the shared context of the use cases (see service.h).
 */
#include "service/service.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/str.h"
#include "base/vntime.h"
#include "domain/dossier_code.h"

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
	svc->cal = &svc->calendar.cal;
	return ERR_OK;
}

void service_release(struct service *svc)
{
	if (svc->cal)
		calendar_release(&svc->calendar);
	svc->cal = NULL;
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
