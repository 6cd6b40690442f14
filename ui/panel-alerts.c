/* panel-alerts.c: Alertmanager's alerts, critical first, grouped by
 * severity then by name, each with its state (active, silenced and by
 * whom, inhibited and by what), age, what it names and its summary; the
 * selected one's description and labels below. With the rules toggle, the
 * state of Prometheus's alerting rules instead (firing, pending, inactive). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fmt.h"
#include "model.h"
#include "table.h"
#include "ui-private.h"
#include "warroom.h"

#define ALERT_CELL	512
#define ALERT_DETAIL	3	/* lines for the selected alert */

enum {
	ACOL_NAME, ACOL_STATE, ACOL_AGE, ACOL_TARGET, ACOL_SUMMARY,
	ACOL__COUNT
};

static const struct draw_col panel_alerts_cols[ACOL__COUNT] = {
	{ "ALERT", 10, 0, 0, 0, 0, 0 },
	{ "STATE", 8, 0, 0, 0, 0, 0 },
	{ "AGE", 3, 5, 0, 2, 0, 0 },
	{ "TARGET", 8, 0, 1, 1, 0, 0 },
	{ "SUMMARY", 10, 0, 1, 3, 0, 0 },
};

/* RLCOL__COUNT >= ACOL__COUNT: one array holds either. */
enum {
	RLCOL_NAME, RLCOL_STATE, RLCOL_ACTIVE, RLCOL_FOR, RLCOL_SEVERITY,
	RLCOL_HEALTH, RLCOL__COUNT
};

static const struct draw_col panel_rules_cols[RLCOL__COUNT] = {
	{ "RULE", 10, 0, 1, 0, 0, 0 },
	{ "STATE", 8, 0, 0, 0, 0, 0 },
	{ "ACTIVE", 6, 6, 0, 1, 1, 0 },
	{ "FOR", 3, 5, 0, 3, 1, 0 },
	{ "SEVERITY", 8, 8, 0, 2, 0, 0 },
	{ "HEALTH", 6, 0, 1, 4, 0, 0 },
};


/* What an alert names, for the TARGET column: ns/pod, deployment, ... */
static void
panel_alerts_target(const struct model_alert *a, char *buf, size_t len)
{
	char	 raw[ALERT_CELL];
	const char *what = a->pod != NULL ? a->pod : a->deployment != NULL ?
	    a->deployment : a->service;

	if (what == NULL) {
		buf[0] = '\0';
		return;
	}
	snprintf(raw, sizeof raw, "%s%s%s", a->ns != NULL ? a->ns : "",
	    a->ns != NULL ? "/" : "", what);
	sanitize_into(buf, len, raw);
}

/* "active", "silenced", "inhibited": the word, never colour alone. */
static const char *
panel_alerts_state(const struct model_alert *a)
{
	if (a->silenced_by != NULL)
		return "silenced";
	if (a->inhibited_by != NULL)
		return "inhibited";
	return a->state;
}

static int
panel_alerts_match(const struct model_alert *a, const char *f)
{
	return draw_match(a->name, f) || (a->labels != NULL &&
	    draw_match(a->labels, f)) || (a->summary != NULL &&
	    draw_match(a->summary, f)) || (a->severity != NULL &&
	    draw_match(a->severity, f));
}

static enum ui_level
panel_alerts_level(const struct model_alert *a)
{
	if (a->silenced_by != NULL || a->inhibited_by != NULL)
		return UI_LEVEL_OK;
	return a->level == 2 ? UI_LEVEL_PROBLEM : a->level == 1 ?
	    UI_LEVEL_WARN : UI_LEVEL_OK;
}

/* Storage for the headings. */
static char	 panel_alerts_heads[8][64];

static void
panel_alerts_rebuild_alerts(struct ui_list *l, const struct model *m,
    const struct ui_view *v)
{
	const struct model_alert *a;
	struct ui_row	*r;
	int		 i, j, level, n, nh = 0;

	for (level = 2; level >= 0; level--) {
		n = 0;
		for (i = 0; i < m->nalerts; i++)
			if (m->alerts[i].level == level &&
			    (v->filter[0] == '\0' ||
			    panel_alerts_match(&m->alerts[i], v->filter)))
				n++;
		if (n == 0)
			continue;
		snprintf(panel_alerts_heads[nh], sizeof panel_alerts_heads[nh],
		    "%s %d", level == 2 ? "CRITICAL" : level == 1 ? "WARNING" :
		    "OTHER", n);
		r = panel_list_add(l);
		r->kind = UI_ROW_GROUP;
		r->level = level == 2 ? UI_LEVEL_PROBLEM : level == 1 ?
		    UI_LEVEL_WARN : UI_LEVEL_OK;
		r->ns = r->name = "";
		r->text = panel_alerts_heads[nh++];
		for (j = 0; j < m->nalerts; j++) {
			a = &m->alerts[j];
			if (a->level != level || (v->filter[0] != '\0' &&
			    !panel_alerts_match(a, v->filter)))
				continue;
			r = panel_list_add(l);
			r->kind = UI_ROW_ALERT;
			r->level = panel_alerts_level(a);
			r->obj = a;
			r->ns = "";
			r->name = a->fingerprint;
			if (r->level == UI_LEVEL_PROBLEM)
				l->nproblem++;
		}
	}
	l->total = m->nalerts;
}

static void
panel_alerts_rebuild_rules(struct ui_list *l, const struct model *m,
    const struct ui_view *v)
{
	static const char *const states[] = { "firing", "pending", "inactive" };
	const struct model_rule *rl;
	struct ui_row	*r;
	size_t		 s;
	int		 i, n, nh = 0;

	for (s = 0; s < nitems(states); s++) {
		n = 0;
		for (i = 0; i < m->nrules; i++)
			if (strcmp(m->rules[i].state, states[s]) == 0 &&
			    (v->filter[0] == '\0' ||
			    draw_match(m->rules[i].name, v->filter)))
				n++;
		if (n == 0)
			continue;
		snprintf(panel_alerts_heads[nh], sizeof panel_alerts_heads[nh],
		    "%s %d", s == 0 ? "FIRING" : s == 1 ? "PENDING" :
		    "INACTIVE", n);
		r = panel_list_add(l);
		r->kind = UI_ROW_GROUP;
		r->level = s == 0 ? UI_LEVEL_PROBLEM : s == 1 ?
		    UI_LEVEL_WARN : UI_LEVEL_OK;
		r->ns = r->name = "";
		r->text = panel_alerts_heads[nh++];
		for (i = 0; i < m->nrules; i++) {
			rl = &m->rules[i];
			if (strcmp(rl->state, states[s]) != 0 ||
			    (v->filter[0] != '\0' &&
			    !draw_match(rl->name, v->filter)))
				continue;
			r = panel_list_add(l);
			r->kind = UI_ROW_RULE;
			r->level = s == 0 ? UI_LEVEL_PROBLEM : s == 1 ?
			    UI_LEVEL_WARN : UI_LEVEL_OK;
			r->obj = rl;
			r->ns = rl->group != NULL ? rl->group : "";
			r->name = rl->name;
		}
	}
	l->total = m->nrules;
}

static void
panel_alerts_rebuild(struct ui_panel *p, const struct model *m,
    const struct ui_view *v)
{
	struct ui_list	*l = &p->list;
	size_t		 old = l->sel;

	l->nrows = 0;
	l->nproblem = 0;
	if (ui_state.rules)
		panel_alerts_rebuild_rules(l, m, v);
	else
		panel_alerts_rebuild_alerts(l, m, v);
	panel_list_restore(l, old);
}

static void
panel_alerts_title(const struct model *m, const struct ui_list *l,
    enum source_id id, time_t now, char *title, size_t len)
{
	const struct source_status *s = &m->sources[id];
	char	 err[160];
	long	 age;

	if (ui_state.rules)
		snprintf(title, len, "Alerting rules %d", l->total);
	else
		snprintf(title, len, "Alerts %d", l->total);
	if (l->nproblem > 0)
		snprintf(title + strlen(title), len - strlen(title),
		    ", %d critical", l->nproblem);
	if (s->state == SOURCE_STALE || s->state == SOURCE_DOWN) {
		age = model_source_age(m, id, now);
		sanitize_into(err, sizeof err, s->error != NULL ? s->error : "");
		if (age >= 0)
			snprintf(title + strlen(title), len - strlen(title),
			    "  %s %s, data %lds old: %s", id == SOURCE_PROM ?
			    "prometheus" : "alertmanager", s->state ==
			    SOURCE_DOWN ? "DOWN" : "STALE", age, err);
		else
			snprintf(title + strlen(title), len - strlen(title),
			    "  %s %s, no data yet: %s", id == SOURCE_PROM ?
			    "prometheus" : "alertmanager", s->state ==
			    SOURCE_DOWN ? "DOWN" : "STALE", err);
	}
}

static const char *
panel_alerts_empty(const struct model *m, enum source_id id,
    const struct ui_view *v)
{
	switch (m->sources[id].state) {
	case SOURCE_OFF:
		return id == SOURCE_PROM ? "no Prometheus configured (add "
		    "'prometheus URL' to the config)" : "no Alertmanager "
		    "configured (add 'alertmanager URL' to the config)";
	case SOURCE_INIT:
		return "waiting for an answer...";
	case SOURCE_STALE:
	case SOURCE_DOWN:
		return "no data: the server is not answering";
	case SOURCE_OK:
		break;
	}
	if (v->filter[0] != '\0')
		return "nothing matches (Escape shows all)";
	return ui_state.rules ? "no alerting rules" : "no alerts firing";
}

static void
panel_alerts_cells(const struct ui_row *r, time_t now,
    char cells[][PANEL_CELL])
{
	const struct model_alert *a = r->obj;

	sanitize_into(cells[ACOL_NAME], ALERT_CELL, a->name);
	snprintf(cells[ACOL_STATE], ALERT_CELL, "%s",
	    panel_alerts_state(a));
	panel_age(a->starts_at, now, cells[ACOL_AGE], ALERT_CELL);
	panel_alerts_target(a, cells[ACOL_TARGET], ALERT_CELL);
	sanitize_into(cells[ACOL_SUMMARY], ALERT_CELL, a->summary != NULL ?
	    a->summary : "");
}

static void
panel_rules_cells(const struct ui_row *r, time_t now,
    char cells[][PANEL_CELL])
{
	const struct model_rule *rl = r->obj;
	char	 err[ALERT_CELL - 16];

	sanitize_into(cells[RLCOL_NAME], ALERT_CELL, rl->name);
	snprintf(cells[RLCOL_STATE], ALERT_CELL, "%s", rl->state);
	snprintf(cells[RLCOL_ACTIVE], ALERT_CELL, "%d", rl->nactive);
	fmt_duration((long)rl->duration, cells[RLCOL_FOR], ALERT_CELL);
	sanitize_into(cells[RLCOL_SEVERITY], ALERT_CELL, rl->severity != NULL ?
	    rl->severity : "");
	sanitize_into(err, sizeof err, rl->last_error != NULL ?
	    rl->last_error : "");
	snprintf(cells[RLCOL_HEALTH], ALERT_CELL, "%s%s%s", rl->health != NULL ?
	    rl->health : "", err[0] != '\0' ? ": " : "", err);
}

/* The selected alert at the bottom: description, labels, who muted it. */
static void
panel_alerts_detail(const struct ui_list *l, int y, int w)
{
	const struct ui_row	*r = panel_list_selected(l);
	const struct model_alert *a;
	char			 line[ALERT_CELL * 2], clean[ALERT_CELL];
	attr_t			 attr = theme_attr(UI_ROLE_HINT);
	int			 i;

	for (i = 0; i < ALERT_DETAIL; i++)
		draw_text(stdscr, y + i, 0, w, "", attr, ui_state.ascii);
	if (r == NULL || r->kind != UI_ROW_ALERT)
		return;
	a = r->obj;
	sanitize_into(clean, sizeof clean, a->description != NULL ?
	    a->description : "(no description)");
	snprintf(line, sizeof line, "  %s", clean);
	draw_text(stdscr, y, 0, w, line, attr, ui_state.ascii);
	sanitize_into(clean, sizeof clean, a->labels);
	snprintf(line, sizeof line, "  severity=%s %s", a->severity != NULL ?
	    a->severity : "-", clean);
	draw_text(stdscr, y + 1, 0, w, line, attr, ui_state.ascii);
	if (a->silenced_by != NULL) {
		sanitize_into(clean, sizeof clean, a->silenced_by);
		snprintf(line, sizeof line, "  silenced %s", clean);
	} else if (a->inhibited_by != NULL) {
		sanitize_into(clean, sizeof clean, a->inhibited_by);
		snprintf(line, sizeof line, "  inhibited by %s", clean);
	} else
		snprintf(line, sizeof line, "  %s", a->pod != NULL ||
		    a->deployment != NULL || a->service != NULL ?
		    "Enter: its pods" : "");
	draw_text(stdscr, y + 2, 0, w, line, attr, ui_state.ascii);
}

static void
panel_alerts_want(struct draw_col *col, const char *cell)
{
	int	 w = draw_width(cell, ui_state.ascii);

	if (w > col->want)
		col->want = w;
}

static void
panel_alerts_frame(struct ui_panel *p, const struct model *m,
    const struct ui_view *v, int h, int w, time_t now, struct panel_frame *f)
{
	struct ui_list	*l = &p->list;
	struct draw_col	*cols = f->cols;
	static char	 cells[ACOL__COUNT][PANEL_CELL];
	enum source_id	 id = ui_state.rules ? SOURCE_PROM : SOURCE_ALERTS;
	size_t		 i;

	(void)v;
	if (ui_state.rules) {
		f->ncols = RLCOL__COUNT;
		/* The counts sit left under their right-aligned titles. */
		f->cells_left = 1;
		memcpy(cols, panel_rules_cols, sizeof panel_rules_cols);
		cols[RLCOL_NAME].want = 28;
		cols[RLCOL_STATE].want = 8;
		cols[RLCOL_HEALTH].want = 30;
	} else {
		f->ncols = ACOL__COUNT;
		memcpy(cols, panel_alerts_cols, sizeof panel_alerts_cols);
		cols[ACOL_STATE].want = 9;
		cols[ACOL_SUMMARY].want = 60;
		/* Names and targets as wide as the widest shown. */
		for (i = 0; i < l->nrows; i++) {
			if (l->rows[i].kind != UI_ROW_ALERT)
				continue;
			panel_alerts_cells(&l->rows[i], now, cells);
			panel_alerts_want(&cols[ACOL_NAME], cells[ACOL_NAME]);
			panel_alerts_want(&cols[ACOL_TARGET],
			    cells[ACOL_TARGET]);
		}
		if (h >= 2 + 4 + ALERT_DETAIL)
			f->foot = ALERT_DETAIL;
	}
	draw_layout(cols, f->ncols, w - 2);
	panel_alerts_title(m, l, id, now, f->title, sizeof f->title);
}

static void
panel_alerts_row_cells(const struct ui_panel *p, const struct ui_row *r,
    const struct panel_frame *f, time_t now, char cells[][PANEL_CELL])
{
	(void)p;
	(void)f;
	if (r->kind == UI_ROW_RULE)
		panel_rules_cells(r, now, cells);
	else
		panel_alerts_cells(r, now, cells);
}

/* The headings are "CRITICAL 2", "FIRING 1": their text alone. */
static enum ui_level
panel_alerts_heading(const struct ui_panel *p, const struct model *m,
    const struct ui_row *r, char *buf, size_t len)
{
	(void)p;
	(void)m;
	snprintf(buf, len, "%s", r->text);
	return r->level;
}

static const char *
panel_alerts_empty_text(const struct ui_panel *p, const struct model *m,
    const struct ui_view *v)
{
	(void)p;
	return panel_alerts_empty(m, ui_state.rules ? SOURCE_PROM :
	    SOURCE_ALERTS, v);
}

static void
panel_alerts_foot(struct ui_panel *p, int y, int h, int w)
{
	(void)h;
	panel_alerts_detail(&p->list, y, w);
}

/* Enter on an alert: the pods of the deployment it names (through its
 * deployment, pod or service label), where the remediation keys are. */
void
panel_alerts_enter(struct model *m)
{
	const struct ui_row	*row;
	const struct model_alert *a;
	const struct kube_pod	*pod = NULL;
	const char		*ns, *deploy = NULL;
	char			 key[512];

	row = panel_list_selected(&view_panel_of(&panel_alerts_ops)->list);
	if (row == NULL || row->kind != UI_ROW_ALERT) {
		ui_message(0, "select an alert first");
		return;
	}
	a = row->obj;
	ns = a->ns != NULL ? a->ns : m->namespace;
	if (ns != NULL && a->pod != NULL) {
		snprintf(key, sizeof key, "%s/%s", ns, a->pod);
		if ((pod = table_get(&m->pods, key)) != NULL)
			deploy = model_pod_deploy(m, pod);
	}
	if (deploy == NULL && a->deployment != NULL)
		deploy = a->deployment;
	if (deploy == NULL && ns != NULL && a->service != NULL) {
		snprintf(key, sizeof key, "%s/%s", ns, a->service);
		if (table_get(&m->deploys, key) != NULL)
			deploy = a->service;
	}
	if (deploy == NULL || ns == NULL) {
		ui_message(1, "%s names no deployment, pod or service that is "
		    "shown", a->name);
		return;
	}
	panel_kube_goto_pods(ns, deploy, pod != NULL ? pod->name : NULL);
}

/* "2 critical, 9 other firing, 1 muted". */
int
panel_alerts_summary(const struct model *m, char *buf, size_t len,
    enum ui_level *level)
{
	int	 i, crit = 0, warn = 0, muted = 0;

	if (m->sources[SOURCE_ALERTS].state == SOURCE_OFF)
		return 0;
	for (i = 0; i < m->nalerts; i++) {
		if (m->alerts[i].silenced_by != NULL ||
		    m->alerts[i].inhibited_by != NULL)
			muted++;
		else if (m->alerts[i].level == 2)
			crit++;
		else
			warn++;
	}
	snprintf(buf, len, "%d critical, %d other firing, %d muted", crit,
	    warn, muted);
	*level = crit > 0 ? UI_LEVEL_PROBLEM : warn > 0 ? UI_LEVEL_WARN :
	    UI_LEVEL_OK;
	return 1;
}

const struct ui_panel_ops panel_alerts_ops = {
	.name = "alerts",
	.kind = "alert",
	.rebuild = panel_alerts_rebuild,
	.frame = panel_alerts_frame,
	.cells = panel_alerts_row_cells,
	.heading = panel_alerts_heading,
	.empty = panel_alerts_empty_text,
	.foot = panel_alerts_foot
};
