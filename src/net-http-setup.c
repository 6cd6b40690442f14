/* net-http-setup.c: build one libcurl easy handle from struct http_opts:
 * URL, timeouts, method and body, headers (a token is wiped on free), TLS
 * material as blobs or files, tls-server-name. Failures are recorded for
 * on_done, never returned. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net-http-private.h"
#include "warroom.h"

/* Record the first option curl refused; the request then fails in on_done. */
void
http_check(struct http_request *r, CURLcode rc, const char *what)
{
	if (rc == CURLE_OK || r->setup_error != 0)
		return;
	if (strncmp(what, "CURLOPT_", 8) == 0)
		what += 8;
	r->setup_error = rc;
	xasprintf(&r->setup_text, "unsupported option %s: %s", what,
	    curl_easy_strerror(rc));
}

void
http_setup_fail(struct http_request *r, CURLcode rc, const char *what,
    const char *detail)
{
	if (r->setup_error != 0)
		return;
	r->setup_error = rc;
	if (detail != NULL)
		xasprintf(&r->setup_text, "%s: %s", what, detail);
	else
		r->setup_text = xstrdup(what);
}

/* The URL as logged: parsed, without user name, password, query and
 * fragment; with origin_only, scheme://host[:port]/… (a webhook's path is
 * its secret). */
static char *
http_url_for_log(const char *url, int origin_only, CURLUcode *uc)
{
	CURLU	*u;
	char	*s, *out;

	if ((u = curl_url()) == NULL)
		fatal("curl_url failed");
	if ((*uc = curl_url_set(u, CURLUPART_URL, url, 0)) != CURLUE_OK) {
		curl_url_cleanup(u);
		return (NULL);
	}
	curl_url_set(u, CURLUPART_USER, NULL, 0);
	curl_url_set(u, CURLUPART_PASSWORD, NULL, 0);
	curl_url_set(u, CURLUPART_OPTIONS, NULL, 0);
	curl_url_set(u, CURLUPART_QUERY, NULL, 0);
	curl_url_set(u, CURLUPART_FRAGMENT, NULL, 0);
	if (origin_only)
		curl_url_set(u, CURLUPART_PATH, "/", 0);
	if ((*uc = curl_url_get(u, CURLUPART_URL, &s, 0)) != CURLUE_OK) {
		curl_url_cleanup(u);
		return (NULL);
	}
	if (origin_only)
		xasprintf(&out, "%s…", s);
	else
		out = xstrdup(s);
	curl_free(s);
	curl_url_cleanup(u);
	return (out);
}

static struct curl_slist *
http_header_add(struct curl_slist *sl, const char *name, const char *value)
{
	char	*s;

	xasprintf(&s, "%s: %s", name, value);
	if ((sl = curl_slist_append(sl, s)) == NULL)
		fatal("curl_slist_append failed");
	explicit_bzero(s, strlen(s));	/* it may be the token */
	free(s);
	return (sl);
}

static void
http_setup_headers(struct http_request *r, const struct http_opts *o)
{
	struct curl_slist	*sl = NULL;
	char			*s;

	/* "Expect:" with no value: no 100-continue round trip for bodies. */
	if ((sl = curl_slist_append(sl, "Expect:")) == NULL)
		fatal("curl_slist_append failed");
	if (o->accept != NULL)
		sl = http_header_add(sl, "Accept", o->accept);
	if (o->content_type != NULL)
		sl = http_header_add(sl, "Content-Type", o->content_type);
	if (o->bearer != NULL) {
		xasprintf(&s, "Bearer %s", o->bearer);
		sl = http_header_add(sl, "Authorization", s);
		explicit_bzero(s, strlen(s));
		free(s);
	}
	r->headers = sl;
	http_setopt(r, CURLOPT_HTTPHEADER, sl);

	/* A bearer header wins; curl would not send both anyway. */
	if (o->bearer == NULL && o->basic_user != NULL) {
		http_setopt(r, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
		http_setopt(r, CURLOPT_USERNAME, o->basic_user);
		http_setopt(r, CURLOPT_PASSWORD,
		    o->basic_pass != NULL ? o->basic_pass : "");
	}
	/* An explicit proxy (kubeconfig proxy-url); otherwise curl follows
	 * the usual environment (HTTPS_PROXY, NO_PROXY). */
	if (o->proxy != NULL)
		http_setopt(r, CURLOPT_PROXY, o->proxy);
}

static void
http_setup_blob(struct http_request *r, CURLoption opt, const char *what,
    const char *pem, size_t len)
{
	struct curl_blob	 blob;

	blob.data = (void *)pem;
	blob.len = len != 0 ? len : strlen(pem);
	blob.flags = CURL_BLOB_COPY;
	http_check(r, curl_easy_setopt(r->easy, opt, &blob), what);
}

/*
 * tls-server-name: send that name in SNI and verify the certificate against
 * it, while connecting to the URL's own host. The URL is rewritten to the
 * name, CONNECT_TO sends the connection to the real host, and the Host
 * header keeps the real host, as Go's tls.Config.ServerName does.
 */
static void
http_setup_server_name(struct http_request *r, const char *name,
    const char *url)
{
	CURLU		*u;
	char		*host = NULL, *port = NULL, *newurl = NULL, *line;

	if ((u = curl_url()) == NULL)
		fatal("out of memory (curl_url)");
	if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) !=
	    CURLUE_OK ||
	    curl_url_set(u, CURLUPART_HOST, name, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_URL, &newurl, 0) != CURLUE_OK) {
		if (r->setup_error == 0) {
			r->setup_error = CURLE_URL_MALFORMAT;
			xasprintf(&r->setup_text, "cannot use tls-server-name "
			    "\"%s\" with this server URL", name);
		}
		goto out;
	}
	r->tls_url = xstrdup(newurl);
	http_setopt(r, CURLOPT_URL, r->tls_url);
	xasprintf(&line, "%s:%s:%s:%s", name, port, host, port);
	r->connect_to = curl_slist_append(NULL, line);
	free(line);
	http_setopt(r, CURLOPT_CONNECT_TO, r->connect_to);
	xasprintf(&line, "Host: %s:%s", host, port);
	r->headers = curl_slist_append(r->headers, line);
	free(line);
	http_setopt(r, CURLOPT_HTTPHEADER, r->headers);
	log_debug("http: TLS name %s for %s", name, host);
out:
	curl_free(host);
	curl_free(port);
	curl_free(newurl);
	curl_url_cleanup(u);
}

static void
http_setup_tls(struct http_request *r, const struct http_tls *tls,
    const char *url)
{
	if (tls->ca_pem != NULL) {
		http_setup_blob(r, CURLOPT_CAINFO_BLOB, "CAINFO_BLOB",
		    tls->ca_pem, tls->ca_pem_len);
	} else if (tls->ca_file != NULL)
		http_setopt(r, CURLOPT_CAINFO, tls->ca_file);

	if (tls->cert_pem != NULL) {
		http_setopt(r, CURLOPT_SSLCERTTYPE, "PEM");
		http_setup_blob(r, CURLOPT_SSLCERT_BLOB, "SSLCERT_BLOB",
		    tls->cert_pem, tls->cert_pem_len);
	} else if (tls->cert_file != NULL)
		http_setopt(r, CURLOPT_SSLCERT, tls->cert_file);

	if (tls->key_pem != NULL) {
		http_setopt(r, CURLOPT_SSLKEYTYPE, "PEM");
		http_setup_blob(r, CURLOPT_SSLKEY_BLOB, "SSLKEY_BLOB",
		    tls->key_pem, tls->key_pem_len);
	} else if (tls->key_file != NULL)
		http_setopt(r, CURLOPT_SSLKEY, tls->key_file);

	if (tls->insecure) {
		http_setopt(r, CURLOPT_SSL_VERIFYPEER, 0L);
		http_setopt(r, CURLOPT_SSL_VERIFYHOST, 0L);
	}

	if (tls->server_name != NULL)
		http_setup_server_name(r, tls->server_name, url);
}

static void
http_setup_method(struct http_request *r, const struct http_opts *o)
{
	const char	*m = r->method;
	size_t		 len;

	if (o->body != NULL || strcmp(m, "POST") == 0 ||
	    strcmp(m, "PUT") == 0 || strcmp(m, "PATCH") == 0) {
		len = o->body_len;
		if (len == 0 && o->body != NULL)
			len = strlen(o->body);
		http_setopt(r, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
		http_setopt(r, CURLOPT_COPYPOSTFIELDS,
		    o->body != NULL ? o->body : "");
		if (strcmp(m, "POST") != 0)
			http_setopt(r, CURLOPT_CUSTOMREQUEST, m);
	} else if (strcmp(m, "HEAD") == 0)
		http_setopt(r, CURLOPT_NOBODY, 1L);
	else if (strcmp(m, "GET") != 0)
		http_setopt(r, CURLOPT_CUSTOMREQUEST, m);
}

/* Build the easy handle; a failure is recorded for on_done, not returned. */
void
http_setup(struct http_request *r, const struct http_opts *o)
{
	CURLUcode	 uc = CURLUE_OK;
	long		 ms;

	if (o->url == NULL) {
		http_setup_fail(r, CURLE_URL_MALFORMAT, "no URL", NULL);
		return;
	}
	if ((r->url = http_url_for_log(o->url, o->log_origin, &uc)) == NULL) {
		http_setup_fail(r, CURLE_URL_MALFORMAT, "bad URL",
		    curl_url_strerror(uc));
		return;
	}
	if ((r->easy = curl_easy_init()) == NULL)
		fatal("curl_easy_init failed");

	http_setopt(r, CURLOPT_URL, o->url);
	http_setopt(r, CURLOPT_PRIVATE, r);
	http_setopt(r, CURLOPT_ERRORBUFFER, r->errbuf);
	http_setopt(r, CURLOPT_NOSIGNAL, 1L);
	http_setopt(r, CURLOPT_PROTOCOLS_STR, "http,https");
	http_setopt(r, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	http_setopt(r, CURLOPT_FOLLOWLOCATION, 0L);
	http_setopt(r, CURLOPT_TCP_KEEPALIVE, 1L);
	http_setopt(r, CURLOPT_ACCEPT_ENCODING, "");

	ms = o->connect_timeout_ms > 0 ? o->connect_timeout_ms :
	    HTTP_CONNECT_TIMEOUT_MS;
	http_setopt(r, CURLOPT_CONNECTTIMEOUT_MS, ms);
	if (o->timeout_ms > 0)
		http_setopt(r, CURLOPT_TIMEOUT_MS, o->timeout_ms);
	if (o->low_speed_time_s > 0) {
		http_setopt(r, CURLOPT_LOW_SPEED_LIMIT, 1L);
		http_setopt(r, CURLOPT_LOW_SPEED_TIME, o->low_speed_time_s);
	}

	http_setopt(r, CURLOPT_WRITEFUNCTION, http_write_cb);
	http_setopt(r, CURLOPT_WRITEDATA, r);
	http_setopt(r, CURLOPT_HEADERFUNCTION, http_header_cb);
	http_setopt(r, CURLOPT_HEADERDATA, r);
	if (r->on_line == NULL) {
		/* Fail early when Content-Length is already too big. */
		http_setopt(r, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)r->max);
	}

	http_setup_method(r, o);
	http_setup_headers(r, o);
	if (o->tls != NULL)
		http_setup_tls(r, o->tls, o->url);
}

