/* net-pg.h: one PostgreSQL connection on the libuv loop (async libpq):
 * the host resolved through the loop and given as hostaddr, a connect
 * timeout, the socket watched afresh after every PQconnectPoll (it may
 * change), one query in flight and the others queued, a timeout per query,
 * and reconnection with backoff. Nothing here blocks. */
#ifndef WARROOM_NET_PG_H
#define WARROOM_NET_PG_H

struct uv_loop_s;
struct pg;

/* A query's answer, valid only during the callback. */
struct pg_answer {
	int		 ok;		/* 1: the query ran (rows, maybe 0) */
	const char	*error;		/* one line, or NULL; never holds the
					 * conninfo or its password */
	const char	*sqlstate;	/* "42501", or NULL */
	int		 nrows;
	int		 ncols;
};

/* The value at row, col as text, or NULL for SQL NULL (or out of range);
 * the index of a column by name, or -1. */
const char *pg_value(const struct pg_answer *, int row, int col);
int	 pg_col(const struct pg_answer *, const char *name);

typedef void (*pg_done_cb)(struct pg *, const struct pg_answer *, void *arg);
/* Connection state changes: up = 1 when connected (and set up), 0 when
 * lost or failed, with the error. */
typedef void (*pg_state_cb)(struct pg *, int up, const char *error,
    void *arg);

/*
 * A connection to conninfo (key=value pairs or a postgresql:// URI; copied,
 * never logged). connect_timeout_ms bounds each attempt. Nothing happens
 * until pg_start. The session gets statement_timeout = its query timeout
 * and application_name = warroom unless the conninfo says otherwise.
 */
struct pg	*pg_create(struct uv_loop_s *, const char *conninfo,
		    long connect_timeout_ms, pg_state_cb, void *arg);
void		 pg_start(struct pg *);
/* Why the conninfo would let the password and the queries cross a network
 * in clear text (TCP to a host not this machine, sslmode disable, allow or
 * prefer, libpq's default), as a new string; NULL if it would not. */
char		*pg_cleartext(const char *conninfo);
/*
 * Queue a query with text parameters ($1...; copied). done is called
 * exactly once unless pg_free comes first: with the rows, or with an error
 * (not connected, timed out after timeout_ms, the server's error). A
 * timed-out query costs the connection, which is made again.
 */
void		 pg_query(struct pg *, const char *sql, int nparams,
		    const char *const *params, long timeout_ms, pg_done_cb,
		    void *arg);
/* Connected now; the server's version (150004), 0 if not known yet. */
int		 pg_connected(const struct pg *);
int		 pg_server_version(const struct pg *);
/* The backend pid of this connection (to leave it out), 0 if none. */
int		 pg_backend_pid(const struct pg *);
/* Close and free; pending callbacks are not called. The memory goes once
 * the loop has run the close callbacks. */
void		 pg_free(struct pg *);

#endif
