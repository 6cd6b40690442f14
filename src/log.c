/* log.c: the debug log and the fatal path. Secrets never reach here: callers
 * log URLs without their query and status, never headers or bodies that carry
 * credentials. The file is ours alone: no symlink, owner only. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <unistd.h>

#include "warroom.h"

void		(*fatal_hook)(void);
static FILE	*log_file;

int
log_open(const char *path, char **cause)
{
	struct stat	 sb;
	int		 fd;

	log_close();
	fd = open(path, O_WRONLY|O_CREAT|O_APPEND|O_CLOEXEC|O_NOFOLLOW, 0600);
	if (fd == -1) {
		xasprintf(cause, "%s: %s", path, errno == ELOOP ?
		    "is a symbolic link" : strerror(errno));
		return -1;
	}
	if (fstat(fd, &sb) == -1) {
		xasprintf(cause, "%s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	if (!S_ISREG(sb.st_mode) || sb.st_uid != geteuid() ||
	    (sb.st_mode & 077) != 0) {
		xasprintf(cause, "%s: %s", path, !S_ISREG(sb.st_mode) ?
		    "not a regular file" : sb.st_uid != geteuid() ?
		    "not owned by us" : "readable or writable by others "
		    "(chmod 600 it)");
		close(fd);
		return -1;
	}
	if ((log_file = fdopen(fd, "a")) == NULL)
		fatal("fdopen: %s", strerror(errno));
	setvbuf(log_file, NULL, _IOLBF, 0);
	return 0;
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
