/* copy.c: copy-out for the incident channel. 'y' puts the selected row's
 * name on the clipboard and 'Y' a ready command for it (kubectl, psql,
 * amtool), through OSC 52, which terminals, tmux and SSH pass on; 'w'
 * writes the screen as text to a file. What is copied is sanitized first:
 * a name from outside must not carry escape sequences into a paste. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <wchar.h>

#include "audit.h"
#include "model.h"
#include "ui-private.h"
#include "warroom.h"

#define COPY_MAX	4096	/* bytes of text sent through OSC 52 */

static const char copy_b64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

char *
ui_copy_payload(const char *text)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t		 n = strlen(text), i, o = 0;
	unsigned int	 v;
	char		*out;

	if (n > COPY_MAX)
		n = COPY_MAX;
	out = xmalloc(n / 3 * 4 + 16);
	memcpy(out, "\033]52;c;", 7);
	o = 7;
	for (i = 0; i + 2 < n; i += 3) {
		v = (unsigned)s[i] << 16 | (unsigned)s[i + 1] << 8 | s[i + 2];
		out[o++] = copy_b64[v >> 18 & 63];
		out[o++] = copy_b64[v >> 12 & 63];
		out[o++] = copy_b64[v >> 6 & 63];
		out[o++] = copy_b64[v & 63];
	}
	if (i < n) {
		v = (unsigned)s[i] << 16 | (i + 1 < n ? (unsigned)s[i + 1] << 8 :
		    0);
		out[o++] = copy_b64[v >> 18 & 63];
		out[o++] = copy_b64[v >> 12 & 63];
		out[o++] = i + 1 < n ? copy_b64[v >> 6 & 63] : '=';
		out[o++] = '=';
	}
	out[o++] = '\a';
	out[o] = '\0';
	return out;
}

/* The text for the selected row: its name, or a command for it. */
static char *
copy_text(const struct ui_row *r, int command)
{
	char	*s;

	if (!command)
		return xstrdup(r->name);
	switch (r->kind) {
	case UI_ROW_POD:
	case UI_ROW_RES:
		xasprintf(&s, "kubectl -n %s logs %s --previous --tail=200",
		    r->ns, r->name);
		break;
	case UI_ROW_DEPLOY:
		xasprintf(&s, "kubectl -n %s rollout history deployment/%s",
		    r->ns, r->name);
		break;
	case UI_ROW_ALERT:
		xasprintf(&s, "amtool alert query alertname=\"%s\"",
		    ((const struct model_alert *)r->obj)->name);
		break;
	case UI_ROW_SESSION:
		xasprintf(&s, "SELECT pid, state, query FROM pg_stat_activity "
		    "WHERE pid = %s;", r->name);
		break;
	case UI_ROW_STMT:
		xasprintf(&s, "%s", ((const struct pg_stmt *)r->obj)->query ?
		    ((const struct pg_stmt *)r->obj)->query : "");
		break;
	default:
		s = xstrdup(r->name);
		break;
	}
	return s;
}

void
ui_copy(int command)
{
	struct ui_panel	*p = &ui_state.panels[ui_state.focus];
	const struct ui_row *r = panel_list_selected(&p->list);
	char		*raw, *clean, *seq;
	size_t		 len;

	if (r == NULL) {
		ui_message(0, "nothing selected to copy");
		return;
	}
	raw = copy_text(r, command);
	clean = sanitize(raw);
	seq = ui_copy_payload(clean);
	len = strlen(seq);
	/* Straight to the terminal: curses has no word for it. */
	if (write(ui_state.outfd, seq, len) != (ssize_t)len)
		ui_message(1, "copy: cannot write to the terminal");
	else
		ui_message(0, "copied%s: %s", strlen(clean) > COPY_MAX ?
		    " (cut)" : "", clean);
	free(seq);
	free(clean);
	free(raw);
}

/* One screen line as UTF-8, without trailing blanks. */
static void
copy_line(int y, char *buf, size_t len)
{
	cchar_t		 cc;
	wchar_t		 wc[CCHARW_MAX + 1];
	attr_t		 a;
	short		 pair;
	char		 mb[MB_LEN_MAX * (CCHARW_MAX + 1)];
	size_t		 used = 0, n, k;
	int		 x;
	mbstate_t	 st;

	buf[0] = '\0';
	for (x = 0; x < COLS; x++) {
		if (mvwin_wch(stdscr, y, x, &cc) == ERR)
			break;
		if (getcchar(&cc, wc, &a, &pair, NULL) == ERR)
			continue;
		memset(&st, 0, sizeof st);
		for (n = 0, k = 0; wc[k] != L'\0' && k < CCHARW_MAX; k++) {
			size_t	 m = wcrtomb(mb + n, wc[k], &st);

			if (m == (size_t)-1)
				mb[n++] = '?';
			else
				n += m;
		}
		if (used + n + 1 >= len)
			break;
		memcpy(buf + used, mb, n);
		used += n;
	}
	while (used > 0 && buf[used - 1] == ' ')
		used--;
	buf[used] = '\0';
}

void
ui_dump_screen(void)
{
	char		*dir, *path, line[8192], when[32];
	struct tm	 tm;
	time_t		 now = time(NULL);
	FILE		*f;
	int		 y, fd;

	if ((dir = audit_dir(1)) == NULL) {
		ui_message(1, "screen: no state directory");
		return;
	}
	localtime_r(&now, &tm);
	strftime(when, sizeof when, "%Y%m%d-%H%M%S", &tm);
	xasprintf(&path, "%s/screen-%s.txt", dir, when);
	free(dir);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd == -1 || (f = fdopen(fd, "w")) == NULL) {
		ui_message(1, "screen: %s: %s", path, strerror(errno));
		if (fd != -1)
			close(fd);
		free(path);
		return;
	}
	for (y = 0; y < LINES; y++) {
		copy_line(y, line, sizeof line);
		fprintf(f, "%s\n", line);
	}
	if (fclose(f) != 0)
		ui_message(1, "screen: %s: %s", path, strerror(errno));
	else
		ui_message(0, "screen written to %s", path);
	free(path);
}
