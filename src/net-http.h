/* net-http.h: HTTP requests on the libuv loop (libcurl multi underneath).
 * Nothing here blocks; results arrive in callbacks on the loop thread. */
#ifndef WARROOM_NET_HTTP_H
#define WARROOM_NET_HTTP_H

#include <stddef.h>

struct uv_loop_s;
struct http;
struct http_request;

/* TLS material for one server. Strings are borrowed for the duration of
 * http_start() only (libcurl copies blobs). PEM blobs or file paths. */
struct http_tls {
	const char	*ca_file;
	const char	*ca_pem;	/* PEM bytes, not base64 of them */
	size_t		 ca_pem_len;
	const char	*cert_file;
	const char	*cert_pem;
	size_t		 cert_pem_len;
	const char	*key_file;
	const char	*key_pem;
	size_t		 key_pem_len;
	const char	*server_name;	/* tls-server-name override, or NULL */
	int		 insecure;	/* skip peer verification */
};

struct http_response {
	long		 status;	/* HTTP status, 0 if none arrived */
	int		 error;		/* 0, or a transport error (timeout, refused, ...) */
	const char	*error_text;	/* readable transport error, or NULL */
	const char	*body;		/* whole body (not in stream mode), NUL-terminated */
	size_t		 body_len;
	int		 truncated;	/* body exceeded max_body: request failed */
	const char	*retry_after;	/* Retry-After header value, or NULL */
};

/* Streaming: called once per complete '\n'-terminated line (without the
 * newline, NUL-terminated). Return non-zero to abort the request (on_done then
 * reports HTTP_ABORTED). The line is valid only during the call. */
typedef int (*http_line_cb)(struct http_request *, const char *line,
    size_t len, void *arg);
/* Completion: called exactly once per request unless it was cancelled with
 * http_cancel(). The response and its body are valid only during the call;
 * the request is freed right after it returns. */
typedef void (*http_done_cb)(struct http_request *,
    const struct http_response *, void *arg);

#define HTTP_ABORTED	-2	/* response.error when on_line aborted */

struct http_opts {
	const char	*method;	/* NULL = GET */
	const char	*url;		/* logged without its query */
	int		 log_origin;	/* log scheme://host[:port]/… only */
	const char	*accept;	/* Accept header, or NULL */
	const char	*content_type;	/* for a body */
	const char	*body;		/* copied */
	size_t		 body_len;
	const char	*bearer;	/* token; never logged */
	const char	*basic_user;	/* basic auth, never logged */
	const char	*basic_pass;
	const struct http_tls *tls;
	const char	*proxy;		/* proxy URL (http, https, socks5), or NULL */
	long		 connect_timeout_ms; /* 0 = 5000 */
	long		 timeout_ms;	/* whole request; 0 = none (streams) */
	long		 low_speed_time_s; /* abort if < 1 byte/s for this long; 0 = off */
	size_t		 max_body;	/* cap on body (or on one line when streaming); 0 = 8 MiB */
	http_line_cb	 on_line;	/* non-NULL = stream mode */
	http_done_cb	 on_done;
	void		*arg;
};

/* One per loop. http_free() cancels every request still running (their
 * on_done is not called) and closes its handles; run the loop afterwards
 * until they are closed. */
struct http	*http_create(struct uv_loop_s *);
void		 http_free(struct http *);

/* Start a request. Never NULL: setup errors are reported through on_done,
 * asynchronously. The returned pointer is valid until on_done returns or
 * http_cancel() is called. */
struct http_request *http_start(struct http *, const struct http_opts *);
/* Stop a request; its on_done will not be called. Safe inside callbacks. */
void		 http_cancel(struct http_request *);
/* Number of requests in flight (for tests and shutdown). */
int		 http_active(const struct http *);

#endif
