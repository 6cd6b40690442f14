/* test-cmdparse.c: the command language: splitting, the command table,
 * strings, files and source-file. Fixtures are in tests/fixtures/config/
 * (found through $TEST_SRCDIR or __FILE__). */
#include <sys/stat.h>

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmdparse.h"
#include "config.h"
#include "warroom.h"
#include "cmdparse-fixture.h"
#include "test.h"

static char	 fixdir[PATH_MAX];	/* absolute tests/fixtures/config */
static char	 tmpdir[PATH_MAX];	/* scratch files, removed at exit */

/* What the test commands saw. */
static int	 t_calls;
static char	 t_last[256];

/* ---- helpers ---- */

static const char *
fix(const char *name)
{
	static char	 path[PATH_MAX * 2];

	snprintf(path, sizeof path, "%s/%s", fixdir, name);
	return path;
}

static void
write_file(const char *path, const char *text, size_t len)
{
	FILE	*f;

	if ((f = fopen(path, "wb")) == NULL) {
		perror(path);
		exit(2);
	}
	fwrite(text, 1, len, f);
	fclose(f);
}

/* Split line; return the words joined with '|', or "ERR:cause". */
static const char *
split(const char *line)
{
	static char	 out[1024];
	char		**argv, *cause;
	int		 argc, i;

	out[0] = '\0';
	if (cmdparse_split(line, &argc, &argv, &cause) != 0) {
		snprintf(out, sizeof out, "ERR:%s", cause);
		free(cause);
		return out;
	}
	if (argv == NULL || argv[argc] != NULL)
		return "BAD-ARGV";
	for (i = 0; i < argc; i++) {
		if (i > 0)
			strncat(out, "|", sizeof out - strlen(out) - 1);
		strncat(out, argv[i], sizeof out - strlen(out) - 1);
	}
	cmdparse_free_argv(argc, argv);
	return out;
}

/* Run a file; return "" on success or the cause. */
static const char *
run_file(const char *path)
{
	static char	 out[4096];
	char		*cause;

	out[0] = '\0';
	if (cmdparse_file(path, &cause) != 0) {
		snprintf(out, sizeof out, "%s", cause);
		free(cause);
	}
	return out;
}

static int
t_count(int argc, char **argv, void *arg, char **cause)
{
	int	 i;

	t_calls++;
	t_last[0] = '\0';
	for (i = 1; i < argc; i++) {
		if (i > 1)
			strncat(t_last, "|", sizeof t_last - strlen(t_last) - 1);
		strncat(t_last, argv[i], sizeof t_last - strlen(t_last) - 1);
	}
	if (arg != NULL)
		(*(int *)arg)++;
	return 0;
}

static int
t_fail(int argc, char **argv, void *arg, char **cause)
{
	if (argc > 1)
		xasprintf(cause, "t-fail: %s", argv[1]);
	return -1;
}

static int
t_other(int argc, char **argv, void *arg, char **cause)
{
	t_calls += 100;
	return 0;
}

static void
test_commands(void)
{
	static const struct cmd_entry	 entries[] = {
		{ "t-count", "t-count [ARG ...]", 0, -1, t_count, NULL },
		{ "t-two", "t-two A [B]", 1, 2, t_count, NULL },
		{ "t-fail", "t-fail [WHY]", 0, 1, t_fail, NULL },
	};
	size_t				 i;

	for (i = 0; i < nitems(entries); i++)
		cmdparse_register(&entries[i]);
	t_calls = 0;
	t_last[0] = '\0';
}

/* ---- splitting ---- */

TEST(split_words)
{
	ASSERT_STR(split("a b  c"), "a|b|c");
	ASSERT_STR(split("  \tlead and trail \t "), "lead|and|trail");
	ASSERT_STR(split(""), "");
	ASSERT_STR(split("   "), "");
	ASSERT_STR(split("a\r"), "a");
	ASSERT_STR(split("a\n"), "a");
}

TEST(split_quotes)
{
	ASSERT_STR(split("'a b' \"c d\" e\\ f"), "a b|c d|e f");
	ASSERT_STR(split("'it''s' x"), "its|x");
	ASSERT_STR(split("a'b'\"c\"d"), "abcd");
	ASSERT_STR(split("'' x \"\""), "|x|");
	ASSERT_STR(split("'\\n $HOME \"'"), "\\n $HOME \"");
	ASSERT_STR(split("\"a\\\"b\\\\c\\$d\""), "a\"b\\c$d");
	ASSERT_STR(split("\"1\\n2\\t3\""), "1\n2\t3");
	ASSERT_STR(split("\"\\q\""), "\\q");
	ASSERT_STR(split("\\'x\\\" \\\\"), "'x\"|\\");
	ASSERT_STR(split("bind -N 'Roll back the selected deployment' R "
	    "rollback"), "bind|-N|Roll back the selected deployment|R|"
	    "rollback");
}

TEST(split_comments)
{
	ASSERT_STR(split("# a comment"), "");
	ASSERT_STR(split("   # indented"), "");
	ASSERT_STR(split("a b # trailing 'quote"), "a|b");
	ASSERT_STR(split("a#b"), "a#b");
	ASSERT_STR(split("\"#x\" '#y' \\#z"), "#x|#y|#z");
	ASSERT_STR(split("a\t#\tb"), "a");
}

TEST(split_variables)
{
	setenv("WR_T", "v a l", 1);
	unsetenv("WR_UNSET");
	ASSERT_STR(split("\"$WR_T\""), "v a l");
	ASSERT_STR(split("$WR_T"), "v a l");		/* never re-split */
	ASSERT_STR(split("x${WR_T}y"), "xv a ly");
	ASSERT_STR(split("\"<$WR_T.>\""), "<v a l.>");
	ASSERT_STR(split("'$WR_T'"), "$WR_T");
	ASSERT_STR(split("\\$WR_T"), "$WR_T");
	ASSERT_STR(split("a $WR_UNSET b"), "a|b");
	ASSERT_STR(split("a \"$WR_UNSET\" b"), "a||b");
	ASSERT_STR(split("$ a$ $1 $-"), "$|a$|$1|$-");
	ASSERT_STR(split("${WR_T"), "ERR:missing closing } after ${");
	ASSERT_STR(split("${1}"), "ERR:bad variable name in ${...}");
	ASSERT_STR(split("\"${}\""), "ERR:empty variable name in ${}");
}

TEST(split_tilde)
{
	setenv("HOME", "/home/oncall", 1);
	ASSERT_STR(split("~/x ~ a~/b \"~/q\" '~' ~user"),
	    "/home/oncall/x|/home/oncall|a~/b|~/q|~|~user");
	ASSERT_STR(split("source-file ~/.config/warroom/kcp.conf"),
	    "source-file|/home/oncall/.config/warroom/kcp.conf");
}

TEST(split_errors)
{
	ASSERT_STR(split("set theme \"dark"), "ERR:missing closing \"");
	ASSERT_STR(split("set theme 'dark"), "ERR:missing closing '");
	ASSERT_STR(split("a \"b\nc\""), "ERR:missing closing \"");
	ASSERT_STR(split("a\\"), "ERR:trailing backslash");
	ASSERT_STR(split("a\nb"), "ERR:unexpected newline");
	ASSERT_STR(split("a \\\nb"), "a|b");
}

/* ---- the command table ---- */

TEST(exec_registry)
{
	char	*argv[] = { "t-two", "x", "y", "z", NULL }, *cause = NULL;

	cmdparse_reset();
	test_commands();

	ASSERT_INT(cmdparse_exec(2, argv, &cause), 0);
	ASSERT_INT(t_calls, 1);
	ASSERT_STR(t_last, "x");
	ASSERT_INT(cmdparse_exec(3, argv, &cause), 0);
	ASSERT_STR(t_last, "x|y");

	ASSERT_INT(cmdparse_exec(4, argv, &cause), -1);
	ASSERT_STR(cause, "usage: t-two A [B]");
	free(cause);
	ASSERT_INT(cmdparse_exec(1, argv, &cause), -1);
	ASSERT_STR(cause, "usage: t-two A [B]");
	free(cause);
	ASSERT_INT(t_calls, 2);

	ASSERT_INT(cmdparse_exec(0, argv, &cause), 0);	/* nothing to do */
}

TEST(exec_unknown_and_failure)
{
	char	*argv[] = { "nope", NULL }, *evil[] = { "x\033[2J", NULL };
	char	*fail1[] = { "t-fail", NULL }, *fail2[] = { "t-fail", "why", NULL };
	char	*cause;

	cmdparse_reset();
	test_commands();
	ASSERT_INT(cmdparse_exec(1, argv, &cause), -1);
	ASSERT_STR(cause, "unknown command \"nope\"");
	free(cause);
	ASSERT_INT(cmdparse_exec(1, evil, &cause), -1);
	ASSERT_STR(cause, "unknown command \"x\\x1b[2J\"");
	free(cause);
	ASSERT_INT(cmdparse_exec(1, fail1, &cause), -1);
	ASSERT_STR(cause, "t-fail failed");
	free(cause);
	ASSERT_INT(cmdparse_exec(2, fail2, &cause), -1);
	ASSERT_STR(cause, "t-fail: why");
	free(cause);
}

TEST(register_copies_and_replaces)
{
	struct cmd_entry	 ce;
	char			 name[16] = "t-copy", usage[16] = "t-copy";
	char			*argv[] = { "t-copy", NULL }, *cause;
	int			 hits = 0;

	cmdparse_reset();
	ce.name = name;
	ce.usage = usage;
	ce.min_args = 0;
	ce.max_args = 0;
	ce.fn = t_count;
	ce.arg = &hits;
	cmdparse_register(&ce);
	/* The caller's storage may change or go away. */
	strcpy(name, "garbage");
	strcpy(usage, "garbage");
	ce.fn = t_fail;
	t_calls = 0;
	ASSERT_INT(cmdparse_exec(1, argv, &cause), 0);
	ASSERT_INT(hits, 1);

	/* Registering the name again replaces the entry. */
	strcpy(name, "t-copy");
	ce.fn = t_other;
	cmdparse_register(&ce);
	ASSERT_INT(cmdparse_exec(1, argv, &cause), 0);
	ASSERT_INT(t_calls, 101);
	ASSERT_INT(hits, 1);

	cmdparse_reset();
	ASSERT_INT(cmdparse_exec(1, argv, &cause), -1);
	ASSERT_STR(cause, "unknown command \"t-copy\"");
	free(cause);
}

/* ---- strings and files ---- */

TEST(string_lines)
{
	cmdparse_reset();
	test_commands();
	ASSERT_STR(run("t-count a\n\n# c\nt-count b c\n"), "");
	ASSERT_INT(t_calls, 2);
	ASSERT_STR(t_last, "b|c");

	ASSERT_STR(run("t-count a \\\n  b \\\n  c"), "");
	ASSERT_STR(t_last, "a|b|c");
	ASSERT_STR(run("t-count \"a \\\nb\""), "");
	ASSERT_STR(t_last, "a b");

	ASSERT_STR(run("t-count a\r\nt-count b\r\n"), "");
	ASSERT_STR(t_last, "b");
	ASSERT_STR(run("t-count a \\\r\n b\r\n"), "");
	ASSERT_STR(t_last, "a|b");
	ASSERT_STR(run(""), "");
}

TEST(string_errors_name_line)
{
	cmdparse_reset();
	test_commands();
	t_calls = 0;
	ASSERT_STR(run("t-count\nnope x\nt-count"),
	    "t:2: unknown command \"nope\"");
	ASSERT_INT(t_calls, 1);			/* stopped at the error */
	ASSERT_STR(run("t-count \\\n a \\\n b\nt-two"),
	    "t:4: usage: t-two A [B]");
	ASSERT_STR(run("t-count\n\n  t-two 1 2 3  \n"),
	    "t:3: usage: t-two A [B]");
	ASSERT_STR(run("t-count\nt-count \"x\n"), "t:2: missing closing \"");
	ASSERT_STR(run("t-count\nt-count x\\"), "t:2: trailing backslash");
	ASSERT_STR(run("t-fail\r\n"), "t:1: t-fail failed");
}

TEST(file_errors)
{
	char	 want[PATH_MAX * 4];

	cmdparse_reset();
	config_init();
	snprintf(want, sizeof want, "%s:4: unknown command \"colour\"",
	    fix("bad-unknown.conf"));
	ASSERT_STR(run_file(fix("bad-unknown.conf")), want);
	ASSERT(cfg.theme == NULL);		/* line 5 never ran */

	snprintf(want, sizeof want, "%s:3: threshold: warn (90) must be "
	    "below crit (85)", fix("bad-threshold.conf"));
	ASSERT_STR(run_file(fix("bad-threshold.conf")), want);

	snprintf(want, sizeof want, "%s:2: missing closing \"",
	    fix("bad-quote.conf"));
	ASSERT_STR(run_file(fix("bad-quote.conf")), want);

	snprintf(want, sizeof want, "%s:5: degrade: \"1A\" is not a valid "
	    "environment variable name", fix("bad-continued.conf"));
	ASSERT_STR(run_file(fix("bad-continued.conf")), want);

	snprintf(want, sizeof want, "cannot read %s: No such file or "
	    "directory", fix("nothing-here.conf"));
	ASSERT_STR(run_file(fix("nothing-here.conf")), want);
	snprintf(want, sizeof want, "cannot read %s: Is a directory",
	    fix("sub"));
	ASSERT_STR(run_file(fix("sub")), want);
}

TEST(file_good)
{
	cmdparse_reset();
	config_init();
	setenv("HOME", "/home/oncall", 1);
	setenv("WARROOM_TEST_CA", "/etc/ssl/kcp ca.pem", 1);
	ASSERT_STR(run_file(fix("good.conf")), "");

	ASSERT(cfg.refresh == 1.5);
	ASSERT_STR(cfg.theme, "high-contrast");
	ASSERT_STR(cfg.keymap, "vi");
	ASSERT_INT(cfg.read_only, 1);
	ASSERT(cfg.protected_contexts != NULL);
	ASSERT_STR(cfg.protected_contexts[0], "prod");
	ASSERT_STR(cfg.protected_contexts[1], "prod-eu");
	ASSERT(cfg.protected_contexts[2] == NULL);

	ASSERT_STR(cfg.prometheus, "http://127.0.0.1:9090");
	ASSERT_STR(cfg.prom_token_file, "/home/oncall/prom.token");
	ASSERT_STR(cfg.prom_ca, "/etc/ssl/kcp ca.pem");
	ASSERT_STR(cfg.alertmanager, "http://127.0.0.1:9093");
	ASSERT_STR(cfg.postgres,
	    "host=127.0.0.1 port=5432 dbname=soundcore_kcp user=warroom");
	ASSERT_STR(cfg.redis, "redis://127.0.0.1:6379");

	ASSERT_INT(cfg.nhealth, 3);
	ASSERT_STR(cfg.health[0].name, "support");	/* sub/extra.conf */
	ASSERT_STR(cfg.health[1].name, "knowledge");
	ASSERT_STR(cfg.health[1].url, "http://127.0.0.1:9001/health");
	ASSERT_STR(cfg.health[2].name, "content");

	/* The six defaults, two of them replaced by the file. */
	ASSERT_INT(cfg.nthresholds, 6);
	ASSERT_STR(cfg.thresholds[0].metric, "cpu");
	ASSERT(cfg.thresholds[0].warn == 60 && cfg.thresholds[0].crit == 80);
	ASSERT_STR(cfg.thresholds[4].metric, "connections");
	ASSERT(cfg.thresholds[4].warn == 50 && cfg.thresholds[4].crit == 95);

	ASSERT_INT(cfg.ndegrades, 5);
	ASSERT_STR(cfg.degrades[0].name, "cache-fallback");
	ASSERT_STR(cfg.degrades[0].env[0], "ENABLE_CACHE_FALLBACK=true");
	ASSERT_STR(cfg.degrades[0].env[1], "FALLBACK_TTL=300");
	ASSERT(cfg.degrades[0].env[2] == NULL);
	ASSERT_STR(cfg.degrades[4].name, "backup-key");
	ASSERT_STR(cfg.degrades[4].env[0],
	    "OPENAI_API_KEY=$BACKUP_OPENAI_KEY");
}

TEST(file_crlf)
{
	cmdparse_reset();
	config_init();
	ASSERT_STR(run_file(fix("crlf.conf")), "");
	ASSERT(cfg.refresh == 0.5);
	ASSERT_INT(cfg.nhealth, 1);
	ASSERT_STR(cfg.health[0].name, "auth");
	ASSERT_STR(cfg.health[0].url, "http://127.0.0.1:8005/health");
	ASSERT_STR(cfg.theme, "light");
}

TEST(file_size_nul_bom)
{
	char	 path[PATH_MAX + 32], want[PATH_MAX * 4], *big;
	size_t	 n = 1024 * 1024, i;

	cmdparse_reset();
	config_init();

	/* Exactly 1 MiB is allowed; one byte more is refused. */
	big = malloc(n + 2);
	ASSERT(big != NULL);
	memcpy(big, "set theme big\n", 14);
	for (i = 14; i < n; i++)
		big[i] = (i % 64 == 63) ? '\n' : '#';
	snprintf(path, sizeof path, "%s/big.conf", tmpdir);
	write_file(path, big, n);
	ASSERT_STR(run_file(path), "");
	ASSERT_STR(cfg.theme, "big");
	big[n] = '\n';
	write_file(path, big, n + 1);
	free(big);
	snprintf(want, sizeof want, "cannot read %s: file is larger than "
	    "1 MiB", path);
	ASSERT_STR(run_file(path), want);

	snprintf(path, sizeof path, "%s/nul.conf", tmpdir);
	write_file(path, "set theme a\nset\0 theme b\n", 25);
	snprintf(want, sizeof want, "%s:2: NUL byte in file", path);
	ASSERT_STR(run_file(path), want);

	snprintf(path, sizeof path, "%s/bom.conf", tmpdir);
	write_file(path, "\xef\xbb\xbfset theme bom\r\n", 18);
	ASSERT_STR(run_file(path), "");
	ASSERT_STR(cfg.theme, "bom");
}

TEST(source_nesting)
{
	char	 want[PATH_MAX * 4], cwd[PATH_MAX];

	cmdparse_reset();
	config_init();
	/* Relative paths follow the including file, not the cwd. */
	ASSERT(getcwd(cwd, sizeof cwd) != NULL);
	ASSERT_INT(chdir("/"), 0);
	ASSERT_STR(run_file(fix("source-top.conf")), "");
	ASSERT_INT(chdir(cwd), 0);
	ASSERT_STR(cfg.theme, "top");
	ASSERT_STR(cfg.keymap, "inner");
	ASSERT_INT(cfg.nhealth, 1);
	ASSERT_STR(cfg.health[0].name, "leaf");

	/* The innermost file:line is the one reported. */
	snprintf(want, sizeof want, "%s/sub/bad-inner.conf:2: usage: "
	    "threshold METRIC warn=N crit=N", fixdir);
	ASSERT_STR(run_file(fix("source-bad.conf")), want);
	ASSERT_STR(cfg.keymap, "vi");

	snprintf(want, sizeof want, "%s:2: cannot read %s/does-not-exist.conf: "
	    "No such file or directory", fix("source-missing.conf"), fixdir);
	ASSERT_STR(run_file(fix("source-missing.conf")), want);
	ASSERT_STR(cfg.theme, "dark");

	ASSERT_STR(run_file(fix("source-quiet.conf")), "");
	ASSERT_STR(cfg.theme, "quiet");

	snprintf(want, sizeof want, "%s:1: cannot read %s/sub: Is a directory",
	    fix("source-dir.conf"), fixdir);
	ASSERT_STR(run_file(fix("source-dir.conf")), want);

	/* From a string, relative paths are from the cwd. */
	ASSERT_INT(chdir(fixdir), 0);
	ASSERT_STR(run("source-file leaf.conf\n"), "");
	ASSERT_INT(chdir(cwd), 0);
	ASSERT_STR(run("source-file\n"), "t:1: usage: source-file [-q] PATH");
	ASSERT_STR(run("source-file -x y\n"),
	    "t:1: usage: source-file [-q] PATH");
	ASSERT_STR(run("source-file a b\n"),
	    "t:1: usage: source-file [-q] PATH");
}

TEST(source_depth_limit)
{
	char	 path[PATH_MAX + 32], want[PATH_MAX * 4], text[64];
	int	 i;

	cmdparse_reset();
	config_init();
	/* A file sourcing itself stops at the limit, at its own line 2. */
	snprintf(want, sizeof want, "%s:2: source-file: nested too deeply "
	    "(limit 10)", fix("source-loop.conf"));
	ASSERT_STR(run_file(fix("source-loop.conf")), want);

	/* d0 sources d1 ... : ten levels below the first file are fine. */
	for (i = 0; i <= 11; i++) {
		snprintf(path, sizeof path, "%s/d%d.conf", tmpdir, i);
		snprintf(text, sizeof text, "source-file d%d.conf\n", i + 1);
		write_file(path, text, strlen(text));
	}
	snprintf(path, sizeof path, "%s/d10.conf", tmpdir);
	write_file(path, "set theme deep\n", 15);
	snprintf(path, sizeof path, "%s/d0.conf", tmpdir);
	ASSERT_STR(run_file(path), "");
	ASSERT_STR(cfg.theme, "deep");

	snprintf(path, sizeof path, "%s/d10.conf", tmpdir);
	write_file(path, "source-file -q d11.conf\n", 24);
	snprintf(path, sizeof path, "%s/d11.conf", tmpdir);
	write_file(path, "set theme deeper\n", 17);
	snprintf(path, sizeof path, "%s/d0.conf", tmpdir);
	snprintf(want, sizeof want, "%s/d10.conf:1: source-file: nested too "
	    "deeply (limit 10)", tmpdir);
	ASSERT_STR(run_file(path), want);
}

/* ---- setup ---- */

static void
find_fixtures(void)
{
	const char	*srcdir = getenv("TEST_SRCDIR");
	char		 path[PATH_MAX * 2], *slash;
	struct stat	 sb;

	if (srcdir != NULL && *srcdir != '\0') {
		/* The top source directory, or tests/ itself. */
		snprintf(path, sizeof path, "%s/tests/fixtures/config", srcdir);
		if (stat(path, &sb) != 0)
			snprintf(path, sizeof path, "%s/fixtures/config",
			    srcdir);
	} else {
		snprintf(path, sizeof path, "%s", __FILE__);
		if ((slash = strrchr(path, '/')) != NULL)
			snprintf(slash, sizeof path - (slash - path),
			    "/fixtures/config");
		else
			snprintf(path, sizeof path, "fixtures/config");
	}
	if (realpath(path, fixdir) == NULL) {
		fprintf(stderr, "test-cmdparse: fixtures not found at %s: %s "
		    "(set TEST_SRCDIR)\n", path, strerror(errno));
		exit(2);
	}
}

static void
remove_tmpdir(void)
{
	char	 cmd[PATH_MAX + 16];

	if (tmpdir[0] == '\0')
		return;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		fprintf(stderr, "test-cmdparse: cannot remove %s\n", tmpdir);
}

int
main(void)
{
	const char	*base = getenv("TMPDIR");

	find_fixtures();
	snprintf(tmpdir, sizeof tmpdir, "%s/test-cmdparse.XXXXXX",
	    base != NULL && *base == '/' ? base : "/tmp");
	if (mkdtemp(tmpdir) == NULL) {
		perror("mkdtemp");
		return 2;
	}

	RUN(split_words);
	RUN(split_quotes);
	RUN(split_comments);
	RUN(split_variables);
	RUN(split_tilde);
	RUN(split_errors);
	RUN(exec_registry);
	RUN(exec_unknown_and_failure);
	RUN(register_copies_and_replaces);
	RUN(string_lines);
	RUN(string_errors_name_line);
	RUN(file_errors);
	RUN(file_good);
	RUN(file_crlf);
	RUN(file_size_nul_bom);
	RUN(source_nesting);
	RUN(source_depth_limit);

	config_free();
	cmdparse_reset();
	remove_tmpdir();
	return TEST_EXIT();
}
