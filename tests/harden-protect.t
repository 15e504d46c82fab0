#!/bin/sh
# harden-protect.t - issue 13, items 6 and 9, live: what the shipped agent
# jails keep from running on the host later, and the limits they ship.
#
# The probe (tests/attack/probe.c) runs as the command of every shipped
# agent profile, through both back ends (shell launcher and jailrun
# executable), as root and as the unprivileged user jailtest:
#   - it writes the project's agent and editor configuration that runs
#     commands (.claude/settings.json, opencode.json, .gemini/, .husky/,
#     ...) and creates the missing ones; each must fail, and the host's
#     files stay as they were;
#   - it writes the code-running files of the agent's home state
#     (~/.claude/settings.json, ~/.codex/config.toml, ...), which the
#     host's agent reads the next time the user starts it outside a
#     jail: the host's files stay as they were, and what the jail wrote
#     is in the jail's own state directory instead.
# Then the limits: the shipped profiles' process.limits are in force in
# the jail; a fork bomb in the shipped claude jail stops at the limit
# (root: the shipped default, counted by a pids cgroup that holds only
# the jail; the user: a small limit, 256, since RLIMIT_NPROC counts every
# process of the user on this shared machine); a memory limit kills a
# process that goes over it (root: a memory cgroup the launcher makes;
# the user: a cgroup above the launcher that already gives it); and a
# memory limit the host cannot give stops the launch (125) before
# anything is made.
. tests/lib.sh

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
for t in git python3; do
	if ! command -v $t >/dev/null; then
		echo "1..0 # SKIP $t not installed"
		exit 0
	fi
done

T=$(mktemp -d /tmp/jailc-hprot.XXXXXX) || exit 1
chmod 0755 "$T"
tap_user_runtime "$T" || exit 1
cgs=
cleanup() {
	for cg in $cgs; do
		rmdir "$cg" 2>/dev/null
	done
	chmod -R u+rwX "$T" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT
[ -n "${KEEP-}" ] && trap - EXIT
mkdir "$T/bin"
cp "$PROBE" "$T/probe"
cat >"$T/run" <<'EOF'
#!/bin/sh
[ "$1" = --dangerously-skip-permissions ] && shift
exec "$@"
EOF
chmod 0755 "$T/probe" "$T/run"

tap_jail_users

# --- The profiles -----------------------------------------------------

# jail NAME EXTENDS EXEC [TOML]: a profile that extends EXTENDS and runs
# $T/EXEC, bound read-only at /jailc-EXEC (the probe, or run, which runs
# its arguments without the agent's own), compiled for both back ends
# into $T/bin/NAME.shell and NAME.exe.
jail() {
	{
		printf 'version = 1\nextends = ["%s"]\n' "$2"
		printf '[command]\nexec = "/jailc-%s"\n' "$3"
		printf '[[mount]]\nro = "%s"\ndest = "/jailc-%s"\n' "$T/$3" "$3"
		printf '%s\n' "${4-}"
	} >"$T/$1.jail"
	"$JAILC" compile --standalone -o "$T/bin/$1.shell" "$T/$1.jail" \
	    2>"$T/$1.err" &&
		"$JAILC" compile -t exe -o "$T/bin/$1.exe" "$T/$1.jail" \
		    2>>"$T/$1.err" &&
		chmod 0755 "$T/bin/$1.shell" "$T/bin/$1.exe"
}

for a in $AGENTS; do
	jail "$a" "$a" probe
	tap $? "$a: the probe's profile, extending $a, compiles for both back ends"
	[ -f "$T/bin/$a.exe" ] || tap_diag "$(cat "$T/$a.err")"
	jail "$a-run" "$a" run
	tap $? "$a: a profile running its arguments, extending $a, compiles"
done
# The user's fork bomb: the shipped profile with a small limit.
jail bomb claude probe '[process.limits]
nproc = 256'
tap $? "claude with nproc = 256 compiles"
# Memory: 64 MiB, and 128 MiB for the cap a cgroup above gives.
# (required: claude's limits-optional made empty)
jail mem claude run '[process]
limits-optional = []
[process.limits]
memory = 67108864'
tap $? "claude with process.limits.memory compiles"
[ -f "$T/bin/mem.exe" ] || tap_diag "$(cat "$T/mem.err")"
jail mem128 claude run '[process]
limits-optional = []
[process.limits]
memory = 134217728'
tap $? "claude with process.limits.memory = 128 MiB compiles"

# --- The host ---------------------------------------------------------

# The project's files that make tools run commands: present at launch
# (written to), and missing (created).
PRESENT=".claude/settings.json .claude/settings.local.json .claude/hooks/x.sh
.claude/skills/s/SKILL.md .gemini/settings.json opencode.json
.opencode/plugins/p.js crush.json crushrc
.codex/config.toml .cursor/mcp.json .devcontainer/devcontainer.json
.direnv/bin/git .zed/settings.json .nvim.lua .pre-commit-config.yaml
.husky/pre-commit"
# (.opencode/ as a whole is protected only where it exists, its parts
# that run code always; jail(5), BUGS.)
MISSING=".agents/ .devcontainer.json .helix/ .nvimrc .exrc .claude/agents/
opencode.jsonc .crush.json .crushrc"

# The host's own agent files that run commands, relative to the home
# directory (XDG directories at their defaults), for each agent.
home_files() {
	case $1 in
	claude) echo .claude/settings.json ;;
	codex) echo .codex/config.toml ;;
	gemini-cli) echo .gemini/settings.json ;;
	opencode) echo .config/opencode/opencode.json ;;
	crush) echo .config/crush/crush.json ;;
	esac
}
# Where the jail's own copy of it lives, under ~/.local/state/jailc.
state_file() {
	case $1 in
	claude) echo claude/settings.json ;;
	codex) echo codex/config.toml ;;
	gemini-cli) echo gemini-cli/settings.json ;;
	opencode) echo opencode/config/opencode.json ;;
	crush) echo crush/config/crush.json ;;
	esac
}

# setup WHO: a home with the agents' own code-running files, and a
# template project holding one of each protected project file.
setup() {
	U=$T/$1
	mkdir -p "$U/tmp" "$U/tpl"
	git init -q "$U/tpl" &&
		git -C "$U/tpl" -c user.name=t -c user.email=t@example.org \
		    commit -q --allow-empty -m init
	for f in $PRESENT; do
		mkdir -p "$U/tpl/$(dirname "$f")"
		echo "host's $f" >"$U/tpl/$f"
	done
	cat >"$U/env" <<EOF
HOME='$U/home' USER='$(id -un)' TMPDIR='$U/tmp' PATH=/usr/bin:/bin
EOF
	if [ "$1" = user ] && [ "$user_via" = setpriv ]; then
		chown -R jailtest:jailtest "$U"
	fi
}

# home WHO: a fresh home directory with the host's agent files.
home() {
	rm -rf "${U:?}/home"
	for h_a in $AGENTS; do
		h_f=$U/home/$(home_files "$h_a")
		mkdir -p "$(dirname "$h_f")"
		echo "{\"host\": \"$h_a\"}" >"$h_f"
		cp "$h_f" "$h_f.orig"
	done
	if [ "$1" = user ] && [ "$user_via" = setpriv ]; then
		chown -R jailtest:jailtest "$U/home"
	fi
}

# project WHO: a fresh copy of the template, in P.
project() {
	P=$T/$1/p
	rm -rf "$P"
	cp -a "$T/$1/tpl" "$P"
}

# as WHO COMMAND...: run COMMAND as WHO with WHO's home and TMPDIR.
as() {
	as_who=$1
	shift
	set -- env -i /bin/sh -c 'set -a; . "$1"; set +a; shift; exec "$@"' \
	    sh "$T/$as_who/env" "$@"
	if [ "$as_who" = user ] && [ "$user_via" = setpriv ]; then
		set -- setpriv --reuid=jailtest --regid=jailtest --clear-groups "$@"
	fi
	"$@"
}

# blocked OUT LABEL: the probe's line for LABEL says blocked.
blocked() {
	b_line=$(grep -a -F -e "$2: " "$1" | head -n 1)
	case $b_line in
	"$2: blocked"*) return 0 ;;
	"") tap_diag "no result for '$2'" ;;
	*) tap_diag "$b_line" ;;
	esac
	return 1
}

# --- The cases --------------------------------------------------------

# run_files WHO AGENT BACKEND: the project's and the home's code-running
# files, written and created from inside.
run_files() {
	w=$1 a=$2 b=$3 l="$1: $2 ($3)"
	home "$w"
	project "$w"
	hf=$(home_files "$a")
	verbs=
	for f in $PRESENT; do
		verbs="$verbs write $f"
	done
	for f in $MISSING; do
		verbs="$verbs create $f"
	done
	verbs="$verbs write $U/home/$hf create $(dirname "$U/home/$hf")/planted/"
	cd "$P" || return
	# shellcheck disable=SC2086 # the verbs are words
	as "$w" "$T/bin/$a.$b" $verbs >"$U/files.out" 2>&1
	rc=$?
	[ "$rc" = 0 ] || [ "$rc" = 1 ]
	tap $? "$l: the jail ran the probe ($rc)"
	[ "$rc" = 0 ] || [ "$rc" = 1 ] || tap_diag "$(head -n 5 "$U/files.out")"
	bad=
	for f in $PRESENT; do
		if ! blocked "$U/files.out" "write $f" ||
			[ "$(cat "$P/$f")" != "host's $f" ]; then
			bad="$bad $f"
		fi
	done
	[ -z "$bad" ]
	tap $? "$l: the project's agent and editor configuration cannot be written"
	[ -z "$bad" ] || tap_diag "written:$bad"
	# A missing one may be made in the jail; when the jail exits the
	# launcher moves it aside (jail(5), PROTECTED PATHS): nothing the
	# jail made is left at the name the host's tools read.
	bad=
	for f in $MISSING; do
		[ -e "$P/${f%/}" ] && bad="$bad $f(left)"
		if grep -a -q -F -e "create $f: ESCAPED" "$U/files.out" &&
			[ ! -e "$P/${f%/}.jail-quarantine" ]; then
			bad="$bad $f(not moved aside)"
		fi
	done
	[ -z "$bad" ]
	tap $? "$l: missing agent and editor configuration the jail makes is moved aside at exit"
	[ -z "$bad" ] || tap_diag "$bad"

	cmp -s "$U/home/$hf" "$U/home/$hf.orig"
	tap $? "$l: writing ~/$hf does not reach the host's (agent config planting)"
	[ ! -e "$(dirname "$U/home/$hf")/planted" ]
	tap $? "$l: a directory made beside it does not reach the host's"
	s=$U/home/.local/state/jailc/$(state_file "$a")
	grep -q 'jailc-probe was here' "$s" 2>/dev/null
	tap $? "$l: what the jail wrote is kept in its own state directory"
	cd "$T" || return
}

# run_limits WHO AGENT BACKEND: the shipped limits, in the jail.
run_limits() {
	w=$1 a=$2 b=$3 l="$1: $2 ($3)"
	home "$w"
	project "$w"
	cd "$P" || return
	as "$w" "$T/bin/$a-run.$b" /bin/cat /proc/self/limits >"$U/limits.out" 2>&1
	grep -q '^Max processes  *4096  *4096 ' "$U/limits.out" &&
		grep -q '^Max open files  *4096  *4096 ' "$U/limits.out" &&
		grep -q '^Max core file size  *0  *0 ' "$U/limits.out"
	rc=$?
	tap $rc "$l: the shipped limits hold in the jail (processes, open files, no core)"
	[ $rc = 0 ] || tap_diag "$(grep -e processes -e 'open files' -e core \
	    -e "$a" "$U/limits.out" | head -n 5)"
	cd "$T" || return
}

# run_opencode_dir WHO BACKEND: in a project without .opencode/, the
# jailed opencode may make it (its .gitignore stays), but a plugin the
# jail plants there is moved aside when the jail exits.
run_opencode_dir() {
	w=$1 b=$2 l="$1: opencode, no .opencode/ at launch ($2)"
	home "$w"
	project "$w"
	rm -rf "$P/.opencode"
	cd "$P" || return
	as "$w" "$T/bin/opencode-run.$b" /bin/sh -c 'mkdir -p .opencode/plugins &&
	    echo "planted" >.opencode/plugins/x.js &&
	    echo "node_modules" >.opencode/.gitignore' >"$U/oc.out" 2>&1
	rc=$?
	[ ! -e "$P/.opencode/plugins" ] &&
		[ "$(cat "$P/.opencode/plugins.jail-quarantine/x.js")" = planted ] &&
		[ "$(cat "$P/.opencode/.gitignore")" = node_modules ] &&
		grep -q 'plugins' "$U/oc.out"
	ok=$?
	tap $ok "$l: a planted plugin is moved aside and reported, the rest stays ($rc)"
	[ $ok = 0 ] || tap_diag "$(head -n 5 "$U/oc.out")"
	cd "$T" || return
}

# run_bomb WHO BACKEND: a fork bomb stops at the limit.  Bounded either
# way: the probe makes at most N processes, then lets them all go.
run_bomb() {
	w=$1 b=$2
	home "$w"
	project "$w"
	cd "$P" || return
	if [ "$w" = root ]; then
		l="$w: claude ($b)"
		as "$w" "$T/bin/claude.$b" forkbomb 4500 >"$U/bomb.out" 2>&1
		blocked "$U/bomb.out" "forkbomb 4500" &&
			n=$(sed -n 's/.*after \([0-9]*\) processes.*/\1/p' \
			    "$U/bomb.out") &&
			[ "$n" -ge 4000 ] && [ "$n" -lt 4096 ]
		rc=$?
		tap $rc "$l: a fork bomb stops at the shipped nproc of 4096 (pids cgroup)"
		[ $rc = 0 ] || tap_diag "$(cat "$U/bomb.out")"
	else
		# RLIMIT_NPROC counts every process of jailtest on this
		# machine, other tests' too: 256 leaves the jail room to start
		l="$w: claude, nproc = 256 ($b)"
		as "$w" "$T/bin/bomb.$b" forkbomb 1000 >"$U/bomb.out" 2>&1
		blocked "$U/bomb.out" "forkbomb 1000"
		rc=$?
		tap $rc "$l: a fork bomb stops at the limit (RLIMIT_NPROC)"
		[ $rc = 0 ] || tap_diag "$(head -n 5 "$U/bomb.out")"
	fi
	cd "$T" || return
}

tap_mem_cgroup

# run_mem WHO BACKEND
run_mem() {
	w=$1 b=$2 l="$1: claude, memory = 64 MiB ($2)"
	home "$w"
	project "$w"
	cd "$P" || return
	if [ "$w" = root ]; then
		as "$w" "$T/bin/mem.$b" /usr/bin/python3 -c 'b = bytearray(8 << 20); print("small ok")' \
		    >"$U/mem.out" 2>&1
		rc=$?
		[ "$rc" = 0 ] && grep -q 'small ok' "$U/mem.out"
		tap $? "$l: 8 MiB fits ($rc)"
		[ "$rc" = 0 ] || tap_diag "$(head -n 3 "$U/mem.out")"
		as "$w" "$T/bin/mem.$b" /usr/bin/python3 -c 'b = bytearray(256 << 20); print("big ok")' \
		    >"$U/mem.out" 2>&1
		rc=$?
		[ "$rc" = 137 ] && ! grep -q 'big ok' "$U/mem.out"
		tap $? "$l: 256 MiB is killed by the memory cgroup ($rc)"
		# jailc.PID of a launcher still running belongs to another
		# test file's jail (make check runs two at a time); one whose
		# launcher has exited is left behind
		left=
		for d in "$mem_dir"/jailc.*; do
			[ -d "$d" ] || continue
			kill -0 "${d##*.}" 2>/dev/null && continue
			[ -d "$d" ] && left="$left $d"
		done
		[ -z "$left" ]
		tap $? "$l: the memory cgroup is gone after the jail"
		[ -n "$left" ] && tap_diag "left:$left"
	else
		as "$w" "$T/bin/mem.$b" /usr/bin/python3 -c 'print("ran")' >"$U/mem.out" 2>&1
		rc=$?
		[ "$rc" = 125 ] && ! grep -q '^ran' "$U/mem.out" &&
			grep -q 'process.limits.memory = 67108864 cannot be given' \
			    "$U/mem.out" &&
			grep -q 'systemd-run --user --scope -p MemoryMax=67108864' \
			    "$U/mem.out" &&
			[ ! -e "$U/home/.local/state/jailc" ] &&
			[ ! -e "$P/.exrc" ]
		ok=$?
		tap $ok "$l: a memory cap the host cannot give stops the launch, before anything is made ($rc)"
		[ $ok = 0 ] || tap_diag "$(head -n 3 "$U/mem.out")"
		as "$w" "$T/bin/mem.$b" --jail-check >"$U/mem.out" 2>&1
		rc=$?
		[ "$rc" != 0 ] && grep -q 'process.limits.memory' "$U/mem.out"
		tap $? "$l: --jail-check reports it ($rc)"
	fi
	cd "$T" || return
}

# run_given BACKEND: the user's launcher in a cgroup root made with a
# limit of 64 MiB; the profile asks for 128 MiB, which that cgroup gives.
run_given() {
	b=$1 l="user: claude, memory = 128 MiB under a 64 MiB cgroup ($1)"
	if [ -n "$mem_v2" ] || [ -z "$mem_dir" ] || [ ! -w "$mem_dir" ]; then
		tap_skip "$l: the cgroup above gives the cap" \
		    "no cgroup v1 memory hierarchy root can write here"
		return
	fi
	cg=$mem_dir/jailc-hprot.$$
	cgs="$cgs $cg"
	mkdir -p "$cg" && echo 67108864 >"$cg/memory.limit_in_bytes" || {
		tap 1 "$l: root can make the cgroup"
		return
	}
	home user
	project user
	cd "$P" || return
	sh -c 'echo $$ >"$1/cgroup.procs" && shift && exec "$@"' sh "$cg" \
	    env -i /bin/sh -c 'set -a; . "$1"; set +a; shift; exec "$@"' sh \
	    "$T/user/env" setpriv --reuid=jailtest --regid=jailtest \
	    --clear-groups "$T/bin/mem128.$b" \
	    /usr/bin/python3 -c 'b = bytearray(100 << 20); print("big ok")' >"$U/given.out" 2>&1
	rc=$?
	[ "$rc" = 137 ] && ! grep -q 'big ok' "$U/given.out"
	tap $? "$l: the jail runs, and 100 MiB is killed by the cgroup above ($rc)"
	[ "$rc" = 137 ] || tap_diag "$(head -n 3 "$U/given.out")"
	cd "$T" || return
	# the processes just reaped keep it busy for a moment
	i=0
	while ! rmdir "$cg" 2>/dev/null && [ $i -lt 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
}

for who in root user; do
	case $who in
	root) skip=$root_skip ;;
	*) skip=$user_skip ;;
	esac
	if [ -n "$skip" ]; then
		tap_skip "$who: every case" "$skip"
		continue
	fi
	setup "$who"
	for a in $AGENTS; do
		for b in shell exe; do
			run_files "$who" "$a" "$b"
			run_limits "$who" "$a" "$b"
		done
	done
	for b in shell exe; do
		run_opencode_dir "$who" "$b"
		run_bomb "$who" "$b"
		if [ "$who" = root ] && [ -z "$mem_dir" ]; then
			tap_skip "root: claude, memory ($b)" \
			    "no memory cgroup hierarchy is mounted here"
		else
			run_mem "$who" "$b"
		fi
		if [ "$who" = user ] && [ "$user_via" = setpriv ]; then
			run_given "$b"
		fi
	done
done

tap_done
