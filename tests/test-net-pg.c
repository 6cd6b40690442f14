/* tests/test-net-pg.c: net-pg.c against a real PostgreSQL 15
 * (tests/stack/db.sh): queries, parameters, NULLs, errors with their
 * SQLSTATE, timeouts and the reconnection after them, refused and silent
 * ports, a unix socket, a URI and several hosts, long queues, freeing with
 * work pending, and the server stopped and started. The server comes from
 * WARROOM_TEST_* (tests/t-net-db.sh); without it the program starts its
 * own stack with db.sh. */

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <uv.h>

#include "net-pg.h"
#include "warroom.h"
#include "net-db-fixture.h"
#include "test.h"

struct tpg {
	struct tloop	 t;
	struct pg	*pg;
	int		 ups;
	int		 downs;
	int		 bad;		/* a state callback out of contract */
	char		*error;		/* the last "down" error */
};

struct tans {
	int		 done;
	int		 ok;
	int		 nrows, ncols;
	char		*error;
	char		*sqlstate;
	char		*v[4][4];
	int		 isnull[4][4];
	int		 col_b;		/* pg_col(a, "b") */
	double		 started, elapsed;
	int		 seq;
};

static int	 answer_seq;

static void
tpg_state(struct pg *pg, int up, const char *error, void *arg)
{
	struct tpg	*f = arg;

	(void)pg;
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

static void
tpg_init(struct tpg *f, const char *conninfo, long connect_timeout_ms)
{
	memset(f, 0, sizeof *f);
	tl_init(&f->t);
	f->pg = pg_create(&f->t.loop, conninfo, connect_timeout_ms, tpg_state,
	    f);
	pg_start(f->pg);
}

static int
tpg_close(struct tpg *f)
{
	pg_free(f->pg);
	free(f->error);
	return tl_close(&f->t);
}

static void
tans_clear(struct tans *r)
{
	int	 i, j;

	free(r->error);
	free(r->sqlstate);
	for (i = 0; i < 4; i++) {
		for (j = 0; j < 4; j++)
			free(r->v[i][j]);
	}
	memset(r, 0, sizeof *r);
}

static void
tans_cb(struct pg *pg, const struct pg_answer *a, void *arg)
{
	struct tans	*r = arg;
	const char	*v;
	int		 i, j;

	(void)pg;
	r->done++;
	r->ok = a->ok;
	r->nrows = a->nrows;
	r->ncols = a->ncols;
	free(r->error);
	r->error = a->error != NULL ? xstrdup(a->error) : NULL;
	free(r->sqlstate);
	r->sqlstate = a->sqlstate != NULL ? xstrdup(a->sqlstate) : NULL;
	if (a->error != NULL && strchr(a->error, '\n') != NULL)
		r->done += 100;	/* one line, always */
	if (a->ok && a->error != NULL)
		r->done += 100;
	for (i = 0; i < 4; i++) {
		for (j = 0; j < 4; j++) {
			v = pg_value(a, i, j);
			free(r->v[i][j]);
			r->v[i][j] = v != NULL ? xstrdup(v) : NULL;
			r->isnull[i][j] = v == NULL;
		}
	}
	r->col_b = pg_col(a, "b");
	r->elapsed = now_mono() - r->started;
	r->seq = ++answer_seq;
}

static void
tpg_query(struct tpg *f, struct tans *r, const char *sql, int n,
    const char *const *p, long timeout_ms)
{
	tans_clear(r);
	r->started = now_mono();
	pg_query(f->pg, sql, n, p, timeout_ms, tans_cb, r);
}

/* Query and wait for the answer. */
static int
tpg_ask(struct tpg *f, struct tans *r, const char *sql, int n,
    const char *const *p, long timeout_ms)
{
	tpg_query(f, r, sql, n, p, timeout_ms);
	return tl_wait(&f->t, &r->done, 1, timeout_ms / 1000.0 + 5);
}

TEST(pg_connect_and_params)
{
	struct tpg	 f;
	struct tans	 r = { 0 };
	const char	*p[] = { "41", "h\xc3\xa9llo 'quoted' $2" };

	tpg_init(&f, env("WARROOM_TEST_PG_CONNINFO"), 5000);
	/* Asked before it is up: waits for the connection. */
	tpg_query(&f, &r, "SELECT $1::int + 1 AS a, $2::text AS b, "
	    "current_setting('application_name') AS c, "
	    "current_setting('statement_timeout') AS d", 2, p, 4000);
	ASSERT_INT(r.done, 0);		/* never inside pg_query */
	ASSERT(tl_wait(&f.t, &r.done, 1, 10));
	ASSERT_INT(r.done, 1);
	ASSERT_INT(f.ups, 1);
	ASSERT_INT(f.downs, 0);
	ASSERT(pg_connected(f.pg));
	ASSERT(r.ok);
	ASSERT(r.error == NULL);
	ASSERT_INT(r.nrows, 1);
	ASSERT_INT(r.ncols, 4);
	ASSERT_STR(r.v[0][0], "42");
	ASSERT_STR(r.v[0][1], p[1]);
	ASSERT_STR(r.v[0][2], "warroom");
	/* statement_timeout follows the query's own, a little later. */
	ASSERT_STR(r.v[0][3], "4500ms");
	ASSERT_INT(r.col_b, 1);
	ASSERT(pg_server_version(f.pg) >= 150000);
	ASSERT(pg_server_version(f.pg) < 160000);
	ASSERT(pg_backend_pid(f.pg) > 0);

	ASSERT(tpg_ask(&f, &r, "SELECT pg_backend_pid()", 0, NULL, 2000));
	ASSERT(r.ok);
	ASSERT_INT(atoi(r.v[0][0]), pg_backend_pid(f.pg));
	ASSERT_INT(f.bad, 0);
	tans_clear(&r);
	ASSERT_INT(tpg_close(&f), 0);
}

TEST(pg_nulls)
{
	struct tpg	 f;
	struct tans	 r = { 0 };
	const char	*p[] = { NULL, "" };

	tpg_init(&f, env("WARROOM_TEST_PG_CONNINFO"), 5000);
	ASSERT(tpg_ask(&f, &r, "SELECT $1::text IS NULL AS a, $1::text AS b, "
	    "$2::text AS c, NULL::int AS d", 2, p, 3000));
	ASSERT(r.ok);
	ASSERT_STR(r.v[0][0], "t");
	ASSERT(r.isnull[0][1]);		/* SQL NULL */
	ASSERT(!r.isnull[0][2]);	/* an empty string is not */
	ASSERT_STR(r.v[0][2], "");
	ASSERT(r.isnull[0][3]);
	ASSERT(r.isnull[1][0]);		/* out of range */
	ASSERT_INT(r.col_b, 1);

	/* No rows is an answer too; pg_col is exact and -1 when absent. */
	ASSERT(tpg_ask(&f, &r, "SELECT 1 AS \"B\" WHERE false", 0, NULL, 3000));
	ASSERT(r.ok);
	ASSERT_INT(r.nrows, 0);
	ASSERT_INT(r.ncols, 1);
	ASSERT_INT(r.col_b, -1);
	ASSERT(r.isnull[0][0]);
	tans_clear(&r);
	ASSERT_INT(tpg_close(&f), 0);
}

TEST(pg_errors_sqlstate)
{
	struct tpg	 f;
	struct tans	 r = { 0 };
	int		 pid;

	tpg_init(&f, env("WARROOM_TEST_PG_CONNINFO"), 5000);
	ASSERT(tl_wait(&f.t, &f.ups, 1, 10));
	pid = pg_backend_pid(f.pg);

	ASSERT(tpg_ask(&f, &r, "SELECT * FROM no_such_table_xyz", 0, NULL,
	    3000));
	ASSERT_INT(r.done, 1);
	ASSERT(!r.ok);
	ASSERT_STR(r.sqlstate, "42P01");
	ASSERT_STR(r.error, "relation \"no_such_table_xyz\" does not exist");

	/* A syntax error carries its position in a second field, not here. */
	ASSERT(tpg_ask(&f, &r, "SELEC 1", 0, NULL, 3000));
	ASSERT_STR(r.sqlstate, "42601");
	ASSERT_STR(r.error, "syntax error at or near \"SELEC\"");

	/* The role may not read server files: permission denied. */
	ASSERT(tpg_ask(&f, &r, "SELECT pg_read_file('postgresql.conf')", 0,
	    NULL, 3000));
	ASSERT(!r.ok);
	ASSERT_STR(r.sqlstate, "42501");
	ASSERT(strstr(r.error, "permission denied") != NULL);

	/* A bad parameter is the server's error too. */
	{
		const char	*p[] = { "not a number" };

		ASSERT(tpg_ask(&f, &r, "SELECT $1::int", 1, p, 3000));
		ASSERT_STR(r.sqlstate, "22P02");
	}

	/* One libpq refuses to send: that query fails, nothing else. */
	{
		static const char	*many[70000];
		size_t			 i;

		for (i = 0; i < nitems(many); i++)
			many[i] = "1";
		ASSERT(tpg_ask(&f, &r, "SELECT 1", (int)nitems(many), many,
		    3000));
		ASSERT(!r.ok);
		ASSERT(strstr(r.error, "65535") != NULL);
		ASSERT(r.sqlstate == NULL);
	}

	/* Errors cost nothing: the same session goes on. */
	ASSERT(tpg_ask(&f, &r, "SELECT 5", 0, NULL, 3000));
	ASSERT(r.ok);
	ASSERT_STR(r.v[0][0], "5");
	ASSERT_INT(pg_backend_pid(f.pg), pid);
	ASSERT_INT(f.downs, 0);
	tans_clear(&r);
	ASSERT_INT(tpg_close(&f), 0);
}

TEST(pg_timeout_reconnects)
{
	struct tpg	 f;
	struct tans	 r = { 0 }, behind = { 0 }, gone = { 0 };
	char		 pidbuf[16];
	const char	*p[] = { pidbuf };
	int		 pid1, pid2, i;

	tpg_init(&f, env("WARROOM_TEST_PG_CONNINFO"), 5000);
	ASSERT(tl_wait(&f.t, &f.ups, 1, 10));
	pid1 = pg_backend_pid(f.pg);
	ASSERT(pid1 > 0);

	tpg_query(&f, &r, "SELECT pg_sleep(5)", 0, NULL, 300);
	tpg_query(&f, &behind, "SELECT 7", 0, NULL, 5000);
	ASSERT(tl_wait(&f.t, &r.done, 1, 5));
	ASSERT_INT(r.done, 1);
	ASSERT(!r.ok);
	ASSERT_STR(r.error, "timed out after 300 ms");
	ASSERT(r.sqlstate == NULL);
	ASSERT(r.elapsed >= 0.25 && r.elapsed < 3.0);
	ASSERT_INT(f.downs, 1);
	ASSERT(strstr(f.error, "timed out") != NULL);

	/* Connected again by itself; the query behind waited for it. */
	ASSERT(tl_wait(&f.t, &f.ups, 2, 10));
	ASSERT(tl_wait(&f.t, &behind.done, 1, 5));
	ASSERT(behind.ok);
	ASSERT_STR(behind.v[0][0], "7");
	pid2 = pg_backend_pid(f.pg);
	ASSERT(pid2 > 0 && pid2 != pid1);

	/* And the abandoned query died in the server (statement_timeout). */
	snprintf(pidbuf, sizeof pidbuf, "%d", pid1);
	for (i = 0; i < 40; i++) {
		ASSERT(tpg_ask(&f, &gone, "SELECT count(*) FROM pg_stat_activity"
		    " WHERE pid = $1::int", 1, p, 3000));
		ASSERT(gone.ok);
		if (strcmp(gone.v[0][0], "0") == 0)
			break;
		tl_run_for(&f.t, 0.1);
	}
	ASSERT_STR(gone.v[0][0], "0");
	ASSERT_INT(f.bad, 0);
	tans_clear(&r);
	tans_clear(&behind);
	tans_clear(&gone);
	ASSERT_INT(tpg_close(&f), 0);
}

TEST(pg_refused_and_bad_password)
{
	struct tpg	 f;
	struct tans	 r = { 0 };
	char		 ci[512];
	double		 t0;

	snprintf(ci, sizeof ci, "host=127.0.0.1 port=%d dbname=x user=warroom "
	    "password=" WRONG_PW, closed_port());
	t0 = now_mono();
	tpg_init(&f, ci, 2000);
	tpg_query(&f, &r, "SELECT 1", 0, NULL, 2000);
	ASSERT(tl_wait(&f.t, &f.downs, 1, 5));
	ASSERT(now_mono() - t0 < 3.0);
	ASSERT_INT(f.ups, 0);
	ASSERT(strcasestr(f.error, "refused") != NULL);
	ASSERT(strstr(f.error, WRONG_PW) == NULL);
	ASSERT(tl_wait(&f.t, &r.done, 1, 3));
	ASSERT(!r.ok && r.error != NULL);
	ASSERT(strstr(r.error, WRONG_PW) == NULL);
	/* It keeps trying, with backoff: a second report within ~1 s. */
	ASSERT(tl_wait(&f.t, &f.downs, 2, 3));
	ASSERT_INT(f.bad, 0);
	tans_clear(&r);
	ASSERT_INT(tpg_close(&f), 0);

	/* The right server, the wrong password: the server says so, and
	 * the password is nowhere in what we are told. */
	snprintf(ci, sizeof ci, "%s password=" WRONG_PW,
	    env("WARROOM_TEST_PG_CONNINFO"));
	tpg_init(&f, ci, 5000);
	ASSERT(tl_wait(&f.t, &f.downs, 1, 10));
	ASSERT_INT(f.ups, 0);
	ASSERT(strstr(f.error, "password authentication failed") != NULL);
	ASSERT(strstr(f.error, WRONG_PW) == NULL);
	ASSERT(strstr(f.error, "dbname") == NULL);
	ASSERT_INT(f.bad, 0);
	ASSERT_INT(tpg_close(&f), 0);

	/* A string libpq cannot parse: said once, no retries. */
	tpg_init(&f, "host=127.0.0.1 password=" WRONG_PW " nonsense", 2000);
	ASSERT(tl_wait(&f.t, &f.downs, 1, 3));
	ASSERT(strstr(f.error, WRONG_PW) == NULL);
	tl_run_for(&f.t, 1.0);
	ASSERT_INT(f.downs, 1);
	ASSERT_INT(tpg_close(&f), 0);
}

TEST(pg_connect_timeout)
{
	struct tpg	 f;
	char		 ci[256];
	int		 fd;
	double		 t0;

	snprintf(ci, sizeof ci, "host=127.0.0.1 port=%d dbname=x user=x "
	    "password=x", silent_port(&fd));
	t0 = now_mono();
	tpg_init(&f, ci, 500);
	ASSERT(tl_wait(&f.t, &f.downs, 1, 5));
	close(fd);
	ASSERT(now_mono() - t0 >= 0.45 && now_mono() - t0 < 3.0);
	ASSERT_STR(f.error, "timed out connecting after 500 ms");
	ASSERT_INT(f.ups, 0);
	ASSERT_INT(tpg_close(&f), 0);
}

TEST(pg_socket_uri_multihost)
{
	struct tpg	 f;
	struct tans	 r = { 0 };
	char		 ci[1024], *url, *at;

	/* A unix socket: no resolution at all. */
	snprintf(ci, sizeof ci, "host=%s port=%s dbname=soundcore_kcp "
	    "user=postgres", env("WARROOM_TEST_PG_SOCKET_DIR"),
	    env("WARROOM_TEST_PG_PORT"));
	tpg_init(&f, ci, 5000);
	ASSERT(tpg_ask(&f, &r, "SELECT current_user, inet_server_addr()", 0,
	    NULL, 3000));
	ASSERT(r.ok);
	ASSERT_STR(r.v[0][0], "postgres");
	ASSERT(r.isnull[0][1]);		/* NULL over a unix socket */
	tans_clear(&r);
	ASSERT_INT(tpg_close(&f), 0);

	/* A URI with a host name, resolved through the loop. */
	url = xstrdup(env("WARROOM_TEST_PG_URL"));
	ASSERT((at = strstr(url, "@127.0.0.1:")) != NULL);
	xasprintf(&at, "%.*s@localhost:%s", (int)(at - url), url,
	    at + strlen("@127.0.0.1:"));
	free(url);
	tpg_init(&f, at, 5000);
	free(at);
	ASSERT(tpg_ask(&f, &r, "SELECT current_user, inet_server_addr()", 0,
	    NULL, 3000));
	ASSERT(r.ok);
	ASSERT_STR(r.v[0][0], "warroom");
	ASSERT_STR(r.v[0][1], "127.0.0.1");
	tans_clear(&r);
	ASSERT_INT(tpg_close(&f), 0);

	/* Two hosts: the first refuses, libpq moves on to a new socket (the
	 * same fd number, often) and the watch must follow. Ports per host. */
	snprintf(ci, sizeof ci, "%s host=127.0.0.1,localhost port=%d,%s",
	    env("WARROOM_TEST_PG_CONNINFO"), closed_port(),
	    env("WARROOM_TEST_PG_PORT"));
	tpg_init(&f, ci, 5000);
	ASSERT(tpg_ask(&f, &r, "SELECT inet_server_port()", 0, NULL, 3000));
	ASSERT(r.ok);
	ASSERT_STR(r.v[0][0], env("WARROOM_TEST_PG_PORT"));
	ASSERT_INT(f.downs, 0);
	tans_clear(&r);
	ASSERT_INT(tpg_close(&f), 0);
}

#define NQUEUE	300
static int	 queue_got[NQUEUE];
static int	 queue_n, queue_bad;

static void
queue_cb(struct pg *pg, const struct pg_answer *a, void *arg)
{
	int	 i = (int)(intptr_t)arg;

	(void)pg;
	if (!a->ok || pg_value(a, 0, 0) == NULL ||
	    atoi(pg_value(a, 0, 0)) != i * 3)
		queue_bad++;
	if (queue_n < NQUEUE)
		queue_got[queue_n] = i;
	queue_n++;
}

TEST(pg_many_queued_in_order)
{
	struct tpg	 f;
	char		 buf[16];
	const char	*p[] = { buf };
	int		 i;
	double		 t0;

	tpg_init(&f, env("WARROOM_TEST_PG_CONNINFO"), 5000);
	ASSERT(tl_wait(&f.t, &f.ups, 1, 10));
	queue_n = queue_bad = 0;
	t0 = now_mono();
	for (i = 0; i < NQUEUE; i++) {
		snprintf(buf, sizeof buf, "%d", i);
		pg_query(f.pg, "SELECT $1::int * 3", 1, p, 20000, queue_cb,
		    (void *)(intptr_t)i);
	}
	ASSERT(tl_wait(&f.t, &queue_n, NQUEUE, 30));
	ASSERT_INT(queue_n, NQUEUE);
	ASSERT_INT(queue_bad, 0);
	for (i = 0; i < NQUEUE; i++)
		ASSERT_INT(queue_got[i], i);
	printf("# %d queued queries in %.2f s\n", NQUEUE, now_mono() - t0);
	ASSERT_INT(tpg_close(&f), 0);
}

static int	 cb_after_free;

static void
never_cb(struct pg *pg, const struct pg_answer *a, void *arg)
{
	(void)pg;
	(void)a;
	(void)arg;
	cb_after_free++;
}

static struct tpg	*free_in_cb_f;
static int		 free_in_cb_n;

static void
free_in_cb(struct pg *pg, const struct pg_answer *a, void *arg)
{
	(void)a;
	(void)arg;
	free_in_cb_n++;
	pg_free(pg);
	free_in_cb_f->pg = NULL;
}

TEST(pg_free_with_pending)
{
	struct tpg	 f;
	uv_loop_t	 loop;
	struct pg	*pg;
	int		 i;

	/* In flight and queued. */
	tpg_init(&f, env("WARROOM_TEST_PG_CONNINFO"), 5000);
	ASSERT(tl_wait(&f.t, &f.ups, 1, 10));
	cb_after_free = 0;
	pg_query(f.pg, "SELECT pg_sleep(0.3)", 0, NULL, 5000, never_cb, NULL);
	for (i = 0; i < 20; i++)
		pg_query(f.pg, "SELECT 1", 0, NULL, 5000, never_cb, NULL);
	uv_run(&f.t.loop, UV_RUN_NOWAIT);	/* the first one is sent */
	pg_free(f.pg);
	f.pg = NULL;
	tl_run_for(&f.t, 0.5);
	ASSERT_INT(cb_after_free, 0);
	free(f.error);
	ASSERT_INT(tl_close(&f.t), 0);

	/* While connecting, and before it even started. */
	uv_loop_init(&loop);
	pg = pg_create(&loop, env("WARROOM_TEST_PG_CONNINFO"), 5000, NULL,
	    NULL);
	pg_start(pg);
	pg_query(pg, "SELECT 1", 0, NULL, 5000, never_cb, NULL);
	uv_run(&loop, UV_RUN_NOWAIT);
	uv_run(&loop, UV_RUN_NOWAIT);
	pg_free(pg);
	pg = pg_create(&loop, "host=localhost", 5000, NULL, NULL);
	pg_free(pg);
	/* With the resolver at work. */
	pg = pg_create(&loop, "host=localhost user=x", 5000, NULL, NULL);
	pg_start(pg);
	uv_run(&loop, UV_RUN_NOWAIT);
	pg_free(pg);
	uv_run(&loop, UV_RUN_DEFAULT);
	ASSERT_INT(cb_after_free, 0);
	ASSERT_INT(uv_loop_close(&loop), 0);

	/* From inside a callback, with more queued. */
	tpg_init(&f, env("WARROOM_TEST_PG_CONNINFO"), 5000);
	ASSERT(tl_wait(&f.t, &f.ups, 1, 10));
	free_in_cb_f = &f;
	free_in_cb_n = 0;
	pg_query(f.pg, "SELECT 1", 0, NULL, 5000, free_in_cb, NULL);
	for (i = 0; i < 5; i++)
		pg_query(f.pg, "SELECT 2", 0, NULL, 5000, never_cb, NULL);
	ASSERT(tl_wait(&f.t, &free_in_cb_n, 1, 5));
	tl_run_for(&f.t, 0.3);
	ASSERT_INT(free_in_cb_n, 1);
	ASSERT_INT(cb_after_free, 0);
	free(f.error);
	ASSERT_INT(tl_close(&f.t), 0);
}

TEST(pg_server_stopped_and_started)
{
	struct tpg	 f;
	struct tans	 r = { 0 };
	double		 t0;

	tpg_init(&f, env("WARROOM_TEST_PG_CONNINFO"), 3000);
	ASSERT(tl_wait(&f.t, &f.ups, 1, 10));
	ASSERT(stack_ctl("stop", "postgres"));
	/* The idle session hears of it by itself. */
	ASSERT(tl_wait(&f.t, &f.downs, 1, 10));
	ASSERT(!pg_connected(f.pg));
	ASSERT_INT(pg_backend_pid(f.pg), 0);
	ASSERT(tpg_ask(&f, &r, "SELECT 1", 0, NULL, 1000));
	ASSERT(!r.ok);
	t0 = now_mono();
	ASSERT(stack_ctl("start", "postgres"));
	ASSERT(tl_wait(&f.t, &f.ups, 2, 40));
	printf("# postgres: up again %.1f s after the start\n",
	    now_mono() - t0);
	ASSERT(tpg_ask(&f, &r, "SELECT 11", 0, NULL, 3000));
	ASSERT(r.ok);
	ASSERT_STR(r.v[0][0], "11");
	ASSERT_INT(f.bad, 0);
	tans_clear(&r);
	ASSERT_INT(tpg_close(&f), 0);
}

int
main(void)
{
	static const char *const need[] = { "WARROOM_TEST_PG_CONNINFO",
	    "WARROOM_TEST_PG_URL", "WARROOM_TEST_PG_PORT",
	    "WARROOM_TEST_PG_SOCKET_DIR", "WARROOM_TEST_DB_SH",
	    "WARROOM_TEST_DB_STATE" };

	if (!fixture_setup("test-net-pg", need, nitems(need)))
		return 1;

	RUN(pg_connect_and_params);
	RUN(pg_nulls);
	RUN(pg_errors_sqlstate);
	RUN(pg_timeout_reconnects);
	RUN(pg_refused_and_bad_password);
	RUN(pg_connect_timeout);
	RUN(pg_socket_uri_multihost);
	RUN(pg_many_queued_in_order);
	RUN(pg_free_with_pending);
	RUN(pg_server_stopped_and_started);

	fixture_cleanup();
	return TEST_EXIT();
}
