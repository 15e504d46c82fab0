#!/bin/sh
# fuzz.t - run the libFuzzer targets (the front ends, jailrun's blob
# verifier, its text-plan reader, network.allow's entries, its network
# proxy's request parser, its Xauthority reader) for a short while.
#
# `make check` runs each for FUZZ_SECONDS (default 10) from a seed corpus
# of real inputs; `make fuzz` runs them longer.  A crash, a sanitizer
# report, a leak or a hang (timeout) fails the test and leaves the input
# in build/fuzz/.  The plain pass runs them; the sanitizer pass (JAILC_BIN
# set) does not run them again, as they are sanitizer builds already.
. tests/lib.sh
secs=${FUZZ_SECONDS:-10}

if [ -n "${JAILC_BIN:-}" ]; then
	echo "1..0 # SKIP fuzzers already ran in the plain pass (they are ASan+UBSan builds)"
	exit 0
fi
tap_tmpdir fuzz

seeds_toml="profiles tests/twins"
[ -d ../shared/toml-test/tests/valid ] &&
    seeds_toml="$seeds_toml ../shared/toml-test/tests/valid"
# Whether clang can build a libFuzzer binary at all (the same probe as
# tools/deps.sh's).
toolchain_ok() {
	command -v clang >/dev/null 2>&1 || return 1
	printf '%s\n' '#include <stddef.h>' '#include <stdint.h>' \
	    'int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);' \
	    'int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)' \
	    '{ (void)d; (void)n; return 0; }' >"$TMP/probe.c"
	clang -fsanitize=fuzzer,address -o "$TMP/probe" "$TMP/probe.c" \
	    >/dev/null 2>&1
}

# Real blobs and text plans seed the verifier's and the reader's fuzzers.
mkdir -p "$TMP/blob-seeds" "$TMP/plantext-seeds"
for f in profiles/*.jail tests/golden/*.jail; do
	"$JAILC" compile -t blob -o "$TMP/blob-seeds/$(basename "$f").jailb" \
	    "$f" 2>/dev/null
	"$JAILC" compile -t plan \
	    -o "$TMP/plantext-seeds/$(basename "$f").plan" "$f" 2>/dev/null
done
# Request heads, good and bad, seed the proxy's parser's.
mkdir -p "$TMP/netproxy-seeds"
printf 'CONNECT api.anthropic.com:443 HTTP/1.1\r\nHost: api.anthropic.com:443\r\nProxy-Authorization: Basic eDp5\r\n\r\n' \
    >"$TMP/netproxy-seeds/connect"
printf 'CONNECT [::1]:8080 HTTP/1.1\r\n\r\n' >"$TMP/netproxy-seeds/connect6"
printf 'POST http://registry.npmjs.org:8080/a/b?c=d HTTP/1.1\r\nHost: x\r\nConnection: keep-alive, X-A\r\nX-A: 1\r\nKeep-Alive: 5\r\nContent-Length: 3\r\n\r\nabc' \
    >"$TMP/netproxy-seeds/post"
printf 'GET http://10.0.0.1 HTTP/1.0\r\nX: y\r\n\r\n' >"$TMP/netproxy-seeds/get"
printf 'GET http://[fe80::1]:80/ HTTP/1.1\r\n\r\n' >"$TMP/netproxy-seeds/get6"
# network.allow entries and requested hosts seed the netrule fuzzer.
mkdir -p "$TMP/netrule-seeds"
n=0
for e in api.anthropic.com registry.npmjs.org:443 '*.example.com:8443' \
    localhost 127.0.0.1:8080 '[::1]' '[2001:db8::1]:443' \
    '[::ffff:10.0.0.1]' 'Example.COM.' '::ffff:7f00:1'; do
	n=$((n + 1))
	printf '%s' "$e" >"$TMP/netrule-seeds/$n"
done
# Xauthority files, four bytes of choices before each (fuzz_xauth.c),
# and DISPLAY values, written by hand: the real xauth may be missing.
mkdir -p "$TMP/xauth-seeds"
printf '\000\001\002\377\001\000\000\002vm\000\0010\000\022MIT-MAGIC-COOKIE-1\000\020SIXTEEN BYTES...' \
    >"$TMP/xauth-seeds/local"
printf '\001\130\000\040\377\377\000\000\000\000\000\023XDM-AUTHORIZATION-1\000\002ab' \
    >"$TMP/xauth-seeds/wild"
printf ':0' >"$TMP/xauth-seeds/display"
printf 'unix:10.0' >"$TMP/xauth-seeds/display2"
for fe in toml yaml json blob plantext netrule netproxy xauth; do
	bin=build/fuzz/fuzz-$fe
	if [ ! -x "$bin" ]; then
		# Only a missing toolchain is a reason to skip: when clang
		# builds a trivial fuzzer, ours not building is a failure.
		if toolchain_ok; then
			tap 1 "fuzz $fe: $bin builds"
			tap_diag "$(grep -m5 -i error build/fuzz/build.log 2>/dev/null)"
			continue
		fi
		reason="$bin not built (clang with libFuzzer missing?)"
		[ -f build/fuzz/build.log ] &&
		    reason="$reason: $(grep -m1 -i error build/fuzz/build.log)"
		tap_skip "fuzz $fe" "$reason"
		continue
	fi
	mkdir -p "$TMP/$fe"
	case $fe in
	toml) seeds=$seeds_toml ;;
	yaml) seeds="tests/twins tests/regress" ;;
	json) seeds="schema" ;;
	blob) seeds="$TMP/blob-seeds" ;;
	plantext) seeds="$TMP/plantext-seeds" ;;
	netrule) seeds="$TMP/netrule-seeds" ;;
	netproxy) seeds="$TMP/netproxy-seeds" ;;
	xauth) seeds="$TMP/xauth-seeds" ;;
	esac
	# Seed directories are read, never written: the new corpus goes to
	# the scratch directory.
	# shellcheck disable=SC2086
	"$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
	    -max_len=65536 -artifact_prefix=build/fuzz/$fe- \
	    "$TMP/$fe" $seeds >"$TMP/$fe.log" 2>&1
	rc=$?
	tap $rc "fuzz $fe for ${secs}s: $(grep -o 'Done [0-9]* runs' "$TMP/$fe.log")"
	[ $rc -ne 0 ] && tap_diag "$(tail -n 30 "$TMP/$fe.log")"
done
tap_done
