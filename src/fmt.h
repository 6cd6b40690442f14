/* fmt.h: numbers as the dashboard and the command line print them, for
 * ui/ and src/ alike; no decoder, JSON or transport header needed. */
#ifndef WARROOM_FMT_H
#define WARROOM_FMT_H

#include <stddef.h>

/* Seconds as apimachinery's HumanDuration (k8s-api.md 3.6), the ages
 * kubectl prints: "5m", "3d4h", "<invalid>" below -1. Written into buf of
 * len bytes (cut to fit, NUL-terminated); returns buf, the caller's. */
const char *fmt_duration(long seconds, char *buf, size_t len);

#endif
