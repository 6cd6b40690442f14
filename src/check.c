/*
 * check.c: 'warroom check [--json] [--notify URL]': the health probes of
 * the dashboard's strip, once: every 'health NAME URL' endpoint (a 2xx
 * answer is up), PostgreSQL (connect, SELECT 1) and Redis (PING), all at
 * once and within CHECK_DEADLINE_MS. A table or JSON on stdout; with
 * --notify, the failures are posted as JSON to the webhook (the manual's
 * Slack call; a "text" line is included for Slack). Exit 0 when everything
 * is up, 1 otherwise, 2 when there is nothing to check. It needs no
 * terminal and no Kubernetes credentials: cron-safe.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <uv.h>

#include "check.h"
#include "config.h"
#include "endpoint.h"
#include "jtext.h"
#include "kube-ops.h"
#include "net-http.h"
#include "net-pg.h"
#include "net-redis.h"
#include "warroom.h"

#define CHECK_DEADLINE_MS	12000
#define CHECK_TIMEOUT_MS	5000
#define CHECK_NOTIFY_MS		10000

struct check;

struct check_item {
	struct check		*c;
	char			*name;
	const char		*kind;		/* http, postgres, redis */
	int			 up;		/* 1 up, 0 down, -1 no answer */
	long			 latency_ms;
	char			*error;
	double			 t0;
	struct http_request	*req;
};

struct check {
	uv_loop_t		*loop;
	struct http		*http;
	struct check_item	*items;
	int			 n;
	int			 pending;
	struct pg		*pg;
	struct redis		*redis;
	struct check_item	*pg_item, *redis_item;
	uv_timer_t		 deadline;
	int			 done;		/* every probe has answered */
	struct http_request	*notify_req;
	int			 notify_rc;
};

static void
check_result(struct check_item *it, int up, const char *error)
{
	if (it->up != -1)
		return;
	it->up = up;
	it->latency_ms = (long)((now_mono() - it->t0) * 1000);
	it->error = error != NULL ? sanitize(error) : NULL;
	if (--it->c->pending == 0) {
		it->c->done = 1;
		uv_timer_stop(&it->c->deadline);
	}
}

static void
check_http_done(struct http_request *req, const struct http_response *res,
    void *arg)
{
	struct check_item *it = arg;
	char		*err = NULL;
	int		 up;

	it->req = NULL;
	up = res->error == 0 && res->status >= 200 && res->status < 300;
	if (!up)
		err = endpoint_error(res);
	check_result(it, up, err);
	free(err);
}

static void
check_pg_done(struct pg *pg, const struct pg_answer *a, void *arg)
{
	struct check_item *it = arg;

	check_result(it, a->ok, a->ok ? NULL : a->error);
}

static void
check_pg_state(struct pg *pg, int up, const char *error, void *arg)
{
	struct check_item *it = arg;

	if (up)
		pg_query(pg, "SELECT 1", 0, NULL, CHECK_TIMEOUT_MS,
		    check_pg_done, it);
	else
		check_result(it, 0, error != NULL ? error : "connection failed");
}

static void
check_redis_done(struct redis *r, const struct redis_reply *rep,
    const char *error, void *arg)
{
	struct check_item *it = arg;

	if (rep != NULL && rep->type == REDIS_T_STATUS)
		check_result(it, 1, NULL);
	else
		check_result(it, 0, rep != NULL && rep->type == REDIS_T_ERROR ?
		    rep->str : error != NULL ? error : "no answer");
}

static void
check_redis_state(struct redis *r, int up, const char *error, void *arg)
{
	static const char *const ping[] = { "PING" };
	struct check_item *it = arg;

	if (up)
		redis_command(r, CHECK_TIMEOUT_MS, check_redis_done, it, 1,
		    ping);
	else
		check_result(it, 0, error != NULL ? error : "connection failed");
}

static void
check_deadline_cb(uv_timer_t *t)
{
	struct check	*c = t->data;
	int		 i;

	for (i = 0; i < c->n; i++)
		if (c->items[i].up == -1)
			check_result(&c->items[i], 0, "no answer in time");
	c->done = 1;
}

static void
check_print(const struct check *c, int json, FILE *f)
{
	json_t		*o, *a, *x;
	char		*s;
	int		 i, healthy = 1;

	for (i = 0; i < c->n; i++)
		healthy &= c->items[i].up == 1;
	if (json) {
		a = json_array();
		for (i = 0; i < c->n; i++) {
			x = json_pack("{s:o, s:s, s:b}", "name",
			    jtext(c->items[i].name), "kind", c->items[i].kind,
			    "up", c->items[i].up == 1);
			json_object_set_new(x, "latency_ms", c->items[i].up ==
			    1 ? json_integer(c->items[i].latency_ms) :
			    json_null());
			json_object_set_new(x, "error", c->items[i].error !=
			    NULL ? jtext(c->items[i].error) :
			    json_null());
			json_array_append_new(a, x);
		}
		o = json_pack("{s:b, s:o}", "healthy", healthy, "checks", a);
		s = json_dumps(o, JSON_INDENT(2));
		fprintf(f, "%s\n", s);
		free(s);
		json_decref(o);
		return;
	}
	fprintf(f, "%-24s %-9s %-5s %8s  %s\n", "NAME", "KIND", "STATE",
	    "LATENCY", "ERROR");
	for (i = 0; i < c->n; i++) {
		const struct check_item *it = &c->items[i];
		char	 lat[32], *name = sanitize(it->name);

		if (it->up == 1)
			snprintf(lat, sizeof lat, "%ldms", it->latency_ms);
		else
			snprintf(lat, sizeof lat, "-");
		fprintf(f, "%-24s %-9s %-5s %8s  %s\n", name, it->kind,
		    it->up == 1 ? "up" : "DOWN", lat, it->error != NULL ?
		    it->error : "");
		free(name);
	}
}

/* The webhook's body: the failures, and a line for Slack. */
static char *
check_notify_body(const struct check *c)
{
	json_t		*f = json_array(), *o;
	char		 when[40], host[256], *text, *s;
	int		 i, nf = 0;

	kube_ops_time(time(NULL), 1, when, sizeof when);
	if (gethostname(host, sizeof host) != 0)
		snprintf(host, sizeof host, "?");
	host[sizeof host - 1] = '\0';
	text = xstrdup("");
	for (i = 0; i < c->n; i++) {
		if (c->items[i].up == 1)
			continue;
		nf++;
		json_array_append_new(f, json_pack("{s:o, s:s, s:o}", "name",
		    jtext(c->items[i].name), "kind", c->items[i].kind, "error",
		    jtext(c->items[i].error != NULL ? c->items[i].error :
		    "down")));
		xasprintf(&s, "%s%s%s (%s)", text, *text != '\0' ? ", " : "",
		    c->items[i].name, c->items[i].error != NULL ?
		    c->items[i].error : "down");
		free(text);
		text = s;
	}
	xasprintf(&s, "warroom check on %s: %d of %d failing: %s", host, nf,
	    c->n, text);
	free(text);
	o = json_pack("{s:s, s:s, s:s, s:i, s:o}", "text", s, "host", host,
	    "time", when, "total", c->n, "failures", f);
	free(s);
	s = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	return s;
}

static void
check_notify_done(struct http_request *req, const struct http_response *res,
    void *arg)
{
	struct check	*c = arg;
	char		*err;

	c->notify_req = NULL;
	if (res->error != 0 || res->status < 200 || res->status >= 300) {
		err = endpoint_error(res);
		fprintf(stderr, "warroom: check: --notify failed: %s\n", err);
		free(err);
		c->notify_rc = 1;
	}
	c->done = 2;
}

static void
check_add(struct check *c, const char *name, const char *kind)
{
	struct check_item *it = &c->items[c->n++];

	it->c = c;
	it->name = xstrdup(name);
	it->kind = kind;
	it->up = -1;
	it->latency_ms = -1;
	it->t0 = now_mono();
	c->pending++;
}

int
check_run(uv_loop_t *loop, struct http *http, int json, const char *notify)
{
	struct check	 c;
	struct http_opts o;
	char		*cause = NULL, *body;
	int		 i, rc, healthy = 1;

	memset(&c, 0, sizeof c);
	c.loop = loop;
	c.http = http;
	c.items = xcalloc((size_t)cfg.nhealth + 2, sizeof *c.items);
	for (i = 0; i < cfg.nhealth; i++)
		check_add(&c, cfg.health[i].name, "http");
	if (cfg.postgres != NULL)
		check_add(&c, "postgres", "postgres");
	if (cfg.redis != NULL)
		check_add(&c, "redis", "redis");
	if (c.n == 0) {
		fprintf(stderr, "warroom: check: nothing to check (add health "
		    "NAME URL, postgres or redis to the config)\n");
		free(c.items);
		return 2;
	}
	uv_timer_init(loop, &c.deadline);
	c.deadline.data = &c;
	uv_timer_start(&c.deadline, check_deadline_cb, CHECK_DEADLINE_MS, 0);
	for (i = 0; i < cfg.nhealth; i++) {
		memset(&o, 0, sizeof o);
		o.url = cfg.health[i].url;
		o.connect_timeout_ms = CHECK_TIMEOUT_MS;
		o.timeout_ms = CHECK_TIMEOUT_MS;
		o.max_body = 64 * 1024;
		o.on_done = check_http_done;
		o.arg = &c.items[i];
		c.items[i].req = http_start(http, &o);
	}
	i = cfg.nhealth;
	if (cfg.postgres != NULL) {
		c.pg = pg_create(loop, cfg.postgres, CHECK_TIMEOUT_MS,
		    check_pg_state, &c.items[i]);
		pg_start(c.pg);
		i++;
	}
	if (cfg.redis != NULL) {
		c.redis = redis_create(loop, cfg.redis, CHECK_TIMEOUT_MS,
		    check_redis_state, &c.items[i], &cause);
		if (c.redis == NULL) {
			check_result(&c.items[i], 0, cause);
			free(cause);
		} else
			redis_start(c.redis);
	}
	while (!c.done && uv_run(loop, UV_RUN_ONCE) != 0)
		;
	for (i = 0; i < c.n; i++) {
		if (c.items[i].req != NULL)
			http_cancel(c.items[i].req);
		c.items[i].req = NULL;
		healthy &= c.items[i].up == 1;
	}
	check_print(&c, json, stdout);
	fflush(stdout);
	if (notify != NULL && !healthy) {
		body = check_notify_body(&c);
		memset(&o, 0, sizeof o);
		o.method = "POST";
		o.url = notify;
		o.log_origin = 1;
		o.content_type = "application/json";
		o.body = body;
		o.body_len = strlen(body);
		o.connect_timeout_ms = CHECK_TIMEOUT_MS;
		o.timeout_ms = CHECK_NOTIFY_MS;
		o.on_done = check_notify_done;
		o.arg = &c;
		c.done = 0;
		c.notify_req = http_start(http, &o);
		free(body);
		while (c.done != 2 && uv_run(loop, UV_RUN_ONCE) != 0)
			;
	}
	rc = healthy ? 0 : 1;
	if (c.pg != NULL)
		pg_free(c.pg);
	if (c.redis != NULL)
		redis_free(c.redis);
	uv_timer_stop(&c.deadline);
	uv_close((uv_handle_t *)&c.deadline, NULL);
	uv_run(loop, UV_RUN_NOWAIT);
	for (i = 0; i < c.n; i++) {
		free(c.items[i].name);
		free(c.items[i].error);
	}
	free(c.items);
	return rc;
}
