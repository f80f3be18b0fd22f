/*
 * Unit tests for base/config: defaults, the ini file, environment overrides,
 * type and bound checks, redaction of secrets. The expected defaults are the
 * ones the issue names (sqlite:var/motcua.db, 127.0.0.1:8080, ...).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/config.h"

static struct config cfg;

/* Writes text to a fresh temporary file; returns its path (static buffer). */
static const char *write_tmp(const char *text)
{
	static char path[64];
	snprintf(path, sizeof path, "/tmp/motcua-test-config-XXXXXX");
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	return path;
}

static int clear_env(void **state)
{
	(void)state;
	unsetenv("MOTCUA_CONFIG");
	unsetenv("MOTCUA_DATABASE");
	unsetenv("MOTCUA_LISTEN");
	unsetenv("MOTCUA_LOG_LEVEL");
	return 0;
}

static void test_defaults(void **state)
{
	(void)state;
	config_defaults(&cfg);
	assert_string_equal(config_str(&cfg, CONFIG_OPT_database), "sqlite:var/motcua.db");
	assert_string_equal(config_str(&cfg, CONFIG_OPT_listen), "127.0.0.1:8080");
	assert_string_equal(config_str(&cfg, CONFIG_OPT_log_level), "info");
	assert_false(config_bool(&cfg, CONFIG_OPT_allow_clock_override));
	assert_string_equal(config_str(&cfg, CONFIG_OPT_office_hours), "08:00-12:00,13:00-17:00");
	assert_int_equal(cfg.source[CONFIG_OPT_database], CONFIG_FROM_DEFAULT);
}

/* Built-in defaults apply when no file is found (the working directory has no etc/). */
static void test_no_file(void **state)
{
	(void)state;
	char old[1024];
	assert_non_null(getcwd(old, sizeof old));
	assert_int_equal(chdir("/"), 0);
	struct err e;
	assert_int_equal(config_load(&cfg, NULL, &e), ERR_OK);
	assert_string_equal(cfg.path, "");
	assert_string_equal(config_str(&cfg, CONFIG_OPT_listen), "127.0.0.1:8080");
	assert_int_equal(chdir(old), 0);
}

/* The shipped etc/motcua.ini states exactly the built-in defaults. */
static void test_shipped_file_matches_defaults(void **state)
{
	(void)state;
	struct config defaults;
	struct err e;
	config_defaults(&defaults);
	assert_int_equal(config_load(&cfg, SOURCE_DIR "/etc/motcua.ini", &e), ERR_OK);
	for (int i = 0; i < CONFIG_OPT__COUNT; i++) {
		assert_string_equal(cfg.value[i], defaults.value[i]);
		assert_int_equal(cfg.source[i], CONFIG_FROM_FILE);
	}
}

static void test_file_and_env(void **state)
{
	(void)state;
	const char *path = write_tmp("[motcua]\nlisten = 127.0.0.1:9000\nlog_level = debug\n");
	struct err e;
	assert_int_equal(config_load(&cfg, path, &e), ERR_OK);
	assert_string_equal(config_str(&cfg, CONFIG_OPT_listen), "127.0.0.1:9000");
	assert_string_equal(config_str(&cfg, CONFIG_OPT_log_level), "debug");
	setenv("MOTCUA_LISTEN", "127.0.0.1:8081", 1);
	setenv("MOTCUA_DATABASE", "sqlite:/tmp/x.db", 1);
	assert_int_equal(config_load(&cfg, path, &e), ERR_OK);
	assert_string_equal(config_str(&cfg, CONFIG_OPT_listen), "127.0.0.1:8081");
	assert_int_equal(cfg.source[CONFIG_OPT_listen], CONFIG_FROM_ENV);
	assert_string_equal(config_str(&cfg, CONFIG_OPT_database), "sqlite:/tmp/x.db");
	assert_int_equal(cfg.source[CONFIG_OPT_log_level], CONFIG_FROM_FILE);
	/* MOTCUA_CONFIG names the file when --config is absent. */
	unsetenv("MOTCUA_LISTEN");
	setenv("MOTCUA_CONFIG", path, 1);
	assert_int_equal(config_load(&cfg, NULL, &e), ERR_OK);
	assert_string_equal(cfg.path, path);
	assert_string_equal(config_str(&cfg, CONFIG_OPT_listen), "127.0.0.1:9000");
	clear_env(NULL);
	unlink(path);
}

static void test_errors(void **state)
{
	(void)state;
	struct err e;
	struct {
		const char *text;
		enum err_code code;
	} cases[] = {
	        {"[motcua]\nno_such_option = 1\n", ERR_CONFIG_UNKNOWN_OPTION},
	        {"[other]\nlisten = 127.0.0.1:1\n", ERR_CONFIG_UNKNOWN_OPTION},
	        {"[motcua]\nlisten = nowhere\n", ERR_CONFIG_INVALID},
	        {"[motcua]\nlisten = 127.0.0.1:70000\n", ERR_CONFIG_INVALID},
	        {"[motcua]\ndatabase = mysql://x\n", ERR_CONFIG_INVALID},
	        {"[motcua]\nallow_clock_override = maybe\n", ERR_CONFIG_INVALID},
	        {"[motcua]\nlog_level = loud\n", ERR_CONFIG_INVALID},
	        {"[motcua]\noffice_hours = 13:00-12:00\n", ERR_CONFIG_INVALID},
	        {"[motcua]\nsame_day_cutoff = 25:00\n", ERR_CONFIG_INVALID},
	        {"[motcua]\ndossier_code_long_from = 2025-02-30\n", ERR_CONFIG_INVALID},
	        {"[motcua]\nthis line has no equals sign\n", ERR_CONFIG_INVALID},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *path = write_tmp(cases[i].text);
		err_clear(&e);
		assert_int_equal(config_load(&cfg, path, &e), cases[i].code);
		assert_true(strlen(e.detail) > 0);
		unlink(path);
	}
	assert_int_equal(config_load(&cfg, "/nonexistent/motcua.ini", &e), ERR_CONFIG_FILE);
	assert_int_equal(config_load(&cfg, "", &e), ERR_CONFIG_FILE);
	/* A bad environment value names the variable. */
	setenv("MOTCUA_LISTEN", "x", 1);
	assert_int_equal(config_load(&cfg, SOURCE_DIR "/etc/motcua.ini", &e), ERR_CONFIG_INVALID);
	assert_non_null(strstr(e.detail, "MOTCUA_LISTEN"));
	clear_env(NULL);
}

static void test_redaction(void **state)
{
	(void)state;
	struct err e;
	config_defaults(&cfg);
	assert_int_equal(config_set(&cfg, "database", "postgresql://motcua:s3cret@db:5432/motcua",
	                            CONFIG_FROM_ENV, &e),
	                 ERR_OK);
	struct buf b = BUF_INIT(4096);
	config_redacted(&cfg, CONFIG_OPT_database, &b);
	assert_string_equal(buf_str(&b), "postgresql://motcua:***@db:5432/motcua");
	assert_null(strstr(buf_str(&b), "s3cret"));
	buf_reset(&b);
	assert_int_equal(config_set(&cfg, "database",
	                            "postgresql://db/motcua?user=a&password=s3cret&sslmode=require",
	                            CONFIG_FROM_ENV, &e),
	                 ERR_OK);
	config_redacted(&cfg, CONFIG_OPT_database, &b);
	assert_null(strstr(buf_str(&b), "s3cret"));
	assert_non_null(strstr(buf_str(&b), "sslmode=require"));
	buf_reset(&b);
	config_redacted(&cfg, CONFIG_OPT_listen, &b);
	assert_string_equal(buf_str(&b), "127.0.0.1:8080");
	buf_release(&b);
}

static void test_bool_forms(void **state)
{
	(void)state;
	struct err e;
	config_defaults(&cfg);
	assert_int_equal(config_set(&cfg, "allow_clock_override", "YES", CONFIG_FROM_FILE, &e),
	                 ERR_OK);
	assert_true(config_bool(&cfg, CONFIG_OPT_allow_clock_override));
	assert_int_equal(config_set(&cfg, "allow_clock_override", "0", CONFIG_FROM_FILE, &e),
	                 ERR_OK);
	assert_false(config_bool(&cfg, CONFIG_OPT_allow_clock_override));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup(test_defaults, clear_env),
	        cmocka_unit_test_setup(test_no_file, clear_env),
	        cmocka_unit_test_setup(test_shipped_file_matches_defaults, clear_env),
	        cmocka_unit_test_setup(test_file_and_env, clear_env),
	        cmocka_unit_test_setup(test_errors, clear_env),
	        cmocka_unit_test_setup(test_redaction, clear_env),
	        cmocka_unit_test_setup(test_bool_forms, clear_env),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
