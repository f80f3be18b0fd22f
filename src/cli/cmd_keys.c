/*
 * cmd_keys: the centre's Ed25519 signing keys (src/doc/documents.h).
 *
 *   motcua keys generate   creates the first key; refused (exit 2) when one exists
 *   motcua keys rotate     retires the current key (it stays, to verify what it
 *                          signed) and makes a new one current
 *   motcua keys list       every key, oldest first, with its public key
 *
 * The private key (an Ed25519 seed) is kept in the database, table
 * signing_key, so that every node signs with the current key; it is never
 * printed. generate and rotate print
 *   {"id":"...","algorithm":"Ed25519","public_key":"...","current":true,
 *    "created_at":"...","retired":"ID"|null}
 * and list prints {"items":[...],"total":N}.
 */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "base/vntime.h"
#include "doc/documents.h"

#define KEYS_USAGE "usage: motcua keys generate | motcua keys rotate | motcua keys list"

static json_t *time_json(int64_t t)
{
	if (t == INT64_MIN)
		return json_null();
	char buf[VNTIME_DATETIME_LEN];
	vntime_format_datetime(t, buf);
	return json_string(buf);
}

static json_t *key_json(const struct documents_key *k)
{
	json_t *o = json_object();
	json_object_set_new(o, "id", json_string(k->id));
	json_object_set_new(o, "algorithm", json_string("Ed25519"));
	json_object_set_new(o, "public_key", json_string(k->public_key));
	json_object_set_new(o, "current", json_boolean(k->current));
	json_object_set_new(o, "created_at", time_json(k->created_at));
	json_object_set_new(o, "retired_at", time_json(k->retired_at));
	json_object_set_new(o, "documents", json_integer(k->documents));
	return o;
}

static int run(struct cli *cli, struct service *svc, const char *what)
{
	struct err e;
	err_clear(&e);
	if (strcmp(what, "list") == 0) {
		struct documents_key *keys;
		size_t n;
		if (documents_keys(svc, &keys, &n, &e) != ERR_OK)
			return cli_fail_err(cli, &e);
		json_t *items = json_array();
		for (size_t i = 0; i < n; i++)
			json_array_append_new(items, key_json(&keys[i]));
		free(keys);
		json_t *o = json_object();
		json_object_set_new(o, "items", items);
		json_object_set_new(o, "total", json_integer((json_int_t)n));
		return cli_print_json(o);
	}
	struct actor actor;
	service_system_actor(&actor, "cli");
	struct documents_key k;
	char retired[SIG_KEY_ID_LEN];
	if (documents_key_generate(svc, &actor, strcmp(what, "rotate") == 0, &k, retired, &e) !=
	    ERR_OK)
		return cli_fail_err(cli, &e);
	json_t *o = key_json(&k);
	json_object_del(o, "retired_at");
	json_object_del(o, "documents");
	json_object_set_new(o, "retired", retired[0] ? json_string(retired) : json_null());
	return cli_print_json(o);
}

int cmd_keys(struct cli *cli, int argc, char **argv)
{
	if (argc != 2 || (strcmp(argv[1], "generate") != 0 && strcmp(argv[1], "rotate") != 0 &&
	                  strcmp(argv[1], "list") != 0)) {
		if (argc >= 2 && argv[1][0] && argv[1][0] != '-' && argc == 2)
			return cli_fail(cli, ERR_USAGE, "unknown subcommand '%s'; %s", argv[1],
			                KEYS_USAGE);
		return cli_fail(cli, ERR_USAGE, "%s", KEYS_USAGE);
	}
	struct db *db = NULL;
	struct service svc;
	int st = cli_open_service(cli, &db, &svc);
	if (st != CLI_OK)
		return st;
	st = run(cli, &svc, argv[1]);
	cli_close_service(db, &svc);
	return st;
}
