/*
 * Unit tests for doc/report_xlsx: a hand-built report written as a workbook,
 * then opened as what it is -- a zip of XML parts (ECMA-376 Part 1: the
 * sheets in xl/workbook.xml, cells in xl/worksheets/sheetN.xml, texts in
 * xl/sharedStrings.xml, number formats in xl/styles.xml) -- with python3's
 * zipfile and ElementTree, to check that every cell holds the value written
 * at the place report_xlsx.h promises. Excel date serials count days from
 * 1899-12-30 (serial 25569 = 1970-01-01), so 2025-08-27 09:00 Vietnam time
 * (epoch 1756260000, UTC+7) is 45896.375.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/vntime.h"
#include "doc/report_xlsx.h"
#include "service/reports.h"

static const char dump_py[] =
        "import sys, zipfile, xml.etree.ElementTree as ET\n"
        "M = '{http://schemas.openxmlformats.org/spreadsheetml/2006/main}'\n"
        "z = zipfile.ZipFile(sys.argv[1])\n"
        "ss = []\n"
        "if 'xl/sharedStrings.xml' in z.namelist():\n"
        "    for si in ET.fromstring(z.read('xl/sharedStrings.xml')).iter(M + 'si'):\n"
        "        ss.append(''.join(t.text or '' for t in si.iter(M + 't')))\n"
        "for s in ET.fromstring(z.read('xl/workbook.xml')).iter(M + 'sheet'):\n"
        "    print('SHEET\\t' + s.get('name'))\n"
        "sh = ET.fromstring(z.read('xl/worksheets/sheet%s.xml' % sys.argv[2]))\n"
        "for c in sh.iter(M + 'c'):\n"
        "    v = c.find(M + 'v')\n"
        "    if v is None:\n"
        "        continue\n"
        "    val = ss[int(v.text)] if c.get('t') == 's' else v.text\n"
        "    print(c.get('r') + '\\t' + val.replace('\\n', '|'))\n"
        "for p in sh.iter(M + 'pane'):\n"
        "    print('PANE\\t' + p.get('topLeftCell', ''))\n"
        "for m in sh.iter(M + 'mergeCell'):\n"
        "    print('MERGE\\t' + m.get('ref'))\n"
        "for f in sh.iter(M + 'autoFilter'):\n"
        "    print('FILTER\\t' + f.get('ref'))\n"
        "for f in ET.fromstring(z.read('xl/styles.xml')).iter(M + 'numFmt'):\n"
        "    print('NUMFMT\\t' + f.get('formatCode'))\n";

struct dump {
	char text[65536];
};

/* Runs the dumper on sheet n of the file at path. */
static void dump_sheet(const char *path, int n, struct dump *d)
{
	char script[] = "/tmp/motcua-xlsx-dump-XXXXXX";
	int fd = mkstemp(script);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, dump_py, sizeof dump_py - 1), (ssize_t)(sizeof dump_py - 1));
	close(fd);
	char cmd[1024];
	snprintf(cmd, sizeof cmd, "python3 %s %s %d", script, path, n);
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	size_t len = fread(d->text, 1, sizeof d->text - 1, p);
	d->text[len] = '\0';
	assert_int_equal(pclose(p), 0);
	unlink(script);
}

/* The value of a line "KEY\tvalue" of the dump (NULL when absent), copied into out. */
static const char *get(const struct dump *d, const char *key, char *out, size_t size)
{
	size_t k = strlen(key);
	for (const char *l = d->text; *l;) {
		const char *end = strchr(l, '\n');
		size_t n = end ? (size_t)(end - l) : strlen(l);
		if (n > k && strncmp(l, key, k) == 0 && l[k] == '\t') {
			snprintf(out, size, "%.*s", (int)(n - k - 1), l + k + 1);
			return out;
		}
		l += n + (end ? 1 : 0);
	}
	return NULL;
}

static void expect_text(const struct dump *d, const char *ref, const char *want)
{
	char v[1024];
	const char *got = get(d, ref, v, sizeof v);
	if (!got)
		fail_msg("cell %s is missing", ref);
	assert_string_equal(got, want);
}

static void expect_num(const struct dump *d, const char *ref, double want)
{
	char v[128];
	const char *got = get(d, ref, v, sizeof v);
	if (!got)
		fail_msg("cell %s is missing", ref);
	double x = strtod(got, NULL);
	if (fabs(x - want) > 1e-9)
		fail_msg("cell %s holds %s, not %.9g", ref, got, want);
}

static const struct report_column cols[] = {
        {"name", "Tên đơn vị", "Unit", REPORT_TEXT, 30},
        {"n", "Số hồ sơ", "Dossiers", REPORT_INTEGER, 10},
        {"rate", "Tỷ lệ", "Rate", REPORT_PERCENT, 10},
        {"at", "Thời điểm", "At", REPORT_DATETIME, 16},
        {"delay", "Trễ (giờ làm việc)", "Delay (working hours)", REPORT_DURATION, 10},
};
#define NCOLS (sizeof cols / sizeof cols[0])

static void sample(struct report *r)
{
	report_init(r, REPORT_PERIOD);
	r->from_day = vntime_days_from_civil(2025, 8, 1);
	r->to_day = vntime_days_from_civil(2025, 8, 31);
	r->generated_at = 1756260000;
	r->as_of = 1756260000;
	struct report_section *s =
	        report_section_add(r, "agency", "Theo cơ quan", "By agency", cols, NCOLS);
	struct report_row *row = report_row_add(s, NULL);
	assert_int_equal(report_set_text(row, 0, "Phường Hoàn Kiếm", "Hoan Kiem Ward"), 0);
	report_set_int(row, 1, 1234567);
	report_set_pct(row, 2, 0.9234);
	report_set_time(row, 3, 1756260000);
	report_set_duration(row, 4, 5400);
	row = report_row_add(s, NULL);
	assert_int_equal(report_set_text(row, 0, "<Sở> & \"Tư pháp\"", NULL), 0);
	report_set_int(row, 1, 3);
	struct report_row *t = report_total(s);
	assert_int_equal(report_set_text(t, 0, "Tổng cộng", "Total"), 0);
	report_set_int(t, 1, 1234570);
	report_set_pct(t, 2, 0.5);
	struct report_section *s2 =
	        report_section_add(r, "procedure", "Theo thủ tục: [A/B]", "By procedure", cols, 2);
	row = report_row_add(s2, NULL);
	assert_int_equal(report_set_text(row, 0, "Đăng ký khai sinh", "Birth registration"), 0);
	report_set_int(row, 1, 42);
}

static void write_tmp(const struct report *r, enum err_lang lang, char path[64])
{
	snprintf(path, 64, "/tmp/motcua-test-xlsx-XXXXXX");
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	struct err e = {0};
	assert_int_equal(report_xlsx_write(r, lang, path, &e), ERR_OK);
}

/* A new dump of sheet n of the file at path (the caller frees it). */
static struct dump *dump_new(const char *path, int n)
{
	struct dump *d = malloc(sizeof *d);
	assert_non_null(d);
	dump_sheet(path, n, d);
	return d;
}

/* Writes r in lang to a temporary file (its path in path) and dumps its sheet 1. */
static struct dump *write_dump(const struct report *r, enum err_lang lang, char path[64])
{
	write_tmp(r, lang, path);
	return dump_new(path, 1);
}

/* Frees the dump, removes the file and releases the report. */
static void done(struct dump *d, const char *path, struct report *r)
{
	free(d);
	unlink(path);
	report_release(r);
}

static void test_cells(void **state)
{
	(void)state;
	struct report r;
	sample(&r);
	char path[64];
	struct dump *d = write_dump(&r, ERR_LANG_VI, path);
	char v[256];
	/* sheets named by the captions ([]/ are not allowed in sheet names) */
	assert_non_null(strstr(d->text, "SHEET\tTheo cơ quan\n"));
	assert_non_null(strstr(d->text, "SHEET\tTheo thủ tục_ _A_B_\n"));
	/* the title, merged over the columns; the period; the caption */
	expect_text(d, "A1", "Báo cáo tình hình tiếp nhận và giải quyết hồ sơ thủ tục hành chính");
	assert_non_null(strstr(d->text, "MERGE\tA1:E1\n"));
	expect_text(d, "A2", "Kỳ báo cáo: từ ngày 01/08/2025 đến ngày 31/08/2025");
	expect_text(d, "A3",
	            "Số hồ sơ đang giải quyết tính đến 27/08/2025 09:00; lập lúc "
	            "27/08/2025 09:00");
	expect_text(d, "A4", "Theo cơ quan");
	/* headers on row 5 (REPORT_XLSX_HEADER_ROW 4) */
	expect_text(d, "A5", "Tên đơn vị");
	expect_text(d, "B5", "Số hồ sơ");
	expect_text(d, "C5", "Tỷ lệ");
	expect_text(d, "D5", "Thời điểm");
	expect_text(d, "E5", "Trễ (giờ làm việc)");
	/* data from row 6: typed numbers */
	expect_text(d, "A6", "Phường Hoàn Kiếm");
	expect_num(d, "B6", 1234567);
	expect_num(d, "C6", 0.9234);
	expect_num(d, "D6", 45896.375);
	expect_num(d, "E6", 1.5);
	expect_text(d, "A7", "<Sở> & \"Tư pháp\"");
	expect_num(d, "B7", 3);
	assert_null(get(d, "C7", v, sizeof v)); /* empty cells hold no value */
	/* the total row follows */
	expect_text(d, "A8", "Tổng cộng");
	expect_num(d, "B8", 1234570);
	expect_num(d, "C8", 0.5);
	assert_null(get(d, "A9", v, sizeof v));
	/* frozen under the header, filter over the table, number formats */
	assert_non_null(strstr(d->text, "PANE\tB6\n"));
	assert_non_null(strstr(d->text, "FILTER\tA5:E8\n"));
	assert_non_null(strstr(d->text, "NUMFMT\t0.0%\n"));
	assert_non_null(strstr(d->text, "NUMFMT\tdd/mm/yyyy hh:mm\n"));
	assert_non_null(strstr(d->text, "NUMFMT\t#,##0\n"));
	/* the second sheet */
	dump_sheet(path, 2, d);
	expect_text(d, "A4", "Theo thủ tục: [A/B]");
	expect_text(d, "A6", "Đăng ký khai sinh");
	expect_num(d, "B6", 42);
	assert_null(get(d, "A7", v, sizeof v)); /* no total row */
	done(d, path, &r);
}

static void test_english(void **state)
{
	(void)state;
	struct report r;
	sample(&r);
	char path[64];
	struct dump *d = write_dump(&r, ERR_LANG_EN, path);
	assert_non_null(strstr(d->text, "SHEET\tBy agency\n"));
	expect_text(d, "A1", "Report on the reception and resolution of administrative dossiers");
	expect_text(d, "A2", "Period: 01/08/2025 to 31/08/2025");
	expect_text(d, "A5", "Unit");
	expect_text(d, "A6", "Hoan Kiem Ward");
	expect_text(d, "A7", "<Sở> & \"Tư pháp\""); /* no English variant: as written */
	expect_text(d, "A8", "Total");
	done(d, path, &r);
}

/* The in-memory variant gives the same kind of file: a zip ("PK\3\4"). */
static void test_bytes(void **state)
{
	(void)state;
	struct report r;
	sample(&r);
	char *data;
	size_t len;
	struct err e = {0};
	assert_int_equal(report_xlsx_bytes(&r, ERR_LANG_VI, &data, &len, &e), ERR_OK);
	assert_true(len > 1000);
	assert_memory_equal(data, "PK\3\4", 4);
	char path[] = "/tmp/motcua-test-xlsx-b-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	close(fd);
	free(data);
	struct dump *d = dump_new(path, 1);
	expect_num(d, "B6", 1234567);
	done(d, path, &r);
}

/* A path that cannot be written: ERR_IO, nothing left behind. */
static void test_unwritable(void **state)
{
	(void)state;
	struct report r;
	sample(&r);
	struct err e = {0};
	assert_int_equal(report_xlsx_write(&r, ERR_LANG_VI, "/nonexistent-dir/x.xlsx", &e), ERR_IO);
	assert_int_equal(access("/nonexistent-dir/x.xlsx", F_OK), -1);
	report_release(&r);
}

/* A report without sections still makes a valid workbook (one empty sheet). */
static void test_empty(void **state)
{
	(void)state;
	struct report r;
	report_init(&r, REPORT_LATE);
	char path[64];
	struct dump *d = write_dump(&r, ERR_LANG_VI, path);
	assert_non_null(strstr(d->text, "SHEET\tSheet1\n"));
	done(d, path, &r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_cells), cmocka_unit_test(test_english),
	        cmocka_unit_test(test_bytes), cmocka_unit_test(test_unwritable),
	        cmocka_unit_test(test_empty),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
