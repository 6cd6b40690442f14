/* ui.c: the screen's life (start, stop, resize), the layout, the redraw of
 * what is dirty with one doupdate, keyboard input, the filter prompt, the
 * ui's own commands (others go to ui_action_hook). */
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

enum ui_cmd {
	UI_CMD_SELECT_UP,
	UI_CMD_SELECT_DOWN,
	UI_CMD_PAGE_UP,
	UI_CMD_PAGE_DOWN,
	UI_CMD_SELECT_FIRST,
	UI_CMD_SELECT_LAST,
	UI_CMD_FOCUS_NEXT,
	UI_CMD_FOCUS_PREV,
	UI_CMD_SHOW_PODS,
	UI_CMD_FILTER,
	UI_CMD_CLEAR_FILTER,
	UI_CMD_TOGGLE_GROUP,
	UI_CMD_HELP,
	UI_CMD_REFRESH,
	UI_CMD_REDRAW,
	UI_CMD_PALETTE,
	UI_CMD_ACTION_LOG,
	UI_CMD_VIEW_KUBE,
	UI_CMD_VIEW_RES,
	UI_CMD_VIEW_ALERTS,
	UI_CMD_TOGGLE_RULES,
	UI_CMD_VIEW_DB,
	UI_CMD_TOGGLE_ORDER,
	UI_CMD_ZOOM,
	UI_CMD_COPY_NAME,
	UI_CMD_COPY_COMMAND,
	UI_CMD_WRITE_SCREEN,
	UI_CMD_QUIT
};

static const struct {
	const char	*name;
	enum ui_cmd	 cmd;
} ui_commands[] = {
	{ "select-up", UI_CMD_SELECT_UP },
	{ "select-down", UI_CMD_SELECT_DOWN },
	{ "page-up", UI_CMD_PAGE_UP },
	{ "page-down", UI_CMD_PAGE_DOWN },
	{ "select-first", UI_CMD_SELECT_FIRST },
	{ "select-last", UI_CMD_SELECT_LAST },
	{ "focus-next", UI_CMD_FOCUS_NEXT },
	{ "focus-prev", UI_CMD_FOCUS_PREV },
	{ "show-pods", UI_CMD_SHOW_PODS },
	{ "filter", UI_CMD_FILTER },
	{ "clear-filter", UI_CMD_CLEAR_FILTER },
	{ "toggle-group", UI_CMD_TOGGLE_GROUP },
	{ "help", UI_CMD_HELP },
	{ "refresh", UI_CMD_REFRESH },
	{ "redraw", UI_CMD_REDRAW },
	{ "palette", UI_CMD_PALETTE },
	{ "action-log", UI_CMD_ACTION_LOG },
	{ "view-kube", UI_CMD_VIEW_KUBE },
	{ "view-resources", UI_CMD_VIEW_RES },
	{ "view-alerts", UI_CMD_VIEW_ALERTS },
	{ "toggle-rules", UI_CMD_TOGGLE_RULES },
	{ "view-databases", UI_CMD_VIEW_DB },
	{ "toggle-order", UI_CMD_TOGGLE_ORDER },
	{ "zoom", UI_CMD_ZOOM },
	{ "copy-name", UI_CMD_COPY_NAME },
	{ "copy-command", UI_CMD_COPY_COMMAND },
	{ "write-screen", UI_CMD_WRITE_SCREEN },
	{ "quit", UI_CMD_QUIT },
};

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

	ui_state.panels[UI_PANEL_DEPLOYS].ops = &panel_kube_deploys_ops;
	ui_state.panels[UI_PANEL_PODS].ops = &panel_kube_pods_ops;
	ui_state.panels[UI_PANEL_RES].ops = &panel_res_ops;
	ui_state.panels[UI_PANEL_ALERTS].ops = &panel_alerts_ops;
	ui_state.panels[UI_PANEL_DB].ops = &panel_db_ops;
	ui_state.focus = UI_PANEL_PODS;
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
	for (i = 0; i < UI_PANEL__COUNT; i++)
		panel_list_free(&ui_state.panels[i].list);
	for (i = 0; i < UI_PANEL__COUNT; i++)
		if (ui_state.panels[i].ops != NULL &&
		    ui_state.panels[i].ops->free != NULL)
			ui_state.panels[i].ops->free();
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

void
ui_sync(struct model *m)
{
	struct ui_panel	*p;
	int		 i, all;

	if (ui_state.panels[0].ops == NULL)
		return;
	all = (ui_state.redraw & UI_REDRAW_REBUILD) != 0;
	for (i = 0; i < UI_PANEL__COUNT; i++) {
		p = &ui_state.panels[i];
		if (all || (m->dirty & p->ops->dirty)) {
			p->ops->rebuild(p, m, &ui_state.view);
			ui_state.redraw |= UI_REDRAW_PANES;
		}
	}
	m->dirty &= ~(DIRTY_PODS | DIRTY_DEPLOYS | DIRTY_RES | DIRTY_ALERTS |
	    DIRTY_DB);
	ui_state.redraw &= ~UI_REDRAW_REBUILD;
}

int
ui_wide(void)
{
	return COLS >= UI_WIDE_COLS && LINES >= UI_WIDE_LINES &&
	    !ui_state.zoom;
}

/* The right column of the wide layout: the panels with a source. Returns
 * how many (0: the screen is not wide, or there is only Kubernetes). */
static int
ui_wide_panels(const struct model *m, enum ui_panel_id *out)
{
	enum ui_panel_id ids[3];
	int		 n = 0, i;

	if (!ui_wide())
		return 0;
	if (m->sources[SOURCE_ALERTS].state != SOURCE_OFF)
		ids[n++] = UI_PANEL_ALERTS;
	if (m->sources[SOURCE_PROM].state != SOURCE_OFF)
		ids[n++] = UI_PANEL_RES;
	if (m->sources[SOURCE_PG].state != SOURCE_OFF ||
	    m->sources[SOURCE_REDIS].state != SOURCE_OFF)
		ids[n++] = UI_PANEL_DB;
	for (i = 0; out != NULL && i < n; i++)
		out[i] = ids[i];
	return n;
}

/* Every panel at once: deployments and pods on the left, the others
 * stacked on the right. */
static void
ui_draw_wide(struct model *m, const struct ui_layout *l, time_t now)
{
	enum ui_panel_id right[3];
	struct ui_panel	*p;
	int		 n, lw, rw, dh, y, h, i;

	n = ui_wide_panels(m, right);
	lw = COLS / 2;
	rw = COLS - lw - 1;
	dh = (int)ui_state.panels[UI_PANEL_DEPLOYS].list.nrows + 2;
	if (dh > l->main_h / 3)
		dh = l->main_h / 3;
	p = &ui_state.panels[UI_PANEL_DEPLOYS];
	panel_draw(p, m, &ui_state.view, l->main_y, dh, lw,
	    ui_state.focus == UI_PANEL_DEPLOYS, now);
	p = &ui_state.panels[UI_PANEL_PODS];
	panel_draw(p, m, &ui_state.view, l->main_y + dh, l->main_h - dh, lw,
	    ui_state.focus == UI_PANEL_PODS, now);
	for (y = l->main_y, i = 0; i < n; i++) {
		h = l->main_h / n + (i == n - 1 ? l->main_h % n : 0);
		draw_x0 = lw + 1;
		p = &ui_state.panels[right[i]];
		panel_draw(p, m, &ui_state.view, y, h, rw,
		    ui_state.focus == right[i], now);
		draw_x0 = 0;
		y += h;
	}
}

/* Tab on a wide screen: every panel shown, in order. */
static void
ui_wide_focus(struct model *m, int dir)
{
	enum ui_panel_id order[5], right[3];
	int		 n = 0, i, k;

	order[n++] = UI_PANEL_DEPLOYS;
	order[n++] = UI_PANEL_PODS;
	k = ui_wide_panels(m, right);
	for (i = 0; i < k; i++)
		order[n++] = right[i];
	for (i = 0; i < n && order[i] != ui_state.focus; i++)
		;
	ui_state.focus = order[((i < n ? i : 0) + n + dir) % n];
}

void
ui_redraw(struct model *m)
{
	struct ui_layout l;
	struct ui_panel	*p;
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
	ui_layout(LINES, COLS, ui_state.panels[UI_PANEL_DEPLOYS].list.nrows,
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
		if ((r & UI_REDRAW_PANES) && ui_wide_panels(m, NULL) > 0)
			ui_draw_wide(m, &l, now);
		else if ((r & UI_REDRAW_PANES) &&
		    ui_state.view_id == UI_VIEW_KUBE) {
			p = &ui_state.panels[UI_PANEL_DEPLOYS];
			panel_draw(p, m, &ui_state.view, l.deploys_y,
			    l.deploys_h, COLS,
			    ui_state.focus == UI_PANEL_DEPLOYS, now);
			p = &ui_state.panels[UI_PANEL_PODS];
			panel_draw(p, m, &ui_state.view, l.pods_y, l.pods_h,
			    COLS, ui_state.focus == UI_PANEL_PODS, now);
		} else if (r & UI_REDRAW_PANES) {
			p = &ui_state.panels[ui_state.focus];
			panel_draw(p, m, &ui_state.view, l.main_y, l.main_h,
			    COLS, 1, now);
		}
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

const char *
ui_command_name(int i)
{
	return i >= 0 && (size_t)i < nitems(ui_commands) ?
	    ui_commands[i].name : NULL;
}

int
ui_command_find(const char *name)
{
	size_t	 i;

	for (i = 0; i < nitems(ui_commands); i++) {
		if (strcmp(ui_commands[i].name, name) == 0)
			return (int)ui_commands[i].cmd;
	}
	return -1;
}

int
ui_command_check(int argc, char **argv, char **cause)
{
	char	*clean;

	if (ui_command_find(argv[0]) != -1 && argc > 1) {
		xasprintf(cause, "%s takes no arguments", argv[0]);
		return -1;
	}
	/* A binding must name something that exists: a typo in a keymap is
	 * found when it loads, not at 3 a.m. when the key is pressed. */
	if (ui_command_find(argv[0]) == -1 && action_find(argv[0]) == NULL) {
		clean = sanitize(argv[0]);
		xasprintf(cause, "unknown command or action \"%s\"", clean);
		free(clean);
		return -1;
	}
	return 0;
}

/* The view changed: new rows, and everything that shows the view. */
static void
ui_view_changed(void)
{
	ui_state.redraw |= UI_REDRAW_REBUILD | UI_REDRAW_PANES |
	    UI_REDRAW_BOTTOM;
}

static void
ui_scope_clear(void)
{
	free(ui_state.view.scope_ns);
	free(ui_state.view.scope_name);
	ui_state.view.scope_ns = ui_state.view.scope_name = NULL;
}

/* Enter on a deployment: its pods only, and go there. */
static void
ui_show_pods(void)
{
	const struct ui_row	*row;

	row = panel_list_selected(&ui_state.panels[UI_PANEL_DEPLOYS].list);
	if (ui_state.focus != UI_PANEL_DEPLOYS || row == NULL) {
		ui_message(0, "select a deployment first (Tab switches lists)");
		return;
	}
	ui_scope_clear();
	ui_state.view.scope_ns = xstrdup(row->ns);
	ui_state.view.scope_name = xstrdup(row->name);
	ui_state.focus = UI_PANEL_PODS;
	ui_view_changed();
}

/* What actions see a selected row as. */
static const char *
ui_row_kind_name(enum ui_row_kind kind, const char *dflt)
{
	switch (kind) {
	case UI_ROW_DEPLOY:
		return "deployment";
	case UI_ROW_POD:
	case UI_ROW_RES:
		return "pod";
	case UI_ROW_NODE:
		return "node";
	case UI_ROW_ALERT:
		return "alert";
	case UI_ROW_RULE:
		return "rule";
	case UI_ROW_SESSION:
		return "session";
	case UI_ROW_STMT:
	case UI_ROW_SLOW:
		return "database";
	case UI_ROW_GROUP:
		break;
	}
	return dflt;
}

/* What a key may do on the wall: look, never act. */
static int
ui_wall_allows(const char *cmd)
{
	static const char *const ok[] = {
		"quit", "help", "redraw", "refresh", "view-kube",
		"view-resources", "view-alerts", "view-databases",
		"toggle-rules", "action-log"
	};
	size_t	 i;

	for (i = 0; i < nitems(ok); i++)
		if (strcmp(cmd, ok[i]) == 0)
			return 1;
	return 0;
}

void
ui_tick(struct model *m, time_t now)
{
	wall_tick(m, now);
}

void
ui_view_set(enum ui_view_id v)
{
	ui_state.view_id = v;
	switch (v) {
	case UI_VIEW_KUBE:
		if (ui_state.focus != UI_PANEL_DEPLOYS)
			ui_state.focus = UI_PANEL_PODS;
		break;
	case UI_VIEW_RES:
		ui_state.focus = UI_PANEL_RES;
		break;
	case UI_VIEW_ALERTS:
		ui_state.focus = UI_PANEL_ALERTS;
		break;
	case UI_VIEW_DB:
		ui_state.focus = UI_PANEL_DB;
		break;
	}
	ui_state.redraw |= UI_REDRAW_ALL | UI_REDRAW_REBUILD;
}

/* To the Kubernetes view, on the pods of deployment ns/deploy, with pod
 * selected if given. */
static void
ui_goto_pods(const char *ns, const char *deploy, const char *pod)
{
	struct ui_list	*l = &ui_state.panels[UI_PANEL_PODS].list;

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
	ui_view_set(UI_VIEW_KUBE);
	ui_state.focus = UI_PANEL_PODS;
	ui_view_changed();
}

/* Enter on an alert: the pods of the deployment it names (through its
 * deployment, pod or service label), where the remediation keys are. */
static void
ui_alert_jump(struct model *m)
{
	const struct ui_row	*row;
	const struct model_alert *a;
	const struct kube_pod	*pod = NULL;
	const char		*ns, *deploy = NULL;
	char			 key[512];

	row = panel_list_selected(&ui_state.panels[UI_PANEL_ALERTS].list);
	if (row == NULL || row->kind != UI_ROW_ALERT) {
		ui_message(0, "select an alert first");
		return;
	}
	a = row->obj;
	ns = a->ns != NULL ? a->ns : m->namespace;
	if (ns != NULL && a->pod != NULL) {
		snprintf(key, sizeof key, "%s/%s", ns, a->pod);
		if ((pod = table_get(&m->pods, key)) != NULL)
			deploy = model_pod_deploy(m, pod);
	}
	if (deploy == NULL && a->deployment != NULL)
		deploy = a->deployment;
	if (deploy == NULL && ns != NULL && a->service != NULL) {
		snprintf(key, sizeof key, "%s/%s", ns, a->service);
		if (table_get(&m->deploys, key) != NULL)
			deploy = a->service;
	}
	if (deploy == NULL || ns == NULL) {
		ui_message(1, "%s names no deployment, pod or service that is "
		    "shown", a->name);
		return;
	}
	ui_goto_pods(ns, deploy, pod != NULL ? pod->name : NULL);
}

/* Enter on a pod's resource row: its pods in the Kubernetes view. */
static void
ui_res_jump(struct model *m)
{
	const struct ui_row	*row;
	const struct kube_pod	*pod;
	const char		*deploy;
	char			 key[512];

	row = panel_list_selected(&ui_state.panels[UI_PANEL_RES].list);
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
	ui_goto_pods(row->ns, deploy, pod->name);
}

static int
ui_command_hook(struct model *m, int argc, char **argv)
{
	struct ui_panel		*p = &ui_state.panels[ui_state.focus];
	const struct ui_row	*row;
	struct ui_target	 t;
	char			*cause = NULL;

	memset(&t, 0, sizeof t);
	if ((row = panel_list_selected(&p->list)) != NULL) {
		t.kind = ui_row_kind_name(row->kind, p->ops->kind);
		t.ns = row->ns;
		t.name = row->name;
	}
	if (ui_action_hook == NULL) {
		ui_message(1, "unknown command: %s", argv[0]);
		return 0;
	}
	if (ui_action_hook(m, argc, argv, &t, &cause) != 0) {
		ui_message(1, "%s: %s", argv[0],
		    cause != NULL ? cause : "failed");
		free(cause);
	}
	/* The action may have changed the model. */
	ui_sync(m);
	return 0;
}

int
ui_command_run(struct model *m, int argc, char **argv)
{
	struct ui_list	*list = &ui_state.panels[ui_state.focus].list;
	long		 page;
	int		 cmd;

	if ((cmd = ui_command_find(argv[0])) == -1)
		return ui_command_hook(m, argc, argv);
	page = list->height > 1 ? list->height - 1 : 1;
	switch ((enum ui_cmd)cmd) {
	case UI_CMD_SELECT_UP:
		panel_list_move(list, -1);
		break;
	case UI_CMD_SELECT_DOWN:
		panel_list_move(list, 1);
		break;
	case UI_CMD_PAGE_UP:
		panel_list_move(list, -page);
		break;
	case UI_CMD_PAGE_DOWN:
		panel_list_move(list, page);
		break;
	case UI_CMD_SELECT_FIRST:
		panel_list_home(list, 0);
		break;
	case UI_CMD_SELECT_LAST:
		panel_list_home(list, 1);
		break;
	case UI_CMD_FOCUS_NEXT:
	case UI_CMD_FOCUS_PREV:
		/* The Kubernetes view has two lists; the others one. */
		if (ui_wide_panels(m, NULL) > 0)
			ui_wide_focus(m, cmd == UI_CMD_FOCUS_NEXT ? 1 : -1);
		else if (ui_state.view_id == UI_VIEW_KUBE)
			ui_state.focus = ui_state.focus == UI_PANEL_PODS ?
			    UI_PANEL_DEPLOYS : UI_PANEL_PODS;
		break;
	case UI_CMD_SHOW_PODS:
		if (ui_state.view_id == UI_VIEW_ALERTS)
			ui_alert_jump(m);
		else if (ui_state.view_id == UI_VIEW_RES)
			ui_res_jump(m);
		else
			ui_show_pods();
		break;
	case UI_CMD_VIEW_KUBE:
		ui_view_set(UI_VIEW_KUBE);
		break;
	case UI_CMD_VIEW_RES:
		ui_view_set(UI_VIEW_RES);
		break;
	case UI_CMD_VIEW_ALERTS:
		ui_view_set(UI_VIEW_ALERTS);
		break;
	case UI_CMD_VIEW_DB:
		ui_view_set(UI_VIEW_DB);
		break;
	case UI_CMD_ZOOM:
		ui_state.zoom = !ui_state.zoom;
		ui_view_set(ui_state.focus == UI_PANEL_RES ? UI_VIEW_RES :
		    ui_state.focus == UI_PANEL_ALERTS ? UI_VIEW_ALERTS :
		    ui_state.focus == UI_PANEL_DB ? UI_VIEW_DB : UI_VIEW_KUBE);
		ui_message(0, "%s", ui_state.zoom ? "zoomed on one view (z "
		    "shows every panel on a large screen)" : "every panel that "
		    "fits");
		werase(stdscr);
		break;
	case UI_CMD_COPY_NAME:
	case UI_CMD_COPY_COMMAND:
		ui_copy(cmd == UI_CMD_COPY_COMMAND);
		break;
	case UI_CMD_WRITE_SCREEN:
		ui_dump_screen();
		break;
	case UI_CMD_TOGGLE_ORDER:
		ui_state.db_by_total = !ui_state.db_by_total;
		ui_message(0, "statements by %s time", ui_state.db_by_total ?
		    "total" : "mean");
		ui_state.redraw |= UI_REDRAW_REBUILD;
		break;
	case UI_CMD_TOGGLE_RULES:
		ui_state.rules = !ui_state.rules;
		ui_view_set(UI_VIEW_ALERTS);
		ui_message(0, "%s", ui_state.rules ? "Prometheus alerting "
		    "rules (firing, pending, inactive)" : "Alertmanager alerts");
		break;
	case UI_CMD_FILTER:
		ui_state.prompt = 1;
		ui_state.redraw |= UI_REDRAW_BOTTOM;
		break;
	case UI_CMD_CLEAR_FILTER:
		ui_state.view.filter[0] = '\0';
		ui_scope_clear();
		ui_view_changed();
		break;
	case UI_CMD_TOGGLE_GROUP:
		ui_state.view.group = !ui_state.view.group;
		ui_message(0, "pods %s", ui_state.view.group ?
		    "grouped by deployment" : "in one list, problems first");
		ui_view_changed();
		break;
	case UI_CMD_HELP:
		help_open();
		break;
	case UI_CMD_REFRESH:
		if (ui_refresh_hook != NULL) {
			ui_refresh_hook();
			ui_message(0, "refreshing: listing everything again");
		}
		model_mark(m, DIRTY_ALL);
		ui_state.redraw |= UI_REDRAW_ALL;
		break;
	case UI_CMD_REDRAW:
		ui_state.redraw |= UI_REDRAW_ALL | UI_REDRAW_CLEAR;
		break;
	case UI_CMD_PALETTE:
		palette_open();
		break;
	case UI_CMD_ACTION_LOG:
		ui_state.log_hidden = !ui_state.log_hidden;
		if (m->nactions == 0)
			ui_message(0, "no actions yet in this session");
		ui_state.redraw |= UI_REDRAW_ALL;
		break;
	case UI_CMD_QUIT:
		return 1;
	}
	ui_state.redraw |= UI_REDRAW_PANES;
	return 0;
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
		    (ui_state.wall && !ui_wall_allows(b->argv[0]))) {
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
