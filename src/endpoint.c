/* endpoint.c: requests to Prometheus and Alertmanager with their
 * credentials, and the one-line error of a failed answer. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config.h"
#include "endpoint.h"
#include "net-conn.h"
#include "warroom.h"

#define ENDPOINT_SECRET_MAX	8192	/* bytes of a token or password file */

void
endpoint_prometheus(struct endpoint *e)
{
	memset(e, 0, sizeof *e);
	e->name = "prometheus";
	e->url = cfg.prometheus;
	e->token_file = cfg.prom_token_file;
	e->ca = cfg.prom_ca;
	e->basic_file = cfg.prom_basic_file;
}

void
endpoint_alertmanager(struct endpoint *e)
{
	memset(e, 0, sizeof *e);
	e->name = "alertmanager";
	e->url = cfg.alertmanager;
	e->token_file = cfg.am_token_file;
	e->ca = cfg.am_ca;
	e->basic_file = cfg.am_basic_file;
}

/* The first line of a small secret file, without its newline. */
static char *
endpoint_read_secret(const char *path, char **cause)
{
	FILE	*f;
	char	 buf[ENDPOINT_SECRET_MAX];
	size_t	 n;

	if ((f = fopen(path, "r")) == NULL) {
		xasprintf(cause, "%s: %s", path, strerror(errno));
		return NULL;
	}
	n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	buf[strcspn(buf, "\r\n")] = '\0';
	if (buf[0] == '\0') {
		xasprintf(cause, "%s: empty", path);
		return NULL;
	}
	return xstrdup(buf);
}

/* Overwrite a secret before freeing it. */
static void
endpoint_forget(char *s)
{
	volatile char	*p = s;

	if (s == NULL)
		return;
	while (*p != '\0')
		*p++ = '\0';
	free(s);
}

struct http_request *
endpoint_start(struct http *h, const struct endpoint *e, const char *method,
    const char *path, const char *content_type, const char *body,
    long timeout_ms, http_done_cb cb, void *arg, char **cause)
{
	struct http_opts o;
	struct http_tls	 tls;
	struct http_request *req;
	char		*url, *token = NULL, *basic = NULL, *why = NULL, *colon;
	size_t		 len = strlen(e->url);

	if (e->token_file != NULL &&
	    (token = endpoint_read_secret(e->token_file, &why)) == NULL) {
		xasprintf(cause, "%s: token-file %s", e->name, why);
		free(why);
		return NULL;
	}
	if (e->basic_file != NULL &&
	    (basic = endpoint_read_secret(e->basic_file, &why)) == NULL) {
		xasprintf(cause, "%s: basic-auth-file %s", e->name, why);
		free(why);
		endpoint_forget(token);
		return NULL;
	}
	while (len > 0 && e->url[len - 1] == '/')
		len--;
	xasprintf(&url, "%.*s%s", (int)len, e->url, path);
	memset(&o, 0, sizeof o);
	memset(&tls, 0, sizeof tls);
	tls.ca_file = e->ca;
	o.method = method;
	o.url = url;
	o.accept = "application/json";
	o.content_type = content_type;
	o.body = body;
	o.body_len = body != NULL ? strlen(body) : 0;
	o.tls = &tls;
	o.bearer = token;
	if (basic != NULL) {
		if ((colon = strchr(basic, ':')) != NULL)
			*colon++ = '\0';
		o.basic_user = basic;
		o.basic_pass = colon != NULL ? colon : "";
	}
	o.connect_timeout_ms = 3000;
	o.timeout_ms = timeout_ms;
	o.max_body = 16 * 1024 * 1024;
	o.on_done = cb;
	o.arg = arg;
	log_debug("%s: %s %.*s", e->name, method != NULL ? method : "GET",
	    (int)strcspn(path, "?#"), path);
	req = http_start(h, &o);
	free(url);
	endpoint_forget(token);
	endpoint_forget(basic);
	return req;
}

char *
endpoint_cleartext(const struct endpoint *e)
{
	const char	*auth, *host, *what, *p;
	char		*s;
	size_t		 len;

	if (e->url == NULL || strncasecmp(e->url, "http://", 7) != 0)
		return NULL;
	auth = e->url + 7;
	len = strcspn(auth, "/?#");
	host = auth;
	for (p = auth; p < auth + len; p++) {
		if (*p == '@')
			host = p + 1;
	}
	len -= host - auth;
	if (e->token_file != NULL)
		what = "bearer token (token-file)";
	else if (e->basic_file != NULL)
		what = "basic auth (basic-auth-file)";
	else if (host != auth)
		what = "user and password in the URL";
	else
		return NULL;
	/* The port off: the last ':' outside brackets. */
	for (p = host + len; p > host && p[-1] != ':' && p[-1] != ']'; p--)
		;
	if (p > host && p[-1] == ':')
		len = p - 1 - host;
	if (net_conn_host_local(host, len))
		return NULL;
	xasprintf(&s, "%s: the %s goes to %.*s over http:// in clear text; "
	    "use https://", e->name, what, (int)len, host);
	return s;
}

char *
endpoint_error(const struct http_response *res)
{
	char	*s, *clean;
	size_t	 n;

	if (res->error != 0)
		return sanitize(res->error_text != NULL ? res->error_text :
		    "request failed");
	n = res->body != NULL ? strcspn(res->body, "\r\n") : 0;
	if (n > 200)
		n = 200;
	xasprintf(&s, "HTTP %ld%s%.*s", res->status, n > 0 ? ": " : "",
	    (int)n, res->body != NULL ? res->body : "");
	clean = sanitize(s);
	free(s);
	return clean;
}

char *
endpoint_escape(const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	char		*out, *p;
	unsigned char	 c;

	p = out = xmalloc(strlen(s) * 3 + 1);
	for (; (c = (unsigned char)*s) != '\0'; s++) {
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '_' ||
		    c == '.' || c == '~')
			*p++ = (char)c;
		else {
			*p++ = '%';
			*p++ = hex[c >> 4];
			*p++ = hex[c & 15];
		}
	}
	*p = '\0';
	return out;
}
