/* snapshot.h: the model as one JSON object (warroom snapshot --json). */
#ifndef WARROOM_SNAPSHOT_H
#define WARROOM_SNAPSHOT_H

#include <jansson.h>
#include <stdio.h>
#include <time.h>

struct model;

/* Write one JSON object with sources, pods, deployments (DESIGN.md schema),
 * sorted by namespace and name, to f piece by piece, so that memory stays
 * small for 10,000 pods. Returns 0, or -1 on a write error (errno set). */
int	 snapshot_write(FILE *f, const struct model *, time_t now);

#endif
