/* warroom.h: basics every file may use: allocation that never returns NULL,
 * logging to a file, and the fatal path that restores the terminal first. */
#ifndef WARROOM_H
#define WARROOM_H

#include <stdarg.h>
#include <stddef.h>
#include <time.h>

#define WARROOM_PRINTF(a, b) __attribute__((format(printf, a, b)))
#define WARROOM_NORETURN __attribute__((noreturn))
#define nitems(a) (sizeof (a) / sizeof (a)[0])

/* xmalloc.c: out of memory is fatal. Returned memory is the caller's. */
void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xrealloc(void *, size_t);
void	*xreallocarray(void *, size_t, size_t);
char	*xstrdup(const char *);
char	*xstrndup(const char *, size_t);
int	 xasprintf(char **, const char *, ...) WARROOM_PRINTF(2, 3);
int	 xvasprintf(char **, const char *, va_list);
/* Replace *dst with a copy of src (or NULL); frees the old value. */
void	 xstrset(char **dst, const char *src);

/* log.c: debug log, off unless log_open() was called (-v / WARROOM_LOG).
 * log_open refuses (-1, *cause the caller's to free) a symlink, a file not
 * ours or one with group or other bits; it creates a new one 0600. */
int	 log_open(const char *path, char **cause);
void	 log_close(void);
void	 log_debug(const char *, ...) WARROOM_PRINTF(1, 2);
void	 log_warn(const char *, ...) WARROOM_PRINTF(1, 2);

/* Bugs and out-of-memory: run the hook (which ends curses), print, exit 70. */
extern void (*fatal_hook)(void);
void	 fatal(const char *, ...) WARROOM_PRINTF(1, 2) WARROOM_NORETURN;

/* sanitize.c: make an external string safe for a terminal. Control bytes,
 * escape sequences and invalid UTF-8 are shown as visible escapes (\x1b, ?),
 * never sent. Returns a new string the caller frees. */
char	*sanitize(const char *s);
/* Same, into a caller buffer of size n (always NUL-terminated); returns len. */
size_t	 sanitize_into(char *dst, size_t n, const char *s);
/* s as one POSIX sh word ('...', ' as '\''), bytes kept exactly; not for a
 * terminal as it is. NULL is "". Returns a new string the caller frees. */
char	*sanitize_shquote(const char *s);

/* Monotonic and wall clocks. */
double	 now_mono(void);	/* seconds, monotonic */
time_t	 now_wall(void);

#endif
