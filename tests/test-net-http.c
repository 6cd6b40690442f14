/* tests/test-net-http.c: net-http.c against a loopback Python server
 * (tests/http-server/server.py): bodies, errors, timeouts, caps, streaming,
 * cancel and free from callbacks, concurrency, and TLS when openssl exists. */

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <uv.h>

#include "net-http.h"
#include "warroom.h"
#include "test.h"

#define TOKEN		"test-token-123"	/* as in server.py */
#define USER		"alice"
#define PASSWORD	"s3cret-pw"
#define NCONCURRENT	50

struct result {
	int		 done;
	long		 status;
	int		 error;
	char		*error_text;
	char		*body;
	size_t		 body_len;
	int		 truncated;
	char		*retry_after;
	double		 started;
	double		 elapsed;
};

/* Shared state for the tests with several requests. */
struct multi {
	struct http		*http;
	struct http_request	*req[NCONCURRENT];
	struct result		 res[NCONCURRENT];
	int			 lines;
	int			 bad_lines;
	int			 cancel_at;	/* line number to act on */
	int			 done_total;
};

static pid_t	 server_pid = -1;
static int	 server_stdin = -1;
static int	 server_port;
static int	 server_tls_port;

static char	 tls_dir[] = "/tmp/test-net-http.XXXXXX";
static char	 tls_cert[PATH_MAX];
static char	 tls_key[PATH_MAX];
static char	*tls_cert_pem;
static size_t	 tls_cert_len;
static char	*tls_key_pem;
static size_t	 tls_key_len;

static const char *
url(const char *path)
{
	static char	 buf[8][256];
	static int	 n;
	char		*s = buf[n++ % 8];

	snprintf(s, sizeof buf[0], "http://127.0.0.1:%d%s", server_port, path);
	return (s);
}

static const char *
tls_url(const char *host, const char *path)
{
	static char	 buf[4][256];
	static int	 n;
	char		*s = buf[n++ % 4];

	snprintf(s, sizeof buf[0], "https://%s:%d%s", host, server_tls_port,
	    path);
	return (s);
}

static void
result_clear(struct result *res)
{
	free(res->error_text);
	free(res->body);
	free(res->retry_after);
	memset(res, 0, sizeof *res);
}

static char *
dup_or_null(const char *s)
{
	return (s != NULL ? xstrdup(s) : NULL);
}

static void
save(struct result *res, const struct http_response *resp)
{
	res->done++;
	res->status = resp->status;
	res->error = resp->error;
	res->truncated = resp->truncated;
	free(res->error_text);
	res->error_text = dup_or_null(resp->error_text);
	free(res->body);
	res->body = NULL;
	if (resp->body != NULL) {
		res->body = xmalloc(resp->body_len + 1);
		memcpy(res->body, resp->body, resp->body_len);
		res->body[resp->body_len] = '\0';
		/* The body must be NUL-terminated in place. */
		if (resp->body[resp->body_len] != '\0')
			res->done += 100;
	}
	res->body_len = resp->body_len;
	free(res->retry_after);
	res->retry_after = dup_or_null(resp->retry_after);
	res->elapsed = now_mono() - res->started;
}

static void
on_done_save(struct http_request *req, const struct http_response *resp,
    void *arg)
{
	(void)req;
	save(arg, resp);
}

/* Run one request on a fresh loop; returns uv_loop_close(). */
static int
run_one(const struct http_opts *o0, struct result *res)
{
	uv_loop_t		 loop;
	struct http		*h;
	struct http_opts	 o = *o0;
	int			 sync_done;

	memset(res, 0, sizeof *res);
	uv_loop_init(&loop);
	h = http_create(&loop);
	o.on_done = on_done_save;
	o.arg = res;
	res->started = now_mono();
	http_start(h, &o);
	sync_done = res->done;
	uv_run(&loop, UV_RUN_DEFAULT);
	if (http_active(h) != 0)
		res->done += 1000;
	http_free(h);
	uv_run(&loop, UV_RUN_DEFAULT);
	if (sync_done != 0)
		res->done += 1000;	/* on_done must never run synchronously */
	return (uv_loop_close(&loop));
}

/* A port nothing listens on. */
static int
closed_port(void)
{
	struct sockaddr_in	 sin;
	socklen_t		 len = sizeof sin;
	int			 fd, port;

	fd = socket(AF_INET, SOCK_STREAM, 0);
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	bind(fd, (struct sockaddr *)&sin, sizeof sin);
	getsockname(fd, (struct sockaddr *)&sin, &len);
	port = ntohs(sin.sin_port);
	close(fd);
	return (port);
}

/*
 * A port whose accept queue is full, so a new SYN is dropped and connect()
 * hangs: listen(0), fill the queue, never accept. fds[0] is the listener.
 */
static int
blackhole_port(int fds[4])
{
	struct sockaddr_in	 sin;
	socklen_t		 len = sizeof sin;
	int			 i;

	fds[0] = socket(AF_INET, SOCK_STREAM, 0);
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	bind(fds[0], (struct sockaddr *)&sin, sizeof sin);
	listen(fds[0], 0);
	getsockname(fds[0], (struct sockaddr *)&sin, &len);
	for (i = 1; i < 4; i++) {
		fds[i] = socket(AF_INET, SOCK_STREAM|SOCK_NONBLOCK, 0);
		connect(fds[i], (struct sockaddr *)&sin, sizeof sin);
	}
	usleep(100000);
	return (ntohs(sin.sin_port));
}

/* Line i of /stream, as server.py's stream_line builds it. */
static void
stream_line(int i, char *buf, size_t size)
{
	int	 n, k;

	n = snprintf(buf, size, "L%d:", i);
	for (k = 0; k < i * 37 % 200 && (size_t)n + 1 < size; k++)
		buf[n++] = 'a' + i % 26;
	buf[n] = '\0';
}

TEST(ok_200)
{
	struct http_opts	 o = { .url = url("/ok") };
	struct result		 res;

	ASSERT_INT(run_one(&o, &res), 0);
	ASSERT_INT(res.done, 1);
	ASSERT_INT(res.status, 200);
	ASSERT_INT(res.error, 0);
	ASSERT(res.error_text == NULL);
	ASSERT_INT(res.truncated, 0);
	ASSERT(res.retry_after == NULL);
	ASSERT_STR(res.body, "{\"status\":\"success\",\"data\":{\"ok\":true}}");
	ASSERT_INT(res.body_len, strlen(res.body));
	result_clear(&res);
}

TEST(http_errors_keep_body)
{
	struct http_opts	 o = { .url = url("/status/404") };
	struct result		 res;

	ASSERT_INT(run_one(&o, &res), 0);
	ASSERT_INT(res.done, 1);
	ASSERT_INT(res.status, 404);
	ASSERT_INT(res.error, 0);
	ASSERT(res.error_text == NULL);
	ASSERT_STR(res.body,
	    "{\"kind\":\"Status\",\"code\":404,\"message\":\"status 404\"}");
	result_clear(&res);

	o.url = url("/status/500");
	ASSERT_INT(run_one(&o, &res), 0);
	ASSERT_INT(res.done, 1);
	ASSERT_INT(res.status, 500);
	ASSERT_INT(res.error, 0);
	ASSERT(strstr(res.body, "\"code\":500") != NULL);
	result_clear(&res);
}

TEST(retry_after)
{
	struct http_opts	 o = { .url = url("/retry") };
	struct result		 res;

	ASSERT_INT(run_one(&o, &res), 0);
	ASSERT_INT(res.done, 1);
	ASSERT_INT(res.status, 429);
	ASSERT_INT(res.error, 0);
	ASSERT_STR(res.retry_after, "3");
	result_clear(&res);
}

TEST(connection_refused)
{
	char			 u[64];
	struct http_opts	 o = { .url = u };
	struct result		 res;

	snprintf(u, sizeof u, "http://127.0.0.1:%d/ok", closed_port());
	ASSERT_INT(run_one(&o, &res), 0);
	ASSERT_INT(res.done, 1);
	ASSERT_INT(res.status, 0);
	ASSERT_INT(res.error, 7);	/* CURLE_COULDNT_CONNECT */
	ASSERT(res.error_text != NULL);
	ASSERT(strncmp(res.error_text, "connection refused", 18) == 0);
	result_clear(&res);
}

TEST(connect_timeout)
{
	char			 u[64];
	struct http_opts	 o = { .url = u, .connect_timeout_ms = 300 };
	struct result		 res;
	int			 fds[4], i, rc;

	snprintf(u, sizeof u, "http://127.0.0.1:%d/ok", blackhole_port(fds));
	rc = run_one(&o, &res);
	for (i = 0; i < 4; i++)
		close(fds[i]);
	ASSERT_INT(rc, 0);
	ASSERT_INT(res.done, 1);
	ASSERT_INT(res.error, 28);	/* CURLE_OPERATION_TIMEDOUT */
	ASSERT(strncmp(res.error_text, "timed out", 9) == 0);
	ASSERT(res.elapsed >= 0.25 && res.elapsed < 3.0);
	result_clear(&res);
}

TEST(total_timeout)
{
	struct http_opts	 o = { .url = url("/slow?ms=5000"),
	    .timeout_ms = 300 };
	struct result		 res;

	ASSERT_INT(run_one(&o, &res), 0);
	ASSERT_INT(res.done, 1);
	ASSERT_INT(res.status, 0);
	ASSERT_INT(res.error, 28);
	ASSERT(strncmp(res.error_text, "timed out", 9) == 0);
	ASSERT(res.elapsed >= 0.25 && res.elapsed < 3.0);
	result_clear(&res);

	/* A slow reply within the timeout is fine. */
	o.url = url("/slow?ms=200");
	o.timeout_ms = 3000;
	ASSERT_INT(run_one(&o, &res), 0);
	ASSERT_INT(res.done, 1);
	ASSERT_INT(res.status, 200);
	ASSERT_INT(res.error, 0);
	ASSERT_STR(res.body, "slow");
	result_clear(&res);
}

TEST(low_speed_abort)
{
	struct http_opts	 o = { .url = url("/stall?s=30"),
	    .low_speed_time_s = 1 };
	struct result		 res;

	ASSERT_INT(run_one(&o, &res), 0);
	ASSERT_INT(res.done, 1);
	ASSERT_INT(res.status, 200);	/* the headers did arrive */
	ASSERT_INT(res.error, 28);
	ASSERT(strncmp(res.error_text, "timed out", 9) == 0);
	ASSERT(res.elapsed >= 0.9 && res.elapsed < 8.0);
	result_clear(&res);
}

TEST(body_cap)
{
	struct http_opts	 o = { .url = url("/big?n=5000"),
	    .max_body = 1000 };
	struct result		 res;
	size_t			 i;

	/* Content-Length says too much. */
	ASSERT_INT(run_one(&o, &res), 0);
	ASSERT_INT(res.done, 1);
	ASSERT_INT(res.truncated, 1);
	ASSERT(res.error != 0);
	ASSERT_STR(res.error_text, "response larger than 1000 bytes");
	result_clear(&res);

	/* Chunked: found while writing. */
	o.url = url("/big?n=5000&chunked=1");
	ASSERT_INT(run_one(&o, &res), 0);
	ASSERT_INT(res.done, 1);
	ASSERT_INT(res.truncated, 1);
	ASSERT(res.error != 0);
	ASSERT_STR(res.error_text, "response larger than 1000 bytes");
	ASSERT(res.body_len <= 1000);
	result_clear(&res);

	/* Exactly the cap is allowed. */
	o.url = url("/big?n=1000&chunked=1");
	ASSERT_INT(run_one(&o, &res), 0);
	ASSERT_INT(res.done, 1);
	ASSERT_INT(res.truncated, 0);
	ASSERT_INT(res.error, 0);
	ASSERT_INT(res.body_len, 1000);
	for (i = 0; i < res.body_len; i++)
		ASSERT(res.body[i] == '0' + (int)(i % 10));
	result_clear(&res);
}

TEST(big_body)
{
	struct http_opts	 o = { .url = url("/big?n=3000000") };
	struct result		 res;
	size_t			 i;

	ASSERT_INT(run_one(&o, &res), 0);
	ASSERT_INT(res.done, 1);
	ASSERT_INT(res.status, 200);
	ASSERT_INT(res.error, 0);
	ASSERT_INT(res.body_len, 3000000);
	for (i = 0; i < res.body_len; i++) {
		if (res.body[i] != '0' + (int)(i % 10))
			break;
	}
	ASSERT_INT(i, 3000000);
	result_clear(&res);
}

static void	on_done_count(struct http_request *,
		    const struct http_response *, void *);
static void	multi_cleanup(struct multi *);

/* Run one request whose arg is a struct multi; result in m->res[0]. */
static int
run_multi(const struct http_opts *o0, struct multi *m)
{
	uv_loop_t		 loop;
	struct http_opts	 o = *o0;

	uv_loop_init(&loop);
	m->http = http_create(&loop);
	o.on_done = on_done_count;
	o.arg = m;
	m->res[0].started = now_mono();
	m->req[0] = http_start(m->http, &o);
	if (m->done_total != 0)
		m->done_total += 1000;	/* never synchronously */
	uv_run(&loop, UV_RUN_DEFAULT);
	http_free(m->http);
	m->http = NULL;
	uv_run(&loop, UV_RUN_DEFAULT);
	return (uv_loop_close(&loop));
}

static int
on_line_check(struct http_request *req, const char *line, size_t len,
    void *arg)
{
	struct multi	*m = arg;
	char		 want[256];

	(void)req;
	if (line[len] != '\0' || strlen(line) != len)
		m->bad_lines++;
	stream_line(m->lines, want, sizeof want);
	if (strcmp(line, want) != 0 && strcmp(line, "end") != 0)
		m->bad_lines++;
	m->lines++;
	return (m->cancel_at != 0 && m->lines == m->cancel_at);
}

TEST(stream_lines)
{
	struct multi		 m;
	struct http_opts	 o = { .url = url("/stream?n=60&delay=1"),
	    .on_line = on_line_check };

	memset(&m, 0, sizeof m);
	ASSERT_INT(run_multi(&o, &m), 0);
	ASSERT_INT(m.res[0].done, 1);
	ASSERT_INT(m.done_total, 1);
	ASSERT_INT(m.res[0].status, 200);
	ASSERT_INT(m.res[0].error, 0);
	ASSERT(m.res[0].body == NULL);
	ASSERT_INT(m.bad_lines, 0);
	ASSERT_INT(m.lines, 61);	/* 60 lines and the unterminated "end" */
	multi_cleanup(&m);
}

TEST(stream_abort)
{
	struct multi		 m;
	struct http_opts	 o = { .url = url("/stream?n=60&delay=1"),
	    .on_line = on_line_check };

	memset(&m, 0, sizeof m);
	m.cancel_at = 3;	/* on_line returns 1 at the third line */
	ASSERT_INT(run_multi(&o, &m), 0);
	ASSERT_INT(m.res[0].done, 1);
	ASSERT_INT(m.done_total, 1);
	ASSERT_INT(m.res[0].error, HTTP_ABORTED);
	ASSERT(m.res[0].error_text != NULL);
	ASSERT_INT(m.lines, 3);
	ASSERT_INT(m.bad_lines, 0);
	multi_cleanup(&m);
}

TEST(stream_line_cap)
{
	struct multi		 m;
	struct http_opts	 o = { .url = url("/stream?n=60&delay=0"),
	    .on_line = on_line_check, .max_body = 100 };

	memset(&m, 0, sizeof m);
	ASSERT_INT(run_multi(&o, &m), 0);
	ASSERT_INT(m.res[0].done, 1);
	ASSERT_INT(m.done_total, 1);
	ASSERT_INT(m.res[0].truncated, 1);
	ASSERT_STR(m.res[0].error_text, "line larger than 100 bytes");
	/* Lines 0-2 fit (3, 40, 77 bytes); line 3 is 114. */
	ASSERT_INT(m.lines, 3);
	ASSERT_INT(m.bad_lines, 0);
	multi_cleanup(&m);
}

static void
on_done_count(struct http_request *req, const struct http_response *resp,
    void *arg)
{
	struct multi	*m = arg;
	int		 i;

	for (i = 0; i < NCONCURRENT; i++) {
		if (m->req[i] == req) {
			save(&m->res[i], resp);
			break;
		}
	}
	m->done_total++;
}

static int
on_line_cancel_self(struct http_request *req, const char *line, size_t len,
    void *arg)
{
	struct multi	*m = arg;

	(void)line;
	(void)len;
	if (++m->lines == m->cancel_at)
		http_cancel(req);
	return (0);
}

static int
on_line_cancel_other(struct http_request *req, const char *line, size_t len,
    void *arg)
{
	struct multi	*m = arg;

	(void)req;
	(void)line;
	(void)len;
	if (++m->lines == m->cancel_at)
		http_cancel(m->req[1]);
	return (0);
}

static void
multi_cleanup(struct multi *m)
{
	int	 i;

	for (i = 0; i < NCONCURRENT; i++)
		result_clear(&m->res[i]);
}

/* Finish a loop: free the http, run until closed; returns uv_loop_close(). */
static int
loop_finish(uv_loop_t *loop, struct http *h)
{
	http_free(h);
	uv_run(loop, UV_RUN_DEFAULT);
	return (uv_loop_close(loop));
}

TEST(cancel_in_on_line)
{
	uv_loop_t		 loop;
	struct multi		 m;
	struct http_opts	 o = { .url = url("/stream?n=60&delay=1"),
	    .on_line = on_line_cancel_self, .on_done = on_done_count };
	double			 t;

	memset(&m, 0, sizeof m);
	m.cancel_at = 5;
	o.arg = &m;
	uv_loop_init(&loop);
	m.http = http_create(&loop);
	m.req[0] = http_start(m.http, &o);
	ASSERT_INT(http_active(m.http), 1);
	t = now_mono();
	uv_run(&loop, UV_RUN_DEFAULT);
	ASSERT(now_mono() - t < 2.0);
	ASSERT_INT(m.done_total, 0);
	ASSERT_INT(m.lines, 5);		/* nothing after the cancel */
	ASSERT_INT(http_active(m.http), 0);
	ASSERT_INT(loop_finish(&loop, m.http), 0);
}

TEST(cancel_other_in_on_line)
{
	uv_loop_t		 loop;
	struct multi		 m;
	struct http_opts	 o = { .url = url("/stream?n=60&delay=1"),
	    .on_line = on_line_cancel_other, .on_done = on_done_count };
	struct http_opts	 slow = { .url = url("/slow?ms=4000"),
	    .on_done = on_done_count };
	double			 t;

	memset(&m, 0, sizeof m);
	m.cancel_at = 2;
	o.arg = slow.arg = &m;
	uv_loop_init(&loop);
	m.http = http_create(&loop);
	m.req[0] = http_start(m.http, &o);
	m.req[1] = http_start(m.http, &slow);
	t = now_mono();
	uv_run(&loop, UV_RUN_DEFAULT);
	ASSERT(now_mono() - t < 3.0);
	ASSERT_INT(m.done_total, 1);
	ASSERT_INT(m.res[0].done, 1);
	ASSERT_INT(m.res[0].error, 0);
	ASSERT_INT(m.res[1].done, 0);
	ASSERT_INT(m.lines, 61);
	ASSERT_INT(loop_finish(&loop, m.http), 0);
	multi_cleanup(&m);
}

static void
on_done_cancel_other(struct http_request *req,
    const struct http_response *resp, void *arg)
{
	struct multi	*m = arg;

	on_done_count(req, resp, arg);
	http_cancel(req == m->req[0] ? m->req[1] : m->req[0]);
	http_cancel(req);	/* no-op on itself inside on_done */
}

TEST(cancel_in_on_done)
{
	uv_loop_t		 loop;
	struct multi		 m;
	struct http_opts	 a = { .url = url("/ok"),
	    .on_done = on_done_cancel_other };
	struct http_opts	 b = { .url = url("/slow?ms=4000"),
	    .on_done = on_done_cancel_other };
	double			 t;
	int			 i;

	memset(&m, 0, sizeof m);
	a.arg = b.arg = &m;
	uv_loop_init(&loop);
	m.http = http_create(&loop);
	m.req[0] = http_start(m.http, &a);
	m.req[1] = http_start(m.http, &b);
	t = now_mono();
	uv_run(&loop, UV_RUN_DEFAULT);
	ASSERT(now_mono() - t < 3.0);
	ASSERT_INT(m.done_total, 1);
	ASSERT_INT(m.res[0].done, 1);
	ASSERT_INT(m.res[0].status, 200);
	ASSERT_INT(m.res[1].done, 0);
	ASSERT_INT(http_active(m.http), 0);
	ASSERT_INT(loop_finish(&loop, m.http), 0);
	multi_cleanup(&m);

	/* Two that finish together: whichever is first cancels the other. */
	for (i = 0; i < 10; i++) {
		memset(&m, 0, sizeof m);
		a.url = b.url = url("/ok");
		uv_loop_init(&loop);
		m.http = http_create(&loop);
		m.req[0] = http_start(m.http, &a);
		m.req[1] = http_start(m.http, &b);
		uv_run(&loop, UV_RUN_DEFAULT);
		ASSERT_INT(m.done_total, 1);
		ASSERT_INT(m.res[0].done + m.res[1].done, 1);
		ASSERT_INT(loop_finish(&loop, m.http), 0);
		multi_cleanup(&m);
	}
}

TEST(cancel_before_start)
{
	uv_loop_t		 loop;
	struct multi		 m;
	struct http_opts	 o = { .url = url("/ok"),
	    .on_done = on_done_count };
	struct http_opts	 bad = { .url = "no scheme here",
	    .on_done = on_done_count };

	memset(&m, 0, sizeof m);
	o.arg = bad.arg = &m;
	uv_loop_init(&loop);
	m.http = http_create(&loop);
	m.req[0] = http_start(m.http, &o);
	m.req[1] = http_start(m.http, &bad);
	m.req[2] = http_start(m.http, &o);
	http_cancel(m.req[0]);
	http_cancel(m.req[1]);
	http_cancel(m.req[0]);	/* twice is harmless */
	ASSERT_INT(http_active(m.http), 1);
	uv_run(&loop, UV_RUN_DEFAULT);
	ASSERT_INT(m.done_total, 1);
	ASSERT_INT(m.res[2].done, 1);
	ASSERT_INT(m.res[2].status, 200);
	ASSERT_INT(loop_finish(&loop, m.http), 0);
	multi_cleanup(&m);
}

TEST(setup_errors_async)
{
	struct http_opts	 o = { .url = "http://[::1" };
	struct http_tls		 tls = { .ca_file = "/nonexistent/ca.pem" };
	struct result		 res;

	/* run_one adds 1000 to done if on_done ran inside http_start. */
	ASSERT_INT(run_one(&o, &res), 0);
	ASSERT_INT(res.done, 1);
	ASSERT_INT(res.status, 0);
	ASSERT_INT(res.error, 3);	/* CURLE_URL_MALFORMAT */
	ASSERT(strncmp(res.error_text, "bad URL", 7) == 0);
	result_clear(&res);

	o.url = NULL;
	ASSERT_INT(run_one(&o, &res), 0);
	ASSERT_INT(res.done, 1);
	ASSERT_INT(res.error, 3);
	result_clear(&res);

	/* Parses, but only http and https are allowed. */
	o.url = "ftp://127.0.0.1/";
	ASSERT_INT(run_one(&o, &res), 0);
	ASSERT_INT(res.done, 1);
	ASSERT_INT(res.error, 1);	/* CURLE_UNSUPPORTED_PROTOCOL */
	ASSERT(strncmp(res.error_text, "unsupported protocol", 20) == 0);
	result_clear(&res);

	if (server_tls_port != 0) {
		o.url = tls_url("127.0.0.1", "/ok");
		o.tls = &tls;
		ASSERT_INT(run_one(&o, &res), 0);
		ASSERT_INT(res.done, 1);
		ASSERT(res.error != 0);
		ASSERT(res.error_text != NULL);
		result_clear(&res);
	}
}

TEST(echo_methods_and_auth)
{
	struct http_opts	 o = { .url = url("/echo"), .method = "POST",
	    .accept = "application/json", .content_type = "text/plain",
	    .body = "hello\0world", .body_len = 11, .bearer = TOKEN };
	struct result		 res;

	ASSERT_INT(run_one(&o, &res), 0);
	ASSERT_INT(res.status, 200);
	ASSERT_STR(res.body, "{\"accept\":\"application/json\",\"auth_ok\":true,"
	    "\"authorization\":\"yes\",\"body\":\"hello\\u0000world\","
	    "\"content_type\":\"text/plain\",\"method\":\"POST\","
	    "\"scheme\":\"Bearer\"}");
	result_clear(&res);

	memset(&o, 0, sizeof o);
	o.url = url("/echo");
	o.basic_user = USER;
	o.basic_pass = PASSWORD;
	ASSERT_INT(run_one(&o, &res), 0);
	ASSERT_INT(res.status, 200);
	ASSERT_STR(res.body, "{\"accept\":\"*/*\",\"auth_ok\":true,"
	    "\"authorization\":\"yes\",\"body\":\"\",\"content_type\":null,"
	    "\"method\":\"GET\",\"scheme\":\"Basic\"}");
	result_clear(&res);

	memset(&o, 0, sizeof o);
	o.url = url("/echo");
	o.method = "DELETE";
	ASSERT_INT(run_one(&o, &res), 0);
	ASSERT(strstr(res.body, "\"method\":\"DELETE\"") != NULL);
	ASSERT(strstr(res.body, "\"authorization\":\"no\"") != NULL);
	result_clear(&res);

	o.method = "PATCH";
	o.content_type = "application/merge-patch+json";
	o.body = "{\"spec\":{}}";
	ASSERT_INT(run_one(&o, &res), 0);
	ASSERT(strstr(res.body, "\"method\":\"PATCH\"") != NULL);
	ASSERT(strstr(res.body, "\"body\":\"{\\\"spec\\\":{}}\"") != NULL);
	ASSERT(strstr(res.body,
	    "\"content_type\":\"application/merge-patch+json\"") != NULL);
	result_clear(&res);

	o.method = "HEAD";
	o.body = NULL;
	o.url = url("/ok");
	ASSERT_INT(run_one(&o, &res), 0);
	ASSERT_INT(res.status, 200);
	ASSERT_INT(res.body_len, 0);
	result_clear(&res);
}

TEST(concurrent_50)
{
	uv_loop_t		 loop;
	struct multi		 m;
	struct http_opts	 o = { .url = url("/echo"), .method = "POST",
	    .on_done = on_done_count };
	char			 body[NCONCURRENT][32], want[64];
	int			 i;

	memset(&m, 0, sizeof m);
	o.arg = &m;
	uv_loop_init(&loop);
	m.http = http_create(&loop);
	for (i = 0; i < NCONCURRENT; i++) {
		snprintf(body[i], sizeof body[i], "req-%d", i);
		o.body = body[i];
		m.req[i] = http_start(m.http, &o);
	}
	ASSERT_INT(http_active(m.http), NCONCURRENT);
	uv_run(&loop, UV_RUN_DEFAULT);
	ASSERT_INT(m.done_total, NCONCURRENT);
	ASSERT_INT(http_active(m.http), 0);
	for (i = 0; i < NCONCURRENT; i++) {
		ASSERT_INT(m.res[i].done, 1);
		ASSERT_INT(m.res[i].status, 200);
		ASSERT_INT(m.res[i].error, 0);
		snprintf(want, sizeof want, "\"body\":\"req-%d\"", i);
		ASSERT(strstr(m.res[i].body, want) != NULL);
	}
	ASSERT_INT(loop_finish(&loop, m.http), 0);
	multi_cleanup(&m);
}

static void
on_timer_free(uv_timer_t *timer)
{
	struct multi	*m = timer->data;

	http_free(m->http);
	m->http = NULL;
	uv_close((uv_handle_t *)timer, NULL);
}

TEST(free_in_flight)
{
	uv_loop_t		 loop;
	uv_timer_t		 timer;
	struct multi		 m;
	struct http_opts	 o = { .on_done = on_done_count };
	double			 t;
	int			 i;

	memset(&m, 0, sizeof m);
	o.arg = &m;
	uv_loop_init(&loop);
	m.http = http_create(&loop);
	for (i = 0; i < 5; i++) {
		o.url = url("/slow?ms=4000");
		http_start(m.http, &o);
	}
	o.url = url("/stall?s=30");
	http_start(m.http, &o);
	o.url = url("/stream?n=2000&delay=10");
	o.on_line = on_line_check;
	http_start(m.http, &o);
	o.url = url("/ok");
	o.on_line = NULL;
	http_start(m.http, &o);		/* not yet added when freed */

	uv_timer_init(&loop, &timer);
	timer.data = &m;
	uv_timer_start(&timer, on_timer_free, 300, 0);
	t = now_mono();
	uv_run(&loop, UV_RUN_DEFAULT);
	ASSERT(now_mono() - t < 2.0);
	ASSERT(m.lines > 0);		/* the stream was running */
	ASSERT_INT(m.bad_lines, 0);
	ASSERT_INT(m.done_total, 1);	/* only /ok, before the free */
	ASSERT_INT(uv_loop_close(&loop), 0);
	multi_cleanup(&m);
}

static void
on_done_free(struct http_request *req, const struct http_response *resp,
    void *arg)
{
	struct multi	*m = arg;

	on_done_count(req, resp, arg);
	http_free(m->http);
	m->http = NULL;
}

static int
on_line_free(struct http_request *req, const char *line, size_t len,
    void *arg)
{
	struct multi	*m = arg;

	(void)req;
	(void)line;
	(void)len;
	if (++m->lines == 3) {
		http_free(m->http);
		m->http = NULL;
	}
	return (0);
}

TEST(free_in_callbacks)
{
	uv_loop_t		 loop;
	struct multi		 m;
	struct http_opts	 a = { .url = url("/ok"), .on_done = on_done_free };
	struct http_opts	 b = { .url = url("/slow?ms=4000"),
	    .on_done = on_done_count };
	double			 t;

	memset(&m, 0, sizeof m);
	a.arg = b.arg = &m;
	uv_loop_init(&loop);
	m.http = http_create(&loop);
	m.req[0] = http_start(m.http, &a);
	m.req[1] = http_start(m.http, &b);
	t = now_mono();
	uv_run(&loop, UV_RUN_DEFAULT);
	ASSERT(now_mono() - t < 3.0);
	ASSERT_INT(m.done_total, 1);
	ASSERT_INT(m.res[0].done, 1);
	ASSERT_INT(uv_loop_close(&loop), 0);
	multi_cleanup(&m);

	/* From on_line, inside curl's write callback. */
	memset(&m, 0, sizeof m);
	a.url = url("/stream?n=1000&delay=2");
	a.on_line = on_line_free;
	a.on_done = on_done_count;
	uv_loop_init(&loop);
	m.http = http_create(&loop);
	m.req[0] = http_start(m.http, &a);
	m.req[1] = http_start(m.http, &b);
	t = now_mono();
	uv_run(&loop, UV_RUN_DEFAULT);
	ASSERT(now_mono() - t < 3.0);
	ASSERT_INT(m.lines, 3);
	ASSERT_INT(m.done_total, 0);
	ASSERT_INT(uv_loop_close(&loop), 0);
}

static void
on_done_chain(struct http_request *req, const struct http_response *resp,
    void *arg)
{
	struct multi		*m = arg;
	struct http_opts	 o = { .url = url("/ok"), .on_done = on_done_count,
	    .arg = m };

	on_done_count(req, resp, arg);
	m->req[2] = http_start(m->http, &o);
}

static int
on_line_start(struct http_request *req, const char *line, size_t len,
    void *arg)
{
	struct multi		*m = arg;
	struct http_opts	 o = { .url = url("/ok"), .on_done = on_done_chain,
	    .arg = m };

	(void)req;
	(void)line;
	(void)len;
	if (++m->lines == 2)
		m->req[1] = http_start(m->http, &o);
	return (0);
}

TEST(start_in_callbacks)
{
	uv_loop_t		 loop;
	struct multi		 m;
	struct http_opts	 o = { .url = url("/stream?n=20&delay=1"),
	    .on_line = on_line_start, .on_done = on_done_count };

	memset(&m, 0, sizeof m);
	o.arg = &m;
	uv_loop_init(&loop);
	m.http = http_create(&loop);
	m.req[0] = http_start(m.http, &o);
	uv_run(&loop, UV_RUN_DEFAULT);
	ASSERT_INT(m.lines, 21);
	ASSERT_INT(m.done_total, 3);
	ASSERT_INT(m.res[0].status, 200);
	ASSERT_INT(m.res[1].status, 200);
	ASSERT_INT(m.res[2].status, 200);
	ASSERT_INT(loop_finish(&loop, m.http), 0);
	multi_cleanup(&m);
}

TEST(no_secrets_in_log)
{
	char			 path[] = "/tmp/test-net-http-log.XXXXXX";
	char			 buf[65536];
	struct http_opts	 o = { .url = url("/echo"), .bearer = TOKEN,
	    .body = "secret-body-text" };
	struct result		 res;
	ssize_t			 n;
	int			 fd;
	char			*cause = NULL, want[128];

	ASSERT((fd = mkstemp(path)) != -1);
	close(fd);
	ASSERT_INT(log_open(path, &cause), 0);
	ASSERT_INT(run_one(&o, &res), 0);
	ASSERT(strstr(res.body, "\"auth_ok\":true") != NULL);
	result_clear(&res);

	memset(&o, 0, sizeof o);
	snprintf(buf, sizeof buf, "http://%s:%s@127.0.0.1:%d/echo", USER,
	    PASSWORD, server_port);
	o.url = buf;
	ASSERT_INT(run_one(&o, &res), 0);
	ASSERT(strstr(res.body, "\"scheme\":\"Basic\"") != NULL);
	ASSERT(strstr(res.body, "\"auth_ok\":true") != NULL);
	result_clear(&res);

	/* A query (a token in it) and a webhook's path are never logged. */
	memset(&o, 0, sizeof o);
	snprintf(buf, sizeof buf, "http://127.0.0.1:%d/echo?token=qsecret1"
	    "#qsecret2", server_port);
	o.url = buf;
	ASSERT_INT(run_one(&o, &res), 0);
	result_clear(&res);
	memset(&o, 0, sizeof o);
	snprintf(buf, sizeof buf, "http://127.0.0.1:%d/echo/hooks/psecret3",
	    server_port);
	o.url = buf;
	o.log_origin = 1;
	ASSERT_INT(run_one(&o, &res), 0);
	result_clear(&res);
	log_close();

	fd = open(path, O_RDONLY);
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	unlink(path);
	ASSERT(n > 0);
	buf[n] = '\0';
	ASSERT(strstr(buf, "/echo") != NULL);
	ASSERT(strstr(buf, "status 200") != NULL);
	ASSERT(strstr(buf, TOKEN) == NULL);
	ASSERT(strstr(buf, PASSWORD) == NULL);
	ASSERT(strstr(buf, "secret-body") == NULL);
	ASSERT(strstr(buf, "qsecret") == NULL);
	ASSERT(strstr(buf, "psecret") == NULL);
	snprintf(want, sizeof want, "http://127.0.0.1:%d/\xe2\x80\xa6: status",
	    server_port);
	ASSERT(strstr(buf, want) != NULL);
}

static char *
read_file(const char *path, size_t *len)
{
	FILE	*f;
	char	*buf;
	long	 n;

	if ((f = fopen(path, "r")) == NULL)
		return (NULL);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = xmalloc(n + 1);
	*len = fread(buf, 1, n, f);
	buf[*len] = '\0';
	fclose(f);
	return (buf);
}

static int
tls_setup(void)
{
	char	 cmd[2 * PATH_MAX + 512];

	if (mkdtemp(tls_dir) == NULL)
		return (0);
	snprintf(tls_cert, sizeof tls_cert, "%s/cert.pem", tls_dir);
	snprintf(tls_key, sizeof tls_key, "%s/key.pem", tls_dir);
	snprintf(cmd, sizeof cmd, "openssl req -x509 -newkey rsa:2048 -nodes "
	    "-keyout %s -out %s -days 2 -subj /CN=warroom-test "
	    "-addext subjectAltName=IP:127.0.0.1 >/dev/null 2>&1", tls_key,
	    tls_cert);
	if (system(cmd) != 0)
		return (0);
	tls_cert_pem = read_file(tls_cert, &tls_cert_len);
	tls_key_pem = read_file(tls_key, &tls_key_len);
	return (tls_cert_pem != NULL && tls_key_pem != NULL);
}

static void
tls_cleanup(void)
{
	unlink(tls_cert);
	unlink(tls_key);
	rmdir(tls_dir);
	free(tls_cert_pem);
	free(tls_key_pem);
}

TEST(tls)
{
	struct http_tls		 tls;
	struct http_opts	 o = { .url = tls_url("127.0.0.1", "/ok"),
	    .tls = &tls };
	struct result		 res;

	/* Self-signed and no CA given: refused. */
	memset(&tls, 0, sizeof tls);
	ASSERT_INT(run_one(&o, &res), 0);
	ASSERT_INT(res.done, 1);
	ASSERT_INT(res.status, 0);
	ASSERT_INT(res.error, 60);	/* CURLE_PEER_FAILED_VERIFICATION */
	ASSERT(strncmp(res.error_text, "TLS certificate", 15) == 0);
	result_clear(&res);

	tls.ca_file = tls_cert;
	ASSERT_INT(run_one(&o, &res), 0);
	ASSERT_INT(res.status, 200);
	ASSERT_INT(res.error, 0);
	result_clear(&res);

	memset(&tls, 0, sizeof tls);
	tls.ca_pem = tls_cert_pem;
	tls.ca_pem_len = tls_cert_len;
	ASSERT_INT(run_one(&o, &res), 0);
	ASSERT_INT(res.status, 200);
	ASSERT_INT(res.error, 0);
	result_clear(&res);

	memset(&tls, 0, sizeof tls);
	tls.insecure = 1;
	ASSERT_INT(run_one(&o, &res), 0);
	ASSERT_INT(res.status, 200);
	result_clear(&res);

	/* The name does not match the certificate (IP SAN only). */
	memset(&tls, 0, sizeof tls);
	tls.ca_pem = tls_cert_pem;
	tls.ca_pem_len = tls_cert_len;
	o.url = tls_url("localhost", "/ok");
	ASSERT_INT(run_one(&o, &res), 0);
	ASSERT_INT(res.status, 0);
	ASSERT_INT(res.error, 60);
	result_clear(&res);

	/* Client certificate, as blobs and as files. */
	o.url = tls_url("127.0.0.1", "/clientcert");
	ASSERT_INT(run_one(&o, &res), 0);
	ASSERT_STR(res.body, "{\"cn\":\"none\"}");
	result_clear(&res);

	tls.cert_pem = tls_cert_pem;
	tls.cert_pem_len = tls_cert_len;
	tls.key_pem = tls_key_pem;
	tls.key_pem_len = tls_key_len;
	ASSERT_INT(run_one(&o, &res), 0);
	ASSERT_INT(res.status, 200);
	ASSERT_STR(res.body, "{\"cn\":\"warroom-test\"}");
	result_clear(&res);

	memset(&tls, 0, sizeof tls);
	tls.ca_file = tls_cert;
	tls.cert_file = tls_cert;
	tls.key_file = tls_key;
	tls.server_name = "127.0.0.1";		/* the name in the certificate */
	ASSERT_INT(run_one(&o, &res), 0);
	ASSERT_INT(res.status, 200);
	ASSERT_STR(res.body, "{\"cn\":\"warroom-test\"}");
	result_clear(&res);

	tls.server_name = "other.example";	/* verified, and refused */
	ASSERT_INT(run_one(&o, &res), 0);
	ASSERT_INT(res.status, 0);
	ASSERT(res.error != 0);
	result_clear(&res);
}

/* The server script: $TEST_SRCDIR/tests/http-server, else next to us. */
static void
server_script(char *out, size_t size)
{
	const char	*top = getenv("TEST_SRCDIR");
	char		 file[PATH_MAX];

	if (top != NULL) {
		snprintf(out, size, "%s/tests/http-server/server.py", top);
		if (access(out, R_OK) == 0)
			return;
		snprintf(out, size, "%s/http-server/server.py", top);
		if (access(out, R_OK) == 0)
			return;
	}
	snprintf(file, sizeof file, "%s", __FILE__);
	snprintf(out, size, "%s/http-server/server.py", dirname(file));
}

static int
server_start(int tls)
{
	char	 script[PATH_MAX], line[64];
	int	 in[2], out[2];
	FILE	*f;

	server_script(script, sizeof script);
	if (pipe2(in, O_CLOEXEC) != 0 || pipe2(out, O_CLOEXEC) != 0)
		return (0);
	if ((server_pid = fork()) == -1)
		return (0);
	if (server_pid == 0) {
		dup2(in[0], STDIN_FILENO);
		dup2(out[1], STDOUT_FILENO);
		if (tls) {
			execl("/usr/bin/python3", "python3", script, "--tls",
			    tls_cert, tls_key, (char *)NULL);
		} else
			execl("/usr/bin/python3", "python3", script, (char *)NULL);
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	server_stdin = in[1];
	if ((f = fdopen(out[0], "r")) == NULL)
		return (0);
	if (fgets(line, sizeof line, f) == NULL ||
	    sscanf(line, "%d %d", &server_port, &server_tls_port) != 2) {
		fclose(f);
		return (0);
	}
	fclose(f);
	return (server_port > 0);
}

static void
server_stop(void)
{
	int	 status;

	if (server_stdin != -1)
		close(server_stdin);	/* EOF on its stdin: it exits */
	if (server_pid > 0)
		waitpid(server_pid, &status, 0);
}

int
main(void)
{
	int	 tls;

	signal(SIGPIPE, SIG_IGN);
	alarm(300);	/* a hung loop fails the run instead of blocking it */

	tls = tls_setup();
	if (!server_start(tls)) {
		printf("FAIL: server: cannot start tests/http-server/server.py "
		    "(set TEST_SRCDIR to the source tree)\n");
		server_stop();
		if (tls)
			tls_cleanup();
		return (1);
	}

	RUN(ok_200);
	RUN(http_errors_keep_body);
	RUN(retry_after);
	RUN(connection_refused);
	RUN(connect_timeout);
	RUN(total_timeout);
	RUN(low_speed_abort);
	RUN(body_cap);
	RUN(big_body);
	RUN(stream_lines);
	RUN(stream_abort);
	RUN(stream_line_cap);
	RUN(cancel_in_on_line);
	RUN(cancel_other_in_on_line);
	RUN(cancel_in_on_done);
	RUN(cancel_before_start);
	RUN(setup_errors_async);
	RUN(echo_methods_and_auth);
	RUN(concurrent_50);
	RUN(free_in_flight);
	RUN(free_in_callbacks);
	RUN(start_in_callbacks);
	RUN(no_secrets_in_log);
	if (tls && server_tls_port != 0)
		RUN(tls);
	else
		printf("SKIP: tls (no openssl)\n");

	server_stop();
	if (tls)
		tls_cleanup();
	return (TEST_EXIT());
}
