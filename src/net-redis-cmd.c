/* net-redis-cmd.c: the commands of one Redis connection: each copied, sent
 * to hiredis when the connection is up, answered exactly once (a reply, or
 * why not), and a tick for the deadlines and the failures decided outside
 * a callback. */

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

#define REDIS_COMMAND_TIMEOUT	10000	/* ms, when 0 is given */

static void	redis_tick_cb(uv_timer_t *);

void
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

struct redis_cmd *
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

/* Answer a command (at most once) and forget its callback. */
void
redis_deliver(struct redis *r, struct redis_cmd *cmd,
    const struct redis_reply *reply, const char *error)
{
	redis_done_cb	 done = cmd->done;

	redis_cmd_unlink(cmd);
	cmd->done = NULL;
	if (done != NULL && !r->freeing)
		done(r, reply, error, cmd->arg);
}

/* hiredis' callback for every command: an answer, or NULL when the context
 * goes (lost, dropped, or freed by redis_free: then no callback runs). */
static void
redis_cmd_cb(redisAsyncContext *ac, void *replyp, void *privdata)
{
	struct redis_cmd	*cmd = privdata;
	struct redis		*r = cmd->r;
	struct redis_uv		*c = ac->data;
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
int
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

/* Arm the tick for the next deadline, or now for failures to hand out. */
void
redis_tick_arm(struct redis *r)
{
	struct redis_cmd	*cmd;
	struct net_conn_due	 due;

	if (r->freeing)
		return;
	net_conn_due_init(&due, r->loop);
	TAILQ_FOREACH(cmd, &r->cmds, entry) {
		if (cmd->error != NULL) {
			net_conn_due_add(&due, due.now);
			break;
		}
		net_conn_due_add(&due, cmd->deadline);
	}
	net_conn_due_arm(&due, &r->tick, redis_tick_cb);
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
	cmd->timeout_ms = net_conn_ms(timeout_ms, REDIS_COMMAND_TIMEOUT);
	cmd->deadline = net_conn_deadline(r->loop, cmd->timeout_ms);
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
