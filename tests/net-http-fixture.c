/* tests/net-http-fixture.c: the loopback Python server the net-http tests
 * talk to, and the copy of a response they check, for test-net-http.c and
 * test-net-http-stream.c. */
#include <sys/wait.h>

#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "net-http.h"
#include "warroom.h"
#include "net-http-fixture.h"

static pid_t	 server_pid = -1;
static int	 server_stdin = -1;
int		 server_port;
int		 server_tls_port;

const char *
url(const char *path)
{
	static char	 buf[8][256];
	static int	 n;
	char		*s = buf[n++ % 8];

	snprintf(s, sizeof buf[0], "http://127.0.0.1:%d%s", server_port, path);
	return s;
}

void
result_clear(struct result *res)
{
	free(res->error_text);
	free(res->body);
	free(res->retry_after);
	memset(res, 0, sizeof *res);
}

static char *
dup_or_null(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

void
save(struct result *res, const struct http_response *resp)
{
	res->done++;
	res->status = resp->status;
	res->error = resp->error;
	res->truncated = resp->truncated;
	free(res->error_text);
	res->error_text = dup_or_null(resp->error_text);
	free(res->body);
	res->body = NULL;
	if (resp->body != NULL) {
		res->body = xmalloc(resp->body_len + 1);
		memcpy(res->body, resp->body, resp->body_len);
		res->body[resp->body_len] = '\0';
		/* The body must be NUL-terminated in place. */
		if (resp->body[resp->body_len] != '\0')
			res->done += 100;
	}
	res->body_len = resp->body_len;
	free(res->retry_after);
	res->retry_after = dup_or_null(resp->retry_after);
	res->elapsed = now_mono() - res->started;
}

/* The server script: $TEST_SRCDIR/tests/http-server, else next to us. */
static void
server_script(char *out, size_t size)
{
	const char	*top = getenv("TEST_SRCDIR");
	char		 file[PATH_MAX];

	if (top != NULL) {
		snprintf(out, size, "%s/tests/http-server/server.py", top);
		if (access(out, R_OK) == 0)
			return;
		snprintf(out, size, "%s/http-server/server.py", top);
		if (access(out, R_OK) == 0)
			return;
	}
	snprintf(file, sizeof file, "%s", __FILE__);
	snprintf(out, size, "%s/http-server/server.py", dirname(file));
}

/* Fork server.py and read its ports; 0 if that failed. */
static int
server_launch(const char *cert, const char *key)
{
	char	 script[PATH_MAX], line[64];
	int	 in[2], out[2];
	FILE	*f;

	server_script(script, sizeof script);
	if (pipe2(in, O_CLOEXEC) != 0 || pipe2(out, O_CLOEXEC) != 0)
		return 0;
	if ((server_pid = fork()) == -1)
		return 0;
	if (server_pid == 0) {
		dup2(in[0], STDIN_FILENO);
		dup2(out[1], STDOUT_FILENO);
		if (cert != NULL && key != NULL) {
			execl("/usr/bin/python3", "python3", script, "--tls",
			    cert, key, (char *)NULL);
		} else
			execl("/usr/bin/python3", "python3", script, (char *)NULL);
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	server_stdin = in[1];
	if ((f = fdopen(out[0], "r")) == NULL)
		return 0;
	if (fgets(line, sizeof line, f) == NULL ||
	    sscanf(line, "%d %d", &server_port, &server_tls_port) != 2) {
		fclose(f);
		return 0;
	}
	fclose(f);
	return server_port > 0;
}

int
server_start(const char *cert, const char *key)
{
	if (server_launch(cert, key))
		return 1;
	printf("FAIL: server: cannot start tests/http-server/server.py "
	    "(set TEST_SRCDIR to the source tree)\n");
	server_stop();
	return 0;
}

void
server_stop(void)
{
	int	 status;

	if (server_stdin != -1)
		close(server_stdin);	/* EOF on its stdin: it exits */
	if (server_pid > 0)
		waitpid(server_pid, &status, 0);
}
