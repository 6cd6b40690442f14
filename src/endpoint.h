/* endpoint.h: requests to the HTTP services warroom reads besides
 * Kubernetes (Prometheus, Alertmanager): base URL, bearer token or basic
 * auth read from files at each request (they may rotate), a CA file. */
#ifndef WARROOM_ENDPOINT_H
#define WARROOM_ENDPOINT_H

#include "net-http.h"

struct endpoint {
	const char	*name;		/* "prometheus", for messages */
	const char	*url;		/* base, no trailing '/' needed */
	const char	*token_file;	/* or NULL */
	const char	*ca;		/* or NULL */
	const char	*basic_file;	/* "user:password", or NULL */
};

/* The configured Prometheus and Alertmanager (url NULL if none). */
void	 endpoint_prometheus(struct endpoint *);
void	 endpoint_alertmanager(struct endpoint *);

/*
 * Start METHOD url+path (path starts with '/'; may carry a query). Returns
 * the request, or NULL and a new *cause when a credential file cannot be
 * read (nothing was sent). Secrets are never logged.
 */
struct http_request *endpoint_start(struct http *, const struct endpoint *,
	    const char *method, const char *path, const char *content_type,
	    const char *body, long timeout_ms, http_done_cb, void *arg,
	    char **cause);

/* Why e's credentials (token-file, basic-auth-file, a password in the URL)
 * would cross a network in clear text (http:// to a host not this
 * machine), as a new string; NULL if they would not. */
char	*endpoint_cleartext(const struct endpoint *);

/* One line for a failed answer: the transport error, or "HTTP 503: " and
 * the first line of the body. New string, sanitized. */
char	*endpoint_error(const struct http_response *);

/* Percent-encode s for a query string or a form body. New string. */
char	*endpoint_escape(const char *);

#endif
