/*
 * util.c - the arena, growable buffers, fatal errors, file reading.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>

#include "util.h"

/*
 * An arena is a list of chunks.  Large requests get a chunk of their own,
 * so that growing a big array does not waste a whole standard chunk.
 */
struct chunk {
	struct chunk *next;
	size_t used;
	size_t size;
	max_align_t data[];
};

#define CHUNK_SIZE (64 * 1024)

static struct arena process;
static struct arena *current = &process;

void *
arena_alloc(size_t size)
{
	struct chunk *c;
	size_t align = sizeof(max_align_t);

	size = (size + align - 1) / align * align;
	if (size == 0)
		size = align;
	c = current->chunks;
	if (c == NULL || c->size - c->used < size) {
		size_t csize = size > CHUNK_SIZE / 4 ? size : CHUNK_SIZE;

		if (csize > SIZE_MAX - sizeof(*c))
			fatal("out of memory");
		c = malloc(sizeof(*c) + csize);
		if (c == NULL)
			fatal("out of memory");
		c->used = 0;
		c->size = csize;
		if (current->chunks != NULL && csize != CHUNK_SIZE) {
			/* keep the current chunk in front for small requests */
			c->next = current->chunks->next;
			current->chunks->next = c;
		} else {
			c->next = current->chunks;
			current->chunks = c;
		}
	}
	void *p = (char *)c->data + c->used;
	c->used += size;
	memset(p, 0, size);
	return p;
}

void *
arena_grow(void *old, size_t oldsize, size_t newsize)
{
	void *p = arena_alloc(newsize);

	if (old != NULL && oldsize > 0)
		memcpy(p, old, oldsize < newsize ? oldsize : newsize);
	return p;
}

char *
arena_strndup(const char *s, size_t len)
{
	char *p = arena_alloc(len + 1);

	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

char *
arena_strdup(const char *s)
{
	return arena_strndup(s, strlen(s));
}

char *
arena_printf(const char *fmt, ...)
{
	va_list ap;
	int n;
	char *p;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		fatal("vsnprintf failed");
	p = arena_alloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

struct arena *
arena_switch(struct arena *a)
{
	struct arena *old = current;

	current = a;
	return old;
}

struct arena *
arena_process(void)
{
	return &process;
}

static void
free_chunks(struct arena *a)
{
	while (a->chunks != NULL) {
		struct chunk *next = a->chunks->next;

		free(a->chunks);
		a->chunks = next;
	}
}

void
arena_release(struct arena *a)
{
	/* a caller bug, and the next allocation would use freed memory */
	if (a == current || a == &process)
		fatal("internal error: releasing the arena in use");
	free_chunks(a);
}

void
arena_free_all(void)
{
	free_chunks(&process);
	current = &process;
}

void
array_reserve(void *v, size_t *cap, size_t n, size_t elsize)
{
	void **vp = v;
	size_t newcap;

	if (n <= *cap)
		return;
	newcap = *cap ? *cap : 8;
	while (newcap < n) {
		if (newcap > SIZE_MAX / 2 / elsize)
			fatal("out of memory");
		newcap *= 2;
	}
	*vp = arena_grow(*vp, *cap * elsize, newcap * elsize);
	*cap = newcap;
}

void
buf_add(struct buf *b, const char *s, size_t len)
{
	array_reserve(&b->s, &b->cap, b->len + len + 1, 1);
	memcpy(b->s + b->len, s, len);
	b->len += len;
	b->s[b->len] = '\0';
}

void
buf_puts(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

void
buf_putc(struct buf *b, int c)
{
	char ch = (char)c;

	buf_add(b, &ch, 1);
}

void
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		fatal("vsnprintf failed");
	array_reserve(&b->s, &b->cap, b->len + (size_t)n + 1, 1);
	va_start(ap, fmt);
	vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void
fatal(const char *fmt, ...)
{
	va_list ap;
	int saved = errno;
	size_t n = strlen(fmt);

	fputs("jailc: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	if (n > 0 && fmt[n - 1] == ':')
		fprintf(stderr, " %s", strerror(saved));
	fputc('\n', stderr);
	exit(2);
}

char *
read_file(const char *path, size_t *lenp)
{
	struct buf b = { 0 };
	char tmp[65536];
	int fd;
	ssize_t n;

	if (strcmp(path, "-") == 0)
		fd = STDIN_FILENO;
	else if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return NULL;
	buf_add(&b, "", 0);
	for (;;) {
		n = read(fd, tmp, sizeof(tmp));
		if (n == 0)
			break;
		if (n < 0) {
			if (errno == EINTR)
				continue;
			int saved = errno;
			if (fd != STDIN_FILENO)
				close(fd);
			errno = saved;
			return NULL;
		}
		buf_add(&b, tmp, (size_t)n);
	}
	if (fd != STDIN_FILENO)
		close(fd);
	*lenp = b.len;
	return b.s;
}

size_t
edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	size_t *row, i, j;

	if (la > 64 || lb > 64)
		return SIZE_MAX;
	row = arena_alloc((lb + 1) * sizeof(*row));
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		size_t diag = row[0];

		row[0] = i;
		for (j = 1; j <= lb; j++) {
			size_t up = row[j];
			size_t best = diag + (a[i - 1] != b[j - 1]);

			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[lb];
}

size_t
utf8_seqlen(const unsigned char *s, size_t n)
{
	unsigned c = s[0];
	size_t len, i;
	unsigned long cp;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		len = 2, cp = c & 0x1f;
	else if (c >= 0xe0 && c <= 0xef)
		len = 3, cp = c & 0x0f;
	else if (c >= 0xf0 && c <= 0xf4)
		len = 4, cp = c & 0x07;
	else
		return 0;
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

void
buf_json_string(struct buf *b, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, n;

	buf_putc(b, '"');
	while (i < len) {
		unsigned c = p[i];

		switch (c) {
		case '"':
			buf_puts(b, "\\\"");
			break;
		case '\\':
			buf_puts(b, "\\\\");
			break;
		case '\b':
			buf_puts(b, "\\b");
			break;
		case '\f':
			buf_puts(b, "\\f");
			break;
		case '\n':
			buf_puts(b, "\\n");
			break;
		case '\r':
			buf_puts(b, "\\r");
			break;
		case '\t':
			buf_puts(b, "\\t");
			break;
		default:
			if (c < 0x20 || c == 0x7f) {
				buf_printf(b, "\\u%04x", c);
				break;
			}
			n = utf8_seqlen(p + i, len - i);
			if (n == 0) {
				buf_puts(b, "\\ufffd");
				break;
			}
			buf_add(b, s + i, n);
			i += n;
			continue;
		}
		i++;
	}
	buf_putc(b, '"');
}

void
buf_put_utf8(struct buf *b, unsigned long cp)
{
	char u[4];

	if (cp < 0x80) {
		u[0] = (char)cp;
		buf_add(b, u, 1);
	} else if (cp < 0x800) {
		u[0] = (char)(0xc0 | cp >> 6);
		u[1] = (char)(0x80 | (cp & 0x3f));
		buf_add(b, u, 2);
	} else if (cp < 0x10000) {
		u[0] = (char)(0xe0 | cp >> 12);
		u[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		u[2] = (char)(0x80 | (cp & 0x3f));
		buf_add(b, u, 3);
	} else {
		u[0] = (char)(0xf0 | cp >> 18);
		u[1] = (char)(0x80 | (cp >> 12 & 0x3f));
		u[2] = (char)(0x80 | (cp >> 6 & 0x3f));
		u[3] = (char)(0x80 | (cp & 0x3f));
		buf_add(b, u, 4);
	}
}

int
hex_digit(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}
