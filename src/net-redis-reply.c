/* net-redis-reply.c: a hiredis reply copied into one block of our own
 * struct redis_reply, under a cap, so that no redisReply outlives the
 * callback that got it. */

#include <stdlib.h>
#include <string.h>

#include <hiredis/hiredis.h>

#include "net-redis-private.h"
#include "warroom.h"

/* Bytes and nodes a reply needs once copied. */
static void
redis_reply_size(const redisReply *in, size_t *nodes, size_t *bytes)
{
	size_t	 i;

	switch (in->type) {
	case REDIS_REPLY_STRING:
	case REDIS_REPLY_STATUS:
	case REDIS_REPLY_ERROR:
		*bytes += in->len + 1;
		break;
	case REDIS_REPLY_ARRAY:
		*nodes += in->elements;
		for (i = 0; i < in->elements; i++)
			redis_reply_size(in->element[i], nodes, bytes);
		break;
	}
}

static void
redis_reply_fill(struct redis_reply *out, const redisReply *in,
    struct redis_reply **nodes, char **str)
{
	size_t	 i;

	memset(out, 0, sizeof *out);
	switch (in->type) {
	case REDIS_REPLY_STRING:
	case REDIS_REPLY_STATUS:
	case REDIS_REPLY_ERROR:
		out->type = in->type == REDIS_REPLY_STRING ? REDIS_T_STRING :
		    in->type == REDIS_REPLY_STATUS ? REDIS_T_STATUS :
		    REDIS_T_ERROR;
		memcpy(*str, in->str, in->len);
		(*str)[in->len] = '\0';
		out->str = *str;
		out->len = in->len;
		*str += in->len + 1;
		break;
	case REDIS_REPLY_INTEGER:
		out->type = REDIS_T_INTEGER;
		out->integer = in->integer;
		break;
	case REDIS_REPLY_ARRAY:
		out->type = REDIS_T_ARRAY;
		out->elements = in->elements;
		out->element = *nodes;
		*nodes += in->elements;
		for (i = 0; i < in->elements; i++) {
			redis_reply_fill(&out->element[i], in->element[i],
			    nodes, str);
		}
		break;
	default:
		out->type = REDIS_T_NIL;
		break;
	}
}

struct redis_reply *
redis_reply_copy(const redisReply *in)
{
	struct redis_reply	*block, *nodes;
	size_t			 n = 1, bytes = 0, size;
	char			*str;

	redis_reply_size(in, &n, &bytes);
	if (n > REDIS_REPLY_MAX / sizeof *block ||
	    bytes > REDIS_REPLY_MAX - n * sizeof *block)
		return (NULL);
	size = n * sizeof *block + bytes;
	block = xmalloc(size);
	nodes = block + 1;
	str = (char *)(block + n);
	redis_reply_fill(block, in, &nodes, &str);
	return (block);
}
