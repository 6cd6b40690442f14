/* action-run.c: the life of one run of the dispatcher (action.c) and what
 * every step of it uses: the lines it says, its phase, its audit records,
 * the requests it sends to the API server, and its end. */

#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <uv.h>

#include "action.h"
#include "action-private.h"
#include "audit.h"
#include "kube.h"
#include "kubeconfig.h"
#include "model.h"
#include "warroom.h"

#define ACTION_REQ_TIMEOUT_MS	30000

static struct action_run *action_runs;	/* the unfinished runs */

/* Say one line, sanitized: parts of it may come from the server. level 1
 * is a warning or an error. */
void
action_say(struct action_run *r, int level, const char *fmt, ...)
{
	va_list	 ap;
	char	*s, *clean;

	va_start(ap, fmt);
	xvasprintf(&s, fmt, ap);
	va_end(ap);
	clean = sanitize(s);
	if (r->log_id != 0)
		model_action_say(r->model, r->log_id, level, clean);
	r->io.say(r->io.arg, level, clean);
	free(clean);
	free(s);
}

/* Where the run is, for the action-log panel. */
void
action_phase(struct action_run *r, const char *phase)
{
	if (r->log_id != 0)
		model_action_phase(r->model, r->log_id, phase, 0, 0);
}

int
action_audit(struct action_run *r, const char *phase, const char *outcome)
{
	struct audit_rec a;
	struct kubeconfig *kc = r->kube->kc;
	char		*cause = NULL;

	memset(&a, 0, sizeof a);
	a.id = r->id;
	a.phase = phase;
	a.kube_user = kc->user;
	a.context = kc->context;
	a.namespace = r->st.ns;
	a.action = r->act->name;
	a.target = r->st.name;
	a.args = r->argstr;
	a.preview = r->preview;
	a.outcome = outcome;
	a.duration_ms = strcmp(phase, "started") == 0 ? -1 :
	    (long long)((now_mono() - r->t0) * 1000);
	if (audit_write(&a, &cause) != 0) {
		action_say(r, 1, "warroom: audit: %s", cause);
		free(cause);
		return -1;
	}
	return 0;
}

int
action_run_lock_and_record(struct action_run *r)
{
	struct kubeconfig *kc = r->kube->kc;

	if ((r->lock_fd = audit_lock(kc->context, r->st.ns, r->st.name)) == -1) {
		if (errno == EWOULDBLOCK)
			action_finish(r, 1, "refused", "another warroom action "
			    "on deployment \"%s\" is in flight", r->st.name);
		else
			action_finish(r, 1, "refused", "cannot take the lock "
			    "on \"%s\" in the state directory: %s; nothing was "
			    "sent", r->st.name, strerror(errno));
		return -1;
	}
	if (action_audit(r, "started", NULL) != 0) {
		action_finish(r, 1, "refused", "the action could not be "
		    "recorded in the audit log; nothing was sent");
		return -1;
	}
	r->started = 1;
	return 0;
}

static void
action_close_cb(uv_handle_t *h)
{
	struct action_run *r = h->data;

	action_run_free(r);
	free(r);
}

void
action_run_free(struct action_run *r)
{
	int	 i;

	free(r->id);
	free(r->argstr);
	free(r->path);
	free(r->user);
	free(r->preview);
	free(r->rv);
	free(r->last_status);
	free(r->st.value);
	free(r->st.warning);
	free(r->st.detail);
	json_decref(r->st.aux_data);
	json_decref(r->before);
	json_decref(r->patch.body);
	free(r->patch.path);
	free(r->patch.rv);
	free(r->patch.object);
	free(r->st.danger);
	if (r->act != NULL && r->act->cleanup != NULL)
		r->act->cleanup(&r->st);
	for (i = 0; i < r->nwords; i++)
		free(r->words[i]);
	free(r->words);
	free(r->ns);
}

/* The run's timer, and the run on the list of the unfinished ones. */
void
action_run_begin(struct action_run *r, struct uv_loop_s *loop)
{
	uv_timer_init(loop, &r->timer);
	r->timer.data = r;
	r->timer_open = 1;
	r->next = action_runs;
	action_runs = r;
}

/* The end of a run: print, audit, release; the loop then runs dry. */
void
action_finish(struct action_run *r, int rc, const char *phase,
    const char *fmt, ...)
{
	struct action_run **rp;
	va_list	 ap;
	char	*msg;

	if (r->finished)
		return;
	va_start(ap, fmt);
	xvasprintf(&msg, fmt, ap);
	va_end(ap);
	r->finished = 1;
	r->rc = rc;
	for (rp = &action_runs; *rp != NULL; rp = &(*rp)->next) {
		if (*rp == r) {
			*rp = r->next;
			break;
		}
	}
	/* A cancel is the operator's choice, not an error. */
	if (rc != 0 && strcmp(phase, "cancelled") != 0)
		action_say(r, 1, "error: %s", msg);
	/* A change whose outcome is not on record is not a success. */
	if (action_audit(r, phase, msg) != 0 && r->started && rc == 0) {
		rc = r->rc = 1;
		action_say(r, 1, "error: the outcome (%s) could not be written "
		    "to the audit log", phase);
	}
	if (r->log_id != 0)
		model_action_phase(r->model, r->log_id, phase, 1, rc);
	free(msg);
	if (r->lock_fd != -1) {
		close(r->lock_fd);
		r->lock_fd = -1;
	}
	if (r->io.done != NULL)
		r->io.done(r->io.arg, rc);
	/* The run is freed when its timer has closed. */
	uv_timer_stop(&r->timer);
	uv_close((uv_handle_t *)&r->timer, action_close_cb);
	r->timer_open = 0;
}

void
action_abandon_all(void)
{
	while (action_runs != NULL)
		action_finish(action_runs, 1, "failed", "warroom quit before "
		    "the action finished%s", action_runs->lock_fd != -1 ?
		    " (the change may have been applied)" : "");
}

void
action_send(struct action_run *r, const char *method, const char *path,
    const char *ctype, const char *body, http_done_cb cb)
{
	struct kube_req	 q;

	memset(&q, 0, sizeof q);
	q.method = method;
	q.path = path;
	q.content_type = ctype;
	q.body = body;
	q.body_len = body != NULL ? strlen(body) : 0;
	q.timeout_ms = ACTION_REQ_TIMEOUT_MS;
	q.max_body = 8 * 1024 * 1024;
	q.on_done = cb;
	q.arg = r;
	kube_start(r->kube, &q);
}

int
action_ok(const struct http_response *res)
{
	return res->error == 0 && res->status >= 200 && res->status < 300;
}

json_t *
action_json(const struct http_response *res)
{
	if (res->body == NULL || res->body_len == 0)
		return NULL;
	return json_loadb(res->body, res->body_len, 0, NULL);
}

/* The object the patch goes to, and the resourceVersion it must have. */
const char *
action_object_path(const struct action_run *r)
{
	return r->patch.path != NULL ? r->patch.path : r->path;
}

const char *
action_rv(const struct action_run *r)
{
	return r->patch.rv != NULL ? r->patch.rv : r->rv;
}

/* A failed request: 403 is a denial, anything else a failure. */
void
action_fail_http(struct action_run *r, const char *what,
    const struct http_response *res)
{
	char	*text = kube_error_text(res);

	if (res->status == 403)
		action_finish(r, 1, "denied", "%s: %s", what, text);
	else
		action_finish(r, 1, "failed", "%s: %s", what, text);
	free(text);
}

static char *
action_patch_path(struct action_run *r, int dry)
{
	const struct action_patch *p = &r->patch;
	char	*path;

	xasprintf(&path, "%s%s%s%s%s%s", action_object_path(r), p->subpath,
	    p->query != NULL || dry ? "?" : "", p->query != NULL ? p->query : "",
	    p->query != NULL && dry ? "&" : "", dry ? "dryRun=All" : "");
	return path;
}

void
action_send_patch(struct action_run *r, int dry, http_done_cb cb)
{
	char	*path, *body;

	path = action_patch_path(r, dry);
	if ((body = json_dumps(r->patch.body, JSON_COMPACT)) == NULL)
		fatal("json_dumps");
	action_send(r, "PATCH", path, r->patch.content_type, body, cb);
	free(body);
	free(path);
}

char *
action_change_cause(struct action_run *r)
{
	char	*s;

	xasprintf(&s, "warroom do %s %s%s%s by %s", r->act->name, r->st.name,
	    *r->argstr != '\0' ? " " : "", r->argstr, r->user);
	return s;
}

const char *
action_user(const struct action_run *r)
{
	return r->user;
}
