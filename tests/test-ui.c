/* test-ui.c: the screen without a person: key names and bindings, themes,
 * the shipped keymaps/ and themes/ (and that the compiled-in defaults are
 * the same bytes), text fitting and column layout, row order, filtering and
 * selection, the status bar, and whole frames drawn by curses into a
 * /dev/null terminal (TERM=xterm) and read back from the window. */
#include <sys/types.h>

#include <dirent.h>
#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "app-actions.h"
#include "cmdparse.h"
#include "model.h"
#include "test.h"
#include "ui-private.h"
#include "warroom.h"

static char	 top[PATH_MAX];		/* the source tree */

/* ---- helpers ---- */

static char *
slurp(const char *path)
{
	FILE	*f;
	char	*buf;
	long	 n;

	if ((f = fopen(path, "rb")) == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = xmalloc(n + 1);
	if (fread(buf, 1, n, f) != (size_t)n) {
		free(buf);
		fclose(f);
		return NULL;
	}
	buf[n] = '\0';
	fclose(f);
	return buf;
}

/* Run text as "t.keys"; "" on success, else the cause. */
static const char *
run(const char *text)
{
	static char	 out[512];
	char		*cause = NULL;

	out[0] = '\0';
	if (cmdparse_string(text, "t.keys", &cause) != 0) {
		snprintf(out, sizeof out, "%s", cause);
		free(cause);
	}
	return out;
}

static void
reset(void)
{
	ui_free();
	cmdparse_reset();
	ui_register_commands();
}

static const char *
cmd_of(int key)
{
	const struct keymap_binding *b;

	b = keymap_lookup(KEYMAP_TABLE_NORMAL, key);
	return b != NULL ? b->argv[0] : "(none)";
}

static void
put_deploy(struct model *m, const char *ns, const char *name, int desired,
    int updated, int ready, int available)
{
	struct kube_deploy	*d = xcalloc(1, sizeof *d);
	char			 key[256];

	d->ns = xstrdup(ns);
	d->name = xstrdup(name);
	d->desired = desired;
	d->updated = updated;
	d->ready = ready;
	d->available = available;
	d->revision = 4;
	d->created = now_wall() - 3600;
	snprintf(key, sizeof key, "%s/%s", ns, name);
	table_put(&m->deploys, key, d);
}

static void
put_rs(struct model *m, const char *ns, const char *name, const char *deploy)
{
	struct kube_rs	*rs = xcalloc(1, sizeof *rs);
	char		 key[256];

	rs->ns = xstrdup(ns);
	rs->name = xstrdup(name);
	rs->owner_deploy = xstrdup(deploy);
	snprintf(key, sizeof key, "%s/%s", ns, name);
	table_put(&m->rsets, key, rs);
}

static void
put_pod(struct model *m, const char *ns, const char *name, const char *rs,
    const char *status, const char *ready, int restarts, int problem)
{
	struct kube_pod	*p = xcalloc(1, sizeof *p);
	char		 key[256], buf[32];

	p->ns = xstrdup(ns);
	p->name = xstrdup(name);
	p->owner_rs = rs != NULL ? xstrdup(rs) : NULL;
	p->status = xstrdup(status);
	p->ready = xstrdup(ready);
	snprintf(buf, sizeof buf, "%d", restarts);
	p->restarts = xstrdup(buf);
	p->restart_count = restarts;
	p->node = xstrdup("node-a");
	p->problem = problem;
	p->created = now_wall() - 600;
	snprintf(key, sizeof key, "%s/%s", ns, name);
	table_put(&m->pods, key, p);
}

/* The KCP namespace in a bad night: one crash loop, one OOM kill. */
static void
fill_model(struct model *m)
{
	struct kube_hpa	*h;

	model_init(m);
	m->context = xstrdup("kcp-prod");
	m->namespace = xstrdup("soundcore-kcp-prod");
	put_deploy(m, "soundcore-kcp-prod", "knowledge", 3, 3, 2, 2);
	put_deploy(m, "soundcore-kcp-prod", "content", 2, 2, 2, 2);
	put_deploy(m, "soundcore-kcp-prod", "auth", 2, 2, 2, 2);
	put_deploy(m, "soundcore-kcp-prod", "support", 1, 1, 0, 0);
	put_rs(m, "soundcore-kcp-prod", "knowledge-7d9f", "knowledge");
	put_rs(m, "soundcore-kcp-prod", "content-55", "content");
	put_rs(m, "soundcore-kcp-prod", "auth-66", "auth");
	put_rs(m, "soundcore-kcp-prod", "support-6c", "support");
	put_pod(m, "soundcore-kcp-prod", "knowledge-7d9f-aaaa", "knowledge-7d9f",
	    "Running", "1/1", 0, 0);
	put_pod(m, "soundcore-kcp-prod", "knowledge-7d9f-bbbb", "knowledge-7d9f",
	    "CrashLoopBackOff", "0/1", 7, 1);
	put_pod(m, "soundcore-kcp-prod", "knowledge-7d9f-cccc", "knowledge-7d9f",
	    "Running", "1/1", 0, 0);
	put_pod(m, "soundcore-kcp-prod", "content-55-xxxx", "content-55",
	    "Running", "1/1", 0, 0);
	put_pod(m, "soundcore-kcp-prod", "content-55-yyyy", "content-55",
	    "Running", "1/1", 0, 0);
	put_pod(m, "soundcore-kcp-prod", "auth-66-1111", "auth-66",
	    "Running", "1/1", 1, 0);
	put_pod(m, "soundcore-kcp-prod", "auth-66-2222", "auth-66",
	    "Running", "1/1", 0, 0);
	put_pod(m, "soundcore-kcp-prod", "support-6c-zzzz", "support-6c",
	    "OOMKilled", "0/1", 3, 1);
	put_pod(m, "soundcore-kcp-prod", "debug-shell", NULL,
	    "Running", "1/1", 0, 0);
	h = xcalloc(1, sizeof *h);
	h->ns = xstrdup("soundcore-kcp-prod");
	h->name = xstrdup("knowledge");
	h->target_kind = xstrdup("Deployment");
	h->target_name = xstrdup("knowledge");
	h->min = 3;
	h->max = 10;
	table_put(&m->hpas, "soundcore-kcp-prod/knowledge", h);
	m->sources[SOURCE_KUBE].state = SOURCE_OK;
	m->sources[SOURCE_KUBE].live = 1;
	m->sources[SOURCE_KUBE].last_ok = now_wall();
}

/* "G:name" for headings, "name" for rows, joined with spaces. */
static const char *
rows_of(const struct ui_list *l)
{
	static char	 out[2048];
	size_t		 i;

	out[0] = '\0';
	for (i = 0; i < l->nrows; i++) {
		snprintf(out + strlen(out), sizeof out - strlen(out), "%s%s%s",
		    i > 0 ? " " : "", l->rows[i].kind == UI_ROW_GROUP ? "G:" : "",
		    l->rows[i].name != NULL ? l->rows[i].name : "-");
	}
	return out;
}

/* Screen row y as text (multibyte), trailing blanks kept. */
static const char *
screen_row(int y)
{
	static char	 out[2048];
	wchar_t		 w[512];
	int		 n;

	n = mvwinnwstr(stdscr, y, 0, w, COLS < 511 ? COLS : 511);
	if (n < 0)
		n = 0;
	w[n] = L'\0';
	if (wcstombs(out, w, sizeof out) == (size_t)-1)
		snprintf(out, sizeof out, "(unconvertible)");
	return out;
}

/* The first screen row containing s, or -1. */
static int
screen_find(const char *s)
{
	int	 y;

	for (y = 0; y < LINES; y++) {
		if (strstr(screen_row(y), s) != NULL)
			return y;
	}
	return -1;
}

/* Keys into the input queue, to be read in this order by ui_input. */
static void
keys(const char *s)
{
	size_t	 n = strlen(s);

	while (n > 0)
		ungetch((unsigned char)s[--n]);
}

static FILE	*t_out, *t_in;

static int
start_screen(struct model *m, int ascii, int lines, int cols)
{
	struct ui_opts	 o;
	char		*cause = NULL, buf[16];

	memset(&o, 0, sizeof o);
	o.datadir = top;
	o.ascii = ascii;
	setenv("TERM", "xterm", 1);
	snprintf(buf, sizeof buf, "%d", lines);
	setenv("LINES", buf, 1);
	snprintf(buf, sizeof buf, "%d", cols);
	setenv("COLUMNS", buf, 1);
	t_out = fopen("/dev/null", "w");
	t_in = fopen("/dev/null", "r");
	if (ui_start_on(m, &o, t_out, t_in, &cause) != 0) {
		printf("# ui_start_on: %s\n", cause);
		free(cause);
		return -1;
	}
	return 0;
}

static void
stop_screen(void)
{
	reset();
	fclose(t_out);
	fclose(t_in);
}

/* ---- keys and bindings ---- */

TEST(key_names)
{
	static const char *good[] = {
		"q", "?", "/", "G", "C-l", "C-L", "Up", "Down", "Left", "Right",
		"PageUp", "PageDown", "Home", "End", "Enter", "Escape", "Tab",
		"BTab", "Space", "F1", "F12", "Delete", "BSpace", "C-Space",
		"\xc3\xa9"
	};
	char		 name[32];
	size_t		 i;
	int		 k;

	ASSERT_INT(keymap_key_parse("q"), 'q');
	ASSERT_INT(keymap_key_parse("C-l"), 12);
	ASSERT_INT(keymap_key_parse("C-L"), 12);
	ASSERT_INT(keymap_key_parse("Enter"), KEYMAP_KEY_ENTER);
	ASSERT_INT(keymap_key_parse("Escape"), 27);
	ASSERT_INT(keymap_key_parse("Tab"), 9);
	ASSERT_INT(keymap_key_parse("Space"), ' ');
	ASSERT_INT(keymap_key_parse("PPage"), keymap_key_parse("PageUp"));
	ASSERT_INT(keymap_key_parse("NPage"), keymap_key_parse("PageDown"));
	ASSERT_INT(keymap_key_parse("pageup"), keymap_key_parse("PageUp"));
	ASSERT_INT(keymap_key_parse("\xc3\xa9"), 0xe9);
	ASSERT_INT(keymap_key_parse("Up"), KEYMAP_KEY_CURSES | KEY_UP);
	ASSERT_INT(keymap_key_parse("F5"), KEYMAP_KEY_CURSES | KEY_F(5));
	for (i = 0; i < nitems(good); i++) {
		k = keymap_key_parse(good[i]);
		ASSERT(k != KEYMAP_KEY_NONE);
		keymap_key_name(k, name, sizeof name);
		ASSERT_INT(keymap_key_parse(name), k);
	}
	ASSERT_STR(keymap_key_name(12, name, sizeof name), "C-l");
	ASSERT_STR(keymap_key_name(keymap_key_parse("NPage"), name,
	    sizeof name), "PageDown");
	ASSERT_STR(keymap_key_name(' ', name, sizeof name), "Space");
}

TEST(key_names_bad)
{
	static const char *bad[] = {
		"", "Foo", "F0", "F13", "C-", "C-ab", "ab", "Upp", "C-1",
		"\x01", "\xff"
	};
	size_t	 i;

	for (i = 0; i < nitems(bad); i++) {
		if (keymap_key_parse(bad[i]) != KEYMAP_KEY_NONE) {
			printf("# accepted: %s\n", bad[i]);
			ASSERT(0);
		}
	}
}

TEST(key_from_curses)
{
	ASSERT_INT(keymap_key_from_curses(OK, '\r'), KEYMAP_KEY_ENTER);
	ASSERT_INT(keymap_key_from_curses(OK, '\n'), KEYMAP_KEY_ENTER);
	ASSERT_INT(keymap_key_from_curses(KEY_CODE_YES, KEY_ENTER),
	    KEYMAP_KEY_ENTER);
	ASSERT_INT(keymap_key_from_curses(KEY_CODE_YES, KEY_FIND),
	    keymap_key_parse("Home"));
	ASSERT_INT(keymap_key_from_curses(KEY_CODE_YES, KEY_SELECT),
	    keymap_key_parse("End"));
	ASSERT_INT(keymap_key_from_curses(OK, 0x7f), keymap_key_parse("BSpace"));
	ASSERT_INT(keymap_key_from_curses(OK, 'j'), 'j');
}

TEST(bind_good)
{
	const struct keymap_binding *b;

	reset();
	ASSERT_STR(run("bind -N 'Roll back the selected deployment' R "
	    "rollback\n"
	    "bind C-l redraw\n"
	    "bind -Tconfirm y quit\n"
	    "bind -- - page-down\n"
	    "bind -N \"Scale to 5\" S scale 5\n"), "");
	b = keymap_lookup(KEYMAP_TABLE_NORMAL, 'R');
	ASSERT(b != NULL);
	ASSERT_STR(b->argv[0], "rollback");
	ASSERT_STR(b->note, "Roll back the selected deployment");
	ASSERT_INT(b->user, 1);
	ASSERT_STR(cmd_of(12), "redraw");
	ASSERT_STR(cmd_of('-'), "page-down");
	ASSERT(keymap_lookup(KEYMAP_TABLE_NORMAL, 'y') == NULL);
	ASSERT(keymap_lookup("confirm", 'y') != NULL);
	b = keymap_lookup(KEYMAP_TABLE_NORMAL, 'S');
	ASSERT_INT(b->argc, 2);
	ASSERT_STR(b->argv[1], "5");
	/* Rebinding replaces. */
	ASSERT_STR(run("bind R restart\n"), "");
	ASSERT_STR(cmd_of('R'), "restart");
	ASSERT(keymap_lookup(KEYMAP_TABLE_NORMAL, 'R')->note == NULL);
}

TEST(bind_bad)
{
	reset();
	ASSERT_STR(run("bind Foo quit\n"), "t.keys:1: bind: unknown key: Foo");
	ASSERT_STR(run("\nbind F13 quit\n"), "t.keys:2: bind: unknown key: F13");
	ASSERT(strstr(run("bind q\n"), "t.keys:1:") != NULL);
	ASSERT(strstr(run("bind -X q quit\n"), "unknown flag: -X") != NULL);
	ASSERT(strstr(run("bind -N\n"), "t.keys:1:") != NULL);
	ASSERT(strstr(run("bind -T 'Bad Table' q quit\n"), "bad table name")
	    != NULL);
	ASSERT(strstr(run("bind q select-up 3\n"),
	    "select-up takes no arguments") != NULL);
	ASSERT(strstr(run("unbind Nope\n"), "unknown key: Nope") != NULL);
	ASSERT(keymap_binding(0) == NULL);
	ASSERT_STR(run("bind F frobnicate\n"), "t.keys:1: "
	    "unknown command or action \"frobnicate\"");
	ASSERT(keymap_binding(0) == NULL);
}

TEST(unbind)
{
	reset();
	ASSERT_STR(run("bind q quit\nbind j select-down\nunbind q\n"), "");
	ASSERT(keymap_lookup(KEYMAP_TABLE_NORMAL, 'q') == NULL);
	ASSERT_STR(cmd_of('j'), "select-down");
	ASSERT_STR(run("unbind -a\n"), "");
	ASSERT(keymap_lookup(KEYMAP_TABLE_NORMAL, 'j') == NULL);
	ASSERT(keymap_binding(0) == NULL);
}

TEST(user_bindings_survive_keymap_load)
{
	char	*cause = NULL;

	reset();
	/* The config runs first, then the keymap is loaded. */
	ASSERT_STR(run("bind q help\nunbind g\n"), "");
	ASSERT_INT(keymap_load("default", top, &cause), 0);
	ASSERT_STR(cmd_of('q'), "help");
	ASSERT(keymap_lookup(KEYMAP_TABLE_NORMAL, 'g') == NULL);
	ASSERT_STR(cmd_of('G'), "select-last");
	/* And the other way round. */
	ASSERT_STR(run("bind G quit\n"), "");
	ASSERT_STR(cmd_of('G'), "quit");
	ASSERT_INT(keymap_load("vi", top, &cause), 0);
	ASSERT_STR(cmd_of('G'), "quit");
	ASSERT_STR(cmd_of(keymap_key_parse("C-f")), "page-down");
	ASSERT_INT(keymap_load("nosuch", top, &cause), -1);
	ASSERT(strstr(cause, "keymap not found: nosuch") != NULL);
	free(cause);
}

TEST(help_from_notes)
{
	char	*text;

	reset();
	ASSERT_STR(run("bind -N 'Select the row below' Down select-down\n"
	    "bind -N 'Select the row below' j select-down\n"
	    "bind -N 'Roll back the deployment' R rollback\n"
	    "bind X scale 0\n"
	    "bind -T confirm -N 'Yes, do it' y quit\n"), "");
	text = ui_help_text();
	ASSERT(strstr(text, "  Down j          Select the row below\n") != NULL);
	ASSERT(strstr(text, "  R               Roll back the deployment\n")
	    != NULL);
	ASSERT(strstr(text, "  X               scale 0\n") != NULL);
	ASSERT(strstr(text, "Keys in table confirm:\n  y") != NULL);
	ASSERT(strstr(text, "Yes, do it") != NULL);
	free(text);
	/* The shipped keymap's notes make the help. */
	reset();
	ASSERT_STR(run(keymap_default_text), "");
	text = ui_help_text();
	ASSERT(strstr(text, "Filter rows by name, namespace, status or node")
	    != NULL);
	ASSERT(strstr(text, "  ? F1 ") != NULL);
	free(text);
}

/* ---- themes ---- */

TEST(colours)
{
	short	 c = 0;
	char	*cause = NULL;

	ASSERT_INT(theme_parse_colour("red", &c, &cause), 0);
	ASSERT_INT(c, 1);
	ASSERT_INT(theme_parse_colour("brightred", &c, &cause), 0);
	ASSERT_INT(c, 9);
	ASSERT_INT(theme_parse_colour("colour200", &c, &cause), 0);
	ASSERT_INT(c, 200);
	ASSERT_INT(theme_parse_colour("color7", &c, &cause), 0);
	ASSERT_INT(c, 7);
	ASSERT_INT(theme_parse_colour("default", &c, &cause), 0);
	ASSERT_INT(c, -1);
	ASSERT_INT(theme_parse_colour("colour256", &c, &cause), -1);
	ASSERT_STR(cause, "unknown colour: colour256");
	free(cause);
	ASSERT_INT(theme_parse_colour("purple", &c, &cause), -1);
	free(cause);
}

TEST(style_lines)
{
	const struct theme_style *st;

	reset();
	ASSERT_STR(run("style row.problem fg=brightred,bg=default,bold,"
	    "reverse\nstyle title fg=colour33 bg=black underline\n"), "");
	st = theme_get(THEME_LAYER_USER, UI_ROLE_ROW_PROBLEM);
	ASSERT(st != NULL);
	ASSERT_INT(st->fg, 9);
	ASSERT_INT(st->bg, -1);
	ASSERT_INT(st->attrs, THEME_BOLD | THEME_REVERSE);
	st = theme_get(THEME_LAYER_USER, UI_ROLE_TITLE);
	ASSERT_INT(st->fg, 33);
	ASSERT_INT(st->bg, 0);
	ASSERT_INT(st->attrs, THEME_UNDERLINE);
	ASSERT_STR(run("style row.bogus fg=red\n"),
	    "t.keys:1: unknown style role: row.bogus");
	ASSERT_STR(run("style row fg=purple\n"),
	    "t.keys:1: unknown colour: purple");
	ASSERT_STR(run("style row bold,blinky\n"),
	    "t.keys:1: unknown style attribute: blinky");
	ASSERT(strstr(run("style row\n"), "t.keys:1:") != NULL);
}

TEST(theme_layers)
{
	struct theme_style	 st;
	char			*cause = NULL;

	reset();
	/* A user line from the config wins over the theme loaded later. */
	ASSERT_STR(run("style row.warn fg=magenta\n"), "");
	ASSERT_INT(theme_load("dark", top, &cause), 0);
	st = theme_resolve(UI_ROLE_ROW_WARN, 1);
	ASSERT_INT(st.fg, 5);
	/* Without colour: mono's attributes, no colours. */
	st = theme_resolve(UI_ROLE_ROW_PROBLEM, 0);
	ASSERT_INT(st.attrs, THEME_BOLD);
	ASSERT_INT(st.fg, -1);
	ASSERT_INT(st.bg, -1);
	st = theme_resolve(UI_ROLE_ROW_SELECTED, 0);
	ASSERT_INT(st.attrs, THEME_REVERSE);
	/* An unset role takes its parent's style. */
	ASSERT_INT(theme_load(NULL, "/nonexistent", &cause), 0);
	ASSERT_STR(run("style status fg=white,bg=red\n"), "");
	memset((void *)theme_get(THEME_LAYER_BASE, UI_ROLE_STATUS_ERROR), 0,
	    sizeof st);
	st = theme_resolve(UI_ROLE_STATUS_ERROR, 1);
	ASSERT_INT(st.bg, 1);
	ASSERT_INT(theme_load("nosuch", top, &cause), -1);
	ASSERT(strstr(cause, "theme not found: nosuch") != NULL);
	free(cause);
}

/* Every file in DIR ending in ext parses; returns how many. */
static int
parse_all(const char *sub, const char *ext, int keymap)
{
	char		 dir[PATH_MAX + 32], path[PATH_MAX * 2], *cause = NULL;
	struct dirent	*de;
	DIR		*d;
	size_t		 len;
	int		 n = 0;

	snprintf(dir, sizeof dir, "%s/%s", top, sub);
	if ((d = opendir(dir)) == NULL)
		return -1;
	while ((de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (len <= strlen(ext) ||
		    strcmp(de->d_name + len - strlen(ext), ext) != 0)
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
		reset();
		if ((keymap ? keymap_load(path, top, &cause) :
		    theme_load(path, top, &cause)) != 0) {
			printf("# %s\n", cause);
			free(cause);
			closedir(d);
			return -1;
		}
		if (keymap && keymap_binding(0) == NULL) {
			closedir(d);
			return -1;
		}
		n++;
	}
	closedir(d);
	return n;
}

TEST(shipped_files_parse)
{
	ASSERT(parse_all("themes", ".theme", 0) >= 4);
	ASSERT(parse_all("keymaps", ".keys", 1) >= 2);
}

TEST(mono_has_no_colour)
{
	const struct theme_style *st;
	char		*cause = NULL;
	int		 i, n = 0;

	reset();
	ASSERT_INT(theme_load("mono", top, &cause), 0);
	for (i = 0; i < UI_ROLE__COUNT; i++) {
		if ((st = theme_get(THEME_LAYER_MONO, i)) == NULL)
			continue;
		n++;
		ASSERT_INT(st->fg, -1);
		ASSERT_INT(st->bg, -1);
	}
	ASSERT_INT(n, UI_ROLE__COUNT);
	/* Every theme file sets every role. */
	ASSERT_INT(theme_load("high-contrast", top, &cause), 0);
	for (i = 0; i < UI_ROLE__COUNT; i++)
		ASSERT(theme_get(THEME_LAYER_BASE, i) != NULL);
}

TEST(builtin_defaults_equal_files)
{
	char	 path[PATH_MAX + 64], *text;

	snprintf(path, sizeof path, "%s/keymaps/default.keys", top);
	ASSERT((text = slurp(path)) != NULL);
	ASSERT_STR(keymap_default_text, text);
	free(text);
	snprintf(path, sizeof path, "%s/themes/dark.theme", top);
	ASSERT((text = slurp(path)) != NULL);
	ASSERT_STR(theme_dark_text, text);
	free(text);
	snprintf(path, sizeof path, "%s/themes/mono.theme", top);
	ASSERT((text = slurp(path)) != NULL);
	ASSERT_STR(theme_mono_text, text);
	free(text);
}

TEST(builtin_fallback)
{
	char	*cause = NULL;

	reset();
	ASSERT_INT(keymap_load(NULL, "/nonexistent", &cause), 0);
	ASSERT_STR(cmd_of('q'), "quit");
	ASSERT_STR(cmd_of('/'), "filter");
	ASSERT_INT(theme_load(NULL, "/nonexistent", &cause), 0);
	ASSERT(theme_get(THEME_LAYER_BASE, UI_ROLE_ROW_PROBLEM) != NULL);
	ASSERT(theme_get(THEME_LAYER_MONO, UI_ROLE_ROW_PROBLEM) != NULL);
}

/* ---- text and columns ---- */

TEST(fit_text)
{
	char	 buf[64];

	ASSERT_INT(draw_width("abc", 0), 3);
	ASSERT_INT(draw_width("\xe6\x97\xa5\xe6\x9c\xac", 0), 4);
	ASSERT_INT(draw_width("\xe6\x97\xa5\xe6\x9c\xac", 1), 2);
	ASSERT_STR(draw_fit(buf, sizeof buf, "abc", 5, 0, 0), "abc  ");
	ASSERT_STR(draw_fit(buf, sizeof buf, "abc", 5, 1, 0), "  abc");
	ASSERT_STR(draw_fit(buf, sizeof buf, "abcdef", 4, 0, 0),
	    "abc\xe2\x80\xa6");
	ASSERT_STR(draw_fit(buf, sizeof buf, "abcdef", 4, 0, 1), "abc~");
	ASSERT_STR(draw_fit(buf, sizeof buf, "abcd", 4, 0, 1), "abcd");
	ASSERT_STR(draw_fit(buf, sizeof buf, "na\xc3\xafve", 6, 0, 1),
	    "na?ve ");
	ASSERT_STR(draw_fit(buf, sizeof buf, "na\xc3\xafve", 6, 0, 0),
	    "na\xc3\xafve ");
	/* A wide character never straddles the edge. */
	ASSERT_STR(draw_fit(buf, sizeof buf,
	    "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e", 5, 0, 0),
	    "\xe6\x97\xa5\xe6\x9c\xac\xe2\x80\xa6");
	ASSERT_STR(draw_fit(buf, sizeof buf,
	    "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e", 4, 0, 0),
	    "\xe6\x97\xa5\xe2\x80\xa6 ");
	/* Control bytes never get through. */
	ASSERT_STR(draw_fit(buf, sizeof buf, "a\033[31mb", 8, 0, 0),
	    "a?[31mb ");
	ASSERT_STR(draw_fit(buf, sizeof buf, "", 0, 0, 0), "");
	/* A short buffer cuts, never overflows. */
	ASSERT(strlen(draw_fit(buf, 4, "abcdefgh", 8, 0, 1)) < 4);
}

TEST(match)
{
	ASSERT(draw_match("CrashLoopBackOff", "crash"));
	ASSERT(draw_match("CrashLoopBackOff", "LOOPb"));
	ASSERT(draw_match("anything", ""));
	ASSERT(draw_match("anything", NULL));
	ASSERT(!draw_match("Running", "crash"));
	ASSERT(!draw_match(NULL, "x"));
	ASSERT(!draw_match("ab", "abc"));
}

/* The pod columns at 80 columns: STATUS whole, NAME and NODE share. */
TEST(layout_80_columns)
{
	struct draw_col	 cols[] = {
		{ "NAME", 12, 30, 1, 0, 0, 0 },
		{ "READY", 5, 5, 0, 0, 0, 0 },
		{ "STATUS", 10, 16, 0, 0, 0, 0 },
		{ "RESTARTS", 3, 11, 0, 3, 0, 0 },
		{ "AGE", 3, 5, 0, 2, 0, 0 },
		{ "NODE", 4, 20, 1, 5, 0, 0 },
	};
	int		 i, sum = 0, n;

	n = draw_layout(cols, nitems(cols), 78);
	ASSERT_INT(n, 6);
	for (i = 0; i < 6; i++)
		sum += cols[i].width;
	ASSERT_INT(sum + 5, 78);
	ASSERT_INT(cols[2].width, 16);
	ASSERT_INT(cols[1].width, 5);
	/* The name whole before RESTARTS, AGE and NODE grow. */
	ASSERT_INT(cols[0].width, 30);
	ASSERT_INT(cols[3].width, 11);
	ASSERT_INT(cols[5].width, 6);

	/* Narrow: NODE goes first (STATUS stays whole), then RESTARTS and
	   AGE; NAME never. */
	n = draw_layout(cols, nitems(cols), 44);
	ASSERT_INT(cols[5].width, 0);
	ASSERT(cols[0].width >= 12);
	ASSERT_INT(cols[2].width, 16);
	n = draw_layout(cols, nitems(cols), 36);
	ASSERT_INT(cols[3].width, 0);
	ASSERT_INT(cols[4].width, 0);
	ASSERT_INT(cols[2].width, 16);
	ASSERT(cols[0].width >= 12);

	/* An absent column takes nothing. */
	cols[5].min = -1;
	n = draw_layout(cols, nitems(cols), 200);
	ASSERT_INT(cols[5].width, 0);
	ASSERT_INT(n, 5);
}

/* Every view's command exists because its table entry does, and the
 * wall lets it run; the ui's own commands number as they are named. */
TEST(view_and_command_tables)
{
	const char	*name;
	int		 i, n;

	for (i = 0; i < view_count(); i++) {
		ASSERT(ui_command_find(view_table[i].command) != -1);
		ASSERT(ui_command_wall(view_table[i].command));
		ASSERT(view_table[i].panels[0] != NULL);
	}
	ASSERT_INT(ui_command_find("no-such-command"), -1);
	ASSERT(ui_command_find("select-up") != -1);
	ASSERT(!ui_command_wall("select-up"));
	ASSERT(!ui_command_wall("rollback"));
	ASSERT(ui_command_wall("quit"));
	for (n = 0; (name = ui_command_name(n)) != NULL; n++)
		ASSERT_INT(ui_command_find(name), n);
	ASSERT(n > view_count());
}

TEST(screen_layout)
{
	struct ui_layout l;

	ui_layout(24, 80, 4, 0, 0, 0, 0, 0, &l);
	ASSERT_INT(l.too_small, 0);
	ASSERT_INT(l.title_y, 0);
	ASSERT_INT(l.deploys_y, 1);
	ASSERT_INT(l.deploys_h, 6);
	ASSERT_INT(l.pods_y, 7);
	ASSERT_INT(l.pods_h, 15);
	ASSERT_INT(l.status_y, 22);
	ASSERT_INT(l.bottom_y, 23);
	ui_layout(24, 80, 40, 0, 0, 0, 0, 0, &l);
	ASSERT_INT(l.deploys_h, 9);
	ASSERT_INT(l.pods_y + l.pods_h, 22);
	ui_layout(40, 120, 40, 0, 0, 0, 0, 0, &l);
	ASSERT_INT(l.deploys_h, 14);
	ASSERT_INT(l.pods_y + l.pods_h, 38);
	ui_layout(9, 80, 4, 0, 0, 0, 0, 0, &l);
	ASSERT_INT(l.too_small, 1);
	ui_layout(10, 40, 4, 0, 0, 0, 0, 0, &l);
	ASSERT_INT(l.too_small, 0);
	ASSERT(l.pods_h >= 3);
}

/* ---- rows ---- */

TEST(levels)
{
	struct kube_pod		 p;
	struct kube_deploy	 d;

	memset(&p, 0, sizeof p);
	p.status = (char *)"Running";
	ASSERT_INT(panel_kube_pod_level(&p), UI_LEVEL_OK);
	p.restart_count = 2;
	ASSERT_INT(panel_kube_pod_level(&p), UI_LEVEL_WARN);
	p.restart_count = 0;
	p.status = (char *)"Init:CrashLoopBackOff";
	ASSERT_INT(panel_kube_pod_level(&p), UI_LEVEL_PROBLEM);
	p.status = (char *)"ContainerCreating";
	ASSERT_INT(panel_kube_pod_level(&p), UI_LEVEL_WARN);
	p.problem = 1;
	ASSERT_INT(panel_kube_pod_level(&p), UI_LEVEL_PROBLEM);
	p.problem = 0;
	p.status = (char *)"Completed";
	ASSERT_INT(panel_kube_pod_level(&p), UI_LEVEL_OK);

	memset(&d, 0, sizeof d);
	d.desired = d.updated = d.ready = d.available = 3;
	ASSERT_INT(panel_kube_deploy_mismatch(&d), 0);
	d.available = 2;
	ASSERT_INT(panel_kube_deploy_mismatch(&d), 1);
	d.available = 3;
	d.updated = 1;
	ASSERT_INT(panel_kube_deploy_mismatch(&d), 1);
}

TEST(rows_problems_first)
{
	struct model	 m;
	struct ui_panel	 dp, pp;
	struct ui_view	 v;

	fill_model(&m);
	memset(&dp, 0, sizeof dp);
	memset(&pp, 0, sizeof pp);
	memset(&v, 0, sizeof v);
	v.group = 1;
	panel_kube_deploys_ops.rebuild(&dp, &m, &v);
	ASSERT_STR(rows_of(&dp.list), "knowledge support auth content");
	ASSERT_INT(dp.list.nproblem, 2);
	ASSERT(dp.list.rows[0].hpa != NULL);
	ASSERT_INT(dp.list.rows[0].hpa->max, 10);
	ASSERT_INT(dp.list.rows[0].mismatch, 1);
	ASSERT_INT(dp.list.rows[0].nproblem, 1);
	ASSERT(dp.list.rows[2].hpa == NULL);

	panel_kube_pods_ops.rebuild(&pp, &m, &v);
	ASSERT_STR(rows_of(&pp.list),
	    "G:knowledge knowledge-7d9f-bbbb knowledge-7d9f-aaaa "
	    "knowledge-7d9f-cccc G:support support-6c-zzzz G:auth "
	    "auth-66-1111 auth-66-2222 G:content content-55-xxxx "
	    "content-55-yyyy G:- debug-shell");
	ASSERT_INT(pp.list.nproblem, 2);
	/* The selection never rests on a heading. */
	ASSERT_INT(pp.list.sel, 1);

	v.group = 0;
	panel_kube_pods_ops.rebuild(&pp, &m, &v);
	ASSERT_STR(rows_of(&pp.list),
	    "knowledge-7d9f-bbbb support-6c-zzzz auth-66-1111 "
	    "auth-66-2222 content-55-xxxx content-55-yyyy debug-shell "
	    "knowledge-7d9f-aaaa knowledge-7d9f-cccc");
	panel_list_free(&dp.list);
	panel_list_free(&pp.list);
	model_free(&m);
}

TEST(rows_filter_and_scope)
{
	struct model	 m;
	struct ui_panel	 dp, pp;
	struct ui_view	 v;

	fill_model(&m);
	memset(&dp, 0, sizeof dp);
	memset(&pp, 0, sizeof pp);
	memset(&v, 0, sizeof v);
	v.group = 1;
	snprintf(v.filter, sizeof v.filter, "OOM");
	panel_kube_pods_ops.rebuild(&pp, &m, &v);
	ASSERT_STR(rows_of(&pp.list), "G:support support-6c-zzzz");
	panel_kube_deploys_ops.rebuild(&dp, &m, &v);
	ASSERT_STR(rows_of(&dp.list), "support");
	ASSERT_INT(dp.list.total, 4);
	/* Node and namespace match too; case does not matter. */
	snprintf(v.filter, sizeof v.filter, "NODE-A");
	panel_kube_pods_ops.rebuild(&pp, &m, &v);
	ASSERT_INT(pp.list.nrows, 14);
	snprintf(v.filter, sizeof v.filter, "kcp-prod");
	panel_kube_deploys_ops.rebuild(&dp, &m, &v);
	ASSERT_INT(dp.list.nrows, 4);
	snprintf(v.filter, sizeof v.filter, "no-such-thing");
	panel_kube_pods_ops.rebuild(&pp, &m, &v);
	ASSERT_INT(pp.list.nrows, 0);
	ASSERT(panel_list_selected(&pp.list) == NULL);
	/* Enter on a deployment: its pods only. */
	v.filter[0] = '\0';
	v.scope_ns = (char *)"soundcore-kcp-prod";
	v.scope_name = (char *)"auth";
	panel_kube_pods_ops.rebuild(&pp, &m, &v);
	ASSERT_STR(rows_of(&pp.list), "G:auth auth-66-1111 auth-66-2222");
	panel_list_free(&dp.list);
	panel_list_free(&pp.list);
	model_free(&m);
}

TEST(selection_follows_object)
{
	struct model		 m;
	struct ui_panel		 pp;
	struct ui_view		 v;
	const struct ui_row	*r;

	fill_model(&m);
	memset(&pp, 0, sizeof pp);
	memset(&v, 0, sizeof v);
	v.group = 1;
	panel_kube_pods_ops.rebuild(&pp, &m, &v);
	panel_list_move(&pp.list, 2);
	r = panel_list_selected(&pp.list);
	ASSERT_STR(r->name, "knowledge-7d9f-cccc");
	/* A new crashing pod sorts above it; the selection stays. */
	put_pod(&m, "soundcore-kcp-prod", "knowledge-7d9f-0000",
	    "knowledge-7d9f", "Error", "0/1", 1, 1);
	panel_kube_pods_ops.rebuild(&pp, &m, &v);
	ASSERT_STR(panel_list_selected(&pp.list)->name, "knowledge-7d9f-cccc");
	/* Moving skips headings. */
	panel_list_move(&pp.list, 1);
	ASSERT_STR(panel_list_selected(&pp.list)->name, "support-6c-zzzz");
	panel_list_move(&pp.list, -1);
	ASSERT_STR(panel_list_selected(&pp.list)->name, "knowledge-7d9f-cccc");
	panel_list_home(&pp.list, 1);
	ASSERT_STR(panel_list_selected(&pp.list)->name, "debug-shell");
	panel_list_move(&pp.list, 100);
	ASSERT_STR(panel_list_selected(&pp.list)->name, "debug-shell");
	panel_list_home(&pp.list, 0);
	ASSERT_STR(panel_list_selected(&pp.list)->name, "knowledge-7d9f-0000");
	panel_list_move(&pp.list, -5);
	ASSERT_STR(panel_list_selected(&pp.list)->name, "knowledge-7d9f-0000");
	/* The selected pod goes away: the selection stays near. */
	panel_list_move(&pp.list, 1);
	table_del(&m.pods, "soundcore-kcp-prod/knowledge-7d9f-bbbb");
	panel_kube_pods_ops.rebuild(&pp, &m, &v);
	ASSERT(panel_list_selected(&pp.list) != NULL);
	ASSERT_STR(panel_list_selected(&pp.list)->name, "knowledge-7d9f-aaaa");
	panel_list_free(&pp.list);
	model_free(&m);
}

/* ---- status bar ---- */

static const char *
segs_of(const struct model *m, time_t now)
{
	static char		 out[4096];
	struct ui_segment	 segs[12];
	int			 n, i;

	n = statusbar_segments(m, now, segs, 12);
	out[0] = '\0';
	for (i = 0; i < n; i++) {
		snprintf(out + strlen(out), sizeof out - strlen(out), "%s%s",
		    i > 0 ? " | " : "", segs[i].text);
	}
	return out;
}

TEST(status_segments)
{
	struct model	 m;
	time_t		 now = 1000000;

	model_init(&m);
	m.context = xstrdup("kcp-prod");
	m.sources[SOURCE_KUBE].state = SOURCE_OK;
	m.sources[SOURCE_KUBE].live = 1;
	m.sources[SOURCE_KUBE].last_ok = now;
	ASSERT_STR(segs_of(&m, now), "ctx kcp-prod | ns all | kube live");
	m.namespace = xstrdup("soundcore-kcp-prod");
	m.read_only = 1;
	m.tls_insecure = 1;
	ASSERT_STR(segs_of(&m, now), "[READ-ONLY] | TLS VERIFY OFF | "
	    "ctx kcp-prod | ns soundcore-kcp-prod | kube live");
	m.read_only = m.tls_insecure = 0;
	m.cleartext = 1;
	ASSERT_STR(segs_of(&m, now), "CLEARTEXT AUTH | "
	    "ctx kcp-prod | ns soundcore-kcp-prod | kube live");
	m.cleartext = 0;
	m.sources[SOURCE_KUBE].state = SOURCE_STALE;
	m.sources[SOURCE_KUBE].live = 0;
	m.sources[SOURCE_KUBE].last_ok = now - 12;
	ASSERT_STR(segs_of(&m, now),
	    "ctx kcp-prod | ns soundcore-kcp-prod | kube STALE 12s");
	m.sources[SOURCE_KUBE].state = SOURCE_DOWN;
	m.sources[SOURCE_KUBE].last_ok = now - 40;
	m.sources[SOURCE_KUBE].error = xstrdup("connection refused");
	ASSERT_STR(segs_of(&m, now), "ctx kcp-prod | ns soundcore-kcp-prod | "
	    "kube DOWN 40s: connection refused");
	/* Never answered: the time it has been down. */
	m.sources[SOURCE_KUBE].last_ok = 0;
	m.sources[SOURCE_KUBE].since = now - 5;
	ASSERT(strstr(segs_of(&m, now), "kube DOWN 5s: connection refused")
	    != NULL);
	/* An error with an escape sequence is shown, not sent. */
	free(m.sources[SOURCE_KUBE].error);
	m.sources[SOURCE_KUBE].error = xstrdup("bad\033]0;owned\007");
	ASSERT(strchr(segs_of(&m, now), '\033') == NULL);
	ASSERT(strchr(segs_of(&m, now), '\007') == NULL);
	m.sources[SOURCE_PROM].state = SOURCE_INIT;
	ASSERT(strstr(segs_of(&m, now), "prom connecting") != NULL);
	ASSERT(strstr(segs_of(&m, now), "redis") == NULL);
	model_free(&m);
}

/* ---- whole frames ---- */

TEST(frame_80x24)
{
	struct model	 m;
	const char	*row;
	int		 y, yc, yo;

	reset();
	fill_model(&m);
	m.read_only = 1;
	put_pod(&m, "soundcore-kcp-prod", "evil\033[2Jpod", NULL,
	    "Running", "1/1", 0, 0);
	ASSERT_INT(start_screen(&m, 1, 24, 80), 0);
	ASSERT_INT(LINES, 24);
	ASSERT_INT(COLS, 80);
	ui_redraw(&m);
	ASSERT_INT(m.dirty & (DIRTY_PODS | DIRTY_DEPLOYS | DIRTY_STATUS), 0);
	ASSERT(strstr(screen_row(0), "warroom") != NULL);
	ASSERT(strstr(screen_row(0), "kcp-prod") != NULL);
	ASSERT(strstr(screen_row(1), "Deployments 4, 2 in trouble") != NULL);
	ASSERT(strstr(screen_row(2), "NAME") != NULL);
	ASSERT(strstr(screen_row(2), "UP-TO-DATE") != NULL);
	ASSERT(strstr(screen_row(2), "HPA") != NULL);
	/* Deployments in trouble first, marked, with the HPA. */
	row = screen_row(3);
	ASSERT(row[0] == '!');
	ASSERT(strstr(row, "knowledge") != NULL);
	ASSERT(strstr(row, "2/3") != NULL);
	ASSERT(strstr(row, "hpa 3-10") != NULL);
	ASSERT(screen_row(5)[0] == ' ');
	/* Problem pods marked; STATUS exactly as the model has it. */
	yc = screen_find("CrashLoopBackOff");
	yo = screen_find("OOMKilled");
	ASSERT(yc > 0 && yo > yc);
	ASSERT(screen_row(yc)[0] == '!');
	ASSERT(screen_row(yo)[0] == '!');
	ASSERT(strstr(screen_row(yc), "knowledge-7d9f-bbbb") != NULL);
	ASSERT(strstr(screen_row(yc), "0/1") != NULL);
	ASSERT(screen_find("auth-66-1111") > 0);
	ASSERT(screen_row(screen_find("auth-66-1111"))[0] == '*');
	/* The status bar and the hints. */
	row = screen_row(22);
	ASSERT(strstr(row, "[READ-ONLY]") != NULL);
	ASSERT(strstr(row, "ctx kcp-prod") != NULL);
	ASSERT(strstr(row, "kube live") != NULL);
	ASSERT(strstr(screen_row(23), "? help") != NULL);
	ASSERT(strstr(screen_row(23), "q quit") != NULL);
	/* An escape in a name is shown, never sent. */
	snprintf(ui_state.view.filter, sizeof ui_state.view.filter, "evil");
	ui_state.redraw |= UI_REDRAW_REBUILD | UI_REDRAW_ALL;
	ui_redraw(&m);
	ASSERT(screen_find("evil\\x1b[2Jpod") > 0);
	for (y = 0; y < 24; y++)
		ASSERT(strchr(screen_row(y), '\033') == NULL);
	/* A failing source's whole error in the bottom line. */
	ui_state.view.filter[0] = '\0';
	ui_state.redraw |= UI_REDRAW_REBUILD | UI_REDRAW_ALL;
	m.sources[SOURCE_KUBE].state = SOURCE_DOWN;
	m.sources[SOURCE_KUBE].live = 0;
	m.sources[SOURCE_KUBE].error = xstrdup("Get https://10.0.0.1:6443: "
	    "connection refused");
	model_mark(&m, DIRTY_STATUS);
	ui_redraw(&m);
	ASSERT(strstr(screen_row(22), "kube DOWN") != NULL);
	ASSERT(strstr(screen_row(23), "kube: Get https://10.0.0.1:6443: "
	    "connection refused") != NULL);
	/* Nothing dirty: nothing drawn (and no output). */
	ui_redraw(&m);
	stop_screen();
	model_free(&m);
}

TEST(frame_keys)
{
	struct model	 m;
	int		 y;

	reset();
	fill_model(&m);
	ASSERT_INT(start_screen(&m, 1, 24, 80), 0);
	ui_redraw(&m);
	/* The filter narrows as it is typed and stays after Enter. */
	keys("/oo");
	ASSERT_INT(ui_input(&m), 0);
	ASSERT(strstr(screen_row(23), "/oo") != NULL);
	keys("m\r");
	ASSERT_INT(ui_input(&m), 0);
	ASSERT(screen_find("support-6c-zzzz") > 0);
	ASSERT_INT(screen_find("knowledge-7d9f-bbbb"), -1);
	ASSERT(strstr(screen_row(23), "filter: oom") != NULL);
	ASSERT(screen_find("Pods 1 of 9, 1 in trouble") > 0);
	/* Escape shows all again. */
	keys("\033");
	ASSERT_INT(ui_input(&m), 0);
	ASSERT(screen_find("knowledge-7d9f-bbbb") > 0);
	/* Help from the bindings; any key closes it. */
	keys("?");
	ASSERT_INT(ui_input(&m), 0);
	ASSERT(screen_find("Select the row below") > 0);
	ASSERT(screen_find("Keys: any other key closes") > 0);
	keys("x");
	ASSERT_INT(ui_input(&m), 0);
	ASSERT_INT(screen_find("Select the row below"), -1);
	/* An action the ui does not know yet. */
	ASSERT_STR(run("bind R rollback\n"), "");
	keys("R");
	ASSERT_INT(ui_input(&m), 0);
	ASSERT(strstr(screen_row(23), "unknown command: rollback") != NULL);
	/* Tab to deployments, Enter: that deployment's pods. */
	keys("\tgj\r");
	ASSERT_INT(ui_input(&m), 0);
	ASSERT(screen_find("Pods 1 of 9, 1 in trouble (deployment support)")
	    > 0);
	/* Grouping off: problems first in one list. */
	keys("\033t");
	ASSERT_INT(ui_input(&m), 0);
	y = screen_find("Pods 9");
	ASSERT(y > 0);
	ASSERT(strstr(screen_row(y + 2), "knowledge-7d9f-bbbb") != NULL);
	ASSERT(strstr(screen_row(y + 3), "support-6c-zzzz") != NULL);
	/* Bigger, then back. */
	resizeterm(40, 120);
	ui_resize(&m);
	ASSERT(strstr(screen_row(38), "kube live") != NULL);
	ASSERT(screen_find("Deployments 4, 2 in trouble") == 1);
	resizeterm(24, 80);
	ui_resize(&m);
	ASSERT(strstr(screen_row(22), "kube live") != NULL);
	resizeterm(8, 30);
	ui_resize(&m);
	ASSERT(strstr(screen_row(0), "terminal too small") != NULL);
	resizeterm(24, 80);
	ui_resize(&m);
	keys("q");
	ASSERT_INT(ui_input(&m), 1);
	stop_screen();
	model_free(&m);
}

static char	 hook_seen[256];

static int
hook(struct model *m, int argc, char **argv, const struct ui_target *t,
    char **cause)
{
	(void)m;
	snprintf(hook_seen, sizeof hook_seen, "%s %s %s/%s", argv[0],
	    t->kind != NULL ? t->kind : "-", t->ns != NULL ? t->ns : "-",
	    t->name != NULL ? t->name : "-");
	if (argc > 1) {
		xasprintf(cause, "cannot scale to %s", argv[1]);
		return -1;
	}
	return 0;
}

TEST(action_hook)
{
	struct model	 m;

	reset();
	fill_model(&m);
	ASSERT_INT(start_screen(&m, 1, 24, 80), 0);
	ASSERT_STR(run("bind R rollback\nbind S scale 0\n"), "");
	ui_action_hook = hook;
	ui_redraw(&m);
	keys("\tR");
	ASSERT_INT(ui_input(&m), 0);
	ASSERT_STR(hook_seen, "rollback deployment soundcore-kcp-prod/knowledge");
	keys("\tjS");
	ASSERT_INT(ui_input(&m), 0);
	ASSERT_STR(hook_seen, "scale pod soundcore-kcp-prod/knowledge-7d9f-aaaa");
	ASSERT(strstr(screen_row(23), "scale: cannot scale to 0") != NULL);
	ui_action_hook = NULL;
	stop_screen();
	model_free(&m);
}

/* The ':' palette runs an action on the deployment it names, with the
 * words after it; without a target, on the selection. */
TEST(palette_runs)
{
	struct model	 m;

	reset();
	fill_model(&m);
	ASSERT_INT(start_screen(&m, 1, 24, 80), 0);
	ui_action_hook = hook;
	ui_redraw(&m);
	keys(":scale auth 3\n");
	ASSERT_INT(ui_input(&m), 0);
	ASSERT_STR(hook_seen, "scale deployment soundcore-kcp-prod/auth");
	ASSERT(strstr(screen_row(23), "scale: cannot scale to 3") != NULL);
	keys(":restart other-ns/web\n");
	ASSERT_INT(ui_input(&m), 0);
	ASSERT_STR(hook_seen, "restart deployment other-ns/web");
	keys("\t:rollback\n");
	ASSERT_INT(ui_input(&m), 0);
	ASSERT_STR(hook_seen, "rollback deployment soundcore-kcp-prod/knowledge");
	keys(":frob\n");
	ASSERT_INT(ui_input(&m), 0);
	ASSERT(strstr(screen_row(23), "unknown command or action \"frob\"") !=
	    NULL);
	keys(":quit\n");
	ASSERT_INT(ui_input(&m), 1);
	ui_action_hook = NULL;
	stop_screen();
	model_free(&m);
}

static const char *
complete(struct model *m, const char *text)
{
	snprintf(ui_state.palette->text, sizeof ui_state.palette->text, "%s",
	    text);
	palette_complete(m);
	return ui_state.palette->text;
}

TEST(palette_completion)
{
	struct model	 m;

	reset();
	fill_model(&m);
	palette_open();
	ASSERT_STR(complete(&m, "resta"), "restart ");
	ASSERT(strstr(ui_state.palette->hint, "restart DEPLOYMENT") != NULL);
	ASSERT_STR(complete(&m, "re"), "re");
	ASSERT(strstr(ui_state.palette->hint, "restart") != NULL);
	ASSERT(strstr(ui_state.palette->hint, "restore") != NULL);
	ASSERT(strstr(ui_state.palette->hint, "refresh") != NULL);
	ASSERT_STR(complete(&m, "rest"), "rest");
	ASSERT_STR(complete(&m, "scale kn"), "scale knowledge ");
	ASSERT_STR(complete(&m, "scale "), "scale ");
	ASSERT(strstr(ui_state.palette->hint, "4 choices: auth  content  "
	    "knowledge  support") != NULL);
	ASSERT_STR(complete(&m, "scale zz"), "scale zz");
	ASSERT(strstr(ui_state.palette->hint, "nothing to complete") != NULL);
	ASSERT_STR(complete(&m, "refresh x"), "refresh x");
	/* All namespaces: deployments as NAMESPACE/NAME. */
	free(m.namespace);
	m.namespace = NULL;
	ASSERT_STR(complete(&m, "hpa soundcore-kcp-prod/co"),
	    "hpa soundcore-kcp-prod/content ");
	palette_free();
	model_free(&m);
	reset();
}

static void
put_rev(struct model *m, const char *name, const char *deploy, long rev,
    const char *image, const char *cause)
{
	struct kube_rs	*rs;
	char		 key[256];

	put_rs(m, "soundcore-kcp-prod", name, deploy);
	snprintf(key, sizeof key, "soundcore-kcp-prod/%s", name);
	rs = table_get(&m->rsets, key);
	rs->revision = rev;
	rs->images = xstrdup(image);
	rs->change_cause = cause != NULL ? xstrdup(cause) : NULL;
	rs->created = now_wall() - 3600 * rev;
}

/* The revision picker's rows: newest first, the current one marked, the
 * one before it chosen first ('rollout undo' would take it). */
TEST(revision_rows)
{
	struct model	 m;
	char		**rows, *header;
	long		*revs;
	int		 n, sel, i;

	fill_model(&m);
	put_rev(&m, "knowledge-2", "knowledge", 2, "nginx:1.25.3", "initial");
	put_rev(&m, "knowledge-4", "knowledge", 4, "nginx:1.25.5", NULL);
	put_rev(&m, "knowledge-3", "knowledge", 3, "registry.local/k:long-tag",
	    "hotfix");
	put_rev(&m, "auth-9", "auth", 9, "x", NULL);
	n = app_actions_revisions(&m, "soundcore-kcp-prod", "knowledge", &rows,
	    &revs, &sel, &header);
	ASSERT_INT(n, 3);
	ASSERT_INT(revs[0], 4);
	ASSERT_INT(revs[1], 3);
	ASSERT_INT(revs[2], 2);
	ASSERT_INT(sel, 1);
	ASSERT_STR(header, "REV  NOW     AGE   IMAGES                     "
	    "CHANGE-CAUSE");
	ASSERT_STR(rows[0], "4    current 4h    nginx:1.25.5               ");
	ASSERT_STR(rows[1], "3            3h    registry.local/k:long-tag  "
	    "hotfix");
	for (i = 0; i < n; i++)
		free(rows[i]);
	free(rows);
	free(revs);
	free(header);
	n = app_actions_revisions(&m, "soundcore-kcp-prod", "content", &rows,
	    &revs, &sel, &header);
	ASSERT_INT(n, 0);
	free(rows);
	free(revs);
	free(header);
	model_free(&m);
}

/* The action log: a few lines above the status bar once there is an
 * action, each with its phase and latest line. */
TEST(action_log)
{
	struct model	 m;
	struct ui_layout l;
	unsigned	 id, id2;

	reset();
	fill_model(&m);
	ASSERT_INT(panel_actions_height(&m, 21), 0);
	ASSERT_INT(start_screen(&m, 1, 24, 80), 0);
	id = model_action_add(&m, "soundcore-kcp-prod", "scale auth 3");
	model_action_phase(&m, id, "waiting for confirmation", 0, 0);
	id2 = model_action_add(&m, "soundcore-kcp-prod", "rollback knowledge");
	model_action_say(&m, id2, 1, "error: no \x1b[31mhistory");
	model_action_phase(&m, id2, "failed", 1, 1);
	ASSERT_INT(panel_actions_height(&m, 21), 3);
	ui_layout(24, 80, 4, 3, 0, 0, 0, 0, &l);
	ASSERT_INT(l.log_h, 3);
	ASSERT_INT(l.log_y, 19);
	ASSERT_INT(l.pods_y + l.pods_h, 19);
	ui_redraw(&m);
	ASSERT(strstr(screen_row(19), "Actions") != NULL);
	ASSERT(strstr(screen_row(20), "~ ") != NULL);
	ASSERT(strstr(screen_row(20), "scale auth 3") != NULL);
	ASSERT(strstr(screen_row(20), "waiting for confirmation") != NULL);
	ASSERT(strstr(screen_row(21), "! ") != NULL);
	ASSERT(strstr(screen_row(21), "failed") != NULL);
	ASSERT(strstr(screen_row(21), "\x1b") == NULL);
	keys("a");
	ASSERT_INT(ui_input(&m), 0);
	ASSERT(strstr(screen_row(19), "Actions") == NULL);
	ASSERT_INT(panel_actions_height(&m, 21), 0);
	stop_screen();
	model_free(&m);
}

/* Read-only: help shows the actions greyed, with the reason. */
TEST(help_read_only)
{
	struct model	 m;
	char		*h;

	reset();
	fill_model(&m);
	m.read_only = m.read_only_flag = 1;
	ASSERT_INT(start_screen(&m, 1, 24, 80), 0);
	h = ui_help_text();
	ASSERT(strstr(h, "  R               [off] Roll back") != NULL);
	ASSERT(strstr(h, "  /               Filter rows") != NULL);
	ASSERT(strstr(h, "[off]           no change to the cluster: "
	    "read-only (--read-only)") != NULL);
	free(h);
	m.read_only = m.read_only_flag = 0;
	h = ui_help_text();
	ASSERT(strstr(h, "[off]") == NULL);
	free(h);
	stop_screen();
	model_free(&m);
}

/* OSC 52: base64 of the text, padded, between ESC ] 52 ; c ; and BEL. */
TEST(copy_payload)
{
	char	*p;

	p = ui_copy_payload("abc");
	ASSERT_STR(p, "\033]52;c;YWJj\a");
	free(p);
	p = ui_copy_payload("ab");
	ASSERT_STR(p, "\033]52;c;YWI=\a");
	free(p);
	p = ui_copy_payload("knowledge-service-7d9f");
	ASSERT_STR(p, "\033]52;c;a25vd2xlZGdlLXNlcnZpY2UtN2Q5Zg==\a");
	free(p);
	p = ui_copy_payload("");
	ASSERT_STR(p, "\033]52;c;\a");
	free(p);
}

TEST(frame_utf8_and_colour)
{
	struct model	 m;
	cchar_t		 cc;
	wchar_t		 wc[CCHARW_MAX + 1];
	attr_t		 a;
	short		 pair;
	int		 y;

	reset();
	fill_model(&m);
	unsetenv("NO_COLOR");
	ASSERT_INT(start_screen(&m, 0, 24, 80), 0);
	ASSERT_INT(ui_state.ascii, 0);
	ASSERT_INT(ui_state.colour, 1);
	ui_redraw(&m);
	y = screen_find("CrashLoopBackOff");
	ASSERT(y > 0);
	ASSERT(mvwin_wch(stdscr, y, 0, &cc) == OK);
	ASSERT(getcchar(&cc, wc, &a, &pair, NULL) == OK);
	ASSERT(wc[0] == 0x2717);
	ASSERT(a & A_BOLD);
	ASSERT(pair != 0);
	ASSERT(strstr(screen_row(1), "\xe2\x94\x80") != NULL);
	stop_screen();

	/* NO_COLOR: attributes only, and problems still bold. */
	reset();
	setenv("NO_COLOR", "1", 1);
	ASSERT_INT(start_screen(&m, 0, 24, 80), 0);
	ASSERT_INT(ui_state.colour, 0);
	ui_redraw(&m);
	y = screen_find("CrashLoopBackOff");
	ASSERT(mvwin_wch(stdscr, y, 4, &cc) == OK);
	ASSERT(getcchar(&cc, wc, &a, &pair, NULL) == OK);
	ASSERT(a & A_BOLD);
	ASSERT_INT(pair, 0);
	unsetenv("NO_COLOR");
	ui_stop();
	ui_stop();
	stop_screen();
	model_free(&m);
}

int
main(void)
{
	const char	*env;
	char		*slash;

	setlocale(LC_ALL, "C.UTF-8");
	if ((env = getenv("TEST_SRCDIR")) != NULL)
		snprintf(top, sizeof top, "%s/..", env);
	else {
		snprintf(top, sizeof top, "%s", __FILE__);
		if ((slash = strrchr(top, '/')) != NULL)
			*slash = '\0';
		else
			snprintf(top, sizeof top, ".");
		strncat(top, "/..", sizeof top - strlen(top) - 1);
	}
	unsetenv("NO_COLOR");
	ui_register_commands();

	RUN(key_names);
	RUN(key_names_bad);
	RUN(key_from_curses);
	RUN(bind_good);
	RUN(bind_bad);
	RUN(unbind);
	RUN(user_bindings_survive_keymap_load);
	RUN(help_from_notes);
	RUN(colours);
	RUN(style_lines);
	RUN(theme_layers);
	RUN(shipped_files_parse);
	RUN(mono_has_no_colour);
	RUN(builtin_defaults_equal_files);
	RUN(builtin_fallback);
	RUN(fit_text);
	RUN(match);
	RUN(layout_80_columns);
	RUN(view_and_command_tables);
	RUN(screen_layout);
	RUN(levels);
	RUN(rows_problems_first);
	RUN(rows_filter_and_scope);
	RUN(selection_follows_object);
	RUN(status_segments);
	RUN(frame_80x24);
	RUN(frame_keys);
	RUN(action_hook);
	RUN(palette_runs);
	RUN(palette_completion);
	RUN(revision_rows);
	RUN(action_log);
	RUN(help_read_only);
	RUN(copy_payload);
	RUN(frame_utf8_and_colour);

	ui_free();
	cmdparse_reset();
	return TEST_EXIT();
}
