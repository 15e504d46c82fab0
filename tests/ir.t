#!/bin/sh
# ir.t - golden IR dumps: for tests/regress/*/NAME.toml with a NAME.ir
# beside it, `irdump NAME.toml` must print exactly NAME.ir (merge order,
# remove, defaults, canonical paths).
. tests/lib.sh
tap_tmpdir ir

for ir in tests/regress/*/*.ir; do
	[ -e "$ir" ] || continue
	src=${ir%.ir}.toml
	"$TOOLS/irdump" "$src" >"$TMP/out" 2>"$TMP/err"
	if ! diff -u "$ir" "$TMP/out" >"$TMP/diff"; then
		tap 1 "$src: IR differs from $ir"
		tap_diag "$(cat "$TMP/diff" "$TMP/err")"
		continue
	fi
	tap 0 "$src: IR as expected"
done
tap_done
