#!/bin/sh
# pip-guard's command in its npm package (bin/pip-guard): npm links PREFIX/bin/pip-guard to it.
# It execs the binary of the platform package npm installed beside it (@pip-guard/PLATFORM, an
# optional dependency npm installs only on its own os and cpu), so that no Node runs and none
# waits behind it; sh, not JavaScript, so that this costs one sh start, not one of Node, and
# needs no install script (npm --ignore-scripts, pnpm and bun skip those). Without such a
# package (npm's --omit=optional, a platform with no binary), it runs the bundle on Node.
set -e
self=$0
case $self in */*) ;; *) self=./$self ;; esac
# PREFIX/bin/pip-guard is a symlink (npm's bin link) to this file in the package.
while [ -h "$self" ]; do
  link=$(readlink "$self")
  case $link in
    /*) self=$link ;;
    *) self=${self%/*}/$link ;;
  esac
done
package=${self%/*}/..
# npm nests the platform package in pip-guard's node_modules (npm install -g), or puts it beside
# pip-guard (a project's node_modules, pnpm's store, `npm install -g` of both tarballs).
for platform in linux-x64 linux-arm64 darwin-arm64 darwin-x64; do
  for binary in "$package/node_modules/@pip-guard/$platform/pip-guard" "$package/../@pip-guard/$platform/pip-guard"; do
    if [ -f "$binary" ] && [ -x "$binary" ]; then exec "$binary" "$@"; fi
  done
done
echo 'pip-guard: no @pip-guard/ package with the binary for this platform is installed (npm install --omit=optional, or no binary for this os and cpu), so pip-guard runs on Node, which starts slower' >&2
exec node "$package/dist/pip-guard.cjs" "$@"
