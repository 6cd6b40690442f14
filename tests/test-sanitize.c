/* test-sanitize.c: the sanitizer every outside string passes before the
 * terminal: what passes, controls, bidi controls, invalid UTF-8, the
 * truncating form, and random bytes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "warroom.h"
#include "test.h"

static char *
sanitized(const char *s)
{
	static char	 out[1024];
	char		*p;

	p = sanitize(s);
	snprintf(out, sizeof out, "%s", p);
	free(p);
	return out;
}

/* Is s printable ASCII and clean UTF-8 with nothing sanitize would change? */
static int
clean_output(const char *s)
{
	const unsigned char	*p;
	char			*again;
	int			 ok;

	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p < 0x20 || *p == 0x7f)
			return 0;
	}
	again = sanitize(s);
	ok = strcmp(again, s) == 0;
	free(again);
	return ok;
}

TEST(sanitize_passes)
{
	ASSERT_STR(sanitized("knowledge-service-7d9f8b-x2x"),
	    "knowledge-service-7d9f8b-x2x");
	ASSERT_STR(sanitized("h\xc3\xa9llo \xe2\x9c\x93 \xe6\x97\xa5\xe6\x9c\xac "
	    "\xf0\x9f\x94\xa5"), "h\xc3\xa9llo \xe2\x9c\x93 \xe6\x97\xa5\xe6\x9c\xac "
	    "\xf0\x9f\x94\xa5");
	ASSERT_STR(sanitized("nbsp\xc2\xa0ok \\x1b stays"),
	    "nbsp\xc2\xa0ok \\x1b stays");
	ASSERT_STR(sanitized(""), "");
	ASSERT_STR(sanitized(NULL), "");
}

TEST(sanitize_controls)
{
	ASSERT_STR(sanitized("\033[31mred\033[0m"), "\\x1b[31mred\\x1b[0m");
	ASSERT_STR(sanitized("\033]0;pwned\007"), "\\x1b]0;pwned\\x07");
	ASSERT_STR(sanitized("a\r\nb"), "a\\x0d\\x0ab");
	ASSERT_STR(sanitized("a\tb"), "a b");
	ASSERT_STR(sanitized("\001\010\037\177"), "\\x01\\x08\\x1f\\x7f");
	/* C1: a raw byte and the UTF-8 encoding both show the code point. */
	ASSERT_STR(sanitized("\x9b" "31m"), "\\x9b31m");
	ASSERT_STR(sanitized("\xc2\x9b" "31m"), "\\x9b31m");
	ASSERT_STR(sanitized("\xc2\x80\xc2\x85\xc2\x9f"), "\\x80\\x85\\x9f");
}

TEST(sanitize_bidi)
{
	ASSERT_STR(sanitized("admin\xe2\x80\xae" "txt.exe"),
	    "admin\\u{202e}txt.exe");
	ASSERT_STR(sanitized("\xe2\x80\xaa\xe2\x80\xab\xe2\x80\xac\xe2\x80\xad"),
	    "\\u{202a}\\u{202b}\\u{202c}\\u{202d}");
	ASSERT_STR(sanitized("\xe2\x81\xa6\xe2\x81\xa7\xe2\x81\xa8\xe2\x81\xa9"),
	    "\\u{2066}\\u{2067}\\u{2068}\\u{2069}");
	ASSERT_STR(sanitized("\xe2\x80\x8e\xe2\x80\x8f\xd8\x9c"),
	    "\\u{200e}\\u{200f}\\u{061c}");
	/* Neighbours that are not bidi controls pass. */
	ASSERT_STR(sanitized("\xe2\x80\xa9\xe2\x80\xaf\xe2\x81\xa5"),
	    "\xe2\x80\xa9\xe2\x80\xaf\xe2\x81\xa5");
}

TEST(sanitize_invalid_utf8)
{
	ASSERT_STR(sanitized("\xff\xfe"), "\\xff\\xfe");
	ASSERT_STR(sanitized("a\x80" "b"), "a\\x80b");
	ASSERT_STR(sanitized("\xc0\xaf"), "\\xc0\\xaf");		/* overlong / */
	ASSERT_STR(sanitized("\xc1\xbf"), "\\xc1\\xbf");
	ASSERT_STR(sanitized("\xe0\x80\xaf"), "\\xe0\\x80\\xaf");
	ASSERT_STR(sanitized("\xf0\x80\x80\xaf"), "\\xf0\\x80\\x80\\xaf");
	ASSERT_STR(sanitized("\xc0\x9b"), "\\xc0\\x9b");	/* overlong ESC */
	ASSERT_STR(sanitized("\xed\xa0\x80"), "\\xed\\xa0\\x80");	/* surrogate */
	ASSERT_STR(sanitized("\xf4\x90\x80\x80"), "\\xf4\\x90\\x80\\x80");
	ASSERT_STR(sanitized("\xf5\x80\x80\x80"), "\\xf5\\x80\\x80\\x80");
	ASSERT_STR(sanitized("a\xe2\x82"), "a\\xe2\\x82");	/* cut short */
	ASSERT_STR(sanitized("\xe2\x82" "A\xe2\x82\xac"), "\\xe2\\x82A\xe2\x82\xac");
	ASSERT_STR(sanitized("\xf4\x8f\xbf\xbf"), "\xf4\x8f\xbf\xbf");
}

TEST(sanitize_into_truncates)
{
	char	 buf[32];

	ASSERT_INT(sanitize_into(buf, sizeof buf, "abc"), 3);
	ASSERT_STR(buf, "abc");
	ASSERT_INT(sanitize_into(buf, 5, "abcd"), 4);		/* exact fit */
	ASSERT_STR(buf, "abcd");
	ASSERT_INT(sanitize_into(buf, 5, "abcde"), 4);
	ASSERT_STR(buf, "abcd");
	/* An escape is never cut: \x1b needs 4 bytes, 2 are left. */
	ASSERT_INT(sanitize_into(buf, 5, "ab\033[m"), 2);
	ASSERT_STR(buf, "ab");
	ASSERT_INT(sanitize_into(buf, 7, "ab\033[m"), 6);
	ASSERT_STR(buf, "ab\\x1b");
	/* Nor a UTF-8 character: the check mark needs 3 bytes. */
	ASSERT_INT(sanitize_into(buf, 5, "ab\xe2\x9c\x93"), 2);
	ASSERT_STR(buf, "ab");
	ASSERT_INT(sanitize_into(buf, 6, "ab\xe2\x9c\x93"), 5);
	ASSERT_STR(buf, "ab\xe2\x9c\x93");
	ASSERT_INT(sanitize_into(buf, 9, "\xe2\x80\xae" "x"), 8);
	ASSERT_STR(buf, "\\u{202e}");
	ASSERT_INT(sanitize_into(buf, 8, "\xe2\x80\xae" "x"), 0);
	ASSERT_STR(buf, "");
	ASSERT_INT(sanitize_into(buf, 1, "abc"), 0);
	ASSERT_STR(buf, "");
	buf[0] = 'Z';
	ASSERT_INT(sanitize_into(buf, 0, "abc"), 0);
	ASSERT_INT(buf[0], 'Z');				/* untouched */
	ASSERT_INT(sanitize_into(buf, sizeof buf, NULL), 0);
	ASSERT_STR(buf, "");
}

TEST(sanitize_random)
{
	unsigned char	 in[64];
	char		 small[24], *full;
	unsigned int	 seed = 12345;
	size_t		 len, n, got;
	int		 round, i;

	for (round = 0; round < 20000; round++) {
		len = (seed = seed * 1103515245 + 12345) % (sizeof in);
		for (i = 0; i < (int)len; i++) {
			seed = seed * 1103515245 + 12345;
			in[i] = (seed >> 16) & 0xff;
			if (in[i] == 0)
				in[i] = 0x1b;
			if (round % 2 && (seed >> 8) % 3 == 0)
				in[i] = "\xe2\x80\xae\xc2\x9b"[(seed >> 4) % 5];
		}
		in[len] = '\0';
		full = sanitize((char *)in);
		if (!clean_output(full)) {
			free(full);
			ASSERT(!"output not clean");
		}
		for (n = 1; n <= sizeof small; n += 5) {
			got = sanitize_into(small, n, (char *)in);
			if (got != strlen(small) || got >= n ||
			    strncmp(small, full, got) != 0 ||
			    !clean_output(small)) {
				free(full);
				ASSERT(!"sanitize_into is not a clean prefix");
			}
		}
		free(full);
	}
}

int
main(void)
{
	RUN(sanitize_passes);
	RUN(sanitize_controls);
	RUN(sanitize_bidi);
	RUN(sanitize_invalid_utf8);
	RUN(sanitize_into_truncates);
	RUN(sanitize_random);

	return TEST_EXIT();
}
