/* fuzz-am.c: Alertmanager answers (alerts, silences, a new silence's id)
 * as the decoders see them, under the HTTP status the first byte picks,
 * and the body of a new silence made from what was decoded. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "decode-am.h"
#include "fuzz-common.h"

static const int statuses[] = { 200, 400, 422, 503, 404, 0 };

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct am_alert		*alerts = NULL;
	struct am_silence	*sil = NULL;
	json_t			*j;
	const char		*body = (const char *)data;
	char			*err = NULL, *id = NULL, *post;
	int			 n = -1, status = 200, i, k, rv;

	if (size > 0 && data[0] < 6) {
		status = statuses[data[0]];
		body++;
		size--;
	}
	rv = am_decode_alerts(body, size, status, &alerts, &n, &err);
	FUZZ_CHECK(rv == 0 || rv == -1);
	FUZZ_CHECK((rv == 0) == (err == NULL));
	for (i = 0; rv == 0 && i < n; i++) {
		for (k = 1; k < alerts[i].nlabels; k++)
			FUZZ_CHECK(strcmp(alerts[i].labels[k - 1].k,
			    alerts[i].labels[k].k) <= 0);
		(void)prom_kv_get(alerts[i].labels, alerts[i].nlabels,
		    "alertname");
		/* What the silence action would send: valid JSON. */
		post = am_silence_body(alerts[i].labels, alerts[i].nlabels,
		    alerts[i].starts_at, alerts[i].ends_at, "fuzz", "c");
		FUZZ_CHECK(post != NULL);
		j = json_loads(post, 0, NULL);
		FUZZ_CHECK(j != NULL);
		json_decref(j);
		free(post);
	}
	am_alerts_free(alerts, rv == 0 ? n : 0);
	free(err);
	err = NULL;

	rv = am_decode_silences(body, size, status, &sil, &n, &err);
	FUZZ_CHECK(rv == 0 || rv == -1);
	FUZZ_CHECK((rv == 0) == (err == NULL));
	am_silences_free(sil, rv == 0 ? n : 0);
	free(err);
	err = NULL;

	rv = am_decode_silence_id(body, size, status, &id, &err);
	FUZZ_CHECK(rv == 0 || rv == -1);
	FUZZ_CHECK((rv == 0) == (err == NULL));
	FUZZ_CHECK((rv == 0) == (id != NULL));
	free(id);
	free(err);
	return 0;
}
