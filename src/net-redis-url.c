/* net-redis-url.c: a Redis URL, redis://[[user]:password@]host[:port][/db]
 * or the path of a unix socket, taken apart; the password percent-decoded
 * and never quoted in an error. */

#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "net-redis-private.h"
#include "warroom.h"

#define REDIS_DEFAULT_PORT	6379

/* A percent-decoded copy of s[0..len), or NULL if malformed or with NUL. */
static char *
redis_url_decode(const char *s, size_t len)
{
	char		*out, *o, hex[3];
	size_t		 i;
	unsigned long	 v;

	o = out = xmalloc(len + 1);
	for (i = 0; i < len; i++) {
		if (s[i] != '%') {
			*o++ = s[i];
			continue;
		}
		if (i + 2 >= len || !isxdigit((unsigned char)s[i + 1]) ||
		    !isxdigit((unsigned char)s[i + 2])) {
			free(out);
			return (NULL);
		}
		hex[0] = s[i + 1];
		hex[1] = s[i + 2];
		hex[2] = '\0';
		if ((v = strtoul(hex, NULL, 16)) == 0) {
			free(out);
			return (NULL);
		}
		*o++ = (char)v;
		i += 2;
	}
	*o = '\0';
	return (out);
}

/* A decimal number within [min, max] in s[0..len), or -1. */
static long
redis_url_number(const char *s, size_t len, long min, long max)
{
	long	 v = 0;
	size_t	 i;

	if (len == 0 || len > 9)
		return (-1);
	for (i = 0; i < len; i++) {
		if (!isdigit((unsigned char)s[i]))
			return (-1);
		v = v * 10 + (s[i] - '0');
	}
	return (v < min || v > max ? -1 : v);
}

int
redis_url_parse(struct redis_url *u, const char *url, char **cause)
{
	const char	*p, *end, *at, *colon, *host, *hend, *port = NULL;
	size_t		 plen = 0;
	long		 v;

	if (url == NULL || *url == '\0') {
		*cause = xstrdup("no Redis URL");
		return (-1);
	}
	if (*url == '/') {
		u->path = xstrdup(url);
		return (0);
	}
	if (strncasecmp(url, "rediss://", 9) == 0) {
		*cause = xstrdup("rediss:// (TLS) is not supported with "
		    "hiredis 0.14");
		return (-1);
	}
	if (strncasecmp(url, "redis://", 8) != 0) {
		*cause = xstrdup("not a redis:// URL or an absolute path to a "
		    "unix socket");
		return (-1);
	}
	p = url + 8;
	end = p + strcspn(p, "/?#");
	if (*end == '?' || *end == '#') {
		*cause = xstrdup("query parameters are not supported in the "
		    "Redis URL");
		return (-1);
	}

	/* The last '@' ends the user info: a password may hold one. */
	at = NULL;
	for (host = p; host < end; host++) {
		if (*host == '@')
			at = host;
	}
	host = p;
	if (at != NULL) {
		if ((colon = memchr(p, ':', at - p)) == NULL) {
			*cause = xstrdup("the Redis URL needs a ':' before the "
			    "password (redis://[[user]:password@]host)");
			return (-1);
		}
		if (colon > p && (u->user = redis_url_decode(p,
		    colon - p)) == NULL) {
			*cause = xstrdup("bad %-encoding in the Redis URL's "
			    "user");
			return (-1);
		}
		if ((u->password = redis_url_decode(colon + 1,
		    at - colon - 1)) == NULL) {
			*cause = xstrdup("bad %-encoding in the Redis URL's "
			    "password");
			return (-1);
		}
		if (*u->password == '\0') {
			free(u->password);
			u->password = NULL;
			if (u->user != NULL) {
				*cause = xstrdup("a user without a password "
				    "in the Redis URL");
				return (-1);
			}
		}
		host = at + 1;
	}

	if (*host == '[') {
		if ((hend = memchr(host, ']', end - host)) == NULL) {
			*cause = xstrdup("no ']' after the IPv6 address in the "
			    "Redis URL");
			return (-1);
		}
		u->host = xstrndup(host + 1, hend - host - 1);
		hend++;
	} else {
		for (hend = host; hend < end && *hend != ':'; hend++)
			/* nothing */;
		u->host = xstrndup(host, hend - host);
	}
	if (*u->host == '\0') {
		*cause = xstrdup("no host in the Redis URL");
		return (-1);
	}
	if (hend < end) {
		if (*hend != ':') {
			*cause = xstrdup("bad host in the Redis URL");
			return (-1);
		}
		port = hend + 1;
		plen = end - port;
	}
	u->port = REDIS_DEFAULT_PORT;
	if (port != NULL) {
		if ((v = redis_url_number(port, plen, 1, 65535)) == -1) {
			*cause = xstrdup("bad port in the Redis URL");
			return (-1);
		}
		u->port = (int)v;
	}
	if (*end == '/' && end[1] != '\0') {
		if ((v = redis_url_number(end + 1, strlen(end + 1), 0,
		    INT_MAX)) == -1) {
			*cause = xstrdup("bad database number in the Redis URL");
			return (-1);
		}
		u->db = (int)v;
	}
	return (0);
}

void
redis_url_free(struct redis_url *u)
{
	if (u->password != NULL)
		explicit_bzero(u->password, strlen(u->password));
	free(u->password);
	free(u->user);
	free(u->host);
	free(u->path);
	memset(u, 0, sizeof *u);
}
