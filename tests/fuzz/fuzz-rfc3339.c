/* fuzz-rfc3339.c: the one RFC 3339 parser, strict and loose, and the
 * wrappers the decoders call; a time it accepts is in range. */
#include <stdint.h>
#include <stdlib.h>
#include <time.h>

#include "decode-kube.h"
#include "jdec.h"
#include "rfc3339.h"
#include "fuzz-common.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	*s = fuzz_str(data, size);
	time_t	 t = 12345, t2;
	long	 nsec = -7;
	int	 rv, flags;

	for (flags = 0; flags <= RFC3339_LOOSE; flags++) {
		t = 12345;
		nsec = -7;
		rv = rfc3339_parse(s, flags, &t, &nsec);
		FUZZ_CHECK(rv == 0 || rv == -1);
		if (rv == -1) {
			FUZZ_CHECK(t == 12345 && nsec == -7);
			continue;
		}
		FUZZ_CHECK(nsec >= 0 && nsec < 1000000000L);
		/* Years 0000-9999, give or take a day of offset. */
		FUZZ_CHECK(t >= -62167219200LL - 86400 &&
		    t <= 253402300799LL + 86400);
		FUZZ_CHECK(rfc3339_parse(s, flags, &t2, NULL) == 0 && t2 == t);
	}
	(void)decode_kube_time(s);
	(void)jdec_parse_time(s, &t);
	free(s);
	return 0;
}
