#!/bin/sh
# launch-choices.t - what a profile lets a launch choose, and the rest.
# remove.command-args drops inherited command.args (jail(5), [remove]);
# [launch] lists the choices a launch may make with --jail-network,
# --jail-shell, --jail-ro and --jail-rw; narrowing is always allowed,
# anything else stops the launch with 125 and nothing made on the host.
# Real jails, both forms of launcher (the shell wrapper hands jailrun the
# text plan, the single file carries the blob), root and a user.
. tests/lib.sh

JAILRUN=$PWD/${JAILC_BIN:-.}/jailrun
if [ ! -x "$JAILRUN" ]; then
	echo "1..0 # SKIP $JAILRUN is not built (make builds it)"
	exit 0
fi
case $JAILC in /*) ;; *) JAILC=$PWD/$JAILC ;; esac

T=$(mktemp -d /tmp/jailc-choice.XXXXXX) || exit 1
chmod 0755 "$T"
tap_user_runtime "$T" || exit 1
trap 'rm -rf "$T"' EXIT
[ -n "${KEEP-}" ] && trap - EXIT

# compile NAME: $T/NAME.jail into $T/NAME.shell and $T/NAME.exe.
compile() {
	"$JAILC" compile --standalone -o "$T/$1.shell" "$T/$1.jail" \
	    2>"$T/$1.err" &&
		"$JAILC" compile -t exe -o "$T/$1.exe" "$T/$1.jail" \
		    2>>"$T/$1.err" &&
		chmod 0755 "$T/$1.shell" "$T/$1.exe"
}

# --- remove.command-args ---------------------------------------------

cat >"$T/parent.jail" <<X
version = 1
name = "parent"
extends = ["base"]
[command]
exec = "/bin/echo"
args = ["--danger", "kept", "--danger"]
[[mount]]
ro = "$T"
X
cat >"$T/child.jail" <<'X'
version = 1
name = "child"
extends = ["parent.jail"]
[remove]
command-args = ["--danger"]
[command]
args = ["own"]
X
cat >"$T/claudeask.jail" <<'X'
version = 1
name = "claudeask"
extends = ["claude"]
[remove]
command-args = ["--dangerously-skip-permissions"]
X
cat >"$T/unused.jail" <<'X'
version = 1
name = "unused"
extends = ["parent.jail"]
[remove]
command-args = ["--not-there"]
X
"$JAILC" compile -t plan "$T/child.jail" 2>"$T/err" |
    grep '^exec-arg ' >"$T/out"
printf '%s\n' 'exec-arg kept @parent.jail:6' 'exec-arg own @child.jail:7' |
    cmp -s - "$T/out"
tap $? "remove.command-args: every inherited copy goes, the child's own is added"
[ -s "$T/out" ] || tap_diag "$(cat "$T/err")"
"$JAILC" compile -t plan "$T/claudeask.jail" 2>/dev/null >"$T/out"
grep -q '^exec claude ' "$T/out" && ! grep -q '^exec-arg ' "$T/out"
tap $? "a child of claude drops --dangerously-skip-permissions"
"$JAILC" check "$T/unused.jail" >"$T/out" 2>&1
grep -q 'unused.jail:5:17: warning: remove names nothing that is inherited: command-args --not-there \[remove-unused\]' \
    "$T/out"
tap $? "removing an argument no parent gives is a warning with its place"
tap_diag "$(cat "$T/out")"

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

compile child
tap $? "the child compiles"

# --- [launch] -----------------------------------------------------------

# profile NAME BODY: a jail running /bin/echo agent ARGS, in which only
# $T/run is visible of $T.
profile() {
	{
		printf 'version = 1\nname = "%s"\nextends = ["base"]\n' "$1"
		printf '[command]\nexec = "/bin/echo"\nargs = ["agent"]\n'
		printf '[[mount]]\nro = "%s/run"\n' "$T"
		printf '%s\n' "$2"
	} >"$T/$1.jail"
	compile "$1"
}
mkdir -p "$T/share/d" "$T/work/p" "$T/secret" "$T/made" "$T/run"
echo shared >"$T/share/d/f"
echo secret >"$T/secret/s"
ln -s "$T/secret" "$T/share/link"
ln -s "$T/work/p/.git/hooks" "$T/work/hookslink"
git init -q "$T/work/p" 2>/dev/null || mkdir -p "$T/work/p/.git/hooks"
mkdir -p "$T/work/p/.git/hooks"
chmod -R a+rwX "$T/share" "$T/work" "$T/secret"
profile hostnet '[network]
mode = "host"
[launch]
shell = true'
tap $? "a host-network profile that allows only a shell compiles"
profile plain '[network]
mode = "none"
[state]
workdir = true
[[mount]]
rw = "'"$T"'/made/new"
create = true'
tap $? "a profile without [launch], with a work directory and a mount to create, compiles"
profile choosy '[network]
mode = "none"
[launch]
network = ["host"]
shell = true
mount = [{ ro = "'"$T"'/share" }, { rw = "'"$T"'/work" }]'
tap $? "a profile with [launch] compiles"

# The plan carries the allowances, with their lines.
"$JAILC" compile -t plan "$T/choosy.jail" 2>/dev/null | grep '^launch-' \
    >"$T/out"
printf '%s\n' 'launch-network host @choosy.jail:12' \
    'launch-shell @choosy.jail:13' \
    "launch-mount --ro-bind $T/share @choosy.jail:14" \
    "launch-mount --bind $T/work @choosy.jail:14" | cmp -s - "$T/out"
tap $? "the plan lists the allowances, each with its line"
tap_diag "$(cat "$T/out")"
"$JAILC" compile -t plan "$T/hostnet.jail" 2>/dev/null |
    grep -c '^launch-network' >"$T/out"
[ "$(cat "$T/out")" = 0 ]
tap $? "narrowing needs no allowance: no launch-network op in a host plan"

profile holds '[[mount]]
ro = "'"$T"'/share/d"
[launch]
mount = [{ ro = "'"$T"'/share" }]'
tap $? "a profile that mounts a directory inside an allowance compiles"

# Review: explain shows the allowances, diff calls a new one a widening,
# lint weighs them.
"$JAILC" explain "$T/choosy.jail" >"$T/out" 2>/dev/null
grep -q '^  network  host .*choosy.jail:12 .*wider than network.mode$' "$T/out" &&
	grep -q '^  shell  *yes .*choosy.jail:13 ' "$T/out" &&
	grep -q "^  ro  *$T/share .*choosy.jail:14 " "$T/out" &&
	grep -q "^  rw  *$T/work .*choosy.jail:14 " "$T/out"
r=$?
tap $r "explain: the choices at launch, each with its line"
[ $r = 0 ] || tap_diag "$(cat "$T/out")"
"$JAILC" explain "$T/plain.jail" 2>/dev/null |
    grep -q '^  (none) .*the launch can only narrow the network$'
tap $? "explain: a profile without [launch] says so"
"$JAILC" explain --format json "$T/choosy.jail" 2>/dev/null |
    python3 -c 'import json, sys
l = json.load(sys.stdin)["launch"]
assert [(n["mode"], n["line"]) for n in l["network"]] == [("host", 12)], l
assert l["shell"]["on"] is True and l["shell"]["line"] == 13, l
assert [(m["mode"], m["path"].rsplit("/", 1)[1], m["line"])
        for m in l["mounts"]] == [("ro", "share", 14), ("rw", "work", 14)], l'
tap $? "explain --format json: launch.network, shell and mounts, with lines"
sed 's/^network = \["host"\]$/network = ["host", "proxy"]/
s/^shell = true$/shell = false/
s/{ ro = "\([^"]*\)\/share" }/{ rw = "\1\/share" }/' \
    "$T/choosy.jail" >"$T/wider.jail"
"$JAILC" diff "$T/choosy.jail" "$T/wider.jail" >"$T/out" 2>/dev/null
rc=$?
[ $rc = 1 ] &&
	grep -q '^  launch  + --jail-network proxy  *wider.jail:12  *widens$' "$T/out" &&
	grep -q '^  launch  ~ --jail-shell: yes -> no .* narrows$' "$T/out" &&
	grep -q "^  launch  + --jail-rw $T/share  *wider.jail:14  *widens$" "$T/out"
r=$?
tap $r "diff: a new network mode and a writable allowance widen, exit 1 ($rc)"
[ $r = 0 ] || tap_diag "$(cat "$T/out")"
"$JAILC" diff "$T/wider.jail" "$T/choosy.jail" >"$T/out" 2>/dev/null
rc=$?
[ $rc = 1 ] && grep -q '^  launch  ~ --jail-shell: no -> yes .* widens$' "$T/out" &&
	grep -q "^  launch  - --jail-network proxy .* narrows$" "$T/out" &&
	! grep -q -- "--jail-rw $T/share .*widens" "$T/out"
tap $? "diff back: the shell widens, the rest narrows ($rc)"
"$JAILC" diff "$T/choosy.jail" "$T/choosy.jail" >/dev/null 2>&1
tap $? "diff of a profile with itself: exit 0"
"$JAILC" check "$T/choosy.jail" >"$T/out" 2>&1
grep -q 'choosy.jail:12:12: warning: .*\[launch-network-host\]$' "$T/out"
tap $? "lint: launch.network host on a none jail is launch-network-host"
printf 'version = 1\n[launch]\nmount = [{ rw = "~/src" }]\n' >"$T/rwhome.jail"
"$JAILC" check "$T/rwhome.jail" >"$T/out" 2>&1
grep -q 'rwhome.jail:3:17: warning: .*${HOME}/src \[launch-rw-home\]$' "$T/out"
tap $? "lint: an rw allowance under ~ is launch-rw-home"
"$JAILC" score "$T/rwhome.jail" 2>/dev/null | grep -q '^ *200  launch-rw-home '
tap $? "score: launch-rw-home counts, weight 200"

# A child's [launch] key replaces its parent's.
printf 'version = 1\nname = "narrow"\nextends = ["choosy.jail"]\n[launch]\nnetwork = []\nmount = []\n' \
    >"$T/narrow.jail"
"$JAILC" compile -t plan "$T/narrow.jail" 2>/dev/null | grep '^launch-' >"$T/out"
[ "$(cat "$T/out")" = 'launch-shell @choosy.jail:13' ]
tap $? "a child's launch.network and launch.mount replace the parent's; shell is inherited"

# Narrowing proxy to none: no proxy, no proxy variables, in either form.
profile viaproxy '[network]
mode = "proxy"
allow = ["example.com"]'
tap $? "a proxy profile compiles"
for b in shell exe; do
	(cd "$T/run" && HOME="$T/home" "$T/viaproxy.$b" --jail-dry-run) \
	    >"$T/dry1" 2>&1
	(cd "$T/run" && HOME="$T/home" "$T/viaproxy.$b" --jail-network none \
	    --jail-dry-run) >"$T/dry2" 2>&1
	grep -q 'HTTPS_PROXY' "$T/dry1" && ! grep -q 'HTTPS_PROXY' "$T/dry2" &&
		grep -q -- '--unshare-net' "$T/dry2"
	r=$?
	tap $r "viaproxy ($b): --jail-network none drops the proxy, keeps --unshare-net"
	[ $r = 0 ] || tap_diag "$(cat "$T/dry2")"
done

# Both forms start the same jail for the same choices, byte for byte.
for b in shell exe; do
	(cd "$T/run" && HOME="$T/home" "$T/choosy.$b" --jail-network host \
	    --jail-shell --jail-ro "$T/share/d" --jail-rw "$T/work/p" \
	    --jail-print-argv -c true) >"$T/argv.$b" 2>&1
done
cmp -s "$T/argv.shell" "$T/argv.exe" && grep -q "$T/work/p" "$T/argv.exe"
tap $? "--jail-print-argv with every choice: the same in both forms"

# netifs.sh: the network interfaces one sees, on one line.
cat >"$T/run/netifs.sh" <<'X'
awk 'NR > 2 { sub(":", "", $1); printf "%s ", $1 }' /proc/net/dev
X
chmod 0755 "$T/run" "$T/run/netifs.sh"
host_ifs=$(sh "$T/run/netifs.sh")
case $host_ifs in
"lo " | "") net_skip="this host has no network interface but lo" ;;
*) net_skip= ;;
esac
scope_skip=
(cd "$T/run" && "$T/hostnet.exe" --jail-check) >"$T/out" 2>&1 ||
	scope_skip="the host network needs a Landlock scope this kernel lacks"

for who in root user; do
	eval "skip=\$${who}_skip"
	for b in shell exe; do
		l="$who ($b)"
		if [ -n "$skip" ]; then
			tap_skip "$l: launch choices" "$skip"
			continue
		fi
		cd "$T/run" || exit 1

		# --jail-network: narrowing needs no allowance, widening one
		if [ -n "$net_skip$scope_skip" ]; then
			tap_skip "$l: --jail-network" "$net_skip$scope_skip"
		else
			for c in "hostnet:host:" "hostnet:lo:--jail-network none" \
			    "hostnet:lo:--jail-network proxy" "choosy:lo:" \
			    "choosy:host:--jail-network host"; do
				j=${c%%:*} want=${c#*:} want=${want%%:*}
				flags=${c#*:*:}
				# shellcheck disable=SC2086
				as "$who" "$T/$j.$b" $flags --jail-shell \
				    "$T/run/netifs.sh" >"$T/out" 2>"$T/err"
				[ "$want" = lo ] && want="lo "
				[ "$want" = host ] && want=$host_ifs
				[ "$(cat "$T/out")" = "$want" ]
				r=$?
				tap $r "$l: $j ${flags:-(no flag)}: sees ${want% }"
				[ $r = 0 ] || tap_diag "$(cat "$T/out" "$T/err")"
			done
		fi

		# --jail-shell: a shell instead of the command
		as "$who" "$T/choosy.$b" --jail-shell -c 'echo "shell-ok $0"' \
		    >"$T/out" 2>"$T/err"
		case $(cat "$T/out") in "shell-ok bash" | "shell-ok sh") r=0 ;;
		*) r=1 ;; esac
		tap $r "$l: --jail-shell runs a shell, not the command"
		[ $r = 0 ] || tap_diag "$(cat "$T/out" "$T/err")"

		# --jail-ro: read works, write fails
		as "$who" "$T/choosy.$b" --jail-shell --jail-ro "$T/share/d" \
		    -c "cat '$T/share/d/f'; : >'$T/share/d/new' && echo WROTE" \
		    >"$T/out" 2>"$T/err"
		[ "$(cat "$T/out")" = shared ] && [ ! -e "$T/share/d/new" ]
		r=$?
		tap $r "$l: --jail-ro DIR: read works, write fails"
		[ $r = 0 ] || tap_diag "$(cat "$T/out" "$T/err")"

		# --jail-rw: write works; .git/hooks stays pinned read-only
		rm -f "$T/work/p/ok"
		as "$who" "$T/choosy.$b" --jail-shell --jail-rw "$T/work/p" \
		    -c "echo x >'$T/work/p/ok'
			echo x >'$T/work/p/.git/hooks/pre-commit' && echo HOOK
			mv '$T/work/p/.git/hooks' '$T/work/p/.git/h2' && echo MOVED
			true" >"$T/out" 2>"$T/err"
		[ -e "$T/work/p/ok" ] && [ ! -e "$T/work/p/.git/hooks/pre-commit" ] &&
			[ -d "$T/work/p/.git/hooks" ] && ! grep -q 'HOOK\|MOVED' "$T/out"
		r=$?
		tap $r "$l: --jail-rw DIR: writable, its .git/hooks pinned read-only"
		[ $r = 0 ] || tap_diag "$(cat "$T/out" "$T/err")"

		# --jail-rw of a directory of checkouts: theirs stay pinned
		rm -f "$T/work/ok"
		cfg=$(cksum <"$T/work/p/.git/config")
		as "$who" "$T/choosy.$b" --jail-shell --jail-rw "$T/work" \
		    -c "echo x >'$T/work/ok'
			echo x >'$T/work/p/.git/hooks/pre-commit' && echo HOOK
			echo x >>'$T/work/p/.git/config' && echo CONFIG
			true" >"$T/out" 2>"$T/err"
		[ -e "$T/work/ok" ] &&
			[ ! -e "$T/work/p/.git/hooks/pre-commit" ] &&
			[ "$(cksum <"$T/work/p/.git/config")" = "$cfg" ]
		r=$?
		tap $r "$l: --jail-rw of a directory of checkouts: each one's .git/hooks and config stay read-only"
		[ $r = 0 ] || tap_diag "$(cat "$T/out" "$T/err")"
		rm -f "$T/work/p/.git/hooks/pre-commit"

		# refusals: 125, the line or the key named, nothing made
		refused() { # DESC REGEX LAUNCHER ARGS...
			rd=$1 rx=$2
			shift 2
			rm -rf "$T/tmp/"* "$T/made/new" "$T/ran"
			as "$who" env TMPDIR="$T/tmp" "$@" -c ": >'$T/ran'" \
			    >"$T/out" 2>&1
			rc=$?
			[ $rc = 125 ] && grep -q "$rx" "$T/out" &&
				[ ! -e "$T/ran" ] && [ -z "$(ls -A "$T/tmp")" ] &&
				[ ! -e "$T/made/new" ]
			r=$?
			tap $r "$l: refused, 125, nothing made: $rd ($rc)"
			[ $r = 0 ] || tap_diag "$(cat "$T/out")"
		}
		refused "--jail-network host without an allowance" \
		    'refusing --jail-network host: it gives more than network.mode = "none" (plain.jail:10); add launch.network = \["host"\] to .*plain.jail$' \
		    "$T/plain.$b" --jail-network host
		refused "--jail-network proxy where only host is listed" \
		    'launch.network lists only host at choosy.jail:12; add "proxy" there' \
		    "$T/choosy.$b" --jail-network proxy --jail-shell
		refused "--jail-network with an unknown mode" \
		    'not a network mode' "$T/plain.$b" --jail-network wide
		refused "--jail-shell without an allowance" \
		    'refusing --jail-shell: .*add launch.shell = true to .*plain.jail$' \
		    "$T/plain.$b" --jail-shell
		refused "--jail-ro without any launch.mount" \
		    "allows no directories at launch; add launch.mount = \[{ ro = \"$T/share/d\" }\]" \
		    "$T/plain.$b" --jail-ro "$T/share/d"
		refused "--jail-rw under a read-only allowance" \
		    'launch.mount at choosy.jail:14 allows it read-only only' \
		    "$T/choosy.$b" --jail-shell --jail-rw "$T/share/d"
		refused "--jail-ro outside every allowance" \
		    "no launch.mount entry holds it (ro $T/share at choosy.jail:14, rw $T/work at choosy.jail:14)" \
		    "$T/choosy.$b" --jail-shell --jail-ro "$T/secret"
		refused "--jail-ro through a link out of the allowance" \
		    "refusing --jail-ro $T/share/link ($T/secret)" \
		    "$T/choosy.$b" --jail-shell --jail-ro "$T/share/link"
		refused "--jail-ro with a .. component" \
		    "a '.' or '..' component" \
		    "$T/choosy.$b" --jail-shell --jail-ro "$T/share/../secret"
		refused "--jail-ro with a relative path" \
		    "not an absolute path" \
		    "$T/choosy.$b" --jail-shell --jail-ro share/d
		refused "--jail-ro of a directory holding a profile mount" \
		    "the mount on $T/share (at --jail-ro) would hide the mount on $T/share/d" \
		    "$T/holds.$b" --jail-ro "$T/share"
		refused "--jail-rw of a checkout's .git" \
		    "refusing --jail-rw $T/work/p/.git .*: it is or lies in a .git directory" \
		    "$T/choosy.$b" --jail-shell --jail-rw "$T/work/p/.git"
		refused "--jail-rw of a checkout's .git/hooks" \
		    "refusing --jail-rw $T/work/p/.git/hooks .*: it is or lies in a .git directory" \
		    "$T/choosy.$b" --jail-shell --jail-rw "$T/work/p/.git/hooks"
		refused "--jail-rw of a checkout's .git/hooks through a link" \
		    "refusing --jail-rw $T/work/hookslink ($T/work/p/.git/hooks): it is or lies in a .git directory" \
		    "$T/choosy.$b" --jail-shell --jail-rw "$T/work/hookslink"
		refused "--jail-rw of a missing directory" \
		    "No such file or directory" \
		    "$T/choosy.$b" --jail-shell --jail-rw "$T/work/none"
		cd - >/dev/null || exit 1
	done
done
for who in root user; do
	eval "skip=\$${who}_skip"
	for b in shell exe; do
		l="$who ($b)"
		if [ -n "$skip" ]; then
			tap_skip "$l: launches" "$skip"
			continue
		fi
		cd "$T" || exit 1
		as "$who" "$T/child.$b" hello >"$T/out" 2>&1
		[ "$(cat "$T/out")" = "kept own hello" ]
		r=$?
		tap $r "$l: the jailed command gets the child's arguments"
		[ $r = 0 ] || tap_diag "$(cat "$T/out")"
		cd - >/dev/null || exit 1
	done
done

tap_done
