/* net-redis.h: one Redis connection on the libuv loop (hiredis async, with
 * our own libuv glue that reports a refused or failed connection instead
 * of swallowing it): the host resolved through the loop, AUTH and SELECT
 * from the URL, a timeout per command, reconnection with backoff. */
#ifndef WARROOM_NET_REDIS_H
#define WARROOM_NET_REDIS_H

#include <stddef.h>

struct uv_loop_s;
struct redis;

enum redis_type {
	REDIS_T_STRING,			/* bulk string */
	REDIS_T_STATUS,			/* +OK */
	REDIS_T_ERROR,			/* -ERR ...: the command failed */
	REDIS_T_INTEGER,
	REDIS_T_NIL,
	REDIS_T_ARRAY
};

/* A reply, copied out of hiredis: valid only during the callback. */
struct redis_reply {
	enum redis_type	 type;
	long long	 integer;
	const char	*str;		/* STRING, STATUS, ERROR: NUL-terminated */
	size_t		 len;		/* (may hold NULs before len) */
	struct redis_reply *element;	/* ARRAY */
	size_t		 elements;
};

/* reply is NULL when the command did not get an answer (not connected,
 * timed out, connection lost); error says why. */
typedef void (*redis_done_cb)(struct redis *, const struct redis_reply *,
    const char *error, void *arg);
typedef void (*redis_state_cb)(struct redis *, int up, const char *error,
    void *arg);

/*
 * A connection to url: redis://[[user]:password@]host[:port][/db], or an
 * absolute path to a unix socket. NULL and a new *cause if the URL is bad.
 * The password is never logged.
 */
struct redis	*redis_create(struct uv_loop_s *, const char *url,
		    long connect_timeout_ms, redis_state_cb, void *arg,
		    char **cause);
void		 redis_start(struct redis *);
/* Send argv (copied) as one command; done is called exactly once unless
 * redis_free comes first. */
void		 redis_command(struct redis *, long timeout_ms, redis_done_cb,
		    void *arg, int argc, const char *const *argv);
int		 redis_connected(const struct redis *);
void		 redis_free(struct redis *);

#endif
