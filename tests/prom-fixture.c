/* tests/prom-fixture.c: the answers the real Prometheus and Alertmanager
 * gave (tests/fixtures/prom, from $TEST_SRCDIR or beside this file), fed to
 * the decoders, for test-decode-prom.c and test-decode-am.c. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "decode-am.h"
#include "decode-prom.h"
#include "warroom.h"
#include "prom-fixture.h"

static char	fixture_dirbuf[PATH_MAX];

const char *
fixture_dir(void)
{
	const char	*env = getenv("TEST_SRCDIR"), *slash;

	if (fixture_dirbuf[0] != '\0')
		return fixture_dirbuf;
	if (env != NULL && *env != '\0') {
		snprintf(fixture_dirbuf, sizeof fixture_dirbuf,
		    "%s/fixtures/prom", env);
		if (access(fixture_dirbuf, R_OK) != 0) {
			snprintf(fixture_dirbuf, sizeof fixture_dirbuf,
			    "%s/tests/fixtures/prom", env);
		}
	} else if ((slash = strrchr(__FILE__, '/')) != NULL) {
		snprintf(fixture_dirbuf, sizeof fixture_dirbuf,
		    "%.*s/fixtures/prom", (int)(slash - __FILE__), __FILE__);
	} else
		snprintf(fixture_dirbuf, sizeof fixture_dirbuf, "%s",
		    "fixtures/prom");
	return fixture_dirbuf;
}

/* A recorded body, byte for byte, NUL-terminated; NULL if unreadable. */
char *
fixture(const char *name, size_t *len)
{
	char	 path[PATH_MAX], *buf = NULL;
	size_t	 cap = 0, n;
	FILE	*f;

	*len = 0;
	if (snprintf(path, sizeof path, "%s/%s", fixture_dir(), name) >=
	    (int)sizeof path || (f = fopen(path, "rb")) == NULL) {
		printf("# %s: cannot open\n", path);
		return NULL;
	}
	do {
		if (*len + 4096 + 1 > cap) {
			cap = (*len + 4096 + 1) * 2;
			buf = xrealloc(buf, cap);
		}
		n = fread(buf + *len, 1, 4096, f);
		*len += n;
	} while (n > 0);
	fclose(f);
	buf[*len] = '\0';
	return buf;
}

int
one_line(const char *s)
{
	return s != NULL && *s != '\0' && strpbrk(s, "\r\n") == NULL;
}

/*
 * Run a decoder on an answer that must fail. Returns the error (new) if it
 * returned -1, left its outputs empty and the error is one line; NULL
 * (after saying why) otherwise.
 */
char *
decode_err(enum decoder which, const char *body, size_t len, int status)
{
	struct prom_result	 r;
	struct prom_rule	*rules = (void *)1;
	struct am_alert		*alerts = (void *)1;
	struct am_silence	*silences = (void *)1;
	char			*err = NULL, *id = (void *)1;
	int			 rc = 0, n = -1, empty = 0;

	switch (which) {
	case D_QUERY:
		memset(&r, 0xa5, sizeof r);
		rc = prom_decode_query(body, len, status, &r, &err);
		empty = r.series == NULL && r.nseries == 0 &&
		    r.string == NULL && r.warnings == NULL;
		if (rc == 0)
			prom_result_free(&r);
		break;
	case D_RULES:
		rc = prom_decode_rules(body, len, status, &rules, &n, &err);
		empty = rules == NULL && n == 0;
		if (rc == 0)
			prom_rules_free(rules, n);
		break;
	case D_ALERTS:
		rc = am_decode_alerts(body, len, status, &alerts, &n, &err);
		empty = alerts == NULL && n == 0;
		if (rc == 0)
			am_alerts_free(alerts, n);
		break;
	case D_SILENCES:
		rc = am_decode_silences(body, len, status, &silences, &n, &err);
		empty = silences == NULL && n == 0;
		if (rc == 0)
			am_silences_free(silences, n);
		break;
	case D_SILENCE_ID:
		rc = am_decode_silence_id(body, len, status, &id, &err);
		empty = id == NULL;
		if (rc == 0)
			free(id);
		break;
	}
	if (rc != -1 || !empty || !one_line(err)) {
		printf("# decoder %d: rc %d, outputs %s, error \"%s\"\n", which,
		    rc, empty ? "empty" : "NOT EMPTY", err ? err : "(none)");
		free(err);
		return NULL;
	}
	return err;
}

char *
str_err(enum decoder which, const char *body, int status)
{
	return decode_err(which, body, strlen(body), status);
}

char *
fixture_err(enum decoder which, const char *name, int status)
{
	char	*body, *err;
	size_t	 len;

	if ((body = fixture(name, &len)) == NULL)
		return NULL;
	err = decode_err(which, body, len, status);
	free(body);
	return err;
}

/* Decode a recorded query answer; -2 if the file is missing. */
int
query_fixture(const char *name, struct prom_result *r)
{
	char	*body, *err = NULL;
	size_t	 len;
	int	 rc;

	memset(r, 0, sizeof *r);
	if ((body = fixture(name, &len)) == NULL)
		return -2;
	if ((rc = prom_decode_query(body, len, 200, r, &err)) != 0)
		printf("# %s: %s\n", name, err);
	free(err);
	free(body);
	return rc;
}

int
query_str(const char *body, struct prom_result *r)
{
	char	*err = NULL;
	int	 rc;

	if ((rc = prom_decode_query(body, strlen(body), 200, r, &err)) != 0)
		printf("# %s\n", err);
	free(err);
	return rc;
}

int
rules_fixture(const char *name, struct prom_rule **rules, int *n)
{
	char	*body, *err = NULL;
	size_t	 len;
	int	 rc;

	*rules = NULL;
	*n = 0;
	if ((body = fixture(name, &len)) == NULL)
		return -2;
	if ((rc = prom_decode_rules(body, len, 200, rules, n, &err)) != 0)
		printf("# %s: %s\n", name, err);
	free(err);
	free(body);
	return rc;
}

int
alerts_fixture(const char *name, struct am_alert **alerts, int *n)
{
	char	*body, *err = NULL;
	size_t	 len;
	int	 rc;

	*alerts = NULL;
	*n = 0;
	if ((body = fixture(name, &len)) == NULL)
		return -2;
	if ((rc = am_decode_alerts(body, len, 200, alerts, n, &err)) != 0)
		printf("# %s: %s\n", name, err);
	free(err);
	free(body);
	return rc;
}

int
silences_fixture(const char *name, struct am_silence **s, int *n)
{
	char	*body, *err = NULL;
	size_t	 len;
	int	 rc;

	*s = NULL;
	*n = 0;
	if ((body = fixture(name, &len)) == NULL)
		return -2;
	if ((rc = am_decode_silences(body, len, 200, s, n, &err)) != 0)
		printf("# %s: %s\n", name, err);
	free(err);
	free(body);
	return rc;
}

const struct prom_series *
find_series(const struct prom_result *r, const char *label, const char *v)
{
	const char	*got;
	int		 i;

	for (i = 0; i < r->nseries; i++) {
		got = prom_label(&r->series[i], label);
		if (got != NULL && strcmp(got, v) == 0)
			return &r->series[i];
	}
	return NULL;
}

const struct am_alert *
find_alert(const struct am_alert *a, int n, const char *fingerprint)
{
	int	 i;

	for (i = 0; i < n; i++) {
		if (strcmp(a[i].fingerprint, fingerprint) == 0)
			return &a[i];
	}
	return NULL;
}

const struct prom_rule *
find_rule(const struct prom_rule *r, int n, const char *name)
{
	int	 i;

	for (i = 0; i < n; i++) {
		if (strcmp(r[i].name, name) == 0)
			return &r[i];
	}
	return NULL;
}

int
starts_with(const char *s, const char *prefix)
{
	return s != NULL && strncmp(s, prefix, strlen(prefix)) == 0;
}

int
kv_sorted(const struct prom_kv *kv, int n)
{
	int	 i;

	for (i = 1; i < n; i++) {
		if (strcmp(kv[i - 1].k, kv[i].k) >= 0)
			return 0;
	}
	return 1;
}
