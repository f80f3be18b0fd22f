/*
 * files: scanned components and electronic results (see files.h).
 *
 * Layout under files_dir:
 *   tmp/upload-XXXXXX   uploads being received (and database files being
 *                       read back, unlinked at once)
 *   ab/cdef...          the bytes whose SHA-256 in hex is abcdef...
 */
#include "service/files.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <dirent.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/str.h"
#include "domain/lifecycle.h"
#include "service/action.h"
#include "service/audit.h"
#include "service/indicators.h"
#include "service/lookup.h"

#define KIND_COMPONENT "component"
#define KIND_RESULT    "result"
#define MAX_OFFERS     200 /* reuse candidates listed */

/* ---- configuration and types ---- */

enum err_code files_config_load(const struct config *cfg, struct files_config *out, struct err *e)
{
	memset(out, 0, sizeof *out);
	str_copy(out->dir, sizeof out->dir, config_str(cfg, CONFIG_OPT_files_dir));
	const char *store = config_str(cfg, CONFIG_OPT_file_store);
	if (str_eq(store, "database"))
		out->in_database = true;
	else if (!str_eq(store, "disk"))
		return err_set(e, ERR_CONFIG_INVALID,
		               "invalid file_store '%s', expected disk or database", store);
	out->file_max = config_int(cfg, CONFIG_OPT_file_max_bytes);
	out->dossier_max = config_int(cfg, CONFIG_OPT_dossier_files_max_bytes);
	if (str_empty(out->dir))
		return err_set(e, ERR_CONFIG_INVALID, "files_dir is empty");
	return ERR_OK;
}

const char *files_sniff(const void *head, size_t n)
{
	static const unsigned char pdf[] = {'%', 'P', 'D', 'F', '-'};
	static const unsigned char jpeg[] = {0xFF, 0xD8, 0xFF};
	static const unsigned char png[] = {0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A};
	if (n >= sizeof pdf && memcmp(head, pdf, sizeof pdf) == 0)
		return "application/pdf";
	if (n >= sizeof jpeg && memcmp(head, jpeg, sizeof jpeg) == 0)
		return "image/jpeg";
	if (n >= sizeof png && memcmp(head, png, sizeof png) == 0)
		return "image/png";
	return NULL;
}

/* Whether the n first bytes could still begin one of the accepted types. */
static bool sniff_possible(const unsigned char *head, size_t n)
{
	static const char *const sigs[] = {"%PDF-", "\xFF\xD8\xFF", "\x89PNG\r\n\x1A\n"};
	static const size_t lens[] = {5, 3, 8};
	for (size_t i = 0; i < 3; i++) {
		size_t k = n < lens[i] ? n : lens[i];
		if (memcmp(head, sigs[i], k) == 0)
			return true;
	}
	return false;
}

bool files_result_exists(const char *state)
{
	static const char *const states[] = {"result_ready", "result_in_transit",
	                                     "result_at_branch", "result_posted", "delivered"};
	for (size_t i = 0; i < sizeof states / sizeof states[0]; i++)
		if (str_eq(state, states[i]))
			return true;
	return false;
}

/* The length of the valid UTF-8 character at s (1-4), or 0 when it is not one. */
static size_t utf8_char(const unsigned char *s)
{
	unsigned c = s[0];
	size_t len;
	unsigned cp;
	if (c < 0x80)
		return c ? 1 : 0;
	if ((c & 0xE0) == 0xC0)
		len = 2, cp = c & 0x1F;
	else if ((c & 0xF0) == 0xE0)
		len = 3, cp = c & 0x0F;
	else if ((c & 0xF8) == 0xF0)
		len = 4, cp = c & 0x07;
	else
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3F);
	}
	if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	return len;
}

void files_display_name(const char *in, char *out, size_t size)
{
	size_t cap = size - 1 < FILES_NAME_MAX ? size - 1 : FILES_NAME_MAX;
	size_t n = 0;
	const char *s = in ? in : "";
	const char *slash = strrchr(s, '/');
	if (slash)
		s = slash + 1;
	const char *bslash = strrchr(s, '\\');
	if (bslash)
		s = bslash + 1;
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		size_t len = utf8_char(p);
		char c = (char)*p;
		if (len == 0 ||
		    (len == 1 && ((unsigned char)c < 0x20 || c == 0x7f || strchr("\"*:<>?|", c)))) {
			if (n + 1 > cap)
				break;
			out[n++] = '_';
			p += len ? len : 1;
			continue;
		}
		if (n == 0 && len == 1 && (c == '.' || c == ' ')) {
			p++;
			continue;
		}
		if (n + len > cap)
			break;
		memcpy(out + n, p, len);
		n += len;
		p += len;
	}
	while (n > 0 && (out[n - 1] == '.' || out[n - 1] == ' '))
		n--;
	if (n == 0) {
		str_copy(out, size, "file");
		return;
	}
	out[n] = '\0';
}

/* ---- paths and durability ---- */

#define FILES_TMP_DIR    "tmp"     /* files_dir/tmp: uploads being written */
#define FILES_TMP_PREFIX "upload-" /* their names: upload-XXXXXX (mkstemp) */

static enum err_code io_fail(struct err *e, const char *what, const char *path)
{
	return err_set(e, ERR_IO, "cannot %s '%s': %s", what, path, strerror(errno));
}

/* mkdir that accepts an existing directory; *made says whether it was created. */
static enum err_code ensure_dir(const char *path, bool *made, struct err *e)
{
	if (made)
		*made = false;
	if (mkdir(path, 0750) == 0) {
		if (made)
			*made = true;
		return ERR_OK;
	}
	if (errno == EEXIST)
		return ERR_OK;
	return io_fail(e, "create the directory", path);
}

static enum err_code sync_dir(const char *path, struct err *e)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return io_fail(e, "open the directory", path);
	int rc = fsync(fd);
	close(fd);
	return rc == 0 ? ERR_OK : io_fail(e, "sync the directory", path);
}

/* files_dir/ab and files_dir/ab/cdef... of a hash. */
static void blob_paths(const struct files_config *fc, const char *sha, char *dir, char *file)
{
	snprintf(dir, FILES_PATH_MAX, "%s/%.2s", fc->dir, sha);
	snprintf(file, FILES_PATH_MAX, "%s/%.2s/%s", fc->dir, sha, sha + 2);
}

/* files_dir and its missing parents. */
static enum err_code ensure_root(const char *dir, struct err *e)
{
	char path[FILES_PATH_MAX];
	if (str_copy(path, sizeof path, dir) != 0)
		return err_set(e, ERR_IO, "files_dir '%s' is too long", dir);
	for (char *p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		enum err_code rc = ensure_dir(path, NULL, e);
		*p = '/';
		if (rc != ERR_OK)
			return rc;
	}
	return ensure_dir(path, NULL, e);
}

/* A new empty temporary file under files_dir/tmp, open for reading and writing. */
static enum err_code tmp_create(const struct files_config *fc, char *path, int *fd, struct err *e)
{
	if (ensure_root(fc->dir, e) != ERR_OK)
		return ERR_IO;
	char dir[FILES_PATH_MAX];
	snprintf(dir, sizeof dir, "%s/" FILES_TMP_DIR, fc->dir);
	if (ensure_dir(dir, NULL, e) != ERR_OK)
		return ERR_IO;
	if (snprintf(path, FILES_PATH_MAX, "%s/" FILES_TMP_PREFIX "XXXXXX", dir) >= FILES_PATH_MAX)
		return err_set(e, ERR_IO, "files_dir '%s' is too long", fc->dir);
	*fd = mkstemp(path);
	if (*fd < 0)
		return io_fail(e, "create a temporary file in", dir);
	return ERR_OK;
}

/* ---- the temporary file of an upload ---- */

void files_tmp_init(struct files_tmp *t)
{
	memset(t, 0, sizeof *t);
	t->fd = -1;
}

enum err_code files_tmp_open(const struct files_config *fc, int64_t max, struct files_tmp *t,
                             struct err *e)
{
	files_tmp_init(t);
	t->max = max;
	crypto_hash_sha256_init(&t->hash);
	return tmp_create(fc, t->path, &t->fd, e);
}

static enum err_code write_all(int fd, const void *data, size_t n, const char *path, struct err *e)
{
	const char *p = data;
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return io_fail(e, "write", path);
		p += w;
		n -= (size_t)w;
	}
	return ERR_OK;
}

enum err_code files_tmp_write(struct files_tmp *t, const void *data, size_t n, struct err *e)
{
	if (t->fd < 0 || t->closed)
		return err_set(e, ERR_INTERNAL, "no temporary file open");
	if ((int64_t)n > t->max - t->bytes)
		return err_set(e, ERR_PAYLOAD_TOO_LARGE, "the file is larger than %lld bytes",
		               (long long)t->max);
	if (t->nhead < FILES_SNIFF_BYTES) {
		size_t k = FILES_SNIFF_BYTES - t->nhead;
		if (k > n)
			k = n;
		memcpy(t->head + t->nhead, data, k);
		t->nhead += k;
		if (!sniff_possible(t->head, t->nhead))
			return err_set(
			        e, ERR_UNSUPPORTED_MEDIA_TYPE,
			        "the file is not a PDF, JPEG or PNG document (by its content)");
	}
	if (write_all(t->fd, data, n, t->path, e) != ERR_OK)
		return ERR_IO;
	crypto_hash_sha256_update(&t->hash, data, n);
	t->bytes += (int64_t)n;
	return ERR_OK;
}

enum err_code files_tmp_close(struct files_tmp *t, struct err *e)
{
	if (t->closed)
		return ERR_OK;
	if (t->fd < 0)
		return err_set(e, ERR_INTERNAL, "no temporary file open");
	if (t->bytes == 0)
		return err_set(e, ERR_MISSING_ARGUMENT, "the file is empty");
	t->media_type = files_sniff(t->head, t->nhead);
	if (!t->media_type)
		return err_set(e, ERR_UNSUPPORTED_MEDIA_TYPE,
		               "the file is not a PDF, JPEG or PNG document (by its content)");
	if (fsync(t->fd) != 0)
		return io_fail(e, "sync", t->path);
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256_final(&t->hash, h);
	sodium_bin2hex(t->sha256, sizeof t->sha256, h, sizeof h);
	t->closed = true;
	return ERR_OK;
}

void files_tmp_discard(struct files_tmp *t)
{
	if (t->fd >= 0)
		close(t->fd);
	if (t->path[0])
		unlink(t->path);
	t->fd = -1;
	t->path[0] = '\0';
}

/* ---- who may do what ---- */

static bool staff_working(const struct actor *a)
{
	return (a->roles & (ROLE_OFFICER | ROLE_SPECIALIST | ROLE_APPROVER)) != 0;
}

/* Loads the dossier as actor may see it (action_may_read for staff). */
static enum err_code load_readable(struct db_conn *c, const struct actor *actor,
                                   const char *dossier, struct db_dossier *d, struct err *e)
{
	if (actor->kind == ACTOR_ANONYMOUS)
		return err_set(e, ERR_UNAUTHORIZED, "log in to see the files of a dossier");
	if (str_empty(dossier) || strlen(dossier) >= DBD_KEY_SIZE)
		return err_set(e, ERR_NOT_FOUND, "no such dossier");
	enum err_code rc = action_load(c, actor, dossier, d, e);
	if (rc != ERR_OK)
		return rc;
	if (actor->kind != ACTOR_STAFF)
		return ERR_OK;
	bool receives = false;
	if (!str_empty(actor->unit_code)) {
		struct db_unit_info u;
		rc = db_dossier_unit(c, actor->unit_code, &u, e);
		if (rc == ERR_OK)
			receives = u.receives && u.active;
		else if (rc != ERR_NOT_FOUND)
			return rc;
		err_clear(e);
	}
	if (!action_may_read(actor, d, receives))
		return err_set(e, ERR_FORBIDDEN, "the dossier is outside your scope");
	return ERR_OK;
}

/* May actor store a file of kind in d (already loaded with load_readable)? */
static enum err_code may_store(const struct actor *actor, const struct db_dossier *d,
                               const char *kind, struct err *e)
{
	enum dossier_state st;
	if (lifecycle_state_from_name(d->state, &st) != ERR_OK)
		return err_set(e, ERR_INTERNAL, "unknown state '%s'", d->state);
	bool result = str_eq(kind, KIND_RESULT);
	if (!result && !str_eq(kind, KIND_COMPONENT))
		return err_set(e, ERR_INVALID_ARGUMENT,
		               "kind must be component or result, not '%s'", kind);
	switch (actor->kind) {
	case ACTOR_SYSTEM:
		return ERR_OK;
	case ACTOR_STAFF:
		if (result) {
			if (!(actor->roles & (ROLE_SPECIALIST | ROLE_APPROVER)) ||
			    !str_eq(actor->unit_code, d->competent_unit))
				return err_set(
				        e, ERR_FORBIDDEN,
				        "only specialists and approvers of the competent unit "
				        "store the electronic result");
			if (!files_result_exists(d->state))
				return err_set(e, ERR_ACTION_NOT_ALLOWED,
				               "the dossier has no result yet (state '%s')",
				               d->state);
			return ERR_OK;
		}
		if (!staff_working(actor))
			return err_set(e, ERR_FORBIDDEN,
			               "only officers, specialists and approvers store scans");
		if (lifecycle_is_terminal(st))
			return err_set(e, ERR_ACTION_NOT_ALLOWED,
			               "the dossier is closed (state '%s')", d->state);
		return ERR_OK;
	case ACTOR_CITIZEN:
	case ACTOR_BUSINESS:
		if (result)
			return err_set(e, ERR_FORBIDDEN, "the competent unit stores the result");
		if (st != STATE_SUBMITTED && st != STATE_SUPPLEMENT_REQUESTED)
			return err_set(
			        e, ERR_ACTION_NOT_ALLOWED,
			        "the applicant adds scans while the dossier is submitted or a "
			        "supplement is requested (state '%s')",
			        d->state);
		return ERR_OK;
	case ACTOR_ANONYMOUS:
	default:
		return err_set(e, ERR_UNAUTHORIZED, "log in to store files");
	}
}

/* May actor (who may read d) see the file f of d? */
static bool may_see(const struct actor *actor, const struct db_dossier *d,
                    const struct db_dossier_file *f)
{
	if (actor->kind == ACTOR_STAFF || actor->kind == ACTOR_SYSTEM)
		return true;
	return !str_eq(f->kind, KIND_RESULT) || files_result_exists(d->state);
}

static enum err_code audit_file(struct db_conn *c, const struct actor *actor, int64_t now,
                                const char *action, const char *dossier_id,
                                const struct db_dossier_file *f, struct err *e)
{
	char object[AUDIT_OBJECT_MAX];
	snprintf(object, sizeof object, "dossier:%s", dossier_id);
	char detail[512];
	if (f)
		snprintf(detail, sizeof detail,
		         "{\"file\":\"%s\",\"kind\":\"%s\",\"sha256\":\"%s\",\"bytes\":%lld}",
		         f->id, f->kind, f->sha256, (long long)f->bytes);
	return audit_append(c, actor, now, action, object, f ? detail : NULL, e);
}

/* Counts a digitisation fact for the indicators (service/indicators.h). */
static enum err_code count_fact(struct db_conn *c, const char *dossier_id, int64_t at,
                                enum ind_digitisation what, struct err *e)
{
	return indicators_digitisation(c, dossier_id, at, what, e);
}

/* ---- the allowance ---- */

struct allowance_ctx {
	struct service *svc;
	const struct actor *actor;
	const char *dossier;
	const struct files_config *fc;
	int64_t left;
};

static enum err_code allowance_txn(struct db_conn *c, void *vctx, struct err *e)
{
	struct allowance_ctx *x = vctx;
	struct db_dossier d;
	enum err_code rc = load_readable(c, x->actor, x->dossier, &d, e);
	if (rc != ERR_OK)
		return rc;
	rc = may_store(x->actor, &d, KIND_COMPONENT, e);
	if (rc != ERR_OK) {
		struct err e2;
		if (may_store(x->actor, &d, KIND_RESULT, &e2) != ERR_OK)
			return rc; /* the reason about components says most */
	}
	err_clear(e);
	int64_t used;
	if ((rc = db_files_dossier_bytes(c, d.id, &used, e)) != ERR_OK)
		return rc;
	x->left = x->fc->dossier_max - used;
	if (x->left <= 0)
		return err_set(e, ERR_PAYLOAD_TOO_LARGE,
		               "the files of this dossier reach the limit of %lld bytes",
		               (long long)x->fc->dossier_max);
	if (x->left > x->fc->file_max)
		x->left = x->fc->file_max;
	return ERR_OK;
}

enum err_code files_upload_allowance(struct service *svc, const struct actor *actor,
                                     const char *dossier, int64_t *max_bytes, struct err *e)
{
	*max_bytes = 0;
	struct files_config fc;
	enum err_code rc = files_config_load(svc->cfg, &fc, e);
	if (rc != ERR_OK)
		return rc;
	struct allowance_ctx x = {svc, actor, dossier, &fc, 0};
	rc = db_run_txn(svc->db, DB_TXN_READ, allowance_txn, &x, e);
	if (rc == ERR_OK)
		*max_bytes = x.left;
	return rc;
}

/* ---- storing ---- */

struct store_ctx {
	struct service *svc;
	const struct actor *actor;
	const char *dossier;
	const struct files_store_req *r;
	const struct files_config *fc;
	struct files_tmp *t;
	bool write; /* the write transaction (else the checks alone) */
	unsigned char *chunk;
	struct db_dossier d;
	struct db_dossier_file *out;
};

/* Copies the temporary file into chunk rows (database store). */
static enum err_code store_chunks(struct db_conn *c, struct store_ctx *x, struct err *e)
{
	enum err_code rc = db_files_chunks_delete(c, x->t->sha256, e);
	off_t off = 0;
	for (int64_t seq = 0; rc == ERR_OK && off < (off_t)x->t->bytes; seq++) {
		size_t want = FILES_CHUNK_BYTES;
		if ((int64_t)want > x->t->bytes - (int64_t)off)
			want = (size_t)(x->t->bytes - (int64_t)off);
		size_t got = 0;
		while (got < want) {
			ssize_t n = pread(x->t->fd, x->chunk + got, want - got, off + (off_t)got);
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0)
				return io_fail(e, "read back", x->t->path);
			got += (size_t)n;
		}
		rc = db_files_chunk_insert(c, x->t->sha256, seq, x->chunk, want, e);
		off += (off_t)want;
	}
	return rc;
}

static enum err_code store_txn(struct db_conn *c, void *vctx, struct err *e)
{
	struct store_ctx *x = vctx;
	struct db_dossier *d = &x->d;
	enum err_code rc = load_readable(c, x->actor, x->dossier, d, e);
	if (rc != ERR_OK || (rc = may_store(x->actor, d, x->r->kind, e)) != ERR_OK)
		return rc;
	bool component = str_eq(x->r->kind, KIND_COMPONENT);
	char name[DBD_TEXT_SIZE];
	if (component) {
		rc = db_files_component_name(c, d->procedure_code, x->r->component, name,
		                             sizeof name, e);
		if (rc == ERR_NOT_FOUND)
			return err_set(e, ERR_INVALID_ARGUMENT,
			               "procedure '%s' has no component %lld", d->procedure_code,
			               (long long)x->r->component);
		if (rc != ERR_OK)
			return rc;
	}
	int64_t used;
	if ((rc = db_files_dossier_bytes(c, d->id, &used, e)) != ERR_OK)
		return rc;
	if (used + x->t->bytes > x->fc->dossier_max)
		return err_set(e, ERR_PAYLOAD_TOO_LARGE,
		               "the files of this dossier would pass the limit of %lld bytes",
		               (long long)x->fc->dossier_max);
	if (!x->write)
		return ERR_OK;

	int64_t now = service_now(x->svc);
	const char *store = x->fc->in_database ? "database" : "disk";
	struct db_stored_file sf = {.bytes = x->t->bytes, .created_at = now};
	str_copy(sf.sha256, sizeof sf.sha256, x->t->sha256);
	str_copy(sf.media_type, sizeof sf.media_type, x->t->media_type);
	str_copy(sf.store, sizeof sf.store, store);
	bool inserted;
	if ((rc = db_files_stored_insert(c, &sf, &inserted, e)) != ERR_OK)
		return rc;
	if (x->fc->in_database) {
		struct db_stored_file old;
		if (!inserted && (rc = db_files_stored_get(c, sf.sha256, &old, e)) != ERR_OK)
			return rc;
		if (inserted || !str_eq(old.store, "database")) {
			if ((rc = store_chunks(c, x, e)) != ERR_OK)
				return rc;
			if (!inserted &&
			    (rc = db_files_stored_set_store(c, sf.sha256, "database", e)) != ERR_OK)
				return rc;
		}
	}
	int64_t earlier = 0;
	rc = db_files_count(c, d->id, x->r->kind, component ? x->r->component : DB_NONE, false,
	                    &earlier, e);
	if (rc != ERR_OK)
		return rc;

	struct db_dossier_file *f = x->out;
	memset(f, 0, sizeof *f);
	service_new_id(f->id);
	str_copy(f->dossier_id, sizeof f->dossier_id, d->id);
	str_copy(f->kind, sizeof f->kind, x->r->kind);
	f->component_seq = component ? x->r->component : DB_NONE;
	str_copy(f->sha256, sizeof f->sha256, sf.sha256);
	files_display_name(x->r->filename, f->filename, sizeof f->filename);
	str_copy(f->media_type, sizeof f->media_type, sf.media_type);
	f->bytes = x->t->bytes;
	f->uploaded_at = now;
	char actor_text[AUDIT_ACTOR_MAX];
	audit_actor_text(x->actor, actor_text);
	str_copy(f->uploaded_by, sizeof f->uploaded_by, actor_text);
	str_copy(f->dossier_code, sizeof f->dossier_code, d->code);
	str_copy(f->dossier_state, sizeof f->dossier_state, d->state);
	str_copy(f->procedure_code, sizeof f->procedure_code, d->procedure_code);
	str_copy(f->store, sizeof f->store, store);
	if (component)
		str_copy(f->component_name, sizeof f->component_name, name);
	if ((rc = db_files_link_insert(c, f, e)) != ERR_OK)
		return rc;
	if (earlier == 0 &&
	    (rc = count_fact(c, d->id, now,
	                     component ? IND_COMPONENT_DIGITISED : IND_RESULT_ELECTRONIC, e)) !=
	            ERR_OK)
		return rc;
	rc = audit_file(c, x->actor, now, component ? "file.upload" : "file.upload_result", d->id,
	                f, e);
	if (rc == ERR_OK && x->r->on_stored)
		rc = x->r->on_stored(x->r->hook_ctx, c, d, f, e);
	return rc;
}

/* Moves the closed temporary file to its place by hash (disk store), durably. */
static enum err_code place_on_disk(const struct files_config *fc, struct files_tmp *t,
                                   struct err *e)
{
	char dir[FILES_PATH_MAX], file[FILES_PATH_MAX];
	blob_paths(fc, t->sha256, dir, file);
	bool made;
	if (ensure_dir(dir, &made, e) != ERR_OK)
		return ERR_IO;
	if (made && sync_dir(fc->dir, e) != ERR_OK)
		return ERR_IO;
	struct stat sb;
	if (lstat(file, &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_size == t->bytes) {
		files_tmp_discard(t); /* the same bytes are there: deduplicated */
		/* young again, so that files_sweep() leaves it while it gets its row */
		if (utimensat(AT_FDCWD, file, NULL, 0) != 0)
			return io_fail(e, "touch", file);
		return ERR_OK;
	}
	if (rename(t->path, file) != 0)
		return io_fail(e, "move the upload to", file);
	t->path[0] = '\0'; /* nothing left to delete */
	return sync_dir(dir, e);
}

enum err_code files_store(struct service *svc, const struct actor *actor, const char *dossier,
                          const struct files_store_req *r, struct files_tmp *t,
                          struct db_dossier_file *out, struct err *e)
{
	memset(out, 0, sizeof *out);
	struct files_config fc;
	enum err_code rc = files_config_load(svc->cfg, &fc, e);
	if (rc == ERR_OK)
		rc = files_tmp_close(t, e);
	struct store_ctx x = {.svc = svc,
	                      .actor = actor,
	                      .dossier = dossier,
	                      .r = r,
	                      .fc = &fc,
	                      .t = t,
	                      .out = out};
	if (rc == ERR_OK)
		rc = db_run_txn(svc->db, DB_TXN_READ, store_txn, &x, e);
	struct files_tmp made; /* what r->transform makes of t */
	files_tmp_init(&made);
	if (rc == ERR_OK && r->transform) {
		rc = r->transform(r->hook_ctx, &x.d, &fc, t, &made, e);
		if (rc == ERR_OK && !made.closed)
			rc = err_set(e, ERR_INTERNAL, "the transformed file was not closed");
		files_tmp_discard(t);
		if (rc == ERR_OK)
			x.t = t = &made;
	}
	if (rc == ERR_OK && !fc.in_database)
		rc = place_on_disk(&fc, t, e);
	if (rc == ERR_OK && fc.in_database) {
		x.chunk = malloc(FILES_CHUNK_BYTES);
		if (!x.chunk)
			rc = err_set(e, ERR_NO_MEMORY, "out of memory");
	}
	x.write = true;
	if (rc == ERR_OK)
		rc = db_run_txn(svc->db, DB_TXN_WRITE, store_txn, &x, e);
	free(x.chunk);
	files_tmp_discard(t);
	files_tmp_discard(&made);
	return rc;
}

/* ---- reading ---- */

void files_view_release(struct files_view *v)
{
	db_file_list_free(&v->list);
}

/* Keeps the items of l for which keep(ctx, item) holds. */
static void list_filter(struct db_file_list *l,
                        bool (*keep)(const void *ctx, const struct db_dossier_file *f),
                        const void *ctx)
{
	size_t k = 0;
	for (size_t i = 0; i < l->count; i++)
		if (keep(ctx, &l->items[i]))
			l->items[k++] = l->items[i];
	l->count = k;
}

struct list_ctx {
	const struct actor *actor;
	const char *dossier;
	struct files_view *out;
	struct db_dossier d;
};

static bool keep_visible(const void *vctx, const struct db_dossier_file *f)
{
	const struct list_ctx *x = vctx;
	return may_see(x->actor, &x->d, f);
}

static enum err_code list_txn(struct db_conn *c, void *vctx, struct err *e)
{
	struct list_ctx *x = vctx;
	struct files_view *v = x->out;
	files_view_release(v);
	memset(v, 0, sizeof *v);
	enum err_code rc = load_readable(c, x->actor, x->dossier, &x->d, e);
	if (rc != ERR_OK || (rc = db_files_links(c, x->d.id, &v->list, e)) != ERR_OK ||
	    (rc = db_files_figures(c, x->d.id, &v->fig, e)) != ERR_OK)
		return rc;
	list_filter(&v->list, keep_visible, x);
	struct err ignored;
	v->may_component = may_store(x->actor, &x->d, KIND_COMPONENT, &ignored) == ERR_OK;
	v->may_result = may_store(x->actor, &x->d, KIND_RESULT, &ignored) == ERR_OK;
	return ERR_OK;
}

enum err_code files_list(struct service *svc, const struct actor *actor, const char *dossier,
                         struct files_view *out, struct err *e)
{
	memset(out, 0, sizeof *out);
	struct list_ctx x = {.actor = actor, .dossier = dossier, .out = out};
	enum err_code rc = db_run_txn(svc->db, DB_TXN_READ, list_txn, &x, e);
	if (rc != ERR_OK)
		files_view_release(out);
	return rc;
}

/* Writes the chunks of a database-stored file into a temporary file. */
struct readback {
	int fd;
	const char *path;
};

static enum err_code readback_chunk(void *vctx, const void *data, size_t len, struct err *e)
{
	struct readback *r = vctx;
	return write_all(r->fd, data, len, r->path, e);
}

struct open_ctx {
	struct service *svc;
	const struct actor *actor; /* NULL: the public look-up (code given) */
	const char *dossier;
	const char *file_id;
	const struct files_config *fc;
	struct db_dossier_file *out;
	int tmp_fd; /* database store: the file the chunks go to */
	char tmp_path[FILES_PATH_MAX];
};

/* Reads the stored bytes of x->out into x->tmp_fd when they live in the database. */
static enum err_code read_from_db(struct db_conn *c, struct open_ctx *x, struct err *e)
{
	if (!str_eq(x->out->store, "database"))
		return ERR_OK;
	if (x->tmp_fd < 0) {
		enum err_code rc = tmp_create(x->fc, x->tmp_path, &x->tmp_fd, e);
		if (rc != ERR_OK)
			return rc;
		unlink(x->tmp_path);
	}
	if (ftruncate(x->tmp_fd, 0) != 0 || lseek(x->tmp_fd, 0, SEEK_SET) != 0)
		return io_fail(e, "reset", x->tmp_path);
	struct readback r = {x->tmp_fd, x->tmp_path};
	int64_t chunks;
	return db_files_chunks_read(c, x->out->sha256, readback_chunk, &r, &chunks, e);
}

static enum err_code open_txn(struct db_conn *c, void *vctx, struct err *e)
{
	struct open_ctx *x = vctx;
	struct db_dossier d;
	enum err_code rc = load_readable(c, x->actor, x->dossier, &d, e);
	if (rc != ERR_OK)
		return rc;
	rc = db_files_link_get(c, x->file_id, x->out, e);
	if (rc == ERR_NOT_FOUND ||
	    (rc == ERR_OK && (!str_eq(x->out->dossier_id, d.id) || !may_see(x->actor, &d, x->out))))
		return err_set(e, ERR_NOT_FOUND, "the dossier has no such file");
	if (rc != ERR_OK || (rc = read_from_db(c, x, e)) != ERR_OK)
		return rc;
	if (x->actor->kind != ACTOR_STAFF)
		return ERR_OK;
	return audit_file(c, x->actor, service_now(x->svc), "file.read", d.id, x->out, e);
}

/* The file descriptor of the opened bytes, checked against their size. */
static enum err_code open_bytes(struct open_ctx *x, int *fd, struct err *e)
{
	int f = x->tmp_fd;
	if (f < 0) {
		char dir[FILES_PATH_MAX], file[FILES_PATH_MAX];
		blob_paths(x->fc, x->out->sha256, dir, file);
		f = open(file, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
		if (f < 0)
			return io_fail(e, "open the stored file", file);
	}
	x->tmp_fd = -1;
	struct stat sb;
	if (fstat(f, &sb) != 0 || sb.st_size != x->out->bytes || lseek(f, 0, SEEK_SET) != 0) {
		close(f);
		return err_set(e, ERR_IO, "the stored bytes of file '%s' are damaged", x->out->id);
	}
	*fd = f;
	return ERR_OK;
}

/* The start of an open: no descriptor yet, out empty, the file options in fc. */
static enum err_code open_start(struct service *svc, struct db_dossier_file *out, int *fd,
                                struct files_config *fc, struct err *e)
{
	*fd = -1;
	memset(out, 0, sizeof *out);
	return files_config_load(svc->cfg, fc, e);
}

/* The end of an open whose look-up returned rc: the descriptor of the bytes
 * (open_bytes) when it succeeded; a temporary descriptor left over is closed. */
static enum err_code open_finish(enum err_code rc, struct open_ctx *x, int *fd, struct err *e)
{
	if (rc == ERR_OK)
		rc = open_bytes(x, fd, e);
	if (x->tmp_fd >= 0)
		close(x->tmp_fd);
	return rc;
}

enum err_code files_open(struct service *svc, const struct actor *actor, const char *dossier,
                         const char *file_id, struct db_dossier_file *out, int *fd, struct err *e)
{
	struct files_config fc;
	enum err_code rc = open_start(svc, out, fd, &fc, e);
	if (rc != ERR_OK)
		return rc;
	if (str_empty(file_id) || strlen(file_id) >= DBD_ID_SIZE)
		return err_set(e, ERR_NOT_FOUND, "the dossier has no such file");
	struct open_ctx x = {svc, actor, dossier, file_id, &fc, out, -1, ""};
	rc = db_run_txn(svc->db, actor->kind == ACTOR_STAFF ? DB_TXN_WRITE : DB_TXN_READ, open_txn,
	                &x, e);
	return open_finish(rc, &x, fd, e);
}

/* ---- the public look-up ---- */

struct public_ctx {
	const char *code;
	const char *file_id; /* NULL: list */
	struct db_file_list *list;
	struct open_ctx *open;
};

static bool keep_result(const void *ctx, const struct db_dossier_file *f)
{
	(void)ctx;
	return str_eq(f->kind, KIND_RESULT) && files_result_exists(f->dossier_state);
}

static enum err_code public_txn(struct db_conn *c, void *vctx, struct err *e)
{
	struct public_ctx *x = vctx;
	struct db_dossier d;
	enum err_code rc = db_dossier_get_by_code(c, x->code, &d, e);
	if (rc != ERR_OK)
		return rc;
	if (!x->file_id) {
		db_file_list_free(x->list);
		if ((rc = db_files_links(c, d.id, x->list, e)) != ERR_OK)
			return rc;
		list_filter(x->list, keep_result, NULL);
		return ERR_OK;
	}
	struct db_dossier_file *f = x->open->out;
	rc = db_files_link_get(c, x->file_id, f, e);
	if (rc == ERR_NOT_FOUND ||
	    (rc == ERR_OK && (!str_eq(f->dossier_id, d.id) || !keep_result(NULL, f))))
		return err_set(e, ERR_NOT_FOUND, "the dossier has no such result");
	if (rc != ERR_OK)
		return rc;
	return read_from_db(c, x->open, e);
}

/* The public look-up's checks (secret, rate limit), then x's transaction. */
static enum err_code public_run(struct service *svc, const char *addr, const char *code,
                                const char *last4, struct public_ctx *x, int64_t *retry_after,
                                struct err *e)
{
	if (retry_after)
		*retry_after = 0;
	struct lookup_public lp;
	enum err_code rc = lookup_public(svc, addr, code, last4, &lp, e);
	if (retry_after)
		*retry_after = lp.retry_after;
	lookup_public_release(&lp);
	if (rc != ERR_OK)
		return rc;
	x->code = code;
	return db_run_txn(svc->db, DB_TXN_READ, public_txn, x, e);
}

enum err_code files_public_results(struct service *svc, const char *addr, const char *code,
                                   const char *last4, struct db_file_list *out,
                                   int64_t *retry_after, struct err *e)
{
	memset(out, 0, sizeof *out);
	struct public_ctx x = {.list = out};
	enum err_code rc = public_run(svc, addr, code, last4, &x, retry_after, e);
	if (rc != ERR_OK)
		db_file_list_free(out);
	return rc;
}

enum err_code files_open_public(struct service *svc, const char *addr, const char *code,
                                const char *last4, const char *file_id, struct db_dossier_file *out,
                                int *fd, int64_t *retry_after, struct err *e)
{
	struct files_config fc;
	enum err_code rc = open_start(svc, out, fd, &fc, e);
	if (rc != ERR_OK)
		return rc;
	if (str_empty(file_id) || strlen(file_id) >= DBD_ID_SIZE)
		file_id = "-";
	struct open_ctx o = {svc, NULL, code, file_id, &fc, out, -1, ""};
	struct public_ctx x = {.file_id = file_id, .open = &o};
	rc = public_run(svc, addr, code, last4, &x, retry_after, e);
	return open_finish(rc, &o, fd, e);
}

/* ---- reuse ---- */

struct reuse_ctx {
	struct service *svc;
	const struct actor *actor;
	const char *dossier;
	const char *source; /* NULL: list the candidates */
	int64_t component;
	struct db_file_list *list;
	struct db_dossier_file *out;
};

/* Is f (of another dossier of the same person) a candidate? */
static bool candidate(const struct db_dossier_file *f)
{
	if (!str_empty(f->reused_from_file))
		return false; /* the original is offered, not the links to it */
	if (str_eq(f->kind, KIND_RESULT))
		return files_result_exists(f->dossier_state);
	return true;
}

/* Loads d for a reuse: actor may store a component in it, and its applicant has an ID number. */
static enum err_code reuse_load(struct db_conn *c, struct reuse_ctx *x, struct db_dossier *d,
                                struct err *e)
{
	enum err_code rc = load_readable(c, x->actor, x->dossier, d, e);
	if (rc != ERR_OK || (rc = may_store(x->actor, d, KIND_COMPONENT, e)) != ERR_OK)
		return rc;
	return ERR_OK;
}

static enum err_code reusable_txn(struct db_conn *c, void *vctx, struct err *e)
{
	struct reuse_ctx *x = vctx;
	struct db_dossier d;
	enum err_code rc = reuse_load(c, x, &d, e);
	if (rc != ERR_OK)
		return rc;
	db_file_list_free(x->list);
	if (!str_empty(d.applicant_id_number) &&
	    (rc = db_files_of_person(c, d.applicant_id_number, d.id, x->list, e)) != ERR_OK)
		return rc;
	/* candidates, one per content (the list is newest first) */
	size_t k = 0;
	for (size_t i = 0; i < x->list->count && k < MAX_OFFERS; i++) {
		const struct db_dossier_file *f = &x->list->items[i];
		if (!candidate(f))
			continue;
		bool seen = false;
		for (size_t j = 0; j < k && !seen; j++)
			seen = str_eq(x->list->items[j].sha256, f->sha256);
		if (!seen)
			x->list->items[k++] = *f;
	}
	x->list->count = k;
	if (x->actor->kind != ACTOR_STAFF || k == 0)
		return ERR_OK; /* an empty answer shows nothing of anybody */
	return audit_file(c, x->actor, service_now(x->svc), "files.reusable", d.id, NULL, e);
}

enum err_code files_reusable(struct service *svc, const struct actor *actor, const char *dossier,
                             struct db_file_list *out, struct err *e)
{
	memset(out, 0, sizeof *out);
	struct reuse_ctx x = {.svc = svc, .actor = actor, .dossier = dossier, .list = out};
	enum err_code rc =
	        db_run_txn(svc->db, actor->kind == ACTOR_STAFF ? DB_TXN_WRITE : DB_TXN_READ,
	                   reusable_txn, &x, e);
	if (rc != ERR_OK)
		db_file_list_free(out);
	return rc;
}

static enum err_code reuse_txn(struct db_conn *c, void *vctx, struct err *e)
{
	struct reuse_ctx *x = vctx;
	struct db_dossier d;
	enum err_code rc = reuse_load(c, x, &d, e);
	if (rc != ERR_OK)
		return rc;
	char name[DBD_TEXT_SIZE];
	rc = db_files_component_name(c, d.procedure_code, x->component, name, sizeof name, e);
	if (rc == ERR_NOT_FOUND)
		return err_set(e, ERR_INVALID_ARGUMENT, "procedure '%s' has no component %lld",
		               d.procedure_code, (long long)x->component);
	if (rc != ERR_OK)
		return rc;
	struct db_dossier_file src;
	rc = db_files_link_get(c, x->source, &src, e);
	if (rc != ERR_OK && rc != ERR_NOT_FOUND)
		return rc;
	struct db_dossier other;
	bool ok = rc == ERR_OK && !str_eq(src.dossier_id, d.id) && candidate(&src) &&
	          !str_empty(d.applicant_id_number);
	if (ok) {
		if ((rc = db_dossier_get(c, src.dossier_id, &other, e)) != ERR_OK)
			return rc;
		ok = str_eq(other.applicant_id_number, d.applicant_id_number);
	}
	if (!ok)
		return err_set(e, ERR_NOT_FOUND, "no earlier file '%s' of this applicant to reuse",
		               x->source);
	struct db_file_list have;
	if ((rc = db_files_links(c, d.id, &have, e)) != ERR_OK)
		return rc;
	bool dup = false;
	for (size_t i = 0; i < have.count && !dup; i++)
		dup = str_eq(have.items[i].sha256, src.sha256) &&
		      str_eq(have.items[i].kind, KIND_COMPONENT) &&
		      have.items[i].component_seq == x->component;
	db_file_list_free(&have);
	if (dup)
		return err_set(e, ERR_DB_CONFLICT, "this file already satisfies component %lld",
		               (long long)x->component);

	int64_t now = service_now(x->svc);
	struct db_dossier_file *f = x->out;
	memset(f, 0, sizeof *f);
	service_new_id(f->id);
	str_copy(f->dossier_id, sizeof f->dossier_id, d.id);
	str_copy(f->kind, sizeof f->kind, KIND_COMPONENT);
	f->component_seq = x->component;
	str_copy(f->sha256, sizeof f->sha256, src.sha256);
	str_copy(f->filename, sizeof f->filename, src.filename);
	str_copy(f->media_type, sizeof f->media_type, src.media_type);
	f->bytes = src.bytes;
	f->uploaded_at = now;
	char actor_text[AUDIT_ACTOR_MAX];
	audit_actor_text(x->actor, actor_text);
	str_copy(f->uploaded_by, sizeof f->uploaded_by, actor_text);
	str_copy(f->reused_from_file, sizeof f->reused_from_file, src.id);
	str_copy(f->reused_from_dossier, sizeof f->reused_from_dossier, src.dossier_id);
	str_copy(f->reused_from_code, sizeof f->reused_from_code, src.dossier_code);
	str_copy(f->dossier_code, sizeof f->dossier_code, d.code);
	str_copy(f->dossier_state, sizeof f->dossier_state, d.state);
	str_copy(f->procedure_code, sizeof f->procedure_code, d.procedure_code);
	str_copy(f->component_name, sizeof f->component_name, name);
	str_copy(f->store, sizeof f->store, src.store);
	if ((rc = db_files_link_insert(c, f, e)) != ERR_OK ||
	    (rc = count_fact(c, d.id, now, IND_COMPONENT_REUSED, e)) != ERR_OK)
		return rc;
	return audit_file(c, x->actor, now, "file.reuse", d.id, f, e);
}

enum err_code files_reuse(struct service *svc, const struct actor *actor, const char *dossier,
                          const char *source_file, int64_t component, struct db_dossier_file *out,
                          struct err *e)
{
	memset(out, 0, sizeof *out);
	if (str_empty(source_file) || strlen(source_file) >= DBD_ID_SIZE)
		return err_set(e, ERR_NOT_FOUND, "no earlier file to reuse");
	struct reuse_ctx x = {svc, actor, dossier, source_file, component, NULL, out};
	return db_run_txn(svc->db, DB_TXN_WRITE, reuse_txn, &x, e);
}

/* ---- figures ---- */

struct figures_ctx {
	const struct actor *actor;
	const char *dossier;
	struct db_files_figures *out;
};

static enum err_code figures_txn(struct db_conn *c, void *vctx, struct err *e)
{
	struct figures_ctx *x = vctx;
	struct db_dossier d;
	enum err_code rc = load_readable(c, x->actor, x->dossier, &d, e);
	if (rc != ERR_OK)
		return rc;
	return db_files_figures(c, d.id, x->out, e);
}

enum err_code files_figures(struct service *svc, const struct actor *actor, const char *dossier,
                            struct db_files_figures *out, struct err *e)
{
	memset(out, 0, sizeof *out);
	struct figures_ctx x = {actor, dossier, out};
	return db_run_txn(svc->db, DB_TXN_READ, figures_txn, &x, e);
}

struct owner_ctx {
	const struct actor *actor;
	struct db_files_counts *out;
};

static enum err_code owner_txn(struct db_conn *c, void *vctx, struct err *e)
{
	struct owner_ctx *x = vctx;
	db_files_counts_free(x->out);
	enum err_code rc = db_files_results_of_owner(c, x->actor->account_id, x->out, e);
	if (rc != ERR_OK)
		return rc;
	size_t k = 0;
	for (size_t i = 0; i < x->out->count; i++)
		if (files_result_exists(x->out->items[i].state))
			x->out->items[k++] = x->out->items[i];
	x->out->count = k;
	return ERR_OK;
}

enum err_code files_owner_results(struct service *svc, const struct actor *actor,
                                  struct db_files_counts *out, struct err *e)
{
	memset(out, 0, sizeof *out);
	if (actor->kind != ACTOR_CITIZEN && actor->kind != ACTOR_BUSINESS)
		return ERR_OK;
	struct owner_ctx x = {actor, out};
	return db_run_txn(svc->db, DB_TXN_READ, owner_txn, &x, e);
}

/* ---- sweeping ---- */

static bool hex_name(const char *s, size_t n)
{
	if (strlen(s) != n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

/* The next name in d other than "." and "..", or NULL at the end. */
static const char *next_name(DIR *d)
{
	const struct dirent *de;
	while ((de = readdir(d)) != NULL)
		if (!str_eq(de->d_name, ".") && !str_eq(de->d_name, ".."))
			return de->d_name;
	return NULL;
}

struct sweep {
	struct service *svc;
	int64_t now, min_age;
	struct files_sweep_report *r;
	char dir2[3]; /* the blob directory being swept (two hex digits) */
};

struct recorded_ctx {
	char sha[DBF_SHA_SIZE];
	bool recorded;
};

static enum err_code recorded_txn(struct db_conn *c, void *vctx, struct err *e)
{
	struct recorded_ctx *x = vctx;
	struct db_stored_file f;
	enum err_code rc = db_files_stored_get(c, x->sha, &f, e);
	x->recorded = rc == ERR_OK;
	if (rc == ERR_NOT_FOUND) {
		err_clear(e);
		rc = ERR_OK;
	}
	return rc;
}

/* Is path a regular file last changed at least min_age before now? (*size: its size) */
static bool old_file(const struct sweep *s, const char *path, int64_t *size)
{
	struct stat sb;
	if (lstat(path, &sb) != 0 || !S_ISREG(sb.st_mode))
		return false;
	*size = (int64_t)sb.st_size;
	return (int64_t)sb.st_mtime <= s->now - s->min_age;
}

/* Deletes path when it is old enough (else counts it as young). */
static enum err_code remove_if_old(struct sweep *s, const char *path, struct err *e)
{
	int64_t size = 0;
	if (!old_file(s, path, &size)) {
		s->r->kept_young++;
		return ERR_OK;
	}
	if (unlink(path) != 0 && errno != ENOENT)
		return io_fail(e, "delete", path);
	s->r->removed++;
	s->r->removed_bytes += size;
	return ERR_OK;
}

/* Calls each(s, dir, name, path) for every entry of dir (path: dir/name). */
static enum err_code sweep_dir(struct sweep *s, const char *dir,
                               enum err_code (*each)(struct sweep *s, const char *name,
                                                     const char *path, struct err *e),
                               struct err *e)
{
	DIR *d = opendir(dir);
	if (!d)
		return io_fail(e, "open the directory", dir);
	enum err_code rc = ERR_OK;
	const char *name;
	while (rc == ERR_OK && (name = next_name(d)) != NULL) {
		s->r->examined++;
		char path[FILES_PATH_MAX];
		if (snprintf(path, sizeof path, "%s/%s", dir, name) >= (int)sizeof path)
			s->r->foreign++;
		else
			rc = each(s, name, path, e);
	}
	closedir(d);
	return rc;
}

/* A blob of files_dir/<s->dir2>: kept when recorded, else deleted once old. */
static enum err_code sweep_blob(struct sweep *s, const char *name, const char *path, struct err *e)
{
	if (!hex_name(name, DBF_SHA_SIZE - 3)) {
		s->r->foreign++;
		return ERR_OK;
	}
	struct recorded_ctx x;
	memcpy(x.sha, s->dir2, 2);
	memcpy(x.sha + 2, name, DBF_SHA_SIZE - 2); /* 62 digits and the NUL */
	enum err_code rc = db_run_txn(s->svc->db, DB_TXN_READ, recorded_txn, &x, e);
	if (rc != ERR_OK)
		return rc;
	if (x.recorded) {
		s->r->referenced++;
		return ERR_OK;
	}
	/* its age after the database's answer: an upload of the same bytes touches it */
	return remove_if_old(s, path, e);
}

/* A file of files_dir/tmp: an upload's temporary file is deleted once old. */
static enum err_code sweep_tmp(struct sweep *s, const char *name, const char *path, struct err *e)
{
	if (strncmp(name, FILES_TMP_PREFIX, strlen(FILES_TMP_PREFIX)) != 0) {
		s->r->foreign++;
		return ERR_OK;
	}
	return remove_if_old(s, path, e);
}

enum err_code files_sweep(struct service *svc, int64_t now, int64_t min_age,
                          struct files_sweep_report *out, struct err *e)
{
	memset(out, 0, sizeof *out);
	struct files_config fc;
	enum err_code rc = files_config_load(svc->cfg, &fc, e);
	if (rc != ERR_OK)
		return rc;
	struct sweep s = {svc, now, min_age < 0 ? 0 : min_age, out, ""};
	DIR *d = opendir(fc.dir);
	if (!d) {
		if (errno == ENOENT)
			return ERR_OK; /* nothing was ever uploaded */
		return io_fail(e, "open the directory", fc.dir);
	}
	const char *name;
	while (rc == ERR_OK && (name = next_name(d)) != NULL) {
		char dir[FILES_PATH_MAX];
		if (hex_name(name, 2)) {
			memcpy(s.dir2, name, sizeof s.dir2);
			snprintf(dir, sizeof dir, "%s/%s", fc.dir, name);
			rc = sweep_dir(&s, dir, sweep_blob, e);
		} else if (str_eq(name, FILES_TMP_DIR)) {
			snprintf(dir, sizeof dir, "%s/" FILES_TMP_DIR, fc.dir);
			rc = sweep_dir(&s, dir, sweep_tmp, e);
		} else {
			out->examined++;
			out->foreign++;
		}
	}
	closedir(d);
	return rc;
}
