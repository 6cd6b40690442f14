/* source-prom.c: resource use and alerting rules from Prometheus. Every
 * poll sends the configured instant queries (pods and nodes, cpu, memory,
 * disk, network) and GET /api/v1/rules at once, and ends when all have
 * answered. A query refused by Prometheus (400, 422) is that metric's
 * error; the source fails only when nothing answered. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <uv.h>

#include "config.h"
#include "decode-prom.h"
#include "endpoint.h"
#include "model.h"
#include "source.h"
#include "source-prom.h"
#include "warroom.h"

#define PROM_TIMEOUT_MS	8000

struct source_prom;

/* One query of a poll. */
struct prom_query {
	struct source_prom	*s;
	enum res_scope		 scope;
	enum res_metric		 metric;
	struct http_request	*req;
};

struct source_prom {
	uv_loop_t		*loop;
	struct http		*http;
	struct model		*m;
	struct endpoint		 ep;
	uv_timer_t		 timer;
	struct prom_query	 q[RES_SCOPE__COUNT][RES__COUNT];
	struct http_request	*rules_req;
	int			 inflight;	/* requests of this poll */
	int			 answered;	/* ... that Prometheus answered */
	int			 scope_ok[RES_SCOPE__COUNT];
	int			 metric_ok[RES_SCOPE__COUNT][RES__COUNT];
	char			*error;		/* the last failure */
	unsigned long		 poll;
	void			(*on_poll)(void *);
	void			*arg;
};

static void	source_prom_poll(struct source_prom *);

static void
source_prom_fail(struct source_prom *s, char *error)
{
	free(s->error);
	s->error = error;
}

/* Forget what this poll did not name: rows gone from every answer of
 * their scope, values gone from their metric's answer. */
static void
source_prom_sweep(struct source_prom *s)
{
	struct model	*m = s->m;
	struct res_row	*r;
	size_t		 pos, n, i;
	char		**gone, *key;
	int		 sc, k;

	for (sc = 0; sc < RES_SCOPE__COUNT; sc++) {
		if (!s->scope_ok[sc])
			continue;
		gone = NULL;
		n = 0;
		pos = 0;
		while ((r = table_next(&m->res[sc], &pos)) != NULL) {
			if (r->seen != s->poll) {
				if (sc == RES_POD)
					xasprintf(&key, "%s/%s", r->ns, r->name);
				else
					key = xstrdup(r->name);
				gone = xreallocarray(gone, n + 1, sizeof *gone);
				gone[n++] = key;
				continue;
			}
			for (k = 0; k < RES__COUNT; k++)
				if (s->metric_ok[sc][k] &&
				    r->seen_m[k] != s->poll)
					r->value[k] = NAN;
		}
		for (i = 0; i < n; i++) {
			table_del(&m->res[sc], gone[i]);
			free(gone[i]);
		}
		free(gone);
	}
}

static void
source_prom_request_done(struct source_prom *s)
{
	if (--s->inflight > 0)
		return;
	if (s->answered > 0) {
		source_prom_sweep(s);
		model_source_ok(s->m, SOURCE_PROM, 0);
	} else
		model_source_fail(s->m, SOURCE_PROM, "%s",
		    s->error != NULL ? s->error : "no answer");
	s->m->res_poll = s->poll;
	model_mark(s->m, DIRTY_RES);
	if (s->on_poll != NULL)
		s->on_poll(s->arg);
}

/* An answer in the API's error form (400 bad_data, 422 execution, 503
 * timeout: "TYPE: TEXT") is Prometheus refusing a query, not Prometheus
 * being down; anything else ("HTTP 502: ...") is a failure. */
static int
source_prom_refused(const char *err)
{
	return strncmp(err, "HTTP ", 5) != 0;
}

static void
source_prom_set_error(struct model *m, struct prom_query *q, char *error)
{
	free(m->res_error[q->scope][q->metric]);
	m->res_error[q->scope][q->metric] = error;
}

static void
source_prom_query_done(struct http_request *req,
    const struct http_response *res, void *arg)
{
	struct prom_query	*q = arg;
	struct source_prom	*s = q->s;
	struct prom_result	 r;
	struct res_row		*row;
	const char		*ns, *name;
	char			*err = NULL;
	int			 i;

	q->req = NULL;
	if (res->error != 0 || res->status == 0) {
		source_prom_fail(s, endpoint_error(res));
		source_prom_request_done(s);
		return;
	}
	if (prom_decode_query(res->body, res->body_len, (int)res->status, &r,
	    &err) != 0) {
		if (source_prom_refused(err))
			s->answered++;
		else
			source_prom_fail(s, sanitize(err));
		source_prom_set_error(s->m, q, sanitize(err));
		free(err);
		prom_result_free(&r);
		source_prom_request_done(s);
		return;
	}
	s->answered++;
	source_prom_set_error(s->m, q, NULL);
	if (r.type == PROM_VECTOR) {
		s->scope_ok[q->scope] = 1;
		s->metric_ok[q->scope][q->metric] = 1;
	}
	for (i = 0; r.type == PROM_VECTOR && i < r.nseries; i++) {
		if (r.series[i].npoints < 1)
			continue;
		if (q->scope == RES_POD) {
			ns = prom_label(&r.series[i], "namespace");
			name = prom_label(&r.series[i], "pod");
			if (ns == NULL || name == NULL)
				continue;
			if (s->m->namespace != NULL &&
			    strcmp(ns, s->m->namespace) != 0)
				continue;
		} else {
			ns = NULL;
			if ((name = prom_label(&r.series[i], "instance")) == NULL)
				continue;
		}
		row = model_res_row(s->m, q->scope, ns, name);
		model_res_set(row, q->metric, r.series[i].points[0].v);
		row->seen = s->poll;
		row->seen_m[q->metric] = s->poll;
	}
	if (r.type != PROM_VECTOR)
		source_prom_set_error(s->m, q, xstrdup("the query does not "
		    "return an instant vector"));
	prom_result_free(&r);
	source_prom_request_done(s);
}

static char *
source_prom_label(const struct prom_kv *kv, int n, const char *k)
{
	const char	*v = prom_kv_get(kv, n, k);

	return v != NULL ? xstrdup(v) : NULL;
}

static void
source_prom_rules_done(struct http_request *req,
    const struct http_response *res, void *arg)
{
	struct source_prom	*s = arg;
	struct prom_rule	*rules = NULL;
	struct model_rule	*out;
	char			*err = NULL;
	int			 n = 0, i, k = 0;

	s->rules_req = NULL;
	if (res->error != 0 || res->status == 0)
		source_prom_fail(s, endpoint_error(res));
	else if (prom_decode_rules(res->body, res->body_len, (int)res->status,
	    &rules, &n, &err) != 0) {
		if (source_prom_refused(err))
			s->answered++;
		source_prom_fail(s, sanitize(err));
	} else {
		s->answered++;
		out = xcalloc((size_t)n + 1, sizeof *out);
		for (i = 0; i < n; i++) {
			if (rules[i].type != NULL &&
			    strcmp(rules[i].type, "alerting") != 0)
				continue;
			out[k].group = xstrdup(rules[i].group);
			out[k].name = xstrdup(rules[i].name);
			out[k].state = xstrdup(rules[i].state != NULL ?
			    rules[i].state : "inactive");
			out[k].health = rules[i].health != NULL ?
			    xstrdup(rules[i].health) : NULL;
			out[k].last_error = rules[i].last_error != NULL ?
			    xstrdup(rules[i].last_error) : NULL;
			out[k].severity = source_prom_label(rules[i].labels,
			    rules[i].nlabels, "severity");
			out[k].nactive = rules[i].nactive;
			out[k].duration = rules[i].duration;
			out[k].active_since = rules[i].active_since;
			k++;
		}
		model_set_rules(s->m, out, k);
		prom_rules_free(rules, n);
	}
	free(err);
	source_prom_request_done(s);
}

static void
source_prom_timer_cb(uv_timer_t *t)
{
	source_prom_poll(t->data);
}

static void
source_prom_poll(struct source_prom *s)
{
	struct prom_query *q;
	char		*promql, *esc, *body, *cause = NULL;
	int		 sc, k;

	uv_timer_start(&s->timer, source_prom_timer_cb,
	    (uint64_t)(cfg.refresh * 1000), 0);
	if (s->inflight > 0)
		return;		/* the last poll is still out */
	s->poll++;
	s->answered = 0;
	memset(s->scope_ok, 0, sizeof s->scope_ok);
	memset(s->metric_ok, 0, sizeof s->metric_ok);
	s->inflight = 1;	/* this function's own, until the end */
	for (sc = 0; sc < RES_SCOPE__COUNT; sc++) {
		for (k = 0; k < RES__COUNT; k++) {
			q = &s->q[sc][k];
			promql = config_query(model_res_scope_name(sc),
			    model_res_metric_name(k));
			if (promql == NULL)
				continue;
			esc = endpoint_escape(promql);
			xasprintf(&body, "query=%s", esc);
			q->req = endpoint_start(s->http, &s->ep, "POST",
			    "/api/v1/query", "application/x-www-form-urlencoded",
			    body, PROM_TIMEOUT_MS, source_prom_query_done, q,
			    &cause);
			free(body);
			free(esc);
			free(promql);
			if (q->req == NULL) {
				source_prom_fail(s, cause);
				cause = NULL;
				continue;
			}
			s->inflight++;
		}
	}
	s->rules_req = endpoint_start(s->http, &s->ep, "GET",
	    "/api/v1/rules?type=alert", NULL, NULL, PROM_TIMEOUT_MS,
	    source_prom_rules_done, s, &cause);
	if (s->rules_req != NULL)
		s->inflight++;
	else {
		source_prom_fail(s, cause);
		cause = NULL;
	}
	source_prom_request_done(s);
}

static void *
source_prom_create(const struct source_env *e)
{
	struct source_prom *s;
	int		 sc, k;

	if (cfg.prometheus == NULL)
		return NULL;
	s = xcalloc(1, sizeof *s);
	s->loop = e->loop;
	s->http = e->http;
	s->m = e->model;
	s->on_poll = e->on_poll;
	s->arg = e->arg;
	endpoint_prometheus(&s->ep);
	for (sc = 0; sc < RES_SCOPE__COUNT; sc++)
		for (k = 0; k < RES__COUNT; k++) {
			s->q[sc][k].s = s;
			s->q[sc][k].scope = sc;
			s->q[sc][k].metric = k;
		}
	uv_timer_init(e->loop, &s->timer);
	s->timer.data = s;
	model_source_set(e->model, SOURCE_PROM, SOURCE_INIT);
	return s;
}

static void
source_prom_start(void *arg)
{
	struct source_prom *s = arg;

	if (s != NULL)
		source_prom_poll(s);
}

static void
source_prom_refresh(void *arg)
{
	struct source_prom *s = arg;

	if (s != NULL && s->inflight == 0)
		source_prom_poll(s);
}

static void
source_prom_close_cb(uv_handle_t *h)
{
	struct source_prom *s = h->data;

	free(s->error);
	free(s);
}

static void
source_prom_free(void *arg)
{
	struct source_prom *s = arg;
	int		 sc, k;

	if (s == NULL)
		return;
	for (sc = 0; sc < RES_SCOPE__COUNT; sc++)
		for (k = 0; k < RES__COUNT; k++)
			if (s->q[sc][k].req != NULL)
				http_cancel(s->q[sc][k].req);
	if (s->rules_req != NULL)
		http_cancel(s->rules_req);
	uv_timer_stop(&s->timer);
	uv_close((uv_handle_t *)&s->timer, source_prom_close_cb);
}

const struct source_ops source_prom_ops = {
	.name = "prom",
	.create = source_prom_create,
	.start = source_prom_start,
	.refresh = source_prom_refresh,
	.free = source_prom_free,
};
