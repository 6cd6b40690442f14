/* test-cmdparse.c: the command language (splitting, the command table,
 * files and source-file), the config commands and the sanitizer. Fixtures
 * are in tests/fixtures/config/ (found through $TEST_SRCDIR or __FILE__). */
#include <sys/stat.h>

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmdparse.h"
#include "config.h"
#include "test.h"
#include "warroom.h"

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

/* Run text as "t"; return "" on success or the cause. */
static const char *
run(const char *text)
{
	static char	 out[1024];
	char		*cause;

	out[0] = '\0';
	if (cmdparse_string(text, "t", &cause) != 0) {
		snprintf(out, sizeof out, "%s", cause);
		free(cause);
	}
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

static char *
sanitized(const char *s)
{
	static char	 out[1024];
	char		*p;

	p = sanitize(s);
	snprintf(out, sizeof out, "%s", p);
	free(p);
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

/* Is s printable ASCII and clean UTF-8 with nothing sanitize would change? */
static int
clean_output(const char *s)
{
	const unsigned char	*p;
	char			*again;
	int			 ok;

	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p < 0x20 || *p == 0x7f)
			return 0;
	}
	again = sanitize(s);
	ok = strcmp(again, s) == 0;
	free(again);
	return ok;
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

/* ---- config ---- */

TEST(config_defaults)
{
	cmdparse_reset();
	config_init();
	config_init();				/* twice: no leak, same state */
	ASSERT(cfg.refresh == 2);
	ASSERT(cfg.prometheus == NULL && cfg.redis == NULL);
	ASSERT(cfg.theme == NULL && cfg.keymap == NULL);
	ASSERT_INT(cfg.read_only, 0);
	ASSERT_INT(cfg.nhealth, 0);
	ASSERT_INT(cfg.nthresholds, 6);
	ASSERT_STR(cfg.thresholds[0].metric, "cpu");
	ASSERT(cfg.thresholds[0].warn == 70 && cfg.thresholds[0].crit == 85);
	ASSERT_STR(cfg.thresholds[1].metric, "memory");
	ASSERT(cfg.thresholds[1].warn == 75 && cfg.thresholds[1].crit == 90);
	ASSERT_STR(cfg.thresholds[2].metric, "disk");
	ASSERT(cfg.thresholds[2].warn == 70 && cfg.thresholds[2].crit == 85);
	ASSERT_STR(cfg.thresholds[3].metric, "network");
	ASSERT(cfg.thresholds[3].warn == 70 && cfg.thresholds[3].crit == 85);
	ASSERT_STR(cfg.thresholds[4].metric, "connections");
	ASSERT(cfg.thresholds[4].warn == 70 && cfg.thresholds[4].crit == 80);
	ASSERT_STR(cfg.thresholds[5].metric, "redis-memory");
	ASSERT(cfg.thresholds[5].warn == 75 && cfg.thresholds[5].crit == 85);

	ASSERT_INT(cfg.ndegrades, 4);
	ASSERT_STR(cfg.degrades[0].name, "cache-fallback");
	ASSERT_STR(cfg.degrades[0].env[0], "ENABLE_CACHE_FALLBACK=true");
	ASSERT(cfg.degrades[0].env[1] == NULL);
	ASSERT_STR(cfg.degrades[1].name, "db-fallback");
	ASSERT_STR(cfg.degrades[1].env[0], "ENABLE_DB_FALLBACK=true");
	ASSERT_STR(cfg.degrades[1].env[1], "DISABLE_CACHE=true");
	ASSERT_STR(cfg.degrades[2].name, "no-realtime-stats");
	ASSERT_STR(cfg.degrades[2].env[0], "DISABLE_REALTIME_STATS=true");
	ASSERT_STR(cfg.degrades[3].name, "request-queue");
	ASSERT_STR(cfg.degrades[3].env[0], "ENABLE_REQUEST_QUEUE=true");
	ASSERT_STR(cfg.degrades[3].env[1], "MAX_CONCURRENT_REQUESTS=10");
	ASSERT(cfg.degrades[3].env[2] == NULL);

	config_free();
	ASSERT(cfg.thresholds == NULL && cfg.nthresholds == 0);
	ASSERT(cfg.refresh == 0);
}

TEST(config_set)
{
	cmdparse_reset();
	config_init();
	ASSERT_STR(run("set refresh 500ms"), "");
	ASSERT(cfg.refresh == 0.5);
	ASSERT_STR(run("set refresh 1m"), "");
	ASSERT(cfg.refresh == 60);
	ASSERT_STR(run("set refresh 5"), "");
	ASSERT(cfg.refresh == 5);
	ASSERT_STR(run("set refresh fast"), "t:1: set refresh: \"fast\" is "
	    "not a duration (like 2s, 500ms, 1m)");
	ASSERT_STR(run("set refresh 10ms"),
	    "t:1: set refresh: 10ms is out of range (100ms to 1h)");
	ASSERT_STR(run("set refresh 2h"),
	    "t:1: set refresh: 2h is out of range (100ms to 1h)");
	ASSERT(cfg.refresh == 5);

	ASSERT_STR(run("set read-only on"), "");
	ASSERT_INT(cfg.read_only, 1);
	ASSERT_STR(run("set read-only off"), "");
	ASSERT_INT(cfg.read_only, 0);
	ASSERT_STR(run("set read-only yes"),
	    "t:1: set read-only: expected on or off, not \"yes\"");

	ASSERT_STR(run("set theme ''"), "t:1: set theme: empty name");
	ASSERT_STR(run("set keymap ''"), "t:1: set keymap: empty name");
	ASSERT_STR(run("set theme mono\nset keymap default"), "");
	ASSERT_STR(cfg.theme, "mono");
	ASSERT_STR(cfg.keymap, "default");

	ASSERT_STR(run("set protected-contexts ' prod , prod-eu,,'"), "");
	ASSERT_STR(cfg.protected_contexts[0], "prod");
	ASSERT_STR(cfg.protected_contexts[1], "prod-eu");
	ASSERT(cfg.protected_contexts[2] == NULL);
	ASSERT_STR(run("set protected-contexts ''"), "");
	ASSERT(cfg.protected_contexts == NULL);

	ASSERT_STR(run("set colour red"), "t:1: set: unknown option \"colour\" "
	    "(known: refresh, prom-range, wall-cycle, colours, theme, "
	    "keymap, "
	    "read-only, "
	    "protected-contexts, read-only-contexts)");
	ASSERT_STR(run("set refresh"), "t:1: usage: set OPTION VALUE");
	ASSERT_STR(run("set refresh 2s 3s"), "t:1: usage: set OPTION VALUE");
}

/* The resource queries: defaults for both scopes, replaced by a user's
 * line, "$range" from set prom-range. */
TEST(config_queries)
{
	char	*q;

	cmdparse_reset();
	config_init();
	q = config_query("pod", "cpu");
	ASSERT(q != NULL && strstr(q, "container_cpu_usage_seconds_total{"
	    "container!=\"\", image!=\"\"}[300s]") != NULL);
	free(q);
	q = config_query("node", "network");
	ASSERT(q != NULL && strstr(q, "node_network_receive_bytes_total{"
	    "device!=\"lo\"}[300s]") != NULL);
	free(q);
	ASSERT(config_query("pod", "connections") == NULL);
	ASSERT_STR(run("set prom-range 20s\nquery pod cpu 'rate(x[$range]) "
	    "+ rate(y[$range])'"), "");
	q = config_query("pod", "cpu");
	ASSERT_STR(q, "rate(x[20s]) + rate(y[20s])");
	free(q);
	ASSERT_STR(run("query cluster cpu up"), "t:1: query: scope \"cluster\" "
	    "is not pod or node");
	ASSERT_STR(run("query pod 'c p u' up"), "t:1: query: bad metric name "
	    "\"c p u\"");
	ASSERT_STR(run("query pod cpu ''"), "t:1: query: empty PromQL for pod "
	    "cpu");
	ASSERT_STR(run("set prom-range 0s"), "t:1: set prom-range: \"0s\" is "
	    "not a duration from 1s to 24h (like 5m)");
	ASSERT(config_threshold("memory") != NULL &&
	    config_threshold("memory")->crit == 90);
	ASSERT(config_threshold("nope") == NULL);
	config_free();
}

TEST(config_sources)
{
	cmdparse_reset();
	config_init();
	ASSERT_STR(run("prometheus https://prom.example:9090/ ca /etc/ca.pem"),
	    "");
	ASSERT_STR(cfg.prometheus, "https://prom.example:9090/");
	ASSERT_STR(cfg.prom_ca, "/etc/ca.pem");
	ASSERT(cfg.prom_token_file == NULL);
	ASSERT_STR(run("prometheus http://127.0.0.1:9090"), "");
	ASSERT(cfg.prom_ca == NULL);		/* a new line replaces all */
	ASSERT_STR(run("prometheus ftp://x"), "t:1: prometheus: URL must "
	    "start with http:// or https://");
	ASSERT_STR(run("prometheus http://"), "t:1: prometheus: URL has no "
	    "host");
	ASSERT_STR(run("prometheus 'http://a b'"), "t:1: prometheus: URL "
	    "contains a space or control character");
	ASSERT_STR(run("prometheus http://x bearer y"), "t:1: prometheus: "
	    "unknown keyword \"bearer\" (known: token-file, ca, "
	    "basic-auth-file)");
	ASSERT_STR(run("prometheus http://x token-file"),
	    "t:1: prometheus: token-file needs a PATH");
	ASSERT_STR(run("prometheus"),
	    "t:1: usage: prometheus URL [token-file PATH] [ca PATH] "
	    "[basic-auth-file PATH]");
	ASSERT_STR(cfg.prometheus, "http://127.0.0.1:9090");
	ASSERT_STR(run("alertmanager https://am:9093 basic-auth-file /s/am "
	    "ca /s/ca.pem"), "");
	ASSERT_STR(cfg.am_basic_file, "/s/am");
	ASSERT_STR(cfg.am_ca, "/s/ca.pem");
	ASSERT(cfg.am_token_file == NULL);

	ASSERT_STR(run("alertmanager http://127.0.0.1:9093"), "");
	ASSERT_STR(cfg.alertmanager, "http://127.0.0.1:9093");
	ASSERT_STR(run("alertmanager 127.0.0.1:9093"), "t:1: alertmanager: "
	    "URL must start with http:// or https://");

	ASSERT_STR(run("postgres 'postgresql://warroom@127.0.0.1/kcp'"), "");
	ASSERT_STR(run("postgres \"host=127.0.0.1 password=s3cret\""), "");
	ASSERT_STR(cfg.postgres, "host=127.0.0.1 password=s3cret");
	ASSERT_STR(run("postgres s3cret"), "t:1: postgres: expected "
	    "\"key=value ...\" (host=... dbname=...) or a postgresql:// URI");

	ASSERT_STR(run("redis redis://127.0.0.1:6379/0"), "");
	ASSERT_STR(cfg.redis, "redis://127.0.0.1:6379/0");
	ASSERT_STR(run("redis /run/redis/redis.sock"), "");
	ASSERT_STR(cfg.redis, "/run/redis/redis.sock");
	ASSERT_STR(run("redis http://127.0.0.1:6379"), "t:1: redis: expected "
	    "a redis:// URL or the absolute path of a unix socket");
	ASSERT_STR(run("redis redis://"), "t:1: redis: URL has no host");
}

TEST(config_health)
{
	cmdparse_reset();
	config_init();
	ASSERT_STR(run("health knowledge http://127.0.0.1:8001/health\n"
	    "health content http://127.0.0.1:8002/health\n"
	    "health knowledge http://10.0.0.1:8001/health\n"), "");
	ASSERT_INT(cfg.nhealth, 2);
	ASSERT_STR(cfg.health[0].url, "http://10.0.0.1:8001/health");
	ASSERT_STR(run("health 'a b' http://x"), "t:1: health: bad name "
	    "\"a b\" (use letters, digits, '_', '.' and '-')");
	ASSERT_STR(run("health x localhost:8001"), "t:1: health: URL must "
	    "start with http:// or https://");
	ASSERT_STR(run("health x"), "t:1: usage: health NAME URL");
	ASSERT_STR(run("health x http://a http://b"),
	    "t:1: usage: health NAME URL");
	ASSERT_INT(cfg.nhealth, 2);
}

TEST(config_threshold)
{
	cmdparse_reset();
	config_init();
	ASSERT_STR(run("threshold cpu crit=95 warn=80.5"), "");
	ASSERT_INT(cfg.nthresholds, 6);		/* replaced, not added */
	ASSERT(cfg.thresholds[0].warn == 80.5 && cfg.thresholds[0].crit == 95);
	ASSERT_STR(run("threshold disk warn=0 crit=100%"), "");
	ASSERT(cfg.thresholds[2].warn == 0 && cfg.thresholds[2].crit == 100);

	ASSERT_STR(run("threshold cpu warn=90 crit=85"),
	    "t:1: threshold: warn (90) must be below crit (85)");
	ASSERT_STR(run("threshold cpu warn=85 crit=85"),
	    "t:1: threshold: warn (85) must be below crit (85)");
	ASSERT_STR(run("threshold cpu warn=abc crit=90"),
	    "t:1: threshold: warn \"abc\" is not a number");
	ASSERT_STR(run("threshold cpu warn=-5 crit=90"),
	    "t:1: threshold: warn \"-5\" is not a number");
	ASSERT_STR(run("threshold cpu warn= crit=90"),
	    "t:1: threshold: warn \"\" is not a number");
	ASSERT_STR(run("threshold cpu warn=50 crit=120"),
	    "t:1: threshold: crit (120) must be between 0 and 100");
	ASSERT_STR(run("threshold cpu warn=50 warn=60"), "t:1: threshold: "
	    "expected warn=N and crit=N once each, not \"warn=60\"");
	ASSERT_STR(run("threshold cpu 50 90"), "t:1: threshold: expected "
	    "warn=N and crit=N once each, not \"50\"");
	ASSERT_STR(run("threshold 'c p u' warn=1 crit=2"),
	    "t:1: threshold: bad metric name \"c p u\"");
	ASSERT_STR(run("threshold cpu warn=70"),
	    "t:1: usage: threshold METRIC warn=N crit=N");
	ASSERT(cfg.thresholds[0].warn == 80.5 && cfg.thresholds[0].crit == 95);
}

TEST(config_degrade)
{
	cmdparse_reset();
	config_init();
	ASSERT_STR(run("degrade cache-fallback ENABLE_CACHE_FALLBACK=false "
	    "X=a=b EMPTY= _u9=1"), "");
	ASSERT_INT(cfg.ndegrades, 4);
	ASSERT_STR(cfg.degrades[0].env[0], "ENABLE_CACHE_FALLBACK=false");
	ASSERT_STR(cfg.degrades[0].env[1], "X=a=b");
	ASSERT_STR(cfg.degrades[0].env[2], "EMPTY=");
	ASSERT_STR(cfg.degrades[0].env[3], "_u9=1");
	ASSERT(cfg.degrades[0].env[4] == NULL);

	ASSERT_STR(run("degrade p 1BAD=x"), "t:1: degrade: \"1BAD\" is not a "
	    "valid environment variable name");
	ASSERT_STR(run("degrade p A-B=1"), "t:1: degrade: \"A-B\" is not a "
	    "valid environment variable name");
	ASSERT_STR(run("degrade p =1"), "t:1: degrade: \"\" is not a "
	    "valid environment variable name");
	ASSERT_STR(run("degrade p FOO"),
	    "t:1: degrade: expected NAME=VALUE, not \"FOO\"");
	ASSERT_STR(run("degrade p A=1 B=2 A=3"),
	    "t:1: degrade: A is set twice");
	ASSERT_STR(run("degrade 'a/b' A=1"), "t:1: degrade: bad profile name "
	    "\"a/b\" (use letters, digits, '_', '.' and '-')");
	ASSERT_STR(run("degrade p"),
	    "t:1: usage: degrade PROFILE NAME=VALUE [NAME=VALUE ...]");
	ASSERT_INT(cfg.ndegrades, 4);
	ASSERT_STR(run("degrade p A=1"), "");
	ASSERT_INT(cfg.ndegrades, 5);
}

TEST(durations)
{
	ASSERT(config_parse_duration("2s") == 2);
	ASSERT(config_parse_duration("500ms") == 0.5);
	ASSERT(config_parse_duration("1m") == 60);
	ASSERT(config_parse_duration("1.5s") == 1.5);
	ASSERT(config_parse_duration("3") == 3);
	ASSERT(config_parse_duration("0.25") == 0.25);
	ASSERT(config_parse_duration(".5s") == 0.5);
	ASSERT(config_parse_duration("1h") == 3600);
	ASSERT(config_parse_duration("0s") == 0);
	ASSERT(config_parse_duration("") == -1);
	ASSERT(config_parse_duration("s") == -1);
	ASSERT(config_parse_duration("2x") == -1);
	ASSERT(config_parse_duration("2sec") == -1);
	ASSERT(config_parse_duration("-1s") == -1);
	ASSERT(config_parse_duration("+1s") == -1);
	ASSERT(config_parse_duration("1e3") == -1);
	ASSERT(config_parse_duration(" 2s") == -1);
	ASSERT(config_parse_duration("2 s") == -1);
	ASSERT(config_parse_duration("inf") == -1);
	ASSERT(config_parse_duration("nan") == -1);
	ASSERT(config_parse_duration("0x10") == -1);
	ASSERT(config_parse_duration(NULL) == -1);
}

TEST(default_path)
{
	char	*p;

	setenv("XDG_CONFIG_HOME", "/xdg", 1);
	setenv("HOME", "/home/oncall", 1);
	p = config_default_path();
	ASSERT_STR(p, "/xdg/warroom/config");
	free(p);
	setenv("XDG_CONFIG_HOME", "relative", 1);	/* ignored, as XDG says */
	p = config_default_path();
	ASSERT_STR(p, "/home/oncall/.config/warroom/config");
	free(p);
	unsetenv("XDG_CONFIG_HOME");
	p = config_default_path();
	ASSERT_STR(p, "/home/oncall/.config/warroom/config");
	free(p);
}

/* ---- sanitize ---- */

TEST(sanitize_passes)
{
	ASSERT_STR(sanitized("knowledge-service-7d9f8b-x2x"),
	    "knowledge-service-7d9f8b-x2x");
	ASSERT_STR(sanitized("h\xc3\xa9llo \xe2\x9c\x93 \xe6\x97\xa5\xe6\x9c\xac "
	    "\xf0\x9f\x94\xa5"), "h\xc3\xa9llo \xe2\x9c\x93 \xe6\x97\xa5\xe6\x9c\xac "
	    "\xf0\x9f\x94\xa5");
	ASSERT_STR(sanitized("nbsp\xc2\xa0ok \\x1b stays"),
	    "nbsp\xc2\xa0ok \\x1b stays");
	ASSERT_STR(sanitized(""), "");
	ASSERT_STR(sanitized(NULL), "");
}

TEST(sanitize_controls)
{
	ASSERT_STR(sanitized("\033[31mred\033[0m"), "\\x1b[31mred\\x1b[0m");
	ASSERT_STR(sanitized("\033]0;pwned\007"), "\\x1b]0;pwned\\x07");
	ASSERT_STR(sanitized("a\r\nb"), "a\\x0d\\x0ab");
	ASSERT_STR(sanitized("a\tb"), "a b");
	ASSERT_STR(sanitized("\001\010\037\177"), "\\x01\\x08\\x1f\\x7f");
	/* C1: a raw byte and the UTF-8 encoding both show the code point. */
	ASSERT_STR(sanitized("\x9b" "31m"), "\\x9b31m");
	ASSERT_STR(sanitized("\xc2\x9b" "31m"), "\\x9b31m");
	ASSERT_STR(sanitized("\xc2\x80\xc2\x85\xc2\x9f"), "\\x80\\x85\\x9f");
}

TEST(sanitize_bidi)
{
	ASSERT_STR(sanitized("admin\xe2\x80\xae" "txt.exe"),
	    "admin\\u{202e}txt.exe");
	ASSERT_STR(sanitized("\xe2\x80\xaa\xe2\x80\xab\xe2\x80\xac\xe2\x80\xad"),
	    "\\u{202a}\\u{202b}\\u{202c}\\u{202d}");
	ASSERT_STR(sanitized("\xe2\x81\xa6\xe2\x81\xa7\xe2\x81\xa8\xe2\x81\xa9"),
	    "\\u{2066}\\u{2067}\\u{2068}\\u{2069}");
	ASSERT_STR(sanitized("\xe2\x80\x8e\xe2\x80\x8f\xd8\x9c"),
	    "\\u{200e}\\u{200f}\\u{061c}");
	/* Neighbours that are not bidi controls pass. */
	ASSERT_STR(sanitized("\xe2\x80\xa9\xe2\x80\xaf\xe2\x81\xa5"),
	    "\xe2\x80\xa9\xe2\x80\xaf\xe2\x81\xa5");
}

TEST(sanitize_invalid_utf8)
{
	ASSERT_STR(sanitized("\xff\xfe"), "\\xff\\xfe");
	ASSERT_STR(sanitized("a\x80" "b"), "a\\x80b");
	ASSERT_STR(sanitized("\xc0\xaf"), "\\xc0\\xaf");		/* overlong / */
	ASSERT_STR(sanitized("\xc1\xbf"), "\\xc1\\xbf");
	ASSERT_STR(sanitized("\xe0\x80\xaf"), "\\xe0\\x80\\xaf");
	ASSERT_STR(sanitized("\xf0\x80\x80\xaf"), "\\xf0\\x80\\x80\\xaf");
	ASSERT_STR(sanitized("\xc0\x9b"), "\\xc0\\x9b");	/* overlong ESC */
	ASSERT_STR(sanitized("\xed\xa0\x80"), "\\xed\\xa0\\x80");	/* surrogate */
	ASSERT_STR(sanitized("\xf4\x90\x80\x80"), "\\xf4\\x90\\x80\\x80");
	ASSERT_STR(sanitized("\xf5\x80\x80\x80"), "\\xf5\\x80\\x80\\x80");
	ASSERT_STR(sanitized("a\xe2\x82"), "a\\xe2\\x82");	/* cut short */
	ASSERT_STR(sanitized("\xe2\x82" "A\xe2\x82\xac"), "\\xe2\\x82A\xe2\x82\xac");
	ASSERT_STR(sanitized("\xf4\x8f\xbf\xbf"), "\xf4\x8f\xbf\xbf");
}

TEST(sanitize_into_truncates)
{
	char	 buf[32];

	ASSERT_INT(sanitize_into(buf, sizeof buf, "abc"), 3);
	ASSERT_STR(buf, "abc");
	ASSERT_INT(sanitize_into(buf, 5, "abcd"), 4);		/* exact fit */
	ASSERT_STR(buf, "abcd");
	ASSERT_INT(sanitize_into(buf, 5, "abcde"), 4);
	ASSERT_STR(buf, "abcd");
	/* An escape is never cut: \x1b needs 4 bytes, 2 are left. */
	ASSERT_INT(sanitize_into(buf, 5, "ab\033[m"), 2);
	ASSERT_STR(buf, "ab");
	ASSERT_INT(sanitize_into(buf, 7, "ab\033[m"), 6);
	ASSERT_STR(buf, "ab\\x1b");
	/* Nor a UTF-8 character: the check mark needs 3 bytes. */
	ASSERT_INT(sanitize_into(buf, 5, "ab\xe2\x9c\x93"), 2);
	ASSERT_STR(buf, "ab");
	ASSERT_INT(sanitize_into(buf, 6, "ab\xe2\x9c\x93"), 5);
	ASSERT_STR(buf, "ab\xe2\x9c\x93");
	ASSERT_INT(sanitize_into(buf, 9, "\xe2\x80\xae" "x"), 8);
	ASSERT_STR(buf, "\\u{202e}");
	ASSERT_INT(sanitize_into(buf, 8, "\xe2\x80\xae" "x"), 0);
	ASSERT_STR(buf, "");
	ASSERT_INT(sanitize_into(buf, 1, "abc"), 0);
	ASSERT_STR(buf, "");
	buf[0] = 'Z';
	ASSERT_INT(sanitize_into(buf, 0, "abc"), 0);
	ASSERT_INT(buf[0], 'Z');				/* untouched */
	ASSERT_INT(sanitize_into(buf, sizeof buf, NULL), 0);
	ASSERT_STR(buf, "");
}

TEST(sanitize_random)
{
	unsigned char	 in[64];
	char		 small[24], *full;
	unsigned int	 seed = 12345;
	size_t		 len, n, got;
	int		 round, i;

	for (round = 0; round < 20000; round++) {
		len = (seed = seed * 1103515245 + 12345) % (sizeof in);
		for (i = 0; i < (int)len; i++) {
			seed = seed * 1103515245 + 12345;
			in[i] = (seed >> 16) & 0xff;
			if (in[i] == 0)
				in[i] = 0x1b;
			if (round % 2 && (seed >> 8) % 3 == 0)
				in[i] = "\xe2\x80\xae\xc2\x9b"[(seed >> 4) % 5];
		}
		in[len] = '\0';
		full = sanitize((char *)in);
		if (!clean_output(full)) {
			free(full);
			ASSERT(!"output not clean");
		}
		for (n = 1; n <= sizeof small; n += 5) {
			got = sanitize_into(small, n, (char *)in);
			if (got != strlen(small) || got >= n ||
			    strncmp(small, full, got) != 0 ||
			    !clean_output(small)) {
				free(full);
				ASSERT(!"sanitize_into is not a clean prefix");
			}
		}
		free(full);
	}
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
	RUN(config_defaults);
	RUN(config_set);
	RUN(config_sources);
	RUN(config_queries);
	RUN(config_health);
	RUN(config_threshold);
	RUN(config_degrade);
	RUN(durations);
	RUN(default_path);
	RUN(sanitize_passes);
	RUN(sanitize_controls);
	RUN(sanitize_bidi);
	RUN(sanitize_invalid_utf8);
	RUN(sanitize_into_truncates);
	RUN(sanitize_random);

	config_free();
	cmdparse_reset();
	remove_tmpdir();
	return TEST_EXIT();
}
