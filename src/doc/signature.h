/*
 * signature: the Ed25519 signatures (libsodium) that make every document the
 * centre issues verifiable, and the verification codes printed on them.
 *
 * A document is signed like this (docs/documents.md):
 *   1. a verification code is drawn (12 characters of Crockford's base 32,
 *      60 random bits, printed as XXXX-XXXX-XXXX) and printed in the PDF;
 *   2. the finished PDF bytes are hashed: H = SHA-256(bytes);
 *   3. the message  "motcua-document-v1\n" CODE "\n" hex(H) "\n"  is signed
 *      with the centre's current Ed25519 key (crypto_sign_detached): the
 *      signature binds the file to its code;
 *   4. one comment line is appended after the PDF's %%EOF
 *        %motcua-signature v1 key=KEYID code=CODE sig=HEX128\n
 *      (PDF readers ignore it), so the file carries what is needed to
 *      verify it: the bytes before that line, the code, the key.
 * A key's id is the first 8 bytes of SHA-256(public key) in hex (16 digits).
 *
 * Everything here is pure computation on bytes (no database, no files);
 * src/doc/documents.c keeps the keys and the register of issued documents.
 */
#ifndef MOTCUA_DOC_SIGNATURE_H
#define MOTCUA_DOC_SIGNATURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/error.h"

#define SIG_PUBLIC_BYTES 32  /* Ed25519 public key */
#define SIG_SEED_BYTES   32  /* Ed25519 seed: the private key as stored */
#define SIG_SECRET_BYTES 64  /* libsodium's secret key: seed and public key */
#define SIG_BYTES        64  /* one signature */
#define SIG_HASH_BYTES   32  /* SHA-256 */
#define SIG_KEY_ID_LEN   17  /* 16 hex digits + NUL */
#define SIG_HEX32_LEN    65  /* 32 bytes in hex + NUL (keys, seeds, hashes) */
#define SIG_HEX64_LEN    129 /* 64 bytes in hex + NUL (signatures) */
#define SIG_CODE_CHARS   12  /* characters of a verification code, without hyphens */
#define SIG_CODE_LEN     15  /* "XXXX-XXXX-XXXX" + NUL */
#define SIG_CONTEXT      "motcua-document-v1"
#define SIG_TRAILER_TAG  "%motcua-signature v1 "
#define SIG_TRAILER_MAX  256 /* bytes of the trailer line */

/* A key pair; secret[] is meaningful only when has_secret. */
struct signature_key {
	char id[SIG_KEY_ID_LEN];
	unsigned char public_key[SIG_PUBLIC_BYTES];
	unsigned char secret[SIG_SECRET_BYTES];
	bool has_secret;
};

/* A new random key pair (libsodium's generator). Wipe it with signature_key_wipe(). */
void signature_key_generate(struct signature_key *k);

/* The key pair of a stored seed. */
void signature_key_from_seed(struct signature_key *k, const unsigned char seed[SIG_SEED_BYTES]);

/* A public key alone (for verifying). */
void signature_key_public(struct signature_key *k, const unsigned char pk[SIG_PUBLIC_BYTES]);

/* The seed of a key pair (has_secret must be true). */
void signature_key_seed(const struct signature_key *k, unsigned char seed[SIG_SEED_BYTES]);

/* Zeroes the secret part of k. */
void signature_key_wipe(struct signature_key *k);

/* The id of a public key: the first 8 bytes of its SHA-256 in lower-case hex. */
void signature_key_id(const unsigned char pk[SIG_PUBLIC_BYTES], char out[SIG_KEY_ID_LEN]);

/* SHA-256 of len bytes at data. */
void signature_hash(const void *data, size_t len, unsigned char out[SIG_HASH_BYTES]);

/* n bytes as lower-case hex into out (2n + 1 bytes). */
void signature_hex(const unsigned char *bytes, size_t n, char *out);

/* Exactly 2n hex digits (either case) into n bytes. Returns 0, or -1 for anything else. */
int signature_unhex(const char *hex, unsigned char *bytes, size_t n);

/* A new random verification code, formatted XXXX-XXXX-XXXX. */
void signature_new_code(char out[SIG_CODE_LEN]);

/*
 * A verification code as a person may type it -- any case, with or without
 * hyphens or spaces, O for 0, I or L for 1 -- in its canonical form
 * XXXX-XXXX-XXXX. Returns 0, or -1 when it is not 12 characters of the
 * alphabet.
 */
int signature_code_normalize(const char *in, char out[SIG_CODE_LEN]);

/*
 * Signs (code, hash) with k (has_secret must be true) into sig: the message
 * is SIG_CONTEXT "\n" code "\n" hex(hash) "\n".
 */
void signature_sign(const struct signature_key *k, const char *code,
                    const unsigned char hash[SIG_HASH_BYTES], unsigned char sig[SIG_BYTES]);

/* True when sig is pk's signature of (code, hash). */
bool signature_check(const unsigned char pk[SIG_PUBLIC_BYTES], const char *code,
                     const unsigned char hash[SIG_HASH_BYTES], const unsigned char sig[SIG_BYTES]);

/*
 * Appends the trailer line to a finished PDF in pdf (which must end with a
 * line break after %%EOF). ERR_INVALID_ARGUMENT when it does not,
 * ERR_TOO_LONG when the buffer's maximum is reached.
 */
enum err_code signature_append(struct buf *pdf, const char *key_id, const char *code,
                               const unsigned char sig[SIG_BYTES], struct err *e);

/* What a signed file carries. */
struct signature_trailer {
	char key_id[SIG_KEY_ID_LEN];
	char code[SIG_CODE_LEN];
	unsigned char sig[SIG_BYTES];
	size_t signed_len; /* the signed bytes are data[0..signed_len) */
};

/*
 * Finds the trailer: the file's last line must be a well-formed trailer and
 * the bytes before it must end with "%%EOF" and a line break. Returns ERR_OK,
 * or ERR_INVALID_ARGUMENT with a detail saying what is wrong ("the file
 * carries no motcua signature", "malformed signature line").
 */
enum err_code signature_parse(const void *data, size_t len, struct signature_trailer *out,
                              struct err *e);

#endif
