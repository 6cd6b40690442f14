/* source-alerts.h: firing alerts from Alertmanager (API v2), with the
 * silences that mute them, polled on a timer (set refresh). */
#ifndef WARROOM_SOURCE_ALERTS_H
#define WARROOM_SOURCE_ALERTS_H

struct uv_loop_s;
struct http;
struct model;
struct source_alerts;

/* As source_prom_create(); NULL if no alertmanager is configured. */
struct source_alerts *source_alerts_create(struct uv_loop_s *, struct http *,
	    struct model *, void (*on_poll)(void *), void *arg);
void	 source_alerts_start(struct source_alerts *);
void	 source_alerts_refresh(struct source_alerts *);
void	 source_alerts_free(struct source_alerts *);

#endif
