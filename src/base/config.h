/*
 * config: the effective configuration, built from one table of options
 * (config.def): built-in defaults, then the ini file, then the environment.
 *
 * The ini file is read with inih. Options live in the [motcua] section
 * (keys outside any section are accepted as well). Unknown keys, values of
 * the wrong type and values out of bounds are errors, never ignored.
 */
#ifndef MOTCUA_BASE_CONFIG_H
#define MOTCUA_BASE_CONFIG_H

#include <stdbool.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/error.h"

enum config_type { CONFIG_STR, CONFIG_INT, CONFIG_BOOL };
enum config_flags { CONFIG_SECRET = 1, CONFIG_URL = 2 };

enum config_option {
#define OPT(name, type, def, min, max, flags, check, help) CONFIG_OPT_##name,
#include "base/config.def"
#undef OPT
	CONFIG_OPT__COUNT
};

/* Where an option's effective value came from. */
enum config_source { CONFIG_FROM_DEFAULT, CONFIG_FROM_FILE, CONFIG_FROM_ENV };

#define CONFIG_VALUE_MAX 1024

struct config {
	char path[1024]; /* the file read, or "" when only defaults apply */
	char value[CONFIG_OPT__COUNT][CONFIG_VALUE_MAX + 1];
	enum config_source source[CONFIG_OPT__COUNT];
};

/*
 * Fills *cfg. path is the file named by --config (it must exist) or NULL, in
 * which case MOTCUA_CONFIG, then ./etc/motcua.ini are tried and built-in
 * defaults apply when neither exists. Then MOTCUA_<NAME> variables override.
 * Returns ERR_OK, ERR_CONFIG_FILE, ERR_CONFIG_UNKNOWN_OPTION or ERR_CONFIG_INVALID.
 */
enum err_code config_load(struct config *cfg, const char *path, struct err *e);

/* Defaults only (no file, no environment). */
void config_defaults(struct config *cfg);

/* Sets one option from text, checking type and bounds. */
enum err_code config_set(struct config *cfg, const char *name, const char *value,
                         enum config_source source, struct err *e);

/* Typed access. Values were checked when set, so these cannot fail. */
const char *config_str(const struct config *cfg, enum config_option opt);
int64_t config_int(const struct config *cfg, enum config_option opt);
bool config_bool(const struct config *cfg, enum config_option opt);

/* Name, type and help text of an option. */
const char *config_name(enum config_option opt);
enum config_type config_type_of(enum config_option opt);
const char *config_help(enum config_option opt);

/* The value as it may be shown: secrets as "***", URL passwords replaced by "***". */
void config_redacted(const struct config *cfg, enum config_option opt, struct buf *out);

#endif
