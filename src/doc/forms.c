/*
 * forms: template sets (checked when loaded), the values of one form, and
 * the layout of a form into a PDF (see forms.h; the template format is in
 * docs/documents.md).
 */
#include "doc/forms.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/str.h"
#include "base/vntime.h"
#include "doc/pdf.h"
#include "doc/qr.h"
#include "embedded_data.h"

#define BODY_SIZE        11.0f /* points: running text */
#define SMALL_SIZE       9.0f  /* notes, verification box */
#define HEADER_SIZE      10.5f
#define TITLE_SIZE       13.0f
#define INDENT           20.0f
#define QR_SIDE          78.0f /* points: side of the QR code, quiet zone included */
#define SIGN_GAP         52.0f /* points left blank for a hand signature */
#define MAX_SIGN_COLUMNS 4

static const char *const kind_names[] = {
#define X(id, name) name,
        FORM_KINDS(X)
#undef X
};
static const char *const field_names[] = {
#define X(name) #name,
        FORM_FIELDS(X)
#undef X
};
static const char *const row_field_names[] = {
#define X(name) #name,
        FORM_ROW_FIELDS(X)
#undef X
};
static const char *const list_names[] = {
#define X(name) #name,
        FORM_LISTS(X)
#undef X
};

static int find_name(const char *const *names, size_t n, const char *s, size_t len)
{
	for (size_t i = 0; i < n; i++)
		if (strlen(names[i]) == len && memcmp(names[i], s, len) == 0)
			return (int)i;
	return -1;
}

#define NFIELDS    (sizeof field_names / sizeof field_names[0])
#define NROWFIELDS (sizeof row_field_names / sizeof row_field_names[0])
#define NLISTS     (sizeof list_names / sizeof list_names[0])

const char *forms_kind_name(enum form_kind k)
{
	return (unsigned)k < FK__COUNT ? kind_names[k] : "";
}

int forms_kind_from_name(const char *name, enum form_kind *out)
{
	int i = name ? find_name(kind_names, FK__COUNT, name, strlen(name)) : -1;
	if (i < 0)
		return -1;
	*out = (enum form_kind)i;
	return 0;
}

/* ---- values ---- */

void form_data_init(struct form_data *d)
{
	memset(d, 0, sizeof *d);
}

void form_data_release(struct form_data *d)
{
	for (size_t i = 0; i < FF__COUNT; i++)
		free(d->v[i]);
	for (size_t l = 0; l < FL__COUNT; l++) {
		for (size_t r = 0; r < d->list[l].n; r++)
			for (size_t f = 0; f < FR__COUNT; f++)
				free(d->list[l].items[r].v[f]);
		free(d->list[l].items);
	}
	memset(d, 0, sizeof *d);
}

/* A copy of s cut to FORMS_VALUE_MAX bytes (at a character boundary), or NULL. */
static char *copy_value(const char *s)
{
	size_t n = strlen(s ? s : "");
	if (n > FORMS_VALUE_MAX) {
		n = FORMS_VALUE_MAX;
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;
	}
	char *c = malloc(n + 1);
	if (c) {
		memcpy(c, s ? s : "", n);
		c[n] = '\0';
	}
	return c;
}

void form_set(struct form_data *d, enum form_field f, const char *value)
{
	if ((unsigned)f >= FF__COUNT)
		return;
	char *c = copy_value(value);
	if (!c) {
		d->oom = true;
		return;
	}
	free(d->v[f]);
	d->v[f] = c;
}

void form_setf(struct form_data *d, enum form_field f, const char *fmt, ...)
{
	char tmp[FORMS_VALUE_MAX + 1];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	form_set(d, f, tmp);
}

const char *form_get(const struct form_data *d, enum form_field f)
{
	return (unsigned)f < FF__COUNT && d->v[f] ? d->v[f] : "";
}

struct form_row *form_add_row(struct form_data *d, enum form_list l)
{
	struct form_rows *rs = &d->list[l];
	if (rs->n >= FORMS_ROWS_MAX) {
		d->oom = true;
		return NULL;
	}
	if (rs->n == rs->cap) {
		size_t cap = rs->cap ? 2 * rs->cap : 8;
		struct form_row *v = realloc(rs->items, cap * sizeof *v);
		if (!v) {
			d->oom = true;
			return NULL;
		}
		rs->items = v;
		rs->cap = cap;
	}
	struct form_row *r = &rs->items[rs->n++];
	memset(r, 0, sizeof *r);
	char no[24];
	snprintf(no, sizeof no, "%zu", rs->n);
	form_row_set(d, r, FR_row_no, no);
	return r;
}

void form_row_set(struct form_data *d, struct form_row *r, enum form_row_field f, const char *value)
{
	if (!r || (unsigned)f >= FR__COUNT)
		return;
	char *c = copy_value(value);
	if (!c) {
		d->oom = true;
		return;
	}
	free(r->v[f]);
	r->v[f] = c;
}

/* ---- checking a template set ---- */

/* What a key of a block holds. */
enum key_type {
	K_TEXT,    /* text with scalar placeholders */
	K_ROWTEXT, /* text with scalar and row placeholders */
	K_IF,      /* a scalar field or a list name */
	K_ROWS,    /* a list name */
	K_STYLE,   /* regular, bold, italic, bold_italic */
	K_ALIGN,   /* left, center, right */
	K_BOOL,
	K_SIZE,    /* a font size, 6..20 */
	K_HEIGHT,  /* points, 0..200 */
	K_LINES,   /* an array of texts */
	K_COLUMNS, /* an array of table columns */
	K_SIGNS,   /* an array of arrays of texts */
	K_QR       /* lookup, verify */
};

struct key_rule {
	const char *name;
	enum key_type type;
	bool required;
};

struct block_rule {
	const char *type;
	struct key_rule keys[8];
};

static const struct block_rule block_rules[] = {
        {"corner", {{"text", K_TEXT, true}}},
        {"header", {{"left", K_LINES, true}, {"right", K_LINES, true}, {"date", K_TEXT, true}}},
        {"title", {{"text", K_TEXT, true}}},
        {"text",
         {{"text", K_TEXT, true},
          {"if", K_IF, false},
          {"style", K_STYLE, false},
          {"align", K_ALIGN, false},
          {"indent", K_BOOL, false},
          {"size", K_SIZE, false}}},
        {"list",
         {{"rows", K_ROWS, true},
          {"text", K_ROWTEXT, true},
          {"if", K_IF, false},
          {"empty", K_TEXT, false}}},
        {"table",
         {{"rows", K_ROWS, true},
          {"columns", K_COLUMNS, true},
          {"size", K_SIZE, false},
          {"if", K_IF, false},
          {"empty", K_TEXT, false}}},
        {"signatures", {{"columns", K_SIGNS, true}}},
        {"note", {{"text", K_TEXT, true}, {"if", K_IF, false}}},
        {"space", {{"height", K_HEIGHT, true}}},
        {"verification", {{"qr", K_QR, true}, {"lines", K_LINES, true}}},
};

static const char *const styles[] = {"regular", "bold", "italic", "bold_italic", NULL};
static const char *const aligns[] = {"left", "center", "right", NULL};

static int index_of(const char *const *names, const char *s)
{
	for (int i = 0; names[i]; i++)
		if (str_eq(names[i], s))
			return i;
	return -1;
}

/* Where a check is, for messages: "forms-2025.json: receipt, block 3, key 'text'". */
struct where {
	const char *set;
	const char *form;
	size_t block; /* 1-based; 0 for the set's own keys */
	const char *key;
};

static enum err_code bad(struct err *e, const struct where *w, const char *what)
{
	if (w->block)
		return err_set(e, ERR_INVALID_DATA_FILE, "forms-%s.json: '%s', block %zu, '%s': %s",
		               w->set, w->form, w->block, w->key, what);
	return err_set(e, ERR_INVALID_DATA_FILE, "forms-%s.json: '%s': %s", w->set,
	               w->form ? w->form : w->key, what);
}

/* Checks the {name} placeholders of text: scalars, and row fields when rows. */
static enum err_code check_text(const char *text, bool rows, const struct where *w, struct err *e)
{
	if (!str_valid_utf8(text, FORMS_VALUE_MAX))
		return bad(e, w, "not UTF-8 text of at most 4096 bytes");
	for (const char *p = strchr(text, '{'); p; p = strchr(p + 1, '{')) {
		const char *q = p + 1;
		while ((*q >= 'a' && *q <= 'z') || (*q >= '0' && *q <= '9') || *q == '_')
			q++;
		if (*q != '}' || q == p + 1)
			continue; /* not a placeholder: literal text */
		size_t n = (size_t)(q - p - 1);
		if (find_name(field_names, NFIELDS, p + 1, n) >= 0)
			continue;
		if (rows && find_name(row_field_names, NROWFIELDS, p + 1, n) >= 0)
			continue;
		char msg[160];
		snprintf(msg, sizeof msg, "unknown placeholder '{%.*s}'", (int)(n > 64 ? 64 : n),
		         p + 1);
		return bad(e, w, msg);
	}
	return ERR_OK;
}

static enum err_code check_lines(json_t *v, bool rows, const struct where *w, struct err *e)
{
	if (!json_is_array(v) || json_array_size(v) > 16)
		return bad(e, w, "must be an array of at most 16 texts");
	size_t i;
	json_t *x;
	json_array_foreach(v, i, x)
	{
		if (!json_is_string(x))
			return bad(e, w, "must be an array of texts");
		enum err_code rc = check_text(json_string_value(x), rows, w, e);
		if (rc)
			return rc;
	}
	return ERR_OK;
}

static enum err_code check_columns(json_t *v, const struct where *w, struct err *e)
{
	if (!json_is_array(v) || json_array_size(v) == 0 || json_array_size(v) > PDF_MAX_COLUMNS)
		return bad(e, w, "must be an array of 1 to 16 columns");
	size_t i;
	json_t *c;
	json_array_foreach(v, i, c)
	{
		const char *k;
		json_t *x;
		if (!json_is_object(c))
			return bad(e, w, "a column must be an object");
		if (!json_is_string(json_object_get(c, "title")) ||
		    !json_is_string(json_object_get(c, "text")) ||
		    !json_is_number(json_object_get(c, "width")))
			return bad(e, w, "a column needs 'title', 'width' and 'text'");
		json_object_foreach(c, k, x)
		{
			enum err_code rc = ERR_OK;
			if (str_eq(k, "title"))
				rc = check_text(json_string_value(x), false, w, e);
			else if (str_eq(k, "text"))
				rc = check_text(json_string_value(x), true, w, e);
			else if (str_eq(k, "width")) {
				double wd = json_number_value(x);
				if (!(wd > 0 && wd <= 1000))
					rc = bad(e, w,
					         "a column's width must be a number in (0, 1000]");
			} else if (str_eq(k, "align")) {
				if (!json_is_string(x) ||
				    index_of(aligns, json_string_value(x)) < 0)
					rc = bad(e, w, "align must be left, center or right");
			} else {
				rc = bad(e, w, "a column has only title, width, align and text");
			}
			if (rc)
				return rc;
		}
	}
	return ERR_OK;
}

static enum err_code check_key(const struct key_rule *r, json_t *v, const struct where *w,
                               struct err *e)
{
	const char *s = json_is_string(v) ? json_string_value(v) : NULL;
	switch (r->type) {
	case K_TEXT:
	case K_ROWTEXT:
		return s ? check_text(s, r->type == K_ROWTEXT, w, e) : bad(e, w, "must be a text");
	case K_IF:
		if (s && (find_name(field_names, NFIELDS, s, strlen(s)) >= 0 ||
		          find_name(list_names, NLISTS, s, strlen(s)) >= 0))
			return ERR_OK;
		return bad(e, w, "must name a field or a list");
	case K_ROWS:
		if (s && find_name(list_names, NLISTS, s, strlen(s)) >= 0)
			return ERR_OK;
		return bad(e, w, "must name a list");
	case K_STYLE:
		return s && index_of(styles, s) >= 0
		               ? ERR_OK
		               : bad(e, w, "must be regular, bold, italic or bold_italic");
	case K_ALIGN:
		return s && index_of(aligns, s) >= 0 ? ERR_OK
		                                     : bad(e, w, "must be left, center or right");
	case K_BOOL:
		return json_is_boolean(v) ? ERR_OK : bad(e, w, "must be true or false");
	case K_SIZE:
		return json_is_number(v) && json_number_value(v) >= 6 && json_number_value(v) <= 20
		               ? ERR_OK
		               : bad(e, w, "must be a font size from 6 to 20");
	case K_HEIGHT:
		return json_is_number(v) && json_number_value(v) >= 0 && json_number_value(v) <= 200
		               ? ERR_OK
		               : bad(e, w, "must be a number of points from 0 to 200");
	case K_LINES:
		return check_lines(v, false, w, e);
	case K_COLUMNS:
		return check_columns(v, w, e);
	case K_SIGNS: {
		if (!json_is_array(v) || json_array_size(v) == 0 ||
		    json_array_size(v) > MAX_SIGN_COLUMNS)
			return bad(e, w, "must be an array of 1 to 4 columns of texts");
		size_t i;
		json_t *x;
		json_array_foreach(v, i, x)
		{
			enum err_code rc = check_lines(x, false, w, e);
			if (rc)
				return rc;
		}
		return ERR_OK;
	}
	case K_QR:
		return s && (str_eq(s, "lookup") || str_eq(s, "verify"))
		               ? ERR_OK
		               : bad(e, w, "must be lookup or verify");
	}
	return bad(e, w, "unknown key type");
}

static const struct block_rule *rule_of(const char *type)
{
	for (size_t i = 0; i < sizeof block_rules / sizeof block_rules[0]; i++)
		if (str_eq(block_rules[i].type, type))
			return &block_rules[i];
	return NULL;
}

static enum err_code check_block(json_t *b, struct where *w, struct err *e)
{
	w->key = "type";
	if (!json_is_object(b))
		return bad(e, w, "a block must be an object");
	const char *type = json_string_value(json_object_get(b, "type"));
	const struct block_rule *r = type ? rule_of(type) : NULL;
	if (!r)
		return bad(e, w, "unknown block type");
	const char *k;
	json_t *v;
	json_object_foreach(b, k, v)
	{
		if (str_eq(k, "type"))
			continue;
		w->key = k;
		const struct key_rule *kr = NULL;
		for (size_t i = 0; i < 8 && r->keys[i].name; i++)
			if (str_eq(r->keys[i].name, k))
				kr = &r->keys[i];
		if (!kr)
			return bad(e, w, "no such key for this block type");
		enum err_code rc = check_key(kr, v, w, e);
		if (rc)
			return rc;
	}
	for (size_t i = 0; i < 8 && r->keys[i].name; i++) {
		w->key = r->keys[i].name;
		if (r->keys[i].required && !json_object_get(b, r->keys[i].name))
			return bad(e, w, "missing");
	}
	return ERR_OK;
}

/* Checks a format: only the tokens in allowed ("dd,mm,yyyy") may appear as {token}. */
static enum err_code check_format(json_t *formats, const char *name, const char *allowed,
                                  bool scalars, struct where *w, struct err *e)
{
	w->key = name;
	const char *f = json_string_value(json_object_get(formats, name));
	if (!f)
		return bad(e, w, "formats: missing or not a text");
	if (!str_valid_utf8(f, 256))
		return bad(e, w, "formats: not UTF-8 text of at most 256 bytes");
	for (const char *p = strchr(f, '{'); p; p = strchr(p + 1, '{')) {
		const char *q = strchr(p, '}');
		if (!q)
			break;
		size_t n = (size_t)(q - p - 1);
		bool ok = false;
		for (const char *a = allowed; *a;) {
			const char *c = strchr(a, ',');
			size_t len = c ? (size_t)(c - a) : strlen(a);
			if (len == n && memcmp(a, p + 1, n) == 0)
				ok = true;
			a += len + (c ? 1 : 0);
		}
		if (!ok && scalars && find_name(field_names, NFIELDS, p + 1, n) >= 0)
			ok = true;
		if (!ok)
			return bad(e, w, "formats: unknown token");
	}
	return ERR_OK;
}

static enum err_code check_set(json_t *root, const char *name, struct err *e)
{
	struct where w = {name, NULL, 0, "set"};
	if (!json_is_object(root))
		return bad(e, &w, "the file must hold one JSON object");
	if (!str_eq(json_string_value(json_object_get(root, "set")), name))
		return bad(e, &w, "must be the set's name");
	const char *k;
	json_t *v;
	json_object_foreach(root, k, v)
	{
		w.key = k;
		if (!str_eq(k, "set") && !str_eq(k, "legal_basis") && !str_eq(k, "about") &&
		    !str_eq(k, "formats") && !str_eq(k, "labels") && !str_eq(k, "forms"))
			return bad(e, &w, "unknown key");
	}
	w.key = "legal_basis";
	if (!json_is_string(json_object_get(root, "legal_basis")))
		return bad(e, &w, "missing or not a text");
	json_t *formats = json_object_get(root, "formats");
	w.key = "formats";
	if (!json_is_object(formats))
		return bad(e, &w, "missing or not an object");
	enum err_code rc;
	if ((rc = check_format(formats, "date", "dd,mm,yyyy", false, &w, e)) ||
	    (rc = check_format(formats, "datetime", "hh,mi,dd,mm,yyyy", false, &w, e)) ||
	    (rc = check_format(formats, "days", "n", false, &w, e)) ||
	    (rc = check_format(formats, "hours", "n", false, &w, e)) ||
	    (rc = check_format(formats, "page", "", false, &w, e)) ||
	    (rc = check_format(formats, "footer", "", true, &w, e)))
		return rc;
	json_t *labels = json_object_get(root, "labels");
	w.key = "labels";
	if (!json_is_object(labels))
		return bad(e, &w, "missing or not an object");
	json_object_foreach(labels, k, v)
	{
		const char *k2;
		json_t *v2;
		w.key = k;
		if (!json_is_object(v))
			return bad(e, &w, "labels: a group must be an object of texts");
		json_object_foreach(v, k2, v2)
		{
			if (!json_is_string(v2) || !str_valid_utf8(json_string_value(v2), 1024))
				return bad(e, &w, "labels: a label must be a UTF-8 text");
		}
	}
	json_t *forms = json_object_get(root, "forms");
	w.key = "forms";
	if (!json_is_object(forms) || json_object_size(forms) == 0)
		return bad(e, &w, "missing, empty or not an object");
	json_object_foreach(forms, k, v)
	{
		enum form_kind kind;
		w.form = k;
		w.block = 0;
		w.key = k;
		if (forms_kind_from_name(k, &kind) != 0)
			return bad(e, &w, "no such form");
		if (!json_is_object(v) || !json_is_string(json_object_get(v, "number")) ||
		    !json_is_string(json_object_get(v, "title")) ||
		    !json_is_array(json_object_get(v, "blocks")))
			return bad(e, &w, "a form needs 'number', 'title' and 'blocks'");
		const char *fk;
		json_t *fv;
		json_object_foreach(v, fk, fv)
		{
			if (!str_eq(fk, "number") && !str_eq(fk, "title") &&
			    !str_eq(fk, "blocks") && !str_eq(fk, "landscape"))
				return bad(e, &w,
				           "a form has only number, title, landscape and blocks");
		}
		json_t *ls = json_object_get(v, "landscape");
		if (ls && !json_is_boolean(ls))
			return bad(e, &w, "landscape must be true or false");
		size_t i;
		json_t *b;
		json_array_foreach(json_object_get(v, "blocks"), i, b)
		{
			w.block = i + 1;
			if ((rc = check_block(b, &w, e)))
				return rc;
		}
	}
	return ERR_OK;
}

enum err_code forms_set_parse(const char *text, size_t len, const char *name, struct forms_set *out,
                              struct err *e)
{
	memset(out, 0, sizeof *out);
	if (!str_eq(name, "2018") && !str_eq(name, "2025"))
		return err_set(e, ERR_NOT_FOUND, "no form set '%s' (2018 or 2025)",
		               name ? name : "");
	str_copy(out->name, sizeof out->name, name);
	if (len > FORMS_FILE_MAX)
		return err_set(e, ERR_INVALID_DATA_FILE, "forms-%s.json is larger than %u bytes",
		               name, FORMS_FILE_MAX);
	json_error_t je;
	json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
	if (!root)
		return err_set(e, ERR_INVALID_DATA_FILE, "forms-%s.json, line %d: %s", name,
		               je.line, je.text);
	enum err_code rc = check_set(root, name, e);
	if (rc != ERR_OK) {
		json_decref(root);
		return rc;
	}
	out->root = root;
	return ERR_OK;
}

enum err_code forms_set_open(const char *dir, const char *name, struct forms_set *out,
                             struct err *e)
{
	memset(out, 0, sizeof *out);
	if (str_empty(dir)) {
		if (str_eq(name, "2018"))
			return forms_set_parse((const char *)embedded_forms_2018_json,
			                       embedded_forms_2018_json_len, name, out, e);
		if (str_eq(name, "2025"))
			return forms_set_parse((const char *)embedded_forms_2025_json,
			                       embedded_forms_2025_json_len, name, out, e);
		return err_set(e, ERR_NOT_FOUND, "no form set '%s' (2018 or 2025)",
		               name ? name : "");
	}
	if (!str_eq(name, "2018") && !str_eq(name, "2025"))
		return err_set(e, ERR_NOT_FOUND, "no form set '%s' (2018 or 2025)",
		               name ? name : "");
	char path[1200];
	snprintf(path, sizeof path, "%s/forms-%s.json", dir, name);
	FILE *f = fopen(path, "rb");
	if (!f)
		return err_set(e, ERR_IO, "cannot open '%s' (forms_dir)", path);
	struct buf b = BUF_INIT(FORMS_FILE_MAX);
	char chunk[8192];
	size_t n;
	enum err_code rc = ERR_OK;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		if (buf_append(&b, chunk, n) != 0) {
			rc = err_set(e, ERR_INVALID_DATA_FILE, "'%s' is larger than %u bytes", path,
			             FORMS_FILE_MAX);
			break;
		}
	if (rc == ERR_OK && ferror(f))
		rc = err_set(e, ERR_IO, "cannot read '%s'", path);
	fclose(f);
	if (rc == ERR_OK)
		rc = forms_set_parse(buf_str(&b), b.len, name, out, e);
	buf_release(&b);
	return rc;
}

void forms_set_release(struct forms_set *s)
{
	json_decref(s->root);
	memset(s, 0, sizeof *s);
}

static json_t *form_of(const struct forms_set *s, enum form_kind k)
{
	if (!s->root || (unsigned)k >= FK__COUNT)
		return NULL;
	return json_object_get(json_object_get(s->root, "forms"), kind_names[k]);
}

bool forms_set_has(const struct forms_set *s, enum form_kind k)
{
	return form_of(s, k) != NULL;
}

const char *forms_number(const struct forms_set *s, enum form_kind k)
{
	const char *v = json_string_value(json_object_get(form_of(s, k), "number"));
	return v ? v : "";
}

const char *forms_title(const struct forms_set *s, enum form_kind k)
{
	const char *v = json_string_value(json_object_get(form_of(s, k), "title"));
	return v ? v : "";
}

const char *forms_label(const struct forms_set *s, const char *group, const char *key)
{
	const char *v = json_string_value(
	        json_object_get(json_object_get(json_object_get(s->root, "labels"), group), key));
	return v ? v : key ? key : "";
}

bool forms_has_label(const struct forms_set *s, const char *group, const char *key)
{
	return key && json_is_string(json_object_get(
	                      json_object_get(json_object_get(s->root, "labels"), group), key));
}

/* ---- formats and expansion ---- */

/* Appends text to out (size n) at *o, cutting at a character boundary. */
static void put(char *out, size_t n, size_t *o, const char *text, size_t len)
{
	if (*o + 1 >= n)
		return;
	if (*o + len + 1 > n) {
		len = n - 1 - *o;
		while (len > 0 && ((unsigned char)text[len] & 0xC0) == 0x80)
			len--;
	}
	memcpy(out + *o, text, len);
	*o += len;
	out[*o] = '\0';
}

/* Writes format fmt with the tokens names[i] replaced by values[i]. */
static void format_tokens(const char *fmt, const char *const *names, const char *const *values,
                          size_t count, char *out, size_t n)
{
	size_t o = 0;
	out[0] = '\0';
	for (const char *p = fmt ? fmt : ""; *p;) {
		bool done = false;
		if (*p == '{') {
			for (size_t i = 0; i < count && !done; i++) {
				size_t len = strlen(names[i]);
				if (strncmp(p + 1, names[i], len) == 0 && p[1 + len] == '}') {
					put(out, n, &o, values[i], strlen(values[i]));
					p += len + 2;
					done = true;
				}
			}
		}
		if (!done) {
			put(out, n, &o, p, 1);
			p++;
		}
	}
}

static const char *format_of(const struct forms_set *s, const char *name)
{
	const char *f =
	        json_string_value(json_object_get(json_object_get(s->root, "formats"), name));
	return f ? f : "";
}

void forms_date(const struct forms_set *s, int64_t days, char *out, size_t n)
{
	struct vndate d = vntime_civil_from_days(days);
	char dd[8], mm[8], yyyy[8];
	snprintf(dd, sizeof dd, "%02d", d.day);
	snprintf(mm, sizeof mm, "%02d", d.month);
	snprintf(yyyy, sizeof yyyy, "%04d", d.year);
	const char *names[] = {"dd", "mm", "yyyy"};
	const char *values[] = {dd, mm, yyyy};
	format_tokens(format_of(s, "date"), names, values, 3, out, n);
}

void forms_datetime(const struct forms_set *s, int64_t epoch, char *out, size_t n)
{
	int64_t days;
	int sec;
	vntime_split(epoch, &days, &sec);
	struct vndate d = vntime_civil_from_days(days);
	char dd[8], mm[8], yyyy[8], hh[8], mi[8];
	snprintf(dd, sizeof dd, "%02d", d.day);
	snprintf(mm, sizeof mm, "%02d", d.month);
	snprintf(yyyy, sizeof yyyy, "%04d", d.year);
	snprintf(hh, sizeof hh, "%02d", sec / 3600);
	snprintf(mi, sizeof mi, "%02d", sec / 60 % 60);
	const char *names[] = {"dd", "mm", "yyyy", "hh", "mi"};
	const char *values[] = {dd, mm, yyyy, hh, mi};
	format_tokens(format_of(s, "datetime"), names, values, 5, out, n);
}

void forms_duration(const struct forms_set *s, int64_t amount, bool hours, char *out, size_t n)
{
	char num[24];
	snprintf(num, sizeof num, "%lld", (long long)amount);
	const char *names[] = {"n"};
	const char *values[] = {num};
	format_tokens(format_of(s, hours ? "hours" : "days"), names, values, 1, out, n);
}

/*
 * Expands the placeholders of text with d's scalars and row's fields (row
 * may be NULL); trailing spaces and line breaks are dropped. Returns a
 * malloc'd string or NULL.
 */
static char *expand(const char *text, const struct form_data *d, const struct form_row *row)
{
	struct buf b = BUF_INIT(PDF_TEXT_MAX);
	for (const char *p = text ? text : ""; *p;) {
		if (*p == '{') {
			const char *q = p + 1;
			while ((*q >= 'a' && *q <= 'z') || (*q >= '0' && *q <= '9') || *q == '_')
				q++;
			if (*q == '}' && q > p + 1) {
				size_t n = (size_t)(q - p - 1);
				int f = row ? find_name(row_field_names, NROWFIELDS, p + 1, n) : -1;
				const char *v = NULL;
				if (f >= 0)
					v = row->v[f] ? row->v[f] : "";
				else if ((f = find_name(field_names, NFIELDS, p + 1, n)) >= 0)
					v = form_get(d, (enum form_field)f);
				if (v) {
					buf_puts(&b, v); /* a value past the cap is cut */
					p = q + 1;
					continue;
				}
			}
		}
		buf_putc(&b, *p);
		p++;
	}
	char *s = buf_detach(&b);
	if (!s)
		s = calloc(1, 1);
	if (s) {
		size_t n = strlen(s);
		while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\n'))
			s[--n] = '\0';
	}
	return s;
}

/* ---- layout ---- */

struct render {
	struct pdf *pdf;
	const struct forms_set *set;
	struct form_data *d;
	struct err *e;
	float left, width;
};

static float num_or(json_t *o, const char *key, float def)
{
	json_t *v = json_object_get(o, key);
	return json_is_number(v) ? (float)json_number_value(v) : def;
}

static const char *str_or(json_t *o, const char *key, const char *def)
{
	const char *v = json_string_value(json_object_get(o, key));
	return v ? v : def;
}

static enum pdf_align align_of(json_t *o, enum pdf_align def)
{
	int i = index_of(aligns, str_or(o, "align", ""));
	return i < 0 ? def : (enum pdf_align)i;
}

static bool condition_holds(struct render *r, json_t *b)
{
	const char *name = str_or(b, "if", NULL);
	if (!name)
		return true;
	int l = find_name(list_names, NLISTS, name, strlen(name));
	if (l >= 0)
		return r->d->list[l].n > 0;
	int f = find_name(field_names, NFIELDS, name, strlen(name));
	return f >= 0 && !str_empty(form_get(r->d, (enum form_field)f));
}

/* Draws one expanded paragraph at the cursor. */
static enum err_code paragraph(struct render *r, const char *tmpl, const struct form_row *row,
                               enum pdf_style style, float size, enum pdf_align align, float indent)
{
	char *t = expand(tmpl, r->d, row);
	if (!t)
		return err_set(r->e, ERR_NO_MEMORY, "out of memory");
	enum err_code rc = pdf_paragraph(r->pdf, r->left + indent, r->width - indent, style, size,
	                                 align, t, r->e);
	free(t);
	return rc;
}

static enum err_code block_header(struct render *r, json_t *b)
{
	struct pdf *p = r->pdf;
	float lw = r->width * 0.44f, rw = r->width - lw;
	float top = pdf_y(p), yl = top, yr = top;
	json_t *left = json_object_get(b, "left"), *right = json_object_get(b, "right");
	size_t i;
	json_t *x;
	bool any = false;
	json_array_foreach(left, i, x)
	{
		char *t = expand(json_string_value(x), r->d, NULL);
		if (!t)
			return err_set(r->e, ERR_NO_MEMORY, "out of memory");
		if (*t) {
			/* the last line (the issuing unit) in bold, those above it regular */
			enum pdf_style st = i + 1 == json_array_size(left) ? PDF_BOLD : PDF_REGULAR;
			yl -= pdf_paragraph_at(p, r->left, yl, lw, st, HEADER_SIZE, PDF_CENTER, t);
			any = true;
		}
		free(t);
	}
	if (any)
		pdf_line(p, r->left + lw / 2 - 30, yl - 2, r->left + lw / 2 + 30, yl - 2, 0.6f);
	float motto_w = 0;
	json_array_foreach(right, i, x)
	{
		char *t = expand(json_string_value(x), r->d, NULL);
		if (!t)
			return err_set(r->e, ERR_NO_MEMORY, "out of memory");
		yr -= pdf_paragraph_at(p, r->left + lw, yr, rw, PDF_BOLD, HEADER_SIZE, PDF_CENTER,
		                       t);
		motto_w = pdf_text_width(p, PDF_BOLD, HEADER_SIZE, t);
		free(t);
	}
	if (motto_w > rw)
		motto_w = rw;
	pdf_line(p, r->left + lw + (rw - motto_w) / 2, yr - 2, r->left + lw + (rw + motto_w) / 2,
	         yr - 2, 0.6f);
	yr -= 8;
	char *date = expand(str_or(b, "date", ""), r->d, NULL);
	if (!date)
		return err_set(r->e, ERR_NO_MEMORY, "out of memory");
	yr -= pdf_paragraph_at(p, r->left + lw, yr, rw, PDF_ITALIC, HEADER_SIZE, PDF_CENTER, date);
	free(date);
	pdf_set_y(p, (yl < yr ? yl : yr) - 8);
	return ERR_OK;
}

static enum err_code block_table(struct render *r, json_t *b)
{
	struct form_rows *rows = &r->d->list[find_name(list_names, NLISTS, str_or(b, "rows", ""),
	                                               strlen(str_or(b, "rows", "")))];
	if (rows->n == 0) {
		const char *empty = str_or(b, "empty", NULL);
		return empty ? paragraph(r, empty, NULL, PDF_ITALIC, BODY_SIZE, PDF_LEFT, INDENT)
		             : ERR_OK;
	}
	json_t *cols = json_object_get(b, "columns");
	size_t nc = json_array_size(cols);
	struct pdf_column pc[PDF_MAX_COLUMNS];
	char *titles[PDF_MAX_COLUMNS] = {0};
	char *cells[PDF_MAX_COLUMNS] = {0};
	enum err_code rc = ERR_OK;
	float total = 0;
	for (size_t i = 0; i < nc; i++)
		total += num_or(json_array_get(cols, i), "width", 1);
	for (size_t i = 0; i < nc; i++) {
		json_t *c = json_array_get(cols, i);
		titles[i] = expand(str_or(c, "title", ""), r->d, NULL);
		if (!titles[i]) {
			rc = err_set(r->e, ERR_NO_MEMORY, "out of memory");
			goto out;
		}
		pc[i].title = titles[i];
		pc[i].width = r->width * num_or(c, "width", 1) / total;
		pc[i].align = align_of(c, PDF_LEFT);
	}
	struct pdf_table t = {pc, nc, num_or(b, "size", SMALL_SIZE), r->left};
	if ((rc = pdf_table_header(r->pdf, &t, r->e)) != ERR_OK)
		goto out;
	for (size_t k = 0; k < rows->n && rc == ERR_OK; k++) {
		for (size_t i = 0; i < nc; i++) {
			free(cells[i]);
			cells[i] = expand(str_or(json_array_get(cols, i), "text", ""), r->d,
			                  &rows->items[k]);
			if (!cells[i]) {
				rc = err_set(r->e, ERR_NO_MEMORY, "out of memory");
				goto out;
			}
		}
		rc = pdf_table_row(r->pdf, &t, (const char *const *)cells, r->e);
	}
	if (rc == ERR_OK)
		rc = pdf_space(r->pdf, 6, r->e);
out:
	for (size_t i = 0; i < nc; i++) {
		free(titles[i]);
		free(cells[i]);
	}
	return rc;
}

static enum err_code block_signatures(struct render *r, json_t *b)
{
	struct pdf *p = r->pdf;
	json_t *cols = json_object_get(b, "columns");
	size_t nc = json_array_size(cols);
	enum err_code rc = pdf_need(p, SIGN_GAP + 60, r->e);
	if (rc != ERR_OK)
		return rc;
	pdf_space(p, 8, r->e);
	float top = pdf_y(p), lowest = top, cw = r->width / (float)nc;
	for (size_t c = 0; c < nc; c++) {
		json_t *lines = json_array_get(cols, c);
		float y = top, x = r->left + cw * (float)c;
		size_t i;
		json_t *l;
		json_array_foreach(lines, i, l)
		{
			char *t = expand(json_string_value(l), r->d, NULL);
			if (!t)
				return err_set(r->e, ERR_NO_MEMORY, "out of memory");
			if (i == 2)
				y -= SIGN_GAP;
			enum pdf_style st = i == 1 ? PDF_ITALIC : PDF_BOLD;
			y -= pdf_paragraph_at(p, x, y, cw, st,
			                      i == 1 ? SMALL_SIZE + 0.5f : BODY_SIZE, PDF_CENTER,
			                      t);
			free(t);
		}
		if (json_array_size(lines) == 2)
			y -= SIGN_GAP; /* room to sign even without a printed name */
		if (y < lowest)
			lowest = y;
	}
	pdf_set_y(p, lowest - 10);
	return ERR_OK;
}

static enum err_code block_verification(struct render *r, json_t *b)
{
	struct pdf *p = r->pdf;
	const char *url = form_get(r->d, FF_verify_url);
	if (str_eq(str_or(b, "qr", ""), "lookup") && !str_empty(form_get(r->d, FF_lookup_url)))
		url = form_get(r->d, FF_lookup_url);
	float box = QR_SIDE + 8;
	enum err_code rc = pdf_need(p, box + 10, r->e);
	if (rc != ERR_OK)
		return rc;
	pdf_space(p, 6, r->e);
	float top = pdf_y(p);
	pdf_line(p, r->left, top, r->left + r->width, top, 0.4f);
	pdf_line(p, r->left, top - box, r->left + r->width, top - box, 0.4f);
	float tx = r->left;
	if (!str_empty(url)) {
		struct qr_code q;
		rc = qr_encode(url, &q, r->e);
		if (rc != ERR_OK) {
			qr_release(&q);
			return rc;
		}
		pdf_qr(p, r->left, top - 4, QR_SIDE, &q);
		qr_release(&q);
		tx = r->left + QR_SIDE + 8;
	}
	float y = top - 8;
	size_t i;
	json_t *l;
	json_array_foreach(json_object_get(b, "lines"), i, l)
	{
		char *t = expand(json_string_value(l), r->d, NULL);
		if (!t)
			return err_set(r->e, ERR_NO_MEMORY, "out of memory");
		y -= pdf_paragraph_at(p, tx, y, r->left + r->width - tx,
		                      i == 0 ? PDF_BOLD : PDF_REGULAR,
		                      i == 0 ? BODY_SIZE : SMALL_SIZE, PDF_LEFT, t);
		free(t);
	}
	float bottom = top - box < y ? top - box : y;
	pdf_set_y(p, bottom - 8);
	return ERR_OK;
}

static enum err_code block(struct render *r, json_t *b)
{
	const char *type = str_or(b, "type", "");
	if (!condition_holds(r, b))
		return ERR_OK;
	if (str_eq(type, "corner"))
		return paragraph(r, str_or(b, "text", ""), NULL, PDF_ITALIC, SMALL_SIZE - 0.5f,
		                 PDF_RIGHT, 0);
	if (str_eq(type, "header"))
		return block_header(r, b);
	if (str_eq(type, "title")) {
		enum err_code rc = pdf_space(r->pdf, 8, r->e);
		if (rc == ERR_OK)
			rc = paragraph(r, str_or(b, "text", ""), NULL, PDF_BOLD, TITLE_SIZE,
			               PDF_CENTER, 0);
		return rc == ERR_OK ? pdf_space(r->pdf, 4, r->e) : rc;
	}
	if (str_eq(type, "text")) {
		int st = index_of(styles, str_or(b, "style", "regular"));
		json_t *ind = json_object_get(b, "indent");
		return paragraph(r, str_or(b, "text", ""), NULL, (enum pdf_style)(st < 0 ? 0 : st),
		                 num_or(b, "size", BODY_SIZE), align_of(b, PDF_LEFT),
		                 json_is_true(ind) ? INDENT : 0);
	}
	if (str_eq(type, "list")) {
		const char *ln = str_or(b, "rows", "");
		struct form_rows *rows = &r->d->list[find_name(list_names, NLISTS, ln, strlen(ln))];
		if (rows->n == 0 && json_object_get(b, "empty"))
			return paragraph(r, str_or(b, "empty", ""), NULL, PDF_ITALIC, BODY_SIZE,
			                 PDF_LEFT, INDENT);
		for (size_t k = 0; k < rows->n; k++) {
			enum err_code rc = paragraph(r, str_or(b, "text", ""), &rows->items[k],
			                             PDF_REGULAR, BODY_SIZE, PDF_LEFT, INDENT);
			if (rc != ERR_OK)
				return rc;
		}
		return ERR_OK;
	}
	if (str_eq(type, "table"))
		return block_table(r, b);
	if (str_eq(type, "signatures"))
		return block_signatures(r, b);
	if (str_eq(type, "note"))
		return paragraph(r, str_or(b, "text", ""), NULL, PDF_ITALIC, SMALL_SIZE, PDF_LEFT,
		                 0);
	if (str_eq(type, "space"))
		return pdf_space(r->pdf, num_or(b, "height", 0), r->e);
	if (str_eq(type, "verification"))
		return block_verification(r, b);
	return err_set(r->e, ERR_INTERNAL, "unknown block type '%s'", type);
}

enum err_code forms_render(const struct forms_set *s, enum form_kind k, struct form_data *d,
                           const char *font, const char *font_bold, int64_t created_at,
                           struct buf *out, struct err *e)
{
	json_t *form = form_of(s, k);
	if (!form)
		return err_set(e, ERR_NOT_FOUND, "the %s set of forms has no form '%s'", s->name,
		               forms_kind_name(k));
	form_set(d, FF_set, s->name);
	form_set(d, FF_legal_basis, str_or(s->root, "legal_basis", ""));
	form_set(d, FF_form_number, forms_number(s, k));
	form_set(d, FF_form_title, forms_title(s, k));
	if (d->oom)
		return err_set(e, ERR_NO_MEMORY, "out of memory filling the form");
	struct pdf *p;
	enum err_code rc = pdf_new(font, font_bold, &p, e);
	if (rc != ERR_OK)
		return rc;
	char title[160];
	snprintf(title, sizeof title, "%s %s %s", forms_kind_name(k), form_get(d, FF_code),
	         form_get(d, FF_verification_code));
	pdf_set_info(p, title, created_at);
	struct render r = {p, s, d, e, PDF_MARGIN_LEFT, 0};
	rc = pdf_add_page(p, json_is_true(json_object_get(form, "landscape")), e);
	r.width = pdf_right(p) - r.left;
	size_t i;
	json_t *b;
	json_array_foreach(json_object_get(form, "blocks"), i, b)
	{
		if (rc != ERR_OK)
			break;
		rc = block(&r, b);
	}
	if (rc == ERR_OK) {
		char *footer = expand(format_of(s, "footer"), d, NULL);
		if (!footer)
			rc = err_set(e, ERR_NO_MEMORY, "out of memory");
		else
			rc = pdf_finish(p, footer, format_of(s, "page"), out, e);
		free(footer);
	}
	pdf_free(p);
	return rc;
}
