/* action-rollback.c: 'rollback DEPLOYMENT [REVISION]' = kubectl rollout
 * undo [--to-revision=N]: pick a controlled ReplicaSet by revision, then a
 * JSON patch replacing the pod template and the annotations (k8s-api.md 1). */
#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "action.h"
#include "kube-ops.h"
#include "warroom.h"

#define HASH_LABEL	"pod-template-hash"
#define REVISION	"deployment.kubernetes.io/revision"
#define CHANGE_CAUSE	"kubernetes.io/change-cause"

/* The deployment annotations a rollback keeps (kubectl annotationsToSkip). */
static const char *const action_rollback_skip[] = {
	"kubectl.kubernetes.io/last-applied-configuration",
	REVISION,
	"deployment.kubernetes.io/revision-history",
	"deployment.kubernetes.io/desired-replicas",
	"deployment.kubernetes.io/max-replicas",
	"deprecated.deployment.rollback.to",
	NULL
};

static int
action_rollback_skipped(const char *key)
{
	size_t	 i;

	for (i = 0; action_rollback_skip[i] != NULL; i++) {
		if (strcmp(action_rollback_skip[i], key) == 0)
			return 1;
	}
	return 0;
}

static int
action_rollback_parse(struct action_state *st, int argc, char **argv,
    char **cause)
{
	char	*end;
	long	 n;

	st->n_new = 0;
	if (argc == 0)
		return 0;
	errno = 0;
	n = strtol(argv[0], &end, 10);
	if (*argv[0] == '\0' || *end != '\0' || errno != 0) {
		xasprintf(cause, "invalid revision \"%s\": want a whole number",
		    argv[0]);
		return -1;
	}
	if (n < 0) {
		xasprintf(cause, "unable to find specified revision %ld in "
		    "history", n);
		return -1;
	}
	st->n_new = n;
	return 0;
}

static void
action_rollback_aux(struct action_state *st, json_t *list)
{
	json_decref(st->aux_data);
	st->aux_data = json_incref(list);
}

/* A copy without nulls, empty maps and empty lists, and without the hash
 * label: apimachinery's semantic equality treats nil and empty alike. */
static json_t *
action_rollback_norm(json_t *v)
{
	json_t		*out, *e, *n;
	const char	*k;
	size_t		 i;

	if (json_is_object(v)) {
		out = json_object();
		json_object_foreach(v, k, e) {
			if ((n = action_rollback_norm(e)) != NULL)
				json_object_set_new(out, k, n);
		}
		if (json_object_size(out) == 0) {
			json_decref(out);
			return NULL;
		}
		return out;
	}
	if (json_is_array(v)) {
		out = json_array();
		json_array_foreach(v, i, e) {
			n = action_rollback_norm(e);
			json_array_append_new(out, n != NULL ? n : json_null());
		}
		if (json_array_size(out) == 0) {
			json_decref(out);
			return NULL;
		}
		return out;
	}
	if (v == NULL || json_is_null(v))
		return NULL;
	return json_incref(v);
}

static int
action_rollback_equal(json_t *a, json_t *b)
{
	json_t	*x, *y;
	int	 eq;

	a = json_deep_copy(a);
	b = json_deep_copy(b);
	json_object_del(json_object_get(json_object_get(a, "metadata"),
	    "labels"), HASH_LABEL);
	json_object_del(json_object_get(json_object_get(b, "metadata"),
	    "labels"), HASH_LABEL);
	x = action_rollback_norm(a);
	y = action_rollback_norm(b);
	eq = (x == NULL && y == NULL) || json_equal(x, y);
	json_decref(x);
	json_decref(y);
	json_decref(a);
	json_decref(b);
	return eq;
}

/* 1 if rs has a controller ownerReference to the deployment's uid. */
static int
action_rollback_controlled(json_t *rs, const char *uid)
{
	json_t	*ref;
	size_t	 i;

	json_array_foreach(json_object_get(json_object_get(rs, "metadata"),
	    "ownerReferences"), i, ref) {
		if (json_is_true(json_object_get(ref, "controller")) &&
		    strcmp(kube_ops_str(ref, "uid") ?: "", uid) == 0)
			return 1;
	}
	return 0;
}

static int
action_rollback_cmp(const void *a, const void *b)
{
	json_t		*x = *(json_t *const *)a, *y = *(json_t *const *)b;
	int		 c;

	/* RFC 3339 UTC times of one width sort as strings. */
	c = strcmp(kube_ops_str(x, "metadata.creationTimestamp") ?: "",
	    kube_ops_str(y, "metadata.creationTimestamp") ?: "");
	if (c != 0)
		return c;
	return strcmp(kube_ops_str(x, "metadata.name") ?: "",
	    kube_ops_str(y, "metadata.name") ?: "");
}

/* deploymentutil.Revision: 0 if absent, -1 (skip) if unparseable. */
static int
action_rollback_revision(json_t *rs, long long *rev)
{
	json_t		*ann;
	const char	*s;
	char		*end;

	ann = json_object_get(json_object_get(rs, "metadata"), "annotations");
	if ((s = json_string_value(json_object_get(ann, REVISION))) == NULL) {
		*rev = 0;
		return 0;
	}
	errno = 0;
	*rev = strtoll(s, &end, 10);
	if (*s == '\0' || *end != '\0' || errno != 0)
		return -1;
	return 0;
}

/* The ReplicaSet to go back to (borrowed), or NULL and a new *cause. */
static json_t *
action_rollback_pick(struct action_state *st, json_t *deploy, char **cause)
{
	json_t		**all, *rs, *tmpl, *newrs = NULL, *latest = NULL;
	json_t		*prev = NULL, *found = NULL;
	const char	*uid = kube_ops_str(deploy, "metadata.uid") ?: "";
	long long	 v, latest_rev = -1, prev_rev = -1;
	size_t		 i, n = 0, k;

	all = xcalloc(json_array_size(json_object_get(st->aux_data, "items")) +
	    1, sizeof *all);
	json_array_foreach(json_object_get(st->aux_data, "items"), i, rs) {
		if (action_rollback_controlled(rs, uid))
			all[n++] = rs;
	}
	qsort(all, n, sizeof *all, action_rollback_cmp);
	tmpl = json_object_get(json_object_get(deploy, "spec"), "template");
	for (i = 0; i < n; i++) {
		if (action_rollback_equal(json_object_get(json_object_get(
		    all[i], "spec"), "template"), tmpl)) {
			newrs = all[i];
			memmove(all + i, all + i + 1, (n - i - 1) * sizeof *all);
			all[n - 1] = newrs;
			break;
		}
	}
	/* Old ReplicaSets in order, then the new one, as kubectl visits. */
	for (k = 0; k < n && found == NULL; k++) {
		rs = all[k];
		if (action_rollback_revision(rs, &v) != 0)
			continue;
		if (st->n_new == 0) {
			if (latest_rev < v) {
				prev_rev = latest_rev;
				prev = latest;
				latest_rev = v;
				latest = rs;
			} else if (prev_rev < v) {
				prev_rev = v;
				prev = rs;
			}
		} else if (v == st->n_new)
			found = rs;
	}
	free(all);
	if (st->n_new > 0 && found == NULL)
		xasprintf(cause, "unable to find specified revision %ld in "
		    "history", st->n_new);
	else if (st->n_new == 0 && prev == NULL)
		xasprintf(cause, "no rollout history found for deployment "
		    "\"%s\"", st->name);
	else if (st->n_new == 0) {
		found = prev;
		v = prev_rev;
	}
	if (found != NULL)
		st->revision = (long)(st->n_new > 0 ? st->n_new : v);
	return found;
}

static int
action_rollback_plan(struct action_state *st, json_t *deploy,
    struct action_patch *p, char **cause)
{
	json_t		*rs, *tmpl, *dann, *rsann, *ann, *v;
	const char	*k;
	size_t		 i;

	if (st->aux_data == NULL) {
		xasprintf(cause, "failed to retrieve replica sets from "
		    "deployment %s", st->name);
		return -1;
	}
	if ((rs = action_rollback_pick(st, deploy, cause)) == NULL)
		return -1;
	if (json_is_true(json_object_get(json_object_get(deploy, "spec"),
	    "paused"))) {
		*cause = xstrdup("you cannot rollback a paused deployment; "
		    "resume it first with 'kubectl rollout resume' and try "
		    "again");
		return -1;
	}
	tmpl = json_object_get(json_object_get(rs, "spec"), "template");
	if (action_rollback_equal(tmpl, json_object_get(json_object_get(deploy,
	    "spec"), "template"))) {
		xasprintf(cause, "skipped rollback (current template already "
		    "matches revision %ld)", st->n_new);
		return 1;
	}
	tmpl = json_deep_copy(tmpl);
	json_object_del(json_object_get(json_object_get(tmpl, "metadata"),
	    "labels"), HASH_LABEL);

	dann = json_object_get(json_object_get(deploy, "metadata"),
	    "annotations");
	rsann = json_object_get(json_object_get(rs, "metadata"), "annotations");
	ann = json_object();
	for (i = 0; action_rollback_skip[i] != NULL; i++) {
		if ((v = json_object_get(dann, action_rollback_skip[i])) != NULL)
			json_object_set(ann, action_rollback_skip[i], v);
	}
	json_object_foreach(rsann, k, v) {
		if (!action_rollback_skipped(k))
			json_object_set(ann, k, v);
	}
	free(st->detail);
	k = json_string_value(json_object_get(rsann, CHANGE_CAUSE));
	st->detail = k != NULL ? xstrdup(k) : NULL;

	p->subpath = "";
	p->query = NULL;
	p->content_type = "application/json-patch+json";
	p->body = json_pack("[{s:s, s:s, s:o}, {s:s, s:s, s:o}]",
	    "op", "replace", "path", "/spec/template", "value", tmpl,
	    "op", "replace", "path", "/metadata/annotations", "value", ann);
	return 0;
}

static char *
action_rollback_diff(struct action_state *st, json_t *before, json_t *after)
{
	char	*a, *b, *s;

	a = kube_ops_images(json_object_get(json_object_get(before, "spec"),
	    "template"));
	b = kube_ops_images(json_object_get(json_object_get(after, "spec"),
	    "template"));
	xasprintf(&s, "image %s%s%s; back to revision %ld (%s%s)", a,
	    strcmp(a, b) == 0 ? " (unchanged)" : " \xe2\x86\x92 ",
	    strcmp(a, b) == 0 ? "" : b, st->revision,
	    st->detail != NULL ? "change-cause: " : "no change-cause",
	    st->detail != NULL ? st->detail : "");
	free(a);
	free(b);
	return s;
}

const struct action action_rollback = {
	.name = "rollback",
	.usage = "rollback DEPLOYMENT [REVISION]",
	.note = "go back to a previous revision (kubectl rollout undo)",
	.target = ACTION_TARGET_DEPLOYMENT,
	.flags = ACTION_MUTATES | ACTION_PICK_REVISION,
	.nargs = 0,
	.nargs_max = 1,
	.verb = "patch",
	.group = "apps",
	.resource = "deployments",
	.subresource = NULL,
	.event_reason = "RolledBackByWarroom",
	.event_action = "Rollback",
	.done_word = "rolled back",
	.cause_inline = 1,
	.aux_group = "/apis/apps/v1",
	.aux_resource = "replicasets",
	.aux_selector = 1,
	.aux = action_rollback_aux,
	.parse = action_rollback_parse,
	.plan = action_rollback_plan,
	.diff = action_rollback_diff
};
