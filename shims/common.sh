# The part every pip-guard shim shares (src/install/shims.ts puts it in each).
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
# Stepping aside (PIP_GUARD_DISABLE=1, PIP_GUARD_POLICY=off) runs the program PATH gives without
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
