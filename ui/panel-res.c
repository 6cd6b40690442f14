/* panel-res.c: resource use from Prometheus against the thresholds. Pods
 * are grouped under their deployment (with its autoscaler: replicas now,
 * wanted, min, max and its CPU target), groups and pods worst first; the
 * nodes follow. Each metric shows its percent, a mark for its level (not
 * colour alone) and a sparkline of its recent history. A query Prometheus
 * refused is shown as such, above the rows. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "table.h"
#include "ui-private.h"
#include "warroom.h"

#define RES_CELL	256
#define RES_SPARK	8	/* sparkline width, in samples */

enum {
	RCOL_NAME, RCOL_CPU, RCOL_MEM, RCOL_DISK, RCOL_NET, RCOL__COUNT
};

static const struct draw_col panel_res_cols[RCOL__COUNT] = {
	{ "NAME", 12, 0, 1, 0, 0, 0 },
	{ "CPU", 5, 0, 0, 0, 0, 0 },
	{ "MEMORY", 5, 0, 0, 0, 0, 0 },
	{ "DISK", 5, 0, 0, 1, 0, 0 },
	{ "NETWORK", 5, 0, 0, 2, 0, 0 },
};

/* One pod or node with what sorts it. */
struct panel_res_entry {
	const struct res_row	*row;
	const char		*group;		/* deployment, or NULL */
	int			 level;		/* worst metric's */
	double			 worst;		/* its highest percent */
	int			 glevel;	/* its group's */
	double			 gworst;
};

/* Storage for the headings' text, rebuilt with the rows. */
static char	**panel_res_texts;
static size_t	  panel_res_ntexts;

static void
panel_res_texts_free(void)
{
	size_t	 i;

	for (i = 0; i < panel_res_ntexts; i++)
		free(panel_res_texts[i]);
	free(panel_res_texts);
	panel_res_texts = NULL;
	panel_res_ntexts = 0;
}

static const char *
panel_res_keep(char *s)
{
	panel_res_texts = xreallocarray(panel_res_texts, panel_res_ntexts + 1,
	    sizeof *panel_res_texts);
	panel_res_texts[panel_res_ntexts++] = s;
	return s;
}

static enum ui_level
panel_res_ui_level(int level)
{
	return level == 2 ? UI_LEVEL_PROBLEM : level == 1 ? UI_LEVEL_WARN :
	    UI_LEVEL_OK;
}

static void
panel_res_measure(struct panel_res_entry *e)
{
	int	 k, lv;

	e->level = 0;
	e->worst = -1;
	for (k = 0; k < RES__COUNT; k++) {
		if (isnan(e->row->value[k]))
			continue;
		lv = model_res_level(k, e->row->value[k]);
		if (lv > e->level)
			e->level = lv;
		if (e->row->value[k] > e->worst)
			e->worst = e->row->value[k];
	}
}

/* The group of an entry: nodes, pods of no deployment (by namespace), a
 * deployment (by namespace and name). */
static int
panel_res_cmp_group(const void *a, const void *b)
{
	const struct panel_res_entry *x = a, *y = b;
	int	 c;

	if (x->row->scope != y->row->scope)
		return x->row->scope == RES_POD ? -1 : 1;
	if (x->row->scope == RES_NODE)
		return 0;
	if ((c = strcmp(x->row->ns, y->row->ns)) != 0)
		return c;
	if ((x->group == NULL) != (y->group == NULL))
		return x->group == NULL ? 1 : -1;
	return x->group != NULL ? strcmp(x->group, y->group) : 0;
}

static int
panel_res_same(const struct panel_res_entry *x,
    const struct panel_res_entry *y)
{
	return panel_res_cmp_group(x, y) == 0;
}

/* Nodes last; groups worst first, then by name; pods worst first. */
static int
panel_res_cmp(const void *a, const void *b)
{
	const struct panel_res_entry *x = a, *y = b;
	int	 c;

	if (x->row->scope != y->row->scope)
		return x->row->scope == RES_POD ? -1 : 1;
	if (x->glevel != y->glevel)
		return y->glevel - x->glevel;
	if (x->gworst != y->gworst)
		return x->gworst < y->gworst ? 1 : -1;
	if ((c = panel_res_cmp_group(x, y)) != 0)
		return c;
	if (x->level != y->level)
		return y->level - x->level;
	if (x->worst != y->worst)
		return x->worst < y->worst ? 1 : -1;
	return strcmp(x->row->name, y->row->name);
}

static const struct kube_hpa *
panel_res_hpa(const struct model *m, const char *ns, const char *deploy)
{
	const struct kube_hpa	*h;
	size_t			 pos = 0;

	while ((h = table_next(&m->hpas, &pos)) != NULL) {
		if (h->target_kind != NULL && h->target_name != NULL &&
		    strcmp(h->target_kind, "Deployment") == 0 &&
		    strcmp(h->target_name, deploy) == 0 &&
		    strcmp(h->ns, ns) == 0)
			return h;
	}
	return NULL;
}

/* "▾ knowledge-service  3 pods  hpa 3→5 (min 3, max 20, cpu 91%/70%)" */
static char *
panel_res_heading(const struct model *m, const struct panel_res_entry *e,
    int npods)
{
	const struct kube_hpa *h = NULL;
	char	 name[256], hpa[256], *s;

	if (e->row->scope == RES_NODE)
		return xstrdup("nodes");
	hpa[0] = '\0';
	if (e->group != NULL) {
		sanitize_into(name, sizeof name, e->group);
		h = panel_res_hpa(m, e->row->ns, e->group);
	} else
		snprintf(name, sizeof name, "pods of no deployment");
	if (h != NULL) {
		snprintf(hpa, sizeof hpa, "  hpa %d%s%d (min %d, max %d",
		    h->current, ui_state.ascii ? "->" : " \xe2\x86\x92 ",
		    h->desired, h->min, h->max);
		if (h->target_cpu > 0)
			snprintf(hpa + strlen(hpa), sizeof hpa - strlen(hpa),
			    ", cpu %d%%/%d%%", h->current_cpu, h->target_cpu);
		snprintf(hpa + strlen(hpa), sizeof hpa - strlen(hpa), ")");
	}
	xasprintf(&s, "%s  %d pod%s%s", name, npods, npods == 1 ? "" : "s",
	    hpa);
	return s;
}

static int
panel_res_match(const struct res_row *r, const char *group, const char *f)
{
	return draw_match(r->name, f) || (r->ns != NULL &&
	    draw_match(r->ns, f)) || (group != NULL && draw_match(group, f));
}

/* The deployment of a pod, through the model's pods, or NULL. */
static const char *
panel_res_deploy(const struct model *m, const struct res_row *r)
{
	const struct kube_pod	*pod;
	char			 key[512];

	snprintf(key, sizeof key, "%s/%s", r->ns, r->name);
	if ((pod = table_get(&m->pods, key)) == NULL)
		return NULL;
	return model_pod_deploy(m, pod);
}

static void
panel_res_rebuild(struct ui_panel *p, const struct model *m,
    const struct ui_view *v)
{
	struct ui_list		*l = &p->list;
	struct panel_res_entry	*e = NULL;
	struct ui_row		*r;
	void			**rows;
	size_t			 n, ne = 0, i, j, k, old = l->sel;
	int			 sc, metric;
	char			*s;

	l->nrows = 0;
	l->nproblem = 0;
	l->total = 0;
	panel_res_texts_free();
	/* The queries Prometheus refused come first. */
	for (sc = 0; sc < RES_SCOPE__COUNT; sc++)
		for (metric = 0; metric < RES__COUNT; metric++) {
			if (m->res_error[sc][metric] == NULL)
				continue;
			xasprintf(&s, "%s %s query: %s", model_res_scope_name(sc),
			    model_res_metric_name(metric),
			    m->res_error[sc][metric]);
			r = panel_list_add(l);
			r->kind = UI_ROW_GROUP;
			r->level = UI_LEVEL_WARN;
			r->ns = r->name = "";
			r->text = panel_res_keep(s);
		}
	for (sc = 0; sc < RES_SCOPE__COUNT; sc++) {
		rows = table_values(&m->res[sc], &n);
		l->total += (int)n;
		e = xreallocarray(e, ne + n + 1, sizeof *e);
		for (i = 0; i < n; i++) {
			e[ne].row = rows[i];
			e[ne].group = sc == RES_POD ?
			    panel_res_deploy(m, rows[i]) : NULL;
			if (v->filter[0] != '\0' && !panel_res_match(rows[i],
			    e[ne].group, v->filter))
				continue;
			panel_res_measure(&e[ne]);
			ne++;
		}
		free(rows);
	}
	/* Each group is as bad as its worst pod: group, measure, sort. */
	if (ne > 0)
		qsort(e, ne, sizeof *e, panel_res_cmp_group);
	for (i = 0; i < ne; i = j) {
		e[i].glevel = e[i].level;
		e[i].gworst = e[i].worst;
		for (j = i + 1; j < ne && panel_res_same(&e[i], &e[j]); j++) {
			if (e[j].level > e[i].glevel)
				e[i].glevel = e[j].level;
			if (e[j].worst > e[i].gworst)
				e[i].gworst = e[j].worst;
		}
		for (k = i + 1; k < j; k++) {
			e[k].glevel = e[i].glevel;
			e[k].gworst = e[i].gworst;
		}
	}
	if (ne > 0)
		qsort(e, ne, sizeof *e, panel_res_cmp);
	for (i = 0; i < ne; i = j) {
		for (j = i + 1; j < ne && panel_res_same(&e[i], &e[j]); j++)
			;
		r = panel_list_add(l);
		r->kind = UI_ROW_GROUP;
		r->level = panel_res_ui_level(e[i].glevel);
		r->ns = r->name = "";
		r->text = panel_res_keep(panel_res_heading(m, &e[i],
		    (int)(j - i)));
		for (k = i; k < j; k++) {
			r = panel_list_add(l);
			r->kind = e[k].row->scope == RES_POD ? UI_ROW_RES :
			    UI_ROW_NODE;
			r->level = panel_res_ui_level(e[k].level);
			r->obj = e[k].row;
			r->ns = e[k].row->ns != NULL ? e[k].row->ns : "";
			r->name = e[k].row->name;
			if (e[k].level == 2)
				l->nproblem++;
		}
	}
	free(e);
	panel_list_restore(l, old);
}

/* A sparkline of the last RES_SPARK samples, 0-100 %. */
static void
panel_res_spark(const struct res_row *r, int k, char *buf, size_t len)
{
	static const char *const bars[] = {
		"\xe2\x96\x81", "\xe2\x96\x82", "\xe2\x96\x83", "\xe2\x96\x84",
		"\xe2\x96\x85", "\xe2\x96\x86", "\xe2\x96\x87", "\xe2\x96\x88"
	};
	static const char ascii[] = "_.-:=+*#";
	const char	*bar;
	char		 c[2] = { ' ', '\0' };
	size_t		 used = 0, n;
	int		 i, first, b;
	double		 v;

	buf[0] = '\0';
	first = r->nhist[k] > RES_SPARK ? r->nhist[k] - RES_SPARK : 0;
	for (i = first; i < r->nhist[k]; i++) {
		v = r->hist[k][i];
		b = isnan(v) ? -1 : (int)(v / 100.0 * 8);
		if (b > 7)
			b = 7;
		if (b < 0 && !isnan(v))
			b = 0;
		if (b < 0)
			bar = " ";
		else if (ui_state.ascii) {
			c[0] = ascii[b];
			bar = c;
		} else
			bar = bars[b];
		if (used + (n = strlen(bar)) >= len)
			break;
		memcpy(buf + used, bar, n + 1);
		used += n;
	}
}

/* "87% ✗ ▁▂▅▇": the percent, the level's mark, the history. */
static void
panel_res_metric_cell(const struct res_row *r, int k, int width, char *buf,
    size_t len)
{
	char	 spark[64];
	int	 level;

	if (isnan(r->value[k])) {
		snprintf(buf, len, "-");
		return;
	}
	level = model_res_level(k, r->value[k]);
	panel_res_spark(r, k, spark, sizeof spark);
	snprintf(buf, len, "%3.0f%%%s%s%s", r->value[k],
	    level == 2 ? panel_marker(UI_LEVEL_PROBLEM) : level == 1 ? "*" :
	    " ", width >= 14 ? " " : "", width >= 14 ? spark : "");
}

static void
panel_res_title(const struct model *m, const struct ui_list *l, time_t now,
    char *title, size_t len)
{
	const struct source_status *s = &m->sources[SOURCE_PROM];
	char	 err[160];
	long	 age;

	snprintf(title, len, "Resources %d", l->total);
	if (l->nproblem > 0)
		snprintf(title + strlen(title), len - strlen(title),
		    ", %d critical", l->nproblem);
	if (s->state == SOURCE_STALE || s->state == SOURCE_DOWN) {
		age = model_source_age(m, SOURCE_PROM, now);
		sanitize_into(err, sizeof err, s->error != NULL ? s->error : "");
		if (age >= 0)
			snprintf(title + strlen(title), len - strlen(title),
			    "  prometheus %s, data %lds old: %s",
			    s->state == SOURCE_DOWN ? "DOWN" : "STALE", age, err);
		else
			snprintf(title + strlen(title), len - strlen(title),
			    "  prometheus %s, no data yet: %s",
			    s->state == SOURCE_DOWN ? "DOWN" : "STALE", err);
	}
}

static const char *
panel_res_empty(const struct model *m, const struct ui_view *v)
{
	switch (m->sources[SOURCE_PROM].state) {
	case SOURCE_OFF:
		return "no Prometheus configured (add 'prometheus URL' to the "
		    "config)";
	case SOURCE_INIT:
		return "waiting for Prometheus...";
	case SOURCE_STALE:
	case SOURCE_DOWN:
		return "no data: Prometheus is not answering";
	case SOURCE_OK:
		break;
	}
	return v->filter[0] != '\0' ? "nothing matches (Escape shows all)" :
	    "no resource data";
}

static const char *
panel_res_empty_text(const struct ui_panel *p, const struct model *m,
    const struct ui_view *v)
{
	(void)p;
	return panel_res_empty(m, v);
}

static void
panel_res_frame(struct ui_panel *p, const struct model *m,
    const struct ui_view *v, int h, int w, time_t now, struct panel_frame *f)
{
	struct ui_list	*l = &p->list;
	struct draw_col	*cols = f->cols;
	size_t		 i;
	int		 c;

	(void)v;
	(void)h;
	f->ncols = RCOL__COUNT;
	memcpy(cols, panel_res_cols, sizeof panel_res_cols);
	cols[RCOL_NAME].want = 4;
	for (i = 0; i < l->nrows; i++)
		if (l->rows[i].kind != UI_ROW_GROUP &&
		    draw_width(l->rows[i].name, ui_state.ascii) >
		    cols[RCOL_NAME].want)
			cols[RCOL_NAME].want = draw_width(l->rows[i].name,
			    ui_state.ascii);
	for (c = RCOL_CPU; c < RCOL__COUNT; c++)
		cols[c].want = 14;
	draw_layout(cols, RCOL__COUNT, w - 2);
	panel_res_title(m, l, now, f->title, sizeof f->title);
}

static void
panel_res_cells(const struct ui_panel *p, const struct ui_row *r,
    const struct panel_frame *f, time_t now, char cells[][PANEL_CELL])
{
	int	 k;

	(void)p;
	(void)now;
	sanitize_into(cells[RCOL_NAME], RES_CELL, r->name);
	for (k = 0; k < RES__COUNT; k++)
		panel_res_metric_cell(r->obj, k, f->cols[RCOL_CPU + k].width,
		    cells[RCOL_CPU + k], RES_CELL);
}

/* "▾ " and the heading's text, in a cell's bytes at most. */
static enum ui_level
panel_res_heading_text(const struct ui_panel *p, const struct model *m,
    const struct ui_row *r, char *buf, size_t len)
{
	(void)p;
	(void)m;
	snprintf(buf, len < RES_CELL ? len : RES_CELL, "%s%s", ui_state.ascii ?
	    "- " : "\xe2\x96\xbe ", r->text);
	return r->level;
}

/* Enter on a pod's resource row: its pods in the Kubernetes view. */
void
panel_res_enter(struct model *m)
{
	const struct ui_row	*row;
	const struct kube_pod	*pod;
	const char		*deploy;
	char			 key[512];

	row = panel_list_selected(&view_panel_of(&panel_res_ops)->list);
	if (row == NULL || row->kind != UI_ROW_RES) {
		ui_message(0, "select a pod first");
		return;
	}
	snprintf(key, sizeof key, "%s/%s", row->ns, row->name);
	if ((pod = table_get(&m->pods, key)) == NULL ||
	    (deploy = model_pod_deploy(m, pod)) == NULL) {
		ui_message(1, "pod %s belongs to no deployment shown",
		    row->name);
		return;
	}
	panel_kube_goto_pods(row->ns, deploy, pod->name);
}

/* "3 critical, 5 warning of 40". */
int
panel_res_summary(const struct model *m, char *buf, size_t len,
    enum ui_level *level)
{
	const struct ui_list *r = &view_panel_of(&panel_res_ops)->list;
	int	 crit, warn;

	if (m->sources[SOURCE_PROM].state == SOURCE_OFF)
		return 0;
	crit = panel_list_count(r, UI_LEVEL_PROBLEM);
	warn = panel_list_count(r, UI_LEVEL_WARN);
	snprintf(buf, len, "%d critical, %d warning of %d", crit, warn,
	    r->total);
	*level = crit > 0 ? UI_LEVEL_PROBLEM : warn > 0 ? UI_LEVEL_WARN :
	    UI_LEVEL_OK;
	return 1;
}

static void
panel_res_free(void)
{
	panel_res_texts_free();
}

const struct ui_panel_ops panel_res_ops = {
	.name = "resources",
	.kind = "pod",
	.rebuild = panel_res_rebuild,
	.frame = panel_res_frame,
	.cells = panel_res_cells,
	.heading = panel_res_heading_text,
	.empty = panel_res_empty_text,
	.free = panel_res_free
};
