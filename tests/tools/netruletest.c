/*
 * netruletest.c - unit tests of runtime/netrule.c, as TAP: the entries
 * network.allow and network.deny accept and refuse, their canonical
 * text, requested hosts, matching, and the special address ranges.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "../../runtime/netrule.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static int ntests, nfailed;

static void ok(int cond, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
ok(int cond, const char *fmt, ...)
{
	va_list ap;

	ntests++;
	if (!cond)
		nfailed++;
	printf("%sok %d - ", cond ? "" : "not ", ntests);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

/* Entries that parse, with their canonical text. */
static const struct {
	const char *in, *out;
	enum netrule_kind kind;
	unsigned port;
} good[] = {
	{ "api.anthropic.com", "api.anthropic.com", NR_NAME, 0 },
	{ "API.Anthropic.COM.", "api.anthropic.com", NR_NAME, 0 },
	{ "registry.npmjs.org:443", "registry.npmjs.org:443", NR_NAME, 443 },
	{ "localhost", "localhost", NR_NAME, 0 },
	{ "localhost.:8080", "localhost:8080", NR_NAME, 8080 },
	{ "*.example.com", "*.example.com", NR_WILD, 0 },
	{ "*.Example.com.:65535", "*.example.com:65535", NR_WILD, 65535 },
	{ "*.com", "*.com", NR_WILD, 0 },
	{ "1.2.3.4", "1.2.3.4", NR_IP4, 0 },
	{ "127.0.0.1:1", "127.0.0.1:1", NR_IP4, 1 },
	{ "0.0.0.0", "0.0.0.0", NR_IP4, 0 },
	{ "255.255.255.255:80", "255.255.255.255:80", NR_IP4, 80 },
	{ "[::1]", "[::1]", NR_IP6, 0 },
	{ "[2001:DB8::1]:443", "[2001:db8::1]:443", NR_IP6, 443 },
	{ "[2001:db8:0:0:1:0:0:1]", "[2001:db8::1:0:0:1]", NR_IP6, 0 },
	{ "[0:0:0:0:0:0:0:0]", "[::]", NR_IP6, 0 },
	{ "[1:0:0:2:0:0:0:3]", "[1:0:0:2::3]", NR_IP6, 0 },
	{ "[1:0:2:3:4:5:6:7]", "[1:0:2:3:4:5:6:7]", NR_IP6, 0 },
	{ "[1:2:3:4:5:6:7::]", "[1:2:3:4:5:6:7:0]", NR_IP6, 0 },
	{ "[::ffff:127.0.0.1]", "127.0.0.1", NR_IP4, 0 },
	{ "[::ffff:7f00:1]:22", "127.0.0.1:22", NR_IP4, 22 },
	{ "[64:ff9b::1.2.3.4]", "[64:ff9b::102:304]", NR_IP6, 0 },
	{ "xn--bcher-kva.example", "xn--bcher-kva.example", NR_NAME, 0 },
	{ "a-b.c0", "a-b.c0", NR_NAME, 0 },
	{ "1.2.3.example", "1.2.3.example", NR_NAME, 0 },
	{ "x", "x", NR_NAME, 0 },
};

/* Entries refused, with a word the message must hold. */
static const struct {
	const char *in, *why;
} bad[] = {
	{ "", "empty" },
	{ "*", "every host" },
	{ "*:443", "every host" },
	{ "*foo.com", "whole labels" },
	{ "a.*.com", "*.example.com" },
	{ "*.*.com", "*.example.com" },
	{ "**.com", "whole labels" },
	{ "*.", "every host" },
	{ "*..", "no host name" },
	{ "a..b", "empty label" },
	{ ".a", "empty label" },
	{ "a..", "empty label" },
	{ ".", "empty label" },
	{ "example.com:0", "port 0" },
	{ "example.com:", "no port" },
	{ "example.com:65536", "range" },
	{ "example.com:99999999999", "range" },
	{ "example.com:0443", "leading zero" },
	{ "example.com:-1", "not a number" },
	{ "example.com:+1", "not a number" },
	{ "example.com: 1", "not a number" },
	{ ":443", "no host" },
	{ "b\xc3\xbc"
	  "cher.example",
	    "punycode" },
	{ "under_score.com", "letters, digits" },
	{ "sp ace.com", "letters, digits" },
	{ "-a.com", "'-'" },
	{ "a-.com", "'-'" },
	{ "::1", "brackets" },
	{ "2001:db8::1:443", "brackets" },
	{ "[::1", "without ']'" },
	{ "[::1]x", "only ':'" },
	{ "[::1]:", "no port" },
	{ "[fe80::1%eth0]", "zone" },
	{ "[1.2.3.4]", "IPv6" },
	{ "[1:2:3:4:5:6:7:8:9]", "IPv6" },
	{ "[1::2::3]", "IPv6" },
	{ "[:1]", "IPv6" },
	{ "[1:]", "IPv6" },
	{ "[12345::]", "IPv6" },
	{ "[]", "IPv6" },
	{ "[1:2:3:4:5:6:7:8::]", "IPv6" },
	{ "127.1", "number" },
	{ "0x7f.0.0.1", "number" },
	{ "2130706433", "number" },
	{ "1.2.3.04", "number" },
	{ "1.2.3.256", "number" },
	{ "example.0x1f", "number" },
	{ "1.2.3.4.", "trailing dot" },
	{ "*.1.2.3", "number" },
	{ "localhost:8080:1", "brackets" },
	{ "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa."
	  "com",
	    "63" },
};

static void
test_parse(void)
{
	struct netrule r, again;
	char buf[NETRULE_TEXTMAX];
	const char *why;
	size_t i;
	int rc;

	for (i = 0; i < NELEM(good); i++) {
		why = NULL;
		rc = netrule_parse(good[i].in, &r, &why);
		ok(rc == 0 && r.kind == good[i].kind && r.port == good[i].port,
		    "parse %s (%s)", good[i].in, rc == 0 ? "ok" : why);
		rc = netrule_format(&r, buf, sizeof(buf));
		ok(rc > 0 && strcmp(buf, good[i].out) == 0,
		    "format %s as %s: %s", good[i].in, good[i].out, buf);
		ok(netrule_parse(buf, &again, &why) == 0 &&
		        memcmp(&r, &again, sizeof(r)) == 0,
		    "%s reads back as the same entry", buf);
	}
	for (i = 0; i < NELEM(bad); i++) {
		why = NULL;
		rc = netrule_parse(bad[i].in, &r, &why);
		ok(rc == -1 && why != NULL && strstr(why, bad[i].why) != NULL,
		    "refuse '%s': %s", bad[i].in, why ? why : "(accepted)");
	}
}

static void
test_lengths(void)
{
	char name[400], buf[NETRULE_TEXTMAX];
	struct netrule r;
	const char *why;
	size_t i;
	int rc;

	/* 63 + 1 + 63 + 1 + 63 + 1 + 61 = 253 characters */
	memset(name, 'a', sizeof(name));
	name[63] = name[127] = name[191] = '.';
	name[253] = '\0';
	ok(netrule_parse(name, &r, &why) == 0, "a name of 253 characters");
	name[253] = '.';
	name[254] = '\0';
	ok(netrule_parse(name, &r, &why) == 0,
	    "253 characters and a trailing dot");
	ok(netrule_format(&r, buf, sizeof(buf)) == 253, "formats to 253");
	name[253] = 'a';
	why = "(accepted)";
	rc = netrule_parse(name, &r, &why);
	ok(rc == -1 && strstr(why, "253") != NULL, "254 characters refused: %s",
	    why);
	memcpy(name, "*.", 2);
	name[253] = ':';
	memcpy(name + 254, "65535", 6);
	ok(netrule_parse(name, &r, &why) == 0 &&
	        netrule_format(&r, buf, sizeof(buf)) == (int)strlen(name),
	    "the longest wildcard with a port fits NETRULE_TEXTMAX");
	ok(netrule_format(&r, buf, 10) == -1, "format into a short buffer");
	for (i = 0; i < sizeof(name) - 1; i++)
		name[i] = 'a';
	name[sizeof(name) - 1] = '\0';
	ok(netrule_parse(name, &r, &why) == -1, "399 characters refused");
}

static void
test_host(void)
{
	static const struct {
		const char *in, *out;
		enum netrule_kind kind;
	} hosts[] = {
		{ "Example.COM.", "example.com", NR_NAME },
		{ "localhost", "localhost", NR_NAME },
		{ "[::1]", "::1", NR_IP6 },
		{ "::1", "::1", NR_IP6 },
		{ "::ffff:10.0.0.1", "10.0.0.1", NR_IP4 },
		{ "[::FFFF:a00:1]", "10.0.0.1", NR_IP4 },
		{ "10.0.0.1", "10.0.0.1", NR_IP4 },
	};
	static const char *const refused[] = { "", "127.1", "0x7f000001",
		"2130706433", "010.0.0.1", "1.2.3.4.", "*.example.com",
		"[::1]:443", "a..b", "b\xc3\xbc.de", "fe80::1%lo",
		"example.com:443" };
	struct nethost h;
	char buf[64];
	const char *why;
	size_t i;
	int rc;

	for (i = 0; i < NELEM(hosts); i++)
		ok(netrule_host(hosts[i].in, &h, &why) == 0 &&
		        h.kind == hosts[i].kind &&
		        netrule_hostfmt(&h, buf, sizeof(buf)) > 0 &&
		        strcmp(buf, hosts[i].out) == 0,
		    "host %s is %s", hosts[i].in, hosts[i].out);
	for (i = 0; i < NELEM(refused); i++) {
		why = "(accepted)";
		rc = netrule_host(refused[i], &h, &why);
		ok(rc == -1, "host '%s' refused: %s", refused[i], why);
	}
}

/* Whether entry e matches host:port. */
static int
matches(const char *e, const char *host, unsigned port)
{
	struct netrule r;
	struct nethost h;
	const char *why;

	if (netrule_parse(e, &r, &why) != 0 || netrule_host(host, &h, &why))
		return -1;
	return netrule_match(&r, &h, port);
}

static int explicit(const char *e, const char *host, unsigned port)
{
	struct netrule r;
	struct nethost h;
	const char *why;

	if (netrule_parse(e, &r, &why) != 0 || netrule_host(host, &h, &why))
		return -1;
	return netrule_explicit(&r, &h, port);
}

static void
test_match(void)
{
	static const struct {
		const char *entry, *host;
		unsigned port;
		int want;
	} cases[] = {
		{ "example.com", "example.com", 443, 1 },
		{ "example.com", "EXAMPLE.com.", 1, 1 },
		{ "example.com", "www.example.com", 443, 0 },
		{ "example.com:443", "example.com", 443, 1 },
		{ "example.com:443", "example.com", 80, 0 },
		{ "*.example.com", "example.com", 443, 0 },
		{ "*.example.com", "a.example.com", 443, 1 },
		{ "*.example.com", "a.b.example.com", 443, 1 },
		{ "*.example.com", "aexample.com", 443, 0 },
		{ "*.example.com", "notexample.com", 443, 0 },
		{ "*.example.com", "example.com.evil.net", 443, 0 },
		{ "*.example.com:443", "a.example.com", 80, 0 },
		{ "*.com", "example.com", 1, 1 },
		{ "127.0.0.1", "127.0.0.1", 8080, 1 },
		{ "127.0.0.1", "::ffff:127.0.0.1", 8080, 1 },
		{ "127.0.0.1", "localhost", 8080, 0 },
		{ "localhost", "127.0.0.1", 8080, 0 },
		{ "[::1]:80", "::1", 80, 1 },
		{ "[::1]:80", "0:0::1", 80, 1 },
		{ "[::1]:80", "::1", 81, 0 },
		{ "[::1]", "127.0.0.1", 80, 0 },
		{ "1.2.3.4", "1.2.3.5", 80, 0 },
		{ "*.example.com", "1.2.3.4", 80, 0 },
	};
	size_t i;

	for (i = 0; i < NELEM(cases); i++)
		ok(matches(cases[i].entry, cases[i].host, cases[i].port) ==
		        cases[i].want,
		    "%s %s %s:%u", cases[i].entry,
		    cases[i].want ? "matches" : "does not match", cases[i].host,
		    cases[i].port);
	ok(explicit("localhost", "localhost", 80) == 1,
	    "localhost names localhost");
	ok(explicit("*.example.com", "a.example.com", 80) == 0,
	    "a wildcard names no host explicitly");
	ok(explicit("a.example.com:443", "a.example.com", 80) == 0,
	    "an entry for another port does not name it");
	ok(explicit("[::1]", "::1", 80) == 1, "[::1] names ::1");
}

static void
test_decide(void)
{
	static const char *const allow[] = { "*.example.com", "1.2.3.4:443" };
	static const char *const deny[] = { "evil.example.com",
		"*.bad.example.com:80" };
	struct netrule a[2], d[2];
	struct nethost h;
	const char *why;
	size_t i, which;

	for (i = 0; i < 2; i++) {
		netrule_parse(allow[i], &a[i], &why);
		netrule_parse(deny[i], &d[i], &why);
	}
	netrule_host("evil.example.com", &h, &why);
	ok(netrule_decide(a, 2, d, 2, &h, 443, &which) == NETRULE_DENY &&
	        which == 0,
	    "deny wins over an allowing wildcard");
	netrule_host("x.bad.example.com", &h, &why);
	ok(netrule_decide(a, 2, d, 2, &h, 80, &which) == NETRULE_DENY &&
	        which == 1,
	    "a denied port");
	ok(netrule_decide(a, 2, d, 2, &h, 443, &which) == NETRULE_ALLOW &&
	        which == 0,
	    "another port of it is allowed");
	netrule_host("1.2.3.4", &h, &why);
	ok(netrule_decide(a, 2, d, 2, &h, 443, &which) == NETRULE_ALLOW &&
	        which == 1,
	    "the second allow entry");
	ok(netrule_decide(a, 2, d, 2, &h, 80, &which) == NETRULE_NONE,
	    "nothing allows another port");
	ok(netrule_decide(a, 0, d, 0, &h, 80, &which) == NETRULE_NONE,
	    "empty lists allow nothing");
}

static void
test_special(void)
{
	static const struct {
		const char *host, *want;
	} cases[] = {
		{ "127.0.0.1", "loopback" },
		{ "127.255.1.1", "loopback" },
		{ "0.0.0.0", "unspecified" },
		{ "10.1.2.3", "private" },
		{ "172.16.0.1", "private" },
		{ "172.31.255.255", "private" },
		{ "172.32.0.1", NULL },
		{ "192.168.1.1", "private" },
		{ "100.64.0.1", "shared" },
		{ "100.128.0.1", NULL },
		{ "169.254.169.254", "link-local" },
		{ "224.0.0.1", "multicast" },
		{ "255.255.255.255", "reserved" },
		{ "8.8.8.8", NULL },
		{ "::1", "loopback" },
		{ "::", "unspecified" },
		{ "::ffff:192.168.0.1", "private" },
		{ "64:ff9b::127.0.0.1", "loopback" },
		{ "64:ff9b::8.8.8.8", NULL },
		{ "2002:7f00:1::", "loopback" },
		{ "::127.0.0.1", "reserved" },
		{ "fe80::1", "link-local" },
		{ "fd00::1", "private" },
		{ "fc00::1", "private" },
		{ "ff02::1", "multicast" },
		{ "2001:db8::1", "documentation" },
		{ "2606:4700::1111", NULL },
	};
	struct nethost h;
	const char *why, *got;
	size_t i;

	for (i = 0; i < NELEM(cases); i++) {
		if (netrule_host(cases[i].host, &h, &why) != 0) {
			ok(0, "special %s: %s", cases[i].host, why);
			continue;
		}
		got = netrule_special(h.addr, h.kind == NR_IP4);
		ok(cases[i].want == NULL
		        ? got == NULL
		        : got != NULL && strcmp(got, cases[i].want) == 0,
		    "%s is %s", cases[i].host,
		    cases[i].want ? cases[i].want : "public");
	}
}

static void
test_wide(void)
{
	static const struct {
		const char *entry;
		int want;
	} cases[] = {
		{ "*.com", 1 },
		{ "*.co.uk", 1 },
		{ "*.com.au", 1 },
		{ "*.example.com", 0 },
		{ "*.github.io", 0 },
		{ "example.com", 0 },
	};
	struct netrule r;
	const char *why;
	size_t i;

	for (i = 0; i < NELEM(cases); i++)
		ok(netrule_parse(cases[i].entry, &r, &why) == 0 &&
		        netrule_wide(&r) == cases[i].want,
		    "%s is %s", cases[i].entry,
		    cases[i].want ? "wide" : "not wide");
}

int
main(void)
{
	test_parse();
	test_lengths();
	test_host();
	test_match();
	test_decide();
	test_special();
	test_wide();
	printf("1..%d\n", ntests);
	return nfailed != 0;
}
