/*
 * Tests of service/files: the parts that need no database -- the type by
 * content, display names, the temporary file of an upload (hash, limits,
 * refusals, cleanup) and the configuration. The whole path through the
 * database and HTTP (store, dedup, access, reuse, both stores, both
 * engines) is tests/cli/test_files.sh.
 * Expected values: the signatures of the formats -- PDF "%PDF-" (ISO
 * 32000-1 section 7.5.2, the file header), JPEG SOI FF D8 followed by a
 * marker FF (ITU-T T.81 Annex B), PNG 89 50 4E 47 0D 0A 1A 0A (PNG
 * specification section 5.2); SHA-256 of "abc" from FIPS 180-2 Appendix
 * B.1.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/config.h"
#include "base/str.h"
#include "service/files.h"

static char dir[256];

static int setup(void **state)
{
	(void)state;
	assert_int_not_equal(sodium_init(), -1);
	snprintf(dir, sizeof dir, "/tmp/motcua-test-files-XXXXXX");
	assert_non_null(mkdtemp(dir));
	return 0;
}

/* Files left in dir/tmp. */
static int tmp_count(void)
{
	char path[300];
	snprintf(path, sizeof path, "%s/tmp", dir);
	DIR *d = opendir(path);
	if (!d)
		return 0;
	int n = 0;
	struct dirent *ent;
	while ((ent = readdir(d)))
		if (ent->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[300];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static void config_for(struct files_config *fc, int64_t max)
{
	memset(fc, 0, sizeof *fc);
	str_copy(fc->dir, sizeof fc->dir, dir);
	fc->file_max = max;
	fc->dossier_max = 10 * max;
}

/* Opens t for an upload of at most fc->file_max bytes; asserts that it opens. */
static void tmp_open(const struct files_config *fc, struct files_tmp *t)
{
	struct err e;
	assert_int_equal(files_tmp_open(fc, fc->file_max, t, &e), ERR_OK);
}

/* Asserts that t's file on disk holds n bytes. */
static void assert_tmp_size(const struct files_tmp *t, int64_t n)
{
	struct stat sb;
	assert_int_equal(stat(t->path, &sb), 0);
	assert_int_equal(sb.st_size, n);
}

/* The type is decided by the first bytes only (format signatures above). */
static void test_sniff(void **state)
{
	(void)state;
	assert_string_equal(files_sniff("%PDF-1.7\n", 9), "application/pdf");
	assert_string_equal(files_sniff("\xFF\xD8\xFF\xE0", 4), "image/jpeg");
	assert_string_equal(files_sniff("\x89PNG\r\n\x1A\n", 8), "image/png");
	assert_null(files_sniff("%PDF", 4));            /* shorter than the signature */
	assert_null(files_sniff("\x89PNG\r\n\x1A", 7)); /* one byte short */
	assert_null(files_sniff("\x7F"
	                        "ELF\x02\x01\x01",
	                        7)); /* an executable */
	assert_null(files_sniff("GIF89a", 6));
	assert_null(files_sniff("MZ\x90\x00", 4)); /* a Windows executable */
	assert_null(files_sniff(" %PDF-1.7", 9));  /* the signature must come first */
	assert_null(files_sniff("", 0));
}

/* A client's file name is display text: no directory, no control character. */
static void test_display_name(void **state)
{
	(void)state;
	char out[256];
	files_display_name("../../etc/passwd", out, sizeof out);
	assert_string_equal(out, "passwd");
	files_display_name("C:\\Users\\an\\scan.pdf", out, sizeof out);
	assert_string_equal(out, "scan.pdf");
	files_display_name("..", out, sizeof out);
	assert_string_equal(out, "file");
	files_display_name("/", out, sizeof out);
	assert_string_equal(out, "file");
	files_display_name(NULL, out, sizeof out);
	assert_string_equal(out, "file");
	files_display_name("...hidden ", out, sizeof out);
	assert_string_equal(out, "hidden");
	files_display_name("a\r\nb\x01.pdf", out, sizeof out);
	assert_string_equal(out, "a__b_.pdf");
	files_display_name("x<y>\"z\"|?*:.pdf", out, sizeof out);
	assert_string_equal(out, "x_y__z_____.pdf");
	files_display_name("Tờ khai \xff.pdf", out, sizeof out); /* invalid UTF-8 byte */
	assert_string_equal(out, "Tờ khai _.pdf");
	/* cut at a character boundary, never inside one */
	char longname[600];
	memset(longname, 0, sizeof longname);
	for (size_t i = 0; i + 3 < 590; i += 3)
		memcpy(longname + i, "ờ", 3);
	files_display_name(longname, out, sizeof out);
	assert_true(strlen(out) <= FILES_NAME_MAX);
	assert_int_equal(strlen(out) % 3, 0);
	assert_true(str_valid_utf8(out, FILES_NAME_MAX + 1));
	files_display_name("abcdefghij", out, 8); /* a small buffer: 7 bytes kept */
	assert_string_equal(out, "abcdefg");
}

/* The temporary file hashes what it is given: SHA-256 as one-shot, bytes on disk. */
static void test_tmp_round_trip(void **state)
{
	(void)state;
	struct files_config fc;
	config_for(&fc, 1 << 20);
	struct files_tmp t;
	struct err e;
	tmp_open(&fc, &t);
	const char *parts[] = {"%P", "DF-1.4\n", "body of the scan\n", "%%EOF\n"};
	struct buf all = BUF_INIT(4096);
	for (size_t i = 0; i < 4; i++) {
		assert_int_equal(files_tmp_write(&t, parts[i], strlen(parts[i]), &e), ERR_OK);
		buf_puts(&all, parts[i]);
	}
	assert_int_equal(files_tmp_close(&t, &e), ERR_OK);
	assert_string_equal(t.media_type, "application/pdf");
	assert_int_equal(t.bytes, (int64_t)all.len);
	unsigned char h[32];
	crypto_hash_sha256(h, (const unsigned char *)all.data, all.len);
	char hex[65];
	sodium_bin2hex(hex, sizeof hex, h, sizeof h);
	assert_string_equal(t.sha256, hex);
	assert_tmp_size(&t, (int64_t)all.len);
	assert_int_equal(tmp_count(), 1);
	files_tmp_discard(&t);
	assert_int_equal(tmp_count(), 0);
	files_tmp_discard(&t); /* twice is fine */
	buf_release(&all);
}

/* FIPS 180-2 B.1 through the same path (a PNG-typed prefix would change it: use raw). */
static void test_sha_vector(void **state)
{
	(void)state;
	crypto_hash_sha256_state s;
	crypto_hash_sha256_init(&s);
	crypto_hash_sha256_update(&s, (const unsigned char *)"abc", 3);
	unsigned char h[32];
	crypto_hash_sha256_final(&s, h);
	char hex[65];
	sodium_bin2hex(hex, sizeof hex, h, sizeof h);
	assert_string_equal(hex,
	                    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

/* A renamed executable is refused at its first bytes: nothing is written. */
static void test_tmp_refuses_type(void **state)
{
	(void)state;
	struct files_config fc;
	config_for(&fc, 1 << 20);
	struct files_tmp t;
	struct err e;
	tmp_open(&fc, &t);
	assert_int_equal(files_tmp_write(&t,
	                                 "\x7F"
	                                 "ELF\x02\x01\x01\x00 rest",
	                                 12, &e),
	                 ERR_UNSUPPORTED_MEDIA_TYPE);
	assert_tmp_size(&t, 0);
	files_tmp_discard(&t);
	/* one byte at a time: refused at the first byte that no signature allows */
	tmp_open(&fc, &t);
	assert_int_equal(files_tmp_write(&t, "%", 1, &e), ERR_OK);
	assert_int_equal(files_tmp_write(&t, "P", 1, &e), ERR_OK);
	assert_int_equal(files_tmp_write(&t, "X", 1, &e), ERR_UNSUPPORTED_MEDIA_TYPE);
	files_tmp_discard(&t);
	/* shorter than its signature: refused at the close */
	tmp_open(&fc, &t);
	assert_int_equal(files_tmp_write(&t, "\x89PNG", 4, &e), ERR_OK);
	assert_int_equal(files_tmp_close(&t, &e), ERR_UNSUPPORTED_MEDIA_TYPE);
	files_tmp_discard(&t);
	/* empty */
	tmp_open(&fc, &t);
	assert_int_equal(files_tmp_close(&t, &e), ERR_MISSING_ARGUMENT);
	files_tmp_discard(&t);
	assert_int_equal(tmp_count(), 0);
}

/* The limit: exactly max is accepted; one byte more is refused and not written. */
static void test_tmp_limit(void **state)
{
	(void)state;
	struct files_config fc;
	config_for(&fc, 1024);
	struct files_tmp t;
	struct err e;
	char block[1024];
	memset(block, 'x', sizeof block);
	memcpy(block, "\xFF\xD8\xFF", 3);
	tmp_open(&fc, &t);
	assert_int_equal(files_tmp_write(&t, block, 1024, &e), ERR_OK);
	assert_int_equal(files_tmp_write(&t, "y", 1, &e), ERR_PAYLOAD_TOO_LARGE);
	assert_tmp_size(&t, 1024); /* the disk holds at most the limit */
	assert_int_equal(files_tmp_close(&t, &e), ERR_OK);
	assert_string_equal(t.media_type, "image/jpeg");
	files_tmp_discard(&t);
	tmp_open(&fc, &t);
	assert_int_equal(files_tmp_write(&t, block, 1000, &e), ERR_OK);
	assert_int_equal(files_tmp_write(&t, block, 1000, &e), ERR_PAYLOAD_TOO_LARGE);
	assert_tmp_size(&t, 1000);
	files_tmp_discard(&t);
	assert_int_equal(tmp_count(), 0);
}

/* files_dir that cannot be created: ERR_IO, nothing open. */
static void test_tmp_io_error(void **state)
{
	(void)state;
	struct files_config fc;
	config_for(&fc, 1024);
	str_copy(fc.dir, sizeof fc.dir, "/proc/motcua-cannot-exist/files");
	struct files_tmp t;
	struct err e;
	assert_int_equal(files_tmp_open(&fc, 1024, &t, &e), ERR_IO);
	assert_int_equal(t.fd, -1);
	files_tmp_discard(&t);
}

/* The options: defaults (20 MiB a file, 100 MiB a dossier, disk), and a bad store refused. */
static void test_config(void **state)
{
	(void)state;
	struct config cfg;
	config_defaults(&cfg);
	struct files_config fc;
	struct err e;
	assert_int_equal(files_config_load(&cfg, &fc, &e), ERR_OK);
	assert_false(fc.in_database);
	assert_int_equal(fc.file_max, 20 * 1024 * 1024);
	assert_int_equal(fc.dossier_max, 100 * 1024 * 1024);
	assert_int_equal(config_set(&cfg, "file_store", "database", CONFIG_FROM_ENV, &e), ERR_OK);
	assert_int_equal(files_config_load(&cfg, &fc, &e), ERR_OK);
	assert_true(fc.in_database);
	assert_int_equal(config_set(&cfg, "file_store", "cloud", CONFIG_FROM_ENV, &e), ERR_OK);
	assert_int_equal(files_config_load(&cfg, &fc, &e), ERR_CONFIG_INVALID);
	assert_non_null(strstr(e.detail, "cloud"));
}

/* The states in which a result exists (docs/lifecycle.md: result_ready and after). */
static void test_result_states(void **state)
{
	(void)state;
	assert_true(files_result_exists("result_ready"));
	assert_true(files_result_exists("result_in_transit"));
	assert_true(files_result_exists("result_at_branch"));
	assert_true(files_result_exists("result_posted"));
	assert_true(files_result_exists("delivered"));
	assert_false(files_result_exists("processing"));
	assert_false(files_result_exists("awaiting_signoff"));
	assert_false(files_result_exists("stopped"));
	assert_false(files_result_exists(""));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_sniff),
	        cmocka_unit_test(test_display_name),
	        cmocka_unit_test(test_tmp_round_trip),
	        cmocka_unit_test(test_sha_vector),
	        cmocka_unit_test(test_tmp_refuses_type),
	        cmocka_unit_test(test_tmp_limit),
	        cmocka_unit_test(test_tmp_io_error),
	        cmocka_unit_test(test_config),
	        cmocka_unit_test(test_result_states),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
