/* net-http.c: HTTP requests on the libuv loop, libcurl multi underneath: a
 * uv_poll_t per curl socket, a uv_timer_t for curl's timeout, and a uv_idle_t
 * for deferred work (start, cancel) outside curl's callbacks. */

#include <sys/queue.h>

#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>
#include <uv.h>

#include "net-http.h"
#include "warroom.h"

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

static void	http_timer_cb(uv_timer_t *);
static void	http_idle_cb(uv_idle_t *);
static void	http_teardown(struct http *);

/* Record the first option curl refused; the request then fails in on_done. */
static void
http_check(struct http_request *r, CURLcode rc, const char *what)
{
	if (rc == CURLE_OK || r->setup_error != 0)
		return;
	if (strncmp(what, "CURLOPT_", 8) == 0)
		what += 8;
	r->setup_error = rc;
	xasprintf(&r->setup_text, "unsupported option %s: %s", what,
	    curl_easy_strerror(rc));
}

static void
http_setup_fail(struct http_request *r, CURLcode rc, const char *what,
    const char *detail)
{
	if (r->setup_error != 0)
		return;
	r->setup_error = rc;
	if (detail != NULL)
		xasprintf(&r->setup_text, "%s: %s", what, detail);
	else
		r->setup_text = xstrdup(what);
}

/* The URL as logged: parsed, with any user name and password removed. */
static char *
http_url_for_log(const char *url, CURLUcode *uc)
{
	CURLU	*u;
	char	*s, *out;

	if ((u = curl_url()) == NULL)
		fatal("curl_url failed");
	if ((*uc = curl_url_set(u, CURLUPART_URL, url, 0)) != CURLUE_OK) {
		curl_url_cleanup(u);
		return (NULL);
	}
	curl_url_set(u, CURLUPART_USER, NULL, 0);
	curl_url_set(u, CURLUPART_PASSWORD, NULL, 0);
	if ((*uc = curl_url_get(u, CURLUPART_URL, &s, 0)) != CURLUE_OK) {
		curl_url_cleanup(u);
		return (NULL);
	}
	out = xstrdup(s);
	curl_free(s);
	curl_url_cleanup(u);
	return (out);
}

static void
http_buf_reserve(struct http_request *r, size_t need)
{
	size_t	 size;

	if (need + 1 <= r->size)
		return;
	size = r->size != 0 ? r->size : HTTP_BUF_START;
	while (size < need + 1)
		size *= 2;
	if (size > r->max + 1)
		size = r->max + 1;
	r->buf = xrealloc(r->buf, size);
	r->size = size;
}

static size_t
http_write_body(struct http_request *r, const char *ptr, size_t n)
{
	if (n > r->max - r->len) {
		r->truncated = 1;
		return (0);
	}
	http_buf_reserve(r, r->len + n);
	memcpy(r->buf + r->len, ptr, n);
	r->len += n;
	r->buf[r->len] = '\0';
	return (n);
}

/* Stream mode: hand each complete line to on_line; keep the tail. */
static size_t
http_write_lines(struct http_request *r, const char *ptr, size_t n)
{
	const char	*p = ptr, *nl;
	size_t		 left = n, seg, len;

	while (left > 0) {
		nl = memchr(p, '\n', left);
		seg = nl != NULL ? (size_t)(nl - p) : left;
		if (seg > r->max - r->len) {
			r->truncated = 1;
			return (0);
		}
		http_buf_reserve(r, r->len + seg);
		memcpy(r->buf + r->len, p, seg);
		r->len += seg;
		r->buf[r->len] = '\0';
		if (nl == NULL)
			break;

		len = r->len;
		r->len = 0;
		if (r->on_line(r, r->buf, len, r->arg) != 0) {
			r->aborted = 1;
			return (0);
		}
		if (r->state != HTTP_RUNNING)
			return (0);	/* cancelled from on_line */
		p = nl + 1;
		left -= seg + 1;
	}
	return (n);
}

static size_t
http_write_cb(char *ptr, size_t size, size_t nmemb, void *arg)
{
	struct http_request	*r = arg;
	size_t			 n = size * nmemb;

	if (r->state != HTTP_RUNNING)
		return (0);
	if (r->on_line != NULL)
		return (http_write_lines(r, ptr, n));
	return (http_write_body(r, ptr, n));
}

/* Keep the last Retry-After; a new status line (after 1xx) starts over. */
static size_t
http_header_cb(char *ptr, size_t size, size_t nitems, void *arg)
{
	static const char	 name[] = "Retry-After:";
	struct http_request	*r = arg;
	size_t			 n = size * nitems, vlen;
	const char		*v;

	if (r->state != HTTP_RUNNING)
		return (0);
	if (n >= 5 && strncmp(ptr, "HTTP/", 5) == 0) {
		free(r->retry_after);
		r->retry_after = NULL;
		return (n);
	}
	if (n < sizeof name - 1 || strncasecmp(ptr, name, sizeof name - 1) != 0)
		return (n);
	v = ptr + sizeof name - 1;
	vlen = n - (sizeof name - 1);
	while (vlen > 0 && (*v == ' ' || *v == '\t')) {
		v++;
		vlen--;
	}
	while (vlen > 0 && isspace((unsigned char)v[vlen - 1]))
		vlen--;
	if (vlen > HTTP_RETRY_AFTER_MAX)
		vlen = HTTP_RETRY_AFTER_MAX;
	free(r->retry_after);
	r->retry_after = xstrndup(v, vlen);
	return (n);
}

static void
http_defer(struct http_request *r)
{
	struct http	*h = r->http;

	if (!r->deferred) {
		TAILQ_INSERT_TAIL(&h->deferred, r, dentry);
		r->deferred = 1;
	}
	uv_idle_start(&h->idle, http_idle_cb);
}

/* Free a request: out of the multi, off the lists, the token wiped. */
static void
http_request_free(struct http_request *r)
{
	struct http		*h = r->http;
	struct curl_slist	*sl;

	if (r->in_multi)
		curl_multi_remove_handle(h->multi, r->easy);
	if (r->easy != NULL)
		curl_easy_cleanup(r->easy);
	TAILQ_REMOVE(&h->requests, r, entry);
	if (r->deferred)
		TAILQ_REMOVE(&h->deferred, r, dentry);
	for (sl = r->headers; sl != NULL; sl = sl->next)
		explicit_bzero(sl->data, strlen(sl->data));
	curl_slist_free_all(r->headers);
	curl_slist_free_all(r->connect_to);
	free(r->tls_url);
	free(r->method);
	free(r->url);
	free(r->setup_text);
	free(r->buf);
	free(r->retry_after);
	free(r);
}

/* Short readable texts for the transport errors a dashboard sees. */
static const struct {
	CURLcode	 code;
	const char	*text;
} http_error_texts[] = {
	{ CURLE_COULDNT_CONNECT, "could not connect" },
	{ CURLE_OPERATION_TIMEDOUT, "timed out" },
	{ CURLE_COULDNT_RESOLVE_HOST, "could not resolve host" },
	{ CURLE_PEER_FAILED_VERIFICATION, "TLS certificate verification failed" },
	{ CURLE_SSL_CONNECT_ERROR, "TLS handshake failed" },
	{ CURLE_SSL_CERTPROBLEM, "bad TLS client certificate or key" },
	{ CURLE_SSL_CACERT_BADFILE, "bad TLS CA certificate" },
	{ CURLE_GOT_NOTHING, "empty reply from server" },
	{ CURLE_RECV_ERROR, "connection lost" },
	{ CURLE_SEND_ERROR, "connection lost" },
	{ CURLE_UNSUPPORTED_PROTOCOL, "unsupported protocol" },
	{ CURLE_URL_MALFORMAT, "bad URL" },
};

/* The short text for a curl error, then curl's own detail if any. */
static void
http_error_text(struct http_request *r, CURLcode rc, char *out, size_t n)
{
	const char	*what = curl_easy_strerror(rc);
	long		 oserr = 0;
	size_t		 i;

	for (i = 0; i < nitems(http_error_texts); i++) {
		if (http_error_texts[i].code == rc)
			what = http_error_texts[i].text;
	}
	if (rc == CURLE_COULDNT_CONNECT) {
		curl_easy_getinfo(r->easy, CURLINFO_OS_ERRNO, &oserr);
		if (oserr == ECONNREFUSED)
			what = "connection refused";
	}
	if (r->errbuf[0] != '\0')
		snprintf(out, n, "%s (%s)", what, r->errbuf);
	else
		snprintf(out, n, "%s", what);
}

/*
 * The request ended (removed from the multi, or failed before it was added):
 * deliver a last unterminated line, then on_done, then free it. If a callback
 * cancels it, it is left for the idle hook or the teardown to free.
 */
static void
http_finish(struct http_request *r, CURLcode rc)
{
	struct http		*h = r->http;
	struct http_response	 resp;
	char			 text[CURL_ERROR_SIZE + 256];
	curl_off_t		 us = 0;
	size_t			 len;

	memset(&resp, 0, sizeof resp);
	if (r->easy != NULL) {
		curl_easy_getinfo(r->easy, CURLINFO_RESPONSE_CODE, &resp.status);
		curl_easy_getinfo(r->easy, CURLINFO_TOTAL_TIME_T, &us);
	}

	if (rc == CURLE_OK && r->on_line != NULL && r->len > 0) {
		len = r->len;
		r->len = 0;
		if (r->on_line(r, r->buf, len, r->arg) != 0)
			r->aborted = 1;
		if (r->state != HTTP_RUNNING)
			return;
	}

	if (r->aborted) {
		resp.error = HTTP_ABORTED;
		resp.error_text = "aborted by the line callback";
	} else if (r->truncated || rc == CURLE_FILESIZE_EXCEEDED) {
		resp.truncated = 1;
		resp.error = CURLE_FILESIZE_EXCEEDED;
		snprintf(text, sizeof text, "%s larger than %zu bytes",
		    r->on_line != NULL ? "line" : "response", r->max);
		resp.error_text = text;
	} else if (r->setup_error != 0) {
		resp.error = r->setup_error;
		resp.error_text = r->setup_text;
	} else if (rc != CURLE_OK) {
		resp.error = rc;
		http_error_text(r, rc, text, sizeof text);
		resp.error_text = text;
	}
	if (r->on_line == NULL) {
		resp.body = r->buf != NULL ? r->buf : "";
		resp.body_len = r->len;
	}
	resp.retry_after = r->retry_after;

	log_debug("http: %s %s: status %ld, %s, %.3f s", r->method,
	    r->url != NULL ? r->url : "(bad URL)", resp.status,
	    resp.error_text != NULL ? resp.error_text : "ok", us / 1e6);

	r->state = HTTP_DONE;
	h->active--;
	if (r->on_done != NULL)
		r->on_done(r, &resp, r->arg);
	http_request_free(r);
}

/* Drain curl's messages; after every curl_multi_socket_action. */
static void
http_check_multi(struct http *h)
{
	struct http_request	*r;
	CURLMsg			*msg;
	CURL			*easy;
	CURLcode		 rc;
	char			*priv;
	int			 pending;

	while ((msg = curl_multi_info_read(h->multi, &pending)) != NULL) {
		if (msg->msg != CURLMSG_DONE)
			continue;
		/* msg is gone after curl_multi_remove_handle. */
		easy = msg->easy_handle;
		rc = msg->data.result;
		priv = NULL;
		curl_easy_getinfo(easy, CURLINFO_PRIVATE, &priv);
		r = (struct http_request *)priv;
		if (r == NULL || r->state != HTTP_RUNNING)
			continue;	/* cancelled: the idle hook removes it */
		curl_multi_remove_handle(h->multi, easy);
		r->in_multi = 0;
		http_finish(r, rc);
	}
}

/* Leaving one of our uv callbacks: an http_free() from inside runs now. */
static void
http_leave(struct http *h)
{
	if (--h->depth == 0 && h->freeing)
		http_teardown(h);
}

static void
http_poll_cb(uv_poll_t *poll, int status, int events)
{
	struct http_sock	*s = poll->data;
	struct http		*h = s->http;
	int			 flags = 0, running;

	if (status < 0)
		flags = CURL_CSELECT_ERR;
	else {
		if (events & UV_READABLE)
			flags |= CURL_CSELECT_IN;
		if (events & UV_WRITABLE)
			flags |= CURL_CSELECT_OUT;
	}
	h->depth++;
	curl_multi_socket_action(h->multi, s->fd, flags, &running);
	http_check_multi(h);
	http_leave(h);
}

static void
http_timer_cb(uv_timer_t *timer)
{
	struct http	*h = timer->data;
	int		 running;

	h->depth++;
	curl_multi_socket_action(h->multi, CURL_SOCKET_TIMEOUT, 0, &running);
	http_check_multi(h);
	http_leave(h);
}

/* Deferred work, outside curl: add new requests (or fail them), free
 * cancelled ones. */
static void
http_idle_cb(uv_idle_t *idle)
{
	struct http		*h = idle->data;
	struct http_request	*r;
	CURLMcode		 mc;

	h->depth++;
	while (!h->freeing && (r = TAILQ_FIRST(&h->deferred)) != NULL) {
		TAILQ_REMOVE(&h->deferred, r, dentry);
		r->deferred = 0;
		if (r->state == HTTP_CANCELLED) {
			http_request_free(r);
			continue;
		}
		if (r->state != HTTP_NEW)
			continue;
		if (r->setup_error == 0) {
			mc = curl_multi_add_handle(h->multi, r->easy);
			if (mc == CURLM_OK) {
				r->in_multi = 1;
				r->state = HTTP_RUNNING;
				continue;
			}
			http_setup_fail(r, CURLE_FAILED_INIT,
			    "cannot add the request", curl_multi_strerror(mc));
		}
		http_finish(r, r->setup_error);
	}
	if (TAILQ_EMPTY(&h->deferred))
		uv_idle_stop(idle);
	http_leave(h);
}

static void
http_sock_free(uv_handle_t *handle)
{
	free(handle->data);
}

static void
http_sock_close(struct http_sock *s)
{
	uv_poll_stop(&s->poll);
	LIST_REMOVE(s, entry);
	uv_close((uv_handle_t *)&s->poll, http_sock_free);
}

/* CURLMOPT_SOCKETFUNCTION: watch, change or forget one socket. */
static int
http_curl_socket(CURL *easy, curl_socket_t fd, int what, void *arg,
    void *sockp)
{
	struct http		*h = arg;
	struct http_sock	*s = sockp;
	int			 events = 0, error;

	(void)easy;
	if (what == CURL_POLL_REMOVE) {
		if (s != NULL) {
			http_sock_close(s);
			if (!h->closing)
				curl_multi_assign(h->multi, fd, NULL);
		}
		return (0);
	}
	if (h->closing)
		return (0);
	if (s == NULL) {
		s = xcalloc(1, sizeof *s);
		if ((error = uv_poll_init_socket(h->loop, &s->poll, fd)) != 0) {
			log_warn("http: poll on fd %d: %s", (int)fd,
			    uv_strerror(error));
			free(s);
			return (-1);
		}
		s->poll.data = s;
		s->http = h;
		s->fd = fd;
		LIST_INSERT_HEAD(&h->socks, s, entry);
		curl_multi_assign(h->multi, fd, s);
	}
	if (what & CURL_POLL_IN)
		events |= UV_READABLE;
	if (what & CURL_POLL_OUT)
		events |= UV_WRITABLE;
	uv_poll_start(&s->poll, events, http_poll_cb);
	return (0);
}

/* CURLMOPT_TIMERFUNCTION: never call curl from here, so 0 ms is 1 ms. */
static int
http_curl_timer(CURLM *multi, long ms, void *arg)
{
	struct http	*h = arg;

	(void)multi;
	if (h->closing)
		return (0);
	if (ms < 0)
		uv_timer_stop(&h->timer);
	else
		uv_timer_start(&h->timer, http_timer_cb, ms == 0 ? 1 : ms, 0);
	return (0);
}

static void
http_handle_closed(uv_handle_t *handle)
{
	struct http	*h = handle->data;

	if (--h->handles == 0)
		free(h);
}

/* Free every request (no on_done), the multi, and close all our handles;
 * the struct goes when the last close callback runs. */
static void
http_teardown(struct http *h)
{
	struct http_request	*r;
	struct http_sock	*s;

	h->closing = 1;
	while ((r = TAILQ_FIRST(&h->requests)) != NULL)
		http_request_free(r);
	curl_multi_cleanup(h->multi);
	h->multi = NULL;
	while ((s = LIST_FIRST(&h->socks)) != NULL)
		http_sock_close(s);
	uv_timer_stop(&h->timer);
	uv_idle_stop(&h->idle);
	uv_close((uv_handle_t *)&h->timer, http_handle_closed);
	uv_close((uv_handle_t *)&h->idle, http_handle_closed);
	log_debug("http: closed");
}

struct http *
http_create(uv_loop_t *loop)
{
	static int			 initialised;
	const curl_version_info_data	*v;
	struct http			*h;

	if (!initialised) {
		if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
			fatal("curl_global_init failed");
		initialised = 1;
		v = curl_version_info(CURLVERSION_NOW);
		log_debug("http: libcurl %s, %s", v->version,
		    v->ssl_version != NULL ? v->ssl_version : "no TLS");
	}

	h = xcalloc(1, sizeof *h);
	h->loop = loop;
	TAILQ_INIT(&h->requests);
	TAILQ_INIT(&h->deferred);
	LIST_INIT(&h->socks);

	if ((h->multi = curl_multi_init()) == NULL)
		fatal("curl_multi_init failed");
	curl_multi_setopt(h->multi, CURLMOPT_SOCKETFUNCTION, http_curl_socket);
	curl_multi_setopt(h->multi, CURLMOPT_SOCKETDATA, h);
	curl_multi_setopt(h->multi, CURLMOPT_TIMERFUNCTION, http_curl_timer);
	curl_multi_setopt(h->multi, CURLMOPT_TIMERDATA, h);

	uv_timer_init(loop, &h->timer);
	h->timer.data = h;
	uv_idle_init(loop, &h->idle);
	h->idle.data = h;
	h->handles = 2;
	return (h);
}

void
http_free(struct http *h)
{
	struct http_request	*r;

	if (h == NULL || h->freeing)
		return;
	h->freeing = 1;
	TAILQ_FOREACH(r, &h->requests, entry) {
		if (r->state == HTTP_NEW || r->state == HTTP_RUNNING) {
			r->state = HTTP_CANCELLED;
			h->active--;
		}
	}
	if (h->depth == 0)
		http_teardown(h);
}

static struct curl_slist *
http_header_add(struct curl_slist *sl, const char *name, const char *value)
{
	char	*s;

	xasprintf(&s, "%s: %s", name, value);
	if ((sl = curl_slist_append(sl, s)) == NULL)
		fatal("curl_slist_append failed");
	explicit_bzero(s, strlen(s));	/* it may be the token */
	free(s);
	return (sl);
}

static void
http_setup_headers(struct http_request *r, const struct http_opts *o)
{
	struct curl_slist	*sl = NULL;
	char			*s;

	/* "Expect:" with no value: no 100-continue round trip for bodies. */
	if ((sl = curl_slist_append(sl, "Expect:")) == NULL)
		fatal("curl_slist_append failed");
	if (o->accept != NULL)
		sl = http_header_add(sl, "Accept", o->accept);
	if (o->content_type != NULL)
		sl = http_header_add(sl, "Content-Type", o->content_type);
	if (o->bearer != NULL) {
		xasprintf(&s, "Bearer %s", o->bearer);
		sl = http_header_add(sl, "Authorization", s);
		explicit_bzero(s, strlen(s));
		free(s);
	}
	r->headers = sl;
	http_setopt(r, CURLOPT_HTTPHEADER, sl);

	/* A bearer header wins; curl would not send both anyway. */
	if (o->bearer == NULL && o->basic_user != NULL) {
		http_setopt(r, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
		http_setopt(r, CURLOPT_USERNAME, o->basic_user);
		http_setopt(r, CURLOPT_PASSWORD,
		    o->basic_pass != NULL ? o->basic_pass : "");
	}
	/* An explicit proxy (kubeconfig proxy-url); otherwise curl follows
	 * the usual environment (HTTPS_PROXY, NO_PROXY). */
	if (o->proxy != NULL)
		http_setopt(r, CURLOPT_PROXY, o->proxy);
}

static void
http_setup_blob(struct http_request *r, CURLoption opt, const char *what,
    const char *pem, size_t len)
{
	struct curl_blob	 blob;

	blob.data = (void *)pem;
	blob.len = len != 0 ? len : strlen(pem);
	blob.flags = CURL_BLOB_COPY;
	http_check(r, curl_easy_setopt(r->easy, opt, &blob), what);
}

/*
 * tls-server-name: send that name in SNI and verify the certificate against
 * it, while connecting to the URL's own host. The URL is rewritten to the
 * name, CONNECT_TO sends the connection to the real host, and the Host
 * header keeps the real host, as Go's tls.Config.ServerName does.
 */
static void
http_setup_server_name(struct http_request *r, const char *name,
    const char *url)
{
	CURLU		*u;
	char		*host = NULL, *port = NULL, *newurl = NULL, *line;

	if ((u = curl_url()) == NULL)
		fatal("out of memory (curl_url)");
	if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) !=
	    CURLUE_OK ||
	    curl_url_set(u, CURLUPART_HOST, name, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_URL, &newurl, 0) != CURLUE_OK) {
		if (r->setup_error == 0) {
			r->setup_error = CURLE_URL_MALFORMAT;
			xasprintf(&r->setup_text, "cannot use tls-server-name "
			    "\"%s\" with this server URL", name);
		}
		goto out;
	}
	r->tls_url = xstrdup(newurl);
	http_setopt(r, CURLOPT_URL, r->tls_url);
	xasprintf(&line, "%s:%s:%s:%s", name, port, host, port);
	r->connect_to = curl_slist_append(NULL, line);
	free(line);
	http_setopt(r, CURLOPT_CONNECT_TO, r->connect_to);
	xasprintf(&line, "Host: %s:%s", host, port);
	r->headers = curl_slist_append(r->headers, line);
	free(line);
	http_setopt(r, CURLOPT_HTTPHEADER, r->headers);
	log_debug("http: TLS name %s for %s", name, host);
out:
	curl_free(host);
	curl_free(port);
	curl_free(newurl);
	curl_url_cleanup(u);
}

static void
http_setup_tls(struct http_request *r, const struct http_tls *tls,
    const char *url)
{
	if (tls->ca_pem != NULL) {
		http_setup_blob(r, CURLOPT_CAINFO_BLOB, "CAINFO_BLOB",
		    tls->ca_pem, tls->ca_pem_len);
	} else if (tls->ca_file != NULL)
		http_setopt(r, CURLOPT_CAINFO, tls->ca_file);

	if (tls->cert_pem != NULL) {
		http_setopt(r, CURLOPT_SSLCERTTYPE, "PEM");
		http_setup_blob(r, CURLOPT_SSLCERT_BLOB, "SSLCERT_BLOB",
		    tls->cert_pem, tls->cert_pem_len);
	} else if (tls->cert_file != NULL)
		http_setopt(r, CURLOPT_SSLCERT, tls->cert_file);

	if (tls->key_pem != NULL) {
		http_setopt(r, CURLOPT_SSLKEYTYPE, "PEM");
		http_setup_blob(r, CURLOPT_SSLKEY_BLOB, "SSLKEY_BLOB",
		    tls->key_pem, tls->key_pem_len);
	} else if (tls->key_file != NULL)
		http_setopt(r, CURLOPT_SSLKEY, tls->key_file);

	if (tls->insecure) {
		http_setopt(r, CURLOPT_SSL_VERIFYPEER, 0L);
		http_setopt(r, CURLOPT_SSL_VERIFYHOST, 0L);
	}

	if (tls->server_name != NULL)
		http_setup_server_name(r, tls->server_name, url);
}

static void
http_setup_method(struct http_request *r, const struct http_opts *o)
{
	const char	*m = r->method;
	size_t		 len;

	if (o->body != NULL || strcmp(m, "POST") == 0 ||
	    strcmp(m, "PUT") == 0 || strcmp(m, "PATCH") == 0) {
		len = o->body_len;
		if (len == 0 && o->body != NULL)
			len = strlen(o->body);
		http_setopt(r, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
		http_setopt(r, CURLOPT_COPYPOSTFIELDS,
		    o->body != NULL ? o->body : "");
		if (strcmp(m, "POST") != 0)
			http_setopt(r, CURLOPT_CUSTOMREQUEST, m);
	} else if (strcmp(m, "HEAD") == 0)
		http_setopt(r, CURLOPT_NOBODY, 1L);
	else if (strcmp(m, "GET") != 0)
		http_setopt(r, CURLOPT_CUSTOMREQUEST, m);
}

/* Build the easy handle; a failure is recorded for on_done, not returned. */
static void
http_setup(struct http_request *r, const struct http_opts *o)
{
	CURLUcode	 uc = CURLUE_OK;
	long		 ms;

	if (o->url == NULL) {
		http_setup_fail(r, CURLE_URL_MALFORMAT, "no URL", NULL);
		return;
	}
	if ((r->url = http_url_for_log(o->url, &uc)) == NULL) {
		http_setup_fail(r, CURLE_URL_MALFORMAT, "bad URL",
		    curl_url_strerror(uc));
		return;
	}
	if ((r->easy = curl_easy_init()) == NULL)
		fatal("curl_easy_init failed");

	http_setopt(r, CURLOPT_URL, o->url);
	http_setopt(r, CURLOPT_PRIVATE, r);
	http_setopt(r, CURLOPT_ERRORBUFFER, r->errbuf);
	http_setopt(r, CURLOPT_NOSIGNAL, 1L);
	http_setopt(r, CURLOPT_PROTOCOLS_STR, "http,https");
	http_setopt(r, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	http_setopt(r, CURLOPT_FOLLOWLOCATION, 0L);
	http_setopt(r, CURLOPT_TCP_KEEPALIVE, 1L);
	http_setopt(r, CURLOPT_ACCEPT_ENCODING, "");

	ms = o->connect_timeout_ms > 0 ? o->connect_timeout_ms :
	    HTTP_CONNECT_TIMEOUT_MS;
	http_setopt(r, CURLOPT_CONNECTTIMEOUT_MS, ms);
	if (o->timeout_ms > 0)
		http_setopt(r, CURLOPT_TIMEOUT_MS, o->timeout_ms);
	if (o->low_speed_time_s > 0) {
		http_setopt(r, CURLOPT_LOW_SPEED_LIMIT, 1L);
		http_setopt(r, CURLOPT_LOW_SPEED_TIME, o->low_speed_time_s);
	}

	http_setopt(r, CURLOPT_WRITEFUNCTION, http_write_cb);
	http_setopt(r, CURLOPT_WRITEDATA, r);
	http_setopt(r, CURLOPT_HEADERFUNCTION, http_header_cb);
	http_setopt(r, CURLOPT_HEADERDATA, r);
	if (r->on_line == NULL) {
		/* Fail early when Content-Length is already too big. */
		http_setopt(r, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)r->max);
	}

	http_setup_method(r, o);
	http_setup_headers(r, o);
	if (o->tls != NULL)
		http_setup_tls(r, o->tls, o->url);
}

struct http_request *
http_start(struct http *h, const struct http_opts *o)
{
	struct http_request	*r;

	if (h->freeing)
		fatal("http_start after http_free");

	r = xcalloc(1, sizeof *r);
	r->http = h;
	r->state = HTTP_NEW;
	r->method = xstrdup(o->method != NULL ? o->method : "GET");
	r->max = o->max_body != 0 ? o->max_body : HTTP_MAX_BODY;
	if (r->max > SIZE_MAX / 4)
		r->max = SIZE_MAX / 4;
	r->on_line = o->on_line;
	r->on_done = o->on_done;
	r->arg = o->arg;
	TAILQ_INSERT_TAIL(&h->requests, r, entry);
	h->active++;

	http_setup(r, o);
	log_debug("http: %s %s", r->method, r->url != NULL ? r->url :
	    "(bad URL)");
	http_defer(r);
	return (r);
}

void
http_cancel(struct http_request *r)
{
	if (r == NULL)
		return;
	if (r->state != HTTP_NEW && r->state != HTTP_RUNNING)
		return;
	r->state = HTTP_CANCELLED;
	r->http->active--;
	log_debug("http: %s %s: cancelled", r->method,
	    r->url != NULL ? r->url : "(bad URL)");
	if (!r->http->freeing)
		http_defer(r);
}

int
http_active(const struct http *h)
{
	return (h->active);
}
