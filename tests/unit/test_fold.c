/*
 * Unit tests for base/fold: Vietnamese-aware folding for search.
 * Expected values come from the Unicode code charts (Latin-1 Supplement,
 * Latin Extended-A/B, Latin Extended Additional U+1EA0..U+1EF9 for the
 * Vietnamese letters, Combining Diacritical Marks U+0300..U+036F), from the
 * UTF-8 definition (RFC 3629: overlongs, surrogates and code points above
 * U+10FFFF are invalid), and from the Vietnamese alphabet itself (12 vowels
 * a ă â e ê i o ô ơ u ư y, each with no tone or one of the five tones
 * huyền, sắc, hỏi, ngã, nặng). Procedure names are those of the national
 * public service portal.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "base/fold.h"

/* Folds s (NUL-terminated); returns the folded text in a static buffer. */
static const char *folded(const char *s)
{
	static char res[1024];
	struct buf b = BUF_INIT(1024);
	struct err e;
	err_clear(&e);
	assert_int_equal(fold_text(s, strlen(s), &b, &e), ERR_OK);
	assert_int_equal(e.code, ERR_OK);
	assert_true(b.len < sizeof res);
	memcpy(res, buf_str(&b), b.len + 1);
	assert_true(b.len <= strlen(s)); /* never longer than the input */
	buf_release(&b);
	return res;
}

/* Each vowel of the Vietnamese alphabet: no tone, huyền, sắc, hỏi, ngã, nặng. */
static const struct {
	const char *letters;
	const char *expect;
} vowels[] = {
        {"aàáảãạ", "aaaaaa"}, {"ăằắẳẵặ", "aaaaaa"}, {"âầấẩẫậ", "aaaaaa"}, {"eèéẻẽẹ", "eeeeee"},
        {"êềếểễệ", "eeeeee"}, {"iìíỉĩị", "iiiiii"}, {"oòóỏõọ", "oooooo"}, {"ôồốổỗộ", "oooooo"},
        {"ơờớởỡợ", "oooooo"}, {"uùúủũụ", "uuuuuu"}, {"ưừứửữự", "uuuuuu"}, {"yỳýỷỹỵ", "yyyyyy"},
        {"AÀÁẢÃẠ", "aaaaaa"}, {"ĂẰẮẲẴẶ", "aaaaaa"}, {"ÂẦẤẨẪẬ", "aaaaaa"}, {"EÈÉẺẼẸ", "eeeeee"},
        {"ÊỀẾỂỄỆ", "eeeeee"}, {"IÌÍỈĨỊ", "iiiiii"}, {"OÒÓỎÕỌ", "oooooo"}, {"ÔỒỐỔỖỘ", "oooooo"},
        {"ƠỜỚỞỠỢ", "oooooo"}, {"UÙÚỦŨỤ", "uuuuuu"}, {"ƯỪỨỬỮỰ", "uuuuuu"}, {"YỲÝỶỸỴ", "yyyyyy"},
};

static void test_vowels_precomposed(void **state)
{
	(void)state;
	size_t count = 0;
	for (size_t i = 0; i < sizeof vowels / sizeof *vowels; i++) {
		assert_string_equal(folded(vowels[i].letters), vowels[i].expect);
		count += strlen(vowels[i].expect);
	}
	assert_int_equal(count, 144); /* 12 vowels x 6 forms x 2 cases */
}

/* Writes code point cp as UTF-8 into p; returns the length. */
static size_t put_utf8(char *p, uint32_t cp)
{
	if (cp < 0x80) {
		p[0] = (char)cp;
		return 1;
	} else if (cp < 0x800) {
		p[0] = (char)(0xC0 | (cp >> 6));
		p[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	} else if (cp < 0x10000) {
		p[0] = (char)(0xE0 | (cp >> 12));
		p[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		p[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	p[0] = (char)(0xF0 | (cp >> 18));
	p[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	p[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	p[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

static void test_vietnamese_block(void **state)
{
	(void)state;
	/*
	 * U+1EA0..U+1EF9 is the Vietnamese part of Latin Extended Additional: pairs
	 * (capital, small) of A (24), E (16), I (4), O (36), U (14), Y (8)
	 * with tones, in this order in the code chart.
	 */
	static const struct {
		uint32_t from, to;
		const char *base;
	} runs[] = {
	        {0x1EA0, 0x1EB7, "a"}, {0x1EB8, 0x1EC7, "e"}, {0x1EC8, 0x1ECB, "i"},
	        {0x1ECC, 0x1EE3, "o"}, {0x1EE4, 0x1EF1, "u"}, {0x1EF2, 0x1EF9, "y"},
	};
	int n = 0;
	for (size_t r = 0; r < sizeof runs / sizeof *runs; r++) {
		for (uint32_t cp = runs[r].from; cp <= runs[r].to; cp++, n++) {
			char s[8] = {0};
			put_utf8(s, cp);
			assert_string_equal(folded(s), runs[r].base);
		}
	}
	assert_int_equal(n, 0x1EF9 - 0x1EA0 + 1);
	/* The letters of U+00C0..U+01B0 that Vietnamese uses besides those. */
	assert_string_equal(folded("ÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝàáâãèéêìíòóôõùúý"),
	                    "aaaaeeeiioooouuyaaaaeeeiioooouuy");
	assert_string_equal(folded("ĂăĨĩŨũƠơƯư"), "aaiiuuoouu");
}

static void test_d_stroke(void **state)
{
	(void)state;
	/* U+0110 Đ and U+0111 đ have no decomposition; they fold to d. */
	assert_string_equal(folded("Đ"), "d");
	assert_string_equal(folded("đ"), "d");
	assert_string_equal(folded("ĐĐđđ"), "dddd");
	assert_string_equal(folded("Đống Đa"), "dong da");
	/* U+00D0 Ð (eth) stood in for Đ in old fonts and TCVN3-converted text. */
	assert_string_equal(folded("Ðăng ký"), "dang ky");
}

static void test_decomposed(void **state)
{
	(void)state;
	/*
	 * Every base vowel, in both cases, followed by every combination of a
	 * vowel modifier (none, breve U+0306, circumflex U+0302, horn U+031B) and
	 * a tone mark (none, U+0300, U+0301, U+0309, U+0303, U+0323) folds to the
	 * base letter in lower case.
	 */
	static const char bases[] = "aeiouyAEIOUY";
	static const uint32_t mods[] = {0, 0x306, 0x302, 0x31B};
	static const uint32_t tones[] = {0, 0x300, 0x301, 0x309, 0x303, 0x323};
	for (size_t b = 0; b < 12; b++) {
		for (size_t m = 0; m < 4; m++) {
			for (size_t t = 0; t < 6; t++) {
				char s[16] = {0}, want[2] = {0};
				size_t n = put_utf8(s, (unsigned char)bases[b]);
				if (mods[m])
					n += put_utf8(s + n, mods[m]);
				if (tones[t])
					put_utf8(s + n, tones[t]);
				want[0] = (char)(bases[b] | 0x20);
				assert_string_equal(folded(s), want);
			}
		}
	}
	/* "Đăng ký khai sinh" in NFD. */
	assert_string_equal(folded("Đa\xcc\x86ng ky\xcc\x81 khai sinh"), "dang ky khai sinh");
	/* Mixed: precomposed ê followed by a combining acute (ế written in two pieces). */
	assert_string_equal(folded("Chê\xcc\x81 độ"), "che do");
	/* Combining marks from the other combining blocks are dropped too. */
	assert_string_equal(folded("a\xe1\xb7\x80"
	                           "b\xe2\x83\x90"
	                           "c\xef\xb8\xa0"),
	                    "abc");
	/* A combining mark alone, or at the start, leaves nothing behind. */
	assert_string_equal(folded("\xcc\x81"), "");
	assert_string_equal(folded("\xcc\x81 x"), "x");
}

static void test_search_examples(void **state)
{
	(void)state;
	char hay1[128], hay2[128];
	snprintf(hay1, sizeof hay1, "%s", folded("Đăng ký khai sinh"));
	snprintf(hay2, sizeof hay2, "%s", folded("Cấp giấy phép xây dựng"));
	assert_string_equal(hay1, "dang ky khai sinh");
	assert_string_equal(hay2, "cap giay phep xay dung");
	assert_true(fold_contains(hay1, folded("khai sinh")));
	assert_true(fold_contains(hay1, folded("KHAI SINH")));
	assert_true(fold_contains(hay1, folded("đăng ký")));
	assert_true(fold_contains(hay2, folded("giay phep xay dung")));
	assert_true(fold_contains(hay2, folded("Giấy phép")));
	assert_true(fold_contains(hay2, folded("giay phep xay"))); /* typed so far */
	assert_false(fold_contains(hay1, folded("khai tu")));
	assert_false(fold_contains(hay2, folded("giay phep lai xe")));
}

static void test_contains_rules(void **state)
{
	(void)state;
	/* Word-start matching, as documented in fold.h. */
	assert_true(fold_contains("an ninh", "an"));
	assert_false(fold_contains("ban hanh", "an"));
	assert_true(fold_contains("ban an", "an"));   /* second occurrence */
	assert_true(fold_contains("ban hanh", "ha")); /* end inside a word */
	assert_false(fold_contains("banh", "anh"));
	assert_true(fold_contains("abc", "abc"));
	assert_false(fold_contains("ab", "abc"));
	assert_true(fold_contains("", ""));
	assert_true(fold_contains("x", ""));
	assert_false(fold_contains("", "x"));
	assert_false(fold_contains(NULL, "x"));
	assert_false(fold_contains("x", NULL));
}

static void test_spaces_and_punctuation(void **state)
{
	(void)state;
	assert_string_equal(folded(""), "");
	assert_string_equal(folded("   \t\n "), "");
	assert_string_equal(folded("  Đăng   ký\t\nkhai \r\n sinh  "), "dang ky khai sinh");
	assert_string_equal(folded("Hồ sơ số 001/2025-HS."), "ho so so 001 2025 hs");
	assert_string_equal(folded("(Đăng ký) -- khai_sinh!"), "dang ky khai sinh");
	/* No-break space U+00A0, em dash U+2014, curly quotes, ideographic space. */
	assert_string_equal(folded("khai\xc2\xa0sinh\xe2\x80\x94\xe2\x80\x9c"
	                           "con\xe2\x80\x9d\xe3\x80\x80x"),
	                    "khai sinh con x");
	assert_string_equal(folded("2 \xc3\x97 3 \xc3\xb7 1"), "2 3 1"); /* × ÷ */
	/* Soft hyphen, zero-width space/joiner and BOM are dropped inside a word. */
	assert_string_equal(folded("\xef\xbb\xbfkhai\xc2\xadsinh\xe2\x80\x8b"
	                           "a\xe2\x80\x8d"
	                           "b"),
	                    "khaisinhab");
}

static void test_mixed_and_other_scripts(void **state)
{
	(void)state;
	assert_string_equal(folded("Birth Registration (Đăng ký khai sinh), version 2"),
	                    "birth registration dang ky khai sinh version 2");
	assert_string_equal(folded("HELLO World"), "hello world");
	/* Other Latin letters (code charts): ligatures and letters with strokes. */
	assert_string_equal(folded("Ærøskøbing Straße Œuvre Łódź Ĳssel"),
	                    "aeroskobing strasse oeuvre lodz ijssel");
	assert_string_equal(folded("ÇÑÜ"), "cnu");
	/* Greek, Cyrillic, CJK and emoji are copied unchanged. */
	assert_string_equal(folded("Ωμέγα Москва 中文 \xf0\x9f\x98\x80"),
	                    "Ωμέγα Москва 中文 \xf0\x9f\x98\x80");
}

static void test_invalid(void **state)
{
	(void)state;
	static const struct {
		const char *s;
		size_t len;
		const char *detail;
	} bad[] = {
	        {"\xff", 1, "invalid utf-8 at byte 0"},
	        {"ab\x80", 3, "invalid utf-8 at byte 2"},           /* lone continuation */
	        {"a\xc3", 2, "invalid utf-8 at byte 1"},            /* truncated 2-byte */
	        {"\xe1\xba", 2, "invalid utf-8 at byte 0"},         /* truncated 3-byte */
	        {"\xc0\x80", 2, "invalid utf-8 at byte 0"},         /* overlong NUL */
	        {"\xc1\xbf", 2, "invalid utf-8 at byte 0"},         /* overlong */
	        {"\xe0\x80\xaf", 3, "invalid utf-8 at byte 0"},     /* overlong '/' */
	        {"\xf0\x80\x80\xaf", 4, "invalid utf-8 at byte 0"}, /* overlong '/' */
	        {"\xed\xa0\x80", 3, "invalid utf-8 at byte 0"},     /* surrogate D800 */
	        {"\xed\xbf\xbf", 3, "invalid utf-8 at byte 0"},     /* surrogate DFFF */
	        {"\xf4\x90\x80\x80", 4, "invalid utf-8 at byte 0"}, /* U+110000 */
	        {"\xf8\x88\x80\x80\x80", 5, "invalid utf-8 at byte 0"},
	        {"\xc3(", 2, "invalid utf-8 at byte 0"}, /* bad continuation */
	        {"a\0b", 3, "nul character at byte 1"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		struct buf b = BUF_INIT(64);
		struct err e;
		err_clear(&e);
		assert_int_equal(buf_puts(&b, "old"), 0);
		assert_int_equal(fold_text(bad[i].s, bad[i].len, &b, &e), ERR_INVALID_ARGUMENT);
		assert_int_equal(e.code, ERR_INVALID_ARGUMENT);
		assert_string_equal(e.detail, bad[i].detail);
		assert_int_equal(b.len, 0);
		assert_string_equal(buf_str(&b), "");
		/* A NULL err is allowed. */
		assert_int_equal(fold_text(bad[i].s, bad[i].len, &b, NULL), ERR_INVALID_ARGUMENT);
		buf_release(&b);
	}
	/* The largest valid code points and the edges around the surrogates are fine. */
	struct buf b = BUF_INIT(64);
	assert_int_equal(fold_text("\xf4\x8f\xbf\xbf", 4, &b, NULL), ERR_OK);
	assert_int_equal(fold_text("\xed\x9f\xbf\xee\x80\x80", 6, &b, NULL), ERR_OK);
	assert_int_equal(b.len, 6);
	/* len bounds the input: bytes past it are not read. */
	assert_int_equal(fold_text("Đà\xff", 4, &b, NULL), ERR_OK);
	assert_string_equal(buf_str(&b), "da");
	assert_int_equal(fold_text("Đ", 0, &b, NULL), ERR_OK);
	assert_string_equal(buf_str(&b), "");
	buf_release(&b);
}

static void test_output_bound(void **state)
{
	(void)state;
	struct err e;
	/* Too small a buffer: ERR_TOO_LONG and an empty buffer. */
	struct buf small = BUF_INIT(3);
	assert_int_equal(fold_text("abcd", 4, &small, &e), ERR_TOO_LONG);
	assert_int_equal(e.code, ERR_TOO_LONG);
	assert_int_equal(small.len, 0);
	assert_int_equal(fold_text("a b c", 5, &small, &e), ERR_TOO_LONG); /* the spaces count */
	assert_int_equal(fold_text("Đ Đ", 5, &small, &e), ERR_OK);
	assert_string_equal(buf_str(&small), "d d");
	buf_release(&small);
	/* A maximum equal to the input length always suffices (worst cases). */
	static const char *worst[] = {"ßæœĳþ", "a b", "x\xf0\x9f\x98\x80y", "ĳ-ĳ", "ab"};
	for (size_t i = 0; i < sizeof worst / sizeof *worst; i++) {
		size_t n = strlen(worst[i]);
		struct buf b = BUF_INIT(n);
		assert_int_equal(fold_text(worst[i], n, &b, &e), ERR_OK);
		assert_true(b.len <= n);
		buf_release(&b);
	}
	/* Folding replaces what the buffer held. */
	struct buf b = BUF_INIT(64);
	assert_int_equal(buf_puts(&b, "old text"), 0);
	assert_int_equal(fold_text("Mới", strlen("Mới"), &b, &e), ERR_OK);
	assert_string_equal(buf_str(&b), "moi");
	buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_vowels_precomposed),
	        cmocka_unit_test(test_vietnamese_block),
	        cmocka_unit_test(test_d_stroke),
	        cmocka_unit_test(test_decomposed),
	        cmocka_unit_test(test_search_examples),
	        cmocka_unit_test(test_contains_rules),
	        cmocka_unit_test(test_spaces_and_punctuation),
	        cmocka_unit_test(test_mixed_and_other_scripts),
	        cmocka_unit_test(test_invalid),
	        cmocka_unit_test(test_output_bound),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
