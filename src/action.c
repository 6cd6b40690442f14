/* action.c: the action table and its dispatcher (being written). */
#include <stdio.h>

#include "action.h"

int
action_cli_do(struct uv_loop_s *loop, struct kube *kube, struct model *m,
    int argc, char **argv, int flags)
{
	fprintf(stderr, "warroom: do: the action layer is not implemented "
	    "yet\n");
	return 2;
}
