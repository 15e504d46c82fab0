{
  description = "jailc: declarative bubblewrap jails for coding agents";

  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-unstable";

  outputs =
    { self, nixpkgs }:
    let
      systems = [
        "x86_64-linux"
        "aarch64-linux"
      ];
      eachSystem =
        f:
        builtins.listToAttrs (
          map (system: {
            name = system;
            value = f system;
          }) systems
        );
      withJailc = [ self.overlays.default ];

      # jailc's own nixpkgs, as a user's is by default: free packages
      # only.  checks use it.
      pkgsFor =
        system:
        import nixpkgs {
          inherit system;
          overlays = withJailc;
        };
      # For this flake's own <agent>-jail packages and apps: nixpkgs
      # marks claude-code unfree and crush FSL (not free); asking for
      # claude-jail by name accepts that agent's licence, and no other
      # package's.  lib.init with your pkgs keeps your own policy.
      agents = [
        "claude-code"
        "crush"
      ];
      agentPkgsFor =
        system:
        import nixpkgs {
          inherit system;
          overlays = withJailc;
          config.allowUnfreePredicate = p: builtins.elem (p.pname or null) agents;
        };

      presets = [
        "claude"
        "codex"
        "crush"
        "gemini-cli"
        "opencode"
      ];
      # Those whose agent nixpkgs counts as free.
      freePresets = [
        "codex"
        "gemini-cli"
        "opencode"
      ];
      jails =
        jl: names:
        builtins.listToAttrs (
          map (p: {
            name = "${p}-jail";
            value = jl.presets.${p} { };
          }) names
        );
    in
    {
      # jailc.lib.init pkgs: mkJail and the presets with your nixpkgs
      # (its config, overlays and system), as jail.nix's lib.init.
      lib.init = pkgs: import ./nix/lib.nix { inherit pkgs; };

      overlays.default = final: prev: {
        jailc = final.callPackage ./nix/package.nix { };
        jailcLib = import ./nix/lib.nix {
          pkgs = final;
          jailc = final.jailc;
        };
      };

      packages = eachSystem (
        system:
        let
          pkgs = pkgsFor system;
        in
        {
          default = pkgs.jailc;
          jailc = pkgs.jailc;
        }
        // jails (agentPkgsFor system).jailcLib presets
      );

      apps = eachSystem (
        system:
        builtins.mapAttrs (name: drv: {
          type = "app";
          program = "${drv}/bin/${name}";
        }) (jails (agentPkgsFor system).jailcLib presets)
      );

      devShells = eachSystem (
        system:
        let
          pkgs = pkgsFor system;
        in
        {
          default = pkgs.mkShell {
            inputsFrom = [ pkgs.jailc ];
            packages = with pkgs; [
              bubblewrap
              shellcheck
              mandoc
              git
              python3
              perl
              nodejs
              clang
              clang-tools
              valgrind
              hyperfine
              zsh
              fish
              nixfmt
            ];
          };
        }
      );

      # Buildable without any unfree package.
      checks = eachSystem (
        system:
        let
          pkgs = pkgsFor system;
        in
        {
          jailc = pkgs.jailc;
          profiles = pkgs.runCommand "jailc-check-profiles" { } ''
            ${pkgs.jailc}/bin/jailc check --strict ${./profiles}/*.jail
            touch "$out"
          '';
          closure-jail = pkgs.jailcLib.presets.codex {
            name = "codex-closure-jail";
            closure = true;
          };
        }
        // jails pkgs.jailcLib freePresets
      );

      formatter = eachSystem (system: (pkgsFor system).nixfmt);
    };
}
