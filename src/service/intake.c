/*
 * intake: counter intake, online filing, acceptance, refusal at reception and
 * the population registry check (see intake.h and docs/lifecycle.md).
 *
 * A use case runs in one transaction, in two stages. The first stage checks
 * and decides (procedure, roles and scope through the lifecycle table,
 * population look-ups, routing, times); the second writes (the daily
 * sequence, the dossier and its rows, event, audit, outbox). A refusal in
 * the first stage after population look-ups were audited commits those
 * audit rows alone, so that every look-up stays on record; any error of the
 * second stage rolls everything back, so that no sequence number is lost.
 */
#include "service/intake.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/fold.h"
#include "base/str.h"
#include "base/vntime.h"
#include "domain/cccd.h"
#include "domain/lifecycle.h"
#include "domain/worktime.h"
#include "service/audit.h"

/* str_copy() that takes NULL for "". */
static void scopy(char *dst, size_t n, const char *src)
{
	str_copy(dst, n, src ? src : "");
}

void intake_request_init(struct intake_request *r)
{
	memset(r, 0, sizeof *r);
	r->birth_day = INTAKE_NO_DAY;
}

/* ---- checks of the form (no database) ---- */

static enum err_code check_text(const char *field, const char *s, size_t max, bool required,
                                struct err *e)
{
	if (str_empty(s)) {
		if (required)
			return err_set(e, ERR_MISSING_ARGUMENT, "'%s' is required", field);
		return ERR_OK;
	}
	if (strlen(s) > max)
		return err_set(e, ERR_TOO_LONG, "'%s' is longer than %zu bytes", field, max);
	if (!str_valid_utf8(s, max))
		return err_set(e, ERR_INVALID_ARGUMENT, "'%s' is not valid UTF-8 text", field);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 && *p != '\n' && *p != '\t')
			return err_set(e, ERR_INVALID_ARGUMENT, "'%s' holds a control character",
			               field);
	return ERR_OK;
}

/* A code of reference data: printable ASCII without spaces. */
static enum err_code check_code(const char *field, const char *s, struct err *e)
{
	if (str_empty(s))
		return ERR_OK;
	if (strlen(s) >= DBD_KEY_SIZE)
		return err_set(e, ERR_TOO_LONG, "'%s' is too long", field);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p <= 0x20 || *p >= 0x7f)
			return err_set(e, ERR_INVALID_ARGUMENT, "invalid %s '%s'", field, s);
	return ERR_OK;
}

/* A tax code: 10 digits, or 10 digits, '-' and 3 digits (a branch). */
static bool tax_code_ok(const char *s)
{
	size_t n = strlen(s);
	if (n != 10 && n != 14)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (i == 10) {
			if (s[i] != '-')
				return false;
		} else if (s[i] < '0' || s[i] > '9') {
			return false;
		}
	}
	return true;
}

/* A phone number: an optional '+' and 8 to 15 digits. */
static bool phone_ok(const char *s)
{
	if (*s == '+')
		s++;
	size_t n = strlen(s);
	return n >= 8 && n <= 15 && str_all_digits(s);
}

/* Checks a personal ID number, and its birth year against birth_day when given. */
static enum err_code check_id_number(const char *field, const char *s, int64_t today,
                                     int64_t birth_day, struct err *e)
{
	struct cccd c;
	struct err sub = {ERR_OK, ""};
	enum err_code rc = cccd_parse(s, today, &c, &sub);
	if (rc == ERR_OK && birth_day != INTAKE_NO_DAY)
		rc = cccd_check(&c, birth_day, CCCD_NO_SEX, &sub);
	if (rc != ERR_OK)
		return err_set(e, rc, "%s: %s", field, sub.detail);
	return ERR_OK;
}

static enum err_code check_request(const struct intake_request *r, int64_t today, bool need_all,
                                   struct err *e)
{
	enum err_code rc;
	if (!r)
		return err_set(e, ERR_MISSING_ARGUMENT, "no dossier form");
	if ((rc = check_code("procedure", r->procedure_code, e)))
		return rc;
	if (str_empty(r->procedure_code))
		return err_set(e, ERR_MISSING_ARGUMENT, "'procedure' is required");
	if ((rc = check_text("applicant_name", r->applicant_name, INTAKE_NAME_MAX, true, e)))
		return rc;
	if (r->applicant_kind == INTAKE_PERSON) {
		if (str_empty(r->id_number))
			return err_set(e, ERR_MISSING_ARGUMENT,
			               "'id_number' is required for a person");
		if ((rc = check_id_number("id_number", r->id_number, today, r->birth_day, e)))
			return rc;
		if (!str_empty(r->tax_code))
			return err_set(e, ERR_INVALID_ARGUMENT, "a person has no 'tax_code'");
		if (r->birth_day != INTAKE_NO_DAY && r->birth_day > today)
			return err_set(e, ERR_INVALID_DATE, "the date of birth is in the future");
	} else if (r->applicant_kind == INTAKE_ORGANISATION) {
		if (str_empty(r->tax_code))
			return err_set(e, ERR_MISSING_ARGUMENT,
			               "'tax_code' is required for an organisation");
		if (!tax_code_ok(r->tax_code))
			return err_set(e, ERR_INVALID_ARGUMENT, "invalid tax code '%.20s'",
			               r->tax_code);
		if (!str_empty(r->id_number) || r->birth_day != INTAKE_NO_DAY)
			return err_set(e, ERR_INVALID_ARGUMENT,
			               "an organisation has no 'id_number' or date of birth");
		if (str_empty(r->representative_name))
			return err_set(e, ERR_MISSING_ARGUMENT,
			               "an organisation files through a representative");
	} else {
		return err_set(e, ERR_INVALID_ARGUMENT, "unknown applicant kind %d",
		               (int)r->applicant_kind);
	}
	if (!str_empty(r->phone) && !phone_ok(r->phone))
		return err_set(e, ERR_INVALID_ARGUMENT, "invalid phone number '%.20s'", r->phone);
	if ((rc = check_text("email", r->email, INTAKE_NAME_MAX, false, e)) ||
	    (rc = check_text("address", r->address, INTAKE_TEXT_MAX, false, e)) ||
	    (rc = check_code("residence_commune", r->residence_commune, e)) ||
	    (rc = check_code("property_commune", r->property_commune, e)) ||
	    (rc = check_code("competent_unit", r->competent_unit, e)) ||
	    (rc = check_code("collection_unit", r->collection_unit, e)) ||
	    (rc = check_code("owner_account", r->owner_account, e)) ||
	    (rc = check_text("note", r->note, ACTION_NOTE_MAX, false, e)))
		return rc;
	if (r->n_co_applicants > INTAKE_MAX_CO_APPLICANTS ||
	    (r->n_co_applicants && !r->co_applicants))
		return err_set(e, ERR_OUT_OF_RANGE, "at most %d further applicants",
		               INTAKE_MAX_CO_APPLICANTS);
	for (size_t i = 0; i < r->n_co_applicants; i++) {
		const struct intake_person *p = &r->co_applicants[i];
		if ((rc = check_text("co_applicant.full_name", p->full_name, INTAKE_NAME_MAX, true,
		                     e)))
			return rc;
		if (str_empty(p->id_number))
			return err_set(e, ERR_MISSING_ARGUMENT,
			               "further applicant %zu has no ID number", i + 1);
		if ((rc = check_id_number("co_applicant.id_number", p->id_number, today,
		                          p->birth_day, e)))
			return rc;
		if (str_eq(p->id_number, r->id_number))
			return err_set(e, ERR_INVALID_ARGUMENT,
			               "further applicant %zu repeats the applicant", i + 1);
		for (size_t j = 0; j < i; j++)
			if (str_eq(p->id_number, r->co_applicants[j].id_number))
				return err_set(e, ERR_INVALID_ARGUMENT,
				               "further applicant %zu is listed twice", i + 1);
	}
	bool rep = !str_empty(r->representative_name) || !str_empty(r->representative_id_number) ||
	           !str_empty(r->authorisation_doc);
	if (rep) {
		if ((rc = check_text("representative_name", r->representative_name, INTAKE_NAME_MAX,
		                     true, e)))
			return rc;
		if (str_empty(r->representative_id_number))
			return err_set(
			        e, ERR_MISSING_ARGUMENT,
			        "'representative_id_number' is required with a representative");
		if ((rc = check_id_number("representative_id_number", r->representative_id_number,
		                          today, INTAKE_NO_DAY, e)))
			return rc;
		if ((rc = check_text("authorisation_doc", r->authorisation_doc, INTAKE_TEXT_MAX,
		                     true, e)))
			return rc;
	}
	if (r->by_post) {
		if ((rc = check_text("post_address", r->post_address, INTAKE_TEXT_MAX, true, e)))
			return rc;
		if (!str_empty(r->collection_unit))
			return err_set(e, ERR_INVALID_ARGUMENT,
			               "give either 'collection_unit' or 'by_post', not both");
	} else if (!str_empty(r->post_address)) {
		return err_set(e, ERR_INVALID_ARGUMENT, "'post_address' needs 'by_post'");
	}
	if (need_all) {
		if (r->n_components > INTAKE_MAX_COMPONENTS || (r->n_components && !r->components))
			return err_set(e, ERR_OUT_OF_RANGE, "at most %d components",
			               INTAKE_MAX_COMPONENTS);
		for (size_t i = 0; i < r->n_components; i++)
			for (size_t j = 0; j < i; j++)
				if (r->components[i].seq == r->components[j].seq)
					return err_set(e, ERR_INVALID_ARGUMENT,
					               "component %d is listed twice",
					               r->components[i].seq);
	}
	return ERR_OK;
}

/* ---- shared rules ---- */

void intake_limit(const struct service *svc, const struct db_procedure_rules *p,
                  struct worktime_limit *out)
{
	memset(out, 0, sizeof *out);
	if (p->legal_days != DB_NONE) {
		out->unit = WORKTIME_DAYS;
		out->amount = (int)p->legal_days;
	} else {
		out->unit = WORKTIME_HOURS;
		out->amount = p->legal_hours == DB_NONE ? 0 : (int)p->legal_hours;
	}
	if (p->cutoff_sec != DB_NONE)
		out->cutoff = (int)p->cutoff_sec;
	else if (out->unit == WORKTIME_DAYS && out->amount == 0)
		out->cutoff = svc->calendar.same_day_cutoff;
	else
		out->cutoff = WORKTIME_NO_CUTOFF;
	out->pause_mode = str_eq(p->supplement_rule, "continue") ? WORKTIME_PAUSE_CONTINUE
	                                                         : WORKTIME_PAUSE_RESTART;
}

int64_t intake_step_budget(const struct db_step_list *steps, int64_t seq, int64_t total)
{
	if (!steps || seq < 1 || (size_t)seq > steps->count || total <= 0)
		return 0;
	return total * steps->items[seq - 1].share_pct / 100;
}

static bool is_db_failure(enum err_code rc)
{
	return rc == ERR_DB_ERROR || rc == ERR_DB_BUSY || rc == ERR_DB_CONFLICT ||
	       rc == ERR_DB_CONSTRAINT || rc == ERR_NO_MEMORY || rc == ERR_INTERNAL;
}

/* The unit of a commune that handles procedures of this level ("UBND-" or "CA-" + code). */
static void commune_unit(const struct db_procedure_rules *p, const char *commune,
                         char out[DBD_KEY_SIZE])
{
	snprintf(out, DBD_KEY_SIZE, "%s%s", str_eq(p->level, "police") ? "CA-" : "UBND-", commune);
}

/*
 * Finds the competent unit of a dossier. *chosen is set when it comes from
 * the officer's choice. ERR_COMPETENT_UNIT_REQUIRED when it cannot be
 * determined and no choice was given.
 */
static enum err_code route(struct db_conn *c, const struct db_procedure_rules *p,
                           const char *residence, const char *property, const char *choice,
                           char out[DBD_KEY_SIZE], bool *chosen, struct err *e)
{
	enum err_code rc;
	struct db_unit_info u;
	*chosen = false;
	out[0] = '\0';
	if (str_eq(p->route_by, "fixed") || str_eq(p->level, "city")) {
		if (str_empty(p->competent_unit))
			return err_set(e, ERR_INTERNAL, "procedure '%s' has no competent unit",
			               p->code);
		scopy(out, DBD_KEY_SIZE, p->competent_unit);
	} else {
		const char *commune = str_eq(p->route_by, "property") ? property : residence;
		if (!str_empty(commune)) {
			commune_unit(p, commune, out);
			rc = db_dossier_unit(c, out, &u, e);
			if (rc == ERR_NOT_FOUND || (rc == ERR_OK && !u.active))
				out[0] = '\0'; /* no such unit in the data: not determinable */
			else if (rc != ERR_OK)
				return rc;
		}
	}
	if (out[0]) {
		if (!str_empty(choice) && !str_eq(choice, out))
			return err_set(
			        e, ERR_INVALID_ARGUMENT,
			        "the competent unit is determined ('%s'); it cannot be chosen",
			        out);
		return ERR_OK;
	}
	if (str_empty(choice))
		return err_set(
		        e, ERR_COMPETENT_UNIT_REQUIRED,
		        str_eq(p->route_by, "property")
		                ? "no commune of the property given; choose the competent unit"
		                : "no residence in Hanoi on record or given; choose the "
		                  "competent unit");
	rc = db_dossier_unit(c, choice, &u, e);
	if (rc == ERR_NOT_FOUND)
		return err_set(e, ERR_INVALID_ARGUMENT, "unknown unit '%s'", choice);
	if (rc != ERR_OK)
		return rc;
	const char *kind = str_eq(p->level, "police") ? "commune_police" : "commune_committee";
	if (!u.active || !str_eq(u.kind, kind))
		return err_set(e, ERR_INVALID_ARGUMENT, "unit '%s' is not an active %s", choice,
		               kind);
	scopy(out, DBD_KEY_SIZE, choice);
	*chosen = true;
	return ERR_OK;
}

/* May this unit receive the procedure whose competent unit is given? (docs/lifecycle.md) */
static bool receivable(const struct db_unit_info *u, const struct db_procedure_rules *p,
                       const char *competent)
{
	if (p->boundary_free)
		return true;
	return !str_empty(competent) &&
	       (str_eq(u->code, competent) || str_eq(u->parent_code, competent));
}

/* A receiving unit for the collection of results. */
static enum err_code check_collection_unit(struct db_conn *c, const char *code, struct err *e)
{
	struct db_unit_info u;
	enum err_code rc = db_dossier_unit(c, code, &u, e);
	if (rc == ERR_NOT_FOUND)
		return err_set(e, ERR_INVALID_ARGUMENT, "unknown unit '%s'", code);
	if (rc != ERR_OK)
		return rc;
	if (!u.receives || !u.active)
		return err_set(e, ERR_INVALID_ARGUMENT, "unit '%s' does not return results", code);
	return ERR_OK;
}

enum err_code intake_accept_effects(struct service *svc, struct db_conn *c,
                                    const struct actor *actor, const struct db_unit_info *unit,
                                    const struct db_procedure_rules *p, struct db_dossier *d,
                                    const char *competent_choice, bool originals_kept, int64_t now,
                                    char refer_unit[DBD_KEY_SIZE], struct err *e)
{
	enum err_code rc;
	bool chosen = false;
	if (refer_unit)
		refer_unit[0] = '\0';
	/* the competent unit */
	if (!str_empty(d->competent_unit)) {
		if (!str_empty(competent_choice) && !str_eq(competent_choice, d->competent_unit))
			return err_set(e, ERR_INVALID_ARGUMENT,
			               "the dossier goes to '%s'; use 'transfer' to change it",
			               d->competent_unit);
	} else {
		char unit_code[DBD_KEY_SIZE];
		rc = route(c, p, d->residence_commune, d->property_commune, competent_choice,
		           unit_code, &chosen, e);
		if (rc != ERR_OK)
			return rc;
		scopy(d->competent_unit, sizeof d->competent_unit, unit_code);
		if (chosen)
			scopy(d->competent_chosen_by, sizeof d->competent_chosen_by,
			      str_empty(actor->account_id) ? actor->username : actor->account_id);
	}
	/* which units may receive it */
	if (!receivable(unit, p, d->competent_unit)) {
		if (refer_unit)
			scopy(refer_unit, DBD_KEY_SIZE, d->competent_unit);
		return err_set(e, ERR_GUARD_FAILED,
		               "the procedure is not boundary-free and cannot be received at '%s'; "
		               "file it at '%s'",
		               unit->code, d->competent_unit);
	}
	if (str_empty(unit->identifier))
		return err_set(e, ERR_FORBIDDEN, "unit '%s' has no identifier for dossier codes",
		               unit->code);
	/* times */
	struct worktime_limit lim;
	intake_limit(svc, p, &lim);
	int64_t legal, due;
	if ((rc = worktime_due(svc->cal, &lim, now, &legal, &due, e)))
		return rc;
	d->received_at = legal;
	d->due_at = due;
	d->original_due_at = due;
	struct db_step_list steps;
	if ((rc = db_dossier_steps(c, p->code, &steps, e)))
		return rc;
	if (steps.count) {
		int64_t total = 0, step_due = legal;
		rc = worktime_between(svc->cal, legal, due, &total, e);
		if (rc == ERR_OK)
			rc = worktime_add_seconds(svc->cal, legal,
			                          intake_step_budget(&steps, 1, total), &step_due,
			                          e);
		if (rc != ERR_OK) {
			db_step_list_free(&steps);
			return rc;
		}
		d->step_seq = 1;
		d->step_started_at = legal;
		d->step_due_at = step_due;
	}
	db_step_list_free(&steps);
	scopy(d->receiving_unit, sizeof d->receiving_unit, unit->code);
	if (str_empty(d->collection_unit) && !d->by_post)
		scopy(d->collection_unit, sizeof d->collection_unit, unit->code);
	if (originals_kept)
		scopy(d->custody, sizeof d->custody, unit->code);
	/* the code, last: nothing after this may refuse, so no number is lost */
	int64_t day;
	vntime_split(now, &day, NULL);
	struct vndate ymd = vntime_civil_from_days(day);
	char counter[DBD_KEY_SIZE + 32];
	snprintf(counter, sizeof counter, "seq:%s:%04d%02d%02d", unit->identifier, ymd.year,
	         ymd.month, ymd.day);
	int64_t seq;
	if ((rc = db_counter_next(c, counter, &seq, e)))
		return rc;
	struct dossier_code dc;
	if ((rc = dossier_code_make(unit->identifier, day, seq, svc->code_long_from, &dc, e)))
		return rc;
	return dossier_code_format(&dc, d->code, sizeof d->code, e);
}

/* ---- the population registry ---- */

/*
 * Looks one person up and audits the look-up. *matched when the ID number,
 * the folded name and the date of birth all match; residence (may be NULL)
 * gets the registry's commune then.
 */
static enum err_code population_match(struct db_conn *c, const struct actor *actor, int64_t now,
                                      const char *id_number, const char *full_name,
                                      int64_t birth_day, bool *matched,
                                      char residence[DBD_SHORT_SIZE], struct err *e)
{
	*matched = false;
	if (residence)
		residence[0] = '\0';
	struct buf folded = BUF_INIT(DBD_NAME_SIZE);
	struct db_population_row row;
	enum err_code rc = fold_text(full_name, strlen(full_name), &folded, e);
	if (rc != ERR_OK)
		goto out;
	rc = db_dossier_population(c, id_number, &row, e);
	if (rc == ERR_OK) {
		*matched = birth_day != INTAKE_NO_DAY && row.birth_day == birth_day &&
		           str_eq(row.name_folded, buf_str(&folded));
		if (*matched && residence)
			scopy(residence, DBD_SHORT_SIZE, row.residence_commune);
	} else if (rc == ERR_NOT_FOUND) {
		err_clear(e);
		rc = ERR_OK;
	} else {
		goto out;
	}
	char object[DBD_KEY_SIZE];
	snprintf(object, sizeof object, "person:%s", id_number);
	rc = audit_append(c, actor, now, "population.lookup", object,
	                  *matched ? "{\"matched\":true}" : "{\"matched\":false}", e);
out:
	buf_release(&folded);
	return rc;
}

/* ---- the intake transaction ---- */

struct intake_ctx {
	struct service *svc;
	const struct actor *actor;
	const struct intake_request *req;
	const char *reason;
	enum dossier_action action; /* RECEIVE, SUBMIT or REFUSE_RECEPTION */
	struct intake_result *out;
	/* a refusal decided after audited look-ups: committed alone, reported here */
	enum err_code deferred;
	struct err deferred_err;
};

static void result_from(struct intake_result *out, const struct db_dossier *d)
{
	scopy(out->id, sizeof out->id, d->id);
	scopy(out->code, sizeof out->code, d->code);
	scopy(out->state, sizeof out->state, d->state);
	enum dossier_state s = STATE_NONE;
	lifecycle_state_from_name(d->state, &s);
	out->portal_code = lifecycle_portal_code(s);
	out->version = d->version;
	out->received_at = d->received_at;
	out->due_at = d->due_at;
	scopy(out->receiving_unit, sizeof out->receiving_unit, d->receiving_unit);
	scopy(out->competent_unit, sizeof out->competent_unit, d->competent_unit);
	out->competent_chosen = !str_empty(d->competent_chosen_by);
	scopy(out->collection_unit, sizeof out->collection_unit, d->collection_unit);
	out->population_verified = d->population_verified != 0;
	scopy(out->residence_commune, sizeof out->residence_commune, d->residence_commune);
	out->step_seq = d->step_seq;
	out->step_due_at = d->step_due_at;
}

/* Stage-one work of the intake transaction, with its own error reporting. */
struct intake_work {
	struct db_dossier d;
	struct db_procedure_rules p;
	struct db_unit_info unit;
	bool have_unit;
	bool audited; /* population look-ups were written */
	bool all_verified;
	bool verified[1 + INTAKE_MAX_CO_APPLICANTS];
	struct db_dossier_component comps[INTAKE_MAX_COMPONENTS];
	size_t ncomps;
	bool originals_kept;
};

/*
 * Stage one, for intake and online filing: population look-ups of every
 * person, the residence, routing, and (counter) the table's guard on whether
 * this unit may receive the procedure.
 */
static enum err_code people_and_route(struct intake_ctx *x, struct db_conn *c,
                                      struct intake_work *w, struct lifecycle_facts *facts,
                                      unsigned scoped, int64_t now, struct err *e)
{
	const struct intake_request *r = x->req;
	const struct actor *actor = x->actor;
	struct db_dossier *d = &w->d;
	enum dossier_state to;
	enum err_code rc;

	/* population data: every person of the dossier */
	size_t npersons = 0, nverified = 0;
	char registry_residence[DBD_SHORT_SIZE] = "";
	if (r->applicant_kind == INTAKE_PERSON) {
		npersons++;
		rc = population_match(c, actor, now, r->id_number, r->applicant_name, r->birth_day,
		                      &w->verified[0], registry_residence, e);
		if (rc != ERR_OK)
			return rc;
		w->audited = true;
		nverified += w->verified[0];
		d->population_verified = w->verified[0];
	}
	for (size_t i = 0; i < r->n_co_applicants; i++) {
		const struct intake_person *pp = &r->co_applicants[i];
		npersons++;
		rc = population_match(c, actor, now, pp->id_number, pp->full_name, pp->birth_day,
		                      &w->verified[1 + i], NULL, e);
		if (rc != ERR_OK)
			return rc;
		w->audited = true;
		nverified += w->verified[1 + i];
	}
	w->all_verified = npersons > 0 && nverified == npersons;

	/* residence: the registry's when it confirms one, else the declared one */
	bool exists;
	if (!str_empty(registry_residence)) {
		scopy(d->residence_commune, sizeof d->residence_commune, registry_residence);
	} else if (!str_empty(r->residence_commune)) {
		if ((rc = db_dossier_commune_exists(c, r->residence_commune, &exists, e)))
			return rc;
		if (!exists)
			return err_set(e, ERR_INVALID_ARGUMENT, "unknown commune '%s'",
			               r->residence_commune);
		scopy(d->residence_commune, sizeof d->residence_commune, r->residence_commune);
	}
	if (!str_empty(r->property_commune)) {
		if ((rc = db_dossier_commune_exists(c, r->property_commune, &exists, e)))
			return rc;
		if (!exists)
			return err_set(e, ERR_INVALID_ARGUMENT, "unknown commune '%s'",
			               r->property_commune);
		scopy(d->property_commune, sizeof d->property_commune, r->property_commune);
	}

	/* routing: online filings may leave it to the officer who accepts */
	if (x->action == ACTION_SUBMIT) {
		if (!str_empty(r->competent_unit))
			return err_set(e, ERR_INVALID_ARGUMENT,
			               "the competent unit is chosen by the officer, not online");
		bool chosen;
		char unit_code[DBD_KEY_SIZE];
		rc = route(c, &w->p, d->residence_commune, d->property_commune, NULL, unit_code,
		           &chosen, e);
		if (rc == ERR_OK)
			scopy(d->competent_unit, sizeof d->competent_unit, unit_code);
		else if (rc == ERR_COMPETENT_UNIT_REQUIRED)
			err_clear(e);
		else
			return rc;
	} else {
		bool chosen;
		char unit_code[DBD_KEY_SIZE];
		rc = route(c, &w->p, d->residence_commune, d->property_commune, r->competent_unit,
		           unit_code, &chosen, e);
		if (rc != ERR_OK)
			return rc;
		scopy(d->competent_unit, sizeof d->competent_unit, unit_code);
		if (chosen)
			scopy(d->competent_chosen_by, sizeof d->competent_chosen_by,
			      str_empty(actor->account_id) ? actor->username : actor->account_id);
		/* the table's guard: may this unit receive it? */
		facts->receivable_here = receivable(&w->unit, &w->p, d->competent_unit);
		rc = lifecycle_next(STATE_NONE, x->action, scoped, facts, &to, e);
		if (rc == ERR_GUARD_FAILED && !facts->receivable_here) {
			scopy(x->out->refer_unit, sizeof x->out->refer_unit, d->competent_unit);
			struct db_unit_info ref;
			if (db_dossier_unit(c, d->competent_unit, &ref, NULL) == ERR_OK)
				scopy(x->out->refer_name, sizeof x->out->refer_name, ref.name_vi);
			return err_set(
			        e, ERR_GUARD_FAILED,
			        "the procedure is not boundary-free and cannot be received at "
			        "'%s'; file it at '%s'",
			        w->unit.code, d->competent_unit);
		}
		if (rc != ERR_OK)
			return rc;
	}
	return ERR_OK;
}

static enum err_code intake_decide(struct intake_ctx *x, struct db_conn *c, struct intake_work *w,
                                   int64_t now, struct err *e)
{
	const struct intake_request *r = x->req;
	const struct actor *actor = x->actor;
	enum err_code rc;
	struct db_dossier *d = &w->d;

	rc = db_dossier_procedure(c, r->procedure_code, &w->p, e);
	if (rc == ERR_OK && !w->p.active)
		rc = err_set(e, ERR_NOT_FOUND, "no procedure '%s'", r->procedure_code);
	if (rc != ERR_OK)
		return rc;

	/* roles and scope, through the table (guards are decided further down) */
	unsigned roles = action_effective_roles(actor, NULL);
	unsigned scoped = roles;
	if (x->action != ACTION_SUBMIT) {
		if (actor->kind == ACTOR_STAFF && !str_empty(actor->unit_code)) {
			rc = db_dossier_unit(c, actor->unit_code, &w->unit, e);
			if (rc == ERR_OK)
				w->have_unit = true;
			else if (rc != ERR_NOT_FOUND)
				return rc;
			err_clear(e);
		}
		if (!w->have_unit || !w->unit.receives || !w->unit.active)
			scoped &= ~(unsigned)ROLE_OFFICER;
	}
	struct lifecycle_facts facts = {
	        .online_allowed = !str_eq(w->p.online, "none"),
	        .receivable_here = true,
	        .supplements_max = (int)w->p.max_supplements,
	        .extensions_max = (int)w->p.max_extensions,
	        .needs_signoff = w->p.needs_signoff != 0,
	        .by_post = r->by_post,
	};
	enum dossier_state to;
	rc = action_decide(STATE_NONE, x->action, roles, scoped, &facts, &to, e);
	if (rc == ERR_FORBIDDEN && roles != scoped && w->have_unit)
		rc = err_set(e, ERR_FORBIDDEN, "unit '%s' does not receive dossiers", w->unit.code);
	if (rc != ERR_OK)
		return rc;

	db_dossier_clear(d);
	service_new_id(d->id);
	scopy(d->procedure_code, sizeof d->procedure_code, w->p.code);
	scopy(d->state, sizeof d->state, lifecycle_state_name(to));
	d->version = 1;
	scopy(d->channel, sizeof d->channel, x->action == ACTION_SUBMIT ? "online" : "counter");
	d->received_by_post = r->received_by_post; /* never on a submission: intake_check() */
	scopy(d->applicant_kind, sizeof d->applicant_kind,
	      r->applicant_kind == INTAKE_PERSON ? "person" : "organisation");
	scopy(d->applicant_name, sizeof d->applicant_name, r->applicant_name);
	struct buf folded = BUF_INIT(DBD_NAME_SIZE);
	rc = fold_text(r->applicant_name, strlen(r->applicant_name), &folded, e);
	scopy(d->applicant_name_folded, sizeof d->applicant_name_folded, buf_str(&folded));
	buf_release(&folded);
	if (rc != ERR_OK)
		return rc;
	scopy(d->applicant_id_number, sizeof d->applicant_id_number, r->id_number);
	scopy(d->applicant_tax_code, sizeof d->applicant_tax_code, r->tax_code);
	d->applicant_birth_day = r->birth_day == INTAKE_NO_DAY ? DB_NONE : r->birth_day;
	scopy(d->applicant_phone, sizeof d->applicant_phone, r->phone);
	scopy(d->applicant_email, sizeof d->applicant_email, r->email);
	scopy(d->applicant_address, sizeof d->applicant_address, r->address);
	scopy(d->representative_name, sizeof d->representative_name, r->representative_name);
	scopy(d->representative_id_number, sizeof d->representative_id_number,
	      r->representative_id_number);
	scopy(d->authorisation_doc, sizeof d->authorisation_doc, r->authorisation_doc);
	d->submitted_at = now;
	d->updated_at = now;
	if (x->action == ACTION_SUBMIT)
		scopy(d->owner_account, sizeof d->owner_account, actor->account_id);
	if (w->have_unit && x->action != ACTION_SUBMIT)
		scopy(d->receiving_unit, sizeof d->receiving_unit, w->unit.code);

	/* collection and the owner's account */
	if (r->by_post) {
		d->by_post = 1;
		scopy(d->post_address, sizeof d->post_address, r->post_address);
	} else if (!str_empty(r->collection_unit)) {
		if ((rc = check_collection_unit(c, r->collection_unit, e)))
			return rc;
		scopy(d->collection_unit, sizeof d->collection_unit, r->collection_unit);
	} else if (x->action == ACTION_SUBMIT) {
		return err_set(e, ERR_MISSING_ARGUMENT,
		               "choose the branch where the result is collected, or 'by_post'");
	}
	if (!str_empty(r->owner_account) && x->action != ACTION_SUBMIT) {
		struct db_account_brief acc;
		rc = db_dossier_account(c, r->owner_account, false, &acc, e);
		if (rc == ERR_NOT_FOUND)
			return err_set(e, ERR_INVALID_ARGUMENT, "unknown account '%s'",
			               r->owner_account);
		if (rc != ERR_OK)
			return rc;
		bool same = r->applicant_kind == INTAKE_PERSON ? str_eq(acc.id_number, r->id_number)
		                                               : str_eq(acc.tax_code, r->tax_code);
		if (acc.disabled ||
		    !(str_eq(acc.kind, "citizen") || str_eq(acc.kind, "business")) || !same)
			return err_set(e, ERR_INVALID_ARGUMENT,
			               "account '%s' is not the applicant's account",
			               r->owner_account);
		scopy(d->owner_account, sizeof d->owner_account, acc.id);
	}
	if (x->action != ACTION_REFUSE_RECEPTION &&
	    (rc = people_and_route(x, c, w, &facts, scoped, now, e)))
		return rc;

	/* components: handed in, satisfied from population data, or missing */
	struct db_proc_component_list pcs;
	if ((rc = db_dossier_proc_components(c, w->p.code, &pcs, e)))
		return rc;
	for (size_t i = 0; i < r->n_components; i++) {
		bool known = false;
		for (size_t k = 0; k < pcs.count; k++)
			known = known || pcs.items[k].seq == r->components[i].seq;
		if (!known) {
			db_proc_component_list_free(&pcs);
			return err_set(e, ERR_INVALID_ARGUMENT,
			               "procedure '%s' has no component %d", w->p.code,
			               r->components[i].seq);
		}
	}
	w->ncomps = 0;
	for (size_t k = 0; k < pcs.count && k < INTAKE_MAX_COMPONENTS; k++) {
		const struct db_procedure_component *pc = &pcs.items[k];
		struct db_dossier_component *dc = &w->comps[w->ncomps++];
		memset(dc, 0, sizeof *dc);
		dc->seq = pc->seq;
		const struct intake_component *given = NULL;
		for (size_t i = 0; i < r->n_components; i++)
			if (r->components[i].seq == pc->seq)
				given = &r->components[i];
		if (pc->population_replaces && w->all_verified &&
		    x->action != ACTION_REFUSE_RECEPTION) {
			scopy(dc->status, sizeof dc->status, "population");
		} else if (given) {
			scopy(dc->status, sizeof dc->status, "received");
			dc->original_kept = given->original_kept && x->action != ACTION_SUBMIT;
			w->originals_kept = w->originals_kept || dc->original_kept;
		} else if (pc->required) {
			if (x->action != ACTION_REFUSE_RECEPTION) {
				rc = err_set(e, ERR_MISSING_ARGUMENT,
				             "required component %lld ('%.120s') is missing",
				             (long long)pc->seq, pc->name_vi);
				db_proc_component_list_free(&pcs);
				return rc;
			}
			scopy(dc->status, sizeof dc->status, "missing");
		} else {
			scopy(dc->status, sizeof dc->status, "not_applicable");
		}
	}
	db_proc_component_list_free(&pcs);
	return ERR_OK;
}

static enum err_code intake_txn(struct db_conn *c, void *ctx, struct err *e)
{
	struct intake_ctx *x = ctx;
	const struct intake_request *r = x->req;
	enum err_code rc;
	int64_t now = service_now(x->svc);
	struct intake_work *w = calloc(1, sizeof *w);
	if (!w)
		return err_set(e, ERR_NO_MEMORY, "out of memory");
	memset(x->out, 0, sizeof *x->out);
	x->out->received_at = x->out->due_at = x->out->step_due_at = DB_NONE;
	x->deferred = ERR_OK;
	struct db_dossier *d = &w->d;

	/* stage one: decide */
	rc = intake_decide(x, c, w, now, e);
	if (rc == ERR_OK && x->action == ACTION_RECEIVE) {
		/* acceptance: its code comes last, after every check */
		rc = intake_accept_effects(x->svc, c, x->actor, &w->unit, &w->p, d,
		                           r->competent_unit, w->originals_kept, now,
		                           x->out->refer_unit, e);
	}
	if (rc != ERR_OK) {
		if (w->audited && !is_db_failure(rc) && rc != ERR_SEQUENCE_EXHAUSTED) {
			/* keep the audit of the look-ups; report the refusal after commit */
			x->deferred = rc;
			if (e)
				x->deferred_err = *e;
			else
				x->deferred_err.code = rc;
			rc = ERR_OK;
			err_clear(e);
		}
		free(w);
		return rc;
	}

	/* stage two: write */
	if ((rc = db_dossier_insert(c, d, e)))
		goto out;
	for (size_t i = 0; i < r->n_co_applicants; i++) {
		struct db_dossier_applicant a;
		memset(&a, 0, sizeof a);
		a.seq = (int64_t)i + 1;
		scopy(a.full_name, sizeof a.full_name, r->co_applicants[i].full_name);
		scopy(a.id_number, sizeof a.id_number, r->co_applicants[i].id_number);
		a.birth_day = r->co_applicants[i].birth_day == INTAKE_NO_DAY
		                      ? DB_NONE
		                      : r->co_applicants[i].birth_day;
		a.population_verified = w->verified[1 + i];
		if ((rc = db_dossier_applicant_insert(c, d->id, &a, e)))
			goto out;
	}
	for (size_t i = 0; i < w->ncomps; i++)
		if ((rc = db_dossier_component_put(c, d->id, &w->comps[i], e)))
			goto out;
	struct db_dossier_event ev;
	memset(&ev, 0, sizeof ev);
	scopy(ev.action, sizeof ev.action, lifecycle_action_name(x->action));
	scopy(ev.from_state, sizeof ev.from_state, lifecycle_state_name(STATE_NONE));
	scopy(ev.to_unit, sizeof ev.to_unit, d->competent_unit);
	ev.step_seq = DB_NONE;
	ev.due_at = d->due_at;
	scopy(ev.note, sizeof ev.note,
	      x->action == ACTION_REFUSE_RECEPTION ? x->reason : (r->note ? r->note : ""));
	if ((rc = action_record(c, x->actor, now, d, &ev, e)))
		goto out;
	result_from(x->out, d);
out:
	free(w);
	return rc;
}

/* The checks of an intake before its transaction (out already cleared). */
static enum err_code intake_check(struct service *svc, const struct actor *actor,
                                  const struct intake_request *req, const char *reason,
                                  enum dossier_action action, struct err *e)
{
	if (!svc || !actor)
		return err_set(e, ERR_INTERNAL, "no service or actor");
	int64_t today;
	vntime_split(service_now(svc), &today, NULL);
	enum err_code rc = check_request(req, today, action != ACTION_REFUSE_RECEPTION, e);
	if (rc != ERR_OK)
		return rc;
	if (action == ACTION_SUBMIT && req->received_by_post)
		return err_set(e, ERR_INVALID_ARGUMENT,
		               "'received_by_post' is for a dossier an officer receives from the "
		               "post, not for an online submission");
	if (action == ACTION_REFUSE_RECEPTION) {
		if (str_empty(reason))
			return err_set(e, ERR_MISSING_ARGUMENT, "a refusal needs its reason");
		if ((rc = check_text("reason", reason, ACTION_NOTE_MAX, true, e)))
			return rc;
	}
	return ERR_OK;
}

/*
 * An intake in its own write transaction (c NULL) or in the caller's open
 * transaction c (the *_in variants, for bulk work).
 */
static enum err_code intake_run(struct db_conn *c, struct service *svc, const struct actor *actor,
                                const struct intake_request *req, const char *reason,
                                enum dossier_action action, struct intake_result *out,
                                struct err *e)
{
	struct intake_result tmp;
	if (!out)
		out = &tmp;
	memset(out, 0, sizeof *out);
	out->received_at = out->due_at = out->step_due_at = DB_NONE;
	enum err_code rc = intake_check(svc, actor, req, reason, action, e);
	if (rc != ERR_OK)
		return rc;
	struct intake_ctx x = {.svc = svc,
	                       .actor = actor,
	                       .req = req,
	                       .reason = reason,
	                       .action = action,
	                       .out = out};
	rc = c ? intake_txn(c, &x, e) : db_run_txn(svc->db, DB_TXN_WRITE, intake_txn, &x, e);
	if (rc == ERR_OK && x.deferred != ERR_OK) {
		if (e)
			*e = x.deferred_err;
		return x.deferred;
	}
	return rc;
}

enum err_code intake_receive(struct service *svc, const struct actor *actor,
                             const struct intake_request *req, struct intake_result *out,
                             struct err *e)
{
	return intake_run(NULL, svc, actor, req, NULL, ACTION_RECEIVE, out, e);
}

enum err_code intake_submit(struct service *svc, const struct actor *actor,
                            const struct intake_request *req, struct intake_result *out,
                            struct err *e)
{
	return intake_run(NULL, svc, actor, req, NULL, ACTION_SUBMIT, out, e);
}

enum err_code intake_refuse(struct service *svc, const struct actor *actor,
                            const struct intake_request *req, const char *reason,
                            struct intake_result *out, struct err *e)
{
	return intake_run(NULL, svc, actor, req, reason, ACTION_REFUSE_RECEPTION, out, e);
}

enum err_code intake_accept(struct service *svc, const struct actor *actor, const char *dossier,
                            int64_t expected_version, const char *competent_unit,
                            struct action_result *out, struct err *e)
{
	struct action_params p;
	action_params_init(&p);
	p.competent_unit = competent_unit;
	return action_perform(svc, actor, dossier, "accept", expected_version, &p, out, e);
}

/* ---- the same intakes inside a caller's transaction (bulk work) ---- */

/* The transaction check of the *_in variants (then intake_run() in c). */
static enum err_code intake_run_in(struct db_conn *c, struct service *svc,
                                   const struct actor *actor, const struct intake_request *req,
                                   const char *reason, enum dossier_action action,
                                   struct intake_result *out, struct err *e)
{
	if (!c || !db_in_txn(c))
		return err_set(e, ERR_INTERNAL, "no open transaction for the intake");
	return intake_run(c, svc, actor, req, reason, action, out, e);
}

enum err_code intake_receive_in(struct db_conn *c, struct service *svc, const struct actor *actor,
                                const struct intake_request *req, struct intake_result *out,
                                struct err *e)
{
	return intake_run_in(c, svc, actor, req, NULL, ACTION_RECEIVE, out, e);
}

enum err_code intake_submit_in(struct db_conn *c, struct service *svc, const struct actor *actor,
                               const struct intake_request *req, struct intake_result *out,
                               struct err *e)
{
	return intake_run_in(c, svc, actor, req, NULL, ACTION_SUBMIT, out, e);
}

enum err_code intake_refuse_in(struct db_conn *c, struct service *svc, const struct actor *actor,
                               const struct intake_request *req, const char *reason,
                               struct intake_result *out, struct err *e)
{
	return intake_run_in(c, svc, actor, req, reason, ACTION_REFUSE_RECEPTION, out, e);
}

/* ---- the population check of the form ---- */

struct population_ctx {
	struct service *svc;
	const struct actor *actor;
	const char *id_number, *full_name;
	int64_t birth_day;
	struct intake_population *out;
};

static enum err_code population_txn(struct db_conn *c, void *ctx, struct err *e)
{
	struct population_ctx *x = ctx;
	memset(x->out, 0, sizeof *x->out);
	return population_match(c, x->actor, service_now(x->svc), x->id_number, x->full_name,
	                        x->birth_day, &x->out->matched, x->out->residence_commune, e);
}

enum err_code intake_population_check(struct service *svc, const struct actor *actor,
                                      const char *id_number, const char *full_name,
                                      int64_t birth_day, struct intake_population *out,
                                      struct err *e)
{
	memset(out, 0, sizeof *out);
	unsigned roles = action_effective_roles(actor, NULL);
	if (!(roles & (ROLE_OFFICER | ROLE_APPLICANT)))
		return err_set(e, ERR_FORBIDDEN,
		               "only officers and applicants check population data");
	int64_t today;
	vntime_split(service_now(svc), &today, NULL);
	enum err_code rc;
	if (str_empty(id_number))
		return err_set(e, ERR_MISSING_ARGUMENT, "'id_number' is required");
	if ((rc = check_id_number("id_number", id_number, today, INTAKE_NO_DAY, e)) ||
	    (rc = check_text("full_name", full_name, INTAKE_NAME_MAX, true, e)))
		return rc;
	if (birth_day == INTAKE_NO_DAY)
		return err_set(e, ERR_MISSING_ARGUMENT, "'birth_day' is required");
	struct population_ctx x = {svc, actor, id_number, full_name, birth_day, out};
	return db_run_txn(svc->db, DB_TXN_WRITE, population_txn, &x, e);
}

/* ---- the appointment of the form's preview ---- */

struct appointment_ctx {
	struct service *svc;
	const char *procedure_code;
	int64_t *received_at, *due_at;
};

static enum err_code appointment_txn(struct db_conn *c, void *ctx, struct err *e)
{
	struct appointment_ctx *x = ctx;
	struct db_procedure_rules p;
	enum err_code rc = db_dossier_procedure(c, x->procedure_code, &p, e);
	if (rc == ERR_OK && !p.active)
		rc = err_set(e, ERR_NOT_FOUND, "no procedure '%s'", x->procedure_code);
	if (rc != ERR_OK)
		return rc;
	struct worktime_limit lim;
	intake_limit(x->svc, &p, &lim);
	return worktime_due(x->svc->cal, &lim, service_now(x->svc), x->received_at, x->due_at, e);
}

enum err_code intake_appointment(struct service *svc, const char *procedure_code,
                                 int64_t *received_at, int64_t *due_at, struct err *e)
{
	*received_at = *due_at = DB_NONE;
	enum err_code rc;
	if (str_empty(procedure_code))
		return err_set(e, ERR_MISSING_ARGUMENT, "'procedure' is required");
	if ((rc = check_code("procedure", procedure_code, e)))
		return rc;
	struct appointment_ctx x = {svc, procedure_code, received_at, due_at};
	return db_run_txn(svc->db, DB_TXN_READ, appointment_txn, &x, e);
}
