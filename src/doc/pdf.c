/*
 * pdf: page layout on libhpdf with embedded TrueType fonts and UTF-8 text
 * (see pdf.h).
 */
#include "doc/pdf.h"

#include <errno.h>
#include <fcntl.h>
#include <hpdf.h>
#include <hpdf_font.h>
#include <hpdf_fontdef.h>
#include <hpdf_version.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/str.h"
#include "base/vntime.h"

#define PDF_MAX_PAGES 2000

/*
 * libhpdf 2.3 embeds a subset of a TrueType font: the glyphs it saw used,
 * and one level of the components of composite glyphs -- but only on the
 * path of simple fonts, not on that of the UTF-8 CID fonts used here, and
 * never the components of components. DejaVu (like most fonts) draws the
 * Vietnamese letters with two marks (ế, ầ, ỗ, ...) as composites of
 * composites, which would then lose their marks. complete_subset() walks
 * the composite glyphs itself before the document is saved. It reads the
 * glyph table of the font file at the offsets libhpdf parsed (struct
 * _HPDF_TTFontDefAttr_Rec of hpdf_fontdef.h, checked for 2.3 and 2.4).
 */
#if HPDF_MAJOR_VERSION != 2 || HPDF_MINOR_VERSION < 3 || HPDF_MINOR_VERSION > 4
#error "src/doc/pdf.c reads libhpdf's font structures: check them for this version"
#endif
#define ITALIC_SHEAR 0.2f /* tan of the slant of the synthetic italic (about 11 degrees) */

struct pdf {
	HPDF_Doc doc;
	HPDF_Font font[2]; /* regular, bold */
	char font_path[2][1024];
	HPDF_Page *pages;
	size_t npages, cap;
	HPDF_Page page; /* the current page */
	bool landscape;
	float w, h; /* page size */
	float y;    /* cursor */
	bool failed;
	unsigned long error, error_detail; /* the first libhpdf error */
};

static void on_error(HPDF_STATUS no, HPDF_STATUS detail, void *user)
{
	struct pdf *p = user;
	if (!p->failed) {
		p->error = (unsigned long)no;
		p->error_detail = (unsigned long)detail;
	}
	p->failed = true;
}

/* ---- text ---- */

/*
 * Copies text into out (size n) as valid UTF-8: invalid bytes become '?',
 * control characters other than '\n' become spaces. Truncates at a
 * character boundary. Returns the length.
 */
static size_t clean_utf8(const char *text, char *out, size_t n)
{
	const unsigned char *s = (const unsigned char *)(text ? text : "");
	size_t o = 0;
	while (*s && o + 1 < n) {
		unsigned c = *s;
		size_t k = c < 0x80             ? 1
		           : (c & 0xE0) == 0xC0 ? 2
		           : (c & 0xF0) == 0xE0 ? 3
		           : (c & 0xF8) == 0xF0 ? 4
		                                : 0;
		bool ok = k > 0;
		unsigned cp = k == 1 ? c : k == 2 ? c & 0x1F : k == 3 ? c & 0x0F : c & 0x07;
		for (size_t i = 1; ok && i < k; i++) {
			if ((s[i] & 0xC0) != 0x80)
				ok = false;
			else
				cp = cp << 6 | (s[i] & 0x3F);
		}
		if (ok &&
		    ((k == 2 && cp < 0x80) || (k == 3 && cp < 0x800) ||
		     (k == 4 && (cp < 0x10000 || cp > 0x10FFFF)) || (cp >= 0xD800 && cp <= 0xDFFF)))
			ok = false;
		if (!ok) {
			out[o++] = '?';
			s++;
			continue;
		}
		if (o + k >= n)
			break;
		if (k == 1 && (c < 0x20 || c == 0x7F))
			out[o++] = c == '\n' ? '\n' : ' ';
		else
			for (size_t i = 0; i < k; i++)
				out[o++] = (char)s[i];
		s += k;
	}
	out[o] = '\0';
	return o;
}

static HPDF_Font font_of(const struct pdf *p, enum pdf_style style)
{
	return p->font[(style & PDF_BOLD) ? 1 : 0];
}

/* Width in points of len bytes at s. */
static float measure(const struct pdf *p, enum pdf_style style, float size, const char *s,
                     size_t len)
{
	if (len == 0)
		return 0;
	HPDF_TextWidth tw =
	        HPDF_Font_TextWidth(font_of(p, style), (const HPDF_BYTE *)s, (HPDF_UINT)len);
	return (float)tw.width * size / 1000.0f;
}

float pdf_text_width(struct pdf *p, enum pdf_style style, float size, const char *text)
{
	char *buf = malloc(PDF_TEXT_MAX + 1);
	if (!buf)
		return 0;
	size_t n = clean_utf8(text, buf, PDF_TEXT_MAX + 1);
	float w = measure(p, style, size, buf, n);
	free(buf);
	return w;
}

struct span {
	size_t off, len;
};

struct lines {
	struct span *v;
	size_t n, cap;
	bool oom;
};

static void lines_push(struct lines *l, size_t off, size_t len)
{
	if (l->oom)
		return;
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 16;
		struct span *v = realloc(l->v, cap * sizeof *v);
		if (!v) {
			l->oom = true;
			return;
		}
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n].off = off;
	l->v[l->n].len = len;
	l->n++;
}

/* Length of the UTF-8 character at s (s valid UTF-8, not at its end). */
static size_t char_len(const char *s)
{
	unsigned c = (unsigned char)*s;
	return c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : 4;
}

/* Breaks the word t[pos..end) into lines of at most width (at least one character each). */
static void break_word(const struct pdf *p, enum pdf_style style, float size, const char *t,
                       size_t pos, size_t end, float width, struct lines *out)
{
	while (pos < end) {
		size_t cut = pos + char_len(t + pos);
		while (cut < end) {
			size_t next = cut + char_len(t + cut);
			if (measure(p, style, size, t + pos, next - pos) > width)
				break;
			cut = next;
		}
		lines_push(out, pos, cut - pos);
		pos = cut;
	}
}

/* Wraps the clean text t of length n to width into out. */
static void wrap(const struct pdf *p, enum pdf_style style, float size, const char *t, size_t n,
                 float width, struct lines *out)
{
	size_t seg = 0;
	while (seg <= n) {
		size_t seg_end = seg;
		while (seg_end < n && t[seg_end] != '\n')
			seg_end++;
		size_t pos = seg, before = out->n;
		bool open = false;
		size_t ls = 0, le = 0;
		while (pos < seg_end) {
			while (pos < seg_end && t[pos] == ' ')
				pos++;
			if (pos >= seg_end)
				break;
			size_t we = pos;
			while (we < seg_end && t[we] != ' ')
				we++;
			if (!open) {
				if (measure(p, style, size, t + pos, we - pos) <= width) {
					open = true;
					ls = pos;
					le = we;
				} else {
					break_word(p, style, size, t, pos, we, width, out);
				}
				pos = we;
			} else if (measure(p, style, size, t + ls, we - ls) <= width) {
				le = we;
				pos = we;
			} else {
				lines_push(out, ls, le - ls);
				open = false; /* the word starts the next line */
			}
		}
		if (open)
			lines_push(out, ls, le - ls);
		if (out->n == before)
			lines_push(out, seg, 0); /* an empty line */
		if (seg_end >= n)
			break;
		seg = seg_end + 1;
	}
}

/* Draws len bytes at s with the baseline at (x, y). */
static void show(struct pdf *p, enum pdf_style style, float size, float x, float y, const char *s,
                 size_t len)
{
	char line[PDF_TEXT_MAX + 1];
	if (len == 0 || !p->page)
		return;
	if (len > PDF_TEXT_MAX)
		len = PDF_TEXT_MAX;
	memcpy(line, s, len);
	line[len] = '\0';
	HPDF_Page_BeginText(p->page);
	HPDF_Page_SetFontAndSize(p->page, font_of(p, style), size);
	HPDF_Page_SetTextMatrix(p->page, 1, 0, (style & PDF_ITALIC) ? ITALIC_SHEAR : 0, 1, x, y);
	HPDF_Page_ShowText(p->page, line);
	HPDF_Page_EndText(p->page);
}

static float line_height(float size)
{
	return size * PDF_LINE_FACTOR;
}

/* Draws line i of ls from t, aligned within [x, x + width], its top at top. */
static void show_line(struct pdf *p, enum pdf_style style, float size, enum pdf_align align,
                      float x, float width, float top, const char *t, const struct span *sp)
{
	float lw = measure(p, style, size, t + sp->off, sp->len);
	float dx = align == PDF_CENTER ? (width - lw) / 2 : align == PDF_RIGHT ? width - lw : 0;
	/* the baseline sits about 0.8 of the font size below the top of the line box */
	float base = top - size * 0.8f - (line_height(size) - size) / 2;
	show(p, style, size, x + dx, base, t + sp->off, sp->len);
}

/* Cleans and wraps text; returns the clean copy (free it) or NULL when out of memory. */
static char *layout(const struct pdf *p, enum pdf_style style, float size, const char *text,
                    float width, struct lines *ls)
{
	memset(ls, 0, sizeof *ls);
	char *t = malloc(PDF_TEXT_MAX + 1);
	if (!t)
		return NULL;
	size_t n = clean_utf8(text, t, PDF_TEXT_MAX + 1);
	wrap(p, style, size, t, n, width > 1 ? width : 1, ls);
	if (ls->oom) {
		free(ls->v);
		free(t);
		return NULL;
	}
	return t;
}

size_t pdf_line_count(struct pdf *p, enum pdf_style style, float size, const char *text,
                      float width)
{
	struct lines ls;
	char *t = layout(p, style, size, text, width, &ls);
	size_t n = t ? ls.n : 1;
	free(ls.v);
	free(t);
	return n ? n : 1;
}

/* ---- document and pages ---- */

enum err_code pdf_new(const char *font_regular, const char *font_bold, struct pdf **out,
                      struct err *e)
{
	*out = NULL;
	const char *paths[2] = {font_regular, font_bold};
	for (int i = 0; i < 2; i++)
		if (!paths[i] || !*paths[i] || access(paths[i], R_OK) != 0)
			return err_set(e, ERR_IO,
			               "cannot read the font '%s' (pdf_font, pdf_font_bold)",
			               paths[i] ? paths[i] : "");
	struct pdf *p = calloc(1, sizeof *p);
	if (!p)
		return err_set(e, ERR_NO_MEMORY, "out of memory");
	p->doc = HPDF_New(on_error, p);
	if (!p->doc) {
		free(p);
		return err_set(e, ERR_NO_MEMORY, "out of memory starting a PDF");
	}
	HPDF_SetCompressionMode(p->doc, HPDF_COMP_ALL);
	HPDF_UseUTFEncodings(p->doc);
	HPDF_SetCurrentEncoder(p->doc, "UTF-8");
	for (int i = 0; i < 2; i++) {
		const char *name = HPDF_LoadTTFontFromFile(p->doc, paths[i], HPDF_TRUE);
		p->font[i] = name ? HPDF_GetFont(p->doc, name, "UTF-8") : NULL;
		if (!p->font[i] || str_copy(p->font_path[i], sizeof p->font_path[i], paths[i])) {
			pdf_free(p);
			return err_set(e, ERR_IO, "cannot load the TrueType font '%s'", paths[i]);
		}
	}
	HPDF_SetInfoAttr(p->doc, HPDF_INFO_PRODUCER, "motcua " MOTCUA_VERSION);
	HPDF_SetInfoAttr(p->doc, HPDF_INFO_CREATOR, "motcua");
	*out = p;
	return ERR_OK;
}

void pdf_free(struct pdf *p)
{
	if (!p)
		return;
	if (p->doc)
		HPDF_Free(p->doc);
	free(p->pages);
	free(p);
}

void pdf_set_info(struct pdf *p, const char *title, int64_t created_at)
{
	char ascii[256];
	size_t o = 0;
	for (const char *s = title ? title : ""; *s && o + 1 < sizeof ascii; s++)
		ascii[o++] = (*s >= 0x20 && *s < 0x7F) ? *s : '_';
	ascii[o] = '\0';
	HPDF_SetInfoAttr(p->doc, HPDF_INFO_TITLE, ascii);
	int64_t days;
	int sec;
	vntime_split(created_at, &days, &sec);
	struct vndate d = vntime_civil_from_days(days);
	HPDF_Date date = {
	        .year = d.year,
	        .month = d.month,
	        .day = d.day,
	        .hour = sec / 3600,
	        .minutes = sec / 60 % 60,
	        .seconds = sec % 60,
	        .ind = '+',
	        .off_hour = VNTIME_UTC_OFFSET / 3600,
	        .off_minutes = 0,
	};
	HPDF_SetInfoDateAttr(p->doc, HPDF_INFO_CREATION_DATE, date);
}

enum err_code pdf_add_page(struct pdf *p, bool landscape, struct err *e)
{
	if (p->npages >= PDF_MAX_PAGES)
		return err_set(e, ERR_TOO_LONG, "a document has at most %d pages", PDF_MAX_PAGES);
	if (p->npages == p->cap) {
		size_t cap = p->cap ? 2 * p->cap : 8;
		HPDF_Page *v = realloc(p->pages, cap * sizeof *v);
		if (!v)
			return err_set(e, ERR_NO_MEMORY, "out of memory");
		p->pages = v;
		p->cap = cap;
	}
	HPDF_Page page = HPDF_AddPage(p->doc);
	if (!page)
		return err_set(e, ERR_NO_MEMORY, "cannot add a PDF page");
	HPDF_Page_SetSize(page, HPDF_PAGE_SIZE_A4,
	                  landscape ? HPDF_PAGE_LANDSCAPE : HPDF_PAGE_PORTRAIT);
	HPDF_Page_SetLineWidth(page, 0.5f);
	p->pages[p->npages++] = page;
	p->page = page;
	p->landscape = landscape;
	p->w = HPDF_Page_GetWidth(page);
	p->h = HPDF_Page_GetHeight(page);
	p->y = p->h - PDF_MARGIN_TOP;
	return ERR_OK;
}

float pdf_left(const struct pdf *p)
{
	(void)p;
	return PDF_MARGIN_LEFT;
}

float pdf_right(const struct pdf *p)
{
	return p->w - PDF_MARGIN_RIGHT;
}

float pdf_bottom(const struct pdf *p)
{
	(void)p;
	return PDF_MARGIN_BOTTOM;
}

float pdf_y(const struct pdf *p)
{
	return p->y;
}

void pdf_set_y(struct pdf *p, float y)
{
	p->y = y;
}

enum err_code pdf_need(struct pdf *p, float h, struct err *e)
{
	if (!p->page)
		return pdf_add_page(p, false, e);
	if (p->y - h < PDF_MARGIN_BOTTOM)
		return pdf_add_page(p, p->landscape, e);
	return ERR_OK;
}

enum err_code pdf_space(struct pdf *p, float dy, struct err *e)
{
	p->y -= dy;
	if (p->y < PDF_MARGIN_BOTTOM)
		return pdf_add_page(p, p->landscape, e);
	return ERR_OK;
}

enum err_code pdf_paragraph(struct pdf *p, float x, float width, enum pdf_style style, float size,
                            enum pdf_align align, const char *text, struct err *e)
{
	struct lines ls;
	enum err_code rc = ERR_OK;
	char *t = layout(p, style, size, text, width, &ls);
	if (!t)
		return err_set(e, ERR_NO_MEMORY, "out of memory");
	float lh = line_height(size);
	for (size_t i = 0; i < ls.n && rc == ERR_OK; i++) {
		if ((rc = pdf_need(p, lh, e)) != ERR_OK)
			break;
		show_line(p, style, size, align, x, width, p->y, t, &ls.v[i]);
		p->y -= lh;
	}
	free(ls.v);
	free(t);
	return rc;
}

float pdf_paragraph_at(struct pdf *p, float x, float top, float width, enum pdf_style style,
                       float size, enum pdf_align align, const char *text)
{
	struct lines ls;
	char *t = layout(p, style, size, text, width, &ls);
	if (!t)
		return 0;
	float lh = line_height(size);
	for (size_t i = 0; i < ls.n; i++)
		show_line(p, style, size, align, x, width, top - lh * (float)i, t, &ls.v[i]);
	float h = lh * (float)ls.n;
	free(ls.v);
	free(t);
	return h;
}

void pdf_line(struct pdf *p, float x1, float y1, float x2, float y2, float width)
{
	if (!p->page)
		return;
	HPDF_Page_SetLineWidth(p->page, width);
	HPDF_Page_MoveTo(p->page, x1, y1);
	HPDF_Page_LineTo(p->page, x2, y2);
	HPDF_Page_Stroke(p->page);
	HPDF_Page_SetLineWidth(p->page, 0.5f);
}

/* ---- tables ---- */

/* Draws a row of cells (already laid out) at the cursor with height h. */
static void draw_row(struct pdf *p, const struct pdf_table *t, enum pdf_style style, char **texts,
                     struct lines *ls, float h, bool header)
{
	float x = t->x, lh = line_height(t->size);
	for (size_t i = 0; i < t->ncols; i++) {
		float w = t->cols[i].width;
		HPDF_Page_Rectangle(p->page, x, p->y - h, w, h);
		HPDF_Page_Stroke(p->page);
		enum pdf_align al = header ? PDF_CENTER : t->cols[i].align;
		for (size_t k = 0; texts[i] && k < ls[i].n; k++)
			show_line(p, style, t->size, al, x + PDF_CELL_PAD, w - 2 * PDF_CELL_PAD,
			          p->y - PDF_CELL_PAD - lh * (float)k, texts[i], &ls[i].v[k]);
		x += w;
	}
	p->y -= h;
}

/* Lays out and draws one row; a header row is never split from the page top. */
static enum err_code table_row(struct pdf *p, const struct pdf_table *t, const char *const *cells,
                               bool header, struct err *e)
{
	if (t->ncols == 0 || t->ncols > PDF_MAX_COLUMNS)
		return err_set(e, ERR_INVALID_ARGUMENT, "a table has 1 to %d columns",
		               PDF_MAX_COLUMNS);
	enum pdf_style style = header ? PDF_BOLD : PDF_REGULAR;
	char *texts[PDF_MAX_COLUMNS] = {0};
	struct lines ls[PDF_MAX_COLUMNS];
	memset(ls, 0, sizeof ls);
	enum err_code rc = ERR_OK;
	size_t most = 1;
	for (size_t i = 0; i < t->ncols; i++) {
		texts[i] = layout(p, style, t->size, cells[i] ? cells[i] : "",
		                  t->cols[i].width - 2 * PDF_CELL_PAD, &ls[i]);
		if (!texts[i]) {
			rc = err_set(e, ERR_NO_MEMORY, "out of memory");
			goto out;
		}
		if (ls[i].n > most)
			most = ls[i].n;
	}
	float h = line_height(t->size) * (float)most + 2 * PDF_CELL_PAD;
	if (!p->page || p->y - h < PDF_MARGIN_BOTTOM) {
		if ((rc = pdf_add_page(p, p->page ? p->landscape : false, e)) != ERR_OK)
			goto out;
		if (!header && (rc = pdf_table_header(p, t, e)) != ERR_OK)
			goto out;
	}
	draw_row(p, t, style, texts, ls, h, header);
out:
	for (size_t i = 0; i < t->ncols; i++) {
		free(ls[i].v);
		free(texts[i]);
	}
	return rc;
}

enum err_code pdf_table_header(struct pdf *p, const struct pdf_table *t, struct err *e)
{
	const char *titles[PDF_MAX_COLUMNS];
	if (t->ncols == 0 || t->ncols > PDF_MAX_COLUMNS)
		return err_set(e, ERR_INVALID_ARGUMENT, "a table has 1 to %d columns",
		               PDF_MAX_COLUMNS);
	for (size_t i = 0; i < t->ncols; i++)
		titles[i] = t->cols[i].title;
	/* keep the header with at least one line of a row below it */
	float need = line_height(t->size) * 3 + 4 * PDF_CELL_PAD;
	enum err_code rc = pdf_need(p, need, e);
	if (rc != ERR_OK)
		return rc;
	return table_row(p, t, titles, true, e);
}

enum err_code pdf_table_row(struct pdf *p, const struct pdf_table *t, const char *const *cells,
                            struct err *e)
{
	return table_row(p, t, cells, false, e);
}

/* ---- QR codes ---- */

void pdf_qr(struct pdf *p, float x, float top, float side, const struct qr_code *q)
{
	if (!p->page || !q || q->width <= 0)
		return;
	float m = side / (float)(q->width + 2 * QR_QUIET_ZONE);
	float x0 = x + m * QR_QUIET_ZONE, y0 = top - m * QR_QUIET_ZONE;
	HPDF_Page_SetRGBFill(p->page, 0, 0, 0);
	for (int row = 0; row < q->width; row++) {
		int col = 0;
		while (col < q->width) {
			if (!qr_dark(q, col, row)) {
				col++;
				continue;
			}
			int run = col;
			while (run < q->width && qr_dark(q, run, row))
				run++;
			/* runs of dark modules as one rectangle each */
			HPDF_Page_Rectangle(p->page, x0 + m * (float)col, y0 - m * (float)(row + 1),
			                    m * (float)(run - col), m);
			col = run;
		}
	}
	HPDF_Page_Fill(p->page);
}

/* ---- images (electronic results scanned as JPEG or PNG) ---- */

static uint32_t be32(const unsigned char *b)
{
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

/* The size in the IHDR chunk of a PNG (which must come first), checked against the caps. */
static enum err_code png_header(const unsigned char *b, size_t len, struct err *e)
{
	static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
	if (len < 33 || memcmp(b, sig, 8) != 0 || be32(b + 8) != 13 ||
	    memcmp(b + 12, "IHDR", 4) != 0)
		return err_set(e, ERR_UNPROCESSABLE_CONTENT, "the PNG image has no valid header");
	uint32_t w = be32(b + 16), h = be32(b + 20);
	if (w == 0 || h == 0 || w > 0x7FFFFFFF || h > 0x7FFFFFFF ||
	    (uint64_t)w * h > (uint64_t)PDF_IMAGE_MAX_PIXELS)
		return err_set(e, ERR_UNPROCESSABLE_CONTENT,
		               "the PNG image is %lux%lu pixels; at most %ld pixels are accepted",
		               (unsigned long)w, (unsigned long)h, (long)PDF_IMAGE_MAX_PIXELS);
	return ERR_OK;
}

/*
 * libhpdf 2.3 reads PNG files with libpng but sets no recovery point
 * (setjmp), so a damaged PNG makes libpng abort() the process. The image is
 * therefore read once in a child process: the same bytes read by the same
 * code succeed in the parent when they did in the child.
 */
static enum err_code png_probe(const void *data, size_t len, struct err *e)
{
	pid_t pid = fork();
	if (pid < 0)
		return err_set(e, ERR_IO, "cannot start a process to read the image: %s",
		               strerror(errno));
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY | O_CLOEXEC);
		if (null >= 0)
			dup2(null, STDERR_FILENO); /* libpng's messages */
		HPDF_Doc d = HPDF_New(NULL, NULL);
		HPDF_Image im = d ? HPDF_LoadPngImageFromMem(d, data, (HPDF_UINT)len) : NULL;
		_exit(im ? 0 : 1);
	}
	int st = 0;
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return err_set(e, ERR_IO, "cannot wait for the image reader: %s",
			               strerror(errno));
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		return err_set(e, ERR_UNPROCESSABLE_CONTENT,
		               "the PNG image is damaged or of a kind that cannot be read");
	return ERR_OK;
}

enum err_code pdf_image_page(struct pdf *p, const void *data, size_t len, enum pdf_image_type type,
                             const char *footer, struct err *e)
{
	if (!data || len == 0 || len > PDF_MAX_BYTES || len > 0xFFFFFFFFu)
		return err_set(e, ERR_UNPROCESSABLE_CONTENT, "the image is empty or too large");
	enum err_code rc;
	if (type == PDF_IMAGE_PNG &&
	    ((rc = png_header(data, len, e)) != ERR_OK || (rc = png_probe(data, len, e)) != ERR_OK))
		return rc;
	HPDF_Image im = type == PDF_IMAGE_PNG
	                        ? HPDF_LoadPngImageFromMem(p->doc, data, (HPDF_UINT)len)
	                        : HPDF_LoadJpegImageFromMem(p->doc, data, (HPDF_UINT)len);
	float iw = im ? (float)HPDF_Image_GetWidth(im) : 0,
	      ih = im ? (float)HPDF_Image_GetHeight(im) : 0;
	if (!im || iw < 1 || ih < 1)
		return err_set(e, ERR_UNPROCESSABLE_CONTENT,
		               "the %s image cannot be read (libhpdf error 0x%04lX)",
		               type == PDF_IMAGE_PNG ? "PNG" : "JPEG", p->error);
	if ((rc = pdf_add_page(p, false, e)) != ERR_OK)
		return rc;
	const float size = 7, pad = 6, side = 15 * PDF_MM, width = PDF_A4_SHORT;
	float tw = width - 2 * side;
	bool has_footer = footer && *footer;
	size_t nl = has_footer ? pdf_line_count(p, PDF_REGULAR, size, footer, tw) : 0;
	float band = has_footer ? line_height(size) * (float)nl + 2 * pad : 0;
	float dw = width, dh = width * ih / iw;
	if (dh + band > PDF_PAGE_MAX_SIDE) {
		dh = PDF_PAGE_MAX_SIDE - band;
		dw = dh * iw / ih;
	}
	float page_h = dh + band < 3 ? 3 : dh + band;
	HPDF_Page_SetWidth(p->page, width);
	HPDF_Page_SetHeight(p->page, page_h);
	p->w = width;
	p->h = page_h;
	HPDF_Page_DrawImage(p->page, im, (width - dw) / 2, band, dw, dh);
	if (has_footer)
		pdf_paragraph_at(p, side, band - pad, tw, PDF_REGULAR, size, PDF_LEFT, footer);
	p->y = 0; /* the page is full */
	return ERR_OK;
}

/* ---- finishing ---- */

static unsigned be16(const unsigned char *b)
{
	return (unsigned)b[0] << 8 | b[1];
}

/*
 * Marks the components of every used composite glyph of font i as used,
 * recursively (TrueType 'glyf' composite records: flags, glyph index,
 * arguments of 2 or 4 bytes, then a scale of 0, 2, 4 or 8 bytes). Returns 0,
 * or -1 when the font file cannot be read.
 */
static int complete_subset(struct pdf *p, int i)
{
	HPDF_FontDef fd = ((HPDF_FontAttr)p->font[i]->attr)->fontdef;
	HPDF_TTFontDefAttr a = fd ? fd->attr : NULL;
	if (!a || !a->glyph_tbl.flgs || !a->glyph_tbl.offsets)
		return -1;
	unsigned n = a->num_glyphs;
	unsigned short *stack = malloc((n ? n : 1) * sizeof *stack);
	int f = open(p->font_path[i], O_RDONLY | O_CLOEXEC);
	if (!stack || f < 0) {
		free(stack);
		if (f >= 0)
			close(f);
		return -1;
	}
	unsigned sp = 0;
	for (unsigned g = 0; g < n; g++)
		if (a->glyph_tbl.flgs[g])
			stack[sp++] = (unsigned short)g;
	while (sp > 0) {
		unsigned g = stack[--sp];
		unsigned long off = a->glyph_tbl.offsets[g], next = a->glyph_tbl.offsets[g + 1];
		if (a->header.index_to_loc_format == 0) {
			off *= 2;
			next *= 2;
		}
		unsigned char b[2048];
		if (next <= off + 10)
			continue; /* empty or too short for a composite */
		size_t len = next - off > sizeof b ? sizeof b : next - off;
		if (pread(f, b, len, (off_t)(a->glyph_tbl.base_offset + off)) != (ssize_t)len)
			continue;
		if ((short)be16(b) >= 0)
			continue; /* a simple glyph */
		size_t q = 10;
		unsigned flags;
		do {
			if (q + 4 > len)
				break;
			flags = be16(b + q);
			unsigned c = be16(b + q + 2);
			q += 4 + ((flags & 0x1) ? 4 : 2);
			q += (flags & 0x8) ? 2 : (flags & 0x40) ? 4 : (flags & 0x80) ? 8 : 0;
			if (c < n && !a->glyph_tbl.flgs[c]) {
				a->glyph_tbl.flgs[c] = 1;
				stack[sp++] = (unsigned short)c;
			}
		} while (flags & 0x20);
	}
	free(stack);
	close(f);
	return 0;
}

enum err_code pdf_finish(struct pdf *p, const char *footer_left, const char *page_label,
                         struct buf *out, struct err *e)
{
	buf_reset(out);
	if (p->npages == 0) {
		enum err_code rc = pdf_add_page(p, false, e);
		if (rc != ERR_OK)
			return rc;
	}
	char clean[512], right[128];
	clean_utf8(footer_left, clean, sizeof clean);
	for (size_t i = 0; i < p->npages; i++) {
		p->page = p->pages[i];
		float w = HPDF_Page_GetWidth(p->page);
		float base = PDF_MARGIN_BOTTOM / 2;
		if (clean[0])
			show(p, PDF_REGULAR, 8, PDF_MARGIN_LEFT, base, clean, strlen(clean));
		if (page_label) {
			char label[64];
			clean_utf8(page_label, label, sizeof label);
			snprintf(right, sizeof right, "%s %zu/%zu", label, i + 1, p->npages);
			float rw = measure(p, PDF_REGULAR, 8, right, strlen(right));
			show(p, PDF_REGULAR, 8, w - PDF_MARGIN_RIGHT - rw, base, right,
			     strlen(right));
		}
	}
	if (p->failed)
		return err_set(e, ERR_INTERNAL,
		               "the PDF writer failed (libhpdf error 0x%04lX, %lu)", p->error,
		               p->error_detail);
	for (int i = 0; i < 2; i++)
		if (complete_subset(p, i) != 0)
			return err_set(e, ERR_IO, "cannot read the font '%s' again",
			               p->font_path[i]);
	if (HPDF_SaveToStream(p->doc) != HPDF_OK)
		return err_set(e, ERR_INTERNAL,
		               "the PDF writer failed (libhpdf error 0x%04lX, %lu)", p->error,
		               p->error_detail);
	HPDF_UINT32 size = HPDF_GetStreamSize(p->doc);
	if (size > out->max || size > PDF_MAX_BYTES)
		return err_set(e, ERR_TOO_LONG, "the PDF is larger than %zu bytes",
		               out->max < PDF_MAX_BYTES ? out->max : (size_t)PDF_MAX_BYTES);
	HPDF_ResetStream(p->doc);
	char chunk[16384];
	for (;;) {
		HPDF_UINT32 n = sizeof chunk;
		HPDF_STATUS st = HPDF_ReadFromStream(p->doc, (HPDF_BYTE *)chunk, &n);
		if (n > 0 && buf_append(out, chunk, n) != 0)
			return err_set(e, ERR_NO_MEMORY, "out of memory writing the PDF");
		if (st == HPDF_STREAM_EOF)
			break;
		if (st != HPDF_OK)
			return err_set(e, ERR_INTERNAL,
			               "cannot read the PDF back (libhpdf 0x%04lX)",
			               (unsigned long)st);
	}
	return ERR_OK;
}
