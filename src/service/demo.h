/*
 * demo: fills a fresh database with a small, realistic demonstration: a
 * synthetic population registry, one account per role (with random
 * passwords, returned once), and a few dossiers at different points of their
 * lives, made through the same use cases as real work (intake, actions).
 * Import the reference data first.
 */
#ifndef MOTCUA_SERVICE_DEMO_H
#define MOTCUA_SERVICE_DEMO_H

#include <stddef.h>

#include "service/account.h"
#include "service/service.h"

#define DEMO_MAX_ACCOUNTS 16
#define DEMO_MAX_DOSSIERS 8
#define DEMO_PASSWORD_LEN 17 /* 16 characters + NUL */

struct demo_account {
	char role[24];
	char username[SERVICE_USERNAME_MAX];
	char password[DEMO_PASSWORD_LEN];
	char unit_code[SERVICE_CODE_MAX];
};

struct demo_dossier {
	char code[40]; /* "" for an online submission not accepted yet */
	char id[SERVICE_ID_LEN];
	char procedure[SERVICE_CODE_MAX];
	char state[32];
	char id_last4[5]; /* for the public lookup */
};

struct demo_report {
	int population;
	size_t n_accounts;
	struct demo_account accounts[DEMO_MAX_ACCOUNTS];
	size_t n_dossiers;
	struct demo_dossier dossiers[DEMO_MAX_DOSSIERS];
};

/* A random password of DEMO_PASSWORD_LEN - 1 unambiguous letters and digits. */
void demo_random_password(char out[DEMO_PASSWORD_LEN]);

/* The staff actor of a demo account (address "demo"). */
void demo_staff_actor(struct actor *a, const struct account_info *info);

/*
 * Seeds the demonstration. Refuses (ERR_CONFLICT-like ERR_INVALID_ARGUMENT
 * with a clear detail) when the database already has accounts, so that it
 * never touches a database in use. population is the number of synthetic
 * residents (e.g. 2000). Returns ERR_OK or the first error.
 */
enum err_code demo_seed(struct service *svc, struct accounts *acc, int population,
                        struct demo_report *out, struct err *e);

#endif
