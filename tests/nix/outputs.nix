# tests/nix/outputs.nix - the flake's outputs with the offline stand-in
# (tests/nix/standin) in place of nixpkgs, for tests/nix.t.
let
  flake = import ../../flake.nix;
  self = flake.outputs { inherit self; nixpkgs = { outPath = ./standin; }; };
  system = builtins.currentSystem;
  mkJail = self.lib.${system}.mkJail;
in
self // {
  standin.prebuilt = (import ./standin { }).standinPrebuilt;
  test = {
    shell = self.packages.${system}.claude-jail;
    exe = mkJail { profile = ../../profiles/claude.jail; backend = "exe"; };
    yaml = mkJail { profile = ../twins/claude.yaml; name = "claude-yaml-jail"; };
    broken = mkJail { profile = ../../examples/broken.jail; };
  };
}
