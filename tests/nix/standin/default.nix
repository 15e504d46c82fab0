# tests/nix/standin - an OFFLINE STAND-IN for the parts of nixpkgs that
# flake.nix and nix/lib.nix use.  It is NOT nixpkgs and builds nothing
# from source: this machine cannot fetch nixpkgs, so tests/nix.t imports
# this in its place.  Each part below says which nixpkgs behaviour it
# models; what it does not model, the README says.
#
# Packages are the host's programs copied into the store (prebuilt):
# nix.t builds those first, outside Nix's sandbox (they are marked
# __noChroot), as nixpkgs' bootstrap tools and binary-cache substitutes
# come prebuilt from outside.  Everything else (the jailc package and
# its check phase, launchers, symlinkJoin) builds inside Nix's sandbox,
# as in nixpkgs: no /usr/bin, no /bin/bash, only /bin/sh and the store,
# PATH made of the inputs' bin directories.  nix.t binds the host's
# library directories in (sandbox-paths), which the copied programs
# need at run time: in nixpkgs those libraries are store paths too.
{ system ? builtins.currentSystem, overlays ? [ ], config ? { } }:

let
  hostPath = "/usr/local/bin:/usr/bin:/bin";

  # prebuilt NAME PROGS: the host's programs of these names (those it
  # has) copied into $out/bin.  As nixpkgs' fixup phase does for every
  # package (patchShebangs), a script's interpreter is rewritten to the
  # copy in the same package: prove runs the package's perl.
  prebuilt = name: progs: prebuiltWith name progs "";
  prebuiltWith = name: progs: post: derivation {
    name = "standin-${name}";
    inherit system progs;
    builder = "/bin/sh";
    PATH = hostPath;
    __noChroot = true;
    args = [ "-ec" ''
      mkdir -p "$out/bin"
      for p in $progs; do
        for d in /usr/local/bin /usr/bin /bin; do
          if [ -f "$d/$p" ] && [ -x "$d/$p" ]; then
            cp -L "$d/$p" "$out/bin/$p"
            break
          fi
        done
      done
      for f in "$out"/bin/*; do
        [ "$(head -c 2 "$f")" = '#!' ] || continue
        i=$(sed -n '1s/^#! *\([^ ]*\).*/\1/p' "$f")
        case $i in /usr/bin/* | /bin/*) ;; *) continue ;; esac
        if [ -x "$out/bin/''${i##*/}" ]; then
          sed -i "1s|$i|$out/bin/''${i##*/}|" "$f"
        fi
      done
      ${post}
    '' ];
  };

  # What nixpkgs' stdenv puts on every builder's PATH: coreutils,
  # findutils, diffutils, gnused, gnugrep, gawk, gnutar, gzip, bzip2,
  # xz, gnumake, bash, patch, file, and the C compiler with binutils.
  # Nothing else: a build needing more must say so in its inputs.
  coreutilsProgs = [ "[" "b2sum" "base32" "base64" "basename" "basenc" "cat"
    "chgrp" "chmod" "chown" "chroot" "cksum" "comm" "cp" "csplit" "cut"
    "date" "dd" "df" "dir" "dircolors" "dirname" "du" "echo" "env" "expand"
    "expr" "factor" "false" "fmt" "fold" "groups" "head" "hostid" "id"
    "install" "join" "link" "ln" "logname" "ls" "md5sum" "mkdir" "mkfifo"
    "mknod" "mktemp" "mv" "nice" "nl" "nohup" "nproc" "numfmt" "od" "paste"
    "pathchk" "pinky" "pr" "printenv" "printf" "ptx" "pwd" "readlink"
    "realpath" "rm" "rmdir" "runcon" "seq" "sha1sum" "sha224sum" "sha256sum"
    "sha384sum" "sha512sum" "shred" "shuf" "sleep" "sort" "split" "stat"
    "stdbuf" "stty" "sum" "sync" "tac" "tail" "tee" "test" "timeout" "touch"
    "tr" "true" "truncate" "tsort" "tty" "uname" "unexpand" "uniq" "unlink"
    "users" "vdir" "wc" "who" "whoami" "yes" ];
  stdenvProgs = coreutilsProgs ++ [ "find" "xargs" "diff" "cmp" "diff3"
    "sdiff" "sed" "grep" "egrep" "fgrep" "awk" "gawk" "tar" "gzip" "gunzip"
    "zcat" "bzip2" "xz" "make" "bash" "sh" "patch" "file" "cc" "gcc" "cpp"
    "as" "ld" "ar" "ranlib" "nm" "strip" "objcopy" "objdump" "readelf" ];
  # The compiler behind a wrapper script, as nixpkgs' cc-wrapper: out of
  # /usr/bin, gcc finds its own programs (cc1) only when told where.
  stdenvTools = prebuiltWith "stdenv-tools" stdenvProgs ''
    mkdir -p "$out/libexec"
    for c in cc gcc cpp; do
      [ -f "$out/bin/$c" ] || continue
      mv "$out/bin/$c" "$out/libexec/$c"
      printf '%s\n' "#!$out/bin/bash" \
        "GCC_EXEC_PREFIX=/usr/lib/gcc/ exec $out/libexec/$c \"\$@\"" \
        >"$out/bin/$c"
      chmod 0555 "$out/bin/$c"
    done
  '';

  binPath = pkgs: builtins.concatStringsSep ":" (map (p: "${p}/bin") pkgs);

  # As nixpkgs' config.allowUnfree / allowUnfreePredicate: a package
  # whose meta.license is not free is refused when its derivation is
  # used (outPath, drvPath), with nixpkgs' advice; its meta stays
  # readable.
  allowUnfree = config.allowUnfree or false;
  allowUnfreePredicate = config.allowUnfreePredicate or (_: false);
  checkMeta = drv:
    let
      free = drv.meta.license.free or true;
      ok = free || allowUnfree || allowUnfreePredicate drv;
      refuse = throw ("Package ‘${drv.name}’ has an unfree license "
        + "(‘${drv.meta.license.shortName or "unfree"}’), refusing to evaluate.");
      platforms = drv.meta.platforms or null;
      onPlatform = platforms == null || builtins.elem system platforms;
      unavailable = throw ("Package ‘${drv.name}’ is not available on the "
        + "requested hostPlatform: ${system}");
      check = x: if !ok then refuse else if !onPlatform then unavailable else x;
    in drv // {
      outPath = check drv.outPath;
      drvPath = check drv.drvPath;
    };

  # As nixpkgs' runCommand (stdenv.mkDerivation with a buildCommand):
  # bash from the store runs the script, PATH is stdenv's tools and the
  # nativeBuildInputs' bin directories.
  runCommand = name: env: script:
    let nativeBuildInputs = env.nativeBuildInputs or [ ];
    in checkMeta ((derivation ((removeAttrs env [ "meta" "nativeBuildInputs" ]) // {
      inherit name system;
      builder = "${stdenvTools}/bin/bash";
      args = [ "-ec" script ];
      PATH = binPath ([ stdenvTools ] ++ nativeBuildInputs);
    }) // { meta = env.meta or { }; }));

  # The generic builder cut down to a Makefile project: unpack, patch
  # (postPatch), build (make), check (make $checkTarget), install, with
  # makeFlags.  As nixpkgs: nativeBuildInputs on PATH, and
  # nativeCheckInputs too when doCheck; buildInputs on PATH too unless
  # strictDeps (where they are libraries of the host platform, never
  # run).  The libraries themselves are the host's (pkg-config finds
  # them in the library directories nix.t binds in).
  mkDerivation =
    { pname, version, src, makeFlags ? [ ], doCheck ? false
    , checkTarget ? "check", nativeBuildInputs ? [ ], buildInputs ? [ ]
    , nativeCheckInputs ? [ ], strictDeps ? false, postPatch ? ""
    , meta ? { }, ... }:
    runCommand "${pname}-${version}" {
      inherit src meta strictDeps;
      nativeBuildInputs = nativeBuildInputs
        ++ (if doCheck then nativeCheckInputs else [ ])
        ++ (if strictDeps then [ ] else buildInputs);
    } ''
      cp -r "$src" source
      chmod -R u+w source
      cd source
      ${postPatch}
      make ${toString makeFlags}
      ${if doCheck then "make ${checkTarget} ${toString makeFlags}" else ""}
      make install ${toString makeFlags}
    '';

  # As nixpkgs' writeShellApplication (24.05 and later): strict mode
  # unless bashOptions says otherwise, runtimeInputs first on PATH, then
  # stdenv.shellDryRun and shellcheck on the result.
  writeShellApplication =
    { name, text, runtimeInputs ? [ ]
    , bashOptions ? [ "errexit" "nounset" "pipefail" ] }:
    runCommand name {
      inherit text bashOptions;
      passAsFile = [ "text" ];
      binPath = binPath runtimeInputs;
    } ''
      mkdir -p "$out/bin"
      f=$out/bin/${name}
      {
        echo '#!${runtimeShell}'
        for o in $bashOptions; do echo "set -o $o"; done
        echo
        if [ -n "$binPath" ]; then
          echo "export PATH=\"$binPath:\$PATH\""
          echo
        fi
        cat "$textPath"
      } >"$f"
      chmod 0555 "$f"
      ${shellDryRun} "$f"
      ${shellcheck}/bin/shellcheck "$f"
    '';

  runtimeShell = "${bash}/bin/bash";
  # As nixpkgs' stdenv.shellDryRun.
  shellDryRun = "${stdenvTools}/bin/bash -n -O extglob";

  # bin/ only: enough for a jail's PATH.
  symlinkJoin = { name, paths }: runCommand name { inherit paths; } ''
    mkdir -p "$out/bin"
    for p in $paths; do
      for f in "$p"/bin/*; do
        if [ -e "$f" ] || [ -L "$f" ]; then ln -sf "$f" "$out/bin/"; fi
      done
    done
  '';

  # As nixpkgs' closureInfo: $out/store-paths lists the closure of
  # rootPaths, one store path a line, sorted (from Nix's
  # exportReferencesGraph).  No registration file: nothing here loads
  # a store database.
  closureInfo = { rootPaths }: runCommand "closure-info" {
    exportReferencesGraph = builtins.concatLists
      (builtins.genList (i: [ "graph${toString i}" (builtins.elemAt rootPaths i) ])
        (builtins.length rootPaths));
  } ''
    mkdir -p "$out"
    cat graph* | grep '^/nix/store/' | grep -v '\.drv$' | sort -u \
      >"$out/store-paths"
  '';

  shellcheck = prebuilt "shellcheck" [ "shellcheck" ];
  bash = prebuilt "bash" [ "bash" "sh" ];

  # A package marked unfree, as nixpkgs marks claude-code (unfree) and
  # crush (FSL-1.1-MIT, not free): a script that runs its arguments.
  agent = pname: prog: license: runCommand "standin-${pname}" {
    inherit pname;
    meta = { inherit license; mainProgram = prog; };
  } ''
    mkdir -p "$out/bin"
    printf '%s\n' '#!${runtimeShell}' \
      '# offline stand-in for ${pname}: runs its arguments' \
      'while [ "''${1#-}" != "$1" ]; do shift; done' \
      'exec "$@"' >"$out/bin/${prog}"
    chmod 0555 "$out/bin/${prog}"
  '';
  unfree = { free = false; shortName = "unfree"; };
  fsl = { free = false; shortName = "fsl11Mit"; };
  free = { free = true; shortName = "asl20"; };

  base = {
    inherit system config runCommand symlinkJoin writeShellApplication
      closureInfo runtimeShell;
    # Only what the flake and nix/package.nix use of nixpkgs' lib.
    lib = {
      licenses.isc = { spdxId = "ISC"; fullName = "ISC License"; free = true; };
      platforms.linux = [ "x86_64-linux" "aarch64-linux" "i686-linux"
        "armv7l-linux" "riscv64-linux" "powerpc64le-linux" ];
      getName = x: x.pname or (builtins.parseDrvName x.name).name;
    };
    stdenv = { inherit mkDerivation shellDryRun; };
    callPackage = fn: extra:
      let f = import fn;
      in f (builtins.intersectAttrs (builtins.functionArgs f) pkgs // extra);
    mkShell = { inputsFrom ? [ ], packages ? [ ] }:
      runCommand "standin-shell" { inherit packages; } "touch $out";

    # Build and check inputs of nix/package.nix.  The libraries are
    # found by pkg-config in the host's directories: empty here.
    pkg-config = prebuilt "pkg-config" [ "pkg-config" ];
    libyaml = prebuilt "libyaml" [ ];
    pcre2 = prebuilt "pcre2" [ ];
    libseccomp = prebuilt "libseccomp" [ ];
    perl = prebuilt "perl" [ "perl" "prove" ];
    mandoc = prebuilt "mandoc" [ "mandoc" ];
    inherit shellcheck bash;
    shellcheck-minimal = shellcheck;
    python3 = prebuilt "python3" [ "python3" ];
    bubblewrap = prebuilt "bubblewrap" [ "bwrap" ];
    # what mkJail's dbusProxy pins for gui.dbus
    xdg-dbus-proxy = prebuilt "xdg-dbus-proxy" [ "xdg-dbus-proxy" ];
    nixfmt = prebuilt "nixfmt" [ "nixfmt" ];
    # The development shell's (evaluated, not built, by nix.t).
    nodejs = prebuilt "nodejs" [ "node" ];
    clang = prebuilt "clang" [ "clang" ];
    clang-tools = prebuilt "clang-tools" [ "clang-format" ];
    valgrind = prebuilt "valgrind" [ "valgrind" ];
    hyperfine = prebuilt "hyperfine" [ "hyperfine" ];
    zsh = prebuilt "zsh" [ "zsh" ];
    fish = prebuilt "fish" [ "fish" ];

    # What the shipped agent profiles list.
    git = prebuilt "git" [ "git" ];
    coreutils = prebuilt "coreutils" coreutilsProgs;
    gnugrep = prebuilt "gnugrep" [ "grep" "egrep" "fgrep" ];
    gnused = prebuilt "gnused" [ "sed" ];
    gawk = prebuilt "gawk" [ "awk" "gawk" ];
    findutils = prebuilt "findutils" [ "find" "xargs" ];
    diffutils = prebuilt "diffutils" [ "diff" "cmp" "diff3" "sdiff" ];
    gnutar = prebuilt "gnutar" [ "tar" ];
    gzip = prebuilt "gzip" [ "gzip" "gunzip" "zcat" ];
    unzip = prebuilt "unzip" [ "unzip" ];
    procps = prebuilt "procps" [ "ps" "pgrep" "pkill" "free" "top" ];
    nodejs_24 = prebuilt "nodejs" [ "node" ];
    ripgrep = prebuilt "ripgrep" [ "rg" ];
    fd = prebuilt "fd" [ "fd" "fdfind" ];
    jq = prebuilt "jq" [ "jq" ];
    curl = prebuilt "curl" [ "curl" ];
    claude-code = agent "claude-code" "claude" unfree;
    crush = agent "crush" "crush" fsl;
    opencode = agent "opencode" "opencode" free;
    gemini-cli = agent "gemini-cli" "gemini" free;
    codex = agent "codex" "codex" free;
  };

  pkgs = builtins.foldl' (prev: overlay: prev // overlay pkgs prev) base overlays;
in
pkgs // {
  # For nix.t: every prebuilt package, built before the sandboxed builds.
  standinPrebuilt = builtins.filter (v: v ? drvPath && v ? __noChroot)
    (builtins.attrValues pkgs) ++ [ stdenvTools ];
}
