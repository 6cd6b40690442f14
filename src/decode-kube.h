/* decode-kube.h: Kubernetes JSON (json_t) to model structs. Pure functions:
 * no I/O, no globals; borrowed json references never escape. */
#ifndef WARROOM_DECODE_KUBE_H
#define WARROOM_DECODE_KUBE_H

#include <jansson.h>
#include <time.h>

#include "model.h"

/* Column positions in a pod Table (meta.k8s.io/v1), -1 where absent. */
struct kube_pod_columns {
	int	 name, ready, status, restarts, age, ip, node;
};

/* A Kubernetes Status (error) object. Strings are new; free with
 * decode_kube_status_clear(). */
struct kube_status {
	int		 code;		/* HTTP code inside the Status, 0 if none */
	char		*reason;	/* "NotFound", "Expired", ... or NULL */
	char		*message;
};

enum kube_event_type {
	KUBE_EVENT_BAD = -1,
	KUBE_EVENT_ADDED,
	KUBE_EVENT_MODIFIED,
	KUBE_EVENT_DELETED,
	KUBE_EVENT_BOOKMARK,
	KUBE_EVENT_ERROR
};

/* RFC 3339 time ("2026-11-28T14:34:15Z", fractions and offsets allowed) to
 * time_t; 0 for NULL/empty/invalid. */
time_t	 decode_kube_time(const char *);

/* Read columnDefinitions (by name, case-insensitive) into cols. Returns 0, or
 * -1 if there are none or Name/Status are missing. */
int	 decode_kube_pod_columns(json_t *table, struct kube_pod_columns *cols);

/* One Table row (with PartialObjectMetadata or full object in row.object) to
 * a new pod. Returns NULL and sets *cause (new string) if malformed. */
struct kube_pod *decode_kube_pod_row(const struct kube_pod_columns *,
	    json_t *row, char **cause);

/* A full Pod object to a new pod, computing READY/STATUS/RESTARTS with the
 * server's printPod algorithm (k8s-api.md 3.6) at time now. */
struct kube_pod *decode_kube_pod(json_t *obj, time_t now, char **cause);

/* Objects to new model structs; NULL and *cause on malformed input. */
struct kube_deploy *decode_kube_deploy(json_t *obj, char **cause);
struct kube_rs	*decode_kube_rs(json_t *obj, char **cause);
struct kube_hpa	*decode_kube_hpa(json_t *obj, char **cause);

/* "ns/name" key of an object's metadata into buf; returns buf or NULL. */
const char *decode_kube_key(json_t *obj, char *buf, size_t len);

/* metadata.resourceVersion and metadata.continue of a list (borrowed, NULL
 * if absent). */
const char *decode_kube_list_rv(json_t *list);
const char *decode_kube_list_continue(json_t *list);

/* A watch event line: its type and a borrowed reference to the object. */
enum kube_event_type decode_kube_event(json_t *ev, json_t **obj);

/* A Status object (from an error body or an ERROR event). Returns 0 if obj is
 * a Status, -1 otherwise (st is then zeroed). */
int	 decode_kube_status(json_t *obj, struct kube_status *st);
void	 decode_kube_status_clear(struct kube_status *);

/* Label selector (spec.selector: matchLabels + matchExpressions) to the
 * string form kubectl sends, e.g. "app=web,tier in (a,b)". New string; ""
 * for an empty selector, NULL if selector is absent or invalid. */
char	*decode_kube_selector(json_t *selector);

#endif
