/* tests/test-quantity.c: resource quantities against apimachinery's rules.
 * Every expected string below was checked by hand against ParseQuantity and
 * CanonicalizeBytes (quantity.go, amount.go) or their test tables. Inputs whose
 * Go String() would echo the input verbatim (its "already canonical" cache:
 * "+1", "1E3", "1.G", "007") are left out of the format table. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "quantity.h"
#include "warroom.h"
#include "test.h"

struct qcase {
	const char	*in;
	const char	*out;
};

static const struct qcase format_cases[] = {
	/* Zero and plain numbers. */
	{ "0", "0" },
	{ "0Ki", "0" },
	{ "1", "1" },
	{ "-1", "-1" },
	{ "1500", "1500" },
	{ "1000", "1k" },
	/* Fractions become the largest suffix with no fractional digits. */
	{ "1.5", "1500m" },
	{ "0.5", "500m" },
	{ ".5", "500m" },
	{ "100m", "100m" },
	{ "1000m", "1" },
	{ "1.5k", "1500" },
	{ "8.1k", "8100" },
	{ "50k", "50k" },
	{ "1.5m", "1500u" },
	{ "1n", "1n" },
	{ "1000n", "1u" },
	{ "1500u", "1500u" },
	{ "123456789n", "123456789n" },
	{ "1.23456789", "1234567890n" },
	/* Large decimal suffixes; "E" alone is exa. */
	{ "1E", "1E" },
	{ "9E", "9E" },
	{ "1.5E", "1500P" },
	{ "1.01E", "1010P" },
	/* Precision is capped at nano, rounding up in magnitude. */
	{ "0.1n", "1n" },
	{ "-0.1n", "-1n" },
	{ "0.9n", "1n" },
	{ "3.001n", "4n" },
	{ "0.0000000001", "1n" },
	{ "0.00000012345", "124n" },
	/* Binary: the format of the input family. */
	{ "1Ki", "1Ki" },
	{ "-1Ki", "-1Ki" },
	{ "1Mi", "1Mi" },
	{ "512Ki", "512Ki" },
	{ "1025Ki", "1025Ki" },
	{ "1024Mi", "1Gi" },
	{ "1.5Gi", "1536Mi" },
	{ "-1.5Gi", "-1536Mi" },
	{ "0.5Gi", "512Mi" },
	{ "0.5Mi", "512Ki" },
	{ "7Ei", "7Ei" },
	/* Binary below 1024, or not whole, prints as DecimalSI. */
	{ "1.5Ki", "1536" },
	{ "0.5Ki", "512" },
	{ "1.1Ki", "1126400m" },
	{ "100.035Ki", "102435840m" },
	{ "0.000000000001Ki", "2n" },
	{ "0.9765625Ki", "1k" },
	/* Binary values are capped at 2^63-1. */
	{ "8Ei", "9223372036854775807" },
	{ "9223372036854775807Ki", "9223372036854775807" },
	/* Decimal exponents stay exponents, in multiples of 3. */
	{ "1e3", "1e3" },
	{ "12e6", "12e6" },
	{ "10e3", "10e3" },
	{ "1e-3", "1e-3" },
	{ "1e2", "100" },
	{ "1.5e3", "1500" },
	{ "1.3E+6", "1300e3" },
	{ "1.1E-9", "2e-9" },
	{ "0.5e-9", "1e-9" },
};

static const struct qcase error_cases[] = {
	{ "", "invalid quantity \"\": empty string" },
	{ "4GB", "invalid quantity \"4GB\": unknown suffix \"GB\"" },
	{ "1K", "invalid quantity \"1K\": unknown suffix \"K\"" },
	{ "K", "invalid quantity \"K\": expected a number" },
	{ "aoeu", "invalid quantity \"aoeu\": expected a number" },
	{ "--1", "invalid quantity \"--1\": expected a number" },
	{ " 1", "invalid quantity \" 1\": expected a number" },
	{ "1 ", "invalid quantity \"1 \": unknown suffix \" \"" },
	{ "1e", "invalid quantity \"1e\": unknown suffix \"e\"" },
	{ "1e+", "invalid quantity \"1e+\": unknown suffix \"e+\"" },
	{ "-3.01e-", "invalid quantity \"-3.01e-\": unknown suffix \"e-\"" },
	{ "1e3.5", "invalid quantity \"1e3.5\": unknown suffix \"e3.5\"" },
	{ "1ki", "invalid quantity \"1ki\": unknown suffix \"ki\"" },
	{ "0.1mi", "invalid quantity \"0.1mi\": unknown suffix \"mi\"" },
	{ "1i", "invalid quantity \"1i\": unknown suffix \"i\"" },
	{ "1KiB", "invalid quantity \"1KiB\": unknown suffix \"KiB\"" },
	{ "1Ki3", "invalid quantity \"1Ki3\": unknown suffix \"Ki3\"" },
	{ "1.1.M", "invalid quantity \"1.1.M\": unknown suffix \".M\"" },
	{ "1+1.0M", "invalid quantity \"1+1.0M\": unknown suffix \"+1.0M\"" },
	{ "1e4294967297",
	    "invalid quantity \"1e4294967297\": exponent out of range" },
};

TEST(format_table)
{
	struct quantity	 q;
	char		 buf[64], *cause;
	size_t		 i;
	int		 bad = 0;

	ASSERT(nitems(format_cases) >= 40);
	for (i = 0; i < nitems(format_cases); i++) {
		cause = NULL;
		if (quantity_parse(format_cases[i].in, &q, &cause) != 0) {
			printf("# \"%s\": %s\n", format_cases[i].in, cause);
			free(cause);
			bad++;
			continue;
		}
		quantity_format(&q, buf, sizeof buf);
		if (strcmp(buf, format_cases[i].out) != 0) {
			printf("# \"%s\": got \"%s\", want \"%s\"\n",
			    format_cases[i].in, buf, format_cases[i].out);
			bad++;
		}
	}
	ASSERT_INT(bad, 0);
}

TEST(error_table)
{
	struct quantity	 q;
	char		*cause;
	size_t		 i;
	int		 bad = 0;

	for (i = 0; i < nitems(error_cases); i++) {
		cause = NULL;
		if (quantity_parse(error_cases[i].in, &q, &cause) == 0) {
			printf("# \"%s\": parsed\n", error_cases[i].in);
			bad++;
			continue;
		}
		if (cause == NULL || strcmp(cause, error_cases[i].out) != 0) {
			printf("# \"%s\": cause \"%s\", want \"%s\"\n",
			    error_cases[i].in, cause ? cause : "(null)",
			    error_cases[i].out);
			bad++;
		}
		free(cause);
	}
	ASSERT_INT(bad, 0);
}

TEST(error_null_and_long)
{
	struct quantity	 q;
	char		*cause = NULL, in[200];

	ASSERT_INT(quantity_parse(NULL, &q, &cause), -1);
	ASSERT_STR(cause, "invalid quantity \"\": empty string");
	free(cause);
	/* A NULL cause is allowed. */
	ASSERT_INT(quantity_parse("4GB", &q, NULL), -1);
	/* A long input is shown cut, never whole. */
	memset(in, 'x', sizeof in - 1);
	in[sizeof in - 1] = '\0';
	in[0] = '1';
	cause = NULL;
	ASSERT_INT(quantity_parse(in, &q, &cause), -1);
	ASSERT(cause != NULL && strlen(cause) < 200);
	ASSERT(strstr(cause, "...\": unknown suffix") != NULL);
	free(cause);
}

TEST(values)
{
	struct quantity	 q;

	ASSERT_INT(quantity_parse("100m", &q, NULL), 0);
	ASSERT_INT(q.milli, 100);
	ASSERT_INT(q.nano, 100000000);
	ASSERT_INT(q.format, QUANTITY_DECIMAL_SI);
	ASSERT(quantity_value(&q) == 0.1);

	ASSERT_INT(quantity_parse("1.5Gi", &q, NULL), 0);
	ASSERT_INT(q.milli, 1610612736000LL);
	ASSERT_INT(q.whole, 1610612736);
	ASSERT_INT(q.frac, 0);
	ASSERT_INT(q.format, QUANTITY_BINARY_SI);

	/* metrics-server CPU: MilliValue() rounds up, as kubectl top. */
	ASSERT_INT(quantity_parse("9559630n", &q, NULL), 0);
	ASSERT_INT(q.milli, 10);
	ASSERT_INT(q.nano, 9559630);

	ASSERT_INT(quantity_parse("22244Ki", &q, NULL), 0);
	ASSERT(quantity_value(&q) == 22777856.0);

	ASSERT_INT(quantity_parse("-0.5", &q, NULL), 0);
	ASSERT_INT(q.milli, -500);
	ASSERT_INT(q.whole, 0);
	ASSERT_INT(q.frac, -500000000);
	ASSERT(quantity_value(&q) == -0.5);

	ASSERT_INT(quantity_parse("1e3", &q, NULL), 0);
	ASSERT_INT(q.format, QUANTITY_DECIMAL_EXP);
	ASSERT_INT(q.milli, 1000000);
	/* "E" followed by digits is an exponent, not exa. */
	ASSERT_INT(quantity_parse("1E3", &q, NULL), 0);
	ASSERT_INT(q.format, QUANTITY_DECIMAL_EXP);
	ASSERT_INT(q.whole, 1000);
	ASSERT_INT(quantity_parse("1E", &q, NULL), 0);
	ASSERT_INT(q.format, QUANTITY_DECIMAL_SI);
	ASSERT_INT(q.whole, 1000000000000000000LL);

	/* Trolls: "1." and "1.G" are numbers. */
	ASSERT_INT(quantity_parse("1.", &q, NULL), 0);
	ASSERT_INT(q.whole, 1);
	ASSERT_INT(quantity_parse("1.G", &q, NULL), 0);
	ASSERT_INT(q.whole, 1000000000);

	/* A binary value below 1 is DecimalSI already after parsing. */
	ASSERT_INT(quantity_parse("0.5Ki", &q, NULL), 0);
	ASSERT_INT(q.format, QUANTITY_BINARY_SI);
	ASSERT_INT(quantity_parse("0.0001Ki", &q, NULL), 0);
	ASSERT_INT(q.format, QUANTITY_DECIMAL_SI);
}

/* Our contract, not apimachinery's (it lets decimal values grow): every
 * field saturates at 2^63-1 units. */
TEST(saturate)
{
	struct quantity	 q;
	char		 buf[64];

	ASSERT_INT(quantity_parse("10E", &q, NULL), 0);
	ASSERT_INT(q.whole, INT64_MAX);
	ASSERT_INT(q.milli, INT64_MAX);
	ASSERT_INT(q.nano, INT64_MAX);
	ASSERT_STR(quantity_format(&q, buf, sizeof buf), "9223372036854775807");

	ASSERT_INT(quantity_parse("-1e100", &q, NULL), 0);
	ASSERT_INT(q.whole, -INT64_MAX);
	ASSERT_INT(q.milli, -INT64_MAX);

	ASSERT_INT(quantity_parse("1e-2147483647", &q, NULL), 0);
	ASSERT_STR(quantity_format(&q, buf, sizeof buf), "1e-9");

	ASSERT_INT(quantity_parse(
	    "123456789012345678901234567890123456789012345678901234567890",
	    &q, NULL), 0);
	ASSERT_INT(q.whole, INT64_MAX);

	/* Many digits after the point still round up exactly. */
	ASSERT_INT(quantity_parse(
	    "0.000000000000000000000000000000000000000000000000000001Gi",
	    &q, NULL), 0);
	ASSERT_STR(quantity_format(&q, buf, sizeof buf), "1n");
	ASSERT_INT(quantity_parse("2.000000000000000000000000000000000001",
	    &q, NULL), 0);
	ASSERT_STR(quantity_format(&q, buf, sizeof buf), "2000000001n");
}

TEST(format_from_milli_or_nano)
{
	struct quantity	 q;
	char		 buf[64];

	memset(&q, 0, sizeof q);
	q.milli = 250;
	ASSERT_STR(quantity_format(&q, buf, sizeof buf), "250m");
	ASSERT(quantity_value(&q) == 0.25);

	memset(&q, 0, sizeof q);
	q.nano = 9559630;
	ASSERT_STR(quantity_format(&q, buf, sizeof buf), "9559630n");

	memset(&q, 0, sizeof q);
	q.milli = 2048000;
	q.format = QUANTITY_BINARY_SI;
	ASSERT_STR(quantity_format(&q, buf, sizeof buf), "2Ki");

	memset(&q, 0, sizeof q);
	ASSERT_STR(quantity_format(&q, buf, sizeof buf), "0");
}

TEST(format_small_buffer)
{
	struct quantity	 q;
	char		 buf[4];

	ASSERT_INT(quantity_parse("1536Mi", &q, NULL), 0);
	ASSERT_STR(quantity_format(&q, buf, sizeof buf), "153");
	ASSERT(quantity_format(&q, buf, 0) == buf);
}

int
main(void)
{
	RUN(format_table);
	RUN(error_table);
	RUN(error_null_and_long);
	RUN(values);
	RUN(saturate);
	RUN(format_from_milli_or_nano);
	RUN(format_small_buffer);
	return TEST_EXIT();
}
