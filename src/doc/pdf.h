/*
 * pdf: a small page-layout writer on libharu (libhpdf) for the centre's
 * forms: A4 pages, an embedded Unicode TrueType font (regular and bold) used
 * through libhpdf's UTF-8 encoder so that Vietnamese text is drawn and can be
 * extracted exactly (CID fonts with a ToUnicode map), paragraphs wrapped
 * within a box, ruled tables whose header repeats on every page, QR codes
 * drawn as vector squares, and a footer on every page.
 *
 * Layout runs with a cursor: y is the top of the next thing to draw, in
 * points from the bottom of the page (PDF's coordinates); drawing a block
 * moves it down and starts a new page of the same orientation when the
 * bottom margin is reached. Italic is a slanted regular face (a text matrix
 * with a shear), so that two font files suffice.
 *
 * Text given here must be valid UTF-8 (checked: bytes that are not are
 * drawn as '?'). libhpdf errors are collected and reported by pdf_finish().
 * A struct pdf is used by one thread.
 */
#ifndef MOTCUA_DOC_PDF_H
#define MOTCUA_DOC_PDF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/error.h"
#include "doc/qr.h"

#define PDF_MAX_BYTES   (32u << 20) /* bytes of one finished document */
#define PDF_A4_SHORT    595.276f    /* points (210 mm) */
#define PDF_A4_LONG     841.890f    /* points (297 mm) */
#define PDF_MM          2.834646f   /* points per millimetre */
#define PDF_LINE_FACTOR 1.3f        /* line height as a multiple of the font size */
#define PDF_CELL_PAD    3.0f        /* points of padding inside a table cell */
#define PDF_TEXT_MAX    8192        /* bytes of one paragraph or cell */
#define PDF_MAX_COLUMNS 16          /* columns of a table */

/* Margins of administrative documents (Decree 30/2020/NĐ-CP, Appendix I: top and bottom
 * 20-25 mm, left 30-35 mm, right 15-20 mm). */
#define PDF_MARGIN_TOP    (20.0f * PDF_MM)
#define PDF_MARGIN_BOTTOM (20.0f * PDF_MM)
#define PDF_MARGIN_LEFT   (30.0f * PDF_MM)
#define PDF_MARGIN_RIGHT  (15.0f * PDF_MM)

enum pdf_style { PDF_REGULAR = 0, PDF_BOLD = 1, PDF_ITALIC = 2, PDF_BOLD_ITALIC = 3 };
enum pdf_align { PDF_LEFT, PDF_CENTER, PDF_RIGHT };

struct pdf;

/*
 * A new document with the two TrueType fonts (paths) embedded. ERR_IO when a
 * font cannot be read or is not a TrueType font libhpdf accepts,
 * ERR_NO_MEMORY. Free with pdf_free().
 */
enum err_code pdf_new(const char *font_regular, const char *font_bold, struct pdf **out,
                      struct err *e);

/* Frees the document. NULL is allowed. */
void pdf_free(struct pdf *p);

/* Title (ASCII, shown by viewers) and creation instant (epoch seconds, Vietnam time). */
void pdf_set_info(struct pdf *p, const char *title, int64_t created_at);

/* Starts a new A4 page (landscape or portrait); the cursor goes to the top margin. */
enum err_code pdf_add_page(struct pdf *p, bool landscape, struct err *e);

/* The page box inside the margins, and the cursor. */
float pdf_left(const struct pdf *p);
float pdf_right(const struct pdf *p);
float pdf_bottom(const struct pdf *p);
float pdf_y(const struct pdf *p);
void pdf_set_y(struct pdf *p, float y);

/* Moves the cursor down by dy points (a new page when it passes the bottom margin). */
enum err_code pdf_space(struct pdf *p, float dy, struct err *e);

/* Starts a new page unless h points are left above the bottom margin. */
enum err_code pdf_need(struct pdf *p, float h, struct err *e);

/* Width in points of text in style at size. */
float pdf_text_width(struct pdf *p, enum pdf_style style, float size, const char *text);

/* Number of lines text takes when wrapped to width (at least 1). */
size_t pdf_line_count(struct pdf *p, enum pdf_style style, float size, const char *text,
                      float width);

/*
 * A paragraph at the cursor, wrapped within [x, x + width] at spaces (and at
 * '\n'; a word wider than the box is broken between characters), aligned,
 * continuing on a new page when needed. The cursor moves below it.
 */
enum err_code pdf_paragraph(struct pdf *p, float x, float width, enum pdf_style style, float size,
                            enum pdf_align align, const char *text, struct err *e);

/* Same at the given top y, without moving the cursor or breaking pages; returns the height. */
float pdf_paragraph_at(struct pdf *p, float x, float top, float width, enum pdf_style style,
                       float size, enum pdf_align align, const char *text);

/* A straight line of the given width. */
void pdf_line(struct pdf *p, float x1, float y1, float x2, float y2, float width);

/* A table: columns with a title and a width in points. */
struct pdf_column {
	const char *title;
	float width;
	enum pdf_align align;
};

struct pdf_table {
	const struct pdf_column *cols;
	size_t ncols; /* 1..PDF_MAX_COLUMNS */
	float size;   /* font size of the cells */
	float x;      /* left edge */
};

/* Draws the table's header row at the cursor (bold, centred). */
enum err_code pdf_table_header(struct pdf *p, const struct pdf_table *t, struct err *e);

/*
 * Draws one row of t->ncols cells (NULL cells are empty), each wrapped in its
 * column. A row that does not fit goes to a new page, after the header again.
 */
enum err_code pdf_table_row(struct pdf *p, const struct pdf_table *t, const char *const *cells,
                            struct err *e);

/* A QR code of side points (quiet zone included) with its top-left corner at (x, top). */
void pdf_qr(struct pdf *p, float x, float top, float side, const struct qr_code *q);

/* The image types pdf_image_page() takes. */
enum pdf_image_type { PDF_IMAGE_JPEG, PDF_IMAGE_PNG };

#define PDF_IMAGE_MAX_PIXELS (30L * 1000 * 1000) /* pixels of a PNG decoded into a page */
#define PDF_PAGE_MAX_SIDE    14400.0f            /* points: the largest page side (PDF 1.4) */

/*
 * Adds a page PDF_A4_SHORT points wide showing an image (len bytes at data)
 * across its whole width, at the image's aspect (an image so tall that the
 * page would pass PDF_PAGE_MAX_SIDE is scaled down and centred), with a band
 * below it holding footer (small, wrapped; NULL or "" for none). A JPEG is
 * embedded as it is (its header alone is read); a PNG is decoded, first in
 * a child process, because libhpdf's PNG reader aborts the process on a
 * damaged file. ERR_UNPROCESSABLE_CONTENT for an image that cannot be read
 * or a PNG of more than PDF_IMAGE_MAX_PIXELS pixels; ERR_NO_MEMORY, ERR_IO.
 */
enum err_code pdf_image_page(struct pdf *p, const void *data, size_t len, enum pdf_image_type type,
                             const char *footer, struct err *e);

/*
 * Writes the footer on every page -- left at the left margin, and
 * "PAGE_LABEL i/n" at the right when page_label is not NULL -- then the
 * whole document into out (emptied first; at most PDF_MAX_BYTES). Returns
 * ERR_OK, ERR_INTERNAL when libhpdf reported an error while the document
 * was built (the detail gives its code), ERR_TOO_LONG, ERR_NO_MEMORY.
 */
enum err_code pdf_finish(struct pdf *p, const char *footer_left, const char *page_label,
                         struct buf *out, struct err *e);

#endif
