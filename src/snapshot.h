/* snapshot.h: the model as one JSON object (warroom snapshot --json). */
#ifndef WARROOM_SNAPSHOT_H
#define WARROOM_SNAPSHOT_H

#include <jansson.h>
#include <time.h>

struct model;

/* A new JSON object with sources, pods, deployments (DESIGN.md schema),
 * sorted by namespace and name. The caller owns it. */
json_t	*snapshot_json(const struct model *, time_t now);

#endif
