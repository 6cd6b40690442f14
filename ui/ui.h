/* ui.h: the screen. Only ui/ draws, and ui/ only reads the model; this
 * header is the whole surface src/ sees (no curses types leak out). */
#ifndef WARROOM_UI_H
#define WARROOM_UI_H

struct model;

struct ui_opts {
	const char	*theme;		/* theme name or path, NULL = dark */
	const char	*keymap;	/* keymap name or path, NULL = default */
	const char	*datadir;	/* where themes/ and keymaps/ live */
	int		 wall;		/* war-room wall mode: large, read-only */
	int		 ascii;		/* force ASCII borders */
};

/* Register the ui's config commands (bind, unbind, style) with cmdparse.
 * Call before loading any config. */
void	 ui_register_commands(void);

/* Load the theme and keymap named in opts (files in the command grammar;
 * falling back to the compiled-in defaults). Returns 0, or -1 and a new
 * *cause "file:line: ...". Needs no terminal. */
int	 ui_load(const struct ui_opts *, char **cause);

/* Take over the terminal. Returns 0, or -1 and a new *cause. */
int	 ui_start(struct model *, const struct ui_opts *, char **cause);
/* Give the terminal back (idempotent; safe from the fatal hook). */
void	 ui_stop(void);
/* Once a second: the wall screen takes its turns. */
void	 ui_tick(struct model *, time_t now);
/* Redraw what is dirty, then update the terminal once. */
void	 ui_redraw(struct model *);
/* Read all pending keys. Returns 1 when the user asked to quit. */
int	 ui_input(struct model *);
/* The terminal may have changed size (SIGWINCH; ui_input also handles
 * curses' KEY_RESIZE): read its size, lay out and redraw everything. */
void	 ui_resize(struct model *);
/* Give the terminal back and free everything the ui holds (screen, rows,
 * keymap and theme tables). */
void	 ui_free(void);

/* For tests: the help text generated from the bindings (new string). */
char	*ui_help_text(void);

/* The object a key acts on: the selected row of the focused list. The
 * strings are borrowed and valid only during the call. */
struct ui_target {
	const char	*kind;		/* "deployment", "pod", or NULL: none */
	const char	*ns;
	const char	*name;
};

/*
 * Bound commands that are not the ui's own (rollback, scale, ...) go here;
 * the action layer sets it. Return 0, or -1 and a new *cause, which the ui
 * shows in the message line. While NULL the ui says "unknown command: X".
 */
extern int (*ui_action_hook)(struct model *, int argc, char **argv,
	    const struct ui_target *, char **cause);

/* The refresh command (C-r) asks the sources to fetch everything again
 * through this hook, which main sets; NULL only redraws. */
extern void (*ui_refresh_hook)(void);

/* Show a message in the bottom line until the next key (copied and
 * sanitized; error = 1 shows it as an error). */
void	 ui_message(int error, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

/*
 * Ask before an action: preview on the status line, and "Apply? [y/N]"
 * (y answers "y"; Enter, Escape, n and anything else cancel) or, when
 * type_name is set, "Type the deployment name to confirm:" (Enter answers
 * what was typed, Escape cancels) in the bottom line. The strings are
 * copied. answer is called once with the text ("" when cancelled), after
 * the prompt has closed; a question asked while another is open is
 * cancelled at once.
 */
void	 ui_confirm(const char *preview, const char *type_name,
	    void (*answer)(void *arg, const char *text), void *arg);
/* Choose one of n rows in a box over the screen (the revision picker):
 * title in its frame, header above the rows, row sel selected first. Enter
 * answers the row's index, Escape or q answers -1, after the box has
 * closed. The strings are copied and sanitized. */
void	 ui_pick(const char *title, const char *header, char *const *rows,
	    int n, int sel, void (*answer)(void *arg, int i), void *arg);
/* Ask for a line of text in the bottom line, the same way, with preview
 * (or NULL) on the status line: Enter answers what was typed, Escape
 * answers "". */
void	 ui_ask(const char *preview, const char *prompt,
	    void (*answer)(void *arg, const char *text), void *arg);

#endif
