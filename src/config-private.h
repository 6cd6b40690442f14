/* config-private.h: what config.c and config-set.c share; not for the
 * rest of warroom (config.h is). */
#ifndef WARROOM_CONFIG_PRIVATE_H
#define WARROOM_CONFIG_PRIVATE_H

/* The 'set OPTION VALUE' command (a cmd_fn): stores the value in cfg, or
 * returns -1 and a new *cause ("set NAME: ..."). */
int	 config_set_cmd(int argc, char **argv, void *arg, char **cause);

/* Free a NULL-terminated vector of strings and the vector (NULL is fine). */
void	 config_free_strv(char **);

#endif
