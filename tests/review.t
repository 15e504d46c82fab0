#!/bin/sh
# review.t - jailc explain, diff and why: every mount with the file:line
# that caused it (through extends), the permission delta and its exit
# status, and which entry decides a path or a variable.
. tests/lib.sh
tap_tmpdir review
P=$PWD/profiles
J=$(cd "$(dirname "$JAILC")" && pwd)/$(basename "$JAILC")
# The launchers below run with PATH=/usr/bin:/bin, so bash is named by
# the path found here: a Nix build sandbox has neither /usr/bin/bash
# nor /bin/bash.
BASH_BIN=$(command -v bash)

# in_dir DIR COMMAND...: run COMMAND in DIR with a small, known environment.
in_dir() {
	dir=$1
	shift
	(cd "$dir" && env -i HOME="$H" PATH=/usr/bin:/bin JAILC_PATH="$P" \
	    ASAN_OPTIONS="$ASAN_OPTIONS" UBSAN_OPTIONS="$UBSAN_OPTIONS" "$@")
}

# --- explain -----------------------------------------------------------

"$JAILC" explain profiles/claude.jail >"$TMP/ex" 2>"$TMP/err"
tap $? "explain claude exits 0"

# The mounts section: the rows between its heading and the blank line.
sed -n '/^mounts,/,/^$/p' "$TMP/ex" | sed '1,2d;/^$/d' >"$TMP/rows"
"$JAILC" compile -t plan profiles/claude.jail 2>/dev/null |
    grep -c '^mount \|^gitconfig \|^protect \|^gitpath ' >"$TMP/nplan"
[ "$(wc -l <"$TMP/rows")" -eq "$(cat "$TMP/nplan")" ]
tap $? "explain lists as many mounts as the plan has ($(cat "$TMP/nplan"))"
[ -s "$TMP/rows" ] || tap_diag "$(cat "$TMP/ex")"

# Every profile mount's FILE:LINE is the [[mount]] table of that very
# path: the table starting at LINE names the jail path (~ for ${HOME}).
bad=0
sed 's/^  //; s/   */	/g' "$TMP/rows" >"$TMP/cells"
while IFS='	' read -r kind dest _ from _; do
	case $from in
	*.jail:[0-9]*\ \(*) continue ;; # generated: checked below
	*.jail:[0-9]*) ;;
	*) continue ;;
	esac
	f=${from%%:*} n=${from#*:}
	written=$(printf '%s' "$dest" | sed 's|^\${HOME}|~|')
	sed -n "${n},/^\$/p" "$P/$f" >"$TMP/table"
	if ! head -n 1 "$TMP/table" | grep -qx '\[\[mount\]\]' ||
	    ! grep -qF "\"$written\"" "$TMP/table"; then
		bad=$((bad + 1))
		tap_diag "$kind $dest: $from is not its table:" "$(cat "$TMP/table")"
	fi
	checked=$((${checked:-0} + 1))
done <"$TMP/cells"
[ "${checked:-0}" -ge 20 ] || bad=$((bad + 1))
tap $bad "every profile mount (${checked:-0}) points at its own [[mount]] table"

# Lines of base.jail, read from it.
ln_usr=$(grep -n '^ro = "/usr"$' "$P/base.jail" | cut -d: -f1)
ln_usr=$((ln_usr - 1))
ln_allow=$(grep -n '"TERM"' "$P/base.jail" | cut -d: -f1)
ln_set=$(grep -n '^set = { HOME' "$P/base.jail" | cut -d: -f1)
grep -q "^  ro  *\/usr  .* base\.jail:$ln_usr " "$TMP/rows" &&
    sed -n "$ln_usr,$((ln_usr + 1))p" "$P/base.jail" | grep -q 'ro = "/usr"'
tap $? "an inherited mount (/usr) points into base.jail"
# The shipped agents do not extend nix-daemon: one that does, after claude.
printf 'version = 1\nextends = ["claude", "nix-daemon"]\n' >"$TMP/withnix.jail"
JAILC_PATH="$P" "$JAILC" explain "$TMP/withnix.jail" >"$TMP/exnix" 2>/dev/null
grep -q '^  rw  *\/nix\/var\/nix\/daemon-socket .* nix-daemon\.jail:' "$TMP/exnix"
tap $? "a mount from the second parent points into nix-daemon.jail"
grep -q '^  rw  *\${HOME}/\.claude .* claude\.jail:' "$TMP/rows"
tap $? "the profile's own mount points into claude.jail"

# Generated mounts point at the key that implies them.
line=$(grep '^  data  *\${HOME}/\.gitconfig ' "$TMP/rows" |
    sed -n 's/.*git\.jail:\([0-9]*\) (git\.identity).*/\1/p')
[ -n "$line" ] && sed -n "${line}p" "$P/git.jail" | grep -q '^identity *= *"host"'
tap $? "the generated gitconfig points at git.identity in git.jail"
line=$(grep '^  rw  *\${WORKDIR} ' "$TMP/rows" |
    sed -n 's/.*claude\.jail:\([0-9]*\) (state\.workdir).*/\1/p')
[ -n "$line" ] && sed -n "${line}p" "$P/claude.jail" | grep -q '^workdir *= *true'
tap $? "the per-run directory points at state.workdir in claude.jail"
# Every protection of .git names git.protect-hooks; the others are
# jailc's own list.
n=$(grep -c '^  r[ow]  *\${PROJECT_ROOT}/\.git[ /].*(itself)' "$TMP/rows")
[ "$n" -ge 3 ] && [ "$(grep -c '^  r[ow]  *\${PROJECT_ROOT}/\.git[ /].*(itself).*(git\.protect-hooks)' \
    "$TMP/rows")" -eq "$n" ] &&
	grep -q '^  ro  *\${PROJECT_ROOT}/\.envrc  *(itself)  *jailc (protected paths)' "$TMP/rows"
tap $? "protected .git paths name git.protect-hooks, the rest jailc's list"
grep -q '^  ro  *\${PROJECT_ROOT}/<git core\.hooksPath>  *(itself)  *git\.jail:[0-9]* (git\.protect-hooks)  *read with git at launch' "$TMP/rows"
tap $? "the directory core.hooksPath names is a protection of git.protect-hooks"

# Environment rules with their lines.
grep -q "^  allow  *TERM  *base\.jail:$ln_allow\$" "$TMP/ex" &&
    sed -n "${ln_allow}p" "$P/base.jail" | grep -q '"TERM"'
tap $? "env allow TERM points at its line of base.jail"
grep -q '^  deny  *GITHUB_TOKEN  *claude\.jail:[0-9]*$' "$TMP/ex"
tap $? "env deny GITHUB_TOKEN points into claude.jail"
grep -q '^  deny  *PWD  *jailc (every jail)$' "$TMP/ex"
tap $? "PWD is denied by jailc itself"
grep -q '^  set  *NIX_REMOTE=daemon  *nix-daemon\.jail:' "$TMP/exnix"
tap $? "env set from a parent points into it"
grep -q '^  network  *proxy  *claude\.jail:[0-9]' "$TMP/ex" &&
    grep -q '^  allow host  *api\.anthropic\.com:443  *claude\.jail:[0-9]' "$TMP/ex"
tap $? "network proxy and its allowed hosts point into claude.jail"
grep -q '^  seccomp  *default filter  *default$' "$TMP/ex"
tap $? "seccomp is reported"

# Every shipped profile with a command explains, as text and as JSON.
bad=0
for f in profiles/*.jail; do
	grep -q '^exec' "$f" || continue
	"$JAILC" explain "$f" >/dev/null 2>"$TMP/err" || {
		bad=$((bad + 1))
		tap_diag "$f: $(cat "$TMP/err")"
	}
	"$JAILC" explain --format json --resolve "$f" >"$TMP/json" 2>"$TMP/err" &&
	    python3 -m json.tool "$TMP/json" >/dev/null 2>>"$TMP/err" || {
		bad=$((bad + 1))
		tap_diag "$f (json): $(cat "$TMP/err")"
	}
done
tap $bad "every shipped profile explains, as text and as valid JSON"

"$JAILC" explain --format json profiles/claude.jail >"$TMP/json"
python3 - "$TMP/json" "$(wc -l <"$TMP/rows")" "$ln_usr" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
m = d["mounts"]
assert len(m) == int(sys.argv[2]), (len(m), sys.argv[2])
usr = [x for x in m if x["dest"] == "/usr"][0]
assert usr["file"].endswith("/base.jail") and usr["line"] == int(sys.argv[3]), usr
gc = [x for x in m if x["dest"] == "${HOME}/.gitconfig"][0]
assert gc["implied_by"] == "git.identity" and gc["file"].endswith("git.jail")
assert d["network"]["mode"] == "proxy"
EOF
tap $? "explain --format json: the same mounts, files and lines"

"$JAILC" explain profiles/base.jail >/dev/null 2>&1
tap $(($? != 1)) "explain of a profile with errors (no command) exits 1"
"$JAILC" explain "$TMP/none.jail" >/dev/null 2>&1
tap $(($? != 2)) "explain of a missing file exits 2"
"$JAILC" explain --bogus profiles/claude.jail >/dev/null 2>&1
tap $(($? != 2)) "explain with an unknown option exits 2"

# --- explain --resolve: the launcher's values --------------------------

# A profile that puts PROJECT_ROOT, WORKTREE, HOME and USER in the
# environment, so the shell launcher shows the values it found
# (--jail-print-argv).
cat >"$TMP/t.jail" <<'EOF'
version = 1
extends = ["base"]
[command]
exec = "sh"
[[mount]]
rw = "${PROJECT_ROOT}"
[[mount]]
rw = "${WORKTREE}"
[env.set]
T_ROOT = "${PROJECT_ROOT}"
T_TREE = "${WORKTREE}"
T_HOME = "${HOME}"
T_USER = "${USER}"
EOF
"$JAILC" compile --standalone -o "$TMP/t" "$TMP/t.jail" 2>"$TMP/err"
tap $? "the resolution test profile compiles"

# Outside this checkout: a test directory inside it would be in its
# project, and the launcher refuses a writable project holding HOME.
H=$TMP/home
mkdir -p "$H"
R=$(mktemp -d "${TMPDIR:-/tmp}/review.XXXXXX") && R=$(cd "$R" && pwd -P)
trap 'rm -rf "$TMP" "$R"' EXIT
# A main checkout, a linked worktree, a plain directory, and a .git file
# that claims a worktree its repository does not know.
git init -q "$R/repo" && git -C "$R/repo" -c user.name=t -c user.email=t@t \
    commit -q --allow-empty -m init && git -C "$R/repo" worktree add -q \
    "$R/wt" 2>/dev/null && mkdir -p "$R/repo/sub" "$R/plain" "$R/forged" &&
    echo "gitdir: $R/repo/.git/worktrees/wt" >"$R/forged/.git"
tap $? "test checkouts made"

# resolved DIR: "ROOT TREE" as explain --resolve finds them in DIR, and
# as the launcher does.
for d in repo repo/sub wt plain forged; do
	in_dir "$R/$d" "$J" explain --resolve "$TMP/t.jail" >"$TMP/res" 2>"$TMP/err"
	got="$(sed -n 's/^  PROJECT_ROOT  *//p' "$TMP/res") $(sed -n \
	    's/^  WORKTREE  *//p' "$TMP/res")"
	in_dir "$R/$d" "$BASH_BIN" "$TMP/t" --jail-print-argv 2>/dev/null |
	    tr '\0' '\n' >"$TMP/argv"
	want="$(grep -A1 -x T_ROOT "$TMP/argv" | tail -n 1) $(grep -A1 -x \
	    T_TREE "$TMP/argv" | tail -n 1)"
	[ "$got" = "$want" ] && [ "$got" != " " ]
	tap $? "explain --resolve in $d: PROJECT_ROOT WORKTREE as the launcher: $want"
	[ "$got" = "$want" ] || tap_diag "got: $got" "$(cat "$TMP/err")"
done
in_dir "$R/wt" "$J" explain --resolve "$TMP/t.jail" |
    grep -q "^  rw  *$R/repo  *(same)"
tap $? "explain --resolve shows mounts with this host's paths"
in_dir "$R/wt" "$J" explain --resolve "$TMP/t.jail" | grep -q "^  tmpfs  *$H  "
tap $? "explain --resolve puts HOME in"

mkdir -p "$R/evil" && ln -s "$H" "$R/evil/.git"
in_dir "$R/evil" "$J" explain --resolve "$TMP/t.jail" >"$TMP/res" 2>&1
grep -q 'a launch here would stop: .*/evil/\.git is a symbolic link' "$TMP/res" &&
    grep -q '^  PROJECT_ROOT  *(unknown)$' "$TMP/res"
tap $? "explain --resolve: a symlinked .git is refused, as the launcher does"

# What stops a launch, in the launcher's words: both ask runtime/host.c.
# stops DIR NAME=VALUE...: the launcher's complaint (without its name)
# and explain --resolve's note, in DIR with only these variables and PATH.
stops() {
	dir=$1
	shift
	(cd "$dir" && env -i PATH=/usr/bin:/bin "$@" "$BASH_BIN" "$TMP/t" \
	    --jail-print-argv) >/dev/null 2>"$TMP/lerr"
	want=$(sed -n '1s/^[^:]*: //p' "$TMP/lerr")
	got=$(cd "$dir" && env -i PATH=/usr/bin:/bin JAILC_PATH="$P" \
	    ASAN_OPTIONS="$ASAN_OPTIONS" UBSAN_OPTIONS="$UBSAN_OPTIONS" "$@" \
	    "$J" explain --resolve "$TMP/t.jail" 2>&1 |
	    sed -n 's/^  note: a launch here would stop: //p')
	[ -n "$want" ] && [ "$got" = "$want" ]
}
stops "$R/evil" HOME="$H" &&
    [ "$got" = "$R/evil/.git is a symbolic link; refusing to follow it" ]
tap $? "explain --resolve: the symlinked .git in the launcher's words"
[ "$got" = "$want" ] || tap_diag "got: $got" "want: $want"
stops "$R/plain" && [ "$got" = "HOME is not set" ]
tap $? "explain --resolve without HOME: the launcher's words"
[ "$got" = "$want" ] || tap_diag "got: $got" "want: $want"
stops "$R/plain" HOME= && [ "$got" = "HOME is not set" ]
tap $? "explain --resolve with an empty HOME: the launcher's words"
stops "$R/plain" HOME=rel && [ "$got" = "HOME is not an absolute path: 'rel'" ]
tap $? "explain --resolve with a relative HOME: the launcher's words"
[ "$got" = "$want" ] || tap_diag "got: $got" "want: $want"

# The environment as the launcher reads it: of two HOMEs the last wins
# (getenv(3) would take the first), and USER, when unset, is the user's.
cat >"$TMP/dupenv.py" <<'EOF'
import os, sys
# dupenv.py NAME=VALUE... -- COMMAND...: run COMMAND with exactly these
# variables, in this order, duplicates kept (os.environ cannot hold them).
class Env:
    def __init__(self, pairs): self.pairs = pairs
    def keys(self): return [k for k, v in self.pairs]
    def values(self): return [v for k, v in self.pairs]
    def __getitem__(self, k): raise KeyError(k)
    def __len__(self): return len(self.pairs)
n = sys.argv.index("--")
pairs = [a.split("=", 1) for a in sys.argv[1:n]]
os.execve(sys.argv[n + 1], sys.argv[n + 1:], Env(pairs))
EOF
(cd "$R/plain" && python3 "$TMP/dupenv.py" HOME=/nonexistent HOME="$H" \
    PATH=/usr/bin:/bin -- "$BASH_BIN" "$TMP/t" --jail-print-argv) 2>"$TMP/err" |
    tr '\0' '\n' >"$TMP/argv"
want="$(grep -A1 -x T_HOME "$TMP/argv" | tail -n 1) $(grep -A1 -x T_USER \
    "$TMP/argv" | tail -n 1)"
(cd "$R/plain" && python3 "$TMP/dupenv.py" HOME=/nonexistent HOME="$H" \
    PATH=/usr/bin:/bin JAILC_PATH="$P" ASAN_OPTIONS="$ASAN_OPTIONS" \
    UBSAN_OPTIONS="$UBSAN_OPTIONS" -- "$J" explain --resolve "$TMP/t.jail") \
    >"$TMP/res" 2>>"$TMP/err"
got="$(sed -n 's/^  HOME  *//p' "$TMP/res") $(sed -n 's/^  USER  *//p' \
    "$TMP/res")"
[ "$got" = "$want" ] && [ "$got" = "$H $(id -un)" ]
tap $? "explain --resolve: HOME twice, USER unset: HOME USER as the launcher: $want"
[ "$got" = "$want" ] || tap_diag "got: $got" "$(cat "$TMP/err")"

# The directory core.hooksPath names, found with git as the launcher
# finds it, where explain without --resolve can only name the key.
git -C "$R/repo" config core.hooksPath hooks && mkdir -p "$R/repo/hooks"
in_dir "$R/repo" "$J" explain --resolve "$TMP/t.jail" >"$TMP/res" 2>"$TMP/err"
in_dir "$R/repo" "$BASH_BIN" "$TMP/t" --jail-print-argv 2>>"$TMP/err" |
    tr '\0' '\n' >"$TMP/argv"
if [ -x /run/current-system/sw/bin/git ] || [ -x /usr/bin/git ] ||
    [ -x /bin/git ]; then
	grep -q "^  ro  *$R/repo/hooks  *(itself)  *default (git\.protect-hooks)  *read with git" \
	    "$TMP/res" && grep -A2 -x -- --ro-bind "$TMP/argv" |
	    grep -A1 -x -- "$R/repo/hooks" | grep -q -x -- "$R/repo/hooks"
	tap $? "explain --resolve names the core.hooksPath directory the launcher pins"
	grep -q "hooks" "$TMP/res" || tap_diag "$(cat "$TMP/res" "$TMP/err")"
else
	# A Nix build sandbox: git only on PATH, which neither searches.
	tap_skip "explain --resolve names the core.hooksPath directory the launcher pins" \
	    "no git in /run/current-system/sw/bin, /usr/bin or /bin, where both look for it"
fi
git -C "$R/repo" config --unset core.hooksPath
in_dir "$R/repo" "$J" explain --resolve "$TMP/t.jail" 2>"$TMP/err" |
    grep -q "^  ro  *$R/repo/<git core\.hooksPath>  *(itself)"
tap $? "explain --resolve: core.hooksPath unset here, the key is named"

# --- diff ----------------------------------------------------------------

cat >"$TMP/old.jail" <<'EOF'
version = 1
extends = ["base"]
[command]
exec = "sh"
[env]
allow = ["EDITOR", "AWS_*"]
deny = ["AWS_SECRET*"]
[[mount]]
ro = "${PROJECT_ROOT}"
[[mount]]
ro = "/opt/data"
[[mount]]
tmpfs = "${PROJECT_ROOT}/secrets"
EOF
# variant NAME SED-SCRIPT: old.jail edited.
variant() {
	sed "$2" "$TMP/old.jail" >"$TMP/$1.jail"
}
variant rw 's|^ro = "${PROJECT_ROOT}"|rw = "${PROJECT_ROOT}"|'
variant env 's|allow = \["EDITOR"|allow = ["EDITOR", "GH_TOKEN"|'
variant net '$a\
[network]\
mode = "host"'
variant undeny '/^deny/d'
variant hooks '$a\
[git]\
protect-hooks = false'
variant hookspath '$a\
[protect]\
remove = [{ path = "git:core.hooksPath", reason = "husky is not used" }]'
# drop NAME PATTERN: old.jail without the [[mount]] table whose line after
# the header matches PATTERN.
drop() {
	awk -v pat="$2" '/^\[\[mount\]\]$/ { getline nx; if (nx ~ pat) next
		print; print nx; next } { print }' "$TMP/old.jail" >"$TMP/$1.jail"
}
drop rm 'opt/data'
drop unhide 'secrets'

# dodiff NEW STATUS WHAT PATTERN: diff old.jail NEW.jail exits STATUS and
# its output matches PATTERN.
dodiff() {
	"$JAILC" diff "$TMP/old.jail" "$TMP/$1.jail" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	[ $rc -eq "$2" ] && grep -q -- "$4" "$TMP/out"
	tap $? "diff $3: exit $2"
	[ $rc -eq "$2" ] && grep -q -- "$4" "$TMP/out" ||
	    tap_diag "exit $rc" "$(cat "$TMP/out" "$TMP/err")"
}
cp "$TMP/old.jail" "$TMP/same.jail"
dodiff same 0 "identical" '^no change'
dodiff rw 1 "ro -> rw widens" 'mount  *~ ${PROJECT_ROOT}: ro -> rw .*widens$'
dodiff env 1 "a new env allow widens" 'env  *+ allow GH_TOKEN .*widens$'
dodiff rm 0 "a removed mount narrows" 'mount  *- ro /opt/data .*narrows$'
dodiff net 1 "network none -> host widens" 'network  *~ none -> host .*widens$'
dodiff undeny 1 "a removed env deny widens" 'env  *- deny AWS_SECRET\* .*widens$'
dodiff unhide 1 "a removed tmpfs unhides the bind under it" \
    'mount  *- tmpfs ${PROJECT_ROOT}/secrets .*widens$'
dodiff hooks 1 "protections removed widen" \
    'mount  *- ro ${PROJECT_ROOT}/.git/hooks (protection) .*widens$'
dodiff hookspath 1 "git:core.hooksPath removed widens" \
    'mount  *- ro ${PROJECT_ROOT}/<git core.hooksPath> (protection) .*widens$'
sed 's|^ro = "${PROJECT_ROOT}"|rw = "${PROJECT_ROOT}"|' "$TMP/hooks.jail" \
    >"$TMP/hooks-rw.jail"
"$JAILC" diff "$TMP/hooks-rw.jail" "$TMP/rw.jail" >"$TMP/out" 2>&1
rc=$?
[ $rc -eq 0 ] && grep -q 'mount  *+ ro ${PROJECT_ROOT}/.git/hooks (protection) .*narrows$' "$TMP/out"
tap $? "diff: protections added in a writable project narrow access (exit 0)"
[ $rc -eq 0 ] || tap_diag "exit $rc" "$(cat "$TMP/out")"
"$JAILC" diff "$TMP/old.jail" "$TMP/hooks.jail" >"$TMP/out" 2>&1

# The score line is jailc score's exposure of each profile.
"$JAILC" score "$TMP/old.jail" "$TMP/hooks.jail" >"$TMP/score" 2>&1
want=$(sed -n 's/^.*: exposure \([0-9.]*\) .*/\1/p' "$TMP/score" |
    tr '\n' ' ' | sed 's/ $//; s/ / -> /')
grep -q "^score: $want (" "$TMP/out"
tap $? "diff shows jailc score before and after ($want)"
grep -q "^score: $want (" "$TMP/out" || tap_diag "$(cat "$TMP/score" "$TMP/out")"

variant seccomp '$a\
[seccomp]\
profile = "off"'
dodiff seccomp 1 "seccomp turned off widens" 'seccomp  *~ filter off: no -> yes .*widens$'
variant sysallow '$a\
[seccomp]\
allow = ["ptrace"]'
dodiff sysallow 1 "a syscall allowed widens" 'seccomp  *+ allow ptrace .*widens$'
variant nested '$a\
[process]\
nested-sandbox = true'
dodiff nested 1 "a nested sandbox widens" 'process  *~ nested-sandbox: no -> yes .*widens$' 

"$JAILC" diff "$TMP/rw.jail" "$TMP/old.jail" >"$TMP/out" 2>&1
tap $? "diff rw -> ro (narrowing) exits 0"
grep -q 'ro .*narrows$' "$TMP/out"
tap $? "diff rw -> ro says it narrows"

"$JAILC" diff --format json "$TMP/old.jail" "$TMP/rw.jail" >"$TMP/json"
rc=$?
python3 - "$TMP/json" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["widens"] is True
c = d["changes"]
assert len(c) == 1 and c[0]["area"] == "mount" and c[0]["effect"] == "widens"
assert c[0]["file"].endswith("rw.jail") and c[0]["line"] == 8, c
EOF
[ $? -eq 0 ] && [ $rc -eq 1 ]
tap $? "diff --format json: valid, one widening change with its line, exit 1"
"$JAILC" diff --format json "$TMP/old.jail" "$TMP/same.jail" |
    python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["changes"]==[] and d["widens"] is False'
tap $? "diff --format json of identical profiles: no changes"

# Another host path at the same place, and the generated gitconfig where
# a bind of the host's was.
cat >"$TMP/other.jail" <<'EOF'
version = 1
extends = ["base"]
[command]
exec = "sh"
[env]
allow = ["EDITOR", "AWS_*"]
deny = ["AWS_SECRET*"]
[git]
identity = "host"
[[mount]]
ro = "/srv/elsewhere"
dest = "${PROJECT_ROOT}"
[[mount]]
ro = "/opt/data"
[[mount]]
tmpfs = "${PROJECT_ROOT}/secrets"
[[mount]]
symlink = "/nowhere"
dest = "/opt/link"
EOF
dodiff other 1 "another host path at the same place widens" \
    'mount  *~ ${PROJECT_ROOT}: ro -> ro (host /srv/elsewhere) .*widens$'
grep -q 'mount  *+ data ${HOME}/.gitconfig  *other\.jail:9  *widens$' "$TMP/out"
tap $? "diff: the generated gitconfig widens and points at git.identity"
grep -q 'mount  *+ symlink /opt/link  *other\.jail:[0-9]*$' "$TMP/out"
tap $? "diff: a new symlink lets nothing of the host in"
"$JAILC" why /opt/link/x "$TMP/other.jail" >"$TMP/out" 2>&1
grep -q '^/opt/link/x: not visible: /opt/link is a symbolic link$' "$TMP/out"
tap $? "why: a path under a symlink mount"
in_dir "$R/repo" "$J" why '${PROJECT_ROOT}/src/x.c' "$TMP/other.jail" \
    >"$TMP/out" 2>&1
grep -q "^\${PROJECT_ROOT}/src/x.c (here: $R/repo/src/x.c): visible, read-only, from the host's /srv/elsewhere/src/x.c$" "$TMP/out"
tap $? "why: a bind's host path under another name"
grep -q "^\${PROJECT_ROOT}/src/x.c" "$TMP/out" || tap_diag "$(cat "$TMP/out")"

"$JAILC" diff "$TMP/old.jail" "$TMP/none.jail" >/dev/null 2>&1
tap $(($? != 2)) "diff with a missing profile exits 2"
"$JAILC" diff "$TMP/old.jail" base.jail >/dev/null 2>&1
tap $(($? != 2)) "diff with a profile that has errors exits 2"
"$JAILC" diff "$TMP/old.jail" >/dev/null 2>&1
tap $(($? != 2)) "diff with one profile exits 2"

# --- why ---------------------------------------------------------------

# why_is WHAT PATTERN DESCRIPTION: the first line of `why WHAT` about
# claude, asked in the linked worktree, matches PATTERN.
why_is() {
	what=$1 pat=$2 desc=$3
	in_dir "$R/wt" "$J" why "$what" "$P/claude.jail" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	head -n 1 "$TMP/out" | grep -q -- "$pat" && [ $rc -eq 0 ]
	tap $? "why $what: $desc"
	head -n 1 "$TMP/out" | grep -q -- "$pat" ||
	    tap_diag "exit $rc" "$(cat "$TMP/out" "$TMP/err")"
}
why_is "$R/wt/src/main.c" "visible, read-write, from the host's $R/wt/src/main.c" \
    "under the worktree bind"
grep -q "rw  *$R/wt  *(same)  *claude\.jail:[0-9]*  *<- decides" "$TMP/out"
tap $? "why names the deciding mount and its line"
# shellcheck disable=SC2088 # jailc reads the ~, not the shell
why_is '~/.claude/settings.json' 'visible, read-write' "under ~/.claude"
# shellcheck disable=SC2088 # jailc reads the ~, not the shell
why_is '~/.ssh/id_ed25519' "not visible: hidden by the tmpfs on $H" \
    "hidden by the home tmpfs"
grep -q "tmpfs  *$H .*base\.jail:[0-9]*  *<- decides" "$TMP/out"
tap $? "why names the home tmpfs in base.jail"
why_is /etc/shadow 'not visible: no mount covers it' "not mounted"
why_is /usr/bin/env 'visible, read-only' "under a read-only bind"
why_is '${PROJECT_ROOT}/.git/hooks/pre-commit' \
    "visible, read-only, from the host's $R/repo/.git/hooks/pre-commit" \
    "a protected path is read-only under the writable project"
why_is '${HOME}/.gitconfig' 'visible, a read-only file written by jailc' \
    "the generated gitconfig"

why_is ANTHROPIC_API_KEY "passes from the host .*'ANTHROPIC_API_KEY' at claude\.jail:" \
    "allowed"
why_is LC_ALL "allowed by 'LC_\*' at base\.jail:$ln_allow" "allowed by a parent's glob"
why_is GH_TOKEN "does not pass: denied by 'GH_TOKEN' at claude\.jail:.*stops the launch" "denied"
why_is HOME "set to \${HOME} by base\.jail:$ln_set" "set by the profile"
why_is PWD 'never passes' "PWD never passes"
why_is _ 'never passes' "_ never passes"
why_is SOMETHING_ELSE 'does not pass unless listed in $CLAUDE_JAIL_EXTRA_ENV' \
    "only through extra-from"
"$JAILC" why AWS_SECRET_KEY "$TMP/old.jail" >"$TMP/out" 2>&1
grep -q "denied by 'AWS_SECRET\*' at old\.jail:7; deny wins over the allow 'AWS_\*' at old\.jail:6" "$TMP/out"
tap $? "why: deny wins over allow, and says so"
"$JAILC" why NOT_LISTED "$TMP/old.jail" >"$TMP/out" 2>&1
grep -q 'does not pass: no allow pattern matches it' "$TMP/out"
tap $? "why: a name no rule allows"

"$JAILC" why 'not a name' profiles/claude.jail >/dev/null 2>&1
tap $(($? != 2)) "why with neither a path nor a name exits 2"
"$JAILC" why relative/path profiles/claude.jail >/dev/null 2>&1
tap $(($? != 2)) "why with a relative path exits 2"
"$JAILC" why /x "$TMP/none.jail" >/dev/null 2>&1
tap $(($? != 2)) "why with a missing profile exits 2"

# --- why: protections written as globs ---------------------------------

# What a pattern pins is what the launchers glob at launch: x.jail
# exists, y.jail does not, .h.jail is a dot file that "*" does not
# match, sub/z.jail is a component too deep; notes/*.md is added by the
# profile.  The launcher's own argv is the reference.
cat >"$TMP/g.jail" <<'EOF'
version = 1
extends = ["base"]
[command]
exec = "sh"
[[mount]]
rw = "${PROJECT_ROOT}"
[[mount]]
rw = "${WORKTREE}"
[protect]
add = ["notes/*.md"]
EOF
"$JAILC" compile --standalone -o "$TMP/g" "$TMP/g.jail" 2>"$TMP/err" &&
    mkdir -p "$R/wt/sub" "$R/wt/notes" &&
    : >"$R/wt/x.jail" && : >"$R/wt/.h.jail" && : >"$R/wt/sub/z.jail" &&
    : >"$R/wt/notes/a.md" &&
    in_dir "$R/wt" "$BASH_BIN" "$TMP/g" --jail-print-argv 2>"$TMP/err" |
    tr '\0' '\n' >"$TMP/gargv"
tap $? "the glob test profile compiles and its launcher prints its argv"
[ -s "$TMP/gargv" ] || tap_diag "$(cat "$TMP/err")"

# pinned_by_launcher PATH: the launcher binds PATH read-only onto itself.
pinned_by_launcher() {
	grep -A2 -x -- --ro-bind "$TMP/gargv" | grep -A1 -x -- "$1" |
	    grep -q -x -- "$1"
}

# why_g WHAT: `why WHAT` about g.jail, in the linked worktree, to out.
why_g() {
	in_dir "$R/wt" "$J" why "$@" "$TMP/g.jail" >"$TMP/out" 2>"$TMP/err"
}

why_g '${WORKTREE}/x.jail'
rc=$?
head -n 1 "$TMP/out" | grep -q "^\${WORKTREE}/x.jail (here: $R/wt/x.jail): visible, read-only, from the host's $R/wt/x.jail$" &&
    grep -q '^  (a protected path: pinned where a writable mount holds it)$' "$TMP/out" &&
    grep -q "^  ro  *$R/wt/x.jail  *(itself)  *jailc (protected paths)  *<- decides$" "$TMP/out" &&
    [ $rc -eq 0 ]
tap $? "why: *.jail pins an existing x.jail, and says so"
grep -q '<- decides' "$TMP/out" || tap_diag "exit $rc" "$(cat "$TMP/out" "$TMP/err")"
pinned_by_launcher "$R/wt/x.jail"
tap $? "the launcher pins x.jail too"
[ "$(grep -c "^  ro  *$R/wt/x.jail " "$TMP/out")" -eq 1 ]
tap $? "why lists the pin once, though *.jail is applied under three bases"

why_g '${WORKTREE}/y.jail'
head -n 1 "$TMP/out" | grep -q "visible, read-write, from the host's $R/wt/y.jail$" &&
    grep -q "^  (not pinned by $R/wt/\*\.jail, jailc (protected paths): a pattern pins only what exists when the launcher starts, and $R/wt/y\.jail does not exist here)$" "$TMP/out" &&
    grep -q "^  rw  *$R/wt  *(same)  *g\.jail:7  *<- decides$" "$TMP/out" &&
    ! grep -q "^  ro " "$TMP/out"
tap $? "why: a missing y.jail is not pinned, and the pattern is named"
grep -q 'not pinned by' "$TMP/out" || tap_diag "$(cat "$TMP/out" "$TMP/err")"
! pinned_by_launcher "$R/wt/y.jail"
tap $? "the launcher does not pin y.jail either"

for f in .h.jail sub/z.jail; do
	why_g "$R/wt/$f"
	head -n 1 "$TMP/out" | grep -q "visible, read-write, from the host's $R/wt/$f$" &&
	    ! grep -q 'pinned' "$TMP/out"
	tap $? "why: *.jail does not reach $f"
	! pinned_by_launcher "$R/wt/$f"
	tap $? "the launcher does not pin $f either"
done

why_g '${PROJECT_ROOT}/notes/a.md'
! grep -q "^  ro  *$R/repo/notes/a.md" "$TMP/out" &&
    grep -q "^  (not pinned by $R/repo/notes/\*\.md, g\.jail:10 (protect\.add):" "$TMP/out"
tap $? "why: notes/*.md pins nothing where the file is missing ($R/repo)"
why_g '${WORKTREE}/notes/a.md/x'
grep -q "^  ro  *$R/wt/notes/a\.md  *(itself)  *g\.jail:10 (protect\.add)  *<- decides$" "$TMP/out"
tap $? "why: a glob from protect.add covers what lies under its match, with its line"
grep -q '<- decides' "$TMP/out" || tap_diag "$(cat "$TMP/out" "$TMP/err")"
pinned_by_launcher "$R/wt/notes/a.md"
tap $? "the launcher pins notes/a.md too"

why_g '${PROJECT_ROOT}/.git/worktrees/wt/gitdir'
grep -q "^  ro  *$R/repo/\.git/worktrees/wt/gitdir  *(itself)  *default (git\.protect-hooks)  *<- decides$" "$TMP/out"
tap $? "why: .git/worktrees/*/gitdir pins the worktree's gitdir"
grep -q '<- decides' "$TMP/out" || tap_diag "$(cat "$TMP/out" "$TMP/err")"
pinned_by_launcher "$R/repo/.git/worktrees/wt/gitdir"
tap $? "the launcher pins the worktree's gitdir too"

# --- why --format json ---------------------------------------------------

# json_is WHAT CHECK DESCRIPTION [FILE [DIR]]: `why --format json WHAT`
# about FILE (claude), in DIR (the linked worktree), exits 0 and node
# finds CHECK true of it: d the object, e its entries, top those that
# decide.
json_is() {
	what=$1 check=$2 desc=$3
	if [ -n "$no_node" ]; then
		tap_skip "why --format json $what: $desc" "$no_node"
		return
	fi
	in_dir "${5:-$R/wt}" "$J" why --format json "$what" \
	    "${4:-$P/claude.jail}" >"$TMP/json" 2>"$TMP/err"
	rc=$?
	node -e '
	    const d = JSON.parse(require("fs").readFileSync(process.argv[1]));
	    const e = d.entries;
	    const top = e.filter((x) => x.decides);
	    if (!('"$check"')) process.exit(1);
	' "$TMP/json" && [ $rc -eq 0 ]
	ok=$?
	tap $ok "why --format json $what: $desc"
	[ $ok -eq 0 ] || tap_diag "exit $rc" "$(cat "$TMP/json" "$TMP/err")"
}
no_node=
command -v node >/dev/null || no_node="node not installed"

json_is "$R/wt/src/main.c" "d.query === '$R/wt/src/main.c' && d.type === 'path' &&
    d.verdict === 'visible' && d.shows === 'host' && d.access === 'read-write' &&
    d.host_path === '$R/wt/src/main.c' && !d.protected && top.length === 1 &&
    top[0].kind === 'rw' && top[0].dest === '$R/wt' &&
    top[0].file.endsWith('/claude.jail') && top[0].line > 0 && top[0].col > 0 &&
    e[e.length - 1] === top[0]" "granted by a mount, with file, line and col"
# shellcheck disable=SC2088 # jailc reads the ~, not the shell
json_is '~/.ssh/id_ed25519' "d.path === '$H/.ssh/id_ed25519' &&
    d.verdict === 'hidden' && d.shows === null && d.access === null &&
    top.length === 1 && top[0].kind === 'tmpfs' && top[0].dest === '$H' &&
    top[0].file.endsWith('/base.jail')" "hidden by the home tmpfs"
json_is /etc/shadow "d.verdict === 'not-mounted' && e.length === 0" \
    "no mount covers it"
json_is '${WORKTREE}/x.jail' "d.verdict === 'visible' &&
    d.access === 'read-only' && d.protected === true &&
    top.length === 1 && top[0].protect === true &&
    top[0].dest === '$R/wt/x.jail' && top[0].pattern === '$R/wt/*.jail' &&
    top[0].file === null && top[0].implied_by === 'jailc (protected paths)' &&
    d.unpinned.length === 0" "protected through the glob *.jail"
json_is '${WORKTREE}/y.jail' "d.access === 'read-write' && !d.protected &&
    d.unpinned.length === 1 && d.unpinned[0].pattern === '$R/wt/*.jail' &&
    d.unpinned[0].missing === '$R/wt/y.jail'" "a glob that pins nothing: missing"
json_is ANTHROPIC_API_KEY "d.type === 'variable' && d.verdict === 'passes' &&
    d.value === null && e.length === 1 && top.length === 1 &&
    top[0].rule === 'allow' && top[0].name === 'ANTHROPIC_API_KEY' &&
    top[0].file.endsWith('/claude.jail') && top[0].line > 0 &&
    top[0].col > 0" "a variable passed, with its allow"
json_is GH_TOKEN "d.verdict === 'denied' && top.length === 1 &&
    top[0].rule === 'deny' && top[0].name === 'GH_TOKEN' &&
    e.some((x) => x.rule === 'extra-from' && !x.decides)" \
    "a variable denied, extra-from named but not deciding"
json_is AWS_SECRET_KEY "d.verdict === 'denied' && e.length === 2 &&
    e[0].decides && e[0].name === 'AWS_SECRET*' && e[0].line === 7 &&
    !e[1].decides && e[1].rule === 'allow' && e[1].name === 'AWS_*' &&
    e[1].line === 6" "deny wins over allow, both listed" "$TMP/old.jail"
json_is HOME "d.verdict === 'set' && d.value === '\${HOME}' &&
    top[0].rule === 'set' && top[0].file.endsWith('/base.jail') &&
    top[0].line === $ln_set" "set by the profile"
json_is PWD "d.verdict === 'never' && top.length === 1 &&
    top[0].file === null && top[0].implied_by === 'jailc (every jail)'" \
    "never passes, a rule of jailc"
json_is NOT_LISTED "d.verdict === 'not-allowed' && e.length === 0" \
    "nothing lets it in" "$TMP/old.jail"

# A missing entry outside .git is not pinned (the launcher looks for it
# when the jail exits): .claude for .claude/commands/ in a plain
# directory stays the project's, writable.  In .git one is pinned at its
# first missing component, made empty by the launcher:
# .git/config.worktree, a file, in the main checkout.
in_dir "$R/plain" "$BASH_BIN" "$TMP/g" --jail-print-argv 2>"$TMP/err" |
    tr '\0' '\n' >"$TMP/gargv"
! pinned_by_launcher "$R/plain/.claude" && [ ! -e "$R/plain/.claude" ]
tap $? "the launcher neither pins nor makes a missing .claude in a plain directory"
in_dir "$R/plain" "$J" why '${CWD}/.claude/settings.json' "$TMP/g.jail" \
    >"$TMP/out" 2>"$TMP/err"
head -n 1 "$TMP/out" | grep -q ": visible, read-write, from the host's $R/plain/\.claude/settings\.json$"
tap $? "why: under a missing .claude, the project's own, writable"
grep -q 'read-write' "$TMP/out" || tap_diag "$(cat "$TMP/out" "$TMP/err")"
json_is '${CWD}/.claude' "d.verdict === 'visible' &&
    d.shows === 'host' && d.access === 'read-write' &&
    d.host_path === '$R/plain/.claude' && !d.protected &&
    e.some((x) => x.kind === 'rw' && x.dest === '$R/plain')" \
    "a missing .claude, not made by the launcher" "$TMP/g.jail" "$R/plain"
why_g '${PROJECT_ROOT}/.git/config.worktree'
head -n 1 "$TMP/out" | grep -q ": visible, read-only: missing here, the launcher makes it an empty file and pins it$"
tap $? "why: a missing .git/config.worktree is made an empty file"
head -n 1 "$TMP/out" | grep -q 'empty file' || tap_diag "$(cat "$TMP/out" "$TMP/err")"
in_dir "$R/wt" "$BASH_BIN" "$TMP/g" --jail-print-argv 2>/dev/null |
    tr '\0' '\n' >"$TMP/gargv"
pinned_by_launcher "$R/repo/.git/config.worktree"
tap $? "the launcher pins .git/config.worktree too"

# A symbolic link where a protected path would be pinned stops the
# launcher (the jail could replace it); why names it.  Removed after.
ln -s "$R/nowhere" "$R/plain/.envrc"
in_dir "$R/plain" "$BASH_BIN" "$TMP/g" --jail-print-argv >/dev/null 2>"$TMP/err"
lrc=$?
[ $lrc -ne 0 ] && grep -q "$R/plain/\.envrc is a symbolic link" "$TMP/err"
tap $? "the launcher refuses a symbolic link .envrc under a writable project"
in_dir "$R/plain" "$J" why '${CWD}/.envrc' "$TMP/g.jail" >"$TMP/out" 2>"$TMP/err"
grep -q "^  (the launcher refuses to start: $R/plain/\.envrc is a symbolic link where it would pin $R/plain/\.envrc, jailc (protected paths); replace the link, or name it in protect.remove)$" "$TMP/out"
tap $? "why: names the link that stops the launcher"
grep -q 'refuses' "$TMP/out" || tap_diag "$(cat "$TMP/out" "$TMP/err")"
json_is '${CWD}/.envrc' "d.refused !== null &&
    d.refused.link === '$R/plain/.envrc' &&
    d.refused.implied_by === 'jailc (protected paths)' && !d.protected" \
    "a link that stops the launcher, in refused" "$TMP/g.jail" "$R/plain"
json_is '${CWD}/src' "d.refused === null" "no link on the way: refused null" \
    "$TMP/g.jail" "$R/plain"
rm -f "$R/plain/.envrc"

# The same text as before without --format, and with --format text.
in_dir "$R/wt" "$J" why GH_TOKEN "$P/claude.jail" >"$TMP/t1" 2>&1 &&
    in_dir "$R/wt" "$J" why --format text GH_TOKEN "$P/claude.jail" \
    >"$TMP/t2" 2>&1 && cmp -s "$TMP/t1" "$TMP/t2" &&
    grep -q "^GH_TOKEN: does not pass: denied by" "$TMP/t1"
tap $? "why --format text is the default"

# Bad input as explain and diff have it: usage (2), I/O (2), errors in
# the profile (1), and nothing on standard output.
"$JAILC" why --format xml GH_TOKEN profiles/claude.jail >"$TMP/out" 2>"$TMP/err"
rc=$?
[ $rc -eq 2 ] && [ ! -s "$TMP/out" ] &&
    grep -q "^jailc: unknown output format 'xml'$" "$TMP/err" &&
    grep -q '^usage: jailc why ' "$TMP/err"
tap $? "why --format xml: exit 2, the format named, the usage"
"$JAILC" explain --format xml profiles/claude.jail >/dev/null 2>"$TMP/err2"
[ $? -eq 2 ] && grep -q "^jailc: unknown output format 'xml'$" "$TMP/err2"
tap $? "explain --format xml fails the same way"
"$JAILC" why GH_TOKEN profiles/claude.jail --format >"$TMP/out" 2>&1
tap $(($? != 2)) "why with --format last and no value: exit 2"
"$JAILC" why --format json /x "$TMP/none.jail" >"$TMP/out" 2>"$TMP/err"
[ $? -eq 2 ] && [ ! -s "$TMP/out" ] && grep -q 'none\.jail' "$TMP/err"
tap $? "why --format json with a missing profile: exit 2, nothing on stdout"
printf 'version = 1\nextends = ["base"]\n[command]\nexec = "sh"\n[network]\nmode = "wide"\n' \
    >"$TMP/bad.jail"
"$JAILC" why --format json GH_TOKEN "$TMP/bad.jail" >"$TMP/out" 2>"$TMP/err"
rc=$?
"$JAILC" explain --format json "$TMP/bad.jail" >/dev/null 2>&1
erc=$?
[ $rc -eq 1 ] && [ $erc -eq 1 ] && [ ! -s "$TMP/out" ] &&
    grep -q 'bad\.jail:6:[0-9]*: error' "$TMP/err"
ok=$?
tap $ok "why --format json of a profile with errors: exit 1 as explain, file:line:col"
[ $ok -eq 0 ] || tap_diag "exit $rc, explain $erc" "$(cat "$TMP/out" "$TMP/err")"

tap_done
