#!/bin/sh
# pip-guard shim @VERSION@: written by `pip-guard setup`, removed by `pip-guard teardown`.
# It runs the real program of its own name (the next one on PATH that is not a pip-guard shim),
# untouched, for every command that cannot change an environment; pip-guard sees only the rest.
# Set PIP_GUARD_DISABLE=1 to bypass pip-guard entirely.
name=${0##*/}

# `python3 -m pip ARGS`, handed over by pip-guard's python shims (shims/python.sh) or the shell
# functions of `pip-guard init`: they run this shim with the interpreter's whole command line,
# _PIP_GUARD_PYTHON naming the interpreter (its path, or the name typed: python3, python3.11),
# which with `-m pip` is the real pip, and _PIP_GUARD_PYTHON_ARGC the count of the words that are
# the interpreter's (`-I -m pip`: 3) before pip's own. Functions of an older init, still defined in
# a shell started before an upgrade, pass pip's words alone. Taken out of the environment first.
python=${_PIP_GUARD_PYTHON-}
pyargc=${_PIP_GUARD_PYTHON_ARGC-}
unset _PIP_GUARD_PYTHON _PIP_GUARD_PYTHON_ARGC
if [ -n "$python" ]; then
  case $pyargc in
    '' | *[!0-9]*)
      set -- -m pip "$@"
      pyargc=2
      ;;
  esac
fi

@COMMON@

@RECORDS@

@CHECKS@

@PROJECT@

real=
if [ -n "$python" ]; then
  # Found as the shell would have found it without the function (a pyenv shim stays one).
  name=${python##*/}
  case $python in
    */*) real=$python ;;
    *)
      find_real "$python" ''
      # `python` is a venv's own name for its python3, which a system may not have (Debian):
      # behind a venv pip-guard activated, the Python it was made from is that python3.
      [ -z "$real" ] && [ -n "$activated" ] && [ "$python" = python ] && find_real python3 ''
      ;;
  esac
  if [ -z "$real" ]; then
    echo "pip-guard: $python: command not found" >&2
    exit 127
  fi
elif [ -n "${PIP_GUARD_REAL_PIP-}" ]; then
  real=$PIP_GUARD_REAL_PIP
  # A relative one would be whatever pip the working directory holds (src/facts/real-pips.ts).
  case $real in /*) ;; *)
    echo "pip-guard: PIP_GUARD_REAL_PIP=$real is not an absolute path, and pip-guard will not run a pip from whatever directory it runs in: set it to the real pip's full path, or unset it." >&2
    exit 127 ;;
  esac
  if [ ! -e "$real" ]; then
    echo "pip-guard: PIP_GUARD_REAL_PIP=$real does not exist: point it at the real pip, or unset it." >&2
    exit 127
  fi
  if [ -d "$real" ] || [ ! -x "$real" ]; then
    echo "pip-guard: PIP_GUARD_REAL_PIP=$real is not an executable file: point it at the real pip, or unset it." >&2
    exit 126
  fi
  # A shim is known by its directory's marker first, as find_real knows it: reading the first
  # line of a program that is no script (an ELF) takes thousands of reads of a byte.
  if [ "$real" -ef "$0" ] || { [ -e "${real%/*}/.pip-guard-shims" ] && is_shim "$real"; }; then
    echo "pip-guard: PIP_GUARD_REAL_PIP=$real is a pip-guard shim, which would run itself: point it at the real pip, or unset it." >&2
    exit 127
  fi
else
  # Programs already taken for the real one for this very call: a wrapper that leads back to a
  # shim (pyenv's `system` pip, a stray copy of a shim) is skipped the second time instead of
  # looping. The marker names the process that set it (this one again after an exec, or the
  # parent of a wrapper that forks) and the argument count, so that a pip run later by another
  # process starts afresh; and nothing in it grows with the command line.
  chain=
  case ${_PIP_GUARD_EXEC-} in
    "$$:$#|"*|"$PPID:$#|"*) chain=${_PIP_GUARD_EXEC#*|} ;;
  esac
  find_real "$name" "$chain"
  if [ -z "$real" ]; then
    echo "pip-guard: no real $name on PATH besides pip-guard's shims: install pip (Debian: apt install python3-pip), or set PIP_GUARD_REAL_PIP." >&2
    exit 127
  fi
  _PIP_GUARD_EXEC="$$:$#|$chain$real|"
  export _PIP_GUARD_EXEC
fi

# The command is pip's first word after its general options (the value-taking ones skip a word).
# Anything unusual (an abbreviated option, an unknown one) goes to pip-guard, which parses it
# as pip does.
command=
skip=
interpreter=${pyargc:-0}
for arg do
  if [ "$interpreter" != 0 ]; then interpreter=$((interpreter - 1)); continue; fi
  if [ -n "$skip" ]; then skip=; continue; fi
  case $arg in
    @VALUE_OPTIONS@) skip=1 ;;
    @FLAG_OPTIONS@|--*=*) ;;
    -[hvqV]|-[hvqV][hvqV]|-[hvqV][hvqV][hvqV]) ;;
    -*) command=? ; break ;;
    *) command=$arg ; break ;;
  esac
done

case $aside in
  1) command= ;;
  bad)
    case $command in
      @GUARDED_COMMANDS@|'?')
        echo "pip-guard: PIP_GUARD_DISABLE=$PIP_GUARD_DISABLE is not a yes or no pip-guard knows: use 1 (the shims run the real pip untouched) or 0, or unset it." >&2
        exit 2 ;;
    esac ;;
esac

# A working directory deleted meanwhile: pip itself says what is wrong, before it does anything
# (the binary's runtime would not start without one). sh sets PWD as it starts, empty when
# getcwd fails; a PWD that names no directory is that case too (any sh, a stale PWD).
case ${PWD-} in /*) [ -d "$PWD" ] || command= ;; *) command= ;; esac

# The read-only commands pip-guard routes to a project's venv (list, show, freeze, check,
# inspect), with no option that names another environment (--python, --path, --user; --isolated
# reads other config): pip-guard may have left its answer for them (src/run/shim-records.ts).
read_only() {
  case $command in @READ_ONLY@) ;; *) return 1 ;; esac
  for arg do
    case $arg in --py* | --pa* | --us* | --u | --is* | --req*) return 1 ;; esac
  done
}

case $command in
  @GUARDED_COMMANDS@|'?')
    # pip-guard's answers for this command, left where the shim finds them with the facts they
    # hold for (src/run/shim-records.ts), so that pip-guard need not start: a real pip whose
    # Python never refuses (a venv's, or one not externally managed) gets every command as typed;
    # a read-only command outside any project goes to the real pip as typed, and inside a project
    # to the venv pip-guard vetted there, with the notice pip-guard would print.
    # Only from a cache and a state directory of the user running it, files and directories
    # (src/base/own-files.ts): under `sudo -E` another user's would decide what root runs.
    if [ -z "$python" ] && [ -z "${PIP_PYTHON+x}" ]; then
      case ${XDG_CACHE_HOME-} in /*) cache=$XDG_CACHE_HOME ;; *) cache=${HOME-}/.cache ;; esac
      cache=$cache/pip-guard
      case $real in /*) ;; *) cache= ;; esac
      if [ -n "$cache" ] && [ -d "$cache" ] && [ -O "$cache" ] && record_holds "$cache/forward$real"; then
        case $scope in
          all)
            for arg do case $arg in --py*) scope= ;; esac; done
            [ -n "$scope" ] && exec "$real" "$@" ;;
          outside)
            if read_only "$@"; then
              find_project
              [ -z "$root" ] && exec "$real" "$@"
            fi ;;
        esac
      fi
      if read_only "$@"; then
        [ -n "${root+x}" ] || find_project
        if [ -n "$venv" ] && record_holds "$state/projects$root/@ROUTE@$name" && [ -x "$pip" ]; then
          [ -n "$notice" ] && printf 'pip-guard: %s%s%s\n' "$notice" "$command" "$after" >&2
          exec "$pip" "$@"
        fi
      fi
    fi@BEFORE_RUN@
    [ -n "$python" ] && exec @RUN@ --pip-guard-python "$name" "$real" "$pyargc" "$@"
    exec @RUN@ --pip-guard-shim "$name" "$real" "$@" ;;
esac
exec "$real" "$@"
