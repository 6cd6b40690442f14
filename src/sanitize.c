/* sanitize.c: the one sanitizer every outside string passes before it
 * reaches the terminal. Anything a terminal could act on is shown as a
 * visible escape instead of being sent. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "warroom.h"

#define SANITIZE_MAX_PIECE	16	/* longest output for one input char */

/*
 * Unicode Bidi_Control characters: the embeddings and overrides
 * (U+202A-U+202E), the isolates (U+2066-U+2069) and the marks (U+061C,
 * U+200E, U+200F). They reorder what follows them on screen, so a name can
 * be made to read as something else ("Trojan Source").
 */
static int
sanitize_is_bidi(unsigned int cp)
{
	return (cp >= 0x202a && cp <= 0x202e) ||
	    (cp >= 0x2066 && cp <= 0x2069) ||
	    cp == 0x061c || cp == 0x200e || cp == 0x200f;
}

/*
 * Turn the character at s into its output in out; returns the output
 * length and sets *used to the input bytes consumed. The rules:
 *  - printable ASCII and valid UTF-8 are copied;
 *  - a tab becomes one space;
 *  - other C0 controls (ESC, CR, LF, ...) and DEL become \xNN;
 *  - C1 controls U+0080-U+009F, whether a raw byte or UTF-8 encoded,
 *    become \xNN (the code point, which is also the raw byte);
 *  - a byte that does not start a valid, shortest-form UTF-8 sequence for
 *    a scalar value (stray continuation bytes, overlong forms, surrogates,
 *    values past U+10FFFF, truncated sequences) becomes \xNN, and decoding
 *    resumes at the next byte;
 *  - bidi controls become \u{XXXX}.
 * A backslash is copied as it is.
 */
static size_t
sanitize_one(const unsigned char *s, char *out, size_t *used)
{
	unsigned int	 c = s[0], cp, min;
	size_t		 len, i;

	*used = 1;
	if (c == '\t') {
		out[0] = ' ';
		return 1;
	}
	if (c < 0x20 || c == 0x7f)
		return snprintf(out, SANITIZE_MAX_PIECE, "\\x%02x", c);
	if (c < 0x80) {
		out[0] = c;
		return 1;
	}

	if (c >= 0xc2 && c <= 0xdf) {
		len = 2;
		cp = c & 0x1f;
		min = 0x80;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3;
		cp = c & 0x0f;
		min = 0x800;
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4;
		cp = c & 0x07;
		min = 0x10000;
	} else
		goto invalid;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			goto invalid;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		goto invalid;

	*used = len;
	if (cp <= 0x9f)
		return snprintf(out, SANITIZE_MAX_PIECE, "\\x%02x", cp);
	if (sanitize_is_bidi(cp))
		return snprintf(out, SANITIZE_MAX_PIECE, "\\u{%04x}", cp);
	memcpy(out, s, len);
	return len;

invalid:
	return snprintf(out, SANITIZE_MAX_PIECE, "\\x%02x", c);
}

/*
 * Make an outside string safe for a terminal (the rules are above
 * sanitize_one). NULL gives "". Returns a new string the caller frees.
 */
char *
sanitize(const char *s)
{
	const unsigned char	*p = (const unsigned char *)s;
	char			 piece[SANITIZE_MAX_PIECE], *out;
	size_t			 len = 0, cap, n, used;

	if (s == NULL)
		return xstrdup("");
	cap = strlen(s) + 1;
	out = xmalloc(cap);
	while (*p != '\0') {
		n = sanitize_one(p, piece, &used);
		if (len + n + 1 > cap) {
			cap = cap * 2 + n;
			out = xrealloc(out, cap);
		}
		memcpy(out + len, piece, n);
		len += n;
		p += used;
	}
	out[len] = '\0';
	return out;
}

/*
 * The same into dst, of size n. What does not fit is dropped whole: a UTF-8
 * character or an escape such as \x1b is never cut. dst is always
 * NUL-terminated when n > 0. Returns the length written (strlen(dst)).
 */
size_t
sanitize_into(char *dst, size_t n, const char *s)
{
	const unsigned char	*p = (const unsigned char *)s;
	char			 piece[SANITIZE_MAX_PIECE];
	size_t			 len = 0, k, used;

	if (n == 0)
		return 0;
	if (s != NULL) {
		while (*p != '\0') {
			/* Printable ASCII, the usual case, is copied as is. */
			if (*p >= 0x20 && *p < 0x7f) {
				if (len + 1 > n - 1)
					break;
				dst[len++] = *p++;
				continue;
			}
			k = sanitize_one(p, piece, &used);
			if (len + k > n - 1)
				break;
			memcpy(dst + len, piece, k);
			len += k;
			p += used;
		}
	}
	dst[len] = '\0';
	return len;
}

/* Bytes a POSIX shell takes literally outside quotes. */
static int
sanitize_sh_safe(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || strchr("%+,-./:=@_", c) != NULL;
}

/*
 * Quote s as one word for a POSIX shell: as it is when it is not empty and
 * every byte is in the safe set above, else inside '...' with each '
 * written '\''. Every byte is kept exactly, control bytes and invalid UTF-8
 * included, so sanitize the result before a terminal sees it. NULL is
 * taken as "". Returns a new string the caller frees.
 */
char *
sanitize_shquote(const char *s)
{
	const unsigned char	*p;
	char			*out;
	size_t			 n = 0, o = 0;

	if (s == NULL)
		s = "";
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (!sanitize_sh_safe(*p))
			break;
	}
	if (*s != '\0' && *p == '\0')
		return xstrdup(s);
	for (p = (const unsigned char *)s; *p != '\0'; p++)
		n += *p == '\'' ? 4 : 1;
	out = xmalloc(n + 3);
	out[o++] = '\'';
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p == '\'') {
			memcpy(out + o, "'\\''", 4);
			o += 4;
		} else
			out[o++] = *p;
	}
	out[o++] = '\'';
	out[o] = '\0';
	return out;
}
