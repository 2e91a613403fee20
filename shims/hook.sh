# pip-guard's prompt hook @VERSION@ (pip-guard init bash|zsh --activate): at each prompt, the
# venv of the project you are in is active, and none outside a project; a venv or conda
# environment that somebody else activated is left alone until it is deactivated. Only a venv
# that pip-guard has vetted for the project (it ran pip there, or `pip-guard activate`, `run`:
# src/run/project-records.ts left its record) is activated: a cloned repository's own .venv could put
# any program first on PATH. Shell built-ins only, no process at all.
# The default venv outside any project, when your config's venv.activateDefault asks for it.
_pip_guard_default=@DEFAULT_VENV@

# Where pip-guard leaves its records (XDG says a relative value is to be ignored).
_pip_guard_records() {
  _pip_guard_state=${XDG_STATE_HOME-}
  case $_pip_guard_state in /*) ;; *) _pip_guard_state=${HOME-}/.local/state ;; esac
  _pip_guard_state=$_pip_guard_state/pip-guard/projects
}

# Sets _pip_guard_record to pip-guard's record for directory $1, at its own path under the
# state directory's projects/ (src/facts/records.ts).
_pip_guard_record_of() {
  _pip_guard_record=$_pip_guard_state$1/@RECORD@
}

# Whether $1 names pip-guard at all (package.json); unreadable counts as yes.
_pip_guard_mentions() {
  [ -e "$1" ] || return 1
  [ -r "$1" ] || return 0
  local text=
  IFS= read -r -d '' text <"$1"
  case $text in *pip-guard*) return 0 ;; esac
  return 1
}

# Whether directory $1 has a requirements*.txt, whatever the shell's glob options.
_pip_guard_requirements() {
  if [ -n "${BASH_VERSION-}" ]; then
    compgen -G "$1/requirements*.txt" >/dev/null
    return
  fi
  setopt local_options null_glob
  local file=
  for file in "$1"/requirements*.txt; do
    [ -e "$file" ] && return 0
  done
  return 1
}

# Whether directory $1 is a project root (facts/project.ts's isProjectRoot); $2 is HOME.
_pip_guard_is_root() {
  local name=
  [ -e "$1/pyproject.toml" ] || [ -e "$1/setup.py" ] || [ -e "$1/setup.cfg" ] && return 0
  if [ "$1" != "$2" ]; then
    [ -e "$1/.git" ] && return 0
    for name in .pip-guardrc .pip-guardrc.json .pip-guardrc.yaml .pip-guardrc.yml .pip-guardrc.toml \
      pip-guard.config.js pip-guard.config.cjs pip-guard.config.mjs; do
      [ -e "$1/$name" ] && return 0
    done
    _pip_guard_mentions "$1/package.json" && return 0
  fi
  [ -e "$1/.venv/pyvenv.cfg" ] || [ -e "$1/venv/pyvenv.cfg" ] && return 0
  _pip_guard_requirements "$1"
}

# Whether the answer for this PWD (and this state directory) still holds: no record of
# pip-guard's has appeared for a directory between PWD and the root found (a project pip-guard
# just made a venv for is nearer), and that root is one still. Only stats.
_pip_guard_still_root() {
  local record=
  [ "$PWD" = "${_pip_guard_root_of-}" ] && [ "$_pip_guard_state" = "${_pip_guard_state_of-}" ] || return 1
  for record in "${_pip_guard_nearer[@]}"; do
    [ -e "$record" ] && return 1
  done
  [ -z "$_pip_guard_root" ] || _pip_guard_is_root "$_pip_guard_root" "$1"
}

# Sets _pip_guard_root to the project around PWD: the nearest root at or above it, never above
# HOME and never / (facts/project.ts's findProjectRoot), and _pip_guard_root_record to its record;
# found once per directory, with the records that would make the answer change.
_pip_guard_find_root() {
  local dir=$PWD home=${HOME%/} ceiling=
  case $dir/ in "$home"/*) ceiling=$home ;; esac
  _pip_guard_still_root "$home" && return
  _pip_guard_root_of=$dir
  _pip_guard_state_of=$_pip_guard_state
  _pip_guard_root=
  _pip_guard_nearer=()
  while [ -n "$dir" ] && [ "$dir" != / ]; do
    _pip_guard_record_of "$dir"
    if _pip_guard_is_root "$dir" "$home"; then
      _pip_guard_root=$dir
      _pip_guard_root_record=$_pip_guard_record
      return
    fi
    _pip_guard_nearer+=("$_pip_guard_record")
    [ "$dir" = "$ceiling" ] && return
    dir=${dir%/*}
  done
}

_pip_guard_is_venv() {
  [ -d "$1" ] && [ -f "$1/pyvenv.cfg" ] && [ -x "$1/bin/python" ]
}

# Sets _pip_guard_target to the venv pip-guard vetted for the project found, if it is there: the
# venv field of its record, which is data (src/facts/records.ts: "NAME COUNT", then COUNT lines).
_pip_guard_venv_of() {
  local venv= record=$_pip_guard_root_record line= key= count= value= n=0
  _pip_guard_target=
  [ -f "$record" ] && [ -O "$record" ] || return 0
  {
    IFS= read -r line && [ "$line" = '@HEADER@' ] || return 0
    while IFS=' ' read -r key count; do
      [[ $count =~ ^[0-9]+$ ]] || return 0
      value= n=0
      while (( n < count )); do
        IFS= read -r line || return 0
        (( n++ )) && value+=$'\n'
        value+=$line
      done
      [ "$key" = venv ] && venv=$value
    done
  } <"$record"
  [ -n "$venv" ] && _pip_guard_is_venv "$venv" && _pip_guard_target=$venv
  return 0
}

# What pip-guard's activation left in somebody else's activate (their saved PATH and PS1):
# cleared once theirs is gone, unless it is what is to be active now ($1).
_pip_guard_clear_stale() {
  [ -n "${_pip_guard_stale-}" ] || return 0
  if [ "$_pip_guard_stale" != "$1" ]; then
    _pip_guard_path_without "$_pip_guard_stale/bin"
    PS1=${PS1/"$_pip_guard_stale_prefix"/}
  fi
  unset _pip_guard_stale _pip_guard_stale_prefix
}

# A venv or conda environment somebody else activated: pip-guard's own activation steps back
# (out of PATH and PS1), and theirs stays.
_pip_guard_release() {
  _pip_guard_stale=$_PIP_GUARD_VENV
  _pip_guard_stale_prefix=${_pip_guard_prefix-}
  [ -z "$_pip_guard_stale_prefix" ] || PS1=${PS1/"$_pip_guard_stale_prefix"/}
  unset _pip_guard_deactivate _pip_guard_prefix
  _pip_guard_off
}

# Somebody else's environment, as pip-guard itself would take it (facts/project.ts's locateVenv): a
# venv they activated (VIRTUAL_ENV that pip-guard's hook did not set, or theirs over it, which
# saves _OLD_VIRTUAL_PATH) that is still there, or a conda environment with a Python.
_pip_guard_foreign() {
  if [ -n "${VIRTUAL_ENV-}" ] && { [ "$VIRTUAL_ENV" != "${_PIP_GUARD_AUTO-}" ] || [ -n "${_OLD_VIRTUAL_PATH-}" ]; }; then
    [ -f "$VIRTUAL_ENV/pyvenv.cfg" ] && [ -e "$VIRTUAL_ENV/bin/python" ] && return 0
  fi
  [ -n "${CONDA_PREFIX-}" ] && [ -d "$CONDA_PREFIX/conda-meta" ] && [ -e "$CONDA_PREFIX/bin/python" ]
}

_pip_guard_sync() {
  local auto=${_PIP_GUARD_AUTO-} root=
  if _pip_guard_foreign; then
    [ -n "$auto" ] && _pip_guard_release
    return
  fi
  _pip_guard_records
  _pip_guard_find_root
  root=${_pip_guard_root:--}
  # `deactivate` typed in a project keeps its venv off until you leave the project.
  [ -z "${_PIP_GUARD_OFF-}" ] || [ "$_PIP_GUARD_OFF" = "$root" ] || unset _PIP_GUARD_OFF
  _pip_guard_target=
  if [ -n "${_PIP_GUARD_OFF-}" ]; then
    :
  elif [ -n "$_pip_guard_root" ]; then
    _pip_guard_venv_of
  elif [ -n "$_pip_guard_default" ] && _pip_guard_is_venv "$_pip_guard_default"; then
    _pip_guard_target=$_pip_guard_default
  fi
  if [ -n "$auto" ] && [ "$_pip_guard_target" = "$auto" ] && [ "${VIRTUAL_ENV-}" = "$auto" ] &&
    case ":$PATH:" in *":$auto/bin:"*) true ;; *) false ;; esac; then
    # Active already: shown in this shell's prompt too (a new shell, a PS1 set since).
    if [ -z "${_pip_guard_prefix-}" ] || case ${PS1-} in *"$_pip_guard_prefix"*) false ;; *) true ;; esac; then
      _pip_guard_prompt_of "$auto"
      _pip_guard_show_prompt
    fi
    _pip_guard_auto_root=$root
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
  local bin=${PIPX_BIN_DIR:-${HOME-}/.local/bin}
  case $bin in /*) ;; *) return 0 ;; esac
  case ":$PATH:" in *":$bin:"*) return 0 ;; esac
  [ -d "$bin" ] && PATH=$PATH:$bin
  return 0
}

# The shell's mark says the hook runs here (shell-functions.ts): set by the hook itself, so a
# PROMPT_COMMAND that replaced it before the first prompt leaves no such claim.
_pip_guard_hook() {
  local _pip_guard_status=$?
  _pip_guard_sync
  _pip_guard_pipx_path
  _PIP_GUARD_INIT=$_pip_guard_mark
  return $_pip_guard_status
}
