/*
 * sha256test.c - the runtime's SHA-256 against the FIPS 180-4 examples,
 * as TAP.
 *
 * The long message is fed in several chunk sizes to exercise the partial
 * block buffer; messages around the padding boundaries are checked for
 * agreement between one-shot and byte-at-a-time hashing.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "../../runtime/sha256.h"

static int test_n;
static int test_failed;

static void
check(int ok, const char *what)
{
	test_n++;
	if (ok) {
		printf("ok %d - %s\n", test_n, what);
	} else {
		printf("not ok %d - %s\n", test_n, what);
		test_failed++;
	}
}

static void
tohex(const unsigned char md[32], char out[65])
{
	static const char digits[] = "0123456789abcdef";
	int i;

	for (i = 0; i < 32; i++) {
		out[2 * i] = digits[md[i] >> 4];
		out[2 * i + 1] = digits[md[i] & 0x0f];
	}
	out[64] = '\0';
}

/* Compare a hex digest with the expected one, saying both on a mismatch. */
static void
check_hex(const char *got, const char *want, const char *what)
{
	int ok = strcmp(got, want) == 0;

	check(ok, what);
	if (!ok)
		printf("# got  %s\n# want %s\n", got, want);
}

/* The digest of one million 'a', fed chunk bytes at a time. */
static void
million_a(size_t chunk, char out[65])
{
	static unsigned char a[1000];
	struct sha256 s;
	unsigned char md[32];
	size_t left, n;

	memset(a, 'a', sizeof(a));
	sha256_init(&s);
	for (left = 1000000; left > 0; left -= n) {
		n = left < chunk ? left : chunk;
		sha256_update(&s, a, n);
	}
	sha256_final(&s, md);
	tohex(md, out);
}

int
main(void)
{
	static const struct {
		const char *msg, *want, *what;
	} vec[] = {
		{ "",
		    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b"
		    "7852b855",
		    "empty message" },
		{ "abc",
		    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61"
		    "f20015ad",
		    "\"abc\" (one block)" },
		{ "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
		    "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd4"
		    "19db06c1",
		    "448-bit message (two blocks)" },
		{ "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
		  "hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
		    "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac4503"
		    "7afee9d1",
		    "896-bit message" },
	};
	static const char million[] = "cdc76e5c9914fb9281a1c7e284d73e67f180"
	                              "9a48a497200e046d39ccc7112cd0";
	static const size_t chunks[] = { 1, 63, 64, 65, 1000 };
	unsigned char msg[200], md[32];
	char got[65], want[65], what[80];
	struct sha256 s;
	size_t i, j, len;
	int same;

	for (i = 0; i < sizeof(vec) / sizeof(vec[0]); i++) {
		sha256_hex(vec[i].msg, strlen(vec[i].msg), got);
		check_hex(got, vec[i].want, vec[i].what);
	}

	for (i = 0; i < sizeof(vec) / sizeof(vec[0]); i++) {
		len = strlen(vec[i].msg);
		sha256_init(&s);
		for (j = 0; j < len; j++)
			sha256_update(&s, vec[i].msg + j, 1);
		sha256_final(&s, md);
		tohex(md, got);
		snprintf(what, sizeof(what), "%s, byte at a time", vec[i].what);
		check_hex(got, vec[i].want, what);
	}

	for (i = 0; i < sizeof(chunks) / sizeof(chunks[0]); i++) {
		million_a(chunks[i], got);
		snprintf(what, sizeof(what), "one million 'a', %zu at a time",
		    chunks[i]);
		check_hex(got, million, what);
	}

	/* Lengths 0..199 cover every padding case (55, 56, 63, 64, ...). */
	for (i = 0; i < sizeof(msg); i++)
		msg[i] = (unsigned char)(i * 7 + 3);
	same = 1;
	for (len = 0; len <= sizeof(msg) && same; len++) {
		sha256_hex(msg, len, want);
		sha256_init(&s);
		sha256_update(&s, msg, len / 3);
		sha256_update(&s, msg + len / 3, 0);
		for (j = len / 3; j < len; j++)
			sha256_update(&s, msg + j, 1);
		sha256_final(&s, md);
		tohex(md, got);
		if (strcmp(got, want) != 0) {
			printf("# length %zu: %s != %s\n", len, got, want);
			same = 0;
		}
	}
	check(same, "split and one-shot agree for lengths 0..200");

	sha256_hex("abc", 3, got);
	check(strlen(got) == 64, "sha256_hex writes 64 digits and a NUL");

	printf("1..%d\n", test_n);
	return test_failed > 0;
}
