/* decode-am.h: pure decoders for Alertmanager's API v2 (alerts, silences,
 * the id of a new silence) and the body of a new silence. No I/O: bodies in,
 * plain structs out. Every string is copied as received (the caller
 * sanitizes before display). */
#ifndef WARROOM_DECODE_AM_H
#define WARROOM_DECODE_AM_H

#include <stddef.h>
#include <time.h>

#include "decode-prom.h"		/* struct prom_kv, prom_kv_get */

/* An alert of Alertmanager's GET /api/v2/alerts. */
struct am_alert {
	char		*fingerprint;
	struct prom_kv	*labels;	/* sorted by name */
	int		 nlabels;
	struct prom_kv	*annotations;
	int		 nannotations;
	char		*state;		/* "active", "suppressed",
					 * "unprocessed" */
	char		**silenced_by;	/* silence ids */
	int		 nsilenced;
	char		**inhibited_by;	/* fingerprints of inhibiting alerts */
	int		 ninhibited;
	time_t		 starts_at;
	time_t		 updated_at;
	time_t		 ends_at;
	char		*generator_url;
};

int	 am_decode_alerts(const char *body, size_t len, int status,
	    struct am_alert **alerts, int *n, char **err);
void	 am_alerts_free(struct am_alert *, int n);

struct am_matcher {
	char		*name;
	char		*value;
	int		 is_regex;
	int		 is_equal;	/* 0: != or !~ */
};

/* A silence of GET /api/v2/silences. */
struct am_silence {
	char		*id;
	char		*state;		/* "active", "pending", "expired" */
	struct am_matcher *matchers;
	int		 nmatchers;
	time_t		 starts_at;
	time_t		 ends_at;
	char		*created_by;
	char		*comment;
};

int	 am_decode_silences(const char *body, size_t len, int status,
	    struct am_silence **silences, int *n, char **err);
void	 am_silences_free(struct am_silence *, int n);

/*
 * The body of POST /api/v2/silences: one exact (isEqual, not regex) matcher
 * per label of the alert, in label order, from starts to ends (RFC 3339,
 * UTC, as Alertmanager writes them), createdBy and comment. New string.
 */
char	*am_silence_body(const struct prom_kv *labels, int nlabels,
	    time_t starts, time_t ends, const char *created_by,
	    const char *comment);
/* The silenceID of POST /api/v2/silences' answer. Returns 0 and a new
 * *id, or -1 and a new *err (Alertmanager's error text for a 400). */
int	 am_decode_silence_id(const char *body, size_t len, int status,
	    char **id, char **err);

#endif
