/* config-set.c: 'set OPTION VALUE', one typed table of the options with
 * their ranges and messages (as tmux's options-table.c), and one setter
 * that parses, checks the range and says what is wrong. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "config-private.h"
#include "warroom.h"

enum config_set_type {
	CONFIG_SET_DURATION,	/* seconds, from minimum to maximum */
	CONFIG_SET_CHOICE,	/* one of the words of choices */
	CONFIG_SET_NAME,	/* a string, not empty */
	CONFIG_SET_LIST		/* comma-separated; "" empties it */
};

struct config_set_choice {
	const char	*word;
	int		 value;
};

struct config_set_option {
	const char		*name;
	enum config_set_type	 type;
	double			 minimum;	/* DURATION, seconds */
	double			 maximum;
	int			 zero;		/* DURATION: 0 (off) too */
	const struct config_set_choice *choices; /* CHOICE, NULL-ended */
	/* What is wrong, after "set NAME: "; a "%s" in it stands for the
	 * value (sanitized). range, if not NULL, is for a duration out of
	 * range; invalid is for everything else. */
	const char		*invalid;
	const char		*range;
	double			*seconds;	/* DURATION: where it goes */
	int			*number;	/* CHOICE */
	char			**string;	/* NAME */
	char			***list;	/* LIST */
};

static const struct config_set_choice config_set_colours[] = {
	{ "auto", 0 },		/* what terminfo says */
	{ "none", -1 },
	{ "8", 8 },
	{ "16", 16 },
	{ "256", 256 },
	{ NULL, 0 }
};

static const struct config_set_choice config_set_on_off[] = {
	{ "on", 1 },
	{ "off", 0 },
	{ NULL, 0 }
};

static const struct config_set_option config_set_options[] = {
	{ .name = "refresh",
	  .type = CONFIG_SET_DURATION,
	  .minimum = 0.1,
	  .maximum = 3600,
	  .invalid = "\"%s\" is not a duration (like 2s, 500ms, 1m)",
	  .range = "%s is out of range (100ms to 1h)",
	  .seconds = &cfg.refresh },
	/* The rate window of the resource queries. */
	{ .name = "prom-range",
	  .type = CONFIG_SET_DURATION,
	  .minimum = 1,
	  .maximum = 86400,
	  .invalid = "\"%s\" is not a duration from 1s to 24h (like 5m)",
	  .seconds = &cfg.prom_range },
	/* 0 keeps the wall on one view. */
	{ .name = "wall-cycle",
	  .type = CONFIG_SET_DURATION,
	  .minimum = 2,
	  .maximum = 3600,
	  .zero = 1,
	  .invalid = "\"%s\" is not 0 or a duration from 2s to 1h",
	  .seconds = &cfg.wall_cycle },
	/* What terminfo says, or fewer. */
	{ .name = "colours",
	  .type = CONFIG_SET_CHOICE,
	  .choices = config_set_colours,
	  .invalid = "\"%s\" is not auto, none, 8, 16 or 256",
	  .number = &cfg.colours },
	{ .name = "theme",
	  .type = CONFIG_SET_NAME,
	  .invalid = "empty name",
	  .string = &cfg.theme },
	{ .name = "keymap",
	  .type = CONFIG_SET_NAME,
	  .invalid = "empty name",
	  .string = &cfg.keymap },
	{ .name = "read-only",
	  .type = CONFIG_SET_CHOICE,
	  .choices = config_set_on_off,
	  .invalid = "expected on or off, not \"%s\"",
	  .number = &cfg.read_only },
	/* Actions there need the name typed. */
	{ .name = "protected-contexts",
	  .type = CONFIG_SET_LIST,
	  .list = &cfg.protected_contexts },
	/* No action changes these clusters. */
	{ .name = "read-only-contexts",
	  .type = CONFIG_SET_LIST,
	  .list = &cfg.read_only_contexts },
};

/* "set NAME: " and the message, its "%s" replaced by the value. */
static int
config_set_fail(const struct config_set_option *o, const char *msg,
    const char *value, char **cause)
{
	const char	*at;
	char		*clean;

	if ((at = strstr(msg, "%s")) == NULL) {
		xasprintf(cause, "set %s: %s", o->name, msg);
		return -1;
	}
	clean = sanitize(value);
	xasprintf(cause, "set %s: %.*s%s%s", o->name, (int)(at - msg), msg,
	    clean, at + 2);
	free(clean);
	return -1;
}

/* A comma-separated list of context names or patterns ("prod-*") into a
 * NULL-terminated vector that replaces *dst; "" empties it. */
static void
config_set_list(char ***dst, const char *value)
{
	char		**v;
	const char	 *p, *start, *end, *last;
	size_t		  n = 0;

	v = xcalloc(1, sizeof *v);
	for (p = value; *p != '\0'; p = *end == ',' ? end + 1 : end) {
		for (start = p; *start == ' '; start++)
			/* nothing */;
		for (end = start; *end != '\0' && *end != ','; end++)
			/* nothing */;
		for (last = end; last > start && last[-1] == ' '; last--)
			/* nothing */;
		if (last == start)
			continue;
		v = xreallocarray(v, n + 2, sizeof *v);
		v[n++] = xstrndup(start, last - start);
		v[n] = NULL;
	}
	config_free_strv(*dst);
	if (n == 0) {
		free(v);
		v = NULL;
	}
	*dst = v;
}

/* Parse value as o says, check it and store it in cfg. */
static int
config_set_value(const struct config_set_option *o, const char *value,
    char **cause)
{
	const struct config_set_choice *c;
	double	 v;

	switch (o->type) {
	case CONFIG_SET_DURATION:
		if ((v = config_parse_duration(value)) < 0)
			return config_set_fail(o, o->invalid, value, cause);
		if ((v < o->minimum && !(o->zero && v == 0)) ||
		    v > o->maximum)
			return config_set_fail(o, o->range != NULL ?
			    o->range : o->invalid, value, cause);
		*o->seconds = v;
		return 0;
	case CONFIG_SET_CHOICE:
		for (c = o->choices; c->word != NULL; c++) {
			if (strcmp(value, c->word) == 0) {
				*o->number = c->value;
				return 0;
			}
		}
		return config_set_fail(o, o->invalid, value, cause);
	case CONFIG_SET_NAME:
		if (*value == '\0')
			return config_set_fail(o, o->invalid, value, cause);
		xstrset(o->string, value);
		return 0;
	case CONFIG_SET_LIST:
		config_set_list(o->list, value);
		return 0;
	}
	fatal("set %s: bad option type", o->name);
}

/* set OPTION VALUE */
int
config_set_cmd(int argc, char **argv, void *arg, char **cause)
{
	char	*known = NULL, *tmp, *clean;
	size_t	 i;

	for (i = 0; i < nitems(config_set_options); i++) {
		if (strcmp(argv[1], config_set_options[i].name) == 0)
			return config_set_value(&config_set_options[i],
			    argv[2], cause);
	}
	for (i = 0; i < nitems(config_set_options); i++) {
		xasprintf(&tmp, "%s%s%s", known != NULL ? known : "",
		    known != NULL ? ", " : "", config_set_options[i].name);
		free(known);
		known = tmp;
	}
	clean = sanitize(argv[1]);
	xasprintf(cause, "set: unknown option \"%s\" (known: %s)", clean,
	    known);
	free(clean);
	free(known);
	return -1;
}
