/* snapshot.c: the model as JSON, in the schema DESIGN.md promises scripts:
 * field names may grow, never change. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jtext.h"
#include "model.h"
#include "snapshot.h"
#include "warroom.h"

static int
snapshot_cmp_names(const char *ns1, const char *n1, const char *ns2,
    const char *n2)
{
	int	 c;

	if ((c = strcmp(ns1, ns2)) != 0)
		return c;
	return strcmp(n1, n2);
}

static int
snapshot_cmp_pods(const void *a, const void *b)
{
	const struct kube_pod *x = *(const struct kube_pod *const *)a;
	const struct kube_pod *y = *(const struct kube_pod *const *)b;

	return snapshot_cmp_names(x->ns, x->name, y->ns, y->name);
}

static int
snapshot_cmp_deploys(const void *a, const void *b)
{
	const struct kube_deploy *x = *(const struct kube_deploy *const *)a;
	const struct kube_deploy *y = *(const struct kube_deploy *const *)b;

	return snapshot_cmp_names(x->ns, x->name, y->ns, y->name);
}

static json_t *
snapshot_str(const char *s)
{
	return s != NULL ? jtext(s) : json_null();
}

static long
snapshot_age(time_t created, time_t now)
{
	if (created == 0)
		return -1;
	return now > created ? (long)(now - created) : 0;
}

static json_t *
snapshot_sources(const struct model *m, time_t now)
{
	json_t	*o = json_object(), *s;
	long	 age;
	int	 i;

	for (i = 0; i < SOURCE__COUNT; i++) {
		const struct source_status *st = &m->sources[i];

		if (st->state == SOURCE_OFF)
			continue;
		s = json_object();
		json_object_set_new(s, "state",
		    jtext(model_source_state_name(st->state)));
		json_object_set_new(s, "error", snapshot_str(st->error));
		age = model_source_age(m, i, now);
		json_object_set_new(s, "age_s",
		    age < 0 ? json_null() : json_integer(age));
		json_object_set_new(o, model_source_name(i), s);
	}
	if (m->kube_none) {
		s = json_object();
		json_object_set_new(s, "state", json_string("not configured"));
		json_object_set_new(s, "error", json_null());
		json_object_set_new(s, "age_s", json_null());
		json_object_set_new(o, model_source_name(SOURCE_KUBE), s);
	}
	return o;
}

static json_t *
snapshot_pod(const struct model *m, const struct kube_pod *pod, time_t now)
{
	json_t	*p = json_object();

		json_object_set_new(p, "namespace", snapshot_str(pod->ns));
		json_object_set_new(p, "name", snapshot_str(pod->name));
		json_object_set_new(p, "ready", snapshot_str(pod->ready));
		json_object_set_new(p, "status", snapshot_str(pod->status));
		json_object_set_new(p, "restarts",
		    json_integer(pod->restart_count));
		json_object_set_new(p, "restarts_text",
		    snapshot_str(pod->restarts));
		json_object_set_new(p, "node", snapshot_str(pod->node));
		json_object_set_new(p, "age_s",
		    json_integer(snapshot_age(pod->created, now)));
		json_object_set_new(p, "deployment",
		    snapshot_str(model_pod_deploy(m, pod)));
		json_object_set_new(p, "problem", json_boolean(pod->problem));
		return p;
}

static json_t *
snapshot_deploy(const struct kube_deploy *dp)
{
	json_t	*d = json_object();

		json_object_set_new(d, "namespace", snapshot_str(dp->ns));
		json_object_set_new(d, "name", snapshot_str(dp->name));
		json_object_set_new(d, "desired", json_integer(dp->desired));
		json_object_set_new(d, "updated", json_integer(dp->updated));
		json_object_set_new(d, "ready", json_integer(dp->ready));
		json_object_set_new(d, "available",
		    json_integer(dp->available));
		json_object_set_new(d, "revision", json_integer(dp->revision));
		json_object_set_new(d, "paused", json_boolean(dp->paused));
		json_object_set_new(d, "images", snapshot_str(dp->images));
		return d;
}

/* Write key: value where value is a new reference (stolen). */
static int
snapshot_put(FILE *f, const char *key, json_t *value, int first)
{
	int	 rc;

	fprintf(f, "%s\n  \"%s\": ", first ? "" : ",", key);
	rc = json_dumpf(value, f, JSON_COMPACT | JSON_ENSURE_ASCII | JSON_ENCODE_ANY);
	json_decref(value);
	return rc;
}

/* A sorted table as a JSON array, one element per line. */
static int
snapshot_put_items(FILE *f, const char *key, const struct model *m,
    const struct table *t, time_t now)
{
	void		**v;
	size_t		  n, i;
	json_t		 *item;
	int		  rc = 0;

	fprintf(f, ",\n  \"%s\": [", key);
	v = table_values(t, &n);
	qsort(v, n, sizeof *v, t == &m->pods ? snapshot_cmp_pods :
	    snapshot_cmp_deploys);
	for (i = 0; i < n && rc == 0; i++) {
		fputs(i == 0 ? "\n    " : ",\n    ", f);
		if (t == &m->pods)
			item = snapshot_pod(m, v[i], now);
		else
			item = snapshot_deploy(v[i]);
		rc = json_dumpf(item, f, JSON_COMPACT | JSON_ENSURE_ASCII | JSON_ENCODE_ANY);
		json_decref(item);
	}
	free(v);
	fputs(n > 0 ? "\n  ]" : "]", f);
	return rc;
}

static json_t *
snapshot_num(double v)
{
	return isfinite(v) ? json_real(v) : json_null();
}

static int
snapshot_cmp_res(const void *a, const void *b)
{
	const struct res_row *x = *(const struct res_row *const *)a;
	const struct res_row *y = *(const struct res_row *const *)b;

	return snapshot_cmp_names(x->ns != NULL ? x->ns : "", x->name,
	    y->ns != NULL ? y->ns : "", y->name);
}

/* Resource use, pods then nodes: each metric's percent and level. */
static json_t *
snapshot_resources(const struct model *m)
{
	json_t		*a = json_array(), *o, *v;
	void		**rows;
	const struct res_row *r;
	size_t		 n, i;
	int		 sc, k, level;
	static const char *const levels[] = { "ok", "warn", "critical" };

	for (sc = 0; sc < RES_SCOPE__COUNT; sc++) {
		rows = table_values(&m->res[sc], &n);
		qsort(rows, n, sizeof *rows, snapshot_cmp_res);
		for (i = 0; i < n; i++) {
			r = rows[i];
			o = json_object();
			json_object_set_new(o, "scope",
			    jtext(model_res_scope_name(sc)));
			json_object_set_new(o, "namespace", snapshot_str(r->ns));
			json_object_set_new(o, "name", snapshot_str(r->name));
			level = 0;
			for (k = 0; k < RES__COUNT; k++) {
				v = json_object();
				json_object_set_new(v, "percent",
				    snapshot_num(r->value[k]));
				json_object_set_new(v, "level", jtext(
				    levels[model_res_level(k, r->value[k])]));
				if (model_res_level(k, r->value[k]) > level)
					level = model_res_level(k, r->value[k]);
				json_object_set_new(o, model_res_metric_name(k),
				    v);
			}
			json_object_set_new(o, "level", jtext(levels[level]));
			json_array_append_new(a, o);
		}
		free(rows);
	}
	return a;
}

/* Each query's error, "pod cpu": "bad_data: ...". */
static json_t *
snapshot_res_errors(const struct model *m)
{
	json_t	*o = json_object();
	char	 key[64];
	int	 sc, k;

	for (sc = 0; sc < RES_SCOPE__COUNT; sc++)
		for (k = 0; k < RES__COUNT; k++) {
			if (m->res_error[sc][k] == NULL)
				continue;
			snprintf(key, sizeof key, "%s %s",
			    model_res_scope_name(sc), model_res_metric_name(k));
			json_object_set_new(o, key,
			    jtext(m->res_error[sc][k]));
		}
	return o;
}

static json_t *
snapshot_alerts(const struct model *m, time_t now)
{
	json_t		*a = json_array(), *o, *l;
	const struct model_alert *al;
	int		 i, j;

	for (i = 0; i < m->nalerts; i++) {
		al = &m->alerts[i];
		o = json_object();
		json_object_set_new(o, "name", snapshot_str(al->name));
		json_object_set_new(o, "severity", snapshot_str(al->severity));
		json_object_set_new(o, "state", snapshot_str(al->state));
		json_object_set_new(o, "silenced_by",
		    snapshot_str(al->silenced_by));
		json_object_set_new(o, "silences",
		    snapshot_str(al->silence_ids));
		json_object_set_new(o, "inhibited_by",
		    snapshot_str(al->inhibited_by));
		json_object_set_new(o, "summary", snapshot_str(al->summary));
		json_object_set_new(o, "description",
		    snapshot_str(al->description));
		json_object_set_new(o, "age_s",
		    json_integer(snapshot_age(al->starts_at, now)));
		json_object_set_new(o, "fingerprint",
		    snapshot_str(al->fingerprint));
		l = json_object();
		for (j = 0; j < al->nl; j++)
			json_object_set_new(l, al->lk[j], jtext(al->lv[j]));
		json_object_set_new(o, "labels", l);
		json_array_append_new(a, o);
	}
	return a;
}

static json_t *
snapshot_rules(const struct model *m)
{
	json_t		*a = json_array(), *o;
	const struct model_rule *r;
	int		 i;

	for (i = 0; i < m->nrules; i++) {
		r = &m->rules[i];
		o = json_object();
		json_object_set_new(o, "name", snapshot_str(r->name));
		json_object_set_new(o, "group", snapshot_str(r->group));
		json_object_set_new(o, "state", snapshot_str(r->state));
		json_object_set_new(o, "severity", snapshot_str(r->severity));
		json_object_set_new(o, "active", json_integer(r->nactive));
		json_object_set_new(o, "health", snapshot_str(r->health));
		json_object_set_new(o, "last_error",
		    snapshot_str(r->last_error));
		json_array_append_new(a, o);
	}
	return a;
}

static json_t *
snapshot_postgres(const struct model *m)
{
	const struct model_db *db = &m->db;
	json_t		*o = json_object(), *a, *x;
	int		 i;

	json_object_set_new(o, "version", json_integer(db->pg_version));
	json_object_set_new(o, "connections", json_integer(db->pg_conns));
	json_object_set_new(o, "max_connections",
	    json_integer(db->pg_max_conns));
	json_object_set_new(o, "statements_error",
	    snapshot_str(db->stmts_error));
	a = json_array();
	for (i = 0; i < db->nstmts && i < 50; i++) {
		const struct pg_stmt *st = &db->stmts[i];

		x = json_object();
		json_object_set_new(x, "queryid", snapshot_str(st->queryid));
		json_object_set_new(x, "user", snapshot_str(st->user));
		json_object_set_new(x, "database", snapshot_str(st->db));
		json_object_set_new(x, "calls", snapshot_num(st->calls));
		json_object_set_new(x, "total_ms", snapshot_num(st->total_ms));
		json_object_set_new(x, "mean_ms", snapshot_num(st->mean_ms));
		json_object_set_new(x, "max_ms", snapshot_num(st->max_ms));
		json_object_set_new(x, "rows", snapshot_num(st->rows));
		json_object_set_new(x, "recent_calls",
		    snapshot_num(st->d_calls));
		json_object_set_new(x, "recent_total_ms",
		    snapshot_num(st->d_total_ms));
		json_object_set_new(x, "recent_mean_ms",
		    snapshot_num(st->d_mean_ms));
		json_object_set_new(x, "query", snapshot_str(st->query));
		json_array_append_new(a, x);
	}
	json_object_set_new(o, "statements", a);
	json_object_set_new(o, "sessions_error",
	    snapshot_str(db->sessions_error));
	a = json_array();
	for (i = 0; i < db->nsessions; i++) {
		const struct pg_session *se = &db->sessions[i];

		x = json_object();
		json_object_set_new(x, "pid", json_integer(se->pid));
		json_object_set_new(x, "user", snapshot_str(se->user));
		json_object_set_new(x, "application", snapshot_str(se->app));
		json_object_set_new(x, "client", snapshot_str(se->client));
		json_object_set_new(x, "state", snapshot_str(se->state));
		json_object_set_new(x, "wait", snapshot_str(se->wait));
		json_object_set_new(x, "xact_age_s", snapshot_num(se->xact_s));
		json_object_set_new(x, "query_age_s",
		    snapshot_num(se->query_s));
		json_object_set_new(x, "state_age_s",
		    snapshot_num(se->state_s));
		json_object_set_new(x, "query", snapshot_str(se->query));
		json_object_set_new(x, "blocked_by",
		    snapshot_str(se->blocked_by));
		json_object_set_new(x, "blocking", json_boolean(se->blocking));
		json_array_append_new(a, x);
	}
	json_object_set_new(o, "sessions", a);
	return o;
}

static json_t *
snapshot_redis(const struct model *m)
{
	const struct model_db *db = &m->db;
	json_t		*o = json_object(), *a, *x;
	int		 i;

	json_object_set_new(o, "used_memory", json_integer(db->redis_used));
	json_object_set_new(o, "maxmemory", json_integer(db->redis_max));
	json_object_set_new(o, "memory_percent", db->redis_max > 0 ?
	    json_real(100.0 * (double)db->redis_used / (double)db->redis_max) :
	    json_null());
	json_object_set_new(o, "used_memory_rss", json_integer(db->redis_rss));
	json_object_set_new(o, "hit_ratio", db->redis_hit >= 0 ?
	    json_real(db->redis_hit) : json_null());
	json_object_set_new(o, "clients", json_integer(db->redis_clients));
	json_object_set_new(o, "policy", snapshot_str(db->redis_policy));
	json_object_set_new(o, "error", snapshot_str(db->redis_error));
	a = json_array();
	for (i = 0; i < db->nslow; i++) {
		x = json_object();
		json_object_set_new(x, "id", json_integer(db->slow[i].id));
		json_object_set_new(x, "time", json_integer(db->slow[i].when));
		json_object_set_new(x, "duration_us",
		    json_integer(db->slow[i].micros));
		json_object_set_new(x, "command",
		    snapshot_str(db->slow[i].command));
		json_object_set_new(x, "client",
		    snapshot_str(db->slow[i].client));
		json_object_set_new(x, "client_name",
		    snapshot_str(db->slow[i].name));
		json_array_append_new(a, x);
	}
	json_object_set_new(o, "slowlog", a);
	return o;
}

/* The slow statements of every database source in one list, as the
 * manual names it: PostgreSQL's in the order of its panel, then Redis's
 * slowlog (newest first), each entry one call. */
static json_t *
snapshot_slow_queries(const struct model *m)
{
	const struct model_db *db = &m->db;
	json_t		*a = json_array(), *x;
	double		 ms;
	int		 i;

	for (i = 0; m->sources[SOURCE_PG].state != SOURCE_OFF &&
	    i < db->nstmts && i < 50; i++) {
		x = json_object();
		json_object_set_new(x, "source", json_string("postgres"));
		json_object_set_new(x, "query",
		    snapshot_str(db->stmts[i].query));
		json_object_set_new(x, "calls",
		    snapshot_num(db->stmts[i].calls));
		json_object_set_new(x, "mean_ms",
		    snapshot_num(db->stmts[i].mean_ms));
		json_object_set_new(x, "total_ms",
		    snapshot_num(db->stmts[i].total_ms));
		json_array_append_new(a, x);
	}
	for (i = 0; m->sources[SOURCE_REDIS].state != SOURCE_OFF &&
	    i < db->nslow; i++) {
		ms = (double)db->slow[i].micros / 1000.0;
		x = json_object();
		json_object_set_new(x, "source", json_string("redis"));
		json_object_set_new(x, "query",
		    snapshot_str(db->slow[i].command));
		json_object_set_new(x, "calls", json_integer(1));
		json_object_set_new(x, "mean_ms", snapshot_num(ms));
		json_object_set_new(x, "total_ms", snapshot_num(ms));
		json_array_append_new(a, x);
	}
	return a;
}

static json_t *
snapshot_health(const struct model *m, time_t now)
{
	json_t		*a = json_array(), *x;
	const struct health_check *h;
	int		 i;

	for (i = 0; i < m->db.nchecks; i++) {
		h = &m->db.checks[i];
		x = json_object();
		json_object_set_new(x, "name", snapshot_str(h->name));
		json_object_set_new(x, "kind", snapshot_str(h->kind));
		json_object_set_new(x, "up", h->up < 0 ? json_null() :
		    json_boolean(h->up));
		json_object_set_new(x, "latency_ms", h->latency_ms >= 0 &&
		    h->up == 1 ? json_integer(h->latency_ms) : json_null());
		json_object_set_new(x, "error", snapshot_str(h->error));
		json_object_set_new(x, "since_s", h->since != 0 ?
		    json_integer(snapshot_age(h->since, now)) : json_null());
		json_array_append_new(a, x);
	}
	return a;
}

int
snapshot_write(FILE *f, const struct model *m, time_t now)
{
	int	 rc = 0;

	fputc('{', f);
	rc |= snapshot_put(f, "context", snapshot_str(m->context), 1);
	rc |= snapshot_put(f, "namespace", snapshot_str(m->namespace), 0);
	rc |= snapshot_put(f, "sources", snapshot_sources(m, now), 0);
	rc |= snapshot_put_items(f, "pods", m, &m->pods, now);
	rc |= snapshot_put_items(f, "deployments", m, &m->deploys, now);
	if (m->sources[SOURCE_PROM].state != SOURCE_OFF) {
		rc |= snapshot_put(f, "resources", snapshot_resources(m), 0);
		rc |= snapshot_put(f, "resource_errors", snapshot_res_errors(m),
		    0);
		rc |= snapshot_put(f, "rules", snapshot_rules(m), 0);
	}
	if (m->sources[SOURCE_ALERTS].state != SOURCE_OFF)
		rc |= snapshot_put(f, "alerts", snapshot_alerts(m, now), 0);
	if (m->sources[SOURCE_PG].state != SOURCE_OFF)
		rc |= snapshot_put(f, "postgres", snapshot_postgres(m), 0);
	if (m->sources[SOURCE_REDIS].state != SOURCE_OFF)
		rc |= snapshot_put(f, "redis", snapshot_redis(m), 0);
	if (m->sources[SOURCE_PG].state != SOURCE_OFF ||
	    m->sources[SOURCE_REDIS].state != SOURCE_OFF)
		rc |= snapshot_put(f, "slow_queries",
		    snapshot_slow_queries(m), 0);
	if (m->db.nchecks > 0)
		rc |= snapshot_put(f, "health", snapshot_health(m, now), 0);
	fputs("\n}\n", f);
	if (rc != 0 || ferror(f) || fflush(f) != 0)
		return -1;
	return 0;
}
