/* tests/prom-fixture.h: recorded Prometheus and Alertmanager answers and
 * the checks every decoder test shares (test-decode-prom.c,
 * test-decode-am.c). Strings returned are new: the caller frees them. */
#ifndef WARROOM_TEST_PROM_FIXTURE_H
#define WARROOM_TEST_PROM_FIXTURE_H

#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "decode-am.h"
#include "decode-prom.h"

/* The silence of the recording, and the alert it silences. */
#define SILENCE_ID	"e5fb3f4b-a337-4e46-b6b7-01c1841c1730"
#define T_19_15_36	((time_t)1795893336)	/* 2026-11-28T19:15:36Z */

/* A decoder's error must be this exact line; it is freed either way. */
#define ASSERT_ERR(expr, want) do {					\
	char		*_e = (expr);					\
	const char	*_w = (want);					\
	if (_e == NULL || strcmp(_e, _w) != 0) {			\
		printf("FAIL: %s: %s:%d: error \"%s\" != \"%s\"\n",	\
		    test_name, __FILE__, __LINE__,			\
		    _e != NULL ? _e : "(none)", _w);			\
		free(_e);						\
		test_failed_here = 1;					\
		return;							\
	}								\
	free(_e);							\
} while (0)

/* The same for an error that must start with want. */
#define ASSERT_ERR_PREFIX(expr, want) do {				\
	char		*_e = (expr);					\
	const char	*_w = (want);					\
	if (_e == NULL || strncmp(_e, _w, strlen(_w)) != 0) {		\
		printf("FAIL: %s: %s:%d: error \"%s\" lacks \"%s\"\n",	\
		    test_name, __FILE__, __LINE__,			\
		    _e != NULL ? _e : "(none)", _w);			\
		free(_e);						\
		test_failed_here = 1;					\
		return;							\
	}								\
	free(_e);							\
} while (0)

enum decoder {
	D_QUERY,
	D_RULES,
	D_ALERTS,
	D_SILENCES,
	D_SILENCE_ID
};

/* The fixture directory (static storage). */
const char	*fixture_dir(void);
/* A recorded body, byte for byte, NUL-terminated; NULL if unreadable. */
char		*fixture(const char *name, size_t *len);
/* Whether s is one non-empty line. */
int		 one_line(const char *s);
/* Run a decoder on an answer that must fail: the error (new) if it
 * returned -1, left its outputs empty and the error is one line; NULL
 * (after saying why) otherwise. */
char		*decode_err(enum decoder, const char *body, size_t len,
		    int status);
char		*str_err(enum decoder, const char *body, int status);
char		*fixture_err(enum decoder, const char *name, int status);
/* Decode a recorded answer with status 200; -2 if the file is missing. */
int		 query_fixture(const char *name, struct prom_result *);
int		 query_str(const char *body, struct prom_result *);
int		 rules_fixture(const char *name, struct prom_rule **, int *n);
int		 alerts_fixture(const char *name, struct am_alert **, int *n);
int		 silences_fixture(const char *name, struct am_silence **,
		    int *n);
/* Elements by a label, a fingerprint or a name (borrowed), or NULL. */
const struct prom_series *find_series(const struct prom_result *,
		    const char *label, const char *v);
const struct am_alert *find_alert(const struct am_alert *, int n,
		    const char *fingerprint);
const struct prom_rule *find_rule(const struct prom_rule *, int n,
		    const char *name);
int		 starts_with(const char *s, const char *prefix);
/* Whether kv is sorted by name, without duplicates. */
int		 kv_sorted(const struct prom_kv *, int n);

#endif
