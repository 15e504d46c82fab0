#!/bin/sh
# yaml.t - the YAML front end and format detection, through docdump.
#
# docdump prints the document tree with the position of every key and
# value, so a test states the exact tree (types, values, line:col) or the
# exact diagnostics a file must give.  Files are written to a scratch
# directory and named relative to it, as a user would pass them.
. tests/lib.sh
tap_tmpdir yaml

case $TOOLS in
/*) DD=$TOOLS/docdump ;;
*) DD=$PWD/$TOOLS/docdump ;;
esac
LIMIT=20

if [ ! -x "$DD" ]; then
	echo "1..1"
	echo "not ok 1 - $DD is not built (make $TOOLS/docdump)"
	exit 1
fi

# unescape TEXT: TEXT with \n, \r, \t, \0, \\ and \xNN turned into
# bytes (perl, because printf(1) in dash knows no \xNN).
unescape() {
	# shellcheck disable=SC2016
	perl -e '$_ = $ARGV[0];
	    my %c = (n => "\n", r => "\r", t => "\t", 0 => "\0", "\\" => "\\");
	    s/\\(x[0-9a-fA-F]{2}|[nrt0\\])/
		length($1) == 3 ? chr(hex(substr($1, 1))) : $c{$1}/ge;
	    print' -- "$1"
}

# put NAME TEXT: write a file in the scratch directory, escapes expanded.
put() {
	unescape "$2" >"$TMP/$1"
}

# dd ARGS...: run docdump in the scratch directory; stdout in $TMP/out,
# stderr in $TMP/err, exit status in $rc.
dd() {
	if command -v timeout >/dev/null 2>&1; then
		(cd "$TMP" && timeout "$LIMIT" "$DD" "$@") \
		    >"$TMP/out" 2>"$TMP/err"
	else
		(cd "$TMP" && "$DD" "$@") >"$TMP/out" 2>"$TMP/err"
	fi
	rc=$?
}

# expect STATUS WHICH DESCRIPTION: the last run exited with STATUS and its
# WHICH (out or err) equals standard input exactly; no sanitizer report.
expect() {
	cat >"$TMP/want"
	if grep -q 'Sanitizer\|runtime error' "$TMP/err"; then
		tap 1 "$3"
		tap_diag "sanitizer report:" "$(head -c 2000 "$TMP/err")"
	elif [ "$rc" -ne "$1" ]; then
		tap 1 "$3"
		tap_diag "exit status $rc, expected $1" "$(head -c 1000 "$TMP/err")"
	elif ! diff -u "$TMP/want" "$TMP/$2" >"$TMP/diff"; then
		tap 1 "$3"
		tap_diag "$(cat "$TMP/diff")"
	else
		tap 0 "$3"
	fi
}

# expect_err STATUS DESCRIPTION: as expect, for stderr; no tree printed
# when the status is 1.
expect_err() {
	expect "$1" err "$2"
	if [ "$1" -eq 1 ] && [ -s "$TMP/out" ]; then
		tap_diag "unexpected output:" "$(head -c 500 "$TMP/out")"
	fi
}

# --- Scalars: the YAML 1.2 core schema for plain scalars. ---
put scalars.yaml '# scalars
s: plain text
dq: "double"
sq: '"'"'single'"'"'
lit: |
  two
  lines
fold: >
  folded
  text
t1: true
t2: True
t3: TRUE
f1: false
f2: False
f3: FALSE
i1: 42
i2: -17
i3: +5
i4: 0o17
i5: 0x1F
i6: 007
i7: -9223372036854775808
i8: 9223372036854775807
x1: 1.5
x2: -.5
x3: 1e3
x4: 2.
x5: .inf
x6: -.Inf
x7: .NAN
x8: +1.25E-2
q1: "42"
q2: '"'"'true'"'"'
n1: 0o8
n2: 0x
n3: 1_000
n4: -0x1
n5: 1.2.3
n6: tRUE
n7: 0X1F
'
dd scalars.yaml
expect 0 out "plain scalars are typed by the YAML 1.2 core schema" <<'EOF'
$ @2:1 table
$.s key@2:1 @2:4 string "plain text"
$.dq key@3:1 @3:5 string "double"
$.sq key@4:1 @4:5 string "single"
$.lit key@5:1 @5:6 string "two\nlines\n"
$.fold key@8:1 @8:7 string "folded text\n"
$.t1 key@11:1 @11:5 boolean true
$.t2 key@12:1 @12:5 boolean true
$.t3 key@13:1 @13:5 boolean true
$.f1 key@14:1 @14:5 boolean false
$.f2 key@15:1 @15:5 boolean false
$.f3 key@16:1 @16:5 boolean false
$.i1 key@17:1 @17:5 integer 42
$.i2 key@18:1 @18:5 integer -17
$.i3 key@19:1 @19:5 integer 5
$.i4 key@20:1 @20:5 integer 15
$.i5 key@21:1 @21:5 integer 31
$.i6 key@22:1 @22:5 integer 7
$.i7 key@23:1 @23:5 integer -9223372036854775808
$.i8 key@24:1 @24:5 integer 9223372036854775807
$.x1 key@25:1 @25:5 float 1.5
$.x2 key@26:1 @26:5 float -0.5
$.x3 key@27:1 @27:5 float 1000
$.x4 key@28:1 @28:5 float 2
$.x5 key@29:1 @29:5 float inf
$.x6 key@30:1 @30:5 float -inf
$.x7 key@31:1 @31:5 float nan
$.x8 key@32:1 @32:5 float 0.012500000000000001
$.q1 key@33:1 @33:5 string "42"
$.q2 key@34:1 @34:5 string "true"
$.n1 key@35:1 @35:5 string "0o8"
$.n2 key@36:1 @36:5 string "0x"
$.n3 key@37:1 @37:5 string "1_000"
$.n4 key@38:1 @38:5 string "-0x1"
$.n5 key@39:1 @39:5 string "1.2.3"
$.n6 key@40:1 @40:5 string "tRUE"
$.n7 key@41:1 @41:5 string "0X1F"
EOF

# --- Positions: nested collections, flow style, multibyte characters. ---
put pos.yaml 'env:
  allow: [TERM, "LC_*"]
  set: {A: b}
mount:
  - rw: ~/x
    create: true
  -  ro: /etc
"\xc3\xa9t\xc3\xa9": "\xc3\xbc"
\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e: [\xf0\x9f\x99\x82, x]
k: \xc3\xa9\xc3\xa9 \xe2\x86\x92 v
'
dd pos.yaml
expect 0 out "positions of keys and values; a character is one column" <<'EOF'
$ @1:1 table
$.env key@1:1 @2:3 table
$.env.allow key@2:3 @2:10 array
$.env.allow[0] @2:11 string "TERM"
$.env.allow[1] @2:17 string "LC_*"
$.env.set key@3:3 @3:8 table
$.env.set.A key@3:9 @3:12 string "b"
$.mount key@4:1 @5:3 array
$.mount[0] @5:5 table
$.mount[0].rw key@5:5 @5:9 string "~/x"
$.mount[0].create key@6:5 @6:13 boolean true
$.mount[1] @7:6 table
$.mount[1].ro key@7:6 @7:10 string "/etc"
$["été"] key@8:1 @8:8 string "ü"
$["日本語"] key@9:1 @9:6 array
$["日本語"][0] @9:7 string "🙂"
$["日本語"][1] @9:10 string "x"
$.k key@10:1 @10:4 string "éé → v"
EOF

put crlf.yaml 'a: 1\r\nb:\r\n  c: "x"\r\n'
dd crlf.yaml
expect 0 out "CRLF line ends count as one line break" <<'EOF'
$ @1:1 table
$.a key@1:1 @1:4 integer 1
$.b key@2:1 @3:3 table
$.b.c key@3:3 @3:6 string "x"
EOF

put bom.yaml '\xef\xbb\xbfname: x\n'
dd bom.yaml
expect 0 out "a leading byte order mark is skipped and takes no column" <<'EOF'
$ @1:1 table
$.name key@1:1 @1:7 string "x"
EOF

put empty.yaml ''
put comments.yaml '# nothing\n\n# here\n'
dd empty.yaml comments.yaml
expect 0 out "empty and comment-only files are empty tables" <<'EOF'
$ @1:1 table
$ @1:1 table
EOF

put docmarks.yaml '--- # start\na: 1\n...\n'
dd docmarks.yaml
expect 0 out "a '---' start and '...' end marker on the one document are fine" <<'EOF'
$ @2:1 table
$.a key@2:1 @2:4 integer 1
EOF

# --- Features profiles refuse, each at its place. ---
put anchor.yaml 'a: &x 1\nb: *x\n'
dd anchor.yaml
expect_err 1 "anchors and aliases are refused at their positions" <<'EOF'
jailc: anchor.yaml:1:4: error: YAML feature not allowed in profiles: anchor &x: anchors and aliases are not allowed; write the value out [yaml-feature]
jailc: anchor.yaml:2:4: error: YAML feature not allowed in profiles: alias *x: anchors and aliases are not allowed; write the value out [yaml-feature]
EOF

put merge.yaml 'base: &b {x: 1}\nother:\n  <<: *b\n  y: 2\nlist: &l\n  - 1\n'
dd merge.yaml
expect_err 1 "merge keys through aliases and anchored collections are refused" <<'EOF'
jailc: merge.yaml:1:7: error: YAML feature not allowed in profiles: anchor &b: anchors and aliases are not allowed; write the value out [yaml-feature]
jailc: merge.yaml:3:7: error: YAML feature not allowed in profiles: alias *b: anchors and aliases are not allowed; write the value out [yaml-feature]
jailc: merge.yaml:5:7: error: YAML feature not allowed in profiles: anchor &l: anchors and aliases are not allowed; write the value out [yaml-feature]
EOF

put tags.yaml 'a: !!str 1\nb: !local x\nc: ! y\nd: !!map {e: 1}\n'
dd tags.yaml
expect_err 1 "tags are refused, shown as written" <<'EOF'
jailc: tags.yaml:1:4: error: YAML feature not allowed in profiles: tag !!str: tags are not allowed; a value's type comes from how it is written [yaml-feature]
jailc: tags.yaml:2:4: error: YAML feature not allowed in profiles: tag !local: tags are not allowed; a value's type comes from how it is written [yaml-feature]
jailc: tags.yaml:3:4: error: YAML feature not allowed in profiles: tag !: tags are not allowed; a value's type comes from how it is written [yaml-feature]
jailc: tags.yaml:4:4: error: YAML feature not allowed in profiles: tag !!map: tags are not allowed; a value's type comes from how it is written [yaml-feature]
EOF

put tagdir.yaml '%TAG !e! tag:example.com,2024:\n---\na: 1\n'
dd tagdir.yaml
expect_err 1 "a %TAG directive is refused" <<'EOF'
jailc: tagdir.yaml:1:1: error: YAML feature not allowed in profiles: %TAG directive: tags are not allowed [yaml-feature]
EOF

put yaml11.yaml '%YAML 1.1\n---\na: 1\n'
put yaml12.yaml '%YAML 1.2\n---\na: 1\n'
dd yaml11.yaml
expect_err 1 "a %YAML 1.1 directive is refused" <<'EOF'
jailc: yaml11.yaml:1:1: error: YAML feature not allowed in profiles: %YAML 1.1 directive: profiles are read as YAML 1.2 [yaml-feature]
EOF
dd yaml12.yaml
expect 0 out "a %YAML 1.2 directive is accepted" <<'EOF'
$ @3:1 table
$.a key@3:1 @3:4 integer 1
EOF

put multidoc.yaml '---\na: 1\n---\nb: 2\n'
dd multidoc.yaml
expect_err 1 "a second document is refused where it starts" <<'EOF'
jailc: multidoc.yaml:3:1: error: YAML feature not allowed in profiles: a second document: a profile is one YAML document [yaml-feature]
EOF

put multidoc2.yaml 'a: 1\n...\n---\nb: 2\n'
dd multidoc2.yaml
expect_err 1 "a document after '...' is a second document" <<'EOF'
jailc: multidoc2.yaml:3:1: error: YAML feature not allowed in profiles: a second document: a profile is one YAML document [yaml-feature]
EOF

# --- Duplicate keys, with both positions; all reported in one run. ---
put dup.yaml 'a: 1\nb:\n  c: 1\n  "c": 2\na: 3\nd: {x: 1, x: 2}\n'
dd dup.yaml
expect_err 1 "duplicate keys: error at the second, note at the first" <<'EOF'
jailc: dup.yaml:4:3: error: duplicate mapping key: key "c" [yaml-duplicate-key]
jailc: dup.yaml:3:3: note: first defined here [previous]
jailc: dup.yaml:5:1: error: duplicate mapping key: key "a" [yaml-duplicate-key]
jailc: dup.yaml:1:1: note: first defined here [previous]
jailc: dup.yaml:6:11: error: duplicate mapping key: key "x" [yaml-duplicate-key]
jailc: dup.yaml:6:5: note: first defined here [previous]
EOF

put nodup.yaml 'a: {x: 1}\nb: {x: 2}\nc: [{x: 1}, {x: 2}]\n'
dd nodup.yaml
expect 0 err "equal keys in different mappings are not duplicates" </dev/null

# Many keys: the duplicate index keeps this linear (timeout otherwise).
perl -e 'print "k$_: $_\n" for 1 .. 200000; print "k77: 0\n"' \
    >"$TMP/manykeys.yaml"
dd manykeys.yaml
expect_err 1 "a duplicate among 200000 keys is found" <<'EOF'
jailc: manykeys.yaml:200001:1: error: duplicate mapping key: key "k77" [yaml-duplicate-key]
jailc: manykeys.yaml:77:1: note: first defined here [previous]
EOF

# --- Null has no place in a profile. ---
put null.yaml 'a: ~\nb:\nc: null\nd: Null\ne: NULL\nf: [x, ~]\ng:\n  -\n  - y\nh: "~"\n'
dd null.yaml
expect_err 1 "every null form is refused; quoted ~ is a string" <<'EOF'
jailc: null.yaml:1:4: error: null value; give a value or omit the key: "~" means null in YAML; quote it for a string [yaml-null]
jailc: null.yaml:2:3: error: null value; give a value or omit the key: key "b" has no value [yaml-null]
jailc: null.yaml:3:4: error: null value; give a value or omit the key: "null" means null in YAML; quote it for a string [yaml-null]
jailc: null.yaml:4:4: error: null value; give a value or omit the key: "Null" means null in YAML; quote it for a string [yaml-null]
jailc: null.yaml:5:4: error: null value; give a value or omit the key: "NULL" means null in YAML; quote it for a string [yaml-null]
jailc: null.yaml:6:8: error: null value; give a value or omit the key: "~" means null in YAML; quote it for a string [yaml-null]
jailc: null.yaml:8:4: error: null value; give a value or omit the key: empty list item [yaml-null]
EOF

# --- YAML 1.1 booleans stay strings, with a warning. ---
put words.yaml 'a: yes\nb: No\nc: ON\nd: oFf\ne: "yes"\nyes: 1\nf: [on]\n'
dd words.yaml
expect 0 err "yes/no/on/off warn; quoted words and keys do not" <<'EOF'
jailc: words.yaml:1:4: warning: YAML 1.1 boolean word read as a string: write true or false; 'yes' is a string here [yaml-bool-word]
jailc: words.yaml:2:4: warning: YAML 1.1 boolean word read as a string: write true or false; 'No' is a string here [yaml-bool-word]
jailc: words.yaml:3:4: warning: YAML 1.1 boolean word read as a string: write true or false; 'ON' is a string here [yaml-bool-word]
jailc: words.yaml:4:4: warning: YAML 1.1 boolean word read as a string: write true or false; 'oFf' is a string here [yaml-bool-word]
jailc: words.yaml:7:5: warning: YAML 1.1 boolean word read as a string: write true or false; 'on' is a string here [yaml-bool-word]
EOF
dd words.yaml
expect 0 out "... and the words are strings in the tree" <<'EOF'
$ @1:1 table
$.a key@1:1 @1:4 string "yes"
$.b key@2:1 @2:4 string "No"
$.c key@3:1 @3:4 string "ON"
$.d key@4:1 @4:4 string "oFf"
$.e key@5:1 @5:4 string "yes"
$.yes key@6:1 @6:6 integer 1
$.f key@7:1 @7:4 array
$.f[0] @7:5 string "on"
EOF

# --- Keys must be strings; the root must be a mapping. ---
put keys.yaml '1: a\ntrue: b\n~: c\n1.5: d\n? [x]\n: e\n? {y: 1}\n: f\n"2": g\n'
dd keys.yaml
expect_err 1 "non-string and complex keys are refused" <<'EOF'
jailc: keys.yaml:1:1: error: mapping key is not a string: "1" is an integer here; quote the key [yaml-key]
jailc: keys.yaml:2:1: error: mapping key is not a string: "true" is a boolean here; quote the key [yaml-key]
jailc: keys.yaml:3:1: error: mapping key is not a string: "~" is null here; quote the key [yaml-key]
jailc: keys.yaml:4:1: error: mapping key is not a string: "1.5" is a float here; quote the key [yaml-key]
jailc: keys.yaml:5:3: error: mapping key is not a string: a sequence cannot be a key [yaml-key]
jailc: keys.yaml:7:3: error: mapping key is not a string: a mapping cannot be a key [yaml-key]
EOF

put rootseq.yaml '- a\n- b\n'
put rootstr.yaml 'version = 1\n'
put rootnull.yaml '---\n'
dd rootseq.yaml rootstr.yaml rootnull.yaml
expect_err 1 "the root must be a mapping" <<'EOF'
jailc: rootseq.yaml:1:1: error: wrong type: the top level must be a mapping of keys to values, not a sequence [type]
jailc: rootstr.yaml:1:1: error: wrong type: the top level must be a mapping of keys to values, not a string [type]
jailc: rootnull.yaml:2:1: error: wrong type: the document is empty; the top level must be a mapping of keys to values [type]
EOF

# --- Limits. ---
put range.yaml 'a: 9223372036854775808\nb: -9223372036854775809\nc: 0x8000000000000000\nd: 1e400\ne: 1e-400\n'
dd range.yaml
expect_err 1 "integers beyond 64 bits and overflowing floats are refused" <<'EOF'
jailc: range.yaml:1:4: error: input exceeds a limit: integer "9223372036854775808" does not fit in 64 bits [limit]
jailc: range.yaml:2:4: error: input exceeds a limit: integer "-9223372036854775809" does not fit in 64 bits [limit]
jailc: range.yaml:3:4: error: input exceeds a limit: integer "0x8000000000000000" does not fit in 64 bits [limit]
jailc: range.yaml:4:4: error: input exceeds a limit: number "1e400" is out of range [limit]
EOF

perl -e 'print "a: ", "[" x 64, "]" x 64, "\n"' >"$TMP/deep64.yaml"
perl -e 'print "a: ", "[" x 65, "]" x 65, "\n"' >"$TMP/deep65.yaml"
perl -e 'print "  " x $_, "k$_:\n" for 0 .. 63; print "  " x 64, "x: 1\n"' \
    >"$TMP/block64.yaml"
perl -e 'print "  " x $_, "k$_:\n" for 0 .. 64; print "  " x 65, "x: 1\n"' \
    >"$TMP/block65.yaml"
dd deep64.yaml
[ "$rc" -eq 0 ] && [ ! -s "$TMP/err" ] &&
    [ "$(grep -c ' array$' "$TMP/out")" -eq 64 ]
tap $? "64 nested sequences below the root are accepted"
dd block64.yaml
[ "$rc" -eq 0 ] && grep -q ' integer 1$' "$TMP/out"
tap $? "64 nested block mappings below the root are accepted"
dd deep65.yaml block65.yaml
expect_err 1 "nesting deeper than DOC_MAX_DEPTH is refused where it starts" <<'EOF'
jailc: deep65.yaml:1:68: error: input exceeds a limit: mappings and sequences nest more than 64 deep [limit]
jailc: block65.yaml:66:131: error: input exceeds a limit: mappings and sequences nest more than 64 deep [limit]
EOF

perl -e 'print "a: \"", "x" x (4 * 1024 * 1024), "\"\n"' >"$TMP/huge.yaml"
dd huge.yaml
expect_err 1 "a file over DOC_MAX_INPUT is refused unread" <<'EOF'
jailc: huge.yaml: error: input exceeds a limit: file is larger than 4194304 bytes [limit]
EOF

perl -e 'print "k: ~\n" x 100000' >"$TMP/manyerr.yaml"
dd manyerr.yaml
[ "$rc" -eq 1 ] && [ "$(grep -c ': error: ' "$TMP/err")" -eq 101 ] &&
    tail -n 1 "$TMP/err" | grep -q '^jailc: manyerr.yaml:51:1: error: input exceeds a limit: 100 errors; the rest of the file is not read \[limit\]$'
tap $? "reporting stops after 100 errors in one file"

# Hostile shapes: each must end quickly with an error, not a crash.
perl -e 'print "a: ", "[" x 1000000, "\n"' >"$TMP/h1.yaml"
perl -e 'print "a: ", "{a: " x 500000, "\n"' >"$TMP/h2.yaml"
perl -e 'print "- " x 1000000, "x\n"' >"$TMP/h3.yaml"
perl -e 'print "a: ", "&a " x 500000, "x\n"' >"$TMP/h4.yaml"
perl -e 'print "a: ", "!t " x 500000, "x\n"' >"$TMP/h5.yaml"
for h in h1 h2 h3 h4 h5; do
	dd "$h.yaml"
	[ "$rc" -eq 1 ] && grep -q "^jailc: $h.yaml:[0-9]*:[0-9]*: error: " \
	    "$TMP/err" && ! grep -q 'Sanitizer\|runtime error' "$TMP/err"
	tap $? "hostile input $h is refused cleanly"
done

# --- Bytes that are not YAML text. ---
put utf8.yaml 'a: ok\nb: "\xc3\xa9\xff"\n'
dd utf8.yaml
expect_err 1 "invalid UTF-8 is refused at its character" <<'EOF'
jailc: utf8.yaml:2:6: error: file is not valid UTF-8 text: invalid UTF-8 byte 0xFF [encoding]
EOF
put overlong.yaml 'a: \xc0\xaf\n'
put surrogate.yaml 'a: \xed\xa0\x80\n'
put truncated.yaml 'a: \xe2\x82'
dd overlong.yaml surrogate.yaml truncated.yaml
expect_err 1 "overlong forms, surrogates and cut sequences are refused" <<'EOF'
jailc: overlong.yaml:1:4: error: file is not valid UTF-8 text: invalid UTF-8 byte 0xC0 [encoding]
jailc: surrogate.yaml:1:4: error: file is not valid UTF-8 text: invalid UTF-8 byte 0xED [encoding]
jailc: truncated.yaml:1:4: error: file is not valid UTF-8 text: invalid UTF-8 byte 0xE2 [encoding]
EOF
put nul.yaml 'a: 1\nb: x\0y\n'
put ctl.yaml 'a: \x01\n'
put c1.yaml 'a: "\xc2\x9b"\n'
put cr.yaml 'a: 1\rb: 2\n'
put ls.yaml 'a: "x\xe2\x80\xa8y"\n'
put nel.yaml 'a: x\xc2\x85\n'
dd nul.yaml ctl.yaml c1.yaml cr.yaml ls.yaml nel.yaml
expect_err 1 "NUL, control characters and YAML 1.1-only line breaks are refused" <<'EOF'
jailc: nul.yaml:2:5: error: YAML syntax error: NUL byte in input [yaml-syntax]
jailc: ctl.yaml:1:4: error: YAML syntax error: control character U+0001 is not allowed [yaml-syntax]
jailc: c1.yaml:1:5: error: YAML syntax error: control character U+009B is not allowed [yaml-syntax]
jailc: cr.yaml:1:5: error: YAML syntax error: carriage return not followed by a newline [yaml-syntax]
jailc: ls.yaml:1:6: error: YAML syntax error: U+2028 (line separator) breaks the line for libyaml (YAML 1.1) but not in YAML 1.2; write it as an escape in a double-quoted string [yaml-syntax]
jailc: nel.yaml:1:5: error: YAML syntax error: U+0085 (next line) breaks the line for libyaml (YAML 1.1) but not in YAML 1.2; write it as an escape in a double-quoted string [yaml-syntax]
EOF
put utf16.yaml '\xff\xfea\x00:\x00 \x001\x00\n\x00'
dd utf16.yaml
expect_err 1 "UTF-16 input is not read" <<'EOF'
jailc: utf16.yaml:1:1: error: file is not valid UTF-8 text: invalid UTF-8 byte 0xFF [encoding]
EOF

# --- libyaml's syntax errors: its words, our position; the first stops. ---
put syn1.yaml 'a: b\nc\nd: e\nf: ~\n'
put syn2.yaml 'a:\n  b: 1\n c: 2\n'
put syn3.yaml 'a: [1, 2\nb: 3\n'
put syn4.yaml '\xc3\xa9: "abc\n'
put syn5.yaml 'a: b: c\n'
put syn6.yaml 'a:\n\t- b\n'
dd syn1.yaml syn2.yaml syn3.yaml syn4.yaml syn5.yaml syn6.yaml
expect_err 1 "libyaml syntax errors with problem and context positions" <<'EOF'
jailc: syn1.yaml:3:1: error: YAML syntax error: could not find expected ':' (while scanning a simple key at line 2, column 1) [yaml-syntax]
jailc: syn2.yaml:3:2: error: YAML syntax error: did not find expected key (while parsing a block mapping at line 1, column 1) [yaml-syntax]
jailc: syn3.yaml:2:2: error: YAML syntax error: did not find expected ',' or ']' (while parsing a flow sequence at line 1, column 4) [yaml-syntax]
jailc: syn4.yaml:2:1: error: YAML syntax error: found unexpected end of stream (while scanning a quoted scalar at line 1, column 4) [yaml-syntax]
jailc: syn5.yaml:1:5: error: YAML syntax error: mapping values are not allowed in this context [yaml-syntax]
jailc: syn6.yaml:2:1: error: YAML syntax error: found character that cannot start any token (while scanning for the next token) [yaml-syntax]
EOF

put both.yaml 'a: &x 1\nb: ~\nc: [1\n'
dd both.yaml
expect_err 1 "errors before a syntax error are all reported" <<'EOF'
jailc: both.yaml:1:4: error: YAML feature not allowed in profiles: anchor &x: anchors and aliases are not allowed; write the value out [yaml-feature]
jailc: both.yaml:2:4: error: null value; give a value or omit the key: "~" means null in YAML; quote it for a string [yaml-null]
jailc: both.yaml:4:1: error: YAML syntax error: did not find expected ',' or ']' (while parsing a flow sequence at line 3, column 4) [yaml-syntax]
EOF

# --- TOML and YAML twins give equal trees. ---
# shellcheck disable=SC2016 # ${PROJECT_ROOT} is profile text
put twin.toml 'version = 1
name = "demo"
extends = ["base"]

[command]
exec = "agent"
args = ["--fast", "-v"]

[env]
allow = ["TERM", "LC_*"]
set = { HOME = "/home/u", N = "1" }

[[mount]]
rw = "${PROJECT_ROOT}"

[[mount]]
ro = "/etc/hosts"
optional = true

[limits]
cpu = 1.5
mem = 0x100
'
# shellcheck disable=SC2016 # ${PROJECT_ROOT} is profile text
put twin.yaml 'version: 1
name: demo
extends: [base]
command:
  exec: agent
  args:
    - --fast
    - -v
env:
  allow: [TERM, LC_*]
  set: {HOME: /home/u, N: "1"}
mount:
  - rw: ${PROJECT_ROOT}
  - ro: /etc/hosts
    optional: true
limits:
  cpu: 1.5
  mem: 256
'
sed 's/N: "1"/N: 1/' "$TMP/twin.yaml" >"$TMP/twin-int.yaml"
sed 's/optional: true/optional: "true"/' "$TMP/twin.yaml" >"$TMP/twin-str.yaml"
dd --equal twin.toml twin.yaml
expect 0 out "a TOML file and its YAML twin give equal trees" <<'EOF'
equal
EOF
dd --equal twin.toml twin-int.yaml
expect 1 out "an unquoted 1 is an integer, not the string \"1\"" <<'EOF'
different
EOF
dd --equal twin.toml twin-str.yaml
expect 1 out "a quoted \"true\" is a string, not a boolean" <<'EOF'
different
EOF
for jail in profiles/*.jail; do
	name=$(basename "$jail" .jail)
	[ -f "tests/twins/$name.yaml" ] || continue
	dd --equal "$PWD/$jail" "$PWD/tests/twins/$name.yaml"
	expect 0 out "shipped profile $name and its YAML twin give equal trees" <<'EOF'
equal
EOF
done

# --- Format detection (source_detect) and loading (source_load). ---
# detect NAME CONTENT WANT: the syntax docdump --detect reports.
detect() {
	put "$1" "$2"
	dd --detect "$1"
	[ "$rc" -eq 0 ] && [ "$(cat "$TMP/out")" = "$3" ]
	tap $? "detect $1 ($(unescape "$2" | head -n 3 | tr '\n' '|')): $3"
	[ "$(cat "$TMP/out")" = "$3" ] ||
	    tap_diag "got $(cat "$TMP/out")" "$(cat "$TMP/err")"
}
detect a.toml 'a: 1\n' toml
detect a.yaml 'a = 1\n' yaml
detect a.yml 'a = 1\n' yaml
detect a.json 'a = 1\n' json
detect upper.YAML 'a = 1\n' yaml
detect t1.jail 'version = 1\n' toml
detect t2.jail '# comment\n\n   \t\n  [command]\n' toml
detect t3.jail '[[mount]] # first\n' toml
detect t4.jail '[ a . "b c" ]\n' toml
detect t5.jail '"quoted key" = 1\n' toml
detect t6.jail "a.'b'.c=1\n" toml
detect t7.jail 'key =\n' toml
detect t8.jail '# only comments\n' toml
detect t9.jail '' toml
detect y1.jail 'version: 1\n' yaml
detect y2.jail '---\nversion = 1\n' yaml
detect y3.jail '--- # doc\n' yaml
detect y4.jail '- item\n' yaml
detect y5.jail 'env:\n' yaml
detect y6.jail "'it''s' : x\n" yaml
detect y7.jail '\xef\xbb\xbf# bom\nname: x\r\n' yaml
detect y8.jail 'url: a = b\n' yaml
detect n1.jail 'version=1:\n' toml

put amb1.jail '# a profile\n\nhello world\nversion = 1\n'
dd --detect amb1.jail
expect 1 err "neither rule: ambiguous, at the first significant line" <<'EOF'
jailc: amb1.jail:3:1: error: cannot tell whether this .jail file is TOML or YAML: first non-comment line is neither 'key = value' / '[table]' (TOML) nor 'key: value' / '---' / '- item' (YAML); use --input-format or a .toml/.yaml extension [format-ambiguous]
EOF
put amb2.jail '  --- = 1\n'
dd amb2.jail
expect_err 1 "both rules: ambiguous, and source_load parses nothing" <<'EOF'
jailc: amb2.jail:1:3: error: cannot tell whether this .jail file is TOML or YAML: first non-comment line reads as both TOML ('key = value') and YAML ('---' or '- item'); use --input-format or a .toml/.yaml extension [format-ambiguous]
EOF
for t in '[a, b]' 'url:http' '{a: 1}' 'a b = 1' '-- x'; do
	put amb.jail "$t\n"
	dd --detect amb.jail
	[ "$(cat "$TMP/out")" = ambiguous ] &&
	    grep -q '^jailc: amb.jail:1:1: error: .*\[format-ambiguous\]$' \
		"$TMP/err"
	tap $? "'$t' is ambiguous"
done

put forced.toml 'a: 1\n'
dd -f yaml forced.toml
expect 0 out "a forced syntax wins over the name" <<'EOF'
$ @1:1 table
$.a key@1:1 @1:4 integer 1
EOF
put jailyaml.jail 'a: [1, 2]\n'
dd jailyaml.jail
expect 0 out ".jail content detected as YAML is parsed as YAML" <<'EOF'
$ @1:1 table
$.a key@1:1 @1:4 array
$.a[0] @1:5 integer 1
$.a[1] @1:8 integer 2
EOF
put jailtoml.jail 'a = [1, 2]\n'
dd jailtoml.jail
[ "$rc" -eq 0 ] && grep -q '^\$\.a\[1\] @1:9 integer 2$' "$TMP/out"
tap $? ".jail content detected as TOML is parsed as TOML"

printf 'a: 1\n' | (cd "$TMP" && "$DD" -f yaml -) >"$TMP/out" 2>"$TMP/err"
rc=$?
expect 0 out "\"-\" reads standard input" <<'EOF'
$ @1:1 table
$.a key@1:1 @1:4 integer 1
EOF
printf 'a: ~\n' | (cd "$TMP" && "$DD" -) >"$TMP/out" 2>"$TMP/err"
rc=$?
expect_err 1 "standard input is detected by content and called <stdin>" <<'EOF'
jailc: <stdin>:1:4: error: null value; give a value or omit the key: "~" means null in YAML; quote it for a string [yaml-null]
EOF

dd missing.yaml
expect_err 1 "a missing file is an I/O error naming the file" <<'EOF'
jailc: missing.yaml: error: cannot read file: No such file or directory [io]
EOF
mkdir -p "$TMP/dir.yaml"
dd dir.yaml
expect_err 1 "a directory is an I/O error" <<'EOF'
jailc: dir.yaml: error: cannot read file: Is a directory [io]
EOF

put bomtoml.toml '\xef\xbb\xbfa = 1\n'
dd bomtoml.toml
expect 0 out "a byte order mark is skipped for TOML too" <<'EOF'
$ @1:1 table
$.a key@1:1 @1:5 integer 1
EOF

# Under valgrind when present: libyaml's parser and events are freed on
# every path (success, syntax error, early stop).
if ! command -v valgrind >/dev/null 2>&1; then
	tap_skip "valgrind finds no leak" "valgrind is not installed"
elif [ -n "${JAILC_BIN:-}" ]; then
	tap_skip "valgrind finds no leak" "sanitizer build (ASan checks leaks)"
else
	ok=0
	for f in scalars.yaml syn3.yaml multidoc.yaml deep65.yaml dup.yaml \
	    manyerr.yaml anchor.yaml; do
		(cd "$TMP" && valgrind -q --leak-check=full \
		    --errors-for-leak-kinds=all --error-exitcode=99 "$DD" "$f") \
		    >/dev/null 2>"$TMP/vg"
		if [ $? -eq 99 ]; then
			ok=1
			tap_diag "$f:" "$(head -c 1500 "$TMP/vg")"
		fi
	done
	tap $ok "valgrind finds no leak or bad access"
fi

tap_done
