/*
 * irdump.c - print the merged profile IR without positions.
 *
 * usage: irdump [--input-format toml|yaml] FILE
 * The YAML/TOML twin test and the golden .ir files compare its output;
 * diagnostics go to stderr exactly as `jailc check` prints them (without
 * lint).  Exit status: 0 loaded, 1 errors reported, 2 usage.
 */
#include <stdio.h>
#include <string.h>

#include "diag.h"
#include "profile.h"
#include "seccomp.h"
#include "util.h"

static int
usage(void)
{
	fputs("usage: irdump [--input-format toml|yaml] FILE\n", stderr);
	return 2;
}

int
main(int argc, char **argv)
{
	enum doc_format fmt = FORMAT_AUTO;
	struct profile *p;
	int i = 1, rc;

	if (argc > 1 && strcmp(argv[1], "--input-format") == 0) {
		if (argc < 3)
			return usage();
		if (strcmp(argv[2], "toml") == 0)
			fmt = FORMAT_TOML;
		else if (strcmp(argv[2], "yaml") == 0)
			fmt = FORMAT_YAML;
		else
			return usage();
		i = 3;
	}
	if (i != argc - 1)
		return usage();
	/* as jailc check loads a profile, before lint */
	if ((p = profile_read(argv[i], fmt)) != NULL)
		seccomp_check(p);
	if (diag_errors() > 0)
		p = NULL;
	if (p != NULL)
		profile_dump(stdout, p);
	if (fflush(stdout) != 0 || ferror(stdout))
		fatal("write error on standard output:");
	diag_flush(stderr, DIAGFMT_TEXT, 0);
	rc = p != NULL ? 0 : 1;
	arena_free_all();
	return rc;
}
