# nix/lib.nix - jail launchers built from profiles, at Nix build time.
#
#   mkJail { profile, name ? "<profile>-jail", backend ? "shell",
#            extraPackages ? [ ], packages ? null }
#
# jailc reads the profile in a build step and Nix reads its answer back
# (import from derivation): the package list comes from jailc itself,
# with extends and remove applied and YAML read like TOML, so no second
# reader of the profile format lives here.  The launcher is compiled by
# jailc too, with bwrap, git and jailrun (which the shell launcher hands
# its plan to) pinned by store path, never found through the caller's
# PATH, and the jail's PATH set to the packages' bin directories.  A profile with errors fails the build: no launcher.
{ pkgs, jailc }:

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
in
{
  inherit jailc;

  mkJail =
    { profile
    , name ? defaultName profile
    , backend ? "shell"
    , extraPackages ? [ ]
    , packages ? null
    }:
    let
      # The profile's merged packages.include, as jailc sees it.
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

      compile = target: out: ''
        ${jailc}/bin/jailc compile -t ${target} -D BWRAP=${bwrap} \
          -D GIT=${git} -D JAILRUN=${jailc}/libexec/jailc/jailrun \
          -D PATH=${path}/bin -o ${out} ${profile}
      '';

      body = pkgs.runCommand "${name}-body" { } (compile "shell" "$out");

      # No set -o lines above the body: they would run before it puts
      # bash in POSIX mode, so a function named set exported in the
      # caller's environment would run in their place.  nixpkgs before
      # 24.05 cannot leave them out: no shell launcher there.
      shell =
        if builtins.functionArgs pkgs.writeShellApplication ? bashOptions
        then pkgs.writeShellApplication {
          inherit name;
          bashOptions = [ ];
          text = builtins.readFile body;
        }
        else throw "jailc: mkJail: this nixpkgs's writeShellApplication has no bashOptions (nixpkgs 24.05 or later has); use backend = \"exe\"";

      exe = pkgs.runCommand name { } ''
        mkdir -p "$out/bin"
        ${compile "exe" "\"$out/bin/${name}\""}
      '';
    in
    if backend == "shell" then shell
    else if backend == "exe" then exe
    else throw "jailc: mkJail: backend must be \"shell\" or \"exe\", not \"${backend}\"";
}
