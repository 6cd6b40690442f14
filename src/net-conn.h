/* net-conn.h: what the PostgreSQL and Redis connections share: host names
 * resolved through the loop into a list of addresses to try, the numeric
 * host check, the reconnect backoff, and the deadlines of the requests. */
#ifndef WARROOM_NET_CONN_H
#define WARROOM_NET_CONN_H

#include <stdint.h>

#include <uv.h>

#define NET_CONN_BACKOFF_FIRST	500	/* ms, doubled after every failure */
#define NET_CONN_BACKOFF_MAX	30000

/* One address to connect to: the host as given, its address ("" for a
 * unix socket or an empty host: none to give), the host's port or NULL. */
struct net_conn_addr {
	char		*host;
	char		*addr;
	char		*port;
};

struct net_conn_gai;
typedef void (*net_conn_resolved_cb)(void *arg);

/* Host names to addresses, one name at a time through the loop. */
struct net_conn_resolver {
	uv_loop_t		*loop;
	char			**hosts;	/* owned */
	char			**ports;	/* one per host, or NULL; owned */
	int			 nhosts;
	int			 host_i;	/* the next to resolve */
	struct net_conn_addr	*addrs;		/* what was found, no twice */
	int			 naddrs;
	int			 max;		/* the cap on naddrs */
	int			 addr_i;	/* the next to try */
	char			*error;		/* the last lookup's failure */
	struct net_conn_gai	*gai;		/* the lookup in flight */
	net_conn_resolved_cb	 done;
	void			*arg;
};

/* Set up an empty resolver for at most max addresses; the caller ends it
 * with net_conn_resolver_free. */
void	 net_conn_resolver_init(struct net_conn_resolver *, uv_loop_t *,
	    int max);
/*
 * Resolve hosts[0..n) in turn, taking hosts and ports (arrays and strings,
 * from xmalloc; ports NULL or one per host) and forgetting the previous
 * list. Unix sockets (a path or "@name"), empty hosts and addresses need no
 * lookup. done(arg) is called once, when every host has had its turn: from
 * in here if no lookup was needed, else from the loop. Then addrs holds
 * what was found (maybe nothing) and error the last lookup's failure, as
 * "could not resolve "HOST": why", or NULL.
 */
void	 net_conn_resolve(struct net_conn_resolver *, char **hosts,
	    char **ports, int n, net_conn_resolved_cb, void *arg);
/* 1 if the first len bytes of host name this machine ("localhost", an
 * address in 127/8 or ::1, bracketed or not): nothing sent there crosses a
 * network. */
int	 net_conn_host_local(const char *host, size_t len);
/* The next address to try, or NULL when none is left; borrowed until the
 * next net_conn_resolve or net_conn_resolver_clear. */
const struct net_conn_addr *net_conn_next(struct net_conn_resolver *);
int	 net_conn_left(const struct net_conn_resolver *);
/* Give up trying the addresses that remain. */
void	 net_conn_skip(struct net_conn_resolver *);
/* Forget the lookup in flight: its done is never called. */
void	 net_conn_cancel(struct net_conn_resolver *);
/* That, and forget the lists; _free also releases the resolver's memory
 * (not the struct, which is the caller's). */
void	 net_conn_resolver_clear(struct net_conn_resolver *);
void	 net_conn_resolver_free(struct net_conn_resolver *);

/* The delay before the next attempt; the one after is twice that, up to
 * NET_CONN_BACKOFF_MAX. Start (and after a success, reset) at
 * NET_CONN_BACKOFF_FIRST. */
long	 net_conn_backoff(long *backoff_ms);

/* ms when given (> 0), else dflt. */
long	 net_conn_ms(long ms, long dflt);
/* uv_now() ms timeout_ms from now (the loop's time updated first). */
uint64_t net_conn_deadline(uv_loop_t *, long timeout_ms);

/* The earliest of some deadlines (uv_now() ms), to arm a timer for it. */
struct net_conn_due {
	uint64_t	 now;
	uint64_t	 when;
	int		 any;
};
void	 net_conn_due_init(struct net_conn_due *, uv_loop_t *);
void	 net_conn_due_add(struct net_conn_due *, uint64_t when);
/* Start timer for the earliest (at once if past), or stop it if none. */
void	 net_conn_due_arm(const struct net_conn_due *, uv_timer_t *,
	    uv_timer_cb);

#endif
