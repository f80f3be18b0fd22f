/*
 * jspec: declarative validation of JSON request bodies (on jansson).
 *
 * A handler lists the fields it expects in an array of struct jspec, ended by
 * JSPEC_END: name, type, where to store the value, whether it is required,
 * and its bounds. One call, jspec_parse(), checks a JSON object against the
 * list and fills the targets; one call, jspec_free(), frees what parsing
 * allocated. Anything wrong stops at the first problem with a code from the
 * JSON group of errors.def and a detail naming the field by its path:
 *
 *   ERR_JSON_FIELD_UNKNOWN  a key that the spec does not list
 *                           ("unknown field 'applicant.nickname'")
 *   ERR_JSON_FIELD_MISSING  a required field is absent
 *   ERR_JSON_FIELD_TYPE     wrong JSON type (e.g. "12" for an integer, 3.0 for
 *                           an integer, a number for a string)
 *   ERR_JSON_FIELD_RANGE    right type, value out of bounds: integer outside
 *                           [min, max], string longer than max_len bytes, empty
 *                           when JSPEC_NONEMPTY, containing a NUL character or
 *                           invalid UTF-8, an enum value not in the list, too
 *                           many array items
 *   ERR_INVALID_DATE        a date field that is not "YYYY-MM-DD" (a real date)
 *   ERR_INVALID_TIME        a datetime field that vntime_parse_datetime refuses
 *   ERR_NO_MEMORY           allocation failed
 *   ERR_INTERNAL            the spec itself is malformed (a programming error)
 *
 * Paths join object keys with "." and array indexes with "[i]", e.g.
 * "applicant.birth_date" or "documents[2]".
 *
 * Ownership: string targets (const char *) and raw JSON targets (json_t *)
 * are BORROWED from the parsed json_t: they stay valid while the root value
 * passed to jspec_parse is alive and unmodified; json_decref() the root only
 * when done with them. Arrays of strings allocate their item array (the
 * strings themselves are borrowed); jspec_free() releases it. Scalar targets
 * (int64, bool, enum index, dates) are plain values.
 *
 * A typical handler:
 *
 *   const char *name = NULL;  int64_t born = 0;  int kind = -1;
 *   static const char *const kinds[] = {"birth", "death", NULL};
 *   const struct jspec spec[] = {
 *           JSPEC_STRING("full_name", &name, 100, JSPEC_NONEMPTY),
 *           JSPEC_DATE("birth_date", &born, 0),
 *           JSPEC_ENUM("kind", &kind, kinds, JSPEC_OPTIONAL),
 *           JSPEC_END,
 *   };
 *   json_t *root;
 *   if (jspec_load(body, len, &root, &e) || jspec_parse(root, spec, &e))
 *           goto fail;                 (jspec_parse freed what it allocated)
 *   ... use name, born, kind ...
 *   jspec_free(spec);
 *   json_decref(root);
 */
#ifndef MOTCUA_BASE_JSPEC_H
#define MOTCUA_BASE_JSPEC_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/error.h"

/* Largest JSON text jspec_load accepts, in bytes. */
#define JSPEC_MAX_TEXT (1024 * 1024)
/* Deepest nesting of arrays and objects jspec_load accepts (the top object is 1). */
#define JSPEC_MAX_DEPTH 32
/* Longest field path kept for error details (longer paths end in "..."). */
#define JSPEC_PATH_MAX 128

enum jspec_type {
	JSPEC_T_END = 0,  /* ends a spec array */
	JSPEC_T_STRING,   /* const char *: UTF-8, no NUL, at most max_len bytes */
	JSPEC_T_INT64,    /* int64_t: a JSON integer (not a real) in [min, max] */
	JSPEC_T_BOOL,     /* bool: true or false */
	JSPEC_T_DATE,     /* int64_t days since 1970-01-01, from "YYYY-MM-DD" */
	JSPEC_T_DATETIME, /* int64_t epoch seconds, from vntime_parse_datetime */
	JSPEC_T_ENUM,     /* int: index of the string in choices */
	JSPEC_T_OBJECT,   /* a nested object checked against the sub-spec fields */
	JSPEC_T_STRINGS,  /* struct jspec_strings: at most max_items strings */
	JSPEC_T_JSON,     /* json_t *: any JSON value, borrowed, not checked */
};

/* Flags of a field; combine with |. */
enum jspec_flag {
	JSPEC_REQUIRED = 0,
	JSPEC_OPTIONAL = 1 << 0, /* may be absent; the target is then left untouched */
	JSPEC_NONEMPTY = 1 << 1, /* strings (and each string of an array): not "" */
	JSPEC_NULLABLE = 1 << 2, /* JSON null counts as absent (else null is a type error) */
};

/* Target of an array of strings; items[count] is NULL. Freed by jspec_free(). */
struct jspec_strings {
	const char **items;
	size_t count;
};

/* One expected field. Write it with the JSPEC_* macros below. */
struct jspec {
	const char *name;
	enum jspec_type type;
	unsigned flags;
	union {
		const char **str;
		int64_t *i64; /* int64, date, datetime */
		bool *b;
		int *index;
		struct jspec_strings *strings;
		json_t **json;
	} target;                   /* not used by JSPEC_T_OBJECT */
	int64_t min, max;           /* int64: inclusive bounds */
	size_t max_len;             /* string, each string of an array: max bytes (> 0) */
	size_t max_items;           /* array of strings: max items */
	const char *const *choices; /* enum: NULL-terminated list */
	const struct jspec *fields; /* object: the sub-spec, ended by JSPEC_END */
	bool *present;              /* when set: whether the field was given (not null);
	                               left as is for the fields of an absent object */
};

#define JSPEC_STRING(n, t, maxlen, fl)                                                             \
	{                                                                                          \
		.name = (n), .type = JSPEC_T_STRING, .flags = (fl), .target.str = (t),             \
		.max_len = (maxlen)                                                                \
	}
#define JSPEC_INT64(n, t, lo, hi, fl)                                                              \
	{                                                                                          \
		.name = (n), .type = JSPEC_T_INT64, .flags = (fl), .target.i64 = (t), .min = (lo), \
		.max = (hi)                                                                        \
	}
#define JSPEC_BOOL(n, t, fl)                                                                       \
	{                                                                                          \
		.name = (n), .type = JSPEC_T_BOOL, .flags = (fl), .target.b = (t)                  \
	}
#define JSPEC_DATE(n, t, fl)                                                                       \
	{                                                                                          \
		.name = (n), .type = JSPEC_T_DATE, .flags = (fl), .target.i64 = (t)                \
	}
#define JSPEC_DATETIME(n, t, fl)                                                                   \
	{                                                                                          \
		.name = (n), .type = JSPEC_T_DATETIME, .flags = (fl), .target.i64 = (t)            \
	}
#define JSPEC_ENUM(n, t, list, fl)                                                                 \
	{                                                                                          \
		.name = (n), .type = JSPEC_T_ENUM, .flags = (fl), .target.index = (t),             \
		.choices = (list)                                                                  \
	}
#define JSPEC_OBJECT(n, sub, fl)                                                                   \
	{                                                                                          \
		.name = (n), .type = JSPEC_T_OBJECT, .flags = (fl), .fields = (sub)                \
	}
#define JSPEC_STRINGS(n, t, maxitems, maxlen, fl)                                                  \
	{                                                                                          \
		.name = (n), .type = JSPEC_T_STRINGS, .flags = (fl), .target.strings = (t),        \
		.max_items = (maxitems), .max_len = (maxlen)                                       \
	}
#define JSPEC_JSON(n, t, fl)                                                                       \
	{                                                                                          \
		.name = (n), .type = JSPEC_T_JSON, .flags = (fl), .target.json = (t)               \
	}
#define JSPEC_END                                                                                  \
	{                                                                                          \
		.name = NULL, .type = JSPEC_T_END                                                  \
	}

/*
 * Parses len bytes of JSON text into *out (the caller owns it: json_decref).
 * Duplicate keys are refused (ERR_JSON_DUPLICATE_KEY); so is anything after
 * the value, "\u0000" inside strings or keys, and text that is not one JSON
 * object (ERR_INVALID_JSON, with line and column in the detail); text longer
 * than JSPEC_MAX_TEXT is ERR_PAYLOAD_TOO_LARGE, nesting deeper than
 * JSPEC_MAX_DEPTH is ERR_INVALID_JSON. Integers beyond int64 and reals beyond
 * double are ERR_INVALID_JSON. On failure *out is NULL.
 */
enum err_code jspec_load(const char *text, size_t len, json_t **out, struct err *e);

/*
 * Checks the object obj against spec (ended by JSPEC_END) and fills the
 * targets, as described at the top of this file. Array targets of the whole
 * spec are first set empty, so jspec_free() is always safe afterwards. On
 * failure what was allocated is freed already (other targets may have been
 * written). Returns ERR_OK or the error code.
 */
enum err_code jspec_parse(const json_t *obj, const struct jspec *spec, struct err *e);

/* Frees what jspec_parse allocated for spec (arrays of strings) and empties those targets. */
void jspec_free(const struct jspec *spec);

#endif
