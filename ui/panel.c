/* panel.c: what every panel shares (htop's Panel): the row list with a
 * selection that follows its object, a row's mark and colours, cells, the
 * title rule and column headers, and the one loop that draws a panel's rows
 * by asking the panel for each row's cells. */
#include <stdlib.h>
#include <string.h>

#include "fmt.h"
#include "model.h"
#include "ui-private.h"
#include "warroom.h"

/* Lists of rows with a selection that follows its object. */

struct ui_row *
panel_list_add(struct ui_list *l)
{
	struct ui_row	*r;

	if (l->nrows == l->cap) {
		l->cap = l->cap == 0 ? 64 : l->cap * 2;
		l->rows = xreallocarray(l->rows, l->cap, sizeof *l->rows);
	}
	r = &l->rows[l->nrows++];
	memset(r, 0, sizeof *r);
	return r;
}

/* The first row a selection may rest on, from i in steps of dir, or -1. */
static long
panel_list_find(const struct ui_list *l, long i, int dir)
{
	for (; i >= 0 && i < (long)l->nrows; i += dir) {
		if (l->rows[i].kind != UI_ROW_GROUP)
			return i;
	}
	return -1;
}

static void
panel_list_remember(struct ui_list *l)
{
	const struct ui_row	*r = panel_list_selected(l);

	free(l->sel_ns);
	free(l->sel_name);
	l->sel_ns = l->sel_name = NULL;
	if (r != NULL) {
		l->sel_ns = xstrdup(r->ns);
		l->sel_name = xstrdup(r->name);
	}
}

/* After a rebuild: back to the same object, or near where it was. */
void
panel_list_restore(struct ui_list *l, size_t old)
{
	const struct ui_row	*r;
	size_t			 i;
	long			 at;

	if (l->sel_ns != NULL) {
		for (i = 0; i < l->nrows; i++) {
			r = &l->rows[i];
			if (r->kind != UI_ROW_GROUP &&
			    strcmp(r->ns, l->sel_ns) == 0 &&
			    strcmp(r->name, l->sel_name) == 0) {
				l->sel = i;
				return;
			}
		}
	}
	if (old >= l->nrows)
		old = l->nrows > 0 ? l->nrows - 1 : 0;
	if ((at = panel_list_find(l, (long)old, 1)) == -1)
		at = panel_list_find(l, (long)old, -1);
	l->sel = at == -1 ? 0 : (size_t)at;
	panel_list_remember(l);
}

const struct ui_row *
panel_list_selected(const struct ui_list *l)
{
	if (l->sel >= l->nrows || l->rows[l->sel].kind == UI_ROW_GROUP)
		return NULL;
	return &l->rows[l->sel];
}

void
panel_list_move(struct ui_list *l, long delta)
{
	long	 to, at;

	if (l->nrows == 0)
		return;
	to = (long)l->sel + delta;
	if (to < 0)
		to = 0;
	if (to >= (long)l->nrows)
		to = (long)l->nrows - 1;
	at = panel_list_find(l, to, delta < 0 ? -1 : 1);
	if (at == -1)
		at = panel_list_find(l, to, delta < 0 ? 1 : -1);
	if (at != -1)
		l->sel = (size_t)at;
	panel_list_remember(l);
}

void
panel_list_home(struct ui_list *l, int last)
{
	if (l->nrows == 0)
		return;
	l->sel = last ? l->nrows - 1 : 0;
	panel_list_move(l, last ? 1 : -1);
}

void
panel_list_free(struct ui_list *l)
{
	free(l->rows);
	free(l->sel_ns);
	free(l->sel_name);
	memset(l, 0, sizeof *l);
}

int
panel_list_count(const struct ui_list *l, enum ui_level level)
{
	size_t	 i;
	int	 n = 0;

	for (i = 0; i < l->nrows; i++)
		if (l->rows[i].kind != UI_ROW_GROUP && l->rows[i].level == level)
			n++;
	return n;
}

/* Keep the selection (and the heading above it) in view. */
void
panel_list_scroll(struct ui_list *l, int height)
{
	l->height = height;
	if (height <= 0)
		return;
	if (l->sel < l->top)
		l->top = l->sel;
	if (l->top > 0 && l->top == l->sel &&
	    l->rows[l->top - 1].kind == UI_ROW_GROUP)
		l->top--;
	if (l->sel >= l->top + (size_t)height)
		l->top = l->sel - height + 1;
	if (l->nrows <= (size_t)height)
		l->top = 0;
	else if (l->top > l->nrows - height)
		l->top = l->nrows - height;
}

/* Rows a-b of n, when they do not all fit. */
void
panel_where(const struct ui_list *l, char *buf, size_t len)
{
	size_t	 last;

	buf[0] = '\0';
	if (l->height <= 0 || l->nrows <= (size_t)l->height)
		return;
	last = l->top + l->height;
	if (last > l->nrows)
		last = l->nrows;
	snprintf(buf, len, "%zu-%zu of %zu", l->top + 1, last, l->nrows);
}

/* Cells and marks. */

void
panel_age(time_t created, time_t now, char *buf, size_t len)
{
	if (created == 0) {
		snprintf(buf, len, "<unknown>");
		return;
	}
	fmt_duration(now > created ? (long)(now - created) : 0, buf, len);
}

const char *
panel_marker(enum ui_level level)
{
	if (level == UI_LEVEL_PROBLEM)
		return ui_state.ascii ? "!" : "\xe2\x9c\x97";
	if (level == UI_LEVEL_WARN)
		return "*";
	return " ";
}

attr_t
panel_row_attr(const struct ui_row *r, int selected)
{
	enum ui_role	 role = UI_ROLE_ROW;

	if (r->kind == UI_ROW_GROUP) {
		if (r->level == UI_LEVEL_PROBLEM)
			return theme_attr(UI_ROLE_ROW_GROUP) |
			    theme_attr_only(UI_ROLE_ROW_PROBLEM);
		return theme_attr(UI_ROLE_ROW_GROUP);
	}
	if (r->level == UI_LEVEL_PROBLEM) {
		role = r->kind == UI_ROW_DEPLOY && r->mismatch ?
		    UI_ROLE_DEPLOY_MISMATCH : UI_ROLE_ROW_PROBLEM;
	} else if (r->level == UI_LEVEL_WARN)
		role = UI_ROLE_ROW_WARN;
	if (selected) {
		return theme_attr(UI_ROLE_ROW_SELECTED) |
		    (role != UI_ROLE_ROW ? theme_attr_only(role) : 0);
	}
	return theme_attr(role);
}

/* One cell at x, fitted to width and aligned. */
void
panel_cell(int y, int x, int width, const char *text, int right,
    attr_t attr)
{
	char	 buf[DRAW_CELL_MAX];

	if (width <= 0)
		return;
	if (width > (int)(sizeof buf / 4) - 1)
		width = (int)(sizeof buf / 4) - 1;
	draw_fit(buf, sizeof buf, text, width, right, ui_state.ascii);
	wattrset(stdscr, attr);
	mvwaddstr(stdscr, y, x + draw_x0, buf);
}

/* A line of w columns: the mark of level, then text. */
void
panel_line(int y, int w, attr_t attr, enum ui_level level, const char *text)
{
	draw_text(stdscr, y, 0, w, "", attr, ui_state.ascii);
	panel_cell(y, 0, 1, panel_marker(level), 0, attr);
	draw_text(stdscr, y, 2, w - 2, text, attr, ui_state.ascii);
}

/* A pane's title rule: "─ ▶ Pods 42, 3 in trouble ──────── 1-10 of 45 ─". */
void
panel_section(int y, int w, int focused, const char *title,
    const char *where)
{
	char	 text[512];
	int	 tw, ww;
	attr_t	 a;

	a = theme_attr(focused ? UI_ROLE_SECTION_FOCUS : UI_ROLE_SECTION);
	draw_hline(stdscr, y, 0, w, theme_attr(UI_ROLE_SECTION),
	    ui_state.ascii);
	snprintf(text, sizeof text, " %s%s ", focused ? (ui_state.ascii ?
	    "> " : "\xe2\x96\xb6 ") : "", title);
	tw = draw_width(text, ui_state.ascii);
	if (tw > w - 1)
		tw = w - 1;
	draw_text(stdscr, y, 1, tw, text, a, ui_state.ascii);
	if (where != NULL && *where != '\0') {
		snprintf(text, sizeof text, " %s ", where);
		ww = draw_width(text, ui_state.ascii);
		if (1 + tw + 2 + ww + 1 <= w) {
			draw_text(stdscr, y, w - ww - 1, ww, text,
			    theme_attr(UI_ROLE_SECTION), ui_state.ascii);
		}
	}
}

void
panel_header(int y, int w, const struct draw_col *cols, int ncols)
{
	attr_t	 a = theme_attr(UI_ROLE_HEADER);
	int	 c, x = 2;

	draw_text(stdscr, y, 0, w, "", a, ui_state.ascii);
	for (c = 0; c < ncols; c++) {
		if (cols[c].width == 0)
			continue;
		panel_cell(y, x, cols[c].width, cols[c].title,
		    cols[c].right, a);
		x += cols[c].width + 1;
	}
}

/* The loop. */

/* A heading's text when the panel has no heading hook: "▾ " and its own. */
static enum ui_level
panel_heading(const struct ui_row *r, char *buf, size_t len)
{
	snprintf(buf, len, "%s%s", ui_state.ascii ? "- " : "\xe2\x96\xbe ",
	    r->text != NULL ? r->text : "");
	return r->level;
}

/* One row: its mark, then its cells in the columns (or its one line). */
static void
panel_draw_row(int y, int w, const struct ui_row *r, attr_t attr,
    const struct panel_frame *f, char cells[][PANEL_CELL])
{
	int	 c, x = 2;

	if (f->ncols == 0) {
		panel_line(y, w, attr, r->level, cells[0]);
		return;
	}
	draw_text(stdscr, y, 0, w, "", attr, ui_state.ascii);
	panel_cell(y, 0, 1, panel_marker(r->level), 0, attr);
	for (c = 0; c < f->ncols; c++) {
		if (f->cols[c].width == 0)
			continue;
		panel_cell(y, x, f->cols[c].width, cells[c],
		    f->cells_left ? 0 : f->cols[c].right, attr);
		x += f->cols[c].width + 1;
	}
}

void
panel_draw(struct ui_panel *p, const struct model *m, const struct ui_view *v,
    int y, int h, int w, int focused, time_t now)
{
	const struct ui_panel_ops *ops = p->ops;
	struct ui_list		*l = &p->list;
	struct panel_frame	 f;
	static char		 cells[PANEL_COLS][PANEL_CELL];
	char			 line[PANEL_CELL], where[64];
	const struct ui_row	*r;
	enum ui_level		 mark;
	size_t			 i, idx;
	int			 body, height, sel;

	if (h < 2)
		return;
	memset(&f, 0, sizeof f);
	ops->frame(p, m, v, h, w, now, &f);
	body = y + 1 + (f.ncols > 0);
	height = h - (body - y) - f.foot;
	panel_list_scroll(l, height);
	panel_where(l, where, sizeof where);
	panel_section(y, w, focused, f.title, where);
	if (f.ncols > 0)
		panel_header(y + 1, w, f.cols, f.ncols);
	for (i = 0; i < (size_t)height; i++) {
		idx = l->top + i;
		if (idx >= l->nrows) {
			draw_text(stdscr, body + i, 0, w, i == 0 &&
			    l->nrows == 0 ? ops->empty(p, m, v) : "",
			    theme_attr(UI_ROLE_ROW_DIM), ui_state.ascii);
			continue;
		}
		r = &l->rows[idx];
		if (r->kind == UI_ROW_GROUP) {
			mark = ops->heading != NULL ? ops->heading(p, m, r, line,
			    sizeof line) : panel_heading(r, line, sizeof line);
			panel_line(body + i, w, panel_row_attr(r, 0), mark, line);
			continue;
		}
		sel = focused && !ui_state.wall && idx == l->sel;
		ops->cells(p, r, &f, now, cells);
		panel_draw_row(body + i, w, r, panel_row_attr(r, sel), &f,
		    cells);
	}
	if (f.foot > 0)
		ops->foot(p, y + h - f.foot, f.foot, w);
}
