/*
 * db_account: the SQL of accounts, login sessions and API tokens (tables
 * account and session, migration 0001). The rules (who may do what, how
 * passwords and secrets are made) live in src/service/account.c.
 *
 * Text columns that are NULL read back as "" and "" is written as NULL for
 * the optional columns (unit_code, id_number, tax_code, phone, email,
 * password_hash, label).
 */
#ifndef MOTCUA_DB_DB_ACCOUNT_H
#define MOTCUA_DB_DB_ACCOUNT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/error.h"
#include "db/db.h"

#define DB_ACCOUNT_ID_MAX       33
#define DB_ACCOUNT_USERNAME_MAX 65
#define DB_ACCOUNT_KIND_MAX     16
#define DB_ACCOUNT_UNIT_MAX     65
#define DB_ACCOUNT_NAME_MAX     256
#define DB_ACCOUNT_NUMBER_MAX   16 /* id_number (12 digits), tax_code (10 or 14 characters) */
#define DB_ACCOUNT_PHONE_MAX    24
#define DB_ACCOUNT_EMAIL_MAX    256
#define DB_ACCOUNT_HASH_MAX     256

struct db_account {
	char id[DB_ACCOUNT_ID_MAX];
	char username[DB_ACCOUNT_USERNAME_MAX];
	char kind[DB_ACCOUNT_KIND_MAX]; /* staff, citizen, business, system */
	int64_t roles;                  /* enum lifecycle_role bits */
	char unit_code[DB_ACCOUNT_UNIT_MAX];
	char full_name[DB_ACCOUNT_NAME_MAX];
	char id_number[DB_ACCOUNT_NUMBER_MAX];
	char tax_code[DB_ACCOUNT_NUMBER_MAX];
	char phone[DB_ACCOUNT_PHONE_MAX];
	char email[DB_ACCOUNT_EMAIL_MAX];
	char password_hash[DB_ACCOUNT_HASH_MAX]; /* "" when none */
	bool disabled;
	int64_t created_at;
	int64_t updated_at;
};

#define DB_SESSION_HASH_LEN  65 /* hex SHA-256 + NUL */
#define DB_SESSION_KIND_MAX  16
#define DB_SESSION_LABEL_MAX 129
#define DB_SESSION_CSRF_MAX  64

struct db_session {
	char token_hash[DB_SESSION_HASH_LEN];
	char account_id[DB_ACCOUNT_ID_MAX];
	char kind[DB_SESSION_KIND_MAX]; /* session, token */
	char label[DB_SESSION_LABEL_MAX];
	char csrf_token[DB_SESSION_CSRF_MAX];
	int64_t created_at;
	int64_t expires_at;
	int64_t last_seen_at;
};

/* ---- accounts ---- */

/* Inserts a. ERR_DB_CONFLICT when the id or the username is taken. */
enum err_code db_account_insert(struct db_conn *c, const struct db_account *a, struct err *e);

/* Reads the account with this username (or id) into *out; ERR_NOT_FOUND when none. */
enum err_code db_account_by_username(struct db_conn *c, const char *username,
                                     struct db_account *out, struct err *e);
enum err_code db_account_by_id(struct db_conn *c, const char *id, struct db_account *out,
                               struct err *e);

/*
 * Sets the password hash of account id (hash "" clears it). When
 * expected_hash is not NULL, only if the stored hash still equals it (a
 * rehash must not undo a concurrent password change). *changed (when not
 * NULL) gets whether a row was updated.
 */
enum err_code db_account_set_password(struct db_conn *c, const char *id, const char *hash,
                                      const char *expected_hash, int64_t now, bool *changed,
                                      struct err *e);

/* Sets the disabled flag; *changed gets whether the row existed. */
enum err_code db_account_set_disabled(struct db_conn *c, const char *id, bool disabled, int64_t now,
                                      bool *changed, struct err *e);

/*
 * Calls fn for accounts ordered by username, skipping `offset` and stopping
 * after `limit` (limit <= 0: all). Staff and system accounts only, unless
 * include_citizens. A non-OK return of fn stops and is returned.
 */
typedef enum err_code db_account_fn(const struct db_account *a, void *ctx, struct err *e);
enum err_code db_account_list(struct db_conn *c, bool include_citizens, int64_t limit,
                              int64_t offset, db_account_fn *fn, void *ctx, struct err *e);

/* How many accounts db_account_list() would visit without limit and offset. */
enum err_code db_account_count(struct db_conn *c, bool include_citizens, int64_t *n, struct err *e);

/* The kind of unit `code` (unit.kind) into kind (kindsz bytes); ERR_NOT_FOUND when no such unit. */
enum err_code db_account_unit_kind(struct db_conn *c, const char *code, char *kind, size_t kindsz,
                                   struct err *e);

/* ---- sessions and API tokens ---- */

/* Inserts s. ERR_DB_CONFLICT when the token hash exists already. */
enum err_code db_session_insert(struct db_conn *c, const struct db_session *s, struct err *e);

/* The session with this token hash and its account; ERR_NOT_FOUND when none. */
enum err_code db_session_get(struct db_conn *c, const char *token_hash, struct db_session *s,
                             struct db_account *a, struct err *e);

/* Sets last_seen_at = now unless it is already at or after now. */
enum err_code db_session_touch(struct db_conn *c, const char *token_hash, int64_t now,
                               struct err *e);

/* Deletes one session or token; *deleted (when not NULL) gets 0 or 1. */
enum err_code db_session_delete(struct db_conn *c, const char *token_hash, int64_t *deleted,
                                struct err *e);

/*
 * Deletes the sessions of an account: of one kind ("session" or "token"),
 * or all when kind is NULL. *deleted (when not NULL) gets how many.
 */
enum err_code db_session_delete_account(struct db_conn *c, const char *account_id, const char *kind,
                                        int64_t *deleted, struct err *e);

/* Deletes the account's API tokens with this label; *deleted gets how many. */
enum err_code db_session_delete_label(struct db_conn *c, const char *account_id, const char *label,
                                      int64_t *deleted, struct err *e);

/* How many of the account's API tokens with this label are still valid at now. */
enum err_code db_session_count_label(struct db_conn *c, const char *account_id, const char *label,
                                     int64_t now, int64_t *n, struct err *e);

/* Deletes every session and token that expired at or before now. */
enum err_code db_session_purge(struct db_conn *c, int64_t now, int64_t *deleted, struct err *e);

#endif
