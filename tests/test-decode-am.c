/* tests/test-decode-am.c: the Alertmanager decoders (alerts, alert groups,
 * silences, the id of a new silence) on the answers the real server gave
 * (tests/fixtures/prom), then on hand-written hostile ones, and the body of
 * a new silence. Every error path is checked for one line and empty
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

#include "decode-am.h"
#include "decode-prom.h"
#include "jdec.h"
#include "warroom.h"
#include "prom-fixture.h"
#include "test.h"

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
	time_t			 t;
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
	ASSERT_INT(jdec_parse_time(json_string_value(json_object_get(o,
	    "endsAt")), &t), 0);
	ASSERT_INT(t, 1795893358 + 3600);
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

int
main(void)
{
	/* Line by line: LeakSanitizer ends a leaky run without flushing. */
	setvbuf(stdout, NULL, _IOLBF, 0);
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
	return TEST_EXIT();
}
