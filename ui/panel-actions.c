/* panel-actions.c: the action log: this session's actions, newest at the
 * bottom, each with where it is (checking, waiting for confirmation,
 * applying, following the rollout) or how it ended, and its latest line.
 * It takes a few lines above the status bar once there is an action; 'a'
 * hides or shows it. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "model.h"
#include "ui-private.h"
#include "warroom.h"

#define PANEL_ACTIONS_ROWS	4	/* entries shown at most */

int
panel_actions_height(const struct model *m, int area)
{
	int	 rows;

	if (m->nactions == 0 || ui_state.log_hidden)
		return 0;
	rows = m->nactions < PANEL_ACTIONS_ROWS ? m->nactions :
	    PANEL_ACTIONS_ROWS;
	/* Leave the lists room: at least 8 lines. */
	if (area - (rows + 1) < 8)
		rows = area - 9;
	return rows > 0 ? rows + 1 : 0;
}

/* The mark and the colour of an entry: running, done, failed, cancelled. */
static const char *
panel_actions_mark(const struct model_action *a, enum ui_role *role)
{
	int	 ascii = ui_state.ascii;

	if (!a->finished) {
		*role = UI_ROLE_ROW_WARN;
		return ascii ? "~" : "\xe2\x80\xa6";
	}
	if (a->rc == 0) {
		*role = UI_ROLE_ROW;
		return ascii ? "+" : "\xe2\x9c\x93";
	}
	if (strcmp(a->phase, "cancelled") == 0) {
		*role = UI_ROLE_ROW_DIM;
		return "-";
	}
	*role = UI_ROLE_ROW_PROBLEM;
	return ascii ? "!" : "\xe2\x9c\x97";
}

void
panel_actions_draw(const struct model *m, int y, int h, int w, time_t now)
{
	const struct model_action *a;
	enum ui_role	 role;
	struct tm	 tm;
	char		 where[64], line[1024], when[16], took[32];
	const char	*mark;
	double		 secs;
	int		 rows = h - 1, first, i, ww, pw;

	snprintf(where, sizeof where, "%d this session", m->nactions);
	panel_section(y, w, 0, "Actions", where);
	first = m->nactions - rows;
	if (first < 0)
		first = 0;
	/* Columns as wide as the entries shown need, within reason. */
	ww = pw = 0;
	for (i = first; i < m->nactions; i++) {
		a = &m->actions[i];
		if (draw_width(a->what, ui_state.ascii) > ww)
			ww = draw_width(a->what, ui_state.ascii);
		if (draw_width(a->phase, ui_state.ascii) > pw)
			pw = draw_width(a->phase, ui_state.ascii);
	}
	if (ww > 40)
		ww = 40;
	for (i = 0; i < rows; i++) {
		if (first + i >= m->nactions) {
			draw_text(stdscr, y + 1 + i, 0, w, "",
			    theme_attr(UI_ROLE_ROW), ui_state.ascii);
			continue;
		}
		a = &m->actions[first + i];
		mark = panel_actions_mark(a, &role);
		localtime_r(&a->started, &tm);
		strftime(when, sizeof when, "%H:%M:%S", &tm);
		secs = (a->finished ? a->t1 : now_mono()) - a->t0;
		snprintf(took, sizeof took, "%.0fs", secs < 0 ? 0 : secs);
		snprintf(line, sizeof line, " %s %s %-5s %-*s  %-*s  %s", when,
		    mark, took, ww, a->what, pw, a->phase, a->line != NULL ?
		    a->line : "");
		draw_text(stdscr, y + 1 + i, 0, w, line, theme_attr(role),
		    ui_state.ascii);
	}
	(void)now;
}
