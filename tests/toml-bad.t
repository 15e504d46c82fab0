#!/bin/sh
# toml-bad.t - hostile input to the TOML front end.
#
# Each input is generated here.  Rejected input must exit 1 with a
# file:line:col: error: line (the message id is checked where it matters);
# nothing may crash, trip a sanitizer or run longer than the time limit.
. tests/lib.sh
tap_tmpdir toml-bad

DEC=$TOOLS/toml-decoder
LIMIT=20

if [ ! -x "$DEC" ]; then
	echo "1..1"
	echo "not ok 1 - $DEC is not built"
	exit 1
fi

# decode NAME: run the decoder on $TMP/NAME; status in $rc.
decode() {
	if command -v timeout >/dev/null 2>&1; then
		timeout "$LIMIT" "$DEC" <"$TMP/$1" >"$TMP/out" 2>"$TMP/err"
	else
		"$DEC" <"$TMP/$1" >"$TMP/out" 2>"$TMP/err"
	fi
	rc=$?
}

# reject NAME DESCRIPTION [PATTERN]: exit 1 and an error line matching
# PATTERN (default: any file:line:col: error:).
reject() {
	decode "$1"
	pat=${3:-'stdin:[0-9][0-9]*:[0-9][0-9]*: error: '}
	if [ "$rc" -eq 1 ] && grep -q "$pat" "$TMP/err" &&
	    ! grep -q 'Sanitizer\|runtime error' "$TMP/err"; then
		tap 0 "$2"
	else
		tap 1 "$2"
		tap_diag "exit $rc, want 1 and /$pat/" \
		    "$(head -c 300 "$TMP/err")"
	fi
}

# accept NAME DESCRIPTION: exit 0, nothing on stderr.
accept() {
	decode "$1"
	if [ "$rc" -eq 0 ] && [ ! -s "$TMP/err" ]; then
		tap 0 "$2"
	else
		tap 1 "$2"
		tap_diag "exit $rc, want 0" "$(head -c 300 "$TMP/err")"
	fi
}

gen() {
	perl -e "$2" >"$TMP/$1"
}

# NUL bytes, wherever they are.
gen nul-start 'print "\0a = 1\n"'
reject nul-start "NUL at the start" 'stdin:1:1: error: .*NUL'
gen nul-key 'print "a\0b = 1\n"'
reject nul-key "NUL in a bare key" 'stdin:1:2: error: .*NUL'
gen nul-string 'print "x = 1\na = \"\xc3\xa9\xc3\xa9\0\"\n"'
reject nul-string "NUL in a string, column in code points" \
    'stdin:2:8: error: .*NUL'
gen nul-literal "print \"a = 'x\\0'\\n\""
reject nul-literal "NUL in a literal string"
gen nul-multi 'print "a = \"\"\"\nx\0\n\"\"\"\n"'
reject nul-multi "NUL in a multi-line string" 'stdin:2:2: error: '
gen nul-comment 'print "a = 1 # x\0y\n"'
reject nul-comment "NUL in a comment"
gen nul-header 'print "[a\0]\n"'
reject nul-header "NUL in a table header"
gen nul-end 'print "a = 1\n\0"'
reject nul-end "NUL as the last byte" 'stdin:2:1: error: '
gen nul-quoted-key 'print "\"a\0\" = 1\n"'
reject nul-quoted-key "NUL in a quoted key"

# Invalid UTF-8.
gen utf8-overlong 'print "a = \"\xc0\xaf\"\n"'
reject utf8-overlong "overlong UTF-8 in a string" \
    'stdin:1:6: error: .*\[encoding\]'
gen utf8-overlong3 'print "a = \"\xe0\x80\xaf\"\n"'
reject utf8-overlong3 "3-byte overlong UTF-8 in a string" '\[encoding\]'
gen utf8-surrogate 'print "# \xed\xa0\x80\n"'
reject utf8-surrogate "UTF-8 surrogate in a comment" \
    'stdin:1:3: error: .*\[encoding\]'
gen utf8-truncated 'print "\"k\xe2\x82\" = 1\n"'
reject utf8-truncated "truncated UTF-8 in a quoted key" \
    'stdin:1:3: error: .*\[encoding\]'
gen utf8-eof 'print "a = 1 # \xf0\x9f\x98"'
reject utf8-eof "truncated UTF-8 at end of file" '\[encoding\]'
gen utf8-cont 'print "k\x80 = 1\n"'
reject utf8-cont "stray continuation byte in a bare key" '\[encoding\]'
gen utf8-high 'print "a = \"\xf4\x90\x80\x80\"\n"'
reject utf8-high "code point above U+10FFFF" '\[encoding\]'
gen utf8-f5 'print "a = \"\xf5\x80\x80\x80\"\n"'
reject utf8-f5 "byte 0xF5" '\[encoding\]'
gen utf8-late 'print "a = 1\nb = \"\xc3\xa9\xc3\xa9\"\nc = \"\xc3\xa9\xff\"\n"'
reject utf8-late "invalid byte after valid UTF-8: line and column" \
    'stdin:3:7: error: .*\[encoding\]'
gen utf8-escape 'print "a = \"\\ud800\"\n"'
reject utf8-escape "escaped surrogate"
gen utf8-escape-big 'print "a = \"\\U00110000\"\n"'
reject utf8-escape-big "escape above U+10FFFF"

# Control characters and carriage returns.
gen bare-cr 'print "a = 1\rb = 2\n"'
reject bare-cr "bare CR between values" 'stdin:1:6: error: '
gen cr-string 'print "a = \"x\ry\"\n"'
reject cr-string "bare CR in a string"
gen cr-comment 'print "# x\r\na = 1 # \r\n#\r"'
reject cr-comment "bare CR at end of file after CRLF lines" 'stdin:3:2: '
gen crlf 'print "a = 1\r\n[t]\r\nb = \"\"\"x\r\ny\"\"\"\r\n"'
accept crlf "CRLF line ends are fine"
gen ctl-string 'print "a = \"\x01\"\n"'
reject ctl-string "U+0001 in a string"
gen del-comment 'print "a = 1 # \x7f\n"'
reject del-comment "DEL in a comment"
gen esc-char 'print "a = \"\x1b[0m\"\n"'
reject esc-char "raw ESC in a string"

# Long lines.
gen long-string 'print "s = \"", "x" x 1048576, "\"\n"'
accept long-string "1 MB string value"
grep -q '"value":"xxxxxxxx' "$TMP/out"
tap $? "1 MB string value is decoded"
gen long-garbage 'print "s = ", "x" x 1048576, "\n"'
reject long-garbage "1 MB of garbage after '='" 'stdin:1:5: error: '
gen long-key 'print "x" x 1048576, " = 1\n"'
accept long-key "1 MB bare key"
gen long-unterminated 'print "s = \"", "x" x 1048576, "\n"'
reject long-unterminated "1 MB unterminated string"
gen long-comment 'print "# ", "x" x 1048576, "\na = 1\n"'
accept long-comment "1 MB comment"

# Nesting beyond DOC_MAX_DEPTH.
gen deep-array 'print "a = ", "[" x 10000, "]" x 10000, "\n"'
reject deep-array "arrays 10000 deep" '\[limit\]'
gen deep-array-open 'print "a = ", "[" x 10000, "\n"'
reject deep-array-open "10000 unclosed '['" '\[limit\]'
gen deep-inline 'print "a = ", "{b = " x 10000, "1", "}" x 10000, "\n"'
reject deep-inline "inline tables 10000 deep" '\[limit\]'
gen deep-mixed 'print "a = ", "[{b = " x 5000, "1", "}]" x 5000, "\n"'
reject deep-mixed "arrays and inline tables 10000 deep" '\[limit\]'
gen deep-dotted 'print join(".", ("a") x 10000), " = 1\n"'
reject deep-dotted "dotted key 10000 parts" '\[limit\]'
gen deep-header 'print "[", join(".", ("a") x 10000), "]\n"'
reject deep-header "table header 10000 parts" '\[limit\]'
gen deep-aot 'print "[[", join(".", ("a") x 10000), "]]\n"'
reject deep-aot "array-of-tables header 10000 parts" '\[limit\]'
gen deep-steps 'for $i (1..100) { print "[", join(".", ("a") x $i), "]\n" }'
reject deep-steps "headers growing one level at a time" '\[limit\]'
gen deep-aot-steps 'for $i (1..100) { print "[[", join(".", ("a") x $i), "]]\n" }'
reject deep-aot-steps "arrays of tables nested 100 deep" '\[limit\]'
gen deep-ok 'print "a = ", "[" x 60, "]" x 60, "\n[", join(".", ("b") x 60), "]\n"'
accept deep-ok "nesting 60 deep is fine"

# Numbers out of range.
gen int-max 'print "a = 9223372036854775807\nb = -9223372036854775808\n"'
accept int-max "int64 limits decode"
grep -q '"-9223372036854775808"' "$TMP/out"
tap $? "INT64_MIN is decoded exactly"
gen int-over 'print "a = 9223372036854775808\n"'
reject int-over "INT64_MAX + 1" 'stdin:1:5: error: .*range'
gen int-under 'print "a = -9223372036854775809\n"'
reject int-under "INT64_MIN - 1" 'range'
gen int-huge 'print "a = ", "9" x 5000, "\n"'
reject int-huge "5000-digit integer" 'range'
gen hex-over 'print "a = 0x8000000000000000\n"'
reject hex-over "hex integer over INT64_MAX" 'range'
gen bin-over 'print "a = 0b1", "0" x 64, "\n"'
reject bin-over "binary integer over INT64_MAX" 'range'
gen float-over 'print "a = 1e400\n"'
reject float-over "float literal over DBL_MAX" 'range'

# Sizes.
: >"$TMP/empty"
accept empty "empty input"
[ "$(cat "$TMP/out")" = "{}" ]
tap $? "empty input is an empty table"
gen bom 'print "\xef\xbb\xbfa = 1\n"'
accept bom "byte order mark"
gen bom-only 'print "\xef\xbb\xbf"'
accept bom-only "byte order mark alone"
gen bom-late 'print "a = 1\n\xef\xbb\xbf"'
reject bom-late "byte order mark after the start"
gen too-big 'print "# ", "x" x (4 << 20), "\n"'
reject too-big "input over DOC_MAX_INPUT" 'stdin:1:1: error: .*\[limit\]'
gen many-keys 'for $i (1..200000) { print "k$i = $i\n" }'
accept many-keys "200000 keys in one table"
gen many-inline 'print "t = {"; for $i (1..100000) { print "k$i = $i, " } print "z = 0}\n"'
accept many-inline "100000 keys in one inline table"
gen many-dup 'for $i (1..100000) { print "k$i = $i\n" } print "k99999 = 0\n"'
reject many-dup "duplicate among 100000 keys" \
    'stdin:100001:1: error: .*\[toml-redefine\]'
grep -q 'stdin:99999:1: note: ' "$TMP/err"
tap $? "duplicate key: note points at the first definition"
gen many-aot 'for $i (1..100000) { print "[[a]]\nb = $i\n" }'
accept many-aot "100000 array-of-tables elements"
gen many-tables 'for $i (1..50000) { print "[t$i.x]\ny = 1\n" }'
accept many-tables "50000 tables"
gen many-array 'print "a = [", "1," x 300000, "]\n"'
accept many-array "array of 300000 elements"

# Truncated input: every prefix of a small document is handled.
cat >"$TMP/whole" <<'END'
[a.b]
c = { d = [1, 2.5e3, "x\u00e9"], e = 1979-05-27T07:32:00Z }
[[f]]
g = '''lit
eral'''
h = """ml \
  x"""
END
n=$(wc -c <"$TMP/whole")
bad=0
i=0
while [ "$i" -lt "$n" ]; do
	head -c "$i" "$TMP/whole" >"$TMP/prefix"
	decode prefix
	if [ "$rc" -ne 0 ] && [ "$rc" -ne 1 ]; then
		bad=$((bad + 1))
		tap_diag "prefix of $i bytes: exit $rc"
	elif [ "$rc" -eq 1 ] && ! grep -q ': error: ' "$TMP/err"; then
		bad=$((bad + 1))
		tap_diag "prefix of $i bytes: no error line"
	fi
	i=$((i + 1))
done
tap "$bad" "every prefix of a document exits 0 or 1"
accept whole "the whole document is valid"

tap_done
