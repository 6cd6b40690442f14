/* kube.c: requests to the Kubernetes API server: URL, credentials, TLS from
 * the kubeconfig, and readable errors from Status bodies. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "autoconf.h"

#include "decode-kube.h"
#include "jtext.h"
#include "kube.h"
#include "kubeconfig.h"
#include "warroom.h"

#define KUBE_MAX_BODY	(64u * 1024 * 1024)

struct kube *
kube_create(struct http *http, struct kubeconfig *kc)
{
	struct kube	*k;

	k = xcalloc(1, sizeof *k);
	k->http = http;
	k->kc = kc;
	k->tls.ca_file = kc->ca_file;
	k->tls.ca_pem = kc->ca_pem;
	k->tls.ca_pem_len = kc->ca_pem_len;
	k->tls.cert_file = kc->cert_file;
	k->tls.cert_pem = kc->cert_pem;
	k->tls.cert_pem_len = kc->cert_pem_len;
	k->tls.key_file = kc->key_file;
	k->tls.key_pem = kc->key_pem;
	k->tls.key_pem_len = kc->key_pem_len;
	k->tls.server_name = kc->tls_server_name;
	k->tls.insecure = kc->insecure;
	xasprintf(&k->user_agent, "warroom/%s", PACKAGE_VERSION);
	return k;
}

void
kube_free(struct kube *k)
{
	if (k == NULL)
		return;
	free(k->user_agent);
	free(k);
}

struct http_request *
kube_start(struct kube *k, const struct kube_req *r)
{
	struct http_opts	 o;
	struct kubeconfig	*kc = k->kc;
	char			*url;
	struct http_request	*req;
	int			 tls;

	memset(&o, 0, sizeof o);
	xasprintf(&url, "%s%s", kc->server, r->path);
	/* As client-go: credentials travel only over TLS. */
	tls = strncmp(kc->server, "https://", 8) == 0;
	o.method = r->method;
	o.url = url;
	o.accept = r->accept != NULL ? r->accept : KUBE_ACCEPT_JSON;
	o.content_type = r->content_type;
	o.body = r->body;
	o.body_len = r->body_len;
	if (tls) {
		o.tls = &k->tls;
		if (kc->token != NULL && *kc->token != '\0')
			o.bearer = kc->token;
		else if (kc->username != NULL) {
			o.basic_user = kc->username;
			o.basic_pass = kc->password != NULL ? kc->password : "";
		}
	}
	o.proxy = kc->proxy_url;
	o.connect_timeout_ms = 5000;
	o.timeout_ms = r->timeout_ms;
	o.max_body = r->max_body != 0 ? r->max_body : KUBE_MAX_BODY;
	o.on_line = r->on_line;
	o.on_done = r->on_done;
	o.arg = r->arg;
	log_debug("kube: %s %.*s", r->method != NULL ? r->method : "GET",
	    (int)strcspn(r->path, "?#"), r->path);
	req = http_start(k->http, &o);
	free(url);
	return req;
}

static const char *
kube_reason_phrase(long code)
{
	switch (code) {
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 409: return "Conflict";
	case 410: return "Gone";
	case 422: return "Unprocessable Entity";
	case 429: return "Too Many Requests";
	case 500: return "Internal Server Error";
	case 502: return "Bad Gateway";
	case 503: return "Service Unavailable";
	case 504: return "Gateway Timeout";
	}
	return "error";
}

char *
kube_error_text(const struct http_response *res)
{
	json_t			*root;
	struct kube_status	 st;
	char			*text, *snippet;
	size_t			 n;

	if (res->error != 0 || res->status == 0)
		return xstrdup(res->error_text != NULL ? res->error_text :
		    "no response");
	if (res->truncated)
		return xstrdup(res->error_text != NULL ? res->error_text :
		    "response too large");
	if (res->body != NULL && res->body_len > 0 &&
	    (root = json_loadb(res->body, res->body_len, 0, NULL)) != NULL) {
		if (decode_kube_status(root, &st) == 0 && st.message != NULL) {
			xasprintf(&text, "%ld %s: %s", res->status,
			    kube_reason_phrase(res->status), st.message);
			decode_kube_status_clear(&st);
			json_decref(root);
			return text;
		}
		decode_kube_status_clear(&st);
		json_decref(root);
	}
	/* Not a Status: show the start of the body, one line. */
	n = res->body != NULL ? jtext_cut(res->body, res->body_len, 120) : 0;
	snippet = xstrndup(res->body != NULL ? res->body : "", n);
	for (char *p = snippet; *p != '\0'; p++) {
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	}
	if (*snippet != '\0')
		xasprintf(&text, "%ld %s: %s", res->status,
		    kube_reason_phrase(res->status), snippet);
	else
		xasprintf(&text, "%ld %s", res->status,
		    kube_reason_phrase(res->status));
	free(snippet);
	return text;
}

int
kube_is_expired(long code, const char *reason)
{
	if (code == 410)
		return 1;
	return reason != NULL &&
	    (strcmp(reason, "Expired") == 0 || strcmp(reason, "Gone") == 0);
}

char *
kube_escape(const char *s)
{
	static const char	 hex[] = "0123456789ABCDEF";
	char			*out, *o;

	out = o = xmalloc(strlen(s) * 3 + 1);
	for (; *s != '\0'; s++) {
		unsigned char	 c = *s;

		if (isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~')
			*o++ = c;
		else {
			*o++ = '%';
			*o++ = hex[c >> 4];
			*o++ = hex[c & 15];
		}
	}
	*o = '\0';
	return out;
}
