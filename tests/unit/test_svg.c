/*
 * Unit tests for web/svg: round axis scales, cutting labels at code points,
 * escaping of labels and value texts, empty data, the axis of columns and
 * lines, bar geometry, and the data table next to a chart.
 *
 * Expected values: the rules of svg.h (steps of 1, 2 or 5 times a power of
 * ten, at most SVG_MAX_TICKS intervals; labels cut after SVG_LABEL_CHARS
 * code points with U+2026), the HTML escapes of web/html.h, and the
 * accessibility pattern of an SVG image (role="img", <title> referenced by
 * aria-labelledby; WAI-ARIA Authoring Practices, "img role").
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web/svg.h"

/* The text written by fn into a fresh builder (static: one at a time). */
static const char *render(void (*fn)(struct html *, const struct svg_chart *,
                                     const struct svg_item *, size_t),
                          const struct svg_chart *c, const struct svg_item *items, size_t n)
{
	static char out[256 * 1024];
	struct html h;
	html_init(&h, sizeof out - 1);
	fn(&h, c, items, n);
	assert_false(h.failed);
	size_t len;
	const char *s = html_str(&h, &len);
	memcpy(out, s, len + 1);
	html_release(&h);
	return out;
}

static int count_of(const char *hay, const char *needle)
{
	int n = 0;
	for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
		n++;
	return n;
}

static void test_scale(void **state)
{
	(void)state;
	struct svg_scale s;
	/* no data: one interval up to 1 */
	svg_scale(0, 5, &s);
	assert_int_equal(s.max, 1);
	assert_int_equal(s.step, 1);
	assert_int_equal(s.ticks, 1);
	svg_scale(-7, 5, &s);
	assert_int_equal(s.max, 1);
	/* small counts: steps of 1 */
	svg_scale(1, 5, &s);
	assert_int_equal(s.max, 1);
	assert_int_equal(s.ticks, 1);
	svg_scale(5, 5, &s);
	assert_int_equal(s.step, 1);
	assert_int_equal(s.max, 5);
	/* 7 / 5 intervals needs steps of 2: 0 2 4 6 8 */
	svg_scale(7, 5, &s);
	assert_int_equal(s.step, 2);
	assert_int_equal(s.max, 8);
	assert_int_equal(s.ticks, 4);
	svg_scale(10, 5, &s);
	assert_int_equal(s.step, 2);
	assert_int_equal(s.max, 10);
	/* 11: steps of 5 up to 15 */
	svg_scale(11, 5, &s);
	assert_int_equal(s.step, 5);
	assert_int_equal(s.max, 15);
	assert_int_equal(s.ticks, 3);
	svg_scale(99, 5, &s);
	assert_int_equal(s.step, 20);
	assert_int_equal(s.max, 100);
	svg_scale(100, 5, &s);
	assert_int_equal(s.step, 20);
	assert_int_equal(s.max, 100);
	svg_scale(101, 5, &s);
	assert_int_equal(s.step, 50);
	assert_int_equal(s.max, 150);
	svg_scale(12345, 5, &s);
	assert_int_equal(s.step, 5000);
	assert_int_equal(s.max, 15000);
	/* every scale covers its value within max_ticks intervals */
	for (int64_t v = 1; v < 3000; v += 7) {
		svg_scale(v, 5, &s);
		assert_true(s.max >= v);
		assert_true(s.ticks >= 1 && s.ticks <= 5);
		assert_int_equal(s.max, s.step * s.ticks);
		assert_true(s.max - s.step < v); /* the smallest such multiple */
	}
	/* huge values are capped, without overflow */
	svg_scale(INT64_MAX, 5, &s);
	assert_true(s.max >= INT64_C(1000000000000000));
	assert_true(s.ticks <= 5);
	/* a bad tick count falls back to SVG_MAX_TICKS */
	svg_scale(7, 0, &s);
	assert_int_equal(s.step, 2);
	svg_scale(7, 1, &s);
	assert_int_equal(s.step, 10);
	assert_int_equal(s.ticks, 1);
}

static void test_label_cut(void **state)
{
	(void)state;
	char out[64];
	/* short labels stay whole */
	assert_int_equal(svg_label_cut("Sở Tư pháp", 30, out, sizeof out), strlen("Sở Tư pháp"));
	assert_string_equal(out, "Sở Tư pháp");
	/* cut after 6 code points, not bytes: "Hoàn K" + "…" */
	svg_label_cut("Hoàn Kiếm", 6, out, sizeof out);
	assert_string_equal(out, "Hoàn K\xe2\x80\xa6");
	/* a space before the cut is dropped: "Hoàn…" */
	svg_label_cut("Hoàn Kiếm", 5, out, sizeof out);
	assert_string_equal(out, "Hoàn\xe2\x80\xa6");
	/* exactly max code points: no ellipsis */
	svg_label_cut("Hoàn", 4, out, sizeof out);
	assert_string_equal(out, "Hoàn");
	/* a small buffer never splits a sequence: "ấ" is 3 bytes; 6 bytes hold the NUL and
	 * either one "ấ" or the ellipsis, and the ellipsis wins */
	char small[6];
	assert_int_equal(svg_label_cut("ấấấấ", 10, small, sizeof small), 3);
	assert_string_equal(small, "\xe2\x80\xa6");
	char seven[8];
	svg_label_cut("ấấấấ", 10, seven, sizeof seven);
	assert_string_equal(seven, "ấ\xe2\x80\xa6");
	/* too small even for the ellipsis: nothing */
	char tiny[3];
	assert_int_equal(svg_label_cut("ấấấấ", 10, tiny, sizeof tiny), 0);
	assert_string_equal(tiny, "");
	/* NULL, an empty buffer */
	assert_int_equal(svg_label_cut(NULL, 5, out, sizeof out), 0);
	assert_string_equal(out, "");
	assert_int_equal(svg_label_cut("abc", 5, out, 0), 0);
	/* invalid bytes count one each and are left for the escaper */
	svg_label_cut("a\xff\xfe"
	              "b",
	              3, out, sizeof out);
	assert_string_equal(out, "a\xff\xfe\xe2\x80\xa6");
}

static void test_hbars_escape(void **state)
{
	(void)state;
	const struct svg_item items[] = {
	        {"<script>alert(1)</script>", 10, NULL},
	        {"\" onmouseover=\"x", 5, "50 & more"},
	        {"B & C", 0, NULL},
	};
	const struct svg_chart c = {.id = "ch1",
	                            .title = "Quá hạn <theo> cơ quan",
	                            .desc = "Số hồ sơ 'quá hạn'",
	                            .tone = SVG_TONE_BAD};
	const char *s = render(svg_hbars, &c, items, 3);
	/* the image: role, name, description */
	assert_non_null(strstr(s, "<svg id=\"ch1\" class=\"chart chart-hbars tone-bad\""));
	assert_non_null(strstr(s, "role=\"img\""));
	assert_non_null(strstr(s, "aria-labelledby=\"ch1-t ch1-d\""));
	assert_non_null(strstr(s, "<title id=\"ch1-t\">Quá hạn &lt;theo&gt; cơ quan</title>"));
	assert_non_null(strstr(s, "<desc id=\"ch1-d\">Số hồ sơ &#39;quá hạn&#39;</desc>"));
	/* labels and values are text */
	assert_null(strstr(s, "<script"));
	assert_non_null(strstr(s, "&lt;script&gt;alert(1)&lt;/script&gt;"));
	assert_null(strstr(s, "\" onmouseover"));
	assert_non_null(strstr(s, "&quot; onmouseover=&quot;x"));
	assert_non_null(strstr(s, "50 &amp; more"));
	assert_non_null(strstr(s, "B &amp; C"));
	/* no style attribute, no link inside the image */
	assert_null(strstr(s, "style="));
	assert_null(strstr(s, "<a "));
	/* three bars: the largest full width, half, and none; red marks */
	assert_int_equal(count_of(s, "<rect class=\"bar\""), 3);
	int full = SVG_WIDTH - 236 - 84;
	char want[64];
	snprintf(want, sizeof want, "width=\"%d\"", full);
	assert_non_null(strstr(s, want));
	snprintf(want, sizeof want, "width=\"%d\"", full / 2);
	assert_non_null(strstr(s, want));
	assert_non_null(strstr(s, "width=\"0\""));
	assert_non_null(strstr(s, "fill=\"#a1141a\""));
	assert_non_null(strstr(s, "</svg>"));
}

static void test_hbars_max_and_cut(void **state)
{
	(void)state;
	/* a fixed maximum (per mille): 500 is half of a full bar; values above are capped */
	const struct svg_item items[] = {
	        {"Ủy ban nhân dân phường Hoàn Kiếm thành phố Hà Nội", 500, "50,0 %"},
	        {"Sở", 2000, NULL},
	        {"Âm", -5, NULL},
	};
	const struct svg_chart c = {.id = "r", .title = "Tỉ lệ", .max = 1000};
	const char *s = render(svg_hbars, &c, items, 3);
	int full = SVG_WIDTH - 236 - 84;
	char want[64];
	snprintf(want, sizeof want, "width=\"%d\"", full / 2);
	assert_non_null(strstr(s, want));
	snprintf(want, sizeof want, "width=\"%d\"", full);
	assert_non_null(strstr(s, want)); /* 2000 of 1000: a full bar, not more */
	assert_non_null(strstr(s, "width=\"0\""));
	assert_non_null(strstr(s, "-5")); /* the value is still written as given */
	/* the long label is cut after SVG_LABEL_CHARS (28) code points with an ellipsis */
	assert_non_null(strstr(s, "Ủy ban nhân dân phường Hoàn\xe2\x80\xa6"));
	assert_null(strstr(s, "Hà Nội"));
	/* no desc: labelled by the title alone; the info tone */
	assert_non_null(strstr(s, "aria-labelledby=\"r-t\""));
	assert_null(strstr(s, "<desc"));
	assert_non_null(strstr(s, "fill=\"#0b4f9c\""));
}

static void test_empty(void **state)
{
	(void)state;
	const struct svg_chart c = {.id = "e", .title = "Trống", .empty = "Chưa có <số liệu>"};
	const char *shapes[] = {"chart-hbars", "chart-columns", "chart-line"};
	void (*fns[])(struct html *, const struct svg_chart *, const struct svg_item *,
	              size_t) = {svg_hbars, svg_columns, svg_line};
	for (int i = 0; i < 3; i++) {
		const char *s = render(fns[i], &c, NULL, 0);
		assert_non_null(strstr(s, shapes[i]));
		assert_non_null(strstr(s, "role=\"img\""));
		assert_non_null(strstr(s, "<title id=\"e-t\">Trống</title>"));
		assert_non_null(strstr(s, "Chưa có &lt;số liệu&gt;"));
		assert_null(strstr(s, "<rect"));
		assert_null(strstr(s, "<polyline"));
		assert_non_null(strstr(s, "</svg>"));
	}
}

static void test_columns_axis(void **state)
{
	(void)state;
	/* 31 days, the largest 7: axis 0 2 4 6 8; 16 labels at most under the columns */
	struct svg_item items[31];
	char labels[31][4];
	for (int i = 0; i < 31; i++) {
		snprintf(labels[i], sizeof labels[i], "%d", i + 1);
		items[i] = (struct svg_item){labels[i], i == 26 ? 7 : i % 3, NULL};
	}
	const struct svg_chart c = {.id = "d", .title = "Theo ngày"};
	const char *s = render(svg_columns, &c, items, 31);
	assert_int_equal(count_of(s, "<rect class=\"bar\""), 31);
	assert_int_equal(count_of(s, "class=\"grid\""), 4);
	assert_int_equal(count_of(s, "class=\"base\""), 1);
	for (int t = 0; t <= 8; t += 2) {
		char tick[48];
		snprintf(tick, sizeof tick, "fill=\"#4a5360\">%d</text>", t);
		assert_non_null(strstr(s, tick));
	}
	assert_null(strstr(s, ">10</text>"));
	/* the tallest column reaches the top of the plot: height SVG_PLOT_HEIGHT * 7 / 8 */
	char want[48];
	snprintf(want, sizeof want, "height=\"%d\"", (SVG_PLOT_HEIGHT * 7 + 4) / 8);
	assert_non_null(strstr(s, want));
	/* labels: every 2nd day (1, 3, ..., 31), the last one included */
	int shown = count_of(s, "text-anchor=\"middle\"");
	assert_true(shown <= SVG_MAX_X_LABELS);
	assert_int_equal(shown, 16);
	assert_non_null(strstr(s, ">31</text>"));
	assert_null(strstr(s, ">30</text>"));
	/* 28 days: every 2nd (1, ..., 25) and the last (28), not 27 next to it */
	s = render(svg_columns, &c, items, 28);
	assert_non_null(strstr(s, ">25</text>"));
	assert_null(strstr(s, ">27</text>"));
	assert_non_null(strstr(s, ">28</text>"));
	assert_int_equal(count_of(s, "text-anchor=\"middle\""), 14);
	/* big numbers on the axis use '.' groups */
	struct svg_item big[2] = {{"1", 120000, NULL}, {"2", 3, NULL}};
	s = render(svg_columns, &c, big, 2);
	assert_non_null(strstr(s, ">150.000</text>"));
}

static void test_line(void **state)
{
	(void)state;
	const struct svg_item items[] = {{"1", 0, NULL}, {"2", 4, NULL}, {"3", 2, NULL}};
	const struct svg_chart c = {.id = "l", .title = "Đường", .tone = SVG_TONE_GOOD};
	const char *s = render(svg_line, &c, items, 3);
	assert_int_equal(count_of(s, "<polyline"), 1);
	assert_int_equal(count_of(s, "<circle"), 3);
	assert_non_null(strstr(s, "stroke=\"#17613a\""));
	/* axis 0..4 in steps of 1; the point of 4 at the top of the plot (y = 12), of 0 on the base
	 */
	assert_non_null(strstr(s, ">4</text>"));
	assert_non_null(strstr(s, "cy=\"12\""));
	char base[32];
	snprintf(base, sizeof base, "cy=\"%d\"", 12 + SVG_PLOT_HEIGHT);
	assert_non_null(strstr(s, base));
	/* one point: still a line of one point and an axis */
	s = render(svg_line, &c, items, 1);
	assert_int_equal(count_of(s, "<circle"), 1);
	/* more items than SVG_MAX_ITEMS are left out */
	struct svg_item *many = calloc(SVG_MAX_ITEMS + 10, sizeof *many);
	assert_non_null(many);
	for (int i = 0; i < SVG_MAX_ITEMS + 10; i++)
		many[i] = (struct svg_item){"x", 1, NULL};
	s = render(svg_line, &c, many, SVG_MAX_ITEMS + 10);
	assert_int_equal(count_of(s, "<circle"), SVG_MAX_ITEMS);
	free(many);
}

static void test_table(void **state)
{
	(void)state;
	const struct svg_item items[] = {{"Chi nhánh <A>", 1234, NULL}, {"B", 5, "5 %"}};
	const char *hrefs[] = {"/overview/list?metric=received&unit=CN01", NULL};
	struct html h;
	html_init(&h, 1 << 16);
	svg_table(&h, "Bảng số liệu", "Đơn vị", "Số hồ sơ", items, hrefs, 2, "data");
	const char *s = html_str(&h, NULL);
	assert_false(h.failed);
	assert_non_null(strstr(s, "<table class=\"data\"><caption>Bảng số liệu</caption>"));
	assert_non_null(strstr(s, "<th scope=\"col\">Đơn vị</th>"));
	assert_non_null(strstr(s, "<th scope=\"row\">Chi nhánh &lt;A&gt;</th>"));
	assert_non_null(
	        strstr(s, "<a href=\"/overview/list?metric=received&amp;unit=CN01\">1.234</a>"));
	assert_non_null(strstr(s, "<td class=\"num\">5 %</td>"));
	html_release(&h);
	/* a foreign link is refused by the builder */
	const char *bad[] = {"javascript:alert(1)", NULL};
	html_init(&h, 1 << 16);
	svg_table(&h, "x", "a", "b", items, bad, 2, NULL);
	assert_true(h.failed);
	html_release(&h);
	/* a chart that does not fit the builder marks it failed */
	html_init(&h, 100);
	const struct svg_chart c = {.id = "t", .title = "T"};
	svg_hbars(&h, &c, items, 2);
	assert_true(h.failed);
	html_release(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_scale),        cmocka_unit_test(test_label_cut),
	        cmocka_unit_test(test_hbars_escape), cmocka_unit_test(test_hbars_max_and_cut),
	        cmocka_unit_test(test_empty),        cmocka_unit_test(test_columns_axis),
	        cmocka_unit_test(test_line),         cmocka_unit_test(test_table),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
