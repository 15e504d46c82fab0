#!/bin/sh
# launch.t - compiled launchers in real bubblewrap sandboxes: isolation,
# environment, exit statuses and signals, the work directory, project
# identity across git worktrees, adversarial values, the launcher flags
# and protected git files.  Every case runs as root and as an
# unprivileged user (jailtest, created when missing), or says why not.
. tests/lib.sh

# LAUNCH_BACKEND=jailrun (tests/launch-jailrun.t): the same cases with
# single-file jailrun launchers (jailc compile -t exe) for bash ones.
case ${LAUNCH_BACKEND:-shell} in
shell) target=--standalone ;;
jailrun)
	target="-t exe"
	JAILRUN=${JAILC_BIN:-.}/jailrun
	case $JAILRUN in
	/*) ;;
	*) JAILRUN=$PWD/$JAILRUN ;;
	esac
	if [ ! -x "$JAILRUN" ]; then
		echo "1..0 # SKIP $JAILRUN is not built (make jailrun)"
		exit 0
	fi
	export JAILRUN
	;;
*)
	echo "launch.t: unknown LAUNCH_BACKEND $LAUNCH_BACKEND" >&2
	exit 2
	;;
esac

# A scratch directory the unprivileged user can reach (tests/out may lie
# below a directory it cannot traverse).  Work directories may be left
# read-only by a failing case, hence the chmod.
T=$(mktemp -d /tmp/jailc-launch.XXXXXX) || exit 1
chmod 0755 "$T"
tap_user_runtime "$T" || exit 1
trap 'chmod -R u+rwX "$T" 2>/dev/null; rm -rf "$T"' EXIT
# KEEP=1 keeps it, for a look after a failure.
[ -n "${KEEP-}" ] && trap - EXIT
mkdir "$T/bin"

nl='
'
tab=$(printf '\t')
cr=$(printf '\r')
esc=$(printf '\033')

# prof NAME [EXTENDS] <TOML: compile a profile into $T/bin/NAME.  It
# extends EXTENDS (default "base"), runs /bin/sh (the user's arguments
# are then -c SCRIPT) with the project root writable; the TOML on stdin
# goes inside [command] until it opens a table of its own.
prof() {
	if [ -n "${2-}" ]; then
		ext=$2
	else
		ext='"base"'
	fi
	{
		printf 'version = 1\nextends = [%s]\n' "$ext"
		printf '[command]\nexec = "/bin/sh"\n'
		cat
		printf '[[mount]]\nrw = "${PROJECT_ROOT}"\n'
	} >"$T/$1.jail"
	# shellcheck disable=SC2086 # $target is one or two words, and
	# $prof_defs some -D words
	if ! "$JAILC" compile $target ${prof_defs-} -o "$T/bin/$1" "$T/$1.jail" \
	    2>"$T/$1.err"; then
		tap_diag "cannot compile $1:" "$(cat "$T/$1.err")"
		return 1
	fi
	chmod 0755 "$T/bin/$1"
}

# as WHO COMMAND...: run COMMAND as WHO (root, or user: the unprivileged
# one) with WHO's fake home and TMPDIR, in the current directory.  With
# as_bg set, in the background, leaving its pid (the launcher's, as
# setpriv and env exec) in bgpid.
as() {
	as_who=$1
	shift
	if [ "$as_who" = user ] && [ "$user_via" = setpriv ]; then
		set -- setpriv --reuid=jailtest --regid=jailtest --clear-groups \
		    env HOME="$T/user/home" USER=jailtest TMPDIR="$T/user/tmp" "$@"
	else
		set -- env HOME="$T/$as_who/home" USER="$(id -un)" \
		    TMPDIR="$T/$as_who/tmp" "$@"
	fi
	if [ -n "${as_bg-}" ]; then
		"$@" &
		bgpid=$!
	else
		"$@"
	fi
}

# gone FILE: whether no /proc/*/cmdline holds a line of FILE, waiting up
# to 5 s for it to go.  The needle is read from a file so that grep's own
# command line does not hold it.
gone() {
	g_i=0
	while grep -a -q -F -f "$1" /proc/[0-9]*/cmdline 2>/dev/null; do
		[ "$g_i" -ge 100 ] && return 1
		sleep 0.05
		g_i=$((g_i + 1))
	done
}

# argv_val NAME <PRINT-ARGV: the value bwrap would --setenv for NAME.
argv_val() {
	tr '\0' '\n' | sed -n "/^--setenv\$/{n;/^$1\$/{n;p;q;};}"
}

# has FILE LINE: FILE holds exactly LINE; on failure show FILE.
has() {
	if grep -q -x -F -e "$2" "$1"; then
		return 0
	fi
	tap_diag "no line '$2' in $1:" "$(cat "$1")"
	return 1
}

# Who can run a jail here (tests/lib.sh).
tap_jail_users

# A python3 the unprivileged user can run too, for the terminal case.
py=
for p in /usr/bin/python3 /usr/local/bin/python3 "$(command -v python3)"; do
	if [ -x "$p" ]; then
		py=$p
		break
	fi
done
cat >"$T/ptyrun.py" <<'EOF'
# ptyrun.py READY COMMAND...: run COMMAND on a new terminal, type ^C once
# READY exists, print the exit status (128+N for signal N).
import os, pty, select, signal, sys, time
pid, fd = pty.fork()
if pid == 0:
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    os.execvp(sys.argv[2], sys.argv[2:])
end = time.time() + 10
while not os.path.exists(sys.argv[1]) and time.time() < end:
    time.sleep(0.02)
os.write(fd, b'\x03')
while True:
    try:
        r, _, _ = select.select([fd], [], [], 10)
        if not r or not os.read(fd, 4096):
            break
    except OSError:
        break
_, st = os.waitpid(pid, 0)
print(128 + os.WTERMSIG(st) if os.WIFSIGNALED(st) else os.WEXITSTATUS(st))
EOF
chmod 0644 "$T/ptyrun.py"

# --- The profiles -----------------------------------------------------

prof iso <<'EOF'
[network]
mode = "none"
EOF
prof env <<'EOF'
[env]
allow = ["JT_*", "CANARY_SECRET"]
deny = ["*_TOKEN"]
extra-from = "JAIL_EXTRA"
EOF
# exec: the launcher execs bwrap; stay: it stays to remove WORKDIR.
prof exec </dev/null
prof stay <<'EOF'
[env]
set = { JAIL_WD = "${WORKDIR}" }
[state]
workdir = true
EOF
prof nodie <<'EOF'
[process]
die-with-parent = false
EOF
# Not through prof: this one binds the project read-only.
printf '%s\n' 'version = 1' 'extends = ["base", "git"]' '[command]' \
    'exec = "/bin/sh"' '[[mount]]' 'ro = "${PROJECT_ROOT}"' >"$T/gitro.jail"
# shellcheck disable=SC2086 # $target is one or two words
"$JAILC" compile $target -o "$T/bin/gitro" "$T/gitro.jail" \
    2>"$T/gitro.err" || tap_diag "cannot compile gitro:" "$(cat "$T/gitro.err")"
prof ident <<'EOF'
[env]
set = { JT_PID = "${PROJECT_ID}", JT_ROOT = "${PROJECT_ROOT}", JT_TREE = "${WORKTREE}" }
[[mount]]
rw = "${WORKTREE}"
EOF
prof redact <<'EOF'
[env]
allow = ["ANTHROPIC_API_KEY"]
EOF
prof missing <<'EOF'
[[mount]]
ro = "/nonexistent/jailc-x"
EOF
prof create <<'EOF'
[[mount]]
rw = "~/.local/state/jt"
create = true
EOF
prof gitp '"base", "git"' </dev/null
# The launcher never looks for git in PATH: these are pinned to none, and
# to one that fails (made below).
prof_defs="-D GIT=/nonexistent/git" prof gitnone '"base", "git"' </dev/null
prof_defs="-D GIT=$T/oldgit/git" prof gitold '"base", "git"' </dev/null
# Protected paths: a dotfiles checkout mounted writable, where ~/.bashrc
# leads; the linked worktree writable too; and one path let go.
prof prot '"base", "git"' <<'EOF'
[[mount]]
rw = "~/dotfiles"
[[mount]]
rw = "${WORKTREE}"
EOF
prof unprot '"base", "git"' <<'EOF'
[protect]
remove = [{ path = ".envrc", reason = "direnv is not used on this machine" }]
EOF
prof hpoff '"base", "git"' <<'EOF'
[protect]
remove = [{ path = "git:core.hooksPath", reason = "husky is not used here" }]
EOF
# The seccomp filter and the process limits: the default filter, none,
# ptrace given back, a nested sandbox allowed, and limits.
prof sc </dev/null
prof scoff <<'EOF'
[seccomp]
profile = "off"
EOF
prof scptrace <<'EOF'
[seccomp]
allow = ["ptrace"]
[risk.accept]
seccomp-allow-escape = "the test runs a debugger"
EOF
prof nest <<'EOF'
[process]
nested-sandbox = true
EOF
prof lim <<'EOF'
[process.limits]
nofile = 256
fsize = 1048576
cpu = 600
EOF
# process.limits.nproc: a launch by root gets a pids cgroup (jail(5),
# process.limits), since RLIMIT_NPROC does not bind uid 0.
prof nproc <<'EOF'
[process.limits]
nproc = 64
EOF
# ... and one the user's other processes (RLIMIT_NPROC counts them all,
# other tests' jails among them) cannot use up.
prof nprocbig <<'EOF'
[process.limits]
nproc = 4096
EOF
# ... and one without its own pid namespace, which a process can outlive.
prof nprocshared <<'EOF'
[process]
share = ["pid"]
[process.limits]
nproc = 64
EOF
# A launcher whose filter is for another machine: the same launcher with
# the machine's name changed (and, in a blob, the checksum made right).
machine=$(cat /proc/sys/kernel/arch 2>/dev/null || uname -m)
cat >"$T/foreign.py" <<'EOF'
import struct, sys, zlib
data = bytearray(open(sys.argv[1], "rb").read())
old = b"\nseccomp " + sys.argv[3].encode() + b" "
if data.startswith(b"#!"):
    # the shell launcher's plan names the machine once, on its line
    assert data.count(old) == 1
    data = data.replace(old, b"\nseccomp " + b"z" * len(sys.argv[3]) + b" ")
else:
    # jailrun with a blob, found by the trailer: the name, the checksum
    off, blen = struct.unpack("<QQ", data[-16:])
    blob = data[off:off + blen]
    name = sys.argv[3].encode() + b"\0"
    i = blob.index(b"\0" + name, 80) + 1
    blob[i:i + len(name) - 1] = b"z" * (len(name) - 1)
    struct.pack_into("<I", blob, 36, 0)
    struct.pack_into("<I", blob, 36, zlib.crc32(bytes(blob)))
    data[off:off + blen] = blob
open(sys.argv[2], "wb").write(data)
EOF
if [ -n "$py" ] && [ -f "$T/bin/sc" ]; then
	"$py" "$T/foreign.py" "$T/bin/sc" "$T/bin/scforeign" "$machine" &&
		chmod 0755 "$T/bin/scforeign"
fi

# Adversarial values, once as TOML and once as the bytes they must be
# ("$$" is a profile's "$").  The script prints its arguments, "==",
# then the variables.
prof adv <<'EOF'
args = ['-c', '''printf '%s\000' "$$@" == "$$JT_V01" "$$JT_V02" "$$JT_V03" "$$JT_V04" "$$JT_V05" "$$JT_V06" "$$JT_V07" "$$JT_V08" "$$JT_V09" "$$JT_V10" "$$JT_V11" "$$JT_V12" "$$JT_V13"''', "jt",
  "it's \"double\" and 'single'",
  "$$(touch pwned-sub) $$(touch /tmp/jailc-launch-pwned)",
  "`touch pwned-tick`",
  "line1\nline2\n",
  "* ? [a-z] /*",
  "-n",
  "--jail-dry-run",
  "  two  spaces\tand\ttabs  ",
  "é 漢 😀",
  "back\\slash \\n \\\\ %s %d",
  "$$HOME $$$$ $$1 ~ !x",
  "",
  "cr\resc\u001b[31m"]
[env.set]
JT_V01 = "it's \"double\" and 'single'"
JT_V02 = "$$(touch pwned-sub) $$(touch /tmp/jailc-launch-pwned)"
JT_V03 = "`touch pwned-tick`"
JT_V04 = "line1\nline2\n"
JT_V05 = "* ? [a-z] /*"
JT_V06 = "-n"
JT_V07 = "--jail-dry-run"
JT_V08 = "  two  spaces\tand\ttabs  "
JT_V09 = "é 漢 😀"
JT_V10 = "back\\slash \\n \\\\ %s %d"
JT_V11 = "$$HOME $$$$ $$1 ~ !x"
JT_V12 = ""
JT_V13 = "cr\resc\u001b[31m"
EOF
# shellcheck disable=SC2016 # literal on purpose
set -- "it's \"double\" and 'single'" \
    '$(touch pwned-sub) $(touch /tmp/jailc-launch-pwned)' \
    '`touch pwned-tick`' "line1${nl}line2${nl}" '* ? [a-z] /*' -n \
    --jail-dry-run "  two  spaces${tab}and${tab}tabs  " 'é 漢 😀' \
    'back\slash \n \\ %s %d' '$HOME $$ $1 ~ !x' '' "cr${cr}esc${esc}[31m"
# The user's own arguments, among them a launcher flag in second place,
# which must pass untouched.
# shellcheck disable=SC2016
uargs_1='$(touch pwned-user)' uargs_2='--jail-dry-run' uargs_3="a${nl}b" \
    uargs_4='*' uargs_5=''
printf '%s\0' "$@" "$uargs_1" "$uargs_2" "$uargs_3" "$uargs_4" "$uargs_5" \
    == "$@" >"$T/adv.expect"
set --

# --- The cases, for each user -----------------------------------------

run_cases() {
	w=$1
	U=$T/$w
	P=$U/proj
	mkdir -p "$U/home/.ssh" "$U/home/.config/app" "$U/tmp" "$P/keep" \
	    "$U/wt" "$U/gitp" "$U/out"
	echo PRIVATE-KEY >"$U/home/.ssh/id_ed25519"
	chmod 0600 "$U/home/.ssh/id_ed25519"
	echo 'export SECRET=1' >"$U/home/.bashrc"
	echo token >"$U/home/.config/app/token"
	echo keep-me >"$P/keep/canary"
	# Git repositories: a main checkout with a linked worktree, another
	# repository, and one whose hooks are protected.
	for r in wt/main wt/other gitp protp; do
		HOME=$U/home git init -q "$U/$r" &&
			HOME=$U/home git -C "$U/$r" -c user.name=t \
			    -c user.email=t@example.org commit -q --allow-empty -m init
	done
	mkdir "$U/wt/main/sub"
	HOME=$U/home git -C "$U/wt/main" worktree add -q ../linked 2>/dev/null
	ln -s main "$U/wt/alias"
	# Three copies of the protected repository for the attacks that
	# break it.
	for r in gitp2 gitp3; do
		cp -R "$U/gitp" "$U/$r"
	done
	cp "$U/gitp/.git/config" "$U/gitp.config"
	# Projects for the protected paths: one with an editor directory
	# and a profile, a copy whose .envrc is a link out of it, a copy
	# where .envrc is let go; a dotfiles checkout ~/.bashrc leads into.
	mkdir "$U/protp/.vscode" "$U/home/dotfiles"
	echo '{}' >"$U/protp/.vscode/tasks.json"
	echo 'version = 1' >"$U/protp/agent.jail"
	echo 'echo hi' >"$U/home/dotfiles/bashrc"
	echo 'outside' >"$U/outside-envrc"
	cp -R "$U/protp" "$U/protl"
	cp -R "$U/protp" "$U/protu"
	# ... and one with an empty .claude, whose missing protected paths the jail
	# will try to redirect to a directory outside.
	cp -R "$U/protp" "$U/protm"
	mkdir "$U/protm/.claude" "$U/elsewhere" "$U/elsewhere/commands" \
	    "$U/elsewhere/agents"
	ln -s ../outside-envrc "$U/protl/.envrc"
	# core.hooksPath: hooks in the worktree (a .githooks directory; not
	# husky's .husky, which is on the protected list anyway), named in
	# the repository's config (hp, hpm: a missing directory), in the
	# global one only (hpg), or not at all (hpu).
	for r in hp hpm hpg hpu hpb; do
		HOME=$U/home git init -q "$U/$r"
		[ "$r" = hpm ] && continue
		mkdir "$U/$r/.githooks"
		echo orig >"$U/$r/.githooks/pre-commit"
	done
	git -C "$U/hp" config core.hooksPath .githooks
	git -C "$U/hpm" config core.hooksPath .githooks/_
	printf '[core]\n\thooksPath = .githooks\n' >"$U/hp-global"
	# hpb: a configuration git cannot parse, where it runs no hooks
	printf '[core\n' >>"$U/hpb/.git/config"
	chmod 0555 "$P/keep"
	[ "$w" = user ] && [ "$user_via" = setpriv ] &&
		chown -R jailtest:jailtest "$U"
	o=$U/out

	# 1. Isolation.
	cd "$P" || return
	# shellcheck disable=SC2016
	as "$w" "$T/bin/iso" -c '
		echo "home=$(ls -A "$HOME" | tr "\n" " ")"
		if [ -e "$HOME/.ssh/id_ed25519" ] || cat "$HOME/.ssh/id_ed25519" 2>/dev/null; then
			echo key=visible
		else
			echo key=absent
		fi
		echo x >"$HOME/outside" && echo home-write=ok
		(echo x >/usr/jailc-probe) 2>&1 | grep -q "Read-only" && echo usr-write=erofs
		(echo x >/etc/jailc-probe) 2>/dev/null; echo etc-write=done
		echo x >inproj && echo proj-write=ok
		for m in /usr /nix/store; do
			[ -d "$m" ] || { echo "mount $m absent"; continue; }
			while read -r _ _ _ _ mp opts _; do
				[ "$mp" = "$m" ] && echo "mount $m ${opts%%,*}"
			done </proc/self/mountinfo
		done
		echo "net=$(sed 1,2d /proc/net/dev | cut -d: -f1 | tr -d " " | tr "\n" " ")"
	' >"$o/iso" 2>"$o/iso.err"
	tap $? "$w: isolation: a jail runs and exits 0"
	has "$o/iso" "home="
	tap $? "$w: isolation: HOME is empty inside"
	has "$o/iso" "key=absent"
	tap $? "$w: isolation: the planted ssh key is absent and unreadable"
	has "$o/iso" "home-write=ok" && [ ! -e "$U/home/outside" ]
	tap $? "$w: isolation: a write to HOME lands on a tmpfs, not the host"
	has "$o/iso" "usr-write=erofs" && [ ! -e /usr/jailc-probe ]
	tap $? "$w: isolation: writing to /usr fails (read-only file system)"
	has "$o/iso" "mount /usr ro"
	tap $? "$w: isolation: /usr is mounted read-only"
	if [ -d /nix/store ]; then
		has "$o/iso" "mount /nix/store ro"
		tap $? "$w: isolation: /nix/store is mounted read-only"
	else
		tap_skip "$w: isolation: /nix/store is mounted read-only" \
		    "no /nix/store on this host"
	fi
	has "$o/iso" "etc-write=done" && [ ! -e /etc/jailc-probe ]
	tap $? "$w: isolation: a write to /etc does not reach the host"
	has "$o/iso" "proj-write=ok" && [ -f "$P/inproj" ]
	tap $? "$w: isolation: a project write lands on the host"
	cmp -s "$U/home/.ssh/id_ed25519" - <<'EOF'
PRIVATE-KEY
EOF
	tap $? "$w: isolation: the host's key is untouched"
	has "$o/iso" "net=lo "
	tap $? "$w: isolation: network none leaves only lo"

	# 2. Environment.  The host environment is exactly what follows: a
	# file sourced after env -i, so the canary is on no command line.
	canary=canary-$$-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')
	printf '%s\n' "$canary" >"$T/canary"
	cat >"$o/host.env" <<EOF
HOME='$U/home' USER='$(id -un)' TMPDIR='$U/tmp' PATH=/usr/bin:/bin
JT_ONE=1 JT_TWO='two words' JT_GH_TOKEN=tok NOPE=x FOO=foo BAR=bar
MISSING_NOT=1 JAIL_EXTRA=' FOO, BAR,,UNSET_NAME'
CANARY_SECRET='$canary'
EOF
	[ "$w" = user ] && [ "$user_via" = setpriv ] && chown jailtest "$o/host.env"
	# shellcheck disable=SC2016
	as "$w" env -i 'JT_A-B=x' /bin/sh -c \
	    'set -a; . "$1"; set +a; shift; exec "$@"' sh "$o/host.env" \
	    "$T/bin/env" -c 'env -0' >"$o/env" 2>"$o/env.err"
	tap $? "$w: env: a jail runs"
	tr '\0' '\n' <"$o/env" | sed -n 's/=.*//p' | grep -v -x PWD | sort >"$o/names"
	if printf '%s\n' BAR CANARY_SECRET FOO HOME JT_ONE JT_TWO LOGNAME PATH \
	    TMPDIR USER | cmp -s - "$o/names"; then
		tap 0 "$w: env: exactly the allowed, extra and set names arrive"
	else
		tap 1 "$w: env: exactly the allowed, extra and set names arrive"
		tap_diag "names inside:" "$(cat "$o/names")"
	fi
	tr '\0' '\n' <"$o/env" >"$o/env.lines"
	has "$o/env.lines" "JT_TWO=two words" && has "$o/env.lines" "FOO=foo" &&
		has "$o/env.lines" "HOME=$U/home"
	tap $? "$w: env: values arrive unchanged"
	has "$o/env.lines" "CANARY_SECRET=$canary"
	tap $? "$w: env: the canary in an allowed variable reaches the child"
	# Now hold the jail open and look at every command line.
	rm -f "$P/ready" "$P/go"
	# shellcheck disable=SC2016
	as_bg=1 as "$w" env -i /bin/sh -c \
	    'set -a; . "$1"; set +a; shift; exec "$@"' sh "$o/host.env" \
	    "$T/bin/env" -c '
		printf "%s\n" "$CANARY_SECRET" >seen; : >ready
		i=0; while [ ! -e go ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i+1)); done'
	as_bg=
	tap_waitfor "$P/ready"
	tap $? "$w: env: the jail holding the canary is up"
	n=$(cat /proc/[0-9]*/cmdline 2>/dev/null | tr '\0' '\n' |
		grep -c -e '^bwrap$' -e '/bwrap$')
	hits=$(grep -a -l -F -f "$T/canary" /proc/[0-9]*/cmdline 2>/dev/null)
	[ "$n" -ge 1 ] && [ -z "$hits" ]
	tap $? "$w: env: while it runs ($n bwrap), no /proc/*/cmdline holds the canary"
	[ -z "$hits" ] || tap_diag "found in: $hits"
	: >"$P/go"
	wait "$bgpid"
	cmp -s "$P/seen" "$T/canary"
	tap $? "$w: env: the held jail saw the canary"

	# 3. Exit statuses and signals, on both paths.
	for l in exec stay; do
		for c in 0 1 42; do
			as "$w" "$T/bin/$l" -c "exit $c" >/dev/null 2>&1
			tap $(($? != c)) "$w: $l: exit $c passes through"
		done
		as "$w" "$T/bin/$l" -c 'kill -TERM $$' >/dev/null 2>&1
		tap $(($? != 143)) "$w: $l: death by SIGTERM exits 143"
		as "$w" "$T/bin/$l" -c 'kill -INT $$' >/dev/null 2>&1
		tap $(($? != 130)) "$w: $l: death by SIGINT exits 130"
	done
	# SIGTERM to the launcher that stays: the jail ends, WORKDIR goes.
	echo "jailc-term-probe-$w-$$" >"$o/probe"
	rm -f "$P/ready" "$P/wd"
	as_bg=1 as "$w" "$T/bin/stay" -c '
		printf "%s\n" "$JAIL_WD" >wd; : >ready
		while :; do sleep 0.05; done # '"$(cat "$o/probe")" \
	    >/dev/null 2>&1
	as_bg=
	if tap_waitfor "$P/ready"; then
		kill -TERM "$bgpid"
		wait "$bgpid"
		rc=$?
	else
		kill -KILL "$bgpid"
		rc=timeout
	fi
	[ "$rc" = 143 ]
	tap $? "$w: stay: SIGTERM to the launcher exits 143 ($rc)"
	gone "$o/probe"
	tap $? "$w: stay: SIGTERM to the launcher ends the jailed program"
	wd=$(cat "$P/wd")
	[ -n "$wd" ] && [ ! -e "$wd" ]
	tap $? "$w: stay: SIGTERM to the launcher removes WORKDIR"

	# ^C on a terminal.  The terminal sends SIGINT to the whole
	# foreground process group: the jailed program, but also bwrap,
	# which dies of it; with die-with-parent bwrap's init then takes
	# SIGKILL and the jail with it, so whether the program's own
	# handler gets to run is a race (bubblewrap issue #369).  Without
	# die-with-parent the program's handler must run; with it, the
	# launcher must still exit 130 and clean up.
	if [ -z "$py" ]; then
		tap_skip "$w: ^C cases" "no python3"
	else
		for l in exec stay nodie; do
			rm -f "$P/ready" "$P/saw" "$P/wd"
			as "$w" "$py" "$T/ptyrun.py" "$P/ready" "$T/bin/$l" -c '
				trap "echo int >saw; exit 7" INT; trap "" HUP
				printf "%s\n" "${JAIL_WD-}" >wd; : >ready
				i=0; while [ $i -lt 200 ]; do sleep 0.05; i=$((i+1)); done
			' >"$o/pty" 2>&1
			rc=$(tail -n 1 "$o/pty")
			case $l in
			nodie)
				# bwrap died of SIGINT; the program lives on.
				[ "$rc" = 130 ]
				tap $? "$w: ^C: the launcher exits 130 ($rc)"
				tap_waitfor "$P/saw"
				tap $? "$w: ^C: the jailed program's INT handler runs"
				;;
			*)
				[ "$rc" = 130 ]
				tap $? "$w: $l: ^C: the launcher exits 130 ($rc)"
				if [ -e "$P/saw" ]; then
					tap_diag "$w: $l: ^C: the handler won the race with SIGKILL"
				else
					tap_diag "$w: $l: ^C: the handler lost the race with SIGKILL"
				fi
				;;
			esac
			if [ "$l" = stay ]; then
				wd=$(cat "$P/wd")
				[ -n "$wd" ] && [ ! -e "$wd" ]
				tap $? "$w: stay: ^C: WORKDIR is removed"
			fi
		done
	fi

	# 4. The work directory.
	# shellcheck disable=SC2016
	as "$w" "$T/bin/stay" -c '
		[ -d "$JAIL_WD" ] && [ -w "$JAIL_WD" ] && echo wd=dir
		printf "%s\n" "$JAIL_WD" >wd
		ln -s "$PWD/keep" "$JAIL_WD/link"
		ln -s "$PWD/keep/canary" "$JAIL_WD/filelink"
		mkdir -p "$JAIL_WD/ro/deep"
		echo x >"$JAIL_WD/ro/f"; echo y >"$JAIL_WD/ro/deep/f"
		ln -s "$PWD/keep" "$JAIL_WD/ro/deep/link"
		chmod 0555 "$JAIL_WD/ro/deep" "$JAIL_WD/ro"
		name=$(printf "\n-rf x\n."); name=${name%.}
		echo odd >"$JAIL_WD/$name" && echo odd=made
	' >"$o/wd" 2>"$o/wd.err"
	tap $? "$w: workdir: a jail with WORKDIR runs"
	has "$o/wd" wd=dir
	tap $? "$w: workdir: WORKDIR exists inside and is writable"
	wd=$(cat "$P/wd")
	case $wd in "$U/tmp/jail."??????????) true ;; *) false ;; esac
	tap $? "$w: workdir: WORKDIR is made under TMPDIR ($wd)"
	has "$o/wd" odd=made && [ ! -e "$wd" ] && [ -z "$(ls -A "$U/tmp")" ]
	tap $? "$w: workdir: links, read-only dirs, odd names: all removed"
	[ "$(cat "$P/keep/canary")" = keep-me ] &&
		[ "$(stat -c %a "$P/keep")" = 555 ]
	tap $? "$w: workdir: the linked host directory survives, mode unchanged"

	# 5. Project identity across worktrees.
	main=$(cd "$U/wt/main" && pwd -P)
	want=$(printf '%s' "$main" | sha256sum | cut -c1-16)
	for d in main main/sub linked alias other; do
		(cd "$U/wt/$d" && as "$w" "$T/bin/ident" --jail-print-argv) \
		    >"$o/argv" 2>"$o/argv.err"
		eval "id_$(echo "$d" | tr / _)=\$(argv_val JT_PID <\"\$o/argv\")"
		eval "root_$(echo "$d" | tr / _)=\$(argv_val JT_ROOT <\"\$o/argv\")"
		eval "tree_$(echo "$d" | tr / _)=\$(argv_val JT_TREE <\"\$o/argv\")"
	done
	# shellcheck disable=SC2154 # set by eval
	[ "$id_main" = "$want" ]
	tap $? "$w: project: PROJECT_ID is sha256 of the main checkout ($id_main)"
	# shellcheck disable=SC2154
	[ "$id_linked" = "$want" ] && [ "$root_linked" = "$main" ]
	tap $? "$w: project: a linked worktree has the main checkout's root and id"
	# shellcheck disable=SC2154
	[ "$tree_linked" = "$(cd "$U/wt/linked" && pwd -P)" ] &&
		[ "$tree_main_sub" = "$main" ]
	tap $? "$w: project: WORKTREE is the checkout holding CWD"
	(cd "$U/wt/linked" && as "$w" "$T/bin/ident" -c 'pwd -P; git status --short >/dev/null && echo git-ok') \
	    >"$o/wt" 2>&1
	grep -q git-ok "$o/wt"
	tap $? "$w: project: a jail started in a linked worktree runs there"
	tap_diag "$(cat "$o/wt")"
	# shellcheck disable=SC2154
	[ "$id_main_sub" = "$want" ] && [ "$id_alias" = "$want" ]
	tap $? "$w: project: a subdirectory or a symlinked path has the same id"
	# shellcheck disable=SC2154
	[ -n "$id_other" ] && [ "$id_other" != "$want" ]
	tap $? "$w: project: another repository has another id"
	(cd "$U/wt/main/sub" && as "$w" "$T/bin/ident" -c 'printf %s "$JT_PID"') \
	    >"$o/id" 2>&1
	[ "$(cat "$o/id")" = "$want" ]
	tap $? "$w: project: the real jail sees the same PROJECT_ID"

	# 6. Adversarial values round-trip.
	rm -f /tmp/jailc-launch-pwned
	(cd "$P" && as "$w" "$T/bin/adv" "$uargs_1" "$uargs_2" "$uargs_3" \
	    "$uargs_4" "$uargs_5") >"$o/adv" 2>"$o/adv.err"
	tap $? "$w: values: the jail runs"
	cmp "$o/adv" "$T/adv.expect" >"$o/adv.cmp" 2>&1
	rc=$?
	tap $rc "$w: values: arguments and variables arrive byte for byte"
	[ "$rc" = 0 ] || tap_diag "$(cat "$o/adv.cmp" "$o/adv.err")" \
	    "$(od -c "$o/adv" | head -20)"
	[ ! -e "$P/pwned-sub" ] && [ ! -e "$P/pwned-tick" ] &&
		[ ! -e "$P/pwned-user" ] && [ ! -e /tmp/jailc-launch-pwned ]
	tap $? "$w: values: no \$(...) or backticks ran"
	(cd "$P" && as "$w" "$T/bin/adv" --jail-print-argv) >"$o/adv.argv" 2>&1 &&
		(cd "$P" && as "$w" "$T/bin/adv" --jail-dry-run) >"$o/adv.dry" 2>&1
	tap $? "$w: values: --jail-print-argv and --jail-dry-run succeed"
	[ ! -e "$P/pwned-sub" ] && [ ! -e "$P/pwned-tick" ] &&
		[ ! -e /tmp/jailc-launch-pwned ]
	tap $? "$w: values: not in print or dry-run modes either"

	# 7. The launcher flags.
	cd "$P" || return
	as "$w" env ANTHROPIC_API_KEY="sk-canary-$$" "$T/bin/redact" \
	    --jail-dry-run >"$o/dry" 2>&1
	tap $? "$w: flags: --jail-dry-run exits 0"
	! grep -q "sk-canary-$$" "$o/dry" &&
		grep -q -F -- '--setenv ANTHROPIC_API_KEY <redacted>' "$o/dry"
	tap $? "$w: flags: --jail-dry-run redacts the key"
	as "$w" env ANTHROPIC_API_KEY="sk-canary-$$" "$T/bin/redact" \
	    --jail-print-argv >"$o/pargv" 2>&1
	[ "$(argv_val ANTHROPIC_API_KEY <"$o/pargv")" = "sk-canary-$$" ]
	tap $? "$w: flags: the redacted key is still passed to the jail"
	as "$w" "$T/bin/exec" --jail-check >"$o/check" 2>&1
	rc=$?
	tap $rc "$w: flags: --jail-check exits 0 on this host"
	[ "$rc" = 0 ] || tap_diag "$(cat "$o/check")"
	as "$w" "$T/bin/missing" --jail-check >/dev/null 2>"$o/check"
	rc=$?
	[ "$rc" != 0 ] && grep -q /nonexistent/jailc-x "$o/check"
	tap $? "$w: flags: --jail-check fails naming a missing source ($rc)"
	rm -f "$P/ran"
	as "$w" "$T/bin/missing" -c ': >ran' >/dev/null 2>"$o/miss"
	rc=$?
	[ "$rc" = 125 ] && grep -q /nonexistent/jailc-x "$o/miss" &&
		[ ! -e "$P/ran" ]
	tap $? "$w: flags: a missing source stops the launch: 125, path named ($rc)"
	as "$w" "$T/bin/exec" --jail-foo >/dev/null 2>"$o/foo"
	rc=$?
	[ "$rc" = 125 ] && grep -q -e "--jail-foo" "$o/foo"
	tap $? "$w: flags: an unknown --jail-foo exits 125 ($rc)"
	as "$w" "$T/bin/create" --jail-dry-run >/dev/null 2>&1 &&
		[ ! -e "$U/home/.local/state/jt" ]
	tap $? "$w: flags: --jail-dry-run creates nothing"
	as "$w" "$T/bin/create" -c 'echo x >"$HOME/.local/state/jt/f"' \
	    >/dev/null 2>&1 &&
		[ "$(stat -c %a "$U/home/.local/state/jt")" = 700 ] &&
		[ -f "$U/home/.local/state/jt/f" ]
	tap $? "$w: flags: create = true makes the host directory 0700"

	# 8. Protected git files.
	cd "$U/gitp" || return
	as "$w" "$T/bin/gitp" -c '
		(echo evil >.git/hooks/pre-commit) 2>/dev/null || echo hook=denied
		(echo "[core]" >>.git/config) 2>/dev/null || echo config=denied
		mv .git/hooks .git/hooks-old 2>/dev/null || echo mv-hooks=denied
		echo fine >normal.txt && echo normal=ok
	' >"$o/git" 2>&1
	has "$o/git" hook=denied && [ ! -e .git/hooks/pre-commit ]
	tap $? "$w: git: writing .git/hooks/pre-commit fails"
	has "$o/git" config=denied && cmp -s .git/config "$U/gitp.config"
	tap $? "$w: git: writing .git/config fails"
	has "$o/git" mv-hooks=denied && [ -d .git/hooks ]
	tap $? "$w: git: renaming .git/hooks fails"
	has "$o/git" normal=ok && [ -f normal.txt ]
	tap $? "$w: git: writing a project file works"
	# .git is a mount point in the jail, so it cannot be renamed away
	# and rebuilt.  Known hole: git follows a .git/commondir file to
	# another repository's config and hooks.
	cd "$U/gitp2" || return
	as "$w" "$T/bin/gitp" -c 'mv .git .git-away' >/dev/null 2>&1
	[ -d .git/hooks ] && [ ! -e .git-away ]
	tap $? "$w: git: renaming .git away fails"
	cd "$U/gitp3" || return
	as "$w" "$T/bin/gitp" -c 'echo ../evil >.git/commondir' >/dev/null 2>&1
	[ ! -e .git/commondir ]
	tap $? "$w: git: planting .git/commondir fails, none left behind"
	# A project bound read-only keeps .git read-only: the bind that pins
	# .git must not open it up.
	cd "$U/gitp2" || return
	as "$w" "$T/bin/gitro" -c '(: >.git/x) 2>/dev/null || echo git=denied' \
	    >"$o/gitro" 2>&1
	has "$o/gitro" git=denied && [ ! -e .git/x ]
	tap $? "$w: git: with the project read-only, .git stays read-only"

	# 9. Protected paths (jail(5), PROTECTED PATHS).
	cd "$U/protp" || return
	mv "$U/home/.bashrc" "$U/home/.bashrc.orig"
	ln -s dotfiles/bashrc "$U/home/.bashrc"
	# shellcheck disable=SC2016
	as "$w" "$T/bin/prot" -c '
		(echo x >.vscode/tasks.json) 2>/dev/null || echo vscode=denied
		(echo x >.vscode/new.json) 2>/dev/null || echo vscode-new=denied
		(echo x >agent.jail) 2>/dev/null || echo jail=denied
		(echo x >.envrc) 2>/dev/null || echo envrc=denied
		(echo x >.mcp.json) 2>/dev/null || echo mcp=denied
		(mkdir -p .claude/commands) 2>/dev/null || echo claude=denied
		(echo x >.git/hooks/pre-commit) 2>/dev/null || echo hook=denied
		(echo "[core]" >>.git/config) 2>/dev/null || echo config=denied
		rm -rf .vscode 2>/dev/null
		{ mv .vscode .vscode-old || ln -s /tmp .vscode; } 2>/dev/null ||
			echo swap=denied
		{ rmdir .git/hooks || mv .git/hooks .git/h2; } 2>/dev/null ||
			echo hooks-swap=denied
		(echo x >"$HOME/dotfiles/bashrc") 2>/dev/null || echo bashrc=denied
		echo x >"$HOME/dotfiles/other" && echo dotfiles=ok
		echo fine >normal.txt && echo normal=ok
		git status >/dev/null 2>&1 && echo git=ok
	' >"$o/prot" 2>&1
	rm "$U/home/.bashrc"
	mv "$U/home/.bashrc.orig" "$U/home/.bashrc"
	has "$o/prot" vscode=denied && has "$o/prot" vscode-new=denied &&
		[ "$(cat .vscode/tasks.json)" = '{}' ] && [ ! -e .vscode/new.json ]
	tap $? "$w: protect: .vscode/tasks.json cannot be written"
	has "$o/prot" jail=denied && [ "$(cat agent.jail)" = 'version = 1' ]
	tap $? "$w: protect: a profile in the project cannot be written"
	# Missing ones outside .git: made in the jail, moved aside when it
	# exits; in .git: pinned empty, and gone after the run.
	! has "$o/prot" envrc=denied && ! has "$o/prot" mcp=denied &&
		! has "$o/prot" claude=denied &&
		[ "$(cat .envrc.jail-quarantine)" = x ] &&
		[ "$(cat .mcp.json.jail-quarantine)" = x ] &&
		[ -d .claude/commands.jail-quarantine ]
	tap $? "$w: protect: missing .envrc, .mcp.json, .claude/commands made in the jail are moved aside at exit"
	[ ! -e .envrc ] && [ ! -e .mcp.json ] && [ ! -e .claude/commands ] &&
		[ ! -e .idea ] && [ ! -e .gitmodules ] &&
		[ ! -e .git/commondir ] && [ ! -e .git/config.worktree ]
	tap $? "$w: protect: nothing at a missing protected path after the run"
	has "$o/prot" hook=denied && has "$o/prot" config=denied &&
		[ ! -e .git/hooks/pre-commit ]
	tap $? "$w: protect: .git/hooks and .git/config cannot be written"
	has "$o/prot" swap=denied && has "$o/prot" hooks-swap=denied &&
		[ -d .vscode ] && [ ! -L .vscode ] && [ -d .git/hooks ] &&
		[ ! -e .vscode-old ] && [ ! -e .git/h2 ]
	tap $? "$w: protect: a protected directory cannot be removed, moved or swapped for a link"
	has "$o/prot" bashrc=denied && has "$o/prot" dotfiles=ok &&
		[ "$(cat "$U/home/dotfiles/bashrc")" = 'echo hi' ]
	tap $? "$w: protect: ~/.bashrc's target in a writable mount cannot be written"
	has "$o/prot" normal=ok && has "$o/prot" git=ok && [ -f normal.txt ]
	tap $? "$w: protect: project files can be written, git works"
	has "$o/prot" git=ok || tap_diag "$(cat "$o/prot")"
	# A linked worktree: its .git file and its entry in the main
	# repository (commondir) are pinned.
	cd "$U/wt/linked" || return
	# shellcheck disable=SC2016
	as "$w" "$T/bin/prot" -c '
		(echo "gitdir: /tmp" >.git) 2>/dev/null || echo dotgit=denied
		d=$(git rev-parse --git-dir)
		(echo /tmp >"$d/commondir") 2>/dev/null || echo commondir=denied
	' >"$o/protw" 2>&1
	has "$o/protw" dotgit=denied && has "$o/protw" commondir=denied &&
		grep -q '^gitdir: ' .git &&
		[ "$(cat "$U/wt/main/.git/worktrees/linked/commondir")" = ../.. ]
	tap $? "$w: protect: a linked worktree's .git and commondir cannot be written"
	has "$o/protw" commondir=denied || tap_diag "$(cat "$o/protw")"
	# A protected path that is a link the jail could replace: refused.
	cd "$U/protl" || return
	as "$w" "$T/bin/prot" -c ': >ran; echo x >.envrc' >/dev/null 2>"$o/protl"
	rc=$?
	[ "$rc" = 125 ] && grep -q "protl/.envrc is a symbolic link" "$o/protl" &&
		[ ! -e ran ] && [ "$(cat "$U/outside-envrc")" = outside ]
	tap $? "$w: protect: a protected link is refused, its target untouched ($rc)"
	# A path let go with a reason is writable, and check says so.
	cd "$U/protu" || return
	as "$w" "$T/bin/unprot" -c 'echo ok >.envrc' >/dev/null 2>&1
	[ "$(cat .envrc 2>/dev/null)" = ok ]
	tap $? "$w: protect: a path in protect.remove is writable"
	(cd "$here" && "$JAILC" check "$T/unprot.jail") >"$o/unprot" 2>&1
	grep -q "warning: protected path left writable: .envrc: direnv is not used on this machine \[protect-removed\]" "$o/unprot"
	tap $? "$w: protect: check reports the removal with its reason"
	# The directory of missing protected paths moved away and a link to
	# elsewhere, where they exist, left in its place: at exit the link
	# is moved aside, and nothing behind it is followed or removed.
	cd "$U/protm" || return
	as "$w" "$T/bin/prot" -c 'mv .claude .claude.moved &&
		ln -s ../elsewhere .claude && echo moved' >"$o/protm" 2>&1
	has "$o/protm" moved && [ ! -e .claude ] &&
		[ -L .claude.jail-quarantine ] && [ -d "$U/elsewhere/commands" ] &&
		[ -d "$U/elsewhere/agents" ]
	tap $? "$w: protect: a link the jail left on the way to a protected path is moved aside, not followed"
	has "$o/protm" moved || tap_diag "$(cat "$o/protm")"

	# 10. The seccomp filter (scprobe prints what a call gave) and the
	# resource limits.
	cd "$P" || return
	cp "$here/build/scprobe" "$P/scprobe" && chmod 0755 "$P/scprobe"
	for c in tiocsti tiocsti-high tioclinux; do
		r=$(probe sc "$c")
		[ "$r" = EPERM ]
		tap $? "$w: seccomp: $c on the jail's own terminal: EPERM ($r)"
	done
	r=$(probe scoff tiocsti)
	answer "$r" && [ "$r" != EPERM ]
	tap $? "$w: seccomp: with profile = \"off\", TIOCSTI is not refused ($r)"
	r=$(probe sc clone3)
	[ "$r" = ENOSYS ]
	tap $? "$w: seccomp: clone3 gives ENOSYS, for a fallback to clone ($r)"
	r=$(probe scoff clone3)
	answer "$r" && [ "$r" != ENOSYS ]
	tap $? "$w: seccomp: without the filter clone3 is the kernel's ($r)"
	for c in userns mount keyctl io_uring ptrace; do
		r=$(probe sc "$c")
		[ "$r" = EPERM ]
		tap $? "$w: seccomp: $c: EPERM ($r)"
	done
	r=$(probe scptrace ptrace)
	[ "$r" = ok ]
	tap $? "$w: seccomp: allow = [\"ptrace\"] gives ptrace back ($r)"
	r=$(probe scoff userns)
	answer "$r" && [ "$r" != ok ]
	tap $? "$w: nested: --disable-userns refuses a user namespace without the filter too ($r)"
	if [ "$machine" = x86_64 ]; then
		r=$(probe sc x32)
		[ "$r" = "killed 31" ]
		tap $? "$w: seccomp: an x32 system call kills the caller (SIGSYS) ($r)"
	else
		tap_skip "$w: seccomp: an x32 system call" "x32 is x86_64's"
	fi
	# int 0x80 reaches seccomp only where the kernel runs i386 code;
	# asked outside any launcher, so that a broken one cannot turn the
	# case into a skip.
	r0=$("$here/build/scprobe" i386 2>&1)
	if [ "$r0" = ok ]; then
		r=$(probe sc i386)
		[ "$r" = "killed 31" ]
		tap $? "$w: seccomp: an i386 system call kills the caller (SIGSYS) ($r)"
	else
		tap_skip "$w: seccomp: an i386 system call" \
		    "this kernel runs no i386 code ($r0 outside any jail)"
	fi
	# A nested bwrap: refused by default, working with nested-sandbox.
	# (Without a new PID namespace: the kernel mounts a new /proc only
	# where one is fully visible, and bwrap's --proc hides parts.)
	nb=$(command -v bwrap)
	case $nb in
	/usr/* | /bin/* | /nix/store/*)
		as "$w" "$T/bin/sc" -c "$nb --ro-bind / / /bin/true" \
		    >/dev/null 2>&1 </dev/null
		rc=$?
		[ "$rc" != 0 ]
		tap $? "$w: nested: bwrap inside the jail fails by default ($rc)"
		as "$w" "$T/bin/nest" -c "$nb --ro-bind / / /bin/echo inner" \
		    >"$o/nest" 2>&1 </dev/null
		if [ "$w" = root ]; then
			# Launched by root, the jail holds no capability
			# (--cap-drop ALL): root's would let it remount
			# the read-only binds writable once mount is allowed.
			! has "$o/nest" inner
			tap $? "$w: nested: launched by root, no bwrap runs inside even with nested-sandbox = true"
		else
			has "$o/nest" inner
			tap $? "$w: nested: with nested-sandbox = true, bwrap runs inside"
		fi
		;;
	*)
		tap_skip "$w: nested: bwrap inside the jail" \
		    "bwrap ($nb) is not under a path the jail mounts"
		tap_skip "$w: nested: with nested-sandbox = true" \
		    "bwrap ($nb) is not under a path the jail mounts"
		;;
	esac
	# Limits as the kernel reports them, soft and hard.
	as "$w" "$T/bin/lim" -c 'cat /proc/self/limits' >"$o/lim" 2>&1 </dev/null
	grep -q -E '^Max open files +256 +256 ' "$o/lim" &&
		grep -q -E '^Max file size +1048576 +1048576 +bytes' "$o/lim" &&
		grep -q -E '^Max cpu time +600 +600 +seconds' "$o/lim"
	rc=$?
	tap $rc "$w: limits: nofile, fsize and cpu as the profile sets them"
	[ "$rc" = 0 ] || tap_diag "$(cat "$o/lim")"
	grep -q -E '^Max core file size +0 +0 +bytes' "$o/lim"
	tap $? "$w: limits: no core dumps by default (core 0, hard too)"
	as "$w" "$T/bin/sc" -c 'ulimit -c; ulimit -H -c' >"$o/core" 2>&1 </dev/null
	[ "$(cat "$o/core")" = "0${nl}0" ]
	tap $? "$w: limits: ulimit -c in the jail says 0, soft and hard"
	nproc_cases
	# A filter for another machine is refused before anything runs.
	if [ -x "$T/bin/scforeign" ]; then
		rm -f "$P/ran"
		as "$w" "$T/bin/scforeign" -c ': >ran' >/dev/null 2>"$o/foreign"
		rc=$?
		[ "$rc" = 125 ] && grep -q "seccomp filter is for" "$o/foreign" &&
			[ ! -e "$P/ran" ]
		tap $? "$w: seccomp: a filter for another machine stops the launch ($rc)"
	else
		tap_skip "$w: seccomp: a filter for another machine" \
		    "no python3 to make one"
	fi

	# 11. core.hooksPath: the hooks directory git uses instead of
	# .git/hooks is pinned like it.
	hp_attack='
		(echo evil >.githooks/pre-commit) 2>/dev/null || echo write=denied
		(echo evil >.githooks/post-checkout) 2>/dev/null || echo new=denied
		rm -rf .githooks 2>/dev/null
		{ mv .githooks .githooks-old || ln -sfn /tmp .githooks; } 2>/dev/null ||
			echo swap=denied
		echo fine >normal.txt && echo normal=ok'
	cd "$U/hp" || return
	as "$w" "$T/bin/gitp" -c "$hp_attack" >"$o/hp" 2>&1
	hp_held hp
	tap $? "$w: hooksPath: .githooks cannot be written, added to, removed or swapped for a link"
	hp_held hp || tap_diag "$(cat "$o/hp")"
	cd "$U/hpg" || return
	as "$w" env GIT_CONFIG_GLOBAL="$U/hp-global" "$T/bin/gitp" \
	    -c "$hp_attack" >"$o/hpg" 2>&1
	hp_held hpg
	tap $? "$w: hooksPath: set in the global configuration only, it is pinned too"
	cd "$U/hpm" || return
	as "$w" "$T/bin/gitp" -c '
		[ -e .githooks ] || echo absent=seen
		mkdir -p .githooks/_ 2>/dev/null || echo mkdir=denied
		(echo evil >.githooks/_/pre-commit) 2>/dev/null || echo hook=denied
	' >"$o/hpm" 2>&1
	has "$o/hpm" absent=seen && ! has "$o/hpm" mkdir=denied
	tap $? "$w: hooksPath: a missing directory is not made by the launcher (no placeholder)"
	[ ! -e .githooks/_ ] &&
		[ "$(cat .githooks/_.jail-quarantine/pre-commit)" = evil ]
	tap $? "$w: hooksPath: the directory the jail made is moved aside at exit"
	cd "$U/hpu" || return
	as "$w" "$T/bin/gitp" -c 'echo new >.githooks/pre-commit && echo write=ok' \
	    >"$o/hpu" 2>&1
	has "$o/hpu" write=ok && [ "$(cat .githooks/pre-commit)" = new ]
	tap $? "$w: hooksPath: unset, .githooks is an ordinary writable directory"
	# Named in protect.remove, it is writable, and check says so.
	cd "$U/hp" || return
	as "$w" "$T/bin/hpoff" -c 'echo off >.githooks/pre-commit' >/dev/null 2>&1
	[ "$(cat .githooks/pre-commit)" = off ]
	tap $? "$w: hooksPath: git:core.hooksPath in protect.remove leaves it writable"
	echo orig >.githooks/pre-commit
	(cd "$here" && "$JAILC" check "$T/hpoff.jail") >"$o/hpoff" 2>&1
	grep -q "protected path left writable: git:core.hooksPath: husky is not used here \[protect-removed\]" "$o/hpoff"
	tap $? "$w: hooksPath: check reports the removal with its reason"
	# A link the jail could replace stops the launch.
	mv .githooks .githooks-real
	ln -s .githooks-real .githooks
	as "$w" "$T/bin/gitp" -c ': >ran' >/dev/null 2>"$o/hpl"
	rc=$?
	rm .githooks
	mv .githooks-real .githooks
	[ "$rc" = 125 ] && grep -q "hp/.githooks is a symbolic link" "$o/hpl" &&
		grep -q "git:core.hooksPath = .githooks" "$o/hpl" && [ ! -e ran ]
	tap $? "$w: hooksPath: a link in its place stops the launch, naming it ($rc)"
	# Without git there is nothing to read, and nothing is said.
	as "$w" "$T/bin/gitnone" \
	    -c 'echo nogit >.githooks/pre-commit && echo write=ok' >"$o/hpn" 2>&1
	rc=$?
	[ "$rc" = 0 ] && [ "$(cat "$o/hpn")" = write=ok ]
	tap $? "$w: hooksPath: without git the launch goes on silently ($rc)"
	[ "$rc" = 0 ] || tap_diag "$(cat "$o/hpn")"
	echo orig >.githooks/pre-commit
	# A git that fails otherwise (too old for --type) stops the launch.
	as "$w" "$T/bin/gitold" -c ': >ran' \
	    >/dev/null 2>"$o/hpo"
	rc=$?
	[ "$rc" = 125 ] && grep -q "cannot read core.hooksPath for .*hp: git exited 129" "$o/hpo" &&
		[ ! -e ran ]
	tap $? "$w: hooksPath: git failing with another status stops the launch ($rc)"
	[ "$rc" = 125 ] || tap_diag "$(cat "$o/hpo")"
	# Where git cannot read the configuration, it runs no hooks: the
	# launch goes on.
	cd "$U/hpb" || return
	as "$w" "$T/bin/gitp" -c 'echo ok' >"$o/hpb" 2>&1
	rc=$?
	[ "$rc" = 0 ] && [ "$(cat "$o/hpb")" = ok ]
	tap $? "$w: hooksPath: a configuration git cannot parse does not stop the launch ($rc)"
	[ "$rc" = 0 ] || tap_diag "$(cat "$o/hpb")"
	cd "$T" || return
}

# The nproc limit: for root a pids cgroup jailc.PID in the launcher's
# own, holding the jail, with pids.max as the profile says, gone after
# the run; for the user none, RLIMIT_NPROC as before.  Where no pids
# cgroup can be used, root's launch stops.
nproc_cases() {
	cd "$P" || return
	# A host that gives root no usable pids cgroup refuses these
	# launches: the cases below that need one are skipped, saying why.
	if [ "$w" = root ] &&
		! as "$w" "$T/bin/nprocbig" --jail-check >"$o/npck" 2>&1 &&
		grep -q 'process.limits.nproc cannot bind' "$o/npck"; then
		tap_skip "$w: nproc: the pids cgroup cases" \
		    "$(grep -m 1 'process.limits.nproc cannot bind' "$o/npck")"
		return
	fi
	as "$w" "$T/bin/nprocbig" --jail-dry-run >"$o/npdry" 2>&1
	cgdir=$(sed -n 's|^# cgroup \(/.*\)/jailc\.PID pids\.max 4096$|\1|p' \
	    "$o/npdry")
	if [ "$w" = root ]; then
		[ -n "$cgdir" ] && [ -d "$cgdir" ]
		tap $? "$w: nproc: --jail-dry-run shows the pids cgroup ($cgdir)"
	else
		! grep -q '^# cgroup' "$o/npdry" &&
			grep -q '^# limit nproc 4096$' "$o/npdry"
		tap $? "$w: nproc: --jail-dry-run shows RLIMIT_NPROC and no cgroup"
	fi
	rm -f "$P/np.up" "$P/np.go"
	# shellcheck disable=SC2016
	as_bg=1 as "$w" "$T/bin/nprocbig" -c ': >np.up
		i=0; while [ ! -e np.go ] && [ $i -lt 200 ]; do
			sleep 0.05; i=$((i+1)); done' >"$o/np" 2>&1 </dev/null
	as_bg=
	lpid=$bgpid
	bw=
	if tap_waitfor "$P/np.up"; then
		bw=$(ps -o pid=,comm= --ppid "$lpid" |
			awk '$2 == "bwrap" { print $1; exit }')
	fi
	if [ "$w" = root ]; then
		pmax=$(cat "$cgdir/jailc.$lpid/pids.max" 2>&1)
		[ "$pmax" = 4096 ]
		tap $? "$w: nproc: while the jail runs, its cgroup's pids.max is 4096 ($pmax)"
		[ -n "$bw" ] && grep -q ":/\(.*/\)\{0,1\}jailc\.$lpid\$" \
		    "/proc/$bw/cgroup" &&
			grep -q -x "$bw" "$cgdir/jailc.$lpid/cgroup.procs"
		tap $? "$w: nproc: bwrap ($bw) runs in jailc.$lpid"
	else
		[ -n "$bw" ] && cmp -s "/proc/$bw/cgroup" "/proc/$lpid/cgroup" &&
			! grep -q "jailc\.$lpid" "/proc/$bw/cgroup"
		rc=$?
		tap $rc "$w: nproc: a user's jail ($bw) stays in the launcher's cgroups"
		[ "$rc" = 0 ] || tap_diag "launcher: $(cat "/proc/$lpid/cgroup")" \
		    "bwrap: $(cat "/proc/$bw/cgroup" 2>&1)"
	fi
	: >"$P/np.go"
	wait "$lpid"
	rc=$?
	if [ "$w" = root ]; then
		[ "$rc" = 0 ] && [ -n "$cgdir" ] && [ ! -e "$cgdir/jailc.$lpid" ]
	else
		[ "$rc" = 0 ]
	fi
	tap $? "$w: nproc: the jail exits 0 and leaves no cgroup behind ($rc)"
	[ "$rc" = 0 ] || tap_diag "$(cat "$o/np")" "$(ps -u jailtest | wc -l) processes of jailtest"
	# More processes than the limit: fork fails in the jail, and the
	# cgroup still goes, with the jail's processes killed at its end.
	# (a shell that cannot fork may exit at once: the count is kept
	# in a file as it goes)
	rm -f "$P/np.count" "$P/np.started"
	# shellcheck disable=SC2016
	as_bg=1 as "$w" "$T/bin/nproc" -c ': >np.started; n=0
		while [ $n -lt 100 ]; do
			sleep 3 & n=$((n+1)); echo $n >np.count; done' \
	    >"$o/npfork" 2>&1 </dev/null
	as_bg=
	lpid=$bgpid
	wait "$lpid"
	n=$(cat "$P/np.count" 2>/dev/null)
	# (RLIMIT_NPROC counts the user's processes across the host: for
	# the user, other jails of jailtest may leave none to start)
	if [ "$w" = root ]; then
		[ -n "$n" ] && [ "$n" -lt 64 ] && [ ! -e "$cgdir/jailc.$lpid" ]
	else
		# (the jail must have run: a launch that failed counts none)
		[ -e "$P/np.started" ] && [ "${n:-0}" -lt 64 ]
	fi
	tap $? "$w: nproc: the jail cannot have 100 processes at once (${n:-none} of 100), no cgroup left"
	[ -n "$n" ] || tap_diag "$(head -n 5 "$o/npfork")"
	[ "$w" = root ] || return 0
	# A process that outlives the jail keeps the cgroup: reported, not
	# waited for, and the status is the jail's.
	as "$w" "$T/bin/nprocshared" -c 'sleep 30 >/dev/null 2>&1 &' \
	    >/dev/null 2>"$o/nplinger" </dev/null
	rc=$?
	cg=$(sed -n 's|^[^:]*: cannot remove the cgroup \([^:]*\): a process of the jail is still in it$|\1|p' \
	    "$o/nplinger")
	[ "$rc" = 0 ] && [ -n "$cg" ] && [ -d "$cg" ]
	tap $? "$w: nproc: a process left in the cgroup is reported, the status kept ($rc)"
	[ -n "$cg" ] || tap_diag "$(cat "$o/nplinger")"
	if [ -n "$cg" ] && [ -d "$cg" ]; then
		# shellcheck disable=SC2046 # a list of pids
		kill -KILL $(cat "$cg/cgroup.procs") 2>/dev/null
		i=0
		while ! rmdir "$cg" 2>/dev/null && [ "$i" -lt 100 ]; do
			sleep 0.05
			i=$((i + 1))
		done
	fi
	# No usable pids cgroup: the launcher in a bwrap of its own (a
	# mount namespace, nothing changed on the host) where the cgroup
	# file systems are read-only, or hidden under a tmpfs.
	for how in ro tmpfs; do
		if [ "$how" = ro ]; then
			set -- --ro-bind /sys/fs/cgroup /sys/fs/cgroup
			want='mounted read-only'
		else
			set -- --tmpfs /sys/fs/cgroup
			want='is hidden under another mount'
		fi
		rm -f "$P/ran"
		bwrap --dev-bind / / "$@" --unshare-pid --proc /proc -- \
		    "$T/bin/nproc" -c ': >ran' >/dev/null 2>"$o/npno"
		rc=$?
		[ "$rc" = 125 ] && [ ! -e "$P/ran" ] &&
			grep -q "process.limits.nproc cannot bind a jail launched by root: .*$want; launch it as an unprivileged user, or remove the limit" "$o/npno"
		tap $? "$w: nproc: cgroups $how: the launch stops with 125, saying why ($rc)"
		[ "$rc" = 125 ] || tap_diag "$(cat "$o/npno")"
		bwrap --dev-bind / / "$@" --unshare-pid --proc /proc -- \
		    "$T/bin/nproc" --jail-check >/dev/null 2>"$o/npno"
		rc=$?
		[ "$rc" = 1 ] && grep -q "process.limits.nproc cannot bind.*$want" "$o/npno"
		tap $? "$w: nproc: cgroups $how: --jail-check fails, saying why ($rc)"
	done
	set --
}

# hp_held OUT: what the jail in a core.hooksPath repository (the current
# directory) printed in OUT, and what is left: .githooks and its hook as
# they were.
hp_held() {
	has "$o/$1" write=denied && has "$o/$1" new=denied &&
		has "$o/$1" swap=denied && has "$o/$1" normal=ok &&
		[ -d .githooks ] && [ ! -L .githooks ] && [ ! -e .githooks-old ] &&
		[ "$(cat .githooks/pre-commit)" = orig ] &&
		[ ! -e .githooks/post-checkout ]
}

# A git that exits 129, as one without config --type does.
mkdir "$T/oldgit"
printf '#!/bin/sh\nexit 129\n' >"$T/oldgit/git"
chmod 0755 "$T/oldgit/git"


# probe LAUNCHER CALL: what the call gave in that jail (tests/tools/scprobe.c)
probe() {
	as "$w" "$T/bin/$1" -c "./scprobe $2" 2>&1 </dev/null
}

# answer WORD: WORD is an answer of scprobe's (ok, an errno name, or a
# death by a signal), not the text of a launch that failed.
answer() {
	case $1 in
	ok | E[A-Z0-9]* | "killed "[0-9]*) [ "$(echo "$1" | wc -l)" = 1 ] ;;
	*) return 1 ;;
	esac
}

here=$PWD
for who in root user; do
	case $who in
	root) skip=$root_skip ;;
	*) skip=$user_skip ;;
	esac
	if [ -n "$skip" ]; then
		tap_skip "$who: all launch cases" "$skip"
		continue
	fi
	run_cases "$who"
	cd "$here" || exit 1
done

tap_done
