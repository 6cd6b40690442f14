/* net-pg.c: one PostgreSQL connection on the libuv loop with async libpq:
 * host names resolved by uv_getaddrinfo and handed to libpq as hostaddr, a
 * fresh uv_poll after every PQconnectPoll, one query in flight, a timer for
 * the connect and one for the queries' deadlines, reconnection with backoff. */

#include <sys/types.h>
#include <sys/queue.h>
#include <sys/socket.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <netdb.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>
#include <uv.h>

#include "net-pg.h"
#include "warroom.h"

#define PG_BACKOFF_FIRST	500	/* ms, doubled after every failure */
#define PG_BACKOFF_MAX		30000
#define PG_CONNECT_TIMEOUT	10000	/* ms, when 0 is given */
#define PG_QUERY_TIMEOUT	30000	/* ms, when 0 is given */
#define PG_STMT_SLACK		500	/* statement_timeout past our own timer */
#define PG_MAX_ADDRS		16	/* host, hostaddr pairs given to libpq */
#define PG_ERROR_MAX		512	/* an error line, in bytes */

enum pg_state {
	PG_IDLE,		/* not started */
	PG_STARTING,		/* started; the timer makes the first attempt */
	PG_WAIT,		/* down; the timer starts the next attempt */
	PG_RESOLVING,		/* uv_getaddrinfo, one host at a time */
	PG_CONNECTING,		/* PQconnectPoll */
	PG_SETUP,		/* SET statement_timeout */
	PG_UP,
	PG_BROKEN		/* the conninfo cannot work: no retries */
};

enum pg_kind {
	PG_Q_USER,
	PG_Q_SETUP,		/* the session's settings, before "up" */
	PG_Q_TIMEOUT		/* statement_timeout for the next user query */
};

struct pg_query {
	TAILQ_ENTRY(pg_query)	 entry;
	enum pg_kind		 kind;
	char			*sql;
	char			**params;
	int			 nparams;
	long			 timeout_ms;
	uint64_t		 deadline;	/* uv_now() ms; 0: none */
	char			*error;		/* failed before it ran */
	PGresult		*res;		/* the last result */
	PGresult		*bad;		/* the first error result */
	pg_done_cb		 done;
	void			*arg;
};
TAILQ_HEAD(pg_queries, pg_query);

/* A socket watch; its memory goes in the close callback. */
struct pg_poll {
	uv_poll_t		 handle;
	struct pg		*pg;
};

struct pg_gai {
	uv_getaddrinfo_t	 req;
	struct pg		*pg;
	unsigned		 gen;		/* the attempt that asked */
};

/* What a done callback gets: the answer first, so pg_value finds res. */
struct pg_answer_full {
	struct pg_answer	 a;
	PGresult		*res;
};

struct pg {
	uv_loop_t		*loop;
	PQconninfoOption	*opts;		/* parsed conninfo; NULL if bad */
	char			*password;	/* scrubbed from every message */
	long			 connect_timeout_ms;
	pg_state_cb		 state_cb;
	void			*arg;

	enum pg_state		 state;
	unsigned		 gen;		/* attempt; late resolver answers */
	PGconn			*conn;
	struct pg_poll		*poll;
	int			 events;	/* what poll watches now */
	int			 flushing;	/* PQflush said 1 */
	struct pg_gai		*gai;		/* the name being resolved */
	uv_timer_t		 timer;		/* backoff, or connect timeout */
	uv_timer_t		 tick;		/* deadlines, deferred failures */
	long			 backoff_ms;

	char			**hosts;	/* this attempt's host list */
	int			 nhosts;
	int			 host_i;	/* the next to resolve */
	char			**ports;	/* one per host, or NULL */
	char			*out_host[PG_MAX_ADDRS];
	char			*out_addr[PG_MAX_ADDRS];
	char			*out_port[PG_MAX_ADDRS];
	int			 nout;
	char			*resolve_error;

	struct pg_queries	 queue;		/* the head may be busy */
	struct pg_query		*busy;		/* in flight */
	long			 session_stmt;	/* this session's statement_timeout */
	long			 stmt_ms;	/* for the next session */
	int			 version;
	int			 pid;

	int			 depth;		/* inside our callbacks */
	int			 freeing;	/* pg_free was called */
	int			 torn;		/* closed; memory waits for refs */
	int			 refs;		/* handles and requests open */
};

static void	pg_attempt(struct pg *);
static void	pg_timer_cb(uv_timer_t *);
static void	pg_tick_cb(uv_timer_t *);
static void	pg_poll_cb(uv_poll_t *, int, int);
static void	pg_send_next(struct pg *);
static void	pg_teardown(struct pg *);

static void
pg_unref(struct pg *pg)
{
	if (--pg->refs == 0 && pg->torn)
		free(pg);
}

static void
pg_handle_closed(uv_handle_t *handle)
{
	pg_unref(handle->data);
}

static void
pg_poll_closed(uv_handle_t *handle)
{
	struct pg_poll	*p = handle->data;
	struct pg	*pg = p->pg;

	free(p);
	pg_unref(pg);
}

/* Leaving one of our callbacks: a pg_free from inside runs now. */
static void
pg_leave(struct pg *pg)
{
	if (--pg->depth == 0 && pg->freeing && !pg->torn)
		pg_teardown(pg);
}

/* Replace every copy of the password in s (owned) with "***". */
static char *
pg_scrub(const struct pg *pg, char *s)
{
	const char	*pw = pg->password;
	char		*at, *out;
	size_t		 pwlen, from = 0, keep;

	if (pw == NULL || *pw == '\0')
		return (s);
	pwlen = strlen(pw);
	while ((at = strstr(s + from, pw)) != NULL) {
		keep = at - s;
		*at = '\0';
		xasprintf(&out, "%s***%s", s, at + pwlen);
		free(s);
		s = out;
		from = keep + 3;	/* past the stars, which may match */
	}
	return (s);
}

/*
 * One line out of a libpq message: its lines joined with "; ", the indented
 * hints left out, runs of spaces made one, capped at the size of out.
 */
static void
pg_line(const char *msg, char *out, size_t size)
{
	const char	*p, *eol;
	size_t		 n = 0, len, i;
	int		 space;

	for (p = msg; *p != '\0'; p = *eol != '\0' ? eol + 1 : eol) {
		if ((eol = strchr(p, '\n')) == NULL)
			eol = p + strlen(p);
		len = eol - p;
		while (len > 0 && (p[len - 1] == ' ' || p[len - 1] == '\r'))
			len--;
		if (len == 0 || *p == '\t' || *p == ' ')
			continue;	/* a hint or detail under the message */
		if (n > 0 && n + 3 < size) {
			out[n++] = ';';
			out[n++] = ' ';
		}
		space = 0;
		for (i = 0; i < len && n + 1 < size; i++) {
			if (p[i] == ' ' || p[i] == '\t') {
				if (!space)
					out[n++] = ' ';
				space = 1;
				continue;
			}
			space = 0;
			out[n++] = p[i];
		}
	}
	out[n] = '\0';
}

/* The text for the model and the log: one line, never the password,
 * control bytes shown. The caller frees it. */
static char *
pg_error(const struct pg *pg, const char *msg)
{
	char	 buf[PG_ERROR_MAX], *raw, *line, *clean;

	raw = pg_scrub(pg, xstrdup(msg != NULL ? msg : ""));
	pg_line(raw, buf, sizeof buf);
	free(raw);
	if (buf[0] == '\0')
		snprintf(buf, sizeof buf, "unknown error");
	line = pg_scrub(pg, xstrdup(buf));
	clean = sanitize(line);
	free(line);
	return (clean);
}

/* libpq prints notices on stderr by default: under curses, never. */
static void
pg_notice(void *arg, const char *message)
{
	char	*line = pg_error(arg, message);

	log_debug("pg: notice: %s", line);
	free(line);
}

static void
pg_query_free(struct pg_query *q)
{
	int	 i;

	PQclear(q->res);
	PQclear(q->bad);
	for (i = 0; i < q->nparams; i++)
		free(q->params[i]);
	free(q->params);
	free(q->sql);
	free(q->error);
	free(q);
}

static struct pg_query *
pg_query_new(enum pg_kind kind, const char *sql)
{
	struct pg_query	*q;

	q = xcalloc(1, sizeof *q);
	q->kind = kind;
	q->sql = xstrdup(sql);
	return (q);
}

/* Hand the answer to the query's callback; the caller frees q. */
static void
pg_deliver(struct pg *pg, struct pg_query *q, const char *error)
{
	struct pg_answer_full	 af;
	char			*text = NULL;
	ExecStatusType		 st;
	const char		*primary;

	memset(&af, 0, sizeof af);
	if (error == NULL)
		error = q->error;
	if (error != NULL)
		af.a.error = error;
	else if (q->bad != NULL) {
		primary = PQresultErrorField(q->bad, PG_DIAG_MESSAGE_PRIMARY);
		if (primary == NULL)
			primary = PQresultErrorMessage(q->bad);
		af.a.error = text = pg_error(pg, primary);
		af.a.sqlstate = PQresultErrorField(q->bad, PG_DIAG_SQLSTATE);
	} else if (q->res != NULL) {
		st = PQresultStatus(q->res);
		if (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK ||
		    st == PGRES_EMPTY_QUERY || st == PGRES_SINGLE_TUPLE) {
			af.a.ok = 1;
			af.a.nrows = PQntuples(q->res);
			af.a.ncols = PQnfields(q->res);
			af.res = q->res;
		} else
			af.a.error = "unexpected result";
	} else
		af.a.error = "no result";
	if (q->done != NULL)
		q->done(pg, &af.a, q->arg);
	free(text);
}

/* Stop watching the socket; the handle's memory goes in its callback. */
static void
pg_unwatch(struct pg *pg)
{
	if (pg->poll == NULL)
		return;
	uv_poll_stop(&pg->poll->handle);
	uv_close((uv_handle_t *)&pg->poll->handle, pg_poll_closed);
	pg->poll = NULL;
	pg->events = 0;
}

/* Forget the connection and the attempt: no callbacks here. */
static void
pg_close_conn(struct pg *pg)
{
	struct pg_query	*q, *q1;

	pg_unwatch(pg);
	if (pg->conn != NULL) {
		PQfinish(pg->conn);
		pg->conn = NULL;
	}
	if (pg->gai != NULL) {
		uv_cancel((uv_req_t *)&pg->gai->req);
		pg->gai = NULL;	/* its callback sees the new gen */
	}
	pg->gen++;
	pg->busy = NULL;
	pg->flushing = 0;
	pg->pid = 0;
	pg->session_stmt = -1;
	uv_timer_stop(&pg->timer);
	for (q = TAILQ_FIRST(&pg->queue); q != NULL; q = q1) {
		q1 = TAILQ_NEXT(q, entry);
		if (q->kind != PG_Q_USER) {
			TAILQ_REMOVE(&pg->queue, q, entry);
			pg_query_free(q);
			continue;
		}
		PQclear(q->res);
		PQclear(q->bad);
		q->res = q->bad = NULL;
	}
}

/* Arm the tick for the next deadline, or now for failures to hand out. */
static void
pg_tick_arm(struct pg *pg)
{
	struct pg_query	*q;
	uint64_t	 now, when = 0;
	int		 any = 0;

	if (pg->freeing)
		return;
	now = uv_now(pg->loop);
	TAILQ_FOREACH(q, &pg->queue, entry) {
		if (q->error != NULL && q != pg->busy) {
			when = now;
			any = 1;
			break;
		}
		if (q->deadline != 0 && (!any || q->deadline < when)) {
			when = q->deadline;
			any = 1;
		}
	}
	if (!any)
		uv_timer_stop(&pg->tick);
	else
		uv_timer_start(&pg->tick, pg_tick_cb, when > now ? when - now : 0,
		    0);
}

/*
 * The connection is down or the attempt failed: fail every query waiting
 * (not after a pg_free from a callback), say so, and try again after the
 * backoff. why is libpq's or our text; it is cleaned here.
 */
static void
pg_down(struct pg *pg, const char *why)
{
	struct pg_queries	 failed;
	struct pg_query		*q;
	char			*error;
	long			 delay;

	error = pg_error(pg, why);
	log_debug("pg: down: %s", error);
	pg_close_conn(pg);
	pg->state = PG_WAIT;
	delay = pg->backoff_ms;
	pg->backoff_ms = pg->backoff_ms * 2 > PG_BACKOFF_MAX ?
	    PG_BACKOFF_MAX : pg->backoff_ms * 2;
	uv_timer_start(&pg->timer, pg_timer_cb, delay, 0);

	TAILQ_INIT(&failed);
	TAILQ_CONCAT(&failed, &pg->queue, entry);
	while ((q = TAILQ_FIRST(&failed)) != NULL) {
		TAILQ_REMOVE(&failed, q, entry);
		if (!pg->freeing)
			pg_deliver(pg, q, error);
		pg_query_free(q);
	}
	if (!pg->freeing && pg->state_cb != NULL)
		pg->state_cb(pg, 0, error, pg->arg);
	free(error);
	pg_tick_arm(pg);
}

/* Our own choice (a query timed out): drop the session, connect again
 * now, and keep the queries that wait. */
static void
pg_drop(struct pg *pg, const char *why)
{
	log_debug("pg: dropping the connection: %s", why);
	pg_close_conn(pg);
	pg->state = PG_WAIT;
	if (pg->state_cb != NULL)
		pg->state_cb(pg, 0, why, pg->arg);
	if (!pg->freeing && pg->state == PG_WAIT)
		pg_attempt(pg);
}

/* Watch the socket libpq has now, in a fresh handle. */
static int
pg_watch_new(struct pg *pg, int events)
{
	struct pg_poll	*p;
	int		 fd, error;
	char		 msg[128];

	pg_unwatch(pg);
	if ((fd = PQsocket(pg->conn)) < 0) {
		pg_down(pg, "libpq has no socket");
		return (-1);
	}
	p = xcalloc(1, sizeof *p);
	if ((error = uv_poll_init_socket(pg->loop, &p->handle, fd)) != 0) {
		free(p);
		snprintf(msg, sizeof msg, "cannot watch the socket: %s",
		    uv_strerror(error));
		pg_down(pg, msg);
		return (-1);
	}
	p->handle.data = p;
	p->pg = pg;
	pg->refs++;
	pg->poll = p;
	pg->events = events;
	uv_poll_start(&p->handle, events, pg_poll_cb);
	return (0);
}

/* Change what the (connected) socket is watched for. */
static void
pg_events(struct pg *pg, int events)
{
	if (pg->poll == NULL || pg->events == events)
		return;
	pg->events = events;
	uv_poll_start(&pg->poll->handle, events, pg_poll_cb);
}

/* Send what libpq holds; 1 left means watch for writable too. */
static int
pg_flush(struct pg *pg)
{
	switch (PQflush(pg->conn)) {
	case 0:
		pg->flushing = 0;
		pg_events(pg, UV_READABLE);
		return (0);
	case 1:
		pg->flushing = 1;
		pg_events(pg, UV_READABLE|UV_WRITABLE);
		return (0);
	}
	pg_down(pg, PQerrorMessage(pg->conn));
	return (-1);
}

static void
pg_send(struct pg *pg, struct pg_query *q)
{
	int	 ok;

	if (q->kind == PG_Q_USER) {
		ok = PQsendQueryParams(pg->conn, q->sql, q->nparams, NULL,
		    (const char *const *)q->params, NULL, NULL, 0);
	} else
		ok = PQsendQuery(pg->conn, q->sql);
	if (!ok && q->kind == PG_Q_USER &&
	    PQstatus(pg->conn) == CONNECTION_OK) {
		/* Refused by libpq itself (too many parameters, say): this
		 * query fails, from the tick; the connection is fine. */
		q->error = pg_error(pg, PQerrorMessage(pg->conn));
		pg_tick_arm(pg);
		return;
	}
	if (!ok) {
		pg_down(pg, PQerrorMessage(pg->conn));
		return;
	}
	pg->busy = q;
	pg_flush(pg);
}

/* Connected and set up: say so, then send what waits. */
static void
pg_up(struct pg *pg)
{
	pg->state = PG_UP;
	pg->backoff_ms = PG_BACKOFF_FIRST;
	uv_timer_stop(&pg->timer);
	pg->pid = PQbackendPID(pg->conn);
	pg->version = PQserverVersion(pg->conn);
	log_debug("pg: up: server %d, backend pid %d", pg->version, pg->pid);
	if (pg->state_cb != NULL)
		pg->state_cb(pg, 1, NULL, pg->arg);
	if (pg->freeing || pg->state != PG_UP)
		return;
	pg_send_next(pg);
	pg_tick_arm(pg);
}

/*
 * Send the next query if none is in flight. statement_timeout follows the
 * query's own timeout, a little later than our timer, so that a query we
 * gave up on (and whose connection we dropped) also dies in the server.
 */
static void
pg_send_next(struct pg *pg)
{
	struct pg_query	*q, *t;
	char		*sql;
	long		 want;

	if (pg->state != PG_UP || pg->busy != NULL || pg->conn == NULL)
		return;
	TAILQ_FOREACH(q, &pg->queue, entry) {
		if (q->error == NULL)
			break;
	}
	if (q == NULL)
		return;
	want = q->timeout_ms + PG_STMT_SLACK;
	if (q->kind == PG_Q_USER && pg->session_stmt != want) {
		xasprintf(&sql, "SET statement_timeout = %ld", want);
		t = pg_query_new(PG_Q_TIMEOUT, sql);
		free(sql);
		t->timeout_ms = want;
		t->deadline = q->deadline;
		TAILQ_INSERT_BEFORE(q, t, entry);
		q = t;
	}
	pg_send(pg, q);
}

/* The query in flight has all its results. */
static void
pg_complete(struct pg *pg)
{
	struct pg_query	*q = pg->busy, *next;
	char		*error;

	pg->busy = NULL;
	TAILQ_REMOVE(&pg->queue, q, entry);
	switch (q->kind) {
	case PG_Q_SETUP:
		if (q->bad != NULL) {
			error = xstrdup(PQresultErrorMessage(q->bad));
			pg_query_free(q);
			pg_down(pg, error);
			free(error);
			return;
		}
		pg->session_stmt = pg->stmt_ms + PG_STMT_SLACK;
		pg_query_free(q);
		pg_up(pg);
		return;
	case PG_Q_TIMEOUT:
		if (q->bad == NULL) {
			pg->session_stmt = q->timeout_ms;
			pg->stmt_ms = q->timeout_ms - PG_STMT_SLACK;
		} else if ((next = TAILQ_FIRST(&pg->queue)) != NULL &&
		    next->error == NULL && next->kind == PG_Q_USER) {
			/* In an aborted transaction, say: the query's answer. */
			next->bad = q->bad;
			q->bad = NULL;
			TAILQ_REMOVE(&pg->queue, next, entry);
			pg_deliver(pg, next, NULL);
			pg_query_free(next);
		}
		pg_query_free(q);
		break;
	case PG_Q_USER:
		pg_deliver(pg, q, NULL);
		pg_query_free(q);
		break;
	}
	if (pg->freeing || pg->conn == NULL)
		return;
	if (PQstatus(pg->conn) == CONNECTION_BAD) {
		pg_down(pg, PQerrorMessage(pg->conn));
		return;
	}
	pg_send_next(pg);
	pg_tick_arm(pg);
}

/* Take every result libpq has whole; never wait for more. */
static void
pg_drain(struct pg *pg)
{
	PGnotify	*n;
	PGresult	*r;
	struct pg_query	*q;

	while ((n = PQnotifies(pg->conn)) != NULL)
		PQfreemem(n);
	while ((q = pg->busy) != NULL && !PQisBusy(pg->conn)) {
		if ((r = PQgetResult(pg->conn)) == NULL) {
			pg_complete(pg);
			return;
		}
		switch (PQresultStatus(r)) {
		case PGRES_COPY_IN:
		case PGRES_COPY_OUT:
		case PGRES_COPY_BOTH:
			PQclear(r);
			pg_down(pg, "COPY is not supported here");
			return;
		case PGRES_FATAL_ERROR:
		case PGRES_BAD_RESPONSE:
			if (q->bad == NULL)
				q->bad = r;
			else
				PQclear(r);
			break;
		default:
			PQclear(q->res);
			q->res = r;
			break;
		}
	}
}

/* The connected socket is ready (or in error: libpq finds out which). */
static void
pg_io(struct pg *pg, int status, int events)
{
	int	 lost = 0;

	if (status < 0) {
		pg->events = 0;	/* libuv stopped the handle */
		events = UV_READABLE|UV_WRITABLE;
	}
	if ((events & UV_READABLE) && !PQconsumeInput(pg->conn))
		lost = 1;
	if (!lost && pg->flushing && pg_flush(pg) != 0)
		return;
	/* Even when lost, an error the server sent first is the answer. */
	pg_drain(pg);
	if (pg->freeing || pg->conn == NULL || pg->state < PG_SETUP)
		return;
	if (lost || PQstatus(pg->conn) == CONNECTION_BAD) {
		pg_down(pg, PQerrorMessage(pg->conn));
		return;
	}
	pg_events(pg, UV_READABLE | (pg->flushing ? UV_WRITABLE : 0));
}

/* The session's settings, before anyone hears it is up. */
static void
pg_setup(struct pg *pg)
{
	struct pg_query	*q;
	char		*sql;

	if (PQsetnonblocking(pg->conn, 1) != 0) {
		pg_down(pg, PQerrorMessage(pg->conn));
		return;
	}
	pg->state = PG_SETUP;
	if (pg_watch_new(pg, UV_READABLE) != 0)
		return;
	xasprintf(&sql, "SET statement_timeout = %ld",
	    pg->stmt_ms + PG_STMT_SLACK);
	q = pg_query_new(PG_Q_SETUP, sql);
	free(sql);
	TAILQ_INSERT_HEAD(&pg->queue, q, entry);
	pg_send(pg, q);
}

/*
 * One step of the connect: the socket may be another one afterwards, even
 * with the same number, so the old watch goes before PQconnectPoll runs
 * and a fresh one is made on whatever PQsocket says then.
 */
static void
pg_connect_poll(struct pg *pg)
{
	pg_unwatch(pg);
	switch (PQconnectPoll(pg->conn)) {
	case PGRES_POLLING_OK:
		pg_setup(pg);
		break;
	case PGRES_POLLING_READING:
		pg_watch_new(pg, UV_READABLE);
		break;
	case PGRES_POLLING_WRITING:
		pg_watch_new(pg, UV_WRITABLE);
		break;
	default:
		pg_down(pg, PQerrorMessage(pg->conn));
		break;
	}
}

static void
pg_poll_cb(uv_poll_t *handle, int status, int events)
{
	struct pg_poll	*p = handle->data;
	struct pg	*pg = p->pg;

	if (p != pg->poll || pg->torn)
		return;
	pg->depth++;
	if (pg->state == PG_CONNECTING)
		pg_connect_poll(pg);
	else
		pg_io(pg, status, events);
	pg_leave(pg);
}

/* A comma-separated list of the joined strings. */
static char *
pg_join(char **v, int n)
{
	char	*s = xstrdup(""), *t;
	int	 i;

	for (i = 0; i < n; i++) {
		xasprintf(&t, "%s%s%s", s, i > 0 ? "," : "",
		    v[i] != NULL ? v[i] : "");
		free(s);
		s = t;
	}
	return (s);
}

static const char *
pg_opt(const struct pg *pg, const char *keyword)
{
	PQconninfoOption	*o;

	for (o = pg->opts; o != NULL && o->keyword != NULL; o++) {
		if (strcmp(o->keyword, keyword) == 0)
			return (o->val);
	}
	return (NULL);
}

/* Start libpq on what was resolved; it never looks a name up itself. */
static void
pg_connect(struct pg *pg)
{
	PQconninfoOption	*o;
	const char		**kw, **val;
	char			*host = NULL, *addr = NULL, *port = NULL;
	int			 n = 0, i, any_addr = 0, any_port = 0;

	for (o = pg->opts; o->keyword != NULL; o++)
		n++;
	kw = xcalloc(n + 6, sizeof *kw);
	val = xcalloc(n + 6, sizeof *val);
	n = 0;
	for (o = pg->opts; o->keyword != NULL; o++) {
		if (o->val == NULL)
			continue;
		if (pg->hosts != NULL && (strcmp(o->keyword, "host") == 0 ||
		    strcmp(o->keyword, "hostaddr") == 0 ||
		    (pg->ports != NULL && strcmp(o->keyword, "port") == 0)))
			continue;
		kw[n] = o->keyword;
		val[n++] = o->val;
	}
	if (pg->hosts != NULL) {
		for (i = 0; i < pg->nout; i++) {
			if (pg->out_addr[i][0] != '\0')
				any_addr = 1;
			if (pg->out_port[i] != NULL)
				any_port = 1;
		}
		host = pg_join(pg->out_host, pg->nout);
		kw[n] = "host";
		val[n++] = host;
		if (any_addr) {
			addr = pg_join(pg->out_addr, pg->nout);
			kw[n] = "hostaddr";
			val[n++] = addr;
		}
		if (any_port) {
			port = pg_join(pg->out_port, pg->nout);
			kw[n] = "port";
			val[n++] = port;
		}
	}
	if (pg_opt(pg, "fallback_application_name") == NULL) {
		/* application_name = warroom unless the conninfo or
		 * PGAPPNAME says otherwise, from the first packet on. */
		kw[n] = "fallback_application_name";
		val[n++] = "warroom";
	}
	if (pg_opt(pg, "gssencmode") == NULL && getenv("PGGSSENCMODE") == NULL) {
		/* libpq 12+ first tries GSSAPI encryption (prefer), which
		 * asks Kerberos for credentials inside PQconnectPoll: it may
		 * block on the KDC, and it does for nothing on the usual
		 * password or TLS setups. Only when asked for. */
		kw[n] = "gssencmode";
		val[n++] = "disable";
	}
	kw[n] = NULL;
	val[n] = NULL;

	pg->conn = PQconnectStartParams(kw, val, 0);
	free(kw);
	free(val);
	free(host);
	free(addr);
	free(port);
	if (pg->conn == NULL)
		fatal("PQconnectStartParams: out of memory");
	PQsetNoticeProcessor(pg->conn, pg_notice, pg);
	if (PQstatus(pg->conn) == CONNECTION_BAD) {
		pg_down(pg, PQerrorMessage(pg->conn));
		return;
	}
	/* "As if the last PQconnectPoll said PGRES_POLLING_WRITING." */
	pg->state = PG_CONNECTING;
	pg_watch_new(pg, UV_WRITABLE);
}

static void
pg_out_add(struct pg *pg, const char *host, const char *addr, int hi)
{
	int	 i;

	for (i = 0; i < pg->nout; i++) {
		if (strcmp(pg->out_host[i], host) == 0 &&
		    strcmp(pg->out_addr[i], addr) == 0 && *addr != '\0')
			return;		/* the same address twice */
	}
	if (pg->nout == PG_MAX_ADDRS)
		return;
	pg->out_host[pg->nout] = xstrdup(host);
	pg->out_addr[pg->nout] = xstrdup(addr);
	pg->out_port[pg->nout] = pg->ports != NULL ? xstrdup(pg->ports[hi]) :
	    NULL;
	pg->nout++;
}

static int
pg_is_numeric(const char *host)
{
	unsigned char	 buf[sizeof (struct in6_addr)];

	return (inet_pton(AF_INET, host, buf) == 1 ||
	    inet_pton(AF_INET6, host, buf) == 1);
}

static void	pg_resolve_next(struct pg *);

static void
pg_gai_cb(uv_getaddrinfo_t *req, int status, struct addrinfo *res)
{
	struct pg_gai	*g = req->data;
	struct pg	*pg = g->pg;
	struct addrinfo	*ai;
	char		 ip[INET6_ADDRSTRLEN];
	const char	*host;
	int		 stale;

	stale = pg->torn || pg->freeing || g->gen != pg->gen ||
	    pg->state != PG_RESOLVING;
	free(g);
	if (stale) {
		uv_freeaddrinfo(res);
		pg_unref(pg);
		return;
	}
	pg->refs--;	/* not the last: the timers hold theirs */
	pg->gai = NULL;
	pg->depth++;
	host = pg->hosts[pg->host_i];
	if (status != 0) {
		free(pg->resolve_error);
		xasprintf(&pg->resolve_error, "could not resolve \"%s\": %s",
		    host, uv_strerror(status));
	}
	for (ai = res; status == 0 && ai != NULL; ai = ai->ai_next) {
		if (ai->ai_family == AF_INET)
			uv_ip4_name((struct sockaddr_in *)ai->ai_addr, ip,
			    sizeof ip);
		else if (ai->ai_family == AF_INET6)
			uv_ip6_name((struct sockaddr_in6 *)ai->ai_addr, ip,
			    sizeof ip);
		else
			continue;
		pg_out_add(pg, host, ip, pg->host_i);
	}
	uv_freeaddrinfo(res);
	pg->host_i++;
	pg_resolve_next(pg);
	pg_leave(pg);
}

/* Resolve the hosts in turn through the loop, then connect. Unix
 * sockets, empty entries and addresses need no lookup. */
static void
pg_resolve_next(struct pg *pg)
{
	struct addrinfo	 hints;
	struct pg_gai	*g;
	const char	*h;
	int		 error;

	for (; pg->host_i < pg->nhosts; pg->host_i++) {
		h = pg->hosts[pg->host_i];
		if (*h == '\0' || *h == '/' || *h == '@') {
			pg_out_add(pg, h, "", pg->host_i);
			continue;
		}
		if (pg_is_numeric(h)) {
			pg_out_add(pg, h, h, pg->host_i);
			continue;
		}
		memset(&hints, 0, sizeof hints);
		hints.ai_family = AF_UNSPEC;
		hints.ai_socktype = SOCK_STREAM;
		g = xcalloc(1, sizeof *g);
		g->pg = pg;
		g->gen = pg->gen;
		g->req.data = g;
		error = uv_getaddrinfo(pg->loop, &g->req, pg_gai_cb, h, NULL,
		    &hints);
		if (error == 0) {
			pg->refs++;
			pg->gai = g;
			return;
		}
		free(g);
		free(pg->resolve_error);
		xasprintf(&pg->resolve_error, "could not resolve \"%s\": %s",
		    h, uv_strerror(error));
	}
	if (pg->nout == 0) {
		pg_down(pg, pg->resolve_error != NULL ? pg->resolve_error :
		    "no host to connect to");
		return;
	}
	pg_connect(pg);
}

static void
pg_hosts_clear(struct pg *pg)
{
	int	 i;

	for (i = 0; i < pg->nhosts; i++) {
		free(pg->hosts[i]);
		if (pg->ports != NULL)
			free(pg->ports[i]);
	}
	free(pg->hosts);
	free(pg->ports);
	pg->hosts = pg->ports = NULL;
	pg->nhosts = pg->host_i = 0;
	for (i = 0; i < pg->nout; i++) {
		free(pg->out_host[i]);
		free(pg->out_addr[i]);
		free(pg->out_port[i]);
	}
	pg->nout = 0;
	free(pg->resolve_error);
	pg->resolve_error = NULL;
}

/* Split a comma-separated list; returns the count. */
static int
pg_split(const char *s, char ***out)
{
	const char	*p, *comma;
	char		**v = NULL;
	int		 n = 0;

	for (p = s;; p = comma + 1) {
		comma = strchr(p, ',');
		v = xreallocarray(v, n + 1, sizeof *v);
		v[n++] = comma != NULL ? xstrndup(p, comma - p) : xstrdup(p);
		if (comma == NULL)
			break;
	}
	*out = v;
	return (n);
}

/*
 * Begin an attempt: the host list from the conninfo (or PGHOST, which libpq
 * would otherwise look up itself), unless hostaddr is given already; ports
 * are matched to hosts when there is one per host.
 */
static void
pg_attempt(struct pg *pg)
{
	const char	*hosts, *ports, *addr;
	char		**pv;
	int		 np, i;

	pg_close_conn(pg);
	pg_hosts_clear(pg);
	if (pg->opts == NULL) {
		pg->state = PG_BROKEN;
		if (pg->state_cb != NULL)
			pg->state_cb(pg, 0, "invalid connection string",
			    pg->arg);
		return;
	}
	pg->state = PG_RESOLVING;
	uv_timer_start(&pg->timer, pg_timer_cb, pg->connect_timeout_ms, 0);

	addr = pg_opt(pg, "hostaddr");
	if ((hosts = pg_opt(pg, "host")) == NULL || *hosts == '\0')
		hosts = getenv("PGHOST");
	if ((addr != NULL && *addr != '\0') || hosts == NULL ||
	    *hosts == '\0') {
		pg_connect(pg);
		return;
	}
	pg->nhosts = pg_split(hosts, &pg->hosts);
	if ((ports = pg_opt(pg, "port")) != NULL && *ports != '\0') {
		np = pg_split(ports, &pv);
		if (np == pg->nhosts && np > 1)
			pg->ports = pv;
		else {
			for (i = 0; i < np; i++)
				free(pv[i]);
			free(pv);
		}
	}
	log_debug("pg: connecting (%d host%s)", pg->nhosts,
	    pg->nhosts == 1 ? "" : "s");
	pg_resolve_next(pg);
}

/* Backoff over: attempt; or the attempt took too long. */
static void
pg_timer_cb(uv_timer_t *timer)
{
	struct pg	*pg = timer->data;
	char		 msg[128];

	if (pg->torn)
		return;
	pg->depth++;
	if (pg->state == PG_WAIT || pg->state == PG_STARTING)
		pg_attempt(pg);
	else if (pg->state == PG_RESOLVING || pg->state == PG_CONNECTING ||
	    pg->state == PG_SETUP) {
		snprintf(msg, sizeof msg, "timed out connecting after %ld ms",
		    pg->connect_timeout_ms);
		pg_down(pg, msg);
	}
	pg_leave(pg);
}

/* Hand out failures decided outside a callback, and expire deadlines. A
 * query in flight that expires costs the connection. */
static void
pg_tick_cb(uv_timer_t *timer)
{
	struct pg	*pg = timer->data;
	struct pg_query	*q;
	uint64_t	 now;
	char		 msg[128];

	if (pg->torn)
		return;
	pg->depth++;
	now = uv_now(pg->loop);
	while (!pg->freeing) {
		TAILQ_FOREACH(q, &pg->queue, entry) {
			if (q != pg->busy && q->error != NULL)
				break;
			if (q->deadline != 0 && now >= q->deadline)
				break;
		}
		if (q == NULL)
			break;
		TAILQ_REMOVE(&pg->queue, q, entry);
		snprintf(msg, sizeof msg, "timed out after %ld ms",
		    q->timeout_ms);
		if (q == pg->busy) {
			pg->busy = NULL;
			if (q->kind == PG_Q_USER)
				pg_deliver(pg, q, msg);
			snprintf(msg, sizeof msg, "a query timed out after "
			    "%ld ms; connecting again", q->kind == PG_Q_USER ?
			    q->timeout_ms : q->timeout_ms - PG_STMT_SLACK);
			pg_query_free(q);
			if (pg->freeing)
				break;
			pg_drop(pg, msg);
			continue;
		}
		if (q->kind == PG_Q_USER)
			pg_deliver(pg, q, q->error != NULL ? NULL : msg);
		pg_query_free(q);
	}
	if (!pg->freeing) {
		pg_send_next(pg);
		pg_tick_arm(pg);
	}
	pg_leave(pg);
}

static void
pg_teardown(struct pg *pg)
{
	struct pg_query	*q;

	pg->torn = 1;
	pg_close_conn(pg);
	pg_hosts_clear(pg);
	while ((q = TAILQ_FIRST(&pg->queue)) != NULL) {
		TAILQ_REMOVE(&pg->queue, q, entry);
		pg_query_free(q);
	}
	uv_timer_stop(&pg->timer);
	uv_timer_stop(&pg->tick);
	uv_close((uv_handle_t *)&pg->timer, pg_handle_closed);
	uv_close((uv_handle_t *)&pg->tick, pg_handle_closed);
	PQconninfoFree(pg->opts);
	pg->opts = NULL;
	if (pg->password != NULL) {
		explicit_bzero(pg->password, strlen(pg->password));
		free(pg->password);
		pg->password = NULL;
	}
	log_debug("pg: closed");
}

struct pg *
pg_create(uv_loop_t *loop, const char *conninfo, long connect_timeout_ms,
    pg_state_cb state_cb, void *arg)
{
	struct pg	*pg;
	char		*errmsg = NULL;
	const char	*pw;

	pg = xcalloc(1, sizeof *pg);
	pg->loop = loop;
	pg->connect_timeout_ms = connect_timeout_ms > 0 ? connect_timeout_ms :
	    PG_CONNECT_TIMEOUT;
	pg->state_cb = state_cb;
	pg->arg = arg;
	pg->state = PG_IDLE;
	pg->backoff_ms = PG_BACKOFF_FIRST;
	pg->stmt_ms = PG_QUERY_TIMEOUT;
	pg->session_stmt = -1;
	TAILQ_INIT(&pg->queue);

	/* libpq's message may quote the string, password and all: dropped. */
	if ((pg->opts = PQconninfoParse(conninfo != NULL ? conninfo : "",
	    &errmsg)) == NULL)
		log_debug("pg: invalid connection string");
	PQfreemem(errmsg);
	if ((pw = pg_opt(pg, "password")) != NULL && *pw != '\0')
		pg->password = xstrdup(pw);

	uv_timer_init(loop, &pg->timer);
	pg->timer.data = pg;
	uv_timer_init(loop, &pg->tick);
	pg->tick.data = pg;
	pg->refs = 2;
	return (pg);
}

void
pg_start(struct pg *pg)
{
	if (pg->freeing || pg->state != PG_IDLE)
		return;
	/* From the loop, so no callback runs inside pg_start; queries wait
	 * for this first attempt. */
	pg->state = PG_STARTING;
	uv_timer_start(&pg->timer, pg_timer_cb, 0, 0);
}

void
pg_query(struct pg *pg, const char *sql, int nparams,
    const char *const *params, long timeout_ms, pg_done_cb done, void *arg)
{
	struct pg_query	*q;
	int		 i;

	if (pg->freeing)
		fatal("pg_query after pg_free");
	q = pg_query_new(PG_Q_USER, sql);
	if (nparams > 0) {
		q->params = xcalloc(nparams, sizeof *q->params);
		for (i = 0; i < nparams; i++) {
			if (params[i] != NULL)
				q->params[i] = xstrdup(params[i]);
		}
		q->nparams = nparams;
	}
	q->timeout_ms = timeout_ms > 0 ? timeout_ms : PG_QUERY_TIMEOUT;
	uv_update_time(pg->loop);
	q->deadline = uv_now(pg->loop) + q->timeout_ms;
	q->done = done;
	q->arg = arg;
	switch (pg->state) {
	case PG_IDLE:
	case PG_WAIT:
		q->error = xstrdup("not connected");
		break;
	case PG_BROKEN:
		q->error = xstrdup("not connected: invalid connection string");
		break;
	default:
		break;
	}
	TAILQ_INSERT_TAIL(&pg->queue, q, entry);
	/* Sent (or failed) from the tick: never a callback in here. */
	uv_timer_start(&pg->tick, pg_tick_cb, 0, 0);
}

const char *
pg_value(const struct pg_answer *a, int row, int col)
{
	const struct pg_answer_full	*af = (const struct pg_answer_full *)a;

	if (af->res == NULL || row < 0 || row >= a->nrows || col < 0 ||
	    col >= a->ncols)
		return (NULL);
	if (PQgetisnull(af->res, row, col))
		return (NULL);
	return (PQgetvalue(af->res, row, col));
}

int
pg_col(const struct pg_answer *a, const char *name)
{
	const struct pg_answer_full	*af = (const struct pg_answer_full *)a;
	const char			*f;
	int				 i;

	if (af->res == NULL)
		return (-1);
	/* Exactly the name: PQfnumber would fold case and strip quotes. */
	for (i = 0; i < a->ncols; i++) {
		if ((f = PQfname(af->res, i)) != NULL && strcmp(f, name) == 0)
			return (i);
	}
	return (-1);
}

int
pg_connected(const struct pg *pg)
{
	return (pg->state == PG_UP);
}

int
pg_server_version(const struct pg *pg)
{
	return (pg->version);
}

int
pg_backend_pid(const struct pg *pg)
{
	return (pg->state == PG_UP ? pg->pid : 0);
}

void
pg_free(struct pg *pg)
{
	if (pg == NULL || pg->freeing)
		return;
	pg->freeing = 1;
	if (pg->depth == 0)
		pg_teardown(pg);
}
