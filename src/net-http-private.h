/* net-http-private.h: what net-http.c (the loop glue and the request
 * lifecycle) and net-http-setup.c (building one easy handle) share. */
#ifndef WARROOM_NET_HTTP_PRIVATE_H
#define WARROOM_NET_HTTP_PRIVATE_H

#include <sys/queue.h>

#include <curl/curl.h>
#include <uv.h>

#include "net-http.h"

#define HTTP_CONNECT_TIMEOUT_MS	5000
#define HTTP_MAX_BODY		(8 * 1024 * 1024)
#define HTTP_BUF_START		16384
#define HTTP_RETRY_AFTER_MAX	128

enum http_state {
	HTTP_NEW,		/* waiting for the idle hook to add or fail it */
	HTTP_RUNNING,		/* in the multi handle */
	HTTP_CANCELLED,		/* on_done will not run; freed later */
	HTTP_DONE		/* on_done running; freed when it returns */
};

/* One per socket curl asks us to watch; freed only in its close callback. */
struct http_sock {
	uv_poll_t		 poll;
	struct http		*http;
	curl_socket_t		 fd;
	LIST_ENTRY(http_sock)	 entry;	/* on http->socks until closed */
};

struct http_request {
	struct http		*http;
	CURL			*easy;		/* NULL if setup failed early */
	enum http_state		 state;
	int			 in_multi;	/* added to http->multi */
	int			 deferred;	/* on http->deferred */

	char			*method;
	char			*url;		/* for the log: no user info */
	struct curl_slist	*headers;	/* may hold a token: wiped */
	struct curl_slist	*connect_to;	/* tls-server-name redirection */
	char			*tls_url;	/* the URL named for TLS */
	char			 errbuf[CURL_ERROR_SIZE];
	int			 setup_error;	/* CURLcode, or 0 */
	char			*setup_text;

	char			*buf;		/* body, or the current line */
	size_t			 len;
	size_t			 size;
	size_t			 max;		/* cap on len */
	int			 truncated;
	int			 aborted;	/* on_line returned non-zero */
	char			*retry_after;

	http_line_cb		 on_line;
	http_done_cb		 on_done;
	void			*arg;

	TAILQ_ENTRY(http_request) entry;	/* on http->requests */
	TAILQ_ENTRY(http_request) dentry;	/* on http->deferred */
};

struct http {
	uv_loop_t		*loop;
	CURLM			*multi;
	uv_timer_t		 timer;		/* curl's timeout */
	uv_idle_t		 idle;		/* runs http->deferred */
	int			 handles;	/* of timer and idle, not closed */
	int			 depth;		/* inside our uv callbacks */
	int			 freeing;	/* http_free() called */
	int			 closing;	/* tearing down: no new polls */
	int			 active;	/* requests not done or cancelled */

	TAILQ_HEAD(, http_request) requests;
	TAILQ_HEAD(, http_request) deferred;
	LIST_HEAD(, http_sock)	 socks;
};

#define http_setopt(r, opt, val) \
	http_check((r), curl_easy_setopt((r)->easy, (opt), (val)), #opt)

/* net-http-setup.c */
void	 http_check(struct http_request *, CURLcode, const char *);
void	 http_setup(struct http_request *, const struct http_opts *);
void	 http_setup_fail(struct http_request *, CURLcode, const char *,
	    const char *);

/* net-http.c: curl's write and header callbacks. */
size_t	 http_write_cb(char *, size_t, size_t, void *);
size_t	 http_header_cb(char *, size_t, size_t, void *);

#endif
