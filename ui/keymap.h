/* keymap.h: key names and key tables, filled by 'bind' and 'unbind' lines
 * in keymaps/NAME.keys and the user's config (tmux key-string.c and
 * key-bindings.c, in miniature). */
#ifndef WARROOM_KEYMAP_H
#define WARROOM_KEYMAP_H

#include <stddef.h>

/* A key: a Unicode code point (controls are C-x, 13 is Enter, 27 Escape, 9
 * Tab), or KEYMAP_KEY_CURSES | a curses KEY_* code. */
#define KEYMAP_KEY_CURSES	0x01000000
#define KEYMAP_KEY_NONE		(-1)
#define KEYMAP_KEY_ENTER	13
#define KEYMAP_KEY_ESCAPE	27

/* The table keys are looked up in while no prompt is open. */
#define KEYMAP_TABLE_NORMAL	"normal"

struct keymap_binding {
	char		*table;		/* "normal" unless -T */
	int		 key;
	char		*note;		/* -N text, or NULL */
	int		 argc;		/* command and arguments */
	char		**argv;
	int		 user;		/* from the user's config, not a keymap file */
};

/* The compiled-in default keymap: keymaps/default.keys itself, made into C
 * by ui/embed.sh at build time (ui/embedded.c). */
extern const char keymap_default_text[];

/* "C-l", "PageUp", "q" to a key; KEYMAP_KEY_NONE if not a key name. */
int	 keymap_key_parse(const char *);
/* The canonical name of a key into buf; returns buf. */
const char *keymap_key_name(int key, char *buf, size_t len);
/* A key from wget_wch's return value and character (curses' Enter, Home
 * and End variants folded together). */
int	 keymap_key_from_curses(int rc, unsigned int wch);

/* Register 'bind' and 'unbind'. */
void	 keymap_register(void);
/*
 * Load the named keymap (NULL = default; a name with '/' is a path, else
 * DATADIR/keymaps/NAME.keys; "default" falls back to the compiled-in text).
 * Bindings made by the user's config survive. Returns 0, or -1 and a new
 * *cause "file:line: ...".
 */
int	 keymap_load(const char *name, const char *datadir, char **cause);
/* The binding of key in table (borrowed; valid until the next bind). */
const struct keymap_binding *keymap_lookup(const char *table, int key);
/* The i-th live binding, in the order they were made, or NULL at the end. */
const struct keymap_binding *keymap_binding(size_t i);
/*
 * The help text: one line per command and note, the keys that run it, then
 * the note ("  j Down          Select the next row"); tables other than
 * normal under their own heading. New string.
 */
/* Why a bound command can't run now (read-only mode), or NULL: help shows
 * such bindings greyed, with the reason. Set by the ui. */
extern const char *(*keymap_unavailable)(int argc, char **argv);
#define KEYMAP_UNAVAILABLE	"[off]"	/* before such a binding's note */
char	*keymap_help_text(void);
void	 keymap_free(void);

#endif
