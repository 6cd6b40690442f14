/* test-kubeconfig.c: kubeconfig loading, merging, cluster and user fields,
 * file-level errors and in-cluster config, against fixture files and files
 * written to a temporary directory. Exec plugins: test-kubeconfig-exec.c. */
#include <sys/stat.h>

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kubeconfig.h"
#include "warroom.h"
#include "kubeconfig-fixture.h"
#include "test.h"

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

int
main(int argc, char **argv)
{
	(void)argc;
	fixture_setup(argv[0], "test-kubeconfig");

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
	RUN(in_cluster);

	fixture_cleanup();
	return TEST_EXIT();
}
