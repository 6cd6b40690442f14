/* test-ui-config.c: what the user sets and the keys run: key names,
 * bindings and the help made from them, themes, the shipped keymaps/ and
 * themes/ (and that the compiled-in defaults are the same bytes), and the
 * commands: the action hook, the ':' palette, revisions, copy. */
#include <sys/types.h>

#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app-actions.h"
#include "cmdparse.h"
#include "model.h"
#include "test.h"
#include "ui-fixture.h"
#include "ui-private.h"
#include "warroom.h"

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

static const char *
cmd_of(int key)
{
	const struct keymap_binding *b;

	b = keymap_lookup(KEYMAP_TABLE_NORMAL, key);
	return b != NULL ? b->argv[0] : "(none)";
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

/* ---- actions and the palette ---- */

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

int
main(void)
{
	ui_fixture_init();

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
	RUN(action_hook);
	RUN(palette_runs);
	RUN(palette_completion);
	RUN(revision_rows);
	RUN(help_read_only);
	RUN(copy_payload);

	ui_free();
	cmdparse_reset();
	return TEST_EXIT();
}
