/* test-kubeconfig.c: kubeconfig loading, merging, credentials, exec plugins
 * and in-cluster config, against fixture files and files written to a
 * temporary directory. */
#include <sys/stat.h>
#include <sys/wait.h>

#include <dirent.h>

#include <errno.h>
#include <ftw.h>
#include <signal.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "kubeconfig.h"
#include "warroom.h"
#include "test.h"

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

static char	 fixdir[PATH_MAX];
static char	 tmpdir[PATH_MAX];

static const char *pathf(const char *, ...) WARROOM_PRINTF(1, 2);

/* Strings come from a ring of buffers, so a few can be live at once. */
static const char *
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

static const char *
fx(const char *name)
{
	return pathf("%s/%s", fixdir, name);
}

static const char *
tmpf(const char *name)
{
	return pathf("%s/%s", tmpdir, name);
}

/* Write a file in the temporary directory (subdirectories must exist). */
static const char *
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

static char *
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

/* Open descriptors, to show that running a plugin leaks none. */
static int
fd_count(void)
{
	struct dirent	*de;
	DIR		*d;
	int		 n = 0;

	if ((d = opendir("/proc/self/fd")) == NULL)
		return -1;
	while ((de = readdir(d)) != NULL)
		n++;
	closedir(d);
	return n;
}

/* Running, not gone or a zombie (an orphan may wait for a lazy init). */
static int
alive(int pid)
{
	char	 path[64], *stat, *paren;
	int	 running;

	snprintf(path, sizeof path, "/proc/%d/stat", pid);
	if ((stat = slurp(path)) == NULL)
		return kill(pid, 0) == 0;
	paren = strrchr(stat, ')');
	running = paren != NULL && paren[1] == ' ' && paren[2] != 'Z';
	free(stat);
	return running;
}

/* Each test starts with no KUBECONFIG, an empty HOME and not in a cluster. */
static void
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
static struct kubeconfig *
load(const char *path, const char *context, const char *ns, char **cause)
{
	struct kubeconfig	*kc;
	int			 rv;

	env_reset();
	*cause = NULL;
	rv = kubeconfig_load(path, context, ns, &kc, cause);
	if ((rv == 0) != (kc != NULL) || (rv == 0) != (*cause == NULL)) {
		printf("FAIL: %s: kubeconfig_load returned %d with kc %p and "
		    "cause %s\n", test_name, rv, (void *)kc,
		    *cause != NULL ? *cause : "(null)");
		abort();
	}
	return kc;
}

/* A one-cluster kubeconfig with the given cluster and user bodies. */
static const char *
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

/* A kubeconfig whose user runs tmpdir/script with the given apiVersion. */
static const char *
put_exec_config(const char *name, const char *script, const char *api,
    const char *extra)
{
	char		*user;
	const char	*path;

	xasprintf(&user,
	    "      exec:\n"
	    "        apiVersion: %s\n"
	    "        command: %s\n"
	    "        interactiveMode: Never\n"
	    "%s", api, script, extra);
	path = put_config(name, "https://exec.example:6443",
	    "    certificate-authority-data: " DEV_CA_B64 "\n",
	    user);
	free(user);
	return path;
}

/* base64 */

TEST(base64)
{
	char	*s;
	size_t	 len;

	s = kubeconfig_base64_decode("aGVsbG8=", &len);
	ASSERT_STR(s, "hello");
	ASSERT_INT(len, 5);
	free(s);
	s = kubeconfig_base64_decode("aGVs\n bG8", &len);
	ASSERT_STR(s, "hello");
	free(s);
	s = kubeconfig_base64_decode("AAEC", &len);
	ASSERT(s != NULL && len == 3 && s[0] == 0 && s[1] == 1 && s[2] == 2);
	free(s);
	s = kubeconfig_base64_decode("", &len);
	ASSERT(s != NULL && len == 0 && *s == '\0');
	free(s);
	ASSERT(kubeconfig_base64_decode("aGV$bG8=", &len) == NULL);
	ASSERT(kubeconfig_base64_decode("aGVsbG8=x", &len) == NULL);
	ASSERT(kubeconfig_base64_decode("QQ==QUJD", &len) == NULL);
	ASSERT(kubeconfig_base64_decode("a", &len) == NULL);
	ASSERT(kubeconfig_base64_decode("aGVsbG8===", &len) == NULL);
	ASSERT(kubeconfig_base64_decode("aGVsbA=", &len) == NULL);
	ASSERT(kubeconfig_base64_decode("aGVs-G8_", &len) == NULL);
}

/* Single file */

TEST(single_file)
{
	struct kubeconfig	*kc;
	char			*cause;

	kc = load(fx("single.yaml"), NULL, NULL, &cause);
	ASSERT(kc != NULL);
	ASSERT_STR(kc->context, "dev");
	ASSERT_STR(kc->current_context, "dev");
	ASSERT_STR(kc->cluster, "dev-cluster");
	ASSERT_STR(kc->user, "dev-user");
	ASSERT_STR(kc->namespace, "team-a");
	ASSERT_STR(kc->server, "https://dev.example.com:6443");
	ASSERT_STR(kc->ca_pem, DEV_CA);
	ASSERT_INT(kc->ca_pem_len, strlen(DEV_CA));
	ASSERT(kc->ca_file == NULL);
	ASSERT_STR(kc->tls_server_name, "api.dev.internal");
	ASSERT_STR(kc->proxy_url, "socks5://proxy.example.com:1080");
	ASSERT_STR(kc->token, "dev-token-123");
	ASSERT(kc->token_file == NULL && kc->exec == NULL);
	ASSERT(kc->insecure == 0);
	ASSERT_STR(kc->source, fx("single.yaml"));
	ASSERT_STR(kc->contexts[0], "dev");
	ASSERT_STR(kc->contexts[1], "prod");
	ASSERT(kc->contexts[2] == NULL);
	kubeconfig_free(kc);
}

TEST(context_override_and_relative_files)
{
	struct kubeconfig	*kc;
	char			*cause;

	kc = load(fx("single.yaml"), "prod", NULL, &cause);
	ASSERT(kc != NULL);
	ASSERT_STR(kc->context, "prod");
	ASSERT_STR(kc->current_context, "dev");
	ASSERT_STR(kc->server, "https://prod.example.com");
	ASSERT_STR(kc->ca_file, fx("certs/ca.crt"));
	ASSERT(kc->ca_pem == NULL);
	ASSERT_STR(kc->cert_file, fx("certs/client.crt"));
	ASSERT_STR(kc->key_file, fx("certs/client.key"));
	ASSERT(kc->token == NULL);
	ASSERT_STR(kc->namespace, "default");
	kubeconfig_free(kc);
}

TEST(unknown_context)
{
	struct kubeconfig	*kc;
	char			*cause;

	kc = load(fx("single.yaml"), "staging", NULL, &cause);
	ASSERT(kc == NULL);
	ASSERT_HAS(cause, "context \"staging\" not found in ");
	ASSERT_HAS(cause, fx("single.yaml"));
	ASSERT_HAS(cause, "contexts: dev, prod");
	free(cause);
}

TEST(namespace_precedence)
{
	struct kubeconfig	*kc;
	char			*cause;

	kc = load(fx("single.yaml"), NULL, "override", &cause);
	ASSERT(kc != NULL);
	ASSERT_STR(kc->namespace, "override");
	kubeconfig_free(kc);
	kc = load(fx("single.yaml"), NULL, "", &cause);
	ASSERT(kc != NULL);
	ASSERT_STR(kc->namespace, "team-a");
	kubeconfig_free(kc);
	kc = load(fx("single.yaml"), "prod", NULL, &cause);
	ASSERT(kc != NULL);
	ASSERT_STR(kc->namespace, "default");
	kubeconfig_free(kc);
}

TEST(missing_kubeconfig_flag)
{
	struct kubeconfig	*kc;
	char			*cause;

	kc = load(tmpf("does-not-exist.yaml"), NULL, NULL, &cause);
	ASSERT(kc == NULL);
	ASSERT_HAS(cause, tmpf("does-not-exist.yaml"));
	ASSERT_HAS(cause, "No such file or directory");
	free(cause);
}

TEST(kubeconfig_flag_ignores_env)
{
	struct kubeconfig	*kc;
	char			*cause;

	env_reset();
	setenv("KUBECONFIG", fx("merge/b/config"), 1);
	cause = NULL;
	ASSERT(kubeconfig_load(fx("single.yaml"), NULL, NULL, &kc,
	    &cause) == 0);
	ASSERT(cause == NULL);
	ASSERT_STR(kc->context, "dev");
	ASSERT(kc->contexts[2] == NULL);
	kubeconfig_free(kc);
}

/* KUBECONFIG merging */

TEST(merge_first_wins)
{
	struct kubeconfig	*kc;
	char			*env, *cause = NULL;

	env_reset();
	/* Duplicates, empty entries and a missing file are all skipped. */
	xasprintf(&env, "%s::%s:%s:%s:%s", fx("merge/a/config"),
	    tmpf("missing"), fx("merge/b/config"), fx("merge/a/config"),
	    fx("merge/c/config"));
	setenv("KUBECONFIG", env, 1);
	free(env);
	/* Each file is named once, in KUBECONFIG order. */
	ASSERT(kubeconfig_load(NULL, "nope", NULL, &kc, &cause) == -1);
	ASSERT_STR(cause, pathf("context \"nope\" not found in %s, %s, %s "
	    "(contexts: ctx-a, ctx-b, ctx-c)", fx("merge/a/config"),
	    fx("merge/b/config"), fx("merge/c/config")));
	free(cause);
	cause = NULL;
	ASSERT(kubeconfig_load(NULL, NULL, NULL, &kc, &cause) == 0);
	ASSERT(cause == NULL);
	/* a has an empty current-context, b's comes before c's. */
	ASSERT_STR(kc->current_context, "ctx-b");
	ASSERT_STR(kc->context, "ctx-b");
	ASSERT_STR(kc->source, fx("merge/b/config"));
	ASSERT_STR(kc->server, "https://only-b.example.com:443");
	ASSERT_STR(kc->ca_file, fx("merge/b/ca.crt"));
	ASSERT_STR(kc->cert_file, fx("merge/b/../../certs/client.crt"));
	ASSERT_STR(kc->namespace, "ns-b");
	ASSERT_STR(kc->contexts[0], "ctx-a");
	ASSERT_STR(kc->contexts[1], "ctx-b");
	ASSERT_STR(kc->contexts[2], "ctx-c");
	ASSERT(kc->contexts[3] == NULL);
	kubeconfig_free(kc);

	/* ctx-a from a wins entirely over b's ctx-a (no namespace). */
	ASSERT(kubeconfig_load(NULL, "ctx-a", NULL, &kc, &cause) == 0);
	ASSERT_STR(kc->source, fx("merge/a/config"));
	ASSERT_STR(kc->cluster, "shared");
	ASSERT_STR(kc->namespace, "default");
	/* shared from a: no insecure flag from b; shared-user from a. */
	ASSERT_STR(kc->server, "https://a.example.com:6443");
	ASSERT(kc->insecure == 0);
	ASSERT_STR(kc->ca_file, fx("merge/a/ca.crt"));
	ASSERT_STR(kc->token_file, fx("merge/a/token"));
	ASSERT_STR(kc->token, "token-from-a-file");
	kubeconfig_free(kc);
}

TEST(merge_paths_per_defining_file)
{
	struct kubeconfig	*kc;
	char			*env, *cause = NULL;

	env_reset();
	xasprintf(&env, "%s:%s", fx("merge/c/config"), fx("merge/a/config"));
	setenv("KUBECONFIG", env, 1);
	free(env);
	ASSERT(kubeconfig_load(NULL, NULL, NULL, &kc, &cause) == 0);
	/* The context is c's, the cluster and user a's: paths are a's. */
	ASSERT_STR(kc->context, "ctx-c");
	ASSERT_STR(kc->source, fx("merge/c/config"));
	ASSERT_STR(kc->namespace, "ns-c");
	ASSERT_STR(kc->ca_file, fx("merge/a/ca.crt"));
	ASSERT_STR(kc->token_file, fx("merge/a/token"));
	ASSERT_STR(kc->token, "token-from-a-file");
	kubeconfig_free(kc);
}

TEST(merge_none_exist_falls_back_to_home)
{
	struct kubeconfig	*kc;
	char			*cause = NULL, *text;

	env_reset();
	setenv("KUBECONFIG", tmpf("nope1"), 1);
	text = slurp(fx("single.yaml"));
	ASSERT(text != NULL);
	/* The dev context needs none of single.yaml's relative files. */
	put("home/.kube/config", text, 0600);
	free(text);
	ASSERT(kubeconfig_load(NULL, NULL, NULL, &kc, &cause) == 0);
	ASSERT_STR(kc->source, tmpf("home/.kube/config"));
	ASSERT_STR(kc->context, "dev");
	kubeconfig_free(kc);
	unlink(tmpf("home/.kube/config"));

	/* Nothing at all and not in a cluster: not configured. */
	ASSERT(kubeconfig_load(NULL, NULL, NULL, &kc, &cause) == 1);
	ASSERT(kc == NULL);
	ASSERT_HAS(cause, "no kubeconfig found");
	ASSERT_HAS(cause, tmpf("nope1"));
	ASSERT_HAS(cause, tmpf("home/.kube/config"));
	ASSERT_HAS(cause, "KUBERNETES_SERVICE_HOST");
	free(cause);
}

TEST(no_current_context)
{
	struct kubeconfig	*kc;
	const char		*path;
	char			*cause;

	path = put("nocurrent.yaml",
	    "apiVersion: v1\nkind: Config\nclusters:\n"
	    "- name: x\n  cluster:\n    server: https://x\n"
	    "contexts:\n"
	    "- name: b\n  context: {cluster: x}\n"
	    "- name: a\n  context: {cluster: x}\n", 0600);
	kc = load(path, NULL, NULL, &cause);
	ASSERT(kc == NULL);
	ASSERT_STR(cause, pathf("no current context is set in %s "
	    "(use --context; contexts: a, b)", path));
	free(cause);
	kc = load(path, "b", NULL, &cause);
	ASSERT(kc != NULL);
	ASSERT_STR(kc->context, "b");
	ASSERT_STR(kc->current_context, "");
	ASSERT_STR(kc->user, "");
	kubeconfig_free(kc);
}

/* Cluster fields */

TEST(ca_data_invalid_base64)
{
	struct kubeconfig	*kc;
	const char		*path;
	char			*cause;

	path = put_config("badca.yaml", "https://x",
	    "    certificate-authority-data: not*base64\n", "    token: t\n");
	kc = load(path, NULL, NULL, &cause);
	ASSERT(kc == NULL);
	ASSERT_STR(cause, pathf("%s: cluster \"cl\": certificate-authority-"
	    "data is not valid base64", path));
	free(cause);
}

TEST(insecure_with_ca)
{
	struct kubeconfig	*kc;
	const char		*path;
	char			*cause;

	path = put_config("insecure-ca.yaml", "https://x",
	    "    insecure-skip-tls-verify: true\n"
	    "    certificate-authority-data: QUJD\n", "    token: t\n");
	kc = load(path, NULL, NULL, &cause);
	ASSERT(kc == NULL);
	ASSERT_HAS(cause, path);
	ASSERT_HAS(cause, "specifying a root certificates file with the "
	    "insecure flag is not allowed");
	free(cause);
}

TEST(insecure_alone)
{
	struct kubeconfig	*kc;
	const char		*path;
	char			*cause;

	path = put_config("insecure.yaml", "https://x:6443",
	    "    insecure-skip-tls-verify: true\n", "    token: t\n");
	kc = load(path, NULL, NULL, &cause);
	ASSERT(kc != NULL);
	ASSERT(kc->insecure == 1);
	ASSERT(kc->ca_file == NULL && kc->ca_pem == NULL);
	kubeconfig_free(kc);

	path = put_config("insecure-bad.yaml", "https://x:6443",
	    "    insecure-skip-tls-verify: maybe\n", "    token: t\n");
	kc = load(path, NULL, NULL, &cause);
	ASSERT(kc == NULL);
	ASSERT_HAS(cause, "line 8: cluster \"cl\": insecure-skip-tls-verify "
	    "must be true or false");
	free(cause);
}

TEST(no_server)
{
	struct kubeconfig	*kc;
	const char		*path;
	char			*cause;

	path = put_config("noserver.yaml", "\"\"", "", "    token: t\n");
	kc = load(path, NULL, NULL, &cause);
	ASSERT(kc == NULL);
	ASSERT_STR(cause, pathf("%s: cluster \"cl\" has no server", path));
	free(cause);
}

TEST(missing_ca_file)
{
	struct kubeconfig	*kc;
	const char		*path;
	char			*cause;

	path = put_config("missing-ca.yaml", "https://x",
	    "    certificate-authority: nothere/ca.crt\n", "");
	kc = load(path, NULL, NULL, &cause);
	ASSERT(kc == NULL);
	ASSERT_HAS(cause, tmpf("nothere/ca.crt"));
	ASSERT_HAS(cause, "No such file or directory");
	free(cause);
}

/* User fields */

TEST(client_cert_data)
{
	struct kubeconfig	*kc;
	const char		*path;
	char			*cause;

	path = put_config("certdata.yaml", "https://x", "",
	    "    client-certificate-data: Q0VSVA==\n"
	    "    client-key-data: S0VZ\n");
	kc = load(path, NULL, NULL, &cause);
	ASSERT(kc != NULL);
	ASSERT_STR(kc->cert_pem, "CERT");
	ASSERT_INT(kc->cert_pem_len, 4);
	ASSERT_STR(kc->key_pem, "KEY");
	ASSERT_INT(kc->key_pem_len, 3);
	ASSERT(kc->cert_file == NULL && kc->key_file == NULL);
	kubeconfig_free(kc);

	path = put_config("certonly.yaml", "https://x", "",
	    "    client-certificate-data: Q0VSVA==\n");
	kc = load(path, NULL, NULL, &cause);
	ASSERT(kc == NULL);
	ASSERT_STR(cause, pathf("%s: user \"u\" has a client certificate but "
	    "no client-key or client-key-data", path));
	free(cause);

	path = put_config("keyonly.yaml", "https://x", "",
	    "    client-key: key.pem\n");
	kc = load(path, NULL, NULL, &cause);
	ASSERT(kc == NULL);
	ASSERT_HAS(cause, "has a client key but no client-certificate");
	free(cause);

	path = put_config("badkey.yaml", "https://x", "",
	    "    client-certificate-data: Q0VSVA==\n"
	    "    client-key-data: \"%%%\"\n");
	kc = load(path, NULL, NULL, &cause);
	ASSERT(kc == NULL);
	ASSERT_STR(cause, pathf("%s: user \"u\": client-key-data is not "
	    "valid base64", path));
	free(cause);
}

TEST(token_and_token_file)
{
	struct kubeconfig	*kc;
	const char		*path;
	char			*cause;

	put("tok", "\n  file-token-1 \n", 0600);
	path = put_config("tokfile.yaml", "https://x", "",
	    "    tokenFile: tok\n");
	kc = load(path, NULL, NULL, &cause);
	ASSERT(kc != NULL);
	ASSERT_STR(kc->token_file, tmpf("tok"));
	ASSERT_STR(kc->token, "file-token-1");
	/* Rotation: refresh re-reads the file. */
	put("tok", "file-token-2\n", 0600);
	ASSERT(kubeconfig_refresh(kc, 0, 5, &cause) == 0);
	ASSERT_STR(kc->token, "file-token-2");
	/* A token never appears in an error. */
	put("tok", "bad\001token-secret\n", 0600);
	ASSERT(kubeconfig_refresh(kc, 0, 5, &cause) == -1);
	ASSERT_HAS(cause, "control characters");
	ASSERT_LACKS(cause, "token-secret");
	free(cause);
	unlink(tmpf("tok"));
	ASSERT(kubeconfig_refresh(kc, 0, 5, &cause) == -1);
	ASSERT_STR(cause, pathf("tokenFile %s: No such file or directory",
	    tmpf("tok")));
	free(cause);
	kubeconfig_free(kc);

	/* An inline token wins over tokenFile. */
	path = put_config("tokboth.yaml", "https://x", "",
	    "    token: inline\n    tokenFile: tok\n");
	kc = load(path, NULL, NULL, &cause);
	ASSERT(kc != NULL);
	ASSERT_STR(kc->token, "inline");
	ASSERT(kc->token_file == NULL);
	ASSERT(kubeconfig_refresh(kc, 0, 5, &cause) == 0);
	ASSERT_STR(kc->token, "inline");
	kubeconfig_free(kc);

	path = put_config("basic.yaml", "https://x", "",
	    "    username: admin\n    password: hunter2\n");
	kc = load(path, NULL, NULL, &cause);
	ASSERT(kc != NULL);
	ASSERT_STR(kc->username, "admin");
	ASSERT_STR(kc->password, "hunter2");
	kubeconfig_free(kc);
}

TEST(http_server_gets_no_credentials)
{
	struct kubeconfig	*kc;
	const char		*path;
	char			*cause;

	path = put_config("http.yaml", "http://127.0.0.1:8080", "",
	    "    token: should-not-be-sent\n"
	    "    exec:\n"
	    "      apiVersion: " EXEC_V1 "\n"
	    "      command: whatever\n");
	kc = load(path, NULL, NULL, &cause);
	ASSERT(kc != NULL);
	ASSERT_STR(kc->server, "http://127.0.0.1:8080");
	ASSERT(kc->token == NULL && kc->exec == NULL);
	kubeconfig_free(kc);

	/* Still parsed: errors in the user are reported. */
	path = put_config("http-bad.yaml", "http://127.0.0.1:8080", "",
	    "    client-key-data: S0VZ\n");
	kc = load(path, NULL, NULL, &cause);
	ASSERT(kc == NULL);
	ASSERT_HAS(cause, "has a client key but no client-certificate");
	free(cause);
}

TEST(auth_provider)
{
	struct kubeconfig	*kc;
	char			*cause;

	kc = load(fx("auth-provider.yaml"), NULL, NULL, &cause);
	ASSERT(kc == NULL);
	ASSERT_HAS(cause, fx("auth-provider.yaml"));
	ASSERT_HAS(cause, "user \"gke-user\": auth-provider \"gcp\" is not "
	    "supported; use an exec plugin");
	free(cause);
}

/* File-level errors */

TEST(yaml_syntax_error)
{
	struct kubeconfig	*kc;
	char			*cause;

	kc = load(fx("syntax-error.yaml"), NULL, NULL, &cause);
	ASSERT(kc == NULL);
	ASSERT_HAS(cause, pathf("%s: line 7: ", fx("syntax-error.yaml")));
	free(cause);
}

TEST(bad_yaml_types)
{
	struct kubeconfig	*kc;
	const char		*path;
	char			*cause;

	path = put("clustermap.yaml", "apiVersion: v1\nkind: Config\n"
	    "clusters:\n  dev:\n    server: https://x\n", 0600);
	kc = load(path, NULL, NULL, &cause);
	ASSERT(kc == NULL);
	ASSERT_STR(cause, pathf("%s: line 4: clusters must be a list "
	    "(- name: ...), not a mapping", path));
	free(cause);

	path = put("pod.yaml", "apiVersion: v1\nkind: Pod\n", 0600);
	kc = load(path, NULL, NULL, &cause);
	ASSERT(kc == NULL);
	ASSERT_HAS(cause, "not a kubeconfig: kind is \"Pod\"");
	free(cause);

	path = put("list.yaml", "- a\n- b\n", 0600);
	kc = load(path, NULL, NULL, &cause);
	ASSERT(kc == NULL);
	ASSERT_HAS(cause, "line 1: not a kubeconfig");
	free(cause);

	path = put("dup.yaml", "clusters:\n- name: a\n  cluster: {server: "
	    "https://a}\n- name: a\n  cluster: {server: https://b}\n", 0600);
	kc = load(path, NULL, NULL, &cause);
	ASSERT(kc == NULL);
	ASSERT_HAS(cause, "line 4: cluster \"a\" is defined twice");
	free(cause);

	path = put("servermap.yaml", "current-context: c\nclusters:\n"
	    "- name: cl\n  cluster:\n    server: {a: b}\n"
	    "contexts:\n- name: c\n  context: {cluster: cl}\n", 0600);
	kc = load(path, NULL, NULL, &cause);
	ASSERT(kc == NULL);
	ASSERT_HAS(cause, "line 5: cluster \"cl\": server must be a string, "
	    "not a mapping");
	free(cause);

	path = put("unknown-cluster.yaml", "current-context: c\n"
	    "contexts:\n- name: c\n  context: {cluster: gone}\n", 0600);
	kc = load(path, NULL, NULL, &cause);
	ASSERT(kc == NULL);
	ASSERT_HAS(cause, "context \"c\" refers to cluster \"gone\", which is "
	    "not defined");
	free(cause);

	/* An empty file is an empty config. */
	path = put("empty.yaml", "", 0600);
	kc = load(path, NULL, NULL, &cause);
	ASSERT(kc == NULL);
	ASSERT_HAS(cause, "no current context is set in");
	ASSERT_HAS(cause, "defines no contexts");
	free(cause);
}

/* Exec plugins */

TEST(exec_v1)
{
	struct kubeconfig	*kc;
	const char		*path;
	char			*cause;
	int			 fds, rv;

	/* The environment the plugin got, duplicates and all (Linux). */
	put("plugin-v1.sh", "#!/bin/sh\n"
	    "echo run >> \"$(dirname \"$0\")/plugin-v1.count\"\n"
	    "[ -r /proc/$$/environ ] && tr '\\0' '\\n' < /proc/$$/environ | "
	    "grep -E '^(PLUGIN_VAR|KUBERNETES_EXEC_INFO)=' | cut -c1-22 "
	    "> \"$(dirname \"$0\")/plugin-v1.env\"\n"
	    "printf '{\"apiVersion\":\"" EXEC_V1 "\",\"kind\":"
	    "\"ExecCredential\",\"status\":{\"token\":\"tok-%s-%s\","
	    "\"expirationTimestamp\":\"2099-01-02T03:04:05Z\"}}\\n' \"$1\" "
	    "\"$PLUGIN_VAR\"\n", 0700);
	unlink(tmpf("plugin-v1.count"));
	path = put_exec_config("exec-v1.yaml", "./plugin-v1.sh", EXEC_V1,
	    "        args: [arg1]\n"
	    "        env:\n"
	    "        - {name: PLUGIN_VAR, value: first}\n"
	    "        - {name: PLUGIN_VAR, value: envval}\n");
	kc = load(path, NULL, NULL, &cause);
	ASSERT(kc != NULL);
	ASSERT(kc->exec != NULL);
	ASSERT_STR(kc->exec->command, tmpf("plugin-v1.sh"));
	ASSERT_STR(kc->exec->api_version, EXEC_V1);
	ASSERT_STR(kc->exec->args[0], "arg1");
	ASSERT(kc->exec->args[1] == NULL);
	ASSERT_STR(kc->exec->env[1], "PLUGIN_VAR=envval");
	ASSERT(kc->token == NULL);
	/* The parent's values are replaced, not duplicated. */
	setenv("PLUGIN_VAR", "parent", 1);
	setenv("KUBERNETES_EXEC_INFO", "parent", 1);
	fds = fd_count();
	rv = kubeconfig_refresh(kc, 0, 5, &cause);
	unsetenv("PLUGIN_VAR");
	unsetenv("KUBERNETES_EXEC_INFO");
	ASSERT(rv == 0);
	ASSERT_INT(fd_count(), fds);
	ASSERT_STR(kc->token, "tok-arg1-envval");
	if (access("/proc/self/environ", R_OK) == 0) {
		ASSERT_STR(cause = slurp(tmpf("plugin-v1.env")),
		    "PLUGIN_VAR=envval\nKUBERNETES_EXEC_INFO={\n");
		free(cause);
	}
	ASSERT(kc->exec_expiry == 4071006245.0);
	/* Not expired: not run again unless forced. */
	ASSERT(kubeconfig_refresh(kc, 0, 5, &cause) == 0);
	ASSERT_STR(cause = slurp(tmpf("plugin-v1.count")), "run\n");
	free(cause);
	ASSERT(kubeconfig_refresh(kc, 1, 5, &cause) == 0);
	ASSERT_STR(cause = slurp(tmpf("plugin-v1.count")), "run\nrun\n");
	free(cause);
	kubeconfig_free(kc);
}

TEST(exec_v1beta1_cert_and_expiry)
{
	struct kubeconfig	*kc;
	const char		*path;
	char			*cause;

	put("plugin-b1.sh", "#!/bin/sh\n"
	    "echo run >> \"$(dirname \"$0\")/plugin-b1.count\"\ncat <<'EOT'\n"
	    "{\"apiVersion\":\"" EXEC_V1BETA1 "\",\"kind\":\"ExecCredential\","
	    "\"status\":{\"clientCertificateData\":\"-----BEGIN CERT-----\\n\","
	    "\"clientKeyData\":\"-----BEGIN KEY-----\\n\","
	    "\"expirationTimestamp\":\"2024-05-01T12:00:00.5+02:00\"}}\n"
	    "EOT\n", 0700);
	path = put_exec_config("exec-b1.yaml", tmpf("plugin-b1.sh"),
	    EXEC_V1BETA1, "");
	kc = load(path, NULL, NULL, &cause);
	ASSERT(kc != NULL);
	ASSERT(kubeconfig_refresh(kc, 0, 5, &cause) == 0);
	ASSERT(kc->token == NULL);
	ASSERT_STR(kc->cert_pem, "-----BEGIN CERT-----\n");
	ASSERT_STR(kc->key_pem, "-----BEGIN KEY-----\n");
	ASSERT(kc->exec_expiry == 1714557600.5);
	/* Expired already: every refresh runs the plugin again. */
	ASSERT(kubeconfig_refresh(kc, 0, 5, &cause) == 0);
	ASSERT_STR(cause = slurp(tmpf("plugin-b1.count")), "run\nrun\n");
	free(cause);
	kubeconfig_free(kc);
}

TEST(exec_wrong_api_version)
{
	struct kubeconfig	*kc;
	const char		*path;
	char			*cause;

	put("plugin-wrong.sh", "#!/bin/sh\n"
	    "echo '{\"apiVersion\":\"" EXEC_V1BETA1 "\",\"kind\":"
	    "\"ExecCredential\",\"status\":{\"token\":\"secret-wrong\"}}'\n",
	    0700);
	path = put_exec_config("exec-wrong.yaml", tmpf("plugin-wrong.sh"),
	    EXEC_V1, "");
	kc = load(path, NULL, NULL, &cause);
	ASSERT(kc != NULL);
	ASSERT(kubeconfig_refresh(kc, 0, 5, &cause) == -1);
	ASSERT_HAS(cause, "is configured to use API version " EXEC_V1
	    ", plugin returned version " EXEC_V1BETA1);
	ASSERT_LACKS(cause, "secret-wrong");
	ASSERT(kc->token == NULL);
	free(cause);
	kubeconfig_free(kc);
}

TEST(exec_failure_and_garbage)
{
	struct kubeconfig	*kc;
	const char		*path;
	char			*cause;

	put("plugin-fail.sh", "#!/bin/sh\n"
	    "echo 'error: no credentials for'\n"
	    "echo '  profile prod' >&2\n"
	    "echo 'log in first' >&2\nexit 3\n", 0700);
	path = put_exec_config("exec-fail.yaml", tmpf("plugin-fail.sh"),
	    EXEC_V1, "");
	kc = load(path, NULL, NULL, &cause);
	ASSERT(kc != NULL);
	ASSERT(kubeconfig_refresh(kc, 0, 5, &cause) == -1);
	ASSERT_STR(cause, pathf("exec plugin \"%s\" failed with exit code 3: "
	    "profile prod log in first", tmpf("plugin-fail.sh")));
	free(cause);
	kubeconfig_free(kc);

	/* A raw token instead of JSON: the error must not quote it. */
	put("plugin-raw.sh", "#!/bin/sh\necho sekrit-raw-token-value\n", 0700);
	path = put_exec_config("exec-raw.yaml", tmpf("plugin-raw.sh"),
	    EXEC_V1, "");
	kc = load(path, NULL, NULL, &cause);
	ASSERT(kc != NULL);
	ASSERT(kubeconfig_refresh(kc, 0, 5, &cause) == -1);
	ASSERT_HAS(cause, "printed invalid JSON");
	ASSERT_LACKS(cause, "sekrit");
	free(cause);
	kubeconfig_free(kc);

	/* Output is capped: 1 MiB of stdout, 4 KiB of stderr. */
	put("plugin-big.sh", "#!/bin/sh\nhead -c 2000000 /dev/zero | "
	    "tr '\\0' x\n", 0700);
	path = put_exec_config("exec-big.yaml", tmpf("plugin-big.sh"),
	    EXEC_V1, "");
	kc = load(path, NULL, NULL, &cause);
	ASSERT(kc != NULL);
	ASSERT(kubeconfig_refresh(kc, 0, 5, &cause) == -1);
	ASSERT_STR(cause, pathf("exec plugin \"%s\" printed more than 1 MiB",
	    tmpf("plugin-big.sh")));
	free(cause);
	kubeconfig_free(kc);
	put("plugin-noisy.sh", "#!/bin/sh\nhead -c 100000 /dev/zero | "
	    "tr '\\0' e >&2\nexit 1\n", 0700);
	path = put_exec_config("exec-noisy.yaml", tmpf("plugin-noisy.sh"),
	    EXEC_V1, "");
	kc = load(path, NULL, NULL, &cause);
	ASSERT(kc != NULL);
	ASSERT(kubeconfig_refresh(kc, 0, 5, &cause) == -1);
	ASSERT_HAS(cause, "failed with exit code 1: eeee");
	ASSERT(strlen(cause) <= 4096 + strlen(tmpf("plugin-noisy.sh")) + 64);
	free(cause);
	kubeconfig_free(kc);

	/* Only one half of a client certificate. */
	put("plugin-half.sh", "#!/bin/sh\necho '{\"apiVersion\":\"" EXEC_V1
	    "\",\"kind\":\"ExecCredential\",\"status\":{"
	    "\"clientCertificateData\":\"C\"}}'\n", 0700);
	path = put_exec_config("exec-half.yaml", tmpf("plugin-half.sh"),
	    EXEC_V1, "");
	kc = load(path, NULL, NULL, &cause);
	ASSERT(kc != NULL);
	ASSERT(kubeconfig_refresh(kc, 0, 5, &cause) == -1);
	ASSERT_HAS(cause, "clientKeyData and clientCertificateData must both "
	    "be specified");
	free(cause);
	kubeconfig_free(kc);
}

TEST(exec_not_found)
{
	struct kubeconfig	*kc;
	const char		*path;
	char			*cause;

	path = put_exec_config("exec-nf.yaml", "warroom-no-such-plugin",
	    EXEC_V1, "        installHint: install it with brew install "
	    "no-such-plugin\n");
	kc = load(path, NULL, NULL, &cause);
	ASSERT(kc != NULL);
	ASSERT(kubeconfig_refresh(kc, 0, 5, &cause) == -1);
	ASSERT_STR(cause, "exec plugin \"warroom-no-such-plugin\" was not "
	    "found in PATH. install it with brew install no-such-plugin");
	free(cause);
	kubeconfig_free(kc);

	/* A path that exists but cannot be executed. */
	put("plugin-noexec.sh", "#!/bin/sh\nexit 0\n", 0600);
	path = put_exec_config("exec-noexec.yaml", tmpf("plugin-noexec.sh"),
	    EXEC_V1, "        installHint: reinstall\n");
	kc = load(path, NULL, NULL, &cause);
	ASSERT(kc != NULL);
	ASSERT(kubeconfig_refresh(kc, 0, 5, &cause) == -1);
	ASSERT_HAS(cause, "could not be started: Permission denied. "
	    "reinstall");
	free(cause);
	kubeconfig_free(kc);
}

TEST(exec_timeout)
{
	struct kubeconfig	*kc;
	struct timespec		 t0, t1;
	const char		*path;
	char			*cause, *pidtext;
	double			 took;
	int			 fds, pid, i;

	put("plugin-hang.sh", "#!/bin/sh\necho 'waiting for login' >&2\n"
	    "sleep 30 &\necho $! > \"$(dirname \"$0\")/hang.pid\"\nwait\n",
	    0700);
	path = put_exec_config("exec-hang.yaml", tmpf("plugin-hang.sh"),
	    EXEC_V1, "");
	kc = load(path, NULL, NULL, &cause);
	ASSERT(kc != NULL);
	fds = fd_count();
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ASSERT(kubeconfig_refresh(kc, 0, 1, &cause) == -1);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ASSERT_INT(fd_count(), fds);
	/* The plugin was reaped, and its process group (sleep) killed. */
	ASSERT(waitpid(-1, NULL, WNOHANG) == -1 && errno == ECHILD);
	ASSERT((pidtext = slurp(tmpf("hang.pid"))) != NULL);
	pid = atoi(pidtext);
	free(pidtext);
	ASSERT(pid > 1);
	for (i = 0; i < 100 && alive(pid); i++)
		usleep(10000);
	ASSERT(!alive(pid));
	took = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	ASSERT(took >= 0.9 && took < 3.0);
	ASSERT_STR(cause, pathf("exec plugin \"%s\" did not finish within 1 s: "
	    "waiting for login", tmpf("plugin-hang.sh")));
	free(cause);
	kubeconfig_free(kc);
}

TEST(exec_info)
{
	struct kubeconfig	*kc;
	json_t			*j, *spec, *cl;
	const char		*path;
	char			*cause, *info;

	put("plugin-info.sh", "#!/bin/sh\n"
	    "[ -n \"$KUBERNETES_EXEC_INFO\" ] || exit 9\n"
	    "printf '%s' \"$KUBERNETES_EXEC_INFO\" > "
	    "\"$(dirname \"$0\")/info\"\n"
	    "echo '{\"apiVersion\":\"" EXEC_V1 "\",\"kind\":\"ExecCredential\","
	    "\"status\":{\"token\":\"t\"}}'\n", 0700);
	path = put_exec_config("exec-info.yaml", tmpf("plugin-info.sh"),
	    EXEC_V1, "        provideClusterInfo: true\n");
	kc = load(path, NULL, NULL, &cause);
	ASSERT(kc != NULL);
	ASSERT(kc->exec->provide_cluster_info == 1);
	unlink(tmpf("info"));
	ASSERT(kubeconfig_refresh(kc, 0, 5, &cause) == 0);
	ASSERT(kc->exec_expiry == 0);
	kubeconfig_free(kc);
	info = slurp(tmpf("info"));
	ASSERT(info != NULL);
	j = json_loads(info, 0, NULL);
	free(info);
	ASSERT(j != NULL);
	ASSERT_STR(json_string_value(json_object_get(j, "kind")),
	    "ExecCredential");
	ASSERT_STR(json_string_value(json_object_get(j, "apiVersion")),
	    EXEC_V1);
	spec = json_object_get(j, "spec");
	ASSERT(json_is_false(json_object_get(spec, "interactive")));
	cl = json_object_get(spec, "cluster");
	ASSERT_STR(json_string_value(json_object_get(cl, "server")),
	    "https://exec.example:6443");
	ASSERT_STR(json_string_value(json_object_get(cl,
	    "certificate-authority-data")), DEV_CA_B64);
	json_decref(j);

	/* Without provideClusterInfo there is no cluster. */
	path = put_exec_config("exec-info2.yaml", tmpf("plugin-info.sh"),
	    EXEC_V1, "");
	kc = load(path, NULL, NULL, &cause);
	ASSERT(kc != NULL);
	ASSERT(kubeconfig_refresh(kc, 0, 5, &cause) == 0);
	kubeconfig_free(kc);
	info = slurp(tmpf("info"));
	ASSERT(info != NULL);
	ASSERT_STR(info, "{\"kind\":\"ExecCredential\",\"apiVersion\":\""
	    EXEC_V1 "\",\"spec\":{\"interactive\":false}}");
	free(info);
}

TEST(exec_config_errors)
{
	struct kubeconfig	*kc;
	const char		*path;
	char			*cause;

	path = put_exec_config("exec-alpha.yaml", "x",
	    "client.authentication.k8s.io/v1alpha1", "");
	kc = load(path, NULL, NULL, &cause);
	ASSERT(kc == NULL);
	ASSERT_HAS(cause, "exec: apiVersion \"client.authentication.k8s.io/"
	    "v1alpha1\" is not supported");
	free(cause);

	path = put_config("exec-nocmd.yaml", "https://x", "",
	    "    exec:\n      apiVersion: " EXEC_V1 "\n");
	kc = load(path, NULL, NULL, &cause);
	ASSERT(kc == NULL);
	ASSERT_STR(cause, pathf("%s: user \"u\": exec: command is required",
	    path));
	free(cause);

	path = put_exec_config("exec-args.yaml", "x", EXEC_V1,
	    "        args: {a: b}\n");
	kc = load(path, NULL, NULL, &cause);
	ASSERT(kc == NULL);
	ASSERT_HAS(cause, "exec args must be a list, not a mapping");
	free(cause);

	/* warroom owns the terminal: an Always plugin cannot run. */
	path = put_config("exec-always.yaml", "https://x", "",
	    "    exec:\n      apiVersion: " EXEC_V1 "\n"
	    "      command: /bin/true\n      interactiveMode: Always\n");
	kc = load(path, NULL, NULL, &cause);
	ASSERT(kc != NULL);
	ASSERT(kubeconfig_refresh(kc, 0, 5, &cause) == -1);
	ASSERT_HAS(cause, "needs a terminal (interactiveMode: Always)");
	free(cause);
	kubeconfig_free(kc);
}

/* In-cluster */

static void
sa_setup(const char *host)
{
	mkdir(tmpf("sa"), 0700);
	put("sa/token", "sa-token\n", 0600);
	put("sa/ca.crt", "SA CA\n", 0600);
	put("sa/namespace", "from-file\n", 0600);
	setenv("WARROOM_SA_DIR", tmpf("sa"), 1);
	setenv("KUBERNETES_SERVICE_HOST", host, 1);
	setenv("KUBERNETES_SERVICE_PORT", "443", 1);
}

TEST(in_cluster)
{
	struct kubeconfig	*kc;
	char			*cause = NULL;

	env_reset();
	sa_setup("10.96.0.1");
	ASSERT(kubeconfig_load(NULL, NULL, NULL, &kc, &cause) == 0);
	ASSERT(cause == NULL);
	ASSERT_STR(kc->server, "https://10.96.0.1:443");
	ASSERT_STR(kc->token, "sa-token");
	ASSERT_STR(kc->token_file, tmpf("sa/token"));
	ASSERT_STR(kc->ca_file, tmpf("sa/ca.crt"));
	ASSERT_STR(kc->namespace, "from-file");
	ASSERT_STR(kc->context, "");
	ASSERT(kc->contexts[0] == NULL);
	put("sa/token", "rotated\n", 0600);
	ASSERT(kubeconfig_refresh(kc, 0, 5, &cause) == 0);
	ASSERT_STR(kc->token, "rotated");
	kubeconfig_free(kc);

	setenv("POD_NAMESPACE", "from-env", 1);
	ASSERT(kubeconfig_load(NULL, NULL, NULL, &kc, &cause) == 0);
	ASSERT_STR(kc->namespace, "from-env");
	kubeconfig_free(kc);
	ASSERT(kubeconfig_load(NULL, NULL, "flag", &kc, &cause) == 0);
	ASSERT_STR(kc->namespace, "flag");
	kubeconfig_free(kc);

	unsetenv("POD_NAMESPACE");
	unlink(tmpf("sa/namespace"));
	ASSERT(kubeconfig_load(NULL, NULL, NULL, &kc, &cause) == 0);
	ASSERT_STR(kc->namespace, "default");
	kubeconfig_free(kc);

	setenv("KUBERNETES_SERVICE_HOST", "fd00:10:96::1", 1);
	ASSERT(kubeconfig_load(NULL, NULL, NULL, &kc, &cause) == 0);
	ASSERT_STR(kc->server, "https://[fd00:10:96::1]:443");
	kubeconfig_free(kc);

	/* KUBECONFIG naming only missing files falls through to here. */
	setenv("KUBECONFIG", tmpf("missing1:missing2"), 1);
	ASSERT(kubeconfig_load(NULL, NULL, NULL, &kc, &cause) == 0);
	ASSERT_STR(kc->server, "https://[fd00:10:96::1]:443");
	kubeconfig_free(kc);

	/* A kubeconfig, when there is one, wins over in-cluster. */
	setenv("KUBECONFIG", fx("single.yaml"), 1);
	ASSERT(kubeconfig_load(NULL, NULL, NULL, &kc, &cause) == 0);
	ASSERT_STR(kc->context, "dev");
	kubeconfig_free(kc);
	unsetenv("KUBECONFIG");

	unlink(tmpf("sa/token"));
	ASSERT(kubeconfig_load(NULL, NULL, NULL, &kc, &cause) == -1);
	ASSERT_HAS(cause, tmpf("sa/token"));
	free(cause);
	env_reset();
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

int
main(int argc, char **argv)
{
	const char	*t;

	(void)argc;
	find_fixtures(argv[0]);
	if ((t = getenv("TMPDIR")) == NULL || *t == '\0')
		t = "/tmp";
	snprintf(tmpdir, sizeof tmpdir, "%s/test-kubeconfig.XXXXXX", t);
	if (mkdtemp(tmpdir) == NULL) {
		perror("mkdtemp");
		return 2;
	}
	mkdir(tmpf("home"), 0700);
	mkdir(tmpf("home/.kube"), 0700);
	/* Relative exec commands resolve against the kubeconfig's dir. */
	if (chdir("/") != 0)
		return 2;

	RUN(base64);
	RUN(single_file);
	RUN(context_override_and_relative_files);
	RUN(unknown_context);
	RUN(namespace_precedence);
	RUN(missing_kubeconfig_flag);
	RUN(kubeconfig_flag_ignores_env);
	RUN(merge_first_wins);
	RUN(merge_paths_per_defining_file);
	RUN(merge_none_exist_falls_back_to_home);
	RUN(no_current_context);
	RUN(ca_data_invalid_base64);
	RUN(insecure_with_ca);
	RUN(insecure_alone);
	RUN(no_server);
	RUN(missing_ca_file);
	RUN(client_cert_data);
	RUN(token_and_token_file);
	RUN(http_server_gets_no_credentials);
	RUN(auth_provider);
	RUN(yaml_syntax_error);
	RUN(bad_yaml_types);
	RUN(exec_v1);
	RUN(exec_v1beta1_cert_and_expiry);
	RUN(exec_wrong_api_version);
	RUN(exec_failure_and_garbage);
	RUN(exec_not_found);
	RUN(exec_timeout);
	RUN(exec_info);
	RUN(exec_config_errors);
	RUN(in_cluster);

	if (nftw(tmpdir, rm_one, 16, FTW_DEPTH|FTW_PHYS) != 0)
		fprintf(stderr, "could not remove %s\n", tmpdir);
	return TEST_EXIT();
}
