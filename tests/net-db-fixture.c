/* tests/net-db-fixture.c: the database servers the net-pg and net-redis
 * tests talk to (tests/stack/db.sh: given through WARROOM_TEST_* by
 * tests/t-net-db.sh, or started here when run alone), and the loop, ports
 * and stack control they share. */

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <uv.h>

#include "warroom.h"
#include "net-db-fixture.h"

static char	 own_state[PATH_MAX];	/* /tmp/NAME.XXXXXX */
static int	 own_stack;
static char	 db_sh[PATH_MAX];
static const char *prog_name;
static double	 started;

static void
wake_cb(uv_timer_t *t)
{
	(void)t;
}

void
tl_init(struct tloop *t)
{
	uv_loop_init(&t->loop);
	uv_timer_init(&t->loop, &t->wake);
}

/* Run the loop until *counter reaches want, or seconds pass. */
int
tl_wait(struct tloop *t, const int *counter, int want, double seconds)
{
	double	 end = now_mono() + seconds;

	uv_timer_start(&t->wake, wake_cb, 10, 10);
	while (*counter < want && now_mono() < end)
		uv_run(&t->loop, UV_RUN_ONCE);
	uv_timer_stop(&t->wake);
	return *counter >= want;
}

/* Run the loop for a while, whatever happens. */
void
tl_run_for(struct tloop *t, double seconds)
{
	int	 never = 0;

	tl_wait(t, &never, 1, seconds);
}

/* Close the loop: every handle of the code under test must be gone after
 * a few iterations, or uv_loop_close says UV_EBUSY. */
int
tl_close(struct tloop *t)
{
	double	 end = now_mono() + 5;

	uv_close((uv_handle_t *)&t->wake, NULL);
	while (uv_loop_alive(&t->loop) && now_mono() < end)
		uv_run(&t->loop, UV_RUN_NOWAIT);
	return uv_loop_close(&t->loop);
}

const char *
env(const char *name)
{
	const char	*v = getenv(name);

	return v != NULL ? v : "";
}

/* A port nothing listens on. */
int
closed_port(void)
{
	struct sockaddr_in	 sin;
	socklen_t		 len = sizeof sin;
	int			 fd, port;

	fd = socket(AF_INET, SOCK_STREAM, 0);
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	bind(fd, (struct sockaddr *)&sin, sizeof sin);
	getsockname(fd, (struct sockaddr *)&sin, &len);
	port = ntohs(sin.sin_port);
	close(fd);
	return port;
}

/* A server that takes connections (the kernel does) and never says a
 * word: a black hole for the protocol. */
int
silent_port(int *fd)
{
	struct sockaddr_in	 sin;
	socklen_t		 len = sizeof sin;

	*fd = socket(AF_INET, SOCK_STREAM, 0);
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	bind(*fd, (struct sockaddr *)&sin, sizeof sin);
	listen(*fd, 64);
	getsockname(*fd, (struct sockaddr *)&sin, &len);
	return ntohs(sin.sin_port);
}

/* db.sh VERB STATE [NAME]; 1 on success. */
int
stack_ctl(const char *verb, const char *name)
{
	const char	*state = env("WARROOM_TEST_DB_STATE");
	pid_t		 pid;
	int		 status, fd;

	if (*env("WARROOM_TEST_DB_SH") == '\0' || *state == '\0')
		return 0;
	if ((pid = fork()) == -1)
		return 0;
	if (pid == 0) {
		if ((fd = open("/dev/null", O_WRONLY)) != -1)
			dup2(fd, STDOUT_FILENO);
		execlp("bash", "bash", env("WARROOM_TEST_DB_SH"), verb, state,
		    name, (char *)NULL);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) == -1)
		return 0;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

/* KEY=VALUE or KEY='VALUE' lines of db.sh's env file, as WARROOM_TEST_KEY. */
static int
load_env_file(const char *path)
{
	char	 line[4096], name[sizeof line + 16], *eq, *v;
	size_t	 len;
	FILE	*f;

	if ((f = fopen(path, "r")) == NULL)
		return 0;
	while (fgets(line, sizeof line, f) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		if (line[0] == '#' || (eq = strchr(line, '=')) == NULL)
			continue;
		*eq = '\0';
		v = eq + 1;
		len = strlen(v);
		if (len >= 2 && v[0] == '\'' && v[len - 1] == '\'') {
			v[len - 1] = '\0';
			v++;
		}
		snprintf(name, sizeof name, "WARROOM_TEST_%s", line);
		setenv(name, v, 0);
	}
	fclose(f);
	return 1;
}

/* No servers given: start our own with tests/stack/db.sh. */
static int
stack_up(void)
{
	const char	*src = getenv("TEST_SRCDIR");
	char		 file[PATH_MAX], envf[PATH_MAX + 8];
	pid_t		 pid;
	int		 status, fd;

	if (src != NULL)
		snprintf(db_sh, sizeof db_sh, "%s/stack/db.sh", src);
	if (src == NULL || access(db_sh, R_OK) != 0) {
		snprintf(file, sizeof file, "%s", __FILE__);
		snprintf(db_sh, sizeof db_sh, "%s/stack/db.sh", dirname(file));
	}
	if (mkdtemp(own_state) == NULL)
		return 0;
	own_stack = 1;
	/* PostgreSQL's user (nobody, as root) keeps its data in here. */
	chmod(own_state, 0755);
	if ((pid = fork()) == -1)
		return 0;
	if (pid == 0) {
		if ((fd = open("/dev/null", O_WRONLY)) != -1)
			dup2(fd, STDOUT_FILENO);
		execlp("bash", "bash", db_sh, "up", own_state, "--rows", "100",
		    "--no-health", (char *)NULL);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) == -1 || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0)
		return 0;
	snprintf(envf, sizeof envf, "%s/env", own_state);
	setenv("WARROOM_TEST_DB_SH", db_sh, 1);
	setenv("WARROOM_TEST_DB_STATE", own_state, 1);
	return load_env_file(envf);
}

static void
stack_down(void)
{
	char	*cmd;

	if (!own_stack)
		return;
	stack_ctl("down", NULL);
	xasprintf(&cmd, "rm -rf '%s'", own_state);
	if (system(cmd) != 0)
		printf("# could not remove %s\n", own_state);
	free(cmd);
}

int
fixture_setup(const char *name, const char *const *need, size_t n)
{
	size_t	 i;
	char	*cause = NULL;

	prog_name = name;
	started = now_mono();
	snprintf(own_state, sizeof own_state, "/tmp/%s.XXXXXX", name);
	signal(SIGPIPE, SIG_IGN);
	alarm(600);	/* a hung loop fails the run instead of blocking it */
	if (getenv(need[0]) == NULL && !stack_up()) {
		printf("FAIL: db-stack: tests/stack/db.sh up %s failed\n",
		    own_state);
		stack_down();
		return 0;
	}
	for (i = 0; i < n; i++) {
		if (*env(need[i]) == '\0') {
			printf("FAIL: db-stack: %s is not set\n", need[i]);
			stack_down();
			return 0;
		}
	}
	if (getenv("WARROOM_TEST_LOG") != NULL &&
	    log_open(getenv("WARROOM_TEST_LOG"), &cause) != 0) {
		fprintf(stderr, "WARROOM_TEST_LOG: %s\n", cause);
		free(cause);
	}
	return 1;
}

void
fixture_cleanup(void)
{
	printf("# %s: %.1f s\n", prog_name, now_mono() - started);
	log_close();
	stack_down();
}
