/* net-redis.c: one Redis connection on the libuv loop, hiredis 0.14.1 async
 * underneath with our own small loop glue (a uv_poll per context that still
 * hands hiredis the events when the socket is in error, so a refused connect
 * is reported), timers for the connect and the commands, AUTH and SELECT
 * before "up", and reconnection with backoff from a timer. */

#include <sys/types.h>
#include <sys/queue.h>
#include <sys/socket.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <ctype.h>
#include <limits.h>
#include <netdb.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <hiredis/async.h>
#include <hiredis/hiredis.h>
#include <uv.h>

#include "net-redis.h"
#include "warroom.h"

#define REDIS_BACKOFF_FIRST	500	/* ms, doubled after every failure */
#define REDIS_BACKOFF_MAX	30000
#define REDIS_CONNECT_TIMEOUT	5000	/* ms, when 0 is given */
#define REDIS_COMMAND_TIMEOUT	10000	/* ms, when 0 is given */
#define REDIS_DEFAULT_PORT	6379
#define REDIS_MAX_ADDRS		8
#define REDIS_REPLY_MAX		(64 * 1024 * 1024) /* a copied reply, bytes */
#define REDIS_ERROR_MAX		512

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

/* The loop glue of one hiredis context; freed in the poll's close
 * callback, which comes after hiredis is done with the context. */
struct redis_conn {
	uv_poll_t		 poll;
	struct redis		*r;
	redisAsyncContext	*ac;		/* NULL after hiredis' cleanup */
	int			 events;
	char			*reason;	/* why we dropped it, if we did */
};

struct redis_gai {
	uv_getaddrinfo_t	 req;
	struct redis		*r;
	unsigned		 gen;
};

struct redis {
	uv_loop_t		*loop;
	char			*host;		/* or */
	char			*path;		/* a unix socket */
	int			 port;
	char			*user;
	char			*password;	/* never logged */
	int			 db;
	long			 connect_timeout_ms;
	redis_state_cb		 state_cb;
	void			*arg;

	enum redis_state	 state;
	unsigned		 gen;
	redisAsyncContext	*ac;		/* the current context */
	struct redis_conn	*conn;
	struct redis_gai	*gai;
	uv_timer_t		 timer;		/* backoff, connect timeout,
						 * work after hiredis returns */
	uv_timer_t		 tick;		/* deadlines, deferred failures */
	long			 backoff_ms;
	char			*addrs[REDIS_MAX_ADDRS];
	int			 naddrs;
	int			 addr_i;	/* the next to try */
	char			*fail;		/* why the attempt failed */
	int			 setup_left;	/* replies before "up" */

	struct redis_cmds	 cmds;		/* not answered yet */
	int			 depth;
	int			 freeing;
	int			 torn;
	int			 refs;
};

static void	redis_timer_cb(uv_timer_t *);
static void	redis_tick_cb(uv_timer_t *);
static void	redis_attempt(struct redis *);
static void	redis_teardown(struct redis *);
static char	*redis_text(const char *, ...) WARROOM_PRINTF(1, 2);

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

static void
redis_leave(struct redis *r)
{
	if (--r->depth == 0 && r->freeing && !r->torn)
		redis_teardown(r);
}

/* A message for the model and the log: one line, capped, shown safely. */
static char *
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

	if (r->path != NULL)
		return (r->path);
	if (strchr(addr, ':') != NULL)
		snprintf(buf, sizeof buf, "[%s]:%d", addr, r->port);
	else
		snprintf(buf, sizeof buf, "%s:%d", addr, r->port);
	return (buf);
}

static void
redis_set_fail(struct redis *r, char *text)
{
	free(r->fail);
	r->fail = text;
}

/* --- the loop glue ------------------------------------------------------- */

static void	redis_poll_cb(uv_poll_t *, int, int);

static void
redis_conn_closed(uv_handle_t *handle)
{
	struct redis_conn	*c = handle->data;
	struct redis		*r = c->r;

	free(c->reason);
	free(c);
	redis_unref(r);
}

static void
redis_ev_update(struct redis_conn *c, int add, int del)
{
	int	 events = (c->events | add) & ~del;

	if (c->ac == NULL || events == c->events)
		return;
	c->events = events;
	if (events == 0)
		uv_poll_stop(&c->poll);
	else
		uv_poll_start(&c->poll, events, redis_poll_cb);
}

static void
redis_ev_add_read(void *arg)
{
	redis_ev_update(arg, UV_READABLE, 0);
}

static void
redis_ev_del_read(void *arg)
{
	redis_ev_update(arg, 0, UV_READABLE);
}

static void
redis_ev_add_write(void *arg)
{
	redis_ev_update(arg, UV_WRITABLE, 0);
}

static void
redis_ev_del_write(void *arg)
{
	redis_ev_update(arg, 0, UV_WRITABLE);
}

/* hiredis is freeing the context and closes the fd next: stop watching it
 * now, so a new socket with the same number can be watched at once. */
static void
redis_ev_cleanup(void *arg)
{
	struct redis_conn	*c = arg;

	c->ac = NULL;
	uv_poll_stop(&c->poll);
	uv_close((uv_handle_t *)&c->poll, redis_conn_closed);
}

/*
 * The socket is ready, or in error. On an error libuv has stopped the
 * handle and gives no events; hiredis must still be called for what it
 * waited for, or a refused connect goes unnoticed (0.14.1's own adapter
 * returns there). The context may be freed by either call.
 */
static void
redis_poll_cb(uv_poll_t *handle, int status, int events)
{
	struct redis_conn	*c = handle->data;
	struct redis		*r = c->r;

	if (c->ac == NULL)
		return;
	if (status < 0) {
		events = c->events != 0 ? c->events : UV_READABLE;
		c->events = 0;
	}
	r->depth++;
	if ((events & UV_WRITABLE) && c->ac != NULL)
		redisAsyncHandleWrite(c->ac);
	if ((events & UV_READABLE) && c->ac != NULL)
		redisAsyncHandleRead(c->ac);
	redis_leave(r);
}

/* --- commands ------------------------------------------------------------ */

static void
redis_cmd_free(struct redis_cmd *cmd)
{
	int	 i;

	if (cmd->linked)
		TAILQ_REMOVE(&cmd->r->cmds, cmd, entry);
	if (cmd->argv != NULL) {
		for (i = 0; i < cmd->argc; i++)
			free(cmd->argv[i]);
	}
	free(cmd->argv);
	free(cmd->argvlen);
	free(cmd->error);
	free(cmd);
}

static void
redis_cmd_unlink(struct redis_cmd *cmd)
{
	if (cmd->linked) {
		TAILQ_REMOVE(&cmd->r->cmds, cmd, entry);
		cmd->linked = 0;
	}
}

/* Bytes and nodes a reply needs once copied. */
static void
redis_reply_size(const redisReply *in, size_t *nodes, size_t *bytes)
{
	size_t	 i;

	switch (in->type) {
	case REDIS_REPLY_STRING:
	case REDIS_REPLY_STATUS:
	case REDIS_REPLY_ERROR:
		*bytes += in->len + 1;
		break;
	case REDIS_REPLY_ARRAY:
		*nodes += in->elements;
		for (i = 0; i < in->elements; i++)
			redis_reply_size(in->element[i], nodes, bytes);
		break;
	}
}

static void
redis_reply_fill(struct redis_reply *out, const redisReply *in,
    struct redis_reply **nodes, char **str)
{
	size_t	 i;

	memset(out, 0, sizeof *out);
	switch (in->type) {
	case REDIS_REPLY_STRING:
	case REDIS_REPLY_STATUS:
	case REDIS_REPLY_ERROR:
		out->type = in->type == REDIS_REPLY_STRING ? REDIS_T_STRING :
		    in->type == REDIS_REPLY_STATUS ? REDIS_T_STATUS :
		    REDIS_T_ERROR;
		memcpy(*str, in->str, in->len);
		(*str)[in->len] = '\0';
		out->str = *str;
		out->len = in->len;
		*str += in->len + 1;
		break;
	case REDIS_REPLY_INTEGER:
		out->type = REDIS_T_INTEGER;
		out->integer = in->integer;
		break;
	case REDIS_REPLY_ARRAY:
		out->type = REDIS_T_ARRAY;
		out->elements = in->elements;
		out->element = *nodes;
		*nodes += in->elements;
		for (i = 0; i < in->elements; i++) {
			redis_reply_fill(&out->element[i], in->element[i],
			    nodes, str);
		}
		break;
	default:
		out->type = REDIS_T_NIL;
		break;
	}
}

/* The whole reply in one block the caller frees; NULL if over the cap. */
static struct redis_reply *
redis_reply_copy(const redisReply *in)
{
	struct redis_reply	*block, *nodes;
	size_t			 n = 1, bytes = 0, size;
	char			*str;

	redis_reply_size(in, &n, &bytes);
	if (n > REDIS_REPLY_MAX / sizeof *block ||
	    bytes > REDIS_REPLY_MAX - n * sizeof *block)
		return (NULL);
	size = n * sizeof *block + bytes;
	block = xmalloc(size);
	nodes = block + 1;
	str = (char *)(block + n);
	redis_reply_fill(block, in, &nodes, &str);
	return (block);
}

/* Answer a command (at most once) and forget its callback. */
static void
redis_deliver(struct redis *r, struct redis_cmd *cmd,
    const struct redis_reply *reply, const char *error)
{
	redis_done_cb	 done = cmd->done;

	redis_cmd_unlink(cmd);
	cmd->done = NULL;
	if (done != NULL && !r->freeing)
		done(r, reply, error, cmd->arg);
}

static void	redis_up(struct redis *);

/* hiredis' callback for our own setup commands. */
static void
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
		r->addr_i = r->naddrs;
		/* The context goes from the timer, not from in here. */
		r->state = R_FAILED;
		uv_timer_start(&r->timer, redis_timer_cb, 0, 0);
		return;
	}
	if (--r->setup_left == 0)
		redis_up(r);
}

/* hiredis' callback for every command: an answer, or NULL when the context
 * goes (lost, dropped, or freed by redis_free: then no callback runs). */
static void
redis_cmd_cb(redisAsyncContext *ac, void *replyp, void *privdata)
{
	struct redis_cmd	*cmd = privdata;
	struct redis		*r = cmd->r;
	struct redis_conn	*c = ac->data;
	redisReply		*reply = replyp;
	struct redis_reply	*copy;
	char			*text;

	if (cmd->setup) {
		redis_setup_reply(r, ac, cmd, reply);
		redis_cmd_free(cmd);
		return;
	}
	if (cmd->done == NULL || r->freeing) {
		redis_cmd_free(cmd);
		return;
	}
	if (reply == NULL) {
		if (c != NULL && c->reason != NULL)
			text = redis_text("%s", c->reason);
		else if (ac->c.err != 0)
			text = redis_text("connection lost: %s", ac->c.errstr);
		else
			text = redis_text("connection closed");
		redis_deliver(r, cmd, NULL, text);
		free(text);
	} else if ((copy = redis_reply_copy(reply)) == NULL) {
		text = redis_text("reply larger than %d bytes",
		    REDIS_REPLY_MAX);
		redis_deliver(r, cmd, NULL, text);
		free(text);
	} else {
		redis_deliver(r, cmd, copy, NULL);
		free(copy);
	}
	redis_cmd_free(cmd);
}

/* Hand a command to hiredis; its argv is hiredis' business afterwards. */
static int
redis_send(struct redis *r, struct redis_cmd *cmd)
{
	int	 i;

	if (r->ac == NULL || redisAsyncCommandArgv(r->ac, redis_cmd_cb, cmd,
	    cmd->argc, (const char **)cmd->argv, cmd->argvlen) != REDIS_OK)
		return (-1);
	cmd->sent = 1;
	for (i = 0; i < cmd->argc; i++)
		free(cmd->argv[i]);
	free(cmd->argv);
	free(cmd->argvlen);
	cmd->argv = NULL;
	cmd->argvlen = NULL;
	return (0);
}

static struct redis_cmd *
redis_cmd_new(struct redis *r, int argc, const char *const *argv)
{
	struct redis_cmd	*cmd;
	int			 i;

	cmd = xcalloc(1, sizeof *cmd);
	cmd->r = r;
	cmd->argc = argc;
	cmd->argv = xcalloc(argc > 0 ? argc : 1, sizeof *cmd->argv);
	cmd->argvlen = xcalloc(argc > 0 ? argc : 1, sizeof *cmd->argvlen);
	for (i = 0; i < argc; i++) {
		cmd->argv[i] = xstrdup(argv[i]);
		cmd->argvlen[i] = strlen(argv[i]);
	}
	return (cmd);
}

/* Arm the tick for the next deadline, or now for failures to hand out. */
static void
redis_tick_arm(struct redis *r)
{
	struct redis_cmd	*cmd;
	uint64_t		 now, when = 0;
	int			 any = 0;

	if (r->freeing)
		return;
	now = uv_now(r->loop);
	TAILQ_FOREACH(cmd, &r->cmds, entry) {
		if (cmd->error != NULL) {
			when = now;
			any = 1;
			break;
		}
		if (!any || cmd->deadline < when) {
			when = cmd->deadline;
			any = 1;
		}
	}
	if (!any)
		uv_timer_stop(&r->tick);
	else
		uv_timer_start(&r->tick, redis_tick_cb, when > now ? when - now :
		    0, 0);
}

/* --- the connection ------------------------------------------------------ */

/* Free the current context from outside hiredis: its pending commands are
 * answered with reason (or dropped after redis_free). */
static void
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
	r->backoff_ms = REDIS_BACKOFF_FIRST;
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
	if (r->gai != NULL) {
		uv_cancel((uv_req_t *)&r->gai->req);
		r->gai = NULL;
	}
	r->gen++;
	r->state = R_WAIT;
	delay = r->backoff_ms;
	r->backoff_ms = r->backoff_ms * 2 > REDIS_BACKOFF_MAX ?
	    REDIS_BACKOFF_MAX : r->backoff_ms * 2;
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
		r->addr_i = r->naddrs;
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
	struct redis_conn	*c = ac->data;
	struct redis		*r = c->r;
	const char		*argv[3];
	char			 db[16];
	int			 argc;

	if (ac != r->ac || r->freeing)
		return;
	if (status != REDIS_OK) {
		/* hiredis frees the context when this returns. */
		redis_set_fail(r, redis_text("could not connect to %s: %s",
		    redis_where(r, r->addrs[r->addr_i - 1]),
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
	if (r->password != NULL) {
		argc = 0;
		argv[argc++] = "AUTH";
		if (r->user != NULL)
			argv[argc++] = r->user;
		argv[argc++] = r->password;
		if (redis_setup_send(r, "AUTH", argc, argv) != 0)
			return;
	}
	if (r->db != 0) {
		snprintf(db, sizeof db, "%d", r->db);
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
	struct redis_conn	*c = ac->data;
	struct redis		*r = c->r;

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
	r->addr_i = r->naddrs;
	r->state = R_FAILED;
	uv_timer_start(&r->timer, redis_timer_cb, 0, 0);
}

/* Put hiredis on our loop: the hooks drive one uv_poll on its fd. */
static int
redis_attach(struct redis *r, redisAsyncContext *ac)
{
	struct redis_conn	*c;
	int			 error;

	c = xcalloc(1, sizeof *c);
	if ((error = uv_poll_init_socket(r->loop, &c->poll, ac->c.fd)) != 0) {
		free(c);
		return (error);
	}
	c->poll.data = c;
	c->r = r;
	c->ac = ac;
	r->refs++;
	ac->data = c;
	ac->ev.data = c;
	ac->ev.addRead = redis_ev_add_read;
	ac->ev.delRead = redis_ev_del_read;
	ac->ev.addWrite = redis_ev_add_write;
	ac->ev.delWrite = redis_ev_del_write;
	ac->ev.cleanup = redis_ev_cleanup;
	redisAsyncSetConnectCallback(ac, redis_on_connect);
	redisAsyncSetDisconnectCallback(ac, redis_on_disconnect);
	r->ac = ac;
	r->conn = c;
	/* The connect's outcome shows as "writable" (or an error). */
	redis_ev_update(c, UV_WRITABLE, 0);
	return (0);
}

/* Connect to the next address; when none is left, the attempt failed. */
static void
redis_connect_next(struct redis *r)
{
	redisAsyncContext	*ac;
	const char		*where;
	int			 error;

	while (r->addr_i < r->naddrs) {
		where = r->addrs[r->addr_i++];
		if (r->path != NULL)
			ac = redisAsyncConnectUnix(r->path);
		else
			ac = redisAsyncConnect(where, r->port);
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

static void
redis_addrs_clear(struct redis *r)
{
	int	 i;

	for (i = 0; i < r->naddrs; i++)
		free(r->addrs[i]);
	r->naddrs = r->addr_i = 0;
}

static void
redis_addr_add(struct redis *r, const char *addr)
{
	int	 i;

	for (i = 0; i < r->naddrs; i++) {
		if (strcmp(r->addrs[i], addr) == 0)
			return;
	}
	if (r->naddrs < REDIS_MAX_ADDRS)
		r->addrs[r->naddrs++] = xstrdup(addr);
}

static void
redis_gai_cb(uv_getaddrinfo_t *req, int status, struct addrinfo *res)
{
	struct redis_gai	*g = req->data;
	struct redis		*r = g->r;
	struct addrinfo		*ai;
	char			 ip[INET6_ADDRSTRLEN];
	int			 stale;

	stale = r->torn || r->freeing || g->gen != r->gen ||
	    r->state != R_RESOLVING;
	free(g);
	if (stale) {
		uv_freeaddrinfo(res);
		redis_unref(r);
		return;
	}
	r->refs--;	/* not the last: the timers hold theirs */
	r->gai = NULL;
	r->depth++;
	for (ai = res; status == 0 && ai != NULL; ai = ai->ai_next) {
		if (ai->ai_family == AF_INET)
			uv_ip4_name((struct sockaddr_in *)ai->ai_addr, ip,
			    sizeof ip);
		else if (ai->ai_family == AF_INET6)
			uv_ip6_name((struct sockaddr_in6 *)ai->ai_addr, ip,
			    sizeof ip);
		else
			continue;
		redis_addr_add(r, ip);
	}
	uv_freeaddrinfo(res);
	if (r->naddrs == 0) {
		redis_set_fail(r, redis_text("could not resolve \"%s\": %s",
		    r->host, status != 0 ? uv_strerror(status) : "no address"));
		redis_down(r, r->fail);
	} else
		redis_connect_next(r);
	redis_leave(r);
}

static int
redis_is_numeric(const char *host)
{
	unsigned char	 buf[sizeof (struct in6_addr)];

	return (inet_pton(AF_INET, host, buf) == 1 ||
	    inet_pton(AF_INET6, host, buf) == 1);
}

/* A new attempt: a new context for each address, after resolving the name
 * through the loop (redisAsyncConnect would block on it). */
static void
redis_attempt(struct redis *r)
{
	struct addrinfo		 hints;
	struct redis_gai	*g;
	int			 error;

	redis_detach(r, "connection dropped");
	redis_addrs_clear(r);
	redis_set_fail(r, NULL);
	r->gen++;
	if (r->path != NULL || redis_is_numeric(r->host)) {
		redis_addr_add(r, r->path != NULL ? r->path : r->host);
		redis_connect_next(r);
		return;
	}
	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	g = xcalloc(1, sizeof *g);
	g->r = r;
	g->gen = r->gen;
	g->req.data = g;
	r->state = R_RESOLVING;
	uv_timer_start(&r->timer, redis_timer_cb, r->connect_timeout_ms, 0);
	if ((error = uv_getaddrinfo(r->loop, &g->req, redis_gai_cb, r->host,
	    NULL, &hints)) != 0) {
		free(g);
		redis_set_fail(r, redis_text("could not resolve \"%s\": %s",
		    r->host, uv_strerror(error)));
		redis_down(r, r->fail);
		return;
	}
	r->refs++;
	r->gai = g;
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
		if (r->addr_i < r->naddrs)
			redis_connect_next(r);
		else
			redis_down(r, r->fail);
		break;
	case R_RESOLVING:
	case R_CONNECTING:
	case R_SETUP:
		text = redis_text("timed out connecting to %s after %ld ms",
		    r->path != NULL ? r->path : r->host, r->connect_timeout_ms);
		redis_set_fail(r, text);
		redis_detach(r, text);
		if (r->state == R_CONNECTING && r->addr_i < r->naddrs)
			redis_connect_next(r);
		else
			redis_down(r, r->fail);
		break;
	default:
		break;
	}
	redis_leave(r);
}

/* Hand out failures decided outside a callback, and expire deadlines. A
 * command already sent that expires costs the connection: its answer, if
 * it ever comes, would come before every later one. */
static void
redis_tick_cb(uv_timer_t *timer)
{
	struct redis		*r = timer->data;
	struct redis_cmd	*cmd;
	uint64_t		 now;
	char			 msg[128];

	if (r->torn)
		return;
	r->depth++;
	now = uv_now(r->loop);
	while (!r->freeing) {
		TAILQ_FOREACH(cmd, &r->cmds, entry) {
			if (cmd->error != NULL || now >= cmd->deadline)
				break;
		}
		if (cmd == NULL)
			break;
		snprintf(msg, sizeof msg, "timed out after %ld ms",
		    cmd->timeout_ms);
		if (cmd->error != NULL) {
			redis_deliver(r, cmd, NULL, cmd->error);
			redis_cmd_free(cmd);
			continue;
		}
		if (!cmd->sent) {
			redis_deliver(r, cmd, NULL, msg);
			redis_cmd_free(cmd);
			continue;
		}
		/* hiredis holds it and frees it through its callback. */
		redis_deliver(r, cmd, NULL, msg);
		if (r->freeing || r->state != R_UP)
			continue;
		snprintf(msg, sizeof msg, "a command timed out after %ld ms; "
		    "connecting again", cmd->timeout_ms);
		log_debug("redis: %s", msg);
		redis_detach(r, msg);
		r->state = R_WAIT;
		if (!r->freeing && r->state_cb != NULL)
			r->state_cb(r, 0, msg, r->arg);
		if (!r->freeing && r->state == R_WAIT)
			redis_attempt(r);
	}
	redis_tick_arm(r);
	redis_leave(r);
}

static void
redis_teardown(struct redis *r)
{
	struct redis_cmd	*cmd;

	r->torn = 1;
	/* hiredis calls every pending callback with NULL: ours drop them. */
	redis_detach(r, "closed");
	if (r->gai != NULL) {
		uv_cancel((uv_req_t *)&r->gai->req);
		r->gai = NULL;
	}
	r->gen++;
	while ((cmd = TAILQ_FIRST(&r->cmds)) != NULL)
		redis_cmd_free(cmd);
	redis_addrs_clear(r);
	redis_set_fail(r, NULL);
	uv_timer_stop(&r->timer);
	uv_timer_stop(&r->tick);
	uv_close((uv_handle_t *)&r->timer, redis_handle_closed);
	uv_close((uv_handle_t *)&r->tick, redis_handle_closed);
	if (r->password != NULL) {
		explicit_bzero(r->password, strlen(r->password));
		free(r->password);
	}
	free(r->user);
	free(r->host);
	free(r->path);
	log_debug("redis: closed");
}

/* --- the URL ------------------------------------------------------------- */

/* A percent-decoded copy of s[0..len), or NULL if malformed or with NUL. */
static char *
redis_url_decode(const char *s, size_t len)
{
	char		*out, *o, hex[3];
	size_t		 i;
	unsigned long	 v;

	o = out = xmalloc(len + 1);
	for (i = 0; i < len; i++) {
		if (s[i] != '%') {
			*o++ = s[i];
			continue;
		}
		if (i + 2 >= len || !isxdigit((unsigned char)s[i + 1]) ||
		    !isxdigit((unsigned char)s[i + 2])) {
			free(out);
			return (NULL);
		}
		hex[0] = s[i + 1];
		hex[1] = s[i + 2];
		hex[2] = '\0';
		if ((v = strtoul(hex, NULL, 16)) == 0) {
			free(out);
			return (NULL);
		}
		*o++ = (char)v;
		i += 2;
	}
	*o = '\0';
	return (out);
}

/* A decimal number within [min, max] in s[0..len), or -1. */
static long
redis_url_number(const char *s, size_t len, long min, long max)
{
	long	 v = 0;
	size_t	 i;

	if (len == 0 || len > 9)
		return (-1);
	for (i = 0; i < len; i++) {
		if (!isdigit((unsigned char)s[i]))
			return (-1);
		v = v * 10 + (s[i] - '0');
	}
	return (v < min || v > max ? -1 : v);
}

/* redis://[[user]:password@]host[:port][/db] or /path/to/socket. The
 * causes never quote the URL: it may hold the password. */
static int
redis_url_parse(struct redis *r, const char *url, char **cause)
{
	const char	*p, *end, *at, *colon, *host, *hend, *port = NULL;
	size_t		 plen = 0;
	long		 v;

	if (url == NULL || *url == '\0') {
		*cause = xstrdup("no Redis URL");
		return (-1);
	}
	if (*url == '/') {
		r->path = xstrdup(url);
		return (0);
	}
	if (strncasecmp(url, "rediss://", 9) == 0) {
		*cause = xstrdup("rediss:// (TLS) is not supported with "
		    "hiredis 0.14");
		return (-1);
	}
	if (strncasecmp(url, "redis://", 8) != 0) {
		*cause = xstrdup("not a redis:// URL or an absolute path to a "
		    "unix socket");
		return (-1);
	}
	p = url + 8;
	end = p + strcspn(p, "/?#");
	if (*end == '?' || *end == '#') {
		*cause = xstrdup("query parameters are not supported in the "
		    "Redis URL");
		return (-1);
	}

	/* The last '@' ends the user info: a password may hold one. */
	at = NULL;
	for (host = p; host < end; host++) {
		if (*host == '@')
			at = host;
	}
	host = p;
	if (at != NULL) {
		if ((colon = memchr(p, ':', at - p)) == NULL) {
			*cause = xstrdup("the Redis URL needs a ':' before the "
			    "password (redis://[[user]:password@]host)");
			return (-1);
		}
		if (colon > p && (r->user = redis_url_decode(p,
		    colon - p)) == NULL) {
			*cause = xstrdup("bad %-encoding in the Redis URL's "
			    "user");
			return (-1);
		}
		if ((r->password = redis_url_decode(colon + 1,
		    at - colon - 1)) == NULL) {
			*cause = xstrdup("bad %-encoding in the Redis URL's "
			    "password");
			return (-1);
		}
		if (*r->password == '\0') {
			free(r->password);
			r->password = NULL;
			if (r->user != NULL) {
				*cause = xstrdup("a user without a password "
				    "in the Redis URL");
				return (-1);
			}
		}
		host = at + 1;
	}

	if (*host == '[') {
		if ((hend = memchr(host, ']', end - host)) == NULL) {
			*cause = xstrdup("no ']' after the IPv6 address in the "
			    "Redis URL");
			return (-1);
		}
		r->host = xstrndup(host + 1, hend - host - 1);
		hend++;
	} else {
		for (hend = host; hend < end && *hend != ':'; hend++)
			/* nothing */;
		r->host = xstrndup(host, hend - host);
	}
	if (*r->host == '\0') {
		*cause = xstrdup("no host in the Redis URL");
		return (-1);
	}
	if (hend < end) {
		if (*hend != ':') {
			*cause = xstrdup("bad host in the Redis URL");
			return (-1);
		}
		port = hend + 1;
		plen = end - port;
	}
	r->port = REDIS_DEFAULT_PORT;
	if (port != NULL) {
		if ((v = redis_url_number(port, plen, 1, 65535)) == -1) {
			*cause = xstrdup("bad port in the Redis URL");
			return (-1);
		}
		r->port = (int)v;
	}
	if (*end == '/' && end[1] != '\0') {
		if ((v = redis_url_number(end + 1, strlen(end + 1), 0,
		    INT_MAX)) == -1) {
			*cause = xstrdup("bad database number in the Redis URL");
			return (-1);
		}
		r->db = (int)v;
	}
	return (0);
}

/* --- the interface ------------------------------------------------------- */

struct redis *
redis_create(uv_loop_t *loop, const char *url, long connect_timeout_ms,
    redis_state_cb state_cb, void *arg, char **cause)
{
	struct redis	*r;

	r = xcalloc(1, sizeof *r);
	if (redis_url_parse(r, url, cause) != 0) {
		if (r->password != NULL)
			explicit_bzero(r->password, strlen(r->password));
		free(r->password);
		free(r->user);
		free(r->host);
		free(r->path);
		free(r);
		return (NULL);
	}
	r->loop = loop;
	r->connect_timeout_ms = connect_timeout_ms > 0 ? connect_timeout_ms :
	    REDIS_CONNECT_TIMEOUT;
	r->state_cb = state_cb;
	r->arg = arg;
	r->state = R_IDLE;
	r->backoff_ms = REDIS_BACKOFF_FIRST;
	TAILQ_INIT(&r->cmds);
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

/* Commands that would change what the connection speaks. */
static const char *
redis_refused(int argc, const char *const *argv)
{
	static const char *const modes[] = { "SUBSCRIBE", "PSUBSCRIBE",
	    "SSUBSCRIBE", "MONITOR" };
	size_t	 i;

	if (argc < 1)
		return ("empty command");
	if (strcasecmp(argv[0], "HELLO") == 0 && argc > 1 &&
	    strcmp(argv[1], "2") != 0)
		return ("only RESP2: hiredis 0.14 cannot read RESP3");
	for (i = 0; i < nitems(modes); i++) {
		if (strcasecmp(argv[0], modes[i]) == 0)
			return ("subscriptions and MONITOR are not supported "
			    "here");
	}
	return (NULL);
}

void
redis_command(struct redis *r, long timeout_ms, redis_done_cb done,
    void *arg, int argc, const char *const *argv)
{
	struct redis_cmd	*cmd;
	const char		*refused;

	if (r->freeing)
		fatal("redis_command after redis_free");
	cmd = redis_cmd_new(r, argc, argv);
	cmd->timeout_ms = timeout_ms > 0 ? timeout_ms : REDIS_COMMAND_TIMEOUT;
	uv_update_time(r->loop);
	cmd->deadline = uv_now(r->loop) + cmd->timeout_ms;
	cmd->done = done;
	cmd->arg = arg;
	TAILQ_INSERT_TAIL(&r->cmds, cmd, entry);
	cmd->linked = 1;

	if ((refused = redis_refused(argc, argv)) != NULL)
		cmd->error = xstrdup(refused);
	else if (r->state == R_IDLE || r->state == R_WAIT)
		cmd->error = xstrdup("not connected");
	else if (r->state == R_UP && redis_send(r, cmd) != 0)
		cmd->error = xstrdup("not connected");
	/* Failures go out from the tick: never a callback in here. */
	redis_tick_arm(r);
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
