#!/bin/sh
# launch-jailrun.t - the cases of launch.t, in real bwrap sandboxes, with
# single-file jailrun launchers instead of bash ones.
LAUNCH_BACKEND=jailrun exec sh tests/launch.t
