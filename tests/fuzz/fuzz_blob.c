/*
 * fuzz_blob.c - libFuzzer target for jailrun's blob verifier.
 *
 * Each input is verified twice: as it is, and with its checksum made
 * right (over the whole input), so that mutations get past the CRC-32 and reach
 * the op and string checks behind it.  A blob that passes is written in the
 * text form, read back and written again, which must give the same text.  A
 * crash, an out-of-bounds read (ASan), undefined behaviour (UBSan) or a round
 * trip that changes the blob is a finding; a refusal is not.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../runtime/blob.h"
#include "../../runtime/plantext.h"
#include "../../runtime/verify.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A verified blob, as text, read back and written again: the same text
 * (the blob may differ where its string table is laid out otherwise
 * than jailc lays it out, which the verifier does not forbid). */
static void
round_trip(const unsigned char *blob, size_t len)
{
	unsigned char *again;
	const char *why;
	char *text, *text2;
	size_t tlen, tlen2, alen;

	if (ptext_write(blob, len, &text, &tlen) != 0)
		abort();
	if (ptext_read(text, tlen, &again, &alen, &why) != 0 ||
	    run_verify(again, alen, &why) != 0 ||
	    ptext_write(again, alen, &text2, &tlen2) != 0)
		abort();
	if (tlen2 != tlen || memcmp(text, text2, tlen) != 0)
		abort();
	free(again);
	free(text);
	free(text2);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *why;
	unsigned char *copy;

	(void)run_verify(data, size, &why);
	if (size < BLOB_HEADER_SIZE)
		return 0;
	/* An exact copy, so that ASan sees reads past its end. */
	if ((copy = malloc(size)) == NULL)
		return 0;
	memcpy(copy, data, size);
	blob_put32(copy + BLOB_H_CRC, blob_checksum(copy, size));
	if (run_verify(copy, size, &why) == 0)
		round_trip(copy, size);
	free(copy);
	return 0;
}
