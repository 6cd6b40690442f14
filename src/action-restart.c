/* action-restart.c: 'restart DEPLOYMENT' = kubectl rollout restart: a
 * strategic merge patch of the pod template's restartedAt annotation. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "action.h"
#include "kube-ops.h"
#include "warroom.h"

#define RESTARTED_AT	"kubectl.kubernetes.io/restartedAt"

static int
action_restart_parse(struct action_state *st, int argc, char **argv,
    char **cause)
{
	return 0;
}

static const char *
action_restart_current(json_t *deploy)
{
	json_t	*a;

	a = json_object_get(json_object_get(json_object_get(json_object_get(
	    deploy, "spec"), "template"), "metadata"), "annotations");
	return json_string_value(json_object_get(a, RESTARTED_AT));
}

static int
action_restart_plan(struct action_state *st, json_t *deploy,
    struct action_patch *p, char **cause)
{
	const char	*old;
	char		 when[40];

	if (json_is_true(json_object_get(json_object_get(deploy, "spec"),
	    "paused"))) {
		*cause = xstrdup("can't restart paused deployment (run "
		    "rollout resume first)");
		return -1;
	}
	kube_ops_time(time(NULL), 0, when, sizeof when);
	old = action_restart_current(deploy);
	if (old != NULL && strcmp(old, when) == 0) {
		xasprintf(cause, "failed to create patch for %s: if restart "
		    "has already been triggered within the past second, please "
		    "wait before attempting to trigger another", st->name);
		return -1;
	}
	xstrset(&st->value, when);
	p->subpath = "";
	p->query = "fieldManager=kubectl-rollout";
	p->content_type = "application/strategic-merge-patch+json";
	p->body = json_pack("{s:{s:{s:{s:{s:s}}}}}", "spec", "template",
	    "metadata", "annotations", RESTARTED_AT, when);
	return 0;
}

static char *
action_restart_diff(struct action_state *st, json_t *before, json_t *after)
{
	const char	*old = action_restart_current(before);
	const char	*now = action_restart_current(after);
	char		*s;

	if (now == NULL)
		now = st->value;
	if (old == NULL)
		xasprintf(&s, "restartedAt set (%s): every pod is replaced",
		    now);
	else
		xasprintf(&s, "restartedAt %s \xe2\x86\x92 %s: every pod is "
		    "replaced", old, now);
	return s;
}

const struct action action_restart = {
	.name = "restart",
	.usage = "restart DEPLOYMENT",
	.note = "replace every pod (kubectl rollout restart)",
	.target = ACTION_TARGET_DEPLOYMENT,
	.flags = ACTION_MUTATES,
	.nargs = 0,
	.verb = "patch",
	.group = "apps",
	.resource = "deployments",
	.subresource = NULL,
	.event_reason = "RestartedByWarroom",
	.event_action = "Restart",
	.done_word = "restarted",
	.cause_inline = 1,
	.aux_group = NULL,
	.aux_resource = NULL,
	.aux = NULL,
	.parse = action_restart_parse,
	.plan = action_restart_plan,
	.diff = action_restart_diff
};
