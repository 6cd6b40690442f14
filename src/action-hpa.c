/* action-hpa.c: 'hpa DEPLOYMENT MIN MAX' = kubectl patch hpa X --type=merge
 * -p '{"spec":{"minReplicas":MIN,"maxReplicas":MAX}}' on the autoscaler
 * that targets the deployment: what to change instead of scaling a
 * deployment an HPA owns. "-" keeps a bound as it is. */
#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "action.h"
#include "kube-ops.h"
#include "warroom.h"

/* One bound: a whole number >= 1, or "-" (keep: -1). */
static int
action_hpa_bound(const char *s, const char *what, long *out, char **cause)
{
	char	*end;
	long	 n;

	if (strcmp(s, "-") == 0) {
		*out = -1;
		return 0;
	}
	errno = 0;
	n = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || errno != 0 || n > INT_MAX) {
		xasprintf(cause, "invalid %s \"%s\": want a whole number, or "
		    "- to keep it", what, s);
		return -1;
	}
	if (n < 1) {
		xasprintf(cause, "invalid %s %ld: an autoscaler needs at least "
		    "1 replica", what, n);
		return -1;
	}
	*out = n;
	return 0;
}

static int
action_hpa_parse(struct action_state *st, int argc, char **argv,
    char **cause)
{
	if (action_hpa_bound(argv[0], "minimum", &st->min, cause) != 0 ||
	    action_hpa_bound(argv[1], "maximum", &st->max, cause) != 0)
		return -1;
	if (st->min != -1 && st->max != -1 && st->min > st->max) {
		xasprintf(cause, "minimum %ld is above maximum %ld", st->min,
		    st->max);
		return -1;
	}
	return 0;
}

/* Keep the autoscaler that targets the deployment. */
static void
action_hpa_aux(struct action_state *st, json_t *list)
{
	json_t		*hpa;
	const char	*kind, *name;
	size_t		 i;

	json_array_foreach(json_object_get(list, "items"), i, hpa) {
		kind = kube_ops_str(hpa, "spec.scaleTargetRef.kind");
		name = kube_ops_str(hpa, "spec.scaleTargetRef.name");
		if (kind != NULL && name != NULL &&
		    strcmp(kind, "Deployment") == 0 &&
		    strcmp(name, st->name) == 0) {
			json_decref(st->aux_data);
			st->aux_data = json_incref(hpa);
			return;
		}
	}
}

static int
action_hpa_plan(struct action_state *st, json_t *deploy,
    struct action_patch *p, char **cause)
{
	json_t		*hpa = st->aux_data;
	const char	*name, *rv;
	long		 min0, max0, min, max;

	if (hpa == NULL || (name = kube_ops_str(hpa, "metadata.name")) == NULL ||
	    (rv = kube_ops_str(hpa, "metadata.resourceVersion")) == NULL) {
		xasprintf(cause, "no HorizontalPodAutoscaler targets deployment "
		    "\"%s\" in namespace \"%s\"", st->name, st->ns);
		return -1;
	}
	min0 = (long)kube_ops_int(hpa, "spec.minReplicas", 1);
	max0 = (long)kube_ops_int(hpa, "spec.maxReplicas", 0);
	min = st->min != -1 ? st->min : min0;
	max = st->max != -1 ? st->max : max0;
	if (min > max) {
		xasprintf(cause, "minimum %ld would be above maximum %ld of "
		    "HorizontalPodAutoscaler \"%s\"", min, max, name);
		return -1;
	}
	if (min == min0 && max == max0) {
		xasprintf(cause, "skipped: HorizontalPodAutoscaler \"%s\" "
		    "already has min %ld, max %ld", name, min, max);
		return 1;
	}
	st->min = min;
	st->max = max;
	xasprintf(&p->path, "/apis/autoscaling/v1/namespaces/%s/"
	    "horizontalpodautoscalers/%s", st->ns, name);
	p->rv = xstrdup(rv);
	xasprintf(&p->object, "horizontalpodautoscaler.autoscaling/%s", name);
	p->subpath = "";
	p->query = NULL;
	p->content_type = "application/merge-patch+json";
	p->body = json_pack("{s:{s:I, s:I}}", "spec", "minReplicas",
	    (json_int_t)min, "maxReplicas", (json_int_t)max);
	return 0;
}

/* "3" or "3 → 5". */
static void
action_hpa_change(char *buf, size_t len, long from, long to)
{
	if (from == to)
		snprintf(buf, len, "%ld", from);
	else
		snprintf(buf, len, "%ld \xe2\x86\x92 %ld", from, to);
}

static char *
action_hpa_diff(struct action_state *st, json_t *before, json_t *after)
{
	json_t	*hpa = st->aux_data;
	char	 min[64], max[64], *s;

	action_hpa_change(min, sizeof min,
	    (long)kube_ops_int(hpa, "spec.minReplicas", 1),
	    (long)kube_ops_int(after, "spec.minReplicas", st->min));
	action_hpa_change(max, sizeof max,
	    (long)kube_ops_int(hpa, "spec.maxReplicas", 0),
	    (long)kube_ops_int(after, "spec.maxReplicas", st->max));
	xasprintf(&s, "HorizontalPodAutoscaler %s: min %s, max %s (%lld "
	    "replicas now)", kube_ops_str(hpa, "metadata.name"), min, max,
	    kube_ops_int(hpa, "status.currentReplicas", 0));
	return s;
}

const struct action action_hpa = {
	.name = "hpa",
	.usage = "hpa DEPLOYMENT MIN MAX",
	.note = "change the min/max replicas of the deployment's autoscaler "
	    "(kubectl patch hpa)",
	.ask = "autoscaler range MIN MAX (- keeps one)",
	.target = ACTION_TARGET_DEPLOYMENT,
	.flags = ACTION_MUTATES,
	.nargs = 2,
	.verb = "patch",
	.group = "autoscaling",
	.resource = "horizontalpodautoscalers",
	.subresource = NULL,
	.ssar_unnamed = 1,
	.event_reason = "AutoscalerChangedByWarroom",
	.event_action = "Autoscale",
	.done_word = "patched",
	.cause_inline = 1,
	.aux_group = "/apis/autoscaling/v1",
	.aux_resource = "horizontalpodautoscalers",
	.aux = action_hpa_aux,
	.parse = action_hpa_parse,
	.plan = action_hpa_plan,
	.diff = action_hpa_diff
};
