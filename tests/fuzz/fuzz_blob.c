/*
 * fuzz_blob.c - libFuzzer target for jailrun's blob verifier.
 *
 * Each input is verified twice: as it is, and with its checksum made
 * right, so that mutations get past the CRC-32 and reach the op and
 * string checks behind it.  A crash, an out-of-bounds read (ASan) or
 * undefined behaviour (UBSan) is a finding; a refusal is not.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../runtime/blob.h"
#include "../../runtime/verify.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *why;
	unsigned char *copy;
	uint32_t len;

	(void)run_verify(data, size, &why);
	if (size < BLOB_HEADER_SIZE)
		return 0;
	/* An exact copy, so that ASan sees reads past its end. */
	if ((copy = malloc(size)) == NULL)
		return 0;
	memcpy(copy, data, size);
	len = blob_get32(copy + BLOB_H_PAYLOAD_LEN);
	if (len <= size - BLOB_HEADER_SIZE)
		blob_put32(copy + BLOB_H_CRC,
		    blob_crc32(copy + BLOB_HEADER_SIZE, len));
	(void)run_verify(copy, size, &why);
	free(copy);
	return 0;
}
