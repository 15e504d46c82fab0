/*
 * emit.h - the back ends: launch plan in, launcher out.
 *
 * Included by: emit_shell.c, emit_blob.c, main.c and the tests.  An emitter
 * sees the plan only, never the IR or the document tree.
 */
#ifndef JAILC_EMIT_H
#define JAILC_EMIT_H

#include "util.h"
#include "plan.h"

/* Append s[0..len) to b as one single-quoted bash word, byte for byte:
 * the only way a value from a profile reaches emitted shell. */
void sh_quote(struct buf *b, const char *s, size_t len);

/* Append the bash launcher for pl to b: a body for Nix's
 * writeShellApplication, or with standalone a complete script (a
 * shebang), that hands the plan's text form to the jailrun at path
 * jailrun. */
void emit_shell(
    struct buf *b, const struct plan *pl, const char *jailrun, int standalone);

/* Append the plan's text form to b (runtime/plantext.h): what the shell
 * launcher carries, and what -t plan shows. */
void emit_text(struct buf *b, const struct plan *pl);

/* Append the blob for pl to b (runtime/blob.h). */
void emit_blob(struct buf *b, const struct plan *pl);

/* Append a single-file launcher to b: the runtime's rlen bytes, the blob
 * for pl and the trailer that finds it. */
void emit_exe(
    struct buf *b, const char *runtime, size_t rlen, const struct plan *pl);

#endif
