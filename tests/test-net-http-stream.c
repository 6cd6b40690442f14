/* tests/test-net-http-stream.c: net-http.c's requests on the loop, against
 * the loopback Python server (tests/http-server/server.py): streamed lines,
 * their cap and abort; cancel, free and start from inside callbacks, before
 * the start and in flight; fifty requests at once. */

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <uv.h>

#include "net-http.h"
#include "warroom.h"
#include "net-http-fixture.h"
#include "test.h"

#define NCONCURRENT	50

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
	return uv_loop_close(&loop);
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
	return m->cancel_at != 0 && m->lines == m->cancel_at;
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
	return 0;
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
	return 0;
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
	return uv_loop_close(loop);
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
	return 0;
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
	return 0;
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

int
main(void)
{
	signal(SIGPIPE, SIG_IGN);
	alarm(300);	/* a hung loop fails the run instead of blocking it */

	if (!server_start(NULL, NULL))
		return 1;

	RUN(stream_lines);
	RUN(stream_abort);
	RUN(stream_line_cap);
	RUN(cancel_in_on_line);
	RUN(cancel_other_in_on_line);
	RUN(cancel_in_on_done);
	RUN(cancel_before_start);
	RUN(concurrent_50);
	RUN(free_in_flight);
	RUN(free_in_callbacks);
	RUN(start_in_callbacks);

	server_stop();
	return TEST_EXIT();
}
