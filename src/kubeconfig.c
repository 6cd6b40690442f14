/* kubeconfig.c: load kubeconfig files as kubectl does (KUBECONFIG merging,
 * first definition wins, relative paths, contexts, credentials, in-cluster).
 * YAML access is in kubeconfig-yaml.c, exec plugins in kubeconfig-exec.c. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <yaml.h>

#include "kubeconfig.h"
#include "kubeconfig-private.h"
#include "warroom.h"

#define KCFG_MAX_FILE		(16 * 1024 * 1024)	/* one kubeconfig */
#define KCFG_SA_DIR		"/var/run/secrets/kubernetes.io/serviceaccount"

struct kcfg_list {
	struct kcfg_entry *v;
	size_t		 n;
};

struct kcfg_merged {
	struct kcfg_file **files;
	size_t		 nfiles;
	struct kcfg_list clusters;
	struct kcfg_list users;
	struct kcfg_list contexts;
	const char	*current;	/* first non-empty current-context */
};

int
kcfg_error(char **cause, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	xvasprintf(cause, fmt, ap);
	va_end(ap);
	return -1;
}

char *
kcfg_resolve(struct kcfg_file *f, const char *p)
{
	char	*r;

	if (p == NULL)
		return NULL;
	if (*p == '/')
		return xstrdup(p);
	while (p[0] == '.' && p[1] == '/')
		p += 2;
	xasprintf(&r, "%s/%s", f->dir, p);
	return r;
}

/* Loading and merging files. */

static struct kcfg_entry *
kcfg_find(struct kcfg_list *l, const char *name)
{
	size_t	 i;

	for (i = 0; i < l->n; i++) {
		if (strcmp(l->v[i].name, name) == 0)
			return &l->v[i];
	}
	return NULL;
}

static char *
kcfg_absdir(const char *path)
{
	char	 cwd[4096], *abs, *slash;

	if (*path == '/')
		abs = xstrdup(path);
	else {
		while (path[0] == '.' && path[1] == '/')
			path += 2;
		if (getcwd(cwd, sizeof cwd) == NULL)
			snprintf(cwd, sizeof cwd, ".");
		xasprintf(&abs, "%s/%s", cwd, path);
	}
	slash = strrchr(abs, '/');
	if (slash == abs)
		slash[1] = '\0';
	else
		*slash = '\0';
	return abs;
}

static void
kcfg_merged_free(struct kcfg_merged *m)
{
	size_t	 i;

	for (i = 0; i < m->nfiles; i++)
		kcfg_file_free(m->files[i]);
	free(m->files);
	free(m->clusters.v);
	free(m->users.v);
	free(m->contexts.v);
}

/* Add one file's clusters, users or contexts; earlier files win. */
static int
kcfg_collect(struct kcfg_file *f, yaml_node_t *root, const char *key,
    const char *kind, struct kcfg_list *l, char **cause)
{
	yaml_document_t		*doc = &f->doc;
	yaml_node_item_t	*it;
	yaml_node_t		*seq, *item, *name, *inner;
	struct kcfg_entry	*old, e;

	seq = kcfg_get(doc, root, key);
	if (kcfg_null(seq))
		return 0;
	if (seq->type != YAML_SEQUENCE_NODE) {
		return kcfg_error(cause, "%s: line %zu: %s must be a list "
		    "(- name: ...), not %s", f->path, kcfg_line(seq), key,
		    kcfg_type(seq));
	}
	for (it = seq->data.sequence.items.start;
	    it < seq->data.sequence.items.top; it++) {
		item = yaml_document_get_node(doc, *it);
		if (item == NULL || item->type != YAML_MAPPING_NODE) {
			return kcfg_error(cause, "%s: line %zu: each entry of "
			    "%s must be a mapping with name and %s", f->path,
			    item != NULL ? kcfg_line(item) : kcfg_line(seq),
			    key, kind);
		}
		name = kcfg_get(doc, item, "name");
		if (kcfg_null(name)) {
			log_debug("%s: line %zu: %s without a name ignored",
			    f->path, kcfg_line(item), kind);
			continue;
		}
		if (name->type != YAML_SCALAR_NODE) {
			return kcfg_error(cause, "%s: line %zu: %s name must "
			    "be a string, not %s", f->path, kcfg_line(name),
			    kind, kcfg_type(name));
		}
		e.file = f;
		e.name = (const char *)name->data.scalar.value;
		inner = kcfg_get(doc, item, kind);
		if (!kcfg_null(inner) && inner->type != YAML_MAPPING_NODE) {
			return kcfg_error(cause, "%s: line %zu: %s \"%s\": %s "
			    "must be a mapping, not %s", f->path,
			    kcfg_line(inner), kind, e.name, kind,
			    kcfg_type(inner));
		}
		e.node = kcfg_null(inner) ? NULL : inner;
		if ((old = kcfg_find(l, e.name)) != NULL) {
			if (old->file == f) {
				return kcfg_error(cause, "%s: line %zu: %s "
				    "\"%s\" is defined twice", f->path,
				    kcfg_line(item), kind, e.name);
			}
			log_debug("%s: %s \"%s\" already defined in %s, "
			    "ignored", f->path, kind, e.name, old->file->path);
			continue;
		}
		l->v = xreallocarray(l->v, l->n + 1, sizeof *l->v);
		l->v[l->n++] = e;
	}
	return 0;
}

/* Load one file into m: 1 if loaded, 0 if missing (and !must), -1 error. */
static int
kcfg_open(struct kcfg_merged *m, const char *path, int must, char **cause)
{
	struct kcfg_file	*f;
	yaml_node_t		*root, *v;
	const char		*s;
	char			*buf;
	size_t			 len;
	int			 rv;

	if ((buf = kcfg_read_file(path, KCFG_MAX_FILE, &len)) == NULL) {
		if (errno == ENOENT && !must) {
			log_debug("kubeconfig %s does not exist", path);
			return 0;
		}
		if (errno == EFBIG) {
			return kcfg_error(cause, "%s: larger than %d MiB", path,
			    KCFG_MAX_FILE >> 20);
		}
		return kcfg_error(cause, "%s: %s", path, strerror(errno));
	}
	f = xcalloc(1, sizeof *f);
	f->path = xstrdup(path);
	f->dir = kcfg_absdir(path);
	m->files = xreallocarray(m->files, m->nfiles + 1, sizeof *m->files);
	m->files[m->nfiles++] = f;
	rv = kcfg_parse(f, buf, len, cause);
	kcfg_wipe(buf, len);
	free(buf);
	if (rv != 0)
		return -1;

	root = yaml_document_get_root_node(&f->doc);
	if (kcfg_null(root))
		return 1;
	if (root->type != YAML_MAPPING_NODE) {
		return kcfg_error(cause, "%s: line %zu: not a kubeconfig: "
		    "expected a mapping (apiVersion, kind, clusters, ...), "
		    "found %s", path, kcfg_line(root), kcfg_type(root));
	}
	v = kcfg_get(&f->doc, root, "kind");
	if (!kcfg_null(v) && (v->type != YAML_SCALAR_NODE ||
	    strcmp((const char *)v->data.scalar.value, "Config") != 0)) {
		return kcfg_error(cause, "%s: line %zu: not a kubeconfig: kind "
		    "is %s%s%s, expected \"Config\"", path, kcfg_line(v),
		    v->type == YAML_SCALAR_NODE ? "\"" : "",
		    v->type == YAML_SCALAR_NODE ?
		    (const char *)v->data.scalar.value : kcfg_type(v),
		    v->type == YAML_SCALAR_NODE ? "\"" : "");
	}
	v = kcfg_get(&f->doc, root, "current-context");
	if (!kcfg_null(v)) {
		if (v->type != YAML_SCALAR_NODE) {
			return kcfg_error(cause, "%s: line %zu: "
			    "current-context must be a string, not %s", path,
			    kcfg_line(v), kcfg_type(v));
		}
		s = (const char *)v->data.scalar.value;
		if (m->current == NULL && *s != '\0')
			m->current = s;
	}
	if (kcfg_collect(f, root, "clusters", "cluster", &m->clusters,
	    cause) != 0 ||
	    kcfg_collect(f, root, "users", "user", &m->users, cause) != 0 ||
	    kcfg_collect(f, root, "contexts", "context", &m->contexts,
	    cause) != 0)
		return -1;
	return 1;
}

/* Building the result. */

int
kcfg_token_ok(const char *s)
{
	for (; *s != '\0'; s++) {
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 0;
	}
	return 1;
}

static void
kcfg_drop_credentials(struct kubeconfig *kc)
{
	kcfg_free_secret(kc->token);
	kc->token = NULL;
	free(kc->token_file);
	kc->token_file = NULL;
	free(kc->cert_file);
	kc->cert_file = NULL;
	free(kc->cert_pem);
	kc->cert_pem = NULL;
	kc->cert_pem_len = 0;
	free(kc->key_file);
	kc->key_file = NULL;
	kcfg_wipe(kc->key_pem, kc->key_pem_len);
	free(kc->key_pem);
	kc->key_pem = NULL;
	kc->key_pem_len = 0;
	free(kc->username);
	kc->username = NULL;
	kcfg_free_secret(kc->password);
	kc->password = NULL;
	kcfg_exec_free(kc->exec);
	kc->exec = NULL;
	kc->exec_expiry = 0;
}

static int
kcfg_server(struct kubeconfig *kc, struct kcfg_entry *e, const char *server,
    int tls, char **cause)
{
	size_t	 len;

	if (strstr(server, "://") == NULL)
		xasprintf(&kc->server, "%s://%s", tls ? "https" : "http",
		    server);
	else if (strncasecmp(server, "https://", 8) == 0 ||
	    strncasecmp(server, "http://", 7) == 0)
		kc->server = xstrdup(server);
	else {
		return kcfg_error(cause, "%s: cluster \"%s\": server \"%s\" "
		    "must be an https:// or http:// URL", e->file->path,
		    e->name, server);
	}
	len = strlen(kc->server);
	while (len > 0 && kc->server[len - 1] == '/')
		kc->server[--len] = '\0';
	if (strstr(kc->server, "://")[3] == '\0') {
		return kcfg_error(cause, "%s: cluster \"%s\": server \"%s\" "
		    "has no host", e->file->path, e->name, server);
	}
	return 0;
}

static int
kcfg_cluster(struct kubeconfig *kc, struct kcfg_entry *e, char **cause)
{
	const char	*path = e->file->path, *server, *ca, *cadata, *tsn;
	const char	*proxy;
	int		 insecure;

	kc->cluster = xstrdup(e->name);
	if (kcfg_str(e, "cluster", e->node, "server", &server, cause) != 0 ||
	    kcfg_str(e, "cluster", e->node, "certificate-authority", &ca,
	    cause) != 0 ||
	    kcfg_str(e, "cluster", e->node, "certificate-authority-data",
	    &cadata, cause) != 0 ||
	    kcfg_str(e, "cluster", e->node, "tls-server-name", &tsn,
	    cause) != 0 ||
	    kcfg_str(e, "cluster", e->node, "proxy-url", &proxy, cause) != 0 ||
	    kcfg_bool(e, "cluster", e->node, "insecure-skip-tls-verify",
	    &insecure, cause) != 0)
		return -1;
	if (server == NULL) {
		return kcfg_error(cause, "%s: cluster \"%s\" has no server",
		    path, e->name);
	}
	if (insecure && (ca != NULL || cadata != NULL)) {
		return kcfg_error(cause, "%s: cluster \"%s\": specifying a "
		    "root certificates file with the insecure flag is not "
		    "allowed",
		    path, e->name);
	}
	if (kcfg_server(kc, e, server, insecure || ca != NULL ||
	    cadata != NULL, cause) != 0)
		return -1;
	kc->insecure = insecure;
	if (cadata != NULL) {
		kc->ca_pem = kubeconfig_base64_decode(cadata, &kc->ca_pem_len);
		if (kc->ca_pem == NULL) {
			return kcfg_error(cause, "%s: cluster \"%s\": "
			    "certificate-authority-data is not valid base64",
			    path, e->name);
		}
		if (ca != NULL) {
			log_debug("%s: cluster \"%s\": certificate-authority-"
			    "data overrides certificate-authority", path,
			    e->name);
		}
	} else if (ca != NULL) {
		kc->ca_file = kcfg_resolve(e->file, ca);
		if (access(kc->ca_file, R_OK) == -1) {
			return kcfg_error(cause, "%s: cluster \"%s\": "
			    "certificate-authority %s: %s", path, e->name,
			    kc->ca_file, strerror(errno));
		}
	}
	if (tsn != NULL)
		kc->tls_server_name = xstrdup(tsn);
	if (proxy != NULL)
		kc->proxy_url = xstrdup(proxy);
	return 0;
}

static const char *
kcfg_provider_hint(const char *name)
{
	if (name == NULL)
		return "";
	if (strcmp(name, "gcp") == 0)
		return " (gke-gcloud-auth-plugin)";
	if (strcmp(name, "azure") == 0)
		return " (kubelogin)";
	if (strcmp(name, "oidc") == 0)
		return " (kubelogin or kubectl oidc-login)";
	return "";
}

static int
kcfg_user(struct kubeconfig *kc, struct kcfg_entry *e, char **cause)
{
	struct kcfg_file	*f = e->file;
	yaml_node_t		*ap, *ex;
	const char		*token, *tokfile, *cert, *certdata, *key;
	const char		*keydata, *user, *pass, *apname = NULL;

	kc->user = xstrdup(e->name);
	ap = kcfg_get(&f->doc, e->node, "auth-provider");
	if (!kcfg_null(ap)) {
		if (ap->type == YAML_MAPPING_NODE &&
		    kcfg_str(e, "user", ap, "name", &apname, cause) != 0)
			return -1;
		return kcfg_error(cause, "%s: user \"%s\": auth-provider "
		    "\"%s\" is not supported; use an exec plugin%s", f->path,
		    e->name, apname != NULL ? apname : "",
		    kcfg_provider_hint(apname));
	}
	if (kcfg_str(e, "user", e->node, "token", &token, cause) != 0 ||
	    kcfg_str(e, "user", e->node, "tokenFile", &tokfile, cause) != 0 ||
	    kcfg_str(e, "user", e->node, "client-certificate", &cert,
	    cause) != 0 ||
	    kcfg_str(e, "user", e->node, "client-certificate-data", &certdata,
	    cause) != 0 ||
	    kcfg_str(e, "user", e->node, "client-key", &key, cause) != 0 ||
	    kcfg_str(e, "user", e->node, "client-key-data", &keydata,
	    cause) != 0 ||
	    kcfg_str(e, "user", e->node, "username", &user, cause) != 0 ||
	    kcfg_str(e, "user", e->node, "password", &pass, cause) != 0)
		return -1;

	if ((token != NULL || tokfile != NULL) &&
	    (user != NULL || pass != NULL)) {
		return kcfg_error(cause, "%s: user \"%s\": more than one "
		    "authentication method found (token and "
		    "username/password); only one is allowed", f->path,
		    e->name);
	}
	if (cert != NULL && certdata != NULL) {
		return kcfg_error(cause, "%s: user \"%s\": client-certificate "
		    "and client-certificate-data are both set; use one",
		    f->path, e->name);
	}
	if (key != NULL && keydata != NULL) {
		return kcfg_error(cause, "%s: user \"%s\": client-key and "
		    "client-key-data are both set; use one", f->path, e->name);
	}
	if ((cert != NULL || certdata != NULL) && key == NULL &&
	    keydata == NULL) {
		return kcfg_error(cause, "%s: user \"%s\" has a client "
		    "certificate but no client-key or client-key-data",
		    f->path, e->name);
	}
	if ((key != NULL || keydata != NULL) && cert == NULL &&
	    certdata == NULL) {
		return kcfg_error(cause, "%s: user \"%s\" has a client key but "
		    "no client-certificate or client-certificate-data",
		    f->path, e->name);
	}
	if (certdata != NULL) {
		kc->cert_pem = kubeconfig_base64_decode(certdata,
		    &kc->cert_pem_len);
		if (kc->cert_pem == NULL) {
			return kcfg_error(cause, "%s: user \"%s\": "
			    "client-certificate-data is not valid base64",
			    f->path, e->name);
		}
	}
	if (keydata != NULL) {
		kc->key_pem = kubeconfig_base64_decode(keydata,
		    &kc->key_pem_len);
		if (kc->key_pem == NULL) {
			return kcfg_error(cause, "%s: user \"%s\": "
			    "client-key-data is not valid base64", f->path,
			    e->name);
		}
	}
	kc->cert_file = kcfg_resolve(f, cert);
	kc->key_file = kcfg_resolve(f, key);
	if (token != NULL) {
		if (!kcfg_token_ok(token)) {
			return kcfg_error(cause, "%s: user \"%s\": token "
			    "contains control characters", f->path, e->name);
		}
		kc->token = xstrdup(token);
		if (tokfile != NULL) {
			log_debug("%s: user \"%s\": token is set, tokenFile "
			    "ignored", f->path, e->name);
		}
	} else
		kc->token_file = kcfg_resolve(f, tokfile);
	if (user != NULL)
		kc->username = xstrdup(user);
	if (pass != NULL)
		kc->password = xstrdup(pass);

	ex = kcfg_get(&f->doc, e->node, "exec");
	if (!kcfg_null(ex) && kcfg_exec_conf(kc, e, ex, cause) != 0)
		return -1;
	return 0;
}

static int
kcfg_build(struct kubeconfig *kc, struct kcfg_merged *m,
    struct kcfg_entry *ce, const char *namespace, const char *files,
    char **cause)
{
	struct kcfg_entry	*cl, *us = NULL;
	const char		*cluster, *user, *ns;

	kc->context = xstrdup(ce->name);
	kc->source = xstrdup(ce->file->path);
	if (kcfg_str(ce, "context", ce->node, "cluster", &cluster,
	    cause) != 0 ||
	    kcfg_str(ce, "context", ce->node, "user", &user, cause) != 0 ||
	    kcfg_str(ce, "context", ce->node, "namespace", &ns, cause) != 0)
		return -1;
	if (cluster == NULL) {
		return kcfg_error(cause, "%s: context \"%s\" has no cluster",
		    ce->file->path, ce->name);
	}
	if ((cl = kcfg_find(&m->clusters, cluster)) == NULL) {
		return kcfg_error(cause, "%s: context \"%s\" refers to cluster "
		    "\"%s\", which is not defined in %s", ce->file->path,
		    ce->name, cluster, files);
	}
	if (user != NULL && (us = kcfg_find(&m->users, user)) == NULL) {
		return kcfg_error(cause, "%s: context \"%s\" refers to user "
		    "\"%s\", which is not defined in %s", ce->file->path,
		    ce->name, user, files);
	}
	if (namespace == NULL)
		namespace = ns != NULL ? ns : "default";
	kc->namespace = xstrdup(namespace);

	if (kcfg_cluster(kc, cl, cause) != 0)
		return -1;
	if (us == NULL)
		kc->user = xstrdup("");
	else if (kcfg_user(kc, us, cause) != 0)
		return -1;

	/* client-go sends credentials only over TLS. */
	if (strncasecmp(kc->server, "https://", 8) != 0) {
		log_debug("%s: %s is not https, no credentials are sent",
		    ce->file->path, kc->server);
		kcfg_drop_credentials(kc);
		return 0;
	}
	if (kc->cert_file != NULL && access(kc->cert_file, R_OK) == -1) {
		return kcfg_error(cause, "%s: user \"%s\": client-certificate "
		    "%s: %s", us->file->path, us->name, kc->cert_file,
		    strerror(errno));
	}
	if (kc->key_file != NULL && access(kc->key_file, R_OK) == -1) {
		return kcfg_error(cause, "%s: user \"%s\": client-key %s: %s",
		    us->file->path, us->name, kc->key_file, strerror(errno));
	}
	if (kc->token_file != NULL && kcfg_token_read(kc, cause) != 0)
		return -1;
	return 0;
}

static int
kcfg_in_cluster(const char *context, const char *namespace,
    const char *tried, struct kubeconfig **out, char **cause)
{
	struct kubeconfig	*kc;
	const char		*host, *port, *dir, *ns;
	char			*path, *buf = NULL, *s, *e;
	size_t			 len;

	host = getenv("KUBERNETES_SERVICE_HOST");
	port = getenv("KUBERNETES_SERVICE_PORT");
	if (host == NULL || *host == '\0' || port == NULL || *port == '\0') {
		/* Not configured, which is not an error in itself. */
		kcfg_error(cause, "no kubeconfig found (tried %s) and "
		    "not running in a cluster (KUBERNETES_SERVICE_HOST and "
		    "KUBERNETES_SERVICE_PORT are not set); use --kubeconfig",
		    tried);
		return 1;
	}
	if (context != NULL) {
		return kcfg_error(cause, "context \"%s\" not found: no "
		    "kubeconfig found (tried %s), running in-cluster", context,
		    tried);
	}
	if ((dir = getenv("WARROOM_SA_DIR")) == NULL || *dir == '\0')
		dir = KCFG_SA_DIR;

	kc = xcalloc(1, sizeof *kc);
	kc->context = xstrdup("");
	kc->cluster = xstrdup("");
	kc->user = xstrdup("");
	kc->source = xstrdup(dir);
	kc->contexts = xcalloc(1, sizeof *kc->contexts);
	kc->current_context = xstrdup("");
	if (strchr(host, ':') != NULL && *host != '[')
		xasprintf(&kc->server, "https://[%s]:%s", host, port);
	else
		xasprintf(&kc->server, "https://%s:%s", host, port);
	xasprintf(&kc->token_file, "%s/token", dir);
	xasprintf(&kc->ca_file, "%s/ca.crt", dir);
	if (access(kc->ca_file, R_OK) == -1) {
		log_debug("in-cluster: %s: %s", kc->ca_file, strerror(errno));
		free(kc->ca_file);
		kc->ca_file = NULL;
	}

	if (namespace == NULL &&
	    ((ns = getenv("POD_NAMESPACE")) != NULL && *ns != '\0'))
		namespace = ns;
	if (namespace == NULL) {
		xasprintf(&path, "%s/namespace", dir);
		if ((buf = kcfg_read_file(path, 4096, &len)) != NULL) {
			s = kcfg_trim(buf, len, &e);
			if (*s != '\0')
				namespace = s;
		}
		free(path);
	}
	kc->namespace = xstrdup(namespace != NULL ? namespace : "default");
	free(buf);

	if (kcfg_token_read(kc, cause) != 0) {
		kubeconfig_free(kc);
		return -1;
	}
	log_debug("in-cluster: server %s, namespace %s", kc->server,
	    kc->namespace);
	*out = kc;
	return 0;
}

static int
kcfg_strcmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
kcfg_seen(char **v, size_t n, const char *s)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		if (strcmp(v[i], s) == 0)
			return 1;
	}
	return 0;
}

int
kubeconfig_load(const char *path, const char *context, const char *namespace,
    struct kubeconfig **out, char **cause)
{
	struct kcfg_merged	 m;
	struct kcfg_entry	*ce;
	struct kubeconfig	*kc = NULL;
	const char		*env, *name;
	char			**tried = NULL, **paths = NULL, *copy, *p, *s;
	char			*files = NULL, *list = NULL;
	size_t			 ntried = 0, npaths = 0, i;
	int			 rv = -1;

	*out = NULL;
	*cause = NULL;
	memset(&m, 0, sizeof m);
	if (path != NULL && *path == '\0')
		path = NULL;
	if (context != NULL && *context == '\0')
		context = NULL;
	if (namespace != NULL && *namespace == '\0')
		namespace = NULL;

	if (path != NULL) {
		if (kcfg_open(&m, path, 1, cause) != 1)
			goto out;
	} else {
		if ((env = getenv("KUBECONFIG")) != NULL && *env != '\0') {
			p = copy = xstrdup(env);
			while ((s = strsep(&p, ":")) != NULL) {
				if (*s == '\0' || kcfg_seen(tried, ntried, s))
					continue;
				kcfg_strv_add(&tried, &ntried, xstrdup(s));
				if (kcfg_open(&m, s, 0, cause) == -1) {
					free(copy);
					goto out;
				}
			}
			free(copy);
		}
		if (m.nfiles == 0 && (env = getenv("HOME")) != NULL &&
		    *env != '\0') {
			xasprintf(&s, "%s/.kube/config", env);
			if (!kcfg_seen(tried, ntried, s)) {
				kcfg_strv_add(&tried, &ntried, s);
				if (kcfg_open(&m, s, 0, cause) == -1)
					goto out;
			} else
				free(s);
		}
		if (m.nfiles == 0) {
			list = kcfg_join(tried, ntried, "no files");
			rv = kcfg_in_cluster(context, namespace, list, out,
			    cause);
			goto out;
		}
	}

	for (i = 0; i < m.nfiles; i++)
		kcfg_strv_add(&paths, &npaths, m.files[i]->path);
	files = kcfg_join(paths, npaths, "");
	free(paths);

	kc = xcalloc(1, sizeof *kc);
	kc->contexts = xcalloc(m.contexts.n + 1, sizeof *kc->contexts);
	for (i = 0; i < m.contexts.n; i++)
		kc->contexts[i] = xstrdup(m.contexts.v[i].name);
	qsort(kc->contexts, m.contexts.n, sizeof *kc->contexts, kcfg_strcmp);
	kc->current_context = xstrdup(m.current != NULL ? m.current : "");
	list = kcfg_join(kc->contexts, m.contexts.n, "none");

	name = context != NULL ? context : m.current;
	if (name == NULL) {
		if (m.contexts.n == 0) {
			kcfg_error(cause, "no current context is set in %s, "
			    "and it defines no contexts", files);
		} else {
			kcfg_error(cause, "no current context is set in %s "
			    "(use --context; contexts: %s)", files, list);
		}
		goto out;
	}
	if ((ce = kcfg_find(&m.contexts, name)) == NULL) {
		kcfg_error(cause, "context \"%s\" not found in %s "
		    "(contexts: %s)", name, files, list);
		goto out;
	}
	if (kcfg_build(kc, &m, ce, namespace, files, cause) != 0)
		goto out;
	log_debug("kubeconfig: context %s from %s, server %s, namespace %s",
	    kc->context, kc->source, kc->server, kc->namespace);
	*out = kc;
	kc = NULL;
	rv = 0;

out:
	kubeconfig_free(kc);
	kcfg_merged_free(&m);
	kcfg_strv_free(tried, 0);
	free(files);
	free(list);
	return rv;
}

void
kubeconfig_free(struct kubeconfig *kc)
{
	if (kc == NULL)
		return;
	kcfg_drop_credentials(kc);
	free(kc->context);
	free(kc->cluster);
	free(kc->user);
	free(kc->namespace);
	free(kc->server);
	free(kc->ca_file);
	free(kc->ca_pem);
	free(kc->tls_server_name);
	free(kc->proxy_url);
	free(kc->source);
	kcfg_strv_free(kc->contexts, 0);
	free(kc->current_context);
	free(kc);
}
