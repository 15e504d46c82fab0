/*
 * netrule.h - the entries of network.allow and network.deny: their
 * syntax, their canonical text, and which host and port each matches.
 *
 * Included by: runtime/netrule.c, runtime/verify.c, compiler/profile.h
 * (so the compiler's stages that read the IR: lint, plan, explain,
 * diff, why), the tests, and jailrun's proxy when it has one.
 * Plain C11, libc only; nothing is allocated and nothing is global, so
 * both sides of the plan read an entry the same way.
 *
 * An entry is one of (jail(5), NETWORK):
 *   name            one host, any port
 *   name:port       one host, one port
 *   *.name[:port]   every host below name, not name itself
 *   a.b.c.d[:port]  one IPv4 address
 *   [v6][:port]     one IPv6 address, always in brackets
 * Names are ASCII (LDH labels of 1..63 characters, 253 in all),
 * compared without regard to case, with one trailing dot ignored.  A
 * name whose last label is a number is refused: resolvers read
 * "127.1" or "0x7f.1" as addresses.  An IPv4-mapped IPv6 address is
 * the IPv4 address.
 */
#ifndef JAILC_NETRULE_H
#define JAILC_NETRULE_H

#include <stddef.h>

/* What an entry or a host is. */
enum netrule_kind {
	NR_NAME, /* a host name: host */
	NR_WILD, /* every name below host (host holds no "*.") */
	NR_IP4,  /* addr[0..4) */
	NR_IP6,  /* addr[0..16) */
};

#define NETRULE_NAMEMAX 253 /* a name's length, without a trailing dot */
/* The longest canonical text of an entry: "*." name ":65535". */
#define NETRULE_TEXTMAX (2 + NETRULE_NAMEMAX + 6 + 1)

struct netrule {
	enum netrule_kind kind;
	char host[NETRULE_NAMEMAX + 1]; /* lower case; "" for addresses */
	unsigned char addr[16];
	unsigned port; /* 1..65535, or 0 for every port */
};

/* A requested host, normalised: what a rule is matched against. */
struct nethost {
	enum netrule_kind kind; /* NR_NAME, NR_IP4 or NR_IP6 */
	char name[NETRULE_NAMEMAX + 1];
	unsigned char addr[16];
};

/* Read one entry of network.allow or network.deny.  Returns 0, or -1
 * with why set to a static message that says what is wrong. */
int netrule_parse(const char *text, struct netrule *r, const char **why);

/* Write r's canonical text (what netrule_parse reads back as r) into
 * buf of size n.  Returns its length, or -1 when it does not fit. */
int netrule_format(const struct netrule *r, char *buf, size_t n);

/* Read a requested host: a name (one trailing dot dropped, lower case),
 * an IPv4 address as a.b.c.d, an IPv6 address with or without
 * brackets (an IPv4-mapped one becomes IPv4).  Returns 0, or -1 with
 * why set: such a host matches nothing. */
int netrule_host(const char *text, struct nethost *h, const char **why);

/* Write h's canonical text (names as they are, IPv6 without brackets,
 * RFC 5952 form) into buf of size n.  Returns its length, or -1. */
int netrule_hostfmt(const struct nethost *h, char *buf, size_t n);

/* Whether r matches host h on port (1..65535). */
int netrule_match(
    const struct netrule *r, const struct nethost *h, unsigned port);

/* Whether r names h itself on port: a match not through a wildcard.
 * The proxy lets a name through to a loopback or private address only
 * when an allow entry names it so. */
int netrule_explicit(
    const struct netrule *r, const struct nethost *h, unsigned port);

/* The verdict on h:port: NETRULE_DENY when a deny entry matches (deny
 * wins), NETRULE_ALLOW when an allow entry does, else NETRULE_NONE
 * (which the proxy refuses too).  *which is set to the index of the
 * deciding entry in its list. */
enum netrule_verdict { NETRULE_NONE, NETRULE_ALLOW, NETRULE_DENY };
enum netrule_verdict netrule_decide(const struct netrule *allow, size_t nallow,
    const struct netrule *deny, size_t ndeny, const struct nethost *h,
    unsigned port, size_t *which);

/* Whether address addr (IPv4 in addr[0..4) when v4, else IPv6) is one
 * the host keeps for itself or its networks: loopback, private,
 * link-local, shared, multicast, unspecified or reserved.  Returns NULL
 * for a public address, else a static word for what it is
 * ("loopback", "private", ...).  An IPv6 address that carries an IPv4
 * one (mapped, NAT64, 6to4) is judged by that. */
const char *netrule_special(const unsigned char *addr, int v4);

/* Whether wildcard r is so wide that it is a whole top-level or
 * public-suffix-like domain: one label ("*.com") or two where the first
 * is short and the second a country code ("*.co.uk"). */
int netrule_wide(const struct netrule *r);

#endif
