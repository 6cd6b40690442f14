/* kube-ops.c: Kubernetes request helpers shared by the actions: access
 * reviews, Events, rollout status (kubectl's rules), RFC 3339 times. */
#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "jtext.h"
#include "kube-ops.h"
#include "warroom.h"

void
kube_ops_time(time_t t, int utc, char *buf, size_t len)
{
	struct tm	 tm;
	long		 off;
	char		 base[32];

	if (utc)
		gmtime_r(&t, &tm);
	else
		localtime_r(&t, &tm);
	strftime(base, sizeof base, "%Y-%m-%dT%H:%M:%S", &tm);
	off = utc ? 0 : tm.tm_gmtoff;
	if (off == 0)
		snprintf(buf, len, "%sZ", base);
	else
		snprintf(buf, len, "%s%c%02ld:%02ld", base, off < 0 ? '-' : '+',
		    labs(off) / 3600, (labs(off) % 3600) / 60);
}

static json_t *
kube_ops_get(json_t *obj, const char *path)
{
	char	 key[128];
	const char *p = path, *dot;
	size_t	 n;

	while (obj != NULL && *p != '\0') {
		dot = strchr(p, '.');
		n = dot != NULL ? (size_t)(dot - p) : strlen(p);
		if (n >= sizeof key)
			return NULL;
		memcpy(key, p, n);
		key[n] = '\0';
		obj = json_object_get(obj, key);
		p += n + (dot != NULL);
		if (dot == NULL)
			break;
	}
	return obj;
}

const char *
kube_ops_str(json_t *obj, const char *path)
{
	return json_string_value(kube_ops_get(obj, path));
}

long long
kube_ops_int(json_t *obj, const char *path, long long dflt)
{
	json_t	*v = kube_ops_get(obj, path);

	return json_is_integer(v) ? json_integer_value(v) : dflt;
}

static char *
kube_ops_dump(json_t *o)
{
	char	*s;

	if ((s = json_dumps(o, JSON_COMPACT)) == NULL)
		fatal("json_dumps failed");
	json_decref(o);
	return s;
}

char *
kube_ops_ssar_body(const char *ns, const char *verb, const char *group,
    const char *resource, const char *subresource, const char *name)
{
	json_t	*ra;

	ra = json_pack("{s:s, s:s, s:s, s:s}", "namespace", ns, "verb", verb,
	    "group", group, "resource", resource);
	if (subresource != NULL)
		json_object_set_new(ra, "subresource", jtext(subresource));
	if (name != NULL)
		json_object_set_new(ra, "name", jtext(name));
	return kube_ops_dump(json_pack("{s:s, s:s, s:{s:o}}",
	    "apiVersion", "authorization.k8s.io/v1",
	    "kind", "SelfSubjectAccessReview",
	    "spec", "resourceAttributes", ra));
}

int
kube_ops_ssar_allowed(const char *body, size_t len, char **reason)
{
	json_t		*root, *st;
	const char	*r;
	int		 allowed;

	*reason = NULL;
	if ((root = json_loadb(body, len, 0, NULL)) == NULL)
		return -1;
	st = json_object_get(root, "status");
	if (!json_is_object(st)) {
		json_decref(root);
		return -1;
	}
	allowed = json_is_true(json_object_get(st, "allowed"));
	if (!allowed && (r = kube_ops_str(st, "reason")) != NULL && *r != '\0')
		*reason = xstrdup(r);
	json_decref(root);
	return allowed;
}

char *
kube_ops_event_body(json_t *deploy, const char *reason, const char *action,
    const char *message)
{
	const char	*name, *ns, *uid, *rv;
	char		 when[40], host[256], *evname;
	struct timespec	 ts;
	json_t		*o;

	name = kube_ops_str(deploy, "metadata.name");
	ns = kube_ops_str(deploy, "metadata.namespace");
	uid = kube_ops_str(deploy, "metadata.uid");
	rv = kube_ops_str(deploy, "metadata.resourceVersion");
	clock_gettime(CLOCK_REALTIME, &ts);
	/* client-go: fmt.Sprintf("%v.%x", obj.Name, time.UnixNano()) */
	xasprintf(&evname, "%s.%llx", name != NULL ? name : "unknown",
	    (unsigned long long)ts.tv_sec * 1000000000ULL +
	    (unsigned long long)ts.tv_nsec);
	kube_ops_time(ts.tv_sec, 1, when, sizeof when);
	if (gethostname(host, sizeof host) != 0)
		snprintf(host, sizeof host, "localhost");
	host[sizeof host - 1] = '\0';
	o = json_pack("{s:s, s:s, s:{s:s, s:s}, s:{s:s, s:s, s:s, s:s},"
	    " s:s, s:s, s:s, s:{s:s, s:s}, s:s, s:s, s:i, s:s, s:s, s:s}",
	    "apiVersion", "v1", "kind", "Event",
	    "metadata", "name", evname, "namespace", ns != NULL ? ns : "",
	    "involvedObject", "apiVersion", "apps/v1", "kind", "Deployment",
	    "name", name != NULL ? name : "", "namespace", ns != NULL ? ns : "",
	    "reason", reason, "message", message, "type", "Normal",
	    "source", "component", "warroom", "host", host,
	    "firstTimestamp", when, "lastTimestamp", when, "count", 1,
	    "reportingComponent", "warroom", "reportingInstance", host,
	    "action", action);
	free(evname);
	if (o == NULL)
		fatal("event body");
	if (uid != NULL)
		json_object_set_new(json_object_get(o, "involvedObject"), "uid",
		    jtext(uid));
	if (rv != NULL)
		json_object_set_new(json_object_get(o, "involvedObject"),
		    "resourceVersion", jtext(rv));
	return kube_ops_dump(o);
}

int
kube_ops_rollout_status(json_t *d, char **msg)
{
	const char	*name = kube_ops_str(d, "metadata.name");
	json_t		*conds, *c, *specr;
	long long	 gen, ogen, upd, rep, avail, want;
	size_t		 i;

	if (name == NULL)
		name = "";
	gen = kube_ops_int(d, "metadata.generation", 0);
	ogen = kube_ops_int(d, "status.observedGeneration", 0);
	if (gen > ogen) {
		*msg = xstrdup("Waiting for deployment spec update to be "
		    "observed...");
		return KUBE_ROLLOUT_WAIT;
	}
	conds = kube_ops_get(d, "status.conditions");
	json_array_foreach(conds, i, c) {
		if (strcmp(json_string_value(json_object_get(c, "type")) ?: "",
		    "Progressing") == 0 &&
		    strcmp(json_string_value(json_object_get(c, "reason")) ?: "",
		    "ProgressDeadlineExceeded") == 0) {
			xasprintf(msg, "deployment \"%s\" exceeded its progress "
			    "deadline", name);
			return KUBE_ROLLOUT_FAILED;
		}
	}
	upd = kube_ops_int(d, "status.updatedReplicas", 0);
	rep = kube_ops_int(d, "status.replicas", 0);
	avail = kube_ops_int(d, "status.availableReplicas", 0);
	specr = kube_ops_get(d, "spec.replicas");
	want = json_integer_value(specr);
	if (json_is_integer(specr) && upd < want)
		xasprintf(msg, "Waiting for deployment \"%s\" rollout to finish: "
		    "%lld out of %lld new replicas have been updated...", name,
		    upd, want);
	else if (rep > upd)
		xasprintf(msg, "Waiting for deployment \"%s\" rollout to finish: "
		    "%lld old replicas are pending termination...", name,
		    rep - upd);
	else if (avail < upd)
		xasprintf(msg, "Waiting for deployment \"%s\" rollout to finish: "
		    "%lld of %lld updated replicas are available...", name,
		    avail, upd);
	else {
		xasprintf(msg, "deployment \"%s\" successfully rolled out",
		    name);
		return KUBE_ROLLOUT_DONE;
	}
	return KUBE_ROLLOUT_WAIT;
}

int
kube_ops_valid_name(const char *s)
{
	size_t	 n = strlen(s);

	if (n == 0 || n > 253 || !isalnum((unsigned char)s[0]))
		return 0;
	for (; *s != '\0'; s++) {
		if (!islower((unsigned char)*s) && !isdigit((unsigned char)*s) &&
		    *s != '-' && *s != '.')
			return 0;
	}
	return 1;
}

struct kube_ops_req {
	const char	*key;
	char		*text;
};

static int
kube_ops_req_cmp(const void *a, const void *b)
{
	const struct kube_ops_req *x = a, *y = b;

	return strcmp(x->key, y->key);
}

static int
kube_ops_str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* "k in (a,b)" with the values sorted, as labels.Requirement.String(). */
static char *
kube_ops_req_set(const char *key, const char *op, json_t *values)
{
	const char	**v;
	json_t		*e;
	char		*s, *t;
	size_t		 i, n = json_array_size(values);

	v = xcalloc(n + 1, sizeof *v);
	json_array_foreach(values, i, e)
		v[i] = json_string_value(e) ?: "";
	qsort(v, n, sizeof *v, kube_ops_str_cmp);
	xasprintf(&s, "%s %s (", key, op);
	for (i = 0; i < n; i++) {
		xasprintf(&t, "%s%s%s", s, i > 0 ? "," : "", v[i]);
		free(s);
		s = t;
	}
	xasprintf(&t, "%s)", s);
	free(s);
	free(v);
	return t;
}

char *
kube_ops_selector(json_t *sel)
{
	struct kube_ops_req *reqs = NULL;
	json_t		*ml, *me, *v, *e;
	const char	*k, *op;
	char		*s, *t;
	size_t		 n = 0, i;

	if (!json_is_object(sel))
		return NULL;
	ml = json_object_get(sel, "matchLabels");
	me = json_object_get(sel, "matchExpressions");
	reqs = xcalloc(json_object_size(ml) + json_array_size(me) + 1,
	    sizeof *reqs);
	json_object_foreach(ml, k, v) {
		reqs[n].key = k;
		xasprintf(&reqs[n++].text, "%s=%s", k,
		    json_string_value(v) ?: "");
	}
	json_array_foreach(me, i, e) {
		k = kube_ops_str(e, "key");
		op = kube_ops_str(e, "operator");
		if (k == NULL || op == NULL)
			continue;
		reqs[n].key = k;
		if (strcmp(op, "In") == 0)
			s = kube_ops_req_set(k, "in", json_object_get(e, "values"));
		else if (strcmp(op, "NotIn") == 0)
			s = kube_ops_req_set(k, "notin",
			    json_object_get(e, "values"));
		else if (strcmp(op, "Exists") == 0)
			s = xstrdup(k);
		else if (strcmp(op, "DoesNotExist") == 0)
			xasprintf(&s, "!%s", k);
		else
			continue;
		reqs[n++].text = s;
	}
	qsort(reqs, n, sizeof *reqs, kube_ops_req_cmp);
	s = xstrdup("");
	for (i = 0; i < n; i++) {
		xasprintf(&t, "%s%s%s", s, i > 0 ? "," : "", reqs[i].text);
		free(s);
		free(reqs[i].text);
		s = t;
	}
	free(reqs);
	if (n == 0) {
		free(s);
		return NULL;
	}
	return s;
}

json_t *
kube_ops_container(json_t *deploy, const char *name)
{
	json_t	*c;
	size_t	 i;

	json_array_foreach(kube_ops_get(deploy, "spec.template.spec.containers"),
	    i, c) {
		if (strcmp(kube_ops_str(c, "name") ?: "", name) == 0)
			return c;
	}
	return NULL;
}

char *
kube_ops_images(json_t *tmpl)
{
	json_t	*c;
	size_t	 i;
	char	*s = xstrdup(""), *t;

	json_array_foreach(kube_ops_get(tmpl, "spec.containers"), i, c) {
		xasprintf(&t, "%s%s%s", s, i > 0 ? "," : "",
		    kube_ops_str(c, "image") ?: "?");
		free(s);
		s = t;
	}
	return s;
}
