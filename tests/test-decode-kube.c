/* tests/test-decode-kube.c: the Kubernetes decoders of deployments, replica
 * sets, HPAs, selectors, keys, events and Status errors on responses shaped
 * as the API server sends them (tests/fixtures/kube), hostile objects, and
 * times. The corpus test decodes every fixture in that directory, so
 * responses recorded later from a real kube-apiserver are checked too. Pods
 * are in test-decode-kube-pod.c. */
#include <dirent.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "decode-kube.h"
#include "model.h"
#include "warroom.h"
#include "kube-fixture.h"
#include "test.h"

TEST(time_parse)
{
	static const char *bad[] = {
		"", "2026-11-28", "2026-11-28T14:34:15", "2026-11-28 14:34:15Z",
		"2026-13-01T00:00:00Z", "2026-02-29T00:00:00Z",
		"2026-11-31T00:00:00Z", "2026-11-28T24:00:00Z",
		"2026-11-28T14:60:00Z", "2026-11-28T14:34:60Z",
		"2026-11-28T14:34:15.Z", "2026-11-28T14:34:15Zjunk",
		"2026-11-28T14:34:15+0200", "x026-11-28T14:34:15Z",
		"2026-11-28T14:34:15+24:00", "-026-11-28T14:34:15Z"
	};
	size_t	 i;

	ASSERT_INT(decode_kube_time("2026-11-28T14:34:15Z"), 1795876455);
	ASSERT_INT(decode_kube_time("2026-11-28T14:34:15.123456Z"), 1795876455);
	ASSERT_INT(decode_kube_time("2026-11-28T14:34:15.5+00:00"), 1795876455);
	ASSERT_INT(decode_kube_time("2026-11-28T16:34:15+02:00"), 1795876455);
	ASSERT_INT(decode_kube_time("2026-11-28T09:04:15-05:30"), 1795876455);
	ASSERT_INT(decode_kube_time("2026-11-28t14:34:15z"), 1795876455);
	ASSERT_INT(decode_kube_time("2024-02-29T00:00:00Z"), 1709164800);
	ASSERT_INT(decode_kube_time(NULL), 0);
	for (i = 0; i < nitems(bad); i++) {
		if (decode_kube_time(bad[i]) != 0)
			printf("# \"%s\" parsed\n", bad[i]);
		ASSERT_INT(decode_kube_time(bad[i]), 0);
	}
}

TEST(status_bodies)
{
	static const struct {
		const char	*file;
		int		 code;
		const char	*reason;
		const char	*message;
	} cases[] = {
		{ "status-403.json", 403, "Forbidden", "deployments.apps is "
		    "forbidden: User \"viewer\" cannot list resource "
		    "\"deployments\" in API group \"apps\" in the namespace "
		    "\"default\"" },
		{ "status-404.json", 404, "NotFound",
		    "deployments.apps \"x\" not found" },
		{ "status-409.json", 409, "Conflict", "Operation cannot be "
		    "fulfilled on deployments.apps \"web\": the object has "
		    "been modified; please apply your changes to the latest "
		    "version and try again" },
	};
	struct kube_status	 st;
	json_t			*j;
	size_t			 i;

	for (i = 0; i < nitems(cases); i++) {
		ASSERT((j = fixture(cases[i].file)) != NULL);
		ASSERT_INT(decode_kube_status(j, &st), 0);
		ASSERT_INT(st.code, cases[i].code);
		ASSERT_STR(st.reason, cases[i].reason);
		ASSERT_STR(st.message, cases[i].message);
		decode_kube_status_clear(&st);
		json_decref(j);
	}

	/* An expired continue token: 410 with a fresh token. */
	ASSERT((j = fixture("status-410.json")) != NULL);
	ASSERT_INT(decode_kube_status(j, &st), 0);
	ASSERT_INT(st.code, 410);
	ASSERT_STR(st.reason, "Expired");
	ASSERT(decode_kube_list_continue(j) != NULL);
	decode_kube_status_clear(&st);
	json_decref(j);

	/* Not a Status: -1 and zeroed. */
	ASSERT((j = fixture("pod-list.json")) != NULL);
	ASSERT_INT(decode_kube_status(j, &st), -1);
	ASSERT(st.code == 0 && st.reason == NULL && st.message == NULL);
	json_decref(j);
	ASSERT_INT(decode_kube_status(NULL, &st), -1);
	j = js("{\"kind\":\"Status\",\"code\":\"500\",\"reason\":7,"
	    "\"message\":\"\"}");
	ASSERT_INT(decode_kube_status(j, &st), 0);
	ASSERT(st.code == 0 && st.reason == NULL && st.message == NULL);
	json_decref(j);
	j = js("{\"kind\":\"Status\",\"code\":99999999999}");
	ASSERT_INT(decode_kube_status(j, &st), 0);
	ASSERT_INT(st.code, 0);
	json_decref(j);
}

TEST(deployments)
{
	struct kube_deploy	*d;
	json_t			*list;

	ASSERT((list = fixture("deployment-list.json")) != NULL);
	ASSERT_STR(decode_kube_list_rv(list), "640");

	d = decode_kube_deploy(find_item(list, "web"), NULL);
	ASSERT(d != NULL);
	ASSERT_STR(d->ns, "default");
	ASSERT(d->uid != NULL);
	ASSERT_STR(d->rv, "501");
	ASSERT_INT(d->desired, 3);
	ASSERT_INT(d->current, 3);
	ASSERT_INT(d->updated, 3);
	ASSERT_INT(d->ready, 3);
	ASSERT_INT(d->available, 3);
	ASSERT_INT(d->revision, 2);
	ASSERT_INT(d->generation, 2);
	ASSERT_INT(d->observed_generation, 2);
	ASSERT_INT(d->paused, 0);
	ASSERT_STR(d->images, "registry.local/shop/web:1.4.2,"
	    "fluent/fluent-bit:2.2");
	ASSERT_STR(d->selector, "app=web");
	ASSERT_STR(d->progress_reason, "NewReplicaSetAvailable");
	ASSERT_INT(d->created, decode_kube_time("2026-11-20T09:00:00Z"));
	kube_deploy_free(d);

	d = decode_kube_deploy(find_item(list, "api"), NULL);
	ASSERT(d != NULL);
	ASSERT_INT(d->paused, 1);
	ASSERT_INT(d->desired, 4);
	ASSERT_INT(d->current, 5);
	ASSERT_INT(d->updated, 2);
	ASSERT_INT(d->ready, 3);
	ASSERT_INT(d->revision, 5);
	ASSERT_INT(d->generation, 7);
	ASSERT_INT(d->observed_generation, 6);
	ASSERT_STR(d->selector,
	    "app=api,!legacy,tier=backend,track in (canary,stable)");
	ASSERT_STR(d->progress_reason, "ProgressDeadlineExceeded");
	kube_deploy_free(d);

	/* Scaled to 0: the status counts are omitted, so 0. */
	d = decode_kube_deploy(find_item(list, "worker"), NULL);
	ASSERT(d != NULL);
	ASSERT_INT(d->desired, 0);
	ASSERT_INT(d->current, 0);
	ASSERT_INT(d->ready, 0);
	ASSERT_INT(d->available, 0);
	ASSERT_INT(d->revision, 1);
	kube_deploy_free(d);
	json_decref(list);
}

TEST(deploy_defaults_and_huge)
{
	struct kube_deploy	*d;
	json_t			*j;

	j = js("{\"metadata\":{\"name\":\"d\",\"namespace\":\"n\"},"
	    "\"spec\":{\"selector\":{},\"template\":{\"spec\":"
	    "{\"containers\":[]}}}}");
	d = decode_kube_deploy(j, NULL);
	ASSERT(d != NULL);
	ASSERT_INT(d->desired, 1);
	ASSERT_INT(d->current, 0);
	ASSERT_INT(d->revision, 0);
	ASSERT_STR(d->images, "");
	ASSERT_STR(d->selector, "");
	ASSERT(d->progress_reason == NULL && d->rv == NULL && d->uid == NULL);
	kube_deploy_free(d);
	json_decref(j);

	j = js("{\"metadata\":{\"name\":\"d\","
	    "\"generation\":9223372036854775807,\"annotations\":"
	    "{\"deployment.kubernetes.io/revision\":"
	    "\"99999999999999999999999\"}},\"spec\":{\"replicas\":"
	    "9223372036854775807,\"selector\":{\"matchLabels\":"
	    "{\"a,b\":\"c\"}}},\"status\":{\"replicas\":-4}}");
	d = decode_kube_deploy(j, NULL);
	ASSERT(d != NULL);
	ASSERT_INT(d->desired, INT_MAX);
	ASSERT_INT(d->generation, LONG_MAX);
	ASSERT_INT(d->revision, 0);
	ASSERT_INT(d->current, 0);
	ASSERT(d->selector == NULL);
	ASSERT_STR(d->ns, "");
	kube_deploy_free(d);
	json_decref(j);
}

TEST(replicasets)
{
	struct kube_rs	*rs;
	json_t		*list;

	ASSERT((list = fixture("replicaset-list.json")) != NULL);
	rs = decode_kube_rs(find_item(list, "web-7d4b9c8f6d"), NULL);
	ASSERT(rs != NULL);
	ASSERT_STR(rs->owner_deploy, "web");
	ASSERT_STR(rs->owner_uid, json_string_value(json_object_get(
	    json_array_get(json_object_get(json_object_get(find_item(list,
	    "web-7d4b9c8f6d"), "metadata"), "ownerReferences"), 0), "uid")));
	ASSERT_INT(rs->revision, 2);
	ASSERT_INT(rs->desired, 3);
	ASSERT_INT(rs->ready, 3);
	ASSERT_STR(rs->images, "registry.local/shop/web:1.4.2,"
	    "fluent/fluent-bit:2.2");
	ASSERT_STR(rs->change_cause, "kubectl set image deployment/web "
	    "web=registry.local/shop/web:1.4.2");
	kube_rs_free(rs);

	rs = decode_kube_rs(find_item(list, "web-59c6f7d8b4"), NULL);
	ASSERT(rs != NULL);
	ASSERT_INT(rs->revision, 1);
	ASSERT_INT(rs->desired, 0);
	ASSERT_INT(rs->ready, 0);
	ASSERT_STR(rs->change_cause, "initial create");
	kube_rs_free(rs);

	/* No owner, no annotations. */
	rs = decode_kube_rs(find_item(list, "web-adhoc-1"), NULL);
	ASSERT(rs != NULL);
	ASSERT(rs->owner_deploy == NULL && rs->owner_uid == NULL);
	ASSERT(rs->change_cause == NULL);
	ASSERT_INT(rs->revision, 0);
	ASSERT_INT(rs->desired, 1);
	kube_rs_free(rs);
	json_decref(list);
}

TEST(hpas)
{
	struct kube_hpa	*h;
	json_t		*list, *j;

	ASSERT((list = fixture("hpa-list.json")) != NULL);
	h = decode_kube_hpa(find_item(list, "web"), NULL);
	ASSERT(h != NULL);
	ASSERT_STR(h->target_kind, "Deployment");
	ASSERT_STR(h->target_name, "web");
	ASSERT_INT(h->min, 2);
	ASSERT_INT(h->max, 10);
	ASSERT_INT(h->current, 3);
	ASSERT_INT(h->desired, 3);
	kube_hpa_free(h);
	h = decode_kube_hpa(find_item(list, "api"), NULL);
	ASSERT(h != NULL);
	ASSERT_INT(h->min, 1);
	ASSERT_INT(h->max, 5);
	ASSERT_INT(h->current, 0);
	kube_hpa_free(h);
	json_decref(list);

	j = js("{\"metadata\":{\"name\":\"h\"},\"spec\":{\"scaleTargetRef\":"
	    "{\"kind\":\"Deployment\",\"name\":\"x\"},\"maxReplicas\":4}}");
	h = decode_kube_hpa(j, NULL);
	ASSERT(h != NULL);
	ASSERT_INT(h->min, 1);
	ASSERT_INT(h->max, 4);
	ASSERT_INT(h->desired, 0);
	kube_hpa_free(h);
	json_decref(j);
}

TEST(selectors)
{
	static const struct {
		const char	*in;
		const char	*want;		/* NULL: invalid */
	} cases[] = {
		{ "{\"matchLabels\":{\"tier\":\"web\",\"app\":\"shop\"}}",
		    "app=shop,tier=web" },
		{ "{\"matchLabels\":{\"app\":\"web\"},\"matchExpressions\":["
		    "{\"key\":\"env\",\"operator\":\"In\",\"values\":"
		    "[\"prod\",\"canary\"]},"
		    "{\"key\":\"beta\",\"operator\":\"Exists\"},"
		    "{\"key\":\"zone\",\"operator\":\"NotIn\","
		    "\"values\":[\"b\"]},"
		    "{\"key\":\"legacy\",\"operator\":\"DoesNotExist\"}]}",
		    "app=web,beta,env in (canary,prod),!legacy,"
		    "zone notin (b)" },
		/* Equal keys keep matchLabels first (stable sort). */
		{ "{\"matchLabels\":{\"app\":\"web\"},\"matchExpressions\":["
		    "{\"key\":\"app\",\"operator\":\"Exists\"}]}",
		    "app=web,app" },
		{ "{\"matchLabels\":{\"example.com/team\":\"a-b_c.d\","
		    "\"e\":\"\"}}", "e=,example.com/team=a-b_c.d" },
		{ "{}", "" },
		{ "{\"matchLabels\":null,\"matchExpressions\":null}", "" },
		{ "NULL", NULL },
		{ "[]", NULL },
		{ "{\"matchLabels\":[]}", NULL },
		{ "{\"matchExpressions\":{}}", NULL },
		{ "{\"matchLabels\":{\"a\":1}}", NULL },
		{ "{\"matchLabels\":{\"a,b\":\"c\"}}", NULL },
		{ "{\"matchLabels\":{\"a\":\"b,c=d\"}}", NULL },
		{ "{\"matchLabels\":{\"\":\"b\"}}", NULL },
		{ "{\"matchExpressions\":[5]}", NULL },
		{ "{\"matchExpressions\":[{\"key\":\"a\","
		    "\"operator\":\"Bogus\","
		    "\"values\":[\"x\"]}]}", NULL },
		{ "{\"matchExpressions\":[{\"key\":\"a\",\"operator\":\"In\","
		    "\"values\":[]}]}", NULL },
		{ "{\"matchExpressions\":[{\"key\":\"a\","
		    "\"operator\":\"In\"}]}",
		    NULL },
		{ "{\"matchExpressions\":[{\"key\":\"a\","
		    "\"operator\":\"Exists\",\"values\":[\"x\"]}]}", NULL },
		{ "{\"matchExpressions\":[{\"key\":\"a\",\"operator\":\"In\","
		    "\"values\":[\"x y\"]}]}", NULL },
		{ "{\"matchExpressions\":[{\"key\":\"a\",\"operator\":\"In\","
		    "\"values\":[3]}]}", NULL },
		{ "{\"matchExpressions\":[{\"operator\":\"Exists\"}]}", NULL },
	};
	json_t	*j;
	char	*s;
	size_t	 i;
	int	 bad = 0;

	for (i = 0; i < nitems(cases); i++) {
		j = js(cases[i].in);
		s = decode_kube_selector(j);
		if ((s == NULL) != (cases[i].want == NULL) ||
		    (s != NULL && strcmp(s, cases[i].want) != 0)) {
			printf("# %s: got %s, want %s\n", cases[i].in,
			    s ? s : "NULL", cases[i].want ? cases[i].want :
			    "NULL");
			bad++;
		}
		free(s);
		json_decref(j);
	}
	ASSERT_INT(bad, 0);
}

TEST(keys)
{
	json_t	*j;
	char	 buf[64], small[6];

	j = js("{\"metadata\":{\"name\":\"web\",\"namespace\":\"shop\"}}");
	ASSERT_STR(decode_kube_key(j, buf, sizeof buf), "shop/web");
	ASSERT(decode_kube_key(j, small, sizeof small) == NULL);
	ASSERT(decode_kube_key(j, buf, 0) == NULL);
	json_decref(j);
	j = js("{\"metadata\":{\"name\":\"node-1\"}}");
	ASSERT_STR(decode_kube_key(j, buf, sizeof buf), "/node-1");
	json_decref(j);
	j = js("{\"metadata\":{\"name\":5,\"namespace\":\"a\"}}");
	ASSERT(decode_kube_key(j, buf, sizeof buf) == NULL);
	json_decref(j);
	ASSERT(decode_kube_key(NULL, buf, sizeof buf) == NULL);
	j = js("[1]");
	ASSERT(decode_kube_key(j, buf, sizeof buf) == NULL);
	ASSERT(decode_kube_list_rv(j) == NULL);
	ASSERT(decode_kube_list_continue(j) == NULL);
	json_decref(j);
	j = js("{\"metadata\":{\"resourceVersion\":\"\",\"continue\":5}}");
	ASSERT(decode_kube_list_rv(j) == NULL);
	ASSERT(decode_kube_list_continue(j) == NULL);
	json_decref(j);
}

TEST(events_bad)
{
	static const char *bad[] = {
		"NULL", "[]", "{}", "\"ADDED\"",
		"{\"type\":\"ADDED\"}",
		"{\"type\":\"ADDED\",\"object\":null}",
		"{\"type\":\"ADDED\",\"object\":[]}",
		"{\"type\":\"added\",\"object\":{}}",
		"{\"type\":5,\"object\":{}}",
		"{\"type\":\"BOGUS\",\"object\":{}}",
		"{\"object\":{}}",
	};
	json_t	*j, *obj;
	size_t	 i;

	for (i = 0; i < nitems(bad); i++) {
		j = js(bad[i]);
		obj = (json_t *)1;
		ASSERT_INT(decode_kube_event(j, &obj), KUBE_EVENT_BAD);
		ASSERT(obj == NULL);
		json_decref(j);
	}
}

/* Hostile objects every full-object decoder must refuse with a cause. */
static const char *hostile_common[] = {
	"NULL", "[]", "\"pod\"", "5", "null", "true", "{}",
	"{\"metadata\":null}",
	"{\"metadata\":[]}",
	"{\"metadata\":\"x\"}",
	"{\"metadata\":{}}",
	"{\"metadata\":{\"name\":\"\"}}",
	"{\"metadata\":{\"name\":7}}",
	"{\"metadata\":{\"name\":\"x\",\"namespace\":[\"a\"]}}",
	"{\"metadata\":{\"name\":\"x\",\"uid\":{}}}",
	"{\"metadata\":{\"name\":\"x\",\"creationTimestamp\":5}}",
	"{\"metadata\":{\"name\":\"x\"},\"spec\":[]}",
	"{\"metadata\":{\"name\":\"x\"},\"status\":\"Running\"}",
};

/* For the decoders that read owners: pods and replica sets. */
static const char *hostile_owned[] = {
	"{\"metadata\":{\"name\":\"x\",\"ownerReferences\":{}}}",
	"{\"metadata\":{\"name\":\"x\",\"ownerReferences\":[1]}}",
	"{\"metadata\":{\"name\":\"x\",\"ownerReferences\":"
	    "[{\"controller\":\"true\"}]}}",
	"{\"metadata\":{\"name\":\"x\",\"ownerReferences\":"
	    "[{\"controller\":true,\"kind\":[]}]}}",
};

static const char *hostile_pod[] = {
	"{\"metadata\":{\"name\":\"x\"},\"spec\":{\"containers\":{}}}",
	"{\"metadata\":{\"name\":\"x\"},\"spec\":{\"initContainers\":[null]}}",
	"{\"metadata\":{\"name\":\"x\"},\"spec\":{\"nodeName\":1}}",
	"{\"metadata\":{\"name\":\"x\"},\"status\":{\"phase\":1}}",
	"{\"metadata\":{\"name\":\"x\"},\"status\":"
	    "{\"containerStatuses\":[5]}}",
	"{\"metadata\":{\"name\":\"x\"},\"status\":{\"containerStatuses\":"
	    "[{\"restartCount\":\"7\"}]}}",
	"{\"metadata\":{\"name\":\"x\"},\"status\":{\"containerStatuses\":"
	    "[{\"restartCount\":1.5}]}}",
	"{\"metadata\":{\"name\":\"x\"},\"status\":{\"containerStatuses\":"
	    "[{\"ready\":\"yes\",\"state\":{\"running\":{}}}]}}",
	"{\"metadata\":{\"name\":\"x\"},\"status\":{\"containerStatuses\":"
	    "[{\"state\":{\"waiting\":{\"reason\":[\"x\"]}}}]}}",
	"{\"metadata\":{\"name\":\"x\"},\"status\":{\"containerStatuses\":"
	    "[{\"state\":[]}]}}",
	"{\"metadata\":{\"name\":\"x\"},\"status\":{\"containerStatuses\":"
	    "[{\"lastState\":{\"terminated\":{\"finishedAt\":0}}}]}}",
	"{\"metadata\":{\"name\":\"x\"},\"status\":{\"initContainerStatuses\":"
	    "[{\"state\":{\"terminated\":{\"exitCode\":\"1\"}}}]}}",
	"{\"metadata\":{\"name\":\"x\"},\"status\":{\"conditions\":[[]]}}",
	"{\"metadata\":{\"name\":\"x\"},\"status\":{\"podIPs\":[{\"ip\":5}]}}",
	"{\"metadata\":{\"name\":\"x\"},\"status\":{\"podIPs\":[\"1.2.3.4\"]}}",
	"{\"metadata\":{\"name\":\"x\",\"deletionTimestamp\":true}}",
};

static const char *hostile_apps[] = {
	"{\"metadata\":{\"name\":\"x\"},\"spec\":{\"replicas\":\"3\"}}",
	"{\"metadata\":{\"name\":\"x\"},\"spec\":{\"template\":{\"spec\":"
	    "{\"containers\":[7]}}}}",
	"{\"metadata\":{\"name\":\"x\"},\"spec\":{\"template\":{\"spec\":"
	    "{\"containers\":[{\"image\":[]}]}}}}",
	"{\"metadata\":{\"name\":\"x\",\"annotations\":"
	    "{\"deployment.kubernetes.io/revision\":5}}}",
	"{\"metadata\":{\"name\":\"x\",\"annotations\":[]}}",
	"{\"metadata\":{\"name\":\"x\"},\"status\":{\"readyReplicas\":true}}",
};

static int
hostile_one(const char *in, int which)
{
	json_t	*j = js(in);
	void	*r;
	char	*cause = NULL;
	int	 bad = 0;

	switch (which) {
	case 0:
		r = decode_kube_pod(j, FIXTURE_NOW, &cause);
		kube_pod_free(r);
		break;
	case 1:
		r = decode_kube_deploy(j, &cause);
		kube_deploy_free(r);
		break;
	case 2:
		r = decode_kube_rs(j, &cause);
		kube_rs_free(r);
		break;
	default:
		r = decode_kube_hpa(j, &cause);
		kube_hpa_free(r);
		break;
	}
	if (r != NULL || cause == NULL || *cause == '\0') {
		printf("# decoder %d accepted %s\n", which, in);
		bad = 1;
	}
	free(cause);
	json_decref(j);
	return bad;
}

TEST(hostile_objects)
{
	size_t	 i;
	int	 w, bad = 0;
	char	*cause = NULL;
	json_t	*j;

	for (w = 0; w < 4; w++) {
		for (i = 0; i < nitems(hostile_common); i++)
			bad += hostile_one(hostile_common[i], w);
	}
	for (i = 0; i < nitems(hostile_owned); i++) {
		bad += hostile_one(hostile_owned[i], 0);
		bad += hostile_one(hostile_owned[i], 2);
	}
	for (i = 0; i < nitems(hostile_pod); i++)
		bad += hostile_one(hostile_pod[i], 0);
	for (w = 1; w < 3; w++) {
		for (i = 0; i < nitems(hostile_apps); i++)
			bad += hostile_one(hostile_apps[i], w);
	}
	bad += hostile_one("{\"metadata\":{\"name\":\"h\"},\"spec\":"
	    "{\"scaleTargetRef\":\"web\"}}", 3);
	bad += hostile_one("{\"metadata\":{\"name\":\"h\"},\"spec\":"
	    "{\"minReplicas\":null,\"maxReplicas\":\"9\"}}", 3);
	ASSERT_INT(bad, 0);

	/* The cause names the object and the field. */
	j = js("{\"metadata\":{\"name\":\"web-1\",\"namespace\":\"shop\"},"
	    "\"status\":{\"containerStatuses\":[{\"restartCount\":\"7\"}]}}");
	ASSERT(decode_kube_pod(j, FIXTURE_NOW, &cause) == NULL);
	ASSERT_STR(cause, "pod \"shop/web-1\": restartCount is a string, "
	    "not an integer");
	free(cause);
	json_decref(j);
	j = js("[]");
	ASSERT(decode_kube_deploy(j, &cause) == NULL);
	ASSERT_STR(cause, "deployment: is an array, not an object");
	free(cause);
	json_decref(j);
	/* A NULL cause is allowed. */
	ASSERT(decode_kube_rs(NULL, NULL) == NULL);
}

/*
 * The corpus: every fixture in the directory must decode. A Table whose rows
 * hold full Pods (includeObject=Object) is also a cross-check of printPod:
 * our STATUS, READY and restart count for row.object must equal the server's
 * cells. An old server (integer RESTARTS; 1.20's printPod was read) differs
 * in three known ways, allowed there: Terminating for any deleted pod, no
 * SchedulingGated, and no container loop once an init container runs again.
 */
struct corpus {
	const char		*file;
	struct kube_pod_columns	 cols;
	int			 have_cols;
	int			 old_server;
	int			 items;
	int			 bad;
};

static void
corpus_fail(struct corpus *cp, char *cause)
{
	printf("# %s: %s\n", cp->file, cause != NULL ? cause : "(no cause)");
	free(cause);
	cp->bad++;
}

static int
corpus_old_server_ok(json_t *obj, const struct kube_pod *fp,
    const struct kube_pod *rp)
{
	if (strcmp(rp->status, "Terminating") == 0)
		return json_object_get(json_object_get(obj, "metadata"),
		    "deletionTimestamp") != NULL;
	if (strcmp(fp->status, "SchedulingGated") == 0)
		return strcmp(rp->status, "Pending") == 0;
	return strncmp(rp->status, "Init:", 5) == 0 &&
	    strcmp(fp->status, rp->status) == 0;
}

static void
corpus_row(struct corpus *cp, json_t *row)
{
	struct kube_pod	*rp, *fp;
	json_t		*obj = json_object_get(row, "object");
	char		*cause = NULL;

	if ((rp = decode_kube_pod_row(&cp->cols, row, &cause)) == NULL) {
		corpus_fail(cp, cause);
		return;
	}
	cp->items++;
	if (!json_has(obj, "kind", "Pod")) {
		kube_pod_free(rp);
		return;
	}
	if ((fp = decode_kube_pod(obj, FIXTURE_NOW, &cause)) == NULL) {
		corpus_fail(cp, cause);
		kube_pod_free(rp);
		return;
	}
	if ((strcmp(fp->status, rp->status) != 0 ||
	    strcmp(fp->ready, rp->ready) != 0 ||
	    fp->restart_count != rp->restart_count) &&
	    !(cp->old_server && corpus_old_server_ok(obj, fp, rp))) {
		printf("# %s: %s: object %s %s %d, cells %s %s %d\n", cp->file,
		    rp->name, fp->ready, fp->status, fp->restart_count,
		    rp->ready, rp->status, rp->restart_count);
		cp->bad++;
	}
	kube_pod_free(fp);
	kube_pod_free(rp);
}

static void
corpus_object(struct corpus *cp, json_t *obj)
{
	struct kube_status	 st;
	json_t			*items, *item, *defs, *rows, *row;
	const char		*kind;
	char			*cause;
	void			*r;
	size_t			 i;

	kind = json_string_value(json_object_get(obj, "kind"));
	if (kind == NULL)
		return;
	if (strcmp(kind, "Table") == 0) {
		if (decode_kube_pod_columns(obj, &cp->cols) == 0) {
			cp->have_cols = 1;
			defs = json_object_get(obj, "columnDefinitions");
			cp->old_server = cp->cols.restarts >= 0 &&
			    json_has(json_array_get(defs, cp->cols.restarts),
			    "type", "integer");
		}
		rows = json_object_get(obj, "rows");
		if (!cp->have_cols) {
			if (json_array_size(rows) != 0)
				printf("# %s: not a pod Table, skipped\n",
				    cp->file);
			return;
		}
		json_array_foreach(rows, i, row)
			corpus_row(cp, row);
		return;
	}
	if (strcmp(kind, "Status") == 0) {
		if (decode_kube_status(obj, &st) != 0)
			corpus_fail(cp, xstrdup("Status not decoded"));
		decode_kube_status_clear(&st);
		cp->items++;
		return;
	}
	if (strlen(kind) > 4 && strcmp(kind + strlen(kind) - 4, "List") == 0)
		items = json_object_get(obj, "items");
	else {
		items = json_array();
		json_array_append(items, obj);
	}
	json_array_foreach(items, i, item) {
		cause = NULL;
		if (strncmp(kind, "Pod", 3) == 0 && (kind[3] == '\0' ||
		    strcmp(kind + 3, "List") == 0)) {
			r = decode_kube_pod(item, FIXTURE_NOW, &cause);
			kube_pod_free(r);
		} else if (strncmp(kind, "Deployment", 10) == 0) {
			r = decode_kube_deploy(item, &cause);
			kube_deploy_free(r);
		} else if (strncmp(kind, "ReplicaSet", 10) == 0) {
			r = decode_kube_rs(item, &cause);
			kube_rs_free(r);
		} else if (strncmp(kind, "HorizontalPodAutoscaler", 23) == 0) {
			r = decode_kube_hpa(item, &cause);
			kube_hpa_free(r);
		} else
			continue;
		cp->items++;
		if (r == NULL)
			corpus_fail(cp, cause);
	}
	if (items != json_object_get(obj, "items"))
		json_decref(items);
}

TEST(corpus)
{
	struct corpus	 cp;
	struct dirent	*de;
	json_t		*j, *ev, *obj;
	DIR		*dir;
	size_t		 len, i;
	int		 files = 0, items = 0, bad = 0;

	ASSERT((dir = opendir(fixture_dir())) != NULL);
	while ((de = readdir(dir)) != NULL) {
		memset(&cp, 0, sizeof cp);
		cp.file = de->d_name;
		len = strlen(de->d_name);
		if (len > 6 && strcmp(de->d_name + len - 6, ".jsonl") == 0) {
			if ((j = fixture_lines(de->d_name)) == NULL) {
				bad++;
				continue;
			}
			json_array_foreach(j, i, ev) {
				switch (decode_kube_event(ev, &obj)) {
				case KUBE_EVENT_BAD:
					corpus_fail(&cp, xstrdup("bad event"));
					break;
				case KUBE_EVENT_BOOKMARK:
					/* Only the resourceVersion counts. */
					if (decode_kube_list_rv(obj) == NULL) {
						corpus_fail(&cp, xstrdup(
						    "bookmark without rv"));
					}
					cp.items++;
					break;
				default:
					corpus_object(&cp, obj);
					break;
				}
			}
		} else if (len > 5 && strcmp(de->d_name + len - 5,
		    ".json") == 0) {
			if ((j = fixture(de->d_name)) == NULL) {
				bad++;
				continue;
			}
			corpus_object(&cp, j);
		} else
			continue;
		json_decref(j);
		files++;
		items += cp.items;
		bad += cp.bad;
	}
	closedir(dir);
	printf("# corpus: %d files, %d objects\n", files, items);
	ASSERT(files >= 12);
	ASSERT(items >= 80);
	ASSERT_INT(bad, 0);
}

int
main(void)
{
	RUN(time_parse);
	RUN(status_bodies);
	RUN(deployments);
	RUN(deploy_defaults_and_huge);
	RUN(replicasets);
	RUN(hpas);
	RUN(selectors);
	RUN(keys);
	RUN(events_bad);
	RUN(hostile_objects);
	RUN(corpus);
	return TEST_EXIT();
}
