/* source-kube-store.c: the Kubernetes source's objects: each decoded (a
 * Table row or an object) into the model's table for its kind. */
#include <stdio.h>
#include <stdlib.h>

#include <jansson.h>

#include "decode-kube.h"
#include "kube.h"
#include "model.h"
#include "source-kube-private.h"
#include "warroom.h"

struct table *
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

unsigned
sk_dirty(struct sk_watch *w)
{
	return w->kind == SK_PODS ? DIRTY_PODS : DIRTY_DEPLOYS | DIRTY_PODS;
}

void (*sk_free_fn(enum sk_kind kind))(void *)
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

/* Decode one object (or Table row) and store it in t. Returns 0 or -1. */
int
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
void
sk_resolve_pods(struct model *m)
{
	struct kube_pod	*pod;
	size_t		 pos = 0;

	while ((pod = table_next(&m->pods, &pos)) != NULL)
		model_pod_resolve(m, pod);
}

/* Store every item of a list page (a Table or a plain List). */
int
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
