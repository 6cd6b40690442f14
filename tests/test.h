/* tests/test.h: a tiny harness for C unit tests. Each TEST prints one line,
 * "PASS: name" or "FAIL: name: file:line: expr", which tests/run-all.sh counts. */
#ifndef WARROOM_TEST_H
#define WARROOM_TEST_H

#include <stdio.h>
#include <string.h>

static int	test_failed_total;
static int	test_failed_here;
static const char *test_name;

#define TEST(name) static void test_##name(void)
#define RUN(name) do {							\
	test_failed_here = 0;						\
	test_name = #name;						\
	test_##name();							\
	if (!test_failed_here)						\
		printf("PASS: %s\n", #name);				\
	else								\
		test_failed_total++;					\
} while (0)

#define ASSERT(e) do {							\
	if (!(e)) {							\
		printf("FAIL: %s: %s:%d: %s\n", test_name, __FILE__,	\
		    __LINE__, #e);					\
		test_failed_here = 1;					\
		return;							\
	}								\
} while (0)

#define ASSERT_STR(a, b) do {						\
	const char *_a = (a), *_b = (b);				\
	if (_a == NULL || _b == NULL || strcmp(_a, _b) != 0) {		\
		printf("FAIL: %s: %s:%d: \"%s\" != \"%s\"\n", test_name,	\
		    __FILE__, __LINE__, _a ? _a : "(null)",		\
		    _b ? _b : "(null)");				\
		test_failed_here = 1;					\
		return;							\
	}								\
} while (0)

#define ASSERT_INT(a, b) do {						\
	long long _a = (a), _b = (b);					\
	if (_a != _b) {							\
		printf("FAIL: %s: %s:%d: %lld != %lld (%s)\n", test_name,	\
		    __FILE__, __LINE__, _a, _b, #a);			\
		test_failed_here = 1;					\
		return;							\
	}								\
} while (0)

#define TEST_EXIT() (test_failed_total ? 1 : 0)

#endif
