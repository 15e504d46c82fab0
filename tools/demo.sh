#!/bin/sh
# demo.sh - what `make demo` shows: jailc checking profiles, then a real
# jail built from the shipped base and git profiles, and what a program
# inside it can and cannot see.
set -u
JAILC=${JAILC:-./jailc}
export JAILC_PATH="${JAILC_PATH:-$PWD/profiles}"
# The launcher hands its plan to jailrun: the one built here, by path.
export JAILRUN="${JAILRUN:-$PWD/jailrun}"

say() { printf '\n\033[1m$ %s\033[0m\n' "$*"; }

say "$JAILC check profiles/*.jail"
"$JAILC" check profiles/*.jail
echo "(exit status $?: the shipped profiles are clean; notes do not fail)"

say "$JAILC check examples/broken.jail"
"$JAILC" check examples/broken.jail
echo "(exit status $?: every mistake in the file, with file:line:col)"

say "$JAILC check examples/risky.jail"
"$JAILC" check examples/risky.jail
echo "(exit status $?: valid, but the lint rules refuse what it exposes)"

# A scratch home with a key in it, and a project (a git repository).
demo=$(mktemp -d "${TMPDIR:-/tmp}/jailc-demo.XXXXXX") || exit 1
trap 'rm -rf "$demo"' EXIT
mkdir -p "$demo/home/.ssh" "$demo/project"
echo "PRIVATE KEY" >"$demo/home/.ssh/id_ed25519"
git -C "$demo/project" init -q 2>/dev/null || mkdir -p "$demo/project/.git"
launcher=$demo/demo-jail

say "$JAILC compile --standalone -o demo-jail examples/demo.jail"
"$JAILC" compile --standalone -o "$launcher" examples/demo.jail || exit 1
echo "(a bash launcher that hands the plan to $JAILRUN; without"
echo " --standalone, a body for writeShellApplication)"

if ! command -v bwrap >/dev/null 2>&1; then
	echo "bwrap is not installed: the demo stops here (apt-get install bubblewrap)"
	exit 0
fi

cd "$demo/project" || exit 1
export HOME="$demo/home" DEMO_API_KEY=sk-demo-not-a-real-key
say "demo-jail --jail-dry-run"
"$launcher" --jail-dry-run

say "demo-jail -c '...what can the jailed shell see?'"
"$launcher" -c '
	echo "home:          $(ls -A ~ | tr "\n" " ")"
	if cat ~/.ssh/id_ed25519 2>/dev/null; then echo "ssh key:       READABLE"
	else echo "ssh key:       not there"; fi
	if touch /usr/demo 2>/dev/null; then echo "/usr:          WRITABLE"
	else echo "/usr:          read-only"; fi
	echo made-in-jail >from-jail.txt && echo "project:       writable"
	if { echo x >.git/hooks/pre-commit; } 2>/dev/null; then echo "git hooks:     WRITABLE"
	else echo "git hooks:     read-only"; fi
	echo "DEMO_API_KEY:  ${DEMO_API_KEY:+set (the agent needs it)}"
	echo "environment:   $(env | cut -d= -f1 | sort | tr "\n" " ")"
	echo "work dir:      $TMPDIR"
'
echo "(exit status $?)"
say "cat from-jail.txt   # on the host"
cat from-jail.txt
exit 0
