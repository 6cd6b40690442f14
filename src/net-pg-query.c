/* net-pg-query.c: the queries of one PostgreSQL connection: a queue with
 * one query in flight, statement_timeout kept to each query's own timeout,
 * the results taken as libpq has them whole, and a tick for the deadlines
 * and the failures decided outside a callback. */

#include <sys/types.h>
#include <sys/queue.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>
#include <uv.h>

#include "net-conn.h"
#include "net-pg.h"
#include "net-pg-private.h"
#include "warroom.h"

#define PG_QUERY_TIMEOUT	30000	/* ms, when 0 is given */

/* What a done callback gets: the answer first, so pg_value finds res. */
struct pg_answer_full {
	struct pg_answer	 a;
	PGresult		*res;
};

static void	pg_tick_cb(uv_timer_t *);

void
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

struct pg_query *
pg_query_new(enum pg_kind kind, const char *sql)
{
	struct pg_query	*q;

	q = xcalloc(1, sizeof *q);
	q->kind = kind;
	q->sql = xstrdup(sql);
	return (q);
}

/* Hand the answer to the query's callback; the caller frees q. */
void
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

/* Arm the tick for the next deadline, or now for failures to hand out. */
void
pg_tick_arm(struct pg *pg)
{
	struct pg_query		*q;
	struct net_conn_due	 due;

	if (pg->freeing)
		return;
	net_conn_due_init(&due, pg->loop);
	TAILQ_FOREACH(q, &pg->queue, entry) {
		if (q->error != NULL && q != pg->busy) {
			net_conn_due_add(&due, due.now);
			break;
		}
		if (q->deadline != 0)
			net_conn_due_add(&due, q->deadline);
	}
	net_conn_due_arm(&due, &pg->tick, pg_tick_cb);
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

void
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

/*
 * Send the next query if none is in flight. statement_timeout follows the
 * query's own timeout, a little later than our timer, so that a query we
 * gave up on (and whose connection we dropped) also dies in the server.
 */
void
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
void
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
	q->timeout_ms = net_conn_ms(timeout_ms, PG_QUERY_TIMEOUT);
	q->deadline = net_conn_deadline(pg->loop, q->timeout_ms);
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
