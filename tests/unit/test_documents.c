/*
 * Unit tests for doc/documents: forms issued as signed PDFs for a dossier
 * (access, applicability, the set chosen by the reception day), the
 * tracking book of a branch, verification by file and by code (a changed
 * byte, a cut signature, an unknown key, an unregistered or different
 * document), and key generation and rotation -- on the small world of
 * tests/unit/dossier_fixture.h.
 *
 * Expected values: the switch to the 2025 set is the configured
 * forms_2025_from (default 2025-07-01, the date Decree 118/2025/NĐ-CP took
 * effect; the circular's own date is to be confirmed, docs/documents.md);
 * Wed 25/6/2025 and Wed 27/8/2025 are working days (data/holidays.csv);
 * who may read a dossier is lookup_dossier()'s rule (docs/lifecycle.md,
 * section 3); the tracking book's readers are the branch's officers,
 * leaders, supervisors and admins (docs/documents.md).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "dossier_fixture.h"
#include "doc/documents.h"
#include "doc/pdf.h"
#include "service/action.h"
#include "service/intake.h"

/* An's dossier of T.SIGN received at CN-A now, owned by cit-an; its id into id. */
static void receive(struct fx *f, char id[DBD_ID_SIZE], char code[DBD_KEY_SIZE])
{
	struct actor off;
	FX_OFF_A(&off);
	struct intake_request r;
	fx_an(&r, "T.SIGN");
	r.collection_unit = "CN-C";
	r.owner_account = "cit-an";
	r.address = "12 Hàng Bạc";
	struct intake_result out;
	struct err e = {0};
	assert_rc(intake_receive(&f->svc, &off, &r, &out, &e), ERR_OK);
	str_copy(id, DBD_ID_SIZE, out.id);
	if (code)
		str_copy(code, DBD_KEY_SIZE, out.code);
}

static void act(struct fx *f, const struct actor *a, const char *id, const char *action,
                int64_t version, const char *note)
{
	struct action_params p;
	action_params_init(&p);
	p.note = note;
	struct action_result ar;
	struct err e = {0};
	assert_rc(action_perform(&f->svc, a, id, action, version, &p, &ar, &e), ERR_OK);
}

static enum err_code issue(struct fx *f, const struct actor *a, const char *id, const char *form,
                           struct documents_pdf *out, struct err *e)
{
	err_clear(e);
	return documents_form(&f->svc, a, id, form, out, e);
}

static int64_t issued(struct fx *f)
{
	return fx_int(f, "SELECT count(*) FROM issued_document WHERE $1 = $1", "");
}

static void test_config(void **state)
{
	struct fx *f = *state;
	struct documents_config c;
	struct err e = {0};
	struct config cfg;
	config_defaults(&cfg);
	assert_rc(documents_config_load(&cfg, &c, &e), ERR_OK);
	assert_string_equal(c.public_url, "http://127.0.0.1:8080");
	assert_int_equal(c.switch_day, fx_day("2025-07-01"));
	assert_string_equal(documents_set_for(&c, fx_day("2025-06-30")), "2018");
	assert_string_equal(documents_set_for(&c, fx_day("2025-07-01")), "2025");
	assert_string_equal(c.font, "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf");
	assert_rc(config_set(&cfg, "public_url", "https://dichvucong.hanoi.gov.vn/",
	                     CONFIG_FROM_FILE, &e),
	          ERR_OK);
	assert_rc(documents_config_load(&cfg, &c, &e), ERR_OK);
	assert_string_equal(c.public_url, "https://dichvucong.hanoi.gov.vn");
	assert_rc(config_set(&cfg, "public_url", "https://[::1]:8443", CONFIG_FROM_FILE, &e),
	          ERR_OK);
	assert_rc(documents_config_load(&cfg, &c, &e), ERR_OK);
	const char *bad[] = {
	        "ftp://example.vn", "https://example.vn/path", "https://",
	        "example.vn",       "https://ex ample.vn",     "https://example.vn?x=1"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_rc(config_set(&cfg, "public_url", bad[i], CONFIG_FROM_FILE, &e), ERR_OK);
		assert_rc(documents_config_load(&cfg, &c, &e), ERR_CONFIG_INVALID);
	}
	config_defaults(&cfg);
	assert_rc(config_set(&cfg, "forms_2025_from", "", CONFIG_FROM_FILE, &e), ERR_OK);
	assert_rc(documents_config_load(&cfg, &c, &e), ERR_OK);
	assert_string_equal(documents_set_for(&c, fx_day("2019-01-01")), "2025");
	(void)f;
}

/* A receipt: signed, registered, audited, verifiable; the first issue made the key. */
static void test_receipt(void **state)
{
	struct fx *f = *state;
	char id[DBD_ID_SIZE], code[DBD_KEY_SIZE];
	receive(f, id, code);
	struct actor off;
	FX_OFF_A(&off);
	struct documents_pdf pdf;
	struct err e = {0};
	int64_t before = issued(f);
	assert_rc(issue(f, &off, id, "receipt", &pdf, &e), ERR_OK);
	assert_string_equal(pdf.form, "receipt");
	assert_string_equal(pdf.set, "2025");
	char name[160];
	snprintf(name, sizeof name, "receipt-%s.pdf", code);
	assert_string_equal(pdf.filename, name);
	assert_memory_equal(pdf.bytes.data, "%PDF-", 5);
	assert_int_equal(issued(f), before + 1);
	assert_int_equal(
	        fx_int(f, "SELECT count(*) FROM audit WHERE object = 'document:' || $1", pdf.code),
	        1);
	struct signature_trailer t;
	assert_rc(signature_parse(pdf.bytes.data, pdf.bytes.len, &t, &e), ERR_OK);
	assert_string_equal(t.code, pdf.code);

	struct documents_verdict v;
	assert_rc(documents_verify_file(&f->svc, pdf.bytes.data, pdf.bytes.len, &v, &e), ERR_OK);
	assert_true(v.valid);
	assert_string_equal(v.doc.code, pdf.code);
	assert_string_equal(v.doc.form, "receipt");
	assert_string_equal(v.doc.form_set, "2025");
	assert_string_equal(v.doc.dossier_code, code);
	assert_string_equal(v.doc.unit_code, "CN-A");
	assert_string_equal(v.unit_name, "Chi nhánh A");
	assert_true(v.key_current);
	assert_int_equal(v.doc.issued_at, fx_time("2025-08-27T09:00"));
	assert_int_equal(v.doc.bytes, (int64_t)t.signed_len);

	struct documents_key *keys;
	size_t n;
	assert_rc(documents_keys(&f->svc, &keys, &n, &e), ERR_OK);
	assert_true(n >= 1);
	assert_true(keys[n - 1].current);
	free(keys);

	/* every copy is a new document with its own code */
	struct documents_pdf again;
	assert_rc(issue(f, &off, id, "receipt", &again, &e), ERR_OK);
	assert_string_not_equal(again.code, pdf.code);
	documents_pdf_release(&again);
	documents_pdf_release(&pdf);
}

/* The same rule as reading the dossier; a refusal records nothing. */
static void test_access(void **state)
{
	struct fx *f = *state;
	char id[DBD_ID_SIZE];
	receive(f, id, NULL);
	struct actor a;
	struct documents_pdf pdf;
	struct err e = {0};
	int64_t before = issued(f);
	fx_citizen(&a, "cit-binh");
	assert_rc(issue(f, &a, id, "receipt", &pdf, &e), ERR_NOT_FOUND);
	documents_pdf_release(&pdf);
	FX_SPEC_B2X(&a);
	assert_rc(issue(f, &a, id, "control", &pdf, &e), ERR_FORBIDDEN);
	documents_pdf_release(&pdf);
	assert_int_equal(issued(f), before);
	fx_citizen(&a, "cit-an");
	assert_rc(issue(f, &a, id, "receipt", &pdf, &e), ERR_OK);
	documents_pdf_release(&pdf);
	FX_OFF_C(&a); /* the branch of collection */
	assert_rc(issue(f, &a, id, "control", &pdf, &e), ERR_OK);
	documents_pdf_release(&pdf);
	FX_LEADER(&a);
	assert_rc(issue(f, &a, id, "receipt", &pdf, &e), ERR_OK);
	documents_pdf_release(&pdf);
	assert_int_equal(issued(f), before + 3);
}

static void test_not_applicable(void **state)
{
	struct fx *f = *state;
	char id[DBD_ID_SIZE];
	receive(f, id, NULL);
	struct actor off;
	FX_OFF_A(&off);
	struct documents_pdf pdf;
	struct err e = {0};
	const char *forms[] = {"supplement", "refusal", "apology", "stop"};
	for (size_t i = 0; i < 4; i++) {
		assert_rc(issue(f, &off, id, forms[i], &pdf, &e), ERR_FORM_NOT_APPLICABLE);
		documents_pdf_release(&pdf);
	}
	const char *unknown[] = {"verdict", "tracking_book", "", "RECEIPT"};
	for (size_t i = 0; i < 4; i++) {
		assert_rc(issue(f, &off, id, unknown[i], &pdf, &e), ERR_NOT_FOUND);
		documents_pdf_release(&pdf);
	}
	assert_rc(issue(f, &off, id, NULL, &pdf, &e), ERR_NOT_FOUND);
	documents_pdf_release(&pdf);
	assert_rc(issue(f, &off, "ffffffffffffffff", "receipt", &pdf, &e), ERR_NOT_FOUND);
	documents_pdf_release(&pdf);

	/* after a supplement request, an extension and a stop, their forms */
	struct actor spec, appr;
	FX_SPEC_B1(&spec);
	FX_APPR_B(&appr);
	act(f, &spec, id, "take", 1, NULL);
	act(f, &spec, id, "request_supplement", 2, "thiếu tờ khai");
	assert_rc(issue(f, &off, id, "supplement", &pdf, &e), ERR_OK);
	documents_pdf_release(&pdf);
	act(f, &off, id, "receive_supplement", 3, NULL);
	struct action_params p;
	action_params_init(&p);
	p.note = "cần xác minh";
	p.new_due = fx_time("2025-09-12T17:00");
	struct action_result ar;
	assert_rc(action_perform(&f->svc, &spec, id, "extend", 4, &p, &ar, &e), ERR_OK);
	assert_rc(issue(f, &off, id, "apology", &pdf, &e), ERR_OK);
	documents_pdf_release(&pdf);
	act(f, &appr, id, "stop", 5, "không đủ điều kiện");
	assert_rc(issue(f, &off, id, "stop", &pdf, &e), ERR_OK);
	documents_pdf_release(&pdf);
	assert_rc(issue(f, &off, id, "refusal", &pdf, &e), ERR_FORM_NOT_APPLICABLE);
	documents_pdf_release(&pdf);
}

/* Received before 1/7/2025: the 2018 set, which has no stop notice. */
static void test_set_2018(void **state)
{
	struct fx *f = *state;
	fx_at(f, "2025-06-25T09:00");
	char id[DBD_ID_SIZE];
	receive(f, id, NULL);
	struct actor off, spec, appr;
	FX_OFF_A(&off);
	FX_SPEC_B1(&spec);
	FX_APPR_B(&appr);
	struct documents_pdf pdf;
	struct err e = {0};
	assert_rc(issue(f, &off, id, "receipt", &pdf, &e), ERR_OK);
	assert_string_equal(pdf.set, "2018");
	documents_pdf_release(&pdf);
	act(f, &spec, id, "take", 1, NULL);
	act(f, &appr, id, "stop", 2, "người nộp rút yêu cầu");
	fx_at(f, "2025-08-27T09:00"); /* asked after the switch: still the 2018 set */
	assert_rc(issue(f, &off, id, "stop", &pdf, &e), ERR_FORM_NOT_APPLICABLE);
	assert_non_null(strstr(e.detail, "2018 set"));
	documents_pdf_release(&pdf);
	assert_rc(issue(f, &off, id, "control", &pdf, &e), ERR_OK);
	assert_string_equal(pdf.set, "2018");
	documents_pdf_release(&pdf);
}

/* A dossier refused at the counter has a refusal, and no receipt or control form. */
static void test_refused(void **state)
{
	struct fx *f = *state;
	struct actor off;
	FX_OFF_A(&off);
	struct intake_request r;
	fx_an(&r, "T.SIGN");
	r.n_components = 0;
	struct intake_result out;
	struct err e = {0};
	assert_rc(intake_refuse(&f->svc, &off, &r, "thiếu tờ khai", &out, &e), ERR_OK);
	struct documents_pdf pdf;
	assert_rc(issue(f, &off, out.id, "refusal", &pdf, &e), ERR_OK);
	assert_string_equal(pdf.set, "2025");
	char name[64];
	snprintf(name, sizeof name, "refusal-%s.pdf", out.id); /* no code: the id */
	assert_string_equal(pdf.filename, name);
	documents_pdf_release(&pdf);
	assert_rc(issue(f, &off, out.id, "receipt", &pdf, &e), ERR_FORM_NOT_APPLICABLE);
	documents_pdf_release(&pdf);
	assert_rc(issue(f, &off, out.id, "control", &pdf, &e), ERR_FORM_NOT_APPLICABLE);
	documents_pdf_release(&pdf);
}

/* Signs the first n bytes of data with seed (hex) or a fresh key, as code, into out. */
static void resign(const char *data, size_t n, const char *seed_hex, const char *code,
                   struct buf *out)
{
	struct signature_key k;
	if (seed_hex) {
		unsigned char seed[SIG_SEED_BYTES];
		assert_int_equal(signature_unhex(seed_hex, seed, sizeof seed), 0);
		signature_key_from_seed(&k, seed);
	} else {
		signature_key_generate(&k);
	}
	buf_reset(out);
	assert_int_equal(buf_append(out, data, n), 0);
	unsigned char h[SIG_HASH_BYTES], sig[SIG_BYTES];
	signature_hash(out->data, out->len, h);
	signature_sign(&k, code, h, sig);
	struct err e;
	assert_int_equal(signature_append(out, k.id, code, sig, &e), ERR_OK);
	signature_key_wipe(&k);
}

static void expect_verdict(struct fx *f, const struct buf *b, const char *reason)
{
	struct documents_verdict v;
	struct err e = {0};
	assert_rc(documents_verify_file(&f->svc, b->data, b->len, &v, &e), ERR_OK);
	assert_false(v.valid);
	assert_string_equal(v.reason, reason);
}

static void test_verify_failures(void **state)
{
	struct fx *f = *state;
	char id[DBD_ID_SIZE];
	receive(f, id, NULL);
	struct actor off;
	FX_OFF_A(&off);
	struct documents_pdf pdf;
	struct err e = {0};
	assert_rc(issue(f, &off, id, "receipt", &pdf, &e), ERR_OK);
	struct signature_trailer t;
	assert_rc(signature_parse(pdf.bytes.data, pdf.bytes.len, &t, &e), ERR_OK);
	struct buf b = BUF_INIT(PDF_MAX_BYTES + 1024);

	/* one byte changed anywhere in the signed part */
	buf_append(&b, pdf.bytes.data, pdf.bytes.len);
	b.data[t.signed_len / 2] ^= 0x01;
	expect_verdict(f, &b, "tampered");
	b.data[t.signed_len / 2] ^= 0x01;
	b.data[10] ^= 0x20;
	expect_verdict(f, &b, "tampered");
	/* the trailer cut off, or changed */
	expect_verdict(f, &(struct buf){pdf.bytes.data, t.signed_len, 0, 0}, "unsigned");
	buf_reset(&b);
	buf_append(&b, pdf.bytes.data, pdf.bytes.len);
	char *sigpos = strstr(b.data + t.signed_len, "sig=");
	assert_non_null(sigpos);
	sigpos[4] = sigpos[4] == '0' ? '1' : '0';
	expect_verdict(f, &b, "tampered");
	buf_reset(&b);
	buf_append(&b, pdf.bytes.data, t.signed_len);
	buf_puts(&b, "%motcua-signature v1 key=zz code=x sig=y\n");
	expect_verdict(f, &b, "malformed");
	/* another code put in the trailer: the signature binds the code */
	char other[SIG_CODE_LEN];
	signature_new_code(other);
	buf_reset(&b);
	buf_append(&b, pdf.bytes.data, pdf.bytes.len);
	char *codepos = strstr(b.data + t.signed_len, pdf.code);
	assert_non_null(codepos);
	memcpy(codepos, other, SIG_CODE_LEN - 1);
	expect_verdict(f, &b, "tampered");
	/* signed by a key this centre never had */
	resign(pdf.bytes.data, t.signed_len, NULL, pdf.code, &b);
	expect_verdict(f, &b, "unknown_key");
	/* signed by the centre's key but never registered (someone with the seed) */
	char seed[SIG_HEX32_LEN];
	str_copy(seed, sizeof seed,
	         fx_text(f, "SELECT seed FROM signing_key WHERE current = 1 AND $1 = $1", ""));
	assert_int_equal(strlen(seed), 64);
	resign(pdf.bytes.data, t.signed_len, seed, other, &b);
	expect_verdict(f, &b, "not_registered");
	/* signed by the centre's key with a registered code, but other bytes */
	struct buf changed = BUF_INIT(PDF_MAX_BYTES);
	buf_append(&changed, pdf.bytes.data, t.signed_len);
	changed.data[20] ^= 0x01;
	resign(changed.data, changed.len, seed, pdf.code, &b);
	expect_verdict(f, &b, "mismatch");
	buf_release(&changed);
	/* too large to read */
	struct documents_verdict v;
	assert_rc(documents_verify_file(&f->svc, pdf.bytes.data, DOCUMENTS_VERIFY_MAX + 1u, &v, &e),
	          ERR_TOO_LONG);
	buf_release(&b);
	documents_pdf_release(&pdf);
}

static void test_verify_code(void **state)
{
	struct fx *f = *state;
	char id[DBD_ID_SIZE], code[DBD_KEY_SIZE];
	receive(f, id, code);
	struct actor off;
	FX_OFF_A(&off);
	struct documents_pdf pdf;
	struct documents_verdict v;
	struct err e = {0};
	assert_rc(issue(f, &off, id, "control", &pdf, &e), ERR_OK);
	assert_rc(documents_verify_code(&f->svc, pdf.code, &v, &e), ERR_OK);
	assert_true(v.valid);
	assert_string_equal(v.doc.form, "control");
	assert_string_equal(v.doc.dossier_code, code);
	char lower[SIG_CODE_LEN];
	for (size_t i = 0; i < sizeof lower; i++)
		lower[i] = (char)(pdf.code[i] >= 'A' && pdf.code[i] <= 'Z' ? pdf.code[i] + 32
		                                                           : pdf.code[i]);
	assert_rc(documents_verify_code(&f->svc, lower, &v, &e), ERR_OK);
	assert_string_equal(v.code, pdf.code);
	assert_rc(documents_verify_code(&f->svc, "0000-0000-0000", &v, &e), ERR_NOT_FOUND);
	assert_rc(documents_verify_code(&f->svc, "0000-0000", &v, &e), ERR_INVALID_ARGUMENT);
	assert_rc(documents_verify_code(&f->svc, NULL, &v, &e), ERR_INVALID_ARGUMENT);
	documents_pdf_release(&pdf);
}

static void test_keys(void **state)
{
	struct fx *f = *state;
	char id[DBD_ID_SIZE];
	receive(f, id, NULL);
	struct actor off, sys, admin;
	FX_OFF_A(&off);
	service_system_actor(&sys, "test");
	fx_staff(&admin, "admin", ROLE_ADMIN, NULL);
	struct documents_pdf before;
	struct err e = {0};
	assert_rc(issue(f, &off, id, "receipt", &before, &e), ERR_OK);
	struct documents_key k;
	char retired[SIG_KEY_ID_LEN];
	assert_rc(documents_key_generate(&f->svc, &sys, false, &k, retired, &e), ERR_DB_CONFLICT);
	assert_rc(documents_key_generate(&f->svc, &off, true, &k, retired, &e), ERR_FORBIDDEN);
	struct documents_verdict v;
	assert_rc(documents_verify_file(&f->svc, before.bytes.data, before.bytes.len, &v, &e),
	          ERR_OK);
	char old[SIG_KEY_ID_LEN];
	str_copy(old, sizeof old, v.doc.key_id);

	fx_at(f, "2025-08-27T11:00");
	assert_rc(documents_key_generate(&f->svc, &admin, true, &k, retired, &e), ERR_OK);
	assert_string_equal(retired, old);
	assert_true(k.current);
	assert_string_not_equal(k.id, old);
	assert_int_equal(
	        fx_int(f, "SELECT count(*) FROM audit WHERE action = $1", "signing_key.rotate"), 1);

	/* the old document still verifies, by its retired key */
	assert_rc(documents_verify_file(&f->svc, before.bytes.data, before.bytes.len, &v, &e),
	          ERR_OK);
	assert_true(v.valid);
	assert_false(v.key_current);
	assert_int_equal(v.key_retired_at, fx_time("2025-08-27T11:00"));
	/* a new one is signed by the new key */
	struct documents_pdf after;
	assert_rc(issue(f, &off, id, "receipt", &after, &e), ERR_OK);
	assert_rc(documents_verify_file(&f->svc, after.bytes.data, after.bytes.len, &v, &e),
	          ERR_OK);
	assert_string_equal(v.doc.key_id, k.id);
	assert_true(v.key_current);

	struct documents_key *keys;
	size_t n;
	assert_rc(documents_keys(&f->svc, &keys, &n, &e), ERR_OK);
	size_t current = 0;
	for (size_t i = 0; i < n; i++)
		current += keys[i].current;
	assert_int_equal(current, 1);
	assert_string_equal(keys[n - 1].id, k.id);
	free(keys);

	/* the database keeps keys and the register unchanged */
	struct db_conn *c = tmpdb_conn(f->db);
	assert_int_not_equal(db_exec(c, "DELETE FROM signing_key", DB_NOARGS, NULL, &e), ERR_OK);
	assert_int_not_equal(db_exec(c, "UPDATE signing_key SET seed = 'x'", DB_NOARGS, NULL, &e),
	                     ERR_OK);
	assert_int_not_equal(
	        db_exec(c, "UPDATE issued_document SET sha256 = 'x'", DB_NOARGS, NULL, &e), ERR_OK);
	assert_int_not_equal(db_exec(c, "DELETE FROM issued_document", DB_NOARGS, NULL, &e),
	                     ERR_OK);
	documents_pdf_release(&before);
	documents_pdf_release(&after);
}

static void test_tracking_book(void **state)
{
	struct fx *f = *state;
	char id[DBD_ID_SIZE];
	receive(f, id, NULL);
	struct actor a;
	struct documents_pdf pdf;
	struct err e = {0};
	int64_t from = fx_day("2025-08-01"), to = fx_day("2025-08-31");
	int64_t reads =
	        fx_int(f, "SELECT count(*) FROM audit WHERE action = $1", "tracking_book.read");
	FX_OFF_A(&a);
	assert_rc(documents_tracking_book(&f->svc, &a, "CN-A", from, to, &pdf, &e), ERR_OK);
	assert_string_equal(pdf.set, "2025");
	assert_string_equal(pdf.filename, "tracking-book-CN-A-2025-08-01-2025-08-31.pdf");
	struct documents_verdict v;
	assert_rc(documents_verify_file(&f->svc, pdf.bytes.data, pdf.bytes.len, &v, &e), ERR_OK);
	assert_true(v.valid);
	assert_string_equal(v.doc.form, "tracking_book");
	assert_string_equal(v.doc.unit_code, "CN-A");
	assert_int_equal(v.doc.period_from, from);
	assert_int_equal(v.doc.period_to, to);
	assert_string_equal(v.doc.dossier_code, "");
	documents_pdf_release(&pdf);
	assert_int_equal(
	        fx_int(f, "SELECT count(*) FROM audit WHERE action = $1", "tracking_book.read"),
	        reads + 1);
	/* a period from June 2025: the 2018 set */
	assert_rc(documents_tracking_book(&f->svc, &a, "CN-A", fx_day("2025-06-01"), to, &pdf, &e),
	          ERR_OK);
	assert_string_equal(pdf.set, "2018");
	documents_pdf_release(&pdf);
	/* 366 days at most */
	assert_rc(documents_tracking_book(&f->svc, &a, "CN-A", fx_day("2024-09-01"),
	                                  fx_day("2025-09-01"), &pdf, &e),
	          ERR_OK); /* 2025 is not a leap year: 366 days */
	documents_pdf_release(&pdf);
	assert_rc(documents_tracking_book(&f->svc, &a, "CN-A", fx_day("2024-09-01"),
	                                  fx_day("2025-09-02"), &pdf, &e),
	          ERR_OUT_OF_RANGE);
	documents_pdf_release(&pdf);
	assert_rc(documents_tracking_book(&f->svc, &a, "CN-A", to, from, &pdf, &e),
	          ERR_INVALID_ARGUMENT);
	documents_pdf_release(&pdf);

	FX_OFF_C(&a);
	assert_rc(documents_tracking_book(&f->svc, &a, "CN-A", from, to, &pdf, &e), ERR_FORBIDDEN);
	documents_pdf_release(&pdf);
	FX_LEADER(&a);
	assert_rc(documents_tracking_book(&f->svc, &a, "CN-A", from, to, &pdf, &e), ERR_OK);
	documents_pdf_release(&pdf);
	fx_staff(&a, "sup", ROLE_SUPERVISOR, NULL);
	assert_rc(documents_tracking_book(&f->svc, &a, "CN-C", from, to, &pdf, &e), ERR_OK);
	documents_pdf_release(&pdf);
	assert_rc(documents_tracking_book(&f->svc, &a, "PV-X", from, to, &pdf, &e), ERR_NOT_FOUND);
	documents_pdf_release(&pdf);
	assert_rc(documents_tracking_book(&f->svc, &a, "CN-Z", from, to, &pdf, &e), ERR_NOT_FOUND);
	documents_pdf_release(&pdf);
	assert_rc(documents_tracking_book(&f->svc, &a, "", from, to, &pdf, &e), ERR_NOT_FOUND);
	documents_pdf_release(&pdf);
	FX_SPEC_B1(&a);
	assert_rc(documents_tracking_book(&f->svc, &a, "CN-A", from, to, &pdf, &e), ERR_FORBIDDEN);
	documents_pdf_release(&pdf);
	fx_citizen(&a, "cit-an");
	assert_rc(documents_tracking_book(&f->svc, &a, "CN-A", from, to, &pdf, &e), ERR_FORBIDDEN);
	documents_pdf_release(&pdf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(test_config, fx_setup, fx_teardown),
	        cmocka_unit_test_setup_teardown(test_receipt, fx_setup, fx_teardown),
	        cmocka_unit_test_setup_teardown(test_access, fx_setup, fx_teardown),
	        cmocka_unit_test_setup_teardown(test_not_applicable, fx_setup, fx_teardown),
	        cmocka_unit_test_setup_teardown(test_set_2018, fx_setup, fx_teardown),
	        cmocka_unit_test_setup_teardown(test_refused, fx_setup, fx_teardown),
	        cmocka_unit_test_setup_teardown(test_verify_failures, fx_setup, fx_teardown),
	        cmocka_unit_test_setup_teardown(test_verify_code, fx_setup, fx_teardown),
	        cmocka_unit_test_setup_teardown(test_keys, fx_setup, fx_teardown),
	        cmocka_unit_test_setup_teardown(test_tracking_book, fx_setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
