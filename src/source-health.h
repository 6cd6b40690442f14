/* source-health.h: the configured HTTP health endpoints (health NAME URL),
 * each probed on a timer with a timeout: up (2xx) or down, latency, the
 * last error. Also the one-shot probes of 'warroom check'. */
#ifndef WARROOM_SOURCE_HEALTH_H
#define WARROOM_SOURCE_HEALTH_H

struct uv_loop_s;
struct http;
struct model;
struct source_health;

/* NULL if no health endpoint is configured. on_poll (may be NULL) is
 * called after each complete round. */
struct source_health *source_health_create(struct uv_loop_s *, struct http *,
	    struct model *, void (*on_poll)(void *), void *arg);
void	 source_health_start(struct source_health *);
void	 source_health_refresh(struct source_health *);
void	 source_health_free(struct source_health *);

#endif
