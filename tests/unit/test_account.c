/*
 * Unit tests for service/account and db/db_account: password hashing and
 * policy, identifiers, staff / system / citizen / business accounts, login
 * (success, the same failure for an unknown user and a wrong password,
 * disabled accounts, rate limits per username and per address and their
 * reset after the window), sessions (secret stored only as its SHA-256,
 * CSRF token, expiry and sliding last_seen with a fixed clock, logout),
 * API tokens, password changes, and the bound on concurrent hashing.
 *
 * Each test gets a fresh SQLite database migrated with the embedded
 * migrations, two units, a hand-made struct service with a fixed clock,
 * and the cheapest Argon2id cost libsodium allows (opslimit 1, 8 KiB).
 *
 * Sources of expected values: the Argon2id string form "$argon2id$v=19$
 * m=KiB,t=PASSES,p=1$" is the PHC string format used by libsodium
 * (crypto_pwhash_str, libsodium documentation "Password hashing");
 * NIST SP 800-63B section 5.1.1.2 for counting password length in
 * characters; Circular 105/2020/TT-BTC Article 5 for the tax code layout;
 * the 12-digit ID number 001199012345 decodes as Hà Nội (001), a woman
 * born in the 1900s (digit 1), in 1999 (Decree 137/2015/NĐ-CP Article 13).
 * Everything else follows from the configuration set here (session_hours
 * 10, api_token_days 365, 3 failures per username and 5 per address in
 * 900 s).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/config.h"
#include "base/log.h"
#include "db/db.h"
#include "domain/lifecycle.h"
#include "service/account.h"
#include "service/audit.h"

#include "tmpdb_fixture.h"

#define T0              1751331600 /* 2025-07-01T08:00+07:00 */
#define PW              "correct horse battery"
#define SESSION_SECONDS (10 * 3600)

static char tmpdir[256];
static struct db *db;
static struct config cfg;
static struct service svc;
static struct accounts acc;
static struct actor sys;

static struct db_conn *conn(void)
{
	return tmpdb_conn(db);
}

static void set_option(const char *name, const char *value)
{
	struct err e;
	if (config_set(&cfg, name, value, CONFIG_FROM_ENV, &e) != ERR_OK)
		fail_msg("config_set %s: %s", name, e.detail);
}

static int setup(void **state)
{
	(void)state;
	struct err e;
	struct db_conn *c;
	if (tmpdb_setup(tmpdir, sizeof tmpdir, "account", &db) != 0 ||
	    db_thread_conn(db, &c, &e) != ERR_OK)
		return -1;
	if (db_exec(c,
	            "INSERT INTO unit (code, kind, name_vi, name_en, name_folded) VALUES "
	            "('B01', 'branch', 'Chi nhánh số 1', 'Branch 1', 'chi nhanh so 1'), "
	            "('SXD', 'department', 'Sở Xây dựng', 'Department of Construction', 'so xay "
	            "dung')",
	            DB_NOARGS, NULL, &e) != ERR_OK)
		return -1;
	config_defaults(&cfg);
	set_option("password_opslimit", "1");
	set_option("password_memlimit_kib", "8");
	set_option("login_max_failures", "3");
	set_option("login_max_failures_per_address", "5");
	set_option("login_window_seconds", "900");
	memset(&svc, 0, sizeof svc);
	svc.db = db;
	svc.cfg = &cfg;
	svc.clock.fixed = true;
	svc.clock.at = T0;
	if (accounts_init(&acc, &svc, &e) != ERR_OK || accounts_prepare_login(&acc, &e) != ERR_OK) {
		fprintf(stderr, "accounts_init: %s\n", e.detail);
		return -1;
	}
	service_system_actor(&sys, "test");
	log_set_level(LOG_ERROR); /* failed logins are logged at info and warn */
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	accounts_release(&acc);
	tmpdb_teardown(tmpdir, db);
	return 0;
}

static int64_t count(const char *sql, const char *arg)
{
	int64_t n = -1;
	if (arg)
		assert_int_equal(db_query_int64(conn(), sql, DB_ARGS(db_text(arg)), &n, NULL),
		                 ERR_OK);
	else
		assert_int_equal(db_query_int64(conn(), sql, DB_NOARGS, &n, NULL), ERR_OK);
	return n;
}

static int64_t audits(const char *action)
{
	return count("SELECT count(*) FROM audit WHERE action = $1", action);
}

static void add_staff(const char *username, unsigned roles, const char *unit, const char *pw)
{
	struct account_new in = {username, roles, unit, "Nguyễn Văn An", pw};
	struct err e;
	if (account_create(&acc, &sys, &in, NULL, &e) != ERR_OK)
		fail_msg("account_create %s: %s", username, e.detail);
}

static enum err_code login(const char *user, const char *pw, const char *addr,
                           struct session_new *out, int64_t *retry, struct err *e)
{
	return account_login(&acc, user, pw, addr, out, retry, e);
}

static void staff_actor(struct actor *a, const char *username)
{
	struct account_info info;
	assert_int_equal(account_get(&acc, username, &info, NULL), ERR_OK);
	struct session_info s;
	memset(&s, 0, sizeof s);
	s.account = info;
	account_session_actor(&s, "198.51.100.1", a);
}

/* ---- passwords ---- */

static void test_hash_and_verify(void **state)
{
	(void)state;
	char h1[ACCOUNT_HASH_MAX], h2[ACCOUNT_HASH_MAX];
	bool ok = false;
	struct err e;
	assert_int_equal(account_password_hash(&acc, PW, h1, &e), ERR_OK);
	assert_int_equal(account_password_hash(&acc, PW, h2, &e), ERR_OK);
	/* Argon2id with the configured cost, in the PHC string form. */
	assert_true(strncmp(h1, "$argon2id$v=19$m=8,t=1,p=1$", 27) == 0);
	assert_string_not_equal(h1, h2); /* random salt */
	assert_int_equal(account_password_verify(&acc, h1, PW, &ok, &e), ERR_OK);
	assert_true(ok);
	assert_int_equal(account_password_verify(&acc, h2, PW, &ok, &e), ERR_OK);
	assert_true(ok);
	assert_int_equal(account_password_verify(&acc, h1, PW "x", &ok, &e), ERR_OK);
	assert_false(ok);
	assert_int_equal(account_password_verify(&acc, h1, "", &ok, &e), ERR_OK);
	assert_false(ok);
	assert_int_equal(account_password_verify(&acc, "not a hash", PW, &ok, &e), ERR_OK);
	assert_false(ok);
	assert_int_equal(account_password_verify(&acc, NULL, PW, &ok, &e), ERR_OK);
	assert_false(ok);
}

static void test_password_policy(void **state)
{
	(void)state;
	struct err e;
	/* Minimum 10 characters (configured default), counted as characters. */
	assert_int_equal(account_password_check(&acc, "an", "123456789", &e), ERR_WEAK_PASSWORD);
	assert_int_equal(account_password_check(&acc, "an", "1234567890", &e), ERR_OK);
	/* "mậtkhẩu" is 7 characters in 11 bytes: too short. */
	assert_int_equal(account_password_check(&acc, NULL, "mậtkhẩu", &e), ERR_WEAK_PASSWORD);
	/* "mậtkhẩuhaylắm" is 13 characters. */
	assert_int_equal(account_password_check(&acc, NULL, "mậtkhẩuhaylắm", &e), ERR_OK);
	/* The username inside, in any case. */
	assert_int_equal(account_password_check(&acc, "an.nguyen", "xxAN.NGUYENxx", &e),
	                 ERR_WEAK_PASSWORD);
	assert_non_null(strstr(e.detail, "username"));
	assert_int_equal(account_password_check(&acc, "an.nguyen", "an.nguye-n2025", &e), ERR_OK);
	assert_int_equal(account_password_check(&acc, NULL, "", &e), ERR_MISSING_ARGUMENT);
	assert_int_equal(account_password_check(&acc, NULL, NULL, &e), ERR_MISSING_ARGUMENT);
	assert_int_equal(account_password_check(&acc, NULL, "abcdefghij\xff", &e),
	                 ERR_INVALID_ARGUMENT);
	char big[ACCOUNT_PASSWORD_MAX + 2];
	memset(big, 'p', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	assert_int_equal(account_password_check(&acc, NULL, big, &e), ERR_TOO_LONG);
	big[ACCOUNT_PASSWORD_MAX] = '\0';
	assert_int_equal(account_password_check(&acc, NULL, big, &e), ERR_OK);
}

/* ---- identifiers ---- */

static void test_identifiers(void **state)
{
	(void)state;
	char u[SERVICE_USERNAME_MAX], p[ACCOUNT_PHONE_MAX];
	struct err e;
	assert_int_equal(account_username_normalize("An.Nguyen", u, &e), ERR_OK);
	assert_string_equal(u, "an.nguyen");
	assert_int_equal(account_username_normalize("001199012345", u, &e), ERR_OK);
	assert_int_equal(account_username_normalize("0101234567-001", u, &e), ERR_OK);
	assert_int_equal(account_username_normalize("ab", u, &e), ERR_INVALID_ARGUMENT);
	assert_int_equal(account_username_normalize("abc", u, &e), ERR_OK);
	assert_int_equal(account_username_normalize(".abc", u, &e), ERR_INVALID_ARGUMENT);
	assert_int_equal(account_username_normalize("a b c", u, &e), ERR_INVALID_ARGUMENT);
	assert_int_equal(account_username_normalize("an@x", u, &e), ERR_INVALID_ARGUMENT);
	assert_int_equal(account_username_normalize("nguyễn", u, &e), ERR_INVALID_ARGUMENT);
	assert_int_equal(account_username_normalize("", u, &e), ERR_MISSING_ARGUMENT);
	char long_name[SERVICE_USERNAME_MAX + 1];
	memset(long_name, 'a', SERVICE_USERNAME_MAX);
	long_name[SERVICE_USERNAME_MAX] = '\0';
	assert_int_equal(account_username_normalize(long_name, u, &e), ERR_INVALID_ARGUMENT);
	long_name[SERVICE_USERNAME_MAX - 1] = '\0';
	assert_int_equal(account_username_normalize(long_name, u, &e), ERR_OK);

	/* Tax codes: 10 digits, or 10 digits - 3 digits (Circular 105/2020/TT-BTC Art. 5). */
	assert_int_equal(account_tax_code_check("0101234567", &e), ERR_OK);
	assert_int_equal(account_tax_code_check("0101234567-001", &e), ERR_OK);
	assert_int_equal(account_tax_code_check("010123456", &e), ERR_INVALID_TAX_CODE);
	assert_int_equal(account_tax_code_check("01012345678", &e), ERR_INVALID_TAX_CODE);
	assert_int_equal(account_tax_code_check("0101234567001", &e), ERR_INVALID_TAX_CODE);
	assert_int_equal(account_tax_code_check("0101234567-01", &e), ERR_INVALID_TAX_CODE);
	assert_int_equal(account_tax_code_check("010123456A", &e), ERR_INVALID_TAX_CODE);
	assert_int_equal(account_tax_code_check("0101234567-0A1", &e), ERR_INVALID_TAX_CODE);
	assert_int_equal(account_tax_code_check("", &e), ERR_INVALID_TAX_CODE);
	assert_int_equal(account_tax_code_check(NULL, &e), ERR_INVALID_TAX_CODE);

	/* Phones: 10 digits starting with 0, or +84 and 9 digits. */
	assert_int_equal(account_phone_normalize("0912345678", p, &e), ERR_OK);
	assert_string_equal(p, "0912345678");
	assert_int_equal(account_phone_normalize("+84 912 345 678", p, &e), ERR_OK);
	assert_string_equal(p, "0912345678");
	assert_int_equal(account_phone_normalize("0912.345.678", p, &e), ERR_OK);
	assert_string_equal(p, "0912345678");
	assert_int_equal(account_phone_normalize("091234567", p, &e), ERR_INVALID_ARGUMENT);
	assert_int_equal(account_phone_normalize("09123456789", p, &e), ERR_INVALID_ARGUMENT);
	assert_int_equal(account_phone_normalize("0012345678", p, &e), ERR_INVALID_ARGUMENT);
	assert_int_equal(account_phone_normalize("091234567x", p, &e), ERR_INVALID_ARGUMENT);
	assert_int_equal(account_phone_normalize("", p, &e), ERR_INVALID_ARGUMENT);

	assert_int_equal(account_email_check("an@example.vn", &e), ERR_OK);
	assert_int_equal(account_email_check("an@localhost", &e), ERR_INVALID_ARGUMENT);
	assert_int_equal(account_email_check("@example.vn", &e), ERR_INVALID_ARGUMENT);
	assert_int_equal(account_email_check("an@@example.vn", &e), ERR_INVALID_ARGUMENT);
	assert_int_equal(account_email_check("a n@example.vn", &e), ERR_INVALID_ARGUMENT);
	assert_int_equal(account_email_check("an@example.", &e), ERR_INVALID_ARGUMENT);
	assert_int_equal(account_email_check("an@.vn", &e), ERR_INVALID_ARGUMENT);
}

/* ---- creating accounts ---- */

static void test_create_staff(void **state)
{
	(void)state;
	struct account_info info;
	struct err e;
	struct account_new in = {"An.Nguyen", ROLE_OFFICER, "B01", "Nguyễn Văn An", PW};
	assert_int_equal(account_create(&acc, &sys, &in, &info, &e), ERR_OK);
	assert_string_equal(info.username, "an.nguyen");
	assert_int_equal(info.kind, ACTOR_STAFF);
	assert_int_equal(info.roles, ROLE_OFFICER);
	assert_string_equal(info.unit_code, "B01");
	assert_true(info.has_password);
	assert_false(info.disabled);
	assert_int_equal(info.created_at, T0);
	assert_int_equal(strlen(info.id), SERVICE_ID_LEN - 1);
	assert_int_equal(audits("account.create"), 1);
	/* The password is stored only as an Argon2id hash. */
	assert_int_equal(
	        count("SELECT count(*) FROM account WHERE password_hash LIKE '$argon2id$%'", NULL),
	        1);
	assert_int_equal(
	        count("SELECT count(*) FROM account WHERE password_hash LIKE $1", "%horse%"), 0);

	/* The same username again (in another case). */
	in.username = "an.NGUYEN";
	assert_int_equal(account_create(&acc, &sys, &in, NULL, &e), ERR_DB_CONFLICT);
	assert_non_null(strstr(e.detail, "taken"));

	/* Units and roles. */
	struct account_new bad = {"binh", ROLE_OFFICER, "SXD", "Trần Bình", NULL};
	assert_int_equal(account_create(&acc, &sys, &bad, NULL, &e), ERR_INVALID_ARGUMENT);
	bad.roles = ROLE_SPECIALIST;
	bad.unit_code = "B01";
	assert_int_equal(account_create(&acc, &sys, &bad, NULL, &e), ERR_INVALID_ARGUMENT);
	bad.unit_code = NULL;
	assert_int_equal(account_create(&acc, &sys, &bad, NULL, &e), ERR_MISSING_ARGUMENT);
	bad.unit_code = "NOPE";
	assert_int_equal(account_create(&acc, &sys, &bad, NULL, &e), ERR_NOT_FOUND);
	bad.unit_code = "SXD";
	bad.roles = ROLE_OFFICER | ROLE_APPROVER;
	assert_int_equal(account_create(&acc, &sys, &bad, NULL, &e), ERR_INVALID_ARGUMENT);
	bad.roles = ROLE_APPLICANT;
	assert_int_equal(account_create(&acc, &sys, &bad, NULL, &e), ERR_INVALID_ARGUMENT);
	bad.roles = ROLE_SYSTEM | ROLE_ADMIN;
	assert_int_equal(account_create(&acc, &sys, &bad, NULL, &e), ERR_INVALID_ARGUMENT);
	bad.roles = 0;
	assert_int_equal(account_create(&acc, &sys, &bad, NULL, &e), ERR_INVALID_ARGUMENT);
	bad.roles = 1u << 12;
	assert_int_equal(account_create(&acc, &sys, &bad, NULL, &e), ERR_INVALID_ARGUMENT);
	bad.roles = ROLE_SPECIALIST | ROLE_APPROVER;
	bad.full_name = "";
	assert_int_equal(account_create(&acc, &sys, &bad, NULL, &e), ERR_MISSING_ARGUMENT);
	bad.full_name = "Trần\tBình";
	assert_int_equal(account_create(&acc, &sys, &bad, NULL, &e), ERR_INVALID_ARGUMENT);
	bad.full_name = "Trần Bình";
	bad.password = "short";
	assert_int_equal(account_create(&acc, &sys, &bad, NULL, &e), ERR_WEAK_PASSWORD);
	bad.password = "binh-binh-binh";
	assert_int_equal(account_create(&acc, &sys, &bad, NULL, &e), ERR_WEAK_PASSWORD);
	assert_int_equal(count("SELECT count(*) FROM account", NULL), 1);
	assert_int_equal(audits("account.create"), 1);

	/* A specialist at the department; a leader without a unit; a system account. */
	bad.password = NULL;
	assert_int_equal(account_create(&acc, &sys, &bad, &info, &e), ERR_OK);
	assert_false(info.has_password);
	struct account_new leader = {"lanh.dao", ROLE_LEADER, NULL, "Lãnh Đạo", PW};
	assert_int_equal(account_create(&acc, &sys, &leader, NULL, &e), ERR_OK);
	struct account_new portal = {"portal", ROLE_SYSTEM, NULL, "Cổng DVC quốc gia", NULL};
	assert_int_equal(account_create(&acc, &sys, &portal, &info, &e), ERR_OK);
	assert_int_equal(info.kind, ACTOR_SYSTEM);
	portal.username = "post";
	portal.password = PW;
	assert_int_equal(account_create(&acc, &sys, &portal, NULL, &e), ERR_INVALID_ARGUMENT);

	/* Only the system or an admin may create accounts. */
	struct actor officer, admin;
	staff_actor(&officer, "an.nguyen");
	struct account_new x = {"khac", ROLE_LEADER, NULL, "Người Khác", NULL};
	assert_int_equal(account_create(&acc, &officer, &x, NULL, &e), ERR_FORBIDDEN);
	add_staff("quan.tri", ROLE_ADMIN, NULL, PW);
	staff_actor(&admin, "quan.tri");
	assert_int_equal(account_create(&acc, &admin, &x, NULL, &e), ERR_OK);
	char actor_text[AUDIT_ACTOR_MAX];
	assert_int_equal(db_query_text(conn(),
	                               "SELECT actor FROM audit WHERE object = 'account:khac'",
	                               DB_NOARGS, actor_text, sizeof actor_text, NULL),
	                 ERR_OK);
	assert_string_equal(actor_text, "staff:quan.tri@198.51.100.1");
}

static void test_register(void **state)
{
	(void)state;
	struct account_info info;
	struct err e;
	int64_t before = count("SELECT count(*) FROM audit", NULL);
	struct account_registration r = {ACTOR_CITIZEN,      "001199012345",    NULL,
	                                 "Lê Thị Hoa",       "+84 912 345 678", NULL,
	                                 "hoa-mat-khau-2025"};
	assert_int_equal(account_register(&acc, &r, &info, &e), ERR_OK);
	assert_string_equal(info.username, "001199012345");
	assert_string_equal(info.id_number, "001199012345");
	assert_string_equal(info.phone, "0912345678");
	assert_int_equal(info.kind, ACTOR_CITIZEN);
	assert_int_equal(info.roles, ROLE_APPLICANT);
	assert_int_equal(account_register(&acc, &r, NULL, &e), ERR_DB_CONFLICT);

	struct session_new s;
	assert_int_equal(login("001199012345", "hoa-mat-khau-2025", NULL, &s, NULL, &e), ERR_OK);
	assert_int_equal(s.account.kind, ACTOR_CITIZEN);

	struct account_registration b = {ACTOR_BUSINESS,         NULL, "0101234567-001",
	                                 "Công ty TNHH A",       NULL, "ketoan@congty-a.vn",
	                                 "mat-khau-doanh-nghiep"};
	assert_int_equal(account_register(&acc, &b, &info, &e), ERR_OK);
	assert_string_equal(info.username, "0101234567-001");
	assert_string_equal(info.tax_code, "0101234567-001");
	assert_int_equal(info.kind, ACTOR_BUSINESS);

	/* Citizen registrations are not audited (no staff involved). */
	assert_int_equal(count("SELECT count(*) FROM audit", NULL), before);

	/* Failures. */
	r.id_number = "001199012346x";
	assert_int_equal(account_register(&acc, &r, NULL, &e), ERR_INVALID_CCCD);
	r.id_number = "999199012345"; /* no such place code */
	assert_int_equal(account_register(&acc, &r, NULL, &e), ERR_INVALID_CCCD);
	r.id_number = "001099012345";
	r.phone = NULL;
	assert_int_equal(account_register(&acc, &r, NULL, &e), ERR_MISSING_ARGUMENT);
	r.phone = "12345";
	assert_int_equal(account_register(&acc, &r, NULL, &e), ERR_INVALID_ARGUMENT);
	r.phone = NULL;
	r.email = "not-an-email";
	assert_int_equal(account_register(&acc, &r, NULL, &e), ERR_INVALID_ARGUMENT);
	r.email = "an@example.vn";
	r.password = "x001099012345x";
	assert_int_equal(account_register(&acc, &r, NULL, &e), ERR_WEAK_PASSWORD);
	b.tax_code = "01012345";
	assert_int_equal(account_register(&acc, &b, NULL, &e), ERR_INVALID_TAX_CODE);
	b.kind = ACTOR_STAFF;
	assert_int_equal(account_register(&acc, &b, NULL, &e), ERR_INVALID_ARGUMENT);
	assert_int_equal(count("SELECT count(*) FROM account", NULL), 2);
}

/* ---- login and sessions ---- */

static void test_login_success(void **state)
{
	(void)state;
	struct session_new s;
	struct session_info si;
	struct err e;
	char hash[65];
	add_staff("an.nguyen", ROLE_OFFICER, "B01", PW);
	assert_int_equal(login("AN.NGUYEN", PW, "203.0.113.7", &s, NULL, &e), ERR_OK);
	assert_int_equal(strlen(s.secret), 43);
	assert_int_equal(strlen(s.csrf), 43);
	assert_string_not_equal(s.secret, s.csrf);
	assert_int_equal(s.expires_at, T0 + SESSION_SECONDS);
	assert_string_equal(s.account.username, "an.nguyen");
	assert_int_equal(s.account.roles, ROLE_OFFICER);

	/* Only the SHA-256 of the secret is stored. */
	unsigned char sum[32];
	crypto_hash_sha256(sum, (const unsigned char *)s.secret, strlen(s.secret));
	sodium_bin2hex(hash, sizeof hash, sum, sizeof sum);
	assert_int_equal(count("SELECT count(*) FROM session WHERE token_hash = $1", hash), 1);
	assert_int_equal(count("SELECT count(*) FROM session WHERE token_hash = $1 OR label = $1 "
	                       "OR csrf_token = $1",
	                       s.secret),
	                 0);
	assert_int_equal(audits("session.login"), 1);

	assert_int_equal(account_session_lookup(&acc, s.secret, &si, &e), ERR_OK);
	assert_false(si.is_token);
	assert_string_equal(si.csrf, s.csrf);
	assert_string_equal(si.account.username, "an.nguyen");
	assert_string_equal(si.account.unit_code, "B01");
	assert_int_equal(si.expires_at, T0 + SESSION_SECONDS);

	struct actor a;
	account_session_actor(&si, "203.0.113.7", &a);
	assert_int_equal(a.kind, ACTOR_STAFF);
	assert_string_equal(a.username, "an.nguyen");
	assert_string_equal(a.account_id, s.account.id);
	assert_int_equal(a.roles, ROLE_OFFICER);
	assert_string_equal(a.addr, "203.0.113.7");

	/* CSRF: exact match only. */
	assert_true(account_csrf_ok(&si, s.csrf));
	char wrong[ACCOUNT_CSRF_LEN];
	snprintf(wrong, sizeof wrong, "%s", s.csrf);
	wrong[0] = wrong[0] == 'A' ? 'B' : 'A';
	assert_false(account_csrf_ok(&si, wrong));
	wrong[42] = '\0';
	assert_false(account_csrf_ok(&si, wrong));
	assert_false(account_csrf_ok(&si, ""));
	assert_false(account_csrf_ok(&si, NULL));

	/* Secrets that are not of the form are refused without a lookup. */
	assert_int_equal(account_session_lookup(&acc, "", &si, &e), ERR_UNAUTHORIZED);
	assert_int_equal(account_session_lookup(&acc, NULL, &si, &e), ERR_UNAUTHORIZED);
	assert_int_equal(account_session_lookup(&acc, s.csrf, &si, &e), ERR_UNAUTHORIZED);
	char bad[64];
	snprintf(bad, sizeof bad, "%s", s.secret);
	bad[5] = '+';
	assert_int_equal(account_session_lookup(&acc, bad, &si, &e), ERR_UNAUTHORIZED);
	assert_non_null(strstr(e.detail, "malformed"));
}

static void test_login_failure_same_error(void **state)
{
	(void)state;
	struct session_new s;
	struct err e1, e2, e3, e4;
	uint64_t n0, n1, n2, n3;
	add_staff("an.nguyen", ROLE_OFFICER, "B01", PW);
	add_staff("khong.mk", ROLE_LEADER, NULL, NULL);
	account_hash_stats(&acc, NULL, NULL, &n0);
	assert_int_equal(login("an.nguyen", "wrong password", "a1", &s, NULL, &e1),
	                 ERR_LOGIN_FAILED);
	account_hash_stats(&acc, NULL, NULL, &n1);
	assert_int_equal(login("nobody.here", "wrong password", "a2", &s, NULL, &e2),
	                 ERR_LOGIN_FAILED);
	account_hash_stats(&acc, NULL, NULL, &n2);
	assert_int_equal(login("khong.mk", "wrong password", "a3", &s, NULL, &e3),
	                 ERR_LOGIN_FAILED);
	account_hash_stats(&acc, NULL, NULL, &n3);
	/* The same code and text; one password verification each (the dummy hash when unknown). */
	assert_string_equal(e1.detail, e2.detail);
	assert_string_equal(e1.detail, e3.detail);
	assert_int_equal(n1 - n0, 1);
	assert_int_equal(n2 - n1, 1);
	assert_int_equal(n3 - n2, 1);
	/* A username that cannot exist: the same answer as well. */
	assert_int_equal(login("x y", "wrong password", "a4", &s, NULL, &e4), ERR_LOGIN_FAILED);
	assert_string_equal(e1.detail, e4.detail);
	/* Nothing of the session is returned. */
	assert_int_equal(s.secret[0], '\0');
	assert_int_equal(count("SELECT count(*) FROM session", NULL), 0);
	assert_int_equal(audits("session.login"), 0);
	/* Empty input is bad input, not a failed login. */
	assert_int_equal(login("an.nguyen", "", NULL, &s, NULL, &e1), ERR_INVALID_ARGUMENT);
	assert_int_equal(login("", PW, NULL, &s, NULL, &e1), ERR_INVALID_ARGUMENT);
}

static void test_disabled(void **state)
{
	(void)state;
	struct session_new s, tok;
	struct session_info si;
	struct err e;
	int64_t ended = -1;
	add_staff("an.nguyen", ROLE_OFFICER, "B01", PW);
	assert_int_equal(login("an.nguyen", PW, NULL, &s, NULL, &e), ERR_OK);
	assert_int_equal(account_token_create(&acc, &sys, "an.nguyen", "scanner", &tok, &e),
	                 ERR_OK);

	assert_int_equal(account_set_disabled(&acc, &sys, "an.nguyen", true, &ended, &e), ERR_OK);
	assert_int_equal(ended, 2); /* the session and the token */
	assert_int_equal(audits("account.disable"), 1);
	assert_int_equal(account_session_lookup(&acc, s.secret, &si, &e), ERR_UNAUTHORIZED);
	assert_int_equal(account_session_lookup(&acc, tok.secret, &si, &e), ERR_UNAUTHORIZED);

	/* The right password no longer logs in; the answer is the usual one. */
	struct err wrong;
	assert_int_equal(login("an.nguyen", "not the password", NULL, &s, NULL, &wrong),
	                 ERR_LOGIN_FAILED);
	assert_int_equal(login("an.nguyen", PW, NULL, &s, NULL, &e), ERR_LOGIN_FAILED);
	assert_string_equal(e.detail, wrong.detail);
	/* No new token either. */
	assert_int_equal(account_token_create(&acc, &sys, "an.nguyen", "other", &tok, &e),
	                 ERR_INVALID_ARGUMENT);

	/* A session that survives in the table (e.g. made by another node meanwhile) stops working.
	 */
	assert_int_equal(account_set_disabled(&acc, &sys, "an.nguyen", false, NULL, &e), ERR_OK);
	assert_int_equal(audits("account.enable"), 1);
	assert_int_equal(login("an.nguyen", PW, NULL, &s, NULL, &e), ERR_OK);
	assert_int_equal(db_exec(conn(), "UPDATE account SET disabled = 1", DB_NOARGS, NULL, &e),
	                 ERR_OK);
	assert_int_equal(account_session_lookup(&acc, s.secret, &si, &e), ERR_UNAUTHORIZED);
	assert_non_null(strstr(e.detail, "disabled"));

	/* Only an admin may disable; nobody may disable themselves. */
	add_staff("quan.tri", ROLE_ADMIN, NULL, PW);
	add_staff("binh", ROLE_LEADER, NULL, PW);
	struct actor admin, leader;
	staff_actor(&admin, "quan.tri");
	staff_actor(&leader, "binh");
	assert_int_equal(account_set_disabled(&acc, &leader, "quan.tri", true, NULL, &e),
	                 ERR_FORBIDDEN);
	assert_int_equal(account_set_disabled(&acc, &admin, "quan.tri", true, NULL, &e),
	                 ERR_FORBIDDEN);
	assert_int_equal(account_set_disabled(&acc, &admin, "binh", true, NULL, &e), ERR_OK);
	assert_int_equal(account_set_disabled(&acc, &admin, "nobody", true, NULL, &e),
	                 ERR_NOT_FOUND);
}

static void test_expiry_and_last_seen(void **state)
{
	(void)state;
	struct session_new s;
	struct session_info si;
	struct err e;
	int64_t seen;
	char hash[65];
	add_staff("an.nguyen", ROLE_OFFICER, "B01", PW);
	assert_int_equal(login("an.nguyen", PW, NULL, &s, NULL, &e), ERR_OK);
	unsigned char sum[32];
	crypto_hash_sha256(sum, (const unsigned char *)s.secret, strlen(s.secret));
	sodium_bin2hex(hash, sizeof hash, sum, sizeof sum);
	const char *q = "SELECT last_seen_at FROM session WHERE token_hash = $1";

	/* 30 s later: within ACCOUNT_LAST_SEEN_STEP, last_seen is not rewritten. */
	svc.clock.at = T0 + 30;
	assert_int_equal(account_session_lookup(&acc, s.secret, &si, &e), ERR_OK);
	assert_int_equal(si.last_seen_at, T0);
	assert_int_equal(db_query_int64(conn(), q, DB_ARGS(db_text(hash)), &seen, NULL), ERR_OK);
	assert_int_equal(seen, T0);
	/* 60 s after the login: it moves. */
	svc.clock.at = T0 + 60;
	assert_int_equal(account_session_lookup(&acc, s.secret, &si, &e), ERR_OK);
	assert_int_equal(si.last_seen_at, T0 + 60);
	assert_int_equal(db_query_int64(conn(), q, DB_ARGS(db_text(hash)), &seen, NULL), ERR_OK);
	assert_int_equal(seen, T0 + 60);

	/* The last second of the session, then its end. */
	svc.clock.at = T0 + SESSION_SECONDS - 1;
	assert_int_equal(account_session_lookup(&acc, s.secret, &si, &e), ERR_OK);
	svc.clock.at = T0 + SESSION_SECONDS;
	assert_int_equal(account_session_lookup(&acc, s.secret, &si, &e), ERR_UNAUTHORIZED);
	assert_non_null(strstr(e.detail, "expired"));

	/* Purging removes the expired session. */
	int64_t deleted = 0;
	assert_int_equal(account_purge(&acc, &deleted, &e), ERR_OK);
	assert_int_equal(deleted, 1);
	assert_int_equal(count("SELECT count(*) FROM session", NULL), 0);
}

static void test_logout(void **state)
{
	(void)state;
	struct session_new s1, s2;
	struct session_info si;
	struct err e;
	add_staff("an.nguyen", ROLE_OFFICER, "B01", PW);
	assert_int_equal(login("an.nguyen", PW, NULL, &s1, NULL, &e), ERR_OK);
	assert_int_equal(login("an.nguyen", PW, NULL, &s2, NULL, &e), ERR_OK);
	assert_int_equal(account_logout(&acc, s1.secret, "203.0.113.7", &e), ERR_OK);
	assert_int_equal(account_session_lookup(&acc, s1.secret, &si, &e), ERR_UNAUTHORIZED);
	assert_int_equal(account_session_lookup(&acc, s2.secret, &si, &e), ERR_OK);
	assert_int_equal(audits("session.logout"), 1);
	/* Again, or with garbage: nothing to do, no new audit row. */
	assert_int_equal(account_logout(&acc, s1.secret, NULL, &e), ERR_OK);
	assert_int_equal(account_logout(&acc, "garbage", NULL, &e), ERR_OK);
	assert_int_equal(audits("session.logout"), 1);
}

static void test_tokens(void **state)
{
	(void)state;
	struct session_new t, t2;
	struct session_info si;
	struct err e;
	int64_t revoked = 0;
	struct account_new portal = {"portal", ROLE_SYSTEM, NULL, "Cổng DVC quốc gia", NULL};
	assert_int_equal(account_create(&acc, &sys, &portal, NULL, &e), ERR_OK);
	assert_int_equal(account_token_create(&acc, &sys, "portal", "sync 2025", &t, &e), ERR_OK);
	assert_int_equal(strlen(t.secret), 43);
	assert_int_equal(t.expires_at, T0 + 365 * 86400);
	assert_int_equal(audits("token.create"), 1);

	svc.clock.at = T0 + 200 * 86400; /* long after any login session would have ended */
	assert_int_equal(account_session_lookup(&acc, t.secret, &si, &e), ERR_OK);
	assert_true(si.is_token);
	assert_string_equal(si.label, "sync 2025");
	assert_int_equal(si.account.kind, ACTOR_SYSTEM);
	assert_int_equal(si.account.roles, ROLE_SYSTEM);

	/* A second live token with the same label is refused; another label is fine. */
	assert_int_equal(account_token_create(&acc, &sys, "portal", "sync 2025", &t2, &e),
	                 ERR_DB_CONFLICT);
	assert_int_equal(account_token_create(&acc, &sys, "portal", "backup", &t2, &e), ERR_OK);

	/* A system account cannot log in with a password. */
	assert_int_equal(login("portal", PW, NULL, &t2, NULL, &e), ERR_LOGIN_FAILED);

	/* Revoking. */
	assert_int_equal(account_token_revoke(&acc, &sys, "portal", "sync 2025", &revoked, &e),
	                 ERR_OK);
	assert_int_equal(revoked, 1);
	assert_int_equal(audits("token.revoke"), 1);
	assert_int_equal(account_session_lookup(&acc, t.secret, &si, &e), ERR_UNAUTHORIZED);
	assert_int_equal(account_token_revoke(&acc, &sys, "portal", "sync 2025", &revoked, &e),
	                 ERR_NOT_FOUND);

	/* The token's end. */
	svc.clock.at = T0 + 365 * 86400 + 200 * 86400;
	assert_int_equal(account_session_lookup(&acc, t2.secret, &si, &e), ERR_UNAUTHORIZED);

	/* Who and for whom. */
	svc.clock.at = T0;
	struct account_registration r = {ACTOR_CITIZEN,      "001199012345", NULL,
	                                 "Lê Thị Hoa",       "0912345678",   NULL,
	                                 "hoa-mat-khau-2025"};
	assert_int_equal(account_register(&acc, &r, NULL, &e), ERR_OK);
	assert_int_equal(account_token_create(&acc, &sys, "001199012345", "x", &t2, &e),
	                 ERR_INVALID_ARGUMENT);
	assert_int_equal(account_token_create(&acc, &sys, "nobody", "x", &t2, &e), ERR_NOT_FOUND);
	assert_int_equal(account_token_create(&acc, &sys, "portal", "", &t2, &e),
	                 ERR_MISSING_ARGUMENT);
	add_staff("an.nguyen", ROLE_OFFICER, "B01", PW);
	struct actor officer;
	staff_actor(&officer, "an.nguyen");
	assert_int_equal(account_token_create(&acc, &officer, "portal", "y", &t2, &e),
	                 ERR_FORBIDDEN);
	assert_int_equal(account_token_revoke(&acc, &officer, "portal", "backup", NULL, &e),
	                 ERR_FORBIDDEN);
}

static void test_set_password(void **state)
{
	(void)state;
	struct session_new s;
	struct session_info si;
	struct err e;
	int64_t ended = -1;
	add_staff("an.nguyen", ROLE_OFFICER, "B01", PW);
	assert_int_equal(login("an.nguyen", PW, NULL, &s, NULL, &e), ERR_OK);
	struct session_new tok;
	assert_int_equal(account_token_create(&acc, &sys, "an.nguyen", "scanner", &tok, &e),
	                 ERR_OK);

	assert_int_equal(
	        account_set_password(&acc, &sys, "an.nguyen", "a new passphrase", &ended, &e),
	        ERR_OK);
	assert_int_equal(ended, 1); /* the login session; the token stays */
	assert_int_equal(audits("account.password"), 1);
	assert_int_equal(account_session_lookup(&acc, s.secret, &si, &e), ERR_UNAUTHORIZED);
	assert_int_equal(account_session_lookup(&acc, tok.secret, &si, &e), ERR_OK);
	assert_int_equal(login("an.nguyen", PW, NULL, &s, NULL, &e), ERR_LOGIN_FAILED);
	assert_int_equal(login("an.nguyen", "a new passphrase", NULL, &s, NULL, &e), ERR_OK);

	/* Policy and permissions. */
	assert_int_equal(account_set_password(&acc, &sys, "an.nguyen", "short", NULL, &e),
	                 ERR_WEAK_PASSWORD);
	assert_int_equal(account_set_password(&acc, &sys, "nobody", "a new passphrase", NULL, &e),
	                 ERR_NOT_FOUND);
	add_staff("binh", ROLE_LEADER, NULL, PW);
	struct actor leader, self;
	staff_actor(&leader, "binh");
	staff_actor(&self, "an.nguyen");
	uint64_t n0, n1;
	account_hash_stats(&acc, NULL, NULL, &n0);
	assert_int_equal(
	        account_set_password(&acc, &leader, "an.nguyen", "leader's choice", NULL, &e),
	        ERR_FORBIDDEN);
	account_hash_stats(&acc, NULL, NULL, &n1);
	assert_int_equal(n1, n0); /* refused before hashing */

	/* The account's own change needs the old password. */
	assert_int_equal(account_change_own_password(&acc, &self, "not it", "third passphrase", &e),
	                 ERR_LOGIN_FAILED);
	assert_int_equal(account_change_own_password(&acc, &self, "a new passphrase",
	                                             "third passphrase", &e),
	                 ERR_OK);
	assert_int_equal(login("an.nguyen", "third passphrase", NULL, &s, NULL, &e), ERR_OK);

	/* A system account has no password. */
	struct account_new portal = {"portal", ROLE_SYSTEM, NULL, "Cổng", NULL};
	assert_int_equal(account_create(&acc, &sys, &portal, NULL, &e), ERR_OK);
	assert_int_equal(account_set_password(&acc, &sys, "portal", "a new passphrase", NULL, &e),
	                 ERR_INVALID_ARGUMENT);
}

/* A stored hash of a lower cost is upgraded at the next successful login. */
static void test_rehash_on_login(void **state)
{
	(void)state;
	struct session_new s;
	struct err e;
	add_staff("an.nguyen", ROLE_OFFICER, "B01", PW);
	assert_int_equal(count("SELECT count(*) FROM account WHERE password_hash LIKE $1",
	                       "$argon2id$v=19$m=8,t=1,%"),
	                 1);
	acc.opslimit = 2; /* as if password_opslimit had been raised */
	assert_int_equal(login("an.nguyen", PW, NULL, &s, NULL, &e), ERR_OK);
	assert_int_equal(count("SELECT count(*) FROM account WHERE password_hash LIKE $1",
	                       "$argon2id$v=19$m=8,t=2,%"),
	                 1);
	assert_int_equal(login("an.nguyen", PW, NULL, &s, NULL, &e), ERR_OK);
}

/* ---- rate limits ---- */

static void test_rate_limit_per_username(void **state)
{
	(void)state;
	struct session_new s;
	struct err e;
	int64_t retry = -1;
	add_staff("an.nguyen", ROLE_OFFICER, "B01", PW);
	/* Three failures (login_max_failures = 3), from different addresses. */
	for (int i = 0; i < 3; i++) {
		char addr[32];
		snprintf(addr, sizeof addr, "192.0.2.%d", i + 1);
		svc.clock.at = T0 + i;
		assert_int_equal(login("an.nguyen", "guess", addr, &s, &retry, &e),
		                 ERR_LOGIN_FAILED);
		assert_int_equal(retry, 0);
	}
	/* The fourth attempt is refused even with the right password, before any hashing. */
	uint64_t n0, n1;
	account_hash_stats(&acc, NULL, NULL, &n0);
	svc.clock.at = T0 + 100;
	assert_int_equal(login("an.nguyen", PW, "192.0.2.9", &s, &retry, &e), ERR_RATE_LIMITED);
	account_hash_stats(&acc, NULL, NULL, &n1);
	assert_int_equal(n1, n0);
	assert_int_equal(retry, 800); /* the window began with the first failure at T0 */
	/* An unknown username is limited the same way (no hint that it does not exist). */
	for (int i = 0; i < 3; i++)
		assert_int_equal(login("ghost", "guess", NULL, &s, &retry, &e), ERR_LOGIN_FAILED);
	assert_int_equal(login("ghost", "guess", NULL, &s, &retry, &e), ERR_RATE_LIMITED);
	/* Another user is not affected. */
	add_staff("binh", ROLE_LEADER, NULL, PW);
	assert_int_equal(login("binh", PW, "192.0.2.9", &s, &retry, &e), ERR_OK);
	/* The window ends 900 s after the first failure: the right password works again. */
	svc.clock.at = T0 + 899;
	assert_int_equal(login("an.nguyen", PW, NULL, &s, &retry, &e), ERR_RATE_LIMITED);
	assert_int_equal(retry, 1);
	svc.clock.at = T0 + 900;
	assert_int_equal(login("an.nguyen", PW, NULL, &s, &retry, &e), ERR_OK);
	assert_int_equal(retry, 0);
	/* A success resets the username's count: two failures and a third attempt are allowed. */
	assert_int_equal(login("an.nguyen", "guess", NULL, &s, &retry, &e), ERR_LOGIN_FAILED);
	assert_int_equal(login("an.nguyen", "guess", NULL, &s, &retry, &e), ERR_LOGIN_FAILED);
	assert_int_equal(login("an.nguyen", PW, NULL, &s, &retry, &e), ERR_OK);
	assert_int_equal(login("an.nguyen", "guess", NULL, &s, &retry, &e), ERR_LOGIN_FAILED);
	assert_int_equal(login("an.nguyen", "guess", NULL, &s, &retry, &e), ERR_LOGIN_FAILED);
	assert_int_equal(login("an.nguyen", PW, NULL, &s, &retry, &e), ERR_OK);
}

static void test_rate_limit_per_address(void **state)
{
	(void)state;
	struct session_new s;
	struct err e;
	int64_t retry = -1;
	add_staff("an.nguyen", ROLE_OFFICER, "B01", PW);
	/* Five failures (login_max_failures_per_address = 5) with five usernames from one address.
	 */
	for (int i = 0; i < 5; i++) {
		char user[32];
		snprintf(user, sizeof user, "user%d", i);
		assert_int_equal(login(user, "guess", "198.51.100.66", &s, &retry, &e),
		                 ERR_LOGIN_FAILED);
	}
	assert_int_equal(login("an.nguyen", PW, "198.51.100.66", &s, &retry, &e), ERR_RATE_LIMITED);
	assert_int_equal(retry, 900);
	/* From another address the right password works. */
	assert_int_equal(login("an.nguyen", PW, "198.51.100.67", &s, &retry, &e), ERR_OK);
	/* After the window, the address may try again. */
	svc.clock.at = T0 + 900;
	assert_int_equal(login("an.nguyen", PW, "198.51.100.66", &s, &retry, &e), ERR_OK);
}

/* ---- the bound on concurrent hashing ---- */

#define HASH_THREADS 6
#define HASHES_EACH  3

static void *hash_many(void *arg)
{
	(void)arg;
	char h[ACCOUNT_HASH_MAX];
	for (int i = 0; i < HASHES_EACH; i++)
		if (account_password_hash(&acc, PW, h, NULL) != ERR_OK)
			return (void *)1;
	return NULL;
}

static void test_concurrency_bound(void **state)
{
	(void)state;
	struct err e;
	int in_flight = -1, peak = -1;
	/* password_hash_concurrency = 2 (the default): two slots, a third is refused. */
	assert_int_equal(acc.concurrency, 2);
	assert_int_equal(account_hash_slot_acquire(&acc, false, &e), ERR_OK);
	assert_int_equal(account_hash_slot_acquire(&acc, false, &e), ERR_OK);
	account_hash_stats(&acc, &in_flight, &peak, NULL);
	assert_int_equal(in_flight, 2);
	assert_int_equal(account_hash_slot_acquire(&acc, false, &e), ERR_NO_MEMORY);
	account_hash_slot_release(&acc);
	assert_int_equal(account_hash_slot_acquire(&acc, false, &e), ERR_OK);
	account_hash_slot_release(&acc);
	account_hash_slot_release(&acc);
	account_hash_stats(&acc, &in_flight, NULL, NULL);
	assert_int_equal(in_flight, 0);

	/* Many threads hashing at a heavier cost never run more than two hashes at once. */
	acc.memlimit = 1024 * 1024;
	pthread_t t[HASH_THREADS];
	for (int i = 0; i < HASH_THREADS; i++)
		assert_int_equal(pthread_create(&t[i], NULL, hash_many, NULL), 0);
	for (int i = 0; i < HASH_THREADS; i++) {
		void *ret = (void *)2;
		pthread_join(t[i], &ret);
		assert_null(ret);
	}
	account_hash_stats(&acc, &in_flight, &peak, NULL);
	assert_int_equal(in_flight, 0);
	assert_true(peak >= 1 && peak <= 2);

	/* With one slot configured, a second is refused. */
	accounts_release(&acc);
	set_option("password_hash_concurrency", "1");
	assert_int_equal(accounts_init(&acc, &svc, &e), ERR_OK);
	assert_int_equal(account_hash_slot_acquire(&acc, false, &e), ERR_OK);
	assert_int_equal(account_hash_slot_acquire(&acc, false, &e), ERR_NO_MEMORY);
	account_hash_slot_release(&acc);
	/* Without accounts_prepare_login(), the dummy hash is made at the first need. */
	struct session_new s;
	uint64_t n0, n1;
	account_hash_stats(&acc, NULL, NULL, &n0);
	assert_int_equal(n0, 0);
	assert_int_equal(login("ghost", "guess", NULL, &s, NULL, &e), ERR_LOGIN_FAILED);
	account_hash_stats(&acc, NULL, NULL, &n1);
	assert_int_equal(n1, 2); /* the dummy hash made, then verified */
}

/* ---- listing, and the audit chain after all this ---- */

static void test_list_and_chain(void **state)
{
	(void)state;
	struct account_list l;
	struct err e;
	add_staff("an.nguyen", ROLE_OFFICER, "B01", PW);
	add_staff("giam.sat", ROLE_SUPERVISOR, NULL, PW);
	struct account_registration r = {ACTOR_CITIZEN,      "001199012345", NULL,
	                                 "Lê Thị Hoa",       "0912345678",   NULL,
	                                 "hoa-mat-khau-2025"};
	assert_int_equal(account_register(&acc, &r, NULL, &e), ERR_OK);

	assert_int_equal(account_list(&acc, &sys, false, 0, 0, &l, &e), ERR_OK);
	assert_int_equal(l.total, 2);
	assert_int_equal(l.count, 2);
	assert_string_equal(l.items[0].username, "an.nguyen");
	assert_string_equal(l.items[1].username, "giam.sat");
	account_list_release(&l);
	assert_int_equal(account_list(&acc, &sys, true, 1, 1, &l, &e), ERR_OK);
	assert_int_equal(l.total, 3);
	assert_int_equal(l.count, 1);
	assert_string_equal(l.items[0].username, "an.nguyen"); /* "001..." sorts first */
	account_list_release(&l);

	/* A supervisor reading citizens' accounts is audited; an officer may not list. */
	struct actor sup, officer;
	staff_actor(&sup, "giam.sat");
	staff_actor(&officer, "an.nguyen");
	assert_int_equal(account_list(&acc, &sup, true, 0, 0, &l, &e), ERR_OK);
	assert_int_equal(l.count, 3);
	account_list_release(&l);
	assert_int_equal(audits("account.list"), 1);
	assert_int_equal(account_list(&acc, &officer, false, 0, 0, &l, &e), ERR_FORBIDDEN);

	struct audit_report rep;
	assert_int_equal(audit_verify(conn(), &rep, &e), ERR_OK);
	assert_int_equal(rep.rows, 3); /* two account.create, one account.list */
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	        T(test_hash_and_verify),
	        T(test_password_policy),
	        T(test_identifiers),
	        T(test_create_staff),
	        T(test_register),
	        T(test_login_success),
	        T(test_login_failure_same_error),
	        T(test_disabled),
	        T(test_expiry_and_last_seen),
	        T(test_logout),
	        T(test_tokens),
	        T(test_set_password),
	        T(test_rehash_on_login),
	        T(test_rate_limit_per_username),
	        T(test_rate_limit_per_address),
	        T(test_concurrency_bound),
	        T(test_list_and_chain),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
