/* tests/cmdparse-fixture.c: command text run through cmdparse_string, for
 * the tests of the command language (test-cmdparse.c) and of the config
 * commands (test-config.c). */
#include <stdio.h>
#include <stdlib.h>

#include "cmdparse.h"
#include "cmdparse-fixture.h"

/* Run text as "t"; return "" on success or the cause. */
const char *
run(const char *text)
{
	static char	 out[1024];
	char		*cause;

	out[0] = '\0';
	if (cmdparse_string(text, "t", &cause) != 0) {
		snprintf(out, sizeof out, "%s", cause);
		free(cause);
	}
	return out;
}
