#!/bin/sh
# schema.t - the built-in JSON Schema, its validator, and the JSON parser.
#
# schemacheck runs source_load() and schema_check() alone (no profile IR),
# so the diagnostics seen here are the JSON front end's and the schema's.
# Files are written to a scratch directory and named relative to it.
#
# Where a reference validator is at hand (Python's jsonschema, ajv), the
# schema is also checked by it, and jailc's verdicts on a corpus of
# profiles must agree with the reference's; without one those tests skip
# and say so.
. tests/lib.sh
tap_tmpdir schema

case $TOOLS in
/*) SC=$TOOLS/schemacheck ;;
*) SC=$PWD/$TOOLS/schemacheck ;;
esac
LIMIT=30

if [ ! -x "$SC" ]; then
	echo "1..1"
	echo "not ok 1 - $SC is not built (make $TOOLS/schemacheck)"
	exit 1
fi

# unescape TEXT: TEXT with \n, \t, \\ and \xNN turned into bytes (perl,
# because printf(1) in dash knows no \xNN).
unescape() {
	# shellcheck disable=SC2016
	perl -e '$_ = $ARGV[0];
	    my %c = (n => "\n", t => "\t", "\\" => "\\");
	    s/\\(x[0-9a-fA-F]{2}|[nt\\])/
		length($1) == 3 ? chr(hex(substr($1, 1))) : $c{$1}/ge;
	    print' -- "$1"
}

# put NAME TEXT: write a file in the scratch directory, escapes expanded.
put() {
	unescape "$2" >"$TMP/$1"
}

# sc ARGS...: run schemacheck in the scratch directory; stdout in
# $TMP/out, stderr in $TMP/err, exit status in $rc.
sc() {
	if command -v timeout >/dev/null 2>&1; then
		(cd "$TMP" && timeout "$LIMIT" "$SC" "$@") \
		    >"$TMP/out" 2>"$TMP/err"
	else
		(cd "$TMP" && "$SC" "$@") >"$TMP/out" 2>"$TMP/err"
	fi
	rc=$?
}

# expect STATUS DESCRIPTION: the last run exited with STATUS and printed
# exactly standard input on stderr; no sanitizer report.
expect() {
	cat >"$TMP/want"
	if grep -q 'Sanitizer\|runtime error' "$TMP/err"; then
		tap 1 "$2"
		tap_diag "sanitizer report:" "$(head -c 2000 "$TMP/err")"
	elif [ "$rc" -ne "$1" ]; then
		tap 1 "$2"
		tap_diag "exit status $rc, expected $1" "$(head -c 1000 "$TMP/err")"
	elif ! diff -u "$TMP/want" "$TMP/err" >"$TMP/diff"; then
		tap 1 "$2"
		tap_diag "$(cat "$TMP/diff")"
	else
		tap 0 "$2"
	fi
}

# json NAME TEXT STATUS DESCRIPTION: parse TEXT as NAME.json; stderr must
# equal standard input.
json() {
	put "$1.json" "$2"
	sc "$1.json"
	expect "$3" "$4"
}

# --- The built-in schema. ---

sc --schema
tap $((rc != 0)) "the built-in schema loads: keywords, shapes, patterns, defaults"
if [ "$rc" -eq 0 ] && grep -q '^[1-9][0-9]* refs, [1-9][0-9]* defs, 0 problems$' "$TMP/out"; then
	tap 0 "every \$ref resolves and every \$defs entry is used ($(cat "$TMP/out"))"
else
	tap 1 "every \$ref resolves and every \$defs entry is used"
	tap_diag "$(cat "$TMP/out" "$TMP/err")"
fi

sc --schema-text
cmp -s "$TMP/out" schema/jail.schema.json
tap $? "the compiled-in schema is schema/jail.schema.json"

# Every schema object that has a "properties" gives each property a title
# and a description, directly or through a \$ref: editors show them.
if command -v python3 >/dev/null 2>&1; then
	python3 - schema/jail.schema.json >"$TMP/doc" 2>&1 <<'EOF'
import json, sys
s = json.load(open(sys.argv[1]))
defs = s.get("$defs", {})
def has(node, key):
    while True:
        if key in node:
            return True
        ref = node.get("$ref")
        if not ref:
            return False
        node = defs[ref[len("#/$defs/"):]]
bad = []
def walk(node, path):
    if isinstance(node, dict):
        for k, v in node.get("properties", {}).items():
            for key in ("title", "description"):
                if not has(v, key):
                    bad.append("%s/properties/%s: no %s" % (path, k, key))
        for k, v in node.items():
            walk(v, path + "/" + k)
    elif isinstance(node, list):
        for i, v in enumerate(node):
            walk(v, "%s/%d" % (path, i))
walk(s, "#")
print("\n".join(bad))
sys.exit(1 if bad else 0)
EOF
	tap $? "every property has a title and a description"
	[ -s "$TMP/doc" ] && tap_diag "$(cat "$TMP/doc")"
else
	tap_skip "every property has a title and a description" "no python3"
fi

# --- The JSON front end. ---

json ok '{"version": 1, "description": "caf\\u00e9 \\ud83d\\ude00 \\"q\\" \\\\ \\/ \\b\\f\\n\\r\\t"}' 0 \
    "escapes, a surrogate pair, and a valid document" </dev/null

json dup '{"version": 1,\n "name": "a",\n "name": "b"}' 1 "duplicate key: both places" <<'EOF'
jailc: dup.json:3:2: error: JSON syntax error: duplicate key "name" [json-syntax]
jailc: dup.json:2:2: note: first defined here [previous]
EOF

json dupctl '{"a\\u001bb": 1, "a\\u001bb": 2}' 1 "duplicate key with a control character, escaped" <<'EOF'
jailc: dupctl.json:1:17: error: JSON syntax error: duplicate key "a\u001bb" [json-syntax]
jailc: dupctl.json:1:2: note: first defined here [previous]
EOF

json dupnested '{"a": {"x": 1}, "b": {"x": 1, "y": {"x": 2, "x": 3}}}' 1 "duplicates are per object" <<'EOF'
jailc: dupnested.json:1:45: error: JSON syntax error: duplicate key "x" [json-syntax]
jailc: dupnested.json:1:37: note: first defined here [previous]
EOF

json esc '{"version": 1, "name": "a\\qb"}' 1 "unknown escape, at its backslash" <<'EOF'
jailc: esc.json:1:26: error: JSON syntax error: unknown escape '\q' [json-syntax]
EOF

json hex '["\\u12g4"]' 1 "\\u needs four hex digits" <<'EOF'
jailc: hex.json:1:3: error: JSON syntax error: \u needs four hexadecimal digits [json-syntax]
EOF

json hi '["ab\\ud800"]' 1 "a lone high surrogate" <<'EOF'
jailc: hi.json:1:5: error: JSON syntax error: high surrogate \uD800 without its low half [json-syntax]
EOF

json hi2 '["\\udbff\\u0041"]' 1 "a high surrogate followed by a non-surrogate" <<'EOF'
jailc: hi2.json:1:3: error: JSON syntax error: high surrogate \uDBFF without its low half [json-syntax]
EOF

json lo '["\\udc00"]' 1 "a lone low surrogate" <<'EOF'
jailc: lo.json:1:3: error: JSON syntax error: lone low surrogate \uDC00 [json-syntax]
EOF

json ctl '["a\tb"]' 1 "a raw control character in a string" <<'EOF'
jailc: ctl.json:1:4: error: JSON syntax error: control character U+0009 in a string; write it as an escape [json-syntax]
EOF

json utf8 '["\xc3\xa9\xc3"]' 1 "invalid UTF-8 in a string; columns count characters" <<'EOF'
jailc: utf8.json:1:4: error: JSON syntax error: invalid UTF-8 in a string [json-syntax]
EOF

json overlong '["\xc0\xaf"]' 1 "an overlong UTF-8 sequence" <<'EOF'
jailc: overlong.json:1:3: error: JSON syntax error: invalid UTF-8 in a string [json-syntax]
EOF

json unterminated '{"version": 1,\n "name": "abc\n' 1 "a line break inside a string" <<'EOF'
jailc: unterminated.json:2:14: error: JSON syntax error: control character U+000A in a string; write it as an escape [json-syntax]
EOF

json unterminated2 '["abc' 1 "a string cut off by the end of the input: at its opening quote" <<'EOF'
jailc: unterminated2.json:1:2: error: JSON syntax error: unterminated string [json-syntax]
EOF

json trailing '{"version": 1} {}' 1 "text after the value" <<'EOF'
jailc: trailing.json:1:16: error: JSON syntax error: unexpected text after the value [json-syntax]
EOF

json comma '{"version": 1,}' 1 "a trailing comma in an object" <<'EOF'
jailc: comma.json:1:15: error: JSON syntax error: expected a string key [json-syntax]
EOF

json comma2 '[1, 2,]' 1 "a trailing comma in an array" <<'EOF'
jailc: comma2.json:1:7: error: JSON syntax error: expected a value [json-syntax]
EOF

json empty '' 1 "empty input" <<'EOF'
jailc: empty.json:1:1: error: JSON syntax error: expected a value, found the end of the input [json-syntax]
EOF

json word '{"version": True}' 1 "literals are lower case" <<'EOF'
jailc: word.json:1:13: error: JSON syntax error: expected a value [json-syntax]
EOF

json lead '{"version": 01}' 1 "no leading zeros" <<'EOF'
jailc: lead.json:1:14: error: JSON syntax error: a number cannot have leading zeros [json-syntax]
EOF

json frac '[1.]' 1 "digits after the point" <<'EOF'
jailc: frac.json:1:4: error: JSON syntax error: expected a digit after '.' [json-syntax]
EOF

json exp '[1e+]' 1 "digits in the exponent" <<'EOF'
jailc: exp.json:1:5: error: JSON syntax error: expected a digit in the exponent [json-syntax]
EOF

json plus '[+1]' 1 "no leading plus" <<'EOF'
jailc: plus.json:1:2: error: JSON syntax error: expected a value [json-syntax]
EOF

json inf '[1e400]' 1 "a number too large for a double" <<'EOF'
jailc: inf.json:1:2: error: JSON syntax error: number out of range [json-syntax]
EOF

# The schema's "integer" shows how numbers were typed.
json nums '{"version": -0, "name": 9223372036854775807, "description": 9223372036854775808,\n "extends": -9223372036854775808, "command": 1.0, "packages": 1e2}' 1 \
    "integers that fit int64 are integers, other numbers are not" <<'EOF'
jailc: nums.json:1:13: error: value not allowed: 0 for version; it must be 1 [const]
jailc: nums.json:1:25: error: wrong type: name must be a string, not the integer 9223372036854775807 [type]
jailc: nums.json:1:61: error: wrong type: description must be a string, not the number 9.22337e+18 [type]
jailc: nums.json:2:13: error: wrong type: extends must be a list, not the integer -9223372036854775808 [type]
jailc: nums.json:2:46: error: wrong type: command must be a table, not the number 1 [type]
jailc: nums.json:2:63: error: wrong type: packages must be a table, not the number 100 [type]
EOF

json literals '{"version": 1, "description": null, "name": true, "extends": false}' 1 \
    "true, false and null" <<'EOF'
jailc: literals.json:1:31: error: wrong type: description must be a string, not null [type]
jailc: literals.json:1:45: error: wrong type: name must be a string, not true [type]
jailc: literals.json:1:62: error: wrong type: extends must be a list, not false [type]
EOF

deep() { # deep N: N nested arrays
	perl -e 'print "[" x $ARGV[0], "]" x $ARGV[0]' "$1"
}
deep 64 >"$TMP/deep64.json"
sc deep64.json
expect 1 "nesting 64 deep parses (and is no profile)" <<'EOF'
jailc: deep64.json:1:1: error: wrong type: the top level must be a table, not a list [type]
EOF
deep 65 >"$TMP/deep65.json"
sc deep65.json
expect 1 "nesting 65 deep is refused" <<'EOF'
jailc: deep65.json:1:65: error: input exceeds a limit: nested deeper than 64 levels [limit]
EOF
deep 100000 >"$TMP/deepest.json"
sc deepest.json
expect 1 "nesting 100000 deep is refused without exhausting the stack" <<'EOF'
jailc: deepest.json:1:65: error: input exceeds a limit: nested deeper than 64 levels [limit]
EOF

# --- The validator, on TOML and YAML. ---

# shellcheck disable=SC2016 # ${...} is profile text
put good.toml 'version = 1
name = "claude"
description = "Claude Code"
extends = ["base", "./local.jail"]
[command]
exec = "claude"
args = ["--dangerously-skip-permissions"]
[packages]
include = ["nodejs_24", "python3Packages.black"]
[env]
allow = ["TERM", "LC_*", "X[!A]?"]
deny = ["*_TOKEN"]
set = { TMPDIR = "/tmp" }
extra-from = "CLAUDE_JAIL_EXTRA_ENV"
[[mount]]
rw = "${PROJECT_ROOT}"
[[mount]]
ro = "/etc/resolv.conf"
optional = true
dest = "/etc/resolv.conf"
[[mount]]
rw = "~/.claude"
create = true
[[mount]]
dev-bind = "/dev/dri"
optional = true
[[mount]]
tmpfs = "/tmp"
mode = "1777"
[[mount]]
dir = "/run/user"
mode = "700"
[[mount]]
proc = "/proc"
[[mount]]
dev = "/dev"
[[mount]]
symlink = "/run/current-system/sw/bin/sh"
dest = "/bin/sh"
[[mount]]
data = "nameserver 127.0.0.1\\n"
dest = "/etc/resolv.conf"
mode = "0644"
[network]
mode = "host"
[git]
identity = "host"
protect-hooks = true
[state]
workdir = true
per-project = "~/.local/state/jail/${PROJECT_ID}"
[process]
die-with-parent = true
hostname = "jail"
share = ["ipc", "uts"]
[seccomp]
profile = "default"
allow = ["ptrace"]
[risk.accept]
env-ssh-agent = "pushes over SSH"
[remove]
mount = ["/opt"]
packages = ["git"]
env-allow = ["LANG"]
env-deny = ["AWS_*"]
env-set = ["EDITOR"]
'
sc good.toml
expect 1 "a profile using every key: only the bad mode is reported" <<'EOF'
jailc: good.toml:29:8: error: value does not match the required form: '1777' for mount[5].mode is not a valid mode (^0?[0-7]{3}$) [pattern]
EOF

sed 's/"1777"/"0755"/' "$TMP/good.toml" >"$TMP/good2.toml"
sc good2.toml
expect 0 "a profile using every key is valid" </dev/null

put good.yaml 'version: 1
command:
  exec: claude
mount:
  - ro: /etc/hosts
  - tmpfs: /tmp
    mode: "0700"
'
sc good.yaml
expect 0 "a YAML profile is valid" </dev/null

put misc.toml 'version = 1
[env]
allow = ["A", "B", "A", "B", "A"]
[process]
share = ["pid", "net", "pid"]
[command]
args = ["a", 1, ["x"], { y = 1 }]
'
sc misc.toml
expect 1 "every duplicate is reported with its first place; items of every type" <<'EOF'
jailc: misc.toml:3:20: error: duplicate entry in a list: 'A' in env.allow [unique]
jailc: misc.toml:3:10: note: first defined here [previous]
jailc: misc.toml:3:25: error: duplicate entry in a list: 'B' in env.allow [unique]
jailc: misc.toml:3:15: note: first defined here [previous]
jailc: misc.toml:3:30: error: duplicate entry in a list: 'A' in env.allow [unique]
jailc: misc.toml:3:10: note: first defined here [previous]
jailc: misc.toml:5:17: error: value not allowed: 'net' for process.share[2]; expected one of: 'user', 'ipc', 'pid', 'uts', 'cgroup' [enum]
jailc: misc.toml:5:24: error: duplicate entry in a list: 'pid' in process.share [unique]
jailc: misc.toml:5:10: note: first defined here [previous]
jailc: misc.toml:7:14: error: wrong type: command.args[2] must be a string, not the integer 1 [type]
jailc: misc.toml:7:17: error: wrong type: command.args[3] must be a string, not a list [type]
jailc: misc.toml:7:24: error: wrong type: command.args[4] must be a string, not a table [type]
EOF

put dates.toml 'version = 1979-05-27
name = 07:32:00
[command]
exec = 1979-05-27T07:32:00Z
'
sc dates.toml
expect 1 "dates and times are not strings, and are described as what they are" <<'EOF'
jailc: dates.toml:1:11: error: wrong type: version must be an integer, not the date '1979-05-27' [type]
jailc: dates.toml:2:8: error: wrong type: name must be a string, not the time '07:32:00' [type]
jailc: dates.toml:4:8: error: wrong type: command.exec must be a string, not the date-time '1979-05-27T07:32:00Z' [type]
EOF

put long.toml 'version = 1
name = "this-name-is-far-too-long-for-a-profile-name-it-goes-on-and-on-and-on"
[env.set]
"A.B" = "x"
'
sc long.toml
expect 1 "long values are shortened; odd keys are quoted in locations" <<'EOF'
jailc: long.toml:2:8: error: value does not match the required form: 'this-name-is-far-too-long-for-a-profile-...' for name is not a valid profile name (^[a-z0-9][a-z0-9._-]{0,63}$) [pattern]
jailc: long.toml:4:1: error: value does not match the required form: key 'A.B' in env.set is not a valid variable name (^[A-Za-z_][A-Za-z0-9_]*$) [pattern]
EOF

# The golden cases of tests/regress/schema: what the schema reports is
# part of what jailc check reports (which adds the IR's findings).
for f in tests/regress/schema/*.toml tests/regress/schema/*.yaml; do
	[ -e "$f" ] || continue
	"$SC" "$f" >/dev/null 2>"$TMP/err"
	rc=$?
	missing=$(grep -vxF -f "${f%.*}.expect" "$TMP/err")
	if [ "$rc" -eq 1 ] && [ -s "$TMP/err" ] && [ -z "$missing" ]; then
		tap 0 "$f: schema findings match the golden file"
	else
		tap 1 "$f: schema findings match the golden file"
		tap_diag "exit status $rc" "$missing"
	fi
done

# --- One rule at a time: the verdict, and the reference's where present. ---

have_py=0
command -v python3 >/dev/null 2>&1 &&
    python3 -c 'import jsonschema, tomllib' 2>/dev/null && have_py=1

# Each line: the verdict, '|', a TOML profile without its "version = 1"
# (\n for line breaks).  Python's re lets '$' match before a final
# newline, unlike ECMA-262 and jailc: such cases say "valid-py".
n=0
: >"$TMP/rules"
while IFS='|' read -r want text; do
	n=$((n + 1))
	put "rule$n.toml" "version = 1\n$text\n"
	sc "rule$n.toml"
	case $rc in
	0) ours=valid ;;
	1) ours=invalid ;;
	*) ours="status $rc" ;;
	esac
	cp "$TMP/err" "$TMP/rule$n.err"
	printf '%s|%s|%s\n' "$want" "$ours" "$text" >>"$TMP/rules"
done <<'EOF'
valid|name = "a.b_c-1"
invalid|name = "A"
invalid|name = ""
valid|name = "a234567890123456789012345678901234567890123456789012345678901234"
invalid|name = "a2345678901234567890123456789012345678901234567890123456789012345"
valid-py|name = "abc\u000A"
invalid|description = 1
valid|extends = ["base", "./x.jail"]
invalid|extends = ["base", "base"]
invalid|extends = [""]
valid|[command]\nexec = "x"\nargs = []
invalid|[command]\nexec = ""
invalid|[command]\nargs = [1]
valid|[packages]\ninclude = ["python3Packages.black", "nodejs_24", "a'b"]
invalid|[packages]\ninclude = ["a..b"]
invalid|[packages]\ninclude = ["1abc"]
valid|[env]\nallow = ["A[!B]*", "LC_?", "X-Y^"]
invalid|[env]\nallow = ["A B"]
invalid|[env]\ndeny = ["A", "A"]
valid|[env]\nset = { A_1 = "x", _B = "" }
invalid|[env]\nset = { 1A = "x" }
invalid|[env]\nset = { A = true }
valid|[env]\nextra-from = "EXTRA_ENV"
invalid|[env]\nextra-from = "EXTRA-ENV"
valid|[[mount]]\nro = "/a"\ndest = "/b"\ncreate = true\noptional = false
valid|[[mount]]\nrw = "~"
valid|[[mount]]\ndev-bind = "/dev/dri"\noptional = true
invalid|[[mount]]\ndev-bind = "/dev/dri"\ncreate = true
invalid|[[mount]]\ntmpfs = "/tmp"\nmode = "1777"
valid|[[mount]]\ntmpfs = "/tmp"\nmode = "0777"
invalid|[[mount]]\ntmpfs = "/tmp"\ndest = "/x"
invalid|[[mount]]\ntmpfs = "/tmp"\ncreate = true
valid|[[mount]]\ndir = "/d"\nmode = "755"
invalid|[[mount]]\ndir = "/d"\nmode = "0855"
invalid|[[mount]]\ndir = "/d"\nmode = "07555"
valid|[[mount]]\nproc = "/proc"
invalid|[[mount]]\nproc = "/proc"\nmode = "0555"
valid|[[mount]]\ndev = "/dev"
valid|[[mount]]\nsymlink = "/a"\ndest = "/b"
invalid|[[mount]]\nsymlink = "/a"
invalid|[[mount]]\nsymlink = ""\ndest = "/b"
valid|[[mount]]\ndata = ""\ndest = "/etc/x"\nmode = "0600"
invalid|[[mount]]\ndata = "x"
invalid|[[mount]]\nro = "/a"\nrw = "/b"
invalid|[[mount]]\ndest = "/b"
invalid|[[mount]]\nro = ""
invalid|mount = ["/a"]
valid|[network]\nmode = "none"\nallow = ["example.org"]
invalid|[network]\nmode = "allow"
valid|[git]\nidentity = "host"\nprotect-hooks = false
invalid|[git]\nidentity = "user"
valid|[protect]\nadd = [".tool-versions", "~/.config/fish/"]\nremove = [{ path = ".envrc", reason = "12345678" }]
invalid|[protect]\nremove = [{ path = ".envrc", reason = "1234567" }]
invalid|[protect]\nremove = [{ path = ".envrc" }]
invalid|[protect]\nremove = [".envrc"]
invalid|[protect]\nadd = [""]
invalid|[protect]\nadd = ["a", "a"]
invalid|[protect]\nkeep = ["a"]
valid|[state]\nworkdir = true\nper-project = "~/.x"
invalid|[state]\nper-project = ""
valid|[process]\nhostname = "a23456789012345678901234567890123456789012345678901234567890123"
valid|[process]\ndie-with-parent = false\nhostname = "a-b"\nshare = ["user", "ipc", "pid", "uts", "cgroup"]
invalid|[process]\nhostname = "a-"
invalid|[process]\nhostname = "a234567890123456789012345678901234567890123456789012345678901234"
invalid|[process]\nshare = ["net"]
invalid|[process]\nshare = ["pid", "pid"]
valid|[seccomp]\nprofile = "off"\nallow = ["ptrace"]\ndeny = ["io_uring_setup"]
invalid|[seccomp]\nprofile = "strict"
invalid|[seccomp]\ndeny = ["Ptrace"]
valid|[risk.accept]\nenv-ssh-agent = "12345678"
invalid|[risk.accept]\nenv-ssh-agent = "1234567"
invalid|[risk.accept]\nEnv = "long enough reason"
valid|[remove]\nmount = ["/a"]\npackages = ["p"]\nenv-allow = ["A*"]\nenv-deny = ["B"]\nenv-set = ["C"]
invalid|[remove]\nenv-set = ["C D"]
invalid|[remove]\nnetwork = ["x"]
EOF

# One python run judges every file, one verdict a line.
: >"$TMP/ref"
if [ "$have_py" -eq 1 ]; then
	python3 -c '
import json, sys, tomllib, jsonschema
v = jsonschema.Draft202012Validator(json.load(open(sys.argv[1])))
for i in range(1, int(sys.argv[3]) + 1):
    doc = tomllib.load(open("%s/rule%d.toml" % (sys.argv[2], i), "rb"))
    print("invalid" if any(True for _ in v.iter_errors(doc)) else "valid")
' schema/jail.schema.json "$TMP" "$n" >"$TMP/ref" 2>&1
fi
n=0
while IFS='|' read -r want ours text; do
	n=$((n + 1))
	ref=$(sed -n "${n}p" "$TMP/ref")
	wantpy=$want
	[ "$want" = valid-py ] && want=invalid wantpy=valid
	desc=$(printf '%s' "$text" | sed 's/\\n/; /g')
	if [ "$ours" = "$want" ] && { [ -z "$ref" ] || [ "$ref" = "$wantpy" ]; }; then
		tap 0 "$want: $desc${ref:+ (python agrees)}"
	else
		tap 1 "$want: $desc"
		tap_diag "jailc: $ours, python: ${ref:-not run}" \
		    "$(cat "$TMP/rule$n.err")"
	fi
done <"$TMP/rules"

# --- Hostile sizes: linear time, bounded work. ---

perl -e 'print "version = 1\n[packages]\ninclude = [";
    print "\"p", $_ % 100000, "\", " for 0 .. 199999; print "\"x\"]\n"' \
    >"$TMP/unique.toml"
sc unique.toml
n=$(grep -c 'duplicate entry' "$TMP/err")
[ "$rc" -eq 1 ] && [ "$n" -eq 100000 ]
tap $? "200000 list entries: 100000 duplicates found in time ($n, status $rc)"

perl -e 'print "version = 1\n"; print "k$_ = 1\n" for 0 .. 199999' \
    >"$TMP/keys.toml"
sc keys.toml
n=$(grep -c 'unknown key' "$TMP/err")
[ "$rc" -eq 1 ] && [ "$n" -eq 200000 ]
tap $? "200000 unknown keys: all reported in time ($n, status $rc)"

# --- A reference validator agrees. ---

if [ "$have_py" -eq 1 ]; then
	python3 -c '
import json, sys, jsonschema
jsonschema.Draft202012Validator.check_schema(json.load(open(sys.argv[1])))
' schema/jail.schema.json >"$TMP/py" 2>&1
	tap $? "python jsonschema: the schema is a valid 2020-12 schema"
	[ -s "$TMP/py" ] && tap_diag "$(tail -5 "$TMP/py")"
	# one python run: "FILE VERDICT" for every file it can read
	python3 -c '
import json, sys, tomllib, jsonschema
v = jsonschema.Draft202012Validator(json.load(open(sys.argv[1])))
for f in sys.argv[2:]:
    try:
        doc = tomllib.load(open(f, "rb"))
    except Exception:
        continue
    bad = any(True for _ in v.iter_errors(doc))
    print(f, "invalid" if bad else "valid")
' schema/jail.schema.json tests/regress/*/*.toml tests/regress/*/*/*.toml \
	    "$TMP"/good.toml "$TMP"/good2.toml "$TMP"/misc.toml \
	    "$TMP"/long.toml >"$TMP/ref" 2>&1
	while read -r f ref; do
		"$SC" "$f" >/dev/null 2>&1
		rc=$?
		case $rc in
		0) ours=valid ;;
		1) ours=invalid ;;
		*) ours="status $rc" ;;
		esac
		[ "$ours" = "$ref" ]
		tap $? "${f#"$TMP"/}: jailc and python jsonschema agree ($ours)"
	done <"$TMP/ref"
else
	tap_skip "python jsonschema agrees" "no python3 with jsonschema and tomllib"
fi

# ajv in strict mode, with NODE_PATH pointing at an ajv installation
# (npm install ajv); it refuses keywords it does not know.
if command -v node >/dev/null 2>&1 &&
    node -e 'require("ajv/dist/2020")' 2>/dev/null; then
	node -e '
const Ajv2020 = require("ajv/dist/2020");
const warnings = [];
const ajv = new Ajv2020({ strict: true, strictTypes: true,
    strictRequired: true, allErrors: true,
    logger: { log() {}, warn(m) { warnings.push(m); },
        error(m) { warnings.push(m); } } });
ajv.compile(JSON.parse(require("fs").readFileSync(process.argv[1])));
if (warnings.length) { console.log(warnings.join("\n")); process.exit(1); }
' schema/jail.schema.json >"$TMP/ajv" 2>&1
	tap $? "ajv (draft 2020-12, strict): the schema compiles without warnings"
	[ -s "$TMP/ajv" ] && tap_diag "$(tail -5 "$TMP/ajv")"
else
	tap_skip "ajv accepts the schema" "ajv not found (set NODE_PATH to an npm install of ajv)"
fi

tap_done
