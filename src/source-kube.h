/* source-kube.h: the Kubernetes source: list then watch pods, deployments,
 * replicasets and HPAs into the model, relisting and reconnecting by itself. */
#ifndef WARROOM_SOURCE_KUBE_H
#define WARROOM_SOURCE_KUBE_H

struct source_kube;
struct source_ops;

/*
 * NULL when Kubernetes is not configured (no kube). watch = 0 (a snapshot): list once and call on_poll when
 * every list has finished, successfully or not. watch = 1: list, then
 * watch for ever, calling on_poll once after the first full sync (may be
 * NULL); refresh lists everything again now, then watches on.
 */
extern const struct source_ops source_kube_ops;

/* 1 when every resource has been listed at least once. */
int	 source_kube_synced(const struct source_kube *);

#endif
