/*
 * xauth.c - DISPLAY values and Xauthority records (xauth.h).
 *
 * Every length read from the file is checked against what is left of
 * it before a byte of the field is touched; the whole file is read even
 * after a match, so that a damaged file is refused, never half used.
 */
#include <string.h>

#include "xauth.h"

/* A record's fields, pointing into the file. */
struct xa_rec {
	unsigned family;
	const unsigned char *field[4]; /* address, number, name, data */
	size_t len[4];
};

enum { XA_ADDR, XA_NUMBER, XA_NAME, XA_DATA };

/* The kinds of cookie a client can use, best first. */
static const char *const xa_kinds[] = {
	"MIT-MAGIC-COOKIE-1",
	"XDM-AUTHORIZATION-1",
};
#define XA_NKINDS (sizeof(xa_kinds) / sizeof(xa_kinds[0]))

static int
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

/* Decimal digits at *s, no leading zero, at most max: the value, with *s
 * moved past them, or -1. */
static long
decimal(const char **s, unsigned long max)
{
	const char *p = *s;
	unsigned long v = 0;

	if (!is_digit(*p) || (p[0] == '0' && is_digit(p[1])))
		return -1;
	for (; is_digit(*p); p++) {
		v = v * 10 + (unsigned long)(*p - '0');
		if (v > max)
			return -1;
	}
	*s = p;
	return (long)v;
}

int
xauth_display(const char *name, unsigned *display, const char **why)
{
	const char *p = name;
	long n;

	if (strncmp(p, "unix:", 5) == 0 && p[5] != '/')
		p += 4;
	if (*p == '/' || strncmp(p, "unix:/", 6) == 0) {
		*why = "a socket path, not a display name";
		return -1;
	}
	if (*p != ':') {
		*why = strchr(p, ':') != NULL
		    ? "a display on another host or over TCP"
		    : "not a display name (\":N\" or \":N.S\")";
		return -1;
	}
	p++;
	if ((n = decimal(&p, XAUTH_DISPLAYMAX)) < 0) {
		*why = "the display number is not a decimal number from 0 to "
		       "59535 without leading zeros";
		return -1;
	}
	if (*p == '.') {
		p++;
		if (decimal(&p, 65535) < 0) {
			*why = "the screen number is not a decimal number from "
			       "0 to 65535 without leading zeros";
			return -1;
		}
	}
	if (*p != '\0') {
		*why = "not a display name (\":N\" or \":N.S\")";
		return -1;
	}
	*display = (unsigned)n;
	return 0;
}

/* A 16-bit big-endian number at in[*pos], when two bytes are left. */
static int
get16(const unsigned char *in, size_t inlen, size_t *pos, unsigned *v)
{
	if (inlen - *pos < 2)
		return -1;
	*v = (unsigned)in[*pos] << 8 | in[*pos + 1];
	*pos += 2;
	return 0;
}

/* The record at in[*pos]: 0 with *pos past it, or -1 when the file ends
 * inside it. */
static int
get_rec(const unsigned char *in, size_t inlen, size_t *pos, struct xa_rec *r)
{
	unsigned len;
	int i;

	if (get16(in, inlen, pos, &r->family) != 0)
		return -1;
	for (i = 0; i < 4; i++) {
		if (get16(in, inlen, pos, &len) != 0 || inlen - *pos < len)
			return -1;
		r->field[i] = in + *pos;
		r->len[i] = len;
		*pos += len;
	}
	return 0;
}

static int
field_is(const struct xa_rec *r, int f, const char *s, size_t n)
{
	return r->len[f] == n && memcmp(r->field[f], s, n) == 0;
}

/* Which kind of cookie r holds (an index into xa_kinds), or -1. */
static int
rec_kind(const struct xa_rec *r)
{
	size_t k;

	for (k = 0; k < XA_NKINDS; k++)
		if (field_is(r, XA_NAME, xa_kinds[k], strlen(xa_kinds[k])))
			return (int)k;
	return -1;
}

/* Whether a client of display number num[0..numlen) on host hostname
 * would take r, as libXau matches: family, address, number. */
static int
rec_matches(const struct xa_rec *r, const char *hostname, const char *num,
    size_t numlen)
{
	if (r->family == XAUTH_FAMILY_LOCAL) {
		if (hostname == NULL || *hostname == '\0' ||
		    !field_is(r, XA_ADDR, hostname, strlen(hostname)))
			return 0;
	} else if (r->family != XAUTH_FAMILY_WILD)
		return 0;
	return r->len[XA_NUMBER] == 0 || field_is(r, XA_NUMBER, num, numlen);
}

/* n in decimal into buf (at least 11 bytes): its length. */
static size_t
put_decimal(unsigned n, char *buf)
{
	char tmp[16];
	size_t i = 0, len;

	do {
		tmp[i++] = (char)('0' + n % 10);
		n /= 10;
	} while (n > 0);
	for (len = 0; i > 0; len++)
		buf[len] = tmp[--i];
	return len;
}

static void
put16(unsigned char *out, size_t *pos, size_t v)
{
	out[(*pos)++] = (unsigned char)(v >> 8);
	out[(*pos)++] = (unsigned char)(v & 0xff);
}

static void
put_field(unsigned char *out, size_t *pos, const void *p, size_t n)
{
	put16(out, pos, n);
	if (n > 0)
		memcpy(out + *pos, p, n);
	*pos += n;
}

int
xauth_filter(const unsigned char *in, size_t inlen, const char *hostname,
    unsigned display, unsigned newdisplay, unsigned char *out, size_t outcap,
    size_t *outlen, const char **why)
{
	struct xa_rec r, best;
	char num[16], newnum[16];
	size_t pos = 0, numlen, newlen, need;
	int kind, bestkind = -1;

	memset(&best, 0, sizeof(best));
	*outlen = 0;
	if (inlen > XAUTH_FILEMAX) {
		*why = "the Xauthority file is larger than 1 MiB";
		return -1;
	}
	if (display > XAUTH_DISPLAYMAX || newdisplay > XAUTH_DISPLAYMAX) {
		*why = "display number out of range";
		return -1;
	}
	numlen = put_decimal(display, num);
	newlen = put_decimal(newdisplay, newnum);
	while (pos < inlen) {
		if (get_rec(in, inlen, &pos, &r) != 0) {
			*why = "the Xauthority file is truncated or damaged";
			return -1;
		}
		if (!rec_matches(&r, hostname, num, numlen) ||
		    (kind = rec_kind(&r)) < 0)
			continue;
		if (bestkind < 0 || kind < bestkind) {
			best = r;
			bestkind = kind;
		}
	}
	if (bestkind < 0)
		return 0;
	need =
	    2 + 2 + 2 + newlen + 2 + best.len[XA_NAME] + 2 + best.len[XA_DATA];
	if (need > outcap) {
		*why = "no room for the display's cookie";
		return -1;
	}
	pos = 0;
	put16(out, &pos, XAUTH_FAMILY_WILD);
	put_field(out, &pos, "", 0);
	put_field(out, &pos, newnum, newlen);
	put_field(out, &pos, best.field[XA_NAME], best.len[XA_NAME]);
	put_field(out, &pos, best.field[XA_DATA], best.len[XA_DATA]);
	*outlen = pos;
	return 1;
}
