/*
 * diag.c - storing and printing diagnostics.
 *
 * Messages are stored as they are reported and printed together by
 * diag_flush(), so that text, JSON and SARIF output come from the same list.
 *
 * What is stored lives in the process arena (util.h): a profile's own
 * arena may be released before the flush (jailc check on many files).  So
 * a message's file name, detail and accepting reason are copied when it
 * is reported, and so is the text of the source it quotes; the other
 * sources are only pointed to, until diag_release_sources().
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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
	int kept; /* copied into the process arena */
};

static struct diag *diags;
static size_t ndiags, capdiags;
static struct source *sources;
static size_t nsources, capsources;
static unsigned nerrors, nwarnings;
static const char *(*rule_help)(enum diag_id);
static int (*rule_weight)(enum diag_id);
static enum diag_level min_level = LEVEL_NOTE;
static const char *last_file; /* the last file name copied */

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

int
diag_is_rule(enum diag_id id)
{
	static const unsigned char is_rule[DIAG_MAX] = {
#define R(e) [e] = 1,
		DIAG_RULES
#undef R
	};

	return id < DIAG_MAX && is_rule[id];
}

/* A copy of file name s in the process arena, shared by the messages in
 * one file.  Called with the process arena in use. */
static const char *
keep_name(const char *s)
{
	if (s == NULL)
		return NULL;
	if (last_file == NULL || strcmp(last_file, s) != 0)
		last_file = arena_strdup(s);
	return last_file;
}

/* Copy the source a message at pos quotes, if it is registered and not
 * copied yet.  Called with the process arena in use. */
static void
keep_source(const struct pos *pos)
{
	size_t i;

	if (pos->file == NULL || pos->line == 0)
		return;
	for (i = nsources; i-- > 0;)
		if (strcmp(sources[i].file, pos->file) == 0)
			break;
	if (i == (size_t)-1 || sources[i].kept)
		return;
	sources[i].file = keep_name(sources[i].file);
	sources[i].text = arena_strndup(sources[i].text, sources[i].len);
	sources[i].kept = 1;
}

/*
 * Credentials are never quoted.  A file that is no profile (a .env
 * named in extends) reaches the front ends like any other, and their
 * messages quote what they could not read; so does the caret line.
 * Every message passes through here, so text, JSON and SARIF (and the
 * SARIF fingerprint) only ever see the redacted text.  jailc(1),
 * DIAGNOSTICS, lists what is hidden:
 *
 *   - a token in one of the shapes below: a well-known prefix and
 *     enough characters of the key's alphabet after it;
 *   - a JSON Web Token (eyJ..., two or three dot-separated parts);
 *   - everything after "-----BEGIN ... PRIVATE KEY";
 *   - a run of 32 or more characters of [A-Za-z0-9+/=_-] that holds a
 *     capital, a small letter and a digit and does not start with '/'
 *     (a base64 or random key; a path starts with '/');
 *   - on the quoted source line, the value of an assignment (NAME=v,
 *     NAME: v, NAME = "v") whose NAME says it is a credential, and that
 *     value wherever the message's own text repeats it.
 *
 * A token starts where the character before it is none of
 * [A-Za-z0-9_-], so that "task-..." is no "sk-" key.
 */
enum cred_set {
	CS_UPPER,  /* [A-Z0-9] */
	CS_ALNUM,  /* [A-Za-z0-9] */
	CS_WORD,   /* [A-Za-z0-9_] */
	CS_DASHED, /* [A-Za-z0-9_-] */
};

static const struct {
	const char *prefix;
	size_t min; /* characters of set after the prefix */
	enum cred_set set;
} cred_shapes[] = {
	{ "AKIA", 16, CS_UPPER }, /* AWS access key id */
	{ "ASIA", 16, CS_UPPER }, /* AWS temporary access key id */
	{ "ghp_", 20, CS_ALNUM }, /* GitHub personal access token */
	{ "gho_", 20, CS_ALNUM }, /* GitHub OAuth token */
	{ "ghu_", 20, CS_ALNUM }, /* GitHub user-to-server token */
	{ "ghs_", 20, CS_ALNUM }, /* GitHub server-to-server token */
	{ "ghr_", 20, CS_ALNUM }, /* GitHub refresh token */
	{ "github_pat_", 20, CS_WORD },
	{ "glpat-", 16, CS_DASHED },  /* GitLab */
	{ "sk-ant-", 16, CS_DASHED }, /* Anthropic */
	{ "sk-", 16, CS_DASHED },     /* OpenAI (sk-proj-...) */
	{ "AIza", 30, CS_DASHED },    /* Google API key */
	{ "xoxa-", 10, CS_DASHED },   /* Slack */
	{ "xoxb-", 10, CS_DASHED }, { "xoxe-", 10, CS_DASHED },
	{ "xoxp-", 10, CS_DASHED }, { "xoxr-", 10, CS_DASHED },
	{ "xoxs-", 10, CS_DASHED }, { "npm_", 30, CS_ALNUM }, /* npm */
	{ "hf_", 30, CS_ALNUM },                              /* Hugging Face */
};

/* Words of a variable name that says it holds a credential (compared
 * without regard to case). */
static const char *const cred_words[] = { "token", "secret", "passw",
	"passphrase", "credential", "apikey", "api_key", "api-key",
	"private_key", "privatekey", "access_key", "accesskey", "auth", "_key",
	"-key", "cookie", "session" };

#define CRED_LONG 32 /* a run this long may be a random key */

static int
cs_has(enum cred_set set, int c)
{
	int alnum = (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	    (set != CS_UPPER && c >= 'a' && c <= 'z');

	switch (set) {
	case CS_UPPER:
	case CS_ALNUM:
		return alnum;
	case CS_WORD:
		return alnum || c == '_';
	case CS_DASHED:
		return alnum || c == '_' || c == '-';
	}
	return 0;
}

/* May c be part of a base64 or random key? */
static int
is_keychar(int c)
{
	return cs_has(CS_DASHED, c) || c == '+' || c == '/' || c == '=';
}

/* The end of the JSON Web Token at s[i..len), or i when there is none:
 * "eyJ" and base64url, a dot, ten or more more, and maybe a dot and the
 * signature. */
static size_t
jwt_end(const char *s, size_t len, size_t i)
{
	size_t j = i, part, n;

	if (len - i < 3 || memcmp(s + i, "eyJ", 3) != 0)
		return i;
	for (part = 0; part < 3; part++) {
		if (part > 0) {
			if (j >= len || s[j] != '.')
				break;
			j++;
		}
		for (n = 0; j < len && cs_has(CS_DASHED, s[j]); j++, n++)
			;
		if (part < 2 && n < 10)
			return i;
	}
	return part >= 2 ? j : i;
}

/* The end of a credential that starts at s[i], or i when none does. */
static size_t
cred_end(const char *s, size_t len, size_t i)
{
	size_t k, j, n;
	int up = 0, low = 0, digit = 0;

	if (i > 0 && cs_has(CS_DASHED, s[i - 1]))
		return i;
	if (len - i >= 11 && memcmp(s + i, "-----BEGIN ", 11) == 0) {
		const char *eol = memchr(s + i, '\n', len - i);
		size_t l = eol != NULL ? (size_t)(eol - (s + i)) : len - i;

		if (memmem(s + i, l, "PRIVATE KEY", 11) != NULL)
			return len;
	}
	for (k = 0; k < sizeof(cred_shapes) / sizeof(cred_shapes[0]); k++) {
		size_t pl = strlen(cred_shapes[k].prefix);

		if (len - i < pl ||
		    memcmp(s + i, cred_shapes[k].prefix, pl) != 0)
			continue;
		for (j = i + pl, n = 0;
		     j < len && cs_has(cred_shapes[k].set, s[j]); j++, n++)
			;
		if (n >= cred_shapes[k].min)
			return j;
	}
	if ((j = jwt_end(s, len, i)) > i)
		return j;
	if (s[i] == '/')
		return i;
	for (j = i; j < len && is_keychar(s[j]); j++) {
		up |= s[j] >= 'A' && s[j] <= 'Z';
		low |= s[j] >= 'a' && s[j] <= 'z';
		digit |= s[j] >= '0' && s[j] <= '9';
	}
	if (j - i >= CRED_LONG && up && low && digit)
		return j;
	return i;
}

/* Whether name[0..n) says the variable holds a credential. */
static int
cred_name(const char *name, size_t n)
{
	size_t k, w, i;

	for (k = 0; k < sizeof(cred_words) / sizeof(cred_words[0]); k++) {
		w = strlen(cred_words[k]);
		for (i = 0; i + w <= n; i++)
			if (strncasecmp(name + i, cred_words[k], w) == 0)
				return 1;
	}
	return 0;
}

/* Values assigned to credential names on one line: at most a few. */
struct cred_values {
	const char *s[4];
	size_t len[4];
	size_t n;
};

/* Find the values the line s[0..len) assigns to credential names. */
static void
cred_assigned(const char *s, size_t len, struct cred_values *v)
{
	size_t i = 0, name, j;

	v->n = 0;
	while (i < len && v->n < 4) {
		if (!cs_has(CS_DASHED, s[i]) && s[i] != '.') {
			i++;
			continue;
		}
		for (name = i;
		     i < len && (cs_has(CS_DASHED, s[i]) || s[i] == '.'); i++)
			;
		j = i;
		if (j < len && (s[j] == '"' || s[j] == '\''))
			j++;
		while (j < len && (s[j] == ' ' || s[j] == '\t'))
			j++;
		if (j >= len || (s[j] != '=' && s[j] != ':') ||
		    !cred_name(s + name, i - name))
			continue;
		for (j++; j < len &&
		     (s[j] == ' ' || s[j] == '\t' || s[j] == '"' ||
		         s[j] == '\'');
		     j++)
			;
		v->s[v->n] = s + j;
		for (; j < len && s[j] != '"' && s[j] != '\'' && s[j] != ' ' &&
		     s[j] != '\t' && s[j] != '#' && s[j] != '\n' &&
		     s[j] != '\r';
		     j++)
			;
		v->len[v->n] = (size_t)(s + j - v->s[v->n]);
		/* too short to find again without hiding other words */
		if (v->len[v->n] >= 4)
			v->n++;
		i = j;
	}
}

/* The end of a credential at s[i]: a shape, or one of the values v. */
static size_t
redact_end(const char *s, size_t len, size_t i, const struct cred_values *v)
{
	size_t k, end = cred_end(s, len, i);

	for (k = 0; v != NULL && k < v->n; k++)
		if (len - i >= v->len[k] &&
		    memcmp(s + i, v->s[k], v->len[k]) == 0 &&
		    i + v->len[k] > end)
			end = i + v->len[k];
	return end;
}

/* s without its credentials, each replaced by "[redacted]", in the
 * arena in use; s itself when it holds none. */
static const char *
redact(const char *s, const struct cred_values *v)
{
	size_t len = strlen(s), i, end;
	struct buf b = { 0 };
	int found = 0;

	for (i = 0; i < len;) {
		if ((end = redact_end(s, len, i, v)) > i) {
			buf_puts(&b, "[redacted]");
			found = 1;
			i = end;
		} else
			buf_putc(&b, s[i++]);
	}
	return found ? b.s : s;
}

/* Overwrite the credentials in s[0..len) with '*', in place, so that
 * the caret under the line still points where it did. */
static void
mask(char *s, size_t len)
{
	struct cred_values v;
	size_t i, end;

	cred_assigned(s, len, &v);
	for (i = 0; i < len;) {
		if ((end = redact_end(s, len, i, &v)) > i) {
			memset(s + i, '*', end - i);
			i = end;
		} else
			i++;
	}
}

/*
 * The last line looked up, and the credential values assigned on it: a
 * file with a message on each of many lines, or many on one long line,
 * is read once, not once per message.  Forgotten with the sources.
 */
static struct {
	const char *text; /* the source's text, NULL: nothing cached */
	unsigned line;
	const char *p; /* where that line starts */
	struct cred_values v;
} last_line;

/* The credential values assigned on line pos->line of its registered
 * source, into *v (none when it has no such line). */
static void
line_values(const struct pos *pos, struct cred_values *v)
{
	const char *p, *end, *eol;
	unsigned line = 1;
	size_t i;

	v->n = 0;
	if (pos->file == NULL || pos->line == 0)
		return;
	for (i = nsources; i-- > 0;)
		if (strcmp(sources[i].file, pos->file) == 0)
			break;
	if (i == (size_t)-1)
		return;
	p = sources[i].text;
	end = p + sources[i].len;
	if (last_line.text == sources[i].text && last_line.line <= pos->line) {
		if (last_line.line == pos->line) {
			*v = last_line.v;
			return;
		}
		p = last_line.p;
		line = last_line.line;
	}
	while (line < pos->line && p < end)
		if (*p++ == '\n')
			line++;
	if (line != pos->line)
		return;
	eol = memchr(p, '\n', (size_t)(end - p));
	cred_assigned(
	    p, eol != NULL ? (size_t)(eol - p) : (size_t)(end - p), v);
	last_line.text = sources[i].text;
	last_line.line = line;
	last_line.p = p;
	last_line.v = *v;
}

struct diag *
diag(const struct pos *pos, enum diag_id id, const char *fmt, ...)
{
	struct arena *outer = arena_switch(arena_process());
	struct cred_values v;
	struct diag *d;
	va_list ap;

	array_reserve(&diags, &capdiags, ndiags + 1, sizeof(*diags));
	d = &diags[ndiags++];
	memset(d, 0, sizeof(*d));
	d->id = id;
	v.n = 0;
	if (pos != NULL) {
		d->pos = *pos;
		d->pos.file = keep_name(pos->file);
		keep_source(pos);
		line_values(pos, &v);
	}
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
			d->detail = redact(b.s, &v);
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
	arena_switch(outer);
	return d;
}

void
diag_suppress(struct diag *d, const char *reason)
{
	struct arena *outer;

	if (d->suppressed != NULL)
		return;
	outer = arena_switch(arena_process());
	d->suppressed = redact(arena_strdup(reason), NULL);
	arena_switch(outer);
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
	last_file = NULL;
	last_line.text = NULL;
}

void
diag_rule_help(
    const char *(*help)(enum diag_id id), int (*weight)(enum diag_id id))
{
	rule_help = help;
	rule_weight = weight;
}

void
diag_min_level(enum diag_level lvl)
{
	min_level = lvl;
}

/* Whether d belongs to the message before it ("first defined here"):
 * a note that is not a lint rule of its own. */
static int
attached(enum diag_id id)
{
	return diag_level(id) == LEVEL_NOTE && !diag_is_rule(id);
}

void
diag_source(const char *file, const char *text, size_t len)
{
	struct arena *outer = arena_switch(arena_process());

	array_reserve(&sources, &capsources, nsources + 1, sizeof(*sources));
	sources[nsources].file = file;
	sources[nsources].text = text;
	sources[nsources].len = len;
	sources[nsources].kept = 0;
	nsources++;
	arena_switch(outer);
}

void
diag_release_sources(void)
{
	size_t i, n = 0;

	last_line.text = NULL;
	for (i = 0; i < nsources; i++)
		if (sources[i].kept)
			sources[n++] = sources[i];
	nsources = n;
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
	const char *p, *end, *eol, *full;
	char *quoted;
	unsigned line = 1, col = 1;
	size_t i;

	for (i = nsources; i-- > 0;)
		if (sources[i].kept &&
		    strcmp(sources[i].file, pos->file) == 0) {
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
	/* masked as a whole, so that a key cut where the quote ends is
	 * still seen for what it is */
	for (full = eol; full < end && *full != '\n' && *full != '\r' &&
	     *full != '\0' && full - p < 65536;
	     full++)
		;
	fputs("  ", fp);
	quoted = arena_strndup(p, (size_t)(full - p));
	mask(quoted, (size_t)(full - p));
	fwrite(quoted, 1, (size_t)(eol - p), fp);
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
	/* An accepted finding is shown with the author's reason instead of
	 * its level, so that it neither reads nor greps as a live one. */
	if (d->suppressed != NULL)
		fprintf(
		    fp, "accepted (%s): %s", d->suppressed, diag_text(d->id));
	else
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

		if (i == 0 || !attached(d->id))
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

/*
 * SARIF 2.1.0 (OASIS), for code-scanning services.  Every catalogue entry is
 * a rule, so that ruleIndex is a function of the ID alone; the band markers
 * are skipped.
 */
static size_t
sarif_rule_index(enum diag_id id)
{
	return (size_t)id - (id > DIAG_WARNING_BAND) - (id > DIAG_ERROR_BAND);
}

/* Append path as a JSON string holding a URI reference: an absolute path
 * becomes a file: URI, a relative one stays relative; every byte but
 * unreserved characters and '/' is percent-encoded. */
static void
sarif_uri(struct buf *b, const char *path)
{
	static const char safe[] = "-._~/";
	struct buf u = { 0 };
	const unsigned char *p;

	if (path[0] == '/')
		buf_puts(&u, "file://");
	for (p = (const unsigned char *)path; *p != '\0'; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr(safe, *p) != NULL)
			buf_putc(&u, *p);
		else
			buf_printf(&u, "%%%02X", *p);
	}
	buf_json_string(b, u.len > 0 ? u.s : "", u.len);
}

/* FNV-1a, 64 bits, over s[0..len] including the terminating NUL, so that
 * the fields a fingerprint joins cannot run into each other. */
static unsigned long long
fnv1a(unsigned long long h, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	do {
		h ^= *p;
		h *= 0x100000001b3ULL;
	} while (*p++ != '\0');
	return h;
}

static const char *level_titles[] = { "Note", "Warning", "Error" };
static const char help_lint[] =
    "See the lint rules in the DIAGNOSTICS section of jailc(1); name the "
    "rule in risk.accept, with a reason, to accept a deliberate finding.";
static const char help_other[] =
    "Correct the profile; jail(5) describes what a profile may contain "
    "and jailc(1) how diagnostics are reported.";

static void
sarif_rule(struct buf *b, enum diag_id id)
{
	enum diag_level lvl = diag_level(id);
	int lint = diag_is_rule(id);
	const char *help;
	struct buf t = { 0 };

	buf_puts(b, "{\"id\":");
	buf_json_string(b, diag_idstr(id), strlen(diag_idstr(id)));
	buf_puts(b, ",\"shortDescription\":{\"text\":");
	buf_json_string(b, diag_text(id), strlen(diag_text(id)));
	buf_printf(&t, "%s: %s. ", level_titles[lvl], diag_text(id));
	if (lint)
		buf_puts(&t,
		    "A lint rule: a profile may accept its findings "
		    "in risk.accept, with a reason.");
	else if (lvl == LEVEL_NOTE)
		buf_puts(&t, "A note on the message reported before it.");
	else
		buf_puts(&t,
		    "Reported when a profile is checked; "
		    "risk.accept cannot accept it.");
	buf_puts(b, "},\"fullDescription\":{\"text\":");
	buf_json_string(b, t.s, t.len);
	buf_puts(b, "},\"help\":{\"text\":");
	help = lint ? help_lint : help_other;
	if (lint && rule_help != NULL && rule_help(id) != NULL) {
		struct buf h = { 0 };

		buf_printf(&h, "%s %s", rule_help(id), help_lint);
		buf_json_string(b, h.s, h.len);
	} else
		buf_json_string(b, help, strlen(help));
	buf_printf(b, "},\"defaultConfiguration\":{\"level\":\"%s\"}",
	    level_names[lvl]);
	/* GitHub code scanning ranks security alerts by a 0.0-10.0
	 * "security-severity"; a rule's weight (at most 1000) scales to
	 * it. */
	if (lint && rule_weight != NULL && rule_weight(id) > 0) {
		int w = rule_weight(id);

		buf_printf(b,
		    ",\"properties\":{\"tags\":[\"security\"],"
		    "\"security-severity\":\"%d.%d\",\"jailc-weight\":%d}",
		    w / 100, w / 10 % 10, w);
	}
	buf_putc(b, '}');
}

static void
sarif_result(struct buf *b, const struct diag *d)
{
	const char *file = d->pos.file != NULL ? d->pos.file : "";
	const char *detail = d->detail != NULL ? d->detail : "";
	struct buf t = { 0 };
	unsigned long long h = 0xcbf29ce484222325ULL;

	buf_puts(b, "{\"ruleId\":");
	buf_json_string(b, diag_idstr(d->id), strlen(diag_idstr(d->id)));
	buf_printf(b, ",\"ruleIndex\":%zu,\"level\":\"%s\",\"message\":",
	    sarif_rule_index(d->id), level_names[diag_level(d->id)]);
	buf_puts(&t, diag_text(d->id));
	if (d->detail != NULL)
		buf_printf(&t, ": %s", d->detail);
	buf_puts(b, "{\"text\":");
	buf_json_string(b, t.s, t.len);
	buf_putc(b, '}');
	if (d->pos.file != NULL) {
		buf_puts(b,
		    ",\"locations\":[{\"physicalLocation\":"
		    "{\"artifactLocation\":{\"uri\":");
		sarif_uri(b, d->pos.file);
		buf_putc(b, '}');
		if (d->pos.line > 0) {
			buf_printf(
			    b, ",\"region\":{\"startLine\":%u", d->pos.line);
			if (d->pos.col > 0)
				buf_printf(
				    b, ",\"startColumn\":%u", d->pos.col);
			buf_putc(b, '}');
		}
		buf_puts(b, "}}]");
	}
	/* Not the line: a fingerprint must survive edits above the finding. */
	h = fnv1a(h, diag_idstr(d->id));
	h = fnv1a(h, file);
	h = fnv1a(h, detail);
	buf_printf(
	    b, ",\"partialFingerprints\":{\"jailcRule/v1\":\"%016llx\"}", h);
	if (d->suppressed != NULL) {
		buf_puts(b,
		    ",\"suppressions\":[{\"kind\":\"inSource\","
		    "\"justification\":");
		buf_json_string(b, d->suppressed, strlen(d->suppressed));
		buf_puts(b, "}]");
	}
	buf_putc(b, '}');
}

static void
print_sarif(struct buf *b)
{
	size_t i;
	int id;

	buf_puts(b,
	    "{\"$schema\":\"https://json.schemastore.org/"
	    "sarif-2.1.0.json\",\"version\":\"2.1.0\",\"runs\":[{\n"
	    "\"tool\":{\"driver\":{\"name\":\"jailc\",\"version\":");
	buf_json_string(b, JAILC_VERSION, strlen(JAILC_VERSION));
	buf_puts(b, ",\"rules\":[");
	for (id = 0; id < DIAG_MAX; id++) {
		if (id == DIAG_WARNING_BAND || id == DIAG_ERROR_BAND)
			continue;
		buf_puts(b, id == 0 ? "\n  " : ",\n  ");
		sarif_rule(b, (enum diag_id)id);
	}
	buf_puts(b,
	    "\n]}},\n\"columnKind\":\"unicodeCodePoints\",\n"
	    "\"results\":[");
	for (i = 0; i < ndiags; i++) {
		buf_puts(b, i == 0 ? "\n  " : ",\n  ");
		sarif_result(b, &diags[i]);
	}
	buf_puts(b, ndiags == 0 ? "]}]}\n" : "\n]}]}\n");
}

/* Drop the messages under the --min-severity level, with the notes that
 * belong to them. */
static void
hide_below_min(void)
{
	size_t i, n = 0;
	int show = 1;

	for (i = 0; i < ndiags; i++) {
		if (i == 0 || !attached(diags[i].id))
			show = diag_level(diags[i].id) >= min_level;
		if (show)
			diags[n++] = diags[i];
	}
	ndiags = n;
}

void
diag_flush(FILE *fp, enum diag_format fmt, int tty)
{
	struct buf b = { 0 };
	size_t i;
	int first = 1;

	sort_diags();
	hide_below_min();

	if (fmt == DIAGFMT_SARIF) {
		print_sarif(&b);
		fwrite(b.s, 1, b.len, fp);
		ndiags = 0;
		return;
	}
	if (fmt == DIAGFMT_JSON)
		buf_puts(&b, "[");
	for (i = 0; i < ndiags; i++) {
		const struct diag *d = &diags[i];

		switch (fmt) {
		case DIAGFMT_TEXT:
			print_text(fp, d, tty);
			break;
		case DIAGFMT_JSON:
			if (!first)
				buf_puts(&b, ",");
			buf_puts(&b, "\n  ");
			print_json(&b, d);
			first = 0;
			break;
		case DIAGFMT_SARIF:
			break; /* handled above */
		}
	}
	if (fmt == DIAGFMT_JSON) {
		buf_puts(&b, first ? "]\n" : "\n]\n");
		fwrite(b.s, 1, b.len, fp);
	}
	ndiags = 0;
}
