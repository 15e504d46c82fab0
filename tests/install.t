#!/bin/sh
# install.t - `make install` honours PREFIX and DESTDIR, and an installed
# jailc finds its shipped profiles without help.
. tests/lib.sh
if [ -n "${JAILC_BIN:-}" ]; then
	echo "1..0 # SKIP installs the plain build; nothing sanitizer-specific"
	exit 0
fi
tap_tmpdir install
root=$TMP/root

make -s install DESTDIR="$root" PREFIX=/opt/jc >"$TMP/log" 2>&1
tap $? "make install DESTDIR=... PREFIX=/opt/jc"
for f in bin/jailc bin/jailrun libexec/jailc/jailrun \
    share/jailc/profiles/base.jail share/jailc/profiles/claude.jail \
    share/jailc/schema/jail.schema.json share/man/man1/jailc.1 \
    share/man/man1/jailrun.1 share/man/man5/jail.5 \
    share/man/man5/jailblob.5; do
	[ -f "$root/opt/jc/$f" ]
	tap $? "installed $f"
done
[ -x "$root/opt/jc/bin/jailc" ]
tap $? "installed jailc is executable"

# Away from the source tree and with no JAILC_PATH, `extends = ["base"]`
# must resolve to the installed profile, found relative to the binary.
cp profiles/claude.jail "$TMP/mine.jail"
(cd "$TMP" && env -u JAILC_PATH "$root/opt/jc/bin/jailc" check mine.jail) \
    >"$TMP/out" 2>&1
tap $? "installed jailc resolves shipped profiles from ../share/jailc"
[ -s "$TMP/out" ] && tap_diag "$(cat "$TMP/out")"

# An installed jailc finds the installed jailrun for single-file launchers.
(cd "$TMP" && env -u JAILC_PATH -u JAILRUN "$root/opt/jc/bin/jailc" compile \
    -t exe -o "$TMP/claude-exe" mine.jail) >"$TMP/out" 2>&1 &&
	"$TMP/claude-exe" --jail-help >/dev/null
tap $? "installed jailc writes a single-file launcher with the installed jailrun"
[ -s "$TMP/out" ] && tap_diag "$(cat "$TMP/out")"

# A shell launcher pins the jailrun installed beside jailc, in libexec.
lx=$(cd "$root/opt/jc/libexec/jailc" && pwd -P)
(cd "$TMP" && env -u JAILC_PATH -u JAILRUN "$root/opt/jc/bin/jailc" compile \
    -o "$TMP/claude.sh" mine.jail) >"$TMP/out" 2>&1 &&
	grep -q "^exec '$lx/jailrun' --plan-fd 3 " "$TMP/claude.sh"
tap $? "installed jailc pins its libexec/jailc/jailrun in a shell launcher"
[ -s "$TMP/out" ] && tap_diag "$(cat "$TMP/out")"

# The newcomer's way: `jailc run claude` in a project, after make install,
# with no JAILC_PATH: the shipped profile, compiled into the cache and
# run, a stand-in claude (the native installer's place) answering in
# the jail with the arguments it was given.
# Where bwrap cannot make a jail (a Nix build sandbox: check-offline
# runs this file), the case is skipped with that reason.
h=$TMP/home
run_skip=
if ! command -v bwrap >/dev/null 2>&1 || ! command -v git >/dev/null 2>&1; then
	run_skip="bwrap or git is not installed"
elif ! [ -x /run/current-system/sw/bin/bwrap ] && ! [ -x /usr/bin/bwrap ] &&
    ! [ -x /bin/bwrap ]; then
	# A Nix build sandbox: bwrap only on PATH, which jailc run does
	# not search.
	run_skip="jailc run finds bwrap in /run/current-system/sw/bin, /usr/bin or /bin only; none has it"
elif ! bwrap --unshare-all --ro-bind / / true 2>/dev/null; then
	run_skip="bwrap cannot make a sandbox here (no user namespaces)"
fi
mkdir -p "$h/.local/bin" "$TMP/proj"
printf '#!/bin/sh\necho "claude in the jail: $*"\n' >"$h/.local/bin/claude"
chmod 0755 "$h/.local/bin/claude"
if [ -n "$run_skip" ]; then
	tap_skip "installed jailc run claude runs the shipped profile's jail from the cache" \
	    "$run_skip"
else
	git init -q "$TMP/proj"
	(cd "$TMP/proj" && env -i HOME="$h" PATH="$h/.local/bin:/usr/bin:/bin" \
	    "$root/opt/jc/bin/jailc" run claude -p hello) >"$TMP/out" 2>"$TMP/err"
	r=$?
	[ "$r" = 0 ] &&
		grep -qx 'claude in the jail: --dangerously-skip-permissions -p hello' \
		    "$TMP/out" && [ -x "$(find "$h/.cache/jailc" -type f | head -n 1)" ]
	tap $? "installed jailc run claude runs the shipped profile's jail from the cache"
	[ "$r" = 0 ] || tap_diag "status $r" "$(cat "$TMP/err")"
fi

make -s uninstall DESTDIR="$root" PREFIX=/opt/jc >"$TMP/log" 2>&1
tap $? "make uninstall"
[ -z "$(find "$root" -type f)" ]
tap $? "uninstall leaves no files behind"
tap_done
