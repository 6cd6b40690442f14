/* copy.c: copy-out for the incident channel. 'y' puts the selected row's
 * name on the clipboard and 'Y' a ready command for it (kubectl, psql,
 * amtool), through OSC 52, which terminals, tmux and SSH pass on; 'w'
 * writes the screen as text to a file. What is copied is sanitized first:
 * a name from outside must not carry escape sequences into a paste, and in
 * a command each such name is one quoted shell word. */
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

/* An Alertmanager matcher name="value", with " and \\ escaped in the value
 * as amtool reads them; the caller quotes it for the shell as a whole. */
static char *
copy_matcher(const char *name, const char *value)
{
	const char	*p;
	char		*out;
	size_t		 o;

	out = xmalloc(strlen(name) + 2 * strlen(value) + 4);
	o = (size_t)sprintf(out, "%s=\"", name);
	for (p = value; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\')
			out[o++] = '\\';
		out[o++] = *p;
	}
	out[o++] = '"';
	out[o] = '\0';
	return out;
}

/*
 * The raw text for the selected row: its name, or a command for it with
 * every value from outside quoted as one shell word. NULL with *why when
 * it cannot be made.
 */
static char *
copy_text(const struct ui_row *r, int command, const char **why)
{
	const struct pg_stmt *st;
	char		*s, *q[2];

	if (!command)
		return xstrdup(r->name != NULL ? r->name : "");
	switch (r->kind) {
	case UI_ROW_POD:
	case UI_ROW_RES:
		q[0] = sanitize_shquote(r->ns);
		q[1] = sanitize_shquote(r->name);
		xasprintf(&s, "kubectl -n %s logs %s --previous --tail=200",
		    q[0], q[1]);
		break;
	case UI_ROW_DEPLOY:
		q[0] = sanitize_shquote(r->ns);
		xasprintf(&s, "deployment/%s", r->name != NULL ? r->name : "");
		q[1] = sanitize_shquote(s);
		free(s);
		xasprintf(&s, "kubectl -n %s rollout history %s", q[0], q[1]);
		break;
	case UI_ROW_ALERT:
		s = copy_matcher("alertname",
		    ((const struct model_alert *)r->obj)->name);
		q[0] = sanitize_shquote(s);
		q[1] = NULL;
		free(s);
		xasprintf(&s, "amtool alert query %s", q[0]);
		break;
	case UI_ROW_SESSION:
		if (r->name == NULL || r->name[0] == '\0' ||
		    strspn(r->name, "0123456789") != strlen(r->name)) {
			*why = "not a process id";
			return NULL;
		}
		xasprintf(&s, "SELECT pid, state, query FROM pg_stat_activity "
		    "WHERE pid = %s;", r->name);
		return s;
	case UI_ROW_STMT:
		/* The whole text with its newlines: the one-line form
		 * shown would let a -- comment swallow the rest. */
		st = r->obj;
		if (st->query_text == NULL) {
			*why = "the statement is too long to copy whole";
			return NULL;
		}
		q[0] = sanitize_shquote(st->query_text);
		q[1] = NULL;
		xasprintf(&s, "psql -X -c %s", q[0]);
		break;
	default:
		return xstrdup(r->name != NULL ? r->name : "");
	}
	free(q[0]);
	free(q[1]);
	return s;
}

/* Sanitize each line of a command, keeping the newlines: every one is in
 * a quoted word, where it is text. Returns a new string the caller frees. */
static char *
copy_clean(const char *s)
{
	const char	*nl;
	char		*line, *piece, *out = xstrdup("");
	size_t		 len = 0, n;

	for (;;) {
		nl = strchr(s, '\n');
		line = nl != NULL ? xstrndup(s, (size_t)(nl - s)) : xstrdup(s);
		piece = sanitize(line);
		n = strlen(piece);
		out = xrealloc(out, len + n + 2);
		memcpy(out + len, piece, n);
		len += n;
		if (nl != NULL)
			out[len++] = '\n';
		out[len] = '\0';
		free(piece);
		free(line);
		if (nl == NULL)
			break;
		s = nl + 1;
	}
	return out;
}

char *
ui_copy_text(const struct ui_row *r, int command, const char **why)
{
	char	*raw, *clean;

	*why = NULL;
	if ((raw = copy_text(r, command, why)) == NULL)
		return NULL;
	/* A bare name keeps no newline: pasted, it would end a command. */
	clean = command ? copy_clean(raw) : sanitize(raw);
	free(raw);
	/* A command cut short would mean something else: refuse it. */
	if (command && strlen(clean) > COPY_MAX) {
		free(clean);
		*why = "the command is too long to copy whole";
		return NULL;
	}
	return clean;
}

void
ui_copy(int command)
{
	struct ui_panel	*p = &ui_state.panels[ui_state.focus];
	const struct ui_row *r = panel_list_selected(&p->list);
	const char	*why;
	char		*clean, *seq;
	size_t		 len;

	if (r == NULL) {
		ui_message(0, "nothing selected to copy");
		return;
	}
	if ((clean = ui_copy_text(r, command, &why)) == NULL) {
		ui_message(1, "copy: %s", why);
		return;
	}
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
