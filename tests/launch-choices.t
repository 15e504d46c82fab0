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
