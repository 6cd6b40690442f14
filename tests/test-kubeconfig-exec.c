/* test-kubeconfig-exec.c: exec credential plugins (client.authentication
 * v1 and v1beta1): tokens, certificates and expiry, failures and caps,
 * PATH and permissions, the timeout that kills the process group,
 * KUBERNETES_EXEC_INFO, and the exec stanza's errors. */
#include <sys/stat.h>
#include <sys/wait.h>

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "kubeconfig.h"
#include "warroom.h"
#include "kubeconfig-fixture.h"
#include "test.h"

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

/* Empty and relative PATH entries are never searched, as kubectl. */
TEST(exec_path_relative_entries)
{
	struct kubeconfig	*kc;
	const char		*path;
	char			*cause, *cause2, *old_path, cwd[PATH_MAX], *abs;
	int			 rv, rv2, got;

	ASSERT(getcwd(cwd, sizeof cwd) != NULL);
	old_path = xstrdup(getenv("PATH") != NULL ? getenv("PATH") : "");
	ASSERT(mkdir(tmpf("relbin"), 0700) == 0 || errno == EEXIST);
	ASSERT(mkdir(tmpf("absbin"), 0700) == 0 || errno == EEXIST);
	put("relbin/warroom-rel-plugin", "#!/bin/sh\nprintf '{\"apiVersion"
	    "\":\"" EXEC_V1 "\",\"kind\":\"ExecCredential\",\"status\":"
	    "{\"token\":\"tok-rel\"}}\\n'\n", 0700);
	put("warroom-rel-plugin", "#!/bin/sh\nexit 1\n", 0700);
	path = put_exec_config("exec-rel.yaml", "warroom-rel-plugin", EXEC_V1,
	    "");
	kc = load(path, NULL, NULL, &cause);
	ASSERT(kc != NULL);
	ASSERT(chdir(tmpf("")) == 0);
	xasprintf(&abs, ":relbin:%s", tmpf("absbin"));
	setenv("PATH", abs, 1);
	free(abs);
	rv = kubeconfig_refresh(kc, 0, 5, &cause);
	got = kc->token != NULL;

	/* Found in an absolute entry after the relative ones: that one. */
	put("absbin/warroom-rel-plugin", "#!/bin/sh\nprintf '{\"apiVersion"
	    "\":\"" EXEC_V1 "\",\"kind\":\"ExecCredential\",\"status\":"
	    "{\"token\":\"tok-abs\"}}\\n'\n", 0700);
	rv2 = kubeconfig_refresh(kc, 1, 5, &cause2);
	setenv("PATH", old_path, 1);
	free(old_path);
	ASSERT(chdir(cwd) == 0);
	ASSERT(rv == -1);
	ASSERT(!got);
	ASSERT_HAS(cause, "exec plugin \"warroom-rel-plugin\" was not found "
	    "in PATH (./warroom-rel-plugin is in a relative PATH entry, which "
	    "is not searched");
	free(cause);
	ASSERT(rv2 == 0);
	ASSERT_STR(kc->token, "tok-abs");
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

int
main(int argc, char **argv)
{
	(void)argc;
	fixture_setup(argv[0], "test-kubeconfig-exec");

	RUN(exec_v1);
	RUN(exec_v1beta1_cert_and_expiry);
	RUN(exec_wrong_api_version);
	RUN(exec_failure_and_garbage);
	RUN(exec_not_found);
	RUN(exec_path_relative_entries);
	RUN(exec_timeout);
	RUN(exec_info);
	RUN(exec_config_errors);

	fixture_cleanup();
	return TEST_EXIT();
}
