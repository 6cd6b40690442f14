/* source-alerts.h: firing alerts from Alertmanager (API v2), with the
 * silences that mute them, polled on a timer (set refresh). */
#ifndef WARROOM_SOURCE_ALERTS_H
#define WARROOM_SOURCE_ALERTS_H

struct source_ops;

/* As source_prom_ops: on_poll after every complete poll; NULL if no
 * alertmanager is configured. */
extern const struct source_ops source_alerts_ops;

#endif
