/* net-conn.c: the connection helper of net-pg.c and net-redis.c: names
 * resolved by uv_getaddrinfo (libpq and hiredis would block on them), the
 * addresses to try in turn, the backoff between attempts, and deadlines. */

#include <sys/types.h>
#include <sys/socket.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <netdb.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <uv.h>

#include "net-conn.h"
#include "warroom.h"

/* One lookup; its memory goes in its callback, which comes even after a
 * cancel (then res is NULL). */
struct net_conn_gai {
	uv_getaddrinfo_t	 req;
	struct net_conn_resolver *res;		/* NULL: forgotten */
};

static void	net_conn_resolve_next(struct net_conn_resolver *);

void
net_conn_resolver_init(struct net_conn_resolver *res, uv_loop_t *loop,
    int max)
{
	memset(res, 0, sizeof *res);
	res->loop = loop;
	res->max = max;
	res->addrs = xcalloc(max, sizeof *res->addrs);
}

void
net_conn_cancel(struct net_conn_resolver *res)
{
	if (res->gai != NULL) {
		uv_cancel((uv_req_t *)&res->gai->req);
		res->gai->res = NULL;	/* its callback frees it */
		res->gai = NULL;
	}
}

void
net_conn_resolver_clear(struct net_conn_resolver *res)
{
	int	 i;

	net_conn_cancel(res);
	for (i = 0; i < res->nhosts; i++) {
		free(res->hosts[i]);
		if (res->ports != NULL)
			free(res->ports[i]);
	}
	free(res->hosts);
	free(res->ports);
	res->hosts = res->ports = NULL;
	res->nhosts = res->host_i = 0;
	for (i = 0; i < res->naddrs; i++) {
		free(res->addrs[i].host);
		free(res->addrs[i].addr);
		free(res->addrs[i].port);
	}
	res->naddrs = res->addr_i = 0;
	free(res->error);
	res->error = NULL;
}

void
net_conn_resolver_free(struct net_conn_resolver *res)
{
	net_conn_resolver_clear(res);
	free(res->addrs);
	res->addrs = NULL;
}

/* A host that is an IPv4 or IPv6 address, not a name. */
static int
net_conn_is_numeric(const char *host)
{
	unsigned char	 buf[sizeof (struct in6_addr)];

	return inet_pton(AF_INET, host, buf) == 1 ||
	    inet_pton(AF_INET6, host, buf) == 1;
}

int
net_conn_host_local(const char *host, size_t len)
{
	char	 buf[64];

	if (len >= 2 && host[0] == '[' && host[len - 1] == ']') {
		host++;
		len -= 2;
	}
	if (len == 0 || len >= sizeof buf)
		return 0;
	memcpy(buf, host, len);
	buf[len] = '\0';
	return strcasecmp(buf, "localhost") == 0 || strcmp(buf, "::1") == 0 ||
	    (strncmp(buf, "127.", 4) == 0 && net_conn_is_numeric(buf));
}

/* Add the address of hosts[hi], once, while there is room. */
static void
net_conn_add(struct net_conn_resolver *res, const char *host,
    const char *addr, int hi)
{
	struct net_conn_addr	*a;
	int			 i;

	for (i = 0; i < res->naddrs; i++) {
		if (strcmp(res->addrs[i].host, host) == 0 &&
		    strcmp(res->addrs[i].addr, addr) == 0 && *addr != '\0')
			return;		/* the same address twice */
	}
	if (res->naddrs == res->max)
		return;
	a = &res->addrs[res->naddrs++];
	a->host = xstrdup(host);
	a->addr = xstrdup(addr);
	a->port = res->ports != NULL ? xstrdup(res->ports[hi]) : NULL;
}

static void
net_conn_failed(struct net_conn_resolver *res, const char *host, int error)
{
	free(res->error);
	xasprintf(&res->error, "could not resolve \"%s\": %s", host,
	    uv_strerror(error));
}

static void
net_conn_gai_cb(uv_getaddrinfo_t *req, int status, struct addrinfo *ai0)
{
	struct net_conn_gai	*g = req->data;
	struct net_conn_resolver *res = g->res;
	struct addrinfo		*ai;
	char			 ip[INET6_ADDRSTRLEN];
	const char		*host;

	free(g);
	if (res == NULL) {
		uv_freeaddrinfo(ai0);
		return;
	}
	res->gai = NULL;
	host = res->hosts[res->host_i];
	if (status != 0)
		net_conn_failed(res, host, status);
	for (ai = ai0; status == 0 && ai != NULL; ai = ai->ai_next) {
		if (ai->ai_family == AF_INET)
			uv_ip4_name((struct sockaddr_in *)ai->ai_addr, ip,
			    sizeof ip);
		else if (ai->ai_family == AF_INET6)
			uv_ip6_name((struct sockaddr_in6 *)ai->ai_addr, ip,
			    sizeof ip);
		else
			continue;
		net_conn_add(res, host, ip, res->host_i);
	}
	uv_freeaddrinfo(ai0);
	res->host_i++;
	net_conn_resolve_next(res);
}

/* Resolve the hosts in turn through the loop, then say so. Unix sockets,
 * empty entries and addresses need no lookup. */
static void
net_conn_resolve_next(struct net_conn_resolver *res)
{
	struct addrinfo		 hints;
	struct net_conn_gai	*g;
	const char		*h;
	int			 error;

	for (; res->host_i < res->nhosts; res->host_i++) {
		h = res->hosts[res->host_i];
		if (*h == '\0' || *h == '/' || *h == '@') {
			net_conn_add(res, h, "", res->host_i);
			continue;
		}
		if (net_conn_is_numeric(h)) {
			net_conn_add(res, h, h, res->host_i);
			continue;
		}
		memset(&hints, 0, sizeof hints);
		hints.ai_family = AF_UNSPEC;
		hints.ai_socktype = SOCK_STREAM;
		g = xcalloc(1, sizeof *g);
		g->res = res;
		g->req.data = g;
		error = uv_getaddrinfo(res->loop, &g->req, net_conn_gai_cb, h,
		    NULL, &hints);
		if (error == 0) {
			res->gai = g;
			return;
		}
		free(g);
		net_conn_failed(res, h, error);
	}
	res->done(res->arg);
}

void
net_conn_resolve(struct net_conn_resolver *res, char **hosts, char **ports,
    int n, net_conn_resolved_cb done, void *arg)
{
	net_conn_resolver_clear(res);
	res->hosts = hosts;
	res->ports = ports;
	res->nhosts = n;
	res->done = done;
	res->arg = arg;
	net_conn_resolve_next(res);
}

const struct net_conn_addr *
net_conn_next(struct net_conn_resolver *res)
{
	if (res->addr_i >= res->naddrs)
		return NULL;
	return &res->addrs[res->addr_i++];
}

int
net_conn_left(const struct net_conn_resolver *res)
{
	return res->addr_i < res->naddrs;
}

void
net_conn_skip(struct net_conn_resolver *res)
{
	res->addr_i = res->naddrs;
}

long
net_conn_backoff(long *backoff_ms)
{
	long	 delay = *backoff_ms;

	*backoff_ms = *backoff_ms * 2 > NET_CONN_BACKOFF_MAX ?
	    NET_CONN_BACKOFF_MAX : *backoff_ms * 2;
	return delay;
}

long
net_conn_ms(long ms, long dflt)
{
	return ms > 0 ? ms : dflt;
}

uint64_t
net_conn_deadline(uv_loop_t *loop, long timeout_ms)
{
	uv_update_time(loop);
	return uv_now(loop) + timeout_ms;
}

void
net_conn_due_init(struct net_conn_due *due, uv_loop_t *loop)
{
	due->now = uv_now(loop);
	due->when = 0;
	due->any = 0;
}

void
net_conn_due_add(struct net_conn_due *due, uint64_t when)
{
	if (!due->any || when < due->when)
		due->when = when;
	due->any = 1;
}

void
net_conn_due_arm(const struct net_conn_due *due, uv_timer_t *timer,
    uv_timer_cb cb)
{
	if (!due->any)
		uv_timer_stop(timer);
	else
		uv_timer_start(timer, cb, due->when > due->now ?
		    due->when - due->now : 0, 0);
}
