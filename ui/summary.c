/* summary.c: one line for each view not shown, above the status bar, so a
 * small terminal showing one panel still tells what the others would:
 * "[3] alerts 2 critical, 9 warning (1 silenced)". Each view's entry says
 * what comes after "[key] name"; the mark and colour follow its level. */
#include <stdio.h>
#include <string.h>

#include "model.h"
#include "ui-private.h"
#include "warroom.h"

#define SUMMARY_LEN	256

/* The i-th line (0-based) of the views not shown that have one: its text
 * and level. Returns 0 past the last. */
static int
summary_line(const struct model *m, int i, char *text, enum ui_level *level)
{
	const struct view_entry *v;
	int		 k, len;

	for (k = 0; k < view_count(); k++) {
		v = &view_table[k];
		if (k == ui_state.view_id || v->summary == NULL)
			continue;
		len = snprintf(text, SUMMARY_LEN, "[%s] %s  ", v->key, v->name);
		if (!v->summary(m, text + len, SUMMARY_LEN - len, level))
			continue;
		if (i-- == 0)
			return 1;
	}
	return 0;
}

int
summary_count(const struct model *m)
{
	char		 text[SUMMARY_LEN];
	enum ui_level	 level;
	int		 n = 0;

	if (view_wide())
		return 0;	/* every panel is on the screen */
	while (summary_line(m, n, text, &level))
		n++;
	return n;
}

void
summary_draw(const struct model *m, int y, int h, int w)
{
	struct ui_row	 row;
	char		 text[SUMMARY_LEN];
	int		 i;

	memset(&row, 0, sizeof row);
	row.kind = UI_ROW_POD;
	for (i = 0; i < h && summary_line(m, i, text, &row.level); i++)
		panel_line(y + i, w, panel_row_attr(&row, 0), row.level, text);
}
