#!/bin/sh
# pip-guard shim @VERSION@: written by `pip-guard setup`, removed by `pip-guard teardown`.
# It runs the real program of its own name (the next one on PATH that is not a pip-guard shim),
# untouched, for every command that cannot change an environment; pip-guard sees only the rest.
# Set PIP_GUARD_DISABLE=1 to bypass pip-guard entirely.
name=${0##*/}

# `python3 -m pip ARGS`, handed over by the shell functions of `pip-guard init`: they run this
# shim with ARGS and _PIP_GUARD_PYTHON naming the interpreter as typed (python3, python3.11),
# which with `-m pip` is the real pip. Taken out of the environment before anything runs.
python=${_PIP_GUARD_PYTHON-}
unset _PIP_GUARD_PYTHON

# Whether file $1 is a pip-guard shim: its first line is #!/bin/sh and its second says so (read
# by the shell itself, no process). The second is read only after the first: sh reads a byte at a
# time, and a program that is no script (an ELF) has its second newline thousands of bytes in.
is_shim() {
  { IFS= read -r shim_line && [ "$shim_line" = '#!/bin/sh' ] && IFS= read -r shim_line; } 2>/dev/null <"$1" || return 1
  case $shim_line in '# pip-guard shim'*) return 0 ;; esac
  return 1
}

# PIP_GUARD_DISABLE is a yes or no as pip reads one (strtobool); anything else stops a command
# it would decide about, as pip-guard stops at other values it does not know (src/base/env.ts).
# Stepping aside (PIP_GUARD_DISABLE=1, PIP_GUARD_POLICY=off) runs the pip PATH gives without
# pip-guard: in a venv pip-guard activated, that venv's own.
case ${PIP_GUARD_DISABLE-} in
  ''|@NO@) aside= ;;
  @YES@) aside=1 ;;
  *) aside=bad ;;
esac
[ "${PIP_GUARD_POLICY-}" = off ] && [ -z "$aside" ] && aside=1
# A venv that pip-guard activated (its prompt hook, or `pip-guard activate`) is no environment of
# the user's choosing: its bin/ stands after the shims on PATH, and the real program is the one
# behind it, so that pip-guard's policy holds there as without it (src/install/shell-functions.ts).
activated=
[ "$aside" != 1 ] && [ -n "${_PIP_GUARD_VENV-}" ] && [ "$_PIP_GUARD_VENV" = "${VIRTUAL_ENV-}" ] &&
  activated=$_PIP_GUARD_VENV/bin

# Sets real to the first executable $1 on PATH, skipping the programs in $2 (|PATH|PATH|…|),
# this file under any other name, the bin/ of a venv pip-guard activated, and the shims in every
# directory that holds pip-guard shims (it carries .pip-guard-shims), but not a real program
# beside them: /usr/local/bin (setup --system) is shared. The program found is run by the path it
# was found at, never canonicalized: pyenv's shims dispatch on the name they are called by.
find_real() {
  real=
  saved_ifs=$IFS
  IFS=:
  set -f
  for dir in ${PATH-}; do
    [ -n "$dir" ] || dir=.
    [ "$dir" = "$activated" ] && continue
    case "|$2" in *"|$dir/$1|"*) continue ;; esac
    if [ -f "$dir/$1" ] && [ -x "$dir/$1" ] && ! [ "$dir/$1" -ef "$0" ]; then
      [ -e "$dir/.pip-guard-shims" ] && is_shim "$dir/$1" && continue
      real=$dir/$1
      break
    fi
  done
  set +f
  IFS=$saved_ifs
}

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
  if [ "$real" -ef "$0" ] || is_shim "$real"; then
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
for arg do
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

case $command in
  @GUARDED_COMMANDS@|'?')
    # A real pip whose Python never refuses (a venv's, or one not externally managed) gets every
    # command as typed, as pip-guard itself would send it: pip-guard left that answer where the
    # shim finds it, with the checks that it still holds (src/run/forward-cache.ts), and then pip-guard
    # need not start.
    # Only from a cache of the user running it, file and directory (src/base/own-files.ts): under
    # `sudo -E` another user's fragment would decide what root runs.
    if [ -z "$python" ]; then
      case ${XDG_CACHE_HOME-} in /*) forward=$XDG_CACHE_HOME ;; *) forward=${HOME-}/.cache ;; esac
      forward=$forward/pip-guard
      case $real in /*) [ -f "$forward/forward$real" ] && [ -O "$forward" ] && [ -O "$forward/forward$real" ] &&
        . "$forward/forward$real" && exec "$real" "$@" ;; esac
    fi@BEFORE_RUN@
    [ -n "$python" ] && exec @RUN@ --pip-guard-python "$name" "$real" "$@"
    exec @RUN@ --pip-guard-shim "$name" "$real" "$@" ;;
esac
[ -n "$python" ] && exec "$real" -m pip "$@"
exec "$real" "$@"
