/*
 * cmd_verify: `motcua verify FILE` checks a document the centre issued: the
 * signature line after its %%EOF, the Ed25519 signature by the key it names
 * over (verification code, SHA-256 of the bytes before that line), and the
 * register of issued documents (src/doc/documents.h). It prints
 *   {"valid":true,"code":"...","kind":"form","form":"receipt","set":"2025",
 *    "dossier":"CODE"|null,"unit":"CN01"|null,"period":{...}|null,
 *    "key":"ID","key_current":true,"issued_at":"...","sha256":"...","bytes":N}
 * and exits 0, or
 *   {"valid":false,"reason":"tampered","detail":"...","code":"..."|null,"sha256":...}
 * and exits 1. A missing, unreadable or empty file, or wrong arguments, exit 2.
 */
#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "base/vntime.h"
#include "cli/cli.h"
#include "doc/documents.h"

#define VERIFY_USAGE "usage: motcua verify FILE"

static json_t *opt_text(const char *s)
{
	return s && *s ? json_string(s) : json_null();
}

static json_t *time_json(int64_t t)
{
	if (t == INT64_MIN)
		return json_null();
	char buf[VNTIME_DATETIME_LEN];
	vntime_format_datetime(t, buf);
	return json_string(buf);
}

static json_t *day_json(int64_t d)
{
	if (d == INT64_MIN)
		return json_null();
	char buf[VNTIME_DATE_LEN];
	vntime_format_date(d, buf);
	return json_string(buf);
}

static json_t *verdict_json(const struct documents_verdict *v)
{
	json_t *o = json_object();
	json_object_set_new(o, "valid", json_boolean(v->valid));
	if (!v->valid) {
		json_object_set_new(o, "reason", json_string(v->reason));
		json_object_set_new(o, "detail", json_string(v->detail));
		json_object_set_new(o, "code", opt_text(v->code));
		json_object_set_new(o, "sha256", opt_text(v->sha256));
		return o;
	}
	const struct db_issued_document *d = &v->doc;
	json_object_set_new(o, "code", json_string(d->code));
	json_object_set_new(o, "kind", json_string(d->kind));
	json_object_set_new(o, "form", json_string(d->form));
	json_object_set_new(o, "set", opt_text(d->form_set));
	json_object_set_new(o, "dossier", opt_text(d->dossier_code));
	json_object_set_new(o, "unit", opt_text(d->unit_code));
	if (d->period_from != INT64_MIN) {
		json_t *p = json_object();
		json_object_set_new(p, "from", day_json(d->period_from));
		json_object_set_new(p, "to", day_json(d->period_to));
		json_object_set_new(o, "period", p);
	} else {
		json_object_set_new(o, "period", json_null());
	}
	json_object_set_new(o, "key", json_string(d->key_id));
	json_object_set_new(o, "key_current", json_boolean(v->key_current));
	json_object_set_new(o, "issued_at", time_json(d->issued_at));
	json_object_set_new(o, "sha256", json_string(d->sha256));
	json_object_set_new(o, "bytes", json_integer(d->bytes));
	return o;
}

/* Reads path into b. Returns CLI_OK or the exit status after reporting. */
static int read_file(struct cli *cli, const char *path, struct buf *b)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return cli_fail(cli, ERR_NOT_FOUND, "cannot open '%s'", path);
	char chunk[65536];
	size_t n;
	int st = CLI_OK;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
		if (buf_append(b, chunk, n) != 0) {
			st = cli_fail(cli, ERR_TOO_LONG, "'%s' is larger than %u bytes", path,
			              DOCUMENTS_VERIFY_MAX);
			break;
		}
	}
	if (st == CLI_OK && ferror(f))
		st = cli_fail(cli, ERR_INVALID_ARGUMENT, "cannot read '%s'", path);
	fclose(f);
	if (st == CLI_OK && b->len == 0)
		st = cli_fail(cli, ERR_INVALID_ARGUMENT, "'%s' is empty", path);
	return st;
}

int cmd_verify(struct cli *cli, int argc, char **argv)
{
	if (argc != 2 || argv[1][0] == '\0' || (argv[1][0] == '-' && argv[1][1] != '\0'))
		return cli_fail(cli, ERR_USAGE, "%s", VERIFY_USAGE);
	struct buf b = BUF_INIT(DOCUMENTS_VERIFY_MAX);
	int st = read_file(cli, argv[1], &b);
	if (st != CLI_OK) {
		buf_release(&b);
		return st;
	}
	struct db *db = NULL;
	struct service svc;
	if ((st = cli_open_service(cli, &db, &svc)) != CLI_OK) {
		buf_release(&b);
		return st;
	}
	struct documents_verdict v;
	struct err e;
	err_clear(&e);
	enum err_code rc = documents_verify_file(&svc, b.data, b.len, &v, &e);
	buf_release(&b);
	cli_close_service(db, &svc);
	if (rc != ERR_OK)
		return cli_fail_err(cli, &e);
	bool valid = v.valid;
	cli_print_json(verdict_json(&v));
	if (!valid) {
		fprintf(stderr, "motcua verify: %s: %s (%s)\n", argv[1], v.detail, v.reason);
		return CLI_FAIL;
	}
	return CLI_OK;
}
