#!/bin/sh
# format.t - every C file is in the house style (.clang-format).
. tests/lib.sh
if ! command -v clang-format >/dev/null 2>&1; then
	echo "1..0 # SKIP clang-format not installed (apt-get install clang-format)"
	exit 0
fi
if [ -n "${JAILC_BIN:-}" ]; then
	echo "1..0 # SKIP formatting does not depend on the build"
	exit 0
fi
for f in compiler/*.c compiler/*.h runtime/*.c runtime/*.h tests/tools/*.c \
    tests/fuzz/*.c tests/attack/*.c; do
	out=$(clang-format --dry-run -Werror "$f" 2>&1)
	tap $? "clang-format: $f"
	[ -n "$out" ] && tap_diag "$(printf '%s\n' "$out" | head -n 6)"
done
tap_done
