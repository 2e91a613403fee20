#!/bin/sh
# pip-guard launcher @VERSION@: written by `pip-guard setup`, removed by `pip-guard teardown`.
# It runs the pip-guard that set it up where it is (the bundle with the Node that ran it, or the
# binary of npm's platform package), so that the PATH line that puts the shims first puts
# `pip-guard` on PATH too.
exec @RUN@ "$@"
