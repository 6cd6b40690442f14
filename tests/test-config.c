/* test-config.c: the config commands (set, query, the sources, health,
 * threshold, degrade) and their errors, the defaults, durations and the
 * default path of the config file. */
#include <stdlib.h>
#include <string.h>

#include "cmdparse.h"
#include "config.h"
#include "cmdparse-fixture.h"
#include "test.h"

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

int
main(void)
{
	RUN(config_defaults);
	RUN(config_set);
	RUN(config_sources);
	RUN(config_queries);
	RUN(config_health);
	RUN(config_threshold);
	RUN(config_degrade);
	RUN(durations);
	RUN(default_path);

	config_free();
	cmdparse_reset();
	return TEST_EXIT();
}
