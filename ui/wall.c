/* wall.c: the war-room wall screen (--wall). A three-line banner (context,
 * cluster, namespace, PRODUCTION when it says so, the clock, and every
 * source's state and data age), then a band with the critical alerts and
 * the broken deployments, large and at the top; the views take turns every
 * 'set wall-cycle' seconds. Read-only: the action layer refuses, and keys
 * other than q, ?, C-l only say how to leave. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "config.h"
#include "fmt.h"
#include "model.h"
#include "table.h"
#include "ui-private.h"
#include "warroom.h"

#define WALL_BAND_MAX	4	/* lines of the critical band */
#define WALL_LINE	512

struct wall_item {
	char		 text[WALL_LINE];
};

/* The critical alerts (not muted) and the deployments short of ready
 * replicas, worst first; returns how many (all, even past max). */
static int
wall_items(const struct model *m, struct wall_item *it, int max, time_t now)
{
	const struct kube_deploy *d;
	const struct model_alert *a;
	char		 age[32], what[256];
	size_t		 pos = 0;
	int		 i, n = 0;

	for (i = 0; i < m->nalerts; i++) {
		a = &m->alerts[i];
		if (a->level != 2 || a->silenced_by != NULL ||
		    a->inhibited_by != NULL)
			continue;
		if (n < max) {
			fmt_duration(a->starts_at != 0 && now > a->starts_at ?
			    (long)(now - a->starts_at) : 0, age, sizeof age);
			snprintf(what, sizeof what, "%s%s%s", a->ns != NULL ?
			    a->ns : "", a->ns != NULL ? "/" : "", a->pod != NULL ?
			    a->pod : a->deployment != NULL ? a->deployment :
			    a->service != NULL ? a->service : "");
			snprintf(it[n].text, WALL_LINE, "CRITICAL  %s  %s  for %s"
			    "  %s", a->name, what, age, a->summary != NULL ?
			    a->summary : "");
		}
		n++;
	}
	while ((d = table_next(&m->deploys, &pos)) != NULL) {
		if (d->ready >= d->desired)
			continue;
		if (n < max)
			snprintf(it[n].text, WALL_LINE, "DEPLOYMENT  %s  %d of %d "
			    "ready  (%d available)", d->name, d->ready, d->desired,
			    d->available);
		n++;
	}
	return n;
}

int
wall_band_height(const struct model *m)
{
	struct wall_item it[WALL_BAND_MAX];
	int		 n = wall_items(m, it, WALL_BAND_MAX, now_wall());

	return n > WALL_BAND_MAX ? WALL_BAND_MAX : n;
}

static void
wall_center(int y, int w, const char *text, attr_t attr)
{
	char	 buf[WALL_LINE * 2];
	int	 tw;

	sanitize_into(buf, sizeof buf, text);
	tw = draw_width(buf, ui_state.ascii);
	draw_text(stdscr, y, 0, w, "", attr, ui_state.ascii);
	draw_text(stdscr, y, tw < w ? (w - tw) / 2 : 0, w, buf, attr,
	    ui_state.ascii);
}

void
wall_draw_banner(const struct model *m, int y, int w, time_t now)
{
	struct ui_segment segs[SOURCE__COUNT + 8];
	struct tm	 tm;
	char		 line[WALL_LINE], clock[16];
	const char	*ns = m->namespace != NULL ? m->namespace : "all";
	int		 prod, n, i;
	size_t		 len;
	attr_t		 a = theme_attr(UI_ROLE_BANNER);

	localtime_r(&now, &tm);
	strftime(clock, sizeof clock, "%H:%M:%S", &tm);
	prod = strstr(ns, "prod") != NULL || (m->context != NULL &&
	    strstr(m->context, "prod") != NULL);
	draw_text(stdscr, y, 0, w, "", a, ui_state.ascii);
	snprintf(line, sizeof line, "WARROOM  %s  %s  cluster %s  namespace %s"
	    "%s  %s", clock, m->context != NULL ? m->context : "(no context)",
	    m->cluster != NULL ? m->cluster : "?", ns, prod ? "  PRODUCTION" :
	    "", "read-only wall");
	wall_center(y + 1, w, line, a);
	/* Every source's state and the age of its data. */
	n = statusbar_segments(m, now, segs, (int)nitems(segs));
	line[0] = '\0';
	for (i = 0, len = 0; i < n && len < sizeof line - 8; i++) {
		if (strncmp(segs[i].text, "ctx ", 4) == 0 ||
		    strncmp(segs[i].text, "ns ", 3) == 0 ||
		    strcmp(segs[i].text, "[READ-ONLY]") == 0)
			continue;
		len += (size_t)snprintf(line + len, sizeof line - len, "%s%s",
		    len > 0 ? "   " : "", segs[i].text);
	}
	wall_center(y + 2, w, line, theme_attr(UI_ROLE_BANNER));
}

void
wall_draw_band(const struct model *m, int y, int h, int w, time_t now)
{
	struct wall_item it[WALL_BAND_MAX];
	struct ui_row	 row;
	char		 line[WALL_LINE + 8];
	int		 i, n;

	n = wall_items(m, it, WALL_BAND_MAX, now);
	memset(&row, 0, sizeof row);
	row.kind = UI_ROW_POD;
	row.level = UI_LEVEL_PROBLEM;
	for (i = 0; i < h; i++) {
		if (i == h - 1 && n > h)
			snprintf(line, sizeof line, " %s  and %d more",
			    panel_marker(UI_LEVEL_PROBLEM), n - h + 1);
		else
			snprintf(line, sizeof line, " %s  %s",
			    panel_marker(UI_LEVEL_PROBLEM), it[i].text);
		draw_text(stdscr, y + i, 0, w, line, panel_row_attr(&row, 0) |
		    A_REVERSE | A_BOLD, ui_state.ascii);
	}
}

/* The views the wall takes turns with: those with a source. */
void
wall_tick(const struct model *m, time_t now)
{
	static time_t	 last;
	int		 v, i, n = view_count();

	/* Turns only when the screen cannot show every panel at once. */
	if (!ui_state.wall || cfg.wall_cycle <= 0 || view_wide())
		return;
	if (last == 0)
		last = now;
	if (now - last < (time_t)cfg.wall_cycle)
		return;
	last = now;
	v = ui_state.view_id;
	for (i = 0; i < n; i++) {
		v = (v + 1) % n;
		if (view_table[v].wall && view_present(m, v))
			break;
	}
	if (v != ui_state.view_id)
		view_set(v);
}
