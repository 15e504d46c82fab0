#!/bin/sh
# unit.t - the C unit tests (tests/tools/unit.c) print TAP themselves.
. tests/lib.sh
exec "$TOOLS/unit"
