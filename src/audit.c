/* audit.c: the audit trail (being written). */
#include <stdio.h>

#include "action.h"

int
audit_cli(int argc, char **argv)
{
	fprintf(stderr, "warroom: audit: not implemented yet\n");
	return 2;
}
