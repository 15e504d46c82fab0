#!/bin/sh
# honest.t - defences that an outside audit (issue 17) could remove
# without a test noticing, each tested here where it now lives:
#
#  1. the shell wrapper's protection against exported bash functions:
#     bash runs one command before jailrun, exec, and only after the
#     assignment that puts it in POSIX mode, where the special builtin
#     comes before a function of that name (compiler/emit_shell.c);
#  2. a linked worktree must sit in COMMON/worktrees/NAME of the common
#     directory it names, not in a directory the project forged
#     (runtime/host.c; attack.t checks the back-link);
#  3. no byte of a profile reaches the wrapper's shell text: not in the
#     header comment (a file name with a newline) nor in the
#     here-document (a value with a line that ends it).
#
# tests/mutants holds the edits that remove each defence and the test
# here that then fails; `make mutate` runs them.  Items 1 and 3 happen
# before any jail, whoever runs the launcher, so they run as the
# current user only; item 2 runs as root and as jailtest, in both
# launcher forms, printing only (--jail-print-argv needs no sandbox).
. tests/lib.sh

if [ ! -x "$JAILRUN" ]; then
	echo "1..0 # SKIP $JAILRUN is not built (make jailrun)"
	exit 0
fi
for t in bash git; do
	if ! command -v $t >/dev/null; then
		echo "1..0 # SKIP $t not installed"
		exit 0
	fi
done
PROBE=${JAILC_BIN:-build}/hostprobe
[ -x "$PROBE" ] || PROBE=build/hostprobe
case $PROBE in
/*) ;;
*) PROBE=$PWD/$PROBE ;;
esac

# Outside the source tree (its .git would be every directory's
# project), open to the unprivileged user.
D=$(mktemp -d /tmp/jailc-honest.XXXXXX) && D=$(cd "$D" && pwd -P) || exit 1
chmod 0755 "$D"
tap_user_runtime "$D" || exit 1
trap 'rm -rf "$D"' EXIT
[ -n "${KEEP-}" ] && trap - EXIT
mkdir "$D/h" "$D/w" || exit 1
nl='
'

cat >"$D/t.jail" <<'EOF'
version = 1
extends = ["base", "git"]
[command]
exec = "/bin/sh"
[[mount]]
rw = "${PROJECT_ROOT}"
[env]
set = { T_ROOT = "${PROJECT_ROOT}" }
EOF
"$JAILC" compile -o "$D/t.body" "$D/t.jail" 2>"$D/err" &&
	"$JAILC" compile --standalone -o "$D/t.shell" "$D/t.jail" \
	    2>>"$D/err" &&
	"$JAILC" compile -t exe -o "$D/t.exe" "$D/t.jail" 2>>"$D/err" &&
	chmod 0755 "$D/t.body" "$D/t.shell" "$D/t.exe"
tap $? "the test launcher compiles: body, standalone, single file"
[ -x "$D/t.exe" ] || tap_diag "$(cat "$D/err")"

# --- 1. exported functions --------------------------------------------

# before_exec FILE: the lines bash runs before the exec, comments and
# blank lines left out.
before_exec() {
	sed -n '/^exec /q;/^#/d;/^$/d;p' "$1"
}
for f in body shell; do
	[ "$(before_exec "$D/t.$f")" = 'POSIXLY_CORRECT=${POSIXLY_CORRECT-y}' ]
	tap $? "$f: bash runs no command before exec, and turns on POSIX mode first"
	sed -n '/^exec /{p;q;}' "$D/t.$f" | grep -q " 3<<'JAILC_PLAN'\$"
	tap $? "$f: the exec reads the plan from the here-document"
done

# hijack FILE [NAME=VALUE...]: run FILE with bash, from $D/w, an exported
# function named exec in its environment; its output in $D/out.
hijack() {
	h_f=$1
	shift
	(cd "$D/w" && env -i PATH=/usr/bin:/bin HOME="$D/h" "$@" \
	    'BASH_FUNC_exec%%=() { echo hijacked; }' \
	    bash "$h_f" --jail-print-argv) >"$D/out" 2>&1
}
# Control: without the assignment, this bash runs the function, so the
# cases below can fail here.
sed '/^POSIXLY_CORRECT=/d' "$D/t.body" >"$D/t.nopc"
hijack "$D/t.nopc"
grep -qx hijacked "$D/out"
tap $? "control: the wrapper without its POSIXLY_CORRECT line runs an exported exec"
for f in body shell; do
	hijack "$D/t.$f"
	! grep -q hijacked "$D/out" && tr '\0' '\n' <"$D/out" |
		grep -qx -e --clearenv
	tap $? "$f, run by bash: an exported function named exec does not replace the builtin"
	# POSIXLY_CORRECT already set, even empty, keeps its value: bash
	# then starts in POSIX mode and refuses the function outright.
	hijack "$D/t.$f" POSIXLY_CORRECT=
	! grep -q hijacked "$D/out"
	tap $? "$f, POSIXLY_CORRECT= in the environment: the function does not run"
	tap_diag "$(head -n 2 "$D/out")"
done

# --- 2. a forged git directory ----------------------------------------

tap_jail_users
uid0=
[ "$(id -u)" = 0 ] && uid0=1

# setup WHO: in WHO's home H, a password store, and a project evil whose
# .git file names a git directory it made itself, evil/fake: its
# commondir names the store's, and its gitdir leads back to evil/.git,
# so only where fake lies tells it from a worktree.
setup() {
	H=$D/$1/home
	mkdir -p "$H/evil/fake" || return 1
	git init -q "$H/.password-store" 2>"$D/err" || return 1
	echo "gitdir: $H/evil/fake" >"$H/evil/.git" &&
		echo "$H/.password-store/.git" >"$H/evil/fake/commondir" &&
		echo "$H/evil/.git" >"$H/evil/fake/gitdir" &&
		echo "ref: refs/heads/main" >"$H/evil/fake/HEAD" || return 1
	if [ "$1" = user ] && [ -n "$uid0" ]; then
		chown -R jailtest:jailtest "$D/$1" || return 1
	fi
}

# as WHO CMD...: CMD as WHO, from $H/evil, with HOME and PATH only.
as() {
	a_who=$1
	shift
	set -- env -i HOME="$H" PATH=/usr/bin:/bin "$@"
	if [ "$a_who" = user ] && [ -n "$uid0" ]; then
		set -- setpriv --reuid=jailtest --regid=jailtest \
		    --clear-groups "$@"
	fi
	(cd "$H/evil" && "$@") >"$D/out" 2>"$D/err"
}

for who in root user; do
	skip=
	if [ "$who" = root ] && [ -z "$uid0" ]; then
		skip="not running as root"
	elif [ "$who" = user ] && [ -n "$uid0" ] &&
	    ! id jailtest >/dev/null 2>&1; then
		skip="the user jailtest does not exist"
	elif ! setup "$who"; then
		skip="cannot make the forged project"
		tap_diag "$(cat "$D/err")"
	fi
	if [ -n "$skip" ]; then
		tap_skip "$who: a forged git directory (every form)" "$skip"
		continue
	fi
	# The control: git itself takes evil for a worktree of the store.
	as "$who" git rev-parse --git-common-dir
	[ "$(cat "$D/out")" = "$H/.password-store/.git" ]
	tap $? "$who: control: git takes the forged git directory's commondir"
	if [ -x "$PROBE" ]; then
		as "$who" "$PROBE" vars
		grep -qx "PROJECT_ROOT=$H/evil" "$D/out"
		r=$?
		tap $r "$who (host.c): a forged git directory outside COMMON/worktrees does not move the root"
		[ $r = 0 ] || tap_diag "$(grep PROJECT_ROOT "$D/out")"
	else
		tap_skip "$who (host.c): a forged git directory" \
		    "$PROBE is not built"
	fi
	for form in shell exe; do
		if [ "$form" = shell ]; then
			as "$who" bash "$D/t.shell" --jail-print-argv
		else
			as "$who" "$D/t.exe" --jail-print-argv
		fi
		r=$(tr '\0' '\n' <"$D/out" | sed -n '/^T_ROOT$/{n;p;q;}')
		[ "$r" = "$H/evil" ] &&
			! tr '\0' '\n' <"$D/out" | grep -q password-store
		tap $? "$who ($form): a forged git directory outside COMMON/worktrees does not move the root"
		[ "$r" = "$H/evil" ] ||
			tap_diag "T_ROOT '$r'; errors:" "$(cat "$D/err")"
	done
done

# --- 3. profile text in the wrapper's shell ---------------------------

# A profile whose path, command, argument and value each hold a newline
# followed by a command, a terminal escape in the command, and in the
# argument and value a line that would end the here-document.  (A
# mount's path may hold no line break: lint refuses it.)
evil="$D/p${nl}touch PWNED1${nl}#"
mkdir -p "$evil" "$D/run" || exit 1
cat >"$evil/p.jail" <<'EOF'
version = 1
extends = ["base"]
[command]
exec = "/bin/true\ntouch PWNED2\n\u001b]0;title\u0007"
args = ["a\nJAILC_PLAN\ntouch PWNED3\n"]
[env]
set = { T = "x\nJAILC_PLAN\ntouch PWNED4\n" }
EOF
if "$JAILC" compile --standalone -o "$D/evil.sh" "$evil/p.jail" \
    2>"$D/err"; then
	tap 0 "a profile with line breaks in its path and values compiles"
	for sh in bash sh; do
		(cd "$D/run" && $sh "$D/evil.sh" --jail-print-argv \
		    >/dev/null 2>&1)
		[ -z "$(ls "$D/run")" ]
		tap $? "run by $sh: no line of the profile runs as a command"
	done
	[ "$(grep -c '^JAILC_PLAN$' "$D/evil.sh")" = 1 ] &&
		[ "$(sed -n '$p' "$D/evil.sh")" = JAILC_PLAN ]
	tap $? "the value's JAILC_PLAN line does not end the here-document"
	# Above the assignment, only comment lines, all printable.
	sed '/^POSIXLY_CORRECT=/,$d' "$D/evil.sh" |
		LC_ALL=C grep -v -x '\(#[ -~]*\)\{0,1\}' >"$D/bad"
	[ ! -s "$D/bad" ]
	tap $? "the header is comment lines of printable ASCII only"
	[ -s "$D/bad" ] && tap_diag "$(head -n 3 "$D/bad")"
	grep -q 'touch PWNED' "$D/evil.sh" &&
		! grep -q '^touch PWNED' "$D/evil.sh"
	tap $? "control: the text is there, inside comments and the plan"
else
	tap 1 "a profile with line breaks in its path and values compiles"
	tap_diag "$(cat "$D/err")"
fi

tap_done
