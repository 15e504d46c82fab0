#!/bin/sh
# regress.t - golden files: `jailc check FILE` against FILE's .expect.
#
# Every tests/regress/AREA/NAME.{toml,yaml,yml,jail} is one case; its
# diagnostics (stderr, no terminal) must equal NAME.expect byte for byte,
# and the exit status must be 1 when an error is expected, 0 otherwise.
# If NAME.json-expect exists, `jailc check --format json` stdout must equal
# it too.  REGRESS_UPDATE=1 rewrites the expected files (review the diff!).
. tests/lib.sh
tap_tmpdir regress
# profile-writable resolves ~ with HOME: keep the checkout out of it, so
# that the expected files hold wherever the tree is.
HOME=/nonexistent/home
export HOME

for f in tests/regress/*/*.toml tests/regress/*/*.yaml tests/regress/*/*.yml \
    tests/regress/*/*.jail; do
	[ -e "$f" ] || continue
	base=${f%.*}
	expect=$base.expect
	args=""
	[ -f "$base.args" ] && args=$(cat "$base.args")
	# shellcheck disable=SC2086
	"$JAILC" check $args "$f" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	if [ -n "${REGRESS_UPDATE:-}" ] && [ -z "${JAILC_BIN:-}" ]; then
		cp "$TMP/err" "$expect"
	fi
	if [ ! -f "$expect" ]; then
		tap 1 "$f: no $expect"
		continue
	fi
	want=0
	grep -q ': error: ' "$expect" && want=1
	if [ "$rc" -ne "$want" ]; then
		tap 1 "$f: exit status $rc, expected $want"
		tap_diag "$(cat "$TMP/err")"
		continue
	fi
	if ! diff -u "$expect" "$TMP/err" >"$TMP/diff"; then
		tap 1 "$f: diagnostics differ"
		tap_diag "$(cat "$TMP/diff")"
		continue
	fi
	if [ -f "$base.json-expect" ]; then
		# shellcheck disable=SC2086
		"$JAILC" check --format json $args "$f" >"$TMP/json" 2>&1
		[ -n "${REGRESS_UPDATE:-}" ] && [ -z "${JAILC_BIN:-}" ] &&
		    cp "$TMP/json" "$base.json-expect"
		if ! diff -u "$base.json-expect" "$TMP/json" >"$TMP/diff"; then
			tap 1 "$f: JSON diagnostics differ"
			tap_diag "$(cat "$TMP/diff")"
			continue
		fi
	fi
	tap 0 "$f"
done
tap_done
