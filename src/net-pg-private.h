/* net-pg-private.h: what the connection (net-pg.c) and its query queue
 * (net-pg-query.c) share: the connection's state and the queries. */
#ifndef WARROOM_NET_PG_PRIVATE_H
#define WARROOM_NET_PG_PRIVATE_H

#include <sys/queue.h>

#include <stdint.h>

#include <libpq-fe.h>
#include <uv.h>

#include "net-conn.h"
#include "net-pg.h"

#define PG_STMT_SLACK		500	/* statement_timeout past our own timer */

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

struct pg {
	uv_loop_t		*loop;
	PQconninfoOption	*opts;		/* parsed conninfo; NULL if bad */
	char			*password;	/* scrubbed from every message */
	long			 connect_timeout_ms;
	pg_state_cb		 state_cb;
	void			*arg;

	enum pg_state		 state;
	PGconn			*conn;
	struct pg_poll		*poll;
	int			 events;	/* what poll watches now */
	int			 flushing;	/* PQflush said 1 */
	struct net_conn_resolver res;		/* this attempt's hosts, and
						 * what they resolved to */
	uv_timer_t		 timer;		/* backoff, or connect timeout */
	uv_timer_t		 tick;		/* deadlines, deferred failures */
	long			 backoff_ms;

	struct pg_queries	 queue;		/* the head may be busy */
	struct pg_query		*busy;		/* in flight */
	long			 session_stmt;	/* this session's statement_timeout */
	long			 stmt_ms;	/* for the next session */
	int			 version;
	int			 pid;

	int			 depth;		/* inside our callbacks */
	int			 freeing;	/* pg_free was called */
	int			 torn;		/* closed; memory waits for refs */
	int			 refs;		/* handles open */
};

/* net-pg.c: the connection. */
/* Leaving one of our callbacks: a pg_free from inside runs now. */
void	 pg_leave(struct pg *);
/* The text of msg for the model and the log: one line, never the
 * password, control bytes shown. The caller frees it. */
char	*pg_error(const struct pg *, const char *msg);
/* Down (fail what waits, back off) or dropped by us (connect again now,
 * the queries wait); connected and set up. */
void	 pg_down(struct pg *, const char *why);
void	 pg_drop(struct pg *, const char *why);
void	 pg_up(struct pg *);
/* Change what the connected socket is watched for. */
void	 pg_events(struct pg *, int events);

/* net-pg-query.c: the queries. */
struct pg_query *pg_query_new(enum pg_kind, const char *sql);
void	 pg_query_free(struct pg_query *);
/* Hand the answer (error, or q's own) to q's callback; the caller frees q. */
void	 pg_deliver(struct pg *, struct pg_query *, const char *error);
/* Send q now; send the next one if none is in flight. */
void	 pg_send(struct pg *, struct pg_query *);
void	 pg_send_next(struct pg *);
/* Arm the tick for the next deadline, or now for failures to hand out. */
void	 pg_tick_arm(struct pg *);
/* The connected socket is ready (or in error). */
void	 pg_io(struct pg *, int status, int events);

#endif
