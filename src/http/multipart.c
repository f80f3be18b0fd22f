/*
 * multipart: multipart/form-data through libmicrohttpd's post processor
 * (see multipart.h).
 *
 * The post processor calls one iterator with pieces of each part's value:
 * the first piece of a part comes at offset 0 (an empty part gets a single
 * call of size 0). A part therefore begins at a call with offset 0, unless
 * the part in progress has had no byte yet and the call names the same
 * part (a size-0 call followed by the data). A part ends when the next one
 * begins, or at the end of the body.
 */
#include "http/multipart.h"

#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/str.h"

struct multipart {
	struct http_request *req;
	struct MHD_PostProcessor *pp;
	const struct multipart_ops *ops;
	void *ctx;
	enum err_code rc; /* the first error; every later call returns it */
	struct err err;
	/* the part in progress */
	bool in_part, is_file;
	uint64_t part_bytes;
	char name[MULTIPART_NAME_MAX + 1];
	char filename[MULTIPART_FILENAME_MAX + 1];
	struct buf value; /* a field's value */
	/* what was seen */
	struct http_params fields;
	size_t nfiles;
};

static enum err_code fail(struct multipart *m, enum err_code rc, const struct err *e)
{
	if (m->rc == ERR_OK) {
		m->rc = rc;
		if (e)
			m->err = *e;
		else
			err_set(&m->err, rc, NULL);
	}
	return m->rc;
}

static enum err_code failf(struct multipart *m, enum err_code rc, const char *msg)
{
	struct err e;
	err_set(&e, rc, "%s", msg);
	return fail(m, rc, &e);
}

/* Ends the part in progress: a field is kept; a file's file_end runs. */
static enum err_code end_part(struct multipart *m)
{
	if (!m->in_part)
		return ERR_OK;
	m->in_part = false;
	if (m->is_file) {
		if (!m->ops || !m->ops->file_end)
			return ERR_OK;
		struct err e;
		err_clear(&e);
		enum err_code rc = m->ops->file_end(m->ctx, &e);
		return rc == ERR_OK ? ERR_OK : fail(m, rc, &e);
	}
	const char *v = buf_str(&m->value);
	if (!str_valid_utf8(v, MULTIPART_VALUE_MAX + 1) || strlen(v) != m->value.len)
		return failf(m, ERR_INVALID_ARGUMENT, "a form field is not valid UTF-8 text");
	if (m->fields.n >= MULTIPART_MAX_FIELDS)
		return failf(m, ERR_TOO_LONG, "too many form fields");
	if (m->fields.n == 0) {
		m->fields.items =
		        http_request_alloc(m->req, MULTIPART_MAX_FIELDS * sizeof *m->fields.items);
		if (!m->fields.items)
			return failf(m, ERR_NO_MEMORY, "out of memory");
	}
	struct http_param *p = &m->fields.items[m->fields.n];
	p->name = http_request_strdup(m->req, m->name);
	p->value = http_request_strndup(m->req, v, m->value.len);
	if (!p->name || !p->value)
		return failf(m, ERR_NO_MEMORY, "out of memory");
	m->fields.n++;
	return ERR_OK;
}

static enum err_code begin_part(struct multipart *m, const char *key, const char *filename,
                                const char *content_type)
{
	if (!key || strlen(key) > MULTIPART_NAME_MAX)
		return failf(m, ERR_INVALID_ARGUMENT,
		             "a form field has no name or a name too long");
	if (filename && strlen(filename) > MULTIPART_FILENAME_MAX)
		return failf(m, ERR_TOO_LONG, "a file name is too long");
	str_copy(m->name, sizeof m->name, key);
	str_copy(m->filename, sizeof m->filename, filename ? filename : "");
	m->in_part = true;
	m->part_bytes = 0;
	m->is_file = filename != NULL;
	buf_reset(&m->value);
	if (!m->is_file)
		return ERR_OK;
	if (m->nfiles >= MULTIPART_MAX_FILES)
		return failf(m, ERR_TOO_LONG, "too many files in one request");
	struct multipart_file f = {key, filename, content_type, m->nfiles++};
	if (!m->ops || !m->ops->file_begin)
		return ERR_OK;
	struct err e;
	err_clear(&e);
	enum err_code rc = m->ops->file_begin(m->ctx, &f, &e);
	return rc == ERR_OK ? ERR_OK : fail(m, rc, &e);
}

static enum MHD_Result iterate(void *cls, enum MHD_ValueKind kind, const char *key,
                               const char *filename, const char *content_type,
                               const char *transfer_encoding, const char *data, uint64_t off,
                               size_t size)
{
	(void)kind;
	(void)transfer_encoding;
	struct multipart *m = cls;
	if (m->rc != ERR_OK)
		return MHD_NO;
	bool same = m->in_part && m->part_bytes == 0 && key && str_eq(key, m->name) &&
	            (filename != NULL) == m->is_file &&
	            (!filename || str_eq(filename, m->filename));
	if (off == 0 && !same) {
		if (end_part(m) != ERR_OK || begin_part(m, key, filename, content_type) != ERR_OK)
			return MHD_NO;
	} else if (!m->in_part || off != m->part_bytes) {
		failf(m, ERR_INVALID_ARGUMENT, "malformed multipart body");
		return MHD_NO;
	}
	if (size == 0)
		return MHD_YES;
	m->part_bytes += size;
	if (m->is_file) {
		if (!m->ops || !m->ops->file_data)
			return MHD_YES;
		struct err e;
		err_clear(&e);
		enum err_code rc = m->ops->file_data(m->ctx, data, size, &e);
		if (rc != ERR_OK) {
			fail(m, rc, &e);
			return MHD_NO;
		}
		return MHD_YES;
	}
	if (buf_append(&m->value, data, size) != 0) {
		failf(m, ERR_TOO_LONG, "a form field is too long");
		return MHD_NO;
	}
	return MHD_YES;
}

/* Runs when the request is released: frees what the parser holds. */
static void cleanup(void *arg)
{
	struct multipart *m = arg;
	if (m->pp)
		MHD_destroy_post_processor(m->pp);
	m->pp = NULL;
	buf_release(&m->value);
}

enum err_code multipart_begin(struct http_request *req, const struct multipart_ops *ops, void *ctx,
                              struct multipart **out, struct err *e)
{
	*out = NULL;
	if (!http_request_content_type_is(req, "multipart/form-data"))
		return err_set(e, ERR_UNSUPPORTED_MEDIA_TYPE,
		               "send the form as multipart/form-data");
	if (!req->conn)
		return err_set(e, ERR_INTERNAL, "multipart_begin outside a stream callback");
	struct multipart *m = http_request_alloc(req, sizeof *m);
	if (!m)
		return err_set(e, ERR_NO_MEMORY, "out of memory");
	m->req = req;
	m->ops = ops;
	m->ctx = ctx;
	buf_init(&m->value, MULTIPART_VALUE_MAX);
	if (http_request_on_cleanup(req, cleanup, m) != 0)
		return err_set(e, ERR_NO_MEMORY, "out of memory");
	m->pp = MHD_create_post_processor(req->conn, MULTIPART_BUFFER, iterate, m);
	if (!m->pp)
		return err_set(e, ERR_INVALID_ARGUMENT,
		               "the multipart/form-data body has no valid boundary");
	*out = m;
	return ERR_OK;
}

enum err_code multipart_feed(struct multipart *m, const char *data, size_t n, struct err *e)
{
	if (m->rc == ERR_OK && !m->pp)
		failf(m, ERR_INVALID_ARGUMENT, "the multipart body is already finished");
	if (m->rc == ERR_OK && n > 0 && MHD_post_process(m->pp, data, n) != MHD_YES)
		failf(m, ERR_INVALID_ARGUMENT, "malformed multipart body");
	if (m->rc != ERR_OK) {
		if (e)
			*e = m->err;
		return m->rc;
	}
	return ERR_OK;
}

enum err_code multipart_finish(struct multipart *m, struct err *e)
{
	if (m->rc == ERR_OK) {
		enum MHD_Result done = m->pp ? MHD_destroy_post_processor(m->pp) : MHD_NO;
		m->pp = NULL;
		if (m->rc == ERR_OK && done != MHD_YES)
			failf(m, ERR_INVALID_ARGUMENT,
			      "the multipart body is incomplete (no closing boundary)");
		else if (m->rc == ERR_OK)
			end_part(m);
	}
	if (m->rc != ERR_OK) {
		if (e)
			*e = m->err;
		return m->rc;
	}
	return ERR_OK;
}

const char *multipart_field(const struct multipart *m, const char *name)
{
	for (size_t i = 0; i < m->fields.n; i++)
		if (str_eq(m->fields.items[i].name, name))
			return m->fields.items[i].value;
	return NULL;
}

const struct http_params *multipart_fields(const struct multipart *m)
{
	return &m->fields;
}

size_t multipart_file_count(const struct multipart *m)
{
	return m->nfiles;
}

/* ---- downloads ---- */

int http_content_disposition(char *out, size_t size, const char *type, const char *filename)
{
	struct buf b = BUF_INIT(size > 0 ? size - 1 : 0);
	char ascii[MULTIPART_DISPLAY_MAX + 1];
	size_t k = 0;
	for (const char *s = filename; *s && k < MULTIPART_DISPLAY_MAX; s++) {
		unsigned char c = (unsigned char)*s;
		if ((c & 0xC0) == 0x80)
			continue; /* continuation byte: one '_' per character */
		ascii[k++] = (c >= 0x80 || c < 0x20 || c == '"' || c == '\\' || c == 0x7f)
		                     ? '_'
		                     : (char)c;
	}
	ascii[k] = '\0';
	int rc = buf_printf(&b, "%s; filename=\"%s\"; filename*=UTF-8''", type, ascii);
	static const char hex[] = "0123456789ABCDEF";
	for (const unsigned char *s = (const unsigned char *)filename; *s && rc == 0; s++) {
		unsigned char c = *s;
		bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		             (c >= '0' && c <= '9') || strchr("!#$&+-.^_`|~", c);
		if (plain && c)
			rc = buf_append(&b, (const char *)s, 1);
		else
			rc = buf_printf(&b, "%%%c%c", hex[c >> 4], hex[c & 15]);
	}
	if (rc != 0) {
		buf_release(&b);
		return -1;
	}
	str_copy(out, size, buf_str(&b));
	buf_release(&b);
	return 0;
}
