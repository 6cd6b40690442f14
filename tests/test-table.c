/* test-table.c: the string-keyed hash table: insert, replace, delete,
 * tombstone reuse, growth to 100k keys, iteration and table_values. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "table.h"
#include "test.h"

#define BIG	100000

static int	 freed;		/* items handed to item_free */

struct item {
	int		 n;
};

static void
item_free(void *p)
{
	freed++;
	free(p);
}

static struct item *
item_new(int n)
{
	struct item	*it;

	if ((it = malloc(sizeof *it)) == NULL)
		abort();
	it->n = n;
	return it;
}

static int
item_n(const struct table *t, const char *key)
{
	struct item	*it = table_get(t, key);

	return it != NULL ? it->n : -1;
}

/* Is cap a power of two that leaves room for every slot in use? */
static int
shape_ok(const struct table *t)
{
	return t->cap != 0 && (t->cap & (t->cap - 1)) == 0 &&
	    t->count <= t->used && t->used < t->cap;
}

TEST(empty)
{
	struct table	 t;
	size_t		 pos = 0, n = 99;
	void		**v;

	table_init(&t, item_free);
	ASSERT(table_get(&t, "x") == NULL);
	ASSERT_INT(table_del(&t, "x"), 0);
	ASSERT(table_next(&t, &pos) == NULL);
	v = table_values(&t, &n);
	ASSERT(v != NULL);
	ASSERT_INT(n, 0);
	free(v);
	table_clear(&t);
	table_clear(&t);			/* twice is harmless */
	ASSERT_INT(t.count, 0);
}

TEST(insert_get)
{
	struct table	 t;

	freed = 0;
	table_init(&t, item_free);
	table_put(&t, "web", item_new(1));
	table_put(&t, "api", item_new(2));
	table_put(&t, "", item_new(3));		/* the empty key is a key */
	ASSERT_INT(t.count, 3);
	ASSERT_INT(item_n(&t, "web"), 1);
	ASSERT_INT(item_n(&t, "api"), 2);
	ASSERT_INT(item_n(&t, ""), 3);
	ASSERT_INT(item_n(&t, "we"), -1);
	ASSERT_INT(item_n(&t, "web "), -1);
	ASSERT(shape_ok(&t));
	table_clear(&t);
	ASSERT_INT(freed, 3);
}

TEST(key_is_copied)
{
	struct table	 t;
	char		 key[16] = "pod-a";

	table_init(&t, item_free);
	table_put(&t, key, item_new(7));
	strcpy(key, "pod-b");
	ASSERT_INT(item_n(&t, "pod-a"), 7);
	ASSERT_INT(item_n(&t, "pod-b"), -1);
	table_clear(&t);
}

TEST(replace)
{
	struct table	 t;
	struct item	*same;

	freed = 0;
	table_init(&t, item_free);
	table_put(&t, "web", item_new(1));
	table_put(&t, "web", item_new(2));
	ASSERT_INT(freed, 1);			/* the old value */
	ASSERT_INT(t.count, 1);
	ASSERT_INT(item_n(&t, "web"), 2);

	/* Putting the same pointer again must not free it. */
	same = table_get(&t, "web");
	table_put(&t, "web", same);
	ASSERT_INT(freed, 1);
	ASSERT_INT(item_n(&t, "web"), 2);
	table_clear(&t);
	ASSERT_INT(freed, 2);
}

TEST(no_free_item)
{
	struct table	 t;
	int		 a = 1, b = 2;

	table_init(&t, NULL);
	table_put(&t, "a", &a);
	table_put(&t, "a", &b);
	ASSERT(table_get(&t, "a") == &b);
	ASSERT_INT(table_del(&t, "a"), 1);
	table_clear(&t);
}

TEST(delete)
{
	struct table	 t;

	freed = 0;
	table_init(&t, item_free);
	table_put(&t, "a", item_new(1));
	table_put(&t, "b", item_new(2));
	ASSERT_INT(table_del(&t, "a"), 1);
	ASSERT_INT(freed, 1);
	ASSERT_INT(t.count, 1);
	ASSERT(table_get(&t, "a") == NULL);
	ASSERT_INT(table_del(&t, "a"), 0);
	ASSERT_INT(table_del(&t, "zzz"), 0);
	ASSERT_INT(freed, 1);
	ASSERT_INT(item_n(&t, "b"), 2);
	table_clear(&t);
	ASSERT_INT(freed, 2);
}

TEST(tombstone_reuse)
{
	struct table	 t;
	char		 key[32];
	size_t		 used, cap;
	int		 i;

	table_init(&t, item_free);
	for (i = 0; i < 20; i++) {
		snprintf(key, sizeof key, "k%d", i);
		table_put(&t, key, item_new(i));
	}
	used = t.used;
	cap = t.cap;

	/* Delete and put back the same key: the tombstone slot is reused. */
	ASSERT_INT(table_del(&t, "k5"), 1);
	ASSERT_INT(t.used, used);		/* the tombstone still counts */
	table_put(&t, "k5", item_new(55));
	ASSERT_INT(t.used, used);
	ASSERT_INT(t.count, 20);
	ASSERT_INT(item_n(&t, "k5"), 55);

	/* Keys probed past a tombstone are still found. */
	for (i = 0; i < 20; i += 2) {
		snprintf(key, sizeof key, "k%d", i);
		ASSERT_INT(table_del(&t, key), 1);
	}
	for (i = 1; i < 20; i += 2) {
		snprintf(key, sizeof key, "k%d", i);
		ASSERT_INT(item_n(&t, key), i == 5 ? 55 : i);
	}

	/*
	 * Churn: many distinct keys put and deleted with few alive. Without
	 * reuse and rehashing the tombstones would fill the table (and a
	 * lookup would never end); the capacity must stay small.
	 */
	for (i = 0; i < 200000; i++) {
		snprintf(key, sizeof key, "churn-%d", i);
		table_put(&t, key, item_new(i));
		if (i >= 4) {
			snprintf(key, sizeof key, "churn-%d", i - 4);
			ASSERT_INT(table_del(&t, key), 1);
		}
	}
	ASSERT_INT(t.count, 10 + 4);
	ASSERT(t.cap <= cap * 2);
	ASSERT(shape_ok(&t));
	ASSERT_INT(item_n(&t, "churn-199999"), 199999);
	ASSERT_INT(item_n(&t, "churn-199995"), -1);
	table_clear(&t);
}

TEST(grow_100k)
{
	struct table	 t;
	struct item	*it;
	char		 key[32];
	size_t		 pos, n, i;
	void		**v;
	long long	 sum, want;
	int		 k, seen_ok;
	unsigned char	*seen;

	freed = 0;
	table_init(&t, item_free);
	for (k = 0; k < BIG; k++) {
		snprintf(key, sizeof key, "default/pod-%d", k);
		table_put(&t, key, item_new(k));
	}
	ASSERT_INT(t.count, BIG);
	ASSERT(shape_ok(&t));
	ASSERT(t.cap >= BIG);
	for (k = 0; k < BIG; k++) {
		snprintf(key, sizeof key, "default/pod-%d", k);
		if (item_n(&t, key) != k)
			ASSERT(!"lost a key while growing");
	}
	ASSERT(table_get(&t, "default/pod-100000") == NULL);

	/* Iteration visits each item exactly once. */
	seen = calloc(BIG, 1);
	ASSERT(seen != NULL);
	pos = 0;
	n = 0;
	seen_ok = 1;
	while ((it = table_next(&t, &pos)) != NULL) {
		if (it->n < 0 || it->n >= BIG || seen[it->n]++)
			seen_ok = 0;
		n++;
	}
	free(seen);
	ASSERT(seen_ok);
	ASSERT_INT(n, BIG);
	ASSERT(table_next(&t, &pos) == NULL);	/* stays at the end */

	/* Delete every odd key; the rest remain, iteration agrees. */
	for (k = 1; k < BIG; k += 2) {
		snprintf(key, sizeof key, "default/pod-%d", k);
		if (table_del(&t, key) != 1)
			ASSERT(!"delete failed");
	}
	ASSERT_INT(freed, BIG / 2);
	ASSERT_INT(t.count, BIG / 2);
	pos = 0;
	n = 0;
	while (table_next(&t, &pos) != NULL)
		n++;
	ASSERT_INT(n, BIG / 2);

	/* table_values: every live value once, the table still owns them. */
	v = table_values(&t, &n);
	ASSERT_INT(n, BIG / 2);
	sum = 0;
	for (i = 0; i < n; i++)
		sum += ((struct item *)v[i])->n;
	free(v);
	want = 0;
	for (k = 0; k < BIG; k += 2)
		want += k;
	ASSERT_INT(sum, want);
	ASSERT_INT(item_n(&t, "default/pod-0"), 0);
	ASSERT_INT(item_n(&t, "default/pod-99998"), 99998);

	table_clear(&t);
	ASSERT_INT(freed, BIG);
	ASSERT_INT(t.count, 0);
	ASSERT(table_get(&t, "default/pod-0") == NULL);

	/* A cleared table can be used again. */
	table_put(&t, "again", item_new(1));
	ASSERT_INT(item_n(&t, "again"), 1);
	table_clear(&t);
}

int
main(void)
{
	RUN(empty);
	RUN(insert_get);
	RUN(key_is_copied);
	RUN(replace);
	RUN(no_free_item);
	RUN(delete);
	RUN(tombstone_reuse);
	RUN(grow_100k);
	return TEST_EXIT();
}
