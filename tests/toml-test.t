#!/bin/sh
# toml-test.t - the TOML front end against the toml-test suite.
#
# Every case of the TOML 1.0.0 list is one TAP line: a valid/ case must
# decode (exit 0, nothing on stderr) to JSON that jsoncmp finds equal to the
# .json next to it; an invalid/ case must exit 1 with a file:line:col:
# error line (a crash or a sanitizer report exits otherwise).  The 1.1.0
# list is then run for information only: its pass rate is a diagnostic line,
# since jailc reads TOML 1.0.
. tests/lib.sh
tap_tmpdir toml-test

DIR=${TOML_TEST_DIR:-../shared/toml-test}
DEC=$TOOLS/toml-decoder
CMP=build/jsoncmp

if [ ! -f "$DIR/tests/files-toml-1.0.0" ]; then
	echo "1..0 # SKIP toml-test suite not found at $DIR"
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
		"$DEC" <"$DIR/tests/$1" >"$TMP/out" 2>"$TMP/err"
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
		"$DEC" <"$DIR/tests/$1" >/dev/null 2>"$TMP/err"
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

# TOML 1.0.0: every case must pass.  Results are kept for the 1.1.0 run.
: >"$TMP/results"
while read -r f; do
	case $f in
	*.toml) ;;
	*) continue ;;
	esac
	if check "$f"; then
		tap 0 "$f"
		echo "$f 0" >>"$TMP/results"
	else
		tap 1 "$f"
		tap_diag "$why"
		echo "$f 1" >>"$TMP/results"
	fi
done <"$DIR/tests/files-toml-1.0.0"

# TOML 1.1.0: cases shared with 1.0.0 keep their result; run the rest.
awk 'NR == FNR { r[$1] = $2; next }
    /\.toml$/ { if ($0 in r) print $0, r[$0]; else print $0, "run" }' \
    "$TMP/results" "$DIR/tests/files-toml-1.1.0" >"$TMP/list11"
total=0
passed=0
failed11=
while read -r f state; do
	if [ "$state" = run ]; then
		check "$f"
		state=$?
	fi
	total=$((total + 1))
	if [ "$state" -eq 0 ]; then
		passed=$((passed + 1))
	else
		failed11="$failed11 $f"
	fi
done <"$TMP/list11"
tap_diag "toml 1.1.0: $passed/$total"
[ -n "$failed11" ] && tap_diag "toml 1.1.0 failures:$failed11"
tap_done
