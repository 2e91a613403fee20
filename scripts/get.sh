#!/bin/sh
# pip-guard's installer, served beside the releases as install.sh (npm run release copies it):
#
#   curl -fsSL https://github.com/pip-guard/pip-guard/releases/latest/download/install.sh | sh
#   wget -qO- https://github.com/pip-guard/pip-guard/releases/latest/download/install.sh | sh
#
# It downloads pip-guard-VERSION-PLATFORM.tar.gz for this machine and the release's SHA256SUMS,
# checks the one against the other with sha256sum or shasum (no checksum, no tool to check it
# with, or a mismatch: it installs nothing), and runs the binary's `pip-guard setup`, which copies
# it beside the pip shims it writes (~/.local/share/pip-guard/bin). Running it again upgrades.
# Arguments go to setup: `| sh -s -- --modify-path --activate`; `| sudo sh -s -- --system` for
# every user (/usr/local/bin). The environment:
#   PIP_GUARD_VERSION       the version to install (default: the latest, named by LATEST)
#   PIP_GUARD_DOWNLOAD_URL  where the release's files are (default: GitHub's releases)
#   PIP_GUARD_INSTALL_DIR   the directory for pip-guard and its shims (setup --dir)
# (This is the users' installer; scripts/install.sh sets up a checkout for development.)
set -eu

RELEASES=https://github.com/pip-guard/pip-guard/releases
ME='pip-guard installer'

say() {
  printf '%s: %s\n' "$ME" "$*" >&2
}

# One line that says what stopped it; nothing is installed before setup runs.
fail() {
  say "$*; nothing was installed"
  exit 1
}

usage() {
  cat <<EOF
Usage: curl -fsSL $RELEASES/latest/download/install.sh | sh [-s -- SETUP-OPTIONS]

Installs pip-guard for this machine's OS and CPU after checking it against the release's
SHA256SUMS, then runs \`pip-guard setup SETUP-OPTIONS\` (--modify-path, --python-m-pip,
--activate; --system, as root, for every user). Running it again upgrades.

Environment:
  PIP_GUARD_VERSION       the version to install (default: the latest)
  PIP_GUARD_DOWNLOAD_URL  where the release's files are (default: $RELEASES)
  PIP_GUARD_INSTALL_DIR   the directory for pip-guard and its shims
                          (default: \${XDG_DATA_HOME:-~/.local/share}/pip-guard/bin; --system: /usr/local/bin)
EOF
}

# This machine as a release names it: linux-x64, linux-arm64, darwin-arm64 or darwin-x64.
detect_platform() {
  kernel=$(uname -s)
  machine=$(uname -m)
  case $kernel in
    Linux) os=linux ;;
    Darwin) os=darwin ;;
    *) os= ;;
  esac
  case $machine in
    x86_64 | amd64) cpu=x64 ;;
    aarch64 | arm64) cpu=arm64 ;;
    *) cpu= ;;
  esac
  if [ -z "$os" ] || [ -z "$cpu" ]; then
    fail "pip-guard has no build for this machine ($kernel $machine): there is one for Linux and macOS, each on x86_64 and arm64"
  fi
  # An x86_64 shell on Apple silicon runs under Rosetta 2: the arm64 build runs natively there.
  if [ "$os-$cpu" = darwin-x64 ] && [ "$(sysctl -n sysctl.proc_translated 2>/dev/null || :)" = 1 ]; then
    cpu=arm64
  fi
  platform=$os-$cpu
}

# The tool that checks a file's SHA-256: coreutils' sha256sum, or Perl's shasum (macOS).
find_sha256() {
  if command -v sha256sum >/dev/null 2>&1; then
    sha256=sha256sum
  elif command -v shasum >/dev/null 2>&1; then
    sha256='shasum -a 256'
  else
    fail 'neither sha256sum nor shasum is installed, so the download could not be checked: install coreutils (or perl for shasum) and run the installer again'
  fi
}

find_downloader() {
  if command -v curl >/dev/null 2>&1; then
    downloader=curl
  elif command -v wget >/dev/null 2>&1; then
    downloader=wget
  else
    fail 'neither curl nor wget is installed: install one of them and run the installer again'
  fi
}

# download URL FILE WHAT: FILE from URL, or one line that says which file could not be had, and why.
download() {
  status=0
  if [ "$downloader" = curl ]; then
    curl -fsSL --retry 2 -o "$2" "$1" 2>"$tmp/download-error" || status=$?
  else
    wget -nv -O "$2" "$1" 2>"$tmp/download-error" || status=$?
  fi
  if [ "$status" != 0 ]; then
    # The tool's last word on it, without wget's time stamp: "curl: (22) … error: 404".
    why=$(grep -v '^[[:space:]]*$' "$tmp/download-error" | tail -n 1 | sed 's/^[0-9-]* [0-9:]* //')
    case $why in
      "$downloader:"*) ;;
      *) why="$downloader: ${why:-exit status $status}" ;;
    esac
    fail "could not download $3 from $1 ($why)"
  fi
}

check_version() {
  case $1 in
    [0-9]*.*) ;;
    *) fail "$2 is \"$1\", which is not a version (such as 0.1.0)" ;;
  esac
  case $1 in
    *[!0-9A-Za-z.+-]*) fail "$2 is \"$1\", which is not a version (such as 0.1.0)" ;;
  esac
}

# The sum that SHA256SUMS lists for NAME, if any (`sha256sum -c` format: "SUM  NAME" or "SUM *NAME").
listed_sum() {
  awk -v name="$2" '$2 == name || $2 == ("*" name) { print tolower($1); exit }' "$1"
}

main() {
  system=
  for arg in "$@"; do
    case $arg in
      -h | --help)
        usage
        exit 0
        ;;
      --system) system=1 ;;
      --dir | --dir=*) fail 'choose the directory with PIP_GUARD_INSTALL_DIR, not --dir' ;;
    esac
  done
  detect_platform
  if [ -n "$system" ] && [ "$(id -u)" != 0 ]; then
    fail "--system installs pip-guard for every user into /usr/local/bin, which needs root: run the installer with sudo (| sudo sh -s -- --system)"
  fi
  case ${PIP_GUARD_DOWNLOAD_URL-} in
    '' | http://* | https://*) ;;
    *) fail "PIP_GUARD_DOWNLOAD_URL is \"$PIP_GUARD_DOWNLOAD_URL\", not an https:// (or http://) URL" ;;
  esac
  find_sha256
  find_downloader
  tmp=$(mktemp -d "${TMPDIR:-/tmp}/pip-guard-install.XXXXXX" 2>/dev/null) ||
    fail "could not make a directory in ${TMPDIR:-/tmp} to download into: set TMPDIR to a directory you may write"
  trap 'rm -rf "$tmp"' EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM

  base=${PIP_GUARD_DOWNLOAD_URL:+${PIP_GUARD_DOWNLOAD_URL%/}}
  if [ -n "${PIP_GUARD_VERSION-}" ]; then
    version=${PIP_GUARD_VERSION#v}
    check_version "$version" PIP_GUARD_VERSION
  else
    latest=${base:-$RELEASES/latest/download}/LATEST
    download "$latest" "$tmp/LATEST" 'the name of the latest version'
    version=$(head -n 1 "$tmp/LATEST" | tr -d ' \r')
    check_version "$version" "$latest"
  fi
  files=${base:-$RELEASES/download/v$version}
  name=pip-guard-$version-$platform
  download "$files/SHA256SUMS" "$tmp/SHA256SUMS" 'the checksums (SHA256SUMS)'
  download "$files/$name.tar.gz" "$tmp/$name.tar.gz" "$name.tar.gz"
  expected=$(listed_sum "$tmp/SHA256SUMS" "$name.tar.gz")
  case $expected in
    '') fail "$files/SHA256SUMS lists no checksum for $name.tar.gz, so it could not be checked" ;;
    *[!0-9a-f]*) fail "$files/SHA256SUMS lists \"$expected\" for $name.tar.gz, which is not a SHA-256" ;;
  esac
  actual=$($sha256 "$tmp/$name.tar.gz" | awk '{ print tolower($1) }')
  if [ "$actual" != "$expected" ]; then
    fail "$name.tar.gz does not match its checksum in SHA256SUMS (its SHA-256 is $actual, SHA256SUMS says $expected): the download is damaged or was tampered with"
  fi
  tar -xzf "$tmp/$name.tar.gz" -C "$tmp" "$name/pip-guard" 2>"$tmp/tar-error" ||
    fail "could not unpack $name.tar.gz ($(tail -n 1 "$tmp/tar-error"))"
  binary=$tmp/$name/pip-guard
  answer=$("$binary" --version 2>"$tmp/run-error" </dev/null) ||
    fail "the downloaded pip-guard does not run on this machine ($(tail -n 1 "$tmp/run-error"); if ${TMPDIR:-/tmp} is mounted noexec, set TMPDIR to another directory)"
  if [ "$answer" != "$version" ]; then
    fail "the downloaded pip-guard answers --version with \"$answer\", not $version"
  fi
  say "pip-guard $version for $platform, checked against SHA256SUMS ($sha256); setting it up"

  # setup copies the binary beside the shims it writes: the download in $tmp can go.
  if [ -n "${PIP_GUARD_INSTALL_DIR-}" ]; then set -- --dir "$PIP_GUARD_INSTALL_DIR" "$@"; fi
  "$binary" setup "$@" </dev/null || {
    status=$?
    say "pip-guard setup stopped (exit $status): see its message above"
    exit "$status"
  }
}

main "$@"
