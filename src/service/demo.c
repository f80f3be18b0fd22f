/*
 * demo: the demonstration data of `motcua demo` (see demo.h).
 *
 * Accounts: one per role, scoped to real units of the bundled Hanoi data:
 * officers at branch 1 (Tây Hồ) and branch 2 (Cầu Giấy), a specialist and an
 * approver at the Department of Justice, and a specialist and an approver at
 * the People's Committee of the commune where the first synthetic resident
 * lives, plus that resident as a citizen account. Dossiers: a birth
 * registration received at branch 1 and being processed by the commune, a
 * certified copy of a civil-status extract received at branch 2 for the
 * Department of Justice, and an online submission waiting for acceptance.
 */
#include "service/demo.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "base/str.h"
#include "db/db_dossier.h"
#include "domain/lifecycle.h"
#include "service/action.h"
#include "service/intake.h"
#include "service/population.h"

#define DEMO_SEED      20250701u /* the day the two-level local government began */

#define OFFICER_A_UNIT "CN01"
#define OFFICER_C_UNIT "CN02"
#define CITY_AGENCY    "SO_TU_PHAP"
#define PROC_BIRTH     "1.001193" /* birth registration, commune */
#define PROC_COPY      "2.000635" /* certified copy of a civil-status extract, city */
#define PROC_MARITAL   "1.004873" /* certificate of marital status, commune, online */

void demo_random_password(char out[DEMO_PASSWORD_LEN])
{
	static const char alphabet[] = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
	for (int i = 0; i < DEMO_PASSWORD_LEN - 1; i++)
		out[i] = alphabet[randombytes_uniform(sizeof alphabet - 1)];
	out[DEMO_PASSWORD_LEN - 1] = '\0';
}

void demo_staff_actor(struct actor *a, const struct account_info *info)
{
	memset(a, 0, sizeof *a);
	a->kind = ACTOR_STAFF;
	str_copy(a->account_id, sizeof a->account_id, info->id);
	str_copy(a->username, sizeof a->username, info->username);
	a->roles = info->roles;
	str_copy(a->unit_code, sizeof a->unit_code, info->unit_code);
	str_copy(a->addr, sizeof a->addr, "demo");
}

struct count_ctx {
	int64_t n;
};

static enum err_code count_accounts(struct db_conn *c, void *vctx, struct err *e)
{
	struct count_ctx *ctx = vctx;
	return db_dossier_count(c, "account", &ctx->n, e);
}

struct comp_ctx {
	const char *procedure;
	struct db_proc_component_list list;
};

static enum err_code load_components(struct db_conn *c, void *vctx, struct err *e)
{
	struct comp_ctx *ctx = vctx;
	return db_dossier_proc_components(c, ctx->procedure, &ctx->list, e);
}

/* Adds a staff account with a fresh password and records it in the report. */
static enum err_code add_staff(struct accounts *acc, const struct actor *sys, struct demo_report *r,
                               const char *role, const char *username, unsigned roles,
                               const char *unit, const char *name, struct actor *as)
{
	if (r->n_accounts >= DEMO_MAX_ACCOUNTS)
		return ERR_INTERNAL;
	struct demo_account *d = &r->accounts[r->n_accounts];
	demo_random_password(d->password);
	struct account_new in = {username, roles, unit, name, d->password};
	struct account_info info;
	struct err sub;
	enum err_code rc = account_create(acc, sys, &in, &info, &sub);
	if (rc != ERR_OK)
		return rc;
	str_copy(d->role, sizeof d->role, role);
	str_copy(d->username, sizeof d->username, info.username);
	str_copy(d->unit_code, sizeof d->unit_code, unit ? unit : "");
	r->n_accounts++;
	if (as)
		demo_staff_actor(as, &info);
	return ERR_OK;
}

/* Every component of the procedure that the registry does not replace, as received. */
static enum err_code components_for(struct service *svc, const char *procedure,
                                    struct intake_component *out, size_t max, size_t *n,
                                    struct err *e)
{
	struct comp_ctx ctx = {procedure, {NULL, 0}};
	enum err_code rc = db_run_txn(svc->db, DB_TXN_READ, load_components, &ctx, e);
	if (rc != ERR_OK)
		return rc;
	*n = 0;
	for (size_t i = 0; i < ctx.list.count && *n < max; i++) {
		if (!ctx.list.items[i].required || ctx.list.items[i].population_replaces)
			continue;
		out[*n].seq = (int)ctx.list.items[i].seq;
		out[*n].original_kept = false;
		(*n)++;
	}
	db_proc_component_list_free(&ctx.list);
	return ERR_OK;
}

static void record(struct demo_report *r, const char *id, const char *code, const char *procedure,
                   const char *state, const char *id_number)
{
	if (r->n_dossiers >= DEMO_MAX_DOSSIERS)
		return;
	struct demo_dossier *d = &r->dossiers[r->n_dossiers++];
	str_copy(d->id, sizeof d->id, id);
	str_copy(d->code, sizeof d->code, code);
	str_copy(d->procedure, sizeof d->procedure, procedure);
	str_copy(d->state, sizeof d->state, state);
	size_t len = strlen(id_number);
	str_copy(d->id_last4, sizeof d->id_last4, len >= 4 ? id_number + len - 4 : id_number);
}

/* A person's intake form for a procedure, with the registry's data. */
static void form_for(struct intake_request *req, const struct population_person *p,
                     const char *procedure, const struct intake_component *comps, size_t ncomps,
                     const char *collection)
{
	intake_request_init(req);
	req->procedure_code = procedure;
	req->applicant_kind = INTAKE_PERSON;
	req->applicant_name = p->full_name;
	req->id_number = p->id_number;
	req->birth_day = p->birth_day;
	req->phone = "0912345678";
	req->address = p->residence_address;
	req->residence_commune = p->residence_commune;
	req->components = comps;
	req->n_components = ncomps;
	req->collection_unit = collection;
}

enum err_code demo_seed(struct service *svc, struct accounts *acc, int population,
                        struct demo_report *out, struct err *e)
{
	enum err_code rc;
	memset(out, 0, sizeof *out);
	struct count_ctx cnt = {0};
	if ((rc = db_run_txn(svc->db, DB_TXN_READ, count_accounts, &cnt, e)) != ERR_OK)
		return rc;
	if (cnt.n > 0)
		return err_set(e, ERR_INVALID_ARGUMENT,
		               "the database already has %lld accounts; the demo runs on a fresh "
		               "database only",
		               (long long)cnt.n);

	/* The population registry. */
	struct population_person people[3];
	struct population_report prep;
	if ((rc = population_generate(svc->db, population, DEMO_SEED, people, 3, &prep, e)) !=
	    ERR_OK)
		return rc;
	out->population = population;
	char commune_unit[SERVICE_CODE_MAX];
	snprintf(commune_unit, sizeof commune_unit, "UBND-%s", people[0].residence_commune);

	/* One account per role. */
	struct actor sys, officer_a, officer_c, spec_city, spec_commune;
	service_system_actor(&sys, "demo");
	struct {
		const char *role, *user;
		unsigned roles;
		const char *unit, *name;
		struct actor *as;
	} staff[] = {
	        {"admin", "admin", ROLE_ADMIN, NULL, "Quản trị hệ thống", NULL},
	        {"leader", "lanhdao", ROLE_LEADER, NULL, "Lãnh đạo Trung tâm", NULL},
	        {"supervisor", "thanhtra", ROLE_SUPERVISOR, NULL, "Thanh tra viên", NULL},
	        {"officer", "canbo.cn01", ROLE_OFFICER, OFFICER_A_UNIT, "Nguyễn Thị Lan",
	         &officer_a},
	        {"officer", "canbo.cn02", ROLE_OFFICER, OFFICER_C_UNIT, "Trần Văn Minh",
	         &officer_c},
	        {"specialist", "chuyenvien.tuphap", ROLE_SPECIALIST, CITY_AGENCY, "Lê Thu Hà",
	         &spec_city},
	        {"approver", "lanhdao.tuphap", ROLE_APPROVER, CITY_AGENCY, "Phạm Quốc Hùng", NULL},
	        {"specialist", "chuyenvien.xa", ROLE_SPECIALIST, commune_unit, "Hoàng Minh Đức",
	         &spec_commune},
	        {"approver", "chutich.xa", ROLE_APPROVER, commune_unit, "Vũ Thị Hạnh", NULL},
	};
	for (size_t i = 0; i < sizeof staff / sizeof staff[0]; i++) {
		rc = add_staff(acc, &sys, out, staff[i].role, staff[i].user, staff[i].roles,
		               staff[i].unit, staff[i].name, staff[i].as);
		if (rc != ERR_OK)
			return err_set(e, rc, "cannot create demo account '%s' at '%s'",
			               staff[i].user, staff[i].unit ? staff[i].unit : "-");
	}
	/* The first resident as a citizen account. */
	struct demo_account *cit = &out->accounts[out->n_accounts];
	demo_random_password(cit->password);
	struct account_registration reg = {ACTOR_CITIZEN,       people[0].id_number, NULL,
	                                   people[0].full_name, "0912345678",        NULL,
	                                   cit->password};
	struct account_info cinfo;
	if ((rc = account_register(acc, &reg, &cinfo, e)) != ERR_OK)
		return rc;
	str_copy(cit->role, sizeof cit->role, "citizen");
	str_copy(cit->username, sizeof cit->username, cinfo.username);
	out->n_accounts++;
	struct actor citizen = {.kind = ACTOR_CITIZEN, .roles = ROLE_APPLICANT};
	str_copy(citizen.account_id, sizeof citizen.account_id, cinfo.id);
	str_copy(citizen.username, sizeof citizen.username, cinfo.username);
	str_copy(citizen.addr, sizeof citizen.addr, "demo");

	/* Dossiers. */
	struct intake_component comps[32];
	size_t ncomps;
	struct intake_request req;
	struct intake_result res;
	struct action_result ar;

	/* 1. Birth registration at branch 1, competent: the commune of residence; taken. */
	if ((rc = components_for(svc, PROC_BIRTH, comps, 32, &ncomps, e)) != ERR_OK)
		return rc;
	form_for(&req, &people[0], PROC_BIRTH, comps, ncomps, OFFICER_C_UNIT);
	if ((rc = intake_receive(svc, &officer_a, &req, &res, e)) != ERR_OK)
		return rc;
	if ((rc = action_perform(svc, &spec_commune, res.id, "take", res.version, NULL, &ar, e)))
		return rc;
	record(out, res.id, res.code, PROC_BIRTH, ar.state, people[0].id_number);

	/* 2. Certified copy at branch 2 for the Department of Justice; just received. */
	if ((rc = components_for(svc, PROC_COPY, comps, 32, &ncomps, e)) != ERR_OK)
		return rc;
	form_for(&req, &people[1], PROC_COPY, comps, ncomps, OFFICER_C_UNIT);
	if ((rc = intake_receive(svc, &officer_c, &req, &res, e)) != ERR_OK)
		return rc;
	record(out, res.id, res.code, PROC_COPY, res.state, people[1].id_number);
	(void)spec_city;

	/* 3. An online submission by the citizen, waiting for acceptance at branch 2. */
	if ((rc = components_for(svc, PROC_MARITAL, comps, 32, &ncomps, e)) != ERR_OK)
		return rc;
	form_for(&req, &people[0], PROC_MARITAL, comps, ncomps, OFFICER_C_UNIT);
	if ((rc = intake_submit(svc, &citizen, &req, &res, e)) != ERR_OK)
		return rc;
	record(out, res.id, res.code, PROC_MARITAL, res.state, people[0].id_number);
	return ERR_OK;
}
