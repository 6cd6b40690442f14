/* decode-kube.c: Kubernetes JSON to model structs: deployments, replica sets,
 * HPAs, label selectors, watch events, Status errors, list metadata and times
 * (pods are in decode-kube-pod.c). Pure functions: json_t references are
 * borrowed and never kept; hostile input gives NULL and a cause, never a
 * crash. Strings are copied raw: the UI sanitizes. */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "decode-kube.h"
#include "decode-kube-private.h"
#include "model.h"
#include "rfc3339.h"
#include "warroom.h"

/* A growing string. */
struct sbuf {
	char		*s;
	size_t		 len;
	size_t		 cap;
};

/* One requirement of a label selector. */
struct sel_req {
	const char	*key;
	char		*text;		/* "k=v", "k in (a,b)", new */
};

static const char *kube_event_names[] = {
	"ADDED", "MODIFIED", "DELETED", "BOOKMARK", "ERROR"
};

static void
sbuf_add(struct sbuf *b, const char *s)
{
	size_t	 n = strlen(s);

	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		b->s = xrealloc(b->s, b->cap);
	}
	memcpy(b->s + b->len, s, n + 1);
	b->len += n;
}

/* The built string, "" if nothing was added; the caller frees it. */
static char *
sbuf_take(struct sbuf *b)
{
	return b->s != NULL ? b->s : xstrdup("");
}

int
dk_streq(const char *a, const char *b)
{
	return a != NULL && b != NULL && strcmp(a, b) == 0;
}

char *
dk_dup_or_null(const char *s)
{
	return s != NULL && *s != '\0' ? xstrdup(s) : NULL;
}

const char *
dk_json_type_name(json_t *v)
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
		return "an integer";
	case JSON_REAL:
		return "a real number";
	case JSON_TRUE:
	case JSON_FALSE:
		return "a boolean";
	case JSON_NULL:
		return "null";
	}
	return "unknown";
}

void
dec_init(struct dec *d, const char *what)
{
	d->what = what;
	d->key[0] = '\0';
	d->cause = NULL;
}

void WARROOM_PRINTF(2, 3)
dec_fail(struct dec *d, const char *fmt, ...)
{
	va_list	 ap;
	char	*why;

	if (d->cause != NULL)
		return;
	va_start(ap, fmt);
	xvasprintf(&why, fmt, ap);
	va_end(ap);
	if (d->key[0] != '\0')
		xasprintf(&d->cause, "%s \"%s\": %s", d->what, d->key, why);
	else
		xasprintf(&d->cause, "%s: %s", d->what, why);
	free(why);
}

/* Hand the cause to the caller, or drop it if cause is NULL. */
void
dec_cause(struct dec *d, char **cause)
{
	if (d->cause == NULL)
		xasprintf(&d->cause, "%s: malformed", d->what);
	if (cause != NULL)
		*cause = d->cause;
	else
		free(d->cause);
	d->cause = NULL;
}

/* obj[key] if it has the type wanted; NULL if obj is NULL or the member is
 * absent or null (as Go's decoder treats them); an error otherwise. */
static json_t *
dec_get(struct dec *d, json_t *obj, const char *key, json_type type,
    const char *want)
{
	json_t	*v;

	if (obj == NULL || (v = json_object_get(obj, key)) == NULL ||
	    json_is_null(v))
		return NULL;
	if (json_typeof(v) != type) {
		dec_fail(d, "%s is %s, not %s", key, dk_json_type_name(v), want);
		return NULL;
	}
	return v;
}

json_t *
dec_obj(struct dec *d, json_t *obj, const char *key)
{
	return dec_get(d, obj, key, JSON_OBJECT, "an object");
}

json_t *
dec_arr(struct dec *d, json_t *obj, const char *key)
{
	return dec_get(d, obj, key, JSON_ARRAY, "an array");
}

const char *
dec_str(struct dec *d, json_t *obj, const char *key)
{
	json_t	*v = dec_get(d, obj, key, JSON_STRING, "a string");

	return v != NULL ? json_string_value(v) : NULL;
}

/* An integer member clamped to [min, max]; def if absent. */
long long
dec_int(struct dec *d, json_t *obj, const char *key, long long def,
    long long min, long long max)
{
	json_t		*v;
	long long	 n;

	if ((v = dec_get(d, obj, key, JSON_INTEGER, "an integer")) == NULL)
		return def;
	n = json_integer_value(v);
	return n < min ? min : (n > max ? max : n);
}

int
dec_bool(struct dec *d, json_t *obj, const char *key)
{
	json_t	*v;

	if (obj == NULL || (v = json_object_get(obj, key)) == NULL ||
	    json_is_null(v))
		return 0;
	if (!json_is_boolean(v)) {
		dec_fail(d, "%s is %s, not a boolean", key, dk_json_type_name(v));
		return 0;
	}
	return json_is_true(v);
}

time_t
dec_time(struct dec *d, json_t *obj, const char *key)
{
	return decode_kube_time(dec_str(d, obj, key));
}

/* Element i of an array, which must be an object. */
json_t *
dec_item(struct dec *d, json_t *arr, size_t i, const char *name)
{
	json_t	*v = json_array_get(arr, i);

	if (!json_is_object(v)) {
		dec_fail(d, "%s[%zu] is %s, not an object", name, i,
		    dk_json_type_name(v));
		return NULL;
	}
	return v;
}

int
dec_metadata(struct dec *d, json_t *obj, struct dec_meta *m)
{
	memset(m, 0, sizeof *m);
	if (!json_is_object(obj)) {
		dec_fail(d, "is %s, not an object", dk_json_type_name(obj));
		return -1;
	}
	if ((m->meta = dec_obj(d, obj, "metadata")) == NULL) {
		dec_fail(d, "no metadata");
		return -1;
	}
	m->name = dec_str(d, m->meta, "name");
	if (m->name == NULL || *m->name == '\0') {
		dec_fail(d, "no metadata.name");
		return -1;
	}
	if ((m->ns = dec_str(d, m->meta, "namespace")) == NULL)
		m->ns = "";
	snprintf(d->key, sizeof d->key, "%s/%s", m->ns, m->name);
	m->uid = dec_str(d, m->meta, "uid");
	m->created = dec_time(d, m->meta, "creationTimestamp");
	return d->cause != NULL ? -1 : 0;
}

/* The ownerReference with controller: true, or NULL. */
json_t *
dec_controller(struct dec *d, json_t *meta)
{
	json_t	*refs = dec_arr(d, meta, "ownerReferences"), *ref;
	size_t	 i;

	for (i = 0; i < json_array_size(refs); i++) {
		if ((ref = dec_item(d, refs, i, "ownerReferences")) == NULL)
			return NULL;
		if (dec_bool(d, ref, "controller"))
			return ref;
	}
	return NULL;
}

static const char *
dec_annotation(struct dec *d, json_t *meta, const char *key)
{
	return dec_str(d, dec_obj(d, meta, "annotations"), key);
}

/* deployment.kubernetes.io/revision as strconv.ParseInt reads it; 0 if
 * absent or not a number. */
static long
dec_revision(const char *s)
{
	char	*end;
	long	 v;

	if (s == NULL || !(*s == '+' || *s == '-' || (*s >= '0' && *s <= '9')))
		return 0;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || *end != '\0')
		return 0;
	return v;
}

/* Images of a pod spec's containers, joined with ','. */
static char *
dec_images(struct dec *d, json_t *podspec)
{
	json_t		*cs = dec_arr(d, podspec, "containers"), *c;
	struct sbuf	 b = { NULL, 0, 0 };
	const char	*image;
	size_t		 i;

	for (i = 0; i < json_array_size(cs); i++) {
		if ((c = dec_item(d, cs, i, "containers")) == NULL)
			break;
		if ((image = dec_str(d, c, "image")) == NULL)
			continue;
		if (b.len != 0)
			sbuf_add(&b, ",");
		sbuf_add(&b, image);
	}
	return sbuf_take(&b);
}

/* RFC 3339 time to time_t (rfc3339_parse: fractions dropped, offsets
 * applied); 0 for NULL, empty or invalid input. */
time_t
decode_kube_time(const char *s)
{
	time_t	 t;

	return rfc3339_parse(s, 0, &t, NULL) == 0 ? t : 0;
}

/* A Deployment (apps/v1) to a new kube_deploy; spec.replicas defaults to 1,
 * status counts to 0; selector is NULL if the selector is invalid. */
struct kube_deploy *
decode_kube_deploy(json_t *obj, char **cause)
{
	struct dec		 d;
	struct dec_meta		 m;
	struct kube_deploy	*dp = NULL;
	json_t			*spec, *status, *conds, *c;
	size_t			 i;

	dec_init(&d, "deployment");
	if (dec_metadata(&d, obj, &m) != 0)
		goto fail;
	dp = xcalloc(1, sizeof *dp);
	dp->ns = xstrdup(m.ns);
	dp->name = xstrdup(m.name);
	dp->uid = dk_dup_or_null(m.uid);
	dp->created = m.created;
	dp->rv = dk_dup_or_null(dec_str(&d, m.meta, "resourceVersion"));
	dp->generation = dec_int(&d, m.meta, "generation", 0, 0, LONG_MAX);
	dp->revision = dec_revision(dec_annotation(&d, m.meta,
	    "deployment.kubernetes.io/revision"));

	spec = dec_obj(&d, obj, "spec");
	dp->desired = dec_int(&d, spec, "replicas", 1, 0, INT_MAX);
	dp->paused = dec_bool(&d, spec, "paused");
	dp->images = dec_images(&d, dec_obj(&d, dec_obj(&d, spec, "template"),
	    "spec"));
	dp->selector = decode_kube_selector(dec_obj(&d, spec, "selector"));

	status = dec_obj(&d, obj, "status");
	dp->current = dec_int(&d, status, "replicas", 0, 0, INT_MAX);
	dp->updated = dec_int(&d, status, "updatedReplicas", 0, 0, INT_MAX);
	dp->ready = dec_int(&d, status, "readyReplicas", 0, 0, INT_MAX);
	dp->available = dec_int(&d, status, "availableReplicas", 0, 0,
	    INT_MAX);
	dp->observed_generation = dec_int(&d, status, "observedGeneration", 0,
	    0, LONG_MAX);
	conds = dec_arr(&d, status, "conditions");
	for (i = 0; i < json_array_size(conds); i++) {
		if ((c = dec_item(&d, conds, i, "conditions")) == NULL)
			break;
		if (dk_streq(dec_str(&d, c, "type"), "Progressing")) {
			dp->progress_reason = dk_dup_or_null(dec_str(&d, c,
			    "reason"));
			break;
		}
	}
	if (d.cause != NULL)
		goto fail;
	return dp;

fail:
	kube_deploy_free(dp);
	dec_cause(&d, cause);
	return NULL;
}

/* A ReplicaSet (apps/v1) to a new kube_rs. */
struct kube_rs *
decode_kube_rs(json_t *obj, char **cause)
{
	struct dec	 d;
	struct dec_meta	 m;
	struct kube_rs	*rs = NULL;
	json_t		*spec, *ref;

	dec_init(&d, "replicaset");
	if (dec_metadata(&d, obj, &m) != 0)
		goto fail;
	rs = xcalloc(1, sizeof *rs);
	rs->ns = xstrdup(m.ns);
	rs->name = xstrdup(m.name);
	rs->uid = dk_dup_or_null(m.uid);
	rs->created = m.created;
	if ((ref = dec_controller(&d, m.meta)) != NULL &&
	    dk_streq(dec_str(&d, ref, "kind"), "Deployment")) {
		rs->owner_deploy = dk_dup_or_null(dec_str(&d, ref, "name"));
		rs->owner_uid = dk_dup_or_null(dec_str(&d, ref, "uid"));
	}
	rs->revision = dec_revision(dec_annotation(&d, m.meta,
	    "deployment.kubernetes.io/revision"));
	rs->change_cause = dk_dup_or_null(dec_annotation(&d, m.meta,
	    "kubernetes.io/change-cause"));
	spec = dec_obj(&d, obj, "spec");
	rs->desired = dec_int(&d, spec, "replicas", 1, 0, INT_MAX);
	rs->images = dec_images(&d, dec_obj(&d, dec_obj(&d, spec, "template"),
	    "spec"));
	rs->ready = dec_int(&d, dec_obj(&d, obj, "status"), "readyReplicas", 0,
	    0, INT_MAX);
	if (d.cause != NULL)
		goto fail;
	return rs;

fail:
	kube_rs_free(rs);
	dec_cause(&d, cause);
	return NULL;
}

/* A HorizontalPodAutoscaler (autoscaling/v1; v2 has the same fields used
 * here) to a new kube_hpa; minReplicas defaults to 1. */
struct kube_hpa *
decode_kube_hpa(json_t *obj, char **cause)
{
	struct dec	 d;
	struct dec_meta	 m;
	struct kube_hpa	*h = NULL;
	json_t		*spec, *ref, *status;

	dec_init(&d, "hpa");
	if (dec_metadata(&d, obj, &m) != 0)
		goto fail;
	h = xcalloc(1, sizeof *h);
	h->ns = xstrdup(m.ns);
	h->name = xstrdup(m.name);
	h->created = m.created;
	spec = dec_obj(&d, obj, "spec");
	ref = dec_obj(&d, spec, "scaleTargetRef");
	h->target_kind = dk_dup_or_null(dec_str(&d, ref, "kind"));
	h->target_name = dk_dup_or_null(dec_str(&d, ref, "name"));
	h->min = dec_int(&d, spec, "minReplicas", 1, 0, INT_MAX);
	h->max = dec_int(&d, spec, "maxReplicas", 0, 0, INT_MAX);
	status = dec_obj(&d, obj, "status");
	h->current = dec_int(&d, status, "currentReplicas", 0, 0, INT_MAX);
	h->desired = dec_int(&d, status, "desiredReplicas", 0, 0, INT_MAX);
	/* autoscaling/v1's CPU target, 0 when it scales on something else. */
	h->target_cpu = dec_int(&d, spec, "targetCPUUtilizationPercentage", 0,
	    0, INT_MAX);
	h->current_cpu = dec_int(&d, status, "currentCPUUtilizationPercentage",
	    0, 0, INT_MAX);
	if (d.cause != NULL)
		goto fail;
	return h;

fail:
	kube_hpa_free(h);
	dec_cause(&d, cause);
	return NULL;
}

const char *
decode_kube_key(json_t *obj, char *buf, size_t len)
{
	json_t		*meta = json_object_get(obj, "metadata");
	const char	*ns, *name;
	int		 n;

	name = json_string_value(json_object_get(meta, "name"));
	ns = json_string_value(json_object_get(meta, "namespace"));
	if (name == NULL || *name == '\0' || len == 0)
		return NULL;
	n = snprintf(buf, len, "%s/%s", ns != NULL ? ns : "", name);
	if (n < 0 || (size_t)n >= len)
		return NULL;
	return buf;
}

/* metadata.resourceVersion of a list (or a BOOKMARK object); NULL if absent
 * or empty. */
const char *
decode_kube_list_rv(json_t *list)
{
	const char	*s;

	s = json_string_value(json_object_get(json_object_get(list,
	    "metadata"), "resourceVersion"));
	return s != NULL && *s != '\0' ? s : NULL;
}

/* metadata.continue of a list page; NULL if absent or empty (the last page). */
const char *
decode_kube_list_continue(json_t *list)
{
	const char	*s;

	s = json_string_value(json_object_get(json_object_get(list,
	    "metadata"), "continue"));
	return s != NULL && *s != '\0' ? s : NULL;
}

enum kube_event_type
decode_kube_event(json_t *ev, json_t **obj)
{
	const char	*type;
	json_t		*o;
	size_t		 i;

	if (obj != NULL)
		*obj = NULL;
	type = json_string_value(json_object_get(ev, "type"));
	o = json_object_get(ev, "object");
	if (type == NULL || !json_is_object(o))
		return KUBE_EVENT_BAD;
	for (i = 0; i < nitems(kube_event_names); i++) {
		if (strcmp(type, kube_event_names[i]) == 0) {
			if (obj != NULL)
				*obj = o;
			return (enum kube_event_type)i;
		}
	}
	return KUBE_EVENT_BAD;
}

int
decode_kube_status(json_t *obj, struct kube_status *st)
{
	json_t	*code;

	memset(st, 0, sizeof *st);
	if (!dk_streq(json_string_value(json_object_get(obj, "kind")), "Status"))
		return -1;
	code = json_object_get(obj, "code");
	if (json_is_integer(code) && json_integer_value(code) > 0 &&
	    json_integer_value(code) <= INT_MAX)
		st->code = (int)json_integer_value(code);
	st->reason = dk_dup_or_null(json_string_value(json_object_get(obj,
	    "reason")));
	st->message = dk_dup_or_null(json_string_value(json_object_get(obj,
	    "message")));
	return 0;
}

void
decode_kube_status_clear(struct kube_status *st)
{
	free(st->reason);
	free(st->message);
	memset(st, 0, sizeof *st);
}

/* Label keys ([prefix/]name) and values: only the characters are checked,
 * enough to keep a hostile selector from adding requirements. */
static int
sel_valid(const char *s, int key)
{
	if (key && *s == '\0')
		return 0;
	for (; *s != '\0'; s++) {
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= '0' && *s <= '9') || *s == '-' || *s == '_' ||
		    *s == '.' || (key && *s == '/')))
			return 0;
	}
	return 1;
}

static int
sel_cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* One matchExpressions entry to its text, or NULL if invalid. */
static char *
sel_expression(json_t *e, const char **keyp)
{
	json_t		*vals, *v;
	const char	*key, *op, **sv;
	struct sbuf	 b = { NULL, 0, 0 };
	size_t		 n, i;
	char		*text = NULL;

	key = json_string_value(json_object_get(e, "key"));
	op = json_string_value(json_object_get(e, "operator"));
	vals = json_object_get(e, "values");
	if (key == NULL || op == NULL || !sel_valid(key, 1) ||
	    (vals != NULL && !json_is_null(vals) && !json_is_array(vals)))
		return NULL;
	*keyp = key;
	n = json_array_size(vals);
	if (strcmp(op, "Exists") == 0 || strcmp(op, "DoesNotExist") == 0) {
		if (n != 0)
			return NULL;
		xasprintf(&text, "%s%s", *op == 'D' ? "!" : "", key);
		return text;
	}
	if ((strcmp(op, "In") != 0 && strcmp(op, "NotIn") != 0) || n == 0)
		return NULL;
	sv = xcalloc(n, sizeof *sv);
	for (i = 0; i < n; i++) {
		v = json_array_get(vals, i);
		if (!json_is_string(v) || !sel_valid(json_string_value(v), 0)) {
			free(sv);
			return NULL;
		}
		sv[i] = json_string_value(v);
	}
	qsort(sv, n, sizeof *sv, sel_cmp_str);
	sbuf_add(&b, key);
	sbuf_add(&b, *op == 'I' ? " in (" : " notin (");
	for (i = 0; i < n; i++) {
		if (i != 0)
			sbuf_add(&b, ",");
		sbuf_add(&b, sv[i]);
	}
	sbuf_add(&b, ")");
	free(sv);
	return sbuf_take(&b);
}

/*
 * A LabelSelector as LabelSelectorAsSelector(...).String() gives it:
 * requirements sorted by key (stably: matchLabels before matchExpressions),
 * in/notin values sorted, joined with ','. An empty selector is "" (all);
 * NULL if sel is not an object or is invalid. The caller frees the result.
 */
char *
decode_kube_selector(json_t *sel)
{
	json_t		*labels, *exprs, *v;
	struct sel_req	*reqs, tmp;
	struct sbuf	 b = { NULL, 0, 0 };
	const char	*key;
	size_t		 n = 0, i, j;
	char		*out = NULL;

	if (!json_is_object(sel))
		return NULL;
	labels = json_object_get(sel, "matchLabels");
	exprs = json_object_get(sel, "matchExpressions");
	if ((labels != NULL && !json_is_null(labels) &&
	    !json_is_object(labels)) ||
	    (exprs != NULL && !json_is_null(exprs) && !json_is_array(exprs)))
		return NULL;
	reqs = xcalloc(json_object_size(labels) + json_array_size(exprs) + 1,
	    sizeof *reqs);
	json_object_foreach(labels, key, v) {
		if (!json_is_string(v) || !sel_valid(key, 1) ||
		    !sel_valid(json_string_value(v), 0))
			goto done;
		reqs[n].key = key;
		xasprintf(&reqs[n++].text, "%s=%s", key, json_string_value(v));
	}
	for (i = 0; i < json_array_size(exprs); i++) {
		reqs[n].text = sel_expression(json_array_get(exprs, i),
		    &reqs[n].key);
		if (reqs[n++].text == NULL)
			goto done;
	}
	for (i = 1; i < n; i++) {
		tmp = reqs[i];
		for (j = i; j > 0 && strcmp(reqs[j - 1].key, tmp.key) > 0; j--)
			reqs[j] = reqs[j - 1];
		reqs[j] = tmp;
	}
	for (i = 0; i < n; i++) {
		if (i != 0)
			sbuf_add(&b, ",");
		sbuf_add(&b, reqs[i].text);
	}
	out = sbuf_take(&b);

done:
	for (i = 0; i < n; i++)
		free(reqs[i].text);
	free(reqs);
	return out;
}
