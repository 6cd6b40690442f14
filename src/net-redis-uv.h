/* net-redis-uv.h: hiredis' event-loop glue for libuv, our own as hiredis
 * keeps adapters/libuv.h: one uv_poll per context, driven by hiredis' hooks;
 * unlike hiredis 0.14.1's adapter it still calls hiredis when the socket is
 * in error, so that a refused connect is reported, not swallowed. */
#ifndef WARROOM_NET_REDIS_UV_H
#define WARROOM_NET_REDIS_UV_H

#include <uv.h>

struct redisAsyncContext;

/* The owner's hooks, each given the arg of redis_uv_attach. */
struct redis_uv_ops {
	void	(*enter)(void *);	/* the loop is about to call hiredis */
	void	(*leave)(void *);	/* and is done (the context may be
					 * gone) */
	void	(*closed)(void *);	/* the glue's memory is gone */
};

/* The glue of one context. */
struct redis_uv {
	uv_poll_t		 poll;
	struct redisAsyncContext *ac;		/* NULL after hiredis' cleanup */
	int			 events;	/* what poll watches */
	const struct redis_uv_ops *ops;
	void			*arg;
	char			*reason;	/* the owner's: why it dropped
						 * the context; owned, freed
						 * with the glue */
};

/*
 * Put ac on loop: its fd is watched for writable at once (the connect's
 * outcome shows so), then as hiredis asks. ac->data is left to the caller.
 * Returns 0 and the glue in *out, or a libuv error (ac untouched). The
 * glue's memory goes in the poll's close callback, after hiredis has called
 * its cleanup hook (freeing the context); ops->closed(arg) comes then.
 */
int	 redis_uv_attach(uv_loop_t *, struct redisAsyncContext *,
	    const struct redis_uv_ops *, void *arg, struct redis_uv **out);

#endif
