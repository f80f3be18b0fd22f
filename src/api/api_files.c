/*
 * api_files: scanned components and electronic results (docs/api.md,
 * docs/documents.md "Files").
 *
 *   POST /api/v1/dossiers/{id}/files          upload (multipart/form-data: kind=component|result,
 *                                             component=N, file=@scan.pdf), streamed
 *   GET  /api/v1/dossiers/{id}/files          the files the caller may see, with the
 *                                             digitisation figures
 *   GET  /api/v1/dossiers/{id}/files/{file}   download
 *   GET  /api/v1/dossiers/{id}/reusable       earlier files of the same applicant
 *   POST /api/v1/dossiers/{id}/reuse          {"file": ID, "component": N}
 *   GET  /api/v1/lookup/results?code=&id_last4=          results of the public look-up
 *   GET  /api/v1/lookup/results/{file}?code=&id_last4=   download one of them
 *
 * Every rule is the service's (service/files.h); this file parses and
 * answers, and holds the streamed upload shared with the pages.
 */
#include "api/api_files.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/str.h"
#include "doc/documents.h"

/* ---- the streamed upload ---- */

static enum err_code up_file_begin(void *ctx, const struct multipart_file *f, struct err *e)
{
	struct api_upload *u = ctx;
	if (!str_eq(f->field, API_UPLOAD_FIELD))
		return err_set(e, ERR_INVALID_ARGUMENT, "send the file in the field '%s', not '%s'",
		               API_UPLOAD_FIELD, f->field);
	if (u->have_file)
		return err_set(e, ERR_INVALID_ARGUMENT, "send one file per request");
	u->have_file = true;
	u->filename = http_request_strdup(u->req, f->filename ? f->filename : "");
	if (!u->filename)
		return err_set(e, ERR_NO_MEMORY, "out of memory");
	return files_tmp_open(&u->fc, u->max, &u->tmp, e);
}

static enum err_code up_file_data(void *ctx, const char *data, size_t n, struct err *e)
{
	struct api_upload *u = ctx;
	return files_tmp_write(&u->tmp, data, n, e);
}

static const struct multipart_ops upload_ops = {up_file_begin, up_file_data, NULL};

static void upload_cleanup(void *arg)
{
	struct api_upload *u = arg;
	files_tmp_discard(&u->tmp);
}

enum err_code api_upload_begin(struct http_request *req, struct service *svc, const char *dossier,
                               int64_t max, size_t *max_body, struct err *e)
{
	struct api_upload *u = http_request_alloc(req, sizeof *u);
	if (!u || http_request_on_cleanup(req, upload_cleanup, u) != 0)
		return err_set(e, ERR_NO_MEMORY, "out of memory");
	files_tmp_init(&u->tmp);
	u->svc = svc;
	u->req = req;
	req->stream_state = u;
	enum err_code rc = files_config_load(svc->cfg, &u->fc, e);
	if (rc != ERR_OK)
		return rc;
	u->max = max;
	if (dossier) {
		const struct api_user *user = api_user_of(req);
		if (!user || !user->authenticated)
			return err_set(e, ERR_UNAUTHORIZED, "log in first");
		if (strlen(dossier) > API_CODE_MAX)
			return err_set(e, ERR_NOT_FOUND, "no such dossier");
		rc = files_upload_allowance(svc, &user->actor, dossier, &u->max, e);
		if (rc != ERR_OK)
			return rc;
	}
	*max_body = (size_t)u->max + MULTIPART_OVERHEAD;
	return multipart_begin(req, &upload_ops, u, &u->mp, e);
}

enum err_code api_upload_data(struct http_request *req, void *ctx, const char *data, size_t n,
                              struct err *e)
{
	(void)ctx;
	struct api_upload *u = req->stream_state;
	if (!u || !u->mp)
		return err_set(e, ERR_INTERNAL, "no upload in progress");
	return multipart_feed(u->mp, data, n, e);
}

enum err_code api_upload_end(struct http_request *req, void *ctx, struct err *e)
{
	(void)ctx;
	struct api_upload *u = req->stream_state;
	if (!u || !u->mp)
		return err_set(e, ERR_INTERNAL, "no upload in progress");
	return multipart_finish(u->mp, e);
}

struct api_upload *api_upload_of(const struct http_request *req)
{
	return req->stream_state;
}

const char *api_upload_field(const struct http_request *req, const char *name)
{
	const struct api_upload *u = req->stream_state;
	return u && u->mp ? multipart_field(u->mp, name) : NULL;
}

/* ---- answers ---- */

void api_send_file(struct http_response *res, const struct db_dossier_file *f, int fd)
{
	char disp[1024];
	if (http_content_disposition(disp, sizeof disp, "attachment", f->filename) != 0)
		snprintf(disp, sizeof disp, "attachment; filename=\"file\"");
	if (http_response_file(res, 200, f->media_type, fd, (uint64_t)f->bytes) != ERR_OK)
		return;
	http_response_header(res, "Content-Disposition", disp);
	http_response_header(res, "X-Content-SHA256", f->sha256);
	http_response_set_header(res, "X-Content-Type-Options", "nosniff");
	http_response_set_header(res, "Content-Security-Policy", "default-src 'none'; sandbox");
}

json_t *api_file_json(const struct db_dossier_file *f, const char *download)
{
	json_t *o = json_object();
	json_object_set_new(o, "id", json_string(f->id));
	json_object_set_new(o, "dossier",
	                    api_text(f->dossier_code[0] ? f->dossier_code : f->dossier_id));
	json_object_set_new(o, "kind", json_string(f->kind));
	json_object_set_new(o, "component", api_int(f->component_seq));
	json_object_set_new(o, "component_name", api_text(f->component_name));
	json_object_set_new(o, "filename", http_json_text(f->filename));
	json_object_set_new(o, "media_type", json_string(f->media_type));
	json_object_set_new(o, "bytes", json_integer(f->bytes));
	json_object_set_new(o, "sha256", json_string(f->sha256));
	json_object_set_new(o, "uploaded_at", api_time(f->uploaded_at));
	if (f->reused_from_file[0]) {
		json_t *r = json_object();
		json_object_set_new(r, "file", json_string(f->reused_from_file));
		json_object_set_new(r, "dossier",
		                    api_text(f->reused_from_code[0] ? f->reused_from_code
		                                                    : f->reused_from_dossier));
		json_object_set_new(o, "reused_from", r);
	} else {
		json_object_set_new(o, "reused_from", json_null());
	}
	json_object_set_new(o, "download", download ? json_string(download) : json_null());
	return o;
}

json_t *api_files_figures_json(const struct db_files_figures *fig)
{
	json_t *o = json_object();
	json_object_set_new(o, "components_digitised", json_integer(fig->components_digitised));
	json_object_set_new(o, "components_reused", json_integer(fig->components_reused));
	json_object_set_new(o, "results_electronic", json_integer(fig->results));
	json_object_set_new(o, "result_issued_electronically", json_boolean(fig->results > 0));
	return o;
}

static const char *download_url(struct http_request *req, const struct db_dossier_file *f)
{
	char *u = http_request_alloc(req, 160);
	if (u)
		snprintf(u, 160, API_PREFIX "/dossiers/%s/files/%s", f->dossier_id, f->id);
	return u;
}

/* ---- routes ---- */

static enum err_code upload_stream_begin(struct http_request *req, void *ctx, size_t *max_body,
                                         struct err *e)
{
	struct api *api = ctx;
	return api_upload_begin(req, api->svc, http_request_param(req, "id"), 0, max_body, e);
}

static const struct http_stream upload_stream = {upload_stream_begin, api_upload_data,
                                                 api_upload_end};

static void post_file(struct http_request *req, struct http_response *res, void *ctx)
{
	struct api *api = ctx;
	if (req->stream_rc != ERR_OK) {
		http_response_err(res, &req->stream_err);
		return;
	}
	const struct actor *actor = api_require_actor(req, res);
	if (!actor)
		return;
	struct api_upload *u = api_upload_of(req);
	if (!u || !u->have_file) {
		http_response_error(res, ERR_MISSING_ARGUMENT, "send the file in the field '%s'",
		                    API_UPLOAD_FIELD);
		return;
	}
	const char *kind = api_upload_field(req, "kind");
	const char *comp = api_upload_field(req, "component");
	int64_t seq = DB_NONE;
	if (!kind)
		kind = "component";
	if (str_eq(kind, "component")) {
		if (!comp) {
			http_response_error(res, ERR_MISSING_ARGUMENT,
			                    "give the number of the component: field 'component'");
			return;
		}
		if (str_parse_int64(comp, 1, 1000, &seq) != 0) {
			http_response_error(res, ERR_INVALID_ARGUMENT,
			                    "field 'component' must be a component number");
			return;
		}
	}
	struct err e;
	err_clear(&e);
	if (str_eq(kind, "result")) {
		/* an electronic result is issued: signed and registered (doc/documents.h) */
		struct documents_result dr;
		if (documents_store_result(api->svc, actor, http_request_param(req, "id"),
		                           u->filename, &u->tmp, &dr, &e) != ERR_OK) {
			http_response_err(res, &e);
			return;
		}
		json_t *o = api_file_json(&dr.file, download_url(req, &dr.file));
		json_object_set_new(o, "verification_code", json_string(dr.code));
		json_object_set_new(o, "verify_url", json_string(dr.verify_url));
		json_object_set_new(o, "uploaded_type", json_string(dr.source_type));
		http_response_json(res, 201, o);
		return;
	}
	struct files_store_req r = {kind, seq, u->filename};
	struct db_dossier_file f;
	if (files_store(api->svc, actor, http_request_param(req, "id"), &r, &u->tmp, &f, &e) !=
	    ERR_OK) {
		http_response_err(res, &e);
		return;
	}
	http_response_json(res, 201, api_file_json(&f, download_url(req, &f)));
}

static void get_files(struct http_request *req, struct http_response *res, void *ctx)
{
	struct api *api = ctx;
	const struct actor *actor = api_require_actor(req, res);
	if (!actor)
		return;
	struct files_view v;
	struct err e;
	err_clear(&e);
	if (files_list(api->svc, actor, http_request_param(req, "id"), &v, &e) != ERR_OK) {
		http_response_err(res, &e);
		return;
	}
	json_t *items = json_array();
	for (size_t i = 0; i < v.list.count; i++)
		json_array_append_new(items, api_file_json(&v.list.items[i],
		                                           download_url(req, &v.list.items[i])));
	json_t *o = json_object();
	json_object_set_new(o, "items", items);
	json_object_set_new(o, "total", json_integer((json_int_t)v.list.count));
	json_object_set_new(o, "digitisation", api_files_figures_json(&v.fig));
	json_t *may = json_object();
	json_object_set_new(may, "component", json_boolean(v.may_component));
	json_object_set_new(may, "result", json_boolean(v.may_result));
	json_object_set_new(o, "may_upload", may);
	files_view_release(&v);
	http_response_json(res, 200, o);
}

static void get_file(struct http_request *req, struct http_response *res, void *ctx)
{
	struct api *api = ctx;
	const struct actor *actor = api_require_actor(req, res);
	if (!actor)
		return;
	struct db_dossier_file f;
	int fd;
	struct err e;
	err_clear(&e);
	if (files_open(api->svc, actor, http_request_param(req, "id"),
	               http_request_param(req, "file"), &f, &fd, &e) != ERR_OK) {
		http_response_err(res, &e);
		return;
	}
	api_send_file(res, &f, fd);
}

static void get_reusable(struct http_request *req, struct http_response *res, void *ctx)
{
	struct api *api = ctx;
	const struct actor *actor = api_require_actor(req, res);
	if (!actor)
		return;
	struct db_file_list l;
	struct err e;
	err_clear(&e);
	if (files_reusable(api->svc, actor, http_request_param(req, "id"), &l, &e) != ERR_OK) {
		http_response_err(res, &e);
		return;
	}
	json_t *items = json_array();
	for (size_t i = 0; i < l.count; i++)
		json_array_append_new(items, api_file_json(&l.items[i], NULL));
	db_file_list_free(&l);
	json_t *o = json_object();
	json_object_set_new(o, "total", json_integer((json_int_t)json_array_size(items)));
	json_object_set_new(o, "items", items);
	http_response_json(res, 200, o);
}

static void post_reuse(struct http_request *req, struct http_response *res, void *ctx)
{
	struct api *api = ctx;
	const struct actor *actor = api_require_actor(req, res);
	if (!actor)
		return;
	const char *file = NULL;
	int64_t component = 0;
	const struct jspec spec[] = {
	        JSPEC_STRING("file", &file, DBD_ID_SIZE - 1, JSPEC_NONEMPTY),
	        JSPEC_INT64("component", &component, 1, 1000, JSPEC_REQUIRED),
	        JSPEC_END,
	};
	json_t *root;
	if (api_parse_body(req, res, spec, false, &root) != 0)
		return;
	struct db_dossier_file f;
	struct err e;
	err_clear(&e);
	enum err_code rc = files_reuse(api->svc, actor, http_request_param(req, "id"), file,
	                               component, &f, &e);
	jspec_free(spec);
	json_decref(root);
	if (rc != ERR_OK) {
		http_response_err(res, &e);
		return;
	}
	http_response_json(res, 201, api_file_json(&f, download_url(req, &f)));
}

/* code and id_last4 of the public look-up (code "" when too long: answered as wrong). */
static void public_secret(struct http_request *req, const char **code, const char **last4)
{
	*code = http_request_query(req, "code");
	*last4 = http_request_query(req, "id_last4");
	if (!*code || strlen(*code) > API_CODE_MAX)
		*code = "";
}

static void get_public_results(struct http_request *req, struct http_response *res, void *ctx)
{
	struct api *api = ctx;
	const char *code, *last4;
	public_secret(req, &code, &last4);
	struct db_file_list l;
	int64_t retry = 0;
	struct err e;
	err_clear(&e);
	if (files_public_results(api->svc, req->client, code, last4, &l, &retry, &e) != ERR_OK) {
		api_fail(res, &e, retry);
		return;
	}
	json_t *items = json_array();
	for (size_t i = 0; i < l.count; i++) {
		char *url = http_request_alloc(req, 512);
		if (url) {
			char *c = http_request_alloc(req, 3 * strlen(code) + 1);
			size_t k = 0;
			for (const char *s = code; c && *s; s++) {
				unsigned char ch = (unsigned char)*s;
				if ((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
				    (ch >= '0' && ch <= '9') || ch == '-' || ch == '.' || ch == '_')
					c[k++] = (char)ch;
				else
					k += (size_t)snprintf(c + k, 4, "%%%02X", ch);
			}
			if (c)
				c[k] = '\0';
			snprintf(url, 512, API_PREFIX "/lookup/results/%s?code=%s&id_last4=%s",
			         l.items[i].id, c ? c : "", last4);
		}
		json_t *o = api_file_json(&l.items[i], url);
		json_object_del(o, "component");
		json_object_del(o, "component_name");
		json_object_del(o, "reused_from");
		json_array_append_new(items, o);
	}
	db_file_list_free(&l);
	json_t *o = json_object();
	json_object_set_new(o, "total", json_integer((json_int_t)json_array_size(items)));
	json_object_set_new(o, "items", items);
	http_response_json(res, 200, o);
}

static void get_public_result(struct http_request *req, struct http_response *res, void *ctx)
{
	struct api *api = ctx;
	const char *code, *last4;
	public_secret(req, &code, &last4);
	struct db_dossier_file f;
	int fd;
	int64_t retry = 0;
	struct err e;
	err_clear(&e);
	if (files_open_public(api->svc, req->client, code, last4, http_request_param(req, "file"),
	                      &f, &fd, &retry, &e) != ERR_OK) {
		api_fail(res, &e, retry);
		return;
	}
	api_send_file(res, &f, fd);
}

const struct http_route api_file_routes[] = {
        {"POST", API_PREFIX "/dossiers/{id}/files", post_file, API_SMALL_BODY_MAX, &upload_stream},
        {"GET", API_PREFIX "/dossiers/{id}/files", get_files, API_SMALL_BODY_MAX, NULL},
        {"GET", API_PREFIX "/dossiers/{id}/files/{file}", get_file, API_SMALL_BODY_MAX, NULL},
        {"GET", API_PREFIX "/dossiers/{id}/reusable", get_reusable, API_SMALL_BODY_MAX, NULL},
        {"POST", API_PREFIX "/dossiers/{id}/reuse", post_reuse, API_SMALL_BODY_MAX, NULL},
        {"GET", API_PREFIX "/lookup/results", get_public_results, API_SMALL_BODY_MAX, NULL},
        {"GET", API_PREFIX "/lookup/results/{file}", get_public_result, API_SMALL_BODY_MAX, NULL},
};
const size_t api_file_nroutes = sizeof api_file_routes / sizeof api_file_routes[0];
