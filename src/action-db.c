/*
 * action-db.c: the database actions, through the shared dispatcher (which
 * checks the words and read-only mode, shows the preview, asks, takes the
 * lock and writes the started line): 'pg-terminate-idle [OLDER_THAN]' (the
 * manual's fault 2 query, parameterized: the sessions idle, or idle in a
 * transaction, for longer than OLDER_THAN, 5m by default, listed before the
 * confirmation; only those are ended), 'pg-cancel PID', 'pg-terminate PID'
 * and 'redis-purge' (MEMORY PURGE). Each opens its own connection from the
 * config. A permission error from the server is a denial, said as such.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "action-private.h"
#include "config.h"
#include "jtext.h"
#include "net-pg.h"
#include "net-redis.h"
#include "warroom.h"

#define DB_ACTION_CONNECT_MS	5000
#define DB_ACTION_QUERY_MS	10000
#define DB_ACTION_FOLLOW_MS	300
#define DB_ACTION_FOLLOW_S	15
#define DB_IDLE_DEFAULT_S	300

/* What the steps keep. */
struct db_action {
	struct pg	*pg;
	struct redis	*redis;
	int		*pids;		/* the sessions listed */
	int		 npids;
	char		*pid_list;	/* "{1,2,3}" for ANY($1::int[]) */
	char		*backend_start;	/* pg-cancel/-terminate: the session's
					 * start at preview, or NULL if hidden */
	long long	 rss_before;
	double		 follow_end;
	int		 started;	/* the first step after connecting ran */
};

static void	db_follow_tick(uv_timer_t *);

static struct db_action *
db_of(struct action_run *r)
{
	if (r->st.priv == NULL)
		r->st.priv = xcalloc(1, sizeof(struct db_action));
	return r->st.priv;
}

static void
db_cleanup(struct action_state *st)
{
	struct db_action *d = st->priv;

	if (d == NULL)
		return;
	if (d->pg != NULL)
		pg_free(d->pg);
	if (d->redis != NULL)
		redis_free(d->redis);
	free(d->pids);
	free(d->pid_list);
	free(d->backend_start);
	free(d);
	st->priv = NULL;
}

/* A server's refusal: a permission error is a denial. */
static void
db_fail(struct action_run *r, const struct pg_answer *a, const char *what)
{
	int	 denied = a->sqlstate != NULL && strcmp(a->sqlstate, "42501") == 0;

	action_finish(r, 1, denied ? "denied" : "failed", "postgres: %s: %s",
	    what, a->error != NULL ? a->error : "failed");
}

/* --- parsing -------------------------------------------------------------------- */

static int
db_parse_idle(struct action_state *st, int argc, char **argv, char **cause)
{
	const char	*v = NULL;
	double		 d;

	if (argc >= 1 && strcmp(argv[0], "--older-than") == 0) {
		if (argc != 2) {
			xasprintf(cause, "--older-than needs a duration");
			return -1;
		}
		v = argv[1];
	} else if (argc == 1)
		v = argv[0];
	else if (argc > 1) {
		xasprintf(cause, "too many words");
		return -1;
	}
	st->duration = DB_IDLE_DEFAULT_S;
	if (v != NULL) {
		if ((d = config_parse_duration(v)) < 1 || d > 30 * 86400) {
			xasprintf(cause, "invalid duration \"%s\": like 5m, "
			    "30s, 1h", v);
			return -1;
		}
		st->duration = d;
	}
	return 0;
}

static int
db_parse_pid(struct action_state *st, int argc, char **argv, char **cause)
{
	char	*end;
	long	 n;

	errno = 0;
	n = strtol(st->name, &end, 10);
	if (*st->name == '\0' || *end != '\0' || errno != 0 || n <= 0 ||
	    n > INT_MAX) {
		xasprintf(cause, "invalid pid \"%s\": want a backend's process "
		    "id", st->name);
		return -1;
	}
	st->n_new = n;
	return 0;
}

static int
db_parse_none(struct action_state *st, int argc, char **argv, char **cause)
{
	return 0;
}

/* --- connections ------------------------------------------------------------------ */

static void	db_idle_list(struct action_run *);
static void	db_pid_show(struct action_run *);

static void
db_pg_state(struct pg *pg, int up, const char *error, void *arg)
{
	struct action_run *r = arg;
	struct db_action *d = r->st.priv;

	if (r->finished)
		return;
	if (!up) {
		action_finish(r, 1, "failed", "postgres: %s", error != NULL ?
		    error : "connection lost");
		return;
	}
	if (d->started)
		return;
	d->started = 1;
	if (r->act == &action_pg_terminate_idle)
		db_idle_list(r);
	else
		db_pid_show(r);
}

static void
db_pg_start(struct action_run *r)
{
	struct db_action *d = db_of(r);

	if (cfg.postgres == NULL) {
		action_finish(r, 1, "refused", "no postgres in the config "
		    "(postgres \"CONNINFO\")");
		return;
	}
	action_phase(r, "connecting");
	d->pg = pg_create(r->loop, cfg.postgres, DB_ACTION_CONNECT_MS,
	    db_pg_state, r);
	pg_start(d->pg);
}

/* --- pg-terminate-idle ------------------------------------------------------------ */

static const char db_idle_states[] =
	"('idle', 'idle in transaction', 'idle in transaction (aborted)')";

static void
db_interval(const struct action_run *r, char *buf, size_t len)
{
	snprintf(buf, len, "%.0f seconds", r->st.duration);
}

static void
db_idle_list_done(struct pg *pg, const struct pg_answer *a, void *arg)
{
	struct action_run *r = arg;
	struct db_action *d = r->st.priv;
	char		*list, *s, *p, *clean;
	int		 i, k = 0;

	if (r->finished)
		return;
	if (!a->ok) {
		db_fail(r, a, "listing the idle sessions");
		return;
	}
	if (a->nrows == 0) {
		action_say(r, 0, "postgres: no session idle for more than "
		    "%.0fs", r->st.duration);
		action_finish(r, 0, "done", "no session idle for more than "
		    "%.0fs; nothing to end", r->st.duration);
		return;
	}
	d->pids = xcalloc((size_t)a->nrows, sizeof *d->pids);
	list = xstrdup("");
	p = xstrdup("{");
	for (i = 0; i < a->nrows; i++) {
		d->pids[k] = atoi(pg_value(a, i, 0) != NULL ? pg_value(a, i, 0) :
		    "0");
		if (d->pids[k] <= 0)
			continue;
		xasprintf(&s, "%s%s%d", p, k > 0 ? "," : "", d->pids[k]);
		free(p);
		p = s;
		clean = sanitize(pg_value(a, i, 6) != NULL ? pg_value(a, i, 6) :
		    "");
		xasprintf(&s, "%s%spid %d (%s/%s, %s %.0fs: %.*s)", list,
		    k > 0 ? "; " : "", d->pids[k], pg_value(a, i, 1) ?: "?",
		    pg_value(a, i, 2) ?: "", pg_value(a, i, 4) ?: "?",
		    strtod(pg_value(a, i, 5) ?: "0", NULL),
		    (int)jtext_cut(clean, strlen(clean), 60), clean);
		free(clean);
		free(list);
		list = s;
		k++;
	}
	d->npids = k;
	xasprintf(&d->pid_list, "%s}", p);
	free(p);
	xasprintf(&r->preview, "terminate %d session%s idle for more than "
	    "%.0fs: %s", k, k == 1 ? "" : "s", r->st.duration, list);
	free(list);
	action_say(r, 0, "postgres: %s", r->preview);
	action_preview_ready(r, "preview: the sessions listed now; nothing is "
	    "sent before you confirm");
}

static void
db_idle_list(struct action_run *r)
{
	struct db_action *d = r->st.priv;
	char		 interval[64], *sql;
	const char	*params[1] = { interval };

	action_phase(r, "previewing");
	db_interval(r, interval, sizeof interval);
	xasprintf(&sql, "SELECT pid, usename, application_name, "
	    "host(client_addr), state, extract(epoch FROM now() - "
	    "state_change)::float8, left(regexp_replace(query, '\\s+', ' ', "
	    "'g'), 120) FROM pg_stat_activity WHERE backend_type = 'client "
	    "backend' AND datname = current_database() AND state IN %s AND "
	    "state_change < now() - $1::interval AND pid <> pg_backend_pid() "
	    "ORDER BY state_change", db_idle_states);
	pg_query(d->pg, sql, 1, params, DB_ACTION_QUERY_MS, db_idle_list_done,
	    r);
	free(sql);
}

/* After the change: until the sessions are gone from pg_stat_activity. */
static void
db_gone_done(struct pg *pg, const struct pg_answer *a, void *arg)
{
	struct action_run *r = arg;
	struct db_action *d = r->st.priv;

	if (r->finished)
		return;
	if (a->ok && a->nrows == 0) {
		action_say(r, 0, "postgres: %d session%s ended", d->npids,
		    d->npids == 1 ? "" : "s");
		action_finish(r, 0, "done", "%d session%s ended (%s)", d->npids,
		    d->npids == 1 ? "" : "s", d->pid_list);
		return;
	}
	if (now_mono() >= d->follow_end) {
		action_finish(r, 1, "failed", "%d session%s still there after "
		    "%ds", a->nrows, a->nrows == 1 ? "" : "s",
		    DB_ACTION_FOLLOW_S);
		return;
	}
	uv_timer_start(&r->timer, db_follow_tick, DB_ACTION_FOLLOW_MS, 0);
}

static void
db_follow_tick(uv_timer_t *t)
{
	struct action_run *r = t->data;
	struct db_action *d = r->st.priv;
	const char	*params[1] = { d->pid_list };

	pg_query(d->pg, "SELECT pid FROM pg_stat_activity WHERE pid = "
	    "ANY($1::int[])", 1, params, DB_ACTION_QUERY_MS, db_gone_done, r);
}

static void
db_follow(struct action_run *r)
{
	struct db_action *d = r->st.priv;

	d->follow_end = now_mono() + DB_ACTION_FOLLOW_S;
	action_phase(r, "following");
	db_follow_tick(&r->timer);
}

static void
db_idle_kill_done(struct pg *pg, const struct pg_answer *a, void *arg)
{
	struct action_run *r = arg;
	struct db_action *d = r->st.priv;
	char		*list, *s;
	int		 i, n = 0;

	if (r->finished)
		return;
	if (!a->ok) {
		db_fail(r, a, "pg_terminate_backend");
		return;
	}
	/* Only the listed sessions still idle were signalled; say which. */
	list = xstrdup("{");
	for (i = 0; i < a->nrows; i++) {
		if (pg_value(a, i, 1) == NULL || strcmp(pg_value(a, i, 1),
		    "t") != 0)
			continue;
		xasprintf(&s, "%s%s%s", list, n > 0 ? "," : "",
		    pg_value(a, i, 0));
		free(list);
		list = s;
		n++;
	}
	xasprintf(&s, "%s}", list);
	free(list);
	if (n < d->npids)
		action_say(r, 1, "warning: %d of the %d sessions listed were no "
		    "longer idle and were left alone", d->npids - n, d->npids);
	free(d->pid_list);
	d->pid_list = s;
	d->npids = n;
	if (n == 0) {
		action_finish(r, 0, "done", "no listed session was still idle; "
		    "nothing ended");
		return;
	}
	action_say(r, 0, "postgres: terminating %s", d->pid_list);
	db_follow(r);
}

static void
db_idle_apply(struct action_run *r)
{
	struct db_action *d = r->st.priv;
	char		 interval[64], *sql;
	const char	*params[2] = { d->pid_list, interval };

	db_interval(r, interval, sizeof interval);
	/* Exactly the sessions listed, and only if still idle as listed. */
	xasprintf(&sql, "SELECT pid, pg_terminate_backend(pid, 3000) FROM "
	    "pg_stat_activity WHERE pid = ANY($1::int[]) AND state IN %s AND "
	    "state_change < now() - $2::interval", db_idle_states);
	pg_query(d->pg, sql, 2, params, DB_ACTION_QUERY_MS, db_idle_kill_done,
	    r);
	free(sql);
}

/* --- pg-cancel PID, pg-terminate PID ------------------------------------------------ */

static void
db_pid_show_done(struct pg *pg, const struct pg_answer *a, void *arg)
{
	struct action_run *r = arg;
	struct db_action *d = r->st.priv;
	char		*clean;

	if (r->finished)
		return;
	if (!a->ok) {
		db_fail(r, a, "reading pg_stat_activity");
		return;
	}
	if (a->nrows == 0) {
		action_finish(r, 1, "failed", "no session with pid %ld",
		    r->st.n_new);
		return;
	}
	/* The apply must find this session, not another with its pid. */
	if (pg_value(a, 0, 4) != NULL)
		d->backend_start = xstrdup(pg_value(a, 0, 4));
	clean = sanitize(pg_value(a, 0, 3) != NULL ? pg_value(a, 0, 3) : "");
	xasprintf(&r->preview, "%s pid %ld (%s/%s, %s: %.*s)",
	    r->act == &action_pg_cancel ? "cancel the query of" : "terminate",
	    r->st.n_new, pg_value(a, 0, 0) ?: "?", pg_value(a, 0, 1) ?: "",
	    pg_value(a, 0, 2) ?: "?", (int)jtext_cut(clean, strlen(clean), 100),
	    clean);
	free(clean);
	action_say(r, 0, "postgres: %s", r->preview);
	action_preview_ready(r, "preview: the session as it is now");
}

static void
db_pid_show(struct action_run *r)
{
	struct db_action *d = r->st.priv;
	const char	*params[1] = { r->st.name };

	action_phase(r, "previewing");
	pg_query(d->pg, "SELECT usename, application_name, state, "
	    "left(regexp_replace(query, '\\s+', ' ', 'g'), 200), "
	    "backend_start::text FROM pg_stat_activity WHERE pid = $1::int",
	    1, params,
	    DB_ACTION_QUERY_MS, db_pid_show_done, r);
}

static void
db_pid_done(struct pg *pg, const struct pg_answer *a, void *arg)
{
	struct action_run *r = arg;
	struct db_action *d = r->st.priv;

	if (r->finished)
		return;
	if (!a->ok) {
		db_fail(r, a, r->act == &action_pg_cancel ? "pg_cancel_backend" :
		    "pg_terminate_backend");
		return;
	}
	if (a->nrows == 0) {
		action_finish(r, 1, "failed", "postgres: pid %ld is not the "
		    "session previewed any more (it ended, or its pid was "
		    "reused); nothing was signalled", r->st.n_new);
		return;
	}
	if (a->nrows != 1 || pg_value(a, 0, 0) == NULL ||
	    strcmp(pg_value(a, 0, 0), "t") != 0) {
		action_finish(r, 1, "failed", "postgres: pid %ld was not "
		    "signalled (gone, or not a backend)", r->st.n_new);
		return;
	}
	if (r->act == &action_pg_cancel) {
		action_say(r, 0, "postgres: the query of pid %ld was "
		    "cancelled", r->st.n_new);
		action_finish(r, 0, "done", "query cancelled");
		return;
	}
	d->npids = 1;
	xasprintf(&d->pid_list, "{%ld}", r->st.n_new);
	db_follow(r);
}

static void
db_pid_apply(struct action_run *r)
{
	struct db_action *d = r->st.priv;
	const char	*params[2] = { r->st.name, d->backend_start };

	/* The session previewed: its pid and its start (a pid may have been
	 * reused since); a start hidden from this role is NULL both times. */
	pg_query(d->pg, r->act == &action_pg_cancel ?
	    "SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE "
	    "pid = $1::int AND backend_start IS NOT DISTINCT FROM "
	    "$2::timestamptz" :
	    "SELECT pg_terminate_backend(pid, 3000) FROM pg_stat_activity "
	    "WHERE pid = $1::int AND backend_start IS NOT DISTINCT FROM "
	    "$2::timestamptz", 2, params, DB_ACTION_QUERY_MS, db_pid_done, r);
}

/* --- redis-purge ------------------------------------------------------------------- */

static long long
db_info_field(const struct redis_reply *rep, const char *key)
{
	const char	*p;
	size_t		 n = strlen(key);

	if (rep == NULL || rep->type != REDIS_T_STRING)
		return -1;
	for (p = rep->str; (p = strstr(p, key)) != NULL; p += n)
		if ((p == rep->str || p[-1] == '\n') && p[n] == ':')
			return strtoll(p + n + 1, NULL, 10);
	return -1;
}

static void
db_redis_fail(struct action_run *r, const struct redis_reply *rep,
    const char *error, const char *what)
{
	const char	*why = rep != NULL && rep->type == REDIS_T_ERROR ?
			    rep->str : error != NULL ? error : "no answer";

	action_finish(r, 1, strncmp(why, "NOPERM", 6) == 0 ? "denied" :
	    "failed", "redis: %s: %s", what, why);
}

static void
db_purge_after(struct redis *rc, const struct redis_reply *rep,
    const char *error, void *arg)
{
	struct action_run *r = arg;
	struct db_action *d = r->st.priv;
	long long	 rss = db_info_field(rep, "used_memory_rss");

	if (r->finished)
		return;
	action_say(r, 0, "redis: MEMORY PURGE done; rss %lld \xe2\x86\x92 %lld "
	    "bytes", d->rss_before, rss);
	action_finish(r, 0, "done", "rss %lld -> %lld bytes", d->rss_before,
	    rss);
}

static void
db_purge_done(struct redis *rc, const struct redis_reply *rep,
    const char *error, void *arg)
{
	struct action_run *r = arg;
	struct db_action *d = r->st.priv;
	static const char *const info[] = { "INFO", "memory" };

	if (r->finished)
		return;
	if (rep == NULL || rep->type != REDIS_T_STATUS) {
		db_redis_fail(r, rep, error, "MEMORY PURGE");
		return;
	}
	action_phase(r, "following");
	redis_command(d->redis, DB_ACTION_QUERY_MS, db_purge_after, r, 2, info);
}

static void
db_purge_apply(struct action_run *r)
{
	static const char *const purge[] = { "MEMORY", "PURGE" };
	struct db_action *d = r->st.priv;

	redis_command(d->redis, DB_ACTION_QUERY_MS, db_purge_done, r, 2, purge);
}

static void
db_purge_info(struct redis *rc, const struct redis_reply *rep,
    const char *error, void *arg)
{
	struct action_run *r = arg;
	struct db_action *d = r->st.priv;
	long long	 used = db_info_field(rep, "used_memory");

	if (r->finished)
		return;
	if (rep == NULL || rep->type != REDIS_T_STRING) {
		db_redis_fail(r, rep, error, "INFO memory");
		return;
	}
	d->rss_before = db_info_field(rep, "used_memory_rss");
	xasprintf(&r->preview, "MEMORY PURGE: give freed pages back to the "
	    "system (used %lld bytes, rss %lld bytes); data is not touched",
	    used, d->rss_before);
	action_say(r, 0, "redis: %s", r->preview);
	action_preview_ready(r, "preview: memory as it is now");
}

static void
db_redis_state(struct redis *rc, int up, const char *error, void *arg)
{
	struct action_run *r = arg;
	struct db_action *d = r->st.priv;
	static const char *const info[] = { "INFO", "memory" };

	if (r->finished)
		return;
	if (!up) {
		action_finish(r, 1, "failed", "redis: %s", error != NULL ?
		    error : "connection lost");
		return;
	}
	if (d->started)
		return;
	d->started = 1;
	action_phase(r, "previewing");
	redis_command(d->redis, DB_ACTION_QUERY_MS, db_purge_info, r, 2, info);
}

static void
db_purge_start(struct action_run *r)
{
	struct db_action *d = db_of(r);
	char		*cause = NULL;

	if (cfg.redis == NULL) {
		action_finish(r, 1, "refused", "no redis in the config (redis "
		    "URL)");
		return;
	}
	action_phase(r, "connecting");
	if ((d->redis = redis_create(r->loop, cfg.redis, DB_ACTION_CONNECT_MS,
	    db_redis_state, r, &cause)) == NULL) {
		action_finish(r, 1, "failed", "redis: %s", cause);
		free(cause);
		return;
	}
	redis_start(d->redis);
}

const struct action action_pg_terminate_idle = {
	.name = "pg-terminate-idle",
	.usage = "pg-terminate-idle [--older-than 5m]",
	.note = "end the PostgreSQL sessions idle (or idle in a transaction) "
	    "for longer than that, listed first",
	.target = ACTION_TARGET_DB,
	.implicit_target = "postgres",
	.flags = ACTION_MUTATES,
	.nargs = 0,
	.nargs_max = 2,
	.done_word = "terminated",
	.parse = db_parse_idle,
	.start = db_pg_start,
	.apply = db_idle_apply,
	.cleanup = db_cleanup
};

const struct action action_pg_cancel = {
	.name = "pg-cancel",
	.usage = "pg-cancel PID",
	.note = "cancel a PostgreSQL session's running query",
	.target = ACTION_TARGET_DB,
	.flags = ACTION_MUTATES,
	.nargs = 0,
	.nargs_max = 0,
	.done_word = "cancelled",
	.parse = db_parse_pid,
	.start = db_pg_start,
	.apply = db_pid_apply,
	.cleanup = db_cleanup
};

const struct action action_pg_terminate = {
	.name = "pg-terminate",
	.usage = "pg-terminate PID",
	.note = "end a PostgreSQL session",
	.target = ACTION_TARGET_DB,
	.flags = ACTION_MUTATES,
	.nargs = 0,
	.nargs_max = 0,
	.done_word = "terminated",
	.parse = db_parse_pid,
	.start = db_pg_start,
	.apply = db_pid_apply,
	.cleanup = db_cleanup
};

const struct action action_redis_purge = {
	.name = "redis-purge",
	.usage = "redis-purge",
	.note = "ask Redis to give freed memory back (MEMORY PURGE)",
	.target = ACTION_TARGET_DB,
	.implicit_target = "redis",
	.flags = ACTION_MUTATES,
	.nargs = 0,
	.nargs_max = 0,
	.done_word = "purged",
	.parse = db_parse_none,
	.start = db_purge_start,
	.apply = db_purge_apply,
	.cleanup = db_cleanup
};
