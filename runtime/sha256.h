/*
 * sha256.h - SHA-256 (FIPS 180-4) for the runtime, libc only.
 *
 * Included by: runtime/sha256.c, runtime/host.c, compiler/plan.c,
 * compiler/review.c and the tests.
 *
 * jailrun names a project by the first 16 hex digits of the SHA-256 of its
 * path.  No allocation; a struct sha256 may live on the stack.
 */
#ifndef JAILRUN_SHA256_H
#define JAILRUN_SHA256_H

#include <stddef.h>
#include <stdint.h>

struct sha256 {
	uint32_t h[8];         /* intermediate hash value */
	uint64_t len;          /* message length so far, in bytes */
	unsigned char buf[64]; /* the partial block not yet compressed */
	size_t nbuf;           /* bytes used in buf, always < 64 */
};

/* Start a new digest in s. */
void sha256_init(struct sha256 *s);
/* Append len bytes at data to the message. */
void sha256_update(struct sha256 *s, const void *data, size_t len);
/* Pad, write the 32-byte digest to out, and wipe s. */
void sha256_final(struct sha256 *s, unsigned char out[32]);
/* Digest of data[0..len) as 64 lowercase hex digits and a NUL. */
void sha256_hex(const void *data, size_t len, char out[65]);

#endif
