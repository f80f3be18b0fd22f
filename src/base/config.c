/*
 * config: the effective configuration (see config.h and config.def).
 *
 * Order of precedence, lowest first: the built-in defaults of config.def, the
 * ini file, the MOTCUA_<NAME> environment variables. Every value is checked
 * against its option's type and bounds when it is set, so readers never fail.
 */
#include "base/config.h"

#include <ctype.h>
#include <errno.h>
#include <ini.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/str.h"
#include "base/vntime.h"

struct config_spec {
	const char *name;
	enum config_type type;
	const char *def;
	int64_t min, max;
	int flags;
	int (*check)(const char *value); /* 0 when the value's form is right */
	const char *check_hint;
	const char *help;
};

static int check_database(const char *v)
{
	return (str_has_prefix(v, "sqlite:") && v[7]) || str_has_prefix(v, "postgresql://") ||
	                       str_has_prefix(v, "postgres://")
	               ? 0
	               : -1;
}

static int check_listen(const char *v)
{
	const char *colon = strrchr(v, ':');
	int64_t port;
	if (!colon || colon == v || str_parse_int64(colon + 1, 0, 65535, &port))
		return -1;
	if (v[0] == '[' && colon[-1] != ']')
		return -1;
	return 0;
}

static int check_log_level(const char *v)
{
	return str_eq(v, "debug") || str_eq(v, "info") || str_eq(v, "warn") || str_eq(v, "error")
	               ? 0
	               : -1;
}

static int check_hhmm_or_empty(const char *v)
{
	int sec;
	return !*v || vntime_parse_hhmm(v, &sec) == 0 ? 0 : -1;
}

static int check_date_or_empty(const char *v)
{
	int64_t d;
	return !*v || vntime_parse_date(v, &d) == 0 ? 0 : -1;
}

/* "HH:MM-HH:MM[,HH:MM-HH:MM...]", periods increasing and not overlapping. */
static int check_office_hours(const char *v)
{
	int last_end = -1;
	const char *p = v;
	for (;;) {
		char a[6], b[6];
		int s, t;
		if (strlen(p) < 11 || p[5] != '-')
			return -1;
		memcpy(a, p, 5), a[5] = '\0';
		memcpy(b, p + 6, 5), b[5] = '\0';
		if (vntime_parse_hhmm(a, &s) || vntime_parse_hhmm(b, &t) || s >= t || s < last_end)
			return -1;
		last_end = t;
		p += 11;
		if (!*p)
			return 0;
		if (*p++ != ',')
			return -1;
	}
}

static const struct config_spec specs[CONFIG_OPT__COUNT] = {
#define OPT(name, type, def, min, max, flags, check, help)                                         \
	{#name, type, def, min, max, flags, check, #check, help},
#include "base/config.def"
#undef OPT
};

#define CONFIG_SECTION      "motcua"
#define CONFIG_DEFAULT_PATH "etc/motcua.ini"

/* What a check function expects, for the error message. */
static const char *check_hint(const char *check_name)
{
	static const struct {
		const char *name, *hint;
	} hints[] = {
	        {"check_database", "expected sqlite:PATH or postgresql://..."},
	        {"check_listen", "expected HOST:PORT"},
	        {"check_log_level", "expected debug, info, warn or error"},
	        {"check_hhmm_or_empty", "expected HH:MM or empty"},
	        {"check_date_or_empty", "expected YYYY-MM-DD or empty"},
	        {"check_office_hours", "expected HH:MM-HH:MM[,HH:MM-HH:MM...], increasing"},
	};
	for (size_t i = 0; i < sizeof hints / sizeof hints[0]; i++)
		if (strcmp(hints[i].name, check_name) == 0)
			return hints[i].hint;
	return "bad form";
}

static int find_option(const char *name)
{
	for (int i = 0; i < CONFIG_OPT__COUNT; i++)
		if (strcmp(specs[i].name, name) == 0)
			return i;
	return -1;
}

void config_defaults(struct config *cfg)
{
	memset(cfg, 0, sizeof *cfg);
	for (int i = 0; i < CONFIG_OPT__COUNT; i++) {
		str_copy(cfg->value[i], sizeof cfg->value[i], specs[i].def);
		cfg->source[i] = CONFIG_FROM_DEFAULT;
	}
}

enum err_code config_set(struct config *cfg, const char *name, const char *value,
                         enum config_source source, struct err *e)
{
	int i = find_option(name);
	if (i < 0)
		return err_set(e, ERR_CONFIG_UNKNOWN_OPTION, "unknown option '%s'", name);
	const struct config_spec *s = &specs[i];
	size_t len = strlen(value);
	switch (s->type) {
	case CONFIG_STR:
		if ((int64_t)len < s->min || (int64_t)len > s->max)
			return err_set(e, ERR_CONFIG_INVALID,
			               "option '%s' must be %lld to %lld bytes long", name,
			               (long long)s->min, (long long)s->max);
		if (!str_valid_utf8(value, CONFIG_VALUE_MAX))
			return err_set(e, ERR_CONFIG_INVALID, "option '%s' is not valid UTF-8",
			               name);
		break;
	case CONFIG_INT: {
		int64_t v;
		if (str_parse_int64(value, s->min, s->max, &v))
			return err_set(e, ERR_CONFIG_INVALID,
			               "option '%s' must be an integer from %lld to %lld, not '%s'",
			               name, (long long)s->min, (long long)s->max, value);
		break;
	}
	case CONFIG_BOOL: {
		bool b;
		if (str_parse_bool(value, &b))
			return err_set(e, ERR_CONFIG_INVALID,
			               "option '%s' must be true or false, not '%s'", name, value);
		value = b ? "true" : "false";
		break;
	}
	}
	if (s->check && s->check(value))
		return err_set(e, ERR_CONFIG_INVALID, "option '%s' has an invalid value '%s' (%s)",
		               name, value, check_hint(s->check_hint));
	str_copy(cfg->value[i], sizeof cfg->value[i], value);
	cfg->source[i] = source;
	return ERR_OK;
}

struct ini_state {
	struct config *cfg;
	struct err *e;
	enum err_code rc;
};

static int on_ini_value(void *user, const char *section, const char *name, const char *value)
{
	struct ini_state *st = user;
	if (st->rc != ERR_OK)
		return 0;
	if (*section && strcmp(section, CONFIG_SECTION) != 0) {
		st->rc = err_set(st->e, ERR_CONFIG_UNKNOWN_OPTION, "unknown section '%s'", section);
		return 0;
	}
	st->rc = config_set(st->cfg, name, value, CONFIG_FROM_FILE, st->e);
	return st->rc == ERR_OK;
}

static enum err_code load_file(struct config *cfg, const char *path, struct err *e)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return err_set(e, ERR_CONFIG_FILE, "cannot read configuration file '%s': %s", path,
		               strerror(errno));
	struct ini_state st = {cfg, e, ERR_OK};
	int line = ini_parse_file(f, on_ini_value, &st);
	fclose(f);
	if (st.rc != ERR_OK) {
		if (e) {
			char detail[ERR_DETAIL_MAX];
			str_copy(detail, sizeof detail, e->detail);
			err_set(e, st.rc, "%s: %s", path, detail);
		}
		return st.rc;
	}
	if (line != 0)
		return err_set(e, ERR_CONFIG_INVALID, "%s:%d: syntax error", path, line);
	str_copy(cfg->path, sizeof cfg->path, path);
	return ERR_OK;
}

enum err_code config_load(struct config *cfg, const char *path, struct err *e)
{
	config_defaults(cfg);
	enum err_code rc = ERR_OK;
	if (path) {
		if (!*path)
			return err_set(e, ERR_CONFIG_FILE, "empty configuration file name");
		rc = load_file(cfg, path, e);
	} else {
		const char *env = getenv("MOTCUA_CONFIG");
		if (env && *env)
			rc = load_file(cfg, env, e);
		else if (access(CONFIG_DEFAULT_PATH, F_OK) == 0)
			rc = load_file(cfg, CONFIG_DEFAULT_PATH, e);
	}
	if (rc != ERR_OK)
		return rc;
	for (int i = 0; i < CONFIG_OPT__COUNT; i++) {
		char var[96] = "MOTCUA_";
		size_t n = strlen(var);
		for (const char *p = specs[i].name; *p && n + 1 < sizeof var; p++)
			var[n++] = (char)toupper((unsigned char)*p);
		var[n] = '\0';
		const char *v = getenv(var);
		if (v) {
			rc = config_set(cfg, specs[i].name, v, CONFIG_FROM_ENV, e);
			if (rc != ERR_OK) {
				if (e) {
					char detail[ERR_DETAIL_MAX];
					str_copy(detail, sizeof detail, e->detail);
					err_set(e, rc, "%s: %s", var, detail);
				}
				return rc;
			}
		}
	}
	return ERR_OK;
}

const char *config_str(const struct config *cfg, enum config_option opt)
{
	return cfg->value[opt];
}

int64_t config_int(const struct config *cfg, enum config_option opt)
{
	int64_t v = 0;
	str_parse_int64(cfg->value[opt], INT64_MIN, INT64_MAX, &v);
	return v;
}

bool config_bool(const struct config *cfg, enum config_option opt)
{
	return strcmp(cfg->value[opt], "true") == 0;
}

const char *config_name(enum config_option opt)
{
	return specs[opt].name;
}

const char *config_help(enum config_option opt)
{
	return specs[opt].help;
}

enum config_type config_type_of(enum config_option opt)
{
	return specs[opt].type;
}

void config_redacted(const struct config *cfg, enum config_option opt, struct buf *out)
{
	const char *v = cfg->value[opt];
	if (specs[opt].flags & CONFIG_SECRET) {
		buf_puts(out, *v ? "***" : "");
		return;
	}
	if (specs[opt].flags & CONFIG_URL) {
		/* scheme://user:password@host... -> scheme://user:***@host... */
		const char *auth = strstr(v, "://");
		const char *at = auth ? strchr(auth + 3, '@') : NULL;
		const char *colon = auth ? strchr(auth + 3, ':') : NULL;
		if (at && colon && colon < at) {
			buf_append(out, v, (size_t)(colon + 1 - v));
			buf_puts(out, "***");
			buf_puts(out, at);
			return;
		}
		/* key=value style: password=... */
		const char *pw = strstr(v, "password=");
		if (pw) {
			buf_append(out, v, (size_t)(pw + 9 - v));
			buf_puts(out, "***");
			const char *end = pw + 9 + strcspn(pw + 9, " &");
			buf_puts(out, end);
			return;
		}
	}
	buf_puts(out, v);
}
