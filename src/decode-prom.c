/* decode-prom.c: answers of Prometheus's HTTP API (query, query_range,
 * rules) to the plain structs of decode-prom.h, and the labels Alertmanager
 * shares with it. No json_t leaves this file; a bad answer is one line of
 * *err and empty outputs, never a crash. */
#include <errno.h>
#include <limits.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "decode-prom.h"
#include "decode-prom-private.h"
#include "jdec.h"
#include "warroom.h"

/*
 * What the header leaves open, decided here (and in jdec.c):
 * - A member of the wrong type, a sample that is not a number and a time
 *   that is not RFC 3339 are errors; an absent optional member is empty
 *   (NULL, 0). Strings are copied up to an embedded NUL.
 * - Sample values are Go's float text: decimals, "NaN", "+Inf", "-Inf" (any
 *   case, as Go's ParseFloat takes them). A decimal too big for a double
 *   is +-Inf. They are read in the C locale, whatever LC_NUMERIC says.
 * - A PROM_STRING result has no series (the string's time is dropped).
 *   Native histogram samples ("histogram", "histograms") are skipped.
 * - A body that says "success" is decoded whatever the HTTP status.
 * - Labels and annotations are sorted by name everywhere, rules' too.
 */

/* Prometheus's envelope: 0 if it says success; -1 and "TYPE: ERROR" for
 * an error body, "HTTP 502: ..." for something else from a failed
 * request, or what is wrong with it. */
static int
prom_envelope(struct jdec *d, json_t *root, const char *body, size_t len,
    int status)
{
	const char	*st, *type, *msg;

	st = json_string_value(json_object_get(root, "status"));
	if (st != NULL && strcmp(st, "success") == 0)
		return 0;
	if (st != NULL && strcmp(st, "error") == 0) {
		type = json_string_value(json_object_get(root, "errorType"));
		msg = json_string_value(json_object_get(root, "error"));
		if (msg == NULL || *msg == '\0')
			msg = "no error message";
		if (type != NULL && *type != '\0')
			jdec_fail(d, "%s: %s", type, msg);
		else
			jdec_fail(d, "%s", msg);
	} else if (!jdec_http_ok(status))
		jdec_http(d, body, len, status);
	else if (!json_is_object(root))
		jdec_fail(d, "the answer is %s, not an object",
		    jdec_type(root));
	else if (st == NULL)
		jdec_fail(d, "the answer has no status");
	else
		jdec_fail(d, "status: \"" JDEC_QUOTE "\" is neither success "
		    "nor error", st);
	return -1;
}

static int
prom_kv_cmp(const void *a, const void *b)
{
	const struct prom_kv	*ka = a, *kb = b;

	return strcmp(ka->k, kb->k);
}

void
prom_kvs_free(struct prom_kv *kv, int n)
{
	int	 i;

	for (i = 0; i < n; i++) {
		free(kv[i].k);
		free(kv[i].v);
	}
	free(kv);
}

/* An object of strings (labels, annotations) into a new array sorted by
 * name; an absent object gives none. */
void
prom_kvs_decode(struct jdec *d, json_t *obj, const char *where,
    struct prom_kv **kv, int *n)
{
	const char	*key;
	json_t		*v;
	size_t		 size;

	*kv = NULL;
	*n = 0;
	if (obj == NULL || (size = json_object_size(obj)) == 0)
		return;
	if (size > INT_MAX) {
		jdec_fail(d, "%s: too many members", where);
		return;
	}
	*kv = xcalloc(size, sizeof **kv);
	json_object_foreach(obj, key, v) {
		if (!json_is_string(v)) {
			jdec_fail(d, "%s." JDEC_QUOTE ": is %s, not a string",
			    where, key, jdec_type(v));
			return;
		}
		(*kv)[*n].k = xstrdup(key);
		(*kv)[*n].v = xstrdup(json_string_value(v));
		(*n)++;
	}
	qsort(*kv, *n, sizeof **kv, prom_kv_cmp);
}

/* Case-insensitive in ASCII only: strcasecmp follows the locale. */
static int
prom_ascii_caseeq(const char *a, const char *b)
{
	for (; *a != '\0' && *b != '\0'; a++, b++) {
		if ((*a | 0x20) != (*b | 0x20))
			return 0;
	}
	return *a == *b;
}

/* The C locale, for numbers: the dashboard runs with LC_ALL from the
 * environment, where the decimal point may be a comma. */
static locale_t
prom_c_locale(void)
{
	static locale_t	 c_loc;

	if (c_loc == (locale_t)0 &&
	    (c_loc = newlocale(LC_ALL_MASK, "C", (locale_t)0)) == (locale_t)0)
		fatal("newlocale(C): %s", strerror(errno));
	return c_loc;
}

/* A sample value as Go's FormatFloat writes it: "37.57", "1e+02", "NaN",
 * "+Inf", "-Inf". Returns 0 or -1. */
static int
prom_value(const char *s, double *v)
{
	const char	*p = s;
	char		*end;

	if (*p == '+' || *p == '-')
		p++;
	if (prom_ascii_caseeq(p, "inf") || prom_ascii_caseeq(p, "infinity")) {
		*v = *s == '-' ? -HUGE_VAL : HUGE_VAL;
		return 0;
	}
	if (prom_ascii_caseeq(s, "nan")) {
		*v = NAN;
		return 0;
	}
	/* Decimals only: strtod would also take hex, "nan(...)" and spaces. */
	if (!((*p >= '0' && *p <= '9') || *p == '.') ||
	    strpbrk(p, "xX") != NULL)
		return -1;
	*v = strtod_l(s, &end, prom_c_locale());
	return end != s && *end == '\0' ? 0 : -1;
}

/* A sample, [time, "value"]. */
static void
prom_point(struct jdec *d, json_t *pair, const char *where,
    struct prom_point *pt)
{
	json_t		*t, *v;
	const char	*s;

	if (!json_is_array(pair) || json_array_size(pair) != 2) {
		jdec_fail(d, "%s: is %s, not a [time, value] pair", where,
		    jdec_type(pair));
		return;
	}
	t = json_array_get(pair, 0);
	v = json_array_get(pair, 1);
	if (!json_is_number(t)) {
		jdec_fail(d, "%s[0]: the time is %s, not a number", where,
		    jdec_type(t));
		return;
	}
	if ((s = json_string_value(v)) == NULL) {
		jdec_fail(d, "%s[1]: the value is %s, not a string", where,
		    jdec_type(v));
		return;
	}
	if (prom_value(s, &pt->v) != 0) {
		jdec_fail(d, "%s[1]: \"" JDEC_QUOTE "\" is not a number", where,
		    s);
		return;
	}
	pt->t = json_number_value(t);
}

static void
prom_vector(struct jdec *d, json_t *res, struct prom_result *r)
{
	struct prom_series	*s;
	json_t			*el, *value;
	char			 where[JDEC_PATH_MAX], path[JDEC_PATH_MAX];
	size_t			 i;

	if (jdec_count(d, res, "data.result") <= 0)
		return;
	r->series = xcalloc(json_array_size(res), sizeof *r->series);
	json_array_foreach(res, i, el) {
		jdec_pathf(where, "data.result[%zu]", i);
		if (!json_is_object(el)) {
			jdec_fail(d, "%s: is %s, not an object", where,
			    jdec_type(el));
			return;
		}
		value = jdec_get(d, el, where, "value", JSON_ARRAY, 0);
		if (value == NULL && d->err == NULL &&
		    json_object_get(el, "histogram") != NULL)
			continue;
		if (value == NULL) {
			jdec_path(path, where, "value");
			jdec_fail(d, "%s: missing", path);
			return;
		}
		s = &r->series[r->nseries++];
		jdec_path(path, where, "metric");
		prom_kvs_decode(d, jdec_get(d, el, where, "metric", JSON_OBJECT,
		    0), path, &s->labels, &s->nlabels);
		s->points = xcalloc(1, sizeof *s->points);
		s->npoints = 1;
		jdec_path(path, where, "value");
		prom_point(d, value, path, &s->points[0]);
		if (d->err != NULL)
			return;
	}
}

static void
prom_matrix(struct jdec *d, json_t *res, struct prom_result *r)
{
	struct prom_series	*s;
	json_t			*el, *values;
	char			 where[JDEC_PATH_MAX], path[JDEC_PATH_MAX];
	char			 pt[JDEC_PATH_MAX];
	size_t			 i, j;
	int			 n;

	if (jdec_count(d, res, "data.result") <= 0)
		return;
	r->series = xcalloc(json_array_size(res), sizeof *r->series);
	json_array_foreach(res, i, el) {
		jdec_pathf(where, "data.result[%zu]", i);
		if (!json_is_object(el)) {
			jdec_fail(d, "%s: is %s, not an object", where,
			    jdec_type(el));
			return;
		}
		s = &r->series[r->nseries++];
		jdec_path(path, where, "metric");
		prom_kvs_decode(d, jdec_get(d, el, where, "metric", JSON_OBJECT,
		    0), path, &s->labels, &s->nlabels);
		/* A series of native histograms only has no "values". */
		values = jdec_get(d, el, where, "values", JSON_ARRAY,
		    json_object_get(el, "histograms") == NULL);
		jdec_path(path, where, "values");
		if ((n = jdec_count(d, values, path)) > 0) {
			s->points = xcalloc(n, sizeof *s->points);
			s->npoints = n;
		}
		for (j = 0; j < (size_t)s->npoints; j++) {
			jdec_pathf(pt, "%s[%zu]", path, j);
			prom_point(d, json_array_get(values, j), pt,
			    &s->points[j]);
			if (d->err != NULL)
				return;
		}
		if (d->err != NULL)
			return;
	}
}

/* A scalar, [time, "value"]: one series without labels. */
static void
prom_scalar(struct jdec *d, json_t *res, struct prom_result *r)
{
	r->series = xcalloc(1, sizeof *r->series);
	r->nseries = 1;
	r->series->points = xcalloc(1, sizeof *r->series->points);
	r->series->npoints = 1;
	prom_point(d, res, "data.result", r->series->points);
}

/* A string, [time, "text"]. */
static void
prom_string(struct jdec *d, json_t *res, struct prom_result *r)
{
	json_t	*v;

	if (!json_is_array(res) || json_array_size(res) != 2 ||
	    !json_is_number(json_array_get(res, 0))) {
		jdec_fail(d, "data.result: is %s, not a [time, string] pair",
		    jdec_type(res));
		return;
	}
	v = json_array_get(res, 1);
	if (!json_is_string(v)) {
		jdec_fail(d, "data.result[1]: is %s, not a string",
		    jdec_type(v));
		return;
	}
	r->string = xstrdup(json_string_value(v));
}

/* Prometheus's warnings, "; "-joined. */
static void
prom_warnings(struct jdec *d, json_t *root, struct prom_result *r)
{
	json_t	*w = jdec_get(d, root, "", "warnings", JSON_ARRAY, 0), *v;
	char	*joined;
	size_t	 i;

	json_array_foreach(w, i, v) {
		if (!json_is_string(v)) {
			jdec_fail(d, "warnings[%zu]: is %s, not a string", i,
			    jdec_type(v));
			return;
		}
		if (r->warnings == NULL)
			r->warnings = xstrdup(json_string_value(v));
		else {
			xasprintf(&joined, "%s; %s", r->warnings,
			    json_string_value(v));
			free(r->warnings);
			r->warnings = joined;
		}
	}
}

/* data.result by data.resultType. */
static void
prom_result_decode(struct jdec *d, const char *type, json_t *res,
    struct prom_result *r)
{
	if (strcmp(type, "vector") == 0) {
		r->type = PROM_VECTOR;
		prom_vector(d, res, r);
	} else if (strcmp(type, "matrix") == 0) {
		r->type = PROM_MATRIX;
		prom_matrix(d, res, r);
	} else if (strcmp(type, "scalar") == 0) {
		r->type = PROM_SCALAR;
		prom_scalar(d, res, r);
	} else if (strcmp(type, "string") == 0) {
		r->type = PROM_STRING;
		prom_string(d, res, r);
	} else
		jdec_fail(d, "data.resultType: \"" JDEC_QUOTE "\" is not a "
		    "known result type", type);
}

int
prom_decode_query(const char *body, size_t len, int status,
    struct prom_result *r, char **err)
{
	struct jdec	 d = { NULL };
	json_t		*root, *data, *res;
	const char	*type;

	memset(r, 0, sizeof *r);
	if ((root = jdec_load(&d, body, len, status)) != NULL &&
	    prom_envelope(&d, root, body, len, status) == 0) {
		data = jdec_get(&d, root, "", "data", JSON_OBJECT, 1);
		type = jdec_str(&d, data, "data", "resultType", 1);
		/* Every type's result is an array: of series, or a pair. */
		res = jdec_get(&d, data, "data", "result", JSON_ARRAY, 1);
		if (d.err == NULL)
			prom_result_decode(&d, type, res, r);
		prom_warnings(&d, root, r);
	}
	json_decref(root);
	if (d.err != NULL)
		prom_result_free(r);
	return jdec_finish(&d, err);
}

/* Frees what r holds and leaves it empty; r itself is the caller's. */
void
prom_result_free(struct prom_result *r)
{
	int	 i;

	if (r == NULL)
		return;
	for (i = 0; i < r->nseries; i++) {
		prom_kvs_free(r->series[i].labels, r->series[i].nlabels);
		free(r->series[i].points);
	}
	free(r->series);
	free(r->string);
	free(r->warnings);
	memset(r, 0, sizeof *r);
}

const char *
prom_label(const struct prom_series *s, const char *name)
{
	if (s == NULL)
		return NULL;
	return prom_kv_get(s->labels, s->nlabels, name);
}

const char *
prom_kv_get(const struct prom_kv *kv, int n, const char *name)
{
	int	 i;

	if (kv == NULL || name == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		if (kv[i].k != NULL && strcmp(kv[i].k, name) == 0)
			return kv[i].v;
	}
	return NULL;
}

static void
prom_rule_decode(struct jdec *d, json_t *o, const char *where,
    const char *group, struct prom_rule *r)
{
	json_t		*alerts, *a, *dur;
	const char	*state;
	char		 path[JDEC_PATH_MAX];
	time_t		 t;
	size_t		 i;

	if (!json_is_object(o)) {
		jdec_fail(d, "%s: is %s, not an object", where, jdec_type(o));
		return;
	}
	r->group = xstrdup(group);
	r->name = jdec_dup(d, o, where, "name", 1, 1);
	r->type = jdec_dup(d, o, where, "type", 1, 1);
	r->query = jdec_dup(d, o, where, "query", 1, 1);
	r->health = jdec_dup(d, o, where, "health", 0, 1);
	r->last_error = jdec_dup(d, o, where, "lastError", 0, 0);
	if (r->type != NULL && strcmp(r->type, "alerting") == 0)
		r->state = jdec_dup(d, o, where, "state", 0, 1);
	if ((dur = jdec_get(d, o, where, "duration", JSON_REAL, 0)) != NULL)
		r->duration = json_number_value(dur);
	jdec_path(path, where, "labels");
	prom_kvs_decode(d, jdec_get(d, o, where, "labels", JSON_OBJECT, 0),
	    path, &r->labels, &r->nlabels);
	jdec_path(path, where, "annotations");
	prom_kvs_decode(d, jdec_get(d, o, where, "annotations", JSON_OBJECT,
	    0), path, &r->annotations, &r->nannotations);

	/* Prometheus lists the rule's pending and firing alerts. */
	alerts = jdec_get(d, o, where, "alerts", JSON_ARRAY, 0);
	json_array_foreach(alerts, i, a) {
		jdec_pathf(path, "%s.alerts[%zu]", where, i);
		if (!json_is_object(a)) {
			jdec_fail(d, "%s: is %s, not an object", path,
			    jdec_type(a));
			return;
		}
		state = jdec_str(d, a, path, "state", 0);
		if (state == NULL || (strcmp(state, "firing") != 0 &&
		    strcmp(state, "pending") != 0))
			continue;
		r->nactive++;
		t = jdec_time(d, a, path, "activeAt");
		if (t != 0 && (r->active_since == 0 || t < r->active_since))
			r->active_since = t;
	}
}

int
prom_decode_rules(const char *body, size_t len, int status,
    struct prom_rule **rules, int *n, char **err)
{
	struct jdec	 d = { NULL };
	json_t		*root, *groups, *g, *rs, *rule;
	const char	*gname;
	char		 where[JDEC_PATH_MAX], path[JDEC_PATH_MAX];
	size_t		 i, j, total = 0;

	*rules = NULL;
	*n = 0;
	if ((root = jdec_load(&d, body, len, status)) != NULL &&
	    prom_envelope(&d, root, body, len, status) == 0) {
		groups = jdec_get(&d, jdec_get(&d, root, "", "data",
		    JSON_OBJECT, 1), "data", "groups", JSON_ARRAY, 1);
		json_array_foreach(groups, i, g) {
			jdec_pathf(where, "data.groups[%zu]", i);
			if (!json_is_object(g)) {
				jdec_fail(&d, "%s: is %s, not an object", where,
				    jdec_type(g));
				break;
			}
			total += json_array_size(jdec_get(&d, g, where, "rules",
			    JSON_ARRAY, 0));
		}
		if (total > INT_MAX)
			jdec_fail(&d, "data.groups: too many rules");
		if (d.err == NULL && total > 0)
			*rules = xcalloc(total, sizeof **rules);
		json_array_foreach(groups, i, g) {
			if (d.err != NULL)
				break;
			jdec_pathf(where, "data.groups[%zu]", i);
			gname = jdec_str(&d, g, where, "name", 1);
			rs = jdec_get(&d, g, where, "rules", JSON_ARRAY, 0);
			json_array_foreach(rs, j, rule) {
				if (d.err != NULL)
					break;
				jdec_pathf(path, "%s.rules[%zu]",
				    where, j);
				prom_rule_decode(&d, rule, path, gname,
				    &(*rules)[(*n)++]);
			}
		}
	}
	json_decref(root);
	if (d.err != NULL) {
		prom_rules_free(*rules, *n);
		*rules = NULL;
		*n = 0;
	}
	return jdec_finish(&d, err);
}

void
prom_rules_free(struct prom_rule *rules, int n)
{
	struct prom_rule	*r;
	int			 i;

	for (i = 0; i < n; i++) {
		r = &rules[i];
		free(r->group);
		free(r->name);
		free(r->type);
		free(r->state);
		free(r->health);
		free(r->last_error);
		free(r->query);
		prom_kvs_free(r->labels, r->nlabels);
		prom_kvs_free(r->annotations, r->nannotations);
	}
	free(rules);
}
