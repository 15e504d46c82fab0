#!/bin/sh
# toml-test.t - the TOML front end against the toml-test suite.
#
# Every case of the TOML 1.0.0 list is one TAP line: a valid/ case must
# decode (exit 0, nothing on stderr) to JSON that jsoncmp finds equal to the
# .json next to it; an invalid/ case must exit 1 with a file:line:col:
# error line (a crash or a sanitizer report exits otherwise).  The 1.1.0
# list is then run the same way with the decoder in TOML 1.1 mode
# (`--toml 1.1`; profiles themselves are read as TOML 1.0).
. tests/lib.sh
tap_tmpdir toml-test

DIR=${TOML_TEST_DIR:-../shared/toml-test}
DEC=$TOOLS/toml-decoder
CMP=build/jsoncmp

# Without the suite nothing here runs.  In CI (CI set, as .ci/run does)
# that is a failure; elsewhere a skip, said on stderr too, which prove
# shows even when it is not verbose.
if [ ! -f "$DIR/tests/files-toml-1.0.0" ]; then
	why="toml-test suite not found at $DIR (set TOML_TEST_DIR)"
	if [ -n "${CI:-}" ]; then
		echo "1..1"
		echo "not ok 1 - $why; CI is set, so it may not be skipped"
		exit 1
	fi
	echo "toml-test.t: SKIPPED: $why" >&2
	echo "1..0 # SKIP $why"
	exit 0
fi
for tool in "$DEC" "$CMP"; do
	if [ ! -x "$tool" ]; then
		echo "1..1"
		echo "not ok 1 - $tool is not built"
		exit 1
	fi
done

# check CASE: run one case of the suite; on failure set $why.
check() {
	case $1 in
	valid/*.toml)
		"$DEC" --toml "$version" <"$DIR/tests/$1" >"$TMP/out" 2>"$TMP/err"
		rc=$?
		if [ "$rc" -ne 0 ]; then
			why="exit $rc: $(head -c 400 "$TMP/err")"
			return 1
		fi
		if [ -s "$TMP/err" ]; then
			why="stderr: $(head -c 400 "$TMP/err")"
			return 1
		fi
		if ! "$CMP" "$DIR/tests/${1%.toml}.json" "$TMP/out" \
		    2>"$TMP/cmp"; then
			why=$(head -c 400 "$TMP/cmp")
			return 1
		fi
		;;
	invalid/*.toml)
		"$DEC" --toml "$version" <"$DIR/tests/$1" >/dev/null 2>"$TMP/err"
		rc=$?
		if [ "$rc" -ne 1 ]; then
			why="exit $rc (want 1): $(head -c 400 "$TMP/err")"
			return 1
		fi
		line=
		read -r line <"$TMP/err"
		case $line in
		*:[0-9]*:[0-9]*": error: "*) ;;
		*)
			why="no file:line:col: error: line: $line"
			return 1
			;;
		esac
		;;
	*)
		why="not a test case"
		return 1
		;;
	esac
	return 0
}

# Every case of both lists must pass.
for version in 1.0 1.1; do
	passed=0
	total=0
	while read -r f; do
		case $f in
		*.toml) ;;
		*) continue ;;
		esac
		total=$((total + 1))
		if check "$f"; then
			passed=$((passed + 1))
			tap 0 "toml $version: $f"
		else
			tap 1 "toml $version: $f"
			tap_diag "$why"
		fi
	done <"$DIR/tests/files-toml-$version.0"
	tap_diag "toml $version.0: $passed/$total"
done
tap_done
