/* source.c: the table of data sources that main.c makes, starts,
 * refreshes and stops, in this order. A new source is one line here. */
#include <stddef.h>

#include "source.h"
#include "source-alerts.h"
#include "source-db.h"
#include "source-health.h"
#include "source-kube.h"
#include "source-prom.h"

const struct source_ops *const source_table[] = {
	&source_kube_ops,
	&source_prom_ops,
	&source_alerts_ops,
	&source_db_ops,
	&source_health_ops,
	NULL
};
