/* decode-prom.h: pure decoders for Prometheus's HTTP API (query,
 * query_range, rules), and the labels Alertmanager shares (decode-am.h).
 * No I/O: bodies in, plain structs out. Every string is copied as received
 * (the caller sanitizes before display). */
#ifndef WARROOM_DECODE_PROM_H
#define WARROOM_DECODE_PROM_H

#include <stddef.h>
#include <time.h>

/* A label or annotation (of Prometheus, and of Alertmanager). */
struct prom_kv {
	char		*k;
	char		*v;
};

struct prom_point {
	double		 t;		/* Unix seconds */
	double		 v;		/* may be NaN or +-Inf */
};

/* One series: a vector element (one point), a matrix row, or the one
 * "series" of a scalar (no labels). */
struct prom_series {
	struct prom_kv	*labels;	/* sorted by name */
	int		 nlabels;
	struct prom_point *points;
	int		 npoints;
};

enum prom_type {
	PROM_VECTOR,
	PROM_MATRIX,
	PROM_SCALAR,
	PROM_STRING
};

struct prom_result {
	enum prom_type	 type;
	struct prom_series *series;
	int		 nseries;
	char		*string;	/* PROM_STRING's value */
	char		*warnings;	/* "; "-joined, or NULL */
};

/*
 * Decode a /api/v1/query or /api/v1/query_range answer. status is the HTTP
 * status. Returns 0, or -1 and a new *err in one line: for an error body
 * ({"status":"error",...}) "ERRORTYPE: ERROR" ("bad_data: 1:5: parse error:
 * ..."), for a body that is not the API's JSON "HTTP 503: FIRST LINE" or a
 * description of what is wrong. On -1, *r is empty (safe to free).
 */
int	 prom_decode_query(const char *body, size_t len, int status,
	    struct prom_result *r, char **err);
void	 prom_result_free(struct prom_result *);
/* The value of label name, or NULL. */
const char *prom_label(const struct prom_series *, const char *name);
/* The value of label (or annotation) name, or NULL. */
const char *prom_kv_get(const struct prom_kv *, int n, const char *name);

/* A rule of /api/v1/rules: alerting or recording. */
struct prom_rule {
	char		*group;
	char		*name;
	char		*type;		/* "alerting", "recording" */
	char		*state;		/* "firing", "pending", "inactive";
					 * NULL for recording rules */
	char		*health;	/* "ok", "err", "unknown" */
	char		*last_error;	/* or NULL */
	char		*query;
	double		 duration;	/* the rule's for:, seconds */
	struct prom_kv	*labels;
	int		 nlabels;
	struct prom_kv	*annotations;
	int		 nannotations;
	int		 nactive;	/* alerts pending or firing now */
	time_t		 active_since;	/* earliest activeAt of them, or 0 */
};

int	 prom_decode_rules(const char *body, size_t len, int status,
	    struct prom_rule **rules, int *n, char **err);
void	 prom_rules_free(struct prom_rule *, int n);

#endif
