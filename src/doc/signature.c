/*
 * signature: Ed25519 keys, signatures over (verification code, SHA-256 of
 * the PDF), verification codes and the trailer line after %%EOF (see
 * signature.h and docs/documents.md).
 */
#include "doc/signature.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Crockford's base 32: digits and capitals without I, L, O, U. */
static const char code_alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/* libsodium must be initialised before its generator is used; sodium_init() is idempotent. */
static void sodium_ready(void)
{
	if (sodium_init() < 0)
		abort(); /* cannot happen: the library cannot work at all */
}

void signature_key_id(const unsigned char pk[SIG_PUBLIC_BYTES], char out[SIG_KEY_ID_LEN])
{
	unsigned char h[SIG_HASH_BYTES];
	crypto_hash_sha256(h, pk, SIG_PUBLIC_BYTES);
	signature_hex(h, 8, out);
}

void signature_key_generate(struct signature_key *k)
{
	unsigned char seed[SIG_SEED_BYTES];
	sodium_ready();
	randombytes_buf(seed, sizeof seed);
	signature_key_from_seed(k, seed);
	sodium_memzero(seed, sizeof seed);
}

void signature_key_from_seed(struct signature_key *k, const unsigned char seed[SIG_SEED_BYTES])
{
	sodium_ready();
	crypto_sign_seed_keypair(k->public_key, k->secret, seed);
	k->has_secret = true;
	signature_key_id(k->public_key, k->id);
}

void signature_key_public(struct signature_key *k, const unsigned char pk[SIG_PUBLIC_BYTES])
{
	memset(k, 0, sizeof *k);
	memcpy(k->public_key, pk, SIG_PUBLIC_BYTES);
	signature_key_id(k->public_key, k->id);
}

void signature_key_seed(const struct signature_key *k, unsigned char seed[SIG_SEED_BYTES])
{
	crypto_sign_ed25519_sk_to_seed(seed, k->secret);
}

void signature_key_wipe(struct signature_key *k)
{
	sodium_memzero(k->secret, sizeof k->secret);
	k->has_secret = false;
}

void signature_hash(const void *data, size_t len, unsigned char out[SIG_HASH_BYTES])
{
	crypto_hash_sha256(out, data, len);
}

void signature_hex(const unsigned char *bytes, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[bytes[i] >> 4];
		out[2 * i + 1] = digits[bytes[i] & 15];
	}
	out[2 * n] = '\0';
}

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int signature_unhex(const char *hex, unsigned char *bytes, size_t n)
{
	if (!hex || strlen(hex) != 2 * n)
		return -1;
	for (size_t i = 0; i < n; i++) {
		int hi = hex_value(hex[2 * i]), lo = hex_value(hex[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return -1;
		bytes[i] = (unsigned char)(hi << 4 | lo);
	}
	return 0;
}

/* Writes 12 code characters as XXXX-XXXX-XXXX. */
static void code_format(const char chars[SIG_CODE_CHARS], char out[SIG_CODE_LEN])
{
	size_t o = 0;
	for (size_t i = 0; i < SIG_CODE_CHARS; i++) {
		if (i && i % 4 == 0)
			out[o++] = '-';
		out[o++] = chars[i];
	}
	out[o] = '\0';
}

void signature_new_code(char out[SIG_CODE_LEN])
{
	char chars[SIG_CODE_CHARS];
	sodium_ready();
	for (size_t i = 0; i < SIG_CODE_CHARS; i++)
		chars[i] = code_alphabet[randombytes_uniform(32)];
	code_format(chars, out);
}

int signature_code_normalize(const char *in, char out[SIG_CODE_LEN])
{
	char chars[SIG_CODE_CHARS];
	size_t n = 0;
	if (!in)
		return -1;
	for (const char *p = in; *p; p++) {
		char c = *p;
		if (c == '-' || c == ' ')
			continue;
		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		if (c == 'O')
			c = '0';
		else if (c == 'I' || c == 'L')
			c = '1';
		if (!strchr(code_alphabet, c) || c == '\0' || n == SIG_CODE_CHARS)
			return -1;
		chars[n++] = c;
	}
	if (n != SIG_CODE_CHARS)
		return -1;
	code_format(chars, out);
	return 0;
}

/* The signed message into msg (at least 128 bytes); returns its length. */
static size_t message(const char *code, const unsigned char hash[SIG_HASH_BYTES], char msg[128])
{
	char hex[SIG_HEX32_LEN];
	signature_hex(hash, SIG_HASH_BYTES, hex);
	int n = snprintf(msg, 128, "%s\n%s\n%s\n", SIG_CONTEXT, code ? code : "", hex);
	return n < 0 ? 0 : (size_t)n >= 128 ? 127 : (size_t)n;
}

void signature_sign(const struct signature_key *k, const char *code,
                    const unsigned char hash[SIG_HASH_BYTES], unsigned char sig[SIG_BYTES])
{
	char msg[128];
	size_t n = message(code, hash, msg);
	crypto_sign_detached(sig, NULL, (const unsigned char *)msg, n, k->secret);
}

bool signature_check(const unsigned char pk[SIG_PUBLIC_BYTES], const char *code,
                     const unsigned char hash[SIG_HASH_BYTES], const unsigned char sig[SIG_BYTES])
{
	char msg[128];
	size_t n = message(code, hash, msg);
	return crypto_sign_verify_detached(sig, (const unsigned char *)msg, n, pk) == 0;
}

/* True when data[0..len) ends with "%%EOF" and a line break (LF or CR LF). */
static bool ends_with_eof(const char *data, size_t len)
{
	static const char eof[] = "%%EOF";
	size_t k = sizeof eof - 1;
	if (len >= k + 1 && data[len - 1] == '\n') {
		size_t end = len - 1;
		if (end >= 1 && data[end - 1] == '\r')
			end--;
		return end >= k && memcmp(data + end - k, eof, k) == 0;
	}
	return false;
}

enum err_code signature_append(struct buf *pdf, const char *key_id, const char *code,
                               const unsigned char sig[SIG_BYTES], struct err *e)
{
	if (!ends_with_eof(pdf->data ? pdf->data : "", pdf->len))
		return err_set(e, ERR_INVALID_ARGUMENT, "the PDF does not end with '%%%%EOF'");
	char hex[SIG_HEX64_LEN];
	signature_hex(sig, SIG_BYTES, hex);
	if (buf_printf(pdf, "%skey=%s code=%s sig=%s\n", SIG_TRAILER_TAG, key_id, code, hex) != 0)
		return err_set(e, ERR_TOO_LONG, "the signed PDF is larger than %zu bytes",
		               pdf->max);
	return ERR_OK;
}

/* True when s holds only lower-case hex digits (the one way the trailer is written). */
static bool lower_hex(const char *s)
{
	for (; *s; s++)
		if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f')))
			return false;
	return true;
}

/* Reads "NAME=VALUE" at *p up to a space or the end of the line into out (size n). */
static int take_field(const char **p, const char *end, const char *name, char *out, size_t n)
{
	size_t k = strlen(name);
	if ((size_t)(end - *p) < k + 1 || memcmp(*p, name, k) != 0 || (*p)[k] != '=')
		return -1;
	const char *v = *p + k + 1, *q = v;
	while (q < end && *q != ' ')
		q++;
	if (q == v || (size_t)(q - v) >= n)
		return -1;
	memcpy(out, v, (size_t)(q - v));
	out[q - v] = '\0';
	*p = q < end ? q + 1 : q;
	return 0;
}

enum err_code signature_parse(const void *vdata, size_t len, struct signature_trailer *out,
                              struct err *e)
{
	const char *data = vdata;
	memset(out, 0, sizeof *out);
	if (!data || len < 2 || data[len - 1] != '\n')
		return err_set(e, ERR_INVALID_ARGUMENT, "the file carries no motcua signature");
	/* the start of the last line */
	size_t start = len - 1;
	while (start > 0 && data[start - 1] != '\n' && len - start <= SIG_TRAILER_MAX)
		start--;
	size_t tag = sizeof SIG_TRAILER_TAG - 1;
	if (len - start > SIG_TRAILER_MAX || len - start < tag ||
	    memcmp(data + start, SIG_TRAILER_TAG, tag) != 0)
		return err_set(e, ERR_INVALID_ARGUMENT, "the file carries no motcua signature");
	const char *p = data + start + tag, *end = data + len - 1;
	if (memchr(p, '\0', (size_t)(end - p)))
		return err_set(e, ERR_INVALID_ARGUMENT, "malformed signature line");
	char code[32], sig[SIG_HEX64_LEN + 1];
	if (take_field(&p, end, "key", out->key_id, sizeof out->key_id) ||
	    take_field(&p, end, "code", code, sizeof code) ||
	    take_field(&p, end, "sig", sig, sizeof sig) || p != end || end[-1] == ' ' ||
	    strlen(out->key_id) != SIG_KEY_ID_LEN - 1 ||
	    signature_unhex(out->key_id, (unsigned char[8]){0}, 8) != 0 ||
	    signature_code_normalize(code, out->code) != 0 || strcmp(code, out->code) != 0 ||
	    signature_unhex(sig, out->sig, SIG_BYTES) != 0 || !lower_hex(out->key_id) ||
	    !lower_hex(sig))
		return err_set(e, ERR_INVALID_ARGUMENT, "malformed signature line");
	if (!ends_with_eof(data, start))
		return err_set(e, ERR_INVALID_ARGUMENT,
		               "the signature line does not follow the PDF's '%%%%EOF'");
	out->signed_len = start;
	return ERR_OK;
}
