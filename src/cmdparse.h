/* cmdparse.h: the one command language of config files, keymaps, themes,
 * the ':' palette and 'warroom do' (tmux-like): a file is a list of
 * commands, one per line, words split with shell-like quoting. */
#ifndef WARROOM_CMDPARSE_H
#define WARROOM_CMDPARSE_H

/*
 * A command handler. argv[0] is the command name. Return 0, or -1 and a new
 * *cause (without the file:line prefix, which cmdparse adds).
 */
typedef int (*cmd_fn)(int argc, char **argv, void *arg, char **cause);

struct cmd_entry {
	const char	*name;
	const char	*usage;		/* "threshold METRIC warn=N crit=N" */
	int		 min_args;	/* not counting argv[0] */
	int		 max_args;	/* -1 = any */
	cmd_fn		 fn;
	void		*arg;
};

/* Register a command for cmdparse_* to dispatch (the table is global, the
 * entry is copied). Registering a name twice replaces it. */
void	 cmdparse_register(const struct cmd_entry *);
void	 cmdparse_reset(void);

/*
 * Split one line into words: whitespace separates; '...' is literal; "..."
 * allows \" \\ \n \t and $VAR / ${VAR}; a backslash outside quotes escapes
 * the next character; '#' at the start of a word begins a comment; a
 * leading ~/ expands to $HOME. Returns 0 and a new NULL-terminated *argv
 * (free with cmdparse_free_argv), or -1 and a new *cause.
 */
int	 cmdparse_split(const char *line, int *argc, char ***argv, char **cause);
void	 cmdparse_free_argv(int argc, char **argv);

/* Run every line of text. name is used in errors ("name:line: ..."). A line
 * ending in '\' continues on the next. 'source-file PATH' (and -q to ignore a
 * missing file) is handled here, nested at most 10 deep. Stops at the first
 * error: returns -1 and a new *cause "file:line: message". */
int	 cmdparse_string(const char *text, const char *name, char **cause);
int	 cmdparse_file(const char *path, char **cause);
/* Run one already-split command through the registered table. */
int	 cmdparse_exec(int argc, char **argv, char **cause);

#endif
