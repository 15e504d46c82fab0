/*
 * fuzz_xauth.c - libFuzzer target for runtime/xauth.c.
 *
 * The first four bytes choose the display, the jail's display, the host
 * name and the room for the output; the rest is an Xauthority file.  A
 * record written must fit its room, and must come out of a second
 * filtering of itself byte for byte (it is FamilyWild for the jail's
 * display).  Every input is also read as a DISPLAY value; a display
 * number read must be in range and read back the same from ":N".  A
 * crash, an out-of-bounds access (ASan: the copies are exact), undefined
 * behaviour (UBSan) or a broken property is a finding; a refusal is not.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../runtime/xauth.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_display(const uint8_t *data, size_t size)
{
	char *text, again[32];
	const char *why;
	unsigned d, d2;

	if ((text = malloc(size + 1)) == NULL)
		return;
	memcpy(text, data, size);
	text[size] = '\0';
	if (xauth_display(text, &d, &why) == 0) {
		if (d > XAUTH_DISPLAYMAX)
			abort();
		snprintf(again, sizeof(again), ":%u", d);
		if (xauth_display(again, &d2, &why) != 0 || d2 != d)
			abort();
	}
	free(text);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const hosts[] = { NULL, "", "vm", "a" };
	unsigned char *in, *out, *out2;
	size_t inlen, outcap, outlen, outlen2;
	unsigned display, newdisplay;
	const char *host, *why;
	int n;

	check_display(data, size);
	if (size < 4)
		return 0;
	display = data[0] % 4;
	newdisplay = data[1];
	host = hosts[data[2] % 4];
	outcap = data[3] == 255 ? 65536 : data[3];
	inlen = size - 4;
	/* exact copies, so that ASan sees any access past them */
	in = malloc(inlen ? inlen : 1);
	out = malloc(outcap ? outcap : 1);
	out2 = malloc(outcap ? outcap : 1);
	if (in == NULL || out == NULL || out2 == NULL)
		abort();
	memcpy(in, data + 4, inlen);
	n = xauth_filter(
	    in, inlen, host, display, newdisplay, out, outcap, &outlen, &why);
	if (n < -1 || n > 1 || (n == 0 && outlen != 0) ||
	    (n == 1 && (outlen == 0 || outlen > outcap)) ||
	    (n < 0 && why == NULL))
		abort();
	if (n == 1) {
		if (xauth_filter(out, outlen, NULL, newdisplay, newdisplay,
		        out2, outcap, &outlen2, &why) != 1 ||
		    outlen2 != outlen || memcmp(out, out2, outlen) != 0)
			abort();
	}
	free(in);
	free(out);
	free(out2);
	return 0;
}
