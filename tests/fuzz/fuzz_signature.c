/*
 * Fuzz target for doc/signature: arbitrary bytes are read as a signed file.
 * When signature_parse() accepts them, the signed part must end with %%EOF
 * and a line break, the code must be in canonical form, and appending the
 * same trailer to the signed part must give back exactly the input. The
 * bytes are also read as a verification code typed by a person: a code
 * that normalizes must normalize to itself again.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "doc/signature.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct signature_trailer t;
	struct err e;
	if (signature_parse(data, size, &t, &e) == ERR_OK) {
		if (t.signed_len >= size || t.signed_len < 6)
			abort();
		char again[SIG_CODE_LEN];
		if (signature_code_normalize(t.code, again) != 0 || strcmp(again, t.code) != 0)
			abort();
		struct buf b = BUF_INIT(size + 1);
		if (buf_append(&b, data, t.signed_len) != 0 ||
		    signature_append(&b, t.key_id, t.code, t.sig, &e) != ERR_OK)
			abort();
		/* one way to write a trailer: parse then append gives the input back */
		if (b.len != size || memcmp(b.data, data, size) != 0)
			abort();
		buf_release(&b);
	}
	char text[64], n1[SIG_CODE_LEN], n2[SIG_CODE_LEN];
	size_t k = size < sizeof text - 1 ? size : sizeof text - 1;
	memcpy(text, data, k);
	text[k] = '\0';
	if (signature_code_normalize(text, n1) == 0) {
		if (signature_code_normalize(n1, n2) != 0 || strcmp(n1, n2) != 0)
			abort();
	}
	return 0;
}
