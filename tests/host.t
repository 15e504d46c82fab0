#!/bin/sh
# host.t - runtime/host.c with an error callback that returns, as the
# compiler's review code would use it (build/hostprobe): a problem is
# reported and the answers that do not depend on it still come; the
# project rules (a .git link refused, a forged worktree not followed)
# and the protected-path walk answer as jailrun's.
. tests/lib.sh

PROBE=${JAILC_BIN:-build}/hostprobe
[ -x "$PROBE" ] || PROBE=build/hostprobe
case $PROBE in
/*) ;;
*) PROBE=$PWD/$PROBE ;;
esac
if [ ! -x "$PROBE" ]; then
	echo "1..0 # SKIP $PROBE is not built (make build/hostprobe)"
	exit 0
fi
if ! command -v git >/dev/null 2>&1; then
	echo "1..0 # SKIP git is not installed (the contexts are repositories)"
	exit 0
fi
# Outside the source tree, whose .git would be every context's project.
D=$(mktemp -d /tmp/jailc-host.XXXXXX) && D=$(cd "$D" && pwd -P) || exit 1
trap 'rm -rf "$D"' EXIT
mkdir -p "$D/plain" "$D/linked" "$D/forged" "$D/w/real"
git init -q "$D/repo" && ln -s ../repo/.git "$D/linked/.git" &&
	echo "gitdir: ../repo/.git" >"$D/forged/.git" &&
	ln -s real "$D/w/link"
tap $? "contexts: a plain directory, a .git link, a forged worktree"

(cd "$D/plain" && env -u HOME "$PROBE" vars) >"$D/out" 2>&1
rc=$?
[ "$rc" = 0 ] && grep -qx "problem fatal: HOME is not set" "$D/out" &&
	grep -qx "HOME=(none)" "$D/out" && grep -qx "CWD=$D/plain" "$D/out" &&
	grep -qx "XDG_CONFIG_HOME=(none)" "$D/out" &&
	grep -qx "XDG_RUNTIME_DIR=/run/user/$(id -u)" "$D/out"
tap $? "HOME unset: reported, not fatal to the caller; the rest answered ($rc)"
[ "$rc" = 0 ] || tap_diag "$(cat "$D/out")"

(cd "$D/linked" && "$PROBE" vars) >"$D/out" 2>&1
grep -qx "problem fatal: $D/linked/.git is a symbolic link; refusing to follow it" "$D/out" &&
	grep -qx "PROJECT_ROOT=(none)" "$D/out" &&
	grep -qx "PROJECT_ID=(none)" "$D/out" && grep -qx "HOME=$HOME" "$D/out"
tap $? "a .git link: refused, PROJECT_ROOT unknown, the rest answered"

(cd "$D/forged" && "$PROBE" vars) >"$D/out" 2>&1
grep -qx "PROJECT_ROOT=$D/forged" "$D/out" &&
	grep -qx "WORKTREE=$D/forged" "$D/out"
tap $? "a .git file naming another repository: not followed"

out=$("$PROBE" walk "$D/w" link/hooks)
[ "$out" = "link $D/w/link" ]
tap $? "walk: a link on the way is reported, not followed ($out)"
out=$("$PROBE" walk "$D/w" real/hooks)
[ "$out" = "watch $D/w" ]
tap $? "walk: a missing path outside .git is looked for at exit, not pinned ($out)"
mkdir "$D/w/.git"
out=$("$PROBE" walk "$D/w" .git/hooks)
[ "$out" = "empty $D/w/.git/hooks" ]
tap $? "walk: a missing path in .git is pinned empty ($out)"
out=$("$PROBE" walk "$D/w" real)
[ "$out" = "path $D/w/real" ]
tap $? "walk: an existing one is pinned in place ($out)"

tap_done
