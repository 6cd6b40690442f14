/* log.c: the debug log and the fatal path. Secrets never reach here: callers
 * log URLs and status, never headers or bodies that carry credentials. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <unistd.h>

#include "warroom.h"

void		(*fatal_hook)(void);
static FILE	*log_file;

void
log_open(const char *path)
{
	int	 fd;

	log_close();
	if ((fd = open(path, O_WRONLY|O_CREAT|O_APPEND|O_CLOEXEC, 0600)) == -1)
		return;
	if ((log_file = fdopen(fd, "a")) == NULL) {
		close(fd);
		return;
	}
	setvbuf(log_file, NULL, _IOLBF, 0);
}

void
log_close(void)
{
	if (log_file != NULL)
		fclose(log_file);
	log_file = NULL;
}

static void
log_vwrite(const char *level, const char *fmt, va_list ap)
{
	char	*msg, *clean;

	if (log_file == NULL)
		return;
	xvasprintf(&msg, fmt, ap);
	clean = sanitize(msg);
	fprintf(log_file, "%.3f %s %s\n", now_mono(), level, clean);
	free(clean);
	free(msg);
}

void
log_debug(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	log_vwrite("debug", fmt, ap);
	va_end(ap);
}

void
log_warn(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	log_vwrite("warn", fmt, ap);
	va_end(ap);
}

void
fatal(const char *fmt, ...)
{
	va_list	 ap;

	if (fatal_hook != NULL) {
		void (*hook)(void) = fatal_hook;

		fatal_hook = NULL;
		hook();
	}
	fputs("warroom: fatal: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(70);
}

double
now_mono(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

time_t
now_wall(void)
{
	return time(NULL);
}
