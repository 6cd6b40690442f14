/* source-kube.c: list+watch of pods (as server-side Tables, so STATUS is what
 * kubectl prints), deployments, replicasets and HPAs. A 410 relists; a dropped
 * stream reconnects with backoff; a probe notices a server that hangs. */
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
#include "warroom.h"

#define SK_PAGE		500		/* items per list page, as kubectl */
#define SK_LIST_TIMEOUT	30000		/* ms for one list page */
#define SK_PROBE_EVERY	3000		/* ms between liveness probes */
#define SK_PROBE_TIMEOUT 2500		/* ms a probe may take */
#define SK_BACKOFF_MIN	0.5		/* s */
#define SK_BACKOFF_MAX	15.0		/* s */

enum sk_kind { SK_PODS, SK_DEPLOYS, SK_RSETS, SK_HPAS, SK__COUNT };

enum sk_state {
	SK_IDLE,
	SK_LISTING,
	SK_WATCHING,
	SK_WAITING,			/* backoff timer running */
	SK_DONE				/* snapshot mode: finished */
};

struct sk_watch {
	struct source_kube *sk;
	enum sk_kind	 kind;
	const char	*group;		/* "/api/v1" */
	const char	*resource;	/* "pods" */
	enum sk_state	 state;
	struct http_request *req;
	uv_timer_t	 timer;		/* backoff */
	double		 backoff;	/* next delay, s */
	char		*rv;		/* last resourceVersion seen */
	char		*cont;		/* continue token of the list in progress */
	int		 full_relist;	/* next list with resourceVersion="" */
	struct table	 pending;	/* items of the list in progress */
	struct kube_pod_columns cols;	/* pod Table columns */
	int		 have_cols;
	int		 synced;	/* listed at least once */
	int		 unsupported;	/* the server does not serve it */
	int		 expired;	/* the stream said 410 */
	int		 got_event;	/* the stream delivered something */
	char		*error;		/* last error, or NULL */
};

struct source_kube {
	uv_loop_t	*loop;
	struct kube	*kube;
	struct model	*model;
	int		 watch;
	void		(*on_synced)(void *);
	void		*arg;
	int		 announced;	/* on_synced called */
	struct sk_watch	 w[SK__COUNT];
	uv_timer_t	 probe;
	struct http_request *probe_req;
	int		 probe_failed;	/* last probe failed */
	int		 reauthed;	/* exec plugin re-run since the last 401 */
	int		 closing;	/* handles left to close */
};

static void	sk_list(struct sk_watch *);
static void	sk_watch(struct sk_watch *);
static void	sk_update_status(struct source_kube *);

static struct table *
sk_model_table(struct sk_watch *w)
{
	struct model	*m = w->sk->model;

	switch (w->kind) {
	case SK_PODS:
		return &m->pods;
	case SK_DEPLOYS:
		return &m->deploys;
	case SK_RSETS:
		return &m->rsets;
	case SK_HPAS:
		return &m->hpas;
	default:
		break;
	}
	fatal("source-kube: bad kind %d", (int)w->kind);
}

static unsigned
sk_dirty(struct sk_watch *w)
{
	return w->kind == SK_PODS ? DIRTY_PODS : DIRTY_DEPLOYS | DIRTY_PODS;
}

static void (*sk_free_fn(enum sk_kind kind))(void *)
{
	switch (kind) {
	case SK_PODS:
		return kube_pod_free;
	case SK_DEPLOYS:
		return kube_deploy_free;
	case SK_RSETS:
		return kube_rs_free;
	default:
		return kube_hpa_free;
	}
}

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
}

/* Decode one object (or Table row) and store it in t. Returns 0 or -1. */
static int
sk_store(struct sk_watch *w, struct table *t, json_t *obj, int is_row)
{
	char	 key[512], *cause = NULL;
	void	*item = NULL;

	switch (w->kind) {
	case SK_PODS:
		if (is_row)
			item = decode_kube_pod_row(&w->cols, obj, &cause);
		else
			item = decode_kube_pod(obj, now_wall(), &cause);
		if (item != NULL)
			snprintf(key, sizeof key, "%s/%s",
			    ((struct kube_pod *)item)->ns,
			    ((struct kube_pod *)item)->name);
		break;
	case SK_DEPLOYS:
		if ((item = decode_kube_deploy(obj, &cause)) != NULL)
			snprintf(key, sizeof key, "%s/%s",
			    ((struct kube_deploy *)item)->ns,
			    ((struct kube_deploy *)item)->name);
		break;
	case SK_RSETS:
		if ((item = decode_kube_rs(obj, &cause)) != NULL)
			snprintf(key, sizeof key, "%s/%s",
			    ((struct kube_rs *)item)->ns,
			    ((struct kube_rs *)item)->name);
		break;
	case SK_HPAS:
		if ((item = decode_kube_hpa(obj, &cause)) != NULL)
			snprintf(key, sizeof key, "%s/%s",
			    ((struct kube_hpa *)item)->ns,
			    ((struct kube_hpa *)item)->name);
		break;
	default:
		break;
	}
	if (item == NULL) {
		log_warn("kube %s: skipped an object: %s", w->resource,
		    cause != NULL ? cause : "malformed");
		free(cause);
		return -1;
	}
	if (w->kind == SK_PODS)
		model_pod_resolve(w->sk->model, item);
	table_put(t, key, item);
	return 0;
}

/* Every ReplicaSet is known now: cache each pod's Deployment. */
static void
sk_resolve_pods(struct model *m)
{
	struct kube_pod	*pod;
	size_t		 pos = 0;

	while ((pod = table_next(&m->pods, &pos)) != NULL)
		model_pod_resolve(m, pod);
}

/* Store every item of a list page (a Table or a plain List). */
static int
sk_store_page(struct sk_watch *w, json_t *root)
{
	json_t	*rows, *items, *v;
	size_t	 i;

	if ((rows = json_object_get(root, "rows")) != NULL) {
		if (!w->have_cols || json_array_size(json_object_get(root,
		    "columnDefinitions")) > 0) {
			if (decode_kube_pod_columns(root, &w->cols) != 0)
				return -1;
			w->have_cols = 1;
		}
		json_array_foreach(rows, i, v)
			sk_store(w, &w->pending, v, 1);
		return 0;
	}
	if ((items = json_object_get(root, "items")) == NULL ||
	    !json_is_array(items))
		return -1;
	json_array_foreach(items, i, v)
		sk_store(w, &w->pending, v, 0);
	return 0;
}

static void
sk_timer_cb(uv_timer_t *t)
{
	struct sk_watch	*w = t->data;

	/* After a failure, list again: its success is what clears the error,
	 * and it heals whatever the outage made us miss. */
	sk_list(w);
}

/* Try again later, doubling the delay each time (with jitter). */
static void
sk_retry(struct sk_watch *w)
{
	double	 delay = w->backoff;

	if (!w->sk->watch) {
		w->state = SK_DONE;
		return;
	}
	delay *= 0.8 + 0.4 * (rand() / (double)RAND_MAX);
	w->backoff = w->backoff * 2 > SK_BACKOFF_MAX ? SK_BACKOFF_MAX :
	    w->backoff * 2;
	w->state = SK_WAITING;
	uv_timer_start(&w->timer, sk_timer_cb, (uint64_t)(delay * 1000), 0);
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
	w->backoff = SK_BACKOFF_MIN;
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
	w->got_event = 1;
	type = decode_kube_event(ev, &obj);
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

	w->req = NULL;
	if (w->expired || res->status == 410) {
		/* The RV is too old: relist, then watch again. */
		log_debug("kube %s: watch expired, relisting", w->resource);
		w->expired = 0;
		w->backoff = SK_BACKOFF_MIN;
		sk_list(w);
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
	 * stream that ends at once, again and again, backs off instead. */
	if (w->got_event) {
		w->backoff = SK_BACKOFF_MIN;
		sk_watch(w);
	} else
		sk_retry(w);
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
	w->got_event = 0;
	w->expired = 0;
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
