/* model.c: the state store and source status bookkeeping. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "model.h"
#include "warroom.h"

/* After this many seconds of failing, STALE becomes DOWN. */
#define MODEL_DOWN_AFTER	10

static void	model_action_clear(struct model_action *);
static void	res_row_free(void *);

static const char *source_names[SOURCE__COUNT] = {
	"kube", "prom", "alerts", "pg", "redis", "health"
};

void
model_init(struct model *m)
{
	int	 i;

	memset(m, 0, sizeof *m);
	table_init(&m->pods, kube_pod_free);
	table_init(&m->deploys, kube_deploy_free);
	table_init(&m->rsets, kube_rs_free);
	table_init(&m->hpas, kube_hpa_free);
	for (i = 0; i < RES_SCOPE__COUNT; i++)
		table_init(&m->res[i], res_row_free);
	m->dirty = DIRTY_ALL;
}

void
model_free(struct model *m)
{
	int	 i, j;

	table_clear(&m->pods);
	table_clear(&m->deploys);
	table_clear(&m->rsets);
	table_clear(&m->hpas);
	for (i = 0; i < RES_SCOPE__COUNT; i++) {
		table_clear(&m->res[i]);
		for (j = 0; j < RES__COUNT; j++)
			free(m->res_error[i][j]);
	}
	model_set_alerts(m, NULL, 0);
	model_set_rules(m, NULL, 0);
	model_set_stmts(m, NULL, 0);
	model_set_sessions(m, NULL, 0);
	model_set_slow(m, NULL, 0);
	free(m->db.stmts_error);
	free(m->db.sessions_error);
	free(m->db.redis_error);
	free(m->db.redis_policy);
	for (i = 0; i < m->db.nchecks; i++) {
		free(m->db.checks[i].name);
		free(m->db.checks[i].kind);
		free(m->db.checks[i].error);
	}
	free(m->db.checks);
	for (i = 0; i < m->nactions; i++)
		model_action_clear(&m->actions[i]);
	for (i = 0; i < SOURCE__COUNT; i++)
		free(m->sources[i].error);
	free(m->context);
	free(m->cluster);
	free(m->server);
	free(m->namespace);
	free(m->identity);
	memset(m, 0, sizeof *m);
}

static void
model_action_clear(struct model_action *a)
{
	free(a->what);
	free(a->ns);
	free(a->phase);
	free(a->line);
	memset(a, 0, sizeof *a);
}

unsigned
model_action_add(struct model *m, const char *ns, const char *what)
{
	struct model_action *a;

	if (m->nactions == MODEL_ACTIONS_MAX) {
		model_action_clear(&m->actions[0]);
		memmove(&m->actions[0], &m->actions[1],
		    (MODEL_ACTIONS_MAX - 1) * sizeof m->actions[0]);
		m->nactions--;
	}
	a = &m->actions[m->nactions++];
	memset(a, 0, sizeof *a);
	a->id = ++m->next_action;
	a->ns = xstrdup(ns);
	a->what = sanitize(what);
	a->phase = xstrdup("checking");
	a->started = now_wall();
	a->t0 = now_mono();
	model_mark(m, DIRTY_ACTIONS);
	return a->id;
}

static struct model_action *
model_action_find(struct model *m, unsigned id)
{
	int	 i;

	for (i = 0; i < m->nactions; i++) {
		if (m->actions[i].id == id)
			return &m->actions[i];
	}
	return NULL;
}

const struct model_action *
model_action_get(const struct model *m, unsigned id)
{
	return model_action_find((struct model *)m, id);
}

void
model_action_say(struct model *m, unsigned id, int level, const char *line)
{
	struct model_action *a;

	if ((a = model_action_find(m, id)) == NULL)
		return;
	free(a->line);
	a->line = sanitize(line);
	a->line_level = level;
	model_mark(m, DIRTY_ACTIONS);
}

void
model_action_phase(struct model *m, unsigned id, const char *phase,
    int finished, int rc)
{
	struct model_action *a;

	if ((a = model_action_find(m, id)) == NULL || a->finished)
		return;
	free(a->phase);
	a->phase = xstrdup(phase);
	if (finished) {
		a->finished = 1;
		a->rc = rc;
		a->t1 = now_mono();
	}
	model_mark(m, DIRTY_ACTIONS);
}

void
model_mark(struct model *m, unsigned dirty)
{
	m->dirty |= dirty;
	m->generation++;
}

void
model_source_set(struct model *m, enum source_id id, enum source_state state)
{
	struct source_status	*s = &m->sources[id];

	if (s->state != state) {
		s->state = state;
		s->since = now_wall();
	}
	model_mark(m, DIRTY_STATUS);
}

void
model_source_ok(struct model *m, enum source_id id, int live)
{
	struct source_status	*s = &m->sources[id];

	free(s->error);
	s->error = NULL;
	s->failures = 0;
	s->live = live;
	s->last_ok = now_wall();
	model_source_set(m, id, SOURCE_OK);
}

void
model_source_fail(struct model *m, enum source_id id, const char *fmt, ...)
{
	struct source_status	*s = &m->sources[id];
	va_list			 ap;
	char			*msg;
	time_t			 now = now_wall();

	va_start(ap, fmt);
	xvasprintf(&msg, fmt, ap);
	va_end(ap);
	free(s->error);
	s->error = sanitize(msg);
	free(msg);
	s->failures++;
	if (s->live) {
		/* The data was current until this moment. */
		s->live = 0;
		s->last_ok = now;
	}
	if (s->last_ok == 0 || now - s->last_ok >= MODEL_DOWN_AFTER)
		model_source_set(m, id, SOURCE_DOWN);
	else
		model_source_set(m, id, SOURCE_STALE);
}

void
model_tick(struct model *m, time_t now)
{
	int	 i;

	for (i = 0; i < SOURCE__COUNT; i++) {
		struct source_status	*s = &m->sources[i];

		if (s->state == SOURCE_STALE &&
		    now - s->last_ok >= MODEL_DOWN_AFTER)
			model_source_set(m, i, SOURCE_DOWN);
		if (s->state == SOURCE_INIT && now - s->since >= MODEL_DOWN_AFTER)
			model_source_set(m, i, SOURCE_DOWN);
	}
	model_mark(m, DIRTY_STATUS);
}

long
model_source_age(const struct model *m, enum source_id id, time_t now)
{
	const struct source_status	*s = &m->sources[id];

	if (s->live && s->state == SOURCE_OK)
		return 0;
	if (s->last_ok == 0)
		return -1;
	return now > s->last_ok ? (long)(now - s->last_ok) : 0;
}

const char *
model_source_name(enum source_id id)
{
	return source_names[id];
}

const char *
model_source_state_name(enum source_state state)
{
	switch (state) {
	case SOURCE_OFF:
		return "off";
	case SOURCE_INIT:
		return "init";
	case SOURCE_OK:
		return "ok";
	case SOURCE_STALE:
		return "stale";
	case SOURCE_DOWN:
		return "down";
	}
	return "?";
}

void
kube_pod_free(void *p)
{
	struct kube_pod	*pod = p;

	if (pod == NULL)
		return;
	free(pod->ns);
	free(pod->name);
	free(pod->uid);
	free(pod->ready);
	free(pod->status);
	free(pod->restarts);
	free(pod->node);
	free(pod->ip);
	free(pod->owner_rs);
	free(pod->owner_kind);
	free(pod->deploy);
	free(pod);
}

void
kube_deploy_free(void *p)
{
	struct kube_deploy	*d = p;

	if (d == NULL)
		return;
	free(d->ns);
	free(d->name);
	free(d->uid);
	free(d->rv);
	free(d->images);
	free(d->selector);
	free(d->progress_reason);
	free(d);
}

void
kube_rs_free(void *p)
{
	struct kube_rs	*rs = p;

	if (rs == NULL)
		return;
	free(rs->ns);
	free(rs->name);
	free(rs->uid);
	free(rs->owner_deploy);
	free(rs->owner_uid);
	free(rs->images);
	free(rs->change_cause);
	free(rs);
}

void
kube_hpa_free(void *p)
{
	struct kube_hpa	*h = p;

	if (h == NULL)
		return;
	free(h->ns);
	free(h->name);
	free(h->target_kind);
	free(h->target_name);
	free(h);
}

const char *
model_pod_deploy(const struct model *m, const struct kube_pod *pod)
{
	const struct kube_rs	*rs;
	char			 key[512];

	if (pod->deploy != NULL)
		return pod->deploy;
	if (pod->owner_rs == NULL)
		return NULL;
	snprintf(key, sizeof key, "%s/%s", pod->ns, pod->owner_rs);
	if ((rs = table_get(&m->rsets, key)) == NULL)
		return NULL;
	return rs->owner_deploy;
}

void
model_pod_resolve(const struct model *m, struct kube_pod *pod)
{
	const char	*d;

	if (pod->deploy != NULL)
		return;
	if ((d = model_pod_deploy(m, pod)) != NULL)
		pod->deploy = xstrdup(d);
}

/* Resource use. */

static const char *res_metric_names[RES__COUNT] = {
	"cpu", "memory", "disk", "network"
};

const char *
model_res_metric_name(enum res_metric m)
{
	return res_metric_names[m];
}

const char *
model_res_scope_name(enum res_scope s)
{
	return s == RES_POD ? "pod" : "node";
}

static void
res_row_free(void *p)
{
	struct res_row	*r = p;

	free(r->ns);
	free(r->name);
	free(r);
}

struct res_row *
model_res_row(struct model *m, enum res_scope scope, const char *ns,
    const char *name)
{
	struct res_row	*r;
	char		*key;
	int		 i;

	if (scope == RES_POD)
		xasprintf(&key, "%s/%s", ns, name);
	else
		key = xstrdup(name);
	if ((r = table_get(&m->res[scope], key)) == NULL) {
		r = xcalloc(1, sizeof *r);
		r->scope = scope;
		r->ns = ns != NULL ? xstrdup(ns) : NULL;
		r->name = xstrdup(name);
		for (i = 0; i < RES__COUNT; i++)
			r->value[i] = NAN;
		table_put(&m->res[scope], key, r);
	}
	free(key);
	return r;
}

void
model_res_set(struct res_row *r, enum res_metric k, double v)
{
	r->value[k] = v;
	if (r->nhist[k] == RES_HIST) {
		memmove(&r->hist[k][0], &r->hist[k][1],
		    (RES_HIST - 1) * sizeof r->hist[k][0]);
		r->nhist[k]--;
	}
	r->hist[k][r->nhist[k]++] = (float)v;
}

int
model_res_level(enum res_metric k, double v)
{
	const struct config_threshold *t;

	if (isnan(v) || (t = config_threshold(res_metric_names[k])) == NULL)
		return 0;
	if (v >= t->crit)
		return 2;
	if (v >= t->warn)
		return 1;
	return 0;
}

/* Alerts and rules. */

void
model_alert_clear(struct model_alert *a)
{
	int	 i;

	free(a->fingerprint);
	free(a->name);
	free(a->severity);
	free(a->state);
	free(a->silenced_by);
	free(a->silence_ids);
	free(a->inhibited_by);
	free(a->summary);
	free(a->description);
	free(a->labels);
	for (i = 0; i < a->nl; i++) {
		free(a->lk[i]);
		free(a->lv[i]);
	}
	free(a->lk);
	free(a->lv);
	free(a->ns);
	free(a->pod);
	free(a->deployment);
	free(a->service);
	memset(a, 0, sizeof *a);
}

void
model_rule_clear(struct model_rule *r)
{
	free(r->group);
	free(r->name);
	free(r->state);
	free(r->health);
	free(r->last_error);
	free(r->severity);
	memset(r, 0, sizeof *r);
}

/* Critical first, then warning, then the rest; by name, oldest first. */
static int
model_alert_cmp(const void *x, const void *y)
{
	const struct model_alert *a = x, *b = y;
	int	 c;

	if (a->level != b->level)
		return b->level - a->level;
	if ((c = strcmp(a->name, b->name)) != 0)
		return c;
	return (a->starts_at > b->starts_at) - (a->starts_at < b->starts_at);
}

void
model_set_alerts(struct model *m, struct model_alert *alerts, int n)
{
	int	 i;

	for (i = 0; i < m->nalerts; i++)
		model_alert_clear(&m->alerts[i]);
	free(m->alerts);
	if (n > 0)
		qsort(alerts, (size_t)n, sizeof *alerts, model_alert_cmp);
	m->alerts = alerts;
	m->nalerts = n;
	model_mark(m, DIRTY_ALERTS);
}

void
model_set_rules(struct model *m, struct model_rule *rules, int n)
{
	int	 i;

	for (i = 0; i < m->nrules; i++)
		model_rule_clear(&m->rules[i]);
	free(m->rules);
	m->rules = rules;
	m->nrules = n;
	model_mark(m, DIRTY_ALERTS);
}

/* Databases and health. */

void
model_set_stmts(struct model *m, struct pg_stmt *v, int n)
{
	int	 i;

	for (i = 0; i < m->db.nstmts; i++) {
		free(m->db.stmts[i].queryid);
		free(m->db.stmts[i].user);
		free(m->db.stmts[i].db);
		free(m->db.stmts[i].query);
		free(m->db.stmts[i].query_text);
	}
	free(m->db.stmts);
	m->db.stmts = v;
	m->db.nstmts = n;
	model_mark(m, DIRTY_DB);
}

void
model_set_sessions(struct model *m, struct pg_session *v, int n)
{
	int	 i;

	for (i = 0; i < m->db.nsessions; i++) {
		free(m->db.sessions[i].user);
		free(m->db.sessions[i].app);
		free(m->db.sessions[i].client);
		free(m->db.sessions[i].state);
		free(m->db.sessions[i].wait);
		free(m->db.sessions[i].query);
		free(m->db.sessions[i].blocked_by);
	}
	free(m->db.sessions);
	m->db.sessions = v;
	m->db.nsessions = n;
	model_mark(m, DIRTY_DB);
}

void
model_set_slow(struct model *m, struct redis_slow *v, int n)
{
	int	 i;

	for (i = 0; i < m->db.nslow; i++) {
		free(m->db.slow[i].command);
		free(m->db.slow[i].client);
		free(m->db.slow[i].name);
	}
	free(m->db.slow);
	m->db.slow = v;
	m->db.nslow = n;
	model_mark(m, DIRTY_DB);
}

void
model_db_error(char **slot, const char *error)
{
	free(*slot);
	*slot = error != NULL ? xstrdup(error) : NULL;
}

struct health_check *
model_health(struct model *m, const char *name, const char *kind)
{
	struct health_check *h;
	int		 i;

	for (i = 0; i < m->db.nchecks; i++) {
		h = &m->db.checks[i];
		if (strcmp(h->name, name) == 0 && strcmp(h->kind, kind) == 0)
			return h;
	}
	m->db.checks = xreallocarray(m->db.checks, m->db.nchecks + 1,
	    sizeof *m->db.checks);
	h = &m->db.checks[m->db.nchecks++];
	memset(h, 0, sizeof *h);
	h->name = xstrdup(name);
	h->kind = xstrdup(kind);
	h->up = -1;
	return h;
}

void
model_health_set(struct model *m, struct health_check *h, int up,
    long latency_ms, const char *error)
{
	time_t	 now = now_wall();

	if (h->up != up)
		h->since = now;
	h->up = up;
	h->latency_ms = latency_ms;
	h->checked = now;
	model_db_error(&h->error, error);
	model_mark(m, DIRTY_DB);
}
