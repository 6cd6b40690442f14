/* config.h: warroom's settings and sources, filled by config commands
 * (prometheus, alertmanager, postgres, redis, health, threshold, degrade,
 * set). */
#ifndef WARROOM_CONFIG_H
#define WARROOM_CONFIG_H

struct config_health {
	char		*name;
	char		*url;
};

struct config_threshold {
	char		*metric;	/* cpu, memory, disk, network, ... */
	double		 warn;		/* percent */
	double		 crit;
};

struct config_degrade {
	char		*name;		/* profile name */
	char		**env;		/* "NAME=value", NULL-terminated */
};

/* query pod|node METRIC "PROMQL": a resource metric's query, in percent,
 * by (namespace, pod) or by (instance). "$range" in it becomes the rate
 * window (set prom-range). */
struct config_query {
	char		*scope;		/* "pod", "node" */
	char		*metric;
	char		*promql;
};

struct config {
	double		 refresh;	/* seconds between polls (set refresh 2s) */
	char		*prometheus;	/* URLs, or NULL */
	char		*prom_token_file;
	char		*prom_ca;
	char		*prom_basic_file; /* "user:password" in a file */
	char		*alertmanager;
	char		*am_token_file;
	char		*am_ca;
	char		*am_basic_file;
	double		 prom_range;	/* rate window, seconds (5m) */
	double		 wall_cycle;	/* the wall's views take turns, s */
	int		 colours;	/* set colours: 0 auto (terminfo), -1
					 * none, or at most 8, 16, 256 */
	struct config_query *queries;
	int		 nqueries;
	char		*postgres;	/* libpq conninfo (secret parts never shown) */
	char		*redis;
	struct config_health *health;
	int		 nhealth;
	struct config_threshold *thresholds;
	int		 nthresholds;
	struct config_degrade *degrades;
	int		 ndegrades;
	char		*theme;		/* set theme NAME */
	char		*keymap;	/* set keymap NAME */
	int		 read_only;	/* set read-only on */
	char		**protected_contexts; /* set protected-contexts a,b */
	char		**read_only_contexts; /* set read-only-contexts a,b */
};

extern struct config cfg;

/* Register the config commands with cmdparse and set defaults (the manual's
 * thresholds: cpu 70/85, memory 75/90, disk 70/85, network 70/85). */
void	 config_init(void);
void	 config_free(void);
/* The PromQL of a resource metric for a scope, "$range" replaced by the
 * rate window ("5m"). New string, or NULL if there is none. */
char	*config_query(const char *scope, const char *metric);
/* The threshold of a metric, or NULL. */
const struct config_threshold *config_threshold(const char *metric);

/* "2s", "500ms", "1m" to seconds; -1 if invalid. */
double	 config_parse_duration(const char *);
/* The default config path: $XDG_CONFIG_HOME/warroom/config or
 * ~/.config/warroom/config. New string. */
char	*config_default_path(void);

#endif
