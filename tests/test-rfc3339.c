/* tests/test-rfc3339.c: the one RFC 3339 parser (src/rfc3339.c) on the
 * forms each of its callers relies on (Kubernetes objects, Prometheus and
 * Alertmanager answers, exec plugins' expirationTimestamp) and on garbage,
 * with the Unix times worked out by hand; and jdec's Go flavour of it. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "jdec.h"
#include "rfc3339.h"
#include "warroom.h"
#include "test.h"

/* 2026-12-07T15:01:24Z: 56 years from 1970 with 14 leap days (1972-2024)
 * is 20454 days, to 7 December 2026 334 + 6 more, so 20794 * 86400 +
 * 15 * 3600 + 60 + 24. */
#define T_DEC7	1796655684LL

static const struct {
	const char	*s;
	int		 flags;
	long long	 t;
	long		 nsec;
} good[] = {
	/* Every caller. */
	{ "2026-12-07T15:01:24Z", 0, T_DEC7, 0 },
	{ "2026-12-07T15:01:24.123456789Z", 0, T_DEC7, 123456789 },
	{ "2026-12-07T15:01:24.5Z", 0, T_DEC7, 500000000 },
	{ "2026-12-07T15:01:24.000001Z", 0, T_DEC7, 1000 },
	{ "2026-12-07T15:01:24.1234567899Z", 0, T_DEC7, 123456789 },
	{ "2026-12-07T17:01:24+02:00", 0, T_DEC7, 0 },
	{ "2026-12-07T09:31:24-05:30", 0, T_DEC7, 0 },
	{ "2026-12-07T15:01:24-00:00", 0, T_DEC7, 0 },
	{ "2026-12-08T14:01:24+23:00", 0, T_DEC7, 0 },
	{ "2026-12-07t15:01:24z", 0, T_DEC7, 0 },
	{ "2026-12-07T17:01:24.25+02:00", 0, T_DEC7, 250000000 },
	/* Kubernetes (creationTimestamp), Prometheus (activeAt). */
	{ "2026-11-28T14:34:15Z", 0, 1795876455, 0 },
	{ "2026-11-28T19:15:43.369970772Z", 0, 1795893343, 369970772 },
	/* An exec plugin (tests/test-kubeconfig.c's). */
	{ "2024-05-01T12:00:00.5+02:00", 0, 1714557600, 500000000 },
	{ "2099-01-02T03:04:05Z", 0, 4071006245LL, 0 },
	/* Leap days, the epoch and the ends of the range: exact, no Go zero
	 * time here (jdec's). */
	{ "2024-02-29T00:00:00Z", 0, 1709164800, 0 },
	{ "2000-02-29T12:00:00Z", 0, 951825600, 0 },
	{ "1970-01-01T00:00:00Z", 0, 0, 0 },
	{ "1969-12-31T23:59:59Z", 0, -1, 0 },
	{ "0001-01-01T00:00:00Z", 0, -62135596800LL, 0 },
	/* Year 0 is a leap year of 366 days. */
	{ "0000-01-01T00:00:00Z", 0, -62135596800LL - 366 * 86400LL, 0 },
	{ "9999-12-31T23:59:59.999999999Z", 0, 253402300799LL, 999999999 },
	/* What only the exec plugin's reading took, and still takes: a space
	 * for the T and a leap second (the next minute's first second). */
	{ "2026-12-07 15:01:24Z", RFC3339_LOOSE, T_DEC7, 0 },
	{ "2026-12-07T15:01:24.5Z", RFC3339_LOOSE, T_DEC7, 500000000 },
	{ "2016-12-31T23:59:60Z", RFC3339_LOOSE, 1483228800, 0 },
	{ "2017-01-01T00:59:60+01:00", RFC3339_LOOSE, 1483228800, 0 },
};

/* Garbage in every mode. */
static const char *garbage[] = {
	"", "garbage", "2026", "2026-12-07", "2026-12-07T", "2026-12-07T15",
	"2026-12-07T15:01", "2026-12-07T15:01:2", "2026-12-07T15:01:24",
	"2026-12-07T15:01:24.", "2026-12-07T15:01:24.Z",
	"2026-12-07T15:01:24.12a4Z", "2026-12-07T15:01:24.+02:00",
	"2026-13-07T15:01:24Z", "2026-00-07T15:01:24Z",
	"2026-12-00T15:01:24Z", "2026-12-32T15:01:24Z",
	"2026-02-29T00:00:00Z", "1900-02-29T00:00:00Z",
	"2026-02-30T00:00:00Z", "2026-02-31T00:00:00Z",
	"2026-04-31T00:00:00Z", "2026-12-07T24:00:00Z",
	"2026-12-07T15:60:24Z", "2026-12-07T15:01:61Z",
	"2026-12-07T15:01:99Z", "2026-12-07T15:01:24Zjunk",
	"2026-12-07T15:01:24ZZ", "2026-12-07T15:01:24Z ",
	"2026-12-07T15:01:24+02", "2026-12-07T15:01:24+0200",
	"2026-12-07T15:01:24+02:0", "2026-12-07T15:01:24+24:00",
	"2026-12-07T15:01:24+02:60", "2026-12-07T15:01:24+02:00junk",
	"2026-12-07T15:01:24 +02:00", "2026-12-07X15:01:24Z",
	"2026/12/07T15:01:24Z", "2026-12-07T15-01-24Z",
	" 2026-12-07T15:01:24Z", "+2026-12-07T15:01:24Z",
	"-026-12-07T15:01:24Z", "20261-12-07T15:01:24Z",
	"2026-1-07T15:01:24Z", "2026-12-7T15:01:24Z",
	"2026-12-07T5:01:24Z", "1796655684",
	"2026-12-07\t15:01:24Z", "2026-12-07T15:01:24\nZ",
};

TEST(rfc3339_good)
{
	time_t	 t;
	long	 ns;
	size_t	 i;

	for (i = 0; i < nitems(good); i++) {
		t = 12345;
		ns = -1;
		if (rfc3339_parse(good[i].s, good[i].flags, &t, &ns) != 0 ||
		    (long long)t != good[i].t || ns != good[i].nsec)
			printf("# \"%s\": %lld.%09ld\n", good[i].s,
			    (long long)t, ns);
		ASSERT_INT(rfc3339_parse(good[i].s, good[i].flags, &t, &ns), 0);
		ASSERT_INT(t, good[i].t);
		ASSERT_INT(ns, good[i].nsec);
		/* The fraction is optional to ask for. */
		ASSERT_INT(rfc3339_parse(good[i].s, good[i].flags, &t, NULL),
		    0);
		ASSERT_INT(t, good[i].t);
	}
}

TEST(rfc3339_garbage)
{
	time_t	 t = 12345;
	long	 ns = 7;
	size_t	 i;
	int	 flags;

	for (flags = 0; flags <= RFC3339_LOOSE; flags += RFC3339_LOOSE) {
		for (i = 0; i < nitems(garbage); i++) {
			if (rfc3339_parse(garbage[i], flags, &t, &ns) != -1)
				printf("# \"%s\" (flags %d) was taken\n",
				    garbage[i], flags);
			ASSERT_INT(rfc3339_parse(garbage[i], flags, &t, &ns),
			    -1);
		}
		ASSERT_INT(rfc3339_parse(NULL, flags, &t, &ns), -1);
	}
	/* Nothing is written on failure. */
	ASSERT_INT(t, 12345);
	ASSERT_INT(ns, 7);
}

/* Without RFC3339_LOOSE, the forms Go's time.RFC3339 refuses (and the
 * Kubernetes and Prometheus decoders always refused) stay refused. */
TEST(rfc3339_strict)
{
	static const char *loose_only[] = {
		"2026-12-07 15:01:24Z", "2026-12-07 15:01:24.5+02:00",
		"2016-12-31T23:59:60Z", "2016-12-31 23:59:60z",
	};
	time_t	 t;
	size_t	 i;

	for (i = 0; i < nitems(loose_only); i++) {
		ASSERT_INT(rfc3339_parse(loose_only[i], 0, &t, NULL), -1);
		ASSERT_INT(rfc3339_parse(loose_only[i], RFC3339_LOOSE, &t,
		    NULL), 0);
	}
}

/* Times as Prometheus and Alertmanager write them, through jdec (once
 * prom_parse_time of decode-prom.c): Go's zero time is 0. */
TEST(parse_time_good)
{
	static const struct {
		const char	*s;
		long long	 want;
	} cases[] = {
		{ "2026-11-28T19:15:36Z", 1795893336 },
		{ "2026-11-28T19:15:36.369Z", 1795893336 },
		{ "2026-11-28T19:15:36.999999999Z", 1795893336 },
		{ "2026-11-28T19:15:43.369970772Z", 1795893343 },
		{ "2026-11-28T20:15:36+01:00", 1795893336 },
		{ "2026-11-28T20:15:36.5+01:00", 1795893336 },
		{ "2026-11-28T13:45:36-05:30", 1795893336 },
		{ "2026-11-28T19:15:36-00:00", 1795893336 },
		{ "2026-11-28t19:15:36z", 1795893336 },
		{ "2026-11-29T00:15:36+05:00", 1795893336 },
		{ "0001-01-01T00:00:00Z", 0 },
		{ "0001-01-01T01:00:00+01:00", 0 },
		{ "1970-01-01T00:00:00Z", 0 },
		{ "1970-01-01T00:00:01Z", 1 },
		{ "1969-12-31T23:59:58Z", -2 },
		{ "2028-02-29T12:00:00Z", 1835438400 },
		{ "2000-02-29T00:00:00Z", 951782400 },
		{ "9999-12-31T23:59:59Z", 253402300799LL },
		{ "0001-01-01T00:00:01Z", -62135596799LL },
	};
	time_t	 t;
	size_t	 i;

	for (i = 0; i < nitems(cases); i++) {
		t = 12345;
		if (jdec_parse_time(cases[i].s, &t) != 0 ||
		    (long long)t != cases[i].want)
			printf("# %s\n", cases[i].s);
		ASSERT_INT(jdec_parse_time(cases[i].s, &t), 0);
		ASSERT_INT(t, cases[i].want);
	}
}

TEST(parse_time_garbage)
{
	static const char *bad[] = {
		"", "garbage", "2026-11-28", "2026-11-28T19:15:36",
		"2026-11-28 19:15:36Z", "2026-11-28T19:15:36.Z",
		"2026-11-28T19:15:36+0100", "2026-11-28T19:15:36+01",
		"2026-11-28T19:15:36Zjunk", "2026-11-28T19:15:36ZZ",
		"2026-11-28T24:00:00Z", "2026-11-28T19:60:00Z",
		"2026-11-28T19:15:60Z", "2026-13-01T00:00:00Z",
		"2026-00-01T00:00:00Z", "2026-11-00T00:00:00Z",
		"2026-02-29T00:00:00Z", "1900-02-29T00:00:00Z",
		"2026-11-31T00:00:00Z", "2026-11-28T19:15:36+24:00",
		"2026-11-28T19:15:36+01:60", "+2026-11-28T19:15:36Z",
		"20261-11-28T19:15:36Z", "2026-1-28T19:15:36Z",
		"2026-11-28T19:15:36.12a4Z", " 2026-11-28T19:15:36Z",
		"1795893336",
	};
	time_t	 t = 12345;
	size_t	 i;

	for (i = 0; i < nitems(bad); i++) {
		if (jdec_parse_time(bad[i], &t) != -1)
			printf("# \"%s\" was taken\n", bad[i]);
		ASSERT_INT(jdec_parse_time(bad[i], &t), -1);
	}
	ASSERT_INT(jdec_parse_time(NULL, &t), -1);
	ASSERT_INT(t, 12345);
}

int
main(void)
{
	RUN(rfc3339_good);
	RUN(rfc3339_garbage);
	RUN(rfc3339_strict);
	RUN(parse_time_good);
	RUN(parse_time_garbage);
	return TEST_EXIT();
}
