/* decode-kube-pod.c: pods from Kubernetes JSON: Table rows and full objects
 * (READY, STATUS and RESTARTS by the server's printPod rules) and the
 * problem flag. */
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <jansson.h>

#include "decode-kube.h"
#include "decode-kube-private.h"
#include "fmt.h"
#include "model.h"
#include "warroom.h"

/* A Running, ready pod whose last restart is this recent (seconds) is still
 * a problem: a crash-looping container seen between two crashes. */
#define KUBE_RECENT_RESTART	600

/* A Table cell that must be a string if present. */
static const char *
dec_cell(struct dec *d, json_t *cells, int idx, const char *name)
{
	json_t	*v;

	if (idx < 0 || (v = json_array_get(cells, idx)) == NULL ||
	    json_is_null(v))
		return NULL;
	if (!json_is_string(v)) {
		dec_fail(d, "%s cell is %s, not a string", name,
		    dk_json_type_name(v));
		return NULL;
	}
	return json_string_value(v);
}

/* Seconds since the last restart, read back from a printed RESTARTS cell
 * such as "7 (5m ago)"; -1 if it carries no time. */
static long
pod_restart_age(const char *text)
{
	const char	*p;
	long		 total = 0, v;

	if (text == NULL || (p = strchr(text, '(')) == NULL)
		return -1;
	for (p++; *p >= '0' && *p <= '9';) {
		for (v = 0; *p >= '0' && *p <= '9'; p++) {
			if (v < 1000000)
				v = v * 10 + (*p - '0');
		}
		switch (*p++) {
		case 's':
			total += v;
			break;
		case 'm':
			total += v * 60;
			break;
		case 'h':
			total += v * 3600;
			break;
		case 'd':
			total += v * 86400;
			break;
		case 'y':
			total += v * 86400 * 365;
			break;
		default:
			return -1;
		}
	}
	return strncmp(p, " ago)", 5) == 0 ? total : -1;
}

/* READY "r/t" with every container ready. */
static int
pod_ready_full(const char *ready)
{
	char	*end;
	long	 r, t;

	if (ready == NULL || *ready < '0' || *ready > '9')
		return 0;
	r = strtol(ready, &end, 10);
	if (*end != '/' || end[1] < '0' || end[1] > '9')
		return 0;
	t = strtol(end + 1, &end, 10);
	return *end == '\0' && r >= t;
}

/*
 * What an on-call engineer must look at: every STATUS but Running, Completed
 * and Succeeded (CrashLoopBackOff, Error, OOMKilled, Pending, Init:*,
 * ContainerCreating, Terminating, NotReady, Unknown, ...), a Running pod not
 * fully ready, and a Running pod that restarted in the last 10 minutes.
 */
static int
pod_problem(const char *status, const char *ready, long restart_age)
{
	if (dk_streq(status, "Completed") || dk_streq(status, "Succeeded"))
		return 0;
	if (!dk_streq(status, "Running") || !pod_ready_full(ready))
		return 1;
	return restart_age >= 0 && restart_age < KUBE_RECENT_RESTART;
}

static void WARROOM_PRINTF(2, 3)
pod_reason(char **reason, const char *fmt, ...)
{
	va_list	 ap;

	free(*reason);
	va_start(ap, fmt);
	xvasprintf(reason, fmt, ap);
	va_end(ap);
}

/* A sidecar: an init container with restartPolicy Always. As Go's map by
 * name, the last spec of that name decides. */
static int
pod_is_sidecar(struct dec *d, json_t *inits, const char *name)
{
	json_t		*c;
	const char	*policy;
	size_t		 i;
	int		 found = 0;

	if (name == NULL)
		return 0;
	for (i = 0; i < json_array_size(inits); i++) {
		if ((c = dec_item(d, inits, i, "initContainers")) == NULL)
			return 0;
		if (!dk_streq(dec_str(d, c, "name"), name))
			continue;
		policy = dec_str(d, c, "restartPolicy");
		found = dk_streq(policy, "Always");
	}
	return found;
}

/* Whether a condition of this type has status True: the first of the type
 * decides if first is set, else any. */
static int
pod_condition(struct dec *d, json_t *conds, const char *type, int first)
{
	json_t	*c;
	size_t	 i;
	int	 yes;

	for (i = 0; i < json_array_size(conds); i++) {
		if ((c = dec_item(d, conds, i, "conditions")) == NULL)
			return 0;
		if (!dk_streq(dec_str(d, c, "type"), type))
			continue;
		yes = dk_streq(dec_str(d, c, "status"), "True");
		if (yes || first)
			return yes;
	}
	return 0;
}

/* The reason of a terminated state, as printPod words it. */
static void
pod_terminated(struct dec *d, json_t *term, const char *prefix, char **reason)
{
	const char	*s = dec_str(d, term, "reason");
	long long	 sig;

	if (s != NULL && *s != '\0')
		pod_reason(reason, "%s%s", prefix, s);
	else if ((sig = dec_int(d, term, "signal", 0, INT32_MIN,
	    INT32_MAX)) != 0)
		pod_reason(reason, "%sSignal:%lld", prefix, sig);
	else
		pod_reason(reason, "%sExitCode:%lld", prefix, dec_int(d, term,
		    "exitCode", 0, INT32_MIN, INT32_MAX));
}

/*
 * READY, STATUS and RESTARTS of a full pod, as the server's printPod
 * computes them (k8s-api.md 3.6, kubectl 1.32 with sidecars), at time now.
 */
static void
pod_print(struct dec *d, json_t *obj, json_t *meta, time_t now,
    struct kube_pod *pod)
{
	json_t		*spec, *status, *inits, *conds, *ics, *ccs;
	json_t		*c, *state, *term, *wait;
	const char	*phase, *sreason, *s;
	long long	 restarts = 0, side_restarts = 0, rc;
	time_t		 last = 0, side_last = 0, t;
	int		 ready = 0, total, sidecar, running;
	int		 initializing = 0;
	char		*reason, ago[32];
	size_t		 i;

	spec = dec_obj(d, obj, "spec");
	status = dec_obj(d, obj, "status");
	inits = dec_arr(d, spec, "initContainers");
	conds = dec_arr(d, status, "conditions");
	ics = dec_arr(d, status, "initContainerStatuses");
	ccs = dec_arr(d, status, "containerStatuses");

	total = (int)json_array_size(dec_arr(d, spec, "containers"));
	for (i = 0; i < json_array_size(inits); i++) {
		if ((c = dec_item(d, inits, i, "initContainers")) == NULL)
			break;
		if (dk_streq(dec_str(d, c, "restartPolicy"), "Always"))
			total++;
	}

	phase = dec_str(d, status, "phase");
	sreason = dec_str(d, status, "reason");
	reason = xstrdup(phase != NULL ? phase : "");
	if (sreason != NULL && *sreason != '\0')
		pod_reason(&reason, "%s", sreason);
	for (i = 0; i < json_array_size(conds); i++) {
		if ((c = dec_item(d, conds, i, "conditions")) == NULL)
			break;
		if (dk_streq(dec_str(d, c, "type"), "PodScheduled") &&
		    dk_streq(dec_str(d, c, "reason"), "SchedulingGated"))
			pod_reason(&reason, "SchedulingGated");
	}

	for (i = 0; i < json_array_size(ics); i++) {
		if ((c = dec_item(d, ics, i, "initContainerStatuses")) == NULL)
			break;
		rc = dec_int(d, c, "restartCount", 0, 0, INT32_MAX);
		t = dec_time(d, dec_obj(d, dec_obj(d, c, "lastState"),
		    "terminated"), "finishedAt");
		restarts += rc;
		if (t > last)
			last = t;
		sidecar = pod_is_sidecar(d, inits, dec_str(d, c, "name"));
		if (sidecar) {
			side_restarts += rc;
			if (t > side_last)
				side_last = t;
		}
		state = dec_obj(d, c, "state");
		term = dec_obj(d, state, "terminated");
		wait = dec_obj(d, state, "waiting");
		if (term != NULL && dec_int(d, term, "exitCode", 0, INT32_MIN,
		    INT32_MAX) == 0)
			continue;
		if (sidecar && dec_bool(d, c, "started")) {
			if (dec_bool(d, c, "ready"))
				ready++;
			continue;
		}
		initializing = 1;
		s = dec_str(d, wait, "reason");
		if (term != NULL)
			pod_terminated(d, term, "Init:", &reason);
		else if (s != NULL && *s != '\0' &&
		    strcmp(s, "PodInitializing") != 0)
			pod_reason(&reason, "Init:%s", s);
		else
			pod_reason(&reason, "Init:%zu/%zu", i,
			    json_array_size(inits));
		break;
	}

	if (!initializing || pod_condition(d, conds, "Initialized", 1)) {
		restarts = side_restarts;
		last = side_last;
		running = 0;
		/* The last container first: the first with a reason wins. */
		for (i = json_array_size(ccs); i > 0; i--) {
			c = dec_item(d, ccs, i - 1, "containerStatuses");
			if (c == NULL)
				break;
			restarts += dec_int(d, c, "restartCount", 0, 0,
			    INT32_MAX);
			t = dec_time(d, dec_obj(d, dec_obj(d, c, "lastState"),
			    "terminated"), "finishedAt");
			if (t > last)
				last = t;
			state = dec_obj(d, c, "state");
			term = dec_obj(d, state, "terminated");
			wait = dec_obj(d, state, "waiting");
			s = dec_str(d, wait, "reason");
			if (s != NULL && *s != '\0')
				pod_reason(&reason, "%s", s);
			else if (term != NULL)
				pod_terminated(d, term, "", &reason);
			else if (dec_bool(d, c, "ready") &&
			    dec_obj(d, state, "running") != NULL) {
				running = 1;
				ready++;
			}
		}
		if (strcmp(reason, "Completed") == 0 && running) {
			pod_reason(&reason, "%s", pod_condition(d, conds,
			    "Ready", 0) ? "Running" : "NotReady");
		}
	}

	if (dec_str(d, meta, "deletionTimestamp") != NULL) {
		if (dk_streq(sreason, "NodeLost"))
			pod_reason(&reason, "Unknown");
		else if (!dk_streq(phase, "Failed") && !dk_streq(phase, "Succeeded"))
			pod_reason(&reason, "Terminating");
	}

	pod->status = reason;
	xasprintf(&pod->ready, "%d/%d", ready, total);
	if (restarts != 0 && last != 0) {
		xasprintf(&pod->restarts, "%lld (%s ago)", restarts,
		    fmt_duration(now - last, ago, sizeof ago));
	} else
		xasprintf(&pod->restarts, "%lld", restarts);
	pod->restart_count = restarts > INT_MAX ? INT_MAX : (int)restarts;
	pod->problem = pod_problem(pod->status, pod->ready,
	    restarts != 0 && last != 0 ? (long)(now - last) : -1);
}

/* Owner and identity fields shared by both pod decoders. */
static void
pod_identity(struct dec *d, struct dec_meta *m, struct kube_pod *pod)
{
	json_t		*ref;
	const char	*kind;

	pod->ns = xstrdup(m->ns);
	pod->name = xstrdup(m->name);
	pod->uid = dk_dup_or_null(m->uid);
	pod->created = m->created;
	if (m->meta != NULL && (ref = dec_controller(d, m->meta)) != NULL) {
		kind = dec_str(d, ref, "kind");
		pod->owner_kind = dk_dup_or_null(kind);
		if (dk_streq(kind, "ReplicaSet"))
			pod->owner_rs = dk_dup_or_null(dec_str(d, ref, "name"));
	}
}

/* Read the columns of a pod Table; cols is changed only on success, so a
 * watch event without columnDefinitions keeps the ones seen first. */
int
decode_kube_pod_columns(json_t *table, struct kube_pod_columns *cols)
{
	struct kube_pod_columns	 c = { -1, -1, -1, -1, -1, -1, -1 };
	json_t			*defs, *def;
	const char		*name;
	int			*slot;
	size_t			 i;

	defs = json_object_get(table, "columnDefinitions");
	if (!json_is_array(defs) || json_array_size(defs) == 0 ||
	    json_array_size(defs) > INT_MAX)
		return -1;
	for (i = 0; i < json_array_size(defs); i++) {
		def = json_array_get(defs, i);
		if ((name = json_string_value(json_object_get(def,
		    "name"))) == NULL)
			continue;
		if (strcasecmp(name, "Name") == 0)
			slot = &c.name;
		else if (strcasecmp(name, "Ready") == 0)
			slot = &c.ready;
		else if (strcasecmp(name, "Status") == 0)
			slot = &c.status;
		else if (strcasecmp(name, "Restarts") == 0)
			slot = &c.restarts;
		else if (strcasecmp(name, "Age") == 0)
			slot = &c.age;
		else if (strcasecmp(name, "IP") == 0)
			slot = &c.ip;
		else if (strcasecmp(name, "Node") == 0)
			slot = &c.node;
		else
			continue;
		if (*slot == -1)
			*slot = (int)i;
	}
	if (c.name == -1 || c.status == -1)
		return -1;
	*cols = c;
	return 0;
}

/*
 * One Table row to a new pod. The cells give READY, STATUS, RESTARTS (an
 * integer from old servers, "7 (5m ago)" from 1.32), IP and NODE ("<none>"
 * becomes NULL); row.object, if present, gives the metadata.
 */
struct kube_pod *
decode_kube_pod_row(const struct kube_pod_columns *cols, json_t *row,
    char **cause)
{
	struct dec	 d;
	struct dec_meta	 m;
	struct kube_pod	*pod = NULL;
	json_t		*cells, *obj, *v;
	const char	*s;
	long long	 n;

	dec_init(&d, "pod row");
	if (cols == NULL) {
		dec_fail(&d, "no columns");
		goto fail;
	}
	if (!json_is_object(row)) {
		dec_fail(&d, "is %s, not an object", dk_json_type_name(row));
		goto fail;
	}
	if ((cells = dec_arr(&d, row, "cells")) == NULL) {
		dec_fail(&d, "no cells");
		goto fail;
	}
	obj = dec_obj(&d, row, "object");
	if (obj != NULL) {
		if (dec_metadata(&d, obj, &m) != 0)
			goto fail;
	} else {
		memset(&m, 0, sizeof m);
		m.ns = "";
		m.name = dec_cell(&d, cells, cols->name, "NAME");
		if (m.name == NULL || *m.name == '\0') {
			dec_fail(&d, "no name");
			goto fail;
		}
		snprintf(d.key, sizeof d.key, "%s", m.name);
	}
	pod = xcalloc(1, sizeof *pod);
	pod_identity(&d, &m, pod);

	if ((s = dec_cell(&d, cells, cols->status, "STATUS")) == NULL) {
		dec_fail(&d, "no STATUS cell");
		goto fail;
	}
	pod->status = xstrdup(s);
	s = dec_cell(&d, cells, cols->ready, "READY");
	pod->ready = xstrdup(s != NULL ? s : "");

	v = cols->restarts >= 0 ? json_array_get(cells, cols->restarts) : NULL;
	if (json_is_integer(v)) {
		n = json_integer_value(v);
		n = n < 0 ? 0 : (n > INT_MAX ? INT_MAX : n);
		pod->restart_count = (int)n;
		xasprintf(&pod->restarts, "%lld", n);
	} else if ((s = dec_cell(&d, cells, cols->restarts, "RESTARTS")) !=
	    NULL) {
		pod->restarts = xstrdup(s);
		for (n = 0; *s >= '0' && *s <= '9'; s++) {
			if (n < INT_MAX)
				n = n * 10 + (*s - '0');
		}
		pod->restart_count = n > INT_MAX ? INT_MAX : (int)n;
	} else
		pod->restarts = xstrdup("");

	s = dec_cell(&d, cells, cols->ip, "IP");
	if (!dk_streq(s, "<none>"))
		pod->ip = dk_dup_or_null(s);
	s = dec_cell(&d, cells, cols->node, "NODE");
	if (!dk_streq(s, "<none>"))
		pod->node = dk_dup_or_null(s);
	pod->problem = pod_problem(pod->status, pod->ready,
	    pod_restart_age(pod->restarts));
	if (d.cause != NULL)
		goto fail;
	return pod;

fail:
	kube_pod_free(pod);
	dec_cause(&d, cause);
	return NULL;
}

/* A full Pod to a new pod, READY/STATUS/RESTARTS computed at time now. */
struct kube_pod *
decode_kube_pod(json_t *obj, time_t now, char **cause)
{
	struct dec	 d;
	struct dec_meta	 m;
	struct kube_pod	*pod = NULL;
	json_t		*status, *ips;
	const char	*ip;

	dec_init(&d, "pod");
	if (dec_metadata(&d, obj, &m) != 0)
		goto fail;
	pod = xcalloc(1, sizeof *pod);
	pod_identity(&d, &m, pod);
	pod->node = dk_dup_or_null(dec_str(&d, dec_obj(&d, obj, "spec"),
	    "nodeName"));
	status = dec_obj(&d, obj, "status");
	ips = dec_arr(&d, status, "podIPs");
	if (json_array_size(ips) > 0)
		ip = dec_str(&d, dec_item(&d, ips, 0, "podIPs"), "ip");
	else
		ip = dec_str(&d, status, "podIP");
	pod->ip = dk_dup_or_null(ip);
	pod_print(&d, obj, m.meta, now, pod);
	if (d.cause != NULL)
		goto fail;
	return pod;

fail:
	kube_pod_free(pod);
	dec_cause(&d, cause);
	return NULL;
}
