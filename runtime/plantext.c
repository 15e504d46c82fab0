/*
 * plantext.c - build a blob; write a blob as text; read the text back.
 *
 * The text form (jailblob(5), TEXT FORM), one line each:
 *
 *   jailplan FORMAT           header, in this order
 *   jailc VERSION
 *   name NAME
 *   file FILE
 *   bwrap BWRAP
 *   command NAME              only when the blob has one
 *   args-fd FD
 *   stays yes|no
 *   OP [KIND] [VAR] [A] [B] [mode=MODE] [fd=FD] [data=C|filter=C] [dir]
 *      [@WHERE]               one line per op record
 *   end
 *
 * Tokens are separated by one space.  A token is bare when it is not
 * empty and every byte is printable ASCII other than '"' and '\\' (and
 * it does not start with '@'); otherwise it is quoted: "...", with \\,
 * \", \n, \t and \xHH for every other byte outside printable ASCII, so a
 * reviewer sees no control character, no invisible or reordering
 * character, and a wrapper's here-document no line it could end at.
 * A and B are positional (an op has those its row in optab.h and its
 * kind name); C is named ("filter" for seccomp, else "data").
 *
 * The reader is strict: what it does not know it refuses, with the line
 * number.  It checks only the text's shape; the blob it builds then goes
 * through run_verify() like any other.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "blob.h"
#include "plantext.h"
#include "verify.h"

static const struct {
	const char *name;
	unsigned need, tmpl, opts;
} ops[BLOB_NOPS] = {
#define X(id, name, need, tmpl, opts) [BLOB_##id] = { name, need, tmpl, opts },
	OPTAB(X)
#undef X
};

static const struct {
	const char *bwrap, *bwtry;
	unsigned need, opts;
} kinds[BLOB_NKINDS] = {
#define X(id, word, bw, bwtry, need, opts)                                     \
	[BLOB_K_##id] = { bw, bwtry, need, opts },
	MKTAB(X)
#undef X
};

/* --- building ---------------------------------------------------------- */

/* A growable byte string. */
struct pt_buf {
	unsigned char *p;
	size_t len, cap;
	int oom;
};

static void
pb_add(struct pt_buf *b, const void *s, size_t n)
{
	unsigned char *np;
	size_t cap;

	if (b->oom)
		return;
	if (b->cap - b->len < n + 1) {
		cap = b->cap > 0 ? b->cap : 256;
		while (cap - b->len < n + 1) {
			if (cap > ((size_t)-1) / 2) {
				b->oom = 1;
				return;
			}
			cap *= 2;
		}
		if ((np = realloc(b->p, cap)) == NULL) {
			b->oom = 1;
			return;
		}
		b->p = np;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void
pb_puts(struct pt_buf *b, const char *s)
{
	pb_add(b, s, strlen(s));
}

static void pb_printf(struct pt_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
pb_printf(struct pt_buf *b, const char *fmt, ...)
{
	char tmp[64];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n > 0 && (size_t)n < sizeof(tmp))
		pb_add(b, tmp, (size_t)n);
}

/* A string into the table: its offset, 0 for none. */
static uint32_t
tab_add(struct pt_buf *tab, const char *s, size_t len)
{
	uint32_t off = (uint32_t)tab->len;

	if (s == NULL)
		return 0;
	pb_add(tab, s, len);
	pb_add(tab, "", 1);
	return off;
}

int
ptext_build(const struct pt_head *h, const struct pt_op *o, size_t n,
    unsigned char **blob, size_t *len, const char **why)
{
	struct pt_buf tab = { NULL, 0, 0, 0 }, out = { NULL, 0, 0, 0 };
	unsigned char hd[BLOB_HEADER_SIZE], *r;
	size_t i, k, payload;

	*blob = NULL;
	if (n > BLOB_MAX_OPS) {
		*why = "too many ops for a blob";
		return -1;
	}
	memset(hd, 0, sizeof(hd));
	pb_add(&out, hd, sizeof(hd));
	for (i = 0; i < n; i++) {
		unsigned char rec[BLOB_OP_SIZE];

		memset(rec, 0, sizeof(rec));
		pb_add(&out, rec, sizeof(rec));
	}
	pb_add(&tab, "", 1);
	for (i = 0; i < n && !out.oom; i++) {
		r = out.p + BLOB_HEADER_SIZE + i * BLOB_OP_SIZE;
		blob_put16(r + BLOB_O_OP, (uint16_t)o[i].op);
		blob_put16(r + BLOB_O_FLAGS, (uint16_t)o[i].flags);
		blob_put32(r + BLOB_O_KIND, o[i].kind);
		blob_put32(r + BLOB_O_VAR, o[i].var);
		blob_put32(r + BLOB_O_MODE, o[i].mode);
		blob_put32(r + BLOB_O_FD, o[i].fd);
		for (k = 0; k < 3; k++)
			blob_put32(r + BLOB_O_A + 4 * k,
			    tab_add(&tab, o[i].s[k], o[i].len[k]));
		blob_put32(r + BLOB_O_WHERE,
		    tab_add(&tab, o[i].where,
		        o[i].where != NULL ? strlen(o[i].where) : 0));
	}
	r = out.p;
	if (!out.oom) {
		memcpy(r + BLOB_H_MAGIC, BLOB_MAGIC, 8);
		blob_put32(r + BLOB_H_FORMAT, BLOB_FORMAT);
		blob_put32(r + BLOB_H_HSIZE, BLOB_HEADER_SIZE);
		strncpy((char *)r + BLOB_H_VERSION, h->version, 15);
		blob_put32(r + BLOB_H_NOPS, (uint32_t)n);
		blob_put32(r + BLOB_H_OPSIZE, BLOB_OP_SIZE);
		blob_put32(r + BLOB_H_FLAGS, h->flags);
		blob_put32(r + BLOB_H_ARGSFD, h->argsfd);
		blob_put32(
		    r + BLOB_H_NAME, tab_add(&tab, h->name, strlen(h->name)));
		blob_put32(
		    r + BLOB_H_FILE, tab_add(&tab, h->file, strlen(h->file)));
		blob_put32(r + BLOB_H_BWRAP,
		    tab_add(&tab, h->bwrap, strlen(h->bwrap)));
		blob_put32(r + BLOB_H_CMDNAME,
		    tab_add(&tab, h->cmdname,
		        h->cmdname != NULL ? strlen(h->cmdname) : 0));
		blob_put32(r + BLOB_H_GIT,
		    tab_add(&tab, h->git, h->git != NULL ? strlen(h->git) : 0));
		blob_put32(r + BLOB_H_DBUSPROXY,
		    tab_add(&tab, h->dbusproxy,
		        h->dbusproxy != NULL ? strlen(h->dbusproxy) : 0));
	}
	pb_add(&out, tab.p, tab.len);
	free(tab.p);
	if (out.oom || tab.oom) {
		free(out.p);
		*why = "out of memory";
		return -1;
	}
	payload = out.len - BLOB_HEADER_SIZE;
	if (payload > BLOB_MAX_PAYLOAD) {
		free(out.p);
		*why = "the plan is too large for a blob";
		return -1;
	}
	blob_put32(out.p + BLOB_H_PAYLOAD_LEN, (uint32_t)payload);
	blob_put32(out.p + BLOB_H_CRC, blob_checksum(out.p, out.len));
	*blob = out.p;
	*len = out.len;
	return 0;
}

/* --- writing ----------------------------------------------------------- */

static int
is_bare(unsigned char c)
{
	return c > 0x20 && c < 0x7f && c != '"' && c != '\\';
}

static void
put_token(struct pt_buf *b, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	size_t i;
	int bare = len > 0 && s[0] != '@';

	for (i = 0; i < len && bare; i++)
		bare = is_bare((unsigned char)s[i]);
	if (bare) {
		pb_add(b, s, len);
		return;
	}
	pb_add(b, "\"", 1);
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		char e[4] = { '\\', 'x', hex[c >> 4], hex[c & 15] };

		if (c == '\\' || c == '"') {
			e[1] = (char)c;
			pb_add(b, e, 2);
		} else if (c == '\n' || c == '\t') {
			e[1] = c == '\n' ? 'n' : 't';
			pb_add(b, e, 2);
		} else if (c < 0x20 || c >= 0x7f)
			pb_add(b, e, 4);
		else
			pb_add(b, &c, 1);
	}
	pb_add(b, "\"", 1);
}

static void
put_str(struct pt_buf *b, const char *s)
{
	put_token(b, s, strlen(s));
}

static const char *
str_at(const unsigned char *blob, size_t tab, uint32_t off)
{
	return off == 0 ? NULL : (const char *)blob + tab + off;
}

int
ptext_write(const unsigned char *blob, size_t len, char **text, size_t *tlen)
{
	struct pt_buf b = { NULL, 0, 0, 0 };
	uint32_t nops = blob_get32(blob + BLOB_H_NOPS);
	size_t tab = BLOB_HEADER_SIZE + (size_t)nops * BLOB_OP_SIZE, i;
	char version[16];
	const char *s;

	(void)len;
	memcpy(version, blob + BLOB_H_VERSION, 15);
	version[15] = '\0';
	pb_printf(&b, "jailplan %u\njailc ",
	    (unsigned)blob_get32(blob + BLOB_H_FORMAT));
	put_str(&b, version);
	pb_puts(&b, "\nname ");
	put_str(&b, str_at(blob, tab, blob_get32(blob + BLOB_H_NAME)));
	pb_puts(&b, "\nfile ");
	put_str(&b, str_at(blob, tab, blob_get32(blob + BLOB_H_FILE)));
	pb_puts(&b, "\nbwrap ");
	put_str(&b, str_at(blob, tab, blob_get32(blob + BLOB_H_BWRAP)));
	if ((s = str_at(blob, tab, blob_get32(blob + BLOB_H_GIT))) != NULL) {
		pb_puts(&b, "\ngit ");
		put_str(&b, s);
	}
	if ((s = str_at(blob, tab, blob_get32(blob + BLOB_H_DBUSPROXY))) !=
	    NULL) {
		pb_puts(&b, "\ndbus-proxy ");
		put_str(&b, s);
	}
	if ((s = str_at(blob, tab, blob_get32(blob + BLOB_H_CMDNAME))) !=
	    NULL) {
		pb_puts(&b, "\ncommand ");
		put_str(&b, s);
	}
	pb_printf(&b, "\nargs-fd %u\nstays %s\n",
	    (unsigned)blob_get32(blob + BLOB_H_ARGSFD),
	    blob_get32(blob + BLOB_H_FLAGS) & BLOB_F_STAYS ? "yes" : "no");

	for (i = 0; i < nops; i++) {
		const unsigned char *r =
		    blob + BLOB_HEADER_SIZE + i * BLOB_OP_SIZE;
		unsigned op = blob_get16(r + BLOB_O_OP);
		unsigned flags = blob_get16(r + BLOB_O_FLAGS);
		uint32_t kind = blob_get32(r + BLOB_O_KIND);
		uint32_t mode = blob_get32(r + BLOB_O_MODE);
		uint32_t fd = blob_get32(r + BLOB_O_FD);
		int k;

		pb_puts(&b, ops[op].name);
		if (ops[op].opts & (OPF_KIND | OPF_PIN | OPF_RO)) {
			pb_puts(&b, " ");
			pb_puts(&b,
			    flags & BLOB_OPT_OPTIONAL ? kinds[kind].bwtry
			                              : kinds[kind].bwrap);
		}
		if (ops[op].opts & OPF_VAR) {
			pb_puts(&b, " ");
			pb_puts(&b, run_var_name(blob_get32(r + BLOB_O_VAR)));
		}
		for (k = 0; k < 2; k++)
			if ((s = str_at(blob, tab,
			         blob_get32(r + BLOB_O_A + 4 * k))) != NULL) {
				pb_puts(&b, " ");
				put_str(&b, s);
			}
		if (mode != BLOB_NONE)
			pb_printf(&b, " mode=%04o", (unsigned)mode);
		if (fd != BLOB_NONE)
			pb_printf(&b, " fd=%u", (unsigned)fd);
		if ((s = str_at(blob, tab, blob_get32(r + BLOB_O_C))) != NULL) {
			pb_puts(&b, op == BLOB_SECCOMP ? " filter=" : " data=");
			put_str(&b, s);
		}
		if (flags & BLOB_OPT_DIR)
			pb_puts(&b, " dir");
		/* a mount says it in its kind's -try word */
		if ((flags & BLOB_OPT_OPTIONAL) &&
		    !(ops[op].opts & (OPF_KIND | OPF_PIN | OPF_RO)))
			pb_puts(&b, " optional");
		if ((s = str_at(blob, tab, blob_get32(r + BLOB_O_WHERE))) !=
		    NULL) {
			pb_puts(&b, " @");
			put_str(&b, s);
		}
		pb_puts(&b, "\n");
	}
	pb_puts(&b, "end\n");
	if (b.oom) {
		free(b.p);
		return -1;
	}
	*text = (char *)b.p;
	*tlen = b.len;
	return 0;
}

/* --- reading ----------------------------------------------------------- */

/* The reader's state: the text, where it is, and what it has built. */
struct pt_rd {
	const char *p, *end;
	size_t line;
	struct pt_buf strs; /* the strings read, each NUL-terminated */
};

static char msg[160];

static int rd_fail(struct pt_rd *rd, const char **why, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
rd_fail(struct pt_rd *rd, const char **why, const char *fmt, ...)
{
	va_list ap;
	int n;

	n = snprintf(msg, sizeof(msg), "line %zu: ", rd->line);
	va_start(ap, fmt);
	vsnprintf(msg + n, sizeof(msg) - (size_t)n, fmt, ap);
	va_end(ap);
	*why = msg;
	return -1;
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/*
 * One token at rd->p, which must be where a token starts; its bytes go
 * to rd->strs, and *off, *len say where.  Leaves rd->p after it.
 * Returns -1 on a malformed token.
 */
static int
rd_token(struct pt_rd *rd, size_t *off, size_t *len, const char **why)
{
	const char *p = rd->p;

	*off = rd->strs.len;
	if (p < rd->end && *p == '"') {
		for (p++;; p++) {
			unsigned char c;
			int h, l;

			if (p >= rd->end || *p == '\n')
				return rd_fail(rd, why, "unterminated string");
			c = (unsigned char)*p;
			if (c == '"')
				break;
			if (c < 0x20 || c >= 0x7f)
				return rd_fail(
				    rd, why, "raw byte 0x%02x in a string", c);
			if (c == '\\') {
				if (++p >= rd->end)
					return rd_fail(rd, why, "bad escape");
				switch (*p) {
				case '\\':
				case '"':
					c = (unsigned char)*p;
					break;
				case 'n':
					c = '\n';
					break;
				case 't':
					c = '\t';
					break;
				case 'x':
					if (rd->end - p < 3 ||
					    (h = hexval(p[1])) < 0 ||
					    (l = hexval(p[2])) < 0 ||
					    (h | l) == 0)
						return rd_fail(
						    rd, why, "bad \\x escape");
					c = (unsigned char)(h << 4 | l);
					p += 2;
					break;
				default:
					return rd_fail(rd, why, "bad escape");
				}
			}
			pb_add(&rd->strs, &c, 1);
		}
		p++;
	} else {
		const char *s = p;

		while (p < rd->end && is_bare((unsigned char)*p))
			p++;
		if (p == s)
			return rd_fail(rd, why, "a token is missing");
		pb_add(&rd->strs, s, (size_t)(p - s));
	}
	*len = rd->strs.len - *off;
	pb_add(&rd->strs, "", 1);
	rd->p = p;
	if (rd->strs.oom)
		return rd_fail(rd, why, "out of memory");
	return 0;
}

/* The word w, then a space or the end of the line. */
static int
rd_word(struct pt_rd *rd, const char *w)
{
	size_t n = strlen(w);

	if ((size_t)(rd->end - rd->p) < n || memcmp(rd->p, w, n) != 0)
		return 0;
	if (rd->p + n < rd->end && rd->p[n] != ' ' && rd->p[n] != '\n')
		return 0;
	rd->p += n;
	return 1;
}

/* A separating space, when another token follows on the line. */
static int
rd_more(struct pt_rd *rd)
{
	if (rd->p < rd->end && *rd->p == ' ' && rd->p + 1 < rd->end &&
	    rd->p[1] != ' ' && rd->p[1] != '\n') {
		rd->p++;
		return 1;
	}
	return 0;
}

static int
rd_eol(struct pt_rd *rd, const char **why)
{
	if (rd->p >= rd->end || *rd->p != '\n')
		return rd_fail(
		    rd, why, "unexpected text at the end of the line");
	rd->p++;
	rd->line++;
	return 0;
}

/* A decimal number of at most 4 digits, no leading zero. */
static int
rd_num(struct pt_rd *rd, uint32_t *v, const char **why)
{
	const char *s = rd->p;

	*v = 0;
	while (
	    rd->p < rd->end && *rd->p >= '0' && *rd->p <= '9' && rd->p - s < 5)
		*v = *v * 10 + (uint32_t)(*rd->p++ - '0');
	if (rd->p == s || rd->p - s > 4 || (*s == '0' && rd->p - s > 1))
		return rd_fail(rd, why, "bad number");
	return 0;
}

/* A header line "key TOKEN"; *off is where the token went. */
static int
rd_head(struct pt_rd *rd, const char *key, size_t *off, const char **why)
{
	size_t len;

	if (!rd_word(rd, key) || !rd_more(rd))
		return rd_fail(rd, why, "expected \"%s\"", key);
	if (rd_token(rd, off, &len, why) != 0)
		return -1;
	return rd_eol(rd, why);
}

static const char *
rd_str(struct pt_rd *rd, size_t off)
{
	return off == (size_t)-1 ? NULL : (const char *)rd->strs.p + off;
}

/* An op as read: string offsets into rd->strs until the end. */
struct rd_op {
	struct pt_op o;
	size_t off[3], where;
};

static int
rd_op(struct pt_rd *rd, struct rd_op *ro, const char **why)
{
	struct pt_op *o = &ro->o;
	unsigned need;
	size_t len, k;
	uint32_t v;

	memset(ro, 0, sizeof(*ro));
	ro->off[0] = ro->off[1] = ro->off[2] = ro->where = (size_t)-1;
	o->mode = o->fd = BLOB_NONE;
	for (o->op = 0; o->op < BLOB_NOPS; o->op++)
		if (rd_word(rd, ops[o->op].name))
			break;
	if (o->op == BLOB_NOPS)
		return rd_fail(rd, why, "unknown op");
	need = ops[o->op].need;
	if (ops[o->op].opts & (OPF_KIND | OPF_PIN | OPF_RO)) {
		if (!rd_more(rd))
			return rd_fail(rd, why, "the mount kind is missing");
		for (o->kind = 0; o->kind < BLOB_NKINDS; o->kind++) {
			if (rd_word(rd, kinds[o->kind].bwrap))
				break;
			if (kinds[o->kind].bwtry != NULL &&
			    rd_word(rd, kinds[o->kind].bwtry)) {
				o->flags |= BLOB_OPT_OPTIONAL;
				break;
			}
		}
		if (o->kind == BLOB_NKINDS)
			return rd_fail(rd, why, "unknown mount kind");
		if (ops[o->op].opts & OPF_KIND)
			need = kinds[o->kind].need;
	}
	if (ops[o->op].opts & OPF_VAR) {
		if (!rd_more(rd))
			return rd_fail(rd, why, "the variable is missing");
		for (o->var = 1; o->var < BLOB_NVARS; o->var++)
			if (rd_word(rd, run_var_name(o->var)))
				break;
		if (o->var == BLOB_NVARS)
			return rd_fail(rd, why, "unknown variable");
	}
	for (k = 0; k < 2; k++)
		if (need & (OPS_A << k)) {
			if (!rd_more(rd))
				return rd_fail(rd, why, "string %c is missing",
				    (int)('a' + k));
			if (rd_token(rd, &ro->off[k], &len, why) != 0)
				return -1;
		}
	if (rd->p + 1 < rd->end && rd->p[0] == ' ' &&
	    strncmp(rd->p + 1, "mode=", 5) == 0) {
		rd->p += 6;
		for (v = 0, k = 0; k < 4; k++, rd->p++) {
			if (rd->p >= rd->end || *rd->p < '0' || *rd->p > '7')
				return rd_fail(rd, why, "bad mode");
			v = v * 8 + (uint32_t)(*rd->p - '0');
		}
		o->mode = v;
	}
	if (rd->p + 1 < rd->end && rd->p[0] == ' ' &&
	    strncmp(rd->p + 1, "fd=", 3) == 0) {
		rd->p += 4;
		if (rd_num(rd, &o->fd, why) != 0)
			return -1;
	}
	if (rd->p + 1 < rd->end && rd->p[0] == ' ' &&
	    strncmp(rd->p + 1, o->op == BLOB_SECCOMP ? "filter=" : "data=",
	        o->op == BLOB_SECCOMP ? 7 : 5) == 0) {
		rd->p += o->op == BLOB_SECCOMP ? 8 : 6;
		if (rd_token(rd, &ro->off[2], &len, why) != 0)
			return -1;
		ro->o.len[2] = len;
	}
	if (rd_word(rd, " dir"))
		o->flags |= BLOB_OPT_DIR;
	if (!(ops[o->op].opts & (OPF_KIND | OPF_PIN | OPF_RO)) &&
	    rd_word(rd, " optional"))
		o->flags |= BLOB_OPT_OPTIONAL;
	if (rd->p + 1 < rd->end && rd->p[0] == ' ' && rd->p[1] == '@') {
		rd->p += 2;
		if (rd_token(rd, &ro->where, &len, why) != 0)
			return -1;
	}
	return rd_eol(rd, why);
}

int
ptext_is_text(const unsigned char *p, size_t len)
{
	return len >= 9 && memcmp(p, "jailplan ", 9) == 0;
}

int
ptext_read(const char *text, size_t tlen, unsigned char **blob, size_t *len,
    const char **why)
{
	struct pt_rd rd = { text, text + tlen, 1, { NULL, 0, 0, 0 } };
	struct pt_head h;
	struct rd_op *ro = NULL, *nro;
	size_t n = 0, cap = 0, i, k, off[7] = { 0 }, slen;
	uint32_t format;
	int rc = -1;

	*blob = NULL;
	memset(&h, 0, sizeof(h));
	pb_add(&rd.strs, "", 1); /* offset 0 is no string */
	if (!rd_word(&rd, "jailplan") || !rd_more(&rd)) {
		rd_fail(&rd, why, "not a jailc text plan");
		goto out;
	}
	if (rd_num(&rd, &format, why) != 0)
		goto out;
	if (format != BLOB_FORMAT) {
		if (format > BLOB_FORMAT)
			rd_fail(&rd, why,
			    "compiled by a newer jailc (format %u); this "
			    "jailrun reads format %d",
			    (unsigned)format, BLOB_FORMAT);
		else if (format == 3 || format == 4)
			rd_fail(&rd, why,
			    "compiled by an older jailc (format %u); compile "
			    "the profile again",
			    (unsigned)format);
		else
			rd_fail(&rd, why, "unknown plan format %u",
			    (unsigned)format);
		goto out;
	}
	if (rd_eol(&rd, why) != 0)
		goto out;
	if (rd_head(&rd, "jailc", &off[0], why) != 0 ||
	    rd_head(&rd, "name", &off[1], why) != 0 ||
	    rd_head(&rd, "file", &off[2], why) != 0 ||
	    rd_head(&rd, "bwrap", &off[3], why) != 0)
		goto out;
	off[4] = off[5] = off[6] = (size_t)-1;
	if ((size_t)(rd.end - rd.p) > 4 && memcmp(rd.p, "git ", 4) == 0 &&
	    rd_head(&rd, "git", &off[5], why) != 0)
		goto out;
	if ((size_t)(rd.end - rd.p) > 11 &&
	    memcmp(rd.p, "dbus-proxy ", 11) == 0 &&
	    rd_head(&rd, "dbus-proxy", &off[6], why) != 0)
		goto out;
	if ((size_t)(rd.end - rd.p) > 8 && memcmp(rd.p, "command ", 8) == 0 &&
	    rd_head(&rd, "command", &off[4], why) != 0)
		goto out;
	if (!rd_word(&rd, "args-fd") || !rd_more(&rd)) {
		rd_fail(&rd, why, "expected \"args-fd\"");
		goto out;
	}
	if (rd_num(&rd, &h.argsfd, why) != 0 || rd_eol(&rd, why) != 0)
		goto out;
	if (rd_word(&rd, "stays yes"))
		h.flags = BLOB_F_STAYS;
	else if (!rd_word(&rd, "stays no")) {
		rd_fail(&rd, why, "expected \"stays yes\" or \"stays no\"");
		goto out;
	}
	if (rd_eol(&rd, why) != 0)
		goto out;
	for (;;) {
		if (rd_word(&rd, "end")) {
			if (rd_eol(&rd, why) != 0)
				goto out;
			break;
		}
		if (rd.p >= rd.end) {
			rd_fail(&rd, why, "truncated: no \"end\" line");
			goto out;
		}
		if (n == BLOB_MAX_OPS) {
			rd_fail(&rd, why, "too many ops");
			goto out;
		}
		if (n == cap) {
			cap = cap > 0 ? cap * 2 : 64;
			if ((nro = realloc(ro, cap * sizeof(*ro))) == NULL) {
				rd_fail(&rd, why, "out of memory");
				goto out;
			}
			ro = nro;
		}
		if (rd_op(&rd, &ro[n], why) != 0)
			goto out;
		n++;
	}
	if (rd.p != rd.end) {
		rd_fail(&rd, why, "text after \"end\"");
		goto out;
	}
	if (rd.strs.oom) {
		rd_fail(&rd, why, "out of memory");
		goto out;
	}
	if (strlen(rd_str(&rd, off[0])) > 15) {
		*why = "line 2: version too long";
		goto out;
	}
	/* The strings are all read: offsets become pointers only now, as
	 * the buffer holding them may have moved while it grew. */
	h.version = rd_str(&rd, off[0]);
	h.name = rd_str(&rd, off[1]);
	h.file = rd_str(&rd, off[2]);
	h.bwrap = rd_str(&rd, off[3]);
	h.cmdname = rd_str(&rd, off[4]);
	h.git = rd_str(&rd, off[5]);
	h.dbusproxy = rd_str(&rd, off[6]);
	for (i = 0; i < n; i++) {
		for (k = 0; k < 3; k++) {
			ro[i].o.s[k] = rd_str(&rd, ro[i].off[k]);
			slen = ro[i].o.s[k] != NULL ? strlen(ro[i].o.s[k]) : 0;
			ro[i].o.len[k] = slen;
		}
		ro[i].o.where = rd_str(&rd, ro[i].where);
	}
	/* A string with a NUL in it cannot be in a blob; \x00 is refused
	 * as an escape, so strlen() above saw every byte. */
	{
		struct pt_op *po = malloc(n > 0 ? n * sizeof(*po) : 1);

		if (po == NULL) {
			*why = "out of memory";
			goto out;
		}
		for (i = 0; i < n; i++)
			po[i] = ro[i].o;
		rc = ptext_build(&h, po, n, blob, len, why);
		free(po);
	}
out:
	free(ro);
	free(rd.strs.p);
	return rc;
}
