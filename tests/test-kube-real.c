/* test-kube-real.c: decode responses recorded from a real kube-apiserver
 * 1.20 (tests/record-fixtures.sh) and compare with what kubectl printed for
 * the same pods: the server's Table and our own printPod must both agree. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "decode-kube.h"
#include "model.h"
#include "test.h"
#include "warroom.h"

struct kubectl_row {
	char	 name[128], ready[16], status[64], restarts[32];
};

static struct kubectl_row rows[64];
static int	 nrows;
static char	 dir[1024];

static void
fixture_dir(void)
{
	const char	*src = getenv("TEST_SRCDIR");

	if (src != NULL)
		snprintf(dir, sizeof dir, "%s/fixtures/kube-real", src);
	else {
		snprintf(dir, sizeof dir, "%s", __FILE__);
		*strrchr(dir, '/') = '\0';
		strncat(dir, "/fixtures/kube-real", sizeof dir - strlen(dir) - 1);
	}
}

static json_t *
load(const char *name)
{
	char		 path[1200];
	json_error_t	 err;
	json_t		*j;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	if ((j = json_load_file(path, 0, &err)) == NULL)
		printf("# cannot load %s: %s\n", path, err.text);
	return j;
}

/* kubectl get pods --no-headers: NAME READY STATUS RESTARTS AGE. */
static int
load_kubectl(void)
{
	char	 path[1200], line[512];
	FILE	*f;

	snprintf(path, sizeof path, "%s/kubectl-get-pods.txt", dir);
	if ((f = fopen(path, "r")) == NULL)
		return -1;
	while (nrows < (int)nitems(rows) && fgets(line, sizeof line, f)) {
		struct kubectl_row *r = &rows[nrows];

		if (sscanf(line, "%127s %15s %63s %31s", r->name, r->ready,
		    r->status, r->restarts) == 4)
			nrows++;
	}
	fclose(f);
	return 0;
}

static const struct kubectl_row *
kubectl_row(const char *name)
{
	int	 i;

	for (i = 0; i < nrows; i++) {
		if (strcmp(rows[i].name, name) == 0)
			return &rows[i];
	}
	return NULL;
}

TEST(kubectl_output_present)
{
	ASSERT(load_kubectl() == 0);
	ASSERT(nrows >= 10);
}

TEST(table_rows_match_kubectl)
{
	json_t			*t = load("pods-table.json"), *row;
	struct kube_pod_columns	 cols;
	struct kube_pod		*pod;
	size_t			 i;
	int			 seen = 0, problems = 0;

	ASSERT(t != NULL);
	ASSERT(decode_kube_pod_columns(t, &cols) == 0);
	json_array_foreach(json_object_get(t, "rows"), i, row) {
		const struct kubectl_row *k;
		char	*cause = NULL;

		pod = decode_kube_pod_row(&cols, row, &cause);
		ASSERT(pod != NULL);
		k = kubectl_row(pod->name);
		ASSERT(k != NULL);
		ASSERT_STR(pod->ready, k->ready);
		ASSERT_STR(pod->status, k->status);
		ASSERT_STR(pod->restarts, k->restarts);
		ASSERT_STR(pod->ns, "soundcore-kcp-prod");
		ASSERT(pod->owner_rs != NULL);
		ASSERT(pod->created > 0);
		problems += pod->problem;
		kube_pod_free(pod);
		seen++;
	}
	ASSERT_INT(seen, nrows);
	ASSERT_INT(problems, 4);	/* CrashLoop, OOM, Pending, ImagePull */
	json_decref(t);
}

TEST(printpod_matches_server)
{
	json_t		*l = load("pods-list.json"), *item;
	struct kube_pod	*pod;
	size_t		 i;
	int		 seen = 0;

	ASSERT(l != NULL);
	json_array_foreach(json_object_get(l, "items"), i, item) {
		const struct kubectl_row *k;
		char	*cause = NULL;

		/* The 1.20 server prints no "(Xm ago)": compare the count. */
		pod = decode_kube_pod(item, now_wall(), &cause);
		ASSERT(pod != NULL);
		k = kubectl_row(pod->name);
		ASSERT(k != NULL);
		ASSERT_STR(pod->ready, k->ready);
		ASSERT_STR(pod->status, k->status);
		ASSERT_INT(pod->restart_count, atoi(k->restarts));
		kube_pod_free(pod);
		seen++;
	}
	ASSERT_INT(seen, nrows);
	json_decref(l);
}

TEST(paged_table_has_continue)
{
	json_t	*t = load("pods-table-page1.json");

	ASSERT(t != NULL);
	ASSERT_INT(json_array_size(json_object_get(t, "rows")), 5);
	ASSERT(decode_kube_list_continue(t) != NULL);
	ASSERT(decode_kube_list_rv(t) != NULL);
	json_decref(t);
}

TEST(deployments_and_replicasets)
{
	json_t			*d = load("deployments-list.json");
	json_t			*r = load("replicasets-list.json"), *item;
	struct kube_deploy	*dp;
	struct kube_rs		*rs;
	size_t			 i;
	int			 knowledge_revs = 0, found = 0;

	ASSERT(d != NULL && r != NULL);
	json_array_foreach(json_object_get(d, "items"), i, item) {
		char	*cause = NULL;

		dp = decode_kube_deploy(item, &cause);
		ASSERT(dp != NULL);
		if (strcmp(dp->name, "knowledge-service") == 0) {
			found = 1;
			ASSERT_INT(dp->desired, 3);
			ASSERT(dp->revision >= 3);
			ASSERT_STR(dp->selector, "app=knowledge-service");
		}
		kube_deploy_free(dp);
	}
	ASSERT(found);
	json_array_foreach(json_object_get(r, "items"), i, item) {
		char	*cause = NULL;

		rs = decode_kube_rs(item, &cause);
		ASSERT(rs != NULL);
		ASSERT(rs->owner_deploy != NULL);
		if (strcmp(rs->owner_deploy, "knowledge-service") == 0) {
			knowledge_revs++;
			ASSERT(rs->change_cause != NULL);
		}
		kube_rs_free(rs);
	}
	ASSERT(knowledge_revs >= 3);
	json_decref(d);
	json_decref(r);
}

TEST(watch_table_event)
{
	char			 path[1200], line[65536];
	FILE			*f;
	json_t			*ev, *obj;
	struct kube_pod_columns	 cols;
	struct kube_pod		*pod;
	char			*cause = NULL;

	snprintf(path, sizeof path, "%s/watch-pods-table.jsonl", dir);
	ASSERT((f = fopen(path, "r")) != NULL);
	ASSERT(fgets(line, sizeof line, f) != NULL);
	fclose(f);
	ASSERT((ev = json_loads(line, 0, NULL)) != NULL);
	ASSERT_INT(decode_kube_event(ev, &obj), KUBE_EVENT_MODIFIED);
	ASSERT(decode_kube_pod_columns(obj, &cols) == 0);
	pod = decode_kube_pod_row(&cols,
	    json_array_get(json_object_get(obj, "rows"), 0), &cause);
	ASSERT(pod != NULL);
	ASSERT(strncmp(pod->name, "frontend-", 9) == 0);
	kube_pod_free(pod);
	json_decref(ev);
}

TEST(status_not_found)
{
	json_t			*s = load("status-404.json");
	struct kube_status	 st;

	ASSERT(s != NULL);
	ASSERT(decode_kube_status(s, &st) == 0);
	ASSERT_INT(st.code, 404);
	ASSERT_STR(st.reason, "NotFound");
	ASSERT_STR(st.message, "deployments.apps \"nope\" not found");
	decode_kube_status_clear(&st);
	json_decref(s);
}

int
main(void)
{
	fixture_dir();
	RUN(kubectl_output_present);
	RUN(table_rows_match_kubectl);
	RUN(printpod_matches_server);
	RUN(paged_table_has_continue);
	RUN(deployments_and_replicasets);
	RUN(watch_table_event);
	RUN(status_not_found);
	return TEST_EXIT();
}
