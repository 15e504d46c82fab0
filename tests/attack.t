#!/bin/sh
# attack.t - the launcher runs on the host, before any jail, in a
# directory that may hold a hostile repository, with an environment and
# descriptors it did not choose.  None of them may widen the jail.
# Every case runs against both forms of launcher (the shell wrapper, run
# with bash, which hands jailrun the text plan; the single file, jailrun
# with the blob), as root and as the unprivileged user jailtest, each in
# a fake home of its own.  Most cases only print what would run
# (--jail-print-argv), which needs no sandbox; the one that launches
# skips where bwrap cannot make one.  tests/live.t is the other attack
# suite: an attacker inside the jail.
. tests/lib.sh

# The shell form runs the jailrun tests/lib.sh names; -t exe copies it.
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

# Outside the source tree (its own .git would be the project of every
# directory below it), and reachable by the unprivileged user.
D=$(mktemp -d /tmp/jailc-attack.XXXXXX) && D=$(cd "$D" && pwd -P) || exit 1
chmod 0755 "$D"
tap_user_runtime "$D" || exit 1
trap 'rm -rf "$D"' EXIT
[ -n "${KEEP-}" ] && trap - EXIT

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
"$JAILC" compile --standalone -o "$D/t.shell" "$D/t.jail" 2>"$D/err" &&
	"$JAILC" compile -t exe -o "$D/t.exe" "$D/t.jail" 2>>"$D/err" &&
	chmod 0755 "$D/t.shell" "$D/t.exe"
tap $? "the test launcher compiles in both forms"
[ -x "$D/t.exe" ] || tap_diag "$(cat "$D/err")"

# A runtime to put in the launcher's way: it says so when it runs.
printf '#!/bin/sh\necho hijacked\n' >"$D/fake"
chmod 0755 "$D/fake"

# --- Who runs it ------------------------------------------------------

tap_jail_users
uid0=
[ "$(id -u)" = 0 ] && uid0=1
# Printing needs neither bwrap nor a user namespace: only the user.
# shellcheck disable=SC2034 # both read through eval, by the user's name
{
	root_print_skip=
	[ -n "$uid0" ] || root_print_skip="not running as root"
	user_print_skip=
	[ -n "$uid0" ] && ! id jailtest >/dev/null 2>&1 &&
		user_print_skip="the user jailtest does not exist"
}

# setup WHO: WHO's fake home H, with a key, another project (a password
# store with a linked worktree of its own) and, in H/src, one directory
# per hostile context; all WHO's.
setup() {
	H=$D/$1/home
	mkdir -p "$H/.ssh" "$H/src"
	echo SECRET >"$H/.ssh/id_rsa"
	git init -q "$H/.password-store" &&
		git -C "$H/.password-store" -c user.name=t \
		    -c user.email=t@example.org commit -q --allow-empty -m init &&
		git -C "$H/.password-store" worktree add -q "$H/pass-wt" \
		    2>"$D/err" || return 1
	# A .git that is a symbolic link (here to the home directory) would
	# have the protected-files bind mount the home directory writable.
	mkdir "$H/src/evil" && ln -s ../.. "$H/src/evil/.git" || return 1
	# A .git file naming another project's git directory.
	mkdir "$H/src/evil2" &&
		echo "gitdir: ../../.password-store/.git" >"$H/src/evil2/.git" ||
		return 1
	# A checkout whose own .git holds a commondir.
	git init -q "$H/src/proj" &&
		echo "$H/.password-store/.git" >"$H/src/proj/.git/commondir" ||
		return 1
	# A forged linked worktree: a .git file naming the git directory of
	# the store's real worktree, which has commondir and gitdir, so
	# that only the back-link (its gitdir names pass-wt) tells them
	# apart.
	mkdir "$H/src/wt" && echo \
	    "gitdir: $H/.password-store/.git/worktrees/pass-wt" \
	    >"$H/src/wt/.git" || return 1
	[ -f "$H/.password-store/.git/worktrees/pass-wt/commondir" ] &&
		[ -f "$H/.password-store/.git/worktrees/pass-wt/gitdir" ] ||
		return 1
	# A protected path that is a symbolic link: .git/hooks to the home.
	git init -q "$H/src/hooks" && rm -rf "$H/src/hooks/.git/hooks" &&
		ln -s "$H" "$H/src/hooks/.git/hooks" || return 1
	# One in the writable project, to a secret.
	git init -q "$H/src/envrc" &&
		ln -s ../../.ssh/id_rsa "$H/src/envrc/.envrc" || return 1
	# A fresh checkout: every protected path missing.
	git init -q "$H/src/fresh" || return 1
	# Hooks in .githooks (core.hooksPath), which git is asked about (not
	# .husky, which the protected list pins whatever git says).
	git init -q "$H/src/husky" &&
		git -C "$H/src/husky" config core.hooksPath .githooks &&
		mkdir "$H/src/husky/.githooks" || return 1
	# A directory whose name ends in a newline, and its sibling.
	mkdir "$H/src/nl
" "$H/src/nl" || return 1
	if [ "$1" = user ] && [ -n "$uid0" ]; then
		chown -R jailtest:jailtest "$D/$1" || return 1
	fi
}

# go DIR [NAME=VALUE...] -- ARGS...: the launcher of $form with ARGS,
# as $who, from DIR, with HOME, PATH and the assignments its only
# environment; with fds set, descriptors 7 and 255 open on the home
# directory.  Its output in $D/raw, errors in $D/err, status in rc.
go() {
	g_dir=$1
	shift
	g_n=$#
	g_i=0
	g_seen=
	# Move the assignments to the end, the launcher in place of --,
	# then ARGS after it.
	while [ "$g_i" -lt "$g_n" ]; do
		g_a=$1
		shift
		g_i=$((g_i + 1))
		if [ -z "$g_seen" ] && [ "$g_a" = -- ]; then
			g_seen=1
			if [ -n "${fds-}" ]; then
				set -- "$@" bash -c \
				    'exec 255<"$HOME" 7<"$HOME"; exec "$@"' _
			fi
			if [ "$form" = shell ]; then
				set -- "$@" bash "$D/t.shell"
			else
				set -- "$@" "$D/t.exe"
			fi
		else
			set -- "$@" "$g_a"
		fi
	done
	set -- env -i HOME="$H" PATH=/usr/bin:/bin "$@"
	if [ "$who" = user ] && [ -n "$uid0" ]; then
		set -- setpriv --reuid=jailtest --regid=jailtest \
		    --clear-groups "$@"
	fi
	(cd "$g_dir" && "$@") >"$D/raw" 2>"$D/err"
	rc=$?
}

# words DIR [NAME=VALUE...]: go's --jail-print-argv, one word a line, in
# $D/out.
words() {
	w_dir=$1
	shift
	go "$w_dir" "$@" -- --jail-print-argv
	tr '\0' '\n' <"$D/raw" >"$D/out"
}

# refused PATTERN: the launch stopped (125) before printing anything,
# saying why: PATTERN, a basic regular expression, is in its errors.
refused() {
	[ "$rc" = 125 ] && [ ! -s "$D/out" ] && grep -q -e "$1" "$D/err" &&
		return 0
	tap_diag "status $rc, errors:" "$(cat "$D/err")"
	[ -s "$D/out" ] && tap_diag "and output: $(head -n 3 "$D/out")"
	return 1
}

# root_is DIR: the launch printed its argv, in which PROJECT_ROOT (as
# the jail's T_ROOT) is DIR and the password store appears nowhere but
# there.
root_is() {
	r_root=$(sed -n '/^T_ROOT$/{n;p;q;}' "$D/out")
	if [ "$rc" = 0 ] && [ "$r_root" = "$1" ]; then
		case $1 in
		*/.password-store) return 0 ;;
		esac
		grep -q password-store "$D/out" || return 0
	fi
	tap_diag "status $rc, T_ROOT '$r_root'; errors:" "$(cat "$D/err")"
	return 1
}

# pinned PATH: PATH is bound read-only onto itself in $D/out.
pinned() {
	grep -A2 -x -- --ro-bind "$D/out" | grep -qx -e "$1"
}

# Controls: what the cases below must see fail, outside any launcher.
# bash imports an exported function, and one named exec comes before
# the builtin outside POSIX mode.
env -i PATH=/usr/bin:/bin 'BASH_FUNC_exec%%=() { echo hijacked; }' \
    bash -c 'exec true' >"$D/out" 2>&1
grep -qx hijacked "$D/out"
tap $? "control: this bash lets an exported function named exec run"

for who in root user; do
	eval "print_skip=\$${who}_print_skip"
	eval "run_skip=\$${who}_skip"
	if [ -z "$print_skip" ] && ! setup "$who"; then
		print_skip="cannot make the hostile directories"
		tap_diag "$(cat "$D/err")"
	fi
	for form in shell exe; do
		l="$who ($form)"
		if [ -n "$print_skip" ]; then
			tap_skip "$l: every case" "$print_skip"
			continue
		fi

		words "$H/src/evil"
		refused 'evil/\.git is a symbolic link'
		tap $? "$l: a .git symbolic link is refused"

		# A .git file may not name another project's git directory ...
		words "$H/src/evil2"
		root_is "$H/src/evil2"
		tap $? "$l: a forged .git file does not make another project the root"

		# ... nor may a commondir file in a checkout's own .git ...
		words "$H/src/proj"
		root_is "$H/src/proj"
		tap $? "$l: a planted .git/commondir does not move the root"

		# ... nor a linked worktree that its repository does not know:
		# the real one does move it, the forged one not.
		words "$H/pass-wt"
		root_is "$H/.password-store"
		tap $? "$l: control: a real linked worktree has its repository as the root"
		words "$H/src/wt"
		root_is "$H/src/wt"
		tap $? "$l: a .git file naming another worktree's git directory (commondir and gitdir there) does not move the root"

		# A protected path that is a symbolic link is refused, not
		# followed, whatever it leads to.
		words "$H/src/hooks"
		refused 'hooks/\.git/hooks is a symbolic link'
		tap $? "$l: a .git/hooks symbolic link is refused"
		words "$H/src/envrc"
		refused 'envrc/\.envrc is a symbolic link'
		tap $? "$l: a .envrc symbolic link in the project is refused"

		# One that is missing is pinned in .git but, short of a real
		# launch, not made; outside .git it is not pinned (looked for
		# when the jail exits).
		words "$H/src/fresh"
		[ "$rc" = 0 ] && ! pinned "$H/src/fresh/.envrc" &&
			pinned "$H/src/fresh/.git/commondir" &&
			[ ! -e "$H/src/fresh/.envrc" ] &&
			[ ! -e "$H/src/fresh/.git/commondir" ]
		tap $? "$l: missing protected paths are pinned in .git only, and --jail-print-argv makes none"

		# Variables that name what the runtime decides, the runtime
		# itself (the shell form pins it when compiled) and what the
		# old bash launcher kept its state in change nothing; the
		# hooks directory git names stays pinned.
		words "$H/src/husky"
		[ "$rc" = 0 ] && pinned "$H/src/husky/.githooks"
		tap $? "$l: control: core.hooksPath's directory is pinned"
		mv "$D/out" "$D/clean"
		words "$H/src/husky" PROJECT_ROOT="$H/.password-store" \
		    WORKTREE="$H" CWD="$H" JAILRUN="$D/fake" JAILC_PLAN=x \
		    GIT_DIR="$H/.password-store/.git" \
		    GIT_WORK_TREE="$H/.password-store" \
		    GIT_CEILING_DIRECTORIES="$H/src" \
		    jail_tree="$H/.password-store" \
		    jail_root="$H/.password-store" jail_v_WORKDIR="$H"
		[ "$rc" = 0 ] && cmp -s "$D/clean" "$D/out" &&
			! grep -q hijacked "$D/raw"
		tap $? "$l: hostile variables (PROJECT_ROOT, JAILRUN, GIT_DIR, jail_*, ...) change nothing"
		[ "$rc" = 0 ] || tap_diag "status $rc:" "$(cat "$D/err")"
		# git's own configuration variables do not reach the git
		# jailrun asks for core.hooksPath: it runs without GIT_*.
		words "$H/src/husky" GIT_COMMON_DIR="$H/.password-store/.git"
		[ "$rc" = 0 ] && cmp -s "$D/clean" "$D/out"
		r1=$?
		words "$H/src/husky" GIT_CONFIG_COUNT=1 \
		    GIT_CONFIG_KEY_0=core.hooksPath GIT_CONFIG_VALUE_0="$H/x"
		[ "$rc" = 0 ] && cmp -s "$D/clean" "$D/out"
		r2=$?
		[ "$r1" = 0 ] && [ "$r2" = 0 ]
		tap $? "$l: git's variables (GIT_COMMON_DIR, GIT_CONFIG_*) do not unpin core.hooksPath"

		# Nor the one command the shell wrapper runs, exec, by an
		# exported function (see the control); the dry run must
		# still be jailrun's.  Only bash imports functions.
		if [ "$form" = shell ]; then
			go "$H/src/evil2" \
			    'BASH_FUNC_exec%%=() { echo hijacked; }' \
			    'BASH_FUNC_jailrun%%=() { echo hijacked; }' \
			    -- --jail-dry-run
			[ "$rc" = 0 ] && ! grep -q hijacked "$D/raw" &&
				grep -q -- '--clearenv' "$D/raw"
			tap $? "$l (shell form only: bash imports functions): an exported function named exec does not replace the builtin"
			[ -s "$D/raw" ] && tap_diag "$(head -n 3 "$D/raw")"
		fi

		# A directory whose name ends in a newline is not its sibling.
		go "$H/src/nl
" -- --jail-print-argv
		tr '\n\0' '\001\n' <"$D/raw" >"$D/out"
		[ "$rc" = 0 ] && grep -A1 -x -- --chdir "$D/out" | tail -n 1 |
			grep -qx "$H/src/nl$(printf '\001')"
		tap $? "$l: a trailing newline in the directory's name is kept"

		# Descriptors: only bwrap's own reach the jail, whatever
		# their number.
		if [ -n "$run_skip" ]; then
			tap_skip "$l: inherited descriptors (7, 255) are closed" \
			    "$run_skip"
		else
			fds=1
			go "$H/src/evil2" -- -c 'ls /proc/self/fd'
			fds=
			[ "$rc" = 0 ] && [ "$(tr '\n' ' ' <"$D/raw")" = "0 1 2 3 " ]
			tap $? "$l: inherited descriptors (7, 255) are closed"
			tap_diag "$(cat "$D/raw" "$D/err")"
		fi
	done
done
tap_done
