/*
 * plantext_tool.c - turn a blob into its text form and back, for tests.
 *
 *   plantext text FILE   the verified blob FILE, as text, on stdout
 *   plantext blob FILE   the text form FILE, as a verified blob, on stdout
 *
 * Exit 0, 1 when the input is refused (the reason on stderr), 2 on a
 * usage or I/O error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../runtime/blob.h"
#include "../../runtime/plantext.h"
#include "../../runtime/verify.h"

static unsigned char *
slurp(const char *file, size_t *len)
{
	unsigned char *p = NULL, *np;
	size_t cap = 0, n;
	FILE *fp;

	if ((fp = fopen(file, "rb")) == NULL) {
		perror(file);
		exit(2);
	}
	*len = 0;
	for (;;) {
		if (cap - *len < 4096) {
			cap = cap > 0 ? cap * 2 : 65536;
			if ((np = realloc(p, cap)) == NULL) {
				perror("realloc");
				exit(2);
			}
			p = np;
		}
		n = fread(p + *len, 1, cap - *len, fp);
		*len += n;
		if (n == 0)
			break;
	}
	if (ferror(fp)) {
		perror(file);
		exit(2);
	}
	fclose(fp);
	return p;
}

int
main(int argc, char **argv)
{
	unsigned char *in, *blob;
	const char *why;
	char *text;
	size_t len, blen, tlen;

	if (argc != 3 ||
	    (strcmp(argv[1], "text") != 0 && strcmp(argv[1], "blob") != 0)) {
		fputs("usage: plantext text|blob FILE\n", stderr);
		return 2;
	}
	in = slurp(argv[2], &len);
	if (strcmp(argv[1], "text") == 0) {
		if (run_verify(in, len, &why) != 0) {
			fprintf(stderr, "plantext: %s: %s\n", argv[2], why);
			return 1;
		}
		if (ptext_write(in, len, &text, &tlen) != 0) {
			fputs("plantext: out of memory\n", stderr);
			return 2;
		}
		fwrite(text, 1, tlen, stdout);
		free(text);
	} else {
		if (ptext_read((const char *)in, len, &blob, &blen, &why) !=
		        0 ||
		    run_verify(blob, blen, &why) != 0) {
			fprintf(stderr, "plantext: %s: %s\n", argv[2], why);
			return 1;
		}
		fwrite(blob, 1, blen, stdout);
		free(blob);
	}
	free(in);
	return fflush(stdout) == 0 ? 0 : 2;
}
