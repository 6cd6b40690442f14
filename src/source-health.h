/* source-health.h: the configured HTTP health endpoints (health NAME URL),
 * each probed on a timer with a timeout: up (2xx) or down, latency, the
 * last error. Also the one-shot probes of 'warroom check'. */
#ifndef WARROOM_SOURCE_HEALTH_H
#define WARROOM_SOURCE_HEALTH_H

struct source_ops;

/* NULL if no health endpoint is configured. on_poll (may be NULL) is
 * called after each complete round. */
extern const struct source_ops source_health_ops;

#endif
