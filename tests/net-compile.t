#!/bin/sh
# net-compile.t - network.mode = "proxy" on the compiler's side: the
# entries of network.allow and network.deny checked where they are
# written, merged through extends, lowered into net-* plan ops that the
# verifier re-reads, reviewed (check, explain, diff, why, the shell
# wrapper's comment); and a launcher with such a plan no longer
# refused, in both forms, as root and as a user (tests/netproxy-jail.t
# runs such jails through the proxy).
. tests/lib.sh
JAILRUN=$PWD/${JAILC_BIN:-.}/jailrun
export JAILRUN
case $JAILC in /*) ;; *) JAILC=$PWD/$JAILC ;; esac
T=$(mktemp -d /tmp/jailc-netc.XXXXXX) || exit 1
chmod 0755 "$T"
trap 'rm -rf "$T"' EXIT
tap_user_runtime "$T" || exit 1

# jail NAME TEXT: $T/NAME.jail, a profile that runs /bin/true (an
# extends line of TEXT goes first, at the top level).
jail() {
	{
		printf 'version = 1\nname = "%s"\n' "$1"
		printf '%s\n' "$2" | grep '^extends'
		printf '[command]\nexec = "/bin/true"\n'
		printf '%s\n' "$2" | grep -v '^extends'
	} >"$T/$1.jail"
}

# --- Entries, where they are written ------------------------------------
jail bad '[network]
mode = "proxy"
allow = ["ok.example.com", "*", "a.*.com", "*foo.com", "x.com:0",
    "b\u00fccher.de", "a..b", "::1", "127.1", "x.com:65536"]'
"$JAILC" check "$T/bad.jail" 2>"$T/err"
tap $(($? != 1)) "bad entries: check exits 1"
for want in \
    '7:28: error: .*'"'"'\*'"'"': a bare \* would allow every host' \
    '7:33: error: .*'"'"'a\.\*\.com'"'"': a \* stands only for the first labels' \
    '7:44: error: .*'"'"'\*foo\.com'"'"': a \* stands for whole labels' \
    '7:56: error: .*'"'"'x\.com:0'"'"': port 0' \
    '8:5: error: .*punycode' \
    '8:23: error: .*'"'"'a\.\.b'"'"': an empty label' \
    '8:31: error: .*'"'"'::1'"'"': an IPv6 address goes in brackets' \
    '8:38: error: .*'"'"'127\.1'"'"': the last label is a number' \
    '8:47: error: .*out of range'; do
	grep -q "bad.jail:$want.*\[net-entry\]\$" "$T/err"
	tap $? "net-entry at its own line:col: $want"
done
[ "$(grep -c 'net-entry' "$T/err")" = 9 ]
tap $? "nine bad entries, nine errors; ok.example.com is fine"
tap_diag "$(cat "$T/err")"

printf 'version = 1\n[command]\nexec = "/bin/true"\n[network]\nmode = "proxy"\nallow = ["a\\u001b[31m.com"]\n' \
    >"$T/ctl.jail"
"$JAILC" check "$T/ctl.jail" 2>"$T/err"
tap $(($? != 1)) "an entry with a control character is an error"
grep -q "a\\\\x1b\\[31m\\.com" "$T/err" && ! grep -q "$(printf '\033')" "$T/err"
tap $? "... shown escaped, no control character in the message"

jail host '[network]
mode = "host"
allow = ["api.example.com"]'
"$JAILC" check "$T/host.jail" 2>"$T/err"
grep -q 'host.jail:7:10: error: network.allow and network.deny need network.mode = "proxy": network.mode is "host" (.*host.jail:6:8) \[net-not-proxy\]$' "$T/err"
tap $? "allow with mode host: net-not-proxy at the entry, naming the mode's place"
jail dflt '[network]
deny = ["api.example.com"]'
"$JAILC" check "$T/dflt.jail" 2>"$T/err"
grep -q 'dflt.jail:6:9: error: .*network.mode is "none" (the default) \[net-not-proxy\]$' "$T/err"
tap $? "deny without a mode: net-not-proxy"

# --- extends: the child's entries add to the parent's --------------------
jail parent '[network]
mode = "proxy"
allow = ["api.example.com", "*.registry.example.org:443"]'
jail child 'extends = ["parent.jail"]
[network]
allow = ["API.example.com.", "cdn.example.net"]
deny = ["bad.registry.example.org"]'
"$JAILC" compile -t plan -o "$T/child.plan" "$T/child.jail" 2>"$T/err"
tap $? "a child of a proxy profile compiles"
grep '^net-' "$T/child.plan" | sed 's/ @.*//' >"$T/ops"
printf '%s\n' net-proxy 'net-allow api.example.com' \
    'net-allow *.registry.example.org:443' 'net-allow cdn.example.net' \
    'net-deny bad.registry.example.org' | diff -u - "$T/ops" >"$T/diff"
tap $? "extends: the parent's entries, then the child's, once each, canonical"
tap_diag "$(cat "$T/diff")"
grep -q '^arg --unshare-net ' "$T/child.plan" && ! grep -q '^scope ' "$T/child.plan"
tap $? "proxy: the jail's own network namespace, no Landlock scope op"
jail tohost 'extends = ["parent.jail"]
[network]
mode = "host"'
"$JAILC" check "$T/tohost.jail" 2>"$T/err"
grep -q 'parent.jail:7:10: error: .*network.mode is "host" (.*tohost.jail:7:8) \[net-not-proxy\]$' "$T/err"
tap $? "a child that sets mode host keeps the parent's entries: net-not-proxy"

# --- The verifier reads each entry again ----------------------------------
# refused NAME PLAN WANT: jailrun refuses text plan PLAN (status 2).
refused() {
	"$JAILRUN" "$2" >"$T/out" 2>&1
	rc=$?
	[ $rc = 2 ] && grep -q -- "$3" "$T/out"
	tap $? "verifier: $1 ($rc: $(head -c 200 "$T/out"))"
}
sed 's/^net-allow cdn.example.net /net-allow a.*.net /' "$T/child.plan" >"$T/p1.plan"
refused "a malformed entry" "$T/p1.plan" "(net-allow): bad host entry"
sed 's/^net-allow cdn.example.net /net-allow CDN.example.net /' "$T/child.plan" >"$T/p2.plan"
refused "an entry not in its canonical text" "$T/p2.plan" "(net-allow): bad host entry"
sed 's/^net-deny bad.registry.example.org /net-deny [::ffff:1.2.3.4] /' "$T/child.plan" >"$T/p3.plan"
refused "an IPv4-mapped entry not written as IPv4" "$T/p3.plan" "(net-deny): bad host entry"
sed '/^net-proxy /d' "$T/child.plan" >"$T/p4.plan"
refused "entries without net-proxy" "$T/p4.plan" "a host entry without net-proxy"
sed 's/^\(net-proxy .*\)$/\1\n\1/' "$T/child.plan" >"$T/p5.plan"
refused "a second net-proxy" "$T/p5.plan" "(net-proxy): a second proxy"
sed '1s/.*/jailplan 4/' "$T/child.plan" >"$T/p6.plan"
refused "a format 4 plan, as older" "$T/p6.plan" "compiled by an older jailc (format 4)"

# --- Review ---------------------------------------------------------------
jail lint '[network]
mode = "proxy"
allow = ["127.0.0.1:5432", "localhost", "*.com", "[fd00::1]", "api.example.com"]
deny = ["other.org", "x.example.com"]'
"$JAILC" check "$T/lint.jail" 2>"$T/err"
tap $? "warnings only: check exits 0"
[ "$(grep -c '\[net-allow-local\]$' "$T/err")" = 3 ] &&
    [ "$(grep -c '\[net-allow-wide\]$' "$T/err")" = 1 ] &&
    grep -q "lint.jail:8:9: warning: .*'other.org' \[net-deny-unused\]$" "$T/err" &&
    ! grep -q "x.example.com.*net-deny-unused" "$T/err"
tap $? "check: local addresses, a wide wildcard, a deny nothing reaches"
tap_diag "$(cat "$T/err")"
"$JAILC" check --format sarif "$T/lint.jail" 2>/dev/null | python3 -c '
import json, sys
log = json.load(sys.stdin)
ids = {r["ruleId"] for r in log["runs"][0]["results"]}
rules = {r["id"] for r in log["runs"][0]["tool"]["driver"]["rules"]}
assert {"net-allow-local", "net-allow-wide", "net-deny-unused"} <= ids & rules, (ids, rules)'
tap $? "check --format sarif: the net-* findings with their rules"

"$JAILC" explain "$T/child.jail" >"$T/out" 2>/dev/null
grep -q '^  network  *proxy  .*only the hosts allowed below' "$T/out" &&
    grep -q '^  allow host  *\*\.registry\.example\.org:443  *parent\.jail:7  *every name below it, not itself$' "$T/out" &&
    grep -q '^  deny host  *bad\.registry\.example\.org  *child\.jail:8' "$T/out"
tap $? "explain: the mode and every entry with its place"
"$JAILC" explain --format json "$T/child.jail" 2>/dev/null | python3 -c '
import json, sys
n = json.load(sys.stdin)["network"]
assert n["mode"] == "proxy", n
assert [a["entry"] for a in n["allow"]] == ["api.example.com",
    "*.registry.example.org:443", "cdn.example.net"], n
assert n["allow"][1]["port"] == 443 and n["allow"][1]["wildcard"], n
assert n["deny"][0]["entry"] == "bad.registry.example.org", n'
tap $? "explain --format json: network.allow and network.deny"

# diff OLD NEW WANT-STATUS WANT-LINE
jail d0 '[network]
mode = "proxy"
allow = ["api.example.com:443", "*.b.example.com"]
deny = ["x.b.example.com"]'
jail d1 '[network]
mode = "proxy"
allow = ["api.example.com:443", "*.b.example.com", "new.example.org"]
deny = ["x.b.example.com"]'
jail d2 '[network]
mode = "proxy"
allow = ["api.example.com", "*.b.example.com"]
deny = ["x.b.example.com"]'
jail d3 '[network]
mode = "proxy"
allow = ["api.example.com:443", "*.example.com"]
deny = ["x.b.example.com"]'
jail d4 '[network]
mode = "proxy"
allow = ["api.example.com:443", "*.b.example.com"]'
jail d5 '[network]
mode = "proxy"
allow = ["api.example.com:443"]
deny = ["x.b.example.com", "y.b.example.com"]'
jail dn '[network]
mode = "none"'
jail dh '[network]
mode = "host"'
dcase() {
	"$JAILC" diff "$T/$1.jail" "$T/$2.jail" >"$T/out" 2>&1
	rc=$?
	[ $rc = "$3" ] && grep -q -- "$4" "$T/out"
	tap $? "diff $1 $2: $5 (exit $rc)"
	[ $rc = "$3" ] || tap_diag "$(cat "$T/out")"
}
dcase d0 d1 1 '+ allow host new.example.org .* widens$' "an entry added widens"
dcase d0 d2 1 '~ allow host api.example.com (was api.example.com:443) .* widens$' "a port dropped widens"
dcase d0 d3 1 '~ allow host \*.example.com (was \*.b.example.com) .* widens$' "a wider wildcard widens"
dcase d0 d4 1 '- deny host x.b.example.com .* widens$' "a deny taken away widens"
dcase d0 d5 0 '- allow host \*.b.example.com .* narrows$' "an entry removed, a deny added: narrows"
dcase d0 d0 0 '' "the same profile: no change"
dcase dh d0 0 'host -> proxy .* narrows$' "host -> proxy narrows"
dcase d0 dh 1 'proxy -> host .* widens$' "proxy -> host widens"
dcase dn d0 1 'none -> proxy .* widens$' "none -> proxy widens"
dcase d0 dn 0 'proxy -> none .* narrows$' "proxy -> none narrows"

# why HOST[:PORT] FILE
wcase() {
	"$JAILC" why "$1" "$T/$2.jail" >"$T/out" 2>&1
	rc=$?
	[ $rc = 0 ] && grep -q -- "$3" "$T/out"
	tap $? "why $1 $2: $(cat "$T/out")"
}
wcase api.example.com child "^api.example.com:443: allowed by 'api.example.com' at parent.jail:7$"
wcase a.registry.example.org:443 child "allowed by '\*.registry.example.org:443' at parent.jail:7; through a wildcard"
wcase a.registry.example.org:80 child "^a.registry.example.org:80: refused: no network.allow entry matches it$"
wcase bad.registry.example.org child "refused: denied by 'bad.registry.example.org' at child.jail:8; deny wins over the allow '\*.registry.example.org:443' at parent.jail:7$"
wcase 127.0.0.1:5432 lint "allowed by '127.0.0.1:5432' at lint.jail:7; a loopback address"
wcase '[::ffff:127.0.0.1]:5432' lint "^127.0.0.1:5432: allowed"
wcase localhost:8080 lint "allowed by 'localhost'"
wcase api.example.com dh 'reachable: network.mode is "host"'
"$JAILC" why --format json bad.registry.example.org "$T/child.jail" 2>/dev/null | python3 -c '
import json, sys
w = json.load(sys.stdin)
assert w["verdict"] == "denied" and w["port"] == 443, w
assert w["entry"]["entry"] == "bad.registry.example.org", w
assert w["overridden_allow"]["entry"] == "*.registry.example.org:443", w'
tap $? "why --format json: the verdict, the entry, the allow it overrides"
"$JAILC" why '*.example.com' "$T/child.jail" >/dev/null 2>&1
tap $(($? != 2)) "why of a wildcard: a usage error"

# --- Launchers: the shell wrapper's comment, the refusal -----------------
jail run 'extends = ["base"]
[[mount]]
rw = "'"$T"'/made"
create = true
[network]
mode = "proxy"
allow = ["api.example.com", "[2001:db8::1]:443"]
deny = ["evil.example.com"]'
"$JAILC" compile --standalone -o "$T/run.shell" "$T/run.jail" 2>/dev/null &&
    "$JAILC" compile -t exe -o "$T/run.exe" "$T/run.jail" 2>/dev/null &&
    chmod 0755 "$T/run.shell" "$T/run.exe"
tap $? "a proxy profile compiles into both launchers"
grep -q '^#   network: through the launcher.s proxy, to the hosts below$' "$T/run.shell" &&
    grep -q '^#   hosts allowed: api.example.com \[2001:db8::1\]:443$' "$T/run.shell" &&
    grep -q '^#   hosts denied: evil.example.com$' "$T/run.shell"
tap $? "shell wrapper: What the jail grants lists the hosts"
tap_jail_users
mkdir -p "$T/home"
chmod 0777 "$T/home"
for who in root user; do
	[ "$who" = user ] && [ -z "$user_via" ] && {
		tap_skip "launch as the user" "no unprivileged user: $user_skip"
		continue
	}
	for b in shell exe; do
		rm -rf "$T/made"
		mkdir -p "$T/made" && chmod 0777 "$T/made"
		if [ "$who" = user ] && [ "$user_via" = setpriv ]; then
			(cd "$T/made" && setpriv --reuid=jailtest \
			    --regid=jailtest --clear-groups \
			    env HOME="$T/home" "$T/run.$b") >"$T/out" 2>&1
		else
			(cd "$T/made" && HOME="$T/home" "$T/run.$b") \
			    >"$T/out" 2>&1
		fi
		rc=$?
		[ $rc = 0 ] && ! grep -q 'not in this jailrun' "$T/out"
		tap $? "$who, $b: not refused: the jail runs ($rc: $(cat "$T/out"))"
	done
done
(cd "$T/made" && "$T/run.exe" --jail-dry-run) >"$T/out" 2>&1 &&
    grep -q -- '-- /.jailrun-net --jail-net-pre [0-9]* 3128 -- /bin/true$' \
        "$T/out"
tap $? "--jail-dry-run shows the proxy's helper before the command"
tap_done
