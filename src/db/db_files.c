/*
 * db_files: the SQL of stored files (see db_files.h).
 */
#include "db/db_files.h"

#include <stdlib.h>
#include <string.h>

void db_file_list_free(struct db_file_list *l)
{
	free(l->items);
	memset(l, 0, sizeof *l);
}

void db_files_counts_free(struct db_files_counts *l)
{
	free(l->items);
	memset(l, 0, sizeof *l);
}

enum err_code db_files_stored_get(struct db_conn *c, const char *sha256, struct db_stored_file *out,
                                  struct err *e)
{
	memset(out, 0, sizeof *out);
	struct db_stmt *st;
	enum err_code rc =
	        db_query(c,
	                 "SELECT sha256, bytes, media_type, store, created_at FROM stored_file "
	                 "WHERE sha256 = $1",
	                 DB_ARGS(db_text(sha256)), &st, e);
	if (rc != ERR_OK)
		return rc;
	bool row;
	rc = db_step(st, &row, e);
	if (rc == ERR_OK && !row)
		rc = err_set(e, ERR_NOT_FOUND, "no stored file '%s'", sha256);
	if (rc == ERR_OK) {
		db_col_copy(st, 0, out->sha256, sizeof out->sha256);
		out->bytes = db_col_int64(st, 1);
		db_col_copy(st, 2, out->media_type, sizeof out->media_type);
		db_col_copy(st, 3, out->store, sizeof out->store);
		out->created_at = db_col_int64(st, 4);
	}
	db_finish(st);
	return rc;
}

enum err_code db_files_stored_insert(struct db_conn *c, const struct db_stored_file *f,
                                     bool *inserted, struct err *e)
{
	int64_t n = 0;
	enum err_code rc =
	        db_exec(c,
	                "INSERT INTO stored_file (sha256, bytes, media_type, store, created_at) "
	                "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (sha256) DO NOTHING",
	                DB_ARGS(db_text(f->sha256), db_int(f->bytes), db_text(f->media_type),
	                        db_text(f->store), db_int(f->created_at)),
	                &n, e);
	*inserted = rc == ERR_OK && n == 1;
	return rc;
}

enum err_code db_files_stored_set_store(struct db_conn *c, const char *sha256, const char *store,
                                        struct err *e)
{
	return db_exec(c, "UPDATE stored_file SET store = $2 WHERE sha256 = $1",
	               DB_ARGS(db_text(sha256), db_text(store)), NULL, e);
}

enum err_code db_files_chunks_delete(struct db_conn *c, const char *sha256, struct err *e)
{
	return db_exec(c, "DELETE FROM stored_file_chunk WHERE sha256 = $1",
	               DB_ARGS(db_text(sha256)), NULL, e);
}

enum err_code db_files_chunk_insert(struct db_conn *c, const char *sha256, int64_t seq,
                                    const void *data, size_t len, struct err *e)
{
	return db_exec(c, "INSERT INTO stored_file_chunk (sha256, seq, data) VALUES ($1, $2, $3)",
	               DB_ARGS(db_text(sha256), db_int(seq), db_blob(data, len)), NULL, e);
}

enum err_code db_files_chunks_read(struct db_conn *c, const char *sha256,
                                   enum err_code (*fn)(void *ctx, const void *data, size_t len,
                                                       struct err *e),
                                   void *ctx, int64_t *chunks, struct err *e)
{
	*chunks = 0;
	struct db_stmt *st;
	enum err_code rc = db_query(
	        c, "SELECT seq, data FROM stored_file_chunk WHERE sha256 = $1 ORDER BY seq",
	        DB_ARGS(db_text(sha256)), &st, e);
	if (rc != ERR_OK)
		return rc;
	for (;;) {
		bool row;
		if ((rc = db_step(st, &row, e)) != ERR_OK || !row)
			break;
		if (db_col_int64(st, 0) != *chunks) {
			rc = err_set(e, ERR_DB_ERROR, "chunk %lld of '%s' is missing",
			             (long long)*chunks, sha256);
			break;
		}
		size_t len = 0;
		const void *data = db_col_blob(st, 1, &len);
		if ((rc = fn(ctx, data, len, e)) != ERR_OK)
			break;
		(*chunks)++;
	}
	db_finish(st);
	return rc;
}

enum err_code db_files_link_insert(struct db_conn *c, const struct db_dossier_file *f,
                                   struct err *e)
{
	return db_exec(c,
	               "INSERT INTO dossier_file (id, dossier_id, kind, component_seq, sha256, "
	               "filename, media_type, bytes, uploaded_at, uploaded_by, reused_from_file, "
	               "reused_from_dossier) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, "
	               "$12)",
	               DB_ARGS(db_text(f->id), db_text(f->dossier_id), db_text(f->kind),
	                       db_opt_int(f->component_seq), db_text(f->sha256),
	                       db_text(f->filename), db_text(f->media_type), db_int(f->bytes),
	                       db_int(f->uploaded_at), db_text(f->uploaded_by),
	                       db_opt_text(f->reused_from_file),
	                       db_opt_text(f->reused_from_dossier)),
	               NULL, e);
}

#define LINK_COLUMNS                                                                               \
	"f.id, f.dossier_id, f.kind, f.component_seq, f.sha256, f.filename, f.media_type, "        \
	"f.bytes, f.uploaded_at, f.uploaded_by, f.reused_from_file, f.reused_from_dossier, "       \
	"r.code, d.code, d.state, d.procedure_code, pc.name_vi, s.store "                          \
	"FROM dossier_file f JOIN dossier d ON d.id = f.dossier_id "                               \
	"JOIN stored_file s ON s.sha256 = f.sha256 "                                               \
	"LEFT JOIN dossier r ON r.id = f.reused_from_dossier "                                     \
	"LEFT JOIN procedure_component pc ON pc.procedure_code = d.procedure_code "                \
	"AND pc.seq = f.component_seq "

static void link_row(struct db_stmt *st, void *item)
{
	struct db_dossier_file *f = item;
	db_col_copy(st, 0, f->id, sizeof f->id);
	db_col_copy(st, 1, f->dossier_id, sizeof f->dossier_id);
	db_col_copy(st, 2, f->kind, sizeof f->kind);
	f->component_seq = db_col_opt(st, 3);
	db_col_copy(st, 4, f->sha256, sizeof f->sha256);
	db_col_copy(st, 5, f->filename, sizeof f->filename);
	db_col_copy(st, 6, f->media_type, sizeof f->media_type);
	f->bytes = db_col_int64(st, 7);
	f->uploaded_at = db_col_int64(st, 8);
	db_col_copy(st, 9, f->uploaded_by, sizeof f->uploaded_by);
	db_col_copy(st, 10, f->reused_from_file, sizeof f->reused_from_file);
	db_col_copy(st, 11, f->reused_from_dossier, sizeof f->reused_from_dossier);
	db_col_copy(st, 12, f->reused_from_code, sizeof f->reused_from_code);
	db_col_copy(st, 13, f->dossier_code, sizeof f->dossier_code);
	db_col_copy(st, 14, f->dossier_state, sizeof f->dossier_state);
	db_col_copy(st, 15, f->procedure_code, sizeof f->procedure_code);
	db_col_copy(st, 16, f->component_name, sizeof f->component_name);
	db_col_copy(st, 17, f->store, sizeof f->store);
}

enum err_code db_files_link_get(struct db_conn *c, const char *id, struct db_dossier_file *out,
                                struct err *e)
{
	memset(out, 0, sizeof *out);
	struct db_stmt *st;
	enum err_code rc =
	        db_query(c, "SELECT " LINK_COLUMNS "WHERE f.id = $1", DB_ARGS(db_text(id)), &st, e);
	if (rc != ERR_OK)
		return rc;
	bool row;
	rc = db_step(st, &row, e);
	if (rc == ERR_OK && !row)
		rc = err_set(e, ERR_NOT_FOUND, "no such file");
	if (rc == ERR_OK)
		link_row(st, out);
	db_finish(st);
	return rc;
}

enum err_code db_files_links(struct db_conn *c, const char *dossier_id, struct db_file_list *out,
                             struct err *e)
{
	memset(out, 0, sizeof *out);
	return db_read_list(
	        c, "SELECT " LINK_COLUMNS "WHERE f.dossier_id = $1 ORDER BY f.uploaded_at, f.id",
	        DB_ARGS(db_text(dossier_id)), sizeof *out->items, link_row, "files", DBF_LIST_MAX,
	        &out->truncated, (void **)&out->items, &out->count, e);
}

enum err_code db_files_of_person(struct db_conn *c, const char *id_number,
                                 const char *except_dossier, struct db_file_list *out,
                                 struct err *e)
{
	memset(out, 0, sizeof *out);
	return db_read_list(
	        c,
	        "SELECT " LINK_COLUMNS "WHERE d.applicant_id_number = $1 AND d.id <> $2 "
	        "ORDER BY f.uploaded_at DESC, f.id",
	        DB_ARGS(db_text(id_number), db_text(except_dossier)), sizeof *out->items, link_row,
	        "files", DBF_LIST_MAX, &out->truncated, (void **)&out->items, &out->count, e);
}

enum err_code db_files_dossier_bytes(struct db_conn *c, const char *dossier_id, int64_t *bytes,
                                     struct err *e)
{
	return db_query_int64(c,
	                      "SELECT coalesce(sum(bytes), 0) FROM dossier_file "
	                      "WHERE dossier_id = $1 AND reused_from_file IS NULL",
	                      DB_ARGS(db_text(dossier_id)), bytes, e);
}

enum err_code db_files_figures(struct db_conn *c, const char *dossier_id,
                               struct db_files_figures *out, struct err *e)
{
	memset(out, 0, sizeof *out);
	struct db_stmt *st;
	enum err_code rc = db_query(
	        c,
	        "SELECT count(DISTINCT CASE WHEN kind = 'component' AND reused_from_file IS NULL "
	        "THEN component_seq END), "
	        "coalesce(sum(CASE WHEN reused_from_file IS NOT NULL THEN 1 ELSE 0 END), 0), "
	        "coalesce(sum(CASE WHEN kind = 'result' THEN 1 ELSE 0 END), 0), count(*) "
	        "FROM dossier_file WHERE dossier_id = $1",
	        DB_ARGS(db_text(dossier_id)), &st, e);
	if (rc != ERR_OK)
		return rc;
	bool row;
	rc = db_step(st, &row, e);
	if (rc == ERR_OK && row) {
		out->components_digitised = db_col_int64(st, 0);
		out->components_reused = db_col_int64(st, 1);
		out->results = db_col_int64(st, 2);
		out->files = db_col_int64(st, 3);
	}
	db_finish(st);
	return rc;
}

enum err_code db_files_count(struct db_conn *c, const char *dossier_id, const char *kind,
                             int64_t seq, bool reused, int64_t *n, struct err *e)
{
	if (seq == DB_NONE)
		return db_query_int64(c,
		                      "SELECT count(*) FROM dossier_file WHERE dossier_id = $1 "
		                      "AND kind = $2 AND (reused_from_file IS NOT NULL) = (CAST($3 "
		                      "AS BIGINT) = 1)",
		                      DB_ARGS(db_text(dossier_id), db_text(kind), db_int(reused)),
		                      n, e);
	return db_query_int64(
	        c,
	        "SELECT count(*) FROM dossier_file WHERE dossier_id = $1 "
	        "AND kind = $2 AND component_seq = $3 "
	        "AND (reused_from_file IS NOT NULL) = (CAST($4 AS BIGINT) = 1)",
	        DB_ARGS(db_text(dossier_id), db_text(kind), db_int(seq), db_int(reused)), n, e);
}

enum err_code db_files_component_name(struct db_conn *c, const char *procedure, int64_t seq,
                                      char *out, size_t size, struct err *e)
{
	return db_query_text(c,
	                     "SELECT name_vi FROM procedure_component "
	                     "WHERE procedure_code = $1 AND seq = $2",
	                     DB_ARGS(db_text(procedure), db_int(seq)), out, size, e);
}

static void count_row(struct db_stmt *st, void *item)
{
	struct db_files_count_row *r = item;
	db_col_copy(st, 0, r->dossier_id, sizeof r->dossier_id);
	db_col_copy(st, 1, r->state, sizeof r->state);
	r->results = db_col_int64(st, 2);
}

enum err_code db_files_results_of_owner(struct db_conn *c, const char *owner_account,
                                        struct db_files_counts *out, struct err *e)
{
	memset(out, 0, sizeof *out);
	return db_read_list(c,
	                    "SELECT f.dossier_id, d.state, count(*) FROM dossier_file f "
	                    "JOIN dossier d ON d.id = f.dossier_id "
	                    "WHERE d.owner_account = $1 AND f.kind = 'result' "
	                    "GROUP BY f.dossier_id, d.state ORDER BY f.dossier_id",
	                    DB_ARGS(db_text(owner_account)), sizeof *out->items, count_row,
	                    "file counts", DBF_LIST_MAX, NULL, (void **)&out->items, &out->count,
	                    e);
}
