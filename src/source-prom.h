/* source-prom.h: resource use and alerting rules from Prometheus, polled
 * on a timer (set refresh): each configured query (query pod|node METRIC)
 * and /api/v1/rules. A query's error is kept for that metric; the source is
 * DOWN only when Prometheus itself does not answer. */
#ifndef WARROOM_SOURCE_PROM_H
#define WARROOM_SOURCE_PROM_H

struct uv_loop_s;
struct http;
struct model;
struct source_prom;

/* on_poll (may be NULL) is called after every complete poll. http and
 * model are borrowed. NULL if no prometheus is configured. */
struct source_prom *source_prom_create(struct uv_loop_s *, struct http *,
	    struct model *, void (*on_poll)(void *), void *arg);
void	 source_prom_start(struct source_prom *);
/* Poll now (the user's refresh), unless a poll is running. */
void	 source_prom_refresh(struct source_prom *);
/* Cancel its requests and close its timer; freed when the loop has run
 * the close callback. NULL is fine. */
void	 source_prom_free(struct source_prom *);

#endif
