/* view.c: the view table, one entry per view (tmux's cmd_table, htop's
 * Platform_meterTypes), and what loops over it: the panels it makes,
 * switching views, Tab, zoom, the wide layout and drawing the panes. */
#include <string.h>

#include "model.h"
#include "ui-private.h"
#include "warroom.h"

const struct view_entry view_table[] = {
	{ .name = "kube", .command = "view-kube", .key = "1",
	  .panels = { &panel_kube_deploys_ops, &panel_kube_pods_ops },
	  .focus = 1, .dirty = DIRTY_PODS | DIRTY_DEPLOYS, .wall = 1,
	  .summary = panel_kube_summary, .enter = panel_kube_enter },
	{ .name = "resources", .command = "view-resources", .key = "2",
	  .panels = { &panel_res_ops },
	  .dirty = DIRTY_RES | DIRTY_PODS | DIRTY_DEPLOYS,
	  .sources = VIEW_SOURCE(SOURCE_PROM), .wall = 1, .wide = 2,
	  .summary = panel_res_summary, .enter = panel_res_enter },
	{ .name = "alerts", .command = "view-alerts", .key = "3",
	  .panels = { &panel_alerts_ops }, .dirty = DIRTY_ALERTS,
	  .sources = VIEW_SOURCE(SOURCE_ALERTS), .wall = 1, .wide = 1,
	  .summary = panel_alerts_summary, .enter = panel_alerts_enter },
	{ .name = "databases", .command = "view-databases", .key = "4",
	  .panels = { &panel_db_ops }, .dirty = DIRTY_DB,
	  .sources = VIEW_SOURCE(SOURCE_PG) | VIEW_SOURCE(SOURCE_REDIS),
	  .wall = 1, .wide = 3, .summary = panel_db_summary },
};

int
view_count(void)
{
	return (int)nitems(view_table);
}

void
view_init(void)
{
	const struct view_entry *v;
	int		 i, k, n = 0;

	for (i = 0; i < view_count(); i++) {
		v = &view_table[i];
		for (k = 0; k < VIEW_PANELS && v->panels[k] != NULL; k++) {
			if (n == UI_PANELS_MAX)
				fatal("more than %d panels", UI_PANELS_MAX);
			ui_state.panels[n].ops = v->panels[k];
			ui_state.panels[n].view = i;
			n++;
		}
	}
	ui_state.npanels = n;
	ui_state.view_id = 0;
	ui_state.focus = view_panel(view_table[0].panels[view_table[0].focus]);
}

int
view_panel(const struct ui_panel_ops *ops)
{
	int	 i;

	for (i = 0; i < ui_state.npanels; i++) {
		if (ui_state.panels[i].ops == ops)
			return i;
	}
	return -1;
}

struct ui_panel *
view_panel_of(const struct ui_panel_ops *ops)
{
	int	 i = view_panel(ops);

	return i == -1 ? NULL : &ui_state.panels[i];
}

unsigned
view_dirty(void)
{
	unsigned	 dirty = 0;
	int		 i;

	for (i = 0; i < view_count(); i++)
		dirty |= view_table[i].dirty;
	return dirty;
}

int
view_present(const struct model *m, int v)
{
	unsigned	 s = view_table[v].sources;
	int		 id;

	if (s == 0)
		return 1;
	for (id = 0; id < SOURCE__COUNT; id++) {
		if ((s & VIEW_SOURCE(id)) && m->sources[id].state != SOURCE_OFF)
			return 1;
	}
	return 0;
}

/* How many panels view v has. */
static int
view_npanels(int v)
{
	int	 k;

	for (k = 0; k < VIEW_PANELS && view_table[v].panels[k] != NULL; k++)
		;
	return k;
}

/* Focus the view's first panel, unless one of its panels has it. */
void
view_set(int v)
{
	const struct view_entry *e = &view_table[v];

	ui_state.view_id = v;
	if (ui_state.panels[ui_state.focus].view != v)
		ui_state.focus = view_panel(e->panels[e->focus]);
	ui_state.redraw |= UI_REDRAW_ALL | UI_REDRAW_REBUILD;
}

size_t
view_split_rows(void)
{
	const struct ui_panel *p;

	p = view_panel_of(view_table[ui_state.view_id].panels[0]);
	return p != NULL ? p->list.nrows : 0;
}

int
view_wide(void)
{
	return COLS >= UI_WIDE_COLS && LINES >= UI_WIDE_LINES &&
	    !ui_state.zoom;
}

/* The right column of the wide layout: the panels of the views placed
 * there whose sources are configured, in their order. Returns how many (0:
 * the screen is not wide, or no such view is there). */
static int
view_wide_panels(const struct model *m, int *out)
{
	int	 n = 0, rank, i, k;

	if (!view_wide())
		return 0;
	for (rank = 1; rank <= view_count(); rank++) {
		for (i = 0; i < view_count(); i++) {
			if (view_table[i].wide != rank || !view_present(m, i))
				continue;
			for (k = 0; k < view_npanels(i); k++) {
				if (out != NULL && n < UI_PANELS_MAX)
					out[n] = view_panel(
					    view_table[i].panels[k]);
				n++;
			}
		}
	}
	return n;
}

/* Panel i drawn at y, h lines, w columns. */
static void
view_draw_panel(struct model *m, int i, int y, int h, int w, int focused,
    time_t now)
{
	panel_draw(&ui_state.panels[i], m, &ui_state.view, y, h, w, focused,
	    now);
}

/* Every panel at once: the first view's on the left (its first panel up to
 * a third), the others stacked on the right. */
static void
view_draw_wide(struct model *m, const struct ui_layout *l, time_t now)
{
	int	 right[UI_PANELS_MAX], left[VIEW_PANELS];
	int	 n, nl, lw, rw, dh, y, h, i;

	n = view_wide_panels(m, right);
	nl = view_npanels(0);
	for (i = 0; i < nl; i++)
		left[i] = view_panel(view_table[0].panels[i]);
	lw = COLS / 2;
	rw = COLS - lw - 1;
	dh = l->main_h;
	if (nl > 1) {
		dh = (int)ui_state.panels[left[0]].list.nrows + 2;
		if (dh > l->main_h / 3)
			dh = l->main_h / 3;
	}
	view_draw_panel(m, left[0], l->main_y, dh, lw,
	    ui_state.focus == left[0], now);
	if (nl > 1)
		view_draw_panel(m, left[1], l->main_y + dh, l->main_h - dh, lw,
		    ui_state.focus == left[1], now);
	for (y = l->main_y, i = 0; i < n; i++) {
		h = l->main_h / n + (i == n - 1 ? l->main_h % n : 0);
		draw_x0 = lw + 1;
		view_draw_panel(m, right[i], y, h, rw, ui_state.focus == right[i],
		    now);
		draw_x0 = 0;
		y += h;
	}
}

void
view_draw(struct model *m, const struct ui_layout *l, time_t now)
{
	int	 v = ui_state.view_id, top, bottom;

	if (view_wide_panels(m, NULL) > 0)
		view_draw_wide(m, l, now);
	else if (view_npanels(v) > 1) {
		top = view_panel(view_table[v].panels[0]);
		bottom = view_panel(view_table[v].panels[1]);
		view_draw_panel(m, top, l->deploys_y, l->deploys_h, COLS,
		    ui_state.focus == top, now);
		view_draw_panel(m, bottom, l->pods_y, l->pods_h, COLS,
		    ui_state.focus == bottom, now);
	} else {
		/* The focused panel: the view's, or one Tab reached on a
		 * wide screen since. */
		view_draw_panel(m, ui_state.focus, l->main_y, l->main_h, COLS,
		    1, now);
	}
}

void
view_focus(struct model *m, int dir)
{
	int	 order[UI_PANELS_MAX + VIEW_PANELS], n = 0, i, k;
	int	 v = ui_state.view_id;

	if ((k = view_wide_panels(m, NULL)) > 0) {
		/* Every panel shown, in order. */
		for (i = 0; i < view_npanels(0); i++)
			order[n++] = view_panel(view_table[0].panels[i]);
		n += view_wide_panels(m, order + n);
	} else {
		for (i = 0; i < view_npanels(v); i++)
			order[n++] = view_panel(view_table[v].panels[i]);
		if (n < 2)
			return;
	}
	for (i = 0; i < n && order[i] != ui_state.focus; i++)
		;
	if (i == n && k == 0)
		ui_state.focus = view_panel(view_table[v].panels[
		    view_table[v].focus]);
	else
		ui_state.focus = order[((i < n ? i : 0) + n + dir) % n];
}

void
view_zoom(void)
{
	ui_state.zoom = !ui_state.zoom;
	view_set(ui_state.panels[ui_state.focus].view);
}
