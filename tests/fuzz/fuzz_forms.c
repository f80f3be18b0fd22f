/*
 * Fuzz target for doc/forms: arbitrary bytes are loaded as the template set
 * "2025". Loading must never crash; a set that loads must answer every
 * question about its forms and labels without crashing, and its texts must
 * be valid UTF-8.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/str.h"
#include "doc/forms.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct forms_set s;
	struct err e;
	if (forms_set_parse((const char *)data, size, "2025", &s, &e) == ERR_OK) {
		for (int k = 0; k < FK__COUNT; k++) {
			const char *t = forms_title(&s, (enum form_kind)k);
			if (!str_valid_utf8(t, 1u << 20))
				abort();
			if (!forms_set_has(&s, (enum form_kind)k) &&
			    (t[0] || forms_number(&s, (enum form_kind)k)[0]))
				abort();
		}
		char out[256];
		forms_date(&s, 20000, out, sizeof out);
		forms_datetime(&s, 1756260300, out, sizeof out);
		forms_duration(&s, 3, false, out, sizeof out);
		if (!str_valid_utf8(out, sizeof out))
			abort();
		(void)forms_label(&s, "step_result", "late");
	}
	forms_set_release(&s);
	return 0;
}
