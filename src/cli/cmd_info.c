/*
 * cmd_info: `motcua version` and `motcua config`.
 */
#include <ctype.h>
#include <stdio.h>

#include "base/buf.h"
#include "cli/cli.h"

#ifndef MOTCUA_VERSION
#define MOTCUA_VERSION "unknown"
#endif

int cmd_version(struct cli *cli, int argc, char **argv)
{
	(void)argv;
	if (argc != 1)
		return cli_fail(cli, ERR_USAGE, "usage: motcua version");
	return cli_print_json(json_pack("{s:s, s:s}", "name", "motcua", "version", MOTCUA_VERSION));
}

static const char *source_name(enum config_source s)
{
	switch (s) {
	case CONFIG_FROM_FILE:
		return "file";
	case CONFIG_FROM_ENV:
		return "environment";
	default:
		return "default";
	}
}

static const char *type_name(enum config_type t)
{
	switch (t) {
	case CONFIG_INT:
		return "integer";
	case CONFIG_BOOL:
		return "boolean";
	default:
		return "string";
	}
}

int cmd_config(struct cli *cli, int argc, char **argv)
{
	(void)argv;
	if (argc != 1)
		return cli_fail(cli, ERR_USAGE, "usage: motcua [--config FILE] config");
	const struct config *cfg = cli->cfg;
	json_t *options = json_array();
	for (int i = 0; i < CONFIG_OPT__COUNT; i++) {
		struct buf v = BUF_INIT(4 * CONFIG_VALUE_MAX);
		config_redacted(cfg, (enum config_option)i, &v);
		char env[96] = "MOTCUA_";
		size_t n = 7;
		for (const char *p = config_name((enum config_option)i); *p && n + 1 < sizeof env;
		     p++)
			env[n++] = (char)toupper((unsigned char)*p);
		env[n] = '\0';
		json_t *o = json_object();
		json_object_set_new(o, "name", json_string(config_name((enum config_option)i)));
		enum config_type t = config_type_of((enum config_option)i);
		if (t == CONFIG_BOOL)
			json_object_set_new(o, "value",
			                    json_boolean(config_bool(cfg, (enum config_option)i)));
		else if (t == CONFIG_INT)
			json_object_set_new(o, "value",
			                    json_integer(config_int(cfg, (enum config_option)i)));
		else
			json_object_set_new(o, "value", json_string(buf_str(&v)));
		json_object_set_new(o, "type", json_string(type_name(t)));
		json_object_set_new(o, "source", json_string(source_name(cfg->source[i])));
		json_object_set_new(o, "env", json_string(env));
		json_object_set_new(o, "help", json_string(config_help((enum config_option)i)));
		json_array_append_new(options, o);
		buf_release(&v);
	}
	json_t *out = json_object();
	json_object_set_new(out, "file", cfg->path[0] ? json_string(cfg->path) : json_null());
	json_object_set_new(out, "options", options);
	return cli_print_json(out);
}
