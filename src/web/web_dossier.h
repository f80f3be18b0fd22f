/*
 * web_dossier: what the dossier pages (web_dossier.c) share with the counter
 * desk (web_desk.c): the units of the reference data, read once per page
 * into the request's arena, with their names in the page's language, and
 * the select of the branches where a result may be collected.
 */
#ifndef MOTCUA_WEB_WEB_DOSSIER_H
#define MOTCUA_WEB_WEB_DOSSIER_H

#include <stdbool.h>
#include <stddef.h>

#include "base/error.h"
#include "web/web.h"

#define WEB_UNITS_MAX 2000 /* units read for one page */

/* An active unit (strings in the request's arena). */
struct web_unit {
	const char *code;
	const char *kind; /* centre, branch, point, department, commune_committee, ... */
	const char *name_vi;
	const char *name_en;
	const char *address;
	const char *opening_hours;
	bool receives;
};

struct web_units {
	struct web_unit *items;
	size_t n;
};

/* Reads every active unit into out (arena memory of p's request). */
enum err_code web_units_load(struct web_page *p, struct web_units *out, struct err *e);

/* The unit with this code, or NULL. */
const struct web_unit *web_units_find(const struct web_units *u, const char *code);

/* The unit's name in the page's language; the code itself when unknown; "" for NULL or "". */
const char *web_unit_name(const struct web_page *p, const struct web_units *u, const char *code);

/*
 * A <select name> of the places where a result may be collected: first
 * `first` (e.g. the officer's own unit; may be NULL), then every active
 * branch and service point. selected: the value chosen (NULL: the first).
 * With allow_none an empty first option "(not chosen)" is offered.
 */
void web_collection_select(struct web_page *p, const struct web_units *u, const char *name,
                           const char *id_prefix, const char *label, const char *first,
                           const char *selected, const char *error, bool allow_none);

#endif
