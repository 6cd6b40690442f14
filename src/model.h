/* model.h: the state store. Sources write it and mark it dirty; panels only
 * read it. Remote failure is data here: every source has a status. */
#ifndef WARROOM_MODEL_H
#define WARROOM_MODEL_H

#include <time.h>

#include "table.h"

enum source_id {
	SOURCE_KUBE,
	SOURCE_PROM,
	SOURCE_ALERTS,
	SOURCE_PG,
	SOURCE_REDIS,
	SOURCE_HEALTH,
	SOURCE__COUNT
};

enum source_state {
	SOURCE_OFF,		/* not configured */
	SOURCE_INIT,		/* configured, no answer yet */
	SOURCE_OK,		/* answering; data is current */
	SOURCE_STALE,		/* last attempt failed; showing older data */
	SOURCE_DOWN		/* failing for a while, or never answered */
};

struct source_status {
	enum source_state state;
	char		*error;		/* last error text, sanitized, or NULL */
	time_t		 since;		/* when state last changed (wall) */
	time_t		 last_ok;	/* last successful update (wall), 0 never */
	int		 live;		/* a watch stream is open: age is 0 */
	unsigned	 failures;	/* consecutive failed attempts */
};

/* Dirty bits: which parts of the screen must be redrawn. */
#define DIRTY_PODS	0x01u
#define DIRTY_DEPLOYS	0x02u
#define DIRTY_STATUS	0x04u
#define DIRTY_LOG	0x08u
#define DIRTY_ACTIONS	0x10u
#define DIRTY_RES	0x20u		/* resource use */
#define DIRTY_ALERTS	0x40u		/* alerts and rules */
#define DIRTY_DB	0x80u		/* databases and health */
#define DIRTY_ALL	(DIRTY_PODS | DIRTY_DEPLOYS | DIRTY_STATUS | \
			 DIRTY_ACTIONS | DIRTY_RES | DIRTY_ALERTS | DIRTY_DB)

struct kube_pod {
	char		*ns;
	char		*name;
	char		*uid;
	char		*ready;		/* READY as printed, "1/2" */
	char		*status;	/* STATUS exactly as kubectl prints it */
	char		*restarts;	/* RESTARTS as printed, "7" or "7 (5m ago)" */
	int		 restart_count;	/* leading number of restarts */
	char		*node;		/* NODE, NULL if unscheduled */
	char		*ip;
	char		*owner_rs;	/* controlling ReplicaSet, or NULL */
	char		*owner_kind;	/* kind of the controller, or NULL */
	char		*deploy;	/* Deployment behind owner_rs, once known */
	time_t		 created;
	int		 problem;	/* not Running+ready, or restarting */
};

struct kube_deploy {
	char		*ns;
	char		*name;
	char		*uid;
	char		*rv;		/* resourceVersion */
	int		 desired;	/* spec.replicas */
	int		 current;	/* status.replicas */
	int		 updated;
	int		 ready;
	int		 available;
	long		 revision;	/* deployment.kubernetes.io/revision */
	long		 generation;
	long		 observed_generation;
	int		 paused;
	char		*images;	/* comma-separated container images */
	char		*selector;	/* label selector as a query string */
	char		*progress_reason; /* Progressing condition reason */
	time_t		 created;
};

struct kube_rs {
	char		*ns;
	char		*name;
	char		*uid;
	char		*owner_deploy;	/* controlling Deployment name or NULL */
	char		*owner_uid;
	long		 revision;
	int		 desired;
	int		 ready;
	char		*images;
	char		*change_cause;
	time_t		 created;
};

struct kube_hpa {
	char		*ns;
	char		*name;
	char		*target_kind;
	char		*target_name;
	int		 min;
	int		 max;
	int		 current;
	int		 desired;
	int		 target_cpu;	/* percent, 0: none */
	int		 current_cpu;
	time_t		 created;
};

/* Resource use from Prometheus, in percent (of a pod's limits, of a node),
 * with a short history for the sparklines. */
enum res_metric {
	RES_CPU,
	RES_MEMORY,
	RES_DISK,
	RES_NETWORK,
	RES__COUNT
};

enum res_scope {
	RES_POD,
	RES_NODE,
	RES_SCOPE__COUNT
};

#define RES_HIST	24		/* samples kept per metric */

struct res_row {
	enum res_scope	 scope;
	char		*ns;		/* pods only */
	char		*name;		/* pod, or node instance */
	double		 value[RES__COUNT];	/* NaN: no value */
	float		 hist[RES__COUNT][RES_HIST]; /* oldest first */
	int		 nhist[RES__COUNT];
	unsigned long	 seen;		/* the poll that last named it */
	unsigned long	 seen_m[RES__COUNT]; /* ... in each metric's answer */
};

/* A firing alert from Alertmanager, as the alerts panel shows it. */
struct model_alert {
	char		*fingerprint;
	char		*name;		/* alertname */
	char		*severity;	/* or NULL */
	int		 level;		/* 2 critical, 1 warning, 0 other */
	char		*state;		/* active, suppressed, unprocessed */
	char		*silenced_by;	/* "by WHO until HH:MM: COMMENT", or
					 * NULL */
	char		*silence_ids;	/* space-separated, or NULL */
	char		*inhibited_by;	/* the inhibiting alerts' names */
	char		*summary;
	char		*description;
	char		*labels;	/* "k=v k=v": the labels that matter */
	char		**lk, **lv;	/* every label, for a silence */
	int		 nl;
	char		*ns, *pod, *deployment, *service; /* what it names */
	time_t		 starts_at;
};

/* An alerting rule's state from Prometheus (/api/v1/rules). */
struct model_rule {
	char		*group;
	char		*name;
	char		*state;		/* firing, pending, inactive */
	char		*health;
	char		*last_error;
	char		*severity;
	int		 nactive;
	double		 duration;	/* for:, seconds */
	time_t		 active_since;
};

/* PostgreSQL: a statement of pg_stat_statements, with what it did since
 * the previous poll as well as since the statistics were reset. */
struct pg_stmt {
	char		*queryid;	/* signed 64-bit, as text */
	char		*user;
	char		*db;
	char		*query;		/* normalized text ($1), one line, cut */
	char		*query_text;	/* the same whole, newlines kept, for
					 * copying; NULL if it was too long */
	double		 calls;
	double		 total_ms;
	double		 mean_ms;
	double		 max_ms;
	double		 rows;
	double		 d_calls;	/* since the previous poll */
	double		 d_total_ms;
	double		 d_mean_ms;	/* d_total_ms / d_calls, 0 if none */
};

/* A client session of pg_stat_activity worth a look: running long, idle
 * in a transaction, waiting or blocking. */
struct pg_session {
	int		 pid;
	char		 pid_s[16];	/* the same, as text */
	char		*user;
	char		*app;
	char		*client;
	char		*state;		/* active, idle in transaction, ... */
	char		*wait;		/* "Lock:transactionid", or NULL */
	double		 xact_s;	/* age of the transaction, -1 none */
	double		 query_s;
	double		 state_s;	/* since the state changed */
	char		*query;
	char		*blocked_by;	/* pids, "123 456", or NULL */
	int		 blocking;	/* others wait for it */
};

/* A SLOWLOG entry. */
struct redis_slow {
	long long	 id;
	time_t		 when;
	long long	 micros;
	char		*command;	/* argv joined by spaces, raw */
	char		*client;	/* "ip:port" */
	char		*name;		/* client name, or NULL */
};

/* A health endpoint or a database, probed on a timer. */
struct health_check {
	char		*name;
	char		*kind;		/* "http", "postgres", "redis" */
	int		 up;		/* 1 up, 0 down, -1 not probed yet */
	long		 latency_ms;
	char		*error;		/* last error, or NULL */
	time_t		 since;		/* when up last changed */
	time_t		 checked;
};

struct model_db {
	/* PostgreSQL */
	int		 pg_version;	/* server_version_num, 0 unknown */
	int		 pg_conns;	/* client sessions */
	int		 pg_max_conns;
	struct pg_stmt	*stmts;		/* by mean time, slowest first */
	int		 nstmts;
	char		*stmts_error;	/* why there are none (extension,
					 * privilege), or NULL */
	struct pg_session *sessions;	/* longest first */
	int		 nsessions;
	char		*sessions_error;
	/* Redis */
	struct redis_slow *slow;	/* newest first */
	int		 nslow;
	long long	 redis_used;	/* used_memory */
	long long	 redis_max;	/* maxmemory, 0: none */
	long long	 redis_rss;
	double		 redis_hit;	/* keyspace hit ratio, -1 unknown */
	long long	 redis_clients;
	char		*redis_policy;
	char		*redis_error;	/* a command refused, or NULL */
	/* Health */
	struct health_check *checks;
	int		 nchecks;
};

/* One action of this session, for the action-log panel: the action layer
 * writes it as the run goes (checking, previewed, waiting, applying,
 * following, then its outcome). */
#define MODEL_ACTIONS_MAX	64	/* the oldest are forgotten */
struct model_action {
	unsigned	 id;		/* 1, 2, ... in this session */
	char		*what;		/* "scale web 3" */
	char		*ns;
	char		*phase;		/* "checking", ..., "done", "failed" */
	char		*line;		/* the latest line said, sanitized */
	int		 line_level;	/* 1: a warning or an error */
	int		 finished;
	int		 rc;		/* 0 done, 1 not */
	time_t		 started;
	double		 t0, t1;	/* monotonic start and end */
};

struct model {
	struct source_status sources[SOURCE__COUNT];
	struct table	 pods;		/* "ns/name" -> struct kube_pod */
	struct table	 deploys;	/* "ns/name" -> struct kube_deploy */
	struct table	 rsets;		/* "ns/name" -> struct kube_rs */
	struct table	 hpas;		/* "ns/name" -> struct kube_hpa */
	char		*context;	/* kubeconfig context in use */
	char		*cluster;	/* its cluster name */
	char		*server;	/* API server URL */
	char		*namespace;	/* NULL = all namespaces */
	char		*identity;	/* Kubernetes user, as known */
	int		 read_only;	/* no action may change the cluster */
	int		 read_only_flag; /* because of --read-only */
	int		 wall;		/* --wall: the war-room screen */
	int		 tls_insecure;	/* kubeconfig skips TLS verification */
	int		 cleartext;	/* credentials go out in clear text */
	int		 kube_none;	/* Kubernetes is not configured: no
					 * kubeconfig, not in a cluster */
	struct table	 res[RES_SCOPE__COUNT];	/* "ns/pod", "instance" ->
						 * struct res_row */
	char		*res_error[RES_SCOPE__COUNT][RES__COUNT];
	unsigned long	 res_poll;	/* polls done */
	struct model_alert *alerts;	/* critical first */
	int		 nalerts;
	struct model_rule *rules;
	int		 nrules;
	struct model_db	 db;
	struct model_action actions[MODEL_ACTIONS_MAX]; /* oldest first */
	int		 nactions;
	unsigned	 next_action;	/* the next id */
	unsigned	 dirty;		/* DIRTY_* bits */
	unsigned long	 generation;	/* bumped on every change */
};

void	 model_init(struct model *);
void	 model_free(struct model *);
void	 model_mark(struct model *, unsigned dirty);

/* Source status transitions; the error text is copied and sanitized. */
void	 model_source_ok(struct model *, enum source_id, int live);
void	 model_source_fail(struct model *, enum source_id, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
void	 model_source_set(struct model *, enum source_id, enum source_state);
/* Once a second: a source failing for long enough turns from STALE to DOWN,
 * and ages on screen move on. */
void	 model_tick(struct model *, time_t now);
/* Seconds since the source's data was current (0 while live), -1 never. */
long	 model_source_age(const struct model *, enum source_id, time_t now);
const char *model_source_name(enum source_id);
const char *model_source_state_name(enum source_state);

/* The action log: a new entry (returns its id); a line said; the phase and,
 * when finished, the outcome. Unknown ids (forgotten) are ignored. */
unsigned model_action_add(struct model *, const char *ns, const char *what);
void	 model_action_say(struct model *, unsigned id, int level,
	    const char *line);
void	 model_action_phase(struct model *, unsigned id, const char *phase,
	    int finished, int rc);
const struct model_action *model_action_get(const struct model *, unsigned);

const char *model_res_metric_name(enum res_metric);
const char *model_res_scope_name(enum res_scope);
/* The row of a pod or node, made if new (values NaN). */
struct res_row *model_res_row(struct model *, enum res_scope, const char *ns,
	    const char *name);
/* A new value: the history moves on. */
void	 model_res_set(struct res_row *, enum res_metric, double v);
/* Threshold level of a value: 0 ok, 1 warn, 2 critical (NaN: 0). */
int	 model_res_level(enum res_metric, double v);
/* Replace the alerts (taken over, sorted: critical first, then by name and
 * start) and the rules. */
void	 model_set_alerts(struct model *, struct model_alert *, int n);
void	 model_set_rules(struct model *, struct model_rule *, int n);
void	 model_alert_clear(struct model_alert *);
/* Replace the statements, sessions or slowlog (taken over). */
void	 model_set_stmts(struct model *, struct pg_stmt *, int n);
void	 model_set_sessions(struct model *, struct pg_session *, int n);
void	 model_set_slow(struct model *, struct redis_slow *, int n);
void	 model_db_error(char **slot, const char *error);
/* The health check of name and kind, made if new. */
struct health_check *model_health(struct model *, const char *name,
	    const char *kind);
/* A probe's result: the time it changed is kept. */
void	 model_health_set(struct model *, struct health_check *, int up,
	    long latency_ms, const char *error);
void	 model_rule_clear(struct model_rule *);

void	 kube_pod_free(void *);
void	 kube_deploy_free(void *);
void	 kube_rs_free(void *);
void	 kube_hpa_free(void *);

/* The Deployment that controls a pod (through its ReplicaSet), or NULL.
 * Uses the pod's cached answer when model_pod_resolve() found one. */
const char *model_pod_deploy(const struct model *, const struct kube_pod *);
/* Find and cache the pod's Deployment (pod->deploy) from the ReplicaSets
 * known now; sources call it as pods and ReplicaSets arrive. */
void	 model_pod_resolve(const struct model *, struct kube_pod *);

#endif
