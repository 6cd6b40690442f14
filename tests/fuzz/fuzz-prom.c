/* fuzz-prom.c: Prometheus answers (query, query_range, rules) as the
 * decoders see them, under the HTTP status the first byte picks. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "decode-prom.h"
#include "fuzz-common.h"

static const int statuses[] = { 200, 400, 422, 503, 404, 0 };

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct prom_result	 r = { 0 };
	struct prom_rule	*rules = NULL;
	const char		*body = (const char *)data;
	char			*err = NULL;
	int			 n = -1, status = 200, i, j, rv;

	if (size > 0 && data[0] < 6) {
		status = statuses[data[0]];
		body++;
		size--;
	}
	rv = prom_decode_query(body, size, status, &r, &err);
	FUZZ_CHECK(rv == 0 || rv == -1);
	FUZZ_CHECK((rv == 0) == (err == NULL));
	if (rv == -1)
		FUZZ_CHECK(r.nseries == 0 && r.series == NULL);
	for (i = 0; i < r.nseries; i++) {
		FUZZ_CHECK(r.series[i].nlabels >= 0);
		/* Labels sorted by name, as the header promises. */
		for (j = 1; j < r.series[i].nlabels; j++)
			FUZZ_CHECK(strcmp(r.series[i].labels[j - 1].k,
			    r.series[i].labels[j].k) <= 0);
		(void)prom_label(&r.series[i], "pod");
	}
	prom_result_free(&r);
	free(err);
	err = NULL;

	rv = prom_decode_rules(body, size, status, &rules, &n, &err);
	FUZZ_CHECK(rv == 0 || rv == -1);
	FUZZ_CHECK((rv == 0) == (err == NULL));
	if (rv == 0)
		FUZZ_CHECK(n >= 0);
	for (i = 0; rv == 0 && i < n; i++)
		(void)prom_kv_get(rules[i].labels, rules[i].nlabels, "severity");
	prom_rules_free(rules, rv == 0 ? n : 0);
	free(err);
	return 0;
}
