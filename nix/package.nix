# nix/package.nix - jailc and jailrun, built from this repository.
#
# The flake's overlay calls this with callPackage.  The check phase runs
# `make check-offline`: the tests that need neither user namespaces (the
# Nix build sandbox gives none to bwrap) nor the network; the Makefile
# prints which ones it leaves out and why.
{ lib, stdenv, pkg-config, libyaml, pcre2, libseccomp, perl, mandoc
, shellcheck, git, python3, bubblewrap }:

stdenv.mkDerivation {
  pname = "jailc";
  version = "0.1.0";

  # The working tree without what a build leaves behind.
  src = builtins.path {
    name = "jailc-source";
    path = ./..;
    filter = path: type:
      let rel = builtins.substring
        (builtins.stringLength (toString ./..) + 1) (-1) (toString path);
      in !(builtins.elem rel [ ".git" "build" "result" "jailc" "jailrun"
        "jailrun-static" "tests/out" ]);
  };

  nativeBuildInputs = [ pkg-config ];
  buildInputs = [ libyaml pcre2 libseccomp ];
  nativeCheckInputs = [ perl mandoc shellcheck git python3 bubblewrap ];

  makeFlags = [ "PREFIX=${placeholder "out"}" ];
  doCheck = true;
  checkTarget = "check-offline";

  meta = {
    description = "Declarative bubblewrap jails for coding agents";
    mainProgram = "jailc";
    license = lib.licenses.isc;
    platforms = [ "x86_64-linux" "aarch64-linux" ];
  };
}
