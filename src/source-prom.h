/* source-prom.h: resource use and alerting rules from Prometheus, polled
 * on a timer (set refresh): each configured query (query pod|node METRIC)
 * and /api/v1/rules. A query's error is kept for that metric; the source is
 * DOWN only when Prometheus itself does not answer. */
#ifndef WARROOM_SOURCE_PROM_H
#define WARROOM_SOURCE_PROM_H

struct source_ops;

/* on_poll (may be NULL) is called after every complete poll; refresh
 * polls now unless a poll is running. NULL if no prometheus is
 * configured. */
extern const struct source_ops source_prom_ops;

#endif
