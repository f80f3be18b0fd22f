/*
 * libFuzzer target for the holiday CSV parser (domain/holidays). Invariants:
 * a parsed table is sorted with one row per date and respects the weekday
 * rules; writing it back and parsing again gives the same table; resolving
 * it never crashes, and a resolved set builds a working calendar whose clock
 * inverts.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/vntime.h"
#include "domain/holidays.h"
#include "domain/worktime.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int cond)
{
	if (!cond)
		abort();
}

static void same_tables(const struct holiday_table *a, const struct holiday_table *b)
{
	check(a->count == b->count);
	for (size_t i = 0; i < a->count; i++) {
		const struct holiday_row *x = &a->rows[i], *y = &b->rows[i];
		check(x->date == y->date && x->kind == y->kind && x->occasion == y->occasion &&
		      x->year == y->year && x->status == y->status);
		check(strcmp(x->name_vi, y->name_vi) == 0 && strcmp(x->name_en, y->name_en) == 0 &&
		      strcmp(x->source, y->source) == 0);
	}
}

static void resolve_and_build(const struct holiday_table *t, bool uncertain)
{
	struct holiday_set s;
	struct err e;
	if (holidays_resolve(t, 2024, 2026, uncertain, &s, &e) != ERR_OK) {
		check(s.entries == NULL && s.count == 0);
		return;
	}
	for (size_t i = 1; i < s.count; i++)
		check(s.entries[i - 1].date < s.entries[i].date);
	struct worktime_hours h;
	struct worktime_calendar cal;
	check(worktime_hours_parse("08:00-12:00,13:00-17:00", &h, &e) == ERR_OK);
	if (worktime_calendar_build(&cal, &s, &h, &e) == ERR_OK) {
		for (int32_t i = 0; i < cal.ndays; i += 7) {
			int64_t w, t2, w2;
			int64_t t1 = vntime_join(cal.first_day + i, 10 * 3600);
			check(worktime_clock(&cal, t1, &w, &e) == ERR_OK);
			if (worktime_instant_at(&cal, w, &t2, &e) == ERR_OK) {
				check(t2 <= t1 || w == 0);
				check(worktime_clock(&cal, t2, &w2, &e) == ERR_OK && w2 == w);
			}
		}
		worktime_calendar_release(&cal);
	}
	holidays_set_release(&s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct holiday_table t, u;
	struct err e;
	if (holidays_parse_csv((const char *)data, size, &t, &e) != ERR_OK) {
		check(t.rows == NULL && t.count == 0);
		check(e.code != ERR_OK && e.detail[0] != '\0');
		return 0;
	}
	for (size_t i = 0; i < t.count; i++) {
		int wd = vntime_weekday(t.rows[i].date);
		bool weekend = wd == 0 || wd == 6;
		check(t.rows[i].kind == HOLIDAY_WORK ? weekend : !weekend);
		check(i == 0 || t.rows[i - 1].date < t.rows[i].date);
	}
	struct buf b = BUF_INIT(4 * HOLIDAYS_CSV_MAX_BYTES);
	check(holidays_write_csv(&t, &b) == 0);
	check(holidays_parse_csv(buf_str(&b), b.len, &u, &e) == ERR_OK);
	same_tables(&t, &u);
	holidays_table_release(&u);
	buf_release(&b);
	resolve_and_build(&t, false);
	resolve_and_build(&t, true);
	holidays_table_release(&t);
	return 0;
}
