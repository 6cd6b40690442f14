/* tests/test-decode-prom.c: the Prometheus and Alertmanager decoders on the
 * answers the real servers gave (tests/fixtures/prom, from $TEST_SRCDIR or
 * beside this file), then on hand-written hostile ones, and the silence body
 * and time parser. Every error path is checked for one line and empty
 * outputs; ASan and valgrind check that nothing leaks. */
#include <limits.h>
#include <locale.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "decode-prom.h"
#include "warroom.h"
#include "test.h"

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

static char	fixture_dirbuf[PATH_MAX];

static const char *
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
static char *
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

static int
one_line(const char *s)
{
	return s != NULL && *s != '\0' && strpbrk(s, "\r\n") == NULL;
}

/*
 * Run a decoder on an answer that must fail. Returns the error (new) if it
 * returned -1, left its outputs empty and the error is one line; NULL
 * (after saying why) otherwise.
 */
static char *
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

static char *
str_err(enum decoder which, const char *body, int status)
{
	return decode_err(which, body, strlen(body), status);
}

static char *
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
static int
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

static int
query_str(const char *body, struct prom_result *r)
{
	char	*err = NULL;
	int	 rc;

	if ((rc = prom_decode_query(body, strlen(body), 200, r, &err)) != 0)
		printf("# %s\n", err);
	free(err);
	return rc;
}

static int
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

static int
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

static int
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

static const struct prom_series *
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

static const struct am_alert *
find_alert(const struct am_alert *a, int n, const char *fingerprint)
{
	int	 i;

	for (i = 0; i < n; i++) {
		if (strcmp(a[i].fingerprint, fingerprint) == 0)
			return &a[i];
	}
	return NULL;
}

static const struct prom_rule *
find_rule(const struct prom_rule *r, int n, const char *name)
{
	int	 i;

	for (i = 0; i < n; i++) {
		if (strcmp(r[i].name, name) == 0)
			return &r[i];
	}
	return NULL;
}

static int
starts_with(const char *s, const char *prefix)
{
	return s != NULL && strncmp(s, prefix, strlen(prefix)) == 0;
}

static int
kv_sorted(const struct prom_kv *kv, int n)
{
	int	 i;

	for (i = 1; i < n; i++) {
		if (strcmp(kv[i - 1].k, kv[i].k) >= 0)
			return 0;
	}
	return 1;
}

/* up: four targets, labels sorted, the instant's time with milliseconds. */
TEST(query_vector)
{
	struct prom_result	 r;
	const struct prom_series *s;
	int			 i;

	ASSERT_INT(query_fixture("query_vector.json", &r), 0);
	ASSERT_INT(r.type, PROM_VECTOR);
	ASSERT_INT(r.nseries, 4);
	ASSERT(r.string == NULL && r.warnings == NULL);
	for (i = 0; i < r.nseries; i++) {
		ASSERT_INT(r.series[i].nlabels, 3);
		ASSERT(kv_sorted(r.series[i].labels, r.series[i].nlabels));
		ASSERT_INT(r.series[i].npoints, 1);
		ASSERT(r.series[i].points[0].v == 1.0);
		ASSERT(r.series[i].points[0].t == 1795893356.943);
	}
	ASSERT_STR(r.series[0].labels[0].k, "__name__");
	ASSERT_STR(r.series[0].labels[1].k, "instance");
	ASSERT_STR(r.series[0].labels[2].k, "job");
	ASSERT_STR(prom_label(&r.series[0], "job"), "prometheus");
	ASSERT_STR(prom_label(&r.series[0], "instance"), "127.0.0.1:36447");
	ASSERT((s = find_series(&r, "job", "alertmanager")) != NULL);
	ASSERT_STR(prom_label(s, "instance"), "127.0.0.1:52961");
	ASSERT(prom_label(s, "pod") == NULL);
	ASSERT(prom_label(NULL, "job") == NULL);
	prom_result_free(&r);
}

TEST(query_vector_cpu_percent)
{
	struct prom_result	 r;
	const struct prom_series *s;

	ASSERT_INT(query_fixture("query_vector_cpu_percent.json", &r), 0);
	ASSERT_INT(r.type, PROM_VECTOR);
	ASSERT_INT(r.nseries, 12);
	ASSERT_STR(r.series[0].labels[0].k, "namespace");
	ASSERT_STR(r.series[0].labels[1].k, "pod");
	ASSERT_STR(prom_label(&r.series[0], "pod"),
	    "analytics-service-4n82cl2jbt-nchdt");
	ASSERT(r.series[0].points[0].v == 37.57612880144734);
	ASSERT((s = find_series(&r, "pod",
	    "content-service-jp2pqwxwn5-z6mhk")) != NULL);
	ASSERT(s->points[0].v == 90.00242923437709);
	ASSERT(s->points[0].t == 1795893357.002);
	ASSERT_STR(prom_label(s, "namespace"), "soundcore-kcp-prod");
	prom_result_free(&r);
}

/* Prometheus's special values as it sends them: "NaN", "+Inf", "-Inf". */
TEST(query_nan_inf)
{
	struct prom_result	 r;
	const struct prom_series *s;

	ASSERT_INT(query_fixture("query_nan_inf.json", &r), 0);
	ASSERT_INT(r.nseries, 3);
	ASSERT((s = find_series(&r, "v", "nan")) != NULL);
	ASSERT(isnan(s->points[0].v));
	ASSERT((s = find_series(&r, "v", "+inf")) != NULL);
	ASSERT(isinf(s->points[0].v) && s->points[0].v > 0);
	ASSERT((s = find_series(&r, "v", "-inf")) != NULL);
	ASSERT(isinf(s->points[0].v) && s->points[0].v < 0);
	ASSERT(s->points[0].t == 1795893357.253);
	prom_result_free(&r);
}

TEST(query_scalars)
{
	struct prom_result	 r;

	ASSERT_INT(query_fixture("query_scalar.json", &r), 0);
	ASSERT_INT(r.type, PROM_SCALAR);
	ASSERT_INT(r.nseries, 1);
	ASSERT_INT(r.series[0].nlabels, 0);
	ASSERT(r.series[0].labels == NULL);
	ASSERT_INT(r.series[0].npoints, 1);
	ASSERT(r.series[0].points[0].v == 4.0);
	ASSERT(r.series[0].points[0].t == 1795893357.072);
	prom_result_free(&r);

	ASSERT_INT(query_fixture("query_scalar_nan.json", &r), 0);
	ASSERT_INT(r.type, PROM_SCALAR);
	ASSERT(isnan(r.series[0].points[0].v));
	prom_result_free(&r);

	ASSERT_INT(query_fixture("query_scalar_inf.json", &r), 0);
	ASSERT(isinf(r.series[0].points[0].v) && r.series[0].points[0].v > 0);
	ASSERT(r.series[0].points[0].t == 1795893357.385);
	prom_result_free(&r);
}

TEST(query_string_and_empty)
{
	struct prom_result	 r;

	ASSERT_INT(query_fixture("query_string.json", &r), 0);
	ASSERT_INT(r.type, PROM_STRING);
	ASSERT_STR(r.string, "warroom");
	ASSERT_INT(r.nseries, 0);
	prom_result_free(&r);
	ASSERT(r.string == NULL);

	/* No series is not a zero: nothing at all. */
	ASSERT_INT(query_fixture("query_empty.json", &r), 0);
	ASSERT_INT(r.type, PROM_VECTOR);
	ASSERT_INT(r.nseries, 0);
	ASSERT(r.series == NULL);
	prom_result_free(&r);
	prom_result_free(&r);
	prom_result_free(NULL);
}

TEST(query_matrix_instant)
{
	struct prom_result	 r;
	const struct prom_series *s;

	ASSERT_INT(query_fixture("query_matrix_instant.json", &r), 0);
	ASSERT_INT(r.type, PROM_MATRIX);
	ASSERT_INT(r.nseries, 1);
	s = &r.series[0];
	ASSERT_STR(prom_label(s, "job"), "kube-double");
	ASSERT_STR(prom_label(s, "__name__"), "up");
	ASSERT_INT(s->npoints, 5);
	ASSERT(s->points[0].t == 1795893352.780);
	ASSERT(s->points[3].t == 1795893355.782);
	ASSERT(s->points[4].v == 1.0);
	prom_result_free(&r);
}

/* query_range: integer timestamps on the step, the restarts climbing. */
TEST(query_range_matrix)
{
	static const double	 want[] = { 8, 8, 9, 9, 10 };
	struct prom_result	 r;
	const struct prom_series *s;
	int			 i;

	ASSERT_INT(query_fixture("query_range_matrix.json", &r), 0);
	ASSERT_INT(r.type, PROM_MATRIX);
	ASSERT_INT(r.nseries, 13);
	ASSERT((s = find_series(&r, "pod",
	    "knowledge-service-ffwtrbmbfl-ls68l")) != NULL);
	ASSERT_INT(s->nlabels, 1);
	ASSERT_INT(s->npoints, 5);
	for (i = 0; i < 5; i++) {
		ASSERT(s->points[i].t == 1795893336.0 + 5 * i);
		ASSERT(s->points[i].v == want[i]);
	}
	ASSERT((s = find_series(&r, "pod",
	    "analytics-service-4n82cl2jbt-cqf9p")) != NULL);
	ASSERT(s->points[4].v == 4.0);
	prom_result_free(&r);
}

/* The API's error bodies: "errorType: error", exactly. */
TEST(query_api_errors)
{
	ASSERT_ERR(fixture_err(D_QUERY, "error_400_bad_data.json", 400),
	    "bad_data: invalid parameter \"query\": 1:7: parse error: "
	    "unclosed left parenthesis");
	ASSERT_ERR(fixture_err(D_QUERY, "error_422_execution.json", 422),
	    "execution: found duplicate series for the match group {} on "
	    "the right hand-side of the operation: [{__name__=\"up\", "
	    "instance=\"127.0.0.1:38717\", job=\"kube-double\"}, "
	    "{__name__=\"up\", instance=\"127.0.0.1:36447\", "
	    "job=\"prometheus\"}];many-to-many matching not allowed: "
	    "matching labels must be unique on one side");
	ASSERT_ERR(fixture_err(D_QUERY, "error_503_timeout.json", 503),
	    "timeout: query timed out in query execution");
	ASSERT_ERR(fixture_err(D_QUERY, "error_400_range_too_many_points.json",
	    400), "bad_data: exceeded maximum resolution of 11,000 points "
	    "per timeseries. Try decreasing the query resolution (?step=XX)");
	/* The body decides, even under a 200. */
	ASSERT_ERR(str_err(D_QUERY, "{\"status\":\"error\",\"errorType\":"
	    "\"canceled\",\"error\":\"query was canceled\"}", 200),
	    "canceled: query was canceled");
	ASSERT_ERR(str_err(D_QUERY, "{\"status\":\"error\",\"error\":"
	    "\"no type\"}", 500), "no type");
	ASSERT_ERR(str_err(D_QUERY, "{\"status\":\"error\"}", 500),
	    "no error message");
	/* A line break in the server's text does not break the line. */
	ASSERT_ERR(str_err(D_QUERY, "{\"status\":\"error\",\"errorType\":"
	    "\"bad_data\",\"error\":\"line one\\r\\nline two\\n\"}", 400),
	    "bad_data: line one line two");
}

/* Bodies that are not the API's JSON: the status and the first line. */
TEST(query_not_api_bodies)
{
	ASSERT_ERR(fixture_err(D_QUERY, "error_404_unknown_path.txt", 404),
	    "HTTP 404: 404 page not found");
	ASSERT_ERR(str_err(D_QUERY, "<html>\r\n<head><title>502 Bad Gateway"
	    "</title></head>\r\n<body>\r\n</body>\r\n</html>\r\n", 502),
	    "HTTP 502: <html>");
	ASSERT_ERR(str_err(D_QUERY, "\n\n  upstream connect error or "
	    "disconnect/reset before headers  \nreset reason: overflow\n",
	    503), "HTTP 503: upstream connect error or disconnect/reset "
	    "before headers");
	ASSERT_ERR(str_err(D_QUERY, "", 502), "HTTP 502: empty body");
	ASSERT_ERR(decode_err(D_QUERY, NULL, 0, 504), "HTTP 504: empty body");
	ASSERT_ERR(str_err(D_QUERY, "", 200), "HTTP 200: empty body");
	/* JSON from something else in front of Prometheus. */
	ASSERT_ERR(str_err(D_QUERY, "{\"message\":\"forbidden\"}", 403),
	    "HTTP 403: {\"message\":\"forbidden\"}");
	ASSERT_ERR(str_err(D_QUERY, "[1,2]", 200),
	    "the answer is an array, not an object");
	ASSERT_ERR(str_err(D_QUERY, "{\"data\":{}}", 200),
	    "the answer has no status");
	ASSERT_ERR(str_err(D_QUERY, "{\"status\":\"maybe\"}", 200),
	    "status: \"maybe\" is neither success nor error");
}

TEST(query_malformed_json)
{
	static const char *bodies[] = {
		"{\"status\":\"success\",\"data\":{\"resultType\":\"vector\"",
		"{\"status\":\"success\",}",
		"NaN",
		"{\"status\":\"success\",\"data\":{\"resultType\":\"vector\","
		    "\"result\":[{\"metric\":{},\"value\":[1,\"1\"]}]}} trailing",
		"\xff\xfe{",
	};
	size_t	 i;

	for (i = 0; i < nitems(bodies); i++)
		ASSERT_ERR_PREFIX(str_err(D_QUERY, bodies[i], 200), "not JSON: ");
	/* An embedded NUL is not JSON either. */
	ASSERT_ERR_PREFIX(decode_err(D_QUERY, "{\"status\":\0\"x\"}", 15, 200),
	    "not JSON: ");
}

/* Each wrong shape is named by its path; nothing decoded so far leaks. */
TEST(query_wrong_shapes)
{
	static const struct {
		const char	*body;
		const char	*err;
	} cases[] = {
		{ "{\"status\":\"success\"}", "data: missing" },
		{ "{\"status\":\"success\",\"data\":[]}",
		    "data: is an array, not an object" },
		{ "{\"status\":\"success\",\"data\":{\"result\":[]}}",
		    "data.resultType: missing" },
		{ "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\"}}",
		    "data.result: missing" },
		{ "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\","
		    "\"result\":{}}}", "data.result: is an object, not an array" },
		{ "{\"status\":\"success\",\"data\":{\"resultType\":\"table\","
		    "\"result\":[]}}",
		    "data.resultType: \"table\" is not a known result type" },
		{ "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\","
		    "\"result\":[7]}}", "data.result[0]: is a number, not an "
		    "object" },
		{ "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\","
		    "\"result\":[{\"metric\":{}}]}}", "data.result[0].value: "
		    "missing" },
		{ "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\","
		    "\"result\":[{\"metric\":{\"a\":\"b\"},\"value\":[1,\"1\"]},"
		    "{\"metric\":{\"job\":9},\"value\":[1,\"1\"]}]}}",
		    "data.result[1].metric.job: is a number, not a string" },
		{ "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\","
		    "\"result\":[{\"metric\":[],\"value\":[1,\"1\"]}]}}",
		    "data.result[0].metric: is an array, not an object" },
		{ "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\","
		    "\"result\":[{\"metric\":{},\"value\":[1]}]}}",
		    "data.result[0].value: is an array, not a [time, value] pair" },
		{ "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\","
		    "\"result\":[{\"metric\":{},\"value\":[1,2]}]}}",
		    "data.result[0].value[1]: the value is a number, not a string" },
		{ "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\","
		    "\"result\":[{\"metric\":{},\"value\":[\"1\",\"2\"]}]}}",
		    "data.result[0].value[0]: the time is a string, not a number" },
		{ "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\","
		    "\"result\":[{\"metric\":{\"a\":\"b\"},\"values\":[[1,\"1\"],"
		    "[2,\"two\"]]}]}}",
		    "data.result[0].values[1][1]: \"two\" is not a number" },
		{ "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\","
		    "\"result\":[{\"metric\":{}}]}}",
		    "data.result[0].values: missing" },
		{ "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\","
		    "\"result\":[{\"metric\":{},\"values\":[null]}]}}",
		    "data.result[0].values[0]: is null, not a [time, value] pair" },
		{ "{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\","
		    "\"result\":[]}}",
		    "data.result: is an array, not a [time, value] pair" },
		{ "{\"status\":\"success\",\"data\":{\"resultType\":\"string\","
		    "\"result\":[1,2]}}",
		    "data.result[1]: is a number, not a string" },
		{ "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\","
		    "\"result\":[]},\"warnings\":\"one\"}",
		    "warnings: is a string, not an array" },
		{ "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\","
		    "\"result\":[]},\"warnings\":[\"one\",2]}",
		    "warnings[1]: is a number, not a string" },
	};
	size_t	 i;

	for (i = 0; i < nitems(cases); i++)
		ASSERT_ERR(str_err(D_QUERY, cases[i].body, 200), cases[i].err);
}

/* Values as Go writes them, and what strtod alone would wrongly take. */
TEST(query_value_strings)
{
	static const struct {
		const char	*v;
		double		 want;	/* 99 for NaN */
	} good[] = {
		{ "NaN", 99 }, { "nan", 99 }, { "+Inf", HUGE_VAL },
		{ "-Inf", -HUGE_VAL }, { "Inf", HUGE_VAL },
		{ "+infinity", HUGE_VAL }, { "1e+02", 100 },
		{ "9.000242923437709e+01", 90.00242923437709 }, { "-0", 0 },
		{ ".5", 0.5 }, { "1e400", HUGE_VAL }, { "-1e400", -HUGE_VAL },
		{ "1e-400", 0 },
		{ "1.7976931348623157e+308", 1.7976931348623157e+308 },
		{ "123456789012345678901234567890",
		    123456789012345678901234567890.0 },
	};
	static const char *bad[] = {
		"", " 1", "1 ", "0x10", "1e", "--1", "+NaN", "nan(1)", "1,5",
		"infinite", "abc",
	};
	struct prom_result	 r;
	char			 body[256], want[128];
	double			 v;
	size_t			 i;

	for (i = 0; i < nitems(good); i++) {
		snprintf(body, sizeof body, "{\"status\":\"success\",\"data\":"
		    "{\"resultType\":\"scalar\",\"result\":[1,\"%s\"]}}",
		    good[i].v);
		ASSERT_INT(query_str(body, &r), 0);
		v = r.series[0].points[0].v;
		prom_result_free(&r);
		if (good[i].want == 99)
			ASSERT(isnan(v));
		else if (v != good[i].want) {
			printf("# %s gave %g\n", good[i].v, v);
			ASSERT(v == good[i].want);
		}
	}
	for (i = 0; i < nitems(bad); i++) {
		snprintf(body, sizeof body, "{\"status\":\"success\",\"data\":"
		    "{\"resultType\":\"scalar\",\"result\":[1,\"%s\"]}}",
		    bad[i]);
		snprintf(want, sizeof want, "data.result[1]: \"%s\" is not a "
		    "number", bad[i]);
		ASSERT_ERR(str_err(D_QUERY, body, 200), want);
	}
}

/* Timestamps: huge but finite ones decode, one past a double is not JSON. */
TEST(query_huge_numbers)
{
	struct prom_result	 r;

	ASSERT_INT(query_str("{\"status\":\"success\",\"data\":{\"resultType\":"
	    "\"scalar\",\"result\":[1e300,\"1\"]}}", &r), 0);
	ASSERT(r.series[0].points[0].t == 1e300);
	prom_result_free(&r);
	ASSERT_INT(query_str("{\"status\":\"success\",\"data\":{\"resultType\":"
	    "\"scalar\",\"result\":[123456789012345678901234567890,\"1\"]}}",
	    &r), 0);
	ASSERT(r.series[0].points[0].t > 1.2e29);
	prom_result_free(&r);
	ASSERT_ERR_PREFIX(str_err(D_QUERY, "{\"status\":\"success\",\"data\":"
	    "{\"resultType\":\"scalar\",\"result\":[1e400,\"1\"]}}", 200),
	    "not JSON: ");
}

/* An error text past the cap is cut between characters, marked "...". */
TEST(query_long_error)
{
	char	*body, *err;
	size_t	 i, n, off;

	body = xmalloc(20000);
	off = (size_t)snprintf(body, 20000, "{\"status\":\"error\","
	    "\"errorType\":\"bad_data\",\"error\":\"");
	for (i = 0; i < 4000; i++) {
		memcpy(body + off, "\xc3\xa9", 2);	/* é */
		off += 2;
	}
	memcpy(body + off, "\"}", 3);
	err = decode_err(D_QUERY, body, strlen(body), 400);
	free(body);
	ASSERT(err != NULL);
	n = strlen(err);
	if (n < 100 || n > 600 || strcmp(err + n - 3, "...") != 0 ||
	    strncmp(err, "bad_data: \xc3\xa9", 12) != 0 ||
	    /* the last character before "..." is whole */
	    memcmp(err + n - 5, "\xc3\xa9", 2) != 0) {
		free(err);
		ASSERT(!"error not cut at a character");
	}
	free(err);
}

TEST(query_warnings_and_histograms)
{
	struct prom_result	 r;

	ASSERT_INT(query_str("{\"status\":\"success\",\"data\":{\"resultType\":"
	    "\"vector\",\"result\":[]},\"warnings\":[\"remote read of store "
	    "eu failed\",\"PromQL info: metric might not be a counter\"]}",
	    &r), 0);
	ASSERT_STR(r.warnings, "remote read of store eu failed; PromQL info: "
	    "metric might not be a counter");
	prom_result_free(&r);

	/* Native histogram samples are skipped, their series kept. */
	ASSERT_INT(query_str("{\"status\":\"success\",\"data\":{\"resultType\":"
	    "\"vector\",\"result\":[{\"metric\":{\"a\":\"h\"},\"histogram\":"
	    "[1,{\"count\":\"3\"}]},{\"metric\":{\"a\":\"f\"},\"value\":"
	    "[1,\"2\"]}]}}", &r), 0);
	ASSERT_INT(r.nseries, 1);
	ASSERT_STR(prom_label(&r.series[0], "a"), "f");
	prom_result_free(&r);
	ASSERT_INT(query_str("{\"status\":\"success\",\"data\":{\"resultType\":"
	    "\"matrix\",\"result\":[{\"metric\":{\"a\":\"h\"},\"histograms\":"
	    "[[1,{\"count\":\"3\"}]]},{\"metric\":{},\"values\":[]}]}}", &r), 0);
	ASSERT_INT(r.nseries, 2);
	ASSERT_INT(r.series[0].npoints, 0);
	ASSERT_INT(r.series[1].npoints, 0);
	ASSERT(r.series[1].points == NULL);
	prom_result_free(&r);
}

/* Labels come out sorted whatever order the server used; nulls as absent. */
TEST(query_label_order)
{
	static const char	 empty[] = "{\"status\":\"success\",\"data\":"
	    "{\"resultType\":\"vector\",\"result\":[]}}";
	struct prom_result	 r;

	ASSERT_INT(query_str("{\"status\":\"success\",\"data\":{\"resultType\":"
	    "\"vector\",\"result\":[{\"metric\":{\"zone\":\"b\",\"app\":\"x\","
	    "\"Z\":\"1\",\"_a\":\"2\",\"pod\":\"p\\u00e9\"},\"value\":"
	    "[1,\"1\"]},{\"value\":[2,\"2\"]}]}}", &r), 0);
	ASSERT_INT(r.nseries, 2);
	ASSERT_INT(r.series[0].nlabels, 5);
	ASSERT_STR(r.series[0].labels[0].k, "Z");
	ASSERT_STR(r.series[0].labels[1].k, "_a");
	ASSERT_STR(r.series[0].labels[2].k, "app");
	ASSERT_STR(r.series[0].labels[3].k, "pod");
	ASSERT_STR(r.series[0].labels[3].v, "p\xc3\xa9");
	ASSERT_STR(r.series[0].labels[4].k, "zone");
	ASSERT_INT(r.series[1].nlabels, 0);
	ASSERT(r.series[1].points[0].v == 2.0);
	prom_result_free(&r);

	/* A body that says success is decoded whatever the status. */
	ASSERT_INT(prom_decode_query(empty, strlen(empty), 203, &r, NULL), 0);
	ASSERT(r.type == PROM_VECTOR && r.nseries == 0);
	prom_result_free(&r);
}

/* With a decimal comma in the environment's locale, "37.5" is still 37.5. */
TEST(query_locale)
{
	static const char *names[] = {
		"de_DE.UTF-8", "de_DE.utf8", "fr_FR.UTF-8", "ru_RU.UTF-8",
		"nl_NL.UTF-8",
	};
	struct prom_result	 r;
	char			*old;
	double			 v;
	size_t			 i;
	int			 rc;

	old = xstrdup(setlocale(LC_NUMERIC, NULL));
	for (i = 0; i < nitems(names); i++) {
		if (setlocale(LC_NUMERIC, names[i]) != NULL)
			break;
	}
	if (i == nitems(names))
		printf("# no locale with a decimal comma here: C only\n");
	rc = query_str("{\"status\":\"success\",\"data\":{\"resultType\":"
	    "\"scalar\",\"result\":[1.25,\"37.5\"]}}", &r);
	setlocale(LC_NUMERIC, old);
	free(old);
	ASSERT_INT(rc, 0);
	v = r.series[0].points[0].v;
	ASSERT(r.series[0].points[0].t == 1.25);
	prom_result_free(&r);
	ASSERT(v == 37.5);
}

/* /api/v1/rules: six alerting rules in two groups, five firing. */
TEST(rules_fixture)
{
	struct prom_rule	*rules;
	const struct prom_rule	*r;
	int			 n, i;

	ASSERT_INT(rules_fixture("rules.json", &rules, &n), 0);
	ASSERT_INT(n, 6);
	for (i = 0; i < n; i++) {
		ASSERT_STR(rules[i].type, "alerting");
		ASSERT_STR(rules[i].health, "ok");
		ASSERT(rules[i].last_error == NULL);
		ASSERT(rules[i].duration == 2.0);
		ASSERT_STR(rules[i].group, i < 3 ? "kubernetes" :
		    "resource_usage");
	}

	r = &rules[0];
	ASSERT_STR(r->name, "PodRestarting");
	ASSERT_STR(r->state, "firing");
	ASSERT_STR(r->query, "rate(kube_pod_container_status_restarts_total"
	    "{namespace=\"soundcore-kcp-prod\"}[20s]) > 0");
	ASSERT_INT(r->nlabels, 1);
	ASSERT_STR(prom_kv_get(r->labels, r->nlabels, "severity"), "warning");
	ASSERT_INT(r->nannotations, 2);
	ASSERT_STR(r->annotations[0].k, "description");
	ASSERT_STR(prom_kv_get(r->annotations, r->nannotations, "summary"),
	    "Pod {{ $labels.pod }} is restarting");
	ASSERT_INT(r->nactive, 1);
	ASSERT_INT(r->active_since, 1795893343);	/* 19:15:43.369970772 */

	/* Five alerts, the earliest active since 19:15:34. */
	ASSERT((r = find_rule(rules, n, "DeploymentReplicasMismatch")) != NULL);
	ASSERT_INT(r->nactive, 5);
	ASSERT_INT(r->active_since, 1795893334);
	ASSERT((r = find_rule(rules, n, "HighCPUUsage")) != NULL);
	ASSERT_STR(r->group, "resource_usage");
	ASSERT_INT(r->nactive, 2);
	ASSERT_INT(r->active_since, 1795893353);

	ASSERT((r = find_rule(rules, n, "DiskSpaceLow")) != NULL);
	ASSERT_STR(r->state, "inactive");
	ASSERT_INT(r->nactive, 0);
	ASSERT_INT(r->active_since, 0);
	prom_rules_free(rules, n);
}

/* Recording rules, broken rules, pending and inactive alerts. */
TEST(rules_hand_written)
{
	static const char body[] = "{\"status\":\"success\",\"data\":"
	    "{\"groups\":[{\"name\":\"rec\",\"rules\":[{\"name\":\"job:up:sum\","
	    "\"query\":\"sum by (job) (up)\",\"health\":\"err\",\"lastError\":"
	    "\"many-to-many matching not allowed\",\"state\":\"ignored\","
	    "\"type\":\"recording\",\"labels\":{\"team\":\"a\"}}]},"
	    "{\"name\":\"empty\",\"rules\":[]},{\"name\":\"none\"},"
	    "{\"name\":\"alert\",\"rules\":[{\"name\":\"Slow\",\"query\":\"x\","
	    "\"duration\":86400.5,\"health\":\"unknown\",\"lastError\":\"\","
	    "\"state\":\"pending\",\"type\":\"alerting\",\"alerts\":["
	    "{\"state\":\"inactive\",\"activeAt\":\"2020-01-01T00:00:00Z\"},"
	    "{\"state\":\"pending\",\"activeAt\":\"2026-11-28T20:15:36+01:00\"},"
	    "{\"state\":\"firing\",\"activeAt\":\"2026-11-28T19:16:00.5Z\"},"
	    "{\"state\":\"firing\"}]}]}]}}";
	static const char	 none[] = "{\"status\":\"success\",\"data\":"
	    "{\"groups\":[]}}";
	struct prom_rule	*rules;
	char			*err = (void *)1;
	int			 n;

	ASSERT_INT(prom_decode_rules(body, strlen(body), 200, &rules, &n,
	    &err), 0);
	ASSERT(err == NULL);
	ASSERT_INT(n, 2);
	ASSERT_STR(rules[0].group, "rec");
	ASSERT_STR(rules[0].type, "recording");
	ASSERT(rules[0].state == NULL);
	ASSERT_STR(rules[0].health, "err");
	ASSERT_STR(rules[0].last_error, "many-to-many matching not allowed");
	ASSERT(rules[0].duration == 0);
	ASSERT_INT(rules[0].nactive, 0);
	ASSERT_STR(prom_kv_get(rules[0].labels, rules[0].nlabels, "team"),
	    "a");
	ASSERT(rules[0].annotations == NULL);

	ASSERT_STR(rules[1].group, "alert");
	ASSERT_STR(rules[1].state, "pending");
	ASSERT(rules[1].last_error == NULL);
	ASSERT(rules[1].duration == 86400.5);
	ASSERT_INT(rules[1].nactive, 3);
	ASSERT_INT(rules[1].active_since, T_19_15_36);
	prom_rules_free(rules, n);

	ASSERT_INT(prom_decode_rules(none, strlen(none), 200, &rules, &n,
	    NULL), 0);
	ASSERT(rules == NULL && n == 0);
	prom_rules_free(rules, n);
}

TEST(rules_errors)
{
	static const struct {
		const char	*body;
		const char	*err;
	} cases[] = {
		{ "{\"status\":\"success\",\"data\":{}}", "data.groups: missing" },
		{ "{\"status\":\"success\",\"data\":{\"groups\":{}}}",
		    "data.groups: is an object, not an array" },
		{ "{\"status\":\"success\",\"data\":{\"groups\":[{\"rules\":"
		    "[]}]}}", "data.groups[0].name: missing" },
		{ "{\"status\":\"success\",\"data\":{\"groups\":[\"g\"]}}",
		    "data.groups[0]: is a string, not an object" },
		{ "{\"status\":\"success\",\"data\":{\"groups\":[{\"name\":\"g\","
		    "\"rules\":[{\"name\":\"A\",\"type\":\"alerting\",\"query\":"
		    "\"up\"},{\"type\":\"alerting\",\"query\":\"up\"}]}]}}",
		    "data.groups[0].rules[1].name: missing" },
		{ "{\"status\":\"success\",\"data\":{\"groups\":[{\"name\":\"g\","
		    "\"rules\":[{\"name\":\"A\",\"type\":\"alerting\",\"query\":"
		    "\"up\",\"duration\":\"2s\"}]}]}}",
		    "data.groups[0].rules[0].duration: is a string, not a "
		    "number" },
		{ "{\"status\":\"success\",\"data\":{\"groups\":[{\"name\":\"g\","
		    "\"rules\":[{\"name\":\"A\",\"type\":\"alerting\",\"query\":"
		    "\"up\",\"alerts\":[{\"state\":\"firing\",\"activeAt\":"
		    "\"yesterday\"}]}]}]}}",
		    "data.groups[0].rules[0].alerts[0].activeAt: \"yesterday\" is "
		    "not an RFC 3339 time" },
		{ "{\"status\":\"success\",\"data\":{\"groups\":[{\"name\":\"g\","
		    "\"rules\":[{\"name\":\"A\",\"type\":\"alerting\",\"query\":"
		    "\"up\",\"annotations\":{\"x\":null}}]}]}}",
		    "data.groups[0].rules[0].annotations.x: is null, not a "
		    "string" },
	};
	size_t	 i;

	for (i = 0; i < nitems(cases); i++)
		ASSERT_ERR(str_err(D_RULES, cases[i].body, 200), cases[i].err);
	ASSERT_ERR(fixture_err(D_RULES, "error_503_timeout.json", 503),
	    "timeout: query timed out in query execution");
	ASSERT_ERR(fixture_err(D_RULES, "error_404_unknown_path.txt", 404),
	    "HTTP 404: 404 page not found");
	ASSERT_ERR_PREFIX(str_err(D_RULES, "{\"status\":", 200), "not JSON: ");
	/* A query answer is not a rules answer. */
	ASSERT_ERR(fixture_err(D_RULES, "query_vector.json", 200),
	    "data.groups: missing");
}

/* GET /api/v2/alerts: 13 alerts; times, labels, the generator's URL. */
TEST(am_alerts_fixture)
{
	struct am_alert		*alerts;
	const struct am_alert	*a;
	int			 n, i;

	ASSERT_INT(alerts_fixture("am_alerts.json", &alerts, &n), 0);
	ASSERT_INT(n, 13);
	for (i = 0; i < n; i++) {
		ASSERT(kv_sorted(alerts[i].labels, alerts[i].nlabels));
		ASSERT(kv_sorted(alerts[i].annotations,
		    alerts[i].nannotations));
		ASSERT(alerts[i].starts_at > 0 && alerts[i].ends_at > 0);
	}
	a = &alerts[0];
	ASSERT_STR(a->fingerprint, "16b545727b9205e8");
	ASSERT_STR(a->state, "active");
	ASSERT_INT(a->nsilenced, 0);
	ASSERT_INT(a->ninhibited, 0);
	ASSERT(a->silenced_by == NULL && a->inhibited_by == NULL);
	ASSERT_INT(a->nlabels, 8);
	ASSERT_STR(a->labels[0].k, "alertname");
	ASSERT_STR(a->labels[0].v, "DeploymentReplicasMismatch");
	ASSERT_STR(prom_kv_get(a->labels, a->nlabels, "deployment"),
	    "content-service");
	ASSERT(prom_kv_get(a->labels, a->nlabels, "pod") == NULL);
	ASSERT_STR(prom_kv_get(a->annotations, a->nannotations, "summary"),
	    "Deployment content-service replicas mismatch");
	ASSERT_INT(a->starts_at, T_19_15_36);		/* .369Z */
	ASSERT_INT(a->updated_at, 1795893354);
	ASSERT_INT(a->ends_at, 1795893374);
	ASSERT(a->generator_url != NULL);
	ASSERT(starts_with(a->generator_url, "http://127.0.0.1:36447/graph?"
	    "g0.expr=kube_deployment_spec_replicas%7Bnamespace%3D%22"));
	ASSERT(strstr(a->generator_url, "&g0.tab=1") != NULL);

	ASSERT((a = find_alert(alerts, n, "296e7e977b8b6f98")) != NULL);
	ASSERT_STR(prom_kv_get(a->labels, a->nlabels, "severity"), "critical");
	ASSERT_STR(prom_kv_get(a->labels, a->nlabels, "pod"),
	    "analytics-service-4n82cl2jbt-cqf9p");
	am_alerts_free(alerts, n);
}

/* The one silenced by the recorded silence, and the one inhibited. */
TEST(am_alerts_silenced_inhibited)
{
	struct am_alert		*alerts;
	const struct am_alert	*a, *by;
	int			 n, i, suppressed = 0;

	ASSERT_INT(alerts_fixture("am_alerts.json", &alerts, &n), 0);
	for (i = 0; i < n; i++)
		suppressed += strcmp(alerts[i].state, "suppressed") == 0;
	ASSERT_INT(suppressed, 3);

	ASSERT((a = find_alert(alerts, n, "55830d7b4bbb883f")) != NULL);
	ASSERT_STR(prom_kv_get(a->labels, a->nlabels, "alertname"),
	    "HighCPUUsage");
	ASSERT_STR(a->state, "suppressed");
	ASSERT_INT(a->nsilenced, 1);
	ASSERT_STR(a->silenced_by[0], SILENCE_ID);
	ASSERT_INT(a->ninhibited, 0);
	ASSERT_INT(a->starts_at, 1795893355);

	ASSERT((a = find_alert(alerts, n, "a93366af319293e3")) != NULL);
	ASSERT_STR(prom_kv_get(a->labels, a->nlabels, "alertname"),
	    "TestWarning");
	ASSERT_STR(a->state, "suppressed");
	ASSERT_INT(a->nsilenced, 0);
	ASSERT_INT(a->ninhibited, 1);
	ASSERT_STR(a->inhibited_by[0], "e74544882813cff1");
	ASSERT(a->generator_url == NULL);	/* posted, not from a rule */
	ASSERT_STR(prom_kv_get(a->annotations, a->nannotations, "summary"),
	    "a warning for an inhibited pod");
	ASSERT_INT(a->starts_at, 1795893358);
	/* The inhibitor is the crash-looping pod's PodRestarting. */
	ASSERT((by = find_alert(alerts, n, a->inhibited_by[0])) != NULL);
	ASSERT_STR(prom_kv_get(by->labels, by->nlabels, "alertname"),
	    "PodRestarting");
	ASSERT_STR(prom_kv_get(by->labels, by->nlabels, "pod"),
	    prom_kv_get(a->labels, a->nlabels, "pod"));
	ASSERT_STR(by->state, "active");
	am_alerts_free(alerts, n);
}

TEST(am_alerts_filtered)
{
	struct am_alert	*alerts;
	int		 n;

	ASSERT_INT(alerts_fixture("am_alerts_filtered.json", &alerts, &n), 0);
	ASSERT_INT(n, 2);
	ASSERT_STR(alerts[0].fingerprint, "296e7e977b8b6f98");
	ASSERT_STR(alerts[1].fingerprint, "c0e25ffad6b82357");
	ASSERT_STR(prom_kv_get(alerts[1].labels, alerts[1].nlabels,
	    "severity"), "critical");
	am_alerts_free(alerts, n);
}

/* /api/v2/alerts/groups flattens to the same alerts as /api/v2/alerts. */
TEST(am_alert_groups)
{
	struct am_alert		*flat, *grouped;
	const struct am_alert	*a;
	int			 nflat, ngrouped, i;

	ASSERT_INT(alerts_fixture("am_alerts.json", &flat, &nflat), 0);
	ASSERT_INT(alerts_fixture("am_alerts_groups.json", &grouped,
	    &ngrouped), 0);
	ASSERT_INT(ngrouped, nflat);
	ASSERT_STR(grouped[0].fingerprint, "a93366af319293e3");
	for (i = 0; i < ngrouped; i++) {
		ASSERT((a = find_alert(flat, nflat,
		    grouped[i].fingerprint)) != NULL);
		ASSERT_STR(grouped[i].state, a->state);
		ASSERT_INT(grouped[i].nlabels, a->nlabels);
		ASSERT_INT(grouped[i].nsilenced, a->nsilenced);
	}
	am_alerts_free(flat, nflat);
	am_alerts_free(grouped, ngrouped);
}

/* An alert routed to two receivers is in two groups, and kept once. */
TEST(am_alert_groups_dedup)
{
	static const char body[] = "[{\"labels\":{\"alertname\":\"A\"},"
	    "\"receiver\":{\"name\":\"critical\"},\"alerts\":[{\"fingerprint\":"
	    "\"f1\",\"labels\":{\"alertname\":\"A\"},\"status\":{\"state\":"
	    "\"active\"}}]},{\"labels\":{},\"receiver\":{\"name\":\"default\"},"
	    "\"alerts\":[{\"fingerprint\":\"f1\",\"labels\":{\"alertname\":"
	    "\"A\"},\"status\":{\"state\":\"active\"}},{\"fingerprint\":\"f2\","
	    "\"labels\":{\"alertname\":\"B\"},\"status\":{\"state\":"
	    "\"unprocessed\"},\"endsAt\":\"0001-01-01T00:00:00Z\"}]},"
	    "{\"labels\":{},\"alerts\":[]}]";
	struct am_alert	*alerts;
	int		 n;

	ASSERT_INT(am_decode_alerts(body, strlen(body), 200, &alerts, &n,
	    NULL), 0);
	ASSERT_INT(n, 2);
	ASSERT_STR(alerts[0].fingerprint, "f1");
	ASSERT_STR(alerts[1].fingerprint, "f2");
	ASSERT_STR(alerts[1].state, "unprocessed");
	ASSERT_INT(alerts[1].ends_at, 0);		/* Go's zero time */
	ASSERT_INT(alerts[1].starts_at, 0);		/* absent */
	ASSERT(alerts[1].annotations == NULL && alerts[1].nannotations == 0);
	am_alerts_free(alerts, n);

	ASSERT_ERR(str_err(D_ALERTS, "[{\"alerts\":[]},{\"labels\":{}}]", 200),
	    "groups[1].alerts: missing");
	ASSERT_ERR(str_err(D_ALERTS, "[{\"alerts\":[{\"fingerprint\":\"x\","
	    "\"labels\":{},\"status\":{}}]}]", 200),
	    "groups[0].alerts[0].status.state: missing");
}

/* Alertmanager's error bodies: a JSON string, or {code, message}. */
TEST(am_errors)
{
	ASSERT_ERR(fixture_err(D_ALERTS, "am_error_400_bad_filter.json", 400),
	    "error parsing regexp: missing closing ): `^(?:()$`");
	ASSERT_ERR(fixture_err(D_ALERTS, "am_error_422_no_comment.json", 422),
	    "comment in body is required");
	ASSERT_ERR(str_err(D_ALERTS, "", 404), "HTTP 404: empty body");
	ASSERT_ERR(str_err(D_ALERTS, "\"\"", 500), "HTTP 500: \"\"");
	ASSERT_ERR(str_err(D_ALERTS, "<html><body>Bad Gateway</body></html>\n",
	    502), "HTTP 502: <html><body>Bad Gateway</body></html>");
	ASSERT_ERR(str_err(D_ALERTS, "{\"code\":500}", 500),
	    "HTTP 500: {\"code\":500}");
	/* Prometheus's own /api/v1/alerts is not Alertmanager's. */
	ASSERT_ERR(fixture_err(D_ALERTS, "alerts.json", 200),
	    "the answer is an object, not an array of alerts");
	ASSERT_ERR_PREFIX(str_err(D_ALERTS, "[{\"fingerprint\":", 200),
	    "not JSON: ");
	ASSERT_ERR(str_err(D_SILENCES, "\"silence not found\"", 500),
	    "silence not found");
}

TEST(am_alerts_wrong_shapes)
{
	static const struct {
		const char	*body;
		const char	*err;
	} cases[] = {
		{ "[7]", "alerts[0]: is a number, not an object" },
		{ "[{\"labels\":{},\"status\":{\"state\":\"active\"}}]",
		    "alerts[0].fingerprint: missing" },
		{ "[{\"fingerprint\":\"f\",\"status\":{\"state\":\"active\"}}]",
		    "alerts[0].labels: missing" },
		{ "[{\"fingerprint\":\"f\",\"labels\":{}}]",
		    "alerts[0].status: missing" },
		{ "[{\"fingerprint\":\"f\",\"labels\":{\"a\":1},\"status\":"
		    "{\"state\":\"active\"}}]",
		    "alerts[0].labels.a: is a number, not a string" },
		{ "[{\"fingerprint\":\"f\",\"labels\":{},\"status\":{\"state\":"
		    "\"active\",\"silencedBy\":[\"s\",3]}}]",
		    "alerts[0].status.silencedBy[1]: is a number, not a string" },
		{ "[{\"fingerprint\":\"f\",\"labels\":{},\"status\":{\"state\":"
		    "\"active\",\"inhibitedBy\":{}}}]",
		    "alerts[0].status.inhibitedBy: is an object, not an array" },
		{ "[{\"fingerprint\":\"f\",\"labels\":{},\"status\":{\"state\":"
		    "\"active\"},\"startsAt\":\"2026-11-28 19:15:36\"}]",
		    "alerts[0].startsAt: \"2026-11-28 19:15:36\" is not an RFC "
		    "3339 time" },
		{ "[{\"fingerprint\":\"f\",\"labels\":{},\"status\":{\"state\":"
		    "\"active\"},\"endsAt\":1795893336}]",
		    "alerts[0].endsAt: is a number, not a string" },
		{ "[{\"fingerprint\":\"f\",\"labels\":{},\"status\":{\"state\":"
		    "\"active\"}},{\"fingerprint\":[],\"labels\":{},\"status\":"
		    "{\"state\":\"active\"}}]",
		    "alerts[1].fingerprint: is an array, not a string" },
	};
	struct am_alert	*alerts;
	int		 n;
	size_t		 i;

	for (i = 0; i < nitems(cases); i++)
		ASSERT_ERR(str_err(D_ALERTS, cases[i].body, 200), cases[i].err);
	ASSERT_INT(am_decode_alerts("[]", 2, 200, &alerts, &n, NULL), 0);
	ASSERT(alerts == NULL && n == 0);
	am_alerts_free(alerts, n);
}

/* GET /api/v2/silences: the recorded silence and its matchers. */
TEST(am_silences_fixture)
{
	struct am_silence	*s;
	int			 n;

	ASSERT_INT(silences_fixture("am_silences.json", &s, &n), 0);
	ASSERT_INT(n, 1);
	ASSERT_STR(s[0].id, SILENCE_ID);
	ASSERT_STR(s[0].state, "active");
	ASSERT_INT(s[0].nmatchers, 2);
	ASSERT_STR(s[0].matchers[0].name, "alertname");
	ASSERT_STR(s[0].matchers[0].value, "HighCPUUsage");
	ASSERT_INT(s[0].matchers[0].is_regex, 0);
	ASSERT_INT(s[0].matchers[0].is_equal, 1);
	ASSERT_STR(s[0].matchers[1].name, "namespace");
	ASSERT_STR(s[0].matchers[1].value, "soundcore-.*");
	ASSERT_INT(s[0].matchers[1].is_regex, 1);
	ASSERT_INT(s[0].matchers[1].is_equal, 1);
	ASSERT_INT(s[0].starts_at, 1795893358);
	ASSERT_INT(s[0].ends_at, 1795900558);		/* two hours */
	ASSERT_STR(s[0].created_by, "record-obs-fixtures");
	ASSERT_STR(s[0].comment, "recorded fixture");
	am_silences_free(s, n);
}

/* GET /api/v2/silence/ID: one object, before and after the delete. */
TEST(am_silence_single)
{
	struct am_silence	*s;
	int			 n;

	ASSERT_INT(silences_fixture("am_silence.json", &s, &n), 0);
	ASSERT_INT(n, 1);
	ASSERT_STR(s[0].state, "active");
	ASSERT_INT(s[0].ends_at, 1795900558);
	am_silences_free(s, n);

	ASSERT_INT(silences_fixture("am_silence_expired.json", &s, &n), 0);
	ASSERT_INT(n, 1);
	ASSERT_STR(s[0].id, SILENCE_ID);
	ASSERT_STR(s[0].state, "expired");
	ASSERT_INT(s[0].ends_at, 1795893359);
	ASSERT_INT(s[0].nmatchers, 2);
	am_silences_free(s, n);

	/* The delete's empty 200 is not a silence. */
	ASSERT_ERR(fixture_err(D_SILENCES, "am_silence_delete.txt", 200),
	    "HTTP 200: empty body");
}

TEST(am_silences_hand_written)
{
	static const char body[] = "[{\"id\":\"old\",\"status\":{\"state\":"
	    "\"pending\"},\"matchers\":[{\"name\":\"job\",\"value\":\"a|b\","
	    "\"isRegex\":true},{\"name\":\"env\",\"value\":\"dev\",\"isRegex\":"
	    "false,\"isEqual\":false},{\"name\":\"x\",\"value\":\"\"}],"
	    "\"startsAt\":\"2026-11-28T20:15:36.123+01:00\"}]";
	struct am_silence	*s;
	int			 n;

	ASSERT_INT(am_decode_silences(body, strlen(body), 200, &s, &n, NULL),
	    0);
	ASSERT_INT(n, 1);
	ASSERT_STR(s[0].state, "pending");
	ASSERT_INT(s[0].nmatchers, 3);
	/* No isEqual (Alertmanager < 0.22): an equal matcher, =~ here. */
	ASSERT(s[0].matchers[0].is_regex == 1 && s[0].matchers[0].is_equal == 1);
	ASSERT(s[0].matchers[1].is_regex == 0 && s[0].matchers[1].is_equal == 0);
	ASSERT_STR(s[0].matchers[2].value, "");
	ASSERT_INT(s[0].starts_at, T_19_15_36);
	ASSERT_INT(s[0].ends_at, 0);
	ASSERT(s[0].created_by == NULL && s[0].comment == NULL);
	am_silences_free(s, n);

	ASSERT_INT(am_decode_silences("[]", 2, 200, &s, &n, NULL), 0);
	ASSERT(s == NULL && n == 0);
}

TEST(am_silences_wrong_shapes)
{
	static const struct {
		const char	*body;
		const char	*err;
	} cases[] = {
		{ "7", "the answer is a number, not an array of silences" },
		{ "[\"id\"]", "silences[0]: is a string, not an object" },
		{ "[{\"status\":{\"state\":\"active\"},\"matchers\":[]}]",
		    "silences[0].id: missing" },
		{ "[{\"id\":\"a\",\"matchers\":[]}]", "silences[0].status: "
		    "missing" },
		{ "[{\"id\":\"a\",\"status\":{\"state\":\"active\"}}]",
		    "silences[0].matchers: missing" },
		{ "[{\"id\":\"a\",\"status\":{\"state\":\"active\"},\"matchers\":"
		    "[{\"name\":\"n\",\"value\":\"v\"},{\"name\":5,\"value\":"
		    "\"v\"}]}]", "silences[0].matchers[1].name: is a number, not "
		    "a string" },
		{ "[{\"id\":\"a\",\"status\":{\"state\":\"active\"},\"matchers\":"
		    "[{\"name\":\"n\",\"value\":\"v\",\"isRegex\":\"yes\"}]}]",
		    "silences[0].matchers[0].isRegex: is a string, not a "
		    "boolean" },
		{ "[{\"id\":\"a\",\"status\":{\"state\":\"active\"},\"matchers\":"
		    "[[]]}]", "silences[0].matchers[0]: is an array, not an "
		    "object" },
		{ "{\"id\":\"a\",\"status\":{\"state\":\"active\"},\"matchers\":"
		    "[],\"endsAt\":\"2026-02-30T00:00:00Z\"}",
		    "silence.endsAt: \"2026-02-30T00:00:00Z\" is not an RFC 3339 "
		    "time" },
	};
	size_t	 i;

	for (i = 0; i < nitems(cases); i++)
		ASSERT_ERR(str_err(D_SILENCES, cases[i].body, 200),
		    cases[i].err);
}

/* POST /api/v2/silences: the id, or Alertmanager's reason. */
TEST(am_silence_id)
{
	char	*body, *id = NULL, *err = (void *)1;
	size_t	 len;

	ASSERT((body = fixture("silence_create.json", &len)) != NULL);
	ASSERT_INT(am_decode_silence_id(body, len, 200, &id, &err), 0);
	free(body);
	ASSERT(err == NULL);
	ASSERT_STR(id, SILENCE_ID);
	free(id);

	ASSERT_ERR(fixture_err(D_SILENCE_ID, "am_error_422_no_comment.json",
	    422), "comment in body is required");
	ASSERT_ERR(str_err(D_SILENCE_ID, "\"silence invalid: at least one "
	    "matcher must not match the empty string\"\n", 400), "silence "
	    "invalid: at least one matcher must not match the empty string");
	ASSERT_ERR(str_err(D_SILENCE_ID, "\"Failed to create silence: start "
	    "time must be before end time\"", 400), "Failed to create silence: "
	    "start time must be before end time");
	ASSERT_ERR(str_err(D_SILENCE_ID, "{\"code\":612,\"message\":\"matchers "
	    "in body should have at least 1 items\"}", 422), "matchers in body "
	    "should have at least 1 items");
	ASSERT_ERR(str_err(D_SILENCE_ID, "{}", 200), "silenceID: missing");
	ASSERT_ERR(str_err(D_SILENCE_ID, "{\"silenceID\":\"\"}", 200),
	    "silenceID: empty");
	ASSERT_ERR(str_err(D_SILENCE_ID, "{\"silenceID\":42}", 200),
	    "silenceID: is a number, not a string");
	ASSERT_ERR(str_err(D_SILENCE_ID, "[]", 200),
	    "the answer is an array, not an object");
	ASSERT_ERR(str_err(D_SILENCE_ID, "Bad Gateway", 502),
	    "HTTP 502: Bad Gateway");
	ASSERT_ERR_PREFIX(str_err(D_SILENCE_ID, "silenceID=x", 200),
	    "not JSON: ");
}

/* The body for silencing the recorded HighCPUUsage alert, parsed back. */
TEST(am_silence_body_roundtrip)
{
	struct am_alert		*alerts;
	const struct am_alert	*a;
	json_t			*o, *ms, *m;
	json_error_t		 je;
	const char		*key;
	char			*body;
	int			 n, i, nkeys = 0;

	ASSERT_INT(alerts_fixture("am_alerts.json", &alerts, &n), 0);
	ASSERT((a = find_alert(alerts, n, "55830d7b4bbb883f")) != NULL);
	body = am_silence_body(a->labels, a->nlabels, 1795893358,
	    1795893358 + 3600, "alice", "investigating the hot pod");
	ASSERT(body != NULL);
	o = json_loads(body, 0, &je);
	free(body);
	ASSERT(json_is_object(o));
	json_object_foreach(o, key, m)
		nkeys++;
	ASSERT_INT(nkeys, 5);
	ASSERT_STR(json_string_value(json_object_get(o, "startsAt")),
	    "2026-11-28T19:15:58.000Z");
	ASSERT_STR(json_string_value(json_object_get(o, "endsAt")),
	    "2026-11-28T20:15:58.000Z");
	ASSERT_INT(prom_parse_time(json_string_value(json_object_get(o,
	    "endsAt"))), 1795893358 + 3600);
	ASSERT_STR(json_string_value(json_object_get(o, "createdBy")), "alice");
	ASSERT_STR(json_string_value(json_object_get(o, "comment")),
	    "investigating the hot pod");
	ms = json_object_get(o, "matchers");
	ASSERT_INT(json_array_size(ms), a->nlabels);
	for (i = 0; i < a->nlabels; i++) {
		m = json_array_get(ms, i);
		ASSERT_STR(json_string_value(json_object_get(m, "name")),
		    a->labels[i].k);
		ASSERT_STR(json_string_value(json_object_get(m, "value")),
		    a->labels[i].v);
		ASSERT(json_is_false(json_object_get(m, "isRegex")));
		ASSERT(json_is_true(json_object_get(m, "isEqual")));
	}
	ASSERT_STR(json_string_value(json_object_get(json_array_get(ms, 0),
	    "name")), "alertname");
	ASSERT_STR(json_string_value(json_object_get(json_array_get(ms, 0),
	    "value")), "HighCPUUsage");
	json_decref(o);
	am_alerts_free(alerts, n);
}

/* Hostile and odd input for the body: escapes, bad UTF-8, NULLs, times. */
TEST(am_silence_body_edges)
{
	static const struct prom_kv labels[] = {
		{ "pod", "a\"b\\c\nd" },
		{ "note", "caf\xc3\xa9 \xff\xfe end" },
		{ NULL, "skipped" },
		{ "empty", NULL },
	};
	json_t		*o, *ms;
	char		*body;

	body = am_silence_body(labels, (int)nitems(labels), 0,
	    (time_t)INT64_MAX / 2, NULL, "bad \xc3 byte");
	o = json_loads(body, 0, NULL);
	free(body);
	ASSERT(o != NULL);
	ms = json_object_get(o, "matchers");
	ASSERT_INT(json_array_size(ms), 3);
	ASSERT_STR(json_string_value(json_object_get(json_array_get(ms, 0),
	    "value")), "a\"b\\c\nd");
	ASSERT_STR(json_string_value(json_object_get(json_array_get(ms, 1),
	    "value")), "caf\xc3\xa9 \xef\xbf\xbd\xef\xbf\xbd end");
	ASSERT_STR(json_string_value(json_object_get(json_array_get(ms, 2),
	    "value")), "");
	ASSERT_STR(json_string_value(json_object_get(o, "comment")),
	    "bad \xef\xbf\xbd byte");
	ASSERT_STR(json_string_value(json_object_get(o, "createdBy")), "");
	ASSERT_STR(json_string_value(json_object_get(o, "startsAt")),
	    "1970-01-01T00:00:00.000Z");
	ASSERT_STR(json_string_value(json_object_get(o, "endsAt")),
	    "9999-12-31T23:59:59.000Z");
	json_decref(o);

	body = am_silence_body(NULL, 0, T_19_15_36, T_19_15_36 + 60, "bob",
	    "x");
	ASSERT_STR(body, "{\"matchers\":[],\"startsAt\":\"2026-11-28T19:15:36"
	    ".000Z\",\"endsAt\":\"2026-11-28T19:16:36.000Z\",\"createdBy\":"
	    "\"bob\",\"comment\":\"x\"}");
	free(body);
}

TEST(parse_time_good)
{
	static const struct {
		const char	*s;
		long long	 want;
	} cases[] = {
		{ "2026-11-28T19:15:36Z", 1795893336 },
		{ "2026-11-28T19:15:36.369Z", 1795893336 },
		{ "2026-11-28T19:15:36.999999999Z", 1795893336 },
		{ "2026-11-28T19:15:43.369970772Z", 1795893343 },
		{ "2026-11-28T20:15:36+01:00", 1795893336 },
		{ "2026-11-28T20:15:36.5+01:00", 1795893336 },
		{ "2026-11-28T13:45:36-05:30", 1795893336 },
		{ "2026-11-28T19:15:36-00:00", 1795893336 },
		{ "2026-11-28t19:15:36z", 1795893336 },
		{ "2026-11-29T00:15:36+05:00", 1795893336 },
		{ "0001-01-01T00:00:00Z", 0 },
		{ "0001-01-01T01:00:00+01:00", 0 },
		{ "1970-01-01T00:00:00Z", 0 },
		{ "1970-01-01T00:00:01Z", 1 },
		{ "1969-12-31T23:59:58Z", -2 },
		{ "2028-02-29T12:00:00Z", 1835438400 },
		{ "2000-02-29T00:00:00Z", 951782400 },
		{ "9999-12-31T23:59:59Z", 253402300799LL },
		{ "0001-01-01T00:00:01Z", -62135596799LL },
	};
	size_t	 i;

	for (i = 0; i < nitems(cases); i++) {
		if ((long long)prom_parse_time(cases[i].s) != cases[i].want)
			printf("# %s\n", cases[i].s);
		ASSERT_INT(prom_parse_time(cases[i].s), cases[i].want);
	}
}

TEST(parse_time_garbage)
{
	static const char *bad[] = {
		"", "garbage", "2026-11-28", "2026-11-28T19:15:36",
		"2026-11-28 19:15:36Z", "2026-11-28T19:15:36.Z",
		"2026-11-28T19:15:36+0100", "2026-11-28T19:15:36+01",
		"2026-11-28T19:15:36Zjunk", "2026-11-28T19:15:36ZZ",
		"2026-11-28T24:00:00Z", "2026-11-28T19:60:00Z",
		"2026-11-28T19:15:60Z", "2026-13-01T00:00:00Z",
		"2026-00-01T00:00:00Z", "2026-11-00T00:00:00Z",
		"2026-02-29T00:00:00Z", "1900-02-29T00:00:00Z",
		"2026-11-31T00:00:00Z", "2026-11-28T19:15:36+24:00",
		"2026-11-28T19:15:36+01:60", "+2026-11-28T19:15:36Z",
		"20261-11-28T19:15:36Z", "2026-1-28T19:15:36Z",
		"2026-11-28T19:15:36.12a4Z", " 2026-11-28T19:15:36Z",
		"1795893336",
	};
	size_t	 i;

	for (i = 0; i < nitems(bad); i++) {
		if (prom_parse_time(bad[i]) != (time_t)-1)
			printf("# \"%s\" was taken\n", bad[i]);
		ASSERT_INT(prom_parse_time(bad[i]), -1);
	}
	ASSERT_INT(prom_parse_time(NULL), -1);
}

/* Every recorded body through every decoder: whatever the verdict, one
 * line of error or a result, never a crash or a leak. */
TEST(corpus)
{
	static const char *files[] = {
		"alerts.json", "am_alerts.json", "am_alerts_filtered.json",
		"am_alerts_groups.json", "am_error_400_bad_filter.json",
		"am_error_422_no_comment.json", "am_receivers.json",
		"am_silence.json", "am_silence_delete.txt",
		"am_silence_expired.json", "am_silences.json", "am_status.json",
		"buildinfo.json", "error_400_bad_data.json",
		"error_400_range_too_many_points.json",
		"error_404_unknown_path.txt", "error_422_execution.json",
		"error_503_timeout.json", "query_empty.json",
		"query_matrix_instant.json", "query_nan_inf.json",
		"query_range_matrix.json", "query_scalar.json",
		"query_scalar_inf.json", "query_scalar_nan.json",
		"query_string.json", "query_vector.json",
		"query_vector_cpu_percent.json", "rules.json",
		"silence_create.json", "targets.json",
	};
	static const int statuses[] = { 200, 400, 503 };
	struct prom_result	 r;
	struct prom_rule	*rules;
	struct am_alert		*alerts;
	struct am_silence	*silences;
	char			*body, *err, *id;
	size_t			 i, j, len;
	int			 n, decoded = 0;

	for (i = 0; i < nitems(files); i++) {
		ASSERT((body = fixture(files[i], &len)) != NULL);
		for (j = 0; j < nitems(statuses); j++) {
			if (prom_decode_query(body, len, statuses[j], &r,
			    &err) == 0) {
				decoded++;
				prom_result_free(&r);
			} else
				ASSERT(one_line(err) && r.nseries == 0);
			free(err);
			if (prom_decode_rules(body, len, statuses[j], &rules,
			    &n, &err) == 0) {
				decoded++;
				prom_rules_free(rules, n);
			} else
				ASSERT(one_line(err) && rules == NULL);
			free(err);
			if (am_decode_alerts(body, len, statuses[j], &alerts,
			    &n, &err) == 0) {
				decoded++;
				am_alerts_free(alerts, n);
			} else
				ASSERT(one_line(err) && alerts == NULL);
			free(err);
			if (am_decode_silences(body, len, statuses[j],
			    &silences, &n, &err) == 0) {
				decoded++;
				am_silences_free(silences, n);
			} else
				ASSERT(one_line(err) && silences == NULL);
			free(err);
			if (am_decode_silence_id(body, len, statuses[j], &id,
			    &err) == 0) {
				decoded++;
				free(id);
			} else
				ASSERT(one_line(err) && id == NULL);
			free(err);
		}
		free(body);
	}
	/* The success bodies under 200 and, body first, under 503 too. */
	ASSERT(decoded > 30);
}

int
main(void)
{
	/* Line by line: LeakSanitizer ends a leaky run without flushing. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	RUN(query_vector);
	RUN(query_vector_cpu_percent);
	RUN(query_nan_inf);
	RUN(query_scalars);
	RUN(query_string_and_empty);
	RUN(query_matrix_instant);
	RUN(query_range_matrix);
	RUN(query_api_errors);
	RUN(query_not_api_bodies);
	RUN(query_malformed_json);
	RUN(query_wrong_shapes);
	RUN(query_value_strings);
	RUN(query_huge_numbers);
	RUN(query_long_error);
	RUN(query_warnings_and_histograms);
	RUN(query_label_order);
	RUN(query_locale);
	RUN(rules_fixture);
	RUN(rules_hand_written);
	RUN(rules_errors);
	RUN(am_alerts_fixture);
	RUN(am_alerts_silenced_inhibited);
	RUN(am_alerts_filtered);
	RUN(am_alert_groups);
	RUN(am_alert_groups_dedup);
	RUN(am_errors);
	RUN(am_alerts_wrong_shapes);
	RUN(am_silences_fixture);
	RUN(am_silence_single);
	RUN(am_silences_hand_written);
	RUN(am_silences_wrong_shapes);
	RUN(am_silence_id);
	RUN(am_silence_body_roundtrip);
	RUN(am_silence_body_edges);
	RUN(parse_time_good);
	RUN(parse_time_garbage);
	RUN(corpus);
	return TEST_EXIT();
}
