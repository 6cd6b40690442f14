/* decode-am.c: answers of Alertmanager's API v2 (alerts, silences, the id
 * of a new silence) to the plain structs of decode-am.h, and the body of a
 * new silence. No json_t leaves this file; a bad answer is one line of
 * *err and empty outputs, never a crash. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "decode-am.h"
#include "decode-prom-private.h"
#include "jdec.h"
#include "jtext.h"
#include "warroom.h"

/*
 * What the header leaves open, decided here (and in jdec.c):
 * - A member of the wrong type and a time that is not RFC 3339 are errors;
 *   an absent optional member is empty (NULL, 0). Go's zero time, which
 *   Alertmanager sends for "never", is 0.
 * - Labels and annotations are sorted by name.
 * - am_decode_alerts also takes GET /api/v2/alerts/groups: the groups are
 *   flattened and an alert routed to several receivers is kept once.
 *   am_decode_silences also takes one silence (GET /api/v2/silence/ID).
 *   A matcher without isEqual (Alertmanager < 0.22) is an equal one.
 * - Alertmanager's errors are its text alone: a JSON string body (400,
 *   500) or the "message" of {"code":602,"message":...} (422).
 * - am_silence_body writes times with milliseconds, as Alertmanager
 *   writes them ("2026-11-28T19:15:36.000Z"), clamped to years 0001-9999.
 */

/* The last second of year 9999, the last Alertmanager writes. */
#define AM_TIME_LAST	(253402300799LL)

/* Alertmanager has no envelope: any 2xx is an answer; otherwise its error
 * is a JSON string or {"code":N,"message":"..."}. */
static int
am_envelope(struct jdec *d, json_t *root, const char *body, size_t len,
    int status)
{
	const char	*msg;

	if (jdec_http_ok(status))
		return 0;
	if ((msg = json_string_value(root)) == NULL)
		msg = json_string_value(json_object_get(root, "message"));
	if (msg != NULL && *msg != '\0')
		jdec_fail(d, "%s", msg);
	else
		jdec_http(d, body, len, status);
	return -1;
}

static void
am_alert_decode(struct jdec *d, json_t *o, const char *where,
    struct am_alert *a)
{
	json_t	*st;
	char	 path[JDEC_PATH_MAX], spath[JDEC_PATH_MAX];

	if (!json_is_object(o)) {
		jdec_fail(d, "%s: is %s, not an object", where, jdec_type(o));
		return;
	}
	a->fingerprint = jdec_dup(d, o, where, "fingerprint", 1, 1);
	jdec_path(path, where, "labels");
	prom_kvs_decode(d, jdec_get(d, o, where, "labels", JSON_OBJECT, 1),
	    path, &a->labels, &a->nlabels);
	jdec_path(path, where, "annotations");
	prom_kvs_decode(d, jdec_get(d, o, where, "annotations", JSON_OBJECT,
	    0), path, &a->annotations, &a->nannotations);
	st = jdec_get(d, o, where, "status", JSON_OBJECT, 1);
	jdec_path(spath, where, "status");
	a->state = jdec_dup(d, st, spath, "state", 1, 1);
	jdec_path(path, spath, "silencedBy");
	jdec_strs(d, jdec_get(d, st, spath, "silencedBy", JSON_ARRAY, 0), path,
	    &a->silenced_by, &a->nsilenced);
	jdec_path(path, spath, "inhibitedBy");
	jdec_strs(d, jdec_get(d, st, spath, "inhibitedBy", JSON_ARRAY, 0), path,
	    &a->inhibited_by, &a->ninhibited);
	a->starts_at = jdec_time(d, o, where, "startsAt");
	a->updated_at = jdec_time(d, o, where, "updatedAt");
	a->ends_at = jdec_time(d, o, where, "endsAt");
	a->generator_url = jdec_dup(d, o, where, "generatorURL", 0, 0);
}

/* Decode the alerts of list into out[*n...]; with seen, skip the
 * fingerprints already there (the same alert in several groups). */
static void
am_alert_list(struct jdec *d, json_t *list, const char *where,
    json_t *seen, struct am_alert *out, int *n)
{
	json_t		*a;
	const char	*fp;
	char		 path[JDEC_PATH_MAX];
	size_t		 i;

	json_array_foreach(list, i, a) {
		jdec_pathf(path, "%s[%zu]", where, i);
		fp = json_string_value(json_object_get(a, "fingerprint"));
		if (seen != NULL && fp != NULL) {
			if (json_object_get(seen, fp) != NULL)
				continue;
			json_object_set_new(seen, fp, json_true());
		}
		am_alert_decode(d, a, path, &out[(*n)++]);
		if (d->err != NULL)
			return;
	}
}

/* Whether an array is GET /api/v2/alerts/groups' answer. */
static int
am_is_groups(json_t *arr)
{
	json_t	*first = json_array_get(arr, 0);

	return json_is_object(first) &&
	    json_object_get(first, "fingerprint") == NULL &&
	    json_is_array(json_object_get(first, "alerts"));
}

/* GET /api/v2/alerts/groups: each alert once, in the groups' order. */
static void
am_groups(struct jdec *d, json_t *root, struct am_alert **alerts, int *n)
{
	json_t	*g, *seen;
	char	 where[JDEC_PATH_MAX];
	size_t	 i, total = 0;

	json_array_foreach(root, i, g) {
		jdec_pathf(where, "groups[%zu]", i);
		if (!json_is_object(g)) {
			jdec_fail(d, "%s: is %s, not an object", where,
			    jdec_type(g));
			return;
		}
		total += json_array_size(jdec_get(d, g, where, "alerts",
		    JSON_ARRAY, 1));
	}
	if (total > INT_MAX)
		jdec_fail(d, "groups: too many alerts");
	if (d->err != NULL || total == 0)
		return;
	*alerts = xcalloc(total, sizeof **alerts);
	seen = json_object();
	json_array_foreach(root, i, g) {
		jdec_pathf(where, "groups[%zu].alerts", i);
		am_alert_list(d, json_object_get(g, "alerts"), where, seen,
		    *alerts, n);
		if (d->err != NULL)
			break;
	}
	json_decref(seen);
}

int
am_decode_alerts(const char *body, size_t len, int status,
    struct am_alert **alerts, int *n, char **err)
{
	struct jdec	 d = { NULL };
	json_t		*root;

	*alerts = NULL;
	*n = 0;
	if ((root = jdec_load(&d, body, len, status)) != NULL &&
	    am_envelope(&d, root, body, len, status) == 0) {
		if (!json_is_array(root))
			jdec_fail(&d, "the answer is %s, not an array of "
			    "alerts", jdec_type(root));
		else if (am_is_groups(root))
			am_groups(&d, root, alerts, n);
		else if (jdec_count(&d, root, "alerts") > 0) {
			*alerts = xcalloc(json_array_size(root),
			    sizeof **alerts);
			am_alert_list(&d, root, "alerts", NULL, *alerts, n);
		}
	}
	json_decref(root);
	if (d.err != NULL) {
		am_alerts_free(*alerts, *n);
		*alerts = NULL;
		*n = 0;
	}
	return jdec_finish(&d, err);
}

void
am_alerts_free(struct am_alert *alerts, int n)
{
	struct am_alert	*a;
	int		 i;

	for (i = 0; i < n; i++) {
		a = &alerts[i];
		free(a->fingerprint);
		prom_kvs_free(a->labels, a->nlabels);
		prom_kvs_free(a->annotations, a->nannotations);
		free(a->state);
		jdec_strs_free(a->silenced_by, a->nsilenced);
		jdec_strs_free(a->inhibited_by, a->ninhibited);
		free(a->generator_url);
	}
	free(alerts);
}

static void
am_silence_decode(struct jdec *d, json_t *o, const char *where,
    struct am_silence *s)
{
	struct am_matcher	*m;
	json_t			*ms, *mo;
	char			 path[JDEC_PATH_MAX];
	size_t			 i;

	if (!json_is_object(o)) {
		jdec_fail(d, "%s: is %s, not an object", where, jdec_type(o));
		return;
	}
	s->id = jdec_dup(d, o, where, "id", 1, 1);
	jdec_path(path, where, "status");
	s->state = jdec_dup(d, jdec_get(d, o, where, "status", JSON_OBJECT, 1),
	    path, "state", 1, 1);
	ms = jdec_get(d, o, where, "matchers", JSON_ARRAY, 1);
	jdec_path(path, where, "matchers");
	if (jdec_count(d, ms, path) > 0)
		s->matchers = xcalloc(json_array_size(ms), sizeof *s->matchers);
	json_array_foreach(ms, i, mo) {
		if (d->err != NULL)
			return;
		jdec_pathf(path, "%s.matchers[%zu]", where, i);
		if (!json_is_object(mo)) {
			jdec_fail(d, "%s: is %s, not an object", path,
			    jdec_type(mo));
			return;
		}
		m = &s->matchers[s->nmatchers++];
		m->name = jdec_dup(d, mo, path, "name", 1, 1);
		m->value = jdec_dup(d, mo, path, "value", 1, 1);
		m->is_regex = jdec_bool(d, mo, path, "isRegex", 0);
		m->is_equal = jdec_bool(d, mo, path, "isEqual", 1);
	}
	s->starts_at = jdec_time(d, o, where, "startsAt");
	s->ends_at = jdec_time(d, o, where, "endsAt");
	s->created_by = jdec_dup(d, o, where, "createdBy", 0, 1);
	s->comment = jdec_dup(d, o, where, "comment", 0, 1);
}

int
am_decode_silences(const char *body, size_t len, int status,
    struct am_silence **silences, int *n, char **err)
{
	struct jdec	 d = { NULL };
	json_t		*root, *o;
	char		 where[JDEC_PATH_MAX];
	size_t		 i;

	*silences = NULL;
	*n = 0;
	if ((root = jdec_load(&d, body, len, status)) != NULL &&
	    am_envelope(&d, root, body, len, status) == 0) {
		if (json_is_object(root)) {
			*silences = xcalloc(1, sizeof **silences);
			*n = 1;
			am_silence_decode(&d, root, "silence", *silences);
		} else if (!json_is_array(root))
			jdec_fail(&d, "the answer is %s, not an array of "
			    "silences", jdec_type(root));
		else if (jdec_count(&d, root, "silences") > 0) {
			*silences = xcalloc(json_array_size(root),
			    sizeof **silences);
			json_array_foreach(root, i, o) {
				jdec_pathf(where, "silences[%zu]",
				    i);
				am_silence_decode(&d, o, where,
				    &(*silences)[(*n)++]);
				if (d.err != NULL)
					break;
			}
		}
	}
	json_decref(root);
	if (d.err != NULL) {
		am_silences_free(*silences, *n);
		*silences = NULL;
		*n = 0;
	}
	return jdec_finish(&d, err);
}

void
am_silences_free(struct am_silence *silences, int n)
{
	struct am_silence	*s;
	int			 i, j;

	for (i = 0; i < n; i++) {
		s = &silences[i];
		free(s->id);
		free(s->state);
		for (j = 0; j < s->nmatchers; j++) {
			free(s->matchers[j].name);
			free(s->matchers[j].value);
		}
		free(s->matchers);
		free(s->created_by);
		free(s->comment);
	}
	free(silences);
}

/* A JSON string of s ("" for NULL); a typed comment may hold invalid
 * UTF-8, which jtext repairs. */
static json_t *
am_json_string(const char *s)
{
	return jtext(s != NULL ? s : "");
}

/* t as Alertmanager writes times: "2026-11-28T19:15:36.000Z". */
static const char *
am_time(time_t t, char *buf, size_t len)
{
	struct tm	 tm;

	if ((long long)t < JDEC_GO_ZERO_TIME)
		t = (time_t)JDEC_GO_ZERO_TIME;
	if ((long long)t > AM_TIME_LAST)
		t = (time_t)AM_TIME_LAST;
	if (gmtime_r(&t, &tm) == NULL)
		fatal("gmtime_r(%lld) failed", (long long)t);
	snprintf(buf, len, "%04d-%02d-%02dT%02d:%02d:%02d.000Z",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec);
	return buf;
}

char *
am_silence_body(const struct prom_kv *labels, int nlabels, time_t starts,
    time_t ends, const char *created_by, const char *comment)
{
	json_t	*o, *ms;
	char	*s, sbuf[64], ebuf[64];
	int	 i;

	ms = json_array();
	for (i = 0; i < nlabels; i++) {
		if (labels[i].k == NULL)
			continue;
		json_array_append_new(ms, json_pack("{s:o, s:o, s:b, s:b}",
		    "name", am_json_string(labels[i].k),
		    "value", am_json_string(labels[i].v),
		    "isRegex", 0, "isEqual", 1));
	}
	o = json_pack("{s:o, s:s, s:s, s:o, s:o}", "matchers", ms,
	    "startsAt", am_time(starts, sbuf, sizeof sbuf),
	    "endsAt", am_time(ends, ebuf, sizeof ebuf),
	    "createdBy", am_json_string(created_by),
	    "comment", am_json_string(comment));
	if (o == NULL)
		fatal("json_pack failed for a silence");
	if ((s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER)) == NULL)
		fatal("json_dumps failed");
	json_decref(o);
	return s;
}

int
am_decode_silence_id(const char *body, size_t len, int status, char **id,
    char **err)
{
	struct jdec	 d = { NULL };
	json_t		*root;
	const char	*s;

	*id = NULL;
	if ((root = jdec_load(&d, body, len, status)) != NULL &&
	    am_envelope(&d, root, body, len, status) == 0) {
		if (!json_is_object(root))
			jdec_fail(&d, "the answer is %s, not an object",
			    jdec_type(root));
		else if ((s = jdec_str(&d, root, "", "silenceID", 1)) != NULL) {
			if (*s == '\0')
				jdec_fail(&d, "silenceID: empty");
			else
				*id = xstrdup(s);
		}
	}
	json_decref(root);
	return jdec_finish(&d, err);
}
