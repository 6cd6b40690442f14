/* test-audit.c: the audit trail: file and directory modes, one JSON object
 * per line, the unfinished-action report, no secret fields; the per-target
 * locks. */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit.h"
#include "test.h"
#include "warroom.h"

static char	 tmpdir[] = "/tmp/test-audit.XXXXXX";

static void
rec_init(struct audit_rec *r, const char *id, const char *phase)
{
	memset(r, 0, sizeof *r);
	r->id = id;
	r->phase = phase;
	r->kube_user = "admin";
	r->context = "admin";
	r->namespace = "prod";
	r->action = "scale";
	r->target = "web";
	r->args = "5";
	r->preview = "replicas 3 \xe2\x86\x92 5";
	r->outcome = NULL;
	r->duration_ms = -1;
}

static char *
slurp(const char *path)
{
	FILE	*f = fopen(path, "r");
	char	*buf;
	long	 n;

	if (f == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = xcalloc(1, n + 1);
	if (fread(buf, 1, n, f) != (size_t)n)
		n = 0;
	fclose(f);
	return buf;
}

TEST(path_default_and_xdg)
{
	char	*p;

	unsetenv("XDG_STATE_HOME");
	setenv("HOME", "/home/x", 1);
	p = audit_path();
	ASSERT_STR(p, "/home/x/.local/state/warroom/audit.log");
	free(p);
	setenv("XDG_STATE_HOME", tmpdir, 1);
	p = audit_path();
	ASSERT(p != NULL && strncmp(p, tmpdir, strlen(tmpdir)) == 0);
	free(p);
}

TEST(modes_and_lines)
{
	struct audit_rec r;
	struct stat	 sb;
	char		*path, *dir, *text, *cause = NULL, *line, *save;
	int		 n = 0;
	json_t		*o;

	setenv("XDG_STATE_HOME", tmpdir, 1);
	setenv("SSH_CLIENT", "10.0.0.9 5555 22", 1);
	rec_init(&r, "id-1", "started");
	r.args = "5\nwith\nnewlines";
	ASSERT_INT(audit_write(&r, &cause), 0);
	rec_init(&r, "id-1", "done");
	r.outcome = "deployment \"web\" successfully rolled out";
	r.duration_ms = 1234;
	ASSERT_INT(audit_write(&r, &cause), 0);

	dir = audit_dir(0);
	ASSERT(stat(dir, &sb) == 0);
	ASSERT_INT(sb.st_mode & 0777, 0700);
	free(dir);
	path = audit_path();
	ASSERT(stat(path, &sb) == 0);
	ASSERT_INT(sb.st_mode & 0777, 0600);
	text = slurp(path);
	free(path);
	ASSERT(text != NULL);
	for (line = strtok_r(text, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		o = json_loads(line, 0, NULL);
		ASSERT(json_is_object(o));
		ASSERT(json_string_value(json_object_get(o, "time")) != NULL);
		ASSERT_STR(json_string_value(json_object_get(o, "id")), "id-1");
		ASSERT_STR(json_string_value(json_object_get(o, "ssh_client")),
		    "10.0.0.9 5555 22");
		ASSERT(json_string_value(json_object_get(o, "user")) != NULL);
		json_decref(o);
		n++;
	}
	free(text);
	ASSERT_INT(n, 2);
}

TEST(no_secret_fields)
{
	char	*path, *text;

	setenv("XDG_STATE_HOME", tmpdir, 1);
	path = audit_path();
	text = slurp(path);
	free(path);
	ASSERT(text != NULL);
	ASSERT(strstr(text, "token") == NULL);
	ASSERT(strstr(text, "password") == NULL);
	ASSERT(strstr(text, "key") == NULL);
	ASSERT(strstr(text, "\"kube_user\":\"admin\"") != NULL);
	free(text);
}

TEST(unfinished)
{
	struct audit_rec r;
	char		*cause = NULL, buf[4096];
	FILE		*f;
	size_t		 n;

	setenv("XDG_STATE_HOME", tmpdir, 1);
	f = tmpfile();
	ASSERT_INT(audit_report_unfinished(f), 0);	/* id-1 finished */
	fclose(f);

	rec_init(&r, "id-2", "started");
	ASSERT_INT(audit_write(&r, &cause), 0);
	rec_init(&r, "id-3", "started");
	ASSERT_INT(audit_write(&r, &cause), 0);
	rec_init(&r, "id-3", "failed");
	ASSERT_INT(audit_write(&r, &cause), 0);
	f = tmpfile();
	ASSERT_INT(audit_report_unfinished(f), 1);
	rewind(f);
	n = fread(buf, 1, sizeof buf - 1, f);
	buf[n] = '\0';
	fclose(f);
	ASSERT(strstr(buf, "warroom: unfinished action from ") == buf);
	ASSERT(strstr(buf, ": scale web 5 (started, no outcome recorded)\n")
	    != NULL);
}

TEST(ids_unique)
{
	char	*a = audit_new_id(), *b = audit_new_id();

	ASSERT(strcmp(a, b) != 0);
	free(a);
	free(b);
}

/* A field whose text is not UTF-8 is kept, the bad bytes replaced. */
TEST(invalid_utf8_kept)
{
	struct audit_rec r;
	char		*path, *dir, *text, *cause = NULL, *last;
	json_t		*o;

	xasprintf(&dir, "%s/u8", tmpdir);
	setenv("XDG_STATE_HOME", dir, 1);
	rec_init(&r, "id-u8", "started");
	r.target = "web\xff-\xc3";
	r.args = "caf\xc3\xa9 \xe2\x82";
	ASSERT_INT(audit_write(&r, &cause), 0);
	path = audit_path();
	text = slurp(path);
	free(path);
	setenv("XDG_STATE_HOME", tmpdir, 1);
	free(dir);
	ASSERT(text != NULL);
	last = strrchr(text, '{');
	o = json_loads(last, 0, NULL);
	free(text);
	ASSERT(json_is_object(o));
	ASSERT_STR(json_string_value(json_object_get(o, "target")),
	    "web\xef\xbf\xbd-\xef\xbf\xbd");
	ASSERT_STR(json_string_value(json_object_get(o, "args")),
	    "caf\xc3\xa9 \xef\xbf\xbd\xef\xbf\xbd");
	json_decref(o);
}

/* Two triples that made one lock file name when every other byte became
 * '_' and the parts ran together are two locks now; the same triple is one. */
TEST(lock_triples_apart)
{
	int	 a, b;

	setenv("XDG_STATE_HOME", tmpdir, 1);
	a = audit_lock("arn:aws:eks:eu-west-1:1234:cluster/prod", "web", "api");
	b = audit_lock("arn_aws_eks_eu-west-1_1234_cluster_prod", "web", "api");
	ASSERT(a != -1);
	ASSERT(b != -1);
	close(a);
	close(b);
	a = audit_lock("a-b", "c", "d");
	b = audit_lock("a", "b-c", "d");
	ASSERT(a != -1);
	ASSERT(b != -1);
	close(a);
	close(b);
	a = audit_lock("ctx", "ns", "web");
	b = audit_lock("ctx", "ns", "web");
	ASSERT(a != -1);
	ASSERT_INT(b, -1);
	ASSERT_INT(errno, EWOULDBLOCK);
	close(a);
	b = audit_lock("ctx", "ns", "web");
	ASSERT(b != -1);
	close(b);
}

/* A context name longer than a file name may be. */
TEST(lock_long_context)
{
	char	 ctx[301], name[254];
	int	 a, b;

	setenv("XDG_STATE_HOME", tmpdir, 1);
	memset(ctx, 'c', sizeof ctx - 1);
	ctx[sizeof ctx - 1] = '\0';
	memset(name, 'n', sizeof name - 1);
	name[sizeof name - 1] = '\0';
	a = audit_lock(ctx, "prod", "web");
	ASSERT(a != -1);
	b = audit_lock(ctx, "prod", name);
	ASSERT(b != -1);
	close(a);
	close(b);
	/* Two contexts alike in their first 300 bytes are still apart. */
	a = audit_lock(ctx, "prod", "web");
	ctx[299] = 'd';
	b = audit_lock(ctx, "prod", "web");
	ASSERT(a != -1);
	ASSERT(b != -1);
	close(a);
	close(b);
}

/* A lock that cannot be made says why, not "someone holds it". */
TEST(lock_error_is_itself)
{
	char	*file;
	int	 fd;

	xasprintf(&file, "%s/not-a-dir", tmpdir);
	fd = open(file, O_WRONLY | O_CREAT, 0600);
	ASSERT(fd != -1);
	close(fd);
	setenv("XDG_STATE_HOME", file, 1);
	errno = 0;
	fd = audit_lock("ctx", "ns", "web");
	setenv("XDG_STATE_HOME", tmpdir, 1);
	free(file);
	ASSERT_INT(fd, -1);
	ASSERT_INT(errno, ENOTDIR);
}

/* The lock file's name: the target to read, a hash of the triple. */
TEST(lock_name)
{
	char	*a, *b;

	a = audit_lock_name("admin", "prod", "web");
	ASSERT(strncmp(a, "lock-web-", 9) == 0);
	ASSERT_INT(strlen(a), 9 + 16);
	b = audit_lock_name("admin", "prod", "web");
	ASSERT_STR(a, b);
	free(b);
	b = audit_lock_name("admin", "prodweb", "");
	ASSERT(strcmp(a + strlen(a) - 16, b + strlen(b) - 16) != 0);
	free(a);
	free(b);
	a = audit_lock_name("c", "n", "my/very:long name"
	    "-----------------------------------------------------------------");
	ASSERT(strncmp(a, "lock-my_very_long_name---", 25) == 0);
	ASSERT_INT(strlen(a), 5 + 64 + 1 + 16);
	free(a);
}

int
main(void)
{
	char	 cmd[64];

	if (mkdtemp(tmpdir) == NULL)
		return 1;
	RUN(path_default_and_xdg);
	RUN(modes_and_lines);
	RUN(no_secret_fields);
	RUN(unfinished);
	RUN(ids_unique);
	RUN(invalid_utf8_kept);
	RUN(lock_triples_apart);
	RUN(lock_long_context);
	RUN(lock_error_is_itself);
	RUN(lock_name);
	snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
	if (system(cmd) != 0)
		return 1;
	return TEST_EXIT();
}
