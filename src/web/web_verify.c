/*
 * web_verify: the public page that checks a document the centre issued
 * (a form or an electronic result) by the verification code printed on it.
 *
 *   GET /verify            the form
 *   GET /verify?code=CODE  the form and the verdict: which document of which
 *                          dossier, issued when and by which unit, signed by
 *                          which key (current or retired). No personal data.
 *
 * The signature of a PDF file itself is checked by `motcua verify FILE` and
 * POST /api/v1/verify (docs/documents.md); a file upload on this page comes
 * with the upload support of the documents issue.
 */
#include <string.h>

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
	web_end(&p);
}

const struct http_route web_verify_routes[] = {
        {"GET", "/verify", get_verify, WEB_FORM_MAX},
};
const size_t web_verify_nroutes = sizeof web_verify_routes / sizeof web_verify_routes[0];
