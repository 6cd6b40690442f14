/* net-http.c: HTTP requests on the libuv loop, libcurl multi underneath: a
 * uv_poll_t per curl socket, a uv_timer_t for curl's timeout, and a uv_idle_t
 * for deferred work (start, cancel) outside curl's callbacks. */

#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "net-http-private.h"
#include "warroom.h"

static void	http_timer_cb(uv_timer_t *);
static void	http_idle_cb(uv_idle_t *);
static void	http_teardown(struct http *);

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

size_t
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
size_t
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
