/* jdec.c: the JSON getters shared by the decoders of Go servers' answers
 * (decode-prom.c, decode-am.c): paths in messages, the first error wins,
 * remote text cut to one line. No json_t reference is kept. */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "jdec.h"
#include "rfc3339.h"
#include "warroom.h"

void
jdec_fail(struct jdec *d, const char *fmt, ...)
{
	va_list	 ap;

	if (d->err != NULL)
		return;
	va_start(ap, fmt);
	xvasprintf(&d->err, fmt, ap);
	va_end(ap);
}

static int
jdec_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
	    c == '\f';
}

/*
 * Remote text as one line of at most JDEC_ERR_MAX bytes: runs of white space
 * (line breaks included) become one space, the ends are trimmed, a cut
 * falls between UTF-8 characters and is marked "...". With first, only the
 * first line that is not blank. New string, maybe empty.
 */
static char *
jdec_line(const char *s, size_t len, int first)
{
	char	*out;
	size_t	 i, n = 0;
	int	 gap = 0, cut = 0;

	out = xmalloc(JDEC_ERR_MAX + 4);
	for (i = 0; i < len && s[i] != '\0'; i++) {
		if (jdec_space(s[i])) {
			if (n > 0 && first && (s[i] == '\n' || s[i] == '\r'))
				break;
			gap = n > 0;
			continue;
		}
		if (n + gap >= JDEC_ERR_MAX) {
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
int
jdec_finish(struct jdec *d, char **err)
{
	if (d->err == NULL) {
		if (err != NULL)
			*err = NULL;
		return 0;
	}
	if (err != NULL)
		*err = jdec_line(d->err, strlen(d->err), 0);
	free(d->err);
	d->err = NULL;
	return -1;
}

int
jdec_http_ok(int status)
{
	return status >= 200 && status <= 299;
}

/* "HTTP 503: first line of the body". */
void
jdec_http(struct jdec *d, const char *body, size_t len, int status)
{
	char	*line = jdec_line(body, len, 1);

	jdec_fail(d, "HTTP %d: %s", status,
	    *line != '\0' ? line : "empty body");
	free(line);
}

const char *
jdec_type(json_t *v)
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
json_t *
jdec_load(struct jdec *d, const char *body, size_t len, int status)
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
	if (!jdec_http_ok(status))
		jdec_http(d, body, len, status);
	else if (len == 0)
		jdec_fail(d, "HTTP %d: empty body", status);
	else
		jdec_fail(d, "not JSON: %s (line %d, column %d)", je.text,
		    je.line, je.column);
	return NULL;
}

/* A path for messages into buf of JDEC_PATH_MAX bytes. A longer one is cut:
 * it only names the place. */
void
jdec_pathf(char *buf, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(buf, JDEC_PATH_MAX, fmt, ap);
	va_end(ap);
}

/* The path of a member: "data.result[0]" + "metric". */
void
jdec_path(char *buf, const char *where, const char *key)
{
	jdec_pathf(buf, "%s%s%s", where, *where != '\0' ? "." : "", key);
}

/*
 * obj[key] if it is of the type wanted (JSON_REAL: any number; JSON_TRUE:
 * any boolean). Absent or null: NULL, and an error if required. Another
 * type: NULL and an error. obj NULL (its own absence already judged): NULL.
 */
json_t *
jdec_get(struct jdec *d, json_t *obj, const char *where, const char *key,
    json_type type, int required)
{
	char	 path[JDEC_PATH_MAX];
	json_t	*v;
	int	 ok;

	if (obj == NULL)
		return NULL;
	v = json_object_get(obj, key);
	if (v == NULL || json_is_null(v)) {
		if (required) {
			jdec_path(path, where, key);
			jdec_fail(d, "%s: missing", path);
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
		jdec_path(path, where, key);
		jdec_fail(d, "%s: is %s, not %s", path, jdec_type(v),
		    type == JSON_OBJECT ? "an object" :
		    type == JSON_ARRAY ? "an array" :
		    type == JSON_STRING ? "a string" :
		    type == JSON_REAL ? "a number" : "a boolean");
		return NULL;
	}
	return v;
}

const char *
jdec_str(struct jdec *d, json_t *obj, const char *where, const char *key,
    int required)
{
	return json_string_value(jdec_get(d, obj, where, key, JSON_STRING,
	    required));
}

/* A new copy of a string member, or NULL (also for "" unless keep_empty). */
char *
jdec_dup(struct jdec *d, json_t *obj, const char *where, const char *key,
    int required, int keep_empty)
{
	const char	*s = jdec_str(d, obj, where, key, required);

	if (s == NULL || (*s == '\0' && !keep_empty))
		return NULL;
	return xstrdup(s);
}

int
jdec_bool(struct jdec *d, json_t *obj, const char *where, const char *key,
    int def)
{
	json_t	*v = jdec_get(d, obj, where, key, JSON_TRUE, 0);

	return v != NULL ? json_is_true(v) : def;
}

/* The size of an array, as the int counts of the structs. */
int
jdec_count(struct jdec *d, json_t *arr, const char *where)
{
	if (json_array_size(arr) > INT_MAX) {
		jdec_fail(d, "%s: too many elements", where);
		return -1;
	}
	return (int)json_array_size(arr);
}

/* An array of strings (silencedBy, inhibitedBy) into a new array. */
void
jdec_strs(struct jdec *d, json_t *arr, const char *where, char ***out, int *n)
{
	json_t	*v;
	size_t	 i;

	*out = NULL;
	*n = 0;
	if (arr == NULL || jdec_count(d, arr, where) <= 0)
		return;
	*out = xcalloc(json_array_size(arr), sizeof **out);
	json_array_foreach(arr, i, v) {
		if (!json_is_string(v)) {
			jdec_fail(d, "%s[%zu]: is %s, not a string", where, i,
			    jdec_type(v));
			return;
		}
		(*out)[(*n)++] = xstrdup(json_string_value(v));
	}
}

void
jdec_strs_free(char **v, int n)
{
	int	 i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

int
jdec_parse_time(const char *s, time_t *t)
{
	time_t	 v;

	if (rfc3339_parse(s, 0, &v, NULL) != 0)
		return -1;
	*t = (long long)v == JDEC_GO_ZERO_TIME ? 0 : v;
	return 0;
}

/* An optional time member: 0 if absent, an error if not RFC 3339. */
time_t
jdec_time(struct jdec *d, json_t *obj, const char *where, const char *key)
{
	const char	*s = jdec_str(d, obj, where, key, 0);
	char		 path[JDEC_PATH_MAX];
	time_t		 t;

	if (s == NULL)
		return 0;
	if (jdec_parse_time(s, &t) != 0) {
		jdec_path(path, where, key);
		jdec_fail(d, "%s: \"" JDEC_QUOTE "\" is not an RFC 3339 time",
		    path, s);
		return 0;
	}
	return t;
}
