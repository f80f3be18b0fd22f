/*
 * documents: forms and tracking books issued as signed PDFs, their
 * verification, and the signing keys (see documents.h).
 */
#include "doc/documents.h"

#include <errno.h>
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/str.h"
#include "base/vntime.h"
#include "doc/pdf.h"
#include "domain/lifecycle.h"
#include "service/audit.h"
#include "service/lookup.h"

#define CODE_FILE_MAX 96 /* bytes of the dossier code or id in a file name */

void documents_pdf_release(struct documents_pdf *p)
{
	buf_release(&p->bytes);
	memset(p, 0, sizeof *p);
}

static void pdf_init(struct documents_pdf *p)
{
	memset(p, 0, sizeof *p);
	buf_init(&p->bytes, PDF_MAX_BYTES + SIG_TRAILER_MAX);
}

/* ---- configuration ---- */

/* True for http(s)://HOST[:PORT] with nothing after it (a trailing '/' is allowed). */
static bool url_ok(const char *u)
{
	const char *h = str_has_prefix(u, "https://")  ? u + 8
	                : str_has_prefix(u, "http://") ? u + 7
	                                               : NULL;
	if (!h || !*h)
		return false;
	for (const char *p = h; *p; p++) {
		char c = *p;
		bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		          (c >= '0' && c <= '9') || c == '.' || c == '-' || c == ':' || c == '[' ||
		          c == ']' || (c == '/' && p[1] == '\0');
		if (!ok)
			return false;
	}
	return true;
}

enum err_code documents_config_load(const struct config *cfg, struct documents_config *out,
                                    struct err *e)
{
	memset(out, 0, sizeof *out);
	str_copy(out->font, sizeof out->font, config_str(cfg, CONFIG_OPT_pdf_font));
	str_copy(out->font_bold, sizeof out->font_bold, config_str(cfg, CONFIG_OPT_pdf_font_bold));
	str_copy(out->forms_dir, sizeof out->forms_dir, config_str(cfg, CONFIG_OPT_forms_dir));
	const char *url = config_str(cfg, CONFIG_OPT_public_url);
	if (str_empty(url))
		snprintf(out->public_url, sizeof out->public_url, "http://%s",
		         config_str(cfg, CONFIG_OPT_listen));
	else
		str_copy(out->public_url, sizeof out->public_url, url);
	if (strlen(out->public_url) > DOCUMENTS_URL_MAX || !url_ok(out->public_url))
		return err_set(e, ERR_CONFIG_INVALID,
		               "public_url '%s' must be http(s)://HOST[:PORT] without a path", url);
	size_t n = strlen(out->public_url);
	if (out->public_url[n - 1] == '/')
		out->public_url[n - 1] = '\0';
	const char *from = config_str(cfg, CONFIG_OPT_forms_2025_from);
	out->switch_day = INT64_MIN;
	if (!str_empty(from) && vntime_parse_date(from, &out->switch_day) != 0)
		return err_set(e, ERR_CONFIG_INVALID, "forms_2025_from '%s' is not a date", from);
	return ERR_OK;
}

const char *documents_set_for(const struct documents_config *c, int64_t day)
{
	return c->switch_day != INT64_MIN && day < c->switch_day ? "2018" : "2025";
}

/* ---- signing and the register ---- */

/* The centre's current key (created when there is none). */
static enum err_code current_key(struct db_conn *c, const struct actor *actor, int64_t now,
                                 struct signature_key *k, struct err *e)
{
	struct db_signing_key row;
	enum err_code rc = db_documents_current_key(c, &row, e);
	if (rc == ERR_NOT_FOUND) {
		err_clear(e);
		struct signature_key fresh;
		unsigned char seed[SIG_SEED_BYTES];
		signature_key_generate(&fresh);
		signature_key_seed(&fresh, seed);
		memset(&row, 0, sizeof row);
		str_copy(row.id, sizeof row.id, fresh.id);
		signature_hex(fresh.public_key, SIG_PUBLIC_BYTES, row.public_key);
		signature_hex(seed, SIG_SEED_BYTES, row.seed);
		row.current = 1;
		row.created_at = now;
		row.retired_at = DB_NONE;
		audit_actor_text(actor, row.created_by);
		signature_key_wipe(&fresh);
		sodium_memzero(seed, sizeof seed);
		bool inserted = false;
		rc = db_documents_key_insert(c, &row, &inserted, e);
		sodium_memzero(row.seed, sizeof row.seed);
		if (rc == ERR_OK && inserted) {
			char object[64];
			snprintf(object, sizeof object, "signing_key:%s", row.id);
			rc = audit_append(c, actor, now, "signing_key.generate", object, NULL, e);
		}
		if (rc == ERR_OK)
			rc = db_documents_current_key(c, &row, e);
	}
	if (rc != ERR_OK)
		return rc;
	unsigned char seed[SIG_SEED_BYTES];
	if (signature_unhex(row.seed, seed, sizeof seed) != 0)
		return err_set(e, ERR_INTERNAL, "the seed of signing key '%s' is malformed",
		               row.id);
	signature_key_from_seed(k, seed);
	sodium_memzero(seed, sizeof seed);
	sodium_memzero(row.seed, sizeof row.seed);
	if (!str_eq(k->id, row.id)) {
		signature_key_wipe(k);
		return err_set(e, ERR_INTERNAL, "signing key '%s' does not match its seed", row.id);
	}
	return ERR_OK;
}

/*
 * Signs (doc->code, hash) with the centre's current key in the transaction
 * c (the key is created when there is none): fills doc->key_id,
 * doc->signature and sig. The one signer of every issued document.
 */
static enum err_code sign_in(struct db_conn *c, const struct actor *actor, int64_t now,
                             struct db_issued_document *doc, const unsigned char *hash,
                             unsigned char sig[SIG_BYTES], struct err *e)
{
	struct signature_key k;
	enum err_code rc = current_key(c, actor, now, &k, e);
	if (rc != ERR_OK)
		return rc;
	signature_sign(&k, doc->code, hash, sig);
	str_copy(doc->key_id, sizeof doc->key_id, k.id);
	signature_key_wipe(&k);
	signature_hex(sig, SIG_BYTES, doc->signature);
	return ERR_OK;
}

/* Records the signed doc in the register and audits it ("document.issue"), in c. */
static enum err_code record_in(struct db_conn *c, const struct actor *actor, int64_t now,
                               const struct db_issued_document *doc, struct err *e)
{
	enum err_code rc = db_documents_insert(c, doc, e);
	if (rc != ERR_OK)
		return rc;
	json_t *d = json_object();
	json_object_set_new(d, "kind", json_string(doc->kind));
	json_object_set_new(d, "form", json_string(doc->form));
	if (doc->form_set[0])
		json_object_set_new(d, "set", json_string(doc->form_set));
	if (doc->dossier_id[0])
		json_object_set_new(d, "dossier", json_string(doc->dossier_id));
	if (doc->unit_code[0])
		json_object_set_new(d, "unit", json_string(doc->unit_code));
	json_object_set_new(d, "sha256", json_string(doc->sha256));
	json_object_set_new(d, "key", json_string(doc->key_id));
	char *detail = json_dumps(d, JSON_COMPACT);
	json_decref(d);
	if (!detail)
		return err_set(e, ERR_NO_MEMORY, "out of memory");
	char object[64];
	snprintf(object, sizeof object, "document:%s", doc->code);
	rc = audit_append(c, actor, now, "document.issue", object, detail, e);
	free(detail);
	return rc;
}

/* Fills the hash, size, instant and issuer of doc for the unsigned PDF bytes. */
static void doc_prepare(struct db_issued_document *doc, const struct actor *actor,
                        const struct buf *bytes, int64_t issued_at,
                        unsigned char hash[SIG_HASH_BYTES])
{
	signature_hash(bytes->data, bytes->len, hash);
	signature_hex(hash, SIG_HASH_BYTES, doc->sha256);
	doc->bytes = (int64_t)bytes->len;
	doc->issued_at = issued_at;
	audit_actor_text(actor, doc->issued_by);
}

struct issue_ctx {
	const struct actor *actor;
	int64_t now;
	const unsigned char *hash;
	struct db_issued_document *doc;
	bool record;             /* record it too (else sign only) */
	const char *read_action; /* an extra audit row (reads of personal data), or NULL */
	const char *read_object;
	const char *read_detail;
	unsigned char sig[SIG_BYTES];
};

static enum err_code issue_txn(struct db_conn *c, void *vctx, struct err *e)
{
	struct issue_ctx *x = vctx;
	enum err_code rc = sign_in(c, x->actor, x->now, x->doc, x->hash, x->sig, e);
	if (rc != ERR_OK || !x->record)
		return rc;
	rc = record_in(c, x->actor, x->now, x->doc, e);
	if (rc == ERR_OK && x->read_action)
		rc = audit_append(c, x->actor, x->now, x->read_action, x->read_object,
		                  x->read_detail, e);
	return rc;
}

/*
 * Signs the rendered PDF in out->bytes, records doc (code, kind, form, set,
 * dossier or unit filled by the caller) and appends the trailer. With
 * record false the register row is left to the caller (an electronic
 * result is recorded in the transaction that keeps its file).
 */
static enum err_code sign_and_record(struct service *svc, const struct actor *actor,
                                     struct db_issued_document *doc, struct documents_pdf *out,
                                     bool record, const char *read_action, const char *read_object,
                                     const char *read_detail, struct err *e)
{
	unsigned char hash[SIG_HASH_BYTES];
	doc_prepare(doc, actor, &out->bytes, out->issued_at, hash);
	struct issue_ctx x = {actor,       out->issued_at, hash,        doc, record,
	                      read_action, read_object,    read_detail, {0}};
	enum err_code rc = db_run_txn(svc->db, DB_TXN_WRITE, issue_txn, &x, e);
	if (rc != ERR_OK)
		return rc;
	return signature_append(&out->bytes, doc->key_id, doc->code, x.sig, e);
}

/* ---- filling a dossier's form ---- */

/* The name of a unit ("" for ""; the code itself when the unit is unknown). */
static enum err_code unit_of(struct db_conn *c, const char *code, struct db_unit_info *u,
                             struct err *e)
{
	memset(u, 0, sizeof *u);
	if (str_empty(code))
		return ERR_OK;
	enum err_code rc = db_dossier_unit(c, code, u, e);
	if (rc == ERR_NOT_FOUND) {
		err_clear(e);
		str_copy(u->code, sizeof u->code, code);
		str_copy(u->name_vi, sizeof u->name_vi, code);
		return ERR_OK;
	}
	return rc;
}

static enum err_code unit_name(struct db_conn *c, const char *code, char *out, size_t n,
                               struct err *e)
{
	struct db_unit_info u;
	enum err_code rc = unit_of(c, code, &u, e);
	str_copy(out, n, rc == ERR_OK ? u.name_vi : "");
	return rc;
}

static void set_time(struct form_data *d, const struct forms_set *s, enum form_field f, int64_t t)
{
	char buf[128];
	if (t == DB_NONE || t == INT64_MIN)
		return;
	forms_datetime(s, t, buf, sizeof buf);
	form_set(d, f, buf);
}

static void row_time(struct form_data *d, const struct forms_set *s, struct form_row *r,
                     enum form_row_field f, int64_t t)
{
	char buf[128];
	if (t == DB_NONE || t == INT64_MIN)
		return;
	forms_datetime(s, t, buf, sizeof buf);
	form_row_set(d, r, f, buf);
}

/* Actions after which the dossier, or a letter about it, goes to the applicant. */
static bool to_applicant(const char *action)
{
	static const char *const names[] = {"request_supplement", "request_fee",      "deliver",
	                                    "confirm_delivery",   "refuse_reception", NULL};
	for (size_t i = 0; names[i]; i++)
		if (str_eq(names[i], action))
			return true;
	return false;
}

struct fill_ctx {
	const struct forms_set *set;
	enum form_kind kind;
	const struct lookup_view *v;
	const struct db_dossier_event *ev; /* the event that calls for the form, or NULL */
	int64_t prev_due;                  /* the appointment before ev (apology) */
	int64_t now;
	struct form_data *d;
	char issuer[DBD_KEY_SIZE]; /* out: the issuing unit */
};

static enum err_code fill_components(struct db_conn *c, struct fill_ctx *x, struct err *e)
{
	const struct db_dossier *dd = &x->v->dossier;
	struct db_proc_component_list pcs;
	enum err_code rc = db_dossier_proc_components(c, dd->procedure_code, &pcs, e);
	if (rc != ERR_OK)
		return rc;
	for (size_t i = 0; i < x->v->components.count; i++) {
		const struct db_dossier_component *k = &x->v->components.items[i];
		const char *name = "";
		for (size_t j = 0; j < pcs.count; j++)
			if (pcs.items[j].seq == k->seq)
				name = pcs.items[j].name_vi;
		const char *st = k->status;
		enum form_list lists[2] = {FL_components, FL__COUNT};
		if (str_eq(st, "received") || str_eq(st, "supplemented"))
			lists[1] = FL_received;
		else if (str_eq(st, "population"))
			lists[1] = FL_waived;
		for (int l = 0; l < 2; l++) {
			if (lists[l] == FL__COUNT)
				continue;
			struct form_row *r = form_add_row(x->d, lists[l]);
			form_row_set(x->d, r, FR_component_name, name);
			form_row_set(x->d, r, FR_component_status,
			             forms_label(x->set, "component_status", st));
			form_row_set(x->d, r, FR_component_form,
			             forms_label(x->set, "component_form",
			                         k->original_kept ? "original" : "other"));
			form_row_set(x->d, r, FR_note, k->note);
		}
		if (str_eq(st, "missing") || str_eq(st, "supplemented")) {
			struct form_row *r = form_add_row(x->d, FL_missing);
			form_row_set(x->d, r, FR_component_name, name);
			form_row_set(x->d, r, FR_component_status,
			             forms_label(x->set, "component_status", st));
			form_row_set(x->d, r, FR_note, k->note);
		}
	}
	db_proc_component_list_free(&pcs);
	return ERR_OK;
}

static enum err_code fill_events(struct db_conn *c, struct fill_ctx *x, struct err *e)
{
	const struct db_event_list *evs = &x->v->events;
	for (size_t i = 0; i < evs->count; i++) {
		const struct db_dossier_event *ev = &evs->items[i];
		if (!forms_has_label(x->set, "action", ev->action))
			continue; /* not a hand-over of the process control form */
		char from[DBD_TEXT_SIZE], to[DBD_TEXT_SIZE];
		enum err_code rc = unit_name(c, ev->actor_unit, from, sizeof from, e);
		if (rc != ERR_OK)
			return rc;
		if (!from[0])
			str_copy(from, sizeof from, forms_label(x->set, "party", "applicant"));
		if (ev->to_unit[0]) {
			if ((rc = unit_name(c, ev->to_unit, to, sizeof to, e)) != ERR_OK)
				return rc;
		} else if (to_applicant(ev->action)) {
			str_copy(to, sizeof to, forms_label(x->set, "party", "applicant"));
		} else if (str_eq(ev->action, "post_result")) {
			str_copy(to, sizeof to, forms_label(x->set, "party", "post"));
		} else {
			str_copy(to, sizeof to, from);
		}
		struct form_row *r = form_add_row(x->d, FL_events);
		form_row_set(x->d, r, FR_from_unit, from);
		form_row_set(x->d, r, FR_to_unit, to);
		row_time(x->d, x->set, r, FR_event_time, ev->at);
		if (ev->step_result[0])
			form_row_set(x->d, r, FR_step_result,
			             forms_label(x->set, "step_result", ev->step_result));
		form_row_set(x->d, r, FR_action, forms_label(x->set, "action", ev->action));
		form_row_set(x->d, r, FR_note, ev->note);
	}
	return ERR_OK;
}

static enum err_code fill_txn(struct db_conn *c, void *vctx, struct err *e)
{
	struct fill_ctx *x = vctx;
	const struct db_dossier *dd = &x->v->dossier;
	struct form_data *d = x->d;
	form_data_release(d); /* a retried transaction starts again */
	form_data_init(d);
	enum err_code rc;
	char buf[DBD_TEXT_SIZE * 2 + 16];

	struct db_procedure_rules p;
	if ((rc = db_dossier_procedure(c, dd->procedure_code, &p, e)) != ERR_OK)
		return rc;
	form_set(d, FF_procedure_code, p.code);
	form_set(d, FF_procedure_name, p.name_vi);
	if (p.legal_days != DB_NONE)
		forms_duration(x->set, p.legal_days, false, buf, sizeof buf);
	else
		forms_duration(x->set, p.legal_hours == DB_NONE ? 0 : p.legal_hours, true, buf,
		               sizeof buf);
	form_set(d, FF_legal_time, buf);

	form_set(d, FF_code, dd->code);
	form_set(d, FF_applicant_name, dd->applicant_name);
	form_set(d, FF_applicant_address, dd->applicant_address);
	form_set(d, FF_applicant_phone, dd->applicant_phone);
	form_set(d, FF_applicant_email, dd->applicant_email);
	form_set(d, FF_representative_name, dd->representative_name);
	buf[0] = '\0';
	for (size_t i = 0; i < x->v->applicants.count; i++) {
		size_t n = strlen(buf);
		snprintf(buf + n, sizeof buf - n, "%s%s", n ? ", " : "",
		         x->v->applicants.items[i].full_name);
	}
	form_set(d, FF_co_applicants, buf);

	struct db_unit_info u;
	if ((rc = unit_name(c, dd->receiving_unit, buf, sizeof buf, e)) != ERR_OK)
		return rc;
	form_set(d, FF_receiving_unit_name, buf);
	if ((rc = unit_name(c, dd->competent_unit, buf, sizeof buf, e)) != ERR_OK)
		return rc;
	form_set(d, FF_competent_unit_name, buf);
	if (dd->by_post) {
		snprintf(buf, sizeof buf, "%s%s", forms_label(x->set, "party", "by_post"),
		         dd->post_address);
	} else {
		if ((rc = unit_of(c, dd->collection_unit, &u, e)) != ERR_OK)
			return rc;
		if (u.address[0])
			snprintf(buf, sizeof buf, "%s (%s)", u.name_vi, u.address);
		else
			str_copy(buf, sizeof buf, u.name_vi);
	}
	form_set(d, FF_collection_place, buf);

	/* times: the receipt keeps the appointment given at reception */
	set_time(d, x->set, FF_received_at, dd->received_at);
	set_time(d, x->set, FF_due_at,
	         x->kind == FK_RECEIPT && x->ev && x->ev->due_at != DB_NONE ? x->ev->due_at
	                                                                    : dd->due_at);
	set_time(d, x->set, FF_original_due_at, x->prev_due);
	if (x->ev) {
		set_time(d, x->set, FF_new_due_at, x->ev->due_at);
		set_time(d, x->set, FF_event_at, x->ev->at);
		form_set(d, FF_reason, x->ev->note);
	}

	/* the issuing unit: the one that acted, else the receiving unit */
	const char *issuer = x->ev && x->ev->actor_unit[0] && x->kind != FK_CONTROL
	                             ? x->ev->actor_unit
	                             : dd->receiving_unit;
	str_copy(x->issuer, sizeof x->issuer, issuer);
	if ((rc = unit_of(c, issuer, &u, e)) != ERR_OK)
		return rc;
	form_set(d, FF_issuer_name, u.name_vi);
	if (u.parent_code[0]) {
		if ((rc = unit_name(c, u.parent_code, buf, sizeof buf, e)) != ERR_OK)
			return rc;
		form_set(d, FF_issuer_parent, buf);
	}
	int64_t day;
	int sec;
	vntime_split(x->ev && x->kind != FK_CONTROL ? x->ev->at : x->now, &day, &sec);
	forms_date(x->set, day, buf, sizeof buf);
	form_set(d, FF_doc_date, buf);
	set_time(d, x->set, FF_issued_at, x->now);

	if ((rc = fill_components(c, x, e)) != ERR_OK)
		return rc;
	if (x->kind == FK_CONTROL && (rc = fill_events(c, x, e)) != ERR_OK)
		return rc;
	return d->oom ? err_set(e, ERR_NO_MEMORY, "out of memory filling the form") : ERR_OK;
}

/* A file name made of the safe characters of s. */
static void file_part(const char *s, char *out, size_t n)
{
	size_t o = 0;
	for (; *s && o + 1 < n && o < CODE_FILE_MAX; s++) {
		char c = *s;
		bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		          (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_';
		out[o++] = ok ? c : '_';
	}
	out[o] = '\0';
}

/* The form kind of a URL name of a dossier's form. */
static int dossier_form(const char *name, enum form_kind *k)
{
	if (forms_kind_from_name(name, k) != 0 || *k == FK_TRACKING_BOOK)
		return -1;
	return 0;
}

/* The form of the lifecycle table that a form kind answers. */
static enum lifecycle_form lifecycle_form_of(enum form_kind k)
{
	switch (k) {
	case FK_RECEIPT:
		return FORM_RECEIPT;
	case FK_SUPPLEMENT:
		return FORM_SUPPLEMENT;
	case FK_REFUSAL:
		return FORM_REFUSAL;
	case FK_APOLOGY:
		return FORM_APOLOGY;
	case FK_STOP:
		return FORM_STOP_NOTICE;
	default:
		return FORM_NONE;
	}
}

/*
 * The event of v that calls for a form of kind: the latest one whose action
 * issues that form in the lifecycle table (NULL when none does, and for the
 * control form, which no single event calls for). *prev_due gets the
 * appointment in force before that event (DB_NONE when there was none).
 */
static const struct db_dossier_event *calling_event(const struct lookup_view *v,
                                                    enum form_kind kind, int64_t *prev_due)
{
	const struct db_dossier_event *ev = NULL;
	int64_t last_due = DB_NONE;
	enum lifecycle_form want = lifecycle_form_of(kind);
	*prev_due = DB_NONE;
	for (size_t i = 0; i < v->events.count; i++) {
		const struct db_dossier_event *x = &v->events.items[i];
		enum dossier_action a;
		if (want != FORM_NONE && lifecycle_action_from_name(x->action, &a) == ERR_OK &&
		    lifecycle_action_form(a) == want) {
			ev = x;
			*prev_due = last_due;
		}
		if (x->due_at != DB_NONE)
			last_due = x->due_at;
	}
	return ev;
}

/* True when the dossier's history calls for a form of kind (ev: its calling event). */
static bool form_applies(const struct lookup_view *v, enum form_kind kind,
                         const struct db_dossier_event *ev)
{
	return kind == FK_CONTROL ? v->dossier.received_at != DB_NONE : ev != NULL;
}

bool documents_form_applies(const struct lookup_view *v, const char *form)
{
	enum form_kind kind;
	int64_t prev_due;
	return dossier_form(form, &kind) == 0 &&
	       form_applies(v, kind, calling_event(v, kind, &prev_due));
}

static const char *const not_applicable[FK__COUNT] = {
        [FK_RECEIPT] = "the dossier has not been received: no receipt",
        [FK_SUPPLEMENT] = "no supplement was requested for this dossier",
        [FK_REFUSAL] = "the dossier was not refused at reception",
        [FK_APOLOGY] = "the dossier's appointment was never extended: no apology",
        [FK_STOP] = "the processing of this dossier was not stopped",
        [FK_CONTROL] = "the dossier has not been received: no process control form",
};

/* documents_form(), or with issue false only its checks (documents_form_check()). */
static enum err_code form_run(struct service *svc, const struct actor *actor, const char *dossier,
                              const char *form, bool issue, struct documents_pdf *out,
                              struct err *e)
{
	pdf_init(out);
	enum form_kind kind;
	if (dossier_form(form, &kind) != 0)
		return err_set(
		        e, ERR_NOT_FOUND,
		        "no form '%s' (receipt, supplement, refusal, apology, stop, control)",
		        form ? form : "");
	struct documents_config cfg;
	enum err_code rc = documents_config_load(svc->cfg, &cfg, e);
	if (rc != ERR_OK)
		return rc;
	struct lookup_view v;
	if ((rc = lookup_dossier(svc, actor, dossier, &v, e)) != ERR_OK)
		return rc;
	const struct db_dossier *dd = &v.dossier;
	struct forms_set set = {{0}, NULL};
	struct form_data data;
	form_data_init(&data);

	int64_t prev_due;
	const struct db_dossier_event *ev = calling_event(&v, kind, &prev_due);
	if (!form_applies(&v, kind, ev)) {
		rc = err_set(e, ERR_FORM_NOT_APPLICABLE, "%s", not_applicable[kind]);
		goto out;
	}
	/* the set: by the legal reception day, else the day of the refusal */
	int64_t when = dd->received_at != DB_NONE ? dd->received_at
	               : ev                       ? ev->at
	                                          : dd->submitted_at;
	int64_t day;
	int sec;
	vntime_split(when, &day, &sec);
	const char *set_name = documents_set_for(&cfg, day);
	if ((rc = forms_set_open(cfg.forms_dir, set_name, &set, e)) != ERR_OK)
		goto out;
	if (!forms_set_has(&set, kind)) {
		char since[VNTIME_DATE_LEN];
		vntime_format_date(cfg.switch_day, since);
		rc = err_set(e, ERR_FORM_NOT_APPLICABLE,
		             "the %s set of forms (dossiers received before %s) has no '%s' form",
		             set_name, since, forms_kind_name(kind));
		goto out;
	}
	if (!issue)
		goto out;
	out->issued_at = service_now(svc);
	struct fill_ctx x = {&set, kind, &v, ev, prev_due, out->issued_at, &data, {0}};
	if ((rc = db_run_txn(svc->db, DB_TXN_READ, fill_txn, &x, e)) != ERR_OK)
		goto out;

	signature_new_code(out->code);
	form_set(&data, FF_verification_code, out->code);
	form_setf(&data, FF_verify_url, "%s/verify?code=%s", cfg.public_url, out->code);
	if (dd->code[0])
		form_setf(&data, FF_lookup_url, "%s/lookup?code=%s", cfg.public_url, dd->code);
	rc = forms_render(&set, kind, &data, cfg.font, cfg.font_bold, out->issued_at, &out->bytes,
	                  e);
	if (rc != ERR_OK)
		goto out;

	str_copy(out->form, sizeof out->form, form);
	str_copy(out->set, sizeof out->set, set_name);
	char part[CODE_FILE_MAX + 1];
	file_part(dd->code[0] ? dd->code : dd->id, part, sizeof part);
	snprintf(out->filename, sizeof out->filename, "%s-%s.pdf", form, part);

	struct db_issued_document doc;
	memset(&doc, 0, sizeof doc);
	str_copy(doc.code, sizeof doc.code, out->code);
	str_copy(doc.kind, sizeof doc.kind, "form");
	str_copy(doc.form, sizeof doc.form, form);
	str_copy(doc.form_set, sizeof doc.form_set, set_name);
	str_copy(doc.dossier_id, sizeof doc.dossier_id, dd->id);
	str_copy(doc.unit_code, sizeof doc.unit_code, x.issuer);
	doc.period_from = doc.period_to = DB_NONE;
	rc = sign_and_record(svc, actor, &doc, out, true, NULL, NULL, NULL, e);
out:
	form_data_release(&data);
	forms_set_release(&set);
	lookup_view_release(&v);
	if (rc != ERR_OK)
		buf_release(&out->bytes);
	return rc;
}

enum err_code documents_form(struct service *svc, const struct actor *actor, const char *dossier,
                             const char *form, struct documents_pdf *out, struct err *e)
{
	return form_run(svc, actor, dossier, form, true, out, e);
}

enum err_code documents_form_check(struct service *svc, const struct actor *actor,
                                   const char *dossier, const char *form, struct err *e)
{
	struct documents_pdf none;
	enum err_code rc = form_run(svc, actor, dossier, form, false, &none, e);
	documents_pdf_release(&none);
	return rc;
}

/* ---- the tracking book ---- */

struct book_ctx {
	const char *unit;
	int64_t from, to; /* epoch seconds */
	struct db_unit_info u;
	char parent[DBD_TEXT_SIZE];
	struct db_book book;
};

static enum err_code book_txn(struct db_conn *c, void *vctx, struct err *e)
{
	struct book_ctx *x = vctx;
	db_book_free(&x->book);
	enum err_code rc = db_dossier_unit(c, x->unit, &x->u, e);
	if (rc == ERR_NOT_FOUND || (rc == ERR_OK && !x->u.receives))
		return err_set(e, ERR_NOT_FOUND, "no branch or service point '%s'", x->unit);
	if (rc != ERR_OK)
		return rc;
	x->parent[0] = '\0';
	if (x->u.parent_code[0] &&
	    (rc = unit_name(c, x->u.parent_code, x->parent, sizeof x->parent, e)) != ERR_OK)
		return rc;
	return db_documents_book(c, x->unit, x->from, x->to, DOCUMENTS_BOOK_MAX_ROWS, &x->book, e);
}

static void book_rows(const struct forms_set *set, const struct db_book *b, struct form_data *d)
{
	for (size_t i = 0; i < b->count; i++) {
		const struct db_book_line *l = &b->items[i];
		struct form_row *r = form_add_row(d, FL_book);
		char contact[DBD_TEXT_SIZE + DBD_SHORT_SIZE + 4];
		snprintf(contact, sizeof contact, "%s%s%s", l->applicant_address,
		         l->applicant_address[0] && l->applicant_phone[0] ? "; " : "",
		         l->applicant_phone);
		form_row_set(d, r, FR_dossier_code, l->code);
		form_row_set(d, r, FR_dossier_procedure, l->procedure_name);
		form_row_set(d, r, FR_dossier_applicant, l->applicant_name);
		form_row_set(d, r, FR_dossier_contact, contact);
		form_row_set(d, r, FR_dossier_agency, l->competent_name);
		row_time(d, set, r, FR_dossier_received, l->received_at);
		row_time(d, set, r, FR_dossier_due, l->due_at);
		row_time(d, set, r, FR_dossier_resolved, l->resolved_at);
		row_time(d, set, r, FR_dossier_returned, l->delivered_at);
		form_row_set(d, r, FR_dossier_state, forms_label(set, "state", l->state));
	}
}

/* Who may read a branch's tracking book before its unit is known; *officer when scope decides. */
static enum err_code book_access(const struct actor *a, bool *officer, struct err *e)
{
	*officer = false;
	if (a->kind == ACTOR_SYSTEM)
		return ERR_OK;
	if (a->kind == ACTOR_STAFF) {
		if (a->roles & (ROLE_LEADER | ROLE_SUPERVISOR | ROLE_ADMIN))
			return ERR_OK;
		if (a->roles & ROLE_OFFICER) {
			*officer = true;
			return ERR_OK;
		}
	}
	return err_set(e, ERR_FORBIDDEN,
	               "only the branch's officers, leaders and supervisors read a tracking book");
}

/* documents_tracking_book(), or with issue false only its checks. */
static enum err_code book_run(struct service *svc, const struct actor *actor, const char *unit,
                              int64_t from_day, int64_t to_day, bool issue,
                              struct documents_pdf *out, struct err *e)
{
	pdf_init(out);
	bool officer;
	enum err_code rc = book_access(actor, &officer, e);
	if (rc != ERR_OK)
		return rc;
	if (str_empty(unit) || strlen(unit) >= DBD_KEY_SIZE)
		return err_set(e, ERR_NOT_FOUND, "no branch or service point '%s'",
		               unit ? unit : "");
	if (to_day < from_day)
		return err_set(e, ERR_INVALID_ARGUMENT, "the period ends before it starts");
	if (to_day - from_day + 1 > DOCUMENTS_BOOK_MAX_DAYS)
		return err_set(e, ERR_OUT_OF_RANGE, "a tracking book covers at most %d days",
		               DOCUMENTS_BOOK_MAX_DAYS);
	struct documents_config cfg;
	if ((rc = documents_config_load(svc->cfg, &cfg, e)) != ERR_OK)
		return rc;
	struct book_ctx x;
	memset(&x, 0, sizeof x);
	x.unit = unit;
	x.from = vntime_join(from_day, 0);
	x.to = vntime_join(to_day + 1, 0);
	struct forms_set set = {{0}, NULL};
	struct form_data data;
	form_data_init(&data);
	if ((rc = db_run_txn(svc->db, DB_TXN_READ, book_txn, &x, e)) != ERR_OK)
		goto out;
	if (officer && !str_eq(actor->unit_code, unit)) {
		rc = err_set(e, ERR_FORBIDDEN, "the tracking book of '%s' is for its own officers",
		             unit);
		goto out;
	}
	if (x.book.truncated) {
		rc = err_set(e, ERR_OUT_OF_RANGE,
		             "more than %d dossiers in the period; ask for a shorter one",
		             DOCUMENTS_BOOK_MAX_ROWS);
		goto out;
	}
	if (!issue)
		goto out;
	const char *set_name = documents_set_for(&cfg, from_day);
	if ((rc = forms_set_open(cfg.forms_dir, set_name, &set, e)) != ERR_OK)
		goto out;
	out->issued_at = service_now(svc);
	char buf[256];
	int64_t today;
	int sec;
	vntime_split(out->issued_at, &today, &sec);
	form_set(&data, FF_issuer_name, x.u.name_vi);
	form_set(&data, FF_issuer_parent, x.parent);
	form_set(&data, FF_branch_name, x.u.name_vi);
	forms_date(&set, today, buf, sizeof buf);
	form_set(&data, FF_doc_date, buf);
	forms_date(&set, from_day, buf, sizeof buf);
	form_set(&data, FF_period_from, buf);
	forms_date(&set, to_day, buf, sizeof buf);
	form_set(&data, FF_period_to, buf);
	form_setf(&data, FF_book_count, "%zu", x.book.count);
	set_time(&data, &set, FF_issued_at, out->issued_at);
	book_rows(&set, &x.book, &data);
	signature_new_code(out->code);
	form_set(&data, FF_verification_code, out->code);
	form_setf(&data, FF_verify_url, "%s/verify?code=%s", cfg.public_url, out->code);
	if ((rc = forms_render(&set, FK_TRACKING_BOOK, &data, cfg.font, cfg.font_bold,
	                       out->issued_at, &out->bytes, e)) != ERR_OK)
		goto out;

	char from_s[VNTIME_DATE_LEN], to_s[VNTIME_DATE_LEN], part[CODE_FILE_MAX + 1];
	vntime_format_date(from_day, from_s);
	vntime_format_date(to_day, to_s);
	file_part(unit, part, sizeof part);
	str_copy(out->form, sizeof out->form, "tracking_book");
	str_copy(out->set, sizeof out->set, set_name);
	snprintf(out->filename, sizeof out->filename, "tracking-book-%s-%s-%s.pdf", part, from_s,
	         to_s);

	struct db_issued_document doc;
	memset(&doc, 0, sizeof doc);
	str_copy(doc.code, sizeof doc.code, out->code);
	str_copy(doc.kind, sizeof doc.kind, "form");
	str_copy(doc.form, sizeof doc.form, "tracking_book");
	str_copy(doc.form_set, sizeof doc.form_set, set_name);
	str_copy(doc.unit_code, sizeof doc.unit_code, x.u.code);
	doc.period_from = from_day;
	doc.period_to = to_day;
	char object[DBD_KEY_SIZE + 8], detail[160];
	snprintf(object, sizeof object, "unit:%s", x.u.code);
	snprintf(detail, sizeof detail, "{\"from\":\"%s\",\"to\":\"%s\",\"dossiers\":%zu}", from_s,
	         to_s, x.book.count);
	rc = sign_and_record(svc, actor, &doc, out, true, "tracking_book.read", object, detail, e);
out:
	db_book_free(&x.book);
	form_data_release(&data);
	forms_set_release(&set);
	if (rc != ERR_OK)
		buf_release(&out->bytes);
	return rc;
}

enum err_code documents_tracking_book(struct service *svc, const struct actor *actor,
                                      const char *unit, int64_t from_day, int64_t to_day,
                                      struct documents_pdf *out, struct err *e)
{
	return book_run(svc, actor, unit, from_day, to_day, true, out, e);
}

enum err_code documents_tracking_book_check(struct service *svc, const struct actor *actor,
                                            const char *unit, int64_t from_day, int64_t to_day,
                                            struct err *e)
{
	struct documents_pdf none;
	enum err_code rc = book_run(svc, actor, unit, from_day, to_day, false, &none, e);
	documents_pdf_release(&none);
	return rc;
}

/* ---- electronic results ---- */

struct result_ctx {
	struct service *svc;
	const struct actor *actor;
	struct documents_config cfg;
	struct db_issued_document doc; /* signed by the transform, recorded by the hook */
	bool signed_;
};

/* Reads the closed temporary file t into b. */
static enum err_code read_tmp(const struct files_tmp *t, struct buf *b, struct err *e)
{
	if (t->bytes < 0 || (uint64_t)t->bytes > DOCUMENTS_VERIFY_MAX - SIG_TRAILER_MAX)
		return err_set(e, ERR_PAYLOAD_TOO_LARGE,
		               "an electronic result has at most %u bytes",
		               DOCUMENTS_VERIFY_MAX - SIG_TRAILER_MAX);
	char chunk[65536];
	off_t off = 0;
	while (off < (off_t)t->bytes) {
		ssize_t n = pread(t->fd, chunk, sizeof chunk, off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return err_set(e, ERR_IO, "cannot read the upload back: %s",
			               n < 0 ? strerror(errno) : "short file");
		if (buf_append(b, chunk, (size_t)n) != 0)
			return err_set(e, ERR_NO_MEMORY, "out of memory");
		off += n;
	}
	return ERR_OK;
}

/*
 * Makes an uploaded PDF ready to sign: refuses one that is signed already
 * or does not end with %%EOF (followed by whitespace at most), and leaves it
 * ending with "%%EOF\n".
 */
static enum err_code result_pdf_ready(struct buf *b, struct err *e)
{
	struct signature_trailer t;
	if (signature_parse(b->data, b->len, &t, NULL) == ERR_OK)
		return err_set(e, ERR_UNPROCESSABLE_CONTENT,
		               "the PDF is already a document signed by the centre (code %s): it "
		               "is verifiable as it is; upload the original result instead",
		               t.code);
	static const char eof[] = "%%EOF";
	size_t k = sizeof eof - 1, end = b->len;
	/* white space, and the NUL padding some writers leave */
	while (end > 0 && memchr(" \t\r\n\f", b->data[end - 1], 6))
		end--;
	if (end < k || memcmp(b->data + end - k, eof, k) != 0)
		return err_set(e, ERR_UNPROCESSABLE_CONTENT,
		               "the PDF does not end with '%%%%EOF' (incomplete, or followed by "
		               "other data): it cannot be signed");
	b->len = end;
	b->data[end] = '\0';
	if (buf_putc(b, '\n') != 0)
		return err_set(e, ERR_NO_MEMORY, "out of memory");
	return ERR_OK;
}

/* Lays the image in img on a one-page PDF into out->bytes, with the footer of a result. */
static enum err_code result_image(struct result_ctx *x, const struct db_dossier *d,
                                  const struct buf *img, bool png, struct documents_pdf *out,
                                  struct err *e)
{
	struct pdf *p;
	enum err_code rc = pdf_new(x->cfg.font, x->cfg.font_bold, &p, e);
	if (rc != ERR_OK)
		return rc;
	pdf_set_info(p, "Ket qua giai quyet ho so (ban dien tu)", out->issued_at);
	char footer[1024];
	snprintf(footer, sizeof footer,
	         "Kết quả giải quyết hồ sơ %s (bản điện tử do Trung tâm cấp). Mã xác thực %s, "
	         "kiểm tra tại %s/verify?code=%s",
	         d->code[0] ? d->code : d->id, out->code, x->cfg.public_url, out->code);
	rc = pdf_image_page(p, img->data, img->len, png ? PDF_IMAGE_PNG : PDF_IMAGE_JPEG, footer,
	                    e);
	if (rc == ERR_OK)
		rc = pdf_finish(p, "", NULL, &out->bytes, e);
	pdf_free(p);
	return rc;
}

/* files_store()'s transform: the upload in, the signed PDF out. */
static enum err_code result_transform(void *vctx, const struct db_dossier *d,
                                      const struct files_config *fc, struct files_tmp *in,
                                      struct files_tmp *out, struct err *e)
{
	struct result_ctx *x = vctx;
	struct documents_pdf pdf;
	pdf_init(&pdf);
	struct buf src;
	buf_init(&src, DOCUMENTS_VERIFY_MAX);
	bool is_pdf = str_eq(in->media_type, "application/pdf");
	enum err_code rc = read_tmp(in, &src, e);
	if (rc != ERR_OK)
		goto out;
	pdf.issued_at = service_now(x->svc);
	signature_new_code(pdf.code);
	if (is_pdf) {
		if ((rc = result_pdf_ready(&src, e)) != ERR_OK)
			goto out;
		buf_release(&pdf.bytes);
		pdf.bytes = src; /* taken over */
		buf_init(&src, 0);
	} else if ((rc = result_image(x, d, &src, str_eq(in->media_type, "image/png"), &pdf, e)) !=
	           ERR_OK) {
		goto out;
	}
	struct db_issued_document *doc = &x->doc;
	memset(doc, 0, sizeof *doc);
	str_copy(doc->code, sizeof doc->code, pdf.code);
	str_copy(doc->kind, sizeof doc->kind, "result");
	str_copy(doc->form, sizeof doc->form, "result");
	str_copy(doc->dossier_id, sizeof doc->dossier_id, d->id);
	str_copy(doc->unit_code, sizeof doc->unit_code, d->competent_unit);
	doc->period_from = doc->period_to = DB_NONE;
	if ((rc = sign_and_record(x->svc, x->actor, doc, &pdf, false, NULL, NULL, NULL, e)) !=
	    ERR_OK)
		goto out;
	if (pdf.bytes.len > DOCUMENTS_VERIFY_MAX) {
		rc = err_set(e, ERR_PAYLOAD_TOO_LARGE, "the signed result would pass %u bytes",
		             DOCUMENTS_VERIFY_MAX);
		goto out;
	}
	if ((rc = files_tmp_open(fc, (int64_t)pdf.bytes.len, out, e)) != ERR_OK ||
	    (rc = files_tmp_write(out, pdf.bytes.data, pdf.bytes.len, e)) != ERR_OK ||
	    (rc = files_tmp_close(out, e)) != ERR_OK)
		goto out;
	x->signed_ = true;
out:
	buf_release(&src);
	documents_pdf_release(&pdf);
	return rc;
}

/* files_store()'s hook in its write transaction: the register's row. */
static enum err_code result_stored(void *vctx, struct db_conn *c, const struct db_dossier *d,
                                   const struct db_dossier_file *f, struct err *e)
{
	struct result_ctx *x = vctx;
	(void)f;
	if (!x->signed_ || !str_eq(x->doc.dossier_id, d->id))
		return err_set(e, ERR_INTERNAL, "the result was not signed for this dossier");
	return record_in(c, x->actor, x->doc.issued_at, &x->doc, e);
}

/* The display name of the signed PDF made of an image: its stem and ".pdf". */
static void result_filename(const char *in, char *out, size_t n)
{
	char name[FILES_NAME_MAX + 1];
	files_display_name(in, name, sizeof name);
	char *dot = strrchr(name, '.');
	if (dot && dot != name)
		*dot = '\0';
	snprintf(out, n, "%.*s.pdf", FILES_NAME_MAX - 4, name);
}

enum err_code documents_store_result(struct service *svc, const struct actor *actor,
                                     const char *dossier, const char *filename, struct files_tmp *t,
                                     struct documents_result *out, struct err *e)
{
	memset(out, 0, sizeof *out);
	struct result_ctx *x = calloc(1, sizeof *x);
	if (!x) {
		files_tmp_discard(t);
		return err_set(e, ERR_NO_MEMORY, "out of memory");
	}
	x->svc = svc;
	x->actor = actor;
	enum err_code rc = documents_config_load(svc->cfg, &x->cfg, e);
	if (rc != ERR_OK) {
		files_tmp_discard(t);
		free(x);
		return rc;
	}
	const char *type = files_sniff(t->head, t->nhead);
	str_copy(out->source_type, sizeof out->source_type, type ? type : "");
	char name[FILES_NAME_MAX + 8];
	if (type && !str_eq(type, "application/pdf"))
		result_filename(filename, name, sizeof name);
	else
		str_copy(name, sizeof name, filename ? filename : "");
	struct files_store_req r = {"result", DB_NONE, name, result_transform, result_stored, x};
	rc = files_store(svc, actor, dossier, &r, t, &out->file, e);
	if (rc == ERR_OK) {
		str_copy(out->code, sizeof out->code, x->doc.code);
		snprintf(out->verify_url, sizeof out->verify_url, "%s/verify?code=%s",
		         x->cfg.public_url, x->doc.code);
	}
	free(x);
	return rc;
}

/* ---- verification ---- */

static void verdict_fail(struct documents_verdict *v, const char *reason, const char *detail)
{
	v->valid = false;
	str_copy(v->reason, sizeof v->reason, reason);
	str_copy(v->detail, sizeof v->detail, detail);
}

struct verify_ctx {
	const struct signature_trailer *t; /* NULL: by code only */
	const char *code;
	const unsigned char *hash;
	struct documents_verdict *out;
	bool found; /* by code: the register has it */
};

/* Fills the register's row, the unit's name and the key's state into x->out. */
static enum err_code verdict_details(struct db_conn *c, struct verify_ctx *x, struct err *e)
{
	struct documents_verdict *v = x->out;
	enum err_code rc = unit_name(c, v->doc.unit_code, v->unit_name, sizeof v->unit_name, e);
	if (rc != ERR_OK)
		return rc;
	struct db_signing_key k;
	if ((rc = db_documents_key(c, v->doc.key_id, &k, e)) != ERR_OK)
		return rc;
	sodium_memzero(k.seed, sizeof k.seed);
	v->key_current = k.current != 0;
	v->key_retired_at = k.retired_at;
	return ERR_OK;
}

static enum err_code verify_txn(struct db_conn *c, void *vctx, struct err *e)
{
	struct verify_ctx *x = vctx;
	struct documents_verdict *v = x->out;
	enum err_code rc;
	if (!x->t) {
		rc = db_documents_get(c, x->code, &v->doc, e);
		if (rc == ERR_NOT_FOUND) {
			err_clear(e);
			x->found = false;
			return ERR_OK;
		}
		if (rc != ERR_OK)
			return rc;
		x->found = true;
		v->valid = true;
		str_copy(v->sha256, sizeof v->sha256, v->doc.sha256);
		return verdict_details(c, x, e);
	}
	struct db_signing_key k;
	rc = db_documents_key(c, x->t->key_id, &k, e);
	if (rc == ERR_NOT_FOUND) {
		err_clear(e);
		verdict_fail(v, "unknown_key", "the file is signed by a key this centre never had");
		return ERR_OK;
	}
	if (rc != ERR_OK)
		return rc;
	sodium_memzero(k.seed, sizeof k.seed);
	unsigned char pk[SIG_PUBLIC_BYTES];
	if (signature_unhex(k.public_key, pk, sizeof pk) != 0)
		return err_set(e, ERR_INTERNAL, "the public key of '%s' is malformed", k.id);
	if (!signature_check(pk, x->t->code, x->hash, x->t->sig)) {
		verdict_fail(v, "tampered",
		             "the signature does not match the file: it was changed after it was "
		             "issued, or the signature is forged");
		return ERR_OK;
	}
	rc = db_documents_get(c, x->t->code, &v->doc, e);
	if (rc == ERR_NOT_FOUND) {
		err_clear(e);
		verdict_fail(v, "not_registered", "no document with this code is in the register");
		return ERR_OK;
	}
	if (rc != ERR_OK)
		return rc;
	if (!str_eq(v->doc.sha256, v->sha256) || !str_eq(v->doc.key_id, k.id)) {
		verdict_fail(v, "mismatch",
		             "the file is signed but differs from the document registered with "
		             "this code");
		return ERR_OK;
	}
	v->valid = true;
	return verdict_details(c, x, e);
}

enum err_code documents_verify_file(struct service *svc, const void *data, size_t len,
                                    struct documents_verdict *out, struct err *e)
{
	memset(out, 0, sizeof *out);
	out->key_retired_at = DB_NONE;
	if (len > DOCUMENTS_VERIFY_MAX)
		return err_set(e, ERR_TOO_LONG, "a file to verify has at most %u bytes",
		               DOCUMENTS_VERIFY_MAX);
	struct signature_trailer t;
	struct err pe;
	err_clear(&pe);
	if (signature_parse(data, len, &t, &pe) != ERR_OK) {
		bool none = strstr(pe.detail, "no motcua signature") != NULL;
		verdict_fail(out, none ? "unsigned" : "malformed", pe.detail);
		return ERR_OK;
	}
	str_copy(out->code, sizeof out->code, t.code);
	unsigned char hash[SIG_HASH_BYTES];
	signature_hash(data, t.signed_len, hash);
	signature_hex(hash, SIG_HASH_BYTES, out->sha256);
	struct verify_ctx x = {&t, t.code, hash, out, false};
	return db_run_txn(svc->db, DB_TXN_READ, verify_txn, &x, e);
}

enum err_code documents_verify_code(struct service *svc, const char *code,
                                    struct documents_verdict *out, struct err *e)
{
	memset(out, 0, sizeof *out);
	out->key_retired_at = DB_NONE;
	if (!code || strlen(code) > 64 || signature_code_normalize(code, out->code) != 0)
		return err_set(e, ERR_INVALID_ARGUMENT,
		               "a verification code is 12 letters and digits, e.g. 7K3M-9QXD-2HPA");
	struct verify_ctx x = {NULL, out->code, NULL, out, false};
	enum err_code rc = db_run_txn(svc->db, DB_TXN_READ, verify_txn, &x, e);
	if (rc == ERR_OK && !x.found)
		rc = err_set(e, ERR_NOT_FOUND, "no document was issued with the code '%s'",
		             out->code);
	return rc;
}

/* ---- keys ---- */

static void key_out(const struct db_signing_key *k, struct documents_key *o)
{
	memset(o, 0, sizeof *o);
	str_copy(o->id, sizeof o->id, k->id);
	str_copy(o->public_key, sizeof o->public_key, k->public_key);
	o->current = k->current != 0;
	o->created_at = k->created_at;
	o->retired_at = k->retired_at;
	o->documents = k->documents == DB_NONE ? 0 : k->documents;
	str_copy(o->created_by, sizeof o->created_by, k->created_by);
}

struct keygen_ctx {
	const struct actor *actor;
	int64_t now;
	bool rotate;
	struct documents_key *out;
	char retired[SIG_KEY_ID_LEN];
};

static enum err_code keygen_txn(struct db_conn *c, void *vctx, struct err *e)
{
	struct keygen_ctx *x = vctx;
	struct db_signing_key cur;
	x->retired[0] = '\0';
	enum err_code rc = db_documents_current_key(c, &cur, e);
	sodium_memzero(cur.seed, sizeof cur.seed);
	if (rc == ERR_OK) {
		if (!x->rotate)
			return err_set(
			        e, ERR_DB_CONFLICT,
			        "the centre has the signing key '%s' already; rotate it with "
			        "'motcua keys rotate'",
			        cur.id);
		if ((rc = db_documents_key_retire(c, x->now, e)) != ERR_OK)
			return rc;
		str_copy(x->retired, sizeof x->retired, cur.id);
	} else if (rc == ERR_NOT_FOUND) {
		err_clear(e);
	} else {
		return rc;
	}
	struct signature_key k;
	unsigned char seed[SIG_SEED_BYTES];
	signature_key_generate(&k);
	signature_key_seed(&k, seed);
	struct db_signing_key row;
	memset(&row, 0, sizeof row);
	str_copy(row.id, sizeof row.id, k.id);
	signature_hex(k.public_key, SIG_PUBLIC_BYTES, row.public_key);
	signature_hex(seed, SIG_SEED_BYTES, row.seed);
	sodium_memzero(seed, sizeof seed);
	signature_key_wipe(&k);
	row.current = 1;
	row.created_at = x->now;
	row.retired_at = DB_NONE;
	row.documents = 0;
	audit_actor_text(x->actor, row.created_by);
	bool inserted = false;
	rc = db_documents_key_insert(c, &row, &inserted, e);
	sodium_memzero(row.seed, sizeof row.seed);
	if (rc != ERR_OK)
		return rc;
	if (!inserted)
		return err_set(e, ERR_DB_CONFLICT, "another signing key became current meanwhile");
	key_out(&row, x->out);
	char object[64], detail[160];
	snprintf(object, sizeof object, "signing_key:%s", row.id);
	snprintf(detail, sizeof detail, "{\"public_key\":\"%s\",\"retired\":\"%s\"}",
	         row.public_key, x->retired);
	return audit_append(c, x->actor, x->now,
	                    x->retired[0] ? "signing_key.rotate" : "signing_key.generate", object,
	                    detail, e);
}

enum err_code documents_key_generate(struct service *svc, const struct actor *actor, bool rotate,
                                     struct documents_key *out, char *retired, struct err *e)
{
	memset(out, 0, sizeof *out);
	if (retired)
		retired[0] = '\0';
	if (!actor || (actor->kind != ACTOR_SYSTEM &&
	               !(actor->kind == ACTOR_STAFF && (actor->roles & ROLE_ADMIN))))
		return err_set(e, ERR_FORBIDDEN, "only an administrator manages the signing keys");
	struct keygen_ctx x = {actor, service_now(svc), rotate, out, {0}};
	enum err_code rc = db_run_txn(svc->db, DB_TXN_WRITE, keygen_txn, &x, e);
	if (rc == ERR_OK && retired)
		str_copy(retired, SIG_KEY_ID_LEN, x.retired);
	return rc;
}

struct keys_ctx {
	struct db_key_list list;
};

static enum err_code keys_txn(struct db_conn *c, void *vctx, struct err *e)
{
	struct keys_ctx *x = vctx;
	db_key_list_free(&x->list);
	return db_documents_keys(c, &x->list, e);
}

enum err_code documents_keys(struct service *svc, struct documents_key **items, size_t *n,
                             struct err *e)
{
	*items = NULL;
	*n = 0;
	struct keys_ctx x;
	memset(&x, 0, sizeof x);
	enum err_code rc = db_run_txn(svc->db, DB_TXN_READ, keys_txn, &x, e);
	if (rc != ERR_OK)
		return rc;
	if (x.list.count) {
		*items = calloc(x.list.count, sizeof **items);
		if (!*items) {
			db_key_list_free(&x.list);
			return err_set(e, ERR_NO_MEMORY, "out of memory");
		}
		for (size_t i = 0; i < x.list.count; i++)
			key_out(&x.list.items[i], &(*items)[i]);
		*n = x.list.count;
	}
	db_key_list_free(&x.list);
	return ERR_OK;
}
