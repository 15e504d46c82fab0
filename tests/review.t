#!/bin/sh
# review.t - jailc explain, diff and why: every mount with the file:line
# that caused it (through extends), the permission delta and its exit
# status, and which entry decides a path or a variable.
. tests/lib.sh
tap_tmpdir review
P=$PWD/profiles
J=$(cd "$(dirname "$JAILC")" && pwd)/$(basename "$JAILC")

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
[ "${checked:-0}" -ge 25 ] || bad=$((bad + 1))
tap $bad "every profile mount (${checked:-0}) points at its own [[mount]] table"

grep -q '^  ro  *\/usr  .* base\.jail:27 ' "$TMP/rows" &&
    sed -n '27,28p' "$P/base.jail" | grep -q 'ro = "/usr"'
tap $? "an inherited mount (/usr) points into base.jail"
grep -q '^  rw  *\/nix\/var\/nix\/daemon-socket .* nix-daemon\.jail:' "$TMP/rows"
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
grep -q '^  allow  *TERM  *base\.jail:16$' "$TMP/ex" &&
    sed -n 16p "$P/base.jail" | grep -q '"TERM"'
tap $? "env allow TERM points at base.jail:16"
grep -q '^  deny  *AWS_\*  *claude\.jail:[0-9]*$' "$TMP/ex"
tap $? "env deny AWS_* points into claude.jail"
grep -q '^  deny  *PWD  *jailc (every jail)$' "$TMP/ex"
tap $? "PWD is denied by jailc itself"
grep -q '^  set  *NIX_REMOTE=daemon  *nix-daemon\.jail:' "$TMP/ex"
tap $? "env set from a parent points into it"
grep -q '^  network  *host  *claude\.jail:[0-9]' "$TMP/ex"
tap $? "network host points into claude.jail"
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
python3 - "$TMP/json" "$(wc -l <"$TMP/rows")" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
m = d["mounts"]
assert len(m) == int(sys.argv[2]), (len(m), sys.argv[2])
usr = [x for x in m if x["dest"] == "/usr"][0]
assert usr["file"].endswith("/base.jail") and usr["line"] == 27, usr
gc = [x for x in m if x["dest"] == "${HOME}/.gitconfig"][0]
assert gc["implied_by"] == "git.identity" and gc["file"].endswith("git.jail")
assert d["network"]["mode"] == "host"
EOF
tap $? "explain --format json: the same mounts, files and lines"

"$JAILC" explain profiles/base.jail >/dev/null 2>&1
tap $(($? != 1)) "explain of a profile with errors (no command) exits 1"
"$JAILC" explain "$TMP/none.jail" >/dev/null 2>&1
tap $(($? != 2)) "explain of a missing file exits 2"
"$JAILC" explain --bogus profiles/claude.jail >/dev/null 2>&1
tap $(($? != 2)) "explain with an unknown option exits 2"

# --- explain --resolve: the launcher's values --------------------------

# A profile that puts PROJECT_ROOT and WORKTREE in the environment, so the
# shell launcher shows the values it found (--jail-print-argv).
cat >"$TMP/t.jail" <<'EOF'
version = 1
extends = ["base"]
[command]
exec = "sh"
[[mount]]
rw = "${PROJECT_ROOT}"
[[mount]]
rw = "${WORKTREE}"
[env]
set = { T_ROOT = "${PROJECT_ROOT}", T_TREE = "${WORKTREE}" }
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
	in_dir "$R/$d" bash "$TMP/t" --jail-print-argv 2>/dev/null |
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
why_is LC_ALL "allowed by 'LC_\*' at base\.jail:16" "allowed by a parent's glob"
why_is GH_TOKEN "does not pass: denied by '\*_TOKEN' at claude\.jail:" "denied"
why_is HOME 'set to ${HOME} by base\.jail:17' "set by the profile"
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

tap_done
