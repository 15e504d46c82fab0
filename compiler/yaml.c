/*
 * yaml.c - the YAML front end: libyaml's event stream to document tree.
 *
 * libyaml's own document loader would resolve anchors and aliases, accept
 * any tag and keep both of two equal keys.  Reading the event stream and
 * building the tree here lets us refuse the first three with a position
 * and report duplicate keys at both places, and keeps nesting bounded
 * without recursion: open mappings and sequences live on an explicit
 * stack of at most DOC_MAX_DEPTH + 1 frames.
 *
 * Plain scalars are typed by the YAML 1.2 core schema; quoted and block
 * scalars are always strings.  YAML has null and profiles do not, so a
 * null is an error rather than a missing key.
 *
 * libyaml reads YAML 1.1, which also ends lines at a lone CR, NEL, LS and
 * PS.  Those are refused before parsing (check_text), so that libyaml's
 * line count agrees with the '\n' count diag.c uses to quote lines and
 * with the YAML 1.2 meaning of the text.  After that check every mark
 * libyaml hands out is turned into a position by mark_pos() alone.
 *
 * Errors of meaning (duplicates, nulls, tags, ...) are all reported in
 * one run, up to YAML_MAX_ERRORS; a libyaml syntax error ends the run,
 * since the events after it mean nothing.
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "util.h"
#include "diag.h"
#include "doc.h"
#include "frontend.h"

/* After this many errors in one file the rest is not read: nobody reads
 * a million messages, and storing them would cost more than the file. */
#define YAML_MAX_ERRORS 100

/* One open mapping or sequence. */
struct frame {
	struct doc_node *node; /* DOC_TABLE or DOC_ARRAY */
	int havekey;           /* table: a key was read, its value is next */
	int dropval;           /* table: that key was bad; drop the value */
	const char *key;       /* table: the key read */
	size_t keylen;
	struct pos keypos;
};

struct yparser {
	const char *file;
	yaml_parser_t lib;
	struct frame stack[DOC_MAX_DEPTH + 1];
	size_t nframes;
	struct doc_node *root;
	unsigned ndocs;         /* documents started so far */
	int stop;               /* an error after which events mean nothing */
	struct doc_index index; /* for duplicate keys */
};

/*
 * The one place where libyaml's marks become positions.  A mark's line
 * and column are 0-based; the column counts characters (code points of
 * the UTF-8 input), which is what struct pos counts, so both only need 1
 * added.  check_text() has already refused every line break libyaml knows
 * but '\n' and CRLF do not.
 */
static struct pos
mark_pos(const struct yparser *p, const yaml_mark_t *m)
{
	struct pos pos;

	/* The input is at most DOC_MAX_INPUT bytes: both fit. */
	pos.file = p->file;
	pos.line = (unsigned)m->line + 1;
	pos.col = (unsigned)m->column + 1;
	return pos;
}

/* A key or value for messages: quoted, printable and cut short. */
static const char *
quoted(const char *s, size_t len)
{
	struct buf b = { 0 };

	buf_json_string(&b, s, len > 60 ? 60 : len);
	if (len > 60) {
		b.s[--b.len] = '\0';
		buf_puts(&b, "...\"");
	}
	return b.s;
}

/*
 * Refuse bytes that are not YAML 1.2 text or that libyaml would read
 * differently: malformed UTF-8, NUL and other control characters, and
 * the line breaks YAML 1.1 has beyond LF and CRLF.  Returns -1 after
 * reporting the first one.
 */
static int
check_text(const char *file, const unsigned char *s, size_t len)
{
	struct pos pos;
	const char *what;
	size_t i = 0, n;
	unsigned long cp;

	pos.file = file;
	pos.line = pos.col = 1;
	while (i < len) {
		unsigned c = s[i];

		if (c == '\n') {
			pos.line++;
			pos.col = 1;
			i++;
			continue;
		}
		if (c == '\r' && i + 1 < len && s[i + 1] == '\n') {
			i++;
			continue;
		}
		if (c == '\r') {
			diag(&pos, E_YAML_SYNTAX,
			    "carriage return not followed by a newline");
			return -1;
		}
		if (c == '\0') {
			diag(&pos, E_YAML_SYNTAX, "NUL byte in input");
			return -1;
		}
		if ((c < 0x20 && c != '\t') || c == 0x7f) {
			diag(&pos, E_YAML_SYNTAX,
			    "control character U+%04X is not allowed", c);
			return -1;
		}
		if (c < 0x80) {
			i++;
			pos.col++;
			continue;
		}
		if ((n = utf8_seqlen(s + i, len - i)) == 0) {
			diag(&pos, E_ENCODING, "invalid UTF-8 byte 0x%02X", c);
			return -1;
		}
		cp = c & (n == 2 ? 0x1f : n == 3 ? 0x0f : 0x07);
		for (size_t k = 1; k < n; k++)
			cp = cp << 6 | (s[i + k] & 0x3f);
		what = NULL;
		if (cp == 0x85)
			what = "U+0085 (next line)";
		else if (cp == 0x2028)
			what = "U+2028 (line separator)";
		else if (cp == 0x2029)
			what = "U+2029 (paragraph separator)";
		if (what != NULL) {
			diag(&pos, E_YAML_SYNTAX,
			    "%s breaks the line for libyaml (YAML 1.1) but not "
			    "in YAML 1.2; write it as an escape in a "
			    "double-quoted string",
			    what);
			return -1;
		}
		if (cp < 0xa0 || cp == 0xfffe || cp == 0xffff) {
			diag(&pos, E_YAML_SYNTAX,
			    "control character U+%04lX is not allowed", cp);
			return -1;
		}
		i += n;
		pos.col++;
	}
	return 0;
}

/* The position of byte offset off (only libyaml reader errors have no
 * mark; check_text() should have caught them first). */
static struct pos
offset_pos(const struct yparser *p, size_t off)
{
	const unsigned char *s = p->lib.input.string.start;
	size_t len = (size_t)(p->lib.input.string.end - s), i;
	struct pos pos;

	pos.file = p->file;
	pos.line = pos.col = 1;
	for (i = 0; i < off && i < len; i++) {
		if (s[i] == '\n') {
			pos.line++;
			pos.col = 1;
		} else if ((s[i] & 0xc0) != 0x80)
			pos.col++;
	}
	return pos;
}

/* Report libyaml's error; parsing stops after it. */
static void
syntax_error(struct yparser *p)
{
	const yaml_parser_t *y = &p->lib;
	const char *problem = y->problem ? y->problem : "unknown error";
	struct pos at, ctx;

	p->stop = 1;
	switch (y->error) {
	case YAML_MEMORY_ERROR:
		fatal("out of memory");
	case YAML_READER_ERROR:
		at = offset_pos(p, y->problem_offset);
		diag(&at, E_YAML_SYNTAX, "%s", problem);
		return;
	case YAML_SCANNER_ERROR:
	case YAML_PARSER_ERROR:
		at = mark_pos(p, &y->problem_mark);
		if (y->context == NULL) {
			diag(&at, E_YAML_SYNTAX, "%s", problem);
			return;
		}
		ctx = mark_pos(p, &y->context_mark);
		if (ctx.line == at.line && ctx.col == at.col)
			diag(
			    &at, E_YAML_SYNTAX, "%s (%s)", problem, y->context);
		else
			diag(&at, E_YAML_SYNTAX,
			    "%s (%s at line %u, column %u)", problem,
			    y->context, ctx.line, ctx.col);
		return;
	case YAML_NO_ERROR:
	case YAML_COMPOSER_ERROR:
	case YAML_WRITER_ERROR:
	case YAML_EMITTER_ERROR:
		break;
	}
	at = offset_pos(p, 0);
	diag(&at, E_YAML_SYNTAX, "%s", problem);
}

/*
 * Typing plain scalars: the YAML 1.2 core schema.
 */

enum plain {
	PLAIN_STRING,
	PLAIN_NULL,
	PLAIN_BOOL,
	PLAIN_INT,
	PLAIN_FLOAT,
	PLAIN_OLD_BOOL /* YAML 1.1 yes/no/on/off: a string, with a warning */
};

static int
is_one_of(const char *s, size_t len, const char *const *words)
{
	for (; *words != NULL; words++)
		if (strlen(*words) == len && memcmp(s, *words, len) == 0)
			return 1;
	return 0;
}

/* Digits of base starting at s[*ip]; returns how many. */
static size_t
span_digits(const char *s, size_t len, size_t *ip, int base)
{
	size_t start = *ip;

	for (; *ip < len; ++*ip) {
		int c = (unsigned char)s[*ip];

		if (base == 8 && !(c >= '0' && c <= '7'))
			break;
		if (base == 10 && !(c >= '0' && c <= '9'))
			break;
		if (base == 16 &&
		    !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
		        (c >= 'A' && c <= 'F')))
			break;
	}
	return *ip - start;
}

/* [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)? */
static int
is_float(const char *s, size_t len)
{
	size_t i = 0;

	if (i < len && (s[i] == '-' || s[i] == '+'))
		i++;
	if (i < len && s[i] == '.') {
		i++;
		if (span_digits(s, len, &i, 10) == 0)
			return 0;
	} else {
		if (span_digits(s, len, &i, 10) == 0)
			return 0;
		if (i < len && s[i] == '.') {
			i++;
			span_digits(s, len, &i, 10);
		}
	}
	if (i < len && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < len && (s[i] == '-' || s[i] == '+'))
			i++;
		if (span_digits(s, len, &i, 10) == 0)
			return 0;
	}
	return i == len;
}

/* [-+]?[0-9]+, 0o[0-7]+ or 0x[0-9a-fA-F]+; *basep gets the base and *ip
 * the offset of the first digit. */
static int
is_int(const char *s, size_t len, int *basep, size_t *ip)
{
	size_t i = 0;

	if (len > 2 && s[0] == '0' && (s[1] == 'o' || s[1] == 'x')) {
		*basep = s[1] == 'o' ? 8 : 16;
		i = 2;
	} else {
		*basep = 10;
		if (len > 0 && (s[0] == '-' || s[0] == '+'))
			i = 1;
	}
	*ip = i;
	return span_digits(s, len, &i, *basep) > 0 && i == len;
}

static enum plain
plain_kind(const char *s, size_t len)
{
	static const char *const nulls[] = { "", "~", "null", "Null", "NULL",
		NULL };
	static const char *const bools[] = { "true", "True", "TRUE", "false",
		"False", "FALSE", NULL };
	static const char *const floats[] = { ".inf", ".Inf", ".INF", "+.inf",
		"+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF", ".nan", ".NaN",
		".NAN", NULL };
	static const char *const old[] = { "yes", "no", "on", "off", NULL };
	int base;
	size_t i;

	if (is_one_of(s, len, nulls))
		return PLAIN_NULL;
	if (is_one_of(s, len, bools))
		return PLAIN_BOOL;
	if (is_int(s, len, &base, &i))
		return PLAIN_INT;
	if (is_float(s, len) || is_one_of(s, len, floats))
		return PLAIN_FLOAT;
	for (i = 0; old[i] != NULL; i++)
		if (strlen(old[i]) == len && strncasecmp(s, old[i], len) == 0)
			return PLAIN_OLD_BOOL;
	return PLAIN_STRING;
}

/* The value of an integer scalar; -1 when it does not fit in 64 bits. */
static int
int_value(const char *s, size_t len, int64_t *out)
{
	uint64_t acc = 0, limit;
	int base, neg;
	size_t i;

	if (!is_int(s, len, &base, &i))
		return -1;
	neg = s[0] == '-';
	limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	for (; i < len; i++) {
		int c = (unsigned char)s[i];
		unsigned d = c <= '9' ? (unsigned)(c - '0')
		    : c >= 'a'        ? (unsigned)(c - 'a' + 10)
		                      : (unsigned)(c - 'A' + 10);

		if (acc > (limit - d) / (unsigned)base)
			return -1;
		acc = acc * (unsigned)base + d;
	}
	*out = neg ? (int64_t)(0 - acc) : (int64_t)acc;
	return 0;
}

/* The value of a float scalar (s is NUL-terminated); -1 on overflow. */
static int
float_value(const char *s, size_t len, double *out)
{
	size_t i = s[0] == '-' || s[0] == '+';

	if (len - i == 4 && s[i] == '.' && (s[i + 1] | 0x20) == 'i') {
		*out = s[0] == '-' ? -INFINITY : INFINITY;
		return 0;
	}
	if (len == 4 && s[0] == '.' && (s[1] | 0x20) == 'n') {
		*out = NAN;
		return 0;
	}
	errno = 0;
	*out = strtod(s, NULL);
	if (errno == ERANGE && isinf(*out))
		return -1;
	return 0;
}

/*
 * Building the tree.
 */

/* The frame on top of the stack, or NULL before the root. */
static struct frame *
top(struct yparser *p)
{
	return p->nframes > 0 ? &p->stack[p->nframes - 1] : NULL;
}

/* A node's kind for messages about the root. */
static const char *
what_node(const struct doc_node *n)
{
	switch (n->type) {
	case DOC_ARRAY:
		return "a sequence";
	case DOC_INTEGER:
		return "an integer";
	case DOC_FLOAT:
		return "a float";
	case DOC_BOOL:
		return "a boolean";
	case DOC_TABLE:
	case DOC_NULL:
	case DOC_STRING:
	case DOC_DATETIME:
	case DOC_DATETIME_LOCAL:
	case DOC_DATE_LOCAL:
	case DOC_TIME_LOCAL:
		break;
	}
	return "a string";
}

/* An anchor or tag name for messages, cut short on a character boundary
 * (check_text() made it valid UTF-8 without control characters). */
static const char *
short_name(const yaml_char_t *name)
{
	const char *s = (const char *)name;
	size_t len = strlen(s);

	if (len <= 60)
		return s;
	len = 60;
	while (len > 0 && ((unsigned char)s[len] & 0xc0) == 0x80)
		len--;
	return arena_printf("%.*s...", (int)len, s);
}

/* Refuse an anchor or a tag on a node at pos. */
static void
check_props(
    const struct pos *pos, const yaml_char_t *anchor, const yaml_char_t *tag)
{
	static const char core[] = "tag:yaml.org,2002:";
	const char *t = (const char *)tag;

	if (anchor != NULL)
		diag(pos, E_YAML_FEATURE,
		    "anchor &%s: anchors and aliases are not allowed; "
		    "write the value out",
		    short_name(anchor));
	if (tag == NULL)
		return;
	/* libyaml has expanded "!!str"; show it as written. */
	if (strncmp(t, core, sizeof(core) - 1) == 0)
		t = arena_printf("!!%s", t + sizeof(core) - 1);
	diag(pos, E_YAML_FEATURE,
	    "tag %s: tags are not allowed; a value's type comes from how "
	    "it is written",
	    short_name((const yaml_char_t *)t));
}

/*
 * A node that is the value of the table member or array element being
 * read, or the root.  Keys never come here.
 */
static void
place(struct yparser *p, struct doc_node *n)
{
	struct frame *f = top(p);
	struct doc_node *tbl;

	if (f == NULL) {
		p->root = n;
		if (n->type == DOC_NULL)
			diag(&n->pos, E_SCHEMA_TYPE,
			    "the document is empty; the top level must be a "
			    "mapping of keys to values");
		else if (n->type != DOC_TABLE)
			diag(&n->pos, E_SCHEMA_TYPE,
			    "the top level must be a mapping of keys to "
			    "values, not %s",
			    what_node(n));
		return;
	}
	if (f->node->type == DOC_ARRAY) {
		doc_array_push(f->node, n);
		return;
	}
	f->havekey = 0;
	if (f->dropval)
		return;
	tbl = f->node;
	doc_index_add(&p->index, tbl, f->key, f->keylen, &f->keypos, n);
}

/* The key of a mapping member: it must be a string and new. */
static void
take_key(struct yparser *p, struct frame *f, const struct pos *at,
    const char *s, size_t len, int plain)
{
	struct doc_member *m;
	enum plain kind = plain ? plain_kind(s, len) : PLAIN_STRING;

	f->havekey = 1;
	f->dropval = 0;
	f->key = arena_strndup(s, len);
	f->keylen = len;
	f->keypos = *at;
	switch (kind) {
	case PLAIN_STRING:
	case PLAIN_OLD_BOOL:
		break;
	case PLAIN_NULL:
		diag(at, E_YAML_KEY, "%s is null here; quote the key",
		    len == 0 ? "an empty key" : quoted(s, len));
		f->dropval = 1;
		return;
	case PLAIN_BOOL:
	case PLAIN_INT:
	case PLAIN_FLOAT:
		diag(at, E_YAML_KEY, "%s is %s here; quote the key",
		    quoted(s, len),
		    kind == PLAIN_BOOL      ? "a boolean"
		        : kind == PLAIN_INT ? "an integer"
		                            : "a float");
		f->dropval = 1;
		return;
	}
	if ((m = doc_index_find(&p->index, f->node, s, len)) != NULL) {
		diag(at, E_YAML_DUPLICATE, "key %s", quoted(s, len));
		diag(&m->keypos, N_PREVIOUS, NULL);
		f->dropval = 1;
	}
}

/* A null value where a value is required: report it and stand in a
 * placeholder, so that a later duplicate of its key is still found. */
static struct doc_node *
null_value(struct yparser *p, const struct pos *at, const char *s, size_t len)
{
	struct frame *f = top(p);

	if (len > 0)
		diag(at, E_YAML_NULL,
		    "%s means null in YAML; quote it for a string",
		    quoted(s, len));
	else if (f->node->type == DOC_ARRAY)
		diag(at, E_YAML_NULL, "empty list item");
	else if (f->dropval)
		diag(at, E_YAML_NULL, "empty value");
	else
		diag(at, E_YAML_NULL, "key %s has no value",
		    quoted(f->key, f->keylen));
	return doc_new(DOC_NULL, at);
}

/* A scalar that is a value: typed if plain, a string otherwise. */
static struct doc_node *
scalar_value(struct yparser *p, const struct pos *at, const char *s, size_t len,
    int plain)
{
	struct doc_node *n;
	enum plain kind = plain ? plain_kind(s, len) : PLAIN_STRING;

	switch (kind) {
	case PLAIN_STRING:
		break;
	case PLAIN_OLD_BOOL:
		diag(at, W_YAML_BOOL_WORD,
		    "write true or false; '%.*s' is a string here", (int)len,
		    s);
		break;
	case PLAIN_NULL:
		if (top(p) == NULL)
			return doc_new(DOC_NULL, at); /* place() says why */
		return null_value(p, at, s, len);
	case PLAIN_BOOL:
		n = doc_new(DOC_BOOL, at);
		n->u.b = s[0] == 't' || s[0] == 'T';
		return n;
	case PLAIN_INT:
		n = doc_new(DOC_INTEGER, at);
		if (int_value(s, len, &n->u.i) == -1)
			diag(at, E_LIMIT, "integer %s does not fit in 64 bits",
			    quoted(s, len));
		return n;
	case PLAIN_FLOAT:
		n = doc_new(DOC_FLOAT, at);
		if (float_value(s, len, &n->u.f) == -1)
			diag(at, E_LIMIT, "number %s is out of range",
			    quoted(s, len));
		return n;
	}
	return doc_new_str(DOC_STRING, at, s, len);
}

static void
on_scalar(struct yparser *p, const yaml_event_t *ev)
{
	struct pos at = mark_pos(p, &ev->start_mark);
	const char *s = (const char *)ev->data.scalar.value;
	size_t len = ev->data.scalar.length;
	int plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
	struct frame *f = top(p);

	check_props(&at, ev->data.scalar.anchor, ev->data.scalar.tag);
	if (f != NULL && f->node->type == DOC_TABLE && !f->havekey) {
		take_key(p, f, &at, s, len, plain);
		return;
	}
	place(p, scalar_value(p, &at, s, len, plain));
}

/* A mapping or sequence opens. */
static void
on_open(struct yparser *p, const yaml_event_t *ev, enum doc_type type)
{
	struct pos at = mark_pos(p, &ev->start_mark);
	struct frame *f = top(p);
	struct doc_node *n;

	if (type == DOC_TABLE)
		check_props(&at, ev->data.mapping_start.anchor,
		    ev->data.mapping_start.tag);
	else
		check_props(&at, ev->data.sequence_start.anchor,
		    ev->data.sequence_start.tag);
	if (p->nframes > DOC_MAX_DEPTH) {
		diag(&at, E_LIMIT,
		    "mappings and sequences nest more than %d deep",
		    DOC_MAX_DEPTH);
		p->stop = 1;
		return;
	}
	n = doc_new(type, &at);
	if (f != NULL && f->node->type == DOC_TABLE && !f->havekey) {
		/* A complex key: read it for its errors, then drop it. */
		diag(&at, E_YAML_KEY, "a %s cannot be a key",
		    type == DOC_TABLE ? "mapping" : "sequence");
		f->havekey = f->dropval = 1;
		f->key = "";
		f->keylen = 0;
		f->keypos = at;
	} else
		place(p, n);
	f = &p->stack[p->nframes++];
	memset(f, 0, sizeof(*f));
	f->node = n;
}

static void
on_alias(struct yparser *p, const yaml_event_t *ev)
{
	struct pos at = mark_pos(p, &ev->start_mark);
	struct frame *f = top(p);

	diag(&at, E_YAML_FEATURE,
	    "alias *%s: anchors and aliases are not allowed; write the value "
	    "out",
	    short_name(ev->data.alias.anchor));
	if (f != NULL && f->node->type == DOC_TABLE && !f->havekey) {
		f->havekey = f->dropval = 1;
		f->key = "";
		f->keylen = 0;
		f->keypos = at;
	} else
		place(p, doc_new(DOC_NULL, &at));
}

static void
on_document(struct yparser *p, const yaml_event_t *ev)
{
	struct pos at = mark_pos(p, &ev->start_mark);
	const yaml_version_directive_t *v =
	    ev->data.document_start.version_directive;

	if (++p->ndocs > 1) {
		diag(&at, E_YAML_FEATURE,
		    "a second document: a profile is one YAML document");
		p->stop = 1;
		return;
	}
	if (v != NULL && (v->major != 1 || v->minor != 2))
		diag(&at, E_YAML_FEATURE,
		    "%%YAML %d.%d directive: profiles are read as YAML 1.2",
		    v->major, v->minor);
	if (ev->data.document_start.tag_directives.start !=
	    ev->data.document_start.tag_directives.end)
		diag(&at, E_YAML_FEATURE,
		    "%%TAG directive: tags are not allowed");
}

/* Handle one event; the caller deletes it. */
static void
on_event(struct yparser *p, const yaml_event_t *ev)
{
	switch (ev->type) {
	case YAML_NO_EVENT:
	case YAML_STREAM_START_EVENT:
	case YAML_STREAM_END_EVENT:
	case YAML_DOCUMENT_END_EVENT:
		break;
	case YAML_DOCUMENT_START_EVENT:
		on_document(p, ev);
		break;
	case YAML_ALIAS_EVENT:
		on_alias(p, ev);
		break;
	case YAML_SCALAR_EVENT:
		on_scalar(p, ev);
		break;
	case YAML_SEQUENCE_START_EVENT:
		on_open(p, ev, DOC_ARRAY);
		break;
	case YAML_MAPPING_START_EVENT:
		on_open(p, ev, DOC_TABLE);
		break;
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		if (p->nframes == 0)
			fatal("yaml: end event without a start");
		p->nframes--;
		break;
	}
}

struct doc_node *
yamlfe_parse(const char *file, const char *text, size_t len)
{
	struct yparser *p;
	struct doc_node *root;
	unsigned errors = diag_errors();
	yaml_event_t ev;
	int done = 0;

	if (len > DOC_MAX_INPUT) {
		struct pos at = { file, 1, 1 };

		diag(&at, E_LIMIT, "file is larger than %u bytes",
		    DOC_MAX_INPUT);
		return NULL;
	}
	/* A byte order mark is allowed at the start and ignored; skipping it
	 * here keeps libyaml from counting it as a column. */
	if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0) {
		text += 3;
		len -= 3;
	}
	if (check_text(file, (const unsigned char *)text, len) == -1)
		return NULL;

	p = arena_alloc(sizeof(*p));
	p->file = file;
	if (!yaml_parser_initialize(&p->lib))
		fatal("out of memory");
	yaml_parser_set_encoding(&p->lib, YAML_UTF8_ENCODING);
	yaml_parser_set_input_string(&p->lib, (const unsigned char *)text, len);
	while (!done && !p->stop) {
		if (!yaml_parser_parse(&p->lib, &ev)) {
			syntax_error(p);
			break;
		}
		done = ev.type == YAML_STREAM_END_EVENT;
		on_event(p, &ev);
		if (!done && !p->stop &&
		    diag_errors() - errors >= YAML_MAX_ERRORS) {
			struct pos at = mark_pos(p, &ev.start_mark);

			diag(&at, E_LIMIT,
			    "%d errors; the rest of the file is not read",
			    YAML_MAX_ERRORS);
			p->stop = 1;
		}
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&p->lib);

	root = p->root;
	if (root == NULL && p->ndocs == 0 && done) {
		/* No document at all (empty, or only comments): an empty
		 * mapping, as an empty TOML file is an empty table. */
		struct pos at = { file, 1, 1 };

		root = doc_new(DOC_TABLE, &at);
	}
	if (diag_errors() > errors || root == NULL || root->type != DOC_TABLE)
		return NULL;
	return root;
}
