/*
 * forms: the legal forms of the one-stop mechanism, laid out from templates
 * kept as data (data/forms/forms-2018.json for Circular 01/2018/TT-VPCP,
 * data/forms/forms-2025.json for Circular 03/2025/TT-VPCP; the format is in
 * docs/documents.md) and filled with the values of one dossier.
 *
 * A template set names the forms it has (receipt, supplement, refusal,
 * apology, stop, control, tracking_book); each form is a list of blocks
 * (header, title, text, list, table, signatures, note, verification, ...)
 * whose texts hold placeholders {name}. The names are the fields below: the
 * scalar fields of the dossier (FORM_FIELDS) and, inside a list or table,
 * the fields of one row (FORM_ROW_FIELDS) of a named list (FORM_LISTS).
 * Loading a set checks everything -- block types, keys, placeholder names,
 * list names, formats -- so that a typo in a template fails when it is
 * loaded, not when a citizen asks for the form.
 *
 * forms_render() turns one form and its values into PDF bytes with
 * src/doc/pdf.h. Filling the values from the database is the work of
 * src/doc/documents.c; nothing here reads the database or the clock.
 */
#ifndef MOTCUA_DOC_FORMS_H
#define MOTCUA_DOC_FORMS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/error.h"

#define FORMS_FILE_MAX  (1u << 20) /* bytes of one template file */
#define FORMS_VALUE_MAX 4096       /* bytes of one value (longer ones are cut) */
#define FORMS_ROWS_MAX  20000      /* rows of one list */

/* The forms, by the names used in URLs and templates. */
#define FORM_KINDS(X)                                                                              \
	X(RECEIPT, "receipt")                                                                      \
	X(SUPPLEMENT, "supplement")                                                                \
	X(REFUSAL, "refusal")                                                                      \
	X(APOLOGY, "apology")                                                                      \
	X(STOP, "stop")                                                                            \
	X(CONTROL, "control")                                                                      \
	X(TRACKING_BOOK, "tracking_book")

enum form_kind {
#define X(id, name) FK_##id,
	FORM_KINDS(X)
#undef X
	        FK__COUNT
};

/* Scalar fields of a filled form (placeholders {name}). */
#define FORM_FIELDS(X)                                                                             \
	X(set)                                                                                     \
	X(legal_basis)                                                                             \
	X(form_number)                                                                             \
	X(form_title)                                                                              \
	X(doc_date)                                                                                \
	X(issuer_name)                                                                             \
	X(issuer_parent)                                                                           \
	X(code)                                                                                    \
	X(procedure_code)                                                                          \
	X(procedure_name)                                                                          \
	X(applicant_name)                                                                          \
	X(applicant_address)                                                                       \
	X(applicant_phone)                                                                         \
	X(applicant_email)                                                                         \
	X(co_applicants)                                                                           \
	X(representative_name)                                                                     \
	X(receiving_unit_name)                                                                     \
	X(competent_unit_name)                                                                     \
	X(collection_place)                                                                        \
	X(legal_time)                                                                              \
	X(received_at)                                                                             \
	X(due_at)                                                                                  \
	X(original_due_at)                                                                         \
	X(new_due_at)                                                                              \
	X(reason)                                                                                  \
	X(event_at)                                                                                \
	X(verification_code)                                                                       \
	X(lookup_url)                                                                              \
	X(verify_url)                                                                              \
	X(issued_at)                                                                               \
	X(branch_name)                                                                             \
	X(period_from)                                                                             \
	X(period_to)                                                                               \
	X(book_count)

enum form_field {
#define X(name) FF_##name,
	FORM_FIELDS(X)
#undef X
	        FF__COUNT
};

/* Fields of one row of a list. */
#define FORM_ROW_FIELDS(X)                                                                         \
	X(row_no)                                                                                  \
	X(component_name)                                                                          \
	X(component_status)                                                                        \
	X(component_form)                                                                          \
	X(event_time)                                                                              \
	X(from_unit)                                                                               \
	X(to_unit)                                                                                 \
	X(step_result)                                                                             \
	X(action)                                                                                  \
	X(note)                                                                                    \
	X(dossier_code)                                                                            \
	X(dossier_procedure)                                                                       \
	X(dossier_applicant)                                                                       \
	X(dossier_contact)                                                                         \
	X(dossier_agency)                                                                          \
	X(dossier_received)                                                                        \
	X(dossier_due)                                                                             \
	X(dossier_resolved)                                                                        \
	X(dossier_returned)                                                                        \
	X(dossier_state)

enum form_row_field {
#define X(name) FR_##name,
	FORM_ROW_FIELDS(X)
#undef X
	        FR__COUNT
};

/*
 * The lists: every component of the dossier; those handed in (received or
 * supplemented); those not to be handed in because the population database
 * replaces them; those asked for by a supplement request (missing or
 * supplemented); the hand-overs of the process control form; the dossiers
 * of a tracking book.
 */
#define FORM_LISTS(X)                                                                              \
	X(components)                                                                              \
	X(received)                                                                                \
	X(waived)                                                                                  \
	X(missing)                                                                                 \
	X(events)                                                                                  \
	X(book)

enum form_list {
#define X(name) FL_##name,
	FORM_LISTS(X)
#undef X
	        FL__COUNT
};

struct form_row {
	char *v[FR__COUNT]; /* NULL reads as "" */
};

struct form_rows {
	struct form_row *items;
	size_t n, cap;
};

/* The values of one form. Strings are owned (copied in). */
struct form_data {
	char *v[FF__COUNT];
	struct form_rows list[FL__COUNT];
	bool oom; /* a copy failed: forms_render() reports ERR_NO_MEMORY */
};

void form_data_init(struct form_data *d);
void form_data_release(struct form_data *d);

/* Sets a scalar (a copy of value, at most FORMS_VALUE_MAX bytes; NULL for ""). */
void form_set(struct form_data *d, enum form_field f, const char *value);
void form_setf(struct form_data *d, enum form_field f, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

/* The value of a scalar ("" when unset). */
const char *form_get(const struct form_data *d, enum form_field f);

/*
 * Appends a row to a list, its row_no set to its number (1, 2, ...).
 * Returns the row, or NULL (and d->oom) when out of memory or past
 * FORMS_ROWS_MAX rows. The pointer is valid until the next append.
 */
struct form_row *form_add_row(struct form_data *d, enum form_list l);

/* Sets a field of a row (a copy of value). */
void form_row_set(struct form_data *d, struct form_row *r, enum form_row_field f,
                  const char *value);

/* A loaded and checked template set. */
struct forms_set {
	char name[8]; /* "2018", "2025" */
	json_t *root;
};

/*
 * Parses and checks the template set name ("2018" or "2025") from len bytes
 * of JSON text. ERR_INVALID_DATA_FILE with a detail naming the form, block
 * and key for anything wrong. Release with forms_set_release().
 */
enum err_code forms_set_parse(const char *text, size_t len, const char *name, struct forms_set *out,
                              struct err *e);

/*
 * The template set name from dir/forms-NAME.json, or from the copy built
 * into the binary when dir is empty. ERR_IO when the file cannot be read,
 * ERR_NOT_FOUND for an unknown set name, then as forms_set_parse().
 */
enum err_code forms_set_open(const char *dir, const char *name, struct forms_set *out,
                             struct err *e);

void forms_set_release(struct forms_set *s);

/* Name of a form kind ("receipt", ...); kind from a name (-1 when unknown). */
const char *forms_kind_name(enum form_kind k);
int forms_kind_from_name(const char *name, enum form_kind *out);

/* True when the set has the form. */
bool forms_set_has(const struct forms_set *s, enum form_kind k);

/* The form's number ("Mẫu số 01") and title, "" when the set lacks it. */
const char *forms_number(const struct forms_set *s, enum form_kind k);
const char *forms_title(const struct forms_set *s, enum form_kind k);

/* The label of key in the group of the set's labels; key itself when there is none. */
const char *forms_label(const struct forms_set *s, const char *group, const char *key);

/* True when the set's labels have key in group. */
bool forms_has_label(const struct forms_set *s, const char *group, const char *key);

/* A date (days since 1970-01-01), an instant, a legal time in the set's formats, into out. */
void forms_date(const struct forms_set *s, int64_t days, char *out, size_t n);
void forms_datetime(const struct forms_set *s, int64_t epoch, char *out, size_t n);
void forms_duration(const struct forms_set *s, int64_t amount, bool hours, char *out, size_t n);

/*
 * Lays out form k of set s with the values of d (set, legal_basis,
 * form_number and form_title are filled from the template) into out (PDF
 * bytes; emptied first). fonts: paths of the regular and bold TrueType
 * fonts; created_at: the instant written in the PDF's information.
 * ERR_NOT_FOUND when the set lacks the form; ERR_NO_MEMORY; the errors of
 * pdf_new() and pdf_finish().
 */
enum err_code forms_render(const struct forms_set *s, enum form_kind k, struct form_data *d,
                           const char *font, const char *font_bold, int64_t created_at,
                           struct buf *out, struct err *e);

#endif
