/*
 * plantext.h - the launch plan's two forms: building a blob, and the
 * text form the shell wrapper carries.
 *
 * Included by: runtime/plantext.c, runtime/jailrun.c, compiler/emit_blob.c,
 * compiler/emit_shell.c, compiler/main.c, tests/tools/plantext.c and the
 * fuzz targets.  Plain C11 and libc only.
 *
 * The text form is the blob, field for field, one op a line in the words
 * of runtime/optab.h (jailblob(5), TEXT FORM): a reader turns it into
 * the very bytes the blob writer makes, and jailrun verifies those with
 * run_verify() whichever form they came in, so both forms obey one set
 * of rules and run through one interpreter.
 */
#ifndef JAILC_PLANTEXT_H
#define JAILC_PLANTEXT_H

#include <stddef.h>
#include <stdint.h>

/* What a blob's header holds. */
struct pt_head {
	const char *version; /* the jailc that wrote it, at most 15 bytes */
	const char *name, *file, *bwrap;
	const char *cmdname; /* may be NULL */
	const char *git;     /* may be NULL */
	uint32_t flags;      /* BLOB_F_* */
	uint32_t argsfd;
	const char *dbusproxy; /* may be NULL */
};

/* One op record with its strings, before they get offsets. */
struct pt_op {
	unsigned op, flags, kind, var;
	uint32_t mode, fd; /* BLOB_NONE when not given */
	const char *s[3];  /* strings a, b, c; NULL when absent */
	size_t len[3];     /* their lengths (no NUL inside) */
	const char *where; /* "claude.jail:12", or NULL */
};

/* The blob of a header and n ops, in the one layout every writer uses:
 * records in order, then the strings, each op's a, b, c and position,
 * then the header's.  Returns 0 and a malloc'd *blob, or -1 with *why
 * set (too large, out of memory). */
int ptext_build(const struct pt_head *h, const struct pt_op *ops, size_t n,
    unsigned char **blob, size_t *len, const char **why);

/* The text form of a verified blob, malloc'd, NUL-terminated.  Returns
 * 0, or -1 when memory runs out. */
int ptext_write(
    const unsigned char *blob, size_t len, char **text, size_t *tlen);

/* The blob the text form at text (tlen bytes) stands for, malloc'd.
 * Returns 0, or -1 with *why set ("line 12: ..."; static, overwritten
 * by the next call).  The blob still has to pass run_verify(). */
int ptext_read(const char *text, size_t tlen, unsigned char **blob, size_t *len,
    const char **why);

/* Whether the bytes at p begin the text form ("jailplan "). */
int ptext_is_text(const unsigned char *p, size_t len);

#endif
