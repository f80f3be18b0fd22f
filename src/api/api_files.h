/*
 * api_files: the files of dossiers over HTTP (api_files.c), and the
 * streamed upload that the pages share (web_dossier.c, web_verify.c).
 *
 * An upload is a multipart/form-data body read as it arrives (a route with
 * a streamed body, http/router.h): api_upload_begin() in the stream's begin
 * callback checks who sends what before any byte is read and sets the cap
 * of the body; api_upload_data() and api_upload_end(), the stream's data
 * and end callbacks themselves, parse it
 * (http/multipart.h), writing the part named "file" -- one file per
 * request -- to a temporary file that hashes and checks it as it comes
 * (service/files.h). The route's handler then reads the small fields with
 * api_upload_field() and keeps the file with files_store(), or answers the
 * error of req->stream_rc. The temporary file is deleted when the request
 * ends, whatever happened.
 */
#ifndef MOTCUA_API_API_FILES_H
#define MOTCUA_API_API_FILES_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "api/api.h"
#include "http/multipart.h"
#include "service/files.h"

#define API_UPLOAD_FIELD "file" /* the name of the file part */

/* An upload in progress (in req->stream_state). */
struct api_upload {
	struct http_request *req;
	struct service *svc;
	struct multipart *mp;
	struct files_config fc;
	struct files_tmp tmp;
	bool have_file;
	const char *filename; /* as sent (untrusted), in the request's arena */
	int64_t max;          /* bytes of the file at most */
};

/*
 * Starts an upload of req: for dossier (not NULL), the request's actor must
 * be allowed to store files in it (files_upload_allowance(), whose answer
 * caps the file); for no dossier (verification), the file may have max
 * bytes. Sets *max_body. Errors as files_upload_allowance(), and those of
 * multipart_begin() (ERR_UNSUPPORTED_MEDIA_TYPE when the body is not
 * multipart/form-data).
 */
enum err_code api_upload_begin(struct http_request *req, struct service *svc, const char *dossier,
                               int64_t max, size_t *max_body, struct err *e);
/* The data and end callbacks of the stream (struct http_stream; ctx is not used). */
enum err_code api_upload_data(struct http_request *req, void *ctx, const char *data, size_t n,
                              struct err *e);
enum err_code api_upload_end(struct http_request *req, void *ctx, struct err *e);

/* The upload of req, or NULL when none began. */
struct api_upload *api_upload_of(const struct http_request *req);

/* A small field of the upload's body, or NULL. */
const char *api_upload_field(const struct http_request *req, const char *name);

/*
 * Answers the file f open at fd (taken over): 200, its media type,
 * Content-Disposition attachment with its display name, X-Content-SHA256.
 */
void api_send_file(struct http_response *res, const struct db_dossier_file *f, int fd);

/* A file of a dossier as the API shows it; download is the URL to fetch it. */
json_t *api_file_json(const struct db_dossier_file *f, const char *download);

/* The digitisation figures of a dossier as the API shows them. */
json_t *api_files_figures_json(const struct db_files_figures *fig);

extern const struct http_route api_file_routes[];
extern const size_t api_file_nroutes;

#endif
