# The project around the working directory, and the venv pip-guard vetted for it, as the prompt
# hook finds them (shims/hook.sh): the same rule as src/facts/project.ts, and pip-guard's record
# of the venv (src/run/project-records.ts), which is data, read here, never run. Built-ins only.

# Sets state to pip-guard's state directory as src/base/env.ts finds it, when it is this user's
# (src/base/own-files.ts): empty where HOME and XDG_STATE_HOME name none (XDG: a relative value
# is to be ignored), and under `sudo -E` where it is somebody else's.
state_dir() {
  case ${XDG_STATE_HOME-} in
    /*) state=$XDG_STATE_HOME/pip-guard ;;
    *) case ${HOME-} in /*) state=${HOME%/}/.local/state/pip-guard ;; *) state= ;; esac ;;
  esac
  [ -n "$state" ] && [ -d "$state" ] && [ -O "$state" ] || state=
}

# Whether file $1 names pip-guard at all (a package.json with pip-guard's config); unreadable
# counts as yes, as for the hook.
mentions() {
  [ -e "$1" ] || return 1
  [ -r "$1" ] || return 0
  while IFS= read -r text || [ -n "$text" ]; do
    case $text in *pip-guard*) return 0 ;; esac
  done <"$1"
  return 1
}

# Whether directory $1 is a project root (isProjectRoot in src/facts/project.ts); $2 is HOME,
# which is one only by a project's own files (not by .git or a config file).
is_root() {
  { [ -e "$1/pyproject.toml" ] || [ -e "$1/setup.py" ] || [ -e "$1/setup.cfg" ]; } && return 0
  if [ "$1" != "$2" ]; then
    [ -e "$1/.git" ] && return 0
    for root_file in @CONFIG_FILES@; do
      [ -e "$1/$root_file" ] && return 0
    done
    mentions "$1/package.json" && return 0
  fi
  { [ -e "$1/.venv/pyvenv.cfg" ] || [ -e "$1/venv/pyvenv.cfg" ]; } && return 0
  for root_file in "$1"/requirements*.txt; do
    [ -e "$root_file" ] && return 0
  done
  return 1
}

# Sets venv and version from pip-guard's record $1 of a project, when it is this user's file and
# reads as one: "pip-guard record 1", then for each field a line "NAME COUNT" and COUNT lines.
read_record() {
  venv=
  version=
  [ -f "$1" ] && [ -O "$1" ] || return 0
  {
    IFS= read -r record_line && [ "$record_line" = 'pip-guard record 1' ] || return 0
    while IFS=' ' read -r key count; do
      record_value || {
        venv=
        return 0
      }
      case $key in
        venv) venv=$value ;;
        version) version=$value ;;
      esac
    done
  } <"$1"
}

# Sets root to the project around PWD (findProjectRoot in src/facts/project.ts: the nearest root
# at or above it, never above HOME, never /), and venv and version to the venv pip-guard vetted
# there, if its record says so and it is a venv still. A working directory that was deleted, or
# a PWD that does not name it, is no project.
find_project() {
  root=
  venv=
  version=
  case ${PWD-} in /*) [ -d "$PWD" ] || return 0 ;; *) return 0 ;; esac
  project_dir=$PWD
  project_home=${HOME%/}
  project_ceiling=
  case $project_dir/ in "$project_home"/*) project_ceiling=$project_home ;; esac
  while [ -n "$project_dir" ] && [ "$project_dir" != / ]; do
    if is_root "$project_dir" "$project_home"; then
      root=$project_dir
      state_dir
      [ -n "$state" ] && read_record "$state/projects$root/@RECORD@"
      [ -n "$venv" ] && [ -f "$venv/pyvenv.cfg" ] && [ -x "$venv/bin/python" ] || venv=
      return 0
    fi
    [ "$project_dir" = "$project_ceiling" ] && return 0
    project_dir=${project_dir%/*}
  done
}

# Sets chosen to the venv or conda environment somebody activated, as pip-guard takes it
# (chosenVenv in src/facts/gather.ts, locateVenv in src/facts/project.ts): theirs wins. The venv
# of pip-guard's prompt hook is no choice of theirs; one of `pip-guard activate` is.
chosen_environment() {
  chosen=
  if [ -n "${VIRTUAL_ENV-}" ] && [ "$VIRTUAL_ENV" != "${_PIP_GUARD_AUTO-}" ] &&
    [ -f "$VIRTUAL_ENV/pyvenv.cfg" ] && [ -e "$VIRTUAL_ENV/bin/python" ]; then
    chosen=$VIRTUAL_ENV
  elif [ -n "${CONDA_PREFIX-}" ] && [ -d "$CONDA_PREFIX/conda-meta" ] && [ -e "$CONDA_PREFIX/bin/python" ]; then
    chosen=$CONDA_PREFIX
  fi
  [ -n "$chosen" ]
}
