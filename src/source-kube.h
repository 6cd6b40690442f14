/* source-kube.h: the Kubernetes source: list then watch pods, deployments,
 * replicasets and HPAs into the model, relisting and reconnecting by itself. */
#ifndef WARROOM_SOURCE_KUBE_H
#define WARROOM_SOURCE_KUBE_H

struct uv_loop_s;
struct kube;
struct model;
struct source_kube;

/*
 * watch = 0: list once (snapshot mode) and call on_synced when every list
 * has finished, successfully or not. watch = 1: list, then watch for ever,
 * calling on_synced once after the first full sync (may be NULL).
 * kube and model are borrowed and must outlive the source.
 */
struct source_kube *source_kube_create(struct uv_loop_s *, struct kube *,
	    struct model *, int watch, void (*on_synced)(void *), void *arg);
void	 source_kube_start(struct source_kube *);
/* Cancel everything and close the timers; the memory is freed once the
 * loop has run the close callbacks. */
void	 source_kube_free(struct source_kube *);
/* List everything again now (the user's refresh), then watch on. */
void	 source_kube_refresh(struct source_kube *);
/* 1 when every resource has been listed at least once. */
int	 source_kube_synced(const struct source_kube *);

#endif
