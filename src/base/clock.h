/*
 * clock: the current instant for the whole program, injectable for tests and
 * demo data.
 *
 * By default it is the system's real-time clock. When the configuration has
 * allow_clock_override = true (tests, development), the environment variable
 * MOTCUA_NOW (an ISO 8601 time, Vietnam time when no offset is given) fixes
 * the clock at that instant. MOTCUA_NOW without that permission is refused,
 * so that a production server can never run on a fake clock by accident.
 */
#ifndef MOTCUA_BASE_CLOCK_H
#define MOTCUA_BASE_CLOCK_H

#include <stdbool.h>
#include <stdint.h>

#include "base/error.h"

struct clock {
	bool fixed; /* true when MOTCUA_NOW is in force */
	int64_t at; /* the fixed instant */
};

/*
 * Sets up *c from the environment value now_env (the text of MOTCUA_NOW, or
 * NULL / "" when unset) and the permission. Returns ERR_OK,
 * ERR_CLOCK_OVERRIDE_REFUSED or ERR_INVALID_TIME.
 */
enum err_code clock_init(struct clock *c, const char *now_env, bool allowed, struct err *e);

/* The current instant (epoch seconds). */
int64_t clock_now(const struct clock *c);

#endif
