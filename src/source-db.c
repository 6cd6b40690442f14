/*
 * source-db.c: PostgreSQL and Redis on a timer (set refresh). PostgreSQL:
 * pg_stat_statements with the column names of the server's version (12:
 * mean_time; 13+: mean_exec_time), kept as totals since the last reset and
 * as differences from the previous poll; pg_stat_activity's client sessions
 * worth a look (running, idle in a transaction, waiting, blocking) with
 * pg_blocking_pids; the connection count against max_connections. A
 * missing extension or privilege is said as such. Redis: SLOWLOG GET and
 * INFO (memory against maxmemory, hit ratio, clients). Each database also
 * feeds its health check.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <uv.h>

#include "config.h"
#include "model.h"
#include "net-pg.h"
#include "net-redis.h"
#include "source.h"
#include "source-db.h"
#include "table.h"
#include "warroom.h"

#define DB_CONNECT_MS	5000
#define DB_QUERY_MS	5000
#define DB_STMTS_MAX	200	/* statements kept, by total time */
#define DB_SLOWLOG	32

/* The previous poll's totals of a statement, for the differences. */
struct db_prev {
	double		 calls;
	double		 total_ms;
	unsigned long	 poll;
};

struct source_db {
	uv_loop_t	*loop;
	struct model	*m;
	struct pg	*pg;
	struct redis	*redis;
	uv_timer_t	 timer;
	int		 pg_busy;	/* queries of this poll out */
	int		 redis_busy;
	int		 pg_failed;	/* a query of this poll failed */
	int		 redis_failed;
	double		 pg_t0, redis_t0;
	struct table	 prev;		/* queryid -> struct db_prev */
	unsigned long	 poll;
	void		(*on_poll)(void *);
	void		*arg;
	int		 first_pg, first_redis; /* first poll still out */
	int		 poll_pg_done;	/* a whole PostgreSQL poll answered */
	int		 redis_done;	/* a whole Redis poll answered */
};

static void	source_db_poll(struct source_db *);

/* Once both databases have answered (or failed) the first time: the
 * snapshot waits for that. */
static void
source_db_first(struct source_db *s, int *first)
{
	if (!*first)
		return;
	*first = 0;
	if (!s->first_pg && !s->first_redis && s->on_poll != NULL)
		s->on_poll(s->arg);
}

static void
source_db_poll_done(struct source_db *s)
{
	if (s->pg_busy == 0 && s->pg != NULL && pg_connected(s->pg) &&
	    s->poll_pg_done)
		source_db_first(s, &s->first_pg);
	if (s->redis_busy == 0 && s->redis_done)
		source_db_first(s, &s->first_redis);
}

/* --- PostgreSQL ------------------------------------------------------------- */

static double
db_num(const struct pg_answer *a, int row, int col)
{
	const char	*v = pg_value(a, row, col);

	return v != NULL ? strtod(v, NULL) : NAN;
}

static char *
db_str(const struct pg_answer *a, int row, int col)
{
	const char	*v = pg_value(a, row, col);

	return v != NULL ? xstrdup(v) : NULL;
}

/* What a failed pg_stat_statements query means for the user. */
static char *
db_stmts_why(const struct pg_answer *a)
{
	char	*s;

	if (a->sqlstate != NULL && strcmp(a->sqlstate, "42P01") == 0)
		return xstrdup("pg_stat_statements is not installed in this "
		    "database (CREATE EXTENSION pg_stat_statements)");
	if (a->sqlstate != NULL && strcmp(a->sqlstate, "55000") == 0)
		return xstrdup("pg_stat_statements is not loaded "
		    "(shared_preload_libraries = 'pg_stat_statements', then "
		    "restart)");
	if (a->sqlstate != NULL && strcmp(a->sqlstate, "42501") == 0) {
		xasprintf(&s, "no privilege to read pg_stat_statements (GRANT "
		    "pg_read_all_stats): %s", a->error);
		return s;
	}
	return xstrdup(a->error != NULL ? a->error : "query failed");
}

static int
db_stmt_by_mean(const void *x, const void *y)
{
	const struct pg_stmt *a = x, *b = y;

	return (a->mean_ms < b->mean_ms) - (a->mean_ms > b->mean_ms);
}

static void
db_stmts_done(struct pg *pg, const struct pg_answer *a, void *arg)
{
	struct source_db *s = arg;
	struct pg_stmt	*v;
	struct db_prev	*p;
	char		*why;
	int		 i, c[10];

	s->pg_busy--;
	if (!a->ok) {
		why = db_stmts_why(a);
		model_db_error(&s->m->db.stmts_error, why);
		free(why);
		model_set_stmts(s->m, NULL, 0);
		source_db_poll_done(s);
		return;
	}
	model_db_error(&s->m->db.stmts_error, NULL);
	c[0] = pg_col(a, "queryid");
	c[1] = pg_col(a, "usename");
	c[2] = pg_col(a, "datname");
	c[3] = pg_col(a, "calls");
	c[4] = pg_col(a, "total_ms");
	c[5] = pg_col(a, "mean_ms");
	c[6] = pg_col(a, "max_ms");
	c[7] = pg_col(a, "rows");
	c[8] = pg_col(a, "query");
	c[9] = pg_col(a, "query_text");
	v = xcalloc((size_t)a->nrows + 1, sizeof *v);
	for (i = 0; i < a->nrows; i++) {
		v[i].queryid = db_str(a, i, c[0]);
		v[i].user = db_str(a, i, c[1]);
		v[i].db = db_str(a, i, c[2]);
		v[i].calls = db_num(a, i, c[3]);
		v[i].total_ms = db_num(a, i, c[4]);
		v[i].mean_ms = db_num(a, i, c[5]);
		v[i].max_ms = db_num(a, i, c[6]);
		v[i].rows = db_num(a, i, c[7]);
		v[i].query = db_str(a, i, c[8]);
		v[i].query_text = db_str(a, i, c[9]);
		if (v[i].queryid == NULL)
			continue;
		/* Differences from the previous poll; a reset shows as a
		 * drop, which counts from zero. */
		if ((p = table_get(&s->prev, v[i].queryid)) != NULL) {
			v[i].d_calls = v[i].calls >= p->calls ?
			    v[i].calls - p->calls : v[i].calls;
			v[i].d_total_ms = v[i].total_ms >= p->total_ms ?
			    v[i].total_ms - p->total_ms : v[i].total_ms;
		} else {
			p = xcalloc(1, sizeof *p);
			table_put(&s->prev, v[i].queryid, p);
		}
		v[i].d_mean_ms = v[i].d_calls > 0 ? v[i].d_total_ms /
		    v[i].d_calls : 0;
		p->calls = v[i].calls;
		p->total_ms = v[i].total_ms;
		p->poll = s->poll;
	}
	if (a->nrows > 0)
		qsort(v, (size_t)a->nrows, sizeof *v, db_stmt_by_mean);
	model_set_stmts(s->m, v, a->nrows);
	source_db_poll_done(s);
}

/* Is pid in a space-separated list of pids? */
static int
db_pid_in(const char *list, int pid)
{
	const char	*p = list;
	char		*end;

	while (p != NULL && *p != '\0') {
		if (strtol(p, &end, 10) == pid && end != p)
			return 1;
		if (end == p)
			break;
		p = end;
	}
	return 0;
}

static int
db_session_age_cmp(const void *x, const void *y)
{
	const struct pg_session *a = x, *b = y;
	double		 ax = a->xact_s >= 0 ? a->xact_s : a->query_s;
	double		 bx = b->xact_s >= 0 ? b->xact_s : b->query_s;

	if (a->blocking != b->blocking)
		return b->blocking - a->blocking;
	return (ax < bx) - (ax > bx);
}

static void
db_activity_done(struct pg *pg, const struct pg_answer *a, void *arg)
{
	struct source_db *s = arg;
	struct pg_session *v;
	const char	*state, *wt, *we, *blocked;
	int		 i, j, k = 0, c[12], interesting, pid;
	double		 q;

	s->pg_busy--;
	if (!a->ok) {
		s->pg_failed = 1;
		model_db_error(&s->m->db.sessions_error, a->error);
		source_db_poll_done(s);
		return;
	}
	model_db_error(&s->m->db.sessions_error, NULL);
	c[0] = pg_col(a, "pid");
	c[1] = pg_col(a, "usename");
	c[2] = pg_col(a, "application_name");
	c[3] = pg_col(a, "client");
	c[4] = pg_col(a, "state");
	c[5] = pg_col(a, "wait_event_type");
	c[6] = pg_col(a, "wait_event");
	c[7] = pg_col(a, "xact_s");
	c[8] = pg_col(a, "query_s");
	c[9] = pg_col(a, "state_s");
	c[10] = pg_col(a, "query");
	c[11] = pg_col(a, "blocked_by");
	v = xcalloc((size_t)a->nrows + 1, sizeof *v);
	for (i = 0; i < a->nrows; i++) {
		state = pg_value(a, i, c[4]);
		wt = pg_value(a, i, c[5]);
		blocked = pg_value(a, i, c[11]);
		q = db_num(a, i, c[8]);
		/* Worth a look: running, in a transaction, waiting, blocked
		 * (blockers are added below). */
		interesting = state != NULL && (strcmp(state, "idle") != 0 ||
		    (wt != NULL && strcmp(wt, "Lock") == 0) ||
		    (blocked != NULL && *blocked != '\0'));
		pid = pg_value(a, i, c[0]) != NULL ? atoi(pg_value(a, i,
		    c[0])) : 0;
		for (j = 0; !interesting && j < a->nrows; j++)
			interesting = db_pid_in(pg_value(a, j, c[11]), pid);
		if (!interesting)
			continue;
		v[k].pid = pid;
		snprintf(v[k].pid_s, sizeof v[k].pid_s, "%d", pid);
		v[k].user = db_str(a, i, c[1]);
		v[k].app = db_str(a, i, c[2]);
		v[k].client = db_str(a, i, c[3]);
		v[k].state = db_str(a, i, c[4]);
		we = pg_value(a, i, c[6]);
		if (wt != NULL)
			xasprintf(&v[k].wait, "%s:%s", wt, we != NULL ? we : "");
		v[k].xact_s = isnan(db_num(a, i, c[7])) ? -1 : db_num(a, i,
		    c[7]);
		v[k].query_s = isnan(q) ? -1 : q;
		v[k].state_s = isnan(db_num(a, i, c[9])) ? -1 : db_num(a, i,
		    c[9]);
		v[k].query = db_str(a, i, c[10]);
		v[k].blocked_by = blocked != NULL && *blocked != '\0' ?
		    xstrdup(blocked) : NULL;
		k++;
	}
	/* Mark the blockers. */
	for (i = 0; i < k; i++)
		for (j = 0; j < k; j++)
			if (db_pid_in(v[j].blocked_by, v[i].pid))
				v[i].blocking = 1;
	if (k > 0)
		qsort(v, (size_t)k, sizeof *v, db_session_age_cmp);
	model_set_sessions(s->m, v, k);
	source_db_poll_done(s);
}

/* The whole text of a statement, for copying, if it is not too long. */
#define DB_TEXT_MAX	"4000"	/* characters */
#define DB_STMT_TEXT	"CASE WHEN length(s.query) <= " DB_TEXT_MAX " THEN " \
	"s.query END AS query_text"

/* The statements query for the server's version. */
static const char *
db_stmts_sql(int version)
{
	if (version >= 140000)
		return "SELECT s.queryid::text AS queryid, "
		    "pg_get_userbyid(s.userid) AS usename, d.datname, "
		    "sum(s.calls) AS calls, sum(s.total_exec_time) AS total_ms, "
		    "sum(s.total_exec_time) / nullif(sum(s.calls), 0) AS "
		    "mean_ms, max(s.max_exec_time) AS max_ms, sum(s.rows) AS "
		    "rows, left(regexp_replace(min(s.query), '\\s+', ' ', 'g'), "
		    "400) AS query, CASE WHEN length(min(s.query)) <= "
		    DB_TEXT_MAX " THEN min(s.query) END AS query_text "
		    "FROM pg_stat_statements s JOIN pg_database d "
		    "ON d.oid = s.dbid WHERE s.calls > 0 GROUP BY s.queryid, "
		    "s.userid, d.datname ORDER BY total_ms DESC LIMIT 200";
	if (version >= 130000)
		return "SELECT s.queryid::text AS queryid, "
		    "pg_get_userbyid(s.userid) AS usename, d.datname, s.calls, "
		    "s.total_exec_time AS total_ms, s.mean_exec_time AS mean_ms, "
		    "s.max_exec_time AS max_ms, s.rows, "
		    "left(regexp_replace(s.query, '\\s+', ' ', 'g'), 400) AS "
		    "query, " DB_STMT_TEXT " FROM pg_stat_statements s JOIN "
		    "pg_database d ON "
		    "d.oid = s.dbid WHERE s.calls > 0 ORDER BY total_ms DESC "
		    "LIMIT 200";
	return "SELECT s.queryid::text AS queryid, "
	    "pg_get_userbyid(s.userid) AS usename, d.datname, s.calls, "
	    "s.total_time AS total_ms, s.mean_time AS mean_ms, s.max_time AS "
	    "max_ms, s.rows, left(regexp_replace(s.query, '\\s+', ' ', 'g'), "
	    "400) AS query, " DB_STMT_TEXT " FROM pg_stat_statements s JOIN "
	    "pg_database d ON "
	    "d.oid = s.dbid WHERE s.calls > 0 ORDER BY total_ms DESC LIMIT 200";
}

static const char db_activity_sql[] =
	"SELECT a.pid, a.usename, a.application_name, "
	"host(a.client_addr) AS client, a.state, a.wait_event_type, "
	"a.wait_event, extract(epoch FROM now() - a.xact_start)::float8 AS "
	"xact_s, extract(epoch FROM now() - a.query_start)::float8 AS query_s, "
	"extract(epoch FROM now() - a.state_change)::float8 AS state_s, "
	"left(regexp_replace(a.query, '\\s+', ' ', 'g'), 400) AS query, "
	"array_to_string(pg_blocking_pids(a.pid), ' ') AS blocked_by "
	"FROM pg_stat_activity a WHERE a.backend_type = 'client backend' "
	"AND a.pid <> pg_backend_pid() ORDER BY a.pid";

static void
db_pg_state(struct pg *pg, int up, const char *error, void *arg)
{
	struct source_db *s = arg;
	struct health_check *h = model_health(s->m, "postgres", "postgres");

	if (up) {
		s->m->db.pg_version = pg_server_version(pg);
		model_health_set(s->m, h, 1, 0, NULL);
		return;
	}
	model_source_fail(s->m, SOURCE_PG, "%s", error != NULL ? error :
	    "connection lost");
	model_health_set(s->m, h, 0, -1, error);
	/* A snapshot waits for one answer or one failure. */
	source_db_first(s, &s->first_pg);
}

/* After both queries of a poll: the source's state and the health line. */
static void
db_pg_ping_done(struct pg *pg, const struct pg_answer *a, void *arg)
{
	struct source_db *s = arg;
	struct health_check *h = model_health(s->m, "postgres", "postgres");

	s->pg_busy--;
	if (a->ok && a->nrows == 1) {
		s->m->db.pg_max_conns = atoi(pg_value(a, 0, 0) ?: "0");
		s->m->db.pg_conns = atoi(pg_value(a, 0, 1) ?: "0");
	}
	if (a->ok && !s->pg_failed) {
		model_source_ok(s->m, SOURCE_PG, 0);
		model_health_set(s->m, h, 1, (long)((now_mono() - s->pg_t0) *
		    1000), NULL);
	} else if (!a->ok) {
		model_source_fail(s->m, SOURCE_PG, "%s", a->error != NULL ?
		    a->error : "query failed");
		model_health_set(s->m, h, 0, -1, a->error);
	}
	model_mark(s->m, DIRTY_DB);
	s->poll_pg_done = 1;
	source_db_poll_done(s);
}

static void
db_pg_poll(struct source_db *s)
{
	if (s->pg == NULL || s->pg_busy > 0 || !pg_connected(s->pg))
		return;
	s->pg_failed = 0;
	s->pg_t0 = now_mono();
	s->pg_busy = 3;
	pg_query(s->pg, db_activity_sql, 0, NULL, DB_QUERY_MS,
	    db_activity_done, s);
	pg_query(s->pg, db_stmts_sql(pg_server_version(s->pg)), 0, NULL,
	    DB_QUERY_MS, db_stmts_done, s);
	/* Last, so that its answer ends the poll: the connections, the
	 * manual's 80-of-100 alert. */
	pg_query(s->pg, "SELECT current_setting('max_connections')::int, "
	    "(SELECT count(*) FROM pg_stat_activity WHERE backend_type = "
	    "'client backend')", 0, NULL, DB_QUERY_MS, db_pg_ping_done, s);
}

/* --- Redis ------------------------------------------------------------------ */

static void
db_redis_state(struct redis *r, int up, const char *error, void *arg)
{
	struct source_db *s = arg;
	struct health_check *h = model_health(s->m, "redis", "redis");

	if (up) {
		model_health_set(s->m, h, 1, 0, NULL);
		return;
	}
	model_source_fail(s->m, SOURCE_REDIS, "%s", error != NULL ? error :
	    "connection lost");
	model_health_set(s->m, h, 0, -1, error);
	source_db_first(s, &s->first_redis);
}

/* A bulk string reply as a new C string, or NULL. */
static char *
db_redis_str(const struct redis_reply *r)
{
	char	*s;
	size_t	 i;

	if (r == NULL || (r->type != REDIS_T_STRING &&
	    r->type != REDIS_T_STATUS))
		return NULL;
	s = xmalloc(r->len + 1);
	memcpy(s, r->str, r->len);
	s[r->len] = '\0';
	/* A NUL inside would cut the text short: show it as a space. */
	for (i = 0; i < r->len; i++)
		if (s[i] == '\0')
			s[i] = ' ';
	return s;
}

static void
db_slowlog_done(struct redis *rc, const struct redis_reply *r,
    const char *error, void *arg)
{
	struct source_db	*s = arg;
	struct redis_slow	*v;
	const struct redis_reply *e, *argv;
	char			*word, *cmd;
	size_t			 i, j;
	int			 k = 0;

	s->redis_busy--;
	if (r == NULL || r->type != REDIS_T_ARRAY) {
		s->redis_failed = 1;
		model_db_error(&s->m->db.redis_error, r != NULL &&
		    r->type == REDIS_T_ERROR ? r->str : error);
		source_db_poll_done(s);
		return;
	}
	v = xcalloc(r->elements + 1, sizeof *v);
	for (i = 0; i < r->elements; i++) {
		e = &r->element[i];
		if (e->type != REDIS_T_ARRAY || e->elements < 4)
			continue;
		v[k].id = e->element[0].integer;
		v[k].when = (time_t)e->element[1].integer;
		v[k].micros = e->element[2].integer;
		argv = &e->element[3];
		cmd = xstrdup("");
		for (j = 0; argv->type == REDIS_T_ARRAY && j < argv->elements;
		    j++) {
			if ((word = db_redis_str(&argv->element[j])) == NULL)
				continue;
			xasprintf(&v[k].command, "%s%s%s", cmd, j > 0 ? " " :
			    "", word);
			free(cmd);
			free(word);
			cmd = v[k].command;
		}
		v[k].command = cmd;
		if (e->elements >= 6) {
			v[k].client = db_redis_str(&e->element[4]);
			v[k].name = db_redis_str(&e->element[5]);
			if (v[k].name != NULL && *v[k].name == '\0') {
				free(v[k].name);
				v[k].name = NULL;
			}
		}
		k++;
	}
	model_set_slow(s->m, v, k);
	source_db_poll_done(s);
}

/* One INFO field, "key:value\r\n", as a number; -1 if absent. */
static long long
db_info_num(const char *info, const char *key)
{
	const char	*p = info;
	size_t		 n = strlen(key);

	while ((p = strstr(p, key)) != NULL) {
		if ((p == info || p[-1] == '\n') && p[n] == ':')
			return strtoll(p + n + 1, NULL, 10);
		p += n;
	}
	return -1;
}

static char *
db_info_str(const char *info, const char *key)
{
	const char	*p = info;
	size_t		 n = strlen(key);

	while ((p = strstr(p, key)) != NULL) {
		if ((p == info || p[-1] == '\n') && p[n] == ':')
			return xstrndup(p + n + 1, strcspn(p + n + 1, "\r\n"));
		p += n;
	}
	return NULL;
}

static void
db_info_done(struct redis *rc, const struct redis_reply *r,
    const char *error, void *arg)
{
	struct source_db *s = arg;
	struct model_db	*db = &s->m->db;
	struct health_check *h = model_health(s->m, "redis", "redis");
	char		*info;
	long long	 hits, misses;

	s->redis_busy--;
	if ((info = db_redis_str(r)) == NULL) {
		model_source_fail(s->m, SOURCE_REDIS, "%s", r != NULL &&
		    r->type == REDIS_T_ERROR ? r->str : error != NULL ? error :
		    "no answer");
		model_health_set(s->m, h, 0, -1, r != NULL &&
		    r->type == REDIS_T_ERROR ? r->str : error);
		s->redis_done = 1;
		source_db_poll_done(s);
		return;
	}
	db->redis_used = db_info_num(info, "used_memory");
	db->redis_max = db_info_num(info, "maxmemory");
	db->redis_rss = db_info_num(info, "used_memory_rss");
	db->redis_clients = db_info_num(info, "connected_clients");
	hits = db_info_num(info, "keyspace_hits");
	misses = db_info_num(info, "keyspace_misses");
	db->redis_hit = hits >= 0 && misses >= 0 && hits + misses > 0 ?
	    (double)hits / (double)(hits + misses) : -1;
	free(db->redis_policy);
	db->redis_policy = db_info_str(info, "maxmemory_policy");
	free(info);
	if (!s->redis_failed)
		model_db_error(&db->redis_error, NULL);
	model_source_ok(s->m, SOURCE_REDIS, 0);
	model_health_set(s->m, h, 1, (long)((now_mono() - s->redis_t0) * 1000),
	    NULL);
	s->redis_done = 1;
	source_db_poll_done(s);
}

static void
db_redis_poll(struct source_db *s)
{
	static const char *const slowlog[] = { "SLOWLOG", "GET", "32" };
	static const char *const info[] = { "INFO" };

	if (s->redis == NULL || s->redis_busy > 0 ||
	    !redis_connected(s->redis))
		return;
	s->redis_failed = 0;
	s->redis_t0 = now_mono();
	s->redis_busy = 2;
	redis_command(s->redis, DB_QUERY_MS, db_slowlog_done, s, 3, slowlog);
	redis_command(s->redis, DB_QUERY_MS, db_info_done, s, 1, info);
}

/* --- the timer -------------------------------------------------------------- */

static void
source_db_timer_cb(uv_timer_t *t)
{
	source_db_poll(t->data);
}

static void
source_db_poll(struct source_db *s)
{
	uv_timer_start(&s->timer, source_db_timer_cb,
	    (uint64_t)(cfg.refresh * 1000), 0);
	s->poll++;
	db_pg_poll(s);
	db_redis_poll(s);
}

/* The first poll comes as soon as a connection is up. */
static void
db_pg_up(struct pg *pg, int up, const char *error, void *arg)
{
	struct source_db *s = arg;

	db_pg_state(pg, up, error, arg);
	if (up)
		db_pg_poll(s);
}

static void
db_redis_up(struct redis *r, int up, const char *error, void *arg)
{
	struct source_db *s = arg;

	db_redis_state(r, up, error, arg);
	if (up)
		db_redis_poll(s);
}

static void *
source_db_create(const struct source_env *e)
{
	struct source_db *s;
	char		*cause = NULL;

	if (cfg.postgres == NULL && cfg.redis == NULL)
		return NULL;
	s = xcalloc(1, sizeof *s);
	s->loop = e->loop;
	s->m = e->model;
	s->on_poll = e->on_poll;
	s->arg = e->arg;
	table_init(&s->prev, free);
	if (cfg.postgres != NULL) {
		s->pg = pg_create(e->loop, cfg.postgres, DB_CONNECT_MS,
		    db_pg_up, s);
		s->first_pg = 1;
		model_source_set(e->model, SOURCE_PG, SOURCE_INIT);
		model_health(e->model, "postgres", "postgres");
	}
	if (cfg.redis != NULL) {
		s->redis = redis_create(e->loop, cfg.redis, DB_CONNECT_MS,
		    db_redis_up, s, &cause);
		model_health(e->model, "redis", "redis");
		if (s->redis == NULL) {
			model_source_fail(e->model, SOURCE_REDIS, "%s", cause);
			free(cause);
		} else {
			s->first_redis = 1;
			model_source_set(e->model, SOURCE_REDIS, SOURCE_INIT);
		}
	}
	uv_timer_init(e->loop, &s->timer);
	s->timer.data = s;
	return s;
}

static void
source_db_start(void *arg)
{
	struct source_db *s = arg;

	if (s == NULL)
		return;
	if (s->pg != NULL)
		pg_start(s->pg);
	if (s->redis != NULL)
		redis_start(s->redis);
	uv_timer_start(&s->timer, source_db_timer_cb,
	    (uint64_t)(cfg.refresh * 1000), 0);
}

static void
source_db_refresh(void *arg)
{
	struct source_db *s = arg;

	if (s != NULL)
		source_db_poll(s);
}

static void
source_db_close_cb(uv_handle_t *h)
{
	struct source_db *s = h->data;

	table_clear(&s->prev);
	free(s);
}

static void
source_db_free(void *arg)
{
	struct source_db *s = arg;

	if (s == NULL)
		return;
	if (s->pg != NULL)
		pg_free(s->pg);
	if (s->redis != NULL)
		redis_free(s->redis);
	uv_timer_stop(&s->timer);
	uv_close((uv_handle_t *)&s->timer, source_db_close_cb);
}

const struct source_ops source_db_ops = {
	.name = "db",
	.create = source_db_create,
	.start = source_db_start,
	.refresh = source_db_refresh,
	.free = source_db_free,
};
