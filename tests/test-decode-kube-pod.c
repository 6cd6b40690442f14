/* tests/test-decode-kube-pod.c: the Kubernetes pod decoders (Table rows and
 * full objects, READY/STATUS/RESTARTS by printPod, the problem flag) and pod
 * watch streams, on responses shaped as the API server sends them
 * (tests/fixtures/kube), then on odd and hostile ones. */
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

/* What kubectl 1.32's server prints for each pod of pod-list.json at
 * FIXTURE_NOW, worked out by hand from printPod (k8s-api.md 3.6). */
struct pod_want {
	const char	*name;
	const char	*ready;
	const char	*status;
	const char	*restarts;
	int		 problem;
};

static const struct pod_want pod_wants[] = {
	{ "web-7d4b9c8f6d-x2k9p", "1/1", "Running", "0", 0 },
	{ "api-5f8d7c6b9a-qq7wm", "0/1", "CrashLoopBackOff", "7 (5m ago)", 1 },
	{ "worker-6c9f8b7d5e-m4n8r", "0/1", "OOMKilled", "3 (2m30s ago)", 1 },
	{ "migrate-20261128-7xk2d", "0/1", "Error", "0", 1 },
	{ "report-20261128-9fj3k", "0/1", "Completed", "0", 0 },
	{ "batch-done-running", "1/2", "Running", "0", 1 },
	{ "batch-done-notready", "1/2", "NotReady", "0", 1 },
	{ "exit-three", "0/1", "ExitCode:3", "0", 1 },
	{ "killed-nine", "0/1", "Signal:9", "0", 1 },
	{ "init-running", "0/1", "Init:0/1", "0", 1 },
	{ "init-crashloop", "0/1", "Init:CrashLoopBackOff", "4 (60s ago)", 1 },
	{ "init-exit-three", "0/1", "Init:ExitCode:3", "0", 1 },
	{ "init-signal", "0/1", "Init:Signal:9", "0", 1 },
	{ "init-second", "0/1", "Init:1/2", "0", 1 },
	{ "cart-sidecar", "2/2", "Running", "1 (40m ago)", 0 },
	{ "cart-sidecar-starting", "0/2", "Init:0/1", "0", 1 },
	{ "pending-big", "0/1", "Pending", "0", 1 },
	{ "gated", "0/1", "SchedulingGated", "0", 1 },
	{ "web-7d4b9c8f6d-old01", "1/1", "Terminating", "0", 1 },
	{ "web-7d4b9c8f6d-lost1", "1/1", "Unknown", "0", 1 },
	{ "multi-first-wins", "0/2", "ImagePullBackOff", "2 (100s ago)", 1 },
	{ "creating", "0/1", "ContainerCreating", "0", 1 },
	{ "web-7d4b9c8f6d-old02", "1/1", "Running", "2 (3d ago)", 0 },
	{ "api-5f8d7c6b9a-flap1", "1/1", "Running", "5 (2m ago)", 1 },
	{ "report-old-deleting", "0/1", "Completed", "0", 0 },
	{ "half-ready", "1/2", "Running", "0", 1 },
	/* Restarts of finished init containers are dropped. */
	{ "init-retried-ok", "1/1", "Running", "0", 0 },
	/* Initializing again after Initialized=True: the containers still
	 * count for READY and RESTARTS, the STATUS stays Init:. */
	{ "reinit-after-reboot", "1/1", "Init:0/1", "1 (10m ago)", 1 },
};

static const struct pod_want *
pod_want(const char *name)
{
	size_t	 i;

	for (i = 0; i < nitems(pod_wants); i++) {
		if (strcmp(pod_wants[i].name, name) == 0)
			return &pod_wants[i];
	}
	return NULL;
}

/* Compare a decoded pod with the table above; prints what differs. */
static int
pod_check(const struct kube_pod *p, int check_restarts)
{
	const struct pod_want	*w = pod_want(p->name);

	if (w == NULL) {
		printf("# %s: not in the expectations\n", p->name);
		return 1;
	}
	if (strcmp(p->ready, w->ready) != 0 ||
	    strcmp(p->status, w->status) != 0 ||
	    (check_restarts && strcmp(p->restarts, w->restarts) != 0) ||
	    p->problem != w->problem) {
		printf("# %s: got %s %s \"%s\" problem=%d, want %s %s \"%s\" "
		    "problem=%d\n", p->name, p->ready, p->status, p->restarts,
		    p->problem, w->ready, w->status, w->restarts, w->problem);
		return 1;
	}
	return 0;
}

TEST(pod_list_print)
{
	json_t		*list, *item;
	struct kube_pod	*p;
	char		*cause;
	size_t		 i;
	int		 bad = 0;

	ASSERT((list = fixture("pod-list.json")) != NULL);
	ASSERT_STR(decode_kube_list_rv(list), "612");
	ASSERT(decode_kube_list_continue(list) == NULL);
	ASSERT_INT(json_array_size(json_object_get(list, "items")),
	    nitems(pod_wants));
	json_array_foreach(json_object_get(list, "items"), i, item) {
		cause = NULL;
		if ((p = decode_kube_pod(item, FIXTURE_NOW, &cause)) == NULL) {
			printf("# item %zu: %s\n", i, cause);
			free(cause);
			bad++;
			continue;
		}
		bad += pod_check(p, 1);
		kube_pod_free(p);
	}
	json_decref(list);
	ASSERT_INT(bad, 0);
}

TEST(pod_fields)
{
	json_t		*list;
	struct kube_pod	*p;

	ASSERT((list = fixture("pod-list.json")) != NULL);
	p = decode_kube_pod(find_item(list, "web-7d4b9c8f6d-x2k9p"),
	    FIXTURE_NOW, NULL);
	ASSERT(p != NULL);
	ASSERT_STR(p->ns, "default");
	ASSERT_STR(p->uid, json_string_value(json_object_get(json_object_get(
	    find_item(list, "web-7d4b9c8f6d-x2k9p"), "metadata"), "uid")));
	ASSERT_STR(p->node, "node-1");
	ASSERT_STR(p->ip, "10.244.0.11");
	ASSERT_STR(p->owner_rs, "web-7d4b9c8f6d");
	ASSERT_STR(p->owner_kind, "ReplicaSet");
	ASSERT_INT(p->created, 1795608000);
	ASSERT_INT(p->restart_count, 0);
	kube_pod_free(p);

	p = decode_kube_pod(find_item(list, "api-5f8d7c6b9a-qq7wm"),
	    FIXTURE_NOW, NULL);
	ASSERT(p != NULL);
	ASSERT_INT(p->restart_count, 7);
	kube_pod_free(p);

	/* Unscheduled: no node, no IP. */
	p = decode_kube_pod(find_item(list, "pending-big"), FIXTURE_NOW, NULL);
	ASSERT(p != NULL);
	ASSERT(p->node == NULL && p->ip == NULL);
	ASSERT(p->owner_rs == NULL && p->owner_kind == NULL);
	kube_pod_free(p);

	/* A Job's pod: the controller is not a ReplicaSet. */
	p = decode_kube_pod(find_item(list, "migrate-20261128-7xk2d"),
	    FIXTURE_NOW, NULL);
	ASSERT(p != NULL);
	ASSERT_STR(p->owner_kind, "Job");
	ASSERT(p->owner_rs == NULL);
	kube_pod_free(p);

	/* RESTARTS "ago" moves with now; a clock behind the restart. */
	p = decode_kube_pod(find_item(list, "api-5f8d7c6b9a-qq7wm"),
	    FIXTURE_NOW + 3 * 3600, NULL);
	ASSERT(p != NULL);
	ASSERT_STR(p->restarts, "7 (3h5m ago)");
	kube_pod_free(p);
	p = decode_kube_pod(find_item(list, "api-5f8d7c6b9a-qq7wm"),
	    FIXTURE_NOW - 3600, NULL);
	ASSERT(p != NULL);
	ASSERT_STR(p->restarts, "7 (<invalid> ago)");
	kube_pod_free(p);
	json_decref(list);
}

TEST(pod_columns)
{
	struct kube_pod_columns	 c, keep = { 9, 9, 9, 9, 9, 9, 9 };
	json_t			*t, *j;

	ASSERT((t = fixture("pods-table-1.20.json")) != NULL);
	ASSERT_INT(decode_kube_pod_columns(t, &c), 0);
	ASSERT(c.name == 0 && c.ready == 1 && c.status == 2 &&
	    c.restarts == 3 && c.age == 4 && c.ip == 5 && c.node == 6);
	json_decref(t);

	/* Failures leave the columns alone. */
	c = keep;
	ASSERT_INT(decode_kube_pod_columns(NULL, &c), -1);
	j = js("{\"columnDefinitions\":null}");
	ASSERT_INT(decode_kube_pod_columns(j, &c), -1);
	json_decref(j);
	j = js("{\"columnDefinitions\":[]}");
	ASSERT_INT(decode_kube_pod_columns(j, &c), -1);
	json_decref(j);
	j = js("{\"columnDefinitions\":{}}");
	ASSERT_INT(decode_kube_pod_columns(j, &c), -1);
	json_decref(j);
	j = js("{\"columnDefinitions\":[{\"name\":\"Name\"}]}");
	ASSERT_INT(decode_kube_pod_columns(j, &c), -1);
	json_decref(j);
	ASSERT(c.name == 9 && c.status == 9 && c.node == 9);

	/* Case-insensitive; junk entries skipped; the first of a name wins. */
	j = js("{\"columnDefinitions\":[5,{\"name\":5},{\"name\":\"NAME\"},"
	    "{\"name\":\"status\"},{\"name\":\"Name\"}]}");
	ASSERT_INT(decode_kube_pod_columns(j, &c), 0);
	ASSERT(c.name == 2 && c.status == 3 && c.ready == -1 &&
	    c.restarts == -1 && c.node == -1);
	json_decref(j);
}

TEST(pod_table_integer_restarts)
{
	struct kube_pod_columns	 c;
	struct kube_pod		*p;
	json_t			*t, *row;
	char			*cause;
	size_t			 i;
	int			 bad = 0;

	ASSERT((t = fixture("pods-table-1.20.json")) != NULL);
	ASSERT_STR(decode_kube_list_rv(t), "612");
	ASSERT(decode_kube_list_continue(t) != NULL);
	ASSERT_INT(decode_kube_pod_columns(t, &c), 0);
	ASSERT_INT(json_array_size(json_object_get(t, "rows")), 8);
	json_array_foreach(json_object_get(t, "rows"), i, row) {
		cause = NULL;
		if ((p = decode_kube_pod_row(&c, row, &cause)) == NULL) {
			printf("# row %zu: %s\n", i, cause);
			free(cause);
			bad++;
			continue;
		}
		/* 1.20 prints the count alone. */
		bad += pod_check(p, 0);
		if (atoi(pod_want(p->name)->restarts) != p->restart_count ||
		    strchr(p->restarts, ' ') != NULL) {
			printf("# %s: restarts %s/%d\n", p->name, p->restarts,
			    p->restart_count);
			bad++;
		}
		if (strcmp(p->name, "api-5f8d7c6b9a-qq7wm") == 0) {
			if (strcmp(p->restarts, "7") != 0 ||
			    strcmp(p->ns, "default") != 0 ||
			    strcmp(p->owner_rs, "api-5f8d7c6b9a") != 0 ||
			    strcmp(p->owner_kind, "ReplicaSet") != 0 ||
			    p->uid == NULL || p->created != 1795608000 ||
			    strcmp(p->node, "node-1") != 0 ||
			    strcmp(p->ip, "10.244.0.12") != 0) {
				printf("# api row fields\n");
				bad++;
			}
		}
		if (strcmp(p->name, "pending-big") == 0 &&
		    (p->node != NULL || p->ip != NULL)) {
			printf("# pending-big: <none> not NULL\n");
			bad++;
		}
		kube_pod_free(p);
	}
	json_decref(t);
	ASSERT_INT(bad, 0);
}

TEST(pod_table_string_restarts)
{
	struct kube_pod_columns	 c;
	struct kube_pod		*p;
	json_t			*t, *row;
	char			*cause;
	size_t			 i;
	int			 bad = 0, seen = 0;

	ASSERT((t = fixture("pods-table-1.32-object.json")) != NULL);
	ASSERT_INT(decode_kube_pod_columns(t, &c), 0);
	json_array_foreach(json_object_get(t, "rows"), i, row) {
		cause = NULL;
		if ((p = decode_kube_pod_row(&c, row, &cause)) == NULL) {
			printf("# row %zu: %s\n", i, cause);
			free(cause);
			bad++;
			continue;
		}
		/* The printed text is kept; the count is its number. */
		bad += pod_check(p, 1);
		if (atoi(p->restarts) != p->restart_count) {
			printf("# %s: count %d\n", p->name, p->restart_count);
			bad++;
		}
		seen++;
		kube_pod_free(p);
	}
	json_decref(t);
	ASSERT_INT(bad, 0);
	ASSERT_INT(seen, nitems(pod_wants));
}

TEST(watch_json)
{
	static const enum kube_event_type types[] = {
		KUBE_EVENT_ADDED, KUBE_EVENT_MODIFIED, KUBE_EVENT_DELETED,
		KUBE_EVENT_BOOKMARK, KUBE_EVENT_ERROR
	};
	struct kube_status	 st;
	struct kube_pod		*p;
	json_t			*evs, *ev, *obj;
	char			 key[128];
	size_t			 i;

	ASSERT((evs = fixture_lines("watch-pods.jsonl")) != NULL);
	ASSERT_INT(json_array_size(evs), nitems(types));
	json_array_foreach(evs, i, ev) {
		ASSERT_INT(decode_kube_event(ev, &obj), types[i]);
		ASSERT(obj != NULL);
	}
	decode_kube_event(json_array_get(evs, 1), &obj);
	p = decode_kube_pod(obj, FIXTURE_NOW, NULL);
	ASSERT(p != NULL);
	ASSERT_STR(p->status, "CrashLoopBackOff");
	ASSERT_STR(decode_kube_key(obj, key, sizeof key),
	    "default/api-5f8d7c6b9a-qq7wm");
	kube_pod_free(p);

	decode_kube_event(json_array_get(evs, 3), &obj);
	ASSERT_STR(decode_kube_list_rv(obj), "620");
	ASSERT(decode_kube_key(obj, key, sizeof key) == NULL);

	decode_kube_event(json_array_get(evs, 4), &obj);
	ASSERT_INT(decode_kube_status(obj, &st), 0);
	ASSERT_INT(st.code, 410);
	ASSERT_STR(st.reason, "Expired");
	ASSERT_STR(st.message, "too old resource version: 1 (220)");
	decode_kube_status_clear(&st);
	ASSERT(st.reason == NULL && st.message == NULL && st.code == 0);
	json_decref(evs);
}

TEST(watch_table)
{
	struct kube_pod_columns	 c;
	struct kube_pod		*p;
	json_t			*evs, *ev, *obj;
	size_t			 i;

	ASSERT((evs = fixture_lines("watch-pods-table.jsonl")) != NULL);
	ASSERT_INT(json_array_size(evs), 3);
	json_array_foreach(evs, i, ev) {
		ASSERT(decode_kube_event(ev, &obj) != KUBE_EVENT_BAD);
		/* Only the first event carries the columns; keep them. */
		ASSERT_INT(decode_kube_pod_columns(obj, &c), i == 0 ? 0 : -1);
		ASSERT_INT(json_array_size(json_object_get(obj, "rows")), 1);
		p = decode_kube_pod_row(&c, json_array_get(json_object_get(obj,
		    "rows"), 0), NULL);
		ASSERT(p != NULL);
		if (i == 1) {
			ASSERT_STR(p->status, "CrashLoopBackOff");
			ASSERT_STR(p->restarts, "7 (5m ago)");
			ASSERT_INT(p->restart_count, 7);
			ASSERT_INT(p->problem, 1);
		}
		if (i == 2)
			ASSERT_STR(p->status, "Terminating");
		kube_pod_free(p);
	}
	decode_kube_event(json_array_get(evs, 2), &obj);
	ASSERT_INT(decode_kube_event(json_array_get(evs, 2), NULL),
	    KUBE_EVENT_DELETED);
	json_decref(evs);
}

TEST(odd_but_valid_pods)
{
	struct kube_pod	*p;
	json_t		*j;

	/* Metadata alone: printPod of an empty status. */
	j = js("{\"metadata\":{\"name\":\"x\"}}");
	p = decode_kube_pod(j, FIXTURE_NOW, NULL);
	ASSERT(p != NULL);
	ASSERT_STR(p->ns, "");
	ASSERT_STR(p->status, "");
	ASSERT_STR(p->ready, "0/0");
	ASSERT_STR(p->restarts, "0");
	ASSERT_INT(p->problem, 1);
	ASSERT(p->uid == NULL && p->node == NULL && p->ip == NULL);
	kube_pod_free(p);
	json_decref(j);

	/* Huge numbers are clamped; a bad finishedAt is no time. */
	j = js("{\"metadata\":{\"name\":\"x\",\"namespace\":\"n\"},"
	    "\"spec\":{\"containers\":[{},{},{}]},"
	    "\"status\":{\"phase\":\"Running\",\"podIP\":\"10.0.0.9\","
	    "\"containerStatuses\":["
	    "{\"name\":\"a\",\"ready\":true,\"state\":{\"running\":{}},"
	    "\"restartCount\":9223372036854775807,\"lastState\":"
	    "{\"terminated\":{\"finishedAt\":\"yesterday\"}}},"
	    "{\"name\":\"b\",\"ready\":true,\"state\":{\"running\":{}},"
	    "\"restartCount\":-5},"
	    "{\"name\":\"c\",\"state\":{\"terminated\":"
	    "{\"exitCode\":9223372036854775807}}}]}}");
	p = decode_kube_pod(j, FIXTURE_NOW, NULL);
	ASSERT(p != NULL);
	ASSERT_STR(p->status, "ExitCode:2147483647");
	ASSERT_STR(p->ready, "2/3");
	ASSERT_STR(p->restarts, "2147483647");
	ASSERT_INT(p->restart_count, INT_MAX);
	ASSERT_STR(p->ip, "10.0.0.9");
	kube_pod_free(p);
	json_decref(j);

	/* Null members are absent members, as for Go. */
	j = js("{\"metadata\":{\"name\":\"x\",\"namespace\":null,"
	    "\"ownerReferences\":null},\"spec\":null,\"status\":"
	    "{\"phase\":\"Running\",\"containerStatuses\":null}}");
	p = decode_kube_pod(j, FIXTURE_NOW, NULL);
	ASSERT(p != NULL);
	ASSERT_STR(p->status, "Running");
	ASSERT_STR(p->ready, "0/0");
	ASSERT_INT(p->problem, 0);
	kube_pod_free(p);
	json_decref(j);
}

TEST(hostile_rows)
{
	static const char *bad[] = {
		"NULL", "[]", "{}", "{\"cells\":{}}", "{\"cells\":[]}",
		"{\"cells\":[5,\"1/1\",\"Running\"]}",
		"{\"cells\":[\"x\",\"1/1\",7]}",
		"{\"cells\":[\"x\",\"1/1\"]}",
		"{\"cells\":[\"x\",[\"1/1\"],\"Running\"]}",
		"{\"cells\":[\"x\",\"1/1\",\"Running\",{}]}",
		"{\"cells\":[\"x\",\"1/1\",\"Running\",0,\"1d\",5]}",
		"{\"cells\":[\"x\",\"1/1\",\"Running\"],\"object\":[]}",
		"{\"cells\":[\"x\",\"1/1\",\"Running\"],\"object\":"
		    "{\"metadata\":{}}}",
		"{\"cells\":[\"x\",\"1/1\",\"Running\"],\"object\":"
		    "{\"metadata\":{\"name\":\"x\",\"ownerReferences\":[[]]}}}",
	};
	struct kube_pod_columns	 c = { 0, 1, 2, 3, 4, 5, 6 };
	struct kube_pod		*p;
	json_t			*j;
	char			*cause;
	size_t			 i;
	int			 nbad = 0;

	for (i = 0; i < nitems(bad); i++) {
		j = js(bad[i]);
		cause = NULL;
		if ((p = decode_kube_pod_row(&c, j, &cause)) != NULL ||
		    cause == NULL) {
			printf("# accepted %s\n", bad[i]);
			nbad++;
		}
		kube_pod_free(p);
		free(cause);
		json_decref(j);
	}
	ASSERT_INT(nbad, 0);

	j = js("{\"cells\":[\"x\",\"1/1\",\"Running\"]}");
	ASSERT(decode_kube_pod_row(NULL, j, NULL) == NULL);
	p = decode_kube_pod_row(&c, j, NULL);
	ASSERT(p != NULL);
	ASSERT_STR(p->name, "x");
	ASSERT_STR(p->ns, "");
	ASSERT_STR(p->restarts, "");
	ASSERT_INT(p->problem, 0);
	kube_pod_free(p);
	json_decref(j);

	j = js("{\"cells\":[\"x\",\"1/1\",\"Running\",99999999999,\"1d\","
	    "\"\",\"<none>\"]}");
	p = decode_kube_pod_row(&c, j, NULL);
	ASSERT(p != NULL);
	ASSERT_INT(p->restart_count, INT_MAX);
	ASSERT_STR(p->restarts, "2147483647");
	ASSERT(p->ip == NULL && p->node == NULL);
	kube_pod_free(p);
	json_decref(j);

	j = js("{\"cells\":[\"x\",\"99999999999999999999/1\",\"Running\","
	    "\"99999999999999 (5s ago)\"]}");
	p = decode_kube_pod_row(&c, j, NULL);
	ASSERT(p != NULL);
	ASSERT_INT(p->restart_count, INT_MAX);
	ASSERT_INT(p->problem, 1);
	kube_pod_free(p);
	json_decref(j);

	/* A recent restart marks a Running pod; an old one does not. */
	j = js("{\"cells\":[\"x\",\"1/1\",\"Running\",\"3 (9m59s ago)\"]}");
	p = decode_kube_pod_row(&c, j, NULL);
	ASSERT(p != NULL && p->problem == 1 && p->restart_count == 3);
	kube_pod_free(p);
	json_decref(j);
	j = js("{\"cells\":[\"x\",\"1/1\",\"Running\",\"3 (10m ago)\"]}");
	p = decode_kube_pod_row(&c, j, NULL);
	ASSERT(p != NULL && p->problem == 0);
	kube_pod_free(p);
	json_decref(j);
	j = js("{\"cells\":[\"x\",\"0/1\",\"Completed\",\"3 (1s ago)\"]}");
	p = decode_kube_pod_row(&c, j, NULL);
	ASSERT(p != NULL && p->problem == 0);
	kube_pod_free(p);
	json_decref(j);
}

int
main(void)
{
	RUN(pod_list_print);
	RUN(pod_fields);
	RUN(pod_columns);
	RUN(pod_table_integer_restarts);
	RUN(pod_table_string_restarts);
	RUN(watch_json);
	RUN(watch_table);
	RUN(odd_but_valid_pods);
	RUN(hostile_rows);
	return TEST_EXIT();
}
