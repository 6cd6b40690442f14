/* tests/test-net-http.c: net-http.c against a loopback Python server
 * (tests/http-server/server.py): bodies, errors, timeouts, caps, methods
 * and credentials, no secrets in the log, and TLS when openssl exists.
 * Streams, cancel, free and concurrency: test-net-http-stream.c. */

#include <sys/socket.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <uv.h>

#include "net-http.h"
#include "warroom.h"
#include "net-http-fixture.h"
#include "test.h"

#define TOKEN		"test-token-123"	/* as in server.py */
#define USER		"alice"
#define PASSWORD	"s3cret-pw"

static char	 tls_dir[] = "/tmp/test-net-http.XXXXXX";
static char	 tls_cert[PATH_MAX];
static char	 tls_key[PATH_MAX];
static char	*tls_cert_pem;
static size_t	 tls_cert_len;
static char	*tls_key_pem;
static size_t	 tls_key_len;

static const char *
tls_url(const char *host, const char *path)
{
	static char	 buf[4][256];
	static int	 n;
	char		*s = buf[n++ % 4];

	snprintf(s, sizeof buf[0], "https://%s:%d%s", host, server_tls_port,
	    path);
	return s;
}

static void
on_done_save(struct http_request *req, const struct http_response *resp,
    void *arg)
{
	(void)req;
	save(arg, resp);
}

/* Run one request on a fresh loop; returns uv_loop_close(). */
static int
run_one(const struct http_opts *o0, struct result *res)
{
	uv_loop_t		 loop;
	struct http		*h;
	struct http_opts	 o = *o0;
	int			 sync_done;

	memset(res, 0, sizeof *res);
	uv_loop_init(&loop);
	h = http_create(&loop);
	o.on_done = on_done_save;
	o.arg = res;
	res->started = now_mono();
	http_start(h, &o);
	sync_done = res->done;
	uv_run(&loop, UV_RUN_DEFAULT);
	if (http_active(h) != 0)
		res->done += 1000;
	http_free(h);
	uv_run(&loop, UV_RUN_DEFAULT);
	if (sync_done != 0)
		res->done += 1000;	/* on_done must never run synchronously */
	return uv_loop_close(&loop);
}

/* A port nothing listens on. */
static int
closed_port(void)
{
	struct sockaddr_in	 sin;
	socklen_t		 len = sizeof sin;
	int			 fd, port;

	fd = socket(AF_INET, SOCK_STREAM, 0);
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	bind(fd, (struct sockaddr *)&sin, sizeof sin);
	getsockname(fd, (struct sockaddr *)&sin, &len);
	port = ntohs(sin.sin_port);
	close(fd);
	return port;
}

/*
 * A port whose accept queue is full, so a new SYN is dropped and connect()
 * hangs: listen(0), fill the queue, never accept. fds[0] is the listener.
 */
static int
blackhole_port(int fds[4])
{
	struct sockaddr_in	 sin;
	socklen_t		 len = sizeof sin;
	int			 i;

	fds[0] = socket(AF_INET, SOCK_STREAM, 0);
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	bind(fds[0], (struct sockaddr *)&sin, sizeof sin);
	listen(fds[0], 0);
	getsockname(fds[0], (struct sockaddr *)&sin, &len);
	for (i = 1; i < 4; i++) {
		fds[i] = socket(AF_INET, SOCK_STREAM|SOCK_NONBLOCK, 0);
		connect(fds[i], (struct sockaddr *)&sin, sizeof sin);
	}
	usleep(100000);
	return ntohs(sin.sin_port);
}

TEST(ok_200)
{
	struct http_opts	 o = { .url = url("/ok") };
	struct result		 res;

	ASSERT_INT(run_one(&o, &res), 0);
	ASSERT_INT(res.done, 1);
	ASSERT_INT(res.status, 200);
	ASSERT_INT(res.error, 0);
	ASSERT(res.error_text == NULL);
	ASSERT_INT(res.truncated, 0);
	ASSERT(res.retry_after == NULL);
	ASSERT_STR(res.body, "{\"status\":\"success\",\"data\":{\"ok\":true}}");
	ASSERT_INT(res.body_len, strlen(res.body));
	result_clear(&res);
}

TEST(http_errors_keep_body)
{
	struct http_opts	 o = { .url = url("/status/404") };
	struct result		 res;

	ASSERT_INT(run_one(&o, &res), 0);
	ASSERT_INT(res.done, 1);
	ASSERT_INT(res.status, 404);
	ASSERT_INT(res.error, 0);
	ASSERT(res.error_text == NULL);
	ASSERT_STR(res.body,
	    "{\"kind\":\"Status\",\"code\":404,\"message\":\"status 404\"}");
	result_clear(&res);

	o.url = url("/status/500");
	ASSERT_INT(run_one(&o, &res), 0);
	ASSERT_INT(res.done, 1);
	ASSERT_INT(res.status, 500);
	ASSERT_INT(res.error, 0);
	ASSERT(strstr(res.body, "\"code\":500") != NULL);
	result_clear(&res);
}

TEST(retry_after)
{
	struct http_opts	 o = { .url = url("/retry") };
	struct result		 res;

	ASSERT_INT(run_one(&o, &res), 0);
	ASSERT_INT(res.done, 1);
	ASSERT_INT(res.status, 429);
	ASSERT_INT(res.error, 0);
	ASSERT_STR(res.retry_after, "3");
	result_clear(&res);
}

TEST(connection_refused)
{
	char			 u[64];
	struct http_opts	 o = { .url = u };
	struct result		 res;

	snprintf(u, sizeof u, "http://127.0.0.1:%d/ok", closed_port());
	ASSERT_INT(run_one(&o, &res), 0);
	ASSERT_INT(res.done, 1);
	ASSERT_INT(res.status, 0);
	ASSERT_INT(res.error, 7);	/* CURLE_COULDNT_CONNECT */
	ASSERT(res.error_text != NULL);
	ASSERT(strncmp(res.error_text, "connection refused", 18) == 0);
	result_clear(&res);
}

TEST(connect_timeout)
{
	char			 u[64];
	struct http_opts	 o = { .url = u, .connect_timeout_ms = 300 };
	struct result		 res;
	int			 fds[4], i, rc;

	snprintf(u, sizeof u, "http://127.0.0.1:%d/ok", blackhole_port(fds));
	rc = run_one(&o, &res);
	for (i = 0; i < 4; i++)
		close(fds[i]);
	ASSERT_INT(rc, 0);
	ASSERT_INT(res.done, 1);
	ASSERT_INT(res.error, 28);	/* CURLE_OPERATION_TIMEDOUT */
	ASSERT(strncmp(res.error_text, "timed out", 9) == 0);
	ASSERT(res.elapsed >= 0.25 && res.elapsed < 3.0);
	result_clear(&res);
}

TEST(total_timeout)
{
	struct http_opts	 o = { .url = url("/slow?ms=5000"),
	    .timeout_ms = 300 };
	struct result		 res;

	ASSERT_INT(run_one(&o, &res), 0);
	ASSERT_INT(res.done, 1);
	ASSERT_INT(res.status, 0);
	ASSERT_INT(res.error, 28);
	ASSERT(strncmp(res.error_text, "timed out", 9) == 0);
	ASSERT(res.elapsed >= 0.25 && res.elapsed < 3.0);
	result_clear(&res);

	/* A slow reply within the timeout is fine. */
	o.url = url("/slow?ms=200");
	o.timeout_ms = 3000;
	ASSERT_INT(run_one(&o, &res), 0);
	ASSERT_INT(res.done, 1);
	ASSERT_INT(res.status, 200);
	ASSERT_INT(res.error, 0);
	ASSERT_STR(res.body, "slow");
	result_clear(&res);
}

TEST(low_speed_abort)
{
	struct http_opts	 o = { .url = url("/stall?s=30"),
	    .low_speed_time_s = 1 };
	struct result		 res;

	ASSERT_INT(run_one(&o, &res), 0);
	ASSERT_INT(res.done, 1);
	ASSERT_INT(res.status, 200);	/* the headers did arrive */
	ASSERT_INT(res.error, 28);
	ASSERT(strncmp(res.error_text, "timed out", 9) == 0);
	ASSERT(res.elapsed >= 0.9 && res.elapsed < 8.0);
	result_clear(&res);
}

TEST(body_cap)
{
	struct http_opts	 o = { .url = url("/big?n=5000"),
	    .max_body = 1000 };
	struct result		 res;
	size_t			 i;

	/* Content-Length says too much. */
	ASSERT_INT(run_one(&o, &res), 0);
	ASSERT_INT(res.done, 1);
	ASSERT_INT(res.truncated, 1);
	ASSERT(res.error != 0);
	ASSERT_STR(res.error_text, "response larger than 1000 bytes");
	result_clear(&res);

	/* Chunked: found while writing. */
	o.url = url("/big?n=5000&chunked=1");
	ASSERT_INT(run_one(&o, &res), 0);
	ASSERT_INT(res.done, 1);
	ASSERT_INT(res.truncated, 1);
	ASSERT(res.error != 0);
	ASSERT_STR(res.error_text, "response larger than 1000 bytes");
	ASSERT(res.body_len <= 1000);
	result_clear(&res);

	/* Exactly the cap is allowed. */
	o.url = url("/big?n=1000&chunked=1");
	ASSERT_INT(run_one(&o, &res), 0);
	ASSERT_INT(res.done, 1);
	ASSERT_INT(res.truncated, 0);
	ASSERT_INT(res.error, 0);
	ASSERT_INT(res.body_len, 1000);
	for (i = 0; i < res.body_len; i++)
		ASSERT(res.body[i] == '0' + (int)(i % 10));
	result_clear(&res);
}

TEST(big_body)
{
	struct http_opts	 o = { .url = url("/big?n=3000000") };
	struct result		 res;
	size_t			 i;

	ASSERT_INT(run_one(&o, &res), 0);
	ASSERT_INT(res.done, 1);
	ASSERT_INT(res.status, 200);
	ASSERT_INT(res.error, 0);
	ASSERT_INT(res.body_len, 3000000);
	for (i = 0; i < res.body_len; i++) {
		if (res.body[i] != '0' + (int)(i % 10))
			break;
	}
	ASSERT_INT(i, 3000000);
	result_clear(&res);
}

TEST(setup_errors_async)
{
	struct http_opts	 o = { .url = "http://[::1" };
	struct http_tls		 tls = { .ca_file = "/nonexistent/ca.pem" };
	struct result		 res;

	/* run_one adds 1000 to done if on_done ran inside http_start. */
	ASSERT_INT(run_one(&o, &res), 0);
	ASSERT_INT(res.done, 1);
	ASSERT_INT(res.status, 0);
	ASSERT_INT(res.error, 3);	/* CURLE_URL_MALFORMAT */
	ASSERT(strncmp(res.error_text, "bad URL", 7) == 0);
	result_clear(&res);

	o.url = NULL;
	ASSERT_INT(run_one(&o, &res), 0);
	ASSERT_INT(res.done, 1);
	ASSERT_INT(res.error, 3);
	result_clear(&res);

	/* Parses, but only http and https are allowed. */
	o.url = "ftp://127.0.0.1/";
	ASSERT_INT(run_one(&o, &res), 0);
	ASSERT_INT(res.done, 1);
	ASSERT_INT(res.error, 1);	/* CURLE_UNSUPPORTED_PROTOCOL */
	ASSERT(strncmp(res.error_text, "unsupported protocol", 20) == 0);
	result_clear(&res);

	if (server_tls_port != 0) {
		o.url = tls_url("127.0.0.1", "/ok");
		o.tls = &tls;
		ASSERT_INT(run_one(&o, &res), 0);
		ASSERT_INT(res.done, 1);
		ASSERT(res.error != 0);
		ASSERT(res.error_text != NULL);
		result_clear(&res);
	}
}

TEST(echo_methods_and_auth)
{
	struct http_opts	 o = { .url = url("/echo"), .method = "POST",
	    .accept = "application/json", .content_type = "text/plain",
	    .body = "hello\0world", .body_len = 11, .bearer = TOKEN };
	struct result		 res;

	ASSERT_INT(run_one(&o, &res), 0);
	ASSERT_INT(res.status, 200);
	ASSERT_STR(res.body, "{\"accept\":\"application/json\",\"auth_ok\":true,"
	    "\"authorization\":\"yes\",\"body\":\"hello\\u0000world\","
	    "\"content_type\":\"text/plain\",\"method\":\"POST\","
	    "\"scheme\":\"Bearer\"}");
	result_clear(&res);

	memset(&o, 0, sizeof o);
	o.url = url("/echo");
	o.basic_user = USER;
	o.basic_pass = PASSWORD;
	ASSERT_INT(run_one(&o, &res), 0);
	ASSERT_INT(res.status, 200);
	ASSERT_STR(res.body, "{\"accept\":\"*/*\",\"auth_ok\":true,"
	    "\"authorization\":\"yes\",\"body\":\"\",\"content_type\":null,"
	    "\"method\":\"GET\",\"scheme\":\"Basic\"}");
	result_clear(&res);

	memset(&o, 0, sizeof o);
	o.url = url("/echo");
	o.method = "DELETE";
	ASSERT_INT(run_one(&o, &res), 0);
	ASSERT(strstr(res.body, "\"method\":\"DELETE\"") != NULL);
	ASSERT(strstr(res.body, "\"authorization\":\"no\"") != NULL);
	result_clear(&res);

	o.method = "PATCH";
	o.content_type = "application/merge-patch+json";
	o.body = "{\"spec\":{}}";
	ASSERT_INT(run_one(&o, &res), 0);
	ASSERT(strstr(res.body, "\"method\":\"PATCH\"") != NULL);
	ASSERT(strstr(res.body, "\"body\":\"{\\\"spec\\\":{}}\"") != NULL);
	ASSERT(strstr(res.body,
	    "\"content_type\":\"application/merge-patch+json\"") != NULL);
	result_clear(&res);

	o.method = "HEAD";
	o.body = NULL;
	o.url = url("/ok");
	ASSERT_INT(run_one(&o, &res), 0);
	ASSERT_INT(res.status, 200);
	ASSERT_INT(res.body_len, 0);
	result_clear(&res);
}

TEST(no_secrets_in_log)
{
	char			 path[] = "/tmp/test-net-http-log.XXXXXX";
	char			 buf[65536];
	struct http_opts	 o = { .url = url("/echo"), .bearer = TOKEN,
	    .body = "secret-body-text" };
	struct result		 res;
	ssize_t			 n;
	int			 fd;
	char			*cause = NULL, want[128];

	ASSERT((fd = mkstemp(path)) != -1);
	close(fd);
	ASSERT_INT(log_open(path, &cause), 0);
	ASSERT_INT(run_one(&o, &res), 0);
	ASSERT(strstr(res.body, "\"auth_ok\":true") != NULL);
	result_clear(&res);

	memset(&o, 0, sizeof o);
	snprintf(buf, sizeof buf, "http://%s:%s@127.0.0.1:%d/echo", USER,
	    PASSWORD, server_port);
	o.url = buf;
	ASSERT_INT(run_one(&o, &res), 0);
	ASSERT(strstr(res.body, "\"scheme\":\"Basic\"") != NULL);
	ASSERT(strstr(res.body, "\"auth_ok\":true") != NULL);
	result_clear(&res);

	/* A query (a token in it) and a webhook's path are never logged. */
	memset(&o, 0, sizeof o);
	snprintf(buf, sizeof buf, "http://127.0.0.1:%d/echo?token=qsecret1"
	    "#qsecret2", server_port);
	o.url = buf;
	ASSERT_INT(run_one(&o, &res), 0);
	result_clear(&res);
	memset(&o, 0, sizeof o);
	snprintf(buf, sizeof buf, "http://127.0.0.1:%d/echo/hooks/psecret3",
	    server_port);
	o.url = buf;
	o.log_origin = 1;
	ASSERT_INT(run_one(&o, &res), 0);
	result_clear(&res);
	log_close();

	fd = open(path, O_RDONLY);
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	unlink(path);
	ASSERT(n > 0);
	buf[n] = '\0';
	ASSERT(strstr(buf, "/echo") != NULL);
	ASSERT(strstr(buf, "status 200") != NULL);
	ASSERT(strstr(buf, TOKEN) == NULL);
	ASSERT(strstr(buf, PASSWORD) == NULL);
	ASSERT(strstr(buf, "secret-body") == NULL);
	ASSERT(strstr(buf, "qsecret") == NULL);
	ASSERT(strstr(buf, "psecret") == NULL);
	snprintf(want, sizeof want, "http://127.0.0.1:%d/\xe2\x80\xa6: status",
	    server_port);
	ASSERT(strstr(buf, want) != NULL);
}

static char *
read_file(const char *path, size_t *len)
{
	FILE	*f;
	char	*buf;
	long	 n;

	if ((f = fopen(path, "r")) == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = xmalloc(n + 1);
	*len = fread(buf, 1, n, f);
	buf[*len] = '\0';
	fclose(f);
	return buf;
}

static int
tls_setup(void)
{
	char	 cmd[2 * PATH_MAX + 512];

	if (mkdtemp(tls_dir) == NULL)
		return 0;
	snprintf(tls_cert, sizeof tls_cert, "%s/cert.pem", tls_dir);
	snprintf(tls_key, sizeof tls_key, "%s/key.pem", tls_dir);
	snprintf(cmd, sizeof cmd, "openssl req -x509 -newkey rsa:2048 -nodes "
	    "-keyout %s -out %s -days 2 -subj /CN=warroom-test "
	    "-addext subjectAltName=IP:127.0.0.1 >/dev/null 2>&1", tls_key,
	    tls_cert);
	if (system(cmd) != 0)
		return 0;
	tls_cert_pem = read_file(tls_cert, &tls_cert_len);
	tls_key_pem = read_file(tls_key, &tls_key_len);
	return tls_cert_pem != NULL && tls_key_pem != NULL;
}

static void
tls_cleanup(void)
{
	unlink(tls_cert);
	unlink(tls_key);
	rmdir(tls_dir);
	free(tls_cert_pem);
	free(tls_key_pem);
}

TEST(tls)
{
	struct http_tls		 tls;
	struct http_opts	 o = { .url = tls_url("127.0.0.1", "/ok"),
	    .tls = &tls };
	struct result		 res;

	/* Self-signed and no CA given: refused. */
	memset(&tls, 0, sizeof tls);
	ASSERT_INT(run_one(&o, &res), 0);
	ASSERT_INT(res.done, 1);
	ASSERT_INT(res.status, 0);
	ASSERT_INT(res.error, 60);	/* CURLE_PEER_FAILED_VERIFICATION */
	ASSERT(strncmp(res.error_text, "TLS certificate", 15) == 0);
	result_clear(&res);

	tls.ca_file = tls_cert;
	ASSERT_INT(run_one(&o, &res), 0);
	ASSERT_INT(res.status, 200);
	ASSERT_INT(res.error, 0);
	result_clear(&res);

	memset(&tls, 0, sizeof tls);
	tls.ca_pem = tls_cert_pem;
	tls.ca_pem_len = tls_cert_len;
	ASSERT_INT(run_one(&o, &res), 0);
	ASSERT_INT(res.status, 200);
	ASSERT_INT(res.error, 0);
	result_clear(&res);

	memset(&tls, 0, sizeof tls);
	tls.insecure = 1;
	ASSERT_INT(run_one(&o, &res), 0);
	ASSERT_INT(res.status, 200);
	result_clear(&res);

	/* The name does not match the certificate (IP SAN only). */
	memset(&tls, 0, sizeof tls);
	tls.ca_pem = tls_cert_pem;
	tls.ca_pem_len = tls_cert_len;
	o.url = tls_url("localhost", "/ok");
	ASSERT_INT(run_one(&o, &res), 0);
	ASSERT_INT(res.status, 0);
	ASSERT_INT(res.error, 60);
	result_clear(&res);

	/* Client certificate, as blobs and as files. */
	o.url = tls_url("127.0.0.1", "/clientcert");
	ASSERT_INT(run_one(&o, &res), 0);
	ASSERT_STR(res.body, "{\"cn\":\"none\"}");
	result_clear(&res);

	tls.cert_pem = tls_cert_pem;
	tls.cert_pem_len = tls_cert_len;
	tls.key_pem = tls_key_pem;
	tls.key_pem_len = tls_key_len;
	ASSERT_INT(run_one(&o, &res), 0);
	ASSERT_INT(res.status, 200);
	ASSERT_STR(res.body, "{\"cn\":\"warroom-test\"}");
	result_clear(&res);

	memset(&tls, 0, sizeof tls);
	tls.ca_file = tls_cert;
	tls.cert_file = tls_cert;
	tls.key_file = tls_key;
	tls.server_name = "127.0.0.1";		/* the name in the certificate */
	ASSERT_INT(run_one(&o, &res), 0);
	ASSERT_INT(res.status, 200);
	ASSERT_STR(res.body, "{\"cn\":\"warroom-test\"}");
	result_clear(&res);

	tls.server_name = "other.example";	/* verified, and refused */
	ASSERT_INT(run_one(&o, &res), 0);
	ASSERT_INT(res.status, 0);
	ASSERT(res.error != 0);
	result_clear(&res);
}

int
main(void)
{
	int	 tls;

	signal(SIGPIPE, SIG_IGN);
	alarm(300);	/* a hung loop fails the run instead of blocking it */

	tls = tls_setup();
	if (!server_start(tls ? tls_cert : NULL, tls ? tls_key : NULL)) {
		if (tls)
			tls_cleanup();
		return 1;
	}

	RUN(ok_200);
	RUN(http_errors_keep_body);
	RUN(retry_after);
	RUN(connection_refused);
	RUN(connect_timeout);
	RUN(total_timeout);
	RUN(low_speed_abort);
	RUN(body_cap);
	RUN(big_body);
	RUN(setup_errors_async);
	RUN(echo_methods_and_auth);
	RUN(no_secrets_in_log);
	/* A case that could not run is a failure, never a silent skip
	 * (tests/lib.sh's rule): bootstrap installs openssl. */
	if (tls && server_tls_port != 0)
		RUN(tls);
	else {
		printf("FAIL: tls: not run: %s\n", tls ? "the test server "
		    "did not open a TLS port" : "openssl could not make a "
		    "certificate");
		test_failed_total++;
	}

	server_stop();
	if (tls)
		tls_cleanup();
	return TEST_EXIT();
}
