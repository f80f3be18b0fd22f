/*
 * Unit tests for doc/pdf: documents with the embedded TrueType font
 * (DejaVu Sans of fonts-dejavu-core), wrapping, tables across pages, QR
 * squares, and the failure paths.
 *
 * Two checks read the PDF back with poppler (scripts/install-deps installs
 * poppler-utils): pdftotext must give back "Nguyễn Văn Đức" exactly (the
 * ToUnicode map of the CID font), and a letter with two marks ("ễ") must be
 * drawn with its marks -- rasterised by pdftoppm it covers more pixels than
 * the bare "e" (libhpdf 2.3 alone embeds the glyph without the components of
 * its composite parts; pdf.c completes the subset). Vietnamese letters are
 * Unicode NFC code points (TCVN 6909:2001 / Unicode 15, Latin Extended
 * Additional: U+1EC5 is ễ).
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

#include "doc/pdf.h"

#define FONT      "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
#define FONT_BOLD "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"

struct tmp {
	char dir[64];
};

static int setup(void **state)
{
	struct tmp *t = calloc(1, sizeof *t);
	if (!t)
		return -1;
	snprintf(t->dir, sizeof t->dir, "/tmp/motcua-test-pdf-XXXXXX");
	if (!mkdtemp(t->dir))
		return -1;
	*state = t;
	return 0;
}

static int teardown(void **state)
{
	struct tmp *t = *state;
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", t->dir);
	if (system(cmd) != 0)
		return -1;
	free(t);
	return 0;
}

static bool have(const char *tool)
{
	char cmd[128];
	snprintf(cmd, sizeof cmd, "command -v %s >/dev/null 2>&1", tool);
	return system(cmd) == 0;
}

/* A one-page document with text at size, its bytes into out. */
static void one_page(const char *text, float size, struct buf *out)
{
	struct pdf *p;
	struct err e;
	err_clear(&e);
	assert_int_equal(pdf_new(FONT, FONT_BOLD, &p, &e), ERR_OK);
	assert_int_equal(pdf_add_page(p, false, &e), ERR_OK);
	assert_int_equal(pdf_paragraph(p, pdf_left(p), pdf_right(p) - pdf_left(p), PDF_REGULAR,
	                               size, PDF_LEFT, text, &e),
	                 ERR_OK);
	assert_int_equal(pdf_finish(p, NULL, NULL, out, &e), ERR_OK);
	pdf_free(p);
}

static void write_file(const char *path, const struct buf *b)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(b->data, 1, b->len, f), b->len);
	fclose(f);
}

static bool contains(const struct buf *b, const char *s)
{
	size_t n = strlen(s);
	for (size_t i = 0; i + n <= b->len; i++)
		if (memcmp(b->data + i, s, n) == 0)
			return true;
	return false;
}

static size_t count(const struct buf *b, const char *s)
{
	size_t n = strlen(s), c = 0;
	for (size_t i = 0; i + n <= b->len; i++)
		if (memcmp(b->data + i, s, n) == 0)
			c++;
	return c;
}

static void test_document(void **state)
{
	(void)state;
	struct buf b = BUF_INIT(PDF_MAX_BYTES);
	one_page("Nguyễn Văn Đức", 12, &b);
	assert_true(b.len > 1000);
	assert_memory_equal(b.data, "%PDF-1.", 7);
	assert_memory_equal(b.data + b.len - 6, "%%EOF\n", 6);
	assert_true(contains(&b, "/FontFile2"));  /* the TrueType program is embedded */
	assert_true(contains(&b, "/Identity-H")); /* CID font with 2-byte glyph codes */
	assert_true(contains(&b, "/ToUnicode"));  /* so the text can be extracted */
	assert_int_equal(count(&b, "/Type /Page\n") + count(&b, "/Type /Page\r"), 1);
	buf_release(&b);
}

/* pdftotext gives the Vietnamese text back exactly. */
static void test_text_extraction(void **state)
{
	struct tmp *t = *state;
	if (!have("pdftotext"))
		skip();
	struct buf b = BUF_INIT(PDF_MAX_BYTES);
	one_page("Nguyễn Văn Đức, Đặng Thị Ngọc Ánh: ấầẩẫậ ếềểễệ ốồổỗộ ớờởỡợ ứừửữự ỳỵỷỹ", 11, &b);
	char pdf[128], cmd[512], line[512];
	snprintf(pdf, sizeof pdf, "%s/t.pdf", t->dir);
	write_file(pdf, &b);
	snprintf(cmd, sizeof cmd, "pdftotext -enc UTF-8 '%s' - 2>/dev/null", pdf);
	FILE *f = popen(cmd, "r");
	assert_non_null(f);
	assert_non_null(fgets(line, sizeof line, f));
	pclose(f);
	line[strcspn(line, "\n")] = '\0';
	assert_string_equal(
	        line, "Nguyễn Văn Đức, Đặng Thị Ngọc Ánh: ấầẩẫậ ếềểễệ ốồổỗộ ớờởỡợ ứừửữự ỳỵỷỹ");
	buf_release(&b);
}

/* Dark pixels of a page rendered by pdftoppm as 8-bit grey (PGM). */
static long dark_pixels(const char *dir, const char *text)
{
	struct buf b = BUF_INIT(PDF_MAX_BYTES);
	one_page(text, 120, &b);
	char pdf[128], base[128], pgm[160], cmd[512];
	snprintf(pdf, sizeof pdf, "%s/g.pdf", dir);
	snprintf(base, sizeof base, "%s/g", dir);
	snprintf(pgm, sizeof pgm, "%s/g.pgm", dir);
	write_file(pdf, &b);
	buf_release(&b);
	snprintf(cmd, sizeof cmd, "pdftoppm -r 36 -gray -singlefile '%s' '%s' 2>/dev/null", pdf,
	         base);
	assert_int_equal(system(cmd), 0);
	FILE *f = fopen(pgm, "rb");
	assert_non_null(f);
	int w = 0, h = 0, max = 0;
	assert_int_equal(fscanf(f, "P5 %d %d %d", &w, &h, &max), 3);
	fgetc(f);
	long dark = 0;
	for (long i = 0; i < (long)w * h; i++) {
		int c = fgetc(f);
		assert_true(c != EOF);
		if (c < 128)
			dark++;
	}
	fclose(f);
	return dark;
}

/* "ễ" (a composite of composites in DejaVu) keeps its marks. */
static void test_marks_drawn(void **state)
{
	struct tmp *t = *state;
	if (!have("pdftoppm"))
		skip();
	long e = dark_pixels(t->dir, "e");
	long e_marks = dark_pixels(t->dir, "ễ");
	long o_marks = dark_pixels(t->dir, "ộ");
	assert_true(e > 50);
	assert_true(e_marks > e + e / 10);
	assert_true(o_marks > dark_pixels(t->dir, "o"));
}

static void test_wrapping(void **state)
{
	(void)state;
	struct pdf *p;
	struct err e;
	assert_int_equal(pdf_new(FONT, FONT_BOLD, &p, &e), ERR_OK);
	assert_int_equal(pdf_line_count(p, PDF_REGULAR, 10, "", 100), 1);
	assert_int_equal(pdf_line_count(p, PDF_REGULAR, 10, "một hai", 500), 1);
	assert_int_equal(pdf_line_count(p, PDF_REGULAR, 10, "một\nhai", 500), 2);
	assert_int_equal(pdf_line_count(p, PDF_REGULAR, 10, "một\n\nhai", 500), 3);
	/* each word about 30 points wide at 10 points: 3 per line of 100 points */
	size_t n = pdf_line_count(p, PDF_REGULAR, 10,
	                          "Tiếp nhận hồ sơ của ông bà tại chi nhánh số một Hà Nội", 100);
	assert_true(n >= 4 && n <= 6);
	/* a word wider than the box is broken between letters, none lost */
	assert_true(pdf_line_count(p, PDF_REGULAR, 10, "000.01.CN.H26-261127-0001", 40) >= 3);
	/* bold is wider; longer is wider */
	float r = pdf_text_width(p, PDF_REGULAR, 10, "Đức"),
	      b = pdf_text_width(p, PDF_BOLD, 10, "Đức");
	assert_true(r > 10 && b > r);
	assert_true(pdf_text_width(p, PDF_REGULAR, 10, "Đức Đức") > 2 * r);
	/* bytes that are not UTF-8 are drawn as '?', not trusted */
	assert_true(pdf_text_width(p, PDF_REGULAR, 10, "\xff\xfe") > 0);
	assert_int_equal(pdf_line_count(p, PDF_REGULAR, 10, "a\xc3", 100), 1);
	pdf_free(p);
}

/* A long table goes over pages and repeats its header. */
static void test_table_pages(void **state)
{
	(void)state;
	struct pdf *p;
	struct err e;
	assert_int_equal(pdf_new(FONT, FONT_BOLD, &p, &e), ERR_OK);
	assert_int_equal(pdf_add_page(p, true, &e), ERR_OK);
	struct pdf_column cols[3] = {
	        {"TT", 40, PDF_CENTER}, {"Tên giấy tờ", 400, PDF_LEFT}, {"Ghi chú", 200, PDF_LEFT}};
	struct pdf_table t = {cols, 3, 9, pdf_left(p)};
	assert_int_equal(pdf_table_header(p, &t, &e), ERR_OK);
	for (int i = 0; i < 120; i++) {
		char no[16];
		snprintf(no, sizeof no, "%d", i + 1);
		const char *cells[3] = {no, "Tờ khai đăng ký khai sinh theo mẫu", NULL};
		assert_int_equal(pdf_table_row(p, &t, cells, &e), ERR_OK);
	}
	struct qr_code q;
	assert_int_equal(qr_encode("https://example.vn/lookup?code=X", &q, &e), ERR_OK);
	pdf_qr(p, pdf_left(p), pdf_y(p), 80, &q);
	qr_release(&q);
	struct buf b = BUF_INIT(PDF_MAX_BYTES);
	assert_int_equal(pdf_finish(p, "Mã xác thực 7K3M-9QXD-2HPA", "Trang", &b, &e), ERR_OK);
	size_t pages = count(&b, "/Type /Page\n") + count(&b, "/Type /Page\r");
	assert_true(pages >= 4); /* about 35 rows of 14 points per landscape page */
	assert_true(contains(&b, "/MediaBox [ 0 0 841.8"));
	pdf_free(p);
	buf_release(&b);
	/* 17 columns are refused */
	assert_int_equal(pdf_new(FONT, FONT_BOLD, &p, &e), ERR_OK);
	struct pdf_column many[PDF_MAX_COLUMNS + 1];
	for (int i = 0; i <= PDF_MAX_COLUMNS; i++)
		many[i] = (struct pdf_column){"x", 10, PDF_LEFT};
	struct pdf_table tm = {many, PDF_MAX_COLUMNS + 1, 9, 50};
	assert_int_equal(pdf_table_header(p, &tm, &e), ERR_INVALID_ARGUMENT);
	pdf_free(p);
}

static void test_failures(void **state)
{
	(void)state;
	struct pdf *p = NULL;
	struct err e;
	err_clear(&e);
	assert_int_equal(pdf_new("/nonexistent/font.ttf", FONT_BOLD, &p, &e), ERR_IO);
	assert_null(p);
	assert_non_null(strstr(e.detail, "/nonexistent/font.ttf"));
	assert_int_equal(pdf_new(FONT, "", &p, &e), ERR_IO);
	/* a readable file that is not a TrueType font */
	assert_int_equal(pdf_new(SOURCE_DIR "/meson.build", FONT_BOLD, &p, &e), ERR_IO);
	assert_null(p);
	pdf_free(NULL);
	/* a document larger than the buffer allows */
	assert_int_equal(pdf_new(FONT, FONT_BOLD, &p, &e), ERR_OK);
	struct buf small = BUF_INIT(1000);
	assert_int_equal(pdf_finish(p, NULL, NULL, &small, &e), ERR_TOO_LONG);
	assert_int_equal(small.len, 0);
	pdf_free(p);
	buf_release(&small);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_document),    cmocka_unit_test(test_text_extraction),
	        cmocka_unit_test(test_marks_drawn), cmocka_unit_test(test_wrapping),
	        cmocka_unit_test(test_table_pages), cmocka_unit_test(test_failures),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
