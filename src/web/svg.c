/*
 * svg: server-drawn charts (see svg.h).
 *
 * Coordinates are computed in double and written as integers with
 * html_rawf() (numbers and literal class names only); every text that came
 * from the caller goes through html_text().
 */
#include "web/svg.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#define SCALE_CAP INT64_C(1000000000000000) /* 10^15 */

/* Layout of columns and lines. */
#define AXIS_LEFT   48 /* room for the tick labels */
#define AXIS_RIGHT  12
#define AXIS_TOP    12
#define AXIS_BOTTOM 28 /* room for the labels under the plot */

/* Layout of horizontal bars. */
#define BAR_LABEL_W 236 /* the label column */
#define BAR_VALUE_W 84  /* room for the value after the longest bar */
#define BAR_PAD     6

static const char *const tone_fill[] = {
        [SVG_TONE_INFO] = "#0b4f9c",
        [SVG_TONE_GOOD] = "#17613a",
        [SVG_TONE_BAD] = "#a1141a",
};
static const char *const tone_class[] = {
        [SVG_TONE_INFO] = "tone-info",
        [SVG_TONE_GOOD] = "tone-good",
        [SVG_TONE_BAD] = "tone-bad",
};
#define INK   "#1b1f24" /* 16:1 on white */
#define MUTED "#4a5360" /* 7.9:1 on white */
#define GRID  "#c9d1da"

static enum svg_tone tone_of(const struct svg_chart *c)
{
	return (unsigned)c->tone <= SVG_TONE_BAD ? c->tone : SVG_TONE_INFO;
}

void svg_scale(int64_t largest, int max_ticks, struct svg_scale *out)
{
	if (max_ticks < 1 || max_ticks > 20)
		max_ticks = SVG_MAX_TICKS;
	if (largest <= 0) {
		*out = (struct svg_scale){1, 1, 1};
		return;
	}
	if (largest > SCALE_CAP)
		largest = SCALE_CAP;
	/* the smallest step of 1, 2 or 5 x 10^k with step * max_ticks >= largest */
	int64_t raw = (largest + max_ticks - 1) / max_ticks;
	int64_t step = 0;
	for (int64_t mag = 1; step == 0; mag *= 10) {
		static const int64_t mult[] = {1, 2, 5};
		for (size_t i = 0; i < 3; i++) {
			if (mag * mult[i] >= raw) {
				step = mag * mult[i];
				break;
			}
		}
	}
	int64_t ticks = (largest + step - 1) / step;
	out->step = step;
	out->max = ticks * step;
	out->ticks = (int)ticks;
}

/* Length of the UTF-8 sequence at s, or 0 when it is not a valid one. */
static size_t seq_len(const unsigned char *s)
{
	unsigned c = s[0];
	size_t n;
	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		n = 2;
	else if (c >= 0xe0 && c <= 0xef)
		n = 3;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4;
	else
		return 0;
	for (size_t i = 1; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	return n;
}

size_t svg_label_cut(const char *s, size_t max_chars, char *out, size_t outsz)
{
	static const char ellipsis[] = "\xe2\x80\xa6"; /* U+2026 */
	if (outsz == 0)
		return 0;
	out[0] = '\0';
	if (!s)
		return 0;
	const unsigned char *p = (const unsigned char *)s;
	size_t pos = 0, chars = 0, len = strlen(s);
	while (pos < len && chars < max_chars) {
		size_t n = seq_len(p + pos);
		if (n == 0)
			n = 1;
		if (pos + n >= outsz)
			break;
		pos += n;
		chars++;
	}
	bool cut = pos < len;
	if (cut) {
		while (pos > 0 && s[pos - 1] == ' ')
			pos--; /* "Hoàn…", not "Hoàn …" */
		/* leave room for the ellipsis, dropping whole code points */
		while (pos > 0 && pos + sizeof ellipsis > outsz) {
			do {
				pos--;
			} while (pos > 0 && (p[pos] & 0xc0) == 0x80);
		}
		if (pos + sizeof ellipsis > outsz) {
			out[0] = '\0';
			return 0;
		}
	}
	memcpy(out, s, pos);
	if (cut) {
		memcpy(out + pos, ellipsis, sizeof ellipsis);
		return pos + sizeof ellipsis - 1;
	}
	out[pos] = '\0';
	return pos;
}

/* <svg ...><title/><desc/> with the chart's id, classes and viewBox. */
static void open_svg(struct html *h, const struct svg_chart *c, const char *shape, int height)
{
	char cls[64], labelled[160], tid[80], did[80];
	const char *id = c->id ? c->id : "chart";
	snprintf(cls, sizeof cls, "chart chart-%s %s", shape, tone_class[tone_of(c)]);
	snprintf(tid, sizeof tid, "%s-t", id);
	snprintf(did, sizeof did, "%s-d", id);
	snprintf(labelled, sizeof labelled, c->desc ? "%s %s" : "%s", tid, did);
	char vb[48];
	snprintf(vb, sizeof vb, "0 0 %d %d", SVG_WIDTH, height);
	html_open(h, "svg", "id", id, "class", cls, "viewBox", vb, "role", "img", "aria-labelledby",
	          labelled, "focusable", "false", "font-family", "sans-serif", "font-size", "13",
	          NULL);
	html_elem(h, "title", c->title ? c->title : "", "id", tid, NULL);
	if (c->desc)
		html_elem(h, "desc", c->desc, "id", did, NULL);
}

/* A chart without data: its frame and the empty text. */
static void draw_empty(struct html *h, const struct svg_chart *c, const char *shape)
{
	open_svg(h, c, shape, 60);
	html_rawf(h, "<text class=\"empty\" x=\"%d\" y=\"34\" text-anchor=\"middle\" fill=\"%s\">",
	          SVG_WIDTH / 2, MUTED);
	html_text(h, c->empty ? c->empty : "");
	html_raw(h, "</text></svg>");
}

static int64_t nonneg(int64_t v)
{
	return v < 0 ? 0 : v;
}

/* Writes the value of an item: its value_text, or the number with '.' groups. */
static void value_text(const struct svg_item *it, struct html *h)
{
	if (it->value_text)
		html_text(h, it->value_text);
	else
		html_int(h, it->value);
}

void svg_hbars(struct html *h, const struct svg_chart *c, const struct svg_item *items, size_t n)
{
	if (n > SVG_MAX_ITEMS)
		n = SVG_MAX_ITEMS;
	if (n == 0) {
		draw_empty(h, c, "hbars");
		return;
	}
	int64_t max = c->max;
	if (max <= 0) {
		for (size_t i = 0; i < n; i++)
			if (items[i].value > max)
				max = items[i].value;
		if (max <= 0)
			max = 1;
	}
	int height = (int)n * SVG_ROW_HEIGHT + 2 * BAR_PAD;
	const double plot = SVG_WIDTH - BAR_LABEL_W - BAR_VALUE_W;
	const char *fill = tone_fill[tone_of(c)];
	open_svg(h, c, "hbars", height);
	/* the baseline */
	html_rawf(h, "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\"/>",
	          BAR_LABEL_W, BAR_PAD / 2, BAR_LABEL_W, height - BAR_PAD / 2, MUTED);
	for (size_t i = 0; i < n; i++) {
		int64_t v = nonneg(items[i].value);
		double frac = v >= max ? 1.0 : (double)v / (double)max;
		int w = (int)(frac * plot + 0.5);
		if (w < 1 && v > 0)
			w = 1;
		int y = BAR_PAD + (int)i * SVG_ROW_HEIGHT;
		char label[SVG_LABEL_CHARS * 4 + 8];
		svg_label_cut(items[i].label, SVG_LABEL_CHARS, label, sizeof label);
		html_raw(h, "<g class=\"row\">");
		html_rawf(h,
		          "<text class=\"label\" x=\"%d\" y=\"%d\" text-anchor=\"end\" fill=\"" INK
		          "\">",
		          BAR_LABEL_W - 8, y + SVG_ROW_HEIGHT / 2 + 5);
		html_text(h, label);
		html_raw(h, "</text>");
		html_rawf(h,
		          "<rect class=\"bar\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" "
		          "fill=\"%s\"/>",
		          BAR_LABEL_W, y + 4, w, SVG_ROW_HEIGHT - 8, fill);
		html_rawf(h, "<text class=\"value\" x=\"%d\" y=\"%d\" fill=\"" INK "\">",
		          BAR_LABEL_W + w + 6, y + SVG_ROW_HEIGHT / 2 + 5);
		value_text(&items[i], h);
		html_raw(h, "</text></g>");
	}
	html_raw(h, "</svg>");
}

/* The plot frame of columns and lines: grid lines and tick labels of the scale. */
static void draw_axis(struct html *h, const struct svg_scale *s, int height)
{
	int bottom = height - AXIS_BOTTOM;
	html_raw(h, "<g class=\"axis\">");
	for (int t = 0; t <= s->ticks; t++) {
		int y = bottom - (int)((double)t / s->ticks * SVG_PLOT_HEIGHT + 0.5);
		html_rawf(h,
		          "<line class=\"%s\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" "
		          "stroke=\"%s\"/>",
		          t == 0 ? "base" : "grid", AXIS_LEFT, y, SVG_WIDTH - AXIS_RIGHT, y,
		          t == 0 ? MUTED : GRID);
		html_rawf(h,
		          "<text class=\"tick\" x=\"%d\" y=\"%d\" text-anchor=\"end\" fill=\"" MUTED
		          "\">",
		          AXIS_LEFT - 6, y + 4);
		html_int(h, s->step * t);
		html_raw(h, "</text>");
	}
	html_raw(h, "</g>");
}

/* Every k-th label under the plot and the last, at most SVG_MAX_X_LABELS of them. */
static void draw_x_labels(struct html *h, const struct svg_item *items, size_t n, double slot,
                          int height)
{
	size_t k = (n + SVG_MAX_X_LABELS - 1) / SVG_MAX_X_LABELS;
	if (k == 0)
		k = 1;
	html_raw(h, "<g class=\"x-labels\">");
	for (size_t i = 0; i < n; i++) {
		/* every k-th and the last; a k-th too close to the last gives way to it */
		if (i != n - 1 && (i % k != 0 || n - 1 - i < k))
			continue;
		char label[32];
		svg_label_cut(items[i].label, 6, label, sizeof label);
		int x = AXIS_LEFT + (int)(slot * ((double)i + 0.5) + 0.5);
		html_rawf(h,
		          "<text class=\"tick\" x=\"%d\" y=\"%d\" text-anchor=\"middle\" "
		          "fill=\"" MUTED "\">",
		          x, height - AXIS_BOTTOM + 18);
		html_text(h, label);
		html_raw(h, "</text>");
	}
	html_raw(h, "</g>");
}

/* Columns (line = false) or a line (line = true) over the axis. */
static void draw_series(struct html *h, const struct svg_chart *c, const struct svg_item *items,
                        size_t n, bool line)
{
	const char *shape = line ? "line" : "columns";
	if (n > SVG_MAX_ITEMS)
		n = SVG_MAX_ITEMS;
	if (n == 0) {
		draw_empty(h, c, shape);
		return;
	}
	int64_t largest = 0;
	for (size_t i = 0; i < n; i++)
		if (items[i].value > largest)
			largest = items[i].value;
	struct svg_scale s;
	svg_scale(largest, SVG_MAX_TICKS, &s);
	int height = AXIS_TOP + SVG_PLOT_HEIGHT + AXIS_BOTTOM;
	int bottom = height - AXIS_BOTTOM;
	double slot = (double)(SVG_WIDTH - AXIS_LEFT - AXIS_RIGHT) / (double)n;
	const char *fill = tone_fill[tone_of(c)];
	open_svg(h, c, shape, height);
	draw_axis(h, &s, height);
	if (line) {
		html_rawf(h,
		          "<polyline class=\"series\" fill=\"none\" stroke=\"%s\" "
		          "stroke-width=\"2\" points=\"",
		          fill);
	} else {
		html_raw(h, "<g class=\"series\">");
	}
	for (size_t i = 0; i < n; i++) {
		int64_t v = nonneg(items[i].value);
		double frac = v >= s.max ? 1.0 : (double)v / (double)s.max;
		int top = bottom - (int)(frac * SVG_PLOT_HEIGHT + 0.5);
		int x = AXIS_LEFT + (int)(slot * ((double)i + 0.5) + 0.5);
		if (line) {
			html_rawf(h, "%s%d,%d", i ? " " : "", x, top);
		} else {
			int w = (int)(slot * 0.7 + 0.5);
			if (w < 1)
				w = 1;
			html_rawf(
			        h,
			        "<rect class=\"bar\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" "
			        "fill=\"%s\"/>",
			        x - w / 2, top, w, bottom - top, fill);
		}
	}
	if (line) {
		html_raw(h, "\"/><g class=\"points\">");
		for (size_t i = 0; i < n; i++) {
			int64_t v = nonneg(items[i].value);
			double frac = v >= s.max ? 1.0 : (double)v / (double)s.max;
			int top = bottom - (int)(frac * SVG_PLOT_HEIGHT + 0.5);
			int x = AXIS_LEFT + (int)(slot * ((double)i + 0.5) + 0.5);
			html_rawf(h, "<circle cx=\"%d\" cy=\"%d\" r=\"3\" fill=\"%s\"/>", x, top,
			          fill);
		}
	}
	html_raw(h, "</g>");
	draw_x_labels(h, items, n, slot, height);
	html_raw(h, "</svg>");
}

void svg_columns(struct html *h, const struct svg_chart *c, const struct svg_item *items, size_t n)
{
	draw_series(h, c, items, n, false);
}

void svg_line(struct html *h, const struct svg_chart *c, const struct svg_item *items, size_t n)
{
	draw_series(h, c, items, n, true);
}

void svg_table(struct html *h, const char *caption, const char *label_head, const char *value_head,
               const struct svg_item *items, const char *const *hrefs, size_t n, const char *cls)
{
	html_raw(h, "<div class=\"table-wrap\">");
	html_open(h, "table", "class", cls, NULL);
	html_elem(h, "caption", caption, NULL);
	html_raw(h, "<thead><tr>");
	html_elem(h, "th", label_head, "scope", "col", NULL);
	html_elem(h, "th", value_head, "scope", "col", "class", "num", NULL);
	html_raw(h, "</tr></thead><tbody>");
	for (size_t i = 0; i < n; i++) {
		html_raw(h, "<tr>");
		html_elem(h, "th", items[i].label ? items[i].label : "", "scope", "row", NULL);
		html_raw(h, "<td class=\"num\">");
		const char *href = hrefs ? hrefs[i] : NULL;
		if (href)
			html_open(h, "a", "href", href, NULL);
		value_text(&items[i], h);
		if (href)
			html_close(h, "a");
		html_raw(h, "</td></tr>");
	}
	html_raw(h, "</tbody></table></div>");
}
