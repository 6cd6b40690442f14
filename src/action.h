/* action.h: the shared action layer. Every remediation (scale, restart,
 * rollback, ...) is one entry in one table; keys, the ':' palette and
 * 'warroom do' all go through the same dispatcher, which alone owns the
 * guards: target, read-only, permission, preview, confirmation, audit,
 * apply, follow. */
#ifndef WARROOM_ACTION_H
#define WARROOM_ACTION_H

#include <stdio.h>

struct uv_loop_s;
struct kube;
struct model;

#define ACTION_DRY_RUN	0x1	/* preview only: --dry-run */
#define ACTION_YES	0x2	/* confirmation given: --yes */

/*
 * 'warroom do ACTION TARGET [ARGS...]': run one action to its end on loop
 * (which must have nothing else running), printing the preview, asking on
 * the terminal unless ACTION_YES, and following the result. kube and model
 * are borrowed. confirm (--confirm NAME, borrowed, or NULL) is the target's
 * name typed ahead: where the name must be typed (scale to 0, a protected
 * context) --yes alone is refused, and a name that is not the target's
 * refuses anywhere. Returns the exit status: 0 done (or previewed), 1
 * refused, denied, failed or cancelled, 2 usage error.
 */
int	 action_cli_do(struct uv_loop_s *, struct kube *, struct model *,
	    int argc, char **argv, int flags, const char *confirm);

/*
 * Where a run's lines and its question go: the command line prints and
 * reads the terminal, the dashboard uses its message line and a prompt.
 * say gets one sanitized line (level 1: a warning or an error); confirm
 * shows the preview line (action, target, namespace, context, diff; borrowed
 * for the call) and must end with action_answer() on that run, later, from
 * the loop; done is called once, with the exit status (0 done).
 */
struct action_run;
struct action_io {
	void	(*say)(void *arg, int level, const char *line);
	void	(*confirm)(void *arg, struct action_run *,
		    const char *preview, const char *type_name);
	void	(*done)(void *arg, int rc);
	void	*arg;
	const char *typed;	/* --confirm NAME: the name typed ahead, or
				 * NULL; borrowed, must outlive the run */
};

/*
 * Start ACTION TARGET [ARGS...] in namespace ns (NULL: the context's) on
 * loop; argv and ns are copied, io is copied, kube and model are borrowed
 * and must outlive the run. Returns 0 when started (done will be called,
 * perhaps before this returns), or -1 after a usage error said through io.
 */
int	 action_start(struct uv_loop_s *, struct kube *, struct model *,
	    const char *ns, int argc, char **argv, int flags,
	    const struct action_io *);
/* The answer to confirm: text is what was typed ("y", or the deployment's
 * name for dangerous actions and protected contexts); anything else
 * cancels. */
void	 action_answer(struct action_run *, const char *text);

/* Before the http layer goes away: end every unfinished run (audited as
 * failed, done called); their requests must have been cancelled. */
void	 action_abandon_all(void);

/* For action-cli.c: the dispatcher's own entry points. */
#define ACTION_CLI		0x100	/* from 'warroom do': report the
					 * unfinished entries first */
struct action_run *action_start_run(struct uv_loop_s *, struct kube *,
	    struct model *, const char *ns, int argc, char **argv, int flags,
	    const struct action_io *);
void	 action_finish(struct action_run *, int rc, const char *phase,
	    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void	 action_usage(FILE *);

/* Read-only by the config for this context (set read-only on, or the
 * context matches set read-only-contexts); and why a model is read-only,
 * in words for a refusal. */
int	 action_context_read_only(const char *context);
const char *action_read_only_reason(const struct model *, const char *context);

/* 'warroom audit [-n N]': print the audit trail. Returns the exit status. */
int	 audit_cli(int argc, char **argv);

/*
 * The table's side, for the action-*.c files. An action parses its
 * arguments, then plans the exact request from the Deployment it was given
 * (the dispatcher adds the resourceVersion precondition, sends it once with
 * ?dryRun=All for the preview and once for real) and turns the dry-run
 * answer into a short diff.
 */
struct json_t;

enum action_target {
	ACTION_TARGET_DEPLOYMENT,
	ACTION_TARGET_ALERT,		/* Alertmanager: its own steps */
	ACTION_TARGET_DB		/* PostgreSQL or Redis: likewise */
};

#define ACTION_MUTATES		0x1	/* changes the cluster */
#define ACTION_DANGEROUS	0x2	/* confirm by typing the target name */
#define ACTION_PICK_REVISION	0x4	/* the dashboard offers a revision
					 * picker when no REVISION is given */
#define ACTION_OFFER_HPA	0x8	/* the dashboard offers the autoscaler's
					 * range when an HPA owns the target */
#define ACTION_ASK_ALWAYS	0x10	/* the dashboard asks for the optional
					 * words too (silence's duration) */

/* What an action's plan fills in. */
struct action_patch {
	char		*path;		/* another object's path (the HPA's), or
					 * NULL: the Deployment's; owned */
	char		*rv;		/* that object's resourceVersion, the
					 * precondition; owned */
	char		*object;	/* "horizontalpodautoscaler.autoscaling/x"
					 * for the done line; owned, or NULL */
	const char	*subpath;	/* after .../deployments/NAME: "", "/scale" */
	const char	*query;		/* "fieldManager=kubectl-rollout" or NULL */
	const char	*content_type;
	struct json_t	*body;		/* new reference, owned by the dispatcher */
};

/* The per-run state an action reads and writes. */
struct action_state {
	const char	*ns;		/* namespace (borrowed) */
	const char	*name;		/* target (borrowed) */
	long		 n_old;		/* scale: replicas before */
	long		 n_new;		/* scale: replicas asked */
	char		*value;		/* restart: the restartedAt value */
	char		*warning;	/* shown with the preview, or NULL */
	int		 argc;		/* the words after the target (borrowed) */
	char		**argv;
	struct json_t	*aux_data;	/* kept from aux, released by the
					 * dispatcher (rollback: ReplicaSets) */
	char		*detail;	/* rollback: the target's change-cause */
	long		 revision;	/* rollback: the revision chosen */
	long		 min, max;	/* hpa: the range asked */
	double		 duration;	/* silence: seconds */
	char		*comment;	/* silence */
	char		**match_k;	/* silence: label=value narrowing */
	char		**match_v;
	int		 nmatch;
	void		*priv;		/* the action's own, freed by its
					 * cleanup */
	int		 dangerous;	/* this run needs the name typed (scale
					 * to 0); set by parse */
	char		*danger;	/* why, shown with the question */
};

struct action {
	const char	*name;
	const char	*usage;		/* "scale DEPLOYMENT REPLICAS" */
	const char	*note;		/* one line for help and the palette */
	const char	*ask;		/* the dashboard's question for the
					 * words after the target, or NULL */
	enum action_target target;
	const char	*implicit_target; /* no TARGET word: this stands for
					 * it ("postgres") */
	int		 flags;		/* ACTION_MUTATES, ACTION_DANGEROUS */
	int		 nargs;		/* arguments after the target */
	int		 nargs_max;	/* at most; 0: exactly nargs, -1: any */
	/* SelfSubjectAccessReview of the mutating request (k8s-api.md 6). */
	const char	*verb, *group, *resource, *subresource;
	int		 ssar_unnamed;	/* the object is not the Deployment:
					 * review without a name */
	const char	*event_reason;	/* "ScaledByWarroom" */
	const char	*event_action;	/* "Scale" */
	const char	*done_word;	/* "scaled": "deployment.apps/x scaled" */
	int		 cause_inline;	/* change-cause can ride in the patch */
	/* Optional list before planning, GET aux_group/namespaces/NS/
	 * aux_resource, its answer given to aux; a failure only warns. */
	const char	*aux_group;	/* "/apis/autoscaling/v1" */
	const char	*aux_resource;	/* "horizontalpodautoscalers" */
	int		 aux_selector;	/* add ?labelSelector= from the
					 * Deployment's spec.selector */
	void		(*aux)(struct action_state *, struct json_t *);
	/* Check the words after the target; nothing is sent yet. 0, or -1
	 * and a new *cause. */
	int		(*parse)(struct action_state *, int, char **, char **);
	/* Refuse (-1, new *cause), fill the patch from the Deployment (0),
	 * or find nothing to do (1, new *cause: "skipped rollback (...)"). A
	 * JSON patch body (an array) gets its precondition as a replace of
	 * /metadata/resourceVersion and an inline change-cause in the value
	 * of its /metadata/annotations replace. */
	int		(*plan)(struct action_state *, struct json_t *,
			    struct action_patch *, char **);
	/* The preview from the Deployment and the dry-run answer. New string. */
	char		*(*diff)(struct action_state *, struct json_t *,
			    struct json_t *);
	/* Actions on something else than a Deployment bring their own steps:
	 * start (find the target, make r->preview, then call
	 * action_preview_ready) and apply (after the confirmation, the lock
	 * and the started line: make the change, follow it, finish). */
	void		(*start)(struct action_run *);
	void		(*apply)(struct action_run *);
	void		(*cleanup)(struct action_state *);
};

extern const struct action action_scale;
extern const struct action action_restart;
extern const struct action action_rollback;
extern const struct action action_degrade;
extern const struct action action_restore;
extern const struct action action_limits;
extern const struct action action_hpa;
extern const struct action action_silence;
extern const struct action action_unsilence;
extern const struct action action_pg_terminate_idle;
extern const struct action action_pg_cancel;
extern const struct action action_pg_terminate;
extern const struct action action_redis_purge;

/* The table, NULL-terminated, and a lookup by name (NULL if none). */
extern const struct action *const action_table[];
const struct action *action_find(const char *);

#endif
