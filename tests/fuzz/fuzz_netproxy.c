/*
 * fuzz_netproxy.c - libFuzzer target for the network proxy's request
 * parser (runtime/netproxy.c, np_parse).
 *
 * Every input is a request head from a client in the jail.  Besides a
 * crash, an out-of-bounds read (ASan) or undefined behaviour (UBSan),
 * a finding is an accepted head that breaks what the proxy relies on:
 * a head longer than the input, a host the rules could not name (empty,
 * or with bytes outside a name or an address), a port out of range, or
 * a rewritten plain-HTTP head that is not one CRLF-terminated head
 * without a Proxy-* field or a bare CR or LF.
 */
#include <ctype.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../../runtime/netproxy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct np_req rq;
	char *copy;
	size_t i;

	/* An exact copy, so that ASan sees reads past its end. */
	if ((copy = malloc(size > 0 ? size : 1)) == NULL)
		return 0;
	memcpy(copy, data, size);
	if (np_parse(copy, size, &rq) != NP_OK) {
		free(copy);
		return 0;
	}
	if (rq.headlen > size || rq.headlen > NP_HEADMAX || rq.port == 0 ||
	    rq.port > 65535 || rq.host[0] == '\0')
		abort();
	for (i = 0; rq.host[i] != '\0'; i++)
		if (!isalnum((unsigned char)rq.host[i]) &&
		    strchr("-_.:", rq.host[i]) == NULL)
			abort();
	if (rq.connect != (rq.out == NULL))
		abort();
	if (rq.out != NULL) {
		if (rq.outlen < 4 || strlen(rq.out) != rq.outlen ||
		    strcmp(rq.out + rq.outlen - 4, "\r\n\r\n") != 0 ||
		    strstr(rq.out, "\r\n\r\n") != rq.out + rq.outlen - 4)
			abort();
		for (i = 0; i < rq.outlen; i++) {
			if (rq.out[i] == '\r' && rq.out[i + 1] != '\n')
				abort();
			if (rq.out[i] == '\n' &&
			    (i == 0 || rq.out[i - 1] != '\r'))
				abort();
			if (rq.out[i] == '\n' &&
			    strncasecmp(rq.out + i + 1, "proxy-", 6) == 0)
				abort();
		}
	}
	np_req_free(&rq);
	free(copy);
	return 0;
}
