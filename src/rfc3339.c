/* rfc3339.c: RFC 3339 times to Unix seconds by arithmetic on the proleptic
 * Gregorian calendar: no libc time zone, and no timegm, which cannot be
 * trusted with year 1. */
#include <time.h>

#include "rfc3339.h"

static int
rfc3339_digits(const char *s, int n, int *v)
{
	*v = 0;
	for (; n > 0; n--, s++) {
		if (*s < '0' || *s > '9')
			return -1;
		*v = *v * 10 + (*s - '0');
	}
	return 0;
}

/* Days since 1970-01-01 of a proleptic Gregorian date. */
static long long
rfc3339_days(int y, int m, int dd)
{
	long long	 era;
	int		 yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (int)(y - era * 400);
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + dd - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

int
rfc3339_parse(const char *s, int flags, time_t *t, long *nsec)
{
	static const int mdays[] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};
	long long	 secs;
	long		 ns = 0, scale = 100000000;
	int		 y, mo, dd, h, mi, sec, oh = 0, om = 0, sign = 0, leap;
	int		 loose = (flags & RFC3339_LOOSE) != 0;

	/* Each test stops at the first mismatch, so a short s is safe. */
	if (s == NULL || rfc3339_digits(s, 4, &y) != 0 || s[4] != '-' ||
	    rfc3339_digits(s + 5, 2, &mo) != 0 || s[7] != '-' ||
	    rfc3339_digits(s + 8, 2, &dd) != 0 ||
	    (s[10] != 'T' && s[10] != 't' && !(loose && s[10] == ' ')) ||
	    rfc3339_digits(s + 11, 2, &h) != 0 || s[13] != ':' ||
	    rfc3339_digits(s + 14, 2, &mi) != 0 || s[16] != ':' ||
	    rfc3339_digits(s + 17, 2, &sec) != 0)
		return -1;
	s += 19;
	if (*s == '.') {
		if (s[1] < '0' || s[1] > '9')
			return -1;
		for (s++; *s >= '0' && *s <= '9'; s++) {
			ns += (*s - '0') * scale;
			scale /= 10;
		}
	}
	if (*s == 'Z' || *s == 'z')
		s++;
	else if (*s == '+' || *s == '-') {
		sign = *s == '-' ? -1 : 1;
		if (rfc3339_digits(s + 1, 2, &oh) != 0 || s[3] != ':' ||
		    rfc3339_digits(s + 4, 2, &om) != 0)
			return -1;
		s += 6;
	} else
		return -1;
	if (*s != '\0')
		return -1;

	leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (mo < 1 || mo > 12 || dd < 1 ||
	    dd > mdays[mo - 1] + (mo == 2 && leap) || h > 23 || mi > 59 ||
	    sec > (loose ? 60 : 59) || oh > 23 || om > 59)
		return -1;
	secs = rfc3339_days(y, mo, dd) * 86400 + h * 3600 + mi * 60 + sec -
	    sign * (oh * 3600 + om * 60);
	if ((long long)(time_t)secs != secs)
		return -1;
	*t = (time_t)secs;
	if (nsec != NULL)
		*nsec = ns;
	return 0;
}
