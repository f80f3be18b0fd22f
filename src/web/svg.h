/*
 * svg: charts drawn by the server as inline SVG, written through the
 * escaping HTML builder (web/html.h).
 *
 * Three shapes: horizontal bars (one bar per category, e.g. an agency, with
 * its value written at the end of the bar), columns per day and a line per
 * day (both with a vertical axis of round numbers and grid lines). A chart
 * is an <svg role="img"> whose accessible name is its <title> and whose
 * <desc> says what it shows; everything inside is decoration for assistive
 * technology, so charts hold no links: the page puts a data table next to
 * each chart (svg_table() writes one) carrying the numbers and the links.
 *
 * Labels and value texts are values (escaped; bytes that are not UTF-8
 * become U+FFFD); long labels are cut at a code point with an ellipsis (the
 * table keeps them whole). Colours are SVG presentation attributes chosen
 * for contrast on white (bars 3:1 or more as WCAG 1.4.11 asks of graphics,
 * text 4.5:1 or more), with classes for the stylesheet; no style attribute.
 * Geometry is in the units of the viewBox; the stylesheet scales the chart
 * to its container's width.
 */
#ifndef MOTCUA_WEB_SVG_H
#define MOTCUA_WEB_SVG_H

#include <stddef.h>
#include <stdint.h>

#include "web/html.h"

#define SVG_WIDTH        640 /* viewBox width of every chart */
#define SVG_PLOT_HEIGHT  200 /* height of the plot area of columns and lines */
#define SVG_ROW_HEIGHT   28  /* height of one horizontal bar's row */
#define SVG_LABEL_CHARS  28  /* code points of a bar label before it is cut */
#define SVG_MAX_TICKS    5   /* intervals of the vertical axis, at most */
#define SVG_MAX_X_LABELS 16  /* labels under columns or points, at most (every k-th, the last) */
#define SVG_MAX_ITEMS    400 /* items drawn; further ones are left out */

/* One bar, column or point. */
struct svg_item {
	const char *label;      /* the category (a name, or a day "5"); NULL: "" */
	int64_t value;          /* drawn as 0 when negative */
	const char *value_text; /* written instead of the number when not NULL ("92,5 %") */
};

/* The colour of a chart's marks. */
enum svg_tone {
	SVG_TONE_INFO, /* blue #0b4f9c */
	SVG_TONE_GOOD, /* green #17613a */
	SVG_TONE_BAD   /* red #a1141a */
};

struct svg_chart {
	const char *id; /* unique on the page: the svg's id; "<id>-t", "<id>-d" for title, desc */
	const char *title; /* the accessible name (required) */
	const char *desc;  /* one sentence on what the chart shows, or NULL */
	const char *empty; /* drawn when there are no items ("Chưa có số liệu"); NULL: "" */
	int64_t max;       /* bars only: the value of a full bar (e.g. 1000 for per mille); 0:
	                      the largest value */
	enum svg_tone tone;
};

/* A vertical axis from 0 to max in steps of step (ticks = max / step intervals). */
struct svg_scale {
	int64_t max;
	int64_t step;
	int ticks;
};

/*
 * The round axis for values up to largest, with at most max_ticks intervals
 * (1..20; out of range taken as SVG_MAX_TICKS): step is 1, 2 or 5 times a
 * power of ten, max the smallest multiple of step >= largest. largest <= 0
 * gives {1, 1, 1}; values above 10^15 are taken as 10^15.
 */
void svg_scale(int64_t largest, int max_ticks, struct svg_scale *out);

/*
 * Copies s into out (outsz bytes, NUL-terminated), cut after max_chars code
 * points with "…" appended when longer (spaces before the cut dropped); never
 * splits a UTF-8 sequence (bytes that are not UTF-8 count as one code point
 * each and are left for the escaper). Returns the number of bytes written
 * (without the NUL).
 */
size_t svg_label_cut(const char *s, size_t max_chars, char *out, size_t outsz);

/* Horizontal bars, one row per item, value text at the end of each bar. */
void svg_hbars(struct html *h, const struct svg_chart *c, const struct svg_item *items, size_t n);

/* Columns, one per item (e.g. per day), with the vertical axis of svg_scale(). */
void svg_columns(struct html *h, const struct svg_chart *c, const struct svg_item *items, size_t n);

/* A line through one point per item, with the same axis as svg_columns(). */
void svg_line(struct html *h, const struct svg_chart *c, const struct svg_item *items, size_t n);

/*
 * The data table of a chart (its text alternative): <table> with a
 * <caption>, a header row (label_head, value_head) and one row per item;
 * hrefs[i] (when hrefs and hrefs[i] are not NULL) makes row i's value a link
 * to that local path. cls is the table's class (NULL: none).
 */
void svg_table(struct html *h, const char *caption, const char *label_head, const char *value_head,
               const struct svg_item *items, const char *const *hrefs, size_t n, const char *cls);

#endif
