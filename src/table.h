/* table.h: a string-keyed hash table of owned items, used by the model for
 * pods, deployments and the rest. O(1) insert, lookup and delete. */
#ifndef WARROOM_TABLE_H
#define WARROOM_TABLE_H

#include <stddef.h>

struct table {
	char		**keys;		/* slot keys, NULL = empty */
	void		**vals;		/* slot values */
	unsigned char	 *tomb;		/* 1 where an item was deleted */
	size_t		  cap;		/* slots, a power of two */
	size_t		  count;	/* live items */
	size_t		  used;		/* live + tombstones */
	void		(*free_item)(void *);	/* frees a value, may be NULL */
};

void	 table_init(struct table *, void (*free_item)(void *));
/* Frees every key and, through free_item, every value. */
void	 table_clear(struct table *);
/* Insert or replace; the table owns val from now on (an old value is freed). */
void	 table_put(struct table *, const char *key, void *val);
void	*table_get(const struct table *, const char *key);
/* Remove and free; returns 1 if the key was there. */
int	 table_del(struct table *, const char *key);
/* Iterate: start with *pos = 0; returns the next value or NULL at the end. */
void	*table_next(const struct table *, size_t *pos);
/* The values in an array the caller frees (the values stay the table's). */
void	**table_values(const struct table *, size_t *n);

#endif
