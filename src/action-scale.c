/* action-scale.c: 'scale DEPLOYMENT N' = kubectl scale deployment/X
 * --replicas=N, warning when an HPA targets the deployment (it would undo
 * the change). One merge patch of the Deployment carries the replicas and
 * the change-cause together: kubectl patches the scale subresource, but a
 * second patch for the annotation would bump the Deployment's generation
 * once more on a real API server (annotations count, as they are copied to
 * the ReplicaSets), and the objects would differ. */
#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "action.h"
#include "kube-ops.h"
#include "warroom.h"

static int
action_scale_parse(struct action_state *st, int argc, char **argv,
    char **cause)
{
	char	*end;
	long	 n;

	errno = 0;
	n = strtol(argv[0], &end, 10);
	if (*argv[0] == '\0' || *end != '\0' || errno != 0 || n > INT_MAX) {
		xasprintf(cause, "invalid replica count \"%s\": want a whole "
		    "number", argv[0]);
		return -1;
	}
	if (n < 0) {
		xasprintf(cause, "invalid replica count %ld: the number of "
		    "replicas must not be negative", n);
		return -1;
	}
	st->n_new = n;
	if (n == 0) {
		/* Scaling to nothing takes the service down. */
		st->dangerous = 1;
		xasprintf(&st->danger, "scaling \"%s\" to 0 stops every pod: "
		    "type the deployment's name to apply", st->name);
	}
	return 0;
}

static void
action_scale_aux(struct action_state *st, json_t *list)
{
	json_t		*items, *hpa;
	const char	*kind, *name, *hname;
	size_t		 i;

	items = json_object_get(list, "items");
	json_array_foreach(items, i, hpa) {
		kind = kube_ops_str(hpa, "spec.scaleTargetRef.kind");
		name = kube_ops_str(hpa, "spec.scaleTargetRef.name");
		hname = kube_ops_str(hpa, "metadata.name");
		if (kind == NULL || name == NULL || hname == NULL ||
		    strcmp(kind, "Deployment") != 0 ||
		    strcmp(name, st->name) != 0)
			continue;
		free(st->warning);
		xasprintf(&st->warning, "HorizontalPodAutoscaler \"%s\" "
		    "(min %lld, max %lld) manages deployment \"%s\": it will "
		    "undo this scale; change the autoscaler's range instead: "
		    "warroom do hpa %s MIN MAX", hname,
		    kube_ops_int(hpa, "spec.minReplicas", 1),
		    kube_ops_int(hpa, "spec.maxReplicas", 0), st->name,
		    st->name);
		break;
	}
}

static int
action_scale_plan(struct action_state *st, json_t *deploy,
    struct action_patch *p, char **cause)
{
	st->n_old = (long)kube_ops_int(deploy, "spec.replicas", 1);
	p->subpath = "";
	p->query = NULL;
	p->content_type = "application/merge-patch+json";
	p->body = json_pack("{s:{s:I}}", "spec", "replicas",
	    (json_int_t)st->n_new);
	return 0;
}

static char *
action_scale_diff(struct action_state *st, json_t *before, json_t *after)
{
	char	*s;
	long	 now = (long)kube_ops_int(after, "spec.replicas", st->n_new);

	if (now == st->n_old)
		xasprintf(&s, "replicas %ld (unchanged)", now);
	else
		xasprintf(&s, "replicas %ld \xe2\x86\x92 %ld", st->n_old, now);
	return s;
}

const struct action action_scale = {
	.name = "scale",
	.usage = "scale DEPLOYMENT REPLICAS",
	.note = "set the number of replicas (kubectl scale)",
	.ask = "replicas",
	.target = ACTION_TARGET_DEPLOYMENT,
	.flags = ACTION_MUTATES | ACTION_OFFER_HPA,
	.nargs = 1,
	.verb = "patch",
	.group = "apps",
	.resource = "deployments",
	.subresource = NULL,
	.event_reason = "ScaledByWarroom",
	.event_action = "Scale",
	.done_word = "scaled",
	.cause_inline = 1,
	.aux_group = "/apis/autoscaling/v1",
	.aux_resource = "horizontalpodautoscalers",
	.aux = action_scale_aux,
	.parse = action_scale_parse,
	.plan = action_scale_plan,
	.diff = action_scale_diff
};
