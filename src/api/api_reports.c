/*
 * api_reports: the periodic reports over HTTP (docs/api.md, docs/reports.md).
 *
 *   GET /api/v1/reports/{period|late|satisfaction}
 *       ?from=YYYY-MM-DD&to=YYYY-MM-DD      the period (default: the month of
 *                                           `to`, up to `to` = today; at most
 *                                           366 days)
 *       &format=json|csv|xlsx               json (default), or a file
 *       &lang=vi|en                         headers and names (default vi)
 *       &limit=N&offset=N                   the late list only: a page (JSON:
 *                                           50 rows by default, at most 500;
 *                                           files: the whole list unless a
 *                                           limit is given)
 *
 * For leaders, supervisors and admins (the service decides: 403 otherwise).
 * JSON is the report's JSON (service/reports.h: report_json); files come
 * with Content-Type text/csv or the XLSX type and Content-Disposition:
 * attachment with a file name. Every answer is Cache-Control: no-store (the
 * late list names applicants and officers). Bad input is a 400 with the
 * registry's {code, hint, detail}; an unknown report a 404.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "base/str.h"
#include "doc/report_csv.h"
#include "doc/report_xlsx.h"
#include "service/reports.h"

#define XLSX_TYPE "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

/* An optional text query parameter that must not be empty. Returns 0 or -1 after a 400. */
static int query_opt(struct http_request *req, struct http_response *res, const char *name,
                     const char **out)
{
	*out = http_request_query(req, name);
	if (*out && !**out) {
		http_response_error(res, ERR_MISSING_ARGUMENT, "query parameter '%s' is empty",
		                    name);
		return -1;
	}
	return 0;
}

static void attach(struct http_response *res, const struct report *r, const char *ext)
{
	char name[REPORTS_FILENAME_SIZE], disp[REPORTS_FILENAME_SIZE + 40];
	report_filename(r, ext, name);
	snprintf(disp, sizeof disp, "attachment; filename=\"%s\"", name);
	http_response_header(res, "Content-Disposition", disp);
}

static void get_report(struct http_request *req, struct http_response *res, void *ctx)
{
	struct api *api = ctx;
	const struct actor *actor = api_require_actor(req, res);
	if (!actor)
		return;
	enum report_type type;
	struct err e;
	err_clear(&e);
	const char *name = http_request_param(req, "type");
	if (reports_type_from_name(name, &type, &e) != ERR_OK) {
		http_response_error(res, ERR_NOT_FOUND,
		                    "no report '%.40s': period, late or satisfaction",
		                    name ? name : "");
		return;
	}
	const char *from, *to, *format, *lang;
	if (query_opt(req, res, "from", &from) || query_opt(req, res, "to", &to) ||
	    query_opt(req, res, "format", &format) || query_opt(req, res, "lang", &lang))
		return;
	if (format && !str_eq(format, "json") && !str_eq(format, "csv") &&
	    !str_eq(format, "xlsx")) {
		http_response_error(res, ERR_INVALID_ARGUMENT,
		                    "query parameter 'format' must be json, csv or xlsx");
		return;
	}
	if (lang && !str_eq(lang, "vi") && !str_eq(lang, "en")) {
		http_response_error(res, ERR_INVALID_ARGUMENT,
		                    "query parameter 'lang' must be vi or en");
		return;
	}
	enum err_lang lg = lang && str_eq(lang, "en") ? ERR_LANG_EN : ERR_LANG_VI;
	bool json = !format || str_eq(format, "json");
	struct report_query q;
	if (reports_query_parse(from, to, service_now(api->svc), &q, &e) != ERR_OK) {
		http_response_err(res, &e);
		return;
	}
	if (type == REPORT_LATE) {
		int64_t def = json ? REPORTS_PAGE_DEFAULT : 0;
		enum err_code rc = http_request_query_int(req, "limit", 1, REPORTS_PAGE_MAX, def,
		                                          &q.limit, &e);
		if (rc == ERR_OK)
			rc = http_request_query_int(req, "offset", 0, REPORTS_OFFSET_MAX, 0,
			                            &q.offset, &e);
		if (rc != ERR_OK) {
			http_response_err(res, &e);
			return;
		}
	} else if (http_request_query(req, "limit") || http_request_query(req, "offset")) {
		http_response_error(res, ERR_INVALID_ARGUMENT,
		                    "'limit' and 'offset' are for the late list only");
		return;
	}
	struct report r;
	if (reports_build(api->svc, actor, type, &q, &r, &e) != ERR_OK) {
		report_release(&r);
		http_response_err(res, &e);
		return;
	}
	if (json) {
		http_response_json(res, 200, report_json(&r, lg));
	} else if (str_eq(format, "csv")) {
		struct buf b;
		buf_init(&b, REPORT_CSV_MAX);
		if (report_csv_write(&r, lg, &b, &e) != ERR_OK) {
			buf_release(&b);
			http_response_err(res, &e);
		} else {
			size_t len = b.len;
			if (http_response_take(res, 200, "text/csv; charset=utf-8", buf_detach(&b),
			                       len) == ERR_OK)
				attach(res, &r, "csv");
		}
	} else {
		char *data;
		size_t len;
		if (report_xlsx_bytes(&r, lg, &data, &len, &e) != ERR_OK)
			http_response_err(res, &e);
		else if (http_response_take(res, 200, XLSX_TYPE, data, len) == ERR_OK)
			attach(res, &r, "xlsx");
	}
	http_response_header(res, "Cache-Control", "no-store");
	report_release(&r);
}

const struct http_route api_report_routes[] = {
        {"GET", API_PREFIX "/reports/{type}", get_report, API_SMALL_BODY_MAX},
};
const size_t api_report_nroutes = sizeof api_report_routes / sizeof api_report_routes[0];
