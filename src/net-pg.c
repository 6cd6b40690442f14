/* net-pg.c: one PostgreSQL connection on the libuv loop with async libpq:
 * host names resolved through the loop (net-conn.c) and handed to libpq as
 * hostaddr, a fresh uv_poll after every PQconnectPoll, a timer for the
 * connect, reconnection with backoff. The queries are net-pg-query.c's. */

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

#define PG_CONNECT_TIMEOUT	10000	/* ms, when 0 is given */
#define PG_QUERY_TIMEOUT	30000	/* ms, when 0 is given */
#define PG_MAX_ADDRS		16	/* host, hostaddr pairs given to libpq */
#define PG_ERROR_MAX		512	/* an error line, in bytes */

static void	pg_attempt(struct pg *);
static void	pg_timer_cb(uv_timer_t *);
static void	pg_poll_cb(uv_poll_t *, int, int);
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

void
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

char *
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
	net_conn_cancel(&pg->res);
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

/*
 * The connection is down or the attempt failed: fail every query waiting
 * (not after a pg_free from a callback), say so, and try again after the
 * backoff. why is libpq's or our text; it is cleaned here.
 */
void
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
	delay = net_conn_backoff(&pg->backoff_ms);
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
void
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
void
pg_events(struct pg *pg, int events)
{
	if (pg->poll == NULL || pg->events == events)
		return;
	pg->events = events;
	uv_poll_start(&pg->poll->handle, events, pg_poll_cb);
}

/* Connected and set up: say so, then send what waits. */
void
pg_up(struct pg *pg)
{
	pg->state = PG_UP;
	pg->backoff_ms = NET_CONN_BACKOFF_FIRST;
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

/* A comma-separated list of the addresses' hosts (0), addresses (1) or
 * ports (2). */
static char *
pg_join(const struct net_conn_resolver *res, int which)
{
	const struct net_conn_addr	*a;
	const char			*v;
	char				*s = xstrdup(""), *t;
	int				 i;

	for (i = 0; i < res->naddrs; i++) {
		a = &res->addrs[i];
		v = which == 0 ? a->host : which == 1 ? a->addr : a->port;
		xasprintf(&t, "%s%s%s", s, i > 0 ? "," : "",
		    v != NULL ? v : "");
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
		if (pg->res.hosts != NULL && (strcmp(o->keyword, "host") == 0 ||
		    strcmp(o->keyword, "hostaddr") == 0 ||
		    (pg->res.ports != NULL && strcmp(o->keyword, "port") == 0)))
			continue;
		kw[n] = o->keyword;
		val[n++] = o->val;
	}
	if (pg->res.hosts != NULL) {
		for (i = 0; i < pg->res.naddrs; i++) {
			if (pg->res.addrs[i].addr[0] != '\0')
				any_addr = 1;
			if (pg->res.addrs[i].port != NULL)
				any_port = 1;
		}
		host = pg_join(&pg->res, 0);
		kw[n] = "host";
		val[n++] = host;
		if (any_addr) {
			addr = pg_join(&pg->res, 1);
			kw[n] = "hostaddr";
			val[n++] = addr;
		}
		if (any_port) {
			port = pg_join(&pg->res, 2);
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

/* Every host has had its turn: connect to what was found. */
static void
pg_resolved(void *arg)
{
	struct pg	*pg = arg;

	pg->depth++;
	if (pg->res.naddrs == 0)
		pg_down(pg, pg->res.error != NULL ? pg->res.error :
		    "no host to connect to");
	else
		pg_connect(pg);
	pg_leave(pg);
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
	char		**hv, **pv;
	int		 nh, np, i;

	pg_close_conn(pg);
	net_conn_resolver_clear(&pg->res);
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
	nh = pg_split(hosts, &hv);
	pv = NULL;
	if ((ports = pg_opt(pg, "port")) != NULL && *ports != '\0') {
		np = pg_split(ports, &pv);
		if (np != nh || np < 2) {
			for (i = 0; i < np; i++)
				free(pv[i]);
			free(pv);
			pv = NULL;
		}
	}
	log_debug("pg: connecting (%d host%s)", nh, nh == 1 ? "" : "s");
	net_conn_resolve(&pg->res, hv, pv, nh, pg_resolved, pg);
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

static void
pg_teardown(struct pg *pg)
{
	struct pg_query	*q;

	pg->torn = 1;
	pg_close_conn(pg);
	net_conn_resolver_free(&pg->res);
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
	pg->connect_timeout_ms = net_conn_ms(connect_timeout_ms,
	    PG_CONNECT_TIMEOUT);
	pg->state_cb = state_cb;
	pg->arg = arg;
	pg->state = PG_IDLE;
	pg->backoff_ms = NET_CONN_BACKOFF_FIRST;
	pg->stmt_ms = PG_QUERY_TIMEOUT;
	pg->session_stmt = -1;
	TAILQ_INIT(&pg->queue);
	net_conn_resolver_init(&pg->res, loop, PG_MAX_ADDRS);

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

char *
pg_cleartext(const char *conninfo)
{
	PQconninfoOption	*opts, *o;
	const char		*host = NULL, *addr = NULL, *mode = NULL, *h;
	char			*err = NULL, *s = NULL;
	size_t			 len;
	int			 remote = 0;

	if ((opts = PQconninfoParse(conninfo, &err)) == NULL) {
		PQfreemem(err);
		return NULL;
	}
	for (o = opts; o->keyword != NULL; o++) {
		if (strcmp(o->keyword, "host") == 0)
			host = o->val;
		else if (strcmp(o->keyword, "hostaddr") == 0)
			addr = o->val;
		else if (strcmp(o->keyword, "sslmode") == 0)
			mode = o->val;
	}
	if (addr != NULL && *addr != '\0')
		host = addr;
	if (host == NULL || *host == '\0')
		host = getenv("PGHOST");
	if (mode == NULL || *mode == '\0')
		mode = getenv("PGSSLMODE");
	/* Each host of a list; a path or "@name" is a Unix socket. */
	for (h = host; h != NULL && *h != '\0'; h += len + (h[len] == ',')) {
		len = strcspn(h, ",");
		if (len > 0 && *h != '/' && *h != '@' &&
		    !net_conn_host_local(h, len))
			remote = 1;
	}
	if (remote && (mode == NULL || *mode == '\0' ||
	    strcmp(mode, "disable") == 0 || strcmp(mode, "allow") == 0 ||
	    strcmp(mode, "prefer") == 0)) {
		xasprintf(&s, "postgres: sslmode=%s%s lets the password and "
		    "queries go to %s in clear text; set sslmode=require or "
		    "verify-full", mode != NULL && *mode != '\0' ? mode :
		    "prefer", mode != NULL && *mode != '\0' ? "" :
		    " (libpq's default)", host);
	}
	PQconninfoFree(opts);
	return s;
}
