/*
 * account: staff, system, citizen and business accounts, passwords,
 * sessions, API tokens and the login rate limits (see account.h).
 *
 * Password hashing runs outside transactions (it takes tens of
 * milliseconds and tens of MiB): a login reads what it needs in one read
 * transaction, verifies the password in a hash slot, then records the
 * outcome in one write transaction that checks again that nothing changed
 * meanwhile (account disabled, password changed).
 */
#include "service/account.h"

#include <errno.h>
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/log.h"
#include "base/str.h"
#include "base/vntime.h"
#include "db/db_account.h"
#include "domain/cccd.h"
#include "domain/lifecycle.h"
#include "service/audit.h"

_Static_assert(ACCOUNT_HASH_MAX == crypto_pwhash_STRBYTES, "hash buffer size");
_Static_assert(ACCOUNT_SECRET_LEN ==
                       sodium_base64_ENCODED_LEN(32, sodium_base64_VARIANT_URLSAFE_NO_PADDING),
               "secret buffer size");
_Static_assert(SERVICE_ID_LEN <= DB_ACCOUNT_ID_MAX, "id sizes");
_Static_assert(SERVICE_USERNAME_MAX <= DB_ACCOUNT_USERNAME_MAX, "username sizes");
_Static_assert(SERVICE_CODE_MAX <= DB_ACCOUNT_UNIT_MAX, "unit sizes");
_Static_assert(ACCOUNT_LABEL_MAX <= DB_SESSION_LABEL_MAX, "label sizes");
_Static_assert(ACCOUNT_CSRF_LEN <= DB_SESSION_CSRF_MAX, "csrf sizes");

#define SECRET_BYTES   32
#define SECRET_CHARS   (ACCOUNT_SECRET_LEN - 1)
#define TOKEN_HASH_LEN 65
#define BUCKET_MAX     300

static const unsigned staff_roles =
        ROLE_ADMIN | ROLE_LEADER | ROLE_SUPERVISOR | ROLE_OFFICER | ROLE_SPECIALIST | ROLE_APPROVER;

/* Units where an officer receives and returns dossiers: the centre's branches
 * and points, and the one-stop desks of the commune People's Committees. */
static const char *const reception_kinds[] = {"centre", "branch", "point", "commune_committee",
                                              NULL};
/* Units where specialists process and approvers sign off. */
static const char *const agency_kinds[] = {
        "city_committee",    "office",         "department", "police",
        "commune_committee", "commune_police", NULL};

/* ---- small helpers ---- */

const char *account_kind_name(enum actor_kind k)
{
	switch (k) {
	case ACTOR_STAFF:
		return "staff";
	case ACTOR_SYSTEM:
		return "system";
	case ACTOR_CITIZEN:
		return "citizen";
	case ACTOR_BUSINESS:
		return "business";
	case ACTOR_ANONYMOUS:
		break;
	}
	return NULL;
}

static enum actor_kind kind_from_name(const char *s)
{
	if (str_eq(s, "staff"))
		return ACTOR_STAFF;
	if (str_eq(s, "system"))
		return ACTOR_SYSTEM;
	if (str_eq(s, "citizen"))
		return ACTOR_CITIZEN;
	if (str_eq(s, "business"))
		return ACTOR_BUSINESS;
	return ACTOR_ANONYMOUS;
}

static bool in_list(const char *s, const char *const *list)
{
	for (; *list; list++)
		if (str_eq(s, *list))
			return true;
	return false;
}

static bool by_system(const struct actor *by)
{
	return by && by->kind == ACTOR_SYSTEM;
}

static bool by_admin(const struct actor *by)
{
	return by_system(by) || (by && by->kind == ACTOR_STAFF && (by->roles & ROLE_ADMIN));
}

/* Writes by staff and the system are audited; citizens' own writes are not. */
static bool audited(const struct actor *by)
{
	return by && (by->kind == ACTOR_STAFF || by->kind == ACTOR_SYSTEM);
}

static void info_from_row(const struct db_account *r, struct account_info *out)
{
	memset(out, 0, sizeof *out);
	str_copy(out->id, sizeof out->id, r->id);
	str_copy(out->username, sizeof out->username, r->username);
	out->kind = kind_from_name(r->kind);
	out->roles = (unsigned)r->roles;
	str_copy(out->unit_code, sizeof out->unit_code, r->unit_code);
	str_copy(out->full_name, sizeof out->full_name, r->full_name);
	str_copy(out->id_number, sizeof out->id_number, r->id_number);
	str_copy(out->tax_code, sizeof out->tax_code, r->tax_code);
	str_copy(out->phone, sizeof out->phone, r->phone);
	str_copy(out->email, sizeof out->email, r->email);
	out->has_password = r->password_hash[0] != '\0';
	out->disabled = r->disabled;
	out->created_at = r->created_at;
	out->updated_at = r->updated_at;
}

/* The actor of an account acting for itself (login, logout). */
static void actor_of(const struct account_info *acc, const char *addr, struct actor *out)
{
	memset(out, 0, sizeof *out);
	out->kind = acc->kind;
	str_copy(out->account_id, sizeof out->account_id, acc->id);
	str_copy(out->username, sizeof out->username, acc->username);
	out->roles = acc->roles;
	str_copy(out->unit_code, sizeof out->unit_code, acc->unit_code);
	if (addr)
		str_copy(out->addr, sizeof out->addr, addr);
}

/* A JSON array of role names. */
static json_t *roles_json(unsigned roles)
{
	json_t *arr = json_array();
	for (unsigned bit = 1; bit && bit <= ROLE_SYSTEM; bit <<= 1)
		if (roles & bit)
			json_array_append_new(arr, json_string(lifecycle_role_name(bit)));
	return arr;
}

/* Serializes and releases o; NULL when out of memory. The caller frees the text. */
static char *json_text(json_t *o)
{
	char *s = o ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
	json_decref(o);
	return s;
}

static void object_of(const char *username, char out[AUDIT_OBJECT_MAX])
{
	snprintf(out, AUDIT_OBJECT_MAX, "account:%s", username);
}

static void hex_sha256(const char *s, char out[TOKEN_HASH_LEN])
{
	unsigned char sum[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(sum, (const unsigned char *)s, strlen(s));
	sodium_bin2hex(out, TOKEN_HASH_LEN, sum, sizeof sum);
}

static void new_secret(char out[ACCOUNT_SECRET_LEN])
{
	unsigned char raw[SECRET_BYTES];
	randombytes_buf(raw, sizeof raw);
	sodium_bin2base64(out, ACCOUNT_SECRET_LEN, raw, sizeof raw,
	                  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof raw);
}

static bool secret_well_formed(const char *s)
{
	if (!s || strlen(s) != SECRET_CHARS)
		return false;
	for (; *s; s++) {
		char c = *s;
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '-' || c == '_'))
			return false;
	}
	return true;
}

/* Printable text (UTF-8 without control characters), 1..max-1 bytes. */
static enum err_code check_text(const char *what, const char *s, size_t max, struct err *e)
{
	if (str_empty(s))
		return err_set(e, ERR_MISSING_ARGUMENT, "empty %s", what);
	if (strlen(s) >= max)
		return err_set(e, ERR_TOO_LONG, "%s longer than %zu bytes", what, max - 1);
	if (!str_valid_utf8(s, max))
		return err_set(e, ERR_INVALID_ARGUMENT, "%s is not valid UTF-8", what);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return err_set(e, ERR_INVALID_ARGUMENT, "control character in %s", what);
	return ERR_OK;
}

/* ---- set-up ---- */

enum err_code accounts_init(struct accounts *a, const struct service *svc, struct err *e)
{
	const struct config *cfg = svc->cfg;
	memset(a, 0, sizeof *a);
	if (sodium_init() < 0)
		return err_set(e, ERR_INTERNAL, "cannot initialise libsodium");
	a->svc = svc;
	a->opslimit = (unsigned long long)config_int(cfg, CONFIG_OPT_password_opslimit);
	a->memlimit = (size_t)config_int(cfg, CONFIG_OPT_password_memlimit_kib) * 1024u;
	if (a->opslimit < crypto_pwhash_OPSLIMIT_MIN || a->memlimit < crypto_pwhash_MEMLIMIT_MIN)
		return err_set(e, ERR_CONFIG_INVALID,
		               "password hash cost below libsodium's minimum");
	a->min_password_len = (int)config_int(cfg, CONFIG_OPT_password_min_length);
	a->session_seconds = config_int(cfg, CONFIG_OPT_session_hours) * 3600;
	a->token_seconds = config_int(cfg, CONFIG_OPT_api_token_days) * 86400;
	int64_t window = config_int(cfg, CONFIG_OPT_login_window_seconds);
	a->login_user =
	        (struct ratelimit_policy){config_int(cfg, CONFIG_OPT_login_max_failures), window};
	a->login_addr = (struct ratelimit_policy){
	        config_int(cfg, CONFIG_OPT_login_max_failures_per_address), window};
	a->concurrency = (int)config_int(cfg, CONFIG_OPT_password_hash_concurrency);
	if (sem_init(&a->slots, 0, (unsigned)a->concurrency) != 0)
		return err_set(e, ERR_INTERNAL, "cannot create the password hash slots");
	atomic_init(&a->in_flight, 0);
	atomic_init(&a->peak, 0);
	atomic_init(&a->computed, 0);
	atomic_init(&a->dummy_ready, false);
	if (pthread_mutex_init(&a->dummy_lock, NULL) != 0) {
		sem_destroy(&a->slots);
		return err_set(e, ERR_INTERNAL, "cannot create a mutex");
	}
	return ERR_OK;
}

/*
 * The dummy hash: a random password nobody knows, hashed at the configured
 * cost the first time it is needed (so that commands that never log anyone
 * in do not pay for it).
 */
static enum err_code dummy_hash(struct accounts *a, const char **out, struct err *e)
{
	enum err_code rc = ERR_OK;
	if (!atomic_load(&a->dummy_ready)) {
		pthread_mutex_lock(&a->dummy_lock);
		if (!atomic_load(&a->dummy_ready)) {
			unsigned char raw[16];
			char pw[33];
			randombytes_buf(raw, sizeof raw);
			sodium_bin2hex(pw, sizeof pw, raw, sizeof raw);
			rc = account_password_hash(a, pw, a->dummy_hash, e);
			sodium_memzero(pw, sizeof pw);
			if (rc == ERR_OK)
				atomic_store(&a->dummy_ready, true);
		}
		pthread_mutex_unlock(&a->dummy_lock);
	}
	*out = a->dummy_hash;
	return rc;
}

enum err_code accounts_prepare_login(struct accounts *a, struct err *e)
{
	const char *unused;
	return dummy_hash(a, &unused, e);
}

void accounts_release(struct accounts *a)
{
	if (a->svc) {
		sem_destroy(&a->slots);
		pthread_mutex_destroy(&a->dummy_lock);
	}
	a->svc = NULL;
}

/* ---- hash slots and passwords ---- */

enum err_code account_hash_slot_acquire(struct accounts *a, bool wait, struct err *e)
{
	int r;
	if (wait) {
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += ACCOUNT_HASH_WAIT;
		while ((r = sem_timedwait(&a->slots, &until)) != 0 && errno == EINTR)
			;
	} else {
		while ((r = sem_trywait(&a->slots)) != 0 && errno == EINTR)
			;
	}
	if (r != 0)
		return err_set(e, ERR_NO_MEMORY, "too many password checks at once; retry shortly");
	int now = atomic_fetch_add(&a->in_flight, 1) + 1;
	int peak = atomic_load(&a->peak);
	while (now > peak && !atomic_compare_exchange_weak(&a->peak, &peak, now))
		;
	return ERR_OK;
}

void account_hash_slot_release(struct accounts *a)
{
	atomic_fetch_sub(&a->in_flight, 1);
	sem_post(&a->slots);
}

void account_hash_stats(struct accounts *a, int *in_flight, int *peak, uint64_t *computed)
{
	if (computed)
		*computed = atomic_load(&a->computed);
	if (in_flight)
		*in_flight = atomic_load(&a->in_flight);
	if (peak)
		*peak = atomic_load(&a->peak);
}

enum err_code account_password_hash(struct accounts *a, const char *password,
                                    char out[ACCOUNT_HASH_MAX], struct err *e)
{
	if (!password)
		return err_set(e, ERR_MISSING_ARGUMENT, "empty password");
	enum err_code rc = account_hash_slot_acquire(a, true, e);
	if (rc != ERR_OK)
		return rc;
	int r = crypto_pwhash_str_alg(out, password, strlen(password), a->opslimit, a->memlimit,
	                              crypto_pwhash_ALG_ARGON2ID13);
	atomic_fetch_add(&a->computed, 1);
	account_hash_slot_release(a);
	if (r != 0)
		return err_set(e, ERR_NO_MEMORY, "not enough memory to hash a password");
	return ERR_OK;
}

enum err_code account_password_verify(struct accounts *a, const char *hash, const char *password,
                                      bool *ok, struct err *e)
{
	*ok = false;
	enum err_code rc = account_hash_slot_acquire(a, true, e);
	if (rc != ERR_OK)
		return rc;
	*ok = hash && password && strlen(hash) < ACCOUNT_HASH_MAX &&
	      crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
	atomic_fetch_add(&a->computed, 1);
	account_hash_slot_release(a);
	return ERR_OK;
}

/* Characters (code points) of valid UTF-8. */
static size_t utf8_chars(const char *s)
{
	size_t n = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if ((*p & 0xc0) != 0x80)
			n++;
	return n;
}

/* True when needle (ASCII) occurs in hay ignoring ASCII case. */
static bool contains_ci(const char *hay, const char *needle)
{
	size_t n = strlen(needle);
	if (n == 0)
		return false;
	for (; *hay; hay++) {
		size_t i = 0;
		while (i < n && hay[i]) {
			char x = hay[i], y = needle[i];
			if (x >= 'A' && x <= 'Z')
				x = (char)(x - 'A' + 'a');
			if (y >= 'A' && y <= 'Z')
				y = (char)(y - 'A' + 'a');
			if (x != y)
				break;
			i++;
		}
		if (i == n)
			return true;
	}
	return false;
}

enum err_code account_password_check(const struct accounts *a, const char *username,
                                     const char *password, struct err *e)
{
	if (str_empty(password))
		return err_set(e, ERR_MISSING_ARGUMENT, "empty password");
	if (strlen(password) > ACCOUNT_PASSWORD_MAX)
		return err_set(e, ERR_TOO_LONG, "password longer than %d bytes",
		               ACCOUNT_PASSWORD_MAX);
	if (!str_valid_utf8(password, ACCOUNT_PASSWORD_MAX))
		return err_set(e, ERR_INVALID_ARGUMENT, "password is not valid UTF-8");
	if (utf8_chars(password) < (size_t)a->min_password_len)
		return err_set(e, ERR_WEAK_PASSWORD, "password shorter than %d characters",
		               a->min_password_len);
	if (username && contains_ci(password, username))
		return err_set(e, ERR_WEAK_PASSWORD, "password contains the username");
	return ERR_OK;
}

/* ---- identifiers ---- */

enum err_code account_username_normalize(const char *in, char out[SERVICE_USERNAME_MAX],
                                         struct err *e)
{
	size_t n = in ? strlen(in) : 0;
	if (n == 0)
		return err_set(e, ERR_MISSING_ARGUMENT, "empty username");
	if (n < ACCOUNT_USERNAME_MIN || n >= SERVICE_USERNAME_MAX)
		return err_set(e, ERR_INVALID_ARGUMENT, "username must have %d to %d characters",
		               ACCOUNT_USERNAME_MIN, SERVICE_USERNAME_MAX - 1);
	for (size_t i = 0; i < n; i++) {
		char c = in[i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
		if (!alnum && (i == 0 || (c != '.' && c != '_' && c != '-'))) {
			out[0] = '\0';
			return err_set(e, ERR_INVALID_ARGUMENT,
			               "username may hold only a-z, 0-9, '.', '_' and '-', "
			               "starting with a letter or digit");
		}
		out[i] = c;
	}
	out[n] = '\0';
	return ERR_OK;
}

enum err_code account_tax_code_check(const char *s, struct err *e)
{
	size_t n = s ? strlen(s) : 0;
	bool ok = n == 10 || (n == 14 && s[10] == '-');
	for (size_t i = 0; ok && i < n; i++)
		if (i != 10 && (s[i] < '0' || s[i] > '9'))
			ok = false;
	if (!ok)
		return err_set(e, ERR_INVALID_TAX_CODE,
		               "tax code must be 10 digits or 10 digits, '-' and 3 digits");
	return ERR_OK;
}

enum err_code account_phone_normalize(const char *in, char out[ACCOUNT_PHONE_MAX], struct err *e)
{
	char digits[64];
	size_t n = 0;
	const char *p = in ? in : "";
	if (*p == '+')
		p++;
	for (; *p; p++) {
		if (*p == ' ' || *p == '.' || *p == '-')
			continue;
		if (*p < '0' || *p > '9' || n + 1 >= sizeof digits)
			return err_set(e, ERR_INVALID_ARGUMENT, "phone number must be digits");
		digits[n++] = *p;
	}
	digits[n] = '\0';
	const char *rest = digits;
	if (n == 11 && str_has_prefix(digits, "84"))
		rest = digits + 2; /* +84 9x xxx xxxx -> 09x xxx xxxx */
	else if (n == 10 && digits[0] == '0')
		rest = digits + 1;
	else
		return err_set(
		        e, ERR_INVALID_ARGUMENT,
		        "phone number must be 10 digits starting with 0, or +84 and 9 digits");
	if (rest[0] == '0')
		return err_set(e, ERR_INVALID_ARGUMENT, "phone number has a 0 after the prefix");
	out[0] = '0';
	memcpy(out + 1, rest, 9); /* 9 digits after the prefix, checked above */
	out[10] = '\0';
	return ERR_OK;
}

enum err_code account_email_check(const char *s, struct err *e)
{
	size_t n = s ? strlen(s) : 0;
	const char *at = s ? strchr(s, '@') : NULL;
	bool ok = n > 0 && n < ACCOUNT_EMAIL_MAX && at && at != s && !strchr(at + 1, '@');
	for (size_t i = 0; ok && i < n; i++)
		if ((unsigned char)s[i] <= 0x20 || (unsigned char)s[i] >= 0x7f)
			ok = false;
	if (ok) {
		const char *dot = strrchr(at + 1, '.');
		ok = dot && dot > at + 1 && dot[1] != '\0';
	}
	if (!ok)
		return err_set(e, ERR_INVALID_ARGUMENT, "invalid e-mail address");
	return ERR_OK;
}

/* ---- creating accounts ---- */

static enum err_code check_roles(unsigned roles, struct err *e)
{
	if (roles == 0)
		return err_set(e, ERR_INVALID_ARGUMENT, "an account needs at least one role");
	if (roles & ROLE_APPLICANT)
		return err_set(e, ERR_INVALID_ARGUMENT,
		               "role 'applicant' belongs to citizen and business accounts");
	if (roles & ROLE_SYSTEM) {
		if (roles != ROLE_SYSTEM)
			return err_set(e, ERR_INVALID_ARGUMENT,
			               "role 'system' cannot be combined with staff roles");
		return ERR_OK;
	}
	if (roles & ~staff_roles)
		return err_set(e, ERR_INVALID_ARGUMENT, "unknown role bits 0x%x",
		               roles & ~staff_roles);
	if ((roles & ROLE_OFFICER) && (roles & (ROLE_SPECIALIST | ROLE_APPROVER)))
		return err_set(e, ERR_INVALID_ARGUMENT,
		               "role 'officer' works at a reception unit, 'specialist' and "
		               "'approver' at an agency: they cannot share one account");
	return ERR_OK;
}

struct create_ctx {
	const struct actor *by;
	int64_t now;
	struct db_account row;
	const char *detail; /* audit detail, or NULL when not audited */
};

static enum err_code create_fn(struct db_conn *c, void *vctx, struct err *e)
{
	struct create_ctx *x = vctx;
	enum err_code rc;
	unsigned roles = (unsigned)x->row.roles;
	if (x->row.unit_code[0]) {
		char kind[32];
		rc = db_account_unit_kind(c, x->row.unit_code, kind, sizeof kind, e);
		if (rc != ERR_OK)
			return rc;
		if ((roles & ROLE_OFFICER) && !in_list(kind, reception_kinds))
			return err_set(
			        e, ERR_INVALID_ARGUMENT,
			        "an officer works at a centre, branch, point or commune one-stop "
			        "desk, not at unit "
			        "'%s' (%s)",
			        x->row.unit_code, kind);
		if ((roles & (ROLE_SPECIALIST | ROLE_APPROVER)) && !in_list(kind, agency_kinds))
			return err_set(
			        e, ERR_INVALID_ARGUMENT,
			        "a specialist or approver works at an agency or commune unit, "
			        "not at unit '%s' (%s)",
			        x->row.unit_code, kind);
	}
	rc = db_account_insert(c, &x->row, e);
	if (rc == ERR_DB_CONFLICT)
		return err_set(e, ERR_DB_CONFLICT, "username '%s' is taken", x->row.username);
	if (rc != ERR_OK || !x->detail)
		return rc;
	char object[AUDIT_OBJECT_MAX];
	object_of(x->row.username, object);
	return audit_append(c, x->by, x->now, "account.create", object, x->detail, e);
}

enum err_code account_create(struct accounts *a, const struct actor *by,
                             const struct account_new *in, struct account_info *out, struct err *e)
{
	struct create_ctx x;
	enum err_code rc;
	memset(&x, 0, sizeof x);
	if (!by_admin(by))
		return err_set(e, ERR_FORBIDDEN, "only an admin may create accounts");
	if ((rc = account_username_normalize(in->username, x.row.username, e)) != ERR_OK ||
	    (rc = check_roles(in->roles, e)) != ERR_OK ||
	    (rc = check_text("full name", in->full_name, sizeof x.row.full_name, e)) != ERR_OK)
		return rc;
	bool system = in->roles == ROLE_SYSTEM;
	if (!str_empty(in->unit_code)) {
		if ((rc = check_text("unit code", in->unit_code, SERVICE_CODE_MAX, e)) != ERR_OK)
			return rc;
		str_copy(x.row.unit_code, sizeof x.row.unit_code, in->unit_code);
	} else if (in->roles & (ROLE_OFFICER | ROLE_SPECIALIST | ROLE_APPROVER)) {
		return err_set(e, ERR_MISSING_ARGUMENT,
		               "roles 'officer', 'specialist' and 'approver' need a unit");
	}
	if (in->password) {
		if (system)
			return err_set(e, ERR_INVALID_ARGUMENT,
			               "a system account logs in with API tokens, not a password");
		rc = account_password_check(a, x.row.username, in->password, e);
		if (rc == ERR_OK)
			rc = account_password_hash(a, in->password, x.row.password_hash, e);
		if (rc != ERR_OK)
			return rc;
	}
	char id[SERVICE_ID_LEN];
	service_new_id(id);
	str_copy(x.row.id, sizeof x.row.id, id);
	str_copy(x.row.kind, sizeof x.row.kind, system ? "system" : "staff");
	x.row.roles = in->roles;
	str_copy(x.row.full_name, sizeof x.row.full_name, in->full_name);
	x.now = service_now(a->svc);
	x.row.created_at = x.row.updated_at = x.now;
	x.by = by;

	json_t *d = json_object();
	json_object_set_new(d, "kind", json_string(x.row.kind));
	json_object_set_new(d, "roles", roles_json(in->roles));
	json_object_set_new(d, "unit",
	                    x.row.unit_code[0] ? json_string(x.row.unit_code) : json_null());
	json_object_set_new(d, "full_name", json_string(x.row.full_name));
	json_object_set_new(d, "password", json_boolean(x.row.password_hash[0] != '\0'));
	char *detail = json_text(d);
	if (!detail)
		return err_set(e, ERR_NO_MEMORY, "out of memory");
	x.detail = detail;
	rc = db_run_txn(a->svc->db, DB_TXN_WRITE, create_fn, &x, e);
	free(detail);
	if (rc == ERR_OK && out)
		info_from_row(&x.row, out);
	sodium_memzero(x.row.password_hash, sizeof x.row.password_hash);
	return rc;
}

enum err_code account_register(struct accounts *a, const struct account_registration *in,
                               struct account_info *out, struct err *e)
{
	struct create_ctx x;
	enum err_code rc;
	memset(&x, 0, sizeof x);
	x.now = service_now(a->svc);
	if (in->kind == ACTOR_CITIZEN) {
		struct cccd id;
		int64_t today;
		int sec;
		vntime_split(x.now, &today, &sec);
		if ((rc = cccd_parse(in->id_number, today, &id, e)) != ERR_OK)
			return rc;
		str_copy(x.row.id_number, sizeof x.row.id_number, id.number);
		str_copy(x.row.username, sizeof x.row.username, id.number);
	} else if (in->kind == ACTOR_BUSINESS) {
		if ((rc = account_tax_code_check(in->tax_code, e)) != ERR_OK)
			return rc;
		str_copy(x.row.tax_code, sizeof x.row.tax_code, in->tax_code);
		str_copy(x.row.username, sizeof x.row.username, in->tax_code);
	} else {
		return err_set(e, ERR_INVALID_ARGUMENT,
		               "registration is for citizens and businesses");
	}
	if ((rc = check_text("full name", in->full_name, sizeof x.row.full_name, e)) != ERR_OK)
		return rc;
	if (str_empty(in->phone) && str_empty(in->email))
		return err_set(e, ERR_MISSING_ARGUMENT, "give a phone number or an e-mail address");
	if (!str_empty(in->phone) &&
	    (rc = account_phone_normalize(in->phone, x.row.phone, e)) != ERR_OK)
		return rc;
	if (!str_empty(in->email)) {
		if ((rc = account_email_check(in->email, e)) != ERR_OK)
			return rc;
		str_copy(x.row.email, sizeof x.row.email, in->email);
	}
	if ((rc = account_password_check(a, x.row.username, in->password, e)) != ERR_OK ||
	    (rc = account_password_hash(a, in->password, x.row.password_hash, e)) != ERR_OK)
		return rc;
	char id[SERVICE_ID_LEN];
	service_new_id(id);
	str_copy(x.row.id, sizeof x.row.id, id);
	str_copy(x.row.kind, sizeof x.row.kind, in->kind == ACTOR_CITIZEN ? "citizen" : "business");
	x.row.roles = ROLE_APPLICANT;
	str_copy(x.row.full_name, sizeof x.row.full_name, in->full_name);
	x.row.created_at = x.row.updated_at = x.now;
	rc = db_run_txn(a->svc->db, DB_TXN_WRITE, create_fn, &x, e);
	if (rc == ERR_DB_CONFLICT)
		rc = err_set(e, ERR_DB_CONFLICT, "an account for '%s' exists already",
		             x.row.username);
	if (rc == ERR_OK && out)
		info_from_row(&x.row, out);
	sodium_memzero(x.row.password_hash, sizeof x.row.password_hash);
	return rc;
}

/* ---- reading accounts ---- */

struct get_ctx {
	const char *username;
	const char *id;
	struct db_account row;
};

static enum err_code get_fn(struct db_conn *c, void *vctx, struct err *e)
{
	struct get_ctx *x = vctx;
	if (x->id)
		return db_account_by_id(c, x->id, &x->row, e);
	return db_account_by_username(c, x->username, &x->row, e);
}

enum err_code account_get(struct accounts *a, const char *username, struct account_info *out,
                          struct err *e)
{
	struct get_ctx x;
	char name[SERVICE_USERNAME_MAX];
	memset(&x, 0, sizeof x);
	enum err_code rc = account_username_normalize(username, name, e);
	if (rc != ERR_OK)
		return rc == ERR_INVALID_ARGUMENT ? err_set(e, ERR_NOT_FOUND, "no such account")
		                                  : rc;
	x.username = name;
	rc = db_run_txn(a->svc->db, DB_TXN_READ, get_fn, &x, e);
	if (rc == ERR_OK)
		info_from_row(&x.row, out);
	sodium_memzero(x.row.password_hash, sizeof x.row.password_hash);
	return rc;
}

struct list_ctx {
	const struct actor *by;
	bool include_citizens;
	int64_t limit, offset, now;
	struct account_list *out;
	size_t cap;
	const char *detail;
};

static enum err_code list_row(const struct db_account *r, void *vctx, struct err *e)
{
	struct list_ctx *x = vctx;
	if (x->out->count == x->cap) {
		size_t cap = x->cap ? 2 * x->cap : 16;
		struct account_info *p = realloc(x->out->items, cap * sizeof *p);
		if (!p)
			return err_set(e, ERR_NO_MEMORY, "out of memory listing accounts");
		x->out->items = p;
		x->cap = cap;
	}
	info_from_row(r, &x->out->items[x->out->count++]);
	return ERR_OK;
}

static enum err_code list_fn(struct db_conn *c, void *vctx, struct err *e)
{
	struct list_ctx *x = vctx;
	x->out->count = 0; /* a retried transaction starts again */
	enum err_code rc = db_account_count(c, x->include_citizens, &x->out->total, e);
	if (rc == ERR_OK)
		rc = db_account_list(c, x->include_citizens, x->limit, x->offset, list_row, x, e);
	if (rc == ERR_OK && x->detail)
		rc = audit_append(c, x->by, x->now, "account.list", "accounts", x->detail, e);
	return rc;
}

enum err_code account_list(struct accounts *a, const struct actor *by, bool include_citizens,
                           int64_t limit, int64_t offset, struct account_list *out, struct err *e)
{
	memset(out, 0, sizeof *out);
	if (!by_admin(by) && !(by && by->kind == ACTOR_STAFF && (by->roles & ROLE_SUPERVISOR)))
		return err_set(e, ERR_FORBIDDEN, "only an admin or a supervisor may list accounts");
	struct list_ctx x = {.by = by,
	                     .include_citizens = include_citizens,
	                     .limit = limit <= 0 || limit > ACCOUNT_LIST_MAX ? ACCOUNT_LIST_MAX
	                                                                     : limit,
	                     .offset = offset < 0 ? 0 : offset,
	                     .now = service_now(a->svc),
	                     .out = out};
	char *detail = NULL;
	if (include_citizens && by->kind == ACTOR_STAFF) {
		json_t *d = json_object();
		json_object_set_new(d, "include_citizens", json_true());
		json_object_set_new(d, "limit", json_integer(x.limit));
		json_object_set_new(d, "offset", json_integer(x.offset));
		if (!(detail = json_text(d)))
			return err_set(e, ERR_NO_MEMORY, "out of memory");
		x.detail = detail;
	}
	enum err_code rc =
	        db_run_txn(a->svc->db, detail ? DB_TXN_WRITE : DB_TXN_READ, list_fn, &x, e);
	free(detail);
	if (rc != ERR_OK)
		account_list_release(out);
	return rc;
}

void account_list_release(struct account_list *l)
{
	free(l->items);
	memset(l, 0, sizeof *l);
}

/* ---- changing accounts ---- */

struct change_ctx {
	const struct actor *by;
	const char *username;
	int64_t now;
	/* password */
	const char *hash;
	/* disable */
	bool disabled;
	/* out */
	struct db_account row;
	int64_t ended;
};

static enum err_code password_fn(struct db_conn *c, void *vctx, struct err *e)
{
	struct change_ctx *x = vctx;
	enum err_code rc = db_account_by_username(c, x->username, &x->row, e);
	if (rc != ERR_OK)
		return rc;
	if (!by_admin(x->by) && !str_eq(x->by->account_id, x->row.id))
		return err_set(e, ERR_FORBIDDEN,
		               "only an admin may set another account's password");
	if (str_eq(x->row.kind, "system"))
		return err_set(e, ERR_INVALID_ARGUMENT,
		               "a system account logs in with API tokens, not a password");
	if ((rc = db_account_set_password(c, x->row.id, x->hash, NULL, x->now, NULL, e)) !=
	            ERR_OK ||
	    (rc = db_session_delete_account(c, x->row.id, "session", &x->ended, e)) != ERR_OK)
		return rc;
	if (!audited(x->by))
		return ERR_OK;
	char object[AUDIT_OBJECT_MAX], detail[64];
	object_of(x->row.username, object);
	snprintf(detail, sizeof detail, "{\"sessions_ended\":%lld}", (long long)x->ended);
	return audit_append(c, x->by, x->now, "account.password", object, detail, e);
}

enum err_code account_set_password(struct accounts *a, const struct actor *by, const char *username,
                                   const char *password, int64_t *sessions_ended, struct err *e)
{
	struct change_ctx x;
	char name[SERVICE_USERNAME_MAX], hash[ACCOUNT_HASH_MAX];
	memset(&x, 0, sizeof x);
	if (!by)
		return err_set(e, ERR_FORBIDDEN, "no actor");
	enum err_code rc = account_username_normalize(username, name, e);
	if (rc != ERR_OK)
		return rc;
	/* Refuse before the costly hash when the actor can only be the account itself. */
	if (!by_admin(by) && !str_eq(by->username, name))
		return err_set(e, ERR_FORBIDDEN,
		               "only an admin may set another account's password");
	if ((rc = account_password_check(a, name, password, e)) != ERR_OK ||
	    (rc = account_password_hash(a, password, hash, e)) != ERR_OK)
		return rc;
	x.by = by;
	x.username = name;
	x.hash = hash;
	x.now = service_now(a->svc);
	rc = db_run_txn(a->svc->db, DB_TXN_WRITE, password_fn, &x, e);
	if (rc == ERR_OK && sessions_ended)
		*sessions_ended = x.ended;
	sodium_memzero(hash, sizeof hash);
	sodium_memzero(x.row.password_hash, sizeof x.row.password_hash);
	return rc;
}

enum err_code account_change_own_password(struct accounts *a, const struct actor *by,
                                          const char *old_password, const char *new_password,
                                          struct err *e)
{
	struct get_ctx g;
	bool ok = false;
	memset(&g, 0, sizeof g);
	if (!by || !by->account_id[0])
		return err_set(e, ERR_UNAUTHORIZED, "not logged in");
	if (str_empty(old_password))
		return err_set(e, ERR_MISSING_ARGUMENT, "empty password");
	if (strlen(old_password) > ACCOUNT_PASSWORD_MAX)
		return err_set(e, ERR_LOGIN_FAILED, "wrong password");
	g.id = by->account_id;
	enum err_code rc = db_run_txn(a->svc->db, DB_TXN_READ, get_fn, &g, e);
	if (rc == ERR_NOT_FOUND)
		rc = err_set(e, ERR_UNAUTHORIZED, "account not found");
	const char *hash = g.row.password_hash;
	if (rc == ERR_OK && !hash[0])
		rc = dummy_hash(a, &hash, e);
	if (rc == ERR_OK)
		rc = account_password_verify(a, hash, old_password, &ok, e);
	sodium_memzero(g.row.password_hash, sizeof g.row.password_hash);
	if (rc != ERR_OK)
		return rc;
	if (!ok || g.row.disabled)
		return err_set(e, ERR_LOGIN_FAILED, "wrong password");
	return account_set_password(a, by, g.row.username, new_password, NULL, e);
}

static enum err_code disable_fn(struct db_conn *c, void *vctx, struct err *e)
{
	struct change_ctx *x = vctx;
	enum err_code rc = db_account_by_username(c, x->username, &x->row, e);
	if (rc != ERR_OK)
		return rc;
	if (str_eq(x->by->account_id, x->row.id))
		return err_set(e, ERR_FORBIDDEN, "an admin cannot disable their own account");
	if ((rc = db_account_set_disabled(c, x->row.id, x->disabled, x->now, NULL, e)) != ERR_OK)
		return rc;
	x->ended = 0;
	if (x->disabled &&
	    (rc = db_session_delete_account(c, x->row.id, NULL, &x->ended, e)) != ERR_OK)
		return rc;
	char object[AUDIT_OBJECT_MAX], detail[64];
	object_of(x->row.username, object);
	snprintf(detail, sizeof detail, "{\"sessions_ended\":%lld}", (long long)x->ended);
	return audit_append(c, x->by, x->now, x->disabled ? "account.disable" : "account.enable",
	                    object, detail, e);
}

enum err_code account_set_disabled(struct accounts *a, const struct actor *by, const char *username,
                                   bool disabled, int64_t *sessions_ended, struct err *e)
{
	struct change_ctx x;
	char name[SERVICE_USERNAME_MAX];
	memset(&x, 0, sizeof x);
	if (!by_admin(by))
		return err_set(e, ERR_FORBIDDEN, "only an admin may disable or enable accounts");
	enum err_code rc = account_username_normalize(username, name, e);
	if (rc != ERR_OK)
		return rc;
	x.by = by;
	x.username = name;
	x.disabled = disabled;
	x.now = service_now(a->svc);
	rc = db_run_txn(a->svc->db, DB_TXN_WRITE, disable_fn, &x, e);
	if (rc == ERR_OK && sessions_ended)
		*sessions_ended = x.ended;
	sodium_memzero(x.row.password_hash, sizeof x.row.password_hash);
	return rc;
}

/* ---- login ---- */

struct login_ctx {
	struct accounts *a;
	int64_t now;
	const char *addr;
	char username[SERVICE_USERNAME_MAX];
	char user_bucket[BUCKET_MAX]; /* "" when the username cannot exist */
	char addr_bucket[BUCKET_MAX]; /* "" when the address is unknown */
	/* read phase */
	bool found;
	struct db_account row;
	int64_t retry_after;
	/* write phase */
	char new_hash[ACCOUNT_HASH_MAX]; /* "" unless the stored hash is upgraded */
	struct db_session session;
	bool stale; /* the account changed between the phases */
};

static enum err_code login_read_fn(struct db_conn *c, void *vctx, struct err *e)
{
	struct login_ctx *x = vctx;
	struct ratelimit_state st;
	enum err_code rc;
	x->retry_after = 0;
	x->found = false;
	if (x->user_bucket[0]) {
		rc = ratelimit_check(c, x->user_bucket, &x->a->login_user, x->now, &st, e);
		if (rc != ERR_OK)
			return rc;
		if (!st.allowed)
			x->retry_after = st.retry_after;
	}
	if (x->addr_bucket[0]) {
		rc = ratelimit_check(c, x->addr_bucket, &x->a->login_addr, x->now, &st, e);
		if (rc != ERR_OK)
			return rc;
		if (!st.allowed && st.retry_after > x->retry_after)
			x->retry_after = st.retry_after;
	}
	if (x->retry_after > 0 || !x->user_bucket[0])
		return ERR_OK;
	rc = db_account_by_username(c, x->username, &x->row, e);
	if (rc == ERR_NOT_FOUND) {
		err_clear(e);
		return ERR_OK;
	}
	x->found = rc == ERR_OK;
	return rc;
}

static enum err_code login_fail_fn(struct db_conn *c, void *vctx, struct err *e)
{
	struct login_ctx *x = vctx;
	enum err_code rc = ERR_OK;
	if (x->user_bucket[0])
		rc = ratelimit_hit(c, x->user_bucket, &x->a->login_user, x->now, NULL, e);
	if (rc == ERR_OK && x->addr_bucket[0])
		rc = ratelimit_hit(c, x->addr_bucket, &x->a->login_addr, x->now, NULL, e);
	return rc;
}

static enum err_code login_ok_fn(struct db_conn *c, void *vctx, struct err *e)
{
	struct login_ctx *x = vctx;
	struct db_account now_row;
	x->stale = false;
	enum err_code rc = db_account_by_id(c, x->row.id, &now_row, e);
	if (rc == ERR_NOT_FOUND ||
	    (rc == ERR_OK &&
	     (now_row.disabled || !str_eq(now_row.password_hash, x->row.password_hash)))) {
		err_clear(e);
		x->stale = true;
		sodium_memzero(now_row.password_hash, sizeof now_row.password_hash);
		return ERR_OK;
	}
	sodium_memzero(now_row.password_hash, sizeof now_row.password_hash);
	if (rc != ERR_OK)
		return rc;
	if (x->user_bucket[0] && (rc = ratelimit_reset(c, x->user_bucket, e)) != ERR_OK)
		return rc;
	if (x->new_hash[0] &&
	    (rc = db_account_set_password(c, x->row.id, x->new_hash, x->row.password_hash, x->now,
	                                  NULL, e)) != ERR_OK)
		return rc;
	rc = db_session_insert(c, &x->session, e);
	if (rc != ERR_OK)
		return rc;
	struct account_info info;
	struct actor who;
	info_from_row(&x->row, &info);
	actor_of(&info, x->addr, &who);
	if (!audited(&who))
		return ERR_OK;
	char object[AUDIT_OBJECT_MAX], detail[64];
	object_of(x->row.username, object);
	snprintf(detail, sizeof detail, "{\"expires_at\":%lld}", (long long)x->session.expires_at);
	return audit_append(c, &who, x->now, "session.login", object, detail, e);
}

static void fill_session_row(struct db_session *s, const char *secret, const char *csrf,
                             const char *account_id, const char *kind, const char *label,
                             int64_t now, int64_t expires)
{
	memset(s, 0, sizeof *s);
	hex_sha256(secret, s->token_hash);
	str_copy(s->account_id, sizeof s->account_id, account_id);
	str_copy(s->kind, sizeof s->kind, kind);
	str_copy(s->label, sizeof s->label, label ? label : "");
	str_copy(s->csrf_token, sizeof s->csrf_token, csrf);
	s->created_at = s->last_seen_at = now;
	s->expires_at = expires;
}

static void login_cleanup(struct login_ctx *x)
{
	sodium_memzero(x->row.password_hash, sizeof x->row.password_hash);
	sodium_memzero(x->new_hash, sizeof x->new_hash);
}

enum err_code account_login(struct accounts *a, const char *username, const char *password,
                            const char *addr, struct session_new *out, int64_t *retry_after,
                            struct err *e)
{
	struct login_ctx *x;
	enum err_code rc;
	bool ok = false;
	if (retry_after)
		*retry_after = 0;
	memset(out, 0, sizeof *out);
	if (str_empty(username) || str_empty(password))
		return err_set(e, ERR_INVALID_ARGUMENT, "give a username and a password");
	if (strlen(password) > ACCOUNT_PASSWORD_MAX)
		return err_set(e, ERR_TOO_LONG, "password longer than %d bytes",
		               ACCOUNT_PASSWORD_MAX);
	x = calloc(1, sizeof *x);
	if (!x)
		return err_set(e, ERR_NO_MEMORY, "out of memory");
	x->a = a;
	x->now = service_now(a->svc);
	x->addr = addr;
	if (account_username_normalize(username, x->username, NULL) == ERR_OK)
		ratelimit_bucket(x->user_bucket, sizeof x->user_bucket, "login:user", x->username,
		                 NULL);
	if (!str_empty(addr))
		ratelimit_bucket(x->addr_bucket, sizeof x->addr_bucket, "login:addr", addr, NULL);

	rc = db_run_txn(a->svc->db, DB_TXN_READ, login_read_fn, x, e);
	if (rc != ERR_OK)
		goto out;
	if (x->retry_after > 0) {
		if (retry_after)
			*retry_after = x->retry_after;
		log_warn("account.login_limited",
		         "login refused for '%s' from '%s': too many failures",
		         x->user_bucket[0] ? x->username : "?", addr ? addr : "");
		rc = err_set(e, ERR_RATE_LIMITED, "too many failed logins; retry in %lld seconds",
		             (long long)x->retry_after);
		goto out;
	}
	/* The same work whether or not the account exists and has a password. */
	bool real = x->found && x->row.password_hash[0];
	const char *hash = x->row.password_hash;
	if (!real && (rc = dummy_hash(a, &hash, e)) != ERR_OK)
		goto out;
	rc = account_password_verify(a, hash, password, &ok, e);
	if (rc != ERR_OK)
		goto out;
	ok = ok && real && !x->row.disabled;
	if (ok &&
	    crypto_pwhash_str_needs_rehash(x->row.password_hash, a->opslimit, a->memlimit) != 0)
		if (account_password_hash(a, password, x->new_hash, NULL) != ERR_OK)
			x->new_hash[0] = '\0'; /* keep the old hash; try again next time */
	if (ok) {
		char csrf[ACCOUNT_CSRF_LEN];
		new_secret(out->secret);
		new_secret(csrf);
		str_copy(out->csrf, sizeof out->csrf, csrf);
		out->expires_at = x->now + a->session_seconds;
		fill_session_row(&x->session, out->secret, csrf, x->row.id, "session", NULL, x->now,
		                 out->expires_at);
		rc = db_run_txn(a->svc->db, DB_TXN_WRITE, login_ok_fn, x, e);
		if (rc != ERR_OK)
			goto out;
		ok = !x->stale;
	}
	if (!ok) {
		rc = db_run_txn(a->svc->db, DB_TXN_WRITE, login_fail_fn, x, e);
		if (rc == ERR_OK) {
			log_info("account.login_failed", "failed login for '%s' from '%s'",
			         x->user_bucket[0] ? x->username : "?", addr ? addr : "");
			rc = err_set(e, ERR_LOGIN_FAILED, "wrong username or password");
		}
		goto out;
	}
	info_from_row(&x->row, &out->account);
out:
	if (rc != ERR_OK)
		sodium_memzero(out, sizeof *out);
	login_cleanup(x);
	free(x);
	return rc;
}

/* ---- sessions ---- */

struct lookup_ctx {
	char hash[TOKEN_HASH_LEN];
	int64_t now;
	struct db_session s;
	struct db_account row;
};

static enum err_code lookup_fn(struct db_conn *c, void *vctx, struct err *e)
{
	struct lookup_ctx *x = vctx;
	return db_session_get(c, x->hash, &x->s, &x->row, e);
}

static enum err_code touch_fn(struct db_conn *c, void *vctx, struct err *e)
{
	struct lookup_ctx *x = vctx;
	return db_session_touch(c, x->hash, x->now, e);
}

enum err_code account_session_lookup(struct accounts *a, const char *secret,
                                     struct session_info *out, struct err *e)
{
	struct lookup_ctx x;
	memset(&x, 0, sizeof x);
	memset(out, 0, sizeof *out);
	if (!secret_well_formed(secret))
		return err_set(e, ERR_UNAUTHORIZED, "malformed session token");
	hex_sha256(secret, x.hash);
	x.now = service_now(a->svc);
	enum err_code rc = db_run_txn(a->svc->db, DB_TXN_READ, lookup_fn, &x, e);
	sodium_memzero(x.row.password_hash, sizeof x.row.password_hash);
	if (rc == ERR_NOT_FOUND)
		return err_set(e, ERR_UNAUTHORIZED, "unknown session");
	if (rc != ERR_OK)
		return rc;
	if (x.s.expires_at <= x.now)
		return err_set(e, ERR_UNAUTHORIZED, "session expired");
	if (x.row.disabled)
		return err_set(e, ERR_UNAUTHORIZED, "account disabled");
	if (x.now - x.s.last_seen_at >= ACCOUNT_LAST_SEEN_STEP) {
		struct err te;
		if (db_run_txn(a->svc->db, DB_TXN_WRITE, touch_fn, &x, &te) != ERR_OK)
			log_warn("account.touch", "cannot record session activity: %s", te.detail);
		else
			x.s.last_seen_at = x.now;
	}
	out->is_token = str_eq(x.s.kind, "token");
	str_copy(out->label, sizeof out->label, x.s.label);
	str_copy(out->csrf, sizeof out->csrf, x.s.csrf_token);
	out->created_at = x.s.created_at;
	out->expires_at = x.s.expires_at;
	out->last_seen_at = x.s.last_seen_at;
	info_from_row(&x.row, &out->account);
	return ERR_OK;
}

void account_session_actor(const struct session_info *s, const char *addr, struct actor *out)
{
	actor_of(&s->account, addr, out);
}

bool account_csrf_ok(const struct session_info *s, const char *presented)
{
	size_t n = strlen(s->csrf);
	return presented && n > 0 && strlen(presented) == n &&
	       sodium_memcmp(s->csrf, presented, n) == 0;
}

struct logout_ctx {
	struct lookup_ctx l;
	const char *addr;
};

static enum err_code logout_fn(struct db_conn *c, void *vctx, struct err *e)
{
	struct logout_ctx *x = vctx;
	enum err_code rc = db_session_get(c, x->l.hash, &x->l.s, &x->l.row, e);
	if (rc == ERR_NOT_FOUND) {
		err_clear(e);
		return ERR_OK;
	}
	if (rc == ERR_OK)
		rc = db_session_delete(c, x->l.hash, NULL, e);
	if (rc != ERR_OK)
		return rc;
	struct account_info info;
	struct actor who;
	info_from_row(&x->l.row, &info);
	actor_of(&info, x->addr, &who);
	if (!audited(&who))
		return ERR_OK;
	char object[AUDIT_OBJECT_MAX];
	object_of(info.username, object);
	return audit_append(c, &who, x->l.now, "session.logout", object,
	                    str_eq(x->l.s.kind, "token") ? "{\"kind\":\"token\"}"
	                                                 : "{\"kind\":\"session\"}",
	                    e);
}

enum err_code account_logout(struct accounts *a, const char *secret, const char *addr,
                             struct err *e)
{
	struct logout_ctx x;
	memset(&x, 0, sizeof x);
	if (!secret_well_formed(secret))
		return ERR_OK;
	hex_sha256(secret, x.l.hash);
	x.l.now = service_now(a->svc);
	x.addr = addr;
	enum err_code rc = db_run_txn(a->svc->db, DB_TXN_WRITE, logout_fn, &x, e);
	sodium_memzero(x.l.row.password_hash, sizeof x.l.row.password_hash);
	return rc;
}

/* ---- API tokens ---- */

struct token_ctx {
	const struct actor *by;
	const char *username;
	const char *label;
	int64_t now;
	struct session_new *out;
	struct db_session s;
	struct db_account row;
	int64_t revoked;
};

/*
 * Checks an admin's request on the token labelled label of username (verb
 * says what the request does, for the message) and fills x for its
 * transaction; name (SERVICE_USERNAME_MAX bytes) receives the normalized name.
 */
static enum err_code token_start(struct accounts *a, const struct actor *by, const char *username,
                                 const char *label, const char *verb,
                                 char name[SERVICE_USERNAME_MAX], struct token_ctx *x,
                                 struct err *e)
{
	memset(x, 0, sizeof *x);
	if (!by_admin(by))
		return err_set(e, ERR_FORBIDDEN, "only an admin may %s API tokens", verb);
	enum err_code rc = account_username_normalize(username, name, e);
	if (rc == ERR_OK)
		rc = check_text("token label", label, ACCOUNT_LABEL_MAX, e);
	if (rc != ERR_OK)
		return rc;
	x->by = by;
	x->username = name;
	x->label = label;
	x->now = service_now(a->svc);
	return ERR_OK;
}

/* Audits action on x's token: its label and one more integer, key = value. */
static enum err_code token_audit(struct db_conn *c, const struct token_ctx *x, const char *action,
                                 const char *key, int64_t value, struct err *e)
{
	char object[AUDIT_OBJECT_MAX];
	object_of(x->row.username, object);
	json_t *d = json_object();
	json_object_set_new(d, "label", json_string(x->label));
	json_object_set_new(d, key, json_integer(value));
	char *detail = json_text(d);
	if (!detail)
		return err_set(e, ERR_NO_MEMORY, "out of memory");
	enum err_code rc = audit_append(c, x->by, x->now, action, object, detail, e);
	free(detail);
	return rc;
}

static enum err_code token_account(struct db_conn *c, struct token_ctx *x, struct err *e)
{
	enum err_code rc = db_account_by_username(c, x->username, &x->row, e);
	sodium_memzero(x->row.password_hash, sizeof x->row.password_hash);
	return rc;
}

static enum err_code token_create_fn(struct db_conn *c, void *vctx, struct err *e)
{
	struct token_ctx *x = vctx;
	int64_t n = 0;
	enum err_code rc = token_account(c, x, e);
	if (rc != ERR_OK)
		return rc;
	if (!str_eq(x->row.kind, "staff") && !str_eq(x->row.kind, "system"))
		return err_set(e, ERR_INVALID_ARGUMENT,
		               "API tokens are for staff and system accounts, not '%s'",
		               x->row.kind);
	if (x->row.disabled)
		return err_set(e, ERR_INVALID_ARGUMENT, "account '%s' is disabled",
		               x->row.username);
	if ((rc = db_session_count_label(c, x->row.id, x->label, x->now, &n, e)) != ERR_OK)
		return rc;
	if (n > 0)
		return err_set(e, ERR_DB_CONFLICT, "account '%s' has a token labelled '%s' already",
		               x->row.username, x->label);
	str_copy(x->s.account_id, sizeof x->s.account_id, x->row.id);
	if ((rc = db_session_insert(c, &x->s, e)) != ERR_OK)
		return rc;
	return token_audit(c, x, "token.create", "expires_at", x->s.expires_at, e);
}

enum err_code account_token_create(struct accounts *a, const struct actor *by, const char *username,
                                   const char *label, struct session_new *out, struct err *e)
{
	struct token_ctx x;
	char name[SERVICE_USERNAME_MAX];
	memset(out, 0, sizeof *out);
	enum err_code rc = token_start(a, by, username, label, "create", name, &x, e);
	if (rc != ERR_OK)
		return rc;
	x.out = out;
	new_secret(out->secret);
	new_secret(out->csrf);
	out->expires_at = x.now + a->token_seconds;
	fill_session_row(&x.s, out->secret, out->csrf, "", "token", label, x.now, out->expires_at);
	rc = db_run_txn(a->svc->db, DB_TXN_WRITE, token_create_fn, &x, e);
	if (rc == ERR_OK)
		info_from_row(&x.row, &out->account);
	else
		sodium_memzero(out, sizeof *out);
	return rc;
}

static enum err_code token_revoke_fn(struct db_conn *c, void *vctx, struct err *e)
{
	struct token_ctx *x = vctx;
	enum err_code rc = token_account(c, x, e);
	if (rc == ERR_OK)
		rc = db_session_delete_label(c, x->row.id, x->label, &x->revoked, e);
	if (rc != ERR_OK)
		return rc;
	if (x->revoked == 0)
		return err_set(e, ERR_NOT_FOUND, "account '%s' has no token labelled '%s'",
		               x->row.username, x->label);
	return token_audit(c, x, "token.revoke", "revoked", x->revoked, e);
}

enum err_code account_token_revoke(struct accounts *a, const struct actor *by, const char *username,
                                   const char *label, int64_t *revoked, struct err *e)
{
	struct token_ctx x;
	char name[SERVICE_USERNAME_MAX];
	if (revoked)
		*revoked = 0;
	enum err_code rc = token_start(a, by, username, label, "revoke", name, &x, e);
	if (rc != ERR_OK)
		return rc;
	rc = db_run_txn(a->svc->db, DB_TXN_WRITE, token_revoke_fn, &x, e);
	if (rc == ERR_OK && revoked)
		*revoked = x.revoked;
	return rc;
}

struct purge_ctx {
	int64_t now;
	int64_t deleted;
};

static enum err_code purge_fn(struct db_conn *c, void *vctx, struct err *e)
{
	struct purge_ctx *x = vctx;
	return db_session_purge(c, x->now, &x->deleted, e);
}

enum err_code account_purge(struct accounts *a, int64_t *deleted, struct err *e)
{
	struct purge_ctx x = {service_now(a->svc), 0};
	enum err_code rc = db_run_txn(a->svc->db, DB_TXN_WRITE, purge_fn, &x, e);
	if (deleted)
		*deleted = rc == ERR_OK ? x.deleted : 0;
	return rc;
}
