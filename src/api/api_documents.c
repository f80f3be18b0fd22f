/*
 * api_documents: issued documents over HTTP (docs/api.md, docs/documents.md).
 *
 *   GET  /api/v1/dossiers/{id}/forms/{form}.pdf   a form of a dossier: receipt, supplement,
 *                                                 refusal, apology, stop, control; for whom
 *                                                 may see the dossier
 *   GET  /api/v1/branches/{code}/tracking-book.pdf?from=YYYY-MM-DD&to=YYYY-MM-DD
 *                                                 the tracking book of a branch or service
 *                                                 point (its officers, leaders, supervisors)
 *   POST /api/v1/verify                           verify a file (the PDF as the body)
 *   GET  /api/v1/verify?code=XXXX-XXXX-XXXX       look a verification code up
 *   GET  /api/v1/signing-keys                     the centre's public keys
 *
 * PDFs are answered application/pdf with Content-Disposition (inline, with a
 * file name) and X-Verification-Code. Verification needs no login and shows
 * no personal data. Every rule is the service's (src/doc/documents.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "base/str.h"
#include "base/vntime.h"
#include "doc/documents.h"

#define FORM_FILE_MAX 32 /* bytes of the {form}.pdf capture */

/* Answers a signed PDF. */
static void send_pdf(struct http_response *res, struct documents_pdf *pdf)
{
	char disp[256];
	snprintf(disp, sizeof disp, "inline; filename=\"%s\"", pdf->filename);
	size_t len = pdf->bytes.len;
	char *data = buf_detach(&pdf->bytes);
	if (http_response_take(res, 200, "application/pdf", data, len) != ERR_OK)
		return;
	http_response_header(res, "Content-Disposition", disp);
	http_response_header(res, "X-Verification-Code", pdf->code);
}

/*
 * The answer to HEAD on a document: every issue is a new signed document,
 * registered and audited, so HEAD checks access and applicability and
 * issues nothing (no length: the document does not exist yet).
 */
static void head_pdf(struct http_response *res)
{
	if (http_response_take(res, 200, "application/pdf", NULL, 0) != ERR_OK)
		return;
	http_response_header(res, "Cache-Control", "no-store");
}

static void get_form(struct http_request *req, struct http_response *res, void *ctx)
{
	struct api *api = ctx;
	const struct actor *actor = api_require_actor(req, res);
	if (!actor)
		return;
	const char *id = http_request_param(req, "id");
	const char *file = http_request_param(req, "form");
	if (!id || strlen(id) > API_CODE_MAX) {
		http_response_error(res, ERR_NOT_FOUND, "no such dossier");
		return;
	}
	char form[FORM_FILE_MAX + 1];
	size_t n = file ? strlen(file) : 0;
	if (n <= 4 || n > FORM_FILE_MAX || strcmp(file + n - 4, ".pdf") != 0) {
		http_response_error(res, ERR_NOT_FOUND,
		                    "forms are named receipt.pdf, supplement.pdf, refusal.pdf, "
		                    "apology.pdf, stop.pdf or control.pdf");
		return;
	}
	memcpy(form, file, n - 4);
	form[n - 4] = '\0';
	struct documents_pdf pdf;
	struct err e;
	err_clear(&e);
	if (http_request_method_is(req, "HEAD")) {
		if (documents_form_check(api->svc, actor, id, form, &e) != ERR_OK)
			http_response_err(res, &e);
		else
			head_pdf(res);
		return;
	}
	if (documents_form(api->svc, actor, id, form, &pdf, &e) != ERR_OK)
		http_response_err(res, &e);
	else
		send_pdf(res, &pdf);
	documents_pdf_release(&pdf);
}

/* A date query parameter into *day (def when absent). Returns 0, or -1 after answering 400. */
static int query_day(struct http_request *req, struct http_response *res, const char *name,
                     int64_t def, int64_t *day)
{
	const char *v = http_request_query(req, name);
	*day = def;
	if (!v)
		return 0;
	if (vntime_parse_date(v, day) != 0) {
		http_response_error(res, ERR_INVALID_DATE,
		                    "query parameter '%s' must be YYYY-MM-DD", name);
		return -1;
	}
	return 0;
}

static void get_tracking_book(struct http_request *req, struct http_response *res, void *ctx)
{
	struct api *api = ctx;
	const struct actor *actor = api_require_actor(req, res);
	if (!actor)
		return;
	const char *unit = http_request_param(req, "code");
	int64_t today, from, to;
	int sec;
	vntime_split(service_now(api->svc), &today, &sec);
	if (query_day(req, res, "to", today, &to) != 0)
		return;
	struct vndate d = vntime_civil_from_days(to);
	if (query_day(req, res, "from", vntime_days_from_civil(d.year, d.month, 1), &from) != 0)
		return;
	struct documents_pdf pdf;
	struct err e;
	err_clear(&e);
	if (http_request_method_is(req, "HEAD")) {
		if (documents_tracking_book_check(api->svc, actor, unit, from, to, &e) != ERR_OK)
			http_response_err(res, &e);
		else
			head_pdf(res);
		return;
	}
	if (documents_tracking_book(api->svc, actor, unit, from, to, &pdf, &e) != ERR_OK)
		http_response_err(res, &e);
	else
		send_pdf(res, &pdf);
	documents_pdf_release(&pdf);
}

/* The answer of a verification (no personal data). */
static json_t *verdict_json(const struct documents_verdict *v)
{
	json_t *o = json_object();
	json_object_set_new(o, "valid", json_boolean(v->valid));
	if (!v->valid) {
		json_object_set_new(o, "reason", json_string(v->reason));
		json_object_set_new(o, "detail", http_json_text(v->detail));
		json_object_set_new(o, "code", api_text(v->code));
		json_object_set_new(o, "sha256", api_text(v->sha256));
		return o;
	}
	const struct db_issued_document *d = &v->doc;
	json_object_set_new(o, "code", json_string(d->code));
	json_object_set_new(o, "kind", json_string(d->kind));
	json_object_set_new(o, "form", json_string(d->form));
	json_object_set_new(o, "set", api_text(d->form_set));
	json_object_set_new(o, "dossier", api_text(d->dossier_code));
	if (d->unit_code[0]) {
		json_t *u = json_object();
		json_object_set_new(u, "code", json_string(d->unit_code));
		json_object_set_new(u, "name", http_json_text(v->unit_name));
		json_object_set_new(o, "unit", u);
	} else {
		json_object_set_new(o, "unit", json_null());
	}
	if (d->period_from != DB_NONE) {
		json_t *p = json_object();
		json_object_set_new(p, "from", api_day(d->period_from));
		json_object_set_new(p, "to", api_day(d->period_to));
		json_object_set_new(o, "period", p);
	} else {
		json_object_set_new(o, "period", json_null());
	}
	json_object_set_new(o, "issued_at", api_time(d->issued_at));
	json_object_set_new(o, "key", json_string(d->key_id));
	json_object_set_new(o, "key_current", json_boolean(v->key_current));
	json_object_set_new(o, "key_retired_at", api_time(v->key_retired_at));
	json_object_set_new(o, "sha256", json_string(d->sha256));
	json_object_set_new(o, "bytes", json_integer(d->bytes));
	return o;
}

static void post_verify(struct http_request *req, struct http_response *res, void *ctx)
{
	struct api *api = ctx;
	if (!http_request_content_type_is(req, "application/pdf") &&
	    !http_request_content_type_is(req, "application/octet-stream")) {
		http_response_error(
		        res, ERR_UNSUPPORTED_MEDIA_TYPE,
		        "send the file as the body with 'Content-Type: application/pdf'");
		return;
	}
	if (req->body.len == 0) {
		http_response_error(res, ERR_MISSING_ARGUMENT,
		                    "send the file to verify as the body");
		return;
	}
	struct documents_verdict v;
	struct err e;
	err_clear(&e);
	if (documents_verify_file(api->svc, req->body.data, req->body.len, &v, &e) != ERR_OK) {
		http_response_err(res, &e);
		return;
	}
	http_response_json(res, 200, verdict_json(&v));
}

static void get_verify(struct http_request *req, struct http_response *res, void *ctx)
{
	struct api *api = ctx;
	const char *code = http_request_query(req, "code");
	if (str_empty(code)) {
		http_response_error(res, ERR_MISSING_ARGUMENT,
		                    "give the verification code: ?code=");
		return;
	}
	struct documents_verdict v;
	struct err e;
	err_clear(&e);
	if (documents_verify_code(api->svc, code, &v, &e) != ERR_OK) {
		http_response_err(res, &e);
		return;
	}
	http_response_json(res, 200, verdict_json(&v));
}

static void get_keys(struct http_request *req, struct http_response *res, void *ctx)
{
	struct api *api = ctx;
	(void)req;
	struct documents_key *keys;
	size_t n;
	struct err e;
	err_clear(&e);
	if (documents_keys(api->svc, &keys, &n, &e) != ERR_OK) {
		http_response_err(res, &e);
		return;
	}
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *k = json_object();
		json_object_set_new(k, "id", json_string(keys[i].id));
		json_object_set_new(k, "algorithm", json_string("Ed25519"));
		json_object_set_new(k, "public_key", json_string(keys[i].public_key));
		json_object_set_new(k, "current", json_boolean(keys[i].current));
		json_object_set_new(k, "created_at", api_time(keys[i].created_at));
		json_object_set_new(k, "retired_at", api_time(keys[i].retired_at));
		json_array_append_new(items, k);
	}
	free(keys);
	json_t *o = json_object();
	json_object_set_new(o, "items", items);
	json_object_set_new(o, "total", json_integer((json_int_t)n));
	http_response_json(res, 200, o);
}

const struct http_route api_document_routes[] = {
        {"GET", API_PREFIX "/dossiers/{id}/forms/{form}", get_form, API_SMALL_BODY_MAX},
        {"GET", API_PREFIX "/branches/{code}/tracking-book.pdf", get_tracking_book,
         API_SMALL_BODY_MAX},
        {"POST", API_PREFIX "/verify", post_verify, DOCUMENTS_VERIFY_MAX},
        {"GET", API_PREFIX "/verify", get_verify, API_SMALL_BODY_MAX},
        {"GET", API_PREFIX "/signing-keys", get_keys, API_SMALL_BODY_MAX},
};
const size_t api_document_nroutes = sizeof api_document_routes / sizeof api_document_routes[0];
