/* panel-db.c: the databases view. PostgreSQL: connections against
 * max_connections, the slowest statements by mean time (with calls, total
 * time and what they did since the previous poll), the sessions worth a
 * look (running, idle in a transaction, waiting, blocking); Redis: memory
 * against maxmemory, hit ratio, the SLOWLOG. Query text, commands and client
 * names come from outside and are sanitized like everything else. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "fmt.h"
#include "model.h"
#include "ui-private.h"
#include "warroom.h"

#define DB_LINE		1024
#define DB_STMTS_SHOWN	10

/* Headings' text, rebuilt with the rows. */
static char	 panel_db_heads[8][DB_LINE];

/* The statements by total time (the 'o' key), else by mean time. */
static const struct model_db *panel_db_sorting;

static int
panel_db_by_total(const void *x, const void *y)
{
	const struct pg_stmt *a = &panel_db_sorting->stmts[*(const int *)x];
	const struct pg_stmt *b = &panel_db_sorting->stmts[*(const int *)y];

	return (a->total_ms < b->total_ms) - (a->total_ms > b->total_ms);
}

static enum ui_level
panel_db_level(const char *metric, double pct)
{
	const struct config_threshold *t = config_threshold(metric);

	if (t == NULL || isnan(pct))
		return UI_LEVEL_OK;
	return pct >= t->crit ? UI_LEVEL_PROBLEM : pct >= t->warn ?
	    UI_LEVEL_WARN : UI_LEVEL_OK;
}

static struct ui_row *
panel_db_head(struct ui_list *l, int i, enum ui_level level)
{
	struct ui_row	*r = panel_list_add(l);

	r->kind = UI_ROW_GROUP;
	r->level = level;
	r->ns = r->name = "";
	r->text = panel_db_heads[i];
	return r;
}

static void
panel_db_bytes(long long n, char *buf, size_t len)
{
	if (n < 0)
		snprintf(buf, len, "?");
	else if (n >= 1024LL * 1024 * 1024)
		snprintf(buf, len, "%.1f GiB", n / 1073741824.0);
	else if (n >= 1024 * 1024)
		snprintf(buf, len, "%.1f MiB", n / 1048576.0);
	else
		snprintf(buf, len, "%.0f KiB", n / 1024.0);
}

static void
panel_db_rebuild(struct ui_panel *p, const struct model *m,
    const struct ui_view *v)
{
	struct ui_list	*l = &p->list;
	const struct model_db *db = &m->db;
	struct ui_row	*r;
	char		 used[32], max[32], err[DB_LINE - 64];
	size_t		 old = l->sel;
	double		 pct;
	int		 i, n, *order;

	l->nrows = 0;
	l->nproblem = 0;
	l->total = 0;
	if (m->sources[SOURCE_PG].state != SOURCE_OFF) {
		pct = db->pg_max_conns > 0 ? 100.0 * db->pg_conns /
		    db->pg_max_conns : NAN;
		snprintf(panel_db_heads[0], DB_LINE, "postgres %d.%d  "
		    "%d/%d connections%s%.0f%%%s", db->pg_version / 10000,
		    db->pg_version % 100, db->pg_conns, db->pg_max_conns,
		    isnan(pct) ? "" : " (", isnan(pct) ? 0 : pct,
		    isnan(pct) ? "" : ")");
		if (isnan(pct))
			snprintf(panel_db_heads[0], DB_LINE, "postgres: %s",
			    m->sources[SOURCE_PG].state == SOURCE_OK ?
			    "connected" : "not connected");
		panel_db_head(l, 0, panel_db_level("connections", pct));
		if (db->stmts_error != NULL) {
			sanitize_into(err, sizeof err, db->stmts_error);
			snprintf(panel_db_heads[1], DB_LINE, "slow statements: "
			    "%s", err);
			panel_db_head(l, 1, UI_LEVEL_WARN);
		} else {
			snprintf(panel_db_heads[1], DB_LINE, "slowest "
			    "statements by %s time (%d, o: by %s)   MEAN     "
			    "CALLS   TOTAL  RECENT", ui_state.db_by_total ?
			    "total" : "mean", db->nstmts, ui_state.db_by_total ?
			    "mean" : "total");
			panel_db_head(l, 1, UI_LEVEL_OK);
		}
		order = xcalloc((size_t)db->nstmts + 1, sizeof *order);
		for (i = 0; i < db->nstmts; i++)
			order[i] = i;
		if (ui_state.db_by_total && db->nstmts > 1) {
			panel_db_sorting = db;
			qsort(order, (size_t)db->nstmts, sizeof *order,
			    panel_db_by_total);
		}
		for (i = 0, n = 0; i < db->nstmts && n < DB_STMTS_SHOWN; i++) {
			const struct pg_stmt *st = &db->stmts[order[i]];

			if (v->filter[0] != '\0' &&
			    !draw_match(st->query, v->filter))
				continue;
			r = panel_list_add(l);
			r->kind = UI_ROW_STMT;
			r->obj = st;
			r->ns = "";
			r->name = st->queryid != NULL ? st->queryid : "";
			n++;
		}
		free(order);
		snprintf(panel_db_heads[2], DB_LINE, "sessions worth a look "
		    "(%d)%s%s", db->nsessions, db->sessions_error != NULL ?
		    ": " : "", db->sessions_error != NULL ? "(error)" : "");
		panel_db_head(l, 2, UI_LEVEL_OK);
		for (i = 0; i < db->nsessions; i++) {
			const struct pg_session *se = &db->sessions[i];

			if (v->filter[0] != '\0' && !draw_match(se->query,
			    v->filter) && !draw_match(se->state, v->filter))
				continue;
			r = panel_list_add(l);
			r->kind = UI_ROW_SESSION;
			r->obj = se;
			r->ns = "";
			r->name = se->pid_s;
			r->level = se->blocking || (se->state != NULL &&
			    strncmp(se->state, "idle in transaction", 19) == 0) ?
			    UI_LEVEL_WARN : UI_LEVEL_OK;
			if (se->blocked_by != NULL)
				r->level = UI_LEVEL_PROBLEM;
			l->total++;
		}
	}
	if (m->sources[SOURCE_REDIS].state != SOURCE_OFF) {
		panel_db_bytes(db->redis_used, used, sizeof used);
		panel_db_bytes(db->redis_max, max, sizeof max);
		pct = db->redis_max > 0 ? 100.0 * (double)db->redis_used /
		    (double)db->redis_max : NAN;
		snprintf(panel_db_heads[3], DB_LINE, "redis  memory %s of %s%s"
		    "%.0f%%%s  hit ratio %s%.0f%%  %lld clients", used,
		    db->redis_max > 0 ? max : "(no maxmemory)", isnan(pct) ? "" :
		    " (", isnan(pct) ? 0 : pct, isnan(pct) ? "" : ")",
		    db->redis_hit < 0 ? "? " : "", db->redis_hit < 0 ? 0 :
		    db->redis_hit * 100, db->redis_clients);
		panel_db_head(l, 3, panel_db_level("redis-memory", pct));
		snprintf(panel_db_heads[4], DB_LINE, "slowlog (%d)%s%s   WHEN  "
		    "     TOOK  CLIENT  COMMAND", db->nslow,
		    db->redis_error != NULL ? ": " : "", db->redis_error != NULL ?
		    "(error)" : "");
		panel_db_head(l, 4, UI_LEVEL_OK);
		for (i = 0; i < db->nslow; i++) {
			if (v->filter[0] != '\0' &&
			    !draw_match(db->slow[i].command, v->filter))
				continue;
			r = panel_list_add(l);
			r->kind = UI_ROW_SLOW;
			r->obj = &db->slow[i];
			r->ns = "";
			r->name = db->slow[i].command != NULL ?
			    db->slow[i].command : "";
		}
	}
	panel_list_restore(l, old);
}

/* "1.2 s", "340 ms", "0.8 ms". */
static void
panel_db_ms(double ms, char *buf, size_t len)
{
	if (isnan(ms))
		snprintf(buf, len, "-");
	else if (ms >= 1000)
		snprintf(buf, len, "%.1f s", ms / 1000);
	else if (ms >= 10)
		snprintf(buf, len, "%.0f ms", ms);
	else
		snprintf(buf, len, "%.1f ms", ms);
}

static void
panel_db_row_text(const struct ui_row *r, time_t now, char *line, size_t len)
{
	char		 a[32], b[32], c[32], q[DB_LINE], x[256], y[256];
	struct tm	 tm;

	switch (r->kind) {
	case UI_ROW_STMT: {
		const struct pg_stmt *st = r->obj;

		panel_db_ms(st->mean_ms, a, sizeof a);
		panel_db_ms(st->total_ms, b, sizeof b);
		if (st->d_calls > 0)
			panel_db_ms(st->d_mean_ms, c, sizeof c);
		else
			snprintf(c, sizeof c, "-");
		sanitize_into(q, sizeof q, st->query != NULL ? st->query : "");
		snprintf(line, len, "%9s %8.0f %8s %8s  %s", a, st->calls, b, c,
		    q);
		break;
	}
	case UI_ROW_SESSION: {
		const struct pg_session *se = r->obj;
		double	 age = se->xact_s >= 0 ? se->xact_s : se->query_s;

		fmt_duration(age >= 0 ? (long)age : 0, a, sizeof a);
		sanitize_into(q, sizeof q, se->query != NULL ? se->query : "");
		sanitize_into(x, sizeof x, se->user != NULL ? se->user : "");
		sanitize_into(y, sizeof y, se->app != NULL ? se->app : "");
		snprintf(line, len, "pid %-7d %-21s %6s %s%s%s%s %s/%s  %s",
		    se->pid, se->state != NULL ? se->state : "?", a,
		    se->wait != NULL ? se->wait : "", se->blocked_by != NULL ?
		    " blocked by " : "", se->blocked_by != NULL ?
		    se->blocked_by : "", se->blocking ? " BLOCKING" : "", x, y,
		    q);
		break;
	}
	case UI_ROW_SLOW: {
		const struct redis_slow *sl = r->obj;

		localtime_r(&sl->when, &tm);
		strftime(a, sizeof a, "%H:%M:%S", &tm);
		panel_db_ms((double)sl->micros / 1000, b, sizeof b);
		sanitize_into(q, sizeof q, sl->command != NULL ? sl->command :
		    "");
		sanitize_into(x, sizeof x, sl->client != NULL ? sl->client :
		    "");
		sanitize_into(y, sizeof y, sl->name != NULL ? sl->name : "");
		snprintf(line, len, "%s %8s  %s%s%s%s  %s", a, b, x,
		    y[0] != '\0' ? " (" : "", y, y[0] != '\0' ? ")" : "", q);
		break;
	}
	default:
		snprintf(line, len, "%s", r->text != NULL ? r->text : "");
		break;
	}
	(void)now;
}

static void
panel_db_frame(struct ui_panel *p, const struct model *m,
    const struct ui_view *v, int h, int w, time_t now, struct panel_frame *f)
{
	(void)p;
	(void)m;
	(void)v;
	(void)h;
	(void)w;
	(void)now;
	snprintf(f->title, sizeof f->title, "Databases");
}

/* A row is one line of text. */
static void
panel_db_cells(const struct ui_panel *p, const struct ui_row *r,
    const struct panel_frame *f, time_t now, char cells[][PANEL_CELL])
{
	(void)p;
	(void)f;
	panel_db_row_text(r, now, cells[0], DB_LINE * 2);
}

static const char *
panel_db_empty(const struct ui_panel *p, const struct model *m,
    const struct ui_view *v)
{
	(void)p;
	(void)m;
	(void)v;
	return "no databases configured (postgres \"CONNINFO\", redis URL in "
	    "the config)";
}

/* "pg 90/100 connections, 3 sessions worth a look; redis slowlog 2; 1
 * health check down", also when only health checks are configured. */
int
panel_db_summary(const struct model *m, char *buf, size_t len,
    enum ui_level *level)
{
	int	 i, down = 0;

	if (m->sources[SOURCE_PG].state == SOURCE_OFF &&
	    m->sources[SOURCE_REDIS].state == SOURCE_OFF && m->db.nchecks == 0)
		return 0;
	for (i = 0; i < m->db.nchecks; i++)
		if (m->db.checks[i].up == 0)
			down++;
	snprintf(buf, len, "pg %d/%d connections, %d sessions worth a look; "
	    "redis slowlog %d; %d health check%s down", m->db.pg_conns,
	    m->db.pg_max_conns, m->db.nsessions, m->db.nslow, down,
	    down == 1 ? "" : "s");
	*level = down > 0 ? UI_LEVEL_PROBLEM : UI_LEVEL_OK;
	return 1;
}

const struct ui_panel_ops panel_db_ops = {
	.name = "databases",
	.kind = "session",
	.rebuild = panel_db_rebuild,
	.frame = panel_db_frame,
	.cells = panel_db_cells,
	.empty = panel_db_empty
};
