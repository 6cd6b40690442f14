/* tests/kubeconfig-fixture.c: the kubeconfig fixtures, a temporary
 * directory to write files in, and a load that checks the contract, for
 * the tests of kubeconfig loading and of exec plugins. */
#include <sys/stat.h>

#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kubeconfig.h"
#include "warroom.h"
#include "kubeconfig-fixture.h"

static char	 fixdir[PATH_MAX];
static char	 tmpdir[PATH_MAX];

/* Strings come from a ring of buffers, so a few can be live at once. */
const char *
pathf(const char *fmt, ...)
{
	static char	 ring[8][PATH_MAX * 2];
	static int	 next;
	char		*p = ring[next++ % 8];
	va_list		 ap;

	va_start(ap, fmt);
	vsnprintf(p, sizeof ring[0], fmt, ap);
	va_end(ap);
	return p;
}

const char *
fx(const char *name)
{
	return pathf("%s/%s", fixdir, name);
}

const char *
tmpf(const char *name)
{
	return pathf("%s/%s", tmpdir, name);
}

/* Write a file in the temporary directory (subdirectories must exist). */
const char *
put(const char *name, const char *text, mode_t mode)
{
	const char	*path = tmpf(name);
	FILE		*f;

	if ((f = fopen(path, "w")) == NULL) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		exit(2);
	}
	fputs(text, f);
	fclose(f);
	chmod(path, mode);
	return path;
}

char *
slurp(const char *path)
{
	char	 buf[65536];
	size_t	 n;
	FILE	*f;

	if ((f = fopen(path, "r")) == NULL)
		return NULL;
	n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	return xstrdup(buf);
}

/* Each test starts with no KUBECONFIG, an empty HOME and not in a cluster. */
void
env_reset(void)
{
	unsetenv("KUBECONFIG");
	setenv("HOME", tmpf("home"), 1);
	unsetenv("KUBERNETES_SERVICE_HOST");
	unsetenv("KUBERNETES_SERVICE_PORT");
	unsetenv("POD_NAMESPACE");
	unsetenv("WARROOM_SA_DIR");
}

/* Load after env_reset(); a broken contract (result and cause) aborts. */
struct kubeconfig *
load_checked(const char *test, const char *path, const char *context,
    const char *ns, char **cause)
{
	struct kubeconfig	*kc;
	int			 rv;

	env_reset();
	*cause = NULL;
	rv = kubeconfig_load(path, context, ns, &kc, cause);
	if ((rv == 0) != (kc != NULL) || (rv == 0) != (*cause == NULL)) {
		printf("FAIL: %s: kubeconfig_load returned %d with kc %p and "
		    "cause %s\n", test, rv, (void *)kc,
		    *cause != NULL ? *cause : "(null)");
		abort();
	}
	return kc;
}

/* A one-cluster kubeconfig with the given cluster and user bodies. */
const char *
put_config(const char *name, const char *server, const char *cluster,
    const char *user)
{
	char		*text;
	const char	*path;

	xasprintf(&text,
	    "apiVersion: v1\n"
	    "kind: Config\n"
	    "current-context: c\n"
	    "clusters:\n"
	    "- name: cl\n"
	    "  cluster:\n"
	    "    server: %s\n"
	    "%s"
	    "users:\n"
	    "- name: u\n"
	    "  user:\n"
	    "%s"
	    "contexts:\n"
	    "- name: c\n"
	    "  context:\n"
	    "    cluster: cl\n"
	    "    user: u\n", server, cluster, user);
	path = put(name, text, 0600);
	free(text);
	return path;
}

static void
find_fixtures(const char *argv0)
{
	const char	*src = getenv("TEST_SRCDIR");
	char		 buf[PATH_MAX * 2], *slash;

	if (src != NULL && *src != '\0') {
		snprintf(buf, sizeof buf, "%s/tests/fixtures/kubeconfig", src);
		if (access(buf, F_OK) != 0) {
			snprintf(buf, sizeof buf, "%s/fixtures/kubeconfig",
			    src);
		}
	} else {
		snprintf(buf, sizeof buf, "%s", __FILE__);
		if ((slash = strrchr(buf, '/')) != NULL)
			snprintf(slash, sizeof buf - (slash - buf),
			    "/fixtures/kubeconfig");
		else
			snprintf(buf, sizeof buf, "fixtures/kubeconfig");
	}
	if (realpath(buf, fixdir) == NULL) {
		fprintf(stderr, "%s: fixtures %s: %s (set TEST_SRCDIR)\n",
		    argv0, buf, strerror(errno));
		exit(2);
	}
}

static int
rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

void
fixture_setup(const char *argv0, const char *name)
{
	const char	*t;

	find_fixtures(argv0);
	if ((t = getenv("TMPDIR")) == NULL || *t == '\0')
		t = "/tmp";
	snprintf(tmpdir, sizeof tmpdir, "%s/%s.XXXXXX", t, name);
	if (mkdtemp(tmpdir) == NULL) {
		perror("mkdtemp");
		exit(2);
	}
	mkdir(tmpf("home"), 0700);
	mkdir(tmpf("home/.kube"), 0700);
	/* Relative exec commands resolve against the kubeconfig's dir. */
	if (chdir("/") != 0)
		exit(2);
}

void
fixture_cleanup(void)
{
	if (nftw(tmpdir, rm_one, 16, FTW_DEPTH|FTW_PHYS) != 0)
		fprintf(stderr, "could not remove %s\n", tmpdir);
}
