/* palette.c: the ':' command line. It runs the ui's commands (":refresh")
 * and the action layer's actions (":scale web 3", ":rollback ns/web 2"),
 * with Tab completing action, command and deployment names and degrade
 * profiles, and the usage of the action being typed shown above it. An
 * action without a target acts on the selected row, like its key. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "action.h"
#include "config.h"
#include "model.h"
#include "ui-private.h"
#include "warroom.h"

#define PALETTE_WORDS	32
#define PALETTE_CANDS	512

/* Candidates for one word: borrowed strings, or owned when marked. */
struct palette_cands {
	char		*v[PALETTE_CANDS];
	int		 n;
};

void
palette_open(void)
{
	if (ui_state.palette != NULL)
		return;
	ui_state.palette = xcalloc(1, sizeof *ui_state.palette);
	ui_state.palette->hint = xstrdup("an action (scale, rollback, ...) or "
	    "a command; Tab completes, Enter runs, Escape closes");
	ui_state.redraw |= UI_REDRAW_BOTTOM | UI_REDRAW_STATUS;
}

void
palette_free(void)
{
	if (ui_state.palette == NULL)
		return;
	free(ui_state.palette->hint);
	free(ui_state.palette);
	ui_state.palette = NULL;
}

static void
palette_close(void)
{
	palette_free();
	ui_state.redraw |= UI_REDRAW_BOTTOM | UI_REDRAW_STATUS;
}

static void
palette_hint(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void
palette_hint(const char *fmt, ...)
{
	va_list	 ap;
	char	*s;

	va_start(ap, fmt);
	xvasprintf(&s, fmt, ap);
	va_end(ap);
	free(ui_state.palette->hint);
	ui_state.palette->hint = sanitize(s);
	free(s);
}

/* Split text into words (in place). */
static int
palette_split(char *text, char **argv, int max)
{
	char	*p = text, *w;
	int	 n = 0;

	while (n < max && (w = strsep(&p, " \t")) != NULL) {
		if (*w != '\0')
			argv[n++] = w;
	}
	return n;
}

static void
palette_add(struct palette_cands *c, const char *s, const char *prefix)
{
	int	 i;

	if (c->n == PALETTE_CANDS || strncmp(s, prefix, strlen(prefix)) != 0)
		return;
	for (i = 0; i < c->n; i++)
		if (strcmp(c->v[i], s) == 0)
			return;
	c->v[c->n++] = xstrdup(s);
}

/* The deployments a name may mean: "name" in the namespace shown, or
 * "ns/name" when all namespaces are shown. */
static void
palette_deploys(const struct model *m, struct palette_cands *c,
    const char *prefix)
{
	const struct kube_deploy *d;
	char		 buf[512];
	size_t		 pos = 0;

	while ((d = table_next(&m->deploys, &pos)) != NULL) {
		if (m->namespace != NULL) {
			if (strcmp(d->ns, m->namespace) == 0)
				palette_add(c, d->name, prefix);
		} else {
			snprintf(buf, sizeof buf, "%s/%s", d->ns, d->name);
			palette_add(c, buf, prefix);
		}
	}
}

/* The candidates for word k (0-based) of a line whose earlier words are
 * argv. */
static void
palette_candidates(const struct model *m, char **argv, int k,
    const char *prefix, struct palette_cands *c)
{
	const struct action *a;
	const char	*name;
	int		 i;

	if (k == 0) {
		for (i = 0; action_table[i] != NULL; i++)
			palette_add(c, action_table[i]->name, prefix);
		for (i = 0; (name = ui_command_name(i)) != NULL; i++)
			palette_add(c, name, prefix);
		return;
	}
	if ((a = action_find(argv[0])) == NULL)
		return;
	if (k == 1 && a->target == ACTION_TARGET_ALERT) {
		for (i = 0; i < m->nalerts; i++)
			palette_add(c, m->alerts[i].name, prefix);
	} else if (k == 1)
		palette_deploys(m, c, prefix);
	else if (k == 2 && strcmp(a->name, "degrade") == 0) {
		for (i = 0; i < cfg.ndegrades; i++)
			palette_add(c, cfg.degrades[i].name, prefix);
	}
}

static int
palette_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Show what the line means so far: the action's usage. */
static void
palette_usage(void)
{
	char		 copy[UI_PALETTE_MAX], *argv[PALETTE_WORDS];
	const struct action *a;
	int		 n;

	snprintf(copy, sizeof copy, "%s", ui_state.palette->text);
	n = palette_split(copy, argv, PALETTE_WORDS);
	if (n > 0 && (a = action_find(argv[0])) != NULL)
		palette_hint("%s \xe2\x80\x94 %s", a->usage, a->note);
	else if (n > 0 && ui_command_find(argv[0]) != -1)
		palette_hint("the %s command", argv[0]);
	else
		palette_hint("Tab completes, Enter runs, Escape closes");
}

void
palette_complete(const struct model *m)
{
	struct ui_palette *p = ui_state.palette;
	struct palette_cands c;
	char		 copy[UI_PALETTE_MAX], *argv[PALETTE_WORDS], *word;
	char		 list[512];
	size_t		 len, lcp, i;
	int		 n, k, j;

	snprintf(copy, sizeof copy, "%s", p->text);
	len = strlen(p->text);
	n = palette_split(copy, argv, PALETTE_WORDS);
	/* The word under completion: the last, or a new one after a space. */
	if (len == 0 || p->text[len - 1] == ' ') {
		k = n;
		word = p->text + len;
	} else {
		k = n - 1;
		word = strrchr(p->text, ' ');
		word = word != NULL ? word + 1 : p->text;
	}
	memset(&c, 0, sizeof c);
	palette_candidates(m, argv, k, word, &c);
	if (c.n == 0) {
		palette_hint("nothing to complete here");
		return;
	}
	qsort(c.v, (size_t)c.n, sizeof *c.v, palette_cmp);
	/* The longest common prefix of the candidates. */
	lcp = strlen(c.v[0]);
	for (j = 1; j < c.n; j++) {
		for (i = 0; i < lcp && c.v[j][i] == c.v[0][i]; i++)
			/* nothing */;
		lcp = i;
	}
	if ((size_t)(word - p->text) + lcp + 2 < sizeof p->text) {
		memcpy(word, c.v[0], lcp);
		word[lcp] = '\0';
		if (c.n == 1)
			strcat(word, " ");
	}
	if (c.n == 1)
		palette_usage();
	else {
		list[0] = '\0';
		for (j = 0; j < c.n; j++) {
			if (strlen(list) + strlen(c.v[j]) + 6 >= sizeof list) {
				strcat(list, " ...");
				break;
			}
			if (j > 0)
				strcat(list, "  ");
			strcat(list, c.v[j]);
		}
		palette_hint("%d choices: %s", c.n, list);
	}
	for (j = 0; j < c.n; j++)
		free(c.v[j]);
}

/* The namespace of a deployment named on the line: "ns/name", or the one
 * shown, or the only namespace that has it. NULL and *cause if none. */
static const char *
palette_namespace(const struct model *m, char **name, char **cause)
{
	const struct kube_deploy *d, *found = NULL;
	size_t		 pos = 0;
	char		*slash, *ns;
	int		 n = 0;

	if ((slash = strchr(*name, '/')) != NULL) {
		/* "ns/name": both are the line's own text, split in place. */
		ns = *name;
		*slash = '\0';
		*name = slash + 1;
		if (*ns == '\0' || **name == '\0') {
			*cause = xstrdup("write NAMESPACE/NAME");
			return NULL;
		}
		return ns;
	}
	if (m->namespace != NULL)
		return m->namespace;
	while ((d = table_next(&m->deploys, &pos)) != NULL) {
		if (strcmp(d->name, *name) == 0) {
			found = d;
			n++;
		}
	}
	if (n == 1)
		return found->ns;
	xasprintf(cause, n == 0 ? "no deployment \"%s\" is shown" :
	    "\"%s\" is in several namespaces: write NAMESPACE/NAME", *name);
	return NULL;
}

static void
palette_run(struct model *m)
{
	char		 line[UI_PALETTE_MAX], *argv[PALETTE_WORDS];
	char		*av[PALETTE_WORDS], *name, *cause = NULL;
	struct ui_target t;
	int		 argc, i;

	snprintf(line, sizeof line, "%s", ui_state.palette->text);
	palette_close();
	if ((argc = palette_split(line, argv, PALETTE_WORDS)) == 0)
		return;
	if (ui_command_find(argv[0]) != -1 || action_find(argv[0]) == NULL ||
	    argc == 1) {
		/* A ui command, or an action on the selected row. */
		if (ui_command_find(argv[0]) == -1 &&
		    action_find(argv[0]) == NULL) {
			ui_message(1, "unknown command or action \"%s\"",
			    argv[0]);
			return;
		}
		if (ui_command_run(m, argc, argv))
			ui_state.quit = 1;
		return;
	}
	name = argv[1];
	memset(&t, 0, sizeof t);
	t.kind = "deployment";
	if (action_find(argv[0])->target == ACTION_TARGET_ALERT)
		t.kind = "alert";
	else if ((t.ns = palette_namespace(m, &name, &cause)) == NULL) {
		ui_message(1, "%s: %s", argv[0], cause);
		free(cause);
		return;
	}
	t.name = name;
	av[0] = argv[0];
	for (i = 2; i < argc; i++)
		av[i - 1] = argv[i];
	if (ui_action_hook == NULL)
		ui_message(1, "unknown command: %s", argv[0]);
	else if (ui_action_hook(m, argc - 1, av, &t, &cause) != 0) {
		ui_message(1, "%s: %s", argv[0], cause != NULL ? cause :
		    "failed");
		free(cause);
	}
	ui_sync(m);
}

void
palette_key(struct model *m, int key)
{
	struct ui_palette *p = ui_state.palette;

	switch (key) {
	case KEYMAP_KEY_ENTER:
		palette_run(m);
		return;
	case KEYMAP_KEY_ESCAPE:
		palette_close();
		return;
	case '\t':
		palette_complete(m);
		break;
	case 'u' & 0x1f:
		p->text[0] = '\0';
		palette_usage();
		break;
	default:
		if (!ui_edit_key(p->text, sizeof p->text, key))
			return;
		palette_usage();
		break;
	}
	ui_state.redraw |= UI_REDRAW_BOTTOM | UI_REDRAW_STATUS;
}

void
palette_draw(int y, int w)
{
	struct ui_palette *p = ui_state.palette;
	char		 text[UI_PALETTE_MAX + 2];
	int		 x;

	if (p->hint != NULL)
		draw_text(stdscr, y - 1, 0, w, p->hint,
		    theme_attr(UI_ROLE_HINT), ui_state.ascii);
	draw_text(stdscr, y, 0, w, "", theme_attr(UI_ROLE_NORMAL),
	    ui_state.ascii);
	snprintf(text, sizeof text, ":%s", p->text);
	x = draw_width(text, ui_state.ascii);
	if (x > w - 1)
		x = w - 1;
	draw_text(stdscr, y, 0, x, text, theme_attr(UI_ROLE_FILTER),
	    ui_state.ascii);
	draw_text(stdscr, y, x, 1, " ", theme_attr(UI_ROLE_FILTER) ^ A_REVERSE,
	    ui_state.ascii);
}
