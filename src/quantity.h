/* quantity.h: Kubernetes resource quantities ("500m", "4Gi", "1e3"), parsed
 * and printed as apimachinery does. */
#ifndef WARROOM_QUANTITY_H
#define WARROOM_QUANTITY_H

#include <stddef.h>
#include <stdint.h>

enum quantity_format {
	QUANTITY_DECIMAL_SI,	/* k, M, G, m, u, n */
	QUANTITY_BINARY_SI,	/* Ki, Mi, Gi */
	QUANTITY_DECIMAL_EXP	/* e3 */
};

struct quantity {
	int64_t		 milli;		/* value x 1000, saturating; exact for >= 1m */
	int64_t		 nano;		/* value x 1e9, saturating */
	enum quantity_format format;
	int64_t		 whole;		/* integer part, saturating */
	int32_t		 frac;		/* the rest x 1e9, same sign */
};

/* Parse; returns 0, or -1 and a new *cause ("invalid quantity \"4GB\": ..."). */
int	 quantity_parse(const char *s, struct quantity *q, char **cause);
/* Canonical form (as the API server would store it) into buf. Printed from
 * whole and frac; if both are 0, from nano (or milli when nano is 0 or
 * saturated), so a caller may fill milli or nano alone. */
const char *quantity_format(const struct quantity *q, char *buf, size_t len);
/* Value in bytes/cores as a double, for ratios. */
double	 quantity_value(const struct quantity *q);

#endif
