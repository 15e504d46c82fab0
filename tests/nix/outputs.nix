# tests/nix/outputs.nix - the flake's outputs with the offline stand-in
# (tests/nix/standin) in place of nixpkgs, for tests/nix.t.
let
  flake = import ../../flake.nix;
  self = flake.outputs { inherit self; nixpkgs = { outPath = ./standin; }; };
  system = builtins.currentSystem;
  standin = args: import ./standin ({ inherit system; } // args);
  # A user's nixpkgs as it comes (unfree refused), and one that allows
  # unfree packages the two ways nixpkgs' config can.
  free = standin { };
  unfree = standin { config.allowUnfree = true; };
  onlyClaude = standin {
    config.allowUnfreePredicate = p: (p.pname or null) == "claude-code";
  };
  lib = self.lib.init unfree;
in
self // {
  standin.prebuilt = free.standinPrebuilt;
  userPkgs = { inherit free unfree onlyClaude; };
  # jailc.lib.init with each of those.
  users = {
    free = self.lib.init free;
    unfree = lib;
    onlyClaude = self.lib.init onlyClaude;
  };
  test = {
    shell = self.packages.${system}.claude-jail;
    exe = lib.mkJail { profile = ../../profiles/claude.jail; backend = "exe"; };
    yaml = lib.mkJail { profile = ../twins/claude.yaml; name = "claude-yaml-jail"; };
    broken = lib.mkJail { profile = ../../examples/broken.jail; };
    gui = lib.mkJail {
      profile = ../golden/uses-gui.jail;
      packages = [ ];
      dbusProxy = unfree.xdg-dbus-proxy;
    };
    closure-shell = lib.presets.claude { name = "claude-closure"; closure = true; };
    closure-exe = lib.presets.claude {
      name = "claude-closure-exe";
      closure = true;
      backend = "exe";
    };
  };
}
