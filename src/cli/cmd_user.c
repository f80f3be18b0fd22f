/*
 * cmd_user: staff and system accounts from the command line.
 *
 *   motcua user add USERNAME --role ROLE [--role ROLE...] [--unit UNIT_CODE]
 *                   --name "Full Name" [--password-stdin | --password PW]
 *   motcua user passwd USERNAME          (new password: first line of stdin)
 *   motcua user disable USERNAME | motcua user enable USERNAME
 *   motcua user token USERNAME --label L [--revoke]
 *   motcua user list
 *
 * Each write runs as the system actor "cli" and is audited in its own
 * transaction (service/account.h). `user token` prints the token once: only
 * its SHA-256 is kept. Output is one JSON object; bad input exits 2, a
 * database failure 1.
 */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "base/vntime.h"
#include "cli/cli.h"
#include "db/db.h"
#include "db/migrate.h"
#include "domain/lifecycle.h"
#include "service/account.h"
#include "service/service.h"

#define USER_USAGE                                                                                 \
	"usage: motcua user add USERNAME --role ROLE [--role ROLE...] [--unit UNIT] "              \
	"--name NAME [--password-stdin | --password PW] | motcua user passwd USERNAME | "          \
	"motcua user disable USERNAME | motcua user enable USERNAME | "                            \
	"motcua user token USERNAME --label LABEL [--revoke] | motcua user list"

enum user_sub { SUB_ADD, SUB_PASSWD, SUB_DISABLE, SUB_ENABLE, SUB_TOKEN, SUB_LIST };

static const char *const sub_names[] = {"add", "passwd", "disable", "enable", "token", "list"};

struct user_args {
	enum user_sub sub;
	const char *username;
	unsigned roles;
	const char *unit, *name, *password, *label;
	bool password_stdin, revoke;
};

/* Which options each subcommand takes. */
enum {
	O_ROLE = 1 << 0,
	O_UNIT = 1 << 1,
	O_NAME = 1 << 2,
	O_PASSWORD = 1 << 3,
	O_PASSWORD_STDIN = 1 << 4,
	O_LABEL = 1 << 5,
	O_REVOKE = 1 << 6,
};

static const struct {
	const char *name;
	int bit;
	bool value;
} options[] = {
        {"--role", O_ROLE, true},
        {"--unit", O_UNIT, true},
        {"--name", O_NAME, true},
        {"--password", O_PASSWORD, true},
        {"--password-stdin", O_PASSWORD_STDIN, false},
        {"--label", O_LABEL, true},
        {"--revoke", O_REVOKE, false},
};

static const int allowed[] = {
        [SUB_ADD] = O_ROLE | O_UNIT | O_NAME | O_PASSWORD | O_PASSWORD_STDIN,
        [SUB_PASSWD] = 0,
        [SUB_DISABLE] = 0,
        [SUB_ENABLE] = 0,
        [SUB_TOKEN] = O_LABEL | O_REVOKE,
        [SUB_LIST] = 0,
};

static int parse_args(struct cli *cli, int argc, char **argv, struct user_args *u)
{
	int seen = 0;
	memset(u, 0, sizeof *u);
	if (argc < 2)
		return cli_fail(cli, ERR_USAGE, "%s", USER_USAGE);
	size_t k;
	for (k = 0; k < sizeof sub_names / sizeof sub_names[0]; k++)
		if (strcmp(argv[1], sub_names[k]) == 0)
			break;
	if (k == sizeof sub_names / sizeof sub_names[0])
		return cli_fail(cli, ERR_USAGE, "unknown subcommand '%s'; %s", argv[1], USER_USAGE);
	u->sub = (enum user_sub)k;
	int i = 2;
	if (u->sub != SUB_LIST) {
		if (argc < 3 || argv[2][0] == '-')
			return cli_fail(cli, ERR_MISSING_ARGUMENT, "'user %s' needs a USERNAME; %s",
			                sub_names[k], USER_USAGE);
		u->username = argv[2];
		i = 3;
	}
	for (; i < argc; i++) {
		const char *a = argv[i], *v = NULL;
		size_t j;
		if (a[0] == '\0')
			return cli_fail(cli, ERR_USAGE, "empty argument; %s", USER_USAGE);
		for (j = 0; j < sizeof options / sizeof options[0]; j++) {
			size_t n = strlen(options[j].name);
			if (strncmp(a, options[j].name, n) == 0 &&
			    (a[n] == '\0' || (a[n] == '=' && options[j].value)))
				break;
		}
		if (j == sizeof options / sizeof options[0])
			return cli_fail(cli, ERR_USAGE, "unknown argument '%s'; %s", a, USER_USAGE);
		if (!(allowed[u->sub] & options[j].bit))
			return cli_fail(cli, ERR_USAGE, "option '%s' does not apply to 'user %s'",
			                options[j].name, sub_names[u->sub]);
		if ((seen & options[j].bit) && options[j].bit != O_ROLE)
			return cli_fail(cli, ERR_USAGE, "option '%s' given twice", options[j].name);
		seen |= options[j].bit;
		if (options[j].value) {
			size_t n = strlen(options[j].name);
			if (a[n] == '=') {
				v = a + n + 1;
			} else {
				if (i + 1 >= argc)
					return cli_fail(cli, ERR_MISSING_ARGUMENT,
					                "option '%s' needs a value", a);
				v = argv[++i];
			}
			if (*v == '\0')
				return cli_fail(cli, ERR_INVALID_ARGUMENT, "empty value for '%s'",
				                options[j].name);
		}
		switch (options[j].bit) {
		case O_ROLE: {
			unsigned r = lifecycle_role_from_name(v);
			if (!r)
				return cli_fail(cli, ERR_INVALID_ARGUMENT, "unknown role '%s'", v);
			u->roles |= r;
			break;
		}
		case O_UNIT:
			u->unit = v;
			break;
		case O_NAME:
			u->name = v;
			break;
		case O_PASSWORD:
			u->password = v;
			break;
		case O_PASSWORD_STDIN:
			u->password_stdin = true;
			break;
		case O_LABEL:
			u->label = v;
			break;
		case O_REVOKE:
			u->revoke = true;
			break;
		}
	}
	if (u->sub == SUB_ADD) {
		if (!u->roles)
			return cli_fail(cli, ERR_MISSING_ARGUMENT, "'user add' needs --role; %s",
			                USER_USAGE);
		if (!u->name)
			return cli_fail(cli, ERR_MISSING_ARGUMENT, "'user add' needs --name; %s",
			                USER_USAGE);
		if (u->password && u->password_stdin)
			return cli_fail(cli, ERR_USAGE,
			                "give either --password or --password-stdin, not both");
	}
	if (u->sub == SUB_TOKEN && !u->label)
		return cli_fail(cli, ERR_MISSING_ARGUMENT, "'user token' needs --label; %s",
		                USER_USAGE);
	return CLI_OK;
}

/*
 * Reads the password from the first line of stdin into buf (the line end
 * removed). Returns CLI_OK or a cli_fail status.
 */
static int read_password(struct cli *cli, char *buf, size_t n)
{
	if (!fgets(buf, (int)n, stdin))
		return cli_fail(cli, ERR_MISSING_ARGUMENT, "no password on standard input");
	size_t len = strlen(buf);
	if (len > 0 && buf[len - 1] == '\n')
		buf[--len] = '\0';
	else if (!feof(stdin))
		return cli_fail(cli, ERR_TOO_LONG, "password longer than %d bytes",
		                ACCOUNT_PASSWORD_MAX);
	if (len > 0 && buf[len - 1] == '\r')
		buf[--len] = '\0';
	if (len == 0)
		return cli_fail(cli, ERR_MISSING_ARGUMENT, "empty password on standard input");
	return CLI_OK;
}

static json_t *time_json(int64_t t)
{
	char s[VNTIME_DATETIME_LEN];
	vntime_format_datetime(t, s);
	return json_string(s);
}

static json_t *account_json(const struct account_info *a)
{
	json_t *o = json_object();
	json_t *roles = json_array();
	for (unsigned bit = 1; bit && bit <= ROLE_SYSTEM; bit <<= 1)
		if (a->roles & bit)
			json_array_append_new(roles, json_string(lifecycle_role_name(bit)));
	json_object_set_new(o, "id", json_string(a->id));
	json_object_set_new(o, "username", json_string(a->username));
	json_object_set_new(o, "kind", json_string(account_kind_name(a->kind)));
	json_object_set_new(o, "roles", roles);
	json_object_set_new(o, "unit", a->unit_code[0] ? json_string(a->unit_code) : json_null());
	json_object_set_new(o, "full_name", json_string(a->full_name));
	json_object_set_new(o, "has_password", json_boolean(a->has_password));
	json_object_set_new(o, "disabled", json_boolean(a->disabled));
	json_object_set_new(o, "created_at", time_json(a->created_at));
	return o;
}

static int run(struct cli *cli, const struct user_args *u, struct accounts *acc)
{
	struct err e;
	struct actor cli_actor;
	char pw[ACCOUNT_PASSWORD_MAX + 2];
	int st;
	int64_t n = 0;
	err_clear(&e);
	service_system_actor(&cli_actor, "cli");

	switch (u->sub) {
	case SUB_ADD: {
		struct account_info info;
		const char *password = u->password;
		if (u->password_stdin) {
			if ((st = read_password(cli, pw, sizeof pw)) != CLI_OK)
				return st;
			password = pw;
		}
		struct account_new in = {u->username, u->roles, u->unit, u->name, password};
		enum err_code rc = account_create(acc, &cli_actor, &in, &info, &e);
		sodium_memzero(pw, sizeof pw);
		if (rc != ERR_OK)
			return cli_fail_err(cli, &e);
		return cli_print_json(account_json(&info));
	}
	case SUB_PASSWD: {
		if ((st = read_password(cli, pw, sizeof pw)) != CLI_OK)
			return st;
		enum err_code rc = account_set_password(acc, &cli_actor, u->username, pw, &n, &e);
		sodium_memzero(pw, sizeof pw);
		if (rc != ERR_OK)
			return cli_fail_err(cli, &e);
		struct account_info info;
		if (account_get(acc, u->username, &info, &e) != ERR_OK)
			return cli_fail_err(cli, &e);
		json_t *o = json_object();
		json_object_set_new(o, "username", json_string(info.username));
		json_object_set_new(o, "password_changed", json_true());
		json_object_set_new(o, "sessions_ended", json_integer(n));
		return cli_print_json(o);
	}
	case SUB_DISABLE:
	case SUB_ENABLE: {
		bool disable = u->sub == SUB_DISABLE;
		struct account_info info;
		if (account_set_disabled(acc, &cli_actor, u->username, disable, &n, &e) != ERR_OK ||
		    account_get(acc, u->username, &info, &e) != ERR_OK)
			return cli_fail_err(cli, &e);
		json_t *o = json_object();
		json_object_set_new(o, "username", json_string(info.username));
		json_object_set_new(o, "disabled", json_boolean(info.disabled));
		json_object_set_new(o, "sessions_ended", json_integer(n));
		return cli_print_json(o);
	}
	case SUB_TOKEN: {
		json_t *o = json_object();
		if (u->revoke) {
			if (account_token_revoke(acc, &cli_actor, u->username, u->label, &n, &e) !=
			    ERR_OK) {
				json_decref(o);
				return cli_fail_err(cli, &e);
			}
			json_object_set_new(o, "username", json_string(u->username));
			json_object_set_new(o, "label", json_string(u->label));
			json_object_set_new(o, "revoked", json_integer(n));
			return cli_print_json(o);
		}
		struct session_new t;
		if (account_token_create(acc, &cli_actor, u->username, u->label, &t, &e) !=
		    ERR_OK) {
			json_decref(o);
			return cli_fail_err(cli, &e);
		}
		json_object_set_new(o, "username", json_string(t.account.username));
		json_object_set_new(o, "label", json_string(u->label));
		json_object_set_new(o, "token", json_string(t.secret));
		json_object_set_new(o, "expires_at", time_json(t.expires_at));
		sodium_memzero(&t, sizeof t);
		return cli_print_json(o);
	}
	case SUB_LIST: {
		json_t *items = json_array();
		int64_t total = 0, offset = 0;
		for (;;) {
			struct account_list l;
			if (account_list(acc, &cli_actor, false, ACCOUNT_LIST_MAX, offset, &l,
			                 &e) != ERR_OK) {
				json_decref(items);
				return cli_fail_err(cli, &e);
			}
			for (size_t i = 0; i < l.count; i++)
				json_array_append_new(items, account_json(&l.items[i]));
			total = l.total;
			offset += (int64_t)l.count;
			bool more = l.count == ACCOUNT_LIST_MAX;
			account_list_release(&l);
			if (!more)
				break;
		}
		json_t *o = json_object();
		json_object_set_new(o, "items", items);
		json_object_set_new(o, "total", json_integer(total));
		return cli_print_json(o);
	}
	}
	return cli_fail(cli, ERR_INTERNAL, "unhandled subcommand");
}

int cmd_user(struct cli *cli, int argc, char **argv)
{
	struct user_args u;
	int st = parse_args(cli, argc, argv, &u);
	if (st != CLI_OK)
		return st;

	struct db *db = NULL;
	struct service svc;
	struct accounts acc;
	struct err e;
	err_clear(&e);
	if ((st = cli_open_service(cli, &db, &svc)) != CLI_OK)
		return st;
	if (accounts_init(&acc, &svc, &e) != ERR_OK) {
		cli_close_service(db, &svc);
		return cli_fail_err(cli, &e);
	}
	st = run(cli, &u, &acc);
	accounts_release(&acc);
	cli_close_service(db, &svc);
	return st;
}
