/* tests/test-net-redis.c: net-redis.c against a real Redis 7
 * (tests/stack/db.sh): PING and AUTH in both forms, SELECT, replies copied
 * (binary, nested, nil), errors, refused and silent ports, command
 * timeouts and the reconnection after them, long queues, freeing with work
 * pending, bad URLs, and the server restarted. The server comes from
 * WARROOM_TEST_* (tests/t-net-db.sh); without it the program starts its
 * own stack with db.sh. */

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <uv.h>

#include "net-redis.h"
#include "warroom.h"
#include "net-db-fixture.h"
#include "test.h"

struct trd {
	struct tloop	 t;
	struct redis	*r;
	int		 ups;
	int		 downs;
	int		 bad;
	char		*error;
};

/* A reply as text: $len:bytes (escaped), +status, -error, :int, nil,
 * *n[...]; and whether every string was NUL-terminated in place. */
struct trep {
	int		 done;
	int		 replied;
	char		*error;
	char		 text[8192];
	enum redis_type	 type;
	long long	 integer;
	int		 unterminated;
	double		 started, elapsed;
};

static void
trd_state(struct redis *r, int up, const char *error, void *arg)
{
	struct trd	*f = arg;

	(void)r;
	if (up) {
		f->ups++;
		if (error != NULL)
			f->bad++;
		return;
	}
	f->downs++;
	if (error == NULL || *error == '\0' || strchr(error, '\n') != NULL)
		f->bad++;
	free(f->error);
	f->error = xstrdup(error != NULL ? error : "(null)");
}

static int
trd_init(struct trd *f, const char *url, long connect_timeout_ms)
{
	char	*cause = NULL;

	memset(f, 0, sizeof *f);
	tl_init(&f->t);
	f->r = redis_create(&f->t.loop, url, connect_timeout_ms, trd_state, f,
	    &cause);
	if (f->r == NULL) {
		printf("# redis_create: %s\n", cause);
		free(cause);
		return 0;
	}
	redis_start(f->r);
	return 1;
}

static int
trd_close(struct trd *f)
{
	redis_free(f->r);
	free(f->error);
	return tl_close(&f->t);
}

static void
render(const struct redis_reply *x, char *out, size_t size, int *unterm)
{
	size_t	 n = strlen(out), i;

	if (n + 16 >= size)
		return;
	switch (x->type) {
	case REDIS_T_STRING:
	case REDIS_T_STATUS:
	case REDIS_T_ERROR:
		if (x->str == NULL || x->str[x->len] != '\0')
			(*unterm)++;
		if (x->type == REDIS_T_STRING)
			n += snprintf(out + n, size - n, "$%zu:", x->len);
		else
			out[n++] = x->type == REDIS_T_STATUS ? '+' : '-';
		for (i = 0; i < x->len && n + 5 < size; i++) {
			if (x->str[i] >= 0x20 && x->str[i] < 0x7f)
				out[n++] = x->str[i];
			else
				n += snprintf(out + n, size - n, "\\x%02x",
				    (unsigned char)x->str[i]);
		}
		out[n] = '\0';
		break;
	case REDIS_T_INTEGER:
		snprintf(out + n, size - n, ":%lld", x->integer);
		break;
	case REDIS_T_NIL:
		snprintf(out + n, size - n, "nil");
		break;
	case REDIS_T_ARRAY:
		snprintf(out + n, size - n, "*%zu[", x->elements);
		for (i = 0; i < x->elements; i++) {
			if (i > 0)
				strncat(out, ",", size - strlen(out) - 1);
			render(&x->element[i], out, size, unterm);
		}
		strncat(out, "]", size - strlen(out) - 1);
		break;
	}
}

static void
trep_cb(struct redis *r, const struct redis_reply *x, const char *error,
    void *arg)
{
	struct trep	*t = arg;

	(void)r;
	t->done++;
	t->replied = x != NULL;
	free(t->error);
	t->error = error != NULL ? xstrdup(error) : NULL;
	if ((x == NULL) == (error == NULL))
		t->done += 100;		/* one or the other */
	t->text[0] = '\0';
	if (x != NULL) {
		t->type = x->type;
		t->integer = x->integer;
		render(x, t->text, sizeof t->text, &t->unterminated);
	}
	t->elapsed = now_mono() - t->started;
}

static void
trd_send(struct trd *f, struct trep *t, long timeout_ms, int argc, ...)
{
	const char	*argv[16];
	va_list		 ap;
	int		 i;

	va_start(ap, argc);
	for (i = 0; i < argc && i < 16; i++)
		argv[i] = va_arg(ap, const char *);
	va_end(ap);
	free(t->error);
	memset(t, 0, sizeof *t);
	t->started = now_mono();
	redis_command(f->r, timeout_ms, trep_cb, t, argc, argv);
}

#define trd_ask(fx, rep, timeout, ...) \
	(trd_send((fx), (rep), (timeout), __VA_ARGS__), \
	tl_wait(&(fx)->t, &(rep)->done, 1, (timeout) / 1000.0 + 5))

/* The URL with another password (user info) in place of the real one. */
static char *
redis_url_with(const char *userinfo, const char *path)
{
	char	*url;

	xasprintf(&url, "redis://%s127.0.0.1:%s%s", userinfo,
	    env("WARROOM_TEST_REDIS_PORT"), path);
	return url;
}

TEST(redis_ping_and_auth)
{
	struct trd	 f;
	struct trep	 t = { 0 };
	char		*url, *ui;

	ASSERT(trd_init(&f, env("WARROOM_TEST_REDIS_URL"), 3000));
	/* Sent before it is up: waits for AUTH. */
	trd_send(&f, &t, 3000, 1, "PING");
	ASSERT_INT(t.done, 0);
	ASSERT(tl_wait(&f.t, &t.done, 1, 5));
	ASSERT_INT(t.done, 1);
	ASSERT_INT(f.ups, 1);
	ASSERT(redis_connected(f.r));
	ASSERT_STR(t.text, "+PONG");
	ASSERT_INT(t.type, REDIS_T_STATUS);
	ASSERT_INT(trd_close(&f), 0);

	/* The ACL form, user and password. */
	xasprintf(&ui, "default:%s@", env("WARROOM_TEST_REDIS_PASSWORD"));
	url = redis_url_with(ui, "/0");
	free(ui);
	ASSERT(trd_init(&f, url, 3000));
	free(url);
	ASSERT(trd_ask(&f, &t, 3000, 2, "ECHO", "acl"));
	ASSERT_STR(t.text, "$3:acl");
	ASSERT_INT(f.ups, 1);
	ASSERT_INT(trd_close(&f), 0);

	/* The wrong password: a clear error, never up, never the password. */
	url = redis_url_with(":" WRONG_PW "@", "");
	ASSERT(trd_init(&f, url, 3000));
	free(url);
	trd_send(&f, &t, 3000, 1, "PING");
	ASSERT(tl_wait(&f.t, &f.downs, 1, 5));
	ASSERT_INT(f.ups, 0);
	ASSERT(strstr(f.error, "AUTH failed: WRONGPASS") != NULL);
	ASSERT(strstr(f.error, WRONG_PW) == NULL);
	ASSERT(tl_wait(&f.t, &t.done, 1, 3));
	ASSERT(!t.replied && t.error != NULL);
	ASSERT_INT(f.bad, 0);
	ASSERT_INT(trd_close(&f), 0);

	/* No password for a server that wants one: not up either. */
	url = redis_url_with("", "");
	ASSERT(trd_init(&f, url, 3000));
	free(url);
	ASSERT(tl_wait(&f.t, &f.downs, 1, 5));
	ASSERT_INT(f.ups, 0);
	ASSERT(strstr(f.error, "NOAUTH") != NULL);
	free(t.error);
	ASSERT_INT(trd_close(&f), 0);
}

TEST(redis_select)
{
	struct trd	 f5, f0;
	struct trep	 t = { 0 };
	char		*ui, *url;

	xasprintf(&ui, ":%s@", env("WARROOM_TEST_REDIS_PASSWORD"));
	url = redis_url_with(ui, "/5");
	ASSERT(trd_init(&f5, url, 3000));
	free(url);
	url = redis_url_with(ui, "/0");
	free(ui);
	ASSERT(trd_init(&f0, url, 3000));
	free(url);

	ASSERT(trd_ask(&f5, &t, 3000, 3, "SET", "warroom:test:select", "five"));
	ASSERT_STR(t.text, "+OK");
	ASSERT(trd_ask(&f5, &t, 3000, 2, "GET", "warroom:test:select"));
	ASSERT_STR(t.text, "$4:five");
	ASSERT(trd_ask(&f0, &t, 3000, 2, "GET", "warroom:test:select"));
	ASSERT_STR(t.text, "nil");
	ASSERT_INT(t.type, REDIS_T_NIL);
	ASSERT(trd_ask(&f5, &t, 3000, 1, "DBSIZE"));
	ASSERT_INT(t.type, REDIS_T_INTEGER);
	ASSERT(t.integer >= 1);
	ASSERT(trd_ask(&f5, &t, 3000, 2, "DEL", "warroom:test:select"));
	ASSERT_STR(t.text, ":1");
	free(t.error);
	ASSERT_INT(trd_close(&f5), 0);
	ASSERT_INT(trd_close(&f0), 0);
}

TEST(redis_replies_copied)
{
	struct trd	 f;
	struct trep	 t = { 0 };

	ASSERT(trd_init(&f, env("WARROOM_TEST_REDIS_URL"), 3000));
	/* Binary bytes: SETRANGE pads a new key with NULs. */
	ASSERT(trd_ask(&f, &t, 3000, 2, "DEL", "warroom:test:bin"));
	ASSERT(trd_ask(&f, &t, 3000, 4, "SETRANGE", "warroom:test:bin", "3",
	    "a\xff" "b"));
	ASSERT_STR(t.text, ":6");
	ASSERT(trd_ask(&f, &t, 3000, 2, "GET", "warroom:test:bin"));
	ASSERT_STR(t.text, "$6:\\x00\\x00\\x00a\\xffb");
	ASSERT(trd_ask(&f, &t, 3000, 3, "MGET", "warroom:test:bin",
	    "warroom:test:none"));
	ASSERT_STR(t.text, "*2[$6:\\x00\\x00\\x00a\\xffb,nil]");
	ASSERT(trd_ask(&f, &t, 3000, 3, "INCRBY", "warroom:test:n", "-7"));
	ASSERT_INT(t.type, REDIS_T_INTEGER);
	ASSERT(t.integer < 0);
	ASSERT(trd_ask(&f, &t, 3000, 3, "DEL", "warroom:test:bin",
	    "warroom:test:n"));
	ASSERT_STR(t.text, ":2");

	/* SLOWLOG GET: nested arrays of integers and strings. */
	ASSERT(trd_ask(&f, &t, 3000, 2, "SLOWLOG", "RESET"));
	ASSERT(trd_ask(&f, &t, 3000, 3, "DEBUG", "SLEEP", "0.02"));
	ASSERT_STR(t.text, "+OK");
	ASSERT(trd_ask(&f, &t, 3000, 3, "SLOWLOG", "GET", "1"));
	ASSERT_INT(t.type, REDIS_T_ARRAY);
	ASSERT(strncmp(t.text, "*1[*6[:", 7) == 0);
	ASSERT(strstr(t.text, ",*3[$5:DEBUG,$5:SLEEP,$4:0.02],$15:127.0.0.1:")
	    != NULL || strstr(t.text, ",*3[$5:DEBUG,$5:SLEEP,$4:0.02],$16:"
	    "127.0.0.1:") != NULL);
	ASSERT(strcmp(t.text + strlen(t.text) - 6, ",$0:]]") == 0);

	/* INFO: one bulk string of lines. */
	ASSERT(trd_ask(&f, &t, 3000, 2, "INFO", "server"));
	ASSERT_INT(t.type, REDIS_T_STRING);
	ASSERT(strstr(t.text, "# Server\\x0d\\x0a") != NULL);
	ASSERT(strstr(t.text, "redis_version:7.") != NULL);
	ASSERT_INT(t.unterminated, 0);
	free(t.error);
	ASSERT_INT(trd_close(&f), 0);
}

TEST(redis_unknown_command)
{
	struct trd	 f;
	struct trep	 t = { 0 };

	ASSERT(trd_init(&f, env("WARROOM_TEST_REDIS_URL"), 3000));
	ASSERT(trd_ask(&f, &t, 3000, 2, "NOSUCHCMD", "x"));
	ASSERT_INT(t.done, 1);
	ASSERT(t.replied);
	ASSERT(t.error == NULL);
	ASSERT_INT(t.type, REDIS_T_ERROR);
	ASSERT(strncmp(t.text, "-ERR unknown command", 20) == 0);
	/* Commands that would change the protocol are refused here. */
	ASSERT(trd_ask(&f, &t, 3000, 2, "HELLO", "3"));
	ASSERT(!t.replied && t.error != NULL);
	ASSERT(trd_ask(&f, &t, 3000, 2, "SUBSCRIBE", "x"));
	ASSERT(!t.replied && t.error != NULL);
	ASSERT(trd_ask(&f, &t, 3000, 1, "PING"));
	ASSERT_STR(t.text, "+PONG");
	ASSERT_INT(f.downs, 0);
	free(t.error);
	ASSERT_INT(trd_close(&f), 0);
}

TEST(redis_refused_reported)
{
	struct trd	 f;
	struct trep	 t = { 0 };
	char		 url[128];
	double		 t0;

	snprintf(url, sizeof url, "redis://:" WRONG_PW "@127.0.0.1:%d/0",
	    closed_port());
	t0 = now_mono();
	ASSERT(trd_init(&f, url, 3000));
	trd_send(&f, &t, 5000, 1, "PING");
	ASSERT(tl_wait(&f.t, &f.downs, 1, 5));
	ASSERT(now_mono() - t0 < 2.0);	/* not the connect timeout */
	ASSERT_INT(f.ups, 0);
	ASSERT(strcasestr(f.error, "refused") != NULL);
	ASSERT(strstr(f.error, WRONG_PW) == NULL);
	ASSERT(tl_wait(&f.t, &t.done, 1, 2));
	ASSERT(!t.replied && t.error != NULL);
	ASSERT(t.elapsed < 2.0);
	/* And again after the backoff. */
	ASSERT(tl_wait(&f.t, &f.downs, 2, 3));
	ASSERT_INT(f.bad, 0);
	free(t.error);
	ASSERT_INT(trd_close(&f), 0);

	/* A unix socket that is not there. */
	ASSERT(trd_init(&f, "/nonexistent/redis.sock", 3000));
	ASSERT(tl_wait(&f.t, &f.downs, 1, 3));
	ASSERT(strstr(f.error, "/nonexistent/redis.sock") != NULL);
	ASSERT_INT(trd_close(&f), 0);
}

TEST(redis_blackhole_timeouts)
{
	struct trd	 f;
	struct trep	 t = { 0 };
	char		 url[128];
	int		 fd;

	snprintf(url, sizeof url, "redis://127.0.0.1:%d", silent_port(&fd));
	ASSERT(trd_init(&f, url, 1000));
	trd_send(&f, &t, 300, 1, "PING");
	ASSERT(tl_wait(&f.t, &t.done, 1, 5));
	ASSERT_INT(t.done, 1);
	ASSERT(!t.replied);
	ASSERT_STR(t.error, "timed out after 300 ms");
	ASSERT(t.elapsed >= 0.25 && t.elapsed < 2.0);
	ASSERT_INT(f.ups, 0);		/* it never answered PING */
	ASSERT(tl_wait(&f.t, &f.downs, 1, 5));
	close(fd);
	ASSERT(strstr(f.error, "timed out connecting") != NULL);
	ASSERT_INT(f.ups, 0);
	free(t.error);
	ASSERT_INT(trd_close(&f), 0);
}

TEST(redis_command_timeout_reconnects)
{
	struct trd	 f;
	struct trep	 t = { 0 }, behind = { 0 };

	ASSERT(trd_init(&f, env("WARROOM_TEST_REDIS_URL"), 3000));
	ASSERT(tl_wait(&f.t, &f.ups, 1, 5));
	trd_send(&f, &t, 300, 3, "BLPOP", "warroom:test:never", "5");
	trd_send(&f, &behind, 5000, 1, "PING");
	ASSERT(tl_wait(&f.t, &t.done, 1, 5));
	ASSERT_STR(t.error, "timed out after 300 ms");
	ASSERT(t.elapsed >= 0.25 && t.elapsed < 2.0);
	/* The one behind it shared its fate: answered once, with an error. */
	ASSERT(tl_wait(&f.t, &behind.done, 1, 2));
	ASSERT_INT(behind.done, 1);
	ASSERT(!behind.replied && behind.error != NULL);
	ASSERT_INT(f.downs, 1);
	ASSERT(strstr(f.error, "timed out") != NULL);
	ASSERT(tl_wait(&f.t, &f.ups, 2, 5));
	ASSERT(trd_ask(&f, &t, 3000, 1, "PING"));
	ASSERT_STR(t.text, "+PONG");
	ASSERT_INT(t.done, 1);
	ASSERT_INT(behind.done, 1);
	ASSERT_INT(f.bad, 0);
	free(t.error);
	free(behind.error);
	ASSERT_INT(trd_close(&f), 0);
}

#define NRQUEUE	500
static int	 rq_n, rq_bad;

static void
rq_cb(struct redis *r, const struct redis_reply *x, const char *error,
    void *arg)
{
	(void)r;
	(void)error;
	rq_n++;
	if (x == NULL || x->type != REDIS_T_INTEGER ||
	    x->integer != (long long)(intptr_t)arg)
		rq_bad++;
}

TEST(redis_many_in_order)
{
	struct trd	 f;
	struct trep	 t = { 0 };
	const char	*argv[] = { "INCR", "warroom:test:counter" };
	int		 i;

	ASSERT(trd_init(&f, env("WARROOM_TEST_REDIS_URL"), 3000));
	ASSERT(trd_ask(&f, &t, 3000, 2, "DEL", "warroom:test:counter"));
	rq_n = rq_bad = 0;
	for (i = 1; i <= NRQUEUE; i++)
		redis_command(f.r, 10000, rq_cb, (void *)(intptr_t)i, 2, argv);
	ASSERT(tl_wait(&f.t, &rq_n, NRQUEUE, 20));
	ASSERT_INT(rq_n, NRQUEUE);
	ASSERT_INT(rq_bad, 0);
	ASSERT(trd_ask(&f, &t, 3000, 2, "DEL", "warroom:test:counter"));
	free(t.error);
	ASSERT_INT(trd_close(&f), 0);
}

static int	 rcb_after_free;

static void
rnever_cb(struct redis *r, const struct redis_reply *x, const char *error,
    void *arg)
{
	(void)r;
	(void)x;
	(void)error;
	(void)arg;
	rcb_after_free++;
}

static int	 rfree_in_cb_n;

static void
rfree_in_cb(struct redis *r, const struct redis_reply *x, const char *error,
    void *arg)
{
	struct trd	*f = arg;

	(void)x;
	(void)error;
	rfree_in_cb_n++;
	redis_free(r);
	f->r = NULL;
}

TEST(redis_free_with_pending)
{
	struct trd	 f;
	uv_loop_t	 loop;
	struct redis	*r;
	const char	*blpop[] = { "BLPOP", "warroom:test:never", "5" };
	const char	*ping[] = { "PING" };
	char		*cause = NULL;
	int		 i;

	ASSERT(trd_init(&f, env("WARROOM_TEST_REDIS_URL"), 3000));
	ASSERT(tl_wait(&f.t, &f.ups, 1, 5));
	rcb_after_free = 0;
	redis_command(f.r, 5000, rnever_cb, NULL, 3, blpop);
	for (i = 0; i < 10; i++)
		redis_command(f.r, 5000, rnever_cb, NULL, 1, ping);
	uv_run(&f.t.loop, UV_RUN_NOWAIT);	/* written to the socket */
	redis_free(f.r);
	f.r = NULL;
	tl_run_for(&f.t, 0.3);
	ASSERT_INT(rcb_after_free, 0);
	free(f.error);
	ASSERT_INT(tl_close(&f.t), 0);

	/* While connecting, and before it started. */
	uv_loop_init(&loop);
	r = redis_create(&loop, env("WARROOM_TEST_REDIS_URL"), 3000, NULL,
	    NULL, &cause);
	ASSERT(r != NULL);
	redis_start(r);
	redis_command(r, 5000, rnever_cb, NULL, 1, ping);
	uv_run(&loop, UV_RUN_NOWAIT);
	uv_run(&loop, UV_RUN_NOWAIT);
	redis_free(r);
	r = redis_create(&loop, "redis://localhost", 3000, NULL, NULL, &cause);
	ASSERT(r != NULL);
	redis_start(r);
	uv_run(&loop, UV_RUN_NOWAIT);
	redis_free(r);		/* with the resolver at work */
	uv_run(&loop, UV_RUN_DEFAULT);
	ASSERT_INT(rcb_after_free, 0);
	ASSERT_INT(uv_loop_close(&loop), 0);

	/* From inside a reply callback, with more pending in hiredis. */
	ASSERT(trd_init(&f, env("WARROOM_TEST_REDIS_URL"), 3000));
	ASSERT(tl_wait(&f.t, &f.ups, 1, 5));
	rfree_in_cb_n = 0;
	redis_command(f.r, 5000, rfree_in_cb, &f, 1, ping);
	for (i = 0; i < 5; i++)
		redis_command(f.r, 5000, rnever_cb, NULL, 1, ping);
	ASSERT(tl_wait(&f.t, &rfree_in_cb_n, 1, 5));
	tl_run_for(&f.t, 0.3);
	ASSERT_INT(rfree_in_cb_n, 1);
	ASSERT_INT(rcb_after_free, 0);
	free(f.error);
	ASSERT_INT(tl_close(&f.t), 0);
}

TEST(redis_bad_urls)
{
	static const char *const bad[] = {
		"", "http://127.0.0.1", "rediss://:pw@127.0.0.1",
		"redis://" WRONG_PW "@127.0.0.1", "redis://:" WRONG_PW "@",
		"redis://:" WRONG_PW "@127.0.0.1:99999",
		"redis://:" WRONG_PW "@127.0.0.1:6379/x",
		"redis://:" WRONG_PW "@127.0.0.1:6379/0?timeout=1",
		"redis://:%zz" WRONG_PW "@127.0.0.1", "redis://[::1",
		"relative/path.sock",
	};
	uv_loop_t	 loop;
	struct redis	*r;
	char		*cause;
	size_t		 i;

	uv_loop_init(&loop);
	for (i = 0; i < nitems(bad); i++) {
		cause = NULL;
		r = redis_create(&loop, bad[i], 1000, NULL, NULL, &cause);
		ASSERT(r == NULL);
		ASSERT(cause != NULL && *cause != '\0');
		ASSERT(strstr(cause, WRONG_PW) == NULL);
		free(cause);
	}
	/* Good ones, never started. */
	r = redis_create(&loop, "redis://u:p%40ss@[::1]:6380/3", 1000, NULL,
	    NULL, &cause);
	ASSERT(r != NULL);
	redis_free(r);
	r = redis_create(&loop, "redis://localhost", 1000, NULL, NULL, &cause);
	ASSERT(r != NULL);
	redis_free(r);
	uv_run(&loop, UV_RUN_DEFAULT);
	ASSERT_INT(uv_loop_close(&loop), 0);
}

TEST(redis_server_restarted)
{
	struct trd	 f;
	struct trep	 t = { 0 };
	double		 t0;

	ASSERT(trd_init(&f, env("WARROOM_TEST_REDIS_URL"), 2000));
	ASSERT(tl_wait(&f.t, &f.ups, 1, 5));
	ASSERT(stack_ctl("stop", "redis"));
	ASSERT(tl_wait(&f.t, &f.downs, 1, 10));
	ASSERT(!redis_connected(f.r));
	ASSERT(strstr(f.error, "connection") != NULL);
	ASSERT(trd_ask(&f, &t, 1000, 1, "PING"));
	ASSERT(!t.replied && t.error != NULL);
	t0 = now_mono();
	ASSERT(stack_ctl("start", "redis"));
	ASSERT(tl_wait(&f.t, &f.ups, 2, 40));
	printf("# redis: up again %.1f s after the start\n", now_mono() - t0);
	ASSERT(trd_ask(&f, &t, 3000, 1, "PING"));
	ASSERT_STR(t.text, "+PONG");
	ASSERT_INT(f.bad, 0);
	free(t.error);
	ASSERT_INT(trd_close(&f), 0);
}

int
main(void)
{
	static const char *const need[] = { "WARROOM_TEST_REDIS_URL",
	    "WARROOM_TEST_REDIS_PORT", "WARROOM_TEST_REDIS_PASSWORD",
	    "WARROOM_TEST_DB_SH", "WARROOM_TEST_DB_STATE" };

	if (!fixture_setup("test-net-redis", need, nitems(need)))
		return 1;

	RUN(redis_ping_and_auth);
	RUN(redis_select);
	RUN(redis_replies_copied);
	RUN(redis_unknown_command);
	RUN(redis_refused_reported);
	RUN(redis_blackhole_timeouts);
	RUN(redis_command_timeout_reconnects);
	RUN(redis_many_in_order);
	RUN(redis_free_with_pending);
	RUN(redis_bad_urls);
	RUN(redis_server_restarted);

	fixture_cleanup();
	return TEST_EXIT();
}
