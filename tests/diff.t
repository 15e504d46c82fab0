#!/bin/sh
# diff.t - one interpreter, two forms of plan: for the same profile and
# the same host (the environment, the current directory, the git layout,
# what exists on disk), the shell launcher (the text plan, through
# jailrun --plan-fd) and jailrun with the blob hand bwrap byte-identical
# arguments, which carry the child environment too, and refuse the same
# launches with the same words.  Each launcher's text plan, read back, is
# the blob byte for byte.
. tests/lib.sh

if [ -n "${JAILC_BIN:-}" ]; then
	JAILRUN=$JAILC_BIN/jailrun
else
	JAILRUN=jailrun
fi
# The contexts are other directories: name both by absolute paths.
case $JAILRUN in
/*) ;;
*) JAILRUN=$PWD/$JAILRUN ;;
esac
case $JAILC in
/*) ;;
*) JAILC=$PWD/$JAILC ;;
esac
if [ ! -x "$JAILRUN" ]; then
	echo "1..0 # SKIP $JAILRUN is not built (make jailrun)"
	exit 0
fi
if ! command -v git >/dev/null 2>&1; then
	echo "1..0 # SKIP git is not installed (the contexts are repositories)"
	exit 0
fi

# The host: a home with a git identity that needs quoting, a repository
# with a linked worktree, a directory outside any repository.
# Outside the source tree, whose .git would be every context's project.
D=$(mktemp -d /tmp/jailc-diff.XXXXXX) && D=$(cd "$D" && pwd -P) || exit 1
trap 'rm -rf "$D"' EXIT
H=$D/home
mkdir -p "$H/.claude" "$D/plain" "$D/opt/present"
printf '[user]\n\tname = "Ann \\"Q\\" O'"'"'Neil\\t[x]"\n\temail = a@b.c\n' \
    >"$H/.gitconfig"
git init -q "$D/repo" && mkdir -p "$D/repo/sub" &&
	git -C "$D/repo" -c user.name=t -c user.email=t@t commit -q \
	    --allow-empty -m init &&
	git -C "$D/repo" worktree add -q "$D/wt" 2>/dev/null
tap $? "a repository with a linked worktree"
# Two hostile ones: a .git file naming another repository's git
# directory, and a checkout with a planted .git/commondir.
mkdir -p "$D/forged" && echo "gitdir: ../repo/.git" >"$D/forged/.git"
git init -q "$D/planted" && echo "$D/repo/.git" >"$D/planted/.git/commondir"

# Protected paths: profiles and submodule git directories that sort
# differently path by path than name by name ("a-b/" before "a/"), an
# editor directory, ~/.bashrc leading into the repository, a directory
# whose name holds glob characters, and a protected .envrc that is a
# link the jail could replace (refused by both).
for f in B.jail a.jail _z.jail a-b.jail; do
	echo 'version = 1' >"$D/repo/$f"
done
mkdir -p "$D/repo/.git/modules/a/hooks" "$D/repo/.git/modules/a-b/hooks" \
    "$D/repo/.vscode" "$D/g[l]ob*" "$D/linkenv"
: >"$D/repo/.git/modules/a/config"
: >"$D/repo/.git/modules/a-b/config"
: >"$D/repo/rc"
ln -s ../repo/rc "$H/.bashrc"
echo 'version = 1' >"$D/g[l]ob*/x.jail"
ln -s ../home "$D/linkenv/.envrc"

# Profiles: the shipped agents, the golden test profiles, and two more.
mkdir -p "$D/p" "$D/sh" "$D/blob"
for f in profiles/*.jail tests/golden/*.jail; do
	cp "$f" "$D/p/"
done
{
	printf 'version = 1\nname = "odd"\nextends = ["base", "git"]\n'
	printf '[command]\nexec = "/bin/sh"\n'
	printf 'args = ["-c", "x $$(y) `z` '"'"'q'"'"' \\"d\\"\\n\\t*?[ab]", "--", "é漢😀", ""]\n'
	printf '[env]\nallow = ["LC_*", "ODD_?", "K[AB]*", "ANTHROPIC_API_KEY"]\n'
	printf 'deny = ["*_TOKEN", "KB*"]\nextra-from = "ODD_EXTRA"\n'
	printf '[env.set]\nODD_SET = "${HOME}/$$x ${PROJECT_ID} ${WORKTREE}"\n'
	printf '[[mount]]\nrw = "${PROJECT_ROOT}"\n[[mount]]\nrw = "${WORKTREE}"\n'
	printf '[[mount]]\nro = "%s/opt/present"\noptional = true\n' "$D"
	printf '[[mount]]\nro = "%s/opt/absent"\noptional = true\n' "$D"
	printf '[[mount]]\nrw = "~/.claude"\ncreate = true\n'
	printf '[[mount]]\nrw = "${XDG_STATE_HOME}/odd"\ncreate = true\n'
	printf '[state]\nworkdir = true\n'
} >"$D/p/odd.jail"
# The process knobs the others leave alone: a nested sandbox (no
# --disable-userns, a filter without the namespace rules), no base filter
# but a denied call, every limit, unlimited ones among them.
{
	printf 'version = 1\nname = "sec"\nextends = ["base"]\n'
	printf '[command]\nexec = "/bin/true"\n'
	printf '[[mount]]\nrw = "${PROJECT_ROOT}"\n'
	printf '[process]\nnested-sandbox = true\n'
	printf '[process.limits]\nnofile = 512\nnproc = "unlimited"\n'
	printf 'as = 8589934592\nfsize = "unlimited"\ncpu = 1\ncore = 4096\n'
} >"$D/p/sec.jail"
{
	printf 'version = 1\nname = "secoff"\nextends = ["base"]\n'
	printf '[command]\nexec = "/bin/true"\n'
	printf '[[mount]]\nrw = "${PROJECT_ROOT}"\n'
	printf '[seccomp]\nprofile = "off"\ndeny = ["mknod", "ptrace"]\n'
} >"$D/p/secoff.jail"
{
	printf 'version = 1\nname = "many"\nextends = ["base"]\n'
	printf '[command]\nexec = "/bin/true"\n'
	printf '[[mount]]\nrw = "${PROJECT_ROOT}"\n'
	i=0
	while [ "$i" -lt 300 ]; do
		printf '[[mount]]\nro = "/opt/many/%d"\noptional = true\n' "$i"
		printf '[[mount]]\ntmpfs = "/run/many/%d"\n' "$i"
		i=$((i + 1))
	done
} >"$D/p/many.jail"

# Every profile with a command compiles both ways, or neither; the
# parents (no command) neither.  The shell launcher's plan is the blob
# in its text form: read back, the very bytes of -t blob.
ok=0 nocmd=0
for f in "$D"/p/*.jail; do
	n=$(basename "$f" .jail)
	"$JAILC" compile --standalone -o "$D/sh/$n" "$f" 2>"$D/err.sh"
	rs=$?
	"$JAILC" compile -t blob -o "$D/blob/$n.jailb" "$f" 2>"$D/err"
	rb=$?
	if [ "$rs" != 0 ] && [ "$rb" != 0 ] &&
	    grep -q '\[no-command\]$' "$D/err"; then
		nocmd=$((nocmd + 1))
		continue
	fi
	if [ "$rs" != 0 ] || [ "$rb" != 0 ]; then
		tap 1 "$n: compiles to shell ($rs) and to a blob ($rb)"
		tap_diag "$(cat "$D/err.sh" "$D/err")"
		continue
	fi
	sed -n "/<<'JAILC_PLAN'\$/,/^JAILC_PLAN\$/p" "$D/sh/$n" | sed '1d;$d' \
	    >"$D/$n.plan"
	"$TOOLS/plantext" blob "$D/$n.plan" >"$D/$n.fromtext" 2>"$D/err" &&
	    cmp -s "$D/$n.fromtext" "$D/blob/$n.jailb"
	tap $? "$n: the shell launcher's plan, read back, is the blob byte for byte"
	ok=$((ok + 1))
done
# 10 shipped and golden profiles with a command, and the four above
[ "$ok" -ge 14 ] && [ "$nocmd" -ge 3 ]
tap $? "$ok profiles compiled both ways, $nocmd parents neither"

# The environments: nearly empty; typical (with names to allow, deny
# and pass through extra-from); hostile values and invalid names; huge.
env_min() {
	env -i HOME="$H" PATH=/usr/bin:/bin "$@"
}
env_typical() {
	env -i HOME="$H" PATH=/usr/bin:/bin USER=ann TERM=xterm-256color \
	    LANG=C.UTF-8 LC_ALL=C LC_TIME=en_GB.UTF-8 \
	    ANTHROPIC_API_KEY=sk-ant-diff-canary GITHUB_TOKEN=ghp_no \
	    XDG_CONFIG_HOME="$D/xdg" XDG_STATE_HOME=relative/ignored \
	    ODD_A=1 ODD_EXTRA=' KA1, KA2,,NOT_SET' KA1=ka KA2=ka2 KB2=kb \
	    TMPDIR="$D/tmp" "$@"
}
env_odd() {
	env -i HOME="$H/" PATH=/usr/bin:/bin "LC_X=a
b" 'LC_Y=$(id) `id` '"'"'"' "LC_Z=é	漢" 'ODD-1=x' 'ODD_B=' \
	    ODD_EXTRA='ODD_B' 'KA=*' "$@"
}
awk 'BEGIN {
	for (i = 0; i < 2000; i++) {
		v = sprintf("%0200d", i)
		printf "LC_%d=%s\nV_%d=%s\n", i, v, i, v
	}
}' >"$D/huge.env"
env_huge() {
	# shellcheck disable=SC2046 # one word per line, no spaces in it
	env -i HOME="$H" PATH=/usr/bin:/bin $(cat "$D/huge.env") "$@"
}

# run OUT ENV DIR COMMAND...: run it, leaving stdout, stderr and the
# exit status in OUT.{out,err,rc}.
run() {
	out=$1 e=$2 dir=$3
	shift 3
	(cd "$dir" && "env_$e" "$@") >"$out.out" 2>"$out.err"
	echo $? >"$out.rc"
}

# refusal PROFILE CONTEXT: why both launchers are expected to refuse
# PROFILE in CONTEXT, as a piece of the message; nothing when they
# must launch.  Two launchers that refuse alike are identical, but
# not a comparison of what they launch: a refusal is one only for
# its expected reason.
refusal() {
	case $1 in
	uses-*)
		# no mount holds the project
		echo "is not in the jail (no mount holds it)"
		return
		;;
	mounts)
		# (launches where the host has a /dev/kvm)
		echo "/dev/kvm does not exist"
		return
		;;
	esac
	case $2:$1 in
	linkenv:*) echo "is a symbolic link; a protected path is not followed" ;;
	wt:many | wt:process | wt:sec | wt:secoff)
		# the project is mounted, not the worktree
		echo "is not in the jail (no mount holds it)"
		;;
	esac
}

launched=0
for f in "$D"/blob/*.jailb; do
	n=$(basename "$f" .jailb)
	# Every context in a typical environment; the other environments
	# in two contexts; the huge one (slow for bash) for two profiles.
	for ce in repo:typical repo/sub:typical wt:typical plain:typical \
	    forged:typical planted:typical repo:min wt:min repo:odd plain:odd \
	    'g[l]ob*:typical' linkenv:typical repo:huge; do
		ctx=${ce%:*} e=${ce#*:}
		case $e:$n in
		huge:claude | huge:odd | huge:many | [!h]*) ;;
		*) continue ;;
		esac
		{
			run "$D/s" "$e" "$D/$ctx" bash "$D/sh/$n" \
			    --jail-print-argv 'a b' '' '--jail-x' "c
d"
			run "$D/r" "$e" "$D/$ctx" "$JAILRUN" "$f" \
			    --jail-print-argv 'a b' '' '--jail-x' "c
d"
			why=$(refusal "$n" "$ctx")
			rc=$(cat "$D/s.rc")
			if ! cmp -s "$D/s.out" "$D/r.out" ||
			    ! cmp -s "$D/s.rc" "$D/r.rc" ||
			    ! cmp -s "$D/s.err" "$D/r.err"; then
				:
			elif [ "$rc" = 0 ]; then
				launched=$((launched + 1))
				tap 0 "$n in $ctx, $e env: identical ($rc)"
				continue
			elif [ -n "$why" ] && grep -q -F -e "$why" "$D/s.err"; then
				tap 0 "$n in $ctx, $e env: the same refusal ($rc: ...$why...)"
				continue
			else
				tap 1 "$n in $ctx, $e env: identical, but refused for no reason the test expects ($rc)"
				tap_diag "expected: ${why:-a launch}" "$(head -n 3 "$D/s.err")"
				continue
			fi
			{
				tap 1 "$n in $ctx, $e env: identical"
				tap_diag "shell: rc $(cat "$D/s.rc")" \
				    "$(head -c 2000 "$D/s.err")" \
				    "jailrun: rc $(cat "$D/r.rc")" \
				    "$(head -c 2000 "$D/r.err")" \
				    "$(tr '\0' '\n' <"$D/s.out" >"$D/s.txt"
				    tr '\0' '\n' <"$D/r.out" >"$D/r.txt"
				    diff "$D/s.txt" "$D/r.txt" | head -n 20)"
			}
		}
	done
done
# Most comparisons are of what the launchers would run, not of refusals.
[ "$launched" -ge 100 ]
tap $? "$launched comparisons of launches, not refusals (at least 100)"

# Refusals: the same words, the same status.
printf 'version = 1\nname = "missing"\n[command]\nexec = "/bin/true"\n[[mount]]\nro = "%s/nope"\n' \
    "$D" >"$D/p/missing.jail"
"$JAILC" compile --standalone -o "$D/sh/missing" "$D/p/missing.jail" &&
	"$JAILC" compile -t blob -o "$D/blob/missing.jailb" "$D/p/missing.jail"
for mode in --jail-print-argv --jail-dry-run; do
	run "$D/s" min "$D/plain" bash "$D/sh/missing" "$mode"
	run "$D/r" min "$D/plain" "$JAILRUN" "$D/blob/missing.jailb" "$mode"
	cmp -s "$D/s.err" "$D/r.err" && cmp -s "$D/s.rc" "$D/r.rc" &&
		[ "$(cat "$D/r.rc")" = 125 ]
	tap $? "a missing required source, $mode: the same refusal (125)"
	tap_diag "$(cat "$D/s.err" "$D/r.err")"
done
# Mounts that resolve to one place, or one above another's, on this
# host only: HOME under PROJECT_ROOT puts the home tmpfs after the
# project (jailc ranks HOME first), and two binds resolve alike.
printf 'version = 1\nname = "order"\nextends = ["base"]\n[command]\nexec = "/bin/true"\n[[mount]]\nro = "${PROJECT_ROOT}"\n[[mount]]\nro = "${CWD}"\n[[mount]]\nro = "~/x"\noptional = true\n' \
    >"$D/p/order.jail"
"$JAILC" compile --standalone -o "$D/sh/order" "$D/p/order.jail" &&
	"$JAILC" compile -t blob -o "$D/blob/order.jailb" "$D/p/order.jail"
mkdir -p "$D/repo/h/x"
for mode in --jail-print-argv --jail-check; do
	(cd "$D/repo" && env -i HOME="$D/repo/h" PATH=/usr/bin:/bin bash \
	    "$D/sh/order" "$mode") >"$D/s.out" 2>"$D/s.err"
	echo $? >"$D/s.rc"
	(cd "$D/repo" && env -i HOME="$D/repo/h" PATH=/usr/bin:/bin \
	    "$JAILRUN" "$D/blob/order.jailb" "$mode") >"$D/r.out" 2>"$D/r.err"
	echo $? >"$D/r.rc"
	cmp -s "$D/s.err" "$D/r.err" && cmp -s "$D/s.rc" "$D/r.rc" &&
		[ "$(cat "$D/r.rc")" != 0 ] && grep -q 'would hide' "$D/r.err"
	tap $? "mounts out of order on this host, $mode: the same refusal"
	tap_diag "$(cat "$D/s.err")" "---" "$(cat "$D/r.err")"
done
run "$D/s" min "$D/plain" bash "$D/sh/claude" --jail-frobnicate
run "$D/r" min "$D/plain" "$JAILRUN" "$D/blob/claude.jailb" --jail-frobnicate
cmp -s "$D/s.err" "$D/r.err" && cmp -s "$D/s.rc" "$D/r.rc"
tap $? "an unknown launcher flag: the same refusal ($(cat "$D/r.rc"))"

# The single-file launcher is jailrun with the blob: the same words, but
# for the one that names the launcher's own executable, which a proxy
# jail binds at /.jailrun-net (jail(5), NETWORK PROXY): jailrun for the
# shell launcher, the single file itself for the other.
if JAILRUN=$JAILRUN "$JAILC" compile -t exe -o "$D/claude-exe" \
    "$D/p/claude.jail" 2>"$D/err"; then
	run "$D/s" typical "$D/repo" bash "$D/sh/claude" --jail-print-argv x
	run "$D/r" typical "$D/repo" "$D/claude-exe" --jail-print-argv x
	tr '\0' '\n' <"$D/s.out" | sed "s|^$JAILRUN\$|LAUNCHER|" >"$D/s.txt"
	tr '\0' '\n' <"$D/r.out" | sed "s|^$D/claude-exe\$|LAUNCHER|" >"$D/r.txt"
	grep -q -x /.jailrun-net "$D/r.txt" &&
	    [ "$(grep -c -x LAUNCHER "$D/s.txt")" = 1 ] &&
	    diff "$D/s.txt" "$D/r.txt" >"$D/argv.diff" &&
	    cmp -s "$D/s.rc" "$D/r.rc"
	tap $? "the single-file launcher: identical but for the helper's source"
	tap_diag "$(head -n 20 "$D/argv.diff")"
else
	tap 1 "jailc compile -t exe"
	tap_diag "$(cat "$D/err")"
fi
tap_done
