/* test-ui.c: the screen without a person: text fitting and column layout,
 * row order, filtering and selection, the status bar, the action log, and
 * whole frames drawn by curses into a /dev/null terminal (TERM=xterm) and
 * read back from the window. Keys, themes and commands: test-ui-config.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "cmdparse.h"
#include "model.h"
#include "test.h"
#include "ui-fixture.h"
#include "ui-private.h"
#include "warroom.h"

/* ---- helpers ---- */

/* "G:name" for headings, "name" for rows, joined with spaces. */
static const char *
rows_of(const struct ui_list *l)
{
	static char	 out[2048];
	size_t		 i;

	out[0] = '\0';
	for (i = 0; i < l->nrows; i++) {
		snprintf(out + strlen(out), sizeof out - strlen(out), "%s%s%s",
		    i > 0 ? " " : "", l->rows[i].kind == UI_ROW_GROUP ? "G:" : "",
		    l->rows[i].name != NULL ? l->rows[i].name : "-");
	}
	return out;
}

/* The first screen row containing s, or -1. */
static int
screen_find(const char *s)
{
	int	 y;

	for (y = 0; y < LINES; y++) {
		if (strstr(screen_row(y), s) != NULL)
			return y;
	}
	return -1;
}

/* ---- text and columns ---- */

TEST(fit_text)
{
	char	 buf[64];

	ASSERT_INT(draw_width("abc", 0), 3);
	ASSERT_INT(draw_width("\xe6\x97\xa5\xe6\x9c\xac", 0), 4);
	ASSERT_INT(draw_width("\xe6\x97\xa5\xe6\x9c\xac", 1), 2);
	ASSERT_STR(draw_fit(buf, sizeof buf, "abc", 5, 0, 0), "abc  ");
	ASSERT_STR(draw_fit(buf, sizeof buf, "abc", 5, 1, 0), "  abc");
	ASSERT_STR(draw_fit(buf, sizeof buf, "abcdef", 4, 0, 0),
	    "abc\xe2\x80\xa6");
	ASSERT_STR(draw_fit(buf, sizeof buf, "abcdef", 4, 0, 1), "abc~");
	ASSERT_STR(draw_fit(buf, sizeof buf, "abcd", 4, 0, 1), "abcd");
	ASSERT_STR(draw_fit(buf, sizeof buf, "na\xc3\xafve", 6, 0, 1),
	    "na?ve ");
	ASSERT_STR(draw_fit(buf, sizeof buf, "na\xc3\xafve", 6, 0, 0),
	    "na\xc3\xafve ");
	/* A wide character never straddles the edge. */
	ASSERT_STR(draw_fit(buf, sizeof buf,
	    "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e", 5, 0, 0),
	    "\xe6\x97\xa5\xe6\x9c\xac\xe2\x80\xa6");
	ASSERT_STR(draw_fit(buf, sizeof buf,
	    "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e", 4, 0, 0),
	    "\xe6\x97\xa5\xe2\x80\xa6 ");
	/* Control bytes never get through. */
	ASSERT_STR(draw_fit(buf, sizeof buf, "a\033[31mb", 8, 0, 0),
	    "a?[31mb ");
	ASSERT_STR(draw_fit(buf, sizeof buf, "", 0, 0, 0), "");
	/* A short buffer cuts, never overflows. */
	ASSERT(strlen(draw_fit(buf, 4, "abcdefgh", 8, 0, 1)) < 4);
}

TEST(match)
{
	ASSERT(draw_match("CrashLoopBackOff", "crash"));
	ASSERT(draw_match("CrashLoopBackOff", "LOOPb"));
	ASSERT(draw_match("anything", ""));
	ASSERT(draw_match("anything", NULL));
	ASSERT(!draw_match("Running", "crash"));
	ASSERT(!draw_match(NULL, "x"));
	ASSERT(!draw_match("ab", "abc"));
}

/* The pod columns at 80 columns: STATUS whole, NAME and NODE share. */
TEST(layout_80_columns)
{
	struct draw_col	 cols[] = {
		{ "NAME", 12, 30, 1, 0, 0, 0 },
		{ "READY", 5, 5, 0, 0, 0, 0 },
		{ "STATUS", 10, 16, 0, 0, 0, 0 },
		{ "RESTARTS", 3, 11, 0, 3, 0, 0 },
		{ "AGE", 3, 5, 0, 2, 0, 0 },
		{ "NODE", 4, 20, 1, 5, 0, 0 },
	};
	int		 i, sum = 0, n;

	n = draw_layout(cols, nitems(cols), 78);
	ASSERT_INT(n, 6);
	for (i = 0; i < 6; i++)
		sum += cols[i].width;
	ASSERT_INT(sum + 5, 78);
	ASSERT_INT(cols[2].width, 16);
	ASSERT_INT(cols[1].width, 5);
	/* The name whole before RESTARTS, AGE and NODE grow. */
	ASSERT_INT(cols[0].width, 30);
	ASSERT_INT(cols[3].width, 11);
	ASSERT_INT(cols[5].width, 6);

	/* Narrow: NODE goes first (STATUS stays whole), then RESTARTS and
	   AGE; NAME never. */
	n = draw_layout(cols, nitems(cols), 44);
	ASSERT_INT(cols[5].width, 0);
	ASSERT(cols[0].width >= 12);
	ASSERT_INT(cols[2].width, 16);
	n = draw_layout(cols, nitems(cols), 36);
	ASSERT_INT(cols[3].width, 0);
	ASSERT_INT(cols[4].width, 0);
	ASSERT_INT(cols[2].width, 16);
	ASSERT(cols[0].width >= 12);

	/* An absent column takes nothing. */
	cols[5].min = -1;
	n = draw_layout(cols, nitems(cols), 200);
	ASSERT_INT(cols[5].width, 0);
	ASSERT_INT(n, 5);
}

/* Every view's command exists because its table entry does, and the
 * wall lets it run; the ui's own commands number as they are named. */
TEST(view_and_command_tables)
{
	const char	*name;
	int		 i, n;

	for (i = 0; i < view_count(); i++) {
		ASSERT(ui_command_find(view_table[i].command) != -1);
		ASSERT(ui_command_wall(view_table[i].command));
		ASSERT(view_table[i].panels[0] != NULL);
	}
	ASSERT_INT(ui_command_find("no-such-command"), -1);
	ASSERT(ui_command_find("select-up") != -1);
	ASSERT(!ui_command_wall("select-up"));
	ASSERT(!ui_command_wall("rollback"));
	ASSERT(ui_command_wall("quit"));
	for (n = 0; (name = ui_command_name(n)) != NULL; n++)
		ASSERT_INT(ui_command_find(name), n);
	ASSERT(n > view_count());
}

TEST(screen_layout)
{
	struct ui_layout l;

	ui_layout(24, 80, 4, 0, 0, 0, 0, 0, &l);
	ASSERT_INT(l.too_small, 0);
	ASSERT_INT(l.title_y, 0);
	ASSERT_INT(l.deploys_y, 1);
	ASSERT_INT(l.deploys_h, 6);
	ASSERT_INT(l.pods_y, 7);
	ASSERT_INT(l.pods_h, 15);
	ASSERT_INT(l.status_y, 22);
	ASSERT_INT(l.bottom_y, 23);
	ui_layout(24, 80, 40, 0, 0, 0, 0, 0, &l);
	ASSERT_INT(l.deploys_h, 9);
	ASSERT_INT(l.pods_y + l.pods_h, 22);
	ui_layout(40, 120, 40, 0, 0, 0, 0, 0, &l);
	ASSERT_INT(l.deploys_h, 14);
	ASSERT_INT(l.pods_y + l.pods_h, 38);
	ui_layout(9, 80, 4, 0, 0, 0, 0, 0, &l);
	ASSERT_INT(l.too_small, 1);
	ui_layout(10, 40, 4, 0, 0, 0, 0, 0, &l);
	ASSERT_INT(l.too_small, 0);
	ASSERT(l.pods_h >= 3);
}

/* ---- rows ---- */

TEST(levels)
{
	struct kube_pod		 p;
	struct kube_deploy	 d;

	memset(&p, 0, sizeof p);
	p.status = (char *)"Running";
	ASSERT_INT(panel_kube_pod_level(&p), UI_LEVEL_OK);
	p.restart_count = 2;
	ASSERT_INT(panel_kube_pod_level(&p), UI_LEVEL_WARN);
	p.restart_count = 0;
	p.status = (char *)"Init:CrashLoopBackOff";
	ASSERT_INT(panel_kube_pod_level(&p), UI_LEVEL_PROBLEM);
	p.status = (char *)"ContainerCreating";
	ASSERT_INT(panel_kube_pod_level(&p), UI_LEVEL_WARN);
	p.problem = 1;
	ASSERT_INT(panel_kube_pod_level(&p), UI_LEVEL_PROBLEM);
	p.problem = 0;
	p.status = (char *)"Completed";
	ASSERT_INT(panel_kube_pod_level(&p), UI_LEVEL_OK);

	memset(&d, 0, sizeof d);
	d.desired = d.updated = d.ready = d.available = 3;
	ASSERT_INT(panel_kube_deploy_mismatch(&d), 0);
	d.available = 2;
	ASSERT_INT(panel_kube_deploy_mismatch(&d), 1);
	d.available = 3;
	d.updated = 1;
	ASSERT_INT(panel_kube_deploy_mismatch(&d), 1);
}

TEST(rows_problems_first)
{
	struct model	 m;
	struct ui_panel	 dp, pp;
	struct ui_view	 v;

	fill_model(&m);
	memset(&dp, 0, sizeof dp);
	memset(&pp, 0, sizeof pp);
	memset(&v, 0, sizeof v);
	v.group = 1;
	panel_kube_deploys_ops.rebuild(&dp, &m, &v);
	ASSERT_STR(rows_of(&dp.list), "knowledge support auth content");
	ASSERT_INT(dp.list.nproblem, 2);
	ASSERT(dp.list.rows[0].hpa != NULL);
	ASSERT_INT(dp.list.rows[0].hpa->max, 10);
	ASSERT_INT(dp.list.rows[0].mismatch, 1);
	ASSERT_INT(dp.list.rows[0].nproblem, 1);
	ASSERT(dp.list.rows[2].hpa == NULL);

	panel_kube_pods_ops.rebuild(&pp, &m, &v);
	ASSERT_STR(rows_of(&pp.list),
	    "G:knowledge knowledge-7d9f-bbbb knowledge-7d9f-aaaa "
	    "knowledge-7d9f-cccc G:support support-6c-zzzz G:auth "
	    "auth-66-1111 auth-66-2222 G:content content-55-xxxx "
	    "content-55-yyyy G:- debug-shell");
	ASSERT_INT(pp.list.nproblem, 2);
	/* The selection never rests on a heading. */
	ASSERT_INT(pp.list.sel, 1);

	v.group = 0;
	panel_kube_pods_ops.rebuild(&pp, &m, &v);
	ASSERT_STR(rows_of(&pp.list),
	    "knowledge-7d9f-bbbb support-6c-zzzz auth-66-1111 "
	    "auth-66-2222 content-55-xxxx content-55-yyyy debug-shell "
	    "knowledge-7d9f-aaaa knowledge-7d9f-cccc");
	panel_list_free(&dp.list);
	panel_list_free(&pp.list);
	model_free(&m);
}

TEST(rows_filter_and_scope)
{
	struct model	 m;
	struct ui_panel	 dp, pp;
	struct ui_view	 v;

	fill_model(&m);
	memset(&dp, 0, sizeof dp);
	memset(&pp, 0, sizeof pp);
	memset(&v, 0, sizeof v);
	v.group = 1;
	snprintf(v.filter, sizeof v.filter, "OOM");
	panel_kube_pods_ops.rebuild(&pp, &m, &v);
	ASSERT_STR(rows_of(&pp.list), "G:support support-6c-zzzz");
	panel_kube_deploys_ops.rebuild(&dp, &m, &v);
	ASSERT_STR(rows_of(&dp.list), "support");
	ASSERT_INT(dp.list.total, 4);
	/* Node and namespace match too; case does not matter. */
	snprintf(v.filter, sizeof v.filter, "NODE-A");
	panel_kube_pods_ops.rebuild(&pp, &m, &v);
	ASSERT_INT(pp.list.nrows, 14);
	snprintf(v.filter, sizeof v.filter, "kcp-prod");
	panel_kube_deploys_ops.rebuild(&dp, &m, &v);
	ASSERT_INT(dp.list.nrows, 4);
	snprintf(v.filter, sizeof v.filter, "no-such-thing");
	panel_kube_pods_ops.rebuild(&pp, &m, &v);
	ASSERT_INT(pp.list.nrows, 0);
	ASSERT(panel_list_selected(&pp.list) == NULL);
	/* Enter on a deployment: its pods only. */
	v.filter[0] = '\0';
	v.scope_ns = (char *)"soundcore-kcp-prod";
	v.scope_name = (char *)"auth";
	panel_kube_pods_ops.rebuild(&pp, &m, &v);
	ASSERT_STR(rows_of(&pp.list), "G:auth auth-66-1111 auth-66-2222");
	panel_list_free(&dp.list);
	panel_list_free(&pp.list);
	model_free(&m);
}

TEST(selection_follows_object)
{
	struct model		 m;
	struct ui_panel		 pp;
	struct ui_view		 v;
	const struct ui_row	*r;

	fill_model(&m);
	memset(&pp, 0, sizeof pp);
	memset(&v, 0, sizeof v);
	v.group = 1;
	panel_kube_pods_ops.rebuild(&pp, &m, &v);
	panel_list_move(&pp.list, 2);
	r = panel_list_selected(&pp.list);
	ASSERT_STR(r->name, "knowledge-7d9f-cccc");
	/* A new crashing pod sorts above it; the selection stays. */
	put_pod(&m, "soundcore-kcp-prod", "knowledge-7d9f-0000",
	    "knowledge-7d9f", "Error", "0/1", 1, 1);
	panel_kube_pods_ops.rebuild(&pp, &m, &v);
	ASSERT_STR(panel_list_selected(&pp.list)->name, "knowledge-7d9f-cccc");
	/* Moving skips headings. */
	panel_list_move(&pp.list, 1);
	ASSERT_STR(panel_list_selected(&pp.list)->name, "support-6c-zzzz");
	panel_list_move(&pp.list, -1);
	ASSERT_STR(panel_list_selected(&pp.list)->name, "knowledge-7d9f-cccc");
	panel_list_home(&pp.list, 1);
	ASSERT_STR(panel_list_selected(&pp.list)->name, "debug-shell");
	panel_list_move(&pp.list, 100);
	ASSERT_STR(panel_list_selected(&pp.list)->name, "debug-shell");
	panel_list_home(&pp.list, 0);
	ASSERT_STR(panel_list_selected(&pp.list)->name, "knowledge-7d9f-0000");
	panel_list_move(&pp.list, -5);
	ASSERT_STR(panel_list_selected(&pp.list)->name, "knowledge-7d9f-0000");
	/* The selected pod goes away: the selection stays near. */
	panel_list_move(&pp.list, 1);
	table_del(&m.pods, "soundcore-kcp-prod/knowledge-7d9f-bbbb");
	panel_kube_pods_ops.rebuild(&pp, &m, &v);
	ASSERT(panel_list_selected(&pp.list) != NULL);
	ASSERT_STR(panel_list_selected(&pp.list)->name, "knowledge-7d9f-aaaa");
	panel_list_free(&pp.list);
	model_free(&m);
}

/* ---- status bar ---- */

static const char *
segs_of(const struct model *m, time_t now)
{
	static char		 out[4096];
	struct ui_segment	 segs[12];
	int			 n, i;

	n = statusbar_segments(m, now, segs, 12);
	out[0] = '\0';
	for (i = 0; i < n; i++) {
		snprintf(out + strlen(out), sizeof out - strlen(out), "%s%s",
		    i > 0 ? " | " : "", segs[i].text);
	}
	return out;
}

TEST(status_segments)
{
	struct model	 m;
	time_t		 now = 1000000;

	model_init(&m);
	m.context = xstrdup("kcp-prod");
	m.sources[SOURCE_KUBE].state = SOURCE_OK;
	m.sources[SOURCE_KUBE].live = 1;
	m.sources[SOURCE_KUBE].last_ok = now;
	ASSERT_STR(segs_of(&m, now), "ctx kcp-prod | ns all | kube live");
	m.namespace = xstrdup("soundcore-kcp-prod");
	m.read_only = 1;
	m.tls_insecure = 1;
	ASSERT_STR(segs_of(&m, now), "[READ-ONLY] | TLS VERIFY OFF | "
	    "ctx kcp-prod | ns soundcore-kcp-prod | kube live");
	m.read_only = m.tls_insecure = 0;
	m.cleartext = 1;
	ASSERT_STR(segs_of(&m, now), "CLEARTEXT AUTH | "
	    "ctx kcp-prod | ns soundcore-kcp-prod | kube live");
	m.cleartext = 0;
	m.sources[SOURCE_KUBE].state = SOURCE_STALE;
	m.sources[SOURCE_KUBE].live = 0;
	m.sources[SOURCE_KUBE].last_ok = now - 12;
	ASSERT_STR(segs_of(&m, now),
	    "ctx kcp-prod | ns soundcore-kcp-prod | kube STALE 12s");
	m.sources[SOURCE_KUBE].state = SOURCE_DOWN;
	m.sources[SOURCE_KUBE].last_ok = now - 40;
	m.sources[SOURCE_KUBE].error = xstrdup("connection refused");
	ASSERT_STR(segs_of(&m, now), "ctx kcp-prod | ns soundcore-kcp-prod | "
	    "kube DOWN 40s: connection refused");
	/* Never answered: the time it has been down. */
	m.sources[SOURCE_KUBE].last_ok = 0;
	m.sources[SOURCE_KUBE].since = now - 5;
	ASSERT(strstr(segs_of(&m, now), "kube DOWN 5s: connection refused")
	    != NULL);
	/* An error with an escape sequence is shown, not sent. */
	free(m.sources[SOURCE_KUBE].error);
	m.sources[SOURCE_KUBE].error = xstrdup("bad\033]0;owned\007");
	ASSERT(strchr(segs_of(&m, now), '\033') == NULL);
	ASSERT(strchr(segs_of(&m, now), '\007') == NULL);
	m.sources[SOURCE_PROM].state = SOURCE_INIT;
	ASSERT(strstr(segs_of(&m, now), "prom connecting") != NULL);
	ASSERT(strstr(segs_of(&m, now), "redis") == NULL);
	model_free(&m);
}

/* ---- whole frames ---- */

TEST(frame_80x24)
{
	struct model	 m;
	const char	*row;
	int		 y, yc, yo;

	reset();
	fill_model(&m);
	m.read_only = 1;
	put_pod(&m, "soundcore-kcp-prod", "evil\033[2Jpod", NULL,
	    "Running", "1/1", 0, 0);
	ASSERT_INT(start_screen(&m, 1, 24, 80), 0);
	ASSERT_INT(LINES, 24);
	ASSERT_INT(COLS, 80);
	ui_redraw(&m);
	ASSERT_INT(m.dirty & (DIRTY_PODS | DIRTY_DEPLOYS | DIRTY_STATUS), 0);
	ASSERT(strstr(screen_row(0), "warroom") != NULL);
	ASSERT(strstr(screen_row(0), "kcp-prod") != NULL);
	ASSERT(strstr(screen_row(1), "Deployments 4, 2 in trouble") != NULL);
	ASSERT(strstr(screen_row(2), "NAME") != NULL);
	ASSERT(strstr(screen_row(2), "UP-TO-DATE") != NULL);
	ASSERT(strstr(screen_row(2), "HPA") != NULL);
	/* Deployments in trouble first, marked, with the HPA. */
	row = screen_row(3);
	ASSERT(row[0] == '!');
	ASSERT(strstr(row, "knowledge") != NULL);
	ASSERT(strstr(row, "2/3") != NULL);
	ASSERT(strstr(row, "hpa 3-10") != NULL);
	ASSERT(screen_row(5)[0] == ' ');
	/* Problem pods marked; STATUS exactly as the model has it. */
	yc = screen_find("CrashLoopBackOff");
	yo = screen_find("OOMKilled");
	ASSERT(yc > 0 && yo > yc);
	ASSERT(screen_row(yc)[0] == '!');
	ASSERT(screen_row(yo)[0] == '!');
	ASSERT(strstr(screen_row(yc), "knowledge-7d9f-bbbb") != NULL);
	ASSERT(strstr(screen_row(yc), "0/1") != NULL);
	ASSERT(screen_find("auth-66-1111") > 0);
	ASSERT(screen_row(screen_find("auth-66-1111"))[0] == '*');
	/* The status bar and the hints. */
	row = screen_row(22);
	ASSERT(strstr(row, "[READ-ONLY]") != NULL);
	ASSERT(strstr(row, "ctx kcp-prod") != NULL);
	ASSERT(strstr(row, "kube live") != NULL);
	ASSERT(strstr(screen_row(23), "? help") != NULL);
	ASSERT(strstr(screen_row(23), "q quit") != NULL);
	/* An escape in a name is shown, never sent. */
	snprintf(ui_state.view.filter, sizeof ui_state.view.filter, "evil");
	ui_state.redraw |= UI_REDRAW_REBUILD | UI_REDRAW_ALL;
	ui_redraw(&m);
	ASSERT(screen_find("evil\\x1b[2Jpod") > 0);
	for (y = 0; y < 24; y++)
		ASSERT(strchr(screen_row(y), '\033') == NULL);
	/* A failing source's whole error in the bottom line. */
	ui_state.view.filter[0] = '\0';
	ui_state.redraw |= UI_REDRAW_REBUILD | UI_REDRAW_ALL;
	m.sources[SOURCE_KUBE].state = SOURCE_DOWN;
	m.sources[SOURCE_KUBE].live = 0;
	m.sources[SOURCE_KUBE].error = xstrdup("Get https://10.0.0.1:6443: "
	    "connection refused");
	model_mark(&m, DIRTY_STATUS);
	ui_redraw(&m);
	ASSERT(strstr(screen_row(22), "kube DOWN") != NULL);
	ASSERT(strstr(screen_row(23), "kube: Get https://10.0.0.1:6443: "
	    "connection refused") != NULL);
	/* Nothing dirty: nothing drawn (and no output). */
	ui_redraw(&m);
	stop_screen();
	model_free(&m);
}

TEST(frame_keys)
{
	struct model	 m;
	int		 y;

	reset();
	fill_model(&m);
	ASSERT_INT(start_screen(&m, 1, 24, 80), 0);
	ui_redraw(&m);
	/* The filter narrows as it is typed and stays after Enter. */
	keys("/oo");
	ASSERT_INT(ui_input(&m), 0);
	ASSERT(strstr(screen_row(23), "/oo") != NULL);
	keys("m\r");
	ASSERT_INT(ui_input(&m), 0);
	ASSERT(screen_find("support-6c-zzzz") > 0);
	ASSERT_INT(screen_find("knowledge-7d9f-bbbb"), -1);
	ASSERT(strstr(screen_row(23), "filter: oom") != NULL);
	ASSERT(screen_find("Pods 1 of 9, 1 in trouble") > 0);
	/* Escape shows all again. */
	keys("\033");
	ASSERT_INT(ui_input(&m), 0);
	ASSERT(screen_find("knowledge-7d9f-bbbb") > 0);
	/* Help from the bindings; any key closes it. */
	keys("?");
	ASSERT_INT(ui_input(&m), 0);
	ASSERT(screen_find("Select the row below") > 0);
	ASSERT(screen_find("Keys: any other key closes") > 0);
	keys("x");
	ASSERT_INT(ui_input(&m), 0);
	ASSERT_INT(screen_find("Select the row below"), -1);
	/* An action the ui does not know yet. */
	ASSERT_STR(run("bind R rollback\n"), "");
	keys("R");
	ASSERT_INT(ui_input(&m), 0);
	ASSERT(strstr(screen_row(23), "unknown command: rollback") != NULL);
	/* Tab to deployments, Enter: that deployment's pods. */
	keys("\tgj\r");
	ASSERT_INT(ui_input(&m), 0);
	ASSERT(screen_find("Pods 1 of 9, 1 in trouble (deployment support)")
	    > 0);
	/* Grouping off: problems first in one list. */
	keys("\033t");
	ASSERT_INT(ui_input(&m), 0);
	y = screen_find("Pods 9");
	ASSERT(y > 0);
	ASSERT(strstr(screen_row(y + 2), "knowledge-7d9f-bbbb") != NULL);
	ASSERT(strstr(screen_row(y + 3), "support-6c-zzzz") != NULL);
	/* Bigger, then back. */
	resizeterm(40, 120);
	ui_resize(&m);
	ASSERT(strstr(screen_row(38), "kube live") != NULL);
	ASSERT(screen_find("Deployments 4, 2 in trouble") == 1);
	resizeterm(24, 80);
	ui_resize(&m);
	ASSERT(strstr(screen_row(22), "kube live") != NULL);
	resizeterm(8, 30);
	ui_resize(&m);
	ASSERT(strstr(screen_row(0), "terminal too small") != NULL);
	resizeterm(24, 80);
	ui_resize(&m);
	keys("q");
	ASSERT_INT(ui_input(&m), 1);
	stop_screen();
	model_free(&m);
}

/* The action log: a few lines above the status bar once there is an
 * action, each with its phase and latest line. */
TEST(action_log)
{
	struct model	 m;
	struct ui_layout l;
	unsigned	 id, id2;

	reset();
	fill_model(&m);
	ASSERT_INT(panel_actions_height(&m, 21), 0);
	ASSERT_INT(start_screen(&m, 1, 24, 80), 0);
	id = model_action_add(&m, "soundcore-kcp-prod", "scale auth 3");
	model_action_phase(&m, id, "waiting for confirmation", 0, 0);
	id2 = model_action_add(&m, "soundcore-kcp-prod", "rollback knowledge");
	model_action_say(&m, id2, 1, "error: no \x1b[31mhistory");
	model_action_phase(&m, id2, "failed", 1, 1);
	ASSERT_INT(panel_actions_height(&m, 21), 3);
	ui_layout(24, 80, 4, 3, 0, 0, 0, 0, &l);
	ASSERT_INT(l.log_h, 3);
	ASSERT_INT(l.log_y, 19);
	ASSERT_INT(l.pods_y + l.pods_h, 19);
	ui_redraw(&m);
	ASSERT(strstr(screen_row(19), "Actions") != NULL);
	ASSERT(strstr(screen_row(20), "~ ") != NULL);
	ASSERT(strstr(screen_row(20), "scale auth 3") != NULL);
	ASSERT(strstr(screen_row(20), "waiting for confirmation") != NULL);
	ASSERT(strstr(screen_row(21), "! ") != NULL);
	ASSERT(strstr(screen_row(21), "failed") != NULL);
	ASSERT(strstr(screen_row(21), "\x1b") == NULL);
	keys("a");
	ASSERT_INT(ui_input(&m), 0);
	ASSERT(strstr(screen_row(19), "Actions") == NULL);
	ASSERT_INT(panel_actions_height(&m, 21), 0);
	stop_screen();
	model_free(&m);
}

TEST(frame_utf8_and_colour)
{
	struct model	 m;
	cchar_t		 cc;
	wchar_t		 wc[CCHARW_MAX + 1];
	attr_t		 a;
	short		 pair;
	int		 y;

	reset();
	fill_model(&m);
	unsetenv("NO_COLOR");
	ASSERT_INT(start_screen(&m, 0, 24, 80), 0);
	ASSERT_INT(ui_state.ascii, 0);
	ASSERT_INT(ui_state.colour, 1);
	ui_redraw(&m);
	y = screen_find("CrashLoopBackOff");
	ASSERT(y > 0);
	ASSERT(mvwin_wch(stdscr, y, 0, &cc) == OK);
	ASSERT(getcchar(&cc, wc, &a, &pair, NULL) == OK);
	ASSERT(wc[0] == 0x2717);
	ASSERT(a & A_BOLD);
	ASSERT(pair != 0);
	ASSERT(strstr(screen_row(1), "\xe2\x94\x80") != NULL);
	stop_screen();

	/* NO_COLOR: attributes only, and problems still bold. */
	reset();
	setenv("NO_COLOR", "1", 1);
	ASSERT_INT(start_screen(&m, 0, 24, 80), 0);
	ASSERT_INT(ui_state.colour, 0);
	ui_redraw(&m);
	y = screen_find("CrashLoopBackOff");
	ASSERT(mvwin_wch(stdscr, y, 4, &cc) == OK);
	ASSERT(getcchar(&cc, wc, &a, &pair, NULL) == OK);
	ASSERT(a & A_BOLD);
	ASSERT_INT(pair, 0);
	unsetenv("NO_COLOR");
	ui_stop();
	ui_stop();
	stop_screen();
	model_free(&m);
}

int
main(void)
{
	ui_fixture_init();

	RUN(fit_text);
	RUN(match);
	RUN(layout_80_columns);
	RUN(view_and_command_tables);
	RUN(screen_layout);
	RUN(levels);
	RUN(rows_problems_first);
	RUN(rows_filter_and_scope);
	RUN(selection_follows_object);
	RUN(status_segments);
	RUN(frame_80x24);
	RUN(frame_keys);
	RUN(action_log);
	RUN(frame_utf8_and_colour);

	ui_free();
	cmdparse_reset();
	return TEST_EXIT();
}
