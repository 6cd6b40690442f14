/*
 * action-silence.c: 'silence ALERT [LABEL=VALUE ...] [DURATION] [COMMENT]'
 * and 'unsilence ALERT', on Alertmanager (API v2), through the shared
 * dispatcher: it checks the words and read-only mode, shows the preview,
 * asks, writes the started line and takes the lock; these steps find the
 * alert, make the silence (exact matchers on the labels the matching alerts
 * share), and follow until Alertmanager shows the alerts muted (or active
 * again). ALERT is an alertname or an alert's fingerprint. Alertmanager has
 * no dry run and no access review: the preview is made here.
 */
#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "action-private.h"
#include "config.h"
#include "decode-am.h"
#include "decode-prom.h"
#include "endpoint.h"
#include "kube.h"
#include "warroom.h"

#define SILENCE_DEFAULT_S	3600
#define SILENCE_MAX_S		(14 * 86400)
#define SILENCE_TIMEOUT_MS	10000
#define SILENCE_FOLLOW_MS	500
#define SILENCE_FOLLOW_S	30

/* What the steps keep between answers. */
struct silence {
	struct am_alert		*alerts;	/* the ones matched */
	int			 nalerts;
	struct prom_kv		*labels;	/* shared by all: the matchers */
	int			 nlabels;
	char			**ids;		/* unsilence: silences to expire;
						 * silence: the one made */
	int			 nids;
	int			 next;		/* unsilence: the next to expire */
	double			 follow_end;
};

static void	silence_follow_tick(uv_timer_t *);

static struct silence *
silence_of(struct action_run *r)
{
	if (r->st.priv == NULL)
		r->st.priv = xcalloc(1, sizeof(struct silence));
	return r->st.priv;
}

static void
silence_cleanup(struct action_state *st)
{
	struct silence	*s = st->priv;
	int		 i;

	for (i = 0; i < st->nmatch; i++) {
		free(st->match_k[i]);
		free(st->match_v[i]);
	}
	free(st->match_k);
	free(st->match_v);
	free(st->comment);
	if (s == NULL)
		return;
	am_alerts_free(s->alerts, s->nalerts);
	for (i = 0; i < s->nlabels; i++) {
		free(s->labels[i].k);
		free(s->labels[i].v);
	}
	free(s->labels);
	for (i = 0; i < s->nids; i++)
		free(s->ids[i]);
	free(s->ids);
	free(s);
	st->priv = NULL;
}

/* A label name: [a-zA-Z_][a-zA-Z0-9_]*. */
static int
silence_label_name(const char *s, size_t len)
{
	size_t	 i;

	if (len == 0 || isdigit((unsigned char)s[0]))
		return 0;
	for (i = 0; i < len; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '_')
			return 0;
	return 1;
}

static int
silence_target_ok(const char *s, char **cause)
{
	const unsigned char *p;

	for (p = (const unsigned char *)s; *p != '\0'; p++)
		if (*p < 0x20 || *p == 0x7f || *p == '/') {
			xasprintf(cause, "invalid alert name: control "
			    "character or '/'");
			return -1;
		}
	if (*s == '\0' || p - (const unsigned char *)s > 253) {
		xasprintf(cause, "invalid alert name: empty or too long");
		return -1;
	}
	return 0;
}

/* [LABEL=VALUE ...] [DURATION] [COMMENT ...] */
static int
silence_parse(struct action_state *st, int argc, char **argv, char **cause)
{
	const char	*eq;
	char		*c;
	double		 d;
	int		 i = 0;

	if (silence_target_ok(st->name, cause) != 0)
		return -1;
	for (; i < argc && (eq = strchr(argv[i], '=')) != NULL &&
	    silence_label_name(argv[i], (size_t)(eq - argv[i])); i++) {
		st->match_k = xreallocarray(st->match_k, st->nmatch + 1,
		    sizeof *st->match_k);
		st->match_v = xreallocarray(st->match_v, st->nmatch + 1,
		    sizeof *st->match_v);
		st->match_k[st->nmatch] = xstrndup(argv[i],
		    (size_t)(eq - argv[i]));
		st->match_v[st->nmatch++] = xstrdup(eq + 1);
	}
	st->duration = SILENCE_DEFAULT_S;
	if (i < argc && (d = config_parse_duration(argv[i])) >= 0) {
		if (d < 60 || d > SILENCE_MAX_S) {
			xasprintf(cause, "invalid duration \"%s\": from 1m to "
			    "14d (336h)", argv[i]);
			return -1;
		}
		st->duration = d;
		i++;
	} else if (i < argc && isdigit((unsigned char)argv[i][0])) {
		xasprintf(cause, "invalid duration \"%s\": like 30m, 2h",
		    argv[i]);
		return -1;
	}
	/* The rest is the comment, words joined by spaces. */
	for (; i < argc; i++) {
		xasprintf(&c, "%s%s%s", st->comment != NULL ? st->comment : "",
		    st->comment != NULL ? " " : "", argv[i]);
		free(st->comment);
		st->comment = c;
	}
	return 0;
}

static int
silence_unparse(struct action_state *st, int argc, char **argv, char **cause)
{
	return silence_target_ok(st->name, cause);
}

static void
silence_send(struct action_run *r, const char *method, const char *path,
    const char *body, http_done_cb cb)
{
	struct endpoint	 ep;
	char		*cause = NULL;

	endpoint_alertmanager(&ep);
	if (ep.url == NULL) {
		action_finish(r, 1, "refused", "no alertmanager in the config "
		    "(alertmanager URL)");
		return;
	}
	if (endpoint_start(r->kube->http, &ep, method, path, body != NULL ?
	    "application/json" : NULL, body, SILENCE_TIMEOUT_MS, cb, r,
	    &cause) == NULL) {
		action_finish(r, 1, "failed", "%s", cause);
		free(cause);
	}
}

static int
silence_ok(const struct http_response *res)
{
	return res->error == 0 && res->status >= 200 && res->status < 300;
}

/* Does the alert match the target and the LABEL=VALUE words? */
static int
silence_matches(const struct action_state *st, const struct am_alert *a)
{
	const char	*v;
	int		 i;

	if ((a->fingerprint == NULL || strcmp(a->fingerprint, st->name) != 0) &&
	    ((v = prom_kv_get(a->labels, a->nlabels, "alertname")) == NULL ||
	    strcmp(v, st->name) != 0))
		return 0;
	for (i = 0; i < st->nmatch; i++)
		if ((v = prom_kv_get(a->labels, a->nlabels,
		    st->match_k[i])) == NULL || strcmp(v, st->match_v[i]) != 0)
			return 0;
	return 1;
}

/* Keep the matching alerts of an answer; the others are freed. */
static int
silence_pick(struct action_run *r, const struct http_response *res)
{
	struct silence	*s = silence_of(r);
	struct am_alert	*all = NULL, *drop;
	char		*err = NULL;
	int		 n = 0, i, k = 0, d = 0;

	if (am_decode_alerts(res->body, res->body_len, (int)res->status, &all,
	    &n, &err) != 0) {
		action_finish(r, 1, "failed", "alertmanager: %s", err);
		free(err);
		return -1;
	}
	am_alerts_free(s->alerts, s->nalerts);
	s->alerts = xcalloc((size_t)n + 1, sizeof *s->alerts);
	drop = xcalloc((size_t)n + 1, sizeof *drop);
	for (i = 0; i < n; i++) {
		if (silence_matches(&r->st, &all[i]))
			s->alerts[k++] = all[i];
		else
			drop[d++] = all[i];
	}
	/* Every alert moved to one of the two; the old array goes empty. */
	free(all);
	am_alerts_free(drop, d);
	s->nalerts = k;
	return 0;
}

/* The labels every matched alert has with the same value. */
static void
silence_common(struct silence *s)
{
	const struct am_alert *a0 = &s->alerts[0];
	const char	*v;
	int		 i, j, all;

	for (i = 0; i < a0->nlabels; i++) {
		for (all = 1, j = 1; j < s->nalerts && all; j++)
			all = (v = prom_kv_get(s->alerts[j].labels,
			    s->alerts[j].nlabels, a0->labels[i].k)) != NULL &&
			    strcmp(v, a0->labels[i].v) == 0;
		if (!all)
			continue;
		s->labels = xreallocarray(s->labels, s->nlabels + 1,
		    sizeof *s->labels);
		s->labels[s->nlabels].k = xstrdup(a0->labels[i].k);
		s->labels[s->nlabels++].v = xstrdup(a0->labels[i].v);
	}
}

static char *
silence_comment(struct action_run *r)
{
	char	*c;

	if (r->st.comment != NULL)
		return xstrdup(r->st.comment);
	xasprintf(&c, "silenced with warroom by %s", action_user(r));
	return c;
}

static void
silence_alerts_done(struct http_request *req, const struct http_response *res,
    void *arg)
{
	struct action_run *r = arg;
	struct silence	*s;
	struct tm	 tm;
	time_t		 until;
	char		 when[32], *m, *p, *comment;
	int		 i, muted = 0;

	if (!silence_ok(res)) {
		m = endpoint_error(res);
		action_finish(r, 1, "failed", "alertmanager: %s", m);
		free(m);
		return;
	}
	if (silence_pick(r, res) != 0)
		return;
	s = silence_of(r);
	if (s->nalerts == 0) {
		action_finish(r, 1, "failed", "no alert \"%s\"%s is firing",
		    r->st.name, r->st.nmatch > 0 ? " with those labels" : "");
		return;
	}
	for (i = 0; i < s->nalerts; i++)
		if (s->alerts[i].nsilenced > 0)
			muted++;
	if (muted == s->nalerts) {
		action_say(r, 0, "%s: already silenced (silence %s)",
		    r->st.name, s->alerts[0].silenced_by[0]);
		action_finish(r, 0, "done", "already silenced");
		return;
	}
	silence_common(s);
	m = xstrdup("");
	for (i = 0; i < s->nlabels; i++) {
		xasprintf(&p, "%s%s%s=\"%s\"", m, i > 0 ? ", " : "",
		    s->labels[i].k, s->labels[i].v);
		free(m);
		m = p;
	}
	until = time(NULL) + (time_t)r->st.duration;
	localtime_r(&until, &tm);
	strftime(when, sizeof when, "%Y-%m-%d %H:%M", &tm);
	comment = silence_comment(r);
	xasprintf(&r->preview, "silence %d alert%s for %.0fm (until %s), "
	    "matchers {%s}, comment \"%s\"", s->nalerts, s->nalerts == 1 ? "" :
	    "s", r->st.duration / 60, when, m, comment);
	free(comment);
	free(m);
	action_say(r, 0, "%s (alertmanager): %s", r->st.name, r->preview);
	action_preview_ready(r, "preview made by warroom: Alertmanager has no "
	    "dry run");
}

static void
silence_start(struct action_run *r)
{
	action_phase(r, "previewing");
	silence_send(r, "GET", "/api/v2/alerts", NULL, silence_alerts_done);
}

/* --- after the confirmation: make it, then follow -------------------------- */

static void
silence_follow_done(struct http_request *req, const struct http_response *res,
    void *arg)
{
	struct action_run *r = arg;
	struct silence	*s = r->st.priv;
	int		 i, j, k, by, done = 0;
	int		 want = r->act == &action_silence;

	if (r->finished)
		return;
	/* A failed poll is tried again until the time is up. */
	if (silence_ok(res)) {
		if (silence_pick(r, res) != 0)
			return;
		/* silence: every matched alert muted by ours; unsilence: none
		 * muted by the ones expired. */
		done = 1;
		for (i = 0; i < s->nalerts; i++) {
			by = 0;
			for (j = 0; j < s->alerts[i].nsilenced; j++)
				for (k = 0; k < s->nids; k++)
					if (strcmp(s->alerts[i].silenced_by[j],
					    s->ids[k]) == 0)
						by = 1;
			if (by != want)
				done = 0;
		}
	}
	if (done) {
		action_say(r, 0, "%s: %d alert%s %s", r->st.name, s->nalerts,
		    s->nalerts == 1 ? "" : "s", want ? "silenced" :
		    "no longer silenced");
		action_finish(r, 0, "done", "%s %s (%d alert%s)", want ?
		    "silenced by" : "expired", s->ids[0], s->nalerts,
		    s->nalerts == 1 ? "" : "s");
		return;
	}
	if (now_mono() >= s->follow_end) {
		action_finish(r, 1, "failed", "timed out waiting for "
		    "Alertmanager to show the change (silence %s)", s->ids[0]);
		return;
	}
	uv_timer_start(&r->timer, silence_follow_tick, SILENCE_FOLLOW_MS, 0);
}

static void
silence_follow_tick(uv_timer_t *t)
{
	silence_send(t->data, "GET", "/api/v2/alerts", NULL,
	    silence_follow_done);
}

static void
silence_follow(struct action_run *r)
{
	struct silence	*s = r->st.priv;

	s->follow_end = now_mono() + SILENCE_FOLLOW_S;
	action_phase(r, "following");
	silence_follow_tick(&r->timer);
}

static void
silence_post_done(struct http_request *req, const struct http_response *res,
    void *arg)
{
	struct action_run *r = arg;
	struct silence	*s = r->st.priv;
	char		*id = NULL, *err = NULL;

	if (am_decode_silence_id(res->body, res->body_len, (int)res->status,
	    &id, &err) != 0) {
		if (res->error != 0) {
			free(err);
			err = endpoint_error(res);
		}
		action_finish(r, 1, res->status == 401 || res->status == 403 ?
		    "denied" : "failed", "alertmanager: %s", err);
		free(err);
		return;
	}
	s->ids = xcalloc(1, sizeof *s->ids);
	s->ids[s->nids++] = id;
	action_say(r, 0, "silence %s created", id);
	silence_follow(r);
}

static void
silence_apply(struct action_run *r)
{
	struct silence	*s = r->st.priv;
	char		*body, *comment, *by;
	time_t		 now = time(NULL);

	comment = silence_comment(r);
	xasprintf(&by, "%s (warroom)", action_user(r));
	body = am_silence_body(s->labels, s->nlabels, now, now +
	    (time_t)r->st.duration, by, comment);
	silence_send(r, "POST", "/api/v2/silences", body, silence_post_done);
	free(body);
	free(by);
	free(comment);
}

/* --- unsilence ----------------------------------------------------------------- */

static void
unsilence_alerts_done(struct http_request *req,
    const struct http_response *res, void *arg)
{
	struct action_run *r = arg;
	struct silence	*s;
	char		*m, *p;
	int		 i, j, k, seen;

	if (!silence_ok(res)) {
		m = endpoint_error(res);
		action_finish(r, 1, "failed", "alertmanager: %s", m);
		free(m);
		return;
	}
	if (silence_pick(r, res) != 0)
		return;
	s = silence_of(r);
	if (s->nalerts == 0) {
		action_finish(r, 1, "failed", "no alert \"%s\" is firing",
		    r->st.name);
		return;
	}
	for (i = 0; i < s->nalerts; i++)
		for (j = 0; j < s->alerts[i].nsilenced; j++) {
			for (seen = 0, k = 0; k < s->nids; k++)
				seen |= strcmp(s->ids[k],
				    s->alerts[i].silenced_by[j]) == 0;
			if (seen)
				continue;
			s->ids = xreallocarray(s->ids, s->nids + 1,
			    sizeof *s->ids);
			s->ids[s->nids++] = xstrdup(s->alerts[i].silenced_by[j]);
		}
	if (s->nids == 0) {
		action_say(r, 0, "%s: not silenced", r->st.name);
		action_finish(r, 0, "done", "not silenced; nothing to expire");
		return;
	}
	m = xstrdup("");
	for (k = 0; k < s->nids; k++) {
		xasprintf(&p, "%s%s%s", m, k > 0 ? ", " : "", s->ids[k]);
		free(m);
		m = p;
	}
	xasprintf(&r->preview, "expire %d silence%s (%s) muting %d alert%s",
	    s->nids, s->nids == 1 ? "" : "s", m, s->nalerts, s->nalerts == 1 ?
	    "" : "s");
	free(m);
	action_say(r, 0, "%s (alertmanager): %s", r->st.name, r->preview);
	action_preview_ready(r, "preview made by warroom: Alertmanager has no "
	    "dry run");
}

static void
unsilence_start(struct action_run *r)
{
	action_phase(r, "previewing");
	silence_send(r, "GET", "/api/v2/alerts", NULL, unsilence_alerts_done);
}

static void	unsilence_next(struct action_run *);

static void
unsilence_delete_done(struct http_request *req,
    const struct http_response *res, void *arg)
{
	struct action_run *r = arg;
	struct silence	*s = r->st.priv;
	char		*m;

	if (!silence_ok(res)) {
		m = endpoint_error(res);
		action_finish(r, 1, res->status == 401 || res->status == 403 ?
		    "denied" : "failed", "alertmanager: expiring silence %s: "
		    "%s", s->ids[s->next], m);
		free(m);
		return;
	}
	action_say(r, 0, "silence %s expired", s->ids[s->next]);
	s->next++;
	unsilence_next(r);
}

static void
unsilence_next(struct action_run *r)
{
	struct silence	*s = r->st.priv;
	char		*path, *esc;

	if (s->next == s->nids) {
		silence_follow(r);
		return;
	}
	esc = endpoint_escape(s->ids[s->next]);
	xasprintf(&path, "/api/v2/silence/%s", esc);
	silence_send(r, "DELETE", path, NULL, unsilence_delete_done);
	free(path);
	free(esc);
}

static void
unsilence_apply(struct action_run *r)
{
	unsilence_next(r);
}

const struct action action_silence = {
	.name = "silence",
	.usage = "silence ALERT [LABEL=VALUE ...] [DURATION] [COMMENT]",
	.note = "mute an alert in Alertmanager (1h unless given)",
	.ask = "DURATION [COMMENT] (like: 2h deploy in progress)",
	.target = ACTION_TARGET_ALERT,
	.flags = ACTION_MUTATES | ACTION_ASK_ALWAYS,
	.nargs = 0,
	.nargs_max = -1,
	.done_word = "silenced",
	.parse = silence_parse,
	.start = silence_start,
	.apply = silence_apply,
	.cleanup = silence_cleanup
};

const struct action action_unsilence = {
	.name = "unsilence",
	.usage = "unsilence ALERT",
	.note = "expire the silences muting an alert",
	.target = ACTION_TARGET_ALERT,
	.flags = ACTION_MUTATES,
	.nargs = 0,
	.nargs_max = 0,
	.done_word = "unsilenced",
	.parse = silence_unparse,
	.start = unsilence_start,
	.apply = unsilence_apply,
	.cleanup = silence_cleanup
};
