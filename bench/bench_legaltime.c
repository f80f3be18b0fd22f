/*
 * bench_legaltime: speed of the legal-time core. Prints figures; asserts nothing.
 *   - building the civil-service calendar (rules + announced data, 2000-2100)
 *   - due instants (N working days), remaining time, working clock
 *   - lunar conversions both ways
 *   - personal ID numbers and dossier codes parsed
 *   - Vietnamese text folding
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "base/buf.h"
#include "base/config.h"
#include "base/fold.h"
#include "base/vntime.h"
#include "domain/cccd.h"
#include "domain/dossier_code.h"
#include "domain/lunar.h"
#include "domain/worktime.h"
#include "service/calendar.h"

static double seconds_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void report(const char *what, long n, double secs)
{
	printf("%-44s %10ld ops %9.3f ms %12.0f ops/s %9.1f ns/op\n", what, n, secs * 1e3,
	       (double)n / secs, secs * 1e9 / (double)n);
}

int main(void)
{
	struct config cfg;
	struct err e;
	config_defaults(&cfg);

	/* Calendar build. */
	int builds = 20;
	double t0 = seconds_now();
	for (int i = 0; i < builds; i++) {
		struct calendar c;
		if (calendar_load(&cfg, &c, &e) != ERR_OK) {
			fprintf(stderr, "calendar: %s\n", e.detail);
			return 1;
		}
		calendar_release(&c);
	}
	report("calendar build 2000-2100 (parse+rules+table)", builds, seconds_now() - t0);

	struct calendar c;
	if (calendar_load(&cfg, &c, &e) != ERR_OK)
		return 1;

	/* Due instants over a spread of receptions in 2025-2026. */
	long n = 1000000;
	int64_t start = vntime_join(vntime_days_from_civil(2025, 1, 1), 0);
	int64_t sink = 0;
	struct worktime_limit lim = {WORKTIME_DAYS, 15, WORKTIME_NO_CUTOFF, WORKTIME_PAUSE_RESTART};
	t0 = seconds_now();
	for (long i = 0; i < n; i++) {
		int64_t due, legal;
		int64_t at = start + (i * 7919) % (2 * 365 * 86400L);
		lim.amount = (int)(i % 30);
		if (worktime_due(&c.cal, &lim, at, &legal, &due, NULL) == ERR_OK)
			sink += due;
	}
	report("worktime_due (N working days)", n, seconds_now() - t0);

	t0 = seconds_now();
	for (long i = 0; i < n; i++) {
		int64_t rem;
		int64_t at = start + (i * 7919) % (2 * 365 * 86400L);
		if (worktime_remaining(&c.cal, start + 400 * 86400L, at, &rem, NULL) == ERR_OK)
			sink += rem;
	}
	report("worktime_remaining", n, seconds_now() - t0);

	/* Lunar conversions. */
	long nl = 200000;
	t0 = seconds_now();
	for (long i = 0; i < nl; i++) {
		struct lunar_date ld;
		if (lunar_from_solar(vntime_days_from_civil(1900, 1, 1) + i % 100000, &ld, NULL) ==
		    ERR_OK)
			sink += ld.day;
	}
	report("lunar_from_solar", nl, seconds_now() - t0);
	t0 = seconds_now();
	for (long i = 0; i < nl; i++) {
		struct lunar_date ld = {1 + (int)(i % 29), 1 + (int)(i % 12), 1900 + (int)(i % 250),
		                        false};
		int64_t d;
		if (lunar_to_solar(&ld, &d, NULL) == ERR_OK)
			sink += d;
	}
	report("lunar_to_solar", nl, seconds_now() - t0);

	/* Identifiers. */
	t0 = seconds_now();
	for (long i = 0; i < n; i++) {
		struct cccd id;
		char s[16];
		snprintf(s, sizeof s, "0013%02ld%06ld", i % 100, i % 1000000);
		if (cccd_parse(s, CCCD_NO_DATE, &id, NULL) == ERR_OK)
			sink += id.birth_year;
	}
	report("cccd_parse", n, seconds_now() - t0);
	t0 = seconds_now();
	for (long i = 0; i < n; i++) {
		struct dossier_code dc;
		if (dossier_code_parse("000.00.01.H26-250425-0007", &dc, NULL) == ERR_OK)
			sink += dc.sequence;
	}
	report("dossier_code_parse", n, seconds_now() - t0);

	/* Folding. */
	const char *text =
	        "Cấp giấy phép xây dựng mới đối với công trình cấp III, cấp IV và nhà ở riêng lẻ";
	struct buf b = BUF_INIT(4096);
	t0 = seconds_now();
	for (long i = 0; i < n; i++) {
		buf_reset(&b);
		if (fold_text(text, strlen(text), &b, NULL) == ERR_OK)
			sink += (int64_t)b.len;
	}
	report("fold_text (80-byte procedure name)", n, seconds_now() - t0);
	buf_release(&b);

	calendar_release(&c);
	printf("(checksum %lld)\n", (long long)sink);
	return 0;
}
