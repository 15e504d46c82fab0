# tests/nix/standin - an OFFLINE STAND-IN for the few nixpkgs functions
# that flake.nix and nix/lib.nix call.  It is NOT nixpkgs and builds
# nothing from source: this machine cannot fetch nixpkgs, so tests/nix.t
# imports this in its place to build real launchers into /nix/store with
# plain `derivation`s (nix-build --option sandbox false).  Packages here
# are links to the host's programs; claude-code is a script that runs its
# arguments.  What this does not test, the README says.
{ system ? builtins.currentSystem, overlays ? [ ] }:

let
  hostPath = "/usr/local/bin:/usr/bin:/bin";

  runCommand = name: env: script: derivation ({
    inherit name system;
    builder = "/bin/sh";
    args = [ "-ec" script ];
    PATH = hostPath;
  } // env);

  # A package whose bin/ links to the host's programs of these names
  # (those the host has).
  host = name: progs: runCommand "standin-${name}" { } ''
    mkdir -p "$out/bin"
    for p in ${toString progs}; do
      if b=$(command -v "$p"); then ln -s "$b" "$out/bin/$p"; fi
    done
  '';

  # The generic builder cut down to a Makefile project: build, check
  # (make $checkTarget), install, with makeFlags; inputs come from the host.
  mkDerivation = { pname, version, src, makeFlags ? [ ], doCheck ? false
                 , checkTarget ? "check", ... }:
    runCommand "${pname}-${version}" { inherit src; } ''
      cp -r "$src" source
      chmod -R u+w source
      cd source
      make ${toString makeFlags}
      ${if doCheck then "make ${checkTarget} ${toString makeFlags}" else ""}
      make install ${toString makeFlags}
    '';

  # As nixpkgs' (24.05 and later): strict mode unless bashOptions says
  # otherwise, runtimeInputs first on PATH, then bash -n
  # and shellcheck on the result.  The shell is the host's bash.
  writeShellApplication =
    { name, text, runtimeInputs ? [ ]
    , bashOptions ? [ "errexit" "nounset" "pipefail" ] }:
    runCommand name {
      inherit text bashOptions;
      passAsFile = [ "text" ];
      binPath = builtins.concatStringsSep ":" (map (p: "${p}/bin") runtimeInputs);
    } ''
      mkdir -p "$out/bin"
      f=$out/bin/${name}
      {
        echo '#!/bin/bash'
        for o in $bashOptions; do echo "set -o $o"; done
        echo
        if [ -n "$binPath" ]; then
          echo "export PATH=\"$binPath:\$PATH\""
          echo
        fi
        cat "$textPath"
      } >"$f"
      chmod 0555 "$f"
      /bin/bash -n "$f"
      shellcheck "$f"
    '';

  # bin/ only: enough for a jail's PATH.
  symlinkJoin = { name, paths }: runCommand name { inherit paths; } ''
    mkdir -p "$out/bin"
    for p in $paths; do
      for f in "$p"/bin/*; do
        if [ -e "$f" ] || [ -L "$f" ]; then ln -sf "$f" "$out/bin/"; fi
      done
    done
  '';

  base = {
    inherit system runCommand symlinkJoin writeShellApplication;
    # Only what nix/package.nix's meta names.
    lib.licenses.isc = { spdxId = "ISC"; fullName = "ISC License"; };
    stdenv = { inherit mkDerivation; };
    callPackage = fn: extra:
      let f = import fn;
      in f (builtins.intersectAttrs (builtins.functionArgs f) pkgs // extra);
    mkShell = { inputsFrom ? [ ], packages ? [ ] }:
      runCommand "standin-shell" { inherit packages; } "touch $out";

    # Build and check inputs of nix/package.nix: the host has them.
    pkg-config = host "pkg-config" [ "pkg-config" ];
    libyaml = host "libyaml" [ ];
    pcre2 = host "pcre2" [ ];
    libseccomp = host "libseccomp" [ ];
    perl = host "perl" [ "perl" "prove" ];
    mandoc = host "mandoc" [ "mandoc" ];
    shellcheck = host "shellcheck" [ "shellcheck" ];
    python3 = host "python3" [ "python3" ];
    bubblewrap = host "bubblewrap" [ "bwrap" ];
    nixfmt-rfc-style = host "nixfmt" [ "nixfmt" ];

    # What the shipped claude profile and its parents list.
    git = host "git" [ "git" ];
    coreutils = host "coreutils" [ "cat" "cp" "env" "id" "ls" "mkdir"
      "mktemp" "mv" "readlink" "realpath" "rm" "sleep" "touch" "tr" ];
    bash = host "bash" [ "bash" "sh" ];
    nodejs_24 = host "nodejs" [ "node" ];
    ripgrep = host "ripgrep" [ "rg" ];
    fd = host "fd" [ "fd" "fdfind" ];
    jq = host "jq" [ "jq" ];
    curl = host "curl" [ "curl" ];
    claude-code = runCommand "standin-claude-code" { } ''
      mkdir -p "$out/bin"
      printf '%s\n' '#!/bin/sh' \
        '# offline stand-in for claude-code: runs its arguments' \
        '[ "$1" = --dangerously-skip-permissions ] && shift' \
        'exec "$@"' >"$out/bin/claude"
      chmod 0555 "$out/bin/claude"
    '';
  };

  pkgs = builtins.foldl' (prev: overlay: prev // overlay pkgs prev) base overlays;
in
pkgs
