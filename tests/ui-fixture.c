/* tests/ui-fixture.c: what test-ui.c and test-ui-config.c share: the
 * source tree, command text run through cmdparse, the KCP model of a bad
 * night, and a curses screen on /dev/null read back row by row. */
#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "cmdparse.h"
#include "model.h"
#include "ui-private.h"
#include "warroom.h"

#include "ui-fixture.h"

char	 top[PATH_MAX];		/* the source tree */

/* Run text as "t.keys"; "" on success, else the cause. */
const char *
run(const char *text)
{
	static char	 out[512];
	char		*cause = NULL;

	out[0] = '\0';
	if (cmdparse_string(text, "t.keys", &cause) != 0) {
		snprintf(out, sizeof out, "%s", cause);
		free(cause);
	}
	return out;
}

void
reset(void)
{
	ui_free();
	cmdparse_reset();
	ui_register_commands();
}

static void
put_deploy(struct model *m, const char *ns, const char *name, int desired,
    int updated, int ready, int available)
{
	struct kube_deploy	*d = xcalloc(1, sizeof *d);
	char			 key[256];

	d->ns = xstrdup(ns);
	d->name = xstrdup(name);
	d->desired = desired;
	d->updated = updated;
	d->ready = ready;
	d->available = available;
	d->revision = 4;
	d->created = now_wall() - 3600;
	snprintf(key, sizeof key, "%s/%s", ns, name);
	table_put(&m->deploys, key, d);
}

void
put_rs(struct model *m, const char *ns, const char *name, const char *deploy)
{
	struct kube_rs	*rs = xcalloc(1, sizeof *rs);
	char		 key[256];

	rs->ns = xstrdup(ns);
	rs->name = xstrdup(name);
	rs->owner_deploy = xstrdup(deploy);
	snprintf(key, sizeof key, "%s/%s", ns, name);
	table_put(&m->rsets, key, rs);
}

void
put_pod(struct model *m, const char *ns, const char *name, const char *rs,
    const char *status, const char *ready, int restarts, int problem)
{
	struct kube_pod	*p = xcalloc(1, sizeof *p);
	char		 key[256], buf[32];

	p->ns = xstrdup(ns);
	p->name = xstrdup(name);
	p->owner_rs = rs != NULL ? xstrdup(rs) : NULL;
	p->status = xstrdup(status);
	p->ready = xstrdup(ready);
	snprintf(buf, sizeof buf, "%d", restarts);
	p->restarts = xstrdup(buf);
	p->restart_count = restarts;
	p->node = xstrdup("node-a");
	p->problem = problem;
	p->created = now_wall() - 600;
	snprintf(key, sizeof key, "%s/%s", ns, name);
	table_put(&m->pods, key, p);
}

/* The KCP namespace in a bad night: one crash loop, one OOM kill. */
void
fill_model(struct model *m)
{
	struct kube_hpa	*h;

	model_init(m);
	m->context = xstrdup("kcp-prod");
	m->namespace = xstrdup("soundcore-kcp-prod");
	put_deploy(m, "soundcore-kcp-prod", "knowledge", 3, 3, 2, 2);
	put_deploy(m, "soundcore-kcp-prod", "content", 2, 2, 2, 2);
	put_deploy(m, "soundcore-kcp-prod", "auth", 2, 2, 2, 2);
	put_deploy(m, "soundcore-kcp-prod", "support", 1, 1, 0, 0);
	put_rs(m, "soundcore-kcp-prod", "knowledge-7d9f", "knowledge");
	put_rs(m, "soundcore-kcp-prod", "content-55", "content");
	put_rs(m, "soundcore-kcp-prod", "auth-66", "auth");
	put_rs(m, "soundcore-kcp-prod", "support-6c", "support");
	put_pod(m, "soundcore-kcp-prod", "knowledge-7d9f-aaaa", "knowledge-7d9f",
	    "Running", "1/1", 0, 0);
	put_pod(m, "soundcore-kcp-prod", "knowledge-7d9f-bbbb", "knowledge-7d9f",
	    "CrashLoopBackOff", "0/1", 7, 1);
	put_pod(m, "soundcore-kcp-prod", "knowledge-7d9f-cccc", "knowledge-7d9f",
	    "Running", "1/1", 0, 0);
	put_pod(m, "soundcore-kcp-prod", "content-55-xxxx", "content-55",
	    "Running", "1/1", 0, 0);
	put_pod(m, "soundcore-kcp-prod", "content-55-yyyy", "content-55",
	    "Running", "1/1", 0, 0);
	put_pod(m, "soundcore-kcp-prod", "auth-66-1111", "auth-66",
	    "Running", "1/1", 1, 0);
	put_pod(m, "soundcore-kcp-prod", "auth-66-2222", "auth-66",
	    "Running", "1/1", 0, 0);
	put_pod(m, "soundcore-kcp-prod", "support-6c-zzzz", "support-6c",
	    "OOMKilled", "0/1", 3, 1);
	put_pod(m, "soundcore-kcp-prod", "debug-shell", NULL,
	    "Running", "1/1", 0, 0);
	h = xcalloc(1, sizeof *h);
	h->ns = xstrdup("soundcore-kcp-prod");
	h->name = xstrdup("knowledge");
	h->target_kind = xstrdup("Deployment");
	h->target_name = xstrdup("knowledge");
	h->min = 3;
	h->max = 10;
	table_put(&m->hpas, "soundcore-kcp-prod/knowledge", h);
	m->sources[SOURCE_KUBE].state = SOURCE_OK;
	m->sources[SOURCE_KUBE].live = 1;
	m->sources[SOURCE_KUBE].last_ok = now_wall();
}

/* Screen row y as text (multibyte), trailing blanks kept. */
const char *
screen_row(int y)
{
	static char	 out[2048];
	wchar_t		 w[512];
	int		 n;

	n = mvwinnwstr(stdscr, y, 0, w, COLS < 511 ? COLS : 511);
	if (n < 0)
		n = 0;
	w[n] = L'\0';
	if (wcstombs(out, w, sizeof out) == (size_t)-1)
		snprintf(out, sizeof out, "(unconvertible)");
	return out;
}

/* Keys into the input queue, to be read in this order by ui_input. */
void
keys(const char *s)
{
	size_t	 n = strlen(s);

	while (n > 0)
		ungetch((unsigned char)s[--n]);
}

static FILE	*t_out, *t_in;

int
start_screen(struct model *m, int ascii, int lines, int cols)
{
	struct ui_opts	 o;
	char		*cause = NULL, buf[16];

	memset(&o, 0, sizeof o);
	o.datadir = top;
	o.ascii = ascii;
	setenv("TERM", "xterm", 1);
	snprintf(buf, sizeof buf, "%d", lines);
	setenv("LINES", buf, 1);
	snprintf(buf, sizeof buf, "%d", cols);
	setenv("COLUMNS", buf, 1);
	t_out = fopen("/dev/null", "w");
	t_in = fopen("/dev/null", "r");
	if (ui_start_on(m, &o, t_out, t_in, &cause) != 0) {
		printf("# ui_start_on: %s\n", cause);
		free(cause);
		return -1;
	}
	return 0;
}

void
stop_screen(void)
{
	reset();
	fclose(t_out);
	fclose(t_in);
}

void
ui_fixture_init(void)
{
	const char	*env;
	char		*slash;

	setlocale(LC_ALL, "C.UTF-8");
	if ((env = getenv("TEST_SRCDIR")) != NULL)
		snprintf(top, sizeof top, "%s/..", env);
	else {
		snprintf(top, sizeof top, "%s", __FILE__);
		if ((slash = strrchr(top, '/')) != NULL)
			*slash = '\0';
		else
			snprintf(top, sizeof top, ".");
		strncat(top, "/..", sizeof top - strlen(top) - 1);
	}
	unsetenv("NO_COLOR");
	ui_register_commands();
}
