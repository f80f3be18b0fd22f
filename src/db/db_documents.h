/*
 * db_documents: the SQL of signed documents (migration 0005) -- the
 * centre's signing keys, the register of issued documents -- and the read
 * of a branch's tracking book (the dossiers it received in a period).
 *
 * Rows are copied into fixed-size structs; lists are freed with their
 * *_free(). Text columns that are NULL read as "", integer ones as DB_NONE.
 * Every function takes a connection inside a transaction (db_run_txn).
 */
#ifndef MOTCUA_DB_DB_DOCUMENTS_H
#define MOTCUA_DB_DB_DOCUMENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/error.h"
#include "db/db.h"
#include "db/db_dossier.h"

#define DBDOC_KEY_ID_SIZE 17  /* 16 hex digits + NUL */
#define DBDOC_HEX32_SIZE  65  /* 64 hex digits + NUL */
#define DBDOC_HEX64_SIZE  129 /* 128 hex digits + NUL */
#define DBDOC_CODE_SIZE   16  /* XXXX-XXXX-XXXX + NUL */
#define DBDOC_ACTOR_SIZE  160 /* audit actor text */

/* A row of signing_key. */
struct db_signing_key {
	char id[DBDOC_KEY_ID_SIZE];
	char public_key[DBDOC_HEX32_SIZE];
	char seed[DBDOC_HEX32_SIZE]; /* "" when read by db_documents_keys() */
	int current;
	int64_t created_at;
	char created_by[DBDOC_ACTOR_SIZE];
	int64_t retired_at; /* DB_NONE while current */
	int64_t documents;  /* documents it signed (db_documents_keys() only) */
};

struct db_key_list {
	struct db_signing_key *items;
	size_t count;
};

/* The current key, seed included. ERR_NOT_FOUND when the centre has none yet. */
enum err_code db_documents_current_key(struct db_conn *c, struct db_signing_key *out,
                                       struct err *e);

/* A key by id, seed included. ERR_NOT_FOUND when absent. */
enum err_code db_documents_key(struct db_conn *c, const char *id, struct db_signing_key *out,
                               struct err *e);

/*
 * Inserts k. When k->current and another key is current already, nothing is
 * inserted and *inserted is false (two nodes creating the first key at once:
 * one wins, both then use it).
 */
enum err_code db_documents_key_insert(struct db_conn *c, const struct db_signing_key *k,
                                      bool *inserted, struct err *e);

/* Retires the current key (current = 0, retired_at = at); none is fine. */
enum err_code db_documents_key_retire(struct db_conn *c, int64_t at, struct err *e);

/* Every key, oldest first, without seeds, with the number of documents each signed. */
enum err_code db_documents_keys(struct db_conn *c, struct db_key_list *out, struct err *e);
void db_key_list_free(struct db_key_list *l);

/* A row of issued_document (with the dossier's code when it has one). */
struct db_issued_document {
	char code[DBDOC_CODE_SIZE];
	char kind[DBD_SHORT_SIZE]; /* form, result */
	char form[DBD_SHORT_SIZE];
	char form_set[DBD_SHORT_SIZE];
	char dossier_id[DBD_ID_SIZE];
	char dossier_code[DBD_KEY_SIZE]; /* read only */
	char unit_code[DBD_KEY_SIZE];
	int64_t period_from, period_to; /* days; DB_NONE when not a tracking book */
	char sha256[DBDOC_HEX32_SIZE];
	int64_t bytes;
	char key_id[DBDOC_KEY_ID_SIZE];
	char signature[DBDOC_HEX64_SIZE];
	int64_t issued_at;
	char issued_by[DBDOC_ACTOR_SIZE];
};

/* Records an issued document. ERR_DB_CONFLICT when the code exists. */
enum err_code db_documents_insert(struct db_conn *c, const struct db_issued_document *d,
                                  struct err *e);

/* An issued document by its code. ERR_NOT_FOUND when absent. */
enum err_code db_documents_get(struct db_conn *c, const char *code, struct db_issued_document *out,
                               struct err *e);

/* Number of documents issued for a dossier ("" counts the documents of no dossier). */
enum err_code db_documents_count(struct db_conn *c, const char *dossier_id, int64_t *n,
                                 struct err *e);

/* A line of a tracking book. */
struct db_book_line {
	char code[DBD_KEY_SIZE];
	char procedure_name[DBD_TEXT_SIZE];
	char applicant_name[DBD_NAME_SIZE];
	char applicant_address[DBD_TEXT_SIZE];
	char applicant_phone[DBD_SHORT_SIZE];
	char competent_name[DBD_TEXT_SIZE];
	char state[DBD_SHORT_SIZE];
	char outcome[DBD_SHORT_SIZE];
	int64_t received_at, due_at, resolved_at, delivered_at;
};

struct db_book {
	struct db_book_line *items;
	size_t count;
	bool truncated; /* more dossiers than the cap */
};

/*
 * The dossiers received at unit with from <= received_at < to (epoch
 * seconds), by reception instant, at most cap of them (out->truncated when
 * there were more). Free with db_book_free().
 */
enum err_code db_documents_book(struct db_conn *c, const char *unit, int64_t from, int64_t to,
                                size_t cap, struct db_book *out, struct err *e);
void db_book_free(struct db_book *b);

#endif
