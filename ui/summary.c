/* summary.c: one line for each view not shown, above the status bar, so a
 * small terminal showing one panel still tells what the others would:
 * "[3] alerts 2 critical, 9 warning (1 silenced)". The line's mark and
 * colour follow the worst thing in it. */
#include <stdio.h>
#include <string.h>

#include "model.h"
#include "ui-private.h"
#include "warroom.h"

#define SUMMARY_LEN	256

struct summary {
	char		 text[SUMMARY_LEN];
	enum ui_level	 level;
};

static int
summary_rows(const struct ui_list *l, enum ui_level level)
{
	size_t	 i;
	int	 n = 0;

	for (i = 0; i < l->nrows; i++)
		if (l->rows[i].kind != UI_ROW_GROUP && l->rows[i].level == level)
			n++;
	return n;
}

static int
summary_make(const struct model *m, struct summary *s, int max)
{
	const struct ui_list *d = &ui_state.panels[UI_PANEL_DEPLOYS].list;
	const struct ui_list *p = &ui_state.panels[UI_PANEL_PODS].list;
	const struct ui_list *r = &ui_state.panels[UI_PANEL_RES].list;
	int		 n = 0, i, crit = 0, warn = 0, muted = 0, down = 0;

	if (ui_state.view_id != UI_VIEW_KUBE && n < max) {
		snprintf(s[n].text, SUMMARY_LEN, "[1] kube  %zu deployments, "
		    "%d in trouble; pods %d in trouble", d->nrows, d->nproblem,
		    p->nproblem);
		s[n++].level = d->nproblem + p->nproblem > 0 ? UI_LEVEL_PROBLEM :
		    UI_LEVEL_OK;
	}
	if (ui_state.view_id != UI_VIEW_RES &&
	    m->sources[SOURCE_PROM].state != SOURCE_OFF && n < max) {
		crit = summary_rows(r, UI_LEVEL_PROBLEM);
		warn = summary_rows(r, UI_LEVEL_WARN);
		snprintf(s[n].text, SUMMARY_LEN, "[2] resources  %d critical, "
		    "%d warning of %d", crit, warn, r->total);
		s[n++].level = crit > 0 ? UI_LEVEL_PROBLEM : warn > 0 ?
		    UI_LEVEL_WARN : UI_LEVEL_OK;
	}
	if (ui_state.view_id != UI_VIEW_ALERTS &&
	    m->sources[SOURCE_ALERTS].state != SOURCE_OFF && n < max) {
		crit = warn = 0;
		for (i = 0; i < m->nalerts; i++) {
			if (m->alerts[i].silenced_by != NULL ||
			    m->alerts[i].inhibited_by != NULL)
				muted++;
			else if (m->alerts[i].level == 2)
				crit++;
			else
				warn++;
		}
		snprintf(s[n].text, SUMMARY_LEN, "[3] alerts  %d critical, %d "
		    "other firing, %d muted", crit, warn, muted);
		s[n++].level = crit > 0 ? UI_LEVEL_PROBLEM : warn > 0 ?
		    UI_LEVEL_WARN : UI_LEVEL_OK;
	}
	if (ui_state.view_id != UI_VIEW_DB && (m->sources[SOURCE_PG].state !=
	    SOURCE_OFF || m->sources[SOURCE_REDIS].state != SOURCE_OFF ||
	    m->db.nchecks > 0) && n < max) {
		for (i = 0; i < m->db.nchecks; i++)
			if (m->db.checks[i].up == 0)
				down++;
		snprintf(s[n].text, SUMMARY_LEN, "[4] databases  pg %d/%d "
		    "connections, %d sessions worth a look; redis slowlog %d; "
		    "%d health check%s down", m->db.pg_conns,
		    m->db.pg_max_conns, m->db.nsessions, m->db.nslow, down,
		    down == 1 ? "" : "s");
		s[n++].level = down > 0 ? UI_LEVEL_PROBLEM : UI_LEVEL_OK;
	}
	return n;
}

int
summary_count(const struct model *m)
{
	struct summary	 s[4];

	if (ui_wide())
		return 0;	/* every panel is on the screen */
	return summary_make(m, s, 4);
}

void
summary_draw(const struct model *m, int y, int h, int w)
{
	struct summary	 s[4];
	struct ui_row	 row;
	int		 i, n;

	n = summary_make(m, s, 4);
	memset(&row, 0, sizeof row);
	for (i = 0; i < h && i < n; i++) {
		row.kind = UI_ROW_POD;
		row.level = s[i].level;
		draw_text(stdscr, y + i, 0, w, "", panel_row_attr(&row, 0),
		    ui_state.ascii);
		panel_cell(y + i, 0, 1, panel_marker(s[i].level), 0,
		    panel_row_attr(&row, 0));
		draw_text(stdscr, y + i, 2, w - 2, s[i].text,
		    panel_row_attr(&row, 0), ui_state.ascii);
	}
}
