/* action-degrade.c: 'degrade DEPLOYMENT [PROFILE]' = kubectl set env with a
 * config profile's variables on every container, and 'restore DEPLOYMENT',
 * which undoes exactly that from what degrade recorded in an annotation. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "action.h"
#include "config.h"
#include "jtext.h"
#include "kube-ops.h"
#include "warroom.h"

#define DEGRADED	"warroom.io/degraded"
#define DEFAULT_PROFILE	"cache-fallback"

static const struct config_degrade *
action_degrade_find(const char *name)
{
	int	 i;

	for (i = 0; i < cfg.ndegrades; i++) {
		if (strcmp(cfg.degrades[i].name, name) == 0)
			return &cfg.degrades[i];
	}
	return NULL;
}

static int
action_degrade_parse(struct action_state *st, int argc, char **argv,
    char **cause)
{
	const char	*name = argc > 0 ? argv[0] : DEFAULT_PROFILE;
	char		*known, *s;
	int		 i;

	if (action_degrade_find(name) != NULL)
		return 0;
	known = xstrdup("");
	for (i = 0; i < cfg.ndegrades; i++) {
		xasprintf(&s, "%s%s%s", known, i > 0 ? ", " : "",
		    cfg.degrades[i].name);
		free(known);
		known = s;
	}
	xasprintf(cause, "unknown degrade profile \"%s\" (known: %s)", name,
	    *known != '\0' ? known : "none");
	free(known);
	return -1;
}

static json_t *
action_degrade_containers(json_t *deploy)
{
	return json_object_get(json_object_get(json_object_get(json_object_get(
	    deploy, "spec"), "template"), "spec"), "containers");
}

/* The env element named name in a container, or NULL (borrowed). */
static json_t *
action_degrade_var(json_t *c, const char *name)
{
	json_t	*e;
	size_t	 i;

	json_array_foreach(json_object_get(c, "env"), i, e) {
		if (strcmp(kube_ops_str(e, "name") ?: "", name) == 0)
			return e;
	}
	return NULL;
}

static int
action_degrade_is_delete(json_t *e)
{
	const char	*d = kube_ops_str(e, "$patch");

	return d != NULL && strcmp(d, "delete") == 0;
}

static json_t *
action_degrade_find_entry(json_t *envp, const char *name)
{
	json_t	*e;
	size_t	 i;

	json_array_foreach(envp, i, e)
		if (strcmp(kube_ops_str(e, "name") ?: "", name) == 0)
			return e;
	return NULL;
}

/*
 * A container's part of the patch as 'kubectl set env' sends it: the
 * entries in the final order of the list, which $setElementOrder/env gives
 * whole (variables kept where they were, new ones at the end), deletions
 * last. Without the order the API server puts patched entries elsewhere
 * (first, or last) and the template differs from kubectl's: a restore
 * would then not find the old ReplicaSet again. envp is taken over.
 */
static json_t *
action_degrade_container(json_t *c, const char *cname, json_t *envp)
{
	json_t		*order = json_array(), *env = json_array(), *e, *p;
	const char	*n;
	size_t		 i;

	json_array_foreach(json_object_get(c, "env"), i, e) {
		n = kube_ops_str(e, "name") ?: "";
		p = action_degrade_find_entry(envp, n);
		if (p == NULL || !action_degrade_is_delete(p))
			json_array_append_new(order, json_pack("{s:s}", "name",
			    n));
	}
	json_array_foreach(envp, i, p) {
		n = kube_ops_str(p, "name") ?: "";
		if (!action_degrade_is_delete(p) &&
		    action_degrade_var(c, n) == NULL)
			json_array_append_new(order, json_pack("{s:s}", "name",
			    n));
	}
	json_array_foreach(order, i, e)
		if ((p = action_degrade_find_entry(envp,
		    kube_ops_str(e, "name") ?: "")) != NULL)
			json_array_append(env, p);
	json_array_foreach(envp, i, p)
		if (action_degrade_is_delete(p))
			json_array_append(env, p);
	json_decref(envp);
	return json_pack("{s:s, s:o, s:o}", "name", cname,
	    "$setElementOrder/env", order, "env", env);
}

/* spec.template.spec of the patch: the containers in their order. */
static json_t *
action_degrade_pod_spec(json_t *cs, json_t *patchc)
{
	json_t	*order = json_array(), *c;
	size_t	 i;

	json_array_foreach(cs, i, c)
		json_array_append_new(order, json_pack("{s:s}", "name",
		    kube_ops_str(c, "name") ?: ""));
	return json_pack("{s:o, s:o}", "$setElementOrder/containers", order,
	    "containers", patchc);
}

static const char *
action_degrade_recorded(json_t *deploy)
{
	return json_string_value(json_object_get(json_object_get(
	    json_object_get(deploy, "metadata"), "annotations"), DEGRADED));
}

/* Append one word group to the preview being built in st->detail. */
static void
action_degrade_add(struct action_state *st, char *text)
{
	char	*s;

	xasprintf(&s, "%s%s%s", st->detail != NULL ? st->detail : "",
	    st->detail != NULL ? " " : "", text);
	free(st->detail);
	free(text);
	st->detail = s;
}

static int
action_degrade_plan(struct action_state *st, json_t *deploy,
    struct action_patch *p, char **cause)
{
	const struct config_degrade *prof;
	const char	*name = st->argc > 0 ? st->argv[0] : DEFAULT_PROFILE;
	const char	*cname, *rec;
	json_t		*cs, *c, *old, *env, *set, *prev, *cprev, *patchc, *e;
	json_t		*record;
	char		*k, *v, *dump;
	size_t		 i, j;

	if ((rec = action_degrade_recorded(deploy)) != NULL) {
		record = json_loads(rec, 0, NULL);
		xasprintf(cause, "deployment \"%s\" is already degraded (profile "
		    "%s); restore it first", st->name,
		    kube_ops_str(record, "profile") ?: "?");
		json_decref(record);
		return -1;
	}
	prof = action_degrade_find(name);
	cs = action_degrade_containers(deploy);
	if (prof == NULL || json_array_size(cs) == 0) {
		xasprintf(cause, "deployment \"%s\" has no containers", st->name);
		return -1;
	}
	set = json_object();
	prev = json_object();
	patchc = json_array();
	json_array_foreach(cs, i, c) {
		cname = kube_ops_str(c, "name") ?: "";
		env = json_array();
		cprev = json_object();
		for (j = 0; prof->env[j] != NULL; j++) {
			k = xstrdup(prof->env[j]);
			v = strchr(k, '=');
			*v++ = '\0';
			e = json_pack("{s:s, s:o}", "name", k, "value",
			    jtext(v));
			if ((old = action_degrade_var(c, k)) != NULL) {
				json_object_set(cprev, k, old);
				if (json_object_get(old, "valueFrom") != NULL)
					json_object_set_new(e, "valueFrom",
					    json_null());
			}
			json_array_append_new(env, e);
			json_object_set_new(set, k, jtext(v));
			free(k);
		}
		json_array_append_new(patchc, action_degrade_container(c,
		    cname, env));
		if (json_object_size(cprev) > 0)
			json_object_set_new(prev, cname, cprev);
		else
			json_decref(cprev);
	}
	for (j = 0; prof->env[j] != NULL; j++)
		action_degrade_add(st, xstrdup(prof->env[j]));
	xasprintf(&k, "(profile %s, every container)", prof->name);
	action_degrade_add(st, k);
	record = json_pack("{s:o, s:o, s:o}", "profile", jtext(prof->name),
	    "env", set, "previous", prev);
	if ((dump = json_dumps(record, JSON_COMPACT | JSON_SORT_KEYS)) == NULL)
		fatal("json_dumps");
	json_decref(record);
	p->subpath = "";
	p->query = "fieldManager=kubectl-set";
	p->content_type = "application/strategic-merge-patch+json";
	p->body = json_pack("{s:{s:{s:s}}, s:{s:{s:o}}}",
	    "metadata", "annotations", DEGRADED, dump,
	    "spec", "template", "spec", action_degrade_pod_spec(cs, patchc));
	free(dump);
	return 0;
}

static char *
action_degrade_diff(struct action_state *st, json_t *before, json_t *after)
{
	return xstrdup(st->detail != NULL ? st->detail : "");
}

static int
action_restore_parse(struct action_state *st, int argc, char **argv,
    char **cause)
{
	return 0;
}

static int
action_restore_plan(struct action_state *st, json_t *deploy,
    struct action_patch *p, char **cause)
{
	const char	*rec, *cname, *k, *was, *now;
	json_t		*record, *set, *prev, *cs, *c, *env, *old, *e, *v, *cur;
	json_t		*patchc;
	char		*text;
	size_t		 i;
	int		 changed = 0;

	if ((rec = action_degrade_recorded(deploy)) == NULL) {
		xasprintf(cause, "deployment \"%s\" was not degraded by warroom "
		    "(no %s annotation); nothing to restore", st->name,
		    DEGRADED);
		return -1;
	}
	record = json_loads(rec, 0, NULL);
	set = json_object_get(record, "env");
	prev = json_object_get(record, "previous");
	if (!json_is_object(set)) {
		json_decref(record);
		xasprintf(cause, "deployment \"%s\": the %s annotation is not "
		    "warroom's; nothing to restore", st->name, DEGRADED);
		return -1;
	}
	cs = action_degrade_containers(deploy);
	patchc = json_array();
	json_array_foreach(cs, i, c) {
		cname = kube_ops_str(c, "name") ?: "";
		env = json_array();
		json_object_foreach(set, k, v) {
			cur = action_degrade_var(c, k);
			now = json_string_value(json_object_get(cur, "value"));
			was = json_string_value(v);
			if (cur != NULL && (now == NULL || was == NULL ||
			    strcmp(now, was) != 0))
				changed = 1;
			old = json_object_get(json_object_get(prev, cname), k);
			if (old != NULL) {
				e = json_deep_copy(old);
				if (json_object_get(e, "value") == NULL)
					json_object_set_new(e, "value",
					    json_null());
			} else
				e = json_pack("{s:s, s:s}", "$patch", "delete",
				    "name", k);
			json_array_append_new(env, e);
		}
		json_array_append_new(patchc, action_degrade_container(c,
		    cname, env));
	}
	json_object_foreach(set, k, v) {
		was = NULL;
		json_array_foreach(cs, i, c) {
			old = json_object_get(json_object_get(prev,
			    kube_ops_str(c, "name") ?: ""), k);
			if ((was = kube_ops_str(old, "value")) != NULL)
				break;
		}
		if (was != NULL)
			xasprintf(&text, "%s=%s (back to before)", k, was);
		else
			xasprintf(&text, "%s removed", k);
		action_degrade_add(st, text);
	}
	xasprintf(&text, "(undoing profile %s)",
	    kube_ops_str(record, "profile") ?: "?");
	action_degrade_add(st, text);
	if (changed) {
		free(st->warning);
		xasprintf(&st->warning, "a variable degrade set was changed "
		    "since; restore puts back the value from before the "
		    "degrade");
	}
	json_decref(record);
	p->subpath = "";
	p->query = "fieldManager=kubectl-set";
	p->content_type = "application/strategic-merge-patch+json";
	p->body = json_pack("{s:{s:{s:n}}, s:{s:{s:o}}}",
	    "metadata", "annotations", DEGRADED,
	    "spec", "template", "spec", action_degrade_pod_spec(cs, patchc));
	return 0;
}

const struct action action_degrade = {
	.name = "degrade",
	.usage = "degrade DEPLOYMENT [PROFILE]",
	.note = "set a degrade profile's env (kubectl set env)",
	.target = ACTION_TARGET_DEPLOYMENT,
	.flags = ACTION_MUTATES,
	.nargs = 0,
	.nargs_max = 1,
	.verb = "patch",
	.group = "apps",
	.resource = "deployments",
	.subresource = NULL,
	.event_reason = "DegradedByWarroom",
	.event_action = "Degrade",
	.done_word = "env updated",
	.cause_inline = 1,
	.aux_group = NULL,
	.aux_resource = NULL,
	.aux = NULL,
	.parse = action_degrade_parse,
	.plan = action_degrade_plan,
	.diff = action_degrade_diff
};

const struct action action_restore = {
	.name = "restore",
	.usage = "restore DEPLOYMENT",
	.note = "undo exactly what degrade set (kubectl set env NAME-)",
	.target = ACTION_TARGET_DEPLOYMENT,
	.flags = ACTION_MUTATES,
	.nargs = 0,
	.nargs_max = 0,
	.verb = "patch",
	.group = "apps",
	.resource = "deployments",
	.subresource = NULL,
	.event_reason = "RestoredByWarroom",
	.event_action = "Restore",
	.done_word = "env updated",
	.cause_inline = 1,
	.aux_group = NULL,
	.aux_resource = NULL,
	.aux = NULL,
	.parse = action_restore_parse,
	.plan = action_restore_plan,
	.diff = action_degrade_diff
};
