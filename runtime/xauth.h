/*
 * xauth.h - the X display a jail is given, and the one cookie it needs
 * from the user's Xauthority file.
 *
 * Included by: runtime/xauth.c, runtime/jailrun.c, tests/tools/xauthtest.c
 * and tests/fuzz/fuzz_xauth.c.  Plain C11, libc only; nothing is
 * allocated and nothing is global: input and output are the caller's
 * buffers.
 *
 * An Xauthority file is a sequence of records, each five fields:
 * family (16 bits, big-endian), then address, number, name and data,
 * each a 16-bit big-endian length and that many bytes.  A client on a
 * local display N looks (libXau's XauGetBestAuthByAddr, as libxcb calls
 * it) for the first record whose family is FamilyWild, or FamilyLocal
 * with the address its host name (never an empty one), and whose number is N in
 * decimal or empty, of the first kind of cookie it knows in its own order.
 *
 * Inside a jail the display has another number (the host's abstract
 * socket for N is out of its reach, see jail(5)) and the host name may
 * differ, so the cookie is written again as FamilyWild with an empty
 * address and the jail's display number.  The server compares only the
 * cookie's name and data.  Cookie data never appears in a message.
 */
#ifndef JAILC_XAUTH_H
#define JAILC_XAUTH_H

#include <stddef.h>

#define XAUTH_FAMILY_LOCAL 256   /* FamilyLocal: a unix socket on host */
#define XAUTH_FAMILY_WILD 65535  /* FamilyWild: any host */
#define XAUTH_FILEMAX (1U << 20) /* the largest file read, in bytes */
#define XAUTH_DISPLAYMAX 59535   /* the highest display with a TCP port */
/* The longest record xauth_filter writes: family, an empty address, a
 * number of five digits, a name and data of 65535 bytes each. */
#define XAUTH_OUTMAX (2 + 2 + (2 + 5) + 2 * (2 + 65535))

/* The local display that name (a DISPLAY value) names: ":N", ":N.S",
 * "unix:N" or "unix:N.S", N and S decimal without leading zeros, N at
 * most XAUTH_DISPLAYMAX.  Returns 0 with *display set, or -1 with why
 * set to a static message (a remote display, a socket path, not a
 * display name). */
int xauth_display(const char *name, unsigned *display, const char **why);

/* Read the Xauthority file in[0..inlen) whole and write into
 * out[0..outcap) the one record a client on local display `display` of
 * host `hostname` would use (MIT-MAGIC-COOKIE-1 first, then
 * XDM-AUTHORIZATION-1, the first of its kind in the file), as FamilyWild
 * with an empty address and number `newdisplay`.  hostname may be NULL:
 * then only FamilyWild records match.  Returns 1 with *outlen its
 * length, 0 with *outlen 0 when no record matches, or -1 with why set to
 * a static message when the file is truncated, longer than
 * XAUTH_FILEMAX, or the record does not fit in out. */
int xauth_filter(const unsigned char *in, size_t inlen, const char *hostname,
    unsigned display, unsigned newdisplay, unsigned char *out, size_t outcap,
    size_t *outlen, const char **why);

#endif
