/*
 * web_verify: the public page that checks a document the centre issued
 * (a form or an electronic result) by the verification code printed on it.
 *
 *   GET /verify            the form
 *   GET /verify?code=CODE  the form and the verdict: which document of which
 *                          dossier, issued when and by which unit, signed by
 *                          which key (current or retired). No personal data.
 *
 *   POST /verify           a PDF uploaded (multipart/form-data, field "file",
 *                          streamed to a temporary file, at most 32 MiB): its
 *                          signature and the register checked by
 *                          documents_verify_file(), the same as `motcua verify
 *                          FILE` and POST /api/v1/verify (docs/documents.md).
 */
#include <string.h>
#include <sys/mman.h>

#include "api/api_files.h"
#include "base/str.h"
#include "db/db.h"
#include "doc/documents.h"
#include "web/web.h"

#define VERIFY_CODE_MAX 32 /* bytes of a typed code (12 characters, hyphens, spaces) */

static void verdict(struct web_page *p, const struct documents_verdict *v)
{
	struct html *h = &p->h;
	const struct db_issued_document *d = &v->doc;
	html_raw(h, "<section id=\"verify-result\" aria-labelledby=\"h-verdict\" class=\"card\">");
	html_elem(h, "h2",
	          T(p, "Mã xác thực hợp lệ: văn bản do Trung tâm cấp",
	            "Valid code: a document the centre issued"),
	          "id", "h-verdict", NULL);
	html_raw(h, "<dl class=\"facts\">");
	web_fact(p, T(p, "Mã xác thực", "Verification code"), v->code);
	web_fact(p, T(p, "Văn bản", "Document"), web_form_label(p, d->form));
	web_fact(p, T(p, "Bộ biểu mẫu", "Set of forms"),
	         str_eq(d->form_set, "2018")
	                 ? T(p, "Thông tư 01/2018/TT-VPCP", "Circular 01/2018/TT-VPCP")
	         : str_eq(d->form_set, "2025")
	                 ? T(p, "Thông tư 03/2025/TT-VPCP", "Circular 03/2025/TT-VPCP")
	                 : d->form_set);
	web_fact(p, T(p, "Mã hồ sơ", "Dossier code"), d->dossier_code);
	web_fact(p, T(p, "Đơn vị", "Unit"), v->unit_name[0] ? v->unit_name : d->unit_code);
	if (d->period_from != DB_NONE) {
		html_elem(h, "dt", T(p, "Kỳ", "Period"), NULL);
		html_raw(h, "<dd>");
		web_date(p, d->period_from);
		html_raw(h, " – ");
		web_date(p, d->period_to);
		html_raw(h, "</dd>");
	}
	html_elem(h, "dt", T(p, "Thời điểm cấp", "Issued at"), NULL);
	html_raw(h, "<dd>");
	web_time(p, d->issued_at);
	html_raw(h, "</dd>");
	web_fact(p, T(p, "Khóa ký", "Signing key"), d->key_id);
	web_fact(p, T(p, "Trạng thái khóa", "Key status"),
	         v->key_current ? T(p, "đang dùng", "current")
	                        : T(p, "đã thay (vẫn hợp lệ với văn bản đã cấp)",
	                            "retired (still valid for documents it signed)"));
	web_fact(p, "SHA-256", d->sha256);
	html_raw(h, "</dl>");
	html_elem(
	        h, "p",
	        T(p,
	          "Đối chiếu: nội dung bản giấy hoặc tệp bạn có phải khớp với văn bản trên. Để "
	          "kiểm "
	          "tra chính tệp PDF (phát hiện mọi sửa đổi), dùng lệnh `motcua verify TỆP` hoặc "
	          "giao diện POST /api/v1/verify.",
	          "Compare: the paper or file you hold must match the document above. To check the "
	          "PDF file itself (any change detected), use `motcua verify FILE` or POST "
	          "/api/v1/verify."),
	        "class", "muted", NULL);
	html_raw(h, "</section>");
}

/* The form that sends the file itself (multipart, streamed). */
static void upload_form(struct web_page *p, const char *error)
{
	struct html *h = &p->h;
	html_elem(h, "h2", T(p, "Hoặc kiểm tra chính tệp PDF", "Or check the PDF file itself"),
	          "id", "h-verify-file", NULL);
	if (error)
		web_form_errors(p, error);
	html_open(h, "form", "method", "post", "action", "/verify", "enctype",
	          "multipart/form-data", "id", "verify-file-form", "class", "narrow", NULL);
	web_csrf_input(p);
	html_open(h, "div", "class", error ? "field has-error" : "field", NULL);
	html_open(h, "label", "for", "f-file", NULL);
	html_text(h, T(p, "Tệp PDF do Trung tâm cấp", "PDF file issued by the centre"));
	html_elem(h, "span", " *", "class", "req", "aria-hidden", "true", NULL);
	html_close(h, "label");
	html_elem(h, "p",
	          T(p, "Mọi thay đổi dù một byte đều bị phát hiện; tối đa 32 MiB.",
	            "Any change, even of one byte, is detected; at most 32 MiB."),
	          "class", "field-hint", "id", "h-file", NULL);
	if (error)
		html_elem(h, "p", error, "class", "field-error", "id", "e-file", NULL);
	html_void(h, "input", "type", "file", "name", "file", "id", "f-file", "accept",
	          "application/pdf,.pdf", "required", HTML_BOOL, "aria-invalid",
	          error ? "true" : NULL, "aria-describedby", error ? "e-file h-file" : "h-file",
	          NULL);
	html_close(h, "div");
	web_submit(p, T(p, "Kiểm tra tệp", "Check the file"), NULL);
	html_close(h, "form");
}

static void get_verify(struct http_request *req, struct http_response *res, void *ctx)
{
	struct web_page p;
	web_page_init(&p, req, res, ctx);
	const char *code = web_query(&p, "code");
	const char *error = NULL;
	struct documents_verdict v;
	memset(&v, 0, sizeof v);
	bool found = false;
	if (*code) {
		struct err e;
		err_clear(&e);
		enum err_code rc = strlen(code) > VERIFY_CODE_MAX
		                           ? ERR_INVALID_ARGUMENT
		                           : documents_verify_code(p.w->svc, code, &v, &e);
		if (rc == ERR_OK && v.valid) {
			found = true;
		} else if (rc == ERR_INVALID_ARGUMENT) {
			p.status = 400;
			error = T(&p, "Mã xác thực gồm 12 ký tự chữ và số, dạng XXXX-XXXX-XXXX.",
			          "A verification code has 12 letters and digits, as "
			          "XXXX-XXXX-XXXX.");
		} else if (rc == ERR_NOT_FOUND || rc == ERR_OK) {
			p.status = 404;
			error = T(
			        &p,
			        "Không có văn bản nào được cấp với mã này. Văn bản có thể không do "
			        "Trung tâm cấp, hoặc mã đã bị nhập sai.",
			        "No document was issued with this code. It may not come from the "
			        "centre, or the code was mistyped.");
		} else {
			web_fail(&p, &e);
			return;
		}
	}
	web_begin(&p, T(&p, "Xác thực văn bản", "Verify a document"));
	html_elem(
	        &p.h, "p",
	        T(&p,
	          "Mỗi giấy tiếp nhận, phiếu, thông báo và kết quả điện tử do Trung tâm cấp đều in "
	          "một mã xác thực và được ký số (Ed25519). Nhập mã để biết văn bản có thật do "
	          "Trung tâm cấp hay không.",
	          "Every receipt, form, notice and electronic result the centre issues carries a "
	          "verification code and a digital signature (Ed25519). Enter the code to learn "
	          "whether the centre really issued it."),
	        NULL);
	web_form_errors(&p, error);
	html_open(&p.h, "form", "method", "get", "action", "/verify", "id", "verify-form", "class",
	          "narrow", NULL);
	web_input(&p, &(struct web_input){.name = "code",
	                                  .label = T(&p, "Mã xác thực", "Verification code"),
	                                  .value = code,
	                                  .error = error,
	                                  .hint = "XXXX-XXXX-XXXX",
	                                  .maxlength = VERIFY_CODE_MAX,
	                                  .required = true});
	web_submit(&p, T(&p, "Kiểm tra", "Check"), NULL);
	html_close(&p.h, "form");
	if (found)
		verdict(&p, &v);
	upload_form(&p, NULL);
	web_end(&p);
}

/* ---- POST /verify: the file itself ---- */

static enum err_code verify_stream_begin(struct http_request *req, void *ctx, size_t *max_body,
                                         struct err *e)
{
	struct web *w = ctx;
	return api_upload_begin(req, w->svc, NULL, DOCUMENTS_VERIFY_MAX, max_body, e);
}

static const struct http_stream verify_stream = {verify_stream_begin, api_upload_data,
                                                 api_upload_end};

/* Why a file is not valid, in the page's language. */
static const char *reason_text(struct web_page *p, const char *reason)
{
	static const char *const r[][3] = {
	        {"unsigned", "Tệp không mang chữ ký số của Trung tâm.",
	         "The file carries no signature of the centre."},
	        {"malformed", "Dòng chữ ký trong tệp bị hỏng.", "The signature line is damaged."},
	        {"unknown_key", "Tệp được ký bằng một khóa không phải của Trung tâm.",
	         "The file was signed with a key that is not the centre's."},
	        {"tampered", "Tệp đã bị sửa đổi sau khi ký.",
	         "The file was changed after signing."},
	        {"not_registered", "Mã xác thực không có trong sổ văn bản đã cấp.",
	         "The verification code is not in the register of issued documents."},
	        {"mismatch", "Tệp không khớp với văn bản đã cấp với mã này.",
	         "The file does not match the document issued with this code."}};
	for (size_t i = 0; i < sizeof r / sizeof r[0]; i++)
		if (str_eq(reason, r[i][0]))
			return T(p, r[i][1], r[i][2]);
	return reason;
}

static void post_verify(struct http_request *req, struct http_response *res, void *ctx)
{
	struct web_page p;
	web_page_init(&p, req, res, ctx);
	const char *error = NULL;
	struct documents_verdict v;
	memset(&v, 0, sizeof v);
	bool checked = false;
	struct api_upload *u = api_upload_of(req);
	struct err e;
	err_clear(&e);
	if (req->stream_rc != ERR_OK) {
		p.status = err_http_status(req->stream_rc);
		error = req->stream_rc == ERR_UNSUPPORTED_MEDIA_TYPE
		                ? T(&p, "Tệp không phải là tệp PDF.", "The file is not a PDF file.")
		        : req->stream_rc == ERR_PAYLOAD_TOO_LARGE
		                ? T(&p, "Tệp lớn hơn 32 MiB.", "The file is larger than 32 MiB.")
		                : T(&p, "Không đọc được tệp gửi lên.",
		                    "The upload could not be read.");
	} else if (!web_csrf_check(&p, api_upload_field(req, WEB_CSRF_FIELD))) {
		return;
	} else if (!u || !u->have_file || files_tmp_close(&u->tmp, &e) != ERR_OK) {
		p.status = u && u->have_file ? err_http_status(e.code) : 400;
		error = u && u->have_file && e.code == ERR_UNSUPPORTED_MEDIA_TYPE
		                ? T(&p, "Tệp không phải là tệp PDF.", "The file is not a PDF file.")
		                : T(&p, "Hãy chọn một tệp PDF.", "Choose a PDF file.");
	} else {
		void *data = mmap(NULL, (size_t)u->tmp.bytes, PROT_READ, MAP_PRIVATE, u->tmp.fd, 0);
		if (data == MAP_FAILED) {
			err_set(&e, ERR_IO, "cannot read the upload");
			web_fail(&p, &e);
			return;
		}
		enum err_code rc =
		        documents_verify_file(p.w->svc, data, (size_t)u->tmp.bytes, &v, &e);
		munmap(data, (size_t)u->tmp.bytes);
		if (rc != ERR_OK) {
			web_fail(&p, &e);
			return;
		}
		checked = true;
	}
	files_tmp_discard(u ? &u->tmp : &(struct files_tmp){.fd = -1});
	web_begin(&p, T(&p, "Xác thực văn bản", "Verify a document"));
	if (checked && v.valid) {
		verdict(&p, &v);
	} else if (checked) {
		p.status = 422;
		html_raw(&p.h, "<section id=\"verify-file-result\" aria-labelledby=\"h-invalid\" "
		               "class=\"card invalid\">");
		html_elem(&p.h, "h2", T(&p, "Tệp KHÔNG hợp lệ", "The file is NOT valid"), "id",
		          "h-invalid", NULL);
		html_elem(&p.h, "p", reason_text(&p, v.reason), "id", "verify-reason",
		          "data-reason", v.reason, NULL);
		if (v.code[0])
			html_elem(&p.h, "p",
			          web_strf(&p, "%s %s",
			                   T(&p, "Mã xác thực ghi trong tệp:",
			                     "Verification code in the file:"),
			                   v.code),
			          NULL);
		html_raw(&p.h, "</section>");
	}
	html_open(&p.h, "form", "method", "get", "action", "/verify", "id", "verify-form", "class",
	          "narrow", NULL);
	web_input(&p, &(struct web_input){.name = "code",
	                                  .label = T(&p, "Mã xác thực", "Verification code"),
	                                  .hint = "XXXX-XXXX-XXXX",
	                                  .maxlength = VERIFY_CODE_MAX,
	                                  .required = true});
	web_submit(&p, T(&p, "Kiểm tra", "Check"), NULL);
	html_close(&p.h, "form");
	upload_form(&p, error);
	web_end(&p);
}

const struct http_route web_verify_routes[] = {
        {"GET", "/verify", get_verify, WEB_FORM_MAX},
        {"POST", "/verify", post_verify, WEB_FORM_MAX, &verify_stream},
};
const size_t web_verify_nroutes = sizeof web_verify_routes / sizeof web_verify_routes[0];
