/*
 * web_dossier: the dossier page for every role, its action forms, and the
 * printable receipt-and-appointment slip.
 *
 *   GET  /dossiers/{id}        the dossier ({id}: internal id or code) as the
 *                              logged-in actor may see it (lookup_dossier decides:
 *                              owner, staff in scope, leaders), the process control
 *                              form, and one form per action the actor may take now
 *                              (action_allowed, from the lifecycle table)
 *   POST /dossiers/{id}/act    field `action` (a lifecycle action name), `version`
 *                              (the version the page showed) and the action's fields;
 *                              performs it with action_perform() like POST
 *                              /api/v1/dossiers/{id}/{action}, then 303 back to the
 *                              page with ?done=<action>
 *   GET  /dossiers/{id}/slip   the receipt-and-appointment slip (print stylesheet)
 *
 * A failed action shows the page again with the message at the top and next
 * to the field, the typed values kept in that action's form; a stale version
 * shows the fresh page with status 409. Nothing here decides who may see or
 * do what: the services answer, the page shows.
 */
#include "web/web_dossier.h"

#include <stdio.h>
#include <string.h>

#include "base/str.h"
#include "base/vntime.h"
#include "db/db_catalog_query.h"
#include "doc/documents.h"
#include "domain/lifecycle.h"
#include "domain/worktime.h"
#include "api/api_files.h"
#include "service/action.h"
#include "service/catalog.h"
#include "service/files.h"
#include "service/lookup.h"

#define DOSSIER_VERSION_MAX INT64_C(1000000000)

/* ---- small helpers ---- */

/* ---- units (shared with web_desk.c) ---- */

struct units_ctx {
	struct web_page *p;
	struct web_units *u;
};

static void units_reset(void *ctx)
{
	struct units_ctx *x = ctx;
	x->u->n = 0;
}

static int units_row(void *ctx, const struct dbq_unit *row)
{
	struct units_ctx *x = ctx;
	if (x->u->n >= WEB_UNITS_MAX)
		return 0;
	struct web_unit *w = &x->u->items[x->u->n];
	w->code = web_strdup(x->p, row->code);
	w->kind = web_strdup(x->p, row->kind);
	w->name_vi = web_strdup(x->p, row->name_vi);
	w->name_en = web_strdup(x->p, row->name_en);
	w->address = web_strdup(x->p, row->address);
	w->opening_hours = web_strdup(x->p, row->opening_hours);
	w->receives = row->receives;
	x->u->n++;
	return 0;
}

enum err_code web_units_load(struct web_page *p, struct web_units *out, struct err *e)
{
	out->n = 0;
	out->items = http_request_alloc(p->req, WEB_UNITS_MAX * sizeof *out->items);
	if (!out->items)
		return err_set(e, ERR_NO_MEMORY, "out of memory");
	struct dbq_unit_filter f;
	memset(&f, 0, sizeof f);
	f.cls = DBQ_UNITS_ANY;
	int64_t total = 0;
	struct units_ctx x = {p, out};
	enum err_code rc = catalog_units(p->w->svc, &f, WEB_UNITS_MAX, 0, &total, units_reset,
	                                 units_row, &x, e);
	if (rc != ERR_OK)
		out->n = 0;
	return rc;
}

const struct web_unit *web_units_find(const struct web_units *u, const char *code)
{
	if (!u || str_empty(code))
		return NULL;
	for (size_t i = 0; i < u->n; i++)
		if (str_eq(u->items[i].code, code))
			return &u->items[i];
	return NULL;
}

const char *web_unit_name(const struct web_page *p, const struct web_units *u, const char *code)
{
	if (str_empty(code))
		return "";
	const struct web_unit *w = web_units_find(u, code);
	if (!w)
		return code;
	return web_pick(p, w->name_vi, w->name_en);
}

static bool collection_kind(const struct web_unit *w)
{
	return w->receives && (str_eq(w->kind, "branch") || str_eq(w->kind, "point"));
}

void web_collection_select(struct web_page *p, const struct web_units *u, const char *name,
                           const char *id_prefix, const char *label, const char *first,
                           const char *selected, const char *error, bool allow_none)
{
	struct html *h = &p->h;
	const char *id = web_strf(p, "%s%s", id_prefix, name);
	const char *err_id = error ? web_strf(p, "%se-%s", id_prefix, name) : NULL;
	html_open(h, "div", "class", error ? "field has-error" : "field", NULL);
	html_elem(h, "label", label, "for", id, NULL);
	if (error)
		html_elem(h, "p", error, "class", "field-error", "id", err_id, NULL);
	html_open(h, "select", "id", id, "name", name, "aria-invalid", error ? "true" : NULL,
	          "aria-describedby", err_id, NULL);
	if (allow_none)
		html_elem(h, "option", T(p, "(chưa chọn)", "(not chosen)"), "value", "", NULL);
	if (!str_empty(first))
		html_elem(
		        h, "option",
		        web_strf(p, "%s (%s)", web_unit_name(p, u, first), T(p, "tại đây", "here")),
		        "value", first, "selected",
		        str_empty(selected) || str_eq(selected, first) ? HTML_BOOL : NULL, NULL);
	for (size_t i = 0; u && i < u->n; i++) {
		const struct web_unit *w = &u->items[i];
		if (!collection_kind(w) || str_eq(w->code, first))
			continue;
		html_elem(h, "option", web_unit_name(p, u, w->code), "value", w->code, "selected",
		          str_eq(selected, w->code) ? HTML_BOOL : NULL, NULL);
	}
	html_close(h, "select");
	html_close(h, "div");
}

/* ---- what one page shows ---- */

struct proc_info {
	const char *name_vi, *name_en;
	int64_t legal_days, legal_hours, fee_vnd;
	const char *route_by;
};

struct view {
	struct lookup_view v;
	bool have_v;
	struct action_allowed al;
	struct web_units units;
	struct catalog_procedure_parts parts;
	bool have_parts;
	struct proc_info proc;
	const char *residence_name, *property_name;
	const char **staff_ids;
	struct lookup_staff *staff;
	size_t nstaff;
	int64_t now;
	const char *files_error; /* an upload's error, shown next to its field */
};

/* A failed action form shown again. */
struct dossier_form {
	const char *action;      /* the action whose form keeps its values, or NULL */
	const char *message;     /* at the top of the page */
	const char *field;       /* the field the error belongs to, or NULL */
	const char *field_error; /* the message next to it */
};

static void view_release(struct view *x)
{
	if (x->have_v)
		lookup_view_release(&x->v);
	if (x->have_parts)
		catalog_procedure_release(&x->parts);
	x->have_v = x->have_parts = false;
}

struct proc_ctx {
	struct web_page *p;
	struct proc_info *out;
};

static int proc_row(void *ctx, const struct dbq_procedure *row)
{
	struct proc_ctx *x = ctx;
	x->out->name_vi = web_strdup(x->p, row->name_vi);
	x->out->name_en = web_strdup(x->p, row->name_en);
	x->out->route_by = web_strdup(x->p, row->route_by);
	x->out->legal_days = row->legal_days;
	x->out->legal_hours = row->legal_hours;
	x->out->fee_vnd = row->fee_vnd;
	return 0;
}

struct commune_ctx {
	struct web_page *p;
	const char **name;
};

static int commune_row(void *ctx, const struct dbq_commune *row)
{
	struct commune_ctx *x = ctx;
	*x->name = web_strdup(x->p, row->name_vi);
	return 0;
}

/* The name of a commune, or its code when it cannot be read. */
static const char *commune_name(struct web_page *p, const char *code)
{
	if (str_empty(code))
		return NULL;
	const char *name = NULL;
	struct dbq_commune_filter f;
	memset(&f, 0, sizeof f);
	f.code = code;
	int64_t total;
	struct commune_ctx x = {p, &name};
	if (catalog_communes(p->w->svc, &f, 1, 0, &total, NULL, commune_row, &x, NULL) != ERR_OK ||
	    !name)
		return code;
	return web_strf(p, "%s (%s)", name, code);
}

static void add_staff_id(struct view *x, const char *id, size_t cap)
{
	if (str_empty(id) || x->nstaff >= cap)
		return;
	for (size_t i = 0; i < x->nstaff; i++)
		if (str_eq(x->staff_ids[i], id))
			return;
	x->staff_ids[x->nstaff++] = id;
}

/* The username of a staff account for a staff reader, or NULL. */
static const char *staff_name(const struct view *x, const char *id)
{
	if (!x->staff || str_empty(id))
		return NULL;
	for (size_t i = 0; i < x->nstaff; i++)
		if (str_eq(x->staff_ids[i], id))
			return x->staff[i].username[0] ? x->staff[i].username : NULL;
	return NULL;
}

/*
 * Loads what the page shows for the {id} capture. On failure returns the
 * service's code with e filled; x needs view_release() in every case.
 */
static enum err_code view_load(struct web_page *p, const char *id, struct view *x, struct err *e)
{
	memset(x, 0, sizeof *x);
	x->proc.legal_days = x->proc.legal_hours = x->proc.fee_vnd = DBQ_NONE;
	if (!id || strlen(id) >= DBD_KEY_SIZE)
		return err_set(e, ERR_NOT_FOUND, "no such dossier");
	struct service *svc = p->w->svc;
	enum err_code rc = lookup_dossier(svc, p->actor, id, &x->v, e);
	if (rc != ERR_OK)
		return rc;
	x->have_v = true;
	x->now = service_now(svc);
	const struct db_dossier *d = &x->v.dossier;
	if (action_allowed(svc, p->actor, d->id, &x->al, NULL) != ERR_OK)
		memset(&x->al, 0, sizeof x->al);
	if (web_units_load(p, &x->units, NULL) != ERR_OK)
		x->units.n = 0;
	struct proc_ctx pc = {p, &x->proc};
	if (catalog_procedure(svc, d->procedure_code, NULL, proc_row, &pc, &x->parts, NULL) ==
	    ERR_OK)
		x->have_parts = true;
	x->residence_name = commune_name(p, d->residence_commune);
	x->property_name = commune_name(p, d->property_commune);
	if (p->actor->kind == ACTOR_STAFF) {
		size_t cap = LOOKUP_STAFF_MAX;
		x->staff_ids = http_request_alloc(p->req, cap * sizeof *x->staff_ids);
		struct lookup_staff *names = http_request_alloc(p->req, cap * sizeof *names);
		if (x->staff_ids && names) {
			add_staff_id(x, d->holder_account, cap);
			for (size_t i = 0; i < x->v.events.count; i++) {
				add_staff_id(x, x->v.events.items[i].actor_account, cap);
				add_staff_id(x, x->v.events.items[i].to_account, cap);
			}
			if (lookup_staff_names(svc, p->actor, x->staff_ids, x->nstaff, names,
			                       NULL) == ERR_OK)
				x->staff = names;
		}
	}
	return ERR_OK;
}

/* ---- labels ---- */

static const char *component_status_label(const struct web_page *p, const char *s)
{
	if (str_eq(s, "received"))
		return T(p, "Đã nhận", "Received");
	if (str_eq(s, "population"))
		return T(p, "Không phải nộp (khai thác Cơ sở dữ liệu quốc gia về dân cư)",
		         "Not needed (taken from the national population database)");
	if (str_eq(s, "missing"))
		return T(p, "Còn thiếu", "Missing");
	if (str_eq(s, "supplemented"))
		return T(p, "Đã bổ sung", "Supplemented");
	if (str_eq(s, "not_applicable"))
		return T(p, "Không nộp (không bắt buộc)", "Not given (optional)");
	return s;
}

static const char *step_result_label(const struct web_page *p, const char *s)
{
	if (str_eq(s, "early"))
		return T(p, "Trước hạn", "Early");
	if (str_eq(s, "on_time"))
		return T(p, "Đúng hạn", "On time");
	if (str_eq(s, "late"))
		return T(p, "Trễ hạn", "Late");
	return s;
}

static const char *step_result_class(const char *s)
{
	if (str_eq(s, "late"))
		return "due-late";
	if (str_eq(s, "early") || str_eq(s, "on_time"))
		return "due-ok";
	return NULL;
}

static const char *rating_label(const struct web_page *p, const char *s)
{
	if (str_eq(s, "very_satisfied"))
		return T(p, "Rất hài lòng", "Very satisfied");
	if (str_eq(s, "satisfied"))
		return T(p, "Hài lòng", "Satisfied");
	if (str_eq(s, "neutral"))
		return T(p, "Bình thường", "Neutral");
	if (str_eq(s, "dissatisfied"))
		return T(p, "Không hài lòng", "Dissatisfied");
	return s;
}

static const char *const rating_values[] = {"very_satisfied", "satisfied", "neutral",
                                            "dissatisfied"};

static const char *legal_time_text(struct web_page *p, const struct proc_info *pr)
{
	if (pr->legal_days != DBQ_NONE && pr->legal_days > 0)
		return web_strf(p, "%lld %s", (long long)pr->legal_days,
		                T(p, "ngày làm việc", "working days"));
	if (pr->legal_days == 0)
		return T(p, "Trong ngày làm việc", "The same working day");
	if (pr->legal_hours != DBQ_NONE)
		return web_strf(p, "%lld %s", (long long)pr->legal_hours,
		                T(p, "giờ làm việc", "working hours"));
	return "";
}

static const char *proc_name(const struct web_page *p, const struct view *x)
{
	const char *n = web_pick(p, x->proc.name_vi, x->proc.name_en);
	return str_empty(n) ? x->v.dossier.procedure_code : n;
}

static const char *component_name(const struct view *x, int64_t seq)
{
	if (!x->have_parts)
		return "";
	for (size_t i = 0; i < x->parts.components.count; i++)
		if (x->parts.components.items[i].seq == seq)
			return x->parts.components.items[i].name_vi;
	return "";
}

/* Actions a citizen may take without a unit: those events without a unit are the applicant's. */
static bool applicant_action(const char *a)
{
	static const char *const list[] = {
	        "submit",         "withdraw", "change_collection", "receive_supplement",
	        "record_payment", "rate",     "complain",          NULL};
	for (size_t i = 0; list[i]; i++)
		if (str_eq(list[i], a))
			return true;
	return false;
}

/* ---- the fields of the action forms (ids unique per form) ---- */

struct fld {
	const char *form; /* the action: ids are "a-<form>-<name>" */
	const char *name;
	const char *label;
	const char *type; /* NULL (text), "textarea", "number", "datetime-local", ... */
	const char *value;
	const char *error;
	const char *hint;
	const char *list; /* id of a datalist */
	const char *pattern, *inputmode, *autocomplete, *min;
	int maxlength;
	bool required;
};

static void fld(struct web_page *p, const struct fld *f)
{
	struct html *h = &p->h;
	const char *id = web_strf(p, "a-%s-%s", f->form, f->name);
	const char *hint_id = f->hint ? web_strf(p, "ah-%s-%s", f->form, f->name) : NULL;
	const char *err_id = f->error ? web_strf(p, "ae-%s-%s", f->form, f->name) : NULL;
	const char *desc = hint_id && err_id ? web_strf(p, "%s %s", err_id, hint_id)
	                   : err_id          ? err_id
	                                     : hint_id;
	const char *maxlen = f->maxlength > 0 ? web_strf(p, "%d", f->maxlength) : NULL;
	html_open(h, "div", "class", f->error ? "field has-error" : "field", NULL);
	html_open(h, "label", "for", id, NULL);
	html_text(h, f->label);
	if (f->required)
		html_elem(h, "span", " *", "class", "req", "aria-hidden", "true", NULL);
	html_close(h, "label");
	if (f->hint)
		html_elem(h, "p", f->hint, "class", "field-hint", "id", hint_id, NULL);
	if (f->error)
		html_elem(h, "p", f->error, "class", "field-error", "id", err_id, NULL);
	if (str_eq(f->type, "textarea")) {
		html_open(h, "textarea", "id", id, "name", f->name, "rows", "3", "maxlength",
		          maxlen, "required", f->required ? HTML_BOOL : NULL, "aria-invalid",
		          f->error ? "true" : NULL, "aria-describedby", desc, NULL);
		html_text(h, f->value);
		html_close(h, "textarea");
	} else {
		html_void(h, "input", "id", id, "name", f->name, "type", f->type ? f->type : "text",
		          "value", f->value, "list", f->list, "pattern", f->pattern, "inputmode",
		          f->inputmode, "autocomplete", f->autocomplete, "min", f->min, "maxlength",
		          maxlen, "required", f->required ? HTML_BOOL : NULL, "aria-invalid",
		          f->error ? "true" : NULL, "aria-describedby", desc, NULL);
	}
	html_close(h, "div");
}

/* One action's form being written. */
struct act {
	struct web_page *p;
	struct view *x;
	const struct dossier_form *f;
	const char *name; /* the action */
	bool failed;      /* this is the form that failed: keep its values */
};

static const char *act_val(const struct act *a, const char *field, const char *def)
{
	return a->failed ? web_field(a->p, field) : def;
}

static const char *act_err(const struct act *a, const char *field)
{
	return a->failed && a->f->field && str_eq(a->f->field, field) ? a->f->field_error : NULL;
}

static void act_note(const struct act *a, const char *label, bool required)
{
	fld(a->p, &(struct fld){.form = a->name,
	                        .name = "note",
	                        .label = label,
	                        .type = required ? "textarea" : NULL,
	                        .value = act_val(a, "note", ""),
	                        .error = act_err(a, "note"),
	                        .maxlength = ACTION_NOTE_MAX,
	                        .required = required});
}

static void act_optional_note(const struct act *a)
{
	act_note(a, T(a->p, "Ghi chú (không bắt buộc)", "Note (optional)"), false);
}

/* Is value among the posted values of a repeated field? */
static bool posted_has(const struct web_page *p, const char *field, const char *value)
{
	const char *vals[ACTION_MAX_COMPONENTS];
	size_t n = web_fields(p, field, vals, ACTION_MAX_COMPONENTS);
	for (size_t i = 0; i < n; i++)
		if (str_eq(vals[i], value))
			return true;
	return false;
}

/* Checkboxes `components` of the dossier's components (only those of status only, if given). */
static void act_components(const struct act *a, const char *legend, const char *only, bool checked)
{
	struct web_page *p = a->p;
	struct html *h = &p->h;
	const struct db_component_list *cl = &a->x->v.components;
	size_t shown = 0;
	for (size_t i = 0; i < cl->count; i++)
		if (!only || str_eq(cl->items[i].status, only))
			shown++;
	if (!shown)
		return;
	const char *err = act_err(a, "components");
	html_open(h, "fieldset", "class", err ? "checks has-error" : "checks", NULL);
	html_elem(h, "legend", legend, NULL);
	if (err)
		html_elem(h, "p", err, "class", "field-error", NULL);
	for (size_t i = 0; i < cl->count; i++) {
		const struct db_dossier_component *k = &cl->items[i];
		if (only && !str_eq(k->status, only))
			continue;
		const char *seq = web_strf(p, "%lld", (long long)k->seq);
		const char *id = web_strf(p, "a-%s-components-%s", a->name, seq);
		bool on = a->failed ? posted_has(p, "components", seq) : checked;
		const char *name = component_name(a->x, k->seq);
		html_raw(h, "<div class=\"check\">");
		html_void(h, "input", "type", "checkbox", "id", id, "name", "components", "value",
		          seq, "checked", on ? HTML_BOOL : NULL, NULL);
		html_elem(h, "label", web_strf(p, "%s. %s", seq, name[0] ? name : seq), "for", id,
		          NULL);
		html_raw(h, "</div>");
	}
	html_close(h, "fieldset");
}

/* A <select> inside an action form. */
static void act_select(const struct act *a, const char *field, const char *label,
                       const struct web_option *opts, size_t n, const char *selected)
{
	struct web_page *p = a->p;
	struct html *h = &p->h;
	const char *id = web_strf(p, "a-%s-%s", a->name, field);
	const char *err = act_err(a, field);
	const char *err_id = err ? web_strf(p, "ae-%s-%s", a->name, field) : NULL;
	const char *sel = act_val(a, field, selected);
	html_open(h, "div", "class", err ? "field has-error" : "field", NULL);
	html_elem(h, "label", label, "for", id, NULL);
	if (err)
		html_elem(h, "p", err, "class", "field-error", "id", err_id, NULL);
	html_open(h, "select", "id", id, "name", field, "aria-invalid", err ? "true" : NULL,
	          "aria-describedby", err_id, NULL);
	for (size_t i = 0; i < n; i++)
		html_elem(h, "option", opts[i].label, "value", opts[i].value, "selected",
		          str_eq(sel, opts[i].value) ? HTML_BOOL : NULL, NULL);
	html_close(h, "select");
	html_close(h, "div");
}

static void act_checkbox(const struct act *a, const char *field, const char *label, bool def)
{
	struct web_page *p = a->p;
	const char *id = web_strf(p, "a-%s-%s", a->name, field);
	bool on = a->failed ? !str_empty(web_field(p, field)) : def;
	html_raw(&p->h, "<div class=\"check\">");
	html_void(&p->h, "input", "type", "checkbox", "id", id, "name", field, "value", "1",
	          "checked", on ? HTML_BOOL : NULL, NULL);
	html_elem(&p->h, "label", label, "for", id, NULL);
	html_raw(&p->h, "</div>");
}

static void act_rating(const struct act *a)
{
	struct web_page *p = a->p;
	struct html *h = &p->h;
	const char *err = act_err(a, "rating");
	const char *sel = act_val(a, "rating", "");
	html_open(h, "fieldset", "class", err ? "rating has-error" : "rating", NULL);
	html_open(h, "legend", NULL);
	html_text(h, T(p, "Mức độ hài lòng", "How satisfied are you?"));
	html_elem(h, "span", " *", "class", "req", "aria-hidden", "true", NULL);
	html_close(h, "legend");
	if (err)
		html_elem(h, "p", err, "class", "field-error", NULL);
	for (size_t i = 0; i < sizeof rating_values / sizeof rating_values[0]; i++) {
		const char *id = web_strf(p, "a-rate-rating-%s", rating_values[i]);
		html_raw(h, "<div class=\"check\">");
		html_void(h, "input", "type", "radio", "id", id, "name", "rating", "value",
		          rating_values[i], "required", HTML_BOOL, "checked",
		          str_eq(sel, rating_values[i]) ? HTML_BOOL : NULL, NULL);
		html_elem(h, "label", rating_label(p, rating_values[i]), "for", id, NULL);
		html_raw(h, "</div>");
	}
	html_close(h, "fieldset");
}

static bool danger_action(enum dossier_action a)
{
	return a == ACTION_REFUSE_RECEPTION || a == ACTION_REFUSE || a == ACTION_STOP ||
	       a == ACTION_WITHDRAW;
}

/* The fields of one action's form. */
static void act_fields(const struct act *a, enum dossier_action action)
{
	struct web_page *p = a->p;
	const struct db_dossier *d = &a->x->v.dossier;
	switch (action) {
	case ACTION_ACCEPT:
		if (str_empty(d->competent_unit))
			fld(p,
			    &(struct fld){
			            .form = a->name,
			            .name = "competent_unit",
			            .label = T(p, "Cơ quan có thẩm quyền giải quyết",
			                       "Competent unit"),
			            .hint = T(p,
			                      "Không xác định được từ nơi cư trú: nhập mã đơn vị, "
			                      "ví dụ UBND-00070.",
			                      "It cannot be found from the residence: enter the "
			                      "unit's code, e.g. UBND-00070."),
			            .value = act_val(a, "competent_unit", ""),
			            .error = act_err(a, "competent_unit"),
			            .list = "dl-units",
			            .maxlength = DBD_KEY_SIZE - 1});
		act_optional_note(a);
		break;
	case ACTION_REFUSE_RECEPTION:
		act_note(a, T(p, "Lý do từ chối tiếp nhận", "Why the dossier is refused"), true);
		break;
	case ACTION_TAKE:
		fld(p, &(struct fld){.form = a->name,
		                     .name = "to_account",
		                     .label = T(p, "Giao cho chuyên viên (tên đăng nhập)",
		                                "Assign to (username)"),
		                     .hint = T(p, "Để trống: chính bạn xử lý.",
		                               "Leave empty to take it yourself."),
		                     .value = act_val(a, "to_account", ""),
		                     .error = act_err(a, "to_account"),
		                     .maxlength = DBD_KEY_SIZE - 1});
		act_optional_note(a);
		break;
	case ACTION_REASSIGN:
		fld(p, &(struct fld){.form = a->name,
		                     .name = "to_account",
		                     .label = T(p, "Chuyển cho chuyên viên (tên đăng nhập)",
		                                "Hand over to (username)"),
		                     .value = act_val(a, "to_account", ""),
		                     .error = act_err(a, "to_account"),
		                     .maxlength = DBD_KEY_SIZE - 1,
		                     .required = true});
		act_optional_note(a);
		break;
	case ACTION_TRANSFER:
		fld(p, &(struct fld){.form = a->name,
		                     .name = "to_unit",
		                     .label = T(p, "Cơ quan có thẩm quyền (mã đơn vị)",
		                                "Competent unit (code)"),
		                     .hint = T(p, "Ví dụ UBND-00070.", "For example UBND-00070."),
		                     .value = act_val(a, "to_unit", ""),
		                     .error = act_err(a, "to_unit"),
		                     .list = "dl-units",
		                     .maxlength = DBD_KEY_SIZE - 1,
		                     .required = true});
		act_note(a, T(p, "Lý do chuyển", "Why it is transferred"), true);
		break;
	case ACTION_REQUEST_SUPPLEMENT:
		act_note(a, T(p, "Nội dung yêu cầu bổ sung", "What must be supplied"), true);
		act_components(a, T(p, "Thành phần còn thiếu", "Missing components"), NULL, false);
		break;
	case ACTION_RECEIVE_SUPPLEMENT:
		act_components(a, T(p, "Thành phần đã bổ sung", "Components supplied"), "missing",
		               true);
		act_optional_note(a);
		break;
	case ACTION_REQUEST_FEE: {
		const char *hint = T(p, "Để trống: mức phí, lệ phí của thủ tục.",
		                     "Leave empty for the procedure's fee.");
		if (a->x->proc.fee_vnd != DBQ_NONE && a->x->proc.fee_vnd > 0)
			hint = web_strf(p, "%s %lld đ",
			                T(p, "Để trống: mức của thủ tục,",
			                  "Leave empty for the procedure's fee,"),
			                (long long)a->x->proc.fee_vnd);
		fld(p, &(struct fld){.form = a->name,
		                     .name = "fee_vnd",
		                     .label = T(p, "Số tiền (đồng)", "Amount (VND)"),
		                     .type = "number",
		                     .min = "1",
		                     .inputmode = "numeric",
		                     .hint = hint,
		                     .value = act_val(a, "fee_vnd", ""),
		                     .error = act_err(a, "fee_vnd")});
		act_optional_note(a);
		break;
	}
	case ACTION_RECORD_PAYMENT: {
		const struct web_option opts[] = {
		        {"counter", T(p, "Tại quầy", "At the counter")},
		        {"online", T(p, "Trực tuyến", "Online")},
		        {"post", T(p, "Qua bưu chính", "By post")},
		};
		act_select(a, "payment_channel", T(p, "Hình thức nộp", "Paid"), opts, 3,
		           p->actor->kind == ACTOR_STAFF ? "counter" : "online");
		act_optional_note(a);
		break;
	}
	case ACTION_RETURN_FOR_REWORK:
		act_note(a, T(p, "Lý do trả lại", "Why it goes back"), true);
		break;
	case ACTION_REFUSE:
		act_note(a, T(p, "Lý do từ chối giải quyết", "Why the request is refused"), true);
		break;
	case ACTION_STOP:
		act_note(a, T(p, "Lý do dừng xử lý", "Why processing stops"), true);
		break;
	case ACTION_EXTEND:
		fld(p, &(struct fld){.form = a->name,
		                     .name = "new_due",
		                     .label = T(p, "Thời hạn trả kết quả mới", "New appointment"),
		                     .type = "datetime-local",
		                     .hint = T(p, "Giờ Việt Nam; phải sau hẹn hiện tại.",
		                               "Vietnam time; later than the current appointment."),
		                     .value = act_val(a, "new_due", ""),
		                     .error = act_err(a, "new_due"),
		                     .required = true});
		act_note(a, T(p, "Lý do chậm và lời xin lỗi", "Why it is late (the apology)"),
		         true);
		break;
	case ACTION_POST_RESULT:
		fld(p, &(struct fld){.form = a->name,
		                     .name = "post_address",
		                     .label = T(p, "Địa chỉ nhận qua bưu chính", "Postal address"),
		                     .hint = T(p, "Để trống: địa chỉ đã đăng ký.",
		                               "Leave empty for the address on record."),
		                     .value = act_val(a, "post_address", d->post_address),
		                     .error = act_err(a, "post_address"),
		                     .maxlength = DBD_TEXT_SIZE - 1,
		                     .autocomplete = "street-address"});
		act_optional_note(a);
		break;
	case ACTION_DELIVER:
		fld(p, &(struct fld){
		               .form = a->name,
		               .name = "collector_name",
		               .label = T(p, "Họ tên người nhận kết quả", "Collector's full name"),
		               .value = act_val(a, "collector_name", ""),
		               .error = act_err(a, "collector_name"),
		               .maxlength = DBD_NAME_SIZE - 1,
		               .required = true});
		fld(p,
		    &(struct fld){
		            .form = a->name,
		            .name = "collector_id_number",
		            .label = T(p, "Số định danh cá nhân của người nhận",
		                       "Collector's personal ID number"),
		            .hint = T(p, "12 chữ số; phải là người nộp hoặc người được ủy quyền.",
		                      "12 digits; the applicant or the authorised person."),
		            .value = act_val(a, "collector_id_number", ""),
		            .error = act_err(a, "collector_id_number"),
		            .pattern = "[0-9]{12}",
		            .inputmode = "numeric",
		            .maxlength = 12,
		            .required = true});
		act_optional_note(a);
		break;
	case ACTION_CHANGE_COLLECTION:
		web_collection_select(p, &a->x->units, "to_unit", web_strf(p, "a-%s-", a->name),
		                      T(p, "Nhận kết quả tại", "Collect the result at"), NULL,
		                      act_val(a, "to_unit", ""), act_err(a, "to_unit"), true);
		act_checkbox(a, "by_post", T(p, "Nhận qua bưu chính", "Receive it by post"), false);
		fld(p, &(struct fld){.form = a->name,
		                     .name = "post_address",
		                     .label = T(p, "Địa chỉ nhận qua bưu chính", "Postal address"),
		                     .value = act_val(a, "post_address", ""),
		                     .error = act_err(a, "post_address"),
		                     .maxlength = DBD_TEXT_SIZE - 1,
		                     .autocomplete = "street-address"});
		act_optional_note(a);
		break;
	case ACTION_RATE:
		act_rating(a);
		fld(p, &(struct fld){.form = a->name,
		                     .name = "comment",
		                     .label = T(p, "Góp ý (không bắt buộc)", "Comment (optional)"),
		                     .type = "textarea",
		                     .value = act_val(a, "comment", ""),
		                     .error = act_err(a, "comment"),
		                     .maxlength = ACTION_NOTE_MAX});
		break;
	case ACTION_COMPLAIN:
		fld(p, &(struct fld){.form = a->name,
		                     .name = "complaint",
		                     .label = T(p, "Nội dung phản ánh, kiến nghị",
		                                "Your complaint or suggestion"),
		                     .type = "textarea",
		                     .value = act_val(a, "complaint", ""),
		                     .error = act_err(a, "complaint"),
		                     .maxlength = ACTION_NOTE_MAX,
		                     .required = true});
		break;
	case ACTION_HANDOVER: {
		const struct web_option opts[] = {
		        {"", T(p, "Chuyển cho đơn vị dưới đây", "To the unit below")},
		        {"courier", T(p, "Giao cho nhân viên chuyển phát", "To the courier")},
		        {"post", T(p, "Gửi qua bưu chính", "By post")},
		};
		act_select(a, "custody", T(p, "Bàn giao", "Hand over"), opts, 3, "");
		fld(p, &(struct fld){.form = a->name,
		                     .name = "to_unit",
		                     .label = T(p, "Đơn vị nhận (mã)", "Receiving unit (code)"),
		                     .value = act_val(a, "to_unit", ""),
		                     .error = act_err(a, "to_unit"),
		                     .list = "dl-units",
		                     .maxlength = DBD_KEY_SIZE - 1});
		act_optional_note(a);
		break;
	}
	default:
		act_optional_note(a);
		break;
	}
}

static void act_form(struct web_page *p, struct view *x, const struct dossier_form *f,
                     enum dossier_action action)
{
	struct html *h = &p->h;
	const char *name = lifecycle_action_name(action);
	struct act a = {p, x, f, name, f && f->action && str_eq(f->action, name)};
	html_open(h, "section", "class", danger_action(action) ? "act act-danger" : "act", "id",
	          web_strf(p, "act-%s", name), "aria-labelledby", web_strf(p, "act-h-%s", name),
	          NULL);
	html_elem(h, "h3", web_action_label(p, name), "id", web_strf(p, "act-h-%s", name), NULL);
	html_open(h, "form", "method", "post", "action",
	          web_url(p, web_strf(p, "/dossiers/%s/act", x->v.dossier.id), NULL), "id",
	          web_strf(p, "act-form-%s", name), "class", "act-form", NULL);
	web_csrf_input(p);
	html_void(h, "input", "type", "hidden", "name", "action", "value", name, NULL);
	html_void(h, "input", "type", "hidden", "name", "version", "value",
	          web_strf(p, "%lld", (long long)x->v.dossier.version), NULL);
	act_fields(&a, action);
	web_submit(p, web_action_label(p, name), danger_action(action) ? "button danger" : NULL);
	html_close(h, "form");
	html_close(h, "section");
}

/* ---- the page ---- */

static const char *where_to_collect(struct web_page *p, const struct view *x)
{
	const struct db_dossier *d = &x->v.dossier;
	if (d->by_post)
		return str_empty(d->post_address)
		               ? T(p, "Qua bưu chính", "By post")
		               : web_strf(p, "%s: %s", T(p, "Qua bưu chính", "By post"),
		                          d->post_address);
	if (str_empty(d->collection_unit))
		return "";
	const struct web_unit *u = web_units_find(&x->units, d->collection_unit);
	const char *name = web_unit_name(p, &x->units, d->collection_unit);
	return u && u->address[0] ? web_strf(p, "%s, %s", name, u->address) : name;
}

/* The remaining working time, the pause, or when it ended. */
static void clock_facts(struct web_page *p, const struct view *x)
{
	struct html *h = &p->h;
	const struct db_dossier *d = &x->v.dossier;
	enum dossier_state s = STATE_NONE;
	lifecycle_state_from_name(d->state, &s);
	enum lifecycle_clock clk = lifecycle_clock_of(s);
	if (clk == CLOCK_RUNNING && d->due_at != DB_NONE) {
		int64_t rem = 0;
		if (worktime_remaining(p->w->svc->cal, d->due_at, x->now, &rem, NULL) != ERR_OK)
			return;
		bool late = x->now > d->due_at;
		html_elem(h, "dt", T(p, "Thời gian còn lại", "Time left"), NULL);
		html_open(h, "dd", "class",
		          late || rem < 0            ? "due-late"
		          : rem < web_working_day(p) ? "due-soon"
		                                     : "due-ok",
		          "id", "remaining", NULL);
		if (late && rem >= 0)
			html_text(h, T(p, "Đã quá hạn", "Overdue"));
		else
			web_worktime(p, rem);
		html_close(h, "dd");
	} else if (clk == CLOCK_PAUSED) {
		html_elem(h, "dt", T(p, "Tạm dừng tính thời gian", "Clock paused"), NULL);
		html_open(h, "dd", "class", "paused", "id", "remaining", NULL);
		html_text(h, T(p, "Từ ", "Since "));
		web_time(p, d->paused_at);
		if (d->remaining_at_pause != DB_NONE) {
			html_text(h,
			          T(p, "; còn lại khi tạm dừng: ", "; time left at the pause: "));
			web_worktime(p, d->remaining_at_pause);
		}
		html_close(h, "dd");
	}
}

static void summary_section(struct web_page *p, struct view *x)
{
	struct html *h = &p->h;
	const struct db_dossier *d = &x->v.dossier;
	bool staff = p->actor->kind == ACTOR_STAFF;
	html_raw(h, "<section aria-labelledby=\"h-summary\" class=\"dossier-summary\">");
	html_elem(h, "h2", T(p, "Thông tin hồ sơ", "The dossier"), "id", "h-summary", NULL);
	html_raw(h, "<dl class=\"facts\">");
	html_elem(h, "dt", T(p, "Mã hồ sơ", "Dossier code"), NULL);
	html_elem(h, "dd",
	          d->code[0] ? d->code
	                     : T(p, "Chưa có (chưa tiếp nhận)", "None yet (not received)"),
	          "id", "dossier-code", NULL);
	web_fact(p, T(p, "Thủ tục", "Procedure"),
	         web_strf(p, "%s (%s)", proc_name(p, x), d->procedure_code));
	html_elem(h, "dt", T(p, "Trạng thái", "State"), NULL);
	html_raw(h, "<dd id=\"state\">");
	web_state_badge(p, d->state);
	if (str_eq(d->outcome, "granted"))
		html_elem(h, "span", T(p, " · Giải quyết", " · Granted"), NULL);
	else if (str_eq(d->outcome, "refused"))
		html_elem(h, "span", T(p, " · Từ chối giải quyết", " · Refused"), NULL);
	html_raw(h, "</dd>");
	web_fact(p, T(p, "Hình thức nộp", "Filed"),
	         str_eq(d->channel, "online") ? T(p, "Trực tuyến", "Online")
	         : d->received_by_post
	                 ? T(p, "Qua dịch vụ bưu chính công ích", "By the public postal service")
	                 : T(p, "Tại quầy", "At the counter"));
	web_fact_time(p, T(p, "Nộp lúc", "Filed at"), d->submitted_at);
	web_fact_time(p, T(p, "Tiếp nhận (thời điểm tính hạn)", "Received (legal time)"),
	              d->received_at);
	web_fact(p, T(p, "Thời hạn giải quyết", "Legal time"), legal_time_text(p, &x->proc));
	if (d->due_at != DB_NONE) {
		html_elem(h, "dt", T(p, "Hẹn trả kết quả", "Appointment"), NULL);
		html_raw(h, "<dd id=\"due\">");
		web_time(p, d->due_at);
		if (d->original_due_at != DB_NONE && d->original_due_at != d->due_at) {
			html_text(h, T(p, " (hẹn ban đầu: ", " (first appointment: "));
			web_time(p, d->original_due_at);
			html_text(h, ")");
		}
		html_raw(h, "</dd>");
	}
	clock_facts(p, x);
	if (d->step_seq != DB_NONE && d->step_seq > 0 && x->have_parts &&
	    (size_t)d->step_seq <= x->parts.steps.count) {
		const struct db_procedure_step *st = &x->parts.steps.items[d->step_seq - 1];
		html_elem(h, "dt", T(p, "Bước hiện tại", "Current step"), NULL);
		html_raw(h, "<dd>");
		html_textf(h, "%lld. %s", (long long)d->step_seq,
		           web_pick(p, st->name_vi, st->name_en));
		if (d->step_due_at != DB_NONE) {
			html_text(h, T(p, " — hạn bước: ", " — step due: "));
			web_time(p, d->step_due_at);
		}
		html_raw(h, "</dd>");
	}
	web_fact_time(p, T(p, "Có kết quả lúc", "Resolved at"), d->resolved_at);
	web_fact_time(p, T(p, "Trả kết quả lúc", "Delivered at"), d->delivered_at);
	web_fact(p, T(p, "Đơn vị tiếp nhận", "Received by"),
	         web_unit_name(p, &x->units, d->receiving_unit));
	web_fact(p, T(p, "Cơ quan giải quyết", "Competent unit"),
	         web_unit_name(p, &x->units, d->competent_unit));
	web_fact(p, T(p, "Nơi trả kết quả", "Where to collect the result"), where_to_collect(p, x));
	if (staff && !str_empty(d->holder_account)) {
		const char *n = staff_name(x, d->holder_account);
		web_fact(p, T(p, "Chuyên viên đang xử lý", "Held by"), n ? n : d->holder_account);
	}
	if (d->supplements_used > 0)
		web_fact(p, T(p, "Số lần yêu cầu bổ sung", "Supplement requests"),
		         web_strf(p, "%lld", (long long)d->supplements_used));
	if (d->extensions_used > 0)
		web_fact(p, T(p, "Số lần gia hạn", "Extensions"),
		         web_strf(p, "%lld", (long long)d->extensions_used));
	if (d->fee_vnd != DB_NONE && d->fee_vnd > 0) {
		html_elem(h, "dt", T(p, "Phí, lệ phí", "Fees"), NULL);
		html_raw(h, "<dd>");
		html_int(h, d->fee_vnd);
		html_text(h, " đ");
		if (d->paid_at != DB_NONE) {
			html_text(h, T(p, " — đã nộp lúc ", " — paid at "));
			web_time(p, d->paid_at);
		}
		html_raw(h, "</dd>");
	}
	if (d->rated)
		web_fact(p, T(p, "Đánh giá", "Rating"), T(p, "Người nộp đã đánh giá", "Rated"));
	html_raw(h, "</dl>");
	if (d->code[0] && d->received_at != DB_NONE) {
		html_raw(h, "<p>");
		html_elem(h, "a",
		          T(p, "Giấy tiếp nhận hồ sơ và hẹn trả kết quả (bản in)",
		            "Receipt and appointment slip (printable)"),
		          "href", web_url(p, web_strf(p, "/dossiers/%s/slip", d->id), NULL), "id",
		          "slip-link", NULL);
		html_raw(h, "</p>");
	}
	html_raw(h, "</section>");
}

static void applicant_section(struct web_page *p, struct view *x)
{
	struct html *h = &p->h;
	const struct db_dossier *d = &x->v.dossier;
	html_raw(h, "<section aria-labelledby=\"h-applicant\">");
	html_elem(h, "h2", T(p, "Người nộp hồ sơ", "Applicant"), "id", "h-applicant", NULL);
	html_raw(h, "<dl class=\"facts\" id=\"applicant\">");
	web_fact(p,
	         str_eq(d->applicant_kind, "organisation") ? T(p, "Tổ chức", "Organisation")
	                                                   : T(p, "Họ và tên", "Full name"),
	         d->applicant_name);
	web_fact(p, T(p, "Số định danh cá nhân", "Personal ID number"), d->applicant_id_number);
	web_fact(p, T(p, "Mã số thuế", "Tax code"), d->applicant_tax_code);
	if (d->applicant_birth_day != DB_NONE) {
		html_elem(h, "dt", T(p, "Ngày sinh", "Date of birth"), NULL);
		html_raw(h, "<dd>");
		web_date(p, d->applicant_birth_day);
		html_raw(h, "</dd>");
	}
	web_fact(p, T(p, "Điện thoại", "Phone"), d->applicant_phone);
	web_fact(p, T(p, "Thư điện tử", "E-mail"), d->applicant_email);
	web_fact(p, T(p, "Địa chỉ", "Address"), d->applicant_address);
	web_fact(p, T(p, "Nơi thường trú", "Residence"), x->residence_name);
	web_fact(p, T(p, "Nơi có tài sản, sự kiện", "Place of the property or event"),
	         x->property_name);
	if (str_eq(d->applicant_kind, "person"))
		web_fact(p, T(p, "Đối chiếu dữ liệu dân cư", "Population data"),
		         d->population_verified
		                 ? T(p, "Đã khớp với Cơ sở dữ liệu quốc gia về dân cư",
		                     "Matches the national population database")
		                 : T(p, "Chưa khớp", "Not confirmed"));
	if (!str_empty(d->representative_name)) {
		web_fact(p, T(p, "Người được ủy quyền", "Authorised representative"),
		         web_strf(p, "%s (%s)", d->representative_name,
		                  d->representative_id_number));
		web_fact(p, T(p, "Văn bản ủy quyền", "Authorisation"), d->authorisation_doc);
	}
	html_raw(h, "</dl>");
	if (x->v.applicants.count) {
		html_elem(h, "h3", T(p, "Người cùng nộp", "Further applicants"), NULL);
		html_raw(h, "<ul>");
		for (size_t i = 0; i < x->v.applicants.count; i++) {
			const struct db_dossier_applicant *a = &x->v.applicants.items[i];
			html_open(h, "li", NULL);
			html_textf(h, "%s — %s", a->full_name, a->id_number);
			if (a->population_verified)
				html_text(h, T(p, " (đã khớp dữ liệu dân cư)",
				               " (population data match)"));
			html_close(h, "li");
		}
		html_raw(h, "</ul>");
	}
	html_raw(h, "</section>");
}

static void components_section(struct web_page *p, struct view *x)
{
	struct html *h = &p->h;
	const struct db_component_list *cl = &x->v.components;
	html_raw(h, "<section aria-labelledby=\"h-components\">");
	html_elem(h, "h2", T(p, "Thành phần hồ sơ", "Components"), "id", "h-components", NULL);
	if (!cl->count) {
		html_elem(h, "p", T(p, "Không có thành phần nào.", "No components."), "class",
		          "muted", NULL);
		html_raw(h, "</section>");
		return;
	}
	html_raw(h,
	         "<div class=\"table-wrap\"><table class=\"stack\" id=\"components\"><thead><tr>");
	web_col_heads(p, T(p, "STT", "No."), T(p, "Tên thành phần", "Component"),
	              T(p, "Tình trạng", "Status"),
	              T(p, "Bản gốc lưu tại trung tâm", "Original kept"), NULL);
	html_raw(h, "</tr></thead><tbody>");
	for (size_t i = 0; i < cl->count; i++) {
		const struct db_dossier_component *k = &cl->items[i];
		html_open(h, "tr", "class", web_strf(p, "comp-%s", k->status), NULL);
		html_elem(h, "td", web_strf(p, "%lld", (long long)k->seq), "data-label",
		          T(p, "STT", "No."), NULL);
		html_elem(h, "td", component_name(x, k->seq), "data-label",
		          T(p, "Tên thành phần", "Component"), NULL);
		html_elem(h, "td", component_status_label(p, k->status), "data-label",
		          T(p, "Tình trạng", "Status"), NULL);
		html_elem(h, "td", k->original_kept ? T(p, "Có", "Yes") : "", "data-label",
		          T(p, "Bản gốc", "Original"), NULL);
		html_raw(h, "</tr>");
	}
	html_raw(h, "</tbody></table></div></section>");
}

static bool uses_unit_list(enum dossier_action a, const struct db_dossier *d)
{
	return a == ACTION_TRANSFER || a == ACTION_HANDOVER ||
	       (a == ACTION_ACCEPT && str_empty(d->competent_unit));
}

static void actions_section(struct web_page *p, struct view *x, const struct dossier_form *f)
{
	struct html *h = &p->h;
	html_raw(h, "<section aria-labelledby=\"h-actions\" id=\"actions\">");
	html_elem(h, "h2", T(p, "Thao tác", "What you can do"), "id", "h-actions", NULL);
	if (x->al.count == 0) {
		html_elem(h, "p",
		          T(p, "Bạn không có thao tác nào với hồ sơ ở trạng thái này.",
		            "There is nothing for you to do on this dossier in its current state."),
		          "class", "muted", NULL);
		html_raw(h, "</section>");
		return;
	}
	bool need_units = false;
	for (size_t i = 0; i < x->al.count; i++)
		need_units = need_units || uses_unit_list(x->al.actions[i], &x->v.dossier);
	if (need_units) {
		html_raw(h, "<datalist id=\"dl-units\">");
		for (size_t i = 0; i < x->units.n; i++) {
			const struct web_unit *u = &x->units.items[i];
			if (str_eq(u->kind, "centre"))
				continue;
			html_elem(h, "option", web_unit_name(p, &x->units, u->code), "value",
			          u->code, NULL);
		}
		html_raw(h, "</datalist>");
	}
	html_raw(h, "<div class=\"act-grid\">");
	for (size_t i = 0; i < x->al.count; i++)
		act_form(p, x, f, x->al.actions[i]);
	html_raw(h, "</div></section>");
}

/*
 * Links to the legal forms of the dossier as signed PDF (the documents API,
 * docs/documents.md): those the dossier's history calls for, by the documents
 * service's own rule.
 */
static void documents_section(struct web_page *p, struct view *x)
{
	static const char *const forms[] = {"receipt", "supplement", "refusal",
	                                    "apology", "stop",       "control"};
	struct html *h = &p->h;
	bool any = false;
	for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
		if (!documents_form_applies(&x->v, forms[i]))
			continue;
		if (!any) {
			html_raw(h, "<section aria-labelledby=\"h-documents\" id=\"documents\">");
			html_elem(h, "h2", T(p, "Biểu mẫu (PDF có ký số)", "Forms (signed PDF)"),
			          "id", "h-documents", NULL);
			html_raw(h, "<ul class=\"documents\">");
			any = true;
		}
		html_raw(h, "<li>");
		html_elem(h, "a", web_form_label(p, forms[i]), "href",
		          web_strf(p, API_PREFIX "/dossiers/%s/forms/%s.pdf", x->v.dossier.id,
		                   forms[i]),
		          "type", "application/pdf", NULL);
		html_raw(h, "</li>");
	}
	if (!any)
		return;
	html_raw(h, "</ul>");
	html_elem(
	        h, "p",
	        T(p, "Mỗi tệp mang mã xác thực, kiểm tra tại trang Xác thực văn bản.",
	          "Each file carries a verification code, checked on the Verify a document page."),
	        "class", "muted", NULL);
	html_raw(h, "</section>");
}

static void timeline_section(struct web_page *p, struct view *x)
{
	struct html *h = &p->h;
	const struct db_event_list *ev = &x->v.events;
	html_raw(h, "<section aria-labelledby=\"h-timeline\">");
	html_elem(h, "h2", T(p, "Phiếu kiểm soát quá trình giải quyết", "Process control form"),
	          "id", "h-timeline", NULL);
	html_raw(h, "<div class=\"table-wrap\"><table class=\"stack timeline\" id=\"timeline\">"
	            "<thead><tr>");
	static const char *const cols_vi[] = {"Thời gian",  "Thao tác",       "Thực hiện",
	                                      "Chuyển đến", "Trạng thái sau", "Kết quả bước",
	                                      "Hẹn trả",    "Ghi chú"};
	static const char *const cols_en[] = {"When",  "Action",      "By",          "To",
	                                      "State", "Step result", "Appointment", "Note"};
	for (size_t i = 0; i < 8; i++)
		html_elem(h, "th", T(p, cols_vi[i], cols_en[i]), "scope", "col", NULL);
	html_raw(h, "</tr></thead><tbody>");
	for (size_t i = 0; i < ev->count; i++) {
		const struct db_dossier_event *e = &ev->items[i];
		const char *lab[8];
		for (size_t k = 0; k < 8; k++)
			lab[k] = T(p, cols_vi[k], cols_en[k]);
		html_raw(h, "<tr>");
		html_open(h, "td", "data-label", lab[0], NULL);
		web_time(p, e->at);
		html_close(h, "td");
		html_elem(h, "td", web_action_label(p, e->action), "data-label", lab[1], NULL);
		/* who: the unit, and for staff readers the account */
		const char *who;
		const char *acct = staff_name(x, e->actor_account);
		if (!str_empty(e->actor_unit))
			who = acct ? web_strf(p, "%s · %s",
			                      web_unit_name(p, &x->units, e->actor_unit), acct)
			           : web_unit_name(p, &x->units, e->actor_unit);
		else if (acct)
			who = acct;
		else if (applicant_action(e->action))
			who = T(p, "Người nộp hồ sơ", "Applicant");
		else
			who = T(p, "Hệ thống", "System");
		html_elem(h, "td", who, "data-label", lab[2], NULL);
		const char *to_acct = staff_name(x, e->to_account);
		const char *to = web_unit_name(p, &x->units, e->to_unit);
		if (to_acct)
			to = to[0] ? web_strf(p, "%s · %s", to, to_acct) : to_acct;
		html_elem(h, "td", to, "data-label", lab[3], NULL);
		html_elem(h, "td", web_state_label(p, e->to_state), "data-label", lab[4], NULL);
		html_elem(h, "td", step_result_label(p, e->step_result), "data-label", lab[5],
		          "class", step_result_class(e->step_result), NULL);
		html_open(h, "td", "data-label", lab[6], NULL);
		web_time(p, e->due_at);
		html_close(h, "td");
		html_elem(h, "td", e->note, "data-label", lab[7], "class", "note", NULL);
		html_raw(h, "</tr>");
	}
	html_raw(h, "</tbody></table></div></section>");
}

/* ---- electronic copies: scans, results, reuse (issue 6; service/files.h) ---- */

/* The size of a file, readable: "70 KB", "2,4 MB". */
static const char *files_size(struct web_page *p, int64_t bytes)
{
	if (bytes < 1024 * 1024)
		return web_strf(p, "%lld KB", (long long)((bytes + 1023) / 1024));
	long long tenths = (long long)((bytes * 10 + 512 * 1024) / (1024 * 1024));
	return web_strf(p, "%lld%s%lld MB", tenths / 10, p->lang == ERR_LANG_EN ? "." : ",",
	                tenths % 10);
}

/* "Kết quả" or "2. Giấy tờ tùy thân" */
static const char *files_what(struct web_page *p, const struct db_dossier_file *f)
{
	if (str_eq(f->kind, "result"))
		return T(p, "Kết quả giải quyết (bản điện tử)", "Result (electronic copy)");
	return web_strf(p, "%lld. %s", (long long)f->component_seq, f->component_name);
}

/* The component choices of the dossier's procedure (value: its number). */
static size_t files_component_options(struct web_page *p, struct view *x, struct web_option **out)
{
	size_t n = x->have_parts ? x->parts.components.count : 0;
	*out = n ? http_request_alloc(p->req, n * sizeof **out) : NULL;
	if (!*out)
		return 0;
	for (size_t i = 0; i < n; i++) {
		const struct db_procedure_component *c = &x->parts.components.items[i];
		(*out)[i].value = web_num(p, c->seq);
		(*out)[i].label = web_strf(p, "%lld. %s", (long long)c->seq, c->name_vi);
	}
	return n;
}

static void files_table(struct web_page *p, const char *id, const struct db_file_list *l)
{
	struct html *h = &p->h;
	if (!l->count) {
		html_elem(h, "p", T(p, "Chưa có bản điện tử nào.", "No electronic copy yet."),
		          "class", "muted", "id", "files-none", NULL);
		return;
	}
	html_raw(h, "<div class=\"table-wrap\"><table class=\"stack files\" id=\"files-table\">"
	            "<thead><tr>");
	const char *c[5] = {T(p, "Giấy tờ", "Document"), T(p, "Tệp", "File"),
	                    T(p, "Kích thước", "Size"), T(p, "Thời điểm", "When"),
	                    T(p, "Nguồn", "Source")};
	web_col_heads(p, c[0], c[1], c[2], c[3], c[4], NULL);
	html_raw(h, "</tr></thead><tbody>");
	for (size_t i = 0; i < l->count; i++) {
		const struct db_dossier_file *f = &l->items[i];
		html_open(h, "tr", "class", web_strf(p, "file-%s", f->kind), NULL);
		html_elem(h, "td", files_what(p, f), "data-label", c[0], NULL);
		html_open(h, "td", "data-label", c[1], NULL);
		html_elem(h, "a", f->filename, "href",
		          web_url(p, web_strf(p, "/dossiers/%s/files/%s", id, f->id), NULL), "type",
		          f->media_type, "class", "file-link", "download", HTML_BOOL, NULL);
		html_close(h, "td");
		html_elem(h, "td", files_size(p, f->bytes), "data-label", c[2], NULL);
		html_open(h, "td", "data-label", c[3], NULL);
		web_time(p, f->uploaded_at);
		html_close(h, "td");
		html_elem(h, "td",
		          f->reused_from_file[0]
		                  ? web_strf(p, "%s %s",
		                             T(p, "Dùng lại từ hồ sơ", "Reused from dossier"),
		                             f->reused_from_code[0] ? f->reused_from_code
		                                                    : f->reused_from_dossier)
		                  : T(p, "Tải lên", "Uploaded"),
		          "data-label", c[4], NULL);
		html_raw(h, "</tr>");
	}
	html_raw(h, "</tbody></table></div>");
}

static void files_upload_form(struct web_page *p, struct view *x, const struct files_view *fv)
{
	struct html *h = &p->h;
	const char *id = x->v.dossier.id;
	html_elem(h, "h3", T(p, "Tải lên bản điện tử", "Upload an electronic copy"), "id",
	          "h-upload", NULL);
	html_open(h, "form", "method", "post", "action",
	          web_url(p, web_strf(p, "/dossiers/%s/files", id), NULL), "enctype",
	          "multipart/form-data", "id", "upload-form", "class", "upload-form", NULL);
	web_csrf_input(p);
	if (fv->may_component && fv->may_result) {
		const struct web_option kinds[] = {
		        {"component", T(p, "Bản quét thành phần hồ sơ", "Scan of a component")},
		        {"result", T(p, "Kết quả giải quyết (bản điện tử)", "Electronic result")}};
		web_select(p, "kind", T(p, "Loại", "Kind"), kinds, 2, NULL, NULL, true);
	} else {
		html_void(h, "input", "type", "hidden", "name", "kind", "value",
		          fv->may_result ? "result" : "component", NULL);
	}
	if (fv->may_component) {
		struct web_option *opts;
		size_t n = files_component_options(p, x, &opts);
		web_select(p, "component", T(p, "Thành phần hồ sơ", "Component"), opts, n, NULL,
		           NULL, !fv->may_result);
	}
	int64_t max = config_int(p->w->svc->cfg, CONFIG_OPT_file_max_bytes);
	html_open(h, "div", "class", x->files_error ? "field has-error" : "field", NULL);
	html_open(h, "label", "for", "f-file", NULL);
	html_text(h, T(p, "Tệp", "File"));
	html_elem(h, "span", " *", "class", "req", "aria-hidden", "true", NULL);
	html_close(h, "label");
	html_elem(h, "p",
	          web_strf(p, "%s %s.",
	                   T(p, "PDF, JPEG hoặc PNG (kiểm tra theo nội dung), tối đa",
	                     "PDF, JPEG or PNG (checked by content), at most"),
	                   files_size(p, max)),
	          "class", "field-hint", "id", "h-file", NULL);
	if (x->files_error)
		html_elem(h, "p", x->files_error, "class", "field-error", "id", "e-file", NULL);
	html_void(h, "input", "type", "file", "name", "file", "id", "f-file", "accept",
	          "application/pdf,image/jpeg,image/png,.pdf,.jpg,.jpeg,.png", "required",
	          HTML_BOOL, "aria-invalid", x->files_error ? "true" : NULL, "aria-describedby",
	          x->files_error ? "e-file h-file" : "h-file", NULL);
	html_close(h, "div");
	web_submit(p, T(p, "Tải lên", "Upload"), NULL);
	html_close(h, "form");
}

static void files_reuse_offers(struct web_page *p, struct view *x)
{
	struct db_file_list l;
	struct err e;
	err_clear(&e);
	if (files_reusable(p->w->svc, p->actor, x->v.dossier.id, &l, &e) != ERR_OK || !l.count) {
		db_file_list_free(&l);
		return;
	}
	struct html *h = &p->h;
	struct web_option *opts;
	size_t n = files_component_options(p, x, &opts);
	html_elem(h, "h3",
	          T(p, "Dùng lại giấy tờ đã số hóa của người nộp",
	            "Reuse documents of the applicant digitised before"),
	          "id", "h-reuse", NULL);
	html_raw(h, "<div class=\"table-wrap\"><table class=\"stack files\" id=\"reuse-table\">"
	            "<thead><tr>");
	const char *c[4] = {T(p, "Giấy tờ", "Document"), T(p, "Tệp", "File"),
	                    T(p, "Hồ sơ trước", "Earlier dossier"),
	                    T(p, "Dùng cho thành phần", "Use for component")};
	web_col_heads(p, c[0], c[1], c[2], c[3], NULL);
	html_raw(h, "</tr></thead><tbody>");
	for (size_t i = 0; i < l.count; i++) {
		const struct db_dossier_file *f = &l.items[i];
		html_raw(h, "<tr>");
		html_elem(h, "td", files_what(p, f), "data-label", c[0], NULL);
		html_elem(h, "td", web_strf(p, "%s (%s)", f->filename, files_size(p, f->bytes)),
		          "data-label", c[1], NULL);
		html_elem(h, "td", f->dossier_code[0] ? f->dossier_code : f->dossier_id,
		          "data-label", c[2], NULL);
		html_open(h, "td", "data-label", c[3], NULL);
		web_form_open_class(p, web_strf(p, "/dossiers/%s/reuse", x->v.dossier.id),
		                    "reuse-form");
		html_void(h, "input", "type", "hidden", "name", "file", "value", f->id, NULL);
		const char *sel = web_strf(p, "reuse-comp-%zu", i);
		html_elem(h, "label", T(p, "Thành phần", "Component"), "for", sel, "class",
		          "visually-hidden", NULL);
		html_open(h, "select", "name", "component", "id", sel, NULL);
		for (size_t k = 0; k < n; k++) {
			bool chosen = str_eq(f->kind, "component") &&
			              str_eq(opts[k].value, web_num(p, f->component_seq));
			html_elem(h, "option", opts[k].label, "value", opts[k].value, "selected",
			          chosen ? HTML_BOOL : NULL, NULL);
		}
		html_close(h, "select");
		web_submit(p, T(p, "Dùng lại", "Reuse"), "button secondary");
		web_form_close(p);
		html_close(h, "td");
		html_raw(h, "</tr>");
	}
	html_raw(h, "</tbody></table></div>");
	db_file_list_free(&l);
}

static void files_section(struct web_page *p, struct view *x)
{
	struct files_view fv;
	struct err e;
	err_clear(&e);
	if (files_list(p->w->svc, p->actor, x->v.dossier.id, &fv, &e) != ERR_OK)
		return;
	struct html *h = &p->h;
	html_raw(h, "<section aria-labelledby=\"h-files\" id=\"files\" class=\"files\">");
	html_elem(h, "h2", T(p, "Bản điện tử (số hóa)", "Electronic copies (digitised)"), "id",
	          "h-files", NULL);
	const char *flag = web_query(p, "files");
	if (str_eq(flag, "uploaded"))
		web_notice(p, T(p, "Đã lưu bản điện tử.", "The electronic copy was stored."));
	else if (str_eq(flag, "reused"))
		web_notice(p, T(p, "Đã dùng lại giấy tờ cho thành phần hồ sơ.",
		                "The document now satisfies the component."));
	html_raw(h, "<dl class=\"facts\" id=\"files-figures\">");
	web_fact(p, T(p, "Thành phần đã số hóa", "Components digitised"),
	         web_num(p, fv.fig.components_digitised));
	web_fact(p, T(p, "Thành phần dùng lại", "Components reused"),
	         web_num(p, fv.fig.components_reused));
	web_fact(p, T(p, "Kết quả", "Result"),
	         fv.fig.results ? T(p, "Đã cấp bản điện tử", "Issued electronically")
	                        : T(p, "Chưa có bản điện tử", "No electronic copy yet"));
	html_raw(h, "</dl>");
	files_table(p, x->v.dossier.id, &fv.list);
	if (fv.may_component || fv.may_result)
		files_upload_form(p, x, &fv);
	if (fv.may_component)
		files_reuse_offers(p, x);
	files_view_release(&fv);
	html_raw(h, "</section>");
}

static const char *page_title(struct web_page *p, const struct view *x)
{
	const struct db_dossier *d = &x->v.dossier;
	if (d->code[0])
		return web_strf(p, "%s %s", T(p, "Hồ sơ", "Dossier"), d->code);
	return T(p, "Hồ sơ chưa có mã", "Dossier without a code yet");
}

static void page_render(struct web_page *p, struct view *x, const struct dossier_form *f,
                        const char *notice, bool slip_link)
{
	struct html *h = &p->h;
	web_begin(p, page_title(p, x));
	if (notice) {
		html_raw(h, "<div class=\"notice\" role=\"status\" id=\"notice\"><p>");
		html_text(h, notice);
		html_raw(h, "</p>");
		if (slip_link && x->v.dossier.code[0] && x->v.dossier.received_at != DB_NONE) {
			html_raw(h, "<p>");
			html_elem(
			        h, "a",
			        T(p, "In giấy tiếp nhận hồ sơ và hẹn trả kết quả",
			          "Print the receipt and appointment slip"),
			        "href",
			        web_url(p, web_strf(p, "/dossiers/%s/slip", x->v.dossier.id), NULL),
			        "class", "button", "id", "notice-slip", NULL);
			html_raw(h, "</p>");
		}
		html_raw(h, "</div>");
	}
	if (f && f->message) {
		html_raw(h, "<div class=\"form-errors\" role=\"alert\" id=\"form-errors\"><p>");
		html_text(h, f->message);
		html_raw(h, "</p>");
		if (f->action) {
			html_raw(h, "<p>");
			html_elem(h, "a",
			          T(p, "Tới biểu mẫu của thao tác", "Go to the action's form"),
			          "href", web_strf(p, "#act-%s", f->action), NULL);
			html_raw(h, "</p>");
		}
		html_raw(h, "</div>");
	}
	summary_section(p, x);
	actions_section(p, x, f);
	applicant_section(p, x);
	components_section(p, x);
	timeline_section(p, x);
	documents_section(p, x);
	files_section(p, x);
	view_release(x);
	web_end(p);
}

/* ---- GET /dossiers/{id} ---- */

/*
 * The start of a GET page of the dossier {id}: p initialised, the visitor
 * logged in, x loaded. On false the page has been answered and x released.
 */
static bool view_open(struct web_page *p, struct http_request *req, struct http_response *res,
                      void *ctx, struct view *x)
{
	web_page_init(p, req, res, ctx);
	if (!web_need_login(p))
		return false;
	struct err e;
	err_clear(&e);
	if (view_load(p, http_request_param(req, "id"), x, &e) != ERR_OK) {
		view_release(x);
		web_fail(p, &e);
		return false;
	}
	return true;
}

static void get_dossier(struct http_request *req, struct http_response *res, void *ctx)
{
	struct web_page p;
	struct view x;
	if (!view_open(&p, req, res, ctx, &x))
		return;
	const char *done = web_query(&p, "done");
	enum dossier_action a;
	const char *notice = NULL;
	if (*done && lifecycle_action_from_name(done, &a) == ERR_OK)
		notice = web_strf(&p, "%s %s.", T(&p, "Đã thực hiện:", "Done:"),
		                  web_action_label(&p, done));
	page_render(&p, &x, NULL, notice, str_eq(done, "receive") || str_eq(done, "accept"));
}

/* ---- POST /dossiers/{id}/act ---- */

/* Which field of the action's form an error of the service belongs to. */
static const char *error_field(enum dossier_action a, const struct err *e)
{
	static const char *const fields[] = {
	        "note",    "to_unit", "to_account",          "competent_unit",  "fee_vnd",
	        "rating",  "comment", "complaint",           "components",      "post_address",
	        "custody", "new_due", "collector_id_number", "payment_channel", NULL};
	for (size_t i = 0; fields[i]; i++) {
		char quoted[48];
		snprintf(quoted, sizeof quoted, "'%s'", fields[i]);
		if (strstr(e->detail, quoted))
			return fields[i];
	}
	switch (a) {
	case ACTION_DELIVER:
		if (e->code == ERR_INVALID_CCCD || e->code == ERR_GUARD_FAILED)
			return "collector_id_number";
		break;
	case ACTION_EXTEND:
		if (e->code == ERR_INVALID_ARGUMENT || e->code == ERR_INVALID_TIME ||
		    e->code == ERR_DATE_OUT_OF_CALENDAR)
			return "new_due";
		break;
	case ACTION_TAKE:
	case ACTION_REASSIGN:
		if (strstr(e->detail, "account"))
			return "to_account";
		break;
	case ACTION_ACCEPT:
		if (e->code == ERR_COMPETENT_UNIT_REQUIRED || strstr(e->detail, "unit"))
			return "competent_unit";
		break;
	case ACTION_TRANSFER:
	case ACTION_HANDOVER:
	case ACTION_CHANGE_COLLECTION:
		if (strstr(e->detail, "unit") || strstr(e->detail, "branch"))
			return "to_unit";
		if (strstr(e->detail, "post"))
			return "post_address";
		break;
	case ACTION_POST_RESULT:
		if (strstr(e->detail, "address"))
			return "post_address";
		break;
	case ACTION_REQUEST_FEE:
		if (strstr(e->detail, "fee") || strstr(e->detail, "amount"))
			return "fee_vnd";
		break;
	case ACTION_RECORD_PAYMENT:
		if (strstr(e->detail, "payment"))
			return "payment_channel";
		break;
	case ACTION_RATE:
		if (strstr(e->detail, "rating"))
			return "rating";
		break;
	case ACTION_REQUEST_SUPPLEMENT:
	case ACTION_RECEIVE_SUPPLEMENT:
		if (strstr(e->detail, "component"))
			return "components";
		break;
	default:
		break;
	}
	return NULL;
}

/* The message next to a field for an error of the service. */
static const char *field_message(struct web_page *p, enum dossier_action a, const char *field,
                                 const struct err *e)
{
	if (e->code == ERR_MISSING_ARGUMENT)
		return T(p, "Mục này là bắt buộc.", "This field is required.");
	if (a == ACTION_DELIVER && str_eq(field, "collector_id_number")) {
		if (e->code == ERR_INVALID_CCCD)
			return T(p, "Số định danh cá nhân gồm đúng 12 chữ số.",
			         "A personal ID number has exactly 12 digits.");
		if (e->code == ERR_GUARD_FAILED)
			return T(p,
			         "Số định danh không khớp với người nộp hoặc người được ủy quyền: "
			         "không trả kết quả.",
			         "The number matches neither an applicant nor the authorised "
			         "person: "
			         "do not hand over the result.");
	}
	if (a == ACTION_EXTEND && str_eq(field, "new_due") && e->code == ERR_INVALID_ARGUMENT)
		return T(p, "Hẹn mới phải sau hẹn hiện tại và sau thời điểm này.",
		         "The new appointment must be later than the current one and than now.");
	return err_hint(e->code, p->lang);
}

/* The message at the top for an error of the service. */
static const char *top_message(struct web_page *p, const struct err *e)
{
	if (e->code == ERR_VERSION_CONFLICT)
		return T(p,
		         "Hồ sơ vừa được người khác cập nhật nên thao tác chưa được thực hiện. "
		         "Dưới đây là thông tin mới nhất; hãy kiểm tra rồi thực hiện lại nếu vẫn "
		         "cần.",
		         "Someone else changed the dossier, so nothing was done. The page below is "
		         "up to date; check it and try again if still needed.");
	const char *hint = err_hint(e->code, p->lang);
	return e->detail[0] ? web_strf(p, "%s (%s)", hint, e->detail) : hint;
}

/* Shows the page again after a failed action: status of the error, the form's values kept. */
static void act_failed(struct web_page *p, const char *id, enum dossier_action a,
                       const char *action, const struct err *e, const char *field,
                       const char *field_error, const char *message)
{
	struct view x;
	struct err le;
	err_clear(&le);
	if (view_load(p, id, &x, &le) != ERR_OK) {
		view_release(&x);
		web_fail(p, e);
		return;
	}
	if (e->code == ERR_VERSION_CONFLICT) {
		p->status = 409;
		struct dossier_form f = {NULL, top_message(p, e), NULL, NULL};
		page_render(p, &x, &f, NULL, false);
		return;
	}
	p->status = err_http_status(e->code == ERR_OK ? ERR_INVALID_ARGUMENT : e->code);
	if (!field)
		field = error_field(a, e);
	if (field && !field_error)
		field_error = field_message(p, a, field, e);
	struct dossier_form f = {action, message ? message : top_message(p, e), field, field_error};
	page_render(p, &x, &f, NULL, false);
}

/* Parses the component numbers of the form. Returns false when one is not a number. */
static bool form_components(struct web_page *p, struct action_params *ap)
{
	const char *vals[ACTION_MAX_COMPONENTS + 1];
	size_t n = web_fields(p, "components", vals, ACTION_MAX_COMPONENTS + 1);
	if (n == 0)
		return true;
	if (n > ACTION_MAX_COMPONENTS)
		return false;
	int *k = http_request_alloc(p->req, n * sizeof *k);
	if (!k)
		return false;
	for (size_t i = 0; i < n; i++) {
		int64_t v;
		if (str_parse_int64(vals[i], 1, 1000, &v) != 0)
			return false;
		k[i] = (int)v;
	}
	ap->components = k;
	ap->n_components = n;
	return true;
}

/* A staff username typed in the form, as the account id the service expects. */
static const char *account_of(struct web_page *p, const char *typed)
{
	if (str_empty(typed))
		return NULL;
	struct account_info info;
	if (account_get(p->w->acc, typed, &info, NULL) == ERR_OK && info.kind == ACTOR_STAFF)
		return web_strdup(p, info.id);
	return typed;
}

static void post_act(struct http_request *req, struct http_response *res, void *ctx)
{
	struct web_page p;
	web_page_init(&p, req, res, ctx);
	if (!web_post_begin(&p) || !web_need_login(&p))
		return;
	const char *id = http_request_param(req, "id");
	if (!id || strlen(id) >= DBD_KEY_SIZE) {
		web_fail_code(&p, ERR_NOT_FOUND, "no such dossier");
		return;
	}
	const char *action = web_field(&p, "action");
	enum dossier_action a;
	if (lifecycle_action_from_name(action, &a) != ERR_OK || a == ACTION_SUBMIT ||
	    a == ACTION_RECEIVE) {
		web_fail_code(&p, ERR_UNKNOWN_ACTION,
		              T(&p, "Thao tác không tồn tại.", "No such action."));
		return;
	}
	struct err e;
	err_clear(&e);
	int64_t version;
	if (str_parse_int64(web_field(&p, "version"), 1, DOSSIER_VERSION_MAX, &version) != 0) {
		err_set(&e, ERR_INVALID_ARGUMENT, "'version' must be the dossier's version");
		act_failed(&p, id, a, action, &e, NULL, NULL, NULL);
		return;
	}

	struct action_params ap;
	action_params_init(&ap);
	ap.note = web_nonempty(web_field(&p, "note"));
	ap.to_unit = web_nonempty(web_field(&p, "to_unit"));
	ap.competent_unit = web_nonempty(web_field(&p, "competent_unit"));
	ap.payment_channel = web_nonempty(web_field(&p, "payment_channel"));
	ap.collector_id_number = web_nonempty(web_field(&p, "collector_id_number"));
	ap.rating = web_nonempty(web_field(&p, "rating"));
	ap.comment = web_nonempty(web_field(&p, "comment"));
	ap.complaint = web_nonempty(web_field(&p, "complaint"));
	ap.post_address = web_nonempty(web_field(&p, "post_address"));
	ap.custody = web_nonempty(web_field(&p, "custody"));
	ap.by_post = a == ACTION_CHANGE_COLLECTION && !str_empty(web_field(&p, "by_post"));
	if (ap.by_post)
		ap.to_unit = NULL; /* the select's branch is ignored when the post is chosen */
	ap.to_account = account_of(&p, web_field(&p, "to_account"));

	const char *fee = web_field(&p, "fee_vnd");
	if (*fee) {
		char digits[32];
		size_t n = 0;
		for (const char *c = fee; *c && n + 1 < sizeof digits; c++)
			if (*c != '.' && *c != ' ' && *c != ',')
				digits[n++] = *c;
		digits[n] = '\0';
		if (strlen(fee) >= sizeof digits ||
		    str_parse_int64(digits, 1, API_FEE_MAX, &ap.fee_vnd) != 0) {
			err_set(&e, ERR_INVALID_ARGUMENT, "invalid amount '%.30s'", fee);
			act_failed(&p, id, a, action, &e, "fee_vnd",
			           T(&p, "Nhập số tiền bằng chữ số, lớn hơn 0.",
			             "Enter the amount in digits, above 0."),
			           NULL);
			return;
		}
	}
	const char *due = web_field(&p, "new_due");
	if (*due && vntime_parse_datetime(due, &ap.new_due) != 0) {
		err_set(&e, ERR_INVALID_TIME, "invalid time '%.30s'", due);
		act_failed(&p, id, a, action, &e, "new_due",
		           T(&p, "Nhập ngày và giờ, ví dụ 2026-12-01T16:00.",
		             "Enter a date and time, e.g. 2026-12-01T16:00."),
		           NULL);
		return;
	}
	if (!form_components(&p, &ap)) {
		err_set(&e, ERR_INVALID_ARGUMENT, "invalid component numbers");
		act_failed(&p, id, a, action, &e, "components", NULL, NULL);
		return;
	}
	if (a == ACTION_DELIVER) {
		/* the collector's name goes on the process control form with the note */
		const char *who = web_field(&p, "collector_name");
		if (!*who || strlen(who) >= DBD_NAME_SIZE) {
			err_set(&e, ERR_MISSING_ARGUMENT, "'collector_name' is required");
			act_failed(&p, id, a, action, &e, "collector_name",
			           T(&p, "Nhập họ tên người nhận kết quả.",
			             "Enter the name of the person collecting the result."),
			           NULL);
			return;
		}
		ap.note =
		        ap.note ? web_strf(&p, "%s: %s. %s", T(&p, "Người nhận", "Collected by"),
		                           who, ap.note)
		                : web_strf(&p, "%s: %s", T(&p, "Người nhận", "Collected by"), who);
	}

	struct action_result r;
	if (action_perform(p.w->svc, p.actor, id, action, version, &ap, &r, &e) != ERR_OK) {
		act_failed(&p, id, a, action, &e, NULL, NULL, NULL);
		return;
	}
	web_redirect(&p, web_url(&p, web_strf(&p, "/dossiers/%s", r.id), "done", action, NULL));
}

/* GET /dossiers/{id}/act (a reload or a language switch after a failed form): the page. */
static void get_act(struct http_request *req, struct http_response *res, void *ctx)
{
	struct web_page p;
	web_page_init(&p, req, res, ctx);
	const char *id = http_request_param(req, "id");
	if (!id || strlen(id) >= DBD_KEY_SIZE) {
		web_fail_code(&p, ERR_NOT_FOUND, "no such dossier");
		return;
	}
	web_redirect(&p, web_url(&p, web_strf(&p, "/dossiers/%s", id), NULL));
}

/* ---- GET /dossiers/{id}/slip ---- */

static void slip_row(struct web_page *p, const char *term, const char *value)
{
	if (str_empty(value))
		return;
	html_raw(&p->h, "<tr>");
	html_elem(&p->h, "th", term, "scope", "row", NULL);
	html_elem(&p->h, "td", value, NULL);
	html_raw(&p->h, "</tr>");
}

static void slip_row_time(struct web_page *p, const char *term, int64_t at)
{
	html_raw(&p->h, "<tr>");
	html_elem(&p->h, "th", term, "scope", "row", NULL);
	html_raw(&p->h, "<td>");
	web_time(p, at);
	html_raw(&p->h, "</td></tr>");
}

static void get_slip(struct http_request *req, struct http_response *res, void *ctx)
{
	struct web_page p;
	struct view x;
	if (!view_open(&p, req, res, ctx, &x))
		return;
	const struct db_dossier *d = &x.v.dossier;
	if (!d->code[0] || d->received_at == DB_NONE) {
		view_release(&x);
		web_fail_code(&p, ERR_ACTION_NOT_ALLOWED,
		              T(&p, "Hồ sơ chưa được tiếp nhận nên chưa có giấy hẹn.",
		                "The dossier has not been received, so it has no slip yet."));
		return;
	}
	struct html *h = &p.h;
	web_begin(&p,
	          T(&p, "Giấy tiếp nhận hồ sơ và hẹn trả kết quả", "Receipt and appointment slip"));
	html_raw(h, "<div class=\"slip-tools no-print\"><p>");
	html_elem(h, "a", T(&p, "Quay lại hồ sơ", "Back to the dossier"), "href",
	          web_url(&p, web_strf(&p, "/dossiers/%s", d->id), NULL), NULL);
	html_raw(h, "</p>");
	html_elem(h, "button", T(&p, "In giấy hẹn", "Print the slip"), "type", "button", "class",
	          "button", "data-print", "", "hidden", HTML_BOOL, NULL);
	html_raw(h, "</div>");

	html_raw(h, "<article class=\"slip\" id=\"slip\">");
	html_raw(h, "<header class=\"slip-head\"><div class=\"slip-unit\">");
	html_elem(h, "p", web_unit_name(&p, &x.units, d->receiving_unit), "class", "slip-unit-name",
	          NULL);
	html_raw(h, "</div><div class=\"slip-nation\">");
	html_elem(h, "p", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "class", "slip-nation-name", NULL);
	html_elem(h, "p", "Độc lập - Tự do - Hạnh phúc", "class", "slip-motto", NULL);
	html_raw(h, "</div></header>");
	html_elem(h, "h2", "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", "class", "slip-title", NULL);
	html_open(h, "p", "class", "slip-code", NULL);
	html_text(h, T(&p, "Mã hồ sơ: ", "Dossier code: "));
	html_elem(h, "strong", d->code, "id", "slip-code", NULL);
	html_close(h, "p");

	html_raw(h, "<table class=\"slip-facts\"><tbody>");
	slip_row(&p, T(&p, "Người nộp", "Applicant"), d->applicant_name);
	slip_row(&p, T(&p, "Số định danh cá nhân", "Personal ID number"), d->applicant_id_number);
	slip_row(&p, T(&p, "Mã số thuế", "Tax code"), d->applicant_tax_code);
	slip_row(&p, T(&p, "Điện thoại", "Phone"), d->applicant_phone);
	slip_row(&p, T(&p, "Địa chỉ", "Address"), d->applicant_address);
	slip_row(&p, T(&p, "Thủ tục", "Procedure"),
	         web_strf(&p, "%s (%s)", proc_name(&p, &x), d->procedure_code));
	slip_row(&p, T(&p, "Cơ quan giải quyết", "Competent unit"),
	         web_unit_name(&p, &x.units, d->competent_unit));
	slip_row(&p, T(&p, "Thời hạn giải quyết theo quy định", "Legal time"),
	         legal_time_text(&p, &x.proc));
	slip_row_time(&p, T(&p, "Thời điểm tiếp nhận", "Received at"), d->received_at);
	slip_row_time(&p, T(&p, "Hẹn trả kết quả", "Appointment"), d->due_at);
	slip_row(&p, T(&p, "Nơi trả kết quả", "Where to collect the result"),
	         where_to_collect(&p, &x));
	html_raw(h, "</tbody></table>");

	const struct db_component_list *cl = &x.v.components;
	html_elem(h, "h3", T(&p, "Thành phần hồ sơ đã nhận", "Components received"), NULL);
	html_raw(h, "<ol class=\"slip-list\" id=\"slip-received\">");
	for (size_t i = 0; i < cl->count; i++) {
		const struct db_dossier_component *k = &cl->items[i];
		if (!str_eq(k->status, "received") && !str_eq(k->status, "supplemented"))
			continue;
		html_open(h, "li", NULL);
		html_text(h, component_name(&x, k->seq));
		if (k->original_kept)
			html_text(h, T(&p, " (bản gốc)", " (original)"));
		html_close(h, "li");
	}
	html_raw(h, "</ol>");
	bool any_waived = false;
	for (size_t i = 0; i < cl->count; i++)
		any_waived = any_waived || str_eq(cl->items[i].status, "population");
	if (any_waived) {
		html_elem(
		        h, "h3",
		        T(&p,
		          "Thành phần không phải nộp (khai thác Cơ sở dữ liệu quốc gia về dân cư)",
		          "Components not needed (from the national population database)"),
		        NULL);
		html_raw(h, "<ol class=\"slip-list\" id=\"slip-waived\">");
		for (size_t i = 0; i < cl->count; i++)
			if (str_eq(cl->items[i].status, "population"))
				html_elem(h, "li", component_name(&x, cl->items[i].seq), NULL);
		html_raw(h, "</ol>");
	}
	const char *host = http_request_header(req, "Host");
	html_open(h, "p", "class", "slip-lookup", NULL);
	html_text(h, T(&p, "Tra cứu tình trạng hồ sơ tại ", "Track the dossier at "));
	html_elem(h, "a", web_strf(&p, "%s/lookup", str_empty(host) ? "" : host), "href",
	          web_url(&p, "/lookup", "code", d->code, NULL), "id", "slip-lookup", NULL);
	html_text(h,
	          T(&p,
	            " với mã hồ sơ và 4 chữ số cuối của số định danh cá nhân hoặc số điện thoại.",
	            " with the dossier code and the last 4 digits of the ID number or phone."));
	html_close(h, "p");
	html_raw(h, "<div class=\"slip-sign\"><div><p class=\"slip-sign-role\">");
	html_text(h, T(&p, "Người nộp hồ sơ", "Applicant"));
	html_raw(h, "</p></div><div><p class=\"slip-sign-role\">");
	html_text(h, T(&p, "Người tiếp nhận", "Received by"));
	html_raw(h, "</p></div></div></article>");
	view_release(&x);
	web_end(&p);
}

/* ---- uploads and downloads of electronic copies ---- */

/* The dossier page again with an error of an upload or a reuse (status of the error). */
static void files_failed(struct web_page *p, const char *id, const struct err *e)
{
	struct view x;
	struct err e2;
	err_clear(&e2);
	if (e->code == ERR_NOT_FOUND || e->code == ERR_FORBIDDEN || e->code == ERR_UNAUTHORIZED ||
	    view_load(p, id, &x, &e2) != ERR_OK) {
		if (e->code != ERR_NOT_FOUND && e->code != ERR_FORBIDDEN &&
		    e->code != ERR_UNAUTHORIZED)
			view_release(&x);
		web_fail(p, e);
		return;
	}
	const char *msg;
	switch (e->code) {
	case ERR_UNSUPPORTED_MEDIA_TYPE:
		msg = T(p, "Tệp không phải PDF, JPEG hoặc PNG (kiểm tra theo nội dung tệp).",
		        "The file is not a PDF, JPEG or PNG document (checked by its content).");
		break;
	case ERR_PAYLOAD_TOO_LARGE:
		msg = T(p, "Tệp vượt quá dung lượng cho phép (của một tệp hoặc của hồ sơ).",
		        "The file is larger than allowed (for one file or for the dossier).");
		break;
	case ERR_MISSING_ARGUMENT:
		msg = T(p, "Hãy chọn một tệp.", "Choose a file.");
		break;
	default:
		msg = web_strf(p, "%s %s", err_hint(e->code, p->lang), e->detail);
		break;
	}
	x.files_error = msg;
	p->status = err_http_status(e->code);
	struct dossier_form f = {.message = msg};
	page_render(p, &x, &f, NULL, false);
}

static enum err_code files_stream_begin(struct http_request *req, void *ctx, size_t *max_body,
                                        struct err *e)
{
	struct web *w = ctx;
	return api_upload_begin(req, w->svc, http_request_param(req, "id"), 0, max_body, e);
}

static const struct http_stream files_stream = {files_stream_begin, api_upload_data,
                                                api_upload_end};

static void post_files(struct http_request *req, struct http_response *res, void *ctx)
{
	struct web_page p;
	web_page_init(&p, req, res, ctx);
	if (!web_need_login(&p))
		return;
	const char *id = http_request_param(req, "id");
	const char *token = api_upload_field(req, WEB_CSRF_FIELD);
	if (req->stream_rc != ERR_OK) {
		files_failed(&p, id, &req->stream_err);
		return;
	}
	if (!web_csrf_check(&p, token))
		return;
	struct api_upload *u = api_upload_of(req);
	struct err e;
	err_clear(&e);
	if (!u || !u->have_file) {
		err_set(&e, ERR_MISSING_ARGUMENT, "choose a file");
		files_failed(&p, id, &e);
		return;
	}
	const char *kind = api_upload_field(req, "kind");
	if (!kind || !*kind)
		kind = "component";
	int64_t seq = DB_NONE;
	const char *comp = api_upload_field(req, "component");
	if (str_eq(kind, "component") && (!comp || str_parse_int64(comp, 1, 1000, &seq) != 0)) {
		err_set(&e, ERR_INVALID_ARGUMENT, "choose the component the file satisfies");
		files_failed(&p, id, &e);
		return;
	}
	struct files_store_req r = {kind, seq, u->filename};
	struct db_dossier_file f;
	struct documents_result dr; /* a result is issued: signed and registered */
	enum err_code rc = str_eq(kind, "result")
	                           ? documents_store_result(p.w->svc, p.actor, id, u->filename,
	                                                    &u->tmp, &dr, &e)
	                           : files_store(p.w->svc, p.actor, id, &r, &u->tmp, &f, &e);
	if (rc != ERR_OK) {
		files_failed(&p, id, &e);
		return;
	}
	web_redirect(&p, web_strf(&p, "/dossiers/%s?files=uploaded#files",
	                          str_eq(kind, "result") ? dr.file.dossier_id : f.dossier_id));
}

static void post_reuse(struct http_request *req, struct http_response *res, void *ctx)
{
	struct web_page p;
	web_page_init(&p, req, res, ctx);
	if (!web_need_login(&p) || !web_post_begin(&p))
		return;
	const char *id = http_request_param(req, "id");
	struct err e;
	err_clear(&e);
	int64_t seq;
	if (str_parse_int64(web_field(&p, "component"), 1, 1000, &seq) != 0) {
		err_set(&e, ERR_INVALID_ARGUMENT, "choose the component the file satisfies");
		files_failed(&p, id, &e);
		return;
	}
	struct db_dossier_file f;
	if (files_reuse(p.w->svc, p.actor, id, web_field(&p, "file"), seq, &f, &e) != ERR_OK) {
		files_failed(&p, id, &e);
		return;
	}
	web_redirect(&p, web_strf(&p, "/dossiers/%s?files=reused#files", f.dossier_id));
}

static void get_file(struct http_request *req, struct http_response *res, void *ctx)
{
	struct web_page p;
	web_page_init(&p, req, res, ctx);
	if (!web_need_login(&p))
		return;
	struct db_dossier_file f;
	int fd;
	struct err e;
	err_clear(&e);
	if (files_open(p.w->svc, p.actor, http_request_param(req, "id"),
	               http_request_param(req, "file"), &f, &fd, &e) != ERR_OK) {
		web_fail(&p, &e);
		return;
	}
	web_page_release(&p);
	api_send_file(res, &f, fd);
}

const struct http_route web_dossier_routes[] = {
        {"GET", "/dossiers/{id}", get_dossier, WEB_FORM_MAX},
        {"POST", "/dossiers/{id}/act", post_act, WEB_FORM_MAX},
        {"GET", "/dossiers/{id}/act", get_act, WEB_FORM_MAX},
        {"GET", "/dossiers/{id}/slip", get_slip, WEB_FORM_MAX},
        {"POST", "/dossiers/{id}/files", post_files, WEB_FORM_MAX, &files_stream},
        {"GET", "/dossiers/{id}/files/{file}", get_file, WEB_FORM_MAX},
        {"POST", "/dossiers/{id}/reuse", post_reuse, WEB_FORM_MAX},
};
const size_t web_dossier_nroutes = sizeof web_dossier_routes / sizeof web_dossier_routes[0];
