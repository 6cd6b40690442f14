/* rfc3339.h: the one RFC 3339 time parser, for every decoder that reads
 * times (Kubernetes, Prometheus, Alertmanager, exec credential plugins). */
#ifndef WARROOM_RFC3339_H
#define WARROOM_RFC3339_H

#include <time.h>

/* Also a space for the 'T' (RFC 3339 5.6's note) and second 60 (a leap
 * second, read as the next minute's first): what exec plugins may write. */
#define RFC3339_LOOSE	0x1

/*
 * s as "YYYY-MM-DDTHH:MM:SS[.F...](Z|+hh:mm|-hh:mm)", 't' and 'z' in either
 * case, the fraction of any length, the date a real one of the proleptic
 * Gregorian calendar (years 0000-9999), to Unix seconds in *t and the
 * fraction in *nsec (nanoseconds, truncated; nsec may be NULL). Returns 0,
 * or -1 for NULL, empty, truncated or out of range input or trailing bytes
 * (*t and *nsec untouched). Nothing is allocated.
 */
int	 rfc3339_parse(const char *s, int flags, time_t *t, long *nsec);

#endif
