/* ui-private.h: what the files of ui/ share: the screen state, the panel
 * vtable, row lists and the pure layout helpers the tests call. */
#ifndef WARROOM_UI_PRIVATE_H
#define WARROOM_UI_PRIVATE_H

#include <stdio.h>
#include <time.h>

#include <curses.h>

#include "draw.h"
#include "keymap.h"
#include "theme.h"
#include "ui.h"

struct model;
struct kube_deploy;
struct kube_hpa;
struct kube_pod;

#define UI_FILTER_MAX	128	/* bytes in the filter text */

/* Parts of the screen to draw again (besides the model's dirty bits). */
#define UI_REDRAW_TITLE		0x001u
#define UI_REDRAW_PANES		0x002u
#define UI_REDRAW_STATUS	0x004u
#define UI_REDRAW_BOTTOM	0x008u
#define UI_REDRAW_HELP		0x010u
#define UI_REDRAW_LOG		0x020u
#define UI_REDRAW_ALL		0x0ffu
#define UI_REDRAW_CLEAR		0x100u	/* repaint the terminal from scratch */
#define UI_REDRAW_REBUILD	0x200u	/* filter or grouping changed: new rows */

enum ui_level {
	UI_LEVEL_OK,
	UI_LEVEL_WARN,			/* restarting, pending, terminating */
	UI_LEVEL_PROBLEM		/* crashing, failing, counts disagree */
};

enum ui_row_kind {
	UI_ROW_DEPLOY,
	UI_ROW_POD,
	UI_ROW_GROUP,			/* a heading, never selected */
	UI_ROW_RES,			/* a pod's resource use */
	UI_ROW_NODE,			/* a node's resource use */
	UI_ROW_ALERT,
	UI_ROW_RULE,
	UI_ROW_STMT,			/* a PostgreSQL statement */
	UI_ROW_SESSION,			/* a PostgreSQL session */
	UI_ROW_SLOW			/* a Redis SLOWLOG entry */
};

struct ui_row {
	enum ui_row_kind kind;
	enum ui_level	 level;
	const void	*obj;		/* struct kube_deploy or kube_pod; for a
					   group its deployment, may be NULL */
	const char	*ns;		/* borrowed from the model */
	const char	*name;		/* group: deployment name, NULL = others */
	const struct kube_hpa *hpa;	/* deployment rows: its autoscaler */
	int		 mismatch;	/* deployment rows: counts disagree */
	int		 npods;		/* deployment and group rows */
	int		 nproblem;
	const char	*text;		/* a heading's own text, or NULL */
};

/* Rows of a panel and a selection that follows its object by key. Rows
 * borrow model memory: rebuild after every model change, before use. */
struct ui_list {
	struct ui_row	*rows;
	size_t		 nrows;
	size_t		 cap;
	size_t		 sel;		/* selected row */
	size_t		 top;		/* first row shown */
	int		 height;	/* rows that fit, as last drawn */
	char		*sel_ns;	/* the selected object, across rebuilds */
	char		*sel_name;
	int		 want[8];	/* widest content per column */
	int		 nproblem;	/* problem rows (not headings) */
	int		 total;		/* objects before filtering */
};

/* What the rows show: the filter, scope and grouping the user chose. */
struct ui_view {
	char		 filter[UI_FILTER_MAX];
	char		*scope_ns;	/* pods of this deployment only */
	char		*scope_name;
	int		 group;		/* pods grouped under their deployment */
};

struct ui_panel;

#define PANEL_COLS	8		/* columns a panel may have */
#define PANEL_CELL	DRAW_CELL_MAX	/* bytes of one cell, or of a row's line */

/* What a panel tells the row loop before its rows are drawn. */
struct panel_frame {
	char		 title[512];	/* the title rule's text */
	struct draw_col	 cols[PANEL_COLS]; /* laid out for the width */
	int		 ncols;		/* 0: no header, a row is one line */
	int		 cells_left;	/* cells left-aligned whatever the
					   titles are */
	int		 foot;		/* lines kept below the rows */
};

/*
 * A panel (htop's Panel, tmux's window_mode): rows from the model, drawn
 * into a band of the screen by panel_draw(), which asks it for the title
 * and columns (frame), each row's cells, each heading's text and what an
 * empty list says.
 */
struct ui_panel_ops {
	const char	*name;
	const char	*kind;		/* target kind for actions */
	void		(*rebuild)(struct ui_panel *, const struct model *,
			    const struct ui_view *);
	/* The title, the columns laid out for width w, lines kept below. */
	void		(*frame)(struct ui_panel *, const struct model *,
			    const struct ui_view *, int h, int w, time_t now,
			    struct panel_frame *);
	/* A row's cells, one per column, or its line in cells[0]. */
	void		(*cells)(const struct ui_panel *, const struct ui_row *,
			    const struct panel_frame *, time_t now,
			    char cells[][PANEL_CELL]);
	/* A heading's text; returns the level its mark shows. NULL: "▾ "
	 * and the row's text, marked with its level. */
	enum ui_level	(*heading)(const struct ui_panel *,
			    const struct model *, const struct ui_row *,
			    char *, size_t);
	const char	*(*empty)(const struct ui_panel *,
			    const struct model *, const struct ui_view *);
	/* Draws the frame's foot lines, or NULL. */
	void		(*foot)(struct ui_panel *, int y, int h, int w);
	/* Frees what the panel keeps between rebuilds, or NULL. */
	void		(*free)(void);
};

struct ui_panel {
	const struct ui_panel_ops *ops;
	struct ui_list	 list;
	int		 view;		/* its view's index in view_table */
};

#define VIEW_PANELS	2	/* panels of one view, top to bottom */
#define UI_PANELS_MAX	16	/* panels of every view */
#define VIEW_SOURCE(id)	(1u << (id))

/*
 * A view (tmux's cmd_table, htop's Platform_meterTypes): what the main area
 * shows, one entry of view_table. Its command and summary line, the wall's
 * turns, the wide layout, zoom and Tab all come from the entry.
 */
struct view_entry {
	const char	*name;		/* "alerts", as its summary line says */
	const char	*command;	/* "view-alerts": the command showing it */
	const char	*key;		/* "3": its key in the default keymap */
	const struct ui_panel_ops *panels[VIEW_PANELS]; /* top to bottom */
	int		 focus;		/* the panel focused first (index) */
	unsigned	 dirty;		/* DIRTY_* bits that change its rows */
	unsigned	 sources;	/* VIEW_SOURCE bits: shown once one is
					   configured; 0: always */
	int		 wall;		/* the wall screen takes turns with it */
	int		 wide;		/* its place in the wide layout's right
					   column (1 first); 0: not there */
	/* Its summary line after "[key] name  " when another view is shown;
	 * returns 0 for none. */
	int		(*summary)(const struct model *, char *, size_t,
			    enum ui_level *);
	/* Enter (show-pods) in this view; NULL: the selected deployment's
	 * pods. */
	void		(*enter)(struct model *);
};

/* Where things go on the screen; pure, see ui_layout(). */
struct ui_layout {
	int		 too_small;	/* only a message fits */
	int		 title_y;
	int		 deploys_y, deploys_h;
	int		 pods_y, pods_h;
	int		 log_y, log_h;	/* the action log, 0: not shown */
	int		 main_y, main_h; /* one panel's view: all of it */
	int		 strip_y;	/* the health strip, 0: none */
	int		 sum_y, sum_h;	/* the other views' summary lines */
	int		 title_h;	/* 1, or the wall's 3-line banner */
	int		 band_y, band_h;	/* the wall's critical band */
	int		 status_y;
	int		 bottom_y;
};

/* A question at the bottom (ui_confirm, ui_ask): the preview above, the
 * prompt and what has been typed below. */
struct ui_confirm {
	char		*preview;	/* sanitized, or NULL: none */
	char		*prompt;	/* sanitized; NULL: a y/N question */
	char		 text[UI_FILTER_MAX];	/* typed so far */
	void		(*answer)(void *, const char *);
	void		*arg;
};

/* A list to choose from in a box (ui_pick). */
struct ui_pick {
	char		*title;		/* sanitized, like every string here */
	char		*header;
	char		**rows;
	int		 n;
	int		 sel;
	int		 top;		/* first row shown */
	void		(*answer)(void *, int);
	void		*arg;
};

/* The ':' palette: a command line with completion. */
#define UI_PALETTE_MAX	256
struct ui_palette {
	char		 text[UI_PALETTE_MAX];
	char		*hint;		/* usage or completions, or NULL */
};

/* The screen. One, like the terminal. */
struct ui {
	struct model	*model;
	SCREEN		*screen;
	int		 outfd;		/* the terminal, for its size */
	int		 started;	/* newterm done (and not yet freed) */
	int		 ascii;		/* no UTF-8: plain ASCII marks and rules */
	int		 colour;
	int		 wall;
	int		 loaded;	/* ui_load ran */
	int		 lines, cols;
	int		 focus;		/* index in panels */
	struct ui_panel	 panels[UI_PANELS_MAX];
	int		 npanels;
	struct ui_view	 view;
	int		 prompt;	/* the filter prompt is open */
	char		*message;	/* until the next key; sanitized */
	int		 message_error;
	struct ui_confirm *confirm;	/* the open question, or NULL */
	struct ui_pick	*pick;		/* the open picker, or NULL */
	struct ui_palette *palette;	/* the open palette, or NULL */
	int		 log_hidden;	/* the action log is hidden */
	int		 log_h;		/* its lines as last laid out */
	int		 quit;		/* the palette ran quit */
	int		 view_id;	/* index in view_table */
	int		 rules;		/* the alerts view shows rules */
	int		 db_by_total;	/* statements by total time */
	int		 zoom;		/* one view even on a large screen */
	int		 help;		/* the help overlay is open */
	int		 help_top;	/* first help line shown */
	unsigned	 redraw;	/* UI_REDRAW_* */
};

extern struct ui ui_state;

/* ui.c */
int	 ui_start_on(struct model *, const struct ui_opts *, FILE *out,
	    FILE *in, char **cause);
/* Edit a one-line text field with a key (backspace, printable keys).
 * Returns 1 if the text changed. */
int	 ui_edit_key(char *, size_t, int key);
void	 ui_sync(struct model *);
/* The filter, scope or grouping changed: new rows, and what shows them. */
void	 ui_view_changed(void);
/* Drop the pods' scope (one deployment's pods). */
void	 ui_scope_clear(void);

/* layout.c */
void	 ui_layout(int lines, int cols, size_t ndeploys, int log_h,
	    int strip, int nsum, int banner, int band, struct ui_layout *);

/* command.c: the ui's own commands and the views'. */
/* Check a bound command: ui commands take no arguments; others (the action
 * layer's) are accepted. Returns 0, or -1 and a new *cause. */
int	 ui_command_check(int argc, char **argv, char **cause);
/* The ui's own commands: the index of one by name (-1: not one), and the
 * name of the i-th (NULL past the end). */
int	 ui_command_find(const char *);
const char *ui_command_name(int i);
/* Whether the wall screen lets a key run the command: it only looks. */
int	 ui_command_wall(const char *);
/* Run a bound command. Returns 1 to quit, else 0. */
int	 ui_command_run(struct model *, int argc, char **argv);
int	 ui_is_ascii_locale(void);

/* panel.c: row lists: a new zeroed row at the end; after filling the
 * rows, back to the object selected before (old: the index it had);
 * scrolling that keeps the selection and its heading in view. */
struct ui_row *panel_list_add(struct ui_list *);
void	 panel_list_restore(struct ui_list *, size_t old);
void	 panel_list_scroll(struct ui_list *, int height);
/* Move the selection: by delta rows (skipping headings), or to an end. */
void	 panel_list_move(struct ui_list *, long delta);
void	 panel_list_home(struct ui_list *, int last);
/* The selected object's row, or NULL. */
const struct ui_row *panel_list_selected(const struct ui_list *);
void	 panel_list_free(struct ui_list *);
/* Rows (not headings) at level. */
int	 panel_list_count(const struct ui_list *, enum ui_level);
/* Draw panel p in lines y..y+h-1, w columns: title, header, rows. */
void	 panel_draw(struct ui_panel *, const struct model *,
	    const struct ui_view *, int y, int h, int w, int focused,
	    time_t now);
/* A row's mark (✗, *), its colours, one fitted cell, the column headers,
 * "a-b of n" when the rows do not all fit, an age. */
const char *panel_marker(enum ui_level);
attr_t	 panel_row_attr(const struct ui_row *, int selected);
void	 panel_cell(int y, int x, int width, const char *text, int right,
	    attr_t attr);
void	 panel_header(int y, int w, const struct draw_col *cols, int ncols);
void	 panel_where(const struct ui_list *, char *buf, size_t len);
void	 panel_age(time_t created, time_t now, char *buf, size_t len);
/* A pane's title rule, with where (e.g. "1-10 of 45") at its right. */
void	 panel_section(int y, int w, int focused, const char *title,
	    const char *where);
/* A line: the mark of level, then text (headings, summary lines). */
void	 panel_line(int y, int w, attr_t, enum ui_level, const char *text);

/* The panels, and their views' summary lines and Enter. */
extern const struct ui_panel_ops panel_res_ops;
extern const struct ui_panel_ops panel_alerts_ops;
extern const struct ui_panel_ops panel_db_ops;
int	 panel_res_summary(const struct model *, char *, size_t,
	    enum ui_level *);
int	 panel_alerts_summary(const struct model *, char *, size_t,
	    enum ui_level *);
int	 panel_db_summary(const struct model *, char *, size_t,
	    enum ui_level *);
int	 panel_kube_summary(const struct model *, char *, size_t,
	    enum ui_level *);
/* Enter on an alert, or a pod's resource row: its pods. */
void	 panel_alerts_enter(struct model *);
void	 panel_res_enter(struct model *);
/* Enter on a deployment: its pods only, and go there. */
void	 panel_kube_enter(struct model *);
/* To the Kubernetes view, on the pods of deployment ns/deploy, with pod
 * selected if given (the strings are copied). */
void	 panel_kube_goto_pods(const char *ns, const char *deploy,
	    const char *pod);

/* panel-kube.c */
extern const struct ui_panel_ops panel_kube_deploys_ops;
extern const struct ui_panel_ops panel_kube_pods_ops;
enum ui_level panel_kube_pod_level(const struct kube_pod *);
int	 panel_kube_deploy_mismatch(const struct kube_deploy *);

/* statusbar.c */
struct ui_segment {
	char		 text[256];
	enum ui_role	 role;
};
/* The status bar as segments (badges, context, namespace, sources). */
int	 statusbar_segments(const struct model *, time_t now,
	    struct ui_segment *, int max);
void	 statusbar_draw_title(const struct model *, int y, int w, time_t now);
void	 statusbar_draw(const struct model *, int y, int w, time_t now);
void	 statusbar_draw_bottom(int y, int w);
void	 statusbar_draw_confirm(int status_y, int y, int w);
/* The health strip: each check's name, up or down, latency or error. */
void	 statusbar_draw_health(const struct model *, int y, int w);

/* copy.c: OSC 52 for the clipboard ('y' the name, 'Y' a command), and
 * the screen as text to a file ('w'). */
char	*ui_copy_payload(const char *text);
/* The text 'y' (command 0) or 'Y' (command 1) copies for row r, safe to
 * paste into a shell: a new string the caller frees, or NULL with *why
 * (static) when it cannot be copied whole. */
char	*ui_copy_text(const struct ui_row *r, int command, const char **why);
void	 ui_copy(int command);
void	 ui_dump_screen(void);

/* wall.c: the wall screen's banner, critical band and turns. */
int	 wall_band_height(const struct model *);
void	 wall_draw_banner(const struct model *, int y, int w, time_t now);
void	 wall_draw_band(const struct model *, int y, int h, int w, time_t now);
void	 wall_tick(const struct model *, time_t now);

/* view.c: the view table and what loops over it. */
extern const struct view_entry view_table[];
/* How many views there are. */
int	 view_count(void);
/* Make the panels of every view (ui_state.panels), focus the first's. */
void	 view_init(void);
/* Show view v: its panels, its focus, new rows. */
void	 view_set(int v);
/* Whether view v's sources are configured. */
int	 view_present(const struct model *, int v);
/* The panel with these ops: its index in ui_state.panels (-1: none), or
 * the panel itself (NULL: none). */
int	 view_panel(const struct ui_panel_ops *);
struct ui_panel *view_panel_of(const struct ui_panel_ops *);
/* Every view's DIRTY_* bits. */
unsigned view_dirty(void);
/* The view's first panel's rows (a two-panel view splits by them). */
size_t	 view_split_rows(void);
/* Tab and BTab: the next panel (dir 1) or the previous (-1). */
void	 view_focus(struct model *, int dir);
/* z: one view even on a large screen, or every panel that fits. */
void	 view_zoom(void);
/* Draw the panels the layout has room for. */
void	 view_draw(struct model *, const struct ui_layout *, time_t now);

/* Every panel at once: a large screen, nothing zoomed. */
#define UI_WIDE_COLS	200
#define UI_WIDE_LINES	50
int	 view_wide(void);

/* summary.c: a line per view not shown. */
int	 summary_count(const struct model *);
void	 summary_draw(const struct model *, int y, int h, int w);

/* picker.c */
void	 picker_draw(int lines, int cols);
void	 picker_key(int key);
void	 picker_free(void);

/* palette.c */
void	 palette_open(void);
void	 palette_key(struct model *, int key);
void	 palette_draw(int y, int w);
void	 palette_free(void);
/* Complete the palette's text as Tab would (for tests); the new text is in
 * ui_state.palette->text, candidates in its hint. */
void	 palette_complete(const struct model *);

/* panel-actions.c: the action log. Lines it wants (0: none to show). */
int	 panel_actions_height(const struct model *, int area);
void	 panel_actions_draw(const struct model *, int y, int h, int w,
	    time_t now);

/* help.c */
void	 help_open(void);
void	 help_draw(int lines, int cols);
/* A key while help is open; returns 1 if help stays open. */
int	 help_key(int key);

#endif
