/*
 * Unit tests for doc/forms: the template sets built into the binary, the
 * checks made when a set is loaded, the formats of dates and legal times,
 * the values of a form, and the layout of every form into a PDF.
 *
 * Expected values: the forms of each set and their numbers -- 2018: Mẫu số
 * 01-06 of the appendix of Circular 01/2018/TT-VPCP (receipt, supplement
 * request, refusal, apology with a new date, process control form, tracking
 * book), as given by independent transcriptions of that appendix; 2025: Mẫu
 * số 01-07 of Appendix I of Circular 03/2025/TT-VPCP, as listed by a
 * published summary of that appendix (docs/documents.md says what is
 * confirmed). Dates in Vietnam time: 2025-08-27T09:05+07:00 is epoch
 * 1756260300.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/vntime.h"
#include "doc/forms.h"

#define FONT      "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
#define FONT_BOLD "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"

static void open_set(const char *name, struct forms_set *s)
{
	struct err e;
	err_clear(&e);
	enum err_code rc = forms_set_open("", name, s, &e);
	if (rc != ERR_OK)
		fail_msg("forms-%s.json: %s", name, e.detail);
}

/* The built-in sets: which forms, which numbers and titles. */
static void test_builtin_sets(void **state)
{
	(void)state;
	struct forms_set s18, s25;
	open_set("2018", &s18);
	open_set("2025", &s25);
	for (int k = 0; k < FK__COUNT; k++) {
		assert_true(forms_set_has(&s25, (enum form_kind)k));
		assert_int_equal(forms_set_has(&s18, (enum form_kind)k), k != FK_STOP);
	}
	assert_string_equal(forms_number(&s18, FK_RECEIPT), "Mẫu số 01");
	assert_string_equal(forms_number(&s18, FK_SUPPLEMENT), "Mẫu số 02");
	assert_string_equal(forms_number(&s18, FK_REFUSAL), "Mẫu số 03");
	assert_string_equal(forms_number(&s18, FK_APOLOGY), "Mẫu số 04");
	assert_string_equal(forms_number(&s18, FK_CONTROL), "Mẫu số 05");
	assert_string_equal(forms_number(&s18, FK_TRACKING_BOOK), "Mẫu số 06");
	assert_string_equal(forms_number(&s18, FK_STOP), "");
	assert_string_equal(forms_number(&s25, FK_APOLOGY), "Mẫu số 04");
	assert_string_equal(forms_number(&s25, FK_STOP), "Mẫu số 05");
	assert_string_equal(forms_number(&s25, FK_CONTROL), "Mẫu số 06");
	assert_string_equal(forms_number(&s25, FK_TRACKING_BOOK), "Mẫu số 07");
	assert_string_equal(forms_title(&s18, FK_APOLOGY),
	                    "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ");
	assert_string_equal(forms_title(&s25, FK_APOLOGY),
	                    "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT");
	assert_string_equal(forms_title(&s25, FK_STOP), "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ");
	assert_string_equal(forms_title(&s25, FK_RECEIPT),
	                    "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ");
	assert_string_equal(forms_title(&s18, FK_CONTROL),
	                    "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ");
	forms_set_release(&s18);
	forms_set_release(&s25);
	assert_null(s25.root);
}

static void test_kind_names(void **state)
{
	(void)state;
	enum form_kind k;
	for (int i = 0; i < FK__COUNT; i++) {
		assert_int_equal(forms_kind_from_name(forms_kind_name((enum form_kind)i), &k), 0);
		assert_int_equal(k, i);
	}
	assert_int_equal(forms_kind_from_name("stop", &k), 0);
	assert_int_equal(k, FK_STOP);
	assert_int_equal(forms_kind_from_name("Receipt", &k), -1);
	assert_int_equal(forms_kind_from_name("", &k), -1);
	assert_int_equal(forms_kind_from_name(NULL, &k), -1);
	assert_string_equal(forms_kind_name(FK__COUNT), "");
}

/* The formats of the 2025 set. */
static void test_formats(void **state)
{
	(void)state;
	struct forms_set s;
	open_set("2025", &s);
	char out[128];
	int64_t day;
	assert_int_equal(vntime_parse_date("2025-08-27", &day), 0);
	forms_date(&s, day, out, sizeof out);
	assert_string_equal(out, "ngày 27 tháng 08 năm 2025");
	forms_datetime(&s, INT64_C(1756260300), out, sizeof out);
	assert_string_equal(out, "09 giờ 05 phút, ngày 27/08/2025");
	forms_duration(&s, 3, false, out, sizeof out);
	assert_string_equal(out, "3 ngày làm việc");
	forms_duration(&s, 16, true, out, sizeof out);
	assert_string_equal(out, "16 giờ làm việc");
	/* cut at a character boundary, never in the middle of a letter */
	char small[12];
	forms_date(&s, day, small, sizeof small);
	assert_string_equal(small, "ngày 27 th");
	assert_string_equal(forms_label(&s, "step_result", "late"), "Quá hạn");
	assert_string_equal(forms_label(&s, "step_result", "early"), "Trước hạn");
	assert_string_equal(forms_label(&s, "step_result", "nonsense"), "nonsense");
	assert_string_equal(forms_label(&s, "nogroup", "late"), "late");
	assert_true(forms_has_label(&s, "action", "receive"));
	assert_false(forms_has_label(&s, "action", "rate")); /* not a hand-over */
	assert_false(forms_has_label(&s, "action", NULL));
	forms_set_release(&s);
}

static void test_values(void **state)
{
	(void)state;
	struct form_data d;
	form_data_init(&d);
	assert_string_equal(form_get(&d, FF_code), "");
	char code[] = "000.01.CN.H26-261127-0001";
	form_set(&d, FF_code, code);
	code[0] = 'X'; /* a copy was kept */
	assert_string_equal(form_get(&d, FF_code), "000.01.CN.H26-261127-0001");
	form_setf(&d, FF_book_count, "%d", 42);
	assert_string_equal(form_get(&d, FF_book_count), "42");
	form_set(&d, FF_reason, NULL);
	assert_string_equal(form_get(&d, FF_reason), "");
	/* a value is cut at FORMS_VALUE_MAX bytes, at a character boundary */
	char *big = malloc(FORMS_VALUE_MAX + 10);
	assert_non_null(big);
	memset(big, 'a', FORMS_VALUE_MAX - 1);
	memcpy(big + FORMS_VALUE_MAX - 1, "ễễ", 7); /* 3 + 3 bytes over the limit */
	form_set(&d, FF_reason, big);
	assert_int_equal(strlen(form_get(&d, FF_reason)), FORMS_VALUE_MAX - 1);
	free(big);
	/* rows are numbered */
	struct form_row *r = form_add_row(&d, FL_events);
	assert_non_null(r);
	form_row_set(&d, r, FR_action, "Tiếp nhận");
	r = form_add_row(&d, FL_events);
	assert_string_equal(d.list[FL_events].items[0].v[FR_row_no], "1");
	assert_string_equal(d.list[FL_events].items[1].v[FR_row_no], "2");
	assert_string_equal(d.list[FL_events].items[0].v[FR_action], "Tiếp nhận");
	assert_false(d.oom);
	form_data_release(&d);
	assert_int_equal(d.list[FL_events].n, 0);
}

/* A list holds at most FORMS_ROWS_MAX rows; one more is refused and remembered. */
static void test_row_limit(void **state)
{
	(void)state;
	struct form_data d;
	form_data_init(&d);
	for (int i = 0; i < FORMS_ROWS_MAX; i++)
		assert_non_null(form_add_row(&d, FL_book));
	assert_false(d.oom);
	assert_null(form_add_row(&d, FL_book));
	assert_true(d.oom);
	form_data_release(&d);
}

/* ---- the checks made when a set is loaded ---- */

static const char set_head[] =
        "{\"set\":\"2025\",\"legal_basis\":\"X\",\"formats\":{\"date\":\"{dd}/{mm}/{yyyy}\","
        "\"datetime\":\"{hh}:{mi} {dd}/{mm}/{yyyy}\",\"days\":\"{n} ngày\",\"hours\":\"{n} "
        "giờ\",\"page\":\"Trang\",\"footer\":\"{verification_code}\"},\"labels\":{},"
        "\"forms\":{\"receipt\":{\"number\":\"01\",\"title\":\"T\",\"blocks\":[";

/* Loads a set whose receipt has the given blocks; returns the code, the detail in e. */
static enum err_code load_blocks(const char *blocks, struct err *e)
{
	char text[4096];
	snprintf(text, sizeof text, "%s%s]}}}", set_head, blocks);
	struct forms_set s;
	err_clear(e);
	enum err_code rc = forms_set_parse(text, strlen(text), "2025", &s, e);
	forms_set_release(&s);
	return rc;
}

static void expect_bad(const char *blocks, const char *detail)
{
	struct err e;
	enum err_code rc = load_blocks(blocks, &e);
	if (rc != ERR_INVALID_DATA_FILE || !strstr(e.detail, detail))
		fail_msg("blocks %s: got %s '%s', wanted invalid_data_file '%s'", blocks,
		         err_code_str(rc), e.detail, detail);
}

static void test_checks(void **state)
{
	(void)state;
	struct err e;
	assert_int_equal(load_blocks("{\"type\":\"text\",\"text\":\"Mã hồ sơ: {code}\"}", &e),
	                 ERR_OK);
	assert_int_equal(load_blocks("", &e), ERR_OK);
	/* literal braces that are not placeholders are text */
	assert_int_equal(load_blocks("{\"type\":\"text\",\"text\":\"{ } {A} {code\"}", &e), ERR_OK);
	expect_bad("{\"type\":\"text\",\"text\":\"{nam}\"}", "unknown placeholder '{nam}'");
	expect_bad("{\"type\":\"text\",\"text\":\"{component_name}\"}", "unknown placeholder");
	assert_int_equal(load_blocks("{\"type\":\"list\",\"rows\":\"waived\",\"text\":\"- "
	                             "{component_name} {code}\"}",
	                             &e),
	                 ERR_OK);
	expect_bad("{\"type\":\"paragraph\",\"text\":\"x\"}", "unknown block type");
	expect_bad("{\"text\":\"x\"}", "unknown block type");
	expect_bad("{\"type\":\"text\",\"txt\":\"x\"}", "no such key");
	expect_bad("{\"type\":\"text\"}", "missing");
	expect_bad("{\"type\":\"text\",\"text\":\"x\",\"align\":\"justify\"}",
	           "left, center or right");
	expect_bad("{\"type\":\"text\",\"text\":\"x\",\"style\":\"underline\"}", "bold_italic");
	expect_bad("{\"type\":\"text\",\"text\":\"x\",\"size\":40}", "font size");
	expect_bad("{\"type\":\"text\",\"text\":\"x\",\"if\":\"nothing\"}",
	           "name a field or a list");
	expect_bad("{\"type\":\"list\",\"rows\":\"dossiers\",\"text\":\"x\"}", "must name a list");
	expect_bad("{\"type\":\"table\",\"rows\":\"events\",\"columns\":[]}", "1 to 16 columns");
	expect_bad(
	        "{\"type\":\"table\",\"rows\":\"events\",\"columns\":[{\"title\":\"A\",\"width\":0,"
	        "\"text\":\"x\"}]}",
	        "width");
	expect_bad(
	        "{\"type\":\"table\",\"rows\":\"events\",\"columns\":[{\"title\":\"A\",\"width\":1,"
	        "\"text\":\"x\",\"colour\":\"red\"}]}",
	        "title, width, align and text");
	expect_bad("{\"type\":\"table\",\"rows\":\"events\",\"columns\":[{\"title\":\"A\","
	           "\"width\":1}]}",
	           "needs 'title', 'width' and 'text'");
	expect_bad("{\"type\":\"signatures\",\"columns\":[[],[],[],[],[]]}", "1 to 4 columns");
	expect_bad("{\"type\":\"verification\",\"qr\":\"home\",\"lines\":[]}", "lookup or verify");
	expect_bad("{\"type\":\"space\",\"height\":-1}", "0 to 200");
	expect_bad("{\"type\":\"text\",\"text\":\"\xff\"}", "line 1"); /* jansson: not UTF-8 */
	expect_bad("3", "a block must be an object");
}

static enum err_code parse_text(const char *text, const char *name, struct err *e)
{
	struct forms_set s;
	err_clear(e);
	enum err_code rc = forms_set_parse(text, strlen(text), name, &s, e);
	forms_set_release(&s);
	return rc;
}

static void test_set_checks(void **state)
{
	(void)state;
	struct err e;
	char text[4096];
	snprintf(text, sizeof text, "%s]}}}", set_head);
	assert_int_equal(parse_text(text, "2025", &e), ERR_OK);
	/* the name in the file must be the set's */
	assert_int_equal(parse_text(text, "2018", &e), ERR_INVALID_DATA_FILE);
	assert_int_equal(parse_text(text, "2030", &e), ERR_NOT_FOUND);
	assert_int_equal(parse_text("{", "2025", &e), ERR_INVALID_DATA_FILE);
	assert_non_null(strstr(e.detail, "line 1"));
	assert_int_equal(parse_text("{\"set\":\"2025\",\"set\":\"2025\"}", "2025", &e),
	                 ERR_INVALID_DATA_FILE); /* duplicate key */
	assert_int_equal(parse_text("[]", "2025", &e), ERR_INVALID_DATA_FILE);
	/* an unknown top-level key, an unknown form, a bad format token */
	char bad[4200];
	snprintf(bad, sizeof bad, "{\"colour\":1,%s]}}}", set_head + 1);
	assert_int_equal(parse_text(bad, "2025", &e), ERR_INVALID_DATA_FILE);
	assert_non_null(strstr(e.detail, "unknown key"));
	snprintf(bad, sizeof bad,
	         "%s]},\"verdict\":{\"number\":\"1\",\"title\":\"T\",\"blocks\":[]}}}", set_head);
	assert_int_equal(parse_text(bad, "2025", &e), ERR_INVALID_DATA_FILE);
	assert_non_null(strstr(e.detail, "no such form"));
	const char *fmt = strstr(set_head, "{dd}/{mm}/{yyyy}\",");
	assert_non_null(fmt);
	snprintf(bad, sizeof bad, "%.*s{day}%s]}}}", (int)(fmt - set_head), set_head,
	         fmt + strlen("{dd}"));
	assert_int_equal(parse_text(bad, "2025", &e), ERR_INVALID_DATA_FILE);
	assert_non_null(strstr(e.detail, "unknown token"));
	/* too large */
	size_t n = FORMS_FILE_MAX + 1;
	char *huge = malloc(n + 1);
	assert_non_null(huge);
	memset(huge, ' ', n);
	huge[n] = '\0';
	struct forms_set s;
	assert_int_equal(forms_set_parse(huge, n, "2025", &s, &e), ERR_INVALID_DATA_FILE);
	forms_set_release(&s);
	free(huge);
}

/* forms_dir: a set read from a directory instead of the built-in copy. */
static void test_open_dir(void **state)
{
	(void)state;
	char dir[] = "/tmp/motcua-test-forms-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char path[128], text[4096];
	snprintf(path, sizeof path, "%s/forms-2025.json", dir);
	snprintf(text, sizeof text, "%s]}}}", set_head);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	struct forms_set s;
	struct err e;
	assert_int_equal(forms_set_open(dir, "2025", &s, &e), ERR_OK);
	assert_true(forms_set_has(&s, FK_RECEIPT));
	assert_false(forms_set_has(&s, FK_CONTROL));
	forms_set_release(&s);
	assert_int_equal(forms_set_open(dir, "2018", &s, &e), ERR_IO);
	assert_non_null(strstr(e.detail, "forms-2018.json"));
	forms_set_release(&s);
	assert_int_equal(forms_set_open(dir, "../2025", &s, &e), ERR_NOT_FOUND);
	assert_int_equal(forms_set_open("", "1999", &s, &e), ERR_NOT_FOUND);
	unlink(path);
	rmdir(dir);
}

/* ---- layout ---- */

static void fill(struct form_data *d)
{
	form_set(d, FF_issuer_parent, "Trung tâm Phục vụ hành chính công thành phố Hà Nội");
	form_set(d, FF_issuer_name, "Chi nhánh số 1");
	form_set(d, FF_doc_date, "ngày 27 tháng 08 năm 2025");
	form_set(d, FF_code, "000.01.CN.H26-250827-0001");
	form_set(d, FF_applicant_name, "Nguyễn Văn Đức");
	form_set(d, FF_procedure_name, "Cấp Giấy xác nhận tình trạng hôn nhân");
	form_set(d, FF_verification_code, "7K3M-9QXD-2HPA");
	form_set(d, FF_verify_url, "http://127.0.0.1:8080/verify?code=7K3M-9QXD-2HPA");
	form_set(d, FF_lookup_url, "http://127.0.0.1:8080/lookup?code=000.01.CN.H26-250827-0001");
	struct form_row *r = form_add_row(d, FL_received);
	form_row_set(d, r, FR_component_name, "Tờ khai");
	r = form_add_row(d, FL_events);
	form_row_set(d, r, FR_from_unit, "Chi nhánh số 1");
	r = form_add_row(d, FL_book);
	form_row_set(d, r, FR_dossier_code, "000.01.CN.H26-250827-0001");
}

static bool have_pdftotext(void)
{
	return system("command -v pdftotext >/dev/null 2>&1") == 0;
}

/* The text of a PDF (pdftotext, line breaks as spaces) into out. */
static void text_of(const struct buf *pdf, char *out, size_t n)
{
	char path[] = "/tmp/motcua-test-forms-pdf-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, pdf->data, pdf->len), (ssize_t)pdf->len);
	close(fd);
	char cmd[256];
	snprintf(cmd, sizeof cmd, "pdftotext -enc UTF-8 '%s' - 2>/dev/null", path);
	FILE *f = popen(cmd, "r");
	assert_non_null(f);
	size_t len = fread(out, 1, n - 1, f);
	out[len] = '\0';
	pclose(f);
	unlink(path);
	for (char *p = out; *p; p++)
		if (*p == '\n')
			*p = ' ';
}

/* Every form of both sets lays out into a PDF. */
static void test_render_all(void **state)
{
	(void)state;
	const char *sets[] = {"2018", "2025"};
	for (int si = 0; si < 2; si++) {
		struct forms_set s;
		open_set(sets[si], &s);
		for (int k = 0; k < FK__COUNT; k++) {
			struct form_data d;
			form_data_init(&d);
			fill(&d);
			struct buf out = BUF_INIT(32u << 20);
			struct err e;
			err_clear(&e);
			enum err_code rc = forms_render(&s, (enum form_kind)k, &d, FONT, FONT_BOLD,
			                                INT64_C(1756260300), &out, &e);
			if (!forms_set_has(&s, (enum form_kind)k)) {
				assert_int_equal(rc, ERR_NOT_FOUND);
				assert_int_equal(out.len, 0);
			} else {
				if (rc != ERR_OK)
					fail_msg("%s %s: %s", sets[si],
					         forms_kind_name((enum form_kind)k), e.detail);
				assert_memory_equal(out.data, "%PDF-", 5);
				assert_memory_equal(out.data + out.len - 6, "%%EOF\n", 6);
				/* the template's own values were filled in */
				assert_string_equal(form_get(&d, FF_set), sets[si]);
				assert_string_equal(form_get(&d, FF_form_number),
				                    forms_number(&s, (enum form_kind)k));
			}
			buf_release(&out);
			form_data_release(&d);
		}
		forms_set_release(&s);
	}
}

/* Placeholders are replaced; conditional blocks appear only with their value. */
static void test_render_text(void **state)
{
	(void)state;
	if (!have_pdftotext())
		skip();
	struct forms_set s;
	open_set("2025", &s);
	struct form_data d;
	form_data_init(&d);
	fill(&d);
	struct buf out = BUF_INIT(32u << 20);
	struct err e;
	assert_int_equal(
	        forms_render(&s, FK_RECEIPT, &d, FONT, FONT_BOLD, INT64_C(1756260300), &out, &e),
	        ERR_OK);
	char *text = malloc(65536);
	assert_non_null(text);
	text_of(&out, text, 65536);
	assert_non_null(strstr(text, "Mã hồ sơ: 000.01.CN.H26-250827-0001"));
	assert_non_null(strstr(text, "Nguyễn Văn Đức"));
	assert_non_null(strstr(text, "Mẫu số 01"));
	assert_non_null(strstr(text, "7K3M-9QXD-2HPA"));
	assert_null(strstr(text, "{")); /* no placeholder left */
	assert_null(strstr(text, "Email:"));
	assert_null(strstr(text, "Số điện thoại:"));
	/* with a phone number the line appears */
	form_set(&d, FF_applicant_phone, "0912345678");
	assert_int_equal(
	        forms_render(&s, FK_RECEIPT, &d, FONT, FONT_BOLD, INT64_C(1756260300), &out, &e),
	        ERR_OK);
	text_of(&out, text, 65536);
	assert_non_null(strstr(text, "Số điện thoại: 0912345678"));
	free(text);
	buf_release(&out);
	form_data_release(&d);
	forms_set_release(&s);
}

static void test_render_failures(void **state)
{
	(void)state;
	struct forms_set s;
	open_set("2018", &s);
	struct form_data d;
	form_data_init(&d);
	struct buf out = BUF_INIT(32u << 20);
	struct err e;
	assert_int_equal(forms_render(&s, FK_STOP, &d, FONT, FONT_BOLD, 0, &out, &e),
	                 ERR_NOT_FOUND);
	assert_non_null(strstr(e.detail, "2018"));
	assert_int_equal(
	        forms_render(&s, FK_RECEIPT, &d, "/nonexistent.ttf", FONT_BOLD, 0, &out, &e),
	        ERR_IO);
	d.oom = true;
	assert_int_equal(forms_render(&s, FK_RECEIPT, &d, FONT, FONT_BOLD, 0, &out, &e),
	                 ERR_NO_MEMORY);
	buf_release(&out);
	form_data_release(&d);
	forms_set_release(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_builtin_sets),    cmocka_unit_test(test_kind_names),
	        cmocka_unit_test(test_formats),         cmocka_unit_test(test_values),
	        cmocka_unit_test(test_row_limit),       cmocka_unit_test(test_checks),
	        cmocka_unit_test(test_set_checks),      cmocka_unit_test(test_open_dir),
	        cmocka_unit_test(test_render_all),      cmocka_unit_test(test_render_text),
	        cmocka_unit_test(test_render_failures),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
