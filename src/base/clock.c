/*
 * clock: real or fixed current instant (see clock.h).
 */
#include "base/clock.h"

#include "base/vntime.h"

enum err_code clock_init(struct clock *c, const char *now_env, bool allowed, struct err *e)
{
	c->fixed = false;
	c->at = 0;
	if (!now_env || !*now_env)
		return ERR_OK;
	if (!allowed)
		return err_set(e, ERR_CLOCK_OVERRIDE_REFUSED,
		               "MOTCUA_NOW is set but allow_clock_override is false");
	int64_t t;
	if (vntime_parse_datetime(now_env, &t))
		return err_set(e, ERR_INVALID_TIME, "invalid MOTCUA_NOW '%s'", now_env);
	c->fixed = true;
	c->at = t;
	return ERR_OK;
}

int64_t clock_now(const struct clock *c)
{
	return c && c->fixed ? c->at : vntime_now_real();
}
