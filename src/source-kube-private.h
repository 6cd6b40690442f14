/* source-kube-private.h: what the Kubernetes source's list+watch loop
 * (source-kube.c) and its object store (source-kube-store.c) share. */
#ifndef WARROOM_SOURCE_KUBE_PRIVATE_H
#define WARROOM_SOURCE_KUBE_PRIVATE_H

#include <jansson.h>
#include <uv.h>

#include "decode-kube.h"
#include "table.h"

struct http_request;
struct model;

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
	int		 streak;	/* failures and short streams in a row */
	int		 rewatch;	/* the timer watches again (no list) */
	int		 cut;		/* error is the short-stream notice */
	double		 started;	/* now_mono() the stream started */
	int		 bookmarked;	/* the stream delivered a BOOKMARK */
	char		*rv;		/* last resourceVersion seen */
	char		*cont;		/* continue token of the list in progress */
	int		 full_relist;	/* next list with resourceVersion="" */
	struct table	 pending;	/* items of the list in progress */
	struct kube_pod_columns cols;	/* pod Table columns */
	int		 have_cols;
	int		 synced;	/* listed at least once */
	int		 unsupported;	/* the server does not serve it */
	int		 expired;	/* the stream said 410 */
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

/* source-kube-store.c: the model's table for w, and its dirty bits. */
struct table	*sk_model_table(struct sk_watch *);
unsigned	 sk_dirty(struct sk_watch *);
/* The free function of w's kind of object, for its tables. */
void		(*sk_free_fn(enum sk_kind))(void *);
/* Decode one object (or Table row, is_row) and store it in t, which owns
 * it then. Returns 0, or -1 (logged) if it does not decode. */
int		 sk_store(struct sk_watch *, struct table *, json_t *, int);
/* Store every item of a list page (a Table or a plain List) in w->pending.
 * Returns 0, or -1 if root is not a list. root stays the caller's. */
int		 sk_store_page(struct sk_watch *, json_t *);
/* Every ReplicaSet is known now: cache each pod's Deployment. */
void		 sk_resolve_pods(struct model *);

#endif
