#!/bin/sh
# harden-nix.t - what the launcher runs and hands out on the host (issue
# 13, items 2 and 5), in both forms of launcher (the shell wrapper hands
# jailrun the text plan, the single file carries the blob), as root and
# as an unprivileged user.
#
# The Nix daemon: a bind that holds its socket is refused to a client
# the daemon trusts (root always; trusted-users and extra-trusted-users
# of nix.conf, with include and !include), and where the configuration
# cannot be read.  The daemon's socket and /etc/nix are played in a
# private mount namespace (a tmpfs on /nix/var, an overlay on /etc whose
# upper layer is the test's), so this machine's /etc is never touched.
#
# Helpers: a git or bwrap planted in a directory on PATH is not run, by
# either launcher or by jailc explain --resolve; one pinned with -D under
# a writable mount of the jail is refused, before anything runs.
. tests/lib.sh

JAILRUN=$PWD/${JAILC_BIN:-.}/jailrun
if [ ! -x "$JAILRUN" ]; then
	echo "1..0 # SKIP $JAILRUN is not built (make jailrun)"
	exit 0
fi
export JAILRUN
case $JAILC in /*) ;; *) JAILC=$PWD/$JAILC ;; esac

T=$(mktemp -d /tmp/jailc-hnix.XXXXXX) || exit 1
chmod 0755 "$T"
tap_user_runtime "$T" || exit 1
trap 'rm -rf "$T"' EXIT
[ -n "${KEEP-}" ] && trap - EXIT
mkdir -p "$T/home" "$T/m" "$T/proj"
chmod 0777 "$T/home" "$T/m" "$T/proj"

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

# compile NAME [-D ...]: $T/NAME.jail into $T/NAME.shell and $T/NAME.exe.
compile() {
	c_n=$1
	shift
	"$JAILC" compile --standalone "$@" -o "$T/$c_n.shell" \
	    "$T/$c_n.jail" 2>"$T/$c_n.err" &&
		"$JAILC" compile -t exe "$@" -o "$T/$c_n.exe" "$T/$c_n.jail" \
		    2>>"$T/$c_n.err" &&
		chmod 0755 "$T/$c_n.shell" "$T/$c_n.exe"
}

# --- The Nix daemon ----------------------------------------------------

printf '%s\n' 'version = 1' 'name = "nixd"' \
    'extends = ["base", "nix-daemon"]' '[command]' 'exec = "/bin/true"' \
    '[[mount]]' "ro = \"$T\"" >"$T/nixd.jail"
printf '%s\n' 'version = 1' 'name = "nonix"' 'extends = ["base"]' \
    '[command]' 'exec = "/bin/true"' '[[mount]]' "ro = \"$T\"" \
    >"$T/nonix.jail"
compile nixd
tap $? "a profile extending nix-daemon compiles"
compile nonix
tap $? "one without it compiles"
"$JAILC" compile -t plan "$T/nixd.jail" 2>/dev/null >"$T/nixd.plan"
grep -q '^nix-daemon /nix/var/nix/daemon-socket/socket @nix-daemon\.jail:[0-9]*$' \
    "$T/nixd.plan"
tap $? "the plan says the launcher guards the daemon's socket, at its mount"
"$JAILC" check "$T/nixd.jail" 2>"$T/out"
grep -q 'accepted (.*): mount hands the jail the Nix daemon.*\[nix-daemon\]$' \
    "$T/out"
tap $? "check: the nix-daemon finding is shown, accepted by nix-daemon.jail"
for a in claude codex crush gemini-cli opencode; do
	"$JAILC" compile -t plan "profiles/$a.jail" 2>/dev/null |
	    grep -q '^mount .*daemon-socket'
	tap $(($? == 0)) "shipped $a does not bind the daemon's socket"
done

# The namespace: ns.sh CONF SOCKDIR WHO LAUNCHER.  CONF is the file to
# put at /etc/nix/nix.conf ("" none, "-" one root alone may read);
# SOCKDIR whether the daemon's socket directory exists (1 or 0).  The
# launcher's status and its messages go to $T/ns.rc and $T/ns.err.
cat >"$T/ns.sh" <<'EOF'
set -u
T=$1 conf=$2 sockdir=$3 who=$4 launcher=$5
mkdir -p "$T/ov/up" "$T/ov/wk"
rm -rf "$T/ov/up/nix" "$T/ov/up/xdg"
mount -t overlay overlay \
    -o "lowerdir=/etc,upperdir=$T/ov/up,workdir=$T/ov/wk" /etc || exit 90
mount -t tmpfs -o mode=0755 tmpfs /nix/var || exit 91
[ "$sockdir" = 1 ] && mkdir -p /nix/var/nix/daemon-socket
# no configuration from this machine: only the case's
rm -rf /etc/nix /etc/xdg/nix
case $conf in
"") ;;
-)
	mkdir /etc/nix && echo 'trusted-users = root' >/etc/nix/nix.conf &&
		chmod 0600 /etc/nix/nix.conf
	;;
*)
	mkdir /etc/nix && cp "$conf" /etc/nix/nix.conf &&
		chmod 0644 /etc/nix/nix.conf
	[ -e "$conf.inc" ] && cp "$conf.inc" /etc/nix/extra.conf
	;;
esac
cd "$T/proj" || exit 92
if [ "$who" = user ]; then
	setpriv --reuid=jailtest --regid=jailtest --clear-groups \
	    env HOME="$T/home" USER=jailtest "$launcher" >/dev/null 2>"$T/ns.err"
else
	env HOME="$T/home" "$launcher" >/dev/null 2>"$T/ns.err"
fi
echo $? >"$T/ns.rc"
EOF

ns_skip=
if [ "$(id -u)" != 0 ]; then
	ns_skip="a private mount namespace with its own /etc needs root"
elif ! command -v unshare >/dev/null; then
	ns_skip="unshare(1) is not installed"
elif [ ! -d /nix/var ]; then
	ns_skip="no /nix/var to put a tmpfs on"
elif ! mkdir -p "$T/probe/up" "$T/probe/wk" ||
    ! unshare -m --propagation private sh -c \
    "mount -t overlay overlay -o lowerdir=/etc,upperdir=$T/probe/up,workdir=$T/probe/wk /etc" \
    2>/dev/null; then
	ns_skip="no overlay file system on /etc here"
fi

# nixcase LABEL WHO PROFILE CONF SOCKDIR WANT [GREP]: the launch exits
# WANT in both forms; with GREP, its message matches.
nixcase() {
	for b in shell exe; do
		l="$1 ($2, $b)"
		eval "skip=\$${2}_skip"
		[ -z "$skip" ] && skip=$ns_skip
		if [ -n "$skip" ]; then
			tap_skip "$l" "$skip"
			continue
		fi
		rm -f "$T/ns.rc"
		unshare -m --propagation private \
		    sh "$T/ns.sh" "$T" "$4" "$5" "$2" "$T/$3.$b"
		rc=$(cat "$T/ns.rc" 2>/dev/null)
		[ "$rc" = "$6" ] && { [ -z "${7-}" ] || grep -q "$7" "$T/ns.err"; }
		tap $? "$l: exits $6 ($rc)"
		[ "$rc" = "$6" ] || tap_diag "$(cat "$T/ns.err")"
	done
}

printf 'trusted-users = root\n' >"$T/c.root"
printf '# the default, spelt out\ntrusted-users = root   # only root\n' \
    >"$T/c.root2"
printf 'trusted-users = root jailtest\n' >"$T/c.user"
printf 'trusted-users = root\nextra-trusted-users = @jailtest\n' \
    >"$T/c.group"
printf 'trusted-users = jailtest\ntrusted-users = root\n' >"$T/c.replaced"
printf 'include extra.conf\n' >"$T/c.inc"
printf 'extra-trusted-users = *\n' >"$T/c.inc.inc"
printf 'include missing.conf\n' >"$T/c.missing"
printf '!include missing.conf\ntrusted-users = root\n' >"$T/c.optional"
printf 'trusted-users=jailtest\n' >"$T/c.bad"

nixcase "root is always trusted: refused" root nixd "" 1 125 \
    "to root .*drop nix-daemon from the profile"
nixcase "root without a daemon here: the optional bind is skipped" \
    root nixd "" 0 0
nixcase "root, a jail without the daemon's socket" root nonix "" 1 0
nixcase "a user the daemon does not trust" user nixd "$T/c.root" 1 0
nixcase "comments and spaces" user nixd "$T/c.root2" 1 0
nixcase "no nix.conf: the default trusts root alone" user nixd "" 1 0
nixcase "trusted-users names the user: refused" user nixd "$T/c.user" 1 \
    125 "the daemon trusts jailtest (trusted-users in /etc/nix/nix.conf names jailtest).*remove jailtest from trusted-users"
nixcase "extra-trusted-users names its group: refused" user nixd \
    "$T/c.group" 1 125 "names @jailtest"
nixcase "a later trusted-users replaces an earlier one" user nixd \
    "$T/c.replaced" 1 0
nixcase "an include that trusts everyone: refused" user nixd "$T/c.inc" 1 \
    125 "trusted-users in /etc/nix/extra.conf names \*"
nixcase "include of a missing file: cannot tell, refused" user nixd \
    "$T/c.missing" 1 125 "cannot tell whether the daemon trusts jailtest"
nixcase "!include of a missing file is skipped" user nixd \
    "$T/c.optional" 1 0
nixcase "nix.conf the user cannot read: refused" user nixd - 1 125 \
    "cannot read /etc/nix/nix.conf"
nixcase "a line the daemon would refuse: refused" user nixd "$T/c.bad" 1 \
    125 "nix.conf:1: a line the daemon would refuse"

# --- Helpers found by absolute path -----------------------------------

# A project whose .venv/bin is on PATH, where an earlier jail planted
# git and bwrap; each leaves a mark and fails.
(cd "$T/proj" && git init -q . && mkdir -p .venv/bin tools) || exit 1
for h in git bwrap; do
	printf '#!/bin/sh\ntouch "%s/m/planted-%s"\nexit 1\n' "$T" "$h" \
	    >"$T/proj/.venv/bin/$h"
	cp "$T/proj/.venv/bin/$h" "$T/proj/tools/$h"
done
chmod -R a+rwX "$T/proj"
chmod 0755 "$T/proj/.venv/bin/git" "$T/proj/.venv/bin/bwrap" \
    "$T/proj/tools/git" "$T/proj/tools/bwrap"
printf '%s\n' 'version = 1' 'name = "proj"' 'extends = ["base", "git"]' \
    '[command]' 'exec = "/bin/true"' '[[mount]]' "ro = \"$T\"" '[[mount]]' \
    'rw = "${PROJECT_ROOT}"' >"$T/proj.jail"
compile proj
tap $? "a jail with the project writable and git's identity compiles"
cp "$T/proj.jail" "$T/pinned.jail"
compile pinned -D "BWRAP=$T/proj/tools/bwrap"
tap $? "... pinned to a bwrap in the project"
cp "$T/proj.jail" "$T/pgit.jail"
compile pgit -D "GIT=$T/proj/tools/git"
tap $? "... pinned to a git in the project"
"$JAILC" compile -t plan -D "GIT=$T/proj/tools/git" "$T/pgit.jail" \
    2>/dev/null | grep -qx "git $T/proj/tools/git"
tap $? "the plan names the pinned git"
"$JAILC" compile -t plan -D GIT=git "$T/pgit.jail" >/dev/null 2>"$T/out"
[ $? = 2 ] && grep -q 'GIT needs an absolute path' "$T/out"
tap $? "-D GIT needs an absolute path"

for who in root user; do
	eval "skip=\$${who}_skip"
	for b in shell exe; do
		l="$who ($b)"
		if [ -n "$skip" ]; then
			tap_skip "$l: helpers" "$skip"
			continue
		fi
		rm -f "$T/m/planted-git" "$T/m/planted-bwrap"
		(cd "$T/proj" && PATH="$T/proj/.venv/bin:$PATH" \
		    as "$who" "$T/proj.$b") >"$T/out" 2>&1
		rc=$?
		[ $rc = 0 ]
		tap $? "$l: runs with a planted git and bwrap on PATH ($rc)" ||
			tap_diag "$(cat "$T/out")"
		[ ! -e "$T/m/planted-git" ]
		tap $? "$l: the planted git did not run"
		[ ! -e "$T/m/planted-bwrap" ]
		tap $? "$l: the planted bwrap did not run"

		(cd "$T/proj" && as "$who" "$T/pinned.$b") >"$T/out" 2>&1
		rc=$?
		[ $rc = 125 ] &&
			grep -q "refusing to run $T/proj/tools/bwrap .*lies under $T/proj, which the jail can write" \
			    "$T/out"
		tap $? "$l: a pinned bwrap under a writable mount is refused ($rc)" ||
			tap_diag "$(cat "$T/out")"
		(cd "$T/proj" && as "$who" "$T/pinned.$b" --jail-check) \
		    >"$T/out" 2>&1
		[ $? != 0 ] && grep -q "refusing to run $T/proj/tools/bwrap" \
		    "$T/out"
		tap $? "$l: --jail-check says so too"
		[ ! -e "$T/m/planted-bwrap" ]
		tap $? "$l: ... and it did not run"

		(cd "$T/proj" && as "$who" "$T/pgit.$b") >"$T/out" 2>&1
		rc=$?
		[ $rc = 125 ] &&
			grep -q "refusing to run $T/proj/tools/git .*lies under $T/proj, which the jail can write" \
			    "$T/out"
		tap $? "$l: a pinned git under a writable mount is refused ($rc)" ||
			tap_diag "$(cat "$T/out")"
		[ ! -e "$T/m/planted-git" ]
		tap $? "$l: ... and it did not run"
	done
done

# The review commands run git through the same code.
rm -f "$T/m/planted-git"
(cd "$T/proj" && PATH="$T/proj/.venv/bin:$PATH" HOME="$T/home" \
    "$JAILC" explain --resolve "$T/proj.jail") >"$T/out" 2>&1
[ ! -e "$T/m/planted-git" ]
tap $? "explain --resolve: the planted git on PATH did not run"
# A system git under a writable mount: review says the launch would stop.
# (Only reviewed: no jail with /usr writable is started.)
printf '%s\n' 'version = 1' '[command]' 'exec = "/bin/true"' '[[mount]]' \
    'rw = "${PROJECT_ROOT}"' '[[mount]]' 'rw = "/usr"' >"$T/usr.jail"
(cd "$T/proj" && HOME="$T/home" "$JAILC" explain --resolve "$T/usr.jail") \
    >"$T/out" 2>&1
grep -q "note: a launch here would stop: refusing to run /usr/bin/git .*lies under /usr, which the jail can write" \
    "$T/out"
tap $? "explain --resolve: a git under a writable mount is refused, as at launch"
tap_done
