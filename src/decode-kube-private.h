/* decode-kube-private.h: the decoding state and json helpers shared by
 * decode-kube.c and decode-kube-pod.c; nothing else includes it. */
#ifndef WARROOM_DECODE_KUBE_PRIVATE_H
#define WARROOM_DECODE_KUBE_PRIVATE_H

#include <stddef.h>
#include <time.h>

#include <jansson.h>

#include "warroom.h"

/* Decoding state: the first error wins and names the object. */
struct dec {
	const char	*what;		/* "pod", "deployment", ... */
	char		 key[256];	/* "ns/name", for messages */
	char		*cause;		/* first error, new */
};

/* The metadata every object shares; strings borrowed from the json. */
struct dec_meta {
	json_t		*meta;
	const char	*ns;		/* "" if absent */
	const char	*name;
	const char	*uid;		/* NULL if absent */
	time_t		 created;
};

/* In decode-kube.c. */
int		 dk_streq(const char *, const char *);
char		*dk_dup_or_null(const char *);
const char	*dk_json_type_name(json_t *);
void		 dec_init(struct dec *, const char *);
void		 dec_fail(struct dec *, const char *, ...)
		    WARROOM_PRINTF(2, 3);
/* Hand the cause to the caller, or drop it if cause is NULL. */
void		 dec_cause(struct dec *, char **);
json_t		*dec_obj(struct dec *, json_t *, const char *);
json_t		*dec_arr(struct dec *, json_t *, const char *);
const char	*dec_str(struct dec *, json_t *, const char *);
/* An integer member clamped to [min, max]; def if absent. */
long long	 dec_int(struct dec *, json_t *, const char *, long long def,
		    long long min, long long max);
int		 dec_bool(struct dec *, json_t *, const char *);
time_t		 dec_time(struct dec *, json_t *, const char *);
/* Element i of an array, which must be an object. */
json_t		*dec_item(struct dec *, json_t *, size_t i, const char *);
int		 dec_metadata(struct dec *, json_t *, struct dec_meta *);
/* The ownerReference with controller: true, or NULL. */
json_t		*dec_controller(struct dec *, json_t *);

#endif
