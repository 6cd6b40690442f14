"""Authorization in the double: admin may do everything; viewer may get, list and watch
(and create SelfSubjectAccessReviews, as every authenticated user may); messages and
details are worded as the real RBAC authorizer words them.
"""

from store import ApiError

READ_VERBS = ("get", "list", "watch")


def allowed(user, verb, group, resource, sub=None):
    if user == "admin":
        return True
    if resource == "selfsubjectaccessreviews" and group == "authorization.k8s.io" and verb == "create":
        return user == "viewer"
    if user == "viewer":
        return verb in READ_VERBS and resource != "secrets"
    return False


def forbidden(user, r):
    """403 for a parsed route r (server.Route)."""
    k = r.kind
    res = k.plural + ("/" + r.sub if r.sub else "")
    subject = '%s "%s"' % (k.qualified, r.name) if r.name else k.qualified
    scope = 'in the namespace "%s"' % r.ns if r.ns else "at the cluster scope"
    msg = '%s is forbidden: User "%s" cannot %s resource "%s" in API group "%s" %s' % (
        subject, user, r.verb, res, k.group, scope)
    details = {"group": k.group, "kind": k.plural}
    if r.name:
        details = {"name": r.name, "group": k.group, "kind": k.plural}
    return ApiError(403, "Forbidden", msg, details)
