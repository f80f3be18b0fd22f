/*
 * cmd_report: `motcua report ...` (issue 7). cmd_report.c dispatches the
 * sub-commands and implements `verify` and `indicators`; the exports
 * (period report, late dossiers, satisfaction) are in cmd_report_export.c.
 * Each takes argv[0] = its own name ("period", ...), like a command.
 */
#ifndef MOTCUA_CLI_CMD_REPORT_H
#define MOTCUA_CLI_CMD_REPORT_H

#include "cli/cli.h"

int report_cmd_period(struct cli *cli, int argc, char **argv);
int report_cmd_late(struct cli *cli, int argc, char **argv);
int report_cmd_satisfaction(struct cli *cli, int argc, char **argv);

#endif
