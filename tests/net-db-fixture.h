/* tests/net-db-fixture.h: the real PostgreSQL and Redis of
 * tests/stack/db.sh (given in WARROOM_TEST_*, or started here), a loop to
 * wait on and ports that refuse or stay silent, shared by test-net-pg.c
 * and test-net-redis.c. */
#ifndef WARROOM_TEST_NET_DB_FIXTURE_H
#define WARROOM_TEST_NET_DB_FIXTURE_H

#include <stddef.h>

#include <uv.h>

#define WRONG_PW	"Wr0ngPassw0rdXyz"

/* A loop and a timer that wakes it, so waits can end on time. */
struct tloop {
	uv_loop_t	 loop;
	uv_timer_t	 wake;
};

void		 tl_init(struct tloop *t);
/* Run the loop until *counter reaches want, or seconds pass; whether it
 * did. */
int		 tl_wait(struct tloop *t, const int *counter, int want,
		    double seconds);
/* Run the loop for a while, whatever happens. */
void		 tl_run_for(struct tloop *t, double seconds);
/* Close the loop: every handle of the code under test must be gone after
 * a few iterations, or uv_loop_close says UV_EBUSY; its result. */
int		 tl_close(struct tloop *t);

/* An environment variable, or "" (never NULL). */
const char	*env(const char *name);
/* A port nothing listens on. */
int		 closed_port(void);
/* A server that takes connections (the kernel does) and never says a
 * word; *fd is its listening socket, the caller's to close. */
int		 silent_port(int *fd);
/* db.sh VERB STATE [NAME] on the stack in use; 1 on success. */
int		 stack_ctl(const char *verb, const char *name);

/* Before the first case of program name: ignore SIGPIPE, bound the run,
 * and make sure the need[0..n) variables are set, starting a stack of our
 * own with db.sh when need[0] is not (no servers given). 0, after a FAIL
 * line, if the servers are not there. */
int		 fixture_setup(const char *name, const char *const *need,
		    size_t n);
/* After the last case: say how long it took, stop our own stack. */
void		 fixture_cleanup(void);

#endif
