/*
 * verify.h - check a whole blob before jailrun acts on any of it.
 *
 * Included by: runtime/verify.c, runtime/jailrun.c, runtime/host.c and
 * fuzz targets.
 * Plain C11 and libc only.  No allocation: a fuzzer may call
 * run_verify() on any bytes, any number of times.
 */
#ifndef JAILRUN_VERIFY_H
#define JAILRUN_VERIFY_H

#include <stddef.h>

/* Check len bytes at blob against runtime/blob.h: header, sizes,
 * checksum, every op with exactly the fields it uses, every string in
 * bounds, every template and name well formed, every variable resolved
 * before it is used.  Returns 0, or -1 with *why set to a static
 * message (overwritten by the next call). */
int run_verify(const unsigned char *blob, size_t len, const char **why);

/* The name of variable v (enum blob_var), or NULL when out of range. */
const char *run_var_name(unsigned v);

/* The variable named by the len bytes at s, or 0 when none is. */
unsigned run_var_lookup(const char *s, size_t len);

/* Whether s is a shell variable name: [A-Za-z_][A-Za-z0-9_]*. */
int run_is_ident(const char *s);

#endif
