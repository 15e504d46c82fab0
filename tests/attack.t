#!/bin/sh
# attack.t - the launcher runs on the host, before any jail, in a
# directory that may hold a hostile repository, with an environment and
# descriptors it did not choose.  None of them may widen the jail.
. tests/lib.sh

# Outside the source tree: its own .git would be the project of every
# directory below it.
D=$(mktemp -d /tmp/jailc-attack.XXXXXX) && D=$(cd "$D" && pwd -P) || exit 1
trap 'rm -rf "$D"' EXIT
H=$D/home
mkdir -p "$H/.ssh" "$H/.password-store/.git" "$H/src"
echo SECRET >"$H/.ssh/id_rsa"
cat >"$D/t.jail" <<'EOF'
version = 1
extends = ["base", "git"]
[command]
exec = "/bin/sh"
[[mount]]
rw = "${PROJECT_ROOT}"
[[mount]]
rw = "${WORKTREE}"
[env]
set = { T_ROOT = "${PROJECT_ROOT}" }
EOF
"$JAILC" compile --standalone -o "$D/t" "$D/t.jail" 2>"$D/err"
tap $? "the test launcher compiles"

# words DIR [ENV...]: the launcher's bwrap arguments from DIR, one a line.
words() {
	dir=$1
	shift
	(cd "$dir" && env -i HOME="$H" PATH=/usr/bin:/bin "$@" bash "$D/t" \
	    --jail-print-argv) 2>"$D/err" | tr '\0' '\n'
}

# A .git that is a symbolic link (here to the home directory) would have
# the protected-files bind mount the home directory writable.
mkdir -p "$H/src/evil" && ln -s ../.. "$H/src/evil/.git"
words "$H/src/evil" >"$D/out"
[ ! -s "$D/out" ] && grep -q 'symbolic link' "$D/err"
tap $? "a .git symbolic link is refused"

# A .git file may not name another project's git directory ...
mkdir -p "$H/src/evil2"
echo "gitdir: ../../.password-store/.git" >"$H/src/evil2/.git"
words "$H/src/evil2" >"$D/out"
! grep -q password-store "$D/out" &&
	grep -qx "T_ROOT" "$D/out" && grep -A1 -x T_ROOT "$D/out" |
	grep -qx "$H/src/evil2"
tap $? "a forged .git file does not make another project the root"

# ... nor may a commondir file in a checkout's own .git.
if git init -q "$H/src/proj" 2>/dev/null; then
	echo "$H/.password-store/.git" >"$H/src/proj/.git/commondir"
	words "$H/src/proj" >"$D/out"
	! grep -q password-store "$D/out" &&
		grep -A1 -x T_ROOT "$D/out" | grep -qx "$H/src/proj"
	tap $? "a planted .git/commondir does not move the root"
else
	tap_skip "a planted .git/commondir does not move the root" \
	    "git init failed"
fi

# A protected path that is a symbolic link is refused, not followed.
if git init -q "$H/src/hooks" 2>/dev/null; then
	rm -rf "$H/src/hooks/.git/hooks"
	ln -s "$H" "$H/src/hooks/.git/hooks"
	words "$H/src/hooks" >"$D/out"
	[ ! -s "$D/out" ] && grep -q 'symbolic link' "$D/err"
	tap $? "a .git/hooks symbolic link is refused"
else
	tap_skip "a .git/hooks symbolic link is refused" "git init failed"
fi

# A protected path that is a link in the writable project is refused,
# whatever it leads to; one that is missing is pinned but, short of a
# real launch, not made.
if git init -q "$H/src/envrc" 2>/dev/null; then
	ln -s ../../.ssh/id_rsa "$H/src/envrc/.envrc"
	words "$H/src/envrc" >"$D/out"
	[ ! -s "$D/out" ] && grep -q '\.envrc is a symbolic link' "$D/err"
	tap $? "a .envrc symbolic link in the project is refused"
	rm "$H/src/envrc/.envrc"
	words "$H/src/envrc" >"$D/out"
	grep -A2 -x -- --ro-bind "$D/out" | grep -qx "$H/src/envrc/.envrc" &&
		grep -A2 -x -- --ro-bind "$D/out" |
		grep -qx "$H/src/envrc/.git/commondir" &&
		[ ! -e "$H/src/envrc/.envrc" ] &&
		[ ! -e "$H/src/envrc/.git/commondir" ]
	tap $? "missing protected paths are pinned, and --jail-print-argv makes none"
else
	tap_skip "a .envrc symbolic link in the project is refused" \
	    "git init failed"
	tap_skip "missing protected paths are pinned, and --jail-print-argv makes none" \
	    "git init failed"
fi

# Variables the old bash launcher kept its state in change nothing.
words "$H/src/evil2" jail_tree="$H/src/evil2" \
    jail_root="$H/.password-store" jail_v_WORKDIR="$H" >"$D/out"
! grep -q password-store "$D/out" && [ -d "$H/.ssh" ]
tap $? "jail_* variables from the environment are ignored"

# Nor the one command the launcher runs, exec, by an exported function
# (bash imports it, and a function comes before a builtin outside POSIX
# mode); the dry run must still be jailrun's.
(cd "$H/src/evil2" && env -i HOME="$H" PATH=/usr/bin:/bin \
    'BASH_FUNC_exec%%=() { echo hijacked; }' \
    'BASH_FUNC_jailrun%%=() { echo hijacked; }' \
    bash "$D/t" --jail-dry-run) >"$D/out" 2>&1
! grep -q hijacked "$D/out" && grep -q -- '--clearenv' "$D/out"
tap $? "an exported function named exec does not replace the builtin"
[ -s "$D/out" ] && tap_diag "$(head -n 3 "$D/out")"

# A directory whose name ends in a newline is not its sibling.
mkdir -p "$H/src/nl
" "$H/src/nl"
(cd "$H/src/nl
" && env -i HOME="$H" PATH=/usr/bin:/bin bash "$D/t" --jail-print-argv) |
    tr '\n\0' '\001\n' >"$D/out"
grep -A1 -x -- --chdir "$D/out" | tail -n 1 |
    grep -qx "$H/src/nl$(printf '\001')"
tap $? "a trailing newline in the directory's name is kept"

# Descriptors: only bwrap's own reach the jail, whatever their number.
if command -v bwrap >/dev/null 2>&1 &&
    bwrap --unshare-user --ro-bind / / true 2>/dev/null; then
	(cd "$H/src/evil2" && env -i HOME="$H" PATH=/usr/bin:/bin \
	    bash -c 'exec 255<"$HOME" 7<"$HOME"; exec bash "$1" -c "ls /proc/self/fd"' \
	    _ "$D/t") >"$D/out" 2>&1
	[ "$(tr '\n' ' ' <"$D/out")" = "0 1 2 3 " ]
	tap $? "inherited descriptors (7, 255) are closed"
	tap_diag "$(cat "$D/out")"
else
	tap_skip "inherited descriptors (7, 255) are closed" \
	    "bwrap cannot make a user namespace here"
fi
tap_done
