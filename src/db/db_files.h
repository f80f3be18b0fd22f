/*
 * db_files: the SQL of stored files (migration 0006): the content-addressed
 * bytes (stored_file, and stored_file_chunk when they live in the
 * database) and their links to dossiers (dossier_file).
 *
 * Rows are copied into fixed-size structs; lists are freed with their
 * *_free(). Text columns that are NULL read as "", integer ones as DB_NONE.
 * Every function takes a connection inside a transaction (db_run_txn).
 */
#ifndef MOTCUA_DB_DB_FILES_H
#define MOTCUA_DB_DB_FILES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/error.h"
#include "db/db.h"
#include "db/db_dossier.h"

#define DBF_SHA_SIZE   65   /* 64 hex digits + NUL */
#define DBF_NAME_SIZE  256  /* display file name */
#define DBF_ACTOR_SIZE 160  /* audit actor text */
#define DBF_LIST_MAX   1000 /* links read for one dossier or one person */

/* A row of stored_file. */
struct db_stored_file {
	char sha256[DBF_SHA_SIZE];
	int64_t bytes;
	char media_type[DBD_SHORT_SIZE];
	char store[DBD_SHORT_SIZE]; /* disk, database */
	int64_t created_at;
};

/* The stored file of that hash. ERR_NOT_FOUND when absent. */
enum err_code db_files_stored_get(struct db_conn *c, const char *sha256, struct db_stored_file *out,
                                  struct err *e);

/* Inserts f unless its hash is stored already (*inserted says which). */
enum err_code db_files_stored_insert(struct db_conn *c, const struct db_stored_file *f,
                                     bool *inserted, struct err *e);

/* Changes where the bytes of sha256 live ("disk" or "database"). */
enum err_code db_files_stored_set_store(struct db_conn *c, const char *sha256, const char *store,
                                        struct err *e);

/* Deletes the chunks of sha256 (none is fine). */
enum err_code db_files_chunks_delete(struct db_conn *c, const char *sha256, struct err *e);

/* Inserts chunk seq (0, 1, ...) of sha256. */
enum err_code db_files_chunk_insert(struct db_conn *c, const char *sha256, int64_t seq,
                                    const void *data, size_t len, struct err *e);

/*
 * Calls fn(ctx, data, len) for each chunk of sha256 in order (one row in
 * memory at a time); fn returns ERR_OK to go on. *chunks gets their number.
 */
enum err_code db_files_chunks_read(struct db_conn *c, const char *sha256,
                                   enum err_code (*fn)(void *ctx, const void *data, size_t len,
                                                       struct err *e),
                                   void *ctx, int64_t *chunks, struct err *e);

/* A row of dossier_file, with what is read along. */
struct db_dossier_file {
	char id[DBD_ID_SIZE];
	char dossier_id[DBD_ID_SIZE];
	char kind[DBD_SHORT_SIZE]; /* component, result */
	int64_t component_seq;     /* DB_NONE for a result */
	char sha256[DBF_SHA_SIZE];
	char filename[DBF_NAME_SIZE];
	char media_type[DBD_SHORT_SIZE];
	int64_t bytes;
	int64_t uploaded_at;
	char uploaded_by[DBF_ACTOR_SIZE];
	char reused_from_file[DBD_ID_SIZE];    /* "" unless a reuse */
	char reused_from_dossier[DBD_ID_SIZE]; /* "" unless a reuse */
	/* read only */
	char reused_from_code[DBD_KEY_SIZE]; /* the code of reused_from_dossier */
	char dossier_code[DBD_KEY_SIZE];
	char dossier_state[DBD_SHORT_SIZE];
	char procedure_code[DBD_KEY_SIZE];
	char component_name[DBD_TEXT_SIZE]; /* of the dossier's procedure, "" for a result */
	char store[DBD_SHORT_SIZE];
};

struct db_file_list {
	struct db_dossier_file *items;
	size_t count;
	bool truncated;
};

void db_file_list_free(struct db_file_list *l);

/* Inserts a link (the read-only fields are ignored). ERR_DB_CONFLICT when the id exists. */
enum err_code db_files_link_insert(struct db_conn *c, const struct db_dossier_file *f,
                                   struct err *e);

/* The link id. ERR_NOT_FOUND when absent. */
enum err_code db_files_link_get(struct db_conn *c, const char *id, struct db_dossier_file *out,
                                struct err *e);

/* The links of a dossier, oldest first. */
enum err_code db_files_links(struct db_conn *c, const char *dossier_id, struct db_file_list *out,
                             struct err *e);

/*
 * The links of every dossier of the applicant with this ID number but
 * except_dossier, newest first (the candidates for a reuse).
 */
enum err_code db_files_of_person(struct db_conn *c, const char *id_number,
                                 const char *except_dossier, struct db_file_list *out,
                                 struct err *e);

/* Sum of the bytes uploaded to a dossier (reuses excluded). */
enum err_code db_files_dossier_bytes(struct db_conn *c, const char *dossier_id, int64_t *bytes,
                                     struct err *e);

/* Figures of a dossier. */
struct db_files_figures {
	int64_t components_digitised; /* components with an uploaded scan */
	int64_t components_reused;    /* reuse links */
	int64_t results;              /* electronic results */
	int64_t files;                /* links of any kind */
};

enum err_code db_files_figures(struct db_conn *c, const char *dossier_id,
                               struct db_files_figures *out, struct err *e);

/*
 * Links of dossier_id of that kind (and component seq for components; DB_NONE
 * for any), uploaded (reuse false) or reused (true), into *n.
 */
enum err_code db_files_count(struct db_conn *c, const char *dossier_id, const char *kind,
                             int64_t seq, bool reused, int64_t *n, struct err *e);

/* The name of component seq of a procedure. ERR_NOT_FOUND when it has none. */
enum err_code db_files_component_name(struct db_conn *c, const char *procedure, int64_t seq,
                                      char *out, size_t size, struct err *e);

/* For a list of an owner's dossiers: the number of electronic results per dossier. */
struct db_files_count_row {
	char dossier_id[DBD_ID_SIZE];
	char state[DBD_SHORT_SIZE]; /* the dossier's */
	int64_t results;
};

struct db_files_counts {
	struct db_files_count_row *items;
	size_t count;
};

/* Dossiers of owner_account that have electronic results, with their number. */
enum err_code db_files_results_of_owner(struct db_conn *c, const char *owner_account,
                                        struct db_files_counts *out, struct err *e);
void db_files_counts_free(struct db_files_counts *l);

#endif
