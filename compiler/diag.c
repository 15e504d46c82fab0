/*
 * diag.c - storing and printing diagnostics.
 *
 * Messages are stored as they are reported and printed together by
 * diag_flush(), so that text and JSON output come from the same list.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "diag.h"

static const struct {
	const char *id;
	const char *text;
} catalogue[DIAG_MAX] = {
#define X(e, id, text) [e] = { id, text },
	/* clang-format off */
	DIAG_NOTES
	[DIAG_WARNING_BAND] = { "", "" },
	DIAG_WARNINGS
	[DIAG_ERROR_BAND] = { "", "" },
	DIAG_ERRORS
/* clang-format on */
#undef X
};

struct source {
	const char *file;
	const char *text;
	size_t len;
};

static struct diag *diags;
static size_t ndiags, capdiags;
static struct source *sources;
static size_t nsources, capsources;
static unsigned nerrors, nwarnings;

enum diag_level
diag_level(enum diag_id id)
{
	if (id > DIAG_ERROR_BAND)
		return LEVEL_ERROR;
	if (id > DIAG_WARNING_BAND)
		return LEVEL_WARNING;
	return LEVEL_NOTE;
}

const char *
diag_idstr(enum diag_id id)
{
	return id < DIAG_MAX ? catalogue[id].id : "?";
}

const char *
diag_text(enum diag_id id)
{
	return id < DIAG_MAX ? catalogue[id].text : "?";
}

enum diag_id
diag_lookup(const char *s)
{
	int i;

	for (i = 0; i < DIAG_MAX; i++)
		if (i != DIAG_WARNING_BAND && i != DIAG_ERROR_BAND &&
		    strcmp(catalogue[i].id, s) == 0)
			return (enum diag_id)i;
	return DIAG_MAX;
}

struct diag *
diag(const struct pos *pos, enum diag_id id, const char *fmt, ...)
{
	struct diag *d;
	va_list ap;

	array_reserve(&diags, &capdiags, ndiags + 1, sizeof(*diags));
	d = &diags[ndiags++];
	memset(d, 0, sizeof(*d));
	d->id = id;
	if (pos != NULL)
		d->pos = *pos;
	if (fmt != NULL) {
		struct buf b = { 0 };
		int n;

		va_start(ap, fmt);
		n = vsnprintf(NULL, 0, fmt, ap);
		va_end(ap);
		if (n >= 0) {
			array_reserve(&b.s, &b.cap, (size_t)n + 1, 1);
			va_start(ap, fmt);
			vsnprintf(b.s, (size_t)n + 1, fmt, ap);
			va_end(ap);
			d->detail = b.s;
		}
	}
	switch (diag_level(id)) {
	case LEVEL_ERROR:
		nerrors++;
		break;
	case LEVEL_WARNING:
		nwarnings++;
		break;
	case LEVEL_NOTE:
		break;
	}
	return d;
}

void
diag_suppress(struct diag *d, const char *reason)
{
	if (d->suppressed != NULL)
		return;
	d->suppressed = reason;
	switch (diag_level(d->id)) {
	case LEVEL_ERROR:
		nerrors--;
		break;
	case LEVEL_WARNING:
		nwarnings--;
		break;
	case LEVEL_NOTE:
		break;
	}
}

unsigned
diag_errors(void)
{
	return nerrors;
}

unsigned
diag_warnings(void)
{
	return nwarnings;
}

struct diag *
diag_list(size_t *np)
{
	*np = ndiags;
	return diags;
}

void
diag_reset(void)
{
	diags = NULL;
	ndiags = capdiags = 0;
	sources = NULL;
	nsources = capsources = 0;
	nerrors = nwarnings = 0;
}

void
diag_source(const char *file, const char *text, size_t len)
{
	array_reserve(&sources, &capsources, nsources + 1, sizeof(*sources));
	sources[nsources].file = file;
	sources[nsources].text = text;
	sources[nsources].len = len;
	nsources++;
}

static const char *level_names[] = { "note", "warning", "error" };
static const char *level_colors[] = { "\033[1;36m", "\033[1;35m",
	"\033[1;31m" };

/*
 * Quote line `line` of the source and put a caret under column `col`.
 * Tabs in the source are copied into the caret line so that it lines up.
 */
static void
print_caret(FILE *fp, const struct pos *pos)
{
	const struct source *src = NULL;
	const char *p, *end, *eol;
	unsigned line = 1, col = 1;
	size_t i;

	for (i = nsources; i-- > 0;)
		if (strcmp(sources[i].file, pos->file) == 0) {
			src = &sources[i];
			break;
		}
	if (src == NULL)
		return;
	p = src->text;
	end = src->text + src->len;
	while (line < pos->line && p < end) {
		if (*p++ == '\n')
			line++;
	}
	if (line != pos->line)
		return;
	for (eol = p; eol < end && *eol != '\n' && *eol != '\r'; eol++)
		if (*eol == '\0' || eol - p > 512)
			break;
	fputs("  ", fp);
	fwrite(p, 1, (size_t)(eol - p), fp);
	fputs("\n  ", fp);
	for (; p < eol && col < pos->col; p++) {
		if (((unsigned char)*p & 0xc0) == 0x80)
			continue; /* a UTF-8 continuation byte */
		fputc(*p == '\t' ? '\t' : ' ', fp);
		col++;
	}
	fputs("^\n", fp);
}

static void
print_text(FILE *fp, const struct diag *d, int tty)
{
	enum diag_level lvl = diag_level(d->id);
	int color = tty && getenv("NO_COLOR") == NULL;

	fputs("jailc: ", fp);
	if (d->pos.file != NULL) {
		fputs(d->pos.file, fp);
		if (d->pos.line > 0)
			fprintf(fp, ":%u:%u", d->pos.line, d->pos.col);
		fputs(": ", fp);
	}
	fprintf(fp, "%s%s:%s %s", color ? level_colors[lvl] : "",
	    level_names[lvl], color ? "\033[0m" : "", diag_text(d->id));
	if (d->detail != NULL)
		fprintf(fp, ": %s", d->detail);
	fprintf(fp, " [%s]\n", diag_idstr(d->id));
	if (tty && d->pos.file != NULL && d->pos.line > 0)
		print_caret(fp, &d->pos);
}

static void
print_json(struct buf *b, const struct diag *d)
{
	buf_puts(b, "{\"file\":");
	if (d->pos.file != NULL)
		buf_json_string(b, d->pos.file, strlen(d->pos.file));
	else
		buf_puts(b, "null");
	buf_printf(b,
	    ",\"line\":%u,\"column\":%u,\"level\":\"%s\",\"id\":", d->pos.line,
	    d->pos.col, level_names[diag_level(d->id)]);
	buf_json_string(b, diag_idstr(d->id), strlen(diag_idstr(d->id)));
	buf_puts(b, ",\"message\":");
	buf_json_string(b, diag_text(d->id), strlen(diag_text(d->id)));
	buf_puts(b, ",\"detail\":");
	if (d->detail != NULL)
		buf_json_string(b, d->detail, strlen(d->detail));
	else
		buf_puts(b, "null");
	if (d->suppressed != NULL) {
		buf_puts(b, ",\"suppressed\":");
		buf_json_string(b, d->suppressed, strlen(d->suppressed));
	}
	buf_putc(b, '}');
}

/* The order diagnostics are printed in: a message and the notes after it
 * form a unit; units go by file (in the order files first appear), line
 * and column, and keep the report order otherwise. */
struct order {
	size_t file; /* rank of the unit's file */
	unsigned line, col;
	size_t unit;  /* index of the unit's first message */
	size_t index; /* the message's own index */
};

static int
order_cmp(const void *va, const void *vb)
{
	const struct order *a = va, *b = vb;

	if (a->file != b->file)
		return a->file < b->file ? -1 : 1;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	if (a->col != b->col)
		return a->col < b->col ? -1 : 1;
	if (a->unit != b->unit)
		return a->unit < b->unit ? -1 : 1;
	return a->index < b->index ? -1 : a->index > b->index;
}

static void
sort_diags(void)
{
	struct order *o;
	struct diag *sorted;
	const char **files = NULL;
	size_t nfiles = 0, capfiles = 0, i, j, head = 0;

	if (ndiags < 2)
		return;
	o = arena_alloc(ndiags * sizeof(*o));
	for (i = 0; i < ndiags; i++) {
		const struct diag *d = &diags[i];

		if (i == 0 || diag_level(d->id) != LEVEL_NOTE)
			head = i;
		o[i].unit = head;
		o[i].index = i;
		if (head != i) {
			o[i].file = o[head].file;
			o[i].line = o[head].line;
			o[i].col = o[head].col;
			continue;
		}
		for (j = 0; j < nfiles; j++)
			if (d->pos.file != NULL &&
			    strcmp(files[j], d->pos.file) == 0)
				break;
		if (j == nfiles && d->pos.file != NULL) {
			array_reserve(
			    &files, &capfiles, nfiles + 1, sizeof(*files));
			files[nfiles++] = d->pos.file;
		}
		o[i].file = d->pos.file != NULL ? j + 1 : 0;
		o[i].line = d->pos.line;
		o[i].col = d->pos.col;
	}
	qsort(o, ndiags, sizeof(*o), order_cmp);
	sorted = arena_alloc(ndiags * sizeof(*sorted));
	for (i = 0; i < ndiags; i++)
		sorted[i] = diags[o[i].index];
	memcpy(diags, sorted, ndiags * sizeof(*diags));
}

void
diag_flush(FILE *fp, enum diag_format fmt, int tty)
{
	struct buf b = { 0 };
	size_t i;
	int first = 1;

	sort_diags();

	if (fmt == DIAGFMT_JSON)
		buf_puts(&b, "[");
	for (i = 0; i < ndiags; i++) {
		const struct diag *d = &diags[i];

		switch (fmt) {
		case DIAGFMT_TEXT:
			if (d->suppressed == NULL)
				print_text(fp, d, tty);
			break;
		case DIAGFMT_JSON:
			if (!first)
				buf_puts(&b, ",");
			buf_puts(&b, "\n  ");
			print_json(&b, d);
			first = 0;
			break;
		}
	}
	if (fmt == DIAGFMT_JSON) {
		buf_puts(&b, first ? "]\n" : "\n]\n");
		fwrite(b.s, 1, b.len, fp);
	}
	ndiags = 0;
}
