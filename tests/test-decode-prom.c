/* tests/test-decode-prom.c: the Prometheus decoders (query, query_range,
 * rules) on the answers the real server gave (tests/fixtures/prom), then on
 * hand-written hostile ones, and every recorded body through every decoder.
 * Every error path is checked for one line and empty outputs; ASan and
 * valgrind check that nothing leaks. Alertmanager is in test-decode-am.c. */
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

#include "decode-am.h"
#include "decode-prom.h"
#include "warroom.h"
#include "prom-fixture.h"
#include "test.h"

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
	RUN(corpus);
	return TEST_EXIT();
}
