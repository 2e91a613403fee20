#!/bin/sh
# The README's first Quick start command: install what pip-guard and its tests need, build the
# single executable dist/pip-guard (compiled by a pinned Bun that npm fetches, so any Node with
# npm runs this, Debian 12's Node 18 included), and write the shims with it (`pip-guard setup`).
# Safe to run again.
set -eu
cd "$(dirname "$0")/.."

# Debian packages: the real pip and venv module that pip-guard stands in front of, and pipx;
# zsh and fish, which the tests of `pip-guard init` and `setup --modify-path` run for real;
# qemu-user-static and the arm64 C library, with which the tests run the linux-arm64 release;
# curl and wget, each of which the tests run the users' installer (scripts/get.sh) with, strace
# to see which programs it starts, and shellcheck, which checks the installer.
missing=
command -v /usr/bin/pip >/dev/null 2>&1 || missing="$missing python3-pip"
/usr/bin/python3 -c 'import ensurepip, venv' >/dev/null 2>&1 || missing="$missing python3-venv"
command -v pipx >/dev/null 2>&1 || missing="$missing pipx"
command -v /usr/bin/zsh >/dev/null 2>&1 || missing="$missing zsh"
command -v /usr/bin/fish >/dev/null 2>&1 || missing="$missing fish"
command -v /usr/bin/qemu-aarch64-static >/dev/null 2>&1 || missing="$missing qemu-user-static"
[ -e /usr/aarch64-linux-gnu/lib/ld-linux-aarch64.so.1 ] || missing="$missing libc6-arm64-cross"
command -v /usr/bin/curl >/dev/null 2>&1 || missing="$missing curl"
command -v /usr/bin/wget >/dev/null 2>&1 || missing="$missing wget"
command -v /usr/bin/strace >/dev/null 2>&1 || missing="$missing strace"
command -v /usr/bin/shellcheck >/dev/null 2>&1 || missing="$missing shellcheck"
if [ -n "$missing" ]; then
  if [ "$(id -u)" = 0 ]; then sudo=; else sudo=sudo; fi
  echo "install.sh: installing$missing with apt-get"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq $missing
fi

npm ci --no-audit --no-fund
npm run build:binary
dist/pip-guard setup
