# nix/lib.nix - jail launchers built from profiles, with YOUR nixpkgs.
#
#   lib = jailc.lib.init pkgs;    # the flake's lib.init, or the overlay's jailcLib
#   lib.mkJail { profile, name ? "<profile>-jail", backend ? "shell",
#                extraPackages ? [ ], packages ? null, closure ? false,
#                dbusProxy ? null }
#   lib.presets.claude { package ? pkgs.claude-code, ... }   # and codex,
#                        crush, gemini-cli, opencode: mkJail's arguments
#
# Everything comes from the pkgs given: its config (allowUnfree: nixpkgs
# marks claude-code unfree and crush FSL), its overlays, its system.
#
# The launcher is compiled by jailc in a build step, with bwrap, git and
# jailrun (which the shell launcher hands its plan to) pinned by store
# path, never found through the caller's PATH, and the jail's PATH set
# to the packages' bin directories.  A profile with errors fails the
# build: no launcher.
#
# Import from derivation (IFD) happens in one case only: mkJail without
# `packages`, where the package list is the profile's, merged through
# extends and remove by jailc itself (-t packages) and read back.  The
# presets know their lists from presets.json (tools/nix-presets.sh,
# checked by tests/nix.t), so they need none.
{ pkgs, jailc ? pkgs.callPackage ./package.nix { } }:

let
  # "python3Packages.black" -> pkgs.python3Packages.black.
  attrPath = profile: name:
    builtins.foldl' (set: part:
      if builtins.isAttrs set && builtins.hasAttr part set
      then builtins.getAttr part set
      else throw "jailc: ${toString profile}: package '${name}' is not in this nixpkgs")
      pkgs (builtins.filter builtins.isString (builtins.split "\\." name));

  # claude.jail -> claude-jail; claude.yaml -> claude-jail.
  defaultName = profile:
    let m = builtins.match "(.*)\\.(jail|toml|yaml|yml)" (baseNameOf (toString profile));
    in (if m == null then baseNameOf (toString profile) else builtins.head m) + "-jail";

  bwrap = "${pkgs.bubblewrap}/bin/bwrap";
  # git reads the host identity and core.hooksPath for jailrun when the
  # profile asks for them.
  git = "${pkgs.git}/bin/git";
  # What nixpkgs' writeShellApplication checks its scripts with.
  shellcheck = pkgs.shellcheck-minimal or pkgs.shellcheck;

  mkJail =
    { profile
    , name ? defaultName profile
    , backend ? "shell"
    , extraPackages ? [ ]
    , packages ? null
    , closure ? false
      # gui.dbus: the xdg-dbus-proxy to pin (pkgs.xdg-dbus-proxy), or
      # null: the launcher looks in the system directories
    , dbusProxy ? null
    }:
    let
      # The profile's merged packages.include, as jailc sees it: read
      # back at evaluation (import from derivation).
      packagesJson = pkgs.runCommand "${name}-packages.json" { } ''
        ${jailc}/bin/jailc compile -t packages -o "$out" ${profile}
      '';
      profilePackages =
        if packages != null then packages
        else map (attrPath profile)
          (builtins.fromJSON (builtins.readFile packagesJson));

      path = pkgs.symlinkJoin {
        name = "${name}-path";
        paths = profilePackages ++ extraPackages;
      };

      # closure = true: the jail sees the store paths its PATH needs (the
      # packages and everything they reference), one read-only bind
      # each, in place of all of /nix/store.  A profile written in the
      # build extends the given one, drops its /nix/store mount and
      # adds those, so nothing is read back at evaluation.
      # bwrap, git and jailrun run on the host side only.
      storePaths = pkgs.closureInfo { rootPaths = [ path ]; };
      source = if closure then "closure.jail" else "${profile}";
      closureProfile = if closure then ''
        {
          printf 'version = 1\nname = "%s"\nextends = ["%s"]\n' \
            '${name}' '${profile}'
          printf '\n[remove]\nmount = ["/nix/store"]\n'
          while IFS= read -r p; do
            printf '\n[[mount]]\nro = "%s"\n' "$p"
          done <${storePaths}/store-paths
        } >closure.jail
      '' else "";

      compile = target: out: ''
        ${closureProfile}
        ${jailc}/bin/jailc compile -t ${target} -D BWRAP=${bwrap} \
          -D GIT=${git} -D JAILRUN=${jailc}/libexec/jailc/jailrun \
          ${if dbusProxy == null then ""
            else "-D DBUS_PROXY=${dbusProxy}/bin/xdg-dbus-proxy"} \
          -D PATH=${path}/bin -o ${out} ${source}
      '';

      # What writeShellApplication would make of the body, built here
      # so that nothing is read back at evaluation: bash from nixpkgs
      # runs it, and it is checked as writeShellApplication checks
      # (stdenv.shellDryRun, then shellcheck).  No set -o line above
      # the body: it would run before the body puts bash in POSIX mode,
      # so a function named set exported in the caller's environment
      # would run in its place.
      shell = pkgs.runCommand name { meta.mainProgram = name; } ''
        ${compile "shell" "body"}
        mkdir -p "$out/bin"
        f=$out/bin/${name}
        { printf '#!%s\n\n' ${pkgs.runtimeShell}; cat body; } >"$f"
        chmod 0555 "$f"
        ${pkgs.stdenv.shellDryRun} "$f"
        ${shellcheck}/bin/shellcheck "$f"
      '';

      exe = pkgs.runCommand name { meta.mainProgram = name; } ''
        mkdir -p "$out/bin"
        ${compile "exe" "\"$out/bin/${name}\""}
      '';
    in
    if backend == "shell" then shell
    else if backend == "exe" then exe
    else throw "jailc: mkJail: backend must be \"shell\" or \"exe\", not \"${backend}\"";

  # The shipped agent profiles, each with the nixpkgs attribute of its
  # agent: `package` replaces that one (another version, an overlay's
  # build); the rest of the list is the profile's.
  presetLists = builtins.fromJSON (builtins.readFile ./presets.json);
  preset = p: agent:
    { package ? builtins.getAttr agent pkgs, ... }@args:
    mkJail ((removeAttrs args [ "package" ]) // {
      profile = ../profiles + "/${p}.jail";
      name = args.name or "${p}-jail";
      packages = args.packages or (map
        (n: if n == agent then package else attrPath "profiles/${p}.jail" n)
        (builtins.getAttr p presetLists));
    });
in
{
  inherit jailc mkJail;
  presets = {
    claude = preset "claude" "claude-code";
    codex = preset "codex" "codex";
    crush = preset "crush" "crush";
    gemini-cli = preset "gemini-cli" "gemini-cli";
    opencode = preset "opencode" "opencode";
  };
}
