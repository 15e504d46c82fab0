/*
 * xauthtest.c - runtime/xauth.c from the command line, for tests/xauth.t.
 *
 *   xauthtest display VALUE
 *	prints the display number VALUE names; exit 1 with the reason
 *   xauthtest filter [-c OUTCAP] IN OUT HOST DISPLAY NEWDISPLAY
 *	writes to OUT the cookie for DISPLAY from the Xauthority file IN,
 *	as xauth_filter does (HOST "-" for none); prints how many records
 *	were written; exit 3 when none matches (OUT is then empty), 1 with
 *	the reason on an error
 *   xauthtest prefixes IN HOST DISPLAY NEWDISPLAY
 *	filters each proper prefix of IN in turn and prints its length and
 *	the exit status filter would have had
 *
 * Like jailrun, it never prints a cookie.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../runtime/xauth.h"

static void
usage(void)
{
	fprintf(stderr,
	    "usage: xauthtest display VALUE\n"
	    "       xauthtest filter [-c OUTCAP] IN OUT HOST "
	    "DISPLAY NEWDISPLAY\n");
	exit(2);
}

static unsigned long
number(const char *s)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0')
		usage();
	return v;
}

/* The file at path, up to one byte more than XAUTH_FILEMAX, so that a
 * larger one is seen to be larger. */
static unsigned char *
slurp(const char *path, size_t *len)
{
	unsigned char *buf;
	size_t cap = XAUTH_FILEMAX + 1;
	ssize_t n;
	int fd;

	if ((buf = malloc(cap)) == NULL ||
	    (fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		fprintf(stderr, "xauthtest: %s: %s\n", path, strerror(errno));
		exit(1);
	}
	*len = 0;
	while (*len < cap && (n = read(fd, buf + *len, cap - *len)) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "xauthtest: %s: %s\n", path,
			    strerror(errno));
			exit(1);
		}
		*len += (size_t)n;
	}
	close(fd);
	return buf;
}

/* xauth_filter on in[0..inlen), as exact copies so that ASan sees any
 * access past them: its exit status, 0, 3 (no match) or 1 (error). */
static int
run(const unsigned char *in, size_t inlen, const char *host, unsigned display,
    unsigned newdisplay, size_t outcap, const char *outpath, const char *name)
{
	unsigned char *copy, *out;
	size_t outlen;
	const char *why;
	int n, fd, rc = 1;

	if ((copy = malloc(inlen ? inlen : 1)) == NULL ||
	    (out = malloc(outcap ? outcap : 1)) == NULL)
		exit(1);
	if (inlen > 0)
		memcpy(copy, in, inlen);
	n = xauth_filter(
	    copy, inlen, host, display, newdisplay, out, outcap, &outlen, &why);
	if (n < 0)
		fprintf(stderr, "xauthtest: %s: %s\n", name, why);
	else if (outpath == NULL)
		rc = n == 0 ? 3 : 0;
	else if ((fd = open(outpath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
	              0600)) < 0 ||
	    write(fd, out, outlen) != (ssize_t)outlen || close(fd) != 0)
		fprintf(
		    stderr, "xauthtest: %s: %s\n", outpath, strerror(errno));
	else {
		printf("%d\n", n);
		rc = n == 0 ? 3 : 0;
	}
	free(copy);
	free(out);
	return rc;
}

static int
filter(int argc, char **argv)
{
	unsigned char *in;
	size_t inlen, outcap = XAUTH_OUTMAX;
	int rc;

	if (argc >= 2 && strcmp(argv[0], "-c") == 0) {
		outcap = number(argv[1]);
		argc -= 2;
		argv += 2;
	}
	if (argc != 5)
		usage();
	in = slurp(argv[0], &inlen);
	rc = run(in, inlen, strcmp(argv[2], "-") == 0 ? NULL : argv[2],
	    (unsigned)number(argv[3]), (unsigned)number(argv[4]), outcap,
	    argv[1], argv[0]);
	free(in);
	return rc;
}

/* Each proper prefix of the file, filtered: "LENGTH STATUS" lines. */
static int
prefixes(int argc, char **argv)
{
	unsigned char *in;
	size_t inlen, k;
	char name[64];

	if (argc != 4)
		usage();
	in = slurp(argv[0], &inlen);
	for (k = 1; k < inlen; k++) {
		snprintf(name, sizeof(name), "%zu bytes", k);
		printf("%zu %d\n", k,
		    run(in, k, strcmp(argv[1], "-") == 0 ? NULL : argv[1],
		        (unsigned)number(argv[2]), (unsigned)number(argv[3]),
		        XAUTH_OUTMAX, NULL, name));
	}
	free(in);
	return 0;
}

int
main(int argc, char **argv)
{
	const char *why;
	unsigned d;

	if (argc < 2)
		usage();
	if (strcmp(argv[1], "display") == 0) {
		if (argc != 3)
			usage();
		if (xauth_display(argv[2], &d, &why) != 0) {
			fprintf(stderr, "xauthtest: %s\n", why);
			return 1;
		}
		printf("%u\n", d);
		return 0;
	}
	if (strcmp(argv[1], "filter") == 0)
		return filter(argc - 2, argv + 2);
	if (strcmp(argv[1], "prefixes") == 0)
		return prefixes(argc - 2, argv + 2);
	usage();
	return 2;
}
