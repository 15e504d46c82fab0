/*
 * util.h - allocation and small helpers shared by every compiler stage.
 *
 * Included by: every file under compiler/ and the compiler's test tools.
 * Never by runtime/.
 *
 * Memory comes from arenas and is never freed piece by piece.  At first
 * everything comes from the process arena, which lives until the process
 * exits (arena_free_all() at the end of main, so that leak checkers stay
 * quiet).  A command that compiles many profiles in one run (jailc check,
 * score) gives each its own arena and releases it when the profile is
 * done, so that memory does not grow with the number of files; what must
 * outlive a profile is taken from the process arena on purpose (the
 * diagnostics, in diag.c; the parsed schema and other caches built on
 * first use).  Allocation failure is fatal.
 */
#ifndef JAILC_UTIL_H
#define JAILC_UTIL_H

#include <stdarg.h>
#include <stddef.h>

struct chunk;

/* An arena: a list of chunks freed together.  { NULL } is an empty one. */
struct arena {
	struct chunk *chunks;
};

/* Zeroed memory from the arena in use; never NULL. */
void *arena_alloc(size_t size);
/* Grow an arena block to newsize bytes, keeping the first oldsize bytes. */
void *arena_grow(void *old, size_t oldsize, size_t newsize);
/* Arena copy of s[0..len) with a NUL appended. */
char *arena_strndup(const char *s, size_t len);
/* Arena copy of the string s. */
char *arena_strdup(const char *s);
/* Arena string formatted like printf. */
char *arena_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Make a the arena in use, the one arena_alloc() and everything built on
 * it take memory from; returns the one in use until now. */
struct arena *arena_switch(struct arena *a);
/* The process arena: the one in use at start. */
struct arena *arena_process(void);
/* Free everything a holds (not the arena in use, nor the process arena);
 * every pointer into it becomes invalid and a is empty again. */
void arena_release(struct arena *a);
/* Release everything the process arena holds and make it the arena in
 * use again; every pointer into it becomes invalid. */
void arena_free_all(void);

/* Grow a dynamic array: *v holds *cap elements of elsize; ensure room for n. */
void array_reserve(void *v, size_t *cap, size_t n, size_t elsize);

/* A growable byte buffer (arena-backed); s is always NUL-terminated. */
struct buf {
	char *s;
	size_t len;
	size_t cap;
};

/* Append len bytes to b. */
void buf_add(struct buf *b, const char *s, size_t len);
/* Append a NUL-terminated string to b. */
void buf_puts(struct buf *b, const char *s);
/* Append one byte to b. */
void buf_putc(struct buf *b, int c);
/* Append printf-formatted text to b. */
void buf_printf(struct buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* The value of hexadecimal digit c, or -1 (for any other c, EOF too). */
int hex_digit(int c);
/* Append code point cp (at most U+10FFFF) to b in UTF-8. */
void buf_put_utf8(struct buf *b, unsigned long cp);
/* Length of the well-formed UTF-8 sequence at s (n bytes available), or 0
 * for a malformed, overlong, surrogate or out-of-range one. */
size_t utf8_seqlen(const unsigned char *s, size_t n);
/* Append s[0..len) to b as a JSON string literal, quotes included; bytes
 * that are not valid UTF-8 are written as U+FFFD. */
void buf_json_string(struct buf *b, const char *s, size_t len);

/* Print "jailc: MESSAGE" to stderr and exit 2; a trailing ':' adds strerror. */
void fatal(const char *fmt, ...)
    __attribute__((format(printf, 1, 2), noreturn));

/* Read a whole file (or stdin for "-") into the arena; NULL with errno set. */
char *read_file(const char *path, size_t *lenp);

/* Edit distance between a and b, for "did you mean" suggestions. */
size_t edit_distance(const char *a, const char *b);

#endif
