/*
 * jsoncmp.c - compare two toml-test tagged JSON documents by meaning.
 *
 * usage: jsoncmp EXPECTED ACTUAL
 *
 * Objects compare as unordered maps, arrays in order.  A tagged value
 * {"type": T, "value": V} compares by T and then by V the way toml-test
 * does: floats numerically (nan equals nan, the sign of inf matters),
 * integers numerically, offset date-times as instants (so Z, +00:00 and
 * -00:00 agree), local date-times, dates and times after normalising the
 * separator, the case of T and Z and trailing zeros of fractional seconds.
 * Exit 0 when equal, 1 with the path of the first difference on stderr,
 * 2 when a file cannot be read or parsed.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "diag.h"
#include "doc.h"
#include "frontend.h"

/* The string value of member key of a table, or NULL. */
static const struct doc_node *
member_str(const struct doc_node *n, const char *key)
{
	const struct doc_node *v = doc_get(n, key);

	return v != NULL && v->type == DOC_STRING ? v : NULL;
}

/* Whether n is a tagged scalar {"type": "...", "value": "..."}. */
static int
is_tagged(const struct doc_node *n)
{
	return n->type == DOC_TABLE && n->u.table.n == 2 &&
	    member_str(n, "type") != NULL && member_str(n, "value") != NULL;
}

static int
parse_float(const char *s, double *f)
{
	const char *t = s;
	char *end;

	if (*t == '+' || *t == '-')
		t++;
	if (strcmp(t, "nan") == 0) {
		*f = NAN;
		return 0;
	}
	if (strcmp(t, "inf") == 0) {
		*f = *s == '-' ? -INFINITY : INFINITY;
		return 0;
	}
	errno = 0;
	*f = strtod(s, &end);
	return *s == '\0' || *end != '\0' ? -1 : 0;
}

static int
parse_int(const char *s, long long *v)
{
	char *end;

	errno = 0;
	*v = strtoll(s, &end, 10);
	return *s == '\0' || *end != '\0' || errno != 0 ? -1 : 0;
}

/*
 * Normalise a date, time or date-time: 'T' between date and time, upper
 * case T and Z, no trailing zeros in the fraction of a second (and no
 * '.' left alone).
 */
static char *
norm_datetime(const char *s)
{
	char *t = arena_strdup(s), *dot, *end;
	size_t i;

	for (i = 0; t[i] != '\0'; i++) {
		if (t[i] == 't' || t[i] == 'z')
			t[i] = (char)toupper((unsigned char)t[i]);
		if (i == 10 && t[i] == ' ')
			t[i] = 'T';
	}
	if ((dot = strchr(t, '.')) != NULL) {
		for (end = dot + 1; isdigit((unsigned char)*end); end++)
			;
		i = (size_t)(end - dot);
		while (i > 1 && dot[i - 1] == '0')
			i--;
		if (i == 1)
			i = 0;
		memmove(dot + i, end, strlen(end) + 1);
	}
	return t;
}

/* Days since 1970-01-01 of a proleptic Gregorian date. */
static long long
days_from_civil(long long y, unsigned m, unsigned d)
{
	long long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/*
 * An offset date-time (already normalised) as seconds since the epoch in
 * UTC plus its fraction text; -1 when it does not have that form.
 */
static int
instant(const char *s, long long *secs, const char **frac, size_t *fraclen)
{
	unsigned y, mo, d, h, mi, sec, oh = 0, om = 0;
	int n = 0, sign = 0;
	const char *p;

	if (sscanf(s, "%4u-%2u-%2uT%2u:%2u:%2u%n", &y, &mo, &d, &h, &mi, &sec,
	        &n) != 6 ||
	    n != 19)
		return -1;
	p = s + n;
	*frac = p;
	while (*p == '.' || isdigit((unsigned char)*p))
		p++;
	*fraclen = (size_t)(p - *frac);
	if (strcmp(p, "Z") == 0)
		sign = 0;
	else if ((*p == '+' || *p == '-') && strlen(p) == 6 &&
	    sscanf(p + 1, "%2u:%2u", &oh, &om) == 2)
		sign = *p == '-' ? -1 : 1;
	else
		return -1;
	*secs = days_from_civil(y, mo, d) * 86400 + h * 3600ll + mi * 60ll +
	    sec - sign * (oh * 3600ll + om * 60ll);
	return 0;
}

/* Compare two tagged values of the same type; 0 when equal. */
static int
cmp_value(const char *type, const char *e, const char *a)
{
	double fe, fa;
	long long ie, ia, se, sa;
	const char *fre, *fra;
	size_t nfe, nfa;
	char *ne, *na;

	if (strcmp(type, "float") == 0 && parse_float(e, &fe) == 0 &&
	    parse_float(a, &fa) == 0) {
		if (isnan(fe) || isnan(fa))
			return !(isnan(fe) && isnan(fa));
		return fe != fa;
	}
	if (strcmp(type, "integer") == 0 && parse_int(e, &ie) == 0 &&
	    parse_int(a, &ia) == 0)
		return ie != ia;
	if (strcmp(type, "datetime") == 0 ||
	    strcmp(type, "datetime-local") == 0 ||
	    strcmp(type, "date-local") == 0 ||
	    strcmp(type, "time-local") == 0) {
		ne = norm_datetime(e);
		na = norm_datetime(a);
		if (strcmp(type, "datetime") == 0 &&
		    instant(ne, &se, &fre, &nfe) == 0 &&
		    instant(na, &sa, &fra, &nfa) == 0)
			return se != sa || nfe != nfa ||
			    memcmp(fre, fra, nfe) != 0;
		return strcmp(ne, na);
	}
	return strcmp(e, a);
}

/* A node for messages. */
static const char *
describe(const struct doc_node *n)
{
	struct buf b = { 0 };

	if (is_tagged(n)) {
		const struct doc_node *v = member_str(n, "value");

		buf_printf(&b, "%s ", member_str(n, "type")->u.str.s);
		buf_json_string(
		    &b, v->u.str.s, v->u.str.len > 80 ? 80 : v->u.str.len);
		return b.s;
	}
	switch (n->type) {
	case DOC_TABLE:
		return arena_printf("table of %zu keys", n->u.table.n);
	case DOC_ARRAY:
		return arena_printf("array of %zu elements", n->u.array.n);
	case DOC_STRING:
		buf_puts(&b, "bare string ");
		buf_json_string(&b, n->u.str.s, n->u.str.len);
		return b.s;
	case DOC_INTEGER:
	case DOC_FLOAT:
	case DOC_BOOL:
	case DOC_NULL:
	case DOC_DATETIME:
	case DOC_DATETIME_LOCAL:
	case DOC_DATE_LOCAL:
	case DOC_TIME_LOCAL:
		break;
	}
	return arena_printf("bare %s", doc_type_name(n->type));
}

static int
differ(const struct buf *path, const char *what)
{
	fprintf(stderr, "jsoncmp: %s: %s\n", path->len > 0 ? path->s : "(top)",
	    what);
	return 1;
}

/* Depth is bounded by json_parse()'s DOC_MAX_DEPTH. */
static int
cmp(const struct doc_node *e, const struct doc_node *a, struct buf *path)
{
	size_t i, keep = path->len;

	if (is_tagged(e) || is_tagged(a)) {
		const char *te, *ta;

		if (!is_tagged(e) || !is_tagged(a))
			goto mismatch;
		te = member_str(e, "type")->u.str.s;
		ta = member_str(a, "type")->u.str.s;
		if (strcmp(te, ta) != 0 ||
		    cmp_value(te, member_str(e, "value")->u.str.s,
		        member_str(a, "value")->u.str.s) != 0)
			goto mismatch;
		return 0;
	}
	if (e->type != a->type)
		goto mismatch;
	switch (e->type) {
	case DOC_TABLE:
		for (i = 0; i < e->u.table.n; i++) {
			const struct doc_member *me = &e->u.table.v[i];
			const struct doc_member *ma =
			    doc_table_find(a, me->key, me->keylen);

			buf_putc(path, '[');
			buf_json_string(path, me->key, me->keylen);
			buf_putc(path, ']');
			if (ma == NULL)
				return differ(path, "key missing");
			if (cmp(me->val, ma->val, path) != 0)
				return 1;
			path->len = keep;
			path->s[keep] = '\0';
		}
		for (i = 0; i < a->u.table.n; i++) {
			const struct doc_member *ma = &a->u.table.v[i];

			if (doc_table_find(e, ma->key, ma->keylen) == NULL) {
				buf_putc(path, '[');
				buf_json_string(path, ma->key, ma->keylen);
				buf_putc(path, ']');
				return differ(path, "unexpected key");
			}
		}
		return 0;
	case DOC_ARRAY:
		if (e->u.array.n != a->u.array.n)
			goto mismatch;
		for (i = 0; i < e->u.array.n; i++) {
			buf_printf(path, "[%zu]", i);
			if (cmp(e->u.array.v[i], a->u.array.v[i], path) != 0)
				return 1;
			path->len = keep;
			path->s[keep] = '\0';
		}
		return 0;
	case DOC_STRING:
	case DOC_INTEGER:
	case DOC_FLOAT:
	case DOC_BOOL:
	case DOC_NULL:
	case DOC_DATETIME:
	case DOC_DATETIME_LOCAL:
	case DOC_DATE_LOCAL:
	case DOC_TIME_LOCAL:
		/* Not part of toml-test's format; compare plainly. */
		if (doc_equal(e, a) != 0)
			goto mismatch;
		return 0;
	}
mismatch:
	return differ(path,
	    arena_printf("expected %s, got %s", describe(e), describe(a)));
}

static struct doc_node *
load(const char *path)
{
	struct doc_node *n;
	size_t len;
	char *text;

	if ((text = read_file(path, &len)) == NULL)
		fatal("%s:", path);
	diag_source(path, text, len);
	if ((n = json_parse(path, text, len)) == NULL || diag_errors() > 0) {
		diag_flush(stderr, DIAGFMT_TEXT, 0);
		arena_free_all();
		exit(2);
	}
	return n;
}

int
main(int argc, char *argv[])
{
	struct doc_node *e, *a;
	struct buf path = { 0 };
	int rc;

	if (argc != 3) {
		fputs("usage: jsoncmp EXPECTED ACTUAL\n", stderr);
		return 2;
	}
	e = load(argv[1]);
	a = load(argv[2]);
	buf_add(&path, "", 0);
	rc = cmp(e, a, &path);
	arena_free_all();
	return rc;
}
