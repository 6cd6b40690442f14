/* help.c: the '?' overlay: the key bindings and their notes, made from the
 * keymap as it is now, and a legend of the marks. Scroll keys scroll it;
 * any other key closes it. */
#include <stdlib.h>
#include <string.h>

#include "action.h"
#include "model.h"
#include "ui-private.h"
#include "warroom.h"

char *
ui_help_text(void)
{
	const struct model *m = ui_state.model;
	char	*keys, *s, *off = NULL;

	keys = keymap_help_text();
	if (m != NULL && m->read_only)
		xasprintf(&off, "  %-14s  no change to the cluster: read-only "
		    "(%s)\n", KEYMAP_UNAVAILABLE,
		    action_read_only_reason(m, m->context));
	xasprintf(&s, "%s\n"
	    "Marks\n"
	    "  %s               a pod or deployment in trouble\n"
	    "  *               a pod restarting, pending or terminating\n"
	    "  kube live       watching: the data is current\n"
	    "  STALE DOWN      the data is old; its age is shown\n%s",
	    keys, ui_state.ascii ? "!" : "\xe2\x9c\x97", off != NULL ? off :
	    "");
	free(off);
	free(keys);
	return s;
}

/* The lines of the help text (pointers into text, which is modified). */
static int
help_lines(char *text, char **lines, int max)
{
	char	*p, *nl;
	int	 n = 0;

	for (p = text; *p != '\0' && n < max; p = nl + 1) {
		lines[n++] = p;
		if ((nl = strchr(p, '\n')) == NULL)
			break;
		*nl = '\0';
	}
	return n;
}

/* Rows of text the box shows at this size. */
static int
help_rows(int lines)
{
	return lines - 6 > 1 ? lines - 6 : 1;
}

void
help_open(void)
{
	ui_state.help = 1;
	ui_state.help_top = 0;
	ui_state.redraw |= UI_REDRAW_ALL;
}

void
help_draw(int lines, int cols)
{
	char		*text, *line[512];
	int		 n, rows, w, x, y, i, k, kw, ascii = ui_state.ascii;
	attr_t		 ha = theme_attr(UI_ROLE_HELP);
	attr_t		 ka = theme_attr(UI_ROLE_HELP_KEY);
	attr_t		 ba = theme_attr(UI_ROLE_BORDER) | theme_attr(UI_ROLE_HELP);

	text = ui_help_text();
	n = help_lines(text, line, (int)nitems(line));
	rows = help_rows(lines);
	if (rows > n)
		rows = n;
	if (ui_state.help_top > n - rows)
		ui_state.help_top = n - rows;
	if (ui_state.help_top < 0)
		ui_state.help_top = 0;
	w = cols - 4 < 76 ? cols - 4 : 76;
	x = (cols - w) / 2;
	y = 2;

	draw_box_edge(stdscr, y, x, w, 0, " Keys: any other key closes ", ba,
	    ascii);
	for (i = 0; i < rows; i++) {
		k = ui_state.help_top + i;
		draw_box_side(stdscr, y + 1 + i, x, ba, ascii);
		draw_text(stdscr, y + 1 + i, x + 1, w - 2, "", ha, ascii);
		if (strstr(line[k], "  " KEYMAP_UNAVAILABLE " ") != NULL) {
			/* A binding that can't run now: greyed, with why. */
			draw_text(stdscr, y + 1 + i, x + 2, w - 4, line[k],
			    theme_attr(UI_ROLE_ROW_DIM), ascii);
		} else if (strncmp(line[k], "  ", 2) == 0) {
			/* "  KEYS  note": the keys stand out. */
			kw = 2;
			while (line[k][kw] != '\0' &&
			    strncmp(line[k] + kw, "  ", 2) != 0)
				kw++;
			draw_text(stdscr, y + 1 + i, x + 2, w - 4, line[k], ha,
			    ascii);
			if (kw < w - 4) {
				line[k][kw] = '\0';
				draw_text(stdscr, y + 1 + i, x + 2, kw, line[k],
				    ka, ascii);
			}
		} else
			draw_text(stdscr, y + 1 + i, x + 2, w - 4, line[k], ka,
			    ascii);
		draw_box_side(stdscr, y + 1 + i, x + w - 1, ba, ascii);
	}
	draw_box_edge(stdscr, y + 1 + rows, x, w, 1, n > rows ?
	    (ascii ? " Up/Down PgUp/PgDn scroll " :
	    " \xe2\x86\x91\xe2\x86\x93 PgUp PgDn scroll ") : NULL, ba, ascii);
	free(text);
}

int
help_key(int key)
{
	char	*text, *line[512];
	int	 n, rows, page;

	text = ui_help_text();
	n = help_lines(text, line, (int)nitems(line));
	free(text);
	rows = help_rows(LINES);
	if (n <= rows)
		return 0;
	page = rows > 1 ? rows - 1 : 1;
	switch (key) {
	case KEYMAP_KEY_CURSES | KEY_UP:
	case 'k':
		ui_state.help_top--;
		break;
	case KEYMAP_KEY_CURSES | KEY_DOWN:
	case 'j':
		ui_state.help_top++;
		break;
	case KEYMAP_KEY_CURSES | KEY_PPAGE:
		ui_state.help_top -= page;
		break;
	case KEYMAP_KEY_CURSES | KEY_NPAGE:
	case ' ':
		ui_state.help_top += page;
		break;
	case KEYMAP_KEY_CURSES | KEY_HOME:
		ui_state.help_top = 0;
		break;
	case KEYMAP_KEY_CURSES | KEY_END:
		ui_state.help_top = n - rows;
		break;
	default:
		return 0;
	}
	if (ui_state.help_top > n - rows)
		ui_state.help_top = n - rows;
	if (ui_state.help_top < 0)
		ui_state.help_top = 0;
	return 1;
}
