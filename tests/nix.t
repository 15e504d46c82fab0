#!/bin/sh
# nix.t - the Nix glue: every .nix file parses, and with the offline
# stand-in for nixpkgs (tests/nix/standin, NOT nixpkgs: this machine
# cannot fetch it) every flake output evaluates without import from
# derivation, for both systems; the presets evaluate with a nixpkgs that
# allows unfree packages and are refused by one that does not; the
# package builds in Nix's sandbox, its check phase passing; and
# nix/lib.nix builds real launchers into /nix/store, which then run
# real jails with bwrap by its pinned store path.
. tests/lib.sh
tap_tmpdir nix

# The presets' package lists, as nix/lib.nix reads them without import
# from derivation, are the shipped profiles' own.
sh tools/nix-presets.sh "$JAILC" >"$TMP/presets.json" 2>"$TMP/err" &&
	cmp -s "$TMP/presets.json" nix/presets.json
tap $? "nix/presets.json holds the profiles' package lists (tools/nix-presets.sh)"
cmp -s "$TMP/presets.json" nix/presets.json ||
	tap_diag "$(diff nix/presets.json "$TMP/presets.json")" "$(cat "$TMP/err")"

# nixpkgs' cross, static and clang toolchains name the compiler and
# pkg-config in the environment: the Makefile takes them from there.
CC=clang PKG_CONFIG=nixt-pkg-config make -n -B jailc 2>/dev/null >"$TMP/make-n"
grep -q '^clang .*nixt-pkg-config --cflags' "$TMP/make-n"
tap $? "make: CC and PKG_CONFIG from the environment"
# ... and a clang build is warning-free (-Werror), in a copy of the tree.
if command -v clang >/dev/null 2>&1; then
	mkdir "$TMP/clang"
	git ls-files -z | xargs -0 cp --parents -t "$TMP/clang" 2>/dev/null
	make -C "$TMP/clang" -j2 CC=clang jailc jailrun >"$TMP/clang.log" 2>&1
	tap $? "make CC=clang: jailc and jailrun build without a warning"
	grep -q 'error\|warning' "$TMP/clang.log" &&
		tap_diag "$(grep -A3 'error\|warning' "$TMP/clang.log" | head -20)"
	rm -rf "$TMP/clang"
else
	tap_skip "make CC=clang: jailc and jailrun build without a warning" \
	    "clang not installed"
fi

nixfiles=$(find . -name '*.nix' -not -path './build/*' -not -path './tests/out/*' |
	sort)
if ! command -v nix-instantiate >/dev/null 2>&1; then
	tap_skip "the Nix files" "nix-instantiate not found (Debian: nix-bin)"
	tap_done
	exit
fi
for f in $nixfiles; do
	nix-instantiate --parse "$f" >/dev/null 2>"$TMP/parse"
	tap $? "nix-instantiate --parse $f"
	[ -s "$TMP/parse" ] && tap_diag "$(cat "$TMP/parse")"
done
[ -n "$nixfiles" ]
tap $? "the tree has .nix files to parse"

# The builds below use nix/package.nix's jailc, not $JAILC_BIN's.
if [ -n "${JAILC_BIN:-}" ]; then
	tap_skip "builds with the offline stand-in" \
	    "they build jailc from nix/package.nix, not the sanitizer build"
	tap_done
	exit
fi
if [ "$(id -u)" != 0 ] || ! command -v nix-build >/dev/null 2>&1; then
	tap_skip "builds with the offline stand-in" \
	    "nix-build as root is needed (the store is written without a daemon)"
	tap_done
	exit
fi
OUT=tests/nix/outputs.nix
# Debian's nix-bin builds as the users of the group nixbld by default,
# and makes no such group: without it, root builds as itself.
if ! getent group nixbld >/dev/null 2>&1; then
	export NIX_CONFIG="build-users-group =${NIX_CONFIG:+
$NIX_CONFIG}"
	tap_diag "no group nixbld: building as root (build-users-group empty)"
fi

# Every build runs in Nix's sandbox, as nixpkgs' builds do: /bin/sh
# (Nix's default sandbox-paths has one), the store, and what the
# stand-in's prebuilt packages (host programs copied into the store)
# load at run time: the host's library directories.  No /usr/bin, no
# /bin/bash.  The prebuilt packages themselves are built first, outside
# the sandbox (see tests/nix/standin).
sbx="/bin/sh=$(readlink -f /bin/sh)"
for d in /lib /lib32 /lib64 /usr/lib /usr/lib32 /usr/lib64 /usr/libexec \
    /usr/include /usr/share /etc/perl; do
	[ -d "$d" ] && sbx="$sbx $d=$(readlink -f "$d")"
done

# Everything is built here: no binary cache is asked (there is no
# network to reach one, and nix would retry for seconds).
# nixeval EXPR: evaluate EXPR with `o` bound to the flake's outputs.
# With NOIFD=1, import from derivation is an error.
nixeval() {
	nix-instantiate --eval --read-write-mode --option substituters "" \
	    --option sandbox true --option sandbox-paths "$sbx" \
	    --option allow-import-from-derivation \
	    "$([ "${NOIFD:-}" = 1 ] && echo false || echo true)" \
	    --strict --json -E \
	    "let o = import ./$OUT; s = builtins.currentSystem; in $1" 2>"$TMP/err"
}
# nixbuild ATTR: build ATTR of $OUT in the sandbox, printing its store path.
# Nix 2.8 here now and then reports a sandboxed builder "failed due to
# signal 9 (Killed)" after its last command succeeded (seen with
# checks.profiles under load, never with a failing command): such a
# build is tried once more, and said so.
nixbuild() {
	nix-build --option sandbox true --option sandbox-paths "$sbx" \
	    --option substituters "" \
	    --no-out-link "$OUT" -A "$1" 2>"$TMP/build-$1.log" && return
	grep -q 'failed due to signal 9 (Killed)$' "$TMP/build-$1.log" ||
		return 1
	echo "# $1: the builder was killed (signal 9); building again" >&2
	nix-build --option sandbox true --option sandbox-paths "$sbx" \
	    --option substituters "" \
	    --no-out-link "$OUT" -A "$1" 2>"$TMP/build-$1.log"
}

nix-build --option sandbox false --option substituters "" --no-out-link \
    "$OUT" -A standin.prebuilt >/dev/null 2>"$TMP/prebuilt.log"
rc=$?
tap $rc "stand-in: the prebuilt packages (host programs) are in the store"
[ $rc -eq 0 ] || tap_diag "$(tail -20 "$TMP/prebuilt.log")"

# The flake's shape: what `nix run`, `nix build` and `nix flake check` use.
nixeval 'builtins.attrNames o.packages.${s}' >"$TMP/out"
for p in default jailc claude-jail opencode-jail crush-jail gemini-cli-jail \
    codex-jail; do
	grep -q "\"$p\"" "$TMP/out"
	tap $? "flake: packages.<system>.$p"
done
nixeval 'let a = o.apps.${s}.claude-jail; in [ a.type
    (builtins.match ".*/bin/claude-jail" a.program != null) ]' >"$TMP/out"
[ "$(cat "$TMP/out")" = '["app",true]' ]
tap $? "flake: apps.<system>.claude-jail runs bin/claude-jail"
[ -s "$TMP/err" ] && tap_diag "$(cat "$TMP/out" "$TMP/err")"
nixeval '[ (builtins.isFunction o.overlays.default)
    (builtins.isFunction o.lib.init)
    (builtins.attrNames (o.lib.init o.userPkgs.unfree).presets)
    (o.devShells.${s}.default ? drvPath)
    (builtins.attrNames o.checks.${s}) ]' >"$TMP/out"
grep -q '^\[true,true,\["claude","codex","crush","gemini-cli","opencode"\],true,\[.*"jailc".*"profiles"' \
    "$TMP/out"
tap $? "flake: overlays.default, lib.init and its presets, devShells.default, checks"
[ -s "$TMP/err" ] && tap_diag "$(cat "$TMP/out" "$TMP/err")"

# Every output, for both systems, evaluated to its derivation without
# import from derivation (as `nix flake check` with
# allow-import-from-derivation = false, and as Hydra, evaluate): nothing
# is built here, so aarch64-linux needs no aarch64 builder.
every='map (s: map (d: d.drvPath) (builtins.attrValues o.packages.${s}
      ++ builtins.attrValues o.checks.${s}
      ++ [ o.devShells.${s}.default o.formatter.${s} ])
    ++ map (a: a.program) (builtins.attrValues o.apps.${s}))
  [ "x86_64-linux" "aarch64-linux" ]'
NOIFD=1 nixeval "$every" >"$TMP/out"
tap $? "flake: every output evaluates for x86_64-linux and aarch64-linux without IFD"
[ -s "$TMP/err" ] && tap_diag "$(cat "$TMP/err")"
n=$(tr ',' '\n' <"$TMP/out" | grep -c '^\[*"/nix/store/[^"]*\.drv"')
[ "$n" -ge 30 ]
tap $? "flake: ... $n derivations, apps aside"
NOIFD=1 nixeval '(o.users.unfree.mkJail { profile = ./profiles/claude.jail; }).drvPath' \
    >"$TMP/out"
[ $? -ne 0 ] && grep -q 'allow-import-from-derivation' "$TMP/err"
tap $? "mkJail without packages: the one case that needs IFD (the README says so)"
NOIFD=1 nixeval '(o.users.unfree.mkJail { profile = ./profiles/claude.jail;
    packages = [ o.userPkgs.unfree.git ]; }).drvPath' >"$TMP/out"
tap $? "mkJail with packages given: no IFD"
[ -s "$TMP/err" ] && tap_diag "$(cat "$TMP/err")"

# Unfree agents: nixpkgs marks claude-code unfree and crush FSL (the
# stand-in refuses them as nixpkgs does).  The presets take the user's
# pkgs, so its config decides; checks need no unfree package.
for p in claude crush; do
	NOIFD=1 nixeval "(o.users.free.presets.$p { }).drvPath" >"$TMP/out"
	[ $? -ne 0 ] && grep -q 'has an unfree license' "$TMP/err"
	tap $? "presets.$p with a nixpkgs that refuses unfree packages: refused, as nixpkgs does"
	NOIFD=1 nixeval "(o.users.unfree.presets.$p { }).drvPath" >"$TMP/out"
	tap $? "presets.$p with config.allowUnfree = true: evaluates"
	[ -s "$TMP/err" ] && tap_diag "$(cat "$TMP/err")"
done
NOIFD=1 nixeval '[ (o.users.onlyClaude.presets.claude { }).drvPath
    (builtins.tryEval (o.users.onlyClaude.presets.crush { }).drvPath).success ]' \
    >"$TMP/out"
grep -q '^\["/nix/store/[^"]*-claude-jail.drv",false\]$' "$TMP/out"
tap $? "allowUnfreePredicate for claude-code: presets.claude evaluates, presets.crush does not"
[ -s "$TMP/err" ] && tap_diag "$(cat "$TMP/out" "$TMP/err")"
NOIFD=1 nixeval '(o.users.free.presets.claude { package = o.userPkgs.free.opencode; }).drvPath' \
    >"$TMP/out"
tap $? "presets.claude with the agent package given: no unfree package asked for"
nixeval '[ (builtins.attrNames o.checks.${s})
    (builtins.tryEval o.userPkgs.free.claude-code.drvPath).success ]' >"$TMP/out"
grep -q '^\[\[' "$TMP/out" && ! grep -q 'claude\|crush' "$TMP/out" &&
	grep -q 'false\]$' "$TMP/out"
tap $? "checks: no unfree agent, and they evaluate where claude-code is refused"
[ -s "$TMP/err" ] && tap_diag "$(cat "$TMP/out" "$TMP/err")"

# Hygiene a nixpkgs reviewer asks for.
nixeval 'let p = o.packages.${s}.jailc; m = p.meta; in [ m.description
    m.license.spdxId m.mainProgram (builtins.elem "aarch64-linux" m.platforms)
    p.strictDeps o.formatter.${s}.name ]' >"$TMP/out"
grep -q '^\["[^"]\{10,\}","ISC","jailc",true,true,"standin-nixfmt"\]$' "$TMP/out"
tap $? "package: meta (description, ISC, mainProgram, Linux platforms), strictDeps; formatter nixfmt"
[ -s "$TMP/err" ] && tap_diag "$(cat "$TMP/out" "$TMP/err")"
nixeval 'let l = builtins.fromJSON (builtins.readFile ./flake.lock);
    n = l.nodes.nixpkgs; in [ n.original.ref n.locked.owner n.locked.repo
    (builtins.match "[0-9a-f]{40}" n.locked.rev != null)
    (builtins.match "sha256-[A-Za-z0-9+/]{43}=" n.locked.narHash != null) ]' \
    >"$TMP/out"
[ "$(cat "$TMP/out")" = '["nixos-unstable","NixOS","nixpkgs",true,true]' ]
tap $? "flake.lock pins nixos-unstable by revision and narHash"
# A program built at the top of the tree (as a host build leaves
# jailc, jailrun or jailscope there) stays out of the package's source.
built=nixt-built-$$
echo x >"$built"
nixeval "builtins.attrNames (builtins.readDir o.packages.\${s}.jailc.src)" \
    >"$TMP/out"
rm -f "$built"
! grep -q "\"$built\"\|\"jailc\"\|\"build\"\|\"flake.nix\"" "$TMP/out" &&
	grep -q '"Makefile"' "$TMP/out"
tap $? "package: the source holds what the build reads, no program built here"
[ -s "$TMP/err" ] && tap_diag "$(cat "$TMP/out" "$TMP/err")"

# nix/package.nix: jailc built and installed into the store, its check
# phase (`make check-offline`) passing; then checks.profiles runs it.
sys=$(uname -m)-linux
J=$(nixbuild "packages.$sys.jailc")
tap $? "flake: packages.<system>.jailc builds"
if [ -z "$J" ]; then
	# Each build below would build it again, and fail again.
	tap_diag "$(grep -v '^ok' "$TMP/build-packages.$sys.jailc.log" | tail -30)"
	tap_done
	exit
fi
"$J/bin/jailc" --version >/dev/null 2>&1 &&
	[ -x "$J/libexec/jailc/jailrun" ] &&
	[ -f "$J/share/jailc/profiles/claude.jail" ]
tap $? "the package installs jailc, jailrun and the profiles"
[ -n "$J" ] && nix-store -l "$(nix-store -q --deriver "$J")" 2>/dev/null >"$TMP/log"
grep -q '^Result: PASS' "$TMP/log" && grep -q 'leaving out tests/launch.t' "$TMP/log"
tap $? "its check phase ran make check-offline and passed"
nixbuild "checks.$sys.profiles" >"$TMP/out"
rc=$?
tap $rc "flake: checks.<system>.profiles builds (jailc check --strict)"
[ $rc -eq 0 ] || tap_diag "$(tail -20 "$TMP/build-checks.$sys.profiles.log")"

# A home with a key to steal, a project, and a bwrap on PATH that must
# not be the one that runs: the launcher has its own, by store path.
H=$TMP/home
P=$TMP/proj
mkdir -p "$H/.ssh" "$P" "$TMP/fake"
echo SECRET >"$H/.ssh/id_rsa"
git init -q "$P"
printf '#!/bin/sh\necho "unpinned bwrap ran" >&2\nexit 99\n' >"$TMP/fake/bwrap"
printf '#!/bin/sh\necho "unpinned jailrun ran" >&2\nexit 99\n' \
    >"$TMP/fake/jailrun"
printf '#!/bin/sh\necho "unpinned git ran" >&2\nexit 99\n' >"$TMP/fake/git"
chmod +x "$TMP/fake/bwrap" "$TMP/fake/jailrun" "$TMP/fake/git"

for backend in shell exe; do
	L=$(nixbuild "test.$backend")
	tap $? "$backend: mkJail builds profiles/claude.jail"
	case $L in
	/nix/store/*) tap 0 "$backend: the launcher is in /nix/store" ;;
	*)
		tap 1 "$backend: the launcher is in /nix/store"
		tap_diag "$(tail -20 "$TMP/build-test.$backend.log")"
		continue
		;;
	esac
	nix-store -q --references "$L" >"$TMP/refs"
	grep -q -- '-standin-bubblewrap$' "$TMP/refs" &&
		grep -q -- '-claude-jail-path$' "$TMP/refs"
	tap $? "$backend: the launcher keeps bwrap and the jail's PATH alive"
	grep -q -- '-standin-git$' "$TMP/refs"
	tap $? "$backend: the launcher keeps its pinned git alive"
	if [ "$backend" = shell ]; then
		grep -q -- '-jailc-[0-9.]*$' "$TMP/refs"
		tap $? "shell: the launcher keeps jailc's jailrun alive"
		grep -q "^exec '/nix/store/[^/]*-jailc-[0-9.]*/libexec/jailc/jailrun' " \
		    "$L/bin/claude-jail"
		tap $? "shell: the launcher execs jailrun by its store path"
	fi

	rm -f "$P/made-inside"
	(cd "$P" && env -i HOME="$H" PATH="$TMP/fake:/usr/bin:/bin" \
	    "$L/bin/claude-jail" sh -c 'printf "%s\n" "$PATH"
		command -v git
		echo made >made-inside
		if cat ~/.ssh/id_rsa 2>/dev/null; then echo LEAKED; fi') \
	    >"$TMP/run" 2>"$TMP/run-err"
	tap $? "$backend: claude-jail runs a command in the jail"
	[ -s "$TMP/run-err" ] && tap_diag "$(cat "$TMP/run-err")"
	! grep -q "unpinned bwrap" "$TMP/run-err"
	tap $? "$backend: bwrap ran by its store path, not from PATH"
	! grep -q "unpinned jailrun" "$TMP/run-err"
	tap $? "$backend: jailrun, where used, ran by its store path"
	! grep -q "unpinned git" "$TMP/run-err"
	tap $? "$backend: the launcher's git ran by its store path, not from PATH"
	sed -n 1p "$TMP/run" | grep -q '^/nix/store/[^/]*-claude-jail-path/bin$'
	tap $? "$backend: the jail's PATH is the packages' bin directory"
	sed -n 2p "$TMP/run" | grep -q '^/nix/store/[^/]*-claude-jail-path/bin/git$'
	tap $? "$backend: git comes from the profile's packages"
	[ "$(cat "$P/made-inside" 2>/dev/null)" = made ]
	tap $? "$backend: the project is writable from inside"
	! grep -q LEAKED "$TMP/run"
	tap $? "$backend: ~/.ssh is not in the jail"

	# Functions exported under the names of the builtins the launcher
	# runs first do not run: mkJail asks for no set -o lines above
	# the body (honest.t has the control with them).
	[ "$backend" = shell ] || continue
	(cd "$P" && env -i HOME="$H" PATH=/usr/bin:/bin \
	    'BASH_FUNC_set%%=() { echo hijacked; }' \
	    'BASH_FUNC_export%%=() { echo hijacked; }' \
	    'BASH_FUNC_exec%%=() { echo hijacked; }' \
	    "$L/bin/claude-jail" --jail-print-argv) >"$TMP/run" 2>&1
	! grep -q hijacked "$TMP/run" &&
		tr '\0' '\n' <"$TMP/run" | grep -qx -e --clearenv
	tap $? "shell: exported functions named set, export and exec do not run"
	sed '/^POSIXLY_CORRECT=/q' "$L/bin/claude-jail" |
		grep -n '^set \|^export ' >"$TMP/lines"
	[ ! -s "$TMP/lines" ]
	tap $? "shell: no set or export line above the body"
	[ -s "$TMP/lines" ] && tap_diag "$(cat "$TMP/lines")"
done

# A YAML profile: the same packages through the same reader.
Y=$(nixbuild test.yaml)
tap $? "yaml: mkJail builds tests/twins/claude.yaml"
T=$(nixbuild test.shell)
ypath=$(nix-store -q --references "$Y" 2>/dev/null | grep -- '-jail-path$')
tpath=$(nix-store -q --references "$T" 2>/dev/null | grep -- '-jail-path$')
[ -n "$ypath" ] && [ -n "$tpath" ] &&
	[ "$(nix-store -q --references "$ypath" | sort)" = \
	    "$(nix-store -q --references "$tpath" | sort)" ]
tap $? "yaml: its PATH holds the same packages as the TOML profile's"

# A profile that does not validate yields no launcher.
B=$(nixbuild test.broken)
rc=$?
[ "$rc" -ne 0 ] && [ -z "$B" ]
tap $? "broken: mkJail on examples/broken.jail fails the build"
grep -q 'broken.jail:[0-9]*:[0-9]*: error:' "$TMP/build-test.broken.log"
tap $? "broken: the build log has jailc's file:line:col error"

# dbusProxy: the launcher runs the store's xdg-dbus-proxy for gui.dbus.
G=$(nixbuild test.gui)
grep -q "^dbus-proxy /nix/store/[^ ]*-standin-xdg-dbus-proxy/bin/xdg-dbus-proxy$" \
    "$G/bin/uses-gui-jail" 2>/dev/null
tap $? "mkJail { dbusProxy = pkgs.xdg-dbus-proxy; } pins it (-D DBUS_PROXY)"

# closure = true: the jail sees the store paths its PATH needs, not the
# whole store.  The control: jailc's package, which the launcher needs
# on the host side only, is in the store the plain launcher shows.
T=$(nixbuild test.shell)
(cd "$P" && env -i HOME="$H" PATH=/usr/bin:/bin "$T/bin/claude-jail" \
    sh -c 'ls /nix/store') >"$TMP/run" 2>"$TMP/run-err"
grep -qx "$(basename "$J")" "$TMP/run"
tap $? "control: the whole store, jailc's package too, is in the plain launcher's jail"
# The tools agents run without asking, from the profile's packages (the
# tools fragment), in the jail's PATH.  The stand-in's packages are the
# host's programs: one the host lacks is an empty package here.
nohost=
for c in grep sed awk find xargs diff tar gzip unzip ps; do
	command -v "$c" >/dev/null || nohost="$nohost $c"
done
if [ -n "$nohost" ]; then
	tap_skip "grep, sed, awk, find, xargs, diff, tar, gzip, unzip and ps in the jail's PATH" \
	    "not on this host, so not in the stand-in:$nohost (tools/deps.sh test installs them)"
else
	(cd "$P" && env -i HOME="$H" PATH=/usr/bin:/bin "$T/bin/claude-jail" \
	    sh -c 'for c in grep sed awk find xargs diff tar gzip unzip ps; do
			case $(command -v "$c") in
			/nix/store/*-claude-jail-path/bin/"$c") ;;
			*) echo "missing: $c" ;;
			esac
		done') >"$TMP/run" 2>"$TMP/run-err"
	[ $? -eq 0 ] && [ ! -s "$TMP/run" ]
	tap $? "grep, sed, awk, find, xargs, diff, tar, gzip, unzip and ps in the jail's PATH"
	[ -s "$TMP/run" ] && tap_diag "$(cat "$TMP/run" "$TMP/run-err")"
fi
for backend in shell exe; do
	name=claude-closure
	[ "$backend" = exe ] && name=claude-closure-exe
	L=$(nixbuild "test.closure-$backend")
	tap $? "$backend: presets.claude { closure = true; } builds"
	[ -n "$L" ] || tap_diag "$(tail -20 "$TMP/build-test.closure-$backend.log")"
	(cd "$P" && env -i HOME="$H" PATH=/usr/bin:/bin "$L/bin/$name" \
	    sh -c 'command -v git; git --version; ls /nix/store') \
	    >"$TMP/run" 2>"$TMP/run-err"
	tap $? "$backend closure: the launcher runs git in the jail"
	[ -s "$TMP/run-err" ] && tap_diag "$(cat "$TMP/run-err")"
	cl=$(nix-store -qR "$(nix-store -q --references "$L" | grep -- '-path$')" |
	    sed 's|^/nix/store/||' | sort)
	[ -n "$cl" ] && [ "$(sed '1,2d' "$TMP/run" | sort)" = "$cl" ]
	tap $? "$backend closure: the store in the jail is the PATH's closure, no more"
	grep -qx "$(basename "$J")" "$TMP/run" && tap_diag "jailc's package is visible"
done

tap_done
