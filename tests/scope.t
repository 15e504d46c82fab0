#!/bin/sh
# scope.t - Landlock scopes: jails with network.mode = "host", whose
# abstract unix sockets jailrun keeps out with a scope (jail(5),
# [network]), for both forms of launcher (the shell wrapper hands jailrun
# the text plan, the single file carries the blob).  A kernel without the
# scope is played by build/nolandlock, a seccomp filter that fails
# landlock_create_ruleset (nosys, off) or answers as Linux 6.8 does,
# Landlock ABI 4 without the scope (abi4): the launch must stop with
# status 125 and leave nothing behind, in both forms, as root and as a
# user.
. tests/lib.sh

NOLL=$PWD/build/nolandlock
PROBE=$PWD/build/attack/probe
JAILRUN=$PWD/${JAILC_BIN:-.}/jailrun
for f in "$NOLL" "$PROBE" "$JAILRUN"; do
	if [ ! -x "$f" ]; then
		echo "1..0 # SKIP $f is not built (make check builds it)"
		exit 0
	fi
done
export JAILRUN
case $JAILC in /*) ;; *) JAILC=$PWD/$JAILC ;; esac

T=$(mktemp -d /tmp/jailc-scope.XXXXXX) || exit 1
chmod 0755 "$T"
tap_user_runtime "$T" || exit 1
trap 'rm -rf "$T"' EXIT
[ -n "${KEEP-}" ] && trap - EXIT

# --- Launchers --------------------------------------------------------

# profile NAME TOML: a jail that runs CMD ARGS given at launch, with the
# host network; compiled into $T/NAME.shell and $T/NAME.exe.
profile() {
	{
		printf 'version = 1\nname = "%s"\nextends = ["base"]\n' "$1"
		printf '[command]\nexec = "/bin/sh"\n'
		printf '[[mount]]\nro = "%s"\n' "$T"
		printf '%s\n' "$2"
	} >"$T/$1.jail"
	"$JAILC" compile --standalone -o "$T/$1.shell" "$T/$1.jail" \
	    2>"$T/$1.err" &&
		"$JAILC" compile -t exe -o "$T/$1.exe" "$T/$1.jail" \
		    2>>"$T/$1.err" &&
		chmod 0755 "$T/$1.shell" "$T/$1.exe"
}
profile host '[network]
mode = "host"'
tap $? "a profile with the host network compiles"
profile stays '[network]
mode = "host"
[state]
workdir = true'
tap $? "one with a work directory (the launcher stays) compiles"
profile shared '[network]
mode = "host"
abstract-sockets = "host"'
tap $? "one that shares the abstract sockets compiles"
grep -q 'abstract-sockets-host' "$T/shared.err"
tap $? "... and check reports abstract-sockets-host"
profile none '[network]
mode = "none"'
tap $? "one without a network compiles"

# Review: explain names the setting, diff calls sharing them a widening.
"$JAILC" explain "$T/host.jail" >"$T/out" 2>/dev/null
grep -q '^  abstract-sockets  *isolate  *default  *the host.s are kept out by a Landlock scope$' \
    "$T/out"
tap $? "explain: the host network's abstract sockets are kept out"
"$JAILC" explain --format json "$T/shared.jail" 2>/dev/null |
    python3 -c 'import json, sys
a = json.load(sys.stdin)["network"]["abstract_sockets"]
assert a["mode"] == "host" and a["host_reachable"] is True and a["line"] > 0, a'
tap $? "explain --format json: abstract_sockets, reachable, with its line"
"$JAILC" diff "$T/host.jail" "$T/shared.jail" >"$T/out" 2>/dev/null
rc=$?
[ $rc = 1 ] && grep -q 'host abstract sockets reachable: no -> yes .* widens$' "$T/out"
tap $? "diff isolate -> host: a widening, exit 1 ($rc)"
"$JAILC" diff "$T/shared.jail" "$T/host.jail" >"$T/out" 2>/dev/null
tap $? "diff host -> isolate: exit 0"
"$JAILC" diff "$T/shared.jail" "$T/none.jail" >"$T/out" 2>/dev/null
grep -q 'host abstract sockets reachable: yes -> no .* narrows$' "$T/out"
tap $? "diff to network none: no longer reachable"

for p in host shared none; do
	"$JAILC" compile -t plan "$T/$p.jail" 2>/dev/null | grep -c '^scope ' \
	    >"$T/n"
	case $p in host) want=1 ;; *) want=0 ;; esac
	[ "$(cat "$T/n")" = "$want" ]
	tap $? "$p: the plan has $want scope op(s)"
done
for b in shell exe; do
	(cd "$T" && "$T/host.$b" --jail-dry-run) >"$T/dry.$b" 2>&1
	grep -qx '# scope abstract-unix-socket' "$T/dry.$b"
	tap $? "host ($b): --jail-dry-run shows the scope"
done
cmp -s "$T/dry.shell" "$T/dry.exe"
tap $? "--jail-dry-run: the same in both back ends"

# Whether this kernel has the scope: jailrun's own check says.
scope_skip=
if ! (cd "$T" && "$T/host.exe" --jail-check) >"$T/out" 2>&1; then
	scope_skip="this kernel has no Landlock abstract-unix-socket scope"
	tap_diag "$(cat "$T/out")"
fi
"$PROBE" serve "@jailc-scope-$$" "$T/ready" >/dev/null 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$T"' EXIT
tap_waitfor "$T/ready"
tap $? "a host process listens on an abstract socket"
"$PROBE" connect "@jailc-scope-$$" >"$T/out" 2>&1
grep -q ': ESCAPED' "$T/out"
tap $? "control: outside a jail, connect() reaches it"

tap_jail_users
# as WHO CMD...: run CMD as root or as the unprivileged user.
as() {
	w=$1
	shift
	if [ "$w" = user ] && [ "$user_via" = setpriv ]; then
		setpriv --reuid=jailtest --regid=jailtest --clear-groups \
		    env HOME="$T/home" USER=jailtest "$@"
	else
		env HOME="$T/home" "$@"
	fi
}
mkdir -p "$T/home" "$T/tmp"
chmod 0777 "$T/home" "$T/tmp"
# The jails mount $T, not the build tree; and the unprivileged user may
# not reach the build tree (a checkout under /root).
cp "$PROBE" "$T/probe"
cp "$NOLL" "$T/nolandlock" && NOLL=$T/nolandlock

for who in root user; do
	eval "skip=\$${who}_skip"
	for b in shell exe; do
		l="$who ($b)"
		if [ -n "$skip" ]; then
			tap_skip "$l: launches" "$skip"
			continue
		fi
		cd "$T" || exit 1
		if [ -n "$scope_skip" ]; then
			tap_skip "$l: the scope on this kernel" "$scope_skip"
		else
			as "$who" "$T/host.$b" \
			    -c "'$T/probe' connect @jailc-scope-$$" >"$T/out" 2>&1
			grep -q ': blocked' "$T/out"
			tap $? "$l: a host-network jail cannot reach the host's abstract socket"
			[ -s "$T/out" ] && tap_diag "$(cat "$T/out")"
			as "$who" "$T/host.$b" -c "
				'$T/probe' serve @jailc-in-$who-$b-$$ \
				    '$T/in.$who.$b' >/dev/null 2>&1 &
				i=0
				while [ ! -e '$T/in.$who.$b' ] && [ \$i -lt 200 ]; do
					sleep 0.05; i=\$((i + 1)); done
				'$T/probe' connect @jailc-in-$who-$b-$$; kill \$!" \
			    >"$T/out" 2>&1
			grep -q ': ESCAPED' "$T/out"
			tap $? "$l: a socket bound inside the jail still connects"
			as "$who" "$T/shared.$b" \
			    -c "'$T/probe' connect @jailc-scope-$$" >"$T/out" 2>&1
			grep -q ': ESCAPED' "$T/out"
			tap $? "$l: with abstract-sockets = host it can"
			as "$who" "$T/host.$b" --jail-check >"$T/out" 2>&1
			grep -qx 'host: Landlock scope abstract-unix-socket: available' \
			    "$T/out"
			tap $? "$l: --jail-check reports the scope"
		fi

		# No scope on this "kernel": nothing runs, nothing stays.
		for mode in nosys off abi4; do
			rm -f "$T/ran"
			as "$who" env TMPDIR="$T/tmp" "$NOLL" "$mode" \
			    "$T/stays.$b" -c ": >'$T/ran'" >"$T/out" 2>&1
			rc=$?
			[ $rc = 125 ]
			tap $? "$l, $mode: the launch stops with 125 ($rc)"
			grep -q '^stays: the host.s abstract unix sockets cannot be kept out of the jail: .*network.abstract-sockets = "host"' \
			    "$T/out"
			tap $? "$l, $mode: the message says why and what to set"
			[ "$mode" != abi4 ] ||
				grep -q 'this kernel has Landlock ABI 4;' "$T/out"
			tap $? "$l, $mode: the message names what the kernel has"
			[ ! -e "$T/ran" ]
			tap $? "$l, $mode: the command did not run"
			[ -z "$(ls -A "$T/tmp")" ]
			tap $? "$l, $mode: no work directory is left"
		done
		as "$who" "$NOLL" nosys "$T/host.$b" --jail-check >"$T/out" 2>&1
		rc=$?
		[ $rc = 1 ] && grep -q 'cannot be kept out' "$T/out"
		tap $? "$l: --jail-check fails on such a kernel ($rc)"
		as "$who" "$NOLL" nosys "$T/none.$b" -c 'exit 3' >"$T/out" 2>&1
		tap $(($? != 3)) "$l: a jail without the host network needs no scope"
	done
done

# A shell launcher whose jailrun is gone: bash cannot exec it, and
# nothing else runs.
cd "$T" || exit 1
"$JAILC" compile -D JAILRUN=/nonexistent/jailrun --standalone \
    -o "$T/lost.shell" "$T/host.jail" 2>/dev/null
rm -f "$T/ran"
bash "$T/lost.shell" -c ": >'$T/ran'" >"$T/out" 2>&1
rc=$?
[ $rc = 127 ] && grep -q '/nonexistent/jailrun: No such file' "$T/out" &&
	[ ! -e "$T/ran" ]
tap $? "a shell launcher whose jailrun is missing stops with 127, naming it ($rc)"
[ -s "$T/out" ] && tap_diag "$(cat "$T/out")"

tap_done
