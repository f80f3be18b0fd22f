/*
 * cmd_report_export: the reports of a period from the command line
 * (service/reports.h, docs/reports.md):
 *
 *   motcua report period|late|satisfaction [--from YYYY-MM-DD] [--to YYYY-MM-DD]
 *          [--format json|csv|xlsx] [--out FILE] [--lang vi|en]
 *          [--limit N] [--offset N]                     (late only)
 *
 * The period defaults to the month of --to (or of today) up to --to (or
 * today); it is at most 366 days. Without --out the report goes to standard
 * output: JSON (the default) as one line, CSV as its bytes; XLSX is binary
 * and is written to standard output only when that is not a terminal (else
 * exit 2: give --out). With --out the file is written whole or not at all
 * (a temporary file renamed into place) and a JSON summary is printed:
 * {"report", "format", "file", "bytes", "rows"}. The late list is whole
 * unless --limit is given (at most 500 a page). The command reads as the
 * system actor; the read of the late list is audited as any other.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/str.h"
#include "cli/cmd_report.h"
#include "doc/report_csv.h"
#include "doc/report_xlsx.h"
#include "service/reports.h"

enum export_format { FORMAT_JSON, FORMAT_CSV, FORMAT_XLSX };

struct export_args {
	const char *from, *to, *out;
	enum export_format format;
	enum err_lang lang;
	int64_t limit, offset;
};

static int usage(struct cli *cli, const char *name, const char *what)
{
	return cli_fail(cli, ERR_USAGE,
	                "%s; usage: motcua report %s [--from YYYY-MM-DD] [--to YYYY-MM-DD] "
	                "[--format json|csv|xlsx] [--out FILE] [--lang vi|en]%s",
	                what, name, str_eq(name, "late") ? " [--limit N] [--offset N]" : "");
}

static int parse_args(struct cli *cli, int argc, char **argv, bool paged, struct export_args *a)
{
	memset(a, 0, sizeof *a);
	a->format = FORMAT_JSON;
	a->lang = ERR_LANG_VI;
	bool have_limit = false;
	for (int i = 1; i < argc; i++) {
		const char *opt = argv[i];
		if (!str_has_prefix(opt, "--"))
			return usage(cli, argv[0], "unexpected argument");
		if (i + 1 >= argc || str_empty(argv[i + 1]))
			return cli_fail(cli, ERR_MISSING_ARGUMENT, "option '%s' needs a value",
			                opt);
		const char *v = argv[++i];
		if (str_eq(opt, "--from")) {
			a->from = v;
		} else if (str_eq(opt, "--to")) {
			a->to = v;
		} else if (str_eq(opt, "--out")) {
			a->out = v;
		} else if (str_eq(opt, "--format")) {
			if (str_eq(v, "json"))
				a->format = FORMAT_JSON;
			else if (str_eq(v, "csv"))
				a->format = FORMAT_CSV;
			else if (str_eq(v, "xlsx"))
				a->format = FORMAT_XLSX;
			else
				return cli_fail(cli, ERR_INVALID_ARGUMENT,
				                "unknown format '%s' (json, csv or xlsx)", v);
		} else if (str_eq(opt, "--lang")) {
			if (str_eq(v, "vi"))
				a->lang = ERR_LANG_VI;
			else if (str_eq(v, "en"))
				a->lang = ERR_LANG_EN;
			else
				return cli_fail(cli, ERR_INVALID_ARGUMENT,
				                "unknown language '%s' (vi or en)", v);
		} else if (paged && str_eq(opt, "--limit")) {
			if (str_parse_int64(v, 1, REPORTS_PAGE_MAX, &a->limit) != 0)
				return cli_fail(cli, ERR_OUT_OF_RANGE, "--limit must be 1..%d",
				                REPORTS_PAGE_MAX);
			have_limit = true;
		} else if (paged && str_eq(opt, "--offset")) {
			if (str_parse_int64(v, 0, REPORTS_OFFSET_MAX, &a->offset) != 0)
				return cli_fail(cli, ERR_OUT_OF_RANGE, "--offset must be 0..%d",
				                REPORTS_OFFSET_MAX);
		} else {
			return cli_fail(cli, ERR_USAGE, "unknown option '%s'", opt);
		}
	}
	if (a->offset && !have_limit)
		return cli_fail(cli, ERR_MISSING_ARGUMENT, "--offset needs --limit");
	return CLI_OK;
}

/* Writes len bytes to path through a temporary file renamed into place. */
static int write_file(struct cli *cli, const char *path, const char *data, size_t len)
{
	char tmp[4096];
	if (snprintf(tmp, sizeof tmp, "%s.partial", path) >= (int)sizeof tmp)
		return cli_fail(cli, ERR_TOO_LONG, "the file name '%.80s...' is too long", path);
	FILE *f = fopen(tmp, "wb");
	if (!f)
		return cli_fail(cli, ERR_IO, "cannot write '%s': %s", path, strerror(errno));
	bool ok = fwrite(data, 1, len, f) == len;
	ok = fflush(f) == 0 && ok;
	ok = fsync(fileno(f)) == 0 && ok;
	ok = fclose(f) == 0 && ok;
	if (!ok || rename(tmp, path) != 0) {
		int err = errno;
		unlink(tmp);
		return cli_fail(cli, ERR_IO, "cannot write '%s': %s", path, strerror(err));
	}
	return CLI_OK;
}

static int64_t rows_of(const struct report *r)
{
	int64_t n = 0;
	for (size_t k = 0; k < r->nsections; k++)
		n += (int64_t)r->sections[k].nrows;
	return n;
}

static int emit(struct cli *cli, const struct export_args *a, const struct report *r)
{
	static const char *const names[] = {"json", "csv", "xlsx"};
	char *data = NULL;
	size_t len = 0;
	struct err e;
	err_clear(&e);
	if (a->format == FORMAT_JSON) {
		json_t *j = report_json(r, a->lang);
		if (!j)
			return cli_fail(cli, ERR_NO_MEMORY, "out of memory");
		if (!a->out)
			return cli_print_json(j);
		data = json_dumps(j,
		                  JSON_PRESERVE_ORDER | JSON_INDENT(1) | JSON_REAL_PRECISION(15));
		json_decref(j);
		if (!data)
			return cli_fail(cli, ERR_NO_MEMORY, "out of memory");
		len = strlen(data);
	} else if (a->format == FORMAT_CSV) {
		struct buf b;
		buf_init(&b, REPORT_CSV_MAX);
		if (report_csv_write(r, a->lang, &b, &e) != ERR_OK) {
			buf_release(&b);
			return cli_fail_err(cli, &e);
		}
		len = b.len;
		data = buf_detach(&b);
	} else {
		if (!a->out && isatty(STDOUT_FILENO))
			return cli_fail(
			        cli, ERR_USAGE,
			        "an XLSX file is binary: give --out FILE or redirect the output");
		if (report_xlsx_bytes(r, a->lang, &data, &len, &e) != ERR_OK)
			return cli_fail_err(cli, &e);
	}
	int st = CLI_OK;
	if (a->out) {
		st = write_file(cli, a->out, data ? data : "", len);
		if (st == CLI_OK) {
			json_t *o = json_object();
			json_object_set_new(o, "report", json_string(reports_type_name(r->type)));
			json_object_set_new(o, "format", json_string(names[a->format]));
			json_object_set_new(o, "file", json_string(a->out));
			json_object_set_new(o, "bytes", json_integer((json_int_t)len));
			json_object_set_new(o, "rows", json_integer(rows_of(r)));
			st = cli_print_json(o);
		}
	} else if (len > 0 && (fwrite(data, 1, len, stdout) != len || fflush(stdout) != 0)) {
		st = cli_fail(cli, ERR_IO, "cannot write the report: %s", strerror(errno));
	}
	free(data);
	return st;
}

static int run(struct cli *cli, enum report_type type, int argc, char **argv)
{
	struct export_args a;
	int st = parse_args(cli, argc, argv, type == REPORT_LATE, &a);
	if (st != CLI_OK)
		return st;
	struct db *db = NULL;
	struct service svc;
	if ((st = cli_open_service(cli, &db, &svc)) != CLI_OK)
		return st;
	struct err e;
	err_clear(&e);
	struct report_query q;
	struct report r;
	report_init(&r, type);
	if (reports_query_parse(a.from, a.to, service_now(&svc), &q, &e) != ERR_OK) {
		st = cli_fail_err(cli, &e);
		goto out;
	}
	q.limit = a.limit;
	q.offset = a.offset;
	struct actor sys;
	service_system_actor(&sys, "cli");
	if (reports_build(&svc, &sys, type, &q, &r, &e) != ERR_OK) {
		st = cli_fail_err(cli, &e);
		goto out;
	}
	st = emit(cli, &a, &r);
out:
	report_release(&r);
	cli_close_service(db, &svc);
	return st;
}

int report_cmd_period(struct cli *cli, int argc, char **argv)
{
	return run(cli, REPORT_PERIOD, argc, argv);
}

int report_cmd_late(struct cli *cli, int argc, char **argv)
{
	return run(cli, REPORT_LATE, argc, argv);
}

int report_cmd_satisfaction(struct cli *cli, int argc, char **argv)
{
	return run(cli, REPORT_SATISFACTION, argc, argv);
}
