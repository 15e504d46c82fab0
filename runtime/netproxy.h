/*
 * netproxy.h - the proxy of network.mode = "proxy": HTTP CONNECT and
 * absolute-form plain HTTP, filtered by the profile's network.allow and
 * network.deny, names resolved here on the host.
 *
 * Included by: runtime/netproxy.c, runtime/jailrun.c,
 * tests/tools/netproxy_test.c, tests/fuzz/fuzz_netproxy.c.  Needs
 * <stddef.h> and <stdio.h> first.  libc only (threads are libc's).
 */
#ifndef JAILC_NETPROXY_H
#define JAILC_NETPROXY_H

/* The most bytes of a request head (request line and headers). */
#define NP_HEADMAX 16384
/* The most header lines in one request. */
#define NP_HEADERS 100

/* What np_parse made of a request head. */
enum np_perr {
	NP_OK,     /* a whole, valid head: rq filled in */
	NP_MORE,   /* valid so far, but the empty line is not there yet */
	NP_BAD,    /* malformed: 400 */
	NP_BIG,    /* head or a line too long, too many headers: 431 */
	NP_SCHEME, /* absolute-form with a scheme other than http: 400 */
	NP_ORIGIN, /* origin-form: not a proxy request: 400 */
	NP_VERSION /* not HTTP/1.0 or HTTP/1.1: 505 */
};

struct np_req {
	int connect;    /* CONNECT host:port, else absolute-form HTTP */
	char host[256]; /* lower case, without brackets or trailing dot */
	int literal;    /* host is an IP address (4 or 6) */
	unsigned port;  /* 1-65535 */
	size_t headlen; /* bytes of the head, through its empty line */
	char *out;      /* plain HTTP: the head for the server (malloc) */
	size_t outlen;
};

/* The profile's lists, as the plan gives them (NETALLOW, NETDENY). */
struct np_cfg {
	const char *name; /* the jail's, for messages */
	const char *const *allow;
	size_t nallow;
	const char *const *deny;
	size_t ndeny;
	int head_ms; /* the time to send a request head; 0: 10 s */
	/* an upstream proxy's variables (getenv, or a test's own) */
	const char *(*getenv)(const char *);
};

struct np;

/* Parse the request head in buf[0..len); on NP_OK fill *rq (free its
 * out with np_req_free). */
enum np_perr np_parse(const char *buf, size_t len, struct np_req *rq);

/* Free what np_parse allocated in *rq. */
void np_req_free(struct np_req *rq);

/* Whether addr (struct sockaddr_in or _in6) is loopback, private,
 * link-local, multicast, unspecified or reserved (also v4-mapped). */
int np_addr_private(const void *sa);

/* A proxy for cfg (kept, not copied), with the upstream proxy its
 * getenv names; NULL and *why on a bad upstream setting. */
struct np *np_new(const struct np_cfg *cfg, const char **why);

/* Accept on the listening socket lfd and serve each connection in a
 * thread of its own; returns only on an accept error (errno). */
int np_serve(struct np *np, int lfd);

/* The refusals so far on f, at most a screen; nothing when none. */
void np_summary(struct np *np, FILE *f);

/* All refusals, one "COUNT HOST:PORT REASON" line each, on f; -1 on
 * a write error. */
int np_log(struct np *np, FILE *f);

/* The number of refused connections so far. */
unsigned long np_refused(struct np *np);

#endif
