/* snapshot.c: the model as JSON, in the schema DESIGN.md promises scripts:
 * field names may grow, never change. */
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "snapshot.h"
#include "warroom.h"

struct ns_name {
	const char	*ns;
	const char	*name;
};

static int
snapshot_cmp(const void *a, const void *b)
{
	/* Every model item starts with ns, name. */
	const struct ns_name *x = *(const struct ns_name *const *)a;
	const struct ns_name *y = *(const struct ns_name *const *)b;
	int		 c;

	if ((c = strcmp(x->ns, y->ns)) != 0)
		return c;
	return strcmp(x->name, y->name);
}

static void **
snapshot_sorted(const struct table *t, size_t *n)
{
	void	**v = table_values(t, n);

	qsort(v, *n, sizeof *v, snapshot_cmp);
	return v;
}

static json_t *
snapshot_str(const char *s)
{
	return s != NULL ? json_string(s) : json_null();
}

static long
snapshot_age(time_t created, time_t now)
{
	if (created == 0)
		return -1;
	return now > created ? (long)(now - created) : 0;
}

static json_t *
snapshot_sources(const struct model *m, time_t now)
{
	json_t	*o = json_object(), *s;
	long	 age;
	int	 i;

	for (i = 0; i < SOURCE__COUNT; i++) {
		const struct source_status *st = &m->sources[i];

		if (st->state == SOURCE_OFF)
			continue;
		s = json_object();
		json_object_set_new(s, "state",
		    json_string(model_source_state_name(st->state)));
		json_object_set_new(s, "error", snapshot_str(st->error));
		age = model_source_age(m, i, now);
		json_object_set_new(s, "age_s",
		    age < 0 ? json_null() : json_integer(age));
		json_object_set_new(o, model_source_name(i), s);
	}
	return o;
}

static json_t *
snapshot_pods(const struct model *m, time_t now)
{
	json_t		 *a = json_array(), *p;
	void		**v;
	size_t		  n, i;

	v = snapshot_sorted(&m->pods, &n);
	for (i = 0; i < n; i++) {
		const struct kube_pod *pod = v[i];

		p = json_object();
		json_object_set_new(p, "namespace", snapshot_str(pod->ns));
		json_object_set_new(p, "name", snapshot_str(pod->name));
		json_object_set_new(p, "ready", snapshot_str(pod->ready));
		json_object_set_new(p, "status", snapshot_str(pod->status));
		json_object_set_new(p, "restarts",
		    json_integer(pod->restart_count));
		json_object_set_new(p, "restarts_text",
		    snapshot_str(pod->restarts));
		json_object_set_new(p, "node", snapshot_str(pod->node));
		json_object_set_new(p, "age_s",
		    json_integer(snapshot_age(pod->created, now)));
		json_object_set_new(p, "deployment",
		    snapshot_str(model_pod_deploy(m, pod)));
		json_object_set_new(p, "problem", json_boolean(pod->problem));
		json_array_append_new(a, p);
	}
	free(v);
	return a;
}

static json_t *
snapshot_deploys(const struct model *m)
{
	json_t		 *a = json_array(), *d;
	void		**v;
	size_t		  n, i;

	v = snapshot_sorted(&m->deploys, &n);
	for (i = 0; i < n; i++) {
		const struct kube_deploy *dp = v[i];

		d = json_object();
		json_object_set_new(d, "namespace", snapshot_str(dp->ns));
		json_object_set_new(d, "name", snapshot_str(dp->name));
		json_object_set_new(d, "desired", json_integer(dp->desired));
		json_object_set_new(d, "updated", json_integer(dp->updated));
		json_object_set_new(d, "ready", json_integer(dp->ready));
		json_object_set_new(d, "available",
		    json_integer(dp->available));
		json_object_set_new(d, "revision", json_integer(dp->revision));
		json_object_set_new(d, "paused", json_boolean(dp->paused));
		json_object_set_new(d, "images", snapshot_str(dp->images));
		json_array_append_new(a, d);
	}
	free(v);
	return a;
}

json_t *
snapshot_json(const struct model *m, time_t now)
{
	json_t	*root = json_object();

	json_object_set_new(root, "context", snapshot_str(m->context));
	json_object_set_new(root, "namespace", snapshot_str(m->namespace));
	json_object_set_new(root, "sources", snapshot_sources(m, now));
	json_object_set_new(root, "pods", snapshot_pods(m, now));
	json_object_set_new(root, "deployments", snapshot_deploys(m));
	return root;
}
