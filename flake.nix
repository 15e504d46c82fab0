{
  description = "jailc: declarative bubblewrap jails for coding agents";

  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-unstable";

  outputs = { self, nixpkgs }:
    let
      systems = [ "x86_64-linux" "aarch64-linux" ];
      eachSystem = f: builtins.listToAttrs (map (system: {
        name = system;
        value = f (import nixpkgs {
          inherit system;
          overlays = [ self.overlays.default ];
        });
      }) systems);

      # The shipped agent profiles, each as <name>-jail.
      presets = [ "claude" "opencode" "crush" "gemini-cli" "codex" ];
      jails = pkgs: builtins.listToAttrs (map (p: {
        name = "${p}-jail";
        value = pkgs.jailcLib.mkJail { profile = ./profiles + "/${p}.jail"; };
      }) presets);
    in
    {
      overlays.default = final: prev: {
        jailc = final.callPackage ./nix/package.nix { };
        jailcLib = import ./nix/lib.nix { pkgs = final; jailc = final.jailc; };
      };

      lib = eachSystem (pkgs: pkgs.jailcLib);

      packages = eachSystem (pkgs: {
        default = pkgs.jailc;
        jailc = pkgs.jailc;
      } // jails pkgs);

      apps = eachSystem (pkgs: builtins.mapAttrs (name: drv: {
        type = "app";
        program = "${drv}/bin/${name}";
      }) (jails pkgs));

      devShells = eachSystem (pkgs: {
        default = pkgs.mkShell {
          inputsFrom = [ pkgs.jailc ];
          packages = with pkgs; [ bubblewrap shellcheck mandoc git python3
            perl nodejs clang clang-tools valgrind hyperfine zsh fish ];
        };
      });

      checks = eachSystem (pkgs: {
        jailc = pkgs.jailc;
        profiles = pkgs.runCommand "jailc-check-profiles" { } ''
          ${pkgs.jailc}/bin/jailc check --strict ${./profiles}/*.jail
          touch "$out"
        '';
      } // jails pkgs);

      formatter = eachSystem (pkgs: pkgs.nixfmt);
    };
}
