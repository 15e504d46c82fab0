/*
 * toml.c - the TOML 1.0 front end: source text to document tree.
 *
 * A hand-written recursive-descent parser.  Only values nest (arrays and
 * inline tables), and that recursion stops at DOC_MAX_DEPTH; keys and table
 * headers are read iteratively.  The input is checked for UTF-8, NUL bytes
 * and bare carriage returns before parsing starts, so the parser itself
 * only meets well-formed code points and counts columns by skipping
 * continuation bytes.
 *
 * The first error is reported and parsing stops: after a TOML syntax error
 * the rest of the file has no reliable meaning.
 *
 * Redefinition rules are kept in doc_node.feflags (TF_* below).  Member
 * lookup goes through a hash index once a table grows past a few keys, so
 * that a hostile file with a million keys stays linear.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "diag.h"
#include "doc.h"
#include "frontend.h"

/* doc_node.feflags of tables and arrays built here. */
enum {
	TF_IMPLICIT = 1u << 0, /* table created as a parent in a [header] */
	TF_DEFINED = 1u << 1,  /* table defined by [header] or [[header]] */
	TF_DOTTED = 1u << 2,   /* table defined by dotted keys */
	TF_FROZEN = 1u << 3,   /* inline table or array value: closed */
	TF_AOT = 1u << 4       /* array created by [[header]] */
};

/* One part of a dotted key. */
struct keypart {
	char *s;
	size_t len;
	struct pos pos;
};

struct parser {
	const char *file;
	const unsigned char *s;
	size_t len;
	size_t i;      /* offset of the next byte */
	unsigned line; /* position of s[i] */
	unsigned col;
	struct doc_node *root;
	struct doc_node *cur;   /* table that key/value lines go to */
	unsigned curdepth;      /* its depth below the root */
	struct doc_index index; /* members of every table, for lookups */
	struct keypart *kp;     /* parts of the key being read */
	size_t kpcap;
	struct buf sb; /* contents of the string being read */
	int v11;       /* accept TOML 1.1 (toml_parse_version) */
};

static int parse_value(struct parser *, unsigned, struct doc_node **);

/* Position of the next byte. */
static struct pos
here(const struct parser *p)
{
	struct pos pos;

	pos.file = p->file;
	pos.line = p->line;
	pos.col = p->col;
	return pos;
}

/* The byte k places ahead, or -1 past the end. */
static int
peekat(const struct parser *p, size_t k)
{
	return p->i + k < p->len ? p->s[p->i + k] : -1;
}

static int
peek(const struct parser *p)
{
	return peekat(p, 0);
}

/* Step over one byte, keeping line and column. */
static void
adv(struct parser *p)
{
	unsigned char c = p->s[p->i++];

	if (c == '\n') {
		p->line++;
		p->col = 1;
	} else if ((c & 0xc0) != 0x80)
		p->col++;
}

/* Step over n bytes. */
static void
advn(struct parser *p, size_t n)
{
	while (n-- > 0)
		adv(p);
}

/* Describe the next character for a message: 'x', U+0001, newline, ... */
static const char *
found(const struct parser *p)
{
	int c = peek(p);
	unsigned long cp;
	size_t n, k;

	if (c == -1)
		return "end of file";
	if (c == '\n' || (c == '\r' && peekat(p, 1) == '\n'))
		return "newline";
	if (c > 0x20 && c < 0x7f)
		return arena_printf("'%c'", c);
	if (c == ' ')
		return "space";
	if (c == '\t')
		return "tab";
	if (c < 0x80)
		return arena_printf("U+%04X", (unsigned)c);
	n = utf8_seqlen(p->s + p->i, p->len - p->i);
	cp = (unsigned long)c & (n == 2 ? 0x1f : n == 3 ? 0x0f : 0x07);
	for (k = 1; k < n; k++)
		cp = cp << 6 | (p->s[p->i + k] & 0x3f);
	return arena_printf("U+%04lX", cp);
}

/* Report err at pos with a formatted detail; always returns -1. */
static int fail(const struct pos *pos, enum diag_id err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
fail(const struct pos *pos, enum diag_id err, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	diag(pos, err, "%s", msg);
	return -1;
}

/* A syntax error at the next character, naming what was found there. */
static int
expected(struct parser *p, const char *what)
{
	struct pos pos = here(p);

	return fail(
	    &pos, E_TOML_SYNTAX, "expected %s, found %s", what, found(p));
}

/* A key for messages: printable, quoted, and cut short when long. */
static const char *
keyname(const char *s, size_t len)
{
	struct buf b = { 0 };

	buf_json_string(&b, s, len > 60 ? 60 : len);
	if (len > 60) {
		b.s[b.len - 1] = '\0';
		b.len--;
		buf_puts(&b, "...\"");
	}
	return b.s;
}

/*
 * Members are found through the parse's index (doc.h), so that a hostile
 * file with a million keys stays linear.
 */

/* The member k[0..len) of tbl, or NULL. */
static struct doc_member *
lookup(struct parser *p, struct doc_node *tbl, const char *k, size_t len)
{
	return doc_index_find(&p->index, tbl, k, len);
}

/* Add a member to tbl and to the index. */
static struct doc_member *
insert(struct parser *p, struct doc_node *tbl, const struct keypart *k,
    struct doc_node *val)
{
	return doc_index_add(&p->index, tbl, k->s, k->len, &k->pos, val);
}

/*
 * Whitespace, comments and line ends.
 */

static void
skip_ws(struct parser *p)
{
	while (p->i < p->len && (p->s[p->i] == ' ' || p->s[p->i] == '\t'))
		adv(p);
}

/* A comment from '#' to the end of the line (the newline stays). */
static int
skip_comment(struct parser *p)
{
	while (p->i < p->len) {
		unsigned char c = p->s[p->i];

		if (c == '\n' || (c == '\r' && peekat(p, 1) == '\n'))
			return 0;
		if ((c < 0x20 && c != '\t') || c == 0x7f)
			return expected(
			    p, "no control characters in a comment");
		adv(p);
	}
	return 0;
}

/* Step over a newline if there is one; 1 if there was. */
static int
skip_newline(struct parser *p)
{
	if (peek(p) == '\n') {
		adv(p);
		return 1;
	}
	if (peek(p) == '\r' && peekat(p, 1) == '\n') {
		advn(p, 2);
		return 1;
	}
	return 0;
}

/* Whitespace, comments and newlines, as allowed inside arrays. */
static int
skip_ws_nl(struct parser *p)
{
	for (;;) {
		skip_ws(p);
		if (peek(p) == '#') {
			if (skip_comment(p) == -1)
				return -1;
		} else if (!skip_newline(p))
			return 0;
	}
}

/* The rest of a line after a key/value pair or a header. */
static int
end_of_line(struct parser *p, const char *after)
{
	skip_ws(p);
	if (peek(p) == '#' && skip_comment(p) == -1)
		return -1;
	if (p->i == p->len || skip_newline(p))
		return 0;
	return expected(p, after);
}

/*
 * Strings.
 */

/* An escape sequence; p is at the backslash. */
static int
escape(struct parser *p, int multiline)
{
	struct pos at = here(p);
	unsigned long cp = 0;
	int c, n, k, d;

	adv(p);
	c = peek(p);
	switch (c) {
	case 'b':
		buf_putc(&p->sb, '\b');
		break;
	case 't':
		buf_putc(&p->sb, '\t');
		break;
	case 'n':
		buf_putc(&p->sb, '\n');
		break;
	case 'f':
		buf_putc(&p->sb, '\f');
		break;
	case 'r':
		buf_putc(&p->sb, '\r');
		break;
	case '"':
		buf_putc(&p->sb, '"');
		break;
	case '\\':
		buf_putc(&p->sb, '\\');
		break;
	case 'e':
		if (!p->v11)
			goto invalid;
		buf_putc(&p->sb, 0x1b);
		break;
	case 'x':
		if (!p->v11)
			goto invalid;
		/* FALLTHROUGH */
	case 'u':
	case 'U':
		n = c == 'x' ? 2 : c == 'u' ? 4 : 8;
		for (k = 1; k <= n; k++) {
			if ((d = hex_digit(peekat(p, (size_t)k))) == -1) {
				advn(p, (size_t)k);
				return expected(p,
				    arena_printf(
				        "%d hex digits in \\%c escape", n, c));
			}
			cp = cp << 4 | (unsigned long)d;
		}
		if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return fail(&at, E_TOML_SYNTAX,
			    "\\%c%0*lX is not a Unicode scalar value", c, n,
			    cp);
		buf_put_utf8(&p->sb, cp);
		advn(p, (size_t)n);
		break;
	default:
		if (multiline &&
		    (c == ' ' || c == '\t' || c == '\n' || c == '\r')) {
			/* A line-ending backslash eats all whitespace and
			 * newlines up to the next visible character. */
			skip_ws(p);
			if (!skip_newline(p))
				return fail(&at, E_TOML_SYNTAX,
				    "a backslash followed by whitespace must "
				    "end the line");
			for (;;) {
				skip_ws(p);
				if (!skip_newline(p))
					return 0;
			}
		}
		if (c == -1)
			return expected(p, "an escape sequence");
invalid:
		return fail(&at, E_TOML_SYNTAX,
		    "invalid escape sequence '\\%s'",
		    c > 0x20 && c < 0x7f ? arena_printf("%c", c) : found(p));
	}
	adv(p);
	return 0;
}

/* The bytes from start up to the parser's offset, added to the buffer. */
static void
flush_run(struct parser *p, size_t start)
{
	if (p->i > start)
		buf_add(&p->sb, (const char *)p->s + start, p->i - start);
}

/*
 * A string of any of the four kinds into p->sb; p is at the opening quote.
 * Multi-line strings only where allow_multi is set (values, not keys).
 */
static int
parse_string(struct parser *p, int allow_multi)
{
	struct pos open = here(p);
	int q = peek(p), literal = q == '\'', multi = 0;
	size_t run, k;

	p->sb.len = 0;
	buf_add(&p->sb, "", 0);
	if (allow_multi && peekat(p, 1) == q && peekat(p, 2) == q) {
		multi = 1;
		advn(p, 3);
		/* A newline right after the opening quotes is trimmed. */
		skip_newline(p);
	} else
		adv(p);
	for (;;) {
		int c;

		run = p->i;
		while (p->i < p->len) {
			c = p->s[p->i];
			if (c == q || c == '\\' || (c < 0x20 && c != '\t') ||
			    c == 0x7f)
				break;
			adv(p);
		}
		if (literal && peek(p) == '\\') {
			adv(p);
			flush_run(p, run);
			continue;
		}
		flush_run(p, run);
		c = peek(p);
		if (c == -1)
			return fail(
			    &open, E_TOML_SYNTAX, "unterminated string");
		if (c == '\\') {
			if (escape(p, multi) == -1)
				return -1;
			continue;
		}
		if (c == q) {
			if (!multi) {
				adv(p);
				return 0;
			}
			for (k = 0; peekat(p, k) == q; k++)
				;
			if (k < 3) {
				buf_add(&p->sb, (const char *)p->s + p->i, k);
				advn(p, k);
				continue;
			}
			if (k > 5) {
				advn(p, 5);
				return fail(&open, E_TOML_SYNTAX,
				    "too many quotes at the end of a "
				    "multi-line string");
			}
			buf_add(&p->sb, (const char *)p->s + p->i, k - 3);
			advn(p, k);
			return 0;
		}
		if (multi && c == '\n') {
			buf_putc(&p->sb, '\n');
			adv(p);
			continue;
		}
		if (multi && c == '\r' && peekat(p, 1) == '\n') {
			buf_putc(&p->sb, '\n');
			advn(p, 2);
			continue;
		}
		if (c == '\n' || c == '\r')
			return expected(
			    p, "closing quote before the end of the line");
		{
			struct pos at = here(p);

			return fail(&at, E_TOML_SYNTAX,
			    "control character %s is not allowed in a string%s",
			    found(p), literal ? "" : "; escape it");
		}
	}
}

/*
 * Keys.
 */

static int
is_bare(int c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') || c == '_' || c == '-';
}

/* A possibly dotted key into p->kp[0..*np). */
static int
parse_key(struct parser *p, size_t *np)
{
	size_t n = 0;

	for (;;) {
		struct keypart *k;
		int c = peek(p);

		if (n == DOC_MAX_DEPTH) {
			struct pos at = here(p);

			return fail(&at, E_LIMIT,
			    "a key may have at most %d dotted parts",
			    DOC_MAX_DEPTH);
		}
		array_reserve(&p->kp, &p->kpcap, n + 1, sizeof(*p->kp));
		k = &p->kp[n];
		k->pos = here(p);
		if (c == '"' || c == '\'') {
			if (parse_string(p, 0) == -1)
				return -1;
			k->s = arena_strndup(p->sb.s, p->sb.len);
			k->len = p->sb.len;
		} else if (c != -1 && is_bare(c)) {
			size_t start = p->i;

			while (p->i < p->len && is_bare(p->s[p->i]))
				adv(p);
			k->len = p->i - start;
			k->s =
			    arena_strndup((const char *)p->s + start, k->len);
		} else
			return expected(p, "a key");
		n++;
		skip_ws(p);
		if (peek(p) != '.')
			break;
		adv(p);
		skip_ws(p);
	}
	*np = n;
	return 0;
}

/* A redefinition error for member m, with a note at its first place. */
static int redefined(const struct keypart *k, const struct doc_member *m,
    const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int
redefined(
    const struct keypart *k, const struct doc_member *m, const char *fmt, ...)
{
	char msg[256];
	va_list ap;
	const struct pos *prev = &m->keypos;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	diag(&k->pos, E_TOML_REDEFINE, "%s", msg);
	if (m->val->type == DOC_TABLE && (m->val->feflags & TF_DEFINED))
		prev = &m->val->pos;
	else if (m->val->type == DOC_ARRAY && (m->val->feflags & TF_AOT))
		prev = &m->val->pos;
	if (prev->line > 0)
		diag(prev, N_PREVIOUS, NULL);
	return -1;
}

static int
too_deep(const struct pos *pos)
{
	return fail(pos, E_LIMIT, "tables and arrays nest more than %d deep",
	    DOC_MAX_DEPTH);
}

/* Close an inline table and the tables its dotted keys made. */
static void
freeze(struct doc_node *tbl)
{
	size_t i;

	tbl->feflags |= TF_FROZEN;
	for (i = 0; i < tbl->u.table.n; i++) {
		struct doc_node *v = tbl->u.table.v[i].val;

		if (v->type == DOC_TABLE && !(v->feflags & TF_FROZEN))
			freeze(v);
	}
}

/*
 * key = value into tbl, which is depth levels below the root.  Dotted
 * parts create tables or step into tables that earlier dotted keys of this
 * section made or that headers only created as parents (as tomli and
 * BurntSushi/toml read the spec); such tables count as defined by dotted
 * keys from then on.  Tables defined by a header and inline tables are
 * closed to dotted keys.
 */
static int
parse_keyval(struct parser *p, struct doc_node *tbl, unsigned depth)
{
	struct keypart last;
	struct doc_member *m;
	struct doc_node *val;
	size_t n, j;

	if (parse_key(p, &n) == -1)
		return -1;
	for (j = 0; j + 1 < n; j++) {
		struct keypart *k = &p->kp[j];

		m = lookup(p, tbl, k->s, k->len);
		if (m == NULL) {
			struct doc_node *t = doc_new(DOC_TABLE, &k->pos);

			t->feflags = TF_DOTTED;
			insert(p, tbl, k, t);
			tbl = t;
		} else if (m->val->type != DOC_TABLE)
			return redefined(k, m,
			    "%s is already %s %s, not a table",
			    keyname(k->s, k->len),
			    m->val->type == DOC_ARRAY ? "an" : "a",
			    doc_type_name(m->val->type));
		else if (m->val->feflags & TF_FROZEN)
			return redefined(k, m,
			    "%s is an inline table and cannot be extended",
			    keyname(k->s, k->len));
		else if (m->val->feflags & TF_DEFINED)
			return redefined(k, m,
			    "table %s is defined by a "
			    "header; dotted keys cannot extend it",
			    keyname(k->s, k->len));
		else {
			/* Dotted keys now define it: no [header] may. */
			tbl = m->val;
			tbl->feflags =
			    (tbl->feflags & ~TF_IMPLICIT) | TF_DOTTED;
		}
		if (++depth > DOC_MAX_DEPTH)
			return too_deep(&k->pos);
	}
	last = p->kp[n - 1];
	if ((m = lookup(p, tbl, last.s, last.len)) != NULL)
		return redefined(&last, m, "key %s is defined twice",
		    keyname(last.s, last.len));
	skip_ws(p);
	if (peek(p) != '=')
		return expected(p, "'=' after key");
	adv(p);
	skip_ws(p);
	if (parse_value(p, depth + 1, &val) == -1)
		return -1;
	insert(p, tbl, &last, val);
	return 0;
}

/* A newline or comment inside an inline table: an error in TOML 1.0,
 * skipped in TOML 1.1.  Returns 1 after reporting an error. */
static int
inline_break(struct parser *p)
{
	struct pos at = here(p);
	int c = peek(p);

	if (p->v11)
		return skip_ws_nl(p) == -1;
	if (c != '\n' && c != '\r' && c != '#')
		return 0;
	fail(&at, E_TOML_SYNTAX,
	    "an inline table must be on one line (TOML 1.0)");
	return 1;
}

/* An inline table; p is at '{'. */
static int
parse_inline_table(struct parser *p, unsigned depth, struct doc_node **out)
{
	struct pos open = here(p);
	struct doc_node *tbl = doc_new(DOC_TABLE, &open);

	if (depth > DOC_MAX_DEPTH)
		return too_deep(&open);
	adv(p);
	skip_ws(p);
	if (p->v11 && skip_ws_nl(p) == -1)
		return -1;
	if (peek(p) == '}') {
		adv(p);
		tbl->feflags = TF_FROZEN;
		*out = tbl;
		return 0;
	}
	for (;;) {
		if (inline_break(p))
			return -1;
		if (parse_keyval(p, tbl, depth) == -1)
			return -1;
		skip_ws(p);
		if (inline_break(p))
			return -1;
		if (peek(p) == '}') {
			adv(p);
			break;
		}
		if (peek(p) != ',')
			return expected(p, "',' or '}' in inline table");
		adv(p);
		skip_ws(p);
		if (p->v11 && skip_ws_nl(p) == -1)
			return -1;
		if (peek(p) == '}' && p->v11) {
			adv(p);
			break;
		}
		if (peek(p) == '}') {
			struct pos at = here(p);

			return fail(&at, E_TOML_SYNTAX,
			    "trailing comma in "
			    "inline table (not allowed in TOML 1.0)");
		}
	}
	freeze(tbl);
	*out = tbl;
	return 0;
}

/* An array value; p is at '['. */
static int
parse_array(struct parser *p, unsigned depth, struct doc_node **out)
{
	struct pos open = here(p);
	struct doc_node *arr = doc_new(DOC_ARRAY, &open), *v;

	if (depth > DOC_MAX_DEPTH)
		return too_deep(&open);
	arr->feflags = TF_FROZEN;
	adv(p);
	for (;;) {
		if (skip_ws_nl(p) == -1)
			return -1;
		if (peek(p) == ']')
			break;
		if (parse_value(p, depth + 1, &v) == -1)
			return -1;
		doc_array_push(arr, v);
		if (skip_ws_nl(p) == -1)
			return -1;
		if (peek(p) == ']')
			break;
		if (peek(p) != ',')
			return expected(p, "',' or ']' in array");
		adv(p);
	}
	adv(p);
	*out = arr;
	return 0;
}

/*
 * Numbers, booleans and dates.
 */

static int
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

/* Characters that can make up a bare value. */
static int
is_token(int c)
{
	return is_bare(c) || c == '+' || c == '.' || c == ':';
}

/*
 * A run of digits of the given base with '_' only between digits, starting
 * at t[*ip]; copies the digits to out (may be NULL).  Returns the number of
 * digits, 0 when the run is empty or an underscore is misplaced.
 */
static size_t
digits(const char *t, size_t n, size_t *ip, int base, struct buf *out)
{
	size_t i = *ip, nd = 0;

	for (;;) {
		int c = i < n ? t[i] : -1, d = hex_digit(c);

		if (d >= 0 && d < base && (base == 16 || is_digit(c))) {
			if (out != NULL)
				buf_putc(out, c);
			nd++;
			i++;
		} else if (c == '_' && nd > 0 && i + 1 < n &&
		    hex_digit(t[i + 1]) >= 0 && hex_digit(t[i + 1]) < base &&
		    (base == 16 || is_digit(t[i + 1])))
			i++;
		else
			break;
	}
	*ip = i;
	return nd;
}

static int
days_in_month(unsigned y, unsigned m)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30,
		31 };

	if (m == 2 && y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))
		return 29;
	return days[m - 1];
}

/* n decimal digits at t as a number, or -1 when they are not all digits. */
static int
fixed(const char *t, size_t n)
{
	int v = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		if (!is_digit(t[i]))
			return -1;
		v = v * 10 + (t[i] - '0');
	}
	return v;
}

/* HH:MM:SS[.frac] at t (seconds optional in TOML 1.1); appends the
 * normalised time, with ":00" for omitted seconds, to out and returns the
 * length read, or 0. */
static size_t
time_part(const char *t, size_t n, int v11, struct buf *out)
{
	int h, m, s = 0;
	size_t i = 8;

	if (n < 5 || t[2] != ':')
		return 0;
	h = fixed(t, 2);
	m = fixed(t + 3, 2);
	if (n >= 8 && t[5] == ':')
		s = fixed(t + 6, 2);
	else if (v11)
		i = 5;
	else
		return 0;
	if (h < 0 || m < 0 || s < 0 || h > 23 || m > 59 || s > 60)
		return 0;
	if (i == 8 && i < n && t[i] == '.') {
		i++;
		if (i >= n || !is_digit(t[i]))
			return 0;
		while (i < n && is_digit(t[i]))
			i++;
	}
	buf_add(out, t, i);
	if (i == 5)
		buf_puts(out, ":00");
	return i;
}

/* A date, time or date-time token; the normalised text goes to out. */
static int
datetime(const char *t, size_t n, int v11, enum doc_type *type, struct buf *out)
{
	size_t k;
	int y, mo, d;

	out->len = 0;
	if (n >= 3 && t[2] == ':') {
		if ((k = time_part(t, n, v11, out)) != n)
			return -1;
		*type = DOC_TIME_LOCAL;
		return 0;
	}
	if (n < 10 || t[4] != '-' || t[7] != '-')
		return -1;
	y = fixed(t, 4);
	mo = fixed(t + 5, 2);
	d = fixed(t + 8, 2);
	if (y < 0 || mo < 1 || mo > 12 || d < 1 ||
	    d > days_in_month((unsigned)y, (unsigned)mo))
		return -1;
	buf_add(out, t, 10);
	if (n == 10) {
		*type = DOC_DATE_LOCAL;
		return 0;
	}
	if (t[10] != 'T' && t[10] != 't' && t[10] != ' ')
		return -1;
	buf_putc(out, 'T');
	if ((k = time_part(t + 11, n - 11, v11, out)) == 0)
		return -1;
	k += 11;
	if (k == n) {
		*type = DOC_DATETIME_LOCAL;
		return 0;
	}
	*type = DOC_DATETIME;
	if ((t[k] == 'Z' || t[k] == 'z') && k + 1 == n) {
		buf_putc(out, 'Z');
		return 0;
	}
	if ((t[k] == '+' || t[k] == '-') && k + 6 == n && t[k + 3] == ':') {
		int oh = fixed(t + k + 1, 2), om = fixed(t + k + 4, 2);

		if (oh < 0 || om < 0 || oh > 23 || om > 59)
			return -1;
		buf_add(out, t + k, 6);
		return 0;
	}
	return -1;
}

/* An integer or float token (inf and nan included). */
static int
number(const char *t, size_t n, struct doc_node *v)
{
	struct buf b = { 0 };
	size_t i = 0, nd, start;
	int neg = 0, base = 10, isfloat = 0;
	uint64_t acc = 0, limit;

	if (n > 0 && (t[0] == '+' || t[0] == '-')) {
		neg = t[0] == '-';
		i = 1;
	}
	if (n - i == 3 &&
	    (memcmp(t + i, "inf", 3) == 0 || memcmp(t + i, "nan", 3) == 0)) {
		v->type = DOC_FLOAT;
		v->u.f = t[i] == 'i' ? INFINITY : NAN;
		if (neg)
			v->u.f = -v->u.f;
		return 0;
	}
	if (i == 0 && n > 2 && t[0] == '0' &&
	    (t[1] == 'x' || t[1] == 'o' || t[1] == 'b')) {
		base = t[1] == 'x' ? 16 : t[1] == 'o' ? 8 : 2;
		i = 2;
	}
	start = i;
	if (neg)
		buf_putc(&b, '-');
	nd = digits(t, n, &i, base, &b);
	if (nd == 0)
		return -1;
	if (base == 10 && nd > 1 && t[start] == '0')
		return -1; /* leading zero */
	if (base == 10 && i < n && t[i] == '.') {
		isfloat = 1;
		buf_putc(&b, '.');
		i++;
		if (digits(t, n, &i, 10, &b) == 0)
			return -1;
	}
	if (base == 10 && i < n && (t[i] == 'e' || t[i] == 'E')) {
		isfloat = 1;
		buf_putc(&b, 'e');
		i++;
		if (i < n && (t[i] == '+' || t[i] == '-'))
			buf_putc(&b, t[i++]);
		if (digits(t, n, &i, 10, &b) == 0)
			return -1;
	}
	if (i != n)
		return -1;
	if (isfloat) {
		errno = 0;
		v->type = DOC_FLOAT;
		v->u.f = strtod(b.s, NULL);
		if (errno == ERANGE && isinf(v->u.f))
			return -2;
		return 0;
	}
	limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	for (i = neg; i < b.len; i++) {
		unsigned d = (unsigned)hex_digit(b.s[i]);

		if (acc > (limit - d) / (unsigned)base)
			return -2;
		acc = acc * (unsigned)base + d;
	}
	v->type = DOC_INTEGER;
	v->u.i = neg ? (int64_t)(0 - acc) : (int64_t)acc;
	return 0;
}

/* A bare value: boolean, number or date-time. */
static int
parse_bare(struct parser *p, struct doc_node **out)
{
	struct pos at = here(p);
	const char *t = (const char *)p->s + p->i;
	struct doc_node *v;
	enum doc_type type;
	size_t n = 0;
	int rc;

	while (p->i + n < p->len && is_token(p->s[p->i + n]))
		n++;
	/* "1979-05-27 07:32:00": a space may separate date and time. */
	if (n == 10 && t[4] == '-' && peekat(p, 10) == ' ' &&
	    is_digit(peekat(p, 11)) && is_digit(peekat(p, 12)) &&
	    peekat(p, 13) == ':') {
		n = 11;
		while (p->i + n < p->len && is_token(p->s[p->i + n]))
			n++;
	}
	if (n == 0)
		return expected(p, "a value");
	if ((n == 4 && memcmp(t, "true", 4) == 0) ||
	    (n == 5 && memcmp(t, "false", 5) == 0)) {
		v = doc_new(DOC_BOOL, &at);
		v->u.b = n == 4;
	} else if ((n >= 3 && t[2] == ':') ||
	    (n >= 10 && t[4] == '-' && is_digit(t[0]))) {
		if (datetime(t, n, p->v11, &type, &p->sb) == -1)
			return fail(&at, E_TOML_SYNTAX,
			    "invalid date or time '%.*s'",
			    (int)(n > 40 ? 40 : n), t);
		v = doc_new_str(type, &at, p->sb.s, p->sb.len);
	} else {
		v = doc_new(DOC_INTEGER, &at);
		if ((rc = number(t, n, v)) == -2)
			return fail(&at, E_TOML_SYNTAX,
			    "number '%.*s%s' is out of range",
			    (int)(n > 40 ? 40 : n), t, n > 40 ? "..." : "");
		if (rc == -1)
			return fail(&at, E_TOML_SYNTAX,
			    "invalid value '%.*s%s'", (int)(n > 40 ? 40 : n), t,
			    n > 40 ? "..." : "");
	}
	advn(p, n);
	*out = v;
	return 0;
}

/* A value of any kind, to become a node depth levels below the root. */
static int
parse_value(struct parser *p, unsigned depth, struct doc_node **out)
{
	struct pos at = here(p);

	switch (peek(p)) {
	case '"':
	case '\'':
		if (parse_string(p, 1) == -1)
			return -1;
		*out = doc_new_str(DOC_STRING, &at, p->sb.s, p->sb.len);
		return 0;
	case '[':
		return parse_array(p, depth, out);
	case '{':
		return parse_inline_table(p, depth, out);
	default:
		return parse_bare(p, out);
	}
}

/*
 * Table headers.
 */

/* [a.b.c] or [[a.b.c]]; p is at the first '['. */
static int
parse_header(struct parser *p)
{
	struct pos open = here(p);
	struct doc_node *tbl = p->root, *t;
	struct doc_member *m;
	struct keypart *k;
	unsigned depth = 0;
	size_t n, j;
	int aot = 0;

	adv(p);
	if (peek(p) == '[') {
		aot = 1;
		adv(p);
	}
	skip_ws(p);
	if (parse_key(p, &n) == -1)
		return -1;
	if (peek(p) != ']')
		return expected(
		    p, aot ? "']]' after table name" : "']' after table name");
	adv(p);
	if (aot) {
		if (peek(p) != ']')
			return expected(p, "']]' after table name");
		adv(p);
	}
	for (j = 0; j + 1 < n; j++) {
		k = &p->kp[j];
		m = lookup(p, tbl, k->s, k->len);
		if (m == NULL) {
			t = doc_new(DOC_TABLE, &k->pos);
			t->feflags = TF_IMPLICIT;
			insert(p, tbl, k, t);
			tbl = t;
		} else if (m->val->type == DOC_TABLE) {
			if (m->val->feflags & TF_FROZEN)
				return redefined(k, m,
				    "%s is an inline table "
				    "and cannot be extended",
				    keyname(k->s, k->len));
			tbl = m->val;
		} else if (m->val->type == DOC_ARRAY &&
		    (m->val->feflags & TF_AOT)) {
			/* The most recent element of an array of tables. */
			tbl = m->val->u.array.v[m->val->u.array.n - 1];
			depth++;
		} else
			return redefined(k, m,
			    "%s is already %s %s, not a table",
			    keyname(k->s, k->len),
			    m->val->type == DOC_ARRAY ? "an" : "a",
			    doc_type_name(m->val->type));
		if (++depth > DOC_MAX_DEPTH)
			return too_deep(&k->pos);
	}
	k = &p->kp[n - 1];
	m = lookup(p, tbl, k->s, k->len);
	if (aot) {
		if (m == NULL) {
			struct doc_node *arr = doc_new(DOC_ARRAY, &open);

			arr->feflags = TF_AOT;
			insert(p, tbl, k, arr);
			m = &tbl->u.table.v[tbl->u.table.n - 1];
		} else if (m->val->type != DOC_ARRAY ||
		    !(m->val->feflags & TF_AOT))
			return redefined(k, m,
			    "%s is already %s %s, not an array of tables",
			    keyname(k->s, k->len),
			    m->val->type == DOC_ARRAY ? "an" : "a",
			    m->val->type == DOC_ARRAY
			        ? "array value"
			        : doc_type_name(m->val->type));
		depth += 2;
		if (depth > DOC_MAX_DEPTH)
			return too_deep(&k->pos);
		t = doc_new(DOC_TABLE, &open);
		t->feflags = TF_DEFINED;
		doc_array_push(m->val, t);
	} else {
		if (m == NULL) {
			t = doc_new(DOC_TABLE, &open);
			t->feflags = TF_DEFINED;
			insert(p, tbl, k, t);
		} else if (m->val->type != DOC_TABLE)
			return redefined(k, m,
			    "%s is already %s %s, not a table",
			    keyname(k->s, k->len),
			    m->val->type == DOC_ARRAY ? "an" : "a",
			    doc_type_name(m->val->type));
		else if (m->val->feflags & (TF_DEFINED | TF_DOTTED | TF_FROZEN))
			return redefined(k, m, "table %s is defined twice",
			    keyname(k->s, k->len));
		else {
			t = m->val;
			t->feflags = (t->feflags & ~TF_IMPLICIT) | TF_DEFINED;
			t->pos = open;
		}
		if (++depth > DOC_MAX_DEPTH)
			return too_deep(&k->pos);
	}
	p->cur = t;
	p->curdepth = depth;
	return 0;
}

/*
 * Checks on the raw bytes.
 */

/* Valid UTF-8, no NUL byte, no carriage return outside CR LF. */
static int
check_bytes(const struct parser *p)
{
	struct pos pos;
	size_t i = 0, n;

	pos.file = p->file;
	pos.line = 1;
	pos.col = 1;
	while (i < p->len) {
		unsigned char c = p->s[i];

		if (c == '\n') {
			pos.line++;
			pos.col = 1;
			i++;
			continue;
		}
		if (c == '\0')
			return fail(&pos, E_TOML_SYNTAX, "NUL byte in input");
		if (c == '\r' && (i + 1 == p->len || p->s[i + 1] != '\n'))
			return fail(&pos, E_TOML_SYNTAX,
			    "carriage return not followed by a newline");
		if (c < 0x80)
			n = 1;
		else if ((n = utf8_seqlen(p->s + i, p->len - i)) == 0)
			return fail(
			    &pos, E_ENCODING, "invalid UTF-8 byte 0x%02X", c);
		i += n;
		pos.col++;
	}
	return 0;
}

struct doc_node *
toml_parse(const char *file, const char *text, size_t len)
{
	return toml_parse_version(file, text, len, 0);
}

struct doc_node *
toml_parse_version(const char *file, const char *text, size_t len, int minor)
{
	struct parser p;

	memset(&p, 0, sizeof(p));
	p.v11 = minor >= 1;
	p.file = file;
	p.s = (const unsigned char *)text;
	p.len = len;
	p.line = p.col = 1;
	if (len > DOC_MAX_INPUT) {
		struct pos at = here(&p);

		fail(&at, E_LIMIT, "file is larger than %u bytes",
		    DOC_MAX_INPUT);
		return NULL;
	}
	if (check_bytes(&p) == -1)
		return NULL;
	/* A byte order mark is allowed at the start and ignored. */
	if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
		p.i = 3;
	{
		struct pos at = here(&p);

		p.root = doc_new(DOC_TABLE, &at);
	}
	p.root->feflags = TF_DEFINED;
	p.cur = p.root;
	for (;;) {
		int c;

		skip_ws(&p);
		c = peek(&p);
		if (c == -1)
			break;
		if (c == '#') {
			if (skip_comment(&p) == -1)
				return NULL;
		} else if (c == '[') {
			if (parse_header(&p) == -1)
				return NULL;
		} else if (c != '\n' && c != '\r') {
			if (parse_keyval(&p, p.cur, p.curdepth) == -1)
				return NULL;
			if (end_of_line(&p, "a newline after the value") == -1)
				return NULL;
			continue;
		}
		if (end_of_line(&p, "a newline after the table header") == -1)
			return NULL;
	}
	return p.root;
}
