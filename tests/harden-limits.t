#!/bin/sh
# harden-limits.t - issue 13, item 9: a memory cap where the host can
# give one, and a clear refusal where a profile asks for one it cannot.
#
# The shipped agent profiles cap memory at 8 GiB and list memory and
# nproc in process.limits-optional.  This script checks, for both back
# ends (shell launcher and jailrun executable), as root and as the
# unprivileged user jailtest:
#   - the plan, explain, diff and the verifier know the optional form;
#   - where the launcher can make no memory cgroup and no systemd is
#     there to ask (the user here), an optional cap is gone without,
#     saying so once, and a required one stops the launch (125);
#   - root's own memory cgroup caps an optional limit as a required one;
#   - systemd's way: in a private mount namespace, a stand-in busctl in
#     /run/current-system/sw/bin (the first of the system directories
#     jailrun looks in) plays systemd's StartTransientUnit: it makes a
#     cgroup with the limit and moves the waiting jail into it, as
#     systemd moves the PIDs of a transient scope.  The jail's memory is
#     then capped by that cgroup (256 MiB is killed under 64 MiB), the
#     launcher asked with MemoryMax and MemorySwapMax 0 on the right bus;
#     a busctl that fails, or a scope that caps nothing, stops a required
#     cap (125) and is gone without, saying why, for an optional one.
# The stand-in needs cgroup v1's memory hierarchy (this machine's): on
# cgroup v2 a user's scope needs a delegated subtree this harness does
# not have, and those cases are skipped with that reason.
. tests/lib.sh

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
for t in git python3 unshare setpriv; do
	if ! command -v $t >/dev/null; then
		echo "1..0 # SKIP $t not installed"
		exit 0
	fi
done

T=$(mktemp -d /tmp/jailc-hlim.XXXXXX) || exit 1
chmod 0755 "$T"
tap_user_runtime "$T" || exit 1
tap_mem_cgroup
cgs=
cleanup() {
	for cg in $cgs; do
		for sub in "$cg"/scope.*; do
			[ -d "$sub" ] && rmdir "$sub" 2>/dev/null
		done
		rmdir "$cg" 2>/dev/null
	done
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

# --- The profiles -----------------------------------------------------

# jail NAME TOML: a profile extending the shipped claude that runs its
# arguments, compiled for both back ends into $T/bin/NAME.shell, .exe.
jail() {
	{
		printf 'version = 1\nextends = ["claude"]\n'
		printf '[command]\nexec = "/jailc-run"\n'
		printf '[[mount]]\nro = "%s"\ndest = "/jailc-run"\n' "$T/run"
		printf '%s\n' "$2"
	} >"$T/$1.jail"
	"$JAILC" compile --standalone -o "$T/bin/$1.shell" "$T/$1.jail" \
	    2>"$T/$1.err" &&
		"$JAILC" compile -t exe -o "$T/bin/$1.exe" "$T/$1.jail" \
		    2>>"$T/$1.err" &&
		chmod 0755 "$T/bin/$1.shell" "$T/bin/$1.exe"
}

# 64 MiB, optional as claude makes it, and required.
jail opt '[process.limits]
memory = 67108864'
tap $? "a profile extending claude with memory = 64 MiB compiles"
[ -f "$T/bin/opt.exe" ] || tap_diag "$(cat "$T/opt.err")"
jail req '[process]
limits-optional = []
[process.limits]
memory = 67108864'
tap $? "the same with limits-optional = [] (required) compiles"

# --- The compiler and the verifier ------------------------------------

"$JAILC" compile -t plan profiles/claude.jail >"$T/plan" 2>/dev/null
grep -q '^limit memory 8589934592 optional ' "$T/plan" &&
	grep -q '^limit nproc 4096 optional ' "$T/plan" &&
	grep -q '^limit nofile 4096 @' "$T/plan"
tap $? "claude's plan: memory 8 GiB and nproc, optional; nofile not"
"$JAILC" compile -t plan "$T/req.jail" >"$T/plan.req" 2>/dev/null
grep -q '^limit memory 67108864 @' "$T/plan.req" &&
	! grep -q '^limit nproc .* optional' "$T/plan.req"
tap $? "limits-optional = [] in a child makes its parent's limits required"

printf 'version = 1\n[process]\nlimits-optional = ["as"]\n' >"$T/bad.jail"
"$JAILC" check "$T/bad.jail" >"$T/bad.out" 2>&1
rc=$?
[ "$rc" != 0 ] && grep -q 'bad.jail:3:20' "$T/bad.out"
tap $? "limits-optional = [\"as\"] is refused at its line and column ($rc)"
[ "$rc" != 0 ] || tap_diag "$(cat "$T/bad.out")"

"$JAILC" explain profiles/claude.jail >"$T/explain" 2>/dev/null
grep -q 'limit memory .*8589934592 .*only where the host can give it' \
    "$T/explain"
tap $? "explain says the memory cap holds only where the host can give it"
"$JAILC" explain --format json profiles/claude.jail 2>/dev/null |
	grep -q '"limits_optional": \["nproc", "memory"\]'
tap $? "explain --json lists the optional limits"

"$JAILC" diff "$T/req.jail" "$T/opt.jail" >"$T/diff" 2>&1
rc=$?
[ "$rc" = 1 ] && grep -q 'limits-optional memory' "$T/diff"
tap $? "diff: a cap made optional is a widening (exit $rc)"
[ "$rc" = 1 ] || tap_diag "$(cat "$T/diff")"
"$JAILC" diff "$T/opt.jail" "$T/req.jail" >"$T/diff" 2>&1
rc=$?
[ "$rc" = 0 ] && grep -q 'limits-optional memory' "$T/diff"
tap $? "diff: a cap made required is a narrowing (exit $rc)"

# The verifier: only the cgroup's limits can be optional.
sed 's/^limit nofile 4096 @/limit nofile 4096 optional @/' "$T/plan" \
    >"$T/plan.bad"
(cd "$T" && "$JAILRUN" "$T/plan.bad" --jail-check) >"$T/verify" 2>&1
rc=$?
[ "$rc" = 2 ] && grep -q 'nofile cannot be optional' "$T/verify"
tap $? "jailrun refuses a plan with an optional nofile ($rc)"
[ "$rc" = 2 ] || tap_diag "$(head -n 3 "$T/verify")"

# --- Launching --------------------------------------------------------

tap_jail_users

# setup WHO: a home, a project and the environment WHO launches with.
setup() {
	U=$T/$1
	P=$U/p
	mkdir -p "$U/home" "$U/tmp" "$P"
	git init -q "$P"
	printf "HOME='%s' USER='%s' TMPDIR='%s' PATH=/usr/bin:/bin\n" \
	    "$U/home" "$(id -un)" "$U/tmp" >"$U/env"
	[ "$1" = user ] && [ -n "${2-}" ] &&
		printf "XDG_RUNTIME_DIR='%s'\n" "$2" >>"$U/env"
	if [ "$1" = user ] && [ "$user_via" = setpriv ]; then
		chown -R jailtest:jailtest "$U"
	fi
}

# as WHO COMMAND...: run COMMAND as WHO, with WHO's environment.
# Written as a script, so that a namespace can run it too.
cat >"$T/as" <<EOF
#!/bin/sh
as_who=\$1
shift
set -- env -i /bin/sh -c 'set -a; . "\$1"; set +a; shift; exec "\$@"' \\
    sh "$T/\$as_who/env" "\$@"
if [ "\$as_who" = user ] && [ "$user_via" = setpriv ]; then
	set -- setpriv --reuid=jailtest --regid=jailtest --clear-groups "\$@"
fi
exec "\$@"
EOF
chmod 0755 "$T/as"
as() {
	"$T/as" "$@"
}

SMALL='b = bytearray(8 << 20); print("small ok")'
BIG='b = bytearray(256 << 20); print("big ok")'

# run_none WHO BACKEND: no cgroup of the launcher's and no systemd.
run_none() {
	w=$1 b=$2 l="$1: no cgroup, no systemd ($2)"
	setup "$w"
	cd "$P" || return
	as "$w" "$T/bin/opt.$b" /usr/bin/python3 -c 'print("ran")' \
	    >"$U/out" 2>"$U/err"
	rc=$?
	[ "$rc" = 0 ] && grep -q '^ran' "$U/out" &&
		[ "$(grep -c 'runs without process.limits.memory (optional)' \
		    "$U/err")" = 1 ] &&
		grep -q 'not writable by it' "$U/err" &&
		grep -q 'no systemd user manager' "$U/err"
	tap $? "$l: an optional cap is gone without, said once, with why ($rc)"
	[ "$rc" = 0 ] || tap_diag "$(head -n 3 "$U/err")"
	as "$w" "$T/bin/req.$b" /usr/bin/python3 -c 'print("ran")' \
	    >"$U/out" 2>&1
	rc=$?
	[ "$rc" = 125 ] && ! grep -q '^ran' "$U/out" &&
		grep -q 'process.limits.memory = 67108864 cannot be given' \
		    "$U/out" &&
		grep -q 'systemd-run --user --scope -p MemoryMax=67108864' \
		    "$U/out"
	tap $? "$l: a required cap stops the launch ($rc)"
	[ "$rc" = 125 ] || tap_diag "$(head -n 3 "$U/out")"
	as "$w" "$T/bin/opt.$b" --jail-check >"$U/out" 2>&1
	grep -q 'runs without process.limits.memory' "$U/out"
	tap $? "$l: --jail-check says the optional cap is gone without"
	as "$w" "$T/bin/opt.$b" --jail-dry-run >"$U/out" 2>&1
	grep -q '^# limit memory 67108864 optional$' "$U/out" &&
		grep -q '^# .*runs without process.limits.memory' "$U/out"
	tap $? "$l: --jail-dry-run shows it"
	cd "$T" || return
}

# run_own BACKEND: root's launcher makes the memory cgroup itself, for an
# optional cap as for a required one.
run_own() {
	b=$1 l="root: the launcher's memory cgroup ($1)"
	setup root
	cd "$P" || return
	as root "$T/bin/opt.$b" /usr/bin/python3 -c "$SMALL" >"$U/out" 2>&1
	rc=$?
	[ "$rc" = 0 ] && grep -q 'small ok' "$U/out" &&
		! grep -q 'runs without' "$U/out"
	tap $? "$l: 8 MiB fits under an optional 64 MiB ($rc)"
	as root "$T/bin/opt.$b" /usr/bin/python3 -c "$BIG" >"$U/out" 2>&1
	rc=$?
	[ "$rc" = 137 ] && ! grep -q 'big ok' "$U/out"
	tap $? "$l: 256 MiB is killed under an optional 64 MiB ($rc)"
	[ "$rc" = 137 ] || tap_diag "$(head -n 3 "$U/out")"
	cd "$T" || return
}

# The stand-in busctl: what it was asked goes to /run/standin.log; what
# it does, to /run/standin.mode: ok (make the cgroup under the directory
# /run/standin.cg names, with the limit, and move the process in), fail
# (refuse, as a bus without the manager would), nomove (answer, move
# nothing).
cat >"$T/busctl" <<'EOF'
#!/bin/sh
echo "$*" >>/run/standin.log
mode=$(cat /run/standin.mode)
if [ "$mode" = fail ]; then
	echo "Call failed: Access denied" >&2
	exit 1
fi
pid= max= swap=
while [ $# -gt 0 ]; do
	case $1 in
	PIDs) pid=$4 && shift 4 && continue ;;
	MemoryMax) max=$3 && shift 3 && continue ;;
	MemorySwapMax) swap=$3 && shift 3 && continue ;;
	esac
	shift
done
[ "$mode" = nomove ] && exit 0
[ -n "$pid" ] && [ -n "$max" ] && [ "$swap" = 0 ] || exit 3
cg=$(cat /run/standin.cg)/scope.$pid
if [ -d /run/cgmem ]; then
	# root's: the hierarchy, writable, in a namespace of its own
	exec unshare -m --propagation private sh -c '
	mount -t cgroup -o memory jailc-hlim /run/cgmem &&
		mkdir "$1" && echo "$2" >"$1/memory.limit_in_bytes" &&
		echo "$3" >"$1/cgroup.procs"' sh "$cg" "$max" "$pid"
fi
mkdir "$cg" && echo "$max" >"$cg/memory.limit_in_bytes" &&
	echo "$pid" >"$cg/cgroup.procs"
EOF
chmod 0755 "$T/busctl"

# The namespace: /run a fresh tmpfs with the stand-in and the manager's
# traces; for root, the memory hierarchy read-only (so that the launcher
# cannot make its own cgroup, as in many containers), and /run/cgmem
# where the stand-in mounts it writable for itself.  Then WHO's command.
cat >"$T/ns" <<'EOF'
#!/bin/sh
# ns MODE WHO CGDIR REL MP COMMAND...
mode=$1 who=$2 cg=$3 rel=$4 mp=$5
shift 5
mount -t tmpfs -o mode=0755 jailc-hlim /run || exit 1
mkdir -p /run/current-system/sw/bin
cp "$(dirname "$0")/busctl" /run/current-system/sw/bin/busctl
echo "$mode" >/run/standin.mode
: >/run/standin.log
chmod 0666 /run/standin.log
if [ "$who" = root ]; then
	mkdir -p /run/systemd/system /run/cgmem
	mount -o remount,bind,ro "$mp" || exit 1
	echo "/run/cgmem$rel/${cg##*/}" >/run/standin.cg
else
	u=$(id -u jailtest)
	mkdir -p "/run/user/$u/systemd"
	python3 -c 'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' \
	    "/run/user/$u/bus"
	chown -R jailtest:jailtest /run/user/$u
	chmod 0700 /run/user/$u
	echo "$cg" >/run/standin.cg
fi
"$@"
rc=$?
cp /run/standin.log "$(dirname "$0")/standin.log"
exit $rc
EOF
chmod 0755 "$T/ns"

# run_systemd WHO BACKEND: systemd's way, through the stand-in.
run_systemd() {
	w=$1 b=$2 l="$1: systemd's scope ($2)"
	if [ -n "$mem_v2" ] || [ -z "$mem_dir" ] || [ ! -w "$mem_dir" ]; then
		tap_skip "$l: every case" "no cgroup v1 memory hierarchy root can write here"
		return
	fi
	base=$mem_dir/jailc-hlim.$$.$w
	if [ ! -d "$base" ]; then
		mkdir "$base" || {
			tap 1 "$l: root can make $base"
			return
		}
		cgs="$cgs $base"
		[ "$w" = user ] && chown -R jailtest:jailtest "$base"
	fi
	rt=
	[ "$w" = user ] && rt=/run/user/$(id -u jailtest)
	setup "$w" "$rt"
	cd "$P" || return
	ns() {
		ns_mode=$1
		shift
		[ "$1" = as ] && shift && set -- "$T/as" "$@"
		unshare -m --propagation private "$T/ns" "$ns_mode" "$w" \
		    "$base" "${mem_dir#"$mem_mp"}" "$mem_mp" "$@"
	}
	ns ok as "$w" "$T/bin/req.$b" /usr/bin/python3 -c "$SMALL" \
	    >"$U/out" 2>&1
	rc=$?
	[ "$rc" = 0 ] && grep -q 'small ok' "$U/out"
	tap $? "$l: 8 MiB fits under a required 64 MiB ($rc)"
	[ "$rc" = 0 ] || tap_diag "$(head -n 3 "$U/out")"
	if [ "$w" = root ]; then
		want='^--system --quiet call org.freedesktop.systemd1 '
	else
		want="^--address=unix:path=$rt/bus --quiet call org.freedesktop.systemd1 "
	fi
	grep -q "${want}/org/freedesktop/systemd1 org.freedesktop.systemd1.Manager StartTransientUnit ssa(sv)a(sa(sv)) jailc-[0-9]*-[0-9]*.scope fail 4 PIDs au 1 [0-9]* MemoryMax t 67108864 MemorySwapMax t 0 CollectMode s inactive-or-failed 0$" \
	    "$T/standin.log"
	ok=$?
	tap $ok "$l: the launcher asked the manager for a scope, by its bus"
	[ $ok = 0 ] || tap_diag "$(cat "$T/standin.log")"
	ns ok as "$w" "$T/bin/req.$b" /usr/bin/python3 -c "$BIG" \
	    >"$U/out" 2>&1
	rc=$?
	[ "$rc" = 137 ] && ! grep -q 'big ok' "$U/out"
	tap $? "$l: 256 MiB is killed by the scope's 64 MiB ($rc)"
	[ "$rc" = 137 ] || tap_diag "$(head -n 3 "$U/out")"
	ns ok as "$w" "$T/bin/req.$b" --jail-check >"$U/out" 2>&1
	grep -q "caps the jail through a scope systemd's" "$U/out"
	tap $? "$l: --jail-check says systemd gives the cap"

	ns fail as "$w" "$T/bin/req.$b" /usr/bin/python3 -c 'print("ran")' \
	    >"$U/out" 2>&1
	rc=$?
	[ "$rc" = 125 ] && ! grep -q '^ran' "$U/out" &&
		grep -q 'process.limits.memory = 67108864 cannot be given: .*could not make the scope .*Access denied' "$U/out"
	tap $? "$l: busctl refusing stops a required cap, saying why ($rc)"
	[ "$rc" = 125 ] || tap_diag "$(head -n 3 "$U/out")"
	ns fail as "$w" "$T/bin/opt.$b" /usr/bin/python3 -c 'print("ran")' \
	    >"$U/out" 2>&1
	rc=$?
	[ "$rc" = 0 ] && grep -q '^ran' "$U/out" &&
		grep -q 'runs without process.limits.memory (optional): .*Access denied' "$U/out"
	tap $? "$l: busctl refusing: an optional cap is gone without, saying why ($rc)"

	ns nomove as "$w" "$T/bin/req.$b" /usr/bin/python3 -c 'print("ran")' \
	    >"$U/out" 2>&1
	rc=$?
	[ "$rc" = 125 ] && ! grep -q '^ran' "$U/out" &&
		grep -q 'systemd made the scope, but no cgroup of it caps memory' "$U/out"
	tap $? "$l: a scope that caps nothing stops a required cap ($rc)"
	[ "$rc" = 125 ] || tap_diag "$(head -n 3 "$U/out")"
	ns nomove as "$w" "$T/bin/opt.$b" /usr/bin/python3 -c 'print("ran")' \
	    >"$U/out" 2>&1
	rc=$?
	[ "$rc" = 0 ] && grep -q '^ran' "$U/out" &&
		grep -q 'runs without process.limits.memory (optional): systemd made the scope' "$U/out"
	tap $? "$l: a scope that caps nothing: an optional cap is gone without ($rc)"
	cd "$T" || return
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
	for b in shell exe; do
		if [ "$who" = user ]; then
			run_none user "$b"
		elif [ -z "$mem_dir" ] || [ ! -w "$mem_dir" ]; then
			tap_skip "root: the launcher's memory cgroup ($b)" \
			    "no writable memory cgroup hierarchy here"
		else
			run_own "$b"
		fi
		if [ "$user_via" = setpriv ] || [ "$who" = root ]; then
			run_systemd "$who" "$b"
		else
			tap_skip "$who: systemd's scope ($b)" "not run as root"
		fi
	done
done

tap_done
