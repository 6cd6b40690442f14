/* fuzz-db-reply.c: what source-db.c makes of the databases' answers. The
 * first byte picks: 0 a Redis SLOWLOG GET reply and 1 an INFO reply (RESP
 * bytes, read by hiredis's own reader, copied as net-redis-reply.c does),
 * 2 INFO text as a bulk string, 3 pg_stat_statements and 4
 * pg_stat_activity rows (a header line of tab-separated column names,
 * then rows; \N is NULL), each fed to the answer handlers of
 * source-db.c, included here for its static functions. */
#include "../../src/source-db.c"

#include <stdint.h>

#include <hiredis/hiredis.h>
#include <hiredis/read.h>
#include <libpq-fe.h>

#include "net-redis-private.h"
#include "fuzz-common.h"

/* The layout of net-pg-query.c's private answer: pg_value and pg_col read
 * the result behind the public part. */
struct fuzz_pg_answer {
	struct pg_answer	 a;
	PGresult		*res;
};

/*
 * Does the reply announce an array of more than a million elements?
 * hiredis 0.14 callocs the element array as soon as it reads "*N" (1.0 has
 * reader->maxelements): that is the library's, and under ASan a huge calloc
 * is only a slow test, so such inputs are left out.
 */
static int
fuzz_huge_array(const char *p, size_t len)
{
	const char	*end = p + len;
	long long	 n;

	for (; p < end; p++) {
		if (*p != '*')
			continue;
		for (n = 0, p++; p < end && *p >= '0' && *p <= '9'; p++) {
			if ((n = n * 10 + (*p - '0')) > 1000000)
				return 1;
		}
	}
	return 0;
}

static void
fuzz_redis(struct source_db *s, int which, const char *p, size_t len)
{
	redisReader		*rd;
	void			*reply = NULL;
	struct redis_reply	*copy;

	if (fuzz_huge_array(p, len))
		return;
	if ((rd = redisReaderCreate()) == NULL)
		abort();
	redisReaderFeed(rd, p, len);
	if (redisReaderGetReply(rd, &reply) == REDIS_OK && reply != NULL) {
		if ((copy = redis_reply_copy(reply)) != NULL) {
			s->redis_busy++;
			if (which == 0)
				db_slowlog_done(NULL, copy, NULL, s);
			else
				db_info_done(NULL, copy, NULL, s);
			free(copy);
		}
		freeReplyObject(reply);
	}
	redisReaderFree(rd);
}

/* The next field of a tab-separated line, as a new string. */
static char *
fuzz_field(const char **p, const char *end, int *eol)
{
	const char	*q = *p;
	char		*f;

	while (q < end && *q != '\t' && *q != '\n')
		q++;
	f = xstrndup(*p, q - *p);
	*eol = q >= end || *q == '\n';
	*p = q < end ? q + 1 : end;
	return f;
}

static void
fuzz_pg(struct source_db *s, int which, const char *p, size_t len)
{
	struct fuzz_pg_answer	 af;
	PGresAttDesc		 att[32];
	const char		*end = p + len;
	char			*names[32], *f;
	int			 n = 0, row = 0, col, eol = 0, i;

	memset(&af, 0, sizeof af);
	memset(att, 0, sizeof att);
	while (p < end && !eol && n < 32) {
		names[n] = fuzz_field(&p, end, &eol);
		att[n].name = names[n];
		att[n].typid = 25;	/* text */
		att[n].typlen = -1;
		att[n].atttypmod = -1;
		n++;
	}
	af.res = PQmakeEmptyPGresult(NULL, PGRES_TUPLES_OK);
	if (af.res == NULL || !PQsetResultAttrs(af.res, n, att))
		abort();
	while (p < end && row < 1000) {
		for (col = 0, eol = 0; !eol && p < end; col++) {
			f = fuzz_field(&p, end, &eol);
			if (col < n) {
				if (strcmp(f, "\\N") == 0)
					PQsetvalue(af.res, row, col, NULL, -1);
				else
					PQsetvalue(af.res, row, col, f,
					    (int)strlen(f));
			}
			free(f);
		}
		row++;
	}
	af.a.ok = 1;
	af.a.nrows = PQntuples(af.res);
	af.a.ncols = PQnfields(af.res);
	s->pg_busy++;
	if (which == 3)
		db_stmts_done(NULL, &af.a, s);
	else
		db_activity_done(NULL, &af.a, s);
	/* Again: the differences from the previous poll. */
	s->pg_busy++;
	if (which == 3)
		db_stmts_done(NULL, &af.a, s);
	PQclear(af.res);
	for (i = 0; i < n; i++)
		free(names[i]);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct model		 m;
	struct source_db	 s;
	struct redis_reply	 r;
	int			 i;

	if (size < 1)
		return 0;
	model_init(&m);
	memset(&s, 0, sizeof s);
	s.m = &m;
	table_init(&s.prev, free);
	switch (data[0] % 5) {
	case 0:
	case 1:
		fuzz_redis(&s, data[0] % 5, (const char *)data + 1, size - 1);
		break;
	case 2:
		memset(&r, 0, sizeof r);
		r.type = REDIS_T_STRING;
		r.str = fuzz_str(data + 1, size - 1);
		r.len = size - 1;
		s.redis_busy++;
		db_info_done(NULL, &r, NULL, &s);
		free((char *)r.str);
		break;
	default:
		fuzz_pg(&s, data[0] % 5, (const char *)data + 1, size - 1);
		break;
	}
	for (i = 0; i < m.db.nslow; i++)
		FUZZ_CHECK(m.db.slow[i].command != NULL);
	table_clear(&s.prev);
	model_free(&m);
	return 0;
}
