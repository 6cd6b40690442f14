/* net-redis-uv.c: hiredis' event-loop glue for libuv: the addRead, delRead,
 * addWrite, delWrite and cleanup hooks on one uv_poll per context, whose
 * memory goes only in its close callback. */

#include <stdlib.h>

#include <hiredis/async.h>
#include <hiredis/hiredis.h>
#include <uv.h>

#include "net-redis-uv.h"
#include "warroom.h"

static void	redis_uv_poll_cb(uv_poll_t *, int, int);

static void
redis_uv_closed(uv_handle_t *handle)
{
	struct redis_uv	*c = handle->data;
	const struct redis_uv_ops *ops = c->ops;
	void		*arg = c->arg;

	free(c->reason);
	free(c);
	ops->closed(arg);
}

static void
redis_uv_update(struct redis_uv *c, int add, int del)
{
	int	 events = (c->events | add) & ~del;

	if (c->ac == NULL || events == c->events)
		return;
	c->events = events;
	if (events == 0)
		uv_poll_stop(&c->poll);
	else
		uv_poll_start(&c->poll, events, redis_uv_poll_cb);
}

static void
redis_uv_add_read(void *arg)
{
	redis_uv_update(arg, UV_READABLE, 0);
}

static void
redis_uv_del_read(void *arg)
{
	redis_uv_update(arg, 0, UV_READABLE);
}

static void
redis_uv_add_write(void *arg)
{
	redis_uv_update(arg, UV_WRITABLE, 0);
}

static void
redis_uv_del_write(void *arg)
{
	redis_uv_update(arg, 0, UV_WRITABLE);
}

/* hiredis is freeing the context and closes the fd next: stop watching it
 * now, so a new socket with the same number can be watched at once. */
static void
redis_uv_cleanup(void *arg)
{
	struct redis_uv	*c = arg;

	c->ac = NULL;
	uv_poll_stop(&c->poll);
	uv_close((uv_handle_t *)&c->poll, redis_uv_closed);
}

/*
 * The socket is ready, or in error. On an error libuv has stopped the
 * handle and gives no events; hiredis must still be called for what it
 * waited for, or a refused connect goes unnoticed (0.14.1's own adapter
 * returns there). The context may be freed by either call.
 */
static void
redis_uv_poll_cb(uv_poll_t *handle, int status, int events)
{
	struct redis_uv	*c = handle->data;
	const struct redis_uv_ops *ops = c->ops;
	void		*arg = c->arg;

	if (c->ac == NULL)
		return;
	if (status < 0) {
		events = c->events != 0 ? c->events : UV_READABLE;
		c->events = 0;
	}
	ops->enter(arg);
	if ((events & UV_WRITABLE) && c->ac != NULL)
		redisAsyncHandleWrite(c->ac);
	if ((events & UV_READABLE) && c->ac != NULL)
		redisAsyncHandleRead(c->ac);
	ops->leave(arg);
}

int
redis_uv_attach(uv_loop_t *loop, redisAsyncContext *ac,
    const struct redis_uv_ops *ops, void *arg, struct redis_uv **out)
{
	struct redis_uv	*c;
	int		 error;

	c = xcalloc(1, sizeof *c);
	if ((error = uv_poll_init_socket(loop, &c->poll, ac->c.fd)) != 0) {
		free(c);
		return error;
	}
	c->poll.data = c;
	c->ac = ac;
	c->ops = ops;
	c->arg = arg;
	ac->ev.data = c;
	ac->ev.addRead = redis_uv_add_read;
	ac->ev.delRead = redis_uv_del_read;
	ac->ev.addWrite = redis_uv_add_write;
	ac->ev.delWrite = redis_uv_del_write;
	ac->ev.cleanup = redis_uv_cleanup;
	redis_uv_update(c, UV_WRITABLE, 0);
	*out = c;
	return 0;
}
