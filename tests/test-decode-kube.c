/* tests/test-decode-kube.c: the Kubernetes decoders on responses shaped as
 * the API server sends them, read from tests/fixtures/kube ($TEST_SRCDIR, or
 * beside this file). The corpus test decodes every fixture in that directory,
 * so responses recorded later from a real kube-apiserver are checked too. */
#include <dirent.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "decode-kube.h"
#include "fmt.h"
#include "model.h"
#include "warroom.h"
#include "test.h"

/* The time the fixtures were "recorded": 2026-11-28T14:40:00Z. */
#define FIXTURE_NOW	((time_t)1795876800)

static char	fixture_dirbuf[PATH_MAX];

static const char *
fixture_dir(void)
{
	const char	*env = getenv("TEST_SRCDIR"), *slash;

	if (fixture_dirbuf[0] != '\0')
		return fixture_dirbuf;
	if (env != NULL && *env != '\0') {
		snprintf(fixture_dirbuf, sizeof fixture_dirbuf,
		    "%s/fixtures/kube", env);
		if (access(fixture_dirbuf, R_OK) != 0) {
			snprintf(fixture_dirbuf, sizeof fixture_dirbuf,
			    "%s/tests/fixtures/kube", env);
		}
	} else if ((slash = strrchr(__FILE__, '/')) != NULL) {
		snprintf(fixture_dirbuf, sizeof fixture_dirbuf,
		    "%.*s/fixtures/kube", (int)(slash - __FILE__), __FILE__);
	} else
		snprintf(fixture_dirbuf, sizeof fixture_dirbuf, "%s",
		    "fixtures/kube");
	return fixture_dirbuf;
}

static json_t *
fixture(const char *name)
{
	char		 path[PATH_MAX];
	json_error_t	 err;
	json_t		*j;

	snprintf(path, sizeof path, "%s/%s", fixture_dir(), name);
	if ((j = json_load_file(path, 0, &err)) == NULL)
		printf("# %s: %s (line %d)\n", path, err.text, err.line);
	return j;
}

/* A watch stream (one JSON object per line) as an array of events. */
static json_t *
fixture_lines(const char *name)
{
	char		 path[PATH_MAX], *line = NULL;
	size_t		 cap = 0;
	json_error_t	 err;
	json_t		*arr, *j;
	FILE		*f;
	int		 lineno = 0;

	snprintf(path, sizeof path, "%s/%s", fixture_dir(), name);
	if ((f = fopen(path, "r")) == NULL) {
		printf("# %s: cannot open\n", path);
		return NULL;
	}
	arr = json_array();
	while (getline(&line, &cap, f) != -1) {
		lineno++;
		if (line[strspn(line, " \t\r\n")] == '\0')
			continue;
		if ((j = json_loads(line, 0, &err)) == NULL) {
			printf("# %s:%d: %s\n", path, lineno, err.text);
			json_decref(arr);
			arr = NULL;
			break;
		}
		json_array_append_new(arr, j);
	}
	free(line);
	fclose(f);
	return arr;
}

/* Inline JSON of any type; NULL for the literal "NULL". */
static json_t *
js(const char *s)
{
	json_error_t	 err;
	json_t		*j;

	if (strcmp(s, "NULL") == 0)
		return NULL;
	if ((j = json_loads(s, JSON_DECODE_ANY, &err)) == NULL)
		printf("# bad test json %s: %s\n", s, err.text);
	return j;
}

/* Whether obj[key] is the string value. */
static int
json_has(json_t *obj, const char *key, const char *value)
{
	const char	*s = json_string_value(json_object_get(obj, key));

	return s != NULL && strcmp(s, value) == 0;
}

static json_t *
find_item(json_t *list, const char *name)
{
	json_t	*item;
	size_t	 i;

	json_array_foreach(json_object_get(list, "items"), i, item) {
		if (json_has(json_object_get(item, "metadata"), "name", name))
			return item;
	}
	return NULL;
}

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

/* apimachinery's duration_test.go boundaries, in whole seconds. */
TEST(duration_boundaries)
{
	static const struct {
		long		 s;
		const char	*want;
	} cases[] = {
		{ -2, "<invalid>" }, { -1, "0s" }, { 0, "0s" }, { 1, "1s" },
		{ 70, "70s" }, { 119, "119s" }, { 120, "2m" }, { 121, "2m1s" },
		{ 190, "3m10s" }, { 599, "9m59s" }, { 600, "10m" },
		{ 601, "10m" }, { 70 * 60, "70m" }, { 3 * 3600 - 1, "179m" },
		{ 3 * 3600, "3h" }, { 3 * 3600 + 60, "3h1m" },
		{ 8 * 3600 - 1, "7h59m" }, { 8 * 3600, "8h" },
		{ 8 * 3600 + 59 * 60, "8h" }, { 47 * 3600, "47h" },
		{ 48 * 3600 - 1, "47h" }, { 48 * 3600, "2d" },
		{ 49 * 3600, "2d1h" }, { 8 * 86400 - 1, "7d23h" },
		{ 8 * 86400, "8d" }, { 8 * 86400 + 23 * 3600, "8d" },
		{ 367L * 86400, "367d" }, { 2 * 365L * 86400 - 1, "729d" },
		{ 2 * 365L * 86400, "2y" },
		{ 2 * 365L * 86400 + 23 * 3600, "2y" },
		{ 2 * 365L * 86400 + 86400 - 1, "2y" },
		{ 2 * 365L * 86400 + 86400, "2y1d" },
		{ 2 * 365L * 86400 + 25 * 3600, "2y1d" },
		{ 3 * 365L * 86400, "3y" }, { 8 * 365L * 86400 - 1, "7y364d" },
		{ 8 * 365L * 86400, "8y" },
		{ 8 * 365L * 86400 + 364 * 86400, "8y" },
		{ 9 * 365L * 86400, "9y" },
	};
	char	 buf[32], small[3];
	size_t	 i;
	int	 bad = 0;

	for (i = 0; i < nitems(cases); i++) {
		fmt_duration(cases[i].s, buf, sizeof buf);
		if (strcmp(buf, cases[i].want) != 0) {
			printf("# %ld: got %s, want %s\n", cases[i].s, buf,
			    cases[i].want);
			bad++;
		}
	}
	ASSERT_INT(bad, 0);
	ASSERT_STR(fmt_duration(-100, small, sizeof small), "<i");
	ASSERT_STR(fmt_duration(LONG_MIN, buf, sizeof buf), "<invalid>");
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
	RUN(duration_boundaries);
	RUN(pod_list_print);
	RUN(pod_fields);
	RUN(pod_columns);
	RUN(pod_table_integer_restarts);
	RUN(pod_table_string_restarts);
	RUN(watch_json);
	RUN(watch_table);
	RUN(status_bodies);
	RUN(deployments);
	RUN(deploy_defaults_and_huge);
	RUN(replicasets);
	RUN(hpas);
	RUN(selectors);
	RUN(keys);
	RUN(events_bad);
	RUN(hostile_objects);
	RUN(odd_but_valid_pods);
	RUN(hostile_rows);
	RUN(corpus);
	return TEST_EXIT();
}
