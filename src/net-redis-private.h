/* net-redis-private.h: the parts of net-redis.c that need no connection:
 * the URL (net-redis-url.c) and the copy of a reply (net-redis-reply.c). */
#ifndef WARROOM_NET_REDIS_PRIVATE_H
#define WARROOM_NET_REDIS_PRIVATE_H

#include "net-redis.h"

#define REDIS_REPLY_MAX		(64 * 1024 * 1024) /* a copied reply, bytes */

/* What a Redis URL says. */
struct redis_url {
	char		*host;		/* or */
	char		*path;		/* a unix socket */
	int		 port;
	char		*user;
	char		*password;	/* never logged */
	int		 db;
};

/*
 * Parse redis://[[user]:password@]host[:port][/db] or /path/to/socket into
 * u, which must be zeroed. 0, or -1 and a new *cause, which never quotes
 * the URL: it may hold the password. Either way u's strings are the
 * caller's, to release with redis_url_free.
 */
int	 redis_url_parse(struct redis_url *u, const char *url, char **cause);
/* Free u's strings, the password wiped first. */
void	 redis_url_free(struct redis_url *u);

struct redisReply;
/* The whole reply in one block the caller frees; NULL if over
 * REDIS_REPLY_MAX. */
struct redis_reply *redis_reply_copy(const struct redisReply *);

#endif
