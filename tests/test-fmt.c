/* tests/test-fmt.c: the formatting helpers of src/fmt.c: durations as
 * kubectl prints ages. */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "fmt.h"
#include "warroom.h"
#include "test.h"

/* apimachinery's duration_test.go boundaries, in whole seconds. */
TEST(duration_boundaries)
{
	static const struct {
		long		 s;
		const char	*want;
	} cases[] = {
		{ -2, "<invalid>" }, { -1, "0s" }, { 0, "0s" }, { 1, "1s" },
		{ 70, "70s" }, { 119, "119s" }, { 120, "2m" }, { 121, "2m1s" },
		{ 190, "3m10s" }, { 599, "9m59s" }, { 600, "10m" },
		{ 601, "10m" }, { 70 * 60, "70m" }, { 3 * 3600 - 1, "179m" },
		{ 3 * 3600, "3h" }, { 3 * 3600 + 60, "3h1m" },
		{ 8 * 3600 - 1, "7h59m" }, { 8 * 3600, "8h" },
		{ 8 * 3600 + 59 * 60, "8h" }, { 47 * 3600, "47h" },
		{ 48 * 3600 - 1, "47h" }, { 48 * 3600, "2d" },
		{ 49 * 3600, "2d1h" }, { 8 * 86400 - 1, "7d23h" },
		{ 8 * 86400, "8d" }, { 8 * 86400 + 23 * 3600, "8d" },
		{ 367L * 86400, "367d" }, { 2 * 365L * 86400 - 1, "729d" },
		{ 2 * 365L * 86400, "2y" },
		{ 2 * 365L * 86400 + 23 * 3600, "2y" },
		{ 2 * 365L * 86400 + 86400 - 1, "2y" },
		{ 2 * 365L * 86400 + 86400, "2y1d" },
		{ 2 * 365L * 86400 + 25 * 3600, "2y1d" },
		{ 3 * 365L * 86400, "3y" }, { 8 * 365L * 86400 - 1, "7y364d" },
		{ 8 * 365L * 86400, "8y" },
		{ 8 * 365L * 86400 + 364 * 86400, "8y" },
		{ 9 * 365L * 86400, "9y" },
	};
	char	 buf[32], small[3];
	size_t	 i;
	int	 bad = 0;

	for (i = 0; i < nitems(cases); i++) {
		fmt_duration(cases[i].s, buf, sizeof buf);
		if (strcmp(buf, cases[i].want) != 0) {
			printf("# %ld: got %s, want %s\n", cases[i].s, buf,
			    cases[i].want);
			bad++;
		}
	}
	ASSERT_INT(bad, 0);
	ASSERT_STR(fmt_duration(-100, small, sizeof small), "<i");
	ASSERT_STR(fmt_duration(LONG_MIN, buf, sizeof buf), "<invalid>");
}

int
main(void)
{
	RUN(duration_boundaries);
	return TEST_EXIT();
}
