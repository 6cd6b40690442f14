/* decode-prom.c: answers of Prometheus's HTTP API (query, query_range,
 * rules) and Alertmanager's API v2 (alerts, silences) to the plain structs
 * of decode-prom.h, and the body of a new silence. No json_t leaves this
 * file; a bad answer is one line of *err and empty outputs, never a crash. */
#include <errno.h>
#include <limits.h>
#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "decode-prom.h"
#include "warroom.h"

/*
 * What the header leaves open, decided here:
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
 * - am_decode_alerts also takes GET /api/v2/alerts/groups: the groups are
 *   flattened and an alert routed to several receivers is kept once.
 *   am_decode_silences also takes one silence (GET /api/v2/silence/ID).
 *   A matcher without isEqual (Alertmanager < 0.22) is an equal one.
 * - Alertmanager's errors are its text alone: a JSON string body (400,
 *   500) or the "message" of {"code":602,"message":...} (422).
 * - am_silence_body writes times with milliseconds, as Alertmanager
 *   writes them ("2026-11-28T19:15:36.000Z"), clamped to years 0001-9999.
 */

#define PD_ERR_MAX	512	/* bytes of remote text in an error line */
#define PD_PATH_MAX	192	/* "data.groups[1].rules[3].alerts[0]" */
#define PD_QUOTE	"%.64s"	/* a remote string quoted in an error */

/* Go's zero time.Time, 0001-01-01T00:00:00Z, which Alertmanager sends for
 * "never"; and the last second of year 9999. */
#define PD_TIME_ZERO	(-62135596800LL)
#define PD_TIME_LAST	(253402300799LL)

/* Decoding state: the first error wins. */
struct pdec {
	char		*err;		/* new; made one line by pd_finish */
};

static void WARROOM_PRINTF(2, 3)
pd_fail(struct pdec *d, const char *fmt, ...)
{
	va_list	 ap;

	if (d->err != NULL)
		return;
	va_start(ap, fmt);
	xvasprintf(&d->err, fmt, ap);
	va_end(ap);
}

static int
pd_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
	    c == '\f';
}

/*
 * Remote text as one line of at most PD_ERR_MAX bytes: runs of white space
 * (line breaks included) become one space, the ends are trimmed, a cut
 * falls between UTF-8 characters and is marked "...". With first, only the
 * first line that is not blank. New string, maybe empty.
 */
static char *
pd_line(const char *s, size_t len, int first)
{
	char	*out;
	size_t	 i, n = 0;
	int	 gap = 0, cut = 0;

	out = xmalloc(PD_ERR_MAX + 4);
	for (i = 0; i < len && s[i] != '\0'; i++) {
		if (pd_space(s[i])) {
			if (n > 0 && first && (s[i] == '\n' || s[i] == '\r'))
				break;
			gap = n > 0;
			continue;
		}
		if (n + gap >= PD_ERR_MAX) {
			cut = 1;
			break;
		}
		if (gap)
			out[n++] = ' ';
		gap = 0;
		out[n++] = s[i];
	}
	if (cut) {
		/* Drop a character whose continuation bytes did not fit. */
		if (((unsigned char)s[i] & 0xc0) == 0x80) {
			while (n > 0 && ((unsigned char)out[n - 1] & 0xc0) == 0x80)
				n--;
			if (n > 0 && ((unsigned char)out[n - 1] & 0xc0) == 0xc0)
				n--;
		}
		memcpy(out + n, "...", 3);
		n += 3;
	}
	out[n] = '\0';
	return out;
}

/* Hand the error to the caller (if err is not NULL) as one line. */
static int
pd_finish(struct pdec *d, char **err)
{
	if (d->err == NULL) {
		if (err != NULL)
			*err = NULL;
		return 0;
	}
	if (err != NULL)
		*err = pd_line(d->err, strlen(d->err), 0);
	free(d->err);
	d->err = NULL;
	return -1;
}

static int
pd_http_ok(int status)
{
	return status >= 200 && status <= 299;
}

/* "HTTP 503: first line of the body". */
static void
pd_http(struct pdec *d, const char *body, size_t len, int status)
{
	char	*line = pd_line(body, len, 1);

	pd_fail(d, "HTTP %d: %s", status, *line != '\0' ? line : "empty body");
	free(line);
}

static const char *
pd_type(json_t *v)
{
	if (v == NULL)
		return "missing";
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		return "an object";
	case JSON_ARRAY:
		return "an array";
	case JSON_STRING:
		return "a string";
	case JSON_INTEGER:
	case JSON_REAL:
		return "a number";
	case JSON_TRUE:
	case JSON_FALSE:
		return "a boolean";
	case JSON_NULL:
		return "null";
	}
	return "unknown";
}

/*
 * The body as JSON (of any type), or NULL and an error. Integers are read
 * as reals, so a huge one is a big double rather than a parse error; a
 * number beyond a double still fails here, as jansson refuses it.
 */
static json_t *
pd_load(struct pdec *d, const char *body, size_t len, int status)
{
	json_error_t	 je;
	json_t		*root;

	if (body == NULL) {
		body = "";
		len = 0;
	}
	root = json_loadb(body, len, JSON_DECODE_ANY | JSON_DECODE_INT_AS_REAL,
	    &je);
	if (root != NULL)
		return root;
	if (!pd_http_ok(status))
		pd_http(d, body, len, status);
	else if (len == 0)
		pd_fail(d, "HTTP %d: empty body", status);
	else
		pd_fail(d, "not JSON: %s (line %d, column %d)", je.text,
		    je.line, je.column);
	return NULL;
}

/* Prometheus's envelope: 0 if it says success; -1 and "TYPE: ERROR" for
 * an error body, "HTTP 502: ..." for something else from a failed
 * request, or what is wrong with it. */
static int
pd_prom_envelope(struct pdec *d, json_t *root, const char *body, size_t len,
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
			pd_fail(d, "%s: %s", type, msg);
		else
			pd_fail(d, "%s", msg);
	} else if (!pd_http_ok(status))
		pd_http(d, body, len, status);
	else if (!json_is_object(root))
		pd_fail(d, "the answer is %s, not an object", pd_type(root));
	else if (st == NULL)
		pd_fail(d, "the answer has no status");
	else
		pd_fail(d, "status: \"" PD_QUOTE "\" is neither success nor "
		    "error", st);
	return -1;
}

/* Alertmanager has no envelope: any 2xx is an answer; otherwise its error
 * is a JSON string or {"code":N,"message":"..."}. */
static int
pd_am_envelope(struct pdec *d, json_t *root, const char *body, size_t len,
    int status)
{
	const char	*msg;

	if (pd_http_ok(status))
		return 0;
	if ((msg = json_string_value(root)) == NULL)
		msg = json_string_value(json_object_get(root, "message"));
	if (msg != NULL && *msg != '\0')
		pd_fail(d, "%s", msg);
	else
		pd_http(d, body, len, status);
	return -1;
}

/* A path for messages into buf of PD_PATH_MAX bytes. A longer one is cut:
 * it only names the place. */
static void WARROOM_PRINTF(2, 3)
pd_pathf(char *buf, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(buf, PD_PATH_MAX, fmt, ap);
	va_end(ap);
}

/* The path of a member: "data.result[0]" + "metric". */
static void
pd_path(char *buf, const char *where, const char *key)
{
	pd_pathf(buf, "%s%s%s", where, *where != '\0' ? "." : "", key);
}

/*
 * obj[key] if it is of the type wanted (JSON_REAL: any number; JSON_TRUE:
 * any boolean). Absent or null: NULL, and an error if required. Another
 * type: NULL and an error. obj NULL (its own absence already judged): NULL.
 */
static json_t *
pd_get(struct pdec *d, json_t *obj, const char *where, const char *key,
    json_type type, int required)
{
	char	 path[PD_PATH_MAX];
	json_t	*v;
	int	 ok;

	if (obj == NULL)
		return NULL;
	v = json_object_get(obj, key);
	if (v == NULL || json_is_null(v)) {
		if (required) {
			pd_path(path, where, key);
			pd_fail(d, "%s: missing", path);
		}
		return NULL;
	}
	if (type == JSON_REAL)
		ok = json_is_number(v);
	else if (type == JSON_TRUE)
		ok = json_is_boolean(v);
	else
		ok = json_typeof(v) == type;
	if (!ok) {
		pd_path(path, where, key);
		pd_fail(d, "%s: is %s, not %s", path, pd_type(v),
		    type == JSON_OBJECT ? "an object" :
		    type == JSON_ARRAY ? "an array" :
		    type == JSON_STRING ? "a string" :
		    type == JSON_REAL ? "a number" : "a boolean");
		return NULL;
	}
	return v;
}

static const char *
pd_str(struct pdec *d, json_t *obj, const char *where, const char *key,
    int required)
{
	return json_string_value(pd_get(d, obj, where, key, JSON_STRING,
	    required));
}

/* A new copy of a string member, or NULL (also for "" unless keep_empty). */
static char *
pd_dup(struct pdec *d, json_t *obj, const char *where, const char *key,
    int required, int keep_empty)
{
	const char	*s = pd_str(d, obj, where, key, required);

	if (s == NULL || (*s == '\0' && !keep_empty))
		return NULL;
	return xstrdup(s);
}

static int
pd_bool(struct pdec *d, json_t *obj, const char *where, const char *key,
    int def)
{
	json_t	*v = pd_get(d, obj, where, key, JSON_TRUE, 0);

	return v != NULL ? json_is_true(v) : def;
}

/* The size of an array, as the int counts of the structs. */
static int
pd_count(struct pdec *d, json_t *arr, const char *where)
{
	if (json_array_size(arr) > INT_MAX) {
		pd_fail(d, "%s: too many elements", where);
		return -1;
	}
	return (int)json_array_size(arr);
}

static int
pd_kv_cmp(const void *a, const void *b)
{
	const struct prom_kv	*ka = a, *kb = b;

	return strcmp(ka->k, kb->k);
}

static void
pd_kv_free(struct prom_kv *kv, int n)
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
static void
pd_kvs(struct pdec *d, json_t *obj, const char *where, struct prom_kv **kv,
    int *n)
{
	const char	*key;
	json_t		*v;
	size_t		 size;

	*kv = NULL;
	*n = 0;
	if (obj == NULL || (size = json_object_size(obj)) == 0)
		return;
	if (size > INT_MAX) {
		pd_fail(d, "%s: too many members", where);
		return;
	}
	*kv = xcalloc(size, sizeof **kv);
	json_object_foreach(obj, key, v) {
		if (!json_is_string(v)) {
			pd_fail(d, "%s." PD_QUOTE ": is %s, not a string", where,
			    key, pd_type(v));
			return;
		}
		(*kv)[*n].k = xstrdup(key);
		(*kv)[*n].v = xstrdup(json_string_value(v));
		(*n)++;
	}
	qsort(*kv, *n, sizeof **kv, pd_kv_cmp);
}

/* An array of strings (silencedBy, inhibitedBy) into a new array. */
static void
pd_strs(struct pdec *d, json_t *arr, const char *where, char ***out, int *n)
{
	json_t	*v;
	size_t	 i;

	*out = NULL;
	*n = 0;
	if (arr == NULL || pd_count(d, arr, where) <= 0)
		return;
	*out = xcalloc(json_array_size(arr), sizeof **out);
	json_array_foreach(arr, i, v) {
		if (!json_is_string(v)) {
			pd_fail(d, "%s[%zu]: is %s, not a string", where, i,
			    pd_type(v));
			return;
		}
		(*out)[(*n)++] = xstrdup(json_string_value(v));
	}
}

static void
pd_strs_free(char **v, int n)
{
	int	 i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* Case-insensitive in ASCII only: strcasecmp follows the locale. */
static int
pd_ascii_caseeq(const char *a, const char *b)
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
pd_c_locale(void)
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
pd_value(const char *s, double *v)
{
	const char	*p = s;
	char		*end;

	if (*p == '+' || *p == '-')
		p++;
	if (pd_ascii_caseeq(p, "inf") || pd_ascii_caseeq(p, "infinity")) {
		*v = *s == '-' ? -HUGE_VAL : HUGE_VAL;
		return 0;
	}
	if (pd_ascii_caseeq(s, "nan")) {
		*v = NAN;
		return 0;
	}
	/* Decimals only: strtod would also take hex, "nan(...)" and spaces. */
	if (!((*p >= '0' && *p <= '9') || *p == '.') ||
	    strpbrk(p, "xX") != NULL)
		return -1;
	*v = strtod_l(s, &end, pd_c_locale());
	return end != s && *end == '\0' ? 0 : -1;
}

/* A sample, [time, "value"]. */
static void
pd_point(struct pdec *d, json_t *pair, const char *where,
    struct prom_point *pt)
{
	json_t		*t, *v;
	const char	*s;

	if (!json_is_array(pair) || json_array_size(pair) != 2) {
		pd_fail(d, "%s: is %s, not a [time, value] pair", where,
		    pd_type(pair));
		return;
	}
	t = json_array_get(pair, 0);
	v = json_array_get(pair, 1);
	if (!json_is_number(t)) {
		pd_fail(d, "%s[0]: the time is %s, not a number", where,
		    pd_type(t));
		return;
	}
	if ((s = json_string_value(v)) == NULL) {
		pd_fail(d, "%s[1]: the value is %s, not a string", where,
		    pd_type(v));
		return;
	}
	if (pd_value(s, &pt->v) != 0) {
		pd_fail(d, "%s[1]: \"" PD_QUOTE "\" is not a number", where, s);
		return;
	}
	pt->t = json_number_value(t);
}

static void
pd_vector(struct pdec *d, json_t *res, struct prom_result *r)
{
	struct prom_series	*s;
	json_t			*el, *value;
	char			 where[PD_PATH_MAX], path[PD_PATH_MAX];
	size_t			 i;

	if (pd_count(d, res, "data.result") <= 0)
		return;
	r->series = xcalloc(json_array_size(res), sizeof *r->series);
	json_array_foreach(res, i, el) {
		pd_pathf(where, "data.result[%zu]", i);
		if (!json_is_object(el)) {
			pd_fail(d, "%s: is %s, not an object", where,
			    pd_type(el));
			return;
		}
		value = pd_get(d, el, where, "value", JSON_ARRAY, 0);
		if (value == NULL && d->err == NULL &&
		    json_object_get(el, "histogram") != NULL)
			continue;
		if (value == NULL) {
			pd_path(path, where, "value");
			pd_fail(d, "%s: missing", path);
			return;
		}
		s = &r->series[r->nseries++];
		pd_path(path, where, "metric");
		pd_kvs(d, pd_get(d, el, where, "metric", JSON_OBJECT, 0), path,
		    &s->labels, &s->nlabels);
		s->points = xcalloc(1, sizeof *s->points);
		s->npoints = 1;
		pd_path(path, where, "value");
		pd_point(d, value, path, &s->points[0]);
		if (d->err != NULL)
			return;
	}
}

static void
pd_matrix(struct pdec *d, json_t *res, struct prom_result *r)
{
	struct prom_series	*s;
	json_t			*el, *values;
	char			 where[PD_PATH_MAX], path[PD_PATH_MAX];
	char			 pt[PD_PATH_MAX];
	size_t			 i, j;
	int			 n;

	if (pd_count(d, res, "data.result") <= 0)
		return;
	r->series = xcalloc(json_array_size(res), sizeof *r->series);
	json_array_foreach(res, i, el) {
		pd_pathf(where, "data.result[%zu]", i);
		if (!json_is_object(el)) {
			pd_fail(d, "%s: is %s, not an object", where,
			    pd_type(el));
			return;
		}
		s = &r->series[r->nseries++];
		pd_path(path, where, "metric");
		pd_kvs(d, pd_get(d, el, where, "metric", JSON_OBJECT, 0), path,
		    &s->labels, &s->nlabels);
		/* A series of native histograms only has no "values". */
		values = pd_get(d, el, where, "values", JSON_ARRAY,
		    json_object_get(el, "histograms") == NULL);
		pd_path(path, where, "values");
		if ((n = pd_count(d, values, path)) > 0) {
			s->points = xcalloc(n, sizeof *s->points);
			s->npoints = n;
		}
		for (j = 0; j < (size_t)s->npoints; j++) {
			pd_pathf(pt, "%s[%zu]", path, j);
			pd_point(d, json_array_get(values, j), pt,
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
pd_scalar(struct pdec *d, json_t *res, struct prom_result *r)
{
	r->series = xcalloc(1, sizeof *r->series);
	r->nseries = 1;
	r->series->points = xcalloc(1, sizeof *r->series->points);
	r->series->npoints = 1;
	pd_point(d, res, "data.result", r->series->points);
}

/* A string, [time, "text"]. */
static void
pd_string(struct pdec *d, json_t *res, struct prom_result *r)
{
	json_t	*v;

	if (!json_is_array(res) || json_array_size(res) != 2 ||
	    !json_is_number(json_array_get(res, 0))) {
		pd_fail(d, "data.result: is %s, not a [time, string] pair",
		    pd_type(res));
		return;
	}
	v = json_array_get(res, 1);
	if (!json_is_string(v)) {
		pd_fail(d, "data.result[1]: is %s, not a string", pd_type(v));
		return;
	}
	r->string = xstrdup(json_string_value(v));
}

/* Prometheus's warnings, "; "-joined. */
static void
pd_warnings(struct pdec *d, json_t *root, struct prom_result *r)
{
	json_t	*w = pd_get(d, root, "", "warnings", JSON_ARRAY, 0), *v;
	char	*joined;
	size_t	 i;

	json_array_foreach(w, i, v) {
		if (!json_is_string(v)) {
			pd_fail(d, "warnings[%zu]: is %s, not a string", i,
			    pd_type(v));
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
pd_result(struct pdec *d, const char *type, json_t *res,
    struct prom_result *r)
{
	if (strcmp(type, "vector") == 0) {
		r->type = PROM_VECTOR;
		pd_vector(d, res, r);
	} else if (strcmp(type, "matrix") == 0) {
		r->type = PROM_MATRIX;
		pd_matrix(d, res, r);
	} else if (strcmp(type, "scalar") == 0) {
		r->type = PROM_SCALAR;
		pd_scalar(d, res, r);
	} else if (strcmp(type, "string") == 0) {
		r->type = PROM_STRING;
		pd_string(d, res, r);
	} else
		pd_fail(d, "data.resultType: \"" PD_QUOTE "\" is not a known "
		    "result type", type);
}

int
prom_decode_query(const char *body, size_t len, int status,
    struct prom_result *r, char **err)
{
	struct pdec	 d = { NULL };
	json_t		*root, *data, *res;
	const char	*type;

	memset(r, 0, sizeof *r);
	if ((root = pd_load(&d, body, len, status)) != NULL &&
	    pd_prom_envelope(&d, root, body, len, status) == 0) {
		data = pd_get(&d, root, "", "data", JSON_OBJECT, 1);
		type = pd_str(&d, data, "data", "resultType", 1);
		/* Every type's result is an array: of series, or a pair. */
		res = pd_get(&d, data, "data", "result", JSON_ARRAY, 1);
		if (d.err == NULL)
			pd_result(&d, type, res, r);
		pd_warnings(&d, root, r);
	}
	json_decref(root);
	if (d.err != NULL)
		prom_result_free(r);
	return pd_finish(&d, err);
}

/* Frees what r holds and leaves it empty; r itself is the caller's. */
void
prom_result_free(struct prom_result *r)
{
	int	 i;

	if (r == NULL)
		return;
	for (i = 0; i < r->nseries; i++) {
		pd_kv_free(r->series[i].labels, r->series[i].nlabels);
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

static int
pd_digits(const char *s, int n, int *v)
{
	*v = 0;
	for (; n > 0; n--, s++) {
		if (*s < '0' || *s > '9')
			return -1;
		*v = *v * 10 + (*s - '0');
	}
	return 0;
}

/* Days since 1970-01-01 of a proleptic Gregorian date: libc's timegm
 * cannot be trusted with year 1. */
static long long
pd_days(int y, int m, int dd)
{
	long long	 era;
	int		 yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (int)(y - era * 400);
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + dd - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* RFC 3339 to Unix seconds (fraction dropped); 0 or -1. */
static int
pd_time_parse(const char *s, time_t *out)
{
	static const int mdays[] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};
	long long	 t;
	int		 y, mo, dd, h, mi, sec, oh = 0, om = 0, sign = 0, leap;

	/* Each test stops at the first mismatch, so a short s is safe. */
	if (s == NULL || pd_digits(s, 4, &y) != 0 || s[4] != '-' ||
	    pd_digits(s + 5, 2, &mo) != 0 || s[7] != '-' ||
	    pd_digits(s + 8, 2, &dd) != 0 || (s[10] != 'T' && s[10] != 't') ||
	    pd_digits(s + 11, 2, &h) != 0 || s[13] != ':' ||
	    pd_digits(s + 14, 2, &mi) != 0 || s[16] != ':' ||
	    pd_digits(s + 17, 2, &sec) != 0)
		return -1;
	s += 19;
	if (*s == '.') {
		if (s[1] < '0' || s[1] > '9')
			return -1;
		for (s++; *s >= '0' && *s <= '9'; s++)
			/* nothing */;
	}
	if (*s == 'Z' || *s == 'z')
		s++;
	else if (*s == '+' || *s == '-') {
		sign = *s == '-' ? -1 : 1;
		if (pd_digits(s + 1, 2, &oh) != 0 || s[3] != ':' ||
		    pd_digits(s + 4, 2, &om) != 0)
			return -1;
		s += 6;
	} else
		return -1;
	if (*s != '\0')
		return -1;

	leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (mo < 1 || mo > 12 || dd < 1 ||
	    dd > mdays[mo - 1] + (mo == 2 && leap) || h > 23 || mi > 59 ||
	    sec > 59 || oh > 23 || om > 59)
		return -1;
	t = pd_days(y, mo, dd) * 86400 + h * 3600 + mi * 60 + sec -
	    sign * (oh * 3600 + om * 60);
	if (t == PD_TIME_ZERO)
		t = 0;
	if ((long long)(time_t)t != t)
		return -1;
	*out = (time_t)t;
	return 0;
}

/* Note that 1969-12-31T23:59:59Z is also (time_t)-1: callers here use
 * pd_time_parse, which tells them apart. */
time_t
prom_parse_time(const char *s)
{
	time_t	 t;

	return pd_time_parse(s, &t) == 0 ? t : (time_t)-1;
}

/* An optional time member: 0 if absent, an error if not RFC 3339. */
static time_t
pd_time(struct pdec *d, json_t *obj, const char *where, const char *key)
{
	const char	*s = pd_str(d, obj, where, key, 0);
	char		 path[PD_PATH_MAX];
	time_t		 t;

	if (s == NULL)
		return 0;
	if (pd_time_parse(s, &t) != 0) {
		pd_path(path, where, key);
		pd_fail(d, "%s: \"" PD_QUOTE "\" is not an RFC 3339 time", path,
		    s);
		return 0;
	}
	return t;
}

static void
pd_rule(struct pdec *d, json_t *o, const char *where, const char *group,
    struct prom_rule *r)
{
	json_t		*alerts, *a, *dur;
	const char	*state;
	char		 path[PD_PATH_MAX];
	time_t		 t;
	size_t		 i;

	if (!json_is_object(o)) {
		pd_fail(d, "%s: is %s, not an object", where, pd_type(o));
		return;
	}
	r->group = xstrdup(group);
	r->name = pd_dup(d, o, where, "name", 1, 1);
	r->type = pd_dup(d, o, where, "type", 1, 1);
	r->query = pd_dup(d, o, where, "query", 1, 1);
	r->health = pd_dup(d, o, where, "health", 0, 1);
	r->last_error = pd_dup(d, o, where, "lastError", 0, 0);
	if (r->type != NULL && strcmp(r->type, "alerting") == 0)
		r->state = pd_dup(d, o, where, "state", 0, 1);
	if ((dur = pd_get(d, o, where, "duration", JSON_REAL, 0)) != NULL)
		r->duration = json_number_value(dur);
	pd_path(path, where, "labels");
	pd_kvs(d, pd_get(d, o, where, "labels", JSON_OBJECT, 0), path,
	    &r->labels, &r->nlabels);
	pd_path(path, where, "annotations");
	pd_kvs(d, pd_get(d, o, where, "annotations", JSON_OBJECT, 0), path,
	    &r->annotations, &r->nannotations);

	/* Prometheus lists the rule's pending and firing alerts. */
	alerts = pd_get(d, o, where, "alerts", JSON_ARRAY, 0);
	json_array_foreach(alerts, i, a) {
		pd_pathf(path, "%s.alerts[%zu]", where, i);
		if (!json_is_object(a)) {
			pd_fail(d, "%s: is %s, not an object", path,
			    pd_type(a));
			return;
		}
		state = pd_str(d, a, path, "state", 0);
		if (state == NULL || (strcmp(state, "firing") != 0 &&
		    strcmp(state, "pending") != 0))
			continue;
		r->nactive++;
		t = pd_time(d, a, path, "activeAt");
		if (t != 0 && (r->active_since == 0 || t < r->active_since))
			r->active_since = t;
	}
}

int
prom_decode_rules(const char *body, size_t len, int status,
    struct prom_rule **rules, int *n, char **err)
{
	struct pdec	 d = { NULL };
	json_t		*root, *groups, *g, *rs, *rule;
	const char	*gname;
	char		 where[PD_PATH_MAX], path[PD_PATH_MAX];
	size_t		 i, j, total = 0;

	*rules = NULL;
	*n = 0;
	if ((root = pd_load(&d, body, len, status)) != NULL &&
	    pd_prom_envelope(&d, root, body, len, status) == 0) {
		groups = pd_get(&d, pd_get(&d, root, "", "data", JSON_OBJECT, 1),
		    "data", "groups", JSON_ARRAY, 1);
		json_array_foreach(groups, i, g) {
			pd_pathf(where, "data.groups[%zu]", i);
			if (!json_is_object(g)) {
				pd_fail(&d, "%s: is %s, not an object", where,
				    pd_type(g));
				break;
			}
			total += json_array_size(pd_get(&d, g, where, "rules",
			    JSON_ARRAY, 0));
		}
		if (total > INT_MAX)
			pd_fail(&d, "data.groups: too many rules");
		if (d.err == NULL && total > 0)
			*rules = xcalloc(total, sizeof **rules);
		json_array_foreach(groups, i, g) {
			if (d.err != NULL)
				break;
			pd_pathf(where, "data.groups[%zu]", i);
			gname = pd_str(&d, g, where, "name", 1);
			rs = pd_get(&d, g, where, "rules", JSON_ARRAY, 0);
			json_array_foreach(rs, j, rule) {
				if (d.err != NULL)
					break;
				pd_pathf(path, "%s.rules[%zu]",
				    where, j);
				pd_rule(&d, rule, path, gname,
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
	return pd_finish(&d, err);
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
		pd_kv_free(r->labels, r->nlabels);
		pd_kv_free(r->annotations, r->nannotations);
	}
	free(rules);
}

static void
pd_am_alert(struct pdec *d, json_t *o, const char *where, struct am_alert *a)
{
	json_t	*st;
	char	 path[PD_PATH_MAX], spath[PD_PATH_MAX];

	if (!json_is_object(o)) {
		pd_fail(d, "%s: is %s, not an object", where, pd_type(o));
		return;
	}
	a->fingerprint = pd_dup(d, o, where, "fingerprint", 1, 1);
	pd_path(path, where, "labels");
	pd_kvs(d, pd_get(d, o, where, "labels", JSON_OBJECT, 1), path,
	    &a->labels, &a->nlabels);
	pd_path(path, where, "annotations");
	pd_kvs(d, pd_get(d, o, where, "annotations", JSON_OBJECT, 0), path,
	    &a->annotations, &a->nannotations);
	st = pd_get(d, o, where, "status", JSON_OBJECT, 1);
	pd_path(spath, where, "status");
	a->state = pd_dup(d, st, spath, "state", 1, 1);
	pd_path(path, spath, "silencedBy");
	pd_strs(d, pd_get(d, st, spath, "silencedBy", JSON_ARRAY, 0), path,
	    &a->silenced_by, &a->nsilenced);
	pd_path(path, spath, "inhibitedBy");
	pd_strs(d, pd_get(d, st, spath, "inhibitedBy", JSON_ARRAY, 0), path,
	    &a->inhibited_by, &a->ninhibited);
	a->starts_at = pd_time(d, o, where, "startsAt");
	a->updated_at = pd_time(d, o, where, "updatedAt");
	a->ends_at = pd_time(d, o, where, "endsAt");
	a->generator_url = pd_dup(d, o, where, "generatorURL", 0, 0);
}

/* Decode the alerts of list into out[*n...]; with seen, skip the
 * fingerprints already there (the same alert in several groups). */
static void
pd_am_alert_list(struct pdec *d, json_t *list, const char *where,
    json_t *seen, struct am_alert *out, int *n)
{
	json_t		*a;
	const char	*fp;
	char		 path[PD_PATH_MAX];
	size_t		 i;

	json_array_foreach(list, i, a) {
		pd_pathf(path, "%s[%zu]", where, i);
		fp = json_string_value(json_object_get(a, "fingerprint"));
		if (seen != NULL && fp != NULL) {
			if (json_object_get(seen, fp) != NULL)
				continue;
			json_object_set_new(seen, fp, json_true());
		}
		pd_am_alert(d, a, path, &out[(*n)++]);
		if (d->err != NULL)
			return;
	}
}

/* Whether an array is GET /api/v2/alerts/groups' answer. */
static int
pd_am_is_groups(json_t *arr)
{
	json_t	*first = json_array_get(arr, 0);

	return json_is_object(first) &&
	    json_object_get(first, "fingerprint") == NULL &&
	    json_is_array(json_object_get(first, "alerts"));
}

/* GET /api/v2/alerts/groups: each alert once, in the groups' order. */
static void
pd_am_groups(struct pdec *d, json_t *root, struct am_alert **alerts, int *n)
{
	json_t	*g, *seen;
	char	 where[PD_PATH_MAX];
	size_t	 i, total = 0;

	json_array_foreach(root, i, g) {
		pd_pathf(where, "groups[%zu]", i);
		if (!json_is_object(g)) {
			pd_fail(d, "%s: is %s, not an object", where,
			    pd_type(g));
			return;
		}
		total += json_array_size(pd_get(d, g, where, "alerts",
		    JSON_ARRAY, 1));
	}
	if (total > INT_MAX)
		pd_fail(d, "groups: too many alerts");
	if (d->err != NULL || total == 0)
		return;
	*alerts = xcalloc(total, sizeof **alerts);
	seen = json_object();
	json_array_foreach(root, i, g) {
		pd_pathf(where, "groups[%zu].alerts", i);
		pd_am_alert_list(d, json_object_get(g, "alerts"), where, seen,
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
	struct pdec	 d = { NULL };
	json_t		*root;

	*alerts = NULL;
	*n = 0;
	if ((root = pd_load(&d, body, len, status)) != NULL &&
	    pd_am_envelope(&d, root, body, len, status) == 0) {
		if (!json_is_array(root))
			pd_fail(&d, "the answer is %s, not an array of alerts",
			    pd_type(root));
		else if (pd_am_is_groups(root))
			pd_am_groups(&d, root, alerts, n);
		else if (pd_count(&d, root, "alerts") > 0) {
			*alerts = xcalloc(json_array_size(root),
			    sizeof **alerts);
			pd_am_alert_list(&d, root, "alerts", NULL, *alerts, n);
		}
	}
	json_decref(root);
	if (d.err != NULL) {
		am_alerts_free(*alerts, *n);
		*alerts = NULL;
		*n = 0;
	}
	return pd_finish(&d, err);
}

void
am_alerts_free(struct am_alert *alerts, int n)
{
	struct am_alert	*a;
	int		 i;

	for (i = 0; i < n; i++) {
		a = &alerts[i];
		free(a->fingerprint);
		pd_kv_free(a->labels, a->nlabels);
		pd_kv_free(a->annotations, a->nannotations);
		free(a->state);
		pd_strs_free(a->silenced_by, a->nsilenced);
		pd_strs_free(a->inhibited_by, a->ninhibited);
		free(a->generator_url);
	}
	free(alerts);
}

static void
pd_am_silence(struct pdec *d, json_t *o, const char *where,
    struct am_silence *s)
{
	struct am_matcher	*m;
	json_t			*ms, *mo;
	char			 path[PD_PATH_MAX];
	size_t			 i;

	if (!json_is_object(o)) {
		pd_fail(d, "%s: is %s, not an object", where, pd_type(o));
		return;
	}
	s->id = pd_dup(d, o, where, "id", 1, 1);
	pd_path(path, where, "status");
	s->state = pd_dup(d, pd_get(d, o, where, "status", JSON_OBJECT, 1),
	    path, "state", 1, 1);
	ms = pd_get(d, o, where, "matchers", JSON_ARRAY, 1);
	pd_path(path, where, "matchers");
	if (pd_count(d, ms, path) > 0)
		s->matchers = xcalloc(json_array_size(ms), sizeof *s->matchers);
	json_array_foreach(ms, i, mo) {
		if (d->err != NULL)
			return;
		pd_pathf(path, "%s.matchers[%zu]", where, i);
		if (!json_is_object(mo)) {
			pd_fail(d, "%s: is %s, not an object", path,
			    pd_type(mo));
			return;
		}
		m = &s->matchers[s->nmatchers++];
		m->name = pd_dup(d, mo, path, "name", 1, 1);
		m->value = pd_dup(d, mo, path, "value", 1, 1);
		m->is_regex = pd_bool(d, mo, path, "isRegex", 0);
		m->is_equal = pd_bool(d, mo, path, "isEqual", 1);
	}
	s->starts_at = pd_time(d, o, where, "startsAt");
	s->ends_at = pd_time(d, o, where, "endsAt");
	s->created_by = pd_dup(d, o, where, "createdBy", 0, 1);
	s->comment = pd_dup(d, o, where, "comment", 0, 1);
}

int
am_decode_silences(const char *body, size_t len, int status,
    struct am_silence **silences, int *n, char **err)
{
	struct pdec	 d = { NULL };
	json_t		*root, *o;
	char		 where[PD_PATH_MAX];
	size_t		 i;

	*silences = NULL;
	*n = 0;
	if ((root = pd_load(&d, body, len, status)) != NULL &&
	    pd_am_envelope(&d, root, body, len, status) == 0) {
		if (json_is_object(root)) {
			*silences = xcalloc(1, sizeof **silences);
			*n = 1;
			pd_am_silence(&d, root, "silence", *silences);
		} else if (!json_is_array(root))
			pd_fail(&d, "the answer is %s, not an array of "
			    "silences", pd_type(root));
		else if (pd_count(&d, root, "silences") > 0) {
			*silences = xcalloc(json_array_size(root),
			    sizeof **silences);
			json_array_foreach(root, i, o) {
				pd_pathf(where, "silences[%zu]",
				    i);
				pd_am_silence(&d, o, where,
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
	return pd_finish(&d, err);
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

/* The length of the valid UTF-8 character at p (as jansson judges it:
 * no overlong forms, no surrogates, nothing past U+10FFFF), 0 if none. */
static int
pd_utf8_len(const unsigned char *p)
{
	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		return (p[1] & 0xc0) == 0x80 ? 2 : 0;
	if (p[0] >= 0xe0 && p[0] <= 0xef) {
		if ((p[1] & 0xc0) != 0x80 || (p[2] & 0xc0) != 0x80 ||
		    (p[0] == 0xe0 && p[1] < 0xa0) ||
		    (p[0] == 0xed && p[1] > 0x9f))
			return 0;
		return 3;
	}
	if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		if ((p[1] & 0xc0) != 0x80 || (p[2] & 0xc0) != 0x80 ||
		    (p[3] & 0xc0) != 0x80 || (p[0] == 0xf0 && p[1] < 0x90) ||
		    (p[0] == 0xf4 && p[1] > 0x8f))
			return 0;
		return 4;
	}
	return 0;
}

/* A JSON string of s ("" for NULL). jansson refuses invalid UTF-8, which
 * a typed comment may hold: such bytes become U+FFFD. */
static json_t *
pd_json_string(const char *s)
{
	const unsigned char	*p;
	json_t			*j;
	char			*buf;
	size_t			 n = 0;
	int			 l;

	if (s == NULL)
		s = "";
	if ((j = json_string(s)) != NULL)
		return j;
	buf = xmalloc(strlen(s) * 3 + 1);
	for (p = (const unsigned char *)s; *p != '\0'; p += l) {
		if ((l = pd_utf8_len(p)) == 0) {
			memcpy(buf + n, "\xef\xbf\xbd", 3);
			n += 3;
			l = 1;
		} else {
			memcpy(buf + n, p, l);
			n += l;
		}
	}
	buf[n] = '\0';
	if ((j = json_string(buf)) == NULL)
		fatal("json_string refused repaired UTF-8");
	free(buf);
	return j;
}

/* t as Alertmanager writes times: "2026-11-28T19:15:36.000Z". */
static const char *
pd_am_time(time_t t, char *buf, size_t len)
{
	struct tm	 tm;

	if ((long long)t < PD_TIME_ZERO)
		t = (time_t)PD_TIME_ZERO;
	if ((long long)t > PD_TIME_LAST)
		t = (time_t)PD_TIME_LAST;
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
		    "name", pd_json_string(labels[i].k),
		    "value", pd_json_string(labels[i].v),
		    "isRegex", 0, "isEqual", 1));
	}
	o = json_pack("{s:o, s:s, s:s, s:o, s:o}", "matchers", ms,
	    "startsAt", pd_am_time(starts, sbuf, sizeof sbuf),
	    "endsAt", pd_am_time(ends, ebuf, sizeof ebuf),
	    "createdBy", pd_json_string(created_by),
	    "comment", pd_json_string(comment));
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
	struct pdec	 d = { NULL };
	json_t		*root;
	const char	*s;

	*id = NULL;
	if ((root = pd_load(&d, body, len, status)) != NULL &&
	    pd_am_envelope(&d, root, body, len, status) == 0) {
		if (!json_is_object(root))
			pd_fail(&d, "the answer is %s, not an object",
			    pd_type(root));
		else if ((s = pd_str(&d, root, "", "silenceID", 1)) != NULL) {
			if (*s == '\0')
				pd_fail(&d, "silenceID: empty");
			else
				*id = xstrdup(s);
		}
	}
	json_decref(root);
	return pd_finish(&d, err);
}
