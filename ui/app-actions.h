/* app-actions.h: the dashboard's side of the action layer. A key or the ':'
 * palette names an action and a target; the questions the action still
 * needs are asked here, then the dispatcher runs it with the message line
 * and a prompt as its io. */
#ifndef WARROOM_APP_ACTIONS_H
#define WARROOM_APP_ACTIONS_H

struct uv_loop_s;
struct kube;
struct model;
struct ui_target;

struct app_actions {
	struct uv_loop_s *loop;
	struct kube	*kube;
	struct model	*model;
	void		(*redraw)(void);	/* draw now, if the screen is
						 * ours and not being drawn */
	void		(*changed)(void);	/* a change was applied */
};

/* Borrow the loop, kube and model (they outlive the dashboard). */
void	 app_actions_init(const struct app_actions *);

/* The ui's action hook (ui_action_hook): ACTION [ARGS...] on the target, a
 * deployment or a pod's deployment. */
int	 app_actions_hook(struct model *, int argc, char **argv,
	    const struct ui_target *, char **cause);

/* For tests: the rows of the revision picker of deployment ns/name, newest
 * first ("REV IMAGES CHANGE-CAUSE AGE"), and the revisions they stand for;
 * *sel is the row of the revision before the current one. Returns the
 * number of rows (the arrays are new; free each row and both arrays). */
int	 app_actions_revisions(const struct model *, const char *ns,
	    const char *name, char ***rows, long **revs, int *sel,
	    char **header);

#endif
