#!/bin/sh
# cli.t - the jailc command line: help, version, exit statuses, output forms.
. tests/lib.sh
tap_tmpdir cli

"$JAILC" --version >"$TMP/out" 2>&1
tap $? "--version exits 0"
grep -q '^jailc [0-9][0-9.]*$' "$TMP/out"
tap $? "--version prints 'jailc VERSION'"

"$JAILC" --help >"$TMP/out" 2>&1 && grep -q '^usage: jailc' "$TMP/out"
tap $? "--help prints usage and exits 0"
"$JAILC" check --help >"$TMP/out" 2>&1 && grep -q '^usage: jailc check' "$TMP/out"
tap $? "check --help prints usage and exits 0"

"$JAILC" >/dev/null 2>&1
tap $(($? != 2)) "no command exits 2"
"$JAILC" frobnicate >/dev/null 2>"$TMP/err"
tap $(($? != 2)) "unknown command exits 2"
grep -q "unknown command 'frobnicate'" "$TMP/err"
tap $? "unknown command is named"
"$JAILC" check --bogus profiles/base.jail >/dev/null 2>&1
tap $(($? != 2)) "unknown option exits 2"
"$JAILC" rules extra >/dev/null 2>&1
tap $(($? != 2)) "rules with an argument exits 2"
"$JAILC" check >/dev/null 2>&1
tap $(($? != 2)) "check without files exits 2"
"$JAILC" check --format xml profiles/base.jail >/dev/null 2>&1
tap $(($? != 2)) "bad --format value exits 2"
"$JAILC" check "$TMP/no-such.jail" >/dev/null 2>"$TMP/err"
tap $(($? != 2)) "unreadable file exits 2"
grep -q "no-such.jail: error: cannot read file: No such file or directory \[io\]" "$TMP/err"
tap $? "unreadable file: message names the file and the reason"

"$JAILC" check profiles/*.jail >"$TMP/out" 2>"$TMP/err"
tap $? "shipped profiles check clean"
if grep -q ': error: \|: warning: ' "$TMP/err"; then
	tap 1 "shipped profiles draw no errors or warnings"
	tap_diag "$(cat "$TMP/err")"
else
	tap 0 "shipped profiles draw no errors or warnings"
fi
"$JAILC" check --strict profiles/*.jail >/dev/null 2>&1
tap $? "shipped profiles pass --strict"

"$JAILC" check examples/broken.jail >/dev/null 2>"$TMP/err"
tap $(($? != 1)) "broken example exits 1"
n=$(grep -c ': error: ' "$TMP/err")
[ "$n" -ge 5 ]
tap $? "broken example: all errors in one run ($n)"
grep -q "did you mean 'command'" "$TMP/err"
tap $? "misspelt key gets a suggestion"

"$JAILC" check examples/risky.jail >/dev/null 2>"$TMP/err"
tap $(($? != 1)) "risky example exits 1"
for id in mount-secret mount-home-rw env-set-secret env-allow-secret-glob \
    env-ssh-agent abstract-sockets-host; do
	grep -q "\[$id\]\$" "$TMP/err"
	tap $? "risky example reports $id"
done

# --strict turns warnings into a failing status.
cat >"$TMP/warn.toml" <<'EOT'
version = 1
[env]
allow = ["SSH_AUTH_SOCK"]
EOT
"$JAILC" check "$TMP/warn.toml" >/dev/null 2>&1
tap $? "warnings alone exit 0"
"$JAILC" check --strict "$TMP/warn.toml" >/dev/null 2>&1
tap $(($? != 1)) "--strict: warnings exit 1"

# risk.accept suppresses a finding, keeps it in JSON, and a stale accept
# is reported.
cat >"$TMP/accept.toml" <<'EOT'
version = 1
[env]
allow = ["SSH_AUTH_SOCK"]
[risk.accept]
env-ssh-agent = "signs commits with the host key"
EOT
"$JAILC" check --strict "$TMP/accept.toml" >/dev/null 2>"$TMP/err"
tap $? "accepted finding no longer fails --strict"
grep -q "accept.toml:3:10: accepted (signs commits with the host key): SSH_AUTH_SOCK .*\[env-ssh-agent\]\$" "$TMP/err"
tap $? "accepted finding printed as text, with its reason"
if grep -q ': warning: \|: error: ' "$TMP/err"; then
	tap 1 "accepted finding not printed as a warning"
	tap_diag "$(cat "$TMP/err")"
else
	tap 0 "accepted finding not printed as a warning"
fi
"$JAILC" check --format json "$TMP/accept.toml" >"$TMP/out" 2>/dev/null
grep -q '"suppressed":"signs commits with the host key"' "$TMP/out"
tap $? "accepted finding kept in JSON with its reason"
build/jsoncmp "$TMP/out" "$TMP/out" >/dev/null 2>&1
tap $? "JSON output parses"

# On a terminal: the source line with a caret under the column, colour
# unless NO_COLOR is set.  script(1) provides the terminal.
if command -v script >/dev/null 2>&1; then
	NO_COLOR=1 script -qec "$JAILC check examples/broken.jail" /dev/null \
	    | tr -d '\r' >"$TMP/tty"
	sed -n 2,3p "$TMP/tty" >"$TMP/caret"
	printf '  %s\n  %s\n' \
	    'name = "Broken Profile"                     # <- names are lower-case' \
	    '       ^' >"$TMP/want"
	cmp -s "$TMP/want" "$TMP/caret"
	tap $? "terminal: source line quoted, caret under the column"
	grep -q "$(printf '\033')" "$TMP/tty"
	tap $((! $?)) "terminal with NO_COLOR: no escape sequences"
	env -u NO_COLOR script -qec "$JAILC check examples/broken.jail" /dev/null \
	    | grep -q "$(printf '\033')\[1;31merror:"
	tap $? "terminal without NO_COLOR: errors in colour"
else
	tap_skip "terminal output" "script(1) not installed"
fi

# One option parser for every command.  A usage error names the word
# it refuses, prints the command's usage on stderr and exits 2 without
# output; a missing value is named without the usage.
# usage_err CMD MESSAGE ARGS...: jailc CMD ARGS... is that usage error.
usage_err() {
	cmd=$1 msg=$2
	shift 2
	"$JAILC" "$cmd" "$@" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	[ $rc -eq 2 ] && [ ! -s "$TMP/out" ] &&
		[ "$(head -n 1 "$TMP/err")" = "jailc: $msg" ] &&
		sed -n 2p "$TMP/err" | grep -q "^usage: jailc $cmd\( \|\$\)"
	tap $? "$cmd $*: \"$msg\", the usage, exit 2"
	[ $rc -eq 2 ] || tap_diag "exit $rc"
}
# value_err CMD OPTION: OPTION given last, without its value.
value_err() {
	"$JAILC" "$1" "$2" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	[ $rc -eq 2 ] && [ ! -s "$TMP/out" ] &&
		[ "$(cat "$TMP/err")" = "jailc: option $2 needs a value" ]
	tap $? "$1 $2: \"option $2 needs a value\", exit 2"
}
for cmd in check score compile explain diff why rules; do
	usage_err "$cmd" "unknown option '--bogus'" --bogus profiles/base.jail
	"$JAILC" "$cmd" -h >"$TMP/out" 2>"$TMP/err" &&
		[ ! -s "$TMP/err" ] && grep -q "^usage: jailc $cmd" "$TMP/out"
	tap $? "$cmd -h: the usage on stdout, exit 0"
done
for opt in --format --min-severity --explain --input-format; do
	value_err check $opt
done
for opt in --format --threshold --input-format; do
	value_err score $opt
done
for opt in -t -o -D --input-format; do
	value_err compile $opt
done
for cmd in explain diff why; do
	value_err $cmd --format
	value_err $cmd --input-format
done
# Each command takes its own options only.
usage_err diff "unknown option '--resolve'" --resolve a b
usage_err why "unknown option '--resolve'" --resolve HOME a
usage_err explain "unknown option '--threshold=5'" --threshold=5 a
usage_err explain "unknown option '-t'" -t plan a
usage_err score "unknown option '--strict'" --strict a
usage_err check "unknown option '-o'" -o out a
usage_err compile "unknown option '--format'" --format json a
usage_err why "unknown option '--min-severity'" --min-severity note HOME a
usage_err rules "unknown option '--format'" --format json
usage_err rules "unexpected argument 'extra'" extra
# A flag takes no value; a short option is not glued to its value.
usage_err check "unknown option '--strict=1'" --strict=1 a
usage_err explain "unknown option '--resolve=yes'" --resolve=yes a
usage_err compile "unknown option '-tplan'" -tplan a
# Values are checked as they are read: the first bad one is reported.
usage_err check "unknown output format 'xml'" --format xml \
    --min-severity loud a
usage_err check "unknown severity 'loud'" --min-severity loud a
usage_err score "threshold '11' is not a number from 0 to 10" \
    --threshold 11 a
usage_err compile "unknown target 'nope'" -t nope a
usage_err compile "unknown definition 'FOO=1' (BWRAP, GIT, DBUS_PROXY, JAILRUN and PATH can be defined)" \
    -D FOO=1 a
usage_err compile "-D BWRAP needs an absolute path" -D BWRAP=bwrap a
usage_err why "unknown input format 'ini'" --input-format ini HOME a
usage_err why "unknown output format ''" --format= HOME a
# NAME=VALUE is NAME VALUE; the last of an option given twice wins.
"$JAILC" explain --format=json profiles/claude.jail >"$TMP/eq" 2>/dev/null &&
	"$JAILC" explain --format json profiles/claude.jail 2>/dev/null |
	cmp -s - "$TMP/eq"
tap $? "explain --format=json is --format json"
"$JAILC" compile -t=plan profiles/claude.jail >"$TMP/eq" 2>/dev/null &&
	"$JAILC" compile -t plan profiles/claude.jail 2>/dev/null |
	cmp -s - "$TMP/eq"
tap $? "compile -t=plan is -t plan"
"$JAILC" why --format json --format text HOME profiles/claude.jail \
    2>/dev/null | grep -q '^HOME: set to '
tap $? "why --format json --format text: the last one wins"
# -- ends the options; what follows is an operand, even -h.
"$JAILC" check -- --strict >"$TMP/out" 2>"$TMP/err"
[ $? -eq 2 ] && grep -q '^jailc: --strict: error: cannot read file' "$TMP/err"
tap $? "check -- --strict: --strict is a file"
usage_err diff "two profiles needed, got '1'" -- -h
"$JAILC" rules -- >"$TMP/out" 2>&1 && "$JAILC" rules | cmp -s - "$TMP/out"
tap $? "rules --: no arguments"
# check --explain answers at once; what follows is not read.
"$JAILC" check --explain mount-secret --bogus >"$TMP/out" 2>&1 &&
	grep -q '^mount-secret (' "$TMP/out"
tap $? "check --explain RULE: the options after it are not read"

# Standard input.
"$JAILC" check --input-format toml - <profiles/base.jail >/dev/null 2>&1
tap $? "profile from standard input"
# compile -t packages: the merged packages.include, as JSON, for nix/lib.nix.
"$JAILC" compile -t packages profiles/claude.jail >"$TMP/pk" 2>/dev/null
tap $? "compile -t packages"
python3 -c 'import json, sys
got = json.load(open(sys.argv[1]))
want = ["git", "coreutils", "bash", "gnugrep", "gnused", "gawk", "findutils",
        "diffutils", "gnutar", "gzip", "unzip", "procps", "ripgrep", "fd",
        "jq", "curl", "nodejs_24", "claude-code"]
sys.exit(0 if got == want else 1)' "$TMP/pk"
tap $? "compile -t packages: the parents' packages first, then the profile's"
"$JAILC" compile -t packages tests/twins/claude.yaml 2>/dev/null |
	cmp -s - "$TMP/pk"
tap $? "compile -t packages: the YAML twin gives the same array"
printf '%s\n' 'version = 1' 'extends = ["claude"]' \
    '[remove]' 'packages = ["curl"]' '[packages]' 'include = ["python3Packages.black"]' \
    >"$TMP/pk.jail"
"$JAILC" compile -t packages "$TMP/pk.jail" 2>/dev/null | grep -q \
    '^\["git","coreutils","bash","gnugrep","gnused","gawk","findutils","diffutils","gnutar","gzip","unzip","procps","ripgrep","fd","jq","nodejs_24","claude-code","python3Packages.black"\]$'
tap $? "compile -t packages: remove.packages applied, dotted paths kept"
"$JAILC" compile -t packages examples/broken.jail >"$TMP/out" 2>/dev/null
[ $? -eq 1 ] && [ ! -s "$TMP/out" ]
tap $? "compile -t packages: a profile with errors gives nothing, exit 1"
# The seccomp lists are checked in the pipeline, after the profile is
# read: a bad name still fails compile, at its position, and nothing is
# written.
printf '%s\n' 'version = 1' '[command]' 'exec = "/bin/true"' '[seccomp]' \
    'deny = ["mknod", "nope_call"]' >"$TMP/sc.jail"
rm -f "$TMP/sc.sh"
"$JAILC" compile -o "$TMP/sc.sh" "$TMP/sc.jail" 2>"$TMP/err"
[ $? -eq 1 ] && [ ! -e "$TMP/sc.sh" ] && grep -q \
    "^jailc: $TMP/sc.jail:5:18: error: no such system call on this architecture: 'nope_call' \\[syscall-unknown\\]$" \
    "$TMP/err"
tap $? "compile: an unknown system call is an error at its position, no launcher"
"$JAILC" compile -t blob -o "$TMP/sc.blob" "$TMP/sc.jail" 2>/dev/null
[ $? -eq 1 ] && [ ! -e "$TMP/sc.blob" ]
tap $? "compile -t blob: an unknown system call, no blob"
tap_done
