/* action.c: the action table and its one dispatcher, which owns every
 * guard, written here in their order: 1 target and arguments, 2 read-only,
 * 3 access review, 4 dry-run preview, 5 confirmation, 6 audit and
 * optimistic apply, 7 record and follow. The run itself is action-run.c's. */

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <jansson.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <uv.h>

#include "action.h"
#include "action-private.h"
#include "audit.h"
#include "config.h"
#include "jtext.h"
#include "kube.h"
#include "kube-ops.h"
#include "kubeconfig.h"
#include "model.h"
#include "warroom.h"

#define ACTION_FOLLOW_MS	500
#define ACTION_FOLLOW_S		120

const struct action *const action_table[] = {
	&action_degrade,
	&action_hpa,
	&action_limits,
	&action_pg_cancel,
	&action_pg_terminate,
	&action_pg_terminate_idle,
	&action_redis_purge,
	&action_restart,
	&action_restore,
	&action_rollback,
	&action_scale,
	&action_silence,
	&action_unsilence,
	NULL
};

/* The steps below, in the order they are written. */
static void	action_get_done(struct http_request *,
		    const struct http_response *, void *);
static int	action_context_listed(char **, const char *);
static int	action_refuses(const struct model *, const struct action *);
static void	action_refuse(struct action_run *);
static void	action_ssar_done(struct http_request *,
		    const struct http_response *, void *);
static void	action_aux_done(struct http_request *,
		    const struct http_response *, void *);
static void	action_plan(struct action_run *);
static void	action_dry_done(struct http_request *,
		    const struct http_response *, void *);
static void	action_confirm(struct action_run *);
static void	action_apply(struct action_run *);
static void	action_pause_done(uv_timer_t *);
static void	action_send_change(struct action_run *);
static void	action_apply_done(struct http_request *,
		    const struct http_response *, void *);
static void	action_apply_conflict(struct http_request *,
		    const struct http_response *, void *);
static void	action_cause_done(struct http_request *,
		    const struct http_response *, void *);
static void	action_event(struct action_run *);
static void	action_event_done(struct http_request *,
		    const struct http_response *, void *);
static void	action_follow_start(struct action_run *);
static void	action_follow_tick(uv_timer_t *);
static void	action_follow_done(struct http_request *,
		    const struct http_response *, void *);

/* --- the table ----------------------------------------------------------- */

const struct action *
action_find(const char *name)
{
	size_t	 i;

	for (i = 0; action_table[i] != NULL; i++) {
		if (strcmp(action_table[i]->name, name) == 0)
			return action_table[i];
	}
	return NULL;
}

void
action_usage(FILE *f)
{
	size_t	 i;

	fprintf(f, "usage: warroom do ACTION TARGET [ARGS] [--dry-run] "
	    "[--yes] [--confirm NAME]\n");
	for (i = 0; action_table[i] != NULL; i++)
		fprintf(f, "  %-28s %s\n", action_table[i]->usage,
		    action_table[i]->note);
}

/* --- step 1: resolve the target and parse the arguments ------------------ */

/* Start a run; NULL after a usage error, said through io. */
struct action_run *
action_start_run(struct uv_loop_s *loop, struct kube *kube, struct model *m,
    const char *ns, int argc, char **argv, int flags,
    const struct action_io *io)
{
	struct action_run *r;
	const struct action *a;
	struct passwd	*pw;
	char		*cause = NULL, *s, **implicit = NULL;
	int		 i, refuse;

	r = xcalloc(1, sizeof *r);
	r->io = *io;
	r->lock_fd = -1;
	if (kube == NULL) {
		action_say(r, 1, "error: Kubernetes is not configured (no "
		    "kubeconfig, not in a cluster): no action runs");
		free(r);
		return NULL;
	}
	if (argc < 1 || (a = action_find(argv[0])) == NULL) {
		if (argc >= 1)
			action_say(r, 1, "error: unknown action \"%s\"",
			    argv[0]);
		free(r);
		return NULL;
	}
	/* An action without a TARGET word: its implicit one goes in. */
	if (a->implicit_target != NULL) {
		implicit = xcalloc((size_t)argc + 2, sizeof *implicit);
		implicit[0] = argv[0];
		implicit[1] = (char *)a->implicit_target;
		for (i = 1; i < argc; i++)
			implicit[i + 1] = argv[i];
		argv = implicit;
		argc++;
	}
	/* Step 2 is decided first: a change refused in read-only mode is
	 * refused whatever its arguments. */
	refuse = action_refuses(m, a);
	if (argc < 2 || (!refuse && (argc < 2 + a->nargs ||
	    (a->nargs_max == 0 && argc != 2 + a->nargs) ||
	    (a->nargs_max > 0 && argc > 2 + a->nargs_max)))) {
		action_say(r, 1, "usage: warroom do %s", a->usage);
		free(implicit);
		free(r);
		return NULL;
	}
	r->act = a;
	r->loop = loop;
	r->kube = kube;
	r->model = m;
	r->flags = flags;
	r->nwords = argc;
	r->words = xcalloc((size_t)argc + 1, sizeof *r->words);
	for (i = 0; i < argc; i++)
		r->words[i] = xstrdup(argv[i]);
	free(implicit);
	r->ns = xstrdup(ns != NULL ? ns : kube->kc->namespace);
	r->st.ns = r->ns;
	r->st.name = r->words[1];
	r->st.argc = argc - 2;
	r->st.argv = r->words + 2;
	if (a->target == ACTION_TARGET_DEPLOYMENT &&
	    (!kube_ops_valid_name(r->st.name) ||
	    !kube_ops_valid_name(r->st.ns))) {
		action_say(r, 1, "error: invalid deployment name \"%s\"",
		    r->st.name);
		action_run_free(r);
		free(r);
		return NULL;
	}
	if (!refuse && a->parse(&r->st, r->st.argc, r->st.argv, &cause) != 0) {
		action_say(r, 1, "error: %s", cause);
		free(cause);
		action_say(r, 1, "usage: warroom do %s", a->usage);
		action_run_free(r);
		free(r);
		return NULL;
	}
	if (flags & ACTION_CLI)
		audit_report_unfinished(stderr);
	/* Type the name: dangerous actions, dangerous arguments (scale to
	 * 0), protected contexts. */
	if ((a->flags & ACTION_DANGEROUS) || r->st.dangerous ||
	    action_context_listed(cfg.protected_contexts, kube->kc->context)) {
		r->type_name = r->st.name;
		if (r->st.danger == NULL && !(a->flags & ACTION_DANGEROUS) &&
		    !r->st.dangerous)
			xasprintf(&r->st.danger, "context \"%s\" is protected: "
			    "type the %s's name to apply", kube->kc->context,
			    a->target == ACTION_TARGET_DEPLOYMENT ?
			    "deployment" : "target");
	}

	r->t0 = now_mono();
	r->id = audit_new_id();
	r->argstr = xstrdup("");
	for (i = 2; i < argc; i++) {
		xasprintf(&s, "%s%s%s", r->argstr, i > 2 ? " " : "",
		    r->words[i]);
		free(r->argstr);
		r->argstr = s;
	}
	pw = getpwuid(getuid());
	r->user = xstrdup(pw != NULL ? pw->pw_name :
	    getenv("USER") != NULL ? getenv("USER") : "unknown");
	xasprintf(&r->path, "/apis/apps/v1/namespaces/%s/deployments/%s",
	    r->st.ns, r->st.name);
	action_run_begin(r, loop);
	xasprintf(&s, "%s %s%s%s", a->name, r->st.name, *r->argstr != '\0' ?
	    " " : "", r->argstr);
	r->log_id = model_action_add(m, r->st.ns, s);
	free(s);

	if (refuse)
		action_refuse(r);		/* step 2 */
	else if (a->start != NULL)
		a->start(r);			/* its own steps */
	else
		action_send(r, NULL, r->path, NULL, NULL, action_get_done);
	return r;
}

int
action_start(struct uv_loop_s *loop, struct kube *kube, struct model *m,
    const char *ns, int argc, char **argv, int flags,
    const struct action_io *io)
{
	return action_start_run(loop, kube, m, ns, argc, argv, flags, io) ==
	    NULL ? -1 : 0;
}

/* The target Deployment, as it is now: the plan's base and the
 * resourceVersion the change must find; then step 3. */
static void
action_get_done(struct http_request *req, const struct http_response *res,
    void *arg)
{
	struct action_run *r = arg;
	const struct action *a = r->act;
	const char	*rv;
	char		*body;

	if (res->status == 404) {
		action_finish(r, 1, "failed", "deployment \"%s\" not found in "
		    "namespace \"%s\"", r->st.name, r->st.ns);
		return;
	}
	if (!action_ok(res) || (r->before = action_json(res)) == NULL) {
		action_fail_http(r, "get deployment", res);
		return;
	}
	if ((rv = kube_ops_str(r->before, "metadata.resourceVersion")) == NULL) {
		action_finish(r, 1, "failed", "deployment \"%s\" has no "
		    "resourceVersion", r->st.name);
		return;
	}
	r->rv = xstrdup(rv);
	body = kube_ops_ssar_body(r->st.ns, a->verb, a->group, a->resource,
	    a->subresource, a->ssar_unnamed ? NULL : r->st.name);
	action_send(r, "POST",
	    "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews",
	    "application/json", body, action_ssar_done);
	free(body);
}

/* --- step 2: refuse in read-only and wall mode --------------------------- */

/* Is the context in a list of names or shell patterns ("prod-*")? */
static int
action_context_listed(char **list, const char *context)
{
	if (list == NULL || context == NULL)
		return 0;
	for (; *list != NULL; list++) {
		if (fnmatch(*list, context, 0) == 0)
			return 1;
	}
	return 0;
}

int
action_context_read_only(const char *context)
{
	return cfg.read_only ||
	    action_context_listed(cfg.read_only_contexts, context);
}

/* Why the dashboard or the command line is read-only, for the refusal. */
const char *
action_read_only_reason(const struct model *m, const char *context)
{
	if (m->wall)
		return "wall mode, --wall";
	if (m->read_only_flag)
		return "--read-only";
	if (action_context_listed(cfg.read_only_contexts, context))
		return "the context is listed in read-only-contexts";
	return "set read-only on, in the config";
}

/* In read-only mode a change is refused, whatever its arguments. */
static int
action_refuses(const struct model *m, const struct action *a)
{
	return m->read_only && (a->flags & ACTION_MUTATES);
}

/* The refusal, audited; nothing is sent. */
static void
action_refuse(struct action_run *r)
{
	action_finish(r, 1, "refused", "read-only mode (%s): %s "
	    "changes the cluster; nothing was sent",
	    action_read_only_reason(r->model, r->kube->kc->context),
	    r->act->name);
}

/* --- step 3: the permission pre-check (access review) -------------------- */

static void
action_ssar_done(struct http_request *req, const struct http_response *res,
    void *arg)
{
	struct action_run *r = arg;
	const struct action *a = r->act;
	char		*reason = NULL, *text, *path, *sel, *esc;
	int		 allowed = -1;

	if (action_ok(res))
		allowed = kube_ops_ssar_allowed(res->body, res->body_len,
		    &reason);
	if (allowed == 0) {
		action_finish(r, 1, "denied", "user \"%s\" (context %s) may "
		    "not %s %s%s%s%s%s in namespace \"%s\"%s%s; nothing was sent",
		    r->kube->kc->user, r->kube->kc->context, a->verb,
		    a->resource, *a->group ? "." : "", a->group,
		    a->subresource != NULL ? "/" : "",
		    a->subresource != NULL ? a->subresource : "", r->st.ns,
		    reason != NULL ? ": " : "", reason != NULL ? reason : "");
		free(reason);
		return;
	}
	if (allowed == -1) {
		if (res->error != 0) {
			action_fail_http(r, "access review", res);
			return;
		}
		text = kube_error_text(res);
		action_say(r, 1, "warning: could not check permission: %s",
		    text);
		free(text);
	}
	if (a->aux_group != NULL) {
		sel = a->aux_selector ? kube_ops_selector(json_object_get(
		    json_object_get(r->before, "spec"), "selector")) : NULL;
		if (a->aux_selector && sel == NULL) {
			action_finish(r, 1, "failed", "deployment \"%s\" has no "
			    "usable selector", r->st.name);
			return;
		}
		esc = sel != NULL ? kube_escape(sel) : NULL;
		xasprintf(&path, "%s/namespaces/%s/%s%s%s", a->aux_group,
		    r->st.ns, a->aux_resource, esc != NULL ? "?labelSelector=" :
		    "", esc != NULL ? esc : "");
		action_send(r, NULL, path, NULL, NULL, action_aux_done);
		free(path);
		free(esc);
		free(sel);
	} else
		action_plan(r);
}

/* --- step 4: plan and preview (server-side dry run) ---------------------- */

static void
action_aux_done(struct http_request *req, const struct http_response *res,
    void *arg)
{
	struct action_run *r = arg;
	json_t		*o;
	char		*text;

	if (action_ok(res) && (o = action_json(res)) != NULL) {
		r->act->aux(&r->st, o);
		json_decref(o);
	} else {
		text = kube_error_text(res);
		action_say(r, 1, "warning: could not check %s: %s",
		    r->act->aux_resource, text);
		free(text);
	}
	action_plan(r);
}

static void
action_plan(struct action_run *r)
{
	json_t	*meta, *ann, *op;
	char	*cause = NULL;
	size_t	 i;
	int	 rc;

	if ((rc = r->act->plan(&r->st, r->before, &r->patch, &cause)) != 0) {
		if (rc == 1) {
			action_say(r, 0, "deployment.apps/%s %s", r->st.name,
			    cause);
			action_finish(r, 0, "done", "%s", cause);
		} else
			action_finish(r, 1, "refused", "%s", cause);
		free(cause);
		return;
	}
	if (r->act->cause_inline)
		cause = action_change_cause(r);
	if (json_is_array(r->patch.body)) {
		/* JSON patch: the precondition is the patched object's rv. */
		json_array_foreach(r->patch.body, i, op) {
			ann = json_object_get(op, "value");
			if (cause != NULL && json_is_object(ann) &&
			    strcmp(kube_ops_str(op, "path") ?: "",
			    "/metadata/annotations") == 0)
				json_object_set_new(ann,
				    "kubernetes.io/change-cause",
				    jtext(cause));
		}
		json_array_append_new(r->patch.body, json_pack("{s:s, s:s, s:s}",
		    "op", "replace", "path", "/metadata/resourceVersion",
		    "value", action_rv(r)));
	} else {
		/* Optimistic concurrency: the resourceVersion seen is a
		 * precondition. */
		if ((meta = json_object_get(r->patch.body, "metadata")) == NULL) {
			meta = json_object();
			json_object_set_new(r->patch.body, "metadata", meta);
		}
		json_object_set_new(meta, "resourceVersion",
		    jtext(action_rv(r)));
		if (cause != NULL) {
			if ((ann = json_object_get(meta, "annotations")) == NULL) {
				ann = json_object();
				json_object_set_new(meta, "annotations", ann);
			}
			json_object_set_new(ann, "kubernetes.io/change-cause",
			    jtext(cause));
		}
	}
	free(cause);
	action_phase(r, "previewing");
	action_send_patch(r, 1, action_dry_done);
}

static void
action_dry_done(struct http_request *req, const struct http_response *res,
    void *arg)
{
	struct action_run *r = arg;
	json_t		*after;

	if (res->status == 409) {
		action_send(r, NULL, action_object_path(r), NULL, NULL,
		    action_apply_conflict);
		return;
	}
	if (!action_ok(res) || (after = action_json(res)) == NULL) {
		action_fail_http(r, "preview (server dry run)", res);
		return;
	}
	r->preview = r->act->diff(&r->st, r->before, after);
	json_decref(after);
	action_say(r, 0, "deployment.apps/%s (namespace %s, context %s): %s",
	    r->st.name, r->st.ns, r->kube->kc->context, r->preview);
	action_preview_ready(r, "server dry run");
}

void
action_preview_ready(struct action_run *r, const char *dry_note)
{
	if (r->st.warning != NULL)
		action_say(r, 1, "warning: %s", r->st.warning);
	if (r->flags & ACTION_DRY_RUN) {
		if (r->act->target == ACTION_TARGET_DEPLOYMENT)
			action_say(r, 0, "deployment.apps/%s %s (%s)",
			    r->st.name, r->act->done_word, dry_note);
		else
			action_say(r, 0, "%s: nothing was changed (%s)",
			    r->st.name, dry_note);
		action_finish(r, 0, "previewed", "%s; nothing was changed",
		    dry_note);
		return;
	}
	/* The name typed ahead (--confirm NAME) must be the target's; where
	 * the name must be typed, --yes alone is not enough. */
	if (r->io.typed != NULL && strcmp(r->io.typed, r->st.name) != 0) {
		action_finish(r, 1, "refused", "--confirm \"%s\" is not the "
		    "target's name \"%s\"; nothing was sent", r->io.typed,
		    r->st.name);
		return;
	}
	if (r->io.typed != NULL)
		action_apply(r);
	else if ((r->flags & ACTION_YES) && r->type_name != NULL)
		action_finish(r, 1, "refused", "%s (--yes is not enough: add "
		    "--confirm %s); nothing was sent",
		    r->st.danger != NULL ? r->st.danger : "the name must be "
		    "typed", r->st.name);
	else if (r->flags & ACTION_YES)
		action_apply(r);
	else
		action_confirm(r);
}

/* --- step 5: confirm, default No ----------------------------------------- */

static void
action_confirm(struct action_run *r)
{
	char	*q;

	if (r->io.confirm == NULL) {
		action_finish(r, 1, "refused", "no way to confirm (use --yes)");
		return;
	}
	if (r->st.danger != NULL)
		action_say(r, 1, "warning: %s", r->st.danger);
	action_phase(r, "waiting for confirmation");
	/* What, where and how, in one line for a prompt. */
	if (r->act->target == ACTION_TARGET_ALERT)
		xasprintf(&q, "%s %s (alertmanager): %s", r->act->name,
		    r->st.name, r->preview);
	else if (r->act->target == ACTION_TARGET_DB)
		xasprintf(&q, "%s %s: %s", r->act->name, r->st.name,
		    r->preview);
	else
		xasprintf(&q, "%s %s (ns %s, ctx %s): %s", r->act->name,
		    r->st.name, r->st.ns, r->kube->kc->context, r->preview);
	r->io.confirm(r->io.arg, r, q, r->type_name);
	free(q);
}

void
action_answer(struct action_run *r, const char *text)
{
	char	*a, *copy;
	size_t	 n;

	copy = xstrdup(text != NULL ? text : "");
	a = copy;
	while (isspace((unsigned char)*a))
		a++;
	n = strlen(a);
	while (n > 0 && isspace((unsigned char)a[n - 1]))
		a[--n] = '\0';
	if (r->type_name != NULL) {
		if (strcmp(a, r->type_name) == 0) {
			free(copy);
			action_apply(r);
			return;
		}
	} else if (strcasecmp(a, "y") == 0 || strcasecmp(a, "yes") == 0) {
		free(copy);
		action_apply(r);
		return;
	}
	action_say(r, 0, "cancelled: %s; nothing was changed",
	    r->type_name != NULL && *a != '\0' ? "the name typed did not "
	    "match" : "not confirmed");
	free(copy);
	action_finish(r, 1, "cancelled", "not confirmed");
}

/* --- step 6: audit record, then apply; one mutation per target ----------- */

/* Step 6: one mutation per target, the audit line, then the patch. */
static void
action_apply(struct action_run *r)
{
	const char	*pause;

	/* The lock, then the started line on disk: without them, nothing is
	 * sent. */
	if (action_run_lock_and_record(r) != 0)
		return;
	action_phase(r, "applying");
	pause = getenv("WARROOM_TEST_PAUSE_BEFORE_APPLY");
	if (pause != NULL && atof(pause) > 0) {
		uv_timer_start(&r->timer, action_pause_done,
		    (uint64_t)(atof(pause) * 1000), 0);
		return;
	}
	action_send_change(r);
}

static void
action_pause_done(uv_timer_t *t)
{
	action_send_change(t->data);
}

/* The change itself: the action's own step, or the planned patch. */
static void
action_send_change(struct action_run *r)
{
	if (r->act->apply != NULL)
		r->act->apply(r);
	else
		action_send_patch(r, 0, action_apply_done);
}

static void
action_apply_done(struct http_request *req, const struct http_response *res,
    void *arg)
{
	struct action_run *r = arg;
	char		*body, *cause;
	json_t		*o;

	if (res->status == 409) {
		action_send(r, NULL, action_object_path(r), NULL, NULL,
		    action_apply_conflict);
		return;
	}
	if (!action_ok(res)) {
		action_fail_http(r, "apply", res);
		return;
	}
	if (r->patch.object != NULL)
		action_say(r, 0, "%s %s", r->patch.object, r->act->done_word);
	else
		action_say(r, 0, "deployment.apps/%s %s", r->st.name,
		    r->act->done_word);
	if (r->act->cause_inline) {
		action_event(r);
		return;
	}
	cause = action_change_cause(r);
	o = json_pack("{s:{s:{s:o}}}", "metadata", "annotations",
	    "kubernetes.io/change-cause", jtext(cause));
	body = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	free(cause);
	action_send(r, "PATCH", r->path, "application/merge-patch+json", body,
	    action_cause_done);
	free(body);
}

static void
action_apply_conflict(struct http_request *req,
    const struct http_response *res, void *arg)
{
	struct action_run *r = arg;
	json_t		*d = action_ok(res) ? action_json(res) : NULL;
	const char	*rv = kube_ops_str(d, "metadata.resourceVersion");

	if (r->patch.object != NULL)
		action_finish(r, 1, "failed", "%s was changed by someone else "
		    "since the preview (resourceVersion %s \xe2\x86\x92 %s); "
		    "nothing was applied", r->patch.object, action_rv(r),
		    rv ? rv : "?");
	else
		action_finish(r, 1, "failed", "deployment \"%s\" was changed "
		    "by someone else since the preview (resourceVersion %s "
		    "\xe2\x86\x92 %s); nothing was applied", r->st.name,
		    action_rv(r), rv ? rv : "?");
	json_decref(d);
}

/* --- step 7: record the outcome, Event, follow --------------------------- */

static void
action_cause_done(struct http_request *req, const struct http_response *res,
    void *arg)
{
	struct action_run *r = arg;
	char		*text;

	if (!action_ok(res)) {
		text = kube_error_text(res);
		action_say(r, 1, "warning: could not set the change-cause: "
		    "%s", text);
		free(text);
	}
	action_event(r);
}

static void
action_event(struct action_run *r)
{
	char	*path, *body, *msg;

	xasprintf(&msg, "%s %s by %s with warroom: %s", r->act->done_word,
	    r->st.name, r->user, r->preview != NULL ? r->preview : "");
	body = kube_ops_event_body(r->before, r->act->event_reason,
	    r->act->event_action, msg);
	xasprintf(&path, "/api/v1/namespaces/%s/events", r->st.ns);
	action_send(r, "POST", path, "application/json", body,
	    action_event_done);
	free(path);
	free(body);
	free(msg);
}

static void
action_event_done(struct http_request *req, const struct http_response *res,
    void *arg)
{
	struct action_run *r = arg;
	char		*text;

	if (!action_ok(res)) {
		text = kube_error_text(res);
		action_say(r, 1, "warning: could not record the Event: %s",
		    text);
		free(text);
	}
	action_follow_start(r);
}

static void
action_follow_start(struct action_run *r)
{
	const char	*e = getenv("WARROOM_ACTION_TIMEOUT");
	double		 limit = ACTION_FOLLOW_S;

	if (e != NULL && atof(e) > 0)
		limit = atof(e);
	r->follow_end = now_mono() + limit;
	action_phase(r, "following the rollout");
	action_follow_tick(&r->timer);
}

static void
action_follow_tick(uv_timer_t *t)
{
	struct action_run *r = t->data;

	action_send(r, NULL, r->path, NULL, NULL, action_follow_done);
}

static void
action_follow_done(struct http_request *req, const struct http_response *res,
    void *arg)
{
	struct action_run *r = arg;
	json_t		*d;
	char		*msg;
	int		 st;

	if (r->finished)
		return;
	if (res->status == 404) {
		action_finish(r, 1, "failed", "object has been deleted");
		return;
	}
	if (!action_ok(res) || (d = action_json(res)) == NULL) {
		msg = kube_error_text(res);
		action_say(r, 1, "warning: rollout status: %s", msg);
		free(msg);
		st = KUBE_ROLLOUT_WAIT;
	} else {
		st = kube_ops_rollout_status(d, &msg);
		json_decref(d);
		if (r->last_status == NULL || strcmp(r->last_status, msg) != 0)
			action_say(r, 0, "%s", msg);
		free(r->last_status);
		r->last_status = msg;
	}
	if (st == KUBE_ROLLOUT_DONE) {
		action_finish(r, 0, "done", "%s", r->last_status);
		return;
	}
	if (st == KUBE_ROLLOUT_FAILED) {
		action_finish(r, 1, "failed", "%s", r->last_status);
		return;
	}
	if (now_mono() >= r->follow_end) {
		action_finish(r, 1, "failed", "timed out waiting for the "
		    "condition (%s)", r->last_status != NULL ?
		    r->last_status : "no status");
		return;
	}
	uv_timer_start(&r->timer, action_follow_tick, ACTION_FOLLOW_MS, 0);
}
