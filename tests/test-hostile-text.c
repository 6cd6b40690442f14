/* test-hostile-text.c: outside text on its way to a terminal or a JSON file:
 * bidi and other format characters never drawn as themselves, invalid
 * UTF-8 kept (replaced) rather than dropped, cuts on character boundaries. */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "draw.h"
#include "jtext.h"
#include "kube.h"
#include "model.h"
#include "net-http.h"
#include "snapshot.h"
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

/* Invalid UTF-8 is replaced, not lost: stray continuation, overlong,
 * surrogate, cut-short sequence, byte past F4. */
TEST(jtext_replaces_invalid)
{
	json_t	*j;
	char	*s;

	j = jtext("web\xff-\xc3");
	ASSERT(j != NULL);
	ASSERT_STR(json_string_value(j), "web\xef\xbf\xbd-\xef\xbf\xbd");
	json_decref(j);
	j = jtext("caf\xc3\xa9 \xe2\x86\x92");	/* valid: as it is */
	ASSERT_STR(json_string_value(j), "caf\xc3\xa9 \xe2\x86\x92");
	json_decref(j);
	ASSERT(jtext(NULL) == NULL);
	s = jtext_repair("\x80" "a\xc0\xaf" "b\xed\xa0\x80" "c\xe2\x82" "d"
	    "\xf5");
	ASSERT_STR(s, "\xef\xbf\xbd" "a\xef\xbf\xbd\xef\xbf\xbd" "b"
	    "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" "c\xef\xbf\xbd"
	    "\xef\xbf\xbd" "d\xef\xbf\xbd");
	free(s);
}

TEST(jtext_cut_on_boundaries)
{
	const char	*s = "ab\xc3\xa9\xe2\x86\x92\xf0\x9f\x94\xa5z";

	ASSERT_INT(jtext_cut(s, strlen(s), 100), strlen(s));
	ASSERT_INT(jtext_cut(s, strlen(s), 2), 2);
	ASSERT_INT(jtext_cut(s, strlen(s), 3), 2);	/* inside e-acute */
	ASSERT_INT(jtext_cut(s, strlen(s), 4), 4);
	ASSERT_INT(jtext_cut(s, strlen(s), 5), 4);	/* inside the arrow */
	ASSERT_INT(jtext_cut(s, strlen(s), 6), 4);
	ASSERT_INT(jtext_cut(s, strlen(s), 7), 7);
	ASSERT_INT(jtext_cut(s, strlen(s), 10), 7);	/* inside U+1F525 */
	ASSERT_INT(jtext_cut(s, strlen(s), 11), 11);
	/* Not UTF-8 at all: cut where asked. */
	ASSERT_INT(jtext_cut("a\x80\x80\x80\x80\x80", 6, 5), 5);
}

/* A snapshot keeps a field whose text is not UTF-8. */
TEST(snapshot_keeps_invalid_utf8)
{
	struct model	 m;
	json_t		*o;
	FILE		*f;
	char		*buf = NULL;
	size_t		 len = 0;

	model_init(&m);
	xstrset(&m.context, "prod\xff\xfe");
	xstrset(&m.namespace, "ns-\xe2\x82");
	f = open_memstream(&buf, &len);
	ASSERT(f != NULL);
	snapshot_write(f, &m, 1800000000);
	fclose(f);
	model_free(&m);
	o = json_loads(buf, 0, NULL);
	free(buf);
	ASSERT(json_is_object(o));
	ASSERT_STR(json_string_value(json_object_get(o, "context")),
	    "prod\xef\xbf\xbd\xef\xbf\xbd");
	ASSERT_STR(json_string_value(json_object_get(o, "namespace")),
	    "ns-\xef\xbf\xbd\xef\xbf\xbd");
	json_decref(o);
}

/* The start of an error body is cut before a character, not inside it. */
TEST(kube_error_snippet_on_boundary)
{
	char			 body[256], *t;
	struct http_response	 res = { .status = 502, .body = body };
	size_t			 n;

	memset(body, 'a', 119);
	memcpy(body + 119, "\xc3\xa9 and more", 12);
	res.body_len = 130;
	t = kube_error_text(&res);
	n = strlen(t);
	ASSERT(n > 119);
	ASSERT(t[n - 1] == 'a');
	free(t);
}

int
main(void)
{
	if (setlocale(LC_ALL, "C.UTF-8") == NULL)
		setlocale(LC_ALL, "");
	RUN(sanitize_bidi);
	RUN(draw_refuses_format_chars);
	RUN(jtext_replaces_invalid);
	RUN(jtext_cut_on_boundaries);
	RUN(snapshot_keeps_invalid_utf8);
	RUN(kube_error_snippet_on_boundary);
	return TEST_EXIT();
}
