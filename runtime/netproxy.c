/*
 * netproxy.c - the proxy of network.mode = "proxy" (jail(5), NETWORK).
 *
 * One thread per client connection.  A connection's work is a short,
 * blocking sequence -- read the head, resolve, connect, relay -- and
 * getaddrinfo(3) blocks with no portable way round it; a poll loop
 * would still need a resolver thread and a state machine per
 * connection, for no gain at an agent's scale (tens of connections).
 * A thread per connection keeps each step simple and lets a slow
 * lookup or a silent client stall only its own connection.  What one
 * connection may hold is bounded: NP_HEADMAX bytes of head, NP_CONNS
 * connections at once, a deadline on the head and on each connect.
 *
 * Names are resolved here, on the host, once; the address that passed
 * the checks is the one connected to (no second lookup, so no window
 * for a rebinding answer).  The proxy reads no payload beyond the
 * request head, keeps no secret of the jail's and logs only
 * host:port of what it refused.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "netproxy.h"
#include "netrule.h"

#define NP_CONNS 256          /* connections at once */
#define NP_HEAD_MS 10000      /* to send the whole head */
#define NP_CONNECT_MS 10000   /* to connect to one address */
#define NP_UPSTREAM_MS 30000  /* an upstream proxy's answer */
#define NP_PIPE 65536         /* bytes a relay pipe holds */
#define NP_STACK (256 * 1024) /* getaddrinfo's NSS modules want room */
#define NP_SCREEN 20          /* refusals np_summary lists */
#define NP_KEYS 4096          /* distinct refusals remembered */

struct np_refusal {
	char *key;    /* host:port */
	char *reason; /* "not in network.allow", ... */
	unsigned long count;
};

struct np_upstream {
	char host[256];
	char port[8];
	char *auth; /* "Basic ..." or NULL */
};

struct np {
	const struct np_cfg *cfg;
	struct netrule *allow, *deny; /* cfg's entries, parsed */
	struct np_upstream up_http, up_https;
	int has_http, has_https;
	char *noproxy; /* NO_PROXY, copied */
	pthread_mutex_t lock;
	unsigned conns;
	struct np_refusal *ref;
	size_t nref;
	unsigned long nrefused, dropped;
};

struct np_conn {
	struct np *np;
	int fd;
};

/* ---- the request head ---------------------------------------------- */

static int
np_tchar(int c)
{
	return isalnum(c) || (c != 0 && strchr("!#$%&'*+-.^_`|~", c) != NULL);
}

/* The port in s[0..n): 1-65535, digits only. */
static int
np_port(const char *s, size_t n, unsigned *port)
{
	unsigned v = 0;
	size_t i;

	if (n == 0 || n > 5)
		return -1;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (unsigned)(s[i] - '0');
	}
	if (v == 0 || v > 65535)
		return -1;
	*port = v;
	return 0;
}

/*
 * host[:port] in s[0..n) into rq.  A name is letters, digits, '-', '_'
 * and '.', at most 253 of them; one trailing dot is dropped.  Anything
 * made of digits and dots must be a dotted quad (getaddrinfo would read
 * "2130706433" or "127.1" as addresses the rules never name).  An IPv6
 * address is bracketed.  No user information, no percent-encoding.
 */
static int
np_authority(const char *s, size_t n, int needport, struct np_req *rq)
{
	const char *colon;
	unsigned char a6[16], a4[4];
	size_t hl, i;
	int digits = 1;

	if (n == 0)
		return -1;
	if (s[0] == '[') {
		const char *end = memchr(s, ']', n);

		if (end == NULL || (hl = (size_t)(end - s - 1)) == 0 ||
		    hl >= 64)
			return -1;
		memcpy(rq->host, s + 1, hl);
		rq->host[hl] = '\0';
		/* the canonical text, as rules and summaries show it */
		if (inet_pton(AF_INET6, rq->host, a6) != 1 ||
		    inet_ntop(AF_INET6, a6, rq->host, sizeof(rq->host)) == NULL)
			return -1;
		rq->literal = 1;
		colon = end + 1 < s + n ? end + 1 : NULL;
		if (colon != NULL && *colon != ':')
			return -1;
	} else {
		colon = memchr(s, ':', n);
		hl = colon != NULL ? (size_t)(colon - s) : n;
		if (hl == 0 || hl > 254)
			return -1;
		for (i = 0; i < hl; i++) {
			int c = (unsigned char)s[i];

			if (!isalnum(c) && c != '-' && c != '_' && c != '.')
				return -1;
			if (!isdigit(c) && c != '.')
				digits = 0;
			rq->host[i] = (char)tolower(c);
		}
		if (hl > 1 && rq->host[hl - 1] == '.')
			hl--;
		rq->host[hl] = '\0';
		if (hl > 253 || rq->host[0] == '.' || rq->host[hl - 1] == '.' ||
		    strstr(rq->host, "..") != NULL)
			return -1;
		if (digits) {
			if (inet_pton(AF_INET, rq->host, a4) != 1)
				return -1;
			rq->literal = 1;
		}
	}
	if (colon == NULL) {
		if (needport)
			return -1;
		rq->port = 80;
		return 0;
	}
	return np_port(colon + 1, (size_t)(s + n - colon - 1), &rq->port);
}

/* The host as netrule.c reads and writes it, so that what the rules
 * match, what is resolved and what summaries show are one text; a host
 * it refuses ("1.2.3.4.5", a numeric last label) is malformed. */
static int
np_canonical(struct np_req *rq)
{
	struct nethost h;
	const char *why;

	if (netrule_host(rq->host, &h, &why) != 0 ||
	    netrule_hostfmt(&h, rq->host, sizeof(rq->host)) < 0)
		return -1;
	rq->literal = h.kind != NR_NAME;
	return 0;
}

/* Whether header name s[0..n) is one the proxy drops: the client's
 * talk with the proxy (Proxy-*), hop-by-hop fields (RFC 9110 7.6.1),
 * and Host, which the proxy writes from the request's target. */
static int
np_dropped(const char *s, size_t n, const char *conn, size_t connlen)
{
	static const char *const hop[] = { "connection", "keep-alive", "te",
		"trailer", "upgrade", "host", NULL };
	size_t i;

	if (n >= 6 && strncasecmp(s, "proxy-", 6) == 0)
		return 1;
	for (i = 0; hop[i] != NULL; i++)
		if (strlen(hop[i]) == n && strncasecmp(s, hop[i], n) == 0)
			return 1;
	/* the fields the client's Connection header names */
	while (connlen > 0) {
		size_t t = 0;

		while (connlen > 0 &&
		    (*conn == ',' || *conn == ' ' || *conn == '\t')) {
			conn++;
			connlen--;
		}
		while (t < connlen && conn[t] != ',' && conn[t] != ' ' &&
		    conn[t] != '\t')
			t++;
		if (t == n && t > 0 && strncasecmp(conn, s, n) == 0)
			return 1;
		conn += t;
		connlen -= t;
	}
	return 0;
}

static int
np_append(struct np_req *rq, size_t *cap, const char *s, size_t n)
{
	if (rq->outlen + n + 1 > *cap) {
		size_t c = (*cap == 0 ? 1024 : *cap) * 2;
		char *p;

		while (c < rq->outlen + n + 1)
			c *= 2;
		if ((p = realloc(rq->out, c)) == NULL)
			return -1;
		rq->out = p;
		*cap = c;
	}
	memcpy(rq->out + rq->outlen, s, n);
	rq->outlen += n;
	rq->out[rq->outlen] = '\0';
	return 0;
}

enum np_perr
np_parse(const char *buf, size_t len, struct np_req *rq)
{
	const char *line[NP_HEADERS + 1], *p, *end, *sp1, *sp2, *target;
	size_t linelen[NP_HEADERS + 1], nline = 0, i, tlen, cap = 0;
	size_t mlen, conn = 0, connlen = 0;
	const char *connv = NULL;
	char portbuf[16];

	memset(rq, 0, sizeof(*rq));
	if (len > NP_HEADMAX)
		len = NP_HEADMAX;
	/* Lines end in CRLF; a bare CR or LF, a NUL or a control
	 * character is malformed.  The empty line ends the head. */
	p = buf;
	end = buf + len;
	for (;;) {
		const char *lf = memchr(p, '\n', (size_t)(end - p));
		size_t n;

		if (lf == NULL) {
			if (len >= NP_HEADMAX)
				return NP_BIG;
			for (; p < end; p++)
				if ((*p < ' ' && *p != '\t' && *p != '\r') ||
				    *p == 0x7f || (*p == '\r' && p + 1 < end))
					return NP_BAD;
			return NP_MORE;
		}
		if (lf == p || lf[-1] != '\r')
			return NP_BAD;
		n = (size_t)(lf - 1 - p);
		for (i = 0; i < n; i++)
			if (((unsigned char)p[i] < ' ' && p[i] != '\t') ||
			    p[i] == 0x7f)
				return NP_BAD;
		if (n == 0) {
			rq->headlen = (size_t)(lf + 1 - buf);
			break;
		}
		if (nline == NP_HEADERS + 1)
			return NP_BIG;
		line[nline] = p;
		linelen[nline++] = n;
		p = lf + 1;
	}
	if (nline == 0)
		return NP_BAD;

	/* METHOD SP request-target SP HTTP/1.x */
	p = line[0];
	end = p + linelen[0];
	if ((sp1 = memchr(p, ' ', linelen[0])) == NULL ||
	    (sp2 = memchr(sp1 + 1, ' ', (size_t)(end - sp1 - 1))) == NULL)
		return NP_BAD;
	mlen = (size_t)(sp1 - p);
	for (i = 0; i < mlen; i++)
		if (!np_tchar((unsigned char)p[i]))
			return NP_BAD;
	if (mlen == 0 || mlen > 32)
		return NP_BAD;
	if ((size_t)(end - sp2 - 1) != 8 || strncmp(sp2 + 1, "HTTP/1.", 7) ||
	    (sp2[8] != '0' && sp2[8] != '1')) {
		if ((size_t)(end - sp2 - 1) > 5 &&
		    !strncmp(sp2 + 1, "HTTP/", 5))
			return NP_VERSION;
		return NP_BAD;
	}
	target = sp1 + 1;
	tlen = (size_t)(sp2 - target);
	if (tlen == 0)
		return NP_BAD;
	for (i = 0; i < tlen; i++)
		if ((unsigned char)target[i] <= ' ' || target[i] == 0x7f)
			return NP_BAD;

	/* header fields: no obsolete line folding, a token name */
	for (i = 1; i < nline; i++) {
		const char *c = memchr(line[i], ':', linelen[i]);
		size_t k, nl;

		if (c == NULL || c == line[i])
			return NP_BAD;
		nl = (size_t)(c - line[i]);
		for (k = 0; k < nl; k++)
			if (!np_tchar((unsigned char)line[i][k]))
				return NP_BAD;
		if (nl == 10 && strncasecmp(line[i], "connection", 10) == 0) {
			if (connv != NULL)
				return NP_BAD;
			connv = c + 1;
			connlen = linelen[i] - nl - 1;
			conn = i;
		}
	}
	(void)conn;

	if (mlen == 7 && memcmp(p, "CONNECT", 7) == 0) {
		rq->connect = 1;
		if (np_authority(target, tlen, 1, rq) != 0 ||
		    np_canonical(rq) != 0)
			return NP_BAD;
		return NP_OK;
	}
	if (target[0] == '/' || target[0] == '*')
		return NP_ORIGIN;
	if (tlen < 7 || strncasecmp(target, "http://", 7) != 0) {
		const char *colon = memchr(target, ':', tlen);

		return colon != NULL && colon + 2 < target + tlen &&
		        colon[1] == '/' && colon[2] == '/'
		    ? NP_SCHEME
		    : NP_BAD;
	} else {
		const char *auth = target + 7, *tend = target + tlen, *path;
		size_t alen;

		path = auth;
		while (
		    path < tend && *path != '/' && *path != '?' && *path != '#')
			path++;
		alen = (size_t)(path - auth);
		if (memchr(auth, '@', alen) != NULL ||
		    np_authority(auth, alen, 0, rq) != 0 ||
		    np_canonical(rq) != 0)
			return NP_BAD;
		if (memchr(path, '#', (size_t)(tend - path)) != NULL)
			return NP_BAD;
		/* METHOD SP origin-form SP HTTP/1.x, Host from the
		 * target, the client's fields but the dropped ones, and
		 * one request per connection (Connection: close) */
		if (np_append(rq, &cap, p, mlen + 1) != 0)
			goto nomem;
		if (path == tend || *path != '/') {
			if (np_append(rq, &cap, "/", 1) != 0)
				goto nomem;
		}
		if (np_append(rq, &cap, path, (size_t)(tend - path)) != 0 ||
		    np_append(rq, &cap, " HTTP/1.1\r\nHost: ", 17) != 0)
			goto nomem;
		if (rq->literal && strchr(rq->host, ':') != NULL) {
			if (np_append(rq, &cap, "[", 1) != 0 ||
			    np_append(rq, &cap, rq->host, strlen(rq->host)) ||
			    np_append(rq, &cap, "]", 1) != 0)
				goto nomem;
		} else if (np_append(rq, &cap, rq->host, strlen(rq->host)))
			goto nomem;
		if (rq->port != 80) {
			snprintf(portbuf, sizeof(portbuf), ":%u", rq->port);
			if (np_append(rq, &cap, portbuf, strlen(portbuf)))
				goto nomem;
		}
		if (np_append(rq, &cap, "\r\n", 2) != 0)
			goto nomem;
		for (i = 1; i < nline; i++) {
			const char *c = memchr(line[i], ':', linelen[i]);

			if (np_dropped(
			        line[i], (size_t)(c - line[i]), connv, connlen))
				continue;
			if (np_append(rq, &cap, line[i], linelen[i]) != 0 ||
			    np_append(rq, &cap, "\r\n", 2) != 0)
				goto nomem;
		}
		if (np_append(rq, &cap, "Connection: close\r\n\r\n", 21) != 0)
			goto nomem;
		return NP_OK;
	}
nomem:
	np_req_free(rq);
	return NP_BIG;
}

void
np_req_free(struct np_req *rq)
{
	free(rq->out);
	rq->out = NULL;
	rq->outlen = 0;
}

/* ---- addresses ---------------------------------------------------- */

/* What kind of special address sa is (netrule_special), or NULL. */
static const char *
np_special(const void *sa)
{
	const struct sockaddr *s = sa;

	if (s->sa_family == AF_INET)
		return netrule_special(
		    (const unsigned char *)&((const struct sockaddr_in *)sa)
		        ->sin_addr,
		    1);
	if (s->sa_family == AF_INET6)
		return netrule_special(
		    ((const struct sockaddr_in6 *)sa)->sin6_addr.s6_addr, 0);
	return "unknown";
}

int
np_addr_private(const void *sa)
{
	return np_special(sa) != NULL;
}

/* The address's text, without brackets. */
static void
np_addr_text(const struct sockaddr *sa, char *buf, size_t n)
{
	const void *a = sa->sa_family == AF_INET
	    ? (const void *)&((const struct sockaddr_in *)sa)->sin_addr
	    : (const void *)&((const struct sockaddr_in6 *)sa)->sin6_addr;

	if (inet_ntop(sa->sa_family, a, buf, (socklen_t)n) == NULL)
		snprintf(buf, n, "?");
}

/* ---- the rules ---------------------------------------------------- */

/* The entries' syntax and matching are netrule.c's, which the compiler
 * shares: an entry means the same to jailc check and to the proxy. */

/* The first deny entry that matches host:port, as its canonical text
 * in buf, or NULL. */
static const char *
np_denied(
    const struct np *np, const char *host, unsigned port, char *buf, size_t n)
{
	struct nethost h;
	const char *why;
	size_t i;

	if (netrule_host(host, &h, &why) != 0)
		return NULL;
	for (i = 0; i < np->cfg->ndeny; i++)
		if (netrule_match(&np->deny[i], &h, port)) {
			if (netrule_format(&np->deny[i], buf, n) < 0)
				snprintf(buf, n, "%s", np->cfg->deny[i]);
			return buf;
		}
	return NULL;
}

/* Whether an allow entry matches host:port: 2 when one names it
 * itself (netrule_explicit), 1 when only a wildcard does, else 0. */
static int
np_allowed(const struct np *np, const char *host, unsigned port)
{
	struct nethost h;
	const char *why;
	size_t i;
	int best = 0;

	if (netrule_host(host, &h, &why) != 0)
		return 0;
	for (i = 0; i < np->cfg->nallow; i++) {
		if (netrule_explicit(&np->allow[i], &h, port))
			return 2;
		if (netrule_match(&np->allow[i], &h, port))
			best = 1;
	}
	return best;
}

/* ---- refusals ----------------------------------------------------- */

static void
np_count(struct np *np, const char *host, unsigned port, const char *reason)
{
	char key[300];
	size_t i;

	snprintf(key, sizeof(key), strchr(host, ':') ? "[%s]:%u" : "%s:%u",
	    host, port);
	pthread_mutex_lock(&np->lock);
	np->nrefused++;
	for (i = 0; i < np->nref; i++)
		if (strcmp(np->ref[i].key, key) == 0 &&
		    strcmp(np->ref[i].reason, reason) == 0) {
			np->ref[i].count++;
			goto out;
		}
	if (np->nref < NP_KEYS) {
		struct np_refusal *r =
		    realloc(np->ref, (np->nref + 1) * sizeof(*np->ref));

		if (r != NULL) {
			np->ref = r;
			r[np->nref].key = strdup(key);
			r[np->nref].reason = strdup(reason);
			r[np->nref].count = 1;
			if (r[np->nref].key != NULL &&
			    r[np->nref].reason != NULL) {
				np->nref++;
				goto out;
			}
			free(r[np->nref].key);
			free(r[np->nref].reason);
		}
	}
	np->dropped++;
out:
	pthread_mutex_unlock(&np->lock);
}

unsigned long
np_refused(struct np *np)
{
	unsigned long n;

	pthread_mutex_lock(&np->lock);
	n = np->nrefused;
	pthread_mutex_unlock(&np->lock);
	return n;
}

static int
np_bycount(const void *a, const void *b)
{
	const struct np_refusal *x = a, *y = b;

	if (x->count != y->count)
		return x->count < y->count ? 1 : -1;
	return strcmp(x->key, y->key);
}

void
np_summary(struct np *np, FILE *f)
{
	size_t i;

	pthread_mutex_lock(&np->lock);
	if (np->nrefused == 0) {
		pthread_mutex_unlock(&np->lock);
		return;
	}
	if (np->nref > 1)
		qsort(np->ref, np->nref, sizeof(*np->ref), np_bycount);
	fprintf(f,
	    "%s: the network proxy refused %lu connection%s "
	    "(network.allow in jail(5) says how to allow a host):\n",
	    np->cfg->name, np->nrefused, np->nrefused == 1 ? "" : "s");
	for (i = 0; i < np->nref && i < NP_SCREEN; i++)
		fprintf(f, "  %6lu  %s  %s\n", np->ref[i].count, np->ref[i].key,
		    np->ref[i].reason);
	if (np->nref > NP_SCREEN || np->dropped > 0)
		fprintf(f,
		    "  and %zu more host:port%s (--jail-net-log FILE "
		    "lists them)\n",
		    np->nref - (np->nref > NP_SCREEN ? NP_SCREEN : np->nref) +
		        (np->dropped > 0),
		    np->nref > NP_SCREEN + 1 ? "s" : "");
	pthread_mutex_unlock(&np->lock);
}

int
np_log(struct np *np, FILE *f)
{
	size_t i;

	pthread_mutex_lock(&np->lock);
	/* nothing refused: no table yet, and qsort takes no null pointer */
	if (np->nref > 1)
		qsort(np->ref, np->nref, sizeof(*np->ref), np_bycount);
	for (i = 0; i < np->nref; i++)
		fprintf(f, "%lu %s %s\n", np->ref[i].count, np->ref[i].key,
		    np->ref[i].reason);
	if (np->dropped > 0)
		fprintf(f, "%lu others (more than %d host:port pairs)\n",
		    np->dropped, NP_KEYS);
	pthread_mutex_unlock(&np->lock);
	return fflush(f) == 0 && !ferror(f) ? 0 : -1;
}

/* ---- sockets ------------------------------------------------------ */

static long long
np_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Wait for events on fd until the deadline (ms, np_now's clock). */
static int
np_wait(int fd, short events, long long deadline)
{
	struct pollfd p;
	long long left;
	int r;

	for (;;) {
		if ((left = deadline - np_now()) <= 0) {
			errno = ETIMEDOUT;
			return -1;
		}
		p.fd = fd;
		p.events = events;
		if ((r = poll(&p, 1, (int)left)) > 0)
			return 0;
		if (r < 0 && errno != EINTR)
			return -1;
	}
}

/* All of s[0..n) to the non-blocking socket fd, by the deadline. */
static int
np_send(int fd, const char *s, size_t n, long long deadline)
{
	ssize_t w;

	while (n > 0) {
		if ((w = send(fd, s, n, MSG_NOSIGNAL)) > 0) {
			s += w;
			n -= (size_t)w;
		} else if (w < 0 && (errno == EAGAIN || errno == EINTR)) {
			if (np_wait(fd, POLLOUT, deadline) != 0)
				return -1;
		} else
			return -1;
	}
	return 0;
}

/*
 * An answer from the proxy itself, and the connection ends.  The text
 * is both the status line's phrase (what curl -v and most clients'
 * proxy errors show: a tunnel's body is rarely shown) and the one-line
 * body; bytes that could not stand in a status line become '?'.  The
 * client's unread bytes are drained for a moment before the close, or
 * its kernel could take a reset for the answer.
 */
static void
np_reply(int fd, int code, const char *text)
{
	char buf[2048], safe[512];
	size_t i;
	int n;

	for (i = 0; text[i] != '\0' && i < sizeof(safe) - 1; i++)
		safe[i] = (unsigned char)text[i] < ' ' ||
		        (unsigned char)text[i] >= 0x7f
		    ? '?'
		    : text[i];
	safe[i] = '\0';
	n = snprintf(buf, sizeof(buf),
	    "HTTP/1.1 %d %s\r\nContent-Type: text/plain\r\n"
	    "Content-Length: %zu\r\nConnection: close\r\n\r\n%s\n",
	    code, safe, strlen(safe) + 1, safe);
	if (n > 0 && (size_t)n < sizeof(buf) &&
	    np_send(fd, buf, (size_t)n, np_now() + 2000) == 0) {
		long long deadline = np_now() + 1000;
		size_t drained = 0;
		ssize_t r;

		(void)shutdown(fd, SHUT_WR);
		while (drained < 1048576 &&
		    np_wait(fd, POLLIN, deadline) == 0 &&
		    (r = recv(fd, buf, sizeof(buf), 0)) > 0)
			drained += (size_t)r;
	}
}

/* A refusal: 403, naming the rule.  host is checked text (np_authority). */
static void
np_refuse(
    struct np *np, int fd, const char *host, unsigned port, const char *reason)
{
	char text[512];

	snprintf(text, sizeof(text),
	    strchr(host, ':') ? "%s: [%s]:%u %s" : "%s: %s:%u %s",
	    np->cfg->name, host, port, reason);
	np_count(np, host, port, reason);
	np_reply(fd, 403, text);
}

/* Connect to one address by the deadline; a non-blocking socket or -1. */
static int
np_connect(const struct sockaddr *sa, socklen_t len, long long deadline)
{
	int fd, err = 0;
	socklen_t el = sizeof(err);

	if ((fd = socket(sa->sa_family,
	         SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0)) < 0)
		return -1;
	if (connect(fd, sa, len) != 0) {
		if (errno != EINPROGRESS ||
		    np_wait(fd, POLLOUT, deadline) != 0 ||
		    getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &el) != 0 ||
		    err != 0) {
			if (err != 0)
				errno = err;
			err = errno;
			close(fd);
			errno = err;
			return -1;
		}
	}
	return fd;
}

/* ---- the upstream proxy ------------------------------------------- */

static const char np_b64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static int
np_unhex(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* "Basic " and base64 of the percent-decoded user:password s[0..n). */
static char *
np_basic(const char *s, size_t n)
{
	unsigned char *raw;
	char *out, *o;
	size_t i, m = 0;

	if ((raw = malloc(n + 1)) == NULL ||
	    (out = malloc(6 + (n + 2) / 3 * 4 + 1)) == NULL) {
		free(raw);
		return NULL;
	}
	for (i = 0; i < n; i++) {
		if (s[i] == '%' && i + 2 < n && np_unhex(s[i + 1]) >= 0 &&
		    np_unhex(s[i + 2]) >= 0) {
			raw[m++] = (unsigned char)(np_unhex(s[i + 1]) * 16 +
			    np_unhex(s[i + 2]));
			i += 2;
		} else
			raw[m++] = (unsigned char)s[i];
	}
	memcpy(out, "Basic ", 6);
	o = out + 6;
	for (i = 0; i < m; i += 3) {
		unsigned v = (unsigned)raw[i] << 16;

		if (i + 1 < m)
			v |= (unsigned)raw[i + 1] << 8;
		if (i + 2 < m)
			v |= raw[i + 2];
		*o++ = np_b64[v >> 18 & 63];
		*o++ = np_b64[v >> 12 & 63];
		*o++ = i + 1 < m ? np_b64[v >> 6 & 63] : '=';
		*o++ = i + 2 < m ? np_b64[v & 63] : '=';
	}
	*o = '\0';
	explicit_bzero(raw, n + 1);
	free(raw);
	return out;
}

/*
 * An upstream proxy URL: [http://][user:password@]host[:port][/].  Only
 * a plain-HTTP proxy is spoken to (CONNECT); anything else is refused
 * at the start rather than bypassed.
 */
static int
np_upstream(const char *url, struct np_upstream *up, const char **why)
{
	const char *s = url, *at, *end, *hp, *colon;
	size_t n;

	memset(up, 0, sizeof(*up));
	if ((end = strstr(s, "://")) != NULL) {
		if ((size_t)(end - s) != 4 || strncasecmp(s, "http", 4) != 0) {
			*why = "an upstream proxy other than http:// "
			       "(HTTPS_PROXY and friends) is not supported";
			return -1;
		}
		s = end + 3;
	}
	end = s + strcspn(s, "/");
	at = memchr(s, '@', (size_t)(end - s));
	hp = at != NULL ? at + 1 : s;
	if (at != NULL && (up->auth = np_basic(s, (size_t)(at - s))) == NULL) {
		*why = "out of memory";
		return -1;
	}
	if (*hp == '[') {
		const char *rb = memchr(hp, ']', (size_t)(end - hp));

		if (rb == NULL)
			goto bad;
		n = (size_t)(rb - hp - 1);
		if (n == 0 || n >= sizeof(up->host))
			goto bad;
		memcpy(up->host, hp + 1, n);
		colon = rb + 1 < end && rb[1] == ':' ? rb + 1 : NULL;
		if (rb + 1 < end && colon == NULL)
			goto bad;
	} else {
		colon = memchr(hp, ':', (size_t)(end - hp));
		n = (size_t)((colon != NULL ? colon : end) - hp);
		if (n == 0 || n >= sizeof(up->host))
			goto bad;
		memcpy(up->host, hp, n);
	}
	if (colon != NULL) {
		unsigned port;

		if (np_port(colon + 1, (size_t)(end - colon - 1), &port) != 0)
			goto bad;
		snprintf(up->port, sizeof(up->port), "%u", port);
	} else
		snprintf(up->port, sizeof(up->port), "80");
	return 0;
bad:
	free(up->auth);
	up->auth = NULL;
	*why = "the upstream proxy's address (HTTPS_PROXY and friends) is "
	       "malformed";
	return -1;
}

/* The first of the names that getenv gives, or NULL. */
static const char *
np_env(const struct np_cfg *cfg, const char *a, const char *b, const char *c,
    const char *d)
{
	const char *v;

	if ((v = cfg->getenv(a)) != NULL && *v != '\0')
		return v;
	if ((v = cfg->getenv(b)) != NULL && *v != '\0')
		return v;
	if ((v = cfg->getenv(c)) != NULL && *v != '\0')
		return v;
	if ((v = cfg->getenv(d)) != NULL && *v != '\0')
		return v;
	return NULL;
}

/* Whether NO_PROXY sends host (lower case) past the upstream proxy:
 * "*", a name (it and its subdomains; a leading dot is the same), or
 * an address, each with an optional :port. */
static int
np_noproxy(const struct np *np, const char *host, unsigned port)
{
	const char *s = np->noproxy;

	while (s != NULL && *s != '\0') {
		size_t n = strcspn(s, ","), hl, k;
		const char *e = s, *colon;
		unsigned p = 0;

		while (n > 0 && (*e == ' ' || *e == '\t')) {
			e++;
			n--;
		}
		while (n > 0 && (e[n - 1] == ' ' || e[n - 1] == '\t'))
			n--;
		if (n == 1 && *e == '*')
			return 1;
		if (n > 0 && *e == '[') {
			e++;
			n--;
		}
		colon = n > 0 ? memchr(e, ':', n) : NULL;
		if (colon != NULL &&
		    memchr(colon + 1, ':', (size_t)(e + n - colon - 1)) != NULL)
			colon = NULL; /* a bare IPv6 address */
		hl = colon != NULL ? (size_t)(colon - e) : n;
		if (hl > 0 && e[hl - 1] == ']')
			hl--;
		if (colon != NULL &&
		    np_port(colon + 1, (size_t)(e + n - colon - 1), &p) != 0)
			goto next;
		if (hl > 0 && *e == '.') {
			e++;
			hl--;
		}
		if (hl == 0 || (p != 0 && p != port))
			goto next;
		k = strlen(host);
		if (k >= hl && strncasecmp(host + k - hl, e, hl) == 0 &&
		    (k == hl || host[k - hl - 1] == '.'))
			return 1;
next:
		s += strcspn(s, ",");
		if (*s == ',')
			s++;
	}
	return 0;
}

struct np *
np_new(const struct np_cfg *cfg, const char **why)
{
	struct np *np;
	const char *v;
	size_t i;

	if ((np = calloc(1, sizeof(*np))) == NULL) {
		*why = "out of memory";
		return NULL;
	}
	np->cfg = cfg;
	pthread_mutex_init(&np->lock, NULL);
	if ((np->allow = calloc(cfg->nallow + 1, sizeof(*np->allow))) == NULL ||
	    (np->deny = calloc(cfg->ndeny + 1, sizeof(*np->deny))) == NULL) {
		*why = "out of memory";
		goto fail;
	}
	for (i = 0; i < cfg->nallow; i++)
		if (netrule_parse(cfg->allow[i], &np->allow[i], why) != 0)
			goto fail;
	for (i = 0; i < cfg->ndeny; i++)
		if (netrule_parse(cfg->deny[i], &np->deny[i], why) != 0)
			goto fail;
	if ((v = np_env(cfg, "https_proxy", "HTTPS_PROXY", "all_proxy",
	         "ALL_PROXY")) != NULL) {
		if (np_upstream(v, &np->up_https, why) != 0)
			goto fail;
		np->has_https = 1;
	}
	if ((v = np_env(cfg, "http_proxy", "HTTP_PROXY", "all_proxy",
	         "ALL_PROXY")) != NULL) {
		if (np_upstream(v, &np->up_http, why) != 0)
			goto fail;
		np->has_http = 1;
	}
	if ((v = np_env(cfg, "no_proxy", "NO_PROXY", "no_proxy", "NO_PROXY")) !=
	        NULL &&
	    (np->noproxy = strdup(v)) == NULL) {
		*why = "out of memory";
		goto fail;
	}
	return np;
fail:
	free(np->allow);
	free(np->deny);
	free(np->up_http.auth);
	free(np->up_https.auth);
	free(np);
	return NULL;
}

/*
 * Through the upstream proxy: CONNECT host:port, and its answer's head
 * read exactly (peeked, then consumed), so that no byte of the tunnel
 * is lost.  A socket, or -1 with the reason in why.
 */
static int
np_via(const struct np_upstream *up, const char *host, unsigned port, char *why,
    size_t whylen)
{
	struct addrinfo hints, *res, *ai;
	char buf[4096];
	long long deadline = np_now() + NP_UPSTREAM_MS;
	const char *b6 = strchr(host, ':') ? "[" : "", *e6 = *b6 ? "]" : "";
	int fd = -1, n, code;
	ssize_t r;
	char *eoh;

	memset(&hints, 0, sizeof(hints));
	hints.ai_socktype = SOCK_STREAM;
	if (getaddrinfo(up->host, up->port, &hints, &res) != 0) {
		snprintf(why, whylen, "cannot resolve the upstream proxy %s",
		    up->host);
		return -1;
	}
	for (ai = res; ai != NULL && fd < 0; ai = ai->ai_next)
		fd = np_connect(
		    ai->ai_addr, ai->ai_addrlen, np_now() + NP_CONNECT_MS);
	freeaddrinfo(res);
	if (fd < 0) {
		snprintf(why, whylen,
		    "cannot connect to the upstream proxy "
		    "%s:%s",
		    up->host, up->port);
		return -1;
	}
	n = snprintf(buf, sizeof(buf),
	    "CONNECT %s%s%s:%u HTTP/1.1\r\nHost: %s%s%s:%u\r\n%s%s%s\r\n", b6,
	    host, e6, port, b6, host, e6, port,
	    up->auth != NULL ? "Proxy-Authorization: " : "",
	    up->auth != NULL ? up->auth : "", up->auth != NULL ? "\r\n" : "");
	if (n < 0 || (size_t)n >= sizeof(buf) ||
	    np_send(fd, buf, (size_t)n, deadline) != 0)
		goto fail;
	explicit_bzero(buf, sizeof(buf));
	for (;;) {
		if (np_wait(fd, POLLIN, deadline) != 0)
			goto fail;
		if ((r = recv(fd, buf, sizeof(buf) - 1, MSG_PEEK)) <= 0) {
			if (r < 0 && errno == EINTR)
				continue;
			goto fail;
		}
		buf[r] = '\0';
		if ((eoh = strstr(buf, "\r\n\r\n")) != NULL)
			break;
		if ((size_t)r == sizeof(buf) - 1)
			goto fail;
		/* wait for more than is there */
		usleep(1000);
	}
	if (recv(fd, buf, (size_t)(eoh + 4 - buf), 0) != eoh + 4 - buf)
		goto fail;
	*eoh = '\0';
	if (sscanf(buf, "HTTP/1.%*1[01] %3d", &code) != 1 || code < 200 ||
	    code > 299) {
		char *cr = strchr(buf, '\r');

		if (cr != NULL)
			*cr = '\0';
		snprintf(
		    why, whylen, "the upstream proxy answered: %.200s", buf);
		close(fd);
		return -1;
	}
	return fd;
fail:
	snprintf(why, whylen, "no answer from the upstream proxy %s:%s",
	    up->host, up->port);
	close(fd);
	return -1;
}

/* ---- relaying ----------------------------------------------------- */

struct np_dir {
	int from, to;
	int pipe[2];
	size_t inpipe;
	int eof, done;
};

/*
 * Both directions through a pipe each with splice(2): the bytes go
 * socket to pipe to socket inside the kernel, never through this
 * process's memory.  One direction's end of input is passed on as a
 * half-close (shutdown SHUT_WR) once its pipe is empty; the relay ends
 * when both directions have, or on any error.
 */
static void
np_relay(int a, int b)
{
	struct np_dir d[2] = { { a, b, { -1, -1 }, 0, 0, 0 },
		{ b, a, { -1, -1 }, 0, 0, 0 } };
	struct pollfd p[2];
	int i;
	ssize_t n;

	for (i = 0; i < 2; i++)
		if (pipe2(d[i].pipe, O_CLOEXEC | O_NONBLOCK) != 0)
			goto out;
	(void)fcntl(d[0].pipe[1], F_SETPIPE_SZ, NP_PIPE);
	(void)fcntl(d[1].pipe[1], F_SETPIPE_SZ, NP_PIPE);
	while (!d[0].done || !d[1].done) {
		/* p[k] is socket k: read for the direction from it,
		 * write for the one to it */
		p[0].fd = a;
		p[1].fd = b;
		p[0].events = p[1].events = 0;
		for (i = 0; i < 2; i++) {
			int from = i, to = 1 - i;

			if (d[i].done)
				continue;
			if (d[i].inpipe > 0)
				p[to].events |= POLLOUT;
			else if (!d[i].eof)
				p[from].events |= POLLIN;
		}
		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			goto out;
		}
		for (i = 0; i < 2; i++) {
			if (d[i].done)
				continue;
			if (d[i].inpipe == 0 && !d[i].eof) {
				n = splice(d[i].from, NULL, d[i].pipe[1], NULL,
				    NP_PIPE, SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
				if (n > 0)
					d[i].inpipe = (size_t)n;
				else if (n == 0)
					d[i].eof = 1;
				else if (errno != EAGAIN && errno != EINTR)
					goto out;
			}
			if (d[i].inpipe > 0) {
				n = splice(d[i].pipe[0], NULL, d[i].to, NULL,
				    d[i].inpipe,
				    SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
				if (n > 0)
					d[i].inpipe -= (size_t)n;
				else if (n == 0 ||
				    (errno != EAGAIN && errno != EINTR))
					goto out;
			}
			if (d[i].eof && d[i].inpipe == 0) {
				(void)shutdown(d[i].to, SHUT_WR);
				d[i].done = 1;
			}
		}
	}
out:
	for (i = 0; i < 2; i++) {
		if (d[i].pipe[0] >= 0)
			close(d[i].pipe[0]);
		if (d[i].pipe[1] >= 0)
			close(d[i].pipe[1]);
	}
}

/* ---- one connection ----------------------------------------------- */

/* Connect to host:port directly, checking each address it resolves
 * to; the socket, or -1 after answering the client. */
static int
np_direct(struct np *np, int cfd, const struct np_req *rq, int exact)
{
	struct addrinfo hints, *res, *ai;
	char addr[INET6_ADDRSTRLEN], text[400], dbuf[NETRULE_TEXTMAX];
	const char *deny, *special = NULL, *sp;
	int fd = -1, e = 0;
	long long deadline;

	memset(&hints, 0, sizeof(hints));
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = rq->literal ? AI_NUMERICHOST : AI_ADDRCONFIG;
	if ((e = getaddrinfo(rq->host, NULL, &hints, &res)) != 0) {
		snprintf(text, sizeof(text), "%s: cannot resolve %s: %s",
		    np->cfg->name, rq->host, gai_strerror(e));
		np_reply(cfd, 502, text);
		return -1;
	}
	for (ai = res; ai != NULL && fd < 0; ai = ai->ai_next) {
		if (ai->ai_family != AF_INET && ai->ai_family != AF_INET6)
			continue;
		np_addr_text(ai->ai_addr, addr, sizeof(addr));
		if ((deny = np_denied(
		         np, addr, rq->port, dbuf, sizeof(dbuf))) != NULL) {
			freeaddrinfo(res);
			snprintf(text, sizeof(text),
			    "resolves to %s, denied by network.deny entry %s",
			    addr, deny);
			np_refuse(np, cfd, rq->host, rq->port, text);
			return -1;
		}
		if ((sp = np_special(ai->ai_addr)) != NULL && !exact &&
		    np_allowed(np, addr, rq->port) != 2) {
			special = sp;
			continue;
		}
		if (ai->ai_family == AF_INET)
			((struct sockaddr_in *)ai->ai_addr)->sin_port =
			    htons((unsigned short)rq->port);
		else
			((struct sockaddr_in6 *)ai->ai_addr)->sin6_port =
			    htons((unsigned short)rq->port);
		deadline = np_now() + NP_CONNECT_MS;
		fd = np_connect(ai->ai_addr, ai->ai_addrlen, deadline);
		e = errno;
	}
	if (fd < 0 && special != NULL) {
		snprintf(text, sizeof(text),
		    "resolves to a %s address (%s); name it exactly in "
		    "network.allow to allow",
		    special, addr);
		freeaddrinfo(res);
		np_refuse(np, cfd, rq->host, rq->port, text);
		return -1;
	}
	freeaddrinfo(res);
	if (fd < 0) {
		snprintf(text, sizeof(text), "%s: cannot connect to %s:%u: %s",
		    np->cfg->name, rq->host, rq->port, strerror(e));
		np_reply(cfd, 502, text);
	}
	return fd;
}

static void *
np_conn(void *arg)
{
	struct np_conn *c = arg;
	struct np *np = c->np;
	struct np_req rq;
	char *buf, text[400], dbuf[NETRULE_TEXTMAX];
	const char *deny;
	size_t have = 0;
	long long deadline =
	    np_now() + (np->cfg->head_ms > 0 ? np->cfg->head_ms : NP_HEAD_MS);
	enum np_perr pe = NP_MORE;
	int cfd = c->fd, sfd = -1, exact, one = 1;
	ssize_t r;

	free(c);
	memset(&rq, 0, sizeof(rq));
	if ((buf = malloc(NP_HEADMAX)) == NULL)
		goto out;
	while (pe == NP_MORE && have < NP_HEADMAX) {
		if (np_wait(cfd, POLLIN, deadline) != 0) {
			if (errno == ETIMEDOUT)
				np_reply(
				    cfd, 408, "the request head took too long");
			goto out;
		}
		r = recv(cfd, buf + have, NP_HEADMAX - have, 0);
		if (r < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (r <= 0)
			goto out;
		have += (size_t)r;
		pe = np_parse(buf, have, &rq);
	}
	switch (pe) {
	case NP_OK:
		break;
	case NP_MORE:
	case NP_BIG:
		np_reply(cfd, 431, "the request head is too large");
		goto out;
	case NP_VERSION:
		np_reply(cfd, 505, "HTTP/1.0 and HTTP/1.1 only");
		goto out;
	case NP_SCHEME:
		np_reply(cfd, 400,
		    "plain http:// requests or CONNECT only (https:// goes "
		    "through CONNECT)");
		goto out;
	case NP_ORIGIN:
		np_reply(cfd, 400,
		    "this is a proxy: CONNECT host:port or an absolute "
		    "http:// URL");
		goto out;
	case NP_BAD:
		np_reply(cfd, 400, "malformed request");
		goto out;
	}

	/* deny first, then the allowlist */
	if ((deny = np_denied(np, rq.host, rq.port, dbuf, sizeof(dbuf))) !=
	    NULL) {
		snprintf(text, sizeof(text), "denied by network.deny entry %s",
		    deny);
		np_refuse(np, cfd, rq.host, rq.port, text);
		goto out;
	}
	if ((exact = np_allowed(np, rq.host, rq.port)) == 0) {
		np_refuse(np, cfd, rq.host, rq.port, "not in network.allow");
		goto out;
	}
	exact = exact == 2;
	if ((rq.connect ? np->has_https : np->has_http) &&
	    !np_noproxy(np, rq.host, rq.port)) {
		/* The upstream proxy resolves names: only an address
		 * literal can be checked here. */
		if (rq.literal && !exact) {
			struct addrinfo hints, *res;

			memset(&hints, 0, sizeof(hints));
			hints.ai_flags = AI_NUMERICHOST;
			if (getaddrinfo(rq.host, NULL, &hints, &res) == 0) {
				const char *sp = np_special(res->ai_addr);

				freeaddrinfo(res);
				if (sp != NULL) {
					snprintf(text, sizeof(text),
					    "is a %s address; name it exactly "
					    "in network.allow to allow",
					    sp);
					np_refuse(
					    np, cfd, rq.host, rq.port, text);
					goto out;
				}
			}
		}
		sfd = np_via(rq.connect ? &np->up_https : &np->up_http, rq.host,
		    rq.port, text, sizeof(text));
		if (sfd < 0) {
			np_reply(cfd, 502, text);
			goto out;
		}
	} else if ((sfd = np_direct(np, cfd, &rq, exact)) < 0)
		goto out;
	(void)setsockopt(sfd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (rq.connect) {
		static const char ok[] =
		    "HTTP/1.1 200 Connection established\r\n\r\n";

		if (np_send(cfd, ok, sizeof(ok) - 1, np_now() + NP_HEAD_MS))
			goto out;
	} else if (np_send(sfd, rq.out, rq.outlen, np_now() + NP_HEAD_MS))
		goto out;
	/* what the client sent after its head: a body, or the start of
	 * what it speaks through the tunnel */
	if (have > rq.headlen &&
	    np_send(sfd, buf + rq.headlen, have - rq.headlen,
	        np_now() + NP_HEAD_MS) != 0)
		goto out;
	free(buf);
	buf = NULL;
	np_req_free(&rq);
	np_relay(cfd, sfd);
out:
	free(buf);
	np_req_free(&rq);
	if (sfd >= 0)
		close(sfd);
	close(cfd);
	pthread_mutex_lock(&np->lock);
	np->conns--;
	pthread_mutex_unlock(&np->lock);
	return NULL;
}

int
np_serve(struct np *np, int lfd)
{
	pthread_attr_t attr;
	sigset_t all;
	pthread_t t;
	struct np_conn *c;
	int fd, full;

	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	pthread_attr_setstacksize(&attr, NP_STACK);
	/* the connections' threads take no signal: the launcher's
	 * thread forwards them to the jail */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, NULL);
	for (;;) {
		fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0) {
			if (errno == EINTR || errno == ECONNABORTED ||
			    errno == EMFILE || errno == ENFILE ||
			    errno == ENOBUFS || errno == ENOMEM) {
				if (errno != EINTR && errno != ECONNABORTED)
					usleep(10000);
				continue;
			}
			return -1;
		}
		pthread_mutex_lock(&np->lock);
		full = np->conns >= NP_CONNS;
		if (!full)
			np->conns++;
		pthread_mutex_unlock(&np->lock);
		if (full) {
			np_reply(
			    fd, 503, "too many connections through the proxy");
			close(fd);
			continue;
		}
		if ((c = malloc(sizeof(*c))) != NULL) {
			c->np = np;
			c->fd = fd;
			if (pthread_create(&t, &attr, np_conn, c) == 0)
				continue;
			free(c);
		}
		close(fd);
		pthread_mutex_lock(&np->lock);
		np->conns--;
		pthread_mutex_unlock(&np->lock);
	}
}
