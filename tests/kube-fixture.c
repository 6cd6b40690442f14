/* tests/kube-fixture.c: the recorded Kubernetes responses of
 * tests/fixtures/kube ($TEST_SRCDIR, or beside this file) and inline JSON,
 * for the tests of the Kubernetes decoders. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "kube-fixture.h"

static char	fixture_dirbuf[PATH_MAX];

const char *
fixture_dir(void)
{
	const char	*env = getenv("TEST_SRCDIR"), *slash;

	if (fixture_dirbuf[0] != '\0')
		return fixture_dirbuf;
	if (env != NULL && *env != '\0') {
		snprintf(fixture_dirbuf, sizeof fixture_dirbuf,
		    "%s/fixtures/kube", env);
		if (access(fixture_dirbuf, R_OK) != 0) {
			snprintf(fixture_dirbuf, sizeof fixture_dirbuf,
			    "%s/tests/fixtures/kube", env);
		}
	} else if ((slash = strrchr(__FILE__, '/')) != NULL) {
		snprintf(fixture_dirbuf, sizeof fixture_dirbuf,
		    "%.*s/fixtures/kube", (int)(slash - __FILE__), __FILE__);
	} else
		snprintf(fixture_dirbuf, sizeof fixture_dirbuf, "%s",
		    "fixtures/kube");
	return fixture_dirbuf;
}

json_t *
fixture(const char *name)
{
	char		 path[PATH_MAX];
	json_error_t	 err;
	json_t		*j;

	snprintf(path, sizeof path, "%s/%s", fixture_dir(), name);
	if ((j = json_load_file(path, 0, &err)) == NULL)
		printf("# %s: %s (line %d)\n", path, err.text, err.line);
	return j;
}

/* A watch stream (one JSON object per line) as an array of events. */
json_t *
fixture_lines(const char *name)
{
	char		 path[PATH_MAX], *line = NULL;
	size_t		 cap = 0;
	json_error_t	 err;
	json_t		*arr, *j;
	FILE		*f;
	int		 lineno = 0;

	snprintf(path, sizeof path, "%s/%s", fixture_dir(), name);
	if ((f = fopen(path, "r")) == NULL) {
		printf("# %s: cannot open\n", path);
		return NULL;
	}
	arr = json_array();
	while (getline(&line, &cap, f) != -1) {
		lineno++;
		if (line[strspn(line, " \t\r\n")] == '\0')
			continue;
		if ((j = json_loads(line, 0, &err)) == NULL) {
			printf("# %s:%d: %s\n", path, lineno, err.text);
			json_decref(arr);
			arr = NULL;
			break;
		}
		json_array_append_new(arr, j);
	}
	free(line);
	fclose(f);
	return arr;
}

/* Inline JSON of any type; NULL for the literal "NULL". */
json_t *
js(const char *s)
{
	json_error_t	 err;
	json_t		*j;

	if (strcmp(s, "NULL") == 0)
		return NULL;
	if ((j = json_loads(s, JSON_DECODE_ANY, &err)) == NULL)
		printf("# bad test json %s: %s\n", s, err.text);
	return j;
}

/* Whether obj[key] is the string value. */
int
json_has(json_t *obj, const char *key, const char *value)
{
	const char	*s = json_string_value(json_object_get(obj, key));

	return s != NULL && strcmp(s, value) == 0;
}

json_t *
find_item(json_t *list, const char *name)
{
	json_t	*item;
	size_t	 i;

	json_array_foreach(json_object_get(list, "items"), i, item) {
		if (json_has(json_object_get(item, "metadata"), "name", name))
			return item;
	}
	return NULL;
}
