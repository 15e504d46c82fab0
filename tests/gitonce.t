#!/bin/sh
# gitonce.t - jailrun asks git once per launch for the host's identity
# and the first checkout's core.hooksPath, and not at all when the plan
# needs neither; where git must expand a path (~/) or cannot answer the
# one question, it is asked as before, and the answers do not change.
# A git that logs each call and runs the real one counts them; the
# launchers are pinned to it with -D GIT (they never look in PATH).
. tests/lib.sh

if [ -n "${JAILC_BIN:-}" ]; then
	JAILRUN=$JAILC_BIN/jailrun
else
	JAILRUN=jailrun
fi
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
if ! GIT=$(command -v git); then
	echo "1..0 # SKIP git is not installed"
	exit 0
fi

SRC=$PWD
# Outside the source tree, whose .git would be every context's project.
D=$(mktemp -d /tmp/jailc-gitonce.XXXXXX) && D=$(cd "$D" && pwd -P) || exit 1
trap 'rm -rf "$D"' EXIT
mkdir -p "$D/bin" "$D/home" "$D/plain"
cat >"$D/bin/git" <<EOF
#!/bin/sh
echo "git \$*" >>"$D/log"
exec "$GIT" "\$@"
EOF
chmod +x "$D/bin/git"
export HOME="$D/home"
unset GIT_CONFIG GIT_CONFIG_GLOBAL GIT_CONFIG_COUNT GIT_CONFIG_PARAMETERS
export GIT_CONFIG_NOSYSTEM=1
# The identity, its name in a file the global one includes.
printf '[user]\n\temail = a@b.c\n[include]\n\tpath = more\n' >"$HOME/.gitconfig"
printf '[user]\n\tname = Included Name\n' >"$HOME/more"

for p in id plain; do
	{
		printf 'version = 1\nname = "%s"\nextends = ["base"]\n' "$p"
		printf '[command]\nexec = "/bin/true"\n'
		# shellcheck disable=SC2016 # a template, for jailc
		printf '[[mount]]\nrw = "${PROJECT_ROOT}"\n'
	} >"$D/$p.jail"
done
printf '[git]\nidentity = "host"\n' >>"$D/id.jail"
printf '[git]\nprotect-hooks = false\n' >>"$D/plain.jail"
for p in id plain; do
	(cd "$D" && JAILC_PATH="$SRC/profiles" "$JAILC" compile -t blob \
	    -D "GIT=$D/bin/git" -o "$D/$p.jailb" "$D/$p.jail") 2>/dev/null || {
		echo "Bail out! cannot compile $p.jail"
		exit 1
	}
done

# repo DIR HOOKSPATH: a checkout with core.hooksPath (none when empty)
# and its .githooks.
repo() {
	"$GIT" init -q "$D/$1" && mkdir "$D/$1/.githooks" || return 1
	[ -z "$2" ] || "$GIT" -C "$D/$1" config core.hooksPath "$2"
}
# home/tilde: a checkout in the home directory, whose hooks git finds
# only by expanding ~/.
# shellcheck disable=SC2088 # the ~ is for git to expand
repo hp .githooks && repo home/tilde "~/tilde/.githooks" && repo unset "" &&
	repo broken .githooks && printf '[core\n' >>"$D/broken/.git/config"
tap $? "checkouts: hooksPath .githooks, ~/tilde/.githooks, unset, unparsable"

# launch DIR PROFILE: --jail-print-argv there, one word a line, in
# $D/out; the gits it ran in $D/log; its status.
launch() {
	: >"$D/log"
	(cd "$D/$1" && "$JAILRUN" "$D/$2.jailb" --jail-print-argv) \
	    >"$D/raw" 2>"$D/err"
	lrc=$?
	tr '\0' '\n' <"$D/raw" >"$D/out"
	return "$lrc"
}
gits() {
	wc -l <"$D/log" | tr -d ' '
}

launch hp id || tap_diag "$(cat "$D/err")"
n=$(gits)
[ "$n" = 1 ] && grep -q -- '--show-scope' "$D/log"
tap $? "identity and hooksPath in a checkout: one git ($n)"
[ "$n" = 1 ] || tap_diag "$(cat "$D/log")"
grep -qx "$D/hp/.githooks" "$D/out"
tap $? "... the hooks directory it names is pinned"
grep -q 'name = "Included Name"' "$D/out" && grep -q 'email = "a@b.c"' "$D/out"
tap $? "... the identity is git's, included files followed"

launch home/tilde id
n=$(gits)
[ "$n" = 2 ] && grep -q -- '--type=path --get core.hooksPath' "$D/log"
tap $? "hooksPath under ~/: git expands it, a second git ($n)"
grep -qx "$HOME/tilde/.githooks" "$D/out"
tap $? "... and what it names is pinned"
[ -s "$D/out" ] || tap_diag "$(cat "$D/err")"

launch unset id
n=$(gits)
[ "$n" = 1 ] && ! grep -qx "$D/unset/.githooks" "$D/out"
tap $? "hooksPath unset: one git, .githooks left as it is ($n)"

launch broken id
rc=$?
n=$(gits)
[ "$rc" = 0 ] && grep -q -- '--type=path --get core.hooksPath' "$D/log" &&
	! grep -qx "$D/broken/.githooks" "$D/out"
tap $? "a configuration git cannot parse: asked as before, no pin ($n)"

launch plain id
n=$(gits)
[ "$n" = 1 ] && grep -q -- '--global --includes' "$D/log" &&
	grep -q 'name = "Included Name"' "$D/out"
tap $? "outside a checkout: one git, for the identity ($n)"

launch hp plain
n=$(gits)
[ "$n" = 0 ]
tap $? "neither identity nor hooksPath: no git ($n)"

tap_done
