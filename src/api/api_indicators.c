/*
 * api_indicators: the service-quality indicators over HTTP (docs/api.md,
 * docs/indicators.md).
 *
 *   GET /api/v1/indicators?from=YYYY-MM-DD&to=YYYY-MM-DD&by=DIM[&key=K]
 *       the figures of every group of DIM (city, agency, branch, commune,
 *       officer, procedure, sector, step; default city) over the period
 *       (default: the month of `to`, `to` = today), and the city's total:
 *       {"by", "from", "to", "total": {...}, "groups": [{"key", "name",
 *       "figures": {...}}]}
 *   GET /api/v1/indicators/766?from=&to=
 *       the Decision 766 group scores of the city over the period.
 *
 * For leaders, supervisors and admins (the service decides: 403 otherwise).
 * Bad input is a 400 with the registry's {code, hint, detail}.
 */
#include <string.h>

#include "api/api.h"
#include "api/api_indicators.h"
#include "base/str.h"
#include "base/vntime.h"
#include "service/indicators.h"

/*
 * Reads from / to (default: the first of to's month .. today). Returns 0, or
 * -1 after answering a 400.
 */
static int period_of(struct http_request *req, struct http_response *res, struct service *svc,
                     int64_t *from, int64_t *to)
{
	const char *f = http_request_query(req, "from"), *t = http_request_query(req, "to");
	if ((f && !*f) || (t && !*t)) {
		http_response_error(res, ERR_MISSING_ARGUMENT, "query parameter '%s' is empty",
		                    f && !*f ? "from" : "to");
		return -1;
	}
	if (t) {
		if (vntime_parse_date(t, to) != 0) {
			http_response_error(res, ERR_INVALID_DATE, "invalid date '%.40s'", t);
			return -1;
		}
	} else {
		vntime_split(service_now(svc), to, NULL);
	}
	if (f) {
		if (vntime_parse_date(f, from) != 0) {
			http_response_error(res, ERR_INVALID_DATE, "invalid date '%.40s'", f);
			return -1;
		}
	} else {
		struct vndate d = vntime_civil_from_days(*to);
		*from = vntime_days_from_civil(d.year, d.month, 1);
	}
	return 0;
}

static void get_indicators(struct http_request *req, struct http_response *res, void *ctx)
{
	struct api *api = ctx;
	const struct actor *actor = api_require_actor(req, res);
	if (!actor)
		return;
	struct ind_query q;
	memset(&q, 0, sizeof q);
	if (period_of(req, res, api->svc, &q.from_day, &q.to_day))
		return;
	struct err e;
	err_clear(&e);
	const char *by = http_request_query(req, "by"), *key = http_request_query(req, "key");
	q.dim = IND_DIM_CITY;
	if (by && indicators_dim_from_name(by, &q.dim, &e) != ERR_OK) {
		http_response_err(res, &e);
		return;
	}
	if (key) {
		if (!*key) {
			http_response_error(res, ERR_MISSING_ARGUMENT,
			                    "query parameter 'key' is empty");
			return;
		}
		if (str_copy(q.key, sizeof q.key, key) != 0) {
			http_response_error(res, ERR_TOO_LONG, "query parameter 'key' is too long");
			return;
		}
	}
	struct ind_table t;
	if (indicators_read(api->svc, actor, &q, &t, &e) != ERR_OK) {
		http_response_err(res, &e);
		return;
	}
	http_response_json(res, 200, indicators_table_json(&t));
	indicators_table_release(&t);
}

static void get_766(struct http_request *req, struct http_response *res, void *ctx)
{
	struct api *api = ctx;
	const struct actor *actor = api_require_actor(req, res);
	if (!actor)
		return;
	int64_t from, to;
	if (period_of(req, res, api->svc, &from, &to))
		return;
	struct ind766 s;
	struct err e;
	err_clear(&e);
	if (indicators_766(api->svc, actor, from, to, &s, &e) != ERR_OK) {
		http_response_err(res, &e);
		return;
	}
	http_response_json(res, 200, indicators_766_json(&s));
}

const struct http_route api_indicator_routes[] = {
        {"GET", API_PREFIX "/indicators", get_indicators, API_SMALL_BODY_MAX},
        {"GET", API_PREFIX "/indicators/766", get_766, API_SMALL_BODY_MAX},
};
const size_t api_indicator_nroutes = sizeof api_indicator_routes / sizeof api_indicator_routes[0];
