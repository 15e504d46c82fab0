/*
 * jailscope - start a command in a Landlock domain with the given
 * scopes.
 *
 *   jailscope [-n NAME] SCOPE... -- PATH [ARG...]
 *   jailscope [-n NAME] --check SCOPE...
 *
 * The shell launchers jailc writes cannot make system calls, so they
 * start bwrap through this; jailrun does the same itself
 * (runtime/landlock.c).  PATH is run as given, without a PATH search,
 * in the environment jailscope was started with.  Exit status: PATH's,
 * or 125 when the scopes cannot be applied, 126/127 when PATH cannot be
 * run, 2 for a bad command line.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "landlock.h"

static void
usage(void)
{
	fputs("usage: jailscope [-n NAME] SCOPE... -- PATH [ARG...]\n"
	      "       jailscope [-n NAME] --check SCOPE...\n",
	    stderr);
	exit(2);
}

int
main(int argc, char **argv)
{
	const char *name = "jailscope", *why;
	int i = 1, first, n, check = 0, err;

	if (i + 1 < argc && strcmp(argv[i], "-n") == 0) {
		name = argv[i + 1];
		i += 2;
	}
	if (i < argc && strcmp(argv[i], "--check") == 0) {
		check = 1;
		i++;
	}
	for (first = i; i < argc && strcmp(argv[i], "--") != 0; i++)
		if (!ll_known(argv[i])) {
			fprintf(
			    stderr, "jailscope: unknown scope '%s'\n", argv[i]);
			usage();
		}
	n = i - first;
	if (n == 0 || (check ? i != argc : i + 1 >= argc))
		usage();
	if (check) {
		for (err = 0, i = first; i < first + n; i++)
			if (ll_report(name, argv[i]) != 0)
				err = 1;
		return err;
	}
	if (strchr(argv[i + 1], '/') == NULL) {
		fprintf(stderr, "jailscope: '%s' is not a path\n", argv[i + 1]);
		usage();
	}
	if (ll_restrict((const char *const *)argv + first, n, &why) != 0) {
		fprintf(stderr, "%s: %s\n", name, why);
		return 125;
	}
	execv(argv[i + 1], argv + i + 1);
	err = errno;
	fprintf(stderr, "%s: cannot run %s: %s\n", name, argv[i + 1],
	    strerror(err));
	return err == ENOENT ? 127 : 126;
}
