/* statusbar.c: the title line (warroom, context, clock), the status bar
 * (safety badges, context, namespace, each source's state and data age) and
 * the bottom line (filter prompt, message, filter, a failing source's whole
 * error, or key hints). */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "config.h"
#include "fmt.h"
#include "model.h"
#include "ui-private.h"
#include "warroom.h"

/* Commands whose first key the bottom line offers, and what to call them. */
static const struct {
	const char	*cmd;
	const char	*label;
} statusbar_hints[] = {
	{ "help", "help" },
	{ "filter", "filter" },
	{ "focus-next", "switch list" },
	{ "show-pods", "pods of deploy" },
	{ "toggle-group", "group" },
	{ "quit", "quit" },
};

#define STATUSBAR_ERR_COLS	24	/* of a source's error in the bar */

static const char *
statusbar_sep(void)
{
	return ui_state.ascii ? " | " : " \xe2\x94\x82 ";
}

/* The age up to which polled data still reads "live": two polls. */
static long
statusbar_fresh_s(void)
{
	long	 s = (long)(cfg.refresh * 2 + 0.999);

	return s < 2 ? 2 : s;
}

/* One source's state as the user reads it: "kube live", "kube STALE 12s". */
static void
statusbar_source(const struct model *m, enum source_id id, time_t now,
    struct ui_segment *seg)
{
	const struct source_status *s = &m->sources[id];
	const char	*name = model_source_name(id);
	char		 age[32], err[160], whole[256];
	long		 secs;

	secs = model_source_age(m, id, now);
	if (s->state == SOURCE_DOWN && secs < 0)
		secs = s->since != 0 && now > s->since ? (long)(now - s->since) : 0;
	if (secs >= 0)
		fmt_duration(secs, age, sizeof age);
	else
		age[0] = '\0';
	err[0] = '\0';
	if (s->error != NULL && (s->state == SOURCE_STALE ||
	    s->state == SOURCE_DOWN)) {
		/* Short here, so that the other sources stay in view; the
		 * bottom line has the whole error. */
		sanitize_into(whole, sizeof whole, s->error);
		err[0] = ':';
		err[1] = ' ';
		draw_fit(err + 2, sizeof err - 2, whole,
		    draw_width(whole, ui_state.ascii) < STATUSBAR_ERR_COLS ?
		    draw_width(whole, ui_state.ascii) : STATUSBAR_ERR_COLS, 0,
		    ui_state.ascii);
	}

	switch (s->state) {
	case SOURCE_OFF:
	case SOURCE_INIT:
		snprintf(seg->text, sizeof seg->text, "%s connecting", name);
		seg->role = UI_ROLE_STATUS;
		break;
	case SOURCE_OK:
		/* A polled source is as live as a watched one while its data
		 * is no older than a poll or two: "ok 1s", "live", "ok 1s"
		 * would only rewrite the line (and cost bytes over SSH). */
		if (s->live || secs <= 0 || secs <= statusbar_fresh_s())
			snprintf(seg->text, sizeof seg->text, "%s live", name);
		else
			snprintf(seg->text, sizeof seg->text, "%s ok %s", name,
			    age);
		seg->role = UI_ROLE_STATUS_OK;
		break;
	case SOURCE_STALE:
		snprintf(seg->text, sizeof seg->text, "%s STALE%s%s%s", name,
		    age[0] != '\0' ? " " : "", age, err);
		seg->role = UI_ROLE_STATUS_STALE;
		break;
	case SOURCE_DOWN:
		snprintf(seg->text, sizeof seg->text, "%s DOWN%s%s%s", name,
		    age[0] != '\0' ? " " : "", age, err);
		seg->role = UI_ROLE_STATUS_DOWN;
		break;
	}
}

/* "ALERTS 2 crit 3 warn": what fires and is not muted, seen from
 * every view. Returns the segments made (0 or 1). */
static int
statusbar_alerts(const struct model *m, struct ui_segment *seg)
{
	int	 i, crit = 0, warn = 0, other = 0;

	for (i = 0; i < m->nalerts; i++) {
		if (m->alerts[i].silenced_by != NULL ||
		    m->alerts[i].inhibited_by != NULL)
			continue;
		if (m->alerts[i].level == 2)
			crit++;
		else if (m->alerts[i].level == 1)
			warn++;
		else
			other++;
	}
	if (crit + warn + other == 0)
		return 0;
	snprintf(seg->text, sizeof seg->text, "ALERTS");
	if (crit > 0)
		snprintf(seg->text + strlen(seg->text), sizeof seg->text -
		    strlen(seg->text), " %d crit", crit);
	if (warn > 0)
		snprintf(seg->text + strlen(seg->text), sizeof seg->text -
		    strlen(seg->text), " %d warn", warn);
	if (other > 0)
		snprintf(seg->text + strlen(seg->text), sizeof seg->text -
		    strlen(seg->text), " %d other", other);
	seg->role = crit > 0 ? UI_ROLE_STATUS_DOWN : UI_ROLE_STATUS_STALE;
	return 1;
}

int
statusbar_segments(const struct model *m, time_t now, struct ui_segment *segs,
    int max)
{
	char	 buf[200];
	int	 n = 0, i;

	if (m->read_only && n < max) {
		snprintf(segs[n].text, sizeof segs[n].text, "[READ-ONLY]");
		segs[n++].role = UI_ROLE_BADGE_READONLY;
	}
	if (m->tls_insecure && n < max) {
		snprintf(segs[n].text, sizeof segs[n].text, "TLS VERIFY OFF");
		segs[n++].role = UI_ROLE_BADGE_INSECURE;
	}
	if (m->cleartext && n < max) {
		snprintf(segs[n].text, sizeof segs[n].text, "CLEARTEXT AUTH");
		segs[n++].role = UI_ROLE_BADGE_INSECURE;
	}
	if (n < max) {
		sanitize_into(buf, sizeof buf, m->context != NULL ?
		    m->context : "(no context)");
		snprintf(segs[n].text, sizeof segs[n].text, "ctx %s", buf);
		segs[n++].role = UI_ROLE_STATUS;
	}
	if (n < max) {
		if (m->namespace != NULL)
			sanitize_into(buf, sizeof buf, m->namespace);
		snprintf(segs[n].text, sizeof segs[n].text, "ns %s",
		    m->namespace != NULL ? buf : "all");
		segs[n++].role = UI_ROLE_STATUS;
	}
	if (n < max)
		n += statusbar_alerts(m, &segs[n]);
	for (i = 0; i < SOURCE__COUNT && n < max; i++) {
		if (m->sources[i].state == SOURCE_OFF)
			continue;
		statusbar_source(m, i, now, &segs[n++]);
	}
	return n;
}

/* Segments left to right with separators; the last that fits is cut. */
static void
statusbar_draw_segments(int y, int w, const struct ui_segment *segs, int n,
    enum ui_role fill)
{
	const char	*sep = statusbar_sep();
	int		 i, x = 0, sw, tw;

	draw_text(stdscr, y, 0, w, "", theme_attr(fill), ui_state.ascii);
	for (i = 0; i < n && x < w; i++) {
		if (i > 0) {
			sw = draw_width(sep, ui_state.ascii);
			draw_text(stdscr, y, x, w - x, sep, theme_attr(fill),
			    ui_state.ascii);
			x += sw;
			if (x >= w)
				break;
		}
		tw = draw_width(segs[i].text, ui_state.ascii);
		if (tw > w - x)
			tw = w - x;
		draw_text(stdscr, y, x, tw, segs[i].text,
		    theme_attr(segs[i].role), ui_state.ascii);
		x += tw;
	}
}

void
statusbar_draw_title(const struct model *m, int y, int w, time_t now)
{
	struct ui_segment segs[4];
	struct tm	 tm;
	char		 clock[32], buf[200];
	int		 n = 0, cw;

	snprintf(segs[n].text, sizeof segs[n].text, " warroom");
	segs[n++].role = UI_ROLE_TITLE;
	if (ui_state.wall) {
		snprintf(segs[n].text, sizeof segs[n].text, "WALL");
		segs[n++].role = UI_ROLE_TITLE;
	}
	sanitize_into(buf, sizeof buf, m->context != NULL ? m->context :
	    "(no context)");
	snprintf(segs[n].text, sizeof segs[n].text, "%s", buf);
	segs[n++].role = UI_ROLE_TITLE;
	if (m->server != NULL) {
		sanitize_into(buf, sizeof buf, m->server);
		snprintf(segs[n].text, sizeof segs[n].text, "%s", buf);
		segs[n++].role = UI_ROLE_TITLE;
	}

	localtime_r(&now, &tm);
	strftime(clock, sizeof clock, "%H:%M:%S ", &tm);
	cw = draw_width(clock, ui_state.ascii);
	if (cw >= w)
		cw = 0;
	statusbar_draw_segments(y, w - cw, segs, n, UI_ROLE_TITLE);
	if (cw > 0) {
		draw_text(stdscr, y, w - cw, cw, clock, theme_attr(UI_ROLE_TITLE),
		    ui_state.ascii);
	}
}

void
statusbar_draw(const struct model *m, int y, int w, time_t now)
{
	struct ui_segment segs[SOURCE__COUNT + 6];
	int		 n;

	n = statusbar_segments(m, now, segs, (int)nitems(segs));
	statusbar_draw_segments(y, w, segs, n, UI_ROLE_STATUS);
}

/* The name of the first key bound to cmd; 0 if there is none. */
static int
statusbar_key_for(const char *cmd, char *name, size_t len)
{
	const struct keymap_binding *b;
	size_t		 j;

	for (j = 0; (b = keymap_binding(j)) != NULL; j++) {
		if (strcmp(b->table, KEYMAP_TABLE_NORMAL) == 0 &&
		    strcmp(b->argv[0], cmd) == 0) {
			keymap_key_name(b->key, name, len);
			return 1;
		}
	}
	return 0;
}

/* "? help  / filter  Tab switch list ...", from the keys bound now. */
static void
statusbar_hint_text(char *buf, size_t len)
{
	char		 name[32];
	size_t		 i, used = 0;

	buf[0] = '\0';
	for (i = 0; i < nitems(statusbar_hints); i++) {
		if (used + 1 >= len ||
		    !statusbar_key_for(statusbar_hints[i].cmd, name, sizeof name))
			continue;
		used += snprintf(buf + used, len - used, "%s%s %s",
		    used > 0 ? "  " : "", name, statusbar_hints[i].label);
		if (used >= len)
			used = len - 1;
	}
}

/* The error of the first failing source, whole: "kube: connection refused". */
static int
statusbar_error(char *buf, size_t len)
{
	const struct model	*m = ui_state.model;
	const struct source_status *s;
	char			 err[256];
	int			 i;

	if (m == NULL)
		return 0;
	for (i = 0; i < SOURCE__COUNT; i++) {
		s = &m->sources[i];
		if (s->error == NULL || (s->state != SOURCE_STALE &&
		    s->state != SOURCE_DOWN))
			continue;
		sanitize_into(err, sizeof err, s->error);
		snprintf(buf, len, "%s: %s", model_source_name(i), err);
		return 1;
	}
	return 0;
}

/* An open question: the preview on the status line, the prompt below. */
/*
 * A preview must be read whole before answering: wrap it in lines of w
 * columns that end on the status line (at most STATUSBAR_WRAP_MAX lines,
 * over whatever is above), breaking at spaces where it can.
 */
#define STATUSBAR_WRAP_MAX	6
static void
statusbar_draw_wrapped(int last_y, int w, const char *text, attr_t attr)
{
	const char	*start[STATUSBAR_WRAP_MAX + 1], *p, *brk, *q;
	char		 line[DRAW_CELL_MAX];
	unsigned int	 cp;
	size_t		 n;
	int		 nl = 0, cols, i, ascii = ui_state.ascii;

	for (p = text; *p != '\0' && nl < STATUSBAR_WRAP_MAX; ) {
		start[nl++] = p;
		cols = 0;
		brk = NULL;
		for (q = p; *q != '\0' && cols < w; q += n) {
			if ((n = draw_utf8_next(q, &cp)) == 0)
				break;
			if (*q == ' ')
				brk = q;
			cols++;
		}
		if (*q == '\0')
			break;
		p = brk != NULL && brk > p ? brk + 1 : q;
	}
	start[nl] = text + strlen(text);
	if (last_y - (nl - 1) < 1)
		nl = last_y;
	for (i = 0; i < nl; i++) {
		n = (size_t)(start[i + 1] - start[i]);
		if (i == nl - 1)
			n = strlen(start[i]);
		if (n >= sizeof line)
			n = sizeof line - 1;
		memcpy(line, start[i], n);
		line[n] = '\0';
		draw_text(stdscr, last_y - (nl - 1) + i, 0, w, line, attr, ascii);
	}
}

void
statusbar_draw_confirm(int status_y, int y, int w)
{
	const struct ui_confirm *c = ui_state.confirm;
	char		 text[UI_FILTER_MAX + 300];
	int		 x;

	if (c->preview != NULL)
		statusbar_draw_wrapped(status_y, w, c->preview,
		    theme_attr(UI_ROLE_MESSAGE));
	draw_text(stdscr, y, 0, w, "", theme_attr(UI_ROLE_NORMAL),
	    ui_state.ascii);
	if (c->prompt == NULL) {
		draw_text(stdscr, y, 0, w, "Apply? [y/N] ",
		    theme_attr(UI_ROLE_FILTER), ui_state.ascii);
		return;
	}
	snprintf(text, sizeof text, "%s%s", c->prompt, c->text);
	x = draw_width(text, ui_state.ascii);
	if (x > w - 1)
		x = w - 1;
	draw_text(stdscr, y, 0, x, text, theme_attr(UI_ROLE_FILTER),
	    ui_state.ascii);
	draw_text(stdscr, y, x, 1, " ", theme_attr(UI_ROLE_FILTER) ^ A_REVERSE,
	    ui_state.ascii);
	x++;
	draw_text(stdscr, y, x, w - x, "  (Escape cancels)",
	    theme_attr(UI_ROLE_HINT), ui_state.ascii);
}

void
statusbar_draw_bottom(int y, int w)
{
	const struct ui_view *v = &ui_state.view;
	char		 text[UI_FILTER_MAX + 300], buf[300], name[32];
	int		 x;

	draw_text(stdscr, y, 0, w, "", theme_attr(UI_ROLE_NORMAL),
	    ui_state.ascii);
	if (ui_state.prompt) {
		snprintf(text, sizeof text, "/%s", v->filter);
		x = draw_width(text, ui_state.ascii);
		if (x > w - 1)
			x = w - 1;
		draw_text(stdscr, y, 0, x, text, theme_attr(UI_ROLE_FILTER),
		    ui_state.ascii);
		/* A block cursor: the real one is hidden. */
		draw_text(stdscr, y, x, 1, " ",
		    theme_attr(UI_ROLE_FILTER) ^ A_REVERSE, ui_state.ascii);
		x++;
		draw_text(stdscr, y, x, w - x,
		    "  (Enter keeps, Escape clears)", theme_attr(UI_ROLE_HINT),
		    ui_state.ascii);
		return;
	}
	if (ui_state.message != NULL) {
		draw_text(stdscr, y, 0, w, ui_state.message,
		    theme_attr(ui_state.message_error ?
		    UI_ROLE_MESSAGE_ERROR : UI_ROLE_MESSAGE), ui_state.ascii);
		return;
	}
	if (v->filter[0] != '\0' || v->scope_name != NULL) {
		text[0] = '\0';
		if (v->filter[0] != '\0')
			snprintf(text, sizeof text, "filter: %s", v->filter);
		if (v->scope_name != NULL) {
			sanitize_into(buf, sizeof buf, v->scope_name);
			snprintf(text + strlen(text), sizeof text - strlen(text),
			    "%spods of %s", text[0] != '\0' ? statusbar_sep() :
			    "", buf);
		}
		x = draw_width(text, ui_state.ascii);
		if (x > w)
			x = w;
		draw_text(stdscr, y, 0, x, text, theme_attr(UI_ROLE_FILTER),
		    ui_state.ascii);
		if (statusbar_key_for("clear-filter", name, sizeof name)) {
			snprintf(buf, sizeof buf, "  %s shows all", name);
			draw_text(stdscr, y, x, w - x, buf,
			    theme_attr(UI_ROLE_HINT), ui_state.ascii);
		}
		return;
	}
	if (statusbar_error(text, sizeof text)) {
		draw_text(stdscr, y, 0, w, text,
		    theme_attr(UI_ROLE_MESSAGE_ERROR), ui_state.ascii);
		return;
	}
	if (ui_state.wall)
		return;
	statusbar_hint_text(text, sizeof text);
	draw_text(stdscr, y, 0, w, text, theme_attr(UI_ROLE_HINT),
	    ui_state.ascii);
}

/* 7, 24 -> 20, 137 -> 140, 1234 -> 1200: tens below 100 ms, two
 * significant figures above. */
static long
statusbar_round(long ms)
{
	long	 unit = 1;

	while (ms / unit >= 100)
		unit *= 10;
	if (ms < 10)
		return ms;
	unit = unit < 10 ? 10 : unit;
	return (ms + unit / 2) / unit * unit;
}

/* "health  auth-service ✓ 12ms │ content-service ✗ HTTP 503 │ postgres ✓
 * 3ms": down ones first, each with a mark as well as a colour. */
void
statusbar_draw_health(const struct model *m, int y, int w)
{
	struct ui_segment segs[64];
	const struct health_check *h;
	char		 name[64], err[64];
	int		 i, n = 0, pass;

	snprintf(segs[n].text, sizeof segs[n].text, "health");
	segs[n++].role = UI_ROLE_STATUS;
	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < m->db.nchecks && n < (int)nitems(segs); i++) {
			h = &m->db.checks[i];
			if ((pass == 0) != (h->up == 0))
				continue;
			sanitize_into(name, sizeof name, h->name);
			if (h->up == 1) {
				/* Rounded: steadier to read, fewer bytes. */
				snprintf(segs[n].text, sizeof segs[n].text,
				    "%s %s %ldms", name, ui_state.ascii ? "ok" :
				    "\xe2\x9c\x93", statusbar_round(
				    h->latency_ms));
				segs[n++].role = UI_ROLE_STATUS_OK;
			} else if (h->up == 0) {
				sanitize_into(err, sizeof err, h->error != NULL ?
				    h->error : "down");
				snprintf(segs[n].text, sizeof segs[n].text,
				    "%s %s DOWN %s", name, ui_state.ascii ? "!" :
				    "\xe2\x9c\x97", err);
				segs[n++].role = UI_ROLE_STATUS_DOWN;
			} else {
				snprintf(segs[n].text, sizeof segs[n].text,
				    "%s ?", name);
				segs[n++].role = UI_ROLE_STATUS;
			}
		}
	}
	statusbar_draw_segments(y, w, segs, n, UI_ROLE_STATUS);
}
