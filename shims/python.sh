#!/bin/sh
# pip-guard shim @VERSION@ (python): written by `pip-guard setup`, removed by `pip-guard teardown`.
# The project's code runs in the project's venv: inside a project whose venv pip-guard vetted
# (it made it, or checked the repository does not ship it), `python3 -c`, `-m`, a script read
# from stdin, the REPL and a script file inside the project run that venv's Python, wherever
# they are typed (a script, a Makefile, CI, a container). A script outside the project (a tool
# with `#!/usr/bin/env python3`) and everything elsewhere run the next python3 on PATH, as without
# pip-guard; a venv or conda environment you activated wins. `python3 -m pip` goes to pip-guard's
# pip shim. Shell built-ins only, then exec: no process of its own.
# Set PIP_GUARD_DISABLE=1 to bypass pip-guard entirely.
name=${0##*/}

@COMMON@

@RECORDS@

@PROJECT@

# What the interpreter is asked to run, read as Python reads its command line: sets run to
# `script` (a file, named in $script), `pip` (-m pip; $argc: the words up to and including it) or
# `code` (-c, -m, a script on stdin, the REPL, --version and the like).
what_runs() {
  run=code
  script=
  argc=0
  while [ $# -gt 0 ]; do
    argc=$((argc + 1))
    case $1 in
      --)
        [ $# -gt 1 ] && run=script && script=$2
        return 0
        ;;
      --check-hash-based-pycs) [ $# -gt 1 ] && shift && argc=$((argc + 1)) ;;
      - | --*) return 0 ;;
      -*)
        # A cluster of one-letter options (-IBc, -Wignore, -mpip): -c and -m end it with their
        # value, -W and -X (and Python 2's -Q) take the rest of it or the next word.
        cluster=${1#-}
        while [ -n "$cluster" ]; do
          letter=${cluster%"${cluster#?}"}
          cluster=${cluster#?}
          case $letter in
            c) return 0 ;;
            m)
              if [ -z "$cluster" ]; then
                [ $# -gt 1 ] || return 0
                cluster=$2
                argc=$((argc + 1))
              fi
              [ "$cluster" = pip ] && run=pip
              return 0
              ;;
            W | X | Q)
              if [ -z "$cluster" ] && [ $# -gt 1 ]; then
                shift
                argc=$((argc + 1))
              fi
              cluster=
              ;;
          esac
        done
        ;;
      *)
        run=script
        script=$1
        return 0
        ;;
    esac
    shift
  done
}

# Whether path $1 (absolute, or from PWD) is inside directory $2, its `.` and `..` taken as the
# kernel takes them in a path spelled from PWD.
inside() {
  case $1 in /*) rest=$1 ;; *) rest=$PWD/$1 ;; esac
  path=
  while [ -n "$rest" ]; do
    part=${rest%%/*}
    case $rest in */*) rest=${rest#*/} ;; *) rest= ;; esac
    case $part in
      '' | .) ;;
      ..) path=${path%/*} ;;
      *) path=$path/$part ;;
    esac
  done
  case $path/ in "$2"/*) return 0 ;; esac
  return 1
}

# The next program of this name on PATH. A wrapper that leads back here (pyenv's `system`
# Python finds this shim first) is skipped the second time: the marker names this process and
# the argument count, so a python3 that a Python program starts later (another process) starts
# afresh.
run_real() {
  chain=
  case ${_PIP_GUARD_EXEC-} in "$$:$#|"*) chain=${_PIP_GUARD_EXEC#*|} ;; esac
  find_real "$name" "$chain"
  if [ -z "$real" ]; then
    echo "pip-guard: $name: command not found besides pip-guard's shims" >&2
    exit 127
  fi
  _PIP_GUARD_EXEC="$$:$#|$chain$real|"
  export _PIP_GUARD_EXEC
  exec "$real" "$@"
}

[ "$aside" = 1 ] && run_real "$@"
what_runs "$@"
if [ "$run" = pip ]; then
  # Guarded as `pip` is: the real pip is this interpreter with `-m pip`.
  [ "$aside" = bad ] && echo "pip-guard: PIP_GUARD_DISABLE=$PIP_GUARD_DISABLE is not a yes or no pip-guard knows: use 1 (the shims run the real pip untouched) or 0, or unset it." >&2 && exit 2
  chain=
  case ${_PIP_GUARD_EXEC-} in "$$:$#|"*) chain=${_PIP_GUARD_EXEC#*|} ;; esac
  find_real "$name" "$chain"
  [ -n "$real" ] || run_real "$@"
  case $0 in */*) shims=${0%/*} ;; *) shims=. ;; esac
  _PIP_GUARD_PYTHON=$real
  _PIP_GUARD_PYTHON_ARGC=$argc
  _PIP_GUARD_EXEC="$$:$#|$chain$real|"
  export _PIP_GUARD_PYTHON _PIP_GUARD_PYTHON_ARGC _PIP_GUARD_EXEC
  exec "$shims/pip" "$@"
fi
if chosen_environment; then
  [ -f "$chosen/bin/$name" ] && [ -x "$chosen/bin/$name" ] && exec "$chosen/bin/$name" "$@"
  run_real "$@"
fi
find_project
[ -n "$venv" ] || run_real "$@"
# python3.N is that Python: a venv of another version is not its environment.
case $name in python[0-9]*.*) [ "$name" = "python$version" ] || run_real "$@" ;; esac
[ "$run" = script ] && ! inside "$script" "$root" && run_real "$@"
[ "$aside" = bad ] && echo "pip-guard: PIP_GUARD_DISABLE=$PIP_GUARD_DISABLE is not a yes or no pip-guard knows: use 1 (the shims run the real program untouched) or 0, or unset it." >&2 && exit 2
if [ -x "$venv/bin/$name" ]; then exec "$venv/bin/$name" "$@"; fi
exec "$venv/bin/python" "$@"
