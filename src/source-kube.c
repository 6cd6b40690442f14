/* source-kube.c: list+watch of pods (as server-side Tables, so STATUS is what
 * kubectl prints), deployments, replicasets and HPAs. A 410 relists; a dropped
 * or short-lived stream reconnects with backoff per resource, as client-go's
 * reflector does; a probe notices a server that hangs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <uv.h>

#include "decode-kube.h"
#include "kube.h"
#include "kubeconfig.h"
#include "model.h"
#include "source.h"
#include "source-kube.h"
#include "source-kube-private.h"
#include "warroom.h"

#define SK_PAGE		500		/* items per list page, as kubectl */
#define SK_LIST_TIMEOUT	30000		/* ms for one list page */
#define SK_PROBE_EVERY	3000		/* ms between liveness probes */
#define SK_PROBE_TIMEOUT 2500		/* ms a probe may take */
#define SK_BACKOFF_MIN	0.8		/* s, as client-go */
#define SK_BACKOFF_MAX	30.0		/* s */
#define SK_HEALTHY	10.0		/* s a stream must last to be healthy */
#define SK_FREE_RELISTS	3		/* 410s in a row relisted at once */

static void	sk_list(struct sk_watch *);
static void	sk_watch(struct sk_watch *);
static void	sk_update_status(struct source_kube *);

/* The collection path for the model's namespace (NULL = all namespaces). */
static char *
sk_path(struct sk_watch *w)
{
	const char	*ns = w->sk->model->namespace;
	char		*path;

	if (ns == NULL)
		xasprintf(&path, "%s/%s", w->group, w->resource);
	else
		xasprintf(&path, "%s/namespaces/%s/%s", w->group, ns,
		    w->resource);
	return path;
}

static void
sk_set_error(struct sk_watch *w, const char *text)
{
	xstrset(&w->error, text);
	w->cut = 0;
}


static void
sk_timer_cb(uv_timer_t *t)
{
	struct sk_watch	*w = t->data;

	/* After a short stream, watch again from the last RV; the notice
	 * said "retrying in", which is now. */
	if (w->rewatch) {
		w->rewatch = 0;
		if (w->cut) {
			sk_set_error(w, NULL);
			sk_update_status(w->sk);
		}
		sk_watch(w);
		return;
	}
	/* After a failure, list again: its success is what clears the error,
	 * and it heals whatever the outage made us miss. */
	sk_list(w);
}

/* Try again later, doubling the delay each time (with jitter), up to
 * SK_BACKOFF_MAX; only a healthy stream resets it. Returns the delay in s. */
static double
sk_retry(struct sk_watch *w)
{
	double	 delay = w->backoff;

	w->rewatch = 0;
	if (!w->sk->watch) {
		w->state = SK_DONE;
		return 0;
	}
	delay *= 0.8 + 0.4 * (rand() / (double)RAND_MAX);
	w->backoff = w->backoff * 2 > SK_BACKOFF_MAX ? SK_BACKOFF_MAX :
	    w->backoff * 2;
	w->streak++;
	w->state = SK_WAITING;
	uv_timer_start(&w->timer, sk_timer_cb, (uint64_t)(delay * 1000), 0);
	return delay;
}

/* A stream is healthy if it lasted SK_HEALTHY or delivered a bookmark. */
static int
sk_healthy(struct sk_watch *w)
{
	return w->bookmarked || now_mono() - w->started >= SK_HEALTHY;
}

/* A stream that ended cleanly but too soon: watch again at once the first
 * time, then with backoff, and say so where the pods are shown. */
static void
sk_short_stream(struct sk_watch *w)
{
	double	 lasted = now_mono() - w->started, delay;
	char	 buf[256];

	if (w->streak == 0) {
		log_debug("kube %s: watch cut after %.1f s, watching again",
		    w->resource, lasted);
		w->streak++;
		sk_watch(w);
		return;
	}
	delay = sk_retry(w);
	w->rewatch = 1;
	snprintf(buf, sizeof buf, "watch %s: cut after %.1f s, retrying in "
	    "%.1f s", w->resource, lasted, delay);
	log_warn("kube %s: %s", w->resource, buf);
	sk_set_error(w, buf);
	w->cut = 1;
	sk_update_status(w->sk);
}

static void
sk_fail(struct sk_watch *w, const char *text)
{
	log_warn("kube %s: %s", w->resource, text);
	sk_set_error(w, text);
	sk_retry(w);
	sk_update_status(w->sk);
}

/*
 * A 401 with an exec credential plugin: the token may have expired; run the
 * plugin again, once per streak of 401s, as client-go does. Returns 1 if new
 * credentials are there to try. The plugin runs synchronously, bounded by a
 * 10 s limit; it only runs after a 401, never on the normal path.
 */
static int
sk_reauth(struct source_kube *sk, long status)
{
	struct kubeconfig	*kc = sk->kube->kc;
	char			*cause = NULL;

	if (status != 401 || kc->exec == NULL || sk->reauthed)
		return 0;
	sk->reauthed = 1;
	if (kubeconfig_refresh(kc, 1, 10, &cause) != 0) {
		log_warn("kube: exec plugin: %s", cause);
		free(cause);
		return 0;
	}
	return 1;
}

static void
sk_list_done(struct http_request *req, const struct http_response *res,
    void *arg)
{
	struct sk_watch	*w = arg;
	struct table	*t;
	json_t		*root;
	json_error_t	 jerr;
	const char	*cont, *rv;
	char		*text, buf[256];

	w->req = NULL;
	if (res->error != 0 || res->status != 200) {
		table_clear(&w->pending);
		free(w->cont);
		w->cont = NULL;
		if (res->status == 404 && w->kind == SK_HPAS) {
			w->unsupported = 1;
			w->state = SK_DONE;
			sk_update_status(w->sk);
			return;
		}
		if (sk_reauth(w->sk, res->status)) {
			sk_list(w);
			return;
		}
		if (res->status == 410) {
			/* Continue token or RV too old: list from scratch. */
			w->full_relist = 1;
			w->backoff = SK_BACKOFF_MIN;
			sk_list(w);
			return;
		}
		text = kube_error_text(res);
		snprintf(buf, sizeof buf, "list %s: %s", w->resource, text);
		free(text);
		sk_fail(w, buf);
		return;
	}
	if ((root = json_loadb(res->body, res->body_len, 0, &jerr)) == NULL ||
	    sk_store_page(w, root) != 0) {
		snprintf(buf, sizeof buf, "list %s: bad response: %s",
		    w->resource, root == NULL ? jerr.text : "not a list");
		json_decref(root);
		table_clear(&w->pending);
		sk_fail(w, buf);
		return;
	}
	cont = decode_kube_list_continue(root);
	rv = decode_kube_list_rv(root);
	if (cont != NULL && *cont != '\0') {
		xstrset(&w->cont, cont);
		json_decref(root);
		sk_list(w);
		return;
	}
	xstrset(&w->rv, rv);
	json_decref(root);
	free(w->cont);
	w->cont = NULL;
	w->full_relist = 0;

	/* Replace the model's table with the complete list. */
	t = sk_model_table(w);
	table_clear(t);
	*t = w->pending;
	table_init(&w->pending, sk_free_fn(w->kind));
	if (w->kind == SK_RSETS)
		sk_resolve_pods(w->sk->model);
	w->synced = 1;
	w->sk->reauthed = 0;
	sk_set_error(w, NULL);
	model_mark(w->sk->model, sk_dirty(w));
	if (w->sk->watch)
		sk_watch(w);
	else
		w->state = SK_DONE;
	sk_update_status(w->sk);
}

static void
sk_list(struct sk_watch *w)
{
	struct kube_req	 r;
	char		*base, *path, *cont = NULL;

	if (w->cont == NULL)
		table_clear(&w->pending);
	base = sk_path(w);
	if (w->cont != NULL) {
		cont = kube_escape(w->cont);
		xasprintf(&path, "%s?limit=%d&continue=%s", base, SK_PAGE,
		    cont);
	} else
		xasprintf(&path, "%s?limit=%d", base, SK_PAGE);
	memset(&r, 0, sizeof r);
	r.path = path;
	r.accept = w->kind == SK_PODS ? KUBE_ACCEPT_TABLE : KUBE_ACCEPT_JSON;
	r.timeout_ms = SK_LIST_TIMEOUT;
	r.on_done = sk_list_done;
	r.arg = w;
	w->state = SK_LISTING;
	w->req = kube_start(w->sk->kube, &r);
	free(cont);
	free(path);
	free(base);
}

/* Apply one watch event line. Returns non-zero to end the stream. */
static int
sk_watch_line(struct http_request *req, const char *line, size_t len,
    void *arg)
{
	struct sk_watch		*w = arg;
	struct table		*t = sk_model_table(w);
	struct kube_status	 st;
	json_t			*ev, *obj, *rows, *row, *meta;
	enum kube_event_type	 type;
	const char		*rv = NULL;
	char			 key[512];

	if (len == 0)
		return 0;
	if ((ev = json_loadb(line, len, 0, NULL)) == NULL) {
		log_warn("kube %s: unparsable watch event", w->resource);
		return 0;
	}
	type = decode_kube_event(ev, &obj);
	if (type == KUBE_EVENT_BOOKMARK)
		w->bookmarked = 1;
	if (type != KUBE_EVENT_ERROR && w->error != NULL) {
		sk_set_error(w, NULL);
		sk_update_status(w->sk);
	}
	if (type == KUBE_EVENT_ERROR) {
		if (decode_kube_status(obj, &st) == 0 &&
		    kube_is_expired(st.code, st.reason)) {
			w->expired = 1;
		} else {
			sk_set_error(w, st.message != NULL ? st.message :
			    "watch error");
		}
		decode_kube_status_clear(&st);
		json_decref(ev);
		return 1;
	}
	if (type == KUBE_EVENT_BAD || obj == NULL) {
		json_decref(ev);
		return 0;
	}
	rows = json_object_get(obj, "rows");
	if (rows != NULL) {
		/* A one-row Table; only the first event carries columns. */
		if (json_array_size(json_object_get(obj,
		    "columnDefinitions")) > 0 &&
		    decode_kube_pod_columns(obj, &w->cols) == 0)
			w->have_cols = 1;
		row = json_array_get(rows, 0);
		meta = json_object_get(json_object_get(row, "object"),
		    "metadata");
		if (meta == NULL)
			meta = json_object_get(obj, "metadata");
	} else {
		row = NULL;
		meta = json_object_get(obj, "metadata");
	}
	rv = json_string_value(json_object_get(meta, "resourceVersion"));
	switch (type) {
	case KUBE_EVENT_ADDED:
	case KUBE_EVENT_MODIFIED:
		if (row != NULL)
			sk_store(w, t, row, 1);
		else
			sk_store(w, t, obj, 0);
		model_mark(w->sk->model, sk_dirty(w));
		break;
	case KUBE_EVENT_DELETED:
		if (decode_kube_key(row != NULL ?
		    json_object_get(row, "object") : obj, key,
		    sizeof key) != NULL && table_del(t, key))
			model_mark(w->sk->model, sk_dirty(w));
		break;
	default:
		break;
	}
	if (rv != NULL && *rv != '\0')
		xstrset(&w->rv, rv);
	json_decref(ev);
	return 0;
}

static void
sk_watch_done(struct http_request *req, const struct http_response *res,
    void *arg)
{
	struct sk_watch	*w = arg;
	char		*text, buf[256];
	double		 delay;

	w->req = NULL;
	if (sk_healthy(w)) {
		w->backoff = SK_BACKOFF_MIN;
		w->streak = 0;
	}
	if (w->expired || res->status == 410) {
		/* The RV is too old: relist, then watch again; at once the
		 * first times, then (a server that says so to every watch)
		 * with backoff too. */
		w->expired = 0;
		if (w->streak < SK_FREE_RELISTS) {
			log_debug("kube %s: watch expired, relisting",
			    w->resource);
			w->streak++;
			sk_list(w);
			return;
		}
		delay = sk_retry(w);
		snprintf(buf, sizeof buf, "watch %s: expired again after "
		    "%.1f s, relisting in %.1f s", w->resource,
		    now_mono() - w->started, delay);
		log_warn("kube %s: %s", w->resource, buf);
		sk_set_error(w, buf);
		sk_update_status(w->sk);
		return;
	}
	if (res->error == HTTP_ABORTED) {
		sk_fail(w, w->error != NULL ? w->error : "watch error");
		return;
	}
	if (res->error != 0 || res->status != 200) {
		text = kube_error_text(res);
		snprintf(buf, sizeof buf, "watch %s: %s", w->resource, text);
		free(text);
		sk_fail(w, buf);
		return;
	}
	/* A clean end (timeoutSeconds): watch again from the last RV. A
	 * stream that ends too soon, again and again, backs off instead. */
	if (sk_healthy(w))
		sk_watch(w);
	else
		sk_short_stream(w);
}

static void
sk_watch(struct sk_watch *w)
{
	struct kube_req	 r;
	char		*base, *path, *rv;

	base = sk_path(w);
	rv = kube_escape(w->rv != NULL ? w->rv : "0");
	xasprintf(&path, "%s?watch=1&resourceVersion=%s"
	    "&allowWatchBookmarks=true&timeoutSeconds=%d", base, rv,
	    300 + rand() % 300);
	memset(&r, 0, sizeof r);
	r.path = path;
	r.accept = w->kind == SK_PODS ? KUBE_ACCEPT_TABLE : KUBE_ACCEPT_JSON;
	r.on_line = sk_watch_line;
	r.on_done = sk_watch_done;
	r.arg = w;
	w->state = SK_WATCHING;
	w->expired = 0;
	w->bookmarked = 0;
	w->started = now_mono();
	w->req = kube_start(w->sk->kube, &r);
	free(rv);
	free(path);
	free(base);
}

/* Recompute the kube source's status from its watches. */
static void
sk_update_status(struct source_kube *sk)
{
	struct model	*m = sk->model;
	const char	*err = NULL;
	int		 i, synced = 1, done = 1;

	for (i = 0; i < SK__COUNT; i++) {
		struct sk_watch	*w = &sk->w[i];

		if (w->unsupported)
			continue;
		if (w->error != NULL && err == NULL)
			err = w->error;
		if (!w->synced)
			synced = 0;
		if (w->state != SK_DONE)
			done = 0;
	}
	if (sk->probe_failed)
		return;		/* the probe owns the error text */
	if (err != NULL)
		model_source_fail(m, SOURCE_KUBE, "%s", err);
	else if (synced)
		model_source_ok(m, SOURCE_KUBE, sk->watch);
	if (!sk->announced && sk->on_synced != NULL &&
	    ((sk->watch && synced) || (!sk->watch && done))) {
		sk->announced = 1;
		sk->on_synced(sk->arg);
	}
}

static void
sk_restart(struct source_kube *sk)
{
	int	 i;

	for (i = 0; i < SK__COUNT; i++) {
		struct sk_watch	*w = &sk->w[i];

		if (w->unsupported)
			continue;
		if (w->req != NULL)
			http_cancel(w->req);
		w->req = NULL;
		uv_timer_stop(&w->timer);
		w->backoff = SK_BACKOFF_MIN;
		w->streak = 0;
		w->rewatch = 0;
		free(w->cont);
		w->cont = NULL;
		sk_list(w);
	}
}

static void
sk_probe_done(struct http_request *req, const struct http_response *res,
    void *arg)
{
	struct source_kube	*sk = arg;
	char			*text;

	sk->probe_req = NULL;
	if (res->error != 0 || res->status == 0 || res->status >= 500) {
		text = kube_error_text(res);
		log_warn("kube: probe failed: %s", text);
		sk->probe_failed = 1;
		model_source_fail(sk->model, SOURCE_KUBE,
		    "API server not answering: %s", text);
		free(text);
		return;
	}
	if (sk->probe_failed) {
		/* Back from an outage: streams may be half-dead; relist. */
		log_debug("kube: server answers again, relisting");
		sk->probe_failed = 0;
		sk_restart(sk);
	}
}

static void
sk_probe_cb(uv_timer_t *t)
{
	struct source_kube	*sk = t->data;
	struct kube_req		 r;

	if (sk->probe_req != NULL)
		return;
	memset(&r, 0, sizeof r);
	r.path = "/version";
	r.timeout_ms = SK_PROBE_TIMEOUT;
	r.max_body = 64 * 1024;
	r.on_done = sk_probe_done;
	r.arg = sk;
	sk->probe_req = kube_start(sk->kube, &r);
}

static void *
source_kube_create(const struct source_env *e)
{
	static const struct {
		const char	*group;
		const char	*resource;
	} res[SK__COUNT] = {
		{ "/api/v1", "pods" },
		{ "/apis/apps/v1", "deployments" },
		{ "/apis/apps/v1", "replicasets" },
		{ "/apis/autoscaling/v1", "horizontalpodautoscalers" },
	};
	struct source_kube	*sk;
	int			 i;

	if (e->kube == NULL)
		return NULL;		/* Kubernetes is not configured */
	sk = xcalloc(1, sizeof *sk);
	sk->loop = e->loop;
	sk->kube = e->kube;
	sk->model = e->model;
	sk->watch = e->watch;
	sk->on_synced = e->on_poll;
	sk->arg = e->arg;
	for (i = 0; i < SK__COUNT; i++) {
		struct sk_watch	*w = &sk->w[i];

		w->sk = sk;
		w->kind = i;
		w->group = res[i].group;
		w->resource = res[i].resource;
		w->backoff = SK_BACKOFF_MIN;
		table_init(&w->pending, sk_free_fn(i));
		uv_timer_init(e->loop, &w->timer);
		w->timer.data = w;
	}
	uv_timer_init(e->loop, &sk->probe);
	sk->probe.data = sk;
	return sk;
}

static void
source_kube_start(void *arg)
{
	struct source_kube	*sk = arg;
	int			 i;

	model_source_set(sk->model, SOURCE_KUBE, SOURCE_INIT);
	for (i = 0; i < SK__COUNT; i++)
		sk_list(&sk->w[i]);
	if (sk->watch)
		uv_timer_start(&sk->probe, sk_probe_cb, SK_PROBE_EVERY,
		    SK_PROBE_EVERY);
}

static void
source_kube_refresh(void *arg)
{
	struct source_kube *sk = arg;

	if (sk->watch)
		sk_restart(sk);
}

int
source_kube_synced(const struct source_kube *sk)
{
	int	 i;

	for (i = 0; i < SK__COUNT; i++) {
		if (!sk->w[i].synced && !sk->w[i].unsupported)
			return 0;
	}
	return 1;
}

static void
sk_closed(uv_handle_t *h)
{
	struct source_kube	*sk = h->data;
	int			 i;

	if (h != (uv_handle_t *)&sk->probe)
		sk = ((struct sk_watch *)h->data)->sk;
	if (--sk->closing > 0)
		return;
	for (i = 0; i < SK__COUNT; i++) {
		table_clear(&sk->w[i].pending);
		free(sk->w[i].rv);
		free(sk->w[i].cont);
		free(sk->w[i].error);
	}
	free(sk);
}

static void
source_kube_free(void *arg)
{
	struct source_kube	*sk = arg;
	int			 i;

	if (sk == NULL)
		return;
	sk->closing = SK__COUNT + 1;
	for (i = 0; i < SK__COUNT; i++) {
		if (sk->w[i].req != NULL)
			http_cancel(sk->w[i].req);
		sk->w[i].req = NULL;
		uv_close((uv_handle_t *)&sk->w[i].timer, sk_closed);
	}
	if (sk->probe_req != NULL)
		http_cancel(sk->probe_req);
	uv_close((uv_handle_t *)&sk->probe, sk_closed);
}

/* The snapshot's deadline passed: Kubernetes is what is reported as timed
 * out, whether or not it had listed everything. */
static void
source_kube_timed_out(void *arg)
{
	struct source_kube	*sk = arg;

	model_source_fail(sk->model, SOURCE_KUBE, "timed out");
}

const struct source_ops source_kube_ops = {
	.name = "kube",
	.create = source_kube_create,
	.start = source_kube_start,
	.refresh = source_kube_refresh,
	.free = source_kube_free,
	.timed_out = source_kube_timed_out,
};
