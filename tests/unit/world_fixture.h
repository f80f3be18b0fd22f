/*
 * world_fixture: building dossiers on the world of dossier_fixture.h for the
 * tests of action, worklist, stats, indicators and reports: receiving An's
 * requests at branch CN-A, performing actions at a fixed time and version,
 * and the hand-built August 2025 workload that stats and indicators share.
 * Included by those test files only, after cmocka.h.
 *
 * The shared workload (fx_world_build; now = Fri 29/8/2025 10:00; every
 * dossier An's, so the competent unit is UBND-00070 but T.HOURS's SO-TP;
 * received at CN-A except G, accepted at CN-C); the expected figures are
 * worked out in tests/unit/test_stats.c:
 *   J  T.SAME  received 30/7 09:00, completed 30/7 10:00
 *   A  T.SIGN  received 27/8 09:00, signed off 28/8 10:00
 *   B  T.SAME  received 27/8 10:00, completed 28/8 09:00
 *   C  T.SAME  received 28/8 09:00, completed 28/8 16:00
 *   X  T.SAME  received 27/8 13:00, extended to 29/8 17:00, completed 28/8 11:00
 *   D  T.CONT  received 27/8 11:00 (collection at CN-C), open, due 5/9
 *   E  T.HOURS received 27/8 09:00, open, due 29/8 09:00
 *   F  T.SIGN  received 27/8 09:00, paused 28/8 09:00
 *   P  T.SAME  received 28/8 09:30, paused 29/8 09:00
 *   W  T.CONT  received 28/8 11:00, withdrawn 28/8 14:00
 *   R  refused at reception 28/8 11:30
 *   G  T.SIGN  filed online 28/8 14:00, accepted at CN-C 29/8 09:00
 *   ratings (only when asked; written straight into dossier_rating, without
 *   an event): A satisfied 28/8 15:00, C dissatisfied 29/8 09:30, J very
 *   satisfied 30/7 15:00.
 */
#ifndef MOTCUA_TESTS_WORLD_FIXTURE_H
#define MOTCUA_TESTS_WORLD_FIXTURE_H

#include "dossier_fixture.h"
#include "service/action.h"
#include "service/intake.h"

/* Officer off-a receives An's request for a procedure now (collection unit and
 * owner account may be NULL); the new dossier's id goes to id. */
static inline void fx_receive_now(struct fx *f, const char *procedure, const char *collection,
                                  const char *owner, char id[DBD_ID_SIZE])
{
	struct actor off;
	FX_OFF_A(&off);
	struct intake_request r;
	fx_an(&r, procedure);
	r.collection_unit = collection;
	r.owner_account = owner;
	struct intake_result out;
	struct err e = {0};
	assert_rc(intake_receive(&f->svc, &off, &r, &out, &e), ERR_OK);
	str_copy(id, DBD_ID_SIZE, out.id);
}

/* As fx_receive_now, at the Vietnam time at (the clock stays there). */
static inline void fx_receive(struct fx *f, const char *at, const char *procedure,
                              const char *collection, char id[DBD_ID_SIZE])
{
	fx_at(f, at);
	fx_receive_now(f, procedure, collection, NULL, id);
}

/* The current version of a dossier by id. */
static inline int64_t fx_version(struct fx *f, const char *id)
{
	return fx_int(f, "SELECT version FROM dossier WHERE id = $1", id);
}

/* Performs an action at the time at, at the dossier's current version, and
 * asserts that it succeeds (p may be NULL). */
static inline void fx_act(struct fx *f, const char *at, const struct actor *who, const char *id,
                          const char *action, const struct action_params *p)
{
	struct err e = {0};
	struct action_result r;
	fx_at(f, at);
	assert_rc(action_perform(&f->svc, who, id, action, fx_version(f, id), p, &r, &e), ERR_OK);
}

struct fx_rating {
	const char *id, *at, *level;
};

static inline enum err_code fx_rating_txn(struct db_conn *c, void *ctx, struct err *e)
{
	const struct fx_rating *r = ctx;
	return db_dossier_rating_insert(c, r->id, fx_time(r->at), r->level, NULL, e);
}

/* Writes a rating of a dossier at a time straight into dossier_rating. */
static inline void fx_rate(struct fx *f, const char *id, const char *at, const char *level)
{
	struct fx_rating r = {id, at, level};
	struct err e = {0};
	assert_rc(db_run_txn(f->db, DB_TXN_WRITE, fx_rating_txn, &r, &e), ERR_OK);
}

/* The ids of the shared workload's dossiers (R, refused, has none). */
struct fx_world {
	char a[DBD_ID_SIZE], b[DBD_ID_SIZE], c[DBD_ID_SIZE], d[DBD_ID_SIZE], e[DBD_ID_SIZE];
	char f[DBD_ID_SIZE], g[DBD_ID_SIZE], j[DBD_ID_SIZE], p[DBD_ID_SIZE], w[DBD_ID_SIZE];
	char x[DBD_ID_SIZE];
};

/* Builds the shared workload above (with its ratings when ratings is true) and
 * leaves the clock at Fri 29/8/2025 10:00. */
static inline void fx_world_build(struct fx *f, struct fx_world *w, bool ratings)
{
	struct actor spec, appr, offa, offc, cit;
	FX_SPEC_B1(&spec);
	FX_APPR_B(&appr);
	FX_OFF_A(&offa);
	FX_OFF_C(&offc);
	fx_citizen(&cit, "cit-an");
	struct action_params note;
	action_params_init(&note);
	note.note = "Lý do";
	struct err e = {0};

	fx_receive(f, "2025-07-30T09:00", "T.SAME", NULL, w->j);
	fx_act(f, "2025-07-30T09:30", &spec, w->j, "take", NULL);
	fx_act(f, "2025-07-30T10:00", &spec, w->j, "complete", NULL);

	fx_receive(f, "2025-08-27T09:00", "T.SIGN", NULL, w->a);
	fx_receive(f, "2025-08-27T09:00", "T.SIGN", NULL, w->f);
	fx_receive(f, "2025-08-27T09:00", "T.HOURS", NULL, w->e);
	assert_int_equal(fx_int(f, "SELECT due_at FROM dossier WHERE id = $1", w->e),
	                 fx_time("2025-08-29T09:00"));
	fx_receive(f, "2025-08-27T10:00", "T.SAME", NULL, w->b);
	fx_act(f, "2025-08-27T10:00", &spec, w->a, "take", NULL);
	fx_receive(f, "2025-08-27T11:00", "T.CONT", "CN-C", w->d);
	fx_act(f, "2025-08-27T11:00", &spec, w->b, "take", NULL);
	fx_receive(f, "2025-08-27T13:00", "T.SAME", NULL, w->x);
	struct action_params ext;
	action_params_init(&ext);
	ext.note = "Cần xác minh";
	ext.new_due = fx_time("2025-08-29T17:00");
	fx_act(f, "2025-08-27T14:00", &spec, w->x, "extend", &ext);

	fx_act(f, "2025-08-28T08:30", &spec, w->f, "take", NULL);
	fx_receive(f, "2025-08-28T09:00", "T.SAME", NULL, w->c);
	fx_act(f, "2025-08-28T09:00", &spec, w->b, "complete", NULL);
	fx_act(f, "2025-08-28T09:00", &spec, w->a, "submit_signoff", NULL);
	fx_act(f, "2025-08-28T09:00", &spec, w->f, "request_supplement", &note);
	fx_act(f, "2025-08-28T09:10", &spec, w->c, "take", NULL);
	fx_receive(f, "2025-08-28T09:30", "T.SAME", NULL, w->p);
	fx_act(f, "2025-08-28T10:00", &appr, w->a, "sign_off", NULL);
	fx_act(f, "2025-08-28T10:00", &spec, w->p, "take", NULL);
	fx_act(f, "2025-08-28T10:30", &spec, w->x, "take", NULL);
	fx_act(f, "2025-08-28T11:00", &spec, w->x, "complete", NULL);
	fx_receive(f, "2025-08-28T11:00", "T.CONT", NULL, w->w);
	struct intake_request r;
	struct intake_result out;
	fx_an(&r, "T.SIGN");
	fx_at(f, "2025-08-28T11:30");
	assert_rc(intake_refuse(&f->svc, &offa, &r, "Hồ sơ không hợp lệ", &out, &e), ERR_OK);
	fx_act(f, "2025-08-28T14:00", &offa, w->w, "withdraw", NULL);
	fx_an(&r, "T.SIGN");
	r.collection_unit = "CN-C";
	assert_rc(intake_submit(&f->svc, &cit, &r, &out, &e), ERR_OK);
	str_copy(w->g, sizeof w->g, out.id);
	if (ratings)
		fx_rate(f, w->a, "2025-08-28T15:00", "satisfied");
	fx_act(f, "2025-08-28T16:00", &spec, w->c, "complete", NULL);

	fx_act(f, "2025-08-29T09:00", &spec, w->p, "request_supplement", &note);
	fx_at(f, "2025-08-29T09:00");
	struct action_result ar;
	assert_rc(intake_accept(&f->svc, &offc, w->g, 1, NULL, &ar, &e), ERR_OK);
	if (ratings) {
		fx_rate(f, w->c, "2025-08-29T09:30", "dissatisfied");
		fx_rate(f, w->j, "2025-07-30T15:00", "very_satisfied");
	}
	fx_at(f, "2025-08-29T10:00");
}

#endif
