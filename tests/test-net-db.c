/* tests/test-net-db.c: net-pg.c and net-redis.c against a real PostgreSQL 15
 * and Redis 7 (tests/stack/db.sh): queries, parameters, NULLs, errors with
 * their SQLSTATE, timeouts and the reconnection after them, refused and
 * silent ports, servers stopped and started, long queues, and freeing with
 * work pending. The servers come from WARROOM_TEST_* (tests/t-net-db.sh);
 * without them the program starts its own stack with db.sh. */

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
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <uv.h>

#include "net-pg.h"
#include "net-redis.h"
#include "warroom.h"
#include "test.h"

#define WRONG_PW	"Wr0ngPassw0rdXyz"

static char	 own_state[] = "/tmp/test-net-db.XXXXXX";
static int	 own_stack;
static char	 db_sh[PATH_MAX];

/* --- the loop ------------------------------------------------------------- */

struct tloop {
	uv_loop_t	 loop;
	uv_timer_t	 wake;
};

static void
wake_cb(uv_timer_t *t)
{
	(void)t;
}

static void
tl_init(struct tloop *t)
{
	uv_loop_init(&t->loop);
	uv_timer_init(&t->loop, &t->wake);
}

/* Run the loop until *counter reaches want, or seconds pass. */
static int
tl_wait(struct tloop *t, const int *counter, int want, double seconds)
{
	double	 end = now_mono() + seconds;

	uv_timer_start(&t->wake, wake_cb, 10, 10);
	while (*counter < want && now_mono() < end)
		uv_run(&t->loop, UV_RUN_ONCE);
	uv_timer_stop(&t->wake);
	return (*counter >= want);
}

/* Run the loop for a while, whatever happens. */
static void
tl_run_for(struct tloop *t, double seconds)
{
	int	 never = 0;

	tl_wait(t, &never, 1, seconds);
}

/* Close the loop: every handle of the code under test must be gone after
 * a few iterations, or uv_loop_close says UV_EBUSY. */
static int
tl_close(struct tloop *t)
{
	double	 end = now_mono() + 5;

	uv_close((uv_handle_t *)&t->wake, NULL);
	while (uv_loop_alive(&t->loop) && now_mono() < end)
		uv_run(&t->loop, UV_RUN_NOWAIT);
	return (uv_loop_close(&t->loop));
}

/* --- helpers -------------------------------------------------------------- */

static const char *
env(const char *name)
{
	const char	*v = getenv(name);

	return (v != NULL ? v : "");
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

/* A server that takes connections (the kernel does) and never says a
 * word: a black hole for the protocol. */
static int
silent_port(int *fd)
{
	struct sockaddr_in	 sin;
	socklen_t		 len = sizeof sin;

	*fd = socket(AF_INET, SOCK_STREAM, 0);
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	bind(*fd, (struct sockaddr *)&sin, sizeof sin);
	listen(*fd, 64);
	getsockname(*fd, (struct sockaddr *)&sin, &len);
	return (ntohs(sin.sin_port));
}

/* db.sh VERB STATE [NAME]; 1 on success. */
static int
stack_ctl(const char *verb, const char *name)
{
	const char	*state = env("WARROOM_TEST_DB_STATE");
	pid_t		 pid;
	int		 status, fd;

	if (*env("WARROOM_TEST_DB_SH") == '\0' || *state == '\0')
		return (0);
	if ((pid = fork()) == -1)
		return (0);
	if (pid == 0) {
		if ((fd = open("/dev/null", O_WRONLY)) != -1)
			dup2(fd, STDOUT_FILENO);
		execlp("bash", "bash", env("WARROOM_TEST_DB_SH"), verb, state,
		    name, (char *)NULL);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) == -1)
		return (0);
	return (WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

/* --- PostgreSQL ----------------------------------------------------------- */

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
	return (tl_close(&f->t));
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
	return (tl_wait(&f->t, &r->done, 1, timeout_ms / 1000.0 + 5));
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

/* --- Redis ---------------------------------------------------------------- */

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
		return (0);
	}
	redis_start(f->r);
	return (1);
}

static int
trd_close(struct trd *f)
{
	redis_free(f->r);
	free(f->error);
	return (tl_close(&f->t));
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
	return (url);
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

/* --- the servers ---------------------------------------------------------- */

/* KEY=VALUE or KEY='VALUE' lines of db.sh's env file, as WARROOM_TEST_KEY. */
static int
load_env_file(const char *path)
{
	char	 line[4096], name[sizeof line + 16], *eq, *v;
	size_t	 len;
	FILE	*f;

	if ((f = fopen(path, "r")) == NULL)
		return (0);
	while (fgets(line, sizeof line, f) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		if (line[0] == '#' || (eq = strchr(line, '=')) == NULL)
			continue;
		*eq = '\0';
		v = eq + 1;
		len = strlen(v);
		if (len >= 2 && v[0] == '\'' && v[len - 1] == '\'') {
			v[len - 1] = '\0';
			v++;
		}
		snprintf(name, sizeof name, "WARROOM_TEST_%s", line);
		setenv(name, v, 0);
	}
	fclose(f);
	return (1);
}

/* No servers given: start our own with tests/stack/db.sh. */
static int
stack_up(void)
{
	const char	*src = getenv("TEST_SRCDIR");
	char		 file[PATH_MAX], envf[PATH_MAX + 8];
	pid_t		 pid;
	int		 status, fd;

	if (src != NULL)
		snprintf(db_sh, sizeof db_sh, "%s/stack/db.sh", src);
	if (src == NULL || access(db_sh, R_OK) != 0) {
		snprintf(file, sizeof file, "%s", __FILE__);
		snprintf(db_sh, sizeof db_sh, "%s/stack/db.sh", dirname(file));
	}
	if (mkdtemp(own_state) == NULL)
		return (0);
	own_stack = 1;
	/* PostgreSQL's user (nobody, as root) keeps its data in here. */
	chmod(own_state, 0755);
	if ((pid = fork()) == -1)
		return (0);
	if (pid == 0) {
		if ((fd = open("/dev/null", O_WRONLY)) != -1)
			dup2(fd, STDOUT_FILENO);
		execlp("bash", "bash", db_sh, "up", own_state, "--rows", "100",
		    "--no-health", (char *)NULL);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) == -1 || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0)
		return (0);
	snprintf(envf, sizeof envf, "%s/env", own_state);
	setenv("WARROOM_TEST_DB_SH", db_sh, 1);
	setenv("WARROOM_TEST_DB_STATE", own_state, 1);
	return (load_env_file(envf));
}

static void
stack_down(void)
{
	char	*cmd;

	if (!own_stack)
		return;
	stack_ctl("down", NULL);
	xasprintf(&cmd, "rm -rf '%s'", own_state);
	if (system(cmd) != 0)
		printf("# could not remove %s\n", own_state);
	free(cmd);
}

int
main(void)
{
	static const char *const need[] = { "WARROOM_TEST_PG_CONNINFO",
	    "WARROOM_TEST_PG_URL", "WARROOM_TEST_PG_PORT",
	    "WARROOM_TEST_PG_SOCKET_DIR", "WARROOM_TEST_REDIS_URL",
	    "WARROOM_TEST_REDIS_PORT", "WARROOM_TEST_REDIS_PASSWORD",
	    "WARROOM_TEST_DB_SH", "WARROOM_TEST_DB_STATE" };
	size_t	 i;
	double	 t0 = now_mono();
	char	*cause = NULL;

	signal(SIGPIPE, SIG_IGN);
	alarm(600);	/* a hung loop fails the run instead of blocking it */
	if (getenv("WARROOM_TEST_PG_CONNINFO") == NULL && !stack_up()) {
		printf("FAIL: db-stack: tests/stack/db.sh up %s failed\n",
		    own_state);
		stack_down();
		return (1);
	}
	for (i = 0; i < nitems(need); i++) {
		if (*env(need[i]) == '\0') {
			printf("FAIL: db-stack: %s is not set\n", need[i]);
			stack_down();
			return (1);
		}
	}
	if (getenv("WARROOM_TEST_LOG") != NULL &&
	    log_open(getenv("WARROOM_TEST_LOG"), &cause) != 0) {
		fprintf(stderr, "WARROOM_TEST_LOG: %s\n", cause);
		free(cause);
	}

	RUN(pg_connect_and_params);
	RUN(pg_nulls);
	RUN(pg_errors_sqlstate);
	RUN(pg_timeout_reconnects);
	RUN(pg_refused_and_bad_password);
	RUN(pg_connect_timeout);
	RUN(pg_socket_uri_multihost);
	RUN(pg_many_queued_in_order);
	RUN(pg_free_with_pending);
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
	RUN(pg_server_stopped_and_started);
	RUN(redis_server_restarted);

	printf("# test-net-db: %.1f s\n", now_mono() - t0);
	log_close();
	stack_down();
	return (TEST_EXIT());
}
