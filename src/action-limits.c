/* action-limits.c: 'limits DEPLOYMENT [CONTAINER] memory=4Gi cpu=500m
 * [requests.memory=...]' = kubectl set resources: limits (or requests)
 * merged key by key into one container's resources. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "action.h"
#include "jtext.h"
#include "kube-ops.h"
#include "quantity.h"
#include "warroom.h"

/* Split "requests.memory=1Gi" into its map, resource name and canonical
 * quantity (into buf). 0, or -1 and a new *cause. */
static int
action_limits_word(const char *word, const char **map, char *res,
    size_t rlen, char *buf, size_t blen, char **cause)
{
	struct quantity	 q;
	const char	*eq = strchr(word, '='), *name = word;
	size_t		 n, i;

	*map = "limits";
	if (strncmp(word, "limits.", 7) == 0)
		name = word + 7;
	else if (strncmp(word, "requests.", 9) == 0) {
		*map = "requests";
		name = word + 9;
	}
	n = (size_t)(eq - name);
	if (eq == NULL || n == 0 || n >= rlen) {
		xasprintf(cause, "invalid resource \"%s\": want NAME=QUANTITY "
		    "(memory=4Gi, cpu=500m, requests.memory=1Gi)", word);
		return -1;
	}
	for (i = 0; i < n; i++) {
		if (strchr("abcdefghijklmnopqrstuvwxyz0123456789-./_",
		    name[i]) == NULL) {
			xasprintf(cause, "invalid resource name in \"%s\"", word);
			return -1;
		}
	}
	memcpy(res, name, n);
	res[n] = '\0';
	if (quantity_parse(eq + 1, &q, cause) != 0)
		return -1;
	if (q.milli < 0 || q.nano < 0) {
		xasprintf(cause, "invalid quantity \"%s\": %s must not be "
		    "negative", eq + 1, res);
		return -1;
	}
	quantity_format(&q, buf, blen);
	return 0;
}

/* The words after the container name, if the first one names it. */
static int
action_limits_first(int argc, char **argv)
{
	return argc > 0 && strchr(argv[0], '=') == NULL ? 1 : 0;
}

/* The limits and requests maps from the words: {"limits":{..},...}. */
static json_t *
action_limits_maps(int argc, char **argv, char **cause)
{
	json_t		*maps = json_object(), *m;
	const char	*map;
	char		 res[128], buf[64];
	int		 i;

	for (i = action_limits_first(argc, argv); i < argc; i++) {
		if (action_limits_word(argv[i], &map, res, sizeof res, buf,
		    sizeof buf, cause) != 0) {
			json_decref(maps);
			return NULL;
		}
		if ((m = json_object_get(maps, map)) == NULL) {
			m = json_object();
			json_object_set_new(maps, map, m);
		}
		json_object_set_new(m, res, jtext(buf));
	}
	return maps;
}

static int
action_limits_parse(struct action_state *st, int argc, char **argv,
    char **cause)
{
	json_t	*maps;

	if (action_limits_first(argc, argv) &&
	    !kube_ops_valid_name(argv[0])) {
		xasprintf(cause, "invalid container name \"%s\"", argv[0]);
		return -1;
	}
	if (argc <= action_limits_first(argc, argv)) {
		*cause = xstrdup("no resources given (memory=4Gi cpu=500m)");
		return -1;
	}
	if ((maps = action_limits_maps(argc, argv, cause)) == NULL)
		return -1;
	json_decref(maps);
	return 0;
}

static int
action_limits_plan(struct action_state *st, json_t *deploy,
    struct action_patch *p, char **cause)
{
	json_t		*cs, *c, *maps;
	char		*names = xstrdup(""), *s;
	size_t		 i;

	cs = json_object_get(json_object_get(json_object_get(json_object_get(
	    deploy, "spec"), "template"), "spec"), "containers");
	if (action_limits_first(st->argc, st->argv)) {
		if (kube_ops_container(deploy, st->argv[0]) == NULL) {
			xasprintf(cause, "unable to find container named %s",
			    st->argv[0]);
			free(names);
			return -1;
		}
		xstrset(&st->value, st->argv[0]);
	} else if (json_array_size(cs) == 1)
		xstrset(&st->value, kube_ops_str(json_array_get(cs, 0), "name"));
	else {
		json_array_foreach(cs, i, c) {
			xasprintf(&s, "%s%s%s", names, i > 0 ? ", " : "",
			    kube_ops_str(c, "name") ?: "?");
			free(names);
			names = s;
		}
		xasprintf(cause, "deployment \"%s\" has %zu containers (%s): "
		    "name the one to change", st->name, json_array_size(cs),
		    names);
		free(names);
		return -1;
	}
	free(names);
	if ((maps = action_limits_maps(st->argc, st->argv, cause)) == NULL)
		return -1;
	p->subpath = "";
	p->query = "fieldManager=kubectl-set";
	p->content_type = "application/strategic-merge-patch+json";
	p->body = json_pack("{s:{s:{s:{s:[{s:s, s:o}]}}}}", "spec", "template",
	    "spec", "containers", "name", st->value, "resources", maps);
	return 0;
}

static char *
action_limits_diff(struct action_state *st, json_t *before, json_t *after)
{
	static const char *const maps[] = { "limits", "requests", NULL };
	json_t		*ra, *rb, *v;
	const char	*k, *old;
	char		*s, *t;
	size_t		 i;
	int		 n = 0;

	ra = json_object_get(kube_ops_container(after, st->value), "resources");
	rb = json_object_get(kube_ops_container(before, st->value),
	    "resources");
	xasprintf(&s, "container %s:", st->value);
	for (i = 0; maps[i] != NULL; i++) {
		json_object_foreach(json_object_get(ra, maps[i]), k, v) {
			old = json_string_value(json_object_get(
			    json_object_get(rb, maps[i]), k));
			if (old != NULL && json_string_value(v) != NULL &&
			    strcmp(old, json_string_value(v)) == 0)
				continue;
			xasprintf(&t, "%s%s %s.%s %s \xe2\x86\x92 %s", s,
			    n > 0 ? "," : "", maps[i], k,
			    old != NULL ? old : "(none)",
			    json_string_value(v) ?: "?");
			free(s);
			s = t;
			n++;
		}
	}
	if (n == 0) {
		xasprintf(&t, "%s unchanged", s);
		free(s);
		s = t;
	}
	return s;
}

const struct action action_limits = {
	.name = "limits",
	.usage = "limits DEPLOYMENT [CONTAINER] memory=4Gi cpu=500m "
	    "[requests.memory=1Gi]",
	.note = "set resource limits (kubectl set resources)",
	.ask = "[CONTAINER] memory=4Gi cpu=500m [requests.memory=1Gi]",
	.target = ACTION_TARGET_DEPLOYMENT,
	.flags = ACTION_MUTATES,
	.nargs = 1,
	.nargs_max = -1,
	.verb = "patch",
	.group = "apps",
	.resource = "deployments",
	.subresource = NULL,
	.event_reason = "ResourcesSetByWarroom",
	.event_action = "SetResources",
	.done_word = "resource requirements updated",
	.cause_inline = 1,
	.aux_group = NULL,
	.aux_resource = NULL,
	.aux = NULL,
	.parse = action_limits_parse,
	.plan = action_limits_plan,
	.diff = action_limits_diff
};
