# nix/package.nix - jailc and jailrun, built from this repository.
#
# The flake's overlay calls this with callPackage.  The check phase runs
# `make check-offline`: the tests that need neither user namespaces nor
# the network; the Makefile prints which ones it leaves out and why.
# tests/nix.t builds it in Nix's sandbox.
{
  lib,
  stdenv,
  pkg-config,
  libyaml,
  pcre2,
  libseccomp,
  perl,
  mandoc,
  shellcheck,
  git,
  python3,
  bubblewrap,
}:

stdenv.mkDerivation {
  pname = "jailc";
  version = "0.1.0";

  # What the build and its tests read, named: anything else at the top
  # (jailc, jailrun and other programs built there, result links, the
  # Nix files) stays out, so a host build never slips into the source
  # and editing the Nix glue does not rebuild the package.
  src =
    let
      root = toString ./..;
      top = [
        ".ci"
        ".clang-format"
        "LICENSE"
        "Makefile"
        "README.md"
        "bench"
        "compiler"
        "completions"
        "examples"
        "man"
        "profiles"
        "runtime"
        "schema"
        "tests"
        "tools"
      ];
      # Made by the tests, or the stand-in nixpkgs for nix.t.
      skip = [
        "tests/out"
        "tests/nix"
      ];
    in
    builtins.path {
      name = "jailc-source";
      path = ./..;
      filter =
        path: type:
        let
          rel = builtins.substring (builtins.stringLength root + 1) (-1) (toString path);
          first = builtins.head (builtins.split "/" rel);
        in
        builtins.elem first top && !(builtins.elem rel skip);
    };

  strictDeps = true;
  nativeBuildInputs = [ pkg-config ];
  buildInputs = [
    libyaml
    pcre2
    libseccomp
  ];
  nativeCheckInputs = [
    perl
    mandoc
    shellcheck
    git
    python3
    bubblewrap
  ];

  makeFlags = [ "PREFIX=${placeholder "out"}" ];
  doCheck = true;
  checkTarget = "check-offline";

  meta = {
    description = "Declarative bubblewrap jails for coding agents";
    mainProgram = "jailc";
    license = lib.licenses.isc;
    platforms = lib.platforms.linux;
  };
}
