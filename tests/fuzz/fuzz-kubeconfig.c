/* fuzz-kubeconfig.c: kubeconfig YAML through the whole loader (written to
 * a file in a private temp directory, as --kubeconfig names it), the YAML
 * reader on the buffer, and the base64 decoder of the *-data fields. The
 * loader never runs an exec plugin (kubeconfig_refresh does). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kubeconfig.h"
#include "kubeconfig-private.h"
#include "fuzz-common.h"

static char	 fuzz_dir[] = "/tmp/warroom-fuzz-kcfg.XXXXXX";
static char	 fuzz_path[256];

/* The temp directory goes when the run ends. */
static void
fuzz_cleanup(void)
{
	unlink(fuzz_path);
	rmdir(fuzz_dir);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (mkdtemp(fuzz_dir) == NULL)
		abort();
	snprintf(fuzz_path, sizeof fuzz_path, "%s/config", fuzz_dir);
	atexit(fuzz_cleanup);
	unsetenv("KUBECONFIG");
	return 0;
}

static void
fuzz_write(const uint8_t *data, size_t size)
{
	FILE	*f;

	if ((f = fopen(fuzz_path, "w")) == NULL)
		abort();
	if (size > 0 && fwrite(data, size, 1, f) != 1)
		abort();
	if (fclose(f) != 0)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kubeconfig	*kc = NULL;
	struct kcfg_file	*f;
	char			*cause = NULL, *s, *dec;
	size_t			 len, i;
	int			 rv;

	fuzz_write(data, size);
	rv = kubeconfig_load(fuzz_path, NULL, NULL, &kc, &cause);
	FUZZ_CHECK(rv == 0 || rv == -1);
	FUZZ_CHECK((rv == 0) == (cause == NULL));
	FUZZ_CHECK((rv == 0) == (kc != NULL));
	if (kc != NULL) {
		FUZZ_CHECK(kc->server != NULL && kc->namespace != NULL);
		for (i = 0; kc->contexts != NULL && kc->contexts[i] != NULL;
		    i++)
			;
	}
	kubeconfig_free(kc);
	free(cause);
	cause = NULL;

	/* The same text straight into the YAML reader. */
	f = xcalloc(1, sizeof *f);
	f->path = xstrdup("fuzz");
	rv = kcfg_parse(f, (const char *)data, size, &cause);
	FUZZ_CHECK((rv == 0) == (cause == NULL));
	kcfg_file_free(f);
	free(cause);

	s = fuzz_str(data, size);
	if ((dec = kubeconfig_base64_decode(s, &len)) != NULL) {
		FUZZ_CHECK(len <= size && dec[len] == '\0');
		free(dec);
	}
	free(s);
	return 0;
}
