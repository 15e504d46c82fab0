#!/bin/sh
# agents.t - the shipped agent profiles with the real agents: Claude Code
# and opencode, installed from the npm registry into build/agents (kept
# between runs, reinstalled when the registry has a newer version), run
# in their jails from a fresh git project with a fresh fake home.  Only
# commands that need no network are run: --version, and one subcommand
# each that writes the agent's configuration.  The cases check that what
# the agent keeps lands in the jail's own state directory that its
# profile mounts where the agent looks (~/.local/state/jailc/AGENT, not
# the host's ~/.claude or ~/.config/opencode, which the host's agent
# reads), that nothing else reaches the fake home, the project or
# TMPDIR, and that the real home is not touched.  Every agent's cases run for
# both forms of launcher (the shell wrapper, the single file) and as
# root and as the unprivileged user jailtest, each pair with a fake home
# and TMPDIR of its own, in a scratch directory under /tmp the user can
# reach.  Without npm, a registry or a usable bwrap, every case is
# skipped with the reason.
. tests/lib.sh
case $JAILC in /*) ;; *) JAILC=$PWD/$JAILC ;; esac

# Not under the source tree: the unprivileged user must reach it.
TMP=$(mktemp -d /tmp/jailc-agents.XXXXXX) || exit 1
chmod 0755 "$TMP"
tap_user_runtime "$TMP" || exit 1
trap 'rm -rf "$TMP"' EXIT
[ -n "${KEEP-}" ] && trap - EXIT

realhome=${HOME-}

# check DESCRIPTION COMMAND...: one case, COMMAND's status; a skip
# instead, COMMAND not run, when $skip holds a reason.
check() {
	c_desc=$1
	shift
	if [ -n "$skip" ]; then
		tap_skip "$c_desc" "$skip"
		return 0
	fi
	"$@"
	tap $? "$c_desc"
}

# has FILE PATTERN: FILE has a line matching the basic regular expression
# PATTERN; on failure show FILE.
has() {
	if [ ! -f "$1" ]; then
		tap_diag "no file $1"
		return 1
	fi
	grep -q -e "$2" "$1" && return 0
	tap_diag "no line matching '$2' in $1:" "$(cat "$1")"
	return 1
}

# only DIR PATTERN: every path below DIR, relative to it, matches the
# extended regular expression PATTERN; on failure show the others.
only() {
	o_out=$(cd "$1" && find . -mindepth 1 | sed 's|^\./||' |
	    grep -v -E -x -e "$2")
	[ -z "$o_out" ] && return 0
	tap_diag "unexpected in $1:" "$o_out"
	return 1
}

# same A B: the listings A and B are the same; on failure show the diff.
same() {
	diff "$1" "$2" >"$TMP/diff" && return 0
	tap_diag "$(cat "$TMP/diff")"
	return 1
}

# The names in the real home, and its agent files with sizes and times.
realsnap() {
	[ -n "$realhome" ] || return 0
	find "$realhome" -mindepth 1 -maxdepth 1 -printf '%p\n' | sort
	find "$realhome/.claude" "$realhome/.claude.json" \
	    "$realhome/.config/opencode" "$realhome/.local/share/opencode" \
	    "$realhome/.local/state/opencode" "$realhome/.cache/opencode" \
	    -printf '%p %s %T@\n' 2>/dev/null | sort
}

# untouched: the real home's agent files are as they were when the
# agent's first pair began, and none holds the marker the jailed agent
# was given.
untouched() {
	realsnap >"$TMP/real.after"
	same "$TMP/real.before" "$TMP/real.after" || return 1
	[ -n "$realhome" ] || return 0
	if grep -r -l -F -s -e "$marker" "$realhome/.claude" \
	    "$realhome/.claude.json" "$realhome/.config/opencode" \
	    "$realhome/.local/share/opencode" "$realhome/.local/state/opencode" \
	    "$realhome/.cache/opencode" >"$TMP/found"; then
		tap_diag "the marker reached the real home:" "$(cat "$TMP/found")"
		return 1
	fi
}

# Who can make the jails' sandbox here (tests/lib.sh).
tap_jail_users
jail_skip=
command -v timeout >/dev/null || jail_skip="timeout not found"
uid0=
[ "$(id -u)" = 0 ] && uid0=1

# as WHO COMMAND...: COMMAND as root, or as the unprivileged user.
as() {
	a_who=$1
	shift
	if [ "$a_who" = user ] && [ -n "$uid0" ]; then
		setpriv --reuid=jailtest --regid=jailtest --clear-groups "$@"
	else
		"$@"
	fi
}

# The project of each user: a git repository with one commit, as agents
# expect, the user's own.
for who in root user; do
	P=$TMP/$who/proj
	mkdir -p "$P"
	git init -q "$P" && echo hello >"$P/README" &&
		git -C "$P" add README &&
		git -C "$P" -c user.name=t -c user.email=t@example.org \
		    commit -q -m init ||
		jail_skip=${jail_skip:-"cannot make a git project"}
	if [ "$who" = user ] && [ -n "$uid0" ] && [ -z "$user_skip" ]; then
		chown -R jailtest:jailtest "$TMP/$who"
	fi
done

# prep NAME: compile $TMP/NAME.jail, a profile extending the shipped NAME
# with the install mounted read-only and its bin on the PATH, into
# $TMP/bin/NAME.shell and $TMP/bin/NAME.exe; and list the real home's
# agent files, to compare afterwards.
prep() {
	mkdir -p "$TMP/bin"
	printf "version = 1\nextends = [\"%s\"]\n[[mount]]\nro = '%s'\n" \
	    "$1" "$prefix" >"$TMP/$1.jail"
	"$JAILC" compile --standalone \
	    -D PATH="$prefix/node_modules/.bin:/usr/bin:/bin" \
	    -o "$TMP/bin/$1.shell" "$TMP/$1.jail" 2>"$TMP/$1.err" &&
	    "$JAILC" compile -t exe \
	    -D PATH="$prefix/node_modules/.bin:/usr/bin:/bin" \
	    -o "$TMP/bin/$1.exe" "$TMP/$1.jail" 2>>"$TMP/$1.err" &&
	    chmod 0755 "$TMP/bin/$1.shell" "$TMP/bin/$1.exe" &&
	    realsnap >"$TMP/real.before" && return 0
	tap_diag "cannot compile $1:" "$(cat "$TMP/$1.err")"
	return 1
}

# pair NAME: a fresh fake home H and TMPDIR TD for NAME as $who with
# $form, both $who's, and the listing of $who's project P, to compare
# afterwards.
pair() {
	P=$TMP/$who/proj
	H=$TMP/$who/home-$1-$form
	TD=$TMP/$who/tmp-$1-$form
	mkdir "$H" "$TD" && chmod 0700 "$TD" || return 1
	if [ "$who" = user ] && [ -n "$uid0" ]; then
		chown jailtest:jailtest "$H" "$TD" || return 1
	fi
	proj_list >"$TMP/proj.before"
}

# run NAME ARGS...: the launcher for NAME in $form, as $who, with ARGS,
# from the project, with the pair's fake home and TMPDIR and nothing
# else of this environment but PATH (which finds bwrap); at most 60 s.
# Output in $TMP/out, the status in rc.
run() {
	r_name=$1
	shift
	r_user=$(id -un)
	[ "$who" = user ] && [ -n "$uid0" ] && r_user=jailtest
	(cd "$P" && as "$who" env -i PATH="$PATH" HOME="$H" USER="$r_user" \
	    TMPDIR="$TD" NO_COLOR=1 \
	    timeout 60 "$TMP/bin/$r_name.$form" "$@") >"$TMP/out" 2>&1 \
	    </dev/null
	rc=$?
	[ "$rc" -eq 0 ] && return 0
	tap_diag "exit status $rc:" "$(cat "$TMP/out")"
	return 1
}

# The project is as it was (opencode may cache its project id in
# .git/opencode, which is its to write, and which an earlier pair may
# have left), and the work directory is gone.
proj_list() {
	(cd "$P" && find . | sort | grep -v -x -F './.git/opencode')
}
proj_same() {
	proj_list >"$TMP/proj.after"
	same "$TMP/proj.before" "$TMP/proj.after"
}
tmp_empty() {
	only "$TD" ''
}

# owned: what the agent left in the fake home is the user's it ran as
# (jailtest, for the user's pairs when this test runs as root).
owned() {
	o_user=$(id -un)
	[ "$who" = user ] && [ -n "$uid0" ] && o_user=jailtest
	o_out=$(find "$H" -mindepth 1 ! -user "$o_user")
	[ -n "$(find "$H" -mindepth 1)" ] && [ -z "$o_out" ] && return 0
	tap_diag "in $H, empty or not $o_user's:" "$o_out"
	return 1
}

# pairs NAME BIN CASES: for each user and form, a fresh pair for NAME
# and the cases of the function CASES, labelled l; skipped, with the
# reason, when the agent did not install, the launchers did not compile,
# this user cannot make a sandbox or cannot run the agent's BIN.
pairs() {
	p_skip=$skip
	for who in root user; do
		for form in shell exe; do
			l="$1 [$who, $form]"
			marker=jailc-probe-$$-$1-$who-$form
			eval "skip=\${p_skip:-\$${who}_skip}"
			if [ -z "$skip" ] && [ "$who" = user ] &&
			    ! as user test -x "$prefix/node_modules/.bin/$2"; then
				skip="jailtest cannot run $prefix/node_modules/.bin/$2"
			fi
			if [ -z "$skip" ] && ! pair "$1"; then
				skip="cannot make the fake home"
			fi
			$3
		done
	done
	skip=$p_skip
}

# --- Claude Code -------------------------------------------------------

claude_cases() {
	check "$l: --version in the jail exits 0" run claude --version
	cp "$TMP/out" "$TMP/claude.version" 2>/dev/null
	check "$l: --version prints the installed version" \
	    has "$TMP/claude.version" "^$ver (Claude Code)\$"

	# mcp add-json writes the project's server into .claude.json,
	# offline.
	check "$l: mcp add-json in the jail exits 0" \
	    run claude mcp add-json "$marker" '{"type":"stdio","command":"true"}'
	check "$l: .claude.json lands in the jail's own state directory" \
	    has "$H/.local/state/jailc/claude/.claude.json" "$marker"
	check "$l: the server is kept for the project" \
	    has "$H/.local/state/jailc/claude/.claude.json" "\"$P\""
	check "$l: a second run reads it back (mcp get)" \
	    run claude mcp get "$marker"
	cp "$TMP/out" "$TMP/claude.get" 2>/dev/null
	check "$l: mcp get shows the server" has "$TMP/claude.get" "^$marker:"
	check "$l: nothing in the fake home outside its state directory" \
	    only "$H" '\.local|\.local/state|\.local/state/jailc|\.local/state/jailc/claude(/.*)?'
	check "$l: what it wrote there is the launching user's" owned
	check "$l: the project is unchanged" proj_same
	check "$l: the work directory is removed" tmp_empty
	check "$l: the real home's agent files are untouched" untouched
}

tap_npm_agent claude @anthropic-ai/claude-code claude
skip=${skip:-$jail_skip}
check "claude: the test profile compiles in both forms" prep claude
[ -n "$skip" ] || [ -x "$TMP/bin/claude.exe" ] || skip="launcher not compiled"
pairs claude claude claude_cases

# --- opencode ----------------------------------------------------------

opencode_cases() {
	check "$l: --version in the jail exits 0" run opencode --version
	cp "$TMP/out" "$TMP/opencode.version" 2>/dev/null
	check "$l: --version prints the installed version" \
	    has "$TMP/opencode.version" "^$ver\$"

	# debug config writes the configuration, opens the database and the
	# log (data) and takes its locks (state), offline.
	check "$l: debug config in the jail exits 0" run opencode debug config
	cp "$TMP/out" "$TMP/opencode.config" 2>/dev/null
	check "$l: debug config prints the configuration" \
	    has "$TMP/opencode.config" '"\$schema"'
	# (The locks in state are files in a directory of their own that
	# opencode may or may not have removed by the time it exits.)
	S=$H/.local/state/jailc/opencode
	for d in config data state; do
		check "$l: what it writes lands in the jail's own $d directory" \
		    test -n "$(find "$S/$d" -mindepth 1 2>/dev/null | head -n 1)"
	done
	check "$l: its configuration file is the jail's config/opencode.jsonc" \
	    test -f "$S/config/opencode.jsonc"
	check "$l: its database is in the jail's data directory" \
	    test -f "$S/data/opencode.db"

	# The kept configuration is what the next run reads.
	if [ -z "$skip" ]; then
		printf '{\n  "$schema": "https://opencode.ai/config.json",\n  "username": "%s"\n}\n' \
		    "$marker" >"$S/config/opencode.jsonc"
		[ "$who" = user ] && [ -n "$uid0" ] &&
			chown jailtest:jailtest "$S/config/opencode.jsonc"
	fi
	check "$l: a second run exits 0" run opencode debug config
	cp "$TMP/out" "$TMP/opencode.config2" 2>/dev/null
	check "$l: a second run reads the kept configuration" \
	    has "$TMP/opencode.config2" "\"username\": \"$marker\""

	check "$l: ~/.cache stays in the jail" test ! -e "$H/.cache"
	check "$l: what it wrote in the fake home is the launching user's" \
	    owned
	check "$l: nothing in the fake home outside its state directory" \
	    only "$H" '\.local|\.local/state|\.local/state/jailc|\.local/state/jailc/opencode(/.*)?'
	check "$l: the project is unchanged but for .git/opencode" proj_same
	check "$l: the work directory is removed (no \$TMPDIR/opencode)" \
	    tmp_empty
	check "$l: the real home's agent files are untouched" untouched
}

tap_npm_agent opencode opencode-ai opencode
skip=${skip:-$jail_skip}
check "opencode: the test profile compiles in both forms" prep opencode
[ -n "$skip" ] || [ -x "$TMP/bin/opencode.exe" ] ||
	skip="launcher not compiled"
pairs opencode opencode opencode_cases

tap_done
