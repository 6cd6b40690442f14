/* keymap.c: key names, the 'bind' and 'unbind' commands, keymap files and
 * the help text made from the bindings' notes. Bindings from keymap files
 * and from the user's config are kept apart so that loading a keymap after
 * the config never undoes the user's own lines. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <curses.h>

#include "cmdparse.h"
#include "draw.h"
#include "keymap.h"
#include "ui-private.h"
#include "warroom.h"

#define KEYMAP_CURSES(k)	(KEYMAP_KEY_CURSES | (k))
/* A user 'unbind -a' of a whole table is kept as a binding of this key. */
#define KEYMAP_KEY_ALL		(-2)

static const struct {
	const char	*name;
	int		 key;
} keymap_names[] = {
	/* The first name of a key is the one help shows. */
	{ "Up", KEYMAP_CURSES(KEY_UP) },
	{ "Down", KEYMAP_CURSES(KEY_DOWN) },
	{ "Left", KEYMAP_CURSES(KEY_LEFT) },
	{ "Right", KEYMAP_CURSES(KEY_RIGHT) },
	{ "PageUp", KEYMAP_CURSES(KEY_PPAGE) },
	{ "PPage", KEYMAP_CURSES(KEY_PPAGE) },
	{ "PgUp", KEYMAP_CURSES(KEY_PPAGE) },
	{ "PageDown", KEYMAP_CURSES(KEY_NPAGE) },
	{ "NPage", KEYMAP_CURSES(KEY_NPAGE) },
	{ "PgDn", KEYMAP_CURSES(KEY_NPAGE) },
	{ "Home", KEYMAP_CURSES(KEY_HOME) },
	{ "End", KEYMAP_CURSES(KEY_END) },
	{ "Enter", KEYMAP_KEY_ENTER },
	{ "Escape", KEYMAP_KEY_ESCAPE },
	{ "Esc", KEYMAP_KEY_ESCAPE },
	{ "Tab", '\t' },
	{ "BTab", KEYMAP_CURSES(KEY_BTAB) },
	{ "Space", ' ' },
	{ "Delete", KEYMAP_CURSES(KEY_DC) },
	{ "DC", KEYMAP_CURSES(KEY_DC) },
	{ "Insert", KEYMAP_CURSES(KEY_IC) },
	{ "IC", KEYMAP_CURSES(KEY_IC) },
	{ "BSpace", KEYMAP_CURSES(KEY_BACKSPACE) },
};

const char	*(*keymap_unavailable)(int, char **);

static struct keymap_binding **keymap_list;	/* in the order made */
static size_t		 keymap_count;
static int		 keymap_loading;	/* running a keymap file */

int
keymap_key_parse(const char *s)
{
	unsigned int	 cp;
	size_t		 i, n;
	char		*end;
	long		 f;
	int		 c;

	if (s == NULL || *s == '\0')
		return KEYMAP_KEY_NONE;
	n = draw_utf8_next(s, &cp);
	if (s[n] == '\0') {
		if (cp == 0xfffd || cp < 0x20 || cp == 0x7f)
			return KEYMAP_KEY_NONE;
		return (int)cp;
	}
	for (i = 0; i < nitems(keymap_names); i++) {
		if (strcasecmp(s, keymap_names[i].name) == 0)
			return keymap_names[i].key;
	}
	if ((s[0] == 'F' || s[0] == 'f') && s[1] >= '1' && s[1] <= '9') {
		f = strtol(s + 1, &end, 10);
		if (*end == '\0' && f >= 1 && f <= 12)
			return KEYMAP_CURSES(KEY_F(f));
		return KEYMAP_KEY_NONE;
	}
	if ((s[0] == 'C' || s[0] == 'c') && s[1] == '-') {
		if (strcasecmp(s + 2, "Space") == 0)
			return 0;
		if (s[2] == '\0' || s[3] != '\0')
			return KEYMAP_KEY_NONE;
		c = (unsigned char)s[2];
		if (c >= 'a' && c <= 'z')
			return c - 'a' + 1;
		if (c >= '@' && c <= '_')
			return c - '@';
	}
	return KEYMAP_KEY_NONE;
}

const char *
keymap_key_name(int key, char *buf, size_t len)
{
	size_t	 i, n;
	char	 tmp[8];

	for (i = 0; i < nitems(keymap_names); i++) {
		if (keymap_names[i].key == key) {
			snprintf(buf, len, "%s", keymap_names[i].name);
			return buf;
		}
	}
	if (key >= KEYMAP_CURSES(KEY_F(1)) && key <= KEYMAP_CURSES(KEY_F(12)))
		snprintf(buf, len, "F%d", key - KEYMAP_CURSES(KEY_F(0)));
	else if (key == 0)
		snprintf(buf, len, "C-Space");
	else if (key > 0 && key < 0x20) {
		if (key <= 26)
			snprintf(buf, len, "C-%c", 'a' + key - 1);
		else
			snprintf(buf, len, "C-%c", '@' + key);
	} else if (key > 0x20 && key < KEYMAP_KEY_CURSES && key != 0x7f) {
		n = draw_utf8_encode(tmp, (unsigned int)key);
		tmp[n] = '\0';
		snprintf(buf, len, "%s", tmp);
	} else
		snprintf(buf, len, "<%#x>", (unsigned int)key);
	return buf;
}

int
keymap_key_from_curses(int rc, unsigned int wch)
{
	if (rc == KEY_CODE_YES) {
		switch (wch) {
		case KEY_ENTER:
			return KEYMAP_KEY_ENTER;
		case KEY_FIND:
		case KEY_A1:
			return KEYMAP_CURSES(KEY_HOME);
		case KEY_SELECT:
		case KEY_C1:
			return KEYMAP_CURSES(KEY_END);
		case KEY_A3:
			return KEYMAP_CURSES(KEY_PPAGE);
		case KEY_C3:
			return KEYMAP_CURSES(KEY_NPAGE);
		}
		return KEYMAP_CURSES((int)wch);
	}
	if (wch == '\n' || wch == '\r')
		return KEYMAP_KEY_ENTER;
	if (wch == 0x7f)
		return KEYMAP_CURSES(KEY_BACKSPACE);
	return (int)wch;
}

static void
keymap_binding_free(struct keymap_binding *b)
{
	int	 i;

	free(b->table);
	free(b->note);
	for (i = 0; i < b->argc; i++)
		free(b->argv[i]);
	free(b->argv);
	free(b);
}

/* The binding (live or not) of key in table, or NULL. */
static struct keymap_binding *
keymap_find(const char *table, int key)
{
	size_t	 i;

	for (i = 0; i < keymap_count; i++) {
		if (keymap_list[i]->key == key &&
		    strcmp(keymap_list[i]->table, table) == 0)
			return keymap_list[i];
	}
	return NULL;
}

static void
keymap_remove_at(size_t i)
{
	keymap_binding_free(keymap_list[i]);
	memmove(keymap_list + i, keymap_list + i + 1,
	    (keymap_count - i - 1) * sizeof *keymap_list);
	keymap_count--;
}

/* Make or replace a binding; argc 0 records a user's unbind. */
static void
keymap_set(const char *table, int key, const char *note, int argc,
    char **argv)
{
	struct keymap_binding	*b;
	int			 i;

	b = keymap_find(table, key);
	if (keymap_loading && b == NULL) {
		/* A user 'unbind -a' of this table beats the keymap file. */
		b = keymap_find(table, KEYMAP_KEY_ALL);
		if (b != NULL)
			return;
	}
	if (keymap_loading && b != NULL && b->user)
		return;
	if (b == NULL) {
		keymap_list = xreallocarray(keymap_list, keymap_count + 1,
		    sizeof *keymap_list);
		b = xcalloc(1, sizeof *b);
		b->table = xstrdup(table);
		b->key = key;
		keymap_list[keymap_count++] = b;
	} else {
		free(b->note);
		for (i = 0; i < b->argc; i++)
			free(b->argv[i]);
		free(b->argv);
	}
	b->note = note != NULL ? xstrdup(note) : NULL;
	b->argc = argc;
	b->argv = xcalloc(argc + 1, sizeof *b->argv);
	for (i = 0; i < argc; i++)
		b->argv[i] = xstrdup(argv[i]);
	b->user = !keymap_loading;
}

static int
keymap_check_table(const char *cmd, const char *table, char **cause)
{
	const char	*p;

	if (*table == '\0')
		goto bad;
	for (p = table; *p != '\0'; p++) {
		if ((*p < 'a' || *p > 'z') && (*p < '0' || *p > '9') &&
		    *p != '-' && *p != '_')
			goto bad;
	}
	return 0;
bad:
	xasprintf(cause, "%s: bad table name: %s", cmd, table);
	return -1;
}

/*
 * Flags before the key: -N NOTE, -T TABLE, -a (unbind only), "--" ends them.
 * A lone "-" is a key. Returns the index of the first operand, or -1.
 */
static int
keymap_flags(int argc, char **argv, const char **note, const char **table,
    int *all, char **cause)
{
	const char	*a, *val;
	int		 i;

	for (i = 1; i < argc; i++) {
		a = argv[i];
		if (a[0] != '-' || a[1] == '\0')
			break;
		if (strcmp(a, "--") == 0)
			return i + 1;
		if (a[1] == 'a' && a[2] == '\0' && all != NULL) {
			*all = 1;
			continue;
		}
		if ((a[1] == 'N' && note != NULL) || a[1] == 'T') {
			if (a[2] != '\0')
				val = a + 2;
			else if (i + 1 < argc)
				val = argv[++i];
			else {
				xasprintf(cause, "%s: -%c needs an argument",
				    argv[0], a[1]);
				return -1;
			}
			if (a[1] == 'N')
				*note = val;
			else
				*table = val;
			continue;
		}
		xasprintf(cause, "%s: unknown flag: %s", argv[0], a);
		return -1;
	}
	return i;
}

/* bind [-N note] [-T table] KEY COMMAND [ARGS...] */
static int
keymap_cmd_bind(int argc, char **argv, void *arg, char **cause)
{
	const char	*note = NULL, *table = KEYMAP_TABLE_NORMAL;
	int		 i, key;

	(void)arg;
	if ((i = keymap_flags(argc, argv, &note, &table, NULL, cause)) == -1)
		return -1;
	if (argc - i < 2) {
		xasprintf(cause, "usage: bind [-N note] [-T table] KEY COMMAND "
		    "[ARGS...]");
		return -1;
	}
	if (keymap_check_table("bind", table, cause) != 0)
		return -1;
	if ((key = keymap_key_parse(argv[i])) == KEYMAP_KEY_NONE) {
		xasprintf(cause, "bind: unknown key: %s", argv[i]);
		return -1;
	}
	if (*argv[i + 1] == '\0') {
		xasprintf(cause, "bind: empty command");
		return -1;
	}
	if (ui_command_check(argc - i - 1, argv + i + 1, cause) != 0)
		return -1;
	keymap_set(table, key, note, argc - i - 1, argv + i + 1);
	return 0;
}

/* unbind [-a] [-T table] [KEY] */
static int
keymap_cmd_unbind(int argc, char **argv, void *arg, char **cause)
{
	struct keymap_binding	*b;
	const char		*table = KEYMAP_TABLE_NORMAL;
	size_t			 j;
	int			 i, key, all = 0;

	(void)arg;
	if ((i = keymap_flags(argc, argv, NULL, &table, &all, cause)) == -1)
		return -1;
	if (keymap_check_table("unbind", table, cause) != 0)
		return -1;
	if (all ? argc != i : argc - i != 1) {
		xasprintf(cause, "usage: unbind [-a] [-T table] [KEY]");
		return -1;
	}
	if (all) {
		for (j = keymap_count; j > 0; j--) {
			b = keymap_list[j - 1];
			if (strcmp(b->table, table) == 0 &&
			    (!keymap_loading || !b->user))
				keymap_remove_at(j - 1);
		}
		if (!keymap_loading)
			keymap_set(table, KEYMAP_KEY_ALL, NULL, 0, NULL);
		return 0;
	}
	if ((key = keymap_key_parse(argv[i])) == KEYMAP_KEY_NONE) {
		xasprintf(cause, "unbind: unknown key: %s", argv[i]);
		return -1;
	}
	if (!keymap_loading) {
		keymap_set(table, key, NULL, 0, NULL);
		return 0;
	}
	for (j = 0; j < keymap_count; j++) {
		b = keymap_list[j];
		if (b->key == key && strcmp(b->table, table) == 0 && !b->user) {
			keymap_remove_at(j);
			break;
		}
	}
	return 0;
}

void
keymap_register(void)
{
	static const struct cmd_entry	 entries[] = {
		{ "bind", "bind [-N note] [-T table] KEY COMMAND [ARGS...]",
		  2, -1, keymap_cmd_bind, NULL },
		{ "unbind", "unbind [-a] [-T table] [KEY]",
		  1, -1, keymap_cmd_unbind, NULL },
	};
	size_t				 i;

	for (i = 0; i < nitems(entries); i++)
		cmdparse_register(&entries[i]);
}

int
keymap_load(const char *name, const char *datadir, char **cause)
{
	size_t	 j;
	char	*path;
	int	 rc;

	if (name == NULL)
		name = "default";
	for (j = keymap_count; j > 0; j--) {
		if (!keymap_list[j - 1]->user)
			keymap_remove_at(j - 1);
	}
	if (strchr(name, '/') != NULL)
		path = xstrdup(name);
	else
		xasprintf(&path, "%s/keymaps/%s.keys", datadir, name);
	keymap_loading = 1;
	if (access(path, R_OK) == 0)
		rc = cmdparse_file(path, cause);
	else if (strcmp(name, "default") == 0) {
		rc = cmdparse_string(keymap_default_text,
		    "default.keys (built in)", cause);
	} else {
		xasprintf(cause, "keymap not found: %s (no %s)", name, path);
		rc = -1;
	}
	keymap_loading = 0;
	free(path);
	return rc;
}

const struct keymap_binding *
keymap_lookup(const char *table, int key)
{
	struct keymap_binding	*b;

	b = keymap_find(table, key);
	if (b == NULL || b->argc == 0)
		return NULL;
	return b;
}

const struct keymap_binding *
keymap_binding(size_t i)
{
	size_t	 j;

	for (j = 0; j < keymap_count; j++) {
		if (keymap_list[j]->argc == 0)
			continue;
		if (i-- == 0)
			return keymap_list[j];
	}
	return NULL;
}

/* Two bindings that do the same thing (one help line). */
static int
keymap_same(const struct keymap_binding *a, const struct keymap_binding *b)
{
	int	 i;

	if (strcmp(a->table, b->table) != 0 || a->argc != b->argc)
		return 0;
	if ((a->note == NULL) != (b->note == NULL))
		return 0;
	if (a->note != NULL && strcmp(a->note, b->note) != 0)
		return 0;
	for (i = 0; i < a->argc; i++) {
		if (strcmp(a->argv[i], b->argv[i]) != 0)
			return 0;
	}
	return 1;
}

/* Append to a fixed buffer, cutting what does not fit. */
static void
keymap_cat(char *buf, const char *add, size_t size)
{
	size_t	 used = strlen(buf);

	if (used + 1 < size)
		snprintf(buf + used, size - used, "%s", add);
}

/* Append to a growing string. */
static void
keymap_append(char **s, size_t *len, const char *add)
{
	size_t	 n = strlen(add);

	*s = xrealloc(*s, *len + n + 1);
	memcpy(*s + *len, add, n + 1);
	*len += n;
}

/* The help lines of one table. */
static void
keymap_help_table(const char *table, char **s, size_t *len)
{
	const struct keymap_binding *b, *o;
	char		 keys[256], name[32], line[1024], what[512];
	size_t		 i, j, k, n = 0;
	unsigned char	*done;
	const char	*why;
	int		 w;

	while (keymap_binding(n) != NULL)
		n++;
	done = xcalloc(n + 1, 1);
	for (i = 0; i < n; i++) {
		b = keymap_binding(i);
		if (done[i] || strcmp(b->table, table) != 0)
			continue;
		keys[0] = '\0';
		for (j = i; j < n; j++) {
			o = keymap_binding(j);
			if (done[j] || !keymap_same(b, o))
				continue;
			done[j] = 1;
			keymap_key_name(o->key, name, sizeof name);
			if (keys[0] != '\0')
				keymap_cat(keys, " ", sizeof keys);
			keymap_cat(keys, name, sizeof keys);
		}
		if (b->note != NULL)
			snprintf(what, sizeof what, "%s", b->note);
		else {
			what[0] = '\0';
			for (k = 0; k < (size_t)b->argc; k++) {
				if (k > 0)
					keymap_cat(what, " ", sizeof what);
				keymap_cat(what, b->argv[k], sizeof what);
			}
		}
		w = draw_width(keys, 0);
		why = keymap_unavailable != NULL ?
		    keymap_unavailable(b->argc, b->argv) : NULL;
		snprintf(line, sizeof line, "  %s%*s  %s%s\n", keys,
		    w < 14 ? 14 - w : 0, "", why != NULL ? KEYMAP_UNAVAILABLE
		    " " : "", what);
		keymap_append(s, len, line);
	}
	free(done);
}

char *
keymap_help_text(void)
{
	const struct keymap_binding *b;
	char		*s = xstrdup(""), line[128];
	size_t		 len = 0, i, j;
	int		 seen;

	keymap_help_table(KEYMAP_TABLE_NORMAL, &s, &len);
	for (i = 0; (b = keymap_binding(i)) != NULL; i++) {
		if (strcmp(b->table, KEYMAP_TABLE_NORMAL) == 0)
			continue;
		seen = 0;
		for (j = 0; j < i; j++) {
			if (strcmp(keymap_binding(j)->table, b->table) == 0)
				seen = 1;
		}
		if (seen)
			continue;
		snprintf(line, sizeof line, "\nKeys in table %s:\n", b->table);
		keymap_append(&s, &len, line);
		keymap_help_table(b->table, &s, &len);
	}
	return s;
}

void
keymap_free(void)
{
	while (keymap_count > 0)
		keymap_remove_at(keymap_count - 1);
	free(keymap_list);
	keymap_list = NULL;
	keymap_loading = 0;
}
