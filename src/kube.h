/* kube.h: a Kubernetes API client on net-http: URLs, credentials and error
 * text for requests to the server named by a kubeconfig. */
#ifndef WARROOM_KUBE_H
#define WARROOM_KUBE_H

#include "net-http.h"

struct kubeconfig;

/* Accept header that asks for the server-side Table, as kubectl get does. */
#define KUBE_ACCEPT_TABLE \
	"application/json;as=Table;v=v1;g=meta.k8s.io," \
	"application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json"
#define KUBE_ACCEPT_JSON "application/json"

struct kube {
	struct http		*http;
	struct kubeconfig	*kc;	/* borrowed; outlives the client */
	struct http_tls		 tls;	/* points into kc */
	char			*user_agent;
};

struct kube_req {
	const char	*method;	/* NULL = GET */
	const char	*path;		/* "/api/v1/pods?limit=500", already escaped */
	const char	*accept;	/* NULL = KUBE_ACCEPT_JSON */
	const char	*content_type;
	const char	*body;
	size_t		 body_len;
	long		 timeout_ms;	/* 0 = none (watch) */
	size_t		 max_body;	/* 0 = 64 MiB */
	http_line_cb	 on_line;	/* stream mode */
	http_done_cb	 on_done;
	void		*arg;
};

/* kc is borrowed and must outlive the client. */
struct kube	*kube_create(struct http *, struct kubeconfig *);
void		 kube_free(struct kube *);
struct http_request *kube_start(struct kube *, const struct kube_req *);

/* A one-line description of a failed response: the transport error, or
 * "403 Forbidden: <Status message>" from the body. New string. */
char	*kube_error_text(const struct http_response *);
/* 1 if the response (or an ERROR event's Status) says "expired" (410). */
int	 kube_is_expired(long code, const char *reason);
/* Percent-encode a query value (selectors, continue tokens). New string. */
char	*kube_escape(const char *);

#endif
