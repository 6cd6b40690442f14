/* app-actions.c: the dashboard's side of the action layer. A bound key or
 * the ':' palette gives an action and a target; what the action still needs
 * is asked here, one question at a time (a revision from the picker, scale
 * or the autoscaler's range, a count, limits), and then the dispatcher runs
 * it, saying its lines in the message line and asking in the bottom line. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "action.h"
#include "app-actions.h"
#include "fmt.h"
#include "model.h"
#include "ui.h"
#include "warroom.h"

#define APP_WORDS_MAX	32	/* words an action line may have */

static struct app_actions app_act;

/* An action on its way to the dispatcher: the words so far and which
 * questions have been asked. */
struct app_ask {
	char		*ns;
	char		*argv[APP_WORDS_MAX + 1];	/* action, deployment, ... */
	int		 argc;
	int		 picked;	/* the revision picker was shown */
	int		 offered;	/* the autoscaler was offered */
	int		 worded;	/* the words were asked for */
	long		*revs;		/* the picker's revisions */
};

static void	app_next(struct app_ask *);

void
app_actions_init(const struct app_actions *a)
{
	app_act = *a;
}

static void
app_ask_free(struct app_ask *q)
{
	int	 i;

	for (i = 0; i < q->argc; i++)
		free(q->argv[i]);
	free(q->revs);
	free(q->ns);
	free(q);
}

static void
app_cancelled(struct app_ask *q)
{
	ui_message(0, "cancelled: nothing was changed");
	app_ask_free(q);
	app_act.redraw();
}

static int
app_add_word(struct app_ask *q, const char *w)
{
	if (q->argc == APP_WORDS_MAX) {
		ui_message(1, "%s: too many words", q->argv[0]);
		return -1;
	}
	q->argv[q->argc++] = xstrdup(w);
	return 0;
}

/* --- the action layer's io: the message line and a prompt --------------- */

static void
app_say(void *arg, int level, const char *line)
{
	ui_message(level, "%s", line);
	app_act.redraw();
}

static void
app_answer(void *arg, const char *text)
{
	action_answer(arg, text);
}

static void
app_confirm(void *arg, struct action_run *r, const char *preview,
    const char *type_name)
{
	ui_confirm(preview, type_name, app_answer, r);
	app_act.redraw();
}

static void
app_done(void *arg, int rc)
{
	/* Show the result without waiting for the watch. */
	if (rc == 0)
		app_act.changed();
}

/* --- the revision picker ------------------------------------------------- */

static int
app_rs_newer(const void *a, const void *b)
{
	const struct kube_rs *x = *(struct kube_rs *const *)a;
	const struct kube_rs *y = *(struct kube_rs *const *)b;

	return (y->revision > x->revision) - (y->revision < x->revision);
}

int
app_actions_revisions(const struct model *m, const char *ns,
    const char *name, char ***rowsp, long **revsp, int *sel, char **header)
{
	const struct kube_deploy *d;
	struct kube_rs	**rs = NULL, *r;
	char		 key[512], age[32], **rows;
	long		*revs;
	size_t		 pos = 0;
	int		 n = 0, i, iw;
	time_t		 now = now_wall();

	snprintf(key, sizeof key, "%s/%s", ns, name);
	d = table_get(&m->deploys, key);
	while ((r = table_next(&m->rsets, &pos)) != NULL) {
		if (r->owner_deploy == NULL || r->revision <= 0 ||
		    strcmp(r->ns, ns) != 0 || strcmp(r->owner_deploy, name) != 0)
			continue;
		rs = xreallocarray(rs, (size_t)n + 1, sizeof *rs);
		rs[n++] = r;
	}
	if (n > 0)
		qsort(rs, (size_t)n, sizeof *rs, app_rs_newer);
	rows = xcalloc((size_t)n + 1, sizeof *rows);
	revs = xcalloc((size_t)n + 1, sizeof *revs);
	/* The images column as wide as the widest (the picker sanitizes). */
	iw = (int)strlen("IMAGES");
	for (i = 0; i < n; i++)
		if (rs[i]->images != NULL && (int)strlen(rs[i]->images) > iw)
			iw = (int)strlen(rs[i]->images);
	if (iw > 60)
		iw = 60;
	*sel = -1;
	for (i = 0; i < n; i++) {
		r = rs[i];
		fmt_duration(r->created != 0 && now > r->created ?
		    (long)(now - r->created) : 0, age, sizeof age);
		xasprintf(&rows[i], "%-4ld %-7s %-5s %-*s  %s", r->revision,
		    d != NULL && d->revision == r->revision ? "current" : "",
		    age, iw, r->images != NULL ? r->images : "",
		    r->change_cause != NULL ? r->change_cause : "");
		revs[i] = r->revision;
		/* The default: the newest revision before the current one, as
		 * 'rollout undo' would choose. */
		if (*sel == -1 && d != NULL && r->revision < d->revision)
			*sel = i;
	}
	if (*sel == -1)
		*sel = 0;
	free(rs);
	xasprintf(header, "%-4s %-7s %-5s %-*s  %s", "REV", "NOW", "AGE", iw,
	    "IMAGES", "CHANGE-CAUSE");
	*rowsp = rows;
	*revsp = revs;
	return n;
}

static void
app_pick_answer(void *arg, int i)
{
	struct app_ask	*q = arg;
	char		 w[32];

	if (i < 0) {
		app_cancelled(q);
		return;
	}
	snprintf(w, sizeof w, "%ld", q->revs[i]);
	if (app_add_word(q, w) != 0) {
		app_ask_free(q);
		return;
	}
	app_next(q);
}

/* Offer the picker; 0 when there is nothing to pick from. */
static int
app_pick(struct app_ask *q)
{
	char	**rows, *header, *title;
	int	 n, sel, i;

	n = app_actions_revisions(app_act.model, q->ns, q->argv[1], &rows,
	    &q->revs, &sel, &header);
	if (n >= 2) {
		xasprintf(&title, " Roll back %s to: Enter chooses, Escape "
		    "cancels ", q->argv[1]);
		ui_pick(title, header, rows, n, sel, app_pick_answer, q);
		free(title);
	}
	for (i = 0; i < n; i++)
		free(rows[i]);
	free(rows);
	free(header);
	return n >= 2;
}

/* --- scale or the autoscaler ---------------------------------------------- */

static const struct kube_hpa *
app_hpa_of(const struct model *m, const char *ns, const char *name)
{
	const struct kube_hpa *h;
	size_t		 pos = 0;

	while ((h = table_next(&m->hpas, &pos)) != NULL) {
		if (strcmp(h->ns, ns) == 0 && h->target_kind != NULL &&
		    strcmp(h->target_kind, "Deployment") == 0 &&
		    h->target_name != NULL && strcmp(h->target_name, name) == 0)
			return h;
	}
	return NULL;
}

static void
app_offer_answer(void *arg, const char *text)
{
	struct app_ask	*q = arg;

	while (isspace((unsigned char)*text))
		text++;
	switch (tolower((unsigned char)*text)) {
	case 's':
		app_next(q);
		break;
	case 'a':
		free(q->argv[0]);
		q->argv[0] = xstrdup("hpa");
		app_next(q);
		break;
	default:
		app_cancelled(q);
		break;
	}
}

/* --- the words an action needs -------------------------------------------- */

static void
app_words_answer(void *arg, const char *text)
{
	struct app_ask	*q = arg;
	char		*copy, *w, *p;

	copy = xstrdup(text);
	for (p = copy; (w = strsep(&p, " \t")) != NULL;) {
		if (*w != '\0' && app_add_word(q, w) != 0) {
			free(copy);
			app_ask_free(q);
			return;
		}
	}
	free(copy);
	if (q->argc == 2 || *text == '\0') {
		app_cancelled(q);
		return;
	}
	app_next(q);
}

static void
app_ask_words(struct app_ask *q, const struct action *a)
{
	char	*prompt;

	xasprintf(&prompt, "%s %s: %s? ", a->name, q->argv[1],
	    a->ask != NULL ? a->ask : "arguments");
	ui_ask(NULL, prompt, app_words_answer, q);
	free(prompt);
}

/* Ask the next question the action needs, or start it. */
static void
app_next(struct app_ask *q)
{
	const struct action *a = action_find(q->argv[0]);
	const struct kube_hpa *h;
	struct action_io io;
	char		*prompt;
	int		 ask, words;

	/* In read-only mode the dispatcher refuses at once: no questions. */
	ask = !(app_act.model->read_only && (a->flags & ACTION_MUTATES));
	if (!ask)
		q->picked = q->offered = 1;
	if ((a->flags & ACTION_PICK_REVISION) && q->argc == 2 && !q->picked) {
		q->picked = 1;
		if (app_pick(q))
			return;
	}
	if ((a->flags & ACTION_OFFER_HPA) && q->argc == 2 && !q->offered &&
	    (h = app_hpa_of(app_act.model, q->ns, q->argv[1])) != NULL) {
		q->offered = 1;
		xasprintf(&prompt, "%s is autoscaled by %s (min %d, max %d, now "
		    "%d): the autoscaler would undo a scale", q->argv[1],
		    h->name, h->min, h->max, h->current);
		ui_ask(prompt, "[s]cale anyway, change the [a]utoscaler's range, "
		    "or cancel? ", app_offer_answer, q);
		free(prompt);
		app_act.redraw();
		return;
	}
	/* The words after the target (an implicit one is not a word). */
	words = q->argc - (a->implicit_target != NULL ? 1 : 2);
	if (ask && (words < a->nargs || ((a->flags & ACTION_ASK_ALWAYS) &&
	    words == 0 && !q->worded))) {
		q->worded = 1;
		app_ask_words(q, a);
		app_act.redraw();
		return;
	}
	memset(&io, 0, sizeof io);
	io.say = app_say;
	io.confirm = app_confirm;
	io.done = app_done;
	(void)action_start(app_act.loop, app_act.kube, app_act.model, q->ns,
	    q->argc, q->argv, 0, &io);
	app_ask_free(q);
}

int
app_actions_hook(struct model *m, int argc, char **argv,
    const struct ui_target *t, char **cause)
{
	const struct action *a;
	struct app_ask	*q;
	struct kube_pod	*pod;
	const char	*name = NULL;
	char		*key;
	int		 i;

	if ((a = action_find(argv[0])) == NULL) {
		ui_message(1, "unknown command: %s", argv[0]);
		return 0;
	}
	if (a->target == ACTION_TARGET_DB) {
		if (a->implicit_target == NULL && (t->kind == NULL ||
		    strcmp(t->kind, "session") != 0)) {
			*cause = xstrdup("select a PostgreSQL session (4 shows "
			    "them)");
			return -1;
		}
		name = a->implicit_target == NULL ? t->name : NULL;
	} else if (a->target == ACTION_TARGET_ALERT) {
		if (t->kind == NULL || strcmp(t->kind, "alert") != 0) {
			*cause = xstrdup("select an alert (3 shows them)");
			return -1;
		}
		name = t->name;
	} else if (t->kind != NULL && strcmp(t->kind, "deployment") == 0)
		name = t->name;
	else if (t->kind != NULL && strcmp(t->kind, "pod") == 0) {
		xasprintf(&key, "%s/%s", t->ns, t->name);
		if ((pod = table_get(&m->pods, key)) != NULL)
			name = model_pod_deploy(m, pod);
		free(key);
		if (name == NULL) {
			*cause = xstrdup("this pod belongs to no deployment");
			return -1;
		}
	}
	if ((name == NULL && a->implicit_target == NULL) ||
	    (a->target == ACTION_TARGET_DEPLOYMENT && t->ns == NULL)) {
		*cause = xstrdup(t->kind != NULL && strcmp(t->kind, "alert") ==
		    0 ? "select a deployment (Enter on an alert shows its "
		    "pods)" : "select a deployment (Tab switches lists)");
		return -1;
	}
	if (argc + 1 > APP_WORDS_MAX) {
		*cause = xstrdup("too many words");
		return -1;
	}
	q = xcalloc(1, sizeof *q);
	/* An alert's action happens outside any namespace. */
	q->ns = a->target == ACTION_TARGET_DEPLOYMENT ? xstrdup(t->ns) : NULL;
	q->argv[q->argc++] = xstrdup(argv[0]);
	if (name != NULL)
		q->argv[q->argc++] = xstrdup(name);
	for (i = 1; i < argc; i++)
		q->argv[q->argc++] = xstrdup(argv[i]);
	app_next(q);
	return 0;
}
