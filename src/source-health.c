/* source-health.c: the health endpoints of the config, probed every
 * HEALTH_EVERY_S seconds (or set refresh, if longer) with a timeout: a 2xx
 * answer is up; anything else is down with the reason ("HTTP 503: ...",
 * "timed out", "connection refused"). A round ends when every probe has. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <uv.h>

#include "config.h"
#include "endpoint.h"
#include "model.h"
#include "net-http.h"
#include "source.h"
#include "source-health.h"
#include "warroom.h"

#define HEALTH_EVERY_S		5
#define HEALTH_TIMEOUT_MS	3000

struct source_health;

struct health_probe {
	struct source_health	*s;
	int			 i;		/* cfg.health[i] */
	struct http_request	*req;
	double			 t0;
};

struct source_health {
	uv_loop_t		*loop;
	struct http		*http;
	struct model		*m;
	uv_timer_t		 timer;
	struct health_probe	*probes;
	int			 n;
	int			 inflight;
	void			(*on_poll)(void *);
	void			*arg;
};

static void	source_health_poll(struct source_health *);

static void
health_done(struct http_request *req, const struct http_response *res,
    void *arg)
{
	struct health_probe	*p = arg;
	struct source_health	*s = p->s;
	struct health_check	*h;
	char			*err = NULL;
	long			 ms = (long)((now_mono() - p->t0) * 1000);
	int			 up;

	p->req = NULL;
	up = res->error == 0 && res->status >= 200 && res->status < 300;
	if (!up)
		err = endpoint_error(res);
	h = model_health(s->m, cfg.health[p->i].name, "http");
	model_health_set(s->m, h, up, up ? ms : -1, err);
	free(err);
	if (--s->inflight == 0) {
		model_source_ok(s->m, SOURCE_HEALTH, 0);
		if (s->on_poll != NULL)
			s->on_poll(s->arg);
	}
}

static void
source_health_timer_cb(uv_timer_t *t)
{
	source_health_poll(t->data);
}

static void
source_health_poll(struct source_health *s)
{
	struct http_opts o;
	double		 every = cfg.refresh > HEALTH_EVERY_S ? cfg.refresh :
			    HEALTH_EVERY_S;
	int		 i;

	uv_timer_start(&s->timer, source_health_timer_cb,
	    (uint64_t)(every * 1000), 0);
	if (s->inflight > 0)
		return;
	for (i = 0; i < s->n; i++) {
		memset(&o, 0, sizeof o);
		o.url = cfg.health[i].url;
		o.connect_timeout_ms = HEALTH_TIMEOUT_MS;
		o.timeout_ms = HEALTH_TIMEOUT_MS;
		o.max_body = 64 * 1024;
		o.on_done = health_done;
		o.arg = &s->probes[i];
		s->probes[i].t0 = now_mono();
		s->inflight++;
		s->probes[i].req = http_start(s->http, &o);
	}
}

static void *
source_health_create(const struct source_env *e)
{
	struct source_health *s;
	int		 i;

	if (cfg.nhealth == 0)
		return NULL;
	s = xcalloc(1, sizeof *s);
	s->loop = e->loop;
	s->http = e->http;
	s->m = e->model;
	s->on_poll = e->on_poll;
	s->arg = e->arg;
	s->n = cfg.nhealth;
	s->probes = xcalloc((size_t)s->n, sizeof *s->probes);
	for (i = 0; i < s->n; i++) {
		s->probes[i].s = s;
		s->probes[i].i = i;
		model_health(e->model, cfg.health[i].name, "http");
	}
	uv_timer_init(e->loop, &s->timer);
	s->timer.data = s;
	model_source_set(e->model, SOURCE_HEALTH, SOURCE_INIT);
	return s;
}

static void
source_health_start(void *arg)
{
	struct source_health *s = arg;

	if (s != NULL)
		source_health_poll(s);
}

static void
source_health_refresh(void *arg)
{
	struct source_health *s = arg;

	if (s != NULL && s->inflight == 0)
		source_health_poll(s);
}

static void
source_health_close_cb(uv_handle_t *h)
{
	struct source_health *s = h->data;

	free(s->probes);
	free(s);
}

static void
source_health_free(void *arg)
{
	struct source_health *s = arg;
	int		 i;

	if (s == NULL)
		return;
	for (i = 0; i < s->n; i++)
		if (s->probes[i].req != NULL)
			http_cancel(s->probes[i].req);
	uv_timer_stop(&s->timer);
	uv_close((uv_handle_t *)&s->timer, source_health_close_cb);
}

const struct source_ops source_health_ops = {
	.name = "health",
	.create = source_health_create,
	.start = source_health_start,
	.refresh = source_health_refresh,
	.free = source_health_free,
};
