# pip-guard's prompt hook @VERSION@ (pip-guard init bash|zsh --activate): at each prompt, the
# venv of the project you are in is active, as pip-guard finds both (src/project.ts), and none
# outside a project; a venv or conda environment that somebody else activated is left alone
# until it is deactivated. Shell built-ins only, no process at all: what the shell cannot
# decide by itself is left as it is.
# Your own config's venv.path, else .venv or venv/; the default venv outside any project, when
# your config's venv.activateDefault asks for it.
_pip_guard_venv_path=@VENV_PATH@
_pip_guard_default=@DEFAULT_VENV@

# Whether $1 names pip-guard at all (package.json, pyproject.toml); unreadable counts as yes.
_pip_guard_mentions() {
  [ -e "$1" ] || return 1
  [ -r "$1" ] || return 0
  local text
  IFS= read -r -d '' text <"$1"
  case $text in *pip-guard*) return 0 ;; esac
  return 1
}

# Whether directory $1 holds a pip-guard config file (config/candidates.ts's SEARCH_PLACES).
_pip_guard_config_file() {
  local name
  for name in .pip-guardrc .pip-guardrc.json .pip-guardrc.yaml .pip-guardrc.yml .pip-guardrc.toml \
    pip-guard.config.js pip-guard.config.cjs pip-guard.config.mjs; do
    [ -e "$1/$name" ] && return 0
  done
  _pip_guard_mentions "$1/package.json" || _pip_guard_mentions "$1/pyproject.toml"
}

# Whether directory $1 is a project root (project.ts's isProjectRoot); $2 is HOME.
_pip_guard_is_root() {
  [ -n "${ZSH_VERSION-}" ] && setopt local_options null_glob
  local file
  [ -e "$1/pyproject.toml" ] || [ -e "$1/setup.py" ] || [ -e "$1/setup.cfg" ] && return 0
  if [ "$1" != "$2" ]; then
    [ -e "$1/.git" ] && return 0
    _pip_guard_config_file "$1" && return 0
  fi
  [ -e "$1/.venv/pyvenv.cfg" ] || [ -e "$1/venv/pyvenv.cfg" ] && return 0
  for file in "$1"/requirements*.txt; do
    [ -e "$file" ] && return 0
  done
  return 1
}

# Sets _pip_guard_root to the project around PWD: the nearest root at or above it, never above
# HOME and never / (project.ts's findProjectRoot). A root found stays the answer for this PWD
# while it still is one (one test at most, at each prompt in the same directory).
_pip_guard_find_root() {
  local dir=$PWD home=${HOME%/} ceiling=
  if [ "$dir" = "${_pip_guard_root_of-}" ] && [ -n "$_pip_guard_root" ] &&
    _pip_guard_is_root "$_pip_guard_root" "$home"; then
    return
  fi
  _pip_guard_root_of=$dir
  _pip_guard_configured_of=
  case $dir/ in "$home"/*) ceiling=$home ;; esac
  _pip_guard_root=
  while [ -n "$dir" ] && [ "$dir" != / ]; do
    if _pip_guard_is_root "$dir" "$home"; then
      _pip_guard_root=$dir
      return
    fi
    [ "$dir" = "$ceiling" ] && return
    dir=${dir%/*}
  done
}

_pip_guard_is_venv() {
  [ -d "$1" ] && [ -f "$1/pyvenv.cfg" ] && [ -x "$1/bin/python" ]
}

# Whether project $1 has a config file, asked once until PWD changes (a config file made since
# is read by pip-guard, which then leaves its record).
_pip_guard_configured() {
  if [ "$1" != "${_pip_guard_configured_of-}" ]; then
    _pip_guard_configured_of=$1
    _pip_guard_has_config=
    _pip_guard_config_file "$1" && _pip_guard_has_config=1
  fi
  [ -n "$_pip_guard_has_config" ]
}

# Sets _pip_guard_target to the venv of project $1 if it is usable ('' otherwise); returns 2
# when only pip-guard could tell: a config file there may set venv.path, and pip-guard has not
# left its answer in its state directory (src/project-venvs.ts).
_pip_guard_venv_of() {
  local key state=${XDG_STATE_HOME-} record venv
  case $state in /*) ;; *) state=$HOME/.local/state ;; esac
  key=${1//"%"/%25}
  record=$state/pip-guard/projects/${key//\//%2F}
  _pip_guard_target=
  if [ -f "$record" ] && [ -O "$record" ]; then
    IFS= read -r venv <"$record"
  elif [ -n "${PIP_GUARD_CONFIG-}" ] || _pip_guard_configured "$1"; then
    return 2
  elif [ -n "$_pip_guard_venv_path" ]; then
    venv=$1/$_pip_guard_venv_path
  elif [ -e "$1/.venv" ] || [ -L "$1/.venv" ]; then
    venv=$1/.venv
  elif [ -e "$1/venv/pyvenv.cfg" ]; then
    venv=$1/venv
  fi
  [ -n "$venv" ] && _pip_guard_is_venv "$venv" && _pip_guard_target=$venv
  return 0
}

# What pip-guard's activation left behind in somebody else's activate (their saved PATH and
# PS1): cleared once theirs is gone, unless it is what is to be active now ($1).
_pip_guard_clear_stale() {
  [ -n "${_pip_guard_stale-}" ] || return 0
  if [ "$_pip_guard_stale" != "$1" ]; then
    _pip_guard_path_without "$_pip_guard_stale/bin"
    PS1=${PS1#"$_pip_guard_stale_prefix"}
  fi
  unset _pip_guard_stale _pip_guard_stale_prefix
}

# A venv or conda environment somebody else activated (their activate script saves
# _OLD_VIRTUAL_PATH): pip-guard's own activation steps back, and theirs stays.
_pip_guard_release() {
  _pip_guard_stale=$_PIP_GUARD_VENV
  _pip_guard_stale_prefix=${_pip_guard_prefix-}
  unset _pip_guard_deactivate _pip_guard_prefix
  _pip_guard_off
}

_pip_guard_sync() {
  local auto=${_PIP_GUARD_AUTO-} root
  if [ -n "${VIRTUAL_ENV-}" ] && { [ "$VIRTUAL_ENV" != "$auto" ] || [ -n "${_OLD_VIRTUAL_PATH-}" ]; } ||
    { [ -n "${CONDA_PREFIX-}" ] && [ -d "$CONDA_PREFIX/conda-meta" ]; }; then
    [ -n "$auto" ] && _pip_guard_release
    return
  fi
  _pip_guard_find_root
  root=${_pip_guard_root:--}
  # `deactivate` typed in a project keeps its venv off until you leave the project.
  [ "${_PIP_GUARD_OFF-}" = pending ] && _PIP_GUARD_OFF=$root
  [ -z "${_PIP_GUARD_OFF-}" ] || [ "$_PIP_GUARD_OFF" = "$root" ] || unset _PIP_GUARD_OFF
  _pip_guard_target=
  if [ -n "${_PIP_GUARD_OFF-}" ]; then
    :
  elif [ -n "$_pip_guard_root" ]; then
    if ! _pip_guard_venv_of "$_pip_guard_root"; then
      [ "${_pip_guard_auto_root-}" = "$root" ] && return
    fi
  elif [ -n "$_pip_guard_default" ] && _pip_guard_is_venv "$_pip_guard_default"; then
    _pip_guard_target=$_pip_guard_default
  fi
  if [ -n "$auto" ] && [ "$_pip_guard_target" = "$auto" ] && [ "${VIRTUAL_ENV-}" = "$auto" ] &&
    case ":$PATH:" in *":$auto/bin:"*) true ;; *) false ;; esac; then
    # Active already (a new shell inherits it, and shows it once in its own prompt).
    if [ -z "${_pip_guard_prefix+x}" ]; then
      _pip_guard_prompt_of "$auto"
      _pip_guard_show_prompt
    fi
    return
  fi
  [ -n "$auto" ] && _pip_guard_off
  _pip_guard_clear_stale "$_pip_guard_target"
  if [ -n "$_pip_guard_target" ]; then
    _pip_guard_on "$_pip_guard_target"
    _PIP_GUARD_AUTO=$_pip_guard_target
    export _PIP_GUARD_AUTO
    _pip_guard_auto_root=$root
  fi
}

# pipx's bin directory on PATH once it exists, as `pipx ensurepath` would add it.
_pip_guard_pipx_path() {
  local bin=${PIPX_BIN_DIR:-$HOME/.local/bin}
  case $bin in /*) ;; *) return 0 ;; esac
  case ":$PATH:" in *":$bin:"*) return 0 ;; esac
  [ -d "$bin" ] && PATH=$PATH:$bin
  return 0
}

_pip_guard_hook() {
  local _pip_guard_status=$?
  _pip_guard_sync
  _pip_guard_pipx_path
  return $_pip_guard_status
}
