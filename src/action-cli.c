/* action-cli.c: 'warroom do': the action layer's command-line side. Lines go
 * to stdout and stderr; the confirmation is read from the terminal through
 * a uv poll, so the loop never blocks. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <uv.h>

#include "action.h"
#include "warroom.h"

#define ACTION_ANSWER_MAX	256

/* The command line's side: lines to stdout and stderr, the answer read
 * from the terminal through a poll. */
struct action_cli {
	uv_loop_t		*loop;		/* where the answer is polled */
	struct action_run	*run;		/* waiting for the answer */
	int			 finished;
	int			 rc;
	uv_poll_t		 poll;
	int			 poll_open;
	int			 fd;
	char			 answer[ACTION_ANSWER_MAX];
	size_t			 answer_len;
};

static void
action_cli_say(void *arg, int level, const char *line)
{
	FILE	*f = level ? stderr : stdout;

	fprintf(f, "%s\n", line);
	fflush(f);
}

static void
action_cli_done(void *arg, int rc)
{
	struct action_cli *c = arg;

	c->finished = 1;
	c->rc = rc;
}

static void
action_cli_close_cb(uv_handle_t *h)
{
}

static void
action_cli_answer(struct action_cli *c)
{
	if (c->poll_open) {
		uv_poll_stop(&c->poll);
		uv_close((uv_handle_t *)&c->poll, action_cli_close_cb);
		c->poll_open = 0;
	}
	c->answer[c->answer_len] = '\0';
	action_answer(c->run, c->answer);
}

/* Read what is available; 1 when a line (or EOF) is complete. */
static int
action_cli_read(struct action_cli *c)
{
	char	 ch;
	ssize_t	 n;

	for (;;) {
		n = read(c->fd, &ch, 1);
		if (n == -1 && (errno == EAGAIN || errno == EINTR))
			return 0;
		if (n <= 0 || ch == '\n')
			return 1;
		if (c->answer_len < sizeof c->answer - 1)
			c->answer[c->answer_len++] = ch;
	}
}

static void
action_cli_poll_cb(uv_poll_t *p, int status, int events)
{
	struct action_cli *c = p->data;

	if (status < 0 || action_cli_read(c))
		action_cli_answer(c);
}

static void
action_cli_confirm(void *arg, struct action_run *r, const char *preview,
    const char *type_name)
{
	struct action_cli *c = arg;
	int	 fl;

	c->run = r;
	if (type_name != NULL)
		fprintf(stderr, "Type the deployment name \"%s\" to apply: ",
		    type_name);
	else
		fprintf(stderr, "Apply this change? [y/N] ");
	fflush(stderr);
	c->fd = STDIN_FILENO;
	if (fcntl(c->fd, F_GETFL) == -1) {
		c->fd = open("/dev/tty", O_RDONLY | O_CLOEXEC);
		if (c->fd == -1) {
			action_finish(r, 1, "cancelled", "no terminal to "
			    "confirm on (use --yes)");
			return;
		}
	}
	/* A regular file or /dev/null cannot be polled, nor does it block. */
	if (uv_poll_init(c->loop, &c->poll, c->fd) != 0) {
		action_cli_read(c);
		action_cli_answer(c);
		return;
	}
	fl = fcntl(c->fd, F_GETFL);
	(void)fcntl(c->fd, F_SETFL, fl | O_NONBLOCK);
	c->poll.data = c;
	c->poll_open = 1;
	uv_poll_start(&c->poll, UV_READABLE | UV_DISCONNECT,
	    action_cli_poll_cb);
}

int
action_cli_do(struct uv_loop_s *loop, struct kube *kube, struct model *m,
    int argc, char **argv, int flags, const char *confirm)
{
	struct action_cli c;
	struct action_io io;
	struct action_run *r;

	char		*clean;

	if (argc < 1 || action_find(argv[0]) == NULL) {
		if (argc >= 1) {
			clean = sanitize(argv[0]);
			fprintf(stderr, "error: unknown action \"%s\"\n",
			    clean);
			free(clean);
		}
		action_usage(stderr);
		return 2;
	}
	memset(&c, 0, sizeof c);
	c.loop = loop;
	c.fd = -1;
	memset(&io, 0, sizeof io);
	io.say = action_cli_say;
	io.confirm = action_cli_confirm;
	io.done = action_cli_done;
	io.arg = &c;
	io.typed = confirm;
	if ((r = action_start_run(loop, kube, m, NULL, argc, argv,
	    flags | ACTION_CLI, &io)) == NULL)
		return 2;
	while (!c.finished && uv_run(loop, UV_RUN_ONCE) != 0)
		;
	if (!c.finished)
		action_finish(r, 1, "failed", "the event loop ran dry");
	uv_run(loop, UV_RUN_NOWAIT);
	if (c.fd > STDERR_FILENO)
		close(c.fd);
	return c.rc;
}
