/* tests/kube-fixture.h: recorded Kubernetes responses and inline JSON for
 * test-decode-kube.c and test-decode-kube-pod.c. Every json_t returned is
 * new: the caller decrefs it. */
#ifndef WARROOM_TEST_KUBE_FIXTURE_H
#define WARROOM_TEST_KUBE_FIXTURE_H

#include <time.h>

#include <jansson.h>

/* The time the fixtures were "recorded": 2026-11-28T14:40:00Z. */
#define FIXTURE_NOW	((time_t)1795876800)

/* The fixture directory (static storage). */
const char	*fixture_dir(void);
/* A fixture file as JSON; NULL (after saying why) if unreadable. */
json_t		*fixture(const char *name);
/* A watch stream (one JSON object per line) as an array of events. */
json_t		*fixture_lines(const char *name);
/* Inline JSON of any type; NULL for the literal "NULL". */
json_t		*js(const char *s);
/* Whether obj[key] is the string value. */
int		 json_has(json_t *obj, const char *key, const char *value);
/* The item of a list whose metadata.name is name (borrowed), or NULL. */
json_t		*find_item(json_t *list, const char *name);

#endif
