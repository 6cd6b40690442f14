/* config.c: the settings in struct config and the config commands that
 * fill it (prometheus, alertmanager, postgres, redis, health, threshold,
 * degrade; set is in config-set.c). The defaults are written in the same
 * language. */
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cmdparse.h"
#include "config.h"
#include "config-private.h"
#include "warroom.h"

struct config	 cfg;

/*
 * The defaults, run through cmdparse like a user's file: the poll interval,
 * the operations manual's resource threshold table and its degrade steps
 * (fault 1, option C; fault 3 cache avalanche; fault 4 API rate limits).
 */
static const char config_defaults[] =
	"set refresh 2s\n"
	"set prom-range 5m\n"
	"set wall-cycle 20s\n"
	/* Resource use in percent: of the pod's limits, of the node. Network
	 * is against 1 Gbit/s (125 MB/s), as the manual gives no capacity. */
	"query pod cpu 'sum by (namespace, pod) (rate(container_cpu_usage_"
	    "seconds_total{container!=\"\", image!=\"\"}[$range])) / sum by "
	    "(namespace, pod) (kube_pod_container_resource_limits{resource=\""
	    "cpu\", unit=\"core\"}) * 100'\n"
	"query pod memory 'sum by (namespace, pod) (container_memory_working_"
	    "set_bytes{container!=\"\", image!=\"\"}) / sum by (namespace, pod) "
	    "(kube_pod_container_resource_limits{resource=\"memory\", unit=\""
	    "byte\"}) * 100'\n"
	"query pod disk 'sum by (namespace, pod) (container_fs_usage_bytes{"
	    "container!=\"\", image!=\"\"}) / sum by (namespace, pod) (container"
	    "_fs_limit_bytes{container!=\"\", image!=\"\"}) * 100'\n"
	"query pod network 'sum by (namespace, pod) (rate(container_network_"
	    "receive_bytes_total[$range]) + rate(container_network_transmit_"
	    "bytes_total[$range])) / 125000000 * 100'\n"
	"query node cpu '100 - avg by (instance) (rate(node_cpu_seconds_total{"
	    "mode=\"idle\"}[$range])) * 100'\n"
	"query node memory '(1 - node_memory_MemAvailable_bytes / node_memory_"
	    "MemTotal_bytes) * 100'\n"
	"query node disk 'max by (instance) ((1 - node_filesystem_avail_bytes{"
	    "fstype!~\"tmpfs|overlay|squashfs|ramfs\"} / node_filesystem_size_"
	    "bytes{fstype!~\"tmpfs|overlay|squashfs|ramfs\"}) * 100)'\n"
	"query node network 'sum by (instance) (rate(node_network_receive_"
	    "bytes_total{device!=\"lo\"}[$range]) + rate(node_network_transmit_"
	    "bytes_total{device!=\"lo\"}[$range])) / 125000000 * 100'\n"
	"threshold cpu     warn=70 crit=85\n"
	"threshold memory  warn=75 crit=90\n"
	"threshold disk    warn=70 crit=85\n"
	"threshold network warn=70 crit=85\n"
	/* The manual's database alerts: 80 of 100 connections, Redis memory
	 * at 85 % of maxmemory. */
	"threshold connections warn=70 crit=80\n"
	"threshold redis-memory warn=75 crit=85\n"
	"degrade cache-fallback    ENABLE_CACHE_FALLBACK=true\n"
	"degrade db-fallback       ENABLE_DB_FALLBACK=true DISABLE_CACHE=true\n"
	"degrade no-realtime-stats DISABLE_REALTIME_STATS=true\n"
	"degrade request-queue     ENABLE_REQUEST_QUEUE=true "
	    "MAX_CONCURRENT_REQUESTS=10\n";

/*
 * A non-negative decimal number ("70", "1.5", ".5") without locale, exponent
 * or sign. Returns the number and sets *end after it, or -1 if there are no
 * digits.
 */
static double
config_number(const char *s, const char **end)
{
	double	 v = 0, scale = 1;
	int	 digits = 0;

	for (; *s >= '0' && *s <= '9'; s++, digits++)
		v = v * 10 + (*s - '0');
	if (*s == '.') {
		for (s++; *s >= '0' && *s <= '9'; s++, digits++) {
			scale /= 10;
			v += (*s - '0') * scale;
		}
	}
	*end = s;
	return digits == 0 ? -1 : v;
}

/*
 * "2s", "500ms", "1m", "1h", "1.5s", or a bare number of seconds, to
 * seconds. Returns -1 if s is not a duration.
 */
double
config_parse_duration(const char *s)
{
	const char	*end;
	double		 v;

	if (s == NULL || (v = config_number(s, &end)) < 0)
		return -1;
	if (*end == '\0' || strcmp(end, "s") == 0)
		return v;
	if (strcmp(end, "ms") == 0)
		return v / 1000;
	if (strcmp(end, "m") == 0)
		return v * 60;
	if (strcmp(end, "h") == 0)
		return v * 3600;
	return -1;
}

/*
 * The default config path, $XDG_CONFIG_HOME/warroom/config or
 * ~/.config/warroom/config. Returns a new string the caller frees.
 */
char *
config_default_path(void)
{
	const char	*xdg, *home;
	struct passwd	*pw;
	char		*path;

	xdg = getenv("XDG_CONFIG_HOME");
	if (xdg != NULL && xdg[0] == '/') {
		xasprintf(&path, "%s/warroom/config", xdg);
		return path;
	}
	home = getenv("HOME");
	if (home == NULL || *home == '\0') {
		pw = getpwuid(getuid());
		home = pw != NULL && pw->pw_dir != NULL ? pw->pw_dir : "";
	}
	xasprintf(&path, "%s/.config/warroom/config", home);
	return path;
}

/* A name of letters, digits, '_', '.', '-' (profiles, checks, metrics). */
static int
config_check_name(const char *s)
{
	if (*s == '\0')
		return -1;
	for (; *s != '\0'; s++) {
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= '0' && *s <= '9') || *s == '_' || *s == '.' ||
		    *s == '-'))
			return -1;
	}
	return 0;
}

/* An environment variable name: [A-Za-z_][A-Za-z0-9_]*, up to n bytes. */
static int
config_check_env(const char *s, size_t n)
{
	size_t	 i;

	if (n == 0 || (s[0] >= '0' && s[0] <= '9'))
		return -1;
	for (i = 0; i < n; i++) {
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= 'A' && s[i] <= 'Z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return -1;
	}
	return 0;
}

/* No spaces or control bytes (URLs). */
static int
config_check_printable(const char *s)
{
	for (; *s != '\0'; s++) {
		if ((unsigned char)*s <= ' ' || *s == 0x7f)
			return -1;
	}
	return 0;
}

/*
 * An http:// or https:// URL with a host. The URL is not echoed in the
 * error: it may hold a password.
 */
static int
config_check_url(const char *cmd, const char *url, char **cause)
{
	const char	*host;

	if (strncasecmp(url, "http://", 7) == 0)
		host = url + 7;
	else if (strncasecmp(url, "https://", 8) == 0)
		host = url + 8;
	else {
		xasprintf(cause, "%s: URL must start with http:// or https://",
		    cmd);
		return -1;
	}
	if (*host == '\0' || *host == '/' || *host == '?' || *host == '#') {
		xasprintf(cause, "%s: URL has no host", cmd);
		return -1;
	}
	if (config_check_printable(url) != 0) {
		xasprintf(cause, "%s: URL contains a space or control "
		    "character", cmd);
		return -1;
	}
	return 0;
}

/* Free a NULL-terminated vector of strings and the vector (NULL is fine). */
void
config_free_strv(char **v)
{
	char	**p;

	if (v == NULL)
		return;
	for (p = v; *p != NULL; p++)
		free(*p);
	free(v);
}

/*
 * The keywords after an endpoint's URL: token-file PATH (a bearer token,
 * read at each request so that it may rotate), ca PATH, basic-auth-file
 * PATH ("user:password"). A new line replaces all of them.
 */
static int
config_endpoint(int argc, char **argv, char **url, char **token, char **ca,
    char **basic, char **cause)
{
	const char	*v[3] = { NULL, NULL, NULL };
	static const char *const kw[3] = { "token-file", "ca", "basic-auth-file" };
	char		*clean;
	int		 i, k;

	if (config_check_url(argv[0], argv[1], cause) != 0)
		return -1;
	for (i = 2; i < argc; i += 2) {
		for (k = 0; k < 3; k++)
			if (strcmp(argv[i], kw[k]) == 0)
				break;
		if (k == 3) {
			clean = sanitize(argv[i]);
			xasprintf(cause, "%s: unknown keyword \"%s\" (known: "
			    "token-file, ca, basic-auth-file)", argv[0], clean);
			free(clean);
			return -1;
		}
		if (i + 1 >= argc || argv[i + 1][0] == '\0') {
			xasprintf(cause, "%s: %s needs a PATH", argv[0],
			    argv[i]);
			return -1;
		}
		v[k] = argv[i + 1];
	}
	xstrset(url, argv[1]);
	xstrset(token, v[0]);
	xstrset(ca, v[1]);
	xstrset(basic, v[2]);
	return 0;
}

/* prometheus URL [token-file PATH] [ca PATH] [basic-auth-file PATH] */
static int
config_cmd_prometheus(int argc, char **argv, void *arg, char **cause)
{
	return config_endpoint(argc, argv, &cfg.prometheus,
	    &cfg.prom_token_file, &cfg.prom_ca, &cfg.prom_basic_file, cause);
}

/* alertmanager URL [token-file PATH] [ca PATH] [basic-auth-file PATH] */
static int
config_cmd_alertmanager(int argc, char **argv, void *arg, char **cause)
{
	return config_endpoint(argc, argv, &cfg.alertmanager,
	    &cfg.am_token_file, &cfg.am_ca, &cfg.am_basic_file, cause);
}

/* query pod|node METRIC "PROMQL": a scope and metric seen before is
 * replaced. */
static int
config_cmd_query(int argc, char **argv, void *arg, char **cause)
{
	struct config_query *q = NULL;
	char		*clean;
	int		 i;

	if (strcmp(argv[1], "pod") != 0 && strcmp(argv[1], "node") != 0) {
		clean = sanitize(argv[1]);
		xasprintf(cause, "query: scope \"%s\" is not pod or node",
		    clean);
		free(clean);
		return -1;
	}
	if (config_check_name(argv[2]) != 0) {
		clean = sanitize(argv[2]);
		xasprintf(cause, "query: bad metric name \"%s\"", clean);
		free(clean);
		return -1;
	}
	if (argv[3][0] == '\0') {
		xasprintf(cause, "query: empty PromQL for %s %s", argv[1],
		    argv[2]);
		return -1;
	}
	for (i = 0; i < cfg.nqueries; i++) {
		q = &cfg.queries[i];
		if (strcmp(q->scope, argv[1]) == 0 &&
		    strcmp(q->metric, argv[2]) == 0)
			break;
	}
	if (i == cfg.nqueries) {
		cfg.queries = xreallocarray(cfg.queries, cfg.nqueries + 1,
		    sizeof *cfg.queries);
		q = &cfg.queries[cfg.nqueries++];
		q->scope = xstrdup(argv[1]);
		q->metric = xstrdup(argv[2]);
		q->promql = NULL;
	}
	xstrset(&q->promql, argv[3]);
	return 0;
}

char *
config_query(const char *scope, const char *metric)
{
	const struct config_query *q = NULL;
	const char	*p, *at;
	char		 range[32], *out, *s;
	int		 i;

	for (i = 0; i < cfg.nqueries; i++) {
		if (strcmp(cfg.queries[i].scope, scope) == 0 &&
		    strcmp(cfg.queries[i].metric, metric) == 0)
			q = &cfg.queries[i];
	}
	if (q == NULL)
		return NULL;
	snprintf(range, sizeof range, "%lds", (long)(cfg.prom_range + 0.5));
	out = xstrdup("");
	for (p = q->promql; (at = strstr(p, "$range")) != NULL; p = at + 6) {
		xasprintf(&s, "%s%.*s%s", out, (int)(at - p), p, range);
		free(out);
		out = s;
	}
	xasprintf(&s, "%s%s", out, p);
	free(out);
	return s;
}

const struct config_threshold *
config_threshold(const char *metric)
{
	int	 i;

	for (i = 0; i < cfg.nthresholds; i++)
		if (strcmp(cfg.thresholds[i].metric, metric) == 0)
			return &cfg.thresholds[i];
	return NULL;
}

/*
 * postgres CONNINFO: key=value pairs or a postgres:// URI. libpq checks
 * the rest; the conninfo is never echoed (it may hold a password).
 */
static int
config_cmd_postgres(int argc, char **argv, void *arg, char **cause)
{
	const char	*s = argv[1];

	if (strncmp(s, "postgresql://", 13) != 0 &&
	    strncmp(s, "postgres://", 11) != 0 && strchr(s, '=') == NULL) {
		xasprintf(cause, "postgres: expected \"key=value ...\" "
		    "(host=... dbname=...) or a postgresql:// URI");
		return -1;
	}
	xstrset(&cfg.postgres, s);
	return 0;
}

/* redis redis://HOST[:PORT][/DB] or redis /PATH/TO/SOCKET */
static int
config_cmd_redis(int argc, char **argv, void *arg, char **cause)
{
	const char	*s = argv[1];

	if (strncasecmp(s, "redis://", 8) == 0) {
		if (s[8] == '\0' || s[8] == '/') {
			xasprintf(cause, "redis: URL has no host");
			return -1;
		}
	} else if (s[0] != '/' || s[1] == '\0') {
		xasprintf(cause, "redis: expected a redis:// URL or the "
		    "absolute path of a unix socket");
		return -1;
	}
	if (config_check_printable(s) != 0) {
		xasprintf(cause, "redis: URL contains a space or control "
		    "character");
		return -1;
	}
	xstrset(&cfg.redis, s);
	return 0;
}

/* health NAME URL: a name seen before gets the new URL. */
static int
config_cmd_health(int argc, char **argv, void *arg, char **cause)
{
	struct config_health	*h;
	char			*clean;
	int			 i;

	if (config_check_name(argv[1]) != 0) {
		clean = sanitize(argv[1]);
		xasprintf(cause, "health: bad name \"%s\" (use letters, "
		    "digits, '_', '.' and '-')", clean);
		free(clean);
		return -1;
	}
	if (config_check_url(argv[0], argv[2], cause) != 0)
		return -1;
	for (i = 0; i < cfg.nhealth; i++) {
		if (strcmp(cfg.health[i].name, argv[1]) == 0) {
			xstrset(&cfg.health[i].url, argv[2]);
			return 0;
		}
	}
	cfg.health = xreallocarray(cfg.health, cfg.nhealth + 1,
	    sizeof *cfg.health);
	h = &cfg.health[cfg.nhealth++];
	h->name = xstrdup(argv[1]);
	h->url = xstrdup(argv[2]);
	return 0;
}

/* One "warn=N" or "crit=N" argument; N is a percentage, "%" allowed. */
static int
config_threshold_value(const char *arg, const char *key, double *v,
    char **cause)
{
	const char	*s = arg + strlen(key) + 1, *end;
	char		*clean;

	*v = config_number(s, &end);
	if (*end == '%')
		end++;
	if (*v < 0 || *end != '\0') {
		clean = sanitize(s);
		xasprintf(cause, "threshold: %s \"%s\" is not a number", key,
		    clean);
		free(clean);
		return -1;
	}
	if (*v > 100) {
		xasprintf(cause, "threshold: %s (%g) must be between 0 and "
		    "100", key, *v);
		return -1;
	}
	return 0;
}

/* threshold METRIC warn=N crit=N: a metric seen before is replaced. */
static int
config_cmd_threshold(int argc, char **argv, void *arg, char **cause)
{
	struct config_threshold	*t;
	double			 warn = -1, crit = -1;
	char			*clean;
	int			 i;

	if (config_check_name(argv[1]) != 0) {
		clean = sanitize(argv[1]);
		xasprintf(cause, "threshold: bad metric name \"%s\"", clean);
		free(clean);
		return -1;
	}
	for (i = 2; i < argc; i++) {
		if (strncmp(argv[i], "warn=", 5) == 0 && warn < 0) {
			if (config_threshold_value(argv[i], "warn", &warn,
			    cause) != 0)
				return -1;
		} else if (strncmp(argv[i], "crit=", 5) == 0 && crit < 0) {
			if (config_threshold_value(argv[i], "crit", &crit,
			    cause) != 0)
				return -1;
		} else {
			clean = sanitize(argv[i]);
			xasprintf(cause, "threshold: expected warn=N and "
			    "crit=N once each, not \"%s\"", clean);
			free(clean);
			return -1;
		}
	}
	if (warn >= crit) {
		xasprintf(cause, "threshold: warn (%g) must be below crit "
		    "(%g)", warn, crit);
		return -1;
	}
	for (i = 0; i < cfg.nthresholds; i++) {
		if (strcmp(cfg.thresholds[i].metric, argv[1]) == 0)
			break;
	}
	if (i == cfg.nthresholds) {
		cfg.thresholds = xreallocarray(cfg.thresholds,
		    cfg.nthresholds + 1, sizeof *cfg.thresholds);
		t = &cfg.thresholds[cfg.nthresholds++];
		t->metric = xstrdup(argv[1]);
	} else
		t = &cfg.thresholds[i];
	t->warn = warn;
	t->crit = crit;
	return 0;
}

/* degrade PROFILE NAME=VALUE...: a profile seen before is replaced. */
static int
config_cmd_degrade(int argc, char **argv, void *arg, char **cause)
{
	struct config_degrade	*d;
	const char		*eq;
	char			**env, *clean;
	int			 i, j;

	if (config_check_name(argv[1]) != 0) {
		clean = sanitize(argv[1]);
		xasprintf(cause, "degrade: bad profile name \"%s\" (use "
		    "letters, digits, '_', '.' and '-')", clean);
		free(clean);
		return -1;
	}
	for (i = 2; i < argc; i++) {
		clean = sanitize(argv[i]);
		if ((eq = strchr(argv[i], '=')) == NULL) {
			xasprintf(cause, "degrade: expected NAME=VALUE, not "
			    "\"%s\"", clean);
			free(clean);
			return -1;
		}
		if (config_check_env(argv[i], eq - argv[i]) != 0) {
			clean[strcspn(clean, "=")] = '\0';
			xasprintf(cause, "degrade: \"%s\" is not a valid "
			    "environment variable name", clean);
			free(clean);
			return -1;
		}
		for (j = 2; j < i; j++) {
			if (strncmp(argv[j], argv[i], eq - argv[i] + 1) == 0) {
				clean[strcspn(clean, "=")] = '\0';
				xasprintf(cause, "degrade: %s is set twice",
				    clean);
				free(clean);
				return -1;
			}
		}
		free(clean);
	}

	env = xcalloc(argc - 1, sizeof *env);
	for (i = 2; i < argc; i++)
		env[i - 2] = xstrdup(argv[i]);
	for (i = 0; i < cfg.ndegrades; i++) {
		if (strcmp(cfg.degrades[i].name, argv[1]) == 0)
			break;
	}
	if (i == cfg.ndegrades) {
		cfg.degrades = xreallocarray(cfg.degrades, cfg.ndegrades + 1,
		    sizeof *cfg.degrades);
		d = &cfg.degrades[cfg.ndegrades++];
		d->name = xstrdup(argv[1]);
	} else {
		d = &cfg.degrades[i];
		config_free_strv(d->env);
	}
	d->env = env;
	return 0;
}

static const struct cmd_entry config_commands[] = {
	{ "set", "set OPTION VALUE", 2, 2, config_set_cmd, NULL },
	{ "prometheus", "prometheus URL [token-file PATH] [ca PATH] "
	    "[basic-auth-file PATH]", 1, 7, config_cmd_prometheus, NULL },
	{ "alertmanager", "alertmanager URL [token-file PATH] [ca PATH] "
	    "[basic-auth-file PATH]", 1, 7, config_cmd_alertmanager, NULL },
	{ "query", "query pod|node METRIC \"PROMQL\"", 3, 3,
	    config_cmd_query, NULL },
	{ "postgres", "postgres \"CONNINFO\"", 1, 1, config_cmd_postgres,
	    NULL },
	{ "redis", "redis URL|SOCKET", 1, 1, config_cmd_redis, NULL },
	{ "health", "health NAME URL", 2, 2, config_cmd_health, NULL },
	{ "threshold", "threshold METRIC warn=N crit=N", 3, 3,
	    config_cmd_threshold, NULL },
	{ "degrade", "degrade PROFILE NAME=VALUE [NAME=VALUE ...]", 2, -1,
	    config_cmd_degrade, NULL },
};

/*
 * Register the config commands with cmdparse and reset cfg to the defaults
 * (anything cfg held is freed first). A bad default is a bug: fatal.
 */
void
config_init(void)
{
	char	*cause;
	size_t	 i;

	config_free();
	for (i = 0; i < nitems(config_commands); i++)
		cmdparse_register(&config_commands[i]);
	if (cmdparse_string(config_defaults, "defaults", &cause) != 0)
		fatal("bad default config: %s", cause);
}

/* Free everything cfg holds and zero it. */
void
config_free(void)
{
	int	 i;

	free(cfg.prometheus);
	free(cfg.prom_token_file);
	free(cfg.prom_ca);
	free(cfg.prom_basic_file);
	free(cfg.alertmanager);
	free(cfg.am_token_file);
	free(cfg.am_ca);
	free(cfg.am_basic_file);
	for (i = 0; i < cfg.nqueries; i++) {
		free(cfg.queries[i].scope);
		free(cfg.queries[i].metric);
		free(cfg.queries[i].promql);
	}
	free(cfg.queries);
	free(cfg.postgres);
	free(cfg.redis);
	for (i = 0; i < cfg.nhealth; i++) {
		free(cfg.health[i].name);
		free(cfg.health[i].url);
	}
	free(cfg.health);
	for (i = 0; i < cfg.nthresholds; i++)
		free(cfg.thresholds[i].metric);
	free(cfg.thresholds);
	for (i = 0; i < cfg.ndegrades; i++) {
		free(cfg.degrades[i].name);
		config_free_strv(cfg.degrades[i].env);
	}
	free(cfg.degrades);
	free(cfg.theme);
	free(cfg.keymap);
	config_free_strv(cfg.protected_contexts);
	config_free_strv(cfg.read_only_contexts);
	memset(&cfg, 0, sizeof cfg);
}
