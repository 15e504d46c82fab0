/*
 * hostprobe.c - runtime/host.c as the compiler's review code would use
 * it: an allocator that is plain malloc and an error callback that
 * records and returns, never exits.  tests/host.t runs it.
 *
 *   hostprobe vars             each variable, or "(none)", then each
 *                              problem reported
 *   hostprobe walk BASE REL    where a read-only pin of BASE/REL goes,
 *                              every path taken as writable
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../runtime/host.h"
#include "../../runtime/verify.h"

/* Every block on one list until exit, as jailrun keeps them: a leak
 * checker sees them still reachable. */
struct probe_chunk {
	struct probe_chunk *next;
	max_align_t mem[];
};

static struct probe_chunk *probe_chunks;

static void *
probe_alloc(void *arg, size_t n)
{
	struct probe_chunk *c = malloc(sizeof(*c) + (n > 0 ? n : 1));

	(void)arg;
	if (c == NULL) {
		fprintf(stderr, "hostprobe: out of memory\n");
		abort();
	}
	c->next = probe_chunks;
	probe_chunks = c;
	return c->mem;
}

static void
probe_error(void *arg, enum host_sev sev, const char *msg)
{
	static const char *const sevs[] = { "note", "fail", "fatal" };

	(void)arg;
	printf("problem %s: %s\n", sevs[sev], msg);
}

int
main(int argc, char **argv)
{
	static const char *const kinds[] = { "none", "path", "empty", "target",
		"link", "watch" };
	struct host_ctx ctx;
	struct host_pin pin;
	const char *val;
	unsigned v;

	if (host_init(&ctx, probe_alloc, probe_error, NULL) != 0)
		return 1;
	if (argc == 2 && strcmp(argv[1], "vars") == 0) {
		for (v = 1; v < BLOB_NVARS; v++) {
			if (v == BLOB_V_WORKDIR)
				continue;
			val = host_var(&ctx, v);
			printf("%s=%s\n", run_var_name(v),
			    val != NULL ? val : "(none)");
		}
		return 0;
	}
	if (argc == 4 && strcmp(argv[1], "walk") == 0) {
		host_pin_walk(&ctx, NULL, 1, argv[2], argv[3], 0, NULL, &pin);
		printf("%s %s\n", kinds[pin.kind],
		    pin.path != NULL ? pin.path : "-");
		return 0;
	}
	fprintf(stderr, "usage: hostprobe vars | walk BASE REL\n");
	return 2;
}
