/*
 * main: the motcua command. Removes the global option --config FILE from the
 * arguments (it may stand anywhere), loads the configuration, and runs the
 * subcommand named by the first remaining argument (table: commands.def).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/config.h"
#include "base/log.h"
#include "base/str.h"
#include "cli/cli.h"

struct command {
	const char *name;
	cli_fn *fn;
	const char *summary;
	const char *usage;
};

static const struct command commands[] = {
#define CMD(name, fn, summary, usage) {name, fn, summary, usage},
#include "cli/commands.def"
#undef CMD
};

#define N_COMMANDS (sizeof commands / sizeof commands[0])

static const struct command *find_command(const char *name)
{
	for (size_t i = 0; i < N_COMMANDS; i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

int cmd_help(struct cli *cli, int argc, char **argv)
{
	(void)cli;
	if (argc > 2)
		return cli_fail(cli, ERR_USAGE, "usage: motcua help [COMMAND]");
	if (argc == 2) {
		const struct command *c = find_command(argv[1]);
		if (!c)
			return cli_fail(cli, ERR_USAGE, "unknown command '%s'", argv[1]);
		printf("%s: %s\nusage: %s\n", c->name, c->summary, c->usage);
		return CLI_OK;
	}
	printf("motcua - information system of a one-level Public Administration Service Centre\n\n"
	       "usage: motcua [--config FILE] COMMAND [ARGS]\n\ncommands:\n");
	for (size_t i = 0; i < N_COMMANDS; i++)
		printf("  %-10s %s\n", commands[i].name, commands[i].summary);
	printf("\nEvery command accepts --config FILE (default: $MOTCUA_CONFIG, then "
	       "etc/motcua.ini, then built-in defaults);\nMOTCUA_<OPTION> environment "
	       "variables override the file. 'motcua help COMMAND' shows a command's usage.\n");
	return CLI_OK;
}

int main(int argc, char **argv)
{
	const char *config_path = NULL;
	int n = 1;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--config") == 0) {
			if (i + 1 >= argc) {
				fprintf(stderr, "motcua: option '--config' needs a file name\n");
				return CLI_USAGE;
			}
			config_path = argv[++i];
		} else if (str_has_prefix(argv[i], "--config=")) {
			config_path = argv[i] + strlen("--config=");
		} else {
			argv[n++] = argv[i];
		}
	}
	argc = n;
	argv[argc] = NULL;

	if (argc < 2) {
		struct cli none = {"help", NULL};
		cmd_help(&none, 1, argv);
		return CLI_USAGE;
	}
	const char *name = argv[1];
	if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0)
		name = "help";
	else if (strcmp(name, "--version") == 0)
		name = "version";
	const struct command *c = find_command(name);
	if (!c) {
		fprintf(stderr, "motcua: unknown command '%s'; see 'motcua help'\n", name);
		return CLI_USAGE;
	}

	static struct config cfg;
	struct err e;
	err_clear(&e);
	if (config_load(&cfg, config_path, &e) != ERR_OK) {
		fprintf(stderr, "motcua: %s (%s)\n", e.detail, err_code_str(e.code));
		return CLI_USAGE;
	}
	log_set_level_name(config_str(&cfg, CONFIG_OPT_log_level)); /* checked by config_set */
	struct cli cli = {c->name, &cfg};
	return c->fn(&cli, argc - 1, argv + 1);
}
