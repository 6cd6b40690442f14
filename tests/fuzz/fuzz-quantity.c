/* fuzz-quantity.c: Kubernetes quantities ("500m", "4Gi", "1e3") parsed
 * and printed back, which must parse again to the same value; durations
 * of the config language ("2s", "500ms"); ages as kubectl prints them. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "fmt.h"
#include "quantity.h"
#include "fuzz-common.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct quantity	 q, q2;
	char		*s = fuzz_str(data, size), *cause = NULL, buf[64];
	char		 small[4];
	long		 secs;
	int		 rv;

	memset(&q, 0, sizeof q);
	rv = quantity_parse(s, &q, &cause);
	FUZZ_CHECK(rv == 0 || rv == -1);
	FUZZ_CHECK((rv == 0) == (cause == NULL));
	free(cause);
	cause = NULL;
	if (rv == 0) {
		FUZZ_CHECK(quantity_format(&q, buf, sizeof buf) == buf);
		FUZZ_CHECK(memchr(buf, '\0', sizeof buf) != NULL);
		(void)quantity_value(&q);
		(void)quantity_format(&q, small, sizeof small);
		FUZZ_CHECK(memchr(small, '\0', sizeof small) != NULL);
		/* The canonical form is a quantity too. */
		if (quantity_parse(buf, &q2, &cause) != 0) {
			fprintf(stderr, "\"%s\" printed as \"%s\": %s\n", s,
			    buf, cause);
			FUZZ_CHECK(!"canonical form parses");
		}
	}
	free(cause);

	(void)config_parse_duration(s);
	if (size >= sizeof secs) {
		memcpy(&secs, data, sizeof secs);
		FUZZ_CHECK(fmt_duration(secs, buf, sizeof buf) == buf);
		FUZZ_CHECK(memchr(buf, '\0', sizeof buf) != NULL);
		(void)fmt_duration(secs, small, sizeof small);
		FUZZ_CHECK(memchr(small, '\0', sizeof small) != NULL);
	}
	free(s);
	return 0;
}
