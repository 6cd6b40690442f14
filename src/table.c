/* table.c: open addressing with linear probing and tombstones. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "table.h"
#include "warroom.h"

static uint64_t
table_hash(const char *s)
{
	uint64_t	 h = 1469598103934665603ULL;

	while (*s != '\0') {
		h ^= (unsigned char)*s++;
		h *= 1099511628211ULL;
	}
	return h;
}

void
table_init(struct table *t, void (*free_item)(void *))
{
	memset(t, 0, sizeof *t);
	t->free_item = free_item;
}

void
table_clear(struct table *t)
{
	size_t	 i;

	for (i = 0; i < t->cap; i++) {
		if (t->keys[i] == NULL)
			continue;
		free(t->keys[i]);
		if (t->free_item != NULL)
			t->free_item(t->vals[i]);
	}
	free(t->keys);
	free(t->vals);
	free(t->tomb);
	t->keys = NULL;
	t->vals = NULL;
	t->tomb = NULL;
	t->cap = t->count = t->used = 0;
}

/* The slot holding key, or the slot where it would go (-1 if full). */
static size_t
table_slot(const struct table *t, const char *key, int *found)
{
	size_t	 i, mask = t->cap - 1, first_tomb = SIZE_MAX;

	*found = 0;
	for (i = table_hash(key) & mask;; i = (i + 1) & mask) {
		if (t->keys[i] == NULL) {
			if (!t->tomb[i])
				return first_tomb != SIZE_MAX ? first_tomb : i;
			if (first_tomb == SIZE_MAX)
				first_tomb = i;
			continue;
		}
		if (strcmp(t->keys[i], key) == 0) {
			*found = 1;
			return i;
		}
	}
}

static void
table_grow(struct table *t)
{
	struct table	 old = *t;
	size_t		 i, slot;
	int		 found;

	t->cap = old.cap == 0 ? 64 : (old.count * 4 > old.cap ? old.cap * 2 : old.cap);
	t->keys = xcalloc(t->cap, sizeof *t->keys);
	t->vals = xcalloc(t->cap, sizeof *t->vals);
	t->tomb = xcalloc(t->cap, 1);
	t->count = t->used = 0;
	for (i = 0; i < old.cap; i++) {
		if (old.keys[i] == NULL)
			continue;
		slot = table_slot(t, old.keys[i], &found);
		t->keys[slot] = old.keys[i];
		t->vals[slot] = old.vals[i];
		t->count++;
		t->used++;
	}
	free(old.keys);
	free(old.vals);
	free(old.tomb);
}

void
table_put(struct table *t, const char *key, void *val)
{
	size_t	 slot;
	int	 found;

	if ((t->used + 1) * 4 >= t->cap * 3)
		table_grow(t);
	slot = table_slot(t, key, &found);
	if (found) {
		if (t->free_item != NULL && t->vals[slot] != val)
			t->free_item(t->vals[slot]);
		t->vals[slot] = val;
		return;
	}
	if (!t->tomb[slot])
		t->used++;
	t->tomb[slot] = 0;
	t->keys[slot] = xstrdup(key);
	t->vals[slot] = val;
	t->count++;
}

void *
table_get(const struct table *t, const char *key)
{
	size_t	 slot;
	int	 found;

	if (t->count == 0)
		return NULL;
	slot = table_slot(t, key, &found);
	return found ? t->vals[slot] : NULL;
}

int
table_del(struct table *t, const char *key)
{
	size_t	 slot;
	int	 found;

	if (t->count == 0)
		return 0;
	slot = table_slot(t, key, &found);
	if (!found)
		return 0;
	free(t->keys[slot]);
	if (t->free_item != NULL)
		t->free_item(t->vals[slot]);
	t->keys[slot] = NULL;
	t->vals[slot] = NULL;
	t->tomb[slot] = 1;
	t->count--;
	return 1;
}

void *
table_next(const struct table *t, size_t *pos)
{
	while (*pos < t->cap) {
		size_t	 i = (*pos)++;

		if (t->keys[i] != NULL)
			return t->vals[i];
	}
	return NULL;
}

void **
table_values(const struct table *t, size_t *n)
{
	void	**v, *item;
	size_t	  pos = 0, i = 0;

	v = xcalloc(t->count + 1, sizeof *v);
	while ((item = table_next(t, &pos)) != NULL)
		v[i++] = item;
	*n = i;
	return v;
}
