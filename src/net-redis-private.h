/* net-redis-private.h: what the connection (net-redis.c), its commands
 * (net-redis-cmd.c), the URL (net-redis-url.c) and the copy of a reply
 * (net-redis-reply.c) share. */
#ifndef WARROOM_NET_REDIS_PRIVATE_H
#define WARROOM_NET_REDIS_PRIVATE_H

#include <sys/queue.h>

#include <stdint.h>

#include <uv.h>

#include "net-conn.h"
#include "net-redis.h"
#include "warroom.h"

#define REDIS_REPLY_MAX		(64 * 1024 * 1024) /* a copied reply, bytes */

/* What a Redis URL says. */
struct redis_url {
	char		*host;		/* or */
	char		*path;		/* a unix socket */
	int		 port;
	char		*user;
	char		*password;	/* never logged */
	int		 db;
};

/*
 * Parse redis://[[user]:password@]host[:port][/db] or /path/to/socket into
 * u, which must be zeroed. 0, or -1 and a new *cause, which never quotes
 * the URL: it may hold the password. Either way u's strings are the
 * caller's, to release with redis_url_free.
 */
int	 redis_url_parse(struct redis_url *u, const char *url, char **cause);
/* Free u's strings, the password wiped first. */
void	 redis_url_free(struct redis_url *u);

struct redisAsyncContext;
struct redisReply;
struct redis_uv;

enum redis_state {
	R_IDLE,			/* not started */
	R_STARTING,		/* started; the timer makes the first attempt */
	R_WAIT,			/* down; the timer starts the next attempt */
	R_RESOLVING,
	R_CONNECTING,		/* TCP or unix connect */
	R_SETUP,		/* AUTH, SELECT (or PING) */
	R_UP,
	R_FAILED		/* the timer tries the next address, or
				 * says the attempt or connection failed */
};

struct redis_cmd {
	TAILQ_ENTRY(redis_cmd)	 entry;		/* on r->cmds while linked */
	struct redis		*r;
	int			 linked;
	const char		*setup;		/* ours: "AUTH", "SELECT", "PING" */
	int			 sent;		/* hiredis holds it now */
	int			 argc;
	char			**argv;
	size_t			*argvlen;
	long			 timeout_ms;
	uint64_t		 deadline;	/* uv_now() ms */
	char			*error;		/* failed before it was sent */
	redis_done_cb		 done;		/* NULL once answered */
	void			*arg;
};
TAILQ_HEAD(redis_cmds, redis_cmd);

struct redis {
	uv_loop_t		*loop;
	struct redis_url	 url;
	long			 connect_timeout_ms;
	redis_state_cb		 state_cb;
	void			*arg;

	enum redis_state	 state;
	struct redisAsyncContext *ac;		/* the current context */
	struct redis_uv		*conn;		/* its loop glue */
	uv_timer_t		 timer;		/* backoff, connect timeout,
						 * work after hiredis returns */
	uv_timer_t		 tick;		/* deadlines, deferred failures */
	long			 backoff_ms;
	struct net_conn_resolver res;		/* the addresses to try */
	const struct net_conn_addr *cur;	/* the one tried now */
	char			*fail;		/* why the attempt failed */
	int			 setup_left;	/* replies before "up" */

	struct redis_cmds	 cmds;		/* not answered yet */
	int			 depth;
	int			 freeing;
	int			 torn;
	int			 refs;
};

/* net-redis.c: the connection. */
/* Leaving one of our callbacks: a redis_free from inside runs now. */
void	 redis_leave(struct redis *);
/* A message for the model and the log: one line, capped, shown safely; a
 * new string. */
char	*redis_text(const char *, ...) WARROOM_PRINTF(1, 2);
/* The answer to one of our setup commands (AUTH, SELECT, PING). */
void	 redis_setup_reply(struct redis *, struct redisAsyncContext *,
	    struct redis_cmd *, struct redisReply *);
/* Free the current context from outside hiredis: its pending commands
 * are answered with reason (or dropped after redis_free). */
void	 redis_detach(struct redis *, const char *reason);
/* A new attempt: resolve, then a context for each address in turn. */
void	 redis_attempt(struct redis *);

/* net-redis-cmd.c: the commands. */
/* A command with a copy of argv, not on the list yet; freed (and taken
 * off the list) by redis_cmd_free. */
struct redis_cmd *redis_cmd_new(struct redis *, int argc,
	    const char *const *argv);
void	 redis_cmd_free(struct redis_cmd *);
/* Hand cmd to hiredis (0), or -1 when there is no context or it refused. */
int	 redis_send(struct redis *, struct redis_cmd *);
/* Answer cmd (at most once), taking it off the list. */
void	 redis_deliver(struct redis *, struct redis_cmd *,
	    const struct redis_reply *, const char *error);
/* Arm the tick for the next deadline, or now for failures to hand out. */
void	 redis_tick_arm(struct redis *);

/* The whole reply in one block the caller frees; NULL if over
 * REDIS_REPLY_MAX. */
struct redis_reply *redis_reply_copy(const struct redisReply *);

#endif
