/* picker.c: choose one row from a list in a box over the screen (the
 * revision picker of rollback). Up/Down/PgUp/PgDn/Home/End (and j, k, g, G)
 * move, Enter chooses, Escape or q cancels. */
#include <stdlib.h>
#include <string.h>

#include "ui-private.h"
#include "warroom.h"

void
ui_pick(const char *title, const char *header, char *const *rows, int n,
    int sel, void (*answer)(void *, int), void *arg)
{
	struct ui_pick	*p;
	int		 i;

	if (ui_state.pick != NULL || ui_state.confirm != NULL ||
	    ui_state.screen == NULL || n < 1) {
		answer(arg, -1);
		return;
	}
	p = xcalloc(1, sizeof *p);
	p->title = sanitize(title);
	p->header = sanitize(header);
	p->rows = xcalloc((size_t)n, sizeof *p->rows);
	for (i = 0; i < n; i++)
		p->rows[i] = sanitize(rows[i]);
	p->n = n;
	p->sel = sel >= 0 && sel < n ? sel : 0;
	p->answer = answer;
	p->arg = arg;
	ui_state.pick = p;
	ui_state.help = 0;
	ui_state.redraw |= UI_REDRAW_ALL;
}

void
picker_free(void)
{
	struct ui_pick	*p = ui_state.pick;
	int		 i;

	if (p == NULL)
		return;
	for (i = 0; i < p->n; i++)
		free(p->rows[i]);
	free(p->rows);
	free(p->title);
	free(p->header);
	free(p);
	ui_state.pick = NULL;
}

/* Rows the box shows at this size. */
static int
picker_rows(const struct ui_pick *p, int lines)
{
	int	 rows = lines - 8;

	if (rows < 1)
		rows = 1;
	return p->n < rows ? p->n : rows;
}

void
picker_draw(int lines, int cols)
{
	struct ui_pick	*p = ui_state.pick;
	int		 rows, w, x, y, i, k, want, ascii = ui_state.ascii;
	attr_t		 ha = theme_attr(UI_ROLE_HELP);
	attr_t		 ba = theme_attr(UI_ROLE_BORDER) | ha;
	attr_t		 sa = theme_attr(UI_ROLE_ROW_SELECTED);

	rows = picker_rows(p, lines);
	if (p->sel < p->top)
		p->top = p->sel;
	if (p->sel >= p->top + rows)
		p->top = p->sel - rows + 1;
	want = draw_width(p->header, ascii);
	for (i = 0; i < p->n; i++)
		if (draw_width(p->rows[i], ascii) > want)
			want = draw_width(p->rows[i], ascii);
	if (draw_width(p->title, ascii) + 4 > want)
		want = draw_width(p->title, ascii) + 4;
	w = want + 4 < cols - 4 ? want + 4 : cols - 4;
	x = (cols - w) / 2;
	y = 2;

	draw_box_edge(stdscr, y, x, w, 0, p->title, ba, ascii);
	draw_box_side(stdscr, y + 1, x, ba, ascii);
	draw_text(stdscr, y + 1, x + 1, w - 2, "", ha, ascii);
	draw_text(stdscr, y + 1, x + 2, w - 4, p->header,
	    theme_attr(UI_ROLE_HELP_KEY), ascii);
	draw_box_side(stdscr, y + 1, x + w - 1, ba, ascii);
	for (i = 0; i < rows; i++) {
		k = p->top + i;
		draw_box_side(stdscr, y + 2 + i, x, ba, ascii);
		draw_text(stdscr, y + 2 + i, x + 1, w - 2, "", k == p->sel ?
		    sa : ha, ascii);
		draw_text(stdscr, y + 2 + i, x + 1, 1, k == p->sel ? ">" : " ",
		    k == p->sel ? sa : ha, ascii);
		draw_text(stdscr, y + 2 + i, x + 2, w - 4, p->rows[k],
		    k == p->sel ? sa : ha, ascii);
		draw_box_side(stdscr, y + 2 + i, x + w - 1, ba, ascii);
	}
	draw_box_edge(stdscr, y + 2 + rows, x, w, 1, p->n > rows ?
	    " more: PgUp PgDn " : NULL, ba, ascii);
}

void
picker_key(int key)
{
	struct ui_pick	*p = ui_state.pick;
	void		(*answer)(void *, int) = p->answer;
	void		*arg = p->arg;
	int		 page = picker_rows(p, LINES), sel = p->sel;

	switch (key) {
	case KEYMAP_KEY_CURSES | KEY_UP:
	case 'k':
		p->sel--;
		break;
	case KEYMAP_KEY_CURSES | KEY_DOWN:
	case 'j':
		p->sel++;
		break;
	case KEYMAP_KEY_CURSES | KEY_PPAGE:
		p->sel -= page;
		break;
	case KEYMAP_KEY_CURSES | KEY_NPAGE:
		p->sel += page;
		break;
	case KEYMAP_KEY_CURSES | KEY_HOME:
	case 'g':
		p->sel = 0;
		break;
	case KEYMAP_KEY_CURSES | KEY_END:
	case 'G':
		p->sel = p->n - 1;
		break;
	case KEYMAP_KEY_ENTER:
	case KEYMAP_KEY_ESCAPE:
	case 'q':
		/* Close first: the answer may open another question. */
		picker_free();
		ui_state.redraw |= UI_REDRAW_ALL;
		answer(arg, key == KEYMAP_KEY_ENTER ? sel : -1);
		return;
	default:
		return;
	}
	if (p->sel < 0)
		p->sel = 0;
	if (p->sel >= p->n)
		p->sel = p->n - 1;
	ui_state.redraw |= UI_REDRAW_ALL;
}
