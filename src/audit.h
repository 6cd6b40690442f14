/* audit.h: the audit trail of actions: JSON lines appended (and fsync'd)
 * to $XDG_STATE_HOME/warroom/audit.log, file 0600 in a 0700 directory. */
#ifndef WARROOM_AUDIT_H
#define WARROOM_AUDIT_H

#include <stdio.h>

/* One line. Every field is borrowed and may be NULL (then left out). The
 * time, local user and SSH client are filled in by audit_write. Never put a
 * credential here: the record is written as given. */
struct audit_rec {
	const char	*id;		/* unique per attempt (audit_new_id) */
	const char	*phase;		/* started, done, failed, denied, ... */
	const char	*kube_user;	/* kubeconfig user entry name */
	const char	*context;
	const char	*namespace;
	const char	*action;
	const char	*target;
	const char	*args;		/* the arguments, space-separated */
	const char	*preview;	/* the diff shown */
	const char	*outcome;	/* message */
	long long	 duration_ms;	/* < 0 = left out */
};

/* The log's path: $XDG_STATE_HOME/warroom/audit.log, or
 * ~/.local/state/warroom/audit.log. New string; NULL with no home. */
char	*audit_path(void);
/* The state directory (created 0700 when create is set). New string. */
char	*audit_dir(int create);
/* A new id, unique per attempt ("20261128T143415-12345-1a2b"). New string. */
char	*audit_new_id(void);
/* Append one line and fsync it. 0, or -1 and a new *cause. */
int	 audit_write(const struct audit_rec *, char **cause);
/* Print to out one line per "started" entry with no later line of the same
 * id. Returns how many. */
int	 audit_report_unfinished(FILE *out);

/* Take the lock that keeps one mutation per target in flight, across
 * processes (flock on a file in the state directory). Returns the fd to
 * close when done, or -1 and errno: EWOULDBLOCK if another holds it, else
 * why it could not be made. */
int	 audit_lock(const char *context, const char *ns, const char *name);
/* The lock file's name for a target: "lock-NAME-HASH", the name cut to 64
 * bytes to read and a 64-bit FNV-1a hash of the whole triple, each part
 * length-prefixed. New string. */
char	*audit_lock_name(const char *context, const char *ns, const char *name);

#endif
