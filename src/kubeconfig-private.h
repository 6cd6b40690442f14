/* kubeconfig-private.h: what the kubeconfig files share: a parsed file and
 * its entries, buffers that wipe secrets, the YAML accessors and the exec
 * stanza. Nothing outside src/kubeconfig*.c includes it. */
#ifndef WARROOM_KUBECONFIG_PRIVATE_H
#define WARROOM_KUBECONFIG_PRIVATE_H

#include <stddef.h>

#include <yaml.h>

#include "kubeconfig.h"
#include "warroom.h"

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

struct kcfg_buf {
	char		*data;
	size_t		 len;
	size_t		 size;
};

/* kubeconfig.c */
int	 kcfg_error(char **, const char *, ...) WARROOM_PRINTF(2, 3);
char	*kcfg_resolve(struct kcfg_file *, const char *);
int	 kcfg_token_ok(const char *);

/* kubeconfig-buf.c */
void	 kcfg_wipe(void *, size_t);
void	 kcfg_free_secret(char *);
/* Append to a buffer, wiping the old copy when it moves; -1 past cap. */
int	 kcfg_buf_add(struct kcfg_buf *, const char *, size_t, size_t cap);
void	 kcfg_buf_free(struct kcfg_buf *);
/* A file of at most max bytes, new and NUL-terminated (the caller wipes and
 * frees it); NULL and errno on failure, EFBIG if too large. */
char	*kcfg_read_file(const char *path, size_t max, size_t *lenp);
/* Trim white space around buf[0..len) in place; returns the start and
 * sets *end to the new end (where a NUL now stands). */
char	*kcfg_trim(char *buf, size_t len, char **end);
void	 kcfg_strv_free(char **, int secret);
void	 kcfg_strv_add(char ***, size_t *, char *);
char	*kcfg_join(char **, size_t, const char *none);
char	*kcfg_base64_encode(const unsigned char *, size_t);

/* kubeconfig-yaml.c */
size_t	 kcfg_line(const yaml_node_t *);
int	 kcfg_null(const yaml_node_t *);
const char *kcfg_type(const yaml_node_t *);
yaml_node_t *kcfg_get(yaml_document_t *, yaml_node_t *, const char *);
/* A string field of an entry's mapping: NULL if absent, null or empty. */
int	 kcfg_str(struct kcfg_entry *, const char *kind, yaml_node_t *,
	    const char *key, const char **, char **cause);
int	 kcfg_bool(struct kcfg_entry *, const char *kind, yaml_node_t *,
	    const char *key, int *, char **cause);
void	 kcfg_file_free(struct kcfg_file *);
int	 kcfg_parse(struct kcfg_file *, const char *, size_t, char **cause);

/* kubeconfig-exec.c */
int	 kcfg_exec_conf(struct kubeconfig *, struct kcfg_entry *,
	    yaml_node_t *, char **cause);
void	 kcfg_exec_free(struct kube_exec *);
/* Read token_file into token (trimmed); the token never enters an error. */
int	 kcfg_token_read(struct kubeconfig *, char **cause);

#endif
