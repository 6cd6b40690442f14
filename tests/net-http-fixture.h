/* tests/net-http-fixture.h: the loopback server (tests/http-server/
 * server.py) and the copied responses, shared by test-net-http.c and
 * test-net-http-stream.c. */
#ifndef WARROOM_TEST_NET_HTTP_FIXTURE_H
#define WARROOM_TEST_NET_HTTP_FIXTURE_H

#include <stddef.h>

#include "net-http.h"

/* A response as on_done saw it, copied: the strings are the result's. */
struct result {
	int		 done;
	long		 status;
	int		 error;
	char		*error_text;
	char		*body;
	size_t		 body_len;
	int		 truncated;
	char		*retry_after;
	double		 started;
	double		 elapsed;
};

/* The server's ports once it is up: plain, and TLS (0 without). */
extern int	 server_port;
extern int	 server_tls_port;

/* http://127.0.0.1:server_port/path, from a ring of eight buffers. */
const char	*url(const char *path);
/* Free what res holds and zero it. */
void		 result_clear(struct result *res);
/* Copy resp into res and count it in res->done (100 more if the body is
 * not NUL-terminated in place); elapsed is from res->started. */
void		 save(struct result *res, const struct http_response *resp);
/* Start server.py ($TEST_SRCDIR/tests/http-server, else beside this file),
 * serving TLS too when cert and key are given; 0, after a FAIL line and
 * server_stop(), if it did not come up. */
int		 server_start(const char *cert, const char *key);
/* Close the server's stdin, so it exits, and reap it. */
void		 server_stop(void);

#endif
