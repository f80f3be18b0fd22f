/*
 * fold: Vietnamese-aware folding of UTF-8 text for search.
 *
 * Folding turns text into a canonical search form: letters are lower-cased,
 * Vietnamese (and other Latin) diacritics are removed, đ/Đ become d, and
 * anything that is not a letter or a digit separates words. Thus
 * "Đăng ký khai sinh" folds to "dang ky khai sinh" and a citizen who types
 * "khai sinh" or "dang ky" without accents finds it.
 *
 * The rules, exactly:
 *   - Input must be valid UTF-8 (no overlong forms, no surrogates, nothing
 *     above U+10FFFF) and must not contain a NUL byte; otherwise folding fails.
 *   - ASCII letters are lower-cased; ASCII digits are kept.
 *   - Precomposed Latin letters of U+00C0..U+024F and U+1EA0..U+1EF9 (all the
 *     Vietnamese letters: ă â đ ê ô ơ ư with the five tones, both cases) and
 *     the rest of U+1E00..U+1EFF fold to their base letter in lower case; a
 *     few ligatures fold to two letters (æ → ae, œ → oe, ß → ss, ĳ → ij,
 *     þ → th). U+00D0 Ð (eth), which old fonts used for Đ, folds to d.
 *   - Combining marks (U+0300..U+036F, U+1AB0..U+1AFF, U+1DC0..U+1DFF,
 *     U+20D0..U+20FF, U+FE20..U+FE2F) are dropped, so decomposed text (NFD,
 *     e.g. "a" + U+0306 + U+0301) folds like precomposed text (NFC).
 *   - Invisible format characters (soft hyphen U+00AD, U+200B..U+200F,
 *     U+202A..U+202E, U+2060..U+206F, U+FEFF) are dropped without splitting
 *     the word.
 *   - Separators: every ASCII character other than a letter or a digit
 *     (spaces, tabs, newlines, punctuation such as "-", ".", "/", "'"), the
 *     C1 controls and U+00A0..U+00BF (no-break space, « », ¿ ...), × and ÷,
 *     the rest of U+2000..U+206F (typographic spaces, dashes, quotes, …),
 *     U+1680 and U+3000..U+3003. A run of separators becomes one space, and
 *     separators at either end are dropped.
 *   - Every other character (Greek, Cyrillic, CJK, emoji, symbols) is copied
 *     unchanged: it is neither lower-cased nor treated as a separator.
 *
 * The folded text is never longer than the input (in bytes), so an output
 * buffer whose maximum is at least the input length always suffices.
 */
#ifndef MOTCUA_BASE_FOLD_H
#define MOTCUA_BASE_FOLD_H

#include <stdbool.h>
#include <stddef.h>

#include "base/buf.h"
#include "base/error.h"

/*
 * Folds len bytes of UTF-8 text at in (which need not be NUL-terminated) into
 * out, replacing what out held. Returns ERR_OK; ERR_INVALID_ARGUMENT for
 * invalid UTF-8 or a NUL byte (the detail gives the byte offset); ERR_TOO_LONG
 * when out's maximum is too small. On failure out is left empty. The caller
 * owns out (buf_release it).
 */
enum err_code fold_text(const char *in, size_t len, struct buf *out, struct err *e);

/*
 * True when needle occurs in haystack starting at the beginning of a word of
 * haystack (at its start or right after a space). Both must already be folded.
 * The end of needle may fall inside a word, so that a search typed so far
 * matches: "giay phep xay" and "khai sinh" match "cap giay phep xay dung" and
 * "dang ky khai sinh"; "an" matches "an ninh" but not "ban". An empty needle
 * matches everything; a NULL argument matches nothing.
 */
bool fold_contains(const char *haystack_folded, const char *needle_folded);

#endif
