/* decode-prom-private.h: labels and annotations from JSON, which the
 * Prometheus and Alertmanager decoders share; nothing else includes it. */
#ifndef WARROOM_DECODE_PROM_PRIVATE_H
#define WARROOM_DECODE_PROM_PRIVATE_H

#include <jansson.h>

#include "decode-prom.h"
#include "jdec.h"

/* An object of strings (labels, annotations) into a new array sorted by
 * name; an absent (NULL) object gives none. Free with prom_kvs_free. */
void	 prom_kvs_decode(struct jdec *, json_t *obj, const char *where,
	    struct prom_kv **kv, int *n);
void	 prom_kvs_free(struct prom_kv *, int n);

#endif
