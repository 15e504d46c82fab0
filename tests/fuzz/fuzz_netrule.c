/*
 * fuzz_netrule.c - libFuzzer target for runtime/netrule.c.
 *
 * Every input is read as an entry of network.allow and as a requested
 * host.  An entry that parses is written as its canonical text, which
 * must parse again to the same entry and be written the same way; a
 * host likewise.  An entry must match its own host when it names one.
 * A crash, an out-of-bounds read (ASan), undefined behaviour (UBSan) or
 * a failed round trip is a finding; a refusal is not.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../runtime/netrule.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text, buf[NETRULE_TEXTMAX], again[NETRULE_TEXTMAX];
	struct netrule r, r2;
	struct nethost h, h2;
	const char *why;
	int len;

	/* An exact copy, NUL-terminated, so that ASan sees reads past it. */
	if ((text = malloc(size + 1)) == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (netrule_parse(text, &r, &why) == 0) {
		if ((len = netrule_format(&r, buf, sizeof(buf))) <= 0 ||
		    (size_t)len >= sizeof(buf))
			abort();
		if (netrule_parse(buf, &r2, &why) != 0 ||
		    memcmp(&r, &r2, sizeof(r)) != 0)
			abort();
		if (netrule_format(&r2, again, sizeof(again)) != len ||
		    strcmp(buf, again) != 0)
			abort();
		if (r.kind != NR_WILD) {
			/* the entry's host, as a request, is matched */
			if (r.kind == NR_NAME)
				strcpy(again, r.host);
			else {
				h.kind = r.kind;
				memcpy(h.addr, r.addr, sizeof(h.addr));
				if (netrule_hostfmt(&h, again, sizeof(again)) <
				    0)
					abort();
			}
			if (netrule_host(again, &h2, &why) != 0 ||
			    !netrule_explicit(&r, &h2, r.port ? r.port : 1))
				abort();
		}
	}
	if (netrule_host(text, &h, &why) == 0) {
		if (netrule_hostfmt(&h, buf, sizeof(buf)) <= 0)
			abort();
		if (netrule_host(buf, &h2, &why) != 0 ||
		    memcmp(&h, &h2, sizeof(h)) != 0)
			abort();
		if (h.kind != NR_NAME)
			(void)netrule_special(h.addr, h.kind == NR_IP4);
	}
	free(text);
	return 0;
}
