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
#     here-document (a value with a line that ends it);
#  4. verifier checks no test reached: reserved fields, a control
#     character in the jail's name, a relative bwrap, two filters;
#  5. mount-socket's list, from a list kept here; the IPC namespace of
#     a real jail; jsoncmp telling different documents apart; and no
#     test whose skip prove would take for a missing plan.
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
[ -x "$PROBE" ] && { PROBE=$(tap_user_reach "$D" "$PROBE") || exit 1; }
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

# The body under writeShellApplication's default set -o lines, which run
# before the assignment, in bash's default mode: an exported set runs.
# The control for mkJail's bashOptions = [ ], which nix.t checks on the
# launcher it builds.
printf '#!/bin/bash\nset -o errexit\nset -o nounset\nset -o pipefail\n' \
    >"$D/t.wsa"
cat "$D/t.body" >>"$D/t.wsa"
(cd "$D/w" && env -i PATH=/usr/bin:/bin HOME="$D/h" \
    'BASH_FUNC_set%%=() { echo hijacked; }' \
    bash "$D/t.wsa" --jail-print-argv) >"$D/out" 2>&1
grep -q hijacked "$D/out"
tap $? "control: under writeShellApplication's default set -o lines, an exported set runs"

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

# --- 4. the verifier --------------------------------------------------

# A blob and a text plan of a profile whose name is as long as the
# damaged one below.
sed 's/^version = 1$/version = 1\nname = "honest-jail"/' "$D/t.jail" \
    >"$D/v.jail"
"$JAILC" compile -t blob -o "$D/v.jailb" "$D/v.jail" 2>"$D/err" &&
	"$JAILC" compile -t plan -o "$D/v.plan" "$D/v.jail" 2>>"$D/err"
tap $? "the verifier's test profile compiles to a blob and a plan"
# bpatch IN OUT ACTION: a copy of the blob IN, with the checksum put
# right again: "header OFFSET" or "op OFFSET" (a byte of the header, or
# of op 0's record, set to 1), "name NEW" (the jail's name, same
# length).
bpatch() {
	python3 - "$@" <<'PY'
import sys, struct, zlib
src, dst, action, arg = sys.argv[1:5]
b = bytearray(open(src, "rb").read())
if action == "header":
    b[int(arg)] = 1
elif action == "op":
    b[80 + int(arg)] = 1
elif action == "name":
    i = b.index(b"\0honest-jail\0", 80) + 1
    new = arg.encode().decode("unicode_escape").encode("latin-1")
    assert len(new) == 11
    b[i:i + 11] = new
struct.pack_into("<I", b, 36, 0)
struct.pack_into("<I", b, 36, zlib.crc32(bytes(b)) & 0xffffffff)
open(dst, "wb").write(bytes(b))
PY
}
# refused WHAT FILE PATTERN: jailrun refuses FILE (a blob or a text
# plan) with status 2 and PATTERN in its message, before running bwrap.
refused() {
	(cd "$D/w" && env -i HOME="$D/h" PATH=/nonexistent "$JAILRUN" \
	    "$2" -c true) >"$D/out" 2>"$D/err"
	r_st=$?
	[ "$r_st" = 2 ] && grep -q -e "$3" "$D/err"
	r_ok=$?
	tap $r_ok "refused: $1"
	[ $r_ok = 0 ] || tap_diag "status $r_st:" "$(cat "$D/err")"
}
# Control: the blob as compiled passes the verifier (the launch fails
# later, for want of bwrap in PATH, not with status 2).
(cd "$D/w" && env -i HOME="$D/h" PATH=/nonexistent "$JAILRUN" \
    "$D/v.jailb" --jail-print-argv) >"$D/out" 2>"$D/err"
tap $? "control: the undamaged blob is accepted"
bpatch "$D/v.jailb" "$D/r1.jailb" header 76
refused "the header's xdg-dbus-proxy, pointed into another string" \
    "$D/r1.jailb" "xdg-dbus-proxy is not an absolute path"
bpatch "$D/v.jailb" "$D/r2.jailb" op 36
refused "a reserved field of an op that is not zero" "$D/r2.jailb" \
    "reserved field is not zero"
bpatch "$D/v.jailb" "$D/r3.jailb" name 'honest\x1b]0;x'
refused "a terminal escape in the jail's name" "$D/r3.jailb" \
    "control character in the jail's name"
bpatch "$D/v.jailb" "$D/r4.jailb" name 'honest-jai\x7f'
refused "a DEL in the jail's name" "$D/r4.jailb" \
    "control character in the jail's name"
sed 's|^bwrap .*|bwrap bin/bwrap|' "$D/v.plan" >"$D/r5.plan"
refused "a relative bwrap path" "$D/r5.plan" \
    "bwrap is neither a name nor an absolute path"
# (the second on a descriptor of its own, or that is what is refused)
awk '/^seccomp / { print; sub(/ fd=[0-9]+ /, " fd=9 ") } 1' "$D/v.plan" \
    >"$D/r6.plan"
refused "two seccomp filters" "$D/r6.plan" "a second filter"

# --- 5. lists kept here, a real jail, jsoncmp, skips ------------------

# Every host socket mount-socket knows, from this list (not from the
# program): a rule that forgets one fails here.
# shellcheck disable=SC2088 # the profile's ~ and variables, not ours
for s in /run/docker.sock /var/run/docker.sock /run/podman \
    /run/containerd/containerd.sock '${XDG_RUNTIME_DIR}/docker.sock' \
    '${XDG_RUNTIME_DIR}/podman' '${XDG_RUNTIME_DIR}/bus' /run/dbus \
    /var/run/dbus '${XDG_RUNTIME_DIR}/ssh-agent.socket' \
    '${XDG_RUNTIME_DIR}/gcr' '${XDG_RUNTIME_DIR}/openssh_agent' \
    /tmp/.X11-unix '/tmp/tmux-${UID}' /run/screen /var/run/screen \
    '~/.screen'; do
	printf 'version = 1\n[command]\nexec = "/bin/true"\n[[mount]]\nro = "%s"\noptional = true\n' \
	    "$s" >"$D/sock.jail"
	"$JAILC" check "$D/sock.jail" >/dev/null 2>"$D/err"
	grep -q '\[mount-socket\]$' "$D/err"
	tap $? "mount-socket: a mount of $s"
done

# The IPC namespace: --unshare-ipc in a real jail, both forms, root
# and the user.
ipc=$(readlink /proc/self/ns/ipc)
for who in root user; do
	eval "skip=\$${who}_skip"
	for form in shell exe; do
		if [ -n "$skip" ]; then
			tap_skip "$who ($form): the jail has an IPC namespace of its own" "$skip"
			continue
		fi
		H=$D/$who/home
		mkdir -p "$H/ipc"
		[ "$who" = user ] && [ -n "$uid0" ] && chown jailtest "$H/ipc"
		if [ "$form" = shell ]; then
			set -- bash "$D/t.shell"
		else
			set -- "$D/t.exe"
		fi
		set -- env -i HOME="$H" PATH=/usr/bin:/bin "$@" \
		    -c 'readlink /proc/self/ns/ipc'
		if [ "$who" = user ] && [ -n "$uid0" ]; then
			set -- setpriv --reuid=jailtest --regid=jailtest \
			    --clear-groups "$@"
		fi
		(cd "$H/ipc" && "$@") >"$D/out" 2>"$D/err"
		r=$(cat "$D/out")
		case $r in
		ipc:\[*\]) [ "$r" != "$ipc" ] ;;
		*) false ;;
		esac
		tap $? "$who ($form): the jail has an IPC namespace of its own ($r, the host's $ipc)"
		case $r in ipc:*) ;; *) tap_diag "$(cat "$D/err")" ;; esac
	done
done

# jsoncmp, which toml-test.t trusts to say "equal": it must also say
# "different".
CMP=build/jsoncmp
if [ -x "$CMP" ]; then
	printf '{"a": {"type": "integer", "value": "1"}}\n' >"$D/j1"
	printf '{"a": {"type": "integer", "value": "01"}}\n' >"$D/j2"
	printf '{"a": {"type": "integer", "value": "2"}}\n' >"$D/j3"
	printf '{"a": {"type": "float", "value": "1"}}\n' >"$D/j4"
	printf '{"a": {"type": "integer", "value": "1"}, "b": []}\n' >"$D/j5"
	printf '[1, 2]\n' >"$D/j6"
	printf '[2, 1]\n' >"$D/j7"
	"$CMP" "$D/j1" "$D/j2" 2>/dev/null
	tap $? "jsoncmp: control: integers compare by value"
	for j in j3 j4 j5; do
		"$CMP" "$D/j1" "$D/$j" 2>/dev/null
		[ $? = 1 ]
		tap $? "jsoncmp: a different document ($j) exits 1"
		"$CMP" "$D/$j" "$D/j1" 2>/dev/null
		[ $? = 1 ]
		tap $? "jsoncmp: and the other way round ($j)"
	done
	"$CMP" "$D/j6" "$D/j7" 2>/dev/null
	[ $? = 1 ]
	tap $? "jsoncmp: arrays compare in order"
	printf '{"a": \n' >"$D/j8"
	"$CMP" "$D/j1" "$D/j8" 2>/dev/null
	[ $? = 2 ]
	tap $? "jsoncmp: a document that does not parse exits 2"
else
	tap_skip "jsoncmp: different documents" "$CMP is not built"
fi

# A test that skips part of its cases says so per case: "1..N # SKIP"
# with N above 0 is no plan to prove ("No plan found").
grep -n -e '1\.\.[1-9][0-9]* *# *SKIP' -e '1\.\.\$[a-z_]* *# *SKIP' \
    tests/*.t tests/lib.sh >"$D/out"
[ ! -s "$D/out" ]
tap $? "no test prints a plan of N cases with a SKIP"
[ -s "$D/out" ] && tap_diag "$(cat "$D/out")"

# Every protected path of a project, from this list (not from the
# program), pinned read-only by both forms where it exists: the golden
# files change when one goes, and this says which.  Printing only, as
# the current user (the pinning does not depend on who).
PROTECTED=".git/hooks/ .git/config .git/config.worktree
.git/worktrees/wt/commondir .git/worktrees/wt/gitdir
.git/worktrees/wt/config.worktree .git/modules/m/hooks/ .git/modules/m/config
.gitmodules x.jail .envrc .vscode/ .idea/ .mcp.json .claude/commands/
.claude/agents/ .claude/settings.json .claude/settings.local.json
.claude/hooks/ .claude/skills/ .gemini/ opencode.json opencode.jsonc
.opencode/ .opencode/plugin/ .opencode/plugins/ .opencode/tool/
.opencode/tools/ .opencode/opencode.json .opencode/opencode.jsonc crush.json
.crush.json crushrc .crushrc .codex/ .agents/
.cursor/ .devcontainer/ .devcontainer.json .direnv/ .zed/ .helix/
.nvim.lua .nvimrc .exrc .pre-commit-config.yaml .husky/"
P=$D/prot
git init -q "$P" && git -C "$P" -c user.name=t -c user.email=t@example.org \
    commit -q --allow-empty -m init &&
	git -C "$P" worktree add -q "$D/prot-wt" 2>/dev/null &&
	mv "$P/.git/worktrees/prot-wt" "$P/.git/worktrees/wt" &&
	echo "gitdir: $P/.git/worktrees/wt" >"$D/prot-wt/.git"
tap $? "a project holding every protected path"
for f in $PROTECTED; do
	case $f in
	*/) mkdir -p "$P/$f" ;;
	*) mkdir -p "$(dirname "$P/$f")" && [ -e "$P/$f" ] || : >"$P/$f" ;;
	esac
done
for form in shell exe; do
	if [ "$form" = shell ]; then
		set -- bash "$D/t.shell"
	else
		set -- "$D/t.exe"
	fi
	(cd "$P" && env -i HOME="$D/h" PATH=/usr/bin:/bin "$@" \
	    --jail-print-argv) >"$D/raw" 2>"$D/err"
	r_st=$?
	tr '\0' '\n' <"$D/raw" | grep -A2 -x -e --ro-bind |
	    grep -v -x -e --ro-bind -e -- >"$D/pins"
	: >"$D/missed"
	for f in $PROTECTED; do
		# Pinned itself, or inside a directory of the list that is
		# pinned (.opencode/'s parts when .opencode/ is there;
		# harden-protect.t has them without it).
		g=${f%/}
		while ! grep -q -x -F "$P/$g" "$D/pins"; do
			case $g in
			*/*) g=${g%/*} ;;
			*) g='' ;;
			esac
			case " $(echo $PROTECTED) " in
			*" $g/ "*) ;;
			*) echo "$f" >>"$D/missed" && break ;;
			esac
		done
	done
	[ "$r_st" = 0 ] && [ ! -s "$D/missed" ]
	tap $? "$form: every protected path of the list is pinned read-only"
	[ "$r_st" = 0 ] || tap_diag "status $r_st: $(cat "$D/err")"
	[ -s "$D/missed" ] && tap_diag "not pinned:" "$(cat "$D/missed")"
done

tap_done
