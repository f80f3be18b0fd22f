/*
 * documents: the use cases of issued documents -- the forms of a dossier,
 * the tracking book of a branch, their signatures, verification by file or
 * by code, and the centre's signing keys. This is the service layer of the
 * doc room: each function checks who asks, reads what it needs in one
 * transaction, lays the PDF out (src/doc/forms.h) outside any transaction,
 * then signs it and records it in the register (issued_document) and the
 * audit log in one write transaction (docs/documents.md).
 *
 * Which set of forms a dossier gets is decided by its legal reception day:
 * before forms_2025_from the 2018 set (Circular 01/2018/TT-VPCP), from that
 * day the 2025 set (Circular 03/2025/TT-VPCP). A refused dossier, never
 * received, is placed by the day it was refused.
 *
 * Every PDF carries a fresh verification code and ends with the trailer line
 * of src/doc/signature.h; the first document ever issued creates the centre's
 * first key when `motcua keys generate` was not run before.
 */
#ifndef MOTCUA_DOC_DOCUMENTS_H
#define MOTCUA_DOC_DOCUMENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/config.h"
#include "base/error.h"
#include "db/db_documents.h"
#include "doc/forms.h"
#include "doc/signature.h"
#include "service/files.h"
#include "service/service.h"

#define DOCUMENTS_BOOK_MAX_DAYS 366         /* days of one tracking book */
#define DOCUMENTS_BOOK_MAX_ROWS 5000        /* dossiers of one tracking book */
#define DOCUMENTS_VERIFY_MAX    (32u << 20) /* bytes of a file to verify */
#define DOCUMENTS_URL_MAX       256         /* bytes of public_url */

/* What the documents need of the configuration. */
struct documents_config {
	char font[CONFIG_VALUE_MAX + 1];
	char font_bold[CONFIG_VALUE_MAX + 1];
	char forms_dir[CONFIG_VALUE_MAX + 1];
	char public_url[DOCUMENTS_URL_MAX + 16]; /* without a trailing '/' */
	int64_t switch_day; /* first reception day of the 2025 set; INT64_MIN: every day */
};

/*
 * Reads the options pdf_font, pdf_font_bold, forms_dir, public_url (empty:
 * "http://" + listen) and forms_2025_from. ERR_CONFIG_INVALID when
 * public_url is not http(s)://HOST[:PORT] without a path.
 */
enum err_code documents_config_load(const struct config *cfg, struct documents_config *out,
                                    struct err *e);

/* The set ("2018" or "2025") for a reception day. */
const char *documents_set_for(const struct documents_config *c, int64_t day);

/* A signed PDF, ready to send. */
struct documents_pdf {
	struct buf bytes;        /* the PDF and its trailer line */
	char code[SIG_CODE_LEN]; /* its verification code */
	char form[32];           /* receipt, ..., tracking_book */
	char set[8];             /* 2018, 2025 */
	char filename[160];      /* e.g. receipt-000.01.CN.H26-261127-0001.pdf */
	int64_t issued_at;
};

void documents_pdf_release(struct documents_pdf *p);

/*
 * Issues form (receipt, supplement, refusal, apology, stop or control) of
 * dossier (internal id or code) for actor, who must be allowed to see the
 * dossier (lookup_dossier(): ERR_NOT_FOUND, ERR_FORBIDDEN). ERR_NOT_FOUND
 * for an unknown form name; ERR_FORM_NOT_APPLICABLE when nothing in the
 * dossier's history calls for the form, or its set has no such form. Fills
 * *out (release it in every case).
 */
enum err_code documents_form(struct service *svc, const struct actor *actor, const char *dossier,
                             const char *form, struct documents_pdf *out, struct err *e);

/*
 * The checks of documents_form() alone (access, form name, applicability),
 * issuing nothing: for HEAD requests, which must not create a document.
 */
enum err_code documents_form_check(struct service *svc, const struct actor *actor,
                                   const char *dossier, const char *form, struct err *e);

struct lookup_view;

/*
 * True when the history of v calls for form (receipt, supplement, refusal,
 * apology, stop or control): the rule documents_form() applies before it
 * issues one (it also refuses a form the dossier's set lacks). For pages
 * that offer only the forms that apply.
 */
bool documents_form_applies(const struct lookup_view *v, const char *form);

/*
 * Issues the tracking book of unit (a receiving unit: branch or service
 * point) for the reception days from_day..to_day (inclusive). Officers of
 * that unit, leaders, supervisors, admins and the system may
 * (ERR_FORBIDDEN otherwise); ERR_NOT_FOUND when unit does not receive
 * dossiers; ERR_INVALID_ARGUMENT when to_day < from_day; ERR_OUT_OF_RANGE
 * for more than DOCUMENTS_BOOK_MAX_DAYS days or DOCUMENTS_BOOK_MAX_ROWS
 * dossiers. The read is audited ("tracking_book.read").
 */
enum err_code documents_tracking_book(struct service *svc, const struct actor *actor,
                                      const char *unit, int64_t from_day, int64_t to_day,
                                      struct documents_pdf *out, struct err *e);

/* The checks of documents_tracking_book() alone (access, unit, period), issuing nothing (HEAD). */
enum err_code documents_tracking_book_check(struct service *svc, const struct actor *actor,
                                            const char *unit, int64_t from_day, int64_t to_day,
                                            struct err *e);

/* An electronic result kept and issued (documents_store_result()). */
struct documents_result {
	struct db_dossier_file file;             /* the dossier's link to the signed PDF */
	char code[SIG_CODE_LEN];                 /* its verification code */
	char verify_url[DOCUMENTS_URL_MAX + 48]; /* PUBLIC_URL/verify?code=CODE */
	char source_type[32]; /* what was uploaded: application/pdf, image/jpeg, image/png */
};

/*
 * Keeps the uploaded file t as the electronic result of dossier, issued by
 * the centre like a form: a PDF is signed as it is (the trailer line
 * appended after its final %%EOF; whitespace after that %%EOF is dropped);
 * a JPEG or PNG is first laid on a one-page PDF (A4 wide, the image's
 * aspect) with a footer giving the dossier code, the verification code and
 * the /verify address. The signed PDF is what is stored (content-addressed)
 * and downloaded; the image itself is not kept. files_store() (kind
 * "result") does the checks, the storing and the indicators; the register
 * row (issued_document, kind "result", form "result", the dossier, its
 * competent unit, the uploader) and its audit entry ("document.issue") are
 * written in the same transaction as the file's link. t is discarded in
 * every case. Errors: those of files_store(); ERR_UNPROCESSABLE_CONTENT for
 * a PDF that already carries a motcua signature or does not end with
 * %%EOF, and for an image that cannot be read; ERR_PAYLOAD_TOO_LARGE for
 * more than DOCUMENTS_VERIFY_MAX bytes signed.
 */
enum err_code documents_store_result(struct service *svc, const struct actor *actor,
                                     const char *dossier, const char *filename, struct files_tmp *t,
                                     struct documents_result *out, struct err *e);

/* The outcome of a verification. Nothing in it is personal data. */
struct documents_verdict {
	bool valid;
	char reason[32];             /* when not valid: unsigned, malformed, unknown_key,
	                                tampered, not_registered, mismatch */
	char detail[ERR_DETAIL_MAX]; /* a sentence saying why (English) */
	char code[SIG_CODE_LEN];
	struct db_issued_document doc; /* the register's row when found */
	char unit_name[DBD_TEXT_SIZE]; /* of doc.unit_code */
	bool key_current;              /* the signing key is the current one */
	int64_t key_retired_at;        /* DB_NONE while current */
	char sha256[SIG_HEX32_LEN];    /* of the signed bytes of the file */
};

/*
 * Verifies a file (len bytes at data): its trailer, the Ed25519 signature by
 * the key it names over (code, SHA-256 of the bytes before the trailer),
 * and the register's row for the code (same hash, same key). Answers in
 * *out (valid or not, with the reason); returns ERR_OK, or a database error.
 * ERR_TOO_LONG for more than DOCUMENTS_VERIFY_MAX bytes.
 */
enum err_code documents_verify_file(struct service *svc, const void *data, size_t len,
                                    struct documents_verdict *out, struct err *e);

/*
 * Looks a verification code up in the register (any case, hyphens
 * optional): ERR_OK with out->valid when a document was issued with it,
 * ERR_INVALID_ARGUMENT for a malformed code, ERR_NOT_FOUND when none was.
 */
enum err_code documents_verify_code(struct service *svc, const char *code,
                                    struct documents_verdict *out, struct err *e);

/* A signing key as shown (never its seed). */
struct documents_key {
	char id[SIG_KEY_ID_LEN];
	char public_key[SIG_HEX32_LEN];
	bool current;
	int64_t created_at;
	int64_t retired_at; /* DB_NONE while current */
	int64_t documents;  /* documents it signed */
	char created_by[DBDOC_ACTOR_SIZE];
};

/*
 * Creates the centre's signing key (rotate false: ERR_DB_CONFLICT when one
 * exists already) or rotates it (rotate true: the current key is retired --
 * it stays to verify what it signed -- and a new one becomes current). Only
 * the system actor (the command line) and admins may. *out is the new key;
 * retired (when not NULL, SIG_KEY_ID_LEN bytes) gets the retired key's id
 * or "". Audited ("signing_key.generate", "signing_key.rotate").
 */
enum err_code documents_key_generate(struct service *svc, const struct actor *actor, bool rotate,
                                     struct documents_key *out, char *retired, struct err *e);

/* Every key, oldest first, into *items (free() it), *n of them. */
enum err_code documents_keys(struct service *svc, struct documents_key **items, size_t *n,
                             struct err *e);

#endif
