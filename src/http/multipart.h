/*
 * multipart: multipart/form-data bodies (RFC 7578) read as they arrive,
 * through libmicrohttpd's post processor, so that an upload of any size
 * needs a bounded amount of memory.
 *
 * A route with a streamed body (http/router.h) starts a parser in its
 * stream's begin callback (multipart_begin), feeds it every piece of the
 * body (multipart_feed) and closes it in its end callback
 * (multipart_finish). Parts that are not files (no filename in their
 * Content-Disposition) are small fields: they are kept, at most
 * MULTIPART_MAX_FIELDS of at most MULTIPART_VALUE_MAX bytes of UTF-8 each,
 * in the request's arena and read with multipart_field(). File parts are
 * handed to the caller's callbacks piece by piece and never kept here. A
 * file part is complete only once multipart_finish() saw the closing
 * boundary: its file_end runs then, never for a truncated or malformed
 * body.
 *
 * The file name a client sends is untrusted text, given as sent (the
 * service layer makes a display name of it); http_content_disposition()
 * makes the header of a download.
 */
#ifndef MOTCUA_HTTP_MULTIPART_H
#define MOTCUA_HTTP_MULTIPART_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/error.h"
#include "http/request.h"

#define MULTIPART_MAX_FIELDS   64          /* parts that are not files */
#define MULTIPART_MAX_FILES    8           /* file parts in one body */
#define MULTIPART_VALUE_MAX    8192        /* bytes of a part that is not a file */
#define MULTIPART_NAME_MAX     128         /* bytes of a part's name */
#define MULTIPART_FILENAME_MAX 1024        /* bytes of a file name as sent */
#define MULTIPART_BUFFER       16384       /* bytes the post processor buffers */
#define MULTIPART_OVERHEAD     (64u << 10) /* body bytes allowed beyond the files' own */
#define MULTIPART_DISPLAY_MAX  256         /* bytes of a file name in Content-Disposition */

/* A file part as it begins (strings valid during the callback only). */
struct multipart_file {
	const char *field;        /* the part's name */
	const char *filename;     /* as sent: untrusted (see multipart_filename_clean) */
	const char *content_type; /* as declared, or NULL: untrusted */
	size_t index;             /* 0 for the first file part of the body */
};

/*
 * What the caller does with file parts. Each returns ERR_OK to go on, or an
 * error that stops the body (multipart_feed / multipart_finish return it).
 * file_end runs only for a part that is complete (see above).
 */
struct multipart_ops {
	enum err_code (*file_begin)(void *ctx, const struct multipart_file *f, struct err *e);
	enum err_code (*file_data)(void *ctx, const char *data, size_t n, struct err *e);
	enum err_code (*file_end)(void *ctx, struct err *e);
};

struct multipart;

/*
 * Starts a parser for req's body; must be called from a stream callback
 * (it needs libmicrohttpd's connection, req->conn). The parser lives in the
 * request's arena and is released with it. Returns ERR_OK,
 * ERR_UNSUPPORTED_MEDIA_TYPE when the Content-Type is not
 * multipart/form-data, ERR_INVALID_ARGUMENT when it has no boundary, or
 * ERR_NO_MEMORY.
 */
enum err_code multipart_begin(struct http_request *req, const struct multipart_ops *ops, void *ctx,
                              struct multipart **out, struct err *e);

/*
 * Parses n more bytes. Returns ERR_OK; the first error of a callback; or
 * ERR_INVALID_ARGUMENT (malformed body, a field that is not UTF-8, a name
 * too long), ERR_TOO_LONG (more than the MULTIPART_MAX_* limits). After an
 * error every further call returns it again.
 */
enum err_code multipart_feed(struct multipart *m, const char *data, size_t n, struct err *e);

/*
 * Ends the body: ERR_INVALID_ARGUMENT when it stopped before its closing
 * boundary (nothing more is given to the callbacks); otherwise the last
 * part ends (file_end for a file) and ERR_OK or its error is returned.
 */
enum err_code multipart_finish(struct multipart *m, struct err *e);

/* The value of the first field named name, or NULL (after multipart_finish or during). */
const char *multipart_field(const struct multipart *m, const char *name);

/* The fields kept so far (names and values in the request's arena). */
const struct http_params *multipart_fields(const struct multipart *m);

/* File parts seen so far. */
size_t multipart_file_count(const struct multipart *m);

/*
 * The value of a Content-Disposition header: `TYPE; filename="ASCII";
 * filename*=UTF-8''PERCENT-ENCODED` (RFC 6266, RFC 8187) with type
 * "attachment" or "inline" and filename a display name (non-ASCII letters
 * become '_' in the quoted fallback). Returns 0, or -1 when it does not fit
 * in size bytes.
 */
int http_content_disposition(char *out, size_t size, const char *type, const char *filename);

#endif
