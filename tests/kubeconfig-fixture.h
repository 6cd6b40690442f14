/* tests/kubeconfig-fixture.h: the fixture kubeconfigs, files written to a
 * temporary directory and the checked load, shared by test-kubeconfig.c
 * and test-kubeconfig-exec.c. Paths returned are in static storage. */
#ifndef WARROOM_TEST_KUBECONFIG_FIXTURE_H
#define WARROOM_TEST_KUBECONFIG_FIXTURE_H

#include <sys/types.h>

#include <stdio.h>
#include <string.h>

#include "kubeconfig.h"
#include "warroom.h"

#define DEV_CA \
    "-----BEGIN CERTIFICATE-----\nFAKE-DEV-CA\n-----END CERTIFICATE-----\n"
/* base64 of DEV_CA */
#define DEV_CA_B64 \
    "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCkZBS0UtREVWLUNBCi0tLS0tRU5E" \
    "IENFUlRJRklDQVRFLS0tLS0K"
#define EXEC_V1 "client.authentication.k8s.io/v1"
#define EXEC_V1BETA1 "client.authentication.k8s.io/v1beta1"

#define ASSERT_HAS(s, sub) do {						\
	const char *_s = (s), *_sub = (sub);				\
	if (_s == NULL || strstr(_s, _sub) == NULL) {			\
		printf("FAIL: %s: %s:%d: \"%s\" lacks \"%s\"\n",	\
		    test_name, __FILE__, __LINE__, _s ? _s : "(null)",	\
		    _sub);						\
		test_failed_here = 1;					\
		return;							\
	}								\
} while (0)

#define ASSERT_LACKS(s, sub) do {					\
	const char *_s = (s), *_sub = (sub);				\
	if (_s != NULL && strstr(_s, _sub) != NULL) {			\
		printf("FAIL: %s: %s:%d: \"%s\" contains \"%s\"\n",	\
		    test_name, __FILE__, __LINE__, _s, _sub);		\
		test_failed_here = 1;					\
		return;							\
	}								\
} while (0)

/* Find the fixtures (tests/fixtures/kubeconfig, through $TEST_SRCDIR or
 * beside this file) and make the temporary directory, $TMPDIR/NAME.XXXXXX,
 * with an empty home/.kube; then chdir("/"). Exits 2 on failure. */
void		 fixture_setup(const char *argv0, const char *name);
/* Remove the temporary directory and everything in it. */
void		 fixture_cleanup(void);

/* A formatted path from a ring of eight buffers, so a few can be live at
 * once; fx() is in the fixture directory, tmpf() in the temporary one. */
const char	*pathf(const char *, ...) WARROOM_PRINTF(1, 2);
const char	*fx(const char *name);
const char	*tmpf(const char *name);
/* Write a file in the temporary directory (subdirectories must exist);
 * its path. */
const char	*put(const char *name, const char *text, mode_t mode);
/* A file's text (at most 64 KiB, new: the caller frees it), or NULL. */
char		*slurp(const char *path);
/* Each test starts with no KUBECONFIG, an empty HOME and not in a
 * cluster. */
void		 env_reset(void);
/* kubeconfig_load after env_reset(); a broken contract (result and cause)
 * prints a FAIL line for the test and aborts. The result is the caller's. */
struct kubeconfig *load_checked(const char *test, const char *path,
		    const char *context, const char *ns, char **cause);
#define load(path, context, ns, cause) \
	load_checked(test_name, (path), (context), (ns), (cause))
/* A one-cluster kubeconfig with the given cluster and user bodies. */
const char	*put_config(const char *name, const char *server,
		    const char *cluster, const char *user);

#endif
