/* ui.c: the screen's life (start, stop, resize), the redraw of what is
 * dirty with one doupdate, keyboard input, the filter prompt and the
 * questions at the bottom (ui_confirm, ui_ask). */
#include <sys/ioctl.h>

#include <langinfo.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "action.h"
#include "config.h"
#include "model.h"
#include "ui-private.h"
#include "warroom.h"

#ifndef WARROOM_DATADIR
#define WARROOM_DATADIR "/usr/local/share/warroom"
#endif

/* After a lone Escape, wait this long (ms) for the rest of a sequence. */
#define UI_ESCDELAY	25

struct ui	 ui_state;
int		(*ui_action_hook)(struct model *, int, char **,
		    const struct ui_target *, char **);
void		(*ui_refresh_hook)(void);

/* Help greys the actions that change the cluster in read-only mode. */
static const char *
ui_unavailable(int argc, char **argv)
{
	const struct model *m = ui_state.model;
	const struct action *a;

	if (m == NULL || !m->read_only || argc < 1 ||
	    (a = action_find(argv[0])) == NULL || !(a->flags & ACTION_MUTATES))
		return NULL;
	return action_read_only_reason(m, m->context);
}

void
ui_register_commands(void)
{
	theme_register();
	keymap_register();
}

int
ui_load(const struct ui_opts *opts, char **cause)
{
	const char	*datadir;

	datadir = opts->datadir != NULL ? opts->datadir : WARROOM_DATADIR;
	if (theme_load(opts->theme, datadir, cause) != 0)
		return -1;
	if (keymap_load(opts->keymap, datadir, cause) != 0)
		return -1;
	ui_state.loaded = 1;
	return 0;
}

int
ui_is_ascii_locale(void)
{
	const char	*cs = nl_langinfo(CODESET);

	return cs == NULL ||
	    (strcasecmp(cs, "UTF-8") != 0 && strcasecmp(cs, "utf8") != 0);
}

/* Sequences some terminals send for Home and End that terminfo misses. */
static void
ui_fix_keys(void)
{
	static const struct {
		const char	*seq;
		int		 key;
	} fixes[] = {
		{ "\033[H", KEY_HOME }, { "\033[F", KEY_END },
		{ "\033OH", KEY_HOME }, { "\033OF", KEY_END },
		{ "\033[1~", KEY_HOME }, { "\033[4~", KEY_END },
		{ "\033[7~", KEY_HOME }, { "\033[8~", KEY_END },
	};
	size_t		 i;

	for (i = 0; i < nitems(fixes); i++) {
		if (key_defined(fixes[i].seq) == 0)
			define_key(fixes[i].seq, fixes[i].key);
	}
}

int
ui_start_on(struct model *m, const struct ui_opts *opts, FILE *out,
    FILE *in, char **cause)
{
	const char	*nc, *term;

	if (ui_state.screen != NULL) {
		ui_state.model = m;
		ui_state.redraw |= UI_REDRAW_ALL | UI_REDRAW_CLEAR;
		return 0;
	}
	if (!ui_state.loaded && ui_load(opts, cause) != 0)
		return -1;
	if ((ui_state.screen = newterm(NULL, out, in)) == NULL) {
		term = getenv("TERM");
		xasprintf(cause, "cannot use the terminal (TERM=%s)",
		    term != NULL ? term : "");
		return -1;
	}
	set_term(ui_state.screen);
	ui_state.started = 1;
	ui_state.outfd = fileno(out);
	ui_state.model = m;
	keymap_unavailable = ui_unavailable;
	ui_state.ascii = opts->ascii || ui_is_ascii_locale();
	ui_state.wall = opts->wall;
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	leaveok(stdscr, TRUE);
	curs_set(0);
	set_escdelay(UI_ESCDELAY);
	ui_fix_keys();

	nc = getenv("NO_COLOR");
	ui_state.colour = has_colors() && (nc == NULL || *nc == '\0') &&
	    cfg.colours != -1;
	if (ui_state.colour && start_color() != OK)
		ui_state.colour = 0;
	/* 256 colours at most: truecolor terminals (COLORTERM) get the
	 * 256-colour palette, which curses can address everywhere. */
	theme_apply(ui_state.colour, cfg.colours > 0 ? cfg.colours : 0);
	bkgdset(theme_attr(UI_ROLE_NORMAL) | ' ');

	view_init();
	ui_state.view.group = 1;
	ui_state.lines = LINES;
	ui_state.cols = COLS;
	ui_state.redraw = UI_REDRAW_ALL | UI_REDRAW_REBUILD;
	return 0;
}

int
ui_start(struct model *m, const struct ui_opts *opts, char **cause)
{
	return ui_start_on(m, opts, stdout, stdin, cause);
}

void
ui_stop(void)
{
	if (ui_state.screen != NULL && !isendwin())
		endwin();
}

static void	 ui_confirm_free(void);

void
ui_free(void)
{
	int	 i;

	ui_stop();
	if (ui_state.screen != NULL)
		delscreen(ui_state.screen);
	for (i = 0; i < ui_state.npanels; i++) {
		panel_list_free(&ui_state.panels[i].list);
		if (ui_state.panels[i].ops->free != NULL)
			ui_state.panels[i].ops->free();
	}
	free(ui_state.view.scope_ns);
	free(ui_state.view.scope_name);
	free(ui_state.message);
	ui_confirm_free();
	picker_free();
	palette_free();
	memset(&ui_state, 0, sizeof ui_state);
	keymap_unavailable = NULL;
	keymap_free();
	theme_free();
}

void
ui_sync(struct model *m)
{
	struct ui_panel	*p;
	int		 i, all;

	if (ui_state.npanels == 0)
		return;
	all = (ui_state.redraw & UI_REDRAW_REBUILD) != 0;
	for (i = 0; i < ui_state.npanels; i++) {
		p = &ui_state.panels[i];
		if (all || (m->dirty & view_table[p->view].dirty)) {
			p->ops->rebuild(p, m, &ui_state.view);
			ui_state.redraw |= UI_REDRAW_PANES;
		}
	}
	/* The status and action bits are ui_redraw's to clear. */
	m->dirty &= ~(view_dirty() & ~(DIRTY_STATUS | DIRTY_ACTIONS));
	ui_state.redraw &= ~UI_REDRAW_REBUILD;
}

void
ui_redraw(struct model *m)
{
	struct ui_layout l;
	time_t		 now;
	unsigned	 r;

	if (ui_state.screen == NULL || isendwin())
		return;
	ui_sync(m);
	if (m->dirty & DIRTY_STATUS) {
		/* The clock, data ages and the AGE columns move. */
		ui_state.redraw |= UI_REDRAW_TITLE | UI_REDRAW_STATUS |
		    UI_REDRAW_PANES | UI_REDRAW_BOTTOM;
		m->dirty &= ~DIRTY_STATUS;
	}
	if (m->dirty & DIRTY_ACTIONS)
		ui_state.redraw |= UI_REDRAW_LOG;
	m->dirty &= ~DIRTY_ACTIONS;
	if ((r = ui_state.redraw) == 0)
		return;
	ui_state.redraw = 0;
	now = now_wall();
	ui_layout(LINES, COLS, view_split_rows(),
	    panel_actions_height(m, LINES - 3), m->db.nchecks > 0,
	    summary_count(m), ui_state.wall, ui_state.wall ?
	    wall_band_height(m) : 0, &l);
	if (l.log_h != ui_state.log_h) {
		/* The log came or went: the lists move. */
		ui_state.log_h = l.log_h;
		r |= UI_REDRAW_PANES | UI_REDRAW_LOG;
	}
	if (l.too_small) {
		werase(stdscr);
		draw_text(stdscr, 0, 0, COLS, "terminal too small (need 80x24)",
		    theme_attr(UI_ROLE_MESSAGE_ERROR), ui_state.ascii);
	} else {
		if ((r & UI_REDRAW_TITLE) && l.title_h == 3)
			wall_draw_banner(m, l.title_y, COLS, now);
		else if (r & UI_REDRAW_TITLE)
			statusbar_draw_title(m, l.title_y, COLS, now);
		if (l.band_h > 0 && (r & (UI_REDRAW_TITLE | UI_REDRAW_PANES)))
			wall_draw_band(m, l.band_y, l.band_h, COLS, now);
		if (l.strip_y > 0 && (r & (UI_REDRAW_TITLE | UI_REDRAW_PANES)))
			statusbar_draw_health(m, l.strip_y, COLS);
		if (r & UI_REDRAW_PANES)
			view_draw(m, &l, now);
		if (l.sum_h > 0 && (r & UI_REDRAW_PANES))
			summary_draw(m, l.sum_y, l.sum_h, COLS);
		if (l.log_h > 0 && (r & (UI_REDRAW_LOG | UI_REDRAW_PANES)))
			panel_actions_draw(m, l.log_y, l.log_h, COLS, now);
		if (r & UI_REDRAW_STATUS)
			statusbar_draw(m, l.status_y, COLS, now);
		if (ui_state.confirm != NULL)
			statusbar_draw_confirm(l.status_y, l.bottom_y, COLS);
		else if (ui_state.palette != NULL)
			palette_draw(l.bottom_y, COLS);
		else if (r & UI_REDRAW_BOTTOM)
			statusbar_draw_bottom(l.bottom_y, COLS);
		if (ui_state.help)
			help_draw(LINES, COLS);
		if (ui_state.pick != NULL)
			picker_draw(LINES, COLS);
	}
	if (r & UI_REDRAW_CLEAR)
		clearok(curscr, TRUE);
	wnoutrefresh(stdscr);
	doupdate();
}

void
ui_resize(struct model *m)
{
	struct winsize	 ws;

	if (ui_state.screen == NULL || isendwin())
		return;
	if (ioctl(ui_state.outfd, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 &&
	    ws.ws_col > 0 && (ws.ws_row != LINES || ws.ws_col != COLS))
		resizeterm(ws.ws_row, ws.ws_col);
	ui_state.lines = LINES;
	ui_state.cols = COLS;
	werase(stdscr);
	ui_state.redraw |= UI_REDRAW_ALL;
	ui_redraw(m);
}

void
ui_message(int error, const char *fmt, ...)
{
	va_list	 ap;
	char	*s;

	va_start(ap, fmt);
	xvasprintf(&s, fmt, ap);
	va_end(ap);
	free(ui_state.message);
	ui_state.message = sanitize(s);
	ui_state.message_error = error;
	free(s);
	ui_state.redraw |= UI_REDRAW_BOTTOM;
}

static void
ui_message_clear(void)
{
	if (ui_state.message == NULL)
		return;
	free(ui_state.message);
	ui_state.message = NULL;
	ui_state.redraw |= UI_REDRAW_BOTTOM;
}

/* The view changed: new rows, and everything that shows the view. */
void
ui_view_changed(void)
{
	ui_state.redraw |= UI_REDRAW_REBUILD | UI_REDRAW_PANES |
	    UI_REDRAW_BOTTOM;
}

void
ui_scope_clear(void)
{
	free(ui_state.view.scope_ns);
	free(ui_state.view.scope_name);
	ui_state.view.scope_ns = ui_state.view.scope_name = NULL;
}

void
ui_tick(struct model *m, time_t now)
{
	wall_tick(m, now);
}

/* Edit a one-line text field with a key: backspace removes a character,
 * a printable key appends one. Returns 1 if the text changed. */
int
ui_edit_key(char *f, size_t size, int key)
{
	char	 enc[8];
	size_t	 len = strlen(f), n;

	switch (key) {
	case 8:
	case 0x7f:
	case KEYMAP_KEY_CURSES | KEY_BACKSPACE:
		while (len > 0 && (f[len - 1] & 0xc0) == 0x80)
			len--;
		if (len > 0)
			len--;
		f[len] = '\0';
		return 1;
	default:
		if (key < 0x20 || key >= KEYMAP_KEY_CURSES)
			return 0;
		n = draw_utf8_encode(enc, (unsigned int)key);
		if (len + n >= size)
			return 0;
		memcpy(f + len, enc, n);
		f[len + n] = '\0';
		return 1;
	}
}

/* A key while the filter prompt is open: edit, Enter keeps, Escape drops. */
static void
ui_prompt_key(int key)
{
	char	*f = ui_state.view.filter;

	switch (key) {
	case KEYMAP_KEY_ENTER:
		ui_state.prompt = 0;
		ui_state.redraw |= UI_REDRAW_BOTTOM | UI_REDRAW_PANES;
		return;
	case KEYMAP_KEY_ESCAPE:
		ui_state.prompt = 0;
		f[0] = '\0';
		break;
	case 'u' & 0x1f:
		f[0] = '\0';
		break;
	default:
		if (!ui_edit_key(f, UI_FILTER_MAX, key))
			return;
		break;
	}
	ui_view_changed();
}

static void
ui_confirm_open(const char *preview, const char *prompt,
    void (*answer)(void *, const char *), void *arg)
{
	struct ui_confirm *c;

	if (ui_state.confirm != NULL || ui_state.screen == NULL) {
		answer(arg, "");
		return;
	}
	c = xcalloc(1, sizeof *c);
	c->preview = preview != NULL ? sanitize(preview) : NULL;
	c->prompt = prompt != NULL ? sanitize(prompt) : NULL;
	c->answer = answer;
	c->arg = arg;
	ui_state.confirm = c;
	ui_state.help = 0;
	ui_state.redraw |= UI_REDRAW_ALL;
}

void
ui_confirm(const char *preview, const char *type_name,
    void (*answer)(void *, const char *), void *arg)
{
	ui_confirm_open(preview != NULL ? preview : "", type_name != NULL ?
	    "Type the deployment name to confirm: " : NULL, answer, arg);
}

void
ui_ask(const char *preview, const char *prompt,
    void (*answer)(void *, const char *), void *arg)
{
	ui_confirm_open(preview, prompt, answer, arg);
}

static void
ui_confirm_free(void)
{
	struct ui_confirm *c = ui_state.confirm;

	if (c == NULL)
		return;
	free(c->preview);
	free(c->prompt);
	free(c);
	ui_state.confirm = NULL;
}

/* Close the question, then answer (which may ask again). */
static void
ui_confirm_end(const char *text)
{
	struct ui_confirm *c = ui_state.confirm;
	void		(*answer)(void *, const char *) = c->answer;
	void		*arg = c->arg;
	char		*copy = xstrdup(text);

	ui_confirm_free();
	/* The preview may have covered the lists. */
	ui_state.redraw |= UI_REDRAW_ALL;
	answer(arg, copy);
	free(copy);
}

/* A key while a question is open: default No. */
static void
ui_confirm_key(int key)
{
	struct ui_confirm *c = ui_state.confirm;

	if (c->prompt == NULL) {
		ui_confirm_end(key == 'y' || key == 'Y' ? "y" : "");
		return;
	}
	switch (key) {
	case KEYMAP_KEY_ENTER:
		ui_confirm_end(c->text);
		return;
	case KEYMAP_KEY_ESCAPE:
		ui_confirm_end("");
		return;
	default:
		if (!ui_edit_key(c->text, sizeof c->text, key))
			return;
		break;
	}
	ui_state.redraw |= UI_REDRAW_BOTTOM;
}

int
ui_input(struct model *m)
{
	const struct keymap_binding *b;
	wint_t		 wch;
	int		 rc, key, quit = 0;

	if (ui_state.screen == NULL || isendwin())
		return 0;
	ui_sync(m);
	while (!quit && (rc = wget_wch(stdscr, &wch)) != ERR) {
		if (rc == KEY_CODE_YES && wch == KEY_RESIZE) {
			ui_resize(m);
			continue;
		}
		key = keymap_key_from_curses(rc, (unsigned int)wch);
		if (ui_state.confirm != NULL) {
			ui_confirm_key(key);
			continue;
		}
		if (ui_state.pick != NULL) {
			picker_key(key);
			continue;
		}
		if (ui_state.palette != NULL) {
			palette_key(m, key);
			quit = ui_state.quit;
			continue;
		}
		if (ui_state.help) {
			if (!help_key(key))
				ui_state.help = 0;
			ui_state.redraw |= UI_REDRAW_ALL;
			continue;
		}
		if (ui_state.prompt) {
			ui_prompt_key(key);
			continue;
		}
		ui_message_clear();
		if ((b = keymap_lookup(KEYMAP_TABLE_NORMAL, key)) == NULL ||
		    (ui_state.wall && !ui_command_wall(b->argv[0]))) {
			/* The room can look, not touch: say how to leave. */
			if (ui_state.wall)
				ui_message(0, "wall screen (read-only): q "
				    "leaves, ? shows the keys");
			continue;
		}
		ui_sync(m);
		quit = ui_command_run(m, b->argc, b->argv);
	}
	if (!quit)
		ui_redraw(m);
	return quit;
}
