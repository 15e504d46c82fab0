#!/bin/sh
# hosts.t - issue 15: the jails work where their users are.
#
# Real jails, through both back ends (shell launcher and jailrun
# executable), as root and as the unprivileged user jailtest:
#   - Debian and Ubuntu: awk and which, links through /etc/alternatives,
#     run in the base jail;
#   - NixOS: /etc/zoneinfo, the user's /etc/profiles/per-user/USER/bin,
#     /nix/var/nix/profiles and ~/.nix-profile reach the jail, and
#     LOCALE_ARCHIVE passes (played, where this host lacks them, in a
#     private mount namespace whose /etc is a tmpfs holding the host's
#     entries and the fake NixOS ones);
#   - agents installed the usual ways in the home directory (Claude
#     Code's native installer, a user npm prefix, bun) are found on the
#     jail's PATH, read-only;
#   - git: a commit in the jail where the host has no identity, and
#     safe.directory over the repositories nested in the project;
#   - make demo installs what its jail needs through tools/deps.sh demo
#     (a stand-in apt-get records what it is asked for).
. tests/lib.sh

AGENTS="claude opencode crush gemini-cli codex"

JAILRUN=${JAILC_BIN:-.}/jailrun
case $JAILRUN in
/*) ;;
*) JAILRUN=$PWD/$JAILRUN ;;
esac
export JAILRUN
if [ ! -x "$JAILRUN" ]; then
	echo "1..0 # SKIP $JAILRUN is not built (make jailrun)"
	exit 0
fi
if ! command -v git >/dev/null; then
	echo "1..0 # SKIP git not installed"
	exit 0
fi

T=$(mktemp -d /tmp/jailc-hosts.XXXXXX) || exit 1
chmod 0755 "$T"
tap_user_runtime "$T" || exit 1
cleanup() {
	chmod -R u+rwX "$T" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT
[ -n "${KEEP-}" ] && trap - EXIT
mkdir "$T/bin"
cat >"$T/run" <<'EOF'
#!/bin/sh
[ "$1" = --dangerously-skip-permissions ] && shift
exec "$@"
EOF
chmod 0755 "$T/run"

tap_jail_users

# --- make demo's packages -----------------------------------------------

# tools/deps.sh demo on a host without bwrap: a PATH holding only id and
# a stand-in apt-get that records its arguments.
mkdir -p "$T/deps"
ln -s "$(command -v id)" "$T/deps/id"
cat >"$T/deps/apt-get" <<EOF
#!/bin/sh
echo "\$*" >>"$T/deps/asked"
EOF
chmod 0755 "$T/deps/apt-get"
if [ "$(id -u)" = 0 ]; then
	PATH=$T/deps /bin/sh tools/deps.sh demo >"$T/deps/out" 2>&1
	rc=$?
	[ "$rc" = 0 ] && grep -q 'install .*bubblewrap' "$T/deps/asked" 2>/dev/null
	tap $? "make demo: tools/deps.sh demo installs bubblewrap where bwrap is missing"
	[ "$rc" = 0 ] || tap_diag "$(cat "$T/deps/out")"
	grep -q '^demo: .*deps.sh demo' Makefile ||
		grep -A1 '^demo:' Makefile | grep -q 'deps.sh demo'
	tap $? "make demo runs tools/deps.sh demo before the demo"
else
	tap_skip "make demo installs bubblewrap" "apt-get is run only by root"
	tap_skip "make demo runs tools/deps.sh demo" "apt-get is run only by root"
fi

# --- The profiles -------------------------------------------------------

# jail NAME EXTENDS [TOML]: a profile that extends EXTENDS and runs
# $T/run (its arguments), with the current directory read-only, compiled
# for both back ends into $T/bin/NAME.shell and NAME.exe.
jail() {
	{
		printf 'version = 1\nextends = ["%s"]\n' "$2"
		printf '[command]\nexec = "/jailc-run"\n'
		printf '[[mount]]\nro = "%s"\ndest = "/jailc-run"\n' "$T/run"
		printf '%s\n' "${3-}"
	} >"$T/$1.jail"
	"$JAILC" compile --standalone -o "$T/bin/$1.shell" "$T/$1.jail" \
	    2>"$T/$1.err" &&
		"$JAILC" compile -t exe -o "$T/bin/$1.exe" "$T/$1.jail" \
		    2>>"$T/$1.err" &&
		chmod 0755 "$T/bin/$1.shell" "$T/bin/$1.exe"
}

jail base base '[[mount]]
ro = "${CWD}"
[risk.accept]
project-root-home = "the tests run in a scratch directory"'
tap $? "base: a profile extending base compiles for both back ends"
[ -f "$T/bin/base.exe" ] || tap_diag "$(cat "$T/base.err")"
for a in $AGENTS; do
	jail "$a" "$a"
	tap $? "$a: a profile extending $a compiles for both back ends"
	[ -f "$T/bin/$a.exe" ] || tap_diag "$(cat "$T/$a.err")"
done

jail gitp 'base", "git' '[[mount]]
rw = "${PROJECT_ROOT}"'
tap $? "git: a profile extending base and git compiles for both back ends"
[ -f "$T/bin/gitp.exe" ] || tap_diag "$(cat "$T/gitp.err")"

# --- The host -----------------------------------------------------------

# setup WHO: WHO's directory: a home with a Nix profile link and agents
# installed the usual ways, a project, and the environment to run in.
setup() {
	U=$T/$1
	H=$U/home
	mkdir -p "$U/tmp" "$U/p" "$U/nixenv/bin" "$U/xdgnix/profile/bin" \
	    "$H/.local/share/claude/versions/9.9.9" "$H/.local/bin" \
	    "$H/.npm-global/bin" "$H/.npm-global/lib/node_modules/fake-npm" \
	    "$H/.bun/bin" "$H/.bun/install/global/node_modules/fake-bun" \
	    "$H/.local/state/nix"
	tool "$U/nixenv/bin/from-nix-env"
	ln -s "$U/nixenv" "$H/.nix-profile"
	tool "$U/xdgnix/profile/bin/from-xdg-nix"
	ln -s "$U/xdgnix" "$H/.local/state/nix/profiles"
	tool "$H/.local/share/claude/versions/9.9.9/claude"
	ln -s ../share/claude/versions/9.9.9/claude "$H/.local/bin/claude"
	tool "$H/.npm-global/lib/node_modules/fake-npm/cli.js"
	ln -s ../lib/node_modules/fake-npm/cli.js "$H/.npm-global/bin/fake-npm"
	tool "$H/.bun/install/global/node_modules/fake-bun/cli.js"
	ln -s ../install/global/node_modules/fake-bun/cli.js "$H/.bun/bin/fake-bun"
	upath="$H/.local/bin:$H/.npm-global/bin:$H/.bun/bin:$H/.nix-profile/bin"
	upath="$upath:$H/.local/state/nix/profiles/profile/bin"
	upath="$upath:/etc/profiles/per-user/$2/bin:/nix/var/nix/profiles/default/bin"
	cat >"$U/env" <<EOF
HOME='$H' USER='$2' TMPDIR='$U/tmp' PATH='$upath:/usr/bin:/bin'
LOCALE_ARCHIVE=/usr/lib/locale/locale-archive
EOF
	if [ "$1" = user ] && [ "$user_via" = setpriv ]; then
		chown -R jailtest:jailtest "$U"
	fi
}

# tool FILE: a program that prints its name.
tool() {
	printf '#!/bin/sh\necho "ran ${0##*/}"\n' >"$1"
	chmod 0755 "$1"
}

# as WHO COMMAND...: run COMMAND as WHO with WHO's environment, in WHO's
# project.
as() {
	as_who=$1
	shift
	set -- env -i /bin/sh -c 'set -a; . "$1"; set +a; shift; cd "$1" &&
	    shift && exec "$@"' sh "$T/$as_who/env" "$T/$as_who/p" "$@"
	if [ "$as_who" = user ] && [ "$user_via" = setpriv ]; then
		set -- setpriv --reuid=jailtest --regid=jailtest --clear-groups "$@"
	fi
	"$@"
}

# --- The cases ----------------------------------------------------------

alts=
case $(readlink /usr/bin/awk 2>/dev/null) in
/etc/alternatives/*) alts=1 ;;
esac

# run_layout WHO BACKEND: the host's layout in the base jail.
run_layout() {
	w=$1 b=$2 l="$1: base ($2)"
	if [ -n "$alts" ]; then
		out=$(as "$w" "$T/bin/base.$b" /bin/sh -c \
		    'command -v which && which awk && awk "BEGIN { print \"awk ran\" }"' 2>&1)
		case $out in
		*"awk ran"*) r=0 ;;
		*) r=1 ;;
		esac
		tap $r "$l: which and awk, links through /etc/alternatives, run"
		[ $r = 0 ] || tap_diag "$out"
	else
		tap_skip "$l: awk through /etc/alternatives" \
		    "/usr/bin/awk is not a link into /etc/alternatives here"
	fi
	out=$(as "$w" "$T/bin/base.$b" /bin/sh -c \
	    'from-nix-env; from-xdg-nix; echo "LOCALE_ARCHIVE=$LOCALE_ARCHIVE"' 2>&1)
	case $out in
	*"ran from-nix-env"*"ran from-xdg-nix"*"LOCALE_ARCHIVE=/usr/lib/locale/locale-archive"*) r=0 ;;
	*) r=1 ;;
	esac
	tap $r "$l: nix-env's tools (~/.nix-profile, XDG state profiles) run; LOCALE_ARCHIVE passes"
	[ $r = 0 ] || tap_diag "$out"
	out=$(as "$w" "$T/bin/base.$b" /bin/sh -c \
	    'touch ~/.nix-profile/bin/x 2>/dev/null && echo WRITABLE; echo done' 2>&1)
	[ "$out" = "done" ]
	tap $? "$l: the Nix profile is read-only"
	[ "$out" = "done" ] || tap_diag "$out"
}

# run_agents WHO AGENT BACKEND: the agent's usual install locations.
run_agents() {
	w=$1 a=$2 b=$3 l="$1: $2 ($3)"
	want="ran fake-npm ran fake-bun"
	cmd='fake-npm; fake-bun'
	if [ "$a" = claude ]; then
		cmd="claude; $cmd"
		want="ran claude $want"
	fi
	out=$(as "$w" "$T/bin/$a.$b" /bin/sh -c "$cmd; touch ~/.npm-global/bin/x ~/.bun/bin/x 2>/dev/null && echo WRITABLE" 2>"$T/agents.err")
	[ "$(echo "$out" | tr '\n' ' ')" = "$want " ]
	tap $? "$l: agents installed with npm's user prefix and bun$([ "$a" = claude ] && echo ', and the native installer'), found and read-only"
	[ "$(echo "$out" | tr '\n' ' ')" = "$want " ] ||
		tap_diag "$out" "$(cat "$T/agents.err")"
}

# run_git WHO BACKEND: a commit in the jail where the host has no git
# identity (no ~/.gitconfig), and git status in a repository nested in
# the project that belongs to another user than the jail's.
run_git() {
	w=$1 b=$2 l="$1: git ($2)"
	G=$T/$w/g
	rm -rf "$G"
	mkdir -p "$G"
	git init -q "$G/top" && git init -q "$G/top/nested" &&
		git -C "$G/top" -c user.name=t -c user.email=t@example.org \
		    commit -q --allow-empty -m init
	if [ "$w" = user ] && [ "$user_via" = setpriv ]; then
		chown -R jailtest:jailtest "$G"
	fi
	# shellcheck disable=SC2016 # expanded in the jail
	out=$(cd "$G/top" && as_in "$w" "$G/top" "$T/bin/gitp.$b" /bin/sh -c \
	    'git commit -q --allow-empty -m jailed && git log -1 --format="%an <%ae>"' 2>&1)
	[ "$out" = "jailc agent <agent@jail.invalid>" ]
	tap $? "$l: with no identity on the host, a commit in the jail is made as jailc agent <agent@jail.invalid>"
	[ "$out" = "jailc agent <agent@jail.invalid>" ] || tap_diag "$out"
	out=$(as_in "$w" "$G/top" "$T/bin/gitp.$b" /bin/sh -c 'cat ~/.gitconfig' 2>&1)
	case $out in
	*"directory = \"$G/top\""*"directory = \"$G/top/*\""*) r=0 ;;
	*) r=1 ;;
	esac
	tap $r "$l: safe.directory names the project and every path below it"
	[ $r = 0 ] || tap_diag "$out"
	# A nested repository of another user: root's jail in jailtest's
	# checkout.
	if [ "$w" != root ] || [ "$user_via" != setpriv ]; then
		tap_skip "$l: git status in a nested repository of another user" \
		    "only root's jail sees a checkout of another user"
		return
	fi
	gv=$(git version | sed 's/^git version //')
	case $gv in
	1.* | 2.[0-9].* | 2.[0-3][0-9].* | 2.4[0-5].*)
		tap_skip "$l: git status in a nested repository of another user" \
		    "git $gv reads safe.directory's /* only from 2.46 on (jail(5), BUGS)"
		return
		;;
	esac
	chown -R jailtest:jailtest "$G"
	out=$(as_in root "$G/top" "$T/bin/gitp.$b" /bin/sh -c \
	    'git status --short && git -C nested status --short && echo both' 2>&1)
	[ "$out" = both ]
	tap $? "$l: git status in the project and in a repository nested in it, both jailtest's"
	[ "$out" = both ] || tap_diag "$out"
}

# as_in WHO DIR COMMAND...: as, in DIR.
as_in() {
	ai_who=$1 ai_dir=$2
	shift 2
	set -- env -i /bin/sh -c 'set -a; . "$1"; set +a; cd "$2" &&
	    shift 2 && exec "$@"' sh "$T/$ai_who/env" "$ai_dir" "$@"
	if [ "$ai_who" = user ] && [ "$user_via" = setpriv ]; then
		set -- setpriv --reuid=jailtest --regid=jailtest --clear-groups "$@"
	fi
	"$@"
}

# The NixOS layout, played as root in a private mount namespace: /etc a
# tmpfs holding the host's entries plus zoneinfo and profiles/per-user,
# and /nix/var/nix/profiles (where the host has it) a scratch directory.
nixos_root_ok=
if [ "$(id -u)" = 0 ] && command -v unshare >/dev/null &&
    unshare -m --propagation private true 2>/dev/null; then
	nixos_root_ok=1
fi
cat >"$T/nixos.sh" <<'EOF'
# nixos.sh T WHO USER COMMAND...: COMMAND with a NixOS-like /etc.
set -e
t=$1 who=$2 u=$3
shift 3
mkdir -p "$t/etc.host" "$t/nixos/user-env/bin" "$t/nixos/profiles/default/bin"
mount --bind /etc "$t/etc.host"
mount -t tmpfs -o mode=0755 jailc-etc /etc
for e in "$t"/etc.host/* "$t"/etc.host/.[!.]*; do
	[ -e "$e" ] || [ -L "$e" ] || continue
	n=/etc/${e##*/}
	if [ -L "$e" ]; then cp -P "$e" "$n"
	elif [ -d "$e" ]; then mkdir "$n" && mount --bind "$e" "$n"
	else : >"$n" && mount --bind "$e" "$n"
	fi
done
mkdir -p /etc/zoneinfo /etc/profiles/per-user
mount --bind /usr/share/zoneinfo /etc/zoneinfo
printf '#!/bin/sh\necho "ran ${0##*/}"\n' >"$t/nixos/user-env/bin/from-per-user"
printf '#!/bin/sh\necho "ran ${0##*/}"\n' >"$t/nixos/profiles/default/bin/from-nix-profiles"
chmod -R a+rX "$t/nixos"
chmod 0755 "$t"/nixos/*/bin/* "$t"/nixos/profiles/default/bin/*
ln -s "$t/nixos/user-env" "/etc/profiles/per-user/$u"
if [ -d /nix/var/nix/profiles ]; then
	mount --bind "$t/nixos/profiles" /nix/var/nix/profiles
fi
exec "$@"
EOF

# run_nixos WHO BACKEND
run_nixos() {
	w=$1 b=$2 l="$1: base ($2), NixOS layout"
	if [ -z "$nixos_root_ok" ]; then
		tap_skip "$l" "a private mount namespace needs root and unshare"
		return
	fi
	if [ ! -f /usr/share/zoneinfo/Asia/Tokyo ]; then
		tap_skip "$l" "no /usr/share/zoneinfo/Asia/Tokyo to play /etc/zoneinfo"
		return
	fi
	u=$(id -un)
	[ "$w" = user ] && [ "$user_via" = setpriv ] && u=jailtest
	pre=
	[ "$w" = user ] && [ "$user_via" = setpriv ] &&
		pre="setpriv --reuid=jailtest --regid=jailtest --clear-groups"
	# shellcheck disable=SC2016 # expanded in the jail
	inner='TZDIR=/etc/zoneinfo TZ=Asia/Tokyo date +%Z; from-per-user'
	[ -d /nix/var/nix/profiles ] && inner="$inner; from-nix-profiles"
	# shellcheck disable=SC2086 # pre is words
	out=$(unshare -m --propagation private /bin/sh "$T/nixos.sh" "$T" "$w" "$u" \
	    $pre env -i /bin/sh -c 'set -a; . "$1"; set +a; cd "$2" && shift 2 &&
	    exec "$@"' sh "$T/$w/env.nixos" "$T/$w/p" \
	    "$T/bin/base.$b" /bin/sh -c "$inner" 2>&1)
	want="JST ran from-per-user"
	[ -d /nix/var/nix/profiles ] && want="$want ran from-nix-profiles"
	[ "$(echo "$out" | tr '\n' ' ')" = "$want " ]
	tap $? "$l: /etc/zoneinfo (TZ=Asia/Tokyo is JST), /etc/profiles/per-user/USER/bin$([ -d /nix/var/nix/profiles ] && echo ' and /nix/var/nix/profiles') reach the jail"
	[ "$(echo "$out" | tr '\n' ' ')" = "$want " ] || tap_diag "$out"
	[ -d /nix/var/nix/profiles ] ||
		tap_diag "no /nix/var/nix/profiles here to play over: not checked"
}

for w in root user; do
	case $w in
	root) why=$root_skip ;;
	user) why=$user_skip ;;
	esac
	if [ -n "$why" ]; then
		tap_skip "$w: the host's layout and the agents' install locations" "$why"
		continue
	fi
	uname=$(id -un)
	[ "$w" = user ] && [ "$user_via" = setpriv ] && uname=jailtest
	setup "$w" "$uname"
	sed 's/^LOCALE_ARCHIVE=.*//' "$T/$w/env" >"$T/$w/env.nixos"
	[ "$w" = user ] && [ "$user_via" = setpriv ] &&
		chown jailtest:jailtest "$T/$w/env.nixos"
	for b in shell exe; do
		run_layout "$w" "$b"
		run_nixos "$w" "$b"
		run_git "$w" "$b"
		for a in $AGENTS; do
			run_agents "$w" "$a" "$b"
		done
	done
done

tap_done
