/*
 * source.c - reading a profile and choosing its front end.
 *
 * How the syntax of a file is chosen (jail(5) repeats this):
 *
 *   1. --input-format (the fmt argument of source_load) wins.
 *   2. By name, ignoring case: a name ending in ".toml" is TOML, ".yaml"
 *      or ".yml" YAML, ".json" JSON.
 *   3. Any other name (".jail", or "-" for standard input) is decided by
 *      its first significant line.  A UTF-8 byte order mark at the start
 *      is ignored, and so is a carriage return before a line feed.  Lines
 *      that are empty, hold only spaces and tabs, or whose first character
 *      after spaces and tabs is '#' are skipped, since both TOML and YAML
 *      read them as nothing.  On the first other line, after leading
 *      spaces and tabs, with KEY meaning a bare key (ASCII letters,
 *      digits, '_' and '-'), a "double-quoted" or 'single-quoted' key, or
 *      such keys joined by '.' (with optional spaces around the dot):
 *
 *        TOML  "[" KEY "]" or "[[" KEY "]]" (a table header; spaces and
 *              tabs allowed inside the brackets), followed by nothing
 *              but spaces, tabs or a '#' comment
 *        TOML  KEY, spaces or tabs, then "="
 *        YAML  KEY, spaces or tabs, then ":" followed by a space, a tab
 *              or the end of the line
 *        YAML  "---" followed by a space, a tab or the end of the line
 *        YAML  "-" followed by a space, a tab or the end of the line
 *
 *      Exactly one syntax must match.  If the line matches rules of
 *      neither syntax, or of both ("--- = 1" is a TOML key and a YAML
 *      document start), the file is refused with E_FORMAT_AMBIGUOUS at
 *      that line: jailc never guesses.
 *   4. A file with no significant line is read as TOML.  It holds no
 *      keys either way, so both syntaxes give the same empty table (and
 *      the schema then asks for "version").
 *
 * Content never selects JSON: JSON is read only by name or when forced.
 *
 * The rules look at one line only and never at values, so adding or
 * editing anything after the first key cannot change the syntax a file
 * is read in.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"
#include "diag.h"
#include "doc.h"
#include "frontend.h"

/* Does name end in suffix, ignoring case? */
static int
has_suffix(const char *name, const char *suffix)
{
	size_t n = strlen(name), k = strlen(suffix);

	return n > k && strcasecmp(name + n - k, suffix) == 0;
}

/* May c appear in a bare key (TOML's rule, used for both syntaxes)? */
static int
is_bare(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_' || c == '-';
}

static int
is_blank(int c)
{
	return c == ' ' || c == '\t';
}

/* One line of text: s[0..len), without its line break. */
struct line {
	const char *s;
	size_t len;
};

/* Skip spaces and tabs from l->s[*ip]. */
static void
skip_blanks(const struct line *l, size_t *ip)
{
	while (*ip < l->len && is_blank(l->s[*ip]))
		++*ip;
}

/* Is the rest of the line from *ip only blanks, or blanks and a
 * comment? */
static int
at_end(const struct line *l, size_t i)
{
	skip_blanks(l, &i);
	return i == l->len || l->s[i] == '#';
}

/* One part of a key at l->s[*ip]: bare or quoted.  Returns 0 if there is
 * none.  Quoted parts may hold backslash escapes ("") or doubled quotes
 * (''), which is enough to find where they end. */
static int
key_part(const struct line *l, size_t *ip)
{
	size_t i = *ip;
	char q;

	if (i >= l->len)
		return 0;
	q = l->s[i];
	if (q == '"' || q == '\'') {
		for (i++; i < l->len; i++) {
			if (q == '"' && l->s[i] == '\\') {
				i++;
				continue;
			}
			if (l->s[i] != q)
				continue;
			if (q == '\'' && i + 1 < l->len &&
			    l->s[i + 1] == '\'') {
				i++;
				continue;
			}
			*ip = i + 1;
			return 1;
		}
		return 0;
	}
	while (i < l->len && is_bare(l->s[i]))
		i++;
	if (i == *ip)
		return 0;
	*ip = i;
	return 1;
}

/* A key, perhaps dotted, at l->s[*ip]; *ip is left after it. */
static int
key(const struct line *l, size_t *ip)
{
	size_t i = *ip, j;

	if (!key_part(l, &i))
		return 0;
	for (;;) {
		j = i;
		skip_blanks(l, &j);
		if (j >= l->len || l->s[j] != '.')
			break;
		j++;
		skip_blanks(l, &j);
		if (!key_part(l, &j))
			break;
		i = j;
	}
	*ip = i;
	return 1;
}

/* Does the line (from its first non-blank i) match a TOML rule? */
static int
looks_toml(const struct line *l, size_t i)
{
	size_t j = i;

	if (l->s[i] == '[') {
		int aot = i + 1 < l->len && l->s[i + 1] == '[';

		j = i + 1 + aot;
		skip_blanks(l, &j);
		if (!key(l, &j))
			return 0;
		skip_blanks(l, &j);
		if (j >= l->len || l->s[j] != ']')
			return 0;
		j++;
		if (aot) {
			if (j >= l->len || l->s[j] != ']')
				return 0;
			j++;
		}
		return at_end(l, j);
	}
	if (!key(l, &j))
		return 0;
	skip_blanks(l, &j);
	return j < l->len && l->s[j] == '=';
}

/* Is l->s[i] the end of the line, a space or a tab? */
static int
blank_or_end(const struct line *l, size_t i)
{
	return i >= l->len || is_blank(l->s[i]);
}

/* Does the line (from its first non-blank i) match a YAML rule? */
static int
looks_yaml(const struct line *l, size_t i)
{
	size_t j = i;
	size_t rest = l->len - i;

	if (rest >= 3 && memcmp(l->s + i, "---", 3) == 0 &&
	    blank_or_end(l, i + 3))
		return 1;
	if (l->s[i] == '-' && blank_or_end(l, i + 1))
		return 1;
	if (!key(l, &j))
		return 0;
	skip_blanks(l, &j);
	return j < l->len && l->s[j] == ':' && blank_or_end(l, j + 1);
}

enum doc_format
source_detect(const char *file, const char *text, size_t len)
{
	const char *p = text, *end = text + len, *nl;
	struct line l;
	struct pos at;
	size_t i;
	int toml, yaml;

	if (has_suffix(file, ".toml"))
		return FORMAT_TOML;
	if (has_suffix(file, ".yaml") || has_suffix(file, ".yml"))
		return FORMAT_YAML;
	if (has_suffix(file, ".json"))
		return FORMAT_JSON;

	if (len >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
		p += 3;
	at.file = file;
	at.line = 0;
	for (; p < end; p = nl + 1) {
		at.line++;
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		l.s = p;
		l.len = (size_t)(nl - p);
		if (l.len > 0 && l.s[l.len - 1] == '\r')
			l.len--;
		i = 0;
		skip_blanks(&l, &i);
		if (i == l.len || l.s[i] == '#')
			continue;
		toml = looks_toml(&l, i);
		yaml = looks_yaml(&l, i);
		if (toml != yaml)
			return toml ? FORMAT_TOML : FORMAT_YAML;
		at.col = (unsigned)i + 1;
		if (toml)
			diag(&at, E_FORMAT_AMBIGUOUS,
			    "first non-comment line reads as both TOML ('key = "
			    "value') and YAML ('---' or '- item'); use "
			    "--input-format or a .toml/.yaml extension");
		else
			diag(&at, E_FORMAT_AMBIGUOUS,
			    "first non-comment line is neither 'key = value' / "
			    "'[table]' (TOML) nor 'key: value' / '---' / "
			    "'- item' (YAML); use --input-format or a "
			    ".toml/.yaml extension");
		return FORMAT_AUTO;
	}
	return FORMAT_TOML;
}

/* What a file that is not regular is, for the message. */
static const char *
file_kind(mode_t mode)
{
	if (S_ISDIR(mode))
		return strerror(EISDIR);
	if (S_ISCHR(mode))
		return "not a regular file but a character device";
	if (S_ISBLK(mode))
		return "not a regular file but a block device";
	if (S_ISFIFO(mode))
		return "not a regular file but a FIFO";
	if (S_ISSOCK(mode))
		return "not a regular file but a socket";
	return "not a regular file";
}

/*
 * Read the text of a profile: a regular file of at most DOC_MAX_INPUT
 * bytes, or standard input ("-", whatever it is), read no further than
 * one byte past that limit.  Anything else named in extends or on the
 * command line (/dev/zero, a FIFO, a directory) is refused: a device or
 * a FIFO would block the compiler or feed it without end.  The name is
 * checked before it is opened, since opening some devices does
 * something (a tape rewinds, a watchdog starts); it is opened with
 * O_NONBLOCK, so that a FIFO put there since cannot block the open, and
 * the open descriptor is checked again, which no rename can change.
 * NULL after reporting.
 */
static char *
load_text(const char *path, const struct pos *at, size_t *lenp)
{
	struct buf b = { 0 };
	struct stat st;
	char tmp[65536];
	int fd = STDIN_FILENO, in = strcmp(path, "-") == 0;
	ssize_t n;

	if (!in) {
		if (stat(path, &st) != 0) {
			diag(at, E_IO, "%s", strerror(errno));
			return NULL;
		}
		if (!S_ISREG(st.st_mode)) {
			diag(at, E_IO, "%s", file_kind(st.st_mode));
			return NULL;
		}
		fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
		if (fd == -1) {
			diag(at, E_IO, "%s", strerror(errno));
			return NULL;
		}
		if (fstat(fd, &st) != 0) {
			diag(at, E_IO, "%s", strerror(errno));
			close(fd);
			return NULL;
		}
		if (!S_ISREG(st.st_mode)) {
			diag(at, E_IO, "%s", file_kind(st.st_mode));
			close(fd);
			return NULL;
		}
		/* Refuse a huge regular file before reading it all. */
		if (st.st_size > (off_t)DOC_MAX_INPUT) {
			diag(at, E_LIMIT, "file is larger than %u bytes",
			    DOC_MAX_INPUT);
			close(fd);
			return NULL;
		}
		/* a regular file: reads can wait for the disk again */
		(void)fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	}
	buf_add(&b, "", 0);
	while (b.len <= DOC_MAX_INPUT) {
		n = read(fd, tmp, sizeof(tmp));
		if (n == 0)
			break;
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			diag(at, E_IO, "%s", strerror(errno));
			if (!in)
				close(fd);
			return NULL;
		}
		buf_add(&b, tmp, (size_t)n);
	}
	if (!in)
		close(fd);
	if (b.len > DOC_MAX_INPUT) {
		diag(
		    at, E_LIMIT, "file is larger than %u bytes", DOC_MAX_INPUT);
		return NULL;
	}
	*lenp = b.len;
	return b.s;
}

struct doc_node *
source_load(const char *path, enum doc_format fmt)
{
	const char *file = strcmp(path, "-") == 0 ? "<stdin>" : path;
	struct pos at = { file, 0, 0 };
	char *text;
	size_t len;

	if ((text = load_text(path, &at, &len)) == NULL)
		return NULL;
	/* A UTF-8 byte order mark is ignored in every syntax.  Dropping it
	 * here, before the text is registered, keeps carets in line. */
	if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0) {
		text += 3;
		len -= 3;
	}
	diag_source(file, text, len);
	if (fmt == FORMAT_AUTO)
		fmt = source_detect(file, text, len);
	switch (fmt) {
	case FORMAT_TOML:
		return toml_parse(file, text, len);
	case FORMAT_YAML:
		return yamlfe_parse(file, text, len);
	case FORMAT_JSON:
		return json_parse(file, text, len);
	case FORMAT_AUTO:
		break;
	}
	return NULL;
}
