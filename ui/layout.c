/* layout.c: where things go on the screen, as numbers: the title, the
 * wall's banner and band, the health strip, the panes, the summary lines,
 * the action log, the status bar. Pure: no terminal needed. */
#include <string.h>

#include "ui-private.h"

void
ui_layout(int lines, int cols, size_t ndeploys, int log_h, int strip,
    int nsum, int banner, int band, struct ui_layout *l)
{
	int	 area, rows, cap, top = 1;

	memset(l, 0, sizeof *l);
	if (lines < 10 || cols < 40) {
		l->too_small = 1;
		return;
	}
	l->title_y = 0;
	l->status_y = lines - 2;
	l->bottom_y = lines - 1;
	area = lines - 3;
	l->title_h = 1;
	/* The wall's banner and critical band come first, if they fit. */
	if (banner && area - 2 >= 8) {
		l->title_h = 3;
		top = 3;
		area -= 2;
	}
	if (band > 0 && area - band >= 8) {
		l->band_y = top;
		l->band_h = band;
		top += band;
		area -= band;
	}
	if (strip && lines >= 16 && area - 1 >= 8) {
		l->strip_y = top;
		top++;
		area--;
	}
	if (log_h > 0 && area - log_h >= 6) {
		l->log_h = log_h;
		l->log_y = l->status_y - log_h;
		area -= log_h;
	}
	/* The other views' lines, when there is room for them. */
	if (nsum > 0 && area - nsum >= 8) {
		l->sum_h = nsum;
		l->sum_y = (l->log_h > 0 ? l->log_y : l->status_y) - nsum;
		area -= nsum;
	}

	/* Deployments get what they need, up to a third; pods the rest. */
	cap = area / 3;
	if (cap < 1)
		cap = 1;
	rows = ndeploys > 0 ? (ndeploys < (size_t)cap ? (int)ndeploys : cap) : 1;
	l->deploys_y = top;
	l->deploys_h = rows + 2;
	if (area - l->deploys_h < 3)
		l->deploys_h = area - 3;
	l->pods_y = l->deploys_y + l->deploys_h;
	l->pods_h = area - l->deploys_h;
	l->main_y = top;
	l->main_h = area;
}
