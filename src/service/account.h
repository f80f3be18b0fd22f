/*
 * account: who may use motcua and how they prove it.
 *
 * Accounts are of four kinds (enum actor_kind): staff (roles of
 * domain/lifecycle.h and a scope unit), system (other systems, ROLE_SYSTEM,
 * API tokens only), citizen (username = the 12-digit personal
 * identification number) and business (username = the tax code). Staff
 * roles and the units they need:
 *   admin, leader, supervisor  the whole city (a unit is optional);
 *   officer                    a reception unit: centre, branch, point or commune desk;
 *   specialist, approver       an agency or commune unit: city_committee,
 *                              office, department, police, commune_committee
 *                              or commune_police.
 *
 * Passwords are hashed with Argon2id (libsodium crypto_pwhash_str) at the
 * cost set by password_opslimit / password_memlimit_kib; at most
 * password_hash_concurrency hashes run at once per process (a counting
 * semaphore), so that a burst of logins cannot exhaust memory.
 *
 * A login gives a session: a random 32-byte secret shown once (base64url,
 * 43 characters: the cookie value or an "Authorization: Bearer" token), of
 * which only the SHA-256 is stored, a CSRF token and an expiry
 * (session_hours). API tokens for other systems are sessions of kind
 * "token" with a label and a long expiry (api_token_days), revocable. A
 * disabled account cannot log in, and its sessions and tokens stop working.
 *
 * Failed logins are counted per username and per client address in the
 * database (service/ratelimit.h); past login_max_failures(_per_address)
 * within login_window_seconds further attempts get ERR_RATE_LIMITED. An
 * unknown username, a wrong password, a disabled account and an account
 * without a password all get the same ERR_LOGIN_FAILED after the same work
 * (a dummy hash is verified when there is no real one).
 *
 * Every function is one transaction on the calling thread's connection
 * (db_run_txn), and every write by staff or the system is audited in that
 * transaction (service/audit.h). Password hashing runs outside
 * transactions. struct accounts is built once and shared by all threads.
 */
#ifndef MOTCUA_SERVICE_ACCOUNT_H
#define MOTCUA_SERVICE_ACCOUNT_H

#include <pthread.h>
#include <semaphore.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/error.h"
#include "service/ratelimit.h"
#include "service/service.h"

#define ACCOUNT_PASSWORD_MAX   1024 /* bytes */
#define ACCOUNT_HASH_MAX       128  /* crypto_pwhash_STRBYTES */
#define ACCOUNT_SECRET_LEN     44   /* 43 base64url characters + NUL */
#define ACCOUNT_CSRF_LEN       44   /* same form */
#define ACCOUNT_NAME_MAX       256  /* full name, bytes + NUL */
#define ACCOUNT_NUMBER_MAX     16   /* ID number or tax code + NUL */
#define ACCOUNT_PHONE_MAX      16   /* normalized 0XXXXXXXXX + NUL */
#define ACCOUNT_EMAIL_MAX      255  /* RFC 5321 path limit 254 + NUL */
#define ACCOUNT_LABEL_MAX      129  /* API token label, bytes + NUL */
#define ACCOUNT_USERNAME_MIN   3
#define ACCOUNT_LAST_SEEN_STEP 60   /* seconds: last_seen_at is written at most this often */
#define ACCOUNT_HASH_WAIT      30   /* seconds a hash waits for a slot before giving up */
#define ACCOUNT_LIST_MAX       1000 /* rows per account_list() call */

/* Built once from the configuration; shared by every thread. */
struct accounts {
	const struct service *svc;
	unsigned long long opslimit;
	size_t memlimit;      /* bytes */
	int min_password_len; /* characters */
	int64_t session_seconds;
	int64_t token_seconds;
	struct ratelimit_policy login_user; /* failed logins per username */
	struct ratelimit_policy login_addr; /* failed logins per client address */
	int concurrency;                    /* hash slots */
	sem_t slots;
	atomic_int in_flight;          /* hashes running now */
	atomic_int peak;               /* most hashes seen running at once */
	atomic_uint_fast64_t computed; /* hashes and verifications done */
	pthread_mutex_t dummy_lock;
	atomic_bool dummy_ready;
	char dummy_hash[ACCOUNT_HASH_MAX]; /* verified when an account has no hash; made at first
	                                      need */
};

/* An account as shown to callers (never the password hash). */
struct account_info {
	char id[SERVICE_ID_LEN];
	char username[SERVICE_USERNAME_MAX];
	enum actor_kind kind; /* ACTOR_STAFF, ACTOR_SYSTEM, ACTOR_CITIZEN or ACTOR_BUSINESS */
	unsigned roles;       /* enum lifecycle_role bits */
	char unit_code[SERVICE_CODE_MAX];
	char full_name[ACCOUNT_NAME_MAX];
	char id_number[ACCOUNT_NUMBER_MAX];
	char tax_code[ACCOUNT_NUMBER_MAX];
	char phone[ACCOUNT_PHONE_MAX];
	char email[ACCOUNT_EMAIL_MAX];
	bool has_password;
	bool disabled;
	int64_t created_at;
	int64_t updated_at;
};

/* A new login session or API token: the secret exists only here, once. */
struct session_new {
	char secret[ACCOUNT_SECRET_LEN];
	char csrf[ACCOUNT_CSRF_LEN];
	int64_t expires_at;
	struct account_info account;
};

/* A live session or token found by its secret. */
struct session_info {
	bool is_token;                 /* kind "token" (API) rather than a login session */
	char label[ACCOUNT_LABEL_MAX]; /* tokens only */
	char csrf[ACCOUNT_CSRF_LEN];
	int64_t created_at;
	int64_t expires_at;
	int64_t last_seen_at;
	struct account_info account;
};

/*
 * Reads the configuration of svc (password_*, session_hours,
 * api_token_days, login_*), initialises libsodium and the hash slots. svc
 * must outlive a. Cheap: no hashing happens here. Returns ERR_OK,
 * ERR_CONFIG_INVALID or ERR_INTERNAL. Release with accounts_release().
 */
enum err_code accounts_init(struct accounts *a, const struct service *svc, struct err *e);
void accounts_release(struct accounts *a);

/*
 * Makes the dummy hash (verified for unknown usernames) now rather than at
 * the first login with an unknown username, so that even that one costs
 * the same as the others. The server calls it at start-up. ERR_OK or
 * ERR_NO_MEMORY.
 */
enum err_code accounts_prepare_login(struct accounts *a, struct err *e);

/* ---- passwords ---- */

/*
 * Checks a new password: valid UTF-8, at least min_password_len characters,
 * at most ACCOUNT_PASSWORD_MAX bytes, and not containing the username
 * (ignoring case; username may be NULL). ERR_WEAK_PASSWORD, ERR_TOO_LONG or
 * ERR_INVALID_ARGUMENT otherwise.
 */
enum err_code account_password_check(const struct accounts *a, const char *username,
                                     const char *password, struct err *e);

/*
 * Hashes password with Argon2id into out, waiting (at most ACCOUNT_HASH_WAIT
 * seconds) for a hash slot. ERR_NO_MEMORY when no slot came free or memory
 * ran out. Does not check the password's strength.
 */
enum err_code account_password_hash(struct accounts *a, const char *password,
                                    char out[ACCOUNT_HASH_MAX], struct err *e);

/*
 * *ok = whether password matches hash (a crypto_pwhash_str string), in a
 * hash slot like account_password_hash(). An unparsable hash gives *ok =
 * false. ERR_NO_MEMORY when no slot came free.
 */
enum err_code account_password_verify(struct accounts *a, const char *hash, const char *password,
                                      bool *ok, struct err *e);

/*
 * The hash slots themselves (for tests and metrics): take one (waiting at
 * most ACCOUNT_HASH_WAIT seconds when wait, else not at all) and give it
 * back. Acquire returns ERR_OK or ERR_NO_MEMORY.
 */
enum err_code account_hash_slot_acquire(struct accounts *a, bool wait, struct err *e);
void account_hash_slot_release(struct accounts *a);

/*
 * Hashes running now, the most seen at once, and the hashes and
 * verifications done since accounts_init() (each pointer may be NULL).
 */
void account_hash_stats(struct accounts *a, int *in_flight, int *peak, uint64_t *computed);

/* ---- checks of identifiers (pure) ---- */

/*
 * Normalizes a staff or system username into out: ASCII letters are
 * lowered; the result must be ACCOUNT_USERNAME_MIN..SERVICE_USERNAME_MAX-1
 * characters of a-z 0-9 . _ - starting with a letter or digit.
 * ERR_INVALID_ARGUMENT otherwise.
 */
enum err_code account_username_normalize(const char *in, char out[SERVICE_USERNAME_MAX],
                                         struct err *e);

/*
 * Checks a Vietnamese tax code: 10 digits, or 10 digits, "-" and 3 digits
 * for a dependent unit (Circular 105/2020/TT-BTC, Article 5). The check
 * digit is not verified. ERR_OK or ERR_INVALID_TAX_CODE.
 */
enum err_code account_tax_code_check(const char *s, struct err *e);

/*
 * Normalizes a Vietnamese phone number into out: spaces, dots and hyphens
 * are dropped, "+84" or "84" becomes "0"; the result must be 10 digits
 * starting with 0. ERR_INVALID_ARGUMENT otherwise.
 */
enum err_code account_phone_normalize(const char *in, char out[ACCOUNT_PHONE_MAX], struct err *e);

/*
 * Checks an e-mail address in the usual form LOCAL@DOMAIN: printable ASCII
 * without spaces, one "@", a domain with a dot, at most 254 bytes.
 * ERR_INVALID_ARGUMENT otherwise.
 */
enum err_code account_email_check(const char *s, struct err *e);

/* ---- accounts ---- */

struct account_new {
	const char *username;
	unsigned roles;        /* staff roles, or exactly ROLE_SYSTEM for a system account */
	const char *unit_code; /* scope; NULL or "" for none */
	const char *full_name;
	const char *password; /* NULL: none yet (cannot log in until account_set_password) */
};

/*
 * Creates a staff or system account; by must be the system or an admin
 * (ERR_FORBIDDEN). Checks username, roles (ERR_INVALID_ARGUMENT: none,
 * unknown bits, applicant, system mixed with others), the unit
 * (ERR_NOT_FOUND when unknown, ERR_INVALID_ARGUMENT when of the wrong kind
 * or missing), the full name and the password. ERR_DB_CONFLICT when the
 * username is taken. Audited as "account.create". *out may be NULL.
 */
enum err_code account_create(struct accounts *a, const struct actor *by,
                             const struct account_new *in, struct account_info *out, struct err *e);

struct account_registration {
	enum actor_kind kind;  /* ACTOR_CITIZEN or ACTOR_BUSINESS */
	const char *id_number; /* citizen: 12 digits, checked with cccd_parse() */
	const char *tax_code;  /* business: see account_tax_code_check() */
	const char *full_name; /* the person's or the organisation's name */
	const char *phone;     /* at least one of phone and email */
	const char *email;
	const char *password;
};

/*
 * Registers a citizen (username = ID number) or business (username = tax
 * code) account for online filing. ERR_INVALID_CCCD, ERR_INVALID_TAX_CODE,
 * ERR_INVALID_ARGUMENT, ERR_MISSING_ARGUMENT (neither phone nor e-mail),
 * ERR_WEAK_PASSWORD, ERR_DB_CONFLICT (already registered). Not audited
 * (no staff involved). *out may be NULL.
 */
enum err_code account_register(struct accounts *a, const struct account_registration *in,
                               struct account_info *out, struct err *e);

/* The account with this username (normalized as at login); ERR_NOT_FOUND when none. */
enum err_code account_get(struct accounts *a, const char *username, struct account_info *out,
                          struct err *e);

struct account_list {
	struct account_info *items; /* malloc'ed; free with account_list_release() */
	size_t count;
	int64_t total; /* matching accounts without limit and offset */
};

/*
 * Lists accounts by username: staff and system accounts, plus citizens and
 * businesses when include_citizens (then audited as "account.list" when by
 * is staff, since it reads personal data). by must be the system, an admin
 * or a supervisor (ERR_FORBIDDEN). limit is capped at ACCOUNT_LIST_MAX
 * (<= 0: the cap).
 */
enum err_code account_list(struct accounts *a, const struct actor *by, bool include_citizens,
                           int64_t limit, int64_t offset, struct account_list *out, struct err *e);
void account_list_release(struct account_list *l);

/*
 * Sets the password of username (checked by account_password_check()) and
 * ends its login sessions (API tokens stay); *sessions_ended (when not NULL)
 * gets how many. by must be the system, an admin, or the account itself.
 * Audited as "account.password".
 */
enum err_code account_set_password(struct accounts *a, const struct actor *by, const char *username,
                                   const char *password, int64_t *sessions_ended, struct err *e);

/*
 * The account's own password change: the old password must verify
 * (ERR_LOGIN_FAILED otherwise), then as account_set_password().
 */
enum err_code account_change_own_password(struct accounts *a, const struct actor *by,
                                          const char *old_password, const char *new_password,
                                          struct err *e);

/*
 * Disables (or enables again) username; disabling deletes its sessions and
 * API tokens (*sessions_ended gets how many). by must be the system or an
 * admin, and may not disable itself. Audited as "account.disable" /
 * "account.enable".
 */
enum err_code account_set_disabled(struct accounts *a, const struct actor *by, const char *username,
                                   bool disabled, int64_t *sessions_ended, struct err *e);

/* ---- sessions and tokens ---- */

/*
 * Logs in: checks the rate limits of username and addr (addr may be NULL
 * or "" when unknown), verifies the password, and on success creates a
 * session (expiring session_hours from now), resets the username's failure
 * count, upgrades the stored hash when the configured cost changed, and
 * audits "session.login" for staff. Returns ERR_OK, ERR_LOGIN_FAILED (for
 * every kind of wrong credentials), ERR_RATE_LIMITED (*retry_after, when
 * not NULL, gets the seconds to wait), ERR_INVALID_ARGUMENT (empty
 * username or password), ERR_NO_MEMORY (no hash slot) or a database error.
 */
enum err_code account_login(struct accounts *a, const char *username, const char *password,
                            const char *addr, struct session_new *out, int64_t *retry_after,
                            struct err *e);

/*
 * Finds the live session or token whose secret is given (the cookie value
 * or the bearer token) and moves its last_seen_at (at most every
 * ACCOUNT_LAST_SEEN_STEP seconds). ERR_UNAUTHORIZED when the secret is
 * malformed or unknown, the session expired, or the account is disabled.
 */
enum err_code account_session_lookup(struct accounts *a, const char *secret,
                                     struct session_info *out, struct err *e);

/* The actor of a session (kind, id, username, roles, unit), with the client address addr. */
void account_session_actor(const struct session_info *s, const char *addr, struct actor *out);

/* True when presented equals the session's CSRF token (constant time). */
bool account_csrf_ok(const struct session_info *s, const char *presented);

/*
 * Ends the session (or token) whose secret is given; audited as
 * "session.logout" for staff. ERR_OK also when it did not exist.
 */
enum err_code account_logout(struct accounts *a, const char *secret, const char *addr,
                             struct err *e);

/*
 * Creates an API token for username (a staff or system account that is not
 * disabled), labelled label (1..128 bytes, printable; unique among the
 * account's live tokens: ERR_DB_CONFLICT), expiring api_token_days from
 * now. by must be the system or an admin. Audited as "token.create".
 */
enum err_code account_token_create(struct accounts *a, const struct actor *by, const char *username,
                                   const char *label, struct session_new *out, struct err *e);

/*
 * Revokes username's API tokens labelled label; *revoked gets how many
 * (ERR_NOT_FOUND when none). by must be the system or an admin. Audited as
 * "token.revoke".
 */
enum err_code account_token_revoke(struct accounts *a, const struct actor *by, const char *username,
                                   const char *label, int64_t *revoked, struct err *e);

/*
 * Deletes the sessions and tokens that have expired; *deleted (when not
 * NULL) gets how many. (Old rate-limit windows: ratelimit_purge().)
 */
enum err_code account_purge(struct accounts *a, int64_t *deleted, struct err *e);

/* "staff", "system", "citizen", "business" (NULL for ACTOR_ANONYMOUS). */
const char *account_kind_name(enum actor_kind k);

#endif
