/*
 * netrule.c - network.allow and network.deny entries (netrule.h).
 *
 * The address parsers are our own, not inet_pton's: glibc and musl
 * (the static jailrun) must read an entry the same way, and an entry
 * the compiler accepted must mean the same to the proxy.
 */
#include <string.h>

#include "netrule.h"

static int
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int
hexval(int c)
{
	if (is_digit(c))
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int
lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* s[0..len) as a.b.c.d, decimal, no leading zeros: 0 or -1. */
static int
parse_ip4(const char *s, size_t len, unsigned char out[4])
{
	size_t i = 0, start;
	unsigned v;
	int part;

	for (part = 0; part < 4; part++) {
		if (part > 0) {
			if (i >= len || s[i] != '.')
				return -1;
			i++;
		}
		start = i;
		v = 0;
		while (i < len && is_digit(s[i]) && i - start < 3)
			v = v * 10 + (unsigned)(s[i++] - '0');
		if (i == start || v > 255 || (s[start] == '0' && i - start > 1))
			return -1;
		out[part] = (unsigned char)v;
	}
	return i == len ? 0 : -1;
}

/* s[0..len) as an IPv6 address (RFC 4291 text, no zone): 0 or -1. */
static int
parse_ip6(const char *s, size_t len, unsigned char out[16])
{
	unsigned g[8];
	unsigned char a4[4];
	size_t i = 0, j;
	int n = 0, gap = -1, k;
	unsigned v;

	if (len >= 2 && s[0] == ':' && s[1] == ':') {
		gap = 0;
		i = 2;
	} else if (len == 0 || s[0] == ':')
		return -1;
	while (i < len) {
		for (j = i; j < len && hexval(s[j]) >= 0; j++)
			;
		if (j < len && s[j] == '.') {
			/* a dotted quad ends the address */
			if (n > 6 || parse_ip4(s + i, len - i, a4) != 0)
				return -1;
			g[n++] = (unsigned)a4[0] << 8 | a4[1];
			g[n++] = (unsigned)a4[2] << 8 | a4[3];
			i = len;
			break;
		}
		if (j == i || j - i > 4 || n == 8)
			return -1;
		for (v = 0; i < j; i++)
			v = v * 16 + (unsigned)hexval(s[i]);
		g[n++] = v;
		if (i == len)
			break;
		if (s[i++] != ':' || i == len)
			return -1;
		if (s[i] == ':') {
			if (gap >= 0)
				return -1;
			gap = n;
			i++;
		}
	}
	if (gap < 0 ? n != 8 : n > 7)
		return -1;
	memset(out, 0, 16);
	for (k = 0; k < n; k++) {
		int at = gap < 0 || k < gap ? k : 8 - (n - k);

		out[2 * at] = (unsigned char)(g[k] >> 8);
		out[2 * at + 1] = (unsigned char)(g[k] & 0xff);
	}
	return 0;
}

static const unsigned char v4mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff,
	0xff };

/* Whether a label (of LDH characters) is a number as resolvers read
 * one: decimal, or 0x and hex digits. */
static int
numeric_label(const char *s, size_t len)
{
	size_t i = 0;

	if (len >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		for (i = 2; i < len; i++)
			if (hexval(s[i]) < 0)
				return 0;
		return 1;
	}
	for (; i < len; i++)
		if (!is_digit(s[i]))
			return 0;
	return 1;
}

/* Check s[0..len) as a host name and copy it, in lower case, to out
 * (NETRULE_NAMEMAX + 1 bytes).  A trailing dot is the caller's. */
static int
check_name(const char *s, size_t len, char *out, const char **why)
{
	size_t i, label = 0;

	if (len == 0) {
		*why = "no host name";
		return -1;
	}
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x80) {
			*why = "a host name is ASCII: write the punycode "
			       "form (xn--...) of an internationalised name";
			return -1;
		}
		if (c == '*') {
			*why = "a * stands only for the first labels, as in "
			       "*.example.com";
			return -1;
		}
		if (c == '.') {
			if (i == label) {
				*why = "an empty label: two dots in a row, or "
				       "a dot first";
				return -1;
			}
			label = i + 1;
			continue;
		}
		if (!(is_digit(c) || (c >= 'a' && c <= 'z') ||
		        (c >= 'A' && c <= 'Z') || c == '-')) {
			*why = "a host name holds only letters, digits, '-' "
			       "and '.'";
			return -1;
		}
		if (i - label >= 63) {
			*why = "a label longer than 63 characters";
			return -1;
		}
		if (c == '-' &&
		    (i == label || i + 1 == len || s[i + 1] == '.')) {
			*why = "a label that begins or ends with '-'";
			return -1;
		}
	}
	if (label == len) {
		*why = "an empty label at the end (two trailing dots?)";
		return -1;
	}
	if (len > NETRULE_NAMEMAX) {
		*why = "a host name longer than 253 characters";
		return -1;
	}
	if (numeric_label(s + label, len - label)) {
		*why = "the last label is a number, which resolvers read as "
		       "an address: write an IPv4 address as a.b.c.d";
		return -1;
	}
	for (i = 0; i < len; i++)
		out[i] = (char)lower((unsigned char)s[i]);
	out[len] = '\0';
	return 0;
}

/* The port in s[0..len): 1..65535. */
static int
parse_port(const char *s, size_t len, unsigned *port, const char **why)
{
	size_t i;
	unsigned v = 0;

	if (len == 0) {
		*why = "no port after ':'";
		return -1;
	}
	for (i = 0; i < len; i++) {
		if (!is_digit(s[i])) {
			*why = "the port is not a number";
			return -1;
		}
		v = v * 10 + (unsigned)(s[i] - '0');
		if (v > 65535) {
			*why = "the port is out of range: 1..65535";
			return -1;
		}
	}
	if (v == 0) {
		*why = "port 0: leave the port out for every port";
		return -1;
	}
	if (s[0] == '0') {
		*why = "the port has a leading zero";
		return -1;
	}
	*port = v;
	return 0;
}

/* An address in brackets, s[0] == '['; *end is set past ']'. */
static int
parse_bracket(const char *s, size_t len, unsigned char addr[16], size_t *end,
    const char **why)
{
	const char *close = memchr(s, ']', len);
	size_t n;

	if (close == NULL) {
		*why = "'[' without ']'";
		return -1;
	}
	n = (size_t)(close - s) - 1;
	if (memchr(s + 1, '%', n) != NULL) {
		*why = "an IPv6 zone (%...) is not allowed";
		return -1;
	}
	if (parse_ip6(s + 1, n, addr) != 0) {
		*why = "not an IPv6 address in the brackets";
		return -1;
	}
	*end = n + 2;
	return 0;
}

int
netrule_parse(const char *text, struct netrule *r, const char **why)
{
	size_t len, hlen, i;
	const char *colon, *h;
	int colons = 0, trail = 0;

	memset(r, 0, sizeof(*r));
	len = strlen(text);
	if (len == 0) {
		*why = "an empty entry";
		return -1;
	}
	if (len > NETRULE_TEXTMAX) {
		*why = "an entry longer than a host name and a port";
		return -1;
	}
	if (text[0] == '[') {
		if (parse_bracket(text, len, r->addr, &hlen, why) != 0)
			return -1;
		r->kind = NR_IP6;
		if (memcmp(r->addr, v4mapped, 12) == 0) {
			memmove(r->addr, r->addr + 12, 4);
			memset(r->addr + 4, 0, 12);
			r->kind = NR_IP4;
		}
		if (hlen == len)
			return 0;
		if (text[hlen] != ':') {
			*why = "after ']' only ':' and a port may follow";
			return -1;
		}
		return parse_port(
		    text + hlen + 1, len - hlen - 1, &r->port, why);
	}
	for (i = 0; i < len; i++)
		colons += text[i] == ':';
	if (colons > 1) {
		*why = "an IPv6 address goes in brackets, as [::1] or "
		       "[::1]:443";
		return -1;
	}
	colon = memchr(text, ':', len);
	hlen = colon != NULL ? (size_t)(colon - text) : len;
	if (colon != NULL &&
	    parse_port(colon + 1, len - hlen - 1, &r->port, why) != 0)
		return -1;
	if (hlen == 0) {
		*why = "no host before the port";
		return -1;
	}
	h = text;
	if (hlen > 1 && h[hlen - 1] == '.') {
		hlen--;
		trail = 1;
	}
	if (hlen == 1 && h[0] == '*') {
		*why = "a bare * would allow every host: name the hosts, "
		       "or use network.mode = \"host\"";
		return -1;
	}
	if (h[0] == '*') {
		if (hlen < 2 || h[1] != '.') {
			*why = "a * stands for whole labels, as in "
			       "*.example.com";
			return -1;
		}
		r->kind = NR_WILD;
		return check_name(h + 2, hlen - 2, r->host, why);
	}
	if (parse_ip4(h, hlen, r->addr) == 0) {
		if (trail) {
			*why = "an IPv4 address with a trailing dot";
			return -1;
		}
		r->kind = NR_IP4;
		return 0;
	}
	r->kind = NR_NAME;
	return check_name(h, hlen, r->host, why);
}

static int
fmt_ip4(const unsigned char *a, char *buf, size_t n)
{
	char tmp[16];
	size_t len = 0;
	int i;

	for (i = 0; i < 4; i++) {
		unsigned v = a[i];

		if (i > 0)
			tmp[len++] = '.';
		if (v >= 100)
			tmp[len++] = (char)('0' + v / 100);
		if (v >= 10)
			tmp[len++] = (char)('0' + v / 10 % 10);
		tmp[len++] = (char)('0' + v % 10);
	}
	if (len >= n)
		return -1;
	memcpy(buf, tmp, len);
	buf[len] = '\0';
	return (int)len;
}

/* RFC 5952: lower case, no leading zeros, the longest run of two or
 * more zero groups (the first of equals) as "::". */
static int
fmt_ip6(const unsigned char *a, char *buf, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	char tmp[40];
	size_t len = 0;
	int g[8], i, best = -1, bestlen = 1, run;

	for (i = 0; i < 8; i++)
		g[i] = a[2 * i] << 8 | a[2 * i + 1];
	for (i = 0; i<8; i += run> 0 ? run : 1) {
		for (run = 0; i + run < 8 && g[i + run] == 0; run++)
			;
		if (run > bestlen) {
			best = i;
			bestlen = run;
		}
	}
	for (i = 0; i < 8; i++) {
		int shift, started = 0;

		if (i == best) {
			tmp[len++] = ':';
			tmp[len++] = ':';
			i += bestlen - 1;
			continue;
		}
		if (i > 0 && i != best + bestlen)
			tmp[len++] = ':';
		for (shift = 12; shift >= 0; shift -= 4) {
			int d = g[i] >> shift & 0xf;

			if (d != 0 || started || shift == 0) {
				tmp[len++] = hex[d];
				started = 1;
			}
		}
	}
	if (len >= n)
		return -1;
	memcpy(buf, tmp, len);
	buf[len] = '\0';
	return (int)len;
}

/* Append s to buf at *len, within n. */
static int
put(char *buf, size_t n, size_t *len, const char *s)
{
	size_t l = strlen(s);

	if (*len + l >= n)
		return -1;
	memcpy(buf + *len, s, l + 1);
	*len += l;
	return 0;
}

int
netrule_format(const struct netrule *r, char *buf, size_t n)
{
	char addr[48], port[8];
	size_t len = 0;
	int k;

	if (n == 0)
		return -1;
	buf[0] = '\0';
	switch (r->kind) {
	case NR_NAME:
		if (put(buf, n, &len, r->host) != 0)
			return -1;
		break;
	case NR_WILD:
		if (put(buf, n, &len, "*.") != 0 ||
		    put(buf, n, &len, r->host) != 0)
			return -1;
		break;
	case NR_IP4:
		if (fmt_ip4(r->addr, addr, sizeof(addr)) < 0 ||
		    put(buf, n, &len, addr) != 0)
			return -1;
		break;
	case NR_IP6:
		if (fmt_ip6(r->addr, addr, sizeof(addr)) < 0 ||
		    put(buf, n, &len, "[") != 0 ||
		    put(buf, n, &len, addr) != 0 || put(buf, n, &len, "]") != 0)
			return -1;
		break;
	default:
		return -1;
	}
	if (r->port != 0) {
		k = sizeof(port) - 1;
		port[k] = '\0';
		for (unsigned v = r->port; v > 0 && k > 1; v /= 10)
			port[--k] = (char)('0' + v % 10);
		port[--k] = ':';
		if (put(buf, n, &len, port + k) != 0)
			return -1;
	}
	return (int)len;
}

int
netrule_host(const char *text, struct nethost *h, const char **why)
{
	size_t len = strlen(text), end;

	memset(h, 0, sizeof(*h));
	if (len == 0) {
		*why = "no host";
		return -1;
	}
	if (text[0] == '[' || memchr(text, ':', len) != NULL) {
		if (text[0] == '[') {
			if (parse_bracket(text, len, h->addr, &end, why) != 0)
				return -1;
			if (end != len) {
				*why = "text after ']'";
				return -1;
			}
		} else if (parse_ip6(text, len, h->addr) != 0) {
			*why = "not an IPv6 address";
			return -1;
		}
		h->kind = NR_IP6;
		if (memcmp(h->addr, v4mapped, 12) == 0) {
			memmove(h->addr, h->addr + 12, 4);
			memset(h->addr + 4, 0, 12);
			h->kind = NR_IP4;
		}
		return 0;
	}
	if (parse_ip4(text, len, h->addr) == 0) {
		h->kind = NR_IP4;
		return 0;
	}
	if (len > 1 && text[len - 1] == '.')
		len--;
	h->kind = NR_NAME;
	return check_name(text, len, h->name, why);
}

int
netrule_hostfmt(const struct nethost *h, char *buf, size_t n)
{
	size_t len = 0;

	if (n == 0)
		return -1;
	switch (h->kind) {
	case NR_NAME:
		buf[0] = '\0';
		return put(buf, n, &len, h->name) == 0 ? (int)len : -1;
	case NR_IP4:
		return fmt_ip4(h->addr, buf, n);
	case NR_IP6:
		return fmt_ip6(h->addr, buf, n);
	case NR_WILD:
	default:
		return -1;
	}
}

static int
match_host(const struct netrule *r, const struct nethost *h)
{
	size_t hl, rl;

	switch (r->kind) {
	case NR_NAME:
		return h->kind == NR_NAME && strcmp(r->host, h->name) == 0;
	case NR_WILD:
		if (h->kind != NR_NAME)
			return 0;
		hl = strlen(h->name);
		rl = strlen(r->host);
		return hl > rl + 1 && h->name[hl - rl - 1] == '.' &&
		    strcmp(h->name + hl - rl, r->host) == 0;
	case NR_IP4:
		return h->kind == NR_IP4 && memcmp(r->addr, h->addr, 4) == 0;
	case NR_IP6:
		return h->kind == NR_IP6 && memcmp(r->addr, h->addr, 16) == 0;
	default:
		return 0;
	}
}

int
netrule_match(const struct netrule *r, const struct nethost *h, unsigned port)
{
	if (r->port != 0 && r->port != port)
		return 0;
	return match_host(r, h);
}

int
netrule_explicit(
    const struct netrule *r, const struct nethost *h, unsigned port)
{
	return r->kind != NR_WILD && netrule_match(r, h, port);
}

enum netrule_verdict
netrule_decide(const struct netrule *allow, size_t nallow,
    const struct netrule *deny, size_t ndeny, const struct nethost *h,
    unsigned port, size_t *which)
{
	size_t i;

	*which = 0;
	for (i = 0; i < ndeny; i++)
		if (netrule_match(&deny[i], h, port)) {
			*which = i;
			return NETRULE_DENY;
		}
	for (i = 0; i < nallow; i++)
		if (netrule_match(&allow[i], h, port)) {
			*which = i;
			return NETRULE_ALLOW;
		}
	return NETRULE_NONE;
}

static const char *
special4(const unsigned char *a)
{
	if (a[0] == 0)
		return "unspecified"; /* 0.0.0.0 reaches the host's own */
	if (a[0] == 127)
		return "loopback";
	if (a[0] == 10 || (a[0] == 172 && (a[1] & 0xf0) == 16) ||
	    (a[0] == 192 && a[1] == 168))
		return "private";
	if (a[0] == 100 && (a[1] & 0xc0) == 64)
		return "shared"; /* carrier-grade NAT, RFC 6598 */
	if (a[0] == 169 && a[1] == 254)
		return "link-local";
	if (a[0] == 192 && a[1] == 0 && a[2] == 0)
		return "reserved";
	if ((a[0] == 192 && a[1] == 0 && a[2] == 2) ||
	    (a[0] == 198 && a[1] == 51 && a[2] == 100) ||
	    (a[0] == 203 && a[1] == 0 && a[2] == 113))
		return "documentation";
	if (a[0] == 198 && (a[1] & 0xfe) == 18)
		return "benchmarking";
	if ((a[0] & 0xf0) == 224)
		return "multicast";
	if ((a[0] & 0xf0) == 240)
		return "reserved"; /* and the broadcast address */
	return NULL;
}

const char *
netrule_special(const unsigned char *a, int v4)
{
	static const unsigned char zero[16];
	static const unsigned char nat64[12] = { 0, 0x64, 0xff, 0x9b };

	if (v4)
		return special4(a);
	if (memcmp(a, zero, 15) == 0)
		return a[15] == 1 ? "loopback"
		    : a[15] == 0  ? "unspecified"
		                  : "reserved";
	if (memcmp(a, v4mapped, 12) == 0 || memcmp(a, nat64, 12) == 0)
		return special4(a + 12);
	if (memcmp(a, zero, 12) == 0)
		return "reserved"; /* IPv4-compatible, deprecated */
	if (a[0] == 0x20 && a[1] == 0x02)
		return special4(a + 2); /* 6to4 */
	if (a[0] == 0 && a[1] == 0x64 && a[2] == 0xff && a[3] == 0x9b &&
	    a[4] == 0 && a[5] == 1)
		return "private"; /* local-use NAT64, RFC 8215 */
	if (a[0] == 0xfe && (a[1] & 0xc0) == 0x80)
		return "link-local";
	if (a[0] == 0xfe && (a[1] & 0xc0) == 0xc0)
		return "site-local";
	if ((a[0] & 0xfe) == 0xfc)
		return "private"; /* unique local */
	if (a[0] == 0xff)
		return "multicast";
	if (a[0] == 0x20 && a[1] == 0x01 && a[2] == 0x0d && a[3] == 0xb8)
		return "documentation";
	if (a[0] == 0x01 && memcmp(a + 1, zero, 7) == 0)
		return "reserved"; /* discard-only, RFC 6666 */
	return NULL;
}

int
netrule_wide(const struct netrule *r)
{
	const char *dot;

	if (r->kind != NR_WILD)
		return 0;
	dot = strchr(r->host, '.');
	if (dot == NULL)
		return 1;
	/* "co.uk", "com.au", "ne.jp": a short label under a country */
	return strchr(dot + 1, '.') == NULL && strlen(dot + 1) == 2 &&
	    dot - r->host <= 3;
}
