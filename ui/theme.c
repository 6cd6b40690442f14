/* theme.c: the 'style' command, theme files and the role to curses attribute
 * table. Three layers: the chosen theme, mono.theme (used when there is no
 * colour or NO_COLOR is set) and the user's own style lines, which win. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cmdparse.h"
#include "theme.h"
#include "warroom.h"

/* The names of the roles, as theme files write them. */
static const char *theme_role_names[UI_ROLE__COUNT] = {
	[UI_ROLE_NORMAL] = "normal",
	[UI_ROLE_TITLE] = "title",
	[UI_ROLE_STATUS] = "status",
	[UI_ROLE_STATUS_OK] = "status.ok",
	[UI_ROLE_STATUS_STALE] = "status.stale",
	[UI_ROLE_STATUS_DOWN] = "status.down",
	[UI_ROLE_STATUS_ERROR] = "status.error",
	[UI_ROLE_HEADER] = "header",
	[UI_ROLE_SECTION] = "section",
	[UI_ROLE_SECTION_FOCUS] = "section.focus",
	[UI_ROLE_ROW] = "row",
	[UI_ROLE_ROW_SELECTED] = "row.selected",
	[UI_ROLE_ROW_PROBLEM] = "row.problem",
	[UI_ROLE_ROW_WARN] = "row.warn",
	[UI_ROLE_ROW_GROUP] = "row.group",
	[UI_ROLE_ROW_DIM] = "row.dim",
	[UI_ROLE_DEPLOY_MISMATCH] = "deploy.mismatch",
	[UI_ROLE_BADGE_READONLY] = "badge.readonly",
	[UI_ROLE_BADGE_INSECURE] = "badge.insecure",
	[UI_ROLE_FILTER] = "filter",
	[UI_ROLE_MESSAGE] = "message",
	[UI_ROLE_MESSAGE_ERROR] = "message.error",
	[UI_ROLE_HINT] = "hint",
	[UI_ROLE_HELP] = "help",
	[UI_ROLE_HELP_KEY] = "help.key",
	[UI_ROLE_BORDER] = "border",
	[UI_ROLE_BANNER] = "banner",
};

static const char *theme_colour_names[] = {
	"black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"
};

static const struct {
	const char	*name;
	unsigned	 bit;
} theme_attr_names[] = {
	{ "bold", THEME_BOLD },
	{ "dim", THEME_DIM },
	{ "reverse", THEME_REVERSE },
	{ "underline", THEME_UNDERLINE },
	{ "underscore", THEME_UNDERLINE },
	{ "blink", THEME_BLINK },
	{ "italics", THEME_ITALICS },
	{ "standout", THEME_STANDOUT },
};

static struct theme_style theme_layers[THEME_LAYER__COUNT][UI_ROLE__COUNT];
static enum theme_layer	 theme_target = THEME_LAYER_USER;
static attr_t		 theme_attrs[UI_ROLE__COUNT];
static attr_t		 theme_attrs_only[UI_ROLE__COUNT];

int
theme_role_find(const char *name)
{
	int	 i;

	for (i = 0; i < UI_ROLE__COUNT; i++) {
		if (strcmp(theme_role_names[i], name) == 0)
			return i;
	}
	return -1;
}

const char *
theme_role_name(enum ui_role role)
{
	return theme_role_names[role];
}

/* "row.problem" inherits from "row"; a role without a parent from normal. */
static enum ui_role
theme_role_parent(enum ui_role role)
{
	const char	*name = theme_role_names[role], *dot;
	char		 buf[64];
	int		 parent;

	if ((dot = strrchr(name, '.')) == NULL ||
	    (size_t)(dot - name) >= sizeof buf)
		return UI_ROLE_NORMAL;
	memcpy(buf, name, dot - name);
	buf[dot - name] = '\0';
	if ((parent = theme_role_find(buf)) == -1)
		return UI_ROLE_NORMAL;
	return parent;
}

int
theme_parse_colour(const char *s, short *out, char **cause)
{
	const char	*p;
	char		*end;
	long		 n;
	size_t		 i;

	if (strcasecmp(s, "default") == 0) {
		*out = THEME_COLOUR_DEFAULT;
		return 0;
	}
	for (i = 0; i < nitems(theme_colour_names); i++) {
		if (strcasecmp(s, theme_colour_names[i]) == 0) {
			*out = (short)i;
			return 0;
		}
	}
	if (strncasecmp(s, "bright", 6) == 0) {
		for (i = 0; i < nitems(theme_colour_names); i++) {
			if (strcasecmp(s + 6, theme_colour_names[i]) == 0) {
				*out = (short)(8 + i);
				return 0;
			}
		}
	}
	p = NULL;
	if (strncasecmp(s, "colour", 6) == 0)
		p = s + 6;
	else if (strncasecmp(s, "color", 5) == 0)
		p = s + 5;
	if (p != NULL && *p >= '0' && *p <= '9') {
		n = strtol(p, &end, 10);
		if (*end == '\0' && n >= 0 && n <= 255) {
			*out = (short)n;
			return 0;
		}
	}
	xasprintf(cause, "unknown colour: %s", s);
	return -1;
}

/* One item of a style: fg=, bg=, an attribute, or none/default. */
static int
theme_parse_item(const char *item, struct theme_style *st, char **cause)
{
	size_t	 i;

	if (strncasecmp(item, "fg=", 3) == 0)
		return theme_parse_colour(item + 3, &st->fg, cause);
	if (strncasecmp(item, "bg=", 3) == 0)
		return theme_parse_colour(item + 3, &st->bg, cause);
	if (strcasecmp(item, "none") == 0 || strcasecmp(item, "default") == 0) {
		st->fg = st->bg = THEME_COLOUR_DEFAULT;
		st->attrs = 0;
		return 0;
	}
	for (i = 0; i < nitems(theme_attr_names); i++) {
		if (strcasecmp(item, theme_attr_names[i].name) == 0) {
			st->attrs |= theme_attr_names[i].bit;
			return 0;
		}
	}
	xasprintf(cause, "unknown style attribute: %s", item);
	return -1;
}

int
theme_parse_style(const char *spec, struct theme_style *out, char **cause)
{
	struct theme_style	 st;
	char			*copy, *item, *next;

	memset(&st, 0, sizeof st);
	st.set = 1;
	st.fg = st.bg = THEME_COLOUR_DEFAULT;
	copy = xstrdup(spec);
	for (item = copy; item != NULL; item = next) {
		next = strpbrk(item, ", \t");
		if (next != NULL)
			*next++ = '\0';
		if (*item == '\0')
			continue;
		if (theme_parse_item(item, &st, cause) != 0) {
			free(copy);
			return -1;
		}
	}
	free(copy);
	*out = st;
	return 0;
}

/* style ROLE SPEC... */
static int
theme_cmd_style(int argc, char **argv, void *arg, char **cause)
{
	struct theme_style	 st;
	char			*spec, *tmp;
	int			 role, i;

	(void)arg;
	if ((role = theme_role_find(argv[1])) == -1) {
		xasprintf(cause, "unknown style role: %s", argv[1]);
		return -1;
	}
	spec = xstrdup(argv[2]);
	for (i = 3; i < argc; i++) {
		xasprintf(&tmp, "%s,%s", spec, argv[i]);
		free(spec);
		spec = tmp;
	}
	if (theme_parse_style(spec, &st, cause) != 0) {
		free(spec);
		return -1;
	}
	free(spec);
	theme_layers[theme_target][role] = st;
	return 0;
}

void
theme_register(void)
{
	static const struct cmd_entry	 entry = {
		"style", "style ROLE [fg=COLOUR] [bg=COLOUR] [bold,dim,reverse,"
		"underline,...]", 2, -1, theme_cmd_style, NULL
	};

	cmdparse_register(&entry);
}

/* Run a theme file (or the built-in text) into one layer. */
static int
theme_load_layer(enum theme_layer layer, const char *name,
    const char *datadir, char **cause)
{
	const char	*builtin = NULL;
	char		*path, *label;
	int		 rc;

	if (strcmp(name, "dark") == 0)
		builtin = theme_dark_text;
	else if (strcmp(name, "mono") == 0)
		builtin = theme_mono_text;
	if (strchr(name, '/') != NULL)
		path = xstrdup(name);
	else
		xasprintf(&path, "%s/themes/%s.theme", datadir, name);

	memset(theme_layers[layer], 0, sizeof theme_layers[layer]);
	theme_target = layer;
	if (access(path, R_OK) == 0)
		rc = cmdparse_file(path, cause);
	else if (builtin != NULL) {
		xasprintf(&label, "%s.theme (built in)", name);
		rc = cmdparse_string(builtin, label, cause);
		free(label);
	} else {
		xasprintf(cause, "theme not found: %s (no %s)", name, path);
		rc = -1;
	}
	theme_target = THEME_LAYER_USER;
	free(path);
	return rc;
}

int
theme_load(const char *name, const char *datadir, char **cause)
{
	if (name == NULL)
		name = "dark";
	if (theme_load_layer(THEME_LAYER_MONO, "mono", datadir, cause) != 0)
		return -1;
	return theme_load_layer(THEME_LAYER_BASE, name, datadir, cause);
}

const struct theme_style *
theme_get(enum theme_layer layer, enum ui_role role)
{
	if (!theme_layers[layer][role].set)
		return NULL;
	return &theme_layers[layer][role];
}

struct theme_style
theme_resolve(enum ui_role role, int colour)
{
	struct theme_style	 st;
	const struct theme_style *u, *b;
	enum ui_role		 r;

	memset(&st, 0, sizeof st);
	st.fg = st.bg = THEME_COLOUR_DEFAULT;
	for (r = role;; r = theme_role_parent(r)) {
		u = &theme_layers[THEME_LAYER_USER][r];
		b = &theme_layers[colour ? THEME_LAYER_BASE :
		    THEME_LAYER_MONO][r];
		if (u->set && (colour || u->attrs != 0)) {
			st = *u;
			break;
		}
		if (b->set) {
			st = *b;
			break;
		}
		if (r == UI_ROLE_NORMAL)
			break;
	}
	if (!colour)
		st.fg = st.bg = THEME_COLOUR_DEFAULT;
	return st;
}

static attr_t
theme_curses_attrs(unsigned bits)
{
	attr_t	 a = A_NORMAL;

	if (bits & THEME_BOLD)
		a |= A_BOLD;
	if (bits & THEME_DIM)
		a |= A_DIM;
	if (bits & THEME_REVERSE)
		a |= A_REVERSE;
	if (bits & THEME_UNDERLINE)
		a |= A_UNDERLINE;
	if (bits & THEME_BLINK)
		a |= A_BLINK;
	if (bits & THEME_ITALICS)
		a |= A_ITALIC;
	if (bits & THEME_STANDOUT)
		a |= A_STANDOUT;
	return a;
}

/*
 * A colour the terminal can show: 8-15 become 0-7 plus bold (foreground
 * only) on 8-colour terminals; the 256-colour cube and greys fold to the
 * nearest of the 16.
 */
/* The colours used: the terminal's (COLORS), or fewer if the user says. */
static int	 theme_depth;

static short
theme_map_colour(short c, int fg, int have_default, attr_t *extra)
{
	int	 r, g, b, level;

	if (c < 0)
		return have_default ? -1 : (fg ? COLOR_WHITE : COLOR_BLACK);
	if (c < theme_depth)
		return c;
	if (c >= 16 && c <= 231) {
		c -= 16;
		r = c / 36;
		g = (c / 6) % 6;
		b = c % 6;
		c = (r >= 3 ? 1 : 0) | (g >= 3 ? 2 : 0) | (b >= 3 ? 4 : 0);
		if (r >= 5 || g >= 5 || b >= 5)
			c += 8;
	} else if (c >= 232) {
		level = c - 232;
		c = level < 8 ? 0 : (level < 16 ? 8 : 7);
		if (level >= 20)
			c = 15;
	}
	if (c < theme_depth)
		return c;
	if (fg && c >= 8)
		*extra |= A_BOLD;
	return c % 8;
}

void
theme_apply(int colour, int depth)
{
	struct theme_style	 st;
	attr_t			 a;
	short			 fg, bg;
	int			 i, have_default = 0;

	theme_depth = depth > 0 && depth < COLORS ? depth : COLORS;
	if (colour)
		have_default = use_default_colors() == OK;
	for (i = 0; i < UI_ROLE__COUNT; i++) {
		st = theme_resolve(i, colour);
		a = theme_curses_attrs(st.attrs);
		theme_attrs_only[i] = a;
		if (colour && (st.fg != THEME_COLOUR_DEFAULT ||
		    st.bg != THEME_COLOUR_DEFAULT) && i + 1 < COLOR_PAIRS) {
			fg = theme_map_colour(st.fg, 1, have_default, &a);
			bg = theme_map_colour(st.bg, 0, have_default, &a);
			init_pair((short)(i + 1), fg, bg);
			a |= COLOR_PAIR(i + 1);
		}
		theme_attrs[i] = a;
	}
}

attr_t
theme_attr(enum ui_role role)
{
	return theme_attrs[role];
}

attr_t
theme_attr_only(enum ui_role role)
{
	return theme_attrs_only[role];
}

void
theme_free(void)
{
	memset(theme_layers, 0, sizeof theme_layers);
	memset(theme_attrs, 0, sizeof theme_attrs);
	memset(theme_attrs_only, 0, sizeof theme_attrs_only);
	theme_target = THEME_LAYER_USER;
}
