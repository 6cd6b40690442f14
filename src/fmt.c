/* fmt.c: numbers as the dashboard and the command line print them, for
 * ui/ and src/ alike; no decoder, JSON or transport header needed. */
#include <stdio.h>

#include "fmt.h"

/*
 * HumanDuration of apimachinery/pkg/util/duration: "<invalid>" below -1 s,
 * then "0s", "Ns" under 2 minutes, "XmYs" under 10 minutes, "Xm" under 3
 * hours, "XhYm" under 8 hours, "Xh" under 2 days, "XdYh" under 8 days, "Xd"
 * under 2 years, "XyYd" under 8 years, then "Xy". Returns buf.
 */
const char *
fmt_duration(long s, char *buf, size_t len)
{
	long	 m, h;

	if (s < -1)
		snprintf(buf, len, "<invalid>");
	else if (s < 0)
		snprintf(buf, len, "0s");
	else if (s < 120)
		snprintf(buf, len, "%lds", s);
	else if ((m = s / 60) < 10) {
		if (s % 60 == 0)
			snprintf(buf, len, "%ldm", m);
		else
			snprintf(buf, len, "%ldm%lds", m, s % 60);
	} else if (m < 180)
		snprintf(buf, len, "%ldm", m);
	else if ((h = s / 3600) < 8) {
		if (m % 60 == 0)
			snprintf(buf, len, "%ldh", h);
		else
			snprintf(buf, len, "%ldh%ldm", h, m % 60);
	} else if (h < 48)
		snprintf(buf, len, "%ldh", h);
	else if (h < 24 * 8) {
		if (h % 24 == 0)
			snprintf(buf, len, "%ldd", h / 24);
		else
			snprintf(buf, len, "%ldd%ldh", h / 24, h % 24);
	} else if (h < 24 * 365 * 2)
		snprintf(buf, len, "%ldd", h / 24);
	else if (h < 24 * 365 * 8) {
		if ((h / 24) % 365 == 0)
			snprintf(buf, len, "%ldy", h / 24 / 365);
		else
			snprintf(buf, len, "%ldy%ldd", h / 24 / 365,
			    (h / 24) % 365);
	} else
		snprintf(buf, len, "%ldy", h / 24 / 365);
	return buf;
}
