#!/bin/sh
# pip-guard launcher @VERSION@: written by `pip-guard setup`, removed by `pip-guard teardown`.
# It runs pip-guard's bundle with the Node that set it up, so that the PATH line that puts the
# shims first puts `pip-guard` on PATH too.
exec @RUN@ "$@"
