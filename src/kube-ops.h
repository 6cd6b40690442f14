/* kube-ops.h: Kubernetes request helpers shared by the actions: access
 * reviews, Events, rollout status (kubectl's rules), RFC 3339 times. */
#ifndef WARROOM_KUBE_OPS_H
#define WARROOM_KUBE_OPS_H

#include <stddef.h>
#include <time.h>

struct json_t;

/* RFC 3339 with seconds, in local time ("+02:00", or "Z" in UTC) as
 * kubectl's time.Now().Format(time.RFC3339), or in UTC when utc is set. */
void	 kube_ops_time(time_t, int utc, char *buf, size_t len);

/* Body of a SelfSubjectAccessReview (JSON). New string. subresource and
 * name may be NULL. */
char	*kube_ops_ssar_body(const char *ns, const char *verb,
	    const char *group, const char *resource, const char *subresource,
	    const char *name);
/* Decode an access review answer: 1 allowed, 0 denied (*reason set to a new
 * string or NULL), -1 unreadable. */
int	 kube_ops_ssar_allowed(const char *body, size_t len, char **reason);

/* Body of a core/v1 Event on the Deployment deploy (its metadata is read for
 * uid and resourceVersion). New string. */
char	*kube_ops_event_body(struct json_t *deploy, const char *reason,
	    const char *action, const char *message);

/* kubectl rollout status for one Deployment object. Returns
 * KUBE_ROLLOUT_WAIT, _DONE or _FAILED and a new *msg (kubectl's line,
 * without the newline). */
#define KUBE_ROLLOUT_WAIT	0
#define KUBE_ROLLOUT_DONE	1
#define KUBE_ROLLOUT_FAILED	2
int	 kube_ops_rollout_status(struct json_t *deploy, char **msg);

/* Small JSON readers: the string or integer at a '.'-separated path
 * ("metadata.resourceVersion"), or NULL / dflt. Keys may not contain '.'. */
const char *kube_ops_str(struct json_t *, const char *path);
long long kube_ops_int(struct json_t *, const char *path, long long dflt);

/* A LabelSelector (spec.selector) as labels.Selector.String():
 * requirements sorted by key, "k=v", "k in (a,b)", "k notin (a)", "k",
 * "!k"; unescaped. New string, or NULL if it selects nothing usable. */
char	*kube_ops_selector(struct json_t *selector);
/* The container named name in a Deployment's pod template (borrowed), or
 * NULL. */
struct json_t *kube_ops_container(struct json_t *deploy, const char *name);
/* The images of a pod template's containers, comma-separated. New string. */
char	*kube_ops_images(struct json_t *tmpl);

/* 1 if s is a name the API accepts (DNS-1123 subdomain), which also keeps
 * it safe to put in a path unescaped. */
int	 kube_ops_valid_name(const char *s);

#endif
