/* tests/cmdparse-fixture.h: command text run through cmdparse, the helper
 * test-cmdparse.c and test-config.c share. */
#ifndef WARROOM_TEST_CMDPARSE_FIXTURE_H
#define WARROOM_TEST_CMDPARSE_FIXTURE_H

/* Run text as the file "t": "" on success or the cause, in static storage
 * the next call overwrites. */
const char	*run(const char *text);

#endif
