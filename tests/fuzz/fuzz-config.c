/* fuzz-config.c: the command language as a config file, a keymap and a
 * theme read it (config commands, bind/unbind, style), with no terminal:
 * parsing a keymap or theme needs curses' key and colour numbers only. */
#include <stdint.h>
#include <stdlib.h>

#include "cmdparse.h"
#include "config.h"
#include "keymap.h"
#include "theme.h"
#include "warroom.h"
#include "fuzz-common.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	*text = fuzz_str(data, size), *cause = NULL, **argv = NULL;
	int	 rv, argc = 0;

	cmdparse_reset();
	config_init();
	keymap_register();
	theme_register();
	rv = cmdparse_string(text, "fuzz", &cause);
	FUZZ_CHECK(rv == 0 || rv == -1);
	FUZZ_CHECK((rv == 0) == (cause == NULL));
	free(cause);
	cause = NULL;

	/* The first line as the palette splits it. */
	rv = cmdparse_split(text, &argc, &argv, &cause);
	FUZZ_CHECK((rv == 0) == (cause == NULL));
	if (rv == 0) {
		FUZZ_CHECK(argc >= 0 && argv != NULL && argv[argc] == NULL);
		cmdparse_free_argv(argc, argv);
	}
	free(cause);

	keymap_free();
	theme_free();
	config_free();
	cmdparse_reset();
	free(text);
	return 0;
}
