/*
 * json.c - the JSON front end (RFC 8259): the built-in schema, profiles
 * named *.json, and the expected output of the TOML conformance suite.
 *
 * Objects become tables with their members in order (a repeated key is an
 * error naming both places), integers that fit int64 become DOC_INTEGER
 * and every other number DOC_FLOAT.  Strings must be UTF-8 without raw
 * control characters; escapes are decoded, a surrogate pair to one code
 * point, a lone surrogate refused.
 *
 * Values nest, so jvalue() recurses, but never deeper than DOC_MAX_DEPTH.
 * The first error is reported and parsing stops: after a syntax error in
 * JSON, what follows is guesswork.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "diag.h"
#include "doc.h"
#include "frontend.h"

struct jparser {
	const char *file;
	const char *s;
	size_t len;
	size_t i;
	unsigned line;
	unsigned col;
	int failed;
	struct doc_index index; /* members of every object, for duplicates */
};

static struct pos
jhere(const struct jparser *p)
{
	struct pos pos = { p->file, p->line, p->col };

	return pos;
}

/* Report at pos (NULL: the current position) and mark the parse failed;
 * only the first error is reported, since what follows it is guesswork. */
static void jerror_at(struct jparser *p, const struct pos *pos, const char *fmt,
    ...) __attribute__((format(printf, 3, 4)));

static void
jerror_at(struct jparser *p, const struct pos *pos, const char *fmt, ...)
{
	struct pos here = jhere(p);
	va_list ap;
	char *msg;
	int n;

	if (p->failed)
		return;
	p->failed = 1;
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	msg = arena_alloc((size_t)(n > 0 ? n : 0) + 1);
	va_start(ap, fmt);
	vsnprintf(msg, (size_t)(n > 0 ? n : 0) + 1, fmt, ap);
	va_end(ap);
	diag(pos != NULL ? pos : &here, E_JSON_SYNTAX, "%s", msg);
}

#define jerror(p, ...) jerror_at((p), NULL, __VA_ARGS__)

/* Step over one byte, keeping line and column (columns count code points,
 * so UTF-8 continuation bytes do not advance them). */
static void
jadvance(struct jparser *p)
{
	unsigned char c = (unsigned char)p->s[p->i++];

	if (c == '\n') {
		p->line++;
		p->col = 1;
	} else if ((c & 0xc0) != 0x80) {
		p->col++;
	}
}

static void
jskip_ws(struct jparser *p)
{
	while (p->i < p->len && strchr(" \t\r\n", p->s[p->i]) != NULL &&
	    p->s[p->i] != '\0')
		jadvance(p);
}

static int
jpeek(const struct jparser *p)
{
	return p->i < p->len ? (unsigned char)p->s[p->i] : -1;
}

/* Four hex digits after "\u", whose backslash is at esc; -1 after
 * reporting. */
static long
jhex4(struct jparser *p, const struct pos *esc)
{
	long v = 0;
	int k, d;

	for (k = 0; k < 4; k++) {
		if (p->i >= p->len || (d = hex_digit(p->s[p->i])) < 0) {
			jerror_at(p, esc, "\\u needs four hexadecimal digits");
			return -1;
		}
		v = v * 16 + d;
		jadvance(p);
	}
	return v;
}

/* The escape sequence after a backslash (at esc), appended to b. */
static int
jescape(struct jparser *p, struct buf *b, const struct pos *esc)
{
	int c = jpeek(p);
	long cp, lo;

	if (c < 0) {
		jerror(p, "unterminated string");
		return -1;
	}
	switch (c) {
	case '"':
	case '\\':
	case '/':
		buf_putc(b, c);
		break;
	case 'b':
		buf_putc(b, '\b');
		break;
	case 'f':
		buf_putc(b, '\f');
		break;
	case 'n':
		buf_putc(b, '\n');
		break;
	case 'r':
		buf_putc(b, '\r');
		break;
	case 't':
		buf_putc(b, '\t');
		break;
	case 'u':
		break;
	default:
		if (c >= 0x20 && c < 0x7f)
			jerror_at(p, esc, "unknown escape '\\%c'", c);
		else
			jerror_at(p, esc, "unknown escape");
		return -1;
	}
	jadvance(p);
	if (c != 'u')
		return 0;
	if ((cp = jhex4(p, esc)) < 0)
		return -1;
	if (cp >= 0xdc00 && cp <= 0xdfff) {
		jerror_at(p, esc, "lone low surrogate \\u%04lX", cp);
		return -1;
	}
	if (cp >= 0xd800 && cp <= 0xdbff) {
		struct pos esc2 = jhere(p);

		/* UTF-16 in JSON text: the low half must follow at once */
		if (p->i + 1 >= p->len || p->s[p->i] != '\\' ||
		    p->s[p->i + 1] != 'u') {
			jerror_at(p, esc,
			    "high surrogate \\u%04lX without its low half", cp);
			return -1;
		}
		jadvance(p);
		jadvance(p);
		if ((lo = jhex4(p, &esc2)) < 0)
			return -1;
		if (lo < 0xdc00 || lo > 0xdfff) {
			jerror_at(p, esc,
			    "high surrogate \\u%04lX without its low half", cp);
			return -1;
		}
		cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
	}
	buf_put_utf8(b, (unsigned long)cp);
	return 0;
}

/* A string at the opening quote; its bytes go to b. */
static int
jstring(struct jparser *p, struct buf *b)
{
	struct pos open = jhere(p);

	jadvance(p); /* the quote */
	b->len = 0;
	buf_add(b, "", 0);
	for (;;) {
		int c = jpeek(p);
		size_t n;

		if (c < 0) {
			jerror_at(p, &open, "unterminated string");
			return -1;
		}
		if (c == '"') {
			jadvance(p);
			return 0;
		}
		if (c < 0x20) {
			jerror(p,
			    "control character U+%04X in a string; "
			    "write it as an escape",
			    (unsigned)c);
			return -1;
		}
		if (c == '\\') {
			struct pos esc = jhere(p);

			jadvance(p);
			if (jescape(p, b, &esc) != 0)
				return -1;
			continue;
		}
		n = utf8_seqlen(
		    (const unsigned char *)p->s + p->i, p->len - p->i);
		if (n == 0) {
			jerror(p, "invalid UTF-8 in a string");
			return -1;
		}
		buf_add(b, p->s + p->i, n);
		while (n-- > 0)
			jadvance(p);
	}
}

static struct doc_node *
jnumber(struct jparser *p)
{
	struct pos pos = jhere(p);
	size_t start = p->i;
	int isfloat = 0;
	char *text, *end;
	struct doc_node *n;

	if (jpeek(p) == '-')
		jadvance(p);
	if (jpeek(p) == '0') {
		jadvance(p);
		if (jpeek(p) >= '0' && jpeek(p) <= '9') {
			jerror(p, "a number cannot have leading zeros");
			return NULL;
		}
	} else if (jpeek(p) >= '1' && jpeek(p) <= '9') {
		while (jpeek(p) >= '0' && jpeek(p) <= '9')
			jadvance(p);
	} else {
		jerror(p, "expected a digit");
		return NULL;
	}
	if (jpeek(p) == '.') {
		isfloat = 1;
		jadvance(p);
		if (!(jpeek(p) >= '0' && jpeek(p) <= '9')) {
			jerror(p, "expected a digit after '.'");
			return NULL;
		}
		while (jpeek(p) >= '0' && jpeek(p) <= '9')
			jadvance(p);
	}
	if (jpeek(p) == 'e' || jpeek(p) == 'E') {
		isfloat = 1;
		jadvance(p);
		if (jpeek(p) == '+' || jpeek(p) == '-')
			jadvance(p);
		if (!(jpeek(p) >= '0' && jpeek(p) <= '9')) {
			jerror(p, "expected a digit in the exponent");
			return NULL;
		}
		while (jpeek(p) >= '0' && jpeek(p) <= '9')
			jadvance(p);
	}
	text = arena_strndup(p->s + start, p->i - start);
	if (!isfloat) {
		long long v;

		errno = 0;
		v = strtoll(text, &end, 10);
		if (errno == 0 && *end == '\0') {
			n = doc_new(DOC_INTEGER, &pos);
			n->u.i = v;
			return n;
		}
		/* too big for int64: keep it as a number */
	}
	n = doc_new(DOC_FLOAT, &pos);
	n->u.f = strtod(text, &end);
	/* JSON has no infinity; do not make one up from 1e400 */
	if (isinf(n->u.f)) {
		jerror_at(p, &pos, "number out of range");
		return NULL;
	}
	return n;
}

/* A literal word: true, false or null. */
static int
jword(struct jparser *p, const char *w)
{
	size_t n = strlen(w);

	if (p->len - p->i < n || memcmp(p->s + p->i, w, n) != 0)
		return 0;
	while (n-- > 0)
		jadvance(p);
	return 1;
}

static struct doc_node *jvalue(struct jparser *, unsigned, struct buf *);

static struct doc_node *
jobject(struct jparser *p, unsigned depth, struct buf *b)
{
	struct pos pos = jhere(p);
	struct doc_node *obj = doc_new(DOC_TABLE, &pos);

	jadvance(p); /* { */
	jskip_ws(p);
	if (jpeek(p) == '}') {
		jadvance(p);
		return obj;
	}
	for (;;) {
		struct pos keypos;
		struct doc_member *prev;
		struct doc_node *v;
		char *key;
		size_t keylen;

		jskip_ws(p);
		if (jpeek(p) != '"') {
			jerror(p, "expected a string key");
			return NULL;
		}
		keypos = jhere(p);
		if (jstring(p, b) != 0)
			return NULL;
		key = arena_strndup(b->s, b->len);
		keylen = b->len;
		jskip_ws(p);
		if (jpeek(p) != ':') {
			jerror(p, "expected ':' after the key");
			return NULL;
		}
		jadvance(p);
		jskip_ws(p);
		if ((v = jvalue(p, depth + 1, b)) == NULL)
			return NULL;
		if ((prev = doc_index_find(&p->index, obj, key, keylen)) !=
		    NULL) {
			struct buf shown = { 0 };

			/* as a JSON literal: the key may hold control
			 * characters that must not reach a terminal */
			buf_json_string(&shown, key, keylen);
			diag(&keypos, E_JSON_SYNTAX, "duplicate key %s",
			    shown.s);
			diag(&prev->keypos, N_PREVIOUS, NULL);
			p->failed = 1;
			return NULL;
		}
		doc_index_add(&p->index, obj, key, keylen, &keypos, v);
		jskip_ws(p);
		if (jpeek(p) == ',') {
			jadvance(p);
			continue;
		}
		if (jpeek(p) == '}') {
			jadvance(p);
			return obj;
		}
		jerror(p, "expected ',' or '}'");
		return NULL;
	}
}

static struct doc_node *
jarray(struct jparser *p, unsigned depth, struct buf *b)
{
	struct pos pos = jhere(p);
	struct doc_node *arr = doc_new(DOC_ARRAY, &pos);

	jadvance(p); /* [ */
	jskip_ws(p);
	if (jpeek(p) == ']') {
		jadvance(p);
		return arr;
	}
	for (;;) {
		struct doc_node *v;

		jskip_ws(p);
		if ((v = jvalue(p, depth + 1, b)) == NULL)
			return NULL;
		doc_array_push(arr, v);
		jskip_ws(p);
		if (jpeek(p) == ',') {
			jadvance(p);
			continue;
		}
		if (jpeek(p) == ']') {
			jadvance(p);
			return arr;
		}
		jerror(p, "expected ',' or ']'");
		return NULL;
	}
}

static struct doc_node *
jvalue(struct jparser *p, unsigned depth, struct buf *b)
{
	struct pos pos = jhere(p);
	struct doc_node *n;
	int c = jpeek(p);

	if (depth > DOC_MAX_DEPTH) {
		diag(&pos, E_LIMIT, "nested deeper than %d levels",
		    DOC_MAX_DEPTH);
		p->failed = 1;
		return NULL;
	}
	switch (c) {
	case '{':
		return jobject(p, depth, b);
	case '[':
		return jarray(p, depth, b);
	case '"':
		if (jstring(p, b) != 0)
			return NULL;
		return doc_new_str(DOC_STRING, &pos, b->s, b->len);
	case 't':
	case 'f':
		if (jword(p, "true") || jword(p, "false")) {
			n = doc_new(DOC_BOOL, &pos);
			n->u.b = c == 't';
			return n;
		}
		break;
	case 'n':
		if (jword(p, "null"))
			return doc_new(DOC_NULL, &pos);
		break;
	default:
		if (c == '-' || (c >= '0' && c <= '9'))
			return jnumber(p);
		break;
	}
	if (c < 0)
		jerror(p, "expected a value, found the end of the input");
	else
		jerror(p, "expected a value");
	return NULL;
}

struct doc_node *
json_parse(const char *file, const char *text, size_t len)
{
	struct jparser p = { file, text, len, 0, 1, 1, 0, { 0 } };
	struct buf b = { 0 };
	struct doc_node *root;

	if (len > DOC_MAX_INPUT) {
		diag(NULL, E_LIMIT, "%s is larger than %u bytes", file,
		    DOC_MAX_INPUT);
		return NULL;
	}
	jskip_ws(&p);
	root = jvalue(&p, 1, &b);
	if (root == NULL)
		return NULL;
	jskip_ws(&p);
	if (p.i < p.len) {
		jerror(&p, "unexpected text after the value");
		return NULL;
	}
	return root;
}
