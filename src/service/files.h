/*
 * files: scanned components and electronic results of dossiers
 * (docs/documents.md, "Files").
 *
 * An upload is streamed: the HTTP layer hands the bytes, as they arrive, to
 * a temporary file in files_dir (struct files_tmp) that hashes them
 * (SHA-256, libsodium), checks their type by their first bytes (PDF, JPEG,
 * PNG; anything else is refused at once with ERR_UNSUPPORTED_MEDIA_TYPE)
 * and stops writing at the size limit (ERR_PAYLOAD_TOO_LARGE). Only then
 * does files_store() keep it, in this order, so that every acknowledged
 * upload survives a crash and nothing is half-written:
 *   1. a read transaction checks who asks and for what (role, scope, state,
 *      component, the dossier's quota);
 *   2. disk store: the temporary file is synced and renamed to
 *      files_dir/ab/cdef... (its hash; a file already there is the same
 *      bytes: deduplicated) and the directory synced;
 *   3. one write transaction checks again, records the bytes (stored_file,
 *      once per hash; in database store the bytes themselves, in chunks of
 *      FILES_CHUNK_BYTES), links them to the dossier and the component
 *      (dossier_file), counts the digitisation indicators and appends the
 *      audit entry.
 * On any failure the temporary file is deleted. A renamed file whose
 * transaction then failed stays on disk unreferenced (it may be another
 * upload's bytes; it is never served, since only recorded hashes are) until
 * files_sweep().
 *
 * Who may do what (the dossier is loaded with action_load(): a citizen's
 * look at another person's dossier is ERR_NOT_FOUND):
 *   - store a component's scan: staff of the dossier's scope
 *     (action_may_read) holding officer, specialist or approver, while the
 *     dossier is not closed; the owner while it is submitted or
 *     supplement_requested;
 *   - store an electronic result: specialists and approvers of the
 *     competent unit, once the result exists (result_ready, in transit, at
 *     the branch, posted, delivered);
 *   - read a file: whoever may read the dossier; the owner sees results
 *     only once they exist; anyone with the public look-up's secret (code
 *     and last 4 digits) the results of that dossier. Staff reads are
 *     audited ("file.read").
 *   - reuse: an earlier file of the same applicant (same ID number) --
 *     a component's scan, or a result that exists -- satisfies a component
 *     of a new dossier without a new upload (same rule as storing a
 *     component); the link records the file and the dossier it came from.
 */
#ifndef MOTCUA_SERVICE_FILES_H
#define MOTCUA_SERVICE_FILES_H

#include <sodium.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/config.h"
#include "base/error.h"
#include "db/db_files.h"
#include "service/service.h"

#define FILES_CHUNK_BYTES (1u << 20) /* bytes of one chunk row in the database store */
#define FILES_SNIFF_BYTES 8          /* first bytes that decide the type */
#define FILES_PATH_MAX    1100       /* bytes of a path under files_dir */
#define FILES_NAME_MAX    200        /* bytes of a display file name */

/* The configuration of the store. */
struct files_config {
	char dir[CONFIG_VALUE_MAX + 1]; /* files_dir */
	bool in_database;               /* file_store = database */
	int64_t file_max;               /* file_max_bytes */
	int64_t dossier_max;            /* dossier_files_max_bytes */
};

/* Reads files_dir, file_store (ERR_CONFIG_INVALID unless disk or database), file_max_bytes,
 * dossier_files_max_bytes. */
enum err_code files_config_load(const struct config *cfg, struct files_config *out, struct err *e);

/*
 * The media type of a file by its first n bytes: "application/pdf" (%PDF-),
 * "image/jpeg" (FF D8 FF), "image/png" (89 50 4E 47 0D 0A 1A 0A), or NULL.
 */
const char *files_sniff(const void *head, size_t n);

/*
 * A display name made of a file name a client sent (NULL allowed): only the
 * part after the last '/' or '\', control characters, invalid UTF-8 and the
 * characters " * : < > ? | replaced by '_', leading dots and spaces and
 * trailing dots and spaces removed, cut to FILES_NAME_MAX bytes (and to
 * size - 1) at a character boundary; "file" when nothing is left. It is
 * never used as a path.
 */
void files_display_name(const char *in, char *out, size_t size);

/* A temporary file being written (one upload). */
struct files_tmp {
	int fd; /* -1 when none */
	char path[FILES_PATH_MAX];
	crypto_hash_sha256_state hash;
	int64_t bytes, max;
	unsigned char head[FILES_SNIFF_BYTES];
	size_t nhead;
	const char *media_type;    /* once known */
	char sha256[DBF_SHA_SIZE]; /* once closed */
	bool closed;
};

/* An empty files_tmp (nothing to discard). */
void files_tmp_init(struct files_tmp *t);

/*
 * Creates a temporary file under files_dir/tmp for at most max bytes.
 * ERR_IO when it cannot be created.
 */
enum err_code files_tmp_open(const struct files_config *fc, int64_t max, struct files_tmp *t,
                             struct err *e);

/*
 * Appends n bytes. ERR_PAYLOAD_TOO_LARGE past max (nothing more is
 * written), ERR_UNSUPPORTED_MEDIA_TYPE as soon as the first bytes are not
 * a PDF, JPEG or PNG, ERR_IO. After an error the caller discards the file.
 */
enum err_code files_tmp_write(struct files_tmp *t, const void *data, size_t n, struct err *e);

/*
 * Ends the file: flushes it to disk (fsync) and fills t->sha256.
 * ERR_MISSING_ARGUMENT for an empty file, ERR_UNSUPPORTED_MEDIA_TYPE for one
 * shorter than its signature, ERR_IO.
 */
enum err_code files_tmp_close(struct files_tmp *t, struct err *e);

/* Closes and deletes the temporary file if any (safe to call twice). */
void files_tmp_discard(struct files_tmp *t);

/*
 * The most bytes actor may upload to dossier now: the smaller of
 * file_max_bytes and what is left of dossier_files_max_bytes; for the
 * checks before a body is read. Errors: ERR_UNAUTHORIZED (anonymous),
 * ERR_NOT_FOUND, ERR_FORBIDDEN (role or scope), ERR_ACTION_NOT_ALLOWED
 * (nothing may be stored in the dossier's state), ERR_PAYLOAD_TOO_LARGE
 * (the dossier's quota is used up).
 */
enum err_code files_upload_allowance(struct service *svc, const struct actor *actor,
                                     const char *dossier, int64_t *max_bytes, struct err *e);

/*
 * Hooks an upper layer may give files_store() (the doc layer signs
 * electronic results with them: doc/documents.h, documents_store_result()).
 *
 * transform runs after the read transaction's checks (d is the dossier as
 * loaded there) and before the bytes are kept: it reads the closed file in
 * and writes what is to be kept instead into out (files_tmp_open() with
 * fc, written and closed by it); an error refuses the upload and nothing is
 * kept. on_stored runs at the end of the write transaction c, after the
 * link f is written, so that what it records commits or rolls back with
 * the file (it may run more than once when the transaction is retried).
 */
typedef enum err_code (*files_transform_fn)(void *ctx, const struct db_dossier *d,
                                            const struct files_config *fc, struct files_tmp *in,
                                            struct files_tmp *out, struct err *e);
typedef enum err_code (*files_stored_fn)(void *ctx, struct db_conn *c, const struct db_dossier *d,
                                         const struct db_dossier_file *f, struct err *e);

/* What an upload is for. */
struct files_store_req {
	const char *kind;             /* "component" or "result" */
	int64_t component;            /* the component's number (kind component) */
	const char *filename;         /* as the client sent it (cleaned here; display only) */
	files_transform_fn transform; /* optional (see above) */
	files_stored_fn on_stored;    /* optional (see above) */
	void *hook_ctx;               /* given to both */
};

/*
 * Keeps the closed temporary file t as a file of dossier (see above) and
 * fills *out with its link. t is discarded in every case. Errors: those of
 * files_upload_allowance, ERR_INVALID_ARGUMENT (kind, or a component the
 * procedure does not have), ERR_PAYLOAD_TOO_LARGE (quota), ERR_IO, database
 * errors.
 */
enum err_code files_store(struct service *svc, const struct actor *actor, const char *dossier,
                          const struct files_store_req *r, struct files_tmp *t,
                          struct db_dossier_file *out, struct err *e);

/* The files of a dossier as actor may see them, with its figures. */
struct files_view {
	struct db_file_list list;
	struct db_files_figures fig;
	bool may_component; /* actor may store (or reuse for) a component now */
	bool may_result;    /* actor may store an electronic result now */
};

void files_view_release(struct files_view *v);

/*
 * Lists the files of dossier (internal id or code) for actor (errors as
 * lookup_dossier: ERR_UNAUTHORIZED, ERR_NOT_FOUND, ERR_FORBIDDEN). Not
 * audited: names and sizes only, shown with the dossier, whose read is.
 */
enum err_code files_list(struct service *svc, const struct actor *actor, const char *dossier,
                         struct files_view *out, struct err *e);

/*
 * Opens file_id of dossier for reading: *fd (the caller closes it) at offset
 * 0, *out its link. ERR_NOT_FOUND for a file that is not the dossier's (or
 * not visible to actor), other errors as files_list; ERR_IO when the stored
 * bytes are missing or damaged. Audited for staff ("file.read").
 */
enum err_code files_open(struct service *svc, const struct actor *actor, const char *dossier,
                         const char *file_id, struct db_dossier_file *out, int *fd, struct err *e);

/*
 * The electronic results of the dossier of the public look-up (code and the
 * last 4 digits of the applicant's ID number or phone; lookup_public()'s
 * rules and rate limit: ERR_INVALID_ARGUMENT, ERR_NOT_FOUND,
 * ERR_RATE_LIMITED with *retry_after). Results are listed once they exist.
 */
enum err_code files_public_results(struct service *svc, const char *addr, const char *code,
                                   const char *last4, struct db_file_list *out,
                                   int64_t *retry_after, struct err *e);

/* Opens one of those results (ERR_NOT_FOUND for any other file). */
enum err_code files_open_public(struct service *svc, const char *addr, const char *code,
                                const char *last4, const char *file_id, struct db_dossier_file *out,
                                int *fd, int64_t *retry_after, struct err *e);

/*
 * The earlier files of the dossier's applicant (same ID number, other
 * dossiers) that may satisfy its components: scans of components and
 * results that exist, one per content, newest first. For whom may store a
 * component (see above); audited for staff when any is found ("files.reusable").
 */
enum err_code files_reusable(struct service *svc, const struct actor *actor, const char *dossier,
                             struct db_file_list *out, struct err *e);

/*
 * Links the bytes of source_file (one of files_reusable's) to component of
 * dossier, recording where they came from. ERR_NOT_FOUND for a source that
 * is not a candidate, ERR_INVALID_ARGUMENT for an unknown component,
 * ERR_DB_CONFLICT when that file already satisfies that component.
 */
enum err_code files_reuse(struct service *svc, const struct actor *actor, const char *dossier,
                          const char *source_file, int64_t component, struct db_dossier_file *out,
                          struct err *e);

/*
 * The digitisation figures of dossier for whom may read it (no audit: the
 * figures hold no personal data).
 */
enum err_code files_figures(struct service *svc, const struct actor *actor, const char *dossier,
                            struct db_files_figures *out, struct err *e);

/* The owner's dossiers with electronic results that exist (for /me/dossiers). */
enum err_code files_owner_results(struct service *svc, const struct actor *actor,
                                  struct db_files_counts *out, struct err *e);

/* True for the states in which a dossier's result exists. */
bool files_result_exists(const char *state);

/* What files_sweep() found and did. */
struct files_sweep_report {
	int64_t examined;      /* files looked at under files_dir */
	int64_t removed;       /* unreferenced blobs and stale temporary files deleted */
	int64_t removed_bytes; /* their size */
	int64_t kept_young;    /* unreferenced, but younger than the age limit */
	int64_t referenced;    /* blobs a stored_file row names (kept) */
	int64_t foreign;       /* names that are neither a blob nor an upload's temporary file */
};

/*
 * Deletes what files_store() can leave behind in files_dir: blobs
 * (files_dir/ab/cdef...) that no stored_file row names -- an upload whose
 * transaction failed after the rename, or a crash in between -- and
 * temporary files (files_dir/tmp/upload-*) of uploads that never ended,
 * when their last change is at least min_age seconds before now (an upload
 * in flight is seconds old: keep min_age well above the longest upload;
 * the command's default is a day). Blob names are checked against the
 * database one by one, so a blob recorded after the listing is never
 * deleted; other names are left alone and counted. ERR_IO, database
 * errors; the report holds what was done until then.
 */
enum err_code files_sweep(struct service *svc, int64_t now, int64_t min_age,
                          struct files_sweep_report *out, struct err *e);

#endif
