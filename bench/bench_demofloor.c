/*
 * bench_demofloor: the least time SQLite needs on this machine to store the
 * rows of N demo dossiers (issue 7 asks 1 million dossiers in under a
 * minute from `motcua demo`).
 *
 * It writes, on a fresh database with the real schema (the embedded
 * migrations), in one transaction with every shortcut the demo's bulk mode
 * takes (synchronous OFF, no journal, foreign keys off, secondary indexes
 * dropped and rebuilt at the end), with plain prepared INSERTs and no rule,
 * no read and no JSON library in the way, rows shaped like those `motcua
 * demo` writes per dossier (measured on its output: 1 dossier, ~4
 * components, ~8.5 events, ~8.5 audit rows chained by SHA-256, ~8.5 outbox
 * messages of ~300 bytes). Ids grow monotonically (the best case for the
 * B-trees; the live ids are random). So the figures are a floor: no
 * generator that stores what the live service stores can be faster here.
 *
 *   BENCH_FLOOR_DOSSIERS   number of dossiers (default 1000000)
 *   MOTCUA_BENCH_DIR       where the database goes (default var/bench)
 *
 * Figures are printed, never asserted.
 */
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "db/db.h"
#include "db/migrate.h"

#define EVENTS_TIMES_2 17 /* 8.5 events per dossier */
#define COMPONENTS     4

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(sqlite3 *db, const char *what)
{
	fprintf(stderr, "bench_demofloor: %s: %s\n", what, db ? sqlite3_errmsg(db) : "");
	exit(1);
}

static void exec(sqlite3 *db, const char *sql)
{
	if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
		die(db, sql);
}

static sqlite3_stmt *prepare(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK)
		die(db, sql);
	return st;
}

static void run(sqlite3 *db, sqlite3_stmt *st)
{
	if (sqlite3_step(st) != SQLITE_DONE)
		die(db, "insert");
	sqlite3_reset(st);
}

static void text(sqlite3_stmt *st, int i, const char *s)
{
	sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
}

/* The schema of the embedded migrations on a fresh file. */
static void make_schema(const char *path)
{
	char url[1200];
	snprintf(url, sizeof url, "sqlite:%s", path);
	struct db *db = NULL;
	struct db_conn *c;
	struct err e;
	int n, applied;
	err_clear(&e);
	const struct migration *list = migrate_embedded(&n);
	if (db_open(url, NULL, &db, &e) != ERR_OK || db_thread_conn(db, &c, &e) != ERR_OK ||
	    migrate_apply(c, list, n, 1700000000, &applied, &e) != ERR_OK) {
		fprintf(stderr, "bench_demofloor: %s\n", e.detail);
		exit(1);
	}
	db_close(db);
}

struct part {
	const char *what;
	long rows;
	double secs;
};

static void print_part(const struct part *p)
{
	printf("  %-40s %10ld rows %7.1f s %10.0f rows/s\n", p->what, p->rows, p->secs,
	       p->secs > 0 ? (double)p->rows / p->secs : 0);
}

static const char *const actions[] = {"submit",      "accept",         "take",
                                      "request_fee", "record_payment", "complete",
                                      "send_result", "receive_result", "deliver"};
static const char *const states[] = {
        "none",       "submitted",    "received",          "processing",       "fee_requested",
        "processing", "result_ready", "result_in_transit", "result_at_branch", "delivered"};

int main(void)
{
	const char *env = getenv("BENCH_FLOOR_DOSSIERS");
	long n = env ? strtol(env, NULL, 10) : 1000000;
	if (n < 1)
		n = 1000000;
	if (sodium_init() < 0)
		return 1;
	const char *dir = getenv("MOTCUA_BENCH_DIR") ? getenv("MOTCUA_BENCH_DIR") : "var/bench";
	mkdir("var", 0755);
	mkdir(dir, 0755);
	char path[1100];
	snprintf(path, sizeof path, "%s/demofloor.db", dir);
	unlink(path);
	make_schema(path);

	sqlite3 *db;
	if (sqlite3_open(path, &db) != SQLITE_OK)
		die(db, "open");
	exec(db, "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA foreign_keys=OFF; "
	         "PRAGMA temp_store=MEMORY; PRAGMA cache_size=-1000000");
	/* the secondary indexes the demo's bulk mode also sets aside */
	static const char *const indexes[][2] = {
	        {"dossier_state", "dossier (state)"},
	        {"dossier_competent", "dossier (competent_unit, state)"},
	        {"dossier_receiving", "dossier (receiving_unit, submitted_at)"},
	        {"dossier_collection", "dossier (collection_unit, state)"},
	        {"dossier_holder", "dossier (holder_account, state)"},
	        {"dossier_owner", "dossier (owner_account)"},
	        {"dossier_id_number", "dossier (applicant_id_number)"},
	        {"dossier_phone", "dossier (applicant_phone)"},
	        {"dossier_due", "dossier (due_at)"},
	        {"dossier_received", "dossier (receiving_unit, received_at)"},
	        {"dossier_event_at", "dossier_event (at)"},
	        {"audit_at", "audit (at)"},
	        {"audit_actor", "audit (actor)"},
	        {"audit_object", "audit (object)"},
	        {"outbox_pending", "outbox (delivered_at, next_attempt_at)"},
	};
	size_t nidx = sizeof indexes / sizeof indexes[0];
	for (size_t i = 0; i < nidx; i++) {
		char sql[200];
		snprintf(sql, sizeof sql, "DROP INDEX IF EXISTS %s", indexes[i][0]);
		exec(db, sql);
	}
	sqlite3_stmt *ins_dossier = prepare(
	        db, "INSERT INTO dossier (id, code, procedure_code, state, version, channel, "
	            "receiving_unit, competent_unit, collection_unit, holder_account, "
	            "owner_account, applicant_kind, applicant_name, applicant_name_folded, "
	            "applicant_id_number, applicant_birth_day, applicant_phone, "
	            "applicant_address, residence_commune, property_commune, "
	            "population_verified, submitted_at, received_at, due_at, original_due_at, "
	            "resolved_at, delivered_at, step_seq, fee_vnd, paid_at, paid_channel, "
	            "custody, updated_at) VALUES (?1, ?2, '2.000815', 'delivered', 9, 'counter', "
	            "'CN01', 'UBND-00004', 'CN01', ?3, ?4, 'person', 'Nguyễn Thị Ánh Tuyết', "
	            "'nguyen thi anh tuyet', ?5, -6320, ?6, 'Số 80, tổ 26', '00004', '00004', "
	            "1, ?7, ?7, ?8, ?8, ?9, ?9, 5, 8000, ?9, 'counter', 'applicant', ?9)");
	sqlite3_stmt *ins_comp =
	        prepare(db, "INSERT INTO dossier_component (dossier_id, seq, "
	                    "status, original_kept) VALUES (?1, ?2, 'received', 0)");
	sqlite3_stmt *ins_event = prepare(
	        db, "INSERT INTO dossier_event (dossier_id, version, at, action, from_state, "
	            "to_state, actor_account, actor_unit, to_unit, to_account, step_seq, "
	            "step_result, due_at, note, legal_due_at, detail) VALUES (?1, ?2, ?3, ?4, ?5, "
	            "?6, ?7, 'CN01', NULL, NULL, ?8, 'on_time', ?9, NULL, ?9, '')");
	sqlite3_stmt *ins_audit =
	        prepare(db, "INSERT INTO audit (seq, at, actor, action, object, "
	                    "detail, prev_hash, hash) VALUES (?1, ?2, ?3, ?4, ?5, "
	                    "?6, ?7, ?8)");
	sqlite3_stmt *ins_outbox = prepare(
	        db, "INSERT INTO outbox (id, created_at, topic, dossier_id, payload, attempts, "
	            "next_attempt_at, delivered_at, last_error) VALUES (?1, ?2, 'dossier.event', "
	            "?3, ?4, 0, ?2, ?2, 'demo data, not sent')");

	struct part parts[6] = {{"dossiers", 0, 0},        {"components", 0, 0},
	                        {"events", 0, 0},          {"audit (SHA-256 chain)", 0, 0},
	                        {"outbox messages", 0, 0}, {"secondary indexes rebuilt", 0, 0}};
	char prev[65] = "0000000000000000000000000000000000000000000000000000000000000000";
	long seq = 0, msg = 0;
	double t0 = now_s();
	exec(db, "BEGIN");
	for (long d = 0; d < n; d++) {
		char id[24], code[40], idn[16], phone[16], acc[24];
		snprintf(id, sizeof id, "%016lx", 0x0193000000000000L + d);
		snprintf(code, sizeof code, "000.04.CN.H26-%06ld-%04ld", 250101 + d / 10000,
		         d % 10000);
		snprintf(idn, sizeof idn, "001%09ld", d * 7919 % 1000000000L);
		snprintf(phone, sizeof phone, "09%08ld", d * 104729 % 100000000L);
		snprintf(acc, sizeof acc, "%016lx", 0x0192000000000000L + d % 400000);
		int64_t at = 1735689600 + d * 31;
		double t = now_s();
		text(ins_dossier, 1, id);
		text(ins_dossier, 2, code);
		text(ins_dossier, 3, "9fff133ce393a545");
		text(ins_dossier, 4, acc);
		text(ins_dossier, 5, idn);
		text(ins_dossier, 6, phone);
		sqlite3_bind_int64(ins_dossier, 7, at);
		sqlite3_bind_int64(ins_dossier, 8, at + 5 * 86400);
		sqlite3_bind_int64(ins_dossier, 9, at + 3 * 86400);
		run(db, ins_dossier);
		double t1 = now_s();
		parts[0].secs += t1 - t;
		parts[0].rows++;
		for (int k = 1; k <= COMPONENTS; k++) {
			text(ins_comp, 1, id);
			sqlite3_bind_int(ins_comp, 2, k);
			run(db, ins_comp);
		}
		double t2 = now_s();
		parts[1].secs += t2 - t1;
		parts[1].rows += COMPONENTS;
		int nev = 8 + (int)(d & 1); /* 8.5 on average */
		double te = 0, ta = 0, to = 0;
		for (int v = 1; v <= nev; v++) {
			const char *action = actions[(v - 1) % 9];
			const char *from = states[(v - 1) % 10], *to_state = states[v % 10];
			int64_t ev_at = at + v * 7200;
			double s0 = now_s();
			text(ins_event, 1, id);
			sqlite3_bind_int(ins_event, 2, v);
			sqlite3_bind_int64(ins_event, 3, ev_at);
			text(ins_event, 4, action);
			text(ins_event, 5, from);
			text(ins_event, 6, to_state);
			text(ins_event, 7, "9fff133ce393a545");
			sqlite3_bind_int(ins_event, 8, v);
			sqlite3_bind_int64(ins_event, 9, at + 5 * 86400);
			run(db, ins_event);
			double s1 = now_s();
			/* the audit row: JSON detail, chained hash */
			char detail[400], object[40], name[48], row[800];
			snprintf(detail, sizeof detail,
			         "{\"action\":\"%s\",\"from\":\"%s\",\"to\":\"%s\",\"version\":%d,"
			         "\"code\":\"%s\",\"to_unit\":null,\"to_account\":null}",
			         action, from, to_state, v, code);
			snprintf(object, sizeof object, "dossier:%s", id);
			snprintf(name, sizeof name, "dossier.%s", action);
			int len = snprintf(row, sizeof row, "%s|%ld|%lld|%s|%s|%s|%s", prev,
			                   seq + 1, (long long)ev_at, "staff:canbo.cn01@demo", name,
			                   object, detail);
			unsigned char h[crypto_hash_sha256_BYTES];
			crypto_hash_sha256(h, (const unsigned char *)row, (unsigned long long)len);
			char hash[65];
			sodium_bin2hex(hash, sizeof hash, h, sizeof h);
			sqlite3_bind_int64(ins_audit, 1, ++seq);
			sqlite3_bind_int64(ins_audit, 2, ev_at);
			text(ins_audit, 3, "staff:canbo.cn01@demo");
			text(ins_audit, 4, name);
			text(ins_audit, 5, object);
			text(ins_audit, 6, detail);
			text(ins_audit, 7, prev);
			text(ins_audit, 8, hash);
			run(db, ins_audit);
			memcpy(prev, hash, sizeof prev);
			double s2 = now_s();
			char mid[24], payload[600];
			snprintf(mid, sizeof mid, "%016lx", 0x0194000000000000L + msg++);
			snprintf(
			        payload, sizeof payload,
			        "{\"dossier_id\":\"%s\",\"code\":\"%s\",\"procedure\":\"2.000815\","
			        "\"status\":%d,\"state\":\"%s\",\"action\":\"%s\",\"version\":%d,"
			        "\"at\":%lld,\"received_at\":%lld,\"due_at\":%lld,\"form\":null}",
			        id, code, v, to_state, action, v, (long long)ev_at, (long long)at,
			        (long long)(at + 5 * 86400));
			text(ins_outbox, 1, mid);
			sqlite3_bind_int64(ins_outbox, 2, ev_at);
			text(ins_outbox, 3, id);
			text(ins_outbox, 4, payload);
			run(db, ins_outbox);
			double s3 = now_s();
			te += s1 - s0;
			ta += s2 - s1;
			to += s3 - s2;
		}
		parts[2].secs += te;
		parts[2].rows += nev;
		parts[3].secs += ta;
		parts[3].rows += nev;
		parts[4].secs += to;
		parts[4].rows += nev;
	}
	double tc = now_s();
	exec(db, "COMMIT");
	double commit = now_s() - tc;
	double ti = now_s();
	for (size_t i = 0; i < nidx; i++) {
		char sql[200];
		snprintf(sql, sizeof sql, "CREATE INDEX %s ON %s", indexes[i][0], indexes[i][1]);
		exec(db, sql);
	}
	parts[5].secs = now_s() - ti;
	parts[5].rows = (long)nidx;
	double total = now_s() - t0;
	sqlite3_finalize(ins_dossier);
	sqlite3_finalize(ins_comp);
	sqlite3_finalize(ins_event);
	sqlite3_finalize(ins_audit);
	sqlite3_finalize(ins_outbox);
	sqlite3_close(db);
	struct stat sb;
	long long bytes = stat(path, &sb) == 0 ? (long long)sb.st_size : 0;

	printf("the least time to store %ld demo dossiers in SQLite (plain INSERTs, one "
	       "transaction, no rules):\n",
	       n);
	for (int i = 0; i < 6; i++)
		print_part(&parts[i]);
	printf("  %-40s %18s %7.1f s\n", "commit", "", commit);
	printf("  total %.1f s (%.0f dossiers/s, %.1f us per event); without the outbox "
	       "%.1f s; %lld MiB\n",
	       total, (double)n / total, total * 1e6 / (double)parts[2].rows, total - parts[4].secs,
	       bytes / 1048576);
	unlink(path);
	return 0;
}
