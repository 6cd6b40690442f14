/* kubeconfig.c: load kubeconfig files as kubectl does (KUBECONFIG merging,
 * first definition wins, relative paths, contexts, credentials, in-cluster)
 * and run exec credential plugins under a time limit. */
#include <sys/types.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <yaml.h>

#include "kubeconfig.h"
#include "warroom.h"

extern char **environ;

#define KCFG_MAX_FILE		(16 * 1024 * 1024)	/* one kubeconfig */
#define KCFG_MAX_TOKEN		(64 * 1024)		/* tokenFile */
#define KCFG_MAX_CA		(1024 * 1024)		/* CA file, for exec */
#define KCFG_MAX_EXEC_OUT	(1024 * 1024)		/* plugin stdout */
#define KCFG_MAX_EXEC_ERR	4096			/* plugin stderr kept */
#define KCFG_EXPIRY_SLACK	10	/* run the plugin this early, seconds */
#define KCFG_SA_DIR		"/var/run/secrets/kubernetes.io/serviceaccount"
#define KCFG_EXEC_V1		"client.authentication.k8s.io/v1"
#define KCFG_EXEC_V1BETA1	"client.authentication.k8s.io/v1beta1"

struct kcfg_file {
	char		*path;		/* as the user named it */
	char		*dir;		/* absolute, for relative paths */
	yaml_document_t	 doc;
	int		 loaded;	/* doc must be deleted */
};

struct kcfg_entry {
	const char	*name;
	yaml_node_t	*node;		/* cluster/user/context mapping */
	struct kcfg_file *file;		/* the file that defined it */
};

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

struct kcfg_buf {
	char		*data;
	size_t		 len;
	size_t		 size;
};

static int	kcfg_error(char **, const char *, ...) WARROOM_PRINTF(2, 3);

static void
kcfg_wipe(void *p, size_t n)
{
	if (p == NULL || n == 0)
		return;
#if defined(__OpenBSD__) || defined(__FreeBSD__) || \
    (defined(__GLIBC__) && (__GLIBC__ > 2 || __GLIBC_MINOR__ >= 25))
	explicit_bzero(p, n);
#else
	{
		volatile unsigned char	*vp = p;

		while (n-- > 0)
			*vp++ = 0;
	}
#endif
}

static void
kcfg_free_secret(char *s)
{
	if (s != NULL) {
		kcfg_wipe(s, strlen(s));
		free(s);
	}
}

static int
kcfg_error(char **cause, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	xvasprintf(cause, fmt, ap);
	va_end(ap);
	return -1;
}

/* Append to a buffer, wiping the old copy when it moves; -1 past cap. */
static int
kcfg_buf_add(struct kcfg_buf *b, const char *p, size_t n, size_t cap)
{
	char	*nd;
	size_t	 ns;

	if (n > cap || b->len > cap - n)
		return -1;
	if (b->len + n + 1 > b->size) {
		ns = b->size == 0 ? 4096 : b->size;
		while (ns < b->len + n + 1)
			ns *= 2;
		nd = xmalloc(ns);
		if (b->len != 0)
			memcpy(nd, b->data, b->len);
		kcfg_wipe(b->data, b->size);
		free(b->data);
		b->data = nd;
		b->size = ns;
	}
	memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

static void
kcfg_buf_free(struct kcfg_buf *b)
{
	kcfg_wipe(b->data, b->size);
	free(b->data);
	b->data = NULL;
	b->len = b->size = 0;
}

/*
 * Read a file of at most max bytes into a new NUL-terminated buffer (which
 * the caller wipes and frees). NULL with errno set on failure, EFBIG if the
 * file is too large.
 */
static char *
kcfg_read_file(const char *path, size_t max, size_t *lenp)
{
	struct kcfg_buf	 b = { NULL, 0, 0 };
	struct stat	 sb;
	char		 tmp[8192];
	ssize_t		 n;
	int		 fd, saved;

	if ((fd = open(path, O_RDONLY|O_CLOEXEC)) == -1)
		return NULL;
	if (fstat(fd, &sb) == -1)
		goto fail;
	if (S_ISDIR(sb.st_mode)) {
		errno = EISDIR;
		goto fail;
	}
	for (;;) {
		n = read(fd, tmp, sizeof tmp);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			goto fail;
		if (n == 0)
			break;
		if (kcfg_buf_add(&b, tmp, n, max) != 0) {
			errno = EFBIG;
			goto fail;
		}
	}
	close(fd);
	kcfg_wipe(tmp, sizeof tmp);
	if (b.data == NULL)
		b.data = xcalloc(1, 1);
	*lenp = b.len;
	return b.data;

fail:
	saved = errno;
	close(fd);
	kcfg_wipe(tmp, sizeof tmp);
	kcfg_buf_free(&b);
	errno = saved;
	return NULL;
}

static void
kcfg_strv_free(char **v, int secret)
{
	char	**p;

	if (v == NULL)
		return;
	for (p = v; *p != NULL; p++) {
		if (secret)
			kcfg_free_secret(*p);
		else
			free(*p);
	}
	free(v);
}

static void
kcfg_strv_add(char ***v, size_t *n, char *s)
{
	*v = xreallocarray(*v, *n + 2, sizeof **v);
	(*v)[(*n)++] = s;
	(*v)[*n] = NULL;
}

static char *
kcfg_join(char **v, size_t n, const char *none)
{
	struct kcfg_buf	 b = { NULL, 0, 0 };
	size_t		 i;

	if (n == 0)
		return xstrdup(none);
	for (i = 0; i < n; i++) {
		if (i != 0)
			kcfg_buf_add(&b, ", ", 2, SIZE_MAX / 2);
		kcfg_buf_add(&b, v[i], strlen(v[i]), SIZE_MAX / 2);
	}
	return b.data;
}

/* Base64 decoding and encoding. */

static int
kcfg_b64_value(int c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

char *
kubeconfig_base64_decode(const char *in, size_t *len)
{
	const unsigned char	*p;
	unsigned char		*out;
	uint32_t		 acc = 0;
	size_t			 n = 0, bits = 0, pad = 0, chars = 0;
	int			 v;

	if (in == NULL)
		return NULL;
	out = xmalloc(strlen(in) / 4 * 3 + 4);
	for (p = (const unsigned char *)in; *p != '\0'; p++) {
		if (isspace(*p))
			continue;
		if (*p == '=') {
			pad++;
			continue;
		}
		if (pad != 0 || (v = kcfg_b64_value(*p)) == -1)
			goto bad;
		chars++;
		acc = (acc << 6) | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[n++] = (acc >> bits) & 0xff;
		}
	}
	/* A lone character carries no byte; padding must fill the quad. */
	if (chars % 4 == 1 || pad > 2 || (pad != 0 && (chars + pad) % 4 != 0))
		goto bad;
	out[n] = '\0';
	if (len != NULL)
		*len = n;
	return (char *)out;

bad:
	kcfg_wipe(out, strlen(in) / 4 * 3 + 4);
	free(out);
	return NULL;
}

static char *
kcfg_base64_encode(const unsigned char *in, size_t len)
{
	static const char	 tab[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	char			*out, *o;
	uint32_t		 v;
	size_t			 i;

	o = out = xmalloc((len + 2) / 3 * 4 + 1);
	for (i = 0; i + 2 < len; i += 3) {
		v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 |
		    in[i + 2];
		*o++ = tab[v >> 18];
		*o++ = tab[(v >> 12) & 63];
		*o++ = tab[(v >> 6) & 63];
		*o++ = tab[v & 63];
	}
	if (i < len) {
		v = (uint32_t)in[i] << 16;
		if (i + 1 < len)
			v |= (uint32_t)in[i + 1] << 8;
		*o++ = tab[v >> 18];
		*o++ = tab[(v >> 12) & 63];
		*o++ = i + 1 < len ? tab[(v >> 6) & 63] : '=';
		*o++ = '=';
	}
	*o = '\0';
	return out;
}

/* YAML access. Scalars are NUL-terminated by libyaml. */

static size_t
kcfg_line(const yaml_node_t *n)
{
	return n->start_mark.line + 1;
}

static int
kcfg_null(const yaml_node_t *n)
{
	const char	*v;

	if (n == NULL)
		return 1;
	if (n->type != YAML_SCALAR_NODE ||
	    n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return 0;
	v = (const char *)n->data.scalar.value;
	return *v == '\0' || strcmp(v, "~") == 0 || strcmp(v, "null") == 0 ||
	    strcmp(v, "Null") == 0 || strcmp(v, "NULL") == 0;
}

static const char *
kcfg_type(const yaml_node_t *n)
{
	switch (n->type) {
	case YAML_MAPPING_NODE:
		return "a mapping";
	case YAML_SEQUENCE_NODE:
		return "a list";
	default:
		return "a scalar";
	}
}

static yaml_node_t *
kcfg_get(yaml_document_t *doc, yaml_node_t *map, const char *key)
{
	yaml_node_pair_t	*p;
	yaml_node_t		*k;

	if (map == NULL || map->type != YAML_MAPPING_NODE)
		return NULL;
	for (p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
	    p++) {
		k = yaml_document_get_node(doc, p->key);
		if (k != NULL && k->type == YAML_SCALAR_NODE &&
		    strcmp((const char *)k->data.scalar.value, key) == 0)
			return yaml_document_get_node(doc, p->value);
	}
	return NULL;
}

/* A string field of an entry's mapping: NULL if absent, null or empty. */
static int
kcfg_str(struct kcfg_entry *e, const char *kind, yaml_node_t *map,
    const char *key, const char **out, char **cause)
{
	yaml_node_t	*v;
	const char	*s;

	*out = NULL;
	v = kcfg_get(&e->file->doc, map, key);
	if (kcfg_null(v))
		return 0;
	if (v->type != YAML_SCALAR_NODE) {
		return kcfg_error(cause, "%s: line %zu: %s \"%s\": %s must be "
		    "a string, not %s", e->file->path, kcfg_line(v), kind,
		    e->name, key, kcfg_type(v));
	}
	s = (const char *)v->data.scalar.value;
	if (strlen(s) != v->data.scalar.length) {
		return kcfg_error(cause, "%s: line %zu: %s \"%s\": %s contains "
		    "a NUL byte", e->file->path, kcfg_line(v), kind, e->name,
		    key);
	}
	if (*s != '\0')
		*out = s;
	return 0;
}

static int
kcfg_bool(struct kcfg_entry *e, const char *kind, yaml_node_t *map,
    const char *key, int *out, char **cause)
{
	static const char	*yes[] = { "true", "yes", "on" };
	static const char	*no[] = { "false", "no", "off" };
	yaml_node_t		*v;
	const char		*s;
	size_t			 i;

	*out = 0;
	v = kcfg_get(&e->file->doc, map, key);
	if (kcfg_null(v))
		return 0;
	if (v->type == YAML_SCALAR_NODE &&
	    v->data.scalar.style == YAML_PLAIN_SCALAR_STYLE) {
		s = (const char *)v->data.scalar.value;
		for (i = 0; i < nitems(yes); i++) {
			if (strcasecmp(s, yes[i]) == 0) {
				*out = 1;
				return 0;
			}
			if (strcasecmp(s, no[i]) == 0)
				return 0;
		}
	}
	return kcfg_error(cause, "%s: line %zu: %s \"%s\": %s must be true or "
	    "false", e->file->path, kcfg_line(v), kind, e->name, key);
}

static char *
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
kcfg_file_free(struct kcfg_file *f)
{
	yaml_node_t	*n;

	if (f->loaded) {
		/* Scalars hold tokens and keys: wipe before libyaml frees. */
		for (n = f->doc.nodes.start; n < f->doc.nodes.top; n++) {
			if (n->type == YAML_SCALAR_NODE) {
				kcfg_wipe(n->data.scalar.value,
				    n->data.scalar.length);
			}
		}
		yaml_document_delete(&f->doc);
	}
	free(f->path);
	free(f->dir);
	free(f);
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

static int
kcfg_parse(struct kcfg_file *f, const char *buf, size_t len, char **cause)
{
	yaml_parser_t	 p;
	const char	*problem;
	int		 rv = 0;

	if (!yaml_parser_initialize(&p))
		fatal("out of memory (yaml_parser_initialize)");
	yaml_parser_set_input_string(&p, (const unsigned char *)buf, len);
	if (yaml_parser_load(&p, &f->doc))
		f->loaded = 1;
	else {
		problem = p.problem != NULL ? p.problem : "syntax error";
		if (p.error == YAML_MEMORY_ERROR)
			fatal("out of memory (yaml_parser_load)");
		else if (p.error == YAML_READER_ERROR) {
			rv = kcfg_error(cause, "%s: byte %zu: %s", f->path,
			    p.problem_offset, problem);
		} else if (p.context != NULL) {
			rv = kcfg_error(cause, "%s: line %zu: %s (%s at line "
			    "%zu)", f->path, p.problem_mark.line + 1, problem,
			    p.context, p.context_mark.line + 1);
		} else {
			rv = kcfg_error(cause, "%s: line %zu: %s", f->path,
			    p.problem_mark.line + 1, problem);
		}
	}
	if (p.buffer.start != NULL)
		kcfg_wipe(p.buffer.start, p.buffer.end - p.buffer.start);
	if (p.raw_buffer.start != NULL) {
		kcfg_wipe(p.raw_buffer.start,
		    p.raw_buffer.end - p.raw_buffer.start);
	}
	yaml_parser_delete(&p);
	return rv;
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

static int
kcfg_token_ok(const char *s)
{
	for (; *s != '\0'; s++) {
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 0;
	}
	return 1;
}

static void
kcfg_exec_free(struct kube_exec *x)
{
	if (x == NULL)
		return;
	free(x->api_version);
	free(x->command);
	kcfg_strv_free(x->args, 1);
	kcfg_strv_free(x->env, 1);
	free(x->interactive_mode);
	free(x->install_hint);
	free(x);
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

/* Read token_file into token (trimmed); the token never enters an error. */
static int
kcfg_token_read(struct kubeconfig *kc, char **cause)
{
	char	*buf, *s, *e;
	size_t	 len;
	int	 ok;

	if ((buf = kcfg_read_file(kc->token_file, KCFG_MAX_TOKEN, &len)) ==
	    NULL) {
		if (errno == EFBIG) {
			return kcfg_error(cause, "tokenFile %s is larger than "
			    "%d KiB", kc->token_file, KCFG_MAX_TOKEN / 1024);
		}
		return kcfg_error(cause, "tokenFile %s: %s", kc->token_file,
		    strerror(errno));
	}
	s = buf;
	e = buf + len;
	while (s < e && isspace((unsigned char)*s))
		s++;
	while (e > s && isspace((unsigned char)e[-1]))
		e--;
	*e = '\0';
	ok = s != e && (size_t)(e - s) == strlen(s) && kcfg_token_ok(s);
	if (ok) {
		kcfg_free_secret(kc->token);
		kc->token = xstrndup(s, e - s);
	}
	kcfg_wipe(buf, len);
	free(buf);
	if (s == e)
		return kcfg_error(cause, "tokenFile %s is empty",
		    kc->token_file);
	if (!ok) {
		return kcfg_error(cause, "tokenFile %s: the token contains "
		    "control characters", kc->token_file);
	}
	return 0;
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

static int
kcfg_exec_conf(struct kubeconfig *kc, struct kcfg_entry *e, yaml_node_t *ex,
    char **cause)
{
	struct kcfg_file	*f = e->file;
	struct kcfg_entry	 item;
	struct kube_exec	*x;
	yaml_node_item_t	*it;
	yaml_node_t		*list, *v;
	const char		*api, *cmd, *mode, *hint, *name, *value;
	size_t			 nargs = 0, nenv = 0;
	char			*s;

	if (ex->type != YAML_MAPPING_NODE) {
		return kcfg_error(cause, "%s: line %zu: user \"%s\": exec must "
		    "be a mapping, not %s", f->path, kcfg_line(ex), e->name,
		    kcfg_type(ex));
	}
	if (kcfg_str(e, "user", ex, "apiVersion", &api, cause) != 0 ||
	    kcfg_str(e, "user", ex, "command", &cmd, cause) != 0 ||
	    kcfg_str(e, "user", ex, "interactiveMode", &mode, cause) != 0 ||
	    kcfg_str(e, "user", ex, "installHint", &hint, cause) != 0)
		return -1;
	if (api == NULL) {
		return kcfg_error(cause, "%s: user \"%s\": exec: apiVersion is "
		    "required (%s)", f->path, e->name, KCFG_EXEC_V1);
	}
	if (strcmp(api, KCFG_EXEC_V1) != 0 &&
	    strcmp(api, KCFG_EXEC_V1BETA1) != 0) {
		return kcfg_error(cause, "%s: user \"%s\": exec: apiVersion "
		    "\"%s\" is not supported (use %s or %s)", f->path, e->name,
		    api, KCFG_EXEC_V1, KCFG_EXEC_V1BETA1);
	}
	if (cmd == NULL) {
		return kcfg_error(cause, "%s: user \"%s\": exec: command is "
		    "required", f->path, e->name);
	}
	if (mode != NULL && strcmp(mode, "Never") != 0 &&
	    strcmp(mode, "IfAvailable") != 0 && strcmp(mode, "Always") != 0) {
		return kcfg_error(cause, "%s: user \"%s\": exec: "
		    "interactiveMode \"%s\" is not Never, IfAvailable or "
		    "Always", f->path, e->name, mode);
	}

	x = kc->exec = xcalloc(1, sizeof *x);
	x->api_version = xstrdup(api);
	x->command = strchr(cmd, '/') != NULL ? kcfg_resolve(f, cmd) :
	    xstrdup(cmd);
	x->interactive_mode = xstrdup(mode != NULL ? mode : "IfAvailable");
	if (hint != NULL)
		x->install_hint = xstrdup(hint);
	x->args = xcalloc(1, sizeof *x->args);
	x->env = xcalloc(1, sizeof *x->env);
	if (kcfg_bool(e, "user", ex, "provideClusterInfo",
	    &x->provide_cluster_info, cause) != 0)
		return -1;

	list = kcfg_get(&f->doc, ex, "args");
	if (!kcfg_null(list) && list->type != YAML_SEQUENCE_NODE) {
		return kcfg_error(cause, "%s: line %zu: user \"%s\": exec args "
		    "must be a list, not %s", f->path, kcfg_line(list), e->name,
		    kcfg_type(list));
	}
	for (it = kcfg_null(list) ? NULL : list->data.sequence.items.start;
	    it != NULL && it < list->data.sequence.items.top; it++) {
		v = yaml_document_get_node(&f->doc, *it);
		if (v == NULL || v->type != YAML_SCALAR_NODE) {
			return kcfg_error(cause, "%s: line %zu: user \"%s\": "
			    "exec args must be strings", f->path,
			    kcfg_line(v != NULL ? v : list), e->name);
		}
		kcfg_strv_add(&x->args, &nargs,
		    xstrdup((const char *)v->data.scalar.value));
	}

	list = kcfg_get(&f->doc, ex, "env");
	if (!kcfg_null(list) && list->type != YAML_SEQUENCE_NODE) {
		return kcfg_error(cause, "%s: line %zu: user \"%s\": exec env "
		    "must be a list of {name, value}, not %s", f->path,
		    kcfg_line(list), e->name, kcfg_type(list));
	}
	item = *e;
	for (it = kcfg_null(list) ? NULL : list->data.sequence.items.start;
	    it != NULL && it < list->data.sequence.items.top; it++) {
		v = yaml_document_get_node(&f->doc, *it);
		if (v == NULL || v->type != YAML_MAPPING_NODE) {
			return kcfg_error(cause, "%s: line %zu: user \"%s\": "
			    "exec env entries must be {name, value} mappings",
			    f->path, kcfg_line(v != NULL ? v : list), e->name);
		}
		if (kcfg_str(&item, "user", v, "name", &name, cause) != 0 ||
		    kcfg_str(&item, "user", v, "value", &value, cause) != 0)
			return -1;
		if (name == NULL || strchr(name, '=') != NULL) {
			return kcfg_error(cause, "%s: line %zu: user \"%s\": "
			    "exec env entry needs a name without '='", f->path,
			    kcfg_line(v), e->name);
		}
		xasprintf(&s, "%s=%s", name, value != NULL ? value : "");
		kcfg_strv_add(&x->env, &nenv, s);
	}
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
		return kcfg_error(cause, "no kubeconfig found (tried %s) and "
		    "not running in a cluster (KUBERNETES_SERVICE_HOST and "
		    "KUBERNETES_SERVICE_PORT are not set); use --kubeconfig",
		    tried);
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
			s = buf;
			e = buf + len;
			while (s < e && isspace((unsigned char)*s))
				s++;
			while (e > s && isspace((unsigned char)e[-1]))
				e--;
			*e = '\0';
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

/* Exec credential plugins. */

static int
kcfg_digits(const char **pp, int n, int *out)
{
	const char	*p = *pp;
	int		 v = 0;

	while (n-- > 0) {
		if (!isdigit((unsigned char)*p))
			return -1;
		v = v * 10 + (*p++ - '0');
	}
	*pp = p;
	*out = v;
	return 0;
}

/* RFC 3339 (2024-05-01T10:00:00.5Z, or +02:00) to seconds since the epoch. */
static int
kcfg_rfc3339(const char *s, double *out)
{
	static const int	 width[] = { 4, 2, 2, 2, 2, 2 };
	static const char	 sep[] = "--T::";
	struct tm		 tm;
	const char		*p = s;
	double			 frac = 0, scale = 0.1;
	int			 v[6] = { 0 }, i, oh, om, off = 0;
	time_t			 t;

	for (i = 0; i < 6; i++) {
		if (kcfg_digits(&p, width[i], &v[i]) != 0)
			return -1;
		if (i == 5)
			break;
		if (i == 2 ? (*p != 'T' && *p != 't' && *p != ' ') :
		    *p != sep[i])
			return -1;
		p++;
	}
	if (*p == '.') {
		if (!isdigit((unsigned char)*++p))
			return -1;
		for (; isdigit((unsigned char)*p); p++, scale /= 10)
			frac += (*p - '0') * scale;
	}
	if (*p == 'Z' || *p == 'z')
		p++;
	else if (*p == '+' || *p == '-') {
		i = *p++ == '-' ? -1 : 1;
		if (kcfg_digits(&p, 2, &oh) != 0 || *p++ != ':' ||
		    kcfg_digits(&p, 2, &om) != 0 || oh > 23 || om > 59)
			return -1;
		off = i * (oh * 3600 + om * 60);
	} else
		return -1;
	if (*p != '\0' || v[1] < 1 || v[1] > 12 || v[2] < 1 || v[2] > 31 ||
	    v[3] > 23 || v[4] > 59 || v[5] > 60)
		return -1;
	memset(&tm, 0, sizeof tm);
	tm.tm_year = v[0] - 1900;
	tm.tm_mon = v[1] - 1;
	tm.tm_mday = v[2];
	tm.tm_hour = v[3];
	tm.tm_min = v[4];
	tm.tm_sec = v[5];
	if ((t = timegm(&tm)) == (time_t)-1)
		return -1;
	*out = (double)t - off + frac;
	return 0;
}

static void
kcfg_json_set(json_t *o, const char *key, const char *value)
{
	json_t	*j;

	if (value != NULL && (j = json_string(value)) != NULL)
		json_object_set_new(o, key, j);
}

static const char *
kcfg_json_get(json_t *o, const char *key)
{
	const char	*s;

	s = json_string_value(json_object_get(o, key));
	return s != NULL && *s != '\0' ? s : NULL;
}

static void
kcfg_json_wipe(json_t *o, const char *key)
{
	json_t	*j;

	if ((j = json_object_get(o, key)) != NULL && json_is_string(j))
		kcfg_wipe((char *)json_string_value(j), json_string_length(j));
}

/* The KUBERNETES_EXEC_INFO value: an ExecCredential with spec only. */
static char *
kcfg_exec_info(struct kubeconfig *kc)
{
	json_t	*root, *spec, *cl;
	char	*s, *r, *ca, *b64 = NULL;
	size_t	 len;

	spec = json_object();
	json_object_set_new(spec, "interactive", json_false());
	if (kc->exec->provide_cluster_info) {
		cl = json_object();
		kcfg_json_set(cl, "server", kc->server);
		kcfg_json_set(cl, "tls-server-name", kc->tls_server_name);
		if (kc->insecure) {
			json_object_set_new(cl, "insecure-skip-tls-verify",
			    json_true());
		}
		if (kc->ca_pem != NULL) {
			b64 = kcfg_base64_encode((unsigned char *)kc->ca_pem,
			    kc->ca_pem_len);
		} else if (kc->ca_file != NULL && (ca = kcfg_read_file(
		    kc->ca_file, KCFG_MAX_CA, &len)) != NULL) {
			b64 = kcfg_base64_encode((unsigned char *)ca, len);
			free(ca);
		}
		kcfg_json_set(cl, "certificate-authority-data", b64);
		free(b64);
		kcfg_json_set(cl, "proxy-url", kc->proxy_url);
		json_object_set_new(spec, "cluster", cl);
	}
	root = json_object();
	kcfg_json_set(root, "kind", "ExecCredential");
	kcfg_json_set(root, "apiVersion", kc->exec->api_version);
	json_object_set_new(root, "spec", spec);
	if ((s = json_dumps(root, JSON_COMPACT)) == NULL)
		fatal("out of memory (json_dumps)");
	json_decref(root);
	r = xstrdup(s);
	free(s);
	return r;
}

/* Look the command up in the parent's PATH, as Go's exec.Command does. */
static char *
kcfg_exec_lookup(const char *cmd)
{
	struct stat	 sb;
	const char	*path, *p, *end;
	char		*try;

	if (strchr(cmd, '/') != NULL)
		return xstrdup(cmd);
	if ((path = getenv("PATH")) == NULL || *path == '\0')
		path = "/usr/local/bin:/usr/bin:/bin";
	for (p = path;; p = end + 1) {
		if ((end = strchr(p, ':')) == NULL)
			end = p + strlen(p);
		if (end == p)
			xasprintf(&try, "./%s", cmd);
		else
			xasprintf(&try, "%.*s/%s", (int)(end - p), p, cmd);
		if (stat(try, &sb) == 0 && S_ISREG(sb.st_mode) &&
		    access(try, X_OK) == 0)
			return try;
		free(try);
		if (*end == '\0')
			return NULL;
	}
}

static int
kcfg_env_same(const char *a, const char *b)
{
	size_t	 la = strcspn(a, "="), lb = strcspn(b, "=");

	return la == lb && strncmp(a, b, la) == 0;
}

/* Parent environment + exec env (last wins) + info. Strings are borrowed. */
static char **
kcfg_exec_envp(struct kube_exec *x, char *info)
{
	char	**envp, **e;
	size_t	 n = 2, i = 0, j, k;

	for (e = environ; e != NULL && *e != NULL; e++)
		n++;
	for (e = x->env; *e != NULL; e++)
		n++;
	envp = xreallocarray(NULL, n, sizeof *envp);
	for (e = environ; e != NULL && *e != NULL; e++) {
		if (kcfg_env_same(*e, info))
			continue;
		for (j = 0; x->env[j] != NULL; j++) {
			if (kcfg_env_same(*e, x->env[j]))
				break;
		}
		if (x->env[j] == NULL)
			envp[i++] = *e;
	}
	for (j = 0; x->env[j] != NULL; j++) {
		for (k = j + 1; x->env[k] != NULL; k++) {
			if (kcfg_env_same(x->env[j], x->env[k]))
				break;
		}
		if (x->env[k] == NULL && !kcfg_env_same(x->env[j], info))
			envp[i++] = x->env[j];
	}
	envp[i++] = info;
	envp[i] = NULL;
	return envp;
}

/* Keep fds 0-2 free so the child's dup2 calls cannot collide. */
static int
kcfg_fd_high(int fd)
{
	int	 nfd;

	if (fd < 0 || fd > 2)
		return fd;
	nfd = fcntl(fd, F_DUPFD_CLOEXEC, 3);
	close(fd);
	return nfd;
}

static int
kcfg_pipe(int p[2])
{
	if (pipe2(p, O_CLOEXEC) == -1)
		return -1;
	p[0] = kcfg_fd_high(p[0]);
	p[1] = kcfg_fd_high(p[1]);
	if (p[0] == -1 || p[1] == -1)
		return -1;
	return 0;
}

static void
kcfg_close(int *fd)
{
	if (*fd != -1)
		close(*fd);
	*fd = -1;
}

/* In the child: only async-signal-safe calls until execve. */
static void
kcfg_exec_child(const char *path, char **argv, char **envp,
    const struct sigaction *dfl, const int *fds, int st)
{
	static const int	 sigs[] = { SIGPIPE, SIGINT, SIGQUIT, SIGTERM,
	    SIGHUP, SIGCHLD, SIGTSTP, SIGTTIN, SIGTTOU, SIGWINCH, SIGALRM,
	    SIGUSR1, SIGUSR2 };
	sigset_t		 set;
	size_t			 i;
	ssize_t			 n;
	int			 e;

	setpgid(0, 0);
	for (i = 0; i < nitems(sigs); i++)
		sigaction(sigs[i], dfl, NULL);
	sigemptyset(&set);
	sigprocmask(SIG_SETMASK, &set, NULL);
	if (dup2(fds[0], 0) != -1 && dup2(fds[1], 1) != -1 &&
	    dup2(fds[2], 2) != -1)
		execve(path, argv, envp);
	e = errno;
	n = write(st, &e, sizeof e);
	(void)n;
	_exit(127);
}

static const char *
kcfg_oneline(struct kcfg_buf *b)
{
	char	*s, *e;

	if (b->data == NULL)
		return "";
	for (s = b->data; *s != '\0'; s++) {
		if (*s == '\n' || *s == '\r' || *s == '\t')
			*s = ' ';
	}
	for (s = b->data; *s == ' '; s++)
		;
	for (e = s + strlen(s); e > s && e[-1] == ' '; e--)
		e[-1] = '\0';
	return s;
}

static int
kcfg_exec_parse(struct kubeconfig *kc, const char *buf, size_t len,
    char **cause)
{
	struct kube_exec	*x = kc->exec;
	const char		*cmd = x->command, *kind, *api, *token, *cert;
	const char		*key, *exp;
	json_t			*root, *st = NULL;
	json_error_t		 jerr;
	double			 expiry = 0;
	size_t			 i;
	int			 rv = -1;

	for (i = 0; i < len && isspace((unsigned char)buf[i]); i++)
		;
	if (i == len) {
		return kcfg_error(cause, "exec plugin \"%s\" printed nothing",
		    cmd);
	}
	/* jansson's error text quotes the input, which may be a token. */
	if ((root = json_loadb(buf, len, 0, &jerr)) == NULL) {
		return kcfg_error(cause, "exec plugin \"%s\" printed invalid "
		    "JSON (line %d, column %d)", cmd, jerr.line, jerr.column);
	}
	if (!json_is_object(root)) {
		kcfg_error(cause, "exec plugin \"%s\" printed JSON that is not "
		    "an ExecCredential", cmd);
		goto out;
	}
	kind = kcfg_json_get(root, "kind");
	api = kcfg_json_get(root, "apiVersion");
	st = json_object_get(root, "status");
	if (kind == NULL || strcmp(kind, "ExecCredential") != 0) {
		kcfg_error(cause, "exec plugin \"%s\" printed %s%s%s, not an "
		    "ExecCredential", cmd, kind != NULL ? "a \"" : "an object "
		    "without kind", kind != NULL ? kind : "",
		    kind != NULL ? "\"" : "");
		goto out;
	}
	if (api == NULL || strcmp(api, x->api_version) != 0) {
		kcfg_error(cause, "exec plugin \"%s\" is configured to use API "
		    "version %s, plugin returned version %s", cmd,
		    x->api_version, api != NULL ? api : "(none)");
		goto out;
	}
	if (!json_is_object(st)) {
		kcfg_error(cause, "exec plugin \"%s\" returned no status", cmd);
		goto out;
	}
	token = kcfg_json_get(st, "token");
	cert = kcfg_json_get(st, "clientCertificateData");
	key = kcfg_json_get(st, "clientKeyData");
	exp = kcfg_json_get(st, "expirationTimestamp");
	if ((cert == NULL) != (key == NULL)) {
		kcfg_error(cause, "exec plugin \"%s\": clientKeyData and "
		    "clientCertificateData must both be specified", cmd);
		goto out;
	}
	if (token == NULL && cert == NULL) {
		kcfg_error(cause, "exec plugin \"%s\" returned neither a token "
		    "nor a client certificate and key", cmd);
		goto out;
	}
	if (token != NULL && !kcfg_token_ok(token)) {
		kcfg_error(cause, "exec plugin \"%s\" returned a token with "
		    "control characters", cmd);
		goto out;
	}
	if (exp != NULL && kcfg_rfc3339(exp, &expiry) != 0) {
		kcfg_error(cause, "exec plugin \"%s\" returned an invalid "
		    "expirationTimestamp \"%s\"", cmd, exp);
		goto out;
	}

	if (token != NULL) {
		kcfg_free_secret(kc->token);
		kc->token = xstrdup(token);
	}
	if (cert != NULL) {
		free(kc->cert_file);
		kc->cert_file = NULL;
		free(kc->cert_pem);
		kc->cert_pem = xstrdup(cert);
		kc->cert_pem_len = strlen(cert);
		free(kc->key_file);
		kc->key_file = NULL;
		kcfg_wipe(kc->key_pem, kc->key_pem_len);
		free(kc->key_pem);
		kc->key_pem = xstrdup(key);
		kc->key_pem_len = strlen(key);
	}
	kc->exec_expiry = expiry;
	log_debug("exec plugin %s: %s%s, expires %.0f", cmd,
	    token != NULL ? "token" : "", cert != NULL ? " client cert" : "",
	    expiry);
	rv = 0;

out:
	if (json_is_object(st)) {
		kcfg_json_wipe(st, "token");
		kcfg_json_wipe(st, "clientKeyData");
	}
	json_decref(root);
	return rv;
}

static int
kcfg_exec_run(struct kubeconfig *kc, int timeout_s, char **cause)
{
	struct kube_exec	*x = kc->exec;
	struct kcfg_buf		 out = { NULL, 0, 0 }, err = { NULL, 0, 0 };
	struct pollfd		 pfd[2];
	struct sigaction	 dfl;
	struct timespec		 ts = { 0, 5 * 1000 * 1000 };
	const char		*hint = "", *sep = "", *msg;
	char			*path, *info, *info_env, **argv, **envp;
	char			 tmp[8192];
	int			 outp[2] = { -1, -1 }, errp[2] = { -1, -1 };
	int			 stp[2] = { -1, -1 }, fds[3], null = -1;
	int			 status = 0, e, rv = -1, reaped = 0, i;
	double			 deadline, left;
	size_t			 n;
	ssize_t			 r;
	pid_t			 pid = -1, w;

	if (timeout_s <= 0)
		timeout_s = 30;
	if (x->install_hint != NULL) {
		sep = ". ";
		hint = x->install_hint;
	}
	if (strcmp(x->interactive_mode, "Always") == 0) {
		return kcfg_error(cause, "exec plugin \"%s\" needs a terminal "
		    "(interactiveMode: Always), which warroom cannot give it; "
		    "run it once in a shell or set interactiveMode: "
		    "IfAvailable", x->command);
	}
	if ((path = kcfg_exec_lookup(x->command)) == NULL) {
		return kcfg_error(cause, "exec plugin \"%s\" was not found in "
		    "PATH%s%s", x->command, sep, hint);
	}
	info = kcfg_exec_info(kc);
	xasprintf(&info_env, "KUBERNETES_EXEC_INFO=%s", info);
	for (n = 0; x->args[n] != NULL; n++)
		;
	argv = xreallocarray(NULL, n + 2, sizeof *argv);
	argv[0] = x->command;
	memcpy(argv + 1, x->args, (n + 1) * sizeof *argv);
	envp = kcfg_exec_envp(x, info_env);
	memset(&dfl, 0, sizeof dfl);
	dfl.sa_handler = SIG_DFL;
	sigemptyset(&dfl.sa_mask);

	deadline = now_mono() + timeout_s;
	null = kcfg_fd_high(open("/dev/null", O_RDONLY|O_CLOEXEC));
	if (null == -1 ||
	    kcfg_pipe(outp) != 0 || kcfg_pipe(errp) != 0 ||
	    kcfg_pipe(stp) != 0 || (pid = fork()) == -1) {
		kcfg_error(cause, "exec plugin \"%s\": %s", x->command,
		    strerror(errno));
		goto out;
	}
	if (pid == 0) {
		fds[0] = null;
		fds[1] = outp[1];
		fds[2] = errp[1];
		kcfg_exec_child(path, argv, envp, &dfl, fds, stp[1]);
	}
	setpgid(pid, pid);
	kcfg_close(&null);
	kcfg_close(&outp[1]);
	kcfg_close(&errp[1]);
	kcfg_close(&stp[1]);

	/* The status pipe closes on a successful execve, or carries errno. */
	do
		r = read(stp[0], &e, sizeof e);
	while (r == -1 && errno == EINTR);
	if (r == (ssize_t)sizeof e) {
		kcfg_error(cause, "exec plugin \"%s\" could not be started: "
		    "%s%s%s", x->command, strerror(e), sep, hint);
		goto out;
	}

	fcntl(outp[0], F_SETFL, fcntl(outp[0], F_GETFL) | O_NONBLOCK);
	fcntl(errp[0], F_SETFL, fcntl(errp[0], F_GETFL) | O_NONBLOCK);
	pfd[0].fd = outp[0];
	pfd[1].fd = errp[0];
	pfd[0].events = pfd[1].events = POLLIN;
	while (pfd[0].fd != -1 || pfd[1].fd != -1) {
		if ((left = deadline - now_mono()) <= 0)
			goto timeout;
		if (poll(pfd, 2, (int)(left * 1000) + 1) == -1) {
			if (errno == EINTR)
				continue;
			kcfg_error(cause, "exec plugin \"%s\": poll: %s",
			    x->command, strerror(errno));
			goto out;
		}
		for (i = 0; i < 2; i++) {
			if (pfd[i].fd == -1 || pfd[i].revents == 0)
				continue;
			r = read(pfd[i].fd, tmp, sizeof tmp);
			if (r == -1 && (errno == EINTR || errno == EAGAIN))
				continue;
			if (r <= 0) {
				pfd[i].fd = -1;
				continue;
			}
			if (i == 1) {
				n = KCFG_MAX_EXEC_ERR - err.len;
				if ((size_t)r < n)
					n = r;
				kcfg_buf_add(&err, tmp, n, KCFG_MAX_EXEC_ERR);
			} else if (kcfg_buf_add(&out, tmp, r,
			    KCFG_MAX_EXEC_OUT) != 0) {
				kcfg_error(cause, "exec plugin \"%s\" printed "
				    "more than %d MiB", x->command,
				    KCFG_MAX_EXEC_OUT >> 20);
				goto out;
			}
		}
	}
	for (;;) {
		w = waitpid(pid, &status, WNOHANG);
		if (w == pid)
			break;
		if (w == -1 && errno == EINTR)
			continue;
		if (w == -1) {
			/* Reaped elsewhere (SIGCHLD ignored): trust output. */
			log_debug("exec plugin %s: waitpid: %s", x->command,
			    strerror(errno));
			status = 0;
			break;
		}
		if (now_mono() >= deadline)
			goto timeout;
		nanosleep(&ts, NULL);
	}
	reaped = 1;
	msg = kcfg_oneline(&err);
	if (WIFSIGNALED(status)) {
		kcfg_error(cause, "exec plugin \"%s\" was killed by signal "
		    "%d%s%s", x->command, WTERMSIG(status), *msg ? ": " : "",
		    msg);
		goto out;
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) != 0) {
		kcfg_error(cause, "exec plugin \"%s\" failed with exit code "
		    "%d%s%s", x->command, WEXITSTATUS(status), *msg ? ": " : "",
		    msg);
		goto out;
	}
	rv = kcfg_exec_parse(kc, out.data != NULL ? out.data : "", out.len,
	    cause);
	goto out;

timeout:
	msg = kcfg_oneline(&err);
	kcfg_error(cause, "exec plugin \"%s\" did not finish within %d s%s%s",
	    x->command, timeout_s, *msg ? ": " : "", msg);
out:
	if (pid > 0 && !reaped) {
		kill(-pid, SIGKILL);
		kill(pid, SIGKILL);
		while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
			;
	}
	kcfg_close(&null);
	kcfg_close(&outp[0]);
	kcfg_close(&outp[1]);
	kcfg_close(&errp[0]);
	kcfg_close(&errp[1]);
	kcfg_close(&stp[0]);
	kcfg_close(&stp[1]);
	kcfg_wipe(tmp, sizeof tmp);
	kcfg_buf_free(&out);
	kcfg_buf_free(&err);
	free(path);
	free(info);
	free(info_env);
	free(argv);
	free(envp);
	return rv;
}

int
kubeconfig_refresh(struct kubeconfig *kc, int force, int timeout_s,
    char **cause)
{
	*cause = NULL;
	if (kc->exec != NULL) {
		if (force || (kc->token == NULL && kc->key_pem == NULL) ||
		    (kc->exec_expiry != 0 &&
		    (double)now_wall() + KCFG_EXPIRY_SLACK >= kc->exec_expiry))
			return kcfg_exec_run(kc, timeout_s, cause);
		return 0;
	}
	if (kc->token_file != NULL)
		return kcfg_token_read(kc, cause);
	return 0;
}
