#!/bin/sh
# deps.sh - make sure this machine has what jailc needs.
#
#   sh tools/deps.sh build   libraries and tools to build jailc
#   sh tools/deps.sh test    tools the test suite runs
#   sh tools/deps.sh demo    what make demo runs: bwrap for the jail, git
#
# Missing Debian packages are installed with apt-get when we are root and
# apt-get exists; otherwise the exact command is printed and we stop.
set -u

want=""
nice=""
need() { # need CHECK PACKAGE: required
	if ! eval "$1" >/dev/null 2>&1; then
		want="$want $2"
	fi
}
could() { # could CHECK PACKAGE: wanted, but tests skip (saying why) without
	if ! eval "$1" >/dev/null 2>&1; then
		nice="$nice $2"
	fi
}

# clang builds a libFuzzer binary only with compiler-rt installed.
# shellcheck disable=SC2317 # called through eval by could()
fuzzer_ok() {
	d=$(mktemp -d) || return 1
	printf '%s\n' '#include <stddef.h>' '#include <stdint.h>' \
	    'int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);' \
	    'int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)' \
	    '{ (void)d; (void)n; return 0; }' >"$d/f.c"
	clang -fsanitize=fuzzer,address -o "$d/f" "$d/f.c" >/dev/null 2>&1
	r=$?
	rm -rf "$d"
	return "$r"
}

case "${1:-build}" in
build)
	need 'command -v pkg-config' pkg-config
	need 'command -v cc' gcc
	need 'command -v make' make
	need 'pkg-config --exists yaml-0.1' libyaml-dev
	need 'pkg-config --exists libpcre2-8' libpcre2-dev
	need 'pkg-config --exists libseccomp' libseccomp-dev
	;;
demo)
	need 'command -v bwrap' bubblewrap
	need 'command -v git' git
	;;
test)
	need 'command -v prove' perl
	need 'command -v mandoc' mandoc
	need 'command -v bwrap' bubblewrap
	need 'command -v shellcheck' shellcheck
	need 'command -v git' git
	need 'command -v python3' python3
	need 'command -v curl' curl
	need 'command -v openssl' openssl
	need 'command -v xauth' xauth
	# the desktop of tests/gui.t: an X server and client, a session
	# bus with a service, its client, and the bus proxy
	need 'command -v Xvfb' xvfb
	need 'command -v xdpyinfo' x11-utils
	need 'command -v dbus-daemon' dbus-daemon
	need 'command -v dbus-test-tool' dbus-tests
	need 'command -v gdbus' libglib2.0-bin
	need 'command -v xdg-dbus-proxy' xdg-dbus-proxy
	could 'command -v npm' npm
	could 'command -v clang' clang
	could 'command -v clang-format' clang-format
	could 'command -v zsh' zsh
	could 'command -v fish' fish
	could 'command -v nix-build' nix-bin
	# tests/nix.t's stand-in copies these of the host's into the store
	could 'command -v unzip' unzip
	could 'command -v ps' procps
	could fuzzer_ok libclang-rt-14-dev
	;;
bench)
	need 'command -v bwrap' bubblewrap
	need 'command -v python3' python3
	need 'command -v curl' curl
	need 'command -v hyperfine' hyperfine
	could 'command -v musl-gcc' musl-tools
	could 'command -v firejail' firejail
	could 'command -v npm' npm
	# what srt (@anthropic-ai/sandbox-runtime) needs to start
	could 'command -v rg' ripgrep
	could 'command -v socat' socat
	;;
*)
	echo "usage: sh tools/deps.sh build|test|demo|bench" >&2
	exit 2
	;;
esac

[ -z "$want$nice" ] && exit 0

updated=""
install() { # install PKG...: apt-get, refreshing the package lists once
	apt-get install -y -q --no-install-recommends "$@" >&2 && return 0
	[ -n "$updated" ] && return 1
	updated=1
	apt-get update -q >&2 &&
	    apt-get install -y -q --no-install-recommends "$@" >&2
}

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
	export DEBIAN_FRONTEND=noninteractive
	if [ -n "$want" ]; then
		echo "deps: installing$want" >&2
		# shellcheck disable=SC2086
		install $want || { echo "deps: apt-get failed for:$want" >&2; exit 1; }
	fi
	for p in $nice; do
		install "$p" ||
		    echo "deps: optional $p not installed; tests that need it skip" >&2
	done
	exit 0
fi

[ -n "$nice" ] && echo "deps: optional (the tests that need them skip):$nice" >&2
[ -z "$want" ] && exit 0
echo "deps: missing:$want" >&2
echo "deps: install them with:  sudo apt-get install$want" >&2
exit 1
