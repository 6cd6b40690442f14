/* net-redis.c: one Redis connection on the libuv loop, hiredis 0.14.1 async
 * underneath on our own loop glue (net-redis-uv.c), the host resolved
 * through the loop (net-conn.c), a timer for the connect, AUTH and SELECT
 * before "up", and reconnection with backoff from that timer. The commands
 * are net-redis-cmd.c's. */

#include <sys/types.h>
#include <sys/queue.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <hiredis/async.h>
#include <hiredis/hiredis.h>
#include <uv.h>

#include "net-conn.h"
#include "net-redis.h"
#include "net-redis-private.h"
#include "net-redis-uv.h"
#include "warroom.h"

#define REDIS_CONNECT_TIMEOUT	5000	/* ms, when 0 is given */
#define REDIS_MAX_ADDRS		8
#define REDIS_ERROR_MAX		512	/* a message, in bytes */

static void	redis_timer_cb(uv_timer_t *);
static void	redis_teardown(struct redis *);

static void
redis_unref(struct redis *r)
{
	if (--r->refs == 0 && r->torn)
		free(r);
}

static void
redis_handle_closed(uv_handle_t *handle)
{
	redis_unref(handle->data);
}

void
redis_leave(struct redis *r)
{
	if (--r->depth == 0 && r->freeing && !r->torn)
		redis_teardown(r);
}

/* A message for the model and the log: one line, capped, shown safely. */
char *
redis_text(const char *fmt, ...)
{
	char	 buf[REDIS_ERROR_MAX], *p;
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	for (p = buf; *p != '\0'; p++) {
		if (*p == '\r' || *p == '\n')
			*p = ' ';
	}
	return (sanitize(buf));
}

/* "address:port", or the socket's path, for messages. */
static const char *
redis_where(struct redis *r, const char *addr)
{
	static char	 buf[INET6_ADDRSTRLEN + 16];

	if (r->url.path != NULL)
		return (r->url.path);
	if (strchr(addr, ':') != NULL)
		snprintf(buf, sizeof buf, "[%s]:%d", addr, r->url.port);
	else
		snprintf(buf, sizeof buf, "%s:%d", addr, r->url.port);
	return (buf);
}

static void
redis_set_fail(struct redis *r, char *text)
{
	free(r->fail);
	r->fail = text;
}

static void	redis_up(struct redis *);

/* hiredis' callback for our own setup commands. */
void
redis_setup_reply(struct redis *r, redisAsyncContext *ac,
    struct redis_cmd *cmd, redisReply *reply)
{
	char	*text;

	if (reply == NULL || ac != r->ac || r->state != R_SETUP || r->freeing)
		return;
	if (reply->type == REDIS_REPLY_ERROR) {
		text = redis_text("%s failed: %.*s", cmd->setup,
		    (int)reply->len, reply->str);
		log_debug("redis: %s", text);
		redis_set_fail(r, text);
		/* No other address will take this password either. */
		net_conn_skip(&r->res);
		/* The context goes from the timer, not from in here. */
		r->state = R_FAILED;
		uv_timer_start(&r->timer, redis_timer_cb, 0, 0);
		return;
	}
	if (--r->setup_left == 0)
		redis_up(r);
}

/* --- the connection ------------------------------------------------------ */

/* Free the current context from outside hiredis: its pending commands are
 * answered with reason (or dropped after redis_free). */
void
redis_detach(struct redis *r, const char *reason)
{
	redisAsyncContext	*ac = r->ac;

	if (ac == NULL)
		return;
	if (r->conn != NULL) {
		free(r->conn->reason);
		r->conn->reason = xstrdup(reason);
	}
	r->ac = NULL;
	r->conn = NULL;
	redisAsyncFree(ac);
}

/* Connected and set up: what waited goes first, then the news. */
static void
redis_up(struct redis *r)
{
	struct redis_cmd	*cmd;

	r->state = R_UP;
	r->backoff_ms = NET_CONN_BACKOFF_FIRST;
	uv_timer_stop(&r->timer);
	log_debug("redis: up");
	TAILQ_FOREACH(cmd, &r->cmds, entry) {
		if (cmd->sent || cmd->error != NULL)
			continue;
		if (redis_send(r, cmd) != 0)
			cmd->error = xstrdup("cannot send the command");
	}
	if (r->state_cb != NULL)
		r->state_cb(r, 1, NULL, r->arg);
	redis_tick_arm(r);
}

/*
 * The attempt or the connection failed: no context any more, commands that
 * wait are failed, the news is told, and the timer tries again after the
 * backoff. Only from our own timers, never inside hiredis.
 */
static void
redis_down(struct redis *r, const char *why)
{
	struct redis_cmd	*cmd;
	char			*error;
	long			 delay;

	error = xstrdup(why != NULL ? why : "not connected");
	log_debug("redis: down: %s", error);
	redis_detach(r, error);
	net_conn_cancel(&r->res);
	r->state = R_WAIT;
	delay = net_conn_backoff(&r->backoff_ms);
	uv_timer_start(&r->timer, redis_timer_cb, delay, 0);

	while (!r->freeing) {
		TAILQ_FOREACH(cmd, &r->cmds, entry) {
			if (!cmd->sent && cmd->error == NULL)
				break;
		}
		if (cmd == NULL)
			break;
		redis_deliver(r, cmd, NULL, error);
		redis_cmd_free(cmd);
	}
	if (!r->freeing && r->state_cb != NULL)
		r->state_cb(r, 0, error, r->arg);
	free(error);
	redis_tick_arm(r);
}

/* One setup command; on failure the timer ends the attempt. */
static int
redis_setup_send(struct redis *r, const char *what, int argc,
    const char **argv)
{
	struct redis_cmd	*cmd;

	cmd = redis_cmd_new(r, argc, argv);
	cmd->setup = what;
	if (redis_send(r, cmd) != 0) {
		redis_cmd_free(cmd);
		redis_set_fail(r, redis_text("cannot send %s", what));
		r->state = R_FAILED;
		net_conn_skip(&r->res);
		uv_timer_start(&r->timer, redis_timer_cb, 0, 0);
		return (-1);
	}
	r->setup_left++;
	return (0);
}

static void
redis_on_connect(const redisAsyncContext *cac, int status)
{
	redisAsyncContext	*ac = (redisAsyncContext *)cac;
	struct redis_uv		*c = ac->data;
	struct redis		*r = c->arg;
	const char		*argv[3];
	char			 db[16];
	int			 argc;

	if (ac != r->ac || r->freeing)
		return;
	if (status != REDIS_OK) {
		/* hiredis frees the context when this returns. */
		redis_set_fail(r, redis_text("could not connect to %s: %s",
		    redis_where(r, r->cur->addr),
		    ac->c.errstr[0] != '\0' ? ac->c.errstr : "error"));
		log_debug("redis: %s", r->fail);
		r->ac = NULL;
		r->conn = NULL;
		r->state = R_FAILED;
		uv_timer_start(&r->timer, redis_timer_cb, 0, 0);
		return;
	}

	/* Before anyone hears "up": AUTH, SELECT, or at least a PING, so a
	 * server that takes connections but never answers is not up. */
	r->state = R_SETUP;
	r->setup_left = 0;
	if (r->url.password != NULL) {
		argc = 0;
		argv[argc++] = "AUTH";
		if (r->url.user != NULL)
			argv[argc++] = r->url.user;
		argv[argc++] = r->url.password;
		if (redis_setup_send(r, "AUTH", argc, argv) != 0)
			return;
	}
	if (r->url.db != 0) {
		snprintf(db, sizeof db, "%d", r->url.db);
		argv[0] = "SELECT";
		argv[1] = db;
		if (redis_setup_send(r, "SELECT", 2, argv) != 0)
			return;
	}
	if (r->setup_left == 0) {
		argv[0] = "PING";
		redis_setup_send(r, "PING", 1, argv);
	}
}

static void
redis_on_disconnect(const redisAsyncContext *cac, int status)
{
	redisAsyncContext	*ac = (redisAsyncContext *)cac;
	struct redis_uv		*c = ac->data;
	struct redis		*r = c->arg;

	(void)status;
	if (ac != r->ac || r->freeing)
		return;		/* one we dropped ourselves */
	/* hiredis frees the context when this returns; the rest is for the
	 * timer, outside hiredis. */
	if (ac->c.err != 0)
		redis_set_fail(r, redis_text("connection lost: %s",
		    ac->c.errstr));
	else
		redis_set_fail(r, redis_text("connection closed"));
	log_debug("redis: %s", r->fail);
	r->ac = NULL;
	r->conn = NULL;
	net_conn_skip(&r->res);
	r->state = R_FAILED;
	uv_timer_start(&r->timer, redis_timer_cb, 0, 0);
}

static void
redis_enter(void *arg)
{
	struct redis	*r = arg;

	r->depth++;
}

static void
redis_leave_cb(void *arg)
{
	redis_leave(arg);
}

static void
redis_closed(void *arg)
{
	redis_unref(arg);
}

static const struct redis_uv_ops redis_uv_ops = {
	.enter = redis_enter,
	.leave = redis_leave_cb,
	.closed = redis_closed
};

/* Put hiredis on our loop, the glue's handle one more reference. */
static int
redis_attach(struct redis *r, redisAsyncContext *ac)
{
	struct redis_uv	*c;
	int		 error;

	if ((error = redis_uv_attach(r->loop, ac, &redis_uv_ops, r, &c)) != 0)
		return (error);
	r->refs++;
	ac->data = c;
	redisAsyncSetConnectCallback(ac, redis_on_connect);
	redisAsyncSetDisconnectCallback(ac, redis_on_disconnect);
	r->ac = ac;
	r->conn = c;
	return (0);
}

/* Connect to the next address; when none is left, the attempt failed. */
static void
redis_connect_next(struct redis *r)
{
	redisAsyncContext	*ac;
	const char		*where;
	int			 error;

	while ((r->cur = net_conn_next(&r->res)) != NULL) {
		where = r->cur->addr;
		if (r->url.path != NULL)
			ac = redisAsyncConnectUnix(r->url.path);
		else
			ac = redisAsyncConnect(where, r->url.port);
		if (ac == NULL)
			fatal("redisAsyncConnect: out of memory");
		if (ac->err != 0) {
			redis_set_fail(r, redis_text("could not connect to "
			    "%s: %s", redis_where(r, where), ac->c.errstr));
			redisAsyncFree(ac);
			continue;
		}
		if ((error = redis_attach(r, ac)) != 0) {
			redis_set_fail(r, redis_text("cannot watch the socket: "
			    "%s", uv_strerror(error)));
			redisAsyncFree(ac);
			continue;
		}
		log_debug("redis: connecting to %s", redis_where(r, where));
		r->state = R_CONNECTING;
		uv_timer_start(&r->timer, redis_timer_cb, r->connect_timeout_ms,
		    0);
		return;
	}
	redis_down(r, r->fail);
}

/* Every name had its turn: connect to what was found. */
static void
redis_resolved(void *arg)
{
	struct redis	*r = arg;

	r->depth++;
	if (r->res.naddrs == 0) {
		if (r->res.error != NULL)
			redis_set_fail(r, redis_text("%s", r->res.error));
		else
			redis_set_fail(r, redis_text("could not resolve \"%s\": "
			    "no address", r->url.host));
		redis_down(r, r->fail);
	} else
		redis_connect_next(r);
	redis_leave(r);
}

/* A new attempt: a new context for each address, after resolving the name
 * through the loop (redisAsyncConnect would block on it). */
void
redis_attempt(struct redis *r)
{
	char	**hosts;

	redis_detach(r, "connection dropped");
	net_conn_resolver_clear(&r->res);
	redis_set_fail(r, NULL);
	hosts = xcalloc(1, sizeof *hosts);
	hosts[0] = xstrdup(r->url.path != NULL ? r->url.path : r->url.host);
	r->state = R_RESOLVING;
	uv_timer_start(&r->timer, redis_timer_cb, r->connect_timeout_ms, 0);
	net_conn_resolve(&r->res, hosts, NULL, 1, redis_resolved, r);
}

/* The one timer of the connection: backoff over, connect timed out, or
 * work left by a hiredis callback. */
static void
redis_timer_cb(uv_timer_t *timer)
{
	struct redis	*r = timer->data;
	char		*text;

	if (r->torn)
		return;
	r->depth++;
	switch (r->state) {
	case R_STARTING:
	case R_WAIT:
		redis_attempt(r);
		break;
	case R_FAILED:
		redis_detach(r, r->fail != NULL ? r->fail : "connection failed");
		if (net_conn_left(&r->res))
			redis_connect_next(r);
		else
			redis_down(r, r->fail);
		break;
	case R_RESOLVING:
	case R_CONNECTING:
	case R_SETUP:
		text = redis_text("timed out connecting to %s after %ld ms",
		    r->url.path != NULL ? r->url.path : r->url.host, r->connect_timeout_ms);
		redis_set_fail(r, text);
		redis_detach(r, text);
		if (r->state == R_CONNECTING && net_conn_left(&r->res))
			redis_connect_next(r);
		else
			redis_down(r, r->fail);
		break;
	default:
		break;
	}
	redis_leave(r);
}

static void
redis_teardown(struct redis *r)
{
	struct redis_cmd	*cmd;

	r->torn = 1;
	/* hiredis calls every pending callback with NULL: ours drop them. */
	redis_detach(r, "closed");
	while ((cmd = TAILQ_FIRST(&r->cmds)) != NULL)
		redis_cmd_free(cmd);
	net_conn_resolver_free(&r->res);
	redis_set_fail(r, NULL);
	uv_timer_stop(&r->timer);
	uv_timer_stop(&r->tick);
	uv_close((uv_handle_t *)&r->timer, redis_handle_closed);
	uv_close((uv_handle_t *)&r->tick, redis_handle_closed);
	redis_url_free(&r->url);
	log_debug("redis: closed");
}

/* --- the interface ------------------------------------------------------- */

struct redis *
redis_create(uv_loop_t *loop, const char *url, long connect_timeout_ms,
    redis_state_cb state_cb, void *arg, char **cause)
{
	struct redis	*r;

	r = xcalloc(1, sizeof *r);
	if (redis_url_parse(&r->url, url, cause) != 0) {
		redis_url_free(&r->url);
		free(r);
		return (NULL);
	}
	r->loop = loop;
	r->connect_timeout_ms = net_conn_ms(connect_timeout_ms,
	    REDIS_CONNECT_TIMEOUT);
	r->state_cb = state_cb;
	r->arg = arg;
	r->state = R_IDLE;
	r->backoff_ms = NET_CONN_BACKOFF_FIRST;
	TAILQ_INIT(&r->cmds);
	net_conn_resolver_init(&r->res, loop, REDIS_MAX_ADDRS);
	uv_timer_init(loop, &r->timer);
	r->timer.data = r;
	uv_timer_init(loop, &r->tick);
	r->tick.data = r;
	r->refs = 2;
	return (r);
}

void
redis_start(struct redis *r)
{
	if (r->freeing || r->state != R_IDLE)
		return;
	/* From the loop, so no callback runs inside redis_start; commands
	 * wait for this first attempt. */
	r->state = R_STARTING;
	uv_timer_start(&r->timer, redis_timer_cb, 0, 0);
}

int
redis_connected(const struct redis *r)
{
	return (r->state == R_UP);
}

void
redis_free(struct redis *r)
{
	if (r == NULL || r->freeing)
		return;
	r->freeing = 1;
	if (r->depth == 0)
		redis_teardown(r);
}
