/* check.h: 'warroom check': the health probes once, for scripts and cron. */
#ifndef WARROOM_CHECK_H
#define WARROOM_CHECK_H

struct uv_loop_s;
struct http;

/* Probe every configured endpoint and database once, print a table (or
 * JSON), post the failures to notify (a URL, or NULL). Returns the exit
 * status: 0 all up, 1 not, 2 nothing to check. */
int	 check_run(struct uv_loop_s *, struct http *, int json,
	    const char *notify);

#endif
