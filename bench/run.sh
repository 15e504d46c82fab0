#!/bin/sh
# run.sh - launch-overhead benchmark for jailc; the body of `make bench`.
#
# Builds the same sandbox several ways and times `/bin/true` inside it:
#   floor     bare bwrap with exactly the words jailrun would give it
#             (from `launcher --jail-print-argv`), on the command line;
#   floor-fd  the same, the options read by bwrap from a file (--args 3),
#             as jailrun passes them (timed through sh, spawn corrected);
#   jailrun   the single-file launcher (jailc compile -t exe);
#   shell     the standalone bash launcher (jailc compile --standalone);
#   firejail  `firejail --quiet --noprofile true`, when installed;
#   srt       @anthropic-ai/sandbox-runtime from npm, when it runs here.
# The jail sets are the base profile plus the project read-write, without
# and then with state.workdir (the launcher stays as bwrap's parent),
# with the host network, and with network.mode = "proxy" (the launcher
# stays to run the proxy; its floor is the first set's, --unshare-net).
# Through the proxy on the loopback: one large transfer's throughput,
# the time of small requests and jailrun's peak RSS while it relays,
# against curl on the host directly (a python3 server).
# Also: jailrun's size, the launcher's peak RSS, `jailc check` time and
# peak RSS for 1000 generated profiles, and its time on one profile with
# 20,000 optional mounts (lint compares mounts with mounts).  Results:
# build/bench/results.md.
#
# Knobs (environment): BENCH_RUNS (200), BENCH_WARMUP (5), BENCH_SRT_RUNS
# (50), BENCH_CHECK_RUNS (10), BENCH_NO_NPM=1 (never run npm install),
# BENCH_JAILRUN (./jailrun); through the proxy: BENCH_NET_MB (256 MiB),
# BENCH_NET_RUNS (5 transfers), BENCH_NET_REQS (200 small requests).
set -eu

cd "$(dirname "$0")/.."
ROOT=$(pwd -P)
OUT=$ROOT/build/bench
RUNS=${BENCH_RUNS:-200}
WARMUP=${BENCH_WARMUP:-5}
SRT_RUNS=${BENCH_SRT_RUNS:-50}
CHECK_RUNS=${BENCH_CHECK_RUNS:-10}
JAILC=$ROOT/jailc
JAILRUN=${BENCH_JAILRUN:-$ROOT/jailrun}
export JAILC_PATH="$ROOT/profiles" JAILRUN LC_ALL=C

# --- argv mode: `xargs -0 sh run.sh --argv PREFIX WORKDIR <records` ----
# Turns the NUL records of --jail-print-argv into PREFIX.cmd (the bwrap
# command line, quoted for sh and hyperfine), PREFIX.args (the options,
# NUL-terminated, for --args) and PREFIX.tail (`--` and the command).
# WORKDIR replaces the placeholder work directory (…/jail.XXXXXXXXXX).
q() {
	printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"
}
if [ "${1:-}" = --argv ]; then
	prefix=$2 wd=$3
	shift 3
	count=$1
	shift
	if [ $# -lt "$count" ]; then
		echo "run.sh: truncated --jail-print-argv output" >&2
		exit 1
	fi
	# After the words: descriptor records (fd, then its content; hex
	# for --seccomp's), "limit NAME VALUE" and "scope NAME" records.
	# The floor-fd command opens each descriptor from a file; the bench
	# profiles' only limit, core 0, costs nothing and is left out, and
	# so is the scope (bare bwrap cannot make one).
	i=0 words=''
	for w in "$@"; do
		i=$((i + 1))
		[ "$i" -le "$count" ] && words="$words $(q "$w")"
	done
	rm -f "$prefix".fd*
	: >"$prefix.redir"
	i=0 fd=''
	for w in "$@"; do
		i=$((i + 1))
		[ "$i" -le "$count" ] && continue
		case $w in limit\ * | scope\ *) continue ;; esac
		if [ -z "$fd" ]; then
			fd=$w
			continue
		fi
		case " $words " in
		*" '--seccomp' '$fd' "*)
			printf '%s' "$w" | python3 -c 'import sys
sys.stdout.buffer.write(bytes.fromhex(sys.stdin.read()))' >"$prefix.fd$fd" ;;
		*) printf '%s' "$w" >"$prefix.fd$fd" ;;
		esac
		printf ' %s<%s' "$fd" "$(q "$prefix.fd$fd")" >>"$prefix.redir"
		fd=''
	done
	eval "set -- $words"
	bw=$1
	shift
	case $bw in
	*/*) ;;
	*) bw=$(command -v "$bw") ;;
	esac
	printf '%s\n' "$bw" >"$prefix.bwrap"
	cmd=$(q "$bw") tail='' seen='' skip='' first='' drop=0
	: >"$prefix.args"
	for w in "$@"; do
		case $w in
		*/jail.XXXXXXXXXX) w=$wd ;;
		esac
		# A proxy jail's command starts with the helper,
		# /.jailrun-net --jail-net-pre FD PORT --, which needs the
		# launcher's socket pair: the floors run the command itself.
		if [ "$drop" -gt 0 ]; then
			drop=$((drop - 1))
			continue
		fi
		if [ -n "$first" ]; then
			first=''
			if [ "$w" = /.jailrun-net ]; then
				drop=4
				continue
			fi
		fi
		# A bare command line has no descriptors: the floor runs
		# without the filter, floor-fd (with --args) with it.
		if [ -n "$skip" ]; then
			skip=''
		elif [ "$w" = --seccomp ] && [ -z "$seen" ]; then
			skip=1
		else
			cmd="$cmd $(q "$w")"
		fi
		if [ -n "$seen" ] || [ "$w" = -- ]; then
			[ -n "$seen" ] || first=1
			seen=1 tail="$tail $(q "$w")"
		else
			printf '%s\000' "$w" >>"$prefix.args"
		fi
	done
	printf '%s\n' "$cmd" >"$prefix.cmd"
	printf '%s\n' "${tail# }" >"$prefix.tail"
	exit 0
fi

mkdir -p "$OUT"
cd "$OUT"
rm -rf json launchers proj results.md ./*.log ./*.csv ./*.txt
mkdir -p json launchers proj/.git
PROJ=$OUT/proj # its own project: the .git makes it PROJECT_ROOT
# Every protected path exists, so that the launchers pin them in place
# and need no empty placeholder: they exec bwrap and do not stay (the
# workdir set measures staying).  jail(5), PROTECTED PATHS.
mkdir -p proj/.git/hooks proj/.vscode proj/.idea proj/.claude/commands \
	proj/.claude/agents
: >proj/.git/config
: >proj/.git/config.worktree
printf '.\n' >proj/.git/commondir
: >proj/.gitmodules
: >proj/.envrc
: >proj/.mcp.json

if command -v hyperfine >/dev/null 2>&1; then
	HF=$(hyperfine --version)
else
	HF=
fi

# rows: set|method|median s|mean s|stddev s|note ; notes: set|text
: >"$OUT/rows.txt"
: >"$OUT/notes.txt"
row() { printf '%s|%s|%s|%s|%s|%s\n' "$@" >>"$OUT/rows.txt"; }
notrun() { row "$1" "$2" - - - "not run: $3"; }
note() { printf '%s\n' "$*" >>"$OUT/notes.txt"; }

# time_set NAME RUNS SHELL LABEL CMD [LABEL CMD]...: time each CMD (a
# string for sh or hyperfine -N) and append hyperfine's summary to
# NAME.csv.  SHELL is "none" (exec directly) or "sh" (hyperfine runs each
# command through sh and subtracts sh's own start-up time).
time_set() {
	name=$1 runs=$2 shell=$3
	shift 3
	if [ -n "$HF" ]; then
		# LABEL CMD pairs become -n LABEL CMD, in order.
		n=$# i=0
		while [ "$i" -lt "$n" ]; do
			set -- "$@" -n "$1" "$2"
			shift 2
			i=$((i + 2))
		done
		hyperfine --shell="$shell" --warmup "$WARMUP" --runs "$runs" \
			--style basic --export-json "$OUT/json/$name.json" \
			--export-csv "$OUT/$name.csv" "$@" >"$OUT/$name.log" 2>&1 || {
			cat "$OUT/$name.log" >&2
			return 1
		}
	else
		echo "command,mean,stddev,median,user,system,min,max" >"$OUT/$name.csv"
		while [ $# -ge 2 ]; do
			loop_time "$runs" "$1" "$2" >>"$OUT/$name.csv"
			shift 2
		done
	fi
}

# loop_time RUNS LABEL CMD: the fallback without hyperfine, a loop with
# date +%s%N (each sample includes part of a date(1) start, ~1 ms).
loop_time() {
	r=0
	: >"$OUT/loop.txt"
	while [ "$r" -lt "$WARMUP" ]; do
		eval "$3" >/dev/null 2>&1 </dev/null
		r=$((r + 1))
	done
	r=0
	while [ "$r" -lt "$1" ]; do
		t0=$(date +%s%N)
		eval "$3" >/dev/null 2>&1 </dev/null || return 1
		t1=$(date +%s%N)
		echo $((t1 - t0)) >>"$OUT/loop.txt"
		r=$((r + 1))
	done
	sort -n "$OUT/loop.txt" | awk -v l="$2" '
		{ t[NR] = $1 / 1e9; s += t[NR]; ss += t[NR] * t[NR] }
		END {
			m = s / NR; sd = sqrt(ss / NR - m * m)
			med = NR % 2 ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2
			printf "%s,%.9f,%.9f,%.9f,0,0,%.9f,%.9f\n", l, m, sd, med, t[1], t[NR]
		}'
}

# csv_rows SET NAME.csv: append its results to rows.txt.
csv_rows() {
	awk -F, -v set="$1" 'NR > 1 { printf "%s|%s|%s|%s|%s|\n", set, $1, $4, $2, $3 }' \
		"$2" >>"$OUT/rows.txt"
}

# -- the profiles and launchers ---------------------------------------
profile() { # profile NAME WORKDIR NETWORK [ALLOW]
	{
		printf 'version = 1\nname = "%s"\nextends = ["base"]\n' "$1"
		printf '\n[command]\nexec = "/bin/true"\n'
		printf '\n[[mount]]\nrw = "${PROJECT_ROOT}"\n'
		if [ "$2" = true ]; then
			printf '\n[state]\nworkdir = true\n'
		fi
		printf '\n[network]\nmode = "%s"\n' "$3"
		if [ -n "${4:-}" ]; then
			printf 'allow = ["%s"]\n' "$4"
		fi
	} >"$1.jail"
}
profile bench false none
profile bench-workdir true none
# The host network, as the agent profiles have it: a Landlock scope.
profile bench-hostnet false host
# The proxy of issue 14: its own namespace, and the launcher stays as
# bwrap's parent to run the proxy (one loopback port allowed; nothing
# connects in this set).
profile bench-proxy false proxy 127.0.0.1:9

JR_REASON=
if [ ! -x "$JAILRUN" ]; then
	JR_REASON="no ./jailrun (make jailrun failed or was not run)"
fi
for p in bench bench-workdir bench-hostnet; do
	"$JAILC" compile -D "JAILRUN=$JAILRUN" --standalone \
		-o "launchers/$p.sh" "$p.jail"
	# The static musl jailrun (make jailrun-static), when there is one.
	rm -f "launchers/$p.static"
	if [ -x "$ROOT/jailrun-static" ]; then
		JAILRUN="$ROOT/jailrun-static" "$JAILC" compile -t exe \
			-o "launchers/$p.static" "$p.jail" 2>/dev/null ||
			rm -f "launchers/$p.static"
	fi
	if [ -z "$JR_REASON" ]; then
		if ! "$JAILC" compile -t exe -o "launchers/$p.exe" "$p.jail" \
			2>"launchers/$p.exe.err"; then
			JR_REASON="jailc compile -t exe failed: $(head -n 1 "launchers/$p.exe.err")"
		elif ! (cd "$PROJ" && "$OUT/launchers/$p.exe") \
			>"launchers/$p.exe.err" 2>&1; then
			msg=$(head -n 1 "launchers/$p.exe.err")
			JR_REASON="the jailrun launcher cannot run true: ${msg:-non-zero exit, no message}"
		fi
	fi
done
(cd "$PROJ" && "$OUT/launchers/bench.sh") || {
	echo "run.sh: the shell launcher cannot run true here" >&2
	exit 1
}

# The proxy set's launchers, each tried once: one that cannot run here
# takes its own row out, with the reason (PX_REASON for jailrun,
# PX_SHELL for the shell launcher), and nothing of the other sets.
PX_REASON=$JR_REASON PX_SHELL=
# (jailc warns of the loopback address in network.allow: meant here.)
"$JAILC" compile -D "JAILRUN=$JAILRUN" --standalone \
	-o launchers/bench-proxy.sh bench-proxy.jail 2>launchers/bench-proxy.err || {
	cat launchers/bench-proxy.err >&2
	exit 1
}
rm -f launchers/bench-proxy.static
if [ -x "$ROOT/jailrun-static" ]; then
	JAILRUN="$ROOT/jailrun-static" "$JAILC" compile -t exe \
		-o launchers/bench-proxy.static bench-proxy.jail 2>/dev/null ||
		rm -f launchers/bench-proxy.static
fi
if [ -x launchers/bench-proxy.static ] &&
	! (cd "$PROJ" && "$OUT/launchers/bench-proxy.static") \
		>launchers/bench-proxy.err 2>&1; then
	note "bench-proxy: the static launcher cannot run true: $(head -n 1 launchers/bench-proxy.err); not timed"
	rm -f launchers/bench-proxy.static
fi
if [ -z "$PX_REASON" ]; then
	if ! "$JAILC" compile -t exe -o launchers/bench-proxy.exe \
		bench-proxy.jail 2>launchers/bench-proxy.err; then
		PX_REASON="jailc compile -t exe failed: $(head -n 1 launchers/bench-proxy.err)"
	elif ! (cd "$PROJ" && "$OUT/launchers/bench-proxy.exe") \
		>launchers/bench-proxy.err 2>&1; then
		msg=$(head -n 1 launchers/bench-proxy.err)
		PX_REASON="the proxy launcher cannot run true: ${msg:-non-zero exit, no message}"
	fi
fi
if ! (cd "$PROJ" && "$OUT/launchers/bench-proxy.sh") \
	>launchers/bench-proxy.err 2>&1; then
	msg=$(head -n 1 launchers/bench-proxy.err)
	PX_SHELL="the shell launcher cannot run true: ${msg:-non-zero exit, no message}"
fi

# The floor's words come from jailrun's --jail-print-argv; without a
# working jailrun, from the shell launcher's (same format), and it says so.
WD=$(mktemp -d "${TMPDIR:-/tmp}/jail.XXXXXXXXXX")
NET_PID= # the loopback server of the proxy part, while it runs
trap 'rm -rf "$WD"; [ -z "$NET_PID" ] || kill "$NET_PID" 2>/dev/null' EXIT
for p in bench bench-workdir bench-hostnet; do
	if [ -z "$JR_REASON" ]; then
		src=launchers/$p.exe
	else
		src=launchers/$p.sh
		note "$p: floor argv taken from the shell launcher (jailrun unusable)"
	fi
	(cd "$PROJ" && "$OUT/$src" --jail-print-argv) >"$p.rec"
	xargs -0 -x sh "$ROOT/bench/run.sh" --argv "$OUT/$p" "$WD" <"$p.rec"
done
BWRAP=$(cat bench.bwrap)

# -- timings ------------------------------------------------------------
echo "bench: timing launches of true, $RUNS runs each (hyperfine: ${HF:-none})"
cd "$PROJ"
for p in bench bench-workdir bench-hostnet; do
	set -- floor "$(cat "$OUT/$p.cmd")"
	if [ -z "$JR_REASON" ]; then
		set -- "$@" jailrun "$(q "$OUT/launchers/$p.exe")"
	fi
	if [ -x "$OUT/launchers/$p.static" ]; then
		set -- "$@" "jailrun static (musl)" \
			"$(q "$OUT/launchers/$p.static")"
	fi
	set -- "$@" shell "$(q "$OUT/launchers/$p.sh")"
	if [ "$p" = bench ] && command -v firejail >/dev/null 2>&1; then
		set -- "$@" firejail 'firejail --quiet --noprofile true'
	fi
	# References for the launcher's share: one exec of a program that
	# does nothing, and jailrun working the jail out without starting it.
	if [ "$p" = bench ]; then
		set -- "$@" "ref: /bin/true alone" /bin/true
		if [ -z "$JR_REASON" ]; then
			set -- "$@" "ref: jailrun --jail-print-argv" \
				"$(q "$OUT/launchers/$p.exe") --jail-print-argv"
		fi
	fi
	# The floor again last: the two floors show drift across the run.
	set -- "$@" "floor (again)" "$(cat "$OUT/$p.cmd")"
	time_set "$p" "$RUNS" none "$@"
	time_set "$p-fd" "$RUNS" sh "floor-fd" \
		"$(q "$(cat "$OUT/$p.bwrap")") --args 3 $(cat "$OUT/$p.tail") 3<$(q "$OUT/$p.args")$(cat "$OUT/$p.redir")"
	csv_rows "$p" "$OUT/$p.csv"
	csv_rows "$p" "$OUT/$p-fd.csv"
	if [ -n "$JR_REASON" ]; then
		notrun "$p" jailrun "$JR_REASON"
	fi
done
# The proxy set.  Its floor is the bench set's, timed again here:
# network.mode = "none" has --unshare-net and the same mounts, which is
# bare bwrap with what the proxy jail has but the helper's bind, the
# proxy's variables and the launcher staying as bwrap's parent.
set -- floor "$(cat "$OUT/bench.cmd")"
if [ -z "$PX_REASON" ]; then
	set -- "$@" jailrun "$(q "$OUT/launchers/bench-proxy.exe")"
fi
if [ -x "$OUT/launchers/bench-proxy.static" ]; then
	set -- "$@" "jailrun static (musl)" \
		"$(q "$OUT/launchers/bench-proxy.static")"
fi
if [ -z "$PX_SHELL" ]; then
	set -- "$@" shell "$(q "$OUT/launchers/bench-proxy.sh")"
fi
set -- "$@" "floor (again)" "$(cat "$OUT/bench.cmd")"
time_set bench-proxy "$RUNS" none "$@"
time_set bench-proxy-fd "$RUNS" sh "floor-fd" \
	"$(q "$(cat "$OUT/bench.bwrap")") --args 3 $(cat "$OUT/bench.tail") 3<$(q "$OUT/bench.args")$(cat "$OUT/bench.redir")"
csv_rows bench-proxy "$OUT/bench-proxy.csv"
csv_rows bench-proxy "$OUT/bench-proxy-fd.csv"
if [ -n "$PX_REASON" ]; then
	notrun bench-proxy jailrun "$PX_REASON"
fi
if [ -n "$PX_SHELL" ]; then
	notrun bench-proxy shell "$PX_SHELL"
fi
if ! command -v firejail >/dev/null 2>&1; then
	notrun bench firejail "firejail is not installed (Debian package firejail)"
fi

# -- the shipped claude profile, unchanged ----------------------------
# Its command, claude, is a copy of /bin/true on the jail's PATH (-D
# PATH), in the ~/.claude the profile binds (the jail's own state
# directory, ~/.local/state/jailc/claude); bwrap is pinned by path, as
# Nix pins it.  The git reference is a launcher pinned to a git that
# does not exist (-D GIT=/nonexistent/git): the launcher never looks for
# git in PATH, so a PATH without git would not take it away.  Two checkouts: a fresh `git init` with no protected path
# (jailrun watches each and stays to move aside at exit what the jail
# made there; in .git it pins an empty one) and
# one where all exist (it pins them in place and execs bwrap).  The floor
# is the second one's bwrap: in the first the launcher's extra work is
# its placeholders and the exit check, which the floor cannot have.
BWRAP_PATH=$(command -v bwrap)
unset XDG_STATE_HOME
cd "$OUT"
rm -rf cfresh cfull chome-fresh chome-full
for c in fresh full; do
	mkdir -p "chome-$c/.local/state/jailc/claude/bin" "c$c"
	cp /bin/true "chome-$c/.local/state/jailc/claude/bin/claude"
	git init -q "c$c"
done
mkdir -p cfull/.git/hooks cfull/.vscode cfull/.idea cfull/.claude/commands \
	cfull/.claude/agents cfull/.git/worktrees cfull/.git/modules
: >cfull/.git/config.worktree
printf '.\n' >cfull/.git/commondir
: >cfull/.gitmodules
: >cfull/.envrc
: >cfull/.mcp.json
: >cfull/agent.jail
for f in .bashrc .zshrc .profile .bash_profile; do
	: >"chome-full/$f"
done
printf '[user]\n\tname = Bench\n\temail = bench@example.org\n' \
	>chome-full/.gitconfig
# The shell launcher (bash) cannot be timed when its jailrun is unusable.
CL_SETS=
for c in fresh full; do
	d="-D BWRAP=$BWRAP_PATH -D PATH=$OUT/chome-$c/.claude/bin"
	# shellcheck disable=SC2086 # two -D words each
	"$JAILC" compile $d -D "JAILRUN=$JAILRUN" --standalone \
		-o "launchers/claude-$c.sh" "$ROOT/profiles/claude.jail" 2>/dev/null
	# shellcheck disable=SC2086
	"$JAILC" compile $d -t exe -o "launchers/claude-$c.exe" \
		"$ROOT/profiles/claude.jail" 2>/dev/null || continue
	# shellcheck disable=SC2086
	"$JAILC" compile $d -D GIT=/nonexistent/git -t exe \
		-o "launchers/claude-$c.nogit" "$ROOT/profiles/claude.jail" \
		2>/dev/null || continue
	rm -f "launchers/claude-$c.static"
	if [ -x "$ROOT/jailrun-static" ]; then
		# shellcheck disable=SC2086
		JAILRUN="$ROOT/jailrun-static" "$JAILC" compile $d -t exe \
			-o "launchers/claude-$c.static" "$ROOT/profiles/claude.jail" \
			2>/dev/null || rm -f "launchers/claude-$c.static"
	fi
	if (cd "c$c" && HOME="$OUT/chome-$c" "$OUT/launchers/claude-$c.exe") \
		>"claude-$c.err" 2>&1; then
		CL_SETS="$CL_SETS $c"
	else
		notrun "claude-$c" jailrun "$(head -n 1 "claude-$c.err")"
	fi
done
case " $CL_SETS " in
*" full "*)
	(cd cfull && HOME="$OUT/chome-full" "$OUT/launchers/claude-full.exe" \
		--jail-print-argv) >claude.rec
	xargs -0 -x sh "$ROOT/bench/run.sh" --argv "$OUT/claude" "$WD" <claude.rec
	;;
esac
for c in $CL_SETS; do
	case " $CL_SETS " in *" full "*) ;; *) break ;; esac
	cd "$OUT/c$c"
	oldhome=$HOME
	HOME=$OUT/chome-$c
	export HOME
	set -- jailrun "$(q "$OUT/launchers/claude-$c.exe")"
	if [ -x "$OUT/launchers/claude-$c.static" ]; then
		set -- "$@" "jailrun static (musl)" \
			"$(q "$OUT/launchers/claude-$c.static")"
	fi
	set -- "$@" shell "$(q "$OUT/launchers/claude-$c.sh")" \
		"ref: jailrun --jail-print-argv" \
		"env PATH=$(q "$PATH") $(q "$OUT/launchers/claude-$c.exe") --jail-print-argv" \
		"ref: jailrun --jail-print-argv without git" \
		"$(q "$OUT/launchers/claude-$c.nogit") --jail-print-argv"
	time_set "claude-$c" "$RUNS" none "$@"
	time_set "claude-$c-fd" "$RUNS" sh "floor-fd" \
		"$(q "$(cat "$OUT/claude.bwrap")") --args 3 $(cat "$OUT/claude.tail") 3<$(q "$OUT/claude.args")$(cat "$OUT/claude.redir")"
	csv_rows "claude-$c" "$OUT/claude-$c.csv"
	csv_rows "claude-$c" "$OUT/claude-$c-fd.csv"
	HOME=$oldhome
	export HOME
	# what `git init` left and the launcher must not have changed
	[ -z "$(find "$OUT/c$c" -newer "$OUT/claude.rec" -not -path '*/.git/*' \
		-not -path "$OUT/c$c" -not -path "$OUT/c$c/.git")" ] ||
		note "claude-$c: the launchers left files in the checkout"
done
cd "$PROJ"

# srt: install into build/bench/srt on first use unless told not to.
SRT=$OUT/srt/node_modules/.bin/srt
if [ ! -x "$SRT" ] && [ -z "${BENCH_NO_NPM:-}" ] &&
	command -v npm >/dev/null 2>&1; then
	npm install --prefix "$OUT/srt" @anthropic-ai/sandbox-runtime \
		>"$OUT/srt-install.log" 2>&1 || true
fi
printf '{"network":{"allowedDomains":[],"deniedDomains":[]},"filesystem":{"denyRead":[],"allowWrite":["."],"denyWrite":[]}}\n' \
	>"$OUT/srt-settings.json"
if [ ! -x "$SRT" ]; then
	notrun bench srt "@anthropic-ai/sandbox-runtime not installed (npm missing, offline or BENCH_NO_NPM set; see build/bench/srt-install.log)"
elif ! "$SRT" -s "$OUT/srt-settings.json" true >"$OUT/srt.err" 2>&1; then
	notrun bench srt "$(head -n 1 "$OUT/srt.err")"
else
	SRT_VERSION=$("$SRT" --version 2>/dev/null || echo '?')
	time_set bench-srt "$SRT_RUNS" none \
		"srt $SRT_VERSION" "$(q "$SRT") -s $(q "$OUT/srt-settings.json") true"
	csv_rows bench "$OUT/bench-srt.csv"
	note "srt: $SRT_RUNS runs (not $RUNS); settings: no network, writes to the project only; it starts proxies and socat bridges on every run"
fi
cd "$OUT"

# -- through the proxy, on the loopback -------------------------------
# A server on the host's loopback (python3) serves BENCH_NET_MB (256) MiB
# of zeros from memory at /big and three bytes at /small.  curl fetches
# them on the host directly, and in a proxy jail (bench-net: extends
# base, runs /bin/sh, allows the server's address and port) where the
# launcher's HTTP_PROXY sends it to the proxy: absolute-form GET, the
# proxy connects in the host's namespace and relays.  Measured:
# throughput of one large transfer (curl's %{speed_download}; host and
# jail rounds alternate, BENCH_NET_RUNS (5) each), the time of
# BENCH_NET_REQS (200) sequential small requests in one sh loop on each
# side (curl's %{time_total} of each, and the loop's wall time), and
# the peak RSS of jailrun itself while it relays the large transfer.
# The host's own proxy variables are dropped from here on: the launcher
# would send the proxy's connections through them; curl -q reads no
# ~/.curlrc.
NET_MB=${BENCH_NET_MB:-256}
NET_RUNS=${BENCH_NET_RUNS:-5}
NET_REQS=${BENCH_NET_REQS:-200}
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY \
	no_proxy NO_PROXY
NET_REASON=
rm -f net-*.txt net.port proj/.net-done proj/.net-go
if [ -n "$PX_REASON" ]; then
	NET_REASON="no proxy jail: $PX_REASON"
elif ! command -v curl >/dev/null 2>&1; then
	NET_REASON="curl is not installed (Debian package curl)"
elif ! command -v python3 >/dev/null 2>&1; then
	NET_REASON="python3 is not installed (it plays the server)"
fi
if [ -z "$NET_REASON" ]; then
	cat >netserver.py <<'EOF'
import http.server, os, sys

big = int(sys.argv[1]) << 20
chunk = memoryview(bytes(1 << 20))

class Zeros(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path not in ("/big", "/small"):
            self.send_error(404)
            return
        if self.path == "/small":
            # one write, so that the answer is one segment
            self.wfile.write(b"HTTP/1.0 200 OK\r\nContent-Length: 3\r\n\r\nok\n")
            return
        n = big
        self.send_response(200)
        self.send_header("Content-Length", str(n))
        self.end_headers()
        while n > 0:
            k = min(n, len(chunk))
            self.wfile.write(chunk[:k])
            n -= k
    def log_message(self, *a):
        pass

s = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Zeros)
with open(sys.argv[2] + ".tmp", "w") as f:
    f.write("%d\n" % s.server_address[1])
os.rename(sys.argv[2] + ".tmp", sys.argv[2])
s.serve_forever()
EOF
	python3 netserver.py "$NET_MB" "$OUT/net.port" 2>net-server.err &
	NET_PID=$!
	i=0
	while [ ! -s net.port ] && [ $i -lt 100 ] &&
		kill -0 "$NET_PID" 2>/dev/null; do
		sleep 0.1
		i=$((i + 1))
	done
	if [ -s net.port ]; then
		NET_PORT=$(cat net.port)
	else
		NET_REASON="the loopback server did not start: $(head -n 1 net-server.err)"
	fi
fi
if [ -z "$NET_REASON" ]; then
	URL=http://127.0.0.1:$NET_PORT
	{
		printf 'version = 1\nname = "bench-net"\nextends = ["base"]\n'
		printf '\n[command]\nexec = "/bin/sh"\n'
		printf '\n[[mount]]\nrw = "${PROJECT_ROOT}"\n'
		printf '\n[network]\nmode = "proxy"\nallow = ["127.0.0.1:%s"]\n' \
			"$NET_PORT"
	} >bench-net.jail
	NETX=$OUT/launchers/bench-net.exe
	"$JAILC" compile -t exe -o "$NETX" bench-net.jail 2>net-compile.err ||
		NET_REASON="jailc compile -t exe bench-net.jail failed: $(head -n 1 net-compile.err)"
fi
# That the jail's requests go through the proxy: its variable is set, an
# allowed request is answered, one to a port not allowed (9) is refused
# by the proxy (403, and the refusal in --jail-net-log), and a direct
# connect without the proxy fails (curl exit 7: no route, no listener).
if [ -z "$NET_REASON" ]; then
	(cd "$PROJ" && "$NETX" --jail-net-log "$OUT/net-refused.txt" -c "
		echo \"proxy \$HTTP_PROXY\"
		curl -q -s -o /dev/null -w 'allowed %{http_code}\n' $URL/small
		curl -q -s -o /dev/null -w 'refused %{http_code}\n' http://127.0.0.1:9/
		curl -q -s -o /dev/null --noproxy '*' --max-time 5 $URL/small
		echo \"direct \$?\"") >net-check.txt 2>net-check.err || true
	if ! grep -q '^proxy http://127.0.0.1:3128$' net-check.txt ||
		! grep -q '^allowed 200$' net-check.txt ||
		! grep -q '^refused 403$' net-check.txt ||
		! grep -q '^direct 7$' net-check.txt ||
		! grep -q '127.0.0.1:9 not in network.allow' net-refused.txt 2>/dev/null; then
		NET_REASON="the check through the proxy failed: $(tr '\n' ' ' <net-check.txt)$(head -n 1 net-check.err)"
	fi
fi

# net_jail CMD: run CMD in the proxy jail, its output to net-jail.out;
# before the jail ends, append the launcher's VmHWM (KiB) to net-hwm.txt.
# The launcher is jailrun itself, bwrap's parent, whose threads are the
# proxy; VmHWM is the peak resident set of that one process (bwrap, the
# jail and curl are other processes, not in it).  After CMD the jail
# makes .net-done in the project and waits for .net-go: the reading is
# taken in between.
net_jail() {
	rm -f "$PROJ/.net-done" "$PROJ/.net-go"
	(cd "$PROJ" && exec "$NETX" -c "$1
		: >.net-done
		while [ ! -e .net-go ]; do sleep 0.01; done") \
		>net-jail.out 2>net-jail.err &
	jp=$!
	i=0
	while [ ! -e "$PROJ/.net-done" ] && [ $i -lt 6000 ] &&
		kill -0 "$jp" 2>/dev/null; do
		sleep 0.01
		i=$((i + 1))
	done
	if [ -e "$PROJ/.net-done" ] &&
		[ "$(cat "/proc/$jp/comm")" = bench-net.exe ]; then
		awk '$1 == "VmHWM:" { print $2 }' "/proc/$jp/status" >>net-hwm.txt
	fi
	: >"$PROJ/.net-go"
	wait "$jp" || NET_REASON="the proxy jail failed: $(head -n 1 net-jail.err)"
	rm -f "$PROJ/.net-done" "$PROJ/.net-go"
}
# median FILE: of the numbers in FILE, one a line; - when none.
median() {
	sort -n "$1" | awk '{ t[NR] = $1 }
		END {
			if (NR == 0) { print "-"; exit }
			print NR % 2 ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2
		}'
}
if [ -z "$NET_REASON" ]; then
	echo "bench: through the proxy: $NET_RUNS transfers of $NET_MB MiB and $NET_REQS small requests each way"
	: >net-direct.txt
	: >net-proxy.txt
	: >net-hwm.txt
	r=0
	while [ $r -lt "$NET_RUNS" ] && [ -z "$NET_REASON" ]; do
		curl -q -s -o /dev/null -w '%{speed_download}\n' "$URL/big" \
			>>net-direct.txt
		net_jail "curl -q -s -o /dev/null -w '%{speed_download}\n' $URL/big"
		cat net-jail.out >>net-proxy.txt
		r=$((r + 1))
	done
	# jailrun's VmHWM in the same jail with no transfer, for comparison
	mv net-hwm.txt net-hwm-big.txt
	: >net-hwm.txt
	r=0
	while [ $r -lt 3 ] && [ -z "$NET_REASON" ]; do
		net_jail :
		r=$((r + 1))
	done
	mv net-hwm.txt net-hwm-idle.txt
	# The same loop on each side: each request's time_total, then the
	# loop's wall time in ns.
	LOOP="i=0
		t0=\$(date +%s%N)
		while [ \$i -lt $NET_REQS ]; do
			curl -q -s -o /dev/null -w '%{time_total}\n' $URL/small
			i=\$((i + 1))
		done
		t1=\$(date +%s%N)
		echo wall \$((t1 - t0))"
	sh -c "$LOOP" >net-reqs-direct.txt
	if [ -z "$NET_REASON" ]; then
		net_jail "$LOOP"
		cp net-jail.out net-reqs-proxy.txt
	fi
fi
if [ -z "$NET_REASON" ]; then
	for w in direct proxy; do
		grep -v '^wall' "net-reqs-$w.txt" >"net-req-$w.txt" || true
		[ "$(wc -l <"net-req-$w.txt")" -eq "$NET_REQS" ] ||
			NET_REASON="$NET_REQS requests asked, $(wc -l <"net-req-$w.txt" | tr -d ' ') timed ($w)"
	done
fi
if [ -z "$NET_REASON" ]; then
	# what the report prints: MB/s (10^6 bytes), ms, KiB
	NET_TD=$(median net-direct.txt | awk '{ printf "%.0f", $1 / 1e6 }')
	NET_TP=$(median net-proxy.txt | awk '{ printf "%.0f", $1 / 1e6 }')
	NET_RD=$(median net-req-direct.txt | awk '{ printf "%.3f", $1 * 1000 }')
	NET_RP=$(median net-req-proxy.txt | awk '{ printf "%.3f", $1 * 1000 }')
	NET_WD=$(awk -v n="$NET_REQS" '$1 == "wall" { printf "%.3f", $2 / n / 1e6 }' net-reqs-direct.txt)
	NET_WP=$(awk -v n="$NET_REQS" '$1 == "wall" { printf "%.3f", $2 / n / 1e6 }' net-reqs-proxy.txt)
	NET_HB=$(median net-hwm-big.txt)
	NET_HI=$(median net-hwm-idle.txt)
fi
if [ -n "$NET_PID" ]; then
	kill "$NET_PID" 2>/dev/null || true
	wait "$NET_PID" 2>/dev/null || true
	NET_PID=
fi

# -- jailc check on 1000 generated profiles ---------------------------
sh "$ROOT/bench/genprofiles.sh" "$OUT/profiles" 1000
CHECK_DIAG=$("$JAILC" check "$OUT"/profiles/*.jail 2>&1 | wc -l)
set -- "jailc check x1000" "$(q "$JAILC") check $(q "$OUT/profiles")/*.jail"
time_set check "$CHECK_RUNS" sh "$@"
CHECK_S=$(awk -F, 'NR == 2 { print $4 }' check.csv)

# -- jailc check on one profile with 20,000 optional mounts ----------
# Every optional read-only bind is one lint would compare with every
# other mount if it scanned them; one writable mount, beneath which none
# of them lies, so that no lookup stops early.
MOUNTS=20000
awk -v n="$MOUNTS" 'BEGIN {
	printf "version = 1\nname = \"mounts\"\n\n[command]\nexec = \"/bin/true\"\n"
	for (i = 0; i < n; i++)
		printf "\n[[mount]]\nro = \"/srv/d%d/f\"\noptional = true\n", i
	printf "\n[[mount]]\nrw = \"/srv/w\"\n"
}' >"$OUT/mounts.jail"
set -- "jailc check of $MOUNTS mounts" "$(q "$JAILC") check $(q "$OUT/mounts.jail")"
time_set check-mounts "$CHECK_RUNS" sh "$@"
MOUNTS_S=$(awk -F, 'NR == 2 { print $4 }' check-mounts.csv)

# -- size and peak RSS --------------------------------------------------
if [ -x "$JAILRUN" ]; then
	SIZE=$(size "$JAILRUN" | awk 'NR == 2 { printf "text %s, data %s, bss %s", $1, $2, $3 }')
	FILE_B=$(wc -c <"$JAILRUN" | tr -d ' ')
	strip -o jailrun.stripped "$JAILRUN"
	STRIP_B=$(wc -c <jailrun.stripped | tr -d ' ')
else
	SIZE="not measured: no ./jailrun" FILE_B=- STRIP_B=-
fi

# rss LABEL CMD: median of 5 peak-RSS readings (KiB) of CMD, or a reason.
: >rss.txt
rss() {
	if [ ! -x /usr/bin/time ]; then
		printf '%s|not measured: /usr/bin/time is not installed\n' "$1" >>rss.txt
		return
	fi
	: >rss.one
	r=0
	while [ $r -lt 5 ]; do
		(cd "$PROJ" && eval "/usr/bin/time -f %M -a -o $(q "$OUT/rss.one") $2") \
			>/dev/null 2>&1 || true
		r=$((r + 1))
	done
	printf '%s|%s\n' "$1" "$(sort -n rss.one | sed -n 3p)" >>rss.txt
}
if [ -z "$JR_REASON" ]; then
	rss "jailrun launcher --jail-print-argv (jailrun alone, to the point of exec)" \
		"$(q "$OUT/launchers/bench.exe") --jail-print-argv"
	rss "jailrun launcher, real run (peak of jailrun, bwrap and true)" \
		"$(q "$OUT/launchers/bench.exe")"
else
	printf 'jailrun launcher|not measured: %s\n' "$JR_REASON" >>rss.txt
fi
rss "shell launcher --jail-print-argv (bash, then jailrun)" "$(q "$OUT/launchers/bench.sh") --jail-print-argv"
rss "bare bwrap, real run (the floor)" "$(cat bench.cmd)"
rss "jailc check on the 1000 generated profiles (one run)" \
	"$(q "$JAILC") check $(q "$OUT/profiles")/*.jail"

# -- the report -------------------------------------------------------
ratio_table() { # ratio_table SET [GOAL]: jailrun's goal, × floor (1.05)
	awk -F'|' -v set="$1" -v goal="${2:-1.05}" '
	$1 != set { next }
	{ n++; m[n] = $2; med[n] = $3; mean[n] = $4; sd[n] = $5; nt[n] = $6 }
	$2 == "floor" { floor = $3 }
	$2 == "floor-fd" { fd = $3 }
	$2 == "jailrun" { jr = $3 }
	END {
		print "| method | median ms | mean ± σ ms | × floor | × floor-fd | target | verdict |"
		print "| --- | ---: | ---: | ---: | ---: | --- | --- |"
		for (i = 1; i <= n; i++) {
			if (med[i] == "-") {
				printf "| %s | - | - | - | - | %s | %s |\n", m[i],
				    m[i] == "jailrun" ? "≤ " goal "×" : "", nt[i]
				continue
			}
			r = med[i] / floor; rf = med[i] / fd
			tgt = ""; v = ""
			if (m[i] == "jailrun") { tgt = "≤ " goal "×"; v = r <= goal + 0 ? "met" : "missed" }
			if (m[i] == "shell" && jr > 0) {
				tgt = sprintf("≤ 1.2× jailrun (%.3f×)", med[i] / jr)
				v = med[i] / jr <= 1.2 ? "met" : "missed"
			}
			printf "| %s | %.2f | %.2f ± %.2f | %.3f | %.3f | %s | %s |\n",
			    m[i], med[i] * 1000, mean[i] * 1000, sd[i] * 1000, r, rf, tgt, v
		}
	}' rows.txt
}

# claude_table SET: the claude sets' rows against floor-fd and jailrun,
# and the share of git (the two reference rows' difference).
claude_table() {
	awk -F'|' -v set="$1" '
	$1 != set { next }
	{ n++; m[n] = $2; med[n] = $3; mean[n] = $4; sd[n] = $5; nt[n] = $6 }
	$2 == "floor-fd" { fd = $3 }
	$2 == "jailrun" { jr = $3 }
	$2 == "ref: jailrun --jail-print-argv" { pa = $3 }
	$2 == "ref: jailrun --jail-print-argv without git" { pn = $3 }
	END {
		print "| method | median ms | mean ± σ ms | × floor-fd | × jailrun | target | verdict |"
		print "| --- | ---: | ---: | ---: | ---: | --- | --- |"
		for (i = 1; i <= n; i++) {
			if (med[i] == "-") {
				printf "| %s | - | - | - | - | | %s |\n", m[i], nt[i]
				continue
			}
			rf = fd > 0 ? med[i] / fd : 0
			rj = jr > 0 ? med[i] / jr : 0
			tgt = ""; v = ""
			if (m[i] == "jailrun") { tgt = "≤ 1.2× floor-fd"; v = rf <= 1.2 ? "met" : "missed" }
			if (m[i] == "shell") { tgt = "≤ 1.2× jailrun"; v = rj <= 1.2 ? "met" : "missed" }
			printf "| %s | %.2f | %.2f ± %.2f | %.3f | %.3f | %s | %s |\n",
			    m[i], med[i] * 1000, mean[i] * 1000, sd[i] * 1000, rf, rj, tgt, v
		}
		if (pa > 0 && pn > 0)
			printf "\ngit, as jailrun runs it (print-argv with git minus pinned to none): %.2f ms of jailrun'"'"'s %.2f ms\n",
			    (pa - pn) * 1000, pa * 1000
	}' rows.txt
}

# Lines of runtime/ and of the claude launchers.
RT_LINES=$(cat "$ROOT"/runtime/*.c "$ROOT"/runtime/*.h | wc -l | tr -d ' ')
CL_SH_LINES=$(wc -l <launchers/claude-full.sh 2>/dev/null | tr -d ' ')
CL_PLAN_LINES=$(sed -n "/<<'JAILC_PLAN'\$/,/^JAILC_PLAN\$/p" \
	launchers/claude-full.sh 2>/dev/null | sed '1d;$d' | wc -l | tr -d ' ')
if [ -x "$ROOT/jailrun-static" ]; then
	STATIC_B=$(wc -c <"$ROOT/jailrun-static" | tr -d ' ')
else
	STATIC_B="not built (make jailrun-static: musl-tools)"
fi

{
	echo "# jailc launch benchmark"
	echo
	echo "- date: $(date -u +%Y-%m-%dT%H:%MZ); host: $(uname -srm), $(nproc) CPUs"
	echo "- $("$BWRAP" --version 2>/dev/null || echo bwrap ?) at $BWRAP"
	echo "- timer: ${HF:-sh loop with date +%s%N (no hyperfine)}; $RUNS runs, $WARMUP warm-up runs each; medians"
	echo "- command inside: /bin/true; profile: extends base, project rw (build/bench/proj, its own .git)"
	echo "- floor: bwrap with the words of \`launcher --jail-print-argv\` on the command line, run directly (hyperfine -N), but without \`--seccomp\` (a command line passes no descriptor)"
	echo "- floor-fd: the same options, the filter included, read by bwrap from files with \`--args 3\` and \`--seccomp\` (as jailrun does, from memfds), run through sh with sh's start-up subtracted: the same sandbox as the launchers'"
	echo "- the launchers find bwrap through PATH, as installed launchers do; the floor names it by path"
	echo
	echo "## Launch of true, no workdir (the launcher execs bwrap)"
	echo
	ratio_table bench
	echo
	echo "## Launch of true, state.workdir = true (the launcher stays as bwrap's parent)"
	echo
	ratio_table bench-workdir
	echo
	echo "The floor of the workdir set binds a directory made once beforehand; the launchers make and remove theirs on every run."
	echo
	echo "## Launch of true, network.mode = host (a Landlock scope, as the agent profiles have)"
	echo
	ratio_table bench-hostnet
	echo
	echo "The floor has no scope (bare bwrap cannot make one); jailrun enters the Landlock domain itself, for both forms of launcher."
	echo
	echo "## Launch of true, network.mode = proxy (issue 14: the launcher stays as bwrap's parent and runs the proxy)"
	echo
	ratio_table bench-proxy 1.3
	echo
	echo "The floor, floor-fd and floor (again) of this set are the bench set's commands, timed again here: network.mode = none is bare bwrap with --unshare-net and the same mounts.  What the proxy jail has besides: the launcher's own executable bound at /.jailrun-net and run first in the jail (it listens on 127.0.0.1:3128 and hands the socket to the launcher), the proxy's variables, and the launcher staying as bwrap's parent with its proxy thread.  Goal (issue 14): ≤ 1.3× the floor."
	awk -F'|' '
	$1 == "bench" && $2 ~ /^srt / && $3 != "-" { srt = $3; name = $2 }
	$1 == "bench-proxy" && $2 == "floor" { floor = $3 }
	$1 == "bench-proxy" && $2 == "jailrun" && $3 != "-" { jr = $3 }
	END {
		if (srt == "" || floor == "")
			exit
		printf "\n%s (its row of the first table, timed in a run of its own; no host allowed, its proxies and bridges started): %.2f ms, %.2f× this set'"'"'s floor", name, srt * 1000, srt / floor
		if (jr > 0)
			printf ", %.2f× jailrun in proxy mode", srt / jr
		print "."
	}' rows.txt
	echo
	echo "## Through the proxy, on the loopback"
	echo
	echo "A python3 server on the host's 127.0.0.1 serves $NET_MB MiB of zeros and a 3-byte file; curl fetches them directly on the host and in a proxy jail (base, /bin/sh, the server's address and port in network.allow), where the launcher's HTTP_PROXY sends curl to the proxy (plain HTTP in absolute form; the proxy relays with splice)."
	echo
	echo "| measure | direct | through the proxy | proxy vs direct | goal | verdict |"
	echo "| --- | ---: | ---: | ---: | --- | --- |"
	if [ -n "$NET_REASON" ]; then
		for m in "one $NET_MB MiB transfer, MB/s" \
			"small request, curl time_total, ms" \
			"small request, loop wall time per request, ms" \
			"jailrun's peak RSS during the transfer, KiB"; do
			echo "| $m | - | - | - | | not run: $NET_REASON |"
		done
	else
		awk -v d="$NET_TD" -v p="$NET_TP" -v n="$NET_RUNS" -v mb="$NET_MB" \
			'BEGIN { printf "| one %s MiB transfer, MB/s (median of %s) | %s | %s | %.2f× | | |\n", mb, n, d, p, p / d }'
		awk -v d="$NET_RD" -v p="$NET_RP" -v n="$NET_REQS" \
			'BEGIN { a = p - d; printf "| small request, curl time_total, ms (median of %s) | %.3f | %.3f | %+.3f ms | ≤ 1 ms added | %s |\n", n, d, p, a, a <= 1 ? "met" : "missed" }'
		awk -v d="$NET_WD" -v p="$NET_WP" -v n="$NET_REQS" \
			'BEGIN { printf "| small request, loop wall time / %s, ms (curl'"'"'s start included) | %.3f | %.3f | %+.3f ms | | |\n", n, d, p, p - d }'
		echo "| jailrun's peak RSS (VmHWM) during the transfer, KiB | | $NET_HB | idle proxy jail: $NET_HI | | |"
	fi
	echo
	echo "Throughput is curl's %{speed_download}, host and jail rounds alternating.  time_total is curl's own clock for one request (connect, request, answer; not its process start): the difference is what the proxy adds to setting up a connection and getting an answer through it.  The loop's wall time per request includes curl's start, and in the jail the exec of a binary from the jail's mounts.  jailrun's peak RSS is VmHWM of the launcher process (jailrun, bwrap's parent; its threads are the proxy), read from /proc on the host after the transfer and before the jail ends; bwrap, the jail and curl are other processes, not counted; the idle figure is the same jail running \`:\`."
	for c in fresh full; do
		echo
		case $c in
		fresh) echo "## The shipped claude profile, a fresh \`git init\` checkout (no protected path present)" ;;
		full) echo "## The shipped claude profile, a checkout where every protected path exists" ;;
		esac
		echo
		claude_table "claude-$c"
	done
	echo
	echo "The claude sets run profiles/claude.jail as shipped (extends base and git; network.mode = proxy, so the launcher stays as bwrap's parent and runs the proxy; a work directory; the host's git identity; core.hooksPath looked up), its \`claude\` a copy of /bin/true; bwrap pinned by path.  Both compare with the floor-fd of the checkout where every path exists: the same bwrap options and descriptors, read from files, the command run directly, without the proxy's helper (it needs the launcher's socket pair)."
	echo "\`floor (again)\` is the floor timed last in its set: its distance from \`floor\` is the drift over the set."
	echo "The \`ref:\` rows are not sandboxes: one exec of /bin/true is what any launcher that is its own executable adds at least; \`jailrun --jail-print-argv\` is that plus jailrun's own work (verify the blob, work out the jail, print instead of exec)."
	if [ -s notes.txt ]; then
		echo
		sed 's/^/- /' notes.txt
	fi
	echo
	echo "## jailrun size"
	echo
	echo "| what | figure |"
	echo "| --- | --- |"
	echo "| size(1) of ./jailrun | $SIZE |"
	echo "| file size of ./jailrun | $FILE_B bytes |"
	echo "| stripped (strip -o) | $STRIP_B bytes |"
	if [ -f launchers/bench.exe ] && [ -z "$JR_REASON" ]; then
		echo "| bench launcher (jailrun + blob) | $(wc -c <launchers/bench.exe | tr -d ' ') bytes |"
	fi
	echo "| static jailrun (musl, stripped) | $STATIC_B bytes |"
	echo "| bench shell launcher | $(wc -c <launchers/bench.sh | tr -d ' ') bytes |"
	echo "| claude shell launcher | ${CL_SH_LINES:-?} lines, of which ${CL_PLAN_LINES:-?} the plan |"
	echo "| runtime/*.c and *.h | $RT_LINES lines |"
	echo
	echo "## Peak RSS (/usr/bin/time -f %M, median of 5)"
	echo
	echo "| what | KiB |"
	echo "| --- | ---: |"
	sed 's/^\(.*\)|\(.*\)$/| \1 | \2 |/' rss.txt
	echo
	echo "## jailc check, 1000 generated profiles; $MOUNTS mounts"
	echo
	printf '%s\n' "- \`jailc check build/bench/profiles/*.jail\` (1000 profiles of 4 kinds: extends base, base+git or nothing; 1-5 optional ro binds, project rw, tmpfs, data and symlink mounts; env allow/deny/set; network none/host; hostnames), $CHECK_RUNS runs: median $(awk -v s="$CHECK_S" 'BEGIN { printf "%.3f", s }') s; target ≤ 0.5 s: $(awk -v s="$CHECK_S" 'BEGIN { print s <= 0.5 ? "met" : "missed" }'); diagnostics printed: $CHECK_DIAG lines"
	printf '%s\n' "- \`jailc check build/bench/mounts.jail\` (one profile, $MOUNTS optional read-only binds and one writable mount), $CHECK_RUNS runs: median $(awk -v s="$MOUNTS_S" 'BEGIN { printf "%.3f", s }') s"
	printf '%s\n' "- peak RSS of one \`jailc check\` over the 1000 profiles: in the table above (each profile's memory is freed when it is done)"
	echo
	echo "Raw data: build/bench/json/*.json (hyperfine), build/bench/*.csv."
} >results.md

cat results.md
