/* jtext.c: the one lossy way from outside text to a JSON string (invalid
 * UTF-8 becomes U+FFFD rather than a dropped field), and cuts on character
 * boundaries for every byte limit on outside text. */
#include <stdlib.h>
#include <string.h>

#include "jtext.h"
#include "warroom.h"

#define JTEXT_FFFD	"\xef\xbf\xbd"

/* The length of the valid, shortest-form UTF-8 character of a Unicode
 * scalar value at p, or 0 if p does not start one. */
static size_t
jtext_char_len(const unsigned char *p)
{
	unsigned int	 cp, min;
	size_t		 len, i;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf) {
		len = 2;
		cp = p[0] & 0x1f;
		min = 0x80;
	} else if (p[0] >= 0xe0 && p[0] <= 0xef) {
		len = 3;
		cp = p[0] & 0x0f;
		min = 0x800;
	} else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		len = 4;
		cp = p[0] & 0x07;
		min = 0x10000;
	} else
		return 0;
	for (i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

char *
jtext_repair(const char *s)
{
	const unsigned char	*p;
	char			*out;
	size_t			 n = 0, l;

	if (s == NULL)
		s = "";
	out = xmalloc(strlen(s) * 3 + 1);
	for (p = (const unsigned char *)s; *p != '\0'; p += l) {
		if ((l = jtext_char_len(p)) == 0) {
			memcpy(out + n, JTEXT_FFFD, 3);
			n += 3;
			l = 1;
		} else {
			memcpy(out + n, p, l);
			n += l;
		}
	}
	out[n] = '\0';
	return out;
}

json_t *
jtext(const char *s)
{
	json_t	*j;
	char	*fixed;

	if (s == NULL)
		return NULL;
	if ((j = json_string(s)) != NULL)
		return j;
	fixed = jtext_repair(s);
	if ((j = json_string(fixed)) == NULL)
		fatal("jtext: json_string refused repaired UTF-8");
	free(fixed);
	return j;
}

size_t
jtext_cut(const char *s, size_t len, size_t max)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 n = max, k;

	if (len <= max)
		return len;
	/* Back over at most three continuation bytes to the start of the
	 * character that would be split; more than three is not UTF-8 and
	 * is cut where it is. */
	for (k = 0; k < 3 && n > 0 && (p[n] & 0xc0) == 0x80; k++)
		n--;
	if ((p[n] & 0xc0) == 0x80)
		return max;
	return n;
}
