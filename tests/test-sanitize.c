/* test-sanitize.c: outside text on its way to a terminal or a JSON file:
 * bidi and other format characters never drawn as themselves. */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "draw.h"
#include "test.h"
#include "warroom.h"

/* U+202E RIGHT-TO-LEFT OVERRIDE and friends, as UTF-8. */
#define RLO	"\xe2\x80\xae"
#define LRI	"\xe2\x81\xa6"
#define PDI	"\xe2\x81\xa9"
#define LRM	"\xe2\x80\x8e"
#define RLM	"\xe2\x80\x8f"
#define ALM	"\xd8\x9c"
#define ZWSP	"\xe2\x80\x8b"
#define BOM	"\xef\xbb\xbf"
#define TAG_A	"\xf3\xa0\x81\xa1"	/* U+E0061 */

TEST(sanitize_bidi)
{
	char	*s, buf[64];

	s = sanitize("admin" RLO "txt.exe" LRI "x" PDI LRM RLM ALM);
	ASSERT_STR(s, "admin\\u{202e}txt.exe\\u{2066}x\\u{2069}\\u{200e}"
	    "\\u{200f}\\u{061c}");
	free(s);
	sanitize_into(buf, sizeof buf, "a" RLO "b\033[2Jc");
	ASSERT_STR(buf, "a\\u{202e}b\\x1b[2Jc");
	/* An escape that does not fit is dropped whole. */
	sanitize_into(buf, 8, "abcd" RLO);
	ASSERT_STR(buf, "abcd");
}

/* The draw layer is the backstop: a format character that reached it
 * unsanitized is drawn as '?', one column, never sent as itself. */
TEST(draw_refuses_format_chars)
{
	static const char *const fmt[] = {
		RLO, LRI, PDI, LRM, RLM, ALM, ZWSP, BOM, TAG_A,
		"\xe2\x80\xaa", "\xe2\x80\xab", "\xe2\x80\xac", "\xe2\x80\xad",
		"\xe2\x81\xa7", "\xe2\x81\xa8", "\xe2\x80\x8d", "\xe2\x81\xa0",
		"\xc2\xad", "\xd8\x80", "\xe1\xa0\x8e",
	};
	char	 in[32], buf[64];
	size_t	 i;

	for (i = 0; i < nitems(fmt); i++) {
		snprintf(in, sizeof in, "a%sb", fmt[i]);
		ASSERT_INT(draw_width(in, 0), 3);
		ASSERT_STR(draw_fit(buf, sizeof buf, in, 5, 0, 0), "a?b  ");
		ASSERT(strstr(buf, fmt[i]) == NULL);
	}
	/* Ordinary wide and combining text is untouched. */
	ASSERT_STR(draw_fit(buf, sizeof buf, "\xe6\x97\xa5" "e\xcc\x81", 4, 0,
	    0), "\xe6\x97\xa5" "e\xcc\x81 ");
	ASSERT_STR(draw_fit(buf, sizeof buf, "caf\xc3\xa9", 4, 0, 0),
	    "caf\xc3\xa9");
}

int
main(void)
{
	if (setlocale(LC_ALL, "C.UTF-8") == NULL)
		setlocale(LC_ALL, "");
	RUN(sanitize_bidi);
	RUN(draw_refuses_format_chars);
	return TEST_EXIT();
}
