#!/bin/sh
# editors.t - the schema as editors see it: the real npm tools agree.
#
# Editors validate profiles against schema/jail.schema.json with their own
# validators, not with jailc's (compiler/schema.c).  This script installs
# the real tools from npm once, into build/editors, and checks that
#
#   - ajv (ajv-cli, draft 2020-12, every strict option on) compiles the
#     schema, and its strict options do bite (a sentinel schema with an
#     unknown keyword is refused);
#   - every YAML twin (tests/twins/*.yaml) validates under ajv: ajv-cli
#     reads .yaml files itself with its js-yaml, so neither PyYAML nor a
#     converter is needed (build/docdump prints a node list, not JSON);
#   - every shipped profile (profiles/*.jail) validates under ajv, turned
#     into JSON by `taplo get -o json` (build/toml-decoder prints
#     toml-test's tagged JSON, not plain JSON);
#   - every shipped profile passes `taplo check --schema`; taplo ignores
#     files not named *.toml ("excluded=1", status 0, nothing checked), so
#     each profile is checked as a .toml copy in the scratch directory;
#   - a set of small profiles is judged alike by taplo, ajv and
#     `jailc check`, case by case; each disagreement is printed.
#
# Without npm, or when the registry cannot be reached, every case skips
# and says why.  The install is reused by later runs (and by the
# JAILC_BIN=build/san run) through a stamp file.
. tests/lib.sh
tap_tmpdir editors

PKGS="ajv-cli ajv-formats @taplo/cli"
DIR=$PWD/build/editors
BIN=$DIR/node_modules/.bin
STAMP=$DIR/.installed
SCHEMA=$PWD/schema/jail.schema.json
LIMIT=120

case $JAILC in
/*) ;;
*) JAILC=$PWD/$JAILC ;;
esac

# The cases: verdict, '|', name, '|', a TOML profile (\n for line breaks).
# Each bad profile breaks exactly one rule; the good ones guard against a
# tool that refuses everything.
cat >"$TMP/cases" <<'EOF'
invalid|wrong-type|version = 1\nname = 5
invalid|wrong-type-list|version = 1\nextends = "base"
invalid|unknown-key|version = 1\ncolour = "red"
invalid|unknown-key-in-mount|version = 1\n[[mount]]\nro = "/a"\nfoo = 1
invalid|bad-enum|version = 1\n[network]\nmode = "allow"
invalid|bad-enum-share|version = 1\n[process]\nshare = ["net"]
invalid|missing-version|name = "x"
invalid|wrong-version|version = 2
invalid|pattern-name|version = 1\nname = "Bad Name"
invalid|pattern-env-key|version = 1\n[env.set]\n1A = "x"
invalid|pattern-mode|version = 1\n[[mount]]\ntmpfs = "/tmp"\nmode = "1777"
invalid|two-mount-kinds|version = 1\n[[mount]]\nro = "/a"\nrw = "/b"
invalid|duplicate-entry|version = 1\n[process]\nshare = ["pid", "pid"]
invalid|short-reason|version = 1\n[risk.accept]\nenv-ssh-agent = "1234567"
valid|good-minimal|version = 1\nname = "ok"
valid|good-mounts|version = 1\n[[mount]]\ntmpfs = "/tmp"\nmode = "0777"\n[[mount]]\nro = "/etc/hosts"\noptional = true
EOF

# say WHAT...: the tool's output, quoted, shortened.
say() {
	head -c 1500 "$@"
}

# run_tool TOOL ARGS...: run a tool installed in build/editors, with its
# HOME and TMPDIR there too; stdout+stderr in $TMP/out, status in $rc.
run_tool() {
	t=$1
	shift
	HOME=$DIR/home TMPDIR=$DIR/tmp "$BIN/$t" "$@" >"$TMP/out" 2>&1 </dev/null
	rc=$?
}

AJV_STRICT="--spec=draft2020 --strict=true --strict-schema=true
    --strict-numbers=true --strict-types=true --strict-tuples=true
    --strict-required=true"

# ajv_validate FILE...: validate each FILE (JSON or YAML) against the
# schema in one ajv run; ajv prints "FILE valid" or "FILE invalid" for
# each (and stops at a missing file: pass only files that exist).
ajv_validate() {
	for f in "$@"; do
		set -- "$@" -d "$f"
		shift
	done
	# shellcheck disable=SC2086 # AJV_STRICT is a list of options
	run_tool ajv validate $AJV_STRICT --all-errors -c ajv-formats \
	    -s "$SCHEMA" "$@"
}

# ajv_verdict OUT FILE: valid or invalid as ajv's output OUT said.
ajv_verdict() {
	if grep -qxF "$2 valid" "$1"; then
		echo valid
	elif grep -qxF "$2 invalid" "$1"; then
		echo invalid
	else
		echo "no verdict"
	fi
}

# taplo_check DIR FILE...: `taplo check --schema` on FILEs in DIR, in one
# run; output in $TMP/out, status in $rc.  taplo skips files it does not
# take for TOML, so the files must be named *.toml.
taplo_check() {
	d=$1
	shift
	(cd "$d" && HOME=$DIR/home TMPDIR=$DIR/tmp "$BIN/taplo" check \
	    --no-auto-config --colors never --schema "file://$SCHEMA" "$@") \
	    >"$TMP/out" 2>&1 </dev/null
	rc=$?
}

# taplo_verdict OUT DIR/FILE COUNT: valid or invalid as the output OUT of
# a taplo_check of COUNT files said; "not checked" unless taplo looked at
# all of them.  Files are matched by name: taplo prints the physical path.
taplo_verdict() {
	if ! grep -q "total=$3 excluded=0" "$1"; then
		echo "not checked"
	elif grep "invalid file error=" "$1" | grep -qF "/${2##*/}\""; then
		echo invalid
	else
		echo valid
	fi
}

# to_json DIR: `taplo get -o json` of every DIR/*.toml into DIR/*.json,
# two at a time (each run starts taplo anew); failures leave *.geterr.
to_json() {
	for f in "$1"/*.toml; do
		printf '%s\n' "$f"
	done | HOME=$DIR/home TMPDIR=$DIR/tmp xargs -P 2 -n 1 sh -c '
	    "$0" get -f "$1" -o json >"${1%.toml}.json" 2>"${1%.toml}.geterr" ||
	    rm -f "${1%.toml}.json"' "$BIN/taplo"
}

# --- Install, once. ---

skip=
if ! command -v npm >/dev/null 2>&1; then
	skip="npm not found"
elif ! command -v node >/dev/null 2>&1; then
	skip="node not found"
elif [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$PKGS" ] &&
    [ -x "$BIN/ajv" ] && [ -x "$BIN/taplo" ]; then
	: # reuse
else
	# Install into a staging directory and rename it into place, so a
	# failed or concurrent install never leaves a half-made build/editors.
	mkdir -p build
	stage=$(mktemp -d "$PWD/build/editors.XXXXXX")
	mkdir -p "$stage/home" "$stage/tmp" "$stage/cache"
	to=
	command -v timeout >/dev/null 2>&1 && to="timeout $LIMIT"
	# shellcheck disable=SC2086 # $to is a command and its argument
	HOME=$stage/home TMPDIR=$stage/tmp npm_config_cache=$stage/cache \
	    npm_config_update_notifier=false npm_config_fund=false \
	    npm_config_audit=false npm_config_fetch_retries=0 \
	    $to npm install --prefix "$stage" --no-save $PKGS \
	    >"$TMP/npm" 2>&1
	rc=$?
	if [ "$rc" -eq 124 ]; then
		skip="npm install timed out after $LIMIT s (registry unreachable?)"
	elif [ "$rc" -ne 0 ] || [ ! -x "$stage/node_modules/.bin/ajv" ] ||
	    [ ! -x "$stage/node_modules/.bin/taplo" ]; then
		skip="npm install $PKGS failed (status $rc): $(grep -m1 -i 'err' "$TMP/npm" | cut -c1-160)"
	else
		printf '%s\n' "$PKGS" >"$stage/.installed"
		rm -rf "$DIR"
		mv "$stage" "$DIR" 2>/dev/null || [ -f "$STAMP" ] ||
		    skip="cannot move the install into $DIR"
	fi
	rm -rf "$stage"
fi

if [ -n "$skip" ]; then
	tap_skip "ajv compiles the schema (draft 2020-12, strict)" "$skip"
	tap_skip "ajv strict mode refuses an unknown keyword" "$skip"
	for f in tests/twins/*.yaml; do
		tap_skip "ajv: $f validates" "$skip"
	done
	for f in profiles/*.jail; do
		tap_skip "ajv: $f validates" "$skip"
		tap_skip "taplo check: $f validates" "$skip"
	done
	while IFS='|' read -r want name text; do
		tap_skip "$want: $name: taplo, ajv and jailc agree" "$skip"
	done <"$TMP/cases"
	tap_done
	exit
fi
tap_diag "tools: ajv-cli $(sed -n 's/.*"version": *"\([^"]*\)".*/\1/p' \
    "$DIR/node_modules/ajv-cli/package.json"), ajv $(sed -n \
    's/.*"version": *"\([^"]*\)".*/\1/p' "$DIR/node_modules/ajv/package.json"), $(HOME=$DIR/home "$BIN/taplo" --version 2>&1)"

# --- ajv: the schema. ---

# shellcheck disable=SC2086 # AJV_STRICT is a list of options
run_tool ajv compile $AJV_STRICT -c ajv-formats -s "$SCHEMA"
if [ "$rc" -eq 0 ] && ! grep -qi 'warn\|strict mode' "$TMP/out"; then
	tap 0 "ajv compiles the schema (draft 2020-12, every strict option true, no warning)"
else
	tap 1 "ajv compiles the schema (draft 2020-12, every strict option true, no warning)"
	tap_diag "status $rc" "$(say "$TMP/out")"
fi

# The strict options must be in force, or the test above proves nothing.
printf '{"$schema": "https://json-schema.org/draft/2020-12/schema",
 "type": "object", "frobnicate": 1}\n' >"$TMP/sentinel.json"
# shellcheck disable=SC2086 # AJV_STRICT is a list of options
run_tool ajv compile $AJV_STRICT -s "$TMP/sentinel.json"
[ "$rc" -ne 0 ] && grep -q 'unknown keyword' "$TMP/out"
tap $? "ajv strict mode refuses an unknown keyword (status $rc)"

# --- ajv: the YAML twins, read by ajv-cli's own YAML loader. ---

n=0 good=0
set --
for f in tests/twins/*.yaml; do
	set -- "$@" "$PWD/$f"
done
ajv_validate "$@"
cp "$TMP/out" "$TMP/ajv.twins"
for f in tests/twins/*.yaml; do
	n=$((n + 1))
	v=$(ajv_verdict "$TMP/ajv.twins" "$PWD/$f")
	if [ "$v" = valid ]; then
		good=$((good + 1))
		tap 0 "ajv: $f validates"
	else
		tap 1 "ajv: $f validates"
		tap_diag "ajv: $v (status $rc)" "$(say "$TMP/ajv.twins")"
	fi
done
tap_diag "ajv: $good/$n twins valid"

# --- ajv and taplo: the shipped TOML profiles. ---

mkdir "$TMP/prof"
set --
for f in profiles/*.jail; do
	b=$(basename "$f" .jail)
	cp "$f" "$TMP/prof/$b.toml"
	set -- "$@" "$b.toml"
done
nprof=$#
taplo_check "$TMP/prof" "$@"
cp "$TMP/out" "$TMP/taplo.prof"
to_json "$TMP/prof"
set --
for f in "$TMP"/prof/*.json; do
	[ -e "$f" ] && set -- "$@" "$f"
done
[ $# -gt 0 ] && ajv_validate "$@"
cp "$TMP/out" "$TMP/ajv.prof"
n=0 agood=0 tgood=0
for f in profiles/*.jail; do
	n=$((n + 1))
	b=$(basename "$f" .jail)
	if [ ! -e "$TMP/prof/$b.json" ]; then
		tap 1 "ajv: $f validates (as JSON from taplo get)"
		tap_diag "taplo get -o json failed" "$(say "$TMP/prof/$b.geterr")"
	elif [ "$(ajv_verdict "$TMP/ajv.prof" "$TMP/prof/$b.json")" = valid ]; then
		agood=$((agood + 1))
		tap 0 "ajv: $f validates (as JSON from taplo get)"
	else
		tap 1 "ajv: $f validates (as JSON from taplo get)"
		tap_diag "ajv: $(ajv_verdict "$TMP/ajv.prof" "$TMP/prof/$b.json")" \
		    "$(say "$TMP/ajv.prof")"
	fi
	v=$(taplo_verdict "$TMP/taplo.prof" "$TMP/prof/$b.toml" "$nprof")
	if [ "$v" = valid ]; then
		tgood=$((tgood + 1))
		tap 0 "taplo check: $f validates"
	else
		tap 1 "taplo check: $f validates"
		tap_diag "taplo: $v" "$(say "$TMP/taplo.prof")"
	fi
done
tap_diag "ajv: $agood/$n shipped profiles valid" \
    "taplo: $tgood/$n shipped profiles valid"

# --- Small profiles: taplo, ajv and jailc check, case by case. ---

# verdict STATUS: valid, invalid, or what went wrong.
verdict() {
	case $1 in
	0) echo valid ;;
	1) echo invalid ;;
	*) echo "status $1" ;;
	esac
}

mkdir "$TMP/case"
set --
while IFS='|' read -r want name text; do
	printf '%b\n' "$text" >"$TMP/case/$name.toml"
	set -- "$@" "$name.toml"
done <"$TMP/cases"
ncase=$#
taplo_check "$TMP/case" "$@"
cp "$TMP/out" "$TMP/taplo.case"
to_json "$TMP/case"
set --
for f in "$TMP"/case/*.json; do
	[ -e "$f" ] && set -- "$@" "$f"
done
[ $# -gt 0 ] && ajv_validate "$@"
cp "$TMP/out" "$TMP/ajv.case"

n=0 agree=0
while IFS='|' read -r want name text; do
	n=$((n + 1))
	f=$TMP/case/$name
	taplo=$(taplo_verdict "$TMP/taplo.case" "$f.toml" "$ncase")
	if [ -e "$f.json" ]; then
		ajv=$(ajv_verdict "$TMP/ajv.case" "$f.json")
	else
		ajv="taplo get failed: $(head -c 300 "$f.geterr")"
	fi
	"$JAILC" check "$f.toml" >"$TMP/jailc.out" 2>&1 </dev/null
	rc=$?
	jailc=$(verdict "$rc")
	grep -q 'Sanitizer\|runtime error' "$TMP/jailc.out" &&
	    jailc="sanitizer report"
	desc="$want: $name: taplo, ajv and jailc agree ($(printf '%s' \
	    "$text" | sed 's/\\n/; /g'))"
	if [ "$taplo" = "$want" ] && [ "$ajv" = "$want" ] &&
	    [ "$jailc" = "$want" ]; then
		agree=$((agree + 1))
		tap 0 "$desc"
	else
		tap 1 "$desc"
		tap_diag "expected $want; taplo: $taplo, ajv: $ajv, jailc: $jailc"
		if [ "$taplo" != "$want" ]; then
			taplo_check "$TMP/case" "$name.toml"
			tap_diag "taplo said:" "$(say "$TMP/out")"
		fi
		if [ "$ajv" != "$want" ] && [ -e "$f.json" ]; then
			ajv_validate "$f.json"
			tap_diag "ajv said:" "$(say "$TMP/out")"
		fi
		[ "$jailc" != "$want" ] && tap_diag "jailc said:" "$(say "$TMP/jailc.out")"
	fi
done <"$TMP/cases"
tap_diag "taplo, ajv and jailc agree on $agree/$n small profiles"

tap_done
