/* action-private.h: what the dispatcher (action.c) shares with the actions
 * that bring their own steps (action-silence.c: Alertmanager, not a
 * Deployment): the run, and the common steps they call. */
#ifndef WARROOM_ACTION_PRIVATE_H
#define WARROOM_ACTION_PRIVATE_H

#include <jansson.h>
#include <uv.h>

#include "action.h"
#include "net-http.h"

struct action_run {
	struct action_state	 st;
	const struct action	*act;
	struct uv_loop_s	*loop;
	struct kube		*kube;
	struct model		*model;
	unsigned		 log_id;	/* its entry in the model's log */
	const char		*type_name;	/* the name to type, or NULL */
	int			 flags;
	int			 read_only;
	int			 rc;
	int			 finished;
	int			 started;	/* its started line is written */

	char			*id;		/* audit id */
	char			*argstr;	/* arguments, space-separated */
	char			*path;		/* the deployment's API path */
	char			*user;		/* local user name */
	char			*preview;
	double			 t0;

	json_t			*before;	/* the Deployment at plan time */
	char			*rv;		/* its resourceVersion */
	struct action_patch	 patch;

	uv_timer_t		 timer;		/* pause hook and follow; the
						 * run is freed when it closes */
	int			 timer_open;
	int			 lock_fd;
	struct action_io	 io;		/* where lines and questions go */
	char			**words;	/* copies of argv, ns, name */
	int			 nwords;
	char			*ns;

	char			*last_status;
	double			 follow_end;
	struct action_run	*next;		/* in action_runs while running */
};

/* Say one line (sanitized; level 1: a warning or an error). */
void	 action_say(struct action_run *, int level, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
/* Where the run is, for the action-log panel. */
void	 action_phase(struct action_run *, const char *phase);
/* The preview is in r->preview: show it, then end a dry run, apply with
 * --yes, or ask. dry_note says how the preview was made. */
void	 action_preview_ready(struct action_run *, const char *dry_note);
/* The local user, for createdBy and change-causes. */
const char *action_user(const struct action_run *);

/* action-run.c, for the dispatcher's steps in action.c. */
struct http_response;
struct http_request;
/* The run's timer, and the run on the list action_abandon_all ends. */
void	 action_run_begin(struct action_run *, struct uv_loop_s *);
/* Free what the run holds (not the run itself). */
void	 action_run_free(struct action_run *);
/* An audit record of the run at phase ("started", "done", ...), outcome
 * borrowed, NULL before the end. 0, or -1 when it could not be written
 * (said through the run). */
int	 action_audit(struct action_run *, const char *phase,
	    const char *outcome);
/* Step 6's first half: the lock on the target (one mutation in flight),
 * then the started line. 0, or -1 when the run was ended (refused; nothing
 * sent) because either could not be had. */
int	 action_run_lock_and_record(struct action_run *);
/* One request to the API server for the run (strings borrowed for the
 * call); cb gets the run as its arg. method NULL: GET. */
void	 action_send(struct action_run *, const char *method,
	    const char *path, const char *ctype, const char *body,
	    http_done_cb);
/* The planned patch, with ?dryRun=All when dry. */
void	 action_send_patch(struct action_run *, int dry, http_done_cb);
/* A 2xx answer; its body as JSON (a new reference, or NULL). */
int	 action_ok(const struct http_response *);
json_t	*action_json(const struct http_response *);
/* A failed request ends the run: 403 denied, anything else failed. */
void	 action_fail_http(struct action_run *, const char *what,
	    const struct http_response *);
/* The object the patch goes to, and the resourceVersion it must have
 * (borrowed from the run). */
const char *action_object_path(const struct action_run *);
const char *action_rv(const struct action_run *);
/* "warroom do ACTION TARGET ARGS by USER", a new string. */
char	*action_change_cause(struct action_run *);

#endif
