/* main.c: options, configuration, the loop's handles and an orderly
 * shutdown. The dashboard, snapshot and other subcommands start here. */
#include <errno.h>
#include <getopt.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <curl/curl.h>
#include <jansson.h>
#include <uv.h>

#include "autoconf.h"
#include "action.h"
#include "app-actions.h"
#include "check.h"
#include "cmdparse.h"
#include "config.h"
#include "endpoint.h"
#include "kube.h"
#include "kubeconfig.h"
#include "model.h"
#include "net-http.h"
#include "net-pg.h"
#include "snapshot.h"
#include "source.h"
#include "ui.h"
#include "warroom.h"

#define FRAME_MS	250	/* at most this often a redraw for data */
#define FRAME_MAX_MS	1000	/* and at least this often */
#define FRAME_BUDGET	50	/* wait 50x what a redraw cost: <= 2 % CPU */
#define SNAPSHOT_TIMEOUT_MS 60000

struct opts {
	const char	*config;
	const char	*kubeconfig;
	const char	*context;
	const char	*namespace;
	int		 all_namespaces;
	int		 read_only;
	int		 wall;
	int		 json;
	int		 dry_run;
	const char	*to_revision;	/* (do rollback) --to-revision N */
	const char	*older_than;	/* (do pg-terminate-idle) */
	const char	*notify;	/* (check) --notify URL */
	int		 yes;
	const char	*confirm;	/* (do) --confirm NAME */
	const char	*theme;
	const char	*keymap;
	const char	*log;
};

/* A source_table entry and what it made. */
struct app_source {
	const struct source_ops	*ops;
	void			*s;		/* NULL: not configured */
	int			 answered;	/* (snapshot) has answered once */
};

struct app {
	uv_loop_t		 loop;
	struct model		 model;
	struct http		*http;
	struct kubeconfig	*kc;
	struct kube		*kube;
	struct app_source	*sources;	/* one per source_table entry */
	int			 nsources;
	int			 snap_pending;	/* sources yet to answer once */
	uv_poll_t		 stdin_poll;
	uv_signal_t		 sigwinch, sigterm, sigint, sighup;
	uv_timer_t		 tick, frame, deadline;
	int			 tui;
	int			 in_hook;	/* inside ui_action_hook */
	int			 quitting;
	int			 exit_code;
};

static const char *usage_text =
"usage: warroom [options]                 the dashboard\n"
"       warroom snapshot --json [options] one collection round as JSON\n"
"       warroom do ACTION TARGET [ARGS] [--dry-run] [--yes] [--confirm NAME]\n"
"                                         one action through the action layer\n"
"       warroom check [--json] [--notify URL]\n"
"                                         the health probes once; exit 1 if one fails\n"
"       warroom audit [--json] [-n N]     the audit trail\n"
"\n"
"options:\n"
"  -c, --config FILE       config file (default ~/.config/warroom/config)\n"
"      --kubeconfig FILE   use only this kubeconfig file\n"
"      --context NAME      kubeconfig context\n"
"  -n, --namespace NS      namespace (default: the context's)\n"
"  -A, --all-namespaces    every namespace\n"
"      --read-only         no actions\n"
"      --wall              war-room wall screen: read-only, large\n"
"      --theme NAME        dark, light, mono, high-contrast or a file\n"
"      --keymap NAME       default, vi or a file\n"
"      --json              (snapshot) print JSON\n"
"      --dry-run           (do) preview the change, send nothing\n"
"      --yes               (do) do not ask for confirmation\n"
"      --confirm NAME      (do) the target's name, typed ahead: needed with\n"
"                          --yes for scale to 0 and in protected contexts\n"
"      --to-revision N     (do rollback) the revision to go back to\n"
"      --older-than D      (do pg-terminate-idle) idle for longer than D (5m)\n"
"      --notify URL        (check) post the failures as JSON to a webhook\n"
"  -v, --log FILE          write a debug log\n"
"  -V, --version           print the version\n"
"  -h, --help              this help\n";

static struct app	 app;

static void
app_fatal_hook(void)
{
	if (app.tui)
		ui_stop();
}

/* Close a handle of the app's own, if it was ever started. */
static void
app_close(void *h)
{
	uv_handle_t	*handle = h;

	if (handle->loop != NULL && !uv_is_closing(handle))
		uv_close(handle, NULL);
}

/* Stop everything; the loop ends once the handles have closed. */
static void
app_quit(int code)
{
	int	 i;

	if (app.quitting)
		return;
	app.quitting = 1;
	app.exit_code = code;
	action_abandon_all();
	for (i = 0; i < app.nsources; i++) {
		if (app.sources[i].s != NULL)
			app.sources[i].ops->free(app.sources[i].s);
		app.sources[i].s = NULL;
	}
	http_free(app.http);
	app.http = NULL;
	app_close(&app.stdin_poll);
	app_close(&app.sigwinch);
	app_close(&app.sigterm);
	app_close(&app.sigint);
	app_close(&app.sighup);
	app_close(&app.tick);
	app_close(&app.frame);
	app_close(&app.deadline);
}

static void
app_redraw(void)
{
	if (app.tui && !app.quitting && app.model.dirty != 0)
		ui_redraw(&app.model);
}

static void
app_stdin_cb(uv_poll_t *h, int status, int events)
{
	if (app.quitting)
		return;
	if (status < 0 || (events & UV_DISCONNECT)) {
		app_quit(0);
		return;
	}
	if (ui_input(&app.model)) {
		app_quit(0);
		return;
	}
	app_redraw();
}

static void
app_signal_cb(uv_signal_t *h, int signum)
{
	if (signum == SIGWINCH) {
		ui_resize(&app.model);
		app_redraw();
		return;
	}
	app_quit(signum == SIGINT ? 130 : 0);
}

static void
app_refresh(void)
{
	int	 i;

	for (i = 0; i < app.nsources; i++) {
		if (app.sources[i].s != NULL)
			app.sources[i].ops->refresh(app.sources[i].s);
	}
}

/*
 * Make every configured source of source_table, then start them in the
 * table's order. on_poll (may be NULL) gets the source's struct app_source;
 * snap_pending counts the sources made.
 */
static void
app_sources_start(int watch, void (*on_poll)(void *))
{
	struct source_env	 env;
	struct app_source	*as;
	int			 i;

	while (source_table[app.nsources] != NULL)
		app.nsources++;
	app.sources = xcalloc(app.nsources, sizeof *app.sources);
	memset(&env, 0, sizeof env);
	env.loop = &app.loop;
	env.http = app.http;
	env.kube = app.kube;
	env.model = &app.model;
	env.watch = watch;
	env.on_poll = on_poll;
	for (i = 0; i < app.nsources; i++) {
		as = &app.sources[i];
		as->ops = source_table[i];
		env.arg = on_poll != NULL ? as : NULL;
		if ((as->s = as->ops->create(&env)) != NULL)
			app.snap_pending++;
	}
	for (i = 0; i < app.nsources; i++) {
		if (app.sources[i].s != NULL)
			app.sources[i].ops->start(app.sources[i].s);
	}
}

static void
app_tick_cb(uv_timer_t *t)
{
	model_tick(&app.model, now_wall());
	if (app.tui && !app.quitting)
		ui_tick(&app.model, now_wall());
}

/*
 * Data-driven redraws are paced: with 10,000 pods rebuilding the lists costs
 * tens of milliseconds, so the next frame waits FRAME_BUDGET times what the
 * last one cost (between FRAME_MS and FRAME_MAX_MS). Keys redraw at once.
 */
static void
app_frame_cb(uv_timer_t *t)
{
	double		 start = now_mono();
	uint64_t	 next = FRAME_MS;

	if (app.tui && !app.quitting && app.model.dirty != 0) {
		ui_redraw(&app.model);
		next = (uint64_t)((now_mono() - start) * 1000 * FRAME_BUDGET);
		if (next < FRAME_MS)
			next = FRAME_MS;
		if (next > FRAME_MAX_MS)
			next = FRAME_MAX_MS;
	}
	if (!app.quitting)
		uv_timer_start(&app.frame, app_frame_cb, next, 0);
}

static void
app_snapshot_done(void *arg)
{
	struct app_source	*as = arg;
	int			 i, bad = 0;

	/* Every source answers once (or fails) before the snapshot. */
	if (as != NULL) {
		if (as->answered)
			return;
		as->answered = 1;
		if (--app.snap_pending > 0)
			return;
	}

	if (snapshot_write(stdout, &app.model, now_wall()) != 0) {
		fprintf(stderr, "warroom: cannot write output: %s\n",
		    strerror(errno));
		bad = 2;
	}
	for (i = 0; i < SOURCE__COUNT && !bad; i++) {
		if (app.model.sources[i].state != SOURCE_OFF &&
		    app.model.sources[i].state != SOURCE_OK)
			bad = 1;
	}
	app_quit(bad);
}

static void
app_deadline_cb(uv_timer_t *t)
{
	struct app_source	*as;
	int			 i;

	for (i = 0; i < app.nsources; i++) {
		as = &app.sources[i];
		if (as->s != NULL && as->ops->timed_out != NULL)
			as->ops->timed_out(as->s);
	}
	app_snapshot_done(NULL);
}

/* Print an error from outside (a file, a plugin, a server) to stderr,
 * through the sanitizer, and free it. */
static void
app_error(const char *what, char *cause)
{
	char	*clean = sanitize(cause);

	fprintf(stderr, "warroom: %s%s\n", what, clean);
	free(clean);
	free(cause);
}

/* Credentials that would cross a network in clear text: said on stderr,
 * as for insecure-skip-tls-verify, and as a badge in the status bar. */
static void
app_warn_cleartext(void)
{
	struct endpoint	 e[2];
	char		*why[3];
	int		 i;

	endpoint_prometheus(&e[0]);
	endpoint_alertmanager(&e[1]);
	why[0] = endpoint_cleartext(&e[0]);
	why[1] = endpoint_cleartext(&e[1]);
	why[2] = cfg.postgres != NULL ? pg_cleartext(cfg.postgres) : NULL;
	for (i = 0; i < 3; i++) {
		if (why[i] == NULL)
			continue;
		fprintf(stderr, "warroom: warning: %s\n", why[i]);
		app.model.cleartext = 1;
		free(why[i]);
	}
}

static int
app_load_config(const struct opts *o)
{
	char	*path, *cause = NULL;
	int	 rc = 0;

	config_init();
	ui_register_commands();
	if (o->config != NULL) {
		if (cmdparse_file(o->config, &cause) != 0)
			rc = -1;
	} else {
		path = config_default_path();
		if (path != NULL && access(path, F_OK) == 0 &&
		    cmdparse_file(path, &cause) != 0)
			rc = -1;
		free(path);
	}
	if (rc != 0)
		app_error("", cause);
	else
		app_warn_cleartext();
	return rc;
}

static int
app_load_kube(const struct opts *o, int optional)
{
	char		*cause = NULL, *cluster, *source;
	const char	*ns;
	int		 rv;

	ns = o->all_namespaces ? NULL : o->namespace;
	rv = kubeconfig_load(o->kubeconfig, o->context, ns, &app.kc, &cause);
	/* No kubeconfig at all: the dashboard and the snapshot go on without
	 * Kubernetes, unless a context was asked for. */
	if (rv == 1 && optional && o->context == NULL) {
		app_error("Kubernetes: not configured: ", cause);
		app.model.kube_none = 1;
		if (!o->all_namespaces)
			xstrset(&app.model.namespace, o->namespace);
		return 0;
	}
	if (rv != 0) {
		app_error("kubeconfig: ", cause);
		return -1;
	}
	if (kubeconfig_refresh(app.kc, 0, 30, &cause) != 0) {
		app_error("credentials: ", cause);
		return -1;
	}
	xstrset(&app.model.context, app.kc->context);
	xstrset(&app.model.cluster, app.kc->cluster);
	xstrset(&app.model.server, app.kc->server);
	xstrset(&app.model.identity, app.kc->user);
	if (!o->all_namespaces)
		xstrset(&app.model.namespace, app.kc->namespace);
	app.model.tls_insecure = app.kc->insecure;
	if (app.kc->insecure) {
		cluster = sanitize(app.kc->cluster);
		source = sanitize(app.kc->source != NULL ? app.kc->source :
		    "kubeconfig");
		fprintf(stderr, "warroom: warning: TLS verification is off for "
		    "cluster \"%s\" (insecure-skip-tls-verify in %s)\n",
		    cluster, source);
		free(cluster);
		free(source);
	}
	return 0;
}

static void
app_free(void)
{
	int	 rc;

	uv_run(&app.loop, UV_RUN_DEFAULT);
	if ((rc = uv_loop_close(&app.loop)) != 0)
		log_warn("loop close: %s", uv_strerror(rc));
	kube_free(app.kube);
	kubeconfig_free(app.kc);
	free(app.sources);
	app.sources = NULL;
	app.nsources = 0;
	model_free(&app.model);
	ui_free();
	config_free();
	cmdparse_reset();
	curl_global_cleanup();
	log_close();
}

static int
app_run_snapshot(void)
{
	app_sources_start(0, app_snapshot_done);
	uv_timer_init(&app.loop, &app.deadline);
	uv_timer_start(&app.deadline, app_deadline_cb, SNAPSHOT_TIMEOUT_MS, 0);
	uv_run(&app.loop, UV_RUN_DEFAULT);
	return app.exit_code;
}

/* The action layer's dashboard side (app-actions.c) draws at once, unless
 * the ui is in the middle of a key. */
static void
app_actions_redraw(void)
{
	if (!app.in_hook && app.tui && !app.quitting)
		ui_redraw(&app.model);
}

static void
app_actions_changed(void)
{
	if (!app.quitting)
		app_refresh();
}

static int
app_action(struct model *m, int argc, char **argv, const struct ui_target *t,
    char **cause)
{
	int	 rc;

	app.in_hook = 1;
	rc = app_actions_hook(m, argc, argv, t, cause);
	app.in_hook = 0;
	return rc;
}

static int
app_run_dashboard(const struct opts *o)
{
	struct ui_opts	 uo;
	struct app_actions aa;
	char		*cause = NULL;
	const char	*datadir;

	memset(&uo, 0, sizeof uo);
	uo.theme = o->theme != NULL ? o->theme : cfg.theme;
	uo.keymap = o->keymap != NULL ? o->keymap : cfg.keymap;
	datadir = getenv("WARROOM_DATADIR");
	uo.datadir = datadir != NULL ? datadir : WARROOM_DATADIR;
	uo.wall = o->wall;
	if (ui_load(&uo, &cause) != 0) {
		app_error("", cause);
		return 2;
	}
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fprintf(stderr, "warroom: the dashboard needs a terminal "
		    "(try 'warroom snapshot --json')\n");
		return 2;
	}
	if (ui_start(&app.model, &uo, &cause) != 0) {
		app_error("", cause);
		return 2;
	}
	app.tui = 1;
	fatal_hook = app_fatal_hook;
	ui_refresh_hook = app_refresh;
	ui_action_hook = app_action;
	memset(&aa, 0, sizeof aa);
	aa.loop = &app.loop;
	aa.kube = app.kube;
	aa.model = &app.model;
	aa.redraw = app_actions_redraw;
	aa.changed = app_actions_changed;
	app_actions_init(&aa);

	app_sources_start(1, NULL);

	uv_poll_init(&app.loop, &app.stdin_poll, STDIN_FILENO);
	uv_poll_start(&app.stdin_poll, UV_READABLE | UV_DISCONNECT,
	    app_stdin_cb);
	uv_signal_init(&app.loop, &app.sigwinch);
	uv_signal_start(&app.sigwinch, app_signal_cb, SIGWINCH);
	uv_signal_init(&app.loop, &app.sigterm);
	uv_signal_start(&app.sigterm, app_signal_cb, SIGTERM);
	uv_signal_init(&app.loop, &app.sigint);
	uv_signal_start(&app.sigint, app_signal_cb, SIGINT);
	uv_signal_init(&app.loop, &app.sighup);
	uv_signal_start(&app.sighup, app_signal_cb, SIGHUP);
	uv_timer_init(&app.loop, &app.tick);
	uv_timer_start(&app.tick, app_tick_cb, 1000, 1000);
	uv_timer_init(&app.loop, &app.frame);
	uv_timer_start(&app.frame, app_frame_cb, FRAME_MS, 0);

	ui_redraw(&app.model);
	uv_run(&app.loop, UV_RUN_DEFAULT);
	ui_stop();
	app.tui = 0;
	fatal_hook = NULL;
	return app.exit_code;
}

/*
 * getopt reads "-1" as an option, but 'warroom do scale web -1' must reach
 * scale, which explains why a count can't be negative. Show getopt only the
 * digits of such words (a pointer one byte into the word, so it is not an
 * option any more), and give the sign back to the words it leaves; a word
 * that is an option's value ("-n -1") is left alone.
 */
static int
hide_negative_numbers(int argc, char **argv, const struct option *lo,
    char **hidden, int max)
{
	const struct option *o;
	const char	*a, *prev;
	size_t		 len;
	int		 i, n = 0;

	for (i = 1; i < argc && n < max; i++) {
		a = argv[i];
		if (strcmp(a, "--") == 0)
			break;
		if (a[0] != '-' || a[1] == '\0' || strspn(a + 1, "0123456789") !=
		    strlen(a + 1))
			continue;
		prev = argv[i - 1];
		if (i > 1 && prev[0] == '-' && prev[1] != '-' && prev[1] != '\0' &&
		    prev[2] == '\0' && strchr("cnv", prev[1]) != NULL)
			continue;
		if (i > 1 && strncmp(prev, "--", 2) == 0 &&
		    strchr(prev, '=') == NULL) {
			len = strlen(prev + 2);
			for (o = lo; o->name != NULL; o++)
				if (strlen(o->name) == len &&
				    strcmp(o->name, prev + 2) == 0)
					break;
			if (o->name != NULL && o->has_arg == required_argument)
				continue;
		}
		argv[i] = hidden[n++] = argv[i] + 1;
	}
	return n;
}

/* The index of the first word that is neither an option nor an option's
 * value, or argc. */
static int
first_word(int argc, char **argv, const struct option *lo)
{
	const struct option *o;
	const char	*a;
	int		 i;

	for (i = 1; i < argc; i++) {
		a = argv[i];
		if (strcmp(a, "--") == 0)
			return i + 1 < argc ? i + 1 : argc;
		if (a[0] != '-' || a[1] == '\0')
			return i;
		if (a[1] != '-') {
			/* -c FILE, -nNS: the short options with a value. */
			if (strchr("cnv", a[1]) != NULL && a[2] == '\0')
				i++;
			continue;
		}
		if (strchr(a, '=') != NULL)
			continue;
		for (o = lo; o->name != NULL; o++)
			if (strcmp(o->name, a + 2) == 0)
				break;
		if (o->name != NULL && o->has_arg == required_argument)
			i++;
	}
	return argc;
}

static void
show_negative_numbers(int argc, char **argv, char **hidden, int n)
{
	int	 i, j;

	for (i = 1; i < argc; i++)
		for (j = 0; j < n; j++)
			if (argv[i] == hidden[j])
				argv[i]--;
}

/* The debug log, or why not (a file shared with others, or a symlink). */
static int
main_log_open(const char *path)
{
	char	*cause = NULL, *clean;

	if (log_open(path, &cause) == 0)
		return 0;
	clean = sanitize(cause);
	fprintf(stderr, "warroom: --log %s\n", clean);
	free(clean);
	free(cause);
	return -1;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "config",		required_argument, NULL, 'c' },
		{ "kubeconfig",		required_argument, NULL, 'K' },
		{ "context",		required_argument, NULL, 'C' },
		{ "namespace",		required_argument, NULL, 'n' },
		{ "all-namespaces",	no_argument,	   NULL, 'A' },
		{ "read-only",		no_argument,	   NULL, 'r' },
		{ "wall",		no_argument,	   NULL, 'W' },
		{ "theme",		required_argument, NULL, 'T' },
		{ "keymap",		required_argument, NULL, 'k' },
		{ "json",		no_argument,	   NULL, 'j' },
		{ "dry-run",		no_argument,	   NULL, 'D' },
		{ "yes",		no_argument,	   NULL, 'y' },
		{ "confirm",		required_argument, NULL, 'Y' },
		{ "to-revision",	required_argument, NULL, 'R' },
		{ "older-than",		required_argument, NULL, 'O' },
		{ "notify",		required_argument, NULL, 'N' },
		{ "log",		required_argument, NULL, 'v' },
		{ "version",		no_argument,	   NULL, 'V' },
		{ "help",		no_argument,	   NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct opts	 o;
	const char	*cmd = NULL;
	char		**av, *hidden[16];
	int		 ch, rc, n, nhidden;

	setlocale(LC_ALL, "");
	memset(&o, 0, sizeof o);
	/* 'audit' has options of its own (--json, -n N) that mean something
	 * else to the others: it takes the words after it. */
	if ((n = first_word(argc, argv, longopts)) < argc &&
	    strcmp(argv[n], "audit") == 0)
		return audit_cli(argc - n - 1, argv + n + 1);
	nhidden = hide_negative_numbers(argc, argv, longopts, hidden, 16);
	while ((ch = getopt_long(argc, argv, "c:n:Av:Vh", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'c': o.config = optarg; break;
		case 'K': o.kubeconfig = optarg; break;
		case 'C': o.context = optarg; break;
		case 'n': o.namespace = optarg; break;
		case 'A': o.all_namespaces = 1; break;
		case 'r': o.read_only = 1; break;
		case 'W': o.wall = o.read_only = 1; break;
		case 'T': o.theme = optarg; break;
		case 'k': o.keymap = optarg; break;
		case 'j': o.json = 1; break;
		case 'D': o.dry_run = 1; break;
		case 'y': o.yes = 1; break;
		case 'Y': o.confirm = optarg; break;
		case 'R': o.to_revision = optarg; break;
		case 'O': o.older_than = optarg; break;
		case 'N': o.notify = optarg; break;
		case 'v': o.log = optarg; break;
		case 'V':
			printf("warroom %s\n", PACKAGE_VERSION);
			return 0;
		case 'h':
			fputs(usage_text, stdout);
			return 0;
		default:
			fputs(usage_text, stderr);
			return 2;
		}
	}
	show_negative_numbers(argc, argv, hidden, nhidden);
	if (optind < argc)
		cmd = argv[optind++];
	if (optind < argc && (cmd == NULL || strcmp(cmd, "do") != 0)) {
		fprintf(stderr, "warroom: unexpected argument \"%s\"\n",
		    argv[optind]);
		return 2;
	}
	if (cmd != NULL && strcmp(cmd, "snapshot") != 0 &&
	    strcmp(cmd, "do") != 0 && strcmp(cmd, "check") != 0) {
		fprintf(stderr, "warroom: unknown command \"%s\"\n%s", cmd,
		    usage_text);
		return 2;
	}
	if (o.log == NULL)
		o.log = getenv("WARROOM_LOG");
	if (o.log != NULL && main_log_open(o.log) != 0)
		return 2;
	signal(SIGPIPE, SIG_IGN);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	srand((unsigned)(now_mono() * 1000) ^ (unsigned)getpid());

	model_init(&app.model);
	uv_loop_init(&app.loop);
	if (cmd != NULL && strcmp(cmd, "check") == 0) {
		/* No Kubernetes needed: cron on a host without a kubeconfig. */
		if (app_load_config(&o) != 0) {
			app_free();
			return 2;
		}
		app.http = http_create(&app.loop);
		rc = check_run(&app.loop, app.http, o.json, o.notify);
		app_quit(rc);
		app_free();
		return rc;
	}
	if (app_load_config(&o) != 0 || app_load_kube(&o, cmd == NULL ||
	    strcmp(cmd, "snapshot") == 0) != 0) {
		app_free();
		return 2;
	}
	app.model.read_only_flag = o.read_only;
	app.model.wall = o.wall;
	app.model.read_only = o.read_only || o.wall ||
	    action_context_read_only(app.kc != NULL ? app.kc->context : NULL);
	app.http = http_create(&app.loop);
	if (app.kc != NULL)
		app.kube = kube_create(app.http, app.kc);

	if (cmd != NULL && strcmp(cmd, "do") == 0) {
		/* --to-revision N is rollback's optional third word. */
		n = argc - optind;
		av = xcalloc((size_t)n + 3, sizeof *av);
		memcpy(av, argv + optind, (size_t)n * sizeof *av);
		if (o.to_revision != NULL)
			av[n++] = (char *)o.to_revision;
		if (o.older_than != NULL) {
			av[n++] = (char *)"--older-than";
			av[n++] = (char *)o.older_than;
		}
		rc = action_cli_do(&app.loop, app.kube, &app.model, n, av,
		    (o.dry_run ? ACTION_DRY_RUN : 0) | (o.yes ? ACTION_YES : 0),
		    o.confirm);
		free(av);
	} else if (cmd != NULL)
		rc = app_run_snapshot();
	else
		rc = app_run_dashboard(&o);
	if (!app.quitting)
		app_quit(rc);
	app_free();
	return rc;
}
