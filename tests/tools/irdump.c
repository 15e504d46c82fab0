/*
 * irdump.c - print the merged profile IR without positions.
 *
 * usage: irdump [--input-format toml|yaml] FILE
 * The YAML/TOML twin test compares its output; diagnostics go to stderr.
 */
#include <stdio.h>
#include <string.h>

#include "util.h"
#include "diag.h"
#include "profile.h"

int
main(int argc, char **argv)
{
	enum doc_format fmt = FORMAT_AUTO;
	struct profile *p;
	int i = 1, rc;

	if (argc == 4 && strcmp(argv[1], "--input-format") == 0) {
		fmt = strcmp(argv[2], "yaml") == 0 ? FORMAT_YAML : FORMAT_TOML;
		i = 3;
	}
	if (i != argc - 1) {
		fputs(
		    "usage: irdump [--input-format toml|yaml] FILE\n", stderr);
		return 2;
	}
	p = profile_load(argv[i], fmt);
	if (p != NULL)
		profile_dump(stdout, p);
	diag_flush(stderr, DIAGFMT_TEXT, 0);
	rc = p != NULL ? 0 : 1;
	arena_free_all();
	return rc;
}
