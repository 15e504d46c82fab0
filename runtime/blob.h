/*
 * blob.h - the launch plan as bytes: what jailc writes and jailrun reads.
 *
 * Included by: compiler/emit_blob.c, compiler/emit_shell.c, runtime/jailrun.c,
 * runtime/verify.c, runtime/plantext.c, runtime/host.c and the tests.
 * Plain C11 and libc only: the runtime includes it too.
 *
 * A blob is a header, then the payload: nops fixed-size op records, then
 * a string table.  Every integer is little-endian, read and written byte
 * by byte through the helpers below, so the layout does not depend on a
 * compiler's struct packing or on the host's byte order.
 *
 *   offset size  header field
 *   0      8     magic "JAILBLOB"
 *   8      4     format version (BLOB_FORMAT)
 *   12     4     header size in bytes (BLOB_HEADER_SIZE)
 *   16     16    version of the jailc that wrote it, NUL-padded text
 *   32     4     payload length in bytes
 *   36     4     CRC-32 (IEEE 802.3, as zlib's crc32) of the whole
 *                 blob, header and payload, this field read as zero
 *   40     4     number of op records
 *   44     4     op record size in bytes (BLOB_OP_SIZE)
 *   48     4     flags: BLOB_F_STAYS
 *   52     4     descriptor bwrap reads its options from (3)
 *   56     4     string: the jail's name
 *   60     4     string: the profile file it was compiled from
 *   64     4     string: bwrap, a command name or an absolute path
 *   68     4     string: the command as written (for --jail-help)
 *   72     4     string: git, an absolute path, or 0: looked for in the
 *                 system directories (runtime/host.h)
 *   76     4     string: xdg-dbus-proxy, an absolute path, or 0: looked
 *                 for as git is
 *
 * The payload starts at BLOB_HEADER_SIZE: nops records of BLOB_OP_SIZE
 * bytes, then the string table, which runs to the end of the payload.
 * A string is an offset into the table; 0 means absent, and the table's
 * first byte is a NUL so that no string sits at 0.  Every string ends
 * with a NUL inside the table, and holds no other NUL.
 *
 *   offset size  op record field
 *   0      2     opcode (enum blob_op: the plan's ops, same numbers)
 *   2      2     flags: BLOB_OPT_*
 *   4      4     mount kind (enum blob_kind), for MOUNT, PROTECT and
 *                 GITPATH
 *   8      4     variable (enum blob_var), for VAR and WORKDIR
 *   12     4     mode (permission bits), or 0xffffffff when not given
 *   16     4     descriptor (GITCONFIG, DATA mounts, SECCOMP), or
 *                 0xffffffff
 *   20     4     string a: pattern, name, option word or source template
 *   24     4     string b: destination template, or set value template
 *   28     4     string c: data content (MOUNT of kind DATA, PROTECT),
 *                 the seccomp filter in hex (SECCOMP)
 *   32     4     string: where the profile asked for it ("claude.jail:12")
 *   36     4     reserved, zero
 *
 * A template is text in the plan's canonical form: "${NAME}" for a
 * variable (one of enum blob_var, by name), "$$" for a literal "$",
 * anything else literal.  The verifier rejects any other use of "$".
 *
 * What each op means is documented in compiler/plan.h; the string each
 * one uses is given with enum blob_op below.  jailrun checks all of it
 * (magic, version, sizes, checksum, every op known with the strings it
 * needs and no others, every offset in bounds, every template well
 * formed) before it does anything.
 */
#ifndef JAILC_BLOB_H
#define JAILC_BLOB_H

#include <stddef.h>
#include <stdint.h>

#include "optab.h"

#define BLOB_MAGIC "JAILBLOB"
#define BLOB_FORMAT 7
#define BLOB_HEADER_SIZE 80
#define BLOB_OP_SIZE 40
/* Limits a writer must keep and a reader enforces: a blob is small. */
#define BLOB_MAX_PAYLOAD (16u << 20)
#define BLOB_MAX_OPS 65536

/* Header field offsets. */
#define BLOB_H_MAGIC 0
#define BLOB_H_FORMAT 8
#define BLOB_H_HSIZE 12
#define BLOB_H_VERSION 16
#define BLOB_H_PAYLOAD_LEN 32
#define BLOB_H_CRC 36
#define BLOB_H_NOPS 40
#define BLOB_H_OPSIZE 44
#define BLOB_H_FLAGS 48
#define BLOB_H_ARGSFD 52
#define BLOB_H_NAME 56
#define BLOB_H_FILE 60
#define BLOB_H_BWRAP 64
#define BLOB_H_CMDNAME 68
#define BLOB_H_GIT 72
#define BLOB_H_DBUSPROXY 76

#define BLOB_F_STAYS 0x1 /* state.workdir: stay as parent, clean up */

/* Op record field offsets. */
#define BLOB_O_OP 0
#define BLOB_O_FLAGS 2
#define BLOB_O_KIND 4
#define BLOB_O_VAR 8
#define BLOB_O_MODE 12
#define BLOB_O_FD 16
#define BLOB_O_A 20
#define BLOB_O_B 24
#define BLOB_O_C 28
#define BLOB_O_WHERE 32

#define BLOB_NONE 0xffffffffu /* mode or descriptor not given */

#define BLOB_OPT_OPTIONAL 0x1 /* MOUNT: skip when the source is absent */
#define BLOB_OPT_DIR 0x4      /* PROTECT, GITPATH: a missing path: a dir */

/* The ops, mount kinds and variables, numbered as runtime/optab.h
 * lists them (the compiler's enums come from the same rows). */
enum blob_op {
#define X(id, name, need, tmpl, opts) BLOB_##id,
	OPTAB(X)
#undef X
	    BLOB_NOPS
};

enum blob_kind {
#define X(id, word, bw, bwtry, need, opts) BLOB_K_##id,
	MKTAB(X)
#undef X
	    BLOB_NKINDS
};

enum blob_var {
	BLOB_V_NONE,
#define X(id, deps) BLOB_V_##id,
	VARTAB(X)
#undef X
	    BLOB_NVARS
};

/*
 * A single-file launcher is jailrun with a blob appended, then this
 * trailer, the last BLOB_TRAILER_SIZE bytes of the file:
 *   0  8  magic "JAILEXE1"
 *   8  8  the blob's offset from the start of the file
 *  16  8  the blob's length
 */
#define BLOB_TRAILER_MAGIC "JAILEXE1"
#define BLOB_TRAILER_SIZE 24

static inline uint32_t
blob_get32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

static inline uint16_t
blob_get16(const unsigned char *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static inline uint64_t
blob_get64(const unsigned char *p)
{
	return (uint64_t)blob_get32(p) | (uint64_t)blob_get32(p + 4) << 32;
}

static inline void
blob_put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
	p[2] = (unsigned char)(v >> 16);
	p[3] = (unsigned char)(v >> 24);
}

static inline void
blob_put16(unsigned char *p, uint16_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
}

static inline void
blob_put64(unsigned char *p, uint64_t v)
{
	blob_put32(p, (uint32_t)v);
	blob_put32(p + 4, (uint32_t)(v >> 32));
}

/* The CRC-32 (reflected, polynomial 0xEDB88320, as zlib and gzip
 * compute it) crc of some bytes, extended by len bytes at p, bit by
 * bit: blobs are small.  crc is 0 for none. */
static inline uint32_t
blob_crc32_add(uint32_t crc, const unsigned char *p, size_t len)
{
	size_t i;
	int k;

	crc = ~crc;
	for (i = 0; i < len; i++) {
		crc ^= p[i];
		for (k = 0; k < 8; k++)
			crc = crc >> 1 ^ (0xedb88320u & (0u - (crc & 1u)));
	}
	return ~crc;
}

/* The CRC-32 of len bytes at p. */
static inline uint32_t
blob_crc32(const unsigned char *p, size_t len)
{
	return blob_crc32_add(0, p, len);
}

/* A blob's checksum: the CRC-32 of all its len bytes (at least a
 * header), the checksum field read as zero, so that no byte of the
 * header, the version text and the string offsets included, can change
 * unnoticed. */
static inline uint32_t
blob_checksum(const unsigned char *blob, size_t len)
{
	static const unsigned char zero[4];
	uint32_t crc;

	crc = blob_crc32_add(0, blob, BLOB_H_CRC);
	crc = blob_crc32_add(crc, zero, 4);
	return blob_crc32_add(crc, blob + BLOB_H_CRC + 4, len - BLOB_H_CRC - 4);
}

#endif
