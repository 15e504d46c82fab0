# shellcheck shell=sh disable=SC2034
# lib.sh - shared helpers for the TAP test scripts (sourced, not run).
#
# JAILC_BIN selects the build under test: unset means the plain build
# (./jailc and build/*), "build/san" the ASan+UBSan build.

if [ -n "${JAILC_BIN:-}" ]; then
	JAILC=$JAILC_BIN/jailc
	TOOLS=$JAILC_BIN
else
	JAILC=./jailc
	TOOLS=build
fi
# Sanitizer reports are failures; make them loud and final.
export ASAN_OPTIONS="${ASAN_OPTIONS:-abort_on_error=0:exitcode=99:detect_leaks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-halt_on_error=1:exitcode=99:print_stacktrace=1}"
# Shipped profiles are found next to ./jailc; the sanitizer build lives
# elsewhere, so point it at them.
export JAILC_PATH="${JAILC_PATH:-$PWD/profiles}"
# Shell launchers hand their plan to jailrun, pinned by path when they
# are compiled: the one built here (-t exe copies the same one).
export JAILRUN="$PWD/${JAILC_BIN:-.}/jailrun"
# Diagnostics must not depend on the terminal or the locale.
export NO_COLOR=1 LC_ALL=C

tap_n=0
tap_failed=0

# ok COND-STATUS DESCRIPTION: report the exit status of the last command.
tap() {
	tap_n=$((tap_n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $tap_n - $2"
	else
		echo "not ok $tap_n - $2"
		tap_failed=$((tap_failed + 1))
	fi
}

# skip DESCRIPTION REASON
tap_skip() {
	tap_n=$((tap_n + 1))
	echo "ok $tap_n - $1 # SKIP $2"
}

# todo COND-STATUS DESCRIPTION REASON: a known failure; TAP reports it
# either way but does not fail the script, and prove lists it as
# unexpectedly passing once fixed.
tap_todo() {
	tap_n=$((tap_n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $tap_n - $2 # TODO $3"
	else
		echo "not ok $tap_n - $2 # TODO $3"
	fi
}

# diag TEXT...: a TAP comment (shown by prove -v and on failures).
tap_diag() {
	printf '%s\n' "$@" | sed 's/^/# /'
}

tap_done() {
	echo "1..$tap_n"
	[ "$tap_failed" -eq 0 ]
}

# tap_waitfor FILE: poll up to 10 s for FILE to exist.
tap_waitfor() {
	wf_i=0
	while [ ! -e "$1" ] && [ "$wf_i" -lt 200 ]; do
		sleep 0.05
		wf_i=$((wf_i + 1))
	done
	[ -e "$1" ]
}

# A scratch directory for one test script, removed when it exits.
tap_tmpdir() {
	mkdir -p tests/out
	TMP=$(mktemp -d "$PWD/tests/out/${1:-t}.XXXXXX")
	trap 'rm -rf "$TMP"' EXIT
}

# tap_user_runtime DIR: where the unprivileged user cannot reach this
# build's jailrun (a checkout under /root, mode 0700, as on a new
# machine), copy it into DIR/rt, a scratch directory of the test's that
# it can reach, and pin that one: shell launchers exec it by path.
tap_user_runtime() {
	[ "$(id -u)" = 0 ] || return 0
	tur_d=$JAILRUN
	while tur_d=${tur_d%/*}; [ -n "$tur_d" ]; do
		[ -n "$(find "$tur_d" -maxdepth 0 -perm -o+x 2>/dev/null)" ] &&
			continue
		mkdir -p "$1/rt" && cp "$JAILRUN" "$1/rt/jailrun" &&
			chmod 0755 "$1/rt" "$1/rt/jailrun" || return 1
		tap_diag "$tur_d is closed to other users: shell launchers" \
		    "pin a copy of jailrun, $1/rt/jailrun"
		JAILRUN=$1/rt/jailrun
		export JAILRUN
		return 0
	done
}

# tap_user_reach DIR PATH: PATH, or where the unprivileged user cannot
# reach it (a checkout under /root, mode 0700), a copy of it (a file or
# a directory) in DIR/rt, which the user can read; printed.
tap_user_reach() {
	tua_d=$2
	if [ "$(id -u)" = 0 ]; then
		while tua_d=${tua_d%/*}; [ -n "$tua_d" ]; do
			[ -n "$(find "$tua_d" -maxdepth 0 -perm -o+x 2>/dev/null)" ] &&
				continue
			mkdir -p "$1/rt" && rm -rf "$1/rt/${2##*/}" &&
				cp -R "$2" "$1/rt/" && chmod -R a+rX "$1/rt" || return 1
			echo "$1/rt/${2##*/}"
			return 0
		done
	fi
	echo "$2"
}

# Who can run a jail here: root, and an unprivileged user (jailtest,
# created when missing, reached with setpriv; or ourselves when not
# root).  Sets root_skip and user_skip (empty, or why not) and user_via
# (setpriv, self, or empty).
tap_jail_users() {
	user_via=
	if ! command -v bwrap >/dev/null; then
		root_skip="bwrap not found"
		user_skip="bwrap not found"
	elif [ "$(id -u)" = 0 ]; then
		root_skip=
		bwrap --unshare-all --ro-bind / / true 2>/dev/null ||
			root_skip="bwrap cannot make a sandbox as root here"
		id jailtest >/dev/null 2>&1 ||
			useradd -M -d /nonexistent jailtest >/dev/null 2>&1
		if ! id jailtest >/dev/null 2>&1; then
			user_skip="cannot create the user jailtest"
		elif ! setpriv --reuid=jailtest --regid=jailtest --clear-groups \
		    bwrap --unshare-all --ro-bind / / true 2>/dev/null; then
			user_skip="unprivileged user namespaces are not available"
		else
			user_skip=
			user_via=setpriv
		fi
	else
		root_skip="not running as root"
		user_skip=
		user_via=self
		bwrap --unshare-all --ro-bind / / true 2>/dev/null ||
			user_skip="unprivileged user namespaces are not available"
	fi
}

# tap_cgmount TYPE [CONTROLLER]: the mount point of the first mount of
# file system TYPE (cgroup, cgroup2) holding CONTROLLER.
tap_cgmount() {
	awk -v t="$1" -v c="${2-}" '{
		for (i = 7; i <= NF; i++)
			if ($i == "-")
				break
		if ($(i + 1) == t && (c == "" || $(i + 3) ~ "(^|,)" c "(,|$)")) {
			print $5
			exit
		}
	}' /proc/self/mountinfo
}

# tap_mem_cgroup: the memory hierarchy this script is in: mem_dir, its
# cgroup there (empty: none), mem_mp the hierarchy's mount point, mem_v2
# set for cgroup v2's.
tap_mem_cgroup() {
	mem_dir='' mem_mp='' mem_v2=''
	[ -r /proc/self/cgroup ] || return 0
	tmc_rel=$(sed -n 's/^[0-9]*:\([^:]*,\)\{0,1\}memory\(,[^:]*\)\{0,1\}:\(.*\)/\3/p' \
	    /proc/self/cgroup | head -n 1)
	tmc_mp=$(tap_cgmount cgroup memory)
	if [ -n "$tmc_rel" ] && [ -n "$tmc_mp" ]; then
		mem_dir=$tmc_mp${tmc_rel%/}
		mem_mp=$tmc_mp
		return 0
	fi
	tmc_rel=$(sed -n 's/^0::\(.*\)/\1/p' /proc/self/cgroup)
	tmc_mp=$(tap_cgmount cgroup2)
	if [ -n "$tmc_mp" ] &&
		grep -qw memory "$tmc_mp/cgroup.controllers" 2>/dev/null; then
		mem_dir=$tmc_mp${tmc_rel%/}
		mem_mp=$tmc_mp
		mem_v2=1
	fi
}

# tap_npm_agent NAME PACKAGE BIN: build/agents/NAME holds PACKAGE at the
# npm registry's latest version, reusing an earlier install of it (or of
# any version, with a note, when the registry cannot be reached).  The
# stamp .jailc-installed is written last, so an interrupted install is
# redone.  One case; sets prefix, ver (the version installed) and skip
# (why there is none).  npm never sees the real home: its cache, its
# notices and what postinstall scripts write stay under build/agents;
# the user's own .npmrc still applies, for a registry mirror or proxy.
# Test files running at once (make check's -j) take turns: one lock
# for every install, as they share the cache.
tap_npm_agent() {
	tna_agents=$PWD/build/agents
	prefix=$tna_agents/$1
	ver='' skip=''
	if ! command -v npm >/dev/null || ! command -v timeout >/dev/null ||
	    ! command -v flock >/dev/null; then
		skip="npm, timeout or flock not installed"
		tap_skip "install $2 from the npm registry" "$skip"
		return 0
	fi
	mkdir -p "$tna_agents/home" "$tna_agents/tmp"
	tna_rc=$tna_agents/no-npmrc
	[ -n "${HOME-}" ] && [ -f "$HOME/.npmrc" ] && tna_rc=$HOME/.npmrc
	exec 9>"$tna_agents/.install.lock"
	flock 9
	tap_npm_agent_locked "$@"
	flock -u 9
	exec 9>&-
}

tap_npm_agent_npm() { # SECONDS ARGS...: npm ARGS, killed after SECONDS
	tnn_secs=$1
	shift
	env HOME="$tna_agents/home" TMPDIR="$tna_agents/tmp" \
	    npm_config_cache="$tna_agents/npm-cache" \
	    npm_config_userconfig="$tna_rc" \
	    npm_config_update_notifier=false npm_config_fund=false \
	    npm_config_audit=false npm_config_loglevel=warn \
	    timeout "$tnn_secs" npm "$@" </dev/null 9>&-
}

tap_npm_agent_locked() {
	tna_stamp=$prefix/.jailc-installed
	tna_latest='' tna_err=$tna_agents/tmp/npm.err.$$
	if [ -n "${tna_dead-}" ]; then
		echo "$tna_dead" >"$tna_err"
	elif tap_npm_agent_npm 30 view --fetch-retries=1 \
	    --fetch-retry-mintimeout=1000 --fetch-retry-maxtimeout=5000 \
	    "$2" version >"$tna_err.out" 2>"$tna_err"; then
		tna_latest=$(tail -n 1 "$tna_err.out")
		case $tna_latest in
		[0-9]*.*) ;;
		*) tna_latest= ;;
		esac
	elif [ $? -eq 124 ]; then
		# not waited for twice
		tna_dead="npm view timed out after 30 s"
		echo "$tna_dead" >"$tna_err"
	fi
	tna_why=$(grep -m 1 . "$tna_err" ||
	    echo "npm view $2 version printed no version")
	rm -f "$tna_err" "$tna_err.out"
	if [ -z "$tna_latest" ]; then
		if [ -f "$tna_stamp" ] && [ -x "$prefix/node_modules/.bin/$3" ]; then
			ver=$(cat "$tna_stamp")
			tap_skip "install $2 from the npm registry" \
			    "registry unreachable or failing ($tna_why); reusing $2@$ver"
		else
			skip="$2 is not installed and the npm registry is unreachable or failing ($tna_why)"
			tap_skip "install $2 from the npm registry" "$skip"
		fi
		return 0
	fi
	if [ -f "$tna_stamp" ] && [ "$(cat "$tna_stamp")" = "$tna_latest" ] &&
	    [ -x "$prefix/node_modules/.bin/$3" ]; then
		ver=$tna_latest
		tap 0 "install $2: $ver already in build/agents/$1"
		return 0
	fi
	rm -rf "$prefix"
	if tap_npm_agent_npm 600 install --prefix "$prefix" "$2@$tna_latest" \
	    >"$tna_agents/$1.log" 2>&1 && [ -x "$prefix/node_modules/.bin/$3" ]; then
		echo "$tna_latest" >"$tna_stamp"
		ver=$tna_latest
		# The tarballs are not needed again: a new version brings new ones.
		rm -rf "$tna_agents/npm-cache/_cacache"
		tap 0 "install $2@$ver into build/agents/$1"
	else
		tap 1 "install $2@$tna_latest into build/agents/$1"
		tap_diag "$(tail -n 20 "$tna_agents/$1.log")"
		skip="$2 did not install"
	fi
}
