/* panel-kube.c: the deployments and pods panels. Rows come from the model's
 * tables, trouble first; pods are grouped under their deployment or not;
 * the filter and the selection (kept on the same object by key) live here. */
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "table.h"
#include "ui-private.h"
#include "warroom.h"

#define KUBE_CELL	256	/* bytes of one formatted cell */

enum {
	DCOL_NS, DCOL_NAME, DCOL_READY, DCOL_UPTODATE, DCOL_AVAILABLE,
	DCOL_REV, DCOL_AGE, DCOL_HPA, DCOL__COUNT
};
enum {
	PCOL_NS, PCOL_NAME, PCOL_READY, PCOL_STATUS, PCOL_RESTARTS, PCOL_AGE,
	PCOL_NODE, PCOL__COUNT
};

/* Columns: title, min, (want from content), flex, prio, right. */
static const struct draw_col panel_kube_dcols[DCOL__COUNT] = {
	{ "NAMESPACE", 6, 0, 1, 3, 0, 0 },
	{ "NAME", 10, 0, 1, 0, 0, 0 },
	{ "READY", 5, 0, 0, 0, 0, 0 },
	{ "UP-TO-DATE", 10, 0, 0, 4, 0, 0 },
	{ "AVAILABLE", 9, 0, 0, 5, 0, 0 },
	{ "REV", 3, 0, 0, 6, 1, 0 },
	{ "AGE", 3, 5, 0, 2, 0, 0 },
	{ "HPA", 3, 0, 0, 1, 0, 0 },
};
static const struct draw_col panel_kube_pcols[PCOL__COUNT] = {
	{ "NAMESPACE", 6, 0, 1, 4, 0, 0 },
	{ "NAME", 12, 0, 1, 0, 0, 0 },
	{ "READY", 5, 0, 0, 0, 0, 0 },
	{ "STATUS", 10, 0, 0, 0, 0, 0 },
	{ "RESTARTS", 3, 0, 0, 0, 0, 0 },
	{ "AGE", 3, 5, 0, 2, 0, 0 },
	{ "NODE", 8, 0, 1, 5, 0, 0 },
};

/* STATUS texts that mean trouble, whatever else the pod says. */
static const char *panel_kube_bad[] = {
	"CrashLoopBackOff", "OOMKilled", "Error", "ImagePullBackOff",
	"ErrImagePull", "InvalidImageName", "Evicted", "Unknown", "NodeLost",
	"DeadlineExceeded", "Failed",
};

/* Pods of one deployment (or of none), for the grouped pod list. */
struct panel_kube_group {
	const char		*ns;
	const char		*name;		/* NULL: pods of no deployment */
	const struct kube_deploy *deploy;
	enum ui_level		 level;
	int			 npods;
	int			 nproblem;
	size_t			 rank;		/* place among the groups */
};

struct panel_kube_entry {
	const struct kube_pod	*pod;
	struct panel_kube_group	*group;
	enum ui_level		 level;
};

struct panel_kube_count {
	int			 npods;
	int			 nproblem;
	int			 nmatch;	/* pods that match the filter */
};

/* qsort has no argument: whether pods are sorted by group first. */
static int	 panel_kube_grouped;
/* The pods being sorted; kept between rebuilds so that 10,000 pods do not
 * mean a large allocation and free several times a second. */
static struct panel_kube_entry *panel_kube_e;
static size_t	 panel_kube_ecap;

enum ui_level
panel_kube_pod_level(const struct kube_pod *pod)
{
	const char	*status = pod->status != NULL ? pod->status : "";
	size_t		 i;

	if (pod->problem)
		return UI_LEVEL_PROBLEM;
	if (strcmp(status, "Running") == 0)	/* the usual case, no bad word */
		return pod->restart_count > 0 ? UI_LEVEL_WARN : UI_LEVEL_OK;
	for (i = 0; i < nitems(panel_kube_bad); i++) {
		if (strstr(status, panel_kube_bad[i]) != NULL)
			return UI_LEVEL_PROBLEM;
	}
	if (strcmp(status, "Running") != 0 &&
	    strcmp(status, "Completed") != 0 &&
	    strcmp(status, "Succeeded") != 0)
		return UI_LEVEL_WARN;
	if (pod->restart_count > 0)
		return UI_LEVEL_WARN;
	return UI_LEVEL_OK;
}

int
panel_kube_deploy_mismatch(const struct kube_deploy *d)
{
	return d->desired != d->updated || d->desired != d->ready ||
	    d->desired != d->available;
}

static int
panel_kube_pod_match(const struct kube_pod *pod, const char *f)
{
	return draw_match(pod->ns, f) || draw_match(pod->name, f) ||
	    draw_match(pod->status, f) || draw_match(pod->node, f);
}

static const struct kube_hpa *
panel_kube_hpa_for(const struct model *m, const struct kube_deploy *d)
{
	const struct kube_hpa	*h;
	size_t			 pos = 0;

	while ((h = table_next(&m->hpas, &pos)) != NULL) {
		if (h->target_kind != NULL &&
		    strcmp(h->target_kind, "Deployment") == 0 &&
		    h->target_name != NULL && h->ns != NULL &&
		    strcmp(h->target_name, d->name) == 0 &&
		    strcmp(h->ns, d->ns) == 0)
			return h;
	}
	return NULL;
}

/* Cells. */

static void
panel_kube_deploy_cells(const struct ui_row *r, time_t now,
    char cells[][PANEL_CELL])
{
	const struct kube_deploy *d = r->obj;

	sanitize_into(cells[DCOL_NS], KUBE_CELL, d->ns);
	sanitize_into(cells[DCOL_NAME], KUBE_CELL, d->name);
	snprintf(cells[DCOL_READY], KUBE_CELL, "%d/%d", d->ready, d->desired);
	snprintf(cells[DCOL_UPTODATE], KUBE_CELL, "%d", d->updated);
	snprintf(cells[DCOL_AVAILABLE], KUBE_CELL, "%d", d->available);
	snprintf(cells[DCOL_REV], KUBE_CELL, "%ld", d->revision);
	panel_age(d->created, now, cells[DCOL_AGE], KUBE_CELL);
	if (r->hpa != NULL) {
		snprintf(cells[DCOL_HPA], KUBE_CELL, "hpa %d-%d", r->hpa->min,
		    r->hpa->max);
	} else
		cells[DCOL_HPA][0] = '\0';
}

static void
panel_kube_pod_cells(const struct ui_row *r, time_t now,
    char cells[][PANEL_CELL])
{
	const struct kube_pod	*pod = r->obj;

	sanitize_into(cells[PCOL_NS], KUBE_CELL, pod->ns);
	sanitize_into(cells[PCOL_NAME], KUBE_CELL, pod->name);
	sanitize_into(cells[PCOL_READY], KUBE_CELL,
	    pod->ready != NULL ? pod->ready : "");
	sanitize_into(cells[PCOL_STATUS], KUBE_CELL,
	    pod->status != NULL ? pod->status : "");
	sanitize_into(cells[PCOL_RESTARTS], KUBE_CELL,
	    pod->restarts != NULL ? pod->restarts : "");
	panel_age(pod->created, now, cells[PCOL_AGE], KUBE_CELL);
	sanitize_into(cells[PCOL_NODE], KUBE_CELL,
	    pod->node != NULL ? pod->node : "<none>");
}

/* Columns an outside string takes once sanitized; printable ASCII, the usual
 * case, without copying it. */
static int
panel_kube_text_width(const char *s)
{
	const unsigned char	*p = (const unsigned char *)s;
	char			 buf[KUBE_CELL];

	if (s == NULL)
		return 0;
	while (*p >= 0x20 && *p < 0x7f)
		p++;
	if (*p == '\0') {
		size_t	 n = (size_t)(p - (const unsigned char *)s);

		return (int)(n < KUBE_CELL - 1 ? n : KUBE_CELL - 1);
	}
	sanitize_into(buf, sizeof buf, s);
	return draw_width(buf, ui_state.ascii);
}

static void
panel_kube_pod_widths(const struct ui_row *r, int *w)
{
	const struct kube_pod	*pod = r->obj;

	w[PCOL_NS] = panel_kube_text_width(pod->ns);
	w[PCOL_NAME] = panel_kube_text_width(pod->name);
	w[PCOL_READY] = panel_kube_text_width(pod->ready);
	w[PCOL_STATUS] = panel_kube_text_width(pod->status);
	w[PCOL_RESTARTS] = panel_kube_text_width(pod->restarts);
	w[PCOL_AGE] = 0;	/* ages are short; the title sets the width */
	w[PCOL_NODE] = panel_kube_text_width(pod->node != NULL ? pod->node :
	    "<none>");
}

static void
panel_kube_deploy_widths(const struct ui_row *r, int *w)
{
	static char cells[DCOL__COUNT][PANEL_CELL];
	int	 c;

	panel_kube_deploy_cells(r, 0, cells);
	for (c = 0; c < DCOL__COUNT; c++)
		w[c] = draw_width(cells[c], ui_state.ascii);
	w[DCOL_AGE] = 0;
}

/* Widest content of each column (titles count), for the layout. Runs over
 * every row on each rebuild, so it measures without formatting. */
static void
panel_kube_wants(struct ui_list *l, const struct draw_col *cols, int ncols,
    void (*widths_fn)(const struct ui_row *, int *))
{
	size_t	 i;
	int	 c, w[8];

	for (c = 0; c < ncols; c++)
		l->want[c] = draw_width(cols[c].title, 1);
	for (i = 0; i < l->nrows; i++) {
		if (l->rows[i].kind == UI_ROW_GROUP)
			continue;
		widths_fn(&l->rows[i], w);
		for (c = 0; c < ncols; c++) {
			if (w[c] > l->want[c])
				l->want[c] = w[c];
		}
	}
}

/* Deployments. */

static int
panel_kube_deploy_cmp(const void *a, const void *b)
{
	const struct ui_row	*x = a, *y = b;
	int			 rc;

	if (x->level != y->level)
		return x->level > y->level ? -1 : 1;
	if ((rc = strcmp(x->ns, y->ns)) != 0)
		return rc;
	return strcmp(x->name, y->name);
}

static void
panel_kube_deploys_rebuild(struct ui_panel *p, const struct model *m,
    const struct ui_view *v)
{
	struct ui_list		*l = &p->list;
	const struct kube_pod	*pod;
	const struct kube_deploy *d;
	struct panel_kube_count	*c;
	struct ui_row		*r;
	struct table		 counts;
	const char		*dname;
	char			 key[600];
	size_t			 pos, old = l->sel;

	table_init(&counts, free);
	pos = 0;
	while ((pod = table_next(&m->pods, &pos)) != NULL) {
		if ((dname = model_pod_deploy(m, pod)) == NULL)
			continue;
		snprintf(key, sizeof key, "%s/%s", pod->ns, dname);
		if ((c = table_get(&counts, key)) == NULL) {
			c = xcalloc(1, sizeof *c);
			table_put(&counts, key, c);
		}
		c->npods++;
		if (panel_kube_pod_level(pod) == UI_LEVEL_PROBLEM)
			c->nproblem++;
		if (panel_kube_pod_match(pod, v->filter))
			c->nmatch++;
	}

	l->nrows = 0;
	l->nproblem = 0;
	l->total = 0;
	pos = 0;
	while ((d = table_next(&m->deploys, &pos)) != NULL) {
		l->total++;
		snprintf(key, sizeof key, "%s/%s", d->ns, d->name);
		c = table_get(&counts, key);
		if (!draw_match(d->ns, v->filter) &&
		    !draw_match(d->name, v->filter) &&
		    (c == NULL || c->nmatch == 0))
			continue;
		r = panel_list_add(l);
		r->kind = UI_ROW_DEPLOY;
		r->obj = d;
		r->ns = d->ns;
		r->name = d->name;
		r->mismatch = panel_kube_deploy_mismatch(d);
		r->npods = c != NULL ? c->npods : 0;
		r->nproblem = c != NULL ? c->nproblem : 0;
		r->hpa = panel_kube_hpa_for(m, d);
		if (r->mismatch || r->nproblem > 0 ||
		    (d->progress_reason != NULL &&
		    strcmp(d->progress_reason, "ProgressDeadlineExceeded") == 0))
			r->level = UI_LEVEL_PROBLEM;
		if (r->level == UI_LEVEL_PROBLEM)
			l->nproblem++;
	}
	table_clear(&counts);
	if (l->nrows > 0)
		qsort(l->rows, l->nrows, sizeof *l->rows, panel_kube_deploy_cmp);
	panel_kube_wants(l, panel_kube_dcols, DCOL__COUNT,
	    panel_kube_deploy_widths);
	panel_list_restore(l, old);
}

/* Pods. */

/* Groups: trouble first, then by namespace and name, the ungrouped last. */
static int
panel_kube_group_cmp(const void *a, const void *b)
{
	const struct panel_kube_group *gx, *gy;
	int			 rc;

	gx = *(const struct panel_kube_group *const *)a;
	gy = *(const struct panel_kube_group *const *)b;

	if (gx->level != gy->level)
		return gx->level > gy->level ? -1 : 1;
	if ((gx->name == NULL) != (gy->name == NULL))
		return gx->name == NULL ? 1 : -1;
	if ((rc = strcmp(gx->ns, gy->ns)) != 0)
		return rc;
	if (gx->name != NULL)
		return strcmp(gx->name, gy->name);
	return 0;
}

/* Rank the groups once, so that sorting 10,000 pods compares numbers. */
static void
panel_kube_rank_groups(struct table *groups)
{
	struct panel_kube_group	**g;
	size_t			  n, i;

	g = (struct panel_kube_group **)table_values(groups, &n);
	qsort(g, n, sizeof *g, panel_kube_group_cmp);
	for (i = 0; i < n; i++)
		g[i]->rank = i;
	free(g);
}

static int
panel_kube_pod_cmp(const void *a, const void *b)
{
	const struct panel_kube_entry *x = a, *y = b;
	int			 rc;

	if (panel_kube_grouped && x->group->rank != y->group->rank)
		return x->group->rank < y->group->rank ? -1 : 1;
	if (x->level != y->level)
		return x->level > y->level ? -1 : 1;
	if ((rc = strcmp(x->pod->ns, y->pod->ns)) != 0)
		return rc;
	return strcmp(x->pod->name, y->pod->name);
}

/* The group of a pod, made on first sight. */
static struct panel_kube_group *
panel_kube_group_get(struct table *groups, const struct model *m,
    const struct kube_pod *pod, const char *dname)
{
	struct panel_kube_group	*g;
	char			 key[600];

	if (dname != NULL)
		snprintf(key, sizeof key, "%s/%s", pod->ns, dname);
	else
		snprintf(key, sizeof key, "/");
	if ((g = table_get(groups, key)) != NULL)
		return g;
	g = xcalloc(1, sizeof *g);
	g->ns = dname != NULL ? pod->ns : "";
	g->name = dname;
	if (dname != NULL) {
		g->deploy = table_get(&m->deploys, key);
		if (g->deploy != NULL && panel_kube_deploy_mismatch(g->deploy))
			g->level = UI_LEVEL_PROBLEM;
	}
	table_put(groups, key, g);
	return g;
}

static void
panel_kube_pods_rebuild(struct ui_panel *p, const struct model *m,
    const struct ui_view *v)
{
	struct ui_list		*l = &p->list;
	struct panel_kube_entry	*e = panel_kube_e;
	struct panel_kube_group	*last = NULL;
	const struct kube_pod	*pod;
	struct ui_row		*r;
	struct table		 groups;
	const char		*dname;
	size_t			 pos = 0, n = 0, cap = panel_kube_ecap, i;
	size_t			 old = l->sel;

	table_init(&groups, free);
	l->total = 0;
	while ((pod = table_next(&m->pods, &pos)) != NULL) {
		l->total++;
		dname = model_pod_deploy(m, pod);
		if (v->scope_name != NULL && (dname == NULL ||
		    strcmp(dname, v->scope_name) != 0 ||
		    strcmp(pod->ns, v->scope_ns) != 0))
			continue;
		if (!panel_kube_pod_match(pod, v->filter))
			continue;
		if (n == cap) {
			cap = cap == 0 ? 256 : cap * 2;
			e = xreallocarray(e, cap, sizeof *e);
			panel_kube_e = e;
			panel_kube_ecap = cap;
		}
		e[n].pod = pod;
		e[n].level = panel_kube_pod_level(pod);
		e[n].group = panel_kube_group_get(&groups, m, pod,
		    v->group ? dname : NULL);
		e[n].group->npods++;
		if (e[n].level == UI_LEVEL_PROBLEM)
			e[n].group->nproblem++;
		if (e[n].level > e[n].group->level)
			e[n].group->level = e[n].level;
		n++;
	}
	panel_kube_grouped = v->group;
	if (v->group)
		panel_kube_rank_groups(&groups);
	if (n > 0)
		qsort(e, n, sizeof *e, panel_kube_pod_cmp);

	l->nrows = 0;
	l->nproblem = 0;
	for (i = 0; i < n; i++) {
		if (v->group && e[i].group != last) {
			last = e[i].group;
			r = panel_list_add(l);
			r->kind = UI_ROW_GROUP;
			r->obj = last->deploy;
			r->ns = last->ns;
			r->name = last->name;
			r->level = last->level;
			r->npods = last->npods;
			r->nproblem = last->nproblem;
		}
		r = panel_list_add(l);
		r->kind = UI_ROW_POD;
		r->obj = e[i].pod;
		r->ns = e[i].pod->ns;
		r->name = e[i].pod->name;
		r->level = e[i].level;
		if (r->level == UI_LEVEL_PROBLEM)
			l->nproblem++;
	}
	/* Group rows borrow nothing from the groups table but its strings,
	   which are the model's. */
	table_clear(&groups);
	panel_kube_wants(l, panel_kube_pcols, PCOL__COUNT,
	    panel_kube_pod_widths);
	panel_list_restore(l, old);
}

/* Drawing. */

/* The columns present, laid out for width w (the marker takes two). */
static void
panel_kube_columns(const struct ui_list *l, const struct draw_col *base,
    int ncols, int all_ns, int hpa_col, int have_hpa, int w,
    struct draw_col *cols)
{
	int	 c;

	for (c = 0; c < ncols; c++) {
		cols[c] = base[c];
		if (cols[c].want < l->want[c])
			cols[c].want = l->want[c];
		if (cols[c].want > KUBE_CELL / 4)
			cols[c].want = KUBE_CELL / 4;
	}
	if (!all_ns)
		cols[0].min = -1;
	if (hpa_col >= 0 && !have_hpa)
		cols[hpa_col].min = -1;
	draw_layout(cols, ncols, w - 2);
}

/* A deployment heading in the pod list; its mark shows trouble only. */
static enum ui_level
panel_kube_heading(const struct ui_panel *p, const struct model *m,
    const struct ui_row *r, char *buf, size_t len)
{
	const struct kube_deploy *d = r->obj;
	char		 ns[256], name[256], text[800], ready[64];
	int		 all_ns = m->namespace == NULL;

	(void)p;
	if (r->name != NULL) {
		sanitize_into(ns, sizeof ns, r->ns);
		sanitize_into(name, sizeof name, r->name);
	} else {
		ns[0] = '\0';
		snprintf(name, sizeof name, "pods of no deployment");
	}
	ready[0] = '\0';
	if (d != NULL) {
		snprintf(ready, sizeof ready, "  ready %d/%d", d->ready,
		    d->desired);
	}
	snprintf(text, sizeof text, "%s%s%s%s  %d pod%s%s", ui_state.ascii ?
	    "- " : "\xe2\x96\xbe ", all_ns && ns[0] != '\0' ? ns : "",
	    all_ns && ns[0] != '\0' ? "/" : "", name, r->npods,
	    r->npods == 1 ? "" : "s", ready);
	if (r->nproblem > 0) {
		snprintf(text + strlen(text), sizeof text - strlen(text),
		    ", %d in trouble", r->nproblem);
	}
	snprintf(buf, len, "%s", text);
	return r->level == UI_LEVEL_PROBLEM ? UI_LEVEL_PROBLEM : UI_LEVEL_OK;
}

/* What an empty list says instead. */
static const char *
panel_kube_empty_text(const struct model *m, const struct ui_view *v,
    const struct ui_list *l, const char *what)
{
	static char	 buf[128];

	switch (m->sources[SOURCE_KUBE].state) {
	case SOURCE_OFF:
		if (m->kube_none)
			return "Kubernetes: not configured";
		/* FALLTHROUGH */
	case SOURCE_INIT:
		if (l->total == 0)
			return "waiting for the Kubernetes API...";
		break;
	case SOURCE_STALE:
	case SOURCE_DOWN:
		if (l->total == 0)
			return "no data: the Kubernetes API is not answering";
		break;
	case SOURCE_OK:
		break;
	}
	if (v->filter[0] != '\0' || (v->scope_name != NULL &&
	    strcmp(what, "pods") == 0)) {
		snprintf(buf, sizeof buf, "no %s match (Escape shows all)",
		    what);
		return buf;
	}
	snprintf(buf, sizeof buf, "no %s", what);
	return buf;
}

static const char *
panel_kube_deploys_empty(const struct ui_panel *p, const struct model *m,
    const struct ui_view *v)
{
	return panel_kube_empty_text(m, v, &p->list, "deployments");
}

static const char *
panel_kube_pods_empty(const struct ui_panel *p, const struct model *m,
    const struct ui_view *v)
{
	return panel_kube_empty_text(m, v, &p->list, "pods");
}

static void
panel_kube_deploys_frame(struct ui_panel *p, const struct model *m,
    const struct ui_view *v, int h, int w, time_t now, struct panel_frame *f)
{
	struct ui_list	*l = &p->list;
	size_t		 i;
	int		 have_hpa = 0;

	(void)v;
	(void)h;
	(void)now;
	for (i = 0; i < l->nrows; i++) {
		if (l->rows[i].hpa != NULL)
			have_hpa = 1;
	}
	f->ncols = DCOL__COUNT;
	panel_kube_columns(l, panel_kube_dcols, DCOL__COUNT,
	    m->namespace == NULL, DCOL_HPA, have_hpa, w, f->cols);
	if (l->nrows != (size_t)l->total) {
		snprintf(f->title, sizeof f->title, "Deployments %zu of %d",
		    l->nrows, l->total);
	} else
		snprintf(f->title, sizeof f->title, "Deployments %zu", l->nrows);
	if (l->nproblem > 0) {
		snprintf(f->title + strlen(f->title), sizeof f->title -
		    strlen(f->title), ", %d in trouble", l->nproblem);
	}
}

static void
panel_kube_pods_frame(struct ui_panel *p, const struct model *m,
    const struct ui_view *v, int h, int w, time_t now, struct panel_frame *f)
{
	struct ui_list	*l = &p->list;
	char		 title[400], scope[256];
	size_t		 i;
	int		 npods = 0;

	(void)h;
	(void)now;
	f->ncols = PCOL__COUNT;
	panel_kube_columns(l, panel_kube_pcols, PCOL__COUNT,
	    m->namespace == NULL, -1, 0, w, f->cols);
	for (i = 0; i < l->nrows; i++) {
		if (l->rows[i].kind == UI_ROW_POD)
			npods++;
	}
	if (npods != l->total)
		snprintf(title, sizeof title, "Pods %d of %d", npods, l->total);
	else
		snprintf(title, sizeof title, "Pods %d", npods);
	if (l->nproblem > 0) {
		snprintf(title + strlen(title), sizeof title - strlen(title),
		    ", %d in trouble", l->nproblem);
	}
	if (v->scope_name != NULL) {
		sanitize_into(scope, sizeof scope, v->scope_name);
		snprintf(title + strlen(title), sizeof title - strlen(title),
		    " (deployment %s)", scope);
	}
	snprintf(f->title, sizeof f->title, "%s", title);
}

static void
panel_kube_deploys_cells(const struct ui_panel *p, const struct ui_row *r,
    const struct panel_frame *f, time_t now, char cells[][PANEL_CELL])
{
	(void)p;
	(void)f;
	panel_kube_deploy_cells(r, now, cells);
}

static void
panel_kube_pods_cells(const struct ui_panel *p, const struct ui_row *r,
    const struct panel_frame *f, time_t now, char cells[][PANEL_CELL])
{
	(void)p;
	(void)f;
	panel_kube_pod_cells(r, now, cells);
}

void
panel_kube_enter(struct model *m)
{
	const struct ui_panel	*dp = view_panel_of(&panel_kube_deploys_ops);
	const struct ui_row	*row;

	(void)m;
	row = panel_list_selected(&dp->list);
	if (ui_state.focus != view_panel(&panel_kube_deploys_ops) ||
	    row == NULL) {
		ui_message(0, "select a deployment first (Tab switches lists)");
		return;
	}
	ui_scope_clear();
	ui_state.view.scope_ns = xstrdup(row->ns);
	ui_state.view.scope_name = xstrdup(row->name);
	ui_state.focus = view_panel(&panel_kube_pods_ops);
	ui_view_changed();
}

void
panel_kube_goto_pods(const char *ns, const char *deploy, const char *pod)
{
	struct ui_panel	*pp = view_panel_of(&panel_kube_pods_ops);
	struct ui_list	*l = &pp->list;

	ui_scope_clear();
	ui_state.view.filter[0] = '\0';
	ui_state.view.scope_ns = xstrdup(ns);
	ui_state.view.scope_name = xstrdup(deploy);
	if (pod != NULL) {
		free(l->sel_ns);
		free(l->sel_name);
		l->sel_ns = xstrdup(ns);
		l->sel_name = xstrdup(pod);
	}
	view_set(pp->view);
	ui_state.focus = view_panel(&panel_kube_pods_ops);
	ui_view_changed();
}

/* "5 deployments, 2 in trouble; pods 2 in trouble". */
int
panel_kube_summary(const struct model *m, char *buf, size_t len,
    enum ui_level *level)
{
	const struct ui_list *d = &view_panel_of(&panel_kube_deploys_ops)->list;
	const struct ui_list *p = &view_panel_of(&panel_kube_pods_ops)->list;

	(void)m;
	snprintf(buf, len, "%zu deployments, %d in trouble; pods %d in "
	    "trouble", d->nrows, d->nproblem, p->nproblem);
	*level = d->nproblem + p->nproblem > 0 ? UI_LEVEL_PROBLEM :
	    UI_LEVEL_OK;
	return 1;
}

static void
panel_kube_free(void)
{
	free(panel_kube_e);
	panel_kube_e = NULL;
	panel_kube_ecap = 0;
}

const struct ui_panel_ops panel_kube_deploys_ops = {
	.name = "deployments",
	.kind = "deployment",
	.rebuild = panel_kube_deploys_rebuild,
	.frame = panel_kube_deploys_frame,
	.cells = panel_kube_deploys_cells,
	.empty = panel_kube_deploys_empty,
	.free = panel_kube_free
};

const struct ui_panel_ops panel_kube_pods_ops = {
	.name = "pods",
	.kind = "pod",
	.rebuild = panel_kube_pods_rebuild,
	.frame = panel_kube_pods_frame,
	.cells = panel_kube_pods_cells,
	.heading = panel_kube_heading,
	.empty = panel_kube_pods_empty,
	.free = panel_kube_free
};
