/*
 * log: logfmt lines on stderr (see log.h). One fputs per line under the
 * stream's lock, so lines from several threads never interleave.
 */
#include "base/log.h"

#include <stdarg.h>
#include <string.h>

#include "base/buf.h"
#include "base/vntime.h"

#define LOG_LINE_MAX 4096

static const char *level_names[] = {"debug", "info", "warn", "error"};
static enum log_level threshold = LOG_INFO;
static FILE *stream;

int log_set_level_name(const char *name)
{
	for (int i = 0; i < 4; i++) {
		if (name && strcmp(name, level_names[i]) == 0) {
			threshold = (enum log_level)i;
			return 0;
		}
	}
	return -1;
}

void log_set_level(enum log_level level)
{
	threshold = level;
}

enum log_level log_get_level(void)
{
	return threshold;
}

void log_set_stream(FILE *f)
{
	stream = f;
}

void log_write(enum log_level level, const char *event, const char *fmt, ...)
{
	if (level < threshold)
		return;
	char msg[LOG_LINE_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);

	char ts[VNTIME_DATETIME_LEN];
	vntime_format_datetime(vntime_now_real(), ts);
	struct buf b = BUF_INIT(LOG_LINE_MAX * 2);
	buf_printf(&b, "ts=%s level=%s event=%s msg=\"", ts, level_names[level], event);
	for (const char *p = msg; *p; p++) {
		if (*p == '"' || *p == '\\')
			buf_putc(&b, '\\'), buf_putc(&b, *p);
		else if (*p == '\n')
			buf_puts(&b, "\\n");
		else if ((unsigned char)*p < 0x20)
			buf_putc(&b, ' ');
		else
			buf_putc(&b, *p);
	}
	buf_puts(&b, "\"\n");
	FILE *f = stream ? stream : stderr;
	fputs(buf_str(&b), f);
	fflush(f);
	buf_release(&b);
}
