#!/bin/sh
# live.t - the live attack suite: an attacker inside the jail.  The probe
# (tests/attack/probe.c, built into build/attack/probe) runs as the
# command of every shipped agent profile, through both back ends (bash
# launcher and jailrun executable), as root and as the unprivileged user
# jailtest, and tries one attack per case; each case asserts that the
# attack failed, inside (the probe's verdict) and, where the attack aims
# at the host, outside (the host file untouched, the injected input not
# read).  Each case names the CVE or class it stands for.
#
# A case whose defence is not built yet is a TAP TODO naming the missing
# feature: it runs and reports, and fails the suite only once the
# feature's variable below is emptied.  tests/attack.t is the other
# attack suite: hostile launch contexts on the host, before any jail.
. tests/lib.sh

# The defences still missing, one variable each; empty means built, and
# the cases that need it are plain tests.
todo_seccomp=
todo_limits=
# RLIMIT_NPROC never binds the host's uid 0 (the kernel exempts it in
# fork), and root in the jail is uid 0 outside too: a root launch caps
# it with a pids cgroup instead.
todo_rootnproc=
todo_prot=
todo_caps=""
todo_abstract=
todo_environ=""

AGENTS="claude opencode crush gemini-cli codex"

PROBE=$PWD/build/attack/probe
if [ ! -x "$PROBE" ]; then
	echo "1..0 # SKIP $PROBE is not built (make build/attack/probe)"
	exit 0
fi
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
for t in script bash git; do
	if ! command -v $t >/dev/null; then
		echo "1..0 # SKIP $t not installed"
		exit 0
	fi
done

# A scratch directory the unprivileged user can reach; the probe is
# copied there for the same reason.
T=$(mktemp -d /tmp/jailc-live.XXXXXX) || exit 1
chmod 0755 "$T"
tap_user_runtime "$T" || exit 1
server=
cleanup() {
	# shellcheck disable=SC2086 # a list of pids
	[ -n "$server" ] && kill $server 2>/dev/null
	chmod -R u+rwX "$T" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT
[ -n "${KEEP-}" ] && trap - EXIT
mkdir "$T/bin"
cp "$PROBE" "$T/probe"
chmod 0755 "$T/probe"

# Who can run a jail here (tests/lib.sh).
tap_jail_users

# as WHO COMMAND...: run COMMAND as WHO (root, or user) with WHO's fake
# home and TMPDIR and the secrets of $T/WHO/host.env in its environment
# (sourced from a file: they are on no command line), with descriptors
# 3 to 9 closed but 7, which is open on a host directory outside every
# mount (the runc CVE-2016-9962 class: a descriptor is a way out of any
# mount namespace).  With as_bg set, in the background, pid in bgpid.
as() {
	as_who=$1
	shift
	set -- env -i /bin/sh -c \
	    'set -a; . "$1"; set +a; shift; exec "$@"' sh \
	    "$T/$as_who/host.env" "$@"
	if [ "$as_who" = user ] && [ "$user_via" = setpriv ]; then
		set -- setpriv --reuid=jailtest --regid=jailtest --clear-groups "$@"
	fi
	if [ -n "${as_bg-}" ]; then
		"$@" 3>&- 4>&- 5>&- 6>&- 8>&- 9>&- 7<"$T/$as_who/outside" &
		bgpid=$!
	else
		"$@" 3>&- 4>&- 5>&- 6>&- 8>&- 9>&- 7<"$T/$as_who/outside"
	fi
}

# check TODO DESCRIPTION STATUS: a plain case when TODO is empty, else
# a TODO case with TODO as its reason.
check() {
	if [ -n "$1" ]; then
		tap_todo "$3" "$2" "$1"
	else
		tap "$3" "$2"
	fi
}

# blocked OUT LABEL: the probe's line for LABEL in OUT says blocked; on
# failure show the line.
blocked() {
	b_line=$(grep -a -F -e "$2: " "$1" | head -n 1)
	case $b_line in
	"$2: blocked"*) return 0 ;;
	"") tap_diag "no result for '$2' in $1" ;;
	*) tap_diag "$b_line" ;;
	esac
	return 1
}

# unchanged FILE: FILE has the content saved in FILE.orig.
unchanged() {
	cmp -s "$1" "$1.orig" && return 0
	tap_diag "$1 changed"
	return 1
}

# The bash the terminal runs: the launcher, then whatever its jail left
# in the terminal's input, read as the shell outside would read it.
# (script's own end-of-file on stdin arrives as an empty line.)
cat >"$T/tty.sh" <<'EOF'
"$@"
rc=$?
while read -r -t 0; do IFS= read -r line; echo "outer-read: $line"; done
echo "launcher-exit: $rc"
EOF

# --- The profiles -----------------------------------------------------

# jail NAME EXTENDS [TOML]: a profile that extends EXTENDS and runs the
# probe, bound read-only at /jailc-probe, compiled for both back ends
# into $T/bin/NAME.shell and $T/bin/NAME.exe.
jail() {
	{
		printf 'version = 1\nextends = ["%s"]\n' "$2"
		printf '[command]\nexec = "/jailc-probe"\n'
		printf '[[mount]]\nro = "%s"\ndest = "/jailc-probe"\n' "$T/probe"
		printf '%s\n' "${3-}"
	} >"$T/$1.jail"
	"$JAILC" compile --standalone -o "$T/bin/$1.shell" "$T/$1.jail" \
	    2>"$T/$1.err" &&
		"$JAILC" compile -t exe -o "$T/bin/$1.exe" "$T/$1.jail" \
		    2>>"$T/$1.err" &&
		chmod 0755 "$T/bin/$1.shell" "$T/bin/$1.exe"
}

for a in $AGENTS; do
	jail "$a" "$a"
	tap $? "$a: the probe's profile, extending $a, compiles for both back ends"
	[ -f "$T/bin/$a.exe" ] || tap_diag "$(cat "$T/$a.err")"
done
# The control: what the probe must see escape.
cat >"$T/control.toml" <<EOF
[env]
allow = ["ANTHROPIC_API_KEY"]
[[mount]]
ro = "~/.ssh"
[[mount]]
rw = "\${PROJECT_ROOT}"
[[mount]]
rw = "$T/host.sock"
[git]
protect-hooks = false
[protect]
remove = [{ path = ".husky/", reason = "the control writes the hooks" }]
[seccomp]
profile = "off"
[process]
nested-sandbox = true
[network]
mode = "host"
abstract-sockets = "host"
[risk.accept]
mount-secret = "the control shows that the probe can read the key"
EOF
jail control base "$(cat "$T/control.toml")"
tap $? "the control profile compiles for both back ends"
# The fork bomb needs a profile that sets limits.
jail limits claude '[process.limits]
nproc = 64'
rc=$?
check "$todo_limits" "a profile with process.limits compiles" $rc
[ "$rc" = 0 ] || tap_diag "$(grep -v 'note:' "$T/limits.err" | head -n 3)"

# --- The host ---------------------------------------------------------

# setup WHO: the fake home with a key and a .bashrc, a host process with
# a secret in its environment, the secrets the launchers get, and a
# template project: a git repository with a profile, .vscode, no .envrc
# and no .idea, whose hooks live in .husky (core.hooksPath, as husky
# sets it).
setup() {
	U=$T/$1
	mkdir -p "$U/home/.ssh" "$U/tmp" "$U/tpl/.vscode" "$U/outside"
	echo PRIVATE-KEY >"$U/home/.ssh/id_ed25519"
	chmod 0600 "$U/home/.ssh/id_ed25519"
	echo 'export PS1=host' >"$U/home/.bashrc"
	cp "$U/home/.bashrc" "$U/home/.bashrc.orig"
	od -An -N12 -tx1 /dev/urandom | tr -d ' \n' | sed 's/^/sk-canary-/' \
	    >"$U/canary"
	od -An -N12 -tx1 /dev/urandom | tr -d ' \n' | sed 's/^/host-only-/' \
	    >"$U/hostsecret"
	c=$(cat "$U/canary") h=$(cat "$U/hostsecret")
	cat >"$U/host.env" <<EOF
HOME='$U/home' USER='$(id -un)' TMPDIR='$U/tmp' PATH=/usr/bin:/bin
ANTHROPIC_API_KEY='$c' OPENAI_API_KEY='$c' GEMINI_API_KEY='$c'
HOST_ONLY_SECRET='$h' GITHUB_TOKEN='$h'
EOF
	git init -q "$U/tpl" &&
		git -C "$U/tpl" -c user.name=t -c user.email=t@example.org \
		    commit -q --allow-empty -m init
	git -C "$U/tpl" config core.hooksPath .husky
	mkdir "$U/tpl/.husky"
	echo 'npx lint-staged' >"$U/tpl/.husky/pre-commit"
	echo '{ "version": "2.0.0", "tasks": [] }' >"$U/tpl/.vscode/tasks.json"
	cp "$T/claude.jail" "$U/tpl/agent.jail"
	cp "$U/canary" "$U/hostsecret" "$U/tpl/"
	if [ "$1" = user ] && [ "$user_via" = setpriv ]; then
		chown -R jailtest:jailtest "$U"
	fi
}

# project WHO NAME: a fresh copy of WHO's template project, in P.
project() {
	P=$T/$1/$2
	rm -rf "$P"
	cp -a "$T/$1/tpl" "$P"
	for f in .git/config .vscode/tasks.json agent.jail .husky/pre-commit; do
		cp "$P/$f" "$P/$f.orig"
	done
}

# Host unix sockets: one in a directory no profile mounts, one in the
# abstract namespace, which belongs to the network namespace.
"$T/probe" serve "$T/host.sock" "$T/host.ready" >/dev/null 2>&1 &
server=$!
"$T/probe" serve "@jailc-live-$$" "$T/abstract.ready" >/dev/null 2>&1 &
server="$server $!"
tap_waitfor "$T/host.ready" && tap_waitfor "$T/abstract.ready"
tap $? "the host's unix sockets are listening"
chmod 0777 "$T/host.sock"

# The verbs of the main run; the TIOCSTI ones need the terminal.
main_verbs() {
	printf '%s\n' tiocsti tiocsti-high tioclinux unshare-user clone3 \
	    mount fsopen ptrace-sibling \
	    read "$U/home/.ssh/id_ed25519" scan-environ hostsecret \
	    scan-cmdline canary \
	    write .git/hooks/pre-commit write .git/config \
	    write "$U/home/.bashrc" write agent.jail write .vscode/tasks.json \
	    symlink-replace .git/hooks symlink-replace .vscode \
	    write .husky/pre-commit symlink-replace .husky \
	    create .envrc create .idea/ \
	    connect "$T/host.sock" connect "@jailc-live-$$" \
	    fds nnp caps x32 i386
}

# --- The cases --------------------------------------------------------

# run_main WHO AGENT BACKEND: one jail on a terminal, every verb; then the
# cases, on the probe's lines and on the host.
run_main() {
	w=$1 a=$2 b=$3 l="$1: $2 ($3)"
	project "$w" main
	cd "$P" || return
	o=$U/main.out
	# script wants one command string: the verbs are words without
	# spaces or quotes.
	as "$w" script -qec "bash $T/tty.sh $T/bin/$a.$b $(main_verbs |
	    tr '\n' ' ')" /dev/null </dev/null 2>&1 |
		tr -d '\r' >"$o"
	grep -q -x 'launcher-exit: [01]' "$o"
	tap $? "$l: the jail ran the probe on a terminal"
	grep -q -x 'launcher-exit: [01]' "$o" || tap_diag "$(cat "$o")"

	# Terminal injection: the probe's verdict and what the shell outside
	# would read next.
	grep '^outer-read: jailc-sti' "$o" | while IFS= read -r line; do
		tap_diag "the shell outside read: ${line#outer-read: }"
	done
	blocked "$o" tiocsti && ! grep -q 'jailc-sti-plain' "$o"
	check "$todo_seccomp" \
	    "$l: TIOCSTI pushes nothing into the terminal outside (CVE-2017-5226)" $?
	blocked "$o" tiocsti-high && ! grep -q 'jailc-sti-high' "$o"
	check "$todo_seccomp" \
	    "$l: TIOCSTI with bits above 32 pushes nothing (CVE-2019-10063)" $?
	# On script's pseudo-terminal TIOCLINUX gives ENOTTY with or without
	# the filter, so this one cannot fail here: it guards a launch on a
	# Linux virtual console.  The EPERM case after it is the one that
	# fails when the filter lets TIOCLINUX through.
	blocked "$o" tioclinux
	tap $? "$l: TIOCLINUX paste fails (CVE-2023-1523)"
	grep -q -x 'tioclinux: blocked EPERM' "$o"
	check "$todo_seccomp" \
	    "$l: TIOCLINUX is refused by the filter, before the driver (EPERM)" $?

	# The kernel's attack surface.
	blocked "$o" unshare-user
	check "$todo_seccomp" \
	    "$l: unshare(CLONE_NEWUSER) fails (user-namespace kernel bugs, CVE-2022-0185 class)" $?
	blocked "$o" clone3
	check "$todo_seccomp" \
	    "$l: clone3(CLONE_NEWUSER) fails (flags hidden from seccomp in memory)" $?
	blocked "$o" mount
	check "$todo_seccomp" "$l: mount fails, also in a new user namespace (CVE-2021-41133 class)" $?
	blocked "$o" fsopen
	check "$todo_seccomp" "$l: fsopen fails, also in a new user namespace (CVE-2022-0185)" $?
	blocked "$o" ptrace-sibling
	check "$todo_seccomp" "$l: ptrace of a sibling fails (CVE-2019-13272 class)" $?
	# Where the kernel has no x32 ABI (CONFIG_X86_X32_ABI, or
	# syscall.x32=n) the call gives ENOSYS with or without the filter:
	# then this guards kernels that have it, and launch.t's x32 case
	# (SIGSYS, not ENOSYS) is the one that fails when the filter does.
	# run_controls shows whether it can fail here.
	blocked "$o" x32
	check "$todo_seccomp" "$l: unshare through the x32 table fails (filter bypass by ABI)" $?
	blocked "$o" i386
	check "$todo_seccomp" "$l: unshare through int 0x80 (i386) fails (filter bypass by ABI)" $?

	# Secrets.
	blocked "$o" "read $U/home/.ssh/id_ed25519"
	tap $? "$l: the planted ~/.ssh key is unreadable (credential theft)"
	blocked "$o" "scan-environ hostsecret"
	check "$todo_environ" \
	    "$l: no /proc/*/environ holds a host-only secret (environ leak)" $?
	blocked "$o" "scan-cmdline canary"
	tap $? "$l: no /proc/*/cmdline in the jail holds the API key (ps leak)"

	# Files the host runs later.
	blocked "$o" "write .git/hooks/pre-commit" &&
		[ ! -e .git/hooks/pre-commit ]
	tap $? "$l: writing .git/hooks/pre-commit fails (hook planting, CVE-2024-32002 class)"
	blocked "$o" "write .git/config" && unchanged .git/config
	tap $? "$l: writing .git/config fails (core.fsmonitor, CVE-2022-24765 class)"
	# (the write may work in the jail's own home: the probe must have
	# tried it, and the host's file be as it was)
	grep -q -a -F -e "write $U/home/.bashrc: " "$o" &&
		unchanged "$U/home/.bashrc"
	tap $? "$l: writing ~/.bashrc does not reach the host's (shell rc planting)"
	blocked "$o" "write agent.jail" && unchanged agent.jail
	check "$todo_prot" "$l: writing the project's *.jail fails (the agent widening its jail)" $?
	blocked "$o" "write .vscode/tasks.json" && unchanged .vscode/tasks.json
	check "$todo_prot" "$l: writing .vscode/tasks.json fails (editor task autorun)" $?
	blocked "$o" "symlink-replace .git/hooks" && [ ! -L .git/hooks ] &&
		[ -d .git/hooks ]
	tap $? "$l: .git/hooks cannot be replaced by a symbolic link (rename around a mount)"
	blocked "$o" "write .husky/pre-commit" && unchanged .husky/pre-commit
	tap $? "$l: writing .husky/pre-commit fails (core.hooksPath: hooks in the worktree, husky)"
	blocked "$o" "symlink-replace .husky" && [ ! -L .husky ] &&
		[ -d .husky ]
	tap $? "$l: .husky (core.hooksPath) cannot be replaced by a symbolic link"
	blocked "$o" "symlink-replace .vscode" && [ ! -L .vscode ]
	check "$todo_prot" "$l: .vscode cannot be replaced by a symbolic link (rename around a mount)" $?
	# A missing one may be made in the jail (no placeholder shows on
	# the host); it is moved aside when the jail exits.
	[ ! -e .envrc ] && [ -e .envrc.jail-quarantine ]
	check "$todo_prot" "$l: a missing .envrc made in the jail is moved aside at exit (direnv autorun)" $?
	[ ! -e .idea ] && [ -d .idea.jail-quarantine ]
	check "$todo_prot" "$l: a missing .idea/ made in the jail is moved aside at exit (editor autorun)" $?

	# Ways out.
	blocked "$o" "connect $T/host.sock"
	tap $? "$l: connect() to an unmounted host unix socket fails (docker.sock class)"
	blocked "$o" "connect @jailc-live-$$"
	check "$todo_abstract" "$l: connect() to a host abstract unix socket fails (X11, D-Bus abstract sockets)" $?
	blocked "$o" fds
	tap $? "$l: no descriptor beyond 0, 1 and 2 is open: --args, data and host fds closed (CVE-2016-9962 class)"
	# bwrap sets no_new_privs whatever jailrun asks, so this fails only
	# with a bwrap that does not (-D BWRAP=, a wrapper in its place):
	# it guards the runtime's assumption that bwrap does.
	# run_controls shows that the probe reports NoNewPrivs=0.
	blocked "$o" nnp
	tap $? "$l: NoNewPrivs is 1 (set-user-ID escalation)"
	blocked "$o" caps
	rc=$?
	if [ "$w" = root ]; then
		check "$todo_caps" "$l: no capability is effective, permitted or ambient (capability escape)" $rc
	else
		tap $rc "$l: no capability is effective, permitted or ambient (capability escape)"
	fi
	cd "$T" || return
}

# run_controls WHO: the probe sees an attack that works, so that its
# "blocked" means something.  On the host: descriptor 7, through script
# too.  In a jail that mounts the key, the socket and the project with
# no protection, and has no seccomp filter: each attack must escape.
# Whether this kernel runs int 0x80 at all (IA32 emulation may be built
# out or turned off with ia32_emulation=0): the probe, outside any jail
# and filter, says.  Without it the controls cannot show the i386 route.
i386_skip=
case $("$PROBE" i386 2>&1) in
*": ESCAPED"*) ;;
*) i386_skip="this kernel has no i386 entry: int 0x80 fails outside any jail too" ;;
esac
# The same for the x32 table.
x32_skip=
case $("$PROBE" x32 2>&1) in
*": ESCAPED"*) ;;
*) x32_skip="this kernel has no x32 ABI: the call fails outside any jail too" ;;
esac

run_controls() {
	w=$1 l="$1: control"
	as "$w" "$T/probe" fds >"$U/ctl.fds" 2>&1
	grep -q "^fds: ESCAPED open:.* 7=$T/$w/outside" "$U/ctl.fds"
	tap $? "$l: on the host, the probe sees descriptor 7 on a host directory"
	as "$w" script -qec "$T/probe fds" /dev/null </dev/null 2>&1 |
	    tr -d '\r' >"$U/ctl.fds"
	grep -q "^fds: ESCAPED open:.* 7=$T/$w/outside" "$U/ctl.fds"
	tap $? "$l: so it does on script's terminal"
	as "$w" "$T/probe" nnp >"$U/ctl.nnp" 2>&1
	grep -q '^nnp: ESCAPED' "$U/ctl.nnp"
	tap $? "$l: on the host, the probe reports NoNewPrivs unset"
	as "$w" "$T/probe" x32 >"$U/ctl.x32" 2>&1
	if [ -n "$x32_skip" ]; then
		tap_skip "$l: on the host, the probe reports x32 escaping" \
		    "$x32_skip ($(head -n 1 "$U/ctl.x32"))"
	else
		grep -q '^x32: ESCAPED' "$U/ctl.x32"
		tap $? "$l: on the host, the probe reports x32 escaping"
	fi
	project "$w" control
	cd "$P" || return
	for b in shell exe; do
		as "$w" script -qec "bash $T/tty.sh $T/bin/control.$b \
		    read $U/home/.ssh/id_ed25519 scan-environ canary \
		    read $(cat canary) scan-cmdline canary \
		    write .git/hooks/pre-commit write .husky/pre-commit \
		    connect $T/host.sock connect @jailc-live-$$ tiocsti \
		    tiocsti-high unshare-user clone3 mount fsopen \
		    ptrace-sibling i386" /dev/null </dev/null 2>&1 |
			tr -d '\r' >"$U/ctl.out"
		for c in "read $U/home/.ssh/id_ed25519" "scan-environ canary" \
		    "scan-cmdline canary" "write .git/hooks/pre-commit" \
		    "write .husky/pre-commit" "connect $T/host.sock" \
		    "connect @jailc-live-$$" tiocsti tiocsti-high unshare-user \
		    clone3 mount fsopen ptrace-sibling i386; do
			if [ "$c" = i386 ] && [ -n "$i386_skip" ]; then
				tap_skip "$l ($b): the probe reports '$c' escaping when it can" \
				    "$i386_skip"
				continue
			fi
			grep -q -F -e "$c: ESCAPED" "$U/ctl.out"
			tap $? "$l ($b): the probe reports '$c' escaping when it can"
		done
		grep -q -x 'outer-read: jailc-sti-plain' "$U/ctl.out" &&
			grep -q -x 'outer-read: jailc-sti-high' "$U/ctl.out"
		tap $? "$l ($b): the shell outside reads what TIOCSTI pushed"
	done
	cd "$T" || return
}

# run_hold WHO AGENT BACKEND: a jail holding the API key stays up while
# the host reads every /proc/*/cmdline.
run_hold() {
	w=$1 a=$2 b=$3 l="$1: $2 ($3)"
	project "$w" hold
	cd "$P" || return
	rm -f ready go
	as_bg=1 as "$w" "$T/bin/$a.$b" hold "$P/ready" "$P/go" \
	    >"$U/hold.out" 2>&1
	as_bg=
	if tap_waitfor "$P/ready"; then
		n=$(cat /proc/[0-9]*/cmdline 2>/dev/null | tr '\0' '\n' |
		    grep -c -e '^bwrap$' -e '/bwrap$')
		hits=$(grep -a -l -F -f "$U/canary" /proc/[0-9]*/cmdline \
		    2>/dev/null)
		[ "$n" -ge 1 ] && [ -z "$hits" ]
		rc=$?
	else
		rc=1
	fi
	: >"$P/go"
	wait "$bgpid"
	tap $rc "$l: while it runs, no host /proc/*/cmdline holds the API key (secret in argv)"
	[ -z "${hits-}" ] || tap_diag "found in: $hits"
	cd "$T" || return
}

# run_planted WHO AGENT BACKEND TODO PATH FILE: between compile and
# launch, PATH became a symbolic link to x, elsewhere in the project (a
# directory, or a file when PATH is FILE): a target that the jail can
# see and write, which the host's git or editor then uses.  The jail
# must not write FILE through the link: refusing to start (125) because
# of that link, or a failed write, both hold; a launch that fails for
# any other reason does not.
run_planted() {
	w=$1 a=$2 b=$3 l="$1: $2 ($3)" todo=$4
	project "$w" planted
	rm -rf "${P:?}/${5:?}"
	if [ "$5" = "$6" ]; then
		echo host >"$P/x"
		t=$P/x
	else
		mkdir "$P/x"
		t=$P/x/${6##*/}
	fi
	ln -s "$P/x" "$P/$5"
	if [ "$w" = user ] && [ "$user_via" = setpriv ]; then
		chown -h jailtest:jailtest "$P/$5" "$P/x"
	fi
	cd "$P" || return
	as "$w" "$T/bin/$a.$b" write "$6" >"$U/planted.out" 2>&1
	rc=$?
	if [ "$rc" = 125 ]; then
		grep -q -F "$P/$5 is a symbolic link" "$U/planted.out" || {
			tap_diag "status 125, not for the link: $(head -n 2 "$U/planted.out")"
			false
		}
	else
		blocked "$U/planted.out" "write $6"
	fi &&
		if [ "$5" = "$6" ]; then
			[ "$(cat "$t")" = host ]
		else
			[ ! -e "$t" ]
		fi
	check "$todo" \
	    "$l: a $5 symlink planted before launch is not written through ($rc)" $?
	cd "$T" || return
}

# run_forkbomb WHO BACKEND: with process.limits, a fork bomb stops short.
run_forkbomb() {
	w=$1 b=$2 l="$1: limits ($2)"
	if [ ! -x "$T/bin/limits.$b" ]; then
		tap_todo 1 "$l: a fork bomb is capped by process.limits" \
		    "$todo_limits"
		return
	fi
	project "$w" limits
	cd "$P" || return
	# A root launch needs a pids cgroup; a host without a usable one
	# refuses it (launch.t tests the refusal), and says why.
	if [ "$w" = root ] &&
		! as "$w" "$T/bin/limits.$b" --jail-check >"$U/limits.ck" 2>&1 &&
		grep -q 'process.limits.nproc cannot bind' "$U/limits.ck"; then
		tap_skip "$l: a fork bomb is capped by process.limits" \
		    "$(grep -m 1 'process.limits.nproc cannot bind' "$U/limits.ck")"
		cd "$T" || return
		return
	fi
	as "$w" "$T/bin/limits.$b" forkbomb 500 >"$U/limits.out" 2>&1
	blocked "$U/limits.out" "forkbomb 500"
	rc=$?
	if [ "$w" = root ]; then
		check "$todo_rootnproc" \
		    "$l: a fork bomb is capped by process.limits" $rc
	else
		check "$todo_limits" \
		    "$l: a fork bomb is capped by process.limits" $rc
	fi
	cd "$T" || return
}

here=$PWD
for who in root user; do
	case $who in
	root) skip=$root_skip ;;
	*) skip=$user_skip ;;
	esac
	if [ -n "$skip" ]; then
		tap_skip "$who: every live attack" "$skip"
		continue
	fi
	setup "$who"
	run_controls "$who"
	for a in $AGENTS; do
		for b in shell exe; do
			run_main "$who" "$a" "$b"
			run_hold "$who" "$a" "$b"
			run_planted "$who" "$a" "$b" "" .git/hooks \
			    .git/hooks/pre-commit
			run_planted "$who" "$a" "$b" "" .git/config .git/config
			run_planted "$who" "$a" "$b" "" .husky \
			    .husky/pre-commit
			run_planted "$who" "$a" "$b" "$todo_prot" .vscode \
			    .vscode/tasks.json
		done
	done
	for b in shell exe; do
		run_forkbomb "$who" "$b"
	done
	cd "$here" || exit 1
done

tap_done
