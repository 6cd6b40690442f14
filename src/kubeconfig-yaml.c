/* kubeconfig-yaml.c: parse a kubeconfig file with libyaml and read its
 * nodes: null, type and line of a node, mapping lookup, string and bool
 * fields of an entry. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <yaml.h>

#include "kubeconfig.h"
#include "kubeconfig-private.h"
#include "warroom.h"

/* YAML access. Scalars are NUL-terminated by libyaml. */

size_t
kcfg_line(const yaml_node_t *n)
{
	return n->start_mark.line + 1;
}

int
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

const char *
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

yaml_node_t *
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
int
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

int
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

void
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

int
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
