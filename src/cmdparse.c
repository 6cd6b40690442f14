/* cmdparse.c: the command language shared by config files, keymaps, themes,
 * the ':' palette and 'warroom do': a lexer that splits lines into words, a
 * global table of commands, and the file reader behind source-file. */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmdparse.h"
#include "warroom.h"

#define CMDPARSE_MAX_DEPTH	10		/* source-file nesting */
#define CMDPARSE_MAX_FILE	(1024 * 1024)	/* bytes in one file */

/* A growing string for the word being lexed. */
struct cmdparse_buf {
	char		*s;
	size_t		 len;
	size_t		 cap;
};

/* Where the commands being run come from; a stack through parent. */
struct cmdparse_ctx {
	const char		*name;	/* "file" in "file:line: " */
	char			*dir;	/* for relative source-file, NULL = cwd */
	int			 depth;	/* 0 for the outermost text */
	struct cmdparse_ctx	*parent;
};

static struct cmd_entry		*cmdparse_table;	/* registered commands */
static size_t			 cmdparse_ntable;
static struct cmdparse_ctx	*cmdparse_ctx;		/* innermost, or NULL */

static int	cmdparse_run(const char *, const char *, const char *, int,
		    char **);

static void
cmdparse_buf_add(struct cmdparse_buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		while (b->len + n + 1 > b->cap)
			b->cap = b->cap == 0 ? 64 : b->cap * 2;
		b->s = xrealloc(b->s, b->cap);
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

static int
cmdparse_is_name_start(int ch)
{
	return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
	    ch == '_';
}

static int
cmdparse_is_name(int ch)
{
	return cmdparse_is_name_start(ch) || (ch >= '0' && ch <= '9');
}

static int
cmdparse_is_space(int ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\v' ||
	    ch == '\f';
}

/* Length of the line ending at p ("\n" or "\r\n"), or 0 if none is there. */
static size_t
cmdparse_newline(const char *p)
{
	if (p[0] == '\n')
		return 1;
	if (p[0] == '\r' && p[1] == '\n')
		return 2;
	return 0;
}

/* The home directory for ~, or NULL. */
static const char *
cmdparse_home(void)
{
	const char	*home;
	struct passwd	*pw;

	if ((home = getenv("HOME")) != NULL && *home != '\0')
		return home;
	if ((pw = getpwuid(getuid())) != NULL && pw->pw_dir != NULL)
		return pw->pw_dir;
	return NULL;
}

/*
 * Expand $NAME or ${NAME} at *pp (which points at the '$') into b. A '$'
 * not followed by a name is literal. An unset variable expands to nothing.
 */
static int
cmdparse_expand(const char **pp, struct cmdparse_buf *b, char **cause)
{
	const char	*p = *pp + 1, *start, *value;
	char		*name;
	int		 braced = 0;

	if (*p == '{') {
		braced = 1;
		p++;
	}
	start = p;
	if (cmdparse_is_name_start((unsigned char)*p)) {
		while (cmdparse_is_name((unsigned char)*p))
			p++;
	}
	if (braced) {
		if (*p != '}') {
			if (*p == '\0' || cmdparse_newline(p) != 0)
				xasprintf(cause, "missing closing } after ${");
			else
				xasprintf(cause, "bad variable name in ${...}");
			return -1;
		}
		if (p == start) {
			xasprintf(cause, "empty variable name in ${}");
			return -1;
		}
	} else if (p == start) {
		cmdparse_buf_add(b, "$", 1);
		*pp += 1;
		return 0;
	}
	name = xstrndup(start, p - start);
	if ((value = getenv(name)) != NULL)
		cmdparse_buf_add(b, value, strlen(value));
	free(name);
	*pp = braced ? p + 1 : p;
	return 0;
}

static void
cmdparse_push(int *argc, char ***argv, struct cmdparse_buf *b)
{
	*argv = xreallocarray(*argv, *argc + 2, sizeof **argv);
	(*argv)[(*argc)++] = xstrndup(b->s != NULL ? b->s : "", b->len);
	(*argv)[*argc] = NULL;
	b->len = 0;
}

/*
 * Lex one command from *pp: up to an unquoted newline (consumed) or the end
 * of the text. A backslash before a newline joins the next line; *line is
 * advanced past every newline consumed. Returns 0 and a new argv (argc may
 * be 0 for a blank line or a comment), or -1 and a new *cause; *line is
 * then the line where the error is.
 */
static int
cmdparse_lex(const char **pp, size_t *line, int *argcp, char ***argvp,
    char **cause)
{
	const char		*p = *pp;
	struct cmdparse_buf	 b = { NULL, 0, 0 };
	const char		*home;
	char			**argv = NULL;
	int			 argc = 0, inword = 0;
	size_t			 nl;
	char			 ch;

	argv = xcalloc(1, sizeof *argv);
	for (;;) {
		ch = *p;
		if (ch == '\0')
			break;
		if ((nl = cmdparse_newline(p)) != 0) {
			p += nl;
			(*line)++;
			break;
		}
		if (cmdparse_is_space((unsigned char)ch)) {
			if (inword)
				cmdparse_push(&argc, &argv, &b);
			inword = 0;
			p++;
			continue;
		}
		if (ch == '#' && !inword) {
			while (*p != '\0' && cmdparse_newline(p) == 0)
				p++;
			continue;
		}
		if (ch == '\\') {
			if ((nl = cmdparse_newline(p + 1)) != 0) {
				p += 1 + nl;
				(*line)++;
				continue;
			}
			if (p[1] == '\0') {
				xasprintf(cause, "trailing backslash");
				goto fail;
			}
			cmdparse_buf_add(&b, p + 1, 1);
			inword = 1;
			p += 2;
			continue;
		}
		if (ch == '\'') {
			inword = 1;
			for (p++; *p != '\''; p++) {
				if (*p == '\0' || *p == '\n') {
					xasprintf(cause, "missing closing '");
					goto fail;
				}
				cmdparse_buf_add(&b, p, 1);
			}
			p++;
			continue;
		}
		if (ch == '"') {
			inword = 1;
			for (p++; *p != '"';) {
				if (*p == '\0' || *p == '\n') {
					xasprintf(cause, "missing closing \"");
					goto fail;
				}
				if (*p == '$') {
					if (cmdparse_expand(&p, &b, cause) != 0)
						goto fail;
					continue;
				}
				if (*p != '\\') {
					cmdparse_buf_add(&b, p++, 1);
					continue;
				}
				if ((nl = cmdparse_newline(p + 1)) != 0) {
					p += 1 + nl;
					(*line)++;
					continue;
				}
				switch (p[1]) {
				case '"':
				case '\\':
				case '$':
					cmdparse_buf_add(&b, p + 1, 1);
					p += 2;
					break;
				case 'n':
					cmdparse_buf_add(&b, "\n", 1);
					p += 2;
					break;
				case 't':
					cmdparse_buf_add(&b, "\t", 1);
					p += 2;
					break;
				default:
					cmdparse_buf_add(&b, "\\", 1);
					p++;
					break;
				}
			}
			p++;
			continue;
		}
		if (ch == '$') {
			if (cmdparse_expand(&p, &b, cause) != 0)
				goto fail;
			if (b.len != 0)
				inword = 1;
			continue;
		}
		if (ch == '~' && !inword && (p[1] == '/' || p[1] == '\0' ||
		    cmdparse_is_space((unsigned char)p[1]) ||
		    cmdparse_newline(p + 1) != 0) &&
		    (home = cmdparse_home()) != NULL) {
			cmdparse_buf_add(&b, home, strlen(home));
			inword = 1;
			p++;
			continue;
		}
		cmdparse_buf_add(&b, p++, 1);
		inword = 1;
	}
	if (inword)
		cmdparse_push(&argc, &argv, &b);
	free(b.s);
	*pp = p;
	*argcp = argc;
	*argvp = argv;
	return 0;

fail:
	free(b.s);
	cmdparse_free_argv(argc, argv);
	return -1;
}

/*
 * Split one line into words (see cmdparse.h for the grammar). $VAR outside
 * quotes is expanded too; an expanded value is never split again. Returns 0
 * and a new NULL-terminated *argv that the caller frees with
 * cmdparse_free_argv (argc is 0 for a blank line or a comment), or -1 and a
 * new *cause the caller frees.
 */
int
cmdparse_split(const char *line, int *argc, char ***argv, char **cause)
{
	const char	*p = line;
	size_t		 n = 1;

	*argc = 0;
	*argv = NULL;
	if (cmdparse_lex(&p, &n, argc, argv, cause) != 0)
		return -1;
	while (*p != '\0' && (cmdparse_is_space((unsigned char)*p) ||
	    *p == '\n'))
		p++;
	if (*p != '\0') {
		cmdparse_free_argv(*argc, *argv);
		*argc = 0;
		*argv = NULL;
		xasprintf(cause, "unexpected newline");
		return -1;
	}
	return 0;
}

/* Free an argv from cmdparse_split; argv may be NULL. */
void
cmdparse_free_argv(int argc, char **argv)
{
	int	 i;

	if (argv == NULL)
		return;
	for (i = 0; i < argc; i++)
		free(argv[i]);
	free(argv);
}

static struct cmd_entry *
cmdparse_find(const char *name)
{
	size_t	 i;

	for (i = 0; i < cmdparse_ntable; i++) {
		if (strcmp(cmdparse_table[i].name, name) == 0)
			return &cmdparse_table[i];
	}
	return NULL;
}

/*
 * Add a command to the global table. The entry and its name and usage
 * strings are copied; fn and arg are kept as given. A second entry with
 * the same name replaces the first.
 */
void
cmdparse_register(const struct cmd_entry *entry)
{
	struct cmd_entry	*ce;

	if ((ce = cmdparse_find(entry->name)) != NULL) {
		free((char *)ce->name);
		free((char *)ce->usage);
	} else {
		cmdparse_table = xreallocarray(cmdparse_table,
		    cmdparse_ntable + 1, sizeof *cmdparse_table);
		ce = &cmdparse_table[cmdparse_ntable++];
	}
	*ce = *entry;
	ce->name = xstrdup(entry->name);
	ce->usage = xstrdup(entry->usage != NULL ? entry->usage : entry->name);
}

/* Forget every registered command and free the table. */
void
cmdparse_reset(void)
{
	size_t	 i;

	for (i = 0; i < cmdparse_ntable; i++) {
		free((char *)cmdparse_table[i].name);
		free((char *)cmdparse_table[i].usage);
	}
	free(cmdparse_table);
	cmdparse_table = NULL;
	cmdparse_ntable = 0;
}

/*
 * Read a whole file of at most CMDPARSE_MAX_FILE bytes into a new
 * NUL-terminated buffer the caller frees. Returns NULL with errno set on
 * failure (EFBIG if the file is too large).
 */
static char *
cmdparse_read(const char *path, size_t *lenp)
{
	char	*buf;
	size_t	 len = 0, cap = 8192;
	ssize_t	 n;
	int	 fd, saved;

	if ((fd = open(path, O_RDONLY|O_CLOEXEC)) == -1)
		return NULL;
	buf = xmalloc(cap);
	for (;;) {
		if (len + 1 >= cap) {
			cap *= 2;
			buf = xrealloc(buf, cap);
		}
		n = read(fd, buf + len, cap - len - 1);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			goto fail;
		}
		if (n == 0)
			break;
		len += n;
		if (len > CMDPARSE_MAX_FILE) {
			errno = EFBIG;
			goto fail;
		}
	}
	close(fd);
	buf[len] = '\0';
	*lenp = len;
	return buf;

fail:
	saved = errno;
	free(buf);
	close(fd);
	errno = saved;
	return NULL;
}

/* A new copy of the directory part of path, or NULL for the cwd. */
static char *
cmdparse_dirname(const char *path)
{
	const char	*slash;

	if ((slash = strrchr(path, '/')) == NULL)
		return NULL;
	if (slash == path)
		return xstrdup("/");
	return xstrndup(path, slash - path);
}

/*
 * Run a file. On failure *cause is complete: "file:line: ..." for an error
 * inside it, or "cannot read PATH: reason" (without a location, which the
 * caller adds) if it cannot be read; *located says which.
 */
static int
cmdparse_run_file(const char *path, int quiet, int depth, char **cause,
    int *located)
{
	char		*text, *dir, *nul, *cp;
	const char	*reason;
	size_t		 len, line;
	int		 retval;

	*located = 0;
	if ((text = cmdparse_read(path, &len)) == NULL) {
		if (quiet && errno == ENOENT)
			return 0;
		if (errno == EFBIG)
			reason = "file is larger than 1 MiB";
		else
			reason = strerror(errno);
		xasprintf(cause, "cannot read %s: %s", path, reason);
		return -1;
	}
	if ((nul = memchr(text, '\0', len)) != NULL) {
		line = 1;
		for (cp = text; cp < nul; cp++) {
			if (*cp == '\n')
				line++;
		}
		xasprintf(cause, "%s:%zu: NUL byte in file", path, line);
		free(text);
		*located = 1;
		return -1;
	}
	dir = cmdparse_dirname(path);
	/* A UTF-8 byte order mark from some editors is not a command. */
	retval = cmdparse_run(strncmp(text, "\xef\xbb\xbf", 3) == 0 ?
	    text + 3 : text, path, dir, depth, cause);
	free(dir);
	free(text);
	*located = 1;
	return retval;
}

/* source-file [-q] PATH, relative to the directory of the current file. */
static int
cmdparse_source_file(int argc, char **argv, char **cause, int *located)
{
	struct cmdparse_ctx	*ctx = cmdparse_ctx;
	const char		*arg;
	char			*path;
	int			 quiet = 0, i = 1, depth, retval;

	*located = 0;
	if (i < argc && strcmp(argv[i], "-q") == 0) {
		quiet = 1;
		i++;
	} else if (i < argc && strcmp(argv[i], "--") == 0)
		i++;
	if (argc - i != 1 || (argv[i][0] == '-' && argv[i][1] != '\0')) {
		xasprintf(cause, "usage: source-file [-q] PATH");
		return -1;
	}
	arg = argv[i];
	depth = ctx != NULL ? ctx->depth + 1 : 1;
	if (depth > CMDPARSE_MAX_DEPTH) {
		xasprintf(cause, "source-file: nested too deeply (limit %d)",
		    CMDPARSE_MAX_DEPTH);
		return -1;
	}
	if (arg[0] != '/' && ctx != NULL && ctx->dir != NULL)
		xasprintf(&path, "%s/%s", ctx->dir, arg);
	else
		path = xstrdup(arg);
	retval = cmdparse_run_file(path, quiet, depth, cause, located);
	free(path);
	return retval;
}

/* Run one command; *located is set if *cause already names file:line. */
static int
cmdparse_exec_located(int argc, char **argv, char **cause, int *located)
{
	struct cmd_entry	*ce;
	char			*name;
	int			 n = argc - 1;

	*located = 0;
	if (argc == 0)
		return 0;
	if (strcmp(argv[0], "source-file") == 0)
		return cmdparse_source_file(argc, argv, cause, located);
	if ((ce = cmdparse_find(argv[0])) == NULL) {
		name = sanitize(argv[0]);
		xasprintf(cause, "unknown command \"%s\"", name);
		free(name);
		return -1;
	}
	if (n < ce->min_args || (ce->max_args >= 0 && n > ce->max_args)) {
		xasprintf(cause, "usage: %s", ce->usage);
		return -1;
	}
	*cause = NULL;
	if (ce->fn(argc, argv, ce->arg, cause) != 0) {
		/* Not ce->name: the handler may have changed the table. */
		if (*cause == NULL)
			xasprintf(cause, "%s failed", argv[0]);
		return -1;
	}
	free(*cause);
	*cause = NULL;
	return 0;
}

/*
 * Run one already-split command: source-file, or a registered command
 * whose argument count is checked against its min_args and max_args first
 * (a mismatch gives "usage: ..."). Returns 0, or -1 and a new *cause.
 */
int
cmdparse_exec(int argc, char **argv, char **cause)
{
	int	 located;

	return cmdparse_exec_located(argc, argv, cause, &located);
}

/* Run every command of text, named name, at the given nesting depth. */
static int
cmdparse_run(const char *text, const char *name, const char *dir, int depth,
    char **cause)
{
	struct cmdparse_ctx	 ctx;
	const char		*p = text;
	char			**argv, *error;
	size_t			 line = 1, start;
	int			 argc, located, retval = 0;

	ctx.name = name;
	ctx.dir = dir != NULL ? xstrdup(dir) : NULL;
	ctx.depth = depth;
	ctx.parent = cmdparse_ctx;
	cmdparse_ctx = &ctx;

	while (*p != '\0') {
		start = line;
		if (cmdparse_lex(&p, &line, &argc, &argv, &error) != 0) {
			xasprintf(cause, "%s:%zu: %s", name, line, error);
			free(error);
			retval = -1;
			break;
		}
		error = NULL;
		if (cmdparse_exec_located(argc, argv, &error, &located) != 0) {
			if (located)
				*cause = error;
			else {
				xasprintf(cause, "%s:%zu: %s", name, start,
				    error);
				free(error);
			}
			retval = -1;
		}
		cmdparse_free_argv(argc, argv);
		if (retval != 0)
			break;
	}

	cmdparse_ctx = ctx.parent;
	free(ctx.dir);
	return retval;
}

/*
 * Run every command in text; name stands for the file in errors. Relative
 * source-file paths are taken from the current directory. Stops at the
 * first error: returns -1 and a new *cause "name:line: message" (the
 * location is that of the innermost sourced file), else 0.
 */
int
cmdparse_string(const char *text, const char *name, char **cause)
{
	int	 depth = cmdparse_ctx != NULL ? cmdparse_ctx->depth + 1 : 0;

	if (depth > CMDPARSE_MAX_DEPTH) {
		xasprintf(cause, "%s: nested too deeply (limit %d)", name,
		    CMDPARSE_MAX_DEPTH);
		return -1;
	}
	return cmdparse_run(text, name, NULL, depth, cause);
}

/*
 * Run every command in the file at path (at most 1 MiB; CRLF line ends are
 * fine). Relative source-file paths inside it are taken from its directory.
 * Returns 0, or -1 and a new *cause: "path:line: message", or "cannot read
 * path: reason".
 */
int
cmdparse_file(const char *path, char **cause)
{
	int	 located;
	int	 depth = cmdparse_ctx != NULL ? cmdparse_ctx->depth + 1 : 0;

	if (depth > CMDPARSE_MAX_DEPTH) {
		xasprintf(cause, "%s: nested too deeply (limit %d)", path,
		    CMDPARSE_MAX_DEPTH);
		return -1;
	}
	return cmdparse_run_file(path, 0, depth, cause, &located);
}
