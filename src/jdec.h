/* jdec.h: the JSON getters every decoder of a Go server's answers shares:
 * the first error wins and names its path ("data.result[0].metric"), a
 * body that is not JSON or an HTTP failure becomes one line of text. */
#ifndef WARROOM_JDEC_H
#define WARROOM_JDEC_H

#include <stddef.h>
#include <time.h>

#include <jansson.h>

#include "warroom.h"

#define JDEC_ERR_MAX	512	/* bytes of remote text in an error line */
#define JDEC_PATH_MAX	192	/* "data.groups[1].rules[3].alerts[0]" */
#define JDEC_QUOTE	"%.64s"	/* a remote string quoted in an error */

/* Go's zero time.Time, 0001-01-01T00:00:00Z, which Go servers send for
 * "never". */
#define JDEC_GO_ZERO_TIME	(-62135596800LL)

/* Decoding state: the first error wins. Start with { NULL }. */
struct jdec {
	char		*err;		/* new; made one line by jdec_finish */
};

void	 jdec_fail(struct jdec *, const char *, ...) WARROOM_PRINTF(2, 3);
/* Hand the error (one line, at most JDEC_ERR_MAX bytes and "...") to the
 * caller as a new *err, or NULL if there is none; err may be NULL to drop
 * it. Returns 0 without an error, -1 with one. */
int	 jdec_finish(struct jdec *, char **err);

int	 jdec_http_ok(int status);
/* Fail with "HTTP 503: first line of the body". */
void	 jdec_http(struct jdec *, const char *body, size_t len, int status);
/* "an object", "a number", "missing" (v NULL), ... for messages. */
const char *jdec_type(json_t *v);
/* The body as JSON of any type (integers read as reals), or NULL and an
 * error naming the HTTP status or the parse error. The caller decrefs. */
json_t	*jdec_load(struct jdec *, const char *body, size_t len, int status);

/* A path for messages into buf of JDEC_PATH_MAX bytes, cut if longer. */
void	 jdec_pathf(char *buf, const char *fmt, ...) WARROOM_PRINTF(2, 3);
/* The path of a member: "data.result[0]" + "metric". */
void	 jdec_path(char *buf, const char *where, const char *key);

/*
 * obj[key] if it is of the type wanted (JSON_REAL: any number; JSON_TRUE:
 * any boolean), borrowed. Absent or null: NULL, and an error if required.
 * Another type: NULL and an error. obj NULL (its own absence already
 * judged): NULL.
 */
json_t	*jdec_get(struct jdec *, json_t *obj, const char *where,
	    const char *key, json_type type, int required);
/* A string member, borrowed from obj. */
const char *jdec_str(struct jdec *, json_t *obj, const char *where,
	    const char *key, int required);
/* A new copy of a string member, or NULL (also for "" unless keep_empty). */
char	*jdec_dup(struct jdec *, json_t *obj, const char *where,
	    const char *key, int required, int keep_empty);
/* A boolean member; def if absent. */
int	 jdec_bool(struct jdec *, json_t *obj, const char *where,
	    const char *key, int def);
/* The size of an array, as the int counts of the structs; -1 if too big. */
int	 jdec_count(struct jdec *, json_t *arr, const char *where);
/* An array of strings into a new array of new strings (none if arr is
 * NULL); free with jdec_strs_free. */
void	 jdec_strs(struct jdec *, json_t *arr, const char *where, char ***out,
	    int *n);
void	 jdec_strs_free(char **, int n);

/* An RFC 3339 time as Go servers write it, to Unix seconds; Go's zero time
 * gives 0. Returns 0, or -1 if s is NULL or not RFC 3339 (*t untouched). */
int	 jdec_parse_time(const char *s, time_t *t);
/* An optional time member: 0 if absent, an error if not RFC 3339. */
time_t	 jdec_time(struct jdec *, json_t *obj, const char *where,
	    const char *key);

#endif
