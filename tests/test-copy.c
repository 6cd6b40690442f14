/* test-copy.c: what 'y' and 'Y' put on the clipboard is safe to paste into
 * a shell: every value from outside is one quoted word, proved by running
 * the command through /bin/sh with stand-in kubectl, amtool and psql. */
#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model.h"
#include "test.h"
#include "ui-private.h"
#include "warroom.h"

static char	 tmpdir[] = "/tmp/test-copy.XXXXXX";

/* A stand-in for each command that writes its arguments, NUL-terminated,
 * to the file "args". */
static void
fake_tools(void)
{
	static const char *const tools[] = { "kubectl", "amtool", "psql" };
	char	*path;
	FILE	*f;
	size_t	 i;

	for (i = 0; i < nitems(tools); i++) {
		xasprintf(&path, "%s/%s", tmpdir, tools[i]);
		if ((f = fopen(path, "w")) == NULL)
			abort();
		fprintf(f, "#!/bin/sh\nprintf '%%s\\0' \"$@\" > \"%s/args\"\n",
		    tmpdir);
		fclose(f);
		chmod(path, 0755);
		free(path);
	}
}

/* Run cmd with /bin/sh in tmpdir, the stand-ins first on PATH. Returns the
 * arguments the stand-in got (NUL-separated) and their length in *len, or
 * NULL when no stand-in ran. Also fails the caller when "pwned" exists. */
static char *
run_sh(const char *cmd, size_t *len)
{
	char	*full, *path, *buf;
	FILE	*f;
	long	 n;

	xasprintf(&path, "%s/args", tmpdir);
	unlink(path);
	xasprintf(&full, "cd '%s' && PATH='%s':/usr/bin:/bin && %s", tmpdir,
	    tmpdir, cmd);
	if (system(full) == -1)
		abort();
	free(full);
	f = fopen(path, "r");
	free(path);
	if (f == NULL)
		return NULL;
	buf = xmalloc(65536);
	n = (long)fread(buf, 1, 65535, f);
	fclose(f);
	buf[n] = '\0';
	*len = (size_t)n;
	return buf;
}

static int
pwned(void)
{
	char	*path;
	int	 r;

	xasprintf(&path, "%s/pwned", tmpdir);
	r = access(path, F_OK) == 0;
	unlink(path);
	free(path);
	return r;
}

/* printf '%s' WORD through /bin/sh; returns what it printed (len in *n). */
static char *
sh_echo(const char *word, size_t *n)
{
	char	*cmd, *buf = xmalloc(4096);
	FILE	*f;

	xasprintf(&cmd, "cd '%s' && printf '%%s' %s", tmpdir, word);
	if ((f = popen(cmd, "r")) == NULL)
		abort();
	*n = fread(buf, 1, 4095, f);
	buf[*n] = '\0';
	pclose(f);
	free(cmd);
	return buf;
}

TEST(shquote_words)
{
	char	*q;

	q = sanitize_shquote("web-1.prod_x:8080/a@b=c,d+e%f");
	ASSERT_STR(q, "web-1.prod_x:8080/a@b=c,d+e%f");
	free(q);
	q = sanitize_shquote("");
	ASSERT_STR(q, "''");
	free(q);
	q = sanitize_shquote(NULL);
	ASSERT_STR(q, "''");
	free(q);
	q = sanitize_shquote("it's");
	ASSERT_STR(q, "'it'\\''s'");
	free(q);
	q = sanitize_shquote("a b");
	ASSERT_STR(q, "'a b'");
	free(q);
	q = sanitize_shquote("~root");
	ASSERT_STR(q, "'~root'");
	free(q);
}

/* Whatever the bytes, the shell gives back exactly them, runs nothing. */
TEST(shquote_round_trip)
{
	static const char *const in[] = {
		"'", "''", "\"", "a;b", "$(touch pwned)", "`touch pwned`",
		"${IFS}", "a\nb", "\xff\xfe", "x\\y", "*", "?", "[a]", "#c",
		"a&b|c>d<e", "\t \r\033[31m", "'$(touch pwned)'\"`id`\"",
		"caf\xc3\xa9 \xe2\x80\xae", "-n", "!x", "a\\'b",
	};
	size_t	 i, n;
	char	*q, *out;

	for (i = 0; i < nitems(in); i++) {
		q = sanitize_shquote(in[i]);
		out = sh_echo(q, &n);
		free(q);
		ASSERT_INT(n, strlen(in[i]));
		ASSERT(memcmp(out, in[i], n) == 0);
		free(out);
		ASSERT(!pwned());
	}
}

/* Does the NUL-separated args equal the NULL-terminated list want? */
static int
args_are(const char *args, size_t len, const char *const *want)
{
	size_t	 o = 0, n;

	for (; *want != NULL; want++) {
		n = strlen(*want) + 1;
		if (o + n > len || memcmp(args + o, *want, n) != 0)
			return 0;
		o += n;
	}
	return o == len;
}

TEST(copy_pod_label_is_one_word)
{
	struct ui_row	 r = { .kind = UI_ROW_RES, .ns = "default",
			     .name = "web-1;touch${IFS}pwned" };
	const char	*why, *want[] = { "-n", "default", "logs",
			     "web-1;touch${IFS}pwned", "--previous",
			     "--tail=200", NULL };
	char		*s, *args;
	size_t		 len;

	s = ui_copy_text(&r, 1, &why);
	ASSERT(s != NULL);
	args = run_sh(s, &len);
	free(s);
	ASSERT(!pwned());
	ASSERT(args != NULL);
	ASSERT(args_are(args, len, want));
	free(args);
}

TEST(copy_pod_hostile_namespace)
{
	struct ui_row	 r = { .kind = UI_ROW_DEPLOY, .ns = "a'b `touch pwned`",
			     .name = "x\";touch pwned;\"" };
	const char	*why, *want[] = { "-n", "a'b `touch pwned`",
			     "rollout", "history",
			     "deployment/x\";touch pwned;\"", NULL };
	char		*s, *args;
	size_t		 len;

	s = ui_copy_text(&r, 1, &why);
	ASSERT(s != NULL);
	args = run_sh(s, &len);
	free(s);
	ASSERT(!pwned());
	ASSERT(args != NULL);
	ASSERT(args_are(args, len, want));
	free(args);
}

TEST(copy_alert_name_is_one_matcher)
{
	struct model_alert a = { .name = "X$(touch pwned)" };
	struct ui_row	 r = { .kind = UI_ROW_ALERT, .obj = &a,
			     .name = "X$(touch pwned)" };
	const char	*why, *want[] = { "alert", "query",
			     "alertname=\"X$(touch pwned)\"", NULL };
	char		*s, *args;
	size_t		 len;

	s = ui_copy_text(&r, 1, &why);
	ASSERT(s != NULL);
	args = run_sh(s, &len);
	free(s);
	ASSERT(!pwned());
	ASSERT(args != NULL);
	ASSERT(args_are(args, len, want));
	free(args);
}

/* Control bytes are still shown, not sent, and stay inside the word. */
TEST(copy_control_bytes_stay_quoted)
{
	struct ui_row	 r = { .kind = UI_ROW_POD, .ns = "default",
			     .name = "a\033]52;c;eA==\a'\xff;touch pwned" };
	const char	*why, *want[] = { "-n", "default", "logs",
			     "a\\x1b]52;c;eA==\\x07'\\xff;touch pwned",
			     "--previous", "--tail=200", NULL };
	char		*s, *args;
	size_t		 len;

	s = ui_copy_text(&r, 1, &why);
	ASSERT(s != NULL);
	ASSERT(strchr(s, '\033') == NULL);
	args = run_sh(s, &len);
	free(s);
	ASSERT(!pwned());
	ASSERT(args != NULL);
	ASSERT(args_are(args, len, want));
	free(args);
}

/* 'y' copies the name alone, as before. */
TEST(copy_name_plain)
{
	struct ui_row	 r = { .kind = UI_ROW_POD, .ns = "default",
			     .name = "web-7d9f-abcde" };
	const char	*why;
	char		*s;

	s = ui_copy_text(&r, 0, &why);
	ASSERT_STR(s, "web-7d9f-abcde");
	free(s);
	/* A bare name keeps no newline: pasted, it would run what follows. */
	r.name = "x\ntouch pwned";
	s = ui_copy_text(&r, 0, &why);
	ASSERT_STR(s, "x\\x0atouch pwned");
	free(s);
	r.name = "web-7d9f-abcde";
	r.kind = UI_ROW_POD;
	s = ui_copy_text(&r, 1, &why);
	ASSERT_STR(s, "kubectl -n default logs web-7d9f-abcde --previous "
	    "--tail=200");
	free(s);
}

/* A statement is copied whole with its newlines, as psql's one argument:
 * the one-line form would let the -- comment swallow the WHERE. */
TEST(copy_statement_whole)
{
	struct pg_stmt	 st = { .queryid = "42",
			     .query = "DELETE FROM jobs -- old WHERE done",
			     .query_text = "DELETE FROM jobs -- old\nWHERE done" };
	struct ui_row	 r = { .kind = UI_ROW_STMT, .obj = &st, .name = "42" };
	const char	*why, *want[] = { "-X", "-c",
			     "DELETE FROM jobs -- old\nWHERE done", NULL };
	char		*s, *args;
	size_t		 len;

	s = ui_copy_text(&r, 1, &why);
	ASSERT(s != NULL);
	ASSERT_STR(s, "psql -X -c 'DELETE FROM jobs -- old\nWHERE done'");
	args = run_sh(s, &len);
	free(s);
	ASSERT(args != NULL);
	ASSERT(args_are(args, len, want));
	free(args);
	/* Cut by the server (too long): refused, nothing half copied. */
	st.query_text = NULL;
	ASSERT(ui_copy_text(&r, 1, &why) == NULL);
	ASSERT_STR(why, "the statement is too long to copy whole");
}

/* A command longer than a copy can carry is refused, not cut. */
TEST(copy_long_command_refused)
{
	struct pg_stmt	 st = { .queryid = "42" };
	struct ui_row	 r = { .kind = UI_ROW_STMT, .obj = &st, .name = "42" };
	const char	*why;
	char		*q = xmalloc(5001);

	memset(q, 'x', 5000);
	q[5000] = '\0';
	st.query = st.query_text = q;
	ASSERT(ui_copy_text(&r, 1, &why) == NULL);
	ASSERT(why != NULL);
	free(q);
}

int
main(void)
{
	char	*cmd;

	if (mkdtemp(tmpdir) == NULL)
		return 1;
	fake_tools();
	RUN(shquote_words);
	RUN(shquote_round_trip);
	RUN(copy_pod_label_is_one_word);
	RUN(copy_pod_hostile_namespace);
	RUN(copy_alert_name_is_one_matcher);
	RUN(copy_control_bytes_stay_quoted);
	RUN(copy_name_plain);
	RUN(copy_statement_whole);
	RUN(copy_long_command_refused);
	xasprintf(&cmd, "rm -rf '%s'", tmpdir);
	if (system(cmd) == -1)
		return 1;
	free(cmd);
	return TEST_EXIT();
}
