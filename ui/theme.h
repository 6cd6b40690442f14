/* theme.h: colours and attributes named by role (htop's ColorElements), set
 * by 'style ROLE SPEC' lines in themes/NAME.theme and in the user's config. */
#ifndef WARROOM_THEME_H
#define WARROOM_THEME_H

#include <curses.h>

enum ui_role {
	UI_ROLE_NORMAL,			/* "normal": everything else */
	UI_ROLE_TITLE,			/* top line */
	UI_ROLE_STATUS,			/* status bar */
	UI_ROLE_STATUS_OK,		/* a source that answers */
	UI_ROLE_STATUS_STALE,		/* showing old data */
	UI_ROLE_STATUS_DOWN,		/* not answering */
	UI_ROLE_STATUS_ERROR,		/* error text in the status bar */
	UI_ROLE_HEADER,			/* column headers */
	UI_ROLE_SECTION,		/* a pane's title rule */
	UI_ROLE_SECTION_FOCUS,		/* the focused pane's title rule */
	UI_ROLE_ROW,			/* a table row */
	UI_ROLE_ROW_SELECTED,		/* the selected row */
	UI_ROLE_ROW_PROBLEM,		/* a pod or deployment in trouble */
	UI_ROLE_ROW_WARN,		/* restarting, pending, rolling */
	UI_ROLE_ROW_GROUP,		/* a deployment heading in the pod list */
	UI_ROLE_ROW_DIM,		/* placeholders: "no pods" */
	UI_ROLE_DEPLOY_MISMATCH,	/* desired/updated/ready/available differ */
	UI_ROLE_BADGE_READONLY,		/* [READ-ONLY] */
	UI_ROLE_BADGE_INSECURE,		/* TLS VERIFY OFF */
	UI_ROLE_FILTER,			/* the filter prompt and its text */
	UI_ROLE_MESSAGE,		/* a message in the bottom line */
	UI_ROLE_MESSAGE_ERROR,		/* an error message there */
	UI_ROLE_HINT,			/* key hints in the bottom line */
	UI_ROLE_HELP,			/* the help overlay */
	UI_ROLE_HELP_KEY,		/* key names in the help */
	UI_ROLE_BORDER,			/* frames and rules */
	UI_ROLE_BANNER,			/* the wall screen's banner */
	UI_ROLE__COUNT
};

/* Attribute bits of a style (curses-independent, so parsing needs no terminal). */
#define THEME_BOLD	0x01u
#define THEME_DIM	0x02u
#define THEME_REVERSE	0x04u
#define THEME_UNDERLINE	0x08u
#define THEME_BLINK	0x10u
#define THEME_ITALICS	0x20u
#define THEME_STANDOUT	0x40u

#define THEME_COLOUR_DEFAULT	(-1)	/* the terminal's own colour */

struct theme_style {
	int		 set;		/* this layer defines the role */
	short		 fg;		/* -1 default, 0-255 */
	short		 bg;
	unsigned	 attrs;		/* THEME_* bits */
};

/* Which table a style command writes (theme files versus the user's config). */
enum theme_layer {
	THEME_LAYER_BASE,		/* the chosen theme file */
	THEME_LAYER_MONO,		/* mono.theme: used without colour */
	THEME_LAYER_USER,		/* style lines in the config: win */
	THEME_LAYER__COUNT
};

/* The compiled-in dark and mono themes: themes/dark.theme and
 * themes/mono.theme themselves, made into C by ui/embed.sh at build time. */
extern const char theme_dark_text[];
extern const char theme_mono_text[];

/* "row.problem" to its role, or -1. */
int	 theme_role_find(const char *);
const char *theme_role_name(enum ui_role);
/* "red", "brightred", "colour123", "default" to -1..255; -1 (and no
 * change) and a new *cause if unknown. */
int	 theme_parse_colour(const char *, short *, char **cause);
/* "fg=red,bg=default,bold": replaces *st. Returns 0, or -1 and a new *cause. */
int	 theme_parse_style(const char *, struct theme_style *, char **cause);

/* Register 'style ROLE SPEC...'. */
void	 theme_register(void);
/*
 * Load mono.theme and the named theme (NULL = dark; a name with '/' is a
 * path, else DATADIR/themes/NAME.theme; dark and mono fall back to the
 * compiled-in text). Returns 0, or -1 and a new *cause "file:line: ...".
 */
int	 theme_load(const char *name, const char *datadir, char **cause);
/* The style a layer gives a role (for tests), or NULL if unset. */
const struct theme_style *theme_get(enum theme_layer, enum ui_role);
/* The style in effect, walking "a.b" up to "a" and then to normal. */
struct theme_style theme_resolve(enum ui_role, int colour);

/* With a terminal: set up colour pairs (colour = 0 for attributes only),
 * with at most depth colours (0: as many as the terminal has). */
void	 theme_apply(int colour, int depth);
/* The curses attributes of a role (A_NORMAL before theme_apply). */
attr_t	 theme_attr(enum ui_role);
/* Only the attribute bits of a role (no colour), for combining. */
attr_t	 theme_attr_only(enum ui_role);
void	 theme_free(void);

#endif
