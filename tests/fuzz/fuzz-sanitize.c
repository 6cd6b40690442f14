/* fuzz-sanitize.c: the sanitizer (no control byte, no invalid UTF-8 and no
 * escape sequence comes out), the shell quoting of copied commands (one
 * word that sh would read back), the lossless JSON text and cut, and the
 * width of what ui/draw.c fits into a column (exactly the width asked). */
#include <locale.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "draw.h"
#include "jtext.h"
#include "warroom.h"
#include "fuzz-common.h"

/* Is s valid UTF-8 with no C0/C1 control or DEL? */
static int
fuzz_clean(const char *s)
{
	const unsigned char	*p = (const unsigned char *)s;
	unsigned int		 cp;
	int			 n, i;

	while (*p != '\0') {
		if (*p < 0x20 || *p == 0x7f)
			return 0;
		if (*p < 0x80) {
			p++;
			continue;
		}
		if ((*p & 0xe0) == 0xc0) {
			n = 1;
			cp = *p & 0x1f;
		} else if ((*p & 0xf0) == 0xe0) {
			n = 2;
			cp = *p & 0x0f;
		} else if ((*p & 0xf8) == 0xf0) {
			n = 3;
			cp = *p & 0x07;
		} else
			return 0;
		for (i = 1; i <= n; i++) {
			if ((p[i] & 0xc0) != 0x80)
				return 0;
			cp = (cp << 6) | (p[i] & 0x3f);
		}
		if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) ||
		    (n == 3 && cp < 0x10000) || cp > 0x10ffff ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		if (cp >= 0x80 && cp < 0xa0)
			return 0;
		p += n + 1;
	}
	return 1;
}

/* Does s hold a bidi control (U+061C, U+200E-200F, U+202A-202E,
 * U+2066-2069), which could reorder what is drawn after it? */
static int
fuzz_bidi(const char *s)
{
	return strstr(s, "\xd8\x9c") != NULL ||
	    strstr(s, "\xe2\x80\x8e") != NULL ||
	    strstr(s, "\xe2\x80\x8f") != NULL ||
	    strstr(s, "\xe2\x80\xaa") != NULL ||
	    strstr(s, "\xe2\x80\xab") != NULL ||
	    strstr(s, "\xe2\x80\xac") != NULL ||
	    strstr(s, "\xe2\x80\xad") != NULL ||
	    strstr(s, "\xe2\x80\xae") != NULL ||
	    strstr(s, "\xe2\x81\xa6") != NULL ||
	    strstr(s, "\xe2\x81\xa7") != NULL ||
	    strstr(s, "\xe2\x81\xa8") != NULL ||
	    strstr(s, "\xe2\x81\xa9") != NULL;
}

/* Widths as the dashboard sees them: a UTF-8 locale. */
int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (setlocale(LC_CTYPE, "C.UTF-8") == NULL)
		(void)setlocale(LC_CTYPE, "en_US.UTF-8");
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char		*s = fuzz_str(data, size), *t, *q, small[8], buf[512];
	json_t		*j;
	size_t		 n, len = strlen(s), cut;
	int		 width, ascii, valid;

	t = sanitize(s);
	FUZZ_CHECK(t != NULL && fuzz_clean(t));
	n = sanitize_into(small, sizeof small, s);
	FUZZ_CHECK(n == strlen(small) && n < sizeof small);
	FUZZ_CHECK(fuzz_clean(small));
	free(t);

	q = sanitize_shquote(s);
	FUZZ_CHECK(q != NULL);
	if (q[0] != '\'') {
		/* Bare only when every byte is safe for sh as it is. */
		FUZZ_CHECK(strcmp(q, s) == 0 && len > 0);
		FUZZ_CHECK(strspn(s, "abcdefghijklmnopqrstuvwxyz"
		    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789%+,-./:=@_") == len);
	} else {
		/* sh reads '...' back to s: each ' inside is '\''. */
		n = strlen(q);
		FUZZ_CHECK(n >= 2 && q[n - 1] == '\'');
		t = xmalloc(n);
		for (cut = 1, n = 0; q[cut + 1] != '\0'; cut++) {
			if (q[cut] == '\'') {
				FUZZ_CHECK(strncmp(q + cut, "'\\''", 4) == 0);
				cut += 3;
			}
			t[n++] = q[cut];
		}
		t[n] = '\0';
		FUZZ_CHECK(strcmp(t, s) == 0);
		free(t);
	}
	free(q);

	j = jtext(s);
	FUZZ_CHECK(j != NULL && json_is_string(j));
	t = json_dumps(j, JSON_ENCODE_ANY);
	FUZZ_CHECK(t != NULL);
	free(t);
	json_decref(j);
	t = jtext_repair(s);
	FUZZ_CHECK(t != NULL);
	j = json_string(t);
	FUZZ_CHECK(j != NULL);
	json_decref(j);
	free(t);
	t = jtext_repair(s);
	valid = strcmp(t, s) == 0;
	free(t);
	cut = jtext_cut(s, len, size > 0 ? data[0] : 0);
	FUZZ_CHECK(cut <= len && cut <= (size > 0 ? data[0] : 0));
	t = strndup(s, cut);
	q = jtext_repair(t);
	/* A cut of valid UTF-8 splits no character. */
	FUZZ_CHECK(!valid || strcmp(q, t) == 0);
	free(q);
	free(t);

	for (ascii = 0; ascii <= 1; ascii++) {
		(void)draw_width(s, ascii);
		width = size > 1 ? data[1] % 80 : 10;
		draw_fit(buf, sizeof buf, s, width, size > 2 && data[2] & 1,
		    ascii);
		FUZZ_CHECK(memchr(buf, '\0', sizeof buf) != NULL);
		FUZZ_CHECK(draw_width(buf, ascii) == width);
		FUZZ_CHECK(fuzz_clean(buf));
		FUZZ_CHECK(!fuzz_bidi(buf));
		if (ascii) {
			for (t = buf; *t != '\0'; t++)
				FUZZ_CHECK((unsigned char)*t < 0x80);
		}
	}
	free(s);
	return 0;
}
