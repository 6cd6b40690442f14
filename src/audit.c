/* audit.c: the audit trail of actions: JSON lines appended (and fsync'd)
 * to $XDG_STATE_HOME/warroom/audit.log; 'warroom audit' prints it. */
#include <sys/file.h>
#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <pwd.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "action.h"
#include "audit.h"
#include "jtext.h"
#include "kube-ops.h"
#include "warroom.h"

#define AUDIT_MAX_LINE	(64 * 1024)	/* longer lines are skipped */
#define AUDIT_LOCK_READABLE 64		/* bytes of the name in a lock's */

char *
audit_dir(int create)
{
	const char	*state = getenv("XDG_STATE_HOME"), *home;
	char		*base, *dir, *p;

	if (state != NULL && *state == '/')
		base = xstrdup(state);
	else {
		if ((home = getenv("HOME")) == NULL || *home == '\0')
			return NULL;
		xasprintf(&base, "%s/.local/state", home);
	}
	xasprintf(&dir, "%s/warroom", base);
	free(base);
	if (create) {
		/* mkdir -p; only the last component is forced to 0700. */
		for (p = dir + 1; *p != '\0'; p++) {
			if (*p != '/')
				continue;
			*p = '\0';
			(void)mkdir(dir, 0755);
			*p = '/';
		}
		if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
			free(dir);
			return NULL;
		}
		(void)chmod(dir, 0700);
	}
	return dir;
}

char *
audit_path(void)
{
	char	*dir, *path;

	if ((dir = audit_dir(0)) == NULL)
		return NULL;
	xasprintf(&path, "%s/audit.log", dir);
	free(dir);
	return path;
}

/* FNV-1a, 64 bits, over bytes. */
static uint64_t
audit_fnv(uint64_t h, const void *p, size_t len)
{
	const unsigned char *b = p;
	size_t		 i;

	for (i = 0; i < len; i++) {
		h ^= b[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

char *
audit_lock_name(const char *context, const char *ns, const char *name)
{
	const char	*part[3] = { context, ns, name };
	unsigned char	 lenbuf[8];
	uint64_t	 h = 0xcbf29ce484222325ULL;
	size_t		 i, j, len;
	char		*lock, *p;

	/* Each part with its length first: no two triples run together. */
	for (i = 0; i < nitems(part); i++) {
		len = part[i] != NULL ? strlen(part[i]) : 0;
		for (j = 0; j < sizeof lenbuf; j++)
			lenbuf[j] = (unsigned char)((uint64_t)len >> (8 * j));
		h = audit_fnv(h, lenbuf, sizeof lenbuf);
		h = audit_fnv(h, part[i] != NULL ? part[i] : "", len);
	}
	/* The name, cut, to read; the hash tells the triples apart. */
	xasprintf(&lock, "lock-%.*s-%016llx", AUDIT_LOCK_READABLE,
	    name != NULL ? name : "", (unsigned long long)h);
	for (p = lock + 5; *p != '\0'; p++) {
		if (!isalnum((unsigned char)*p) && *p != '-' && *p != '.')
			*p = '_';
	}
	return lock;
}

int
audit_lock(const char *context, const char *ns, const char *name)
{
	char	*dir, *base, *lock;
	int	 fd, saved;

	if ((dir = audit_dir(1)) == NULL)
		return -1;
	base = audit_lock_name(context, ns, name);
	xasprintf(&lock, "%s/%s", dir, base);
	free(base);
	free(dir);
	fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	saved = errno;
	free(lock);
	errno = saved;
	if (fd != -1 && flock(fd, LOCK_EX | LOCK_NB) != 0) {
		saved = errno;
		close(fd);
		errno = saved;
		fd = -1;
	}
	return fd;
}

char *
audit_new_id(void)
{
	static unsigned	 seq;
	struct timespec	 ts;
	struct tm	 tm;
	char		 when[32], *id;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(when, sizeof when, "%Y%m%dT%H%M%S", &tm);
	xasprintf(&id, "%s-%ld-%04lx%u", when, (long)getpid(),
	    (long)(ts.tv_nsec / 1000) & 0xffff, seq++);
	return id;
}

static const char *
audit_local_user(void)
{
	struct passwd	*pw;
	const char	*u;

	if ((pw = getpwuid(getuid())) != NULL)
		return pw->pw_name;
	if ((u = getenv("USER")) != NULL)
		return u;
	return "unknown";
}

static void
audit_set(json_t *o, const char *key, const char *value)
{
	if (value != NULL)
		json_object_set_new(o, key, jtext(value));
}

int
audit_write(const struct audit_rec *r, char **cause)
{
	struct stat	 sb;
	json_t		*o;
	char		*dir, *path, *line, when[40];
	const char	*ssh, *bad = NULL;
	size_t		 len;
	ssize_t		 n;
	int		 fd;

	if ((dir = audit_dir(1)) == NULL) {
		xasprintf(cause, "cannot create the audit directory: %s",
		    strerror(errno));
		return -1;
	}
	xasprintf(&path, "%s/audit.log", dir);
	free(dir);

	kube_ops_time(time(NULL), 0, when, sizeof when);
	o = json_object();
	audit_set(o, "time", when);
	audit_set(o, "id", r->id);
	audit_set(o, "phase", r->phase);
	audit_set(o, "user", audit_local_user());
	if ((ssh = getenv("SSH_CLIENT")) == NULL)
		ssh = getenv("SSH_CONNECTION");
	audit_set(o, "ssh_client", ssh);
	audit_set(o, "kube_user", r->kube_user);
	audit_set(o, "context", r->context);
	audit_set(o, "namespace", r->namespace);
	audit_set(o, "action", r->action);
	audit_set(o, "target", r->target);
	audit_set(o, "args", r->args);
	audit_set(o, "preview", r->preview);
	audit_set(o, "outcome", r->outcome);
	if (r->duration_ms >= 0)
		json_object_set_new(o, "duration_ms",
		    json_integer(r->duration_ms));
	/* JSON_COMPACT escapes newlines: one object per line. */
	line = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	if (line == NULL)
		fatal("audit: json_dumps");
	len = strlen(line);
	line = xrealloc(line, len + 2);
	line[len++] = '\n';
	line[len] = '\0';

	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	if (fd == -1) {
		xasprintf(cause, "%s: %s", path, strerror(errno));
		free(path);
		free(line);
		return -1;
	}
	/* Not /dev/null, a fifo or a device: a line written there is lost. */
	if (fstat(fd, &sb) != 0)
		bad = strerror(errno);
	else if (!S_ISREG(sb.st_mode))
		bad = "not a regular file";
	if (bad != NULL) {
		xasprintf(cause, "%s: %s", path, bad);
		close(fd);
		free(path);
		free(line);
		return -1;
	}
	(void)fchmod(fd, 0600);
	/* One write() with O_APPEND: lines from two processes never mix. */
	n = write(fd, line, len);
	if (n != (ssize_t)len || fsync(fd) != 0) {
		xasprintf(cause, "%s: %s", path, n == -1 || n == (ssize_t)len ?
		    strerror(errno) : "short write");
		close(fd);
		free(path);
		free(line);
		return -1;
	}
	close(fd);
	free(path);
	free(line);
	return 0;
}

/* Read every line of the log; calls fn with each parsed object. */
static int
audit_each(void (*fn)(json_t *, void *), void *arg)
{
	char	*path, *line = NULL;
	size_t	 cap = 0;
	ssize_t	 n;
	FILE	*f;
	json_t	*o;

	if ((path = audit_path()) == NULL)
		return -1;
	f = fopen(path, "re");
	free(path);
	if (f == NULL)
		return errno == ENOENT ? 0 : -1;
	while ((n = getline(&line, &cap, f)) != -1) {
		if (n > AUDIT_MAX_LINE)
			continue;
		if ((o = json_loadb(line, n, 0, NULL)) == NULL)
			continue;
		if (json_is_object(o))
			fn(o, arg);
		json_decref(o);
	}
	free(line);
	fclose(f);
	return 0;
}

struct audit_open {
	json_t	*started;	/* id -> started record */
};

static void
audit_unfinished_cb(json_t *o, void *arg)
{
	struct audit_open *st = arg;
	const char	*id = json_string_value(json_object_get(o, "id"));
	const char	*phase = json_string_value(json_object_get(o, "phase"));

	if (id == NULL || phase == NULL)
		return;
	if (strcmp(phase, "started") == 0)
		json_object_set(st->started, id, o);
	else
		json_object_del(st->started, id);
}

int
audit_report_unfinished(FILE *out)
{
	struct audit_open st;
	const char	*id, *t, *action, *target, *args;
	json_t		*o;
	char		*s, *clean;
	int		 count = 0;

	st.started = json_object();
	audit_each(audit_unfinished_cb, &st);
	json_object_foreach(st.started, id, o) {
		t = json_string_value(json_object_get(o, "time"));
		action = json_string_value(json_object_get(o, "action"));
		target = json_string_value(json_object_get(o, "target"));
		args = json_string_value(json_object_get(o, "args"));
		xasprintf(&s, "%s %s%s%s", action ? action : "?",
		    target ? target : "?", args && *args ? " " : "",
		    args ? args : "");
		clean = sanitize(s);
		fprintf(out, "warroom: unfinished action from %s: %s (started, "
		    "no outcome recorded)\n", t ? t : "?", clean);
		free(clean);
		free(s);
		count++;
	}
	json_decref(st.started);
	return count;
}

struct audit_print {
	int	 json;
	int	 last;		/* print only the last N, 0 = all */
	char	**lines;
	int	 n;
};

static void
audit_print_cb(json_t *o, void *arg)
{
	struct audit_print *p = arg;
	const char	*k[] = { "time", "phase", "user", "context",
			    "namespace", "action", "target", "args",
			    "outcome" };
	char		*line, *s, *clean;
	const char	*v;
	size_t		 i;

	if (p->json)	/* \u escapes: this may go to a terminal */
		line = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER |
		    JSON_ENSURE_ASCII);
	else {
		line = xstrdup("");
		for (i = 0; i < nitems(k); i++) {
			v = json_string_value(json_object_get(o, k[i]));
			clean = sanitize(v != NULL ? v : "-");
			xasprintf(&s, "%s%s%s", line, i ? "  " : "", clean);
			free(clean);
			free(line);
			line = s;
		}
	}
	p->lines = xreallocarray(p->lines, p->n + 1, sizeof *p->lines);
	p->lines[p->n++] = line;
}

int
audit_cli(int argc, char **argv)
{
	struct audit_print p;
	int		 i, first;

	memset(&p, 0, sizeof p);
	for (i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0 || strcmp(argv[i], "-j") == 0)
			p.json = 1;
		else if (strcmp(argv[i], "-n") == 0 && i + 1 < argc)
			p.last = atoi(argv[++i]);
		else {
			fprintf(stderr, "usage: warroom audit [--json] [-n N]\n");
			return 2;
		}
	}
	audit_report_unfinished(stderr);
	if (audit_each(audit_print_cb, &p) != 0) {
		fprintf(stderr, "warroom: audit: cannot read the log: %s\n",
		    strerror(errno));
		return 1;
	}
	if (!p.json && p.n > 0)
		printf("TIME  PHASE  USER  CONTEXT  NAMESPACE  ACTION  TARGET"
		    "  ARGS  OUTCOME\n");
	first = p.last > 0 && p.last < p.n ? p.n - p.last : 0;
	for (i = 0; i < p.n; i++) {
		if (i >= first)
			printf("%s\n", p.lines[i]);
		free(p.lines[i]);
	}
	free(p.lines);
	return 0;
}
