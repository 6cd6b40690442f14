/* action.h: the shared action layer. Every remediation (scale, restart,
 * rollback, ...) is one entry in one table; keys, the ':' palette and
 * 'warroom do' all go through the same dispatcher, which alone owns the
 * guards: target, read-only, permission, preview, confirmation, audit,
 * apply, follow. */
#ifndef WARROOM_ACTION_H
#define WARROOM_ACTION_H

struct uv_loop_s;
struct kube;
struct model;

#define ACTION_DRY_RUN	0x1	/* preview only: --dry-run */
#define ACTION_YES	0x2	/* confirmation given: --yes */

/*
 * 'warroom do ACTION TARGET [ARGS...]': run one action to its end on loop
 * (which must have nothing else running), printing the preview, asking on
 * the terminal unless ACTION_YES, and following the result. kube and model
 * are borrowed. Returns the exit status: 0 done (or previewed), 1 refused,
 * denied, failed or cancelled, 2 usage error.
 */
int	 action_cli_do(struct uv_loop_s *, struct kube *, struct model *,
	    int argc, char **argv, int flags);

/* 'warroom audit [-n N]': print the audit trail. Returns the exit status. */
int	 audit_cli(int argc, char **argv);

#endif
