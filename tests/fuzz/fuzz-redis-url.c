/* fuzz-redis-url.c: redis://[[user]:password@]host[:port][/db] and socket
 * paths; an error never quotes the password. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "net-redis-private.h"
#include "fuzz-common.h"

/* Has s a byte that is in none of redis_url_parse's messages? */
static int
fuzz_odd(const char *s)
{
	for (; *s != '\0'; s++) {
		if ((unsigned char)*s >= 0x80 || strchr("!$&*+;=~^{}|<>", *s))
			return 1;
	}
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct redis_url	 u;
	char			*url = fuzz_str(data, size), *cause = NULL;
	char			*at, *colon, *pw = NULL;
	int			 rv;

	memset(&u, 0, sizeof u);
	rv = redis_url_parse(&u, url, &cause);
	FUZZ_CHECK(rv == 0 || rv == -1);
	FUZZ_CHECK((rv == 0) == (cause == NULL));
	if (rv == 0) {
		FUZZ_CHECK(u.host != NULL || u.path != NULL);
		FUZZ_CHECK(u.port >= 0 && u.port <= 65535);
		FUZZ_CHECK(u.db >= 0);
	}
	/* The text between the authority's ':' and '@' is the password. */
	if (cause != NULL && strncmp(url, "redis://", 8) == 0 &&
	    (at = strrchr(url + 8, '@')) != NULL) {
		pw = strndup(url + 8, at - (url + 8));
		/* Only a password that no message could hold by chance: with
		 * a byte none of the messages has. */
		if (pw != NULL && (colon = strchr(pw, ':')) != NULL &&
		    strlen(colon + 1) >= 6 && fuzz_odd(colon + 1))
			FUZZ_CHECK(strstr(cause, colon + 1) == NULL);
		free(pw);
	}
	free(cause);
	redis_url_free(&u);
	free(url);
	return 0;
}
