/* jtext.h: outside text into JSON and into cut strings without losing it:
 * invalid UTF-8 becomes U+FFFD (jansson would refuse the string and the
 * field would vanish), and a cut never splits a character. */
#ifndef WARROOM_JTEXT_H
#define WARROOM_JTEXT_H

#include <stddef.h>

#include <jansson.h>

/* A new JSON string of s, each byte that does not start a valid UTF-8
 * character replaced by U+FFFD; the caller owns the reference. NULL gives
 * NULL, as json_string() does. Every JSON writer uses this instead. */
json_t	*jtext(const char *s);
/* s with the same replacement, as a new string the caller frees. */
char	*jtext_repair(const char *s);
/* The number of bytes, at most max, of the len bytes at s that ends on a
 * character boundary: a cut there splits no UTF-8 character. */
size_t	 jtext_cut(const char *s, size_t len, size_t max);

#endif
