/* kubeconfig-exec.c: exec credential plugins: the user's exec stanza, running
 * the plugin under a time limit with KUBERNETES_EXEC_INFO, reading its
 * ExecCredential; and re-reading tokenFile. */
#include <sys/types.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <yaml.h>

#include "jtext.h"
#include "kubeconfig.h"
#include "kubeconfig-private.h"
#include "rfc3339.h"
#include "warroom.h"

extern char **environ;

#define KCFG_MAX_TOKEN		(64 * 1024)		/* tokenFile */
#define KCFG_MAX_CA		(1024 * 1024)		/* CA file, for exec */
#define KCFG_MAX_EXEC_OUT	(1024 * 1024)		/* plugin stdout */
#define KCFG_MAX_EXEC_ERR	4096			/* plugin stderr kept */
#define KCFG_EXPIRY_SLACK	10	/* run the plugin this early, seconds */
#define KCFG_EXEC_V1		"client.authentication.k8s.io/v1"
#define KCFG_EXEC_V1BETA1	"client.authentication.k8s.io/v1beta1"

int
kcfg_exec_conf(struct kubeconfig *kc, struct kcfg_entry *e, yaml_node_t *ex,
    char **cause)
{
	struct kcfg_file	*f = e->file;
	struct kcfg_entry	 item;
	struct kube_exec	*x;
	yaml_node_item_t	*it;
	yaml_node_t		*list, *v;
	const char		*api, *cmd, *mode, *hint, *name, *value;
	size_t			 nargs = 0, nenv = 0;
	char			*s;

	if (ex->type != YAML_MAPPING_NODE) {
		return kcfg_error(cause, "%s: line %zu: user \"%s\": exec must "
		    "be a mapping, not %s", f->path, kcfg_line(ex), e->name,
		    kcfg_type(ex));
	}
	if (kcfg_str(e, "user", ex, "apiVersion", &api, cause) != 0 ||
	    kcfg_str(e, "user", ex, "command", &cmd, cause) != 0 ||
	    kcfg_str(e, "user", ex, "interactiveMode", &mode, cause) != 0 ||
	    kcfg_str(e, "user", ex, "installHint", &hint, cause) != 0)
		return -1;
	if (api == NULL) {
		return kcfg_error(cause, "%s: user \"%s\": exec: apiVersion is "
		    "required (%s)", f->path, e->name, KCFG_EXEC_V1);
	}
	if (strcmp(api, KCFG_EXEC_V1) != 0 &&
	    strcmp(api, KCFG_EXEC_V1BETA1) != 0) {
		return kcfg_error(cause, "%s: user \"%s\": exec: apiVersion "
		    "\"%s\" is not supported (use %s or %s)", f->path, e->name,
		    api, KCFG_EXEC_V1, KCFG_EXEC_V1BETA1);
	}
	if (cmd == NULL) {
		return kcfg_error(cause, "%s: user \"%s\": exec: command is "
		    "required", f->path, e->name);
	}
	if (mode != NULL && strcmp(mode, "Never") != 0 &&
	    strcmp(mode, "IfAvailable") != 0 && strcmp(mode, "Always") != 0) {
		return kcfg_error(cause, "%s: user \"%s\": exec: "
		    "interactiveMode \"%s\" is not Never, IfAvailable or "
		    "Always", f->path, e->name, mode);
	}

	x = kc->exec = xcalloc(1, sizeof *x);
	x->api_version = xstrdup(api);
	x->command = strchr(cmd, '/') != NULL ? kcfg_resolve(f, cmd) :
	    xstrdup(cmd);
	x->interactive_mode = xstrdup(mode != NULL ? mode : "IfAvailable");
	if (hint != NULL)
		x->install_hint = xstrdup(hint);
	x->args = xcalloc(1, sizeof *x->args);
	x->env = xcalloc(1, sizeof *x->env);
	if (kcfg_bool(e, "user", ex, "provideClusterInfo",
	    &x->provide_cluster_info, cause) != 0)
		return -1;

	list = kcfg_get(&f->doc, ex, "args");
	if (!kcfg_null(list) && list->type != YAML_SEQUENCE_NODE) {
		return kcfg_error(cause, "%s: line %zu: user \"%s\": exec args "
		    "must be a list, not %s", f->path, kcfg_line(list), e->name,
		    kcfg_type(list));
	}
	for (it = kcfg_null(list) ? NULL : list->data.sequence.items.start;
	    it != NULL && it < list->data.sequence.items.top; it++) {
		v = yaml_document_get_node(&f->doc, *it);
		if (v == NULL || v->type != YAML_SCALAR_NODE) {
			return kcfg_error(cause, "%s: line %zu: user \"%s\": "
			    "exec args must be strings", f->path,
			    kcfg_line(v != NULL ? v : list), e->name);
		}
		kcfg_strv_add(&x->args, &nargs,
		    xstrdup((const char *)v->data.scalar.value));
	}

	list = kcfg_get(&f->doc, ex, "env");
	if (!kcfg_null(list) && list->type != YAML_SEQUENCE_NODE) {
		return kcfg_error(cause, "%s: line %zu: user \"%s\": exec env "
		    "must be a list of {name, value}, not %s", f->path,
		    kcfg_line(list), e->name, kcfg_type(list));
	}
	item = *e;
	for (it = kcfg_null(list) ? NULL : list->data.sequence.items.start;
	    it != NULL && it < list->data.sequence.items.top; it++) {
		v = yaml_document_get_node(&f->doc, *it);
		if (v == NULL || v->type != YAML_MAPPING_NODE) {
			return kcfg_error(cause, "%s: line %zu: user \"%s\": "
			    "exec env entries must be {name, value} mappings",
			    f->path, kcfg_line(v != NULL ? v : list), e->name);
		}
		if (kcfg_str(&item, "user", v, "name", &name, cause) != 0 ||
		    kcfg_str(&item, "user", v, "value", &value, cause) != 0)
			return -1;
		if (name == NULL || strchr(name, '=') != NULL) {
			return kcfg_error(cause, "%s: line %zu: user \"%s\": "
			    "exec env entry needs a name without '='", f->path,
			    kcfg_line(v), e->name);
		}
		xasprintf(&s, "%s=%s", name, value != NULL ? value : "");
		kcfg_strv_add(&x->env, &nenv, s);
	}
	return 0;
}

void
kcfg_exec_free(struct kube_exec *x)
{
	if (x == NULL)
		return;
	free(x->api_version);
	free(x->command);
	kcfg_strv_free(x->args, 1);
	kcfg_strv_free(x->env, 1);
	free(x->interactive_mode);
	free(x->install_hint);
	free(x);
}

/* Read token_file into token (trimmed); the token never enters an error. */
int
kcfg_token_read(struct kubeconfig *kc, char **cause)
{
	char	*buf, *s, *e;
	size_t	 len;
	int	 ok;

	if ((buf = kcfg_read_file(kc->token_file, KCFG_MAX_TOKEN, &len)) ==
	    NULL) {
		if (errno == EFBIG) {
			return kcfg_error(cause, "tokenFile %s is larger than "
			    "%d KiB", kc->token_file, KCFG_MAX_TOKEN / 1024);
		}
		return kcfg_error(cause, "tokenFile %s: %s", kc->token_file,
		    strerror(errno));
	}
	s = kcfg_trim(buf, len, &e);
	ok = s != e && (size_t)(e - s) == strlen(s) && kcfg_token_ok(s);
	if (ok) {
		kcfg_free_secret(kc->token);
		kc->token = xstrndup(s, e - s);
	}
	kcfg_wipe(buf, len);
	free(buf);
	if (s == e)
		return kcfg_error(cause, "tokenFile %s is empty",
		    kc->token_file);
	if (!ok) {
		return kcfg_error(cause, "tokenFile %s: the token contains "
		    "control characters", kc->token_file);
	}
	return 0;
}

/* Exec credential plugins. */

/* An expirationTimestamp (RFC 3339, "2024-05-01T10:00:00.5Z" or "+02:00";
 * loosely: a space for the T and a leap second are taken) to seconds since
 * the epoch, fraction included. */
static int
kcfg_rfc3339(const char *s, double *out)
{
	time_t	 t;
	long	 ns;

	if (rfc3339_parse(s, RFC3339_LOOSE, &t, &ns) != 0)
		return -1;
	*out = (double)t + ns / 1e9;
	return 0;
}

static void
kcfg_json_set(json_t *o, const char *key, const char *value)
{
	if (value != NULL)
		json_object_set_new(o, key, jtext(value));
}

static const char *
kcfg_json_get(json_t *o, const char *key)
{
	const char	*s;

	s = json_string_value(json_object_get(o, key));
	return s != NULL && *s != '\0' ? s : NULL;
}

static void
kcfg_json_wipe(json_t *o, const char *key)
{
	json_t	*j;

	if ((j = json_object_get(o, key)) != NULL && json_is_string(j))
		kcfg_wipe((char *)json_string_value(j), json_string_length(j));
}

/* The KUBERNETES_EXEC_INFO value: an ExecCredential with spec only. */
static char *
kcfg_exec_info(struct kubeconfig *kc)
{
	json_t	*root, *spec, *cl;
	char	*s, *r, *ca, *b64 = NULL;
	size_t	 len;

	spec = json_object();
	json_object_set_new(spec, "interactive", json_false());
	if (kc->exec->provide_cluster_info) {
		cl = json_object();
		kcfg_json_set(cl, "server", kc->server);
		kcfg_json_set(cl, "tls-server-name", kc->tls_server_name);
		if (kc->insecure) {
			json_object_set_new(cl, "insecure-skip-tls-verify",
			    json_true());
		}
		if (kc->ca_pem != NULL) {
			b64 = kcfg_base64_encode((unsigned char *)kc->ca_pem,
			    kc->ca_pem_len);
		} else if (kc->ca_file != NULL && (ca = kcfg_read_file(
		    kc->ca_file, KCFG_MAX_CA, &len)) != NULL) {
			b64 = kcfg_base64_encode((unsigned char *)ca, len);
			free(ca);
		}
		kcfg_json_set(cl, "certificate-authority-data", b64);
		free(b64);
		kcfg_json_set(cl, "proxy-url", kc->proxy_url);
		json_object_set_new(spec, "cluster", cl);
	}
	root = json_object();
	kcfg_json_set(root, "kind", "ExecCredential");
	kcfg_json_set(root, "apiVersion", kc->exec->api_version);
	json_object_set_new(root, "spec", spec);
	if ((s = json_dumps(root, JSON_COMPACT)) == NULL)
		fatal("out of memory (json_dumps)");
	json_decref(root);
	r = xstrdup(s);
	free(s);
	return r;
}

/*
 * Look the command up in the parent's PATH, as Go's exec.Command does since
 * Go 1.19 (and so kubectl): an empty or relative entry (the current
 * directory) is never searched. If the command is only there, *skipped is
 * set to where (the caller's to free), so the error can say so.
 */
static char *
kcfg_exec_lookup(const char *cmd, char **skipped)
{
	struct stat	 sb;
	const char	*path, *p, *end;
	char		*try;

	*skipped = NULL;
	if (strchr(cmd, '/') != NULL)
		return xstrdup(cmd);
	if ((path = getenv("PATH")) == NULL || *path == '\0')
		path = "/usr/local/bin:/usr/bin:/bin";
	for (p = path;; p = end + 1) {
		if ((end = strchr(p, ':')) == NULL)
			end = p + strlen(p);
		if (end == p)
			xasprintf(&try, "./%s", cmd);
		else
			xasprintf(&try, "%.*s/%s", (int)(end - p), p, cmd);
		if (stat(try, &sb) == 0 && S_ISREG(sb.st_mode) &&
		    access(try, X_OK) == 0) {
			if (*p == '/') {
				free(*skipped);
				*skipped = NULL;
				return try;
			}
			if (*skipped == NULL)
				*skipped = try;
			else
				free(try);
		} else
			free(try);
		if (*end == '\0')
			return NULL;
	}
}

static int
kcfg_env_same(const char *a, const char *b)
{
	size_t	 la = strcspn(a, "="), lb = strcspn(b, "=");

	return la == lb && strncmp(a, b, la) == 0;
}

/* Parent environment + exec env (last wins) + info. Strings are borrowed. */
static char **
kcfg_exec_envp(struct kube_exec *x, char *info)
{
	char	**envp, **e;
	size_t	 n = 2, i = 0, j, k;

	for (e = environ; e != NULL && *e != NULL; e++)
		n++;
	for (e = x->env; *e != NULL; e++)
		n++;
	envp = xreallocarray(NULL, n, sizeof *envp);
	for (e = environ; e != NULL && *e != NULL; e++) {
		if (kcfg_env_same(*e, info))
			continue;
		for (j = 0; x->env[j] != NULL; j++) {
			if (kcfg_env_same(*e, x->env[j]))
				break;
		}
		if (x->env[j] == NULL)
			envp[i++] = *e;
	}
	for (j = 0; x->env[j] != NULL; j++) {
		for (k = j + 1; x->env[k] != NULL; k++) {
			if (kcfg_env_same(x->env[j], x->env[k]))
				break;
		}
		if (x->env[k] == NULL && !kcfg_env_same(x->env[j], info))
			envp[i++] = x->env[j];
	}
	envp[i++] = info;
	envp[i] = NULL;
	return envp;
}

/* Keep fds 0-2 free so the child's dup2 calls cannot collide. */
static int
kcfg_fd_high(int fd)
{
	int	 nfd;

	if (fd < 0 || fd > 2)
		return fd;
	nfd = fcntl(fd, F_DUPFD_CLOEXEC, 3);
	close(fd);
	return nfd;
}

static int
kcfg_pipe(int p[2])
{
	if (pipe2(p, O_CLOEXEC) == -1)
		return -1;
	p[0] = kcfg_fd_high(p[0]);
	p[1] = kcfg_fd_high(p[1]);
	if (p[0] == -1 || p[1] == -1)
		return -1;
	return 0;
}

static void
kcfg_close(int *fd)
{
	if (*fd != -1)
		close(*fd);
	*fd = -1;
}

/* In the child: only async-signal-safe calls until execve. */
static void
kcfg_exec_child(const char *path, char **argv, char **envp,
    const struct sigaction *dfl, const int *fds, int st)
{
	static const int	 sigs[] = { SIGPIPE, SIGINT, SIGQUIT, SIGTERM,
	    SIGHUP, SIGCHLD, SIGTSTP, SIGTTIN, SIGTTOU, SIGWINCH, SIGALRM,
	    SIGUSR1, SIGUSR2 };
	sigset_t		 set;
	size_t			 i;
	ssize_t			 n;
	int			 e;

	setpgid(0, 0);
	for (i = 0; i < nitems(sigs); i++)
		sigaction(sigs[i], dfl, NULL);
	sigemptyset(&set);
	sigprocmask(SIG_SETMASK, &set, NULL);
	if (dup2(fds[0], 0) != -1 && dup2(fds[1], 1) != -1 &&
	    dup2(fds[2], 2) != -1)
		execve(path, argv, envp);
	e = errno;
	n = write(st, &e, sizeof e);
	(void)n;
	_exit(127);
}

static const char *
kcfg_oneline(struct kcfg_buf *b)
{
	char	*s, *e;

	if (b->data == NULL)
		return "";
	for (s = b->data; *s != '\0'; s++) {
		if (*s == '\n' || *s == '\r' || *s == '\t')
			*s = ' ';
	}
	for (s = b->data; *s == ' '; s++)
		;
	for (e = s + strlen(s); e > s && e[-1] == ' '; e--)
		e[-1] = '\0';
	return s;
}

static int
kcfg_exec_parse(struct kubeconfig *kc, const char *buf, size_t len,
    char **cause)
{
	struct kube_exec	*x = kc->exec;
	const char		*cmd = x->command, *kind, *api, *token, *cert;
	const char		*key, *exp;
	json_t			*root, *st = NULL;
	json_error_t		 jerr;
	double			 expiry = 0;
	size_t			 i;
	int			 rv = -1;

	for (i = 0; i < len && isspace((unsigned char)buf[i]); i++)
		;
	if (i == len) {
		return kcfg_error(cause, "exec plugin \"%s\" printed nothing",
		    cmd);
	}
	/* jansson's error text quotes the input, which may be a token. */
	if ((root = json_loadb(buf, len, 0, &jerr)) == NULL) {
		return kcfg_error(cause, "exec plugin \"%s\" printed invalid "
		    "JSON (line %d, column %d)", cmd, jerr.line, jerr.column);
	}
	if (!json_is_object(root)) {
		kcfg_error(cause, "exec plugin \"%s\" printed JSON that is not "
		    "an ExecCredential", cmd);
		goto out;
	}
	kind = kcfg_json_get(root, "kind");
	api = kcfg_json_get(root, "apiVersion");
	st = json_object_get(root, "status");
	if (kind == NULL || strcmp(kind, "ExecCredential") != 0) {
		kcfg_error(cause, "exec plugin \"%s\" printed %s%s%s, not an "
		    "ExecCredential", cmd, kind != NULL ? "a \"" : "an object "
		    "without kind", kind != NULL ? kind : "",
		    kind != NULL ? "\"" : "");
		goto out;
	}
	if (api == NULL || strcmp(api, x->api_version) != 0) {
		kcfg_error(cause, "exec plugin \"%s\" is configured to use API "
		    "version %s, plugin returned version %s", cmd,
		    x->api_version, api != NULL ? api : "(none)");
		goto out;
	}
	if (!json_is_object(st)) {
		kcfg_error(cause, "exec plugin \"%s\" returned no status", cmd);
		goto out;
	}
	token = kcfg_json_get(st, "token");
	cert = kcfg_json_get(st, "clientCertificateData");
	key = kcfg_json_get(st, "clientKeyData");
	exp = kcfg_json_get(st, "expirationTimestamp");
	if ((cert == NULL) != (key == NULL)) {
		kcfg_error(cause, "exec plugin \"%s\": clientKeyData and "
		    "clientCertificateData must both be specified", cmd);
		goto out;
	}
	if (token == NULL && cert == NULL) {
		kcfg_error(cause, "exec plugin \"%s\" returned neither a token "
		    "nor a client certificate and key", cmd);
		goto out;
	}
	if (token != NULL && !kcfg_token_ok(token)) {
		kcfg_error(cause, "exec plugin \"%s\" returned a token with "
		    "control characters", cmd);
		goto out;
	}
	if (exp != NULL && kcfg_rfc3339(exp, &expiry) != 0) {
		kcfg_error(cause, "exec plugin \"%s\" returned an invalid "
		    "expirationTimestamp \"%s\"", cmd, exp);
		goto out;
	}

	if (token != NULL) {
		kcfg_free_secret(kc->token);
		kc->token = xstrdup(token);
	}
	if (cert != NULL) {
		free(kc->cert_file);
		kc->cert_file = NULL;
		free(kc->cert_pem);
		kc->cert_pem = xstrdup(cert);
		kc->cert_pem_len = strlen(cert);
		free(kc->key_file);
		kc->key_file = NULL;
		kcfg_wipe(kc->key_pem, kc->key_pem_len);
		free(kc->key_pem);
		kc->key_pem = xstrdup(key);
		kc->key_pem_len = strlen(key);
	}
	kc->exec_expiry = expiry;
	log_debug("exec plugin %s: %s%s, expires %.0f", cmd,
	    token != NULL ? "token" : "", cert != NULL ? " client cert" : "",
	    expiry);
	rv = 0;

out:
	if (json_is_object(st)) {
		kcfg_json_wipe(st, "token");
		kcfg_json_wipe(st, "clientKeyData");
	}
	json_decref(root);
	return rv;
}

static int
kcfg_exec_run(struct kubeconfig *kc, int timeout_s, char **cause)
{
	struct kube_exec	*x = kc->exec;
	struct kcfg_buf		 out = { NULL, 0, 0 }, err = { NULL, 0, 0 };
	struct pollfd		 pfd[2];
	struct sigaction	 dfl;
	struct timespec		 ts = { 0, 5 * 1000 * 1000 };
	const char		*hint = "", *sep = "", *msg;
	char			*path, *info, *info_env, **argv, **envp, *skipped;
	char			 tmp[8192];
	int			 outp[2] = { -1, -1 }, errp[2] = { -1, -1 };
	int			 stp[2] = { -1, -1 }, fds[3], null = -1;
	int			 status = 0, e, rv = -1, reaped = 0, i;
	double			 deadline, left;
	size_t			 n;
	ssize_t			 r;
	pid_t			 pid = -1, w;

	if (timeout_s <= 0)
		timeout_s = 30;
	if (x->install_hint != NULL) {
		sep = ". ";
		hint = x->install_hint;
	}
	if (strcmp(x->interactive_mode, "Always") == 0) {
		return kcfg_error(cause, "exec plugin \"%s\" needs a terminal "
		    "(interactiveMode: Always), which warroom cannot give it; "
		    "run it once in a shell or set interactiveMode: "
		    "IfAvailable", x->command);
	}
	if ((path = kcfg_exec_lookup(x->command, &skipped)) == NULL) {
		rv = kcfg_error(cause, "exec plugin \"%s\" was not found in "
		    "PATH%s%s%s%s%s", x->command, skipped != NULL ? " (" : "",
		    skipped != NULL ? skipped : "", skipped != NULL ? " is "
		    "in a relative PATH entry, which is not searched, as by "
		    "kubectl)" : "", sep, hint);
		free(skipped);
		return rv;
	}
	info = kcfg_exec_info(kc);
	xasprintf(&info_env, "KUBERNETES_EXEC_INFO=%s", info);
	for (n = 0; x->args[n] != NULL; n++)
		;
	argv = xreallocarray(NULL, n + 2, sizeof *argv);
	argv[0] = x->command;
	memcpy(argv + 1, x->args, (n + 1) * sizeof *argv);
	envp = kcfg_exec_envp(x, info_env);
	memset(&dfl, 0, sizeof dfl);
	dfl.sa_handler = SIG_DFL;
	sigemptyset(&dfl.sa_mask);

	deadline = now_mono() + timeout_s;
	null = kcfg_fd_high(open("/dev/null", O_RDONLY|O_CLOEXEC));
	if (null == -1 ||
	    kcfg_pipe(outp) != 0 || kcfg_pipe(errp) != 0 ||
	    kcfg_pipe(stp) != 0 || (pid = fork()) == -1) {
		kcfg_error(cause, "exec plugin \"%s\": %s", x->command,
		    strerror(errno));
		goto out;
	}
	if (pid == 0) {
		fds[0] = null;
		fds[1] = outp[1];
		fds[2] = errp[1];
		kcfg_exec_child(path, argv, envp, &dfl, fds, stp[1]);
	}
	setpgid(pid, pid);
	kcfg_close(&null);
	kcfg_close(&outp[1]);
	kcfg_close(&errp[1]);
	kcfg_close(&stp[1]);

	/* The status pipe closes on a successful execve, or carries errno. */
	do
		r = read(stp[0], &e, sizeof e);
	while (r == -1 && errno == EINTR);
	if (r == (ssize_t)sizeof e) {
		kcfg_error(cause, "exec plugin \"%s\" could not be started: "
		    "%s%s%s", x->command, strerror(e), sep, hint);
		goto out;
	}

	fcntl(outp[0], F_SETFL, fcntl(outp[0], F_GETFL) | O_NONBLOCK);
	fcntl(errp[0], F_SETFL, fcntl(errp[0], F_GETFL) | O_NONBLOCK);
	pfd[0].fd = outp[0];
	pfd[1].fd = errp[0];
	pfd[0].events = pfd[1].events = POLLIN;
	while (pfd[0].fd != -1 || pfd[1].fd != -1) {
		if ((left = deadline - now_mono()) <= 0)
			goto timeout;
		if (poll(pfd, 2, (int)(left * 1000) + 1) == -1) {
			if (errno == EINTR)
				continue;
			kcfg_error(cause, "exec plugin \"%s\": poll: %s",
			    x->command, strerror(errno));
			goto out;
		}
		for (i = 0; i < 2; i++) {
			if (pfd[i].fd == -1 || pfd[i].revents == 0)
				continue;
			r = read(pfd[i].fd, tmp, sizeof tmp);
			if (r == -1 && (errno == EINTR || errno == EAGAIN))
				continue;
			if (r <= 0) {
				pfd[i].fd = -1;
				continue;
			}
			if (i == 1) {
				n = KCFG_MAX_EXEC_ERR - err.len;
				if ((size_t)r < n)
					n = r;
				kcfg_buf_add(&err, tmp, n, KCFG_MAX_EXEC_ERR);
			} else if (kcfg_buf_add(&out, tmp, r,
			    KCFG_MAX_EXEC_OUT) != 0) {
				kcfg_error(cause, "exec plugin \"%s\" printed "
				    "more than %d MiB", x->command,
				    KCFG_MAX_EXEC_OUT >> 20);
				goto out;
			}
		}
	}
	for (;;) {
		w = waitpid(pid, &status, WNOHANG);
		if (w == pid)
			break;
		if (w == -1 && errno == EINTR)
			continue;
		if (w == -1) {
			/* Reaped elsewhere (SIGCHLD ignored): trust output. */
			log_debug("exec plugin %s: waitpid: %s", x->command,
			    strerror(errno));
			status = 0;
			break;
		}
		if (now_mono() >= deadline)
			goto timeout;
		nanosleep(&ts, NULL);
	}
	reaped = 1;
	msg = kcfg_oneline(&err);
	if (WIFSIGNALED(status)) {
		kcfg_error(cause, "exec plugin \"%s\" was killed by signal "
		    "%d%s%s", x->command, WTERMSIG(status), *msg ? ": " : "",
		    msg);
		goto out;
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) != 0) {
		kcfg_error(cause, "exec plugin \"%s\" failed with exit code "
		    "%d%s%s", x->command, WEXITSTATUS(status), *msg ? ": " : "",
		    msg);
		goto out;
	}
	rv = kcfg_exec_parse(kc, out.data != NULL ? out.data : "", out.len,
	    cause);
	goto out;

timeout:
	msg = kcfg_oneline(&err);
	kcfg_error(cause, "exec plugin \"%s\" did not finish within %d s%s%s",
	    x->command, timeout_s, *msg ? ": " : "", msg);
out:
	if (pid > 0 && !reaped) {
		kill(-pid, SIGKILL);
		kill(pid, SIGKILL);
		while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
			;
	}
	kcfg_close(&null);
	kcfg_close(&outp[0]);
	kcfg_close(&outp[1]);
	kcfg_close(&errp[0]);
	kcfg_close(&errp[1]);
	kcfg_close(&stp[0]);
	kcfg_close(&stp[1]);
	kcfg_wipe(tmp, sizeof tmp);
	kcfg_buf_free(&out);
	kcfg_buf_free(&err);
	free(path);
	free(info);
	free(info_env);
	free(argv);
	free(envp);
	return rv;
}

int
kubeconfig_refresh(struct kubeconfig *kc, int force, int timeout_s,
    char **cause)
{
	*cause = NULL;
	if (kc->exec != NULL) {
		if (force || (kc->token == NULL && kc->key_pem == NULL) ||
		    (kc->exec_expiry != 0 &&
		    (double)now_wall() + KCFG_EXPIRY_SLACK >= kc->exec_expiry))
			return kcfg_exec_run(kc, timeout_s, cause);
		return 0;
	}
	if (kc->token_file != NULL)
		return kcfg_token_read(kc, cause);
	return 0;
}
