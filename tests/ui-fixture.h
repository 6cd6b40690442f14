/* tests/ui-fixture.h: the source tree, command text, a model and a curses
 * screen, shared by test-ui.c and test-ui-config.c. The names are those the
 * tests were written with; all state is static storage of the fixture. */
#ifndef WARROOM_TEST_UI_FIXTURE_H
#define WARROOM_TEST_UI_FIXTURE_H

#include <limits.h>

struct model;

/* The source tree ($TEST_SRCDIR/.., or above this file). */
extern char	 top[PATH_MAX];

/* Set the locale and top, unset NO_COLOR and register the ui commands:
 * main calls it once before the first test. */
void		 ui_fixture_init(void);
/* Run text as "t.keys": "" on success or the cause, in static storage the
 * next call overwrites. */
const char	*run(const char *text);
/* Free the ui and the commands, then register the ui commands again. */
void		 reset(void);

/* Add a replica set or a pod to the model; the model owns them. rs may be
 * NULL (a pod with no owner). */
void		 put_rs(struct model *, const char *ns, const char *name,
		     const char *deploy);
void		 put_pod(struct model *, const char *ns, const char *name,
		     const char *rs, const char *status, const char *ready,
		     int restarts, int problem);
/* model_init m and fill it with the KCP namespace in a bad night (one
 * crash loop, one OOM kill); the caller model_frees it. */
void		 fill_model(struct model *m);

/* Start the ui on m in a lines x cols xterm on /dev/null; 0, or -1 after
 * saying why. stop_screen resets the ui and closes /dev/null. */
int		 start_screen(struct model *m, int ascii, int lines, int cols);
void		 stop_screen(void);
/* Screen row y as text (multibyte, static storage), trailing blanks kept. */
const char	*screen_row(int y);
/* Keys into the input queue, to be read in this order by ui_input. */
void		 keys(const char *s);

#endif
