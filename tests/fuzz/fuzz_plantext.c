/*
 * fuzz_plantext.c - libFuzzer target for jailrun's text-plan reader.
 *
 * Every input is read as a text plan.  What the reader accepts and the
 * verifier passes is written as text again and read back: the second
 * blob must be the first, byte for byte, or the two forms could say
 * different things; that, a crash, an out-of-bounds read (ASan) or
 * undefined behaviour (UBSan) is a finding.  A refusal is not.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../runtime/blob.h"
#include "../../runtime/plantext.h"
#include "../../runtime/verify.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned char *blob, *again;
	const char *why;
	char *text, *copy;
	size_t len, alen, tlen;

	/* An exact copy, so that ASan sees reads past its end. */
	if ((copy = malloc(size > 0 ? size : 1)) == NULL)
		return 0;
	memcpy(copy, data, size);
	if (ptext_read(copy, size, &blob, &len, &why) != 0) {
		free(copy);
		return 0;
	}
	free(copy);
	if (run_verify(blob, len, &why) == 0) {
		if (ptext_write(blob, len, &text, &tlen) != 0)
			abort();
		if (ptext_read(text, tlen, &again, &alen, &why) != 0)
			abort();
		if (alen != len || memcmp(again, blob, len) != 0)
			abort();
		free(again);
		free(text);
	}
	free(blob);
	return 0;
}
