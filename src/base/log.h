/*
 * log: structured logging, one line per event in logfmt on stderr:
 *   ts=2025-04-25T10:00:00+07:00 level=info event=db.migrate msg="applied 3 migrations"
 * The event is a short dotted name that operators can grep and count; the
 * message is free text (quoted and escaped). Lines below the level set with
 * log_set_level() are dropped.
 */
#ifndef MOTCUA_BASE_LOG_H
#define MOTCUA_BASE_LOG_H

#include <stdio.h>

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR };

/* Sets the threshold from its name ("debug", "info", "warn", "error"). Returns 0 or -1. */
int log_set_level_name(const char *name);
void log_set_level(enum log_level level);
enum log_level log_get_level(void);

/* Sends log lines to f instead of stderr (tests). */
void log_set_stream(FILE *f);

/* Writes one line when level is at or above the threshold. */
void log_write(enum log_level level, const char *event, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

#define log_debug(event, ...) log_write(LOG_DEBUG, event, __VA_ARGS__)
#define log_info(event, ...)  log_write(LOG_INFO, event, __VA_ARGS__)
#define log_warn(event, ...)  log_write(LOG_WARN, event, __VA_ARGS__)
#define log_error(event, ...) log_write(LOG_ERROR, event, __VA_ARGS__)

#endif
