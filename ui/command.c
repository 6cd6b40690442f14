/* command.c: the ui's own commands, one table of name and function (tmux's
 * cmd_table); the views' commands come from the view table. Any other name
 * is an action's and goes to ui_action_hook with the selected row. */
#include <stdlib.h>
#include <string.h>

#include "action.h"
#include "model.h"
#include "ui-private.h"
#include "warroom.h"

/* A command runs on the model and the focused panel's list; returns 1 to
 * quit. */
struct ui_command {
	const char	*name;
	int		(*run)(struct model *, struct ui_list *);
	int		 wall;		/* the wall allows it: it only looks */
};

/* The focused list's page: its height less one. */
static long
ui_cmd_page(const struct ui_list *l)
{
	return l->height > 1 ? l->height - 1 : 1;
}

static int
ui_cmd_select_up(struct model *m, struct ui_list *l)
{
	(void)m;
	panel_list_move(l, -1);
	return 0;
}

static int
ui_cmd_select_down(struct model *m, struct ui_list *l)
{
	(void)m;
	panel_list_move(l, 1);
	return 0;
}

static int
ui_cmd_page_up(struct model *m, struct ui_list *l)
{
	(void)m;
	panel_list_move(l, -ui_cmd_page(l));
	return 0;
}

static int
ui_cmd_page_down(struct model *m, struct ui_list *l)
{
	(void)m;
	panel_list_move(l, ui_cmd_page(l));
	return 0;
}

static int
ui_cmd_select_first(struct model *m, struct ui_list *l)
{
	(void)m;
	panel_list_home(l, 0);
	return 0;
}

static int
ui_cmd_select_last(struct model *m, struct ui_list *l)
{
	(void)m;
	panel_list_home(l, 1);
	return 0;
}

static int
ui_cmd_focus_next(struct model *m, struct ui_list *l)
{
	(void)l;
	view_focus(m, 1);
	return 0;
}

static int
ui_cmd_focus_prev(struct model *m, struct ui_list *l)
{
	(void)l;
	view_focus(m, -1);
	return 0;
}

/* Enter: what the view makes of it, else the selected deployment's pods. */
static int
ui_cmd_show_pods(struct model *m, struct ui_list *l)
{
	const struct view_entry *v = &view_table[ui_state.view_id];

	(void)l;
	if (v->enter != NULL)
		v->enter(m);
	else
		panel_kube_enter(m);
	return 0;
}

static int
ui_cmd_filter(struct model *m, struct ui_list *l)
{
	(void)m;
	(void)l;
	ui_state.prompt = 1;
	ui_state.redraw |= UI_REDRAW_BOTTOM;
	return 0;
}

static int
ui_cmd_clear_filter(struct model *m, struct ui_list *l)
{
	(void)m;
	(void)l;
	ui_state.view.filter[0] = '\0';
	ui_scope_clear();
	ui_view_changed();
	return 0;
}

static int
ui_cmd_toggle_group(struct model *m, struct ui_list *l)
{
	(void)m;
	(void)l;
	ui_state.view.group = !ui_state.view.group;
	ui_message(0, "pods %s", ui_state.view.group ?
	    "grouped by deployment" : "in one list, problems first");
	ui_view_changed();
	return 0;
}

static int
ui_cmd_help(struct model *m, struct ui_list *l)
{
	(void)m;
	(void)l;
	help_open();
	return 0;
}

static int
ui_cmd_refresh(struct model *m, struct ui_list *l)
{
	(void)l;
	if (ui_refresh_hook != NULL) {
		ui_refresh_hook();
		ui_message(0, "refreshing: listing everything again");
	}
	model_mark(m, DIRTY_ALL);
	ui_state.redraw |= UI_REDRAW_ALL;
	return 0;
}

static int
ui_cmd_redraw(struct model *m, struct ui_list *l)
{
	(void)m;
	(void)l;
	ui_state.redraw |= UI_REDRAW_ALL | UI_REDRAW_CLEAR;
	return 0;
}

static int
ui_cmd_palette(struct model *m, struct ui_list *l)
{
	(void)m;
	(void)l;
	palette_open();
	return 0;
}

static int
ui_cmd_action_log(struct model *m, struct ui_list *l)
{
	(void)l;
	ui_state.log_hidden = !ui_state.log_hidden;
	if (m->nactions == 0)
		ui_message(0, "no actions yet in this session");
	ui_state.redraw |= UI_REDRAW_ALL;
	return 0;
}

static int
ui_cmd_toggle_rules(struct model *m, struct ui_list *l)
{
	(void)m;
	(void)l;
	ui_state.rules = !ui_state.rules;
	view_set(view_panel_of(&panel_alerts_ops)->view);
	ui_message(0, "%s", ui_state.rules ? "Prometheus alerting "
	    "rules (firing, pending, inactive)" : "Alertmanager alerts");
	return 0;
}

static int
ui_cmd_toggle_order(struct model *m, struct ui_list *l)
{
	(void)m;
	(void)l;
	ui_state.db_by_total = !ui_state.db_by_total;
	ui_message(0, "statements by %s time", ui_state.db_by_total ?
	    "total" : "mean");
	ui_state.redraw |= UI_REDRAW_REBUILD;
	return 0;
}

static int
ui_cmd_zoom(struct model *m, struct ui_list *l)
{
	(void)m;
	(void)l;
	view_zoom();
	ui_message(0, "%s", ui_state.zoom ? "zoomed on one view (z "
	    "shows every panel on a large screen)" : "every panel that "
	    "fits");
	werase(stdscr);
	return 0;
}

static int
ui_cmd_copy_name(struct model *m, struct ui_list *l)
{
	(void)m;
	(void)l;
	ui_copy(0);
	return 0;
}

static int
ui_cmd_copy_command(struct model *m, struct ui_list *l)
{
	(void)m;
	(void)l;
	ui_copy(1);
	return 0;
}

static int
ui_cmd_write_screen(struct model *m, struct ui_list *l)
{
	(void)m;
	(void)l;
	ui_dump_screen();
	return 0;
}

static int
ui_cmd_quit(struct model *m, struct ui_list *l)
{
	(void)m;
	(void)l;
	return 1;
}

static const struct ui_command ui_commands[] = {
	{ .name = "select-up", .run = ui_cmd_select_up },
	{ .name = "select-down", .run = ui_cmd_select_down },
	{ .name = "page-up", .run = ui_cmd_page_up },
	{ .name = "page-down", .run = ui_cmd_page_down },
	{ .name = "select-first", .run = ui_cmd_select_first },
	{ .name = "select-last", .run = ui_cmd_select_last },
	{ .name = "focus-next", .run = ui_cmd_focus_next },
	{ .name = "focus-prev", .run = ui_cmd_focus_prev },
	{ .name = "show-pods", .run = ui_cmd_show_pods },
	{ .name = "filter", .run = ui_cmd_filter },
	{ .name = "clear-filter", .run = ui_cmd_clear_filter },
	{ .name = "toggle-group", .run = ui_cmd_toggle_group },
	{ .name = "help", .run = ui_cmd_help, .wall = 1 },
	{ .name = "refresh", .run = ui_cmd_refresh, .wall = 1 },
	{ .name = "redraw", .run = ui_cmd_redraw, .wall = 1 },
	{ .name = "palette", .run = ui_cmd_palette },
	{ .name = "action-log", .run = ui_cmd_action_log, .wall = 1 },
	{ .name = "toggle-rules", .run = ui_cmd_toggle_rules, .wall = 1 },
	{ .name = "toggle-order", .run = ui_cmd_toggle_order },
	{ .name = "zoom", .run = ui_cmd_zoom },
	{ .name = "copy-name", .run = ui_cmd_copy_name },
	{ .name = "copy-command", .run = ui_cmd_copy_command },
	{ .name = "write-screen", .run = ui_cmd_write_screen },
	{ .name = "quit", .run = ui_cmd_quit, .wall = 1 },
};

/* Commands are numbered: the table's, then one per view. */
const char *
ui_command_name(int i)
{
	if (i >= 0 && (size_t)i < nitems(ui_commands))
		return ui_commands[i].name;
	i -= (int)nitems(ui_commands);
	return i >= 0 && i < view_count() ? view_table[i].command : NULL;
}

int
ui_command_find(const char *name)
{
	const char	*s;
	int		 i;

	for (i = 0; (s = ui_command_name(i)) != NULL; i++) {
		if (strcmp(s, name) == 0)
			return i;
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

/* What a key may do on the wall: look, never act. */
int
ui_command_wall(const char *name)
{
	int	 i = ui_command_find(name);

	if (i == -1)
		return 0;
	return (size_t)i >= nitems(ui_commands) || ui_commands[i].wall;
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
	int		 i;

	if ((i = ui_command_find(argv[0])) == -1)
		return ui_command_hook(m, argc, argv);
	if ((size_t)i < nitems(ui_commands)) {
		if (ui_commands[i].run(m, list))
			return 1;
	} else
		view_set(i - (int)nitems(ui_commands));
	ui_state.redraw |= UI_REDRAW_PANES;
	return 0;
}
