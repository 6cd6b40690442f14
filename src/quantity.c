/* quantity.c: Kubernetes resource quantities, parsed and printed the way
 * apimachinery's resource.Quantity does it (k8s-api.md 5). Values are exact
 * to the nano (rounded up in magnitude below that) and capped at 2^63-1. */
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "quantity.h"
#include "warroom.h"

typedef unsigned __int128 u128;

#define QUANTITY_NANO		1000000000ULL
#define QUANTITY_CAP		((u128)INT64_MAX * QUANTITY_NANO)
#define QUANTITY_CAP_DIGITS	28	/* digits of QUANTITY_CAP */
#define QUANTITY_MAX_EXP	2147483647LL	/* larger is refused */
#define QUANTITY_SHOW		64	/* input shown in errors */

struct quantity_suffix {
	const char		*name;
	enum quantity_format	 format;
	int			 exp10;		/* DecimalSI: 10^n */
	int			 exp2;		/* BinarySI: 2^n */
};

static const struct quantity_suffix quantity_suffixes[] = {
	{ "n", QUANTITY_DECIMAL_SI, -9, 0 },
	{ "u", QUANTITY_DECIMAL_SI, -6, 0 },
	{ "m", QUANTITY_DECIMAL_SI, -3, 0 },
	{ "", QUANTITY_DECIMAL_SI, 0, 0 },
	{ "k", QUANTITY_DECIMAL_SI, 3, 0 },
	{ "M", QUANTITY_DECIMAL_SI, 6, 0 },
	{ "G", QUANTITY_DECIMAL_SI, 9, 0 },
	{ "T", QUANTITY_DECIMAL_SI, 12, 0 },
	{ "P", QUANTITY_DECIMAL_SI, 15, 0 },
	{ "E", QUANTITY_DECIMAL_SI, 18, 0 },
	{ "Ki", QUANTITY_BINARY_SI, 0, 10 },
	{ "Mi", QUANTITY_BINARY_SI, 0, 20 },
	{ "Gi", QUANTITY_BINARY_SI, 0, 30 },
	{ "Ti", QUANTITY_BINARY_SI, 0, 40 },
	{ "Pi", QUANTITY_BINARY_SI, 0, 50 },
	{ "Ei", QUANTITY_BINARY_SI, 0, 60 },
};

/* Printed suffixes, by power of 1024 and by (power of ten + 9) / 3. */
static const char *quantity_bin_names[] = {
	"", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"
};
static const char *quantity_dec_names[] = {
	"n", "u", "m", "", "k", "M", "G", "T", "P", "E"
};

static int
quantity_error(char **cause, const char *s, const char *fmt, ...)
{
	va_list	 ap;
	char	*why;
	size_t	 len = strlen(s);

	if (cause == NULL)
		return -1;
	va_start(ap, fmt);
	xvasprintf(&why, fmt, ap);
	va_end(ap);
	xasprintf(cause, "invalid quantity \"%.*s%s\": %s",
	    (int)(len > QUANTITY_SHOW ? QUANTITY_SHOW : len), s,
	    len > QUANTITY_SHOW ? "..." : "", why);
	free(why);
	return -1;
}

static int
quantity_isdigit(char c)
{
	return c >= '0' && c <= '9';
}

/* Multiply a little-endian decimal digit array by m (<= 1024) in place; the
 * array must have room for 4 more digits. */
static void
quantity_digits_mul(unsigned char *d, size_t *n, unsigned m)
{
	unsigned	 carry = 0, v;
	size_t		 i;

	for (i = 0; i < *n; i++) {
		v = d[i] * m + carry;
		d[i] = v % 10;
		carry = v / 10;
	}
	while (carry != 0) {
		d[(*n)++] = carry % 10;
		carry /= 10;
	}
}

/* ceil(digits x 10^scale), saturated at QUANTITY_CAP. */
static u128
quantity_digits_value(const unsigned char *d, size_t n, long long scale)
{
	u128	 v = 0;
	size_t	 drop = 0, i;
	int	 sticky = 0;

	if (n == 0)
		return 0;
	if (scale >= 0) {
		if ((long long)n + scale > QUANTITY_CAP_DIGITS)
			return QUANTITY_CAP;
	} else {
		if (-scale >= (long long)n)
			return 1;	/* a non-zero value below 1n */
		drop = (size_t)-scale;
		if (n - drop > QUANTITY_CAP_DIGITS)
			return QUANTITY_CAP;
		for (i = 0; i < drop; i++) {
			if (d[i] != 0)
				sticky = 1;
		}
	}
	for (i = n; i > drop; i--)
		v = v * 10 + d[i - 1];
	for (; scale > 0; scale--)
		v *= 10;
	v += sticky;
	return v > QUANTITY_CAP ? QUANTITY_CAP : v;
}

static uint64_t
quantity_abs64(int64_t v)
{
	return v < 0 ? (uint64_t)-(v + 1) + 1 : (uint64_t)v;
}

/* Fill every field of q from a magnitude in nano units and a sign. */
static void
quantity_set(struct quantity *q, u128 n, int neg, enum quantity_format format)
{
	u128	 milli;

	if (n > QUANTITY_CAP)
		n = QUANTITY_CAP;
	milli = (n + 999999) / 1000000;	/* up, as MilliValue() */
	q->whole = (int64_t)(n / QUANTITY_NANO);
	q->frac = (int32_t)(n % QUANTITY_NANO);
	q->nano = n > INT64_MAX ? INT64_MAX : (int64_t)n;
	q->milli = milli > INT64_MAX ? INT64_MAX : (int64_t)milli;
	if (neg) {
		q->whole = -q->whole;
		q->frac = -q->frac;
		q->nano = -q->nano;
		q->milli = -q->milli;
	}
	/* A binary value below 1 is kept as DecimalSI, as apimachinery does. */
	if (format == QUANTITY_BINARY_SI && n != 0 && n < QUANTITY_NANO)
		format = QUANTITY_DECIMAL_SI;
	q->format = format;
}

/* The exact magnitude of q in nano units, and its sign. */
static u128
quantity_exact(const struct quantity *q, int *neg)
{
	if (q->whole != 0 || q->frac != 0) {
		*neg = q->whole < 0 || q->frac < 0;
		return (u128)quantity_abs64(q->whole) * QUANTITY_NANO +
		    quantity_abs64(q->frac);
	}
	if (q->nano != 0 && q->nano != INT64_MAX && q->nano > -INT64_MAX) {
		*neg = q->nano < 0;
		return quantity_abs64(q->nano);
	}
	*neg = q->milli < 0;
	return (u128)quantity_abs64(q->milli) * 1000000;
}

/* Parse "[+-]digits" to the end of s as an exponent in +-QUANTITY_MAX_EXP.
 * Returns 0, -1 if it is not a number, -2 if it is out of range. */
static int
quantity_parse_exp(const char *s, long long *exp)
{
	long long	 v = 0;
	int		 neg = 0;

	if (*s == '+' || *s == '-')
		neg = (*s++ == '-');
	if (!quantity_isdigit(*s))
		return -1;
	for (; quantity_isdigit(*s); s++) {
		v = v * 10 + (*s - '0');
		if (v > QUANTITY_MAX_EXP) {
			while (quantity_isdigit(*s))
				s++;
			return *s == '\0' ? -2 : -1;
		}
	}
	if (*s != '\0')
		return -1;
	*exp = neg ? -v : v;
	return 0;
}

/*
 * Parse s as apimachinery's ParseQuantity does: <sign><number><suffix> with
 * no surrounding space. On success fills q and returns 0; otherwise returns -1
 * and, if cause is not NULL, a new message in *cause.
 */
int
quantity_parse(const char *s, struct quantity *q, char **cause)
{
	const struct quantity_suffix	*sx = NULL;
	const char			*p, *intp, *fracp = NULL, *suffix;
	enum quantity_format		 format;
	unsigned char			*d;
	size_t				 nint, nfrac = 0, n = 0, i;
	long long			 exp = 0, scale;
	int				 neg = 0, exp2 = 0;
	u128				 value;

	memset(q, 0, sizeof *q);
	if (s == NULL || *s == '\0')
		return quantity_error(cause, "", "empty string");

	p = s;
	if (*p == '+' || *p == '-')
		neg = (*p++ == '-');
	for (intp = p; quantity_isdigit(*p); p++)
		/* nothing */;
	nint = p - intp;
	if (*p == '.') {
		for (fracp = ++p; quantity_isdigit(*p); p++)
			/* nothing */;
		nfrac = p - fracp;
	}
	if (nint + nfrac == 0)
		return quantity_error(cause, s, "expected a number");

	suffix = p;
	for (i = 0; i < nitems(quantity_suffixes); i++) {
		if (strcmp(suffix, quantity_suffixes[i].name) == 0) {
			sx = &quantity_suffixes[i];
			break;
		}
	}
	if (sx != NULL) {
		format = sx->format;
		exp = sx->exp10;
		exp2 = sx->exp2;
	} else if ((suffix[0] == 'e' || suffix[0] == 'E') &&
	    suffix[1] != '\0') {
		switch (quantity_parse_exp(suffix + 1, &exp)) {
		case -1:
			return quantity_error(cause, s, "unknown suffix \"%s\"",
			    suffix);
		case -2:
			return quantity_error(cause, s,
			    "exponent out of range");
		}
		format = QUANTITY_DECIMAL_EXP;
	} else {
		return quantity_error(cause, s, "unknown suffix \"%.*s\"",
		    QUANTITY_SHOW, suffix);
	}

	/* The digits, little-endian, without leading zeros. */
	d = xmalloc(nint + nfrac + 32);
	for (i = nfrac; i > 0; i--)
		d[n++] = fracp[i - 1] - '0';
	for (i = nint; i > 0; i--)
		d[n++] = intp[i - 1] - '0';
	while (n > 0 && d[n - 1] == 0)
		n--;
	for (; exp2 > 0 && n > 0; exp2 -= 10)
		quantity_digits_mul(d, &n, 1024);

	/* value x 1e9 = digits x 10^(exp - nfrac + 9) */
	scale = exp - (long long)nfrac + 9;
	value = quantity_digits_value(d, n, scale);
	free(d);

	quantity_set(q, value, neg, format);
	return 0;
}

static void
quantity_u128_str(u128 v, char *out, size_t len)
{
	char	 tmp[48];
	size_t	 i = sizeof tmp;

	tmp[--i] = '\0';
	do {
		tmp[--i] = '0' + (int)(v % 10);
		v /= 10;
	} while (v != 0);
	snprintf(out, len, "%s", tmp + i);
}

/*
 * The canonical form, as apimachinery's Quantity.String(): the largest
 * suffix of the value's format that leaves no fractional digits. BinarySI
 * values below 1024 in magnitude, or not whole, are printed as DecimalSI.
 * Returns buf.
 */
const char *
quantity_format(const struct quantity *q, char *buf, size_t len)
{
	enum quantity_format	 format = q->format;
	char			 digits[48], exps[16];
	const char		*suffix = "";
	u128			 n, m;
	int			 neg, e;

	n = quantity_exact(q, &neg);
	if (n == 0) {
		snprintf(buf, len, "0");
		return buf;
	}
	if (format == QUANTITY_BINARY_SI &&
	    (n < 1024 * (u128)QUANTITY_NANO || n % QUANTITY_NANO != 0))
		format = QUANTITY_DECIMAL_SI;

	if (format == QUANTITY_BINARY_SI) {
		m = n / QUANTITY_NANO;
		for (e = 0; e < 6 && m % 1024 == 0; e++)
			m /= 1024;
		suffix = quantity_bin_names[e];
	} else {
		m = n;
		for (e = -9; m % 10 == 0; e++)
			m /= 10;
		while (e % 3 != 0) {
			m *= 10;
			e--;
		}
		if (format == QUANTITY_DECIMAL_SI)
			suffix = quantity_dec_names[(e + 9) / 3];
		else if (e != 0) {
			snprintf(exps, sizeof exps, "e%d", e);
			suffix = exps;
		}
	}
	quantity_u128_str(m, digits, sizeof digits);
	snprintf(buf, len, "%s%s%s", neg ? "-" : "", digits, suffix);
	return buf;
}

/* The value as a double (cores, bytes), for ratios and bars. */
double
quantity_value(const struct quantity *q)
{
	u128	 n;
	int	 neg;
	double	 v;

	n = quantity_exact(q, &neg);
	v = (double)(n / QUANTITY_NANO) + (double)(n % QUANTITY_NANO) / 1e9;
	return neg ? -v : v;
}
