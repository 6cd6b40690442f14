/* source-alerts.c: Alertmanager's alerts and silences. Each poll asks for
 * both (GET /api/v2/alerts, GET /api/v2/silences) and, when both have
 * answered, replaces the model's alerts: who silenced what and until when,
 * which alerts inhibit which, and what each alert names (namespace, pod,
 * deployment, service) so that the dashboard can jump to it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <uv.h>

#include "config.h"
#include "decode-am.h"
#include "decode-prom.h"
#include "endpoint.h"
#include "model.h"
#include "source.h"
#include "source-alerts.h"
#include "warroom.h"

#define ALERTS_TIMEOUT_MS	8000

struct source_alerts {
	uv_loop_t		*loop;
	struct http		*http;
	struct model		*m;
	struct endpoint		 ep;
	uv_timer_t		 timer;
	struct http_request	*alerts_req, *silences_req;
	int			 inflight;
	char			*alerts_body;	/* kept until both answered */
	size_t			 alerts_len;
	char			*silences_body;
	size_t			 silences_len;
	char			*error;
	void			(*on_poll)(void *);
	void			*arg;
};

static void	source_alerts_poll(struct source_alerts *);

/* Labels not worth reading at 3 a.m.: the name and severity have their
 * own place; the scrape's plumbing and cAdvisor's container ids say
 * nothing the pod does not. All of them still go into a silence. */
static int
source_alerts_noise(const char *k, const struct am_alert *a)
{
	static const char *const noise[] = {
		"alertname", "severity", "job", "prometheus", "id", "image",
		"name", "uid", "endpoint", "metrics_path"
	};
	size_t	 i;

	for (i = 0; i < nitems(noise); i++)
		if (strcmp(k, noise[i]) == 0)
			return 1;
	return strcmp(k, "instance") == 0 &&
	    prom_kv_get(a->labels, a->nlabels, "pod") != NULL;
}

static char *
source_alerts_dup(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

static int
source_alerts_level(const char *severity)
{
	if (severity == NULL)
		return 0;
	if (strcasecmp(severity, "critical") == 0 ||
	    strcasecmp(severity, "page") == 0 ||
	    strcasecmp(severity, "error") == 0)
		return 2;
	if (strcasecmp(severity, "warning") == 0 ||
	    strcasecmp(severity, "warn") == 0)
		return 1;
	return 0;
}

/* "by WHO until HH:MM: COMMENT" for each silence muting the alert. */
static void
source_alerts_silenced(struct model_alert *out, const struct am_alert *a,
    const struct am_silence *sil, int nsil)
{
	char		*s, *ids, when[32];
	struct tm	 tm;
	int		 i, j;

	for (i = 0; i < a->nsilenced; i++) {
		for (j = 0; j < nsil; j++)
			if (strcmp(sil[j].id, a->silenced_by[i]) == 0)
				break;
		if (j < nsil) {
			localtime_r(&sil[j].ends_at, &tm);
			strftime(when, sizeof when, "%H:%M", &tm);
			xasprintf(&s, "%s%sby %s until %s: %s",
			    out->silenced_by != NULL ? out->silenced_by : "",
			    out->silenced_by != NULL ? "; " : "",
			    sil[j].created_by != NULL ? sil[j].created_by : "?",
			    when, sil[j].comment != NULL ? sil[j].comment : "");
		} else
			xasprintf(&s, "%s%ssilence %s",
			    out->silenced_by != NULL ? out->silenced_by : "",
			    out->silenced_by != NULL ? "; " : "",
			    a->silenced_by[i]);
		free(out->silenced_by);
		out->silenced_by = s;
		xasprintf(&ids, "%s%s%s", out->silence_ids != NULL ?
		    out->silence_ids : "", out->silence_ids != NULL ? " " : "",
		    a->silenced_by[i]);
		free(out->silence_ids);
		out->silence_ids = ids;
	}
}

/* The names of the alerts that inhibit this one (by fingerprint). */
static void
source_alerts_inhibited(struct model_alert *out, const struct am_alert *a,
    const struct am_alert *all, int n)
{
	const char	*name;
	char		*s;
	int		 i, j;

	for (i = 0; i < a->ninhibited; i++) {
		name = a->inhibited_by[i];
		for (j = 0; j < n; j++)
			if (strcmp(all[j].fingerprint, a->inhibited_by[i]) == 0)
				name = prom_kv_get(all[j].labels,
				    all[j].nlabels, "alertname");
		xasprintf(&s, "%s%s%s", out->inhibited_by != NULL ?
		    out->inhibited_by : "", out->inhibited_by != NULL ? ", " :
		    "", name != NULL ? name : "?");
		free(out->inhibited_by);
		out->inhibited_by = s;
	}
}

static void
source_alerts_convert(struct model_alert *out, const struct am_alert *a,
    const struct am_alert *all, int n, const struct am_silence *sil,
    int nsil)
{
	const char	*name;
	char		*s;
	int		 i;

	memset(out, 0, sizeof *out);
	name = prom_kv_get(a->labels, a->nlabels, "alertname");
	out->fingerprint = xstrdup(a->fingerprint != NULL ? a->fingerprint : "");
	out->name = xstrdup(name != NULL ? name : "(no alertname)");
	out->severity = source_alerts_dup(prom_kv_get(a->labels, a->nlabels,
	    "severity"));
	out->level = source_alerts_level(out->severity);
	out->state = xstrdup(a->state != NULL ? a->state : "unprocessed");
	out->summary = source_alerts_dup(prom_kv_get(a->annotations,
	    a->nannotations, "summary"));
	out->description = source_alerts_dup(prom_kv_get(a->annotations,
	    a->nannotations, "description"));
	out->ns = source_alerts_dup(prom_kv_get(a->labels, a->nlabels,
	    "namespace"));
	out->pod = source_alerts_dup(prom_kv_get(a->labels, a->nlabels, "pod"));
	out->deployment = source_alerts_dup(prom_kv_get(a->labels, a->nlabels,
	    "deployment"));
	out->service = source_alerts_dup(prom_kv_get(a->labels, a->nlabels,
	    "service"));
	out->starts_at = a->starts_at;
	out->labels = xstrdup("");
	out->nl = a->nlabels;
	out->lk = xcalloc((size_t)a->nlabels + 1, sizeof *out->lk);
	out->lv = xcalloc((size_t)a->nlabels + 1, sizeof *out->lv);
	for (i = 0; i < a->nlabels; i++) {
		out->lk[i] = xstrdup(a->labels[i].k);
		out->lv[i] = xstrdup(a->labels[i].v);
		if (source_alerts_noise(a->labels[i].k, a))
			continue;
		xasprintf(&s, "%s%s%s=%s", out->labels, *out->labels != '\0' ?
		    " " : "", a->labels[i].k, a->labels[i].v);
		free(out->labels);
		out->labels = s;
	}
	source_alerts_silenced(out, a, sil, nsil);
	source_alerts_inhibited(out, a, all, n);
}

static void
source_alerts_fail(struct source_alerts *s, char *error)
{
	free(s->error);
	s->error = error;
}

/* Both answers are in: the new alerts, or the failure. */
static void
source_alerts_end(struct source_alerts *s)
{
	struct am_alert		*alerts = NULL;
	struct am_silence	*sil = NULL;
	struct model_alert	*out;
	const char		*ns;
	char			*err = NULL;
	int			 n = 0, nsil = 0, i, k = 0;

	if (s->alerts_body == NULL)
		goto failed;
	if (am_decode_alerts(s->alerts_body, s->alerts_len, 200, &alerts, &n,
	    &err) != 0) {
		source_alerts_fail(s, sanitize(err));
		free(err);
		goto failed;
	}
	/* Without the silences the alerts still show, muted by ids. */
	if (s->silences_body != NULL && am_decode_silences(s->silences_body,
	    s->silences_len, 200, &sil, &nsil, &err) != 0) {
		free(err);
		sil = NULL;
		nsil = 0;
	}
	out = xcalloc((size_t)n + 1, sizeof *out);
	for (i = 0; i < n; i++) {
		ns = prom_kv_get(alerts[i].labels, alerts[i].nlabels,
		    "namespace");
		/* One namespace shown: its alerts and the cluster's. */
		if (s->m->namespace != NULL && ns != NULL &&
		    strcmp(ns, s->m->namespace) != 0)
			continue;
		source_alerts_convert(&out[k++], &alerts[i], alerts, n, sil,
		    nsil);
	}
	model_set_alerts(s->m, out, k);
	model_source_ok(s->m, SOURCE_ALERTS, 0);
	am_alerts_free(alerts, n);
	am_silences_free(sil, nsil);
	goto done;
failed:
	model_source_fail(s->m, SOURCE_ALERTS, "%s", s->error != NULL ?
	    s->error : "no answer");
done:
	free(s->alerts_body);
	free(s->silences_body);
	s->alerts_body = s->silences_body = NULL;
	if (s->on_poll != NULL)
		s->on_poll(s->arg);
}

/* Keep a body for the end of the poll, or note why there is none. */
static void
source_alerts_keep(struct source_alerts *s, const struct http_response *res,
    char **body, size_t *len)
{
	if (res->error == 0 && res->status >= 200 && res->status < 300 &&
	    res->body != NULL) {
		*body = xmalloc(res->body_len + 1);
		memcpy(*body, res->body, res->body_len);
		(*body)[res->body_len] = '\0';
		*len = res->body_len;
	} else
		source_alerts_fail(s, endpoint_error(res));
	if (--s->inflight == 0)
		source_alerts_end(s);
}

static void
source_alerts_alerts_done(struct http_request *req,
    const struct http_response *res, void *arg)
{
	struct source_alerts *s = arg;

	s->alerts_req = NULL;
	source_alerts_keep(s, res, &s->alerts_body, &s->alerts_len);
}

static void
source_alerts_silences_done(struct http_request *req,
    const struct http_response *res, void *arg)
{
	struct source_alerts *s = arg;

	s->silences_req = NULL;
	source_alerts_keep(s, res, &s->silences_body, &s->silences_len);
}

static void
source_alerts_timer_cb(uv_timer_t *t)
{
	source_alerts_poll(t->data);
}

static void
source_alerts_poll(struct source_alerts *s)
{
	char	*cause = NULL;

	uv_timer_start(&s->timer, source_alerts_timer_cb,
	    (uint64_t)(cfg.refresh * 1000), 0);
	if (s->inflight > 0)
		return;
	s->inflight = 1;
	s->alerts_req = endpoint_start(s->http, &s->ep, "GET",
	    "/api/v2/alerts", NULL, NULL, ALERTS_TIMEOUT_MS,
	    source_alerts_alerts_done, s, &cause);
	if (s->alerts_req != NULL)
		s->inflight++;
	else {
		source_alerts_fail(s, cause);
		cause = NULL;
	}
	s->silences_req = endpoint_start(s->http, &s->ep, "GET",
	    "/api/v2/silences", NULL, NULL, ALERTS_TIMEOUT_MS,
	    source_alerts_silences_done, s, &cause);
	if (s->silences_req != NULL)
		s->inflight++;
	else {
		source_alerts_fail(s, cause);
		cause = NULL;
	}
	if (--s->inflight == 0)
		source_alerts_end(s);
}

static void *
source_alerts_create(const struct source_env *e)
{
	struct source_alerts *s;

	if (cfg.alertmanager == NULL)
		return NULL;
	s = xcalloc(1, sizeof *s);
	s->loop = e->loop;
	s->http = e->http;
	s->m = e->model;
	s->on_poll = e->on_poll;
	s->arg = e->arg;
	endpoint_alertmanager(&s->ep);
	uv_timer_init(e->loop, &s->timer);
	s->timer.data = s;
	model_source_set(e->model, SOURCE_ALERTS, SOURCE_INIT);
	return s;
}

static void
source_alerts_start(void *arg)
{
	struct source_alerts *s = arg;

	if (s != NULL)
		source_alerts_poll(s);
}

static void
source_alerts_refresh(void *arg)
{
	struct source_alerts *s = arg;

	if (s != NULL && s->inflight == 0)
		source_alerts_poll(s);
}

static void
source_alerts_close_cb(uv_handle_t *h)
{
	struct source_alerts *s = h->data;

	free(s->alerts_body);
	free(s->silences_body);
	free(s->error);
	free(s);
}

static void
source_alerts_free(void *arg)
{
	struct source_alerts *s = arg;

	if (s == NULL)
		return;
	if (s->alerts_req != NULL)
		http_cancel(s->alerts_req);
	if (s->silences_req != NULL)
		http_cancel(s->silences_req);
	uv_timer_stop(&s->timer);
	uv_close((uv_handle_t *)&s->timer, source_alerts_close_cb);
}

const struct source_ops source_alerts_ops = {
	.name = "alerts",
	.create = source_alerts_create,
	.start = source_alerts_start,
	.refresh = source_alerts_refresh,
	.free = source_alerts_free,
};
