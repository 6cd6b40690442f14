/* kubeconfig.h: read kubeconfig files as kubectl does (KUBECONFIG merging,
 * contexts, certificates, tokens, exec plugins, in-cluster). */
#ifndef WARROOM_KUBECONFIG_H
#define WARROOM_KUBECONFIG_H

#include <stddef.h>

struct kube_exec {
	char		*api_version;	/* client.authentication.k8s.io/v1 or v1beta1 */
	char		*command;
	char		**args;		/* NULL-terminated */
	char		**env;		/* "NAME=value", NULL-terminated */
	int		 provide_cluster_info;
	char		*interactive_mode; /* Never | IfAvailable | Always */
	char		*install_hint;
};

/* The resolved client configuration for one context. Every string is owned
 * by the struct; kubeconfig_free() frees them. Secrets (token, password, key)
 * must never be logged or shown. */
struct kubeconfig {
	char		*context;	/* context name ("" for in-cluster) */
	char		*cluster;	/* cluster name */
	char		*user;		/* user entry name */
	char		*namespace;	/* --namespace, context's, or "default" */
	char		*server;	/* https://host:port */
	char		*ca_file;	/* absolute path, or NULL */
	char		*ca_pem;	/* decoded certificate-authority-data */
	size_t		 ca_pem_len;
	char		*cert_file;
	char		*cert_pem;	/* decoded client-certificate-data */
	size_t		 cert_pem_len;
	char		*key_file;
	char		*key_pem;	/* decoded client-key-data (secret) */
	size_t		 key_pem_len;
	char		*token;		/* bearer token (secret) */
	char		*token_file;	/* re-read when it changes */
	char		*username;	/* basic auth */
	char		*password;	/* (secret) */
	char		*tls_server_name;
	char		*proxy_url;
	int		 insecure;	/* insecure-skip-tls-verify: true */
	struct kube_exec *exec;		/* exec credential plugin, or NULL */
	double		 exec_expiry;	/* wall time the exec token expires, 0 = never */
	char		*source;	/* file that defined the context */
	char		**contexts;	/* all context names, NULL-terminated */
	char		*current_context; /* the merged current-context */
};

/*
 * Load the configuration. path is --kubeconfig (that file only, it must
 * exist) or NULL (KUBECONFIG, else ~/.kube/config, else in-cluster).
 * context and namespace are the --context / --namespace overrides or NULL.
 * Returns 0 and a new *out (caller frees with kubeconfig_free), or -1 and a
 * new *cause naming the file and the problem, or 1 and a new *cause when
 * Kubernetes is not configured at all (path NULL, no kubeconfig file, not in
 * a cluster).
 */
int	 kubeconfig_load(const char *path, const char *context,
	    const char *namespace, struct kubeconfig **out, char **cause);
void	 kubeconfig_free(struct kubeconfig *);

/*
 * Make the credentials current: run the exec plugin if there is one and its
 * token expired (or force is set, after a 401), re-read token_file. Blocks
 * for at most timeout_s seconds (the plugin); call before the loop starts or
 * when a 401 arrives. Returns 0, or -1 and a new *cause.
 */
int	 kubeconfig_refresh(struct kubeconfig *, int force, int timeout_s,
	    char **cause);

/* Base64 decode (standard alphabet, padding optional, whitespace ignored).
 * Returns a new NUL-terminated buffer and its length, or NULL if invalid. */
char	*kubeconfig_base64_decode(const char *in, size_t *len);

#endif
